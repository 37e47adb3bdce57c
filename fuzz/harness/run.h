/*
 * run.h - run one CoNDIS program against the engine and check it; shared
 * by every target of pt_add_driver_fuzzer() and the partyfuzz tool.
 *
 * A run:
 *   1. resets the process's engine (created on first use, recreated when
 *      the generation width changes), sets the model options of the
 *      program's config, loads the drivers through their stimulus tables
 *      (fuzz/drivers/driver.h: the ones pf_run_set_drivers() named, or the
 *      harness's own puppets, drivers=puppet, the adversary), with the
 *      verifier in record mode; the CM registers as the kind its table
 *      declares (the program's cm= only if it declares both);
 *   2. executes every operation (program.h) through the actor scheduler
 *      (hsched.h) and the tables (an absent entry skips it); after EVERY
 *      operation it feeds the operation's trace steps to the model
 *      (model.h), compares the rules the verifier reported with the rules
 *      the model predicted, the engine's state with the model's
 *      (compare.h), and runs cn_call_validate();
 *   3. ends (run_end.c): runs every queued DPC; with drivers under test,
 *      winds the run down the way NDIS unbinds (the CM completes what the
 *      engine says is owed, NDIS asks the client to close its address
 *      family, each step checked like any operation); then
 *      cn_engine_check_end() against the model and the exactly-once
 *      counters (every pended request completed once, every party handle
 *      ended once), all from the engine and the trace; last the drivers'
 *      unbind and unload, which free their memory and reset them for the
 *      next input (LeakSanitizer sees anything left).
 *
 * Verdicts:
 *   PF_VERDICT_OK        nothing reported, everything agreed.
 *   PF_VERDICT_RULE      the verifier reported rules and the model
 *                        predicted exactly those (the adversary's normal
 *                        outcome; a finding for the reference drivers,
 *                        where no rule may ever fire).
 *   PF_VERDICT_MISMATCH  the engine disagreed with the model, an
 *                        invariant or end-of-run property failed, or a
 *                        rule fired that the model did not predict.
 *
 * Context: single-threaded; one run at a time (static state is reused
 * across runs: no allocation per run besides the engine's party table).
 */
#ifndef PARTYFUZZ_RUN_H
#define PARTYFUZZ_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "harness/program.h"
#include "partyfuzz/rules.h"

enum pf_verdict {
	PF_VERDICT_OK = 0,
	PF_VERDICT_RULE = 1,
	PF_VERDICT_MISMATCH = 2,
};

struct cn_trace_entry;
struct pf_op;

/*
 * An observer of a run (partyfuzz show draws it): every callback is
 * optional and gets @arg. In the order of the readable trace:
 *   op()          an operation begins (its index and canonical text), or
 *                 a phase ("wind-down", "end of run": @op NULL, @index
 *                 -1);
 *   step()        each engine step, once, complete (its returned status
 *                 filled in), after the operation that made it;
 *   report()      each verifier report line made at @step, right after
 *                 that step;
 *   transition()  each state-machine row taken (condis.h,
 *                 cn_transition_fn), as it happens, so before the step()
 *                 of the step it happened in.
 * Bring-up steps (registration, binding) are not shown. Installed by
 * pf_run_set_hook() (below), for every following run.
 */
struct pf_run_hook {
	void (*op)(void *arg, int index, const struct pf_op *op,
		   const char *what);
	void (*step)(void *arg, const struct cn_trace_entry *e);
	void (*report)(void *arg, uint64_t step, const char *line);
	void (*transition)(void *arg, uint64_t step, uint32_t row,
			   uint64_t handle, int from, int to);
	void *arg;
};

struct pf_run_opts {
	FILE *trace; /* NULL: quiet; else the readable trace goes here */
	int puppet;  /* -1: the program's drivers= flag; 0 reference; 1
			* puppet (the fuzz targets force it) */
};

struct pf_result {
	enum pf_verdict verdict;
	uint32_t ops;       /* operations executed (incl. wind-down) */
	uint32_t ops_acted; /* ... that made at least one engine step */
	uint32_t fired[CN_RULE_MAX + 1]; /* verifier reports per rule */
	enum cn_rule first_rule; /* first rule reported, CN_RULE_NONE */
	char first_report[256];  /* that report's line */
	char why[320];           /* MISMATCH: what disagreed, where */
};

/**
 * pf_run() - run a program and check every step.
 * @p: the program.
 * @o: options (NULL: quiet, program's drivers).
 * @r: receives the outcome.
 *
 * Return: r->verdict.
 */
enum pf_verdict pf_run(const struct pf_program *p, const struct pf_run_opts *o,
		       struct pf_result *r);

/*
 * pf_run_set_drivers() - the drivers under test (driver.h), for every run
 * that does not use the puppets.
 * @drivers: stimulus tables, NULL-terminated; the first one whose kind
 *           has PF_DRV_CLIENT plays the client, the first with PF_DRV_CM
 *           or PF_DRV_MCM the call manager (one table may play both).
 *
 * Context: before the first run (LLVMFuzzerInitialize, a tool's main).
 */
struct pf_stimuli;
void pf_run_set_drivers(const struct pf_stimuli *const *drivers);

/*
 * pf_run_init() - create the engine ahead of the first run (fuzz targets:
 * from LLVMFuzzerInitialize), so that every run frees what it allocates
 * and libFuzzer's leak heuristic never re-runs an input (which would print
 * its FUZZ_VERBOSE trace twice). Optional: pf_run() creates it on demand.
 */
void pf_run_init(void);

/*
 * pf_run_set_hook() - observe the following runs (NULL: stop). The hook
 * is kept by pointer and must outlive them. Context: between runs.
 */
void pf_run_set_hook(const struct pf_run_hook *hook);

/* Free the engine (at exit; LeakSanitizer then sees only real leaks). */
void pf_run_shutdown(void);

#endif /* PARTYFUZZ_RUN_H */
