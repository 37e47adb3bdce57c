/*
 * condis_party.c - NdisClAddParty and NdisClDropParty, their call-manager
 * completions and the last-party rule (L1, A2). The check order and the
 * invariants N1..N4, E1, E2 they keep are those of condis_ddi.c.
 */
#include <string.h>

#include "condis_ddi.h"
#include "debug.h"
#include "fault.h"

/*
 * Add party
 */

NDIS_STATUS NdisClAddParty(NDIS_HANDLE NdisVcHandle,
			   NDIS_HANDLE ProtocolPartyContext,
			   PCO_CALL_PARAMETERS CallParameters,
			   PNDIS_HANDLE NdisPartyHandle)
{
	uint64_t vh = _cn_h(NdisVcHandle);
	struct call c;
	struct cn_engine *e;
	struct cn_party *p;
	struct cn_vc *v;
	NDIS_HANDLE cm_party_ctx = NULL;
	pt_handle_t ph;
	NDIS_STATUS st;
	uint64_t step;

	enter(&c, CN_FN_NdisClAddParty, vh, 0, 0);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.ctx = _cn_h(ProtocolPartyContext),
			.params = _cn_h(CallParameters),
			.out_ptr = out_ptr_of(NdisPartyHandle)));
	if (!irql_ok(&c, vh) ||
	    (v = _cn_client_vc_get(&c, NdisVcHandle)) == NULL)
		return leave(&c, REJECTED);
	if (ProtocolPartyContext == NULL || CallParameters == NULL) {
		report(&c, CN_RULE_C8, vh, -1, v->state,
		       ProtocolPartyContext == NULL
			       ? "NULL ProtocolPartyContext"
			       : "NULL CallParameters");
		return leave(&c, REJECTED);
	}
	if (NdisPartyHandle == NULL) {
		report(&c, CN_RULE_C7, vh, -1, v->state,
		       "NULL NdisPartyHandle");
		return leave(&c, REJECTED);
	}
	if (!af_ok(&c, vh, v,
		   "NdisClAddParty on a VC of an address family that is "
		   "closing or closed"))
		return leave(&c, REJECTED);
	if (v->state == CN_VC_REMOTE_CLOSED && v->remote_close_seen) {
		report(&c, CN_RULE_C15, vh, -1, v->state,
		       "NdisClAddParty after an incoming close");
		return leave(&c, REJECTED);
	}
	/* An incoming close still queued as a DPC binds nobody yet: the
	 * client cannot know, so the add goes to the CM. */
	if ((v->state != CN_VC_CONNECTED && v->state != CN_VC_REMOTE_CLOSED) ||
	    !v->pmp) {
		report(&c, CN_RULE_C6, vh, -1, v->state,
		       !v->pmp && v->state == CN_VC_CONNECTED
			       ? "the call is point-to-point"
			       : "the VC has no established call");
		return leave(&c, REJECTED);
	}
	if (_cn_party_create(e, v, CN_EV_ADD_PARTY, ProtocolPartyContext,
			     CallParameters, &ph) != PT_OK)
		return leave(&c, NDIS_STATUS_RESOURCES);
	p = &e->pside[pt_handle_index(ph)];
	p->phase = CN_PHASE_IN_HANDLER; /* N3 */
	p->req_step = c.step;

	step = cb_enter(e, CN_FN_ProtocolCmAddParty, ph,
			ARGS(.party = ph, .ctx = _cn_h(v->cm_ctx),
			     .params = _cn_h(CallParameters)));
	st = cb_leave(e, step,
		      e->cm.CmAddPartyHandler(v->cm_ctx, CallParameters,
					      _cn_handle(ph), &cm_party_ctx));
	cb_out(e, step, cm_party_ctx);
	if (came_early(&c))
		return early_return(&c, st, ph,
				    "ProtocolCmAddParty completed its add, "
				    "then returned a status other than "
				    "PENDING");
	/* LCOV_EXCL_BR_START: an assertion (an impossible state) */
	PT_ASSERT_INTERNAL(p->phase == CN_PHASE_IN_HANDLER);
	/* LCOV_EXCL_BR_STOP */
	if (st == NDIS_STATUS_PENDING) {
		p->phase = CN_PHASE_PENDED;
		return pended(&c);
	}
	p->phase = CN_PHASE_NONE;
	if (st == NDIS_STATUS_SUCCESS) {
		if (cm_party_ctx == NULL)
			report(&c, CN_RULE_C16, ph, PT_ADDING, v->state,
			       "ProtocolCmAddParty returned SUCCESS with a "
			       "NULL CallMgrPartyContext");
		p->cm_ctx = cm_party_ctx;
		ndis_step(e, v, ph, CN_EV_SETUP_OK, CN_END_NONE);
		if (!ndis_completes(e)) {
			*NdisPartyHandle = _cn_handle(ph);
			cb_out(e, c.step, _cn_handle(ph));
		}
	} else {
		ndis_step(e, v, ph, CN_EV_SETUP_FAIL, CN_END_SETUP_FAILED);
	}
	if (ndis_completes(e)) { /* E2 */
		struct cn_dpc d;

		memset(&d, 0, sizeof(d));
		d.cb = CN_FN_ProtocolClAddPartyComplete;
		d.status = st;
		d.handle = ph;
		d.ctx = ProtocolPartyContext;
		d.arg = st == NDIS_STATUS_SUCCESS ? _cn_handle(ph) : NULL;
		d.params = CallParameters;
		return completed_by_ndis(&c, &d);
	}
	return leave(&c, st);
}

