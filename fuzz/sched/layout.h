/*
 * layout.h - name the words a party table's atomics touch.
 *
 * A failure report wants "slot 2 word: gen 3 refs 1 ACTIVE" rather than a
 * heap address. The layout is private to party_table.c, so the table names
 * its own words (_pt_table_word(), party_table.h); this is the thin
 * adapter the scheduler's trace printer calls.
 *
 * Context: quiescent points, or from the scheduler's trace printer.
 */
#ifndef PARTYFUZZ_SCHED_LAYOUT_H
#define PARTYFUZZ_SCHED_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "partyfuzz/party_table.h"

struct ps_layout {
	const struct pt_table *t;      /* NULL: nothing is named */
	const volatile uint64_t *mbox; /* a harness's mailboxes, or NULL */
	unsigned nmbox;
};

/* Remember table t for naming (not modified). */
void ps_layout_learn(struct ps_layout *l, const struct pt_table *t);

/* Name n 64-bit words at mbox "T<i> mailbox" (values: handles). */
void ps_layout_mailboxes(struct ps_layout *l, const volatile void *mbox,
			 unsigned n);

/* Does a store of v over old at addr publish party state (a
 * ps_payload_fn, _pt_table_publishes())? */
int ps_layout_publishes(const void *layout, const volatile void *addr,
			uint64_t old, uint64_t v);

/* Width in bytes of the word at addr (a ps_width_fn); 0 if unknown. */
unsigned ps_layout_width(const void *layout, const volatile void *addr);

/* A stable name of the location at addr (a ps_loc_fn, for the
 * scheduler's hand-off features): 1 + N for the words of slot N, 0x200
 * for the free-list head, 0x100 + i for mailbox i, 0 if unknown. */
unsigned ps_layout_loc(const void *layout, const volatile void *addr);

/* "slot 2 word", "free head", "slot 1 next" or the raw address. */
void ps_layout_name(const struct ps_layout *l, const volatile void *addr,
		    char *buf, size_t len);

/* The value of the word at addr, decoded ("gen 3 refs 1 ACTIVE",
 * "top slot 1 aba 4", "3"); "?" if unknown. */
void ps_layout_value(const struct ps_layout *l, const volatile void *addr,
		     uint64_t v, char *buf, size_t len);

#endif /* PARTYFUZZ_SCHED_LAYOUT_H */
