/*
 * puppet.c - the adversary's puppet drivers (driver.h
 * pf_puppet_stimuli): the harness itself as client and call manager, for
 * fuzz_condis_adversary. Its handlers record and answer as the operation
 * says (the host's decide(), or the ddi op's own status), and it calls the
 * DDIs directly, with any handle, status and IRQL (op ddi): every
 * violation must be the one the model predicts.
 *
 * It registers with the engine directly (cn_register_client,
 * cn_register_call_manager), not through NDIS's registration: the
 * adversary's bring-up is not under test. Contexts are small integers
 * cast to handles (never dereferenced): the VC context of the CM is the
 * NdisVcHandle itself, its party context the party handle. Handles are
 * kept in issuance order, in P (reset at load).
 *
 * Context: single-threaded; every entry runs inside one operation of the
 * run loop (fuzz/harness/run.c).
 */
#include <string.h>

#include "driver.h"
#include "harness/program.h"
#include "partyfuzz/condis.h"
#include "partyfuzz/ndis.h"

#define POOL_MAX 64

static struct {
	const struct pf_host *host;
	int mcm;
	/* op ddi: its status answers the CM's handlers while it runs */
	int in_ddi;
	uint8_t ddi_cm;    /* enum pf_status */
	uint8_t misbehave; /* PF_DDI_* flags of the current ddi op */
	/* The CM has ProtocolCmOpenAf/CloseAf/RegisterSap/DeregisterSap
	 * this run (pp_load), and a ddi op that makes one of those requests
	 * runs: its status is their answer (else SUCCESS). */
	int af_handlers;
	int af_request;
	/* op leave_irql: 1 + the pf_irql the actor's next callback returns
	 * at, 0 none (kept until a callback takes it). */
	uint8_t leave_irql[PF_ACTOR_COUNT];
	/* ddi 36, 37: 1 + the pf_status the puppet client's next
	 * ProtocolCoCreateVc / ProtocolCoDeleteVc answers, 0: SUCCESS
	 * (kept until a callback takes it: a deferred delete, I3). */
	uint8_t cl_create_answer, cl_delete_answer;
	/* ddi 38: 1 + the pf_status with which the puppet client's
	 * ProtocolClIncomingCall completes its call from inside, 0 none. */
	uint8_t cl_offer_early;

	NDIS_HANDLE cl_binding, cl_af, cm_binding;
	NDIS_HANDLE sap; /* the last SAP registered (C28) */
	uint64_t vcs[POOL_MAX];
	uint32_t nvcs;
	uint64_t parties[POOL_MAX];
	uint32_t party_vc[POOL_MAX]; /* index into vcs, or POOL_MAX */
	uint32_t nparties;
	/* Sends: the next chain of the pool to send, the chains the puppet
	 * MCM holds (oldest first) and the one it completed last. */
	uint32_t next_nbl;
	uint64_t held_vc[POOL_MAX];
	PNET_BUFFER_LIST held[POOL_MAX];
	uint32_t nheld;
	PNET_BUFFER_LIST last_done;
	/* OID requests: the next of the pool, the ones the puppet CM
	 * pended (request, VC and party handles), oldest first. */
	uint32_t next_oid;
	PNDIS_OID_REQUEST oid_req[POOL_MAX];
	uint64_t oid_vc[POOL_MAX], oid_party[POOL_MAX];
	uint32_t noids;
} P;

/* The puppet client's send chains (reused in turn), and one it never
 * sends (a completion of it is C3). */
#define NBL_POOL 8
static NET_BUFFER_LIST nbl_pool[NBL_POOL], nbl_foreign;
/* The same for OID requests. */
#define OID_POOL 8
static NDIS_OID_REQUEST oid_pool[OID_POOL], oid_foreign;

/* The puppet client's CallParameters and the puppet CM's (its
 * completions pass their own), and the Buffer of its indications: three
 * objects, so that the model can tell which one a callback got. */
static CO_CALL_PARAMETERS params_static, params_cm;
static char indication_data[4] = "bye";

static NDIS_HANDLE H(uint64_t h)
{
	return CN_HANDLE(h);
}

/*
 * Puppet drivers: the harness as client and call manager. Contexts are
 * small integers cast to handles (never dereferenced): the VC context of
 * the CM is the NdisVcHandle itself, its party context the party handle.
 */

static void pool_party(NDIS_HANDLE ph, NDIS_HANDLE vc)
{
	uint64_t h = CN_HANDLE_VALUE(ph);
	uint32_t i, v = POOL_MAX;

	if (!ph || P.nparties >= POOL_MAX)
		return;
	for (i = 0; i < P.nparties; i++)
		if (P.parties[i] == h)
			return;
	for (i = 0; i < P.nvcs; i++)
		if (P.vcs[i] == CN_HANDLE_VALUE(vc))
			v = i;
	P.parties[P.nparties] = h;
	P.party_vc[P.nparties] = v;
	P.nparties++;
}

/* The CM's answer: the ddi op's status while one runs, else the host's
 * decision for the current operation (its cm=; SUCCESS outside one). */
static NDIS_STATUS cm_answer(void)
{
	struct drv_choice c;

	if (P.in_ddi)
		return pf_status_value(P.ddi_cm);
	c = P.host->decide(P.host->decide_arg, CN_REQ_MAKE_CALL);
	if (c.decision == DRV_SYNC_SUCCESS)
		return NDIS_STATUS_SUCCESS;
	if (c.decision == DRV_PEND)
		return NDIS_STATUS_PENDING;
	return c.fail_status;
}

/*
 * op leave_irql: the puppet callback of @actor that runs now ends at the
 * IRQL the op asked for, with KeRaiseIrql/KeLowerIrql (each a trace step
 * the model walks); the engine judges the return (C1).
 */
static void pp_leave_irql(int actor)
{
	KIRQL want, cur, old;

	if (P.leave_irql[actor] == 0)
		return;
	want = (KIRQL)pf_irql_value(P.leave_irql[actor] - 1);
	P.leave_irql[actor] = 0;
	cur = KeGetCurrentIrql();
	if (want > cur)
		KeRaiseIrql(want, &old);
	else if (want < cur)
		KeLowerIrql(want);
}

static NDIS_STATUS cm_back(NDIS_STATUS st)
{
	pp_leave_irql(PF_ACTOR_CM);
	return st;
}

static void cl_back(void)
{
	pp_leave_irql(PF_ACTOR_CLIENT);
}

/* The VC a CallMgrVcContext names: the CM's context of a VC it created
 * itself is 0x3000 + its pool index (an incoming call, pp_incoming_ddi),
 * of any other the VC handle NDIS gave ProtocolCoCreateVc. */
static NDIS_HANDLE vc_of_ctx(NDIS_HANDLE ctx)
{
	uint64_t c = CN_HANDLE_VALUE(ctx);

	return c >= 0x3000 && c < 0x3000 + POOL_MAX && c - 0x3000 < P.nvcs
		       ? H(P.vcs[c - 0x3000])
		       : ctx;
}

static void cm_activate(NDIS_HANDLE vc)
{
	vc = vc_of_ctx(vc);
	if (P.mcm)
		(void)NdisMCmActivateVc(vc, &params_static);
	else
		(void)NdisCmActivateVc(vc, &params_static);
}

static void cm_deactivate(NDIS_HANDLE vc)
{
	vc = vc_of_ctx(vc);
	if (P.mcm)
		(void)NdisMCmDeactivateVc(vc);
	else
		(void)NdisCmDeactivateVc(vc);
}

/* A latched answer of the puppet client (ddi 36, 37), taken once:
 * SUCCESS when none is latched. */
