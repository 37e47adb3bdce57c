/*
 * test_litmus.c - litmus tests of the scheduler's weak-memory mode
 * (wmem.h): for each classic shape and choice of memory orders, every
 * outcome the C11 memory model allows must come out of some schedule, and
 * no outcome it forbids may ever come out.
 *
 * Each case runs its threads under ps_sched_run() in weak mode over
 * LITMUS_RUNS schedules of LITMUS_BYTES pseudo-random bytes (a fixed
 * linear congruential sequence per case: deterministic, the same on every
 * build), once with the uniform walk and once with the weighted one
 * (sched.h), counts the outcomes and checks them against its table:
 *
 *   ALLOWED      C11 allows it: it must be produced at least once;
 *   FORBIDDEN    C11 forbids it for these orders: never produced;
 *   UNPRODUCIBLE C11 allows it, but the mode cannot produce it by design
 *                (wmem.h): a load reads only stores already executed, so
 *                no load-buffering (LB) outcome, and each location's
 *                modification order is the execution order, so no 2+2W
 *                outcome that needs the opposite order. Checked never to
 *                appear, so a change of the design shows here first.
 *
 * Shapes (x, y initially 0; r* registers, read at the end):
 *   MP     T0: x = 1; y = 1            T1: r0 = y; r1 = x
 *   SB     T0: x = 1; r0 = y           T1: y = 1; r1 = x
 *   LB     T0: r0 = x; y = 1           T1: r1 = y; x = 1
 *   IRIW   T0: x = 1  T1: y = 1  T2: r0 = x; r1 = y  T3: r2 = y; r3 = x
 *   CoRR   T0: x = 1; x = 2            T1: r0 = x; r1 = x
 *   2+2W   T0: x = 1; y = 2            T1: y = 1; x = 2   (final x, y)
 * The outcome table is printed as TAP comments: `# litmus <case>, <walk>:
 * <outcome> <verdict> produced <n>`.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pt_test.h"
#include "sched.h"

#define LITMUS_RUNS 20000
#define LITMUS_BYTES 24
#define LITMUS_MAX_OUT 16
#define RLX memory_order_relaxed
#define ACQ memory_order_acquire
#define REL memory_order_release
#define SC memory_order_seq_cst

enum verdict { ALLOWED, FORBIDDEN, UNPRODUCIBLE };

static const char *const verdict_names[] = { "allowed", "forbidden",
					     "allowed, unproducible" };

static _Atomic uint64_t X, Y;
static uint64_t r[4];

/* The orders of the case running: loads, stores, what T1 does between its
 * loads in MP (1: an acquire fence). */
static struct {
	int ld, st, ld2, st2, fence;
} O;

static uint64_t ld(_Atomic uint64_t *p, int mo)
{
	uint64_t v;

	pt_sched_yield_point("load", p);
	v = atomic_load_explicit(p, (memory_order)mo);
	return pt_sched_loaded(p, 8, v, mo);
}

static void st(_Atomic uint64_t *p, uint64_t v, int mo)
{
	uint64_t old;

	pt_sched_yield_point("store", p);
	old = atomic_load_explicit(p, memory_order_relaxed);
	atomic_store_explicit(p, v, (memory_order)mo);
	pt_sched_stored(p, 8, old, v, mo);
}

static void fence(int mo)
{
	pt_sched_yield_point("fence", NULL);
	atomic_thread_fence((memory_order)mo);
	pt_sched_fenced(mo);
}

/* ---- shapes ------------------------------------------------------------ */

/* MP: O.st for the data store x, O.st2 for the flag y; O.ld for the flag
 * load, O.ld2 for the data load; O.fence: acquire fence between them. */
static void mp(unsigned tid, void *arg)
{
	(void)arg;
	if (tid == 0) {
		st(&X, 1, O.st);
		st(&Y, 1, O.st2);
	} else {
		r[0] = ld(&Y, O.ld);
		if (O.fence)
			fence(ACQ);
		r[1] = ld(&X, O.ld2);
	}
}

