/*
 * partyfuzz/ndis.h - the NDIS shim: what a CoNDIS driver sees.
 *
 * The types, status values, DDIs and callback typedefs of the CoNDIS
 * point-to-multipoint party lifecycle (spec/condis-contract.md sections 1
 * and 2) under their real names and parameter lists, so that a driver's
 * party-handling code compiles against this header with few changes. The
 * DDIs are implemented by the partyfuzz engine (condis.h): they act on the
 * process's current engine instance and check every rule of the verifier
 * (rules.h) on entry.
 *
 * What is reduced, and why:
 *   - Registration: a real driver registers its handlers with
 *     NdisSetOptionalHandlers() and opens/registers an address family. Here
 *     the handler tables NDIS_CO_CLIENT_OPTIONAL_HANDLERS and
 *     NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS (real field names; handlers
 *     outside the party lifecycle are kept as untyped PVOID slots so the
 *     layout stays recognisable) are passed to cn_register_client() and
 *     cn_register_call_manager() of condis.h, which hand back the
 *     NdisBindingHandle / MiniportAdapterHandle and the NdisAfHandle.
 *   - CO_CALL_PARAMETERS keeps Flags and opaque pointers to the call-manager
 *     and media parameters; the engine never reads beyond Flags.
 *   - Address families, SAPs, incoming calls, OID requests and the send
 *     path are not modelled (rules C23, C27, C28 are out of scope, see
 *     rules.h).
 *   - NdisCmActivateVc / NdisCmDeactivateVc complete synchronously with
 *     NDIS_STATUS_SUCCESS (a real miniport may pend them).
 *
 * Handles: every NDIS_HANDLE the engine issues for a VC or a party is a
 * generation-tagged handle (party_table.h) cast to a pointer; it is never
 * dereferenced, so a stale, foreign or garbage handle is detected, never
 * followed.
 *
 * IRQL: every DDI below may be called at IRQL <= DISPATCH_LEVEL on the
 * caller's current simulated processor (rule C1); KeGetCurrentIrql() and
 * friends act on that processor (condis.h, cn_cpu_select()).
 */
#ifndef PARTYFUZZ_NDIS_H
#define PARTYFUZZ_NDIS_H

#include <stdint.h>

/* Basic types (ntdef.h / ndis.h) */

#ifndef VOID
#define VOID void
#endif
typedef void *PVOID;
typedef unsigned char UCHAR;
typedef unsigned short USHORT;
typedef unsigned int UINT;
typedef uint32_t ULONG;
typedef ULONG *PULONG;
typedef UCHAR BOOLEAN;
typedef uintptr_t ULONG_PTR;

typedef UCHAR KIRQL;
typedef KIRQL *PKIRQL;

typedef ULONG NDIS_STATUS;
typedef NDIS_STATUS *PNDIS_STATUS;
typedef PVOID NDIS_HANDLE;
typedef NDIS_HANDLE *PNDIS_HANDLE;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* SAL annotations used in prototypes: documentation only. */
#define _In_
#define _In_opt_
#define _Out_
#define _Out_opt_
#define _Inout_
#define _Inout_opt_

/* IRQLs (wdm.h) */

#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define HIGH_LEVEL 15

/*
 * Status values (ndis.h, ntstatus.h): the real numeric values. The ones a
 * party-lifecycle driver sees come first.
 *
 * NDIS_STATUS_SUCCESS, _PENDING, _FAILURE, _INVALID_PARAMETER, _RESOURCES,
 * _NOT_SUPPORTED and _INVALID_STATE are the NTSTATUS values STATUS_SUCCESS,
 * STATUS_PENDING, STATUS_UNSUCCESSFUL, STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES, STATUS_NOT_SUPPORTED and
 * STATUS_INVALID_DEVICE_STATE (ntstatus.h); the others are NDIS's own.
 */
