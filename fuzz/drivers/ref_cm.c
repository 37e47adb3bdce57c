/*
 * ref_cm.c - the reference call manager: stand-alone CM or MCM.
 *
 * One source for both families, as in practice the party handling of a CM
 * and of an MCM's integrated call manager is the same code: only the NDIS
 * functions differ (NdisCm* vs NdisMCm*, C5), chosen once at registration
 * through a table of function pointers. The stand-alone CM registers as a
 * protocol driver (NdisRegisterProtocolDriver; in its SetOptionsHandler
 * NdisSetOptionalHandlers with the call-manager handlers; in its
 * BindAdapterHandlerEx NdisOpenAdapterEx, then
 * NdisCmRegisterAddressFamilyEx), the MCM as a miniport
 * (NdisMRegisterMiniportDriver; the same handlers from its
 * SetOptionsHandler; in MiniportInitializeEx NdisMSetMiniportAttributes,
 * then NdisMCmRegisterAddressFamilyEx). Either answers the client's
 * ProtocolCmOpenAf at once.
 *
 * For every request NDIS hands it (ProtocolCm*), the CM asks the harness
 * what to do (drv_decide_fn): answer SUCCESS, fail with a status, or pend
 * and complete later when the harness says drv_cm_complete(k). How it keeps
 * the contract:
 *   - Its party context stores the NdisPartyHandle NDIS gave it and goes
 *     back through *CallMgrPartyContext (C16); none for a P2P call (C17).
 *   - It activates the VC before a make-call SUCCESS and deactivates it
 *     before a close SUCCESS (C22, A8).
 *   - A pended request is completed exactly once, never a synchronous one
 *     (C3), never with PENDING (C4).
 *   - Its own state is updated before it calls NDIS (a synchronous delivery
 *     may re-enter it), and a party context is freed only after the
 *     completion that ends it returned (C18, A9).
 *   - A pended setup that succeeds marks the client's CallParameters
 *     CALL_PARAMETERS_CHANGED before completing (C8: NDIS reads them at
 *     the completion and hands them to the client's handler).
 *   - Close data on a medium without close-data support is answered with
 *     NDIS_STATUS_INVALID_DATA (C20).
 *   - With CN_OPT_A12_EARLY it completes what it pends at once, from
 *     inside the handler that pends it, as a second CPU would (A12), and
 *     then touches nothing of the request: the completion may have freed
 *     it (A9) and the client's handler may already have run.
 *   - It dispatches an incoming drop only for a connected party of a VC
 *     with another connected party, never for one being dropped or closed
 *     (C13, R4); an incoming close only for a connected call.
 */
#include <stdlib.h>
#include <string.h>

#include "bugs.h"
#include "ref_drivers.h"

enum cmp_state {
	CMP_SETUP,
	CMP_CONNECTED,
	CMP_REMOTE_DROPPED,
	CMP_DROPPING,
	CMP_CLOSING
};
enum cmv_state { CMV_IDLE, CMV_MAKING, CMV_CONNECTED, CMV_CLOSING };

struct cm_vc;

struct cm_party {
	struct cm_vc *vc;
	struct cm_party *next; /* the VC's parties, creation order */
	NDIS_HANDLE handle;    /* C16: NdisPartyHandle, kept */
	enum cmp_state state;
	enum cmp_state drop_from; /* where a failed drop leaves it (P10) */
};

struct cm_vc {
	struct cm_vc *next; /* all VCs, creation order */
	NDIS_HANDLE handle;
	enum cmv_state state;
	int incoming; /* created by this CM for an incoming call */
	CO_CALL_PARAMETERS params; /* the incoming call's, alive with it */
	int remote_closed;
	struct cm_party *parties;
	struct cm_party *closing; /* the party named by the close, if PMP */
};

/* A send chain the MCM holds (MiniportCoSendNetBufferLists answered
 * "later"): the client's memory, only pointed to. */
struct cm_send {
	struct cm_send *next; /* oldest first */
	struct cm_vc *vc;
	PNET_BUFFER_LIST nbl;
};

struct cm_req {
	struct cm_req *next; /* pending requests, oldest first */
	enum cn_req kind;
	struct cm_vc *vc;
	struct cm_party *party;
	PCO_CALL_PARAMETERS params;
};

/*
 * The DDI family of the registered kind (C5). NdisMCmActivateVc and
 * NdisMCmDeactivateVc are functions of their own; the MCM's completions
 * and indications are macros over the NdisCm* functions (ndis.h), so its
 * table holds one-line functions written with the MCM's names.
 */
struct cm_ops {
	NDIS_STATUS (*activate)(NDIS_HANDLE, PCO_CALL_PARAMETERS);
	NDIS_STATUS (*deactivate)(NDIS_HANDLE);
	VOID(*make_call_complete)
	(NDIS_STATUS, NDIS_HANDLE, NDIS_HANDLE, NDIS_HANDLE,
	 PCO_CALL_PARAMETERS);
	VOID(*add_party_complete)
	(NDIS_STATUS, NDIS_HANDLE, NDIS_HANDLE, PCO_CALL_PARAMETERS);
	VOID (*drop_party_complete)(NDIS_STATUS, NDIS_HANDLE);
	VOID (*close_call_complete)(NDIS_STATUS, NDIS_HANDLE, NDIS_HANDLE);
	VOID (*incoming_drop)(NDIS_STATUS, NDIS_HANDLE, PVOID, UINT);
	VOID (*incoming_close)(NDIS_STATUS, NDIS_HANDLE, PVOID, UINT);
};

static const struct cm_ops cm_ops_standalone = {
	NdisCmActivateVc,
	NdisCmDeactivateVc,
	NdisCmMakeCallComplete,
	NdisCmAddPartyComplete,
	NdisCmDropPartyComplete,
	NdisCmCloseCallComplete,
	NdisCmDispatchIncomingDropParty,
	NdisCmDispatchIncomingCloseCall,
};

static VOID mcm_make_call_complete(NDIS_STATUS Status, NDIS_HANDLE vc,
				   NDIS_HANDLE party, NDIS_HANDLE ctx,
				   PCO_CALL_PARAMETERS params)
{
	NdisMCmMakeCallComplete(Status, vc, party, ctx, params);
}

