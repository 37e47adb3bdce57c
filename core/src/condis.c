/*
 * condis.c - the CoNDIS engine: lifecycle, the state machines, completion
 * delivery, DPC queues, queries and validation. The party-lifecycle DDIs
 * are in condis_ddi.c, registration and bring-up in condis_bind.c, the
 * NDIS services (spin locks, memory, lookaside lists) in ndis_services.c.
 *
 * Objects. A VC is a slot of e->vcs named by a handle with the party
 * table's layout and tag CN_TAG_VC; deleting a VC bumps the slot's
 * generation (or parks the slot at gen_max), so a deleted VC's handle never
 * validates again. A party is a slot of the party table (tag CN_TAG_PARTY,
 * its ctx word holds the ProtocolPartyContext) plus side data in
 * e->pside[index]: the CallMgrPartyContext, the call parameters, the phase
 * of its add/drop at the CM, and how its last life ended. Parties are
 * never referenced (pt_party_acquire) by the engine: a retired party's slot
 * is recycled at once, and every later use of its handle is stale.
 *
 * State changes. Every party and VC state change goes through
 * _cn_party_step()/_cn_vc_step(), which look the change up in ONE table per
 * machine (party_rows, vc_rows below, spec 3.1 and 3.2) and keep the VC's
 * per-state party counters. The DDIs decide which event happens and which
 * rule a bad call breaks; the tables decide what the event does.
 *
 * Delivery. A client completion or indication caused by the CM goes
 * through _cn_deliver(): the harness's choose_delivery() runs it now or
 * queues it on a CPU's DPC queue; cn_dpc_run() runs a queued one at
 * DISPATCH_LEVEL. The state changed before delivery (condis.h).
 *
 * Invariants (checked by cn_call_validate() at quiescent points; the code
 * cites them):
 *   V1  The party table is valid (pt_table_validate, I1..I8).
 *   V2  For every VC, making/adding/active/dropping/closing equal the
 *       number of its live parties in MAKING/ADDING/ACTIVE+REMOTE_DROPPED/
 *       DROPPING/CLOSING, and remote equals those in REMOTE_DROPPED.
 *   V3  A FREE, PARKED, IDLE or CLOSED VC has no live party, no request
 *       and is not activated.
 *   V4  A VC is MAKING iff its request is MAKE_CALL; a PMP one has exactly
 *       its initial party, in MAKING; a P2P one has none.
 *   V5  A CONNECTED or REMOTE_CLOSED VC has no request, is activated, has
 *       no MAKING or CLOSING party, and if PMP at least one ACTIVE,
 *       REMOTE_DROPPED or DROPPING party (A2: a PMP call never reaches
 *       zero parties; a drop in flight may still fail, and the one that
 *       would leave none must fail, L1 of condis_ddi.c; not under
 *       CN_OPT_A2_COUNT_CONNECTING, whose [sample] reading can drop the
 *       last connected party while an add is in flight).
 *   V6  A VC is CLOSING iff its request is CLOSE_CALL; a PMP one has
 *       exactly one party, the named one, in CLOSING (R2, C11).
 *   V7  A P2P VC has no parties.
 *   V8  owed equals the number of VC and party requests in phase PENDED;
 *       outside a DDI no request is IN_HANDLER; only ADDING and DROPPING
 *       parties have a party-level phase.
 *   V9  pside[i].live iff the party table holds a live party at slot i
 *       with generation pside[i].gen. (The "if" direction probes every
 *       dead slot: checked at PT_DEBUG 3 and by cn_engine_check_end.)
 *   V10 parties_created - parties_ended equals the number of live parties
 *       (each handle ends exactly once, C12).
 *   V11 Each DPC queue holds at most dpc_capacity entries.
 *   V12 The validator runs outside any DDI (depth 0).
 *   V13 Close data is marked only while its request is in flight: a VC's
 *       close_data only with a close pended, a party's only while its
 *       drop is pended (C20 judges the completion by it; a mark left
 *       behind would judge the next request).
 */
#include <stdlib.h>
#include <string.h>

#include "condis_internal.h"
#include "debug.h"
#include "fault.h"

struct cn_engine *_cn_eng;

struct cn_engine *_cn_engine_get(void)
{
	if (PT_UNLIKELY(_cn_eng == NULL)) {
		fprintf(stderr, "partyfuzz: no CoNDIS engine: call "
				"cn_engine_create() first\n");
		abort();
	}
	return _cn_eng;
}

/*
 * The state machines.
 */

/* Pseudo-state of the VC table: a failed close returns to close_from. */
#define CN_VC_BACK 0xff
/* Pseudo-state of the party table: a failed drop returns to drop_from. */
#define CN_PARTY_BACK 0xfe

struct cn_row {
	const char *id;
	uint8_t from;
	uint8_t ev;
	uint8_t to;
	const char *event; /* for the graph */
};

/* Spec 3.1. PT_FREE as `from` creates the party; PT_DEAD retires it. */
static const struct cn_row party_rows[] = {
	{ "P1", PT_FREE, CN_EV_MAKE_CALL, PT_MAKING, "NdisClMakeCall(PMP)" },
	{ "P2", PT_MAKING, CN_EV_SETUP_OK, PT_ACTIVE, "make call SUCCESS" },
	{ "P3", PT_MAKING, CN_EV_SETUP_FAIL, PT_DEAD, "make call failed" },
	{ "P4", PT_FREE, CN_EV_ADD_PARTY, PT_ADDING, "NdisClAddParty" },
	{ "P5", PT_ADDING, CN_EV_SETUP_OK, PT_ACTIVE, "add party SUCCESS" },
	{ "P6", PT_ADDING, CN_EV_SETUP_FAIL, PT_DEAD, "add party failed" },
	{ "P7", PT_ACTIVE, CN_EV_DROP, PT_DROPPING, "NdisClDropParty" },
	{ "P7", PT_REMOTE_DROPPED, CN_EV_DROP, PT_DROPPING,
	  "NdisClDropParty" },
	{ "P8", PT_DROPPING, CN_EV_DROP_OK, PT_DEAD, "drop SUCCESS" },
	/* A failed drop leaves the party where the drop found it: ACTIVE,
	 * or REMOTE_DROPPED when the drop answered an incoming drop (the
	 * network still dropped it; the client still owes its answer, C14,
	 * and a second incoming drop of it is still R4/C13's business). */
	{ "P10", PT_DROPPING, CN_EV_DROP_FAIL, CN_PARTY_BACK,
	  "drop failed (A4)" },
	{ "P11", PT_ACTIVE, CN_EV_INCOMING_DROP, PT_REMOTE_DROPPED,
	  "Ndis(M)CmDispatchIncomingDropParty" },
	{ "P12", PT_ACTIVE, CN_EV_CLOSE, PT_CLOSING, "NdisClCloseCall" },
	{ "P12", PT_REMOTE_DROPPED, CN_EV_CLOSE, PT_CLOSING,
	  "NdisClCloseCall" },
	{ "P13", PT_CLOSING, CN_EV_CLOSE_OK, PT_DEAD, "close SUCCESS" },
	{ "P14", PT_CLOSING, CN_EV_CLOSE_FAIL, PT_ACTIVE,
	  "close failed (A6)" },
};

