/*
 * condis_ddi.c - the DDIs of ndis.h: checks, routing, state changes.
 *
 * Every DDI has the same shape:
 *   1. enter(): one trace step, nesting depth + 1;
 *   2. the checks, in the order condis.h lists them (C1, C5, C4, handles,
 *      NULL arguments, state); the first failure is reported and the call
 *      is rejected BEFORE anything is changed (N1);
 *   3. the state change through the transition tables (condis_machine.c);
 *   4. the call into the peer driver (ProtocolCm* for requests, the
 *      client's handler through _cn_deliver() for completions), after the
 *      engine's own bookkeeping is complete (N2), so that a re-entrant
 *      driver finds a consistent engine;
 *   5. leave(): the trace step gets its return status.
 *
 * Invariants (beyond V1..V13 of condis_check.c):
 *   N1 A rejected call changes nothing but the verifier counters and the
 *      trace.
 *   N2 No driver code runs between a state change and the update of the
 *      counters, phases and owed count that go with it.
 *   N3 While a ProtocolCm* request handler runs, its object is in phase
 *      IN_HANDLER: a completion for it is C3, and every other event that
 *      could move the object is rejected by its own rule (R1, R3, R4, C3,
 *      C13, C22, C25), so the handler's return finds the object where it
 *      left it. While ProtocolCoCreateVc/DeleteVc runs, the VC is busy and
 *      its handle does not validate (C25) for anybody.
 *   N4 owed, stats.cm_pended and stats.client_pended go up together when a
 *      ProtocolCm* request returns PENDING; owed goes down exactly once,
 *      when the CM's accepted completion for it arrives.
 *   L1 (A2) The last party of a PMP call leaves only with NdisClCloseCall:
 *      NDIS fails its drop itself when it is sure (no other party
 *      connected, none dropping), and otherwise (CN_OPT_A2_CM_FAILS, or
 *      another drop in flight) the call manager must answer or complete
 *      the drop that would leave the call no party with FAILURE; SUCCESS
 *      there is C11. So NDIS never fails a drop while another party's
 *      drop is still in flight, and the client's NdisClCloseCall after a
 *      FAILURE never meets R2 for drops.
 *   E2 (A12, CN_OPT_A12_EARLY) NDIS completes a synchronous answer of the
 *      call manager itself: the request's state changes as for any
 *      synchronous answer, then the client's completion handler runs at
 *      once, nested in the request, and the request returns PENDING (the
 *      client, which got PENDING, does not complete it itself, C2).
 *      *NdisPartyHandle is then not written: the handler gets the handle.
 *   E1 (A12) A completion may arrive while its ProtocolCm* handler is
 *      still running: from another CPU, or from the handler itself before
 *      it returns PENDING. It is accepted like any completion (state,
 *      delivery), and the request's trace step goes into e->early
 *      instead of owed; when the handler returns, the request finds its
 *      step there, takes it out, looks at nothing of the answer but its
 *      status (anything but PENDING is C3: a completed request answered
 *      synchronously too) and returns PENDING to the client, whose
 *      completion handler may thus have run already. stats.cm_pended,
 *      cm_completed and client_pended each count it once (N4's totals).
 */
#include <string.h>

#include "condis_ddi.h"
#include "debug.h"
#include "fault.h"

/*
 * VC creation and deletion
 */

/* C26: the out handle variable of a create is there and NULL on entry. */
static int out_vc_ok(struct call *c, uint64_t b, const NDIS_HANDLE *out)
{
	if (out != NULL && *out == NULL)
		return 1;
	report(c, CN_RULE_C26, b, -1, -1,
	       out == NULL ? "NULL NdisVcHandle"
			   : "*NdisVcHandle not NULL on entry");
	return 0;
}