static void sb(unsigned tid, void *arg)
{
	(void)arg;
	if (tid == 0) {
		st(&X, 1, O.st);
		r[0] = ld(&Y, O.ld);
	} else {
		st(&Y, 1, O.st);
		r[1] = ld(&X, O.ld);
	}
}

static void lb(unsigned tid, void *arg)
{
	(void)arg;
	if (tid == 0) {
		r[0] = ld(&X, O.ld);
		st(&Y, 1, O.st);
	} else {
		r[1] = ld(&Y, O.ld);
		st(&X, 1, O.st);
	}
}

static void iriw(unsigned tid, void *arg)
{
	(void)arg;
	switch (tid) {
	case 0:
		st(&X, 1, O.st);
		break;
	case 1:
		st(&Y, 1, O.st);
		break;
	case 2:
		r[0] = ld(&X, O.ld);
		r[1] = ld(&Y, O.ld);
		break;
	default:
		r[2] = ld(&Y, O.ld);
		r[3] = ld(&X, O.ld);
		break;
	}
}

static void corr(unsigned tid, void *arg)
{
	(void)arg;
	if (tid == 0) {
		st(&X, 1, O.st);
		st(&X, 2, O.st);
	} else {
		r[0] = ld(&X, O.ld);
		r[1] = ld(&X, O.ld);
	}
}

static void w22(unsigned tid, void *arg)
{
	(void)arg;
	if (tid == 0) {
		st(&X, 1, O.st);
		st(&Y, 2, O.st);
	} else {
		st(&Y, 1, O.st);
		st(&X, 2, O.st);
	}
}

/* ---- runner ------------------------------------------------------------ */

struct litmus {
	const char *name;
	ps_body_fn body;
	unsigned nthreads;
	unsigned nregs; /* registers in the outcome; 0: final x, y */
	unsigned base;  /* values a register takes: 0 .. base - 1 */
	const char *forbidden[LITMUS_MAX_OUT];    /* outcome strings */
	const char *unproducible[LITMUS_MAX_OUT]; /* allowed, never made */
};

/* "r0r1..." digits of the outcome, or the final "xy". */
static void outcome_of(const struct litmus *l, char *buf)
{
	unsigned i;

	if (l->nregs == 0) {
		buf[0] = (char)('0' + atomic_load(&X));
		buf[1] = (char)('0' + atomic_load(&Y));
		buf[2] = '\0';
		return;
	}
	for (i = 0; i < l->nregs; i++)
		buf[i] = (char)('0' + r[i]);
	buf[l->nregs] = '\0';
}

static int listed(const char *const *list, const char *o)
{
	unsigned i;

	for (i = 0; i < LITMUS_MAX_OUT && list[i] != NULL; i++)
		if (strcmp(list[i], o) == 0)
			return 1;
	return 0;
}

static void run_litmus_mode(struct pt_test *test, const struct litmus *l,
			    enum ps_mode mode)
{
	unsigned count[256] = { 0 };
	unsigned nout = 1, i, k, n;
	uint32_t seed = 0x9e3779b9u;
	uint8_t bytes[LITMUS_BYTES];
	char o[8];

