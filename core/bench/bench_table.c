/*
 * bench_table.c - how fast the lock-free party table is, and against what.
 *
 * Measurements: every figure is the median, with min and max, of --runs
 * timed runs after one discarded warm-up run, timed with
 * clock_gettime(CLOCK_MONOTONIC), threads unpinned:
 *
 *   (1) One thread, the party cycle: retire a live party, alloc a new one,
 *       look up the new (live) handle and the retired (stale) one. Against
 *       the same cycle on mutex_table.c (the same table under one pthread
 *       mutex) and against a floor: two CAS and two acquire loads on four
 *       distinct words, through the table's own atomic.h. Targets: table
 *       within 2x of the floor, at least 2x faster than the mutex table.
 *   (2) Two threads on one shared table (shared slots and free list;
 *       each thread cycles over its own parties): total table
 *       operations per second, against the mutex table. Target >= 3x.
 *   (4) Allocation alone: retire + alloc on the table against a
 *       slot allocator built from Concurrency Kit's ck_stack (pop_mpmc /
 *       push_mpmc) and one built from ck_bitmap (find a clear bit, bts;
 *       reset), one thread and two. Only when built with CK
 *       (PT_BENCH_HAVE_CK).
 *
 * (3), the fuzzer's exec/s, is measured by ci/bench.sh, not here.
 *
 * Every operation's status is checked against the answer the contract
 * requires (party_table.h), so a table that gets faster by getting wrong
 * stops the benchmark; after each run the table is drained and
 * pt_table_validate() must hold. Targets are reported, never asserted:
 * the exit status is 0 unless an answer was wrong or a setup failed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "partyfuzz/party_table.h"

#include "atomic.h"
#include "mutex_table.h"

#ifdef PT_BENCH_HAVE_CK
#include <ck_bitmap.h>
#include <ck_stack.h>
#endif

#define BENCH_PARTIES 64u /* live parties per thread; a power of two */
#define BENCH_VCS 8u      /* shared by all threads */
#define BENCH_MAX_THREADS 16u
#define BENCH_CAPACITY (BENCH_MAX_THREADS * BENCH_PARTIES + 64u)
#define BENCH_TAG 0x5a
#define BENCH_MIN_RUNS 5u

/* What one timed run does; each thread repeats it `cycles` times. */
enum bench_kind {
	BK_FLOOR,    /* 2 CAS + 2 acquire loads, distinct words */
	BK_PT_CYCLE, /* retire, alloc, lookup live, lookup stale */
	BK_MT_CYCLE, /* the same on the mutex table */
	BK_PT_ALLOC, /* retire, alloc */
	BK_CK_STACK, /* ck_stack push (free), pop (alloc) */
	BK_CK_BITMAP /* ck_bitmap reset (free), find + bts (alloc) */
};

/* Table operations per cycle, for ops/s. */
static const unsigned kind_ops[] = {
	[BK_FLOOR] = 4,    [BK_PT_CYCLE] = 4, [BK_MT_CYCLE] = 4,
	[BK_PT_ALLOC] = 2, [BK_CK_STACK] = 2, [BK_CK_BITMAP] = 2,
};

#ifdef PT_BENCH_HAVE_CK
struct ck_slot {
	ck_stack_entry_t entry; /* first: the entry is the slot */
	uint32_t index;
};

#define CK_BITMAP_WORDS ((BENCH_CAPACITY + 31u) / 32u)
#endif

/* State shared by the threads of one run; fresh for every run. */
struct bench_env {
	struct pt_table *pt;
	struct mt_table *mt;
#ifdef PT_BENCH_HAVE_CK
	/* ck_stack_pop_mpmc compares head and generation in one 16-byte
	 * CAS: the stack must be 16-byte aligned. */
	_Alignas(64) ck_stack_t stack;
	struct ck_slot slots[BENCH_CAPACITY];
	/* A ck_bitmap is a header followed by its words. */
	_Alignas(64) union {
		ck_bitmap_t map;
		unsigned int raw[1 + CK_BITMAP_WORDS];
	} bits;
#endif
};

struct worker {
	enum bench_kind kind;
	struct bench_env *env;
	uint64_t cycles;
	pthread_barrier_t *start;   /* NULL when running alone */
	uint64_t t0, t1;            /* timed section, CLOCK_MONOTONIC ns */
	uintptr_t h[BENCH_PARTIES]; /* handles, ck slots or bit numbers */
	uint64_t sink;              /* keeps the floor's loads alive */
};

