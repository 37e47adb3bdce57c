/*
 * client.h - private header of the PMPCL sample client: a CoNDIS
 * point-to-multipoint client that keeps one multipoint call per
 * conference and adds and drops its leaves on request.
 *
 * The control path (the driver's IOCTL dispatch, not part of this sample)
 * calls the PmpXxx request routines below; every NDIS callback is in
 * client.c.
 *
 * Locking: Adapter->Lock protects VcList; Vc->Lock protects the VC's
 * state, counters and PartyList. No lock is held across a call into NDIS.
 */
#ifndef PMPCL_CLIENT_H
#define PMPCL_CLIENT_H

#include <ndis.h>

#define PMPCL_TAG 'lCmP'

typedef struct _PMP_ADAPTER PMP_ADAPTER, *PPMP_ADAPTER;
typedef struct _PMP_VC PMP_VC, *PPMP_VC;
typedef struct _PMP_PARTY PMP_PARTY, *PPMP_PARTY;

typedef enum _PMP_PARTY_STATE {
	PartyAdding,    /* NdisClMakeCall/NdisClAddParty in flight */
	PartyConnected, /* NdisPartyHandle valid */
	PartyDropping,  /* NdisClDropParty in flight: handle spent */
	PartyClosing    /* the last leaf, named by NdisClCloseCall */
} PMP_PARTY_STATE;

typedef enum _PMP_VC_STATE {
	VcIdle,   /* created, no call */
	VcMaking, /* NdisClMakeCall in flight */
	VcConnected,
	VcClosing, /* NdisClCloseCall in flight */
	VcClosed   /* may take a new call or be deleted */
} PMP_VC_STATE;

/* One leaf of a multipoint call (from the party lookaside list). */
struct _PMP_PARTY {
	LIST_ENTRY Link; /* Vc->PartyList */
	PPMP_VC Vc;
	NDIS_HANDLE NdisPartyHandle;
	PMP_PARTY_STATE State;
	BOOLEAN RemoteDropped; /* ProtocolClIncomingDropParty: answer owed */
	ULONG LeafId;
	/* Handed to NDIS with the request; alive until it completes. */
	CO_CALL_PARAMETERS CallParameters;
	CO_CALL_MANAGER_PARAMETERS CallMgrParameters;
	CO_MEDIA_PARAMETERS MediaParameters;
};

struct _PMP_VC {
	LIST_ENTRY Link; /* Adapter->VcList */
	PPMP_ADAPTER Adapter;
	NDIS_HANDLE NdisVcHandle;
	NDIS_SPIN_LOCK Lock;
	LIST_ENTRY PartyList;
	PMP_VC_STATE State;
	BOOLEAN Multipoint;
	BOOLEAN RemoteClosed; /* ProtocolClIncomingCloseCall: teardown owed */
	ULONG ConnectedParties;
	ULONG PendingAdds;
	ULONG PendingDrops;
	ULONG NextLeafId;
	/* A point-to-point call's parameters (a multipoint call uses its
	 * first leaf's). */
	CO_CALL_PARAMETERS CallParameters;
	CO_CALL_MANAGER_PARAMETERS CallMgrParameters;
	CO_MEDIA_PARAMETERS MediaParameters;
};

struct _PMP_ADAPTER {
	NDIS_HANDLE NdisBindingHandle;
	NDIS_HANDLE NdisAfHandle; /* NULL until the family is open */
	NDIS_HANDLE BindContext;  /* while NdisOpenAdapterEx pends */
	NDIS_SPIN_LOCK Lock;
	LIST_ENTRY VcList;
	BOOLEAN AfOpening;
	BOOLEAN AfClosing; /* NdisClCloseAddressFamily in flight */
	/* ProtocolClNotifyCloseAf: the call manager closes the family. No
	 * new call from then on; NotifyPending while the client owes
	 * NdisClNotifyCloseAddressFamilyComplete (on NotifyAfHandle). */
	BOOLEAN Notified;
	BOOLEAN NotifyPending;
	BOOLEAN InTeardown; /* PmpTeardownAf is running */
	BOOLEAN NotifyFailed; /* a close (or a leaf's drop) failed: the
			       * notification is refused */
	NDIS_HANDLE NotifyAfHandle;
	CO_ADDRESS_FAMILY AddressFamily;
};

typedef struct _PMP_GLOBALS {
	NDIS_HANDLE ProtocolHandle;
	NPAGED_LOOKASIDE_LIST PartyLookaside;
	PPMP_ADAPTER Adapter; /* the one bound adapter, or NULL */
} PMP_GLOBALS;

extern PMP_GLOBALS PmpGlobals;

DRIVER_INITIALIZE DriverEntry;

/*
 * Requests of the control path. IRQL <= DISPATCH_LEVEL. Each returns the
 * status NDIS gave (NDIS_STATUS_PENDING: the completion follows), or
 * NDIS_STATUS_INVALID_DEVICE_REQUEST when the VC or leaf is in no state for
 * it (nothing was asked of NDIS).
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	PmpCreateVc(_In_ PPMP_ADAPTER Adapter, _Outptr_ PPMP_VC *VcOut);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	PmpMakeCall(_In_ PPMP_VC Vc, _In_ BOOLEAN Multipoint);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS PmpAddLeaf(_In_ PPMP_VC Vc);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	PmpDropLeaf(_In_ PPMP_VC Vc, _In_ PPMP_PARTY Party);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS PmpCloseCall(_In_ PPMP_VC Vc);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS PmpDeleteVc(_In_ PPMP_VC Vc);
/*
 * The worker of the indications: answers an incoming drop (drop, or close
 * with the last leaf) and an incoming close (drop the others, then close).
 * NDIS_STATUS_SUCCESS: nothing owed; NDIS_STATUS_PENDING: owed, but it
 * must wait for a request in flight; else what NDIS answered.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS PmpServiceVc(_In_ PPMP_VC Vc);

#endif /* PMPCL_CLIENT_H */
