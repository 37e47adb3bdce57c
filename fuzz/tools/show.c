/*
 * show.c - a CoNDIS run as a picture (show.h): capture through the run
 * hook, then lay out and write HTML+SVG, Chrome trace-event JSON, or the
 * state graphs with their coverage as DOT.
 *
 * Capture. The run hook (run.h) hands over, in order, every operation,
 * every engine step (complete), every report line and every state-machine
 * row taken. A row taken names the step that was running (condis.h,
 * cn_transition_fn), so a handle's state after step s is the `to` of its
 * last row at or before s: nothing here re-derives the engine's state
 * machine from the DDIs, the picture shows what the engine did.
 *
 * Layout (HTML). Time runs down, one row per step; an operation starts
 * with a header row, a network event (incoming_drop, incoming_close) with
 * a network -> CM row of its own. Columns, left to right: the step
 * number, one IRQL band per CPU, the lanes (client, DPC cpu0..n-1, NDIS,
 * CM/MCM, network), then one column per handle, party handles first,
 * grouped by slot so that a reused slot's generations stand side by side.
 *
 * Invariants:
 *   W1 Steps are kept in the order the hook gave them, which is step
 *      order (run.h R1); rows and transitions refer to steps by number.
 *   W2 Everything printed is a function of the capture alone: no address
 *      or context pointer is printed, so the output is deterministic.
 *   W3 Capacities are fixed; what does not fit is counted and said
 *      (a "truncated" note), never written past.
 */
#include "tools/show.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "partyfuzz/condis.h"
#include "partyfuzz/party_table.h"
#include "partyfuzz/rules.h"

#include "contract_text.h" /* generated from CONTRACT.md */

#define SH_MAX_STEPS 4096
#define SH_MAX_OPS 1024
#define SH_MAX_REPORTS 256
#define SH_MAX_TR 4096
#define SH_MAX_HANDLES 64
#define SH_LINE 256

struct sh_op {
	int index;      /* program operation, -1 for a phase */
	uint8_t code;   /* enum pf_opcode; 0xff for a phase */
	uint32_t first; /* index in sh.steps of its first step */
	char what[128];
};

struct sh_report {
	uint64_t step;
	char line[SH_LINE];
};

struct sh_tr {
	uint64_t step;
	uint32_t row;
	uint64_t handle;
	int from, to;
};

struct sh_handle {
	uint64_t h;
	int vc; /* 1 for a VC handle */
};

static struct {
	const struct pf_program *p;
	struct cn_trace_entry steps[SH_MAX_STEPS];
	uint32_t nsteps;
	struct sh_op ops[SH_MAX_OPS];
	uint32_t nops;
	struct sh_report reports[SH_MAX_REPORTS];
	uint32_t nreports;
	struct sh_tr trs[SH_MAX_TR];
	uint32_t ntrs;
	struct sh_handle handles[SH_MAX_HANDLES];
	uint32_t nhandles;
	uint32_t first_vc; /* index of the first VC handle */
	uint64_t died;     /* the step ASan stopped the run in, or 0 */
	int puppet;        /* as pf_run_opts.puppet */
	uint32_t lost;     /* W3 */
	unsigned ncpu;
	int mcm;
} sh;

/* ---- capture -------------------------------------------------------- */

static void cap_op(void *arg, int index, const struct pf_op *op,
		   const char *what)
{
	struct sh_op *o;

	(void)arg;
	if (sh.nops == SH_MAX_OPS) {
		sh.lost++;
		return;
	}
	o = &sh.ops[sh.nops++];
	o->index = index;
	o->code = op ? op->code : 0xff;
	o->first = sh.nsteps;
	snprintf(o->what, sizeof(o->what), "%s", what);
}

static void cap_step(void *arg, const struct cn_trace_entry *e)
{
	(void)arg;
	if (sh.nsteps == SH_MAX_STEPS) {
		sh.lost++;
		return;
	}
	sh.steps[sh.nsteps++] = *e;
}

static void cap_report(void *arg, uint64_t step, const char *line)
{
	(void)arg;
	if (sh.nreports == SH_MAX_REPORTS) {
		sh.lost++;
		return;
	}
	sh.reports[sh.nreports].step = step;
	snprintf(sh.reports[sh.nreports].line, SH_LINE, "%s", line);
	sh.nreports++;
}

static void cap_transition(void *arg, uint64_t step, uint32_t row,
			   uint64_t handle, int from, int to)
{
	(void)arg;
	if (sh.ntrs == SH_MAX_TR) {
		sh.lost++;
		return;
	}
	sh.trs[sh.ntrs].step = step;
	sh.trs[sh.ntrs].row = row;
	sh.trs[sh.ntrs].handle = handle;
	sh.trs[sh.ntrs].from = from;
	sh.trs[sh.ntrs].to = to;
	sh.ntrs++;
}

static const struct pf_run_hook cap_hook = { cap_op, cap_step, cap_report,
					     cap_transition, NULL };

static int is_party(uint64_t h)
{
	return h != 0 && pt_handle_tag(h) == CN_TAG_PARTY;
}

static int is_vc(uint64_t h)
{
	return h != 0 && pt_handle_tag(h) == CN_TAG_VC;
}

static void handle_note(uint64_t h)
{
	uint32_t i;

	if (!is_party(h) && !is_vc(h))
		return;
	for (i = 0; i < sh.nhandles; i++)
		if (sh.handles[i].h == h)
			return;
	if (sh.nhandles == SH_MAX_HANDLES) {
		sh.lost++;
		return;
	}
	sh.handles[sh.nhandles].h = h;
	sh.handles[sh.nhandles].vc = is_vc(h);
	sh.nhandles++;
}

/* Party handles first, then VCs; by slot, then generation. */
static int handle_cmp(const void *a, const void *b)
{
	const struct sh_handle *x = a, *y = b;

	if (x->vc != y->vc)
		return x->vc - y->vc;
	if (pt_handle_index(x->h) != pt_handle_index(y->h))
		return pt_handle_index(x->h) < pt_handle_index(y->h) ? -1 : 1;
	if (pt_handle_gen(x->h) != pt_handle_gen(y->h))
		return pt_handle_gen(x->h) < pt_handle_gen(y->h) ? -1 : 1;
	return 0;
}

static void collect_handles(void)
{
	uint32_t i;

	for (i = 0; i < sh.ntrs; i++)
		handle_note(sh.trs[i].handle);
	for (i = 0; i < sh.nsteps; i++) {
		const struct cn_trace_entry *e = &sh.steps[i];

		if (e->fn == CN_FN_KeRaiseIrql || e->fn == CN_FN_KeLowerIrql ||
		    e->fn == CN_FN_HarnessNote)
			continue;
		handle_note(e->handle);
		handle_note(e->party);
		if (e->fn == CN_FN_NdisCoCreateVc ||
		    e->fn == CN_FN_NdisMCmCreateVc)
			handle_note(e->out);
	}
	qsort(sh.handles, sh.nhandles, sizeof(sh.handles[0]), handle_cmp);
	for (sh.first_vc = 0; sh.first_vc < sh.nhandles; sh.first_vc++)
		if (sh.handles[sh.first_vc].vc)
			break;
}

/*
 * Handle states. SH_NONE: not issued yet (no row taken, no step made it);
 * SH_GONE: ended (party DEAD, VC deleted). Party states are
 * enum pt_party_state, VC states enum cn_vc_state + SH_VC.
 */
#define SH_NONE (-1)
#define SH_GONE (-2)
#define SH_VC 100