/* The floor's four words, each on its own cache line. */
static struct {
	_Alignas(64) pt_atomic_u64 w;
} floor_words[4];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_table: %s\n", what);
	exit(2);
}

/* A wrong answer is a bug in the measured table, not noise: stop. */
static void expect(const char *op, int got, int want)
{
	if (got == want)
		return;
	fprintf(stderr, "bench_table: %s returned %s, the contract says %s\n",
		op, pt_err_name(got), pt_err_name(want));
	exit(1);
}

/* ---- the measured loops ------------------------------------------------ */

static void floor_loop(struct worker *w, uint64_t n)
{
	uint64_t c, sum = 0;

	for (c = 0; c < n; c++) {
		uint64_t e2 = pt_atomic_load_relaxed_u64(&floor_words[2].w);
		uint64_t e3 = pt_atomic_load_relaxed_u64(&floor_words[3].w);

		sum += pt_atomic_load_acquire_u64(&floor_words[0].w);
		sum += pt_atomic_load_acquire_u64(&floor_words[1].w);
		/* Single thread: both CAS succeed, as the table's do. */
		if (!pt_atomic_cas_acq_rel_u64(&floor_words[2].w, &e2,
					       e2 + 1) ||
		    !pt_atomic_cas_acq_rel_u64(&floor_words[3].w, &e3, e3 + 1))
			die("floor CAS failed with one thread");
	}
	w->sink += sum;
}

/* Party i of a thread lives on VC i % BENCH_VCS: threads share VCs. */
static void pt_loop(struct worker *w, uint64_t n, int lookups)
{
	struct pt_table *t = w->env->pt;
	uint64_t c;

	for (c = 0; c < n; c++) {
		uint32_t i = (uint32_t)c & (BENCH_PARTIES - 1);
		pt_handle_t old = w->h[i], h;

		expect("pt_party_retire", pt_party_retire(t, old, PT_ACTIVE),
		       PT_OK);
		expect("pt_party_alloc",
		       pt_party_alloc(t, i % BENCH_VCS, PT_ACTIVE, i, &h),
		       PT_OK);
		w->h[i] = h;
		if (!lookups)
			continue;
		expect("pt_party_lookup(live)", pt_party_lookup(t, h, NULL),
		       PT_OK);
		expect("pt_party_lookup(stale)", pt_party_lookup(t, old, NULL),
		       PT_E_STALE);
	}
}

static void mt_loop(struct worker *w, uint64_t n)
{
	struct mt_table *t = w->env->mt;
	uint64_t c;

	for (c = 0; c < n; c++) {
		uint32_t i = (uint32_t)c & (BENCH_PARTIES - 1);
		pt_handle_t old = w->h[i], h;

		expect("mt_party_retire", mt_party_retire(t, old, PT_ACTIVE),
		       PT_OK);
		expect("mt_party_alloc",
		       mt_party_alloc(t, i % BENCH_VCS, PT_ACTIVE, i, &h),
		       PT_OK);
		w->h[i] = h;
		expect("mt_party_lookup(live)", mt_party_lookup(t, h), PT_OK);
		expect("mt_party_lookup(stale)", mt_party_lookup(t, old),
		       PT_E_STALE);
	}
}

#ifdef PT_BENCH_HAVE_CK
static struct ck_slot *ck_slot_alloc(struct bench_env *env)
{
	ck_stack_entry_t *e = ck_stack_pop_mpmc(&env->stack);

	if (e == NULL)
		die("ck_stack empty: more live slots than capacity");
	return (struct ck_slot *)e;
}

static void ck_stack_loop(struct worker *w, uint64_t n)
{
	uint64_t c;

	for (c = 0; c < n; c++) {
		uint32_t i = (uint32_t)c & (BENCH_PARTIES - 1);

		ck_stack_push_mpmc(&w->env->stack,
				   &((struct ck_slot *)w->h[i])->entry);
		w->h[i] = (uintptr_t)ck_slot_alloc(w->env);
	}
}

