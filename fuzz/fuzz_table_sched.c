/* Target functions: pt_party_alloc, pt_party_lookup, pt_party_acquire,
 * pt_party_release, pt_party_transition, pt_party_retire, pt_vc_live_count,
 * pt_table_validate, every atomic step of them interleaved. */
/*
 * fuzz_table_sched.c - atomic-step interleavings of the party table,
 * checked for linearizability against the sequential model.
 *
 * Linked against the scheduled core (-DPT_SCHED_BUILD), where every atomic
 * of the table is a yield point of fuzz/sched/sched.c. One run:
 *   1. a sequential prefix (history thread P) creates parties, references
 *      and stale handles;
 *   2. 2 to 4 green threads (T0..T3) run up to 4 operations each, and the
 *      schedule bytes choose, at every atomic, which thread goes next
 *      (the weighted walk, uniform or PCT);
 *   3. at the quiescent point: pt_table_validate(), then a sequential
 *      suffix (Q) reads every VC count, looks up every handle the run saw,
 *      and allocates until PT_E_FULL, then validates again;
 *   4. the history P + T0..T3 + Q must be linearizable with respect to
 *      the model (fuzz/sched/lincheck.h; Q and P are ordered by real time).
 * Any failure (not linearizable, validate, a PT_ASSERT, the step limit)
 * prints the interleaving (thread, atomic, word, value before -> after,
 * operation) and the history, then aborts.
 *
 * Input format (any byte string is valid; missing bytes read 0):
 *
 *   byte 0   capacity = 1 + b % 4
 *   byte 1   gen_bits = 1 + b % 2, vc_count = 1 + (b >> 1) % 2;
 *            weak memory if b & 0x40 (below; PT_SCHED_WEAK=on|off in the
 *            environment overrides it, e.g. for a long clean run)
 *   byte 2   threads = 2 + b % 3; mode = (b >> 2) & 7: 6 PCT, 7 uniform,
 *            else the weighted walk (sched.h; the environment variable
 *            PT_SCHED_MODE=uniform|pct|weighted overrides it, for
 *            measurements: fuzz/sched/ttd.sh)
 *   byte 3   prefix length = b % 9 operations
 *   then     the prefix operations, then for each thread a count byte
 *            (1 + b % 4 operations) and its operations
 *   rest     schedule bytes (sched.h): uniform, one per decision; PCT,
 *            depth, priorities and change points
 *
 *   Operation: byte k, kind = k % 6 (ids only ever appended):
 *     id  op          argument bytes
 *     0   ALLOC       a: vc = a % vc_count, initial = LIVE[(a >> 1) % 6]
 *     1   LOOKUP      selector; snapshot if (k >> 3) & 1
 *     2   ACQUIRE     selector
 *     3   RELEASE     selector
 *     4   TRANSITION  selector, s: from = LIVE[s % 6], to = LIVE[s / 6 % 6]
 *     5   RETIRE      selector, s: expected = LIVE[s % 6]
 *   Selector s: handle s % n of the thread's pool (the prefix's handles,
 *   then the thread's own allocations, live or retired), NULL if empty.
 *   Threads share the prefix's parties, so they race on the same slots.
 *   Handles are never forged: a handle of a generation not yet published
 *   could only come from guessing, which the contract does not order.
 *
 * Weak memory (fuzz/sched/wmem.h): every atomic load may read any store
 * the C11 model allows, the choice taken from the schedule bytes, and
 * linearizability is checked against happens-before instead of step order
 * (lincheck.h). Each green thread t also has a mailbox, a word it writes
 * with a relaxed store after each of its successful allocations (the
 * handle); in this mode the selector's range is the pool, then the
 * mailboxes of the other threads, read with a relaxed load when the
 * operation starts (0: no handle yet, NULL). A relaxed channel orders
 * nothing, so the handle of another thread's new party arrives without
 * any happens-before: only the table's own release (alloc) and acquire
 * (lookup, acquire, transition, retire) can make the party's vc, ctx and
 * state visible with it, which is what party_table.h promises. Besides
 * linearizability, every operation of a green thread must happen after
 * the operation that published the state it observed (wmem.h, published
 * state: the store it last read of each slot word, where alloc, a
 * transition, a retire and a recycle publish and a reference count
 * change does not): the caller's own data written before an alloc or a
 * transition, e.g. the memory a party context points to, is then
 * visible. A failure is reported as a stale read of published state.
 *
 * Under FUZZ_VERBOSE (environment variable) every run prints its
 * interleaving and history; in weak runs each load shows the store it
 * read (mo index, writer, how stale). With PF_SHOW=<file> every run also
 * writes itself there as a picture (tools/show_sched.h; PF_SHOW_FORMAT=
 * trace-json for Perfetto), a failing one before it aborts.
 *
 * Interleaving feedback (sched.h: conflicts, per-slot hand-offs,
 * reads-from pairs, stale reads in libFuzzer's extra counters) is off
 * unless PT_SCHED_FEEDBACK=on: measured, it made every search slower
 * (fuzz/bugs/EVIDENCE.md), the corpus growing with interleavings that
 * lead nowhere. It never changes a run, only what libFuzzer keeps.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "model/table_model.h"
#include "partyfuzz/party_table.h"
#include "runner/input.h"
#include "sched/layout.h"
#include "sched/lincheck.h"
#include "sched/sched.h"
#include "tools/show_sched.h"

/* core/src/debug.h: run before abort() on a failed PT_ASSERT. */
void _pt_assert_set_dump_hook(void (*hook)(void *arg), void *arg);