static VOID mcm_add_party_complete(NDIS_STATUS Status, NDIS_HANDLE party,
				   NDIS_HANDLE ctx, PCO_CALL_PARAMETERS params)
{
	NdisMCmAddPartyComplete(Status, party, ctx, params);
}

static VOID mcm_drop_party_complete(NDIS_STATUS Status, NDIS_HANDLE party)
{
	NdisMCmDropPartyComplete(Status, party);
}

static VOID mcm_close_call_complete(NDIS_STATUS Status, NDIS_HANDLE vc,
				    NDIS_HANDLE party)
{
	NdisMCmCloseCallComplete(Status, vc, party);
}

static VOID mcm_incoming_drop(NDIS_STATUS Status, NDIS_HANDLE party,
			      PVOID data, UINT size)
{
	NdisMCmDispatchIncomingDropParty(Status, party, data, size);
}

static VOID mcm_incoming_close(NDIS_STATUS Status, NDIS_HANDLE vc, PVOID data,
			       UINT size)
{
	NdisMCmDispatchIncomingCloseCall(Status, vc, data, size);
}

static const struct cm_ops cm_ops_miniport = {
	NdisMCmActivateVc,       NdisMCmDeactivateVc,
	mcm_make_call_complete,  mcm_add_party_complete,
	mcm_drop_party_complete, mcm_close_call_complete,
	mcm_incoming_drop,       mcm_incoming_close,
};

/* The address family both kinds register and the client opens. */
static CO_ADDRESS_FAMILY cm_af = { CO_ADDRESS_FAMILY_Q2931, 3, 1 };

static struct {
	int registered;
	int mcm;
	const struct cm_ops *ops;
	drv_decide_fn decide;
	void *decide_arg;
	NDIS_HANDLE driver; /* NdisProtocolHandle / NdisMiniportDriverHandle */
	NDIS_HANDLE binding; /* NdisBindingHandle / MiniportAdapterHandle */
	NDIS_HANDLE af;      /* NdisAfHandle of the client's open */
	int af_gone;         /* the client closed it (ProtocolCmCloseAf) */
	int notifying;       /* Ndis(M)CmNotifyCloseAddressFamily pends */
	int af_registered;
	struct cm_vc *vcs;
	struct cm_req *pending;
	uint32_t n_pending;
	struct cm_send *sends; /* held by the MCM's data path */
	uint32_t n_sends;
	struct drv_cm_stats st;
	NDIS_HANDLE sap; /* the client's SAP (ProtocolCmRegisterSap) */
} cm;

static struct drv_choice decide(enum cn_req req)
{
	struct drv_choice c = { DRV_SYNC_SUCCESS, NDIS_STATUS_SUCCESS };

	cm.st.requests++;
	if (cm.decide != NULL)
		c = cm.decide(cm.decide_arg, req);
	if (c.decision == DRV_SYNC_FAIL &&
	    (c.fail_status == NDIS_STATUS_SUCCESS ||
	     c.fail_status == NDIS_STATUS_PENDING))
		c.fail_status = NDIS_STATUS_FAILURE;
	if (c.decision > DRV_PEND)
		c.decision = DRV_SYNC_SUCCESS;
	return c;
}

static int close_data_unsupported(PVOID data, UINT size)
{
	const struct cn_config *cfg = cn_engine_config();

	return (data != NULL || size != 0) && cfg != NULL &&
	       !(cfg->options & CN_OPT_CLOSE_DATA);
}

static struct cm_party *party_new(struct cm_vc *v, NDIS_HANDLE handle)
{
	struct cm_party *p = calloc(1, sizeof(*p)), **tail;