/* Spec 3.2 (V-rows are this file's numbering). */
static const struct cn_row vc_rows[] = {
	{ "V1", CN_VC_IDLE, CN_EV_MAKE_CALL, CN_VC_MAKING, "NdisClMakeCall" },
	{ "V2", CN_VC_CLOSED, CN_EV_MAKE_CALL, CN_VC_MAKING,
	  "NdisClMakeCall (A7 reuse)" },
	{ "V3", CN_VC_MAKING, CN_EV_SETUP_OK, CN_VC_CONNECTED,
	  "make call SUCCESS" },
	{ "V4", CN_VC_MAKING, CN_EV_SETUP_FAIL, CN_VC_IDLE,
	  "make call failed" },
	{ "V5", CN_VC_CONNECTED, CN_EV_INCOMING_CLOSE, CN_VC_REMOTE_CLOSED,
	  "Ndis(M)CmDispatchIncomingCloseCall" },
	{ "V6", CN_VC_CONNECTED, CN_EV_CLOSE, CN_VC_CLOSING,
	  "NdisClCloseCall" },
	{ "V6", CN_VC_REMOTE_CLOSED, CN_EV_CLOSE, CN_VC_CLOSING,
	  "NdisClCloseCall" },
	{ "V7", CN_VC_CLOSING, CN_EV_CLOSE_OK, CN_VC_CLOSED, "close SUCCESS" },
	{ "V8", CN_VC_CLOSING, CN_EV_CLOSE_FAIL, CN_VC_BACK,
	  "close failed (A6)" },
	{ "V9", CN_VC_IDLE, CN_EV_DELETE, CN_VC_FREE, "NdisCoDeleteVc" },
	{ "V9", CN_VC_CLOSED, CN_EV_DELETE, CN_VC_FREE, "NdisCoDeleteVc" },
};

#define N_PARTY_ROWS (sizeof(party_rows) / sizeof(party_rows[0]))
#define N_VC_ROWS (sizeof(vc_rows) / sizeof(vc_rows[0]))

/*
 * Contract coverage: how often each row was taken, by the IRQL of the CPU
 * that took it. Process-wide, not per engine: a replay of a whole corpus
 * (or several engines in a row) adds up. Rows number as cn_transition_get
 * numbers them: the party rows, then the VC rows.
 */
static uint64_t row_hits[N_PARTY_ROWS + N_VC_ROWS][CN_COV_IRQLS];

/* Count row @r of @rows as taken by @handle from @from to @to, and tell
 * the observer (cn_config.on_transition), if any. */
static void cover_row(const struct cn_engine *e, const struct cn_row *rows,
		      const struct cn_row *r, uint64_t handle, int from, int to)
{
	size_t i = (size_t)(r - rows) + (rows == vc_rows ? N_PARTY_ROWS : 0);
	KIRQL irql = e->irql[e->cpu];

	/* Transitions only happen inside DDIs that passed C1. */
	if (irql < CN_COV_IRQLS)
		row_hits[i][irql]++;
	if (e->cfg.on_transition != NULL)
		e->cfg.on_transition(e->cfg.transition_arg, e->steps,
				     (uint32_t)i, handle, from, to);
}

PT_NO_COVERAGE uint64_t cn_coverage_transition(uint32_t row, KIRQL irql)
{
	if (row >= N_PARTY_ROWS + N_VC_ROWS || irql >= CN_COV_IRQLS)
		return 0;
	return row_hits[row][irql];
}

void cn_coverage_clear(void)
{
	memset(row_hits, 0, sizeof(row_hits));
	_cn_rule_hits_clear();
}

static const struct cn_row *find_row(const struct cn_row *rows, size_t n,
				     int from, int ev)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].from == from && rows[i].ev == ev)
			return &rows[i];
	return NULL;
}

int cn_transition_get(uint32_t i, struct cn_transition_info *out)
{
	const struct cn_row *r;
	int party = i < N_PARTY_ROWS;

	if (i >= N_PARTY_ROWS + N_VC_ROWS || out == NULL)
		return 0;
	r = party ? &party_rows[i] : &vc_rows[i - N_PARTY_ROWS];
	out->machine = party ? "party" : "vc";
	out->id = r->id;
	out->event = r->event;
	if (party) {
		out->from =
			r->from == PT_FREE ? "(new)" : pt_state_name(r->from);
		out->to = r->to == CN_PARTY_BACK ? "(drop_from)"
						 : pt_state_name(r->to);
	} else {
		out->from = cn_vc_state_name(r->from);
		out->to = r->to == CN_VC_BACK   ? "(close_from)"
			  : r->to == CN_VC_FREE ? "(deleted)"
						: cn_vc_state_name(r->to);
	}
	return 1;
}

void cn_state_graph_dot(FILE *out)
{
	struct cn_transition_info t;
	uint32_t i;
	const char *machine = "";

	for (i = 0; cn_transition_get(i, &t); i++) {
		if (strcmp(machine, t.machine) != 0) {
			if (*machine)
				fprintf(out, "}\n");
			machine = t.machine;
			fprintf(out, "digraph %s {\n", machine);
		}
		fprintf(out, "  \"%s\" -> \"%s\" [label=\"%s %s\"];\n", t.from,
			t.to, t.id, t.event);
	}
	if (*machine)
		fprintf(out, "}\n");
}

/* The VC counter that holds parties in @state (V2). */
static uint32_t *count_of(struct cn_vc *v, int state)
{
	switch (state) {
	case PT_MAKING:
		return &v->making;
	case PT_ADDING:
		return &v->adding;
	case PT_ACTIVE:
	case PT_REMOTE_DROPPED:
		return &v->active;
	case PT_DROPPING:
		return &v->dropping;
	case PT_CLOSING:
		return &v->closing;
	default:
		return NULL;
	}
}

static void count_adj(struct cn_vc *v, int state, int delta)
{
	uint32_t *c = count_of(v, state);

	PT_ASSERT_INTERNAL(c != NULL);
	if (c == NULL)
		return;
	*c += (uint32_t)delta; /* V2; wraps only on an engine bug */
	if (state == PT_REMOTE_DROPPED)
		v->remote += (uint32_t)delta;
}

