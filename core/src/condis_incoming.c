/*
 * condis_incoming.c - VCs the call manager creates: incoming calls.
 *
 * The lifecycle (spec 2, "NdisCoCreateVc", and the CM-created rows of
 * NdisCoDeleteVc and ProtocolClCloseCallComplete; rows V10..V14 of
 * condis_machine.c):
 *
 *   CM: NdisCoCreateVc (its own binding) / NdisMCmCreateVc
 *       -> client's ProtocolCoCreateVc (never PENDING, C26)    IDLE
 *   CM: Ndis(M)CmDispatchIncomingCall(SAP, VC, CallParameters)
 *       -> client's ProtocolClIncomingCall                     OFFERED
 *   client: SUCCESS (accept) / failure (reject) returned, or PENDING
 *       and later NdisClIncomingCallComplete
 *       -> CM's ProtocolCmIncomingCallComplete     ACCEPTED / IDLE
 *   CM: Ndis(M)CmActivateVc, Ndis(M)CmDispatchCallConnected
 *       -> client's ProtocolClCallConnected                    CONNECTED
 *   teardown as for any P2P call: the client's NdisClCloseCall, or the
 *   CM's incoming close and then the client's NdisClCloseCall  CLOSED
 *   CM: Ndis(M)CmDeleteVc / NdisCoDeleteVc
 *       -> client's ProtocolCoDeleteVc                         (deleted)
 *
 * An incoming call is point-to-point at the client: the client is a
 * leaf, no party handle. Only the CM deletes such a VC (C25: the client
 * deleting it is B15); after its close completed the client passes its
 * handle to nothing (C27, B16); the client's ProtocolVcContext lives
 * until ProtocolCoDeleteVc (C24, F1 of ndis_services.c).
 *
 * NdisCoDeleteVc names no caller: for a CM-created VC the engine takes the
 * driver of the innermost running callback, or the top-level actor the
 * harness set (cn_actor_set()), and records it as the step's actor.
 *
 * Invariants (cited below; cn_call_validate() checks V15, V16):
 *   I1 A CM-created VC is P2P, never MAKING; OFFERED and ACCEPTED are its
 *      states alone.
 *   I2 offer_phase is not NONE iff the VC is OFFERED: IN_HANDLER while
 *      ProtocolClIncomingCall runs, PENDED after it returned PENDING.
 *      NdisClIncomingCallComplete is accepted in either (IN_HANDLER: the
 *      client completed from inside its handler, A12's reading for the
 *      client) and then the dispatch returns PENDING whatever the
 *      handler answers (anything else is C3).
 *   I3 The CM deletes its VC only when IDLE or CLOSED. A client callback
 *      of the VC still queued as a DPC (its close completion, an incoming
 *      close) hands over the ProtocolVcContext that ProtocolCoDeleteVc
 *      ends, so NDIS defers the rest of the delete: the call returns
 *      SUCCESS at once, the VC is marked delete_owed (a second delete is
 *      C25), and when the last such DPC has run (or been cancelled),
 *      cn_dpc_run() runs the client's ProtocolCoDeleteVc there, at
 *      DISPATCH_LEVEL, and the VC goes (V14).
 */
#include <string.h>

#include "condis_internal.h"
#include "debug.h"

/* The SAP the handle @h names, registered, or NULL. */
struct cn_sap *_cn_sap_lookup(struct cn_engine *e, uint64_t h)
{
	uint32_t k = pt_handle_index(h) - CN_SAP_INDEX0;

	if (pt_handle_tag(h) != CN_TAG_NDIS || k >= CN_MAX_SAPS ||
	    e->saps[k].state != CN_SAP_REGISTERED ||
	    pt_handle_pack(CN_TAG_NDIS, e->saps[k].gen, CN_SAP_INDEX0 + k) !=
		    h)
		return NULL;
	return &e->saps[k];
}

