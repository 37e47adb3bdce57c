/* Target functions: pt_party_alloc, pt_party_lookup, pt_party_acquire,
 * pt_party_release, pt_party_transition, pt_party_retire, pt_vc_live_count,
 * pt_vc_next, pt_table_validate. */
/*
 * fuzz_party_table.c - differential fuzzer of the party table.
 *
 * The input is a program: a 4-byte configuration prefix, then operations.
 * Each operation runs on the real table and on the sequential model
 * (fuzz/model/table_model.c); every return code, every handle and every
 * snapshot must agree, and pt_table_validate() must hold after every step. Any disagreement prints the step, both answers
 * and a table dump, then aborts (libFuzzer keeps the input).
 *
 * Input format (any byte string is a valid program; missing bytes read 0):
 *
 *   byte 0   capacity  = 1 + b % 32
 *   byte 1   vc_count  = 1 + b % 4
 *   byte 2   gen_bits  = {1, 1, 2, 2, 3, 4, 8, 32}[b % 8]
 *   byte 3   reserved (read, ignored: room for options)
 *   then until the input ends or MAX_OPS: op = b % OP_COUNT, and its
 *   argument bytes (table below).
 *
 * Operation ids are explicit and only ever appended, so corpora stay valid.
 *
 *   id  op          arguments
 *   0   ALLOC       vc byte (b % (vc_count + 1): one out of range),
 *                   state byte (b % 10: some not live)
 *   1   LOOKUP      handle selector
 *   2   SNAPSHOT    handle selector (lookup with info)
 *   3   ACQUIRE     handle selector
 *   4   RELEASE     handle selector
 *   5   TRANSITION  handle selector, from byte, to byte (b % 10 each)
 *   6   RETIRE      handle selector, expected byte (b % 10)
 *   7   ITERATE     vc byte: pt_vc_live_count and pt_vc_next over the
 *                   VC (b % (vc_count + 1): one out of range) against
 *                   the model
 *   8   DROP_REFS   handle selector: release every reference the
 *                   program holds through that handle
 *
 * Handle selector: one byte s. s < 0xC0 picks handle s % n from the pool of
 * every handle this run was given (live or retired: stale handles are the
 * point); otherwise (s - 0xC0) % 8 picks a crafted bad handle built from a
 * pool handle: 0 null, 1 another table's tag, 2 index = capacity + k,
 * 3 generation + 1 (never issued), 4 generation 0, 5 generation above
 * gen_max, 6 eight raw input bytes, 7 a live-looking handle on a slot
 * index chosen by the next byte at the current slot generation.
 *
 * Under FUZZ_VERBOSE (environment variable) every step is printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "model/table_model.h"
#include "partyfuzz/party_table.h"
#include "runner/input.h"

#define MAX_OPS 256
#define POOL_MAX 64
#define TAG 0xA5
#define OTHER_TAG 0x5A

enum op {
	OP_ALLOC = 0,
	OP_LOOKUP = 1,
	OP_SNAPSHOT = 2,
	OP_ACQUIRE = 3,
	OP_RELEASE = 4,
	OP_TRANSITION = 5,
	OP_RETIRE = 6,
	OP_ITERATE = 7,
	OP_DROP_REFS = 8,
	OP_COUNT = 9,
};

static const char *const op_names[OP_COUNT] = {
	"alloc",  "lookup", "snapshot", "acquire",  "release",
	"transition", "retire", "iterate", "drop_refs",
};

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take(struct input *in)
{
	uint8_t b;

	if (in->n == 0)
		return 0;
	b = *in->p++;
	in->n--;
	return b;
}

struct run {
	struct pt_table *t;
	struct tm_model m;
	pt_handle_t pool[POOL_MAX];
	uint32_t refs[POOL_MAX]; /* references this program holds */
	uint32_t npool;
	unsigned step;
	int last;    /* the table's answer to the current step, for traces */
	int verbose;
};

/* Kept static: one run at a time, and no allocation per input. */
static struct run R;

PT_NO_COVERAGE static void fail(const char *what, long long got,
				long long want, pt_handle_t h)
{
	fprintf(stderr,
		"fuzz_party_table: MISMATCH at step %u: %s: table %lld, "
		"model %lld (handle 0x%016llx)\n",
		R.step, what, got, want, (unsigned long long)h);
	pt_table_dump(R.t, stderr);
	abort();
}

