/*
 * fault.h - planted faults, one compile-time switch for the whole core.
 *
 * Building with -DPT_FAULT=<id> plants exactly one known bug so that a test
 * can require the harness to find it (the negative tests of ctest label
 * `mutants`). Normal builds define nothing and every PT_FAULT_IS() is 0.
 * Ids are explicit and only ever appended; each names the target expected
 * to catch it.
 */
#ifndef PARTYFUZZ_FAULT_H
#define PARTYFUZZ_FAULT_H

#ifndef PT_FAULT
#define PT_FAULT 0
#endif

/* Recycling keeps the generation: stale handles validate again
 * (fuzz_party_table: lookup of a retired handle answers PT_OK). */
#define PT_FAULT_NO_GEN_BUMP 1
/* Transition split into load, check, plain store: two racing transitions
 * can both win (fuzz_table_sched). */
#define PT_FAULT_SPLIT_CAS 2
/* Retire recycles the slot although references are held
 * (fuzz_party_table: release after retire fails, slot reused early). */
#define PT_FAULT_RECYCLE_REFERENCED 3
/* alloc publishes the party word with a relaxed store instead of release
 * (fuzz_table_sched in its weak-memory mode). */
#define PT_FAULT_RELAXED_PUBLISH 4
/* Handle decoder accepts index == capacity (fuzz_party_table, ASan
 * heap-buffer-overflow). */
#define PT_FAULT_INDEX_OFF_BY_ONE 5
/* 6: withdrawn with the table's per-VC counters (party_table.c I6); a
 * party counted twice is now the engine's PT_FAULT_CN_COUNT_PARTY_TWICE. */
/*
 * Race-only faults: run sequentially, each behaves exactly like the
 * correct table, so fuzz_party_table cannot see them (ctest
 * fuzz_party_table_<fault>_misses); only an interleaving of atomic steps
 * exposes them (fuzz_table_sched, ctest fuzz_table_sched_<fault>).
 */
/* acquire checks liveness with one load, then adds its reference with a
 * blind store: a retire in between recycles the slot, and the store
 * resurrects the retired party with a reference. */
#define PT_FAULT_ACQUIRE_SPLIT 7
/* The free-list head's ABA counter never moves: a pop that read head A
 * and link B commits after others popped A and B and pushed A back, and
 * the head then names the allocated slot B. */
#define PT_FAULT_FREELIST_NO_ABA 8
/* retire always CASes to DEAD, then recycles in a second step if a reload
 * shows no references, without checking the generation: a release that
 * recycled in between is recycled again (slot pushed twice). */
#define PT_FAULT_RETIRE_SPLIT_RECYCLE 9
/* lookup with a snapshot skips the second load of the word: vc and ctx
 * read after a concurrent retire and re-alloc belong to the next life. */
#define PT_FAULT_LOOKUP_NO_RECHECK 10

/* LCOV_EXCL_START: these ids are the right operand of PT_FAULT_IS()
 * below (PT_FAULT == PT_FAULT_<name>), to which llvm-cov maps each use of
 * one; && evaluates it only in a -DPT_FAULT=<id> build, where PT_FAULT is
 * not 0: code only a planted fault compiles in, another build. */
/* Engine (condis_party.c): NdisClDropParty skips the last-party check of A2, so
 * a PMP VC can reach zero parties (cn_call_validate V5, model status). */
#define PT_FAULT_CN_NO_LAST_PARTY_CHECK 11
/* Engine: an add-party success counts the party twice in the VC's active
 * counter (cn_call_validate V2). */
#define PT_FAULT_CN_COUNT_PARTY_TWICE 12
/* Engine: ProtocolClDropPartyComplete is delivered twice (reference
 * client: use-after-free under ASan; end check C2). */
#define PT_FAULT_CN_DOUBLE_DELIVERY 13

