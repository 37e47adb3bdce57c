/*
 * run_internal.h - what the run loop (run.c) shares with the end of a run
 * (run_end.c). Private to fuzz/harness/.
 */
#ifndef PARTYFUZZ_RUN_INTERNAL_H
#define PARTYFUZZ_RUN_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "drivers/driver.h"
#include "fuzz_util.h"
#include "harness/hsched.h"
#include "harness/model.h"
#include "harness/program.h"
#include "harness/run.h"

#define RUN_MAX_VCS 4
#define RUN_MAX_PARTIES 24
#define RUN_TRACE                                                             \
	PM_MAX_STEPS /* the model reads one operation from the ring */
#define RUN_DPCS 16
#define RUN_WIND_ROUNDS 24
#define RUN_REPORTS 64 /* report lines kept for one operation's trace */

struct run_state {
	struct pf_result *r;
	FILE *out;
	const struct pf_run_hook *hook; /* run.h: an observer, or NULL */
	int puppet;
	int mcm;
	int have_engine;
	uint8_t gen_bits;
	struct hs_sched sched;
	struct pm_model model;
	uint64_t fed; /* (R1) */
	uint32_t rules_before[CN_RULE_MAX + 1];
	uint32_t total_before; /* cn_verifier_total() at the last check */
	int stop;              /* a MISMATCH was found */
	int model_owes_rules;  /* pm_check_end() predicted without a step */
	uint32_t cur_op;       /* the operation being checked, for messages */
	const char *cur_name;

	/* The latest report: its rule, handle and step (on_report), for
	 * the model's second opinion on where (model.h, n_at). */
	int last_rule;
	uint64_t last_handle, last_step;

	/* (R4) Reports not printed yet (with a trace only). */
	uint32_t nreports, reports_lost;
	struct {
		uint64_t step;
		char line[sizeof(((struct cn_violation *)0)->line)];
	} reports[RUN_REPORTS];

	/* (R2) */
	uint8_t cm;      /* enum pf_status */
	uint8_t deliver; /* 0 sync, 1 + cpu */

	/* The drivers of this run: who plays the client, who the CM. */
	const struct pf_stimuli *cl, *cmd;
	struct pf_host host;
};

/* The one run (run.h: one at a time). */
extern struct run_state _pf_run;
#define cur _pf_run /* the current run */

/* Record the first disagreement of the run (longer text is truncated). */
PT_NO_COVERAGE void _pf_run_mismatch(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
#define mismatch _pf_run_mismatch

/* Print the trace steps from @from to the current one, with the report
 * lines made at each (R4). */
PT_NO_COVERAGE void _pf_run_print_steps(uint64_t from);
#define print_steps _pf_run_print_steps

/* The check after every operation (model, verifier, state, invariants);
 * @label names it in a message, NULL: the current operation. */
PT_ORACLE void _pf_run_check_step(const char *label);
#define check_step _pf_run_check_step

/* Run operation @op (number @index, for the trace) and check it. */
PT_NO_COVERAGE void _pf_run_op(const struct pf_op *op, uint32_t index);
#define run_op _pf_run_op

/* run_end.c: the end of a run (run.h step 3). */
PT_NO_COVERAGE void _pf_run_wind_down(void);
PT_NO_COVERAGE void _pf_run_check_end(void);
PT_NO_COVERAGE void _pf_run_unbind_unload(void);

#endif /* PARTYFUZZ_RUN_INTERNAL_H */
