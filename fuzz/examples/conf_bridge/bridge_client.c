/*
 * bridge_client.c - CBCL: the conference-bridge client (NDIS 6.0 CoNDIS,
 * point-to-multipoint). See bridge_client.h.
 *
 * Bring-up: DriverEntry registers the protocol (NdisRegisterProtocolDriver);
 * ProtocolSetOptions registers the CoNDIS and client handlers;
 * ProtocolBindAdapterEx opens the adapter; ProtocolCoAfRegisterNotify
 * opens the call manager's Q.2931 family. Teardown: NDIS asks the client
 * to close the family (ProtocolClNotifyCloseAf: every room is taken down),
 * unbinds it (ProtocolUnbindAdapterEx: close the family, close the
 * adapter) and unloads it (DriverUnload: deregister, free the pool).
 *
 * The room and leaf tables are static; a leaf's memory comes from a
 * lookaside list and goes back in the completion that ends the leaf. After
 * a request returns anything but NDIS_STATUS_PENDING the client runs its
 * own completion handler, as NDIS will not.
 */
#include <ndis.h>

#include "bridge_client.h"

CBC_GLOBALS Cbc;

DRIVER_UNLOAD CbcUnload;
SET_OPTIONS CbcSetOptions;
PROTOCOL_BIND_ADAPTER_EX CbcBindAdapter;
PROTOCOL_OPEN_ADAPTER_COMPLETE_EX CbcOpenAdapterComplete;
PROTOCOL_CLOSE_ADAPTER_COMPLETE_EX CbcCloseAdapterComplete;
PROTOCOL_NET_PNP_EVENT CbcPnPEvent;
PROTOCOL_STATUS_EX CbcStatus;
PROTOCOL_CO_STATUS_EX CbcCoStatus;
PROTOCOL_CO_AF_REGISTER_NOTIFY CbcAfRegisterNotify;
PROTOCOL_CL_OPEN_AF_COMPLETE_EX CbcOpenAfComplete;
PROTOCOL_CL_CLOSE_AF_COMPLETE CbcCloseAfComplete;
PROTOCOL_CL_MAKE_CALL_COMPLETE CbcMakeCallComplete;
PROTOCOL_CL_ADD_PARTY_COMPLETE CbcAddPartyComplete;
PROTOCOL_CL_DROP_PARTY_COMPLETE CbcDropPartyComplete;
PROTOCOL_CL_CLOSE_CALL_COMPLETE CbcCloseCallComplete;
PROTOCOL_CL_INCOMING_DROP_PARTY CbcIncomingDropParty;
PROTOCOL_CL_INCOMING_CLOSE_CALL CbcIncomingCloseCall;

static VOID CbcContinue(VOID);

static NDIS_MEDIUM CbcMedia[] = { NdisMediumAtm, NdisMediumCoWan };

/* Every request's QoS: constant, so it lives in static storage. */
static CO_CALL_MANAGER_PARAMETERS CbcCallMgrParameters = {
	.Transmit = { .TokenRate = 64000,
		      .TokenBucketSize = 64000,
		      .ServiceType = SERVICETYPE_GUARANTEED },
	.Receive = { .ServiceType = SERVICETYPE_NOTRAFFIC },
};
static CO_MEDIA_PARAMETERS CbcMediaParameters = { .Flags = TRANSMIT_VC,
						  .ReceiveSizeHint = 1500 };

static VOID CbcInitParameters(_Out_ PCO_CALL_PARAMETERS P,
			      _In_ BOOLEAN Multipoint)
{
	NdisZeroMemory(P, sizeof(*P));
	P->Flags = Multipoint ? MULTIPOINT_VC : 0;
	P->CallMgrParameters = &CbcCallMgrParameters;
	P->MediaParameters = &CbcMediaParameters;
}

/*
 * Rooms and seats (room lock held by the caller where noted)
 */

static PCBC_ROOM CbcRoom(_In_ ULONG Room)
{
	return &Cbc.Room[Room % CBC_ROOMS];
}

/* A free seat, or CBC_LEAVES. Room lock held. */
static ULONG CbcFreeSeat(_In_ PCBC_ROOM R)
{
	ULONG i;

	for (i = 0; i < CBC_LEAVES; i++)
		if (R->Leaf[i] == NULL)
			return i;
	return CBC_LEAVES;
}

