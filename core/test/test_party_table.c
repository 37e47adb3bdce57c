/*
 * test_party_table.c - unit tests of core/include/partyfuzz/party_table.h.
 *
 * One case per contract of the header: every public function, every error
 * code it documents, and the invariants I1..I8 of party_table.c as seen
 * from outside. pt_table_validate() runs after every mutating step
 * (CHECK_VALID), so a case also fails when an operation returns the right
 * code but leaves the table inconsistent.
 *
 * Not reachable from the public API, hence not here: PT_E_NOMEM (the
 * allocation of pt_table_create() failing) and PT_E_CORRUPT from
 * pt_table_validate() (a consistent table never yields it; the planted
 * faults of core/src/fault.h and the mutants ctest label cover it).
 */
#include "partyfuzz/party_table.h"

#include <stdio.h>
#include <string.h>

#include "pt_test.h"

#define TAG 0x5a

/* pt_table_validate() must hold at every quiescent point (I1..I8). */
#define CHECK_VALID(test, t)                                                  \
	do {                                                                  \
		char _why[160] = "";                                          \
		if (pt_table_validate((t), _why, sizeof(_why)) != PT_OK)      \
			_pt_test_fail((test), __FILE__, __LINE__,             \
				      "pt_table_validate: %s", _why);         \
	} while (0)

static struct pt_table *mk(struct pt_test *test, uint32_t capacity,
			   uint32_t vc_count, uint8_t gen_bits)
{
	struct pt_config cfg = { capacity, vc_count, gen_bits, TAG };
	struct pt_table *t = NULL;

	PT_ASSERT_OK(test, pt_table_create(&cfg, &t));
	PT_ASSERT_TRUE(test, t != NULL);
	CHECK_VALID(test, t);
	return t;
}

static pt_handle_t alloc_ok(struct pt_test *test, struct pt_table *t,
			    uint32_t vc, enum pt_party_state st, uintptr_t ctx)
{
	pt_handle_t h = PT_HANDLE_NULL;

	PT_ASSERT_OK(test, pt_party_alloc(t, vc, st, ctx, &h));
	CHECK_VALID(test, t);
	return h;
}

static void test_create_args(struct pt_test *test)
{
	struct pt_table *sentinel = (struct pt_table *)&sentinel;
	struct pt_table *t = sentinel;
	const struct pt_config bad[] = {
		{ 0, 1, 8, TAG },                   /* capacity 0 */
		{ PT_MAX_CAPACITY + 1, 1, 8, TAG }, /* capacity too big */
		{ 4, 0, 8, TAG },                   /* no VC */
		{ 4, PT_MAX_VCS + 1, 8, TAG },      /* too many VCs */
		{ 4, 1, PT_MAX_GEN_BITS + 1, TAG }, /* generation too wide */
		{ 4, 1, 8, 0 },                     /* tag 0 is reserved */
	};
	struct pt_config good = { 4, 2, 0, TAG };
	size_t i;

	PT_EXPECT_ERR(test, pt_table_create(NULL, &t), PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_table_create(&good, NULL), PT_E_INVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		PT_EXPECT_ERR(test, pt_table_create(&bad[i], &t), PT_E_INVAL);
	/* @out untouched on error. */
	PT_EXPECT_TRUE(test, t == sentinel);

	/* gen_bits 0 means 32. */
	PT_ASSERT_OK(test, pt_table_create(&good, &t));
	PT_EXPECT_EQ(test, pt_table_capacity(t), 4);
	PT_EXPECT_EQ(test, pt_table_vc_count(t), 2);
	PT_EXPECT_EQ(test, pt_table_gen_max(t), UINT32_MAX);
	PT_EXPECT_EQ(test, pt_table_tag(t), TAG);
	CHECK_VALID(test, t);
	pt_table_destroy(t);

	good.gen_bits = 1;
	good.tag = 255;
	PT_ASSERT_OK(test, pt_table_create(&good, &t));
	PT_EXPECT_EQ(test, pt_table_gen_max(t), 1);
	PT_EXPECT_EQ(test, pt_table_tag(t), 255);
	pt_table_destroy(t);

	pt_table_destroy(NULL); /* no-op */
}

static void test_alloc_until_full(struct pt_test *test)
{
	struct pt_table *t = mk(test, 4, 1, 8);
	pt_handle_t h, out = 0x1234;
	uint32_t i;

	/* Deterministic order: slot 0 first, generation 1, handle layout
	 * [tag | generation | index]. */
	for (i = 0; i < 4; i++) {
		h = alloc_ok(test, t, 0, PT_ADDING, i);
		PT_EXPECT_HANDLE_EQ(test, h, pt_handle_pack(TAG, 1, i));
		PT_EXPECT_EQ(test, pt_handle_tag(h), TAG);
		PT_EXPECT_EQ(test, pt_handle_gen(h), 1);
		PT_EXPECT_EQ(test, pt_handle_index(h), i);
		PT_EXPECT_EQ(test, pt_vc_live_count(t, 0), i + 1);
	}
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ADDING, 0, &out),
		      PT_E_FULL);
	PT_EXPECT_HANDLE_EQ(test, out, 0x1234); /* untouched on error */
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 0), 4);
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