static NDIS_STATUS cl_vc_answer(uint8_t *latch)
{
	NDIS_STATUS st =
		*latch ? pf_status_value(*latch - 1) : NDIS_STATUS_SUCCESS;

	*latch = 0;
	return st;
}

/* The puppet client's ProtocolCoCreateVc and ProtocolCoDeleteVc of a VC
 * the CM creates: SUCCESS, or what ddi 36/37 latched (a failure
 * refuses, PENDING is C26: the client's mistake of treating them as
 * requests that may pend). */
static NDIS_STATUS pp_create_vc(NDIS_HANDLE af, NDIS_HANDLE vc,
				PNDIS_HANDLE ctx)
{
	(void)af;
	*ctx = vc;
	return cl_vc_answer(&P.cl_create_answer);
}

static NDIS_STATUS pp_delete_vc(NDIS_HANDLE ctx)
{
	(void)ctx;
	return cl_vc_answer(&P.cl_delete_answer);
}

/* The puppet client's answer to an incoming call: the ddi op's status
 * while one runs (PENDING pends it), else SUCCESS. With ddi 38 it first
 * completes the call itself (its ProtocolVcContext is the VC handle,
 * pp_create_vc), as a client that answers from a common routine does:
 * only a PENDING return then keeps C3 (I2 of condis_incoming.c). */
static NDIS_STATUS pp_incoming_call(NDIS_HANDLE sap, NDIS_HANDLE vcctx,
				    PCO_CALL_PARAMETERS cp)
{
	(void)sap;
	if (P.cl_offer_early) {
		NDIS_STATUS cst = pf_status_value(P.cl_offer_early - 1);

		P.cl_offer_early = 0;
		NdisClIncomingCallComplete(cst, vcctx, cp);
	}
	return P.in_ddi ? pf_status_value(P.ddi_cm) : NDIS_STATUS_SUCCESS;
}

static VOID pp_call_connected(NDIS_HANDLE vcctx)
{
	(void)vcctx;
}

/* The CM's ProtocolCoCreateVc/DeleteVc answer the ddi op's status
 * (SUCCESS outside one): PENDING is C26, a failure refuses. */
static NDIS_STATUS pp_cm_create_vc(NDIS_HANDLE af, NDIS_HANDLE vc,
				   PNDIS_HANDLE ctx)
{
	(void)af;
	*ctx = vc;
	return cm_back(cm_answer());
}

static NDIS_STATUS pp_cm_delete_vc(NDIS_HANDLE ctx)
{
	(void)ctx;
	return cm_back(cm_answer());
}

/*
 * Misbehaviour of the puppet CM while it answers a client request, chosen
 * by the flags of the ddi op that made the request: PF_DDI_CTX_ODD gives
 * a NULL CallMgrPartyContext for a party (C16) or a non-NULL one without
 * (C17) on a make call, and on a close call answers SUCCESS without
 * deactivating the VC (C22); PF_DDI_CLOSE_DATA on NdisClMakeCall answers
 * SUCCESS without activating the VC (C22; on drops and closes the flag
 * passes close data, C20).
 */
static NDIS_STATUS pp_cm_make_call(NDIS_HANDLE vcctx, PCO_CALL_PARAMETERS cp,
				   NDIS_HANDLE ph, PNDIS_HANDLE cmpctx)
{
	NDIS_STATUS st = cm_answer();

	(void)cp;
	pool_party(ph, vcctx);
	if (st == NDIS_STATUS_SUCCESS && !(P.misbehave & PF_DDI_CLOSE_DATA))
		cm_activate(vcctx);
	if (!cmpctx)
		return cm_back(st);
	if (P.misbehave & PF_DDI_CTX_ODD)
		*cmpctx = ph ? NULL : H(0x7);
	else
		*cmpctx = ph;
	return cm_back(st);
}

static NDIS_STATUS pp_cm_add_party(NDIS_HANDLE vcctx, PCO_CALL_PARAMETERS cp,
				   NDIS_HANDLE ph, PNDIS_HANDLE cmpctx)
{
	(void)cp;
	pool_party(ph, vcctx);
	*cmpctx = (P.misbehave & PF_DDI_CTX_ODD) ? NULL : ph;
	return cm_back(cm_answer());
}

static NDIS_STATUS pp_cm_drop_party(NDIS_HANDLE cmpctx, PVOID data, UINT size)
{
	(void)cmpctx;
	(void)data;
	(void)size;
	return cm_back(cm_answer());
}

static NDIS_STATUS pp_cm_close_call(NDIS_HANDLE vcctx, NDIS_HANDLE cmpctx,
				    PVOID data, UINT size)
{
	NDIS_STATUS st = cm_answer();

	(void)cmpctx;
	(void)data;
	(void)size;
	if (st == NDIS_STATUS_SUCCESS && !(P.misbehave & PF_DDI_CTX_ODD))
		cm_deactivate(vcctx);
	return cm_back(st);
}

static VOID pp_make_call_complete(NDIS_STATUS s, NDIS_HANDLE vcctx,
				  NDIS_HANDLE ph, PCO_CALL_PARAMETERS cp)
{
	(void)s;
	(void)vcctx;
	(void)ph;
	(void)cp;
	cl_back();
}

static VOID pp_close_call_complete(NDIS_STATUS s, NDIS_HANDLE vcctx,
				   NDIS_HANDLE pctx)
{
	(void)s;
	(void)vcctx;
	(void)pctx;
	cl_back();
}

static VOID pp_add_party_complete(NDIS_STATUS s, NDIS_HANDLE pctx,
				  NDIS_HANDLE ph, PCO_CALL_PARAMETERS cp)
{
	(void)s;
	(void)pctx;
	(void)ph;
	(void)cp;
	cl_back();
}

static VOID pp_drop_party_complete(NDIS_STATUS s, NDIS_HANDLE pctx)
{
	(void)s;
	(void)pctx;
	cl_back();
}

static VOID pp_incoming_close(NDIS_STATUS s, NDIS_HANDLE vcctx, PVOID d,
			      UINT n)
{
	(void)s;
	(void)vcctx;
	(void)d;
	(void)n;
	cl_back();
}

static VOID pp_incoming_drop(NDIS_STATUS s, NDIS_HANDLE pctx, PVOID d, UINT n)
{
	(void)s;
	(void)pctx;
	(void)d;
	(void)n;
	cl_back();
}

/* Sends */

static VOID pp_send_complete(NDIS_HANDLE ProtocolVcContext,
			     PNET_BUFFER_LIST NetBufferLists,
			     ULONG SendCompleteFlags)
{
	(void)ProtocolVcContext;
	(void)NetBufferLists;
	(void)SendCompleteFlags;
}

/* The puppet MCM holds every chain (its VC context is the VC handle). */
static VOID pp_mp_send(NDIS_HANDLE MiniportVcContext,
		       PNET_BUFFER_LIST NetBufferLists, ULONG SendFlags)
{
	(void)SendFlags;
	if (P.nheld >= POOL_MAX)
		return;
	P.held_vc[P.nheld] = CN_HANDLE_VALUE(MiniportVcContext);
	P.held[P.nheld++] = NetBufferLists;
}

static void pp_send(uint64_t vh, int null_chain)
{
	PNET_BUFFER_LIST nbl = null_chain ? NULL
					  : &nbl_pool[P.next_nbl++ % NBL_POOL];

	NdisCoSendNetBufferLists(H(vh), nbl, 0);
}

/* op ddi NdisMCoSendNetBufferListsComplete (program.h): the oldest chain
 * held on @vh, or (@fl) a foreign one or the last one again. */