static int state_after(const struct sh_handle *hd, uint64_t step)
{
	int st = SH_NONE;
	uint32_t i;

	for (i = 0; i < sh.ntrs && sh.trs[i].step <= step; i++) {
		if (sh.trs[i].handle != hd->h)
			continue;
		if (hd->vc)
			st = sh.trs[i].to == CN_VC_FREE ? SH_GONE
							: SH_VC + sh.trs[i].to;
		else
			st = sh.trs[i].to == PT_DEAD ? SH_GONE : sh.trs[i].to;
	}
	if (st == SH_NONE && hd->vc) {
		/* A VC is IDLE from the step that created it (no row). */
		for (i = 0; i < sh.nsteps && sh.steps[i].step <= step; i++)
			if (sh.steps[i].out == hd->h ||
			    sh.steps[i].handle == hd->h)
				return SH_VC + CN_VC_IDLE;
	}
	return st;
}

static const char *state_name(int st)
{
	if (st == SH_NONE)
		return "none";
	if (st == SH_GONE)
		return "dead";
	if (st >= SH_VC)
		return cn_vc_state_name(st - SH_VC);
	return pt_state_name(st);
}

static const char *state_colour(int st)
{
	switch (st) {
	case PT_MAKING:
		return "#9ecae1";
	case PT_ADDING:
		return "#4292c6";
	case PT_ACTIVE:
		return "#31a354";
	case PT_REMOTE_DROPPED:
		return "#fdae6b";
	case PT_DROPPING:
		return "#e6550d";
	case PT_CLOSING:
		return "#8c6bb1";
	case SH_GONE:
		return "#525252";
	case SH_VC + CN_VC_IDLE:
		return "#c7e9c0";
	case SH_VC + CN_VC_MAKING:
		return "#9ecae1";
	case SH_VC + CN_VC_CONNECTED:
		return "#31a354";
	case SH_VC + CN_VC_REMOTE_CLOSED:
		return "#fdae6b";
	case SH_VC + CN_VC_CLOSING:
		return "#8c6bb1";
	case SH_VC + CN_VC_CLOSED:
		return "#bdbdbd";
	default:
		return "none";
	}
}

/* Did step @e name @h? 1 as its main handle or party argument. */
static int step_uses(const struct cn_trace_entry *e, uint64_t h)
{
	if (e->fn == CN_FN_KeRaiseIrql || e->fn == CN_FN_KeLowerIrql ||
	    e->fn == CN_FN_HarnessNote)
		return 0;
	return e->handle == h || e->party == h;
}

/* ---- lanes ------------------------------------------------------------ */

enum {
	LANE_CLIENT = 0,
	LANE_DPC0 = 1, /* .. LANE_DPC0 + ncpu - 1 */
};

static unsigned lane_ndis(void)
{
	return LANE_DPC0 + sh.ncpu;
}
static unsigned lane_cm(void)
{
	return lane_ndis() + 1;
}
static unsigned lane_net(void)
{
	return lane_ndis() + 2;
}
static unsigned lane_count(void)
{
	return lane_ndis() + 3;
}

static void lane_name(unsigned l, char *buf, size_t len)
{
	if (l == LANE_CLIENT)
		snprintf(buf, len, "client");
	else if (l < lane_ndis())
		snprintf(buf, len, "dpc-cpu%u", l - LANE_DPC0);
	else if (l == lane_ndis())
		snprintf(buf, len, "ndis");
	else if (l == lane_cm())
		snprintf(buf, len, "%s", sh.mcm ? "mcm" : "cm");
	else
		snprintf(buf, len, "network");
}

static void lane_title(unsigned l, char *buf, size_t len)
{
	if (l == LANE_CLIENT)
		snprintf(buf, len, "client");
	else if (l < lane_ndis())
		snprintf(buf, len, "DPC cpu%u", l - LANE_DPC0);
	else if (l == lane_ndis())
		snprintf(buf, len, "NDIS");
	else if (l == lane_cm())
		snprintf(buf, len, "%s", sh.mcm ? "MCM" : "CM");
	else
		snprintf(buf, len, "network");
}

static int is_client_cb(enum cn_fn fn)
{
	return (fn >= CN_FN_ProtocolClMakeCallComplete &&
		fn <= CN_FN_ProtocolClIncomingCloseCall) ||
	       fn == CN_FN_ProtocolCoAfRegisterNotify ||
	       fn == CN_FN_ProtocolClOpenAfCompleteEx ||
	       fn == CN_FN_ProtocolClCloseAfComplete ||
	       fn == CN_FN_ProtocolClRegisterSapComplete ||
	       fn == CN_FN_ProtocolClDeregisterSapComplete ||
	       fn == CN_FN_ProtocolClNotifyCloseAf;
}

static int is_cm_cb(enum cn_fn fn)
{
	return (fn >= CN_FN_ProtocolCoCreateVc &&
		fn <= CN_FN_ProtocolCmCloseCall) ||
	       fn == CN_FN_ProtocolCmOpenAf || fn == CN_FN_ProtocolCmCloseAf ||
	       fn == CN_FN_ProtocolCmRegisterSap ||
	       fn == CN_FN_ProtocolCmDeregisterSap ||
	       fn == CN_FN_ProtocolCmNotifyCloseAfComplete;
}

static unsigned lane_of_actor(int actor)
{
	switch (actor) {
	case CN_ACTOR_CLIENT:
		return LANE_CLIENT;
	case CN_ACTOR_CM:
	case CN_ACTOR_MCM:
		return lane_cm();
	default:
		return lane_ndis();
	}
}

/*
 * The arrow of step @i: from the caller's lane to the callee's. A DDI goes
 * from its caller to NDIS; a callback from NDIS (or, run from a DPC, from
 * that CPU's DPC lane) to the driver; Ke*Irql from whoever runs (the
 * callee of the enclosing step, the client at the top) to NDIS.
 */
static void step_lanes(uint32_t i, unsigned *from, unsigned *to)
{
	const struct cn_trace_entry *e = &sh.steps[i];
	uint32_t j;

	if (is_client_cb(e->fn) || is_cm_cb(e->fn)) {
		*to = is_client_cb(e->fn) ? LANE_CLIENT : lane_cm();
		*from = e->dpc_seq != 0 && is_client_cb(e->fn)
				? LANE_DPC0 + e->cpu % sh.ncpu
				: lane_ndis();
		return;
	}
	*to = lane_ndis();
	if (e->fn == CN_FN_KeRaiseIrql || e->fn == CN_FN_KeLowerIrql ||
	    e->actor == CN_ACTOR_DRIVER) {
		*from = LANE_CLIENT;
		for (j = i; j-- > 0;) {
			const struct cn_trace_entry *u = &sh.steps[j];

			if (u->depth + 1 == e->depth) {
				unsigned f, t;

				step_lanes(j, &f, &t);
				*from = t == lane_ndis() ? f : t;
				break;
			}
			if (u->depth < e->depth)
				break;
		}
		return;
	}
	*from = lane_of_actor(e->actor);
}

