/*
 * condis_send.c - the send path: NdisCoSendNetBufferLists, the miniport's
 * MiniportCoSendNetBufferLists and NdisMCoSendNetBufferListsComplete, the
 * client's ProtocolCoSendNetBufferListsComplete (rule C23, C15's "it
 * sends nothing more").
 *
 * A client sends on a VC whose call is connected. NDIS hands the chain to
 * the miniport of the VC: with an MCM (which registered a
 * MiniportCoSendNetBufferLists in its NDIS_MINIPORT_CO_CHARACTERISTICS)
 * its handler runs, nested in the send, and the MCM completes the chain
 * with NdisMCoSendNetBufferListsComplete then (inside the handler) or
 * later; with a stand-alone CM NDIS plays the miniport and completes the
 * send itself, before the send returns, with NET_BUFFER_LIST_STATUS
 * SUCCESS. Either completion reaches the client's
 * ProtocolCoSendNetBufferListsComplete like any other completion: at
 * once, or from a DPC (choose_delivery, spec A12); its SendCompleteFlags
 * say NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL iff the handler runs at
 * DISPATCH_LEVEL.
 *
 * A chain is one unit: sent, held and completed by its first
 * NET_BUFFER_LIST (the reference drivers send one at a time); the engine
 * never follows Next.
 *
 * Check order (rules.h), after C1:
 *   NdisCoSendNetBufferLists  VC handle bad: C25; NetBufferLists NULL:
 *       C23; VC CLOSING (NdisClCloseCall in flight): C23; REMOTE_CLOSED
 *       once ProtocolClIncomingCloseCall ran: C23 (C15: nothing more is
 *       sent; with the indication still queued the client cannot know,
 *       the send proceeds); any other state but CONNECTED: C23.
 *   NdisMCoSendNetBufferListsComplete  C5 unless the call manager is an
 *       MCM; the chain's status PENDING: C4; VC handle bad: C25; a chain
 *       the miniport does not hold on this VC (never sent there, or
 *       completed already): C3.
 *   NdisClCloseCall (condis_close.c), after its own checks: sends
 *       outstanding on the VC: C23.
 *
 * Invariants:
 *   SN1 v->sends counts the sends accepted on the VC whose client
 *       completion has not run: the miniport's (mp_sends) plus the
 *       completions queued as DPCs (V17 of condis_check.c).
 *   SN2 Only a CONNECTED or REMOTE_CLOSED VC has sends outstanding: a
 *       send needs a connected call, and a close is refused while sends
 *       are outstanding, so no close (and no close completion) ever
 *       leaves one behind.
 *   SN3 The miniport holds at most CN_MAX_SENDS chains per VC; a send
 *       beyond them is completed by NDIS at once with
 *       NDIS_STATUS_RESOURCES, without reaching the miniport.
 *
 * OID requests. The client's NdisCoOidRequest names the address family
 * and optionally a VC and a party of it; NDIS hands it to the call
 * manager's ProtocolCoOidRequest with the call manager's contexts of
 * those objects. A PENDING answer is completed by the call manager's
 * NdisCoOidRequestComplete, naming the same objects, which reaches the
 * client's ProtocolCoOidRequestComplete (at once or from a DPC) with the
 * client's contexts. A stand-alone call manager may ask the client the
 * same way (NdisCoOidRequest with its own NdisBindingHandle; an MCM's
 * function is NdisMCmOidRequest, not modelled: C5): the client's
 * ProtocolCoOidRequest answers, its NdisCoOidRequestComplete reaches the
 * call manager's ProtocolCoOidRequestComplete at once. A party handle in
 * an OID request is a use of the handle like any other: the client's is
 * judged as for NdisClDropParty (C9, C7), the call manager's as for its
 * completions (C18).
 *
 * Check order (rules.h), after C1:
 *   NdisCoOidRequest  from the call manager's binding: C5 unless it is a
 *       stand-alone CM. VC handle (if not NULL) bad: C25; party handle (if
 *       not NULL) ended or never issued: C9 (C7 after a failed setup); a
 *       party without its VC, or of another VC: C9; a party whose
 *       MakeCall/AddParty is in flight: C7 (no handle yet); one being
 *       dropped or closed: C9 (spent by NdisClDropParty/NdisClCloseCall).
 *       OidRequest NULL: NDIS_STATUS_INVALID_PARAMETER, no report;
 *       CN_MAX_OIDS pended already: NDIS_STATUS_RESOURCES; no
 *       ProtocolCoOidRequest registered: NDIS_STATUS_NOT_SUPPORTED. From
 *       the call manager the party is judged as its handles are: ended,
 *       never issued or of another VC: C18; any live state is good.
 *   NdisCoOidRequestComplete  its caller is whoever owes the oldest pended
 *       request of that OidRequest (O3): the client for the call
 *       manager's, else the call manager. No call manager: C5; Status
 *       PENDING: C4; VC handle (if not NULL) bad: C25; party handle (if
 *       not NULL) bad: C18 (the client's: C9, C7); no pended request with this OidRequest naming this VC and
 *       party (never pended, answered synchronously, completed already,
 *       or completed from inside its ProtocolCoOidRequest): C3.
 *
 * Invariants:
 *   O1 oids[0 .. n_oids) are the OID requests whose ProtocolCoOidRequest
 *      returned PENDING and whose completion has not come, oldest first.
 *   O2 n_oids <= CN_MAX_OIDS.
 *   O3 Requests of both directions share oids[]; by_cm says who owes the
 *      completion, so a completion's caller is known before its checks.
 */
