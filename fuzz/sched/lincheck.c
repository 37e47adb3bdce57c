/*
 * lincheck.c - linearizability of a party-table history (lincheck.h).
 *
 * Search state: pos[t], the next operation of history thread t; limbo[t],
 * 1 + the slot a linearized recycling operation of t still has to push (0
 * none); the model. A thread's head is its pending push if any, else its
 * next operation.
 *
 * Invariants of the search:
 *   L1 An operation is linearized only if no other thread's head precedes
 *      it: responded before it was invoked, or in a weak history happens
 *      before it (precedes()). Heads are the earliest unlinearized items
 *      of their threads and program order is part of both orders, so this
 *      is the order of (b) in lincheck.h.
 *   L2 A push is the head of its thread until linearized, so it comes after
 *      its operation, before the thread's next operation, and before any
 *      operation of another thread invoked after its operation responded
 *      (L1 with the push carrying its operation's response time).
 *   L3 Two search states with equal (pos, limbo, model) have equal futures,
 *      so a state that failed once is never expanded again (memo).
 *   L4 The model is only ever copied within the first `capacity` slots and
 *      `vc_count` counters, the part tm_* functions read and write.
 *   L5 A weak history is checked one slot at a time (lc_check()): the
 *      search runs over the operations of that slot only (C.idx), each
 *      keeping its index into the history.
 *   L6 In a weak history the free list is a set (free_to_top()).
 */
#include "lincheck.h"

#include <string.h>

#include "fuzz_util.h"

#define LC_NODE_BUDGET 2000000ul
#define LC_MEMO_BITS 15
#define LC_MEMO_SIZE (1u << LC_MEMO_BITS)
#define LC_MAX_DEPTH (2 * LC_MAX_OPS + 1)

static const char *const kind_names[LC_KIND_COUNT] = {
	"alloc",      "lookup", "acquire",    "release",
	"transition", "retire", "live_count",
};

/* ---- recording ---------------------------------------------------------- */

PT_NO_COVERAGE void lc_history_init(struct lc_history *hist)
{
	hist->n = 0;
	hist->clock = 0;
	hist->weak = 0;
}

PT_NO_COVERAGE int lc_invoke(struct lc_history *hist, const struct lc_op *op,
			     uint32_t step)
{
	struct lc_op *o;

	if (hist->n >= LC_MAX_OPS)
		return -1;
	o = &hist->ops[hist->n];
	*o = *op;
	o->inv = ++hist->clock;
	o->inv_step = step;
	o->resp = 0;
	return (int)hist->n++;
}

PT_NO_COVERAGE void lc_respond(struct lc_history *hist, int i, uint32_t step)
{
	hist->ops[i].resp = ++hist->clock;
	hist->ops[i].resp_step = step;
}

/* ---- search ------------------------------------------------------------- */

/* Compact search state: the memo key (L3). */
struct lc_key {
	uint8_t pos[LC_MAX_THREADS];
	uint8_t limbo[LC_MAX_THREADS];
	uint32_t free_top;
	uint32_t free[LC_MAX_CAPACITY];
	struct tm_slot slots[LC_MAX_CAPACITY];
	uint32_t vc_live[LC_MAX_VCS];
};

struct lc_memo_entry {
	uint32_t epoch;
	struct lc_key key;
};

static struct {
	const struct lc_history *hist;
	unsigned nthr;
	unsigned len[LC_MAX_THREADS];
	unsigned idx[LC_MAX_THREADS][LC_MAX_OPS]; /* thread's ops, in order */
	unsigned pos[LC_MAX_THREADS];
	unsigned limbo[LC_MAX_THREADS];    /* 1 + slot, 0 none */
	unsigned limbo_op[LC_MAX_THREADS]; /* the op that recycled */
	struct tm_model models[LC_MAX_DEPTH + 1];
	unsigned long nodes;
	int budget_out;
	/* witness: the longest linearizable prefix */
	int seq[LC_MAX_DEPTH]; /* op index, or -(1 + op) for its push */
	int best_seq[LC_MAX_DEPTH];
	unsigned best_depth;
	uint32_t epoch;
	struct lc_memo_entry memo[LC_MEMO_SIZE];
} C;

