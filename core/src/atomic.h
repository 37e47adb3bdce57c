/*
 * atomic.h - the only door to <stdatomic.h> in partyfuzz.
 *
 * Every atomic operation of the core goes through a wrapper that names its
 * memory order, so a reader sees the ordering claim at each call site and a
 * reviewer can grep for it. Nothing else calls atomic_* directly.
 *
 * Every wrapper is also a yield point: PT_YIELD_POINT(op, addr) runs just
 * before the atomic takes effect. In normal builds it is empty. In the
 * scheduled build (PT_SCHED_BUILD) it calls pt_sched_yield_point(), which
 * may switch to another green thread, so that the fuzz input chooses the
 * interleaving of individual atomic steps (fuzz_table_sched).
 */
#ifndef PARTYFUZZ_ATOMIC_H
#define PARTYFUZZ_ATOMIC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#if defined(PT_SCHED_BUILD)
/* Provided by the scheduler of the scheduled build. */
void pt_sched_yield_point(const char *op, const volatile void *addr);
#define PT_YIELD_POINT(op, addr) pt_sched_yield_point((op), (addr))
#else
#define PT_YIELD_POINT(op, addr) ((void)0)
#endif

typedef _Atomic uint64_t pt_atomic_u64;
typedef _Atomic uint32_t pt_atomic_u32;
typedef _Atomic uintptr_t pt_atomic_uptr;

/* 64-bit words: slot-state words and the free-list head. */

static inline uint64_t pt_atomic_load_acquire_u64(pt_atomic_u64 *p)
{
	PT_YIELD_POINT("load_acquire", p);
	return atomic_load_explicit(p, memory_order_acquire);
}

static inline uint64_t pt_atomic_load_relaxed_u64(pt_atomic_u64 *p)
{
	PT_YIELD_POINT("load_relaxed", p);
	return atomic_load_explicit(p, memory_order_relaxed);
}

static inline void pt_atomic_store_release_u64(pt_atomic_u64 *p, uint64_t v)
{
	PT_YIELD_POINT("store_release", p);
	atomic_store_explicit(p, v, memory_order_release);
}

static inline void pt_atomic_store_relaxed_u64(pt_atomic_u64 *p, uint64_t v)
{
	PT_YIELD_POINT("store_relaxed", p);
	atomic_store_explicit(p, v, memory_order_relaxed);
}

/*
 * Strong CAS. On failure *expected receives the current value (acquire, so
 * the caller may act on what it read).
 */
static inline bool pt_atomic_cas_acq_rel_u64(pt_atomic_u64 *p,
					     uint64_t *expected, uint64_t v)
{
	PT_YIELD_POINT("cas_acq_rel", p);
	return atomic_compare_exchange_strong_explicit(
		p, expected, v, memory_order_acq_rel, memory_order_acquire);
}

static inline bool pt_atomic_cas_release_u64(pt_atomic_u64 *p,
					     uint64_t *expected, uint64_t v)
{
	PT_YIELD_POINT("cas_release", p);
	return atomic_compare_exchange_strong_explicit(
		p, expected, v, memory_order_release, memory_order_relaxed);
}

/* 32-bit words: free-list links and per-VC counters. */

static inline uint32_t pt_atomic_load_relaxed_u32(pt_atomic_u32 *p)
{
	PT_YIELD_POINT("load_relaxed", p);
	return atomic_load_explicit(p, memory_order_relaxed);
}

static inline void pt_atomic_store_relaxed_u32(pt_atomic_u32 *p, uint32_t v)
{
	PT_YIELD_POINT("store_relaxed", p);
	atomic_store_explicit(p, v, memory_order_relaxed);
}

static inline void pt_atomic_store_release_u32(pt_atomic_u32 *p, uint32_t v)
{
	PT_YIELD_POINT("store_release", p);
	atomic_store_explicit(p, v, memory_order_release);
}

static inline uint32_t pt_atomic_fetch_add_relaxed_u32(pt_atomic_u32 *p,
						       uint32_t v)
{
	PT_YIELD_POINT("fetch_add_relaxed", p);
	return atomic_fetch_add_explicit(p, v, memory_order_relaxed);
}

static inline uint32_t pt_atomic_fetch_sub_relaxed_u32(pt_atomic_u32 *p,
						       uint32_t v)
{
	PT_YIELD_POINT("fetch_sub_relaxed", p);
	return atomic_fetch_sub_explicit(p, v, memory_order_relaxed);
}

/* Pointer-sized words: the party's context. */

static inline uintptr_t pt_atomic_load_relaxed_uptr(pt_atomic_uptr *p)
{
	PT_YIELD_POINT("load_relaxed", p);
	return atomic_load_explicit(p, memory_order_relaxed);
}

static inline void pt_atomic_store_release_uptr(pt_atomic_uptr *p,
						uintptr_t v)
{
	PT_YIELD_POINT("store_release", p);
	atomic_store_explicit(p, v, memory_order_release);
}

static inline void pt_atomic_store_relaxed_uptr(pt_atomic_uptr *p,
						uintptr_t v)
{
	PT_YIELD_POINT("store_relaxed", p);
	atomic_store_explicit(p, v, memory_order_relaxed);
}

static inline void pt_atomic_fence_acquire(void)
{
	PT_YIELD_POINT("fence_acquire", (const volatile void *)0);
	atomic_thread_fence(memory_order_acquire);
}

#endif /* PARTYFUZZ_ATOMIC_H */
