/*
 * adapter.c - plugs the WDK-style drivers (client.c, cm.c) into the
 * harness: the stimulus interface of fuzz/drivers/driver.h on top of what
 * the drivers' own code offers, for the target fuzz_wdk_style.
 *
 * This is test glue, not driver code. It plays the parts the drivers'
 * surroundings play in a real system:
 *   - the I/O manager: it calls each DriverEntry (the build renames them
 *     PmpClDriverEntry and QmcmDriverEntry: two drivers share a process);
 *   - the client's control path: create_vc, make_call, ... call the
 *     PmpXxx requests of client.h; answer runs the PmpServiceVc worker;
 *   - the MCM's hardware layer (hw.c of a real MCM): McmHwSendSignal asks
 *     the harness's decision (answer at once, reject, or leave the
 *     transaction outstanding), complete answers outstanding transaction
 *     #k through McmHwSignalComplete, incoming_drop and incoming_close are
 *     the network's DROP PARTY and RELEASE.
 * The MCM is an MCM only. For a program that asks for a stand-alone CM,
 * the reference CM (fuzz/drivers/ref_cm.c, its drv_cm_* renamed ref_*)
 * serves instead, so the WDK client meets both kinds.
 *
 * Indexes are taken modulo the candidates, as driver.h says; lists are
 * walked in the drivers' own order (creation order), without their locks:
 * the harness is single-threaded and calls between steps.
 *
 * End of run: drv_*_teardown() frees what the drivers still hold without
 * calling a party DDI (the NDIS memory services only).
 */
#include <string.h>

#include "client.h"
#include "cm.h"
#include "drivers/driver.h"

DRIVER_INITIALIZE PmpClDriverEntry;
DRIVER_INITIALIZE QmcmDriverEntry;
MINIPORT_HALT McmHalt;

/* ref_cm.c, renamed (fuzz/examples/wdk_style/CMakeLists.txt). */
int ref_drv_cm_register(enum cn_cm_kind kind, drv_decide_fn decide, void *arg);
void ref_drv_cm_teardown(void);
uint32_t ref_drv_cm_pending_count(void);
int ref_drv_cm_pending_get(uint32_t k, struct cn_pending_info *out);
enum drv_result ref_drv_cm_complete(uint32_t k, NDIS_STATUS status);
enum drv_result ref_drv_cm_incoming_drop(uint32_t k, NDIS_STATUS st);
enum drv_result ref_drv_cm_incoming_close(uint32_t k, NDIS_STATUS st);
void ref_drv_cm_stats(struct drv_cm_stats *out);

static struct {
	uint32_t max_vcs;
	int client;
	enum cn_cm_kind kind;
	drv_decide_fn decide;
	void *decide_arg;
	DRIVER_OBJECT client_object, cm_object;
	UNICODE_STRING client_path, cm_path;
	struct drv_client_stats cst;
	struct drv_cm_stats mst;
} A;

static uint32_t list_length(const LIST_ENTRY *head)
{
	const LIST_ENTRY *e;
	uint32_t n = 0;

	for (e = head->Flink; e != head; e = e->Flink)
		n++;
	return n;
}

/* Entry #k (no modulo) of @head, or NULL. */
static PLIST_ENTRY list_at(PLIST_ENTRY head, uint32_t k)
{
	PLIST_ENTRY e;

	for (e = head->Flink; e != head; e = e->Flink)
		if (k-- == 0)
			return e;
	return NULL;
}

/* The result of a request: REFUSED when the driver asked nothing of NDIS
 * because it is in no state for it. */
static enum drv_result result_of(NDIS_STATUS st, NDIS_STATUS *status)
{
	if (st == NDIS_STATUS_INVALID_DEVICE_REQUEST)
		return DRV_REFUSED;
	*status = st;
	A.cst.requests++;
	if (st == NDIS_STATUS_PENDING)
		A.cst.pended++;
	return DRV_DONE;
}

/*
 * Client
 */

static PPMP_VC vc_at(uint32_t k)
{
	PPMP_ADAPTER ad = PmpGlobals.Adapter;
	uint32_t n;

	if (ad == NULL || (n = list_length(&ad->VcList)) == 0)
		return NULL;
	return CONTAINING_RECORD(list_at(&ad->VcList, k % n), PMP_VC, Link);
}

