/*
 * debug.h - graded assertions (after mimalloc's MI_DEBUG).
 *
 *   PT_DEBUG  enables
 *   0         nothing (release)
 *   1         PT_ASSERT: cheap API-level checks
 *   2         + PT_ASSERT_INTERNAL: internal invariants at each step
 *   3         + PT_ASSERT_EXPENSIVE: whole-structure validation
 *
 * Fuzz and test builds run at 2 or higher. A disabled assertion still
 * type-checks its argument (sizeof, never evaluated). The failure handler
 * never allocates: it prints the failed expression, runs the registered
 * dump hook (the harness dumps the table there), then abort()s so that
 * libFuzzer and the sanitizers see the crash.
 */
#ifndef PARTYFUZZ_DEBUG_H
#define PARTYFUZZ_DEBUG_H

#include <stddef.h>

#ifndef PT_DEBUG
#define PT_DEBUG 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PT_NORETURN __attribute__((noreturn))
#define PT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define PT_NORETURN
#define PT_UNLIKELY(x) (x)
#endif

PT_NORETURN void _pt_assert_fail(const char *expr, const char *file,
				 int line, const char *func);

/* Called by _pt_assert_fail before abort(); NULL for none. */
void _pt_assert_set_dump_hook(void (*hook)(void *arg), void *arg);

/*
 * A statement, not a ?: expression: clang's coverage mapping (llvm 14)
 * counts the code after a ?: whose arm is a noreturn call as never run,
 * so every line after an assertion read 0 in ci/coverage.sh.
 */
#define PT_ASSERT_ON_(cond)                                                   \
	do {                                                                  \
		if (PT_UNLIKELY(!(cond)))                                     \
			_pt_assert_fail(#cond, __FILE__, __LINE__, __func__); \
	} while (0)
#define PT_ASSERT_OFF_(cond) ((void)sizeof(!(cond)))

#if PT_DEBUG >= 1
#define PT_ASSERT(cond) PT_ASSERT_ON_(cond)
#else
#define PT_ASSERT(cond) PT_ASSERT_OFF_(cond)
#endif
#if PT_DEBUG >= 2
#define PT_ASSERT_INTERNAL(cond) PT_ASSERT_ON_(cond)
#else
#define PT_ASSERT_INTERNAL(cond) PT_ASSERT_OFF_(cond)
#endif
#if PT_DEBUG >= 3
#define PT_ASSERT_EXPENSIVE(cond) PT_ASSERT_ON_(cond)
#else
#define PT_ASSERT_EXPENSIVE(cond) PT_ASSERT_OFF_(cond)
#endif

/* Validators and dumps are oracles: PT_NO_COVERAGE (partyfuzz/err.h). */
#include "partyfuzz/err.h"

/*
 * For validators of the form f(..., char *why, size_t len): a failed check
 * writes its message into @why (when given) and returns PT_E_CORRUPT.
 * That side runs only on a broken invariant, a bug in core/ or a planted
 * fault (fault.h, another build), so no input reaches it
 * (core/test/test_party_table.c makes pt_table_validate() fail on a
 * corrupted table). It is one function, _pt_check_fail(), marked for
 * ci/coverage.sh there, rather than code in the macro: source coverage
 * counts a macro's branches at each place it is used, so every check
 * would add the message's branches, never taken, to the figure.
 */
__attribute__((cold, format(printf, 3, 4))) int
_pt_check_fail(char *why, size_t len, const char *fmt, ...);

#define PT_CHECK(cond, ...)                                                   \
	do {                                                                  \
		if (!(cond))                                                  \
			return _pt_check_fail(why, len, __VA_ARGS__);         \
	} while (0)

/* For validators: a implies b; a if and only if b. */
#define PT_IMPLIES(a, b) (!(a) || (b))
#define PT_IFF(a, b) (!(a) == !(b))

#endif /* PARTYFUZZ_DEBUG_H */
