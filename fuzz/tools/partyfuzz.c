/*
 * partyfuzz.c - the partyfuzz command: replay, check, decode, encode and
 * list the rules of CoNDIS fuzz programs (fuzz/harness/program.h).
 *
 *   partyfuzz replay [--target=T] [-q] FILE...
 *       Run each program (binary fuzzer input or text program) with the
 *       same harness the fuzz targets use and print its trace, one line
 *       per engine step (step, CPU, IRQL, caller->callee, DDI or callback,
 *       handle, party=, status, returned status, the DPC it queued or ran
 *       from, a rule if one fired), each followed by the report lines
 *       made at that step ("^ partyfuzz: RULE ..."), then the verdict
 *       (with the run's first report line). --target=fuzz_condis forces the reference drivers,
 *       --target=fuzz_condis_adversary the puppet drivers (what those
 *       targets do with every input); without it the program's own
 *       `config drivers=` decides. Any other --target=T (a target of
 *       pt_add_driver_fuzzer(), with drivers of its own) runs
 *       `T -replay [-q] FILE...` (harness/replay.h): the same output,
 *       with T's drivers; T is looked for in $PF_TARGET_DIR, else in the
 *       build tree's fuzz/ directory. -q prints the verdict only.
 *       Exit status: 0 if every verdict is OK, 1 if a rule fired, 2 on a
 *       mismatch (engine vs model, invariant, end-of-run property), 3 if
 *       a FILE is not a program (below).
 *   partyfuzz check FILE...
 *       Regression mode: each text program states `# expect: ok` or
 *       `# expect: C9 [R3 ...]`; the run must have no mismatch and fire
 *       exactly that set of rules. Prints PASS/FAIL per file (with the
 *       trace of a failure); exit 1 if any failed, 3 if a FILE is not a
 *       text program.
 *   partyfuzz golden [--update] DIR PATH...
 *       Golden traces: the replay output of each scenario (what
 *       `partyfuzz replay F` prints after its "== F" line: trace, report
 *       lines, verdict) must equal DIR/<name>.trace byte for byte, <name>
 *       being F's name without its directory and ".txt". A PATH is a
 *       scenario file, or a directory standing for its *.txt files: then
 *       DIR may hold no .trace that none of them has (a stale one). Prints
 *       PASS/FAIL per scenario and the first differing line; exit 1 if any
 *       failed. --update writes the golden files instead (and removes the
 *       stale ones): run it after an intended change, then review the
 *       diff.
 *   partyfuzz decode FILE          binary (or text) -> canonical text
 *                                  on stdout
 *   partyfuzz encode FILE [-o OUT] text -> binary (stdout, or OUT)
 *   partyfuzz roundtrip FILE...    codec self-check: text and binary
 *       round-trip (parse/print/encode/decode agree), for the files and
 *       for 4096 deterministic pseudo-random byte strings; exit 1
 *       otherwise, 3 if a FILE is not a program
 *   partyfuzz rules                the verifier's rule catalogue
 *   partyfuzz coverage [--json=FILE] [--floor=FILE] [--target=T] PATH...
 *       Contract coverage: run every program (directories recursively, in
 *       name order) quietly and print which rows of the spec's state
 *       machines were taken at which IRQL, and which rules fired, marking
 *       the rows and in-scope rules never reached. A --target=T applies
 *       to the PATHs after it (T = fuzz_condis, fuzz_condis_adversary, or
 *       auto: the program's own `config drivers=`), so one report can add
 *       up both targets' corpora. --json writes the same as JSON. --floor
 *       reads lines `rows N`, `cells N`, `rules N` (# comments), each key
 *       exactly once, and exits 1 if a count is below its floor; a floor
 *       file with a misspelt, unknown, repeated or missing key is an
 *       error (exit 3) before anything runs. --dot=FILE writes both
 *       state machines as one Graphviz graph, every row an edge with its
 *       hits per IRQL and the rows never taken red; --svg=FILE renders
 *       it with Graphviz `dot` if installed, else writes FILE.dot alone
 *       (tools/show.h).
 *   partyfuzz show [--target=T] [--format=html|trace-json] -o OUT FILE
 *       The run of FILE as a picture (tools/show.h): one self-contained
 *       HTML file (sequence diagram, IRQL bands, handle states, the
 *       violated rule with its text and source), or Chrome trace-event
 *       JSON for Perfetto. T as for replay, or fuzz_table_sched (runs
 *       that target's binary, which draws its interleaving and history).
 *       Exit 0 when OUT was written, whatever the verdict.
 *
 * Every FILE is read by pf_input_read() (runner/input.h): a regular file
 * of at most PF_INPUT_MAX (1 MiB) bytes, never opened in a way that can
 * block. A directory (except for coverage), a FIFO, a device, a missing
 * or unreadable path, a larger file and an empty one (a program has at
 * least its config) are refused with one line on stderr,
 * "partyfuzz: FILE: <reason>", and the command exits 3 (usage errors: 2).
 * A write that fails (encode -o, --json, standard output) is also exit 3.
 * A FILE is a text program iff it starts with `partyfuzz-program`
 * (program.h); one that does not parse is "partyfuzz: FILE:LINE: <reason>",
 * exit 3, never read as binary instead.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/driver.h"
#include "harness/program.h"
#include "harness/replay.h"
#include "partyfuzz/condis.h"
#include "harness/run.h"
#include "partyfuzz/rules.h"
#include "runner/input.h"
#include "tools/show.h"

static int usage(void)
{
	fprintf(stderr, "usage: partyfuzz replay [--target=fuzz_condis|"
			"fuzz_condis_adversary] [-q] FILE...\n"
			"       partyfuzz check FILE...\n"
			"       partyfuzz golden [--update] DIR PATH...\n"
			"       partyfuzz decode FILE\n"
			"       partyfuzz encode FILE [-o OUT]\n"
			"       partyfuzz roundtrip FILE...\n"
			"       partyfuzz rules\n"
			"       partyfuzz coverage [--target=T] [--json=FILE] "
			"[--floor=FILE] [--dot=FILE] [--svg=FILE] PATH...\n"
			"       partyfuzz show [--target=T] "
			"[--format=html|trace-json] -o OUT FILE\n");
	return 2;
}

/* The input file, NUL-terminated (input.h: at most PF_INPUT_MAX bytes). */
static uint8_t filebuf[PF_INPUT_MAX + 1];
static size_t filelen;
static struct pf_program prog;