int _cn_vc_stale_cm_closed(const struct cn_engine *e, uint64_t h)
{
	uint32_t idx = pt_handle_index(h);
	const struct cn_vc *v;

	/* Both callers ask only of a handle _cn_vc_lookup() found stale: a
	 * VC tag and an index in range. */
	if (pt_handle_tag(h) != CN_TAG_VC || idx >= e->cfg.max_vcs)
		return 0; /* LCOV_EXCL_LINE: impossible (above) */
	v = &e->vcs[idx];
	return v->ended_cm_closed && v->ended_gen == pt_handle_gen(h);
}

struct cn_vc *_cn_vc_ctx_in(struct cn_engine *e, const void *va, size_t len)
{
	uintptr_t b = (uintptr_t)va;
	uint32_t i;

	for (i = 0; i < e->cfg.max_vcs; i++) {
		struct cn_vc *v = &e->vcs[i];
		uintptr_t o = (uintptr_t)v->client_ctx;

		/* Deleting: ProtocolCoDeleteVc is where it is freed. */
		if (!v->cm_created || v->client_ctx == NULL ||
		    v->busy == CN_VC_BUSY_DELETING || v->state == CN_VC_FREE ||
		    v->state == CN_VC_PARKED)
			continue;
		/* Unsigned difference: one compare is the range check. */
		if (len == 0 ? o == b : o - b < len)
			return v;
	}
	return NULL;
}

/* The actor field of step @step (condis.h: CM-created VC steps). */
PT_NO_COVERAGE static void set_actor(struct cn_engine *e, uint64_t step,
				     uint8_t actor)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);

	if (t != NULL)
		t->actor = actor;
}

/* A callback into the client about a CM-created VC: cb_enter() with the
 * client as the callee. */
static uint64_t client_cb_enter(struct cn_engine *e, enum cn_fn fn, uint64_t h,
				const struct cn_trace_entry *a)
{
	uint64_t step = cb_enter(e, fn, h, a);

	set_actor(e, step, CN_ACTOR_CLIENT);
	if (e->n_who > 0 && e->n_who <= CN_CB_NEST)
		e->who[e->n_who - 1] = CN_ACTOR_CLIENT;
	return step;
}

int _cn_vc_stale_delete(struct call *c, uint64_t vh)
{
	uint8_t who = _cn_caller(c->e);

	if (!_cn_vc_stale_cm_closed(c->e, vh))
		return 0;
	set_actor(c->e, c->step, who);
	if (who != CN_ACTOR_CLIENT)
		return 0;
	(void)_cn_client_vc_get(c, _cn_handle(vh)); /* reports C27 */
	return 1;
}

void cn_actor_set(enum cn_actor actor)
{
	_cn_engine_get()->actor_top = (uint8_t)actor;
}

/*
 * Creation: NdisCoCreateVc from the CM's binding and NdisMCmCreateVc,
 * after their C1, C5 and C26 checks (condis_ddi.c).
 */
NDIS_STATUS _cn_cm_vc_create(struct call *c, NDIS_HANDLE NdisAfHandle,
			     NDIS_HANDLE CmVcContext,
			     PNDIS_HANDLE NdisVcHandle)
{
	struct cn_engine *e = c->e;
	NDIS_HANDLE cl_ctx = NULL;
	struct cn_vc *v;
	NDIS_STATUS st;
	uint64_t vh, step;

	if (!e->have_client || e->cl.ClCreateVcHandler == NULL ||
	    _cn_h(NdisAfHandle) != CN_H_AF || e->af_state != CN_AF_OPEN)
		return leave(c, NDIS_STATUS_FAILURE);
	v = _cn_vc_alloc(e);
	if (v == NULL)
		return leave(c, NDIS_STATUS_RESOURCES);
	vh = _cn_vc_handle(e, v);
	v->cm_ctx = CmVcContext;
	v->cm_created = 1;             /* I1 */
	v->busy = CN_VC_BUSY_CREATING; /* N3: not issued until we return */
	step = client_cb_enter(e, CN_FN_ProtocolCoCreateVc, vh,
			       ARGS(.ctx = _cn_h(e->cl_af_ctx)));
	st = cb_leave(e, step,
		      e->cl.ClCreateVcHandler(e->cl_af_ctx, _cn_handle(vh),
					      &cl_ctx));
	cb_out(e, step, cl_ctx);
	v->busy = CN_VC_BUSY_NONE;
	if (st == NDIS_STATUS_PENDING) {
		report(c, CN_RULE_C26, vh, -1, CN_VC_IDLE,
		       "the client's ProtocolCoCreateVc returned PENDING");
		st = NDIS_STATUS_FAILURE;
	}
	if (st != NDIS_STATUS_SUCCESS) {
		_cn_vc_free(e, v); /* the handle was seen: next generation */
		return leave(c, st);
	}
	v->client_ctx = cl_ctx;
	e->stats.vcs_created++;
	*NdisVcHandle = _cn_handle(vh);
	cb_out(e, c->step, _cn_handle(vh));
	return leave(c, NDIS_STATUS_SUCCESS);
}