/* ---- writing -------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* A JSON string's body. */
static void jesc(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

static const char *cpu_colour(unsigned cpu)
{
	static const char *const c[] = { "#1f4e9c", "#b2182b", "#1b7837",
					 "#762a83" };

	return c[cpu % 4];
}

static const char *irql_colour(int irql)
{
	if (irql == PASSIVE_LEVEL)
		return "#d9f0d3";
	if (irql == APC_LEVEL)
		return "#fee391";
	if (irql == DISPATCH_LEVEL)
		return "#fc8d59";
	return "#b30000";
}

static const struct pf_contract_text *contract_text(const char *id)
{
	size_t i;

	for (i = 0;
	     i < sizeof(pf_contract_texts) / sizeof(pf_contract_texts[0]); i++)
		if (strcmp(pf_contract_texts[i].id, id) == 0)
			return &pf_contract_texts[i];
	return NULL;
}

/*
 * Markdown of CONTRACT.md to HTML: `code` becomes <code>, and a page stem
 * in it a link to the page (an <a href>, which fetches nothing until
 * followed): nf-ndis-* / nc-ndis-* to the DDI reference, CON:<dir>/<f>.md
 * to the conceptual docs.
 */
static void md(FILE *f, const char *s)
{
	char tok[160];
	const char *end;
	size_t n;

	while (*s) {
		if (*s != '`' || (end = strchr(s + 1, '`')) == NULL) {
			char c[2] = { *s++, 0 };

			esc(f, c);
			continue;
		}
		n = (size_t)(end - s - 1);
		if (n >= sizeof(tok))
			n = sizeof(tok) - 1;
		memcpy(tok, s + 1, n);
		tok[n] = '\0';
		s = end + 1;
		if ((strncmp(tok, "nf-ndis-", 8) == 0 ||
		     strncmp(tok, "nc-ndis-", 8) == 0) &&
		    strspn(tok, "abcdefghijklmnopqrstuvwxyz0123456789_-") ==
			    n) {
			fputs("<a class=\"page\" href=\"https://learn.microsoft.com/"
			      "windows-hardware/drivers/ddi/ndis/",
			      f);
			esc(f, tok);
			fputs("\"><code>", f);
			esc(f, tok);
			fputs("</code></a>", f);
		} else if (strncmp(tok, "CON:", 4) == 0 && n > 7 &&
			   strcmp(tok + n - 3, ".md") == 0) {
			fprintf(f,
				"<a class=\"page\" href=\"https://"
				"learn.microsoft.com/windows-hardware/"
				"drivers/%.*s\"><code>",
				(int)(n - 7), tok + 4);
			esc(f, tok);
			fputs("</code></a>", f);
		} else {
			fputs("<code>", f);
			esc(f, tok);
			fputs("</code>", f);
		}
	}
}

/* The first rule fired: its step (0 none) and rule. */
static uint64_t finding_step(enum cn_rule *rule)
{
	uint32_t i;

	for (i = 0; i < sh.nsteps; i++)
		if (sh.steps[i].rule != CN_RULE_NONE) {
			*rule = sh.steps[i].rule;
			return sh.steps[i].step;
		}
	*rule = CN_RULE_NONE;
	return sh.died;
}

static const char *verdict_word(const struct pf_result *r)
{
	return r->verdict == PF_VERDICT_OK     ? "OK"
	       : r->verdict == PF_VERDICT_RULE ? "RULE"
					       : "MISMATCH";
}

/* The arrow's label: DDI or callback, handle, party=, status, return. */
static void step_label(const struct cn_trace_entry *e, char *buf, size_t len)
{
	char h[32], p[40] = "", st[40] = "", ret[40] = "";

	if (e->fn == CN_FN_KeRaiseIrql || e->fn == CN_FN_KeLowerIrql) {
		snprintf(buf, len, "%s %s", cn_fn_name(e->fn),
			 cn_irql_name((int)e->handle));
		return;
	}
	if (e->fn == CN_FN_HarnessNote) {
		snprintf(buf, len, "%s %" PRIu64, e->note ? e->note : "?",
			 e->handle);
		return;
	}
	cn_handle_format(e->handle, h, sizeof(h));
	if (e->party != 0 && e->party != e->handle) {
		memcpy(p, " party=", 8);
		cn_handle_format(e->party, p + 7, sizeof(p) - 7);
	}
	if (e->has_status)
		snprintf(st, sizeof(st), " status=%s",
			 cn_status_name(e->status));
	if (e->returned)
		snprintf(ret, sizeof(ret), " \xe2\x86\x92 %s",
			 cn_status_name(e->ret));
	if (e->dpc_seq != 0 && is_client_cb(e->fn))
		snprintf(ret + strlen(ret), sizeof(ret) - strlen(ret),
			 " [dpc#%" PRIu64 "]", e->dpc_seq);
	snprintf(buf, len, "%s %s%s%s%s", cn_fn_name(e->fn), h, p, st, ret);
}

/* Layout constants (px). */
#define ROW_H 26
#define OP_H 20
#define TOP 64
#define STEP_W 52
#define BAND_W 20
#define LANE_W 160
#define HCOL_W 46

struct row {
	int kind;   /* 0 op header, 1 network event, 2 step */
	uint32_t i; /* op or step index */
	int y;
};

static struct row rows[SH_MAX_STEPS + 2 * SH_MAX_OPS];
static uint32_t nrows;

static void layout(void)
{
	uint32_t o = 0, s = 0;
	int y = TOP + 10;

	nrows = 0;
	while (o < sh.nops || s < sh.nsteps) {
		if (o < sh.nops && sh.ops[o].first <= s) {
			rows[nrows].kind = 0;
			rows[nrows].i = o;
			rows[nrows++].y = y;
			y += OP_H;
			if (sh.ops[o].code == PF_OP_incoming_drop ||
			    sh.ops[o].code == PF_OP_incoming_close) {
				rows[nrows].kind = 1;
				rows[nrows].i = o;
				rows[nrows++].y = y;
				y += ROW_H;
			}
			o++;
			continue;
		}
		rows[nrows].kind = 2;
		rows[nrows].i = s++;
		rows[nrows++].y = y;
		y += ROW_H;
	}
}

static int bands_x(void)
{
	return STEP_W;
}
static int lane_x(unsigned l)
{
	return STEP_W + (int)sh.ncpu * BAND_W + 24 + LANE_W / 2 +
	       (int)l * LANE_W;
}
/* Handle column @k: parties, a gap, then VCs. */
static int hcol_x(uint32_t k)
{
	return lane_x(lane_count() - 1) + LANE_W / 2 + 70 + (int)k * HCOL_W +
	       (k > 0 && k >= sh.first_vc && sh.first_vc > 0 ? 14 : 0);
}

static void arrow(FILE *f, int x1, int x2, int y, const char *colour,
		  int dashed)
{
	int dir = x2 >= x1 ? 1 : -1;

	if (x1 == x2) { /* a call to itself: a small loop */
		fprintf(f,
			"<path d=\"M%d %d h 24 v 8 h -20\" fill=\"none\" "
			"stroke=\"%s\" stroke-width=\"1.6\"%s/>\n",
			x1, y - 4, colour,
			dashed ? " stroke-dasharray=\"4 3\"" : "");
		return;
	}
	fprintf(f,
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
		"stroke-width=\"1.6\"%s/>\n",
		x1, y, x2 - dir * 6, y, colour,
		dashed ? " stroke-dasharray=\"4 3\"" : "");
	fprintf(f, "<path d=\"M%d %d l %d -4 v 8 z\" fill=\"%s\"/>\n", x2, y,
		-dir * 7, colour);
}

static void write_css(FILE *f)
{
	fputs("<style>\n"
	      "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,"
	      "sans-serif;margin:16px;color:#222;background:#fff}\n"
	      "h1{font-size:20px;margin:0 0 4px}\n"
	      ".sub{color:#555;font-size:13px;margin-bottom:10px}\n"
	      "code,pre,.mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,"
	      "monospace}\n"
	      "#finding{border:2px solid #b30000;background:#fff5f5;"
	      "padding:8px 12px;margin:8px 0 12px;max-width:1300px}\n"
	      "#finding.ok{border-color:#31a354;background:#f3fbf3}\n"
	      "#finding h2{font-size:16px;margin:0 0 6px;color:#b30000}\n"
	      "#finding.ok h2{color:#1b7837}\n"
	      "#finding p{margin:4px 0;font-size:14px}\n"
	      ".legend span{display:inline-block;margin-right:12px;"
	      "font-size:12px}\n"
	      ".legend i{display:inline-block;width:14px;height:12px;"
	      "vertical-align:middle;margin-right:4px;border:1px solid "
	      "#888}\n"
	      "svg text{font-size:12px}\n"
	      "svg .lbl{font-family:'DejaVu Sans Mono',Menlo,monospace;"
	      "font-size:11.5px}\n"
	      "pre{font-size:12px;background:#f7f7f7;padding:8px;"
	      "overflow-x:auto}\n"
	      "a.page{color:#0b5cad}\n"
	      "</style>\n",
	      f);
}

static void write_legend(FILE *f)
{
	static const int st[] = { PT_MAKING,   PT_ADDING,
				  PT_ACTIVE,   PT_REMOTE_DROPPED,
				  PT_DROPPING, PT_CLOSING,
				  SH_GONE };
	unsigned i;

	fputs("<div class=\"legend\">handles P&lt;slot&gt;.&lt;generation&gt;, "
	      "state after each step: ",
	      f);
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		fprintf(f, "<span><i style=\"background:%s\"></i>%s</span>",
			state_colour(st[i]), state_name(st[i]));
	fputs("<span><b style=\"color:#b30000\">\xe2\x9c\x95</b> used "
	      "after it ended</span><span><b>\xe2\x97\x8f</b> named by the "
	      "step</span> &nbsp; IRQL: ",
	      f);
	for (i = 0; i <= 2; i++)
		fprintf(f, "<span><i style=\"background:%s\"></i>%s</span>",
			irql_colour((int)i), cn_irql_name((int)i));
	fprintf(f,
		"<span><i style=\"background:%s\"></i>above "
		"DISPATCH</span> &nbsp; arrows: ",
		irql_colour(HIGH_LEVEL));
	for (i = 0; i < sh.ncpu; i++)
		fprintf(f,
			"<span><b style=\"color:%s\">\xe2\x94\x81</b> "
			"cpu%u</span>",
			cpu_colour(i), i);
	fputs("</div>\n", f);
}

static void write_finding(FILE *f, const struct pf_result *r)
{
	enum cn_rule rule;
	uint64_t at = finding_step(&rule);
	const struct pf_contract_text *ct;
	uint32_t i;

	if (r->verdict == PF_VERDICT_OK) {
		fprintf(f,
			"<div id=\"finding\" class=\"ok\" data-verdict=\"OK\" "
			"data-rule=\"\" data-step=\"0\"><h2>VERDICT: OK</h2>"
			"<p>%u operations, no rule fired, the model agreed "
			"at every step.</p></div>\n",
			r->ops);
		return;
	}
	fprintf(f,
		"<div id=\"finding\" data-verdict=\"%s\" data-rule=\"%s\" "
		"data-step=\"%" PRIu64 "\">\n",
		sh.died && !rule ? "ASAN" : verdict_word(r),
		rule ? cn_rule_id(rule) : "", at);
	if (rule != CN_RULE_NONE) {
		ct = contract_text(cn_rule_id(rule));
		fprintf(f,
			"<h2>RULE %s (%s) at <a href=\"#s%" PRIu64
			"\">step #%" PRIu64 "</a></h2>\n",
			cn_rule_id(rule), cn_rule_name(rule), at, at);
		fputs("<p class=\"rule-text\"><b>Rule.</b> ", f);
		if (ct)
			md(f, ct->rule);
		else
			esc(f, cn_rule_message(rule));
		fputs("</p>\n<p class=\"rule-source\"><b>Source.</b> ", f);
		if (ct)
			md(f, ct->source);
		fputs(" (<code>core/include/partyfuzz/CONTRACT.md</code>, "
		      "section ",
		      f);
		esc(f, cn_rule_id(rule));
		fputs("; catalogue: ", f);
		esc(f, cn_rule_ref(rule));
		fputs(")</p>\n", f);
		for (i = 0; i < sh.nreports; i++)
			if (sh.reports[i].step == at) {
				fputs("<p class=\"report mono\">", f);
				esc(f, sh.reports[i].line);
				fputs("</p>\n", f);
				break;
			}
	} else if (sh.died) {
		fprintf(f,
			"<h2>AddressSanitizer: the run died at <a "
			"href=\"#s%" PRIu64 "\">step #%" PRIu64 "</a></h2>\n",
			sh.died, sh.died);
	} else {
		fputs("<h2>MISMATCH</h2>\n", f);
	}
	if (r->verdict == PF_VERDICT_MISMATCH) {
		fputs("<p class=\"why mono\">VERDICT: MISMATCH: ", f);
		esc(f, r->why);
		fputs("</p>\n", f);
	}
	fputs("</div>\n", f);
}

static void write_svg(FILE *f)
{
	enum cn_rule frule;
	uint64_t fstep = finding_step(&frule);
	int irql_now[CN_MAX_CPUS];
	int width, height, y0 = TOP, y1;
	uint32_t k, ri;
	unsigned l;
	char name[32], title[32], lbl[160];

	for (l = 0; l < CN_MAX_CPUS; l++)
		irql_now[l] = PASSIVE_LEVEL;
	width = hcol_x(sh.nhandles) + 20;
	y1 = nrows ? rows[nrows - 1].y + ROW_H : TOP + 20;
	height = y1 + 16;
	fprintf(f,
		"<svg id=\"seq\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		width, height, width, height);
	fprintf(f,
		"<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
		"fill=\"#fff\"/>\n",
		width, height);
	/* headers */
	fprintf(f, "<text x=\"4\" y=\"%d\" font-weight=\"bold\">step</text>\n",
		y0 - 8);
	for (l = 0; l < sh.ncpu; l++)
		fprintf(f,
			"<text x=\"%d\" y=\"%d\" font-size=\"10\" "
			"transform=\"rotate(-45 %d %d)\">IRQL cpu%u</text>\n",
			bands_x() + (int)l * BAND_W + 4, y0 - 6,
			bands_x() + (int)l * BAND_W + 4, y0 - 6, l);
	for (l = 0; l < lane_count(); l++) {
		lane_name(l, name, sizeof(name));
		lane_title(l, title, sizeof(title));
		fprintf(f,
			"<g class=\"lane\" data-lane=\"%s\"><rect x=\"%d\" "
			"y=\"%d\" width=\"%d\" height=\"22\" rx=\"4\" "
			"fill=\"#eef2f7\" stroke=\"#6b7a90\"/><text x=\"%d\" "
			"y=\"%d\" text-anchor=\"middle\" "
			"font-weight=\"bold\">%s</text><line x1=\"%d\" "
			"y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9aa5b5\" "
			"stroke-dasharray=\"3 3\"/></g>\n",
			name, lane_x(l) - 60, y0 - 28, 120, lane_x(l), y0 - 12,
			title, lane_x(l), y0 - 6, lane_x(l), y1);
	}
	for (k = 0; k < sh.nhandles; k++) {
		cn_handle_format(sh.handles[k].h, name, sizeof(name));
		fprintf(f,
			"<text class=\"hhead\" data-handle=\"%s\" x=\"%d\" "
			"y=\"%d\" text-anchor=\"middle\" "
			"font-weight=\"bold\">%s</text>\n",
			name, hcol_x(k) + HCOL_W / 2 - 2, y0 - 12, name);
	}
	if (sh.first_vc > 0)
		fprintf(f,
			"<text x=\"%d\" y=\"%d\" font-size=\"11\" "
			"fill=\"#555\">parties</text>\n",
			hcol_x(0), y0 - 30);
	if (sh.first_vc < sh.nhandles)
		fprintf(f,
			"<text x=\"%d\" y=\"%d\" font-size=\"11\" "
			"fill=\"#555\">VCs</text>\n",
			hcol_x(sh.first_vc), y0 - 30);

	for (ri = 0; ri < nrows; ri++) {
		const struct row *rw = &rows[ri];

		if (rw->kind == 0) {
			const struct sh_op *o = &sh.ops[rw->i];

			fprintf(f,
				"<rect x=\"0\" y=\"%d\" width=\"%d\" "
				"height=\"%d\" fill=\"#f2f2f2\"/>\n",
				rw->y, width, OP_H - 2);
			if (o->index >= 0)
				snprintf(lbl, sizeof(lbl), "op %d: %s",
					 o->index, o->what);
			else
				snprintf(lbl, sizeof(lbl), "%s", o->what);
			fprintf(f,
				"<text class=\"op lbl\" x=\"6\" y=\"%d\" "
				"fill=\"#444\">",
				rw->y + 14);
			esc(f, lbl);
			fputs("</text>\n", f);
			continue;
		}
		if (rw->kind == 1) {
			const struct sh_op *o = &sh.ops[rw->i];
			int y = rw->y + ROW_H / 2 + 4;

			fprintf(f,
				"<g class=\"net\" data-from=\"network\" "
				"data-to=\"%s\">\n",
				sh.mcm ? "mcm" : "cm");
			arrow(f, lane_x(lane_net()), lane_x(lane_cm()), y,
			      "#555", 1);
			fprintf(f,
				"<text class=\"lbl\" x=\"%d\" y=\"%d\" "
				"fill=\"#555\">",
				lane_x(lane_cm()) + 6, y - 5);
			esc(f, o->code == PF_OP_incoming_drop
				       ? "remote leaf leaves"
				       : "remote closes the call");
			fputs("</text>\n</g>\n", f);
			continue;
		}
		{
			const struct cn_trace_entry *e = &sh.steps[rw->i];
			unsigned from, to, c = e->cpu % sh.ncpu;
			int y = rw->y + ROW_H / 2 + 4, bad = e->rule != 0;
			const char *col = bad ? "#b30000" : cpu_colour(c);
			int lx;

			step_lanes(rw->i, &from, &to);
			lane_name(from, name, sizeof(name));
			lane_name(to, title, sizeof(title));
			fprintf(f,
				"<g class=\"step\" id=\"s%" PRIu64
				"\" data-step=\"%" PRIu64
				"\" data-from=\"%s\" data-to=\"%s\" "
				"data-cpu=\"%u\" data-irql=\"%s\" "
				"data-fn=\"%s\" data-rule=\"%s\">\n",
				e->step, e->step, name, title, e->cpu,
				cn_irql_name(e->irql), cn_fn_name(e->fn),
				bad ? cn_rule_id(e->rule) : "");
			if (bad || e->step == fstep)
				fprintf(f,
					"<rect x=\"0\" y=\"%d\" width=\"%d\" "
					"height=\"%d\" fill=\"#ffe3e3\"/>\n",
					rw->y, width, ROW_H);
			fprintf(f,
				"<text x=\"4\" y=\"%d\" class=\"lbl\">#%" PRIu64
				"</text>\n",
				y + 4, e->step);
			/* IRQL bands: every CPU's level at this step */
			irql_now[c] = e->irql;
			for (l = 0; l < sh.ncpu; l++)
				fprintf(f,
					"<rect class=\"irql\" data-cpu=\"%u\" "
					"data-step=\"%" PRIu64
					"\" data-irql=\"%s\" x=\"%d\" y=\"%d\" "
					"width=\"%d\" height=\"%d\" "
					"fill=\"%s\"%s><title>cpu%u %s"
					"</title></rect>\n",
					l, e->step, cn_irql_name(irql_now[l]),
					bands_x() + (int)l * BAND_W, rw->y,
					BAND_W - 4, ROW_H,
					irql_colour(irql_now[l]),
					l == c ? " stroke=\"#000\" "
						 "stroke-width=\"1.5\""
					       : "",
					l, cn_irql_name(irql_now[l]));
			if (e->fn == CN_FN_KeRaiseIrql ||
			    e->fn == CN_FN_KeLowerIrql)
				irql_now[c] = (int)e->handle;
			/* the arrow, its label, and the queued DPC */
			arrow(f, lane_x(from), lane_x(to), y, col, 0);
			lx = (lane_x(from) < lane_x(to) ? lane_x(from)
							: lane_x(to)) +
			     6;
			step_label(e, lbl, sizeof(lbl));
			fprintf(f,
				"<text class=\"lbl\" x=\"%d\" y=\"%d\" "
				"fill=\"%s\">",
				lx, y - 5, col);
			esc(f, lbl);
			fprintf(f, " <tspan fill=\"#777\">cpu%u</tspan>", c);
			if (bad) {
				fputs(" <tspan font-weight=\"bold\">!! RULE ",
				      f);
				esc(f, cn_rule_id(e->rule));
				fputs("</tspan>", f);
			}
			fputs("</text>\n", f);
			if (e->dpc_seq != 0 && !is_client_cb(e->fn)) {
				unsigned q = LANE_DPC0 + e->dpc_cpu % sh.ncpu;

				arrow(f, lane_x(lane_ndis()), lane_x(q), y + 8,
				      "#777", 1);
				fprintf(f,
					"<text class=\"lbl\" x=\"%d\" y=\"%d\" "
					"fill=\"#777\" font-size=\"10\">"
					"queue dpc#%" PRIu64 "</text>\n",
					lane_x(q) + 4, y + 6, e->dpc_seq);
			}
			/* handle cells */
			for (k = 0; k < sh.nhandles; k++) {
				const struct sh_handle *hd = &sh.handles[k];
				int before =
					rw->i ? state_after(hd, e->step - 1)
					      : SH_NONE;
				int after = state_after(hd, e->step);
				int used = step_uses(e, hd->h);
				/* A driver's call with an ended handle is a
				 * misuse; NDIS delivering a completion after
				 * the state changed (condis.h) is not. */
				int drv = !is_client_cb(e->fn) &&
					  !is_cm_cb(e->fn);
				const char *use =
					!used ? ""
					: drv && (before == SH_GONE ||
						  (before == SH_NONE && bad))
						? "after-end"
						: "named";

				cn_handle_format(hd->h, name, sizeof(name));
				fprintf(f,
					"<rect class=\"hcell\" "
					"data-handle=\"%s\" data-step=\"%" PRIu64
					"\" data-state=\"%s\" data-use=\"%s\" "
					"x=\"%d\" y=\"%d\" width=\"%d\" "
					"height=\"%d\" fill=\"%s\" "
					"stroke=\"%s\"><title>%s after #%" PRIu64
					": %s</title></rect>\n",
					name, e->step, state_name(after), use,
					hcol_x(k), rw->y + 1, HCOL_W - 6,
					ROW_H - 2,
					strcmp(state_colour(after), "none")
						? state_colour(after)
						: "#ffffff",
					after == SH_NONE ? "#eeeeee"
							 : "#ffffff",
					name, e->step, state_name(after));
				if (used)
					fprintf(f,
						"<text x=\"%d\" y=\"%d\" "
						"text-anchor=\"middle\" "
						"font-weight=\"bold\" "
						"font-size=\"%s\" "
						"fill=\"%s\">%s</text>\n",
						hcol_x(k) + (HCOL_W - 6) / 2,
						y + 4,
						*use == 'a' ? "16" : "12",
						*use == 'a' ? "#ff2020"
						: after == SH_GONE ||
								after ==
									SH_NONE
							? "#000"
							: "#fff",
						*use == 'a' ? "\xe2\x9c\x95"
							    : "\xe2\x97\x8f");
			}
			fputs("</g>\n", f);
		}
	}
	fputs("</svg>\n", f);
}

static void write_text_trace(FILE *f)
{
	char line[SH_LINE];
	uint32_t i, o = 0, k;

	fputs("<h3>Trace</h3>\n<pre id=\"trace\">", f);
	for (i = 0; i <= sh.nsteps; i++) {
		for (; o < sh.nops && sh.ops[o].first <= i; o++) {
			if (sh.ops[o].index >= 0)
				snprintf(line, sizeof(line), "-- op %d: %s\n",
					 sh.ops[o].index, sh.ops[o].what);
			else
				snprintf(line, sizeof(line), "-- %s\n",
					 sh.ops[o].what);
			esc(f, line);
		}
		if (i == sh.nsteps)
			break;
		cn_trace_format(&sh.steps[i], line, sizeof(line));
		esc(f, line);
		fputc('\n', f);
		for (k = 0; k < sh.nreports; k++)
			if (sh.reports[k].step == sh.steps[i].step) {
				fputs("       ^ ", f);
				esc(f, sh.reports[k].line);
				fputc('\n', f);
			}
	}
	fputs("</pre>\n", f);
}

static void write_html(FILE *f, const char *title, const char *target,
		       const struct pf_result *r)
{
	char cfg[224];

	pf_format_config(&sh.p->cfg, cfg, sizeof(cfg));
	/* The drivers the run used, when --target forced them (as replay
	 * says it). */
	if (sh.puppet >= 0 && sh.puppet != !!(sh.p->cfg.flags & PF_CFG_PUPPET))
		snprintf(cfg + strlen(cfg), sizeof(cfg) - strlen(cfg),
			 "  (forced: drivers=%s)",
			 sh.puppet ? "puppet" : "reference");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<title>partyfuzz: ",
	      f);
	esc(f, title);
	fputs("</title>\n", f);
	write_css(f);
	fputs("</head>\n<body>\n<h1>partyfuzz show: ", f);
	esc(f, title);
	fputs("</h1>\n<div class=\"sub\">target <code>", f);
	esc(f, target);
	fputs("</code> &middot; <code>", f);
	esc(f, cfg);
	fprintf(f, "</code> &middot; %u steps, %u operations%s</div>\n",
		sh.nsteps, r->ops,
		sh.lost ? " &middot; <b>truncated</b> (capacity)" : "");
	write_finding(f, r);
	write_legend(f);
	write_svg(f);
	write_text_trace(f);
	fputs("</body>\n</html>\n", f);
}

/* ---- trace-event JSON --------------------------------------------------- */

#define TS(step) ((unsigned long long)(step)*10u)

static int json_first;

static void json_sep(FILE *f)
{
	fputs(json_first ? "\n" : ",\n", f);
	json_first = 0;
}

static void write_json(FILE *f, const char *title, const struct pf_result *r)
{
	char name[32], lbl[160];
	uint32_t i, j, k;
	unsigned l;
	enum cn_rule frule;
	uint64_t fstep = finding_step(&frule);

	json_first = 1;
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"title\":\"", f);
	jesc(f, title);
	fprintf(f, "\",\"verdict\":\"%s\"},\"traceEvents\":[",
		verdict_word(r));
	/* pid 1: lanes; pid 2: CPUs; pid 3: handles */
	json_sep(f);
	fputs("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\","
	      "\"args\":{\"name\":\"actors\"}}",
	      f);
	json_sep(f);
	fputs("{\"ph\":\"M\",\"pid\":2,\"name\":\"process_name\","
	      "\"args\":{\"name\":\"CPUs\"}}",
	      f);
	json_sep(f);
	fputs("{\"ph\":\"M\",\"pid\":3,\"name\":\"process_name\","
	      "\"args\":{\"name\":\"handles\"}}",
	      f);
	for (l = 0; l < lane_count(); l++) {
		lane_name(l, name, sizeof(name));
		json_sep(f);
		fprintf(f,
			"{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":"
			"\"thread_name\",\"args\":{\"name\":\"%s\"}}",
			l, name);
		json_sep(f);
		fprintf(f,
			"{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":"
			"\"thread_sort_index\",\"args\":{\"sort_index\":%u}}",
			l, l);
	}
	for (l = 0; l < sh.ncpu; l++) {
		json_sep(f);
		fprintf(f,
			"{\"ph\":\"M\",\"pid\":2,\"tid\":%u,\"name\":"
			"\"thread_name\",\"args\":{\"name\":\"cpu%u\"}}",
			l, l);
	}
	for (i = 0; i < sh.nsteps; i++) {
		const struct cn_trace_entry *e = &sh.steps[i];
		unsigned from, to, lane;
		uint64_t end = e->step;

		/* A step lasts until its nested steps are over. */
		for (j = i + 1; j < sh.nsteps && sh.steps[j].depth > e->depth;
		     j++)
			end = sh.steps[j].step;
		step_lanes(i, &from, &to);
		/* It runs where its code runs: a DDI in its caller, a
		 * callback in its callee. */
		lane = to == lane_ndis() ? from : to;
		if (e->dpc_seq != 0 && is_client_cb(e->fn))
			lane = from; /* run by that CPU's DPC */
		step_label(e, lbl, sizeof(lbl));
		json_sep(f);
		fprintf(f,
			"{\"ph\":\"X\",\"pid\":1,\"tid\":%u,\"ts\":%llu,"
			"\"dur\":%llu,\"name\":\"%s\",\"cat\":\"%s\","
			"\"args\":{\"step\":%" PRIu64 ",\"label\":\"",
			lane, TS(e->step), TS(end - e->step + 1) - 1,
			cn_fn_name(e->fn), e->rule ? "rule" : "step", e->step);
		jesc(f, lbl);
		fprintf(f, "\",\"cpu\":%u,\"irql\":\"%s\"", e->cpu,
			cn_irql_name(e->irql));
		if (e->rule)
			fprintf(f, ",\"rule\":\"%s\"", cn_rule_id(e->rule));
		fputs("}}", f);
		/* the CPU's track, and its IRQL as a counter */
		json_sep(f);
		fprintf(f,
			"{\"ph\":\"X\",\"pid\":2,\"tid\":%u,\"ts\":%llu,"
			"\"dur\":9,\"name\":\"%s\",\"args\":{\"step\":%" PRIu64
			"}}",
			e->cpu % sh.ncpu, TS(e->step), cn_fn_name(e->fn),
			e->step);
		json_sep(f);
		fprintf(f,
			"{\"ph\":\"C\",\"pid\":2,\"tid\":%u,\"ts\":%llu,"
			"\"name\":\"IRQL cpu%u\",\"args\":{\"irql\":%u}}",
			e->cpu % sh.ncpu, TS(e->step), e->cpu % sh.ncpu,
			e->irql);
		if (e->rule || (e->step == fstep && fstep)) {
			json_sep(f);
			fprintf(f,
				"{\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":%u,"
				"\"ts\":%llu,\"name\":\"%s%s\",\"args\":{"
				"\"name\":\"%s\",\"step\":%" PRIu64 "}}",
				lane, TS(e->step), e->rule ? "RULE " : "",
				e->rule ? cn_rule_id(e->rule) : "ASan",
				e->rule ? cn_rule_name(e->rule) : "died",
				e->step);
		}
	}
	/* handles: one async track each, a slice per state */
	for (k = 0; k < sh.nhandles; k++) {
		const struct sh_handle *hd = &sh.handles[k];
		int cur = SH_NONE;
		uint64_t since = 0;

		cn_handle_format(hd->h, name, sizeof(name));
		for (i = 0; i < sh.nsteps; i++) {
			int st = state_after(hd, sh.steps[i].step);

			if (st == cur)
				continue;
			if (cur != SH_NONE && cur != SH_GONE) {
				json_sep(f);
				fprintf(f,
					"{\"ph\":\"e\",\"pid\":3,\"cat\":"
					"\"handle\",\"id\":\"%s\",\"ts\":%llu,"
					"\"name\":\"%s\"}",
					name, TS(sh.steps[i].step),
					state_name(cur));
			}
			if (st != SH_NONE && st != SH_GONE) {
				json_sep(f);
				fprintf(f,
					"{\"ph\":\"b\",\"pid\":3,\"cat\":"
					"\"handle\",\"id\":\"%s\",\"ts\":%llu,"
					"\"name\":\"%s\",\"args\":{\"handle\":"
					"\"%s\"}}",
					name, TS(sh.steps[i].step),
					state_name(st), name);
			}
			if (st == SH_GONE) {
				json_sep(f);
				fprintf(f,
					"{\"ph\":\"n\",\"pid\":3,\"cat\":"
					"\"handle\",\"id\":\"%s\",\"ts\":%llu,"
					"\"name\":\"dead\"}",
					name, TS(sh.steps[i].step));
			}
			cur = st;
			since = sh.steps[i].step;
		}
		if (cur != SH_NONE && cur != SH_GONE && sh.nsteps) {
			json_sep(f);
			fprintf(f,
				"{\"ph\":\"e\",\"pid\":3,\"cat\":\"handle\","
				"\"id\":\"%s\",\"ts\":%llu,\"name\":\"%s\"}",
				name, TS(sh.steps[sh.nsteps - 1].step + 1),
				state_name(cur));
		}
		(void)since;
	}
	fputs("\n]}\n", f);
}

