/*
 * party_table.c - the lock-free party table.
 *
 * One file, over the usual length, on purpose: every atomic access of the
 * table and the memory order it needs (party_table.h's synchronization
 * table, M1..M17) are reviewed, planted (fault.h) and scheduled
 * (fuzz/sched) together; split, the orders that pair up (a release here,
 * its acquire there) would sit in different files.
 *
 * Each slot has one 64-bit atomic word [generation:32 | refs:24 | state:8]
 * (drawn in party_table.h). Every operation that can change a party reads
 * that word, decides, and commits with one CAS on it; the CAS fails if any
 * of generation, references or state moved, and the operation re-decides
 * on the value it got back. A handle carries the generation it was issued
 * at; since a recycled slot always has a higher generation, comparing the
 * two tells a live handle from a stale one in one load.
 *
 * Free slots sit on a Treiber stack whose head is [aba:32 | index+1:32];
 * the ABA counter goes up on every push and pop, so a pop that read a stale
 * head and `next` cannot commit. Slot links are only read through a head
 * that was loaded with acquire, after the pusher wrote them and released
 * the head.
 *
 * Why the slot word can be stored plainly in alloc: a FREE slot is owned
 * by the thread that popped it. Every other writer of a slot word commits
 * with a CAS that requires a live or DEAD state with refs > 0 at the
 * handle's generation, and a FREE word is neither (I2), so no CAS from a
 * stale handle can succeed on it.
 *
 * Why pt_party_lookup's snapshot is consistent without a reference: vc and
 * ctx change only when a slot is handed out again, which happens after its
 * generation went up. alloc writes them with release stores; lookup reads
 * them relaxed, then an acquire fence, then the word again (an acquire
 * load: the state it reports is that load's). If it read a
 * value of the new life, the fence synchronizes with that release store,
 * so the second load sees at least the recycled word and its generation
 * differs from the handle's: lookup answers PT_E_STALE instead of a mixed
 * snapshot (the seqlock argument, with the generation as the sequence).
 *
 * Invariants (checked by pt_table_validate() at quiescent points; the code
 * cites them):
 *   I1 Every slot's generation is in 1 .. gen_max and never decreases.
 *      Generations never wrap (a slot at gen_max parks), so a plain `<`
 *      between a handle's and a slot's generation is exact.
 *   I2 FREE and PARKED slots have refs == 0; DEAD slots have refs > 0 (the
 *      last release of a DEAD slot recycles it in the same CAS).
 *   I3 PARKED implies generation == gen_max.
 *   I4 The free list is acyclic, holds indices < capacity, and holds every
 *      FREE slot exactly once and nothing else.
 *   I5 Live and DEAD slots carry a VC index < vc_count.
 *   I6 (withdrawn: the table kept per-VC live counters until they proved
 *      to cost two locked read-modify-writes on every alloc and retire,
 *      40% of the party cycle; pt_vc_live_count() now counts the slots.)
 *   I7 A handle h is valid iff tag(h) == tag, index(h) < capacity and the
 *      slot word has generation gen(h) and a live state. Nothing else
 *      answers PT_OK.
 *   I8 A retired handle never becomes valid again: retire moves the slot
 *      out of the live states at gen(h), and the slot only returns to a
 *      live state after its generation went up (I1).
 */
#include "partyfuzz/party_table.h"

#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "debug.h"
#include "fault.h"

#define W_STATE_BITS 8
#define W_REFS_SHIFT 8
#define W_REFS_MASK 0xffffffu
#define W_GEN_SHIFT 32
#define W_ONE_REF ((uint64_t)1 << W_REFS_SHIFT)

#define W_STATE(w) ((uint32_t)((w)&0xffu))
#define W_REFS(w) ((uint32_t)((w) >> W_REFS_SHIFT) & W_REFS_MASK)
#define W_GEN(w) ((uint32_t)((w) >> W_GEN_SHIFT))

static inline uint64_t w_make(uint32_t gen, uint32_t refs, uint32_t state)
{
	return ((uint64_t)gen << W_GEN_SHIFT) |
	       ((uint64_t)(refs & W_REFS_MASK) << W_REFS_SHIFT) | state;
}

static inline uint64_t w_with_state(uint64_t w, uint32_t state)
{
	return (w & ~(uint64_t)0xffu) | state;
}

struct pt_slot {
	pt_atomic_u64 word;  /* [generation:32 | refs:24 | state:8] */
	pt_atomic_u32 next;  /* free-list link: index + 1, 0 ends the list */
	pt_atomic_u32 vc;    /* valid while live or DEAD (I5) */
	pt_atomic_uptr ctx;  /* caller's context, same lifetime as vc */
};