/* I3: a client callback about @vh still queued as a DPC? */
static int queued_for(const struct cn_engine *e, uint64_t vh)
{
	uint32_t cpu, k;

	for (cpu = 0; cpu < e->cfg.cpu_count; cpu++)
		for (k = 0; k < e->dpc_len[cpu]; k++)
			if (e->dpc[cpu * e->cfg.dpc_capacity + k].handle == vh)
				return 1;
	return 0;
}

/* V14: the client's ProtocolCoDeleteVc (if it has one), and @v goes.
 * Return: the status the delete answers. */
static NDIS_STATUS delete_now(struct cn_engine *e, struct call *c,
			      struct cn_vc *v)
{
	uint64_t vh = _cn_vc_handle(e, v), step, rstep;
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;

	if (e->cl.ClDeleteVcHandler != NULL) {
		v->busy = CN_VC_BUSY_DELETING; /* N3: gone for everybody */
		step = client_cb_enter(e, CN_FN_ProtocolCoDeleteVc, vh,
				       ARGS(.ctx = _cn_h(v->client_ctx)));
		st = cb_leave(e, step, e->cl.ClDeleteVcHandler(v->client_ctx));
		v->busy = CN_VC_BUSY_NONE;
		if (st == NDIS_STATUS_PENDING) {
			rstep = c != NULL ? c->step : step;
			_cn_report(e, CN_RULE_C26,
				   c != NULL ? c->fn
					     : CN_FN_ProtocolCoDeleteVc,
				   rstep, vh, -1, v->state,
				   "the client's ProtocolCoDeleteVc returned "
				   "PENDING");
			st = NDIS_STATUS_SUCCESS;
		}
	}
	if (st == NDIS_STATUS_SUCCESS)
		_cn_vc_step(e, v, CN_EV_CM_DELETE);
	return st;
}

void _cn_cm_vc_delete_due(struct cn_engine *e, uint64_t vh)
{
	struct cn_vc *v;

	if (_cn_vc_lookup(e, vh, &v) != PT_OK || !v->delete_owed ||
	    queued_for(e, vh))
		return;
	v->delete_owed = 0;
	(void)delete_now(e, NULL, v); /* a refusal leaves the VC CLOSED */
}

/*
 * Deletion of the CM-created VC @v: NdisCoDeleteVc (after C1 and the
 * handle check) and NdisMCmDeleteVc (after C1, C5 and the handle check).
 */
