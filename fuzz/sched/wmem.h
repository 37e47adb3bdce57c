/*
 * wmem.h - the weak-memory mode of the atomic-step scheduler.
 *
 * Without it every load of the scheduled build reads the latest store:
 * the green threads see memory sequentially consistent, and a missing
 * release or acquire changes nothing they can observe. With it (struct
 * ps_run.weak), each atomic load may read any store the C11 memory model
 * lets it read, the way C11Tester and loom explore executions:
 *
 *   - every atomic location touched during the run keeps its last
 *     PS_WM_HISTORY stores in modification order (mo). The mo is the
 *     order in which the stores execute, so memory always holds the
 *     latest store, and an RMW (CAS, fetch-add, a failed CAS too) reads
 *     the latest one (C11 7.17.3: an RMW reads the last value in the
 *     modification order before its write);
 *   - every green thread has a vector clock; a store remembers its
 *     writer's clock component. A release store, a release RMW or a store
 *     after a release fence heads a release sequence and carries the
 *     writer's clock; later RMWs of any thread and later stores of the
 *     head's own thread continue the sequence (C11 5.1.2.4p10), so a store
 *     carries the clocks of every head whose sequence it is in. An acquire
 *     load or RMW that reads it joins them into the reader's clock
 *     (synchronizes-with); a relaxed read keeps them for the thread's next
 *     acquire fence (5.1.2.4 fence rules, 7.17.4);
 *   - a load of thread T may read the store with mo index i iff no store
 *     mo-after i happens before the load (write-read coherence: the
 *     writer's clock component is covered by T's clock) and T has not
 *     read or written a store mo-after i (read-read and read-write
 *     coherence). A seq_cst load also reads nothing mo-before the last
 *     seq_cst store to the location (C11 7.17.3, with the single total
 *     order S the execution order of seq_cst operations);
 *   - which of the allowed stores a load reads is a choice taken from the
 *     schedule bytes (sched.h), like the thread choices: byte b picks the
 *     store b % k back from the latest of the k allowed. No byte left, or
 *     only one store allowed: the latest. So a run is deterministic and
 *     replays, and the all-zero schedule is sequentially consistent.
 *
 * What the mode cannot produce (it is sound, not complete): a load reads
 * only stores that have already executed, so the load-buffering outcomes
 * C11 allows for relaxed atomics (LB, out-of-thin-air) never appear; the
 * mo of each location is the execution order, so outcomes that need a mo
 * against the execution order (2+2W with relaxed or release/acquire
 * stores) never appear; a history older than PS_WM_HISTORY stores is
 * forgotten (a load reads nothing older). seq_cst fences are not in
 * atomic.h and are not modelled (ps_wm_fence aborts on one). Plain
 * (non-atomic) accesses are not tracked: data races between green threads
 * are out of scope here (the TSan build of the scheduler sees them).
 *
 * Published state: a load that reads a store is not, by itself, a bug if
 * the store is stale. What a release/acquire pair protects is the data
 * the writer wrote before its store, data read after the load. The table
 * keeps its payload (vc, ctx) in atomics, so a stale payload shows as a
 * wrong snapshot (linearizability). For the caller's own data (the memory
 * a party context points to, what a thread wrote before a transition) the
 * mode keeps a shadow "written-at" clock: a store that the caller's
 * payload predicate (struct ps_run.payload) says publishes new state
 * carries the clock its thread had when its operation began
 * (ps_sched_op_begin), other stores inherit the clock of the store they
 * follow in mo; ps_sched_op_check() then requires, at the end of an
 * operation, that the thread's clock covers that written-at clock for the
 * last store it read of every location it read during the operation. A
 * read that observed published state without happening after the data
 * written before it is a finding, as a stale read of that data would be.
 *
 * Context: the scheduler's single OS thread (sched.c), inside a run.
 */
#ifndef PARTYFUZZ_SCHED_WMEM_H
#define PARTYFUZZ_SCHED_WMEM_H

#include <stddef.h>
#include <stdint.h>

#include "sched.h"

#define PS_WM_HISTORY 8    /* stores kept per location */
#define PS_WM_LOCATIONS 64 /* locations touched in one run */

/* Picks one of k >= 2 allowed stores: 0 the latest, k - 1 the oldest. */
typedef unsigned (*ps_wm_choose_fn)(unsigned k);

/* Forget every location; every thread's clock starts after the start of
 * the run (all earlier stores happen before every thread). */
void ps_wm_reset(unsigned nthreads, ps_payload_fn payload,
		 const void *payload_arg, ps_wm_choose_fn choose);

/* The hooks of atomic.h, for green thread t; order is a memory_order. */
void ps_wm_load(unsigned t, const volatile void *addr, unsigned width,
		uint64_t latest, int order, int forced_latest,
		struct ps_wm_rf *rf);
void ps_wm_store(unsigned t, const volatile void *addr, unsigned width,
		 uint64_t old, uint64_t v, int order, struct ps_wm_rf *rf);
void ps_wm_rmw(unsigned t, const volatile void *addr, unsigned width,
	       uint64_t old, uint64_t v, int order, struct ps_wm_rf *rf);
void ps_wm_fence(unsigned t, int order);

/* Thread t's clock, and its own component (the epoch of its next step). */
void ps_wm_clock(unsigned t, struct ps_vclock *out);
uint32_t ps_wm_epoch(unsigned t);

/* Payload check (above): start of an operation of t, and its end. */
void ps_wm_op_begin(unsigned t);
const volatile void *ps_wm_op_check(unsigned t, struct ps_wm_rf *rf,
				    unsigned *missing);

#endif /* PARTYFUZZ_SCHED_WMEM_H */