struct pt_table {
	/* The free-list head changes on every alloc and recycle: keep it
	 * off the line holding the read-mostly configuration. */
	_Alignas(64) pt_atomic_u64 free_head; /* [aba:32 | index+1:32] */
	_Alignas(64) uint32_t capacity;
	uint32_t vc_count;
	uint32_t gen_max;
	uint8_t tag;
	struct pt_slot *slots;    /* capacity entries */
#if PT_FAULT_IS(PLAIN_STATS)
	unsigned long lookups; /* the planted race: plain, every thread */
#endif
};

static const char *const state_names[PT_STATE_COUNT] = {
	"FREE",     "MAKING",  "ADDING", "ACTIVE", "REMOTE_DROPPED",
	"DROPPING", "CLOSING", "DEAD",   "PARKED",
};

const char *pt_state_name(int state)
{
	/* LCOV_EXCL_BR_START: no state out of range exists */
	if (state < 0 || state >= PT_STATE_COUNT)
		return "?"; /* LCOV_EXCL_LINE: no state out of range exists */
	/* LCOV_EXCL_BR_STOP */
	return state_names[state];
}

static const char *const err_names[PT_ERR_COUNT] = {
#define PT_ERR_NAME_(name, value, msg) [value] = #name,
	PT_ERR_ENTRIES(PT_ERR_NAME_)
#undef PT_ERR_NAME_
};

static const char *const err_msgs[PT_ERR_COUNT] = {
#define PT_ERR_MSG_(name, value, msg) [value] = msg,
	PT_ERR_ENTRIES(PT_ERR_MSG_)
#undef PT_ERR_MSG_
};

const char *pt_err_name(int err)
{
	/* LCOV_EXCL_BR_START: no such error exists */
	if (err < 0 || err >= PT_ERR_COUNT)
		return "PT_E_?"; /* LCOV_EXCL_LINE: no such error exists */
	/* LCOV_EXCL_BR_STOP */
	return err_names[err];
}

/* LCOV_EXCL_START: C API that only the unit tests call
 * (core/test/test_party_table.c): no input reaches it. */
const char *pt_err_str(int err)
{
	if (err < 0 || err >= PT_ERR_COUNT)
		return "unknown error";
	return err_msgs[err];
}
/* LCOV_EXCL_STOP */

/* ---- free list --------------------------------------------------------- */

static inline uint64_t head_make(uint64_t old, uint32_t top)
{
#if PT_FAULT_IS(FREELIST_NO_ABA)
	return (old & ~(uint64_t)0xffffffffu) | top;
#else
	return (((old >> 32) + 1) << 32) | top;
#endif
}

static void freelist_push(struct pt_table *t, uint32_t index)
{
	uint64_t head = pt_atomic_load_relaxed_u64(&t->free_head);

	for (;;) {
		pt_atomic_store_relaxed_u32(&t->slots[index].next,
					    (uint32_t)head);
		/* Release (M1): pairs with the acquires in freelist_pop,
		 * which then read this link and the slot's recycled word. */
		if (PT_ORDER(PUSH_RELAXED, pt_atomic_cas_release_u64,
			     pt_atomic_cas_relaxed_u64)(
			    &t->free_head, &head, head_make(head, index + 1)))
			return;
	}
}

static int freelist_pop(struct pt_table *t, uint32_t *index)
{
	/* Acquire (M2): pairs with the release CAS in freelist_push, so
	 * the link read below is the pusher's. */
	uint64_t head = PT_ORDER(POP_LOAD_RELAXED, pt_atomic_load_acquire_u64,
				 pt_atomic_load_relaxed_u64)(&t->free_head);

	for (;;) {
		uint32_t top = (uint32_t)head;
		uint32_t next;
		uint64_t nh;

		if (top == 0)
			return PT_E_FULL;
		/* LCOV_EXCL_BR_START: an assertion: the free list holds slot
		 * numbers only */
		PT_ASSERT_INTERNAL(top <= t->capacity);
		/* LCOV_EXCL_BR_STOP */
		/* May read the link of a slot another thread popped
		 * meanwhile: harmless, the ABA counter fails the CAS. */
		next = pt_atomic_load_relaxed_u32(&t->slots[top - 1].next);
		nh = head_make(head, next);
		/* Acquire (M3), on failure too: the retry reads the link of
		 * the new top, pushed by whoever the failure read. No
		 * release: a pop publishes nothing (party_table.h). */
		if (PT_ORDER(POP_CAS_RELAXED, pt_atomic_cas_acquire_u64,
			     pt_atomic_cas_relaxed_u64)(&t->free_head, &head,
							nh)) {
			*index = top - 1;
			return PT_OK;
		}
	}
}

/* ---- handle decoding --------------------------------------------------- */

/*
 * The bodies of the lookups are always inlined: into pt_party_lookup()
 * and pt_vc_next(), instrumented for coverage like the rest of the table,
 * and into their _nocov twins (PT_NO_COVERAGE), where nothing of them is
 * instrumented, which a call to an out-of-line helper would be.
 */
#define PT_INLINE_BODY inline __attribute__((always_inline))