NDIS_STATUS _cn_cm_vc_delete(struct call *c, struct cn_vc *v)
{
	struct cn_engine *e = c->e;
	uint64_t vh = _cn_vc_handle(e, v);
	uint8_t who =
		c->fn == CN_FN_NdisMCmDeleteVc ? CN_ACTOR_MCM : _cn_caller(e);

	if (c->fn == CN_FN_NdisCoDeleteVc)
		set_actor(e, c->step, who);
	if (who == CN_ACTOR_CLIENT) {
		int closed = _cn_vc_cm_closed(v);

		report(c, closed ? CN_RULE_C27 : CN_RULE_C25, vh, -1, v->state,
		       closed ? "the client used the VC handle after the "
				"close of its incoming call completed"
			      : "the client deleted a VC the call manager "
				"created");
		return leave(c, NDIS_STATUS_NOT_ACCEPTED);
	}
	if (c->fn == CN_FN_NdisCoDeleteVc && e->cm_kind == CN_CM_MINIPORT) {
		report(c, CN_RULE_C5, vh, -1, v->state,
		       "an MCM called NdisCoDeleteVc (use NdisMCmDeleteVc)");
		return leave(c, REJECTED);
	}
	if (v->delete_owed) {
		report(c, CN_RULE_C25, vh, -1, v->state,
		       "VC already deleted (NDIS still delivers a client "
		       "callback of it)");
		return leave(c, NDIS_STATUS_NOT_ACCEPTED);
	}
	if (v->state != CN_VC_IDLE && v->state != CN_VC_CLOSED) {
		int closing = v->state == CN_VC_CLOSING;

		report(c, CN_RULE_C25, vh, -1, v->state,
		       closing ? "VC deleted while its close is in flight"
			       : "VC deleted while its call is active");
		return leave(c, closing && c->fn == CN_FN_NdisCoDeleteVc
					? NDIS_STATUS_CLOSING
					: NDIS_STATUS_NOT_ACCEPTED);
	}
	if (queued_for(e, vh)) { /* I3: the rest when the DPCs ran */
		v->delete_owed = 1;
		return leave(c, NDIS_STATUS_SUCCESS);
	}
	return leave(c, delete_now(e, c, v));
}

/*
 * Ndis(M)CmDispatchIncomingCall: the CM offers a call on its VC to the
 * client's SAP. Checks: C1, C5 (a call manager), C25 (the VC handle);
 * a VC the client created, or one not IDLE: C13; a SAP handle that names
 * no registered SAP, NULL CallParameters or a client without
 * ProtocolClIncomingCall: NDIS_STATUS_FAILURE, no report.
 */
static NDIS_STATUS incoming_call(enum cn_fn fn, NDIS_HANDLE NdisSapHandle,
				 NDIS_HANDLE NdisVcHandle,
				 PCO_CALL_PARAMETERS CallParameters)
{
	uint64_t vh = _cn_h(NdisVcHandle), step;
	struct cn_engine *e;
	struct cn_sap *s;
	struct call c;
	struct cn_vc *v;
	NDIS_STATUS st;

	enter(&c, fn, vh, 0, 0);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.ctx = _cn_h(NdisSapHandle),
			.params = _cn_h(CallParameters)));
	if (!irql_le(&c, DISPATCH_LEVEL, vh))
		return leave(&c, REJECTED);
	if (e->cm_kind == 0) {
		report(&c, CN_RULE_C5, vh, -1, -1,
		       "no call manager is registered");
		return leave(&c, REJECTED);
	}
	if (_cn_vc_lookup(e, vh, &v) != PT_OK) {
		report(&c, CN_RULE_C25, vh, -1, -1,
		       "incoming call on a VC handle that is not valid");
		return leave(&c, REJECTED);
	}
	if (!v->cm_created || v->state != CN_VC_IDLE) {
		report(&c, CN_RULE_C13, vh, -1, v->state,
		       !v->cm_created ? "incoming call on a VC the client "
					"created"
				      : "incoming call on a VC that already "
					"has a call");
		return leave(&c, REJECTED);
	}
	s = _cn_sap_lookup(e, _cn_h(NdisSapHandle));
	if (s == NULL || CallParameters == NULL ||
	    e->cl.ClIncomingCallHandler == NULL)
		return leave(&c, NDIS_STATUS_FAILURE);
	_cn_vc_step(e, v, CN_EV_OFFER);
	v->offer_phase = CN_PHASE_IN_HANDLER; /* I2 */
	v->params = CallParameters;
	step = cb_enter(e, CN_FN_ProtocolClIncomingCall, vh,
			ARGS(.ctx = _cn_h(s->cl_ctx),
			     .ctx2 = _cn_h(v->client_ctx),
			     .params = _cn_h(CallParameters)));
	st = cb_leave(e, step,
		      e->cl.ClIncomingCallHandler(s->cl_ctx, v->client_ctx,
						  CallParameters));
	if (v->offer_early) { /* I2 */
		v->offer_early = 0;
		if (st != NDIS_STATUS_PENDING)
			report(&c, CN_RULE_C3, vh, -1, v->state,
			       "ProtocolClIncomingCall completed its incoming "
			       "call, then returned a status other than "
			       "PENDING");
		return leave(&c, NDIS_STATUS_PENDING);
	}
	/* LCOV_EXCL_BR_START: an assertion (an impossible state) */
	PT_ASSERT_INTERNAL(v->state == CN_VC_OFFERED);
	/* LCOV_EXCL_BR_STOP */
	if (st == NDIS_STATUS_PENDING) {
		v->offer_phase = CN_PHASE_PENDED;
		return leave(&c, NDIS_STATUS_PENDING);
	}
	v->offer_phase = CN_PHASE_NONE;
	if (st == NDIS_STATUS_SUCCESS) {
		_cn_vc_step(e, v, CN_EV_ACCEPT);
	} else {
		v->params = NULL;
		_cn_vc_step(e, v, CN_EV_REJECT);
	}
	return leave(&c, st);
}

