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

#include "condis_internal.h"
#include "debug.h"
#include "fault.h"

#define REJECTED NDIS_STATUS_INVALID_PARAMETER

/* Step 1: C1. */
static int irql_ok(struct call *c, uint64_t h)
{
	return irql_le(c, DISPATCH_LEVEL, h);
}

/*
 * Step 2: C5 for the call-manager families, on the functions that are
 * distinct in the WDK (NdisCm/NdisMCmActivateVc, DeactivateVc,
 * NdisMCmCreateVc/DeleteVc). The completions and indications are one
 * function for both families (ndis.h: the NdisMCm* names are macros), so
 * cm_ok() only asks that a call manager is registered.
 */
static int role_ok(struct call *c, int kind, uint64_t h)
{
	if (c->e->cm_kind == kind)
		return 1;
	report(c, CN_RULE_C5, h, -1, -1,
	       c->e->cm_kind == 0 ? "no call manager is registered"
	       : kind == CN_CM_MINIPORT
		       ? "an MCM function called, but the call manager is a "
			 "stand-alone CM"
		       : "a stand-alone CM function called, but the call "
			 "manager is an MCM");
	return 0;
}

static int cm_ok(struct call *c, uint64_t h)
{
	if (c->e->cm_kind != 0)
		return 1;
	report(c, CN_RULE_C5, h, -1, -1, "no call manager is registered");
	return 0;
}

/* Step 3: C4. */
static int status_ok(struct call *c, NDIS_STATUS st, uint64_t h)
{
	if (st != NDIS_STATUS_PENDING)
		return 1;
	report(c, CN_RULE_C4, h, -1, -1,
	       "completion with NDIS_STATUS_PENDING");
	return 0;
}

static const char *bad_handle_detail(int err, int party)
{
	switch (err) {
	case PT_E_NULL:
		return party ? "NULL party handle" : "NULL VC handle";
	case PT_E_FOREIGN:
		return party ? "not a party handle" : "not a VC handle";
	case PT_E_STALE:
		return party ? "party handle of a party that ended"
			     : "VC handle of a deleted VC";
	default:
		return party ? "party handle never issued"
			     : "VC handle never issued";
	}
}

/* Step 4 for VC handles: C25 for everybody. */
static struct cn_vc *vc_get(struct call *c, NDIS_HANDLE vh)
{
	struct cn_vc *v = NULL;
	int err = _cn_vc_lookup(c->e, _cn_h(vh), &v);

	if (err == PT_OK)
		return v;
	report(c, CN_RULE_C25, _cn_h(vh), -1, -1, bad_handle_detail(err, 0));
	return NULL;
}

/*
 * Step 4 for party handles. The client breaks C9 (C7 if the handle's life
 * ended with a failed setup); the CM breaks C18 (C19 in a drop completion
 * if the life ended with a synchronous drop SUCCESS).
 */
static struct cn_vc *party_get(struct call *c, NDIS_HANDLE ph, int by_client,
			       int drop_complete, struct pt_party_info *pi)
{
	uint64_t h = _cn_h(ph);
	int err = pt_party_lookup(c->e->parties, h, pi);
	enum cn_end how;
	enum cn_rule rule;
	const char *detail = bad_handle_detail(err, 1);

	if (err == PT_OK)
		return &c->e->vcs[pi->vc];
	how = err == PT_E_STALE ? _cn_party_end_reason(c->e, h) : CN_END_NONE;
	if (by_client) {
		rule = CN_RULE_C9;
		if (how == CN_END_SETUP_FAILED) {
			rule = CN_RULE_C7;
			detail = "party handle of a failed MakeCall/AddParty";
		}
	} else {
		rule = CN_RULE_C18;
		if (drop_complete && how == CN_END_DROPPED_SYNC) {
			rule = CN_RULE_C19;
			detail = "the drop already returned SUCCESS "
				 "synchronously";
		}
	}
	report(c, rule, h, err == PT_E_STALE ? PT_DEAD : -1, -1, detail);
	return NULL;
}

static struct cn_party *side(struct cn_engine *e, NDIS_HANDLE ph)
{
	return &e->pside[pt_handle_index(_cn_h(ph))];
}