/* ---- entry points ------------------------------------------------------ */

/*
 * A run that dies under AddressSanitizer (a driver's use-after-free: B3,
 * B4, B21, ...) still gets its picture: ASan's death callback takes the
 * steps the hook has not delivered yet from the trace ring (the engine is
 * intact; only the driver's memory is bad), marks the last one, and
 * writes the picture before the process exits.
 */
static struct {
	FILE *out;
	const char *title, *target;
	enum pf_show_format fmt;
	struct pf_result *r;
} live;

static void write_out(void)
{
	collect_handles();
	layout();
	if (live.fmt == PF_SHOW_TRACE_JSON)
		write_json(live.out, live.title, live.r);
	else
		write_html(live.out, live.title, live.target, live.r);
}

#if defined(__SANITIZE_ADDRESS__)
#define PF_SHOW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PF_SHOW_ASAN 1
#endif
#endif

#ifdef PF_SHOW_ASAN
#include <sanitizer/common_interface_defs.h>

static void show_on_death(void)
{
	uint64_t s = sh.nsteps ? sh.steps[sh.nsteps - 1].step + 1 : 1;
	struct cn_trace_entry e;

	if (live.out == NULL)
		return;
	for (; s <= cn_trace_steps() && sh.nsteps < SH_MAX_STEPS; s++)
		if (cn_trace_get(s, &e) == PT_OK && e.step > 0)
			cap_step(NULL, &e);
	sh.died = sh.nsteps ? sh.steps[sh.nsteps - 1].step : 0;
	live.r->verdict = PF_VERDICT_MISMATCH;
	snprintf(live.r->why, sizeof(live.r->why),
		 "the run died under AddressSanitizer during step #%llu (a "
		 "driver's memory error: its report is on stderr)",
		 (unsigned long long)sh.died);
	write_out();
	fflush(live.out);
	live.out = NULL;
}
#endif