NDIS_STATUS NdisCoCreateVc(NDIS_HANDLE NdisBindingHandle,
			   NDIS_HANDLE NdisAfHandle,
			   NDIS_HANDLE ProtocolVcContext,
			   PNDIS_HANDLE NdisVcHandle)
{
	uint64_t b = _cn_h(NdisBindingHandle);
	struct call c;
	struct cn_engine *e;
	struct cn_vc *v;
	NDIS_HANDLE cm_ctx = NULL;
	NDIS_STATUS st;
	uint64_t vh, step;

	enter(&c, CN_FN_NdisCoCreateVc, b, 0, 0);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.ctx = _cn_h(ProtocolVcContext),
			.out_ptr = out_ptr_of(NdisVcHandle)));
	if (b == CN_H_CM_BINDING && _cn_trace_at(e, c.step) != NULL)
		_cn_trace_at(e, c.step)->actor = CN_ACTOR_CM; /* condis.h */
	if (!irql_ok(&c, b))
		return leave(&c, REJECTED);
	if (b == CN_H_CM_BINDING && e->cm_kind == CN_CM_MINIPORT) {
		report(&c, CN_RULE_C5, b, -1, -1,
		       "an MCM called NdisCoCreateVc (use NdisMCmCreateVc)");
		return leave(&c, REJECTED);
	}
	if (!out_vc_ok(&c, b, NdisVcHandle))
		return leave(&c, REJECTED);
	if (b == CN_H_CM_BINDING) /* a CM-created VC: condis_incoming.c */
		return _cn_cm_vc_create(&c, NdisAfHandle, ProtocolVcContext,
					NdisVcHandle);
	if (b == CN_H_CLIENT_BINDING &&
	    (_cn_af_gone(e) || _cn_af_notified(e))) {
		report(&c, CN_RULE_C28, b, -1, -1,
		       _cn_af_gone(e)
			       ? "NdisCoCreateVc on an address family that is "
				 "closing or closed"
			       : "NdisCoCreateVc after ProtocolClNotifyCloseAf "
				 "(the call manager closes the family: tear "
				 "down only)");
		return leave(&c, REJECTED);
	}
	if (b != CN_H_CLIENT_BINDING || !e->have_client || !e->cm_kind ||
	    _cn_h(NdisAfHandle) != CN_H_AF || e->af_state != CN_AF_OPEN)
		return leave(&c, NDIS_STATUS_FAILURE);
	v = _cn_vc_alloc(e);
	if (v == NULL)
		return leave(&c, NDIS_STATUS_RESOURCES);
	vh = _cn_vc_handle(e, v);
	v->client_ctx = ProtocolVcContext;
	v->busy = CN_VC_BUSY_CREATING; /* N3: not issued until we return */
	step = cb_enter(e, CN_FN_ProtocolCoCreateVc, vh,
			ARGS(.ctx = _cn_h(e->cm_af_ctx)));
	st = cb_leave(e, step,
		      e->cm.CmCreateVcHandler(e->cm_af_ctx, _cn_handle(vh),
					      &cm_ctx));
	cb_out(e, step, cm_ctx);
	v->busy = CN_VC_BUSY_NONE;
	if (st == NDIS_STATUS_PENDING) {
		report(&c, CN_RULE_C26, vh, -1, CN_VC_IDLE,
		       "ProtocolCoCreateVc returned PENDING");
		st = NDIS_STATUS_FAILURE;
	}
	if (st != NDIS_STATUS_SUCCESS) {
		_cn_vc_free(e, v); /* the handle was seen: next generation */
		return leave(&c, st);
	}
	v->cm_ctx = cm_ctx;
	e->stats.vcs_created++;
	*NdisVcHandle = _cn_handle(vh);
	cb_out(e, c.step, _cn_handle(vh));
	return leave(&c, NDIS_STATUS_SUCCESS);
}