/* First clear bit, claimed with bts; rescan if another thread won it. */
static uint32_t ck_bit_alloc(struct bench_env *env)
{
	ck_bitmap_t *map = &env->bits.map;
	unsigned int *words = ck_bitmap_buffer(map);
	uint32_t k;

	for (;;) {
		for (k = 0; k < CK_BITMAP_WORDS; k++) {
			unsigned int v = ck_pr_load_uint(&words[k]);
			uint32_t bit;

			if (v == ~0u)
				continue;
			bit = k * 32u + (uint32_t)__builtin_ctz(~v);
			if (bit >= BENCH_CAPACITY)
				die("ck_bitmap full: more live slots than "
				    "capacity");
			if (!ck_bitmap_bts(map, bit))
				return bit;
			break; /* lost the bit: rescan */
		}
		if (k == CK_BITMAP_WORDS)
			die("ck_bitmap full: more live slots than capacity");
	}
}

static void ck_bitmap_loop(struct worker *w, uint64_t n)
{
	uint64_t c;

	for (c = 0; c < n; c++) {
		uint32_t i = (uint32_t)c & (BENCH_PARTIES - 1);

		ck_bitmap_reset(&w->env->bits.map, (unsigned int)w->h[i]);
		w->h[i] = ck_bit_alloc(w->env);
	}
}
#endif /* PT_BENCH_HAVE_CK */

static void run_loop(struct worker *w, uint64_t n)
{
	switch (w->kind) {
	case BK_FLOOR:
		floor_loop(w, n);
		break;
	case BK_PT_CYCLE:
		pt_loop(w, n, 1);
		break;
	case BK_PT_ALLOC:
		pt_loop(w, n, 0);
		break;
	case BK_MT_CYCLE:
		mt_loop(w, n);
		break;
#ifdef PT_BENCH_HAVE_CK
	case BK_CK_STACK:
		ck_stack_loop(w, n);
		break;
	case BK_CK_BITMAP:
		ck_bitmap_loop(w, n);
		break;
#else
	case BK_CK_STACK:
	case BK_CK_BITMAP:
		die("built without Concurrency Kit");
#endif
	}
}

/* ---- one run ----------------------------------------------------------- */

/* Give the thread its live parties (or slots), untimed. */
static void worker_fill(struct worker *w)
{
	uint32_t i;

	for (i = 0; i < BENCH_PARTIES; i++) {
		pt_handle_t h = 0;

		switch (w->kind) {
		case BK_FLOOR:
			return;
		case BK_PT_CYCLE:
		case BK_PT_ALLOC:
			expect("pt_party_alloc",
			       pt_party_alloc(w->env->pt, i % BENCH_VCS,
					      PT_ACTIVE, i, &h),
			       PT_OK);
			w->h[i] = h;
			break;
		case BK_MT_CYCLE:
			expect("mt_party_alloc",
			       mt_party_alloc(w->env->mt, i % BENCH_VCS,
					      PT_ACTIVE, i, &h),
			       PT_OK);
			w->h[i] = h;
			break;
#ifdef PT_BENCH_HAVE_CK
		case BK_CK_STACK:
			w->h[i] = (uintptr_t)ck_slot_alloc(w->env);
			break;
		case BK_CK_BITMAP:
			w->h[i] = ck_bit_alloc(w->env);
			break;
#else
		case BK_CK_STACK:
		case BK_CK_BITMAP:
			die("built without Concurrency Kit");
#endif
		}
	}
}

/* End the thread's parties, so that the drained table can be checked. */
static void worker_drain(struct worker *w)
{
	uint32_t i;

	for (i = 0; i < BENCH_PARTIES; i++) {
		switch (w->kind) {
		case BK_PT_CYCLE:
		case BK_PT_ALLOC:
			expect("pt_party_retire",
			       pt_party_retire(w->env->pt, w->h[i], PT_ACTIVE),
			       PT_OK);
			break;
		case BK_MT_CYCLE:
			expect("mt_party_retire",
			       mt_party_retire(w->env->mt, w->h[i], PT_ACTIVE),
			       PT_OK);
			break;
		default: /* floor and CK: nothing to check afterwards */
			return;
		}
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	worker_fill(w);
	/* Warm-up inside the run: caches, branch predictors, page faults. */
	run_loop(w, w->cycles / 8 + 1);
	if (w->start != NULL) {
		int rc = pthread_barrier_wait(w->start);

		if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD)
			die("pthread_barrier_wait failed");
	}
	w->t0 = now_ns();
	run_loop(w, w->cycles);
	w->t1 = now_ns();
	return NULL;
}