#include <string.h>

#include "condis_internal.h"
#include "debug.h"

static CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER
client_send_complete(const struct cn_engine *e)
{
	if (e->client_proto >= 0 &&
	    e->proto[e->client_proto].co.CoSendNetBufferListsCompleteHandler)
		return e->proto[e->client_proto]
			.co.CoSendNetBufferListsCompleteHandler;
	return e->cl_send_complete;
}

void cn_register_send_handlers(
	CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER
		ProtocolCoSendNetBufferListsComplete,
	W_CO_SEND_NET_BUFFER_LISTS_HANDLER MiniportCoSendNetBufferLists)
{
	struct cn_engine *e = _cn_engine_get();

	e->cl_send_complete = ProtocolCoSendNetBufferListsComplete;
	e->mp_send = MiniportCoSendNetBufferLists;
}

void _cn_send_reset(struct cn_engine *e)
{
	e->cl_send_complete = NULL;
	e->mp_send = NULL;
	e->n_oids = 0;
}

static struct cn_vc *send_vc(struct call *c, NDIS_HANDLE vh)
{
	struct cn_vc *v = NULL;
	int err = _cn_vc_lookup(c->e, _cn_h(vh), &v);

	if (err == PT_OK)
		return v;
	report(c, CN_RULE_C25, _cn_h(vh), -1, -1,
	       err == PT_E_NULL    ? "NULL VC handle"
	       : err == PT_E_STALE ? "VC handle of a deleted VC"
				   : "VC handle never issued");
	return NULL;
}

/* The client completion of the send of @nbl on @v with @status (SN1). */
static void send_done(struct cn_engine *e, uint64_t step, struct cn_vc *v,
		      PNET_BUFFER_LIST nbl, NDIS_STATUS status)
{
	struct cn_dpc d;

	memset(&d, 0, sizeof(d));
	d.cb = CN_FN_ProtocolCoSendNetBufferListsComplete;
	d.status = status;
	d.handle = _cn_vc_handle(e, v);
	d.ctx = v->client_ctx;
	d.data = nbl;
	_cn_deliver(e, step, &d);
}

