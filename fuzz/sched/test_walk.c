/*
 * test_walk.c - the weighted walk (PS_MODE_WEIGHTED) and the interleaving
 * features of the scheduler (sched.h).
 *
 *   - the weighted walk picks a thread with probability proportional to
 *     the steps it has left: the first choice between a 1-step and a
 *     9-step thread, over the 256 values of its byte, goes 26 times to
 *     the short one (uniform: 128);
 *   - it samples the 6 interleavings of two 2-step threads alike (1/6
 *     each), where the uniform walk gives the two that run one thread to
 *     its end first 1/4 each;
 *   - once the bytes are spent it goes on from its generator: the empty
 *     schedule still interleaves, and replays the same steps;
 *   - the features are a function of the input: the same schedule counts
 *     the same counters, none with feedback off, and a load reading a
 *     stale store counts a reads-from feature the latest store does not.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pt_test.h"
#include "sched.h"

static _Atomic uint64_t X, Y;
static unsigned NSTORES[2];
static uint64_t r[2];

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

/* Thread t stores NSTORES[t] times, to X (T0) or Y (T1). */
static void stores(unsigned tid, void *arg)
{
	unsigned i;

	(void)arg;
	for (i = 0; i < NSTORES[tid]; i++)
		st(tid == 0 ? &X : &Y, i + 1, memory_order_relaxed);
}

/* MP, relaxed: T0 x = 1; y = 1; T1 r0 = y; r1 = x. */
static void mp(unsigned tid, void *arg)
{
	(void)arg;
	if (tid == 0) {
		st(&X, 1, memory_order_relaxed);
		st(&Y, 1, memory_order_relaxed);
	} else {
		r[0] = ld(&Y, memory_order_relaxed);
		r[1] = ld(&X, memory_order_relaxed);
	}
}

static void setup(struct ps_run *run, enum ps_mode mode, ps_body_fn body,
		  const uint8_t *bytes, size_t len)
{
	atomic_store(&X, 0);
	atomic_store(&Y, 0);
	memset(r, 0, sizeof(r));
	memset(run, 0, sizeof(*run));
	run->mode = mode;
	run->nthreads = 2;
	run->bytes = bytes;
	run->len = len;
	run->max_steps = 64;
	run->pct_horizon = 1;
	run->body = body;
	run->events[0] = NSTORES[0];
	run->events[1] = NSTORES[1];
}

/* The threads of the last run's steps, as digits ("0011"). */
static void order_of(char *buf, size_t len)
{
	const struct ps_step *s = ps_sched_steps();
	unsigned i, n = ps_sched_step_count();

	for (i = 0; i < n && i + 1 < len; i++)
		buf[i] = (char)('0' + s[i].thread);
	buf[i] = '\0';
}

static void test_weighted_first_choice(struct pt_test *test)
{
	unsigned b, first_short[2] = { 0, 0 };
	enum ps_mode modes[2] = { PS_MODE_WEIGHTED, PS_MODE_UNIFORM };
	unsigned m;

	NSTORES[0] = 1;
	NSTORES[1] = 9;
	for (m = 0; m < 2; m++)
		for (b = 0; b < 256; b++) {
			uint8_t byte = (uint8_t)b;
			struct ps_run run;

			setup(&run, modes[m], stores, &byte, 1);
			PT_ASSERT_EQ(test, ps_sched_run(&run), PS_DONE);
			PT_ASSERT_EQ(test, ps_sched_step_count(), 10);
			if (ps_sched_steps()[0].thread == 0)
				first_short[m]++;
		}
	/* weighted: b * 10 / 256 < 1 for b = 0..25; uniform: b even */
	PT_EXPECT_EQ(test, first_short[0], 26);
	PT_EXPECT_EQ(test, first_short[1], 128);
}

static void test_weighted_samples_interleavings_alike(struct pt_test *test)
{
	static const char *const orders[6] = { "0011", "0101", "0110",
					       "1001", "1010", "1100" };
	unsigned count[2][6] = { { 0 } }, n, k, m;
	enum ps_mode modes[2] = { PS_MODE_WEIGHTED, PS_MODE_UNIFORM };
	uint32_t seed = 0x2545f491u;
	uint8_t bytes[8];
	char o[8];

	NSTORES[0] = 2;
	NSTORES[1] = 2;
	for (n = 0; n < 6000; n++) {
		for (k = 0; k < sizeof(bytes); k++) {
			seed = seed * 1664525u + 1013904223u;
			bytes[k] = (uint8_t)(seed >> 24);
		}
		for (m = 0; m < 2; m++) {
			struct ps_run run;

			setup(&run, modes[m], stores, bytes, sizeof(bytes));
			PT_ASSERT_EQ(test, ps_sched_run(&run), PS_DONE);
			order_of(o, sizeof(o));
			for (k = 0; k < 6 && strcmp(o, orders[k]) != 0; k++)
				;
			PT_ASSERT_TRUE(test, k < 6);
			count[m][k]++;
		}
	}
	for (k = 0; k < 6; k++) {
		printf("# %s: weighted %u, uniform %u of 6000\n", orders[k],
		       count[0][k], count[1][k]);
		/* 1000 expected, standard deviation about 29 */
		PT_EXPECT_TRUE(test, count[0][k] > 850 && count[0][k] < 1150);
	}
	/* the uniform walk: 1/4 for 0011 and 1100, 1/8 for the others */
	PT_EXPECT_TRUE(test, count[1][0] > 1350 && count[1][5] > 1350);
	PT_EXPECT_TRUE(test, count[1][1] < 900);
}

