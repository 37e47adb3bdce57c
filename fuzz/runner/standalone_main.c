/*
 * standalone_main.c - replay inputs through a fuzz target without libFuzzer.
 *
 * Linked instead of the fuzzing engine when PT_FUZZ is off (gcc builds,
 * coverage, TSan), so that every build replays corpus/<t>/ and regress/<t>/
 * through the very same LLVMFuzzerTestOneInput (STYLE.md point 13, after
 * curl-fuzzer's standalone_fuzz_target_runner.cc).
 *
 * Usage: <target> [-timeout=SECONDS] [-flag=value ...] PATH...
 *
 *   PATH      a file (one input) or a directory (every entry below it,
 *             recursively, in strcmp order of the names, so the order and
 *             the output are the same on every machine; runner/input.h).
 *   -timeout  seconds per input (default 25, libFuzzer's default is 1200);
 *             0 disables the alarm.
 *   -flag=v   the libFuzzer flags of sa_ignored_flags[] below, which mean
 *             nothing for a replay (-runs=N: each input runs once), are
 *             accepted and ignored, so one replay command line serves both
 *             the libFuzzer and the standalone binary. Any other flag, a
 *             misspelt one included, is a usage error.
 *
 * Each input is read with pf_input_read() (a regular file of at most
 * PF_INPUT_MAX, 1 MiB, bytes; nothing blocks), passed to the target's
 * check (pf_input_init(): a CoNDIS target refuses a malformed text
 * program, at its line), copied into a heap buffer of exactly its size
 * (ASan then catches any over-read) and run once. An empty file is the
 * empty input, which libFuzzer also runs first on every start: a valid
 * input like any other. Output, on stderr like libFuzzer, one line per
 * input, printed (and flushed) before the input runs, so that whatever
 * the target prints follows it:
 *
 *   Running: corpus/fuzz_party_table/lifecycle-transitions (44 bytes)
 *   ...
 *   standalone: 7 inputs, 7 passed, 0 failed
 *
 * How a failure shows:
 *   - a crash (sanitizer report, PT_ASSERT, abort, signal) ends the process
 *     at once: the last "Running:" line names the input, and the exit
 *     status is the sanitizer's or the signal's (never 0);
 *   - a timeout prints "TIMEOUT" and exits 70;
 *   - an input that is not one (a FIFO, a device, a missing path, a file
 *     over the limit, a malformed text program), a named directory with
 *     no input below it (a replay of nothing must not pass), or
 *     LLVMFuzzerTestOneInput returning anything but 0 or -1, prints
 *     "FAILED: <path>: <why>" (or "FAILED: <path>:<line>: <why>") and
 *     counts as failed; the run goes on to the next input and exits 1 at
 *     the end;
 *   - no PATH, or a flag it does not know, is a usage error: exit 2.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in the target, as with libFuzzer. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

#define SA_DEFAULT_TIMEOUT 25u
#define SA_EXIT_TIMEOUT 70

/* libFuzzer flags a replay command line may carry; each one is ignored. */
static const char *const sa_ignored_flags[] = {
	"runs",
	"rss_limit_mb",
	"malloc_limit_mb",
	"artifact_prefix",
	"exact_artifact_path",
	"detect_leaks",
	"print_final_stats",
	"close_fd_mask",
	"verbosity",
	"seed",
};

struct sa_stats {
	unsigned long inputs;
	unsigned long passed;
	unsigned long failed;
};

static unsigned sa_timeout = SA_DEFAULT_TIMEOUT;
static uint8_t sa_buf[PF_INPUT_MAX];

/* Async-signal-safe: write(2) only. */
static void sa_on_alarm(int sig)
{
	static const char msg[] = "TIMEOUT: the input above exceeded "
				  "-timeout; exiting 70\n";
	ssize_t n;

	(void)sig;
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;
	_exit(SA_EXIT_TIMEOUT);
}

