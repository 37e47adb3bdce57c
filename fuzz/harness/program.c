/*
 * program.c - binary and text codecs of CoNDIS fuzz programs (program.h).
 *
 * Invariants the codecs keep, cited below:
 *   (P1) decoding never fails: every byte string is a program; missing
 *        bytes read 0.
 *   (P2) every decoded or parsed argument is < its kind's domain, and
 *        handle selectors of kinds 6 and 7 are normalised to kind 0, so a
 *        program has exactly one binary encoding.
 *   (P3) pf_format_op() prints every argument of the op in table order with
 *        a spelling pf_parse_text() maps back to the same value, so
 *        parse(print(p)) == p and decode(encode(p)) == p.
 *   (P4) text and binary are told apart by the first bytes alone
 *        (pf_is_text), and a text input is either parsed in full or
 *        refused with its line: the parser never falls back to binary,
 *        never stops early (a NUL byte is an error, not an end), and never
 *        lets a later key or config line silently win over an earlier one.
 */
#include "harness/program.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct op_info {
	const char *name;
	uint8_t arity;
	uint8_t kind[PF_MAX_ARGS];
};

static const struct op_info op_table[PF_OP_COUNT] = {
#define PF_OP_ROW_(name, id, arity, a0, a1, a2, a3, a4)                       \
	[id] = { #name, arity, { a0, a1, a2, a3, a4 } },
	PF_OP_ENTRIES(PF_OP_ROW_)
#undef PF_OP_ROW_
};

struct arg_info {
	const char *key;
	unsigned domain;
};

static const struct arg_info arg_table[PF_ARG_KIND_COUNT] = {
#define PF_ARG_ROW_(kind, id, key, domain) [id] = { key, domain },
	PF_ARG_ENTRIES(PF_ARG_ROW_)
#undef PF_ARG_ROW_
};

static const char *const status_names[PF_STATUS_COUNT] = {
#define PF_STATUS_NAME_(name, id, value) [id] = #name,
	PF_STATUS_ENTRIES(PF_STATUS_NAME_)
#undef PF_STATUS_NAME_
};

static const uint32_t status_values[PF_STATUS_COUNT] = {
#define PF_STATUS_VALUE_(name, id, value) [id] = value,
	PF_STATUS_ENTRIES(PF_STATUS_VALUE_)
#undef PF_STATUS_VALUE_
};

static const char *const ddi_names[PF_DDI_COUNT] = {
#define PF_DDI_NAME_(name, id, text) [id] = text,
	PF_DDI_ENTRIES(PF_DDI_NAME_)
#undef PF_DDI_NAME_
};

static const char *const actor_names[PF_ACTOR_COUNT] = { "client", "cm",
							 "net" };
static const char *const irql_names[4] = { "passive", "apc", "dispatch",
					   "high" };
static const unsigned irql_values[4] = { 0, 1, 2, 15 };
static const char *const deliver_names[1 + PF_MAX_CPUS] = { "sync", "cpu0",
							    "cpu1", "cpu2",
							    "cpu3" };
static const char *const flag_names[3] = { "other", "ctx", "data" };
static const uint8_t gen_bits_table[8] = { 1, 2, 3, 4, 8, 16, 32, 32 };

const char *pf_op_name(int code)
{
	return code >= 0 && code < PF_OP_COUNT ? op_table[code].name : "?";
}

unsigned pf_op_arity(int code)
{
	return code >= 0 && code < PF_OP_COUNT ? op_table[code].arity : 0;
}

int pf_op_arg_kind(int code, unsigned i)
{
	if (code < 0 || code >= PF_OP_COUNT || i >= op_table[code].arity)
		return PF_ARG_NONE;
	return op_table[code].kind[i];
}

const char *pf_status_name(int idx)
{
	return idx >= 0 && idx < PF_STATUS_COUNT ? status_names[idx] : "?";
}

uint32_t pf_status_value(int idx)
{
	return idx >= 0 && idx < PF_STATUS_COUNT ? status_values[idx]
						 : 0xC0000001u;
}

const char *pf_irql_name(int irql)
{
	return irql >= 0 && irql < 4 ? irql_names[irql] : "?";
}

unsigned pf_irql_value(int irql)
{
	return irql >= 0 && irql < 4 ? irql_values[irql] : 0;
}

/* (P2): reduce one argument byte to its kind's domain. */
static uint8_t reduce_arg(int kind, uint8_t b)
{
	uint8_t v = (uint8_t)(b % arg_table[kind].domain);

	if (kind == PF_ARG_HPARTY || kind == PF_ARG_HVC) {
		if ((v >> 5) >= 6)
			v = PF_HSEL(PF_HSEL_PARTY, v & 31);
		else if ((v >> 5) == PF_HSEL_NULL)
			v = PF_HSEL(PF_HSEL_NULL, 0); /* one NULL: "null" */
	}
	return v;
}

static void config_from_bytes(struct pf_config *cfg, const uint8_t b[4])
{
	cfg->flags = b[0] & PF_CFG_FLAGS_MASK;
	cfg->cpus = (uint8_t)(1 + b[1] % PF_MAX_CPUS);
	cfg->gen_bits = gen_bits_table[b[2] % 8];
}

/* The byte of gen_bits_table that decodes to @bits (the first one). */
static uint8_t gen_bits_byte(uint8_t bits)
{
	uint8_t i;

	for (i = 0; i < 8; i++)
		if (gen_bits_table[i] == bits)
			return i;
	return 6;
}

size_t pf_decode(const uint8_t *data, size_t size, struct pf_program *out)
{
	uint8_t hdr[PF_CONFIG_BYTES] = { 0, 0, 0, 0 };
	size_t pos = 0, i;

	for (i = 0; i < PF_CONFIG_BYTES && pos < size; i++)
		hdr[i] = data[pos++];
	config_from_bytes(&out->cfg, hdr);
	out->n = 0;
	while (pos < size && out->n < PF_MAX_OPS) {
		struct pf_op *op = &out->ops[out->n++];
		unsigned a, arity;

		op->code = (uint8_t)(data[pos++] % PF_OP_COUNT);
		arity = op_table[op->code].arity;
		memset(op->arg, 0, sizeof(op->arg));
		for (a = 0; a < arity; a++) {
			uint8_t b = pos < size ? data[pos++] : 0; /* (P1) */

			op->arg[a] = reduce_arg(op_table[op->code].kind[a], b);
		}
	}
	return pos;
}

size_t pf_encode(const struct pf_program *p, uint8_t *buf, size_t cap)
{
	size_t need = 0;
	uint32_t i;
	unsigned a;

#define PUT(b)                                                                \
	do {                                                                  \
		if (need < cap)                                               \
			buf[need] = (uint8_t)(b);                             \
		need++;                                                       \
	} while (0)
	PUT(p->cfg.flags & PF_CFG_FLAGS_MASK);
	PUT(p->cfg.cpus ? p->cfg.cpus - 1 : 0);
	PUT(gen_bits_byte(p->cfg.gen_bits));
	PUT(0);
	for (i = 0; i < p->n; i++) {
		const struct pf_op *op = &p->ops[i];

		PUT(op->code);
		for (a = 0; a < pf_op_arity(op->code); a++)
			PUT(op->arg[a]);
	}
#undef PUT
	return need;
}

/* Text output */

struct sbuf {
	char *p;
	size_t len, pos;
};

__attribute__((format(printf, 2, 3))) static void
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->pos >= sb->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->p + sb->pos, sb->len - sb->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->pos += (size_t)n;
}

