/*
 * fuzz_util.h - small pieces every fuzz target of partyfuzz shares.
 */
#ifndef PARTYFUZZ_FUZZ_UTIL_H
#define PARTYFUZZ_FUZZ_UTIL_H

/*
 * Oracles (models, validators, comparisons) are not fuzzing targets: they
 * carry PT_NO_COVERAGE (partyfuzz/err.h), the one no-coverage attribute.
 */
#include "partyfuzz/err.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * pf_trace_stdout() - make stdout ready for a FUZZ_VERBOSE trace.
 *
 * Gives stdout a static buffer. stdio would otherwise malloc one on the
 * first printf and never free it; libFuzzer, seeing more mallocs than
 * frees in a run, runs the input a second time to look for a leak, and
 * the trace comes out twice. Line-buffered: a run that ends in abort()
 * (a sanitizer report, a failed check) keeps every trace line up to the
 * crash, which a full buffer would lose. Call it before the first printf
 * of a run; later calls do nothing.
 */
static inline void pf_trace_stdout(void)
{
	static char buf[1 << 16];
	static int ready;

	if (!ready) {
		setvbuf(stdout, buf, _IOLBF, sizeof(buf));
		ready = 1;
	}
}

/*
 * pf_trace_input() - open the FUZZ_VERBOSE trace of one input.
 * @size: the input's length.
 *
 * Prints "== input: <size> bytes" on stdout, first thing in every run, even
 * one that stops at once (too short): a run of several inputs in one
 * process (ci/determinism.sh) is split into per-input traces at these
 * lines, the k-th one opening the k-th input's. It carries no count and no
 * name, so an input's trace is the same whatever ran before it.
 */
static inline void pf_trace_input(size_t size)
{
	pf_trace_stdout();
	printf("== input: %zu bytes\n", size);
}

/*
 * pf_stats_program() - count one program for PF_STATS.
 * @ops: the operations it had.
 *
 * Under PF_STATS (environment variable) the process prints at exit, on
 * stderr, "pf_stats: <n> programs, <x> ops/program": the figure
 * ci/bench.sh reports beside each target's exec/s. The CoNDIS targets
 * print the same line from harness/target.h. One counter per target
 * target binary: only the target's own file calls it.
 */
struct pf_stats_ {
	unsigned long long runs, ops;
};

static inline struct pf_stats_ *pf_stats_(void)
{
	static struct pf_stats_ st;

	return &st;
}

static inline void pf_stats_print_(void)
{
	const struct pf_stats_ *st = pf_stats_();

	if (st->runs > 0)
		fprintf(stderr, "pf_stats: %llu programs, %.2f ops/program\n",
			st->runs, (double)st->ops / (double)st->runs);
}

static inline void pf_stats_program(unsigned ops)
{
	static int on = -1;

	if (on < 0) {
		on = getenv("PF_STATS") != NULL;
		if (on)
			atexit(pf_stats_print_);
	}
	if (on) {
		pf_stats_()->runs++;
		pf_stats_()->ops += ops;
	}
}

#endif /* PARTYFUZZ_FUZZ_UTIL_H */