static void env_init(struct bench_env *env)
{
	const struct pt_config cfg = {
		.capacity = BENCH_CAPACITY,
		.vc_count = BENCH_VCS,
		.gen_bits = 32,
		.tag = BENCH_TAG,
	};

	memset(env, 0, sizeof(*env));
	if (pt_table_create(&cfg, &env->pt) != PT_OK ||
	    mt_table_create(&cfg, &env->mt) != PT_OK)
		die("cannot create the tables");
#ifdef PT_BENCH_HAVE_CK
	{
		uint32_t i;

		/* Pushed in reverse: slot 0 on top, as the party table. */
		for (i = BENCH_CAPACITY; i-- > 0;) {
			env->slots[i].index = i;
			ck_stack_push_upmc(&env->stack, &env->slots[i].entry);
		}
		ck_bitmap_init(&env->bits.map, BENCH_CAPACITY, false);
	}
#endif
}

/* The drained tables must be empty and valid (party_table.c I1..I8). */
static void env_check_fini(struct bench_env *env)
{
	char why[160];
	uint32_t v;

	if (pt_table_validate(env->pt, why, sizeof(why)) != PT_OK) {
		fprintf(stderr, "bench_table: table invalid after run: %s\n",
			why);
		exit(1);
	}
	for (v = 0; v < BENCH_VCS; v++)
		if (pt_vc_live_count(env->pt, v) != 0 ||
		    mt_vc_live_count(env->mt, v) != 0)
			die("a VC still counts live parties after the drain");
	pt_table_destroy(env->pt);
	mt_table_destroy(env->mt);
}

/*
 * One run: `threads` workers, each `cycles` cycles. Returns the wall time
 * of the timed sections, from the first start to the last end.
 */
static double run_once(enum bench_kind kind, unsigned threads, uint64_t cycles)
{
	static struct bench_env env; /* large with CK; not on the stack */
	struct worker w[BENCH_MAX_THREADS];
	pthread_t tid[BENCH_MAX_THREADS];
	pthread_barrier_t start;
	uint64_t t0 = UINT64_MAX, t1 = 0;
	unsigned i;

	env_init(&env);
	memset(w, 0, sizeof(w));
	for (i = 0; i < threads; i++) {
		w[i].kind = kind;
		w[i].env = &env;
		w[i].cycles = cycles;
	}
	if (threads == 1) {
		worker_main(&w[0]);
	} else {
		if (pthread_barrier_init(&start, NULL, threads) != 0)
			die("pthread_barrier_init failed");
		for (i = 0; i < threads; i++) {
			w[i].start = &start;
			if (pthread_create(&tid[i], NULL, worker_main, &w[i]))
				die("pthread_create failed");
		}
		for (i = 0; i < threads; i++)
			pthread_join(tid[i], NULL);
		pthread_barrier_destroy(&start);
	}
	for (i = 0; i < threads; i++) {
		worker_drain(&w[i]);
		t0 = w[i].t0 < t0 ? w[i].t0 : t0;
		t1 = w[i].t1 > t1 ? w[i].t1 : t1;
	}
	env_check_fini(&env);
	return (double)(t1 - t0);
}

/* ---- statistics and report --------------------------------------------- */