static void test_alloc_args(struct pt_test *test)
{
	struct pt_table *t = mk(test, 2, 3, 8);
	pt_handle_t out = 0x77;

	PT_EXPECT_ERR(test, pt_party_alloc(t, 3, PT_ADDING, 0, &out),
		      PT_E_BAD_VC);
	PT_EXPECT_ERR(test, pt_party_alloc(t, UINT32_MAX, PT_ADDING, 0, &out),
		      PT_E_BAD_VC);
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_FREE, 0, &out),
		      PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_DEAD, 0, &out),
		      PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_PARKED, 0, &out),
		      PT_E_INVAL);
	PT_EXPECT_ERR(test,
		      pt_party_alloc(t, 0, (enum pt_party_state)PT_STATE_COUNT,
				     0, &out),
		      PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ADDING, 0, NULL),
		      PT_E_INVAL);
	PT_EXPECT_HANDLE_EQ(test, out, 0x77);
	CHECK_VALID(test, t);

	/* Rejected calls consumed nothing: slot 0 is still first, and every
	 * live state is a valid initial state. */
	out = alloc_ok(test, t, 2, PT_MAKING, 0);
	PT_EXPECT_EQ(test, pt_handle_index(out), 0);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 2), 1);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 0), 0);
	pt_table_destroy(t);

	t = mk(test, PT_CLOSING, 1, 8);
	for (int s = PT_MAKING; s <= PT_CLOSING; s++) {
		struct pt_party_info info;

		out = alloc_ok(test, t, 0, (enum pt_party_state)s, 0);
		PT_ASSERT_OK(test, pt_party_lookup(t, out, &info));
		PT_EXPECT_EQ(test, info.state, s);
	}
	pt_table_destroy(t);
}

static void test_lookup_errors(struct pt_test *test)
{
	struct pt_table *t = mk(test, 3, 1, 2); /* gen_max 3 */
	struct pt_party_info info = { PT_PARKED, 99, 99, 99 };
	pt_handle_t h = alloc_ok(test, t, 0, PT_ACTIVE, 42);

	PT_EXPECT_OK(test, pt_party_lookup(t, h, NULL));
	PT_EXPECT_ERR(test, pt_party_lookup(t, PT_HANDLE_NULL, &info),
		      PT_E_NULL);
	/* Another table's tag, or a pointer-like value. */
	PT_EXPECT_ERR(test,
		      pt_party_lookup(t, pt_handle_pack(TAG + 1, 1, 0), &info),
		      PT_E_FOREIGN);
	PT_EXPECT_ERR(test,
		      pt_party_lookup(t, (pt_handle_t)(uintptr_t)&info, &info),
		      PT_E_FOREIGN);
	/* Index out of range: == capacity (the off-by-one) and beyond. */
	PT_EXPECT_ERR(test,
		      pt_party_lookup(t, pt_handle_pack(TAG, 1, 3), &info),
		      PT_E_MALFORMED);
	PT_EXPECT_ERR(test,
		      pt_party_lookup(t,
				      pt_handle_pack(TAG, 1, PT_MAX_CAPACITY),
				      &info),
		      PT_E_MALFORMED);
	/* Generation 0 is never issued; above gen_max neither. */
	PT_EXPECT_ERR(test,
		      pt_party_lookup(t, pt_handle_pack(TAG, 0, 0), &info),
		      PT_E_MALFORMED);
	PT_EXPECT_ERR(test,
		      pt_party_lookup(t, pt_handle_pack(TAG, 4, 0), &info),
		      PT_E_MALFORMED);
	/* A generation the slot has not reached yet. */
	PT_EXPECT_ERR(test,
		      pt_party_lookup(t, pt_handle_pack(TAG, 2, 0), &info),
		      PT_E_MALFORMED);
	/* A slot never handed out. */
	PT_EXPECT_ERR(test,
		      pt_party_lookup(t, pt_handle_pack(TAG, 1, 1), &info),
		      PT_E_MALFORMED);
	/* Retired: stale, and the same handle is now also one generation
	 * behind the recycled slot. */
	PT_ASSERT_OK(test, pt_party_retire(t, h, PT_ACTIVE));
	CHECK_VALID(test, t);
	PT_EXPECT_ERR(test, pt_party_lookup(t, h, &info), PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_lookup(t, h, NULL), PT_E_STALE);
	/* @info untouched by every failed lookup. */
	/* Field by field: memcmp would read the padding before ctx. */
	PT_EXPECT_EQ(test, info.state, PT_PARKED);
	PT_EXPECT_EQ(test, info.vc, 99);
	PT_EXPECT_EQ(test, info.refs, 99);
	PT_EXPECT_EQ(test, info.ctx, 99);
	pt_table_destroy(t);
}