static int has_close_data(struct cn_engine *e, PVOID buf, UINT size)
{
	return (buf != NULL || size != 0) &&
	       !(e->cfg.options & CN_OPT_CLOSE_DATA);
}

/*
 * A party state change NDIS itself makes after its checks passed: it uses
 * a handle it just validated (or holds in its own records), so a failure
 * here is NDIS using an invalidated NdisPartyHandle: an engine bug, fatal
 * in every build with assertions.
 */
static void ndis_step(struct cn_engine *e, struct cn_vc *v, pt_handle_t h,
		      enum cn_event ev, enum cn_end how)
{
	int err = _cn_party_step(e, v, h, ev, how);

	PT_ASSERT(err == PT_OK);
	(void)err;
}

/* A ProtocolCm* request returned PENDING (N4). */
static NDIS_STATUS pended(struct call *c)
{
	c->e->owed++;
	c->e->stats.cm_pended++;
	c->e->stats.client_pended++;
	return leave(c, NDIS_STATUS_PENDING);
}

/* An accepted CM completion (N4), or one that came early (E1): the
 * request of trace step @req_step is still in its handler. */
static void completed(struct cn_engine *e, int early, uint64_t req_step)
{
	if (early) {
		PT_ASSERT(e->n_early < CN_CB_NEST);
		if (e->n_early < CN_CB_NEST)
			e->early[e->n_early++] = req_step;
		e->stats.cm_completed++;
		return;
	}
	PT_ASSERT_INTERNAL(e->owed > 0);
	e->owed--;
	e->stats.cm_completed++;
}

/* E2: does NDIS complete the call manager's synchronous answers itself? */
static int ndis_completes(const struct cn_engine *e)
{
	return !!(e->cfg.options & CN_OPT_A12_EARLY);
}

/* E2: NDIS completes the synchronous answer of the request @c itself,
 * with the client callback @d (filled in by the caller). Return: the
 * request's status, PENDING. */
static NDIS_STATUS completed_by_ndis(struct call *c, struct cn_dpc *d)
{
	c->e->stats.client_pended++;
	_cn_deliver_now(c->e, d); /* N2: after the state change */
	return leave(c, NDIS_STATUS_PENDING);
}

/* E1: did the request of @c complete while its handler ran? Takes its
 * step out of e->early. */
static int came_early(struct call *c)
{
	struct cn_engine *e = c->e;
	uint32_t i;

	for (i = 0; i < e->n_early; i++)
		if (e->early[i] == c->step) {
			e->early[i] = e->early[--e->n_early];
			return 1;
		}
	return 0;
}

/* E1: the handler of an early-completed request returned @st. */
static NDIS_STATUS early_return(struct call *c, NDIS_STATUS st, uint64_t h,
				const char *detail)
{
	if (st != NDIS_STATUS_PENDING)
		report(c, CN_RULE_C3, h, -1, -1, detail);
	c->e->stats.cm_pended++;
	c->e->stats.client_pended++;
	return leave(c, NDIS_STATUS_PENDING);
}

/*
 * C28: a call or party request on a VC of the client's family while that
 * family is closing or closed (condis_af.c); @msg names the request (a
 * literal: reports keep the pointer). Return: 1 if the request may go on.
 */
static int af_ok(struct call *c, uint64_t vh, const struct cn_vc *v,
		 const char *msg)
{
	if (!_cn_af_gone(c->e))
		return 1;
	report(c, CN_RULE_C28, vh, -1, v->state, msg);
	return 0;
}