#define TAG 0xA5
#define NTHREADS_MAX PS_MAX_THREADS
#define OPS_PER_THREAD 4
#define PREFIX_MAX 8
#define POOL_MAX 16
#define HT_PREFIX 0            /* history thread of the prefix */
#define HT_THREAD(t) (1 + (t)) /* ... of green thread t */
#define HT_SUFFIX (LC_MAX_THREADS - 1)
#ifndef MAX_STEPS
#define MAX_STEPS 2048 /* far above what lock-free progress needs */
#endif

enum op_kind {
	OP_ALLOC = 0,
	OP_LOOKUP = 1,
	OP_ACQUIRE = 2,
	OP_RELEASE = 3,
	OP_TRANSITION = 4,
	OP_RETIRE = 5,
	OP_COUNT = 6,
};

static const enum pt_party_state live_states[6] = {
	PT_ACTIVE,   PT_ADDING,         PT_MAKING,
	PT_DROPPING, PT_REMOTE_DROPPED, PT_CLOSING,
};

/* A decoded operation: fixed before the run; the handle is resolved
 * from the selector when the operation starts. */
struct prog_op {
	uint8_t kind;
	uint8_t snapshot;
	uint8_t sel;
	uint8_t s1, s2;
	uint32_t vc;
};

struct pool {
	unsigned n;
	pt_handle_t h[POOL_MAX];
};

static struct {
	struct pt_config cfg;
	struct pt_table *t;
	struct tm_model init;
	struct ps_layout layout;
	enum ps_mode mode;
	unsigned nthreads;
	unsigned nprefix;
	struct prog_op prefix[PREFIX_MAX];
	unsigned nops[NTHREADS_MAX];
	struct prog_op ops[NTHREADS_MAX][OPS_PER_THREAD];
	struct pool shared;            /* the prefix's allocations */
	struct pool own[NTHREADS_MAX]; /* each thread's allocations */
	struct lc_history hist;
	int weak;                            /* weak-memory mode (byte 1) */
	_Atomic uint64_t mbox[NTHREADS_MAX]; /* weak: handle mailboxes */
	int verbose;
	int forced_mode; /* PT_SCHED_MODE: 0 none, 1 + mode */
	int feedback;    /* PT_SCHED_FEEDBACK: interleaving features */
	int forced_weak; /* PT_SCHED_WEAK: 0 none, 1 off, 2 on */
	int ran;         /* the scheduled run has started */
} cur; /* the current run: its program, table, history and options */

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

static void decode_op(struct input *in, struct prog_op *o)
{
	uint8_t k = take(in), a;

	memset(o, 0, sizeof(*o));
	o->kind = k % OP_COUNT;
	switch (o->kind) {
	case OP_ALLOC:
		a = take(in);
		o->vc = a % cur.cfg.vc_count;
		o->s1 = (uint8_t)live_states[(a >> 1) % 6];
		break;
	case OP_LOOKUP:
		o->snapshot = (k >> 3) & 1;
		o->sel = take(in);
		break;
	case OP_ACQUIRE:
	case OP_RELEASE:
		o->sel = take(in);
		break;
	case OP_TRANSITION:
		o->sel = take(in);
		a = take(in);
		o->s1 = (uint8_t)live_states[a % 6];
		o->s2 = (uint8_t)live_states[a / 6 % 6];
		break;
	default: /* OP_RETIRE */
		o->sel = take(in);
		o->s1 = (uint8_t)live_states[take(in) % 6];
		break;
	}
}