static void pp_send_done(uint64_t vh, NDIS_STATUS st, int fl)
{
	PNET_BUFFER_LIST nbl = NULL;
	uint32_t i;

	if (fl & PF_DDI_OTHER_FAMILY) {
		nbl = &nbl_foreign;
	} else if (fl & PF_DDI_CTX_ODD) {
		nbl = P.last_done;
	} else {
		for (i = 0; i < P.nheld && P.held_vc[i] != vh; i++)
			;
		if (i < P.nheld) {
			nbl = P.held[i];
			memmove(&P.held[i], &P.held[i + 1],
				sizeof(P.held[0]) * (P.nheld - i - 1));
			memmove(&P.held_vc[i], &P.held_vc[i + 1],
				sizeof(P.held_vc[0]) * (P.nheld - i - 1));
			P.nheld--;
			P.last_done = nbl;
		}
	}
	if (nbl != NULL)
		NET_BUFFER_LIST_STATUS(nbl) = st;
	NdisMCoSendNetBufferListsComplete(H(vh), nbl, 0);
}

/* OID requests */

static VOID pp_oid_complete(NDIS_HANDLE afctx, NDIS_HANDLE vcctx,
			    NDIS_HANDLE pctx, PNDIS_OID_REQUEST req,
			    NDIS_STATUS st)
{
	(void)afctx;
	(void)vcctx;
	(void)pctx;
	(void)req;
	(void)st;
}

/* Both puppets answer as the op says (a PENDING one is recorded by
 * pp_oid(), which knows the handles it named). */
static NDIS_STATUS pp_oid_answer(NDIS_HANDLE afctx, NDIS_HANDLE vcctx,
				 NDIS_HANDLE pctx, PNDIS_OID_REQUEST req)
{
	(void)afctx;
	(void)vcctx;
	(void)pctx;
	(void)req;
	return cm_answer();
}

/* NdisCoOidRequest by the client, or (@by_cm) by the call manager. */
static void pp_oid(uint64_t vh, uint64_t ph, int null_req, int by_cm)
{
	NDIS_STATUS st;

	PNDIS_OID_REQUEST r = null_req ? NULL
				       : &oid_pool[P.next_oid++ % OID_POOL];

	if (r != NULL) {
		memset(r, 0, sizeof(*r));
		r->Header.Type = NDIS_OBJECT_TYPE_OID_REQUEST;
		r->Header.Revision = NDIS_OID_REQUEST_REVISION_1;
		r->Header.Size = sizeof(*r);
		r->RequestType = NdisRequestQueryInformation;
		r->DATA.QUERY_INFORMATION.Oid = OID_GEN_CO_LINK_SPEED;
	}
	st = NdisCoOidRequest(by_cm ? P.cm_binding : P.cl_binding, P.cl_af,
			      H(vh), H(ph), r);
	if (st == NDIS_STATUS_PENDING && r != NULL && P.noids < POOL_MAX) {
		P.oid_req[P.noids] = r;
		P.oid_vc[P.noids] = vh;
		P.oid_party[P.noids] = ph;
		P.noids++;
	}
}

/* op ddi NdisCoOidRequestComplete (program.h). */
static void pp_oid_done(uint64_t vh, uint64_t ph, NDIS_STATUS st, int fl)
{
	PNDIS_OID_REQUEST r = &oid_foreign;
	uint64_t v = vh, p = ph;

	if (!(fl & PF_DDI_OTHER_FAMILY)) {
		if (P.noids == 0)
			return;
		r = P.oid_req[0];
		if (!(fl & PF_DDI_CTX_ODD)) {
			v = P.oid_vc[0];
			p = P.oid_party[0];
		}
		P.noids--;
		memmove(&P.oid_req[0], &P.oid_req[1],
			sizeof(P.oid_req[0]) * P.noids);
		memmove(&P.oid_vc[0], &P.oid_vc[1],
			sizeof(P.oid_vc[0]) * P.noids);
		memmove(&P.oid_party[0], &P.oid_party[1],
			sizeof(P.oid_party[0]) * P.noids);
	}
	NdisCoOidRequestComplete(P.cl_af, H(v), H(p), r, st);
}

/*
 * The call manager's side of the family and its SAPs (program.h, ddi
 * 29..35): the puppet CM answers the client's open, close, register and
 * deregister with the status of the ddi op that made the request, SUCCESS
 * for the register_sap, deregister_sap and close_family ops (a correct CM
 * answering at once); PENDING leaves the completion to a later ddi op,
 * or owed at the end of the run (C3), as its other pended requests.
 */
static NDIS_STATUS af_answer(void)
{
	return cm_back(P.af_request ? pf_status_value(P.ddi_cm)
				    : NDIS_STATUS_SUCCESS);
}

static NDIS_STATUS pp_cm_open_af(NDIS_HANDLE bindctx, PCO_ADDRESS_FAMILY af,
				 NDIS_HANDLE afh, PNDIS_HANDLE afctx)
{
	(void)bindctx;
	(void)af;
	(void)afh;
	*afctx = H(0xCA); /* the context it registered with */
	return af_answer();
}

static NDIS_STATUS pp_cm_close_af(NDIS_HANDLE afctx)
{
	(void)afctx;
	return af_answer();
}

static NDIS_STATUS pp_cm_register_sap(NDIS_HANDLE afctx, PCO_SAP sap,
				      NDIS_HANDLE saph, PNDIS_HANDLE sapctx)
{
	(void)afctx;
	(void)sap;
	*sapctx = saph;
	return af_answer();
}

static NDIS_STATUS pp_cm_deregister_sap(NDIS_HANDLE sapctx)
{
	(void)sapctx;
	return af_answer();
}

/* The puppet client's completion handlers of those requests. */
static VOID pp_open_af_complete(NDIS_STATUS st, NDIS_HANDLE afctx,
				NDIS_HANDLE afh)
{
	(void)st;
	(void)afctx;
	(void)afh;
	cl_back();
}

static VOID pp_close_af_complete(NDIS_STATUS st, NDIS_HANDLE afctx)
{
	(void)st;
	(void)afctx;
	cl_back();
}

static VOID pp_register_sap_complete(NDIS_STATUS st, NDIS_HANDLE sapctx,
				     PCO_SAP sap, NDIS_HANDLE saph)
{
	(void)st;
	(void)sapctx;
	(void)sap;
	(void)saph;
	cl_back();
}

static VOID pp_deregister_sap_complete(NDIS_STATUS st, NDIS_HANDLE sapctx)
{
	(void)st;
	(void)sapctx;
	cl_back();
}

/* The call manager's close of the family: the puppet client answers as
 * the op says (ddi status, or cm=), the puppet CM takes the completion. */
static NDIS_STATUS pp_notify_close_af(NDIS_HANDLE afctx)
{
	NDIS_STATUS st = cm_answer();

	(void)afctx;
	cl_back();
	return st;
}

static VOID pp_notify_close_af_complete(NDIS_STATUS st, NDIS_HANDLE afctx)
{
	(void)st;
	(void)afctx;
	(void)cm_back(NDIS_STATUS_SUCCESS);
}

