/*
 * sched.c - green threads on ucontext, chosen step by step by the input.
 *
 * Why ucontext: makecontext/swapcontext give each green thread a real C
 * stack, so the unmodified table code (built with -DPT_SCHED_BUILD) can be
 * suspended in the middle of any function at any atomic, which is what a
 * scheduler of atomic steps needs. Threads, setjmp tricks or a
 * continuation-passing rewrite of the table could not do that on one OS
 * thread. The cost is two sigprocmask calls per switch; the scheduler
 * switches only when the decision names another thread.
 *
 * Sanitizers must be told about the stack switches: AddressSanitizer
 * through __sanitizer_start/finish_switch_fiber (otherwise it reports
 * false stack overflows and loses fake stacks), ThreadSanitizer through
 * its fiber API. Both are compiled in only when that sanitizer is on, so
 * gcc and plain builds use the bare ucontext calls.
 *
 * ThreadSanitizer sees the green threads as the threads they stand for: a
 * switch between two of them is __tsan_switch_to_fiber_no_sync, no
 * happens-before edge, so the only edges between green threads are the
 * table's own atomics (TSan models their release and acquire) and a plain
 * access they do not order is reported as a data race. What the green
 * threads share by design of the scheduler and the harness (this file's
 * state, the history, the pools) is ordered by the cooperative switches,
 * not by anything TSan could see, so a green thread runs with TSan's
 * reads and writes ignored except inside the table's code
 * (ps_sched_table_begin/end around each call; the yield points and hooks
 * it calls ignore again). Switches to and from the caller of
 * ps_sched_run() synchronize: the run starts after its setup, and every
 * thread's accesses happen before what the caller does after the run (a
 * finished thread releases, the caller acquires all).
 *
 * A run has two phases:
 *   start  every thread is entered once, in thread order, and runs until
 *          its first yield point (or to its end): the code before a
 *          thread's first atomic touches no shared word, so running it
 *          eagerly changes nothing but lets every scheduling decision be
 *          a choice between pending atomics.
 *   steps  at each yield point the running thread records its pending
 *          atomic, and the scheduler picks the thread whose pending atomic
 *          executes next (step recorded with the word's value), switching
 *          only if that is another thread.
 *
 * Invariants:
 *   S1 Exactly one context runs at a time; S.cur names it (PS_MAIN for
 *      the caller of ps_sched_run()).
 *   S2 Every recorded step is executed immediately after it is recorded:
 *      the chosen thread resumes from its yield point and performs the
 *      atomic before any other code of the run.
 *   S3 A step's `after` is read when its thread reaches its next yield
 *      point or returns from its body; no other thread ran in between
 *      (S1), so it is the value the atomic left.
 *   S4 Decisions depend only on the schedule bytes, the step count and
 *      which threads are still runnable (and, in the weak-memory mode, the
 *      number of stores a load may read, itself a function of the steps
 *      so far): the same input replays the same interleaving.
 *   S5 Weak-memory mode: the hooks after an atomic (pt_sched_loaded and
 *      friends) run on the thread that executed it, before its next yield
 *      point (S2), so they describe the step recorded last for it.
 */
#include "sched.h"

#include <stdatomic.h>

#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "fuzz_util.h"
#include "wmem.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PS_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define PS_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(PS_ASAN)
#define PS_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(PS_TSAN)
#define PS_TSAN 1
#endif

#ifdef PS_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef PS_TSAN
#include <sanitizer/tsan_interface.h>
/* ThreadSanitizer's dynamic annotations (compiler-rt, tsan runtime). */
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
#define PS_IGNORE_BEGIN()                                                     \
	do {                                                                  \
		AnnotateIgnoreReadsBegin(__FILE__, __LINE__);                 \
		AnnotateIgnoreWritesBegin(__FILE__, __LINE__);                \
	} while (0)
#define PS_IGNORE_END()                                                       \
	do {                                                                  \
		AnnotateIgnoreWritesEnd(__FILE__, __LINE__);                  \
		AnnotateIgnoreReadsEnd(__FILE__, __LINE__);                   \
	} while (0)