/*
 * Memory-order faults: one ordered atomic of party_table.c weakened to
 * relaxed (an acquire fence: left out), each named after its call site.
 * Sequentially consistent, each behaves exactly like the correct table;
 * only the weak-memory mode of fuzz_table_sched (fuzz/sched/wmem.h) can
 * tell (ctest fuzz_table_sched_wm_<fault>). PT_FAULT_RELAXED_PUBLISH (4)
 * is the first of them. party_table.h's memory-ordering table says what
 * each order pairs with.
 */
/* freelist_push: the CAS that pushes a slot, release -> relaxed. */
#define PT_FAULT_PUSH_RELAXED 14
/* freelist_pop: the first load of the head, acquire -> relaxed. */
#define PT_FAULT_POP_LOAD_RELAXED 15
/* freelist_pop: the CAS that pops, acquire -> relaxed. */
#define PT_FAULT_POP_CAS_RELAXED 16
/* alloc: the store of vc, release -> relaxed. */
#define PT_FAULT_ALLOC_VC_RELAXED 17
/* alloc: the store of ctx, release -> relaxed. */
#define PT_FAULT_ALLOC_CTX_RELAXED 18
/* lookup: the first load of the slot word, acquire -> relaxed. */
#define PT_FAULT_LOOKUP_LOAD_RELAXED 19
/* lookup: the acquire fence after reading vc and ctx, left out. */
#define PT_FAULT_LOOKUP_NO_FENCE 20
/* lookup: the second load of the slot word, acquire -> relaxed. */
#define PT_FAULT_LOOKUP_RECHECK_RELAXED 21
/* acquire: the first load of the slot word, acquire -> relaxed. */
#define PT_FAULT_ACQUIRE_LOAD_RELAXED 22
/* acquire: the CAS that adds the reference, acq_rel -> relaxed. */
#define PT_FAULT_ACQUIRE_CAS_RELAXED 23
/* release: the first load of the slot word, acquire -> relaxed. */
#define PT_FAULT_RELEASE_LOAD_RELAXED 24
/* release: the CAS that drops the reference, acq_rel -> relaxed. */
#define PT_FAULT_RELEASE_CAS_RELAXED 25
/* transition: the first load of the slot word, acquire -> relaxed. */
#define PT_FAULT_TRANSITION_LOAD_RELAXED 26
/* transition: the CAS of the new state, acq_rel -> relaxed. */
#define PT_FAULT_TRANSITION_CAS_RELAXED 27
/* retire: the first load of the slot word, acquire -> relaxed. */
#define PT_FAULT_RETIRE_LOAD_RELAXED 28
/* retire: the CAS that ends the party, acq_rel -> relaxed. */
#define PT_FAULT_RETIRE_CAS_RELAXED 29
/* pt_vc_live_count: the load of each slot word, acquire -> relaxed. No
 * ctest: fuzz_table_sched counts at quiescent points only (party_table.h,
 * M17). */
#define PT_FAULT_LIVE_COUNT_LOAD_RELAXED 30
/* LCOV_EXCL_STOP */

/* A plain-memory race, for ThreadSanitizer rather than the weak-memory
 * mode: lookup counts its calls in a plain field of the table, written by
 * every thread without synchronization (fuzz_table_sched under TSan, whose
 * green threads switch without happens-before: ctest
 * fuzz_table_sched_tsan_plain_stats). */
#define PT_FAULT_PLAIN_STATS 31

/* A name that is not defined (a typo, or a withdrawn id) is never true,
 * even in the normal build: #if treats it as 0, and PT_FAULT is 0 there. */
#define PT_FAULT_IS(name) (PT_FAULT != 0 && PT_FAULT == PT_FAULT_##name)

/* The ordered atomic `ordered`, or with memory-order fault `name` planted
 * its relaxed twin `relaxed` (same signature): PT_ORDER(..)(args). */
#define PT_ORDER(name, ordered, relaxed)                                      \
	(PT_FAULT_IS(name) ? (relaxed) : (ordered))

#endif /* PARTYFUZZ_FAULT_H */