/* Checks what the handle alone can tell (I7 first half). */
static PT_INLINE_BODY int handle_decode(const struct pt_table *t,
					pt_handle_t h, uint32_t *index,
					uint32_t *gen)
{
	uint32_t i = pt_handle_index(h);
	uint32_t g = pt_handle_gen(h);

	if (h == PT_HANDLE_NULL)
		return PT_E_NULL;
	if (pt_handle_tag(h) != t->tag)
		return PT_E_FOREIGN;
#if PT_FAULT_IS(INDEX_OFF_BY_ONE)
	if (i > t->capacity)
#else
	if (i >= t->capacity)
#endif
		return PT_E_MALFORMED;
	if (g == 0 || g > t->gen_max)
		return PT_E_MALFORMED;
	*index = i;
	*gen = g;
	return PT_OK;
}

/*
 * What a slot word says about a handle of generation gen (I7 second half).
 * Exact because generations never wrap (I1): a smaller handle generation
 * is a previous life of the slot, a larger one was never issued.
 */
static PT_INLINE_BODY int word_check(uint64_t w, uint32_t gen)
{
	uint32_t wg = W_GEN(w);
	uint32_t st = W_STATE(w);

	if (gen < wg)
		return PT_E_STALE;
	if (gen > wg)
		return PT_E_MALFORMED;
	if (PT_STATE_IS_LIVE(st))
		return PT_OK;
	if (st == PT_FREE)
		return PT_E_MALFORMED; /* this generation not handed out yet */
	return PT_E_STALE;             /* DEAD or PARKED */
}

/* The word a slot gets when its last life ends (I1, I3). */
static inline uint64_t recycled_word(const struct pt_table *t, uint64_t w)
{
	uint32_t gen = W_GEN(w);

#if PT_FAULT_IS(NO_GEN_BUMP)
	return w_make(gen, 0, PT_FREE);
#else
	if (gen >= t->gen_max)
		return w_make(gen, 0, PT_PARKED);
	return w_make(gen + 1, 0, PT_FREE);
#endif
}

/* ---- public API -------------------------------------------------------- */

/* Every slot FREE at generation 1, on the free list in index order: the
 * state of a new table (pt_table_create, pt_table_reset). */
static void table_init(struct pt_table *t, uint32_t gen_bits)
{
	uint32_t i;

	t->gen_max = (uint32_t)(((uint64_t)1 << gen_bits) - 1);
	for (i = 0; i < t->capacity; i++) {
		atomic_init(&t->slots[i].word, w_make(1, 0, PT_FREE));
		/* Slot 0 on top, then 1, 2, ...: deterministic order. */
		atomic_init(&t->slots[i].next,
			    i + 1 < t->capacity ? i + 2 : 0);
		atomic_init(&t->slots[i].vc, 0);
		atomic_init(&t->slots[i].ctx, 0);
	}
	atomic_init(&t->free_head, 1);
#if PT_FAULT_IS(PLAIN_STATS)
	t->lookups = 0;
#endif
}

/*
 * Coverage exclusions here (ci/coverage.sh): "C API misuse" is a refusal
 * of arguments every harness passes right (a NULL or invalid config, a
 * NULL table), which core/test/test_party_table.c checks; "no memory" is
 * an allocation failure, which no input causes.
 */
int pt_table_create(const struct pt_config *cfg, struct pt_table **out)
{
	struct pt_table *t;
	uint32_t gen_bits;

	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (cfg == NULL || out == NULL)
		return PT_E_INVAL; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	gen_bits = cfg->gen_bits ? cfg->gen_bits : PT_MAX_GEN_BITS;
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (cfg->capacity == 0 || cfg->capacity > PT_MAX_CAPACITY ||
	    cfg->vc_count == 0 || cfg->vc_count > PT_MAX_VCS ||
	    gen_bits > PT_MAX_GEN_BITS || cfg->tag == 0)
		return PT_E_INVAL; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */

	t = aligned_alloc(64, sizeof(*t));
	/* LCOV_EXCL_BR_START: no memory (above) */
	if (t == NULL)
		return PT_E_NOMEM; /* LCOV_EXCL_LINE: no memory (above) */
	/* LCOV_EXCL_BR_STOP */
	memset(t, 0, sizeof(*t));
	/* Exactly capacity slots: an index off by one is a heap overflow
	 * that ASan reports, not a silent read. */
	t->slots = calloc(cfg->capacity, sizeof(*t->slots));
	/* LCOV_EXCL_BR_START: no memory (above) */
	if (t->slots == NULL) {
	/* LCOV_EXCL_BR_STOP */
		/* LCOV_EXCL_START: no memory (above) */
		free(t);
		return PT_E_NOMEM;
	} /* LCOV_EXCL_STOP */
	t->capacity = cfg->capacity;
	t->vc_count = cfg->vc_count;
	t->tag = cfg->tag;
	table_init(t, gen_bits);
	*out = t;
	return PT_OK;
}