/* Weak mode: thread self reads thread u's mailbox, a relaxed atomic
 * step of the scheduler. */
static pt_handle_t mbox_read(unsigned u)
{
	uint64_t v;

	pt_sched_yield_point("load_relaxed", &cur.mbox[u]);
	v = atomic_load_explicit(&cur.mbox[u], memory_order_relaxed);
	return pt_sched_loaded(&cur.mbox[u], 8, v, memory_order_relaxed);
}

static void mbox_write(unsigned self, pt_handle_t h)
{
	uint64_t old;

	pt_sched_yield_point("store_relaxed", &cur.mbox[self]);
	old = atomic_load_explicit(&cur.mbox[self], memory_order_relaxed);
	atomic_store_explicit(&cur.mbox[self], h, memory_order_relaxed);
	pt_sched_stored(&cur.mbox[self], 8, old, h, memory_order_relaxed);
}

/* self: the green thread resolving, -1 for P and Q. */
static pt_handle_t resolve(const struct prog_op *o, const struct pool *own,
			   int self)
{
	unsigned n = cur.shared.n + (own ? own->n : 0);
	unsigned nm = cur.weak && self >= 0 ? cur.nthreads - 1 : 0;
	unsigned i, u;

	if (n + nm == 0)
		return PT_HANDLE_NULL;
	i = o->sel % (n + nm);
	if (i < cur.shared.n)
		return cur.shared.h[i];
	if (i < n)
		return own->h[i - cur.shared.n];
	u = i - n; /* the u-th other thread */
	return mbox_read(u < (unsigned)self ? u : u + 1);
}

static void pool_add(struct pool *p, pt_handle_t h)
{
	if (p->n < POOL_MAX)
		p->h[p->n++] = h;
}

/* Steps taken by the scheduled run so far: 0 in the prefix, the run's
 * total in the suffix. */
static uint32_t now_step(void)
{
	return cur.ran ? ps_sched_step_count() : 0;
}

PT_NO_COVERAGE static void fail(const char *what, const char *detail,
				int witness);

/* Weak mode, end of operation i of a green thread: did it happen after
 * the publication of every state it observed (wmem.h)? */
PT_NO_COVERAGE static void check_published(int i)
{
	struct ps_wm_rf rf;
	const volatile void *addr;
	unsigned missing;
	char name[48], msg[224];

	addr = ps_sched_op_check(&rf, &missing);
	if (addr == NULL)
		return;
	ps_layout_name(&cur.layout, addr, name, sizeof(name));
	snprintf(msg, sizeof(msg),
		 "T%u #%d (%s) read %s store #%u of %s%u, which publishes "
		 "state of an operation of T%u that does not happen before it",
		 cur.hist.ops[i].thread - 1u, i,
		 lc_kind_name(cur.hist.ops[i].kind), name, rf.mo,
		 rf.writer == PS_WM_INIT ? "start" : "T",
		 rf.writer == PS_WM_INIT ? 0u : rf.writer, missing);
	fail("stale read of published state", msg, 0);
}