VOID NdisCoSendNetBufferLists(NDIS_HANDLE NdisVcHandle,
			      PNET_BUFFER_LIST NetBufferLists, ULONG SendFlags)
{
	uint64_t vh = _cn_h(NdisVcHandle);
	struct cn_engine *e;
	struct call c;
	struct cn_vc *v;
	uint64_t step;

	enter(&c, CN_FN_NdisCoSendNetBufferLists, vh, 0, 0);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.data = _cn_h(NetBufferLists), .size = SendFlags));
	if (!irql_le(&c, DISPATCH_LEVEL, vh) ||
	    (v = send_vc(&c, NdisVcHandle)) == NULL)
		return leave_void(&c);
	if (NetBufferLists == NULL) {
		report(&c, CN_RULE_C23, vh, -1, v->state,
		       "NULL NetBufferLists");
		return leave_void(&c);
	}
	if (v->state != CN_VC_CONNECTED &&
	    !(v->state == CN_VC_REMOTE_CLOSED && !v->remote_close_seen)) {
		report(&c, CN_RULE_C23, vh, -1, v->state,
		       v->state == CN_VC_CLOSING ? "send after NdisClCloseCall"
		       : v->state == CN_VC_REMOTE_CLOSED
			       ? "send after ProtocolClIncomingCloseCall (C15: "
				 "the client sends nothing more)"
			       : "send on a VC without a connected call");
		return leave_void(&c);
	}
	v->sends++; /* SN1 */
	if (e->cm_kind != CN_CM_MINIPORT || e->mp_send == NULL ||
	    v->mp_sends == CN_MAX_SENDS) {
		/* NDIS completes it itself (SN3 when the miniport is
		 * full). */
		NDIS_STATUS st = e->cm_kind == CN_CM_MINIPORT && e->mp_send
					 ? NDIS_STATUS_RESOURCES
					 : NDIS_STATUS_SUCCESS;

		NET_BUFFER_LIST_STATUS(NetBufferLists) = st;
		send_done(e, c.step, v, NetBufferLists, st);
		return leave_void(&c);
	}
	v->mp_nbl[v->mp_sends++] = _cn_h(NetBufferLists); /* N2 */
	step = cb_enter(e, CN_FN_MiniportCoSendNetBufferLists, vh,
			ARGS(.ctx = _cn_h(v->cm_ctx),
			     .data = _cn_h(NetBufferLists),
			     .size = SendFlags));
	e->mp_send(v->cm_ctx, NetBufferLists, SendFlags);
	cb_leave_void(e, step);
	leave_void(&c);
}

VOID NdisMCoSendNetBufferListsComplete(NDIS_HANDLE NdisVcHandle,
				       PNET_BUFFER_LIST NetBufferLists,
				       ULONG SendCompleteFlags)
{
	uint64_t vh = _cn_h(NdisVcHandle), nbl = _cn_h(NetBufferLists);
	NDIS_STATUS st = NetBufferLists
				 ? NET_BUFFER_LIST_STATUS(NetBufferLists)
				 : NDIS_STATUS_SUCCESS;
	struct cn_engine *e;
	struct call c;
	struct cn_vc *v;
	uint32_t i;

	enter(&c, CN_FN_NdisMCoSendNetBufferListsComplete, vh, 1, st);
	e = c.e;
	trace_args(e, c.step, ARGS(.data = nbl, .size = SendCompleteFlags));
	if (!irql_le(&c, DISPATCH_LEVEL, vh))
		return leave_void(&c);
	if (e->cm_kind != CN_CM_MINIPORT) {
		report(&c, CN_RULE_C5, vh, -1, -1,
		       e->cm_kind == 0
			       ? "no call manager is registered"
			       : "an MCM function called, but the call "
				 "manager is a stand-alone CM");
		return leave_void(&c);
	}
	if (st == NDIS_STATUS_PENDING) {
		report(&c, CN_RULE_C4, vh, -1, -1,
		       "completion with NDIS_STATUS_PENDING");
		return leave_void(&c);
	}
	if ((v = send_vc(&c, NdisVcHandle)) == NULL)
		return leave_void(&c);
	for (i = 0; i < v->mp_sends && v->mp_nbl[i] != nbl; i++)
		;
	if (nbl == 0 || i == v->mp_sends) {
		report(&c, CN_RULE_C3, vh, -1, v->state,
		       "send completion for a chain the miniport does not "
		       "hold on this VC (never sent there, or completed "
		       "already)");
		return leave_void(&c);
	}
	memmove(&v->mp_nbl[i], &v->mp_nbl[i + 1],
		sizeof(v->mp_nbl[0]) * (v->mp_sends - i - 1));
	v->mp_nbl[--v->mp_sends] = 0;
	send_done(e, c.step, v, NetBufferLists, st); /* N2 */
	leave_void(&c);
}

