/*
 * cm.c - QMCM: the integrated call manager of a CoNDIS miniport (an MCM,
 * NDIS 6.0): Q.2931 point-to-multipoint calls and their leaves.
 *
 * Registration: DriverEntry registers the miniport; MiniportSetOptions
 * registers the call-manager handlers; MiniportInitializeEx sets the
 * adapter context and registers the Q.2931 address family, which NDIS then
 * offers to clients. Every ProtocolCm* request becomes a signalling
 * transaction (cm.h): answered at once, the request completes
 * synchronously; outstanding, it returns NDIS_STATUS_PENDING and completes
 * with the NdisMCm*Complete call when the network answers. The VC is
 * activated before a call is reported up and deactivated before it is
 * reported released. A leaf's context keeps its NdisPartyHandle and is
 * freed only once NDIS no longer hands it to us.
 */
#include <ndis.h>

#include "cm.h"

MCM_GLOBALS McmGlobals;

MINIPORT_SET_OPTIONS McmSetOptions;
MINIPORT_INITIALIZE McmInitialize;
MINIPORT_HALT McmHalt;
MINIPORT_UNLOAD McmUnload;
MINIPORT_PAUSE McmPause;
MINIPORT_RESTART McmRestart;
MINIPORT_OID_REQUEST McmOidRequest;
MINIPORT_CANCEL_OID_REQUEST McmCancelOidRequest;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY McmDevicePnPEvent;
MINIPORT_SHUTDOWN McmShutdown;
PROTOCOL_CO_CREATE_VC McmCreateVc;
PROTOCOL_CO_DELETE_VC McmDeleteVc;
PROTOCOL_CM_OPEN_AF McmOpenAf;
PROTOCOL_CM_CLOSE_AF McmCloseAf;
PROTOCOL_CM_NOTIFY_CLOSE_AF_COMPLETE McmNotifyCloseAfComplete;
PROTOCOL_CM_REG_SAP McmRegisterSap;
PROTOCOL_CM_DEREGISTER_SAP McmDeregisterSap;
PROTOCOL_CM_MAKE_CALL McmMakeCall;
PROTOCOL_CM_CLOSE_CALL McmCloseCall;
PROTOCOL_CM_ADD_PARTY McmAddParty;
PROTOCOL_CM_DROP_PARTY McmDropParty;

static CO_ADDRESS_FAMILY McmAddressFamily = { CO_ADDRESS_FAMILY_Q2931, 3, 1 };

/*
 * Leaves and transactions
 */

static PMCM_PARTY McmAllocateParty(_In_ PMCM_VC Vc,
				   _In_ NDIS_HANDLE NdisPartyHandle)
{
	PMCM_PARTY Party;

	Party = NdisAllocateFromNPagedLookasideList(
		&Vc->Adapter->PartyLookaside);
	if (Party == NULL)
		return NULL;
	NdisZeroMemory(Party, sizeof(*Party));
	Party->Vc = Vc;
	Party->Adapter = Vc->Adapter;
	Party->NdisPartyHandle = NdisPartyHandle;
	Party->State = LeafSetup;
	return Party;
}

static VOID McmFreeParty(_In_ PMCM_PARTY Party)
{
	NdisFreeToNPagedLookasideList(&Party->Adapter->PartyLookaside, Party);
}

static PMCM_REQUEST
McmAllocateRequest(_In_ PMCM_VC Vc, _In_ MCM_REQUEST_TYPE Type,
		   _In_opt_ PMCM_PARTY Party,
		   _In_opt_ PCO_CALL_PARAMETERS CallParameters)
{
	PMCM_REQUEST Request;

	Request = NdisAllocateFromNPagedLookasideList(
		&Vc->Adapter->RequestLookaside);
	if (Request == NULL)
		return NULL;
	NdisZeroMemory(Request, sizeof(*Request));
	Request->Type = Type;
	Request->Vc = Vc;
	Request->Party = Party;
	Request->CallParameters = CallParameters;
	return Request;
}

static VOID McmFreeRequest(_In_ PMCM_ADAPTER Adapter,
			   _In_ PMCM_REQUEST Request)
{
	NdisFreeToNPagedLookasideList(&Adapter->RequestLookaside, Request);
}

