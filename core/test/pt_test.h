/*
 * pt_test.h - the unit-test harness of partyfuzz (after KUnit and liburcu's
 * tap.h).
 *
 * A test file is a table of cases and a main:
 *
 *	static void test_alloc_full(struct pt_test *test)
 *	{
 *		PT_ASSERT_OK(test, pt_table_create(&cfg, &t));
 *		PT_EXPECT_ERR(test, pt_party_alloc(t, 0, PT_ADDING, 0, &h),
 *			      PT_E_FULL);
 *	}
 *
 *	static const struct pt_test_case cases[] = {
 *		PT_TEST_CASE(test_alloc_full),
 *		PT_TEST_END,
 *	};
 *	PT_TEST_MAIN("party_table", cases)
 *
 * PT_EXPECT_* record a failure and let the case go on (so one run reports
 * every broken expectation); PT_ASSERT_* record it and abort the case at
 * once (longjmp back to the runner), for checks the rest of the case
 * depends on. A case that fails neither passes.
 *
 * Output is TAP version 13 on stdout, one line per case:
 *
 *	TAP version 13
 *	1..N
 *	ok 1 - test_create_args
 *	# test_party_table.c:120: expected pt_party_lookup(...) == PT_E_STALE,
 *	#   got PT_OK
 *	not ok 2 - test_retire_stale
 *	# party_table: 1 failed, 1 passed, 2 cases
 *
 * The process exits 1 if any case failed, 0 otherwise. Arguments, if any,
 * select the cases whose name contains one of them (a filter that selects
 * nothing is an error, exit 2).
 *
 * A case that crashes (sanitizer, PT_ASSERT_INTERNAL in the core, signal)
 * ends the process: the last "# running" line names it. Everything here is
 * single-threaded; cases run in table order; nothing depends on the clock.
 */
#ifndef PARTYFUZZ_PT_TEST_H
#define PARTYFUZZ_PT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partyfuzz/err.h"

struct pt_test {
	const char *name;   /* the running case */
	unsigned failures;  /* failed expectations and assertions so far */
	jmp_buf abort_case; /* where PT_ASSERT_* jumps */
};

struct pt_test_case {
	const char *name;
	void (*run)(struct pt_test *test);
};

/* clang-format off: it would spread these initialisers over lines. */
#define PT_TEST_CASE(fn)                                                      \
	{                                                                     \
#fn, fn                                                       \
	}
#define PT_TEST_END                                                           \
	{                                                                     \
		NULL, NULL                                                    \
	}
/* clang-format on */

/* Private: the harness proper. */