#else
#define PS_IGNORE_BEGIN() ((void)0)
#define PS_IGNORE_END() ((void)0)
#endif

/* Generous: sanitizer frames are large and failure reports print from a
 * green thread's stack. */
#define PS_STACK_SIZE (256u * 1024u)
#define PS_MAIN (-1)

/* The hook atomic.h calls in the scheduled build. */
void pt_sched_yield_point(const char *op, const volatile void *addr);

struct ps_thread {
	ucontext_t uc;
	const char *pend_op; /* the atomic it is about to execute */
	const volatile void *pend_addr;
	uint32_t pend_site; /* its call site (feedback, sched.h) */
	uint32_t site;      /* the site of its last step */
	int last;           /* index of its last step, -1 none */
	int done;
	unsigned steps; /* steps it has executed (weighted mode) */
	uint16_t tag;
	uint8_t kind;     /* operation kind, for the feedback */
	uint8_t opstep;   /* its atomics since the tag was set (feedback) */
	void *fake_stack; /* ASan fake stack while switched out */
	void *tsan_fiber;
};

static struct {
	const struct ps_run *run;
	int active;   /* inside ps_sched_run() */
	int starting; /* start phase: threads run to their first yield */
	int cur;      /* S1 */
	enum ps_result result;
	ucontext_t main_uc;
	struct ps_thread th[PS_MAX_THREADS];
	struct ps_step steps[PS_MAX_STEPS];
	unsigned nsteps;
	size_t cursor; /* next schedule byte */
	/* PCT */
	unsigned prio[PS_MAX_THREADS];
	unsigned change[PS_PCT_MAX_DEPTH];
	unsigned depth;
	/* weighted mode: the generator once the bytes are spent */
	uint64_t rng;
	/* sanitizer bookkeeping of the caller's stack */
	void *main_fake;
	const void *main_bottom;
	size_t main_size;
	void *main_tsan;
} S;

static _Alignas(64) unsigned char stacks[PS_MAX_THREADS][PS_STACK_SIZE];

/* ---- interleaving feedback (sched.h) ----------------------------------- */

#if defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) && defined(__clang__)
/* libFuzzer treats this section like its own coverage counters. */
static uint8_t ps_counters[PS_FEATURES]
	__attribute__((section("__libfuzzer_extra_counters"), used));
#else
/* Counted the same way, read only by ps_sched_features() (tests). */
static uint8_t ps_counters[PS_FEATURES];
#endif

#define PS_LAST 32
#define PS_SITE_INITIAL 0xffffffffu /* the value a location had at start */

/* Per word touched in this run (addresses repeat little: a handful of
 * slots, the free-list head, the mailboxes): its last step, and the sites
 * of its last stores by mo index as wmem.c numbers them (mo 0 is the
 * value at the run's start, the first store of the run mo 1). */
static struct {
	unsigned n;
	struct {
		const volatile void *addr;
		uint32_t op;      /* op_id() of the last step */
		uint32_t loc;     /* struct ps_run.loc's name */
		uint32_t nstores; /* 1 + stores of the run */
		uint32_t site[PS_WM_HISTORY];
		uint8_t thread, kind;
	} e[PS_LAST];
} last;

/* A stable id of an atomic's name (string contents, not its address:
 * the same input must give the same features in every process). */
PT_NO_COVERAGE static uint32_t op_id(const char *op)
{
	uint32_t h = 2166136261u;

	while (*op != '\0')
		h = (h ^ (unsigned char)*op++) * 16777619u;
	return h;
}

PT_NO_COVERAGE static void bump(uint32_t f)
{
	f = (f ^ (f >> 15)) * 0x2c1b3c6du;
	f ^= f >> 13;
	if (ps_counters[f % PS_FEATURES] != 0xff)
		ps_counters[f % PS_FEATURES]++;
}