/* Send Request; an outstanding one is queued until the network answers. */
static MCM_SIGNAL_RESULT McmSignal(_In_ PMCM_ADAPTER Adapter,
				   _In_ PMCM_REQUEST Request,
				   _Out_ PNDIS_STATUS RejectStatus)
{
	MCM_SIGNAL_RESULT Result;

	*RejectStatus = NDIS_STATUS_FAILURE;
	Result = McmHwSendSignal(Adapter, Request, RejectStatus);
	if (Result == McmSignalOutstanding) {
		NdisAcquireSpinLock(&Adapter->Lock);
		InsertTailList(&Adapter->PendingList, &Request->Link);
		NdisReleaseSpinLock(&Adapter->Lock);
	} else if (Result == McmSignalRejected &&
		   (*RejectStatus == NDIS_STATUS_SUCCESS ||
		    *RejectStatus == NDIS_STATUS_PENDING)) {
		*RejectStatus = NDIS_STATUS_FAILURE;
	}
	return Result;
}

/* Leaves connected on Vc (a remote-dropped one is still connected until
 * the client answers). Adapter->Lock held. */
_Requires_lock_held_(Vc->Adapter->Lock) static ULONG
	McmConnectedLeaves(_In_ PMCM_VC Vc)
{
	PLIST_ENTRY Entry;
	ULONG Count = 0;

	for (Entry = Vc->PartyList.Flink; Entry != &Vc->PartyList;
	     Entry = Entry->Flink) {
		PMCM_PARTY Party = CONTAINING_RECORD(Entry, MCM_PARTY, Link);

		if (Party->State == LeafConnected ||
		    Party->State == LeafRemoteDropped)
			Count++;
	}
	return Count;
}

/* Party is the call's last leaf: no other one is connected or being
 * dropped (such a drop may still fail). Its drop must fail: the client
 * then closes the call with it. Adapter->Lock held. */
_Requires_lock_held_(Vc->Adapter->Lock) static BOOLEAN
	McmLastLeaf(_In_ PMCM_VC Vc, _In_ PMCM_PARTY Party)
{
	PLIST_ENTRY Entry;

	for (Entry = Vc->PartyList.Flink; Entry != &Vc->PartyList;
	     Entry = Entry->Flink) {
		PMCM_PARTY Other = CONTAINING_RECORD(Entry, MCM_PARTY, Link);

		if (Other != Party && (Other->State == LeafConnected ||
				       Other->State == LeafRemoteDropped ||
				       Other->State == LeafDropping))
			return FALSE;
	}
	return TRUE;
}

/*
 * VCs and the address family
 */