static void test_snapshot(struct pt_test *test)
{
	struct pt_table *t = mk(test, 4, 4, 8);
	struct pt_party_info info;
	pt_handle_t a, b;

	a = alloc_ok(test, t, 3, PT_MAKING, UINTPTR_MAX);
	b = alloc_ok(test, t, 1, PT_ADDING, 0);
	PT_ASSERT_OK(test, pt_party_lookup(t, a, &info));
	PT_EXPECT_EQ(test, info.state, PT_MAKING);
	PT_EXPECT_EQ(test, info.vc, 3);
	PT_EXPECT_EQ(test, info.refs, 0);
	PT_EXPECT_TRUE(test, info.ctx == UINTPTR_MAX);

	PT_ASSERT_OK(test, pt_party_transition(t, a, PT_MAKING, PT_ACTIVE));
	PT_ASSERT_OK(test, pt_party_acquire(t, a));
	PT_ASSERT_OK(test, pt_party_acquire(t, a));
	CHECK_VALID(test, t);
	PT_ASSERT_OK(test, pt_party_lookup(t, a, &info));
	PT_EXPECT_EQ(test, info.state, PT_ACTIVE);
	PT_EXPECT_EQ(test, info.refs, 2);
	PT_EXPECT_EQ(test, info.vc, 3);

	PT_ASSERT_OK(test, pt_party_lookup(t, b, &info));
	PT_EXPECT_EQ(test, info.state, PT_ADDING);
	PT_EXPECT_EQ(test, info.vc, 1);
	PT_EXPECT_EQ(test, info.ctx, 0);
	PT_EXPECT_EQ(test, info.refs, 0);
	PT_EXPECT_OK(test, pt_party_release(t, a));
	PT_EXPECT_OK(test, pt_party_release(t, a));
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

static void test_acquire_release(struct pt_test *test)
{
	struct pt_table *t = mk(test, 2, 1, 8);
	struct pt_party_info info;
	pt_handle_t h = alloc_ok(test, t, 0, PT_ACTIVE, 7);

	PT_EXPECT_ERR(test, pt_party_release(t, h), PT_E_NO_REF);
	PT_ASSERT_OK(test, pt_party_acquire(t, h));
	PT_ASSERT_OK(test, pt_party_acquire(t, h));
	CHECK_VALID(test, t);
	PT_ASSERT_OK(test, pt_party_lookup(t, h, &info));
	PT_EXPECT_EQ(test, info.refs, 2);
	PT_EXPECT_OK(test, pt_party_release(t, h));
	PT_EXPECT_OK(test, pt_party_release(t, h));
	CHECK_VALID(test, t);
	PT_EXPECT_ERR(test, pt_party_release(t, h), PT_E_NO_REF);
	PT_ASSERT_OK(test, pt_party_lookup(t, h, &info));
	PT_EXPECT_EQ(test, info.refs, 0);
	PT_EXPECT_EQ(test, info.state, PT_ACTIVE); /* live: not recycled */

	/* The decoding errors, as lookup. */
	PT_EXPECT_ERR(test, pt_party_acquire(t, PT_HANDLE_NULL), PT_E_NULL);
	PT_EXPECT_ERR(test, pt_party_release(t, PT_HANDLE_NULL), PT_E_NULL);
	PT_EXPECT_ERR(test, pt_party_acquire(t, pt_handle_pack(1, 1, 0)),
		      PT_E_FOREIGN);
	PT_EXPECT_ERR(test, pt_party_release(t, pt_handle_pack(1, 1, 0)),
		      PT_E_FOREIGN);
	PT_EXPECT_ERR(test, pt_party_acquire(t, pt_handle_pack(TAG, 1, 2)),
		      PT_E_MALFORMED);
	PT_EXPECT_ERR(test, pt_party_release(t, pt_handle_pack(TAG, 1, 2)),
		      PT_E_MALFORMED);
	/* Slot 1 never handed out. */
	PT_EXPECT_ERR(test, pt_party_acquire(t, pt_handle_pack(TAG, 1, 1)),
		      PT_E_MALFORMED);
	PT_EXPECT_ERR(test, pt_party_release(t, pt_handle_pack(TAG, 1, 1)),
		      PT_E_MALFORMED);
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

static void test_ref_overflow(struct pt_test *test)
{
	struct pt_table *t = mk(test, 1, 1, 8);
	struct pt_party_info info;
	pt_handle_t h = alloc_ok(test, t, 0, PT_ACTIVE, 0);
	uint32_t i;

	for (i = 0; i < PT_MAX_REFS; i++)
		if (pt_party_acquire(t, h) != PT_OK)
			break;
	PT_ASSERT_EQ(test, i, PT_MAX_REFS);
	PT_EXPECT_ERR(test, pt_party_acquire(t, h), PT_E_REF_OVERFLOW);
	PT_ASSERT_OK(test, pt_party_lookup(t, h, &info));
	PT_EXPECT_EQ(test, info.refs, PT_MAX_REFS);
	PT_EXPECT_EQ(test, info.state, PT_ACTIVE); /* refs did not spill */
	CHECK_VALID(test, t);
	/* Retire with every reference held, then release them all: the last
	 * one recycles the slot. */
	PT_ASSERT_OK(test, pt_party_retire(t, h, PT_ACTIVE));
	for (i = 0; i < PT_MAX_REFS; i++)
		if (pt_party_release(t, h) != PT_OK)
			break;
	PT_EXPECT_EQ(test, i, PT_MAX_REFS);
	PT_EXPECT_ERR(test, pt_party_release(t, h), PT_E_STALE);
	CHECK_VALID(test, t);
	h = alloc_ok(test, t, 0, PT_ACTIVE, 0);
	PT_EXPECT_HANDLE_EQ(test, h, pt_handle_pack(TAG, 2, 0));
	pt_table_destroy(t);
}

static void test_retire_without_refs(struct pt_test *test)
{
	struct pt_table *t = mk(test, 2, 2, 8);
	pt_handle_t h = alloc_ok(test, t, 1, PT_ACTIVE, 5), h2;

	PT_EXPECT_EQ(test, pt_vc_live_count(t, 1), 1);
	PT_ASSERT_OK(test, pt_party_retire(t, h, PT_ACTIVE));
	CHECK_VALID(test, t);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 1), 0);
	/* Every use of the retired handle is stale (I8). */
	PT_EXPECT_ERR(test, pt_party_lookup(t, h, NULL), PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_acquire(t, h), PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_release(t, h), PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_transition(t, h, PT_ACTIVE, PT_DROPPING),
		      PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_retire(t, h, PT_ACTIVE), PT_E_STALE);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 1), 0); /* not twice */
	CHECK_VALID(test, t);

	/* Recycled at once, generation + 1, and reused first (LIFO). */
	h2 = alloc_ok(test, t, 0, PT_ADDING, 6);
	PT_EXPECT_HANDLE_EQ(test, h2, pt_handle_pack(TAG, 2, 0));
	PT_EXPECT_ERR(test, pt_party_lookup(t, h, NULL), PT_E_STALE);
	PT_EXPECT_OK(test, pt_party_lookup(t, h2, NULL));
	pt_table_destroy(t);
}