/*
 * VC creation and deletion
 */

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
	if (NdisVcHandle == NULL || *NdisVcHandle != NULL) {
		report(&c, CN_RULE_C26, b, -1, -1,
		       NdisVcHandle == NULL
			       ? "NULL NdisVcHandle"
			       : "*NdisVcHandle not NULL on entry");
		return leave(&c, REJECTED);
	}
	if (b == CN_H_CM_BINDING) /* a CM-created VC: condis_incoming.c */
		return _cn_cm_vc_create(&c, NdisAfHandle, ProtocolVcContext,
					NdisVcHandle);
	if (b == CN_H_CLIENT_BINDING && _cn_af_gone(e)) {
		report(&c, CN_RULE_C28, b, -1, -1,
		       "NdisCoCreateVc on an address family that is closing "
		       "or closed");
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
	if (NdisVcHandle == NULL || *NdisVcHandle != NULL) {
		report(&c, CN_RULE_C26, b, -1, -1,
		       NdisVcHandle == NULL
			       ? "NULL NdisVcHandle"
			       : "*NdisVcHandle not NULL on entry");
		return leave(&c, REJECTED);
	}
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
	PT_ASSERT_INTERNAL(v->state == CN_VC_MAKING &&
			   v->phase == CN_PHASE_IN_HANDLER);
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

/*
 * C8: NDIS reads the CallParameters at a make-call or add completion (the
 * call manager may have changed them, saying so with
 * CALL_PARAMETERS_CHANGED) before it hands them to the client's handler.
 * That read is why they must stay alive while the request pends: a client
 * that freed them with plain free() shows here as a heap-use-after-free
 * under ASan (B10); one that freed them through NDIS was refused (F1 of
 * ndis_services.c).
 */
static void params_read(struct cn_engine *e, const CO_CALL_PARAMETERS *cp)
{
	if (cp != NULL && (cp->Flags & CALL_PARAMETERS_CHANGED))
		e->stats.params_changed++;
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
	PT_ASSERT_INTERNAL(p->phase == CN_PHASE_IN_HANDLER);
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
	PT_ASSERT_INTERNAL(p->phase == CN_PHASE_IN_HANDLER);
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

/*
 * Close call
 */

/* P13/P14 and V7/V8: the close on @v ended with @st. */
static void close_done(struct cn_engine *e, struct cn_vc *v, NDIS_STATUS st)
{
	pt_handle_t ph = v->req_party;
	int ok = st == NDIS_STATUS_SUCCESS;

	v->req = CN_REQ_NONE;
	v->phase = CN_PHASE_NONE;
	v->req_party = PT_HANDLE_NULL;
	v->close_data = 0; /* V13 */
	if (ph != PT_HANDLE_NULL)
		ndis_step(e, v, ph, ok ? CN_EV_CLOSE_OK : CN_EV_CLOSE_FAIL,
			  ok ? CN_END_CLOSED : CN_END_NONE);
	_cn_vc_step(e, v, ok ? CN_EV_CLOSE_OK : CN_EV_CLOSE_FAIL);
}

NDIS_STATUS NdisClCloseCall(NDIS_HANDLE NdisVcHandle,
			    NDIS_HANDLE NdisPartyHandle, PVOID Buffer,
			    UINT Size)
{
	uint64_t vh = _cn_h(NdisVcHandle), ph = _cn_h(NdisPartyHandle);
	struct pt_party_info pi = { .state = PT_FREE };
	struct cn_engine *e;
	struct call c;
	struct cn_vc *v, *pv;
	NDIS_HANDLE cm_party_ctx = NULL;
	NDIS_STATUS st;
	uint64_t step;

	enter(&c, CN_FN_NdisClCloseCall, vh, 0, 0);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.party = ph, .data = _cn_h(Buffer), .size = Size));
	if (!irql_ok(&c, vh) ||
	    (v = _cn_client_vc_get(&c, NdisVcHandle)) == NULL)
		return leave(&c, REJECTED);
	if (v->state == CN_VC_OFFERED || v->state == CN_VC_ACCEPTED) {
		report(&c, CN_RULE_R1, vh, -1, v->state,
		       "close while the incoming call is being set up");
		return leave(&c, REJECTED);
	}
	if (v->state == CN_VC_MAKING || v->state == CN_VC_CLOSING ||
	    v->state == CN_VC_IDLE || v->state == CN_VC_CLOSED) {
		report(&c,
		       v->state == CN_VC_MAKING    ? CN_RULE_R1
		       : v->state == CN_VC_CLOSING ? CN_RULE_R3
						   : CN_RULE_C11,
		       vh, -1, v->state,
		       v->state == CN_VC_MAKING ? "close while the make call "
						  "is in flight"
		       : v->state == CN_VC_CLOSING
			       ? "close while a close is in flight"
			       : "no call to close");
		return leave(&c, REJECTED);
	}
	if (v->pmp) {
		if (NdisPartyHandle == NULL) {
			report(&c, CN_RULE_C11, vh, -1, v->state,
			       "NULL party on a point-to-multipoint call");
			return leave(&c, REJECTED);
		}
		if ((pv = party_get(&c, NdisPartyHandle, 1, 0, &pi)) == NULL)
			return leave(&c, REJECTED);
		if (pv != v) {
			report(&c, CN_RULE_C11, ph, pi.state, v->state,
			       "party of another VC");
			return leave(&c, REJECTED);
		}
		if (pi.state == PT_MAKING || pi.state == PT_ADDING) {
			report(&c, CN_RULE_R1, ph, pi.state, v->state,
			       "close naming a party whose setup is in "
			       "flight");
			return leave(&c, REJECTED);
		}
		if (pi.state == PT_DROPPING) {
			report(&c, CN_RULE_R3, ph, pi.state, v->state,
			       "close naming a party being dropped");
			return leave(&c, REJECTED);
		}
		if (v->active > 1) {
			report(&c, CN_RULE_C11, ph, pi.state, v->state,
			       "close with more than one party left");
			return leave(&c, REJECTED);
		}
		if (v->adding || v->dropping) {
			report(&c, CN_RULE_R2, ph, pi.state, v->state,
			       "close while adds or drops are in flight");
			return leave(&c, REJECTED);
		}
		cm_party_ctx = side(e, NdisPartyHandle)->cm_ctx;
	} else if (NdisPartyHandle != NULL) {
		report(&c, CN_RULE_C11, ph, -1, v->state,
		       "party handle on a point-to-point call");
		return leave(&c, REJECTED);
	}
	if (!_cn_send_close_ok(&c, v, vh)) /* C23, condis_send.c */
		return leave(&c, REJECTED);
	_cn_vc_step(e, v, CN_EV_CLOSE);
	if (v->pmp)
		ndis_step(e, v, ph, CN_EV_CLOSE, CN_END_NONE);
	v->req = CN_REQ_CLOSE_CALL;
	v->phase = CN_PHASE_IN_HANDLER; /* N3 */
	v->req_step = c.step;
	v->req_party = v->pmp ? ph : PT_HANDLE_NULL;
	v->close_data = (uint8_t)has_close_data(e, Buffer, Size);

	step = cb_enter(e, CN_FN_ProtocolCmCloseCall, v->pmp ? ph : vh,
			ARGS(.ctx = _cn_h(v->cm_ctx),
			     .ctx2 = _cn_h(cm_party_ctx),
			     .data = _cn_h(Buffer), .size = Size));
	st = cb_leave(e, step,
		      e->cm.CmCloseCallHandler(v->cm_ctx, cm_party_ctx, Buffer,
					       Size));
	if (came_early(&c))
		return early_return(&c, st, vh,
				    "ProtocolCmCloseCall completed its close, "
				    "then returned a status other than "
				    "PENDING");
	PT_ASSERT_INTERNAL(v->state == CN_VC_CLOSING &&
			   v->phase == CN_PHASE_IN_HANDLER);
	if (v->close_data && st == NDIS_STATUS_SUCCESS) /* as for drops */
		report(&c, CN_RULE_C20, vh, -1, v->state,
		       "ProtocolCmCloseCall accepted close data the medium "
		       "does not support");
	if (st == NDIS_STATUS_PENDING) {
		v->phase = CN_PHASE_PENDED;
		return pended(&c);
	}
	if (st == NDIS_STATUS_SUCCESS && v->activated) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       "ProtocolCmCloseCall returned SUCCESS without "
		       "deactivating the VC");
		v->activated = 0;
	} else if (st != NDIS_STATUS_SUCCESS && !v->activated) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       "ProtocolCmCloseCall failed after deactivating the VC");
		v->activated = 1; /* A6: the call stays up */
	}
	close_done(e, v, st);
	if (ndis_completes(e)) { /* E2 */
		struct cn_dpc d;

		memset(&d, 0, sizeof(d));
		d.cb = CN_FN_ProtocolClCloseCallComplete;
		d.status = st;
		d.handle = v->pmp ? ph : vh;
		d.ctx = v->client_ctx;
		d.arg = v->pmp ? (NDIS_HANDLE)pi.ctx : NULL;
		return completed_by_ndis(&c, &d);
	}
	return leave(&c, st);
}

