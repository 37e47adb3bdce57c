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

#endif /* PARTYFUZZ_FUZZ_UTIL_H */
