/*
 * condis_af.c - the client's side of the address family and its SAPs
 * (ndis.h): NdisClOpenAddressFamilyEx -> ProtocolCmOpenAf ->
 * Ndis(M)CmOpenAddressFamilyComplete -> ProtocolClOpenAfCompleteEx;
 * NdisClCloseAddressFamily -> ProtocolCmCloseAf ->
 * Ndis(M)CmCloseAddressFamilyComplete -> ProtocolClCloseAfComplete;
 * NdisClRegisterSap / NdisClDeregisterSap -> ProtocolCmRegisterSap /
 * ProtocolCmDeregisterSap -> Ndis(M)CmRegisterSapComplete /
 * Ndis(M)CmDeregisterSapComplete -> ProtocolClRegisterSapComplete /
 * ProtocolClDeregisterSapComplete; and the call manager's close of the
 * family: Ndis(M)CmNotifyCloseAddressFamily -> ProtocolClNotifyCloseAf ->
 * (PENDING) NdisClNotifyCloseAddressFamilyComplete ->
 * ProtocolCmNotifyCloseAfComplete. The call manager registers the family
 * in condis_bind.c.
 *
 * Every DDI here is a trace step (condis.h). Rules reported: C1 (<=
 * DISPATCH_LEVEL), C4 (PENDING to a completion), C3 (an open, register or
 * deregister completion that was not pended) and C28, the close order
 * (CON:network/closing-an-address-family-in-a-condis-client.md): no AF
 * close while a call is open or a SAP is registered, no call, SAP or
 * party request on a family that is closing or closed, and no close
 * completion the call manager did not pend, or a second one; for the
 * call manager's notification (A18): no notify of a family that is not
 * open or was notified already, no new call, SAP or party request by the
 * client once notified, and no SUCCESS answer (returned or completed)
 * while the family is still open. Its completion without a notify the
 * client pended, or a second one, is C3; PENDING as its status C4; one
 * never made is C3 at the end (condis_check.c). Bring-up errors NDIS
 * answers with a status (a bad handle, a second open) get that status
 * and no report.
 *
 * Invariants:
 *   B2 af_state != NONE only while af_registered; af_pended only while
 *      af_state is OPENING or CLOSING; af_closed only while af_state is
 *      NONE (set by a close that succeeded, cleared by the next open).
 *   B3 A SAP slot is FREE unless the family is OPEN or CLOSING: a close
 *      is accepted only with every slot FREE, and no SAP is registered
 *      on a closing or closed family (C28). V14 of condis_check.c checks
 *      B2, B3 and B4.
 *   B4 af_notify != NONE only while the family is OPEN or CLOSING or a
 *      close of it succeeded (af_closed): a notify needs an OPEN family,
 *      the client's own close keeps it, and the next open clears it.
 */
#include <string.h>

#include "condis_internal.h"
#include "debug.h"

static uint64_t sap_handle(const struct cn_engine *e, uint32_t k);

int _cn_af_gone(const struct cn_engine *e)
{
	return e->af_state == CN_AF_CLOSING || e->af_closed;
}

int _cn_af_notified(const struct cn_engine *e)
{
	return e->af_notify != CN_NOTIFY_NONE;
}

/*
 * C28: a request on a family that is closing or closed; @closing and
 * @closed are its messages (reports keep the pointer: literals). Return:
 * 1 if the family is usable.
 */
static int af_usable(struct call *c, uint64_t h, const char *closing,
		     const char *closed)
{
	if (!_cn_af_gone(c->e))
		return 1;
	report(c, CN_RULE_C28, h, -1, -1,
	       c->e->af_state == CN_AF_CLOSING ? closing : closed);
	return 0;
}

/*
 * C28: a call (a VC MAKING, CONNECTED, REMOTE_CLOSED or CLOSING) or a SAP
 * the client still holds on its family. Return: 1 (reported) if it may
 * not close it yet.
 */