int drv_client_register(uint32_t max_vcs)
{
	if (A.client || max_vcs == 0)
		return PT_E_INVAL;
	memset(&A.client_object, 0, sizeof(A.client_object));
	RtlInitUnicodeString(&A.client_path, L"\\Registry\\Machine\\System\\"
					     L"CurrentControlSet\\Services\\"
					     L"PMPCL");
	memset(&A.cst, 0, sizeof(A.cst));
	if (!NT_SUCCESS(PmpClDriverEntry(&A.client_object, &A.client_path)) ||
	    PmpGlobals.Adapter == NULL)
		return PT_E_INVAL;
	A.max_vcs = max_vcs;
	A.client = 1;
	return PT_OK;
}

void drv_client_teardown(void)
{
	PPMP_ADAPTER ad = PmpGlobals.Adapter;

	if (!A.client)
		return;
	while (ad != NULL && !IsListEmpty(&ad->VcList)) {
		PPMP_VC vc = CONTAINING_RECORD(RemoveHeadList(&ad->VcList),
					       PMP_VC, Link);

		while (!IsListEmpty(&vc->PartyList))
			NdisFreeToNPagedLookasideList(
				&PmpGlobals.PartyLookaside,
				RemoveHeadList(&vc->PartyList));
		NdisFreeSpinLock(&vc->Lock);
		NdisFreeMemory(vc, sizeof(*vc), 0);
	}
	if (ad != NULL) {
		NdisFreeSpinLock(&ad->Lock);
		NdisFreeMemory(ad, sizeof(*ad), 0);
	}
	NdisDeleteNPagedLookasideList(&PmpGlobals.PartyLookaside);
	memset(&PmpGlobals, 0, sizeof(PmpGlobals));
	A.client = 0;
}

enum drv_result drv_client_create_vc(NDIS_STATUS *status)
{
	PPMP_VC vc;

	if (!A.client || drv_client_vc_count() >= A.max_vcs)
		return DRV_REFUSED;
	return result_of(PmpCreateVc(PmpGlobals.Adapter, &vc), status);
}

enum drv_result drv_client_make_call(uint32_t vc, int pmp, NDIS_STATUS *status)
{
	PPMP_VC v = vc_at(vc);

	if (v == NULL)
		return DRV_NOOP;
	return result_of(PmpMakeCall(v, pmp ? TRUE : FALSE), status);
}

enum drv_result drv_client_add_party(uint32_t vc, NDIS_STATUS *status)
{
	PPMP_VC v = vc_at(vc);

	if (v == NULL)
		return DRV_NOOP;
	return result_of(PmpAddLeaf(v), status);
}

enum drv_result drv_client_drop_party(uint32_t vc, uint32_t party,
				      NDIS_STATUS *status)
{
	PPMP_VC v = vc_at(vc);
	PLIST_ENTRY e;
	uint32_t n = 0;

	if (v == NULL)
		return DRV_NOOP;
	/* Among the connected leaves (the ones with a handle). */
	for (e = v->PartyList.Flink; e != &v->PartyList; e = e->Flink)
		n += CONTAINING_RECORD(e, PMP_PARTY, Link)->State ==
		     PartyConnected;
	if (n == 0)
		return DRV_NOOP;
	party %= n;
	for (e = v->PartyList.Flink; e != &v->PartyList; e = e->Flink) {
		PPMP_PARTY p = CONTAINING_RECORD(e, PMP_PARTY, Link);

		if (p->State == PartyConnected && party-- == 0)
			return result_of(PmpDropLeaf(v, p), status);
	}
	return DRV_NOOP;
}

enum drv_result drv_client_close_call(uint32_t vc, NDIS_STATUS *status)
{
	PPMP_VC v = vc_at(vc);

	if (v == NULL)
		return DRV_NOOP;
	return result_of(PmpCloseCall(v), status);
}

enum drv_result drv_client_delete_vc(uint32_t vc, NDIS_STATUS *status)
{
	PPMP_VC v = vc_at(vc);

	if (v == NULL)
		return DRV_NOOP;
	return result_of(PmpDeleteVc(v), status);
}

enum drv_result drv_client_answer(uint32_t vc, NDIS_STATUS *status)
{
	PPMP_VC v = vc_at(vc);
	uint64_t before = cn_trace_steps();
	NDIS_STATUS st;