void _cn_send_deliver(struct cn_engine *e, const struct cn_dpc *d,
		      uint64_t step)
{
	CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER h = client_send_complete(e);
	struct cn_trace_entry *t = _cn_trace_at(e, step);
	ULONG flags = e->irql[e->cpu] == DISPATCH_LEVEL
			      ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL
			      : 0;
	struct cn_vc *v;

	if (t != NULL)
		t->size = flags;
	if (_cn_vc_lookup(e, d->handle, &v) == PT_OK && v->sends > 0)
		v->sends--; /* SN1 */
	if (h != NULL)      /* a client that never sends may have none */
		h(d->ctx, (PNET_BUFFER_LIST)d->data, flags);
}

PT_NO_COVERAGE uint32_t cn_send_held_count(void)
{
	struct cn_engine *e = _cn_engine_get();
	uint32_t i, n = 0;

	for (i = 0; i < e->cfg.max_vcs; i++)
		n += e->vcs[i].mp_sends;
	return n;
}

int _cn_send_close_ok(struct call *c, struct cn_vc *v, uint64_t h)
{
	if (v->sends == 0)
		return 1;
	report(c, CN_RULE_C23, h, -1, v->state,
	       "NdisClCloseCall with sends outstanding on the VC");
	return 0;
}

uint32_t _cn_send_check_end(struct cn_engine *e, uint64_t step)
{
	uint32_t i, j, n = 0;

	for (i = 0; i < e->cfg.max_vcs; i++) {
		struct cn_vc *v = &e->vcs[i];

		for (j = 0; j < v->mp_sends; j++, n++)
			_cn_report(e, CN_RULE_C23, CN_FN_EndOfRun, step,
				   _cn_vc_handle(e, v), -1, v->state,
				   "send never completed by the miniport");
	}
	return n;
}

/*
 * OID requests
 */

/* Step 4 for a party handle the client passed (C9, C7). */
static int oid_party_bad(struct call *c, uint64_t ph, int by_client,
			 struct pt_party_info *pi)
{
	int err = pt_party_lookup(c->e->parties, ph, pi);
	enum cn_end how;

	if (err == PT_OK)
		return 0;
	how = err == PT_E_STALE ? _cn_party_end_reason(c->e, ph) : CN_END_NONE;
	report(c,
	       !by_client                   ? CN_RULE_C18
	       : how == CN_END_SETUP_FAILED ? CN_RULE_C7
					    : CN_RULE_C9,
	       ph, err == PT_E_STALE ? PT_DEAD : -1, -1,
	       err == PT_E_STALE     ? "party handle of a party that ended"
	       : err == PT_E_NULL    ? "NULL party handle"
	       : err == PT_E_FOREIGN ? "not a party handle"
				     : "party handle never issued");
	return 1;
}

/* The trace actor of step @step: who called (or, for a callback, who is
 * called), where the OID functions go either way. */
PT_NO_COVERAGE static void trace_actor(struct cn_engine *e, uint64_t step,
				       enum cn_actor a)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);

	if (t != NULL)
		t->actor = (uint8_t)a;
}

