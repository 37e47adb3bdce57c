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
 *
 * The scheduled build also reports every atomic to the scheduler's
 * weak-memory mode (fuzz/sched/wmem.h) once it has taken effect: a store
 * or a successful RMW with its order (PT_SCHED_STORED, PT_SCHED_RMW), a
 * fence (PT_SCHED_FENCED), and a load or a failed CAS with the value it
 * found in memory, the latest in modification order (PT_SCHED_LOADED,
 * PT_SCHED_CAS_FAILED). PT_SCHED_LOADED may answer an older store's value,
 * one the C11 memory model lets that load read; the wrapper returns it.
 * Memory itself always holds the latest store, so RMWs read the latest.
 * In normal builds the hooks are nothing and a load returns what it read.
 */
#ifndef PARTYFUZZ_ATOMIC_H
#define PARTYFUZZ_ATOMIC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#if defined(PT_SCHED_BUILD)
/* Provided by the scheduler of the scheduled build (fuzz/sched/sched.h). */
void pt_sched_yield_point(const char *op, const volatile void *addr);
uint64_t pt_sched_loaded(const volatile void *addr, unsigned width,
			 uint64_t latest, int order);
void pt_sched_stored(const volatile void *addr, unsigned width, uint64_t old,
		     uint64_t v, int order);
void pt_sched_rmw(const volatile void *addr, unsigned width, uint64_t old,
		  uint64_t v, int order);
void pt_sched_cas_failed(const volatile void *addr, unsigned width,
			 uint64_t latest, int order);
void pt_sched_fenced(int order);
#define PT_YIELD_POINT(op, addr) pt_sched_yield_point((op), (addr))
#define PT_SCHED_LOADED(p, v, mo)                                             \
	pt_sched_loaded((p), (unsigned)sizeof(*(p)), (uint64_t)(v), (int)(mo))
/* The value before the store: single OS thread, nothing runs between. */
#define PT_SCHED_STORE(p, v, mo)                                              \
	do {                                                                  \
		uint64_t pt_old_ =                                            \
			atomic_load_explicit((p), memory_order_relaxed);      \
		atomic_store_explicit((p), (v), (mo));                        \
		pt_sched_stored((p), (unsigned)sizeof(*(p)), pt_old_,         \
				(uint64_t)(v), (int)(mo));                    \
	} while (0)
#define PT_SCHED_RMW(p, old, v, mo)                                           \
	pt_sched_rmw((p), (unsigned)sizeof(*(p)), (uint64_t)(old),            \
		     (uint64_t)(v), (int)(mo))
#define PT_SCHED_CAS_FAILED(p, cur, mo)                                       \
	pt_sched_cas_failed((p), (unsigned)sizeof(*(p)), (uint64_t)(cur),     \
			    (int)(mo))
#define PT_SCHED_FENCED(mo) pt_sched_fenced((int)(mo))
#else
#define PT_YIELD_POINT(op, addr) ((void)0)
#define PT_SCHED_LOADED(p, v, mo) (v)
#define PT_SCHED_STORE(p, v, mo) atomic_store_explicit((p), (v), (mo))
#define PT_SCHED_RMW(p, old, v, mo) ((void)0)
#define PT_SCHED_CAS_FAILED(p, cur, mo) ((void)0)
#define PT_SCHED_FENCED(mo) ((void)0)
#endif

typedef _Atomic uint64_t pt_atomic_u64;
typedef _Atomic uint32_t pt_atomic_u32;
typedef _Atomic uintptr_t pt_atomic_uptr;

/* 64-bit words: slot-state words and the free-list head. */

static inline uint64_t pt_atomic_load_acquire_u64(pt_atomic_u64 *p)
{
	PT_YIELD_POINT("load_acquire", p);
	return PT_SCHED_LOADED(p,
			       atomic_load_explicit(p, memory_order_acquire),
			       memory_order_acquire);
}

/* The relaxed loads are always inlined, also into pt_table_validate()
 * (PT_ORACLE, partyfuzz/err.h), whose sanitizer attributes differ. */
static inline __attribute__((always_inline)) uint64_t
pt_atomic_load_relaxed_u64(pt_atomic_u64 *p)
{
	PT_YIELD_POINT("load_relaxed", p);
	return PT_SCHED_LOADED(p,
			       atomic_load_explicit(p, memory_order_relaxed),
			       memory_order_relaxed);
}

static inline void pt_atomic_store_release_u64(pt_atomic_u64 *p, uint64_t v)
{
	PT_YIELD_POINT("store_release", p);
	PT_SCHED_STORE(p, v, memory_order_release);
}

/* LCOV_EXCL_START: called only where a planted memory-order fault
 * (core/src/fault.h, -DPT_FAULT=<id>) weakens an order: another build. */
static inline void pt_atomic_store_relaxed_u64(pt_atomic_u64 *p, uint64_t v)
{
	PT_YIELD_POINT("store_relaxed", p);
	PT_SCHED_STORE(p, v, memory_order_relaxed);
}
/* LCOV_EXCL_STOP */