/* L4: copy the part of the model the operations use. */
PT_NO_COVERAGE static void model_copy(struct tm_model *dst,
				      const struct tm_model *src)
{
	dst->capacity = src->capacity;
	dst->vc_count = src->vc_count;
	dst->gen_max = src->gen_max;
	dst->tag = src->tag;
	dst->free_top = src->free_top;
	memcpy(dst->free, src->free, src->capacity * sizeof(src->free[0]));
	memcpy(dst->slots, src->slots, src->capacity * sizeof(src->slots[0]));
	memcpy(dst->vc_live, src->vc_live,
	       src->vc_count * sizeof(src->vc_live[0]));
}

PT_NO_COVERAGE static void make_key(struct lc_key *k, const struct tm_model *m)
{
	unsigned t, i;

	memset(k, 0, sizeof(*k));
	for (t = 0; t < C.nthr; t++) {
		k->pos[t] = (uint8_t)C.pos[t];
		k->limbo[t] = (uint8_t)C.limbo[t];
	}
	k->free_top = m->free_top;
	memcpy(k->free, m->free, m->free_top * sizeof(m->free[0]));
	for (i = 0; i < m->capacity; i++) {
		/* Field by field: struct padding must not enter the key. */
		k->slots[i].gen = m->slots[i].gen;
		k->slots[i].refs = m->slots[i].refs;
		k->slots[i].state = m->slots[i].state;
		k->slots[i].vc = m->slots[i].vc;
		k->slots[i].ctx = m->slots[i].ctx;
	}
	memcpy(k->vc_live, m->vc_live, m->vc_count * sizeof(m->vc_live[0]));
}