int pt_table_reset(struct pt_table *t, uint32_t gen_bits)
{
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (t == NULL || gen_bits > PT_MAX_GEN_BITS)
		return PT_E_INVAL; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	table_init(t, gen_bits ? gen_bits : PT_MAX_GEN_BITS);
	return PT_OK;
}

void pt_table_destroy(struct pt_table *t)
{
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (t == NULL)
		return; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	free(t->slots);
	free(t);
}

int pt_party_alloc(struct pt_table *t, uint32_t vc,
		   enum pt_party_state initial, uintptr_t ctx,
		   pt_handle_t *out)
{
	struct pt_slot *s;
	uint32_t index, gen;
	uint64_t w;
	int err;

	if (out == NULL || !PT_STATE_IS_LIVE(initial))
		return PT_E_INVAL;
	if (vc >= t->vc_count)
		return PT_E_BAD_VC;
	err = freelist_pop(t, &index);
	if (err != PT_OK)
		return err;
	s = &t->slots[index];
	/* We own the FREE slot: nobody else can change its word (see the
	 * file comment). */
	w = pt_atomic_load_relaxed_u64(&s->word);
	/* LCOV_EXCL_BR_START: an assertion: a popped slot is free and
	 * unreferenced */
	PT_ASSERT_INTERNAL(W_STATE(w) == PT_FREE && W_REFS(w) == 0);
	/* LCOV_EXCL_BR_STOP */
	gen = W_GEN(w);
	/* Release (M4): pairs with the acquire fence in pt_party_lookup. */
	PT_ORDER(ALLOC_VC_RELAXED, pt_atomic_store_release_u32,
		 pt_atomic_store_relaxed_u32)(&s->vc, vc);
	PT_ORDER(ALLOC_CTX_RELAXED, pt_atomic_store_release_uptr,
		 pt_atomic_store_relaxed_uptr)(&s->ctx, ctx);
	/* Publish. Release (M5): pairs with the acquire load of lookup,
	 * acquire, transition and retire, which then see vc and ctx. */
#if PT_FAULT_IS(RELAXED_PUBLISH)
	pt_atomic_store_relaxed_u64(&s->word, w_make(gen, 0, initial));
#else
	pt_atomic_store_release_u64(&s->word, w_make(gen, 0, initial));
#endif
	*out = pt_handle_pack(t->tag, gen, index);
	return PT_OK;
}

static PT_INLINE_BODY int lookup(const struct pt_table *t, pt_handle_t h,
				 struct pt_party_info *info)
{
	struct pt_slot *s;
	uint32_t index, gen, vc;
	uintptr_t ctx;
	uint64_t w;
	int err;

	err = handle_decode(t, h, &index, &gen);
	if (err != PT_OK)
		return err;
	s = &t->slots[index];
	/* Acquire (M6): pairs with the publishing release store in alloc
	 * and the acq_rel CAS of transition/retire. */
	w = PT_ORDER(LOOKUP_LOAD_RELAXED, pt_atomic_load_acquire_u64,
		     pt_atomic_load_relaxed_u64)(&s->word);
	err = word_check(w, gen);
	if (err != PT_OK || info == NULL)
		return err;
	vc = pt_atomic_load_relaxed_u32(&s->vc);
	ctx = pt_atomic_load_relaxed_uptr(&s->ctx);
	/* Acquire fence (M7): pairs with the release stores of vc and ctx
	 * in alloc: if we read a later life's values, the reload below sees
	 * its generation. */
	if (!PT_FAULT_IS(LOOKUP_NO_FENCE))
		pt_atomic_fence_acquire();
#if !PT_FAULT_IS(LOOKUP_NO_RECHECK)
	/* Acquire (M8): the state and references reported are this load's,
	 * so it pairs with the acq_rel CAS that wrote them, as the first
	 * load does (a relaxed reload would report a transition's state
	 * without what the transitioning thread wrote before it). */
	w = PT_ORDER(LOOKUP_RECHECK_RELAXED, pt_atomic_load_acquire_u64,
		     pt_atomic_load_relaxed_u64)(&s->word);
	err = word_check(w, gen);
	if (err != PT_OK)
		return err;
#endif
	info->state = (enum pt_party_state)W_STATE(w);
	info->refs = W_REFS(w);
	info->vc = vc;
	info->ctx = ctx;
	return PT_OK;
}

int pt_party_lookup(const struct pt_table *t, pt_handle_t h,
		    struct pt_party_info *info)
{
#if PT_FAULT_IS(PLAIN_STATS)
	/* The planted race: every thread's lookup, here, where TSan's
	 * report names pt_party_lookup (the oracles' twin counts none). */
	((struct pt_table *)t)->lookups++;
#endif
	return lookup(t, h, info);
}