uint32_t _cn_vc_index(const struct cn_engine *e, const struct cn_vc *v)
{
	return (uint32_t)(v - e->vcs);
}

uint64_t _cn_vc_handle(const struct cn_engine *e, const struct cn_vc *v)
{
	return pt_handle_pack(CN_TAG_VC, v->gen, _cn_vc_index(e, v));
}

int _cn_vc_lookup(struct cn_engine *e, uint64_t h, struct cn_vc **out)
{
	uint32_t idx = pt_handle_index(h), gen = pt_handle_gen(h);
	struct cn_vc *v;

	if (h == 0)
		return PT_E_NULL;
	if (pt_handle_tag(h) != CN_TAG_VC)
		return PT_E_FOREIGN;
	if (idx >= e->cfg.max_vcs || gen == 0 || gen > e->gen_max)
		return PT_E_MALFORMED;
	v = &e->vcs[idx];
	/* Generations never wrap (a slot parks at gen_max): `<` is exact. */
	if (gen > v->gen)
		return PT_E_MALFORMED;
	if (gen < v->gen || v->state == CN_VC_PARKED)
		return PT_E_STALE;
	if (v->state == CN_VC_FREE || v->busy == CN_VC_BUSY_CREATING)
		return PT_E_MALFORMED; /* this generation not issued yet */
	if (v->busy == CN_VC_BUSY_DELETING)
		return PT_E_STALE;
	*out = v;
	return PT_OK;
}

struct cn_vc *_cn_vc_alloc(struct cn_engine *e)
{
	uint32_t i;

	/* Lowest free slot: deterministic. */
	for (i = 0; i < e->cfg.max_vcs; i++)
		if (e->vcs[i].state == CN_VC_FREE) {
			struct cn_vc *v = &e->vcs[i];
			uint32_t gen = v->gen;

			memset(v, 0, sizeof(*v));
			v->gen = gen;
			v->state = CN_VC_IDLE;
			return v;
		}
	return NULL;
}

/* Free @v's slot: the next life gets the next generation, or it parks. */
void _cn_vc_free(struct cn_engine *e, struct cn_vc *v)
{
	uint32_t gen = v->gen;

	memset(v, 0, sizeof(*v));
	if (gen >= e->gen_max) {
		v->gen = gen;
		v->state = CN_VC_PARKED;
	} else {
		v->gen = gen + 1;
		v->state = CN_VC_FREE;
	}
}

void _cn_vc_step(struct cn_engine *e, struct cn_vc *v, enum cn_event ev)
{
	const struct cn_row *r = find_row(vc_rows, N_VC_ROWS, v->state, ev);

	PT_ASSERT(r != NULL); /* callers checked the event is legal */
	if (r == NULL)
		return;
	cover_row(e, vc_rows, r, _cn_vc_handle(e, v), v->state,
		  r->to == CN_VC_BACK ? v->close_from : r->to);
	if (ev == CN_EV_CLOSE)
		v->close_from = v->state;
	if (ev == CN_EV_INCOMING_CLOSE || ev == CN_EV_CLOSE_OK ||
	    ev == CN_EV_MAKE_CALL)
		v->remote_close_seen = 0;
	if (r->to == CN_VC_FREE) {
		_cn_vc_free(e, v);
		e->stats.vcs_deleted++;
	} else {
		v->state = r->to == CN_VC_BACK ? v->close_from : r->to;
	}
}

int _cn_party_create(struct cn_engine *e, struct cn_vc *v, enum cn_event ev,
		     NDIS_HANDLE ctx, PCO_CALL_PARAMETERS params,
		     pt_handle_t *out)
{
	const struct cn_row *r =
		find_row(party_rows, N_PARTY_ROWS, PT_FREE, ev);
	struct cn_party *p;
	pt_handle_t h;
	int err;

	PT_ASSERT(r != NULL);
	if (r == NULL)
		return PT_E_INVAL;
	e->table_epoch++; /* V1 */
	err = pt_party_alloc(e->parties, _cn_vc_index(e, v), r->to,
			     (uintptr_t)ctx, &h);
	if (err != PT_OK)
		return err;
	p = &e->pside[pt_handle_index(h)];
	memset(p, 0, sizeof(*p));
	p->gen = pt_handle_gen(h);
	p->live = 1; /* V9 */
	p->params = params;
	cover_row(e, party_rows, r, h, PT_FREE, r->to);
	count_adj(v, r->to, +1);
	e->stats.parties_created++; /* V10 */
	*out = h;
	return PT_OK;
}

int _cn_party_step(struct cn_engine *e, struct cn_vc *v, pt_handle_t h,
		   enum cn_event ev, enum cn_end how)
{
	struct pt_party_info info;
	const struct cn_row *r;
	struct cn_party *p;
	int to;
	int err = pt_party_lookup(e->parties, h, &info);

	if (err != PT_OK)
		return err;
	r = find_row(party_rows, N_PARTY_ROWS, info.state, ev);
	PT_ASSERT(r != NULL);
	if (r == NULL)
		return PT_E_STATE;
	p = &e->pside[pt_handle_index(h)];
	to = r->to == CN_PARTY_BACK ? p->drop_from : r->to;
	if (ev == CN_EV_DROP)
		p->drop_from = (uint8_t)info.state;
	e->table_epoch++; /* V1 */
	if (to == PT_DEAD) {
		err = pt_party_retire(e->parties, h, info.state);
		if (err != PT_OK)
			return err;
		p->live = 0; /* V9 */
		p->phase = CN_PHASE_NONE;
		p->ended_how = (uint8_t)how;
		cover_row(e, party_rows, r, h, info.state, PT_DEAD);
		e->stats.parties_ended++; /* V10 */
		count_adj(v, info.state, -1);
		return PT_OK;
	}
	err = pt_party_transition(e->parties, h, info.state, to);
	if (err != PT_OK)
		return err;
	cover_row(e, party_rows, r, h, info.state, to);
	count_adj(v, info.state, -1);
	count_adj(v, to, +1);
	if (PT_FAULT_IS(CN_COUNT_PARTY_TWICE) && ev == CN_EV_SETUP_OK &&
	    info.state == PT_ADDING)
		count_adj(v, to, +1);
	return PT_OK;
}

enum cn_end _cn_party_end_reason(const struct cn_engine *e, pt_handle_t h)
{
	uint32_t idx = pt_handle_index(h);
	const struct cn_party *p;