/* The seat of @L, or CBC_LEAVES. Room lock held. */
static ULONG CbcSeatOf(_In_ PCBC_ROOM R, _In_ PCBC_LEAF L)
{
	ULONG i;

	for (i = 0; i < CBC_LEAVES; i++)
		if (R->Leaf[i] == L)
			return i;
	return CBC_LEAVES;
}

/* The @Nth leaf that is up (modulo their number), or NULL. Room lock
 * held. */
static PCBC_LEAF CbcNthUp(_In_ PCBC_ROOM R, _In_ ULONG Nth)
{
	ULONG i;

	if (R->Up == 0)
		return NULL;
	Nth %= R->Up;
	for (i = 0; i < CBC_LEAVES; i++)
		if (R->Leaf[i] != NULL && R->Leaf[i]->State == LeafUp &&
		    Nth-- == 0)
			return R->Leaf[i];
	return NULL;
}

static PCBC_LEAF CbcNewLeaf(_In_ PCBC_ROOM R)
{
	PCBC_LEAF L = NdisAllocateFromNPagedLookasideList(&Cbc.LeafPool);

	if (L == NULL)
		return NULL;
	NdisZeroMemory(L, sizeof(*L));
	L->Room = R;
	L->State = LeafJoining;
	CbcInitParameters(&L->CallParameters, TRUE);
	return L;
}

/* Unseat and free @L. Room lock held. */
static VOID CbcFreeLeaf(_In_ PCBC_ROOM R, _In_ PCBC_LEAF L)
{
	ULONG i = CbcSeatOf(R, L);

	if (i < CBC_LEAVES)
		R->Leaf[i] = NULL;
	NdisFreeToNPagedLookasideList(&Cbc.LeafPool, L);
}

/*
 * Completions (NDIS's, or the client's own after a synchronous return)
 */

_Use_decl_annotations_ VOID CbcMakeCallComplete(
	NDIS_STATUS Status, NDIS_HANDLE ProtocolVcContext,
	NDIS_HANDLE NdisPartyHandle, PCO_CALL_PARAMETERS CallParameters)
{
	PCBC_ROOM R = (PCBC_ROOM)ProtocolVcContext;
	PCBC_LEAF L = NULL;
	ULONG i;

	UNREFERENCED_PARAMETER(CallParameters);
	NdisAcquireSpinLock(&R->Lock);
	for (i = 0; i < CBC_LEAVES; i++)
		if (R->Leaf[i] != NULL && R->Leaf[i]->State == LeafJoining)
			L = R->Leaf[i]; /* the first leaf: the only one */
	if (Status == NDIS_STATUS_SUCCESS) {
		R->State = RoomOpen;
		if (L != NULL) {
			L->NdisPartyHandle = NdisPartyHandle;
			L->State = LeafUp;
			R->Joining--;
			R->Up++;
		}
	} else {
		/* The VC stays for the room's next call. */
		R->State = RoomIdle;
		if (L != NULL) {
			R->Joining--;
			CbcFreeLeaf(R, L);
		}
	}
	NdisReleaseSpinLock(&R->Lock);
	CbcContinue();
}

_Use_decl_annotations_ VOID CbcAddPartyComplete(
	NDIS_STATUS Status, NDIS_HANDLE ProtocolPartyContext,
	NDIS_HANDLE NdisPartyHandle, PCO_CALL_PARAMETERS CallParameters)
{
	PCBC_LEAF L = (PCBC_LEAF)ProtocolPartyContext;
	PCBC_ROOM R = L->Room;

	UNREFERENCED_PARAMETER(CallParameters);
	NdisAcquireSpinLock(&R->Lock);
	R->Joining--;
	if (Status == NDIS_STATUS_SUCCESS) {
		L->NdisPartyHandle = NdisPartyHandle;
		L->State = LeafUp;
		R->Up++;
	} else {
		CbcFreeLeaf(R, L);
	}
	NdisReleaseSpinLock(&R->Lock);
	CbcContinue();
}