#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)0x00000000L)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)0x00000103L)
#define NDIS_STATUS_NOT_RECOGNIZED ((NDIS_STATUS)0x00010001L)
#define NDIS_STATUS_NOT_COPIED ((NDIS_STATUS)0x00010002L)
#define NDIS_STATUS_NOT_ACCEPTED ((NDIS_STATUS)0x00010003L)
#define NDIS_STATUS_CALL_ACTIVE ((NDIS_STATUS)0x00010007L)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)0xC0000001L)
#define NDIS_STATUS_INVALID_PARAMETER ((NDIS_STATUS)0xC000000DL)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)0xC000009AL)
#define NDIS_STATUS_NOT_SUPPORTED ((NDIS_STATUS)0xC00000BBL)
#define NDIS_STATUS_INVALID_STATE ((NDIS_STATUS)0xC0000184L)
#define NDIS_STATUS_CLOSING ((NDIS_STATUS)0xC0010002L)
#define NDIS_STATUS_REQUEST_ABORTED ((NDIS_STATUS)0xC001000CL)
#define NDIS_STATUS_CLOSING_INDICATING ((NDIS_STATUS)0xC001000EL)
#define NDIS_STATUS_INVALID_LENGTH ((NDIS_STATUS)0xC0010014L)
#define NDIS_STATUS_INVALID_DATA ((NDIS_STATUS)0xC0010015L)

/* NDIS_OBJECT_HEADER (ntddndis.h) and the handler-table object types. */
typedef struct _NDIS_OBJECT_HEADER {
	UCHAR Type;
	UCHAR Revision;
	USHORT Size;
} NDIS_OBJECT_HEADER, *PNDIS_OBJECT_HEADER;

#define NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS 0xA5
#define NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS 0xA6
#define NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1 1
#define NDIS_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1 1

/* Call parameters (reduced; see the file comment). */
typedef struct _CO_CALL_PARAMETERS {
	ULONG Flags;
	PVOID CallMgrParameters; /* PCO_CALL_MANAGER_PARAMETERS in ndis.h */
	PVOID MediaParameters;   /* PCO_MEDIA_PARAMETERS in ndis.h */
} CO_CALL_PARAMETERS, *PCO_CALL_PARAMETERS;

/* Flags of CO_CALL_PARAMETERS */
#define PERMANENT_VC 0x00000001
#define CALL_PARAMETERS_CHANGED 0x00000002
#define QUERY_CALL_PARAMETERS 0x00000004
#define BROADCAST_VC 0x00000008
#define MULTIPOINT_VC 0x00000010

/*
 * Callback types (NDIS 6 style: a function type PROTOCOL_X and the pointer
 * type X_HANDLER). Every callback runs at IRQL <= DISPATCH_LEVEL: at the
 * IRQL of the context that caused it, DISPATCH_LEVEL when NDIS delivers it
 * from a DPC (spec A12).
 */

/* ProtocolCoCreateVc: never returns NDIS_STATUS_PENDING (C26). */
typedef NDIS_STATUS(PROTOCOL_CO_CREATE_VC)(
	_In_ NDIS_HANDLE ProtocolAfContext, _In_ NDIS_HANDLE NdisVcHandle,
	_Out_ PNDIS_HANDLE ProtocolVcContext);
typedef PROTOCOL_CO_CREATE_VC *CO_CREATE_VC_HANDLER;

/* ProtocolCoDeleteVc: never returns NDIS_STATUS_PENDING (C26). */
typedef NDIS_STATUS(PROTOCOL_CO_DELETE_VC)(_In_ NDIS_HANDLE ProtocolVcContext);
typedef PROTOCOL_CO_DELETE_VC *CO_DELETE_VC_HANDLER;

/* Client side */

