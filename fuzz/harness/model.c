/*
 * model.c - the sequential reference model (model.h).
 *
 * The model walks one operation's trace steps in order. A DDI step opens a
 * call: the model runs the contract's checks in the order rules.h states
 * ("Check order") on its own state and either predicts a rule (the call is
 * rejected: no nested steps may follow, state unchanged) or applies the
 * call's first half (e.g. ACTIVE -> DROPPING). The nested steps are walked
 * recursively (the CM's ProtocolCm* callback and what it calls), then the
 * call's second half uses the callback's returned status (SUCCESS, PENDING
 * or a failure) exactly like the spec's tables 3.1/3.2.
 *
 * Invariants of the model, cited below:
 *   (M1) a party's record is never reused: index k is the k-th party NDIS
 *        issued, live or not, so stale handles keep their history (C7 vs
 *        C9, C18 vs C19).
 *   (M2) per VC, the counters are derived from the party records (never
 *        stored), so they cannot drift; the harness (run.c,
 *        compare_state) checks the engine's stored counters against them.
 *   (M3) every accepted completion or indication predicts one client
 *        callback, to the field (struct pm_cb): run at once, it must be
 *        the one step nested in the DDI; queued, it is owed until the
 *        client callback that carries its DPC number runs it, on its CPU
 *        at DISPATCH_LEVEL (C2). Every accepted client request predicts
 *        its CM callback the same way, as the one step nested in it.
 *   (M4) a rejected call changes nothing in the model (and the engine must
 *        not change either: the harness compares the states after the
 *        step).
 *   (M6) the model's inputs are the trace steps only: every handle is
 *        learnt from the step that issues it, never from the engine, and
 *        reading the model (pm_vc_view, ...) never changes it.
 *   (M7) (A12) a completion may come while its request's ProtocolCm*
 *        handler runs (in_cm): it is accepted as if the request had
 *        pended (early); the request then returns PENDING whatever the
 *        handler answered, and an answer other than PENDING is C3. Only
 *        the status of that answer is looked at.
 *   (M8) (A12, CN_OPT_A12_EARLY) NDIS completes a synchronous answer of
 *        the CM itself: the client callback follows the CM callback,
 *        nested in the request, which returns PENDING.
 *   (M5) a VC record is kept while its VC lives, and for ever once its
 *        slot parked (free_vc_slots counts it); the record of a VC that
 *        was deleted or refused by its CM in a slot that did not park is
 *        reused for the next VC, so refused creates cannot exhaust the
 *        records. (Its dead parties keep its index; none is live.)
 *   (M9) no party record below m->live_lo is live: every state write goes
 *        through party_set(), which lowers it for a live state, and
 *        pm_feed() raises it past the dead records at its end. The
 *        scans that only count live parties (the M2 counters, the views)
 *        start there; the ones that read dead records (stale handles,
 *        parked slots) still start at 0.
 */
#include "harness/model.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_util.h"

#define KIRQL_DISPATCH 2u

struct walk {
	struct pm_model *m;
	uint64_t cm_end;   /* cm_walk(): where the CM callback's subtree ends */
	uint8_t tail_ok;   /* cm_walk(): a request NDIS may complete (M8) */
	uint64_t from, to; /* the operation's steps, copied to m->steps */
	char *why;
	size_t len;
	int failed;
};

PT_ORACLE static void
fail_msg(struct walk *w, const struct cn_trace_entry *e, const char *msg)
{
	char line[200];

	if (w->failed)
		return;
	w->failed = 1;
	line[0] = '\0';
	if (e)
		cn_trace_format(e, line, sizeof(line));
	snprintf(w->why, w->len, "%s [at %s]", msg, line);
}

/* @fmt takes exactly two uint64_t conversions (PRIu64 / PRIx64). */
PT_ORACLE static void fail(struct walk *w, const struct cn_trace_entry *e,
				const char *fmt, uint64_t a, uint64_t b)
{
	char msg[160];

	snprintf(msg, sizeof(msg), fmt, a, b);
	fail_msg(w, e, msg);
}

PT_ORACLE void pm_reset(struct pm_model *m, uint32_t options, int mcm,
			     uint32_t max_vcs, uint32_t max_parties,
			     uint32_t gen_max, uint32_t cpus,
			     uint32_t dpc_capacity)
{
	m->gen_max = gen_max;
	m->cpus = cpus ? cpus : 1;
	m->dpc_capacity = dpc_capacity;
	m->dpc_seq = 0;
	m->n_at = 0;
	m->have_af_ctx = 0;
	m->af_ctx = 0;
	m->af = PM_AF_OPEN;
	m->af_pended = 0;
	m->af_h = 0;
	m->notify = PM_NOTIFY_NONE;
	m->nsap = 0;
	m->have_cl_af_ctx = 0;
	m->cl_af_ctx = 0;
	m->due_delete = -1;
	m->bu_protos = 0;
	m->bu_scanned = 0;
	m->bu_open = 0;
	m->bu_options_h = 0;
	m->bu_mp_used = 0;
	m->bu_in_init = 0;
	m->bu_mp_initialized = 0;
	m->bu_init_h = 0;
	memset(m->ended_gen, 0, sizeof(m->ended_gen));
	memset(m->ended_cm_closed, 0, sizeof(m->ended_cm_closed));
	m->options = options;
	m->mcm = (uint8_t) !!mcm;
	m->max_vcs = max_vcs;
	m->max_parties = max_parties;
	m->nvc = 0;
	m->nparty = 0;
	m->live_lo = 0;
	m->nowed = 0;
	m->noids = 0;
	memset(m->predicted, 0, sizeof(m->predicted));
}

/* Lookups */

/* C28's "closing or closed" (rules.h, check order): a close in flight,
 * or one that succeeded. An open in flight, or one that failed, is
 * neither: NDIS answers a request needing an open family FAILURE. */
PT_ORACLE static int af_gone(const struct pm_model *m)
{
	return m->af == PM_AF_CLOSING || m->af == PM_AF_CLOSED;
}

PT_ORACLE static int live_state(int s)
{
	return PT_STATE_IS_LIVE(s);
}

/* Model index of the VC with handle @h in a live (not deleted) life. */
PT_ORACLE static int vc_find(const struct pm_model *m, uint64_t h)
{
	uint32_t i;

	if (h == 0)
		return -1;
	for (i = 0; i < m->nvc; i++)
		if (m->vc[i].used && m->vc[i].h == h &&
		    m->vc[i].state != CN_VC_FREE)
			return (int)i;
	return -1;
}

/* Most recent party record with handle @h (live or not), or -1. */
PT_ORACLE static int party_find(const struct pm_model *m, uint64_t h)
{
	uint32_t i;

	if (h == 0)
		return -1;
	for (i = m->nparty; i-- > 0;)
		if (m->party[i].h == h)
			return (int)i;
	return -1;
}

PT_ORACLE static int party_live(const struct pm_model *m, int p)
{
	return p >= 0 && live_state(m->party[p].state);
}

/* A later life of the same slot was issued (the handle is not the most
 * recent one of its slot). */
PT_ORACLE static int slot_reissued(const struct pm_model *m, int p)
{
	uint32_t idx = pt_handle_index(m->party[p].h), i;

	for (i = (uint32_t)p + 1; i < m->nparty; i++)
		if (m->party[i].h && pt_handle_index(m->party[i].h) == idx)
			return 1;
	return 0;
}

/* Rule for a bad party handle: step 4 of rules.h's check order. */
PT_ORACLE static enum cn_rule bad_party_rule(const struct pm_model *m,
						  uint64_t h, int from_cm,
						  int in_drop_complete)
{
	int p = party_find(m, h);

	if (p >= 0 && pt_handle_tag(h) == CN_TAG_PARTY &&
	    !slot_reissued(m, p)) {
		if (!from_cm && m->party[p].ended == PM_END_SETUP_FAILED)
			return CN_RULE_C7;
		if (from_cm && in_drop_complete &&
		    m->party[p].ended == PM_END_DROPPED_SYNC)
			return CN_RULE_C19;
	}
	return from_cm ? CN_RULE_C18 : CN_RULE_C9;
}

/* Derived counters (M2): party state @state counted into @c. */
PT_ORACLE static void count_state(struct pm_counts *c, uint8_t state)
{
	switch (state) {
	case PT_ACTIVE:
		c->active++;
		break;
	case PT_REMOTE_DROPPED:
		c->active++;
		c->remote++;
		break;
	case PT_ADDING:
		c->adding++;
		break;
	case PT_DROPPING:
		c->dropping++;
		break;
	case PT_MAKING:
		c->making++;
		break;
	case PT_CLOSING:
		c->closing++;
		break;
	default:
		break;
	}
}

PT_ORACLE static void count_vc(const struct pm_model *m, int v,
				    struct pm_counts *c)
{
	uint32_t i;

	memset(c, 0, sizeof(*c));
	for (i = m->live_lo; i < m->nparty; i++) /* (M9) */
		if (m->party[i].vc == v)
			count_state(c, m->party[i].state);
}

/*
 * A2, rules.h check order (NdisClDropParty, Ndis(M)CmDropPartyComplete):
 * a SUCCESS for the drop of a party of VC @v (DROPPING itself) that leaves
 * no other party ACTIVE, REMOTE_DROPPED or DROPPING (ADDING too with
 * CN_OPT_A2_COUNT_CONNECTING) drops the call's last party: C11.
 */
PT_ORACLE static int drops_last(const struct pm_model *m, int v)
{
	struct pm_counts k;

	count_vc(m, v, &k);
	return k.active + k.dropping - 1 +
		       ((m->options & CN_OPT_A2_COUNT_CONNECTING) ? k.adding
								  : 0) ==
	       0;
}

/* A MakeCall/AddParty is in flight: a live party in MAKING or ADDING. */
PT_ORACLE static int setup_in_flight(const struct pm_model *m)
{
	uint32_t i;

	for (i = m->live_lo; i < m->nparty; i++) /* (M9) */
		if (m->party[i].state == PT_MAKING ||
		    m->party[i].state == PT_ADDING)
			return 1;
	return 0;
}

PT_ORACLE static uint32_t live_total(const struct pm_model *m)
{
	uint32_t i, n = 0;

	for (i = m->live_lo; i < m->nparty; i++) /* (M9) */
		n += (uint32_t)live_state(m->party[i].state);
	return n;
}

PT_ORACLE uint32_t pm_pended(const struct pm_model *m)
{
	uint32_t i, n = 0;

	for (i = 0; i < m->nvc; i++)
		n += (uint32_t)(m->vc[i].used && m->vc[i].pended);
	for (i = m->live_lo; i < m->nparty; i++) /* (M9) */
		n += (uint32_t)(live_state(m->party[i].state) &&
				m->party[i].pended);
	return n;
}

/* Every write of a party record's state after its creation (M9). */
PT_ORACLE static void party_set(struct pm_model *m, int p, uint8_t state)
{
	m->party[p].state = state;
	if (live_state(state) && (uint32_t)p < m->live_lo)
		m->live_lo = (uint32_t)p;
}

PT_ORACLE static int new_party(struct walk *w, int v, uint8_t state)
{
	struct pm_model *m = w->m;
	struct pm_party *p;

	if (m->nparty >= PM_MAX_PARTIES) {
		fail(w, NULL,
		     "model: more than %" PRIu64 " parties (%" PRIu64 ")",
		     PM_MAX_PARTIES, m->nparty);
		return -1;
	}
	p = &m->party[m->nparty];
	memset(p, 0, sizeof(*p));
	p->vc = v;
	p->state = state;
	return (int)m->nparty++;
}

PT_ORACLE static void end_party(struct pm_model *m, int p,
				     enum pm_end how)
{
	m->party[p].state = PT_DEAD;
	m->party[p].ended = (uint8_t)how;
	m->party[p].req = CN_REQ_NONE;
	m->party[p].pended = 0;
}

PT_ORACLE static void owe(struct walk *w, const struct pm_cb *cb)
{
	struct pm_model *m = w->m;

	if (m->nowed >= PM_MAX_OWED) {
		fail(w, NULL,
		     "model: more than %" PRIu64 " owed callbacks (%" PRIu64
		     ")",
		     PM_MAX_OWED, m->nowed);
		return;
	}
	m->owed[m->nowed++] = *cb;
}

/* Client callbacks queued on @cpu's DPC queue. */
PT_ORACLE static uint32_t queued_on(const struct pm_model *m,
					 uint32_t cpu)
{
	uint32_t i, n = 0;

	for (i = 0; i < m->nowed; i++)
		n += m->owed[i].cpu == cpu;
	return n;
}

/*
 * Slots NDIS can still hand out: a slot is taken by a live object, and
 * PARKED for ever once a life with generation gen_max ended (party_table.h,
 * wraparound policy); the same holds for VC slots.
 */
PT_ORACLE static uint32_t free_party_slots(const struct pm_model *m)
{
	uint32_t i, j, used = 0;

	for (i = 0; i < m->nparty; i++) {
		const struct pm_party *p = &m->party[i];

		if (live_state(p->state)) {
			used++;
			continue;
		}
		if (p->h == 0 || pt_handle_gen(p->h) < m->gen_max)
			continue;
		for (j = i + 1; j < m->nparty; j++)
			if (m->party[j].h && pt_handle_index(m->party[j].h) ==
						     pt_handle_index(p->h))
				break;
		used += j == m->nparty; /* parked: never reissued */
	}
	return used >= m->max_parties ? 0 : m->max_parties - used;
}

PT_ORACLE static uint32_t free_vc_slots(const struct pm_model *m)
{
	uint32_t i, used = 0;

	for (i = 0; i < m->nvc; i++) {
		const struct pm_vc *v = &m->vc[i];

		if (!v->used)
			continue;
		if (v->state != CN_VC_FREE ||
		    (v->h && pt_handle_gen(v->h) >= m->gen_max))
			used++;
	}
	return used >= m->max_vcs ? 0 : m->max_vcs - used;
}

/* Walking the trace */

/* Step @s of the operation, read in place in the engine's ring (pm_feed
 * looked each one up once), or NULL outside it. */
PT_ORACLE static const struct cn_trace_entry *get(struct walk *w,
						       uint64_t s)
{
	if (s < w->from || s > w->to) {
		fail(w, NULL,
		     "trace step %" PRIu64 " outside the operation (%" PRIu64
		     ")",
		     s, w->to);
		return NULL;
	}
	return w->m->steps[s - w->from];
}

/* First step after the subtree of @s (nested steps have larger depth). */
PT_ORACLE static uint64_t subtree_end(struct walk *w, uint64_t s,
					   const struct cn_trace_entry *e)
{
	uint64_t t = s + 1;

	while (t <= w->to && w->m->steps[t - w->from]->depth > e->depth)
		t++;
	return t;
}

static uint64_t walk_step(struct walk *w, uint64_t s);

/* Walk the steps nested in @s (its subtree ends before @end). */
PT_ORACLE static void walk_children(struct walk *w, uint64_t s,
					 uint64_t end)
{
	uint64_t t = s + 1;

	while (t < end && !w->failed)
		t = walk_step(w, t);
}

PT_ORACLE static int is_mcm_fn(enum cn_fn fn)
{
	return fn >= CN_FN_NdisMCmCreateVc &&
	       fn <= CN_FN_NdisMCmDispatchIncomingCloseCall;
}

PT_ORACLE static int is_cm_fn(enum cn_fn fn)
{
	return fn >= CN_FN_NdisCmActivateVc &&
	       fn <= CN_FN_NdisCmDispatchIncomingCloseCall;
}

/* Normalise the MCM family onto the CM one. */
PT_ORACLE static enum cn_fn base_fn(enum cn_fn fn)
{
	switch (fn) {
	case CN_FN_NdisMCmActivateVc:
		return CN_FN_NdisCmActivateVc;
	case CN_FN_NdisMCmDeactivateVc:
		return CN_FN_NdisCmDeactivateVc;
	case CN_FN_NdisMCmMakeCallComplete:
		return CN_FN_NdisCmMakeCallComplete;
	case CN_FN_NdisMCmAddPartyComplete:
		return CN_FN_NdisCmAddPartyComplete;
	case CN_FN_NdisMCmDropPartyComplete:
		return CN_FN_NdisCmDropPartyComplete;
	case CN_FN_NdisMCmCloseCallComplete:
		return CN_FN_NdisCmCloseCallComplete;
	case CN_FN_NdisMCmDispatchIncomingDropParty:
		return CN_FN_NdisCmDispatchIncomingDropParty;
	case CN_FN_NdisMCmDispatchIncomingCloseCall:
		return CN_FN_NdisCmDispatchIncomingCloseCall;
	default:
		return fn;
	}
}

/*
 * Predicted callbacks (M3)
 */

/*
 * A stable name for an argument value, for messages: handles print as in
 * the trace; contexts and CallParameters are pointers that differ from
 * run to run, so they are named by the object the model learnt them for.
 */