PT_NO_COVERAGE static void expect_err(const char *what, int got, int want,
				      pt_handle_t h)
{
	R.last = got;
	if (got != want) {
		fprintf(stderr, "fuzz_party_table: %s: table %s, model %s\n",
			what, pt_err_name(got), pt_err_name(want));
		fail(what, got, want, h);
	}
}

static void pool_add(pt_handle_t h)
{
	if (R.npool < POOL_MAX) {
		R.pool[R.npool] = h;
		R.refs[R.npool] = 0;
		R.npool++;
	}
}

/* Returns the handle and, for pool handles, its pool index (else -1). */
static pt_handle_t select_handle(struct input *in, int *pool_index)
{
	uint8_t s = take(in);
	pt_handle_t base = R.npool ? R.pool[s % R.npool]
				   : pt_handle_pack(TAG, 1, 0);
	uint32_t cap = pt_table_capacity(R.t);
	uint32_t gen_max = pt_table_gen_max(R.t);
	uint64_t raw = 0;
	int i;

	*pool_index = -1;
	if (s < 0xC0) {
		if (R.npool)
			*pool_index = s % R.npool;
		return base;
	}
	switch ((s - 0xC0) % 8) {
	case 0:
		return PT_HANDLE_NULL;
	case 1:
		return pt_handle_pack(OTHER_TAG, pt_handle_gen(base),
				      pt_handle_index(base));
	case 2:
		return pt_handle_pack(TAG, pt_handle_gen(base),
				      cap + take(in) % 3);
	case 3:
		return pt_handle_pack(TAG, pt_handle_gen(base) + 1,
				      pt_handle_index(base));
	case 4:
		return pt_handle_pack(TAG, 0, pt_handle_index(base));
	case 5:
		if (gen_max == UINT32_MAX)
			return pt_handle_pack(TAG, 0, pt_handle_index(base));
		return pt_handle_pack(TAG, gen_max + 1, pt_handle_index(base));
	case 6:
		for (i = 0; i < 8; i++)
			raw = raw << 8 | take(in);
		return (pt_handle_t)raw;
	default: {
		/* Guess a current handle of a slot: valid iff the slot is
		 * live, which both sides must agree on. */
		uint32_t idx = take(in) % cap;

		return pt_handle_pack(TAG, R.m.slots[idx].gen, idx);
	}
	}
}

static enum pt_party_state take_state(struct input *in)
{
	return (enum pt_party_state)(take(in) % 10);
}

PT_NO_COVERAGE static void check_invariants(void)
{
	char why[160];

	if (pt_table_validate(R.t, why, sizeof(why)) != PT_OK) {
		fprintf(stderr, "fuzz_party_table: validate: %s\n", why);
		fail("pt_table_validate", PT_E_CORRUPT, PT_OK, 0);
	}
}

PT_NO_COVERAGE static void do_iterate(uint32_t vc)
{
	uint32_t cursor = 0, slot = 0;
	pt_handle_t h;
	struct pt_party_info info;
	uint32_t got = pt_vc_live_count(R.t, vc);

	if (got != tm_vc_live_count(&R.m, vc))
		fail("pt_vc_live_count", got, tm_vc_live_count(&R.m, vc), vc);
	while (pt_vc_next(R.t, vc, &cursor, &h, &info)) {
		/* The model's next live slot of this VC, in slot order. */
		while (slot < R.m.capacity &&
		       !(PT_STATE_IS_LIVE(R.m.slots[slot].state) &&
			 R.m.slots[slot].vc == vc))
			slot++;
		if (slot == R.m.capacity)
			fail("pt_vc_next: extra party", (long long)h, 0, h);
		if (h != pt_handle_pack(TAG, R.m.slots[slot].gen, slot) ||
		    info.state != R.m.slots[slot].state ||
		    info.ctx != R.m.slots[slot].ctx)
			fail("pt_vc_next: party", (long long)h, slot, h);
		slot++;
	}
	while (slot < R.m.capacity) {
		if (PT_STATE_IS_LIVE(R.m.slots[slot].state) &&
		    R.m.slots[slot].vc == vc)
			fail("pt_vc_next: missing party", 0, slot, 0);
		slot++;
	}
}