PT_ORACLE int _pt_party_lookup_nocov(const struct pt_table *t,
					  pt_handle_t h,
					  struct pt_party_info *info)
{
	return lookup(t, h, info);
}

int pt_party_acquire(struct pt_table *t, pt_handle_t h)
{
	struct pt_slot *s;
	uint32_t index, gen;
	uint64_t w;
	int err;

	err = handle_decode(t, h, &index, &gen);
	if (err != PT_OK)
		return err;
	s = &t->slots[index];
	/* Acquire (M9): an error answer reports this word's state. */
	w = PT_ORDER(ACQUIRE_LOAD_RELAXED, pt_atomic_load_acquire_u64,
		     pt_atomic_load_relaxed_u64)(&s->word);
	for (;;) {
		err = word_check(w, gen);
		if (err != PT_OK)
			return err;
		/* LCOV_EXCL_BR_START: needs 2^24 - 1 references held at once
		 * (below) */
		if (W_REFS(w) == PT_MAX_REFS)
			/* LCOV_EXCL_START: needs 2^24 - 1 references held at
			 * once; a fuzz_party_table program makes at most
			 * MAX_OPS (256); test_party_table.c makes them. */
			return PT_E_REF_OVERFLOW;
			/* LCOV_EXCL_STOP */
		/* LCOV_EXCL_BR_STOP */
#if PT_FAULT_IS(ACQUIRE_SPLIT)
		pt_atomic_store_release_u64(&s->word, w + W_ONE_REF);
		return PT_OK;
#else
		/* acq_rel (M10). Acquire, on failure too: the retry decides
		 * on what it read. Release: a thread that reads the new
		 * count, and every thread after it, must see the reference
		 * (linearizable per slot, party_table.h). */
		if (PT_ORDER(ACQUIRE_CAS_RELAXED, pt_atomic_cas_acq_rel_u64,
			     pt_atomic_cas_relaxed_u64)(&s->word, &w,
							w + W_ONE_REF))
			return PT_OK;
#endif
	}
}

int pt_party_release(struct pt_table *t, pt_handle_t h)
{
	struct pt_slot *s;
	uint32_t index, gen;
	uint64_t w, nw;
	int err;

	err = handle_decode(t, h, &index, &gen);
	if (err != PT_OK)
		return err;
	s = &t->slots[index];
	/* Acquire (M11): an error answer reports this word's state. */
	w = PT_ORDER(RELEASE_LOAD_RELAXED, pt_atomic_load_acquire_u64,
		     pt_atomic_load_relaxed_u64)(&s->word);
	for (;;) {
		uint32_t st = W_STATE(w);

		/* Unlike word_check, a DEAD party at the handle's
		 * generation is fine here: its holders release it. */
		if (gen < W_GEN(w) || st == PT_PARKED)
			return PT_E_STALE;
		if (gen > W_GEN(w) || st == PT_FREE)
			return PT_E_MALFORMED;
		if (W_REFS(w) == 0)
			return PT_E_NO_REF;
		if (st == PT_DEAD && W_REFS(w) == 1)
			nw = recycled_word(t, w); /* I2: last ref recycles */
		else
			nw = w - W_ONE_REF;
		/* acq_rel (M12): release, so the holder's use of the party
		 * happens before the slot is recycled; acquire, so the thread
		 * that recycles sees every other holder's release and the
		 * retire. */
		if (PT_ORDER(RELEASE_CAS_RELAXED, pt_atomic_cas_acq_rel_u64,
			     pt_atomic_cas_relaxed_u64)(&s->word, &w, nw))
			break;
	}
	if (W_STATE(nw) == PT_FREE)
		freelist_push(t, index);
	return PT_OK;
}

int pt_party_transition(struct pt_table *t, pt_handle_t h,
			enum pt_party_state from, enum pt_party_state to)
{
	struct pt_slot *s;
	uint32_t index, gen;
	uint64_t w;
	int err;

	if (!PT_STATE_IS_LIVE(from) || !PT_STATE_IS_LIVE(to))
		return PT_E_INVAL;
	err = handle_decode(t, h, &index, &gen);
	if (err != PT_OK)
		return err;
	s = &t->slots[index];
	/* Acquire (M13): an error answer reports this word's state. */
	w = PT_ORDER(TRANSITION_LOAD_RELAXED, pt_atomic_load_acquire_u64,
		     pt_atomic_load_relaxed_u64)(&s->word);
	for (;;) {
		err = word_check(w, gen);
		if (err != PT_OK)
			return err;
		if (W_STATE(w) != (uint32_t)from)
			return PT_E_STATE;
#if PT_FAULT_IS(SPLIT_CAS)
		/* Check-then-act: the check above and this store are two
		 * steps; a racing transition or retire is overwritten. */
		pt_atomic_store_release_u64(&s->word, w_with_state(w, to));
		return PT_OK;
#else
		/* The generation and the state are checked and changed in
		 * one step: a stale handle or a racing transition fails. */
		/* acq_rel (M14): publishes the new state with what this
		 * thread wrote before; acquires the state it replaces. */
		if (PT_ORDER(TRANSITION_CAS_RELAXED, pt_atomic_cas_acq_rel_u64,
			     pt_atomic_cas_relaxed_u64)(&s->word, &w,
							w_with_state(w, to)))
			return PT_OK;
#endif
	}
}