/* Run one operation on the table, recording invocation and response. */
static void run_op(unsigned ht, unsigned opno, const struct prog_op *po,
		   pt_handle_t h, struct pool *into)
{
	struct lc_op o;
	int i;

	memset(&o, 0, sizeof(o));
	o.thread = (uint8_t)ht;
	o.kind = po->kind; /* enum op_kind and enum lc_kind agree on 0..5 */
	o.snapshot = po->snapshot;
	o.s1 = po->s1;
	o.s2 = po->s2;
	o.vc = po->vc;
	o.h = po->kind == OP_ALLOC ? PT_HANDLE_NULL : h;
	/* Distinct per allocation, so a snapshot of the wrong life shows. */
	o.ctx = po->kind == OP_ALLOC ? 0xC0000000u | ht << 8 | opno : 0;
	if (cur.weak && ps_sched_weak()) {
		struct ps_vclock c;

		ps_sched_clock(&c);
		o.green = (uint8_t)ht; /* HT_THREAD(t) = 1 + t */
		memcpy(o.inv_clock, c.c, sizeof(o.inv_clock));
	}
	i = lc_invoke(&cur.hist, &o, now_step());
	if (i < 0)
		return;
	ps_sched_set_tag((uint16_t)i, o.kind);
	ps_sched_op_begin();
	ps_sched_table_begin();
	switch (po->kind) {
	case OP_ALLOC:
		o.rc = pt_party_alloc(cur.t, o.vc, (enum pt_party_state)o.s1,
				      o.ctx, &o.out);
		if (o.rc == PT_OK && into != NULL)
			pool_add(into, o.out);
		break;
	case OP_LOOKUP:
		o.rc = pt_party_lookup(cur.t, o.h, o.snapshot ? &o.info : NULL);
		break;
	case OP_ACQUIRE:
		o.rc = pt_party_acquire(cur.t, o.h);
		break;
	case OP_RELEASE:
		o.rc = pt_party_release(cur.t, o.h);
		break;
	case OP_TRANSITION:
		o.rc = pt_party_transition(cur.t, o.h, (enum pt_party_state)o.s1,
					   (enum pt_party_state)o.s2);
		break;
	default:
		o.rc = pt_party_retire(cur.t, o.h, (enum pt_party_state)o.s1);
		break;
	}
	ps_sched_table_end();
	cur.hist.ops[i].rc = o.rc;
	cur.hist.ops[i].out = o.out;
	cur.hist.ops[i].info = o.info;
	if (o.green != 0) {
		uint32_t e = ps_sched_epoch();

		cur.hist.ops[i].resp_epoch = e > 1 ? e - 1 : 0;
		check_published(i);
	}
	lc_respond(&cur.hist, i, now_step());
	if (o.green != 0 && po->kind == OP_ALLOC && o.rc == PT_OK)
		mbox_write(ht - 1, o.out);
}

static void thread_body(unsigned tid, void *arg)
{
	unsigned k;

	(void)arg;
	/* The handle is resolved when the operation starts: the pool holds
	 * what the thread's earlier operations allocated. */
	for (k = 0; k < cur.nops[tid]; k++)
		run_op(HT_THREAD(tid), k, &cur.ops[tid][k],
		       resolve(&cur.ops[tid][k], &cur.own[tid], (int)tid),
		       &cur.own[tid]);
}

/* Estimated atomic steps of an operation, for the weighted mode (sched.h):
 * its atomics on the common path (party_table.c), plus the mailbox read a
 * weak run's selector may make and the mailbox write after an alloc. */
static unsigned op_events(const struct prog_op *o)
{
	static const unsigned base[OP_COUNT] = {
		[OP_ALLOC] = 6,      /* pop: 3, vc, ctx, word */
		[OP_LOOKUP] = 1,     /* the word; a snapshot: below */
		[OP_ACQUIRE] = 2,    /* load, CAS */
		[OP_RELEASE] = 2,    /* load, CAS */
		[OP_TRANSITION] = 2, /* load, CAS */
		[OP_RETIRE] = 5,     /* load, CAS, push: 3 */
	};
	unsigned e = base[o->kind];

	if (o->kind == OP_LOOKUP && o->snapshot)
		e += 4; /* vc, ctx, fence, the word again */
	if (cur.weak)
		e += 1; /* a mailbox read, or an alloc's mailbox write */
	return e;
}

/* FNV-1a of the whole input: the weighted walk's seed (sched.h). */
static uint64_t input_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	while (n-- > 0)
		h = (h ^ *p++) * 1099511628211ull;
	return h;
}

/* Byte 1's weak-memory bit, unless PT_SCHED_WEAK forces it (a straight
 * call, so that the forcing adds no edge to the fuzzer's coverage). */
PT_NO_COVERAGE static int weak_of(uint8_t b)
{
	if (cur.forced_weak)
		return cur.forced_weak - 1;
	return (b & 0x40) != 0;
}

/* Byte 2's scheduling mode: the weighted walk, the fastest to find the
 * race-only and memory-order faults (fuzz/bugs/EVIDENCE.md), unless bits
 * 2..4 are 6 (PCT) or 7 (uniform). */
static enum ps_mode mode_of(uint8_t b)
{
	switch ((b >> 2) & 7) {
	case 6:
		return PS_MODE_PCT;
	case 7:
		return PS_MODE_UNIFORM;
	default:
		return PS_MODE_WEIGHTED;
	}
}

static const char *mode_name(enum ps_mode m)
{
	if (m == PS_MODE_PCT)
		return "PCT";
	return m == PS_MODE_WEIGHTED ? "weighted" : "uniform";
}

