/*
 * lincheck.h - history recorder and linearizability checker for the party
 * table, with the sequential model (fuzz/model/table_model.h) as the
 * specification.
 *
 * A history is a list of operations, each with its arguments, its answer
 * and the logical times of its invocation and response. Operations of one
 * history thread are sequential; different threads overlap. The history is
 * linearizable if some total order of the operations (a) keeps each
 * thread's program order, (b) keeps real-time order: an operation that
 * responded before another was invoked comes first, and (c) makes the
 * model give every operation exactly the recorded answer, handles and
 * snapshots included (Herlihy & Wing 1990).
 *
 * Weak memory (lc_history.weak, the scheduler's weak-memory mode): a load
 * may read a store that is not the latest, so "responded before the other
 * was invoked" in step order no longer means the first operation's effect
 * is visible to the second. There, (b) is the happens-before order: an
 * operation of green thread t precedes one of green thread u iff u's
 * vector clock at the invocation covers the epoch of the last atomic step
 * t took by the response (lc_op.inv_clock, resp_epoch). The prefix P and
 * the suffix Q keep real-time order (thread creation and join are
 * happens-before edges). And the check is per slot: each slot's
 * operations (those naming a handle of it, and the allocs that got it)
 * must be linearizable on their own, in program order and happens-before
 * order, with the free list a set (an alloc may get any free slot of the
 * model, with its generation). That is what a table of release/acquire
 * atomics can promise: one slot word per party, so two threads that each
 * change one party and then read the other's (store buffering, SB in
 * fuzz/sched/test_litmus.c) may both read the old state, which no single
 * order of the whole history explains; and a release-only push orders
 * nothing but itself, so a thread may pop below a push it does not see.
 * Allocs that answer PT_E_FULL and live counts depend on every slot and
 * are checked in sequentially consistent runs only; answers that depend
 * on no state (NULL, foreign or malformed handles) are checked with
 * slot 0.
 *
 * One relaxation, a documented property of the table rather than a
 * weakness of the check: a slot whose last life ends (retire without
 * references, or the last release of a DEAD party) is recycled by the CAS
 * but pushed on the free list by a second, later atomic of the same call.
 * In between, allocations do not see it, and concurrent recyclers may push
 * in either order. The checker therefore takes the model's recycled slot
 * off the model's free list at the operation's linearization point and
 * puts it back by a separate "push" step, which may be linearized at any
 * point after the operation and before its response (before any operation
 * invoked after that response). Everything else is strict.
 *
 * The search is a depth-first search over the next operation of each
 * thread (Wing & Gong 1993) with memoisation of (per-thread progress,
 * pending pushes, model state) (Lowe 2017): exponential only in the
 * number of states that really differ, fine for 4 threads x 4 operations.
 *
 * Context: single-threaded; static buffers, not reentrant.
 */
#ifndef PARTYFUZZ_SCHED_LINCHECK_H
#define PARTYFUZZ_SCHED_LINCHECK_H

#include <stdint.h>
#include <stdio.h>

#include "model/table_model.h"
#include "partyfuzz/party_table.h"

#define LC_MAX_THREADS 6 /* prefix, 4 green threads, quiescent suffix */
#define LC_MAX_OPS 96
#define LC_MAX_CAPACITY 8
#define LC_MAX_VCS 4
#define LC_MAX_GREEN 4 /* green threads with clocks (PS_MAX_THREADS) */

enum lc_kind {
	LC_ALLOC = 0,
	LC_LOOKUP = 1,
	LC_ACQUIRE = 2,
	LC_RELEASE = 3,
	LC_TRANSITION = 4,
	LC_RETIRE = 5,
	LC_LIVE_COUNT = 6, /* quiescent only: pt_vc_live_count */
	LC_KIND_COUNT = 7,
};

struct lc_op {
	uint8_t thread;   /* history thread, < LC_MAX_THREADS */
	uint8_t kind;     /* enum lc_kind */
	uint8_t snapshot; /* LC_LOOKUP: with a pt_party_info */
	uint8_t s1, s2;   /* alloc initial; transition from, to; retire exp. */
	uint32_t vc;      /* alloc, live count */
	uintptr_t ctx;    /* alloc */
	pt_handle_t h;    /* the handle argument */
	/* answer */
	int rc;                    /* return code; live count: the count */
	pt_handle_t out;           /* alloc: the new handle */
	struct pt_party_info info; /* lookup with snapshot */
	/* times: logical clock for the check, steps for the report */
	uint32_t inv, resp;
	uint32_t inv_step, resp_step;
	/* weak histories: 1 + green thread, 0 for P and Q; its clock at the
	 * invocation; the epoch of its last step at the response (0: none) */
	uint8_t green;
	uint32_t inv_clock[LC_MAX_GREEN];
	uint32_t resp_epoch;
};

struct lc_history {
	unsigned n;
	uint32_t clock;
	int weak; /* precedence is happens-before (above) */
	struct lc_op ops[LC_MAX_OPS];
};

void lc_history_init(struct lc_history *hist);

/**
 * lc_invoke() - append an operation at its invocation.
 * @hist: the history.
 * @op: arguments (thread, kind, ...); times are filled in.
 * @step: the scheduler's step count now.
 *
 * Context: the calling (green) thread, just before the call.
 * Return: the operation's index, or -1 if the history is full (the caller
 * stops issuing operations).
 */
int lc_invoke(struct lc_history *hist, const struct lc_op *op, uint32_t step);

/* Record the answer of operation `i` at its response. */
void lc_respond(struct lc_history *hist, int i, uint32_t step);

/**
 * lc_check() - is the history linearizable with respect to the model?
 * @hist: a complete history (every operation responded).
 * @init: the model of the table's initial state.
 * @report: NULL, or a stream receiving the witness of a failure: the
 *          longest linearizable prefix found and what the model answers
 *          for each thread's next operation after it.
 *
 * Context: single-threaded.
 * Return: 1 linearizable; 0 not linearizable; -1 inconclusive (search
 * budget exhausted; capacity or VC count above the LC_MAX_* limits).
 */
int lc_check(const struct lc_history *hist, const struct tm_model *init,
	     FILE *report);

/* "alloc", "lookup", ...; "?" for unknown kinds. */
const char *lc_kind_name(unsigned kind);

/* Print one operation / the whole history, one line each. */
void lc_print_op(FILE *f, const struct lc_op *op);
void lc_print_history(FILE *f, const struct lc_history *hist);

/* Nodes the last lc_check() explored (for figures and budgets). */
unsigned long lc_last_nodes(void);

#endif /* PARTYFUZZ_SCHED_LINCHECK_H */