typedef VOID(PROTOCOL_CL_MAKE_CALL_COMPLETE)(
	_In_ NDIS_STATUS Status, _In_ NDIS_HANDLE ProtocolVcContext,
	_In_opt_ NDIS_HANDLE NdisPartyHandle,
	_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CL_MAKE_CALL_COMPLETE *CL_MAKE_CALL_COMPLETE_HANDLER;

typedef VOID(PROTOCOL_CL_CLOSE_CALL_COMPLETE)(
	_In_ NDIS_STATUS Status, _In_ NDIS_HANDLE ProtocolVcContext,
	_In_opt_ NDIS_HANDLE ProtocolPartyContext);
typedef PROTOCOL_CL_CLOSE_CALL_COMPLETE *CL_CLOSE_CALL_COMPLETE_HANDLER;

typedef VOID(PROTOCOL_CL_ADD_PARTY_COMPLETE)(
	_In_ NDIS_STATUS Status, _In_ NDIS_HANDLE ProtocolPartyContext,
	_In_ NDIS_HANDLE NdisPartyHandle,
	_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CL_ADD_PARTY_COMPLETE *CL_ADD_PARTY_COMPLETE_HANDLER;

typedef VOID(PROTOCOL_CL_DROP_PARTY_COMPLETE)(
	_In_ NDIS_STATUS Status, _In_ NDIS_HANDLE ProtocolPartyContext);
typedef PROTOCOL_CL_DROP_PARTY_COMPLETE *CL_DROP_PARTY_COMPLETE_HANDLER;

typedef VOID(PROTOCOL_CL_INCOMING_CLOSE_CALL)(
	_In_ NDIS_STATUS CloseStatus, _In_ NDIS_HANDLE ProtocolVcContext,
	_In_opt_ PVOID CloseData, _In_opt_ UINT Size);
typedef PROTOCOL_CL_INCOMING_CLOSE_CALL *CL_INCOMING_CLOSE_CALL_HANDLER;

typedef VOID(PROTOCOL_CL_INCOMING_DROP_PARTY)(
	_In_ NDIS_STATUS DropStatus, _In_ NDIS_HANDLE ProtocolPartyContext,
	_In_opt_ PVOID CloseData, _In_opt_ UINT Size);
typedef PROTOCOL_CL_INCOMING_DROP_PARTY *CL_INCOMING_DROP_PARTY_HANDLER;

/* Call-manager side (stand-alone CM and MCM share these, spec section 1) */

typedef NDIS_STATUS(PROTOCOL_CM_MAKE_CALL)(
	_In_ NDIS_HANDLE CallMgrVcContext,
	_Inout_ PCO_CALL_PARAMETERS CallParameters,
	_In_opt_ NDIS_HANDLE NdisPartyHandle,
	_Out_opt_ PNDIS_HANDLE CallMgrPartyContext);
typedef PROTOCOL_CM_MAKE_CALL *CM_MAKE_CALL_HANDLER;

typedef NDIS_STATUS(PROTOCOL_CM_CLOSE_CALL)(
	_In_ NDIS_HANDLE CallMgrVcContext,
	_In_opt_ NDIS_HANDLE CallMgrPartyContext, _In_opt_ PVOID CloseData,
	_In_opt_ UINT Size);
typedef PROTOCOL_CM_CLOSE_CALL *CM_CLOSE_CALL_HANDLER;

typedef NDIS_STATUS(PROTOCOL_CM_ADD_PARTY)(
	_In_ NDIS_HANDLE CallMgrVcContext,
	_Inout_ PCO_CALL_PARAMETERS CallParameters,
	_In_ NDIS_HANDLE NdisPartyHandle,
	_Out_ PNDIS_HANDLE CallMgrPartyContext);
typedef PROTOCOL_CM_ADD_PARTY *CM_ADD_PARTY_HANDLER;

typedef NDIS_STATUS(PROTOCOL_CM_DROP_PARTY)(
	_In_ NDIS_HANDLE CallMgrPartyContext, _In_opt_ PVOID CloseData,
	_In_opt_ UINT Size);
typedef PROTOCOL_CM_DROP_PARTY *CM_DROP_PARTY_HANDLER;

/*
 * Handler tables. Field names and order are the real ones; the handlers the
 * engine never calls are PVOID and must be NULL or anything: they are
 * ignored.
 */
typedef struct _NDIS_CO_CLIENT_OPTIONAL_HANDLERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Reserved;
	CO_CREATE_VC_HANDLER ClCreateVcHandler;
	CO_DELETE_VC_HANDLER ClDeleteVcHandler;
	PVOID ClOidRequestHandler;
	PVOID ClOidRequestCompleteHandler;
	PVOID ClOpenAfCompleteHandlerEx;
	PVOID ClCloseAfCompleteHandler;
	PVOID ClRegisterSapCompleteHandler;
	PVOID ClDeregisterSapCompleteHandler;
	CL_MAKE_CALL_COMPLETE_HANDLER ClMakeCallCompleteHandler;
	PVOID ClModifyCallQoSCompleteHandler;
	CL_CLOSE_CALL_COMPLETE_HANDLER ClCloseCallCompleteHandler;
	CL_ADD_PARTY_COMPLETE_HANDLER ClAddPartyCompleteHandler;
	CL_DROP_PARTY_COMPLETE_HANDLER ClDropPartyCompleteHandler;
	PVOID ClIncomingCallHandler;
	PVOID ClIncomingCallQoSChangeHandler;
	CL_INCOMING_CLOSE_CALL_HANDLER ClIncomingCloseCallHandler;
	CL_INCOMING_DROP_PARTY_HANDLER ClIncomingDropPartyHandler;
	PVOID ClCallConnectedHandler;
	PVOID ClNotifyCloseAfHandler;
} NDIS_CO_CLIENT_OPTIONAL_HANDLERS, *PNDIS_CO_CLIENT_OPTIONAL_HANDLERS;

typedef struct _NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Reserved;
	CO_CREATE_VC_HANDLER CmCreateVcHandler;
	CO_DELETE_VC_HANDLER CmDeleteVcHandler;
	PVOID CmOpenAfHandler;
	PVOID CmCloseAfHandler;
	PVOID CmRegisterSapHandler;
	PVOID CmDeregisterSapHandler;
	CM_MAKE_CALL_HANDLER CmMakeCallHandler;
	CM_CLOSE_CALL_HANDLER CmCloseCallHandler;
	PVOID CmIncomingCallCompleteHandler;
	CM_ADD_PARTY_HANDLER CmAddPartyHandler;
	CM_DROP_PARTY_HANDLER CmDropPartyHandler;
	PVOID CmActivateVcCompleteHandler;
	PVOID CmDeactivateVcCompleteHandler;
	PVOID CmModifyCallQoSHandler;
	PVOID CmOidRequestHandler;
	PVOID CmOidRequestCompleteHandler;
	PVOID CmNotifyCloseAfCompleteHandler;
} NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS,
	*PNDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS;