PT_ORACLE static void value_name(const struct pm_model *m, uint64_t v,
				      char *buf, size_t len)
{
	uint8_t tag = pt_handle_tag(v);
	char h[32];
	uint32_t i;

	if (v == 0 || tag == CN_TAG_PARTY || tag == CN_TAG_VC ||
	    tag == CN_TAG_NDIS) {
		cn_handle_format(v, buf, len);
		return;
	}
	for (i = 0; i < m->nvc; i++) {
		const struct pm_vc *c = &m->vc[i];
		const char *what = v == c->ctx      ? "ProtocolVcContext"
				   : v == c->cm_ctx ? "CallMgrVcContext"
				   : v == c->params ? "CallParameters"
						    : NULL;

		if (c->used && what) {
			cn_handle_format(c->h, h, sizeof(h));
			snprintf(buf, len, "%s of %s", what, h);
			return;
		}
	}
	for (i = 0; i < m->nparty; i++) {
		const struct pm_party *p = &m->party[i];
		const char *what = v == p->ctx      ? "ProtocolPartyContext"
				   : v == p->cm_ctx ? "CallMgrPartyContext"
				   : v == p->params ? "CallParameters"
						    : NULL;

		if (what) {
			cn_handle_format(p->h, h, sizeof(h));
			snprintf(buf, len, "%s of %s", what, h);
			return;
		}
	}
	if (m->have_af_ctx && v == m->af_ctx) {
		snprintf(buf, len, "the CM's ProtocolAfContext");
		return;
	}
	snprintf(buf, len, "%s", "a pointer the model never saw");
}

/* The names of the context arguments of callback @fn (condis.h). */
PT_ORACLE static void ctx_names(enum cn_fn fn, const char **ctx,
				     const char **ctx2)
{
	*ctx2 = "ctx2";
	switch (fn) {
	case CN_FN_ProtocolCoCreateVc:
		*ctx = "ProtocolAfContext";
		break;
	case CN_FN_ProtocolCoDeleteVc:
	case CN_FN_ProtocolCmMakeCall:
	case CN_FN_ProtocolCmAddParty:
		*ctx = "CallMgrVcContext";
		break;
	case CN_FN_ProtocolCmDropParty:
		*ctx = "CallMgrPartyContext";
		break;
	case CN_FN_ProtocolCmCloseCall:
		*ctx = "CallMgrVcContext";
		*ctx2 = "CallMgrPartyContext";
		break;
	case CN_FN_ProtocolClMakeCallComplete:
	case CN_FN_ProtocolClIncomingCloseCall:
		*ctx = "ProtocolVcContext";
		break;
	case CN_FN_ProtocolClCloseCallComplete:
		*ctx = "ProtocolVcContext";
		*ctx2 = "ProtocolPartyContext";
		break;
	case CN_FN_ProtocolCoSendNetBufferListsComplete:
		*ctx = "ProtocolVcContext";
		break;
	case CN_FN_MiniportCoSendNetBufferLists:
		*ctx = "MiniportVcContext";
		break;
	case CN_FN_ProtocolCoOidRequest:
		*ctx = "CallMgrVcContext";
		*ctx2 = "CallMgrPartyContext";
		break;
	case CN_FN_ProtocolCoOidRequestComplete:
		*ctx = "ProtocolVcContext";
		*ctx2 = "ProtocolPartyContext";
		break;
	default:
		*ctx = "ProtocolPartyContext";
		break;
	}
}

/* One argument of callback @got: a MISMATCH naming the field, the
 * predicted and the actual value; a pointer the model has no object for
 * is named by the step @origin that passed it (0: none). */
PT_ORACLE static int cb_field(struct walk *w,
				   const struct cn_trace_entry *got,
				   const char *field, uint64_t have,
				   uint64_t want, uint64_t origin)
{
	static const char unknown[] = "a pointer the model never saw";
	char a[80], b[80], msg[240];

	if (have == want)
		return 0;
	value_name(w->m, want, a, sizeof(a));
	value_name(w->m, have, b, sizeof(b));
	if (origin != 0 && strcmp(a, unknown) == 0)
		snprintf(a, sizeof(a), "the %s passed at #%" PRIu64, field,
			 origin);
	snprintf(msg, sizeof(msg), "%s %s: expected %s, got %s",
		 cn_fn_name(got->fn), field, a, b);
	fail_msg(w, got, msg);
	return -1;
}

/* A handle NDIS just issued: of the right kind, and no live object of
 * the model has it. */
PT_ORACLE static int fresh_handle(const struct pm_model *m, uint64_t h,
				       uint8_t tag)
{
	uint32_t i;

	if (pt_handle_tag(h) != tag)
		return 0;
	for (i = 0; i < m->nvc; i++)
		if (m->vc[i].used && m->vc[i].h == h &&
		    m->vc[i].state != CN_VC_FREE)
			return 0;
	for (i = 0; i < m->nparty; i++)
		if (m->party[i].h == h && live_state(m->party[i].state))
			return 0;
	return 1;
}

/* Compare callback @got with the prediction @want, field by field. */
PT_ORACLE static int expect_cb(struct walk *w,
				    const struct cn_trace_entry *got,
				    const struct pm_cb *want)
{
	const char *ctx, *ctx2;
	uint64_t party = want->party;
	char msg[200], h[32];

	if (got->fn != want->fn) {
		snprintf(msg, sizeof(msg), "callback: expected %s, got %s",
			 cn_fn_name(want->fn), cn_fn_name(got->fn));
		fail_msg(w, got, msg);
		return -1;
	}
	if (want->fresh) {
		uint8_t tag = got->fn == CN_FN_ProtocolCoCreateVc
				      ? CN_TAG_VC
				      : CN_TAG_PARTY;

		if (!fresh_handle(w->m, got->handle, tag)) {
			cn_handle_format(got->handle, h, sizeof(h));
			snprintf(msg, sizeof(msg),
				 "%s handle: expected a new %s handle, got "
				 "%s",
				 cn_fn_name(got->fn),
				 tag == CN_TAG_VC ? "VC" : "party", h);
			fail_msg(w, got, msg);
			return -1;
		}
		if (want->party_is_handle)
			party = got->handle;
	} else if (cb_field(w, got, "handle", got->handle, want->handle, 0)) {
		return -1;
	}
	if (want->has_status && got->status != want->status) {
		snprintf(msg, sizeof(msg),
			 "%s status: expected %s (0x%08x), got %s (0x%08x)",
			 cn_fn_name(got->fn), cn_status_name(want->status),
			 (unsigned)want->status, cn_status_name(got->status),
			 (unsigned)got->status);
		fail_msg(w, got, msg);
		return -1;
	}
	ctx_names(got->fn, &ctx, &ctx2);
	if (want->af_ctx && !w->m->have_af_ctx) {
		w->m->have_af_ctx = 1;
		w->m->af_ctx = got->ctx;
	}
	if (cb_field(w, got, "NdisPartyHandle", got->party, party, 0) ||
	    cb_field(w, got, ctx, got->ctx,
		     want->af_ctx ? w->m->af_ctx : want->ctx, 0) ||
	    cb_field(w, got, ctx2, got->ctx2, want->ctx2, 0) ||
	    cb_field(w, got, "CallParameters", got->params, want->params,
		     want->origin) ||
	    cb_field(w, got, "Buffer", got->data, want->data, want->origin))
		return -1;
	if (got->size != want->size) {
		snprintf(msg, sizeof(msg), "%s Size: expected %u, got %u",
			 cn_fn_name(got->fn), want->size, got->size);
		fail_msg(w, got, msg);
		return -1;
	}
	return 0;
}

struct call {
	const struct cn_trace_entry *e;
	enum cn_rule rule;
};

PT_ORACLE static void predict(struct walk *w, struct call *c,
				   enum cn_rule r)
{
	if (c->rule == CN_RULE_NONE && r != CN_RULE_NONE) {
		c->rule = r;
		w->m->predicted[r]++;
	}
}

/* Where the report of a CM-created VC's rule @r must be: handle @h, trace
 * step @step (struct pm_model, n_at). */
PT_ORACLE static void note_at(struct pm_model *m, enum cn_rule r, uint64_t h,
			      uint64_t step)
{
	m->n_at++;
	m->at_rule = (uint32_t)r;
	m->at_handle = h;
	m->at_step = step;
}

/* predict() on the step of @c, naming handle @h. */
PT_ORACLE static void predict_at(struct walk *w, struct call *c,
				 enum cn_rule r, uint64_t h)
{
	if (c->rule != CN_RULE_NONE)
		return;
	predict(w, c, r);
	note_at(w->m, r, h, c->e->step);
}

PT_ORACLE static void
expect_ret(struct walk *w, const struct cn_trace_entry *e, NDIS_STATUS want)
{
	if (e->returned && e->ret != want)
		fail(w, e,
		     "returned 0x%08" PRIx64 ", model predicts 0x%08" PRIx64,
		     e->ret, want);
}

/* The handle a DDI wrote through its out-handle pointer: the one the
 * model learnt for the object it issued (M6), or none (0). */
PT_ORACLE static void
expect_out(struct walk *w, const struct cn_trace_entry *e, uint64_t want)
{
	char msg[160], a[32], b[32];

	if (w->failed || e->out == want)
		return;
	cn_handle_format(want, a, sizeof(a));
	cn_handle_format(e->out, b, sizeof(b));
	snprintf(msg, sizeof(msg), "%s returned handle: expected %s, got %s",
		 cn_fn_name(e->fn), want ? a : "none", e->out ? b : "none");
	fail_msg(w, e, msg);
}

/* The rejected call must have no nested steps (M4). */
PT_ORACLE static void rejected(struct walk *w, struct call *c, uint64_t s,
				    uint64_t end, NDIS_STATUS ret)
{
	if (end != s + 1)
		fail(w, c->e,
		     "rejected call (model: %" PRIu64 ") made %" PRIu64
		     " nested calls",
		     (uint64_t)c->rule, end - s - 1);
	if (c->e->fn != CN_FN_NdisCoDeleteVc)
		expect_ret(w, c->e, ret);
}

/* Second half of a request the CM answered with @r, shared by the sync
 * answer and the completion (the 3.1/3.2 tables). */
PT_ORACLE static void finish_make(struct pm_model *m, int v,
				       NDIS_STATUS r)
{
	struct pm_vc *vc = &m->vc[v];

	vc->req = CN_REQ_NONE;
	vc->pended = 0;
	if (r == NDIS_STATUS_SUCCESS) {
		vc->state = CN_VC_CONNECTED;
		if (vc->req_party >= 0)
			party_set(m, vc->req_party, PT_ACTIVE);
	} else {
		vc->state = CN_VC_IDLE;
		if (vc->req_party >= 0)
			end_party(m, vc->req_party, PM_END_SETUP_FAILED);
	}
	vc->req_party = -1;
}

PT_ORACLE static void finish_close(struct pm_model *m, int v,
					NDIS_STATUS r)
{
	struct pm_vc *vc = &m->vc[v];

	vc->close_data = 0;
	vc->req = CN_REQ_NONE;
	vc->pended = 0;
	if (r == NDIS_STATUS_SUCCESS) {
		vc->state = CN_VC_CLOSED;
		vc->remote_seen = 0;
		if (vc->req_party >= 0)
			end_party(m, vc->req_party, PM_END_CLOSED);
	} else {
		vc->state = vc->close_from;
		if (vc->req_party >= 0)
			party_set(m, vc->req_party, PT_ACTIVE);
	}
	vc->req_party = -1;
}

PT_ORACLE static void finish_add(struct pm_model *m, int p, NDIS_STATUS r)
{
	m->party[p].req = CN_REQ_NONE;
	m->party[p].pended = 0;
	if (r == NDIS_STATUS_SUCCESS)
		party_set(m, p, PT_ACTIVE);
	else
		end_party(m, p, PM_END_SETUP_FAILED);
}

PT_ORACLE static void finish_drop(struct pm_model *m, int p,
				       NDIS_STATUS r, int sync)
{
	m->party[p].close_data = 0;
	m->party[p].req = CN_REQ_NONE;
	m->party[p].pended = 0;
	if (r == NDIS_STATUS_SUCCESS)
		end_party(m, p, sync ? PM_END_DROPPED_SYNC : PM_END_DROPPED);
	else /* P10, A4: back where the drop found it */
		party_set(m, p, m->party[p].drop_from);
}

/* (M7) The request @e whose CM callback @cb returned: if its completion
 * came while the callback ran (@early), predict the request's outcome and
 * say so (1); else 0, and the caller judges the answer. */
PT_ORACLE static int early_answer(struct walk *w,
				  const struct cn_trace_entry *e,
				  uint8_t *early,
				  const struct cn_trace_entry *cb)
{
	if (!*early)
		return 0;
	*early = 0;
	if (cb->ret != NDIS_STATUS_PENDING)
		w->m->predicted[CN_RULE_C3]++;
	expect_ret(w, e, NDIS_STATUS_PENDING);
	expect_out(w, e, 0);
	return 1;
}

/* Learn a handle NDIS gave a callback (M1; expect_cb checked it is
 * fresh). */
PT_ORACLE static void learn_party(struct pm_model *m, int p,
				       const struct cn_trace_entry *cb)
{
	if (p >= 0 && m->party[p].h == 0)
		m->party[p].h = cb->handle;
}

/* Callback-return checks shared by make call and add party: @cb->out is
 * the CallMgrPartyContext the CM set. */
PT_ORACLE static void cm_setup_return(struct walk *w,
					   const struct cn_trace_entry *cb,
					   int pmp, int is_make, int v)
{
	/* rules.h, check order, callback returns: C17 on any answer, then
	 * C22 and C16 on SUCCESS, C22 on a failure with the VC activated. */
	if (is_make && !pmp && cb->out != 0)
		w->m->predicted[CN_RULE_C17]++;
	if (cb->ret == NDIS_STATUS_PENDING)
		return;
	if (cb->ret != NDIS_STATUS_SUCCESS) {
		if (is_make && w->m->vc[v].activated)
			w->m->predicted[CN_RULE_C22]++;
		return;
	}
	if (is_make && !w->m->vc[v].activated) {
		w->m->predicted[CN_RULE_C22]++;
		w->m->vc[v].activated = 1;
	}
	if (pmp && cb->out == 0)
		w->m->predicted[CN_RULE_C16]++;
}

/*
 * An accepted request @e (step @s, its subtree up to @end) makes exactly
 * one call, nested in it: the CM callback @want predicts (M3). Step 1:
 * check that call, into @cb. Return: 0, or -1 (the walk failed).
 */
PT_ORACLE static int reach_cm(struct walk *w,
				   const struct cn_trace_entry *e, uint64_t s,
				   uint64_t end, const struct pm_cb *want,
				   struct cn_trace_entry *cb)
{
	const struct cn_trace_entry *c = end == s + 1 ? NULL : get(w, s + 1);

	if (c == NULL || c->depth != e->depth + 1) {
		fail_msg(w, e, "an accepted request did not reach the CM");
		return -1;
	}
	*cb = *c;
	return expect_cb(w, cb, want);
}

/* Step 2: walk what the CM did inside its callback (step @s + 1);
 * nothing else may be nested in the request, but for the client callback
 * NDIS runs itself after a synchronous answer (M8), which is left to
 * ndis_completes(). Return: 0, or -1. */
PT_ORACLE static int cm_walk(struct walk *w, const struct cn_trace_entry *e,
			     uint64_t s, uint64_t end)
{
	const struct cn_trace_entry *cb = get(w, s + 1);
	uint64_t t;

	if (cb == NULL)
		return -1;
	t = subtree_end(w, s + 1, cb);
	walk_children(w, s + 1, t);
	w->cm_end = t;
	if (!w->failed && t != end &&
	    !(w->tail_ok && (w->m->options & CN_OPT_A12_EARLY) &&
	      cb->ret != NDIS_STATUS_PENDING))
		fail_msg(w, e,
			 "the request made a call besides its CM callback");
	w->tail_ok = 0;
	return w->failed ? -1 : 0;
}

/* cm_walk() for a client request NDIS may complete itself (M8). */
PT_ORACLE static int cm_walk_req(struct walk *w,
				 const struct cn_trace_entry *e, uint64_t s,
				 uint64_t end)
{
	w->tail_ok = 1;
	return cm_walk(w, e, s, end);
}

/*
 * (M8) A12, CN_OPT_A12_EARLY: NDIS completes the CM's synchronous answer
 * to the request @e itself. The client callback @want runs at once, as
 * the step after the CM callback's subtree (w->cm_end), on the caller's
 * CPU at its IRQL, and is the last step nested in the request; the
 * request returns PENDING and writes no handle. Return: 1 if NDIS did
 * (the caller is done), 0 if the option is off.
 */
PT_ORACLE static int ndis_completes(struct walk *w,
				    const struct cn_trace_entry *e,
				    uint64_t end, struct pm_cb *want)
{
	const struct cn_trace_entry *cb;
	uint64_t t, at = w->cm_end;

	if (!(w->m->options & CN_OPT_A12_EARLY))
		return 0;
	expect_ret(w, e, NDIS_STATUS_PENDING);
	expect_out(w, e, 0);
	cb = at < end ? get(w, at) : NULL;
	if (cb == NULL || cb->depth != e->depth + 1) {
		fail_msg(w, e,
			 "NDIS did not complete the synchronous answer itself "
			 "(a12=early)");
		return 1;
	}
	want->has_status = 1;
	want->origin = e->step;
	if (expect_cb(w, cb, want) < 0)
		return 1;
	if (cb->cpu != e->cpu || cb->irql != e->irql || cb->dpc_seq != 0) {
		fail_msg(w, cb,
			 "NDIS's own completion: expected at once, on the "
			 "caller's CPU and IRQL");
		return 1;
	}
	t = subtree_end(w, at, cb);
	walk_children(w, at, t);
	if (!w->failed && t != end)
		fail_msg(w, e, "a call besides NDIS's completion is nested");
	return 1;
}

/* The request @e carries close data the medium does not support (C20). */
PT_ORACLE static int unsupported_data(const struct pm_model *m,
					   const struct cn_trace_entry *e)
{
	return (e->data != 0 || e->size != 0) &&
	       !(m->options & CN_OPT_CLOSE_DATA);
}

