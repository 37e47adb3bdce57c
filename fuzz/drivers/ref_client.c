/*
 * ref_client.c - the reference CoNDIS point-to-multipoint client.
 *
 * Written the way a driver author writes a client against ndis.h: one
 * malloc'd context per VC and per party, the party context allocated
 * before NdisClMakeCall/NdisClAddParty and handed to NDIS, the
 * NdisPartyHandle saved when the setup succeeds, and every context freed in
 * the handler that ends its object. It only acts when the harness tells it
 * to (driver.h); every handler just records what happened.
 *
 * It registers as an NDIS 6 CoNDIS client: NdisRegisterProtocolDriver; in
 * its SetOptionsHandler NdisSetOptionalHandlers with
 * NDIS_PROTOCOL_CO_CHARACTERISTICS and its client handlers; in its
 * BindAdapterHandlerEx NdisOpenAdapterEx; when NDIS offers the call
 * manager's address family (ProtocolCoAfRegisterNotify),
 * NdisClOpenAddressFamilyEx. Its VCs are created on that family.
 *
 * How it keeps the contract (spec section 6 readings in brackets):
 *   - After a non-PENDING return it runs its own completion handler; after
 *     PENDING it waits for NDIS (C2).
 *   - CallParameters come from NDIS (NdisAllocateMemoryWithTagPriority)
 *     for each MakeCall/AddParty and are freed by that request's
 *     completion handler only: NDIS reads them at the completion, the CM
 *     may change them (CALL_PARAMETERS_CHANGED), and the client accepts
 *     the change (C8; B10 frees them early).
 *   - A party context lives until the handler that ends the party:
 *     ProtocolClAddPartyComplete/MakeCallComplete with an error,
 *     ProtocolClDropPartyComplete(SUCCESS), or
 *     ProtocolClCloseCallComplete(SUCCESS) (C8, C10, A5). A failed drop
 *     keeps the party with a valid handle [A1, A4].
 *   - An incoming drop is answered by exactly one NdisClDropParty, or by
 *     NdisClCloseCall if the party is the last one; the context stays until
 *     that completes [A3, A11].
 *   - It closes a PMP call only when it holds exactly one connected party
 *     and no add or drop is in flight (C11, R2); after an incoming close it
 *     drops all but one party first (C15, A13).
 *   - It never tears down a party whose setup is in flight (R1), nor one
 *     already being torn down (R3), and deletes a VC only once its call is
 *     closed [A14, C25].
 *   - It sends only on a VC whose call it knows connected and not closed
 *     by the network, never after its own NdisClCloseCall, and closes only
 *     once every send's ProtocolCoSendNetBufferListsComplete ran (C23,
 *     C15). Each send is one malloc'd NET_BUFFER_LIST, freed by its
 *     completion.
 *   - Its OID requests (a query of OID_GEN_CO_LINK_SPEED) name a VC, or
 *     a party of it it holds connected: never one it is dropping or
 *     closing, nor one whose setup is in flight (C9, C7). Each request is
 *     malloc'd and freed when it is answered (at once, or in
 *     ProtocolCoOidRequestComplete).
 *
 * Counting: a completion delivered from a DPC can arrive after NDIS
 * already changed its state (condis.h, "Completion delivery"), so NDIS may
 * see more connected parties than the client does (adds completed but not
 * yet delivered), never fewer. Counting its own in-flight adds and drops
 * (R2) is what keeps the client's close decision right anyway.
 */
#include <stdlib.h>
#include <string.h>

#include "bugs.h"
#include "ref_drivers.h"

enum clp_state { CLP_SETUP, CLP_ACTIVE, CLP_DROPPING, CLP_CLOSING };
/* The client's one SAP. */
enum cls_state {
	CLS_NONE,
	CLS_REGISTERING,
	CLS_REGISTERED,
	CLS_DEREGISTERING
};
enum clv_state {
	CLV_IDLE,
	CLV_MAKING,
	CLV_CONNECTED,
	CLV_CLOSING,
	CLV_CLOSED
};

struct cl_vc;

struct cl_party {
	struct cl_vc *vc;
	struct cl_party *next;      /* the VC's parties, creation order */
	NDIS_HANDLE handle;         /* NdisPartyHandle once set up */
	PCO_CALL_PARAMETERS params; /* NDIS memory, alive until the add
				     * completes (C8), else NULL */
	enum clp_state state;
	int remote_dropped; /* incoming drop to answer (A3) */
};

struct cl_vc {
	NDIS_HANDLE handle;
	PCO_CALL_PARAMETERS params; /* NDIS memory, alive until the make
				     * call completes (C8), else NULL */
	enum clv_state state;
	int pmp;
	int incoming;     /* the CM created it for an incoming call: the CM
			   * deletes it (C25), and after its close the handle
			   * is spent (C27) */
	int offer_pended; /* ProtocolClIncomingCall returned PENDING: the
			   * answer (NdisClIncomingCallComplete) is owed */
	PCO_CALL_PARAMETERS offer; /* the call manager's parameters of
				    * the pended offer, handed back */
	int remote_closed; /* incoming close to answer (C15) */
	struct cl_party *parties;
	uint32_t active, setup, dropping; /* parties per state (R2) */
	uint32_t sends; /* NdisCoSendNetBufferLists not completed (C23) */
};

static struct {
	int registered;
	NDIS_HANDLE protocol; /* NdisProtocolHandle */
	NDIS_HANDLE binding, af;
	int af_opening;
	int af_closing; /* NdisClCloseAddressFamily pends */
	/* ProtocolClNotifyCloseAf (the call manager closes the family):
	 * notified from its call on, no new call, party or SAP (C28);
	 * notify_pended while the client owes NdisClNotifyCloseAddress-
	 * FamilyComplete, on notify_af; in_teardown guards its re-entry
	 * from a completion the teardown itself runs. */
	int notified, notify_pended, in_teardown, again;
	int notify_failed; /* a close (or a drop that is not of the last
			    * party) failed: the teardown cannot finish,
			    * the notification is refused (FAILURE) */
	NDIS_HANDLE notify_af;
	NDIS_HANDLE sap;
	enum cls_state sap_state;
	struct {
		CO_SAP sap;
		UCHAR more[3]; /* SapLength 4: Sap[0..3] */
	} sap_desc;
	struct cl_vc **vcs; /* creation order */
	uint32_t n_vcs, max_vcs;
	/* Guards the parties' states and the per-VC counts where a
	 * completion handler and a request both change them (drop() and
	 * ProtocolClDropPartyComplete), as a driver on a multiprocessor
	 * must. Never held across a call into NDIS: a completion may run
	 * inside the call (A12) and take it (B27). */
	NDIS_SPIN_LOCK lock;
	struct drv_client_stats st;
	/* Incoming calls (on its SAP): how it answers an offer (the host's
	 * decide, drv_client_set_decide). */
	drv_decide_fn decide;
	void *decide_arg;
} cl;