/* ---- reports ------------------------------------------------------------ */

PT_NO_COVERAGE static void print_interleaving(FILE *f)
{
	const struct ps_step *st = ps_sched_steps();
	unsigned i, n = ps_sched_step_count();
	char name[48], before[64], after[64];

	fprintf(f, "interleaving (%u atomic steps, %s, %u threads):\n", n,
		mode_name(cur.mode), cur.nthreads);
	for (i = 0; i < n; i++) {
		ps_layout_name(&cur.layout, st[i].addr, name, sizeof(name));
		fprintf(f, "  %4u T%u %-17s %-14s", i, st[i].thread, st[i].op,
			name);
		if (st[i].rf.valid == 1 && st[i].before == st[i].after) {
			/* weak: a load, with the store it read */
			ps_layout_value(&cur.layout, st[i].addr, st[i].rf.value,
					before, sizeof(before));
			fprintf(f, " %-28s -> read store #%u of ", before,
				st[i].rf.mo);
			if (st[i].rf.writer == PS_WM_INIT)
				fprintf(f, "start");
			else
				fprintf(f, "T%u", st[i].rf.writer);
			if (st[i].rf.stale)
				fprintf(f, " (stale by %u)", st[i].rf.stale);
		} else if (st[i].width) {
			ps_layout_value(&cur.layout, st[i].addr, st[i].before,
					before, sizeof(before));
			ps_layout_value(&cur.layout, st[i].addr, st[i].after,
					after, sizeof(after));
			if (st[i].before == st[i].after)
				fprintf(f, " %-28s", before);
			else
				fprintf(f, " %s -> %s", before, after);
			if (st[i].rf.valid)
				fprintf(f, " (store #%u)",
					st[i].rf.valid == 2 ? st[i].rf.mo : 0);
		}
		fprintf(f, "  [#%u %s]\n", st[i].tag,
			st[i].tag < cur.hist.n
				? lc_kind_name(cur.hist.ops[st[i].tag].kind)
				: "?");
	}
}

PT_NO_COVERAGE static void print_run(FILE *f)
{
	fprintf(f,
		"config: capacity %u, %u VCs, gen_max %u, %u threads, %s%s, "
		"%u prefix ops, %zu schedule bytes used\n",
		cur.cfg.capacity, cur.cfg.vc_count, pt_table_gen_max(cur.t),
		cur.nthreads, mode_name(cur.mode), cur.weak ? ", weak memory" : "",
		cur.nprefix, ps_sched_bytes_used());
	print_interleaving(f);
	fprintf(f, "history (P prefix, T0..T3 threads, Q quiescent suffix; "
		   "steps = atomic steps before invocation..response):\n");
	lc_print_history(f, &cur.hist);
}

/* The printing hook: with PF_SHOW=<file> in the environment, the run as
 * a picture (tools/show_sched.h), the failure @what (NULL: passed). */
PT_NO_COVERAGE static void show_hook(const char *what, const char *detail,
				int witness)
{
	static char wbuf[16384], cfg[256];
	struct pf_sched_view v;
	const char *title = getenv("PF_SHOW_TITLE");
	FILE *m;

	if (getenv("PF_SHOW") == NULL)
		return;
	snprintf(cfg, sizeof(cfg),
		 "capacity %u, %u VCs, gen_max %u, %u threads, %s%s, %u "
		 "prefix ops, %zu schedule bytes used",
		 cur.cfg.capacity, cur.cfg.vc_count, pt_table_gen_max(cur.t),
		 cur.nthreads, mode_name(cur.mode),
		 cur.weak ? ", weak memory" : "", cur.nprefix,
		 ps_sched_bytes_used());
	memset(&v, 0, sizeof(v));
	v.title = title ? title : "";
	v.config = cfg;
	v.nthreads = cur.nthreads;
	v.steps = ps_sched_steps();
	v.nsteps = ps_sched_step_count();
	v.layout = &cur.layout;
	v.hist = &cur.hist;
	v.failure = what;
	v.detail = detail;
	if (witness && (m = fmemopen(wbuf, sizeof(wbuf), "w")) != NULL) {
		(void)lc_check(&cur.hist, &cur.init, m);
		fclose(m);
		wbuf[sizeof(wbuf) - 1] = '\0';
		v.witness = wbuf;
	}
	(void)pf_show_sched_env(&v);
}