	for (i = 0; i < (l->nregs ? l->nregs : 2); i++)
		nout *= l->base;
	for (n = 0; n < LITMUS_RUNS; n++) {
		struct ps_run run;

		for (k = 0; k < LITMUS_BYTES; k++) {
			seed = seed * 1664525u + 1013904223u;
			bytes[k] = (uint8_t)(seed >> 24);
		}
		atomic_store(&X, 0);
		atomic_store(&Y, 0);
		memset(r, 0, sizeof(r));
		memset(&run, 0, sizeof(run));
		run.mode = mode;
		run.nthreads = l->nthreads;
		for (i = 0; i < l->nthreads; i++)
			run.events[i] = 2; /* each thread's 2 atomics */
		run.bytes = bytes;
		run.len = sizeof(bytes);
		run.max_steps = 64;
		run.pct_horizon = 1;
		run.body = l->body;
		run.weak = 1;
		PT_ASSERT_EQ(test, ps_sched_run(&run), PS_DONE);
		outcome_of(l, o);
		/* The outcome as a number in base l->base. */
		for (i = 0, k = 0; o[i] != '\0'; i++)
			k = k * l->base + (unsigned)(o[i] - '0');
		PT_ASSERT_TRUE(test, k < nout);
		count[k]++;
	}
	for (k = 0; k < nout; k++) {
		enum verdict v = ALLOWED;
		unsigned j, d = l->nregs ? l->nregs : 2;

		for (j = d, i = k; j-- > 0; i /= l->base)
			o[j] = (char)('0' + i % l->base);
		o[d] = '\0';
		if (listed(l->forbidden, o))
			v = FORBIDDEN;
		else if (listed(l->unproducible, o))
			v = UNPRODUCIBLE;
		printf("# litmus %s, %s: %s %s produced %u\n", l->name,
		       mode == PS_MODE_WEIGHTED ? "weighted" : "uniform", o,
		       verdict_names[v], count[k]);
		if (v == ALLOWED)
			PT_EXPECT_NE(test, count[k], 0);
		else
			PT_EXPECT_EQ(test, count[k], 0);
	}
}

/* Both walks that choose loads' stores from the bytes: the uniform one,
 * and the weighted one, whose generator chooses once the bytes are spent
 * (sched.h). */
static void run_litmus(struct pt_test *test, const struct litmus *l)
{
	run_litmus_mode(test, l, PS_MODE_UNIFORM);
	run_litmus_mode(test, l, PS_MODE_WEIGHTED);
}

#define ORDERS(ld_, st_, ld2_, st2_, fence_)                                  \
	do {                                                                  \
		O.ld = (ld_);                                                 \
		O.st = (st_);                                                 \
		O.ld2 = (ld2_);                                               \
		O.st2 = (st2_);                                               \
		O.fence = (fence_);                                           \
	} while (0)

/* MP: outcomes r0 (flag) r1 (data). */
static void test_mp_relaxed(struct pt_test *test)
{
	static const struct litmus l = { "MP relaxed", mp,      2, 2, 2,
					 { NULL },     { NULL } };

	ORDERS(RLX, RLX, RLX, RLX, 0);
	run_litmus(test, &l); /* 10: the stale data read */
}

static void test_mp_release_relaxed(struct pt_test *test)
{
	static const struct litmus l = {
		"MP release/relaxed", mp, 2, 2, 2, { NULL }, { NULL }
	};

	ORDERS(RLX, RLX, RLX, REL, 0); /* release flag, relaxed flag load */
	run_litmus(test, &l);
}

static void test_mp_release_acquire(struct pt_test *test)
{
	static const struct litmus l = {
		"MP release/acquire", mp, 2, 2, 2, { "10", NULL }, { NULL }
	};

	ORDERS(ACQ, RLX, RLX, REL, 0);
	run_litmus(test, &l);
}

static void test_mp_release_fence(struct pt_test *test)
{
	static const struct litmus l = { "MP release/relaxed+fence acquire",
					 mp,
					 2,
					 2,
					 2,
					 { "10", NULL },
					 { NULL } };

	ORDERS(RLX, RLX, RLX, REL, 1);
	run_litmus(test, &l);
}

/* SB: outcomes r0 (T0 read y) r1 (T1 read x). */
static void test_sb_relaxed(struct pt_test *test)
{
	static const struct litmus l = { "SB relaxed", sb,      2, 2, 2,
					 { NULL },     { NULL } };

	ORDERS(RLX, RLX, 0, 0, 0);
	run_litmus(test, &l);
}

static void test_sb_release_acquire(struct pt_test *test)
{
	static const struct litmus l = {
		"SB release/acquire", sb, 2, 2, 2, { NULL }, { NULL }
	};

	ORDERS(ACQ, REL, 0, 0, 0);
	run_litmus(test, &l);
}

static void test_sb_seq_cst(struct pt_test *test)
{
	static const struct litmus l = { "SB seq_cst",   sb,      2, 2, 2,
					 { "00", NULL }, { NULL } };

	ORDERS(SC, SC, 0, 0, 0);
	run_litmus(test, &l);
}