static int register_puppets(void)
{
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS cl;
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS cm;

	memset(&cl, 0, sizeof(cl));
	cl.Header.Type = NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
	cl.Header.Revision = NDIS_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	cl.Header.Size = sizeof(cl);
	cl.ClCreateVcHandler = pp_create_vc;
	cl.ClDeleteVcHandler = pp_delete_vc;
	cl.ClMakeCallCompleteHandler = pp_make_call_complete;
	cl.ClCloseCallCompleteHandler = pp_close_call_complete;
	cl.ClAddPartyCompleteHandler = pp_add_party_complete;
	cl.ClDropPartyCompleteHandler = pp_drop_party_complete;
	cl.ClIncomingCloseCallHandler = pp_incoming_close;
	cl.ClIncomingDropPartyHandler = pp_incoming_drop;
	cl.ClIncomingCallHandler = pp_incoming_call;
	cl.ClCallConnectedHandler = pp_call_connected;
	cl.ClOidRequestCompleteHandler = pp_oid_complete;
	cl.ClOidRequestHandler = pp_oid_answer;
	cl.ClNotifyCloseAfHandler = pp_notify_close_af;
	/* Reached only by a completion of a request the CM pended, which
	 * needs the CM's handlers below: no older program reaches them. */
	cl.ClOpenAfCompleteHandlerEx = pp_open_af_complete;
	cl.ClCloseAfCompleteHandler = pp_close_af_complete;
	cl.ClRegisterSapCompleteHandler = pp_register_sap_complete;
	cl.ClDeregisterSapCompleteHandler = pp_deregister_sap_complete;
	memset(&cm, 0, sizeof(cm));
	cm.Header.Type = NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	cm.Header.Revision = NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	cm.Header.Size = sizeof(cm);
	cm.CmCreateVcHandler = pp_cm_create_vc;
	cm.CmDeleteVcHandler = pp_cm_delete_vc;
	cm.CmMakeCallHandler = pp_cm_make_call;
	cm.CmCloseCallHandler = pp_cm_close_call;
	cm.CmAddPartyHandler = pp_cm_add_party;
	cm.CmDropPartyHandler = pp_cm_drop_party;
	cm.CmOidRequestHandler = pp_oid_answer;
	cm.CmOidRequestCompleteHandler = pp_oid_complete;
	cm.CmNotifyCloseAfCompleteHandler = pp_notify_close_af_complete;
	if (P.af_handlers) {
		cm.CmOpenAfHandler = pp_cm_open_af;
		cm.CmCloseAfHandler = pp_cm_close_af;
		cm.CmRegisterSapHandler = pp_cm_register_sap;
		cm.CmDeregisterSapHandler = pp_cm_deregister_sap;
	}
	if (cn_register_client(&cl, H(0xC1), &P.cl_binding, &P.cl_af) != PT_OK)
		return -1;
	if (cn_register_call_manager(P.mcm ? CN_CM_MINIPORT : CN_CM_STANDALONE,
				     &cm, H(0xCA), &P.cm_binding) != PT_OK)
		return -1;
	cn_register_send_handlers(pp_send_complete,
				  P.mcm ? pp_mp_send : NULL);
	return 0;
}

/* Puppet selections */

static uint64_t vc_sel(unsigned k)
{
	return P.nvcs ? P.vcs[k % P.nvcs] : 0;
}

/* Party #k of VC #vc (issuance order), or 0. */
static uint64_t party_of_vc(unsigned vc, unsigned k)
{
	uint32_t i, n = 0, v;

	if (P.nvcs == 0)
		return 0;
	v = vc % P.nvcs;
	for (i = 0; i < P.nparties; i++)
		n += P.party_vc[i] == v;
	if (n == 0)
		return 0;
	k %= n;
	for (i = 0; i < P.nparties; i++)
		if (P.party_vc[i] == v && k-- == 0)
			return P.parties[i];
	return 0;
}

/* First party of @vc in @state (engine view), 0 if none; @skip of them
 * are passed over. */
static uint64_t find_party(uint64_t vc, int s1, int s2, unsigned skip)
{
	struct cn_party_info pi;
	NDIS_HANDLE ph;
	uint32_t cur = 0;

	while (cn_party_next(H(vc), &cur, &ph, &pi))
		if ((int)pi.state == s1 || (int)pi.state == s2) {
			if (skip-- == 0)
				return CN_HANDLE_VALUE(ph);
		}
	return 0;
}

static uint64_t hsel(uint8_t v)
{
	unsigned k = v & 31;
	uint64_t base = P.nparties ? P.parties[k % P.nparties]
				   : pt_handle_pack(CN_TAG_PARTY, 1, k);

	switch (v >> 5) {
	case PF_HSEL_VC:
		return vc_sel(k);
	case PF_HSEL_NULL:
		return 0;
	case PF_HSEL_NEXTGEN:
		return pt_handle_pack(CN_TAG_PARTY, pt_handle_gen(base) + 1,
				      pt_handle_index(base));
	case PF_HSEL_FOREIGN:
		return pt_handle_pack(0x5A, pt_handle_gen(base),
				      pt_handle_index(base));
	case PF_HSEL_JUNK:
		return 0x00007f00deadbe00ull + k * 8;
	default:
		return base;
	}
}

static void pp_close(uint64_t vc, uint64_t party, int data)
{
	(void)NdisClCloseCall(H(vc), H(party),
			      data ? (PVOID)&params_static : NULL,
			      data ? 4 : 0);
}

/* The status the puppet client's last drop, make call or add returned. */
static NDIS_STATUS pp_last;

static void pp_drop(uint64_t party, int data)
{
	pp_last = NdisClDropParty(H(party),
				  data ? (PVOID)&params_static : NULL,
				  data ? 4 : 0);
}

static void pp_create(int out_set)
{
	NDIS_HANDLE h = out_set ? H(0x99) : NULL;

	if (NdisCoCreateVc(P.cl_binding, P.cl_af, H(0x2000 + P.nvcs), &h) ==
		    NDIS_STATUS_SUCCESS &&
	    !out_set && P.nvcs < POOL_MAX)
		P.vcs[P.nvcs++] = CN_HANDLE_VALUE(h);
}

/* NdisClMakeCall on @vc; @new_vc: the client creates the VC inside its
 * make-call routine first, as drivers commonly do, and calls on it. */
static void pp_make_call(uint64_t vc, int pmp, int null_out, int null_params,
			 int new_vc)
{
	NDIS_HANDLE ph = NULL;

	pp_last = NDIS_STATUS_SUCCESS;
	if (new_vc) {
		uint32_t n = P.nvcs;

		pp_create(0);
		if (P.nvcs == n)
			return; /* refused: no call without a VC */
		vc = P.vcs[n];
	}
	pp_last = NdisClMakeCall(H(vc), null_params ? NULL : &params_static,
				 pmp ? H(0x3000 + P.nparties) : NULL,
				 pmp && !null_out ? &ph : NULL);
}

static void pp_add_party(uint64_t vc, int null_out, int null_params)
{
	NDIS_HANDLE ph = NULL;

	pp_last = NdisClAddParty(H(vc), H(0x3000 + P.nparties),
				 null_params ? NULL : &params_static,
				 null_out ? NULL : &ph);
}

/*
 * The ddi op's early free (program.h, flags): after a request that
 * returned PENDING, the puppet client gives memory NDIS still refers to
 * back through NdisFreeMemory: the party context of the dropped party
 * @party (C10, B4), or the CallParameters of the make call or add (@party
 * 0: C8, B10). The engine refuses such a free, so the puppet's fake
 * contexts are never really freed; nothing is freed unless the request
 * pends.
 */
static void pp_free_early(int on, uint64_t party, uint64_t vc)
{
	struct cn_party_info pi;
	struct cn_vc_info vi;

	if (!on || pp_last != NDIS_STATUS_PENDING)
		return;
	/* Only while NDIS holds them (a12=early: NDIS may have completed
	 * the request already, and the puppet's memory is not the heap's). */
	if (party == 0) {
		if (cn_vc_query(H(vc), &vi) == PT_OK &&
		    (vi.state == CN_VC_MAKING || vi.adding > 0))
			NdisFreeMemory(&params_static, sizeof(params_static),
				       0);
		return;
	}
	if (cn_party_query(H(party), &pi) == PT_OK &&
	    pi.state == PT_DROPPING)
		NdisFreeMemory(pi.ProtocolPartyContext, 0, 0);
}