	if (p == NULL)
		return NULL;
	p->vc = v;
	p->handle = handle;
	p->state = CMP_SETUP;
	for (tail = &v->parties; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = p;
	cm.st.live_contexts++;
	return p;
}

static void party_unlink(struct cm_party *p)
{
	struct cm_party **pp;

	for (pp = &p->vc->parties; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			return;
		}
}

static void party_free(struct cm_party *p)
{
	cm.st.live_contexts--;
	free(p);
}

static NDIS_STATUS pend(enum cn_req kind, struct cm_vc *v, struct cm_party *p,
			PCO_CALL_PARAMETERS params)
{
	struct cm_req *r = calloc(1, sizeof(*r)), **tail;

	if (r == NULL)
		return NDIS_STATUS_RESOURCES;
	r->kind = kind;
	r->vc = v;
	r->party = p;
	r->params = params;
	for (tail = &cm.pending; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = r;
	cm.n_pending++;
	cm.st.pended++;
	return NDIS_STATUS_PENDING;
}

/*
 * A12, early delivery (CN_OPT_A12_EARLY): a request that was just pended,
 * the last of cm.pending, is completed with SUCCESS now, before its handler
 * returns PENDING, as a completion from another CPU can be. After this the
 * handler must not touch the request's VC or party state (A9). @st is what
 * pend() returned.
 */
static NDIS_STATUS complete_early(NDIS_STATUS st)
{
	const struct cn_config *cfg = cn_engine_config();

	if (st == NDIS_STATUS_PENDING && cfg != NULL &&
	    (cfg->options & CN_OPT_A12_EARLY) && cm.n_pending > 0)
		(void)drv_cm_complete(cm.n_pending - 1, NDIS_STATUS_SUCCESS);
	return st;
}

/*
 * A2: @p (DROPPING) is the last party of its call: no other one is
 * connected or being dropped (an ADDING one may still fail, and counts
 * only under CN_OPT_A2_COUNT_CONNECTING). Its drop is
 * then answered or completed with FAILURE, whoever asked (NDIS forwards
 * it with CN_OPT_A2_CM_FAILS, or while another drop is in flight).
 */
static int last_standing(const struct cm_party *p)
{
	const struct cn_config *cfg = cn_engine_config();
	/* The [sample] reading of A2 counts a party being added too. */
	int adding = cfg != NULL &&
		     (cfg->options & CN_OPT_A2_COUNT_CONNECTING);
	const struct cm_party *q;

	for (q = p->vc->parties; q != NULL; q = q->next)
		if (q != p &&
		    (q->state == CMP_CONNECTED ||
		     q->state == CMP_REMOTE_DROPPED ||
		     q->state == CMP_DROPPING ||
		     (adding && q->state == CMP_SETUP)))
			return 0;
	return 1;
}

/* Connected parties of @v (C13 counts these). */
static uint32_t connected(const struct cm_vc *v)
{
	const struct cm_party *p;
	uint32_t n = 0;

	for (p = v->parties; p != NULL; p = p->next)
		n += p->state == CMP_CONNECTED ||
		     p->state == CMP_REMOTE_DROPPED;
	return n;
}

/*
 * Incoming calls: the VC is this CM's (NdisCoCreateVc with its own
 * binding, NdisMCmCreateVc for the MCM), offered on the client's SAP;
 * accepted, it is activated and reported connected; it is deleted after
 * the client refused it or its close completed (C25), and its context
 * freed once the delete returned.
 */
static void incoming_vc_delete(struct cm_vc *v)
{
	struct cm_vc **pp;
	NDIS_STATUS st = cm.mcm ? NdisMCmDeleteVc(v->handle)
				: NdisCoDeleteVc(v->handle);

	if (st != NDIS_STATUS_SUCCESS) {
		cm.st.protocol_errors++;
		return;
	}
	for (pp = &cm.vcs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == v) {
			*pp = v->next;
			break;
		}
	cm.st.live_contexts--;
	free(v);
}

/* The client accepted: activate, then report the call connected. */
static void incoming_connect(struct cm_vc *v)
{
	if (cm.ops->activate(v->handle, &v->params) != NDIS_STATUS_SUCCESS) {
		cm.st.protocol_errors++;
		return;
	}
	v->state = CMV_CONNECTED;
	if (cm.mcm)
		NdisMCmDispatchCallConnected(v->handle);
	else
		NdisCmDispatchCallConnected(v->handle);
}

static PROTOCOL_CM_INCOMING_CALL_COMPLETE cm_incoming_call_complete;
static PROTOCOL_CM_REG_SAP cm_register_sap;
static PROTOCOL_CM_DEREGISTER_SAP cm_deregister_sap;

static VOID cm_incoming_call_complete(NDIS_STATUS Status,
				      NDIS_HANDLE CallMgrVcContext,
				      PCO_CALL_PARAMETERS CallParameters)
{
	struct cm_vc *v = CallMgrVcContext;

	if (!v->incoming || v->state != CMV_MAKING ||
	    CallParameters != &v->params) {
		cm.st.protocol_errors++;
		return;
	}
	if (Status == NDIS_STATUS_SUCCESS)
		incoming_connect(v);
	else
		incoming_vc_delete(v);
}

static NDIS_STATUS cm_register_sap(NDIS_HANDLE CallMgrAfContext, PCO_SAP Sap,
				   NDIS_HANDLE NdisSapHandle,
				   PNDIS_HANDLE CallMgrSapContext)
{
	(void)CallMgrAfContext;
	(void)Sap;
	cm.sap = NdisSapHandle;
	*CallMgrSapContext = &cm;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cm_deregister_sap(NDIS_HANDLE CallMgrSapContext)
{
	(void)CallMgrSapContext;
	cm.sap = NULL;
	return NDIS_STATUS_SUCCESS;
}

enum drv_result drv_cm_incoming_call(void)
{
	struct cm_vc *v, **tail;
	NDIS_HANDLE h = NULL;
	NDIS_STATUS st;

	if (!cm.registered || cm.sap == NULL || cm.af == NULL ||
	    cm.notifying)
		return DRV_NOOP; /* no new call while the family closes */
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return DRV_REFUSED;
	st = cm.mcm ? NdisMCmCreateVc(cm.binding, cm.af, v, &h)
		    : NdisCoCreateVc(cm.binding, cm.af, v, &h);
	if (st != NDIS_STATUS_SUCCESS) {
		free(v);
		return DRV_DONE;
	}
	v->handle = h;
	v->incoming = 1;
	v->state = CMV_MAKING; /* offered */
	for (tail = &cm.vcs; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = v;
	cm.st.live_contexts++;
	st = cm.mcm ? NdisMCmDispatchIncomingCall(cm.sap, h, &v->params)
		    : NdisCmDispatchIncomingCall(cm.sap, h, &v->params);
	if (st == NDIS_STATUS_SUCCESS)
		incoming_connect(v);
	else if (st != NDIS_STATUS_PENDING)
		incoming_vc_delete(v); /* refused */
	/* PENDING: the client answers through cm_incoming_call_complete (it
	 * may have already, from inside its handler). */
	return DRV_DONE;
}

/*
 * Handlers (registered with NDIS)
 */

static NDIS_STATUS cm_create_vc(NDIS_HANDLE ProtocolAfContext,
				NDIS_HANDLE NdisVcHandle,
				PNDIS_HANDLE ProtocolVcContext)
{
	struct cm_vc *v = calloc(1, sizeof(*v)), **tail;

	(void)ProtocolAfContext;
	if (v == NULL)
		return NDIS_STATUS_RESOURCES;
	v->handle = NdisVcHandle;
	v->state = CMV_IDLE;
	for (tail = &cm.vcs; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = v;
	cm.st.live_contexts++;
	*ProtocolVcContext = v;
	return NDIS_STATUS_SUCCESS;
}

/*
 * The MCM's data path: MiniportCoSendNetBufferLists (the
 * MiniportVcContext is the CM's VC context). The host decides, as for a
 * request: complete at once with SUCCESS, hold the chain for a later
 * drv_cm_complete(), or complete at once with the failure as the chain's
 * status. A chain is completed exactly once, by the VC it came on (C3).
 */
static ULONG send_complete_flags(void)
{
	return KeGetCurrentIrql() == DISPATCH_LEVEL
		       ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL
		       : 0;
}

static VOID mcm_send(NDIS_HANDLE MiniportVcContext,
		     PNET_BUFFER_LIST NetBufferLists, ULONG SendFlags)
{
	struct cm_vc *v = MiniportVcContext;
	struct drv_choice c = decide(CN_REQ_NONE);
	struct cm_send *s, **tail;

	(void)SendFlags;
	if (c.decision == DRV_PEND && (s = calloc(1, sizeof(*s))) != NULL) {
		s->vc = v;
		s->nbl = NetBufferLists;
		for (tail = &cm.sends; *tail != NULL; tail = &(*tail)->next)
			;
		*tail = s;
		cm.n_sends++;
		return;
	}
	NET_BUFFER_LIST_STATUS(NetBufferLists) =
		c.decision == DRV_SYNC_FAIL ? c.fail_status
					    : NDIS_STATUS_SUCCESS;
	NdisMCoSendNetBufferListsComplete(v->handle, NetBufferLists,
					  send_complete_flags());
}

/* Complete held send #k (oldest first) with @status. */
static enum drv_result send_done(uint32_t k, NDIS_STATUS status)
{
	struct cm_send *s, **pp = &cm.sends;

	for (; k > 0; k--)
		pp = &(*pp)->next;
	s = *pp;
	*pp = s->next;
	cm.n_sends--;
	NET_BUFFER_LIST_STATUS(s->nbl) = status;
	NdisMCoSendNetBufferListsComplete(s->vc->handle, s->nbl,
					  send_complete_flags());
	free(s);
	return DRV_DONE;
}

/*
 * ProtocolCoOidRequest: the client's OID requests on the family, a VC or
 * a party. The reference call manager answers every one at once (a
 * decision to pend reads SUCCESS): OID_GEN_CO_LINK_SPEED is answered,
 * anything else NDIS_STATUS_NOT_SUPPORTED; a decided failure is returned
 * as it is. It reads the party's context, which must be alive (C18's
 * memory half: ASan).
 */
static NDIS_STATUS cm_oid_request(NDIS_HANDLE ProtocolAfContext,
				  NDIS_HANDLE ProtocolVcContext,
				  NDIS_HANDLE ProtocolPartyContext,
				  PNDIS_OID_REQUEST OidRequest)
{
	struct drv_choice c = decide(CN_REQ_NONE);
	struct cm_party *p = ProtocolPartyContext;
	PNDIS_CO_LINK_SPEED ls;

	(void)ProtocolAfContext;
	(void)ProtocolVcContext;
	if (p != NULL && p->handle == NULL)
		return NDIS_STATUS_FAILURE;
	if (c.decision == DRV_SYNC_FAIL)
		return c.fail_status;
	if (OidRequest->RequestType != NdisRequestQueryInformation ||
	    OidRequest->DATA.QUERY_INFORMATION.Oid != OID_GEN_CO_LINK_SPEED)
		return NDIS_STATUS_NOT_SUPPORTED;
	if (OidRequest->DATA.QUERY_INFORMATION.InformationBufferLength <
	    sizeof(*ls)) {
		OidRequest->DATA.QUERY_INFORMATION.BytesNeeded = sizeof(*ls);
		return NDIS_STATUS_INVALID_LENGTH;
	}
	ls = OidRequest->DATA.QUERY_INFORMATION.InformationBuffer;
	ls->Outbound = ls->Inbound = 1555200; /* 155.52 Mbps, in 100 bps */
	OidRequest->DATA.QUERY_INFORMATION.BytesWritten = sizeof(*ls);
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cm_delete_vc(NDIS_HANDLE ProtocolVcContext)
{
	struct cm_vc *v = ProtocolVcContext, **pp;

	if (v->parties != NULL || v->state != CMV_IDLE)
		cm.st.protocol_errors++;
	for (pp = &cm.vcs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == v) {
			*pp = v->next;
			break;
		}
	while (v->parties != NULL) {
		struct cm_party *p = v->parties;

		v->parties = p->next;
		party_free(p);
	}
	cm.st.live_contexts--;
	free(v);
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cm_make_call(NDIS_HANDLE CallMgrVcContext,
				PCO_CALL_PARAMETERS CallParameters,
				NDIS_HANDLE NdisPartyHandle,
				PNDIS_HANDLE CallMgrPartyContext)
{
	struct cm_vc *v = CallMgrVcContext;
	struct cm_party *p = NULL;
	struct drv_choice c = decide(CN_REQ_MAKE_CALL);
	NDIS_STATUS st;

	if (v->state != CMV_IDLE)
		cm.st.protocol_errors++;
	v->remote_closed = 0;
	if (NdisPartyHandle != NULL) {
		p = party_new(v, NdisPartyHandle);
		if (p == NULL)
			return NDIS_STATUS_RESOURCES;
	}
	v->state = CMV_MAKING;
	switch (c.decision) {
	case DRV_SYNC_SUCCESS:
		st = cm.ops->activate(v->handle, CallParameters); /* C22 */
		if (st != NDIS_STATUS_SUCCESS)
			break;
		v->state = CMV_CONNECTED;
		if (p != NULL) {
			p->state = CMP_CONNECTED;
			*CallMgrPartyContext = p; /* C16 */
		}
		return NDIS_STATUS_SUCCESS;
	case DRV_PEND:
		st = pend(CN_REQ_MAKE_CALL, v, p, CallParameters);
		if (st == NDIS_STATUS_PENDING)
			return complete_early(st);
		break;
	default:
		st = c.fail_status;
		break;
	}
	if (p != NULL) {
		party_unlink(p);
		party_free(p);
	}
	v->state = CMV_IDLE;
	return st;
}

static NDIS_STATUS cm_add_party(NDIS_HANDLE CallMgrVcContext,
				PCO_CALL_PARAMETERS CallParameters,
				NDIS_HANDLE NdisPartyHandle,
				PNDIS_HANDLE CallMgrPartyContext)
{
	struct cm_vc *v = CallMgrVcContext;
	struct cm_party *p = party_new(v, NdisPartyHandle);
	struct drv_choice c = decide(CN_REQ_ADD_PARTY);
	NDIS_STATUS st;

	if (p == NULL)
		return NDIS_STATUS_RESOURCES;
	switch (c.decision) {
	case DRV_SYNC_SUCCESS:
		p->state = CMP_CONNECTED;
		*CallMgrPartyContext = p; /* C16 */
		/* B19: the request is queued for completion before the
		 * decision to answer at once: completed after a sync return. */
		if (pf_bug_is(PF_BUG_B19))
			(void)pend(CN_REQ_ADD_PARTY, v, p, CallParameters);
		return NDIS_STATUS_SUCCESS;
	case DRV_PEND:
		st = pend(CN_REQ_ADD_PARTY, v, p, CallParameters);
		if (st == NDIS_STATUS_PENDING)
			return complete_early(st);
		break;
	default:
		st = c.fail_status;
		break;
	}
	party_unlink(p);
	party_free(p);
	return st;
}

static NDIS_STATUS cm_drop_party(NDIS_HANDLE CallMgrPartyContext,
				 PVOID CloseData, UINT Size)
{
	struct cm_party *p = CallMgrPartyContext;
	struct drv_choice c = decide(CN_REQ_DROP_PARTY);
	enum cmp_state was = p->state;
	NDIS_STATUS st;

	if (close_data_unsupported(CloseData, Size))
		return NDIS_STATUS_INVALID_DATA; /* C20 */
	p->drop_from = was;
	p->state = CMP_DROPPING; /* R4: no incoming drop for it now */
	switch (c.decision) {
	case DRV_SYNC_SUCCESS:
		if (last_standing(p)) {
			st = NDIS_STATUS_FAILURE; /* A2: close it instead */
			break;
		}
		party_unlink(p); /* C19: freed, never completed */
		party_free(p);
		return NDIS_STATUS_SUCCESS;
	case DRV_PEND:
		if (pf_bug_is(PF_BUG_B21)) {
			/* B21: "ProtocolCmDropParty frees its context"; the
			 * completion later reads the handle from it. */
			struct cm_vc *v = p->vc;
			/* volatile: the dangling pointer is the planted
			 * bug; gcc's -Wuse-after-free must not stop the
			 * -Werror build that carries it. */
			struct cm_party *volatile dangling = p;

			party_unlink(p);
			party_free(p);
			return pend(CN_REQ_DROP_PARTY, v, dangling, NULL);
		}
		st = pend(CN_REQ_DROP_PARTY, p->vc, p, NULL);
		if (st == NDIS_STATUS_PENDING) {
			st = complete_early(st);
			/* B32: "remember where the pended drop started" after
			 * pending it; an early completion (A12) has already
			 * freed the context. */
			if (pf_bug_is(PF_BUG_B32)) {
				struct cm_party *volatile late = p;

				late->drop_from = was;
			}
			return st;
		}
		break;
	default:
		st = c.fail_status;
		break;
	}
	/* A4, P10: a failed drop leaves it where it was; one the network
	 * dropped stays dropped (R4: never indicated again). */
	p->state = was;
	return st;
}

static NDIS_STATUS cm_close_call(NDIS_HANDLE CallMgrVcContext,
				 NDIS_HANDLE CallMgrPartyContext,
				 PVOID CloseData, UINT Size)
{
	struct cm_vc *v = CallMgrVcContext;
	struct cm_party *p = CallMgrPartyContext;
	struct drv_choice c = decide(CN_REQ_CLOSE_CALL);
	NDIS_STATUS st;

	if (close_data_unsupported(CloseData, Size))
		return NDIS_STATUS_INVALID_DATA; /* C20 */
	if (connected(v) > 1)
		return NDIS_STATUS_FAILURE; /* C11: the CM fails it too */
	if (v->incoming) {
		/* Its own VC: it pends the close and deletes the VC after
		 * completing it (drv_cm_complete), never from inside this
		 * handler, where the VC is still closing. */
		v->state = CMV_CLOSING;
		v->closing = NULL;
		return pend(CN_REQ_CLOSE_CALL, v, NULL, NULL);
	}
	v->state = CMV_CLOSING;
	v->closing = p;
	if (p != NULL)
		p->state = CMP_CLOSING;
	switch (c.decision) {
	case DRV_SYNC_SUCCESS:
		st = cm.ops->deactivate(v->handle); /* C22, A8 */
		if (st != NDIS_STATUS_SUCCESS)
			break;
		if (p != NULL) {
			party_unlink(p);
			party_free(p);
		}
		v->closing = NULL;
		v->state = CMV_IDLE;
		v->remote_closed = 0;
		return NDIS_STATUS_SUCCESS;
	case DRV_PEND:
		st = pend(CN_REQ_CLOSE_CALL, v, p, NULL);
		if (st == NDIS_STATUS_PENDING)
			return complete_early(st);
		break;
	default:
		st = c.fail_status;
		break;
	}
	if (p != NULL)
		p->state = CMP_CONNECTED; /* A6 */
	v->closing = NULL;
	v->state = CMV_CONNECTED;
	return st;
}

/*
 * Registration and teardown
 */

static SET_OPTIONS cm_set_options;
static PROTOCOL_BIND_ADAPTER_EX cm_bind_adapter;
static MINIPORT_INITIALIZE mcm_initialize;
static PROTOCOL_CM_OPEN_AF cm_open_af;

static NDIS_STATUS cm_open_af(NDIS_HANDLE CallMgrBindingContext,
			      PCO_ADDRESS_FAMILY AddressFamily,
			      NDIS_HANDLE NdisAfHandle,
			      PNDIS_HANDLE CallMgrAfContext)
{
	if (CallMgrBindingContext != &cm ||
	    AddressFamily->AddressFamily != cm_af.AddressFamily)
		cm.st.protocol_errors++;
	cm.af = NdisAfHandle;
	cm.af_gone = 0;
	*CallMgrAfContext = &cm;
	return NDIS_STATUS_SUCCESS;
}

/* The client closes the family: nothing of the CM's is left on it (its
 * calls and SAP went first, C28). */
static PROTOCOL_CM_CLOSE_AF cm_close_af;

static NDIS_STATUS cm_close_af(NDIS_HANDLE CallMgrAfContext)
{
	if (CallMgrAfContext != &cm)
		cm.st.protocol_errors++;
	cm.af_gone = 1;
	return NDIS_STATUS_SUCCESS;
}

/*
 * The call manager's close of the family (A18): from its unbind path (a
 * stand-alone CM's ProtocolUnbindAdapterEx, an MCM's MiniportHaltEx) at
 * PASSIVE_LEVEL, once. The client's answer comes back from the call, or
 * later through ProtocolCmNotifyCloseAfComplete.
 */
static PROTOCOL_CM_NOTIFY_CLOSE_AF_COMPLETE cm_notify_close_af_complete;

static VOID cm_notify_close_af_complete(NDIS_STATUS Status,
					NDIS_HANDLE CallMgrAfContext)
{
	(void)Status; /* SUCCESS: the family is closed (cm_close_af) */
	if (CallMgrAfContext != &cm || !cm.notifying) {
		cm.st.protocol_errors++;
		return;
	}
	cm.notifying = 0;
}

enum drv_result drv_cm_notify_close_af(void)
{
	NDIS_STATUS st;

	if (!cm.registered || cm.af == NULL || cm.af_gone || cm.notifying)
		return DRV_NOOP;
	if (KeGetCurrentIrql() > PASSIVE_LEVEL)
		return DRV_REFUSED; /* C1: PASSIVE_LEVEL only */
	cm.notifying = 1;
	st = cm.mcm ? NdisMCmNotifyCloseAddressFamily(cm.af)
		    : NdisCmNotifyCloseAddressFamily(cm.af);
	if (st != NDIS_STATUS_PENDING)
		cm.notifying = 0;
	return DRV_DONE;
}

/* Both kinds: the call-manager handlers, from SetOptionsHandler. */
static NDIS_STATUS cm_set_options(NDIS_HANDLE NdisDriverHandle,
				  NDIS_HANDLE DriverContext)
{
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS h;
	NDIS_MINIPORT_CO_CHARACTERISTICS mco;
	NDIS_STATUS st;

	(void)DriverContext;
	if (cm.mcm) {
		/* The MCM's data path: its sends (condis_send.c). */
		memset(&mco, 0, sizeof(mco));
		mco.Header.Type = NDIS_OBJECT_TYPE_CO_MINIPORT_CHARACTERISTICS;
		mco.Header.Revision =
			NDIS_MINIPORT_CO_CHARACTERISTICS_REVISION_1;
		mco.Header.Size = sizeof(mco);
		mco.CoSendNetBufferListsHandler = mcm_send;
		st = NdisSetOptionalHandlers(
			NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&mco);
		if (st != NDIS_STATUS_SUCCESS)
			return st;
	}
	memset(&h, 0, sizeof(h));
	h.Header.Type = NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	h.Header.Revision = NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	h.Header.Size =
		NDIS_SIZEOF_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	h.CmCreateVcHandler = cm_create_vc;
	h.CmDeleteVcHandler = cm_delete_vc;
	h.CmOpenAfHandler = cm_open_af;
	h.CmCloseAfHandler = cm_close_af;
	h.CmNotifyCloseAfCompleteHandler = cm_notify_close_af_complete;
	h.CmMakeCallHandler = cm_make_call;
	h.CmCloseCallHandler = cm_close_call;
	h.CmAddPartyHandler = cm_add_party;
	h.CmDropPartyHandler = cm_drop_party;
	h.CmIncomingCallCompleteHandler = cm_incoming_call_complete;
	h.CmRegisterSapHandler = cm_register_sap;
	h.CmDeregisterSapHandler = cm_deregister_sap;
	h.CmOidRequestHandler = cm_oid_request;
	return NdisSetOptionalHandlers(NdisDriverHandle,
				       (PNDIS_DRIVER_OPTIONAL_HANDLERS)&h);
}

/* Stand-alone CM: open the adapter, register the family on it. */
static NDIS_STATUS cm_bind_adapter(NDIS_HANDLE ProtocolDriverContext,
				   NDIS_HANDLE BindContext,
				   PNDIS_BIND_PARAMETERS BindParameters)
{
	NDIS_MEDIUM media[] = { NdisMediumCoWan, NdisMediumAtm };
	NDIS_OPEN_PARAMETERS op;
	UINT selected = 0;
	NDIS_STATUS st;

	(void)ProtocolDriverContext;
	(void)BindParameters;
	memset(&op, 0, sizeof(op));
	op.Header.Type = NDIS_OBJECT_TYPE_OPEN_PARAMETERS;
	op.Header.Revision = NDIS_OPEN_PARAMETERS_REVISION_1;
	op.Header.Size = sizeof(op);
	op.MediumArray = media;
	op.MediumArraySize = sizeof(media) / sizeof(media[0]);
	op.SelectedMediumIndex = &selected;
	st = NdisOpenAdapterEx(cm.driver, &cm, &op, BindContext, &cm.binding);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	st = NdisCmRegisterAddressFamilyEx(cm.binding, &cm_af);
	cm.af_registered = st == NDIS_STATUS_SUCCESS;
	return st;
}

/* MCM: the adapter context, then the family. */
static NDIS_STATUS
mcm_initialize(NDIS_HANDLE NdisMiniportHandle,
	       NDIS_HANDLE MiniportDriverContext,
	       PNDIS_MINIPORT_INIT_PARAMETERS InitParameters)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES ra;
	NDIS_STATUS st;

	(void)MiniportDriverContext;
	(void)InitParameters;
	memset(&ra, 0, sizeof(ra));
	ra.Header.Type =
		NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	ra.Header.Revision =
		NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	ra.Header.Size = sizeof(ra);
	ra.MiniportAdapterContext = &cm;
	ra.InterfaceType = NdisInterfaceInternal;
	st = NdisMSetMiniportAttributes(
		NdisMiniportHandle, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&ra);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	cm.binding = NdisMiniportHandle;
	st = NdisMCmRegisterAddressFamilyEx(NdisMiniportHandle, &cm_af);
	cm.af_registered = st == NDIS_STATUS_SUCCESS;
	return st;
}

static NDIS_STATUS register_standalone(void)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS pc;

	memset(&pc, 0, sizeof(pc));
	pc.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
	pc.Header.Revision = NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	pc.Header.Size =
		NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	pc.MajorNdisVersion = 6;
	pc.MinorNdisVersion = 0;
	pc.SetOptionsHandler = cm_set_options;
	pc.BindAdapterHandlerEx = cm_bind_adapter;
	return NdisRegisterProtocolDriver(&cm, &pc, &cm.driver);
}

static NDIS_STATUS register_miniport(void)
{
	static DRIVER_OBJECT driver_object;
	static UNICODE_STRING registry_path;
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS mc;

	memset(&mc, 0, sizeof(mc));
	mc.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	mc.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	mc.Header.Size =
		NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	mc.MajorNdisVersion = 6;
	mc.MinorNdisVersion = 0;
	mc.SetOptionsHandler = cm_set_options;
	mc.InitializeHandlerEx = mcm_initialize;
	return NdisMRegisterMiniportDriver(&driver_object, &registry_path, &cm,
					   &mc, &cm.driver);
}

int drv_cm_register(enum cn_cm_kind kind, drv_decide_fn fn, void *arg)
{
	NDIS_STATUS st;

	if (cm.registered ||
	    (kind != CN_CM_STANDALONE && kind != CN_CM_MINIPORT))
		return PT_E_INVAL;
	/* Ready before registering: NDIS may call any handler at once. */
	cm.mcm = kind == CN_CM_MINIPORT;
	cm.ops = cm.mcm ? &cm_ops_miniport : &cm_ops_standalone;
	cm.decide = fn;
	cm.decide_arg = arg;
	memset(&cm.st, 0, sizeof(cm.st));
	cm.registered = 1;
	st = cm.mcm ? register_miniport() : register_standalone();
	if (st != NDIS_STATUS_SUCCESS || !cm.af_registered) {
		memset(&cm, 0, sizeof(cm));
		return PT_E_INVAL;
	}
	return PT_OK;
}

void drv_cm_teardown(void)
{
	while (cm.sends != NULL) {
		struct cm_send *s = cm.sends;

		cm.sends = s->next;
		free(s);
	}
	while (cm.pending != NULL) {
		struct cm_req *r = cm.pending;

		cm.pending = r->next;
		free(r);
	}
	while (cm.vcs != NULL) {
		struct cm_vc *v = cm.vcs;

		cm.vcs = v->next;
		while (v->parties != NULL) {
			struct cm_party *p = v->parties;

			v->parties = p->next;
			free(p);
		}
		free(v);
	}
	memset(&cm, 0, sizeof(cm));
}

/*
 * Unbinding and unload (the end of a run, ref_table.c): a stand-alone CM
 * closes its binding in ProtocolUnbindAdapterEx (an MCM's adapter is
 * halted with the driver); DriverUnload deregisters and frees what the
 * CM still holds.
 */
void drv_cm_unbind(void)
{
	if (cm.registered && !cm.mcm && cm.binding != NULL)
		(void)NdisCloseAdapterEx(cm.binding);
	if (!cm.mcm)
		cm.binding = NULL;
}

void drv_cm_unload(void)
{
	if (cm.registered && cm.driver != NULL) {
		if (cm.mcm)
			NdisMDeregisterMiniportDriver(cm.driver);
		else
			NdisDeregisterProtocolDriver(cm.driver);
	}
	drv_cm_teardown();
}

/*
 * Stimuli
 */

uint32_t drv_cm_pending_count(void)
{
	return cm.n_pending;
}

int drv_cm_pending_get(uint32_t k, struct cn_pending_info *out)
{
	struct cm_req *r = cm.pending;

	while (r != NULL && k-- > 0)
		r = r->next;
	if (r == NULL || out == NULL)
		return PT_E_INVAL;
	out->kind = r->kind;
	out->vc = r->vc->handle;
	out->party = r->party ? r->party->handle : NULL;
	return PT_OK;
}

/*
 * The activation of a pended make call. B28: the MCM's completion path,
 * copied from the stand-alone CM, still calls NdisCmActivateVc. (Its
 * completions may say NdisCm* or NdisMCm*: those are one function, only
 * the VC functions tell the families apart, C5.)
 */
/*
 * A pended setup that succeeds went through the network's negotiation:
 * the CM writes what it settled into the client's CallParameters and says
 * so (CALL_PARAMETERS_CHANGED), before its completion hands them back
 * (C8: they are the client's memory, alive until the client's completion
 * handler runs).
 */
static void negotiated(PCO_CALL_PARAMETERS params)
{
	if (params != NULL)
		params->Flags |= CALL_PARAMETERS_CHANGED;
}

static NDIS_STATUS activate_pended(struct cm_vc *v, PCO_CALL_PARAMETERS params)
{
	if (pf_bug_is(PF_BUG_B28) && cm.mcm)
		return NdisCmActivateVc(v->handle, params);
	return cm.ops->activate(v->handle, params);
}

enum drv_result drv_cm_complete(uint32_t k, NDIS_STATUS status)
{
	struct cm_req *r, **pp = &cm.pending;
	struct cm_party *p;
	struct cm_vc *v;
	NDIS_HANDLE ph;
	KIRQL old_irql = PASSIVE_LEVEL;
	int ok, incoming;

	if (cm.n_pending + cm.n_sends == 0)
		return DRV_NOOP;
	/* The sends the MCM holds count after its requests (driver.h). */
	if (k % (cm.n_pending + cm.n_sends) >= cm.n_pending)
		return send_done(k % (cm.n_pending + cm.n_sends) -
					 cm.n_pending,
				 status == NDIS_STATUS_PENDING &&
						 !pf_bug_is(PF_BUG_B20)
					 ? NDIS_STATUS_FAILURE
					 : status);
	for (k %= cm.n_pending; k > 0; k--)
		pp = &(*pp)->next;
	r = *pp;
	*pp = r->next;
	cm.n_pending--;
	/* B20: the status of the decision is passed on as it is. */
	if (status == NDIS_STATUS_PENDING && !pf_bug_is(PF_BUG_B20))
		status = NDIS_STATUS_FAILURE; /* C4 */
	ok = status == NDIS_STATUS_SUCCESS;
	v = r->vc;
	p = r->party;
	ph = p ? p->handle : NULL;
	/* B26: the drop completion names the VC's first party. */
	if (pf_bug_is(PF_BUG_B26) && r->kind == CN_REQ_DROP_PARTY &&
	    v->parties != NULL)
		ph = v->parties->handle;
	/* B29: "raise to HIGH_LEVEL to protect the party list". */
	if (pf_bug_is(PF_BUG_B29))
		KeRaiseIrql(HIGH_LEVEL, &old_irql);
	cm.st.completed++;
	switch (r->kind) {
	case CN_REQ_MAKE_CALL:
		/* B30: the activation is skipped on this path. */
		if (ok && !pf_bug_is(PF_BUG_B30) &&
		    activate_pended(v, r->params) != NDIS_STATUS_SUCCESS)
			ok = 0, status = NDIS_STATUS_FAILURE;
		v->state = ok ? CMV_CONNECTED : CMV_IDLE;
		if (ok)
			negotiated(r->params);
		if (p != NULL && ok)
			p->state = CMP_CONNECTED;
		else if (p != NULL)
			party_unlink(p);
		cm.ops->make_call_complete(status, v->handle, ph,
					   ok ? p : NULL, r->params);
		if (p != NULL && !ok)
			party_free(p); /* after the call returned */
		break;
	case CN_REQ_ADD_PARTY:
		if (ok) {
			negotiated(r->params);
			p->state = CMP_CONNECTED;
		} else
			party_unlink(p);
		/* B25: the context is not passed back. */
		cm.ops->add_party_complete(
			status, ph, ok && !pf_bug_is(PF_BUG_B25) ? p : NULL,
			r->params);
		if (!ok)
			party_free(p);
		break;
	case CN_REQ_DROP_PARTY:
		if (ok && last_standing(p))
			ok = 0, status = NDIS_STATUS_FAILURE; /* A2 */
		if (pf_bug_is(PF_BUG_B18)) {
			/* B18: the drop is finished in the CM, but the
			 * completion to NDIS is forgotten. */
			party_unlink(p);
			party_free(p);
			break;
		}
		if (pf_bug_is(PF_BUG_B24) && ok) {
			/* B24: the party is kept as connected after its
			 * drop completed (a late status may still name
			 * it). */
			p->state = CMP_CONNECTED;
			cm.ops->drop_party_complete(status, ph);
			break;
		}
		if (ok)
			party_unlink(p);
		else
			p->state = p->drop_from; /* A4, P10 */
		cm.ops->drop_party_complete(status, ph);
		if (ok)
			party_free(p); /* A9: only after it returned */
		break;
	case CN_REQ_CLOSE_CALL:
		/* The client may delete its own VC from its completion
		 * handler (ProtocolCoDeleteVc frees v): read v first. */
		incoming = v->incoming;
		if (ok && cm.ops->deactivate(v->handle) != NDIS_STATUS_SUCCESS)
			ok = 0, status = NDIS_STATUS_FAILURE;
		v->closing = NULL;
		if (ok) {
			v->state = CMV_IDLE;
			v->remote_closed = 0;
			if (p != NULL)
				party_unlink(p);
		} else {
			v->state = CMV_CONNECTED; /* A6 */
			if (p != NULL)
				p->state = CMP_CONNECTED;
		}
		cm.ops->close_call_complete(status, v->handle, ph);
		if (ok && p != NULL)
			party_free(p);
		if (ok && incoming)
			incoming_vc_delete(v); /* the close completed */
		break;
	default:
		cm.st.protocol_errors++;
		break;
	}
	if (pf_bug_is(PF_BUG_B29))
		KeLowerIrql(old_irql);
	free(r);
	return DRV_DONE;
}

enum drv_result drv_cm_incoming_drop(uint32_t k, NDIS_STATUS drop_status)
{
	struct cm_party *p;
	struct cm_vc *v;
	uint32_t n = 0, min;

	/* Count the candidates, then take #k mod n (C13, R4). */
	/* B23: "a connected party of a connected call" (>= 1). */
	min = pf_bug_is(PF_BUG_B23) ? 1 : 2;
	for (v = cm.vcs; v != NULL; v = v->next)
		if (v->state == CMV_CONNECTED && connected(v) >= min)
			for (p = v->parties; p != NULL; p = p->next)
				n += p->state == CMP_CONNECTED;
	if (n == 0)
		return DRV_NOOP;
	k %= n;
	for (v = cm.vcs; v != NULL; v = v->next) {
		if (v->state != CMV_CONNECTED || connected(v) < min)
			continue;
		for (p = v->parties; p != NULL; p = p->next) {
			if (p->state != CMP_CONNECTED || k-- > 0)
				continue;
			p->state = CMP_REMOTE_DROPPED;
			cm.ops->incoming_drop(drop_status, p->handle, NULL, 0);
			if (pf_bug_is(PF_BUG_B22)) {
				/* B22: "the leaf is gone": its context too,
				 * though the client's drop will name it. */
				party_unlink(p);
				party_free(p);
			}
			return DRV_DONE;
		}
	}
	return DRV_NOOP;
}

enum drv_result drv_cm_incoming_close(uint32_t k, NDIS_STATUS close_status)
{
	struct cm_vc *v;
	uint32_t n = 0;

	for (v = cm.vcs; v != NULL; v = v->next)
		n += v->state == CMV_CONNECTED && !v->remote_closed;
	if (n == 0)
		return DRV_NOOP;
	k %= n;
	for (v = cm.vcs; v != NULL; v = v->next) {
		if (v->state != CMV_CONNECTED || v->remote_closed || k-- > 0)
			continue;
		v->remote_closed = 1;
		cm.ops->incoming_close(close_status, v->handle, NULL, 0);
		return DRV_DONE;
	}
	return DRV_NOOP;
}

void drv_cm_stats(struct drv_cm_stats *out)
{
	*out = cm.st;
}
