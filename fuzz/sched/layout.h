/*
 * layout.h - name the words a party table's atomics touch.
 *
 * The table's layout is private to party_table.c. A failure report still
 * wants "slot 2 word: gen 3 refs 1 ACTIVE" rather than a heap address, so
 * the layout is learned at run time from read-only calls whose first
 * atomic is documented by their contract (lookup loads the slot word,
 * pt_vc_live_count loads the VC counter, validate starts at the free-list
 * head) and, once per process, from one allocation on a private probe
 * table (the offsets of the link, vc and ctx fields within a slot). If
 * the table changes shape and a probe does not look as expected, names
 * fall back to raw addresses: reports degrade, checks do not.
 *
 * Context: scheduled build only (the probes read the yield-point log);
 * quiescent points, outside a scheduler run.
 */
#ifndef PARTYFUZZ_SCHED_LAYOUT_H
#define PARTYFUZZ_SCHED_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "partyfuzz/party_table.h"

struct ps_layout {
	int known;           /* the probes matched: names available */
	uintptr_t free_head; /* 8-byte [aba:32 | index+1:32] */
	uintptr_t slots;     /* &slot[0].word */
	size_t stride;       /* bytes per slot */
	size_t off_next, off_vc, off_ctx;
	uint32_t capacity;
	uintptr_t vc_live; /* &vc_live[0], 4 bytes each */
	uint32_t vc_count;
};

/**
 * ps_layout_learn() - learn where the words of table t live.
 * @l: receives the layout (l->known = 0 if a probe did not match).
 * @t: the table, quiescent; not modified (read-only calls only).
 *
 * Context: outside ps_sched_run(); scheduled build.
 */
void ps_layout_learn(struct ps_layout *l, const struct pt_table *t);

/* Width in bytes of the word at addr (a ps_width_fn); 0 if unknown. */
unsigned ps_layout_width(const void *layout, const volatile void *addr);

/* "slot 2 word", "free head", "vc_live[1]" or the raw address. */
void ps_layout_name(const struct ps_layout *l, const volatile void *addr,
		    char *buf, size_t len);

/* The value of the word at addr, decoded ("gen 3 refs 1 ACTIVE",
 * "top slot 1 aba 4", "3"). */
void ps_layout_value(const struct ps_layout *l, const volatile void *addr,
		     uint64_t v, char *buf, size_t len);

#endif /* PARTYFUZZ_SCHED_LAYOUT_H */