/* NdisMCmDispatchIncomingCall is this function (ndis.h). */
NDIS_STATUS NdisCmDispatchIncomingCall(NDIS_HANDLE NdisSapHandle,
				       NDIS_HANDLE NdisVcHandle,
				       PCO_CALL_PARAMETERS CallParameters)
{
	return incoming_call(_cn_cm_fn(CN_FN_NdisCmDispatchIncomingCall,
				       CN_FN_NdisMCmDispatchIncomingCall),
			     NdisSapHandle, NdisVcHandle, CallParameters);
}

/*
 * A VC handle from the client (step 4 of the check order): C25 for a bad
 * one, C27 for a CM-created VC whose close completed (live, or the
 * stale handle of the slot's most recently ended life).
 */
struct cn_vc *_cn_client_vc_get(struct call *c, NDIS_HANDLE vh)
{
	struct cn_vc *v = NULL;
	uint64_t h = _cn_h(vh);
	int err = _cn_vc_lookup(c->e, h, &v);

	if (err == PT_OK && !_cn_vc_cm_closed(v))
		return v;
	if (err == PT_OK ||
	    (err == PT_E_STALE && _cn_vc_stale_cm_closed(c->e, h))) {
		report(c, CN_RULE_C27, h, -1, err == PT_OK ? v->state : -1,
		       "the client used the VC handle after the close of "
		       "its incoming call completed");
		return NULL;
	}
	report(c, CN_RULE_C25, h, -1, -1,
	       err == PT_E_NULL      ? "NULL VC handle"
	       : err == PT_E_FOREIGN ? "not a VC handle"
	       : err == PT_E_STALE   ? "VC handle of a deleted VC"
				     : "VC handle never issued");
	return NULL;
}

/*
 * NdisClIncomingCallComplete: the client answers an incoming call it
 * pended. Checks: C1, C4, step 4 (C25, C27), then no pended incoming call
 * on the VC: C3. Then the CM's ProtocolCmIncomingCallComplete runs,
 * nested.
 */
