/*
 * table_model.c - sequential reference model of the party table.
 *
 * Written from the contract in party_table.h, not from party_table.c: the
 * point is two independent statements of the same behaviour. Argument
 * checks come in the order the header documents them (state arguments,
 * then the handle, then the party), which the table follows too.
 */
#include "table_model.h"

#include <string.h>

#include "../fuzz_util.h"

PT_NO_COVERAGE
static int is_live(int s)
{
	return PT_STATE_IS_LIVE(s);
}

PT_NO_COVERAGE
int tm_init(struct tm_model *m, const struct pt_config *cfg)
{
	uint32_t bits = cfg->gen_bits ? cfg->gen_bits : 32;
	uint32_t i;

	if (cfg->capacity == 0 || cfg->capacity > TM_MAX_CAPACITY ||
	    cfg->vc_count == 0 || cfg->vc_count > TM_MAX_VCS || bits > 32 ||
	    cfg->tag == 0)
		return PT_E_INVAL;
	memset(m, 0, sizeof(*m));
	m->capacity = cfg->capacity;
	m->vc_count = cfg->vc_count;
	m->gen_max = bits == 32 ? UINT32_MAX : (1u << bits) - 1;
	m->tag = cfg->tag;
	for (i = 0; i < m->capacity; i++) {
		m->slots[i].gen = 1;
		m->slots[i].state = PT_FREE;
		/* Slot 0 is handed out first. */
		m->free[i] = m->capacity - 1 - i;
	}
	m->free_top = m->capacity;
	return PT_OK;
}

/* What the handle's bits alone say; on PT_OK *slot is its slot. */
PT_NO_COVERAGE
static int decode(const struct tm_model *m, pt_handle_t h, uint32_t *slot)
{
	uint32_t gen = pt_handle_gen(h);

	if (h == PT_HANDLE_NULL)
		return PT_E_NULL;
	if (pt_handle_tag(h) != m->tag)
		return PT_E_FOREIGN;
	if (pt_handle_index(h) >= m->capacity)
		return PT_E_MALFORMED;
	if (gen == 0 || gen > m->gen_max)
		return PT_E_MALFORMED;
	*slot = pt_handle_index(h);
	return PT_OK;
}

/* Is h the handle of a live party? */
PT_NO_COVERAGE
static int check(const struct tm_model *m, pt_handle_t h, uint32_t *slot)
{
	const struct tm_slot *s;
	int err = decode(m, h, slot);

	if (err != PT_OK)
		return err;
	s = &m->slots[*slot];
	if (pt_handle_gen(h) < s->gen)
		return PT_E_STALE;
	if (pt_handle_gen(h) > s->gen)
		return PT_E_MALFORMED;
	if (is_live(s->state))
		return PT_OK;
	return s->state == PT_FREE ? PT_E_MALFORMED : PT_E_STALE;
}

/* The last life of a slot ended. */
PT_NO_COVERAGE
static void recycle(struct tm_model *m, uint32_t slot)
{
	struct tm_slot *s = &m->slots[slot];

	s->refs = 0;
	if (s->gen == m->gen_max) {
		s->state = PT_PARKED;
		return;
	}
	s->gen++;
	s->state = PT_FREE;
	m->free[m->free_top++] = slot;
}

PT_NO_COVERAGE
int tm_alloc(struct tm_model *m, uint32_t vc, enum pt_party_state initial,
	     uintptr_t ctx, pt_handle_t *out)
{
	struct tm_slot *s;
	uint32_t slot;

	if (out == NULL || !is_live(initial))
		return PT_E_INVAL;
	if (vc >= m->vc_count)
		return PT_E_BAD_VC;
	if (m->free_top == 0)
		return PT_E_FULL;
	slot = m->free[--m->free_top];
	s = &m->slots[slot];
	s->state = initial;
	s->refs = 0;
	s->vc = vc;
	s->ctx = ctx;
	m->vc_live[vc]++;
	*out = pt_handle_pack(m->tag, s->gen, slot);
	return PT_OK;
}

PT_NO_COVERAGE
int tm_lookup(const struct tm_model *m, pt_handle_t h,
	      struct pt_party_info *info)
{
	uint32_t slot;
	int err = check(m, h, &slot);

	if (err == PT_OK && info != NULL) {
		info->state = m->slots[slot].state;
		info->refs = m->slots[slot].refs;
		info->vc = m->slots[slot].vc;
		info->ctx = m->slots[slot].ctx;
	}
	return err;
}

PT_NO_COVERAGE
int tm_acquire(struct tm_model *m, pt_handle_t h)
{
	uint32_t slot;
	int err = check(m, h, &slot);

	if (err != PT_OK)
		return err;
	if (m->slots[slot].refs == PT_MAX_REFS)
		return PT_E_REF_OVERFLOW;
	m->slots[slot].refs++;
	return PT_OK;
}

PT_NO_COVERAGE
int tm_release(struct tm_model *m, pt_handle_t h)
{
	struct tm_slot *s;
	uint32_t slot;
	int err = decode(m, h, &slot);

	if (err != PT_OK)
		return err;
	s = &m->slots[slot];
	/* A retired (DEAD) party can still be released by its holders. */
	if (pt_handle_gen(h) < s->gen || s->state == PT_PARKED)
		return PT_E_STALE;
	if (pt_handle_gen(h) > s->gen || s->state == PT_FREE)
		return PT_E_MALFORMED;
	if (s->refs == 0)
		return PT_E_NO_REF;
	if (s->state == PT_DEAD && s->refs == 1)
		recycle(m, slot);
	else
		s->refs--;
	return PT_OK;
}

PT_NO_COVERAGE
int tm_transition(struct tm_model *m, pt_handle_t h,
		  enum pt_party_state from, enum pt_party_state to)
{
	uint32_t slot;
	int err;

	if (!is_live(from) || !is_live(to))
		return PT_E_INVAL;
	err = check(m, h, &slot);
	if (err != PT_OK)
		return err;
	if (m->slots[slot].state != from)
		return PT_E_STATE;
	m->slots[slot].state = to;
	return PT_OK;
}

PT_NO_COVERAGE
int tm_retire(struct tm_model *m, pt_handle_t h,
	      enum pt_party_state expected)
{
	struct tm_slot *s;
	uint32_t slot;
	int err;

	if (!is_live(expected))
		return PT_E_INVAL;
	err = check(m, h, &slot);
	if (err != PT_OK)
		return err;
	s = &m->slots[slot];
	if (s->state != expected)
		return PT_E_STATE;
	m->vc_live[s->vc]--;
	if (s->refs == 0)
		recycle(m, slot);
	else
		s->state = PT_DEAD;
	return PT_OK;
}

PT_NO_COVERAGE
uint32_t tm_vc_live_count(const struct tm_model *m, uint32_t vc)
{
	return vc < m->vc_count ? m->vc_live[vc] : 0;
}
