/*
 * stress_table.c - real-thread stress of the party table (ctest label tsan).
 *
 * N pthreads run a random mix of alloc, lookup, acquire/release,
 * transition and retire on one shared table. The green-thread fuzzer
 * (fuzz_table_sched) explores atomic interleavings exhaustively on one OS
 * thread; this program adds what only real threads have: real memory
 * ordering, checked by ThreadSanitizer in the tsan preset, and volume.
 *
 * Usage: stress_table [-t threads] [-n total_ops] [-q quiescent_points]
 *                     [-c capacity] [-v vcs] [-g gen_bits] [-s seed]
 * Defaults: 4 threads, 10000000 operations in total, 100 quiescent
 * points, capacity 32, 4 VCs, 32 generation bits, seed 1.
 *
 * Ownership rule that makes the checks exact: only the thread that
 * allocated a party retires it. Any thread may look it up, take and drop
 * references, and transition it, through handles published on a shared
 * board. Per operation it checks:
 *   K1 lookup/acquire/transition of a board handle answer only PT_OK,
 *      PT_E_STALE (or PT_E_STATE for transitions); a snapshot carries the
 *      vc its ctx encodes (no snapshot mixes two lives of a slot).
 *   K2 a reference holder's release is PT_OK: a referenced slot is never
 *      recycled, even if its owner retires the party meanwhile.
 *   K3 the owner's lookup of its own live party is PT_OK with its vc and
 *      ctx; its retire fails only with PT_E_STATE (racing transitions).
 *   K4 a retired handle never validates again: lookup, acquire,
 *      transition and retire of it answer PT_E_STALE (invariant I8).
 * At each quiescent point (all threads at a barrier): pt_table_validate(),
 * per-VC live counts equal to the sum the owners keep, K3 for every owned
 * party and K4 for every remembered retired handle.
 *
 * Each thread draws from its own PRNG seeded by (seed, thread): the
 * operations a thread issues are deterministic given the answers it gets;
 * the interleaving is the machine's. Any failed check prints the thread,
 * operation, handle and answers and aborts (the sanitizer or the core dump
 * shows the stack). Exit 0 and one summary line on success.
 */
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomic.h"
#include "partyfuzz/party_table.h"

#define ST_MAX_THREADS 64
#define ST_BOARD 64   /* published handles */
#define ST_OWN_MAX 16 /* live parties per thread */
#define ST_RETIRED 32 /* remembered retired handles per thread */
#define ST_MAX_VCS 64
#define ST_RETRIES 100000

struct worker {
	unsigned id;
	uint64_t rng;
	uint64_t ops, next_ctx;
	unsigned nowned, nretired, retired_pos;
	pt_handle_t owned[ST_OWN_MAX];
	uintptr_t owned_ctx[ST_OWN_MAX];
	pt_handle_t retired[ST_RETIRED];
	uint32_t live[ST_MAX_VCS]; /* live parties it owns, per VC */
	uint64_t n_ok, n_full, n_stale, n_state;
	pthread_t thread;
};

static struct {
	struct pt_table *t;
	struct pt_config cfg;
	unsigned nthreads, points;
	uint64_t ops_per_point;
	pthread_barrier_t barrier;
	pt_atomic_u64 board[ST_BOARD];
	struct worker w[ST_MAX_THREADS];
} G;

static const enum pt_party_state live_states[6] = {
	PT_MAKING,   PT_ADDING,         PT_ACTIVE,
	PT_DROPPING, PT_REMOTE_DROPPED, PT_CLOSING,
};

