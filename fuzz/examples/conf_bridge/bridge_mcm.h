/*
 * bridge_mcm.h - private header of CBMP, the conference bridge's miniport
 * call manager (an MCM): it signals each setup, add, drop and release to
 * the bridge hardware and keeps static tables of its VCs, their parties
 * and its outstanding transactions.
 *
 * The hardware layer (hw.c in the real driver; the test glue here)
 * answers CbmHwSignal() at once (accepted or rejected) or later, through
 * CbmHwComplete(); the network's own events arrive as CbmHwPartyLeft()
 * (a participant hung up) and CbmHwRoomReleased() (the far end released
 * the conference).
 *
 * Locking: Cbm.Lock protects every table. No lock is held across a call
 * into NDIS.
 */
#ifndef CBMP_BRIDGE_MCM_H
#define CBMP_BRIDGE_MCM_H

#include <ndis.h>

#define CBMP_TAG 'pMbC'
#define CBM_VCS 4      /* static VC table */
#define CBM_PARTIES 8  /* parties per VC */
#define CBM_PENDING 16 /* outstanding transactions, oldest first */

typedef enum _CBM_CALL_STATE {
	CbmIdle,
	CbmSetup,  /* SETUP outstanding */
	CbmActive,
	CbmRelease /* RELEASE outstanding */
} CBM_CALL_STATE;

typedef enum _CBM_PARTY_STATE {
	CbmJoining, /* SETUP or ADD PARTY outstanding */
	CbmJoined,
	CbmLeaving, /* DROP PARTY outstanding */
	CbmLast     /* the party of the RELEASE */
} CBM_PARTY_STATE;

typedef enum _CBM_TXN_TYPE {
	CbmTxnSetup,
	CbmTxnAddParty,
	CbmTxnDropParty,
	CbmTxnRelease
} CBM_TXN_TYPE;

typedef struct _CBM_VC CBM_VC, *PCBM_VC;

typedef struct _CBM_PARTY { /* from the party lookaside list */
	PCBM_VC Vc;
	NDIS_HANDLE NdisPartyHandle;
	CBM_PARTY_STATE State;
	BOOLEAN HungUp; /* CbmHwPartyLeft indicated it */
} CBM_PARTY, *PCBM_PARTY;

struct _CBM_VC {
	BOOLEAN InUse;
	NDIS_HANDLE NdisVcHandle;
	CBM_CALL_STATE State;
	BOOLEAN Released; /* CbmHwRoomReleased indicated it */
	PCBM_PARTY Party[CBM_PARTIES];
};

typedef struct _CBM_TXN { /* from the transaction lookaside list */
	CBM_TXN_TYPE Type;
	PCBM_VC Vc;
	PCBM_PARTY Party;
	PCO_CALL_PARAMETERS CallParameters;
} CBM_TXN, *PCBM_TXN;

typedef enum _CBM_HW_RESULT {
	CbmHwAccepted,
	CbmHwRejected,   /* *Reject says why */
	CbmHwOutstanding /* CbmHwComplete follows */
} CBM_HW_RESULT;

typedef struct _CBM_GLOBALS {
	NDIS_HANDLE MiniportDriverHandle;
	NDIS_HANDLE MiniportAdapterHandle;
	NDIS_HANDLE NdisAfHandle;
	BOOLEAN AfNotifying; /* NdisMCmNotifyCloseAddressFamily pends */
	BOOLEAN Initialized;
	NDIS_SPIN_LOCK Lock;
	NPAGED_LOOKASIDE_LIST PartyPool, TxnPool;
	CBM_VC Vc[CBM_VCS];
	PCBM_TXN Pending[CBM_PENDING];
	ULONG PendingCount;
	ULONG PlantedBug; /* CBM_BUG_*: the test's mistakes, 0 none */
} CBM_GLOBALS;

extern CBM_GLOBALS Cbm;

/* Planted mistakes CB<n> (set by the test glue; a shipping driver has
 * none). */
#define CBM_BUG_NO_FAILED_ADD_COMPLETION 2 /* failed add: not completed */
#define CBM_BUG_KEEP_DROPPED_PARTY 4 /* pended drop done: party kept */

DRIVER_INITIALIZE DriverEntry;
MINIPORT_HALT CbmHalt;
MINIPORT_UNLOAD CbmUnload;

/* The hardware layer, below the MCM (hw.c). IRQL <= DISPATCH_LEVEL. */
CBM_HW_RESULT CbmHwSignal(_In_ PCBM_TXN Txn, _Out_ PNDIS_STATUS Reject);

/* Above it, called by the hardware layer: transaction @Nth (oldest first,
 * modulo their number) answered with @Status; participant @Nth (over the
 * active conferences, among the ones the network may drop) hung up;
 * conference @Nth (among the active ones) released. IRQL <=
 * DISPATCH_LEVEL. */
VOID CbmHwComplete(_In_ ULONG Nth, _In_ NDIS_STATUS Status);
VOID CbmHwPartyLeft(_In_ ULONG Nth, _In_ NDIS_STATUS Cause);
VOID CbmHwRoomReleased(_In_ ULONG Nth, _In_ NDIS_STATUS Cause);

/* The halt path's first step, at PASSIVE_LEVEL: have NDIS ask the client
 * to close the family (NdisMCmNotifyCloseAddressFamily), once. */
_IRQL_requires_(PASSIVE_LEVEL) VOID CbmCloseClientAf(VOID);

#endif /* CBMP_BRIDGE_MCM_H */
