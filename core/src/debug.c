/*
 * debug.c - the assertion failure handler of debug.h.
 *
 * Never allocates: the state it reports may be what is broken.
 */
#include "debug.h"

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