/* C20: unsupported close data is not accepted: a SUCCESS answer is the
 * violation, any failure refuses it (a PENDING one is judged at the
 * completion). Return: the request carries it. */
PT_ORACLE static uint8_t close_data_answer(struct pm_model *m,
						const struct cn_trace_entry *e,
						NDIS_STATUS ret)
{
	uint8_t cd = (uint8_t)unsupported_data(m, e);

	if (cd && ret == NDIS_STATUS_SUCCESS)
		m->predicted[CN_RULE_C20]++;
	return cd;
}

/* The record for a new VC (M5): one no VC needs any more, else a new one;
 * -1 if all are taken. */
PT_ORACLE static int vc_record(const struct pm_model *m)
{
	uint32_t i;

	for (i = 0; i < m->nvc; i++)
		if (!m->vc[i].used ||
		    (m->vc[i].state == CN_VC_FREE &&
		     !(m->vc[i].h && pt_handle_gen(m->vc[i].h) >= m->gen_max)))
			return (int)i;
	return m->nvc < PM_MAX_VCS ? (int)m->nvc : -1;
}

/* Step 4 for the VC handle of a client DDI: its model index, or -1 after
 * predicting C25 and checking the rejection. */
PT_ORACLE static int vc_or_c25(struct walk *w, struct call *c, uint64_t s,
				    uint64_t end)
{
	int v = vc_find(w->m, c->e->handle);

	if (v < 0) {
		predict(w, c, CN_RULE_C25);
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
	}
	return v;
}

/*
 * Incoming calls: VCs the call manager creates (rules.h, check order:
 * NdisCoCreateVc from the CM's binding, NdisMCmCreateVc, NdisCoDeleteVc of
 * a CM-created VC, NdisMCmDeleteVc, Ndis(M)CmDispatchIncomingCall,
 * NdisClIncomingCallComplete, Ndis(M)CmDispatchCallConnected; CONTRACT.md
 * rows V10..V14). Everything is learnt from the trace: the VC from the
 * client's ProtocolCoCreateVc (its `actor` says NDIS called the client),
 * the caller of an NdisCoDeleteVc from the step's `actor`.
 */

/* Is @h the stale handle of its slot's most recently ended life, a
 * CM-created VC whose close had completed (C27)? */
PT_ORACLE static int stale_cm_closed(const struct pm_model *m,
					  uint64_t h)
{
	uint32_t i = pt_handle_index(h);

	return pt_handle_tag(h) == CN_TAG_VC && i < PM_MAX_VCS &&
	       m->ended_cm_closed[i] && m->ended_gen[i] == pt_handle_gen(h);
}

/* The life of VC record @v ended (deleted, or refused at its creation). */
PT_ORACLE static void vc_ended(struct pm_model *m, int v)
{
	struct pm_vc *vc = &m->vc[v];
	uint32_t i = pt_handle_index(vc->h);

	if (vc->h != 0 && i < PM_MAX_VCS) {
		m->ended_gen[i] = pt_handle_gen(vc->h);
		m->ended_cm_closed[i] =
			vc->cm_created && vc->state == CN_VC_CLOSED;
	}
	vc->state = CN_VC_FREE;
	vc->delete_owed = 0;
}

/* Step 4 for the VC handle of a client DDI: C25, or C27 for a CM-created
 * VC whose close completed (live, or its slot's last life). Return: the
 * model index, or -1 after predicting and checking the rejection. */
PT_ORACLE static int vc_client(struct walk *w, struct call *c,
				    uint64_t s, uint64_t end)
{
	const struct pm_model *m = w->m;
	int v = vc_find(m, c->e->handle);

	if (v >= 0 &&
	    !(m->vc[v].cm_created && m->vc[v].state == CN_VC_CLOSED))
		return v;
	predict(w, c,
		v >= 0 || stale_cm_closed(m, c->e->handle) ? CN_RULE_C27
							   : CN_RULE_C25);
	rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
	return -1;
}

/* A client callback of the VC with handle @h is still queued. */
PT_ORACLE static int owed_for(const struct pm_model *m, uint64_t h)
{
	uint32_t i;

	for (i = 0; i < m->nowed; i++)
		if (m->owed[i].handle == h)
			return 1;
	return 0;
}

/* The one step nested in @e at @s + 1 if it is @fn, else NULL. */
PT_ORACLE static const struct cn_trace_entry *
nested(struct walk *w, const struct cn_trace_entry *e, uint64_t s,
       uint64_t end, enum cn_fn fn)
{
	const struct cn_trace_entry *cb = end == s + 1 ? NULL : get(w, s + 1);

	return cb != NULL && cb->depth == e->depth + 1 && cb->fn == fn ? cb
								       : NULL;
}

/* Check callback @cb (step @s + 1 of @e) against @want, walk what it did,
 * and check nothing else is nested in @e. Return: 0, or -1. */
PT_ORACLE static int walk_cb(struct walk *w,
				  const struct cn_trace_entry *e, uint64_t s,
				  uint64_t end, const struct cn_trace_entry *cb,
				  const struct pm_cb *want)
{
	uint64_t t;

	if (expect_cb(w, cb, want) < 0)
		return -1;
	t = subtree_end(w, s + 1, cb);
	walk_children(w, s + 1, t);
	if (!w->failed && t != end)
		fail_msg(w, e, "a call besides its callback is nested");
	return w->failed ? -1 : 0;
}

/* The client's ProtocolCoDeleteVc @cb of VC @v (nested at @s + 1 in @e,
 * or the deferred one, then @e == @cb) and the VC's end; a C26 is
 * reported on step @rstep (the delete's, or the deferred callback's own).
 * Return: the status the delete answers. */
PT_ORACLE static NDIS_STATUS client_delete(struct walk *w,
					   const struct cn_trace_entry *cb,
					   uint64_t s, int v, uint64_t rstep)
{
	struct pm_model *m = w->m;
	struct pm_cb want;
	NDIS_STATUS st;

	memset(&want, 0, sizeof(want));
	want.fn = CN_FN_ProtocolCoDeleteVc;
	want.handle = m->vc[v].h;
	want.ctx = m->vc[v].ctx;
	if (expect_cb(w, cb, &want) < 0)
		return NDIS_STATUS_FAILURE;
	if (cb->actor != CN_ACTOR_CLIENT)
		fail_msg(w, cb, "ProtocolCoDeleteVc: expected the client's");
	m->vc[v].deleting = 1;
	walk_children(w, s, subtree_end(w, s, cb));
	m->vc[v].deleting = 0;
	st = cb->ret;
	if (st == NDIS_STATUS_PENDING) {
		m->predicted[CN_RULE_C26]++; /* counts as SUCCESS */
		note_at(m, CN_RULE_C26, m->vc[v].h, rstep);
		st = NDIS_STATUS_SUCCESS;
	}
	if (st == NDIS_STATUS_SUCCESS)
		vc_ended(m, v);
	return st;
}

/* The call manager deletes its VC @v (NdisCoDeleteVc attributed to @who,
 * or NdisMCmDeleteVc). */
PT_ORACLE static void cm_vc_delete(struct walk *w, struct call *c,
					uint64_t s, uint64_t end, int v,
					uint8_t who)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e, *cb;
	struct pm_vc *vc = &m->vc[v];
	int co = e->fn == CN_FN_NdisCoDeleteVc;

	if (who == CN_ACTOR_CLIENT) {
		predict_at(w, c,
			   vc->state == CN_VC_CLOSED ? CN_RULE_C27
						     : CN_RULE_C25,
			   vc->h);
		rejected(w, c, s, end, NDIS_STATUS_NOT_ACCEPTED);
		expect_ret(w, e, NDIS_STATUS_NOT_ACCEPTED);
		return;
	}
	if (co && m->mcm) {
		predict_at(w, c, CN_RULE_C5, vc->h);
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return;
	}
	if (vc->delete_owed ||
	    (vc->state != CN_VC_IDLE && vc->state != CN_VC_CLOSED)) {
		NDIS_STATUS ret = co && !vc->delete_owed &&
					  vc->state == CN_VC_CLOSING
				  ? NDIS_STATUS_CLOSING
				  : NDIS_STATUS_NOT_ACCEPTED;

		predict_at(w, c, CN_RULE_C25, vc->h);
		rejected(w, c, s, end, ret);
		expect_ret(w, e, ret);
		return;
	}
	if (owed_for(m, vc->h)) { /* the rest once those DPCs ran */
		vc->delete_owed = 1;
		if (end != s + 1)
			fail_msg(w, e, "a deferred delete made a call");
		expect_ret(w, e, NDIS_STATUS_SUCCESS);
		return;
	}
	cb = nested(w, e, s, end, CN_FN_ProtocolCoDeleteVc);
	if (cb == NULL) { /* a client without ProtocolCoDeleteVc */
		if (end != s + 1)
			fail_msg(w, e, "delete: unexpected nested call");
		vc_ended(m, v);
		expect_ret(w, e, NDIS_STATUS_SUCCESS);
		return;
	}
	expect_ret(w, e, client_delete(w, cb, s + 1, v, e->step));
	if (!w->failed && subtree_end(w, s + 1, cb) != end)
		fail_msg(w, e, "a call besides ProtocolCoDeleteVc is nested");
}

/* NdisCoCreateVc from the CM's binding, NdisMCmCreateVc: after C1, C5,
 * C26. */
PT_ORACLE static void cm_create(struct walk *w, struct call *c,
				     uint64_t s, uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e, *cb;
	struct pm_cb want;
	struct pm_vc *nv;
	int v;

	cb = nested(w, e, s, end, CN_FN_ProtocolCoCreateVc);
	if (cb == NULL) {
		if (end != s + 1)
			fail_msg(w, e, "create VC: unexpected nested call");
		/* The family closing or closed (C28's order) or no client
		 * handler: FAILURE; else no free VC slot: RESOURCES. */
		expect_ret(w, e,
			   m->af != PM_AF_OPEN || free_vc_slots(m)
				   ? NDIS_STATUS_FAILURE
				   : NDIS_STATUS_RESOURCES);
		return;
	}
	if (cb->actor != CN_ACTOR_CLIENT) {
		fail_msg(w, cb, "ProtocolCoCreateVc: expected the client's");
		return;
	}
	if (!m->have_cl_af_ctx) {
		m->have_cl_af_ctx = 1;
		m->cl_af_ctx = cb->ctx;
	}
	memset(&want, 0, sizeof(want));
	want.fn = CN_FN_ProtocolCoCreateVc;
	want.fresh = 1;
	want.ctx = m->cl_af_ctx;
	if (walk_cb(w, e, s, end, cb, &want) < 0)
		return;
	v = vc_record(m);
	if (v < 0) {
		fail_msg(w, e, "model: VC records exhausted");
		return;
	}
	if ((uint32_t)v == m->nvc)
		m->nvc++;
	nv = &m->vc[v];
	memset(nv, 0, sizeof(*nv));
	nv->used = 1;
	nv->h = cb->handle;
	nv->req_party = -1;
	nv->cm_created = 1;
	nv->cm_ctx = e->ctx;
	if (cb->ret == NDIS_STATUS_SUCCESS) {
		nv->state = CN_VC_IDLE;
		nv->ctx = cb->out;
		expect_ret(w, e, NDIS_STATUS_SUCCESS);
		expect_out(w, e, cb->handle);
		return;
	}
	vc_ended(m, v);
	if (cb->ret == NDIS_STATUS_PENDING)
		predict_at(w, c, CN_RULE_C26, cb->handle);
	expect_ret(w, e,
		   cb->ret == NDIS_STATUS_PENDING ? NDIS_STATUS_FAILURE
						  : cb->ret);
}

PT_ORACLE static int is_incoming_fn(enum cn_fn fn)
{
	return fn == CN_FN_NdisMCmCreateVc || fn == CN_FN_NdisMCmDeleteVc ||
	       (fn >= CN_FN_NdisCmDispatchIncomingCall &&
		fn <= CN_FN_NdisMCmDispatchCallConnected);
}