PT_NO_COVERAGE static uint64_t key_hash(const struct lc_key *k)
{
	const unsigned char *p = (const unsigned char *)k;
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* L3: 1 if the state was seen before; else remember it. A full table
 * stops remembering (the search stays exact, only slower). */
PT_NO_COVERAGE static int memo_seen(const struct tm_model *m)
{
	struct lc_key k;
	uint64_t h;
	unsigned i, probe;

	make_key(&k, m);
	h = key_hash(&k);
	for (probe = 0; probe < 8; probe++) {
		i = (unsigned)(h + probe) & (LC_MEMO_SIZE - 1);
		if (C.memo[i].epoch != C.epoch) {
			C.memo[i].epoch = C.epoch;
			C.memo[i].key = k;
			return 0;
		}
		if (memcmp(&C.memo[i].key, &k, sizeof(k)) == 0)
			return 1;
	}
	return 0;
}

PT_NO_COVERAGE static int same_info(const struct pt_party_info *a,
				    const struct pt_party_info *b)
{
	return a->state == b->state && a->vc == b->vc && a->refs == b->refs &&
	       a->ctx == b->ctx;
}

/*
 * L6, weak histories only: the free list is a set (lincheck.h). The slot
 * an alloc got is moved to the top of the model's stack, which tm_alloc
 * then pops; an allocated or unknown slot still fails to match.
 */
PT_NO_COVERAGE static void free_to_top(struct tm_model *m, uint32_t slot)
{
	uint32_t i;

	for (i = 0; i < m->free_top; i++)
		if (m->free[i] == slot) {
			memmove(&m->free[i], &m->free[i + 1],
				(m->free_top - 1 - i) * sizeof(m->free[0]));
			m->free[m->free_top - 1] = slot;
			return;
		}
}

/* Apply op to the model; 1 if the model gives the recorded answer. */
PT_NO_COVERAGE static int apply(struct tm_model *m, const struct lc_op *o)
{
	struct pt_party_info info;
	pt_handle_t out = PT_HANDLE_NULL;
	int rc;

	switch (o->kind) {
	case LC_ALLOC:
		if (C.hist->weak && o->rc == PT_OK)
			free_to_top(m, pt_handle_index(o->out));
		rc = tm_alloc(m, o->vc, (enum pt_party_state)o->s1, o->ctx,
			      &out);
		return rc == o->rc && (rc != PT_OK || out == o->out);
	case LC_LOOKUP:
		memset(&info, 0, sizeof(info));
		rc = tm_lookup(m, o->h, o->snapshot ? &info : NULL);
		return rc == o->rc && (rc != PT_OK || !o->snapshot ||
				       same_info(&info, &o->info));
	case LC_ACQUIRE:
		return tm_acquire(m, o->h) == o->rc;
	case LC_RELEASE:
		return tm_release(m, o->h) == o->rc;
	case LC_TRANSITION:
		return tm_transition(m, o->h, (enum pt_party_state)o->s1,
				     (enum pt_party_state)o->s2) == o->rc;
	case LC_RETIRE:
		return tm_retire(m, o->h, (enum pt_party_state)o->s1) == o->rc;
	case LC_LIVE_COUNT:
		return (int)tm_vc_live_count(m, o->vc) == o->rc;
	default:
		return 0;
	}
}

/* The operation of thread t's head (a push stands for its operation);
 * NULL if the thread is finished. */
PT_NO_COVERAGE static const struct lc_op *head_op(unsigned t)
{
	if (C.limbo[t])
		return &C.hist->ops[C.limbo_op[t]];
	if (C.pos[t] < C.len[t])
		return &C.hist->ops[C.idx[t][C.pos[t]]];
	return NULL;
}

/* Must a come before b (operations of different threads)? */
PT_NO_COVERAGE static int precedes(const struct lc_op *a,
				   const struct lc_op *b)
{
	if (a->resp == 0)
		return 0;
	if (C.hist->weak && a->green != 0 && b->green != 0)
		return a->resp_epoch != 0 &&
		       b->inv_clock[a->green - 1] >= a->resp_epoch;
	return a->resp < b->inv;
}

/* L1 */
PT_NO_COVERAGE static int eligible(unsigned t, const struct lc_op *o)
{
	unsigned u;

	for (u = 0; u < C.nthr; u++) {
		const struct lc_op *h;

		if (u == t)
			continue;
		h = head_op(u);
		if (h != NULL && precedes(h, o))
			return 0;
	}
	return 1;
}

PT_NO_COVERAGE static int dfs(unsigned depth)
{
	const struct tm_model *m = &C.models[depth];
	struct tm_model *next = &C.models[depth + 1];
	unsigned t, finished = 1;

	if (depth > C.best_depth) {
		C.best_depth = depth;
		memcpy(C.best_seq, C.seq, depth * sizeof(C.seq[0]));
	}
	for (t = 0; t < C.nthr; t++)
		if (C.limbo[t] || C.pos[t] < C.len[t])
			finished = 0;
	if (finished)
		return 1;
	if (++C.nodes > LC_NODE_BUDGET) {
		C.budget_out = 1;
		return 0;
	}
	if (memo_seen(m))
		return 0;
	for (t = 0; t < C.nthr && !C.budget_out; t++) {
		if (C.limbo[t]) {
			/* L2: the push of the slot the thread recycled. */
			unsigned slot = C.limbo[t] - 1;

			model_copy(next, m);
			next->free[next->free_top++] = slot;
			C.limbo[t] = 0;
			C.seq[depth] = -1 - (int)C.limbo_op[t];
			if (dfs(depth + 1))
				return 1;
			C.limbo[t] = slot + 1;
		} else if (C.pos[t] < C.len[t]) {
			unsigned oi = C.idx[t][C.pos[t]];
			const struct lc_op *o = &C.hist->ops[oi];

			if (!eligible(t, o))
				continue;
			model_copy(next, m);
			if (!apply(next, o))
				continue;
			if (next->free_top > m->free_top) {
				/* Recycled: the push is a later step. */
				C.limbo[t] = next->free[--next->free_top] + 1;
				C.limbo_op[t] = oi;
			}
			C.pos[t]++;
			C.seq[depth] = (int)oi;
			if (dfs(depth + 1))
				return 1;
			C.pos[t]--;
			C.limbo[t] = 0;
		}
	}
	return 0;
}

PT_NO_COVERAGE static void report_failure(FILE *f, const struct tm_model *init)
{
	struct tm_model m;
	unsigned d, t;

	fprintf(f,
		"not linearizable: longest linearizable prefix (%u steps):\n",
		C.best_depth);
	memcpy(&m, init, sizeof(m));
	for (t = 0; t < C.nthr; t++) {
		C.pos[t] = 0;
		C.limbo[t] = 0;
	}
	for (d = 0; d < C.best_depth; d++) {
		int s = C.best_seq[d];

		if (s < 0) {
			const struct lc_op *o = &C.hist->ops[-1 - s];

			t = o->thread;
			fprintf(f, "  %2u. push of #%d's recycled slot %u\n",
				d, -1 - s, C.limbo[t] - 1);
			m.free[m.free_top++] = C.limbo[t] - 1;
			C.limbo[t] = 0;
		} else {
			const struct lc_op *o = &C.hist->ops[s];
			uint32_t top = m.free_top;

			t = o->thread;
			fprintf(f, "  %2u. #%d ", d, s);
			lc_print_op(f, o);
			(void)apply(&m, o);
			if (m.free_top > top)
				C.limbo[t] = m.free[--m.free_top] + 1;
			C.pos[t]++;
		}
	}
	fprintf(f, "then no thread's next operation matches the model:\n");
	for (t = 0; t < C.nthr; t++) {
		struct tm_model probe;
		struct lc_op want;
		unsigned oi;

		if (C.limbo[t] || C.pos[t] >= C.len[t])
			continue;
		oi = C.idx[t][C.pos[t]];
		want = C.hist->ops[oi];
		memcpy(&probe, &m, sizeof(probe));
		switch (want.kind) {
		case LC_ALLOC:
			want.rc = tm_alloc(&probe, want.vc,
					   (enum pt_party_state)want.s1,
					   want.ctx, &want.out);
			break;
		case LC_LOOKUP:
			want.rc = tm_lookup(&probe, want.h,
					    want.snapshot ? &want.info : NULL);
			break;
		case LC_ACQUIRE:
			want.rc = tm_acquire(&probe, want.h);
			break;
		case LC_RELEASE:
			want.rc = tm_release(&probe, want.h);
			break;
		case LC_TRANSITION:
			want.rc = tm_transition(&probe, want.h,
						(enum pt_party_state)want.s1,
						(enum pt_party_state)want.s2);
			break;
		case LC_RETIRE:
			want.rc = tm_retire(&probe, want.h,
					    (enum pt_party_state)want.s1);
			break;
		case LC_LIVE_COUNT:
			want.rc = (int)tm_vc_live_count(&probe, want.vc);
			break;
		default:
			break;
		}
		fprintf(f, "  #%u got:   ", oi);
		lc_print_op(f, &C.hist->ops[oi]);
		fprintf(f, "  %*s model: ", (int)(oi >= 10) + 1, "");
		lc_print_op(f, &want);
		if (!eligible(t, &C.hist->ops[oi]))
			fprintf(f,
				"  %*s (not yet: another operation responded "
				"before it was invoked)\n",
				(int)(oi >= 10) + 1, "");
	}
}

/*
 * The slot whose state op's answer depends on (L5): its handle's, or the
 * slot an alloc got; -1 for none of them (a PT_E_FULL alloc, a live
 * count); slot 0 for answers that depend on no state (NULL, foreign or
 * malformed handles, a bad VC), so they are checked once.
 */
PT_NO_COVERAGE static int op_slot(const struct lc_op *o,
				  const struct tm_model *m)
{
	pt_handle_t h = o->kind == LC_ALLOC ? o->out : o->h;

	if (o->kind == LC_LIVE_COUNT || (o->kind == LC_ALLOC && o->rc == PT_E_FULL))
		return -1;
	if (h == PT_HANDLE_NULL || pt_handle_tag(h) != m->tag ||
	    pt_handle_index(h) >= m->capacity)
		return 0;
	return (int)pt_handle_index(h);
}

/* Search the operations of the history that belong to slot (all of them
 * for slot < 0). */
PT_NO_COVERAGE static int check_ops(const struct tm_model *init, int slot,
				    FILE *report)
{
	const struct lc_history *hist = C.hist;
	unsigned i, t;

	memset(C.len, 0, sizeof(C.len));
	memset(C.pos, 0, sizeof(C.pos));
	memset(C.limbo, 0, sizeof(C.limbo));
	C.nthr = 0;
	for (i = 0; i < hist->n; i++) {
		t = hist->ops[i].thread;
		if (t >= LC_MAX_THREADS)
			return -1;
		if (t + 1 > C.nthr)
			C.nthr = t + 1;
		if (slot >= 0 && op_slot(&hist->ops[i], init) != slot)
			continue;
		C.idx[t][C.len[t]++] = i;
	}
	C.budget_out = 0;
	C.best_depth = 0;
	if (++C.epoch == 0) { /* wrapped: forget every entry */
		memset(C.memo, 0, sizeof(C.memo));
		C.epoch = 1;
	}
	memcpy(&C.models[0], init, sizeof(C.models[0]));
	if (dfs(0))
		return 1;
	if (C.budget_out)
		return -1;
	if (report != NULL) {
		if (slot >= 0)
			fprintf(report, "slot %d, its operations only:\n",
				slot);
		report_failure(report, init);
	}
	return 0;
}

PT_NO_COVERAGE int lc_check(const struct lc_history *hist,
			    const struct tm_model *init, FILE *report)
{
	unsigned s;
	int ok, any = 1;

	if (init->capacity > LC_MAX_CAPACITY || init->vc_count > LC_MAX_VCS)
		return -1;
	C.hist = hist;
	C.nodes = 0;
	if (!hist->weak)
		return check_ops(init, -1, report);
	for (s = 0; s < init->capacity; s++) {
		ok = check_ops(init, (int)s, report);
		if (ok == 0)
			return 0;
		if (ok < 0)
			any = -1;
	}
	return any;
}

PT_NO_COVERAGE unsigned long lc_last_nodes(void)
{
	return C.nodes;
}

/* ---- printing ----------------------------------------------------------- */

PT_NO_COVERAGE const char *lc_kind_name(unsigned kind)
{
	return kind < LC_KIND_COUNT ? kind_names[kind] : "?";
}

PT_NO_COVERAGE static void print_handle(FILE *f, pt_handle_t h)
{
	if (h == PT_HANDLE_NULL)
		fprintf(f, "NULL");
	else
		fprintf(f, "h(slot %u gen %u)", pt_handle_index(h),
			pt_handle_gen(h));
}

PT_NO_COVERAGE void lc_print_op(FILE *f, const struct lc_op *o)
{
	fprintf(f, "%s(", lc_kind_name(o->kind));
	switch (o->kind) {
	case LC_ALLOC:
		fprintf(f, "vc %u, %s, ctx 0x%llx)", o->vc,
			pt_state_name(o->s1), (unsigned long long)o->ctx);
		break;
	case LC_LOOKUP:
		print_handle(f, o->h);
		fprintf(f, "%s)", o->snapshot ? ", &info" : "");
		break;
	case LC_ACQUIRE:
	case LC_RELEASE:
		print_handle(f, o->h);
		fprintf(f, ")");
		break;
	case LC_TRANSITION:
		print_handle(f, o->h);
		fprintf(f, ", %s -> %s)", pt_state_name(o->s1),
			pt_state_name(o->s2));
		break;
	case LC_RETIRE:
		print_handle(f, o->h);
		fprintf(f, ", %s)", pt_state_name(o->s1));
		break;
	case LC_LIVE_COUNT:
		fprintf(f, "vc %u) = %d\n", o->vc, o->rc);
		return;
	default:
		fprintf(f, ")");
		break;
	}
	fprintf(f, " = %s", pt_err_name(o->rc));
	if (o->kind == LC_ALLOC && o->rc == PT_OK) {
		fprintf(f, " ");
		print_handle(f, o->out);
	}
	if (o->kind == LC_LOOKUP && o->snapshot && o->rc == PT_OK)
		fprintf(f, " {%s refs %u vc %u ctx 0x%llx}",
			pt_state_name(o->info.state), o->info.refs, o->info.vc,
			(unsigned long long)o->info.ctx);
	fprintf(f, "\n");
}

/* History threads: P the sequential prefix, T0..T3 the green threads, Q
 * the quiescent suffix. */
static const char *thread_name(unsigned t)
{
	static const char *const names[LC_MAX_THREADS] = {
		"P", "T0", "T1", "T2", "T3", "Q",
	};

	return t < LC_MAX_THREADS ? names[t] : "?";
}

PT_NO_COVERAGE void lc_print_history(FILE *f, const struct lc_history *hist)
{
	unsigned i;

	for (i = 0; i < hist->n; i++) {
		const struct lc_op *o = &hist->ops[i];

		if (o->resp == 0) {
			fprintf(f, "  #%-2u %-2s steps %3u..    ", i,
				thread_name(o->thread), o->inv_step);
			lc_print_op(f, o);
			fprintf(f, "       (no response: still running)\n");
			continue;
		}
		fprintf(f, "  #%-2u %-2s steps %3u..%-3u ", i,
			thread_name(o->thread), o->inv_step, o->resp_step);
		lc_print_op(f, o);
		if (hist->weak && o->green != 0)
			fprintf(f,
				"       hb: clock at invocation [%u %u %u %u], "
				"last step epoch %u\n",
				o->inv_clock[0], o->inv_clock[1],
				o->inv_clock[2], o->inv_clock[3],
				o->resp_epoch);
	}
}