static void format_hsel(struct sbuf *sb, uint8_t v)
{
	unsigned k = v & 31;

	switch (v >> 5) {
	case PF_HSEL_VC:
		sb_printf(sb, "v%u", k);
		break;
	case PF_HSEL_NULL:
		sb_printf(sb, "null");
		break;
	case PF_HSEL_NEXTGEN:
		sb_printf(sb, "p%u+gen", k);
		break;
	case PF_HSEL_FOREIGN:
		sb_printf(sb, "p%u@tag", k);
		break;
	case PF_HSEL_JUNK:
		sb_printf(sb, "junk%u", k);
		break;
	default:
		sb_printf(sb, "p%u", k);
		break;
	}
}

static void format_arg(struct sbuf *sb, int kind, uint8_t v)
{
	unsigned i, any = 0;

	sb_printf(sb, " %s=", arg_table[kind].key);
	switch (kind) {
	case PF_ARG_STATUS:
	case PF_ARG_CM:
		sb_printf(sb, "%s", status_names[v]);
		break;
	case PF_ARG_DELIVER:
		sb_printf(sb, "%s", deliver_names[v]);
		break;
	case PF_ARG_ACTOR:
		sb_printf(sb, "%s", actor_names[v]);
		break;
	case PF_ARG_IRQL:
		sb_printf(sb, "%s", irql_names[v]);
		break;
	case PF_ARG_DDI:
		sb_printf(sb, "%s", ddi_names[v]);
		break;
	case PF_ARG_HPARTY:
	case PF_ARG_HVC:
		format_hsel(sb, v);
		break;
	case PF_ARG_FLAGS:
		for (i = 0; i < 3; i++)
			if (v & (1u << i))
				sb_printf(sb, "%s%s", any++ ? "+" : "",
					  flag_names[i]);
		if (!any)
			sb_printf(sb, "none");
		break;
	default:
		sb_printf(sb, "%u", v);
		break;
	}
}

