/*
 * fuzz_util.h - small pieces every fuzz target of partyfuzz shares.
 */
#ifndef PARTYFUZZ_FUZZ_UTIL_H
#define PARTYFUZZ_FUZZ_UTIL_H

/*
 * Oracles (models, validators, comparisons) are not fuzzing targets: their
 * branches would only teach the fuzzer about the checker, and their
 * comparison tracing costs a large share of exec/s. Exclude them from
 * coverage instrumentation (clang >= 13; other compilers ignore it).
 */
#if defined(__clang__) && __clang_major__ >= 13
#define PF_ORACLE __attribute__((no_sanitize("coverage")))
#else
#define PF_ORACLE
#endif

#include <stdio.h>

/*
 * pf_trace_stdout() - make stdout ready for a FUZZ_VERBOSE trace.
 *
 * Gives stdout a static buffer. stdio would otherwise malloc one on the
 * first printf and never free it; libFuzzer, seeing more mallocs than
 * frees in a run, runs the input a second time to look for a leak, and
 * the trace comes out twice. Call it before the first printf of a run;
 * later calls do nothing.
 */
static inline void pf_trace_stdout(void)
{
	static char buf[1 << 16];
	static int ready;

	if (!ready) {
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
		ready = 1;
	}
}

#endif /* PARTYFUZZ_FUZZ_UTIL_H */