/* splitmix64: a per-thread stream, deterministic for (seed, thread). */
static uint64_t rnd(struct worker *w)
{
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void die(const struct worker *w, const char *what, pt_handle_t h,
		int got)
{
	fprintf(stderr,
		"stress_table: FAILED: thread %u after %" PRIu64
		" ops: %s: handle 0x%016llx (slot %u gen %u): %s\n",
		w ? w->id : 0, w ? w->ops : 0, what, (unsigned long long)h,
		pt_handle_index(h), pt_handle_gen(h), pt_err_name(got));
	fflush(stderr);
	abort();
}

/* ctx layout: [vc:16 | owner:16 | serial:32], so a snapshot's ctx says
 * which vc the same life of the slot must carry (K1). */
static uintptr_t make_ctx(struct worker *w, uint32_t vc)
{
	return (uintptr_t)((uint64_t)vc << 48 | (uint64_t)w->id << 32 |
			   (w->next_ctx++ & 0xffffffffu));
}

static uint32_t ctx_vc(uintptr_t ctx)
{
	return (uint32_t)((uint64_t)ctx >> 48);
}

static void count(struct worker *w, int rc)
{
	if (rc == PT_OK)
		w->n_ok++;
	else if (rc == PT_E_FULL)
		w->n_full++;
	else if (rc == PT_E_STALE)
		w->n_stale++;
	else if (rc == PT_E_STATE)
		w->n_state++;
}

static void remember_retired(struct worker *w, pt_handle_t h)
{
	w->retired[w->retired_pos] = h;
	w->retired_pos = (w->retired_pos + 1) % ST_RETIRED;
	if (w->nretired < ST_RETIRED)
		w->nretired++;
}

static void op_alloc(struct worker *w)
{
	uint32_t vc = (uint32_t)(rnd(w) % G.cfg.vc_count);
	uintptr_t ctx = make_ctx(w, vc);
	pt_handle_t h;
	int rc;

	if (w->nowned == ST_OWN_MAX)
		return;
	rc = pt_party_alloc(G.t, vc, live_states[rnd(w) % 6], ctx, &h);
	count(w, rc);
	if (rc == PT_E_FULL)
		return;
	if (rc != PT_OK)
		die(w, "alloc", 0, rc);
	w->owned[w->nowned] = h;
	w->owned_ctx[w->nowned] = ctx;
	w->nowned++;
	w->live[vc]++;
	/* Release: pairs with the acquire load of the board in
	 * board_pick(); the handle's party is published by alloc itself. */
	pt_atomic_store_release_u64(&G.board[rnd(w) % ST_BOARD], h);
}

/* K3 for owned party i; returns its snapshot. */
static void check_owned(struct worker *w, unsigned i,
			struct pt_party_info *info)
{
	int rc = pt_party_lookup(G.t, w->owned[i], info);

	if (rc != PT_OK)
		die(w, "lookup of an owned live party", w->owned[i], rc);
	if (info->ctx != w->owned_ctx[i] || info->vc != ctx_vc(info->ctx))
		die(w, "snapshot of an owned party has a foreign ctx/vc",
		    w->owned[i], rc);
}

static void op_retire_own(struct worker *w)
{
	struct pt_party_info info;
	unsigned i, tries;
	pt_handle_t h;
	int rc, hold;

	if (w->nowned == 0)
		return;
	i = (unsigned)(rnd(w) % w->nowned);
	h = w->owned[i];
	/* Sometimes hold a reference across the retire: the slot then
	 * waits in DEAD and our release recycles it (K2). */
	hold = rnd(w) % 2;
	if (hold && (rc = pt_party_acquire(G.t, h)) != PT_OK)
		die(w, "acquire of an owned live party", h, rc);
	for (tries = 0;; tries++) {
		check_owned(w, i, &info);
		rc = pt_party_retire(G.t, h, info.state);
		count(w, rc);
		if (rc == PT_OK)
			break;
		if (rc != PT_E_STATE || tries == ST_RETRIES)
			die(w, "retire of an owned party", h, rc);
	}
	w->live[info.vc]--;
	w->owned[i] = w->owned[w->nowned - 1];
	w->owned_ctx[i] = w->owned_ctx[w->nowned - 1];
	w->nowned--;
	if (hold) {
		rc = pt_party_lookup(G.t, h, NULL);
		if (rc != PT_E_STALE)
			die(w, "lookup right after retire", h, rc);
		rc = pt_party_release(G.t, h);
		if (rc != PT_OK)
			die(w, "release of a reference held across retire", h,
			    rc);
	}
	remember_retired(w, h);
}

static pt_handle_t board_pick(struct worker *w)
{
	/* Acquire: pairs with the release store in op_alloc. */
	return pt_atomic_load_acquire_u64(&G.board[rnd(w) % ST_BOARD]);
}

static void op_lookup_board(struct worker *w)
{
	pt_handle_t h = board_pick(w);
	struct pt_party_info info;
	int rc;

	if (h == PT_HANDLE_NULL)
		return;
	rc = pt_party_lookup(G.t, h, &info);
	count(w, rc);
	if (rc == PT_OK &&
	    (info.vc != ctx_vc(info.ctx) || !PT_STATE_IS_LIVE(info.state)))
		die(w, "board lookup: snapshot mixes two lives", h, rc);
	if (rc != PT_OK && rc != PT_E_STALE)
		die(w, "board lookup", h, rc); /* K1 */
}

static void op_acquire_board(struct worker *w)
{
	pt_handle_t h = board_pick(w);
	int rc;

	if (h == PT_HANDLE_NULL)
		return;
	rc = pt_party_acquire(G.t, h);
	count(w, rc);
	if (rc == PT_E_STALE)
		return;
	if (rc != PT_OK)
		die(w, "board acquire", h, rc); /* K1 */
	rc = pt_party_lookup(G.t, h, NULL);
	if (rc != PT_OK && rc != PT_E_STALE)
		die(w, "lookup while holding a reference", h, rc);
	rc = pt_party_release(G.t, h);
	if (rc != PT_OK)
		die(w, "release of a held reference", h, rc); /* K2 */
}

static void op_transition_board(struct worker *w)
{
	pt_handle_t h = board_pick(w);
	enum pt_party_state from = live_states[rnd(w) % 6];
	enum pt_party_state to = live_states[rnd(w) % 6];
	int rc;

	if (h == PT_HANDLE_NULL)
		return;
	rc = pt_party_transition(G.t, h, from, to);
	count(w, rc);
	if (rc != PT_OK && rc != PT_E_STALE && rc != PT_E_STATE)
		die(w, "board transition", h, rc); /* K1 */
}

/* K4 */
static void check_retired(struct worker *w, pt_handle_t h)
{
	int rc;

	if ((rc = pt_party_lookup(G.t, h, NULL)) != PT_E_STALE)
		die(w, "lookup of a retired handle", h, rc);
	if ((rc = pt_party_acquire(G.t, h)) != PT_E_STALE)
		die(w, "acquire of a retired handle", h, rc);
	if ((rc = pt_party_transition(G.t, h, PT_ACTIVE, PT_DROPPING)) !=
	    PT_E_STALE)
		die(w, "transition of a retired handle", h, rc);
	if ((rc = pt_party_retire(G.t, h, PT_ACTIVE)) != PT_E_STALE)
		die(w, "retire of a retired handle", h, rc);
}

static void one_op(struct worker *w)
{
	unsigned r = (unsigned)(rnd(w) % 100);
	struct pt_party_info info;

	if (r < 15)
		op_alloc(w);
	else if (r < 30)
		op_retire_own(w);
	else if (r < 50)
		op_lookup_board(w);
	else if (r < 70)
		op_acquire_board(w);
	else if (r < 85)
		op_transition_board(w);
	else if (r < 95) {
		if (w->nowned)
			check_owned(w, (unsigned)(rnd(w) % w->nowned), &info);
	} else if (w->nretired) {
		check_retired(w, w->retired[rnd(w) % w->nretired]);
	}
	w->ops++;
}

/* Thread 0 at a quiescent point: the whole-table invariants. */
static void quiescent_table_checks(void)
{
	char why[160];
	uint32_t v;
	unsigned i;
	int rc;

	rc = pt_table_validate(G.t, why, sizeof(why));
	if (rc != PT_OK) {
		fprintf(stderr, "stress_table: validate: %s\n", why);
		pt_table_dump(G.t, stderr);
		die(NULL, "pt_table_validate at a quiescent point", 0, rc);
	}
	for (v = 0; v < G.cfg.vc_count; v++) {
		uint32_t sum = 0;

		for (i = 0; i < G.nthreads; i++)
			sum += G.w[i].live[v];
		if (pt_vc_live_count(G.t, v) != sum) {
			fprintf(stderr,
				"stress_table: VC %u counts %u live parties, "
				"owners hold %u\n",
				v, pt_vc_live_count(G.t, v), sum);
			die(NULL, "live count at a quiescent point", 0, 0);
		}
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pt_party_info info;
	unsigned p, i;
	uint64_t k;

	for (p = 0; p < G.points; p++) {
		for (k = 0; k < G.ops_per_point; k++)
			one_op(w);
		pthread_barrier_wait(&G.barrier);
		/* Quiescent: nobody mutates until the second barrier. */
		if (w->id == 0)
			quiescent_table_checks();
		for (i = 0; i < w->nowned; i++)
			check_owned(w, i, &info);
		for (i = 0; i < w->nretired; i++)
			check_retired(w, w->retired[i]);
		pthread_barrier_wait(&G.barrier);
	}
	return NULL;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [-t threads] [-n total_ops] [-q quiescent_points]\n"
		"          [-c capacity] [-v vcs] [-g gen_bits] [-s seed]\n",
		argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long total = 10000000ull, seed = 1;
	struct timespec t0, t1;
	uint64_t ok = 0, full = 0, stale = 0, state = 0;
	double secs;
	unsigned i;
	int c;

	G.nthreads = 4;
	G.points = 100;
	G.cfg.capacity = 32;
	G.cfg.vc_count = 4;
	G.cfg.gen_bits = 32;
	G.cfg.tag = 0x5c;
	while ((c = getopt(argc, argv, "t:n:q:c:v:g:s:")) != -1) {
		switch (c) {
		case 't':
			G.nthreads = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'n':
			total = strtoull(optarg, NULL, 0);
			break;
		case 'q':
			G.points = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'c':
			G.cfg.capacity = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'v':
			G.cfg.vc_count = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'g':
			G.cfg.gen_bits = (uint8_t)strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc || G.nthreads == 0 || G.nthreads > ST_MAX_THREADS ||
	    G.points == 0 || G.cfg.vc_count == 0 ||
	    G.cfg.vc_count > ST_MAX_VCS ||
	    total < (uint64_t)G.nthreads * G.points)
		usage(argv[0]);
	G.ops_per_point = total / G.nthreads / G.points;
	if (pt_table_create(&G.cfg, &G.t) != PT_OK) {
		fprintf(stderr, "stress_table: bad table configuration\n");
		return 2;
	}
	for (i = 0; i < ST_BOARD; i++)
		atomic_init(&G.board[i], PT_HANDLE_NULL);
	if (pthread_barrier_init(&G.barrier, NULL, G.nthreads) != 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < G.nthreads; i++) {
		G.w[i].id = i;
		G.w[i].rng = seed * 0x100000001b3ull + i;
		if (pthread_create(&G.w[i].thread, NULL, worker_main,
				   &G.w[i]) != 0) {
			fprintf(stderr, "stress_table: pthread_create\n");
			return 2;
		}
	}
	for (i = 0; i < G.nthreads; i++)
		pthread_join(G.w[i].thread, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 0; i < G.nthreads; i++) {
		ok += G.w[i].n_ok;
		full += G.w[i].n_full;
		stale += G.w[i].n_stale;
		state += G.w[i].n_state;
	}
	printf("stress_table: ok: %u threads x %" PRIu64 " ops = %" PRIu64
	       " ops, %u quiescent points, capacity %u, "
	       "%u VCs, gen_bits %u, seed %llu: %.2f s (%.2f Mops/s); "
	       "answers: %" PRIu64 " ok, %" PRIu64 " stale, %" PRIu64
	       " state, %" PRIu64 " full\n",
	       G.nthreads, G.ops_per_point * G.points,
	       G.ops_per_point * G.points * G.nthreads, G.points,
	       G.cfg.capacity, G.cfg.vc_count,
	       G.cfg.gen_bits ? G.cfg.gen_bits : 32, seed, secs,
	       (double)(G.ops_per_point * G.points * G.nthreads) / secs / 1e6,
	       ok, stale, state, full);
	pthread_barrier_destroy(&G.barrier);
	pt_table_destroy(G.t);
	return 0;
}
