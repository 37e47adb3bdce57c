/*
 * mutex_table.h - the party table's baseline: the same table under one lock.
 *
 * A replica of the operations that bench_table measures (alloc, lookup,
 * retire), with the slot layout of core/src/party_table.c (one 64-bit word
 * [generation:32 | refs:24 | state:8], a free-list link, vc and ctx per
 * slot; a free-list head; one live counter per VC) held in plain fields and
 * guarded by one pthread mutex. Handles, error codes and the recycling
 * policy (generation + 1, PARKED at gen_max) are those of party_table.h, so
 * both tables answer every call of the benchmark alike; bench_table checks
 * that they do on every operation it times.
 *
 * It exists only to be measured against: the lock-free table must beat it
 * (by 2x, bench_table (1)), and it says what the lock-free design buys. References
 * (pt_party_acquire/release) and transitions are not measured and not
 * replicated, so a retired party here is always recycled at once, as
 * pt_party_retire() does when no reference is held.
 *
 * Synchronization: every mt_* call takes the table's mutex for its whole
 * body, so any calls may run concurrently; none is lock-free, and none may
 * run at DISPATCH_LEVEL in the system being modelled (it blocks).
 */
#ifndef PARTYFUZZ_BENCH_MUTEX_TABLE_H
#define PARTYFUZZ_BENCH_MUTEX_TABLE_H

#include <stdint.h>

#include "partyfuzz/party_table.h"

struct mt_table;

/**
 * mt_table_create() - allocate a locked table.
 * @cfg: as pt_table_create().
 * @out: receives the table.
 *
 * Context: PASSIVE_LEVEL; not concurrent with anything on the new table.
 * Return: the errors of pt_table_create().
 */
PT_NODISCARD int mt_table_create(const struct pt_config *cfg,
				 struct mt_table **out);

/**
 * mt_table_destroy() - free a table; NULL is a no-op.
 * @t: the table; no call may be in flight.
 *
 * Context: PASSIVE_LEVEL.
 */
void mt_table_destroy(struct mt_table *t);

/**
 * mt_party_alloc() - pt_party_alloc() under the table's mutex.
 * @t: the table.
 * @vc: VC index.
 * @initial: first state, live.
 * @ctx: caller's context word.
 * @out: receives the handle.
 *
 * Context: blocks on the table's mutex; any thread.
 * Return: as pt_party_alloc().
 */
PT_NODISCARD int mt_party_alloc(struct mt_table *t, uint32_t vc,
				enum pt_party_state initial, uintptr_t ctx,
				pt_handle_t *out);

/**
 * mt_party_lookup() - pt_party_lookup() with @info NULL, under the mutex.
 * @t: the table.
 * @h: any value.
 *
 * Context: blocks on the table's mutex; any thread.
 * Return: as pt_party_lookup().
 */
PT_NODISCARD int mt_party_lookup(struct mt_table *t, pt_handle_t h);

/**
 * mt_party_retire() - pt_party_retire() under the mutex.
 * @t: the table.
 * @h: the party's handle.
 * @expected: the live state the party must be in.
 *
 * Context: blocks on the table's mutex; any thread.
 * Return: as pt_party_retire().
 */
PT_NODISCARD int mt_party_retire(struct mt_table *t, pt_handle_t h,
				 enum pt_party_state expected);

/**
 * mt_vc_live_count() - live parties on a VC; 0 out of range.
 * @t: the table.
 * @vc: VC index.
 *
 * Context: blocks on the table's mutex; any thread.
 */
uint32_t mt_vc_live_count(struct mt_table *t, uint32_t vc);

#endif /* PARTYFUZZ_BENCH_MUTEX_TABLE_H */