/*
 * Load a binary or text program into prog (and filebuf); 0, or -1 after a
 * one-line error naming the file. A program has at least its config, so
 * an empty file is refused. Text or binary is the header's say alone
 * (program.h): a malformed text program is an error at its line.
 */
static int load(const char *path)
{
	char err[160];
	unsigned line;
	size_t n;

	if (pf_input_read(path, filebuf, PF_INPUT_MAX, &n, err,
			  sizeof(err)) < 0) {
		fprintf(stderr, "partyfuzz: %s: %s\n", path, err);
		return -1;
	}
	filebuf[n] = '\0';
	filelen = n;
	if (n == 0) {
		fprintf(stderr,
			"partyfuzz: %s: empty file (a program has at least "
			"its config)\n",
			path);
		return -1;
	}
	if (pf_is_text(filebuf, n)) {
		if (pf_parse_text((const char *)filebuf, n, &prog, &line, err,
				  sizeof(err)) < 0) {
			fprintf(stderr, "partyfuzz: %s:%u: %s\n", path, line,
				err);
			return -1;
		}
		return 0;
	}
	(void)pf_decode(filebuf, n, &prog);
	return 0;
}

/* load() a program that must be text (check, encode). */
static int load_text(const char *path)
{
	if (load(path) < 0)
		return -1;
	if (!pf_is_text(filebuf, filelen)) {
		fprintf(stderr,
			"partyfuzz: %s: not a text program (its first line "
			"is not '%s')\n",
			path, PF_TEXT_HEADER);
		return -1;
	}
	return 0;
}

/* A program's replay output: the trace (if @o has one), the verdict. */
static void replay_to(const struct pf_run_opts *o, FILE *out,
		      struct pf_result *r)
{
	pf_run(&prog, o, r);
	pf_verdict_print(out, r);
}

/*
 * replay --target=T for a target partyfuzz does not link (any target of
 * pt_add_driver_fuzzer(), with its own drivers): run `T -replay ARGS...`
 * (harness/replay.h), T being the binary of that name in $PF_TARGET_DIR,
 * else in the build tree's fuzz/ directory (next to this tool's
 * harness/ directory).
 */
