/*
 * compare.h - the engine's state against the sequential model's, after
 * every step of a run (run.c).
 *
 * The harness reads the engine through its queries (condis.h) and the
 * model through its read-only views (model.h): comparing changes neither.
 * Compared: every VC (state, PMP, activation, pending request, party
 * counters), every live party by handle (state, VC), the number of VCs
 * and of live parties, the owed CM completions and the DPCs queued per
 * CPU.
 */
#ifndef PARTYFUZZ_COMPARE_H
#define PARTYFUZZ_COMPARE_H

#include <stddef.h>

#include "harness/model.h"

/**
 * pf_compare_state() - compare the engine with @m.
 * @m: the model.
 * @why: receives the first difference ("state: <what> of <handle>:
 *       engine N, model M").
 * @len: its size.
 *
 * Return: 0 if they agree, -1 otherwise.
 */
int pf_compare_state(const struct pm_model *m, char *why, size_t len);

#endif /* PARTYFUZZ_COMPARE_H */