static int af_in_use(struct call *c)
{
	struct cn_engine *e = c->e;
	uint32_t i;

	for (i = 0; i < e->cfg.max_vcs; i++)
		if (e->vcs[i].state >= CN_VC_MAKING &&
		    e->vcs[i].state <= CN_VC_CLOSING) {
			report(c, CN_RULE_C28, _cn_vc_handle(e, &e->vcs[i]),
			       -1, e->vcs[i].state,
			       "NdisClCloseAddressFamily with a call still "
			       "open on the family (close every call first)");
			return 1;
		}
	for (i = 0; i < CN_MAX_SAPS; i++)
		if (e->saps[i].state != CN_SAP_FREE) {
			report(c, CN_RULE_C28, sap_handle(e, i), -1, -1,
			       "NdisClCloseAddressFamily with a SAP still "
			       "registered (deregister every SAP first)");
			return 1;
		}
	return 0;
}

NDIS_STATUS NdisClOpenAddressFamilyEx(NDIS_HANDLE NdisBindingHandle,
				      PCO_ADDRESS_FAMILY AddressFamily,
				      NDIS_HANDLE ClientAfContext,
				      PNDIS_HANDLE NdisAfHandle)
{
	uint64_t b = _cn_h(NdisBindingHandle);
	NDIS_HANDLE cm_ctx = NULL;
	struct cn_engine *e;
	struct call c;
	NDIS_STATUS st;
	uint64_t step;

	enter(&c, CN_FN_NdisClOpenAddressFamilyEx, b, 0, 0);
	e = c.e;
	if (!irql_le(&c, DISPATCH_LEVEL, b))
		return leave(&c, REJECTED);
	if (AddressFamily == NULL || NdisAfHandle == NULL)
		return leave(&c, REJECTED);
	/* A client of cn_register_client() is bound by registering (its
	 * client_proto is -1): it may open the family again once its close
	 * is over, like a client bound through NDIS. */
	if (b != CN_H_CLIENT_BINDING || !e->have_client ||
	    (e->client_proto >= 0 && !e->proto[e->client_proto].opened) ||
	    !e->af_registered || !e->cm_kind ||
	    AddressFamily->AddressFamily != e->af.AddressFamily ||
	    AddressFamily->MajorVersion != e->af.MajorVersion)
		return leave(&c, NDIS_STATUS_FAILURE);
	if (e->af_state != CN_AF_NONE)
		return leave(&c,
			     NDIS_STATUS_FAILURE); /* one open per binding */
	e->af_state = CN_AF_OPENING;
	e->cl_af_ctx = ClientAfContext;
	*NdisAfHandle = _cn_handle(CN_H_AF);
	e->af_closed = 0; /* a new open: the closed family is gone (B2) */
	e->af_notify = CN_NOTIFY_NONE; /* and its notification (B4) */
	if (e->cm.CmOpenAfHandler == NULL) {
		/* An engine-registered CM: NDIS answers for it. */
		e->af_state = CN_AF_OPEN;
		return leave(&c, NDIS_STATUS_SUCCESS);
	}
	e->af_copy = *AddressFamily;
	step = cb_enter(e, CN_FN_ProtocolCmOpenAf, CN_H_AF, NULL);
	st = cb_leave(e, step,
		      e->cm.CmOpenAfHandler(e->cm_bind_ctx, &e->af_copy,
					    _cn_handle(CN_H_AF), &cm_ctx));
	if (st == NDIS_STATUS_PENDING) {
		e->af_pended = 1;
		return leave(&c, st);
	}
	if (st == NDIS_STATUS_SUCCESS) {
		e->af_state = CN_AF_OPEN;
		e->cm_af_ctx = cm_ctx;
	} else {
		e->af_state = CN_AF_NONE;
	}
	return leave(&c, st);
}

/* The completion of an AF or SAP request: the status rules (C4). */
static int status_ok_af(struct call *c, NDIS_STATUS st, uint64_t h)
{
	if (st != NDIS_STATUS_PENDING)
		return 1;
	report(c, CN_RULE_C4, h, -1, -1,
	       "completion with NDIS_STATUS_PENDING");
	return 0;
}