/*
 * Strong CAS. On failure *expected receives the current value, read with
 * the failure order (no stronger than the success order, C11 7.17.7.4).
 * PT_CAS() is the bare C11 call in normal builds (constant orders, the
 * same code as ever); the scheduled build reports the outcome.
 */
#if defined(PT_SCHED_BUILD)
static inline bool pt_sched_cas_u64_(pt_atomic_u64 *p, uint64_t *expected,
				     uint64_t v, memory_order succ,
				     memory_order fail)
{
	uint64_t exp = *expected;
	bool ok = atomic_compare_exchange_strong_explicit(p, expected, v, succ,
							  fail);

	if (ok)
		PT_SCHED_RMW(p, exp, v, succ);
	else
		PT_SCHED_CAS_FAILED(p, *expected, fail);
	return ok;
}
#define PT_CAS(p, expected, v, succ, fail)                                    \
	pt_sched_cas_u64_((p), (expected), (v), (succ), (fail))
#else
#define PT_CAS(p, expected, v, succ, fail)                                    \
	atomic_compare_exchange_strong_explicit((p), (expected), (v), (succ), \
						(fail))
#endif

/* acq_rel on success; acquire on failure, so the caller may act on the
 * value it got back. */
static inline bool pt_atomic_cas_acq_rel_u64(pt_atomic_u64 *p,
					     uint64_t *expected, uint64_t v)
{
	PT_YIELD_POINT("cas_acq_rel", p);
	return PT_CAS(p, expected, v, memory_order_acq_rel,
		      memory_order_acquire);
}

/* acquire on success and on failure: reads like an acquire load,
 * publishes nothing. */
static inline bool pt_atomic_cas_acquire_u64(pt_atomic_u64 *p,
					     uint64_t *expected, uint64_t v)
{
	PT_YIELD_POINT("cas_acquire", p);
	return PT_CAS(p, expected, v, memory_order_acquire,
		      memory_order_acquire);
}

/* release on success, relaxed on failure. */
static inline bool pt_atomic_cas_release_u64(pt_atomic_u64 *p,
					     uint64_t *expected, uint64_t v)
{
	PT_YIELD_POINT("cas_release", p);
	return PT_CAS(p, expected, v, memory_order_release,
		      memory_order_relaxed);
}

/* relaxed both ways: only the planted memory-order faults use it. */
/* LCOV_EXCL_START: only a planted memory-order fault calls it (fault.h,
 * -DPT_FAULT=<id>): another build. */
static inline bool pt_atomic_cas_relaxed_u64(pt_atomic_u64 *p,
					     uint64_t *expected, uint64_t v)
{
	PT_YIELD_POINT("cas_relaxed", p);
	return PT_CAS(p, expected, v, memory_order_relaxed,
		      memory_order_relaxed);
}
/* LCOV_EXCL_STOP */

/* 32-bit words: free-list links and per-VC counters. */

static inline __attribute__((always_inline)) uint32_t
pt_atomic_load_relaxed_u32(pt_atomic_u32 *p)
{
	PT_YIELD_POINT("load_relaxed", p);
	return PT_SCHED_LOADED(p,
			       atomic_load_explicit(p, memory_order_relaxed),
			       memory_order_relaxed);
}

static inline void pt_atomic_store_relaxed_u32(pt_atomic_u32 *p, uint32_t v)
{
	PT_YIELD_POINT("store_relaxed", p);
	PT_SCHED_STORE(p, v, memory_order_relaxed);
}

static inline void pt_atomic_store_release_u32(pt_atomic_u32 *p, uint32_t v)
{
	PT_YIELD_POINT("store_release", p);
	PT_SCHED_STORE(p, v, memory_order_release);
}

/* Pointer-sized words: the party's context. */

static inline uintptr_t pt_atomic_load_relaxed_uptr(pt_atomic_uptr *p)
{
	PT_YIELD_POINT("load_relaxed", p);
	return PT_SCHED_LOADED(p,
			       atomic_load_explicit(p, memory_order_relaxed),
			       memory_order_relaxed);
}

static inline void pt_atomic_store_release_uptr(pt_atomic_uptr *p, uintptr_t v)
{
	PT_YIELD_POINT("store_release", p);
	PT_SCHED_STORE(p, v, memory_order_release);
}

/* LCOV_EXCL_START: only a planted memory-order fault calls it (fault.h,
 * -DPT_FAULT=<id>): another build. */
static inline void pt_atomic_store_relaxed_uptr(pt_atomic_uptr *p, uintptr_t v)
{
	PT_YIELD_POINT("store_relaxed", p);
	PT_SCHED_STORE(p, v, memory_order_relaxed);
}
/* LCOV_EXCL_STOP */

static inline void pt_atomic_fence_acquire(void)
{
	PT_YIELD_POINT("fence_acquire", (const volatile void *)0);
	atomic_thread_fence(memory_order_acquire);
	PT_SCHED_FENCED(memory_order_acquire);
}

#endif /* PARTYFUZZ_ATOMIC_H */