	if (pt_handle_tag(h) != CN_TAG_PARTY || idx >= e->cfg.max_parties)
		return CN_END_NONE;
	p = &e->pside[idx];
	if (p->live || p->gen != pt_handle_gen(h))
		return CN_END_NONE;
	return (enum cn_end)p->ended_how;
}

/*
 * Delivery and DPCs.
 */

/* The trace entry of a client callback: its arguments (condis.h). */
PT_NO_COVERAGE static uint64_t trace_delivery(struct cn_engine *e,
					      const struct cn_dpc *d)
{
	uint64_t step = _cn_trace_begin(e, d->cb, d->handle, 1, d->status);
	struct cn_trace_entry *t = _cn_trace_at(e, step);

	t->ctx = _cn_h(d->ctx);
	if (d->cb == CN_FN_ProtocolClCloseCallComplete)
		t->ctx2 = _cn_h(d->arg);
	else
		t->party = _cn_h(d->arg);
	t->params = (uint64_t)(uintptr_t)d->params;
	t->data = (uint64_t)(uintptr_t)d->data;
	t->size = d->size;
	t->dpc_seq = d->seq;
	return step;
}

/*
 * C1 at a callback's return: every callback returns at the IRQL it was
 * entered at (a DPC's at DISPATCH_LEVEL, a ProtocolCm* handler at its
 * caller's). A handler that left it changed (KeLowerIrql(PASSIVE_LEVEL)
 * inside a DPC, a KeRaiseIrql or a spin lock it did not undo) is reported
 * on the callback's own step, naming it, and its CPU is put back at the
 * entry IRQL, so that the rest of the run is judged at the right level.
 */
static const char *irql_back_detail(KIRQL in, KIRQL out)
{
	static const char *const d[4][4] = {
#define CN_BACK_(a, b) "entered at " a ", returned at " b
		{ NULL, CN_BACK_("PASSIVE_LEVEL", "APC_LEVEL"),
		  CN_BACK_("PASSIVE_LEVEL", "DISPATCH_LEVEL"),
		  CN_BACK_("PASSIVE_LEVEL", "an IRQL above DISPATCH_LEVEL") },
		{ CN_BACK_("APC_LEVEL", "PASSIVE_LEVEL"), NULL,
		  CN_BACK_("APC_LEVEL", "DISPATCH_LEVEL"),
		  CN_BACK_("APC_LEVEL", "an IRQL above DISPATCH_LEVEL") },
		{ CN_BACK_("DISPATCH_LEVEL", "PASSIVE_LEVEL"),
		  CN_BACK_("DISPATCH_LEVEL", "APC_LEVEL"), NULL,
		  CN_BACK_("DISPATCH_LEVEL", "an IRQL above DISPATCH_LEVEL") },
		{ CN_BACK_("an IRQL above DISPATCH_LEVEL", "PASSIVE_LEVEL"),
		  CN_BACK_("an IRQL above DISPATCH_LEVEL", "APC_LEVEL"),
		  CN_BACK_("an IRQL above DISPATCH_LEVEL", "DISPATCH_LEVEL"),
		  "returned at another IRQL above DISPATCH_LEVEL than it was "
		  "entered at" },
#undef CN_BACK_
	};

	return d[in > DISPATCH_LEVEL ? 3 : in][out > DISPATCH_LEVEL ? 3 : out];
}

void _cn_cb_return(struct cn_engine *e, uint64_t step)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);
	const struct cn_cb_frame *f;
	KIRQL now = e->irql[e->cpu];

	if (t != NULL)
		t->irql_back = (uint8_t)(1 + now);
	if (e->depth >= CN_CB_NEST)
		return;
	f = &e->cb[e->depth];
	if (now == f->irql)
		return;
	_cn_report(e, CN_RULE_C1, f->fn, step, f->handle, -1, -1,
		   irql_back_detail(f->irql, now));
	e->irql[e->cpu] = f->irql; /* Q2 */
}

void _cn_deliver_now(struct cn_engine *e, const struct cn_dpc *d)
{
	uint64_t step = trace_delivery(e, d);
	int twice = PT_FAULT_IS(CN_DOUBLE_DELIVERY) &&
		    d->cb == CN_FN_ProtocolClDropPartyComplete;

	_cn_cb_entered(e, d->cb, d->handle);
	e->depth++;
	switch (d->cb) {
	case CN_FN_ProtocolClMakeCallComplete:
		e->stats.client_completed++;
		e->cl.ClMakeCallCompleteHandler(d->status, d->ctx, d->arg,
						d->params);
		break;
	case CN_FN_ProtocolClAddPartyComplete:
		e->stats.client_completed++;
		e->cl.ClAddPartyCompleteHandler(d->status, d->ctx, d->arg,
						d->params);
		break;
	case CN_FN_ProtocolClDropPartyComplete:
		e->stats.client_completed++;
		e->cl.ClDropPartyCompleteHandler(d->status, d->ctx);
		if (twice) {
			e->stats.client_completed++;
			e->cl.ClDropPartyCompleteHandler(d->status, d->ctx);
		}
		break;
	case CN_FN_ProtocolClCloseCallComplete:
		e->stats.client_completed++;
		e->cl.ClCloseCallCompleteHandler(d->status, d->ctx, d->arg);
		break;
	case CN_FN_ProtocolClIncomingDropParty:
		e->stats.indications++;
		e->cl.ClIncomingDropPartyHandler(d->status, d->ctx, d->data,
						 d->size);
		break;
	case CN_FN_ProtocolClIncomingCloseCall: {
		struct cn_vc *v;

		if (_cn_vc_lookup(e, d->handle, &v) == PT_OK)
			v->remote_close_seen = 1;
		e->stats.indications++;
		e->cl.ClIncomingCloseCallHandler(d->status, d->ctx, d->data,
						 d->size);
		break;
	}
	default:
		PT_ASSERT(0);
		break;
	}
	e->depth--;
	_cn_cb_return(e, step);
	_cn_trace_end(e, step, 0, 0);
}

void _cn_deliver(struct cn_engine *e, uint64_t step, struct cn_dpc *d)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);
	uint32_t cpu = 0;

	d->seq = 0;
	if (e->cfg.choose_delivery != NULL &&
	    e->cfg.choose_delivery(e->cfg.choose_arg, d->cb, &cpu)) {
		if (t != NULL) {
			t->defer = 1;
			t->dpc_cpu = cpu;
		}
		cpu %= e->cfg.cpu_count;
		if (e->dpc_len[cpu] < e->cfg.dpc_capacity) { /* V11 */
			d->seq = ++e->dpc_seq;
			e->dpc[cpu * e->cfg.dpc_capacity + e->dpc_len[cpu]++] =
				*d;
			e->stats.deferred++;
			if (t != NULL)
				t->dpc_seq = d->seq;
			return;
		}
	}
	_cn_deliver_now(e, d);
}

