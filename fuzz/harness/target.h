/*
 * target.h - the body both CoNDIS fuzz targets share: decode the input
 * (any byte string is a program, program.h), run it with every check
 * (run.h), and turn a finding into a crash libFuzzer keeps, after
 * printing the program as text and its readable trace.
 *
 * Under FUZZ_VERBOSE (environment variable) every run prints its trace.
 */
#ifndef PARTYFUZZ_TARGET_H
#define PARTYFUZZ_TARGET_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "harness/program.h"
#include "harness/run.h"

/* One program at a time; static so that no run allocates (run.h R3). */
static struct pf_program pf_target_prog;

/*
 * PF_STATS (environment variable): at exit print how many programs ran and
 * how many operations they had on average (the program's own, and with the
 * wind-down of the reference run), for the exec/s figure of the README.
 */
static unsigned long long pf_stat_runs, pf_stat_ops, pf_stat_all_ops;

static void pf_target_stats(void)
{
	if (pf_stat_runs == 0)
		return;
	fprintf(stderr,
		"pf_stats: %llu programs, %.2f ops/program (%.2f with "
		"wind-down)\n",
		pf_stat_runs, (double)pf_stat_ops / (double)pf_stat_runs,
		(double)pf_stat_all_ops / (double)pf_stat_runs);
}

/**
 * pf_target_one() - LLVMFuzzerTestOneInput of a CoNDIS target.
 * @data: the input.
 * @size: its length.
 * @puppet: 0 reference drivers (no rule may fire), 1 the adversary
 *          (every rule must be the predicted one).
 * @name: the target's name, for the replay hint.
 *
 * Return: 0; a finding abort()s.
 */
static inline int pf_target_one(const uint8_t *data, size_t size, int puppet,
				const char *name)
{
	static int verbose = -1;
	struct pf_run_opts o;
	struct pf_result r;
	enum pf_verdict bad;

	if (verbose < 0) {
		verbose = getenv("FUZZ_VERBOSE") != NULL;
		if (getenv("PF_STATS"))
			atexit(pf_target_stats);
	}
	if (verbose)
		pf_trace_input(size); /* no stdio malloc: no false leak */
	if (size < PF_CONFIG_BYTES + 1) {
		if (verbose)
			fflush(stdout);
		return 0; /* the empty program: nothing to check */
	}
	(void)pf_decode(data, size, &pf_target_prog);
	o.trace = verbose ? stdout : NULL;
	o.puppet = puppet;
	bad = pf_run(&pf_target_prog, &o, &r);
	pf_stat_runs++;
	pf_stat_ops += pf_target_prog.n;
	pf_stat_all_ops += r.ops;
	if (verbose)
		fflush(stdout); /* a trace is whole before the next run */
	if (bad == PF_VERDICT_OK || (puppet && bad == PF_VERDICT_RULE))
		return 0;
	fprintf(stderr, "\n%s: FINDING. The program, as text:\n", name);
	pf_program_print(&pf_target_prog, stderr);
	fprintf(stderr, "\n%s: its trace:\n", name);
	o.trace = stderr;
	(void)pf_run(&pf_target_prog, &o, &r);
	if (r.verdict == PF_VERDICT_RULE)
		fprintf(stderr, "%s: RULE %s fired: %s\n", name,
			cn_rule_id(r.first_rule), r.first_report);
	else
		fprintf(stderr, "%s: MISMATCH: %s\n", name, r.why);
	fprintf(stderr,
		"%s: replay with: partyfuzz replay --target=%s "
		"<crash file>\n",
		name, name);
	abort();
}

#endif /* PARTYFUZZ_TARGET_H */
