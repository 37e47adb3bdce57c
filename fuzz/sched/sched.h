/*
 * sched.h - green-thread scheduler of the scheduled build.
 *
 * In a core built with -DPT_SCHED_BUILD every atomic of the party table
 * calls pt_sched_yield_point() just before it takes effect (atomic.h).
 * This module implements that hook: 2 to PS_MAX_THREADS cooperative green
 * threads run operation sequences on one table, and at each yield point
 * the schedule bytes of the fuzz input choose which runnable thread
 * executes its next atomic step. Only one OS thread ever runs, so the
 * execution is entirely decided by the bytes: same bytes, same
 * interleaving, every time (no clock, no randomness). It is sequentially
 * consistent unless the run is weak (below).
 *
 * Three modes, all drawn from the schedule bytes:
 *   PS_MODE_UNIFORM  one byte per decision with two or more runnable
 *                    threads: runnable[b % n]. When the bytes run out the
 *                    running thread keeps running (fewest switches).
 *   PS_MODE_PCT      probabilistic concurrency testing (Burckhardt et al.,
 *                    ASPLOS 2010): distinct initial priorities and d <= 3
 *                    priority-change points k_1..k_d < pct_horizon; the
 *                    highest-priority runnable thread always runs, and the
 *                    thread executing step k_i drops to priority d - i,
 *                    below every initial priority.
 *   PS_MODE_WEIGHTED a selectively uniform random walk (SURW, ASPLOS
 *                    2025): runnable thread t is chosen with probability
 *                    proportional to the atomic steps it has left,
 *                    max(1, events[t] - steps taken), where events[t] is
 *                    the caller's estimate (struct ps_run). A walk that
 *                    weights each thread by its remaining events picks
 *                    every interleaving of the estimated lengths with the
 *                    same probability, where the uniform walk favours the
 *                    few that run one thread to its end early. One byte
 *                    per decision: r = b * W / 256 over the cumulative
 *                    weights W. When the bytes run out the walk goes on
 *                    with a generator (splitmix64) seeded by a hash of the
 *                    schedule bytes and struct ps_run.seed: a short input
 *                    still gets a whole random interleaving, and the same
 *                    input the same one. Loads of the weak-memory mode
 *                    choose their store from it too once the bytes are
 *                    spent (b % k, as from a byte).
 *
 * A run is bounded by max_steps yield points: a livelock (a CAS loop that
 * never commits, e.g. in a faulty variant) ends the run with
 * PS_STEP_LIMIT, which the caller reports as a finding.
 *
 * Interleaving feedback (struct ps_run.feedback): code coverage alone
 * cannot tell "T1 loaded the word, then T2 CASed it, then T1 stored" from
 * the sequential order, so each run also counts interleaving features in
 * a table of PS_FEATURES 8-bit counters, which clang fuzzing builds put
 * in libFuzzer's extra counters (section __libfuzzer_extra_counters): a
 * new feature makes an input worth keeping, as new code coverage does.
 * The features, each hashed to a counter:
 *   conflict   a step on a word whose previous step was another
 *              thread's: (atomic, operation kind) of both steps;
 *   hand-off   the same event per location (struct ps_run.loc: slot N's
 *              words, the free-list head): (location, previous thread ->
 *              thread, the operation kind of both);
 *   reads-from every load and RMW: (site of the store it read -> site of
 *              the load, how stale, capped at 3), where a site is the
 *              call site of the atomic in the code under test (the yield
 *              point's return address, as an offset from this file's
 *              code: the same in every process of one binary) and the
 *              store of the weak-memory history a load read is the one
 *              of its mo index; a value the location had at the run's
 *              start is the site "initial";
 *   stale      a stale read of the weak-memory mode: (atomic, operation
 *              kind, which atomic of the operation, how stale).
 * Every feature is a function of the steps, so of the input (S4): the
 * same input counts the same features in every process and build. gcc
 * and other builds count them into a plain array (ps_sched_features()),
 * which nothing reads but the tests: the run is the same either way.
 *
 * Steps are recorded with the value of the touched word just before and
 * just after the atomic (read when the thread yields again: nothing else
 * runs in between), so a failure replays as "thread, atomic, word, value".
 *
 * Weak memory (struct ps_run.weak; wmem.h has the model): every atomic
 * load may read any store the C11 memory model allows, not only the
 * latest, the choice taken from the schedule bytes like a thread choice;
 * each step records which store its load read (struct ps_wm_rf). Off,
 * every load reads the latest store: sequential consistency. A stale read
 * is only a bug when it is of data a release was to publish, so that is
 * what the mode checks, two ways:
 *   - the table's payload (vc, ctx) is itself atomic (relaxed loads in
 *     lookup): the mode gives those loads store histories too, and a
 *     stale one makes a wrong snapshot, which the linearizability check
 *     of the harness reports;
 *   - the caller's own data (what a party context points to, what a
 *     thread wrote before a transition) is not in the table: each store
 *     the harness's payload predicate says publishes state carries a
 *     shadow "written-at" clock, its thread's clock when its operation
 *     began (ps_sched_op_begin), and ps_sched_op_check() requires the
 *     reader's clock to cover it at the end of every operation that read
 *     that store. Uncovered, a plain read of that data would race with
 *     its writing, i.e. could be stale: a finding.
 * Why not shadow plain fields instead: the table has none (vc and ctx are
 * relaxed atomics), and a stale read of the caller's data is exactly an
 * operation that observed state it does not happen after, which the
 * clocks tell without instrumenting the caller.
 *
 * Synchronization: none. The scheduler is single-OS-thread by design;
 * ps_sched_run() is not reentrant and runs on the caller's thread.
 */