NDIS_STATUS NdisCoDeleteVc(NDIS_HANDLE NdisVcHandle)
{
	uint64_t vh = _cn_h(NdisVcHandle);
	struct call c;
	struct cn_engine *e;
	struct cn_vc *v;
	NDIS_STATUS st;
	uint64_t step;

	enter(&c, CN_FN_NdisCoDeleteVc, vh, 0, 0);
	e = c.e;
	if (!irql_ok(&c, vh))
		return leave(&c, REJECTED);
	/* C27: the client deleting the deleted VC of an incoming call it
	 * closed (condis_incoming.c attributes the caller). */
	if (_cn_vc_lookup(e, vh, &v) == PT_E_STALE &&
	    _cn_vc_stale_delete(&c, vh))
		return leave(&c, REJECTED);
	if ((v = vc_get(&c, NdisVcHandle)) == NULL)
		return leave(&c, REJECTED);
	if (v->cm_created)
		return _cn_cm_vc_delete(&c, v);
	if (v->state != CN_VC_IDLE && v->state != CN_VC_CLOSED) {
		int closing = v->state == CN_VC_CLOSING;

		report(&c, CN_RULE_C25, vh, -1, v->state,
		       closing ? "VC deleted while its close is in flight"
			       : "VC deleted while its call is active");
		return leave(&c, closing ? NDIS_STATUS_CLOSING
					 : NDIS_STATUS_NOT_ACCEPTED);
	}
	v->busy = CN_VC_BUSY_DELETING; /* N3: gone for everybody else */
	step = cb_enter(e, CN_FN_ProtocolCoDeleteVc, vh,
			ARGS(.ctx = _cn_h(v->cm_ctx)));
	st = cb_leave(e, step, e->cm.CmDeleteVcHandler(v->cm_ctx));
	v->busy = CN_VC_BUSY_NONE;
	if (st == NDIS_STATUS_PENDING) {
		report(&c, CN_RULE_C26, vh, -1, v->state,
		       "ProtocolCoDeleteVc returned PENDING");
		st = NDIS_STATUS_SUCCESS;
	}
	if (st != NDIS_STATUS_SUCCESS)
		return leave(&c, st);
	_cn_vc_step(e, v, CN_EV_DELETE);
	return leave(&c, NDIS_STATUS_SUCCESS);
}

NDIS_STATUS NdisMCmCreateVc(NDIS_HANDLE MiniportAdapterHandle,
			    NDIS_HANDLE NdisAfHandle,
			    NDIS_HANDLE MiniportVcContext,
			    PNDIS_HANDLE NdisVcHandle)
{
	uint64_t b = _cn_h(MiniportAdapterHandle);
	struct call c;

	enter(&c, CN_FN_NdisMCmCreateVc, b, 0, 0);
	trace_args(c.e, c.step,
		   ARGS(.ctx = _cn_h(MiniportVcContext),
			.out_ptr = out_ptr_of(NdisVcHandle)));
	if (!irql_ok(&c, b) || !role_ok(&c, CN_CM_MINIPORT, b))
		return leave(&c, REJECTED);
	if (!out_vc_ok(&c, b, NdisVcHandle))
		return leave(&c, REJECTED);
	if (b != CN_H_CM_BINDING)
		return leave(&c, NDIS_STATUS_FAILURE);
	/* A CM-created VC: condis_incoming.c. */
	return _cn_cm_vc_create(&c, NdisAfHandle, MiniportVcContext,
				NdisVcHandle);
}

NDIS_STATUS NdisMCmDeleteVc(NDIS_HANDLE NdisVcHandle)
{
	uint64_t vh = _cn_h(NdisVcHandle);
	struct call c;
	struct cn_vc *v;

	enter(&c, CN_FN_NdisMCmDeleteVc, vh, 0, 0);
	if (!irql_ok(&c, vh) || !role_ok(&c, CN_CM_MINIPORT, vh) ||
	    (v = vc_get(&c, NdisVcHandle)) == NULL)
		return leave(&c, REJECTED);
	if (v->cm_created)
		return _cn_cm_vc_delete(&c, v);
	report(&c, CN_RULE_C25, vh, -1, v->state,
	       "the MCM deleted a VC the client created");
	return leave(&c, REJECTED);
}

/*
 * Make call
 */

/* P2/P3 and V3/V4: the make call on @v ended with @st. */
static void make_done(struct cn_engine *e, struct cn_vc *v, NDIS_STATUS st,
		      NDIS_HANDLE cm_party_ctx)
{
	pt_handle_t ph = v->req_party;

	v->req = CN_REQ_NONE;
	v->phase = CN_PHASE_NONE;
	v->req_party = PT_HANDLE_NULL;
	if (st == NDIS_STATUS_SUCCESS) {
		if (ph != PT_HANDLE_NULL) {
			e->pside[pt_handle_index(ph)].cm_ctx = cm_party_ctx;
			ndis_step(e, v, ph, CN_EV_SETUP_OK, CN_END_NONE);
		}
		_cn_vc_step(e, v, CN_EV_SETUP_OK);
	} else {
		if (ph != PT_HANDLE_NULL)
			ndis_step(e, v, ph, CN_EV_SETUP_FAIL,
				  CN_END_SETUP_FAILED);
		v->activated = 0;
		_cn_vc_step(e, v, CN_EV_SETUP_FAIL);
	}
}