/* The answer a correct client owes on @vc (driver.h drv_client_answer). */
static void pp_answer(uint64_t vc)
{
	struct cn_vc_info vi;
	uint64_t p;

	if (cn_vc_query(H(vc), &vi) != PT_OK)
		return;
	p = find_party(vc, PT_REMOTE_DROPPED, -1, 0);
	if (p) {
		if (vi.active > 1)
			pp_drop(p, 0);
		else
			pp_close(vc, p, 0);
		return;
	}
	if (vi.state != CN_VC_REMOTE_CLOSED)
		return;
	if (!vi.pmp) {
		pp_close(vc, 0, 0);
		return;
	}
	if (vi.active > 1)
		pp_drop(find_party(vc, PT_ACTIVE, PT_REMOTE_DROPPED, 1), 0);
	else
		pp_close(vc, find_party(vc, PT_ACTIVE, PT_REMOTE_DROPPED, 0),
			 0);
}

/*
 * The NdisMCm* completions are macros over the NdisCm* functions (ndis.h):
 * spelled either way it is one call, so PF_DDI_OTHER_FAMILY changes
 * nothing here (C5 shows only on the distinct functions, pp_ddi).
 */
static void cm_complete(enum cn_req kind, NDIS_STATUS st, uint64_t vc,
			uint64_t party, int flags)
{
	int mcm = P.mcm ^ !!(flags & PF_DDI_OTHER_FAMILY);
	NDIS_HANDLE ctx = party ? H(party) : NULL;
	PCO_CALL_PARAMETERS cp = flags & PF_DDI_CLOSE_DATA ? NULL : &params_cm;

	if (flags & PF_DDI_CTX_ODD)
		ctx = party ? NULL : H(0x7);
	switch (kind) {
	case CN_REQ_MAKE_CALL:
		if (mcm)
			NdisMCmMakeCallComplete(st, H(vc), H(party), ctx, cp);
		else
			NdisCmMakeCallComplete(st, H(vc), H(party), ctx, cp);
		break;
	case CN_REQ_ADD_PARTY:
		if (mcm)
			NdisMCmAddPartyComplete(st, H(party), ctx, cp);
		else
			NdisCmAddPartyComplete(st, H(party), ctx, cp);
		break;
	case CN_REQ_DROP_PARTY:
		if (mcm)
			NdisMCmDropPartyComplete(st, H(party));
		else
			NdisCmDropPartyComplete(st, H(party));
		break;
	case CN_REQ_CLOSE_CALL:
		if (mcm)
			NdisMCmCloseCallComplete(st, H(vc), H(party));
		else
			NdisCmCloseCallComplete(st, H(vc), H(party));
		break;
	default:
		break;
	}
}

/* op complete (puppet): a correct CM completing pended request #k. */
static void pp_complete(uint32_t k, NDIS_STATUS st)
{
	struct cn_pending_info pi;
	uint32_t cur = 0, n = cn_pending_count(), i;

	if (n == 0)
		return;
	k %= n;
	for (i = 0; i <= k; i++)
		if (!cn_pending_next(&cur, &pi))
			return;
	if (pi.kind == CN_REQ_MAKE_CALL && st == NDIS_STATUS_SUCCESS)
		cm_activate(pi.vc);
	if (pi.kind == CN_REQ_CLOSE_CALL && st == NDIS_STATUS_SUCCESS)
		cm_deactivate(pi.vc);
	cm_complete(pi.kind, st, CN_HANDLE_VALUE(pi.vc),
		    CN_HANDLE_VALUE(pi.party), 0);
}

/*
 * The incoming-call DDIs (condis_incoming.c), any of them on any VC
 * handle: the CM creates a VC (flags: ctx a non-NULL *NdisVcHandle, C26;
 * other the other family, C5), deletes one (NdisMCmDeleteVc for an MCM,
 * NdisCoDeleteVc otherwise, the other family with `other`), offers a call
 * on the client's SAP (registered at the first offer; `ctx` a SAP handle
 * that names none, `data` NULL CallParameters) with the op's status as the
 * client's answer, or reports it connected; the client answers a call
 * with the op's status.
 */
static void pp_incoming_ddi(int ddi, uint64_t vh, NDIS_STATUS st, int fl,
			    int mcm)
{
	NDIS_HANDLE h = fl & PF_DDI_CTX_ODD ? H(0x99) : NULL, sap;

	switch (ddi) {
	case PF_DDI_CM_CREATE_VC_CL_ANSWER:
		P.cl_create_answer = (uint8_t)(1 + P.ddi_cm);
		/* fall through */
	case PF_DDI_CM_CREATE_VC:
		if ((mcm ? NdisMCmCreateVc(P.cm_binding, P.cl_af,
					   H(0x3000 + P.nvcs), &h)
			 : NdisCoCreateVc(P.cm_binding, P.cl_af,
					  H(0x3000 + P.nvcs), &h)) ==
			    NDIS_STATUS_SUCCESS &&
		    !(fl & PF_DDI_CTX_ODD) && P.nvcs < POOL_MAX)
			P.vcs[P.nvcs++] = CN_HANDLE_VALUE(h);
		break;
	case PF_DDI_CM_DELETE_VC_CL_ANSWER:
		P.cl_delete_answer = (uint8_t)(1 + P.ddi_cm);
		/* fall through */
	case PF_DDI_CM_DELETE_VC:
		if (mcm)
			(void)NdisMCmDeleteVc(H(vh));
		else
			(void)NdisCoDeleteVc(H(vh));
		break;
	case PF_DDI_CM_INCOMING_CALL_EARLY:
		P.cl_offer_early = (uint8_t)(1 + (fl & PF_DDI_OTHER_FAMILY
							  ? PF_ST_NOT_ACCEPTED
							  : PF_ST_SUCCESS));
		/* fall through */
	case PF_DDI_CM_INCOMING_CALL:
		if (P.sap == NULL &&
		    NdisClRegisterSap(P.cl_af, H(0x5A), (PCO_SAP)&params_cm,
				      &P.sap) != NDIS_STATUS_SUCCESS)
			P.sap = NULL;
		sap = fl & PF_DDI_CTX_ODD ? H(0x5A9) : P.sap;
		(void)NdisCmDispatchIncomingCall(
			sap, H(vh),
			fl & PF_DDI_CLOSE_DATA ? NULL : &params_cm);
		P.cl_offer_early = 0; /* a refused offer never asked */
		break;
	case PF_DDI_CL_INCOMING_CALL_COMPLETE:
		NdisClIncomingCallComplete(st, H(vh), &params_static);
		break;
	case PF_DDI_CM_CALL_CONNECTED:
		if (mcm)
			NdisMCmDispatchCallConnected(H(vh));
		else
			NdisCmDispatchCallConnected(H(vh));
		break;
	default:
		break;
	}
}

static void pp_stim_register_sap(void);

/*
 * The family and its SAPs (program.h, 29..35): the client's requests,
 * whatever the family's state, each answered by the CM with the op's
 * status (af_answer), and the CM's completions of them with @st, on the
 * family or on the SAP the client registered last, pended or not. The
 * NdisMCm* spellings are the NdisCm* functions (macros, ndis.h).
 */