/* pf_input_walk() visitor: read, check and run one input. */
static int sa_run_file(const char *path, const char *err, void *arg)
{
	struct sa_stats *st = arg;
	char why[160];
	unsigned line = 0;
	uint8_t *data;
	size_t size;
	int rc;

	st->inputs++;
	if (err == NULL &&
	    (pf_input_read(path, sa_buf, sizeof(sa_buf), &size, why,
			   sizeof(why)) != 0 ||
	     pf_input_check(sa_buf, size, &line, why, sizeof(why)) != 0))
		err = why;
	if (err != NULL) {
		if (line > 0)
			fprintf(stderr, "FAILED: %s:%u: %s\n", path, line, err);
		else
			fprintf(stderr, "FAILED: %s: %s\n", path, err);
		st->failed++;
		return 0;
	}
	/* Exactly size bytes, so that ASan reports any read past the end
	 * (malloc(0) may return NULL: keep one byte, pass size 0). */
	data = malloc(size ? size : 1);
	if (data == NULL)
		abort(); /* out of memory: not a finding */
	memcpy(data, sa_buf, size);
	fprintf(stderr, "Running: %s (%zu bytes)\n", path, size);
	fflush(stderr);
	alarm(sa_timeout);
	rc = LLVMFuzzerTestOneInput(data, size);
	alarm(0);
	free(data);
	if (rc != 0 && rc != -1) {
		fprintf(stderr,
			"FAILED: %s: LLVMFuzzerTestOneInput returned %d\n",
			path, rc);
		st->failed++;
		return 0;
	}
	st->passed++;
	return 0;
}

/* 0 for -timeout=S and the flags ignored; -1 after a message. */
static int sa_parse_flag(const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t i, n = eq ? (size_t)(eq - arg - 1) : 0;
	unsigned long v;
	char *end;

	if (eq == NULL || n == 0 || eq[1] == '\0') {
		fprintf(stderr, "standalone: bad flag '%s' (flags are "
				"-name=value)\n",
			arg);
		return -1;
	}
	if (strncmp(arg, "-timeout=", 9) == 0) {
		errno = 0;
		v = strtoul(arg + 9, &end, 10);
		if (errno != 0 || *end != '\0' || v > UINT_MAX ||
		    arg[9] == '-') {
			fprintf(stderr, "standalone: bad %s (seconds)\n", arg);
			return -1;
		}
		sa_timeout = (unsigned)v;
		return 0;
	}
	for (i = 0; i < sizeof(sa_ignored_flags) / sizeof(*sa_ignored_flags);
	     i++)
		if (strlen(sa_ignored_flags[i]) == n &&
		    strncmp(arg + 1, sa_ignored_flags[i], n) == 0)
			return 0;
	fprintf(stderr, "standalone: unknown flag '%s'\n", arg);
	return -1;
}

static int sa_usage(const char *prog)
{
	size_t i;

	fprintf(stderr,
		"usage: %s [-timeout=SECONDS] PATH...\n"
		"Replays every file (directories recursively) through "
		"LLVMFuzzerTestOneInput.\nAccepted and ignored (libFuzzer "
		"flags):",
		prog);
	for (i = 0; i < sizeof(sa_ignored_flags) / sizeof(*sa_ignored_flags);
	     i++)
		fprintf(stderr, " -%s=", sa_ignored_flags[i]);
	fprintf(stderr, "\n");
	return 2;
}

static int sa_is_flag(const char *arg)
{
	return arg[0] == '-' && arg[1] != '\0';
}

int main(int argc, char **argv)
{
	struct sa_stats st = { 0, 0, 0 };
	struct sigaction sa;
	int i, paths = 0;

	pf_input_set_standalone();
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);

	for (i = 1; i < argc; i++) {
		if (!sa_is_flag(argv[i]))
			paths++;
		else if (sa_parse_flag(argv[i]) != 0)
			return sa_usage(argv[0]);
	}
	if (paths == 0)
		return sa_usage(argv[0]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sa_on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	for (i = 1; i < argc; i++) {
		if (sa_is_flag(argv[i]))
			continue;
		if (pf_input_walk(argv[i], sa_run_file, &st) == 0) {
			fprintf(stderr,
				"FAILED: %s: no inputs in this directory (a "
				"replay of nothing must not pass)\n",
				argv[i]);
			st.failed++;
		}
	}

	fprintf(stderr, "standalone: %lu inputs, %lu passed, %lu failed\n",
		st.inputs, st.passed, st.failed);
	return st.failed ? 1 : 0;
}
