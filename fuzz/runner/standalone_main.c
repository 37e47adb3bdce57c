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
 *   PATH      a file (one input) or a directory (every regular file below
 *             it, recursively, in strcmp order of the names, so the order
 *             and the output are the same on every machine).
 *   -timeout  seconds per input (default 25, libFuzzer's default is 1200);
 *             0 disables the alarm.
 *   -*        any other libFuzzer-style flag (-runs=0, -rss_limit_mb=...)
 *             is accepted and ignored, so one command line serves both
 *             the libFuzzer and the standalone binary.
 *
 * Each input is copied into a heap buffer of exactly its size (ASan then
 * catches any over-read) and run once. Output, on stderr like libFuzzer,
 * one line per input, printed (and flushed) before the input runs, so that
 * whatever the target prints follows it:
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
 *   - an unreadable input, or LLVMFuzzerTestOneInput returning anything
 *     but 0 or -1, prints "FAILED: <path>: <why>" and counts as failed;
 *     the run goes on to the next input and exits 1 at the end;
 *   - no input at all (no PATH, or only empty directories) exits 2: a
 *     replay of nothing must not pass as a test.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in the target, as with libFuzzer. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

#define SA_DEFAULT_TIMEOUT 25u
#define SA_EXIT_TIMEOUT 70

struct sa_stats {
	unsigned long inputs;
	unsigned long passed;
	unsigned long failed;
};

static unsigned sa_timeout = SA_DEFAULT_TIMEOUT;

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

static int sa_read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (f == NULL)
		return -1;
	for (;;) {
		size_t n;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *nbuf = realloc(buf, ncap);

			if (nbuf == NULL)
				goto fail;
			buf = nbuf;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	/* Exactly len bytes, so that ASan reports any read past the end
	 * (malloc(0) may return NULL: keep one byte, pass size 0). */
	*data = malloc(len ? len : 1);
	if (*data == NULL) {
		free(buf);
		return -1;
	}
	if (len)
		memcpy(*data, buf, len);
	free(buf);
	*size = len;
	return 0;
fail:
	free(buf);
	fclose(f);
	return -1;
}

static void sa_run_file(const char *path, struct sa_stats *st)
{
	uint8_t *data;
	size_t size;
	int rc;

	st->inputs++;
	if (sa_read_file(path, &data, &size) != 0) {
		fprintf(stderr, "FAILED: %s: cannot read: %s\n", path,
			strerror(errno));
		st->failed++;
		return;
	}
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
		return;
	}
	st->passed++;
}

static int sa_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sa_run_path(const char *path, struct sa_stats *st);

static void sa_run_dir(const char *path, struct sa_stats *st)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (d == NULL) {
		fprintf(stderr, "FAILED: %s: cannot open: %s\n", path,
			strerror(errno));
		st->inputs++;
		st->failed++;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(names, ncap * sizeof(*names));

			if (nn == NULL)
				abort(); /* out of memory: not a finding */
			names = nn;
			cap = ncap;
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL)
			abort();
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), sa_cmp_names);
	for (i = 0; i < n; i++) {
		char child[PATH_MAX];
		int len = snprintf(child, sizeof(child), "%s/%s", path,
				   names[i]);

		if (len < 0 || (size_t)len >= sizeof(child)) {
			fprintf(stderr, "FAILED: %s/%s: path too long\n", path,
				names[i]);
			st->inputs++;
			st->failed++;
		} else {
			sa_run_path(child, st);
		}
		free(names[i]);
	}
	free(names);
}

static void sa_run_path(const char *path, struct sa_stats *st)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		fprintf(stderr, "FAILED: %s: cannot stat: %s\n", path,
			strerror(errno));
		st->inputs++;
		st->failed++;
		return;
	}
	if (S_ISDIR(sb.st_mode))
		sa_run_dir(path, st);
	else if (S_ISREG(sb.st_mode))
		sa_run_file(path, st);
	/* Sockets, fifos and devices are not inputs: skipped silently. */
}

static int sa_parse_flag(const char *arg)
{
	char *end;
	unsigned long v;

	if (strncmp(arg, "-timeout=", 9) != 0)
		return 0; /* another libFuzzer flag: ignored */
	errno = 0;
	v = strtoul(arg + 9, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg + 9 || v > UINT_MAX) {
		fprintf(stderr, "standalone: bad %s\n", arg);
		return -1;
	}
	sa_timeout = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	struct sa_stats st = { 0, 0, 0 };
	struct sigaction sa;
	int i, paths = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if (sa_parse_flag(argv[i]) != 0)
				return 2;
		} else {
			paths++;
		}
	}
	if (paths == 0) {
		fprintf(stderr,
			"usage: %s [-timeout=SECONDS] PATH...\n"
			"Replays every file (directories recursively) through "
			"LLVMFuzzerTestOneInput.\n",
			argv[0]);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sa_on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	for (i = 1; i < argc; i++)
		if (!(argv[i][0] == '-' && argv[i][1] != '\0'))
			sa_run_path(argv[i], &st);

	fprintf(stderr, "standalone: %lu inputs, %lu passed, %lu failed\n",
		st.inputs, st.passed, st.failed);
	if (st.inputs == 0) {
		fprintf(stderr, "standalone: no inputs found\n");
		return 2;
	}
	return st.failed ? 1 : 0;
}