/* LB: outcomes r0 (T0 read x) r1 (T1 read y). */
static void test_lb_relaxed(struct pt_test *test)
{
	static const struct litmus l = { "LB relaxed",  lb, 2, 2, 2, { NULL },
					 { "11", NULL } };

	ORDERS(RLX, RLX, 0, 0, 0);
	run_litmus(test, &l);
}

static void test_lb_release_acquire(struct pt_test *test)
{
	static const struct litmus l = {
		"LB release/acquire", lb, 2, 2, 2, { "11", NULL }, { NULL }
	};

	ORDERS(ACQ, REL, 0, 0, 0);
	run_litmus(test, &l);
}

/* IRIW: outcomes r0 r1 (T2: x, y) r2 r3 (T3: y, x). */
static void test_iriw_release_acquire(struct pt_test *test)
{
	static const struct litmus l = {
		"IRIW release/acquire", iriw, 4, 4, 2, { NULL }, { NULL }
	};

	ORDERS(ACQ, REL, 0, 0, 0);
	run_litmus(test, &l); /* 1010: the readers disagree on the order */
}

static void test_iriw_seq_cst(struct pt_test *test)
{
	static const struct litmus l = { "IRIW seq_cst",   iriw,    4, 4, 2,
					 { "1010", NULL }, { NULL } };

	ORDERS(SC, SC, 0, 0, 0);
	run_litmus(test, &l);
}

/* CoRR: outcomes r0 r1, each 0..2; a later read never sees an older
 * store, whatever the orders. */
static void test_corr_relaxed(struct pt_test *test)
{
	static const struct litmus l = {
		"CoRR relaxed", corr, 2, 2, 3, { "10", "20", "21", NULL },
		{ NULL }
	};

	ORDERS(RLX, RLX, 0, 0, 0);
	run_litmus(test, &l);
}

/* 2+2W: outcome the final x y, each 0..2 (0 never: both are written). */
static void test_2_2w_relaxed(struct pt_test *test)
{
	static const struct litmus l = {
		"2+2W relaxed",
		w22,
		2,
		0,
		3,
		{ "00", "01", "02", "10", "20", NULL },
		{ "11", NULL }
	};

	ORDERS(0, RLX, 0, 0, 0);
	run_litmus(test, &l);
}

static void test_2_2w_release(struct pt_test *test)
{
	static const struct litmus l = {
		"2+2W release",
		w22,
		2,
		0,
		3,
		{ "00", "01", "02", "10", "20", NULL },
		{ "11", NULL }
	};

	ORDERS(0, REL, 0, 0, 0);
	run_litmus(test, &l);
}

static void test_2_2w_seq_cst(struct pt_test *test)
{
	static const struct litmus l = {
		"2+2W seq_cst",
		w22,
		2,
		0,
		3,
		{ "00", "01", "02", "10", "20", "11", NULL },
		{ NULL }
	};

	ORDERS(0, SC, 0, 0, 0);
	run_litmus(test, &l);
}

static const struct pt_test_case cases[] = {
	PT_TEST_CASE(test_mp_relaxed),
	PT_TEST_CASE(test_mp_release_relaxed),
	PT_TEST_CASE(test_mp_release_acquire),
	PT_TEST_CASE(test_mp_release_fence),
	PT_TEST_CASE(test_sb_relaxed),
	PT_TEST_CASE(test_sb_release_acquire),
	PT_TEST_CASE(test_sb_seq_cst),
	PT_TEST_CASE(test_lb_relaxed),
	PT_TEST_CASE(test_lb_release_acquire),
	PT_TEST_CASE(test_iriw_release_acquire),
	PT_TEST_CASE(test_iriw_seq_cst),
	PT_TEST_CASE(test_corr_relaxed),
	PT_TEST_CASE(test_2_2w_relaxed),
	PT_TEST_CASE(test_2_2w_release),
	PT_TEST_CASE(test_2_2w_seq_cst),
	PT_TEST_END,
};

PT_TEST_MAIN("sched_litmus", cases)
