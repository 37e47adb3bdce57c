/*
 * client.c - PMPCL: party handling and registration of a CoNDIS
 * point-to-multipoint client (NDIS 6.0).
 *
 * Bring-up: DriverEntry registers the protocol; ProtocolSetOptions
 * registers the CoNDIS and client handlers; ProtocolBindAdapterEx opens
 * the adapter; ProtocolCoAfRegisterNotify opens the call manager's Q.2931
 * family. Calls: PmpMakeCall (with a first leaf for a multipoint call),
 * PmpAddLeaf, PmpDropLeaf, PmpCloseCall (with the last leaf). Leaf
 * contexts come from a lookaside list and go back only in the completion
 * that ends the leaf; a failed drop keeps the leaf with its handle. An
 * incoming drop or close is answered by PmpServiceVc.
 */
#include <ndis.h>

#include "client.h"

PMP_GLOBALS PmpGlobals;

DRIVER_UNLOAD PmpUnload;
SET_OPTIONS PmpSetOptions;
PROTOCOL_BIND_ADAPTER_EX PmpBindAdapter;
PROTOCOL_UNBIND_ADAPTER_EX PmpUnbindAdapter;
PROTOCOL_OPEN_ADAPTER_COMPLETE_EX PmpOpenAdapterComplete;
PROTOCOL_CLOSE_ADAPTER_COMPLETE_EX PmpCloseAdapterComplete;
PROTOCOL_NET_PNP_EVENT PmpPnPEvent;
PROTOCOL_STATUS_EX PmpStatus;
PROTOCOL_CO_STATUS_EX PmpCoStatus;
PROTOCOL_CO_AF_REGISTER_NOTIFY PmpAfRegisterNotify;
PROTOCOL_CL_OPEN_AF_COMPLETE_EX PmpOpenAfComplete;
PROTOCOL_CL_CLOSE_AF_COMPLETE PmpCloseAfComplete;
PROTOCOL_CL_NOTIFY_CLOSE_AF PmpNotifyCloseAf;
PROTOCOL_CL_MAKE_CALL_COMPLETE PmpMakeCallComplete;
PROTOCOL_CL_ADD_PARTY_COMPLETE PmpAddPartyComplete;
PROTOCOL_CL_DROP_PARTY_COMPLETE PmpDropPartyComplete;
PROTOCOL_CL_CLOSE_CALL_COMPLETE PmpCloseCallComplete;
PROTOCOL_CL_INCOMING_DROP_PARTY PmpIncomingDropParty;
PROTOCOL_CL_INCOMING_CLOSE_CALL PmpIncomingCloseCall;

static NDIS_MEDIUM PmpMedia[] = { NdisMediumCoWan, NdisMediumAtm };

static VOID PmpCloseAfContinue(_In_ PPMP_ADAPTER Adapter);

/*
 * Leaves
 */

static VOID PmpInitCallParameters(_Out_ PCO_CALL_PARAMETERS CallParameters,
				  _Out_ PCO_CALL_MANAGER_PARAMETERS CallMgr,
				  _Out_ PCO_MEDIA_PARAMETERS Media,
				  _In_ BOOLEAN Multipoint)
{
	NdisZeroMemory(CallMgr, sizeof(*CallMgr));
	CallMgr->Transmit.ServiceType = SERVICETYPE_GUARANTEED;
	CallMgr->Transmit.TokenRate = 125000;
	CallMgr->Transmit.PeakBandwidth = 250000;
	CallMgr->Transmit.MaxSduSize = 9180;
	CallMgr->Transmit.Latency = QOS_NOT_SPECIFIED;
	CallMgr->Transmit.DelayVariation = QOS_NOT_SPECIFIED;
	/* A multipoint leaf only receives on the root's VC. */
	CallMgr->Receive.ServiceType = SERVICETYPE_NOTRAFFIC;
	NdisZeroMemory(Media, sizeof(*Media));
	Media->Flags = TRANSMIT_VC;
	Media->ReceiveSizeHint = 9180;
	NdisZeroMemory(CallParameters, sizeof(*CallParameters));
	CallParameters->Flags = Multipoint ? MULTIPOINT_VC : 0;
	CallParameters->CallMgrParameters = CallMgr;
	CallParameters->MediaParameters = Media;
}

static PPMP_PARTY PmpAllocateParty(_In_ PPMP_VC Vc)
{
	PPMP_PARTY Party;

	Party = NdisAllocateFromNPagedLookasideList(
		&PmpGlobals.PartyLookaside);
	if (Party == NULL)
		return NULL;
	NdisZeroMemory(Party, sizeof(*Party));
	Party->Vc = Vc;
	Party->State = PartyAdding;
	PmpInitCallParameters(&Party->CallParameters,
			      &Party->CallMgrParameters,
			      &Party->MediaParameters, TRUE);
	return Party;
}

static VOID PmpFreeParty(_In_ PPMP_PARTY Party)
{
	NdisFreeToNPagedLookasideList(&PmpGlobals.PartyLookaside, Party);
}