static inline void _pt_test_fail(struct pt_test *test, const char *file,
				 int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline void _pt_test_fail(struct pt_test *test, const char *file,
				 int line, const char *fmt, ...)
{
	const char *base = strrchr(file, '/');
	va_list ap;

	test->failures++;
	printf("# %s:%d: ", base ? base + 1 : file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Abort the case: back to pt_test_run(). */
static inline void _pt_test_abort(struct pt_test *test)
{
	longjmp(test->abort_case, 1);
}

#define _PT_CHECK_CMP(test, abort, a, op, b)                                  \
	do {                                                                  \
		long long _pt_a = (long long)(a);                             \
		long long _pt_b = (long long)(b);                             \
		if (!(_pt_a op _pt_b)) {                                      \
			_pt_test_fail((test), __FILE__, __LINE__,             \
				      "expected %s %s %s, got %lld vs %lld",  \
				      #a, #op, #b, _pt_a, _pt_b);             \
			if (abort)                                            \
				_pt_test_abort(test);                         \
		}                                                             \
	} while (0)

/* Unsigned 64-bit values (handles) are printed in hex. */
#define _PT_CHECK_CMP_U64(test, abort, a, op, b)                              \
	do {                                                                  \
		uint64_t _pt_a = (uint64_t)(a);                               \
		uint64_t _pt_b = (uint64_t)(b);                               \
		if (!(_pt_a op _pt_b)) {                                      \
			_pt_test_fail((test), __FILE__, __LINE__,             \
				      "expected %s %s %s, got 0x%llx vs "     \
				      "0x%llx",                               \
				      #a, #op, #b, (unsigned long long)_pt_a, \
				      (unsigned long long)_pt_b);             \
			if (abort)                                            \
				_pt_test_abort(test);                         \
		}                                                             \
	} while (0)

#define _PT_CHECK_ERR(test, abort, expr, want)                                \
	do {                                                                  \
		int _pt_got = (expr);                                         \
		int _pt_want = (want);                                        \
		if (_pt_got != _pt_want) {                                    \
			_pt_test_fail((test), __FILE__, __LINE__,             \
				      "expected %s == %s, got %s", #expr,     \
				      pt_err_name(_pt_want),                  \
				      pt_err_name(_pt_got));                  \
			if (abort)                                            \
				_pt_test_abort(test);                         \
		}                                                             \
	} while (0)

#define _PT_CHECK_STR(test, abort, a, b)                                      \
	do {                                                                  \
		const char *_pt_a = (a);                                      \
		const char *_pt_b = (b);                                      \
		if (_pt_a == NULL || _pt_b == NULL ||                         \
		    strcmp(_pt_a, _pt_b) != 0) {                              \
			_pt_test_fail((test), __FILE__, __LINE__,             \
				      "expected %s == \"%s\", got \"%s\"",    \
				      #a, _pt_b ? _pt_b : "(null)",           \
				      _pt_a ? _pt_a : "(null)");              \
			if (abort)                                            \
				_pt_test_abort(test);                         \
		}                                                             \
	} while (0)

/* EXPECT: record and continue. */
#define PT_EXPECT_TRUE(test, c) _PT_CHECK_CMP(test, 0, !!(c), ==, 1)
#define PT_EXPECT_FALSE(test, c) _PT_CHECK_CMP(test, 0, !!(c), ==, 0)
#define PT_EXPECT_EQ(test, a, b) _PT_CHECK_CMP(test, 0, a, ==, b)
#define PT_EXPECT_NE(test, a, b) _PT_CHECK_CMP(test, 0, a, !=, b)
#define PT_EXPECT_LT(test, a, b) _PT_CHECK_CMP(test, 0, a, <, b)
#define PT_EXPECT_HANDLE_EQ(test, a, b) _PT_CHECK_CMP_U64(test, 0, a, ==, b)
#define PT_EXPECT_HANDLE_NE(test, a, b) _PT_CHECK_CMP_U64(test, 0, a, !=, b)
#define PT_EXPECT_ERR(test, expr, want) _PT_CHECK_ERR(test, 0, expr, want)
#define PT_EXPECT_OK(test, expr) _PT_CHECK_ERR(test, 0, expr, PT_OK)
#define PT_EXPECT_STREQ(test, a, b) _PT_CHECK_STR(test, 0, a, b)

/* ASSERT: record and abort the case. */
#define PT_ASSERT_TRUE(test, c) _PT_CHECK_CMP(test, 1, !!(c), ==, 1)
#define PT_ASSERT_EQ(test, a, b) _PT_CHECK_CMP(test, 1, a, ==, b)
#define PT_ASSERT_ERR(test, expr, want) _PT_CHECK_ERR(test, 1, expr, want)
#define PT_ASSERT_OK(test, expr) _PT_CHECK_ERR(test, 1, expr, PT_OK)

static inline int _pt_test_selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc <= 1)
		return 1;
	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Runs one case; its own frame holds the setjmp, so that no local of
 * pt_test_run() is live across the longjmp (C11 7.13.2.1p3).
 * Return: the number of failed checks of the case.
 */
static inline unsigned _pt_test_run_case(const struct pt_test_case *c)
{
	/* Static: read after the longjmp, yet changed since the setjmp. */
	static struct pt_test test;

	memset(&test, 0, sizeof(test));
	test.name = c->name;
	printf("# running %s\n", c->name);
	fflush(stdout);
	if (setjmp(test.abort_case) == 0)
		c->run(&test);
	else
		printf("# %s: aborted by a failed assertion\n", test.name);
	return test.failures;
}

/**
 * pt_test_run() - run a case table, print TAP, return the exit status.
 * @suite: name printed in the closing line.
 * @cases: the table, ended by PT_TEST_END.
 * @argc: main's argc; argv[1..] filter case names (substring match).
 * @argv: main's argv.
 *
 * Context: single-threaded, from main().
 * Return: 0 if every selected case passed, 1 if one failed, 2 if the
 * filter selected no case.
 */
static inline int pt_test_run(const char *suite,
			      const struct pt_test_case *cases, int argc,
			      char **argv)
{
	const struct pt_test_case *c;
	unsigned planned = 0, n = 0, failed = 0;

	for (c = cases; c->name != NULL; c++)
		if (_pt_test_selected(c->name, argc, argv))
			planned++;
	printf("TAP version 13\n1..%u\n", planned);
	if (planned == 0) {
		printf("# %s: no case matches the filter\n", suite);
		return 2;
	}
	for (c = cases; c->name != NULL; c++) {
		unsigned failures;

		if (!_pt_test_selected(c->name, argc, argv))
			continue;
		n++;
		failures = _pt_test_run_case(c);
		if (failures != 0)
			failed++;
		printf("%s %u - %s\n", failures ? "not ok" : "ok", n, c->name);
		fflush(stdout);
	}
	printf("# %s: %u failed, %u passed, %u cases\n", suite, failed,
	       n - failed, n);
	return failed ? 1 : 0;
}

#define PT_TEST_MAIN(suite, cases)                                            \
	int main(int argc, char **argv)                                       \
	{                                                                     \
		return pt_test_run((suite), (cases), argc, argv);             \
	}

#endif /* PARTYFUZZ_PT_TEST_H */
