/*
 * show_sched.c - a fuzz_table_sched run as a picture (show_sched.h).
 *
 * Layout. Time runs down, one row per atomic step of the scheduled run;
 * one lane per green thread. A step is a box in its thread's lane: the
 * atomic (atomic.h wrapper), the word (layout.h names it), and the value
 * before -> after (or, for a weak load, the store it read). A step on a
 * word whose previous step was another thread's is a conflict: an orange
 * edge, with a dashed line from that previous step, is where the
 * interleaving matters. Left of each lane, a bar spans each operation's
 * steps, labelled with the operation; the operations of the prefix P and
 * the quiescent suffix Q run outside the scheduler and appear in the
 * history table only. The history table lists every operation as
 * lc_print_op() prints it; those that lc_check()'s witness names ("#N
 * got:") are the ones that could not be linearized, marked red here and
 * in the lanes.
 *
 * Everything printed comes from the view (W2 of show.c): the run's
 * steps, history and witness, no address.
 */
#include "tools/show_sched.h"

#include <stdlib.h>
#include <string.h>

#define ROW_H 34
#define TOP 70
#define STEP_W 50
#define LANE_W 400
#define BAR_W 14

static const char *ht_name(unsigned t)
{
	static const char *const names[LC_MAX_THREADS] = {
		"P", "T0", "T1", "T2", "T3", "Q",
	};

	return t < LC_MAX_THREADS ? names[t] : "?";
}

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

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

/* lc_print_op() as a string without its newline. */
static void op_text(const struct lc_op *o, char *buf, size_t len)
{
	FILE *m = fmemopen(buf, len, "w");
	size_t n;

	if (m == NULL) {
		snprintf(buf, len, "%s", lc_kind_name(o->kind));
		return;
	}
	lc_print_op(m, o);
	fclose(m);
	buf[len - 1] = '\0';
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
}

/* Is history operation @i named by the witness as "#i got:"? */
static int nonlin(const struct pf_sched_view *v, unsigned i)
{
	char pat[24];

	if (v->witness == NULL)
		return 0;
	snprintf(pat, sizeof(pat), "#%u got:", i);
	return strstr(v->witness, pat) != NULL;
}

/* The witness's "model:" line under "#i got:": what the sequential model
 * answers instead, as a paragraph. */
static void model_line(FILE *f, const struct pf_sched_view *v, unsigned i)
{
	char pat[24], line[320];
	const char *p, *m;
	size_t n;

	snprintf(pat, sizeof(pat), "#%u got:", i);
	p = v->witness ? strstr(v->witness, pat) : NULL;
	m = p ? strstr(p, "model: ") : NULL;
	if (m == NULL)
		return;
	m += strlen("model: ");
	n = strcspn(m, "\n");
	snprintf(line, sizeof(line), "%.*s", (int)n, m);
	fputs("<p class=\"model\">The model answers: <code>", f);
	esc(f, line);
	fputs("</code></p>\n", f);
}

/* The step's value text: "before -> after", the value, or the store a
 * weak load read (as fuzz_table_sched prints it). */
static void step_values(const struct pf_sched_view *v, const struct ps_step *s,
			char *before, char *after, size_t len, char *extra,
			size_t elen)
{
	before[0] = after[0] = extra[0] = '\0';
	if (s->rf.valid == 1 && s->before == s->after) {
		ps_layout_value(v->layout, s->addr, s->rf.value, before, len);
		snprintf(after, len, "%s", before);
		if (s->rf.writer == PS_WM_INIT)
			snprintf(extra, elen, "read store #%u of start%s",
				 s->rf.mo, s->rf.stale ? " (stale)" : "");
		else
			snprintf(extra, elen, "read store #%u of T%u%s",
				 s->rf.mo, s->rf.writer,
				 s->rf.stale ? " (stale)" : "");
	} else if (s->width) {
		ps_layout_value(v->layout, s->addr, s->before, before, len);
		ps_layout_value(v->layout, s->addr, s->after, after, len);
	}
}