static int replay_in_target(const char *t, int argc, char **argv)
{
	static char self[4096], path[4096 + 256];
	char *args[256];
	const char *dir = getenv("PF_TARGET_DIR"), *c;
	ssize_t n;
	int i, k = 0;

	for (c = t; *c; c++)
		if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) &&
		    *c != '_')
			break;
	if (*c || c == t || argc > 250)
		return usage();
	if (dir == NULL) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0)
			return usage();
		self[n] = '\0';
		dir = dirname(dirname(self));
	}
	snprintf(path, sizeof(path), "%s/%s", dir, t);
	args[k++] = path;
	args[k++] = (char *)"-replay";
	for (i = 0; i < argc; i++)
		if (strncmp(argv[i], "--target=", 9) != 0)
			args[k++] = argv[i];
	args[k] = NULL;
	fflush(stdout);
	execv(path, args);
	fprintf(stderr, "partyfuzz: --target=%s: cannot run %s: %s\n", t, path,
		strerror(errno));
	return 3;
}

static int cmd_replay(int argc, char **argv)
{
	struct pf_run_opts o = { stdout, -1 };
	struct pf_result r;
	int i, worst = 0, files = 0;

	for (i = 0; i < argc; i++)
		if (strncmp(argv[i], "--target=", 9) == 0 &&
		    strcmp(argv[i], "--target=fuzz_condis") != 0 &&
		    strcmp(argv[i], "--target=fuzz_condis_adversary") != 0)
			return replay_in_target(argv[i] + 9, argc, argv);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0) {
			o.trace = NULL;
			continue;
		}
		if (strcmp(argv[i], "--target=fuzz_condis") == 0) {
			o.puppet = 0;
			continue;
		}
		if (strcmp(argv[i], "--target=fuzz_condis_adversary") == 0) {
			o.puppet = 1;
			continue;
		}
		if (argv[i][0] == '-')
			return usage();
		files++;
		printf("== %s\n", argv[i]);
		if (load(argv[i]) < 0) {
			worst = 3;
			continue;
		}
		replay_to(&o, stdout, &r);
		if ((int)r.verdict > worst && worst != 3)
			worst = (int)r.verdict;
	}
	pf_run_shutdown();
	return files ? worst : usage();
}

/* DIR/<name of @file without directory and .txt>.trace */
static void golden_path(const char *dir, const char *file, char *buf,
			size_t len)
{
	char copy[1024];
	const char *base;
	size_t n;

	snprintf(copy, sizeof(copy), "%s", file);
	base = basename(copy);
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".txt") == 0)
		n -= 4;
	snprintf(buf, len, "%s/%.*s.trace", dir, (int)n, base);
}

/* 1-based number of the first line where @a and @b differ, 0 if equal;
 * @la/@lb receive that line of each (empty past the end). */