PT_NO_COVERAGE static void assert_hook(void *arg)
{
	(void)arg;
	fprintf(stderr, "fuzz_table_sched: PT_ASSERT fired %s\n",
		ps_sched_running() ? "during the scheduled run" : "");
	print_run(stderr);
	pt_table_dump(cur.t, stderr);
	show_hook("PT_ASSERT fired", NULL, 0);
}

PT_NO_COVERAGE static void fail(const char *what, const char *detail,
				int witness)
{
	fprintf(stderr, "fuzz_table_sched: FAILURE: %s%s%s\n", what,
		detail ? ": " : "", detail ? detail : "");
	print_run(stderr);
	if (witness)
		(void)lc_check(&cur.hist, &cur.init, stderr);
	pt_table_dump(cur.t, stderr);
	fflush(stderr);
	show_hook(what, detail, witness);
	abort();
}

PT_NO_COVERAGE static void validate(const char *when)
{
	char why[160];

	if (pt_table_validate(cur.t, why, sizeof(why)) != PT_OK) {
		char msg[224];

		snprintf(msg, sizeof(msg), "%s: %s", when, why);
		fail("pt_table_validate", msg, 0);
	}
}

/* Step 3: quiescent suffix, recorded as history thread Q. */
static void quiescent_suffix(void)
{
	struct prog_op po;
	unsigned v, t, i, k = 0;
	struct lc_op o;
	int idx;

	for (v = 0; v < cur.cfg.vc_count; v++) {
		memset(&o, 0, sizeof(o));
		o.thread = HT_SUFFIX;
		o.kind = LC_LIVE_COUNT;
		o.vc = v;
		idx = lc_invoke(&cur.hist, &o, now_step());
		if (idx < 0)
			return;
		cur.hist.ops[idx].rc = (int)pt_vc_live_count(cur.t, v);
		lc_respond(&cur.hist, idx, now_step());
	}
	memset(&po, 0, sizeof(po));
	po.kind = OP_LOOKUP;
	po.snapshot = 1;
	for (t = 0; t <= cur.nthreads; t++) {
		const struct pool *p = t == 0 ? &cur.shared : &cur.own[t - 1];

		for (i = 0; i < p->n; i++)
			run_op(HT_SUFFIX, k++, &po, p->h[i], NULL);
	}
	memset(&po, 0, sizeof(po));
	po.kind = OP_ALLOC;
	po.s1 = PT_ACTIVE;
	for (i = 0; i <= cur.cfg.capacity; i++) {
		run_op(HT_SUFFIX, k++, &po, PT_HANDLE_NULL, NULL);
		if (cur.hist.ops[cur.hist.n - 1].rc != PT_OK)
			break;
	}
}

