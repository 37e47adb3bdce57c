/*
 * report.c - the rule catalogue's accessors and the report sink (the checks
 * themselves are in the DDIs, condis_check.c and ndis_services.c).
 *
 * The catalogue itself is CN_RULE_ENTRIES in rules.h; this file only
 * expands it. A report (_cn_report) is counted, kept as the last
 * violation, marked on its trace step, handed to cfg.on_violation, and in
 * CN_VERIFY_ABORT mode printed with the last trace lines before abort().
 * Nothing here allocates: the state being reported may be what is broken.
 *
 * Invariants:
 *   W1 rule_total is the sum of rule_count[1..CN_RULE_MAX].
 *   W2 have_last iff rule_total > 0 since the last reset/clear.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "condis_internal.h"

/* Trace lines printed after a report in abort mode. */
#define CN_REPORT_TRACE_LINES 24 /* LCOV_EXCL_LINE: the abort path only */

struct rule_row {
	const char *id, *name, *ref, *msg;
	enum cn_rule_scope scope;
};

static const struct rule_row rules[CN_RULE_MAX + 1] = {
#define CN_RULE_ROW_(id, value, name, scope, ref, msg)                        \
	[value] = { #id, name, ref, msg, CN_SCOPE_##scope },
	CN_RULE_ENTRIES(CN_RULE_ROW_)
#undef CN_RULE_ROW_
};

static const struct rule_row *row(int rule)
{
	/* LCOV_EXCL_BR_START: a rule id outside the catalogue: the engine
	 * and the harness pass only catalogue ids (C API misuse; core/test
	 * checks it) */
	if (rule <= 0 || rule > CN_RULE_MAX || rules[rule].id == NULL)
		return NULL; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
	return &rules[rule];
}

const char *cn_rule_id(int rule)
{
	/* LCOV_EXCL_BR_START: a rule id outside the catalogue: the engine
	 * and the harness pass only catalogue ids (C API misuse; core/test
	 * checks it) */
	return row(rule) ? row(rule)->id : "?";
	/* LCOV_EXCL_BR_STOP */
}

const char *cn_rule_name(int rule)
{
	/* LCOV_EXCL_BR_START: a rule id outside the catalogue: the engine
	 * and the harness pass only catalogue ids (C API misuse; core/test
	 * checks it) */
	return row(rule) ? row(rule)->name : "?";
	/* LCOV_EXCL_BR_STOP */
}

const char *cn_rule_ref(int rule)
{
	/* LCOV_EXCL_BR_START: a rule id outside the catalogue: the engine
	 * and the harness pass only catalogue ids (C API misuse; core/test
	 * checks it) */
	return row(rule) ? row(rule)->ref : "";
	/* LCOV_EXCL_BR_STOP */
}

const char *cn_rule_message(int rule)
{
	/* LCOV_EXCL_BR_START: a rule id outside the catalogue: the engine
	 * and the harness pass only catalogue ids (C API misuse; core/test
	 * checks it) */
	return row(rule) ? row(rule)->msg : "";
	/* LCOV_EXCL_BR_STOP */
}

enum cn_rule_scope cn_rule_scope(int rule)
{
	/* LCOV_EXCL_BR_START: a rule id outside the catalogue: the engine
	 * and the harness pass only catalogue ids (C API misuse; core/test
	 * checks it) */
	return row(rule) ? row(rule)->scope : CN_SCOPE_OUT;
	/* LCOV_EXCL_BR_STOP */
}

const char *cn_rule_scope_name(int scope)
{
	static const char *const names[] = { "ENGINE", "END", "DRIVER",
					     "OUT", "SERVICE" };

	/* LCOV_EXCL_BR_START: a scope outside the catalogue: the harness
	 * passes only catalogue scopes (C API misuse; core/test checks it) */
	if (scope < 0 || scope > CN_SCOPE_SERVICE)
		return "?"; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
	return names[scope];
}

enum cn_rule cn_rule_parse(const char *id)
{
	int r;

	if (id == NULL)
		return CN_RULE_NONE;
	for (r = 1; r <= CN_RULE_MAX; r++) {
		const char *a = rules[r].id, *b = id;

		while (*a && *b &&
		       toupper((unsigned char)*a) ==
			       toupper((unsigned char)*b)) {
			a++;
			b++;
		}
		if (*a == '\0' && *b == '\0')
			return (enum cn_rule)r;
	}
	return CN_RULE_NONE;
}

void _cn_verifier_reset(struct cn_engine *e)
{
	memset(e->rule_count, 0, sizeof(e->rule_count));
	e->rule_total = 0;
	e->have_last = 0; /* W2 */
	memset(&e->last, 0, sizeof(e->last));
}

/* Contract coverage of the rules: process-wide, like the row hits. */
static uint64_t rule_hits[CN_RULE_MAX + 1];

PT_NO_COVERAGE uint64_t cn_coverage_rule(int rule)
{
	if (rule < 0 || rule > CN_RULE_MAX)
		return 0;
	return rule_hits[rule];
}

void _cn_rule_hits_clear(void)
{
	memset(rule_hits, 0, sizeof(rule_hits));
}

/* An IRQL as reports print it: its name, or its number past HIGH_LEVEL. */
static void irql_text(uint64_t irql, char *buf, size_t len)
{
	if (irql <= HIGH_LEVEL)
		snprintf(buf, len, "%s", cn_irql_name((int)irql));
	else
		snprintf(buf, len, "%llu", (unsigned long long)irql);
}

void _cn_report(struct cn_engine *e, enum cn_rule rule, enum cn_fn fn,
		uint64_t step, uint64_t handle, int party_state, int vc_state,
		const char *detail)
{
	struct cn_violation *v = &e->last;
	char h[48], from[16], to[24];

	/* LCOV_EXCL_BR_START: impossible: every report names a catalogue
	 * rule */
	if (rule <= CN_RULE_NONE || rule > CN_RULE_MAX)
		rule = CN_RULE_NONE; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
	e->rule_count[rule]++;
	rule_hits[rule]++;
	e->rule_total++; /* W1 */
	e->stats.violations++;
	e->have_last = 1; /* W2 */
	v->rule = rule;
	v->fn = fn;
	v->handle = handle;
	v->party_state = party_state;
	v->vc_state = vc_state;
	v->step = step;
	v->detail = detail;
	if (fn == CN_FN_KeRaiseIrql || fn == CN_FN_KeLowerIrql) {
		/* The "handle" of Ke*Irql is the new IRQL: show the change. */
		irql_text(e->irql[e->cpu], from, sizeof(from));
		irql_text(handle, to, sizeof(to));
		snprintf(h, sizeof(h), "irql=%s->%s", from, to);
	} else {
		memcpy(h, "handle=", 8);
		cn_handle_format(handle, h + 7, sizeof(h) - 7);
	}
	snprintf(v->line, sizeof(v->line),
		 "partyfuzz: RULE %s (%s): %s: %s %s party=%s vc=%s",
		 cn_rule_id(rule), cn_rule_name(rule), cn_fn_name(fn), detail,
		 h, party_state < 0 ? "NONE" : pt_state_name(party_state),
		 vc_state < 0 ? "NONE" : cn_vc_state_name(vc_state));
	_cn_trace_set_rule(e, step, rule);
	/* LCOV_EXCL_BR_START: every harness installs on_violation; only the
	 * unit tests run without it */
	if (e->cfg.on_violation != NULL)
		e->cfg.on_violation(e->cfg.violation_arg, v);
	/* LCOV_EXCL_BR_STOP */
	/* LCOV_EXCL_BR_START: abort mode ends in abort(), which writes no
	 * profile (below) */
	if (e->cfg.mode == CN_VERIFY_ABORT) {
	/* LCOV_EXCL_BR_STOP */
		/* LCOV_EXCL_START: ends in abort(), which writes no profile
		 * (ci/coverage.sh replays the witnesses through -replay, where
		 * the verifier records instead). */
		fprintf(stderr, "%s\n", v->line);
		fprintf(stderr, "partyfuzz: last %d trace steps:\n",
			CN_REPORT_TRACE_LINES);
		cn_trace_dump(stderr, CN_REPORT_TRACE_LINES);
		fflush(stderr);
		abort();
	} /* LCOV_EXCL_STOP */
}

PT_ORACLE uint32_t cn_verifier_count(int rule)
{
	struct cn_engine *e = _cn_engine_get();

	/* LCOV_EXCL_BR_START: a rule id outside the catalogue: the engine
	 * and the harness pass only catalogue ids (C API misuse; core/test
	 * checks it) */
	if (rule < 0 || rule > CN_RULE_MAX)
		return 0; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
	return e->rule_count[rule];
}

PT_ORACLE uint32_t cn_verifier_total(void)
{
	return _cn_engine_get()->rule_total;
}

/* LCOV_EXCL_START: C API that only the unit tests call
 * (core/test/test_condis_*.c, test_ndis_services.c): the harness reads
 * reports through on_violation, so no input reaches it. */
PT_ORACLE int cn_verifier_last(struct cn_violation *out)
{
	struct cn_engine *e = _cn_engine_get();

	if (!e->have_last)
		return 0;
	if (out != NULL)
		*out = e->last;
	return 1;
}

void cn_verifier_clear(void)
{
	_cn_verifier_reset(_cn_engine_get());
}

void cn_verifier_set_mode(enum cn_verify_mode mode)
{
	_cn_engine_get()->cfg.mode = mode;
}
/* LCOV_EXCL_STOP */