static void test_retire_with_refs(struct pt_test *test)
{
	struct pt_table *t = mk(test, 2, 1, 8);
	pt_handle_t h = alloc_ok(test, t, 0, PT_DROPPING, 9), h1, out;

	PT_ASSERT_OK(test, pt_party_acquire(t, h));
	PT_ASSERT_OK(test, pt_party_acquire(t, h));
	PT_ASSERT_OK(test, pt_party_retire(t, h, PT_DROPPING));
	CHECK_VALID(test, t);
	/* Invalid for everybody at once, live count down at retire. */
	PT_EXPECT_ERR(test, pt_party_lookup(t, h, NULL), PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_acquire(t, h), PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_transition(t, h, PT_DROPPING, PT_ACTIVE),
		      PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_retire(t, h, PT_DROPPING), PT_E_STALE);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 0), 0);

	/* The DEAD slot is not handed out while referenced. */
	h1 = alloc_ok(test, t, 0, PT_ADDING, 0);
	PT_EXPECT_EQ(test, pt_handle_index(h1), 1);
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ADDING, 0, &out),
		      PT_E_FULL);
	PT_EXPECT_OK(test, pt_party_release(t, h));
	CHECK_VALID(test, t);
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ADDING, 0, &out),
		      PT_E_FULL);
	/* The last release recycles: generation + 1. */
	PT_EXPECT_OK(test, pt_party_release(t, h));
	CHECK_VALID(test, t);
	PT_EXPECT_ERR(test, pt_party_release(t, h), PT_E_STALE);
	out = alloc_ok(test, t, 0, PT_ADDING, 0);
	PT_EXPECT_HANDLE_EQ(test, out, pt_handle_pack(TAG, 2, 0));
	PT_EXPECT_ERR(test, pt_party_lookup(t, h, NULL), PT_E_STALE);
	PT_EXPECT_ERR(test, pt_party_release(t, h), PT_E_STALE);
	pt_table_destroy(t);
}

/* Every generation of slot 0 for a table of gen_max g must now be stale. */
static void expect_all_gens_stale(struct pt_test *test, struct pt_table *t,
				  uint32_t index, uint32_t upto)
{
	uint32_t g;

	for (g = 1; g <= upto; g++) {
		pt_handle_t h = pt_handle_pack(TAG, g, index);

		PT_EXPECT_ERR(test, pt_party_lookup(t, h, NULL), PT_E_STALE);
		PT_EXPECT_ERR(test, pt_party_acquire(t, h), PT_E_STALE);
		PT_EXPECT_ERR(test, pt_party_release(t, h), PT_E_STALE);
	}
}

static void test_park_gen_bits_1(struct pt_test *test)
{
	struct pt_table *t = mk(test, 2, 1, 1); /* gen_max 1 */
	pt_handle_t h0, h1, out = 0;

	PT_EXPECT_EQ(test, pt_table_gen_max(t), 1);
	h0 = alloc_ok(test, t, 0, PT_ACTIVE, 0);
	PT_ASSERT_OK(test, pt_party_retire(t, h0, PT_ACTIVE));
	CHECK_VALID(test, t); /* I3: PARKED at gen_max */
	expect_all_gens_stale(test, t, 0, 1);
	/* Capacity shrank to one slot. */
	h1 = alloc_ok(test, t, 0, PT_ACTIVE, 0);
	PT_EXPECT_HANDLE_EQ(test, h1, pt_handle_pack(TAG, 1, 1));
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ACTIVE, 0, &out),
		      PT_E_FULL);
	/* Parking through the last release of a DEAD party. */
	PT_ASSERT_OK(test, pt_party_acquire(t, h1));
	PT_ASSERT_OK(test, pt_party_retire(t, h1, PT_ACTIVE));
	PT_EXPECT_OK(test, pt_party_release(t, h1));
	CHECK_VALID(test, t);
	expect_all_gens_stale(test, t, 1, 1);
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ACTIVE, 0, &out),
		      PT_E_FULL);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 0), 0);
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

