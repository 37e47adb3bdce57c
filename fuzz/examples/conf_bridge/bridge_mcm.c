/*
 * bridge_mcm.c - CBMP: the conference bridge's miniport call manager
 * (NDIS 6.0 MCM). See bridge_mcm.h.
 *
 * Bring-up: DriverEntry registers the miniport (NdisMRegisterMiniport-
 * Driver); MiniportSetOptions registers the call-manager handlers;
 * MiniportInitializeEx sets the adapter's attributes and registers the
 * Q.2931 family (NdisMCmRegisterAddressFamilyEx). Teardown: MiniportHaltEx
 * frees the tables' leftovers, MiniportDriverUnload deregisters.
 *
 * Every request is signalled to the hardware (CbmHwSignal): accepted, the
 * MCM activates the VC before a setup succeeds and deactivates it before a
 * release succeeds; outstanding, it completes the request later with the
 * NdisMCm*Complete call of its kind (CbmHwComplete). A party's context is
 * freed only after the completion that ends it has returned.
 */
#include <ndis.h>

#include "bridge_mcm.h"

CBM_GLOBALS Cbm;

SET_OPTIONS CbmSetOptions;
MINIPORT_INITIALIZE CbmInitialize;
MINIPORT_PAUSE CbmPause;
MINIPORT_RESTART CbmRestart;
MINIPORT_OID_REQUEST CbmOidRequest;
MINIPORT_CANCEL_OID_REQUEST CbmCancelOidRequest;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY CbmDevicePnPEvent;
MINIPORT_SHUTDOWN CbmShutdown;
PROTOCOL_CO_CREATE_VC CbmCreateVc;
PROTOCOL_CO_DELETE_VC CbmDeleteVc;
PROTOCOL_CM_OPEN_AF CbmOpenAf;
PROTOCOL_CM_CLOSE_AF CbmCloseAf;
PROTOCOL_CM_NOTIFY_CLOSE_AF_COMPLETE CbmNotifyCloseAfComplete;
PROTOCOL_CM_REG_SAP CbmRegisterSap;
PROTOCOL_CM_DEREGISTER_SAP CbmDeregisterSap;
PROTOCOL_CM_MAKE_CALL CbmMakeCall;
PROTOCOL_CM_CLOSE_CALL CbmCloseCall;
PROTOCOL_CM_ADD_PARTY CbmAddParty;
PROTOCOL_CM_DROP_PARTY CbmDropParty;

static CO_ADDRESS_FAMILY CbmAddressFamily = { CO_ADDRESS_FAMILY_Q2931, 3, 1 };

/*
 * Tables (Cbm.Lock held by the caller where noted)
 */

/* Seat a new party on @Vc; NULL if the table or the pool is full. Lock
 * held. */
static PCBM_PARTY CbmNewParty(_In_ PCBM_VC Vc, _In_ NDIS_HANDLE Handle)
{
	PCBM_PARTY P;
	ULONG i;

	for (i = 0; i < CBM_PARTIES && Vc->Party[i] != NULL; i++)
		;
	if (i == CBM_PARTIES)
		return NULL;
	P = NdisAllocateFromNPagedLookasideList(&Cbm.PartyPool);
	if (P == NULL)
		return NULL;
	NdisZeroMemory(P, sizeof(*P));
	P->Vc = Vc;
	P->NdisPartyHandle = Handle;
	P->State = CbmJoining;
	Vc->Party[i] = P;
	return P;
}

/* Unseat @P (its memory stays until CbmFreeParty). Lock held. */
static VOID CbmUnseat(_In_ PCBM_PARTY P)
{
	ULONG i;

	for (i = 0; i < CBM_PARTIES; i++)
		if (P->Vc->Party[i] == P)
			P->Vc->Party[i] = NULL;
}

static VOID CbmFreeParty(_In_ PCBM_PARTY P)
{
	NdisFreeToNPagedLookasideList(&Cbm.PartyPool, P);
}

/* Joined parties of @Vc the network has not dropped. Lock held. */
static ULONG CbmJoinedCount(_In_ PCBM_VC Vc)
{
	ULONG i, n = 0;

	for (i = 0; i < CBM_PARTIES; i++)
		n += Vc->Party[i] != NULL && Vc->Party[i]->State == CbmJoined &&
		     !Vc->Party[i]->HungUp;
	return n;
}