NDIS_STATUS NdisClMakeCall(NDIS_HANDLE NdisVcHandle,
			   PCO_CALL_PARAMETERS CallParameters,
			   NDIS_HANDLE ProtocolPartyContext,
			   PNDIS_HANDLE NdisPartyHandle)
{
	uint64_t vh = _cn_h(NdisVcHandle);
	struct call c;
	struct cn_engine *e;
	struct cn_vc *v;
	pt_handle_t ph = PT_HANDLE_NULL;
	NDIS_HANDLE cm_party_ctx = NULL;
	int pmp = ProtocolPartyContext != NULL;
	NDIS_STATUS st;
	uint64_t step;

	enter(&c, CN_FN_NdisClMakeCall, vh, 0, 0);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.ctx = _cn_h(ProtocolPartyContext),
			.params = _cn_h(CallParameters),
			.out_ptr = out_ptr_of(NdisPartyHandle)));
	if (!irql_ok(&c, vh) ||
	    (v = _cn_client_vc_get(&c, NdisVcHandle)) == NULL)
		return leave(&c, REJECTED);
	if (CallParameters == NULL) {
		report(&c, CN_RULE_C8, vh, -1, v->state,
		       "NULL CallParameters");
		return leave(&c, REJECTED);
	}
	if (pmp && NdisPartyHandle == NULL) {
		report(&c, CN_RULE_C7, vh, -1, v->state,
		       "NULL NdisPartyHandle on a point-to-multipoint call");
		return leave(&c, REJECTED);
	}
	if (!af_ok(&c, vh, v,
		   "NdisClMakeCall on a VC of an address family that is "
		   "closing or closed"))
		return leave(&c, REJECTED);
	if (v->cm_created ||
	    (v->state != CN_VC_IDLE &&
	     !(v->state == CN_VC_CLOSED &&
	       !(e->cfg.options & CN_OPT_A7_NO_VC_REUSE)))) {
		report(&c, CN_RULE_C25, vh, -1, v->state,
		       v->cm_created ? "NdisClMakeCall on a VC the call "
				       "manager created"
		       : v->state == CN_VC_CLOSED
			       ? "VC reuse after close is disabled (A7)"
			       : "NdisClMakeCall on a VC that has a call");
		return leave(&c, REJECTED);
	}
	if (pmp &&
	    _cn_party_create(e, v, CN_EV_MAKE_CALL, ProtocolPartyContext,
			     CallParameters, &ph) != PT_OK)
		return leave(&c, NDIS_STATUS_RESOURCES);
	_cn_vc_step(e, v, CN_EV_MAKE_CALL);
	v->pmp = (uint8_t)pmp;
	v->params = CallParameters;
	v->req = CN_REQ_MAKE_CALL;
	v->phase = CN_PHASE_IN_HANDLER; /* N3 */
	v->req_step = c.step;
	v->req_party = ph;

	step = cb_enter(e, CN_FN_ProtocolCmMakeCall, pmp ? ph : vh,
			ARGS(.party = ph, .ctx = _cn_h(v->cm_ctx),
			     .params = _cn_h(CallParameters)));
	st = cb_leave(e, step,
		      e->cm.CmMakeCallHandler(v->cm_ctx, CallParameters,
					      _cn_handle(ph), &cm_party_ctx));
	cb_out(e, step, cm_party_ctx);
	if (came_early(&c))
		return early_return(&c, st, vh,
				    "ProtocolCmMakeCall completed its make "
				    "call, then returned a status other than "
				    "PENDING");
	/* LCOV_EXCL_BR_START: an assertion (an impossible state) */
	PT_ASSERT_INTERNAL(v->state == CN_VC_MAKING &&
			   v->phase == CN_PHASE_IN_HANDLER);
	/* LCOV_EXCL_BR_STOP */
	if (!pmp && cm_party_ctx != NULL) {
		report(&c, CN_RULE_C17, vh, -1, v->state,
		       "ProtocolCmMakeCall set a CallMgrPartyContext on a "
		       "point-to-point call");
		cm_party_ctx = NULL;
	}
	if (st == NDIS_STATUS_PENDING) {
		v->phase = CN_PHASE_PENDED;
		return pended(&c);
	}
	if (st == NDIS_STATUS_SUCCESS) {
		if (!v->activated) {
			report(&c, CN_RULE_C22, vh, -1, v->state,
			       "ProtocolCmMakeCall returned SUCCESS before "
			       "activating the VC");
			v->activated = 1;
		}
		if (pmp && cm_party_ctx == NULL)
			report(&c, CN_RULE_C16, ph, PT_MAKING, v->state,
			       "ProtocolCmMakeCall returned SUCCESS with a "
			       "NULL CallMgrPartyContext");
	} else if (v->activated) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       "ProtocolCmMakeCall failed with the VC activated");
	}
	make_done(e, v, st, cm_party_ctx);
	if (ndis_completes(e)) { /* E2 */
		struct cn_dpc d;

		memset(&d, 0, sizeof(d));
		d.cb = CN_FN_ProtocolClMakeCallComplete;
		d.status = st;
		d.handle = pmp ? ph : vh;
		d.ctx = v->client_ctx;
		d.arg = st == NDIS_STATUS_SUCCESS && pmp ? _cn_handle(ph)
							 : NULL;
		d.params = CallParameters;
		return completed_by_ndis(&c, &d);
	}
	if (st == NDIS_STATUS_SUCCESS && pmp) {
		*NdisPartyHandle = _cn_handle(ph);
		cb_out(e, c.step, _cn_handle(ph));
	}
	return leave(&c, st);
}