VOID NdisCmOpenAddressFamilyComplete(NDIS_STATUS Status,
				     NDIS_HANDLE NdisAfHandle,
				     NDIS_HANDLE CallMgrAfContext)
{
	uint64_t h = _cn_h(NdisAfHandle);
	struct cn_engine *e;
	struct call c;

	enter(&c,
	      _cn_cm_fn(CN_FN_NdisCmOpenAddressFamilyComplete,
			CN_FN_NdisMCmOpenAddressFamilyComplete),
	      h, 1, Status);
	e = c.e;
	if (!irql_le(&c, DISPATCH_LEVEL, h) || !status_ok_af(&c, Status, h))
		return leave_void(&c);
	if (h != CN_H_AF || e->af_state != CN_AF_OPENING || !e->af_pended) {
		report(&c, CN_RULE_C3, h, -1, -1,
		       "no pended address-family open");
		return leave_void(&c);
	}
	e->af_pended = 0;
	if (Status == NDIS_STATUS_SUCCESS) {
		e->af_state = CN_AF_OPEN;
		e->cm_af_ctx = CallMgrAfContext;
	} else {
		e->af_state = CN_AF_NONE;
	}
	CALLBACK_VOID(e, CN_FN_ProtocolClOpenAfCompleteEx, CN_H_AF,
		      e->cl.ClOpenAfCompleteHandlerEx(Status, e->cl_af_ctx,
						      NdisAfHandle));
	leave_void(&c);
}

/* The end of a close: SUCCESS leaves the family closed (B2), anything
 * else open. */
static void af_closed(struct cn_engine *e, NDIS_STATUS st)
{
	e->af_state = st == NDIS_STATUS_SUCCESS ? CN_AF_NONE : CN_AF_OPEN;
	e->af_closed = st == NDIS_STATUS_SUCCESS;
}

NDIS_STATUS NdisClCloseAddressFamily(NDIS_HANDLE NdisAfHandle)
{
	uint64_t h = _cn_h(NdisAfHandle);
	struct cn_engine *e;
	struct call c;
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;
	uint64_t step;

	enter(&c, CN_FN_NdisClCloseAddressFamily, h, 0, 0);
	e = c.e;
	if (!irql_le(&c, DISPATCH_LEVEL, h))
		return leave(&c, REJECTED);
	/* C28, the close order: one close, after every call and SAP. */
	if (!af_usable(
		    &c, h,
		    "NdisClCloseAddressFamily while the family is "
		    "already closing",
		    "NdisClCloseAddressFamily of a family already closed") ||
	    af_in_use(&c))
		return leave(&c, REJECTED);
	if (h != CN_H_AF || e->af_state != CN_AF_OPEN)
		return leave(&c, NDIS_STATUS_FAILURE);
	e->af_state = CN_AF_CLOSING;
	if (e->cm.CmCloseAfHandler != NULL) {
		step = cb_enter(e, CN_FN_ProtocolCmCloseAf, CN_H_AF, NULL);
		st = cb_leave(e, step, e->cm.CmCloseAfHandler(e->cm_af_ctx));
	}
	if (st == NDIS_STATUS_PENDING) {
		e->af_pended = 1;
		return leave(&c, st);
	}
	af_closed(e, st);
	return leave(&c, st);
}

VOID NdisCmCloseAddressFamilyComplete(NDIS_STATUS Status,
				      NDIS_HANDLE NdisAfHandle)
{
	uint64_t h = _cn_h(NdisAfHandle);
	struct cn_engine *e;
	struct call c;

	enter(&c,
	      _cn_cm_fn(CN_FN_NdisCmCloseAddressFamilyComplete,
			CN_FN_NdisMCmCloseAddressFamilyComplete),
	      h, 1, Status);
	e = c.e;
	if (!irql_le(&c, DISPATCH_LEVEL, h) || !status_ok_af(&c, Status, h))
		return leave_void(&c);
	if (h != CN_H_AF || e->af_state != CN_AF_CLOSING || !e->af_pended) {
		report(&c, CN_RULE_C28, h, -1, -1,
		       e->af_closed ? "address-family close completed after "
				      "it was over (answered at once, or "
				      "completed already)"
				    : "no pended address-family close");
		return leave_void(&c);
	}
	e->af_pended = 0;
	af_closed(e, Status);
	if (e->cl.ClCloseAfCompleteHandler != NULL)
		CALLBACK_VOID(
			e, CN_FN_ProtocolClCloseAfComplete, CN_H_AF,
			e->cl.ClCloseAfCompleteHandler(Status, e->cl_af_ctx));
	leave_void(&c);
}

/*
 * The call manager's close of the family (B4, A18)
 */

/* The client closed its family or is closing it: what a SUCCESS answer
 * to the notification needs (C28). */
static int af_left(const struct cn_engine *e)
{
	return e->af_state == CN_AF_CLOSING || e->af_closed;
}