static void add_party_complete(enum cn_fn fn, NDIS_STATUS Status,
			       NDIS_HANDLE NdisPartyHandle,
			       NDIS_HANDLE CallMgrPartyContext,
			       PCO_CALL_PARAMETERS CallParameters)
{
	uint64_t ph = _cn_h(NdisPartyHandle);
	struct pt_party_info pi = { .state = PT_FREE };
	struct cn_engine *e;
	struct cn_party *p;
	struct cn_dpc d;
	struct call c;
	struct cn_vc *v;
	int ok = Status == NDIS_STATUS_SUCCESS;

	enter(&c, fn, ph, 1, Status);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.ctx = _cn_h(CallMgrPartyContext),
			.params = _cn_h(CallParameters)));
	if (!irql_ok(&c, ph) || !cm_ok(&c, ph) ||
	    !status_ok(&c, Status, ph) ||
	    (v = party_get(&c, NdisPartyHandle, 0, 0, &pi)) == NULL)
		return leave_void(&c);
	p = side(e, NdisPartyHandle);
	if (pi.state != PT_ADDING || p->phase == CN_PHASE_NONE) {
		report(&c, CN_RULE_C3, ph, pi.state, v->state,
		       "no pended add for this party");
		return leave_void(&c);
	}
	if (ok && CallMgrPartyContext == NULL) {
		report(&c, CN_RULE_C16, ph, pi.state, v->state,
		       "SUCCESS with a NULL CallMgrPartyContext");
		return leave_void(&c);
	}
	completed(e, p->phase == CN_PHASE_IN_HANDLER, p->req_step); /* E1 */
	p->phase = CN_PHASE_NONE;
	memset(&d, 0, sizeof(d));
	d.cb = CN_FN_ProtocolClAddPartyComplete;
	d.status = Status;
	d.handle = ph;
	d.ctx = (NDIS_HANDLE)pi.ctx;
	d.arg = ok ? NdisPartyHandle : NULL;
	d.params = CallParameters != NULL ? CallParameters : p->params;
	params_read(e, d.params);
	if (ok) {
		p->cm_ctx = CallMgrPartyContext;
		ndis_step(e, v, ph, CN_EV_SETUP_OK, CN_END_NONE);
	} else {
		ndis_step(e, v, ph, CN_EV_SETUP_FAIL, CN_END_SETUP_FAILED);
	}
	_cn_deliver(e, c.step, &d); /* N2 */
	leave_void(&c);
}

/* NdisMCmAddPartyComplete is this function (ndis.h). */
VOID NdisCmAddPartyComplete(NDIS_STATUS Status, NDIS_HANDLE NdisPartyHandle,
			    NDIS_HANDLE CallMgrPartyContext,
			    PCO_CALL_PARAMETERS CallParameters)
{
	add_party_complete(_cn_cm_fn(CN_FN_NdisCmAddPartyComplete,
				     CN_FN_NdisMCmAddPartyComplete),
			   Status, NdisPartyHandle, CallMgrPartyContext,
			   CallParameters);
}

/*
 * Drop party
 */

/*
 * L1 (A2): a drop answered or completed with SUCCESS must leave the PMP
 * call another party: one ACTIVE or REMOTE_DROPPED, or one whose own drop
 * is still in flight (it may fail; if it succeeds, its completion is the
 * one that finds itself last), ADDING ones too with
 * CN_OPT_A2_COUNT_CONNECTING. The party being dropped is DROPPING.
 */