/* The DDIs of incoming calls, after C1 (walk_step). */
PT_ORACLE static void do_incoming(struct walk *w, struct call *c,
				       uint64_t s, uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e, *cb;
	struct pm_cb want;
	struct pm_vc *vc;
	uint64_t params;
	int v;

	memset(&want, 0, sizeof(want));
	want.origin = e->step;
	if ((e->fn == CN_FN_NdisMCmCreateVc || e->fn == CN_FN_NdisMCmDeleteVc) &&
	    !m->mcm) {
		predict(w, c, CN_RULE_C5);
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return;
	}
	if (e->fn == CN_FN_NdisMCmCreateVc) {
		if (e->out_ptr != CN_OUT_PTR_CLEAR) {
			predict(w, c, CN_RULE_C26);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		cm_create(w, c, s, end);
		return;
	}
	if (e->fn == CN_FN_NdisClIncomingCallComplete) {
		if (e->status == NDIS_STATUS_PENDING) {
			predict(w, c, CN_RULE_C4);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		v = vc_client(w, c, s, end);
		if (v < 0)
			return;
	} else {
		v = vc_find(m, e->handle);
		if (v < 0) {
			predict(w, c, CN_RULE_C25);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
	}
	vc = &m->vc[v];
	switch (e->fn) {
	case CN_FN_NdisMCmDeleteVc:
		if (!vc->cm_created) {
			predict(w, c, CN_RULE_C25);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		cm_vc_delete(w, c, s, end, v, CN_ACTOR_MCM);
		return;
	case CN_FN_NdisCmDispatchIncomingCall:
	case CN_FN_NdisMCmDispatchIncomingCall:
		if (!vc->cm_created || vc->state != CN_VC_IDLE) {
			predict_at(w, c, CN_RULE_C13, vc->h);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		cb = nested(w, e, s, end, CN_FN_ProtocolClIncomingCall);
		if (cb == NULL) { /* SAP, CallParameters or handler */
			if (end != s + 1)
				fail_msg(w, e, "incoming call: unexpected "
					       "nested call");
			expect_ret(w, e, NDIS_STATUS_FAILURE);
			return;
		}
		vc->state = CN_VC_OFFERED; /* V10 */
		vc->offer = 1;
		vc->params = e->params;
		want.fn = CN_FN_ProtocolClIncomingCall;
		want.handle = vc->h;
		want.ctx = cb->ctx; /* the SAP's context: not in the trace */
		want.ctx2 = vc->ctx;
		want.params = e->params;
		if (walk_cb(w, e, s, end, cb, &want) < 0)
			return;
		vc = &m->vc[v];
		if (vc->offer_early) {
			vc->offer_early = 0;
			if (cb->ret != NDIS_STATUS_PENDING)
				predict_at(w, c, CN_RULE_C3, vc->h);
			expect_ret(w, e, NDIS_STATUS_PENDING);
			return;
		}
		vc->offer = 0;
		if (cb->ret == NDIS_STATUS_PENDING) {
			vc->offer = 2;
		} else if (cb->ret == NDIS_STATUS_SUCCESS) {
			vc->state = CN_VC_ACCEPTED; /* V11 */
		} else {
			vc->state = CN_VC_IDLE; /* V12 */
			vc->params = 0;
		}
		expect_ret(w, e, cb->ret);
		return;
	case CN_FN_NdisClIncomingCallComplete:
		if (vc->state != CN_VC_OFFERED || vc->offer == 0) {
			predict_at(w, c, CN_RULE_C3, vc->h);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (vc->offer == 1)
			vc->offer_early = 1;
		vc->offer = 0;
		params = vc->params;
		if (e->status == NDIS_STATUS_SUCCESS) {
			vc->state = CN_VC_ACCEPTED; /* V11 */
		} else {
			vc->state = CN_VC_IDLE; /* V12 */
			vc->params = 0;
		}
		cb = nested(w, e, s, end, CN_FN_ProtocolCmIncomingCallComplete);
		if (cb == NULL) {
			fail_msg(w, e, "the CM's ProtocolCmIncomingCallComplete "
				       "did not run");
			return;
		}
		want.fn = CN_FN_ProtocolCmIncomingCallComplete;
		want.handle = vc->h;
		want.has_status = 1;
		want.status = e->status;
		want.ctx = vc->cm_ctx;
		want.params = params;
		(void)walk_cb(w, e, s, end, cb, &want);
		return;
	default: /* Ndis(M)CmDispatchCallConnected */
		if (vc->state != CN_VC_ACCEPTED) {
			predict_at(w, c, CN_RULE_C3, vc->h);
		} else if (!vc->activated) {
			predict_at(w, c, CN_RULE_C22, vc->h);
		}
		if (c->rule != CN_RULE_NONE) {
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		vc->state = CN_VC_CONNECTED; /* V13 */
		cb = nested(w, e, s, end, CN_FN_ProtocolClCallConnected);
		if (cb == NULL) {
			if (end != s + 1)
				fail_msg(w, e, "call connected: unexpected "
					       "nested call");
			return;
		}
		want.fn = CN_FN_ProtocolClCallConnected;
		want.handle = vc->h;
		want.ctx = vc->ctx;
		(void)walk_cb(w, e, s, end, cb, &want);
		return;
	}
}

/* After a DPC of the VC with handle @h ran or was cancelled: a deferred
 * delete of it runs once none is left (its ProtocolCoDeleteVc is the next
 * top-level step, or, for a client without one, nothing). */
PT_ORACLE static void delete_due(struct walk *w, uint64_t h,
				      uint64_t next)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *n;
	int v = vc_find(m, h);

	if (v < 0 || !m->vc[v].delete_owed || owed_for(m, h))
		return;
	m->vc[v].delete_owed = 0;
	n = next <= w->to ? get(w, next) : NULL;
	if (n != NULL && n->depth == 0 && n->fn == CN_FN_ProtocolCoDeleteVc)
		m->due_delete = v;
	else
		vc_ended(m, v);
}

PT_ORACLE static void do_client(struct walk *w, struct call *c,
				     uint64_t s, uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e;
	struct cn_trace_entry cb;
	struct pm_cb want;
	int v = -1, p = -1;
	struct pm_counts k;

	memset(&want, 0, sizeof(want));
	want.origin = e->step;
	switch (e->fn) {
	case CN_FN_NdisCoCreateVc: {
		struct pm_vc *nv;

		/* C5: an MCM creates its VCs with NdisMCmCreateVc (the
		 * step's actor says the CM's binding was passed). */
		if (e->actor == CN_ACTOR_CM && m->mcm) {
			predict(w, c, CN_RULE_C5);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		/* C26: NdisVcHandle must point to NULL on entry. */
		if (e->out_ptr != CN_OUT_PTR_CLEAR) {
			predict(w, c, CN_RULE_C26);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (e->actor == CN_ACTOR_CM) { /* a CM-created VC */
			cm_create(w, c, s, end);
			return;
		}
		if (af_gone(m) || m->notify != PM_NOTIFY_NONE) {
			predict(w, c, CN_RULE_C28);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (m->af != PM_AF_OPEN) { /* opening, or its open failed */
			if (end != s + 1)
				fail_msg(w, e,
					 "create VC on a family not open "
					 "reached the CM");
			expect_ret(w, e, NDIS_STATUS_FAILURE);
			return;
		}
		if (free_vc_slots(m) == 0) {
			if (end != s + 1)
				fail_msg(w, e,
					 "create VC with no free VC slot "
					 "reached the CM");
			expect_ret(w, e, NDIS_STATUS_RESOURCES);
			return;
		}
		want.fn = CN_FN_ProtocolCoCreateVc;
		want.fresh = 1;
		want.af_ctx = 1;
		/* The VC is not issued while its CM creates it (C25 for a
		 * nested use): the model learns it after the walk. */
		if (reach_cm(w, e, s, end, &want, &cb) < 0 ||
		    cm_walk(w, e, s, end) < 0)
			return;
		v = vc_record(m);
		if (v < 0) {
			fail_msg(w, e, "model: VC records exhausted");
			return;
		}
		if ((uint32_t)v == m->nvc)
			m->nvc++;
		nv = &m->vc[v];
		memset(nv, 0, sizeof(*nv));
		nv->used = 1;
		nv->h = cb.handle;
		nv->req_party = -1;
		nv->ctx = e->ctx;
		if (cb.ret == NDIS_STATUS_SUCCESS) {
			nv->state = CN_VC_IDLE;
			nv->cm_ctx = cb.out;
			expect_ret(w, e, NDIS_STATUS_SUCCESS);
			expect_out(w, e, cb.handle);
			return;
		}
		/* The CM refused: the slot's generation is used up. */
		vc_ended(m, v);
		if (cb.ret == NDIS_STATUS_PENDING)
			predict(w, c, CN_RULE_C26);
		expect_ret(w, e,
			   cb.ret == NDIS_STATUS_PENDING ? NDIS_STATUS_FAILURE
							 : cb.ret);
		return;
	}
	case CN_FN_NdisCoDeleteVc:
		if (vc_find(m, e->handle) < 0 &&
		    stale_cm_closed(m, e->handle) &&
		    e->actor == CN_ACTOR_CLIENT) {
			predict(w, c, CN_RULE_C27);
			rejected(w, c, s, end, 0);
			expect_ret(w, e, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		v = vc_or_c25(w, c, s, end);
		if (v < 0)
			return;
		if (m->vc[v].cm_created) {
			cm_vc_delete(w, c, s, end, v, e->actor);
			return;
		}
		if (m->vc[v].state != CN_VC_IDLE &&
		    m->vc[v].state != CN_VC_CLOSED) {
			predict(w, c, CN_RULE_C25);
			rejected(w, c, s, end, 0);
			expect_ret(w, e,
				   m->vc[v].state == CN_VC_CLOSING
					   ? NDIS_STATUS_CLOSING
					   : NDIS_STATUS_NOT_ACCEPTED);
			return;
		}
		want.fn = CN_FN_ProtocolCoDeleteVc;
		want.handle = m->vc[v].h;
		want.ctx = m->vc[v].cm_ctx;
		if (reach_cm(w, e, s, end, &want, &cb) < 0 ||
		    cm_walk(w, e, s, end) < 0)
			return;
		if (cb.ret == NDIS_STATUS_PENDING)
			predict(w, c, CN_RULE_C26); /* counts as SUCCESS */
		if (cb.ret != NDIS_STATUS_SUCCESS &&
		    cb.ret != NDIS_STATUS_PENDING) {
			expect_ret(w, e, cb.ret);
			return;
		}
		vc_ended(m, v);
		expect_ret(w, e, NDIS_STATUS_SUCCESS);
		return;
	case CN_FN_NdisClMakeCall: {
		/* PMP: a ProtocolPartyContext was given. */
		int pmp = e->ctx != 0;

		v = vc_client(w, c, s, end);
		if (v < 0)
			return;
		if (e->params == 0) {
			predict(w, c, CN_RULE_C8);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (pmp && e->out_ptr == CN_OUT_PTR_NULL) {
			predict(w, c, CN_RULE_C7);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (af_gone(m) || m->notify != PM_NOTIFY_NONE) {
			predict(w, c, CN_RULE_C28);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (m->vc[v].cm_created ||
		    !(m->vc[v].state == CN_VC_IDLE ||
		      (m->vc[v].state == CN_VC_CLOSED &&
		       !(m->options & CN_OPT_A7_NO_VC_REUSE)))) {
			predict(w, c, CN_RULE_C25);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (pmp && free_party_slots(m) == 0) {
			if (end != s + 1)
				fail_msg(w, e,
					 "make call with a full party table "
					 "reached the CM");
			expect_ret(w, e, NDIS_STATUS_RESOURCES);
			return;
		}
		m->vc[v].state = CN_VC_MAKING;
		m->vc[v].remote_seen = 0;
		m->vc[v].pmp = (uint8_t)pmp;
		m->vc[v].req = CN_REQ_MAKE_CALL;
		m->vc[v].params = e->params;
		m->vc[v].req_party = pmp ? new_party(w, v, PT_MAKING) : -1;
		if (pmp && m->vc[v].req_party < 0)
			return;
		if (pmp) {
			m->party[m->vc[v].req_party].ctx = e->ctx;
			m->party[m->vc[v].req_party].params = e->params;
		}
		want.fn = CN_FN_ProtocolCmMakeCall;
		want.fresh = (uint8_t)pmp;
		want.party_is_handle = (uint8_t)pmp;
		want.handle = pmp ? 0 : m->vc[v].h;
		want.ctx = m->vc[v].cm_ctx;
		want.params = e->params;
		if (reach_cm(w, e, s, end, &want, &cb) < 0)
			return;
		learn_party(m, m->vc[v].req_party, &cb);
		m->vc[v].in_cm = 1;
		if (cm_walk_req(w, e, s, end) < 0)
			return;
		m->vc[v].in_cm = 0;
		if (early_answer(w, e, &m->vc[v].early, &cb))
			return;
		cm_setup_return(w, &cb, pmp, 1, v);
		if (cb.ret == NDIS_STATUS_PENDING) {
			m->vc[v].pended = 1;
		} else {
			int q = m->vc[v].req_party;

			if (cb.ret == NDIS_STATUS_SUCCESS && pmp)
				m->party[q].cm_ctx = cb.out;
			memset(&want, 0, sizeof(want));
			want.fn = CN_FN_ProtocolClMakeCallComplete;
			want.status = cb.ret;
			want.handle = pmp ? m->party[q].h : m->vc[v].h;
			want.ctx = m->vc[v].ctx;
			want.party = cb.ret == NDIS_STATUS_SUCCESS && pmp
					     ? m->party[q].h
					     : 0;
			want.params = e->params;
			finish_make(m, v, cb.ret);
			if (ndis_completes(w, e, end, &want))
				return;
		}
		expect_ret(w, e, cb.ret);
		expect_out(w, e,
			   pmp && cb.ret == NDIS_STATUS_SUCCESS ? cb.party
								: 0);
		return;
	}
	case CN_FN_NdisClAddParty:
		v = vc_find(m, e->handle);
		if (v < 0 || (m->vc[v].cm_created &&
			      m->vc[v].state == CN_VC_CLOSED)) {
			predict(w, c,
				v >= 0 || stale_cm_closed(m, e->handle)
					? CN_RULE_C27
					: CN_RULE_C25);
		} else if (e->ctx == 0 || e->params == 0) {
			predict(w, c, CN_RULE_C8);
		} else if (e->out_ptr == CN_OUT_PTR_NULL) {
			predict(w, c, CN_RULE_C7);
		} else if (af_gone(m) || m->notify != PM_NOTIFY_NONE) {
			predict(w, c, CN_RULE_C28);
		} else if (m->vc[v].state == CN_VC_REMOTE_CLOSED &&
			   m->vc[v].remote_seen) {
			/* C15 binds the client once it was told (a close
			 * still queued as a DPC binds nobody). */
			predict(w, c, CN_RULE_C15);
		} else if ((m->vc[v].state != CN_VC_CONNECTED &&
			    m->vc[v].state != CN_VC_REMOTE_CLOSED) ||
			   !m->vc[v].pmp) {
			predict(w, c, CN_RULE_C6);
		}
		if (c->rule != CN_RULE_NONE) {
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (free_party_slots(m) == 0) {
			if (end != s + 1)
				fail_msg(w, e,
					 "add party with a full party table "
					 "reached the CM");
			expect_ret(w, e, NDIS_STATUS_RESOURCES);
			return;
		}
		p = new_party(w, v, PT_ADDING);
		if (p < 0)
			return;
		m->party[p].req = CN_REQ_ADD_PARTY;
		m->party[p].ctx = e->ctx;
		m->party[p].params = e->params;
		want.fn = CN_FN_ProtocolCmAddParty;
		want.fresh = 1;
		want.party_is_handle = 1;
		want.ctx = m->vc[v].cm_ctx;
		want.params = e->params;
		if (reach_cm(w, e, s, end, &want, &cb) < 0)
			return;
		learn_party(m, p, &cb);
		m->party[p].in_cm = 1;
		if (cm_walk_req(w, e, s, end) < 0)
			return;
		m->party[p].in_cm = 0;
		if (early_answer(w, e, &m->party[p].early, &cb))
			return;
		cm_setup_return(w, &cb, 1, 0, v);
		if (cb.ret == NDIS_STATUS_PENDING) {
			m->party[p].pended = 1;
		} else {
			if (cb.ret == NDIS_STATUS_SUCCESS)
				m->party[p].cm_ctx = cb.out;
			memset(&want, 0, sizeof(want));
			want.fn = CN_FN_ProtocolClAddPartyComplete;
			want.status = cb.ret;
			want.handle = m->party[p].h;
			want.ctx = m->party[p].ctx;
			want.party = cb.ret == NDIS_STATUS_SUCCESS
					     ? m->party[p].h
					     : 0;
			want.params = e->params;
			finish_add(m, p, cb.ret);
			if (ndis_completes(w, e, end, &want))
				return;
		}
		expect_ret(w, e, cb.ret);
		expect_out(w, e,
			   cb.ret == NDIS_STATUS_SUCCESS ? cb.handle : 0);
		return;
	case CN_FN_NdisClDropParty:
		p = party_find(m, e->handle);
		if (e->handle == 0 && setup_in_flight(m)) {
			/* rules.h, check order step 4: a NULL handle names
			 * a party the client has no handle for yet. */
			predict(w, c, CN_RULE_R1);
		} else if (!party_live(m, p)) {
			predict(w, c, bad_party_rule(m, e->handle, 0, 0));
		} else if (m->party[p].state == PT_MAKING ||
			   m->party[p].state == PT_ADDING) {
			predict(w, c, CN_RULE_R1);
		} else if (m->party[p].state == PT_DROPPING ||
			   m->party[p].state == PT_CLOSING) {
			predict(w, c, CN_RULE_R3);
		}
		if (c->rule != CN_RULE_NONE) {
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		v = m->party[p].vc;
		count_vc(m, v, &k);
		if (k.active - 1 +
			    ((m->options & CN_OPT_A2_COUNT_CONNECTING)
				     ? k.adding
				     : 0) ==
			    0 &&
		    k.dropping == 0 && !(m->options & CN_OPT_A2_CM_FAILS)) {
			/* A2, P9: NDIS fails the last party's drop (sure of
			 * it: no other drop in flight may still fail). */
			if (end != s + 1)
				fail_msg(w, e,
					 "drop of the last party reached the "
					 "CM");
			expect_ret(w, e, NDIS_STATUS_FAILURE);
			return;
		}
		m->party[p].drop_from = m->party[p].state;
		party_set(m, p, PT_DROPPING);
		m->party[p].req = CN_REQ_DROP_PARTY;
		want.fn = CN_FN_ProtocolCmDropParty;
		want.handle = e->handle;
		want.ctx = m->party[p].cm_ctx;
		want.data = e->data;
		want.size = e->size;
		m->party[p].in_cm = 1;
		if (reach_cm(w, e, s, end, &want, &cb) < 0 ||
		    cm_walk_req(w, e, s, end) < 0)
			return;
		m->party[p].in_cm = 0;
		if (early_answer(w, e, &m->party[p].early, &cb))
			return;
		m->party[p].close_data = close_data_answer(m, e, cb.ret);
		if (cb.ret == NDIS_STATUS_PENDING) {
			m->party[p].pended = 1;
			expect_ret(w, e, cb.ret);
			return;
		}
		if (cb.ret == NDIS_STATUS_SUCCESS && drops_last(m, v)) {
			/* A2: the last party stays; it counts as FAILURE. */
			m->predicted[CN_RULE_C11]++;
			cb.ret = NDIS_STATUS_FAILURE;
		}
		finish_drop(m, p, cb.ret, 1);
		memset(&want, 0, sizeof(want));
		want.fn = CN_FN_ProtocolClDropPartyComplete;
		want.status = cb.ret;
		want.handle = e->handle;
		want.ctx = m->party[p].ctx;
		if (ndis_completes(w, e, end, &want))
			return;
		expect_ret(w, e, cb.ret);
		return;
	case CN_FN_NdisClCloseCall: {
		uint64_t ph = e->party;

		v = vc_client(w, c, s, end);
		if (v < 0)
			return;
		/* rules.h, check order, NdisClCloseCall: the VC's state,
		 * then the party argument. */
		p = ph ? party_find(m, ph) : -1;
		if (m->vc[v].state == CN_VC_OFFERED ||
		    m->vc[v].state == CN_VC_ACCEPTED ||
		    m->vc[v].state == CN_VC_MAKING) {
			predict(w, c, CN_RULE_R1);
		} else if (m->vc[v].state == CN_VC_CLOSING) {
			predict(w, c, CN_RULE_R3);
		} else if (m->vc[v].state != CN_VC_CONNECTED &&
			   m->vc[v].state != CN_VC_REMOTE_CLOSED) {
			predict(w, c, CN_RULE_C11);
		} else if (!m->vc[v].pmp) {
			if (ph)
				predict(w, c, CN_RULE_C11);
		} else if (!ph) {
			predict(w, c, CN_RULE_C11);
		} else if (!party_live(m, p)) {
			predict(w, c, bad_party_rule(m, ph, 0, 0));
		} else {
			count_vc(m, v, &k);
			if (m->party[p].vc != v)
				predict(w, c, CN_RULE_C11);
			else if (m->party[p].state == PT_MAKING ||
				 m->party[p].state == PT_ADDING)
				predict(w, c, CN_RULE_R1);
			else if (m->party[p].state == PT_DROPPING ||
				 m->party[p].state == PT_CLOSING)
				predict(w, c, CN_RULE_R3);
			else if (k.active > 1)
				predict(w, c, CN_RULE_C11);
			else if (k.adding + k.dropping > 0)
				predict(w, c, CN_RULE_R2);
		}
		/* C23, after all of the above: sends outstanding. */
		if (m->vc[v].sends > 0)
			predict(w, c, CN_RULE_C23);
		if (c->rule != CN_RULE_NONE) {
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (!m->vc[v].pmp)
			p = -1;
		m->vc[v].close_from = m->vc[v].state;
		m->vc[v].state = CN_VC_CLOSING;
		m->vc[v].req = CN_REQ_CLOSE_CALL;
		m->vc[v].req_party = p;
		if (p >= 0)
			party_set(m, p, PT_CLOSING);
		want.fn = CN_FN_ProtocolCmCloseCall;
		want.handle = p >= 0 ? ph : m->vc[v].h;
		want.ctx = m->vc[v].cm_ctx;
		want.ctx2 = p >= 0 ? m->party[p].cm_ctx : 0;
		want.data = e->data;
		want.size = e->size;
		m->vc[v].in_cm = 1;
		if (reach_cm(w, e, s, end, &want, &cb) < 0 ||
		    cm_walk_req(w, e, s, end) < 0)
			return;
		m->vc[v].in_cm = 0;
		if (early_answer(w, e, &m->vc[v].early, &cb))
			return;
		m->vc[v].close_data = close_data_answer(m, e, cb.ret);
		if (cb.ret == NDIS_STATUS_SUCCESS && m->vc[v].activated) {
			m->predicted[CN_RULE_C22]++;
			m->vc[v].activated = 0;
		} else if (cb.ret != NDIS_STATUS_SUCCESS &&
			   cb.ret != NDIS_STATUS_PENDING &&
			   !m->vc[v].activated) {
			/* Failed after deactivating: A6 keeps the call up,
			 * the engine counts the VC as activated again. */
			m->predicted[CN_RULE_C22]++;
			m->vc[v].activated = 1;
		}
		if (cb.ret == NDIS_STATUS_PENDING) {
			m->vc[v].pended = 1;
			expect_ret(w, e, cb.ret);
			return;
		}
		finish_close(m, v, cb.ret);
		memset(&want, 0, sizeof(want));
		want.fn = CN_FN_ProtocolClCloseCallComplete;
		want.status = cb.ret;
		want.handle = p >= 0 ? ph : m->vc[v].h;
		want.ctx = m->vc[v].ctx;
		want.ctx2 = p >= 0 ? m->party[p].ctx : 0;
		if (ndis_completes(w, e, end, &want))
			return;
		expect_ret(w, e, cb.ret);
		return;
	}
	default:
		return;
	}
}

/*
 * Sends (C23). The client's ProtocolCoSendNetBufferListsComplete @cb ran:
 * one send of its VC less outstanding.
 */
PT_ORACLE static void send_delivered(struct pm_model *m,
					  const struct cn_trace_entry *cb)
{
	int v;

	if (cb->fn != CN_FN_ProtocolCoSendNetBufferListsComplete)
		return;
	v = vc_find(m, cb->handle);
	if (v >= 0 && m->vc[v].sends > 0)
		m->vc[v].sends--;
}

/*
 * The client callback @want of an accepted completion or indication @e
 * (step @s, subtree up to @end), delivered as the trace entry says was
 * asked (A12): queued as the next DPC on the CPU asked for unless that
 * queue is full, else at once, as the one step nested in @e, on the same
 * CPU at the same IRQL (M3).
 */
PT_ORACLE static void deliver(struct walk *w,
				   const struct cn_trace_entry *e, uint64_t s,
				   uint64_t end, struct pm_cb *want)
{
	struct pm_model *m = w->m;
	uint32_t cpu = e->dpc_cpu % m->cpus;
	const struct cn_trace_entry *cb;
	uint64_t t;

	if (e->defer && queued_on(m, cpu) < m->dpc_capacity) {
		want->seq = ++m->dpc_seq;
		want->cpu = (uint8_t)cpu;
		if (e->dpc_seq != want->seq)
			fail(w, e,
			     "delivery: expected queued as dpc#%" PRIu64
			     ", got dpc#%" PRIu64 " (0: run at once)",
			     want->seq, e->dpc_seq);
		else if (end != s + 1)
			fail_msg(w, e,
				 "delivery: queued, but a call is nested in "
				 "the step");
		else
			owe(w, want);
		return;
	}
	if (e->dpc_seq != 0) {
		fail(w, e,
		     "delivery: expected at once (no DPC asked for: %" PRIu64
		     ", or its queue full), got queued as dpc#%" PRIu64,
		     (uint64_t)!e->defer, e->dpc_seq);
		return;
	}
	cb = end == s + 1 ? NULL : get(w, s + 1);
	if (cb == NULL || cb->depth != e->depth + 1) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "delivery: expected %s at once, nested in the step; "
			 "none came",
			 cn_fn_name(want->fn));
		fail_msg(w, e, msg);
		return;
	}
	if (expect_cb(w, cb, want) < 0)
		return;
	if (cb->cpu != e->cpu || cb->irql != e->irql || cb->dpc_seq != 0 ||
	    cb->cancelled) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "delivery at once: expected on the caller's cpu%u at "
			 "%s, not from a DPC",
			 e->cpu, cn_irql_name(e->irql));
		fail_msg(w, cb, msg);
		return;
	}
	if (cb->fn == CN_FN_ProtocolClIncomingCloseCall)
		m->vc[vc_find(m, cb->handle)].remote_seen = 1;
	send_delivered(m, cb);
	t = subtree_end(w, s + 1, cb);
	walk_children(w, s + 1, t);
	if (!w->failed && t != end)
		fail_msg(w, e, "a call besides the delivery is nested in it");
}

/* Checks 2..4 of a CM DDI, then its state rules (rules.h, check order). */
PT_ORACLE static void do_cm(struct walk *w, struct call *c, uint64_t s,
				 uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e;
	enum cn_fn fn = base_fn(e->fn);
	int completion = fn >= CN_FN_NdisCmMakeCallComplete &&
			 fn <= CN_FN_NdisCmCloseCallComplete;
	int ok = e->status == NDIS_STATUS_SUCCESS;
	int v = -1, p = -1;
	struct pm_counts k;
	struct pm_cb want;
	uint64_t ph = 0;

	memset(&want, 0, sizeof(want));
	want.origin = e->step;
	if (is_mcm_fn(e->fn) != !!m->mcm) {
		predict(w, c, CN_RULE_C5);
	} else if (completion && e->has_status &&
		   e->status == NDIS_STATUS_PENDING) {
		predict(w, c, CN_RULE_C4);
	}
	if (c->rule != CN_RULE_NONE) {
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return;
	}

	switch (fn) {
	case CN_FN_NdisCmActivateVc:
	case CN_FN_NdisCmDeactivateVc:
	case CN_FN_NdisCmMakeCallComplete:
	case CN_FN_NdisCmCloseCallComplete:
	case CN_FN_NdisCmDispatchIncomingCloseCall:
		v = vc_find(m, e->handle);
		if (v < 0) {
			predict(w, c, CN_RULE_C25);
			break;
		}
		ph = e->party;
		p = party_find(m, ph);
		break;
	default:
		p = party_find(m, e->handle);
		if (!party_live(m, p))
			predict(w, c,
				bad_party_rule(
					m, e->handle, 1,
					fn == CN_FN_NdisCmDropPartyComplete));
		break;
	}
	if (c->rule != CN_RULE_NONE) {
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return;
	}

	want.has_status = 1;
	want.status = e->status;
	switch (fn) {
	case CN_FN_NdisCmActivateVc:
		if ((m->vc[v].state != CN_VC_MAKING &&
		     !(m->vc[v].cm_created &&
		       m->vc[v].state == CN_VC_ACCEPTED)) ||
		    m->vc[v].activated)
			predict(w, c, CN_RULE_C22);
		else
			m->vc[v].activated = 1;
		break;
	case CN_FN_NdisCmDeactivateVc:
		if (!m->vc[v].activated || (m->vc[v].state != CN_VC_MAKING &&
					    m->vc[v].state != CN_VC_CLOSING))
			predict(w, c, CN_RULE_C22);
		else
			m->vc[v].activated = 0;
		break;
	case CN_FN_NdisCmMakeCallComplete: {
		int q = m->vc[v].req_party;

		/* rules.h, check order, Ndis(M)CmMakeCallComplete. */
		if (m->vc[v].req != CN_REQ_MAKE_CALL ||
		    !(m->vc[v].pended || m->vc[v].in_cm))
			predict(w, c, CN_RULE_C3);
		else if (m->vc[v].pmp && !party_live(m, p))
			predict(w, c, bad_party_rule(m, ph, 1, 0));
		else if ((q >= 0 && ph != m->party[q].h) || (q < 0 && ph))
			predict(w, c, CN_RULE_C3);
		else if (ok && !m->vc[v].activated)
			predict(w, c, CN_RULE_C22);
		else if (ok && q >= 0 && e->ctx == 0)
			predict(w, c, CN_RULE_C16);
		else if (ok && q < 0 && e->ctx != 0)
			predict(w, c, CN_RULE_C17);
		else if (!ok && m->vc[v].activated)
			predict(w, c, CN_RULE_C22);
		if (c->rule != CN_RULE_NONE)
			break;
		m->vc[v].early = m->vc[v].in_cm; /* M7 */
		want.fn = CN_FN_ProtocolClMakeCallComplete;
		want.handle = q >= 0 ? ph : m->vc[v].h;
		want.ctx = m->vc[v].ctx;
		want.party = ok ? ph : 0;
		want.params = e->params ? e->params : m->vc[v].params;
		if (ok && q >= 0)
			m->party[q].cm_ctx = e->ctx;
		finish_make(m, v, e->status);
		break;
	}
	case CN_FN_NdisCmCloseCallComplete: {
		int q = m->vc[v].req_party;
		uint64_t closing = q >= 0 ? m->party[q].h : 0;

		/* rules.h, check order, Ndis(M)CmCloseCallComplete. */
		if (m->vc[v].req != CN_REQ_CLOSE_CALL ||
		    !(m->vc[v].pended || m->vc[v].in_cm))
			predict(w, c, CN_RULE_C3);
		else if (ph != closing && ph && !party_live(m, p))
			predict(w, c, bad_party_rule(m, ph, 1, 0));
		else if (ph != closing)
			predict(w, c, CN_RULE_C21);
		else if (m->vc[v].close_data && ok)
			predict(w, c, CN_RULE_C20);
		else if (ok && m->vc[v].activated)
			predict(w, c, CN_RULE_C22);
		else if (!ok && !m->vc[v].activated)
			predict(w, c, CN_RULE_C22); /* A6 keeps it up */
		if (c->rule != CN_RULE_NONE)
			break;
		m->vc[v].early = m->vc[v].in_cm; /* M7 */
		want.fn = CN_FN_ProtocolClCloseCallComplete;
		want.handle = q >= 0 ? closing : m->vc[v].h;
		want.ctx = m->vc[v].ctx;
		want.ctx2 = q >= 0 ? m->party[q].ctx : 0;
		finish_close(m, v, e->status);
		break;
	}
	case CN_FN_NdisCmAddPartyComplete:
		if (m->party[p].state != PT_ADDING ||
		    !(m->party[p].pended || m->party[p].in_cm))
			predict(w, c, CN_RULE_C3);
		else if (ok && e->ctx == 0)
			predict(w, c, CN_RULE_C16);
		if (c->rule != CN_RULE_NONE)
			break;
		m->party[p].early = m->party[p].in_cm; /* M7 */
		want.fn = CN_FN_ProtocolClAddPartyComplete;
		want.handle = e->handle;
		want.ctx = m->party[p].ctx;
		want.party = ok ? e->handle : 0;
		want.params = e->params ? e->params : m->party[p].params;
		if (ok)
			m->party[p].cm_ctx = e->ctx;
		finish_add(m, p, e->status);
		break;
	case CN_FN_NdisCmDropPartyComplete:
		if (m->party[p].state != PT_DROPPING ||
		    !(m->party[p].pended || m->party[p].in_cm))
			predict(w, c, CN_RULE_C3);
		else if (m->party[p].close_data && ok)
			predict(w, c, CN_RULE_C20);
		else if (ok && drops_last(m, m->party[p].vc))
			predict(w, c, CN_RULE_C11);
		if (c->rule != CN_RULE_NONE)
			break;
		m->party[p].early = m->party[p].in_cm; /* M7 */
		want.fn = CN_FN_ProtocolClDropPartyComplete;
		want.handle = e->handle;
		want.ctx = m->party[p].ctx;
		finish_drop(m, p, e->status, 0);
		break;
	case CN_FN_NdisCmDispatchIncomingDropParty:
		count_vc(m, m->party[p].vc, &k);
		if (m->party[p].state == PT_DROPPING ||
		    m->party[p].state == PT_CLOSING ||
		    m->party[p].state == PT_REMOTE_DROPPED)
			predict(w, c, CN_RULE_R4);
		else if (m->party[p].state != PT_ACTIVE || k.active < 2)
			predict(w, c, CN_RULE_C13);
		if (c->rule != CN_RULE_NONE)
			break;
		party_set(m, p, PT_REMOTE_DROPPED);
		want.fn = CN_FN_ProtocolClIncomingDropParty;
		want.handle = e->handle;
		want.ctx = m->party[p].ctx;
		want.data = e->data;
		want.size = e->size;
		break;
	case CN_FN_NdisCmDispatchIncomingCloseCall:
		if (m->vc[v].state != CN_VC_CONNECTED)
			predict(w, c, CN_RULE_C13);
		if (c->rule != CN_RULE_NONE)
			break;
		m->vc[v].state = CN_VC_REMOTE_CLOSED;
		m->vc[v].remote_seen = 0;
		want.fn = CN_FN_ProtocolClIncomingCloseCall;
		want.handle = e->handle;
		want.ctx = m->vc[v].ctx;
		want.data = e->data;
		want.size = e->size;
		break;
	default:
		break;
	}
	if (c->rule != CN_RULE_NONE) {
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return;
	}
	if (fn == CN_FN_NdisCmActivateVc || fn == CN_FN_NdisCmDeactivateVc) {
		if (end != s + 1)
			fail_msg(w, e, "(de)activation made a nested call");
		expect_ret(w, e, NDIS_STATUS_SUCCESS);
		return;
	}
	deliver(w, e, s, end, &want);
}

/*
 * The SendCompleteFlags of a send completion that @e delivers
 * (condis_send.c): NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL iff the
 * client's handler runs at DISPATCH_LEVEL, which a queued one does.
 */
PT_ORACLE static uint32_t send_flags(const struct pm_model *m,
					  const struct cn_trace_entry *e)
{
	uint32_t cpu = e->dpc_cpu % m->cpus;

	if (e->defer && queued_on(m, cpu) < m->dpc_capacity)
		return 1;
	return e->irql == KIRQL_DISPATCH;
}

/* The client completion of the send @nbl on VC @v with @status. */
PT_ORACLE static void send_complete(struct walk *w,
					 const struct cn_trace_entry *e,
					 uint64_t s, uint64_t end, int v,
					 uint64_t nbl, NDIS_STATUS status)
{
	struct pm_cb want;

	memset(&want, 0, sizeof(want));
	want.fn = CN_FN_ProtocolCoSendNetBufferListsComplete;
	want.has_status = 1;
	want.status = status;
	want.handle = w->m->vc[v].h;
	want.ctx = w->m->vc[v].ctx;
	want.data = nbl;
	want.origin = e->step;
	want.size = send_flags(w->m, e);
	deliver(w, e, s, end, &want);
}

/*
 * NdisCoSendNetBufferLists (rules.h, check order): C25, C23 for a NULL
 * chain, then the VC's state. Accepted: an MCM holding fewer than 4
 * chains on the VC gets it (MiniportCoSendNetBufferLists, the one nested
 * call, walked with what it does); otherwise NDIS completes it itself,
 * SUCCESS (RESOURCES from a full MCM).
 */
PT_ORACLE static void do_send(struct walk *w, struct call *c, uint64_t s,
				   uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e;
	struct cn_trace_entry cb;
	struct pm_cb want;
	struct pm_vc *vc = NULL;
	int v = vc_find(m, e->handle);

	if (v < 0) {
		predict(w, c, CN_RULE_C25);
	} else {
		vc = &m->vc[v];
		if (e->data == 0 ||
		    (vc->state != CN_VC_CONNECTED &&
		     !(vc->state == CN_VC_REMOTE_CLOSED && !vc->remote_seen)))
			predict(w, c, CN_RULE_C23);
	}
	if (c->rule != CN_RULE_NONE || vc == NULL) {
		rejected(w, c, s, end, 0);
		return;
	}
	vc->sends++;
	if (!m->mcm || vc->mp_sends >= 4) {
		send_complete(w, e, s, end, v, e->data,
			      m->mcm ? NDIS_STATUS_RESOURCES
				     : NDIS_STATUS_SUCCESS);
		return;
	}
	memset(&want, 0, sizeof(want));
	want.fn = CN_FN_MiniportCoSendNetBufferLists;
	want.handle = vc->h;
	want.ctx = vc->cm_ctx;
	want.data = e->data;
	want.size = e->size;
	want.origin = e->step;
	if (reach_cm(w, e, s, end, &want, &cb) < 0)
		return;
	vc->mp_nbl[vc->mp_sends++] = e->data;
	(void)cm_walk(w, e, s, end);
}

/* NdisMCoSendNetBufferListsComplete: C5, C4, C25, then C3 for a chain
 * the MCM does not hold on the VC. */
PT_ORACLE static void do_send_done(struct walk *w, struct call *c,
					uint64_t s, uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e;
	int v = -1;
	uint32_t i = 0;

	if (!m->mcm) {
		predict(w, c, CN_RULE_C5);
	} else if (e->status == NDIS_STATUS_PENDING) {
		predict(w, c, CN_RULE_C4);
	} else if ((v = vc_find(m, e->handle)) < 0) {
		predict(w, c, CN_RULE_C25);
	} else {
		while (i < m->vc[v].mp_sends && m->vc[v].mp_nbl[i] != e->data)
			i++;
		if (e->data == 0 || i == m->vc[v].mp_sends)
			predict(w, c, CN_RULE_C3);
	}
	if (c->rule != CN_RULE_NONE) {
		rejected(w, c, s, end, 0);
		return;
	}
	memmove(&m->vc[v].mp_nbl[i], &m->vc[v].mp_nbl[i + 1],
		sizeof(m->vc[v].mp_nbl[0]) * (m->vc[v].mp_sends - i - 1));
	m->vc[v].mp_nbl[--m->vc[v].mp_sends] = 0;
	send_complete(w, e, s, end, v, e->data, e->status);
}

/*
 * NdisCoOidRequest (rules.h, check order). The trace's actor says who
 * asks: the client (to the CM) or a stand-alone CM (to the client; an
 * MCM is C5). C25 for its VC, then its party as that caller's use of the
 * handle (the client's: C9, C7 and a spent one C9; the CM's: C18), then
 * the request itself; an accepted one reaches the peer's
 * ProtocolCoOidRequest, the one nested call, with the peer's contexts; a
 * PENDING answer is owed by the peer (M3).
 */
PT_ORACLE static void do_oid(struct walk *w, struct call *c, uint64_t s,
				  uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e;
	int by_cm = e->actor == CN_ACTOR_CM;
	uint64_t ph = e->party;
	struct cn_trace_entry cb;
	struct pm_cb want;
	int v = -1, p = -1;

	if (by_cm && m->mcm) {
		predict(w, c, CN_RULE_C5);
	} else if (e->handle != 0 && (v = vc_find(m, e->handle)) < 0) {
		predict(w, c, CN_RULE_C25);
	} else if (ph != 0) {
		p = party_find(m, ph);
		if (!party_live(m, p))
			predict(w, c, bad_party_rule(m, ph, by_cm, 0));
		else if (v < 0 || m->party[p].vc != v)
			predict(w, c, by_cm ? CN_RULE_C18 : CN_RULE_C9);
		else if (by_cm)
			;
		else if (m->party[p].state == PT_MAKING ||
			 m->party[p].state == PT_ADDING)
			predict(w, c, CN_RULE_C7);
		else if (m->party[p].state == PT_DROPPING ||
			 m->party[p].state == PT_CLOSING)
			predict(w, c, CN_RULE_C9);
	}
	if (c->rule != CN_RULE_NONE || e->data == 0) {
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return;
	}
	if (m->noids == PM_MAX_OIDS) {
		if (end != s + 1)
			fail_msg(w, e, "OID request beyond the pended ones' "
				       "capacity reached the peer");
		expect_ret(w, e, NDIS_STATUS_RESOURCES);
		return;
	}
	memset(&want, 0, sizeof(want));
	want.fn = CN_FN_ProtocolCoOidRequest;
	want.handle = ph ? ph : e->handle;
	want.ctx = v < 0 ? 0 : by_cm ? m->vc[v].ctx : m->vc[v].cm_ctx;
	want.ctx2 = p < 0 ? 0 : by_cm ? m->party[p].ctx : m->party[p].cm_ctx;
	want.data = e->data;
	want.origin = e->step;
	if (reach_cm(w, e, s, end, &want, &cb) < 0 ||
	    cm_walk(w, e, s, end) < 0)
		return;
	if (cb.ret == NDIS_STATUS_PENDING) {
		m->oid[m->noids][0] = e->data;
		m->oid[m->noids][1] = e->handle;
		m->oid[m->noids][2] = ph;
		m->oid[m->noids][3] = (uint64_t)by_cm;
		m->noids++;
	}
	expect_ret(w, e, cb.ret);
}

/*
 * NdisCoOidRequestComplete: its caller owes the oldest pended request of
 * that OidRequest (the client for the CM's, else the CM). C4, C25, the
 * party as that caller's (C9/C7 or C18), then C3 unless a pended request
 * of that caller names this OidRequest, VC and party. The client's
 * completion reaches the CM's ProtocolCoOidRequestComplete at once, the
 * CM's the client's like any completion.
 */
PT_ORACLE static void do_oid_done(struct walk *w, struct call *c,
				       uint64_t s, uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e;
	uint64_t ph = e->party;
	struct cn_trace_entry cb;
	struct pm_cb want;
	int v = -1, p = -1, by_client = 0;
	uint32_t i = 0;

	for (i = 0; i < m->noids; i++)
		if (m->oid[i][0] == e->data) {
			by_client = (int)m->oid[i][3];
			break;
		}
	i = 0;
	if (e->status == NDIS_STATUS_PENDING) {
		predict(w, c, CN_RULE_C4);
	} else if (e->handle != 0 && (v = vc_find(m, e->handle)) < 0) {
		predict(w, c, CN_RULE_C25);
	} else if (ph != 0 && !party_live(m, p = party_find(m, ph))) {
		predict(w, c, bad_party_rule(m, ph, !by_client, 0));
	} else {
		while (i < m->noids &&
		       !(m->oid[i][0] == e->data && m->oid[i][1] == e->handle &&
			 m->oid[i][2] == ph &&
			 m->oid[i][3] == (uint64_t)by_client))
			i++;
		if (e->data == 0 || i == m->noids)
			predict(w, c, CN_RULE_C3);
	}
	if (c->rule != CN_RULE_NONE) {
		rejected(w, c, s, end, 0);
		return;
	}
	memmove(&m->oid[i], &m->oid[i + 1],
		sizeof(m->oid[0]) * (m->noids - i - 1));
	m->noids--;
	memset(&want, 0, sizeof(want));
	want.fn = CN_FN_ProtocolCoOidRequestComplete;
	want.has_status = 1;
	want.status = e->status;
	want.handle = ph ? ph : e->handle;
	want.data = e->data;
	want.origin = e->step;
	if (by_client) {
		want.ctx = v >= 0 ? m->vc[v].cm_ctx : 0;
		want.ctx2 = p >= 0 ? m->party[p].cm_ctx : 0;
		if (reach_cm(w, e, s, end, &want, &cb) < 0)
			return;
		(void)cm_walk(w, e, s, end);
		return;
	}
	want.ctx = v >= 0 ? m->vc[v].ctx : 0;
	want.ctx2 = p >= 0 ? m->party[p].ctx : 0;
	deliver(w, e, s, end, &want);
}

/* A queued indication the engine must cancel when its DPC runs: its
 * party ended, or its VC is gone or no longer closing (condis.h,
 * cn_dpc_run). */
PT_ORACLE static int obsolete(const struct pm_model *m,
				   const struct pm_cb *o)
{
	int v;

	if (o->fn == CN_FN_ProtocolClIncomingDropParty)
		return !party_live(m, party_find(m, o->handle));
	if (o->fn != CN_FN_ProtocolClIncomingCloseCall)
		return 0;
	v = vc_find(m, o->handle);
	return v < 0 || (m->vc[v].state != CN_VC_REMOTE_CLOSED &&
			 m->vc[v].state != CN_VC_CLOSING);
}

/* A client callback from a DPC (depth 0): the owed one with its DPC
 * number, on its CPU at DISPATCH_LEVEL, cancelled iff obsolete (M3). */
PT_ORACLE static void do_delivery(struct walk *w,
				       const struct cn_trace_entry *e,
				       uint64_t s, uint64_t end)
{
	struct pm_model *m = w->m;
	struct pm_cb o;
	uint32_t i;
	int cancel;

	for (i = 0; i < m->nowed; i++)
		if (e->dpc_seq != 0 && m->owed[i].seq == e->dpc_seq)
			break;
	if (e->depth != 0 || i == m->nowed) {
		fail_msg(w, e, "client callback NDIS did not owe (C2)");
		return;
	}
	o = m->owed[i];
	memmove(&m->owed[i], &m->owed[i + 1],
		(m->nowed - i - 1) * sizeof(m->owed[0]));
	m->nowed--;
	if (e->cpu != o.cpu || e->irql != KIRQL_DISPATCH) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "DPC: expected dpc#%u on cpu%u (its queue) at "
			 "DISPATCH, got cpu%u at %s",
			 (unsigned)o.seq, o.cpu, e->cpu,
			 cn_irql_name(e->irql));
		fail_msg(w, e, msg);
		return;
	}
	if (expect_cb(w, e, &o) < 0)
		return;
	cancel = obsolete(m, &o);
	if (e->cancelled != cancel) {
		fail(w, e,
		     "DPC: expected cancelled=%" PRIu64 ", got %" PRIu64
		     " (an indication is cancelled iff its object moved on)",
		     (uint64_t)cancel, (uint64_t)e->cancelled);
		return;
	}
	if (cancel) {
		if (end != s + 1)
			fail_msg(w, e, "a cancelled indication made calls");
		return;
	}
	if (e->fn == CN_FN_ProtocolClIncomingCloseCall)
		m->vc[vc_find(m, e->handle)].remote_seen = 1;
	send_delivered(m, e);
	walk_children(w, s, end);
}

/* @o lies in the block [@b, @b + @len), or is @b when @len is 0. */
PT_ORACLE static int in_blk(uint64_t o, uint64_t b, uint64_t len)
{
	return o != 0 && (len == 0 ? o == b : o - b < len); /* wrap-safe */
}

/*
 * rules.h, check order, NdisFreeMemory: the rule a free of [@va, @va +
 * @len) breaks. C8: the CallParameters of a make call or add in flight,
 * the context of a party being set up, or either of them in a queued
 * make-call/add completion; else C10: the context of another live party
 * or the one a queued drop/close completion hands over.
 */
PT_ORACLE static enum cn_rule freed_rule(const struct pm_model *m,
					 uint64_t va, uint64_t len)
{
	enum cn_rule r = CN_RULE_NONE;
	uint32_t i;

	for (i = 0; i < m->nvc; i++)
		if (m->vc[i].used && m->vc[i].state == CN_VC_MAKING &&
		    in_blk(m->vc[i].params, va, len))
			return CN_RULE_C8;
	for (i = 0; i < m->nparty; i++) {
		const struct pm_party *p = &m->party[i];
		int setup = p->state == PT_MAKING || p->state == PT_ADDING;

		if (!party_live(m, (int)i))
			continue;
		if (setup && (in_blk(p->params, va, len) ||
			      in_blk(p->ctx, va, len)))
			return CN_RULE_C8;
		if (!setup && in_blk(p->ctx, va, len))
			r = CN_RULE_C10;
	}
	for (i = 0; i < m->nowed; i++) {
		const struct pm_cb *o = &m->owed[i];
		int setup = o->fn == CN_FN_ProtocolClMakeCallComplete ||
			    o->fn == CN_FN_ProtocolClAddPartyComplete;
		uint64_t pctx =
			o->fn == CN_FN_ProtocolClCloseCallComplete ? o->ctx2
			: o->fn == CN_FN_ProtocolClAddPartyComplete ||
					o->fn == CN_FN_ProtocolClDropPartyComplete
				? o->ctx
				: 0;

		if (setup && (in_blk(o->params, va, len) ||
			      in_blk(pctx, va, len)))
			return CN_RULE_C8;
		if (!setup && in_blk(pctx, va, len))
			r = CN_RULE_C10;
	}
	/* C24: the client's context of a CM-created VC, until its
	 * ProtocolCoDeleteVc (where it is freed). */
	for (i = 0; r == CN_RULE_NONE && i < m->nvc; i++)
		if (m->vc[i].used && m->vc[i].cm_created &&
		    m->vc[i].state != CN_VC_FREE && !m->vc[i].deleting &&
		    in_blk(m->vc[i].ctx, va, len))
			r = CN_RULE_C24;
	return r;
}

/*
 * The client's address family and its SAPs (condis_af.c; rules.h, check
 * order, NdisClCloseAddressFamily): C28 for the close order, C3/C4 for
 * the SAP completions. The family is open when the model starts; a SAP is
 * learnt from the NdisClRegisterSap step that hands it out (its out).
 */

PT_ORACLE static int sap_find(const struct pm_model *m, uint64_t h)
{
	uint32_t i;

	for (i = 0; i < m->nsap; i++)
		if (m->sap[i].h == h)
			return (int)i;
	return -1;
}

PT_ORACLE static void sap_drop(struct pm_model *m, int k)
{
	m->sap[k] = m->sap[--m->nsap];
}

/* A VC of the family with a call: MAKING, CONNECTED, REMOTE_CLOSED or
 * CLOSING. */
PT_ORACLE static int calls_open(const struct pm_model *m)
{
	uint32_t i;

	for (i = 0; i < m->nvc; i++)
		if (m->vc[i].used && m->vc[i].state >= CN_VC_MAKING &&
		    m->vc[i].state <= CN_VC_CLOSING)
			return 1;
	return 0;
}

/*
 * The one callback an accepted AF or SAP DDI may nest (@want: the CM's
 * handler of a request, the client's handler of a completion): none (the
 * driver has no such handler), or @want, whose own calls are walked.
 * Return: the callback's step, or NULL if there is none.
 */
PT_ORACLE static const struct cn_trace_entry *
af_callback(struct walk *w, const struct cn_trace_entry *e, uint64_t s,
	    uint64_t end, enum cn_fn want)
{
	const struct cn_trace_entry *cb;
	uint64_t t;

	if (end == s + 1)
		return NULL;
	cb = get(w, s + 1);
	if (cb == NULL)
		return NULL;
	if (cb->fn != want || cb->depth != e->depth + 1) {
		char msg[160];

		snprintf(msg, sizeof(msg), "expected %s nested, got %s",
			 cn_fn_name(want), cn_fn_name(cb->fn));
		fail_msg(w, e, msg);
		return NULL;
	}
	t = subtree_end(w, s + 1, cb);
	walk_children(w, s + 1, t);
	if (!w->failed && t != end)
		fail_msg(w, e, "a call besides its callback is nested in it");
	return cb;
}

/*
 * The call manager's close of the family (condis_af.c, A18; rules.h,
 * check order): Ndis(M)CmNotifyCloseAddressFamily at PASSIVE_LEVEL (C1),
 * once, on an open family (C28); the client's ProtocolClNotifyCloseAf,
 * whose nested calls are walked with the notification RUNNING (no new
 * call, party or SAP: C28), answers it: PENDING leaves its completion
 * owed, SUCCESS needs the family closing or closed (else C28, and NDIS
 * takes it as FAILURE). NdisClNotifyCloseAddressFamilyComplete: C4, then
 * C3 without a pended notification, then C28 for SUCCESS on an open
 * family; then the CM's ProtocolCmNotifyCloseAfComplete. The family's
 * handle is learnt from the notification's callback (as from a close);
 * before that any handle is taken as the family's.
 */
PT_ORACLE static void do_notify(struct walk *w, struct call *c, uint64_t s,
				uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e, *cb;
	int other = m->af_h != 0 && e->handle != m->af_h;
	NDIS_STATUS r;

	if (e->fn == CN_FN_NdisClNotifyCloseAddressFamilyComplete) {
		if (e->has_status && e->status == NDIS_STATUS_PENDING)
			predict(w, c, CN_RULE_C4);
		else if (other || m->notify != PM_NOTIFY_PENDED)
			predict(w, c, CN_RULE_C3);
		else if (e->status == NDIS_STATUS_SUCCESS && !af_gone(m))
			predict(w, c, CN_RULE_C28);
		if (c->rule != CN_RULE_NONE) {
			rejected(w, c, s, end, 0);
			return;
		}
		m->notify = e->status == NDIS_STATUS_SUCCESS ? PM_NOTIFY_DONE
							     : PM_NOTIFY_NONE;
		(void)af_callback(w, e, s, end,
				  CN_FN_ProtocolCmNotifyCloseAfComplete);
		return;
	}
	if (e->irql > 0) { /* PASSIVE_LEVEL only */
		predict(w, c, CN_RULE_C1);
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return;
	}
	if (other) {
		rejected(w, c, s, end, NDIS_STATUS_FAILURE);
		return;
	}
	if (m->notify != PM_NOTIFY_NONE || m->af != PM_AF_OPEN) {
		predict(w, c, CN_RULE_C28);
		rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return;
	}
	if (end == s + 1) { /* no ProtocolClNotifyCloseAf */
		expect_ret(w, e, NDIS_STATUS_FAILURE);
		return;
	}
	m->notify = PM_NOTIFY_RUNNING;
	m->af_h = e->handle;
	cb = af_callback(w, e, s, end, CN_FN_ProtocolClNotifyCloseAf);
	if (cb == NULL || w->failed)
		return;
	r = (NDIS_STATUS)cb->ret;
	if (r == NDIS_STATUS_PENDING) {
		m->notify = PM_NOTIFY_PENDED;
	} else {
		if (r == NDIS_STATUS_SUCCESS && !af_gone(m)) {
			predict(w, c, CN_RULE_C28);
			r = NDIS_STATUS_FAILURE;
		}
		m->notify = r == NDIS_STATUS_SUCCESS ? PM_NOTIFY_DONE
						     : PM_NOTIFY_NONE;
	}
	expect_ret(w, e, r);
}

PT_ORACLE static void do_af(struct walk *w, struct call *c, uint64_t s,
				 uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e, *cb;
	int completion = e->fn != CN_FN_NdisClOpenAddressFamilyEx &&
			 e->fn != CN_FN_NdisClCloseAddressFamily &&
			 e->fn != CN_FN_NdisClRegisterSap &&
			 e->fn != CN_FN_NdisClDeregisterSap;
	NDIS_STATUS r;
	int k;

	if (completion && e->has_status && e->status == NDIS_STATUS_PENDING) {
		predict(w, c, CN_RULE_C4);
		rejected(w, c, s, end, 0);
		return;
	}
	switch (e->fn) {
	case CN_FN_NdisClOpenAddressFamilyEx:
		/* A new open (bring-up's is before the model starts), of a
		 * family closed or whose open failed; NDIS answers any other
		 * FAILURE. A CM without ProtocolCmOpenAf: NDIS opens it. */
		if (end == s + 1) {
			if (e->returned && e->ret == NDIS_STATUS_SUCCESS) {
				m->af = PM_AF_OPEN;
				m->af_pended = 0;
				m->notify = PM_NOTIFY_NONE;
			}
			return;
		}
		if (m->af != PM_AF_CLOSED && m->af != PM_AF_NONE) {
			fail_msg(w, e,
				 "an open of a family not closed reached "
				 "the CM");
			return;
		}
		/* The closed family and its notification are gone once
		 * NDIS took the open to the CM. */
		m->af = PM_AF_OPENING;
		m->af_pended = 0;
		m->notify = PM_NOTIFY_NONE;
		cb = af_callback(w, e, s, end, CN_FN_ProtocolCmOpenAf);
		if (cb == NULL || w->failed)
			return;
		if (m->af != PM_AF_OPENING || m->af_pended) {
			fail_msg(w, e,
				 "model: the open completed inside "
				 "ProtocolCmOpenAf");
			return;
		}
		r = (NDIS_STATUS)cb->ret;
		if (r == NDIS_STATUS_PENDING)
			m->af_pended = 1;
		else
			m->af = r == NDIS_STATUS_SUCCESS ? PM_AF_OPEN
							 : PM_AF_NONE;
		expect_ret(w, e, r);
		return;
	case CN_FN_NdisCmOpenAddressFamilyComplete:
	case CN_FN_NdisMCmOpenAddressFamilyComplete:
		/* C3: no open pended (none in flight, answered at once,
		 * completed already, or its ProtocolCmOpenAf still runs). */
		if (m->af != PM_AF_OPENING || !m->af_pended ||
		    e->handle != m->af_h) {
			predict(w, c, CN_RULE_C3);
			rejected(w, c, s, end, 0);
			return;
		}
		m->af_pended = 0;
		m->af = e->status == NDIS_STATUS_SUCCESS ? PM_AF_OPEN
							 : PM_AF_NONE;
		(void)af_callback(w, e, s, end,
				  CN_FN_ProtocolClOpenAfCompleteEx);
		return;
	case CN_FN_NdisClCloseAddressFamily:
		if (af_gone(m) || calls_open(m) || m->nsap)
			predict(w, c, CN_RULE_C28);
		if (c->rule != CN_RULE_NONE) {
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (end == s + 1) {
			/* Not the family's handle, or not open (FAILURE), or
			 * a CM without ProtocolCmCloseAf: NDIS closes it at
			 * once. */
			if (e->returned && e->ret == NDIS_STATUS_SUCCESS) {
				m->af = PM_AF_CLOSED;
				m->af_h = e->handle;
			}
			return;
		}
		m->af = PM_AF_CLOSING;
		m->af_pended = 0;
		m->af_h = e->handle;
		cb = af_callback(w, e, s, end, CN_FN_ProtocolCmCloseAf);
		if (cb == NULL)
			return;
		r = (NDIS_STATUS)cb->ret;
		if (m->af != PM_AF_CLOSING || m->af_pended) {
			fail_msg(w, e,
				 "model: the close completed inside "
				 "ProtocolCmCloseAf");
			return;
		}
		if (r == NDIS_STATUS_PENDING)
			m->af_pended = 1;
		else
			m->af = r == NDIS_STATUS_SUCCESS ? PM_AF_CLOSED
							 : PM_AF_OPEN;
		expect_ret(w, e, r);
		return;
	case CN_FN_NdisCmCloseAddressFamilyComplete:
	case CN_FN_NdisMCmCloseAddressFamilyComplete:
		if (m->af != PM_AF_CLOSING || !m->af_pended ||
		    e->handle != m->af_h) {
			predict(w, c, CN_RULE_C28);
			rejected(w, c, s, end, 0);
			return;
		}
		m->af_pended = 0;
		m->af = e->status == NDIS_STATUS_SUCCESS ? PM_AF_CLOSED
							 : PM_AF_OPEN;
		(void)af_callback(w, e, s, end,
				  CN_FN_ProtocolClCloseAfComplete);
		return;
	case CN_FN_NdisClRegisterSap:
		if (e->data == 0 || e->out_ptr == CN_OUT_PTR_NULL) {
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (af_gone(m) || m->notify != PM_NOTIFY_NONE) {
			predict(w, c, CN_RULE_C28);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		if (e->out == 0) {
			/* Not the family's handle, the family not open
			 * (opening, or its open failed), or no free SAP
			 * slot. */
			if (end != s + 1)
				fail_msg(w, e,
					 "a refused SAP registration "
					 "reached the CM");
			return;
		}
		if (m->nsap == PM_MAX_SAPS || sap_find(m, e->out) >= 0) {
			fail_msg(w, e,
				 "model: SAP records exhausted or reused");
			return;
		}
		k = (int)m->nsap++;
		m->sap[k].h = e->out;
		m->sap[k].state = PM_SAP_REGISTERING;
		cb = af_callback(w, e, s, end, CN_FN_ProtocolCmRegisterSap);
		if (w->failed)
			return;
		r = cb ? (NDIS_STATUS)cb->ret : NDIS_STATUS_SUCCESS;
		k = sap_find(m, e->out);
		if (k < 0 || m->sap[k].state != PM_SAP_REGISTERING) {
			fail_msg(w, e,
				 "model: the SAP registration completed "
				 "inside ProtocolCmRegisterSap");
			return;
		}
		if (r == NDIS_STATUS_PENDING)
			m->sap[k].state = PM_SAP_REG_PENDED;
		else if (r == NDIS_STATUS_SUCCESS)
			m->sap[k].state = PM_SAP_REGISTERED;
		else
			sap_drop(m, k);
		expect_ret(w, e, r);
		return;
	case CN_FN_NdisCmRegisterSapComplete:
	case CN_FN_NdisMCmRegisterSapComplete:
		k = sap_find(m, e->handle);
		if (k < 0 || m->sap[k].state != PM_SAP_REG_PENDED) {
			predict(w, c, CN_RULE_C3);
			rejected(w, c, s, end, 0);
			return;
		}
		if (e->status == NDIS_STATUS_SUCCESS)
			m->sap[k].state = PM_SAP_REGISTERED;
		else
			sap_drop(m, k);
		(void)af_callback(w, e, s, end,
				  CN_FN_ProtocolClRegisterSapComplete);
		return;
	case CN_FN_NdisClDeregisterSap:
		k = sap_find(m, e->handle);
		if (k < 0 || m->sap[k].state != PM_SAP_REGISTERED) {
			if (end != s + 1)
				fail_msg(w, e,
					 "a refused SAP deregistration "
					 "reached the CM");
			expect_ret(w, e, NDIS_STATUS_FAILURE);
			return;
		}
		m->sap[k].state = PM_SAP_DEREGISTERING;
		cb = af_callback(w, e, s, end, CN_FN_ProtocolCmDeregisterSap);
		if (w->failed)
			return;
		r = cb ? (NDIS_STATUS)cb->ret : NDIS_STATUS_SUCCESS;
		k = sap_find(m, e->handle);
		if (k < 0 || m->sap[k].state != PM_SAP_DEREGISTERING) {
			fail_msg(w, e,
				 "model: the SAP deregistration "
				 "completed inside "
				 "ProtocolCmDeregisterSap");
			return;
		}
		if (r == NDIS_STATUS_PENDING)
			m->sap[k].state = PM_SAP_DEREG_PENDED;
		else if (r == NDIS_STATUS_SUCCESS)
			sap_drop(m, k);
		else
			m->sap[k].state = PM_SAP_REGISTERED;
		expect_ret(w, e, r);
		return;
	case CN_FN_NdisCmDeregisterSapComplete:
	case CN_FN_NdisMCmDeregisterSapComplete:
		k = sap_find(m, e->handle);
		if (k < 0 || m->sap[k].state != PM_SAP_DEREG_PENDED) {
			predict(w, c, CN_RULE_C3);
			rejected(w, c, s, end, 0);
			return;
		}
		if (e->status == NDIS_STATUS_SUCCESS)
			sap_drop(m, k);
		else
			m->sap[k].state = PM_SAP_REGISTERED;
		(void)af_callback(w, e, s, end,
				  CN_FN_ProtocolClDeregisterSapComplete);
		return;
	default:
		return;
	}
}

/*
 * Registration and binding after the drivers' own bring-up (ndis.h,
 * "Registration and binding"; CONTRACT.md). Every one of these DDIs is
 * PASSIVE_LEVEL only: above it C1, answered NDIS_STATUS_FAILURE (the
 * page's "rejected with NDIS_STATUS_FAILURE"), whatever the level, so
 * this runs before the generic C1 step of walk_step. The model's state
 * comes from the trace: the client and the call manager are registered
 * when the walk starts (one of each, B1's reading: a second client or CM
 * table is refused, so no extra protocol gets a role and NDIS binds none
 * of them: a ProtocolBindAdapterEx is not predicted); protocol slots are
 * taken in order and named PROTO<i> (CN_MAX_PROTOCOLS of them, then
 * NDIS_STATUS_RESOURCES); the one adapter's miniport driver is MPDRV and
 * its MiniportInitializeEx names the adapter. What the trace does not
 * show, the characteristics a registration passed, is read from its
 * answer (A-reading: NDIS_STATUS_BAD_CHARACTERISTICS, BAD_VERSION or
 * INVALID_PARAMETER refuse the call at once, with no callback).
 */
PT_ORACLE static int bu_fn(enum cn_fn fn)
{
	return (fn >= CN_FN_NdisRegisterProtocolDriver &&
		fn <= CN_FN_NdisMCmRegisterAddressFamilyEx) ||
	       fn == CN_FN_NdisDeregisterProtocolDriver ||
	       fn == CN_FN_NdisMDeregisterMiniportDriver ||
	       fn == CN_FN_NdisCloseAdapterEx ||
	       fn == CN_FN_NdisCompleteUnbindAdapterEx;
}

PT_ORACLE static int bu_named(uint64_t h, const char *name)
{
	char buf[32];

	return h != 0 && cn_handle_format(h, buf, sizeof(buf)) > 0 &&
	       strcmp(buf, name) == 0;
}

/* The refusals of characteristics the trace does not show. */
PT_ORACLE static int bu_refused(const struct cn_trace_entry *e)
{
	return e->returned && (e->ret == NDIS_STATUS_BAD_CHARACTERISTICS ||
			       e->ret == NDIS_STATUS_BAD_VERSION ||
			       e->ret == NDIS_STATUS_INVALID_PARAMETER);
}

/* The optional callback @want first nested in @s (SetOptions): walked
 * with the options handle set, NULL if there is none. Sets *@t past it. */
PT_ORACLE static const struct cn_trace_entry *
bu_options(struct walk *w, const struct cn_trace_entry *e, uint64_t s,
	   uint64_t end, enum cn_fn want, uint64_t *t)
{
	const struct cn_trace_entry *cb;

	*t = s + 1;
	if (end == s + 1 || (cb = get(w, s + 1)) == NULL || cb->fn != want ||
	    cb->depth != e->depth + 1)
		return NULL;
	*t = subtree_end(w, s + 1, cb);
	w->m->bu_options_h = cb->handle;
	walk_children(w, s + 1, *t);
	w->m->bu_options_h = 0;
	return cb;
}

/*
 * The drivers' own bring-up (the steps before the model's first, which
 * the reference drivers make through NDIS, ndis.h): what it left for
 * do_bringup, read from those steps of the trace once. Each successful
 * top-level NdisRegisterProtocolDriver took the next protocol slot; one
 * whose subtree opened the adapter (NdisOpenAdapterEx SUCCESS) holds a
 * binding: the CM's if it registered its family there on BIND-CM
 * (NdisCmRegisterAddressFamilyEx SUCCESS, the page's bind-time
 * registration), else the client's; a successful
 * NdisMRegisterMiniportDriver is the one adapter.
 */
PT_ORACLE static void bu_scan(struct pm_model *m, uint64_t to)
{
	const struct cn_trace_entry *e;
	int in = 0, opened = 0, cm = 0;
	uint64_t s;

	m->bu_scanned = 1;
	for (s = 1; s <= to; s++) {
		e = cn_trace_peek(s);
		if (e == NULL)
			continue;
		if (e->depth == 0) {
			if (in && opened)
				m->bu_open |= cm ? 2u : 1u;
			in = opened = cm = 0;
			if (e->fn == CN_FN_NdisRegisterProtocolDriver &&
			    e->returned && e->ret == NDIS_STATUS_SUCCESS &&
			    m->bu_protos < PM_BU_PROTOCOLS) {
				m->bu_protos++;
				in = 1;
			}
			if (e->fn == CN_FN_NdisMRegisterMiniportDriver &&
			    e->returned && e->ret == NDIS_STATUS_SUCCESS)
				m->bu_mp_used = 1;
			continue;
		}
		if (e->fn == CN_FN_NdisOpenAdapterEx && e->returned &&
		    e->ret == NDIS_STATUS_SUCCESS)
			opened = 1;
		if (e->fn == CN_FN_NdisCmRegisterAddressFamilyEx &&
		    e->returned && e->ret == NDIS_STATUS_SUCCESS &&
		    bu_named(e->handle, "BIND-CM"))
			cm = 1;
	}
	if (in && opened)
		m->bu_open |= cm ? 2u : 1u;
}

PT_ORACLE static void do_bringup(struct walk *w, struct call *c, uint64_t s,
				 uint64_t end)
{
	struct pm_model *m = w->m;
	const struct cn_trace_entry *e = c->e, *cb;
	uint64_t t;
	char name[16];

	if (e->irql > PASSIVE_LEVEL) { /* C1 */
		predict(w, c, CN_RULE_C1);
		rejected(w, c, s, end, NDIS_STATUS_FAILURE);
		return;
	}
	switch (e->fn) {
	case CN_FN_NdisRegisterProtocolDriver:
		if (bu_refused(e)) {
			rejected(w, c, s, end, e->ret);
			return;
		}
		if (m->bu_protos >= PM_BU_PROTOCOLS) {
			rejected(w, c, s, end, NDIS_STATUS_RESOURCES);
			return;
		}
		snprintf(name, sizeof(name), "PROTO%u", m->bu_protos);
		cb = bu_options(w, e, s, end, CN_FN_ProtocolSetOptions, &t);
		if (w->failed)
			return;
		if (cb != NULL && !bu_named(cb->handle, name)) {
			fail_msg(w, e, "ProtocolSetOptions named another slot");
			return;
		}
		if (t != end) {
			fail_msg(w, e,
				 "a call the model did not predict is nested "
				 "in a registration (a bind of a driver with "
				 "no role)");
			return;
		}
		if (cb != NULL && (NDIS_STATUS)cb->ret != NDIS_STATUS_SUCCESS) {
			/* the registration fails with SetOptions' status */
			expect_ret(w, e, (NDIS_STATUS)cb->ret);
			return;
		}
		m->bu_protos++;
		expect_ret(w, e, NDIS_STATUS_SUCCESS);
		return;
	case CN_FN_NdisMRegisterMiniportDriver:
		if (bu_refused(e)) {
			rejected(w, c, s, end, e->ret);
			return;
		}
		if (m->bu_mp_used) { /* one adapter */
			rejected(w, c, s, end, NDIS_STATUS_FAILURE);
			return;
		}
		cb = bu_options(w, e, s, end, CN_FN_MiniportSetOptions, &t);
		if (w->failed)
			return;
		if (cb != NULL && (NDIS_STATUS)cb->ret != NDIS_STATUS_SUCCESS) {
			if (t != end)
				fail_msg(w, e, "the adapter started after a "
					       "failed MiniportSetOptions");
			expect_ret(w, e, (NDIS_STATUS)cb->ret);
			return;
		}
		m->bu_mp_used = 1;
		/* The adapter starts: MiniportInitializeEx, always. */
		cb = t < end ? get(w, t) : NULL;
		if (cb == NULL || cb->fn != CN_FN_MiniportInitializeEx ||
		    cb->depth != e->depth + 1) {
			fail_msg(w, e, "expected MiniportInitializeEx nested");
			return;
		}
		s = t;
		t = subtree_end(w, s, cb);
		m->bu_init_h = cb->handle;
		m->bu_in_init = 1;
		walk_children(w, s, t);
		m->bu_in_init = 0;
		if (w->failed)
			return;
		m->bu_mp_initialized =
			(NDIS_STATUS)cb->ret == NDIS_STATUS_SUCCESS;
		if (t != end)
			fail_msg(w, e, "a call besides MiniportInitializeEx "
				       "is nested");
		expect_ret(w, e, NDIS_STATUS_SUCCESS);
		return;
	case CN_FN_NdisSetOptionalHandlers:
		/* Only from the driver's SetOptionsHandler, on its own
		 * handle; there the answer is the table's, which the trace
		 * does not show (any of the page's statuses). */
		if (end != s + 1)
			fail_msg(w, e, "NdisSetOptionalHandlers made a call");
		if (m->bu_options_h == 0 || e->handle != m->bu_options_h)
			expect_ret(w, e, NDIS_STATUS_FAILURE);
		else if (e->returned && e->ret != NDIS_STATUS_SUCCESS &&
			 e->ret != NDIS_STATUS_FAILURE &&
			 e->ret != NDIS_STATUS_INVALID_PARAMETER &&
			 e->ret != NDIS_STATUS_NOT_SUPPORTED &&
			 e->ret != NDIS_STATUS_BAD_CHARACTERISTICS)
			fail_msg(w, e, "NdisSetOptionalHandlers: a status "
				       "the page does not give");
		return;
	case CN_FN_NdisOpenAdapterEx: {
		/* Only inside ProtocolBindAdapterEx, which NDIS never calls
		 * here (no extra protocol has a role): a registered protocol
		 * is refused FAILURE, any other handle rejected. */
		unsigned i;
		int known = 0;

		for (i = 0; i < m->bu_protos; i++) {
			snprintf(name, sizeof(name), "PROTO%u", i);
			known |= bu_named(e->handle, name);
		}
		rejected(w, c, s, end,
			 known ? NDIS_STATUS_FAILURE
			       : NDIS_STATUS_INVALID_PARAMETER);
		return;
	}
	case CN_FN_NdisCompleteBindAdapterEx:
		/* C3: no bind was pended (none ran). */
		predict(w, c, CN_RULE_C3);
		rejected(w, c, s, end, 0);
		return;
	case CN_FN_NdisCloseAdapterEx: {
		/* A binding NDIS opened (bu_scan), once; the puppets
		 * registered through the engine have none. */
		unsigned b = bu_named(e->handle, "BIND-CL")   ? 1u
			     : bu_named(e->handle, "BIND-CM") ? 2u
							      : 0u;

		if (b != 0 && (m->bu_open & b)) {
			m->bu_open &= ~b;
			rejected(w, c, s, end, NDIS_STATUS_SUCCESS);
			return;
		}
		rejected(w, c, s, end, NDIS_STATUS_FAILURE);
		return;
	}
	case CN_FN_NdisMSetMiniportAttributes:
		/* Only from MiniportInitializeEx, with its adapter handle. */
		if (end != s + 1)
			fail_msg(w, e, "NdisMSetMiniportAttributes made a call");
		expect_ret(w, e,
			   m->bu_in_init && e->handle == m->bu_init_h
				   ? NDIS_STATUS_SUCCESS
				   : NDIS_STATUS_FAILURE);
		return;
	case CN_FN_NdisCmRegisterAddressFamilyEx:
		/* C5: an MCM registers with NdisMCm...; a stand-alone CM
		 * has no binding NDIS opened, and a family is registered
		 * anyway (one per adapter): FAILURE. */
		if (m->mcm && bu_named(e->handle, "BIND-CM")) {
			predict(w, c, CN_RULE_C5);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		rejected(w, c, s, end, NDIS_STATUS_FAILURE);
		return;
	case CN_FN_NdisMCmRegisterAddressFamilyEx:
		/* C5 from a stand-alone CM, whatever the handle; from the
		 * MCM a second family (or no adapter): FAILURE. */
		if (!m->mcm) {
			predict(w, c, CN_RULE_C5);
			rejected(w, c, s, end, NDIS_STATUS_INVALID_PARAMETER);
			return;
		}
		rejected(w, c, s, end, NDIS_STATUS_FAILURE);
		return;
	default: /* the VOID ones: nothing owed, nothing nested */
		rejected(w, c, s, end, 0);
		return;
	}
}

PT_ORACLE static uint64_t walk_step(struct walk *w, uint64_t s)
{
	const struct cn_trace_entry *e = get(w, s);
	struct call c;
	uint64_t end;

	if (e == NULL)
		return w->to + 1;
	end = subtree_end(w, s, e);
	memset(&c, 0, sizeof(c));
	c.e = e;

	if (e->fn == CN_FN_HarnessNote || e->fn == CN_FN_EndOfRun)
		return end;
	if (e->fn == CN_FN_KeRaiseIrql || e->fn == CN_FN_KeLowerIrql) {
		/* C1: the new IRQL (the step's handle) against the CPU's. */
		if (e->fn == CN_FN_KeRaiseIrql
			    ? e->handle < e->irql || e->handle > HIGH_LEVEL
			    : e->handle > e->irql)
			predict(w, &c, CN_RULE_C1);
		if (end != s + 1)
			fail_msg(w, e, "Ke*Irql made a nested call");
		return end;
	}
	if ((e->fn >= CN_FN_ProtocolClMakeCallComplete &&
	     e->fn <= CN_FN_ProtocolClIncomingCloseCall) ||
	    e->fn == CN_FN_ProtocolCoSendNetBufferListsComplete ||
	    e->fn == CN_FN_ProtocolCoOidRequestComplete) {
		do_delivery(w, e, s, end);
		if (e->depth == 0 && pt_handle_tag(e->handle) == CN_TAG_VC)
			delete_due(w, e->handle, end);
		return end;
	}
	if (e->fn == CN_FN_ProtocolCoDeleteVc && e->depth == 0 &&
	    w->m->due_delete >= 0) { /* a deferred delete (delete_due) */
		int v = w->m->due_delete;

		w->m->due_delete = -1;
		(void)client_delete(w, e, s, v, e->step);
		return end;
	}
	if (e->fn == CN_FN_MiniportCoSendNetBufferLists ||
	    e->fn == CN_FN_ProtocolCoOidRequest) {
		fail_msg(w, e, "miniport callback the model did not predict");
		return end;
	}
	if (e->fn >= CN_FN_ProtocolCoCreateVc &&
	    e->fn <= CN_FN_ProtocolCmCloseCall) {
		/* Only as the one call of an accepted request (cm_walk). */
		fail_msg(w, e, "CM callback the model did not predict");
		return end;
	}
	/* Registration and binding: PASSIVE_LEVEL only (C1). */
	if (bu_fn(e->fn)) {
		do_bringup(w, &c, s, end);
		return end;
	}
	/* A DDI: step 1 (C1) for everybody. */
	if (e->irql > KIRQL_DISPATCH) {
		predict(w, &c, CN_RULE_C1);
		rejected(w, &c, s, end, NDIS_STATUS_INVALID_PARAMETER);
		return end;
	}
	if (is_incoming_fn(e->fn)) {
		do_incoming(w, &c, s, end);
		return end;
	}
	if (e->fn == CN_FN_NdisFreeMemory ||
	    e->fn == CN_FN_NdisFreeToNPagedLookasideList) {
		predict(w, &c, freed_rule(w->m, e->data, e->size));
		if (end != s + 1)
			fail_msg(w, e, "a free made a nested call");
		return end;
	}
	if (e->fn >= CN_FN_NdisClOpenAddressFamilyEx &&
	    e->fn <= CN_FN_NdisMCmDeregisterSapComplete)
		do_af(w, &c, s, end);
	else if (e->fn == CN_FN_NdisCmNotifyCloseAddressFamily ||
		 e->fn == CN_FN_NdisMCmNotifyCloseAddressFamily ||
		 e->fn == CN_FN_NdisClNotifyCloseAddressFamilyComplete)
		do_notify(w, &c, s, end);
	else if (e->fn == CN_FN_NdisCoSendNetBufferLists)
		do_send(w, &c, s, end);
	else if (e->fn == CN_FN_NdisMCoSendNetBufferListsComplete)
		do_send_done(w, &c, s, end);
	else if (e->fn == CN_FN_NdisCoOidRequest)
		do_oid(w, &c, s, end);
	else if (e->fn == CN_FN_NdisCoOidRequestComplete)
		do_oid_done(w, &c, s, end);
	else if (is_cm_fn(e->fn) || is_mcm_fn(e->fn))
		do_cm(w, &c, s, end);
	else
		do_client(w, &c, s, end);
	return end;
}

/*
 * C1 at a callback's return: a callback (into the client or the CM) that
 * returned at another IRQL than the one it was entered at. Both levels
 * are the trace's: `irql` at entry, `irql_back` at return.
 */
PT_ORACLE static void callback_irql(struct pm_model *m,
					 const struct cn_trace_entry *e)
{
	int callback = (e->fn >= CN_FN_ProtocolClMakeCallComplete &&
			e->fn <= CN_FN_ProtocolClIncomingCloseCall) ||
		       e->fn == CN_FN_MiniportCoSendNetBufferLists ||
		       e->fn == CN_FN_ProtocolCoSendNetBufferListsComplete ||
		       e->fn == CN_FN_ProtocolCoOidRequest ||
		       e->fn == CN_FN_ProtocolCoOidRequestComplete ||
		       (e->fn >= CN_FN_ProtocolCoCreateVc &&
			e->fn <= CN_FN_ProtocolCmCloseCall) ||
		       (e->fn >= CN_FN_ProtocolClIncomingCall &&
			e->fn <= CN_FN_ProtocolClCallConnected) ||
		       e->fn == CN_FN_ProtocolClNotifyCloseAf ||
		       e->fn == CN_FN_ProtocolCmNotifyCloseAfComplete ||
		       (e->fn >= CN_FN_ProtocolCmOpenAf &&
			e->fn <= CN_FN_ProtocolClDeregisterSapComplete);

	if (callback && !e->cancelled && e->irql_back != 0 &&
	    e->irql_back - 1 != e->irql)
		m->predicted[CN_RULE_C1]++;
}

PT_ORACLE int pm_feed(struct pm_model *m, uint64_t from, uint64_t to,
			   char *why, size_t len)
{
	struct walk w = { m, 0, 0, from, to, why, len, 0 };
	uint64_t s;

	if (!m->bu_scanned) /* once, at the first feed */
		bu_scan(m, from - 1);
	if (to - from + 1 > PM_MAX_STEPS) {
		snprintf(why, len,
			 "operation of %" PRIu64 " steps exceeds the "
			 "model's window of %u",
			 to - from + 1, PM_MAX_STEPS);
		return -1;
	}
	for (s = from; s <= to; s++) {
		if ((m->steps[s - from] = cn_trace_peek(s)) == NULL) {
			snprintf(why, len,
				 "trace step %" PRIu64 " fell out "
				 "of the ring",
				 s);
			return -1;
		}
		callback_irql(m, m->steps[s - from]);
	}
	s = from;
	while (s <= to && !w.failed)
		s = walk_step(&w, s);
	while (m->live_lo < m->nparty &&
	       !live_state(m->party[m->live_lo].state))
		m->live_lo++; /* (M9) */
	return w.failed ? -1 : 0;
}

/* Read-only views (model.h; M6) */

PT_ORACLE int pm_vc_view(const struct pm_model *m, uint64_t h,
			      struct pm_vc_view *out)
{
	int v = vc_find(m, h);
	struct pm_counts k;

	if (v < 0)
		return -1;
	count_vc(m, v, &k);
	out->state = m->vc[v].state;
	out->pmp = m->vc[v].pmp;
	out->activated = m->vc[v].activated;
	out->pending = m->vc[v].pended ? m->vc[v].req : CN_REQ_NONE;
	out->n = k;
	out->sends = m->vc[v].sends;
	out->mp_sends = m->vc[v].mp_sends;
	return 0;
}

PT_ORACLE void pm_census(const struct pm_model *m, struct pm_census *c)
{
	uint32_t i;

	c->nvc = m->nvc;
	c->live_vcs = 0;
	c->live_parties = 0;
	c->pended = 0;
	for (i = 0; i < CN_MAX_CPUS; i++)
		c->queued[i] = 0;
	for (i = 0; i < m->nvc; i++) { /* fields, not memset: PT_ORACLE */
		const struct pm_vc *v = &m->vc[i];
		struct pm_vc_view *o = &c->vc[i];

		o->n.active = o->n.adding = o->n.dropping = 0;
		o->n.making = o->n.closing = o->n.remote = 0;
		o->state = v->state;
		o->pmp = v->pmp;
		o->activated = v->activated;
		o->pending = v->pended ? v->req : CN_REQ_NONE;
		o->sends = v->sends;
		o->mp_sends = v->mp_sends;
		c->live_vcs += v->used && v->state != CN_VC_FREE;
		c->pended += (uint32_t)(v->used && v->pended);
	}
	for (i = m->live_lo; i < m->nparty; i++) { /* (M9) */
		const struct pm_party *p = &m->party[i];

		if (!live_state(p->state))
			continue;
		c->live_parties++;
		c->pended += p->pended;
		if (p->vc < 0 || (uint32_t)p->vc >= m->nvc)
			continue; /* in no VC's counters, as in count_vc() */
		count_state(&c->vc[p->vc].n, p->state);
	}
	for (i = 0; i < m->nowed; i++)
		if (m->owed[i].cpu < CN_MAX_CPUS)
			c->queued[m->owed[i].cpu]++;
}

PT_ORACLE int pm_census_vc(const struct pm_model *m,
				const struct pm_census *c, uint64_t h,
				struct pm_vc_view *out)
{
	int v = vc_find(m, h);

	if (v < 0 || (uint32_t)v >= c->nvc)
		return -1;
	*out = c->vc[v];
	return 0;
}

PT_ORACLE uint32_t pm_live_vcs(const struct pm_model *m)
{
	uint32_t i, n = 0;

	for (i = 0; i < m->nvc; i++)
		n += m->vc[i].used && m->vc[i].state != CN_VC_FREE;
	return n;
}

PT_ORACLE int pm_party_next(const struct pm_model *m, uint32_t *cur,
				 uint64_t *h, uint8_t *state, uint64_t *vc)
{
	if (*cur < m->live_lo)
		*cur = m->live_lo; /* (M9) */
	while (*cur < m->nparty) {
		const struct pm_party *p = &m->party[(*cur)++];

		if (!live_state(p->state))
			continue;
		*h = p->h;
		*state = p->state;
		*vc = m->vc[p->vc].h;
		return 1;
	}
	return 0;
}

PT_ORACLE uint32_t pm_live_parties(const struct pm_model *m)
{
	return live_total(m);
}

PT_ORACLE uint32_t pm_queued_on(const struct pm_model *m, uint32_t cpu)
{
	return queued_on(m, cpu);
}

/* End of run */

PT_ORACLE static int cmp_fail(char *why, size_t len, const char *what,
				   uint64_t h, long got, long want)
{
	char hs[32];

	cn_handle_format(h, hs, sizeof(hs));
	snprintf(why, len, "state: %s of %s: engine %ld, model %ld", what, hs,
		 got, want);
	return -1;
}

PT_ORACLE int pm_check_end(struct pm_model *m,
				const struct cn_end_report *rep, char *why,
				size_t len)
{
	uint32_t i, remote = 0, remote_vcs = 0, live_vcs = 0, sends = 0;
	uint32_t unanswered = 0, cm_left = 0;
	uint32_t live = live_total(m), owed = pm_pended(m);

	/* C3: an address-family open, close or SAP request the CM
	 * pended. */
	owed += m->af_pended;
	/* C3: a close notification the client pended. */
	m->predicted[CN_RULE_C3] += m->notify == PM_NOTIFY_PENDED;
	for (i = 0; i < m->nsap; i++)
		owed += m->sap[i].state == PM_SAP_REG_PENDED ||
			m->sap[i].state == PM_SAP_DEREG_PENDED;
	for (i = 0; i < m->nparty; i++)
		remote += m->party[i].state == PT_REMOTE_DROPPED;
	for (i = 0; i < m->nvc; i++) {
		if (!m->vc[i].used || m->vc[i].state == CN_VC_FREE)
			continue;
		live_vcs++;
		remote_vcs += m->vc[i].state == CN_VC_REMOTE_CLOSED;
		unanswered += m->vc[i].state == CN_VC_OFFERED &&
			      m->vc[i].offer == 2;
		cm_left += m->vc[i].cm_created && !m->vc[i].delete_owed;
		sends += m->vc[i].mp_sends;
	}
	m->predicted[CN_RULE_C3] += unanswered; /* incoming calls */
	m->predicted[CN_RULE_C25] += cm_left;
	m->predicted[CN_RULE_C23] += sends;
	m->predicted[CN_RULE_C3] += m->noids;
	m->predicted[CN_RULE_C3] += owed;
	m->predicted[CN_RULE_C14] += remote;
	m->predicted[CN_RULE_C12] += live - remote;
	m->predicted[CN_RULE_C15] += remote_vcs;
	/* C2 per completion never delivered (indications are C14/C15). */
	for (i = 0; i < m->nowed; i++)
		m->predicted[CN_RULE_C2] +=
			m->owed[i].fn != CN_FN_ProtocolClIncomingDropParty &&
			m->owed[i].fn != CN_FN_ProtocolClIncomingCloseCall;
	if (rep->owed_cm_completions != owed)
		return cmp_fail(why, len, "end: owed CM completions", 0,
				rep->owed_cm_completions, owed);
	if (rep->live_parties != live)
		return cmp_fail(why, len, "end: live parties", 0,
				rep->live_parties, live);
	if (rep->remote_closed_vcs != remote_vcs)
		return cmp_fail(why, len, "end: remote-closed VCs", 0,
				rep->remote_closed_vcs, remote_vcs);
	if (rep->live_vcs != live_vcs)
		return cmp_fail(why, len, "end: live VCs", 0, rep->live_vcs,
				live_vcs);
	if (rep->oids_owed != m->noids)
		return cmp_fail(why, len, "end: OID requests never completed",
				0, rep->oids_owed, m->noids);
	if (rep->sends_owed != sends)
		return cmp_fail(why, len, "end: sends never completed", 0,
				rep->sends_owed, sends);
	if (rep->undelivered != m->nowed)
		return cmp_fail(why, len, "end: undelivered callbacks", 0,
				rep->undelivered, m->nowed);
	if (rep->unanswered_calls != unanswered)
		return cmp_fail(why, len, "end: unanswered incoming calls", 0,
				rep->unanswered_calls, unanswered);
	if (rep->cm_vcs_left != cm_left)
		return cmp_fail(why, len, "end: CM-created VCs left", 0,
				rep->cm_vcs_left, cm_left);
	if (rep->notify_owed != (m->notify == PM_NOTIFY_PENDED))
		return cmp_fail(why, len,
				"end: close notification never completed", 0,
				rep->notify_owed,
				m->notify == PM_NOTIFY_PENDED);
	return 0;
}