void pf_format_op(const struct pf_op *op, char *buf, size_t len)
{
	struct sbuf sb = { buf, len, 0 };
	unsigned a;

	if (len == 0)
		return;
	buf[0] = '\0';
	sb_printf(&sb, "%s", pf_op_name(op->code));
	for (a = 0; a < pf_op_arity(op->code); a++)
		format_arg(&sb, op_table[op->code].kind[a], op->arg[a]);
}

void pf_format_config(const struct pf_config *cfg, char *buf, size_t len)
{
	snprintf(buf, len,
		 "config drivers=%s cm=%s cpus=%u gen_bits=%u a2=%s a7=%s "
		 "close_data=%u",
		 cfg->flags & PF_CFG_PUPPET ? "puppet" : "reference",
		 cfg->flags & PF_CFG_MCM ? "mcm" : "cm", cfg->cpus,
		 cfg->gen_bits,
		 cfg->flags & PF_CFG_A2_CONNECTING ? "connecting" : "active",
		 cfg->flags & PF_CFG_A7_NO_REUSE ? "no-reuse" : "reuse",
		 cfg->flags & PF_CFG_CLOSE_DATA ? 1u : 0u);
	/* Keys added later print only when not at their default, so that
	 * older programs keep their canonical text (and golden traces). */
	if (cfg->flags & PF_CFG_A12_EARLY)
		snprintf(buf + strlen(buf), len - strlen(buf), " a12=early");
	if (cfg->flags & PF_CFG_LAST_PARTY_CM)
		snprintf(buf + strlen(buf), len - strlen(buf),
			 " last_party=cm");
}