/* The first leaf of Vc in State, or NULL. Vc->Lock held. */
_Requires_lock_held_(Vc->Lock) static PPMP_PARTY
	PmpFindParty(_In_ PPMP_VC Vc, _In_ PMP_PARTY_STATE State,
		     _In_ BOOLEAN RemoteDroppedOnly)
{
	PLIST_ENTRY Entry;

	for (Entry = Vc->PartyList.Flink; Entry != &Vc->PartyList;
	     Entry = Entry->Flink) {
		PPMP_PARTY Party = CONTAINING_RECORD(Entry, PMP_PARTY, Link);

		if (Party->State == State &&
		    (!RemoteDroppedOnly || Party->RemoteDropped))
			return Party;
	}
	return NULL;
}

/*
 * Completion handlers. NDIS calls them for a request that returned
 * NDIS_STATUS_PENDING; the request routines call them for any other
 * status.
 */

_Use_decl_annotations_ VOID PmpMakeCallComplete(
	NDIS_STATUS Status, NDIS_HANDLE ProtocolVcContext,
	NDIS_HANDLE NdisPartyHandle, PCO_CALL_PARAMETERS CallParameters)
{
	PPMP_VC Vc = (PPMP_VC)ProtocolVcContext;
	PPMP_PARTY Party = NULL;

	UNREFERENCED_PARAMETER(CallParameters);
	NdisAcquireSpinLock(&Vc->Lock);
	ASSERT(Vc->State == VcMaking);
	if (Vc->Multipoint) {
		Party = PmpFindParty(Vc, PartyAdding, FALSE);
		ASSERT(Party != NULL);
		Vc->PendingAdds--;
	}
	if (Status == NDIS_STATUS_SUCCESS) {
		Vc->State = VcConnected;
		if (Party != NULL) {
			Party->NdisPartyHandle = NdisPartyHandle;
			Party->State = PartyConnected;
			Vc->ConnectedParties++;
		}
		Party = NULL;
	} else {
		/* The call never came up: the VC may take another one. */
		Vc->State = VcIdle;
		Vc->RemoteClosed = FALSE;
		if (Party != NULL)
			RemoveEntryList(&Party->Link);
	}
	NdisReleaseSpinLock(&Vc->Lock);
	if (Party != NULL)
		PmpFreeParty(Party);
	PmpCloseAfContinue(Vc->Adapter);
}

_Use_decl_annotations_ VOID PmpAddPartyComplete(
	NDIS_STATUS Status, NDIS_HANDLE ProtocolPartyContext,
	NDIS_HANDLE NdisPartyHandle, PCO_CALL_PARAMETERS CallParameters)
{
	PPMP_PARTY Party = (PPMP_PARTY)ProtocolPartyContext;
	PPMP_VC Vc = Party->Vc;
	BOOLEAN Failed = Status != NDIS_STATUS_SUCCESS;

	UNREFERENCED_PARAMETER(CallParameters);
	NdisAcquireSpinLock(&Vc->Lock);
	ASSERT(Party->State == PartyAdding);
	Vc->PendingAdds--;
	if (Failed) {
		/* The handle is not ours: the leaf never existed. */
		RemoveEntryList(&Party->Link);
	} else {
		Party->NdisPartyHandle = NdisPartyHandle;
		Party->State = PartyConnected;
		Vc->ConnectedParties++;
	}
	NdisReleaseSpinLock(&Vc->Lock);
	if (Failed)
		PmpFreeParty(Party);
	PmpCloseAfContinue(Vc->Adapter);
}

_Use_decl_annotations_ VOID
PmpDropPartyComplete(NDIS_STATUS Status, NDIS_HANDLE ProtocolPartyContext)
{
	PPMP_PARTY Party = (PPMP_PARTY)ProtocolPartyContext;
	PPMP_VC Vc = Party->Vc;
	BOOLEAN Dropped = Status == NDIS_STATUS_SUCCESS;

	NdisAcquireSpinLock(&Vc->Lock);
	ASSERT(Party->State == PartyDropping);
	Vc->PendingDrops--;
	if (Dropped) {
		RemoveEntryList(&Party->Link);
	} else {
		/*
		 * Still connected, the handle still good: NDIS_STATUS_FAILURE
		 * says it was the last leaf, which only NdisClCloseCall may
		 * take (PmpServiceVc does, if an answer is owed).
		 */
		Party->State = PartyConnected;
		Vc->ConnectedParties++;
		if (Vc->Adapter->Notified && Vc->ConnectedParties > 1)
			Vc->Adapter->NotifyFailed = TRUE;
	}
	NdisReleaseSpinLock(&Vc->Lock);
	if (Dropped)
		PmpFreeParty(Party);
	PmpCloseAfContinue(Vc->Adapter);
}