static int last_party_left(const struct cn_engine *e, const struct cn_vc *v)
{
	uint32_t others = v->active + v->dropping - 1;

	if (e->cfg.options & CN_OPT_A2_COUNT_CONNECTING)
		others += v->adding;
	return others == 0;
}

/* A MakeCall/AddParty of the client is in flight on some VC: a NULL
 * party handle then names a party the client has no handle for yet (R1,
 * rules.h check order step 4). */
static int setup_in_flight(const struct cn_engine *e)
{
	uint32_t i;

	for (i = 0; i < e->cfg.max_vcs; i++)
		if (e->vcs[i].making + e->vcs[i].adding > 0)
			return 1;
	return 0;
}

NDIS_STATUS NdisClDropParty(NDIS_HANDLE NdisPartyHandle, PVOID Buffer,
			    UINT Size)
{
	uint64_t ph = _cn_h(NdisPartyHandle);
	struct pt_party_info pi = { .state = PT_FREE };
	struct cn_engine *e;
	struct cn_party *p;
	struct call c;
	struct cn_vc *v;
	uint32_t others;
	NDIS_STATUS st;
	uint64_t step;

	enter(&c, CN_FN_NdisClDropParty, ph, 0, 0);
	e = c.e;
	trace_args(e, c.step, ARGS(.data = _cn_h(Buffer), .size = Size));
	if (!irql_ok(&c, ph))
		return leave(&c, REJECTED);
	if (ph == 0 && setup_in_flight(e)) {
		report(&c, CN_RULE_R1, ph, -1, -1,
		       "NULL party handle while a MakeCall/AddParty is in "
		       "flight (the client has no handle yet)");
		return leave(&c, REJECTED);
	}
	if ((v = party_get(&c, NdisPartyHandle, 1, 0, &pi)) == NULL)
		return leave(&c, REJECTED);
	if (pi.state == PT_MAKING || pi.state == PT_ADDING) {
		report(&c, CN_RULE_R1, ph, pi.state, v->state,
		       "drop of a party whose setup is in flight");
		return leave(&c, REJECTED);
	}
	if (pi.state == PT_DROPPING || pi.state == PT_CLOSING) {
		report(&c, CN_RULE_R3, ph, pi.state, v->state,
		       "drop of a party already being torn down");
		return leave(&c, REJECTED);
	}
	/* A2: NDIS fails the drop of the last party itself (P9), unless
	 * another party's drop is in flight (it may still fail: then this
	 * one is not the last, and the call manager decides, L1) or the
	 * call manager answers for the last party (CN_OPT_A2_CM_FAILS). */
	others = v->active - 1;
	if (e->cfg.options & CN_OPT_A2_COUNT_CONNECTING)
		others += v->adding;
	if (others == 0 && v->dropping == 0 &&
	    !(e->cfg.options & CN_OPT_A2_CM_FAILS) &&
	    !PT_FAULT_IS(CN_NO_LAST_PARTY_CHECK))
		return leave(&c, NDIS_STATUS_FAILURE);
	p = side(e, NdisPartyHandle);
	ndis_step(e, v, ph, CN_EV_DROP, CN_END_NONE);
	p->phase = CN_PHASE_IN_HANDLER; /* N3 */
	p->req_step = c.step;
	p->close_data = (uint8_t)has_close_data(e, Buffer, Size);

	step = cb_enter(e, CN_FN_ProtocolCmDropParty, ph,
			ARGS(.ctx = _cn_h(p->cm_ctx), .data = _cn_h(Buffer),
			     .size = Size));
	st = cb_leave(e, step,
		      e->cm.CmDropPartyHandler(p->cm_ctx, Buffer, Size));
	if (came_early(&c))
		return early_return(&c, st, ph,
				    "ProtocolCmDropParty completed its drop, "
				    "then returned a status other than "
				    "PENDING");
	/* LCOV_EXCL_BR_START: an assertion (an impossible state) */
	PT_ASSERT_INTERNAL(p->phase == CN_PHASE_IN_HANDLER);
	/* LCOV_EXCL_BR_STOP */
	/* C20 forbids accepting the data (SUCCESS); any failure refuses
	 * it, INVALID_DATA being the one the page names. */
	if (p->close_data && st == NDIS_STATUS_SUCCESS)
		report(&c, CN_RULE_C20, ph, PT_DROPPING, v->state,
		       "ProtocolCmDropParty accepted close data the medium "
		       "does not support");
	if (st == NDIS_STATUS_PENDING) {
		p->phase = CN_PHASE_PENDED;
		return pended(&c);
	}
	if (st == NDIS_STATUS_SUCCESS && last_party_left(e, v)) {
		report(&c, CN_RULE_C11, ph, PT_DROPPING, v->state,
		       "ProtocolCmDropParty dropped the last party (it "
		       "answers FAILURE: the last party leaves with "
		       "NdisClCloseCall)");
		st = NDIS_STATUS_FAILURE; /* L1: the party stays */
	}
	p->phase = CN_PHASE_NONE;
	p->close_data = 0; /* V13 */
	if (st == NDIS_STATUS_SUCCESS)
		ndis_step(e, v, ph, CN_EV_DROP_OK, CN_END_DROPPED_SYNC);
	else
		ndis_step(e, v, ph, CN_EV_DROP_FAIL, CN_END_NONE);
	if (ndis_completes(e)) { /* E2 */
		struct cn_dpc d;

		memset(&d, 0, sizeof(d));
		d.cb = CN_FN_ProtocolClDropPartyComplete;
		d.status = st;
		d.handle = ph;
		d.ctx = (NDIS_HANDLE)pi.ctx;
		return completed_by_ndis(&c, &d);
	}
	return leave(&c, st);
}