int pt_party_retire(struct pt_table *t, pt_handle_t h,
		    enum pt_party_state expected)
{
	struct pt_slot *s;
	uint32_t index, gen;
	uint64_t w, nw;
	int err;

	if (!PT_STATE_IS_LIVE(expected))
		return PT_E_INVAL;
	err = handle_decode(t, h, &index, &gen);
	if (err != PT_OK)
		return err;
	s = &t->slots[index];
	/* Acquire (M15): an error answer reports this word's state. */
	w = PT_ORDER(RETIRE_LOAD_RELAXED, pt_atomic_load_acquire_u64,
		     pt_atomic_load_relaxed_u64)(&s->word);
	for (;;) {
		err = word_check(w, gen);
		if (err != PT_OK)
			return err;
		if (W_STATE(w) != (uint32_t)expected)
			return PT_E_STATE;
#if PT_FAULT_IS(RETIRE_SPLIT_RECYCLE)
		nw = w_with_state(w, PT_DEAD);
#else
#if PT_FAULT_IS(RECYCLE_REFERENCED)
		nw = recycled_word(t, w);
#else
		nw = W_REFS(w) == 0 ? recycled_word(t, w)
				    : w_with_state(w, PT_DEAD);
#endif
#endif
		/* acq_rel (M16): publishes the end of the party; acquires
		 * the holders' releases when it recycles (refs == 0). */
		if (PT_ORDER(RETIRE_CAS_RELAXED, pt_atomic_cas_acq_rel_u64,
			     pt_atomic_cas_relaxed_u64)(&s->word, &w, nw))
			break;
	}
#if PT_FAULT_IS(RETIRE_SPLIT_RECYCLE)
	w = pt_atomic_load_acquire_u64(&s->word);
	if (W_REFS(w) == 0) {
		nw = recycled_word(t, w);
		pt_atomic_store_release_u64(&s->word, nw);
	}
#endif
	if (W_STATE(nw) == PT_FREE)
		freelist_push(t, index);
	return PT_OK;
}

uint32_t pt_vc_live_count(const struct pt_table *t, uint32_t vc)
{
	uint32_t i, n = 0;

	if (vc >= t->vc_count)
		return 0;
	for (i = 0; i < t->capacity; i++) {
		struct pt_slot *s = &t->slots[i];
		/* Acquire (M17): pairs with the publishing store in alloc,
		 * so the vc read below is this life's (I5). */
		uint64_t w = PT_ORDER(LIVE_COUNT_LOAD_RELAXED,
				      pt_atomic_load_acquire_u64,
				      pt_atomic_load_relaxed_u64)(&s->word);

		if (PT_STATE_IS_LIVE(W_STATE(w)) &&
		    pt_atomic_load_relaxed_u32(&s->vc) == vc)
			n++;
	}
	return n;
}

static PT_INLINE_BODY int vc_next(const struct pt_table *t, uint32_t vc,
				  uint32_t *cursor, pt_handle_t *h,
				  struct pt_party_info *info)
{
	uint32_t i;

	for (i = *cursor; i < t->capacity; i++) {
		struct pt_slot *s = &t->slots[i];
		/* Relaxed (M18): quiescent points only. */
		uint64_t w = pt_atomic_load_relaxed_u64(&s->word);

		if (!PT_STATE_IS_LIVE(W_STATE(w)) ||
		    pt_atomic_load_relaxed_u32(&s->vc) != vc)
			continue;
		*h = pt_handle_pack(t->tag, W_GEN(w), i);
		if (info != NULL) {
			info->state = (enum pt_party_state)W_STATE(w);
			info->refs = W_REFS(w);
			info->vc = vc;
			info->ctx = pt_atomic_load_relaxed_uptr(&s->ctx);
		}
		*cursor = i + 1;
		return 1;
	}
	*cursor = t->capacity;
	return 0;
}

int pt_vc_next(const struct pt_table *t, uint32_t vc, uint32_t *cursor,
	       pt_handle_t *h, struct pt_party_info *info)
{
	return vc_next(t, vc, cursor, h, info);
}

PT_ORACLE int _pt_vc_next_nocov(const struct pt_table *t, uint32_t vc,
				     uint32_t *cursor, pt_handle_t *h,
				     struct pt_party_info *info)
{
	return vc_next(t, vc, cursor, h, info);
}

/* ---- validation and dump ----------------------------------------------- */