PT_NO_COVERAGE uint32_t cn_dpc_count(uint32_t cpu)
{
	struct cn_engine *e = _cn_engine_get();

	return cpu < e->cfg.cpu_count ? e->dpc_len[cpu] : 0;
}

PT_NO_COVERAGE uint32_t cn_dpc_total(void)
{
	struct cn_engine *e = _cn_engine_get();
	uint32_t c, n = 0;

	for (c = 0; c < e->cfg.cpu_count; c++)
		n += e->dpc_len[c];
	return n;
}

PT_NO_COVERAGE int cn_dpc_peek(uint32_t cpu, uint32_t index,
			       struct cn_dpc_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	const struct cn_dpc *d;

	if (cpu >= e->cfg.cpu_count || index >= e->dpc_len[cpu] || !out)
		return PT_E_INVAL;
	d = &e->dpc[cpu * e->cfg.dpc_capacity + index];
	out->callback = d->cb;
	out->status = d->status;
	out->handle = d->handle;
	out->seq = d->seq;
	return PT_OK;
}

/*
 * A queued indication whose object changed before the DPC ran: the party
 * ended (its handle is stale), or the VC is no longer REMOTE_CLOSED or
 * CLOSING (the client closed it meanwhile, maybe deleted it).
 */
static int indication_obsolete(struct cn_engine *e, const struct cn_dpc *d)
{
	struct cn_vc *v;

	if (d->cb == CN_FN_ProtocolClIncomingDropParty)
		return pt_party_lookup(e->parties, d->handle, NULL) != PT_OK;
	if (d->cb == CN_FN_ProtocolClIncomingCloseCall)
		return _cn_vc_lookup(e, d->handle, &v) != PT_OK ||
		       (v->state != CN_VC_REMOTE_CLOSED &&
			v->state != CN_VC_CLOSING);
	return 0;
}

int cn_dpc_run(uint32_t cpu, uint32_t index)
{
	struct cn_engine *e = _cn_engine_get();
	struct cn_dpc *row, d;
	uint32_t prev_cpu = e->cpu;
	KIRQL prev_irql;

	if (cpu >= e->cfg.cpu_count || index >= e->dpc_len[cpu])
		return PT_E_INVAL;
	if (e->irql[cpu] >= DISPATCH_LEVEL || e->depth != 0)
		return PT_E_STATE;
	row = &e->dpc[cpu * e->cfg.dpc_capacity];
	d = row[index];
	memmove(&row[index], &row[index + 1],
		sizeof(*row) * (e->dpc_len[cpu] - index - 1));
	e->dpc_len[cpu]--;
	prev_irql = e->irql[cpu];
	e->cpu = cpu;
	e->irql[cpu] = DISPATCH_LEVEL;
	if (indication_obsolete(e, &d)) {
		/* NDIS never indicates on an object that is gone (its
		 * context may be freed) or whose state moved on. */
		struct cn_trace_entry *t =
			_cn_trace_at(e, trace_delivery(e, &d));

		t->note = "cancelled: the object moved on";
		t->cancelled = 1;
		e->stats.indications_cancelled++;
	} else {
		_cn_deliver_now(e, &d);
	}
	/* A handler that left the IRQL changed was reported (C1) and put
	 * back at DISPATCH_LEVEL by _cn_cb_return(); the DPC ends at the
	 * level it was entered from. */
	e->irql[cpu] = prev_irql;
	e->cpu = prev_cpu;
	return PT_OK;
}

/*
 * Lifecycle (registration is in condis_bind.c).
 */

static int check_config(const struct cn_config *c)
{
	if (c == NULL || c->max_vcs < 1 || c->max_vcs > CN_MAX_VCS ||
	    c->max_parties < 1 || c->max_parties > PT_MAX_CAPACITY ||
	    c->gen_bits > PT_MAX_GEN_BITS || c->cpu_count < 1 ||
	    c->cpu_count > CN_MAX_CPUS || c->dpc_capacity < 1 ||
	    c->trace_capacity < 1 ||
	    (c->mode != CN_VERIFY_ABORT && c->mode != CN_VERIFY_RECORD))
		return PT_E_INVAL;
	return PT_OK;
}

static void engine_free(struct cn_engine *e)
{
	if (e == NULL)
		return;
	pt_table_destroy(e->parties);
	free(e->vcs);
	free(e->pside);
	free(e->dpc);
	free(e->ring);
	free(e->vcount);
	free(e);
}

static int engine_reset(struct cn_engine *e)
{
	struct pt_config pc = {
		.capacity = e->cfg.max_parties,
		.vc_count = e->cfg.max_vcs,
		.gen_bits = e->cfg.gen_bits,
		.tag = CN_TAG_PARTY,
	};
	uint32_t i;
	int err;

	/* An empty table: handles start over, so runs are independent. The
	 * table is kept (its size is the engine's, fixed at creation). */
	err = e->parties ? pt_table_reset(e->parties, e->cfg.gen_bits)
			 : pt_table_create(&pc, &e->parties);
	if (err != PT_OK)
		return err;
	e->gen_max = pt_table_gen_max(e->parties);
	e->table_epoch = 1; /* V1 not checked yet */
	e->table_valid = 0;
	memset(e->vcs, 0, sizeof(*e->vcs) * e->cfg.max_vcs);
	for (i = 0; i < e->cfg.max_vcs; i++)
		e->vcs[i].gen = 1;
	memset(e->pside, 0, sizeof(*e->pside) * e->cfg.max_parties);
	memset(e->dpc_len, 0, sizeof(e->dpc_len));
	e->dpc_seq = 0;
	e->have_client = 0;
	e->cm_kind = 0;
	memset(&e->cl, 0, sizeof(e->cl));
	memset(&e->cm, 0, sizeof(e->cm));
	e->cl_af_ctx = NULL;
	e->cm_af_ctx = NULL;
	_cn_bind_reset(e);
	_cn_services_reset(e);
	e->owed = 0;
	e->n_early = 0;
	e->depth = 0;
	memset(&e->stats, 0, sizeof(e->stats));
	_cn_verifier_reset(e);
	_cn_trace_reset(e);
	_cn_cpus_reset(e);
	return PT_OK;
}