static void pp_af_ddi(int ddi, NDIS_STATUS st, int mcm)
{
	static const CO_ADDRESS_FAMILY af = { CO_ADDRESS_FAMILY_Q2931, 3, 1 };
	CO_ADDRESS_FAMILY copy = af;
	NDIS_HANDLE afh = NULL;

	P.af_request = 1;
	switch (ddi) {
	case PF_DDI_CL_REGISTER_SAP:
		pp_stim_register_sap();
		break;
	case PF_DDI_CL_DEREGISTER_SAP:
		(void)NdisClDeregisterSap(P.sap);
		break;
	case PF_DDI_CL_CLOSE_AF:
		(void)NdisClCloseAddressFamily(P.cl_af);
		break;
	case PF_DDI_CL_OPEN_AF:
		/* The family the puppet CM registered (cn_register_call_-
		 * manager), with the client's context; NDIS hands back the
		 * handle the puppet already holds. */
		(void)NdisClOpenAddressFamilyEx(P.cl_binding, &copy, H(0xC1),
						&afh);
		break;
	case PF_DDI_CM_REGISTER_SAP_COMPLETE:
		if (mcm)
			NdisMCmRegisterSapComplete(st, P.sap, P.sap);
		else
			NdisCmRegisterSapComplete(st, P.sap, P.sap);
		break;
	case PF_DDI_CM_DEREGISTER_SAP_COMPLETE:
		if (mcm)
			NdisMCmDeregisterSapComplete(st, P.sap);
		else
			NdisCmDeregisterSapComplete(st, P.sap);
		break;
	case PF_DDI_CM_OPEN_AF_COMPLETE:
		if (mcm)
			NdisMCmOpenAddressFamilyComplete(st, P.cl_af, H(0xCA));
		else
			NdisCmOpenAddressFamilyComplete(st, P.cl_af, H(0xCA));
		break;
	default:
		break;
	}
	P.af_request = 0;
}

/*
 * The bring-up DDIs (program.h, 39..50): calls a broken driver makes
 * after its own bring-up, with the defect the op's flags select. The
 * puppets themselves registered through the engine (pp_load), so none of
 * these changes who the client and the call manager are: the handler
 * tables they pass are refused (a second client or CM), and the
 * attributes the MiniportInitializeEx below sets are not the
 * registration ones (the CM's binding context stays the puppet's).
 * A successful extra protocol registration takes a protocol slot (the
 * next ones get RESOURCES once they are gone); a successful miniport
 * registration is the one adapter (a second is refused).
 */
static NDIS_HANDLE bu_proto_h, bu_mp_h;
static uint8_t bu_flags, bu_table, bu_status;
static DRIVER_OBJECT bu_driver_object;
static CO_ADDRESS_FAMILY bu_af = { CO_ADDRESS_FAMILY_Q2931, 3, 1 };

/* One NdisSetOptionalHandlers with table #k (program.h) on @h. */
static void bu_set_optional(NDIS_HANDLE h, unsigned k)
{
	static NDIS_DRIVER_OPTIONAL_HANDLERS oh;

	memset(&oh, 0, sizeof(oh));
	switch (k) {
	case 0:
		(void)NdisSetOptionalHandlers(h, NULL);
		return;
	case 1: /* a type NDIS does not take there */
		oh.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
		oh.Header.Size = sizeof(oh);
		break;
	case 2: /* CO characteristics too small */
	case 3: /* CO characteristics */
		oh.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
		oh.Header.Revision = NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
		oh.Header.Size = k == 2 ? 4 : sizeof(oh);
		break;
	case 4: /* client handlers, empty: a second client anyway */
		oh.Header.Type = NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
		oh.Header.Size = sizeof(oh);
		break;
	case 5: /* call-manager handlers, empty: a second CM anyway */
		oh.Header.Type =
			NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
		oh.Header.Size = sizeof(oh);
		break;
	case 6: /* CO characteristics on a handle that is not its own */
		oh.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
		oh.Header.Size = sizeof(oh);
		h = H(0xB0B);
		break;
	default: /* none */
		return;
	}
	(void)NdisSetOptionalHandlers(h, &oh);
}

static NDIS_STATUS bu_protocol_set_options(NDIS_HANDLE h, NDIS_HANDLE ctx)
{
	(void)ctx;
	bu_set_optional(h, bu_table);
	return pf_status_value(bu_status);
}

static NDIS_STATUS bu_bind(NDIS_HANDLE ctx, NDIS_HANDLE bind,
			   PNDIS_BIND_PARAMETERS bp)
{
	(void)ctx;
	(void)bind;
	(void)bp;
	return NDIS_STATUS_FAILURE; /* never bound: the puppets have no role */
}

static NDIS_STATUS bu_miniport_set_options(NDIS_HANDLE h, NDIS_HANDLE ctx)
{
	static const unsigned table[8] = { 5, 1, 0, 7, 7, 7, 7, 7 };

	(void)ctx;
	bu_set_optional(h, table[bu_table]);
	return pf_status_value(bu_status);
}

/* The adapter starts: general (not registration) attributes, and the
 * MCM's family again (C5 from a stand-alone CM, else a second family);
 * it always starts (a failed start of the MCM's adapter would take back
 * the puppets' family once the client closed it). */
static NDIS_STATUS bu_initialize(NDIS_HANDLE h, NDIS_HANDLE ctx,
				 PNDIS_MINIPORT_INIT_PARAMETERS ip)
{
	NDIS_MINIPORT_ADAPTER_ATTRIBUTES at;

	(void)ctx;
	(void)ip;
	memset(&at, 0, sizeof(at));
	at.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;
	at.Header.Size = sizeof(at);
	(void)NdisMSetMiniportAttributes(h, &at);
	(void)NdisMCmRegisterAddressFamilyEx(h, &bu_af);
	return NDIS_STATUS_SUCCESS; /* a failed start is not modelled here */
}

static void bu_register_protocol(void)
{
	static NDIS_PROTOCOL_DRIVER_CHARACTERISTICS ch;
	NDIS_HANDLE out = NULL;
	NDIS_STATUS st;

	memset(&ch, 0, sizeof(ch));
	ch.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
	ch.Header.Revision = NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	ch.Header.Size = NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	ch.MajorNdisVersion = NDIS_PROTOCOL_MAJOR_VERSION;
	ch.BindAdapterHandlerEx = bu_bind;
	switch (bu_flags) {
	case 2:
		ch.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
		break;
	case 3:
		ch.Header.Revision = 0;
		break;
	case 4:
		ch.Header.Size = 8;
		break;
	case 5:
		ch.BindAdapterHandlerEx = NULL;
		break;
	case 6:
		ch.MajorNdisVersion = 5;
		break;
	case 7:
		ch.SetOptionsHandler = bu_protocol_set_options;
		break;
	default:
		break;
	}
	st = NdisRegisterProtocolDriver(H(0xB00), bu_flags == 1 ? NULL : &ch,
					&out);
	if (st == NDIS_STATUS_SUCCESS)
		bu_proto_h = out;
}

static void bu_register_miniport(void)
{
	static NDIS_MINIPORT_DRIVER_CHARACTERISTICS ch;
	NDIS_HANDLE out = NULL;
	NDIS_STATUS st;

	memset(&ch, 0, sizeof(ch));
	ch.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	ch.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	ch.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	ch.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	ch.InitializeHandlerEx = bu_initialize;
	switch (bu_flags) {
	case 2:
		ch.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
		break;
	case 3:
		ch.Header.Revision = 0;
		break;
	case 4:
		ch.Header.Size = 8;
		break;
	case 5:
		ch.InitializeHandlerEx = NULL;
		break;
	case 6:
		ch.MajorNdisVersion = 5;
		break;
	case 7:
		ch.SetOptionsHandler = bu_miniport_set_options;
		break;
	default:
		break;
	}
	st = NdisMRegisterMiniportDriver(&bu_driver_object, NULL, H(0xB01),
					 bu_flags == 1 ? NULL : &ch, &out);
	if (st == NDIS_STATUS_SUCCESS)
		bu_mp_h = out;
}