	if (v == NULL)
		return DRV_NOOP;
	st = PmpServiceVc(v);
	if (cn_trace_steps() == before)
		return st == NDIS_STATUS_PENDING ? DRV_REFUSED : DRV_NOOP;
	return result_of(st, status);
}

uint32_t drv_client_vc_count(void)
{
	return PmpGlobals.Adapter ? list_length(&PmpGlobals.Adapter->VcList)
				  : 0;
}

NDIS_HANDLE drv_client_vc_handle(uint32_t vc)
{
	PPMP_VC v = vc < drv_client_vc_count() ? vc_at(vc) : NULL;

	return v ? v->NdisVcHandle : NULL;
}

uint32_t drv_client_party_count(uint32_t vc)
{
	PPMP_VC v = vc < drv_client_vc_count() ? vc_at(vc) : NULL;

	return v ? list_length(&v->PartyList) : 0;
}

void drv_client_stats(struct drv_client_stats *out)
{
	*out = A.cst; /* the driver ASSERTs what it cannot match */
}

/*
 * Call manager: the MCM of cm.c, or the reference stand-alone CM.
 */

static enum cn_req req_of(MCM_REQUEST_TYPE t)
{
	switch (t) {
	case SignalSetup:
		return CN_REQ_MAKE_CALL;
	case SignalAddParty:
		return CN_REQ_ADD_PARTY;
	case SignalDropParty:
		return CN_REQ_DROP_PARTY;
	default:
		return CN_REQ_CLOSE_CALL;
	}
}

/* The hardware layer: the network's answer is the harness's decision. */
MCM_SIGNAL_RESULT McmHwSendSignal(PMCM_ADAPTER Adapter, PMCM_REQUEST Request,
				  PNDIS_STATUS RejectStatus)
{
	struct drv_choice c = { DRV_SYNC_SUCCESS, NDIS_STATUS_SUCCESS };

	(void)Adapter;
	A.mst.requests++;
	if (A.decide != NULL)
		c = A.decide(A.decide_arg, req_of(Request->Type));
	switch (c.decision) {
	case DRV_SYNC_FAIL:
		*RejectStatus = c.fail_status;
		return McmSignalRejected;
	case DRV_PEND:
		A.mst.pended++;
		return McmSignalOutstanding;
	default:
		return McmSignalAccepted;
	}
}

int drv_cm_register(enum cn_cm_kind kind, drv_decide_fn decide, void *arg)
{
	A.kind = kind;
	memset(&A.mst, 0, sizeof(A.mst));
	if (kind == CN_CM_STANDALONE)
		return ref_drv_cm_register(kind, decide, arg);
	if (kind != CN_CM_MINIPORT)
		return PT_E_INVAL;
	A.decide = decide;
	A.decide_arg = arg;
	memset(&A.cm_object, 0, sizeof(A.cm_object));
	RtlInitUnicodeString(&A.cm_path, L"\\Registry\\Machine\\System\\"
					 L"CurrentControlSet\\Services\\"
					 L"QMCM");
	if (!NT_SUCCESS(QmcmDriverEntry(&A.cm_object, &A.cm_path)) ||
	    McmGlobals.Adapter == NULL)
		return PT_E_INVAL;
	return PT_OK;
}

void drv_cm_teardown(void)
{
	PMCM_ADAPTER ad = McmGlobals.Adapter;

	if (A.kind == CN_CM_STANDALONE) {
		ref_drv_cm_teardown();
	} else if (ad != NULL) {
		while (!IsListEmpty(&ad->PendingList))
			NdisFreeToNPagedLookasideList(
				&ad->RequestLookaside,
				RemoveHeadList(&ad->PendingList));
		while (!IsListEmpty(&ad->VcList)) {
			PMCM_VC vc = CONTAINING_RECORD(
				RemoveHeadList(&ad->VcList), MCM_VC, Link);

			while (!IsListEmpty(&vc->PartyList))
				NdisFreeToNPagedLookasideList(
					&ad->PartyLookaside,
					RemoveHeadList(&vc->PartyList));
			NdisFreeMemory(vc, sizeof(*vc), 0);
		}
		McmHalt(ad, NdisHaltDeviceStopped);
	}
	memset(&McmGlobals, 0, sizeof(McmGlobals));
	A.kind = 0;
	A.decide = NULL;
}