/* Signal @Type to the hardware. CbmHwAccepted / CbmHwRejected (*Status
 * the reason): the transaction is over; CbmHwOutstanding: it is queued,
 * *Status is PENDING. Lock not held. */
static CBM_HW_RESULT CbmSignal(_In_ CBM_TXN_TYPE Type, _In_ PCBM_VC Vc,
			       _In_opt_ PCBM_PARTY Party,
			       _In_opt_ PCO_CALL_PARAMETERS CallParameters,
			       _Out_ PNDIS_STATUS Status)
{
	PCBM_TXN T = NdisAllocateFromNPagedLookasideList(&Cbm.TxnPool);
	CBM_HW_RESULT Result;

	if (T == NULL) {
		*Status = NDIS_STATUS_RESOURCES;
		return CbmHwRejected;
	}
	T->Type = Type;
	T->Vc = Vc;
	T->Party = Party;
	T->CallParameters = CallParameters;
	*Status = NDIS_STATUS_SUCCESS;
	Result = CbmHwSignal(T, Status);
	if (Result == CbmHwOutstanding) {
		NdisAcquireSpinLock(&Cbm.Lock);
		if (Cbm.PendingCount < CBM_PENDING) {
			Cbm.Pending[Cbm.PendingCount++] = T;
			NdisReleaseSpinLock(&Cbm.Lock);
			*Status = NDIS_STATUS_PENDING;
			return Result;
		}
		NdisReleaseSpinLock(&Cbm.Lock);
		Result = CbmHwRejected;
		*Status = NDIS_STATUS_RESOURCES;
	}
	NdisFreeToNPagedLookasideList(&Cbm.TxnPool, T);
	if (Result == CbmHwRejected &&
	    (*Status == NDIS_STATUS_SUCCESS || *Status == NDIS_STATUS_PENDING))
		*Status = NDIS_STATUS_FAILURE;
	return Result;
}

/*
 * VCs and the address family
 */