NDIS_STATUS NdisCmNotifyCloseAddressFamily(NDIS_HANDLE NdisAfHandle)
{
	uint64_t h = _cn_h(NdisAfHandle);
	struct cn_engine *e;
	struct call c;
	NDIS_STATUS st;
	uint64_t step;

	enter(&c,
	      _cn_cm_fn(CN_FN_NdisCmNotifyCloseAddressFamily,
			CN_FN_NdisMCmNotifyCloseAddressFamily),
	      h, 0, 0);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, h))
		return leave(&c, REJECTED);
	if (h != CN_H_AF)
		return leave(&c, NDIS_STATUS_FAILURE);
	if (_cn_af_notified(e) || e->af_state != CN_AF_OPEN) {
		report(&c, CN_RULE_C28, h, -1, -1,
		       _cn_af_notified(e)
			       ? "Ndis(M)CmNotifyCloseAddressFamily of a "
				 "family already notified (NDIS calls "
				 "ProtocolClNotifyCloseAf once)"
			       : "Ndis(M)CmNotifyCloseAddressFamily of a "
				 "family that is not open");
		return leave(&c, REJECTED);
	}
	if (e->cl.ClNotifyCloseAfHandler == NULL)
		return leave(&c, NDIS_STATUS_FAILURE);
	e->af_notify = CN_NOTIFY_RUNNING;
	step = cb_enter(e, CN_FN_ProtocolClNotifyCloseAf, CN_H_AF, NULL);
	st = cb_leave(e, step, e->cl.ClNotifyCloseAfHandler(e->cl_af_ctx));
	if (st == NDIS_STATUS_PENDING) {
		e->af_notify = CN_NOTIFY_PENDED;
		return leave(&c, st);
	}
	/* The answer is the client's: a SUCCESS with the family still open
	 * is reported at its return (C28) and taken as the refusal it is. */
	if (st == NDIS_STATUS_SUCCESS && !af_left(e)) {
		report(&c, CN_RULE_C28, h, -1, -1,
		       "ProtocolClNotifyCloseAf returned SUCCESS with the "
		       "family still open (close it first, or return "
		       "PENDING)");
		st = NDIS_STATUS_FAILURE;
	}
	e->af_notify = st == NDIS_STATUS_SUCCESS ? CN_NOTIFY_DONE
						 : CN_NOTIFY_NONE;
	return leave(&c, st);
}

VOID NdisClNotifyCloseAddressFamilyComplete(NDIS_HANDLE NdisAfHandle,
					    NDIS_STATUS Status)
{
	uint64_t h = _cn_h(NdisAfHandle);
	struct cn_engine *e;
	struct call c;

	enter(&c, CN_FN_NdisClNotifyCloseAddressFamilyComplete, h, 1, Status);
	e = c.e;
	if (!irql_le(&c, DISPATCH_LEVEL, h) || !status_ok_af(&c, Status, h))
		return leave_void(&c);
	if (h != CN_H_AF || e->af_notify != CN_NOTIFY_PENDED) {
		report(&c, CN_RULE_C3, h, -1, -1,
		       h != CN_H_AF || e->af_notify == CN_NOTIFY_NONE
			       ? "no pended close notification "
				 "(ProtocolClNotifyCloseAf did not return "
				 "PENDING)"
		       : e->af_notify == CN_NOTIFY_RUNNING
			       ? "close notification completed inside "
				 "ProtocolClNotifyCloseAf (return PENDING "
				 "first)"
			       : "close notification completed twice");
		return leave_void(&c);
	}
	if (Status == NDIS_STATUS_SUCCESS && !af_left(e)) {
		report(&c, CN_RULE_C28, h, -1, -1,
		       "NdisClNotifyCloseAddressFamilyComplete with SUCCESS "
		       "and the family still open (close it first)");
		return leave_void(&c);
	}
	e->af_notify = Status == NDIS_STATUS_SUCCESS ? CN_NOTIFY_DONE
						     : CN_NOTIFY_NONE;
	if (e->cm.CmNotifyCloseAfCompleteHandler != NULL)
		CALLBACK_VOID(e, CN_FN_ProtocolCmNotifyCloseAfComplete, CN_H_AF,
			      e->cm.CmNotifyCloseAfCompleteHandler(
				      Status, e->cm_af_ctx));
	leave_void(&c);
}