static void test_park_gen_bits_2(struct pt_test *test)
{
	struct pt_table *t = mk(test, 1, 1, 2); /* gen_max 3 */
	pt_handle_t h, out = 0;
	uint32_t g;
	char buf[512] = "";
	FILE *f;

	for (g = 1; g <= 3; g++) {
		h = alloc_ok(test, t, 0, PT_ACTIVE, g);
		PT_EXPECT_HANDLE_EQ(test, h, pt_handle_pack(TAG, g, 0));
		/* Older lives stay stale at every step. */
		expect_all_gens_stale(test, t, 0, g - 1);
		PT_ASSERT_OK(test, pt_party_retire(t, h, PT_ACTIVE));
		CHECK_VALID(test, t);
	}
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ACTIVE, 0, &out),
		      PT_E_FULL);
	expect_all_gens_stale(test, t, 0, 3);
	CHECK_VALID(test, t);

	/* The dump shows the parked slot. */
	f = tmpfile();
	PT_ASSERT_TRUE(test, f != NULL);
	pt_table_dump(t, f);
	rewind(f);
	buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
	fclose(f);
	PT_EXPECT_TRUE(test, strstr(buf, "capacity 1") != NULL);
	PT_EXPECT_TRUE(test,
		       strstr(buf, "slot 0: gen 3 refs 0 PARKED") != NULL);
	pt_table_destroy(t);
}

static void test_transitions(struct pt_test *test)
{
	struct pt_table *t = mk(test, 2, 1, 8);
	struct pt_party_info info;
	pt_handle_t h = alloc_ok(test, t, 0, PT_ADDING, 0);

	/* The party lifecycle of spec section 3.1. */
	PT_EXPECT_OK(test, pt_party_transition(t, h, PT_ADDING, PT_ACTIVE));
	PT_EXPECT_OK(test,
		     pt_party_transition(t, h, PT_ACTIVE, PT_REMOTE_DROPPED));
	PT_EXPECT_OK(test, pt_party_transition(t, h, PT_REMOTE_DROPPED,
					       PT_DROPPING));
	PT_EXPECT_OK(test, pt_party_transition(t, h, PT_DROPPING, PT_ACTIVE));
	PT_EXPECT_OK(test, pt_party_transition(t, h, PT_ACTIVE, PT_CLOSING));
	CHECK_VALID(test, t);
	PT_ASSERT_OK(test, pt_party_lookup(t, h, &info));
	PT_EXPECT_EQ(test, info.state, PT_CLOSING);

	/* Wrong expected state: PT_E_STATE, nothing changes. */
	PT_EXPECT_ERR(test, pt_party_transition(t, h, PT_ACTIVE, PT_DROPPING),
		      PT_E_STATE);
	PT_EXPECT_ERR(test, pt_party_retire(t, h, PT_ACTIVE), PT_E_STATE);
	PT_ASSERT_OK(test, pt_party_lookup(t, h, &info));
	PT_EXPECT_EQ(test, info.state, PT_CLOSING);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 0), 1);

	/* Non-live states: PT_E_INVAL, checked before the handle. */
	PT_EXPECT_ERR(test, pt_party_transition(t, h, PT_CLOSING, PT_DEAD),
		      PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_party_transition(t, h, PT_CLOSING, PT_FREE),
		      PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_party_transition(t, h, PT_PARKED, PT_ACTIVE),
		      PT_E_INVAL);
	PT_EXPECT_ERR(
		test,
		pt_party_transition(t, PT_HANDLE_NULL, PT_FREE, PT_ACTIVE),
		PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_party_retire(t, h, PT_DEAD), PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_party_retire(t, PT_HANDLE_NULL, PT_FREE),
		      PT_E_INVAL);
	/* Decoding errors of transition and retire, as lookup. */
	PT_EXPECT_ERR(
		test,
		pt_party_transition(t, PT_HANDLE_NULL, PT_CLOSING, PT_ACTIVE),
		PT_E_NULL);
	PT_EXPECT_ERR(test,
		      pt_party_retire(t, pt_handle_pack(9, 1, 0), PT_CLOSING),
		      PT_E_FOREIGN);
	PT_EXPECT_ERR(
		test,
		pt_party_retire(t, pt_handle_pack(TAG, 1, 1), PT_CLOSING),
		PT_E_MALFORMED);
	PT_EXPECT_ERR(test,
		      pt_party_transition(t, pt_handle_pack(TAG, 2, 0),
					  PT_CLOSING, PT_ACTIVE),
		      PT_E_MALFORMED);
	CHECK_VALID(test, t);

	PT_EXPECT_OK(test, pt_party_retire(t, h, PT_CLOSING));
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