int cn_engine_create(const struct cn_config *cfg)
{
	struct cn_engine *e;
	int err;

	if (_cn_eng != NULL || check_config(cfg) != PT_OK)
		return PT_E_INVAL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return PT_E_NOMEM;
	e->cfg = *cfg;
	e->vcs = calloc(cfg->max_vcs, sizeof(*e->vcs));
	e->pside = calloc(cfg->max_parties, sizeof(*e->pside));
	e->dpc = calloc((size_t)cfg->cpu_count * cfg->dpc_capacity,
			sizeof(*e->dpc));
	e->ring = calloc(cfg->trace_capacity, sizeof(*e->ring));
	e->vcount = calloc((size_t)cfg->max_vcs * PT_STATE_COUNT,
			   sizeof(*e->vcount));
	if (!e->vcs || !e->pside || !e->dpc || !e->ring || !e->vcount) {
		engine_free(e);
		return PT_E_NOMEM;
	}
	err = engine_reset(e);
	if (err != PT_OK) {
		engine_free(e);
		return err;
	}
	_cn_eng = e;
	return PT_OK;
}

int cn_engine_reset(void)
{
	if (_cn_eng == NULL)
		return PT_E_INVAL;
	return engine_reset(_cn_eng);
}

int cn_engine_reset_gen(uint8_t gen_bits)
{
	if (_cn_eng == NULL || gen_bits > PT_MAX_GEN_BITS)
		return PT_E_INVAL;
	_cn_eng->cfg.gen_bits = gen_bits;
	return engine_reset(_cn_eng);
}

void cn_engine_destroy(void)
{
	engine_free(_cn_eng);
	_cn_eng = NULL;
}

const struct cn_config *cn_engine_config(void)
{
	return _cn_eng ? &_cn_eng->cfg : NULL;
}

void cn_engine_set_options(uint32_t options)
{
	_cn_engine_get()->cfg.options = options;
}

void cn_engine_stats(struct cn_stats *out)
{
	*out = _cn_engine_get()->stats;
}

/*
 * Queries.
 */

PT_NO_COVERAGE static void vc_info(const struct cn_vc *v,
				   struct cn_vc_info *out)
{
	out->state = (enum cn_vc_state)v->state;
	out->pmp = v->pmp;
	out->activated = v->activated;
	out->pending = v->phase == CN_PHASE_PENDED ? (enum cn_req)v->req
						   : CN_REQ_NONE;
	out->active = v->active;
	out->adding = v->adding;
	out->dropping = v->dropping;
	out->making = v->making;
	out->closing = v->closing;
	out->remote_dropped = v->remote;
	out->ProtocolVcContext = v->client_ctx;
	out->CallMgrVcContext = v->cm_ctx;
}

PT_NO_COVERAGE int cn_vc_query(NDIS_HANDLE vc, struct cn_vc_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	struct cn_vc *v;
	int err = _cn_vc_lookup(e, _cn_h(vc), &v);

	if (err == PT_OK && out != NULL)
		vc_info(v, out);
	return err;
}

PT_NO_COVERAGE int cn_vc_next(uint32_t *cursor, NDIS_HANDLE *vc,
			      struct cn_vc_info *out)
{
	struct cn_engine *e = _cn_engine_get();

	for (; *cursor < e->cfg.max_vcs; (*cursor)++) {
		struct cn_vc *v = &e->vcs[*cursor];

		if (v->state == CN_VC_FREE || v->state == CN_VC_PARKED)
			continue;
		if (vc != NULL)
			*vc = _cn_handle(_cn_vc_handle(e, v));
		if (out != NULL)
			vc_info(v, out);
		(*cursor)++;
		return 1;
	}
	return 0;
}

PT_NO_COVERAGE static void party_info(struct cn_engine *e, pt_handle_t h,
				      const struct pt_party_info *pi,
				      struct cn_party_info *out)
{
	const struct cn_party *p = &e->pside[pt_handle_index(h)];
	const struct cn_vc *v = &e->vcs[pi->vc];

	out->state = pi->state;
	out->vc = _cn_handle(_cn_vc_handle(e, v));
	out->pending = CN_REQ_NONE;
	if (p->phase == CN_PHASE_PENDED)
		out->pending = pi->state == PT_ADDING ? CN_REQ_ADD_PARTY
						      : CN_REQ_DROP_PARTY;
	else if (v->phase == CN_PHASE_PENDED && v->req_party == h)
		out->pending = (enum cn_req)v->req;
	out->ProtocolPartyContext = (NDIS_HANDLE)pi->ctx;
	out->CallMgrPartyContext = p->cm_ctx;
}

PT_NO_COVERAGE int cn_party_query(NDIS_HANDLE party, struct cn_party_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	struct pt_party_info pi;
	int err = _pt_party_lookup_nocov(e->parties, _cn_h(party), &pi);

	if (err == PT_OK && out != NULL)
		party_info(e, _cn_h(party), &pi, out);
	return err;
}

PT_NO_COVERAGE int cn_party_next(NDIS_HANDLE vc, uint32_t *cursor,
				 NDIS_HANDLE *party, struct cn_party_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	struct pt_party_info pi;
	struct cn_vc *v;
	pt_handle_t h;

	if (_cn_vc_lookup(e, _cn_h(vc), &v) != PT_OK)
		return 0;
	if (!_pt_vc_next_nocov(e->parties, _cn_vc_index(e, v), cursor, &h,
			       &pi))
		return 0;
	if (party != NULL)
		*party = _cn_handle(h);
	if (out != NULL)
		party_info(e, h, &pi, out);
	return 1;
}

PT_NO_COVERAGE uint32_t cn_pending_count(void)
{
	return _cn_engine_get()->owed;
}

PT_NO_COVERAGE int cn_pending_next(uint32_t *cursor,
				   struct cn_pending_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	uint32_t nv = e->cfg.max_vcs;

	for (; *cursor < nv + e->cfg.max_parties; (*cursor)++) {
		if (*cursor < nv) {
			struct cn_vc *v = &e->vcs[*cursor];

			if (v->phase != CN_PHASE_PENDED)
				continue;
			out->kind = (enum cn_req)v->req;
			out->vc = _cn_handle(_cn_vc_handle(e, v));
			out->party = _cn_handle(v->req_party);
		} else {
			uint32_t i = *cursor - nv;
			struct cn_party *p = &e->pside[i];
			pt_handle_t h =
				pt_handle_pack(CN_TAG_PARTY, p->gen, i);
			struct pt_party_info pi;

			if (!p->live || p->phase != CN_PHASE_PENDED ||
			    _pt_party_lookup_nocov(e->parties, h, &pi) !=
				    PT_OK)
				continue;
			out->kind = pi.state == PT_ADDING ? CN_REQ_ADD_PARTY
							  : CN_REQ_DROP_PARTY;
			out->vc = _cn_handle(_cn_vc_handle(e, &e->vcs[pi.vc]));
			out->party = _cn_handle(h);
		}
		(*cursor)++;
		return 1;
	}
	return 0;
}