struct stat {
	double med, min, max;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct stat stat_of(double *v, unsigned n)
{
	struct stat s;

	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

struct opts {
	unsigned runs;
	unsigned threads;
	uint64_t cycles;
	const char *only; /* section numbers to run, e.g. "14"; all if "" */
};

/*
 * Measure one kind: a discarded warm-up run, then opt->runs timed runs.
 * per_cycle: ns per cycle of one thread (threads must be 1); otherwise
 * total table operations per second over all threads, in millions.
 */
static struct stat measure(const struct opts *o, enum bench_kind kind,
			   unsigned threads, int per_cycle)
{
	double v[64];
	uint64_t cycles = o->cycles;
	unsigned r;

	(void)run_once(kind, threads, cycles / 4 + 1);
	for (r = 0; r < o->runs; r++) {
		double ns = run_once(kind, threads, cycles);

		v[r] = per_cycle ? ns / (double)cycles
				 : (double)kind_ops[kind] * (double)cycles *
					   threads * 1e3 / ns;
	}
	return stat_of(v, o->runs);
}

static void row(const char *what, const char *impl, struct stat s,
		const char *unit)
{
	printf("  %-34s %-22s %9.2f %9.2f %9.2f  %s\n", what, impl, s.med,
	       s.min, s.max, unit);
}

static void header(void)
{
	printf("  %-34s %-22s %9s %9s %9s  %s\n", "measured", "implementation",
	       "median", "min", "max", "unit");
}

/* Report a target; never fail on it: a benchmark reports, never judges. */
static void ratio(const char *what, double x, const char *target, int met)
{
	printf("  %-58s %6.2fx   target %-6s %s\n", what, x, target,
	       met ? "met" : "MISSED");
}

static const char *sanitizers(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif
#ifdef BENCH_SANITIZED
	return "ON (figures are not representative)";
#else
	return "none";
#endif
}

static void *nothing(void *arg)
{
	return arg;
}

/*
 * glibc runs a single-threaded process's mutexes without the lock prefix
 * (__libc_single_threaded), which no table shared by threads ever sees;
 * one thread created and joined makes the process multi-threaded for
 * good, so the one-thread figures of the mutex table are honest.
 */
static void become_multithreaded(void)
{
	pthread_t tid;

	if (pthread_create(&tid, NULL, nothing, NULL) != 0 ||
	    pthread_join(tid, NULL) != 0)
		die("cannot create a thread");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench_table [--runs N] [--cycles N] [--threads N] "
		"[--only LIST]\n"
		"  --runs N     timed runs per figure, median reported "
		"(>= %u, default 7)\n"
		"  --cycles N   cycles per thread per run (default 2000000)\n"
		"  --threads N  threads of the shared-table runs (2..%u, "
		"default 2)\n"
		"  --only LIST  run only these sections, e.g. 12 (default 124;"
		"\n               3 is ci/bench.sh's)\n",
		BENCH_MIN_RUNS, BENCH_MAX_THREADS);
}

static uint64_t parse_u64(const char *s, uint64_t lo, uint64_t hi)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		usage(stderr);
		exit(2);
	}
	return v;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	o->runs = 7;
	o->threads = 2;
	o->cycles = 2000000;
	o->only = "";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			exit(0);
		}
		if (i + 1 >= argc) {
			usage(stderr);
			exit(2);
		}
		if (strcmp(argv[i], "--runs") == 0)
			o->runs = (unsigned)parse_u64(argv[++i],
						      BENCH_MIN_RUNS, 64);
		else if (strcmp(argv[i], "--cycles") == 0)
			/* Each cycle bumps at most one generation: far
			 * below 2^32 - 1, so no slot parks mid-run. */
			o->cycles = parse_u64(argv[++i], 1000, 1000000000);
		else if (strcmp(argv[i], "--only") == 0)
			o->only = argv[++i];
		else if (strcmp(argv[i], "--threads") == 0)
			o->threads = (unsigned)parse_u64(argv[++i], 2,
							 BENCH_MAX_THREADS);
		else {
			usage(stderr);
			exit(2);
		}
	}
}

static int wanted(const struct opts *o, char section)
{
	return o->only[0] == '\0' || strchr(o->only, section) != NULL;
}

static void section_one_thread(const struct opts *o)
{
	struct stat fl, pt1, mt1;

	printf("(1) one thread, ns per cycle: pt_party_retire a live party, "
	       "pt_party_alloc one,\n    pt_party_lookup the new (live) and "
	       "the retired (stale) handle\n");
	header();
	pt1 = measure(o, BK_PT_CYCLE, 1, 1);
	mt1 = measure(o, BK_MT_CYCLE, 1, 1);
	fl = measure(o, BK_FLOOR, 1, 1);
	row("retire+alloc+2 lookups", "lock-free table", pt1, "ns/cycle");
	row("retire+alloc+2 lookups", "mutex table", mt1, "ns/cycle");
	row("2 CAS + 2 acquire loads (floor)", "atomic.h, 4 words", fl,
	    "ns/cycle");
	ratio("lock-free / floor (median ns)", pt1.med / fl.med, "<= 2x",
	      pt1.med <= 2 * fl.med);
	ratio("mutex / lock-free (median ns)", mt1.med / pt1.med, ">= 2x",
	      mt1.med >= 2 * pt1.med);
}

