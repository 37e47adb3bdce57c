/*
 * layout.c - learn the party table's word addresses from yield points.
 *
 * Probes (each reads the yield-point log of one call, sched.h):
 *   P1 pt_table_validate(t): first atomic = load of the free-list head.
 *   P2 pt_party_lookup(t, (tag, gen 1, index i), NULL): first atomic =
 *      load of slot i's word (the handle decodes, so the word is read).
 *      i = 0 gives the slot array, i = 1 (capacity >= 2) the stride.
 *   P3 pt_vc_live_count(t, 0): its one atomic = load of vc_live[0].
 *   P4 once, on a private 2-slot table: pt_party_lookup with a snapshot of
 *      a live party loads word, vc, ctx, (fence), word: the vc and ctx
 *      offsets; pt_party_alloc's atomics inside slot 0 that are neither
 *      word, vc nor ctx give the free-list link offset.
 */
#include "layout.h"

#include <stdio.h>
#include <string.h>

#include "fuzz_util.h"

#include "sched.h"

/* The slot-word encoding drawn in party_table.h. */
#define LW_STATE(w) ((uint32_t)((w)&0xffu))
#define LW_REFS(w) ((uint32_t)((w) >> 8) & 0xffffffu)
#define LW_GEN(w) ((uint32_t)((w) >> 32))

static struct {
	int learned, ok;
	size_t stride, off_next, off_vc, off_ctx;
} field;

/* First probed address of a call, if its op is `op`. */
PF_ORACLE static uintptr_t first_addr(const char *op)
{
	const struct ps_probe *p;
	unsigned n = ps_probe_end(&p);

	if (n == 0 || strcmp(p[0].op, op) != 0)
		return 0;
	return (uintptr_t)p[0].addr;
}

/* P4: field offsets inside a slot, from a private table. */
PF_ORACLE static void learn_fields(void)
{
	struct pt_config cfg = {
		.capacity = 2, .vc_count = 1, .gen_bits = 2, .tag = 0x7e
	};
	const struct ps_probe *p;
	struct pt_party_info info;
	struct pt_table *t;
	pt_handle_t h;
	uintptr_t word;
	unsigned n, i;

	field.learned = 1;
	if (pt_table_create(&cfg, &t) != PT_OK)
		return;
	ps_probe_begin();
	if (pt_party_alloc(t, 0, PT_ACTIVE, 1, &h) != PT_OK ||
	    pt_handle_index(h) != 0) {
		(void)ps_probe_end(&p);
		pt_table_destroy(t);
		return;
	}
	n = ps_probe_end(&p);
	{
		struct ps_probe alloc_log[PS_PROBE_MAX];
		unsigned alloc_n = n;

		memcpy(alloc_log, p, n * sizeof(*p));
		ps_probe_begin();
		if (pt_party_lookup(t, h, &info) != PT_OK ||
		    ps_probe_end(&p) != 5 ||
		    strcmp(p[0].op, "load_acquire") != 0 ||
		    p[4].addr != p[0].addr) {
			pt_table_destroy(t);
			return;
		}
		word = (uintptr_t)p[0].addr;
		field.off_vc = (uintptr_t)p[1].addr - word;
		field.off_ctx = (uintptr_t)p[2].addr - word;
		ps_probe_begin();
		if (pt_party_lookup(t, pt_handle_pack(0x7e, 1, 1), NULL) !=
		    PT_E_MALFORMED) {
			(void)ps_probe_end(&p);
			pt_table_destroy(t);
			return;
		}
		field.stride = first_addr("load_acquire") - word;
		for (i = 0; i < alloc_n; i++) {
			uintptr_t a = (uintptr_t)alloc_log[i].addr;

			if (a > word && a < word + field.stride &&
			    a != word + field.off_vc &&
			    a != word + field.off_ctx)
				field.off_next = a - word;
		}
	}
	field.ok = field.stride >= 8 && field.stride < 4096 &&
		   field.off_next != 0 && field.off_vc < field.stride &&
		   field.off_ctx < field.stride;
	pt_table_destroy(t);
}