/*
 * Kernel IRQL routines (wdm.h), on the current simulated processor.
 * KeRaiseIrql to a lower level or KeLowerIrql to a higher one is reported
 * as C1 and ignored.
 */
KIRQL KeGetCurrentIrql(void);
VOID KeRaiseIrql(_In_ KIRQL NewIrql, _Out_ PKIRQL OldIrql);
VOID KeLowerIrql(_In_ KIRQL NewIrql);

/* VC creation and deletion (client; stand-alone CM for CM-created VCs). */
NDIS_STATUS NdisCoCreateVc(_In_ NDIS_HANDLE NdisBindingHandle,
			   _In_opt_ NDIS_HANDLE NdisAfHandle,
			   _In_ NDIS_HANDLE ProtocolVcContext,
			   _Inout_ PNDIS_HANDLE NdisVcHandle);
NDIS_STATUS NdisCoDeleteVc(_In_ NDIS_HANDLE NdisVcHandle);

/* Client requests */
NDIS_STATUS NdisClMakeCall(_In_ NDIS_HANDLE NdisVcHandle,
			   _Inout_ PCO_CALL_PARAMETERS CallParameters,
			   _In_opt_ NDIS_HANDLE ProtocolPartyContext,
			   _Out_opt_ PNDIS_HANDLE NdisPartyHandle);
NDIS_STATUS NdisClCloseCall(_In_ NDIS_HANDLE NdisVcHandle,
			    _In_opt_ NDIS_HANDLE NdisPartyHandle,
			    _In_opt_ PVOID Buffer, _In_opt_ UINT Size);
NDIS_STATUS NdisClAddParty(_In_ NDIS_HANDLE NdisVcHandle,
			   _In_ NDIS_HANDLE ProtocolPartyContext,
			   _Inout_ PCO_CALL_PARAMETERS CallParameters,
			   _Out_ PNDIS_HANDLE NdisPartyHandle);
NDIS_STATUS NdisClDropParty(_In_ NDIS_HANDLE NdisPartyHandle,
			    _In_opt_ PVOID Buffer, _In_opt_ UINT Size);

/* Stand-alone call manager */
NDIS_STATUS NdisCmActivateVc(_In_ NDIS_HANDLE NdisVcHandle,
			     _Inout_ PCO_CALL_PARAMETERS CallParameters);