/*
 * SAPs (B3)
 */

static uint64_t sap_handle(const struct cn_engine *e, uint32_t k)
{
	return pt_handle_pack(CN_TAG_NDIS, e->saps[k].gen, CN_SAP_INDEX0 + k);
}

/* The SAP named by @h, or NULL. */
static struct cn_sap *sap_of(struct cn_engine *e, uint64_t h)
{
	uint32_t k = pt_handle_index(h) - CN_SAP_INDEX0;

	if (pt_handle_tag(h) != CN_TAG_NDIS || k >= CN_MAX_SAPS ||
	    e->saps[k].state == CN_SAP_FREE || sap_handle(e, k) != h)
		return NULL;
	return &e->saps[k];
}

static void sap_free(struct cn_sap *s)
{
	uint32_t gen = s->gen;

	memset(s, 0, sizeof(*s));
	s->gen = gen;
}

NDIS_STATUS NdisClRegisterSap(NDIS_HANDLE NdisAfHandle,
			      NDIS_HANDLE ProtocolSapContext, PCO_SAP Sap,
			      PNDIS_HANDLE NdisSapHandle)
{
	uint64_t h = _cn_h(NdisAfHandle);
	NDIS_HANDLE cm_ctx = NULL;
	struct cn_engine *e;
	struct cn_sap *s;
	struct call c;
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;
	uint64_t step, sh;
	uint32_t k;

	enter(&c, CN_FN_NdisClRegisterSap, h, 0, 0);
	e = c.e;
	trace_args(e, c.step,
		   ARGS(.data = _cn_h(Sap),
			.out_ptr = out_ptr_of(NdisSapHandle)));
	if (!irql_le(&c, DISPATCH_LEVEL, h))
		return leave(&c, REJECTED);
	if (Sap == NULL || NdisSapHandle == NULL)
		return leave(&c, REJECTED);
	if (!af_usable(&c, h, "NdisClRegisterSap on a closing address family",
		       "NdisClRegisterSap on a closed address family"))
		return leave(&c, REJECTED);
	if (_cn_af_notified(e)) {
		report(&c, CN_RULE_C28, h, -1, -1,
		       "NdisClRegisterSap after ProtocolClNotifyCloseAf (the "
		       "call manager closes the family: tear down only)");
		return leave(&c, REJECTED);
	}
	if (h != CN_H_AF || e->af_state != CN_AF_OPEN)
		return leave(&c, NDIS_STATUS_FAILURE);
	for (k = 0; k < CN_MAX_SAPS && e->saps[k].state != CN_SAP_FREE; k++)
		;
	if (k == CN_MAX_SAPS)
		return leave(&c, NDIS_STATUS_RESOURCES);
	s = &e->saps[k];
	s->gen++;
	s->state = CN_SAP_REGISTERING;
	s->cl_ctx = ProtocolSapContext;
	s->sap = Sap;
	sh = sap_handle(e, k);
	*NdisSapHandle = _cn_handle(sh);
	cb_out(e, c.step, _cn_handle(sh)); /* the model learns it here */
	if (e->cm.CmRegisterSapHandler != NULL) {
		step = cb_enter(e, CN_FN_ProtocolCmRegisterSap, sh, NULL);
		st = cb_leave(e, step,
			      e->cm.CmRegisterSapHandler(e->cm_af_ctx, Sap,
							 _cn_handle(sh),
							 &cm_ctx));
	}
	if (st == NDIS_STATUS_PENDING) {
		s->state = CN_SAP_REG_PENDED;
		return leave(&c, st);
	}
	if (st == NDIS_STATUS_SUCCESS) {
		s->state = CN_SAP_REGISTERED;
		s->cm_ctx = cm_ctx;
	} else {
		sap_free(s);
	}
	return leave(&c, st);
}

/*
 * The entry of Ndis(M)CmRegisterSapComplete / Ndis(M)CmDeregisterSapComplete
 * (@fn_cm, @fn_mcm): IRQL, status, and the SAP whose request of state
 * @pended the call completes (C3 if none, naming @what). Return: the SAP,
 * or NULL when the call was refused (c left for leave_void()).
 */