NDIS_STATUS NdisCoOidRequest(NDIS_HANDLE NdisBindingHandle,
			     NDIS_HANDLE NdisAfHandle, NDIS_HANDLE NdisVcHandle,
			     NDIS_HANDLE NdisPartyHandle,
			     PNDIS_OID_REQUEST OidRequest)
{
	uint64_t vh = _cn_h(NdisVcHandle), ph = _cn_h(NdisPartyHandle);
	int by_cm = _cn_h(NdisBindingHandle) == CN_H_CM_BINDING;
	struct pt_party_info pi = { .state = PT_FREE };
	NDIS_HANDLE peer_vc = NULL, peer_party = NULL;
	CO_OID_REQUEST_HANDLER h;
	struct cn_engine *e;
	struct cn_vc *v = NULL;
	struct call c;
	NDIS_STATUS st;
	uint64_t step;

	(void)NdisAfHandle;
	enter(&c, CN_FN_NdisCoOidRequest, vh, 0, 0);
	e = c.e;
	trace_args(e, c.step, ARGS(.party = ph, .data = _cn_h(OidRequest)));
	if (by_cm)
		trace_actor(e, c.step, CN_ACTOR_CM);
	if (!irql_le(&c, DISPATCH_LEVEL, vh))
		return leave(&c, NDIS_STATUS_INVALID_PARAMETER);
	if (by_cm && e->cm_kind != CN_CM_STANDALONE) {
		report(&c, CN_RULE_C5, vh, -1, -1,
		       e->cm_kind == 0 ? "no call manager is registered"
				       : "an MCM called NdisCoOidRequest (its "
					 "function is NdisMCmOidRequest)");
		return leave(&c, NDIS_STATUS_INVALID_PARAMETER);
	}
	if (vh != 0 && (v = send_vc(&c, NdisVcHandle)) == NULL)
		return leave(&c, NDIS_STATUS_INVALID_PARAMETER);
	if (ph != 0) {
		if (oid_party_bad(&c, ph, !by_cm, &pi))
			return leave(&c, NDIS_STATUS_INVALID_PARAMETER);
		if (v == NULL || &e->vcs[pi.vc] != v) {
			report(&c, by_cm ? CN_RULE_C18 : CN_RULE_C9, ph,
			       pi.state, v ? v->state : -1,
			       v ? "party of another VC"
				 : "party handle without its VC");
			return leave(&c, NDIS_STATUS_INVALID_PARAMETER);
		}
		/* The call manager may name a party from its ProtocolCm-
		 * MakeCall/AddParty to its final completion (C18); the
		 * client has no handle before its setup succeeded, none after
		 * its drop or close. */
		if (!by_cm &&
		    (pi.state == PT_MAKING || pi.state == PT_ADDING)) {
			report(&c, CN_RULE_C7, ph, pi.state, v->state,
			       "party handle of a MakeCall/AddParty still in "
			       "flight");
			return leave(&c, NDIS_STATUS_INVALID_PARAMETER);
		}
		if (!by_cm &&
		    (pi.state == PT_DROPPING || pi.state == PT_CLOSING)) {
			report(&c, CN_RULE_C9, ph, pi.state, v->state,
			       "party handle spent by NdisClDropParty or "
			       "NdisClCloseCall");
			return leave(&c, NDIS_STATUS_INVALID_PARAMETER);
		}
		peer_party = by_cm ? (NDIS_HANDLE)pi.ctx
				   : e->pside[pt_handle_index(ph)].cm_ctx;
	}
	if (v != NULL)
		peer_vc = by_cm ? v->client_ctx : v->cm_ctx;
	if (OidRequest == NULL)
		return leave(&c, NDIS_STATUS_INVALID_PARAMETER);
	if (e->n_oids == CN_MAX_OIDS) /* O2 */
		return leave(&c, NDIS_STATUS_RESOURCES);
	h = by_cm ? e->cl.ClOidRequestHandler : e->cm.CmOidRequestHandler;
	if (h == NULL)
		return leave(&c, NDIS_STATUS_NOT_SUPPORTED);
	step = cb_enter(e, CN_FN_ProtocolCoOidRequest, ph ? ph : vh,
			ARGS(.ctx = _cn_h(peer_vc), .ctx2 = _cn_h(peer_party),
			     .data = _cn_h(OidRequest)));
	trace_actor(e, step, by_cm ? CN_ACTOR_CLIENT : CN_ACTOR_CM);
	st = cb_leave(e, step,
		      h(by_cm ? e->cl_af_ctx : e->cm_af_ctx, peer_vc,
			peer_party, OidRequest));
	if (st == NDIS_STATUS_PENDING && e->n_oids < CN_MAX_OIDS) { /* O1 */
		e->oids[e->n_oids].req = _cn_h(OidRequest);
		e->oids[e->n_oids].vc = vh;
		e->oids[e->n_oids].party = ph;
		e->oids[e->n_oids].by_cm = (uint8_t)by_cm;
		e->n_oids++;
	}
	return leave(&c, st);
}