/* Did step @s change its word (or store to it)? */
static int wrote(const struct ps_step *s)
{
	return (s->width && s->before != s->after) || s->rf.valid == 2 ||
	       strncmp(s->op, "store", 5) == 0;
}

/* Index of the previous step on the same word, or -1. */
static int prev_on_word(const struct pf_sched_view *v, unsigned i)
{
	unsigned j;

	if (v->steps[i].addr == NULL)
		return -1;
	for (j = i; j-- > 0;)
		if (v->steps[j].addr == v->steps[i].addr)
			return (int)j;
	return -1;
}

static int lane_x(unsigned t)
{
	return STEP_W + BAR_W + 8 + (int)t * (LANE_W + BAR_W + 8);
}

static const char *thread_colour(unsigned t)
{
	/* Red is kept for what could not be linearized. */
	static const char *const c[] = { "#1f4e9c", "#1b7837", "#762a83",
					 "#8c510a" };

	return c[t % 4];
}

static void write_html(FILE *f, const struct pf_sched_view *v)
{
	char name[64], before[96], after[96], extra[96], text[320];
	unsigned i, t, k, first_bad = 0, any_bad = 0;
	int width, height;

	for (k = 0; k < v->hist->n; k++)
		if (nonlin(v, k)) {
			if (!any_bad)
				first_bad = k;
			any_bad = 1;
		}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<title>partyfuzz: fuzz_table_sched ",
	      f);
	esc(f, v->title);
	fputs("</title>\n<style>\n"
	      "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,"
	      "sans-serif;margin:16px;color:#222;background:#fff}\n"
	      "h1{font-size:20px;margin:0 0 4px}\n"
	      ".sub{color:#555;font-size:13px;margin-bottom:10px}\n"
	      "code,pre,.mono,td{font-family:'DejaVu Sans Mono',Menlo,"
	      "monospace;font-size:12px}\n"
	      "#finding{border:2px solid #b30000;background:#fff5f5;"
	      "padding:8px 12px;margin:8px 0 12px;max-width:1300px}\n"
	      "#finding.ok{border-color:#31a354;background:#f3fbf3}\n"
	      "#finding h2{font-size:16px;margin:0 0 6px}\n"
	      "svg text{font-size:12px}\n"
	      "svg .lbl{font-family:'DejaVu Sans Mono',Menlo,monospace;"
	      "font-size:11.5px}\n"
	      "table{border-collapse:collapse;margin:6px 0}\n"
	      "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}\n"
	      "tr.nonlin td{background:#ffe3e3;color:#b30000;"
	      "font-weight:bold}\n"
	      "pre{background:#f7f7f7;padding:8px}\n"
	      "</style>\n</head>\n<body>\n",
	      f);
	fputs("<h1>partyfuzz show: fuzz_table_sched ", f);
	esc(f, v->title);
	fputs("</h1>\n<div class=\"sub\">", f);
	esc(f, v->config);
	fputs("</div>\n", f);
	if (v->failure == NULL) {
		fputs("<div id=\"finding\" class=\"ok\" data-verdict=\"OK\" "
		      "data-nonlin=\"\"><h2>linearizable</h2><p>The history "
		      "is linearizable with respect to the sequential model "
		      "and the table validated at the quiescent "
		      "point.</p></div>\n",
		      f);
	} else {
		fputs("<div id=\"finding\" data-verdict=\"FAILURE\" "
		      "data-what=\"",
		      f);
		esc(f, v->failure);
		fputs("\" data-nonlin=\"", f);
		for (k = 0; k < v->hist->n; k++)
			if (nonlin(v, k))
				fprintf(f, "%s%u", k == first_bad ? "" : " ",
					k);
		fputs("\"><h2>FAILURE: ", f);
		esc(f, v->failure);
		fputs("</h2>\n", f);
		if (v->detail) {
			fputs("<p class=\"mono\">", f);
			esc(f, v->detail);
			fputs("</p>\n", f);
		}
		if (any_bad) {
			op_text(&v->hist->ops[first_bad], text, sizeof(text));
			fprintf(f,
				"<p>Could not be linearized: <b><a "
				"href=\"#h%u\">#%u</a> (%s)</b> ",
				first_bad, first_bad,
				ht_name(v->hist->ops[first_bad].thread));
			esc(f, text);
			fputs(" &mdash; no order of the operations that "
			      "keeps each thread's order and real time "
			      "gives the model this answer (witness "
			      "below).</p>\n",
			      f);
			model_line(f, v, first_bad);
		}
		fputs("</div>\n", f);
	}

	/* the interleaving */
	width = lane_x(v->nthreads) + 20;
	height = TOP + (int)v->nsteps * ROW_H + 30;
	fprintf(f,
		"<svg id=\"interleaving\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		width, height, width, height);
	fprintf(f, "<text x=\"4\" y=\"%d\" font-weight=\"bold\">step</text>\n",
		TOP - 16);
	for (t = 0; t < v->nthreads; t++)
		fprintf(f,
			"<g class=\"lane\" data-lane=\"T%u\"><rect x=\"%d\" "
			"y=\"%d\" width=\"%d\" height=\"24\" rx=\"4\" "
			"fill=\"#eef2f7\" stroke=\"#6b7a90\"/><text x=\"%d\" "
			"y=\"%d\" text-anchor=\"middle\" "
			"font-weight=\"bold\">green thread T%u</text></g>\n",
			t, lane_x(t), TOP - 34, LANE_W, lane_x(t) + LANE_W / 2,
			TOP - 17, t);
	/* operation spans */
	for (k = 0; k < v->hist->n; k++) {
		int lo = -1, hi = -1, bad = nonlin(v, k);
		const struct lc_op *o = &v->hist->ops[k];

		if (o->thread == 0 || o->thread >= LC_MAX_THREADS - 1)
			continue; /* P and Q: not scheduled */
		for (i = 0; i < v->nsteps; i++)
			if (v->steps[i].tag == k) {
				if (lo < 0)
					lo = (int)i;
				hi = (int)i;
			}
		if (lo < 0)
			continue;
		t = o->thread - 1u;
		op_text(o, text, sizeof(text));
		fprintf(f,
			"<g class=\"span\" data-op=\"%u\" data-thread=\"T%u\" "
			"data-nonlin=\"%d\"><rect x=\"%d\" y=\"%d\" "
			"width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"><title>"
			"#%u ",
			k, t, bad, lane_x(t) - BAR_W - 4, TOP + lo * ROW_H + 2,
			BAR_W, (hi - lo + 1) * ROW_H - 4,
			bad ? "#b30000" : thread_colour(t), k);
		esc(f, text);
		fprintf(f,
			"</title></rect><text x=\"%d\" y=\"%d\" fill=\"#fff\" "
			"font-size=\"10\" font-weight=\"bold\" "
			"text-anchor=\"middle\">#%u</text></g>\n",
			lane_x(t) - BAR_W / 2 - 4, TOP + lo * ROW_H + 14, k);
	}
	/* conflict edges first, under the boxes: from the word's previous
	 * step (another thread's) to this one */
	for (i = 0; i < v->nsteps; i++) {
		const struct ps_step *s = &v->steps[i];
		int prev = prev_on_word(v, i);

		if (prev < 0 || v->steps[prev].thread == s->thread ||
		    !(wrote(s) || wrote(&v->steps[prev])))
			continue;
		fprintf(f,
			"<line class=\"conflict\" x1=\"%d\" y1=\"%d\" "
			"x2=\"%d\" y2=\"%d\" stroke=\"#e6550d\" "
			"stroke-opacity=\"0.55\" stroke-dasharray=\"4 3\" "
			"stroke-width=\"1.2\"/>\n",
			lane_x(v->steps[prev].thread) + LANE_W / 2,
			TOP + prev * ROW_H + ROW_H - 2,
			lane_x(s->thread) + LANE_W / 2,
			TOP + (int)i * ROW_H + 2);
	}
	for (i = 0; i < v->nsteps; i++) {
		const struct ps_step *s = &v->steps[i];
		int prev = prev_on_word(v, i), y = TOP + (int)i * ROW_H;
		int conflict = prev >= 0 &&
			       v->steps[prev].thread != s->thread &&
			       (wrote(s) || wrote(&v->steps[prev]));
		int bad = s->tag < v->hist->n && nonlin(v, s->tag);

		t = s->thread;
		ps_layout_name(v->layout, s->addr, name, sizeof(name));
		step_values(v, s, before, after, sizeof(before), extra,
			    sizeof(extra));
		fprintf(f,
			"<g class=\"astep\" data-i=\"%u\" data-thread=\"T%u\" "
			"data-op=\"%s\" data-word=\"",
			i, t, s->op);
		esc(f, s->addr ? name : "(fence)");
		fputs("\" data-before=\"", f);
		esc(f, before);
		fputs("\" data-after=\"", f);
		esc(f, after);
		fprintf(f, "\" data-hop=\"%u\" data-conflict=\"%d\">\n",
			s->tag, conflict);
		fprintf(f, "<text x=\"4\" y=\"%d\" class=\"lbl\">%u</text>\n",
			y + 20, i);
		fprintf(f,
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			"rx=\"3\" fill=\"%s\" stroke=\"%s\" "
			"stroke-width=\"%s\"/>\n",
			lane_x(t), y + 2, LANE_W, ROW_H - 4,
			bad ? "#fff0f0" : "#fafafa",
			conflict ? "#e6550d" : "#bbb", conflict ? "2.5" : "1");
		fprintf(f,
			"<text class=\"lbl\" x=\"%d\" y=\"%d\" fill=\"%s\">"
			"<tspan font-weight=\"bold\">",
			lane_x(t) + 6, y + 15, thread_colour(t));
		esc(f, s->op);
		fputs("</tspan> ", f);
		esc(f, s->addr ? name : "(fence)");
		fprintf(f, " <tspan fill=\"#777\">[#%u %s]</tspan></text>\n",
			s->tag,
			s->tag < v->hist->n
				? lc_kind_name(v->hist->ops[s->tag].kind)
				: "?");
		fprintf(f, "<text class=\"lbl\" x=\"%d\" y=\"%d\">",
			lane_x(t) + 6, y + 28);
		if (extra[0]) {
			esc(f, before);
			fputs(" <tspan fill=\"#b2182b\">", f);
			esc(f, extra);
			fputs("</tspan>", f);
		} else if (strcmp(before, after) != 0) {
			esc(f, before);
			fputs(" <tspan font-weight=\"bold\">\xe2\x86\x92 ", f);
			esc(f, after);
			fputs("</tspan>", f);
		} else {
			esc(f, before);
		}
		fputs("</text>\n</g>\n", f);
	}
	fputs("</svg>\n", f);

	/* the history */
	fputs("<h3>History</h3>\n<table id=\"history\">\n<tr><th>op</th>"
	      "<th>thread</th><th>steps</th><th>operation = answer</th>"
	      "</tr>\n",
	      f);
	for (k = 0; k < v->hist->n; k++) {
		const struct lc_op *o = &v->hist->ops[k];
		int bad = nonlin(v, k);

		op_text(o, text, sizeof(text));
		fprintf(f,
			"<tr class=\"hop%s\" id=\"h%u\" data-op=\"%u\" "
			"data-thread=\"%s\" data-nonlin=\"%d\"><td>#%u</td>"
			"<td>%s</td><td>",
			bad ? " nonlin" : "", k, k, ht_name(o->thread), bad, k,
			ht_name(o->thread));
		if (o->resp == 0)
			fprintf(f, "%u.. (still running)", o->inv_step);
		else
			fprintf(f, "%u..%u", o->inv_step, o->resp_step);
		fputs("</td><td>", f);
		esc(f, text);
		if (bad)
			fputs(" &nbsp;\xe2\x9c\x95 not linearizable", f);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	if (v->witness) {
		fputs("<h3>Witness (lc_check)</h3>\n<pre id=\"witness\">", f);
		esc(f, v->witness);
		fputs("</pre>\n", f);
	}
	fputs("</body>\n</html>\n", f);
}

static void write_json(FILE *f, const struct pf_sched_view *v)
{
	char name[64], before[96], after[96], extra[96], text[320];
	unsigned i, t, k;

	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"title\":\"", f);
	jesc(f, v->title);
	fputs("\",\"verdict\":\"", f);
	jesc(f, v->failure ? v->failure : "OK");
	fputs("\"},\"traceEvents\":[\n", f);
	fputs("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":"
	      "{\"name\":\"green threads\"}},\n"
	      "{\"ph\":\"M\",\"pid\":2,\"name\":\"process_name\",\"args\":"
	      "{\"name\":\"history\"}}",
	      f);
	for (t = 0; t < v->nthreads; t++)
		fprintf(f,
			",\n{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":"
			"\"thread_name\",\"args\":{\"name\":\"T%u\"}}",
			t, t);
	for (i = 0; i < v->nsteps; i++) {
		const struct ps_step *s = &v->steps[i];

		ps_layout_name(v->layout, s->addr, name, sizeof(name));
		step_values(v, s, before, after, sizeof(before), extra,
			    sizeof(extra));
		fprintf(f,
			",\n{\"ph\":\"X\",\"pid\":1,\"tid\":%u,\"ts\":%u,"
			"\"dur\":9,\"name\":\"%s\",\"args\":{\"i\":%u,"
			"\"word\":\"",
			s->thread, i * 10, s->op, i);
		jesc(f, s->addr ? name : "(fence)");
		fputs("\",\"before\":\"", f);
		jesc(f, before);
		fputs("\",\"after\":\"", f);
		jesc(f, after);
		fprintf(f, "\",\"op\":%u}}", s->tag);
	}
	for (k = 0; k < v->hist->n; k++) {
		const struct lc_op *o = &v->hist->ops[k];
		unsigned end = o->resp ? o->resp_step : v->nsteps;

		op_text(o, text, sizeof(text));
		fprintf(f,
			",\n{\"ph\":\"X\",\"pid\":2,\"tid\":%u,\"ts\":%u,"
			"\"dur\":%u,\"name\":\"#%u %s\",\"cat\":\"%s\","
			"\"args\":{\"thread\":\"%s\",\"op\":\"",
			o->thread, o->inv_step * 10,
			(end > o->inv_step ? end - o->inv_step : 0) * 10 + 5,
			k, lc_kind_name(o->kind),
			nonlin(v, k) ? "not-linearizable" : "op",
			ht_name(o->thread));
		jesc(f, text);
		fputs("\"}}", f);
	}
	for (t = 0; t < LC_MAX_THREADS; t++)
		fprintf(f,
			",\n{\"ph\":\"M\",\"pid\":2,\"tid\":%u,\"name\":"
			"\"thread_name\",\"args\":{\"name\":\"%s\"}}",
			t, ht_name(t));
	fputs("\n]}\n", f);
}

int pf_show_sched(FILE *out, const struct pf_sched_view *v, int html)
{
	if (html)
		write_html(out, v);
	else
		write_json(out, v);
	return ferror(out) ? -1 : 0;
}

int pf_show_sched_env(const struct pf_sched_view *v)
{
	const char *path = getenv("PF_SHOW"), *fmt = getenv("PF_SHOW_FORMAT");
	FILE *f;
	int rc;

	if (path == NULL || *path == '\0')
		return 0;
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "fuzz_table_sched: PF_SHOW=%s: cannot write\n",
			path);
		return -1;
	}
	rc = pf_show_sched(f, v,
			   fmt == NULL || strcmp(fmt, "trace-json") != 0);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "fuzz_table_sched: PF_SHOW=%s: write error\n",
			path);
		return -1;
	}
	return 0;
}
