/*
 * adapter.c - the stimulus table of the WDK-style drivers (client.c, a
 * PMP client, and cm.c, an MCM) for the target fuzz_wdk_style
 * (fuzz/drivers/driver.h).
 *
 * This is test glue, not driver code. It plays the parts the drivers'
 * surroundings play in a real system:
 *   - the I/O manager: it calls each DriverEntry (the build renames them
 *     PmpClDriverEntry and QmcmDriverEntry: two drivers share a process)
 *     and, at the end, the unload routines they registered;
 *   - NDIS's unbind path: ProtocolUnbindAdapterEx of the client, the
 *     MCM's MiniportHaltEx;
 *   - the client's control path: the PmpXxx requests of client.h; answer
 *     runs the PmpServiceVc worker;
 *   - the MCM's hardware layer (hw.c of a real MCM): McmHwSendSignal asks
 *     the host's decision (answer at once, reject, or leave the transaction
 *     outstanding); complete answers outstanding transaction #k through
 *     McmHwSignalComplete; incoming_drop and incoming_close are the
 *     network's DROP PARTY and RELEASE.
 * The MCM is an MCM only, so the table declares PF_DRV_MCM.
 *
 * Lists are walked in the drivers' own order (creation order), without
 * their locks: the harness is single-threaded and calls between steps.
 */
#include "client.h"
#include "cm.h"
#include "drivers/driver.h"

DRIVER_INITIALIZE PmpClDriverEntry;
DRIVER_INITIALIZE QmcmDriverEntry;
MINIPORT_HALT McmHalt;
MINIPORT_UNLOAD McmUnload;
PROTOCOL_UNBIND_ADAPTER_EX PmpUnbindAdapter;

static struct {
	const struct pf_host *host;
	DRIVER_OBJECT client_object, cm_object;
	UNICODE_STRING client_path, cm_path;
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

static int load(const struct pf_host *host)
{
	A.host = host;
	NdisZeroMemory(&A.client_object, sizeof(A.client_object));
	NdisZeroMemory(&A.cm_object, sizeof(A.cm_object));
	RtlInitUnicodeString(&A.client_path, L"\\Registry\\Machine\\System\\"
					     L"CurrentControlSet\\Services\\"
					     L"PMPCL");
	RtlInitUnicodeString(&A.cm_path, L"\\Registry\\Machine\\System\\"
					 L"CurrentControlSet\\Services\\"
					 L"QMCM");
	if (!NT_SUCCESS(PmpClDriverEntry(&A.client_object, &A.client_path)) ||
	    PmpGlobals.Adapter == NULL)
		return -1;
	if (!NT_SUCCESS(QmcmDriverEntry(&A.cm_object, &A.cm_path)) ||
	    McmGlobals.Adapter == NULL)
		return -1;
	return 0;
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

static void create_vc(void)
{
	PPMP_VC vc;

	if (PmpGlobals.Adapter != NULL &&
	    list_length(&PmpGlobals.Adapter->VcList) < A.host->max_vcs)
		(void)PmpCreateVc(PmpGlobals.Adapter, &vc);
}

static void make_call(uint32_t vc, int pmp)
{
	PPMP_VC v = vc_at(vc);

	if (v != NULL)
		(void)PmpMakeCall(v, pmp ? TRUE : FALSE);
}

static void add_party(uint32_t vc)
{
	PPMP_VC v = vc_at(vc);

	if (v != NULL)
		(void)PmpAddLeaf(v);
}

/* Among the connected leaves (the ones with a handle). */
static void drop_party(uint32_t vc, uint32_t k)
{
	PPMP_VC v = vc_at(vc);
	PLIST_ENTRY e;
	uint32_t n = 0;

	if (v == NULL)
		return;
	for (e = v->PartyList.Flink; e != &v->PartyList; e = e->Flink)
		n += CONTAINING_RECORD(e, PMP_PARTY, Link)->State ==
		     PartyConnected;
	if (n == 0)
		return;
	k %= n;
	for (e = v->PartyList.Flink; e != &v->PartyList; e = e->Flink) {
		PPMP_PARTY p = CONTAINING_RECORD(e, PMP_PARTY, Link);

		if (p->State == PartyConnected && k-- == 0) {
			(void)PmpDropLeaf(v, p);
			return;
		}
	}
}

static void close_call(uint32_t vc)
{
	PPMP_VC v = vc_at(vc);

	if (v != NULL)
		(void)PmpCloseCall(v);
}

static void delete_vc(uint32_t vc)
{
	PPMP_VC v = vc_at(vc);

	if (v != NULL)
		(void)PmpDeleteVc(v);
}

static void answer(uint32_t vc)
{
	PPMP_VC v = vc_at(vc);

	if (v != NULL)
		(void)PmpServiceVc(v);
}

/*
 * Call manager: the MCM of cm.c.
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

/* The hardware layer: the network's answer is the host's decision. */
MCM_SIGNAL_RESULT McmHwSendSignal(PMCM_ADAPTER Adapter, PMCM_REQUEST Request,
				  PNDIS_STATUS RejectStatus)
{
	struct drv_choice c =
		A.host->decide(A.host->decide_arg, req_of(Request->Type));

	(void)Adapter;
	switch (c.decision) {
	case DRV_SYNC_FAIL:
		*RejectStatus = c.fail_status;
		return McmSignalRejected;
	case DRV_PEND:
		return McmSignalOutstanding;
	default:
		return McmSignalAccepted;
	}
}

static void complete(uint32_t k, NDIS_STATUS status)
{
	PMCM_ADAPTER ad = McmGlobals.Adapter;
	uint32_t n;

	if (ad == NULL || (n = list_length(&ad->PendingList)) == 0)
		return;
	McmHwSignalComplete(ad,
			    CONTAINING_RECORD(list_at(&ad->PendingList, k % n),
					      MCM_REQUEST, Link),
			    status);
}

/* Connected leaf #k over the active calls (the network may drop any;
 * the MCM turns the drop of a last leaf into a release itself). */
static void incoming_drop(uint32_t k, NDIS_STATUS drop_status)
{
	PMCM_ADAPTER ad = McmGlobals.Adapter;
	PLIST_ENTRY v, p;
	uint32_t n = 0, pass;

	if (ad == NULL)
		return;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (n == 0)
				return;
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
					return;
				}
			}
		}
	}
}