static void test_vc_count_and_iteration(struct pt_test *test)
{
	struct pt_table *t = mk(test, 6, 3, 8);
	const uint32_t vcs[6] = { 1, 0, 1, 2, 1, 0 };
	pt_handle_t h[6], it;
	struct pt_party_info info;
	uint32_t i, cursor, n;

	for (i = 0; i < 6; i++)
		h[i] = alloc_ok(test, t, vcs[i], PT_ACTIVE, 100 + i);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 0), 2);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 1), 3);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 2), 1);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 3), 0); /* out of range */
	PT_EXPECT_EQ(test, pt_vc_live_count(t, UINT32_MAX), 0);

	/* VC 1 holds slots 0, 2, 4, returned in slot order. */
	cursor = 0;
	n = 0;
	while (pt_vc_next(t, 1, &cursor, &it, &info)) {
		static const uint32_t want[3] = { 0, 2, 4 };

		PT_ASSERT_TRUE(test, n < 3);
		PT_EXPECT_HANDLE_EQ(test, it, h[want[n]]);
		PT_EXPECT_EQ(test, info.vc, 1);
		PT_EXPECT_EQ(test, info.ctx, 100 + want[n]);
		PT_EXPECT_EQ(test, info.state, PT_ACTIVE);
		n++;
	}
	PT_EXPECT_EQ(test, n, 3);
	/* At the end it stays at the end. */
	PT_EXPECT_EQ(test, pt_vc_next(t, 1, &cursor, &it, NULL), 0);

	/* Retired (DEAD with a reference, or recycled) parties leave the
	 * VC's iteration and count; info may be NULL. */
	PT_ASSERT_OK(test, pt_party_acquire(t, h[2]));
	PT_ASSERT_OK(test, pt_party_retire(t, h[2], PT_ACTIVE));
	PT_ASSERT_OK(test, pt_party_retire(t, h[0], PT_ACTIVE));
	CHECK_VALID(test, t);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 1), 1);
	cursor = 0;
	PT_EXPECT_EQ(test, pt_vc_next(t, 1, &cursor, &it, NULL), 1);
	PT_EXPECT_HANDLE_EQ(test, it, h[4]);
	PT_EXPECT_EQ(test, pt_vc_next(t, 1, &cursor, &it, NULL), 0);
	/* A VC out of range yields nothing. */
	cursor = 0;
	PT_EXPECT_EQ(test, pt_vc_next(t, 7, &cursor, &it, NULL), 0);
	PT_EXPECT_OK(test, pt_party_release(t, h[2]));
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