static void notify_progress(void);
static enum drv_result drop(struct cl_party *p, NDIS_STATUS *status);

static struct cl_vc *vc_at(uint32_t k)
{
	return cl.n_vcs ? cl.vcs[k % cl.n_vcs] : NULL;
}

static struct cl_party *party_new(struct cl_vc *v)
{
	struct cl_party *p = calloc(1, sizeof(*p)), **tail;

	if (p == NULL)
		return NULL;
	p->vc = v;
	p->state = CLP_SETUP;
	for (tail = &v->parties; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = p;
	v->setup++;
	cl.st.live_contexts++;
	return p;
}

static void party_free(struct cl_party *p)
{
	struct cl_party **pp;

	for (pp = &p->vc->parties; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	cl.st.live_contexts--;
	/* Set only when a setup never completed (unload after a finding):
	 * plain free(), NDIS is gone or forgot the request. */
	free(p->params);
	free(p);
}

/*
 * CallParameters (C8): allocated from NDIS for each MakeCall/AddParty,
 * freed by the completion handler of that request and by nobody else.
 * The call manager may change them (CALL_PARAMETERS_CHANGED); the
 * reference client accepts what it settled.
 */
#define CL_TAG 0x6C437266 /* 'frCl' */

static PCO_CALL_PARAMETERS params_new(ULONG flags)
{
	PCO_CALL_PARAMETERS cp = NdisAllocateMemoryWithTagPriority(
		cl.binding, sizeof(*cp), CL_TAG, NormalPoolPriority);

	if (cp != NULL) {
		NdisZeroMemory(cp, sizeof(*cp));
		cp->Flags = flags;
	}
	return cp;
}

/* The completion handler's part: the request is over, NDIS let go. */
static void params_done(PCO_CALL_PARAMETERS *cp)
{
	if (*cp == NULL)
		return;
	if ((*cp)->Flags & CALL_PARAMETERS_CHANGED)
		cl.st.params_changed++;
	NdisFreeMemory(*cp, sizeof(**cp), 0);
	*cp = NULL;
}

/*
 * Handlers (registered with NDIS). Each is also what the client runs
 * itself after a synchronous return (C2).
 */

static VOID cl_make_call_complete(NDIS_STATUS Status,
				  NDIS_HANDLE ProtocolVcContext,
				  NDIS_HANDLE NdisPartyHandle,
				  PCO_CALL_PARAMETERS CallParameters)
{
	struct cl_vc *v = ProtocolVcContext;
	struct cl_party *p = v->parties; /* the initial party, if PMP */

	if (CallParameters != v->params && v->params != NULL)
		cl.st.protocol_errors++; /* not the ones it passed */
	params_done(&v->params);
	if (v->state != CLV_MAKING) {
		cl.st.protocol_errors++;
		return;
	}
	if (v->pmp && (p == NULL || p->state != CLP_SETUP)) {
		cl.st.protocol_errors++;
		return;
	}
	if (Status == NDIS_STATUS_SUCCESS) {
		v->state = CLV_CONNECTED;
		if (v->pmp) {
			p->handle = NdisPartyHandle;
			p->state = CLP_ACTIVE;
			v->setup--;
			v->active++;
		}
		return;
	}
	/* Failure: the initial party's context is ours to free; the VC may
	 * be reused or deleted. */
	if (v->pmp) {
		v->setup--;
		party_free(p);
	}
	v->state = CLV_IDLE;
	v->remote_closed = 0;
}

static VOID cl_add_party_complete(NDIS_STATUS Status,
				  NDIS_HANDLE ProtocolPartyContext,
				  NDIS_HANDLE NdisPartyHandle,
				  PCO_CALL_PARAMETERS CallParameters)
{
	struct cl_party *p = ProtocolPartyContext;

	if (p->state != CLP_SETUP) {
		cl.st.protocol_errors++;
		return;
	}
	if (CallParameters != p->params && p->params != NULL)
		cl.st.protocol_errors++; /* not the ones it passed */
	params_done(&p->params);
	p->vc->setup--;
	if (Status != NDIS_STATUS_SUCCESS) {
		party_free(p); /* the handle is invalid (C7) */
		return;
	}
	p->handle = NdisPartyHandle;
	p->state = CLP_ACTIVE;
	p->vc->active++;
}

static VOID cl_drop_party_complete(NDIS_STATUS Status,
				   NDIS_HANDLE ProtocolPartyContext)
{
	struct cl_party *p = ProtocolPartyContext;

	NdisAcquireSpinLock(&cl.lock);
	if (p->state != CLP_DROPPING) {
		cl.st.protocol_errors++;
		NdisReleaseSpinLock(&cl.lock);
		return;
	}
	p->vc->dropping--;
	if (Status == NDIS_STATUS_SUCCESS || pf_bug_is(PF_BUG_B6) ||
	    (pf_bug_is(PF_BUG_B13) && p->remote_dropped)) {
		/* B6: "the drop failed, so the party is gone anyway" ([sample]
		 * asserts SUCCESS); B13: "the remote already left, the drop
		 * cannot fail". Either way the last party is forgotten and
		 * never closed. */
		party_free(p); /* C10: now, not earlier */
		NdisReleaseSpinLock(&cl.lock);
		return;
	}
	/* A1/A4: still connected, handle valid. If it was the last party
	 * (FAILURE, A2) an owed incoming-drop answer becomes a close. */
	p->state = CLP_ACTIVE;
	p->vc->active++;
	if (cl.notified && p->vc->active > 1)
		cl.notify_failed = 1; /* not the last party: stuck */
	NdisReleaseSpinLock(&cl.lock);
}

static VOID cl_close_call_complete(NDIS_STATUS Status,
				   NDIS_HANDLE ProtocolVcContext,
				   NDIS_HANDLE ProtocolPartyContext)
{
	struct cl_vc *v = ProtocolVcContext;
	struct cl_party *p = ProtocolPartyContext;

	if (v->state != CLV_CLOSING ||
	    (p != NULL && (p->vc != v || p->state != CLP_CLOSING))) {
		cl.st.protocol_errors++;
		return;
	}
	if (Status == NDIS_STATUS_SUCCESS) {
		if (p != NULL)
			party_free(p); /* A5: only on success */
		v->state = CLV_CLOSED;
		v->remote_closed = 0;
		/* B33: "the call is closed, so its VC is done": the context
		 * of an incoming call's VC freed at close completion, though
		 * NDIS hands it to ProtocolCoDeleteVc still (C24). */
		if (pf_bug_is(PF_BUG_B33) && v->incoming)
			NdisFreeMemory(v, 0, 0);
		/* B16: "closed: now delete the VC", as for its own calls,
		 * with the handle of an incoming call whose close just
		 * completed (C27; the CM deletes it). */
		if (pf_bug_is(PF_BUG_B16) && v->incoming)
			(void)NdisCoDeleteVc(v->handle);
		return;
	}
	/* A6: the call stays up with its last party. */
	if (p != NULL) {
		p->state = CLP_ACTIVE;
		v->active++;
	}
	v->state = CLV_CONNECTED;
	if (cl.notified)
		cl.notify_failed = 1;
}

static VOID cl_incoming_drop_party(NDIS_STATUS DropStatus,
				   NDIS_HANDLE ProtocolPartyContext,
				   PVOID CloseData, UINT Size)
{
	struct cl_party *p = ProtocolPartyContext;

	(void)DropStatus;
	(void)CloseData;
	(void)Size;
	cl.st.incoming_drops++;
	if (pf_bug_is(PF_BUG_B3) && p->state == CLP_ACTIVE) {
		/* B3: the page says the context may be freed here; answer
		 * with the mandatory drop and free it at once. A pended drop
		 * later completes into freed memory. */
		p->vc->active--;
		(void)NdisClDropParty(p->handle, NULL, 0);
		party_free(p);
		return;
	}
	p->remote_dropped = 1; /* A3: keep the context, answer later */
	notify_progress(); /* closing the family: answer now */
}

static VOID cl_incoming_close_call(NDIS_STATUS CloseStatus,
				   NDIS_HANDLE ProtocolVcContext,
				   PVOID CloseData, UINT Size)
{
	struct cl_vc *v = ProtocolVcContext;

	(void)CloseStatus;
	(void)CloseData;
	(void)Size;
	cl.st.incoming_closes++;
	v->remote_closed = 1;
	notify_progress(); /* closing the family: answer now */
}

/* An OID request and its answer's buffer, one allocation. */
struct cl_oid {
	NDIS_OID_REQUEST req; /* first: the request names the whole */
	NDIS_CO_LINK_SPEED speed;
};

/* ProtocolCoOidRequestComplete: a pended query answered. */
static VOID cl_oid_complete(NDIS_HANDLE ProtocolAfContext,
			    NDIS_HANDLE ProtocolVcContext,
			    NDIS_HANDLE ProtocolPartyContext,
			    PNDIS_OID_REQUEST OidRequest, NDIS_STATUS Status)
{
	(void)ProtocolAfContext;
	(void)ProtocolVcContext;
	(void)ProtocolPartyContext;
	(void)Status;
	free((struct cl_oid *)OidRequest);
	notify_progress();
}

/* ProtocolCoOidRequest: the call manager asks the client; it knows no
 * OID worth answering. */
static NDIS_STATUS cl_oid_request(NDIS_HANDLE ProtocolAfContext,
				  NDIS_HANDLE ProtocolVcContext,
				  NDIS_HANDLE ProtocolPartyContext,
				  PNDIS_OID_REQUEST OidRequest)
{
	(void)ProtocolAfContext;
	(void)ProtocolVcContext;
	(void)ProtocolPartyContext;
	(void)OidRequest;
	return NDIS_STATUS_NOT_SUPPORTED;
}

/* ProtocolCoSendNetBufferListsComplete: the chain is ours again. */
static VOID cl_send_complete(NDIS_HANDLE ProtocolVcContext,
			     PNET_BUFFER_LIST NetBufferLists,
			     ULONG SendCompleteFlags)
{
	struct cl_vc *v = ProtocolVcContext;
	PNET_BUFFER_LIST nbl, next;

	(void)SendCompleteFlags;
	for (nbl = NetBufferLists; nbl != NULL; nbl = next) {
		next = NET_BUFFER_LIST_NEXT_NBL(nbl);
		v->sends--;
		free(nbl);
	}
	notify_progress(); /* a close may have waited for its sends */
}

static VOID ndis_make_call_complete(NDIS_STATUS s, NDIS_HANDLE a,
				    NDIS_HANDLE b, PCO_CALL_PARAMETERS c)
{
	cl.st.ndis_completions++;
	cl_make_call_complete(s, a, b, c);
	notify_progress();
}

static VOID ndis_add_party_complete(NDIS_STATUS s, NDIS_HANDLE a,
				    NDIS_HANDLE b, PCO_CALL_PARAMETERS c)
{
	cl.st.ndis_completions++;
	cl_add_party_complete(s, a, b, c);
	notify_progress();
}

static VOID ndis_drop_party_complete(NDIS_STATUS s, NDIS_HANDLE a)
{
	cl.st.ndis_completions++;
	cl_drop_party_complete(s, a);
	notify_progress();
}

static VOID ndis_close_call_complete(NDIS_STATUS s, NDIS_HANDLE a,
				     NDIS_HANDLE b)
{
	cl.st.ndis_completions++;
	cl_close_call_complete(s, a, b);
	notify_progress();
}

/* The status of a request: count it; the caller self-completes unless
 * it is PENDING. */
static int returned(NDIS_STATUS st)
{
	cl.st.requests++;
	if (st == NDIS_STATUS_PENDING) {
		cl.st.pended++;
		return 0;
	}
	cl.st.self_completions++;
	return 1;
}

/*
 * Registration and teardown
 */

static PROTOCOL_CO_CREATE_VC cl_create_vc;
static PROTOCOL_CO_DELETE_VC cl_delete_vc;
static PROTOCOL_CL_INCOMING_CALL cl_incoming_call;
static PROTOCOL_CL_CALL_CONNECTED cl_call_connected;

/*
 * Incoming calls. The CM creates the VC (ProtocolCoCreateVc: the client's
 * context, a VC like its own, marked incoming), offers the call
 * (ProtocolClIncomingCall: answered as decide() says; PENDING is answered
 * by drv_client_answer()), reports it connected (ProtocolClCallConnected)
 * and, after the close completed or the offer was refused, deletes it
 * (ProtocolCoDeleteVc: the context is freed there and nowhere else, C24).
 */
static NDIS_STATUS cl_create_vc(NDIS_HANDLE ProtocolAfContext,
				NDIS_HANDLE NdisVcHandle,
				PNDIS_HANDLE ProtocolVcContext)
{
	struct cl_vc *v;

	(void)ProtocolAfContext;
	if (cl.n_vcs == cl.max_vcs)
		return NDIS_STATUS_RESOURCES;
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return NDIS_STATUS_RESOURCES;
	v->handle = NdisVcHandle;
	v->state = CLV_IDLE;
	v->incoming = 1;
	cl.vcs[cl.n_vcs++] = v;
	cl.st.live_contexts++;
	*ProtocolVcContext = v;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cl_delete_vc(NDIS_HANDLE ProtocolVcContext)
{
	struct cl_vc *v = ProtocolVcContext;
	uint32_t i;

	for (i = 0; i < cl.n_vcs && cl.vcs[i] != v; i++)
		;
	if (i == cl.n_vcs || !v->incoming) {
		cl.st.protocol_errors++;
		return NDIS_STATUS_SUCCESS;
	}
	for (; i + 1 < cl.n_vcs; i++)
		cl.vcs[i] = cl.vcs[i + 1];
	cl.n_vcs--;
	cl.st.live_contexts--;
	free(v); /* C24: the VC is gone */
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cl_incoming_call(NDIS_HANDLE ProtocolSapContext,
				    NDIS_HANDLE ProtocolVcContext,
				    PCO_CALL_PARAMETERS CallParameters)
{
	struct cl_vc *v = ProtocolVcContext;
	struct drv_choice c = { DRV_SYNC_SUCCESS, NDIS_STATUS_SUCCESS };

	(void)ProtocolSapContext;
	if (cl.decide != NULL)
		c = cl.decide(cl.decide_arg, CN_REQ_NONE);
	if (c.decision == DRV_PEND) {
		v->offer_pended = 1;
		v->offer = CallParameters;
		return NDIS_STATUS_PENDING;
	}
	if (c.decision == DRV_SYNC_FAIL)
		return c.fail_status == NDIS_STATUS_SUCCESS ||
				       c.fail_status == NDIS_STATUS_PENDING
			       ? NDIS_STATUS_FAILURE
			       : c.fail_status;
	v->state = CLV_MAKING; /* accepted: connected is next */
	return NDIS_STATUS_SUCCESS;
}

static VOID cl_call_connected(NDIS_HANDLE ProtocolVcContext)
{
	struct cl_vc *v = ProtocolVcContext;

	if (!v->incoming || v->state != CLV_MAKING) {
		cl.st.protocol_errors++;
		return;
	}
	v->state = CLV_CONNECTED;
}

void drv_client_set_decide(drv_decide_fn fn, void *arg)
{
	cl.decide = fn;
	cl.decide_arg = arg;
}

/* The answer to an incoming call it pended: accept it. */
static enum drv_result answer_call(struct cl_vc *v)
{
	v->offer_pended = 0;
	v->state = CLV_MAKING; /* accepted: connected is next */
	NdisClIncomingCallComplete(NDIS_STATUS_SUCCESS, v->handle, v->offer);
	return DRV_DONE;
}

/*
 * ProtocolClNotifyCloseAf: the call manager closes the family (C28, A18).
 * The client tears down what it can now: for each VC it answers what was
 * indicated, drops its parties down to one, closes the call with the
 * survivor and deletes the VC; then it deregisters its SAP and closes the
 * family. What pends is carried on from the completion handlers (and
 * after each of its own requests, drv_client_notify_progress()), and once
 * the family's close completed the client completes the notification
 * (NdisClNotifyCloseAddressFamilyComplete). From the notification on it
 * makes no new call, party or SAP.
 */
static PROTOCOL_CL_NOTIFY_CLOSE_AF cl_notify_close_af;

/* The family is closed (its close completed with SUCCESS). */
static int family_closed(void)
{
	return cl.af == NULL && !cl.af_closing && !cl.af_opening;
}

static void teardown_vc(uint32_t vc)
{
	struct cl_vc *v = vc_at(vc);
	struct cl_party *p, *next;
	NDIS_STATUS st;

	(void)drv_client_answer(vc, &st);
	v = vc_at(vc);
	if (v != NULL && v->state == CLV_CONNECTED && v->pmp)
		for (p = v->parties; p != NULL && v->active > 1; p = next) {
			next = p->next;
			if (p->state == CLP_ACTIVE)
				(void)drop(p, &st);
		}
	(void)drv_client_close_call(vc, &st);
	(void)drv_client_delete_vc(vc, &st);
}

/* One pass over everything, again (at most twice more) if a completion
 * ran inside it and may have let a step that was refused go on. */
static void notify_teardown(void)
{
	NDIS_STATUS st;
	uint32_t vc, pass;

	cl.in_teardown = 1;
	for (pass = 0; pass < 3; pass++) {
		cl.again = 0;
		for (vc = cl.n_vcs; vc-- > 0;)
			teardown_vc(vc);
		(void)drv_client_deregister_sap(&st);
		(void)drv_client_close_family(&st);
		if (!cl.again || family_closed())
			break;
	}
	cl.in_teardown = 0;
}

/* The notification refused: the family stays open, and usable. */
static NDIS_STATUS notify_refused(void)
{
	cl.notified = 0;
	cl.notify_failed = 0;
	cl.notify_pended = 0;
	return NDIS_STATUS_FAILURE;
}

/* From every completion: carry the teardown on, complete the
 * notification once the family is closed (or refuse it once a failure
 * left something the client cannot take down). */
static void notify_progress(void)
{
	if (!cl.notify_pended)
		return;
	if (cl.in_teardown) {
		cl.again = 1;
		return;
	}
	if (!cl.notify_failed)
		notify_teardown();
	if (cl.notify_failed && !family_closed()) {
		NdisClNotifyCloseAddressFamilyComplete(cl.notify_af,
						       notify_refused());
		return;
	}
	if (!cl.notify_pended || !family_closed())
		return;
	cl.notify_pended = 0;
	/* B36: "the family is closed, NDIS sees that": the pended
	 * notification is never completed (C3 at the end). */
	if (!pf_bug_is(PF_BUG_B36))
		NdisClNotifyCloseAddressFamilyComplete(cl.notify_af,
						       NDIS_STATUS_SUCCESS);
}

void drv_client_notify_progress(void)
{
	notify_progress();
}

static NDIS_STATUS cl_notify_close_af(NDIS_HANDLE ClientAfContext)
{
	if (ClientAfContext != &cl || cl.notified || cl.af == NULL) {
		cl.st.protocol_errors++;
		return NDIS_STATUS_FAILURE;
	}
	cl.notified = 1;
	cl.notify_failed = 0;
	cl.notify_af = cl.af;
	notify_teardown();
	if (family_closed())
		return NDIS_STATUS_SUCCESS; /* closed synchronously */
	if (cl.notify_failed)
		return notify_refused();
	cl.notify_pended = 1;
	return NDIS_STATUS_PENDING;
}

static SET_OPTIONS cl_set_options;
static PROTOCOL_BIND_ADAPTER_EX cl_bind_adapter;
static PROTOCOL_CO_AF_REGISTER_NOTIFY cl_af_register_notify;
static PROTOCOL_CL_OPEN_AF_COMPLETE_EX cl_open_af_complete;

static VOID cl_open_af_complete(NDIS_STATUS Status,
				NDIS_HANDLE ProtocolAfContext,
				NDIS_HANDLE NdisAfHandle)
{
	if (ProtocolAfContext != &cl || !cl.af_opening) {
		cl.st.protocol_errors++;
		return;
	}
	cl.af_opening = 0;
	if (Status == NDIS_STATUS_SUCCESS)
		cl.af = NdisAfHandle;
}

/*
 * The address family's close order (C28): the client closes its family
 * only once no call is open on it and its SAP is deregistered, and opens
 * no call on it from the moment it asked to close it.
 */
static VOID cl_close_af_complete(NDIS_STATUS Status,
				 NDIS_HANDLE ProtocolAfContext)
{
	if (ProtocolAfContext != &cl || !cl.af_closing) {
		cl.st.protocol_errors++;
		return;
	}
	cl.af_closing = 0;
	if (Status == NDIS_STATUS_SUCCESS)
		cl.af = NULL;
	else if (cl.notified)
		cl.notify_failed = 1;
	notify_progress();
}

static VOID cl_register_sap_complete(NDIS_STATUS Status,
				     NDIS_HANDLE ProtocolSapContext,
				     PCO_SAP Sap, NDIS_HANDLE NdisSapHandle)
{
	(void)Sap;
	if (ProtocolSapContext != &cl || cl.sap_state != CLS_REGISTERING) {
		cl.st.protocol_errors++;
		return;
	}
	cl.sap_state =
		Status == NDIS_STATUS_SUCCESS ? CLS_REGISTERED : CLS_NONE;
	cl.sap = Status == NDIS_STATUS_SUCCESS ? NdisSapHandle : NULL;
}

static VOID cl_deregister_sap_complete(NDIS_STATUS Status,
				       NDIS_HANDLE ProtocolSapContext)
{
	if (ProtocolSapContext != &cl || cl.sap_state != CLS_DEREGISTERING) {
		cl.st.protocol_errors++;
		return;
	}
	if (Status == NDIS_STATUS_SUCCESS) {
		cl.sap_state = CLS_NONE;
		cl.sap = NULL;
	} else {
		cl.sap_state = CLS_REGISTERED;
	}
	notify_progress();
}

/* The call manager's family: open it (Q.2931, the one it speaks). */
static VOID cl_af_register_notify(NDIS_HANDLE ProtocolBindingContext,
				  PCO_ADDRESS_FAMILY AddressFamily)
{
	NDIS_HANDLE af = NULL;
	NDIS_STATUS st;

	if (ProtocolBindingContext != &cl) {
		cl.st.protocol_errors++;
		return;
	}
	if (AddressFamily->AddressFamily != CO_ADDRESS_FAMILY_Q2931 ||
	    cl.af != NULL || cl.af_opening)
		return;
	cl.af_opening = 1;
	st = NdisClOpenAddressFamilyEx(cl.binding, AddressFamily, &cl, &af);
	if (st != NDIS_STATUS_PENDING)
		cl_open_af_complete(st, &cl, af);
}

static NDIS_STATUS cl_set_options(NDIS_HANDLE NdisDriverHandle,
				  NDIS_HANDLE DriverContext)
{
	NDIS_PROTOCOL_CO_CHARACTERISTICS co;
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS h;
	NDIS_STATUS st;

	(void)DriverContext;
	memset(&co, 0, sizeof(co));
	co.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
	co.Header.Revision = NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	co.Header.Size = NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	co.CoAfRegisterNotifyHandler = cl_af_register_notify;
	co.CoSendNetBufferListsCompleteHandler = cl_send_complete;
	st = NdisSetOptionalHandlers(NdisDriverHandle,
				     (PNDIS_DRIVER_OPTIONAL_HANDLERS)&co);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	memset(&h, 0, sizeof(h));
	h.Header.Type = NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
	h.Header.Revision = NDIS_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	h.Header.Size = NDIS_SIZEOF_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	h.ClOpenAfCompleteHandlerEx = cl_open_af_complete;
	h.ClCloseAfCompleteHandler = cl_close_af_complete;
	h.ClNotifyCloseAfHandler = cl_notify_close_af;
	h.ClRegisterSapCompleteHandler = cl_register_sap_complete;
	h.ClDeregisterSapCompleteHandler = cl_deregister_sap_complete;
	h.ClMakeCallCompleteHandler = ndis_make_call_complete;
	h.ClAddPartyCompleteHandler = ndis_add_party_complete;
	h.ClDropPartyCompleteHandler = ndis_drop_party_complete;
	h.ClCloseCallCompleteHandler = ndis_close_call_complete;
	h.ClIncomingDropPartyHandler = cl_incoming_drop_party;
	h.ClIncomingCloseCallHandler = cl_incoming_close_call;
	h.ClCreateVcHandler = cl_create_vc;
	h.ClDeleteVcHandler = cl_delete_vc;
	h.ClIncomingCallHandler = cl_incoming_call;
	h.ClCallConnectedHandler = cl_call_connected;
	h.ClOidRequestCompleteHandler = cl_oid_complete;
	h.ClOidRequestHandler = cl_oid_request;
	return NdisSetOptionalHandlers(NdisDriverHandle,
				       (PNDIS_DRIVER_OPTIONAL_HANDLERS)&h);
}

static NDIS_STATUS cl_bind_adapter(NDIS_HANDLE ProtocolDriverContext,
				   NDIS_HANDLE BindContext,
				   PNDIS_BIND_PARAMETERS BindParameters)
{
	NDIS_MEDIUM media[] = { NdisMediumCoWan, NdisMediumAtm };
	NDIS_OPEN_PARAMETERS op;
	UINT selected = 0;

	(void)ProtocolDriverContext;
	(void)BindParameters;
	memset(&op, 0, sizeof(op));
	op.Header.Type = NDIS_OBJECT_TYPE_OPEN_PARAMETERS;
	op.Header.Revision = NDIS_OPEN_PARAMETERS_REVISION_1;
	op.Header.Size = sizeof(op);
	op.MediumArray = media;
	op.MediumArraySize = sizeof(media) / sizeof(media[0]);
	op.SelectedMediumIndex = &selected;
	return NdisOpenAdapterEx(cl.protocol, &cl, &op, BindContext,
				 &cl.binding);
}

int drv_client_register(uint32_t max_vcs)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS pc;
	NDIS_STATUS st;

	if (cl.registered || max_vcs == 0)
		return PT_E_INVAL;
	cl.vcs = calloc(max_vcs, sizeof(*cl.vcs));
	if (cl.vcs == NULL)
		return PT_E_NOMEM;
	/* Ready before registering: NDIS may call any handler at once. The
	 * lock lives as long as the engine's run (no NdisFreeSpinLock at
	 * teardown: a reset engine has forgotten it already). */
	NdisAllocateSpinLock(&cl.lock);
	cl.max_vcs = max_vcs;
	cl.n_vcs = 0;
	memset(&cl.st, 0, sizeof(cl.st));
	cl.registered = 1;
	memset(&pc, 0, sizeof(pc));
	pc.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
	pc.Header.Revision = NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	pc.Header.Size =
		NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	pc.MajorNdisVersion = 6;
	pc.MinorNdisVersion = 0;
	pc.SetOptionsHandler = cl_set_options;
	pc.BindAdapterHandlerEx = cl_bind_adapter;
	st = NdisRegisterProtocolDriver(&cl, &pc, &cl.protocol);
	if (st != NDIS_STATUS_SUCCESS || cl.binding == NULL) {
		free(cl.vcs);
		memset(&cl, 0, sizeof(cl));
		return PT_E_INVAL;
	}
	return PT_OK;
}

void drv_client_teardown(void)
{
	uint32_t i;

	for (i = 0; i < cl.n_vcs; i++) {
		struct cl_vc *v = cl.vcs[i];

		while (v->parties != NULL)
			party_free(v->parties);
		free(v->params); /* as in party_free() */
		free(v);
	}
	free(cl.vcs);
	memset(&cl, 0, sizeof(cl));
}

/*
 * Unbinding and unload (the end of a run, ref_table.c): ProtocolUnbind-
 * AdapterEx closes the address family and the binding, DriverUnload
 * deregisters and frees everything the client still holds.
 */
void drv_client_unbind(void)
{
	NDIS_STATUS st;

	if (!cl.registered)
		return;
	(void)drv_client_deregister_sap(&st);
	/* C28: the family is closed after its calls and its SAP; a call
	 * still up at unbind (the run ended on a finding) keeps it open. */
	(void)drv_client_close_family(&st);
	if (cl.binding != NULL)
		(void)NdisCloseAdapterEx(cl.binding);
	cl.binding = NULL;
}

void drv_client_unload(void)
{
	if (cl.registered && cl.protocol != NULL)
		NdisDeregisterProtocolDriver(cl.protocol);
	drv_client_teardown();
}

/*
 * Stimuli
 */

enum drv_result drv_client_create_vc(NDIS_STATUS *status)
{
	NDIS_HANDLE h = NULL;
	struct cl_vc *v;

	if (!cl.registered || cl.n_vcs == cl.max_vcs || cl.af == NULL ||
	    cl.af_closing || cl.notified)
		return DRV_REFUSED; /* C28: no VC on a family being closed */
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return DRV_REFUSED;
	*status = NdisCoCreateVc(cl.binding, cl.af, v, &h);
	if (*status != NDIS_STATUS_SUCCESS) {
		free(v); /* C24: never known to NDIS */
		return DRV_DONE;
	}
	v->handle = h;
	v->state = CLV_IDLE;
	cl.vcs[cl.n_vcs++] = v;
	cl.st.live_contexts++;
	return DRV_DONE;
}

enum drv_result drv_client_make_call(uint32_t vc, int pmp, NDIS_STATUS *status)
{
	struct cl_vc *v = vc_at(vc);
	struct cl_party *p = NULL;
	PCO_CALL_PARAMETERS cp;
	NDIS_HANDLE ph = NULL;

	if (v == NULL)
		return DRV_NOOP;
	if (v->incoming || (v->state != CLV_IDLE && v->state != CLV_CLOSED))
		return DRV_REFUSED; /* an incoming call's VC is the CM's */
	if (cl.af == NULL || cl.af_closing || cl.notified)
		return DRV_REFUSED; /* C28: no call on a family being closed */
	v->params = params_new(pmp ? MULTIPOINT_VC : 0);
	if (v->params == NULL)
		return DRV_REFUSED;
	if (pmp && (p = party_new(v)) == NULL) {
		params_done(&v->params);
		return DRV_REFUSED;
	}
	v->pmp = !!pmp;
	v->state = CLV_MAKING;
	cp = v->params;
	*status = NdisClMakeCall(v->handle, cp, p, pmp ? &ph : NULL);
	if (pf_bug_is(PF_BUG_B10) && *status == NDIS_STATUS_PENDING &&
	    v->params != NULL) {
		/* B10: "NDIS has the parameters now": freed while the make
		 * call pends (the completion finds v->params NULL). */
		NdisFreeMemory(v->params, sizeof(*v->params), 0);
		v->params = NULL;
	}
	if (returned(*status))
		cl_make_call_complete(*status, v, ph, cp);
	return DRV_DONE;
}

enum drv_result drv_client_add_party(uint32_t vc, NDIS_STATUS *status)
{
	struct cl_vc *v = vc_at(vc);
	struct cl_party *p;
	PCO_CALL_PARAMETERS cp;
	NDIS_HANDLE ph = NULL;

	if (v == NULL)
		return DRV_NOOP;
	if (cl.notified)
		return DRV_REFUSED; /* C28: the family is being closed */
	if (pf_bug_is(PF_BUG_B9)) {
		/* B9: only refuses a VC that is closing or closed. */
		if (v->state == CLV_CLOSING || v->state == CLV_CLOSED)
			return DRV_REFUSED;
	} else if (v->state != CLV_CONNECTED || !v->pmp || v->remote_closed) {
		return DRV_REFUSED; /* C6, C15, A16 */
	}
	p = party_new(v);
	if (p == NULL)
		return DRV_REFUSED;
	p->params = params_new(MULTIPOINT_VC);
	if (p->params == NULL) {
		v->setup--;
		party_free(p);
		return DRV_REFUSED;
	}
	cp = p->params;
	*status = NdisClAddParty(v->handle, p, cp, &ph);
	if (pf_bug_is(PF_BUG_B10) && *status == NDIS_STATUS_PENDING &&
	    p->params != NULL) {
		/* B10: as for the make call, while the add pends. */
		NdisFreeMemory(p->params, sizeof(*p->params), 0);
		p->params = NULL;
	}
	/* B2: the handler runs whatever came back; PENDING is a failure
	 * to it, so it frees the context NDIS completes into later. */
	if (returned(*status) || pf_bug_is(PF_BUG_B2))
		cl_add_party_complete(*status, p, ph, cp);
	return DRV_DONE;
}

/* NdisClDropParty of @p (ACTIVE, with a handle). */
static enum drv_result drop(struct cl_party *p, NDIS_STATUS *status)
{
	struct cl_vc *v = p->vc;

	NdisAcquireSpinLock(&cl.lock);
	p->state = CLP_DROPPING; /* C9: the handle is spent from here */
	v->active--;
	v->dropping++;
	/* B27: the lock is kept across the call "so that nobody sees the
	 * party half-dropped"; a completion that runs inside the call (A12)
	 * takes it again. */
	if (!pf_bug_is(PF_BUG_B27))
		NdisReleaseSpinLock(&cl.lock);
	*status = NdisClDropParty(p->handle, NULL, 0);
	if (pf_bug_is(PF_BUG_B27))
		NdisReleaseSpinLock(&cl.lock);
	/* B31: "mark it drop-pending once NDIS says PENDING"; the completion
	 * may have run inside the call (A12) and freed the context. */
	if (pf_bug_is(PF_BUG_B31) && *status == NDIS_STATUS_PENDING) {
		struct cl_party *volatile late = p;

		late->state = CLP_DROPPING;
	}
	if (pf_bug_is(PF_BUG_B4) && *status == NDIS_STATUS_PENDING) {
		/* B4: "the handle is spent, so is the context". */
		v->dropping--;
		party_free(p);
		(void)returned(*status);
		return DRV_DONE;
	}
	/* B1: only the PENDING case is handled; a synchronous status is
	 * dropped on the floor and the party stays DROPPING forever. */
	if (returned(*status) && !pf_bug_is(PF_BUG_B1))
		cl_drop_party_complete(*status, p);
	return DRV_DONE;
}

/* NdisClCloseCall of @v with its last party @p (NULL for P2P). */
static enum drv_result close_call(struct cl_vc *v, struct cl_party *p,
				  NDIS_STATUS *status)
{
	/* C23: every send completed first. B17: "the call is going away,
	 * its sends with it": closes with sends outstanding. */
	if (v->sends != 0 && !pf_bug_is(PF_BUG_B17))
		return DRV_REFUSED;
	v->state = CLV_CLOSING;
	if (p != NULL) {
		p->state = CLP_CLOSING;
		v->active--;
	}
	*status = NdisClCloseCall(v->handle, p ? p->handle : NULL, NULL, 0);
	if (returned(*status))
		cl_close_call_complete(*status, v, p);
	return DRV_DONE;
}

/* The one connected party of a PMP VC that may be closed now, or NULL. */
static struct cl_party *last_party(struct cl_vc *v)
{
	struct cl_party *p;

	if (pf_bug_is(PF_BUG_B7)) {
		/* B7: "close with the first party we still hold". */
		if (v->active == 0)
			return NULL;
	} else if (pf_bug_is(PF_BUG_B14)) {
		/* B14: counts connected and dropping parties, not adds. */
		if (v->active != 1 || v->dropping)
			return NULL;
	} else if (v->active != 1 || v->setup || v->dropping) {
		return NULL; /* C11, R2 */
	}
	for (p = v->parties; p != NULL; p = p->next)
		if (p->state == CLP_ACTIVE)
			return p;
	return NULL;
}

/* A drop candidate as bugs B5/B8 see it: the party list is not filtered
 * for parties already dropping (B5: their handle is spent), nor for parties
 * still being added (B8: the handle variable is not set yet). */
static int b5_b8_candidate(const struct cl_party *p)
{
	return p->state == CLP_ACTIVE ||
	       (pf_bug_is(PF_BUG_B5) && p->state == CLP_DROPPING) ||
	       (pf_bug_is(PF_BUG_B8) && p->state == CLP_SETUP);
}

enum drv_result drv_client_drop_party(uint32_t vc, uint32_t party,
				      NDIS_STATUS *status)
{
	struct cl_vc *v = vc_at(vc);
	struct cl_party *p;
	uint32_t k;

	if (v == NULL)
		return DRV_NOOP;
	if (v->state != CLV_CONNECTED || v->active == 0)
		return DRV_NOOP;
	if (pf_bug_is(PF_BUG_B5) || pf_bug_is(PF_BUG_B8)) {
		uint32_t n = 0; /* >= v->active >= 1 */

		for (p = v->parties; p != NULL; p = p->next)
			n += b5_b8_candidate(p);
		k = party % n;
		for (p = v->parties; p != NULL; p = p->next)
			if (b5_b8_candidate(p) && k-- == 0)
				return drop(p, status);
		return DRV_NOOP;
	}
	k = party % v->active;
	for (p = v->parties; p != NULL; p = p->next)
		if (p->state == CLP_ACTIVE && k-- == 0)
			return drop(p, status);
	return DRV_NOOP;
}

enum drv_result drv_client_close_call(uint32_t vc, NDIS_STATUS *status)
{
	struct cl_vc *v = vc_at(vc);
	struct cl_party *p = NULL;

	if (v == NULL)
		return DRV_NOOP;
	if (v->state != CLV_CONNECTED)
		return DRV_REFUSED;
	if (v->pmp && (p = last_party(v)) == NULL)
		return DRV_REFUSED;
	return close_call(v, p, status);
}

enum drv_result drv_client_delete_vc(uint32_t vc, NDIS_STATUS *status)
{
	struct cl_vc *v = vc_at(vc);
	uint32_t i;

	if (v == NULL)
		return DRV_NOOP;
	if (v->incoming)
		return DRV_REFUSED; /* C25: the CM deletes it */
	if (v->state != CLV_IDLE && v->state != CLV_CLOSED &&
	    !(pf_bug_is(PF_BUG_B15) && v->state == CLV_CLOSING))
		return DRV_REFUSED; /* A14: only after the close completed */
	*status = NdisCoDeleteVc(v->handle);
	cl.st.requests++;
	/* B15: a VC whose close pends is deleted and its context freed,
	 * NOT_ACCEPTED/CLOSING ignored. */
	if (*status != NDIS_STATUS_SUCCESS && !pf_bug_is(PF_BUG_B15))
		return DRV_DONE;
	while (pf_bug_is(PF_BUG_B15) && v->parties != NULL)
		party_free(v->parties);
	for (i = vc % cl.n_vcs; i + 1 < cl.n_vcs; i++)
		cl.vcs[i] = cl.vcs[i + 1];
	cl.n_vcs--;
	cl.st.live_contexts--;
	free(v); /* C24: after the delete */
	return DRV_DONE;
}

enum drv_result drv_client_send(uint32_t vc)
{
	struct cl_vc *v = vc_at(vc);
	PNET_BUFFER_LIST nbl;

	if (v == NULL)
		return DRV_NOOP;
	/* C23, C15: a connected call the network has not closed. B17: a
	 * call the client is closing is still "up". */
	if ((v->state != CLV_CONNECTED &&
	     !(pf_bug_is(PF_BUG_B17) && v->state == CLV_CLOSING)) ||
	    v->remote_closed)
		return DRV_REFUSED;
	nbl = calloc(1, sizeof(*nbl));
	if (nbl == NULL)
		return DRV_REFUSED;
	v->sends++; /* before the call: it may complete inside it */
	cl.st.requests++;
	NdisCoSendNetBufferLists(v->handle, nbl,
				 KeGetCurrentIrql() == DISPATCH_LEVEL
					 ? NDIS_SEND_FLAGS_DISPATCH_LEVEL
					 : 0);
	return DRV_DONE;
}

/* An OID candidate: a connected party. B34: "a party we still hold",
 * whose drop pends too (its handle is spent). */
static int oid_candidate(const struct cl_party *p)
{
	return p->state == CLP_ACTIVE ||
	       (pf_bug_is(PF_BUG_B34) && p->state == CLP_DROPPING);
}

enum drv_result drv_client_oid(uint32_t vc, uint32_t k, NDIS_STATUS *status)
{
	struct cl_vc *v = vc_at(vc);
	struct cl_party *p = NULL;
	struct cl_oid *o;
	uint32_t n = 0;

	if (v == NULL)
		return DRV_NOOP;
	for (p = v->parties; p != NULL; p = p->next)
		n += oid_candidate(p);
	k %= n + 1; /* 0: the VC itself */
	p = NULL;
	if (k > 0)
		for (p = v->parties; p != NULL; p = p->next)
			if (oid_candidate(p) && --k == 0)
				break;
	o = calloc(1, sizeof(*o));
	if (o == NULL)
		return DRV_REFUSED;
	o->req.Header.Type = NDIS_OBJECT_TYPE_OID_REQUEST;
	o->req.Header.Revision = NDIS_OID_REQUEST_REVISION_1;
	o->req.Header.Size = sizeof(o->req);
	o->req.RequestType = NdisRequestQueryInformation;
	o->req.DATA.QUERY_INFORMATION.Oid = OID_GEN_CO_LINK_SPEED;
	o->req.DATA.QUERY_INFORMATION.InformationBuffer = &o->speed;
	o->req.DATA.QUERY_INFORMATION.InformationBufferLength =
		sizeof(o->speed);
	cl.st.requests++;
	*status = NdisCoOidRequest(cl.binding, cl.af, v->handle,
				   p ? p->handle : NULL, &o->req);
	if (*status != NDIS_STATUS_PENDING)
		free(o);
	return DRV_DONE;
}

enum drv_result drv_client_answer(uint32_t vc, NDIS_STATUS *status)
{
	struct cl_vc *v = vc_at(vc);
	struct cl_party *p, *last;
	int waiting = 0;

	if (v == NULL)
		return DRV_NOOP;
	if (v->offer_pended)
		return answer_call(v);
	if (v->remote_closed) {
		if (v->state == CLV_MAKING)
			return DRV_REFUSED; /* make completion not here yet */
		if (v->state != CLV_CONNECTED)
			return DRV_NOOP; /* already closing */
		if (!v->pmp)
			return close_call(v, NULL, status);
		if (pf_bug_is(PF_BUG_B12)) {
			/* B12: "the network closed it: close now", with the
			 * first party still held, whatever else is up. */
			for (p = v->parties; p != NULL; p = p->next)
				if (p->state == CLP_ACTIVE)
					return close_call(v, p, status);
		}
		if (v->setup || v->dropping)
			return DRV_REFUSED; /* R2: wait */
		if (v->active == 1)
			return close_call(v, last_party(v), status);
		/* C15: drop all but one; remote-dropped ones first. */
		for (p = v->parties; p != NULL; p = p->next)
			if (p->state == CLP_ACTIVE && p->remote_dropped)
				return drop(p, status);
		for (p = v->parties; p != NULL; p = p->next)
			if (p->state == CLP_ACTIVE)
				return drop(p, status);
		return DRV_NOOP;
	}
	for (p = v->parties; p != NULL; p = p->next) {
		if (!p->remote_dropped)
			continue;
		if (p->state == CLP_SETUP) {
			waiting = 1; /* handle not delivered yet */
			continue;
		}
		if (pf_bug_is(PF_BUG_B11) && p->state == CLP_DROPPING) {
			/* B11: the incoming drop is answered although the
			 * client's own drop of the party pends. */
			p->state = CLP_ACTIVE;
			v->active++;
			v->dropping--;
			return drop(p, status);
		}
		if (p->state != CLP_ACTIVE)
			continue; /* its teardown is already in flight */
		if (v->active > 1 ||
		    (pf_bug_is(PF_BUG_B13) && v->active + v->dropping > 1))
			return drop(p, status); /* B13: counts dropping ones */
		last = last_party(v);
		if (last == NULL)
			return DRV_REFUSED; /* last one, but R2: wait */
		return close_call(v, last, status); /* A11, B13 */
	}
	return waiting ? DRV_REFUSED : DRV_NOOP;
}

/*
 * The address family (C28)
 */

/* A call open on the family, as the client counts: a VC not IDLE or
 * CLOSED, or an incoming call it pended and still has to answer. */
static int calls_open(void)
{
	uint32_t i;

	for (i = 0; i < cl.n_vcs; i++)
		if ((cl.vcs[i]->state != CLV_IDLE &&
		     cl.vcs[i]->state != CLV_CLOSED) ||
		    cl.vcs[i]->offer_pended)
			return 1;
	return 0;
}

enum drv_result drv_client_register_sap(NDIS_STATUS *status)
{
	NDIS_HANDLE h = NULL;

	if (!cl.registered || cl.af == NULL || cl.af_closing || cl.notified)
		return DRV_NOOP;
	if (cl.sap_state != CLS_NONE)
		return DRV_REFUSED; /* one SAP */
	cl.sap_state = CLS_REGISTERING;
	memset(&cl.sap_desc, 0, sizeof(cl.sap_desc));
	cl.sap_desc.sap.SapType = 0;
	cl.sap_desc.sap.SapLength = 4;
	*status = NdisClRegisterSap(cl.af, &cl, &cl.sap_desc.sap, &h);
	if (returned(*status))
		cl_register_sap_complete(*status, &cl, &cl.sap_desc.sap, h);
	return DRV_DONE;
}

enum drv_result drv_client_deregister_sap(NDIS_STATUS *status)
{
	if (!cl.registered || cl.sap_state == CLS_NONE)
		return DRV_NOOP;
	if (cl.sap_state != CLS_REGISTERED)
		return DRV_REFUSED; /* its request is in flight */
	cl.sap_state = CLS_DEREGISTERING;
	*status = NdisClDeregisterSap(cl.sap);
	if (returned(*status))
		cl_deregister_sap_complete(*status, &cl);
	return DRV_DONE;
}

enum drv_result drv_client_close_family(NDIS_STATUS *status)
{
	uint32_t vc;

	if (!cl.registered || cl.af == NULL || cl.af_closing)
		return DRV_NOOP;
	/* B35: "unbinding, so close the family": the calls still up are
	 * not looked at (the SAP is). */
	if ((calls_open() && !pf_bug_is(PF_BUG_B35)) ||
	    cl.sap_state != CLS_NONE)
		return DRV_REFUSED; /* C28: calls and SAPs first */
	/* Its own VCs go before the family (no call is left on them). */
	for (vc = cl.n_vcs; vc-- > 0;)
		(void)drv_client_delete_vc(vc, status);
	cl.af_closing = 1;
	*status = NdisClCloseAddressFamily(cl.af);
	if (returned(*status))
		cl_close_af_complete(*status, &cl);
	return DRV_DONE;
}

/*
 * Observers
 */

NDIS_HANDLE drv_client_af(void)
{
	return cl.af;
}

uint32_t drv_client_vc_count(void)
{
	return cl.n_vcs;
}

NDIS_HANDLE drv_client_vc_handle(uint32_t vc)
{
	return vc < cl.n_vcs ? cl.vcs[vc]->handle : NULL;
}

uint32_t drv_client_party_count(uint32_t vc)
{
	const struct cl_party *p;
	uint32_t n = 0;

	if (vc >= cl.n_vcs)
		return 0;
	for (p = cl.vcs[vc]->parties; p != NULL; p = p->next)
		n++;
	return n;
}

void drv_client_stats(struct drv_client_stats *out)
{
	*out = cl.st;
}

const char *drv_result_name(int r)
{
	switch (r) {
	case DRV_DONE:
		return "DONE";
	case DRV_NOOP:
		return "NOOP";
	case DRV_REFUSED:
		return "REFUSED";
	default:
		return "?";
	}
}