_Use_decl_annotations_ VOID
PmpCloseCallComplete(NDIS_STATUS Status, NDIS_HANDLE ProtocolVcContext,
		     NDIS_HANDLE ProtocolPartyContext)
{
	PPMP_VC Vc = (PPMP_VC)ProtocolVcContext;
	PPMP_PARTY Party = (PPMP_PARTY)ProtocolPartyContext;
	BOOLEAN Closed = Status == NDIS_STATUS_SUCCESS;

	NdisAcquireSpinLock(&Vc->Lock);
	ASSERT(Vc->State == VcClosing);
	ASSERT(Party == NULL || Party->State == PartyClosing);
	if (Closed) {
		Vc->State = VcClosed;
		Vc->RemoteClosed = FALSE;
		if (Party != NULL)
			RemoveEntryList(&Party->Link);
	} else {
		/* The call stays up with its last leaf. */
		Vc->State = VcConnected;
		if (Party != NULL) {
			Party->State = PartyConnected;
			Vc->ConnectedParties++;
		}
		if (Vc->Adapter->Notified)
			Vc->Adapter->NotifyFailed = TRUE;
	}
	NdisReleaseSpinLock(&Vc->Lock);
	if (Closed && Party != NULL)
		PmpFreeParty(Party);
	PmpCloseAfContinue(Vc->Adapter);
}

/*
 * Indications: record what is owed; PmpServiceVc answers. The leaf's
 * context stays until the answer completes.
 */

_Use_decl_annotations_ VOID
PmpIncomingDropParty(NDIS_STATUS DropStatus, NDIS_HANDLE ProtocolPartyContext,
		     PVOID CloseData, UINT Size)
{
	PPMP_PARTY Party = (PPMP_PARTY)ProtocolPartyContext;
	PPMP_VC Vc = Party->Vc;

	UNREFERENCED_PARAMETER(DropStatus);
	UNREFERENCED_PARAMETER(CloseData);
	UNREFERENCED_PARAMETER(Size);
	NdisAcquireSpinLock(&Vc->Lock);
	Party->RemoteDropped = TRUE;
	NdisReleaseSpinLock(&Vc->Lock);
	PmpCloseAfContinue(Vc->Adapter);
}

_Use_decl_annotations_ VOID PmpIncomingCloseCall(NDIS_STATUS CloseStatus,
						 NDIS_HANDLE ProtocolVcContext,
						 PVOID CloseData, UINT Size)
{
	PPMP_VC Vc = (PPMP_VC)ProtocolVcContext;

	UNREFERENCED_PARAMETER(CloseStatus);
	UNREFERENCED_PARAMETER(CloseData);
	UNREFERENCED_PARAMETER(Size);
	NdisAcquireSpinLock(&Vc->Lock);
	Vc->RemoteClosed = TRUE;
	NdisReleaseSpinLock(&Vc->Lock);
	PmpCloseAfContinue(Vc->Adapter);
}

/*
 * Requests
 */