int pf_show_program(const struct pf_program *p, int puppet, const char *title,
		    const char *target, enum pf_show_format fmt, FILE *out,
		    struct pf_result *r)
{
	struct pf_run_opts o = { NULL, puppet };

	memset(&sh, 0, sizeof(sh));
	sh.p = p;
	sh.ncpu = p->cfg.cpus ? p->cfg.cpus : 1;
	if (sh.ncpu > CN_MAX_CPUS)
		sh.ncpu = CN_MAX_CPUS;
	sh.mcm = !!(p->cfg.flags & PF_CFG_MCM);
	sh.puppet = puppet;
	live.out = out;
	live.title = title;
	live.target = target;
	live.fmt = fmt;
	live.r = r;
#ifdef PF_SHOW_ASAN
	__sanitizer_set_death_callback(show_on_death);
#endif
	pf_run_set_hook(&cap_hook);
	(void)pf_run(p, &o, r);
	pf_run_set_hook(NULL);
	write_out();
	live.out = NULL; /* no death callback writes it twice */
	return ferror(out) ? -1 : 0;
}

void pf_show_coverage_dot(FILE *out, unsigned programs)
{
	struct cn_transition_info t;
	const char *machine = "";
	uint32_t i;
	int q;

	/* One graph, one cluster per machine: the two machines share state
	 * names (MAKING, CLOSING), so node ids carry the machine. */
	fprintf(out,
		"digraph contract_coverage {\n"
		"  label=\"contract coverage of %u programs: each edge is a "
		"row of the state machine, with its hits at PASSIVE/APC/"
		"DISPATCH (- never); red dashed: never taken\";\n"
		"  labelloc=t; fontname=\"Helvetica\"; rankdir=TB;\n"
		"  node [shape=box, style=\"rounded,filled\", "
		"fillcolor=\"#eef2f7\", fontname=\"Helvetica\"];\n"
		"  edge [fontname=\"Helvetica\", fontsize=10];\n",
		programs);
	for (i = 0; cn_transition_get(i, &t); i++) {
		uint64_t h, any = 0;
		char cells[96] = "";
		size_t n = 0;

		if (strcmp(machine, t.machine) != 0) {
			if (*machine)
				fprintf(out, "  }\n");
			machine = t.machine;
			fprintf(out,
				"  subgraph cluster_%s {\n    label=\"%s "
				"(%s)\"; style=rounded; color=\"#6b7a90\";\n",
				machine,
				strcmp(machine, "party") == 0 ? "party states"
							      : "VC states",
				strcmp(machine, "party") == 0 ? "P rows"
							      : "V rows");
		}
		for (q = 0; q < CN_COV_IRQLS; q++) {
			h = cn_coverage_transition(i, (KIRQL)q);
			any += h;
			n += (size_t)snprintf(cells + n, sizeof(cells) - n,
					      h ? "%s%llu" : "%s-",
					      q ? "/" : "",
					      (unsigned long long)h);
		}
		fprintf(out,
			"    \"%s:%s\" [label=\"%s\"];\n    \"%s:%s\" "
			"[label=\"%s\"];\n",
			machine, t.from, t.from, machine, t.to, t.to);
		fprintf(out,
			"    \"%s:%s\" -> \"%s:%s\" [id=\"row_%s_%u\", "
			"label=\"%s %s\\n%s%s\", tooltip=\"%s %s: "
			"PASSIVE/APC/DISPATCH %s\"%s];\n",
			machine, t.from, machine, t.to, t.id, i, t.id, t.event,
			cells, any ? "" : "  NEVER", t.id, t.event, cells,
			any ? ""
			    : ", color=\"#b30000\", fontcolor=\"#b30000\", "
			      "style=dashed, penwidth=2");
	}
	if (*machine)
		fprintf(out, "  }\n");
	fprintf(out, "}\n");
}