#ifndef PARTYFUZZ_SCHED_H
#define PARTYFUZZ_SCHED_H

#include <stddef.h>
#include <stdint.h>

#define PS_MAX_THREADS 4
#define PS_MAX_STEPS 4096
#define PS_PCT_MAX_DEPTH 3

enum ps_mode {
	PS_MODE_UNIFORM = 0,
	PS_MODE_PCT = 1,
	PS_MODE_WEIGHTED = 2,
};

#define PS_FEATURES 4096 /* interleaving feature counters */

enum ps_result {
	PS_DONE = 0,       /* every thread returned from its body */
	PS_STEP_LIMIT = 1, /* max_steps reached: threads abandoned */
};

/* A vector clock over the green threads (weak-memory mode). */
struct ps_vclock {
	uint32_t c[PS_MAX_THREADS];
};

#define PS_WM_INIT 0xff /* writer of the value a location had at start */

/* Which store a step read or wrote (weak-memory mode, wmem.h). */
struct ps_wm_rf {
	uint32_t mo;    /* mo index of the store; 0: value at run start */
	uint32_t stale; /* stores mo-after it at the time: 0 the latest */
	uint64_t value; /* a load: what it returned; a store: what it wrote */
	uint8_t writer; /* the store's thread, or PS_WM_INIT */
	uint8_t valid;  /* 0 none, 1 a load or RMW read it, 2 a store */
};

/* Does a store of v over old at addr publish new state (wmem.h)? */
typedef int (*ps_payload_fn)(const void *arg, const volatile void *addr,
			     uint64_t old, uint64_t v);

/* One executed atomic step. */
struct ps_step {
	const char *op;            /* atomic.h wrapper, e.g. "cas_acq_rel" */
	const volatile void *addr; /* the word it touched; NULL for fences */
	uint64_t before;           /* value just before the step (width) */
	uint64_t after;            /* value just after it */
	uint16_t tag;              /* the thread's tag (ps_sched_set_tag) */
	uint8_t thread;
	uint8_t width;      /* bytes of before/after; 0: not read */
	struct ps_wm_rf rf; /* weak-memory mode: the store read/written */
};

/* A thread body: runs operations on the shared structure. */
typedef void (*ps_body_fn)(unsigned tid, void *arg);

/* Size in bytes (1, 2, 4 or 8) of the word at addr, 0 if unknown. */
typedef unsigned (*ps_width_fn)(const void *arg, const volatile void *addr);

/* A stable name of the location at addr for the hand-off features, the
 * same in every process (e.g. 1 + slot index for a slot's words); 0 for
 * a location without one. */
typedef unsigned (*ps_loc_fn)(const void *arg, const volatile void *addr);