_Use_decl_annotations_ VOID
CbcDropPartyComplete(NDIS_STATUS Status, NDIS_HANDLE ProtocolPartyContext)
{
	PCBC_LEAF L = (PCBC_LEAF)ProtocolPartyContext;
	PCBC_ROOM R = L->Room;

	NdisAcquireSpinLock(&R->Lock);
	R->Leaving--;
	if (Status == NDIS_STATUS_SUCCESS) {
		if (Cbc.PlantedBug == CBC_BUG_FORGET_DROPPED_LEAF) {
			/* The leaf's memory goes back, its seat is kept. */
			NdisFreeToNPagedLookasideList(&Cbc.LeafPool, L);
		} else {
			CbcFreeLeaf(R, L);
		}
	} else {
		/* Still a participant, with a valid handle. */
		L->State = LeafUp;
		R->Up++;
		if (Cbc.Notified && R->Up > 1)
			Cbc.NotifyFailed = TRUE;
	}
	NdisReleaseSpinLock(&R->Lock);
	CbcContinue();
}

_Use_decl_annotations_ VOID CbcCloseCallComplete(NDIS_STATUS Status,
						 NDIS_HANDLE ProtocolVcContext,
						 NDIS_HANDLE ProtocolPartyContext)
{
	PCBC_ROOM R = (PCBC_ROOM)ProtocolVcContext;
	PCBC_LEAF L = (PCBC_LEAF)ProtocolPartyContext;

	NdisAcquireSpinLock(&R->Lock);
	if (Status == NDIS_STATUS_SUCCESS) {
		if (L != NULL)
			CbcFreeLeaf(R, L);
		R->Up = 0;
		R->State = RoomIdle;
		R->ClosedByNetwork = FALSE;
	} else {
		R->State = RoomOpen;
		if (L != NULL) {
			L->State = LeafUp;
			R->Up++;
		}
		if (Cbc.Notified)
			Cbc.NotifyFailed = TRUE;
	}
	NdisReleaseSpinLock(&R->Lock);
	CbcContinue();
}

_Use_decl_annotations_ VOID CbcIncomingDropParty(
	NDIS_STATUS DropStatus, NDIS_HANDLE ProtocolPartyContext,
	PVOID CloseData, UINT Size)
{
	PCBC_LEAF L = (PCBC_LEAF)ProtocolPartyContext;

	UNREFERENCED_PARAMETER(DropStatus);
	UNREFERENCED_PARAMETER(CloseData);
	UNREFERENCED_PARAMETER(Size);
	NdisAcquireSpinLock(&L->Room->Lock);
	L->DroppedByNetwork = TRUE; /* CbcServiceRoom answers */
	NdisReleaseSpinLock(&L->Room->Lock);
	CbcContinue();
}

_Use_decl_annotations_ VOID CbcIncomingCloseCall(
	NDIS_STATUS CloseStatus, NDIS_HANDLE ProtocolVcContext,
	PVOID CloseData, UINT Size)
{
	PCBC_ROOM R = (PCBC_ROOM)ProtocolVcContext;

	UNREFERENCED_PARAMETER(CloseStatus);
	UNREFERENCED_PARAMETER(CloseData);
	UNREFERENCED_PARAMETER(Size);
	NdisAcquireSpinLock(&R->Lock);
	R->ClosedByNetwork = TRUE;
	NdisReleaseSpinLock(&R->Lock);
	CbcContinue();
}

/*
 * Requests
 */

/* Drop @L (up); room lock held on entry, released. */
static NDIS_STATUS CbcIssueDrop(_In_ PCBC_ROOM R, _In_ PCBC_LEAF L)
{
	NDIS_STATUS Status;

	L->State = LeafLeaving;
	R->Up--;
	R->Leaving++;
	NdisReleaseSpinLock(&R->Lock);
	Status = NdisClDropParty(L->NdisPartyHandle, NULL, 0);
	if (Status != NDIS_STATUS_PENDING)
		CbcDropPartyComplete(Status, L);
	return Status;
}

/* Close the room's call with @L (the last leaf, NULL for a
 * point-to-point call); room lock held on entry, released. */
static NDIS_STATUS CbcIssueClose(_In_ PCBC_ROOM R, _In_opt_ PCBC_LEAF L)
{
	NDIS_STATUS Status;

	R->State = RoomClosing;
	if (L != NULL) {
		L->State = LeafLast;
		R->Up--;
	}
	NdisReleaseSpinLock(&R->Lock);
	Status = NdisClCloseCall(R->NdisVcHandle,
				 L != NULL ? L->NdisPartyHandle : NULL, NULL,
				 0);
	if (Status != NDIS_STATUS_PENDING)
		CbcCloseCallComplete(Status, R, L);
	return Status;
}