void pf_program_print(const struct pf_program *p, FILE *out)
{
	char line[128];
	uint32_t i;

	pf_format_config(&p->cfg, line, sizeof(line));
	fprintf(out, "%s\n%s\n", PF_TEXT_HEADER, line);
	for (i = 0; i < p->n; i++) {
		pf_format_op(&p->ops[i], line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
}

int pf_program_equal(const struct pf_program *a, const struct pf_program *b)
{
	uint32_t i;

	if (a->cfg.flags != b->cfg.flags || a->cfg.cpus != b->cfg.cpus ||
	    a->cfg.gen_bits != b->cfg.gen_bits || a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->ops[i].code != b->ops[i].code ||
		    memcmp(a->ops[i].arg, b->ops[i].arg, PF_MAX_ARGS) != 0)
			return 0;
	return 1;
}

/*
 * Text input: no coverage instrumentation from here to the end of the
 * file (clang; the fuzz builds). An input that starts with the magic but
 * does not parse must have no coverage of its own (harness/target.h,
 * pf_target_one), so that no libFuzzer keeps it. A text program that
 * parses is worth what its run reaches, like its binary encoding; the
 * parser's own branches would only teach the fuzzer text.
 */
#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), \
			     apply_to = function)
#endif

/*
 * (P4). No memcmp(): libFuzzer's hook on memcmp() would hand the magic to
 * its mutation dictionary and the fuzzers would spend their executions in
 * the text parser (binary is their format), and a chain of early-exit
 * byte compares may be merged into one memcmp() by the compiler. One pass
 * that ORs the differences has no early exit to merge.
 */
int pf_is_text(const uint8_t *data, size_t size)
{
	static const char magic[] = PF_TEXT_MAGIC;
	unsigned diff = 0;
	size_t i;

	if (size < sizeof(magic) - 1)
		return 0;
	for (i = 0; i < sizeof(magic) - 1; i++)
		diff |= data[i] ^ (uint8_t)magic[i];
	return diff == 0;
}

/* Text input */

static int lookup_name(const char *const *names, unsigned n, const char *s)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

/* A decimal number < limit, or -1. */
static int parse_uint(const char *s, unsigned limit)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoul(s, &end, 10);
	return *end == '\0' && v < limit ? (int)v : -1;
}

static int parse_hsel(const char *s)
{
	char tail[16];
	unsigned k;
	int n = 0;

	if (strcmp(s, "null") == 0)
		return PF_HSEL(PF_HSEL_NULL, 0);
	if (sscanf(s, "junk%u%n", &k, &n) == 1 && s[n] == '\0' && k < 32)
		return PF_HSEL(PF_HSEL_JUNK, k);
	if (sscanf(s, "v%u%n", &k, &n) == 1 && s[n] == '\0' && k < 32)
		return PF_HSEL(PF_HSEL_VC, k);
	if (sscanf(s, "p%u%n", &k, &n) != 1 || k >= 32)
		return -1;
	snprintf(tail, sizeof(tail), "%s", s + n);
	if (tail[0] == '\0')
		return PF_HSEL(PF_HSEL_PARTY, k);
	if (strcmp(tail, "+gen") == 0)
		return PF_HSEL(PF_HSEL_NEXTGEN, k);
	if (strcmp(tail, "@tag") == 0)
		return PF_HSEL(PF_HSEL_FOREIGN, k);
	return -1;
}

static int parse_flags(const char *s)
{
	char copy[32], *tok, *save = NULL;
	int v = 0, f;

	if (strcmp(s, "none") == 0)
		return 0;
	snprintf(copy, sizeof(copy), "%s", s);
	for (tok = strtok_r(copy, "+", &save); tok;
	     tok = strtok_r(NULL, "+", &save)) {
		f = lookup_name(flag_names, 3, tok);
		if (f < 0)
			return -1;
		v |= 1 << f;
	}
	return v;
}

/* (P3): the inverse of format_arg(). */
static int parse_arg(int kind, const char *s)
{
	switch (kind) {
	case PF_ARG_STATUS:
	case PF_ARG_CM:
		return lookup_name(status_names, PF_STATUS_COUNT, s);
	case PF_ARG_DELIVER:
		return lookup_name(deliver_names, 1 + PF_MAX_CPUS, s);
	case PF_ARG_ACTOR:
		return lookup_name(actor_names, PF_ACTOR_COUNT, s);
	case PF_ARG_IRQL:
		return lookup_name(irql_names, 4, s);
	case PF_ARG_DDI:
		return lookup_name(ddi_names, PF_DDI_COUNT, s);
	case PF_ARG_HPARTY:
	case PF_ARG_HVC:
		return parse_hsel(s);
	case PF_ARG_FLAGS:
		return parse_flags(s);
	default:
		return parse_uint(s, arg_table[kind].domain);
	}
}