static void drop_party_complete(enum cn_fn fn, NDIS_STATUS Status,
				NDIS_HANDLE NdisPartyHandle)
{
	uint64_t ph = _cn_h(NdisPartyHandle);
	struct pt_party_info pi = { .state = PT_FREE };
	struct cn_engine *e;
	struct cn_party *p;
	struct cn_dpc d;
	struct call c;
	struct cn_vc *v;

	enter(&c, fn, ph, 1, Status);
	e = c.e;
	if (!irql_ok(&c, ph) || !cm_ok(&c, ph) || !status_ok(&c, Status, ph) ||
	    (v = party_get(&c, NdisPartyHandle, 0, 1, &pi)) == NULL)
		return leave_void(&c);
	p = side(e, NdisPartyHandle);
	if (pi.state != PT_DROPPING || p->phase == CN_PHASE_NONE) {
		report(&c, CN_RULE_C3, ph, pi.state, v->state,
		       "no pended drop for this party");
		return leave_void(&c);
	}
	/* C20: NdisMCmDropPartyComplete allows any status but PENDING; only
	 * SUCCESS accepts the close data. */
	if (p->close_data && Status == NDIS_STATUS_SUCCESS) {
		report(&c, CN_RULE_C20, ph, pi.state, v->state,
		       "drop with unsupported close data completed with "
		       "SUCCESS");
		return leave_void(&c);
	}
	if (Status == NDIS_STATUS_SUCCESS && last_party_left(e, v)) {
		report(&c, CN_RULE_C11, ph, pi.state, v->state,
		       "drop of the last party completed with SUCCESS (it "
		       "completes with FAILURE: the last party leaves with "
		       "NdisClCloseCall)");
		return leave_void(&c);
	}
	completed(e, p->phase == CN_PHASE_IN_HANDLER, p->req_step); /* E1 */
	p->phase = CN_PHASE_NONE;
	p->close_data = 0; /* V13 */
	memset(&d, 0, sizeof(d));
	d.cb = CN_FN_ProtocolClDropPartyComplete;
	d.status = Status;
	d.handle = ph;
	d.ctx = (NDIS_HANDLE)pi.ctx;
	if (Status == NDIS_STATUS_SUCCESS)
		ndis_step(e, v, ph, CN_EV_DROP_OK, CN_END_DROPPED);
	else
		ndis_step(e, v, ph, CN_EV_DROP_FAIL, CN_END_NONE);
	_cn_deliver(e, c.step, &d); /* N2 */
	leave_void(&c);
}

/* NdisMCmDropPartyComplete is this function (ndis.h). */
VOID NdisCmDropPartyComplete(NDIS_STATUS Status, NDIS_HANDLE NdisPartyHandle)
{
	drop_party_complete(_cn_cm_fn(CN_FN_NdisCmDropPartyComplete,
				      CN_FN_NdisMCmDropPartyComplete),
			    Status, NdisPartyHandle);
}
