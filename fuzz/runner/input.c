/*
 * input.c - reading and walking input files (input.h).
 *
 * Rules the code keeps, cited below:
 *   (N1) nothing blocks: a path's type is known from stat() before it is
 *        opened, and the open is O_NONBLOCK, so neither a FIFO nor a
 *        device can hang a reader;
 *   (N2) no input is cut: a file over the limit is refused whole, also
 *        when it grows between stat() and the end of the read;
 *   (N3) a walk is deterministic: names in strcmp() order at each level.
 */
#include "runner/input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((format(printf, 3, 4))) static int
fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "a special file";
}

static const char *limit_note(size_t cap)
{
	return cap == PF_INPUT_MAX ? " (1 MiB)" : "";
}

int pf_input_read(const char *path, uint8_t *buf, size_t cap, size_t *size,
		  char *why, size_t whylen)
{
	struct stat st;
	size_t len = 0;
	uint8_t extra;
	ssize_t n;
	int fd;

	*size = 0;
	if (stat(path, &st) != 0) /* (N1) */
		return fail(why, whylen, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(why, whylen, "is %s, not a regular file",
			    kind_of(st.st_mode));
	if ((unsigned long long)st.st_size > cap)
		return fail(why, whylen,
			    "is %llu bytes, over the input limit of %zu "
			    "bytes%s",
			    (unsigned long long)st.st_size, cap,
			    limit_note(cap));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return fail(why, whylen, "%s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(why, whylen, "changed while being opened");
	}
	for (;;) {
		/* At the limit, one more byte says whether it grew (N2). */
		n = len < cap ? read(fd, buf + len, cap - len)
			      : read(fd, &extra, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return fail(why, whylen, "read error: %s",
				    strerror(e));
		}
		if (n == 0)
			break;
		if (len == cap) {
			close(fd);
			return fail(why, whylen,
				    "grew over the input limit of %zu bytes%s "
				    "while being read",
				    cap, limit_note(cap));
		}
		len += (size_t)n;
	}
	if (close(fd) != 0)
		return fail(why, whylen, "read error: %s", strerror(errno));
	*size = len;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned long walk_dir(const char *path, pf_input_visit_fn fn,
			      void *ctx)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL, child[PATH_MAX];
	size_t n = 0, cap = 0, i;
	unsigned long visits = 0;
	struct stat st;

	if (d == NULL) {
		fn(path, strerror(errno), ctx);
		return 1;
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
		qsort(names, n, sizeof(*names), cmp_names); /* (N3) */
	for (i = 0; i < n; i++) {
		int len = snprintf(child, sizeof(child), "%s/%s", path,
				   names[i]);

		if (len < 0 || (size_t)len >= sizeof(child)) {
			fn(path, "an entry's path is too long", ctx);
			visits++;
		} else if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* Hidden directories are not corpora (libFuzzer). */
			if (names[i][0] != '.')
				visits += walk_dir(child, fn, ctx);
		} else {
			fn(child, NULL, ctx);
			visits++;
		}
		free(names[i]);
	}
	free(names);
	return visits;
}

unsigned long pf_input_walk(const char *path, pf_input_visit_fn fn,
			    void *ctx)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return walk_dir(path, fn, ctx);
	fn(path, NULL, ctx);
	return 1;
}

/* ---- fuzz targets ------------------------------------------------------ */

static pf_input_check_fn input_check;
static int input_standalone;

void pf_input_set_standalone(void)
{
	input_standalone = 1;
}

int pf_input_check(const uint8_t *data, size_t size, unsigned *line,
		   char *why, size_t whylen)
{
	*line = 0;
	return input_check ? input_check(data, size, line, why, whylen) : 0;
}

struct init_ctx {
	const char *prog;
	unsigned long bad;
};

static uint8_t init_buf[PF_INPUT_MAX];

static int init_visit(const char *path, const char *err, void *arg)
{
	struct init_ctx *c = arg;
	char why[160];
	unsigned line = 0;
	size_t size;

	if (err == NULL &&
	    pf_input_read(path, init_buf, sizeof(init_buf), &size, why,
			  sizeof(why)) == 0 &&
	    pf_input_check(init_buf, size, &line, why, sizeof(why)) == 0)
		return 0;
	if (err == NULL && line > 0)
		fprintf(stderr, "%s: %s:%u: %s\n", c->prog, path, line, why);
	else
		fprintf(stderr, "%s: %s: %s\n", c->prog, path,
			err ? err : why);
	c->bad++;
	return 0;
}

/* -runs=N with N == 0: libFuzzer runs the named inputs and nothing else. */
static int is_runs_zero(const char *arg)
{
	char *end;
	long v;

	if (strncmp(arg, "-runs=", 6) != 0 || arg[6] == '\0')
		return 0;
	v = strtol(arg + 6, &end, 10);
	return *end == '\0' && v == 0;
}

/*
 * The libFuzzer flags every target starts with (input.h): put after
 * argv[0], so that the same flag given on the command line, parsed later,
 * wins. The array is the process's argv from here on and is never freed.
 */
static const char *const libfuzzer_defaults[] = { PF_LIBFUZZER_DEFAULTS };

/* Defined by libFuzzer only (another engine's driver, e.g. AFL++'s
 * libAFLDriver, reads its argv otherwise). */
extern void __libfuzzer_is_present(void) __attribute__((weak));

static void add_defaults(int *argc, char ***argv)
{
	size_t n = sizeof(libfuzzer_defaults) / sizeof(libfuzzer_defaults[0]);
	char **v = calloc((size_t)*argc + n + 1, sizeof(*v));
	size_t i;

	if (v == NULL) {
		fprintf(stderr, "%s: out of memory\n", (*argv)[0]);
		exit(1);
	}
	v[0] = (*argv)[0];
	for (i = 0; i < n; i++)
		v[1 + i] = (char *)libfuzzer_defaults[i];
	for (i = 1; i < (size_t)*argc; i++)
		v[n + i] = (*argv)[i];
	*argc += (int)n;
	*argv = v;
}

void pf_input_init(int *argcp, char ***argvp, pf_input_check_fn check)
{
	int argc = *argcp;
	char **argv = *argvp;
	struct init_ctx c = { argv[0], 0 };
	const char *slash = strrchr(argv[0], '/');
	int i, replay = 0, create = 0, last = argc;
	struct stat st;

	input_check = check;
	if (input_standalone)
		return; /* the runner checks each input as it reads it */
	if (slash)
		c.prog = slash + 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-ignore_remaining_args=1") == 0) {
			last = i;
			break;
		}
		replay |= is_runs_zero(argv[i]);
		create |= strcmp(argv[i], "-create_missing_dirs=1") == 0;
	}
	for (i = 1; i < last; i++) {
		const char *p = argv[i];

		if (p[0] == '-')
			continue; /* a flag: libFuzzer's business */
		if (stat(p, &st) != 0) {
			if (errno != ENOENT || !create) {
				fprintf(stderr, "%s: %s: %s\n", c.prog, p,
					strerror(errno));
				c.bad++;
			}
		} else if (S_ISDIR(st.st_mode)) {
			if (pf_input_walk(p, init_visit, &c) == 0 && replay) {
				fprintf(stderr,
					"%s: %s: no inputs in this directory "
					"(a replay of nothing must not "
					"pass)\n",
					c.prog, p);
				c.bad++;
			}
		} else {
			(void)init_visit(p, NULL, &c);
		}
	}
	if (c.bad)
		exit(1);
	if (__libfuzzer_is_present != NULL)
		add_defaults(argcp, argvp);
}
