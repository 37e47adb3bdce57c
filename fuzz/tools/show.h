/*
 * show.h - a CoNDIS run as a picture: `partyfuzz show` and the state
 * graphs of `partyfuzz coverage --dot/--svg` (show.c).
 *
 * pf_show_program() runs a program once, observing it through the run
 * hook (fuzz/harness/run.h: every trace step, report and state-machine
 * row as the engine takes it), and writes
 *   PF_SHOW_HTML        one self-contained HTML file (inline CSS and SVG,
 *                       no script fetched, no network): a sequence
 *                       diagram with one lane per actor (client, each
 *                       CPU's DPCs, NDIS, the CM or MCM, the network),
 *                       each step an arrow coloured by its CPU; one IRQL
 *                       band per CPU; one column per party and VC handle
 *                       (slot.generation), each cell the handle's state
 *                       after that step (MAKING, ADDING, ACTIVE,
 *                       REMOTE_DROPPED, DROPPING, CLOSING, dead), a use of
 *                       a dead handle marked; the violated rule marked at
 *                       its step, with its text and source pages
 *                       (CONTRACT.md); then the text trace;
 *   PF_SHOW_TRACE_JSON  the same run as Chrome trace-event JSON
 *                       (chrome://tracing, ui.perfetto.dev): one track
 *                       per lane, one per CPU with its IRQL as a counter,
 *                       one async track per handle with its states, the
 *                       rule as an instant event. Timestamps are step
 *                       numbers (1 step = 10 us), never clock time.
 * Both are deterministic: the same program gives the same bytes.
 *
 * The elements a test checks carry data- attributes (one element per
 * line): lanes (class lane, data-lane), steps (class step, data-step,
 * data-from, data-to, data-cpu, data-irql, data-fn, data-rule), IRQL cells
 * (class irql), handle cells (class hcell, data-handle, data-state,
 * data-use) and the finding (id finding, data-rule, data-step).
 *
 * Context: single-threaded, one run at a time (the harness's rule).
 */
#ifndef PARTYFUZZ_TOOLS_SHOW_H
#define PARTYFUZZ_TOOLS_SHOW_H

#include <stdio.h>

#include "harness/program.h"
#include "harness/run.h"

enum pf_show_format {
	PF_SHOW_HTML = 0,
	PF_SHOW_TRACE_JSON = 1,
};

/**
 * pf_show_program() - run @p once and draw it.
 * @p: the program.
 * @puppet: as pf_run_opts.puppet (-1: the program's drivers=).
 * @title: the input's name, printed as the heading.
 * @target: the target named (or "auto").
 * @fmt: HTML or trace-event JSON.
 * @out: where it goes.
 * @r: receives the run's result.
 *
 * Return: 0, or -1 if writing @out failed.
 */
int pf_show_program(const struct pf_program *p, int puppet, const char *title,
		    const char *target, enum pf_show_format fmt, FILE *out,
		    struct pf_result *r);

/**
 * pf_show_coverage_dot() - both state machines in Graphviz DOT, every row
 * an edge labelled with its id, event and hit count per IRQL (from the
 * contract coverage counters, condis.h), rows never taken drawn red and
 * dashed with NEVER, IRQL cells never reached listed as "-".
 * @out: where it goes.
 * @programs: how many programs were run (the graph's label).
 */
void pf_show_coverage_dot(FILE *out, unsigned programs);

/**
 * pf_show_coverage_write() - the coverage graph as files.
 * @dot: NULL, or where the DOT text goes.
 * @svg: NULL, or where the SVG goes: rendered by Graphviz `dot` when it is
 *       on $PATH; without it (an optional dependency) the DOT text is
 *       written to @svg.dot instead and a line says so.
 * @programs: how many programs were run.
 *
 * Return: 0, or -1 after a message (a write failed, or dot did).
 */
int pf_show_coverage_write(const char *dot, const char *svg,
			   unsigned programs);

/* Loads a program file for `partyfuzz show` (partyfuzz.c's reader). */
typedef int (*pf_show_load_fn)(const char *path,
			       const struct pf_program **out);

/**
 * pf_show_main() - `partyfuzz show [--target=T] [--format=html|trace-json]
 * [--bin=PATH] -o OUT FILE`.
 * @argc: arguments after "show".
 * @argv: them.
 * @load: reads FILE (a one-line error and -1 if it is not a program).
 *
 * fuzz_condis, fuzz_condis_adversary and auto run in this process; any
 * other target (fuzz_table_sched, fuzz_wdk_style, a driver fuzzer of
 * pt_add_driver_fuzzer) runs its own binary (--bin, default the one built
 * with the tool) with PF_SHOW=OUT, which writes the picture itself.
 *
 * Return: 0 when the picture was written (whatever the verdict, which it
 * prints), 2 usage, 3 if FILE is not a program or OUT cannot be written.
 */
int pf_show_main(int argc, char **argv, pf_show_load_fn load);

#endif /* PARTYFUZZ_TOOLS_SHOW_H */