uint32_t drv_cm_pending_count(void)
{
	if (A.kind == CN_CM_STANDALONE)
		return ref_drv_cm_pending_count();
	return McmGlobals.Adapter
		       ? list_length(&McmGlobals.Adapter->PendingList)
		       : 0;
}

int drv_cm_pending_get(uint32_t k, struct cn_pending_info *out)
{
	PLIST_ENTRY e;
	PMCM_REQUEST r;

	if (A.kind == CN_CM_STANDALONE)
		return ref_drv_cm_pending_get(k, out);
	if (McmGlobals.Adapter == NULL || out == NULL ||
	    (e = list_at(&McmGlobals.Adapter->PendingList, k)) == NULL)
		return PT_E_INVAL;
	r = CONTAINING_RECORD(e, MCM_REQUEST, Link);
	out->kind = req_of(r->Type);
	out->vc = r->Vc->NdisVcHandle;
	out->party = r->Party ? r->Party->NdisPartyHandle : NULL;
	return PT_OK;
}

enum drv_result drv_cm_complete(uint32_t k, NDIS_STATUS status)
{
	PMCM_ADAPTER ad = McmGlobals.Adapter;
	uint32_t n;

	if (A.kind == CN_CM_STANDALONE)
		return ref_drv_cm_complete(k, status);
	if (ad == NULL || (n = list_length(&ad->PendingList)) == 0)
		return DRV_NOOP;
	A.mst.completed++;
	McmHwSignalComplete(ad,
			    CONTAINING_RECORD(list_at(&ad->PendingList, k % n),
					      MCM_REQUEST, Link),
			    status);
	return DRV_DONE;
}

/* Connected leaf #k over the active calls (the network may drop any;
 * the MCM turns the drop of a last leaf into a release itself). */
enum drv_result drv_cm_incoming_drop(uint32_t k, NDIS_STATUS drop_status)
{
	PMCM_ADAPTER ad = McmGlobals.Adapter;
	PLIST_ENTRY v, p;
	uint32_t n = 0, pass;

	if (A.kind == CN_CM_STANDALONE)
		return ref_drv_cm_incoming_drop(k, drop_status);
	if (ad == NULL)
		return DRV_NOOP;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (n == 0)
				return DRV_NOOP;
			k %= n;
		}
		for (v = ad->VcList.Flink; v != &ad->VcList; v = v->Flink) {
			PMCM_VC vc = CONTAINING_RECORD(v, MCM_VC, Link);

			if (vc->State != CallActive || vc->RemoteReleased)
				continue;
			for (p = vc->PartyList.Flink; p != &vc->PartyList;
			     p = p->Flink) {
				PMCM_PARTY party =
					CONTAINING_RECORD(p, MCM_PARTY, Link);

				if (party->State != LeafConnected)
					continue;
				if (pass == 0) {
					n++;
				} else if (k-- == 0) {
					McmHwRemoteDropParty(ad, party,
							     drop_status);
					return DRV_DONE;
				}
			}
		}
	}
	return DRV_NOOP;
}

enum drv_result drv_cm_incoming_close(uint32_t k, NDIS_STATUS close_status)
{
	PMCM_ADAPTER ad = McmGlobals.Adapter;
	PLIST_ENTRY v;
	uint32_t n = 0;

	if (A.kind == CN_CM_STANDALONE)
		return ref_drv_cm_incoming_close(k, close_status);
	if (ad == NULL)
		return DRV_NOOP;
	for (v = ad->VcList.Flink; v != &ad->VcList; v = v->Flink) {
		PMCM_VC vc = CONTAINING_RECORD(v, MCM_VC, Link);

		n += vc->State == CallActive && !vc->RemoteReleased;
	}
	if (n == 0)
		return DRV_NOOP;
	k %= n;
	for (v = ad->VcList.Flink; v != &ad->VcList; v = v->Flink) {
		PMCM_VC vc = CONTAINING_RECORD(v, MCM_VC, Link);

		if (vc->State != CallActive || vc->RemoteReleased || k-- > 0)
			continue;
		McmHwRemoteRelease(ad, vc, close_status);
		return DRV_DONE;
	}
	return DRV_NOOP;
}

void drv_cm_stats(struct drv_cm_stats *out)
{
	if (A.kind == CN_CM_STANDALONE)
		ref_drv_cm_stats(out);
	else
		*out = A.mst;
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
