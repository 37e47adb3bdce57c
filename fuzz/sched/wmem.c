/*
 * wmem.c - store histories and vector clocks of the weak-memory mode
 * (wmem.h).
 *
 * Clocks: thread t's own component starts at 1 and goes up by one after
 * each of its atomic steps, so a step's epoch names it; a store at epoch e
 * by t happens before thread u's current point iff u's clock has c[t] >= e
 * (every path of happens-before between green threads goes through a
 * synchronizes-with edge, which joins clocks). The value a location had
 * when the run started is written by PS_WM_INIT and happens before
 * everything (thread creation).
 *
 * Invariants:
 *   W1 A location's stores are numbered 0 .. n - 1 in mo, which is the
 *      order they executed in; memory holds store n - 1's value. Stores
 *      n - PS_WM_HISTORY .. n - 1 are kept, at h[mo % PS_WM_HISTORY].
 *   W2 seen[t] is the highest mo thread t has read or written at the
 *      location; a load of t reads mo >= seen[t] (coherence).
 *   W3 A store's heads[u] is the clock of the latest release by u whose
 *      release sequence the store belongs to (zero if none); sync is the
 *      join of the heads, what an acquire reading the store joins.
 *   W4 last_sc is 1 + the mo of the location's last seq_cst store (0:
 *      none); a seq_cst load reads mo >= last_sc - 1.
 *   W5 pay is the written-at clock of the state the store carries: its
 *      writer's clock at the start of its operation if the payload
 *      predicate says it publishes, else the pay of the store before it.
 */
#include "wmem.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

struct wm_store {
	uint64_t value;
	uint32_t epoch;
	uint8_t writer;
	struct ps_vclock heads[PS_MAX_THREADS]; /* W3 */
	struct ps_vclock sync;
	struct ps_vclock pay; /* W5 */
};

struct wm_read {
	uint32_t op; /* the reader's operation serial; 0: none */
	struct ps_wm_rf rf;
	struct ps_vclock pay;
};

struct wm_loc {
	const volatile void *addr;
	uint32_t n;       /* W1 */
	uint32_t last_sc; /* W4 */
	uint32_t seen[PS_MAX_THREADS];
	struct wm_read last[PS_MAX_THREADS];
	struct wm_store h[PS_WM_HISTORY];
};

struct wm_thread {
	struct ps_vclock clock;
	struct ps_vclock fence_acq; /* sync of stores read without acquire */
	struct ps_vclock fence_rel; /* clock at the last release fence */
	struct ps_vclock op_clock;  /* at ps_wm_op_begin */
	uint32_t op;                /* operation serial, from 1 */
};

static struct {
	unsigned nthreads;
	ps_payload_fn payload;
	const void *payload_arg;
	ps_wm_choose_fn choose;
	unsigned nloc;
	struct wm_loc loc[PS_WM_LOCATIONS];
	struct wm_thread th[PS_MAX_THREADS];
} M;

PT_NO_COVERAGE static void vc_join(struct ps_vclock *a,
				   const struct ps_vclock *b)
{
	unsigned i;

	for (i = 0; i < PS_MAX_THREADS; i++)
		if (b->c[i] > a->c[i])
			a->c[i] = b->c[i];
}

PT_NO_COVERAGE static int is_acquire(int order)
{
	return order == memory_order_acquire ||
	       order == memory_order_acq_rel ||
	       order == memory_order_seq_cst || order == memory_order_consume;
}

PT_NO_COVERAGE static int is_release(int order)
{
	return order == memory_order_release ||
	       order == memory_order_acq_rel || order == memory_order_seq_cst;
}

PT_NO_COVERAGE void ps_wm_reset(unsigned nthreads, ps_payload_fn payload,
				const void *payload_arg,
				ps_wm_choose_fn choose)
{
	unsigned t;

	M.nthreads = nthreads;
	M.payload = payload;
	M.payload_arg = payload_arg;
	M.choose = choose;
	M.nloc = 0;
	memset(M.th, 0, sizeof(M.th));
	for (t = 0; t < PS_MAX_THREADS; t++)
		M.th[t].clock.c[t] = 1;
}

