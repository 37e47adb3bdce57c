/*
 * debug.c - the failure handlers of debug.h: a failed assertion, a failed
 * validator check.
 *
 * Never allocates: the state it reports may be what is broken.
 */
#include "debug.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void (*dump_hook)(void *arg);
static void *dump_arg;

void _pt_assert_set_dump_hook(void (*hook)(void *arg), void *arg)
{
	dump_hook = hook;
	dump_arg = arg;
}

/* LCOV_EXCL_START: runs only on a broken invariant (a bug in core/ or a
 * planted fault) and ends in abort(), which writes no profile. */
void _pt_assert_fail(const char *expr, const char *file, int line,
		     const char *func)
{
	fprintf(stderr, "partyfuzz: assertion failed: %s\n  at %s:%d in %s()\n",
		expr, file, line, func);
	if (dump_hook != NULL) {
		void (*hook)(void *arg) = dump_hook;

		dump_hook = NULL; /* a failing hook must not recurse */
		hook(dump_arg);
	}
	fflush(stderr);
	abort();
}
/* LCOV_EXCL_STOP */

/* LCOV_EXCL_START: a failed validator check: runs only on a broken
 * invariant (a bug in core/ or a planted fault), see PT_CHECK. */
int _pt_check_fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && len > 0) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return PT_E_CORRUPT;
}
/* LCOV_EXCL_STOP */
