/*
 * condis_machine.c - the CoNDIS engine's party and VC state machines
 * (spec 3.1, 3.2), the contract coverage of their rows and its DOT graph,
 * and the object steps (VC slots, party create/step/end).
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
 */
#include <stdlib.h>
#include <string.h>

#include "condis_internal.h"
#include "debug.h"
#include "fault.h"

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
	/* CM-created VCs: incoming calls (condis_incoming.c). */
	{ "V10", CN_VC_IDLE, CN_EV_OFFER, CN_VC_OFFERED,
	  "Ndis(M)CmDispatchIncomingCall" },
	{ "V11", CN_VC_OFFERED, CN_EV_ACCEPT, CN_VC_ACCEPTED,
	  "incoming call accepted" },
	{ "V12", CN_VC_OFFERED, CN_EV_REJECT, CN_VC_IDLE,
	  "incoming call rejected" },
	{ "V13", CN_VC_ACCEPTED, CN_EV_CONNECTED, CN_VC_CONNECTED,
	  "Ndis(M)CmDispatchCallConnected" },
	{ "V14", CN_VC_IDLE, CN_EV_CM_DELETE, CN_VC_FREE,
	  "Ndis(M)CmDeleteVc / NdisCoDeleteVc (CM)" },
	{ "V14", CN_VC_CLOSED, CN_EV_CM_DELETE, CN_VC_FREE,
	  "Ndis(M)CmDeleteVc / NdisCoDeleteVc (CM)" },
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

	/* LCOV_EXCL_BR_START: impossible: transitions happen only inside
	 * DDIs that passed C1 */
	if (irql < CN_COV_IRQLS)
		row_hits[i][irql]++;
	/* LCOV_EXCL_BR_STOP */
	if (e->cfg.on_transition != NULL)
		e->cfg.on_transition(e->cfg.transition_arg, e->steps,
				     (uint32_t)i, handle, from, to);
}

PT_NO_COVERAGE uint64_t cn_coverage_transition(uint32_t row, KIRQL irql)
{
	/* LCOV_EXCL_BR_START: C API misuse: the harness asks only for the
	 * rows and IRQLs of the catalogue */
	if (row >= N_PARTY_ROWS + N_VC_ROWS || irql >= CN_COV_IRQLS)
		return 0; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
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

/* LCOV_EXCL_START: C API that only the unit tests call
 * (core/test/test_condis_flows.c; partyfuzz coverage draws the graphs
 * itself): no input reaches it. */
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
/* LCOV_EXCL_STOP */

/*
 * Coverage exclusions below (ci/coverage.sh): "impossible" marks the
 * fallback after an assertion for builds without assertions (the callers
 * checked the event is legal, or pass a handle they just validated):
 * with assertions on, as in every measured build, the assertion aborts
 * first, and no correct engine state gets there.
 */

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
		return NULL; /* LCOV_EXCL_LINE: impossible (above) */
	}
}

static void count_adj(struct cn_vc *v, int state, int delta)
{
	uint32_t *c = count_of(v, state);

	/* LCOV_EXCL_BR_START: an assertion and its impossible fallback */
	PT_ASSERT_INTERNAL(c != NULL);
	if (c == NULL)
		return;        /* LCOV_EXCL_LINE: impossible (above) */
	/* LCOV_EXCL_BR_STOP */
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
			uint32_t gen = v->gen, ended_gen = v->ended_gen;
			uint8_t ended_cm_closed = v->ended_cm_closed;

			memset(v, 0, sizeof(*v));
			v->gen = gen;
			v->ended_gen = ended_gen;
			v->ended_cm_closed = ended_cm_closed;
			v->state = CN_VC_IDLE;
			return v;
		}
	return NULL;
}

/* Free @v's slot: the next life gets the next generation, or it parks. */
void _cn_vc_free(struct cn_engine *e, struct cn_vc *v)
{
	uint32_t gen = v->gen;
	uint8_t cm_closed = _cn_vc_cm_closed(v);

	memset(v, 0, sizeof(*v));
	v->ended_gen = gen;
	v->ended_cm_closed = cm_closed;
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

	/* LCOV_EXCL_BR_START: an assertion and its impossible fallback */
	PT_ASSERT(r != NULL); /* callers checked the event is legal */
	if (r == NULL)
		return; /* LCOV_EXCL_LINE: impossible (above) */
	/* LCOV_EXCL_BR_STOP */
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

	/* LCOV_EXCL_BR_START: an assertion and its impossible fallback */
	PT_ASSERT(r != NULL);
	if (r == NULL)
		return PT_E_INVAL; /* LCOV_EXCL_LINE: impossible (above) */
	/* LCOV_EXCL_BR_STOP */
	e->table_epoch++;          /* V1 */
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

	/* LCOV_EXCL_BR_START: impossible: the caller checked the party's
	 * handle */
	if (err != PT_OK)
		return err; /* LCOV_EXCL_LINE: impossible (above) */
	/* LCOV_EXCL_BR_STOP */
	r = find_row(party_rows, N_PARTY_ROWS, info.state, ev);
	/* LCOV_EXCL_BR_START: an assertion and its impossible fallback */
	PT_ASSERT(r != NULL);
	if (r == NULL)
		return PT_E_STATE; /* LCOV_EXCL_LINE: impossible (above) */
	/* LCOV_EXCL_BR_STOP */
	p = &e->pside[pt_handle_index(h)];
	to = r->to == CN_PARTY_BACK ? p->drop_from : r->to;
	if (ev == CN_EV_DROP)
		p->drop_from = (uint8_t)info.state;
	e->table_epoch++; /* V1 */
	if (to == PT_DEAD) {
		/* LCOV_EXCL_BR_START: impossible: the transition was checked
		 * legal above */
		err = pt_party_retire(e->parties, h, info.state);
		if (err != PT_OK)
			return err; /* LCOV_EXCL_LINE: impossible (above) */
		/* LCOV_EXCL_BR_STOP */
		p->live = 0;        /* V9 */
		p->phase = CN_PHASE_NONE;
		p->ended_how = (uint8_t)how;
		cover_row(e, party_rows, r, h, info.state, PT_DEAD);
		e->stats.parties_ended++; /* V10 */
		count_adj(v, info.state, -1);
		return PT_OK;
	}
	/* LCOV_EXCL_BR_START: impossible: the transition was checked legal
	 * above */
	err = pt_party_transition(e->parties, h, info.state, to);
	if (err != PT_OK)
		return err; /* LCOV_EXCL_LINE: impossible (above) */
	/* LCOV_EXCL_BR_STOP */
	cover_row(e, party_rows, r, h, info.state, to);
	count_adj(v, info.state, -1);
	count_adj(v, to, +1);
	/* LCOV_EXCL_BR_START: code only a planted fault compiles in */
	if (PT_FAULT_IS(CN_COUNT_PARTY_TWICE) && ev == CN_EV_SETUP_OK &&
	    info.state == PT_ADDING)
		count_adj(v, to, +1); /* LCOV_EXCL_LINE: planted fault only */
	/* LCOV_EXCL_BR_STOP */
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