PT_NO_COVERAGE static struct wm_store *store_at(struct wm_loc *l, uint32_t mo)
{
	return &l->h[mo % PS_WM_HISTORY];
}

/* The location's record; a new one holds `current`, written at start. */
PT_NO_COVERAGE static struct wm_loc *loc_get(const volatile void *addr,
					     uint64_t current)
{
	struct wm_loc *l;
	unsigned i;

	for (i = 0; i < M.nloc; i++)
		if (M.loc[i].addr == addr)
			return &M.loc[i];
	if (M.nloc == PS_WM_LOCATIONS) {
		fprintf(stderr,
			"wmem: more than %u atomic locations in one "
			"run\n",
			PS_WM_LOCATIONS);
		abort();
	}
	l = &M.loc[M.nloc++];
	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->n = 1;
	l->h[0].value = current;
	l->h[0].writer = PS_WM_INIT;
	return l;
}

/* Does store mo of l happen before thread t's current point? */
PT_NO_COVERAGE static int hb_thread(struct wm_loc *l, uint32_t mo, unsigned t)
{
	const struct wm_store *s = store_at(l, mo);

	return s->writer == PS_WM_INIT ||
	       s->epoch <= M.th[t].clock.c[s->writer];
}

/* The oldest store a load of t may read (W1, W2, W4, write-read
 * coherence). */
PT_NO_COVERAGE static uint32_t floor_of(struct wm_loc *l, unsigned t,
					int order)
{
	uint32_t oldest = l->n > PS_WM_HISTORY ? l->n - PS_WM_HISTORY : 0;
	uint32_t f = l->seen[t] > oldest ? l->seen[t] : oldest;
	uint32_t mo;

	for (mo = l->n - 1; mo > f; mo--)
		if (hb_thread(l, mo, t)) {
			f = mo;
			break;
		}
	if (order == memory_order_seq_cst && l->last_sc > f + 1)
		f = l->last_sc - 1;
	return f;
}

PT_NO_COVERAGE static void fill_rf(struct ps_wm_rf *rf, struct wm_loc *l,
				   uint32_t mo, uint8_t valid)
{
	const struct wm_store *s = store_at(l, mo);

	rf->mo = mo;
	rf->stale = l->n - 1 - mo;
	rf->value = s->value;
	rf->writer = s->writer;
	rf->valid = valid;
}

/* The read part of a load or an RMW of t: store mo of l. */
PT_NO_COVERAGE static void read_from(struct wm_loc *l, unsigned t, uint32_t mo,
				     int order, struct ps_wm_rf *rf)
{
	struct wm_thread *th = &M.th[t];
	const struct wm_store *s = store_at(l, mo);

	if (mo > l->seen[t])
		l->seen[t] = mo;
	if (is_acquire(order))
		vc_join(&th->clock, &s->sync);
	else
		vc_join(&th->fence_acq, &s->sync);
	fill_rf(rf, l, mo, 1);
	l->last[t].op = th->op;
	l->last[t].rf = *rf;
	l->last[t].pay = s->pay;
}

PT_NO_COVERAGE void ps_wm_load(unsigned t, const volatile void *addr,
			       unsigned width, uint64_t latest, int order,
			       int forced_latest, struct ps_wm_rf *rf)
{
	struct wm_loc *l = loc_get(addr, latest);
	uint32_t f = forced_latest ? l->n - 1 : floor_of(l, t, order);
	unsigned k = l->n - f, pick = 0;

	(void)width;
	if (k > 1 && M.choose != NULL)
		pick = M.choose(k) % k;
	read_from(l, t, l->n - 1 - pick, order, rf);
	M.th[t].clock.c[t]++;
}

/* Append a store of t; heads already filled in by the caller. */
PT_NO_COVERAGE static void append(struct wm_loc *l, unsigned t, uint64_t old,
				  uint64_t v, int order,
				  const struct ps_vclock heads[PS_MAX_THREADS],
				  struct ps_wm_rf *rf)
{
	struct wm_thread *th = &M.th[t];
	const struct wm_store *prev = store_at(l, l->n - 1);
	struct ps_vclock pay = prev->pay;
	struct wm_store *s;
	unsigned u;