PF_ORACLE void ps_layout_learn(struct ps_layout *l, const struct pt_table *t)
{
	uint32_t v;
	int rc;

	memset(l, 0, sizeof(*l));
	if (!field.learned)
		learn_fields();
	if (!field.ok)
		return;
	l->stride = field.stride;
	l->off_next = field.off_next;
	l->off_vc = field.off_vc;
	l->off_ctx = field.off_ctx;
	l->capacity = pt_table_capacity(t);
	l->vc_count = pt_table_vc_count(t);

	/* Answers are ignored (gcc ignores a (void) cast of a
	 * warn_unused_result call): only the addresses matter. */
	ps_probe_begin(); /* P1 */
	rc = pt_table_validate(t, NULL, 0);
	l->free_head = first_addr("load_acquire");
	ps_probe_begin(); /* P2 */
	rc = pt_party_lookup(t, pt_handle_pack(pt_table_tag(t), 1, 0), NULL);
	(void)rc;
	l->slots = first_addr("load_acquire");
	ps_probe_begin(); /* P3 */
	v = pt_vc_live_count(t, 0);
	(void)v;
	l->vc_live = first_addr("load_relaxed");
	l->known = l->free_head != 0 && l->slots != 0 && l->vc_live != 0;
}

/* Which word: 0 unknown, else 1 + kind; *index the slot or VC. */
enum lw_kind { LW_NONE, LW_HEAD, LW_WORD, LW_NEXT, LW_VC, LW_CTX, LW_LIVE };

PF_ORACLE static enum lw_kind
classify(const struct ps_layout *l, const volatile void *addr, uint32_t *index)
{
	uintptr_t a = (uintptr_t)addr;

	if (!l->known || a == 0)
		return LW_NONE;
	if (a == l->free_head)
		return LW_HEAD;
	if (a >= l->slots &&
	    a < l->slots + (uintptr_t)l->capacity * l->stride) {
		size_t off = (a - l->slots) % l->stride;

		*index = (uint32_t)((a - l->slots) / l->stride);
		if (off == 0)
			return LW_WORD;
		if (off == l->off_next)
			return LW_NEXT;
		if (off == l->off_vc)
			return LW_VC;
		if (off == l->off_ctx)
			return LW_CTX;
		return LW_NONE;
	}
	if (a >= l->vc_live && a < l->vc_live + 4u * (uintptr_t)l->vc_count &&
	    (a - l->vc_live) % 4 == 0) {
		*index = (uint32_t)((a - l->vc_live) / 4);
		return LW_LIVE;
	}
	return LW_NONE;
}

PF_ORACLE unsigned ps_layout_width(const void *layout,
				   const volatile void *addr)
{
	uint32_t i;

	switch (classify(layout, addr, &i)) {
	case LW_HEAD:
	case LW_WORD:
	case LW_CTX:
		return 8;
	case LW_NEXT:
	case LW_VC:
	case LW_LIVE:
		return 4;
	default:
		return 0;
	}
}

PF_ORACLE void ps_layout_name(const struct ps_layout *l,
			      const volatile void *addr, char *buf, size_t len)
{
	uint32_t i = 0;

	switch (classify(l, addr, &i)) {
	case LW_HEAD:
		snprintf(buf, len, "free head");
		break;
	case LW_WORD:
		snprintf(buf, len, "slot %u word", i);
		break;
	case LW_NEXT:
		snprintf(buf, len, "slot %u next", i);
		break;
	case LW_VC:
		snprintf(buf, len, "slot %u vc", i);
		break;
	case LW_CTX:
		snprintf(buf, len, "slot %u ctx", i);
		break;
	case LW_LIVE:
		snprintf(buf, len, "vc_live[%u]", i);
		break;
	default:
		if (addr == NULL)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%p", (const void *)addr);
		break;
	}
}

PF_ORACLE void ps_layout_value(const struct ps_layout *l,
			       const volatile void *addr, uint64_t v,
			       char *buf, size_t len)
{
	uint32_t i = 0;

	switch (classify(l, addr, &i)) {
	case LW_HEAD:
		if ((uint32_t)v == 0)
			snprintf(buf, len, "empty aba %u",
				 (uint32_t)(v >> 32));
		else
			snprintf(buf, len, "top slot %u aba %u",
				 (uint32_t)v - 1, (uint32_t)(v >> 32));
		break;
	case LW_WORD:
		snprintf(buf, len, "gen %u refs %u %s", LW_GEN(v), LW_REFS(v),
			 pt_state_name((int)LW_STATE(v)));
		break;
	case LW_NEXT:
		if ((uint32_t)v == 0)
			snprintf(buf, len, "end");
		else
			snprintf(buf, len, "slot %u", (uint32_t)v - 1);
		break;
	case LW_CTX:
		snprintf(buf, len, "0x%llx", (unsigned long long)v);
		break;
	case LW_VC:
	case LW_LIVE:
		snprintf(buf, len, "%u", (uint32_t)v);
		break;
	default:
		snprintf(buf, len, "?");
		break;
	}
}