static void test_weighted_spent_bytes_go_on(struct pt_test *test)
{
	char a[32], b[32], u[32];
	struct ps_run run;

	NSTORES[0] = 8;
	NSTORES[1] = 8;
	setup(&run, PS_MODE_WEIGHTED, stores, NULL, 0);
	PT_ASSERT_EQ(test, ps_sched_run(&run), PS_DONE);
	order_of(a, sizeof(a));
	setup(&run, PS_MODE_WEIGHTED, stores, NULL, 0);
	PT_ASSERT_EQ(test, ps_sched_run(&run), PS_DONE);
	order_of(b, sizeof(b));
	setup(&run, PS_MODE_UNIFORM, stores, NULL, 0);
	PT_ASSERT_EQ(test, ps_sched_run(&run), PS_DONE);
	order_of(u, sizeof(u));
	printf("# empty schedule: weighted %s, uniform %s\n", a, u);
	PT_EXPECT_STREQ(test, a, b);
	PT_EXPECT_STREQ(test, u, "0000000011111111");
	PT_EXPECT_TRUE(test, strcmp(a, "0000000011111111") != 0 &&
				     strcmp(a, "1111111100000000") != 0);
	PT_EXPECT_EQ(test, strlen(a), 16);
}

/* One MP run in weak mode; the features it counted in *f. */
static void mp_features(const uint8_t *bytes, size_t len, int feedback,
			uint8_t *f)
{
	struct ps_run run;

	NSTORES[0] = 2;
	NSTORES[1] = 2;
	setup(&run, PS_MODE_UNIFORM, mp, bytes, len);
	run.weak = 1;
	run.feedback = feedback;
	ps_sched_features_clear();
	if (ps_sched_run(&run) != PS_DONE)
		memset(f, 0xee, PS_FEATURES);
	else
		memcpy(f, ps_sched_features(), PS_FEATURES);
}

static unsigned nonzero(const uint8_t *f)
{
	unsigned i, n = 0;

	for (i = 0; i < PS_FEATURES; i++)
		n += f[i] != 0;
	return n;
}

static void test_features_are_a_function_of_the_input(struct pt_test *test)
{
	static uint8_t f1[PS_FEATURES], f2[PS_FEATURES], stale[PS_FEATURES],
		fresh[PS_FEATURES];
	uint8_t bytes[8] = { 0 }, sb[8], fb[8];
	uint32_t seed = 0x9e3779b9u;
	int got_stale = 0, got_fresh = 0;
	unsigned n, k;

	/* T0, T0, T1, T1 with every load the latest: r = 1, 1 */
	mp_features(bytes, sizeof(bytes), 1, f1);
	mp_features(bytes, sizeof(bytes), 1, f2);
	PT_EXPECT_TRUE(test, memcmp(f1, f2, PS_FEATURES) == 0);
	PT_EXPECT_TRUE(test, nonzero(f1) > 0);
	mp_features(bytes, sizeof(bytes), 0, f2);
	PT_EXPECT_EQ(test, nonzero(f2), 0);
	/* Schedules where T1 reads y = 1 and then x stale (0), or fresh. */
	for (n = 0; n < 4000 && !(got_stale && got_fresh); n++) {
		for (k = 0; k < sizeof(bytes); k++) {
			seed = seed * 1664525u + 1013904223u;
			bytes[k] = (uint8_t)(seed >> 24);
		}
		mp_features(bytes, sizeof(bytes), 1, f1);
		if (r[0] == 1 && r[1] == 0 && !got_stale) {
			memcpy(stale, f1, PS_FEATURES);
			memcpy(sb, bytes, sizeof(sb));
			got_stale = 1;
		}
		if (r[0] == 1 && r[1] == 1 && !got_fresh &&
		    ps_sched_steps()[0].thread == 0 &&
		    ps_sched_steps()[1].thread == 0) {
			memcpy(fresh, f1, PS_FEATURES);
			memcpy(fb, bytes, sizeof(fb));
			got_fresh = 1;
		}
	}
	PT_ASSERT_TRUE(test, got_stale && got_fresh);
	/* Both ran T0's stores first (a stale x needs them done), so they
	 * differ in the store T1's load of x read. */
	PT_EXPECT_TRUE(test, memcmp(stale, fresh, PS_FEATURES) != 0);
	mp_features(sb, sizeof(sb), 1, f1);
	PT_EXPECT_TRUE(test, memcmp(stale, f1, PS_FEATURES) == 0);
	mp_features(fb, sizeof(fb), 1, f1);
	PT_EXPECT_TRUE(test, memcmp(fresh, f1, PS_FEATURES) == 0);
}

static const struct pt_test_case cases[] = {
	PT_TEST_CASE(test_weighted_first_choice),
	PT_TEST_CASE(test_weighted_samples_interleavings_alike),
	PT_TEST_CASE(test_weighted_spent_bytes_go_on),
	PT_TEST_CASE(test_features_are_a_function_of_the_input),
	PT_TEST_END,
};

PT_TEST_MAIN("sched_walk", cases)