VOID NdisCoOidRequestComplete(NDIS_HANDLE NdisAfHandle,
			      NDIS_HANDLE NdisVcHandle,
			      NDIS_HANDLE NdisPartyHandle,
			      PNDIS_OID_REQUEST OidRequest, NDIS_STATUS Status)
{
	uint64_t vh = _cn_h(NdisVcHandle), ph = _cn_h(NdisPartyHandle);
	uint64_t req = _cn_h(OidRequest);
	struct pt_party_info pi = { .state = PT_FREE };
	struct cn_engine *e;
	struct cn_vc *v = NULL;
	struct cn_dpc d;
	struct call c;
	uint32_t i;
	int by_client = 0;

	(void)NdisAfHandle;
	enter(&c, CN_FN_NdisCoOidRequestComplete, vh, 1, Status);
	e = c.e;
	trace_args(e, c.step, ARGS(.party = ph, .data = req));
	/* O3: the caller is the one the oldest pended request of this
	 * OidRequest is owed by: the client for the call manager's. */
	for (i = 0; i < e->n_oids; i++)
		if (e->oids[i].req == req) {
			by_client = e->oids[i].by_cm;
			break;
		}
	if (by_client)
		trace_actor(e, c.step, CN_ACTOR_CLIENT);
	if (!irql_le(&c, DISPATCH_LEVEL, vh))
		return leave_void(&c);
	if (!by_client && e->cm_kind == 0) {
		report(&c, CN_RULE_C5, vh, -1, -1,
		       "no call manager is registered");
		return leave_void(&c);
	}
	if (Status == NDIS_STATUS_PENDING) {
		report(&c, CN_RULE_C4, vh, -1, -1,
		       "completion with NDIS_STATUS_PENDING");
		return leave_void(&c);
	}
	if ((vh != 0 && (v = send_vc(&c, NdisVcHandle)) == NULL) ||
	    (ph != 0 && oid_party_bad(&c, ph, by_client, &pi)))
		return leave_void(&c);
	for (i = 0; i < e->n_oids; i++)
		if (e->oids[i].req == req && e->oids[i].vc == vh &&
		    e->oids[i].party == ph && e->oids[i].by_cm == by_client)
			break;
	if (req == 0 || i == e->n_oids) {
		report(&c, CN_RULE_C3, ph ? ph : vh, ph ? (int)pi.state : -1,
		       v ? v->state : -1,
		       "OID request completion without a pended request of "
		       "these objects (never pended, answered synchronously "
		       "or completed already)");
		return leave_void(&c);
	}
	memmove(&e->oids[i], &e->oids[i + 1],
		sizeof(e->oids[0]) * (e->n_oids - i - 1));
	e->n_oids--; /* O1 */
	if (by_client) {
		/* To the call manager, at once, like every call into it. */
		NDIS_HANDLE cvc = v ? v->cm_ctx : NULL;
		NDIS_HANDLE cpc = ph ? e->pside[pt_handle_index(ph)].cm_ctx
				     : NULL;
		struct cn_trace_entry *t;
		uint64_t step = cb_enter(e, CN_FN_ProtocolCoOidRequestComplete,
					 ph ? ph : vh,
					 ARGS(.ctx = _cn_h(cvc),
					      .ctx2 = _cn_h(cpc), .data = req));

		trace_actor(e, step, CN_ACTOR_CM);
		if ((t = _cn_trace_at(e, step)) != NULL) {
			t->has_status = 1;
			t->status = Status;
		}
		if (e->cm.CmOidRequestCompleteHandler != NULL)
			e->cm.CmOidRequestCompleteHandler(e->cm_af_ctx, cvc, cpc,
							  OidRequest, Status);
		cb_leave_void(e, step);
		return leave_void(&c);
	}
	memset(&d, 0, sizeof(d));
	d.cb = CN_FN_ProtocolCoOidRequestComplete;
	d.status = Status;
	d.handle = ph ? ph : vh;
	d.ctx = v ? v->client_ctx : NULL;
	d.arg = ph ? (NDIS_HANDLE)pi.ctx : NULL;
	d.data = OidRequest;
	_cn_deliver(e, c.step, &d); /* N2 */
	leave_void(&c);
}

void _cn_oid_deliver(struct cn_engine *e, const struct cn_dpc *d)
{
	if (e->cl.ClOidRequestCompleteHandler != NULL)
		e->cl.ClOidRequestCompleteHandler(e->cl_af_ctx, d->ctx, d->arg,
						  (PNDIS_OID_REQUEST)d->data,
						  d->status);
}

uint32_t _cn_oid_check_end(struct cn_engine *e, uint64_t step)
{
	uint32_t i;

	for (i = 0; i < e->n_oids; i++)
		_cn_report(e, CN_RULE_C3, CN_FN_EndOfRun, step,
			   e->oids[i].party ? e->oids[i].party : e->oids[i].vc,
			   -1, -1,
			   "OID request pended by the call manager never "
			   "completed");
	return e->n_oids;
}
