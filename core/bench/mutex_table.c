/*
 * mutex_table.c - the party table under one pthread mutex (the baseline of
 * bench_table; see mutex_table.h).
 *
 * Same word encoding and free list as core/src/party_table.c, with plain
 * fields: every field is read and written only with t->lock held, so the
 * mutex's acquire/release orders everything and no atomics are needed.
 *
 * Invariants (those of party_table.c that the replicated operations touch):
 *   M1 Every slot's generation is in 1 .. gen_max and never decreases; a
 *      slot at gen_max parks, so `<` between generations is exact.
 *   M2 The free list holds every FREE slot exactly once.
 *   (No per-VC counters, like party_table.c: a live count is a scan.)
 */
#include "mutex_table.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The word layout of party_table.h: [generation:32 | refs:24 | state:8]. */
#define MW_GEN_SHIFT 32
#define MW_STATE(w) ((uint32_t)((w)&0xffu))
#define MW_GEN(w) ((uint32_t)((w) >> MW_GEN_SHIFT))
#define MW_MAKE(gen, state) (((uint64_t)(gen) << MW_GEN_SHIFT) | (state))

struct mt_slot {
	uint64_t word; /* [generation:32 | refs:24 | state:8]; refs stay 0 */
	uint32_t next; /* free-list link: index + 1, 0 ends the list */
	uint32_t vc;
	uintptr_t ctx;
};

struct mt_table {
	pthread_mutex_t lock; /* guards every field below */
	uint32_t free_top;    /* index + 1 of the first free slot, 0: none */
	uint32_t capacity;
	uint32_t vc_count;
	uint32_t gen_max;
	uint8_t tag;
	struct mt_slot *slots;
};

int mt_table_create(const struct pt_config *cfg, struct mt_table **out)
{
	struct mt_table *t;
	uint32_t gen_bits, i;

	if (cfg == NULL || out == NULL)
		return PT_E_INVAL;
	gen_bits = cfg->gen_bits ? cfg->gen_bits : PT_MAX_GEN_BITS;
	if (cfg->capacity == 0 || cfg->capacity > PT_MAX_CAPACITY ||
	    cfg->vc_count == 0 || cfg->vc_count > PT_MAX_VCS ||
	    gen_bits > PT_MAX_GEN_BITS || cfg->tag == 0)
		return PT_E_INVAL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return PT_E_NOMEM;
	t->slots = calloc(cfg->capacity, sizeof(*t->slots));
	if (t->slots == NULL || pthread_mutex_init(&t->lock, NULL) != 0) {
		free(t->slots);
		free(t);
		return PT_E_NOMEM;
	}
	t->capacity = cfg->capacity;
	t->vc_count = cfg->vc_count;
	t->gen_max = (uint32_t)(((uint64_t)1 << gen_bits) - 1);
	t->tag = cfg->tag;
	/* Slot 0 first, as pt_table_create() (M2). */
	for (i = 0; i < t->capacity; i++) {
		t->slots[i].word = MW_MAKE(1, PT_FREE);
		t->slots[i].next = i + 1 < t->capacity ? i + 2 : 0;
	}
	t->free_top = 1;
	*out = t;
	return PT_OK;
}

void mt_table_destroy(struct mt_table *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->slots);
	free(t);
}

/*
 * The checks of party_table.c's handle_decode and word_check in one:
 * PT_OK and the slot index if @h names a live party.
 * Context: t->lock held.
 */
static int __mt_check(const struct mt_table *t, pt_handle_t h, uint32_t *index)
{
	uint32_t i = pt_handle_index(h), g = pt_handle_gen(h);
	uint64_t w;

	if (h == PT_HANDLE_NULL)
		return PT_E_NULL;
	if (pt_handle_tag(h) != t->tag)
		return PT_E_FOREIGN;
	if (i >= t->capacity || g == 0 || g > t->gen_max)
		return PT_E_MALFORMED;
	w = t->slots[i].word;
	/* Exact: generations never wrap (M1). */
	if (g < MW_GEN(w))
		return PT_E_STALE;
	if (g > MW_GEN(w) || MW_STATE(w) == PT_FREE)
		return PT_E_MALFORMED;
	if (!PT_STATE_IS_LIVE(MW_STATE(w)))
		return PT_E_STALE;
	*index = i;
	return PT_OK;
}

int mt_party_alloc(struct mt_table *t, uint32_t vc,
		   enum pt_party_state initial, uintptr_t ctx,
		   pt_handle_t *out)
{
	struct mt_slot *s;
	uint32_t index;

	if (out == NULL || !PT_STATE_IS_LIVE(initial))
		return PT_E_INVAL;
	if (vc >= t->vc_count)
		return PT_E_BAD_VC;
	pthread_mutex_lock(&t->lock);
	if (t->free_top == 0) {
		pthread_mutex_unlock(&t->lock);
		return PT_E_FULL;
	}
	index = t->free_top - 1;
	s = &t->slots[index];
	t->free_top = s->next; /* M2 */
	s->vc = vc;
	s->ctx = ctx;
	s->word = MW_MAKE(MW_GEN(s->word), (uint32_t)initial);
	*out = pt_handle_pack(t->tag, MW_GEN(s->word), index);
	pthread_mutex_unlock(&t->lock);
	return PT_OK;
}

int mt_party_lookup(struct mt_table *t, pt_handle_t h)
{
	uint32_t index;
	int err;

	pthread_mutex_lock(&t->lock);
	err = __mt_check(t, h, &index);
	pthread_mutex_unlock(&t->lock);
	return err;
}

int mt_party_retire(struct mt_table *t, pt_handle_t h,
		    enum pt_party_state expected)
{
	struct mt_slot *s;
	uint32_t index, gen;
	int err;

	if (!PT_STATE_IS_LIVE(expected))
		return PT_E_INVAL;
	pthread_mutex_lock(&t->lock);
	err = __mt_check(t, h, &index);
	if (err == PT_OK &&
	    MW_STATE(t->slots[index].word) != (uint32_t)expected)
		err = PT_E_STATE;
	if (err != PT_OK) {
		pthread_mutex_unlock(&t->lock);
		return err;
	}
	s = &t->slots[index];
	gen = MW_GEN(s->word);
	if (gen >= t->gen_max) {
		s->word = MW_MAKE(gen, PT_PARKED); /* M1 */
	} else {
		s->word = MW_MAKE(gen + 1, PT_FREE);
		s->next = t->free_top; /* M2 */
		t->free_top = index + 1;
	}
	pthread_mutex_unlock(&t->lock);
	return PT_OK;
}

uint32_t mt_vc_live_count(struct mt_table *t, uint32_t vc)
{
	uint32_t n = 0;

	uint32_t i, st;

	pthread_mutex_lock(&t->lock);
	for (i = 0; vc < t->vc_count && i < t->capacity; i++) {
		st = MW_STATE(t->slots[i].word);
		if (PT_STATE_IS_LIVE(st) && t->slots[i].vc == vc)
			n++;
	}
	pthread_mutex_unlock(&t->lock);
	return n;
}