static void make_call_complete(enum cn_fn fn, NDIS_STATUS Status,
			       NDIS_HANDLE NdisVcHandle,
			       NDIS_HANDLE NdisPartyHandle,
			       NDIS_HANDLE CallMgrPartyContext,
			       PCO_CALL_PARAMETERS CallParameters)
{
	uint64_t vh = _cn_h(NdisVcHandle);
	struct pt_party_info pi = { .state = PT_FREE };
	struct cn_engine *e;
	struct cn_dpc d;
	struct call c;
	struct cn_vc *v;
	int ok;

	enter(&c, fn, vh, 1, Status);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.party = _cn_h(NdisPartyHandle),
			.ctx = _cn_h(CallMgrPartyContext),
			.params = _cn_h(CallParameters)));
	if (!irql_ok(&c, vh) || !cm_ok(&c, vh) ||
	    !status_ok(&c, Status, vh) ||
	    (v = vc_get(&c, NdisVcHandle)) == NULL)
		return leave_void(&c);
	if (v->req != CN_REQ_MAKE_CALL || v->phase == CN_PHASE_NONE) {
		report(&c, CN_RULE_C3, vh, -1, v->state,
		       "no pended make call on this VC");
		return leave_void(&c);
	}
	if (v->pmp) {
		if (party_get(&c, NdisPartyHandle, 0, 0, &pi) == NULL)
			return leave_void(&c);
		if (_cn_h(NdisPartyHandle) != v->req_party) {
			report(&c, CN_RULE_C3, _cn_h(NdisPartyHandle),
			       pi.state, v->state,
			       "party is not this call's initial party");
			return leave_void(&c);
		}
	} else if (NdisPartyHandle != NULL) {
		report(&c, CN_RULE_C3, _cn_h(NdisPartyHandle), -1, v->state,
		       "party handle on a point-to-point call");
		return leave_void(&c);
	}
	ok = Status == NDIS_STATUS_SUCCESS;
	if (ok && !v->activated) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       "make call completed with SUCCESS before activation");
		return leave_void(&c);
	}
	if (ok && v->pmp && CallMgrPartyContext == NULL) {
		report(&c, CN_RULE_C16, _cn_h(NdisPartyHandle), PT_MAKING,
		       v->state, "SUCCESS with a NULL CallMgrPartyContext");
		return leave_void(&c);
	}
	if (ok && !v->pmp && CallMgrPartyContext != NULL) {
		report(&c, CN_RULE_C17, vh, -1, v->state,
		       "CallMgrPartyContext on a point-to-point call");
		return leave_void(&c);
	}
	if (!ok && v->activated) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       "make call failed with the VC still activated");
		return leave_void(&c);
	}
	completed(e, v->phase == CN_PHASE_IN_HANDLER, v->req_step); /* E1 */
	memset(&d, 0, sizeof(d));
	d.cb = CN_FN_ProtocolClMakeCallComplete;
	d.status = Status;
	d.handle = v->pmp ? v->req_party : vh;
	d.ctx = v->client_ctx;
	d.arg = ok && v->pmp ? NdisPartyHandle : NULL;
	d.params = CallParameters != NULL ? CallParameters : v->params;
	params_read(e, d.params);
	make_done(e, v, Status, CallMgrPartyContext);
	_cn_deliver(e, c.step, &d); /* N2 */
	leave_void(&c);
}