static void incoming_close(uint32_t k, NDIS_STATUS close_status)
{
	PMCM_ADAPTER ad = McmGlobals.Adapter;
	PLIST_ENTRY v;
	uint32_t n = 0;

	if (ad == NULL)
		return;
	for (v = ad->VcList.Flink; v != &ad->VcList; v = v->Flink) {
		PMCM_VC vc = CONTAINING_RECORD(v, MCM_VC, Link);

		n += vc->State == CallActive && !vc->RemoteReleased;
	}
	if (n == 0)
		return;
	k %= n;
	for (v = ad->VcList.Flink; v != &ad->VcList; v = v->Flink) {
		PMCM_VC vc = CONTAINING_RECORD(v, MCM_VC, Link);

		if (vc->State != CallActive || vc->RemoteReleased || k-- > 0)
			continue;
		McmHwRemoteRelease(ad, vc, close_status);
		return;
	}
}

/*
 * End of run. A run cut short by a finding leaves calls up, which the
 * drivers' unbind and halt ASSERT against: what is left is freed first
 * (NDIS memory services only), then the drivers' own handlers run.
 */
static void unbind(void)
{
	PPMP_ADAPTER cad = PmpGlobals.Adapter;
	PMCM_ADAPTER mad = McmGlobals.Adapter;

	while (cad != NULL && !IsListEmpty(&cad->VcList)) {
		PPMP_VC vc = CONTAINING_RECORD(RemoveHeadList(&cad->VcList),
					       PMP_VC, Link);

		while (!IsListEmpty(&vc->PartyList))
			NdisFreeToNPagedLookasideList(
				&PmpGlobals.PartyLookaside,
				RemoveHeadList(&vc->PartyList));
		NdisFreeSpinLock(&vc->Lock);
		NdisFreeMemory(vc, sizeof(*vc), 0);
	}
	if (cad != NULL)
		(void)PmpUnbindAdapter(NULL, cad);
	if (mad == NULL)
		return;
	while (!IsListEmpty(&mad->PendingList))
		NdisFreeToNPagedLookasideList(&mad->RequestLookaside,
					      RemoveHeadList(&mad->PendingList));
	while (!IsListEmpty(&mad->VcList)) {
		PMCM_VC vc = CONTAINING_RECORD(RemoveHeadList(&mad->VcList),
					       MCM_VC, Link);

		while (!IsListEmpty(&vc->PartyList))
			NdisFreeToNPagedLookasideList(
				&mad->PartyLookaside,
				RemoveHeadList(&vc->PartyList));
		NdisFreeMemory(vc, sizeof(*vc), 0);
	}
	McmHalt(mad, NdisHaltDeviceStopped);
}

/* The MCM's halt path: the client's family first (cm.c), at
 * PASSIVE_LEVEL only. */
static void notify_close_af(void)
{
	if (McmGlobals.Adapter != NULL && KeGetCurrentIrql() == PASSIVE_LEVEL)
		McmCloseClientAf(McmGlobals.Adapter);
}

static void unload(void)
{
	if (A.client_object.DriverUnload != NULL)
		A.client_object.DriverUnload(&A.client_object);
	McmUnload(&A.cm_object); /* its MINIPORT_UNLOAD handler */
	NdisZeroMemory(&PmpGlobals, sizeof(PmpGlobals));
	NdisZeroMemory(&McmGlobals, sizeof(McmGlobals));
}

const struct pf_stimuli wdk_style_stimuli = {
	.name = "WDK-style PMP client + MCM",
	.kind = PF_DRV_CLIENT | PF_DRV_MCM,
	.load = load,
	.create_vc = create_vc,
	.make_call = make_call,
	.add_party = add_party,
	.drop_party = drop_party,
	.close_call = close_call,
	.delete_vc = delete_vc,
	.answer = answer,
	.complete = complete,
	.incoming_drop = incoming_drop,
	.incoming_close = incoming_close,
	.notify_close_af = notify_close_af,
	.unbind = unbind,
	.unload = unload,
};