/* The entry of addr, created with nothing stored yet; NULL if full. */
PT_NO_COVERAGE static int last_index(const volatile void *addr)
{
	unsigned i;

	for (i = 0; i < last.n && last.e[i].addr != addr; i++)
		;
	if (i < last.n)
		return (int)i;
	if (last.n == PS_LAST)
		return -1;
	last.n++;
	memset(&last.e[i], 0, sizeof(last.e[i]));
	last.e[i].addr = addr;
	last.e[i].thread = 0xff;
	last.e[i].nstores = 1;
	last.e[i].site[0] = PS_SITE_INITIAL;
	last.e[i].loc =
		S.run->loc != NULL ? S.run->loc(S.run->loc_arg, addr) : 0;
	return (int)i;
}

/* A step is about to execute: conflict and hand-off features. */
PT_NO_COVERAGE static void feedback(const struct ps_step *st, uint8_t kind)
{
	uint32_t op = op_id(st->op);
	int i;

	if (!S.run->feedback || st->addr == NULL)
		return;
	i = last_index(st->addr);
	if (i < 0)
		return;
	if (last.e[i].thread != 0xff && last.e[i].thread != st->thread) {
		uint32_t f =
			(last.e[i].op * 31u + last.e[i].kind) * 0x9e3779b1u;
		uint32_t h = (last.e[i].loc * 0x85ebca6bu) ^ 0x51ed27u;

		bump((f ^ op) * 31u + kind);
		/* per location: previous thread -> thread, operations */
		h = ((h * 31u + last.e[i].thread) * 31u + st->thread) * 961u;
		bump(h + last.e[i].kind * 31u + kind);
	}
	last.e[i].op = op;
	last.e[i].thread = st->thread;
	last.e[i].kind = kind;
}

/* The running thread's last step read store mo of addr (latest: the
 * newest), `stale` stores behind the newest: a reads-from feature. */
PT_NO_COVERAGE static void feedback_read(const volatile void *addr, int latest,
				    uint32_t mo, uint32_t stale)
{
	const struct ps_thread *th = &S.th[S.cur];
	uint32_t from, n;
	int i;

	if (!S.run->feedback)
		return;
	i = last_index(addr);
	if (i < 0)
		return;
	n = last.e[i].nstores;
	if (latest)
		mo = n - 1;
	/* Older than the sites kept (W1 of wmem.c): "initial" too. */
	from = PS_SITE_INITIAL;
	if (mo < n && mo + PS_WM_HISTORY >= n)
		from = last.e[i].site[mo % PS_WM_HISTORY];
	bump(((from * 0x9e3779b1u) ^ th->site) * 0x2545f491u +
	     (stale < 3 ? stale : 3) + 0x7f4a7c15u);
}

/* The running thread's last step stored to addr. */
PT_NO_COVERAGE static void feedback_store(const volatile void *addr)
{
	int i;

	if (!S.run->feedback)
		return;
	i = last_index(addr);
	if (i < 0)
		return;
	last.e[i].site[last.e[i].nstores % PS_WM_HISTORY] = S.th[S.cur].site;
	last.e[i].nstores++;
}

/* A stale read is a behaviour worth keeping too: (atomic, operation
 * kind, which atomic of the operation, how stale, capped). The position
 * tells apart loads of one name in one operation (lookup's loads of vc,
 * ctx and the word), so each stale read is its own step for the fuzzer. */
PT_NO_COVERAGE static void feedback_stale(const char *op, uint8_t kind,
					  uint8_t opstep, uint32_t stale)
{
	uint32_t f = ((op_id(op) * 31u + kind) * 31u + opstep) * 0x9e3779b1u;

	if (!S.run->feedback)
		return;
	bump((f ^ (stale < 3 ? stale : 3)) + 1);
}

PT_NO_COVERAGE const uint8_t *ps_sched_features(void)
{
	return ps_counters;
}

PT_NO_COVERAGE void ps_sched_features_clear(void)
{
	memset(ps_counters, 0, sizeof(ps_counters));
}

/* ---- context switching ------------------------------------------------ */

