/*
 * sched.h - green-thread scheduler of the scheduled build.
 *
 * In a core built with -DPT_SCHED_BUILD every atomic of the party table
 * calls pt_sched_yield_point() just before it takes effect (atomic.h).
 * This module implements that hook: 2 to PS_MAX_THREADS cooperative green
 * threads run operation sequences on one table, and at each yield point
 * the schedule bytes of the fuzz input choose which runnable thread
 * executes its next atomic step. Only one OS thread ever runs, so the
 * execution is sequentially consistent and entirely decided by the bytes:
 * same bytes, same interleaving, every time (no clock, no randomness).
 *
 * Two modes, both drawn from the schedule bytes:
 *   PS_MODE_UNIFORM  one byte per decision with two or more runnable
 *                    threads: runnable[b % n]. When the bytes run out the
 *                    running thread keeps running (fewest switches).
 *   PS_MODE_PCT      probabilistic concurrency testing (Burckhardt et al.,
 *                    ASPLOS 2010): distinct initial priorities and d <= 3
 *                    priority-change points k_1..k_d < pct_horizon; the
 *                    highest-priority runnable thread always runs, and the
 *                    thread executing step k_i drops to priority d - i,
 *                    below every initial priority.
 *
 * A run is bounded by max_steps yield points: a livelock (a CAS loop that
 * never commits, e.g. in a faulty variant) ends the run with
 * PS_STEP_LIMIT, which the caller reports as a finding.
 *
 * Interleaving feedback: in fuzzing builds every conflict, i.e. a step on
 * a word whose previous step was another thread's, bumps a libFuzzer
 * extra counter indexed by (atomic, operation kind) of both steps. Code
 * coverage alone cannot tell "T1 loaded the word, then T2 CASed it, then
 * T1 stored" from the sequential order; this makes each new pattern of
 * conflicting accesses an input worth keeping.
 *
 * Steps are recorded with the value of the touched word just before and
 * just after the atomic (read when the thread yields again: nothing else
 * runs in between), so a failure replays as "thread, atomic, word, value".
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
};

enum ps_result {
	PS_DONE = 0,       /* every thread returned from its body */
	PS_STEP_LIMIT = 1, /* max_steps reached: threads abandoned */
};

/* One executed atomic step. */
struct ps_step {
	const char *op;            /* atomic.h wrapper, e.g. "cas_acq_rel" */
	const volatile void *addr; /* the word it touched; NULL for fences */
	uint64_t before;           /* value just before the step (width) */
	uint64_t after;            /* value just after it */
	uint16_t tag;              /* the thread's tag (ps_sched_set_tag) */
	uint8_t thread;
	uint8_t width; /* bytes of before/after; 0: not read */
};

/* A thread body: runs operations on the shared structure. */
typedef void (*ps_body_fn)(unsigned tid, void *arg);

/* Size in bytes (1, 2, 4 or 8) of the word at addr, 0 if unknown. */
typedef unsigned (*ps_width_fn)(const void *arg, const volatile void *addr);

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

#endif /* PARTYFUZZ_SCHED_H */
