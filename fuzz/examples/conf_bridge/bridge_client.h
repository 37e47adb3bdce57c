/*
 * bridge_client.h - private header of CBCL, the conference-bridge client:
 * a CoNDIS point-to-multipoint client that holds one multipoint call per
 * conference room, with a static table of rooms and of the leaves (the
 * participants) of each.
 *
 * The control path (the driver's IOCTL dispatch, not part of this sample)
 * calls the CbcXxx request routines below with a room number; every NDIS
 * callback is in bridge_client.c. A room's VC is created inside
 * CbcOpenRoom, the make-call routine, the first time the room is opened,
 * and kept for the room's later calls until CbcRetireRoom deletes it.
 *
 * Locking: each room's Lock protects its state, counters and leaf table;
 * Cbc.Lock protects the binding and the address family. No lock is held
 * across a call into NDIS.
 */
#ifndef CBCL_BRIDGE_CLIENT_H
#define CBCL_BRIDGE_CLIENT_H

#include <ndis.h>

#define CBCL_TAG 'lCbC'
#define CBC_ROOMS 4   /* static table: one VC per room */
#define CBC_LEAVES 6  /* participants per room */

typedef enum _CBC_LEAF_STATE {
	LeafJoining, /* NdisClMakeCall/NdisClAddParty in flight */
	LeafUp,      /* NdisPartyHandle valid */
	LeafLeaving, /* NdisClDropParty in flight: the handle is spent */
	LeafLast     /* named by NdisClCloseCall */
} CBC_LEAF_STATE;

typedef enum _CBC_ROOM_STATE {
	RoomFree,    /* no VC */
	RoomIdle,    /* a VC, no call */
	RoomCalling, /* NdisClMakeCall in flight */
	RoomOpen,
	RoomClosing  /* NdisClCloseCall in flight */
} CBC_ROOM_STATE;

typedef struct _CBC_ROOM CBC_ROOM, *PCBC_ROOM;

/* A participant (from the leaf lookaside list). */
typedef struct _CBC_LEAF {
	PCBC_ROOM Room;
	NDIS_HANDLE NdisPartyHandle;
	CBC_LEAF_STATE State;
	BOOLEAN DroppedByNetwork; /* ProtocolClIncomingDropParty: answer owed */
	/* Handed to NDIS with the request; alive until it completes. */
	CO_CALL_PARAMETERS CallParameters;
} CBC_LEAF, *PCBC_LEAF;

struct _CBC_ROOM {
	NDIS_SPIN_LOCK Lock;
	NDIS_HANDLE NdisVcHandle;
	CBC_ROOM_STATE State;
	BOOLEAN Multipoint;
	BOOLEAN ClosedByNetwork; /* ProtocolClIncomingCloseCall: owed */
	ULONG Up, Joining, Leaving;
	PCBC_LEAF Leaf[CBC_LEAVES]; /* join order; NULL: a free seat */
	CO_CALL_PARAMETERS CallParameters; /* a point-to-point call's */
};

typedef struct _CBC_GLOBALS {
	NDIS_HANDLE ProtocolHandle;
	NDIS_HANDLE BindingHandle;
	NDIS_HANDLE AfHandle; /* NULL until the family is open */
	BOOLEAN AfOpening;
	BOOLEAN AfClosing; /* NdisClCloseAddressFamily in flight */
	/* ProtocolClNotifyCloseAf: no new room or leaf from then on;
	 * NotifyPending while NdisClNotifyCloseAddressFamilyComplete is owed
	 * (on NotifyAf); InTeardown while CbcTeardown runs. */
	BOOLEAN Notified;
	BOOLEAN NotifyPending;
	BOOLEAN InTeardown;
	BOOLEAN NotifyFailed; /* a close (or a leaf's drop) failed */
	NDIS_HANDLE NotifyAf;
	CO_ADDRESS_FAMILY AddressFamily;
	NDIS_SPIN_LOCK Lock;
	NPAGED_LOOKASIDE_LIST LeafPool;
	CBC_ROOM Room[CBC_ROOMS];
	ULONG PlantedBug; /* CBC_BUG_*: the test's mistakes, 0 none */
} CBC_GLOBALS;

extern CBC_GLOBALS Cbc;

/* Planted mistakes CB<n> (set by the test glue; a shipping driver has
 * none). */
#define CBC_BUG_FORGET_DROPPED_LEAF 1 /* drop done: frees, keeps seat */
#define CBC_BUG_CLOSE_ON_RELEASE 3    /* remote close: closes at once */

DRIVER_INITIALIZE DriverEntry;

/*
 * Requests of the control path. IRQL <= DISPATCH_LEVEL. Each returns the
 * status NDIS gave (NDIS_STATUS_PENDING: the completion follows), or
 * NDIS_STATUS_INVALID_DEVICE_REQUEST when the room or leaf is in no state
 * for it (nothing was asked of NDIS). CbcOpenRoom creates the room's VC
 * first if it has none.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	CbcOpenRoom(_In_ ULONG Room, _In_ BOOLEAN Multipoint);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS CbcJoin(_In_ ULONG Room);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	CbcLeave(_In_ ULONG Room, _In_ ULONG Nth);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	CbcCloseRoom(_In_ ULONG Room);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	CbcRetireRoom(_In_ ULONG Room);
/* The worker of the indications: answers an incoming drop (drop, or close
 * with the last leaf) and an incoming close (drop the others, then close
 * with the last). NDIS_STATUS_PENDING: an answer is owed but must wait
 * for a request in flight. */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	CbcServiceRoom(_In_ ULONG Room);

PROTOCOL_CL_NOTIFY_CLOSE_AF CbcNotifyCloseAf;
PROTOCOL_UNBIND_ADAPTER_EX CbcUnbindAdapter;

#endif /* CBCL_BRIDGE_CLIENT_H */