_Use_decl_annotations_ NDIS_STATUS CbmCreateVc(NDIS_HANDLE ProtocolAfContext,
					       NDIS_HANDLE NdisVcHandle,
					       PNDIS_HANDLE ProtocolVcContext)
{
	ULONG i;

	UNREFERENCED_PARAMETER(ProtocolAfContext);
	NdisAcquireSpinLock(&Cbm.Lock);
	for (i = 0; i < CBM_VCS && Cbm.Vc[i].InUse; i++)
		;
	if (i == CBM_VCS) {
		NdisReleaseSpinLock(&Cbm.Lock);
		return NDIS_STATUS_RESOURCES;
	}
	NdisZeroMemory(&Cbm.Vc[i], sizeof(Cbm.Vc[i]));
	Cbm.Vc[i].InUse = TRUE;
	Cbm.Vc[i].NdisVcHandle = NdisVcHandle;
	Cbm.Vc[i].State = CbmIdle;
	NdisReleaseSpinLock(&Cbm.Lock);
	*ProtocolVcContext = &Cbm.Vc[i];
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS CbmDeleteVc(NDIS_HANDLE ProtocolVcContext)
{
	PCBM_VC Vc = (PCBM_VC)ProtocolVcContext;

	NdisAcquireSpinLock(&Cbm.Lock);
	Vc->InUse = FALSE;
	Vc->NdisVcHandle = NULL;
	NdisReleaseSpinLock(&Cbm.Lock);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS CbmOpenAf(NDIS_HANDLE CallMgrBindingContext,
					     PCO_ADDRESS_FAMILY AddressFamily,
					     NDIS_HANDLE NdisAfHandle,
					     PNDIS_HANDLE CallMgrAfContext)
{
	UNREFERENCED_PARAMETER(CallMgrBindingContext);
	if (AddressFamily->AddressFamily != CO_ADDRESS_FAMILY_Q2931)
		return NDIS_STATUS_INVALID_ADDRESS;
	Cbm.NdisAfHandle = NdisAfHandle;
	*CallMgrAfContext = &Cbm;
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS CbmCloseAf(NDIS_HANDLE CallMgrAfContext)
{
	UNREFERENCED_PARAMETER(CallMgrAfContext);
	Cbm.NdisAfHandle = NULL;
	return NDIS_STATUS_SUCCESS;
}

/* The client closed the family it was asked to close (CbmCloseAf came
 * first). */
_Use_decl_annotations_ VOID CbmNotifyCloseAfComplete(NDIS_STATUS Status,
						     NDIS_HANDLE CallMgrAfContext)
{
	UNREFERENCED_PARAMETER(Status);
	UNREFERENCED_PARAMETER(CallMgrAfContext);
	Cbm.AfNotifying = FALSE;
}

_Use_decl_annotations_ VOID CbmCloseClientAf(VOID)
{
	NDIS_STATUS Status;

	if (Cbm.NdisAfHandle == NULL || Cbm.AfNotifying)
		return;
	Cbm.AfNotifying = TRUE;
	Status = NdisMCmNotifyCloseAddressFamily(Cbm.NdisAfHandle);
	if (Status != NDIS_STATUS_PENDING)
		Cbm.AfNotifying = FALSE;
}

_Use_decl_annotations_ NDIS_STATUS
CbmRegisterSap(NDIS_HANDLE CallMgrAfContext, PCO_SAP Sap,
	       NDIS_HANDLE NdisSapHandle, PNDIS_HANDLE CallMgrSapContext)
{
	UNREFERENCED_PARAMETER(Sap);
	UNREFERENCED_PARAMETER(NdisSapHandle);
	*CallMgrSapContext = CallMgrAfContext; /* no incoming calls */
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS
CbmDeregisterSap(NDIS_HANDLE CallMgrSapContext)
{
	UNREFERENCED_PARAMETER(CallMgrSapContext);
	return NDIS_STATUS_SUCCESS;
}

/*
 * Requests from the client
 */

_Use_decl_annotations_ NDIS_STATUS
CbmMakeCall(NDIS_HANDLE CallMgrVcContext, PCO_CALL_PARAMETERS CallParameters,
	    NDIS_HANDLE NdisPartyHandle, PNDIS_HANDLE CallMgrPartyContext)
{
	PCBM_VC Vc = (PCBM_VC)CallMgrVcContext;
	PCBM_PARTY P = NULL;
	NDIS_STATUS Status;

	NdisAcquireSpinLock(&Cbm.Lock);
	if (NdisPartyHandle != NULL &&
	    (P = CbmNewParty(Vc, NdisPartyHandle)) == NULL) {
		NdisReleaseSpinLock(&Cbm.Lock);
		return NDIS_STATUS_RESOURCES;
	}
	Vc->State = CbmSetup;
	Vc->Released = FALSE;
	NdisReleaseSpinLock(&Cbm.Lock);
	switch (CbmSignal(CbmTxnSetup, Vc, P, CallParameters, &Status)) {
	case CbmHwOutstanding:
		return NDIS_STATUS_PENDING;
	case CbmHwAccepted:
		/* CONNECT: the VC carries data from now on. */
		Status = NdisMCmActivateVc(Vc->NdisVcHandle, CallParameters);
		if (Status != NDIS_STATUS_SUCCESS)
			break;
		NdisAcquireSpinLock(&Cbm.Lock);
		Vc->State = CbmActive;
		if (P != NULL)
			P->State = CbmJoined;
		NdisReleaseSpinLock(&Cbm.Lock);
		if (P != NULL)
			*CallMgrPartyContext = P;
		return NDIS_STATUS_SUCCESS;
	default:
		break;
	}
	NdisAcquireSpinLock(&Cbm.Lock);
	Vc->State = CbmIdle;
	if (P != NULL)
		CbmUnseat(P);
	NdisReleaseSpinLock(&Cbm.Lock);
	if (P != NULL)
		CbmFreeParty(P);
	return Status;
}

_Use_decl_annotations_ NDIS_STATUS
CbmAddParty(NDIS_HANDLE CallMgrVcContext, PCO_CALL_PARAMETERS CallParameters,
	    NDIS_HANDLE NdisPartyHandle, PNDIS_HANDLE CallMgrPartyContext)
{
	PCBM_VC Vc = (PCBM_VC)CallMgrVcContext;
	PCBM_PARTY P;
	NDIS_STATUS Status;

	NdisAcquireSpinLock(&Cbm.Lock);
	P = CbmNewParty(Vc, NdisPartyHandle);
	NdisReleaseSpinLock(&Cbm.Lock);
	if (P == NULL)
		return NDIS_STATUS_RESOURCES;
	switch (CbmSignal(CbmTxnAddParty, Vc, P, CallParameters, &Status)) {
	case CbmHwOutstanding:
		return NDIS_STATUS_PENDING;
	case CbmHwAccepted:
		NdisAcquireSpinLock(&Cbm.Lock);
		P->State = CbmJoined;
		NdisReleaseSpinLock(&Cbm.Lock);
		*CallMgrPartyContext = P;
		return NDIS_STATUS_SUCCESS;
	default:
		NdisAcquireSpinLock(&Cbm.Lock);
		CbmUnseat(P);
		NdisReleaseSpinLock(&Cbm.Lock);
		CbmFreeParty(P);
		return Status;
	}
}

_Use_decl_annotations_ NDIS_STATUS CbmDropParty(NDIS_HANDLE CallMgrPartyContext,
						PVOID CloseData, UINT Size)
{
	PCBM_PARTY P = (PCBM_PARTY)CallMgrPartyContext;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(CloseData);
	UNREFERENCED_PARAMETER(Size);
	NdisAcquireSpinLock(&Cbm.Lock);
	P->State = CbmLeaving;
	NdisReleaseSpinLock(&Cbm.Lock);
	switch (CbmSignal(CbmTxnDropParty, P->Vc, P, NULL, &Status)) {
	case CbmHwOutstanding:
		return NDIS_STATUS_PENDING;
	case CbmHwAccepted:
		NdisAcquireSpinLock(&Cbm.Lock);
		CbmUnseat(P);
		NdisReleaseSpinLock(&Cbm.Lock);
		CbmFreeParty(P);
		return NDIS_STATUS_SUCCESS;
	default:
		/* Still joined; one the network dropped stays dropped. */
		NdisAcquireSpinLock(&Cbm.Lock);
		P->State = CbmJoined;
		NdisReleaseSpinLock(&Cbm.Lock);
		return Status;
	}
}

/* Free every party of @Vc (a released call). Lock not held. */
static VOID CbmFreeParties(_In_ PCBM_VC Vc)
{
	PCBM_PARTY P;
	ULONG i;

	for (i = 0; i < CBM_PARTIES; i++) {
		NdisAcquireSpinLock(&Cbm.Lock);
		P = Vc->Party[i];
		Vc->Party[i] = NULL;
		NdisReleaseSpinLock(&Cbm.Lock);
		if (P != NULL)
			CbmFreeParty(P);
	}
}

_Use_decl_annotations_ NDIS_STATUS CbmCloseCall(NDIS_HANDLE CallMgrVcContext,
						NDIS_HANDLE CallMgrPartyContext,
						PVOID CloseData, UINT Size)
{
	PCBM_VC Vc = (PCBM_VC)CallMgrVcContext;
	PCBM_PARTY P = (PCBM_PARTY)CallMgrPartyContext;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(CloseData);
	UNREFERENCED_PARAMETER(Size);
	NdisAcquireSpinLock(&Cbm.Lock);
	Vc->State = CbmRelease;
	if (P != NULL)
		P->State = CbmLast;
	NdisReleaseSpinLock(&Cbm.Lock);
	switch (CbmSignal(CbmTxnRelease, Vc, P, NULL, &Status)) {
	case CbmHwOutstanding:
		return NDIS_STATUS_PENDING;
	case CbmHwAccepted:
		/* RELEASE COMPLETE: no more data on the VC. */
		Status = NdisMCmDeactivateVc(Vc->NdisVcHandle);
		if (Status != NDIS_STATUS_SUCCESS)
			break;
		CbmFreeParties(Vc);
		NdisAcquireSpinLock(&Cbm.Lock);
		Vc->State = CbmIdle;
		NdisReleaseSpinLock(&Cbm.Lock);
		return NDIS_STATUS_SUCCESS;
	default:
		break;
	}
	NdisAcquireSpinLock(&Cbm.Lock);
	Vc->State = CbmActive; /* the call stays up */
	if (P != NULL)
		P->State = CbmJoined;
	NdisReleaseSpinLock(&Cbm.Lock);
	return Status;
}

/*
 * The hardware's answers and the network's events
 */

_Use_decl_annotations_ VOID CbmHwComplete(ULONG Nth, NDIS_STATUS Status)
{
	PCBM_TXN T;
	PCBM_VC Vc;
	PCBM_PARTY P;
	NDIS_HANDLE Ph;
	BOOLEAN Ok;
	ULONG i;

	NdisAcquireSpinLock(&Cbm.Lock);
	if (Cbm.PendingCount == 0) {
		NdisReleaseSpinLock(&Cbm.Lock);
		return;
	}
	Nth %= Cbm.PendingCount;
	T = Cbm.Pending[Nth];
	for (i = Nth; i + 1 < Cbm.PendingCount; i++)
		Cbm.Pending[i] = Cbm.Pending[i + 1];
	Cbm.PendingCount--;
	NdisReleaseSpinLock(&Cbm.Lock);
	if (Status == NDIS_STATUS_PENDING)
		Status = NDIS_STATUS_FAILURE; /* a completion is final */
	Vc = T->Vc;
	P = T->Party;
	Ph = P != NULL ? P->NdisPartyHandle : NULL;
	switch (T->Type) {
	case CbmTxnSetup:
		if (Status == NDIS_STATUS_SUCCESS)
			Status = NdisMCmActivateVc(Vc->NdisVcHandle,
						   T->CallParameters);
		Ok = Status == NDIS_STATUS_SUCCESS;
		NdisAcquireSpinLock(&Cbm.Lock);
		Vc->State = Ok ? CbmActive : CbmIdle;
		if (P != NULL && Ok)
			P->State = CbmJoined;
		else if (P != NULL)
			CbmUnseat(P);
		NdisReleaseSpinLock(&Cbm.Lock);
		NdisMCmMakeCallComplete(Status, Vc->NdisVcHandle, Ph,
					Ok ? P : NULL, T->CallParameters);
		if (P != NULL && !Ok)
			CbmFreeParty(P); /* after the completion returned */
		break;
	case CbmTxnAddParty:
		Ok = Status == NDIS_STATUS_SUCCESS;
		NdisAcquireSpinLock(&Cbm.Lock);
		if (Ok)
			P->State = CbmJoined;
		else
			CbmUnseat(P);
		NdisReleaseSpinLock(&Cbm.Lock);
		if (!Ok && Cbm.PlantedBug == CBM_BUG_NO_FAILED_ADD_COMPLETION) {
			/* The error path cleans up and forgets to tell NDIS. */
			CbmFreeParty(P);
			break;
		}
		NdisMCmAddPartyComplete(Status, Ph, Ok ? P : NULL,
					T->CallParameters);
		if (!Ok)
			CbmFreeParty(P);
		break;
	case CbmTxnDropParty:
		Ok = Status == NDIS_STATUS_SUCCESS;
		NdisAcquireSpinLock(&Cbm.Lock);
		if (Ok && Cbm.PlantedBug == CBM_BUG_KEEP_DROPPED_PARTY) {
			/* The seat is not cleared: the party looks joined. */
			P->State = CbmJoined;
			P->HungUp = FALSE;
			Ok = FALSE;
		} else if (Ok) {
			CbmUnseat(P);
		} else {
			P->State = CbmJoined;
		}
		NdisReleaseSpinLock(&Cbm.Lock);
		NdisMCmDropPartyComplete(Status, Ph);
		if (Ok)
			CbmFreeParty(P);
		break;
	default: /* CbmTxnRelease */
		if (Status == NDIS_STATUS_SUCCESS)
			Status = NdisMCmDeactivateVc(Vc->NdisVcHandle);
		Ok = Status == NDIS_STATUS_SUCCESS;
		NdisAcquireSpinLock(&Cbm.Lock);
		if (Ok) {
			Vc->State = CbmIdle;
		} else {
			Vc->State = CbmActive;
			if (P != NULL)
				P->State = CbmJoined;
		}
		NdisReleaseSpinLock(&Cbm.Lock);
		NdisMCmCloseCallComplete(Status, Vc->NdisVcHandle, Ph);
		if (Ok)
			CbmFreeParties(Vc);
		break;
	}
	NdisFreeToNPagedLookasideList(&Cbm.TxnPool, T);
}

/* A participant hung up: only one the contract lets the MCM name, a
 * joined party of an active, unreleased conference that keeps another
 * joined one (the last one's hang-up is a release). */
_Use_decl_annotations_ VOID CbmHwPartyLeft(ULONG Nth, NDIS_STATUS Cause)
{
	PCBM_PARTY P, Chosen = NULL;
	ULONG v, i, n = 0, pass;

	NdisAcquireSpinLock(&Cbm.Lock);
	for (pass = 0; pass < 2 && Chosen == NULL; pass++) {
		if (pass == 1) {
			if (n == 0)
				break;
			Nth %= n;
		}
		for (v = 0; v < CBM_VCS && Chosen == NULL; v++) {
			PCBM_VC Vc = &Cbm.Vc[v];

			if (!Vc->InUse || Vc->State != CbmActive ||
			    Vc->Released || CbmJoinedCount(Vc) < 2)
				continue;
			for (i = 0; i < CBM_PARTIES; i++) {
				P = Vc->Party[i];
				if (P == NULL || P->State != CbmJoined ||
				    P->HungUp)
					continue;
				if (pass == 0)
					n++;
				else if (Nth-- == 0) {
					Chosen = P;
					break;
				}
			}
		}
	}
	if (Chosen != NULL)
		Chosen->HungUp = TRUE;
	NdisReleaseSpinLock(&Cbm.Lock);
	if (Chosen != NULL)
		NdisMCmDispatchIncomingDropParty(Cause, Chosen->NdisPartyHandle,
						 NULL, 0);
}

_Use_decl_annotations_ VOID CbmHwRoomReleased(ULONG Nth, NDIS_STATUS Cause)
{
	PCBM_VC Chosen = NULL;
	ULONG v, n = 0;

	NdisAcquireSpinLock(&Cbm.Lock);
	for (v = 0; v < CBM_VCS; v++)
		n += Cbm.Vc[v].InUse && Cbm.Vc[v].State == CbmActive &&
		     !Cbm.Vc[v].Released;
	if (n != 0) {
		Nth %= n;
		for (v = 0; v < CBM_VCS && Chosen == NULL; v++)
			if (Cbm.Vc[v].InUse && Cbm.Vc[v].State == CbmActive &&
			    !Cbm.Vc[v].Released && Nth-- == 0)
				Chosen = &Cbm.Vc[v];
	}
	if (Chosen != NULL)
		Chosen->Released = TRUE;
	NdisReleaseSpinLock(&Cbm.Lock);
	if (Chosen != NULL)
		NdisMCmDispatchIncomingCloseCall(Cause, Chosen->NdisVcHandle,
						 NULL, 0);
}

/*
 * Miniport
 */

_Use_decl_annotations_ NDIS_STATUS CbmSetOptions(NDIS_HANDLE NdisDriverHandle,
						 NDIS_HANDLE DriverContext)
{
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS H;

	UNREFERENCED_PARAMETER(DriverContext);
	NdisZeroMemory(&H, sizeof(H));
	H.Header.Type = NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	H.Header.Revision = NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	H.Header.Size = NDIS_SIZEOF_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	H.CmCreateVcHandler = CbmCreateVc;
	H.CmDeleteVcHandler = CbmDeleteVc;
	H.CmOpenAfHandler = CbmOpenAf;
	H.CmCloseAfHandler = CbmCloseAf;
	H.CmNotifyCloseAfCompleteHandler = CbmNotifyCloseAfComplete;
	H.CmRegisterSapHandler = CbmRegisterSap;
	H.CmDeregisterSapHandler = CbmDeregisterSap;
	H.CmMakeCallHandler = CbmMakeCall;
	H.CmCloseCallHandler = CbmCloseCall;
	H.CmAddPartyHandler = CbmAddParty;
	H.CmDropPartyHandler = CbmDropParty;
	return NdisSetOptionalHandlers(NdisDriverHandle,
				       (PNDIS_DRIVER_OPTIONAL_HANDLERS)&H);
}

_Use_decl_annotations_ NDIS_STATUS
CbmInitialize(NDIS_HANDLE NdisMiniportHandle, NDIS_HANDLE MiniportDriverContext,
	      PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES A;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	UNREFERENCED_PARAMETER(MiniportInitParameters);
	Cbm.MiniportAdapterHandle = NdisMiniportHandle;
	NdisAllocateSpinLock(&Cbm.Lock);
	NdisInitializeNPagedLookasideList(&Cbm.PartyPool, NULL, NULL, 0,
					  sizeof(CBM_PARTY), CBMP_TAG, 0);
	NdisInitializeNPagedLookasideList(&Cbm.TxnPool, NULL, NULL, 0,
					  sizeof(CBM_TXN), CBMP_TAG, 0);
	Cbm.Initialized = TRUE;
	NdisZeroMemory(&A, sizeof(A));
	A.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	A.Header.Revision =
		NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	A.Header.Size = sizeof(A);
	A.MiniportAdapterContext = &Cbm;
	A.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	A.CheckForHangTimeInSeconds = 4;
	A.InterfaceType = NdisInterfacePci;
	Status = NdisMSetMiniportAttributes(
		NdisMiniportHandle, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&A);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = NdisMCmRegisterAddressFamilyEx(NdisMiniportHandle,
							&CbmAddressFamily);
	if (Status != NDIS_STATUS_SUCCESS)
		CbmHalt(&Cbm, NdisHaltDeviceInitializationFailed);
	return Status;
}

/* The tables' leftovers (a run cut short) go back to the pools, then the
 * pools and the lock go. */
_Use_decl_annotations_ VOID CbmHalt(NDIS_HANDLE MiniportAdapterContext,
				    NDIS_HALT_ACTION HaltAction)
{
	ULONG v;

	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(HaltAction);
	if (!Cbm.Initialized)
		return;
	while (Cbm.PendingCount > 0)
		NdisFreeToNPagedLookasideList(&Cbm.TxnPool,
					      Cbm.Pending[--Cbm.PendingCount]);
	for (v = 0; v < CBM_VCS; v++)
		CbmFreeParties(&Cbm.Vc[v]);
	NdisDeleteNPagedLookasideList(&Cbm.TxnPool);
	NdisDeleteNPagedLookasideList(&Cbm.PartyPool);
	NdisFreeSpinLock(&Cbm.Lock);
	Cbm.Initialized = FALSE;
}

_Use_decl_annotations_ NDIS_STATUS
CbmPause(NDIS_HANDLE MiniportAdapterContext,
	 PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(PauseParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS
CbmRestart(NDIS_HANDLE MiniportAdapterContext,
	   PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RestartParameters);
	return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_ NDIS_STATUS
CbmOidRequest(NDIS_HANDLE MiniportAdapterContext, PNDIS_OID_REQUEST OidRequest)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(OidRequest);
	return NDIS_STATUS_NOT_SUPPORTED;
}

_Use_decl_annotations_ VOID
CbmCancelOidRequest(NDIS_HANDLE MiniportAdapterContext, PVOID RequestId)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(RequestId);
}

_Use_decl_annotations_ VOID
CbmDevicePnPEvent(NDIS_HANDLE MiniportAdapterContext,
		  PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(NetDevicePnPEvent);
}

_Use_decl_annotations_ VOID CbmShutdown(NDIS_HANDLE MiniportAdapterContext,
					NDIS_SHUTDOWN_ACTION ShutdownAction)
{
	UNREFERENCED_PARAMETER(MiniportAdapterContext);
	UNREFERENCED_PARAMETER(ShutdownAction);
}

_Use_decl_annotations_ VOID CbmUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(Cbm.MiniportDriverHandle);
}

_Use_decl_annotations_ NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
					    PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;
	ULONG Bug = Cbm.PlantedBug;

	NdisZeroMemory(&Cbm, sizeof(Cbm));
	Cbm.PlantedBug = Bug;
	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision =
		NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.Header.Size =
		NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	Chars.MajorNdisVersion = 6;
	Chars.MinorNdisVersion = 0;
	Chars.MajorDriverVersion = 1;
	Chars.SetOptionsHandler = CbmSetOptions;
	Chars.InitializeHandlerEx = CbmInitialize;
	Chars.HaltHandlerEx = CbmHalt;
	Chars.UnloadHandler = CbmUnload;
	Chars.PauseHandler = CbmPause;
	Chars.RestartHandler = CbmRestart;
	Chars.OidRequestHandler = CbmOidRequest;
	Chars.CancelOidRequestHandler = CbmCancelOidRequest;
	Chars.DevicePnPEventNotifyHandler = CbmDevicePnPEvent;
	Chars.ShutdownHandlerEx = CbmShutdown;
	return NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL,
					   &Chars, &Cbm.MiniportDriverHandle);
}