/* Parser state: where the error goes. */
struct perr {
	unsigned line;
	char *msg;
	size_t len;
};

__attribute__((format(printf, 2, 3))) static int
set_err(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	if (e->len) {
		va_start(ap, fmt);
		vsnprintf(e->msg, e->len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The config keys, in the order of the bits that mark them seen. */
static const char *const config_keys[] = { "drivers", "close_data", "cm",
					   "a2",      "a7",         "cpus",
					   "gen_bits", "a12",        "last_party" };

/* Set or clear @bit of the flags by a two-valued key: 0 or -1. */
static int config_flag(struct pf_config *cfg, const char *v, const char *on,
		       const char *off, uint8_t bit)
{
	if (strcmp(v, on) == 0)
		cfg->flags |= bit;
	else if (strcmp(v, off) == 0)
		cfg->flags &= (uint8_t)~bit;
	else
		return -1;
	return 0;
}

static int parse_config(char *save, struct pf_config *cfg, struct perr *e)
{
	char *tok, *eq;
	unsigned k, seen = 0;
	int v, bad;

	while ((tok = strtok_r(NULL, " \t\r", &save)) != NULL) {
		eq = strchr(tok, '=');
		if (!eq)
			return set_err(e, "expected config key=value, got '%s'",
				       tok);
		*eq++ = '\0';
		for (k = 0; k < sizeof(config_keys) / sizeof(config_keys[0]);
		     k++)
			if (strcmp(tok, config_keys[k]) == 0)
				break;
		if (k == sizeof(config_keys) / sizeof(config_keys[0]))
			return set_err(e, "unknown config key '%s'", tok);
		if (seen & (1u << k))
			return set_err(e, "config key '%s' given twice", tok);
		seen |= 1u << k;
		switch (k) {
		case 0:
			bad = config_flag(cfg, eq, "puppet", "reference",
					  PF_CFG_PUPPET);
			break;
		case 1:
			bad = config_flag(cfg, eq, "1", "0", PF_CFG_CLOSE_DATA);
			break;
		case 2:
			bad = config_flag(cfg, eq, "mcm", "cm", PF_CFG_MCM);
			break;
		case 3:
			bad = config_flag(cfg, eq, "connecting", "active",
					  PF_CFG_A2_CONNECTING);
			break;
		case 4:
			bad = config_flag(cfg, eq, "no-reuse", "reuse",
					  PF_CFG_A7_NO_REUSE);
			break;
		case 5:
			v = parse_uint(eq, PF_MAX_CPUS + 1);
			bad = v <= 0;
			if (!bad)
				cfg->cpus = (uint8_t)v;
			break;
		case 7:
			bad = config_flag(cfg, eq, "early", "late",
					  PF_CFG_A12_EARLY);
			break;
		case 8:
			bad = config_flag(cfg, eq, "cm", "ndis",
					  PF_CFG_LAST_PARTY_CM);
			break;
		default:
			v = parse_uint(eq, 33);
			bad = v <= 0 ||
			      gen_bits_table[gen_bits_byte((uint8_t)v)] != v;
			if (!bad)
				cfg->gen_bits = (uint8_t)v;
			break;
		}
		if (bad)
			return set_err(e, "bad value '%s' of config key '%s'",
				       eq, tok);
	}
	return 0;
}

static int parse_op(const char *name, char *save, struct pf_op *op,
		    struct perr *e)
{
	char *tok, *eq;
	unsigned a, seen = 0;
	int code, v;

	for (code = 0; code < PF_OP_COUNT; code++)
		if (strcmp(op_table[code].name, name) == 0)
			break;
	if (code == PF_OP_COUNT)
		return set_err(e, "unknown operation '%s'", name);
	op->code = (uint8_t)code;
	memset(op->arg, 0, sizeof(op->arg));
	while ((tok = strtok_r(NULL, " \t\r", &save)) != NULL) {
		eq = strchr(tok, '=');
		if (!eq)
			return set_err(e, "expected key=value, got '%s'", tok);
		*eq++ = '\0';
		for (a = 0; a < op_table[code].arity; a++)
			if (strcmp(arg_table[op_table[code].kind[a]].key,
				   tok) == 0)
				break;
		if (a == op_table[code].arity)
			return set_err(e, "unknown key '%s' of %s", tok, name);
		if (seen & (1u << a))
			return set_err(e, "key '%s' given twice", tok);
		seen |= 1u << a;
		v = parse_arg(op_table[code].kind[a], eq);
		if (v < 0)
			return set_err(e, "bad value '%s' of key '%s'", eq,
				       tok);
		op->arg[a] = (uint8_t)v;
	}
	return 0;
}

/* (P4): printable ASCII, tabs and carriage returns; the byte's column. */
static size_t bad_byte(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!(c == '\t' || c == '\r' || (c >= 0x20 && c <= 0x7e)))
			return i + 1;
	}
	return 0;
}

int pf_parse_text(const char *text, size_t len, struct pf_program *out,
		  unsigned *line, char *err, size_t errlen)
{
	struct perr e = { 0, err, errlen };
	char buf[256], *save, *tok, *hash;
	unsigned config_line = 0;
	size_t pos = 0, n, col;
	const char *p, *nl;
	int rc = -1;

	memset(&out->cfg, 0, sizeof(out->cfg));
	out->cfg.cpus = 1;
	out->cfg.gen_bits = 32;
	out->n = 0;
	while (pos < len) {
		p = text + pos;
		nl = memchr(p, '\n', len - pos);
		n = nl ? (size_t)(nl - p) : len - pos;
		pos += n + (nl ? 1 : 0);
		e.line++;
		col = bad_byte(p, n);
		if (col) {
			unsigned char c = (unsigned char)p[col - 1];

			set_err(&e,
				"%s byte 0x%02x at column %zu (a text program "
				"is printable ASCII)",
				c >= 0x80 ? "non-ASCII" : "control", c, col);
			goto out;
		}
		if (n >= sizeof(buf)) {
			set_err(&e, "line longer than %zu characters",
				sizeof(buf) - 1);
			goto out;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (e.line == 1) {
			if (n > 0 && buf[n - 1] == '\r')
				buf[n - 1] = '\0';
			if (strcmp(buf, PF_TEXT_HEADER) != 0) {
				set_err(&e, "first line '%.40s' is not '%s'",
					buf, PF_TEXT_HEADER);
				goto out;
			}
			continue;
		}
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		save = NULL;
		tok = strtok_r(buf, " \t\r", &save);
		if (!tok)
			continue;
		if (strcmp(tok, "config") == 0) {
			if (config_line) {
				set_err(&e,
					"a second config line (the first is "
					"line %u)",
					config_line);
				goto out;
			}
			if (out->n > 0) {
				set_err(&e, "the config line comes after an "
					    "operation");
				goto out;
			}
			config_line = e.line;
			if (parse_config(save, &out->cfg, &e) < 0)
				goto out;
			continue;
		}
		if (!config_line) {
			set_err(&e, "'%s' before the config line", tok);
			goto out;
		}
		if (out->n >= PF_MAX_OPS) {
			set_err(&e, "more than %d operations", PF_MAX_OPS);
			goto out;
		}
		if (parse_op(tok, save, &out->ops[out->n], &e) < 0)
			goto out;
		out->n++;
	}
	if (e.line == 0) {
		e.line = 1;
		set_err(&e, "empty text (the first line is '%s')",
			PF_TEXT_HEADER);
	} else if (!config_line) {
		set_err(&e, "no config line (a program has at least its "
			    "config)");
	} else {
		rc = 0;
	}
out:
	if (line)
		*line = rc ? e.line : 0;
	return rc;
}

#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute pop
#endif