_Use_decl_annotations_ NDIS_STATUS McmCreateVc(NDIS_HANDLE ProtocolAfContext,
					       NDIS_HANDLE NdisVcHandle,
					       PNDIS_HANDLE ProtocolVcContext)
{
	PMCM_ADAPTER Adapter = (PMCM_ADAPTER)ProtocolAfContext;
	PMCM_VC Vc;

	Vc = NdisAllocateMemoryWithTagPriority(Adapter->MiniportAdapterHandle,
					       sizeof(MCM_VC), QMCM_TAG,
					       NormalPoolPriority);
	if (Vc == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(Vc, sizeof(*Vc));
	Vc->Adapter = Adapter;
	Vc->NdisVcHandle = NdisVcHandle;
	Vc->State = CallIdle;
	InitializeListHead(&Vc->PartyList);
	NdisAcquireSpinLock(&Adapter->Lock);
	InsertTailList(&Adapter->VcList, &Vc->Link);
	NdisReleaseSpinLock(&Adapter->Lock);
	*ProtocolVcContext = Vc;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS McmDeleteVc(NDIS_HANDLE ProtocolVcContext)
{
	PMCM_VC Vc = (PMCM_VC)ProtocolVcContext;
	PMCM_ADAPTER Adapter = Vc->Adapter;

	NdisAcquireSpinLock(&Adapter->Lock);
	ASSERT(Vc->State == CallIdle && IsListEmpty(&Vc->PartyList));
	RemoveEntryList(&Vc->Link);
	NdisReleaseSpinLock(&Adapter->Lock);
	NdisFreeMemory(Vc, sizeof(MCM_VC), 0);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS McmOpenAf(NDIS_HANDLE CallMgrBindingContext,
					     PCO_ADDRESS_FAMILY AddressFamily,
					     NDIS_HANDLE NdisAfHandle,
					     PNDIS_HANDLE CallMgrAfContext)
{
	PMCM_ADAPTER Adapter = (PMCM_ADAPTER)CallMgrBindingContext;

	if (AddressFamily->AddressFamily != CO_ADDRESS_FAMILY_Q2931)
		return NDIS_STATUS_INVALID_ADDRESS;
	NdisAcquireSpinLock(&Adapter->Lock);
	if (Adapter->AfOpen) {
		NdisReleaseSpinLock(&Adapter->Lock);
		return NDIS_STATUS_NOT_ACCEPTED; /* one client */
	}
	Adapter->AfOpen = TRUE;
	Adapter->NdisAfHandle = NdisAfHandle;
	NdisReleaseSpinLock(&Adapter->Lock);
	*CallMgrAfContext = Adapter;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS McmCloseAf(NDIS_HANDLE CallMgrAfContext)
{
	PMCM_ADAPTER Adapter = (PMCM_ADAPTER)CallMgrAfContext;

	NdisAcquireSpinLock(&Adapter->Lock);
	Adapter->AfOpen = FALSE;
	Adapter->NdisAfHandle = NULL;
	NdisReleaseSpinLock(&Adapter->Lock);
	return NDIS_STATUS_SUCCESS;
}

/* ProtocolCmNotifyCloseAfComplete: the client closed the family it was
 * asked to close (McmCloseAf came first). */
_Use_decl_annotations_ VOID McmNotifyCloseAfComplete(NDIS_STATUS Status,
						     NDIS_HANDLE CallMgrAfContext)
{
	PMCM_ADAPTER Adapter = (PMCM_ADAPTER)CallMgrAfContext;

	UNREFERENCED_PARAMETER(Status);
	NdisAcquireSpinLock(&Adapter->Lock);
	Adapter->AfNotifying = FALSE;
	NdisReleaseSpinLock(&Adapter->Lock);
}

/* The halt path closes the client's family first (PASSIVE_LEVEL). */
_Use_decl_annotations_ VOID McmCloseClientAf(PMCM_ADAPTER Adapter)
{
	NDIS_HANDLE NdisAfHandle;
	NDIS_STATUS Status;

	NdisAcquireSpinLock(&Adapter->Lock);
	if (!Adapter->AfOpen || Adapter->AfNotifying ||
	    Adapter->NdisAfHandle == NULL) {
		NdisReleaseSpinLock(&Adapter->Lock);
		return;
	}
	Adapter->AfNotifying = TRUE;
	NdisAfHandle = Adapter->NdisAfHandle;
	NdisReleaseSpinLock(&Adapter->Lock);
	Status = NdisMCmNotifyCloseAddressFamily(NdisAfHandle);
	if (Status != NDIS_STATUS_PENDING) {
		NdisAcquireSpinLock(&Adapter->Lock);
		Adapter->AfNotifying = FALSE;
		NdisReleaseSpinLock(&Adapter->Lock);
	}
}

_Use_decl_annotations_ NDIS_STATUS
McmRegisterSap(NDIS_HANDLE CallMgrAfContext, PCO_SAP Sap,
	       NDIS_HANDLE NdisSapHandle, PNDIS_HANDLE CallMgrSapContext)
{
	UNREFERENCED_PARAMETER(Sap);
	UNREFERENCED_PARAMETER(NdisSapHandle);
	/* Incoming SETUPs are refused by this sample: a SAP only records
	 * the client's interest. */
	*CallMgrSapContext = CallMgrAfContext;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS
McmDeregisterSap(NDIS_HANDLE CallMgrSapContext)
{
	UNREFERENCED_PARAMETER(CallMgrSapContext);
	return NDIS_STATUS_SUCCESS;
}

/*
 * Requests from the client
 */

_Use_decl_annotations_ NDIS_STATUS
McmMakeCall(NDIS_HANDLE CallMgrVcContext, PCO_CALL_PARAMETERS CallParameters,
	    NDIS_HANDLE NdisPartyHandle, PNDIS_HANDLE CallMgrPartyContext)
{
	PMCM_VC Vc = (PMCM_VC)CallMgrVcContext;
	PMCM_ADAPTER Adapter = Vc->Adapter;
	PMCM_PARTY Party = NULL;
	PMCM_REQUEST Request;
	NDIS_STATUS Status;

	if (NdisPartyHandle != NULL) {
		/* Point-to-multipoint: the first leaf. */
		Party = McmAllocateParty(Vc, NdisPartyHandle);
		if (Party == NULL)
			return NDIS_STATUS_RESOURCES;
	}
	Request = McmAllocateRequest(Vc, SignalSetup, Party, CallParameters);
	if (Request == NULL) {
		if (Party != NULL)
			McmFreeParty(Party);
		return NDIS_STATUS_RESOURCES;
	}
	NdisAcquireSpinLock(&Adapter->Lock);
	Vc->State = CallSetup;
	Vc->RemoteReleased = FALSE;
	if (Party != NULL) {
		Party->EndpointReference = Vc->NextEndpointReference++;
		InsertTailList(&Vc->PartyList, &Party->Link);
	}
	NdisReleaseSpinLock(&Adapter->Lock);

	switch (McmSignal(Adapter, Request, &Status)) {
	case McmSignalOutstanding:
		return NDIS_STATUS_PENDING;
	case McmSignalAccepted:
		/* CONNECT came back: the VC carries data from now on. */
		Status = NdisMCmActivateVc(Vc->NdisVcHandle, CallParameters);
		if (Status != NDIS_STATUS_SUCCESS)
			break;
		McmFreeRequest(Adapter, Request);
		NdisAcquireSpinLock(&Adapter->Lock);
		Vc->State = CallActive;
		if (Party != NULL)
			Party->State = LeafConnected;
		NdisReleaseSpinLock(&Adapter->Lock);
		if (Party != NULL)
			*CallMgrPartyContext = Party;
		return NDIS_STATUS_SUCCESS;
	default:
		break;
	}
	McmFreeRequest(Adapter, Request);
	NdisAcquireSpinLock(&Adapter->Lock);
	Vc->State = CallIdle;
	if (Party != NULL)
		RemoveEntryList(&Party->Link);
	NdisReleaseSpinLock(&Adapter->Lock);
	if (Party != NULL)
		McmFreeParty(Party);
	return Status;
}

_Use_decl_annotations_ NDIS_STATUS
McmAddParty(NDIS_HANDLE CallMgrVcContext, PCO_CALL_PARAMETERS CallParameters,
	    NDIS_HANDLE NdisPartyHandle, PNDIS_HANDLE CallMgrPartyContext)
{
	PMCM_VC Vc = (PMCM_VC)CallMgrVcContext;
	PMCM_ADAPTER Adapter = Vc->Adapter;
	PMCM_REQUEST Request;
	PMCM_PARTY Party;
	NDIS_STATUS Status;

	Party = McmAllocateParty(Vc, NdisPartyHandle);
	if (Party == NULL)
		return NDIS_STATUS_RESOURCES;
	Request =
		McmAllocateRequest(Vc, SignalAddParty, Party, CallParameters);
	if (Request == NULL) {
		McmFreeParty(Party);
		return NDIS_STATUS_RESOURCES;
	}
	NdisAcquireSpinLock(&Adapter->Lock);
	Party->EndpointReference = Vc->NextEndpointReference++;
	InsertTailList(&Vc->PartyList, &Party->Link);
	NdisReleaseSpinLock(&Adapter->Lock);

	switch (McmSignal(Adapter, Request, &Status)) {
	case McmSignalOutstanding:
		return NDIS_STATUS_PENDING;
	case McmSignalAccepted:
		McmFreeRequest(Adapter, Request);
		NdisAcquireSpinLock(&Adapter->Lock);
		Party->State = LeafConnected;
		NdisReleaseSpinLock(&Adapter->Lock);
		*CallMgrPartyContext = Party;
		return NDIS_STATUS_SUCCESS;
	default:
		McmFreeRequest(Adapter, Request);
		NdisAcquireSpinLock(&Adapter->Lock);
		RemoveEntryList(&Party->Link);
		NdisReleaseSpinLock(&Adapter->Lock);
		McmFreeParty(Party);
		return Status;
	}
}

_Use_decl_annotations_ NDIS_STATUS
McmDropParty(NDIS_HANDLE CallMgrPartyContext, PVOID CloseData, UINT Size)
{
	PMCM_PARTY Party = (PMCM_PARTY)CallMgrPartyContext;
	PMCM_VC Vc = Party->Vc;
	PMCM_ADAPTER Adapter = Vc->Adapter;
	PMCM_REQUEST Request;
	NDIS_STATUS Status;

	/* DROP PARTY carries no user data on this network. */
	if (CloseData != NULL || Size != 0)
		return NDIS_STATUS_INVALID_DATA;
	Request = McmAllocateRequest(Vc, SignalDropParty, Party, NULL);
	if (Request == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisAcquireSpinLock(&Adapter->Lock);
	if (McmLastLeaf(Vc, Party)) {
		/* The last leaf leaves with the call (NdisClCloseCall). */
		NdisReleaseSpinLock(&Adapter->Lock);
		McmFreeRequest(Adapter, Request);
		return NDIS_STATUS_FAILURE;
	}
	Party->StateBeforeDrop = Party->State;
	Party->State = LeafDropping;
	NdisReleaseSpinLock(&Adapter->Lock);

	switch (McmSignal(Adapter, Request, &Status)) {
	case McmSignalOutstanding:
		return NDIS_STATUS_PENDING;
	case McmSignalAccepted:
		/* Dropped at once: the leaf is gone, and no completion
		 * follows. */
		McmFreeRequest(Adapter, Request);
		NdisAcquireSpinLock(&Adapter->Lock);
		RemoveEntryList(&Party->Link);
		NdisReleaseSpinLock(&Adapter->Lock);
		McmFreeParty(Party);
		return NDIS_STATUS_SUCCESS;
	default:
		/* Still connected, its handle still good; a leaf the
		 * network released stays released. */
		McmFreeRequest(Adapter, Request);
		NdisAcquireSpinLock(&Adapter->Lock);
		Party->State = Party->StateBeforeDrop;
		NdisReleaseSpinLock(&Adapter->Lock);
		return Status;
	}
}

_Use_decl_annotations_ NDIS_STATUS
McmCloseCall(NDIS_HANDLE CallMgrVcContext, NDIS_HANDLE CallMgrPartyContext,
	     PVOID CloseData, UINT Size)
{
	PMCM_VC Vc = (PMCM_VC)CallMgrVcContext;
	PMCM_PARTY Party = (PMCM_PARTY)CallMgrPartyContext;
	PMCM_ADAPTER Adapter = Vc->Adapter;
	PMCM_REQUEST Request;
	NDIS_STATUS Status;

	if (CloseData != NULL || Size != 0)
		return NDIS_STATUS_INVALID_DATA;
	Request = McmAllocateRequest(Vc, SignalRelease, Party, NULL);
	if (Request == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisAcquireSpinLock(&Adapter->Lock);
	/* RELEASE takes the last leaf only. */
	if (McmConnectedLeaves(Vc) > 1) {
		NdisReleaseSpinLock(&Adapter->Lock);
		McmFreeRequest(Adapter, Request);
		return NDIS_STATUS_FAILURE;
	}
	Vc->State = CallReleasing;
	if (Party != NULL)
		Party->State = LeafClosing;
	NdisReleaseSpinLock(&Adapter->Lock);

	switch (McmSignal(Adapter, Request, &Status)) {
	case McmSignalOutstanding:
		return NDIS_STATUS_PENDING;
	case McmSignalAccepted:
		Status = NdisMCmDeactivateVc(Vc->NdisVcHandle);
		if (Status != NDIS_STATUS_SUCCESS)
			break;
		McmFreeRequest(Adapter, Request);
		NdisAcquireSpinLock(&Adapter->Lock);
		Vc->State = CallIdle;
		Vc->RemoteReleased = FALSE;
		if (Party != NULL)
			RemoveEntryList(&Party->Link);
		NdisReleaseSpinLock(&Adapter->Lock);
		if (Party != NULL)
			McmFreeParty(Party);
		return NDIS_STATUS_SUCCESS;
	default:
		break;
	}
	/* The call stays up with its last leaf. */
	McmFreeRequest(Adapter, Request);
	NdisAcquireSpinLock(&Adapter->Lock);
	Vc->State = CallActive;
	if (Party != NULL)
		Party->State = LeafConnected;
	NdisReleaseSpinLock(&Adapter->Lock);
	return Status;
}

/*
 * From the hardware layer
 */

_Use_decl_annotations_ VOID McmHwSignalComplete(PMCM_ADAPTER Adapter,
						PMCM_REQUEST Request,
						NDIS_STATUS Status)
{
	PMCM_VC Vc = Request->Vc;
	PMCM_PARTY Party = Request->Party;
	NDIS_HANDLE NdisPartyHandle = Party ? Party->NdisPartyHandle : NULL;
	BOOLEAN Ok;

	if (Status == NDIS_STATUS_PENDING)
		Status = NDIS_STATUS_FAILURE; /* not an answer */
	NdisAcquireSpinLock(&Adapter->Lock);
	RemoveEntryList(&Request->Link);
	NdisReleaseSpinLock(&Adapter->Lock);

	switch (Request->Type) {
	case SignalSetup:
		if (Status == NDIS_STATUS_SUCCESS)
			Status = NdisMCmActivateVc(Vc->NdisVcHandle,
						   Request->CallParameters);
		Ok = Status == NDIS_STATUS_SUCCESS;
		NdisAcquireSpinLock(&Adapter->Lock);
		Vc->State = Ok ? CallActive : CallIdle;
		if (Party != NULL && Ok)
			Party->State = LeafConnected;
		else if (Party != NULL)
			RemoveEntryList(&Party->Link);
		NdisReleaseSpinLock(&Adapter->Lock);
		NdisMCmMakeCallComplete(Status, Vc->NdisVcHandle,
					NdisPartyHandle, Ok ? Party : NULL,
					Request->CallParameters);
		if (Party != NULL && !Ok)
			McmFreeParty(Party);
		break;
	case SignalAddParty:
		Ok = Status == NDIS_STATUS_SUCCESS;
		NdisAcquireSpinLock(&Adapter->Lock);
		if (Ok)
			Party->State = LeafConnected;
		else
			RemoveEntryList(&Party->Link);
		NdisReleaseSpinLock(&Adapter->Lock);
		NdisMCmAddPartyComplete(Status, NdisPartyHandle,
					Ok ? Party : NULL,
					Request->CallParameters);
		if (!Ok)
			McmFreeParty(Party);
		break;
	case SignalDropParty:
		Ok = Status == NDIS_STATUS_SUCCESS;
		NdisAcquireSpinLock(&Adapter->Lock);
		if (Ok && McmLastLeaf(Vc, Party)) {
			/* The other leaves went meanwhile: this is the last
			 * one, and it stays until the call is closed. */
			Ok = FALSE;
			Status = NDIS_STATUS_FAILURE;
		}
		if (Ok)
			RemoveEntryList(&Party->Link);
		else
			Party->State = Party->StateBeforeDrop;
		NdisReleaseSpinLock(&Adapter->Lock);
		/* After a SUCCESS the handle is dead to us, the leaf's
		 * memory ours again once the call returns. */
		NdisMCmDropPartyComplete(Status, NdisPartyHandle);
		if (Ok)
			McmFreeParty(Party);
		break;
	case SignalRelease:
		if (Status == NDIS_STATUS_SUCCESS)
			Status = NdisMCmDeactivateVc(Vc->NdisVcHandle);
		Ok = Status == NDIS_STATUS_SUCCESS;
		NdisAcquireSpinLock(&Adapter->Lock);
		if (Ok) {
			Vc->State = CallIdle;
			Vc->RemoteReleased = FALSE;
			if (Party != NULL)
				RemoveEntryList(&Party->Link);
		} else {
			Vc->State = CallActive;
			if (Party != NULL)
				Party->State = LeafConnected;
		}
		NdisReleaseSpinLock(&Adapter->Lock);
		NdisMCmCloseCallComplete(Status, Vc->NdisVcHandle,
					 NdisPartyHandle);
		if (Ok && Party != NULL)
			McmFreeParty(Party);
		break;
	}
	McmFreeRequest(Adapter, Request);
}

_Use_decl_annotations_ VOID McmHwRemoteDropParty(PMCM_ADAPTER Adapter,
						 PMCM_PARTY Party,
						 NDIS_STATUS Cause)
{
	PMCM_VC Vc = Party->Vc;
	NDIS_HANDLE NdisPartyHandle;
	BOOLEAN LastLeaf;

	NdisAcquireSpinLock(&Adapter->Lock);
	/* A leaf being set up, dropped or released is the client's
	 * business already. */
	if (Party->State != LeafConnected || Vc->State != CallActive ||
	    Vc->RemoteReleased) {
		NdisReleaseSpinLock(&Adapter->Lock);
		return;
	}
	LastLeaf = McmConnectedLeaves(Vc) < 2;
	if (LastLeaf)
		Vc->RemoteReleased = TRUE;
	else
		Party->State = LeafRemoteDropped;
	NdisPartyHandle = Party->NdisPartyHandle;
	NdisReleaseSpinLock(&Adapter->Lock);
	/* The last leaf gone is the call gone: NDIS wants a close. */
	if (LastLeaf)
		NdisMCmDispatchIncomingCloseCall(Cause, Vc->NdisVcHandle, NULL,
						 0);
	else
		NdisMCmDispatchIncomingDropParty(Cause, NdisPartyHandle, NULL,
						 0);
}

_Use_decl_annotations_ VOID McmHwRemoteRelease(PMCM_ADAPTER Adapter,
					       PMCM_VC Vc, NDIS_STATUS Cause)
{
	NdisAcquireSpinLock(&Adapter->Lock);
	if (Vc->State != CallActive || Vc->RemoteReleased) {
		NdisReleaseSpinLock(&Adapter->Lock);
		return;
	}
	Vc->RemoteReleased = TRUE;
	NdisReleaseSpinLock(&Adapter->Lock);
	NdisMCmDispatchIncomingCloseCall(Cause, Vc->NdisVcHandle, NULL, 0);
}

/*
 * Miniport
 */

_Use_decl_annotations_ NDIS_STATUS McmSetOptions(NDIS_HANDLE NdisDriverHandle,
						 NDIS_HANDLE DriverContext)
{
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS CmHandlers;

	UNREFERENCED_PARAMETER(DriverContext);
	NdisZeroMemory(&CmHandlers, sizeof(CmHandlers));
	CmHandlers.Header.Type =
		NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	CmHandlers.Header.Revision =
		NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	CmHandlers.Header.Size =
		NDIS_SIZEOF_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	CmHandlers.CmCreateVcHandler = McmCreateVc;
	CmHandlers.CmDeleteVcHandler = McmDeleteVc;
	CmHandlers.CmOpenAfHandler = McmOpenAf;
	CmHandlers.CmCloseAfHandler = McmCloseAf;
	CmHandlers.CmNotifyCloseAfCompleteHandler = McmNotifyCloseAfComplete;
	CmHandlers.CmRegisterSapHandler = McmRegisterSap;
	CmHandlers.CmDeregisterSapHandler = McmDeregisterSap;
	CmHandlers.CmMakeCallHandler = McmMakeCall;
	CmHandlers.CmCloseCallHandler = McmCloseCall;
	CmHandlers.CmAddPartyHandler = McmAddParty;
	CmHandlers.CmDropPartyHandler = McmDropParty;
	return NdisSetOptionalHandlers(
		NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&CmHandlers);
}

_Use_decl_annotations_ NDIS_STATUS McmInitialize(
	NDIS_HANDLE NdisMiniportHandle, NDIS_HANDLE MiniportDriverContext,
	PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES Attributes;
	PMCM_ADAPTER Adapter;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	UNREFERENCED_PARAMETER(MiniportInitParameters);
	Adapter = NdisAllocateMemoryWithTagPriority(
		NdisMiniportHandle, sizeof(MCM_ADAPTER), QMCM_TAG,
		NormalPoolPriority);
	if (Adapter == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(Adapter, sizeof(*Adapter));
	Adapter->MiniportAdapterHandle = NdisMiniportHandle;
	NdisAllocateSpinLock(&Adapter->Lock);
	InitializeListHead(&Adapter->VcList);
	InitializeListHead(&Adapter->PendingList);
	NdisInitializeNPagedLookasideList(&Adapter->RequestLookaside, NULL,
					  NULL, 0, sizeof(MCM_REQUEST),
					  QMCM_TAG, 0);
	NdisInitializeNPagedLookasideList(&Adapter->PartyLookaside, NULL, NULL,
					  0, sizeof(MCM_PARTY), QMCM_TAG, 0);

	NdisZeroMemory(&Attributes, sizeof(Attributes));
	Attributes.Header.Type =
		NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	Attributes.Header.Revision =
		NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attributes.Header.Size = sizeof(Attributes);
	Attributes.MiniportAdapterContext = Adapter;
	Attributes.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	Attributes.CheckForHangTimeInSeconds = 2;
	Attributes.InterfaceType = NdisInterfacePci;
	Status = NdisMSetMiniportAttributes(
		NdisMiniportHandle,
		(PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&Attributes);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = NdisMCmRegisterAddressFamilyEx(NdisMiniportHandle,
							&McmAddressFamily);
	if (Status != NDIS_STATUS_SUCCESS) {
		McmHalt(Adapter, NdisHaltDeviceInitializationFailed);
		return Status;
	}
	McmGlobals.Adapter = Adapter;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ VOID McmHalt(NDIS_HANDLE MiniportAdapterContext,
				    NDIS_HALT_ACTION HaltAction)
{
	PMCM_ADAPTER Adapter = (PMCM_ADAPTER)MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
	ASSERT(IsListEmpty(&Adapter->VcList));
	ASSERT(IsListEmpty(&Adapter->PendingList));
	if (McmGlobals.Adapter == Adapter)
		McmGlobals.Adapter = NULL;
	NdisDeleteNPagedLookasideList(&Adapter->RequestLookaside);
	NdisDeleteNPagedLookasideList(&Adapter->PartyLookaside);
	NdisFreeSpinLock(&Adapter->Lock);
	NdisFreeMemory(Adapter, sizeof(MCM_ADAPTER), 0);
}

_Use_decl_annotations_ NDIS_STATUS
McmPause(NDIS_HANDLE MiniportAdapterContext,
	 PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(PauseParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS
McmRestart(NDIS_HANDLE MiniportAdapterContext,
	   PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RestartParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS
McmOidRequest(NDIS_HANDLE MiniportAdapterContext, PNDIS_OID_REQUEST OidRequest)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(OidRequest);
	return NDIS_STATUS_NOT_SUPPORTED;
}

_Use_decl_annotations_ VOID
McmCancelOidRequest(NDIS_HANDLE MiniportAdapterContext, PVOID RequestId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RequestId);
}

_Use_decl_annotations_ VOID
McmDevicePnPEvent(NDIS_HANDLE MiniportAdapterContext,
		  PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetDevicePnPEvent);
}

_Use_decl_annotations_ VOID McmShutdown(NDIS_HANDLE MiniportAdapterContext,
					NDIS_SHUTDOWN_ACTION ShutdownAction)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(ShutdownAction);
}

_Use_decl_annotations_ VOID McmUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(McmGlobals.MiniportDriverHandle);
}

_Use_decl_annotations_ NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
					    PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;

	NdisZeroMemory(&McmGlobals, sizeof(McmGlobals));
	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision =
		NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.Header.Size =
		NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.MajorNdisVersion = 6;
	Chars.MinorNdisVersion = 0;
	Chars.MajorDriverVersion = 1;
	Chars.MinorDriverVersion = 0;
	Chars.SetOptionsHandler = McmSetOptions;
	Chars.InitializeHandlerEx = McmInitialize;
	Chars.HaltHandlerEx = McmHalt;
	Chars.UnloadHandler = McmUnload;
	Chars.PauseHandler = McmPause;
	Chars.RestartHandler = McmRestart;
	Chars.OidRequestHandler = McmOidRequest;
	Chars.CancelOidRequestHandler = McmCancelOidRequest;
	Chars.DevicePnPEventNotifyHandler = McmDevicePnPEvent;
	Chars.ShutdownHandlerEx = McmShutdown;
	/* The data path (NDIS_MINIPORT_CO_CHARACTERISTICS) is not in this
	 * file. */
	return NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL,
					   &Chars,
					   &McmGlobals.MiniportDriverHandle);
}
