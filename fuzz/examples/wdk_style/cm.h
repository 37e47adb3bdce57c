/*
 * cm.h - private header of the QMCM sample: the integrated call manager
 * of a CoNDIS miniport (an MCM) that signals point-to-multipoint calls
 * with Q.2931.
 *
 * Call management (cm.c) turns each request NDIS hands it into a
 * signalling transaction for the hardware layer (hw.c in the full driver,
 * not part of this sample): McmHwSendSignal() either has the network's
 * answer at once or leaves the transaction outstanding, and the hardware
 * layer reports answers and network events back through McmHwSignal-
 * Complete(), McmHwRemoteDropParty() and McmHwRemoteRelease().
 *
 * Locking: Adapter->Lock protects every list and state below. No lock is
 * held across a call into NDIS or into the hardware layer.
 */
#ifndef QMCM_CM_H
#define QMCM_CM_H

#include <ndis.h>

#define QMCM_TAG 'mcMQ'

typedef struct _MCM_ADAPTER MCM_ADAPTER, *PMCM_ADAPTER;
typedef struct _MCM_VC MCM_VC, *PMCM_VC;
typedef struct _MCM_PARTY MCM_PARTY, *PMCM_PARTY;
typedef struct _MCM_REQUEST MCM_REQUEST, *PMCM_REQUEST;

typedef enum _MCM_PARTY_STATE {
	LeafSetup, /* SETUP/ADD PARTY sent */
	LeafConnected,
	LeafRemoteDropped, /* the network dropped it; the client answers */
	LeafDropping,      /* DROP PARTY sent */
	LeafClosing        /* RELEASE sent with it as the last leaf */
} MCM_PARTY_STATE;

typedef enum _MCM_VC_STATE {
	CallIdle,
	CallSetup, /* SETUP sent */
	CallActive,
	CallReleasing /* RELEASE sent */
} MCM_VC_STATE;

struct _MCM_PARTY {
	LIST_ENTRY Link; /* Vc->PartyList */
	PMCM_VC Vc;
	/* Its pool's owner: the client may delete the VC (and free Vc)
	 * from the completion that ends the leaf, before it goes back. */
	PMCM_ADAPTER Adapter;
	NDIS_HANDLE NdisPartyHandle; /* kept for every later NDIS call */
	MCM_PARTY_STATE State;
	MCM_PARTY_STATE StateBeforeDrop; /* a failed drop goes back here */
	ULONG EndpointReference; /* Q.2931 leaf identifier */
};

struct _MCM_VC {
	LIST_ENTRY Link; /* Adapter->VcList */
	PMCM_ADAPTER Adapter;
	NDIS_HANDLE NdisVcHandle;
	MCM_VC_STATE State;
	BOOLEAN RemoteReleased; /* incoming close dispatched */
	LIST_ENTRY PartyList;
	ULONG NextEndpointReference;
};

typedef enum _MCM_REQUEST_TYPE {
	SignalSetup,     /* ProtocolCmMakeCall */
	SignalAddParty,  /* ProtocolCmAddParty */
	SignalDropParty, /* ProtocolCmDropParty */
	SignalRelease    /* ProtocolCmCloseCall */
} MCM_REQUEST_TYPE;

/* One signalling transaction (from the request lookaside list). */
struct _MCM_REQUEST {
	LIST_ENTRY Link; /* Adapter->PendingList while outstanding */
	MCM_REQUEST_TYPE Type;
	PMCM_VC Vc;
	PMCM_PARTY Party; /* NULL for a point-to-point call */
	PCO_CALL_PARAMETERS CallParameters;
};

struct _MCM_ADAPTER {
	NDIS_HANDLE MiniportAdapterHandle;
	NDIS_HANDLE NdisAfHandle;
	NDIS_SPIN_LOCK Lock;
	LIST_ENTRY VcList;
	LIST_ENTRY PendingList;
	NPAGED_LOOKASIDE_LIST RequestLookaside;
	NPAGED_LOOKASIDE_LIST PartyLookaside;
	BOOLEAN AfOpen;
	BOOLEAN AfNotifying; /* NdisMCmNotifyCloseAddressFamily pends */
};

typedef struct _MCM_GLOBALS {
	NDIS_HANDLE MiniportDriverHandle;
	PMCM_ADAPTER Adapter;
} MCM_GLOBALS;

extern MCM_GLOBALS McmGlobals;

DRIVER_INITIALIZE DriverEntry;

/* The halt path's first step: ask NDIS to have the client close its
 * family (NdisMCmNotifyCloseAddressFamily), once. */
_IRQL_requires_(PASSIVE_LEVEL) VOID
	McmCloseClientAf(_In_ PMCM_ADAPTER Adapter);

/*
 * The hardware layer (hw.c). McmHwSendSignal: McmSignalAccepted (the
 * network agreed at once), McmSignalRejected (*RejectStatus says why) or
 * McmSignalOutstanding (McmHwSignalComplete follows). IRQL <=
 * DISPATCH_LEVEL.
 */
typedef enum _MCM_SIGNAL_RESULT {
	McmSignalAccepted,
	McmSignalRejected,
	McmSignalOutstanding
} MCM_SIGNAL_RESULT;

_IRQL_requires_max_(DISPATCH_LEVEL) MCM_SIGNAL_RESULT
	McmHwSendSignal(_In_ PMCM_ADAPTER Adapter, _In_ PMCM_REQUEST Request,
			_Out_ PNDIS_STATUS RejectStatus);

/* From the hardware layer: the answer to an outstanding transaction. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	McmHwSignalComplete(_In_ PMCM_ADAPTER Adapter,
			    _In_ PMCM_REQUEST Request,
			    _In_ NDIS_STATUS Status);
/* From the hardware layer: the network dropped a leaf (DROP PARTY). */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	McmHwRemoteDropParty(_In_ PMCM_ADAPTER Adapter, _In_ PMCM_PARTY Party,
			     _In_ NDIS_STATUS Cause);
/* From the hardware layer: the network released the call (RELEASE). */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	McmHwRemoteRelease(_In_ PMCM_ADAPTER Adapter, _In_ PMCM_VC Vc,
			   _In_ NDIS_STATUS Cause);

#endif /* QMCM_CM_H */