_Use_decl_annotations_ NDIS_STATUS PmpCreateVc(PPMP_ADAPTER Adapter,
					       PPMP_VC *VcOut)
{
	NDIS_STATUS Status;
	PPMP_VC Vc;

	*VcOut = NULL;
	if (Adapter->NdisAfHandle == NULL || Adapter->Notified)
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	Vc = NdisAllocateMemoryWithTagPriority(PmpGlobals.ProtocolHandle,
					       sizeof(PMP_VC), PMPCL_TAG,
					       NormalPoolPriority);
	if (Vc == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(Vc, sizeof(*Vc));
	Vc->Adapter = Adapter;
	Vc->State = VcIdle;
	NdisAllocateSpinLock(&Vc->Lock);
	InitializeListHead(&Vc->PartyList);
	/* NdisVcHandle is NULL here, as NdisCoCreateVc requires. */
	Status = NdisCoCreateVc(Adapter->NdisBindingHandle,
				Adapter->NdisAfHandle, Vc, &Vc->NdisVcHandle);
	if (Status != NDIS_STATUS_SUCCESS) {
		NdisFreeSpinLock(&Vc->Lock);
		NdisFreeMemory(Vc, sizeof(PMP_VC), 0);
		return Status;
	}
	NdisAcquireSpinLock(&Adapter->Lock);
	InsertTailList(&Adapter->VcList, &Vc->Link);
	NdisReleaseSpinLock(&Adapter->Lock);
	*VcOut = Vc;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS PmpMakeCall(PPMP_VC Vc, BOOLEAN Multipoint)
{
	PCO_CALL_PARAMETERS CallParameters = &Vc->CallParameters;
	NDIS_HANDLE NdisPartyHandle = NULL;
	PPMP_PARTY Party = NULL;
	NDIS_STATUS Status;

	if (Vc->Adapter->Notified)
		return NDIS_STATUS_INVALID_DEVICE_REQUEST; /* closing */
	if (Multipoint) {
		Party = PmpAllocateParty(Vc);
		if (Party == NULL)
			return NDIS_STATUS_RESOURCES;
		CallParameters = &Party->CallParameters;
	} else {
		PmpInitCallParameters(&Vc->CallParameters,
				      &Vc->CallMgrParameters,
				      &Vc->MediaParameters, FALSE);
	}
	NdisAcquireSpinLock(&Vc->Lock);
	if (Vc->State != VcIdle && Vc->State != VcClosed) {
		NdisReleaseSpinLock(&Vc->Lock);
		if (Party != NULL)
			PmpFreeParty(Party);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	Vc->State = VcMaking;
	Vc->Multipoint = Multipoint;
	if (Party != NULL) {
		Party->LeafId = Vc->NextLeafId++;
		InsertTailList(&Vc->PartyList, &Party->Link);
		Vc->PendingAdds++;
	}
	NdisReleaseSpinLock(&Vc->Lock);

	Status = NdisClMakeCall(Vc->NdisVcHandle, CallParameters, Party,
				Multipoint ? &NdisPartyHandle : NULL);
	if (Status != NDIS_STATUS_PENDING)
		PmpMakeCallComplete(Status, Vc, NdisPartyHandle,
				    CallParameters);
	return Status;
}

_Use_decl_annotations_ NDIS_STATUS PmpAddLeaf(PPMP_VC Vc)
{
	NDIS_HANDLE NdisPartyHandle = NULL;
	PPMP_PARTY Party;
	NDIS_STATUS Status;

	if (Vc->Adapter->Notified)
		return NDIS_STATUS_INVALID_DEVICE_REQUEST; /* closing */
	Party = PmpAllocateParty(Vc);
	if (Party == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisAcquireSpinLock(&Vc->Lock);
	/* Only on an established multipoint call that is not going away. */
	if (Vc->State != VcConnected || !Vc->Multipoint || Vc->RemoteClosed) {
		NdisReleaseSpinLock(&Vc->Lock);
		PmpFreeParty(Party);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	Party->LeafId = Vc->NextLeafId++;
	InsertTailList(&Vc->PartyList, &Party->Link);
	Vc->PendingAdds++;
	NdisReleaseSpinLock(&Vc->Lock);

	Status = NdisClAddParty(Vc->NdisVcHandle, Party,
				&Party->CallParameters, &NdisPartyHandle);
	if (Status != NDIS_STATUS_PENDING)
		PmpAddPartyComplete(Status, Party, NdisPartyHandle,
				    &Party->CallParameters);
	return Status;
}

/* Mark Party dropping; its handle is spent from here. Vc->Lock held. */
_Requires_lock_held_(Vc->Lock) static NDIS_HANDLE
	PmpBeginDrop(_In_ PPMP_VC Vc, _In_ PPMP_PARTY Party)
{
	Party->State = PartyDropping;
	Vc->ConnectedParties--;
	Vc->PendingDrops++;
	return Party->NdisPartyHandle;
}

static NDIS_STATUS PmpIssueDrop(_In_ PPMP_PARTY Party,
				_In_ NDIS_HANDLE NdisPartyHandle)
{
	NDIS_STATUS Status;

	Status = NdisClDropParty(NdisPartyHandle, NULL, 0);
	if (Status != NDIS_STATUS_PENDING)
		PmpDropPartyComplete(Status, Party);
	return Status;
}

/* Mark the close of Vc with its last leaf (NULL: point-to-point).
 * Vc->Lock held. */
_Requires_lock_held_(Vc->Lock) static NDIS_HANDLE
	PmpBeginClose(_In_ PPMP_VC Vc, _In_opt_ PPMP_PARTY Party)
{
	Vc->State = VcClosing;
	if (Party == NULL)
		return NULL;
	Party->State = PartyClosing;
	Vc->ConnectedParties--;
	return Party->NdisPartyHandle;
}

static NDIS_STATUS PmpIssueClose(_In_ PPMP_VC Vc, _In_opt_ PPMP_PARTY Party,
				 _In_opt_ NDIS_HANDLE NdisPartyHandle)
{
	NDIS_STATUS Status;

	Status = NdisClCloseCall(Vc->NdisVcHandle, NdisPartyHandle, NULL, 0);
	if (Status != NDIS_STATUS_PENDING)
		PmpCloseCallComplete(Status, Vc, Party);
	return Status;
}

_Use_decl_annotations_ NDIS_STATUS PmpDropLeaf(PPMP_VC Vc, PPMP_PARTY Party)
{
	NDIS_HANDLE NdisPartyHandle;

	NdisAcquireSpinLock(&Vc->Lock);
	if (Vc->State != VcConnected || Party->State != PartyConnected) {
		NdisReleaseSpinLock(&Vc->Lock);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	NdisPartyHandle = PmpBeginDrop(Vc, Party);
	NdisReleaseSpinLock(&Vc->Lock);
	return PmpIssueDrop(Party, NdisPartyHandle);
}

/* The leaf that may close the call now, or NULL. Vc->Lock held. */
_Requires_lock_held_(Vc->Lock) static PPMP_PARTY PmpLastLeaf(_In_ PPMP_VC Vc)
{
	/* Exactly one leaf connected and nothing in flight: a pending add
	 * may still bring a second one, a pending drop may still fail. */
	if (Vc->ConnectedParties != 1 || Vc->PendingAdds != 0 ||
	    Vc->PendingDrops != 0)
		return NULL;
	return PmpFindParty(Vc, PartyConnected, FALSE);
}

_Use_decl_annotations_ NDIS_STATUS PmpCloseCall(PPMP_VC Vc)
{
	NDIS_HANDLE NdisPartyHandle;
	PPMP_PARTY Party = NULL;

	NdisAcquireSpinLock(&Vc->Lock);
	if (Vc->State != VcConnected ||
	    (Vc->Multipoint && (Party = PmpLastLeaf(Vc)) == NULL)) {
		NdisReleaseSpinLock(&Vc->Lock);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	NdisPartyHandle = PmpBeginClose(Vc, Party);
	NdisReleaseSpinLock(&Vc->Lock);
	return PmpIssueClose(Vc, Party, NdisPartyHandle);
}

_Use_decl_annotations_ NDIS_STATUS PmpDeleteVc(PPMP_VC Vc)
{
	PPMP_ADAPTER Adapter = Vc->Adapter;
	NDIS_STATUS Status;

	NdisAcquireSpinLock(&Vc->Lock);
	if (Vc->State != VcIdle && Vc->State != VcClosed) {
		NdisReleaseSpinLock(&Vc->Lock);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	ASSERT(IsListEmpty(&Vc->PartyList));
	NdisReleaseSpinLock(&Vc->Lock);
	Status = NdisCoDeleteVc(Vc->NdisVcHandle);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	NdisAcquireSpinLock(&Adapter->Lock);
	RemoveEntryList(&Vc->Link);
	NdisReleaseSpinLock(&Adapter->Lock);
	/* The VC context outlives the VC, never the other way round. */
	NdisFreeSpinLock(&Vc->Lock);
	NdisFreeMemory(Vc, sizeof(PMP_VC), 0);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS PmpServiceVc(PPMP_VC Vc)
{
	NDIS_HANDLE NdisPartyHandle;
	PPMP_PARTY Party;

	NdisAcquireSpinLock(&Vc->Lock);
	if (Vc->RemoteClosed) {
		/* The network closed the call: drop all leaves but one, then
		 * close with the last. */
		if (Vc->State == VcMaking) {
			NdisReleaseSpinLock(&Vc->Lock);
			return NDIS_STATUS_PENDING; /* its completion first */
		}
		if (Vc->State != VcConnected) {
			NdisReleaseSpinLock(&Vc->Lock);
			return NDIS_STATUS_SUCCESS; /* already closing */
		}
		if (!Vc->Multipoint) {
			NdisPartyHandle = PmpBeginClose(Vc, NULL);
			NdisReleaseSpinLock(&Vc->Lock);
			return PmpIssueClose(Vc, NULL, NdisPartyHandle);
		}
		if (Vc->PendingAdds != 0 || Vc->PendingDrops != 0) {
			NdisReleaseSpinLock(&Vc->Lock);
			return NDIS_STATUS_PENDING;
		}
		if (Vc->ConnectedParties == 1) {
			Party = PmpLastLeaf(Vc);
			NdisPartyHandle = PmpBeginClose(Vc, Party);
			NdisReleaseSpinLock(&Vc->Lock);
			return PmpIssueClose(Vc, Party, NdisPartyHandle);
		}
		Party = PmpFindParty(Vc, PartyConnected, TRUE);
		if (Party == NULL)
			Party = PmpFindParty(Vc, PartyConnected, FALSE);
		NdisPartyHandle = PmpBeginDrop(Vc, Party);
		NdisReleaseSpinLock(&Vc->Lock);
		return PmpIssueDrop(Party, NdisPartyHandle);
	}

	/* A leaf the network dropped: drop it, or close with it if it is
	 * the last one. */
	if (Vc->State != VcConnected) {
		BOOLEAN Waiting = Vc->State == VcMaking;

		NdisReleaseSpinLock(&Vc->Lock);
		return Waiting ? NDIS_STATUS_PENDING : NDIS_STATUS_SUCCESS;
	}
	Party = PmpFindParty(Vc, PartyConnected, TRUE);
	if (Party == NULL) {
		BOOLEAN Waiting = PmpFindParty(Vc, PartyAdding, TRUE) != NULL;

		NdisReleaseSpinLock(&Vc->Lock);
		return Waiting ? NDIS_STATUS_PENDING : NDIS_STATUS_SUCCESS;
	}
	if (Vc->ConnectedParties > 1) {
		NdisPartyHandle = PmpBeginDrop(Vc, Party);
		NdisReleaseSpinLock(&Vc->Lock);
		return PmpIssueDrop(Party, NdisPartyHandle);
	}
	if (PmpLastLeaf(Vc) != Party) {
		NdisReleaseSpinLock(&Vc->Lock);
		return NDIS_STATUS_PENDING; /* the last one, once quiet */
	}
	NdisPartyHandle = PmpBeginClose(Vc, Party);
	NdisReleaseSpinLock(&Vc->Lock);
	return PmpIssueClose(Vc, Party, NdisPartyHandle);
}

/*
 * Address family
 */

_Use_decl_annotations_ VOID PmpOpenAfComplete(NDIS_STATUS Status,
					      NDIS_HANDLE ProtocolAfContext,
					      NDIS_HANDLE NdisAfHandle)
{
	PPMP_ADAPTER Adapter = (PPMP_ADAPTER)ProtocolAfContext;

	NdisAcquireSpinLock(&Adapter->Lock);
	Adapter->AfOpening = FALSE;
	if (Status == NDIS_STATUS_SUCCESS)
		Adapter->NdisAfHandle = NdisAfHandle;
	NdisReleaseSpinLock(&Adapter->Lock);
}

_Use_decl_annotations_ VOID PmpCloseAfComplete(NDIS_STATUS Status,
					       NDIS_HANDLE ProtocolAfContext)
{
	PPMP_ADAPTER Adapter = (PPMP_ADAPTER)ProtocolAfContext;

	Adapter->AfClosing = FALSE;
	if (Status == NDIS_STATUS_SUCCESS)
		Adapter->NdisAfHandle = NULL;
	else if (Adapter->Notified)
		Adapter->NotifyFailed = TRUE;
	/* The call manager's close of the family, pended: over now. */
	if (Adapter->NotifyPending && Status == NDIS_STATUS_SUCCESS) {
		Adapter->NotifyPending = FALSE;
		NdisClNotifyCloseAddressFamilyComplete(Adapter->NotifyAfHandle,
						       NDIS_STATUS_SUCCESS);
	}
	PmpCloseAfContinue(Adapter);
}

/*
 * The call manager closes the family (ProtocolClNotifyCloseAf): every
 * call comes down (what was indicated answered, leaves dropped to the
 * last, the call closed with it, the VC deleted), then the family is
 * closed. What pends is carried on from the completion handlers
 * (PmpCloseAfContinue); the notification is completed with the family's
 * close (PmpCloseAfComplete).
 */
static VOID PmpTeardownAf(_In_ PPMP_ADAPTER Adapter)
{
	PLIST_ENTRY Link, Next, PartyLink, PartyNext;
	NDIS_STATUS Status;

	Adapter->InTeardown = TRUE;
	for (Link = Adapter->VcList.Flink; Link != &Adapter->VcList;
	     Link = Next) {
		PPMP_VC Vc = CONTAINING_RECORD(Link, PMP_VC, Link);

		Next = Link->Flink;
		(void)PmpServiceVc(Vc);
		for (PartyLink = Vc->PartyList.Flink;
		     PartyLink != &Vc->PartyList; PartyLink = PartyNext) {
			PPMP_PARTY Party =
				CONTAINING_RECORD(PartyLink, PMP_PARTY, Link);

			PartyNext = PartyLink->Flink;
			if (Vc->ConnectedParties > 1 &&
			    Party->State == PartyConnected)
				(void)PmpDropLeaf(Vc, Party);
		}
		(void)PmpCloseCall(Vc);
		(void)PmpDeleteVc(Vc);
	}
	if (IsListEmpty(&Adapter->VcList) && Adapter->NdisAfHandle != NULL &&
	    !Adapter->AfClosing) {
		Adapter->AfClosing = TRUE;
		Status = NdisClCloseAddressFamily(Adapter->NdisAfHandle);
		if (Status != NDIS_STATUS_PENDING)
			PmpCloseAfComplete(Status, Adapter);
	}
	Adapter->InTeardown = FALSE;
}

/* A failure left a call the client cannot take down: the family stays
 * open and the notification is refused. */
static NDIS_STATUS PmpRefuseNotify(_In_ PPMP_ADAPTER Adapter)
{
	Adapter->Notified = FALSE;
	Adapter->NotifyPending = FALSE;
	Adapter->NotifyFailed = FALSE;
	return NDIS_STATUS_FAILURE;
}

static VOID PmpCloseAfContinue(_In_ PPMP_ADAPTER Adapter)
{
	if (!Adapter->NotifyPending || Adapter->InTeardown)
		return;
	if (!Adapter->NotifyFailed)
		PmpTeardownAf(Adapter);
	if (Adapter->NotifyPending && Adapter->NotifyFailed &&
	    Adapter->NdisAfHandle != NULL)
		NdisClNotifyCloseAddressFamilyComplete(
			Adapter->NotifyAfHandle, PmpRefuseNotify(Adapter));
}

_Use_decl_annotations_ NDIS_STATUS
PmpNotifyCloseAf(NDIS_HANDLE ClientAfContext)
{
	PPMP_ADAPTER Adapter = (PPMP_ADAPTER)ClientAfContext;

	if (Adapter->Notified || Adapter->NdisAfHandle == NULL)
		return NDIS_STATUS_FAILURE;
	Adapter->Notified = TRUE;
	Adapter->NotifyFailed = FALSE;
	Adapter->NotifyAfHandle = Adapter->NdisAfHandle;
	PmpTeardownAf(Adapter);
	if (Adapter->NdisAfHandle == NULL)
		return NDIS_STATUS_SUCCESS; /* closed at once */
	if (Adapter->NotifyFailed)
		return PmpRefuseNotify(Adapter);
	Adapter->NotifyPending = TRUE;
	return NDIS_STATUS_PENDING;
}

_Use_decl_annotations_ VOID PmpAfRegisterNotify(
	NDIS_HANDLE ProtocolBindingContext, PCO_ADDRESS_FAMILY AddressFamily)
{
	PPMP_ADAPTER Adapter = (PPMP_ADAPTER)ProtocolBindingContext;
	NDIS_HANDLE NdisAfHandle = NULL;
	NDIS_STATUS Status;

	/* Q.2931 signalling, version 3 or later. */
	if (AddressFamily->AddressFamily != CO_ADDRESS_FAMILY_Q2931 ||
	    AddressFamily->MajorVersion < 3)
		return;
	NdisAcquireSpinLock(&Adapter->Lock);
	if (Adapter->NdisAfHandle != NULL || Adapter->AfOpening) {
		NdisReleaseSpinLock(&Adapter->Lock);
		return;
	}
	Adapter->AfOpening = TRUE;
	Adapter->AddressFamily = *AddressFamily;
	NdisReleaseSpinLock(&Adapter->Lock);

	Status = NdisClOpenAddressFamilyEx(Adapter->NdisBindingHandle,
					   &Adapter->AddressFamily, Adapter,
					   &NdisAfHandle);
	if (Status != NDIS_STATUS_PENDING)
		PmpOpenAfComplete(Status, Adapter, NdisAfHandle);
}

/*
 * Binding
 */

_Use_decl_annotations_ NDIS_STATUS
PmpBindAdapter(NDIS_HANDLE ProtocolDriverContext, NDIS_HANDLE BindContext,
	       PNDIS_BIND_PARAMETERS BindParameters)
{
	NDIS_OPEN_PARAMETERS OpenParameters;
	UINT SelectedMedium = 0;
	PPMP_ADAPTER Adapter;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(ProtocolDriverContext);
	UNREFERENCED_PARAMETER(BindParameters);
	if (PmpGlobals.Adapter != NULL)
		return NDIS_STATUS_NOT_ACCEPTED; /* one adapter */
	Adapter = NdisAllocateMemoryWithTagPriority(
		PmpGlobals.ProtocolHandle, sizeof(PMP_ADAPTER), PMPCL_TAG,
		NormalPoolPriority);
	if (Adapter == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(Adapter, sizeof(*Adapter));
	NdisAllocateSpinLock(&Adapter->Lock);
	InitializeListHead(&Adapter->VcList);
	Adapter->BindContext = BindContext;
	PmpGlobals.Adapter = Adapter;

	NdisZeroMemory(&OpenParameters, sizeof(OpenParameters));
	OpenParameters.Header.Type = NDIS_OBJECT_TYPE_OPEN_PARAMETERS;
	OpenParameters.Header.Revision = NDIS_OPEN_PARAMETERS_REVISION_1;
	OpenParameters.Header.Size = sizeof(OpenParameters);
	OpenParameters.MediumArray = PmpMedia;
	OpenParameters.MediumArraySize = RTL_NUMBER_OF(PmpMedia);
	OpenParameters.SelectedMediumIndex = &SelectedMedium;
	Status = NdisOpenAdapterEx(PmpGlobals.ProtocolHandle, Adapter,
				   &OpenParameters, BindContext,
				   &Adapter->NdisBindingHandle);
	if (Status == NDIS_STATUS_PENDING)
		return Status; /* PmpOpenAdapterComplete finishes the bind */
	if (Status != NDIS_STATUS_SUCCESS) {
		PmpGlobals.Adapter = NULL;
		NdisFreeSpinLock(&Adapter->Lock);
		NdisFreeMemory(Adapter, sizeof(PMP_ADAPTER), 0);
	}
	return Status;
}

_Use_decl_annotations_ VOID
PmpOpenAdapterComplete(NDIS_HANDLE ProtocolBindingContext, NDIS_STATUS Status)
{
	PPMP_ADAPTER Adapter = (PPMP_ADAPTER)ProtocolBindingContext;
	NDIS_HANDLE BindContext = Adapter->BindContext;

	if (Status != NDIS_STATUS_SUCCESS) {
		PmpGlobals.Adapter = NULL;
		NdisFreeSpinLock(&Adapter->Lock);
		NdisFreeMemory(Adapter, sizeof(PMP_ADAPTER), 0);
	}
	NdisCompleteBindAdapterEx(BindContext, Status);
}

_Use_decl_annotations_ NDIS_STATUS
PmpUnbindAdapter(NDIS_HANDLE UnbindContext, NDIS_HANDLE ProtocolBindingContext)
{
	PPMP_ADAPTER Adapter = (PPMP_ADAPTER)ProtocolBindingContext;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(UnbindContext);
	/* The control path closed every call and deleted every VC first. */
	ASSERT(IsListEmpty(&Adapter->VcList));
	if (Adapter->NdisAfHandle != NULL && !Adapter->AfClosing) {
		Adapter->AfClosing = TRUE;
		Status = NdisClCloseAddressFamily(Adapter->NdisAfHandle);
		if (Status != NDIS_STATUS_PENDING)
			PmpCloseAfComplete(Status, Adapter);
	}
	Status = NdisCloseAdapterEx(Adapter->NdisBindingHandle);
	if (Status == NDIS_STATUS_PENDING)
		return Status; /* PmpCloseAdapterComplete frees the adapter */
	PmpGlobals.Adapter = NULL;
	NdisFreeSpinLock(&Adapter->Lock);
	NdisFreeMemory(Adapter, sizeof(PMP_ADAPTER), 0);
	return Status;
}

_Use_decl_annotations_ VOID
PmpCloseAdapterComplete(NDIS_HANDLE ProtocolBindingContext)
{
	PPMP_ADAPTER Adapter = (PPMP_ADAPTER)ProtocolBindingContext;

	PmpGlobals.Adapter = NULL;
	NdisFreeSpinLock(&Adapter->Lock);
	NdisFreeMemory(Adapter, sizeof(PMP_ADAPTER), 0);
}

_Use_decl_annotations_ NDIS_STATUS
PmpPnPEvent(NDIS_HANDLE ProtocolBindingContext,
	    PNET_PNP_EVENT_NOTIFICATION NetPnPEventNotification)
{
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	UNREFERENCED_PARAMETER(NetPnPEventNotification);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ VOID PmpStatus(NDIS_HANDLE ProtocolBindingContext,
				      PNDIS_STATUS_INDICATION StatusIndication)
{
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	UNREFERENCED_PARAMETER(StatusIndication);
}

_Use_decl_annotations_ VOID
PmpCoStatus(NDIS_HANDLE ProtocolBindingContext, NDIS_HANDLE ProtocolVcContext,
	    PNDIS_STATUS_INDICATION StatusIndication)
{
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	UNREFERENCED_PARAMETER(ProtocolVcContext);
	UNREFERENCED_PARAMETER(StatusIndication);
}

/*
 * Registration
 */

_Use_decl_annotations_ NDIS_STATUS PmpSetOptions(NDIS_HANDLE NdisDriverHandle,
						 NDIS_HANDLE DriverContext)
{
	NDIS_PROTOCOL_CO_CHARACTERISTICS CoChars;
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS ClientHandlers;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(DriverContext);
	NdisZeroMemory(&CoChars, sizeof(CoChars));
	CoChars.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
	CoChars.Header.Revision = NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	CoChars.Header.Size =
		NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	CoChars.CoStatusHandlerEx = PmpCoStatus;
	CoChars.CoAfRegisterNotifyHandler = PmpAfRegisterNotify;
	/* The data path (CoReceive/CoSendComplete) is not in this file. */
	Status = NdisSetOptionalHandlers(
		NdisDriverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&CoChars);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;

	NdisZeroMemory(&ClientHandlers, sizeof(ClientHandlers));
	ClientHandlers.Header.Type =
		NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
	ClientHandlers.Header.Revision =
		NDIS_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	ClientHandlers.Header.Size =
		NDIS_SIZEOF_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	ClientHandlers.ClOpenAfCompleteHandlerEx = PmpOpenAfComplete;
	ClientHandlers.ClCloseAfCompleteHandler = PmpCloseAfComplete;
	ClientHandlers.ClNotifyCloseAfHandler = PmpNotifyCloseAf;
	ClientHandlers.ClMakeCallCompleteHandler = PmpMakeCallComplete;
	ClientHandlers.ClCloseCallCompleteHandler = PmpCloseCallComplete;
	ClientHandlers.ClAddPartyCompleteHandler = PmpAddPartyComplete;
	ClientHandlers.ClDropPartyCompleteHandler = PmpDropPartyComplete;
	ClientHandlers.ClIncomingDropPartyHandler = PmpIncomingDropParty;
	ClientHandlers.ClIncomingCloseCallHandler = PmpIncomingCloseCall;
	return NdisSetOptionalHandlers(
		NdisDriverHandle,
		(PNDIS_DRIVER_OPTIONAL_HANDLERS)&ClientHandlers);
}

_Use_decl_annotations_ VOID PmpUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisDeregisterProtocolDriver(PmpGlobals.ProtocolHandle);
	NdisDeleteNPagedLookasideList(&PmpGlobals.PartyLookaside);
}

_Use_decl_annotations_ NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
					    PUNICODE_STRING RegistryPath)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS Chars;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(RegistryPath);
	NdisZeroMemory(&PmpGlobals, sizeof(PmpGlobals));
	/* Before registering: NDIS may bind at once. */
	NdisInitializeNPagedLookasideList(&PmpGlobals.PartyLookaside, NULL,
					  NULL, 0, sizeof(PMP_PARTY),
					  PMPCL_TAG, 0);

	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision =
		NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.Header.Size =
		NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.MajorNdisVersion = 6;
	Chars.MinorNdisVersion = 0;
	Chars.MajorDriverVersion = 1;
	Chars.MinorDriverVersion = 0;
	NdisInitUnicodeString(&Chars.Name, L"PMPCL");
	Chars.SetOptionsHandler = PmpSetOptions;
	Chars.BindAdapterHandlerEx = PmpBindAdapter;
	Chars.UnbindAdapterHandlerEx = PmpUnbindAdapter;
	Chars.OpenAdapterCompleteHandlerEx = PmpOpenAdapterComplete;
	Chars.CloseAdapterCompleteHandlerEx = PmpCloseAdapterComplete;
	Chars.NetPnPEventHandler = PmpPnPEvent;
	Chars.StatusHandlerEx = PmpStatus;
	Status = NdisRegisterProtocolDriver(NULL, &Chars,
					    &PmpGlobals.ProtocolHandle);
	if (Status != NDIS_STATUS_SUCCESS) {
		NdisDeleteNPagedLookasideList(&PmpGlobals.PartyLookaside);
		return Status;
	}
	DriverObject->DriverUnload = PmpUnload;
	return STATUS_SUCCESS;
}