/* Called first thing in a context that has just been switched to. */
PT_NO_COVERAGE static void arrived(int self)
{
#ifdef PS_ASAN
	const void *old_bottom;
	size_t old_size;

	__sanitizer_finish_switch_fiber(
		self == PS_MAIN ? S.main_fake : S.th[self].fake_stack,
		&old_bottom, &old_size);
#else
	(void)self;
#endif
}

/* Switch from the running context to `to`. A dying context never
 * resumes (ASan then frees its fake stack). */
PT_NO_COVERAGE static void switch_to(int to, int dying)
{
	int from = S.cur;
	ucontext_t *fu = from == PS_MAIN ? &S.main_uc : &S.th[from].uc;
	ucontext_t *tu = to == PS_MAIN ? &S.main_uc : &S.th[to].uc;

#ifdef PS_ASAN
	void **fake = NULL;

	if (!dying)
		fake = from == PS_MAIN ? &S.main_fake : &S.th[from].fake_stack;
	if (to == PS_MAIN)
		__sanitizer_start_switch_fiber(fake, S.main_bottom,
					       S.main_size);
	else
		__sanitizer_start_switch_fiber(fake, stacks[to],
					       PS_STACK_SIZE);
#else
	(void)dying;
#endif
#ifdef PS_TSAN
	/* A dying thread ends its ignores (a green thread's code runs
	 * ignored, file comment): TSan reports a thread that ends with them.
	 * From the switch on, TSan counts what runs to the thread switched
	 * to, which is ignored where it stopped. */
	void *fiber = to == PS_MAIN ? S.main_tsan : S.th[to].tsan_fiber;
	/* Green thread to green thread: no edge (file comment). */
	unsigned flags = to == PS_MAIN || from == PS_MAIN
				 ? 0
				 : __tsan_switch_to_fiber_no_sync;

	if (dying)
		PS_IGNORE_END();
	__tsan_switch_to_fiber(fiber, flags);
#endif
	S.cur = to;
	if (swapcontext(fu, tu) != 0)
		abort(); /* cannot happen with a valid context */
	arrived(from);
}

/* ---- values ------------------------------------------------------------ */

PT_NO_COVERAGE static unsigned word_width(const volatile void *addr)
{
	unsigned w;

	if (S.run->width == NULL || addr == NULL)
		return 0;
	w = S.run->width(S.run->width_arg, addr);
	return w == 1 || w == 2 || w == 4 || w == 8 ? w : 0;
}

PT_NO_COVERAGE static uint64_t word_read(const volatile void *addr,
					 unsigned width)
{
	uint64_t v = 0;

	/* Single OS thread (S1): a plain read sees the last atomic's
	 * value. Little-endian hosts only, like the handle codec users. */
	memcpy(&v, (const void *)addr, width);
	return v;
}

/* S3: the value the thread's last atomic left. */
PT_NO_COVERAGE static void fill_after(int self)
{
	struct ps_step *st;

	if (S.th[self].last < 0)
		return;
	st = &S.steps[S.th[self].last];
	if (st->width != 0)
		st->after = word_read(st->addr, st->width);
}

/* ---- decisions --------------------------------------------------------- */

PT_NO_COVERAGE static unsigned take_byte(int *ok)
{
	if (S.cursor >= S.run->len) {
		*ok = 0;
		return 0;
	}
	*ok = 1;
	return S.run->bytes[S.cursor++];
}

/* The weighted walk's generator seed: a hash of the schedule bytes
 * (FNV-1a, 64 bits), so a run is a function of its input (S4). */
PT_NO_COVERAGE static uint64_t seed_of(const uint8_t *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h ^ n;
}