static void section_shared(const struct opts *o)
{
	struct stat pt2, mt2;
	char impl[32];

	printf("\n(2) %u threads on one shared table, each cycling over its "
	       "own parties:\n    total table operations per second (4 per "
	       "cycle), wall time first start to last end\n",
	       o->threads);
	header();
	pt2 = measure(o, BK_PT_CYCLE, o->threads, 0);
	mt2 = measure(o, BK_MT_CYCLE, o->threads, 0);
	snprintf(impl, sizeof(impl), "lock-free, %u thr", o->threads);
	row("retire+alloc+2 lookups", impl, pt2, "Mops/s");
	snprintf(impl, sizeof(impl), "mutex, %u thr", o->threads);
	row("retire+alloc+2 lookups", impl, mt2, "Mops/s");
	ratio("lock-free / mutex (median ops/s)", pt2.med / mt2.med, ">= 3x",
	      pt2.med >= 3 * mt2.med);
}

#ifdef PT_BENCH_HAVE_CK
/* Pairs per second from operations per second (2 per cycle). */
static struct stat pairs(struct stat s)
{
	s.med /= 2;
	s.min /= 2;
	s.max /= 2;
	return s;
}
#endif

static void section_alloc(const struct opts *o)
{
#ifdef PT_BENCH_HAVE_CK
	struct stat a1, a2, s1, s2, b1, b2;
	char impl[32];
#endif

	printf("\n(4) allocation alone, one thread (ns per alloc+free) and "
	       "%u threads (M alloc+free/s):\n",
	       o->threads);
#ifdef PT_BENCH_HAVE_CK
	printf("    table: pt_party_retire + pt_party_alloc; ck_stack: "
	       "push_mpmc + pop_mpmc;\n    ck_bitmap: reset + (scan for a "
	       "clear bit, bts)\n");
	header();
	a1 = measure(o, BK_PT_ALLOC, 1, 1);
	s1 = measure(o, BK_CK_STACK, 1, 1);
	b1 = measure(o, BK_CK_BITMAP, 1, 1);
	a2 = pairs(measure(o, BK_PT_ALLOC, o->threads, 0));
	s2 = pairs(measure(o, BK_CK_STACK, o->threads, 0));
	b2 = pairs(measure(o, BK_CK_BITMAP, o->threads, 0));
	row("alloc+free, 1 thread", "lock-free table", a1, "ns");
	row("alloc+free, 1 thread", "ck_stack mpmc", s1, "ns");
	row("alloc+free, 1 thread", "ck_bitmap", b1, "ns");
	snprintf(impl, sizeof(impl), "lock-free table, %u thr", o->threads);
	row("alloc+free pairs", impl, a2, "M/s");
	snprintf(impl, sizeof(impl), "ck_stack mpmc, %u thr", o->threads);
	row("alloc+free pairs", impl, s2, "M/s");
	snprintf(impl, sizeof(impl), "ck_bitmap, %u thr", o->threads);
	row("alloc+free pairs", impl, b2, "M/s");
	printf("  table alloc+retire / ck_stack alloc+free (1 thread, median "
	       "ns): %.2fx\n",
	       a1.med / s1.med);
#else
	printf("    skipped: built without Concurrency Kit (install "
	       "libck-dev and reconfigure)\n");
#endif
}

int main(int argc, char **argv)
{
	struct opts o;
	parse_opts(argc, argv, &o);
	become_multithreaded();
	printf("bench_table: %u timed runs per figure after one warm-up run; "
	       "%llu cycles per thread per run; CLOCK_MONOTONIC; threads "
	       "not pinned\n",
	       o.runs, (unsigned long long)o.cycles);
	printf("build: %s, %s, PT_DEBUG=%d, sanitizers %s, Concurrency Kit "
	       "%s\n",
#if defined(__clang__)
	       "clang " __clang_version__,
#else
	       "gcc " __VERSION__,
#endif
#ifdef __OPTIMIZE__
	       "optimized",
#else
	       "NOT optimized (figures are not representative)",
#endif
	       PT_DEBUG, sanitizers(),
#ifdef PT_BENCH_HAVE_CK
	       "yes"
#else
	       "no"
#endif
	);
	printf("table: capacity %u, %u VCs, %u live parties per thread on "
	       "VCs i %% %u (shared by all threads)\n\n",
	       BENCH_CAPACITY, BENCH_VCS, BENCH_PARTIES, BENCH_VCS);

	if (wanted(&o, '1'))
		section_one_thread(&o);
	if (wanted(&o, '2'))
		section_shared(&o);
	if (wanted(&o, '4'))
		section_alloc(&o);
	return 0;
}