NDIS_STATUS NdisCmDeactivateVc(_In_ NDIS_HANDLE NdisVcHandle);
VOID NdisCmMakeCallComplete(_In_ NDIS_STATUS Status,
			    _In_ NDIS_HANDLE NdisVcHandle,
			    _In_opt_ NDIS_HANDLE NdisPartyHandle,
			    _In_opt_ NDIS_HANDLE CallMgrPartyContext,
			    _In_ PCO_CALL_PARAMETERS CallParameters);
VOID NdisCmCloseCallComplete(_In_ NDIS_STATUS Status,
			     _In_ NDIS_HANDLE NdisVcHandle,
			     _In_opt_ NDIS_HANDLE NdisPartyHandle);
VOID NdisCmAddPartyComplete(_In_ NDIS_STATUS Status,
			    _In_ NDIS_HANDLE NdisPartyHandle,
			    _In_opt_ NDIS_HANDLE CallMgrPartyContext,
			    _In_ PCO_CALL_PARAMETERS CallParameters);
VOID NdisCmDropPartyComplete(_In_ NDIS_STATUS Status,
			     _In_ NDIS_HANDLE NdisPartyHandle);
VOID NdisCmDispatchIncomingDropParty(_In_ NDIS_STATUS DropStatus,
				     _In_ NDIS_HANDLE NdisPartyHandle,
				     _In_opt_ PVOID Buffer,
				     _In_opt_ UINT Size);
VOID NdisCmDispatchIncomingCloseCall(_In_ NDIS_STATUS CloseStatus,
				     _In_ NDIS_HANDLE NdisVcHandle,
				     _In_opt_ PVOID Buffer,
				     _In_opt_ UINT Size);

/* Miniport call manager (MCM): the same semantics, MCM role only (C5). */
NDIS_STATUS NdisMCmCreateVc(_In_ NDIS_HANDLE MiniportAdapterHandle,
			    _In_ NDIS_HANDLE NdisAfHandle,
			    _In_ NDIS_HANDLE MiniportVcContext,
			    _Out_ PNDIS_HANDLE NdisVcHandle);
NDIS_STATUS NdisMCmDeleteVc(_In_ NDIS_HANDLE NdisVcHandle);
NDIS_STATUS NdisMCmActivateVc(_In_ NDIS_HANDLE NdisVcHandle,
			      _In_ PCO_CALL_PARAMETERS CallParameters);
NDIS_STATUS NdisMCmDeactivateVc(_In_ NDIS_HANDLE NdisVcHandle);
VOID NdisMCmMakeCallComplete(_In_ NDIS_STATUS Status,
			     _In_ NDIS_HANDLE NdisVcHandle,
			     _In_opt_ NDIS_HANDLE NdisPartyHandle,
			     _In_opt_ NDIS_HANDLE CallMgrPartyContext,
			     _In_ PCO_CALL_PARAMETERS CallParameters);
VOID NdisMCmCloseCallComplete(_In_ NDIS_STATUS Status,
			      _In_ NDIS_HANDLE NdisVcHandle,
			      _In_opt_ NDIS_HANDLE NdisPartyHandle);
VOID NdisMCmAddPartyComplete(_In_ NDIS_STATUS Status,
			     _In_ NDIS_HANDLE NdisPartyHandle,
			     _In_opt_ NDIS_HANDLE CallMgrPartyContext,
			     _In_ PCO_CALL_PARAMETERS CallParameters);
VOID NdisMCmDropPartyComplete(_In_ NDIS_STATUS Status,
			      _In_ NDIS_HANDLE NdisPartyHandle);
VOID NdisMCmDispatchIncomingDropParty(_In_ NDIS_STATUS DropStatus,
				      _In_ NDIS_HANDLE NdisPartyHandle,
				      _In_opt_ PVOID Buffer,
				      _In_opt_ UINT Size);
VOID NdisMCmDispatchIncomingCloseCall(_In_ NDIS_STATUS CloseStatus,
				      _In_ NDIS_HANDLE NdisVcHandle,
				      _In_opt_ PVOID Buffer,
				      _In_opt_ UINT Size);

#endif /* PARTYFUZZ_NDIS_H */