_Use_decl_annotations_ NDIS_STATUS CbcOpenRoom(ULONG Room, BOOLEAN Multipoint)
{
	PCBC_ROOM R = CbcRoom(Room);
	PCBC_LEAF L = NULL;
	NDIS_HANDLE Vc = NULL;
	NDIS_STATUS Status;
	ULONG Seat;

	if (Cbc.Notified)
		return NDIS_STATUS_INVALID_DEVICE_REQUEST; /* closing */
	NdisAcquireSpinLock(&R->Lock);
	if (R->State != RoomFree && R->State != RoomIdle) {
		NdisReleaseSpinLock(&R->Lock);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	NdisReleaseSpinLock(&R->Lock);
	if (R->State == RoomFree) {
		/* The room's VC, made here, kept for its later calls. */
		if (Cbc.AfHandle == NULL)
			return NDIS_STATUS_INVALID_DEVICE_REQUEST;
		Status = NdisCoCreateVc(Cbc.BindingHandle, Cbc.AfHandle, R, &Vc);
		if (Status != NDIS_STATUS_SUCCESS)
			return Status;
		NdisAcquireSpinLock(&R->Lock);
		R->NdisVcHandle = Vc;
		R->State = RoomIdle;
		NdisReleaseSpinLock(&R->Lock);
	}
	if (Multipoint) {
		L = CbcNewLeaf(R);
		if (L == NULL)
			return NDIS_STATUS_RESOURCES;
	}
	NdisAcquireSpinLock(&R->Lock);
	R->State = RoomCalling;
	R->Multipoint = Multipoint;
	R->ClosedByNetwork = FALSE;
	if (L != NULL) {
		Seat = CbcFreeSeat(R); /* all free: no call yet */
		R->Leaf[Seat] = L;
		R->Joining++;
	} else {
		CbcInitParameters(&R->CallParameters, FALSE);
	}
	NdisReleaseSpinLock(&R->Lock);
	Status = NdisClMakeCall(R->NdisVcHandle,
				L != NULL ? &L->CallParameters
					  : &R->CallParameters,
				L, L != NULL ? &L->NdisPartyHandle : NULL);
	if (Status != NDIS_STATUS_PENDING)
		CbcMakeCallComplete(Status, R,
				    L != NULL ? L->NdisPartyHandle : NULL,
				    NULL);
	return Status;
}

_Use_decl_annotations_ NDIS_STATUS CbcJoin(ULONG Room)
{
	PCBC_ROOM R = CbcRoom(Room);
	PCBC_LEAF L;
	NDIS_STATUS Status;
	ULONG Seat;

	if (Cbc.Notified)
		return NDIS_STATUS_INVALID_DEVICE_REQUEST; /* closing */
	NdisAcquireSpinLock(&R->Lock);
	Seat = CbcFreeSeat(R);
	if (R->State != RoomOpen || !R->Multipoint || R->ClosedByNetwork ||
	    Seat == CBC_LEAVES) {
		NdisReleaseSpinLock(&R->Lock);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	NdisReleaseSpinLock(&R->Lock);
	L = CbcNewLeaf(R);
	if (L == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisAcquireSpinLock(&R->Lock);
	R->Leaf[Seat] = L;
	R->Joining++;
	NdisReleaseSpinLock(&R->Lock);
	Status = NdisClAddParty(R->NdisVcHandle, L, &L->CallParameters,
				&L->NdisPartyHandle);
	if (Status != NDIS_STATUS_PENDING)
		CbcAddPartyComplete(Status, L, L->NdisPartyHandle, NULL);
	return Status;
}

/* Drop the @Nth participant, never the last one (the call is closed with
 * that one). */
_Use_decl_annotations_ NDIS_STATUS CbcLeave(ULONG Room, ULONG Nth)
{
	PCBC_ROOM R = CbcRoom(Room);
	PCBC_LEAF L;

	NdisAcquireSpinLock(&R->Lock);
	L = R->State == RoomOpen && R->Up > 1 ? CbcNthUp(R, Nth) : NULL;
	if (L == NULL) {
		NdisReleaseSpinLock(&R->Lock);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	return CbcIssueDrop(R, L);
}

/* Close the call: a multipoint one with exactly its last participant up
 * and nothing joining or leaving. */
_Use_decl_annotations_ NDIS_STATUS CbcCloseRoom(ULONG Room)
{
	PCBC_ROOM R = CbcRoom(Room);

	NdisAcquireSpinLock(&R->Lock);
	if (R->State != RoomOpen ||
	    (R->Multipoint &&
	     (R->Up != 1 || R->Joining != 0 || R->Leaving != 0))) {
		NdisReleaseSpinLock(&R->Lock);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	return CbcIssueClose(R, R->Multipoint ? CbcNthUp(R, 0) : NULL);
}

/* Delete the room's VC once its call is over. */
_Use_decl_annotations_ NDIS_STATUS CbcRetireRoom(ULONG Room)
{
	PCBC_ROOM R = CbcRoom(Room);
	NDIS_STATUS Status;

	NdisAcquireSpinLock(&R->Lock);
	if (R->State != RoomIdle) {
		NdisReleaseSpinLock(&R->Lock);
		return NDIS_STATUS_INVALID_DEVICE_REQUEST;
	}
	NdisReleaseSpinLock(&R->Lock);
	Status = NdisCoDeleteVc(R->NdisVcHandle);
	if (Status == NDIS_STATUS_SUCCESS) {
		NdisAcquireSpinLock(&R->Lock);
		R->NdisVcHandle = NULL;
		R->State = RoomFree;
		NdisReleaseSpinLock(&R->Lock);
	}
	return Status;
}

_Use_decl_annotations_ NDIS_STATUS CbcServiceRoom(ULONG Room)
{
	PCBC_ROOM R = CbcRoom(Room);
	PCBC_LEAF L;
	ULONG i;

	NdisAcquireSpinLock(&R->Lock);
	if (R->State != RoomOpen) {
		NdisReleaseSpinLock(&R->Lock);
		return NDIS_STATUS_SUCCESS;
	}
	if (R->ClosedByNetwork) {
		if (!R->Multipoint)
			return CbcIssueClose(R, NULL);
		if (Cbc.PlantedBug == CBC_BUG_CLOSE_ON_RELEASE && R->Up > 0)
			return CbcIssueClose(R, CbcNthUp(R, 0));
		if (R->Joining != 0 || R->Leaving != 0) {
			NdisReleaseSpinLock(&R->Lock);
			return NDIS_STATUS_PENDING;
		}
		if (R->Up == 1)
			return CbcIssueClose(R, CbcNthUp(R, 0));
		/* The others first, the network's leavers first of all. */
		for (i = 0; i < CBC_LEAVES; i++) {
			L = R->Leaf[i];
			if (L != NULL && L->State == LeafUp &&
			    L->DroppedByNetwork)
				return CbcIssueDrop(R, L);
		}
		return CbcIssueDrop(R, CbcNthUp(R, 0));
	}
	for (i = 0; i < CBC_LEAVES; i++) {
		L = R->Leaf[i];
		if (L == NULL || L->State != LeafUp || !L->DroppedByNetwork)
			continue;
		if (R->Up > 1)
			return CbcIssueDrop(R, L);
		if (R->Joining != 0 || R->Leaving != 0)
			break; /* the last one: close, once nothing moves */
		return CbcIssueClose(R, L);
	}
	NdisReleaseSpinLock(&R->Lock);
	return i < CBC_LEAVES ? NDIS_STATUS_PENDING : NDIS_STATUS_SUCCESS;
}

/*
 * The address family and the binding
 */

/*
 * The call manager closes the family (ProtocolClNotifyCloseAf): every
 * room comes down as far as it goes now (CbcTeardown), the rest from the
 * completion handlers (CbcContinue); once no room holds a VC the family
 * is closed, and its close completes the notification
 * (CbcCloseAfComplete).
 */
static VOID CbcTeardown(VOID)
{
	NDIS_STATUS Status;
	ULONG Room, k;

	Cbc.InTeardown = TRUE;
	for (Room = 0; Room < CBC_ROOMS; Room++) {
		(void)CbcServiceRoom(Room);
		for (k = CBC_LEAVES; k-- > 0;)
			(void)CbcLeave(Room, k);
		(void)CbcCloseRoom(Room);
		(void)CbcRetireRoom(Room);
	}
	for (Room = 0; Room < CBC_ROOMS; Room++)
		if (Cbc.Room[Room].State != RoomFree)
			break;
	if (Room == CBC_ROOMS && Cbc.AfHandle != NULL && !Cbc.AfClosing) {
		Cbc.AfClosing = TRUE;
		Status = NdisClCloseAddressFamily(Cbc.AfHandle);
		if (Status != NDIS_STATUS_PENDING)
			CbcCloseAfComplete(Status, &Cbc);
	}
	Cbc.InTeardown = FALSE;
}

/* A failure left a room the client cannot take down: the family stays
 * open and the notification is refused. */
static NDIS_STATUS CbcRefuseNotify(VOID)
{
	Cbc.Notified = FALSE;
	Cbc.NotifyPending = FALSE;
	Cbc.NotifyFailed = FALSE;
	return NDIS_STATUS_FAILURE;
}

static VOID CbcContinue(VOID)
{
	if (!Cbc.NotifyPending || Cbc.InTeardown)
		return;
	if (!Cbc.NotifyFailed)
		CbcTeardown();
	if (Cbc.NotifyPending && Cbc.NotifyFailed && Cbc.AfHandle != NULL)
		NdisClNotifyCloseAddressFamilyComplete(Cbc.NotifyAf,
						       CbcRefuseNotify());
}

_Use_decl_annotations_ NDIS_STATUS CbcNotifyCloseAf(NDIS_HANDLE ClientAfContext)
{
	UNREFERENCED_PARAMETER(ClientAfContext);
	if (Cbc.Notified || Cbc.AfHandle == NULL)
		return NDIS_STATUS_FAILURE;
	Cbc.Notified = TRUE;
	Cbc.NotifyFailed = FALSE;
	Cbc.NotifyAf = Cbc.AfHandle;
	CbcTeardown();
	if (Cbc.AfHandle == NULL)
		return NDIS_STATUS_SUCCESS; /* closed at once */
	if (Cbc.NotifyFailed)
		return CbcRefuseNotify();
	Cbc.NotifyPending = TRUE;
	return NDIS_STATUS_PENDING;
}

_Use_decl_annotations_ VOID CbcOpenAfComplete(NDIS_STATUS Status,
					      NDIS_HANDLE ProtocolAfContext,
					      NDIS_HANDLE NdisAfHandle)
{
	UNREFERENCED_PARAMETER(ProtocolAfContext);
	NdisAcquireSpinLock(&Cbc.Lock);
	Cbc.AfOpening = FALSE;
	if (Status == NDIS_STATUS_SUCCESS)
		Cbc.AfHandle = NdisAfHandle;
	NdisReleaseSpinLock(&Cbc.Lock);
}

_Use_decl_annotations_ VOID CbcCloseAfComplete(NDIS_STATUS Status,
					       NDIS_HANDLE ProtocolAfContext)
{
	UNREFERENCED_PARAMETER(ProtocolAfContext);
	Cbc.AfClosing = FALSE;
	if (Status == NDIS_STATUS_SUCCESS)
		Cbc.AfHandle = NULL;
	else if (Cbc.Notified)
		Cbc.NotifyFailed = TRUE;
	if (Cbc.NotifyPending && Status == NDIS_STATUS_SUCCESS) {
		Cbc.NotifyPending = FALSE;
		NdisClNotifyCloseAddressFamilyComplete(Cbc.NotifyAf,
						       NDIS_STATUS_SUCCESS);
	}
	CbcContinue();
}

_Use_decl_annotations_ VOID CbcAfRegisterNotify(
	NDIS_HANDLE ProtocolBindingContext, PCO_ADDRESS_FAMILY AddressFamily)
{
	NDIS_HANDLE Af = NULL;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	if (AddressFamily->AddressFamily != CO_ADDRESS_FAMILY_Q2931)
		return;
	NdisAcquireSpinLock(&Cbc.Lock);
	if (Cbc.AfHandle != NULL || Cbc.AfOpening) {
		NdisReleaseSpinLock(&Cbc.Lock);
		return;
	}
	Cbc.AfOpening = TRUE;
	Cbc.AddressFamily = *AddressFamily;
	NdisReleaseSpinLock(&Cbc.Lock);
	Status = NdisClOpenAddressFamilyEx(Cbc.BindingHandle,
					   &Cbc.AddressFamily, &Cbc, &Af);
	if (Status != NDIS_STATUS_PENDING)
		CbcOpenAfComplete(Status, &Cbc, Af);
}

_Use_decl_annotations_ NDIS_STATUS
CbcBindAdapter(NDIS_HANDLE ProtocolDriverContext, NDIS_HANDLE BindContext,
	       PNDIS_BIND_PARAMETERS BindParameters)
{
	NDIS_OPEN_PARAMETERS Open;
	UINT Selected = 0;

	UNREFERENCED_PARAMETER(ProtocolDriverContext);
	UNREFERENCED_PARAMETER(BindParameters);
	if (Cbc.BindingHandle != NULL)
		return NDIS_STATUS_NOT_ACCEPTED; /* one adapter */
	NdisZeroMemory(&Open, sizeof(Open));
	Open.Header.Type = NDIS_OBJECT_TYPE_OPEN_PARAMETERS;
	Open.Header.Revision = NDIS_OPEN_PARAMETERS_REVISION_1;
	Open.Header.Size = sizeof(Open);
	Open.MediumArray = CbcMedia;
	Open.MediumArraySize = RTL_NUMBER_OF(CbcMedia);
	Open.SelectedMediumIndex = &Selected;
	return NdisOpenAdapterEx(Cbc.ProtocolHandle, &Cbc, &Open, BindContext,
				 &Cbc.BindingHandle);
}

_Use_decl_annotations_ VOID
CbcOpenAdapterComplete(NDIS_HANDLE ProtocolBindingContext, NDIS_STATUS Status)
{
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	UNREFERENCED_PARAMETER(Status);
}

/* Every room is down (CbcNotifyCloseAf came first): close the family and
 * the adapter. */
_Use_decl_annotations_ NDIS_STATUS
CbcUnbindAdapter(NDIS_HANDLE UnbindContext, NDIS_HANDLE ProtocolBindingContext)
{
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(UnbindContext);
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	if (Cbc.AfHandle != NULL && !Cbc.AfClosing) {
		Cbc.AfClosing = TRUE;
		Status = NdisClCloseAddressFamily(Cbc.AfHandle);
		if (Status != NDIS_STATUS_PENDING)
			CbcCloseAfComplete(Status, &Cbc);
	}
	if (Cbc.BindingHandle == NULL)
		return NDIS_STATUS_SUCCESS;
	Status = NdisCloseAdapterEx(Cbc.BindingHandle);
	if (Status != NDIS_STATUS_PENDING)
		Cbc.BindingHandle = NULL;
	return Status;
}

_Use_decl_annotations_ VOID
CbcCloseAdapterComplete(NDIS_HANDLE ProtocolBindingContext)
{
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	Cbc.BindingHandle = NULL;
}

_Use_decl_annotations_ NDIS_STATUS
CbcPnPEvent(NDIS_HANDLE ProtocolBindingContext,
	    PNET_PNP_EVENT_NOTIFICATION NetPnPEventNotification)
{
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	UNREFERENCED_PARAMETER(NetPnPEventNotification);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ VOID CbcStatus(NDIS_HANDLE ProtocolBindingContext,
				      PNDIS_STATUS_INDICATION StatusIndication)
{
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	UNREFERENCED_PARAMETER(StatusIndication);
}

_Use_decl_annotations_ VOID
CbcCoStatus(NDIS_HANDLE ProtocolBindingContext, NDIS_HANDLE ProtocolVcContext,
	    PNDIS_STATUS_INDICATION StatusIndication)
{
	UNREFERENCED_PARAMETER(ProtocolBindingContext);
	UNREFERENCED_PARAMETER(ProtocolVcContext);
	UNREFERENCED_PARAMETER(StatusIndication);
}

/*
 * Registration
 */

_Use_decl_annotations_ NDIS_STATUS CbcSetOptions(NDIS_HANDLE NdisDriverHandle,
						 NDIS_HANDLE DriverContext)
{
	NDIS_PROTOCOL_CO_CHARACTERISTICS Co;
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS Cl;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(DriverContext);
	NdisZeroMemory(&Co, sizeof(Co));
	Co.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
	Co.Header.Revision = NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	Co.Header.Size = NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	Co.CoStatusHandlerEx = CbcCoStatus;
	Co.CoAfRegisterNotifyHandler = CbcAfRegisterNotify;
	Status = NdisSetOptionalHandlers(NdisDriverHandle,
					 (PNDIS_DRIVER_OPTIONAL_HANDLERS)&Co);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	NdisZeroMemory(&Cl, sizeof(Cl));
	Cl.Header.Type = NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
	Cl.Header.Revision = NDIS_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	Cl.Header.Size = NDIS_SIZEOF_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	Cl.ClOpenAfCompleteHandlerEx = CbcOpenAfComplete;
	Cl.ClCloseAfCompleteHandler = CbcCloseAfComplete;
	Cl.ClNotifyCloseAfHandler = CbcNotifyCloseAf;
	Cl.ClMakeCallCompleteHandler = CbcMakeCallComplete;
	Cl.ClCloseCallCompleteHandler = CbcCloseCallComplete;
	Cl.ClAddPartyCompleteHandler = CbcAddPartyComplete;
	Cl.ClDropPartyCompleteHandler = CbcDropPartyComplete;
	Cl.ClIncomingDropPartyHandler = CbcIncomingDropParty;
	Cl.ClIncomingCloseCallHandler = CbcIncomingCloseCall;
	return NdisSetOptionalHandlers(NdisDriverHandle,
				       (PNDIS_DRIVER_OPTIONAL_HANDLERS)&Cl);
}

_Use_decl_annotations_ VOID CbcUnload(PDRIVER_OBJECT DriverObject)
{
	ULONG i;

	UNREFERENCED_PARAMETER(DriverObject);
	NdisDeregisterProtocolDriver(Cbc.ProtocolHandle);
	for (i = 0; i < CBC_ROOMS; i++)
		NdisFreeSpinLock(&Cbc.Room[i].Lock);
	NdisFreeSpinLock(&Cbc.Lock);
	NdisDeleteNPagedLookasideList(&Cbc.LeafPool);
}

_Use_decl_annotations_ NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
					    PUNICODE_STRING RegistryPath)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS Chars;
	NDIS_STATUS Status;
	ULONG Bug = Cbc.PlantedBug, i;

	UNREFERENCED_PARAMETER(RegistryPath);
	NdisZeroMemory(&Cbc, sizeof(Cbc));
	Cbc.PlantedBug = Bug;
	/* Before registering: NDIS may bind at once. */
	NdisAllocateSpinLock(&Cbc.Lock);
	for (i = 0; i < CBC_ROOMS; i++)
		NdisAllocateSpinLock(&Cbc.Room[i].Lock);
	NdisInitializeNPagedLookasideList(&Cbc.LeafPool, NULL, NULL, 0,
					  sizeof(CBC_LEAF), CBCL_TAG, 0);
	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision =
		NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.Header.Size =
		NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.MajorNdisVersion = 6;
	Chars.MinorNdisVersion = 0;
	Chars.MajorDriverVersion = 1;
	NdisInitUnicodeString(&Chars.Name, L"CBCL");
	Chars.SetOptionsHandler = CbcSetOptions;
	Chars.BindAdapterHandlerEx = CbcBindAdapter;
	Chars.UnbindAdapterHandlerEx = CbcUnbindAdapter;
	Chars.OpenAdapterCompleteHandlerEx = CbcOpenAdapterComplete;
	Chars.CloseAdapterCompleteHandlerEx = CbcCloseAdapterComplete;
	Chars.NetPnPEventHandler = CbcPnPEvent;
	Chars.StatusHandlerEx = CbcStatus;
	Status = NdisRegisterProtocolDriver(NULL, &Chars, &Cbc.ProtocolHandle);
	if (Status != NDIS_STATUS_SUCCESS) {
		NdisDeleteNPagedLookasideList(&Cbc.LeafPool);
		return Status;
	}
	DriverObject->DriverUnload = CbcUnload;
	return STATUS_SUCCESS;
}