/*
 * Validation and the end of a run.
 */

/*
 * V9, the other direction: slot @i, dead for the engine, holds nothing
 * live in the table either, neither in the last life the engine saw nor
 * in the next one (only the engine allocates, so a stray live party could
 * only be one of those). O(1), where counting the table's live slots per
 * VC would be O(slots) per VC.
 */
PT_NO_COVERAGE static int slot_live_unknown(struct cn_engine *e, uint32_t i)
{
	uint32_t g = e->pside[i].gen ? e->pside[i].gen : 1;
	pt_handle_t now = pt_handle_pack(CN_TAG_PARTY, g, i);
	pt_handle_t next = pt_handle_pack(CN_TAG_PARTY, g + 1, i);

	return _pt_party_lookup_nocov(e->parties, now, NULL) == PT_OK ||
	       (g < e->gen_max &&
		_pt_party_lookup_nocov(e->parties, next, NULL) == PT_OK);
}

PT_NO_COVERAGE int cn_call_validate(char *why, size_t len)
{
	struct cn_engine *e = _cn_engine_get();
	uint32_t i, owed = 0, live = 0;
	/* The [sample] reading of A2 lets a PMP call lose its last ACTIVE
	 * party while an add is in flight (and all of them if that add
	 * fails): V5's party clause holds only for the recommended one. */
	int a2_sample = !!(e->cfg.options & CN_OPT_A2_COUNT_CONNECTING);

	PT_CHECK(e->depth == 0, "V12: validate inside a DDI (depth %u)",
	      e->depth);
	/* V1 only if the engine changed the table since it last held: its
	 * verdict is a function of the table alone, and nothing else
	 * writes the table (cn_engine_check_end() checks it in full). */
	if (e->table_valid != e->table_epoch) {
		if (pt_table_validate(e->parties, why, len) != PT_OK)
			return PT_E_CORRUPT; /* V1 */
		e->table_valid = e->table_epoch;
	}
	for (i = 0; i < e->cfg.cpu_count; i++)
		PT_CHECK(e->dpc_len[i] <= e->cfg.dpc_capacity, "V11: cpu %u", i);

	/* One pass over the party slots: O(parties + VCs), not their
	 * product (the harness validates after every step). */
	memset(e->vcount, 0,
	       sizeof(*e->vcount) * PT_STATE_COUNT * e->cfg.max_vcs);
	for (i = 0; i < e->cfg.max_parties; i++) {
		struct cn_party *p = &e->pside[i];
		struct pt_party_info pi;

		PT_CHECK(p->phase != CN_PHASE_IN_HANDLER,
		      "V8: party slot %u in handler outside a DDI", i);
		if (!p->live) {
			PT_CHECK(p->phase == CN_PHASE_NONE,
			      "V8: dead party slot %u has a phase", i);
			PT_CHECK(!p->close_data,
			      "V13: dead party slot %u has close data", i);
			/* Half the validator's cost: PT_DEBUG 3 only, and
			 * once per run in cn_engine_check_end(). */
			PT_CHECK(PT_DEBUG < 3 || !slot_live_unknown(e, i),
			      "V9: party slot %u live in the table, unknown "
			      "to the engine",
			      i);
			continue;
		}
		PT_CHECK(_pt_party_lookup_nocov(e->parties,
				      pt_handle_pack(CN_TAG_PARTY, p->gen, i),
				      &pi) == PT_OK,
		      "V9: party slot %u marked live but not in the table", i);
		PT_CHECK(PT_IMPLIES(p->phase != CN_PHASE_NONE,
				 pi.state == PT_ADDING ||
					 pi.state == PT_DROPPING),
		      "V8: party slot %u has a phase in %s", i,
		      pt_state_name(pi.state));
		PT_CHECK(PT_IMPLIES(p->close_data,
				 pi.state == PT_DROPPING &&
					 p->phase == CN_PHASE_PENDED),
		      "V13: party slot %u has close data in %s", i,
		      pt_state_name(pi.state));
		e->vcount[pi.vc * PT_STATE_COUNT + pi.state]++;
		owed += p->phase == CN_PHASE_PENDED;
		live++;
	}
	for (i = 0; i < e->cfg.max_vcs; i++) {
		struct cn_vc *v = &e->vcs[i];
		const uint32_t *n = &e->vcount[i * PT_STATE_COUNT];
		uint32_t total = n[PT_MAKING] + n[PT_ADDING] + n[PT_ACTIVE] +
				 n[PT_REMOTE_DROPPED] + n[PT_DROPPING] +
				 n[PT_CLOSING];
		int st = v->state;

		PT_CHECK(v->making == n[PT_MAKING] && v->adding == n[PT_ADDING] &&
			      v->active ==
				      n[PT_ACTIVE] + n[PT_REMOTE_DROPPED] &&
			      v->dropping == n[PT_DROPPING] &&
			      v->closing == n[PT_CLOSING] &&
			      v->remote == n[PT_REMOTE_DROPPED],
		      "V2: VC %u counters (m%u a%u A%u d%u c%u) differ from "
		      "its parties (m%u a%u A%u d%u c%u)",
		      i, v->making, v->adding, v->active, v->dropping,
		      v->closing, n[PT_MAKING], n[PT_ADDING],
		      n[PT_ACTIVE] + n[PT_REMOTE_DROPPED], n[PT_DROPPING],
		      n[PT_CLOSING]);
		PT_CHECK(PT_IMPLIES(st == CN_VC_FREE || st == CN_VC_PARKED ||
					 st == CN_VC_IDLE ||
					 st == CN_VC_CLOSED,
				 total == 0 && v->req == CN_REQ_NONE &&
					 !v->activated),
		      "V3: VC %u %s has parties, a request or activation", i,
		      cn_vc_state_name(st));
		PT_CHECK(PT_IFF(st == CN_VC_MAKING, v->req == CN_REQ_MAKE_CALL),
		      "V4: VC %u %s with request %s", i, cn_vc_state_name(st),
		      cn_req_name(v->req));
		PT_CHECK(PT_IMPLIES(st == CN_VC_MAKING,
				 v->pmp ? total == 1 && n[PT_MAKING] == 1
					: total == 0),
		      "V4: MAKING VC %u has %u parties", i, total);
		PT_CHECK(PT_IMPLIES(st == CN_VC_CONNECTED ||
					 st == CN_VC_REMOTE_CLOSED,
				 v->req == CN_REQ_NONE && v->activated &&
					 v->making == 0 && v->closing == 0 &&
					 PT_IMPLIES(v->pmp && !a2_sample,
						    v->active + v->dropping >=
							    1)),
		      "V5: VC %u %s: req %s activated %u making %u closing "
		      "%u active %u",
		      i, cn_vc_state_name(st), cn_req_name(v->req),
		      v->activated, v->making, v->closing, v->active);
		PT_CHECK(PT_IFF(st == CN_VC_CLOSING, v->req == CN_REQ_CLOSE_CALL),
		      "V6: VC %u %s with request %s", i, cn_vc_state_name(st),
		      cn_req_name(v->req));
		PT_CHECK(PT_IMPLIES(st == CN_VC_CLOSING && v->pmp,
				 total == 1 && n[PT_CLOSING] == 1 &&
					 _pt_party_lookup_nocov(e->parties,
							 v->req_party,
							 NULL) == PT_OK),
		      "V6: CLOSING VC %u has %u parties", i, total);
		PT_CHECK(PT_IMPLIES(!v->pmp, total == 0),
		      "V7: P2P VC %u has %u parties", i, total);
		PT_CHECK(v->phase != CN_PHASE_IN_HANDLER &&
			      v->busy == CN_VC_BUSY_NONE,
		      "V12: VC %u has a handler running outside a DDI", i);
		PT_CHECK(PT_IMPLIES(v->phase != CN_PHASE_NONE,
				 v->req != CN_REQ_NONE),
		      "V8: VC %u phase without a request", i);
		PT_CHECK(PT_IMPLIES(v->close_data,
				 v->req == CN_REQ_CLOSE_CALL &&
					 v->phase == CN_PHASE_PENDED),
		      "V13: VC %u %s has close data without a pended close",
		      i, cn_vc_state_name(st));
		owed += v->phase == CN_PHASE_PENDED;
	}
	PT_CHECK(owed == e->owed, "V8: owed %u but %u requests pended", e->owed,
	      owed);
	PT_CHECK(e->stats.parties_created - e->stats.parties_ended == live,
	      "V10: created %u - ended %u != live %u",
	      e->stats.parties_created, e->stats.parties_ended, live);
	return PT_OK;
}

