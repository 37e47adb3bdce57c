/*
 * partyfuzz/err.h - error codes of the party table.
 *
 * One enum, explicit values, only ever appended (corpora, traces and
 * regress expectations print these names). Messages come from the single
 * X-macro table below; nothing else defines an error id.
 */
#ifndef PARTYFUZZ_ERR_H
#define PARTYFUZZ_ERR_H

#if defined(__GNUC__) || defined(__clang__)
#define PT_NODISCARD __attribute__((warn_unused_result))
#else
#define PT_NODISCARD
#endif

/*
 * PT_NO_COVERAGE: no coverage instrumentation in this function (no edge
 * counters, no comparison tracing), the one definition for core/ and
 * fuzz/. For the oracles: validators, models, queries a model compares,
 * dumps, the trace readers. Their branches would only teach the fuzzer
 * about the checker, and their instrumentation costs exec/s, the more as
 * they run after every step. Code inlined into such a function is not
 * instrumented either. clang >= 13; other compilers ignore it (gcc has no
 * comparison tracing to spare).
 */
#if defined(__clang__) && __clang_major__ >= 13
#define PT_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define PT_NO_COVERAGE
#endif

/*
 * PT_ORACLE: PT_NO_COVERAGE, and AddressSanitizer does not check the
 * function's own loads and stores. For the read-only oracles that run
 * after every step (the sequential model, the validators, the state
 * comparison and the engine queries and trace readers they call): they
 * read state the instrumented code under test (engine, drivers, harness)
 * wrote, and write only their own results, so ASan's checks there guarded
 * the checker, not the code under test, at a fifth of fuzz_condis's
 * exec/s. UBSan still checks them, and every other build (replay: gcc,
 * the debug preset under valgrind) checks them in full. To check them
 * under ASan too, define PT_ORACLE as PT_NO_COVERAGE.
 */
#ifndef PT_ORACLE
#if defined(__clang__) && __clang_major__ >= 13
#define PT_ORACLE __attribute__((no_sanitize("coverage", "address")))
#else
#define PT_ORACLE PT_NO_COVERAGE
#endif
#endif

/* X(name, value, message) */
#define PT_ERR_ENTRIES(X)                                                     \
	X(PT_OK, 0, "success")                                                \
	X(PT_E_NULL, 1, "null handle (0 is never a valid party handle)")      \
	X(PT_E_FOREIGN, 2, "handle does not belong to this table (tag)")      \
	X(PT_E_MALFORMED, 3, "handle was never issued by this table")        \
	X(PT_E_STALE, 4, "handle was invalidated (retired party)")           \
	X(PT_E_STATE, 5, "party is not in the expected state")               \
	X(PT_E_FULL, 6, "no free party slot")                                 \
	X(PT_E_BAD_VC, 7, "VC index out of range")                            \
	X(PT_E_INVAL, 8, "invalid argument")                                  \
	X(PT_E_NO_REF, 9, "release without a held reference")                \
	X(PT_E_REF_OVERFLOW, 10, "reference count at its maximum")           \
	X(PT_E_NOMEM, 11, "out of memory at init")                            \
	X(PT_E_CORRUPT, 12, "table invariant violated (validate)")

enum pt_err {
#define PT_ERR_ENUM_(name, value, msg) name = value,
	PT_ERR_ENTRIES(PT_ERR_ENUM_)
#undef PT_ERR_ENUM_
};

/* Number of defined codes; codes are 0 .. PT_ERR_COUNT - 1. */
#define PT_ERR_COUNT 13

/**
 * pt_err_name() - symbolic name of an error code, e.g. "PT_E_STALE".
 * @err: any value; unknown values give "PT_E_?".
 *
 * Context: any IRQL, any thread; returns a static string.
 */
const char *pt_err_name(int err);

/**
 * pt_err_str() - human-readable message of an error code.
 * @err: any value; unknown values give "unknown error".
 *
 * Context: any IRQL, any thread; returns a static string.
 */
const char *pt_err_str(int err);

#endif /* PARTYFUZZ_ERR_H */