static void test_validate_and_dump(struct pt_test *test)
{
	struct pt_table *t = mk(test, 3, 1, 8);
	char why[8] = "x";
	pt_handle_t h = alloc_ok(test, t, 0, PT_ACTIVE, 0xabc);
	char buf[512] = "";
	FILE *f;

	PT_EXPECT_OK(test, pt_table_validate(t, NULL, 0));
	PT_EXPECT_OK(test, pt_table_validate(t, why, sizeof(why)));
	PT_EXPECT_OK(test, pt_table_validate(t, why, 0));

	PT_ASSERT_OK(test, pt_party_acquire(t, h));
	PT_ASSERT_OK(test, pt_party_retire(t, h, PT_ACTIVE));
	f = tmpfile();
	PT_ASSERT_TRUE(test, f != NULL);
	pt_table_dump(t, f);
	rewind(f);
	buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
	fclose(f);
	PT_EXPECT_TRUE(test, strstr(buf, "capacity 3, 1 VCs") != NULL);
	PT_EXPECT_TRUE(test, strstr(buf, "slot 0: gen 1 refs 1 DEAD vc 0 "
					 "ctx 0xabc") != NULL);
	/* FREE slots are not listed. */
	PT_EXPECT_TRUE(test, strstr(buf, "slot 1") == NULL);
	PT_EXPECT_OK(test, pt_party_release(t, h));
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

static void test_names(struct pt_test *test)
{
	int n = 0, i, j;

	/* Every entry of the X-macro table, by name and message. */
#define CHECK_ENTRY_(name, value, msg)                                        \
	PT_EXPECT_EQ(test, name, value);                                      \
	PT_EXPECT_STREQ(test, pt_err_name(value), #name);                     \
	PT_EXPECT_STREQ(test, pt_err_str(value), msg);                        \
	n++;
	PT_ERR_ENTRIES(CHECK_ENTRY_)
#undef CHECK_ENTRY_
	PT_EXPECT_EQ(test, n, PT_ERR_COUNT);
	/* Values are dense 0 .. PT_ERR_COUNT - 1: no gap, no duplicate. */
	for (i = 0; i < PT_ERR_COUNT; i++) {
		PT_EXPECT_TRUE(test, strncmp(pt_err_name(i), "PT_", 3) == 0);
		for (j = 0; j < i; j++)
			PT_EXPECT_TRUE(test, strcmp(pt_err_name(i),
						    pt_err_name(j)) != 0);
	}
	PT_EXPECT_STREQ(test, pt_err_name(-1), "PT_E_?");
	PT_EXPECT_STREQ(test, pt_err_name(PT_ERR_COUNT), "PT_E_?");
	PT_EXPECT_STREQ(test, pt_err_str(-1), "unknown error");
	PT_EXPECT_STREQ(test, pt_err_str(PT_ERR_COUNT), "unknown error");

	PT_EXPECT_STREQ(test, pt_state_name(PT_FREE), "FREE");
	PT_EXPECT_STREQ(test, pt_state_name(PT_MAKING), "MAKING");
	PT_EXPECT_STREQ(test, pt_state_name(PT_ADDING), "ADDING");
	PT_EXPECT_STREQ(test, pt_state_name(PT_ACTIVE), "ACTIVE");
	PT_EXPECT_STREQ(test, pt_state_name(PT_REMOTE_DROPPED),
			"REMOTE_DROPPED");
	PT_EXPECT_STREQ(test, pt_state_name(PT_DROPPING), "DROPPING");
	PT_EXPECT_STREQ(test, pt_state_name(PT_CLOSING), "CLOSING");
	PT_EXPECT_STREQ(test, pt_state_name(PT_DEAD), "DEAD");
	PT_EXPECT_STREQ(test, pt_state_name(PT_PARKED), "PARKED");
	PT_EXPECT_STREQ(test, pt_state_name(PT_STATE_COUNT), "?");
	PT_EXPECT_STREQ(test, pt_state_name(-1), "?");
	for (i = 0; i < PT_STATE_COUNT; i++)
		PT_EXPECT_EQ(test, PT_STATE_IS_LIVE(i),
			     i >= PT_MAKING && i <= PT_CLOSING);
}

/* pt_table_reset(): a used table answers as a new one, at the new width. */
static void test_reset(struct pt_test *test)
{
	struct pt_table *t = mk(test, 3, 2, 1); /* gen_max 1 */
	pt_handle_t h0, h1, h2, out = 0;
	struct pt_party_info info;

	/* Dirty every kind of slot: parked, DEAD with a reference, live. */
	h0 = alloc_ok(test, t, 0, PT_ACTIVE, 10);
	h1 = alloc_ok(test, t, 1, PT_ADDING, 11);
	h2 = alloc_ok(test, t, 0, PT_ACTIVE, 12);
	PT_ASSERT_OK(test, pt_party_retire(t, h0, PT_ACTIVE)); /* PARKED */
	PT_ASSERT_OK(test, pt_party_acquire(t, h1));
	PT_ASSERT_OK(test, pt_party_retire(t, h1, PT_ADDING)); /* DEAD */
	CHECK_VALID(test, t);

	PT_EXPECT_ERR(test, pt_table_reset(NULL, 2), PT_E_INVAL);
	PT_EXPECT_ERR(test, pt_table_reset(t, PT_MAX_GEN_BITS + 1),
		      PT_E_INVAL);
	PT_ASSERT_OK(test, pt_table_reset(t, 2));
	CHECK_VALID(test, t);
	PT_EXPECT_EQ(test, pt_table_gen_max(t), 3);
	PT_EXPECT_EQ(test, pt_table_capacity(t), 3);
	PT_EXPECT_EQ(test, pt_table_vc_count(t), 2);
	PT_EXPECT_EQ(test, pt_table_tag(t), TAG);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 0), 0);
	PT_EXPECT_EQ(test, pt_vc_live_count(t, 1), 0);
	/* Generation 1 of every slot is not handed out yet (FREE), as in a
	 * new table: the old handles, all generation 1, are MALFORMED. */
	PT_EXPECT_ERR(test, pt_party_lookup(t, h0, NULL), PT_E_MALFORMED);
	PT_EXPECT_ERR(test, pt_party_lookup(t, h1, NULL), PT_E_MALFORMED);
	PT_EXPECT_ERR(test, pt_party_lookup(t, h2, NULL), PT_E_MALFORMED);
	/* Slot 0 first, at generation 1, with the new contents. */
	out = alloc_ok(test, t, 1, PT_MAKING, 20);
	PT_EXPECT_HANDLE_EQ(test, out, pt_handle_pack(TAG, 1, 0));
	PT_ASSERT_OK(test, pt_party_lookup(t, out, &info));
	PT_EXPECT_EQ(test, info.state, PT_MAKING);
	PT_EXPECT_EQ(test, info.vc, 1);
	PT_EXPECT_EQ(test, info.ctx, 20);
	PT_EXPECT_EQ(test, info.refs, 0);
	PT_EXPECT_HANDLE_EQ(test, alloc_ok(test, t, 0, PT_ACTIVE, 0),
			    pt_handle_pack(TAG, 1, 1));
	PT_EXPECT_HANDLE_EQ(test, alloc_ok(test, t, 0, PT_ACTIVE, 0),
			    pt_handle_pack(TAG, 1, 2));
	PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ACTIVE, 0, &out),
		      PT_E_FULL);
	/* The new width holds: generation 2 and 3 before slot 0 parks. */
	PT_ASSERT_OK(test, pt_party_retire(t, pt_handle_pack(TAG, 1, 0),
					   PT_MAKING));
	PT_EXPECT_HANDLE_EQ(test, alloc_ok(test, t, 0, PT_ACTIVE, 0),
			    pt_handle_pack(TAG, 2, 0));
	/* Width 0 means PT_MAX_GEN_BITS, as in struct pt_config. */
	PT_ASSERT_OK(test, pt_table_reset(t, 0));
	PT_EXPECT_EQ(test, pt_table_gen_max(t), UINT32_MAX);
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