	if (M.payload != NULL && M.payload(M.payload_arg, l->addr, old, v))
		pay = th->op_clock;
	s = store_at(l, l->n);
	memset(s, 0, sizeof(*s));
	s->value = v;
	s->epoch = th->clock.c[t];
	s->writer = (uint8_t)t;
	s->pay = pay;
	for (u = 0; u < PS_MAX_THREADS; u++) {
		s->heads[u] = heads[u];
		vc_join(&s->sync, &heads[u]);
	}
	if (order == memory_order_seq_cst)
		l->last_sc = l->n + 1;
	l->seen[t] = l->n;
	l->n++;
	fill_rf(rf, l, l->n - 1, 2);
	th->clock.c[t]++;
}

PT_NO_COVERAGE void ps_wm_store(unsigned t, const volatile void *addr,
				unsigned width, uint64_t old, uint64_t v,
				int order, struct ps_wm_rf *rf)
{
	struct wm_loc *l = loc_get(addr, old);
	struct ps_vclock heads[PS_MAX_THREADS];
	struct wm_thread *th = &M.th[t];

	(void)width;
	/* A plain store ends every other thread's release sequence and
	 * continues its own thread's (C11 5.1.2.4p10). */
	memset(heads, 0, sizeof(heads));
	heads[t] = store_at(l, l->n - 1)->heads[t];
	if (is_release(order))
		vc_join(&heads[t], &th->clock);
	vc_join(&heads[t], &th->fence_rel);
	append(l, t, old, v, order, heads, rf);
}

PT_NO_COVERAGE void ps_wm_rmw(unsigned t, const volatile void *addr,
			      unsigned width, uint64_t old, uint64_t v,
			      int order, struct ps_wm_rf *rf)
{
	struct wm_loc *l = loc_get(addr, old);
	struct ps_vclock heads[PS_MAX_THREADS];
	struct wm_thread *th = &M.th[t];
	struct ps_wm_rf rd;

	(void)width;
	if (store_at(l, l->n - 1)->value != old) {
		fprintf(stderr,
			"wmem: RMW at %p read 0x%llx, latest store "
			"0x%llx (a store the scheduler missed)\n",
			(const void *)addr, (unsigned long long)old,
			(unsigned long long)store_at(l, l->n - 1)->value);
		abort();
	}
	/* Reads the latest store; its release sequences go on. */
	read_from(l, t, l->n - 1, order, &rd);
	memcpy(heads, store_at(l, l->n - 1)->heads, sizeof(heads));
	if (is_release(order))
		vc_join(&heads[t], &th->clock);
	vc_join(&heads[t], &th->fence_rel);
	append(l, t, old, v, order, heads, rf);
}

PT_NO_COVERAGE void ps_wm_fence(unsigned t, int order)
{
	struct wm_thread *th = &M.th[t];

	if (order == memory_order_seq_cst) {
		fprintf(stderr, "wmem: seq_cst fences are not modelled\n");
		abort();
	}
	if (is_acquire(order))
		vc_join(&th->clock, &th->fence_acq);
	if (is_release(order))
		th->fence_rel = th->clock;
	th->clock.c[t]++;
}

PT_NO_COVERAGE void ps_wm_clock(unsigned t, struct ps_vclock *out)
{
	*out = M.th[t].clock;
}

PT_NO_COVERAGE uint32_t ps_wm_epoch(unsigned t)
{
	return M.th[t].clock.c[t];
}

PT_NO_COVERAGE void ps_wm_op_begin(unsigned t)
{
	M.th[t].op++;
	M.th[t].op_clock = M.th[t].clock;
}

PT_NO_COVERAGE const volatile void *
ps_wm_op_check(unsigned t, struct ps_wm_rf *rf, unsigned *missing)
{
	const struct wm_thread *th = &M.th[t];
	unsigned i, u;

	for (i = 0; i < M.nloc; i++) {
		const struct wm_read *r = &M.loc[i].last[t];

		if (r->op != th->op)
			continue;
		for (u = 0; u < PS_MAX_THREADS; u++)
			if (r->pay.c[u] > th->clock.c[u]) {
				*rf = r->rf;
				*missing = u;
				return M.loc[i].addr;
			}
	}
	return NULL;
}
