/*
 * layout.c - adapter from the scheduler's trace printer to the table's
 * own word naming (_pt_table_word()).
 */
#include "layout.h"

#include <stdio.h>

#include "../fuzz_util.h"

void ps_layout_learn(struct ps_layout *l, const struct pt_table *t)
{
	l->t = t;
}

PF_ORACLE unsigned ps_layout_width(const void *layout,
				   const volatile void *addr)
{
	const struct ps_layout *l = layout;
	char name[2], value[2];

	if (l->t == NULL)
		return 0;
	return _pt_table_word(l->t, addr, 0, name, sizeof(name), value,
			      sizeof(value));
}

PF_ORACLE void ps_layout_name(const struct ps_layout *l,
			      const volatile void *addr, char *buf, size_t len)
{
	char value[2];

	if (l->t != NULL && _pt_table_word(l->t, addr, 0, buf, len, value,
					   sizeof(value)) != 0)
		return;
	if (addr == NULL)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%p", (const void *)addr);
}

PF_ORACLE void ps_layout_value(const struct ps_layout *l,
			       const volatile void *addr, uint64_t v,
			       char *buf, size_t len)
{
	char name[2];

	if (l->t == NULL ||
	    _pt_table_word(l->t, addr, v, name, sizeof(name), buf, len) == 0)
		snprintf(buf, len, "?");
}