PT_ORACLE
int pt_table_validate(const struct pt_table *t, char *why, size_t len)
{
	pt_atomic_u64 *head_p = (pt_atomic_u64 *)&t->free_head;
	/* Relaxed (M18): quiescent points only, as every load below. */
	uint64_t head = pt_atomic_load_relaxed_u64(head_p);
	uint32_t i, top, n_free = 0, n_listed = 0;

	for (i = 0; i < t->capacity; i++) {
		pt_atomic_u64 *wp = (pt_atomic_u64 *)&t->slots[i].word;
		pt_atomic_u32 *vp = (pt_atomic_u32 *)&t->slots[i].vc;
		uint64_t w = pt_atomic_load_relaxed_u64(wp);
		uint32_t st = W_STATE(w), refs = W_REFS(w), gen = W_GEN(w);

		/* LCOV_EXCL_BR_START: an invariant check of
		 * pt_table_validate(): it fails only on a broken invariant,
		 * a bug in core/ or a planted fault (the mutants label shows
		 * each fault caught) */
		PT_CHECK(gen >= 1 && gen <= t->gen_max,
		      "I1: slot %u generation %u outside 1..%u", i, gen,
		      t->gen_max);
		/* LCOV_EXCL_BR_STOP */
		/* LCOV_EXCL_BR_START: an invariant check of
		 * pt_table_validate(): it fails only on a broken invariant,
		 * a bug in core/ or a planted fault (the mutants label shows
		 * each fault caught) */
		PT_CHECK(st < PT_STATE_COUNT, "I2: slot %u bad state %u", i, st);
		/* LCOV_EXCL_BR_STOP */
		PT_CHECK(PT_IMPLIES(st == PT_FREE || st == PT_PARKED, refs == 0),
		      "I2: slot %u is %s with %u references", i,
		      pt_state_name((int)st), refs);
		PT_CHECK(PT_IMPLIES(st == PT_DEAD, refs > 0),
		      "I2: slot %u DEAD without references (never recycled)",
		      i);
		PT_CHECK(PT_IMPLIES(st == PT_PARKED, gen == t->gen_max),
		      "I3: slot %u PARKED at generation %u < %u", i, gen,
		      t->gen_max);
		PT_CHECK(PT_IMPLIES(PT_STATE_IS_LIVE(st) || st == PT_DEAD,
				 pt_atomic_load_relaxed_u32(vp) < t->vc_count),
		      "I5: slot %u VC %u out of range", i,
		      pt_atomic_load_relaxed_u32(vp));
		if (st == PT_FREE)
			n_free++;
	}

	/* I4: walk at most capacity links; a longer walk is a cycle. */
	for (top = (uint32_t)head; top != 0; n_listed++) {
		pt_atomic_u64 *wp;
		pt_atomic_u32 *np;

		/* LCOV_EXCL_BR_START: an invariant check of
		 * pt_table_validate(): it fails only on a broken invariant,
		 * a bug in core/ or a planted fault (the mutants label shows
		 * each fault caught) */
		PT_CHECK(top <= t->capacity, "I4: free-list link %u out of range",
		      top);
		/* LCOV_EXCL_BR_STOP */
		/* LCOV_EXCL_BR_START: an invariant check of
		 * pt_table_validate(): it fails only on a broken invariant,
		 * a bug in core/ or a planted fault (the mutants label shows
		 * each fault caught) */
		PT_CHECK(n_listed < n_free,
		      "I4: free list longer than the %u FREE slots (cycle, "
		      "or a non-FREE slot listed)",
		      n_free);
		/* LCOV_EXCL_BR_STOP */
		wp = (pt_atomic_u64 *)&t->slots[top - 1].word;
		np = (pt_atomic_u32 *)&t->slots[top - 1].next;
		/* LCOV_EXCL_BR_START: an invariant check of
		 * pt_table_validate(): it fails only on a broken invariant,
		 * a bug in core/ or a planted fault (the mutants label shows
		 * each fault caught) */
		PT_CHECK(W_STATE(pt_atomic_load_relaxed_u64(wp)) == PT_FREE,
		      "I4: slot %u on the free list is %s", top - 1,
		      pt_state_name((int)W_STATE(
			      pt_atomic_load_relaxed_u64(wp))));
		/* LCOV_EXCL_BR_STOP */
		top = pt_atomic_load_relaxed_u32(np);
	}
	/* LCOV_EXCL_BR_START: an invariant check of pt_table_validate(): it
	 * fails only on a broken invariant, a bug in core/ or a planted
	 * fault (the mutants label shows each fault caught) */
	PT_CHECK(n_listed == n_free,
	      "I4: free list holds %u slots, %u slots are FREE", n_listed,
	      n_free);
	/* LCOV_EXCL_BR_STOP */

	return PT_OK;
}

PT_NO_COVERAGE
/* LCOV_EXCL_START: debug printing: the dump of a failing
 * pt_table_validate() or assertion (the fuzz targets' assert hook), which
 * then aborts; core/test/test_party_table.c checks its output. */
