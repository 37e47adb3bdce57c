/*
 * json_check.c - is a file one well-formed JSON value (RFC 8259)? For the
 * test of `partyfuzz show --format=trace-json` (test_show.sh), so that the
 * check needs no interpreter or package beyond the build itself.
 *
 *   json_check FILE    exit 0 and "ok" if FILE holds exactly one JSON
 *                      value (whitespace around it), else exit 1 with the
 *                      byte offset and what was expected there.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *p, *start, *why;

static void ws(void)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
}

static int value(int depth);

static int string(void)
{
	if (*p != '"')
		return why = "a string", 0;
	for (p++; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return why = "no control byte in a string", 0;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return why = "4 hex digits", 0;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || *p == '\0') {
				return why = "an escape", 0;
			}
		}
	}
	p++;
	return 1;
}

static int number(void)
{
	const char *q = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (isdigit((unsigned char)*p))
		while (isdigit((unsigned char)*p))
			p++;
	else
		return why = "a value", p = q, 0;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return why = "a digit", 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return why = "a digit", 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return 1;
}

static int value(int depth)
{
	if (depth > 64)
		return why = "less nesting", 0;
	ws();
	if (*p == '{') {
		p++;
		ws();
		if (*p == '}')
			return p++, 1;
		for (;;) {
			ws();
			if (!string())
				return 0;
			ws();
			if (*p++ != ':')
				return p--, why = "':'", 0;
			if (!value(depth + 1))
				return 0;
			ws();
			if (*p == '}')
				return p++, 1;
			if (*p++ != ',')
				return p--, why = "',' or '}'", 0;
		}
	}
	if (*p == '[') {
		p++;
		ws();
		if (*p == ']')
			return p++, 1;
		for (;;) {
			if (!value(depth + 1))
				return 0;
			ws();
			if (*p == ']')
				return p++, 1;
			if (*p++ != ',')
				return p--, why = "',' or ']'", 0;
		}
	}
	if (*p == '"')
		return string();
	if (strncmp(p, "true", 4) == 0 || strncmp(p, "null", 4) == 0)
		return p += 4, 1;
	if (strncmp(p, "false", 5) == 0)
		return p += 5, 1;
	return number();
}

int main(int argc, char **argv)
{
	static char buf[1 << 24];
	size_t n;
	FILE *f;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: json_check FILE\n");
		return 2;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (strlen(buf) != n) {
		fprintf(stderr, "%s: a NUL byte\n", argv[1]);
		return 1;
	}
	p = start = buf;
	if (value(0)) {
		ws();
		if (*p == '\0') {
			printf("ok\n");
			return 0;
		}
		why = "the end";
	}
	fprintf(stderr, "%s: offset %ld: expected %s\n", argv[1],
		(long)(p - start), why ? why : "a value");
	return 1;
}