/* The oracles' twins answer exactly as pt_party_lookup() and pt_vc_next(). */
static void test_nocov_twins(struct pt_test *test)
{
	struct pt_table *t = mk(test, 4, 2, 1); /* gen_max 1: parking */
	pt_handle_t live0, live1, dead, parked, h[12], ha, hb;
	struct pt_party_info a, b;
	uint32_t ca, cb, vc, i;
	int ra, rb;

	live0 = alloc_ok(test, t, 0, PT_ACTIVE, 1);
	live1 = alloc_ok(test, t, 1, PT_DROPPING, 2);
	dead = alloc_ok(test, t, 0, PT_ADDING, 3);
	parked = alloc_ok(test, t, 1, PT_ACTIVE, 4);
	PT_ASSERT_OK(test, pt_party_acquire(t, dead));
	PT_ASSERT_OK(test, pt_party_retire(t, dead, PT_ADDING));
	PT_ASSERT_OK(test, pt_party_retire(t, parked, PT_ACTIVE));
	h[0] = live0;
	h[1] = live1;
	h[2] = dead;
	h[3] = parked;
	h[4] = PT_HANDLE_NULL;
	h[5] = pt_handle_pack(TAG + 1, 1, 0);       /* foreign */
	h[6] = pt_handle_pack(TAG, 1, 4);           /* index past capacity */
	h[7] = pt_handle_pack(TAG, 0, 0);           /* generation 0 */
	h[8] = pt_handle_pack(TAG, 2, 0);           /* above gen_max */
	h[9] = pt_handle_pack(TAG, 1, 3);           /* parked slot */
	h[10] = ~(pt_handle_t)0;
	h[11] = pt_handle_pack(TAG, 1, 1);
	for (i = 0; i < 12; i++) {
		memset(&a, 0xa5, sizeof(a));
		memset(&b, 0xa5, sizeof(b));
		ra = pt_party_lookup(t, h[i], &a);
		rb = _pt_party_lookup_nocov(t, h[i], &b);
		PT_EXPECT_EQ(test, ra, rb);
		PT_EXPECT_TRUE(test, memcmp(&a, &b, sizeof(a)) == 0);
		PT_EXPECT_EQ(test, pt_party_lookup(t, h[i], NULL),
			     _pt_party_lookup_nocov(t, h[i], NULL));
	}
	PT_EXPECT_ERR(test, _pt_party_lookup_nocov(t, live1, &b), PT_OK);
	PT_EXPECT_EQ(test, b.state, PT_DROPPING);
	PT_EXPECT_EQ(test, b.ctx, 2);
	PT_EXPECT_ERR(test, _pt_party_lookup_nocov(t, parked, NULL),
		      PT_E_STALE);
	for (vc = 0; vc < 3; vc++) {
		ca = cb = 0;
		do {
			memset(&a, 0xa5, sizeof(a));
			memset(&b, 0xa5, sizeof(b));
			ha = hb = 0;
			ra = pt_vc_next(t, vc, &ca, &ha, &a);
			rb = _pt_vc_next_nocov(t, vc, &cb, &hb, &b);
			PT_EXPECT_EQ(test, ra, rb);
			PT_EXPECT_EQ(test, ca, cb);
			PT_EXPECT_HANDLE_EQ(test, ha, hb);
			PT_EXPECT_TRUE(test, memcmp(&a, &b, sizeof(a)) == 0);
		} while (ra && rb);
	}
	ca = 0;
	PT_EXPECT_EQ(test, _pt_vc_next_nocov(t, 1, &ca, &hb, NULL), 1);
	PT_EXPECT_HANDLE_EQ(test, hb, live1);
	PT_EXPECT_EQ(test, _pt_vc_next_nocov(t, 1, &ca, &hb, NULL), 0);
	PT_EXPECT_EQ(test, ca, 4);
	CHECK_VALID(test, t);
	pt_table_destroy(t);
}

static const struct pt_test_case cases[] = {
	PT_TEST_CASE(test_create_args),
	PT_TEST_CASE(test_alloc_until_full),
	PT_TEST_CASE(test_alloc_args),
	PT_TEST_CASE(test_lookup_errors),
	PT_TEST_CASE(test_snapshot),
	PT_TEST_CASE(test_acquire_release),
	PT_TEST_CASE(test_ref_overflow),
	PT_TEST_CASE(test_retire_without_refs),
	PT_TEST_CASE(test_retire_with_refs),
	PT_TEST_CASE(test_park_gen_bits_1),
	PT_TEST_CASE(test_park_gen_bits_2),
	PT_TEST_CASE(test_transitions),
	PT_TEST_CASE(test_vc_count_and_iteration),
	PT_TEST_CASE(test_validate_and_dump),
	PT_TEST_CASE(test_names),
	PT_TEST_CASE(test_reset),
	PT_TEST_CASE(test_nocov_twins),
	PT_TEST_END,
};

PT_TEST_MAIN("party_table", cases)