static void run_op(struct input *in, enum op op)
{
	pt_handle_t h = 0, mh = 0;
	struct pt_party_info got, want;
	int pi = -1, e1, e2;

	R.last = PT_OK;
	switch (op) {
	case OP_ALLOC: {
		uint32_t vc = take(in) % (R.m.vc_count + 1);
		enum pt_party_state st = take_state(in);
		uintptr_t ctx = 0x1000 + R.step;

		e1 = pt_party_alloc(R.t, vc, st, ctx, &h);
		e2 = tm_alloc(&R.m, vc, st, ctx, &mh);
		expect_err("pt_party_alloc", e1, e2, h);
		if (e1 == PT_OK) {
			if (h != mh)
				fail("pt_party_alloc handle", (long long)h,
				     (long long)mh, h);
			pool_add(h);
		}
		break;
	}
	case OP_LOOKUP:
		h = select_handle(in, &pi);
		expect_err("pt_party_lookup", pt_party_lookup(R.t, h, NULL),
			   tm_lookup(&R.m, h, NULL), h);
		break;
	case OP_SNAPSHOT:
		h = select_handle(in, &pi);
		memset(&got, 0, sizeof(got));
		memset(&want, 0, sizeof(want));
		e1 = pt_party_lookup(R.t, h, &got);
		e2 = tm_lookup(&R.m, h, &want);
		expect_err("pt_party_lookup(info)", e1, e2, h);
		if (e1 == PT_OK &&
		    (got.state != want.state || got.vc != want.vc ||
		     got.refs != want.refs || got.ctx != want.ctx))
			fail("pt_party_lookup snapshot", got.state, want.state,
			     h);
		break;
	case OP_ACQUIRE:
		h = select_handle(in, &pi);
		e1 = pt_party_acquire(R.t, h);
		expect_err("pt_party_acquire", e1, tm_acquire(&R.m, h), h);
		if (e1 == PT_OK && pi >= 0)
			R.refs[pi]++;
		break;
	case OP_RELEASE:
		/* May release a reference the program does not hold: the
		 * table cannot tell (documented), the model agrees. */
		h = select_handle(in, &pi);
		e1 = pt_party_release(R.t, h);
		expect_err("pt_party_release", e1, tm_release(&R.m, h), h);
		if (e1 == PT_OK && pi >= 0 && R.refs[pi] > 0)
			R.refs[pi]--;
		break;
	case OP_TRANSITION: {
		enum pt_party_state from, to;

		h = select_handle(in, &pi);
		from = take_state(in);
		to = take_state(in);
		expect_err("pt_party_transition",
			   pt_party_transition(R.t, h, from, to),
			   tm_transition(&R.m, h, from, to), h);
		break;
	}
	case OP_RETIRE: {
		enum pt_party_state exp;

		h = select_handle(in, &pi);
		exp = take_state(in);
		expect_err("pt_party_retire", pt_party_retire(R.t, h, exp),
			   tm_retire(&R.m, h, exp), h);
		break;
	}
	case OP_ITERATE:
		do_iterate(take(in) % (R.m.vc_count + 1));
		break;
	case OP_DROP_REFS:
		h = select_handle(in, &pi);
		while (pi >= 0 && R.refs[pi] > 0) {
			expect_err("pt_party_release(held)",
				   pt_party_release(R.t, h),
				   tm_release(&R.m, h), h);
			R.refs[pi]--;
		}
		break;
	case OP_COUNT:
		break;
	}
	if (R.verbose)
		printf("step %u: %s handle 0x%016llx -> %s\n", R.step,
		       op_names[op], (unsigned long long)h, pt_err_name(R.last));
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The named inputs must be inputs (runner/input.h); every one decodes. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	pf_input_init(argc, argv, NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t gen_bits[8] = {1, 1, 2, 2, 3, 4, 8, 32};
	struct input in = {data, size};
	struct pt_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.capacity = 1 + take(&in) % 32;
	cfg.vc_count = 1 + take(&in) % 4;
	cfg.gen_bits = gen_bits[take(&in) % 8];
	cfg.tag = TAG;
	(void)take(&in);

	R.npool = 0;
	R.step = 0;
	R.verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (R.verbose)
		pf_trace_input(size);
	if (pt_table_create(&cfg, &R.t) != PT_OK ||
	    tm_init(&R.m, &cfg) != PT_OK) {
		fprintf(stderr, "fuzz_party_table: cannot create table\n");
		abort();
	}
	if (R.verbose)
		printf("config: capacity %u, %u VCs, gen_max %u\n",
		       cfg.capacity, cfg.vc_count, pt_table_gen_max(R.t));
	while (in.n > 0 && R.step < MAX_OPS) {
		run_op(&in, (enum op)(take(&in) % OP_COUNT));
		check_invariants();
		R.step++;
	}
	pf_stats_program(R.step);
	pt_table_destroy(R.t);
	R.t = NULL;
	if (R.verbose)
		fflush(stdout); /* a trace is whole before the next run */
	return 0;
}