VOID NdisClIncomingCallComplete(NDIS_STATUS Status, NDIS_HANDLE NdisVcHandle,
				PCO_CALL_PARAMETERS CallParameters)
{
	uint64_t vh = _cn_h(NdisVcHandle), step;
	PCO_CALL_PARAMETERS params;
	struct cn_engine *e;
	struct call c;
	struct cn_vc *v;

	enter(&c, CN_FN_NdisClIncomingCallComplete, vh, 1, Status);
	e = c.e;
	trace_args(e, c.step, ARGS(.params = _cn_h(CallParameters)));
	if (!irql_le(&c, DISPATCH_LEVEL, vh))
		return leave_void(&c);
	if (Status == NDIS_STATUS_PENDING) {
		report(&c, CN_RULE_C4, vh, -1, -1,
		       "completion with NDIS_STATUS_PENDING");
		return leave_void(&c);
	}
	if ((v = _cn_client_vc_get(&c, NdisVcHandle)) == NULL)
		return leave_void(&c);
	if (v->state != CN_VC_OFFERED || v->offer_phase == CN_PHASE_NONE) {
		report(&c, CN_RULE_C3, vh, -1, v->state,
		       "no pended incoming call on this VC");
		return leave_void(&c);
	}
	if (v->offer_phase == CN_PHASE_IN_HANDLER)
		v->offer_early = 1; /* I2 */
	v->offer_phase = CN_PHASE_NONE;
	params = v->params;
	if (Status == NDIS_STATUS_SUCCESS) {
		_cn_vc_step(e, v, CN_EV_ACCEPT);
	} else {
		v->params = NULL;
		_cn_vc_step(e, v, CN_EV_REJECT);
	}
	/* N2: the state is settled before the CM's code runs. */
	step = _cn_trace_begin(e, CN_FN_ProtocolCmIncomingCallComplete, vh, 1,
			       Status);
	trace_args(e, step,
		   ARGS(.ctx = _cn_h(v->cm_ctx), .params = _cn_h(params)));
	_cn_cb_entered(e, CN_FN_ProtocolCmIncomingCallComplete, vh);
	_cn_who_push(e, _cn_callee(e, CN_FN_ProtocolCmIncomingCallComplete));
	e->depth++;
	if (e->cm.CmIncomingCallCompleteHandler != NULL)
		e->cm.CmIncomingCallCompleteHandler(Status, v->cm_ctx, params);
	cb_leave_void(e, step);
	leave_void(&c);
}

/*
 * Ndis(M)CmDispatchCallConnected: the CM reports the accepted incoming
 * call connected. Checks: C1, C5 (a call manager), C25; then not an
 * accepted incoming call: C3; not activated: C22. Then the client's
 * ProtocolClCallConnected runs, nested.
 */
static void call_connected(enum cn_fn fn, NDIS_HANDLE NdisVcHandle)
{
	uint64_t vh = _cn_h(NdisVcHandle), step;
	struct cn_engine *e;
	struct call c;
	struct cn_vc *v;

	enter(&c, fn, vh, 0, 0);
	e = c.e;
	if (!irql_le(&c, DISPATCH_LEVEL, vh))
		return leave_void(&c);
	if (e->cm_kind == 0) {
		report(&c, CN_RULE_C5, vh, -1, -1,
		       "no call manager is registered");
		return leave_void(&c);
	}
	if (_cn_vc_lookup(e, vh, &v) != PT_OK) {
		report(&c, CN_RULE_C25, vh, -1, -1,
		       "call connected on a VC handle that is not valid");
		return leave_void(&c);
	}
	if (v->state != CN_VC_ACCEPTED) {
		report(&c, CN_RULE_C3, vh, -1, v->state,
		       "no accepted incoming call on this VC");
		return leave_void(&c);
	}
	if (!v->activated) {
		report(&c, CN_RULE_C22, vh, -1, v->state,
		       "call connected before the VC was activated");
		return leave_void(&c);
	}
	_cn_vc_step(e, v, CN_EV_CONNECTED);
	if (e->cl.ClCallConnectedHandler != NULL) {
		step = cb_enter(e, CN_FN_ProtocolClCallConnected, vh,
				ARGS(.ctx = _cn_h(v->client_ctx)));
		e->cl.ClCallConnectedHandler(v->client_ctx);
		cb_leave_void(e, step);
	}
	leave_void(&c);
}

/* NdisMCmDispatchCallConnected is this function (ndis.h). */
VOID NdisCmDispatchCallConnected(NDIS_HANDLE NdisVcHandle)
{
	call_connected(_cn_cm_fn(CN_FN_NdisCmDispatchCallConnected,
				 CN_FN_NdisMCmDispatchCallConnected),
		       NdisVcHandle);
}