static void close_call_complete(enum cn_fn fn, NDIS_STATUS Status,
				NDIS_HANDLE NdisVcHandle,
				NDIS_HANDLE NdisPartyHandle)
{
	uint64_t vh = _cn_h(NdisVcHandle), ph = _cn_h(NdisPartyHandle);
	struct pt_party_info pi = { .state = PT_FREE };
	struct cn_engine *e;
	struct cn_dpc d;
	struct call c;
	struct cn_vc *v;

	enter(&c, fn, vh, 1, Status);
	e = c.e;
	trace_args(e, c.step, ARGS(.party = ph));
	if (!irql_ok(&c, vh) || !cm_ok(&c, vh) ||
	    !status_ok(&c, Status, vh) ||
	    (v = vc_get(&c, NdisVcHandle)) == NULL)
		return leave_void(&c);
	if (v->req != CN_REQ_CLOSE_CALL || v->phase == CN_PHASE_NONE) {
		report(&c, CN_RULE_C3, vh, -1, v->state,
		       "no pended close on this VC");
		return leave_void(&c);
	}
	if (ph != v->req_party) {
		if (NdisPartyHandle != NULL &&
		    party_get(&c, NdisPartyHandle, 0, 0, &pi) == NULL)
			return leave_void(&c);
		report(&c, CN_RULE_C21, ph,
		       NdisPartyHandle ? (int)pi.state : -1, v->state,
		       v->pmp ? "not the party being closed"
			      : "party handle on a point-to-point close");
		return leave_void(&c);
	}
	if (v->close_data && Status == NDIS_STATUS_SUCCESS) {
		report(&c, CN_RULE_C20, vh, -1, v->state,
		       "close with unsupported close data completed with "
		       "SUCCESS");
		return leave_void(&c);
	}
	if (Status == NDIS_STATUS_SUCCESS && v->activated) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       "close completed with SUCCESS before deactivation");
		return leave_void(&c);
	}
	if (Status != NDIS_STATUS_SUCCESS && !v->activated) {
		/* A6 keeps the call up: it must still be active. */
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       "close failed after the VC was deactivated");
		return leave_void(&c);
	}
	completed(e, v->phase == CN_PHASE_IN_HANDLER, v->req_step); /* E1 */
	memset(&d, 0, sizeof(d));
	d.cb = CN_FN_ProtocolClCloseCallComplete;
	d.status = Status;
	d.handle = v->pmp ? ph : vh;
	d.ctx = v->client_ctx;
	if (v->pmp) {
		struct pt_party_info cpi;

		if (pt_party_lookup(e->parties, ph, &cpi) == PT_OK)
			d.arg = (NDIS_HANDLE)cpi.ctx;
	}
	close_done(e, v, Status);
	_cn_deliver(e, c.step, &d); /* N2 */
	leave_void(&c);
}