void pt_table_dump(const struct pt_table *t, FILE *out)
{
	pt_atomic_u64 *head_p = (pt_atomic_u64 *)&t->free_head;
	uint64_t head = pt_atomic_load_relaxed_u64(head_p);
	uint32_t i;

	fprintf(out,
		"party table: capacity %u, %u VCs, gen_max %u, tag 0x%02x, "
		"free head %u (aba %u)\n",
		t->capacity, t->vc_count, t->gen_max, t->tag, (uint32_t)head,
		(uint32_t)(head >> 32));
	for (i = 0; i < t->capacity; i++) {
		struct pt_slot *s = (struct pt_slot *)&t->slots[i];
		uint64_t w = pt_atomic_load_relaxed_u64(&s->word);

		if (W_STATE(w) == PT_FREE)
			continue;
		fprintf(out,
			"  slot %u: gen %u refs %u %s vc %u ctx 0x%llx "
			"handle 0x%016llx\n",
			i, W_GEN(w), W_REFS(w), pt_state_name((int)W_STATE(w)),
			pt_atomic_load_relaxed_u32(&s->vc),
			(unsigned long long)pt_atomic_load_relaxed_uptr(&s->ctx),
			(unsigned long long)pt_handle_pack(t->tag, W_GEN(w), i));
	}
}
/* LCOV_EXCL_STOP */

PT_NO_COVERAGE
unsigned _pt_table_word(const struct pt_table *t, const volatile void *addr,
			uint64_t value, char *name, size_t name_len,
			char *vbuf, size_t vbuf_len)
{
	uintptr_t a = (uintptr_t)addr;
	uintptr_t base = (uintptr_t)t->slots;
	uintptr_t off;
	uint32_t i;

	if (a == (uintptr_t)&t->free_head) {
		snprintf(name, name_len, "free head");
		if ((uint32_t)value == 0)
			snprintf(vbuf, vbuf_len, "empty aba %u",
				 (uint32_t)(value >> 32));
		else
			snprintf(vbuf, vbuf_len, "top slot %u aba %u",
				 (uint32_t)value - 1, (uint32_t)(value >> 32));
		return 8;
	}
	if (a < base || a >= base + (uintptr_t)t->capacity * sizeof(*t->slots))
		return 0;
	i = (uint32_t)((a - base) / sizeof(*t->slots));
	off = (a - base) % sizeof(*t->slots);
	if (off == offsetof(struct pt_slot, word)) {
		snprintf(name, name_len, "slot %u word", i);
		snprintf(vbuf, vbuf_len, "gen %u refs %u %s", W_GEN(value),
			 W_REFS(value), pt_state_name((int)W_STATE(value)));
		return 8;
	}
	if (off == offsetof(struct pt_slot, next)) {
		snprintf(name, name_len, "slot %u next", i);
		if ((uint32_t)value == 0)
			snprintf(vbuf, vbuf_len, "end");
		else
			snprintf(vbuf, vbuf_len, "slot %u",
				 (uint32_t)value - 1);
		return 4;
	}
	if (off == offsetof(struct pt_slot, vc)) {
		snprintf(name, name_len, "slot %u vc", i);
		snprintf(vbuf, vbuf_len, "%u", (uint32_t)value);
		return 4;
	}
	if (off == offsetof(struct pt_slot, ctx)) {
		snprintf(name, name_len, "slot %u ctx", i);
		snprintf(vbuf, vbuf_len, "0x%llx", (unsigned long long)value);
		return (unsigned)sizeof(uintptr_t);
	}
	return 0;
}

PT_NO_COVERAGE
int _pt_table_publishes(const struct pt_table *t, const volatile void *addr,
			uint64_t old, uint64_t v)
{
	uintptr_t a = (uintptr_t)addr;
	uintptr_t base = (uintptr_t)t->slots;

	if (a < base || a >= base + (uintptr_t)t->capacity * sizeof(*t->slots))
		return 0;
	if ((a - base) % sizeof(*t->slots) != offsetof(struct pt_slot, word))
		return 0;
	return W_GEN(old) != W_GEN(v) || W_STATE(old) != W_STATE(v);
}

uint32_t pt_table_capacity(const struct pt_table *t)
{
	return t->capacity;
}

/* LCOV_EXCL_START: C API that only the unit tests call
 * (core/test/test_party_table.c): no input reaches it. */
uint32_t pt_table_vc_count(const struct pt_table *t)
{
	return t->vc_count;
}
/* LCOV_EXCL_STOP */

uint32_t pt_table_gen_max(const struct pt_table *t)
{
	return t->gen_max;
}

/* LCOV_EXCL_START: C API that only the unit tests call
 * (core/test/test_party_table.c): no input reaches it. */
uint8_t pt_table_tag(const struct pt_table *t)
{
	return t->tag;
}
/* LCOV_EXCL_STOP */