static struct cn_sap *sap_complete_enter(struct call *c, enum cn_fn fn_cm,
					 enum cn_fn fn_mcm, uint64_t h,
					 NDIS_STATUS Status, int pended,
					 const char *what)
{
	struct cn_sap *s;

	enter(c, _cn_cm_fn(fn_cm, fn_mcm), h, 1, Status);
	if (!irql_le(c, DISPATCH_LEVEL, h) || !status_ok_af(c, Status, h))
		return NULL;
	s = sap_of(c->e, h);
	if (s == NULL || (int)s->state != pended) {
		report(c, CN_RULE_C3, h, -1, -1, what);
		return NULL;
	}
	return s;
}

VOID NdisCmRegisterSapComplete(NDIS_STATUS Status, NDIS_HANDLE NdisSapHandle,
			       NDIS_HANDLE CallMgrSapContext)
{
	uint64_t h = _cn_h(NdisSapHandle);
	struct cn_engine *e;
	struct cn_sap *s;
	NDIS_HANDLE cl_ctx;
	PCO_SAP sap;
	struct call c;

	s = sap_complete_enter(&c, CN_FN_NdisCmRegisterSapComplete,
			       CN_FN_NdisMCmRegisterSapComplete, h, Status,
			       CN_SAP_REG_PENDED,
			       "no pended SAP registration");
	if (s == NULL)
		return leave_void(&c);
	e = c.e;
	cl_ctx = s->cl_ctx;
	sap = s->sap;
	if (Status == NDIS_STATUS_SUCCESS) {
		s->state = CN_SAP_REGISTERED;
		s->cm_ctx = CallMgrSapContext;
	} else {
		sap_free(s);
	}
	if (e->cl.ClRegisterSapCompleteHandler != NULL)
		CALLBACK_VOID(e, CN_FN_ProtocolClRegisterSapComplete, h,
			      e->cl.ClRegisterSapCompleteHandler(
				      Status, cl_ctx, sap, NdisSapHandle));
	leave_void(&c);
}

NDIS_STATUS NdisClDeregisterSap(NDIS_HANDLE NdisSapHandle)
{
	uint64_t h = _cn_h(NdisSapHandle);
	struct cn_engine *e;
	struct cn_sap *s;
	struct call c;
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;
	uint64_t step;

	enter(&c, CN_FN_NdisClDeregisterSap, h, 0, 0);
	e = c.e;
	if (!irql_le(&c, DISPATCH_LEVEL, h))
		return leave(&c, REJECTED);
	s = sap_of(e, h);
	if (s == NULL || s->state != CN_SAP_REGISTERED)
		return leave(&c, NDIS_STATUS_FAILURE);
	s->state = CN_SAP_DEREGISTERING;
	if (e->cm.CmDeregisterSapHandler != NULL) {
		step = cb_enter(e, CN_FN_ProtocolCmDeregisterSap, h, NULL);
		st = cb_leave(e, step,
			      e->cm.CmDeregisterSapHandler(s->cm_ctx));
	}
	if (st == NDIS_STATUS_PENDING) {
		s->state = CN_SAP_DEREG_PENDED;
		return leave(&c, st);
	}
	if (st == NDIS_STATUS_SUCCESS)
		sap_free(s);
	else
		s->state = CN_SAP_REGISTERED;
	return leave(&c, st);
}

VOID NdisCmDeregisterSapComplete(NDIS_STATUS Status, NDIS_HANDLE NdisSapHandle)
{
	uint64_t h = _cn_h(NdisSapHandle);
	struct cn_engine *e;
	struct cn_sap *s;
	NDIS_HANDLE cl_ctx;
	struct call c;

	s = sap_complete_enter(&c, CN_FN_NdisCmDeregisterSapComplete,
			       CN_FN_NdisMCmDeregisterSapComplete, h, Status,
			       CN_SAP_DEREG_PENDED,
			       "no pended SAP deregistration");
	if (s == NULL)
		return leave_void(&c);
	e = c.e;
	cl_ctx = s->cl_ctx;
	if (Status == NDIS_STATUS_SUCCESS)
		sap_free(s);
	else
		s->state = CN_SAP_REGISTERED;
	if (e->cl.ClDeregisterSapCompleteHandler != NULL)
		CALLBACK_VOID(
			e, CN_FN_ProtocolClDeregisterSapComplete, h,
			e->cl.ClDeregisterSapCompleteHandler(Status, cl_ctx));
	leave_void(&c);
}