PT_NO_COVERAGE static void pct_setup(void)
{
	unsigned n = S.run->nthreads, key[PS_MAX_THREADS], t, u, i;
	int ok;

	S.depth = take_byte(&ok) % (PS_PCT_MAX_DEPTH + 1);
	for (t = 0; t < n; t++)
		key[t] = take_byte(&ok);
	/* Distinct initial priorities d+1 .. d+n: rank of (key, thread). */
	for (t = 0; t < n; t++) {
		unsigned rank = 0;

		for (u = 0; u < n; u++)
			if (key[u] < key[t] || (key[u] == key[t] && u < t))
				rank++;
		S.prio[t] = S.depth + 1 + rank;
	}
	for (i = 0; i < S.depth; i++) {
		unsigned lo = take_byte(&ok), hi = take_byte(&ok);

		S.change[i] = (lo | hi << 8) % S.run->pct_horizon;
	}
}

/* Weighted mode: the next byte, then the generator's (sched.h). */
PT_NO_COVERAGE static unsigned walk_byte(void)
{
	int ok;
	unsigned b = take_byte(&ok);
	uint64_t z;

	if (ok)
		return b;
	/* splitmix64 (Steele, Lea, Flood 2014) */
	z = (S.rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (unsigned)((z ^ (z >> 31)) >> 56);
}

/* SURW: runnable thread t with probability proportional to the steps it
 * has left (sched.h). */
PT_NO_COVERAGE static int choose_weighted(const int *runnable, unsigned n)
{
	unsigned w[PS_MAX_THREADS], total = 0, r, i;

	for (i = 0; i < n; i++) {
		unsigned e = S.run->events[runnable[i]];
		unsigned done = S.th[runnable[i]].steps;

		w[i] = e > done ? e - done : 1;
		total += w[i];
	}
	r = walk_byte() * total / 256;
	for (i = 0; i + 1 < n && r >= w[i]; i++)
		r -= w[i];
	return runnable[i];
}

/* The thread whose pending atomic runs next; -1 if none is runnable.
 * `self` is the deciding thread (PS_MAIN at the start). S4. */
PT_NO_COVERAGE static int choose(int self)
{
	int runnable[PS_MAX_THREADS], best = -1;
	unsigned n = 0, t, b;
	int ok;

	for (t = 0; t < S.run->nthreads; t++)
		if (!S.th[t].done)
			runnable[n++] = (int)t;
	if (n == 0)
		return -1;
	if (S.run->mode == PS_MODE_PCT) {
		for (t = 0; t < n; t++)
			if (best < 0 || S.prio[runnable[t]] > S.prio[best])
				best = runnable[t];
		return best;
	}
	if (n == 1)
		return runnable[0];
	if (S.run->mode == PS_MODE_WEIGHTED)
		return choose_weighted(runnable, n);
	b = take_byte(&ok);
	if (ok)
		return runnable[b % n];
	/* Bytes exhausted: keep running the current thread if it can. */
	if (self != PS_MAIN && !S.th[self].done)
		return self;
	return runnable[0];
}

/* Record the step `next` is about to execute (S2); PCT lowers the
 * priority of the thread that executes a change-point step. */
PT_NO_COVERAGE static void exec_step(int next)
{
	struct ps_thread *th = &S.th[next];
	struct ps_step *st = &S.steps[S.nsteps];
	unsigned i;

	st->op = th->pend_op;
	st->addr = th->pend_addr;
	st->thread = (uint8_t)next;
	st->tag = th->tag;
	st->width = (uint8_t)word_width(th->pend_addr);
	st->before = st->width ? word_read(st->addr, st->width) : 0;
	st->after = st->before;
	memset(&st->rf, 0, sizeof(st->rf));
	th->last = (int)S.nsteps;
	th->site = th->pend_site;
	th->steps++;
	if (th->opstep != 0xff)
		th->opstep++;
	feedback(st, th->kind);
	if (S.run->mode == PS_MODE_PCT)
		for (i = 0; i < S.depth; i++)
			if (S.change[i] == S.nsteps)
				S.prio[next] = S.depth - i;
	S.nsteps++;
}

/* ---- weak memory (wmem.h) ---------------------------------------------- */

PT_NO_COVERAGE static int wm_on(void)
{
	/* The start phase included: a thread's code before its first atomic
	 * (an operation's invocation) runs then. */
	return S.active && S.cur != PS_MAIN && S.run->weak;
}

/* A load's choice among k allowed stores, from the schedule bytes (S4). */
PT_NO_COVERAGE static unsigned wm_choose(unsigned k)
{
	int ok;
	unsigned b;

	if (S.run->mode == PS_MODE_WEIGHTED)
		return walk_byte() % k;
	b = take_byte(&ok);
	return ok ? b % k : 0;
}

/* S5: the step the running thread has just executed. */
PT_NO_COVERAGE static void wm_note(const struct ps_wm_rf *rf)
{
	struct ps_thread *th = &S.th[S.cur];

	if (th->last < 0)
		return;
	S.steps[th->last].rf = *rf;
	if (rf->valid == 1 && rf->stale != 0)
		feedback_stale(S.steps[th->last].op, th->kind, th->opstep,
			       rf->stale);
}

/* Feedback of the hooks below: a green thread's step of the run. */
PT_NO_COVERAGE static int in_run(void)
{
	return S.active && !S.starting && S.cur != PS_MAIN;
}

PT_NO_COVERAGE static uint64_t
loaded(const volatile void *addr, unsigned width, uint64_t latest, int order)
{
	struct ps_wm_rf rf;

	if (!wm_on()) {
		if (in_run())
			feedback_read(addr, 1, 0, 0);
		return latest;
	}
	ps_wm_load((unsigned)S.cur, addr, width, latest, order, 0, &rf);
	wm_note(&rf);
	feedback_read(addr, 0, rf.mo, rf.stale);
	return rf.value;
}

PT_NO_COVERAGE static void stored(const volatile void *addr, unsigned width,
				  uint64_t old, uint64_t v, int order)
{
	struct ps_wm_rf rf;

	if (in_run())
		feedback_store(addr);
	if (!wm_on())
		return;
	ps_wm_store((unsigned)S.cur, addr, width, old, v, order, &rf);
	wm_note(&rf);
}

PT_NO_COVERAGE static void rmw(const volatile void *addr, unsigned width,
			       uint64_t old, uint64_t v, int order)
{
	struct ps_wm_rf rf;

	if (in_run()) {
		/* An RMW reads the latest store (wmem.h) and adds one. */
		feedback_read(addr, 1, 0, 0);
		feedback_store(addr);
	}
	if (!wm_on())
		return;
	ps_wm_rmw((unsigned)S.cur, addr, width, old, v, order, &rf);
	wm_note(&rf);
}

PT_NO_COVERAGE static void cas_failed(const volatile void *addr,
				      unsigned width, uint64_t latest,
				      int order)
{
	struct ps_wm_rf rf;

	if (in_run())
		feedback_read(addr, 1, 0, 0);
	if (!wm_on())
		return;
	/* A failed CAS reads the latest store, like every RMW. */
	ps_wm_load((unsigned)S.cur, addr, width, latest, order, 1, &rf);
	wm_note(&rf);
}

PT_NO_COVERAGE static void fenced(int order)
{
	if (wm_on())
		ps_wm_fence((unsigned)S.cur, order);
}

PT_NO_COVERAGE int ps_sched_weak(void)
{
	return wm_on();
}

PT_NO_COVERAGE void ps_sched_clock(struct ps_vclock *out)
{
	if (wm_on())
		ps_wm_clock((unsigned)S.cur, out);
	else
		memset(out, 0, sizeof(*out));
}

PT_NO_COVERAGE uint32_t ps_sched_epoch(void)
{
	return wm_on() ? ps_wm_epoch((unsigned)S.cur) : 0;
}

PT_NO_COVERAGE void ps_sched_op_begin(void)
{
	if (wm_on())
		ps_wm_op_begin((unsigned)S.cur);
}

PT_NO_COVERAGE const volatile void *ps_sched_op_check(struct ps_wm_rf *rf,
						      unsigned *missing)
{
	if (!wm_on())
		return NULL;
	return ps_wm_op_check((unsigned)S.cur, rf, missing);
}

/* ---- the hook and the thread entry ------------------------------------ */

PT_NO_COVERAGE static void yield_point(const char *op, const volatile void *addr,
				  uint32_t site)
{
	int self, next;

	if (!S.active)
		return;
	self = S.cur;
	S.th[self].pend_op = op;
	S.th[self].pend_addr = addr;
	S.th[self].pend_site = site;
	if (S.starting) {
		switch_to(PS_MAIN, 0);
		return; /* chosen: the atomic executes now (S2) */
	}
	fill_after(self);
	if (S.nsteps >= S.run->max_steps) {
		S.result = PS_STEP_LIMIT;
		switch_to(PS_MAIN, 0);
		abort(); /* never resumed: ps_sched_run() has returned */
	}
	next = choose(self);
	exec_step(next);
	if (next != self)
		switch_to(next, 0);
}

/* The hooks atomic.h calls: scheduler code, which ThreadSanitizer ignores
 * even when the table's code calling it is watched (file comment). */
PT_NO_COVERAGE void pt_sched_yield_point(const char *op,
					 const volatile void *addr)
{
	/* The call site, as an offset from this function: the same in
	 * every process of one binary, whatever its load address. */
	uintptr_t ra = (uintptr_t)__builtin_return_address(0);
	uintptr_t base = (uintptr_t)pt_sched_yield_point;

	PS_IGNORE_BEGIN();
	yield_point(op, addr, (uint32_t)(ra - base));
	PS_IGNORE_END();
}

PT_NO_COVERAGE uint64_t pt_sched_loaded(const volatile void *addr,
					unsigned width, uint64_t latest,
					int order)
{
	uint64_t v;

	PS_IGNORE_BEGIN();
	v = loaded(addr, width, latest, order);
	PS_IGNORE_END();
	return v;
}

PT_NO_COVERAGE void pt_sched_stored(const volatile void *addr, unsigned width,
				    uint64_t old, uint64_t v, int order)
{
	PS_IGNORE_BEGIN();
	stored(addr, width, old, v, order);
	PS_IGNORE_END();
}

PT_NO_COVERAGE void pt_sched_rmw(const volatile void *addr, unsigned width,
				 uint64_t old, uint64_t v, int order)
{
	PS_IGNORE_BEGIN();
	rmw(addr, width, old, v, order);
	PS_IGNORE_END();
}

PT_NO_COVERAGE void pt_sched_cas_failed(const volatile void *addr,
					unsigned width, uint64_t latest,
					int order)
{
	PS_IGNORE_BEGIN();
	cas_failed(addr, width, latest, order);
	PS_IGNORE_END();
}

PT_NO_COVERAGE void pt_sched_fenced(int order)
{
	PS_IGNORE_BEGIN();
	fenced(order);
	PS_IGNORE_END();
}

/* Called while ignored in a green thread: S is read unwatched. */
PT_NO_COVERAGE void ps_sched_table_begin(void)
{
	if (S.active && S.cur != PS_MAIN)
		PS_IGNORE_END();
}

/* Ignores first, so that S is read unwatched here too. */
PT_NO_COVERAGE void ps_sched_table_end(void)
{
	PS_IGNORE_BEGIN();
	if (!S.active || S.cur == PS_MAIN)
		PS_IGNORE_END();
}

PT_NO_COVERAGE static void thread_entry(void)
{
	int self = S.cur, next;

#ifdef PS_ASAN
	/* Entered from the caller's stack (start phase): learn its bounds
	 * for the switches back. */
	__sanitizer_finish_switch_fiber(NULL, &S.main_bottom, &S.main_size);
#endif
	/* A green thread's own code is the harness's: not watched, to its
	 * end (it never resumes after its last switch). */
	PS_IGNORE_BEGIN();
	S.run->body((unsigned)self, S.run->arg);
#ifdef PS_TSAN
	/* Everything it did happens before the caller's code after the run
	 * (ps_sched_run() acquires). */
	__tsan_release(&S.th[self]);
#endif
	S.th[self].done = 1;
	if (S.starting) {
		switch_to(PS_MAIN, 1);
		abort();
	}
	fill_after(self);
	next = choose(self);
	if (next < 0) {
		switch_to(PS_MAIN, 1);
		abort();
	}
	exec_step(next);
	switch_to(next, 1);
	abort(); /* a finished thread is never resumed */
}

/* A fresh context for thread t. getcontext() returns twice in general,
 * so it is kept out of ps_sched_run()'s frame (gcc -Wclobbered). */
PT_NO_COVERAGE static void __attribute__((noinline)) thread_init(unsigned t)
{
	struct ps_thread *th = &S.th[t];

	th->last = -1;
#ifdef PS_ASAN
	/* A thread abandoned at a step limit may have left poisoned frames
	 * on this stack. */
	ASAN_UNPOISON_MEMORY_REGION(stacks[t], PS_STACK_SIZE);
#endif
#ifdef PS_TSAN
	th->tsan_fiber = __tsan_create_fiber(0);
#endif
	if (getcontext(&th->uc) != 0)
		abort();
	th->uc.uc_stack.ss_sp = stacks[t];
	th->uc.uc_stack.ss_size = PS_STACK_SIZE;
	th->uc.uc_link = NULL;
	makecontext(&th->uc, thread_entry, 0);
}

/* ---- public API -------------------------------------------------------- */

PT_NO_COVERAGE enum ps_result ps_sched_run(const struct ps_run *run)
{
	unsigned t;
	int first;

	if (run->nthreads == 0 || run->nthreads > PS_MAX_THREADS ||
	    run->max_steps == 0 || run->max_steps > PS_MAX_STEPS ||
	    run->pct_horizon == 0 || S.active)
		abort(); /* caller bug, not an input property */
	/* The caller's thread runs scheduler code only until the run ends. */
	PS_IGNORE_BEGIN();
	memset(S.th, 0, sizeof(S.th));
	last.n = 0;
	S.run = run;
	S.nsteps = 0;
	S.cursor = 0;
	S.result = PS_DONE;
	S.cur = PS_MAIN;
	S.active = 1;
	S.starting = 1;
#ifdef PS_TSAN
	S.main_tsan = __tsan_get_current_fiber();
#endif
	if (run->mode == PS_MODE_PCT)
		pct_setup();
	S.rng = seed_of(run->bytes, run->len) ^ run->seed;
	if (run->weak)
		ps_wm_reset(run->nthreads, run->payload, run->payload_arg,
			    wm_choose);
	for (t = 0; t < run->nthreads; t++)
		thread_init(t);
	/* Start phase: each thread runs to its first atomic. */
	for (t = 0; t < run->nthreads; t++)
		switch_to((int)t, 0);
	S.starting = 0;
	first = choose(PS_MAIN);
	if (first >= 0) {
		exec_step(first);
		switch_to(first, 0);
	}
	/* Back here when every thread is done or at the step limit. */
	S.active = 0;
#ifdef PS_TSAN
	for (t = 0; t < run->nthreads; t++) {
		__tsan_acquire(&S.th[t]);
		__tsan_destroy_fiber(S.th[t].tsan_fiber);
	}
#endif
	PS_IGNORE_END();
	return S.result;
}

PT_NO_COVERAGE unsigned ps_sched_step_count(void)
{
	return S.nsteps;
}

PT_NO_COVERAGE const struct ps_step *ps_sched_steps(void)
{
	return S.steps;
}

PT_NO_COVERAGE int ps_sched_self(void)
{
	return S.active ? S.cur : -1;
}

PT_NO_COVERAGE void ps_sched_set_tag(uint16_t tag, uint8_t kind)
{
	if (S.active && S.cur != PS_MAIN) {
		S.th[S.cur].tag = tag;
		S.th[S.cur].kind = kind;
		S.th[S.cur].opstep = 0;
	}
}

PT_NO_COVERAGE size_t ps_sched_bytes_used(void)
{
	return S.cursor;
}

PT_NO_COVERAGE int ps_sched_running(void)
{
	return S.active;
}