struct ps_run {
	enum ps_mode mode;
	unsigned nthreads;    /* 1 .. PS_MAX_THREADS */
	const uint8_t *bytes; /* schedule bytes (any content) */
	size_t len;
	unsigned max_steps;   /* 1 .. PS_MAX_STEPS */
	unsigned pct_horizon; /* PCT: change points drawn below it, >= 1 */
	ps_body_fn body;
	void *arg;
	ps_width_fn width; /* NULL: values are not recorded */
	const void *width_arg;
	int weak;              /* weak-memory mode (wmem.h) */
	ps_payload_fn payload; /* weak: what publishes state; NULL nothing */
	const void *payload_arg;
	/* PS_MODE_WEIGHTED: estimated atomic steps of each thread (0: 1) */
	unsigned events[PS_MAX_THREADS];
	/* PS_MODE_WEIGHTED: mixed into the generator's seed, e.g. a hash of
	 * the whole input, so that every program gets its own walk */
	uint64_t seed;
	int feedback;  /* count interleaving features (above); 0 none */
	ps_loc_fn loc; /* hand-off features: NULL, every location is 0 */
	const void *loc_arg;
};

/**
 * ps_sched_run() - run nthreads green threads to completion.
 * @run: threads, schedule and bounds; read during the whole run.
 *
 * Thread i calls run->body(i, run->arg). Yield points reached outside a
 * run (sequential prefix, validation) return at once.
 *
 * Context: the caller's OS thread; not reentrant; never from a body.
 * Return: PS_DONE, or PS_STEP_LIMIT if run->max_steps steps were taken
 * before every body returned (the unfinished bodies never resume).
 */
enum ps_result ps_sched_run(const struct ps_run *run);

/* The steps of the last run (valid until the next run). */
unsigned ps_sched_step_count(void);
const struct ps_step *ps_sched_steps(void);

/* Number of the running green thread; -1 outside a body. */
int ps_sched_self(void);

/* Set the tag recorded with the calling thread's next steps (e.g. its
 * operation number) and the kind of operation they belong to (for the
 * interleaving feedback below). Outside a body it is a no-op. */
void ps_sched_set_tag(uint16_t tag, uint8_t kind);

/* Number of scheduling decisions the last run took from its bytes, and
 * whether the run is still in progress (for failure reports). */
size_t ps_sched_bytes_used(void);
int ps_sched_running(void);

/* The interleaving feature counters (PS_FEATURES of them, above): what
 * the runs since the last ps_sched_features_clear() counted. libFuzzer
 * clears the extra counters itself before each input; the tests call
 * this. */
const uint8_t *ps_sched_features(void);
void ps_sched_features_clear(void);

/*
 * Weak-memory mode, from a green thread of a weak run (elsewhere they do
 * nothing, ps_sched_op_check() answers NULL):
 *   ps_sched_weak()      1 inside a weak run's green thread;
 *   ps_sched_clock()     the thread's vector clock, and ps_sched_epoch()
 *                        its own component: operation A of thread t
 *                        happens before B iff B's clock at invocation has
 *                        c[t] >= the epoch of A's last step;
 *   ps_sched_op_begin()  an operation starts: stores it makes that publish
 *                        state carry this clock (wmem.h, published state);
 *   ps_sched_op_check()  at its end: NULL, or the location whose last
 *                        store read during the operation carries state
 *                        whose written-at clock the thread does not cover
 *                        (the store in *rf, the uncovered thread in
 *                        *missing).
 */
int ps_sched_weak(void);
void ps_sched_clock(struct ps_vclock *out);
uint32_t ps_sched_epoch(void);
void ps_sched_op_begin(void);
const volatile void *ps_sched_op_check(struct ps_wm_rf *rf, unsigned *missing);

/*
 * ThreadSanitizer builds (sched.c): a green thread's accesses are watched
 * only between ps_sched_table_begin() and ps_sched_table_end(), which the
 * harness puts around each call into the structure under test; elsewhere
 * (and outside a green thread) they do nothing.
 */
void ps_sched_table_begin(void);
void ps_sched_table_end(void);

/*
 * The hooks core/src/atomic.h calls in the scheduled build (also for a
 * harness's own atomics, e.g. a mailbox between green threads): a yield
 * point before the atomic, then its effect with its memory_order.
 */
void pt_sched_yield_point(const char *op, const volatile void *addr);
uint64_t pt_sched_loaded(const volatile void *addr, unsigned width,
			 uint64_t latest, int order);
void pt_sched_stored(const volatile void *addr, unsigned width, uint64_t old,
		     uint64_t v, int order);
void pt_sched_rmw(const volatile void *addr, unsigned width, uint64_t old,
		  uint64_t v, int order);
void pt_sched_cas_failed(const volatile void *addr, unsigned width,
			 uint64_t latest, int order);
void pt_sched_fenced(int order);

#endif /* PARTYFUZZ_SCHED_H */