static unsigned first_diff(const char *a, size_t na, const char *b, size_t nb,
			   char *la, char *lb, size_t len)
{
	size_t i = 0, start = 0;
	unsigned line = 1;

	while (i < na && i < nb && a[i] == b[i]) {
		if (a[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	if (i == na && i == nb)
		return 0;
	snprintf(la, len, "%.*s", (int)strcspn(a + start, "\n"),
		 start < na ? a + start : "");
	snprintf(lb, len, "%.*s", (int)strcspn(b + start, "\n"),
		 start < nb ? b + start : "");
	return line;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Golden files of @dir that none of @files has: 0, or the number found
 * (removed when @update). */
static int golden_stale(const char *dir, int nfiles, char **files, int update)
{
	char path[1200], want[1200];
	struct dirent *de;
	int stale = 0, i;
	DIR *d = opendir(dir);

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".trace"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		for (i = 0; i < nfiles; i++) {
			golden_path(dir, files[i], want, sizeof(want));
			if (strcmp(want, path) == 0)
				break;
		}
		if (i < nfiles)
			continue;
		stale++;
		if (update && remove(path) == 0)
			printf("REMOVED %s (no scenario)\n", path);
		else
			printf("FAIL %s: stale, no scenario has it\n", path);
	}
	closedir(d);
	return update ? 0 : stale;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append the scenarios of @path (a file, or a directory's *.txt in name
 * order) to @list; 1 if @path was a directory. */
static int golden_expand(const char *path, char **list, int *n, int max)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int first = *n;

	if (d == NULL) {
		if (*n < max)
			list[(*n)++] = strdup(path);
		return 0;
	}
	while ((de = readdir(d)) != NULL && *n < max) {
		size_t len = strlen(path) + strlen(de->d_name) + 2;

		if (!has_suffix(de->d_name, ".txt") ||
		    (list[*n] = malloc(len)) == NULL)
			continue;
		snprintf(list[*n], len, "%s/%s", path, de->d_name);
		(*n)++;
	}
	closedir(d);
	qsort(list + first, (size_t)(*n - first), sizeof(list[0]), name_cmp);
	return 1;
}

static int cmd_golden(int argc, char **argv)
{
	static uint8_t golden[PF_INPUT_MAX];
	static char *list[4096];
	char path[1200], was[160], now[160];
	struct pf_result r;
	int i, update = 0, failed = 0, files = 0, whole = 0;
	const char *dir;

	if (argc > 0 && strcmp(argv[0], "--update") == 0) {
		update = 1;
		argc--;
		argv++;
	}
	if (argc < 2)
		return usage();
	dir = argv[0];
	for (i = 1; i < argc; i++)
		whole |= golden_expand(argv[i], list, &files, 4096);
	for (i = 0; i < files; i++) {
		struct pf_run_opts o = { NULL, -1 };
		char *out = NULL;
		size_t n = 0, gn;
		unsigned line;
		FILE *f;
		int have;

		golden_path(dir, list[i], path, sizeof(path));
		if (load(list[i]) < 0 ||
		    (o.trace = open_memstream(&out, &n)) == NULL) {
			printf("FAIL %s: unreadable\n", list[i]);
			failed++;
			continue;
		}
		replay_to(&o, o.trace, &r);
		fclose(o.trace);
		if (update) {
			f = fopen(path, "wb");
			if (f == NULL || fwrite(out, 1, n, f) != n) {
				printf("FAIL %s: cannot write %s\n", list[i],
				       path);
				failed++;
			}
			if (f != NULL)
				fclose(f);
			free(out);
			continue;
		}
		have = pf_input_read(path, golden, sizeof(golden), &gn, was,
				     sizeof(was)) == 0;
		line = have ? first_diff((const char *)golden, gn, out, n, was,
					 now,
					 sizeof(was))
			    : 1;
		if (!have)
			printf("FAIL %s: golden file %s: %s\n", list[i], path,
			       was);
		else if (line != 0)
			printf("FAIL %s: differs from %s at line %u:\n"
			       "  golden: %s\n  now:    %s\n",
			       list[i], path, line, was, now);
		else
			printf("PASS %s\n", list[i]);
		failed += !have || line != 0;
		free(out);
	}
	if (whole)
		failed += golden_stale(dir, files, list, update);
	for (i = 0; i < files; i++)
		free(list[i]);
	pf_run_shutdown();
	if (update)
		printf("golden: %d file(s) written to %s; review them with git "
		       "diff\n",
		       files - failed, dir);
	else
		printf("golden: %d scenario(s), %d failed%s\n", files, failed,
		       failed ? " (after an intended change: partyfuzz golden "
				"--update DIR PATH...)"
			      : "");
	return failed ? 1 : 0;
}

/* The rules named by the "# expect:" line; -1 if there is none. */
static int expectations(const char *text, uint32_t want[CN_RULE_MAX + 1])
{
	const char *p = strstr(text, "# expect:");
	char line[128], *tok, *save = NULL;
	size_t n;

	memset(want, 0, sizeof(uint32_t) * (CN_RULE_MAX + 1));
	if (!p)
		return -1;
	p += strlen("# expect:");
	n = strcspn(p, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, p, n);
	line[n] = '\0';
	for (tok = strtok_r(line, " \t\r,", &save); tok;
	     tok = strtok_r(NULL, " \t\r,", &save)) {
		enum cn_rule r;

		if (strcmp(tok, "ok") == 0)
			continue;
		r = cn_rule_parse(tok);
		if (r == CN_RULE_NONE)
			return -1;
		want[r] = 1;
	}
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	struct pf_run_opts quiet = { NULL, -1 }, loud = { stderr, -1 };
	uint32_t want[CN_RULE_MAX + 1];
	struct pf_result r;
	int i, rule, failed = 0, bad = 0;

	if (argc == 0)
		return usage();
	for (i = 0; i < argc; i++) {
		int ok;
		char fired[128] = "", expect[128] = "";

		if (load_text(argv[i]) < 0) {
			printf("FAIL %s: not a text program (above)\n",
			       argv[i]);
			failed++;
			bad++;
			continue;
		}
		if (expectations((const char *)filebuf, want) < 0) {
			printf("FAIL %s: no valid '# expect:' line\n",
			       argv[i]);
			failed++;
			continue;
		}
		pf_run(&prog, &quiet, &r);
		ok = r.verdict != PF_VERDICT_MISMATCH;
		for (rule = 1; rule <= CN_RULE_MAX; rule++) {
			if (want[rule]) {
				strcat(expect, " ");
				strcat(expect, cn_rule_id(rule));
			}
			if (r.fired[rule]) {
				strcat(fired, " ");
				strcat(fired, cn_rule_id(rule));
			}
			if (!!want[rule] != !!r.fired[rule])
				ok = 0;
		}
		printf("%s %s (expect:%s, fired:%s)\n", ok ? "PASS" : "FAIL",
		       argv[i], expect[0] ? expect : " ok",
		       fired[0] ? fired : " none");
		if (!ok) {
			failed++;
			fprintf(stderr, "== trace of %s\n", argv[i]);
			pf_run(&prog, &loud, &r);
			pf_verdict_print(stderr, &r);
		}
	}
	pf_run_shutdown();
	printf("check: %d scenario(s), %d failed\n", argc, failed);
	return bad ? 3 : failed ? 1 : 0;
}

static int cmd_decode(int argc, char **argv)
{
	if (argc != 1 || load(argv[0]) < 0)
		return argc != 1 ? usage() : 3;
	pf_program_print(&prog, stdout);
	return 0;
}

static uint8_t outbuf[PF_CONFIG_BYTES + PF_MAX_OPS * (1 + PF_MAX_ARGS)];

static int cmd_encode(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	FILE *f = stdout;
	size_t n;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (!in)
			in = argv[i];
		else
			return usage();
	}
	if (!in)
		return usage();
	if (load_text(in) < 0)
		return 3;
	n = pf_encode(&prog, outbuf, sizeof(outbuf));
	if (out && !(f = fopen(out, "wb"))) {
		fprintf(stderr, "partyfuzz: %s: %s\n", out, strerror(errno));
		return 3;
	}
	/* The data may only reach the file at fclose (a full disk). */
	if (fwrite(outbuf, 1, n, f) != n || (out && fclose(f) != 0)) {
		fprintf(stderr, "partyfuzz: %s: write error: %s\n",
			out ? out : "standard output", strerror(errno));
		return 3;
	}
	return 0; /* stdout: main() checks its flush */
}

/* parse -> print -> parse, encode -> decode, decode -> encode -> decode. */
static struct pf_program prog2, prog3;
static char textbuf[PF_MAX_OPS * 128 + 256];

/* 0, -1 if the codecs disagree, -2 if @path is not a program. */
static int roundtrip_one(const char *path)
{
	char err[160];
	FILE *mem;
	size_t n, n2;

	if (load(path) < 0)
		return -2;
	n = pf_encode(&prog, outbuf, sizeof(outbuf));
	(void)pf_decode(outbuf, n, &prog2);
	if (!pf_program_equal(&prog, &prog2)) {
		fprintf(stderr, "%s: decode(encode(p)) != p\n", path);
		return -1;
	}
	mem = fmemopen(textbuf, sizeof(textbuf), "w");
	if (!mem)
		return -1;
	pf_program_print(&prog, mem);
	fclose(mem);
	err[0] = '\0';
	if (pf_parse_text(textbuf, strlen(textbuf), &prog3, NULL, err,
			  sizeof(err)) < 0 ||
	    !pf_program_equal(&prog, &prog3)) {
		fprintf(stderr, "%s: parse(print(p)) != p %s\n", path, err);
		return -1;
	}
	n2 = pf_encode(&prog3, filebuf, PF_INPUT_MAX);
	if (n2 != n || memcmp(filebuf, outbuf, n) != 0) {
		fprintf(stderr, "%s: encode(parse(print(p))) != encode(p)\n",
			path);
		return -1;
	}
	return 0;
}

/*
 * Any byte string is a program: decode -> encode -> decode is the same
 * program, and re-encoding is stable, for deterministic pseudo-random
 * inputs of every length up to 3 * PF_MAX_OPS bytes (LCG, fixed seed).
 */
static int roundtrip_random(unsigned count)
{
	static uint8_t in[3 * PF_MAX_OPS], again[sizeof(outbuf)];
	uint32_t x = 12345u;
	unsigned i, failed = 0;
	size_t n, len, j;

	for (i = 0; i < count; i++) {
		len = i % sizeof(in);
		for (j = 0; j < len; j++) {
			x = x * 1103515245u + 12345u;
			in[j] = (uint8_t)(x >> 24);
		}
		(void)pf_decode(in, len, &prog);
		n = pf_encode(&prog, outbuf, sizeof(outbuf));
		(void)pf_decode(outbuf, n, &prog2);
		if (!pf_program_equal(&prog, &prog2) ||
		    pf_encode(&prog2, again, sizeof(again)) != n ||
		    memcmp(again, outbuf, n) != 0) {
			fprintf(stderr,
				"random input %u (%zu bytes) does not "
				"round-trip\n",
				i, len);
			failed++;
		}
	}
	return (int)failed;
}

static int cmd_roundtrip(int argc, char **argv)
{
	int i, failed = 0, bad = 0, rnd, rc;

	if (argc == 0)
		return usage();
	for (i = 0; i < argc; i++) {
		rc = roundtrip_one(argv[i]);
		failed += rc < 0;
		bad += rc == -2;
	}
	rnd = roundtrip_random(4096);
	printf("roundtrip: %d file(s), %d failed; 4096 random inputs, %d "
	       "failed\n",
	       argc, failed, rnd);
	return bad ? 3 : failed || rnd ? 1 : 0;
}

static int cmd_rules(void)
{
	int i;

	printf("%-4s %-36s %-8s %-22s %s\n", "id", "name", "scope", "spec",
	       "message / why not in scope");
	for (i = 1; i <= CN_RULE_MAX; i++)
		printf("%-4s %-36s %-8s %-22s %s\n", cn_rule_id(i),
		       cn_rule_name(i), cn_rule_scope_name(cn_rule_scope(i)),
		       cn_rule_ref(i), cn_rule_message(i));
	printf("\nscope: ENGINE checked on every DDI entry or callback "
	       "return; END checked at the end of a run;\nDRIVER the "
	       "driver's own memory (ASan/LSan catch it); OUT not modelled "
	       "(the message says why).\n");
	return 0;
}

/* ---- coverage --------------------------------------------------------- */

static const char *const cov_irql[CN_COV_IRQLS] = { "PASSIVE", "APC",
						    "DISPATCH" };

struct cov_walk {
	const struct pf_run_opts *o;
	unsigned runs; /* programs run */
	unsigned bad;  /* paths that are not programs */
};

/* pf_input_walk() visitor: run one program of a coverage PATH. */
static int cov_visit(const char *path, const char *err, void *arg)
{
	struct cov_walk *w = arg;
	const char *base = strrchr(path, '/');
	size_t len;
	struct pf_result r;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (err != NULL) {
		fprintf(stderr, "partyfuzz: %s: %s\n", path, err);
		w->bad++;
		return 0;
	}
	/* Scenario notes and hidden files are not programs. */
	if (base[0] == '.' || (len >= 3 && strcmp(base + len - 3, ".md") == 0))
		return 0;
	if (load(path) < 0) {
		w->bad++;
		return 0;
	}
	pf_run(&prog, w->o, &r);
	w->runs++;
	return 0;
}

/* The counts a floor file names, each exactly once. */
static const char *const floor_keys[3] = { "rows", "cells", "rules" };

/* A decimal count: 0, or -1. */
static int parse_count(const char *s, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return *end == '\0' && errno == 0 ? 0 : -1;
}

/*
 * Read a floor file: lines `KEY COUNT` for each of floor_keys, blank
 * lines and `#` comments. A misspelt, unknown, repeated or missing key, or
 * a line that is not KEY COUNT, is an error naming the file and line: a
 * floor that checks nothing must not pass as met. 0, or -1 after the
 * message.
 */
static int cov_floor_read(const char *path, unsigned long floor[3])
{
	unsigned line = 0, seen = 0, k;
	char why[160], *p, *nl, *hash, *key, *val, *extra, *save;
	size_t n;

	if (pf_input_read(path, filebuf, PF_INPUT_MAX, &n, why,
			  sizeof(why)) < 0) {
		fprintf(stderr, "partyfuzz: %s: %s\n", path, why);
		return -1;
	}
	filebuf[n] = '\0';
	if (memchr(filebuf, '\0', n) != NULL) {
		fprintf(stderr, "partyfuzz: %s: a NUL byte (a floor is text)\n",
			path);
		return -1;
	}
	for (p = (char *)filebuf; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line++;
		hash = strchr(p, '#');
		if (hash)
			*hash = '\0';
		save = NULL;
		key = strtok_r(p, " \t\r", &save);
		if (key == NULL)
			continue;
		val = strtok_r(NULL, " \t\r", &save);
		extra = strtok_r(NULL, " \t\r", &save);
		for (k = 0; k < 3; k++)
			if (strcmp(key, floor_keys[k]) == 0)
				break;
		if (k == 3) {
			fprintf(stderr,
				"partyfuzz: %s:%u: unknown key '%.32s' (a floor "
				"names rows, cells and rules)\n",
				path, line, key);
			return -1;
		}
		if (seen & (1u << k)) {
			fprintf(stderr, "partyfuzz: %s:%u: '%s' given twice\n",
				path, line, key);
			return -1;
		}
		if (val == NULL || extra != NULL ||
		    parse_count(val, &floor[k]) < 0) {
			fprintf(stderr,
				"partyfuzz: %s:%u: '%s' wants one count, as in "
				"'%s 26'\n",
				path, line, key, key);
			return -1;
		}
		seen |= 1u << k;
	}
	for (k = 0; k < 3; k++)
		if (!(seen & (1u << k))) {
			fprintf(stderr,
				"partyfuzz: %s: no '%s' line (a floor names "
				"rows, cells and rules)\n",
				path, floor_keys[k]);
			return -1;
		}
	return 0;
}

static int cmd_coverage(int argc, char **argv)
{
	struct pf_run_opts o = { NULL, -1 };
	struct cov_walk w = { &o, 0, 0 };
	const char *json = NULL, *floor = NULL, *dot = NULL, *svg = NULL;
	unsigned long floor_min[3];
	struct cn_transition_info t, next;
	unsigned files, paths = 0, rows = 0, rows_hit = 0, cells_hit = 0;
	unsigned rules = 0, rules_hit = 0;
	FILE *j = NULL;
	uint32_t i;
	int k, status = 0, werr;

	for (k = 0; k < argc; k++) {
		if (strncmp(argv[k], "--json=", 7) == 0)
			json = argv[k] + 7;
		else if (strncmp(argv[k], "--floor=", 8) == 0)
			floor = argv[k] + 8;
		else if (strncmp(argv[k], "--dot=", 6) == 0)
			dot = argv[k] + 6;
		else if (strncmp(argv[k], "--svg=", 6) == 0)
			svg = argv[k] + 6;
		else if (argv[k][0] == '-' &&
			 strncmp(argv[k], "--target=", 9) != 0)
			return usage();
	}
	/* A bad floor fails before anything runs. */
	if (floor != NULL && cov_floor_read(floor, floor_min) < 0)
		return 3;
	cn_coverage_clear();
	for (k = 0; k < argc; k++) {
		if (strcmp(argv[k], "--target=fuzz_condis") == 0) {
			o.puppet = 0;
		} else if (strcmp(argv[k], "--target=fuzz_condis_adversary") ==
			   0) {
			o.puppet = 1;
		} else if (strcmp(argv[k], "--target=auto") == 0) {
			o.puppet = -1;
		} else if (strncmp(argv[k], "--target=", 9) == 0) {
			return usage();
		} else if (argv[k][0] != '-') {
			unsigned runs0 = w.runs, bad0 = w.bad;

			paths++;
			(void)pf_input_walk(argv[k], cov_visit, &w);
			if (w.runs == runs0 && w.bad == bad0) {
				fprintf(stderr,
					"partyfuzz: %s: no programs below "
					"this path\n",
					argv[k]);
				w.bad++;
			}
		}
	}
	pf_run_shutdown();
	if (paths == 0)
		return usage();
	if (w.bad)
		return 3; /* each one said why: no report of a part */
	files = w.runs;
	if (json != NULL && (j = fopen(json, "w")) == NULL) {
		fprintf(stderr, "partyfuzz: %s: %s\n", json, strerror(errno));
		return 3;
	}

	printf("contract coverage of %u programs\n\n", files);
	printf("%-5s %-4s %-15s %-36s %-15s %8s %8s %8s\n", "mach", "row",
	       "from", "event", "to", cov_irql[0], cov_irql[1], cov_irql[2]);
	if (j)
		fprintf(j, "{\n  \"programs\": %u,\n  \"transitions\": [\n",
			files);
	for (i = 0; cn_transition_get(i, &t); i++) {
		uint64_t h[CN_COV_IRQLS], any = 0;
		int q;

		for (q = 0; q < CN_COV_IRQLS; q++) {
			h[q] = cn_coverage_transition(i, (KIRQL)q);
			any += h[q];
			cells_hit += h[q] != 0;
		}
		rows++;
		rows_hit += any != 0;
		printf("%-5s %-4s %-15s %-36s %-15s %8llu %8llu %8llu%s\n",
		       t.machine, t.id, t.from, t.event, t.to,
		       (unsigned long long)h[0], (unsigned long long)h[1],
		       (unsigned long long)h[2], any ? "" : "  NEVER");
		if (j)
			fprintf(j,
				"    {\"machine\": \"%s\", \"row\": \"%s\", "
				"\"from\": \"%s\", \"event\": \"%s\", "
				"\"to\": \"%s\", \"PASSIVE\": %llu, "
				"\"APC\": %llu, \"DISPATCH\": %llu}%s\n",
				t.machine, t.id, t.from, t.event, t.to,
				(unsigned long long)h[0],
				(unsigned long long)h[1],
				(unsigned long long)h[2],
				cn_transition_get(i + 1, &next) ? "," : "");
	}
	printf("\n%-4s %-36s %-8s %10s\n", "rule", "name", "scope", "fired");
	if (j)
		fprintf(j, "  ],\n  \"rules\": [\n");
	for (k = 1; k <= CN_RULE_MAX; k++) {
		uint64_t n = cn_coverage_rule(k);
		int in = cn_rule_scope(k) == CN_SCOPE_ENGINE ||
			 cn_rule_scope(k) == CN_SCOPE_END;

		rules += in;
		rules_hit += in && n != 0;
		printf("%-4s %-36s %-8s %10llu%s\n", cn_rule_id(k),
		       cn_rule_name(k), cn_rule_scope_name(cn_rule_scope(k)),
		       (unsigned long long)n, in && n == 0 ? "  NEVER" : "");
		if (j)
			fprintf(j,
				"    {\"rule\": \"%s\", \"scope\": \"%s\", "
				"\"fired\": %llu}%s\n",
				cn_rule_id(k),
				cn_rule_scope_name(cn_rule_scope(k)),
				(unsigned long long)n,
				k < CN_RULE_MAX ? "," : "");
	}
	printf("\nrows %u/%u, row x IRQL cells %u/%u, in-scope rules "
	       "fired %u/%u\n",
	       rows_hit, rows, cells_hit, rows * CN_COV_IRQLS, rules_hit,
	       rules);
	if (j) {
		fprintf(j,
			"  ],\n  \"rows\": %u, \"rows_total\": %u, "
			"\"cells\": %u, \"cells_total\": %u, "
			"\"rules\": %u, \"rules_total\": %u\n}\n",
			rows_hit, rows, cells_hit, rows * CN_COV_IRQLS,
			rules_hit, rules);
		werr = ferror(j);
		if (fclose(j) != 0 || werr) {
			fprintf(stderr, "partyfuzz: %s: write error: %s\n",
				json, strerror(errno));
			return 3;
		}
	}
	if ((dot != NULL || svg != NULL) &&
	    pf_show_coverage_write(dot, svg, files) < 0)
		return 3;
	if (floor != NULL) {
		unsigned got[3] = { rows_hit, cells_hit, rules_hit };

		for (k = 0; k < 3; k++)
			if (got[k] < floor_min[k]) {
				printf("BELOW FLOOR: %s %u < %lu (%s)\n",
				       floor_keys[k], got[k], floor_min[k],
				       floor);
				status = 1;
			}
		if (status == 0)
			printf("floor %s: met (rows %lu, cells %lu, rules "
			       "%lu)\n",
			       floor, floor_min[0], floor_min[1], floor_min[2]);
	}
	return status;
}

/* pf_show_load_fn: `partyfuzz show` reads its FILE as replay does. */
static int show_load(const char *path, const struct pf_program **out)
{
	if (load(path) < 0)
		return -1;
	*out = &prog;
	return 0;
}

static int run_command(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "replay") == 0)
		return cmd_replay(argc - 2, argv + 2);
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 2, argv + 2);
	if (strcmp(argv[1], "golden") == 0)
		return cmd_golden(argc - 2, argv + 2);
	if (strcmp(argv[1], "decode") == 0)
		return cmd_decode(argc - 2, argv + 2);
	if (strcmp(argv[1], "encode") == 0)
		return cmd_encode(argc - 2, argv + 2);
	if (strcmp(argv[1], "roundtrip") == 0)
		return cmd_roundtrip(argc - 2, argv + 2);
	if (strcmp(argv[1], "rules") == 0)
		return cmd_rules();
	if (strcmp(argv[1], "coverage") == 0)
		return cmd_coverage(argc - 2, argv + 2);
	if (strcmp(argv[1], "show") == 0)
		return pf_show_main(argc - 2, argv + 2, show_load);
	return usage();
}

/* partyfuzz's drivers: the reference pair (fuzz/drivers/driver.h). */
static const struct pf_stimuli *const ref_drivers[] = {
	&pf_ref_client_stimuli, &pf_ref_cm_stimuli, NULL
};

int main(int argc, char **argv)
{
	int rc;

	pf_run_set_drivers(ref_drivers);
	rc = run_command(argc, argv);

	/* Whatever a command printed must have been written (a full disk). */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "partyfuzz: standard output: write error: %s\n",
			strerror(errno));
		return 3;
	}
	return rc;
}
