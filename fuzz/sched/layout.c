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
	l->mbox = NULL;
	l->nmbox = 0;
}

void ps_layout_mailboxes(struct ps_layout *l, const volatile void *mbox,
			 unsigned n)
{
	l->mbox = mbox;
	l->nmbox = n;
}

/* Index of the mailbox at addr, or -1. */
PT_NO_COVERAGE static int mbox_index(const struct ps_layout *l,
				     const volatile void *addr)
{
	unsigned i;

	for (i = 0; i < l->nmbox; i++)
		if ((const volatile void *)&l->mbox[i] == addr)
			return (int)i;
	return -1;
}

PT_NO_COVERAGE int ps_layout_publishes(const void *layout,
				       const volatile void *addr, uint64_t old,
				       uint64_t v)
{
	const struct ps_layout *l = layout;

	return l->t != NULL && _pt_table_publishes(l->t, addr, old, v);
}

PT_NO_COVERAGE unsigned ps_layout_width(const void *layout,
					const volatile void *addr)
{
	const struct ps_layout *l = layout;
	char name[2], value[2];

	if (mbox_index(l, addr) >= 0)
		return 8;
	if (l->t == NULL)
		return 0;
	return _pt_table_word(l->t, addr, 0, name, sizeof(name), value,
			      sizeof(value));
}

PT_NO_COVERAGE unsigned ps_layout_loc(const void *layout, const volatile void *addr)
{
	const struct ps_layout *l = layout;
	char name[48], value[2];
	unsigned slot;
	int m = mbox_index(l, addr);

	if (m >= 0)
		return 0x100u + (unsigned)m;
	if (l->t == NULL || _pt_table_word(l->t, addr, 0, name, sizeof(name),
					   value, sizeof(value)) == 0)
		return 0;
	if (sscanf(name, "slot %u", &slot) == 1)
		return 1u + slot;
	return 0x200u; /* the free-list head */
}

PT_NO_COVERAGE void ps_layout_name(const struct ps_layout *l,
			      const volatile void *addr, char *buf, size_t len)
{
	char value[2];
	int m = mbox_index(l, addr);

	if (m >= 0) {
		snprintf(buf, len, "T%d mailbox", m);
		return;
	}
	if (l->t != NULL &&
	    _pt_table_word(l->t, addr, 0, buf, len, value, sizeof(value)) != 0)
		return;
	if (addr == NULL)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%p", (const void *)addr);
}

PT_NO_COVERAGE void ps_layout_value(const struct ps_layout *l,
				    const volatile void *addr, uint64_t v,
				    char *buf, size_t len)
{
	char name[2];

	if (mbox_index(l, addr) >= 0) {
		if (v == 0)
			snprintf(buf, len, "empty");
		else
			snprintf(buf, len, "handle gen %u slot %u",
				 pt_handle_gen(v), pt_handle_index(v));
		return;
	}
	if (l->t == NULL ||
	    _pt_table_word(l->t, addr, v, name, sizeof(name), buf, len) == 0)
		snprintf(buf, len, "?");
}