static void pp_bringup_ddi(const uint8_t *arg)
{
	static NDIS_MEDIUM medium = NdisMediumCoWan;
	static NDIS_OPEN_PARAMETERS op;
	NDIS_HANDLE h;
	NDIS_STATUS st = pf_status_value(arg[3]);
	uint64_t ph = hsel(arg[1]), vh = hsel(arg[2]);

	bu_flags = (uint8_t)(arg[4] & 7);
	bu_table = (uint8_t)(arg[1] & 7);
	bu_status = arg[3];
	switch (arg[0]) {
	case PF_DDI_REGISTER_PROTOCOL:
		bu_register_protocol();
		break;
	case PF_DDI_SET_OPTIONAL_HANDLERS:
		bu_set_optional(bu_flags & 1 ? bu_mp_h : bu_proto_h, 3);
		break;
	case PF_DDI_OPEN_ADAPTER: {
		NDIS_HANDLE b = NULL;
		UINT sel = 0;

		memset(&op, 0, sizeof(op));
		op.Header.Type = NDIS_OBJECT_TYPE_OPEN_PARAMETERS;
		op.Header.Revision = NDIS_OPEN_PARAMETERS_REVISION_1;
		op.Header.Size = sizeof(op);
		op.MediumArray = &medium;
		op.MediumArraySize = 1;
		op.SelectedMediumIndex = &sel;
		(void)NdisOpenAdapterEx(bu_proto_h, H(0xB02), &op, H(vh), &b);
		break;
	}
	case PF_DDI_COMPLETE_BIND:
		NdisCompleteBindAdapterEx(H(ph), st);
		break;
	case PF_DDI_CLOSE_ADAPTER:
		h = bu_flags == 0   ? P.cl_binding
		    : bu_flags == 1 ? P.cm_binding
				    : H(vh);
		(void)NdisCloseAdapterEx(h);
		break;
	case PF_DDI_COMPLETE_UNBIND:
		NdisCompleteUnbindAdapterEx(H(ph));
		break;
	case PF_DDI_DEREGISTER_PROTOCOL:
		NdisDeregisterProtocolDriver(bu_proto_h);
		break;
	case PF_DDI_REGISTER_MINIPORT:
		bu_register_miniport();
		break;
	case PF_DDI_DEREGISTER_MINIPORT:
		NdisMDeregisterMiniportDriver(bu_mp_h);
		break;
	case PF_DDI_SET_MINIPORT_ATTRIBUTES: {
		NDIS_MINIPORT_ADAPTER_ATTRIBUTES at;

		memset(&at, 0, sizeof(at));
		at.Header.Type =
			NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;
		at.Header.Size = sizeof(at);
		(void)NdisMSetMiniportAttributes(
			bu_flags & 1 ? H(vh) : P.cm_binding, &at);
		break;
	}
	case PF_DDI_CM_REGISTER_AF:
		(void)NdisCmRegisterAddressFamilyEx(
			bu_flags & 1 ? H(vh) : P.cm_binding, &bu_af);
		break;
	case PF_DDI_MCM_REGISTER_AF:
		(void)NdisMCmRegisterAddressFamilyEx(
			bu_flags & 1 ? H(vh) : P.cm_binding, &bu_af);
		break;
	default:
		break;
	}
}

static void pp_ddi_call(const uint8_t *arg)
{
	uint64_t ph = hsel(arg[1]), vh = hsel(arg[2]);
	NDIS_STATUS st = pf_status_value(arg[3]);
	int fl = arg[4];
	int mcm = P.mcm ^ !!(fl & PF_DDI_OTHER_FAMILY);
	PVOID data = fl & PF_DDI_CLOSE_DATA ? indication_data : NULL;
	UINT size = data ? sizeof(indication_data) : 0;

	switch (arg[0]) {
	case PF_DDI_CL_MAKE_CALL:
		pp_make_call(vh, ph != 0, fl & PF_DDI_CTX_ODD,
			     fl & PF_DDI_OTHER_FAMILY, 0);
		pp_free_early(fl & PF_DDI_CLOSE_DATA, 0, vh);
		break;
	case PF_DDI_CL_ADD_PARTY:
		pp_add_party(vh, fl & PF_DDI_CTX_ODD,
			     fl & PF_DDI_OTHER_FAMILY);
		pp_free_early(fl & PF_DDI_CLOSE_DATA, 0, vh);
		break;
	case PF_DDI_CL_DROP_PARTY:
		pp_drop(ph, fl & PF_DDI_CLOSE_DATA);
		pp_free_early(fl & PF_DDI_CTX_ODD, ph, 0);
		break;
	case PF_DDI_CL_CLOSE_CALL:
		pp_close(vh, ph, fl & PF_DDI_CLOSE_DATA);
		break;
	case PF_DDI_CO_DELETE_VC:
		(void)NdisCoDeleteVc(H(vh));
		break;
	case PF_DDI_CO_CREATE_VC:
		if (fl & PF_DDI_CLOSE_DATA) {
			/* The client's make-call routine: a new VC, then the
			 * call on it, the CM answering correctly. */
			P.misbehave = 0;
			pp_make_call(0, ph != 0, fl & PF_DDI_CTX_ODD,
				     fl & PF_DDI_OTHER_FAMILY, 1);
			break;
		}
		pp_create(fl & PF_DDI_CTX_ODD);
		break;
	case PF_DDI_CM_MAKE_CALL_COMPLETE:
		cm_complete(CN_REQ_MAKE_CALL, st, vh, ph, fl);
		break;
	case PF_DDI_CM_ADD_PARTY_COMPLETE:
		cm_complete(CN_REQ_ADD_PARTY, st, vh, ph, fl);
		break;
	case PF_DDI_CM_DROP_PARTY_COMPLETE:
		cm_complete(CN_REQ_DROP_PARTY, st, vh, ph, fl);
		break;
	case PF_DDI_CM_CLOSE_CALL_COMPLETE:
		cm_complete(CN_REQ_CLOSE_CALL, st, vh, ph, fl);
		break;
	case PF_DDI_CM_INCOMING_DROP:
		if (mcm)
			NdisMCmDispatchIncomingDropParty(st, H(ph), data, size);
		else
			NdisCmDispatchIncomingDropParty(st, H(ph), data, size);
		break;
	case PF_DDI_CM_INCOMING_CLOSE:
		if (mcm)
			NdisMCmDispatchIncomingCloseCall(st, H(vh), data, size);
		else
			NdisCmDispatchIncomingCloseCall(st, H(vh), data, size);
		break;
	case PF_DDI_CM_ACTIVATE_VC:
		if (mcm)
			(void)NdisMCmActivateVc(H(vh), &params_static);
		else
			(void)NdisCmActivateVc(H(vh), &params_static);
		break;
	case PF_DDI_CM_DEACTIVATE_VC:
		if (mcm)
			(void)NdisMCmDeactivateVc(H(vh));
		else
			(void)NdisCmDeactivateVc(H(vh));
		break;
	case PF_DDI_KE_RAISE_IRQL: {
		KIRQL old;

		/* hs_leave() lowers the CPU back after a legal raise. */
		KeRaiseIrql(fl & PF_DDI_OTHER_FAMILY ? HIGH_LEVEL + 1
						     : DISPATCH_LEVEL,
			    &old);
		break;
	}
	case PF_DDI_KE_LOWER_IRQL:
		KeLowerIrql(fl & PF_DDI_OTHER_FAMILY ? DISPATCH_LEVEL
						     : PASSIVE_LEVEL);
		break;
	case PF_DDI_CM_CLOSE_AF_COMPLETE:
		/* A close the puppet CM pended (ddi NdisClCloseAddressFamily
		 * with PENDING), or none: C28 (C4 with PENDING). Without
		 * ProtocolCmCloseAf (pp_load) it never pended one. */
		if (mcm)
			NdisMCmCloseAddressFamilyComplete(st, P.cl_af);
		else
			NdisCmCloseAddressFamilyComplete(st, P.cl_af);
		break;
	case PF_DDI_CO_SEND:
		pp_send(vh, fl & PF_DDI_CLOSE_DATA);
		break;
	case PF_DDI_MCO_SEND_COMPLETE:
		pp_send_done(vh, st, fl);
		break;
	case PF_DDI_CO_OID_REQUEST:
		pp_oid(vh, ph, fl & PF_DDI_CLOSE_DATA, 0);
		break;
	case PF_DDI_CM_OID_REQUEST:
		pp_oid(vh, ph, fl & PF_DDI_CLOSE_DATA, 1);
		break;
	case PF_DDI_CO_OID_REQUEST_COMPLETE:
		pp_oid_done(vh, ph, st, fl);
		break;
	case PF_DDI_CL_NOTIFY_CLOSE_AF_COMPLETE:
		NdisClNotifyCloseAddressFamilyComplete(P.cl_af, st);
		break;
	case PF_DDI_CM_NOTIFY_CLOSE_AF:
		/* One function for both families (a macro, ndis.h). */
		(void)(mcm ? NdisMCmNotifyCloseAddressFamily(P.cl_af)
			   : NdisCmNotifyCloseAddressFamily(P.cl_af));
		break;
	default:
		if (arg[0] >= PF_DDI_REGISTER_PROTOCOL)
			pp_bringup_ddi(arg);
		else if (arg[0] >= PF_DDI_CL_REGISTER_SAP &&
			 arg[0] <= PF_DDI_CM_OPEN_AF_COMPLETE)
			pp_af_ddi(arg[0], st, mcm);
		else
			pp_incoming_ddi(arg[0], vh, st, fl, mcm);
		break;
	}
}


