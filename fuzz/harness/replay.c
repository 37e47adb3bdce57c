/*
 * replay.c - a target's own replay and decode modes (replay.h).
 */
#include "harness/replay.h"

#include <string.h>

#include "harness/program.h"
#include "partyfuzz/rules.h"
#include "runner/input.h"

static uint8_t replay_buf[PF_INPUT_MAX + 1];
static struct pf_program replay_prog;

void pf_verdict_print(FILE *out, const struct pf_result *r)
{
	int i;

	switch (r->verdict) {
	case PF_VERDICT_OK:
		fprintf(out, "VERDICT: OK (%u operations, %u acted)\n", r->ops,
			r->ops_acted);
		break;
	case PF_VERDICT_RULE:
		fprintf(out, "VERDICT: RULE %s (%s): %s\n",
			cn_rule_id(r->first_rule), cn_rule_name(r->first_rule),
			cn_rule_message(r->first_rule));
		fprintf(out, "  report: %s\n", r->first_report);
		fprintf(out, "  fired:");
		for (i = 1; i <= CN_RULE_MAX; i++)
			if (r->fired[i])
				fprintf(out, " %s x%u", cn_rule_id(i),
					r->fired[i]);
		fprintf(out, " (each one predicted by the model)\n");
		break;
	default:
		fprintf(out, "VERDICT: MISMATCH: %s\n", r->why);
		break;
	}
}

/* Read @path as a program, as partyfuzz does; an error is one line. */
static int replay_load(const char *path)
{
	char err[160];
	unsigned line;
	size_t n;

	if (pf_input_read(path, replay_buf, PF_INPUT_MAX, &n, err,
			  sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	if (n == 0) {
		fprintf(stderr, "%s: empty file (a program has at least its "
				"config)\n",
			path);
		return -1;
	}
	replay_buf[n] = '\0';
	if (!pf_is_text(replay_buf, n)) {
		(void)pf_decode(replay_buf, n, &replay_prog);
		return 0;
	}
	if (pf_parse_text((const char *)replay_buf, n, &replay_prog, &line,
			  err, sizeof(err)) < 0) {
		fprintf(stderr, "%s:%u: %s\n", path, line, err);
		return -1;
	}
	return 0;
}

int pf_replay_main(int argc, char **argv, int puppet)
{
	struct pf_run_opts o;
	struct pf_result r;
	int i, worst = 0, files = 0;

	if (argc < 2)
		return -1;
	if (strcmp(argv[1], "-decode") == 0) {
		if (argc != 3 || replay_load(argv[2]) < 0)
			return 3;
		pf_program_print(&replay_prog, stdout);
		return fflush(stdout) == 0 ? 0 : 3;
	}
	if (strcmp(argv[1], "-replay") != 0)
		return -1;
	o.trace = stdout;
	o.puppet = puppet;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0) {
			o.trace = NULL;
			continue;
		}
		files++;
		printf("== %s\n", argv[i]);
		if (replay_load(argv[i]) < 0) {
			worst = 3;
			continue;
		}
		(void)pf_run(&replay_prog, &o, &r);
		pf_verdict_print(stdout, &r);
		if ((int)r.verdict > worst && worst != 3)
			worst = (int)r.verdict;
	}
	pf_run_shutdown();
	if (fflush(stdout) != 0)
		return 3;
	return files ? worst : 3;
}