/* NdisMCmCloseCallComplete is this function (ndis.h). */
VOID NdisCmCloseCallComplete(NDIS_STATUS Status, NDIS_HANDLE NdisVcHandle,
			     NDIS_HANDLE NdisPartyHandle)
{
	close_call_complete(_cn_cm_fn(CN_FN_NdisCmCloseCallComplete,
				      CN_FN_NdisMCmCloseCallComplete),
			    Status, NdisVcHandle, NdisPartyHandle);
}

/*
 * Indications from the network side
 */

static void incoming_drop(enum cn_fn fn, NDIS_STATUS DropStatus,
			  NDIS_HANDLE NdisPartyHandle, PVOID Buffer, UINT Size)
{
	uint64_t ph = _cn_h(NdisPartyHandle);
	struct pt_party_info pi = { .state = PT_FREE };
	struct cn_engine *e;
	struct cn_dpc d;
	struct call c;
	struct cn_vc *v;

	enter(&c, fn, ph, 1, DropStatus);
	e = c.e;
	trace_args(e, c.step, ARGS(.data = _cn_h(Buffer), .size = Size));
	if (!irql_ok(&c, ph) || !cm_ok(&c, ph) ||
	    (v = party_get(&c, NdisPartyHandle, 0, 0, &pi)) == NULL)
		return leave_void(&c);
	if (pi.state == PT_DROPPING || pi.state == PT_CLOSING ||
	    pi.state == PT_REMOTE_DROPPED) {
		report(&c, CN_RULE_R4, ph, pi.state, v->state,
		       pi.state == PT_REMOTE_DROPPED
			       ? "party already dropped by the network (its "
				 "indication run or still queued as a DPC)"
			       : "party is being dropped or closed");
		return leave_void(&c);
	}
	if (pi.state != PT_ACTIVE || v->active < 2) {
		report(&c, CN_RULE_C13, ph, pi.state, v->state,
		       pi.state != PT_ACTIVE
			       ? "party is not connected"
			       : "last connected party (use incoming close)");
		return leave_void(&c);
	}
	ndis_step(e, v, ph, CN_EV_INCOMING_DROP, CN_END_NONE);
	memset(&d, 0, sizeof(d));
	d.cb = CN_FN_ProtocolClIncomingDropParty;
	d.status = DropStatus;
	d.handle = ph;
	d.ctx = (NDIS_HANDLE)pi.ctx;
	d.data = Buffer;
	d.size = Size;
	_cn_deliver(e, c.step, &d); /* N2 */
	leave_void(&c);
}

