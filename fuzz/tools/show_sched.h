/*
 * show_sched.h - a fuzz_table_sched run as a picture (show_sched.c): the
 * atomic-step interleaving with one lane per green thread, each step with
 * the word it touched and its value before and after (or, weak, the store
 * it read), each operation's span, and the history with the operations
 * that could not be linearized marked.
 *
 * fuzz_table_sched calls pf_show_sched() from its printing hook when the
 * environment names a picture (PF_SHOW=<file>, PF_SHOW_FORMAT=html or
 * trace-json): at a failure, before it aborts, and at the end of a run
 * that passed. `partyfuzz show --target=fuzz_table_sched` runs it so.
 *
 * The elements a test checks carry data- attributes, one element per
 * line: lanes (class lane, data-lane), atomic steps (class astep, data-i,
 * data-thread, data-op, data-word, data-before, data-after, data-hop the
 * history operation, data-conflict 1 when the word's previous step was
 * another thread's), history rows (class hop, data-op, data-thread,
 * data-nonlin) and the verdict (id finding, data-verdict, data-nonlin).
 *
 * Context: the harness's OS thread, outside the scheduled run.
 */
#ifndef PARTYFUZZ_TOOLS_SHOW_SCHED_H
#define PARTYFUZZ_TOOLS_SHOW_SCHED_H

#include <stdio.h>

#include "sched/layout.h"
#include "sched/lincheck.h"
#include "sched/sched.h"

struct pf_sched_view {
	const char *title;  /* the input's name, or "" */
	const char *config; /* the run's config line */
	unsigned nthreads;  /* green threads */
	const struct ps_step *steps;
	unsigned nsteps;
	const struct ps_layout *layout;
	const struct lc_history *hist;
	const char *failure; /* NULL: the run passed; else what failed */
	const char *detail;  /* NULL, or the failure's detail */
	const char *witness; /* NULL, or lc_check()'s report text */
};

/* Write the picture to @out (html = 1, else trace-event JSON).
 * Return: 0, or -1 if writing failed. */
int pf_show_sched(FILE *out, const struct pf_sched_view *v, int html);

/*
 * pf_show_sched_env() - the printing hook's body: if PF_SHOW names a file,
 * write the picture of @v there (format from PF_SHOW_FORMAT); else do
 * nothing. Return: 0, or -1 after a message on stderr.
 */
int pf_show_sched_env(const struct pf_sched_view *v);

#endif /* PARTYFUZZ_TOOLS_SHOW_SCHED_H */