/* ---- the coverage picture ---------------------------------------------- */

/* Does @prog run from $PATH (an executable file in one of its dirs)? */
static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[1024];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
		if (access(buf, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* Run argv (no shell), its output to /dev/null; its exit status, or -1. */
static int run_quiet(char *const argv[])
{
	pid_t pid = fork();
	int st, fd;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int pf_show_coverage_write(const char *dot, const char *svg, unsigned programs)
{
	char tmp[1100];
	FILE *f;
	int rc;

	if (dot != NULL) {
		if ((f = fopen(dot, "w")) == NULL) {
			fprintf(stderr, "partyfuzz: %s: %s\n", dot,
				strerror(errno));
			return -1;
		}
		pf_show_coverage_dot(f, programs);
		if (fclose(f) != 0) {
			fprintf(stderr, "partyfuzz: %s: write error\n", dot);
			return -1;
		}
		printf("coverage graph (DOT): %s\n", dot);
	}
	if (svg == NULL)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.dot", svg);
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "partyfuzz: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	pf_show_coverage_dot(f, programs);
	if (fclose(f) != 0) {
		fprintf(stderr, "partyfuzz: %s: write error\n", tmp);
		return -1;
	}
	if (!on_path("dot")) {
		/* Graphviz is optional: the DOT text is the picture. */
		printf("coverage graph: Graphviz 'dot' not found, wrote the "
		       "DOT text to %s (render: dot -Tsvg -o %s %s)\n",
		       tmp, svg, tmp);
		return 0;
	}
	{
		char *argv[] = {
			"dot", "-Tsvg", "-o", (char *)svg, tmp, NULL
		};

		rc = run_quiet(argv);
	}
	if (rc != 0) {
		fprintf(stderr,
			"partyfuzz: dot -Tsvg %s failed (exit %d); the DOT "
			"text is in %s\n",
			svg, rc, tmp);
		return -1;
	}
	remove(tmp);
	printf("coverage graph (SVG, Graphviz): %s\n", svg);
	return 0;
}

/* ---- partyfuzz show ---------------------------------------------------- */

#ifndef PF_SCHED_BIN
#define PF_SCHED_BIN ""
#endif

static int show_usage(void)
{
	fprintf(stderr,
		"usage: partyfuzz show [--target=T] [--format=html|trace-json] "
		"[-o OUT] FILE\n"
		"  T: fuzz_condis, fuzz_condis_adversary, auto (the "
		"program's drivers=),\n"
		"     or any other target, drawn by its own binary "
		"(fuzz_table_sched, fuzz_wdk_style,\n"
		"     your pt_add_driver_fuzzer target: --bin=PATH, default "
		"the one built\n"
		"     with this tool)\n");
	return 2;
}

/*
 * The binary of @target built with this tool: PF_SCHED_BIN for
 * fuzz_table_sched (the build says where), else <tree>/fuzz/<target>
 * next to <tree>/fuzz/harness/partyfuzz.
 */
static const char *sibling_bin(const char *target, char *buf, size_t len)
{
	static const char sched[] = PF_SCHED_BIN;
	char self[1024];
	ssize_t n;
	char *slash;
	int k;

	if (strcmp(target, "fuzz_table_sched") == 0 && sched[0] != '\0')
		return sched;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	for (k = 0; k < 2; k++) { /* drop "/partyfuzz", then "/harness" */
		slash = strrchr(self, '/');
		if (slash == NULL)
			return NULL;
		*slash = '\0';
	}
	snprintf(buf, len, "%s/%s", self, target);
	return buf;
}

/*
 * Targets other than fuzz_condis* run their own binary (another core, or
 * other drivers), not in this process:
 * run it on FILE with PF_SHOW=OUT (fuzz_table_sched.c writes the picture,
 * show_sched.h; a driver fuzzer's harness/target.h, show.h), and check
 * that the picture was written.
 */
static int show_external(const char *target, const char *bin, const char *file,
			 const char *out, enum pf_show_format fmt)
{
	char *argv[] = { (char *)bin, (char *)file, NULL };
	struct stat st;
	int rc;

	if (bin == NULL || *bin == '\0' || access(bin, X_OK) != 0) {
		fprintf(stderr,
			"partyfuzz: show: no binary of %s%s%s (build it, or "
			"give --bin=PATH)\n",
			target, bin && *bin ? " at " : "", bin ? bin : "");
		return 2;
	}
	remove(out);
	setenv("PF_SHOW", out, 1);
	setenv("PF_SHOW_TITLE", file, 1);
	setenv("PF_SHOW_TARGET", target, 1);
	setenv("PF_SHOW_FORMAT",
	       fmt == PF_SHOW_TRACE_JSON ? "trace-json" : "html", 1);
	rc = run_quiet(argv);
	unsetenv("PF_SHOW");
	unsetenv("PF_SHOW_FORMAT");
	unsetenv("PF_SHOW_TITLE");
	unsetenv("PF_SHOW_TARGET");
	if (stat(out, &st) != 0 || st.st_size == 0) {
		fprintf(stderr,
			"partyfuzz: show: %s wrote no picture of %s (exit "
			"%d): the CoNDIS targets and fuzz_table_sched draw "
			"their runs, %s\n",
			bin, file, rc,
			strcmp(target, "fuzz_party_table") == 0
				? "fuzz_party_table's FUZZ_VERBOSE trace is its "
				  "whole run"
				: "is it one of them?");
		return 3;
	}
	printf("partyfuzz show: %s -> %s (%s exit %d: %s)\n", file, out, bin,
	       rc, rc == 0 ? "passes" : "fails");
	return 0;
}

int pf_show_main(int argc, char **argv, pf_show_load_fn load)
{
	const char *out = NULL, *file = NULL, *target = "auto";
	const char *bin = NULL, *ext = NULL;
	enum pf_show_format fmt = PF_SHOW_HTML;
	const struct pf_program *p;
	struct pf_result r;
	char path[1100];
	int i, puppet = -1;
	FILE *f;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--format=html") == 0) {
			fmt = PF_SHOW_HTML;
		} else if (strcmp(argv[i], "--format=trace-json") == 0) {
			fmt = PF_SHOW_TRACE_JSON;
		} else if (strcmp(argv[i], "--target=fuzz_condis") == 0) {
			puppet = 0;
			target = "fuzz_condis";
		} else if (strcmp(argv[i], "--target=fuzz_condis_adversary") ==
			   0) {
			puppet = 1;
			target = "fuzz_condis_adversary";
		} else if (strcmp(argv[i], "--target=auto") == 0) {
			puppet = -1;
			target = "auto";
		} else if (strncmp(argv[i], "--target=", 9) == 0) {
			ext = argv[i] + 9; /* drawn by its own binary */
		} else if (strncmp(argv[i], "--bin=", 6) == 0) {
			bin = argv[i] + 6;
		} else if (argv[i][0] == '-' || file != NULL) {
			return show_usage();
		} else {
			file = argv[i];
		}
	}
	if (file == NULL || out == NULL)
		return show_usage();
	if (ext != NULL) {
		if (bin == NULL)
			bin = sibling_bin(ext, path, sizeof(path));
		return show_external(ext, bin, file, out, fmt);
	}
	if (load(file, &p) < 0)
		return 3;
	if ((f = fopen(out, "w")) == NULL) {
		fprintf(stderr, "partyfuzz: %s: %s\n", out, strerror(errno));
		return 3;
	}
	if (pf_show_program(p, puppet, file, target, fmt, f, &r) < 0 ||
	    fclose(f) != 0) {
		fprintf(stderr, "partyfuzz: %s: write error\n", out);
		return 3;
	}
	printf("partyfuzz show: %s -> %s (VERDICT: %s%s%s)\n", file, out,
	       verdict_word(&r), r.first_rule ? " " : "",
	       r.first_rule ? cn_rule_id(r.first_rule) : "");
	pf_run_shutdown();
	return 0;
}
