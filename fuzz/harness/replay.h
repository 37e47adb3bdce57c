/*
 * replay.h - a CoNDIS fuzz target replays its own inputs: the same
 * output as `partyfuzz replay`, with the target's own drivers.
 *
 *   <target> -replay [-q] FILE...   each FILE: "== FILE", its readable
 *                                   trace (not with -q), its verdict;
 *                                   exit 0 OK, 1 a rule fired, 2 a
 *                                   mismatch, 3 a FILE is not a program
 *   <target> -decode FILE           the program as canonical text
 *
 * The fuzz targets hand their argv here from LLVMFuzzerInitialize
 * (harness/target.h), before libFuzzer or the standalone runner reads
 * it; `partyfuzz replay --target=<target>` runs the first form for a
 * target it does not link itself (fuzz/tools/partyfuzz.c).
 */
#ifndef PARTYFUZZ_REPLAY_H
#define PARTYFUZZ_REPLAY_H

#include <stdio.h>

#include "harness/run.h"

/* VERDICT: OK (...) / RULE ... / MISMATCH: ...; partyfuzz's format. */
void pf_verdict_print(FILE *out, const struct pf_result *r);

/**
 * pf_replay_main() - the modes above.
 * @argc: the target's argc.
 * @argv: its argv; argv[1] is -replay or -decode.
 * @puppet: the target's drivers= (0 its drivers, 1 the puppets).
 *
 * Return: the exit status above; -1 if argv[1] is neither mode.
 */
int pf_replay_main(int argc, char **argv, int puppet);

#endif /* PARTYFUZZ_REPLAY_H */