/* ---- entry -------------------------------------------------------------- */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *m = getenv("PT_SCHED_MODE");
	const char *fb = getenv("PT_SCHED_FEEDBACK");
	const char *wk = getenv("PT_SCHED_WEAK");

	pf_input_init(argc, argv, NULL); /* runner/input.h */
	cur.verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (cur.verbose)
		pf_trace_stdout();
	cur.forced_mode = 0;
	if (m != NULL && strcmp(m, "uniform") == 0)
		cur.forced_mode = 1 + PS_MODE_UNIFORM;
	else if (m != NULL && strcmp(m, "pct") == 0)
		cur.forced_mode = 1 + PS_MODE_PCT;
	else if (m != NULL && strcmp(m, "weighted") == 0)
		cur.forced_mode = 1 + PS_MODE_WEIGHTED;
	else if (m != NULL && *m != '\0') {
		fprintf(stderr,
			"fuzz_table_sched: PT_SCHED_MODE=%s: expected "
			"uniform, pct or weighted\n",
			m);
		exit(2);
	}
	cur.feedback = 0;
	if (fb != NULL && strcmp(fb, "on") == 0)
		cur.feedback = 1;
	else if (fb != NULL && *fb != '\0' && strcmp(fb, "off") != 0) {
		fprintf(stderr,
			"fuzz_table_sched: PT_SCHED_FEEDBACK=%s: expected "
			"on or off\n",
			fb);
		exit(2);
	}
	cur.forced_weak = 0;
	if (wk != NULL && strcmp(wk, "on") == 0)
		cur.forced_weak = 2;
	else if (wk != NULL && strcmp(wk, "off") == 0)
		cur.forced_weak = 1;
	else if (wk != NULL && *wk != '\0') {
		fprintf(stderr,
			"fuzz_table_sched: PT_SCHED_WEAK=%s: expected on or "
			"off\n",
			wk);
		exit(2);
	}
	_pt_assert_set_dump_hook(assert_hook, NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct ps_run run;
	unsigned t, k, total = 0;
	uint8_t b;
	int lin;

	if (cur.verbose)
		pf_trace_input(size);
	memset(&cur.cfg, 0, sizeof(cur.cfg));
	cur.cfg.capacity = 1 + take(&in) % 4;
	b = take(&in);
	cur.cfg.gen_bits = (uint8_t)(1 + b % 2);
	cur.cfg.vc_count = 1 + (b >> 1) % 2;
	cur.weak = weak_of(b);
	cur.cfg.tag = TAG;
	b = take(&in);
	cur.nthreads = 2 + b % 3;
	cur.mode = mode_of(b);
	if (cur.forced_mode)
		cur.mode = (enum ps_mode)(cur.forced_mode - 1);
	cur.nprefix = take(&in) % (PREFIX_MAX + 1);
	for (k = 0; k < cur.nprefix; k++)
		decode_op(&in, &cur.prefix[k]);
	for (t = 0; t < cur.nthreads; t++) {
		cur.nops[t] = 1 + take(&in) % OPS_PER_THREAD;
		for (k = 0; k < cur.nops[t]; k++)
			decode_op(&in, &cur.ops[t][k]);
		total += cur.nops[t];
		cur.own[t].n = 0;
	}
	cur.shared.n = 0;
	cur.ran = 0;
	lc_history_init(&cur.hist);
	cur.hist.weak = cur.weak;
	for (t = 0; t < NTHREADS_MAX; t++)
		atomic_init(&cur.mbox[t], 0);

	if (pt_table_create(&cur.cfg, &cur.t) != PT_OK ||
	    tm_init(&cur.init, &cur.cfg) != PT_OK) {
		fprintf(stderr, "fuzz_table_sched: cannot create table\n");
		abort();
	}
	ps_layout_learn(&cur.layout, cur.t);

	/* 1. the sequential prefix */
	for (k = 0; k < cur.nprefix; k++)
		run_op(HT_PREFIX, k, &cur.prefix[k],
		       resolve(&cur.prefix[k], NULL, -1), &cur.shared);

	/* 2. the threads, under the scheduler */
	memset(&run, 0, sizeof(run));
	run.mode = cur.mode;
	run.nthreads = cur.nthreads;
	run.bytes = in.p;
	run.len = in.n;
	run.max_steps = MAX_STEPS;
	/* About eight atomics per operation: change points fall inside the
	 * run most of the time. */
	run.pct_horizon = 8 * total;
	run.body = thread_body;
	run.width = ps_layout_width;
	run.width_arg = &cur.layout;
	run.weak = cur.weak;
	run.payload = ps_layout_publishes;
	run.payload_arg = &cur.layout;
	for (t = 0; t < cur.nthreads; t++)
		for (k = 0; k < cur.nops[t]; k++)
			run.events[t] += op_events(&cur.ops[t][k]);
	run.seed = input_hash(data, size);
	run.feedback = cur.feedback;
	run.loc = ps_layout_loc;
	run.loc_arg = &cur.layout;
	ps_layout_mailboxes(&cur.layout, cur.mbox, NTHREADS_MAX);
	cur.ran = 1;
	if (ps_sched_run(&run) == PS_STEP_LIMIT)
		fail("step limit",
		     "livelock: no thread finished within the step bound "
		     "(lock-freedom violated)",
		     0);

	/* 3. quiescent point */
	validate("after the threads");
	quiescent_suffix();
	validate("after the quiescent suffix");

	/* 4. linearizability */
	lin = lc_check(&cur.hist, &cur.init, NULL);
	if (lin == 0)
		fail("history is not linearizable", NULL, 1);
	if (cur.verbose) {
		print_run(stdout);
		printf("linearizable: %s (%lu search nodes)\n",
		       lin > 0 ? "yes" : "inconclusive (search budget)",
		       lc_last_nodes());
	}
	if (cur.verbose)
		fflush(stdout); /* a trace is whole before the next run */
	show_hook(NULL, NULL, 0);
	pf_stats_program(cur.nprefix + total);
	pt_table_destroy(cur.t);
	cur.t = NULL;
	return 0;
}