/* NdisMCmDispatchIncomingDropParty is this function (ndis.h). */
VOID NdisCmDispatchIncomingDropParty(NDIS_STATUS DropStatus,
				     NDIS_HANDLE NdisPartyHandle, PVOID Buffer,
				     UINT Size)
{
	incoming_drop(_cn_cm_fn(CN_FN_NdisCmDispatchIncomingDropParty,
				CN_FN_NdisMCmDispatchIncomingDropParty),
		      DropStatus, NdisPartyHandle, Buffer, Size);
}

static void incoming_close(enum cn_fn fn, NDIS_STATUS CloseStatus,
			   NDIS_HANDLE NdisVcHandle, PVOID Buffer, UINT Size)
{
	uint64_t vh = _cn_h(NdisVcHandle);
	struct cn_engine *e;
	struct cn_dpc d;
	struct call c;
	struct cn_vc *v;

	enter(&c, fn, vh, 1, CloseStatus);
	e = c.e;
	trace_args(e, c.step, ARGS(.data = _cn_h(Buffer), .size = Size));
	if (!irql_ok(&c, vh) || !cm_ok(&c, vh) ||
	    (v = vc_get(&c, NdisVcHandle)) == NULL)
		return leave_void(&c);
	if (v->state != CN_VC_CONNECTED) {
		report(&c, CN_RULE_C13, vh, -1, v->state,
		       v->state == CN_VC_REMOTE_CLOSED
			       ? "second incoming close: the network already "
				 "closed this call"
			       : "incoming close on a VC without a connected "
				 "call");
		return leave_void(&c);
	}
	_cn_vc_step(e, v, CN_EV_INCOMING_CLOSE);
	memset(&d, 0, sizeof(d));
	d.cb = CN_FN_ProtocolClIncomingCloseCall;
	d.status = CloseStatus;
	d.handle = vh;
	d.ctx = v->client_ctx;
	d.data = Buffer;
	d.size = Size;
	_cn_deliver(e, c.step, &d); /* N2 */
	leave_void(&c);
}

/* NdisMCmDispatchIncomingCloseCall is this function (ndis.h). */
VOID NdisCmDispatchIncomingCloseCall(NDIS_STATUS CloseStatus,
				     NDIS_HANDLE NdisVcHandle, PVOID Buffer,
				     UINT Size)
{
	incoming_close(_cn_cm_fn(CN_FN_NdisCmDispatchIncomingCloseCall,
				 CN_FN_NdisMCmDispatchIncomingCloseCall),
		       CloseStatus, NdisVcHandle, Buffer, Size);
}
