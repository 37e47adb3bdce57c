/*
 * target.h - the body both CoNDIS fuzz targets share: read the input as a
 * program (program.h: a text program if it starts with the header
 * `partyfuzz-program v1`, else a binary one, and any byte string is a
 * binary program), run it with every check (run.h), and turn a finding
 * into a crash libFuzzer keeps, after printing the program as text and
 * its readable trace.
 *
 * Text programs, in one place for every CoNDIS target (pf_target_init,
 * pf_target_one):
 *   - a text file named on the command line (libFuzzer or the standalone
 *     runner, a file or inside a directory) runs as that text program; a
 *     malformed one is refused before anything runs, with its file and
 *     line, and the process exits non-zero (runner/input.h);
 *   - while fuzzing, an input that starts with the header but does not
 *     parse (a mutation of a text seed) is rejected: return -1, no crash,
 *     and no coverage of its own (pf_target_one), so it never enters a
 *     corpus. Read as binary instead, it would enter the corpus and later
 *     replay as an error.
 *
 * Under FUZZ_VERBOSE (environment variable) every run prints its trace.
 * With PF_SHOW=<file> every run first draws itself there (tools/show.h;
 * PF_SHOW_FORMAT=trace-json for Perfetto, PF_SHOW_TITLE and
 * PF_SHOW_TARGET its heading), then runs as always: `partyfuzz show
 * --target=<this target>` runs the binary so. It is for replays: while
 * drawing, an ASan death writes the picture instead of libFuzzer's crash
 * artifact.
 */
#ifndef PARTYFUZZ_TARGET_H
#define PARTYFUZZ_TARGET_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "drivers/driver.h"
#include "harness/program.h"
#include "harness/replay.h"
#include "harness/run.h"
#include "runner/input.h"
#include "tools/show.h"

/* One program at a time; static so that no run allocates (run.h R3). */
static struct pf_program pf_target_prog;
/* How the target was started, for the replay hint of a finding. */
static const char *pf_target_argv0;

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

/* PF_SHOW=<file>: draw the run of pf_target_prog there (tools/show.h). */
PT_NO_COVERAGE static void pf_target_show(int puppet, const char *name)
{
	const char *path = getenv("PF_SHOW"), *fmt, *title, *target;
	struct pf_result r;
	FILE *f;

	if (path == NULL || *path == '\0')
		return;
	fmt = getenv("PF_SHOW_FORMAT");
	title = getenv("PF_SHOW_TITLE");
	target = getenv("PF_SHOW_TARGET"); /* the name it was built as */
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "%s: PF_SHOW=%s: cannot write\n", name, path);
		return;
	}
	(void)pf_show_program(&pf_target_prog, puppet, title ? title : "",
			      target ? target : name,
			      fmt && strcmp(fmt, "trace-json") == 0
				      ? PF_SHOW_TRACE_JSON
				      : PF_SHOW_HTML,
			      f, &r);
	if (fclose(f) != 0)
		fprintf(stderr, "%s: PF_SHOW=%s: write error\n", name, path);
}

/* The check of every named input (input.h): a text program must parse. */
static int pf_target_check(const uint8_t *data, size_t size, unsigned *line,
			   char *why, size_t whylen)
{
	if (!pf_is_text(data, size))
		return 0; /* binary: every byte string is a program */
	return pf_parse_text((const char *)data, size, &pf_target_prog, line,
			     why, whylen);
}

/**
 * pf_target_init() - LLVMFuzzerInitialize of a CoNDIS target.
 * @argc: its argc.
 * @argv: its argv.
 * @drivers: the target's stimulus tables (driver.h), NULL-terminated: a
 *           pair, or a client's and a call manager's.
 * @puppet: as for pf_target_one().
 *
 * `<target> -replay FILE...` and `<target> -decode FILE` are served here
 * and exit (replay.h): the target replays its inputs with its drivers.
 *
 * Checks the named inputs (pf_input_init(); exits 1 if one is not an
 * input or is a malformed text program), then sets up the harness.
 */
static inline void pf_target_init(int *argc, char ***argv,
				  const struct pf_stimuli *const *drivers,
				  int puppet)
{
	int rc;

	pf_target_argv0 = (*argv)[0];
	pf_run_set_drivers(drivers);
	rc = pf_replay_main(*argc, *argv, puppet);
	if (rc >= 0)
		exit(rc); /* -replay / -decode (replay.h) */
	pf_input_init(argc, argv, pf_target_check);
	pf_run_init();
}

/**
 * pf_target_one() - LLVMFuzzerTestOneInput of a CoNDIS target.
 * @data: the input.
 * @size: its length.
 * @puppet: 0 reference drivers (no rule may fire), 1 the adversary
 *          (every rule must be the predicted one).
 * @name: the target's name, for the replay hint.
 *
 * No coverage instrumentation here (PT_NO_COVERAGE; noinline, so that it is
 * not inlined into the instrumented LLVMFuzzerTestOneInput), nor in the
 * text parser (program.c): what earns an input a corpus place is what its
 * run reaches in the engine, drivers and decoder. So an input rejected
 * below reaches no edge but the entry of LLVMFuzzerTestOneInput, which
 * every input reaches, and never enters a corpus: the -1 alone would not
 * keep it out, the libFuzzer of clang 14 ignores it (honoured from LLVM
 * 15 on) and -merge=1 ignores it in every version.
 *
 * Return: 0, or -1 for a text input that does not parse (above); a
 * finding abort()s.
 */
PT_NO_COVERAGE __attribute__((noinline)) static int
pf_target_one(const uint8_t *data, size_t size, int puppet, const char *name)
{
	static int verbose = -1;
	struct pf_run_opts o;
	struct pf_result r;
	enum pf_verdict bad;
	int rc;

	if (verbose < 0) {
		verbose = getenv("FUZZ_VERBOSE") != NULL;
		if (getenv("PF_STATS"))
			atexit(pf_target_stats);
	}
	if (verbose)
		pf_trace_input(size); /* no stdio malloc: no false leak */
	if (pf_is_text(data, size)) {
		rc = pf_parse_text((const char *)data, size, &pf_target_prog,
				   NULL, NULL, 0);
		if (rc < 0)
			return -1; /* no program, no finding (above) */
	} else if (size < PF_CONFIG_BYTES + 1) {
		if (verbose)
			fflush(stdout);
		return 0; /* the empty program: nothing to check */
	} else {
		(void)pf_decode(data, size, &pf_target_prog);
	}
	pf_target_show(puppet, name);
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
		"%s: replay with: %s -replay <crash file> (or partyfuzz "
		"replay --target=%s <crash file>)\n",
		name, pf_target_argv0 ? pf_target_argv0 : name, name);
	abort();
}

#endif /* PARTYFUZZ_TARGET_H */