/* Stimuli (driver.h) */

static void pp_ddi(const uint8_t *arg)
{
	P.in_ddi = 1;
	P.ddi_cm = arg[3];
	P.misbehave = arg[4];
	pp_ddi_call(arg);
	P.in_ddi = 0;
	P.misbehave = 0;
}

/*
 * Whether the puppet CM registers ProtocolCmOpenAf, CloseAf, RegisterSap
 * and DeregisterSap this run: only if @p names one of the ddi entries of
 * the family and its SAPs (program.h, 29..35). A CM without them is
 * answered by NDIS at once, with no callback, and that is how every
 * program written before them ran: they keep their traces.
 */
static int wants_af_handlers(const struct pf_program *p)
{
	uint32_t i;

	for (i = 0; p != NULL && i < p->n; i++)
		if (p->ops[i].code == PF_OP_ddi &&
		    p->ops[i].arg[0] >= PF_DDI_CL_REGISTER_SAP &&
		    p->ops[i].arg[0] <= PF_DDI_CM_OPEN_AF_COMPLETE)
			return 1;
	return 0;
}

static int pp_load(const struct pf_host *host)
{
	memset(&P, 0, sizeof(P));
	bu_proto_h = bu_mp_h = NULL;
	P.host = host;
	P.mcm = host->cm_kind == CN_CM_MINIPORT;
	P.af_handlers = wants_af_handlers(host->program);
	return register_puppets();
}

static void pp_stim_create_vc(void)
{
	pp_create(0);
}

static void pp_stim_make_call(uint32_t vc, int pmp)
{
	uint64_t h = vc_sel(vc);

	if (h)
		pp_make_call(h, pmp, 0, 0, 0);
}

static void pp_stim_add_party(uint32_t vc)
{
	uint64_t h = vc_sel(vc);

	if (h)
		pp_add_party(h, 0, 0);
}

static void pp_stim_drop_party(uint32_t vc, uint32_t k)
{
	uint64_t p = party_of_vc(vc, k);

	if (p)
		pp_drop(p, 0);
}

static void pp_stim_close_call(uint32_t vc)
{
	struct cn_vc_info vi;
	uint64_t h = vc_sel(vc);

	if (h && cn_vc_query(H(h), &vi) == PT_OK)
		pp_close(h,
			 vi.pmp ? find_party(h, PT_ACTIVE, PT_REMOTE_DROPPED, 0)
				: 0,
			 0);
	else if (h)
		pp_close(h, 0, 0);
}

static void pp_stim_delete_vc(uint32_t vc)
{
	uint64_t h = vc_sel(vc);

	if (h)
		(void)NdisCoDeleteVc(H(h));
}

static void pp_stim_answer(uint32_t vc)
{
	uint64_t h = vc_sel(vc);

	if (h)
		pp_answer(h);
}

static void pp_stim_incoming_drop(uint32_t k, NDIS_STATUS st)
{
	/* NdisMCmDispatchIncomingDropParty is this call (ndis.h). */
	if (P.nparties)
		NdisCmDispatchIncomingDropParty(
			st, H(P.parties[k % P.nparties]), NULL, 0);
}

static void pp_stim_incoming_close(uint32_t k, NDIS_STATUS st)
{
	uint64_t h = vc_sel(k);

	if (h)
		NdisCmDispatchIncomingCloseCall(st, H(h), NULL, 0);
}

static void pp_stim_leave_irql(int actor, uint8_t irql)
{
	if (actor >= 0 && actor < PF_ACTOR_COUNT)
		P.leave_irql[actor] = (uint8_t)(1 + irql);
}

/*
 * The address family (C28): the puppet client calls the DDIs whatever its
 * state, as the adversary does: a close with calls or its SAP still up,
 * a second close, a SAP on a closed family, a second deregistration.
 */
static void pp_stim_register_sap(void)
{
	static struct {
		CO_SAP sap;
		UCHAR more[3];
	} desc = { { 0, 4, { 0 } }, { 0 } };

	(void)NdisClRegisterSap(P.cl_af, H(0x5A), &desc.sap, &P.sap);
}

static void pp_stim_deregister_sap(void)
{
	(void)NdisClDeregisterSap(P.sap);
}

static void pp_stim_close_family(void)
{
	(void)NdisClCloseAddressFamily(P.cl_af);
}

/* op notify_close_af: the puppet CM notifies whatever the family's state
 * (C28 on one not open or already notified); the puppet client answers
 * with the op's cm=. */
static void pp_stim_notify_close_af(void)
{
	(void)NdisCmNotifyCloseAddressFamily(P.cl_af);
}

static void pp_stim_send(uint32_t vc)
{
	uint64_t h = vc_sel(vc);

	if (h)
		pp_send(h, 0);
}

/* op oid: VC #vc itself (k 0) or its party #k-1, as a correct client. */
static void pp_stim_oid(uint32_t vc, uint32_t k)
{
	uint64_t h = vc_sel(vc);

	if (h)
		pp_oid(h, k ? party_of_vc(vc, k - 1) : 0, 0, 0);
}

const struct pf_stimuli pf_puppet_stimuli = {
	.name = "puppets",
	.kind = PF_DRV_CLIENT | PF_DRV_CM | PF_DRV_MCM,
	.load = pp_load,
	.create_vc = pp_stim_create_vc,
	.make_call = pp_stim_make_call,
	.add_party = pp_stim_add_party,
	.drop_party = pp_stim_drop_party,
	.close_call = pp_stim_close_call,
	.delete_vc = pp_stim_delete_vc,
	.answer = pp_stim_answer,
	.send = pp_stim_send,
	.oid = pp_stim_oid,
	.complete = pp_complete,
	.incoming_drop = pp_stim_incoming_drop,
	.incoming_close = pp_stim_incoming_close,
	.ddi = pp_ddi,
	.leave_irql = pp_stim_leave_irql,
	.register_sap = pp_stim_register_sap,
	.deregister_sap = pp_stim_deregister_sap,
	.close_family = pp_stim_close_family,
	.notify_close_af = pp_stim_notify_close_af,
};