/*
 * The states an end-of-run report names for handle @h: a live party's
 * state and its VC's; a party that ended is DEAD, its VC no longer its
 * own; a VC handle has no party state; anything else has neither.
 */
static void states_of(struct cn_engine *e, uint64_t h, int *party, int *vc)
{
	struct pt_party_info pi;
	struct cn_vc *v;
	int err;

	*party = -1;
	*vc = -1;
	if (pt_handle_tag(h) == CN_TAG_VC) {
		if (_cn_vc_lookup(e, h, &v) == PT_OK)
			*vc = v->state;
		return;
	}
	err = pt_party_lookup(e->parties, h, &pi);
	if (err == PT_OK) {
		*party = pi.state;
		*vc = e->vcs[pi.vc].state;
	} else if (err == PT_E_STALE) {
		*party = PT_DEAD;
	}
}

int cn_engine_check_end(struct cn_end_report *out)
{
	struct cn_engine *e = _cn_engine_get();
	struct cn_end_report r;
	struct cn_pending_info pi;
	uint32_t c, i, cursor = 0, undelivered_completions = 0;
	uint64_t step = _cn_trace_begin(e, CN_FN_EndOfRun, 0, 0, 0);
	uint32_t expected;
	int ps, vs;

	memset(&r, 0, sizeof(r));
	PT_ASSERT(pt_table_validate(e->parties, NULL, 0) == PT_OK); /* V1 */
	for (i = 0; i < e->cfg.max_parties; i++)
		PT_ASSERT(e->pside[i].live ||
			  !slot_live_unknown(e, i)); /* V9 */
	for (c = 0; c < e->cfg.cpu_count; c++)
		for (i = 0; i < e->dpc_len[c]; i++) {
			const struct cn_dpc *d =
				&e->dpc[c * e->cfg.dpc_capacity + i];

			r.undelivered++;
			if (d->cb == CN_FN_ProtocolClIncomingDropParty ||
			    d->cb == CN_FN_ProtocolClIncomingCloseCall)
				continue;
			undelivered_completions++;
			states_of(e, d->handle, &ps, &vs);
			_cn_report(e, CN_RULE_C2, CN_FN_EndOfRun, step,
				   d->handle, ps, vs,
				   "completion queued as a DPC never ran");
		}
	while (cn_pending_next(&cursor, &pi)) {
		uint64_t h = _cn_h(pi.party ? pi.party : pi.vc);

		r.owed_cm_completions++;
		states_of(e, h, &ps, &vs);
		_cn_report(e, CN_RULE_C3, CN_FN_EndOfRun, step, h, ps, vs,
			   "request pended by the call manager never "
			   "completed");
	}
	for (i = 0; i < e->cfg.max_vcs; i++) {
		struct cn_vc *v = &e->vcs[i];
		struct pt_party_info ppi;
		pt_handle_t h;

		cursor = 0;
		while (_pt_vc_next_nocov(e->parties, i, &cursor, &h, &ppi)) {
			int remote = ppi.state == PT_REMOTE_DROPPED;

			r.live_parties++;
			_cn_report(e, remote ? CN_RULE_C14 : CN_RULE_C12,
				   CN_FN_EndOfRun, step, h, ppi.state,
				   v->state,
				   remote ? "incoming drop never answered"
					  : "party still live at the end");
		}
		if (v->state == CN_VC_REMOTE_CLOSED) {
			r.remote_closed_vcs++;
			_cn_report(e, CN_RULE_C15, CN_FN_EndOfRun, step,
				   _cn_vc_handle(e, v), -1, v->state,
				   "incoming close never answered");
		}
		if (v->state != CN_VC_FREE && v->state != CN_VC_PARKED)
			r.live_vcs++;
	}
	expected = e->stats.client_pended - r.owed_cm_completions -
		   undelivered_completions;
	if (e->stats.client_completed != expected) {
		r.delivery_mismatch =
			e->stats.client_completed > expected
				? e->stats.client_completed - expected
				: expected - e->stats.client_completed;
		_cn_report(e, CN_RULE_C2, CN_FN_EndOfRun, step, 0, -1, -1,
			   "client completions delivered by NDIS differ "
			   "from requests that returned PENDING");
	}
	if (out != NULL)
		*out = r;
	return r.owed_cm_completions || r.undelivered || r.live_parties ||
			       r.remote_closed_vcs || r.live_vcs ||
			       r.delivery_mismatch
		       ? PT_E_STATE
		       : PT_OK;
}
