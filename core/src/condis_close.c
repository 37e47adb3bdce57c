/*
 * condis_close.c - NdisClCloseCall and its call-manager completion, and
 * the indications from the network side (incoming drop, incoming close).
 * The check order and the invariants N1..N4, E1, E2 they keep are those of
 * condis_ddi.c.
 */
#include <string.h>

#include "condis_ddi.h"
#include "debug.h"
#include "fault.h"

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
	/* LCOV_EXCL_BR_START: an assertion (an impossible state) */
	PT_ASSERT_INTERNAL(v->state == CN_VC_CLOSING &&
			   v->phase == CN_PHASE_IN_HANDLER);
	/* LCOV_EXCL_BR_STOP */
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