/* NdisMCmMakeCallComplete is this function (ndis.h). */
VOID NdisCmMakeCallComplete(NDIS_STATUS Status, NDIS_HANDLE NdisVcHandle,
			    NDIS_HANDLE NdisPartyHandle,
			    NDIS_HANDLE CallMgrPartyContext,
			    PCO_CALL_PARAMETERS CallParameters)
{
	make_call_complete(_cn_cm_fn(CN_FN_NdisCmMakeCallComplete,
				     CN_FN_NdisMCmMakeCallComplete),
			   Status, NdisVcHandle, NdisPartyHandle,
			   CallMgrPartyContext, CallParameters);
}

/*
 * Activation (C22, A8)
 */

static NDIS_STATUS activate(enum cn_fn fn, int kind, NDIS_HANDLE NdisVcHandle,
			    int on)
{
	uint64_t vh = _cn_h(NdisVcHandle);
	struct call c;
	struct cn_vc *v;

	enter(&c, fn, vh, 0, 0);
	if (!irql_ok(&c, vh) || !role_ok(&c, kind, vh) ||
	    (v = vc_get(&c, NdisVcHandle)) == NULL)
		return leave(&c, REJECTED);
	if (on && ((v->state != CN_VC_MAKING &&
		    !(v->cm_created && v->state == CN_VC_ACCEPTED)) ||
		   v->activated)) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       v->activated ? "VC already activated"
				    : "activation outside a make call");
		return leave(&c, REJECTED);
	}
	if (!on && (!v->activated ||
		    (v->state != CN_VC_MAKING && v->state != CN_VC_CLOSING))) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       !v->activated ? "VC not activated"
				     : "deactivation outside a close or a "
				       "failing make call");
		return leave(&c, REJECTED);
	}
	v->activated = (uint8_t)on;
	return leave(&c, NDIS_STATUS_SUCCESS);
}

NDIS_STATUS NdisCmActivateVc(NDIS_HANDLE NdisVcHandle,
			     PCO_CALL_PARAMETERS CallParameters)
{
	(void)CallParameters;
	return activate(CN_FN_NdisCmActivateVc, CN_CM_STANDALONE, NdisVcHandle,
			1);
}

NDIS_STATUS NdisCmDeactivateVc(NDIS_HANDLE NdisVcHandle)
{
	return activate(CN_FN_NdisCmDeactivateVc, CN_CM_STANDALONE,
			NdisVcHandle, 0);
}

NDIS_STATUS NdisMCmActivateVc(NDIS_HANDLE NdisVcHandle,
			      PCO_CALL_PARAMETERS CallParameters)
{
	(void)CallParameters;
	return activate(CN_FN_NdisMCmActivateVc, CN_CM_MINIPORT, NdisVcHandle,
			1);
}

NDIS_STATUS NdisMCmDeactivateVc(NDIS_HANDLE NdisVcHandle)
{
	return activate(CN_FN_NdisMCmDeactivateVc, CN_CM_MINIPORT,
			NdisVcHandle, 0);
}
