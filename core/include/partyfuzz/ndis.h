/*
 * partyfuzz/ndis.h - the NDIS shim: what a CoNDIS driver sees.
 *
 * A driver source written for the WDK compiles against this header
 * unchanged (`#include <ndis.h>` finds it through core/include/wdk/, which
 * pt_add_driver_fuzzer() puts on the include path): the names, types,
 * values, macros and role types of everything a CoNDIS client, stand-alone
 * call manager (CM) or miniport call manager (MCM) uses around parties
 * (spec/condis-contract.md sections 1 and 2): SAL annotations, the kernel
 * base types, lists, strings, spin locks, memory, lookaside lists,
 * interlocked operations, IRQL routines, protocol and miniport
 * registration, optional-handler registration, address-family and SAP
 * bring-up, VCs, calls and parties. The declarations are written from the
 * DDI reference pages (cited by page name in the spec); no WDK header text
 * is copied.
 *
 * Every function below is implemented by the partyfuzz engine (condis.h):
 * it acts on the process's current engine instance, checks the caller's
 * IRQL against its page (rule C1) and every rule of the verifier (rules.h)
 * on entry. A violating call is reported and rejected (condis.h,
 * "Verifier").
 *
 * Faithful to the WDK:
 *   - NDIS_STATUS is a signed int and NTSTATUS a 32-bit LONG, with the
 *     real values, so `Status < 0`, NT_SUCCESS() and switch statements
 *     behave as in the kernel.
 *   - Handler types follow the role-type pattern: PROTOCOL_CL_X is the
 *     function type (a driver declares `PROTOCOL_CL_X MyX;` and defines
 *     it with _Use_decl_annotations_), CL_X_HANDLER the pointer type.
 *     Every handler field of the characteristics and optional-handler
 *     tables has its real type.
 *   - NdisMCmMakeCallComplete, NdisMCmAddPartyComplete,
 *     NdisMCmDropPartyComplete, NdisMCmCloseCallComplete,
 *     NdisMCmDispatchIncomingDropParty/CloseCall,
 *     NdisMCmDispatchIncomingCall, NdisMCmDispatchCallConnected,
 *     NdisMCmOpenAddressFamilyComplete, NdisMCmCloseAddressFamilyComplete,
 *     NdisMCmNotifyCloseAddressFamily,
 *     NdisMCmRegisterSapComplete and NdisMCmDeregisterSapComplete are
 *     MACROS over the NdisCm* functions, as in the WDK. NdisMCmCreateVc,
 *     NdisMCmDeleteVc, NdisMCmActivateVc, NdisMCmDeactivateVc and
 *     NdisMCmRegisterAddressFamilyEx are real functions. So rule C5 (an
 *     MCM uses only NdisMCm*, a stand-alone CM only NdisCm* and NdisCo*) can
 *     be checked only on the functions that stay distinct: an MCM calling
 *     NdisCmActivateVc, NdisCmDeactivateVc, NdisCmRegisterAddressFamilyEx
 *     or NdisCoCreateVc, a stand-alone CM calling one of the five NdisMCm*
 *     functions. The engine names a macro'd call after the family of the
 *     registered call manager in its trace (it cannot tell the spellings
 *     apart either).
 *
 * What is reduced, and why:
 *   - Structures NDIS owns and a driver only passes on (NET_BUFFER_LIST,
 *     NDIS_OID_REQUEST, NDIS_STATUS_INDICATION, NET_PNP_EVENT_NOTIFICATION,
 *     DEVICE_OBJECT) are incomplete types. DRIVER_OBJECT,
 *     NDIS_BIND_PARAMETERS, NDIS_MINIPORT_INIT_PARAMETERS and the
 *     lookaside list keep their leading real fields only (a driver reads
 *     them, never allocates them).
 *   - Sends are modelled (NdisCoSendNetBufferLists, the MCM's
 *     MiniportCoSendNetBufferLists and NdisMCoSendNetBufferListsComplete,
 *     the client's ProtocolCoSendNetBufferListsComplete: rule C23);
 *     so are the client's OID requests to the call manager
 *     (NdisCoOidRequest, NdisCoOidRequestComplete), and so are incoming
 *     calls (condis_incoming.c: C24, C27); receives, the call manager's
 *     OID requests to the client and QoS changes are not: their handler
 *     types and table fields are here, so a real table compiles, but the
 *     engine never calls them and provides none of their DDIs.
 *   - One adapter: every protocol driver binds to it (NDIS calls
 *     ProtocolBindAdapterEx from NdisRegisterProtocolDriver, as its page
 *     allows: "be prepared for an immediate call"), the MCM is its
 *     miniport (MiniportInitializeEx runs from NdisMRegisterMiniportDriver),
 *     a call manager registers one address family on it, and NDIS offers it
 *     to the bound client (ProtocolCoAfRegisterNotify) once the outermost
 *     registration call is about to return. NdisOpenAdapterEx completes
 *     synchronously.
 *   - NdisCmActivateVc / NdisCmDeactivateVc complete synchronously with
 *     NDIS_STATUS_SUCCESS (a real miniport may pend them).
 *   - Spin locks, memory and lookaside lists are real (malloc'd memory, so
 *     ASan sees a driver's use-after-free and LSan its leaks), with their
 *     IRQL checked (C1) and the state of every spin lock kept by the
 *     engine (rule S1). Interlocked operations are plain operations: the
 *     simulated processors are cooperative, nothing interleaves inside one.
 *
 * Handles: every NDIS_HANDLE the engine issues is a generation-tagged
 * handle (party_table.h) cast to a pointer; it is never dereferenced, so a
 * stale, foreign or garbage handle is detected, never followed.
 *
 * IRQL: every DDI below may be called at IRQL <= DISPATCH_LEVEL on the
 * caller's current simulated processor (rule C1), except where its
 * declaration says PASSIVE_LEVEL (registration, binding) or
 * DISPATCH_LEVEL (NdisDpr*); KeGetCurrentIrql() and friends act on that
 * processor (condis.h, cn_cpu_select()).
 */
#ifndef PARTYFUZZ_NDIS_H
#define PARTYFUZZ_NDIS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pool tags are multi-character constants ('PmpC'), which MSVC takes
 * silently and gcc and clang warn about: a driver source compiles as it
 * does with the WDK.
 */
#pragma GCC diagnostic ignored "-Wmultichar"

/*
 * SAL annotations (sal.h, driverspecs.h): no-ops. Function-like ones take
 * any arguments.
 */
#ifndef _Use_decl_annotations_
#define _Use_decl_annotations_
#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _Out_
#define _Out_opt_
#define _Inout_
#define _Inout_opt_
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_opt_result_maybenull_
#define _Must_inspect_result_
#define _Check_return_
#define _Ret_maybenull_
#define _Post_invalid_
#define _Post_maybenull_
#define _Pre_notnull_
#define _Notnull_
#define _Maybenull_
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Kernel_float_saved_
#define _Kernel_float_restored_
#define _IRQL_requires_same_
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_uses_cancel_
#define _IRQL_is_cancel_
#define _Printf_format_string_
#define _Pre_
#define _Post_
#define _In_reads_(...)
#define _In_reads_opt_(...)
#define _In_reads_bytes_(...)
#define _In_reads_bytes_opt_(...)
#define _Out_writes_(...)
#define _Out_writes_opt_(...)
#define _Out_writes_bytes_(...)
#define _Out_writes_bytes_opt_(...)
#define _Out_writes_bytes_to_(...)
#define _Inout_updates_(...)
#define _Inout_updates_bytes_(...)
#define _Field_size_(...)
#define _Field_size_bytes_(...)
#define _Field_range_(...)
#define _In_range_(...)
#define _Out_range_(...)
#define _Ret_range_(...)
#define _Post_writable_byte_size_(...)
#define _Post_satisfies_(...)
#define _Pre_satisfies_(...)
#define _Success_(...)
#define _Return_type_success_(...)
#define _When_(...)
#define _At_(...)
#define _At_buffer_(...)
#define _Function_class_(...)
#define _Dispatch_type_(...)
#define _IRQL_requires_(...)
#define _IRQL_requires_max_(...)
#define _IRQL_requires_min_(...)
#define _IRQL_raises_(...)
#define _IRQL_saves_global_(...)
#define _IRQL_restores_global_(...)
#define _IRQL_always_function_max_(...)
#define _IRQL_always_function_min_(...)
#define _Requires_lock_held_(...)
#define _Requires_lock_not_held_(...)
#define _Requires_exclusive_lock_held_(...)
#define _Requires_shared_lock_held_(...)
#define _Acquires_lock_(...)
#define _Acquires_exclusive_lock_(...)
#define _Acquires_shared_lock_(...)
#define _Releases_lock_(...)
#define _Releases_exclusive_lock_(...)
#define _Releases_shared_lock_(...)
#define _Guarded_by_(...)
#define _Interlocked_
#define _Interlocked_operand_
#define _Analysis_assume_(...)
#define _Analysis_assume_lock_held_(...)
#define _Analysis_assume_lock_not_held_(...)
#define _Kernel_requires_resource_held_(...)
#define _Kernel_requires_resource_not_held_(...)
#define _Kernel_acquires_resource_(...)
#define _Kernel_releases_resource_(...)
#define _Kernel_clear_do_init_(...)
#define _Strict_type_match_
#define _Points_to_data_
#define _Literal_
#define _Notliteral_
#define _Struct_size_bytes_(...)
/* driverspecs.h */
#define __drv_allocatesMem(...)
#define __drv_freesMem(...)
#define __drv_aliasesMem
#define __drv_when(...)
#define __drv_requiresIRQL(...)
#define __drv_maxIRQL(...)
#define __drv_minIRQL(...)
#define __drv_setsIRQL(...)
#define __drv_raisesIRQL(...)
#define __drv_savesIRQL
#define __drv_restoresIRQL
#define __drv_savesIRQLGlobal(...)
#define __drv_restoresIRQLGlobal(...)
#define __drv_sameIRQL
#define __drv_functionClass(...)
#define __drv_dispatchType(...)
#define __drv_acquiresResource(...)
#define __drv_releasesResource(...)
#define __drv_acquiresExclusiveResource(...)
#define __drv_releasesExclusiveResource(...)
#define __drv_mustHold(...)
#define __drv_neverHold(...)
#define __drv_mustHoldGlobal(...)
#define __drv_neverHoldGlobal(...)
#define __drv_preferredFunction(...)
#define __drv_reportError(...)
#define __drv_strictTypeMatch(...)
#define __drv_isObjectPointer
#define __drv_clearDoInit(...)
#define __drv_inTry
#define __drv_notInTry
#define __drv_arg(...)
#define __drv_in(...)
#define __drv_out(...)
/* Old-style SAL */
#define __in
#define __in_opt
#define __out
#define __out_opt
#define __inout
#define __inout_opt
#define __deref_out
#define __checkReturn
#define __in_bcount(...)
#define __out_bcount(...)
#endif /* _Use_decl_annotations_ */

/* Parameter decoration and calling conventions (ntdef.h, ndis.h) */
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif
#ifndef NTAPI
#define NTAPI
#endif
#ifndef NDIS_API
#define NDIS_API
#endif
#ifndef FORCEINLINE
#define FORCEINLINE static inline
#endif
#ifndef EXTERN_C
#define EXTERN_C extern
#endif
#ifndef DECLSPEC_NOINLINE
#define DECLSPEC_NOINLINE __attribute__((noinline))
#endif
#ifndef UNREFERENCED_PARAMETER
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#endif
#define C_ASSERT(e) _Static_assert(e, #e)
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field)                                 \
	(offsetof(type, field) + RTL_FIELD_SIZE(type, field))
#define RTL_NUMBER_OF(a) (sizeof(a) / sizeof((a)[0]))
#define ARGUMENT_PRESENT(p) ((p) != NULL)
#define CONTAINING_RECORD(address, type, field)                               \
	((type *)((char *)(address)-offsetof(type, field)))

/* Base types (ntdef.h, basetsd.h): LLP64 widths on every host. */
#ifndef VOID
#define VOID void
#endif
typedef void *PVOID;
typedef char CHAR;
typedef CHAR *PCHAR, *PSTR;
typedef const CHAR *PCSTR;
typedef unsigned char UCHAR;
typedef UCHAR *PUCHAR;
typedef short SHORT;
typedef unsigned short USHORT;
typedef USHORT *PUSHORT;
typedef int INT;
typedef unsigned int UINT;
typedef UINT *PUINT;
typedef int32_t LONG;
typedef LONG *PLONG;
typedef uint32_t ULONG;
typedef ULONG *PULONG;
typedef int64_t LONGLONG, LONG64;
typedef uint64_t ULONGLONG, ULONG64;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR;
typedef ULONG_PTR *PULONG_PTR;
typedef ULONG_PTR SIZE_T;
typedef SIZE_T *PSIZE_T;
typedef UCHAR BOOLEAN;
typedef BOOLEAN *PBOOLEAN;
typedef wchar_t WCHAR; /* the host's wide char: L"..." literals fit */
typedef WCHAR *PWCHAR, *PWSTR;
typedef const WCHAR *PCWSTR;
typedef PVOID HANDLE;
typedef HANDLE *PHANDLE;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* NTSTATUS (ntdef.h, ntstatus.h) */
typedef LONG NTSTATUS;
typedef NTSTATUS *PNTSTATUS;
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)

#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_PENDING ((NTSTATUS)0x00000103L)
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_INVALID_DEVICE_REQUEST ((NTSTATUS)0xC0000010L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)
#define STATUS_INVALID_DEVICE_STATE ((NTSTATUS)0xC0000184L)

/* NDIS_STATUS (ndis.h): a signed int holding NTSTATUS-style values. */
typedef int NDIS_STATUS;
typedef NDIS_STATUS *PNDIS_STATUS;
typedef PVOID NDIS_HANDLE;
typedef NDIS_HANDLE *PNDIS_HANDLE;

/*
 * Status values: the real numbers. NDIS_STATUS_SUCCESS, _PENDING,
 * _FAILURE, _INVALID_PARAMETER, _RESOURCES, _NOT_SUPPORTED, _BUFFER_OVERFLOW,
 * _INVALID_DEVICE_REQUEST and _INVALID_STATE are the NTSTATUS values of
 * the same meaning; the others are NDIS's own (0xC001xxxx, 0x0001xxxx).
 */
#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)STATUS_SUCCESS)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)STATUS_PENDING)
#define NDIS_STATUS_NOT_RECOGNIZED ((NDIS_STATUS)0x00010001L)
#define NDIS_STATUS_NOT_COPIED ((NDIS_STATUS)0x00010002L)
#define NDIS_STATUS_NOT_ACCEPTED ((NDIS_STATUS)0x00010003L)
#define NDIS_STATUS_CALL_ACTIVE ((NDIS_STATUS)0x00010007L)
#define NDIS_STATUS_BUFFER_OVERFLOW ((NDIS_STATUS)STATUS_BUFFER_OVERFLOW)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)STATUS_UNSUCCESSFUL)
#define NDIS_STATUS_INVALID_PARAMETER ((NDIS_STATUS)STATUS_INVALID_PARAMETER)
#define NDIS_STATUS_INVALID_DEVICE_REQUEST                                    \
	((NDIS_STATUS)STATUS_INVALID_DEVICE_REQUEST)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)STATUS_INSUFFICIENT_RESOURCES)
#define NDIS_STATUS_NOT_SUPPORTED ((NDIS_STATUS)STATUS_NOT_SUPPORTED)
#define NDIS_STATUS_INVALID_STATE ((NDIS_STATUS)STATUS_INVALID_DEVICE_STATE)
#define NDIS_STATUS_CLOSING ((NDIS_STATUS)0xC0010002L)
#define NDIS_STATUS_BAD_VERSION ((NDIS_STATUS)0xC0010004L)
#define NDIS_STATUS_BAD_CHARACTERISTICS ((NDIS_STATUS)0xC0010005L)
#define NDIS_STATUS_ADAPTER_NOT_FOUND ((NDIS_STATUS)0xC0010006L)
#define NDIS_STATUS_OPEN_FAILED ((NDIS_STATUS)0xC0010007L)
#define NDIS_STATUS_REQUEST_ABORTED ((NDIS_STATUS)0xC001000CL)
#define NDIS_STATUS_RESET_IN_PROGRESS ((NDIS_STATUS)0xC001000DL)
#define NDIS_STATUS_CLOSING_INDICATING ((NDIS_STATUS)0xC001000EL)
#define NDIS_STATUS_INVALID_LENGTH ((NDIS_STATUS)0xC0010014L)
#define NDIS_STATUS_INVALID_DATA ((NDIS_STATUS)0xC0010015L)
#define NDIS_STATUS_BUFFER_TOO_SHORT ((NDIS_STATUS)0xC0010016L)
#define NDIS_STATUS_INVALID_OID ((NDIS_STATUS)0xC0010017L)
#define NDIS_STATUS_ADAPTER_REMOVED ((NDIS_STATUS)0xC0010018L)
#define NDIS_STATUS_UNSUPPORTED_MEDIA ((NDIS_STATUS)0xC0010019L)
/* Connection-oriented NDIS */
#define NDIS_STATUS_INVALID_SAP ((NDIS_STATUS)0xC0010020L)
#define NDIS_STATUS_SAP_IN_USE ((NDIS_STATUS)0xC0010021L)
#define NDIS_STATUS_INVALID_ADDRESS ((NDIS_STATUS)0xC0010022L)
#define NDIS_STATUS_VC_NOT_ACTIVATED ((NDIS_STATUS)0xC0010023L)
#define NDIS_STATUS_DEST_OUT_OF_ORDER ((NDIS_STATUS)0xC0010024L)
#define NDIS_STATUS_VC_NOT_AVAILABLE ((NDIS_STATUS)0xC0010025L)
#define NDIS_STATUS_CELLRATE_NOT_AVAILABLE ((NDIS_STATUS)0xC0010026L)
#define NDIS_STATUS_INCOMPATABLE_QOS ((NDIS_STATUS)0xC0010027L)
#define NDIS_STATUS_AAL_PARAMS_UNSUPPORTED ((NDIS_STATUS)0xC0010028L)
#define NDIS_STATUS_NO_ROUTE_TO_DESTINATION ((NDIS_STATUS)0xC0010029L)

/* IRQLs (wdm.h) */
typedef UCHAR KIRQL;
typedef KIRQL *PKIRQL;
#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define HIGH_LEVEL 15

/*
 * Kernel IRQL routines (wdm.h), on the current simulated processor.
 * KeRaiseIrql to a lower level or KeLowerIrql to a higher one is reported
 * as C1 and ignored.
 */
KIRQL KeGetCurrentIrql(void);
VOID KeRaiseIrql(_In_ KIRQL NewIrql, _Out_ PKIRQL OldIrql);
VOID KeLowerIrql(_In_ KIRQL NewIrql);
/* KeRaiseIrqlToDpcLevel: raise to DISPATCH_LEVEL, return the old IRQL. */
KIRQL KeRaiseIrqlToDpcLevel(void);

/*
 * Debugging (wdm.h). ASSERT is always active: a driver's failed assertion
 * is its own bug check, reported with the engine's trace, then abort().
 * DbgPrint output goes to stderr only when PF_DBGPRINT is set in the
 * environment (traces stay the same on every machine).
 */
VOID RtlAssert(_In_ PVOID FailedAssertion, _In_ PVOID FileName,
	       _In_ ULONG LineNumber, _In_opt_ PSTR Message);
#define ASSERT(exp)                                                           \
	((void)((exp) ? 0                                                     \
		      : (RtlAssert((PVOID)(#exp), (PVOID)(__FILE__),          \
				   (ULONG)(__LINE__), NULL),                  \
			 0)))
#define ASSERTMSG(msg, exp)                                                   \
	((void)((exp) ? 0                                                     \
		      : (RtlAssert((PVOID)(#exp), (PVOID)(__FILE__),          \
				   (ULONG)(__LINE__), (PSTR)(msg)),           \
			 0)))
#define NT_ASSERT(exp) ASSERT(exp)
ULONG DbgPrint(_In_z_ _Printf_format_string_ PCSTR Format, ...)
	__attribute__((format(printf, 1, 2)));
#define KdPrint(args) ((void)DbgPrint args)

/*
 * Doubly linked lists (wdm.h): the WDK's inline routines. A list head is
 * a LIST_ENTRY whose Flink/Blink point at itself when empty.
 */
typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
	struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

FORCEINLINE VOID InitializeListHead(_Out_ PLIST_ENTRY ListHead)
{
	ListHead->Flink = ListHead->Blink = ListHead;
}

FORCEINLINE BOOLEAN IsListEmpty(_In_ const LIST_ENTRY *ListHead)
{
	return (BOOLEAN)(ListHead->Flink == ListHead);
}

/* Return: TRUE if the list is empty afterwards. */
FORCEINLINE BOOLEAN RemoveEntryList(_In_ PLIST_ENTRY Entry)
{
	PLIST_ENTRY Flink = Entry->Flink, Blink = Entry->Blink;

	Blink->Flink = Flink;
	Flink->Blink = Blink;
	return (BOOLEAN)(Flink == Blink);
}

/* LCOV_EXCL_START: an ndis.h list helper for driver authors that no driver
 * in the tree (fuzz/drivers, fuzz/examples) calls, so no input reaches it;
 * core/test/test_ndis_services.c checks the lists. */
FORCEINLINE PLIST_ENTRY RemoveHeadList(_Inout_ PLIST_ENTRY ListHead)
{
	PLIST_ENTRY Entry = ListHead->Flink;

	RemoveEntryList(Entry);
	return Entry;
}

FORCEINLINE PLIST_ENTRY RemoveTailList(_Inout_ PLIST_ENTRY ListHead)
{
	PLIST_ENTRY Entry = ListHead->Blink;

	RemoveEntryList(Entry);
	return Entry;
}
/* LCOV_EXCL_STOP */

FORCEINLINE VOID InsertTailList(_Inout_ PLIST_ENTRY ListHead,
				_Out_ PLIST_ENTRY Entry)
{
	PLIST_ENTRY Blink = ListHead->Blink;

	Entry->Flink = ListHead;
	Entry->Blink = Blink;
	Blink->Flink = Entry;
	ListHead->Blink = Entry;
}

/* LCOV_EXCL_START: an ndis.h list helper for driver authors that no driver
 * in the tree (fuzz/drivers, fuzz/examples) calls, so no input reaches it;
 * core/test/test_ndis_services.c checks the lists. */
FORCEINLINE VOID InsertHeadList(_Inout_ PLIST_ENTRY ListHead,
				_Out_ PLIST_ENTRY Entry)
{
	PLIST_ENTRY Flink = ListHead->Flink;

	Entry->Flink = Flink;
	Entry->Blink = ListHead;
	Flink->Blink = Entry;
	ListHead->Flink = Entry;
}
/* LCOV_EXCL_STOP */

/* LCOV_EXCL_START: an ndis.h list helper for driver authors that no
 * driver in the tree (fuzz/drivers, fuzz/examples) calls, so no input
 * reaches it. */
FORCEINLINE VOID PushEntryList(_Inout_ PSINGLE_LIST_ENTRY ListHead,
			       _Inout_ PSINGLE_LIST_ENTRY Entry)
{
	Entry->Next = ListHead->Next;
	ListHead->Next = Entry;
}

FORCEINLINE PSINGLE_LIST_ENTRY
PopEntryList(_Inout_ PSINGLE_LIST_ENTRY ListHead)
{
	PSINGLE_LIST_ENTRY First = ListHead->Next;

	if (First != NULL)
		ListHead->Next = First->Next;
	return First;
}
/* LCOV_EXCL_STOP */

/* Counted strings (ntdef.h, ndis.h) */
typedef struct _UNICODE_STRING {
	USHORT Length;        /* bytes, without a terminator */
	USHORT MaximumLength; /* bytes */
	PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;
typedef UNICODE_STRING NDIS_STRING, *PNDIS_STRING;

#define RTL_CONSTANT_STRING(s)                                                \
	{                                                                     \
		(USHORT)(sizeof(s) - sizeof((s)[0])), (USHORT)sizeof(s),      \
			(PWSTR)(s)                                            \
	}
#define NDIS_STRING_CONST(x) RTL_CONSTANT_STRING(L##x)

VOID RtlInitUnicodeString(_Out_ PUNICODE_STRING DestinationString,
			  _In_opt_z_ PCWSTR SourceString);
#define NdisInitUnicodeString(Destination, Source)                            \
	RtlInitUnicodeString((Destination), (Source))

/*
 * Driver objects (wdm.h), reduced: the I/O manager is not modelled. The
 * harness (or a test) hands a driver's DriverEntry an object it owns; NDIS
 * keeps only the pointer.
 */
typedef struct _DEVICE_OBJECT DEVICE_OBJECT, *PDEVICE_OBJECT;
struct _DRIVER_OBJECT;

typedef NTSTATUS(DRIVER_INITIALIZE)(_In_ struct _DRIVER_OBJECT *DriverObject,
				    _In_ PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;
typedef VOID(DRIVER_UNLOAD)(_In_ struct _DRIVER_OBJECT *DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;

typedef struct _DRIVER_OBJECT {
	SHORT Type;
	SHORT Size;
	PDEVICE_OBJECT DeviceObject;
	ULONG Flags;
	UNICODE_STRING DriverName;
	PDRIVER_INITIALIZE DriverInit;
	PDRIVER_UNLOAD DriverUnload;
} DRIVER_OBJECT, *PDRIVER_OBJECT;

/* NDIS_OBJECT_HEADER (ntddndis.h) and the object types used here. */
typedef struct _NDIS_OBJECT_HEADER {
	UCHAR Type;
	UCHAR Revision;
	USHORT Size;
} NDIS_OBJECT_HEADER, *PNDIS_OBJECT_HEADER;

#define NDIS_OBJECT_TYPE_DEFAULT 0x80
#define NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS 0x81
#define NDIS_OBJECT_TYPE_BIND_PARAMETERS 0x86
#define NDIS_OBJECT_TYPE_OPEN_PARAMETERS 0x87
#define NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS 0x8A
#define NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS 0x90
#define NDIS_OBJECT_TYPE_CO_MINIPORT_CHARACTERISTICS 0x91
#define NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS 0x95
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES 0x9E
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES 0x9F
#define NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS 0xA5
#define NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS 0xA6

#define NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1 1
#define NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_2 2
#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 1
#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 2
#define NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1 1
#define NDIS_MINIPORT_CO_CHARACTERISTICS_REVISION_1 1
#define NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1 1
#define NDIS_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1 1
#define NDIS_OPEN_PARAMETERS_REVISION_1 1
#define NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 1

/* NDIS versions a driver may declare (ndis.h NDIS6x_*). */
#define NDIS_PROTOCOL_MAJOR_VERSION 6
#define NDIS_MINIPORT_MAJOR_VERSION 6

typedef ULONG NDIS_PORT_NUMBER, *PNDIS_PORT_NUMBER;
typedef USHORT NET_FRAME_TYPE, *PNET_FRAME_TYPE;

/* NDIS_MEDIUM (ntddndis.h) */
typedef enum _NDIS_MEDIUM {
	NdisMedium802_3,
	NdisMedium802_5,
	NdisMediumFddi,
	NdisMediumWan,
	NdisMediumLocalTalk,
	NdisMediumDix,
	NdisMediumArcnetRaw,
	NdisMediumArcnet878_2,
	NdisMediumAtm,
	NdisMediumWirelessWan,
	NdisMediumIrda,
	NdisMediumBpc,
	NdisMediumCoWan,
	NdisMedium1394,
	NdisMediumInfiniBand,
	NdisMediumTunnel,
	NdisMediumNative802_11,
	NdisMediumLoopback,
	NdisMediumWiMAX,
	NdisMediumIP,
	NdisMediumMax
} NDIS_MEDIUM,
	*PNDIS_MEDIUM;

/* Structures NDIS owns; a driver only passes pointers on. */
typedef struct _NET_BUFFER NET_BUFFER, *PNET_BUFFER;
typedef struct _NET_BUFFER_LIST NET_BUFFER_LIST, *PNET_BUFFER_LIST;

/*
 * NET_BUFFER_LIST (ndis.h), the leading fields of the WDK's layout (its
 * Next/FirstNetBuffer union member spelled out, NetBufferListInfo left
 * off). The engine reads Next, never follows it, and NET_BUFFER_LIST_STATUS
 * of a completed send: a chain is sent and completed as one unit, named
 * by its first NET_BUFFER_LIST (condis_send.c).
 */
struct _NET_BUFFER_LIST {
	PNET_BUFFER_LIST Next;
	PNET_BUFFER FirstNetBuffer;
	PVOID Context;
	PNET_BUFFER_LIST ParentNetBufferList;
	NDIS_HANDLE NdisPoolHandle;
	PVOID NdisReserved[2];
	PVOID ProtocolReserved[4];
	PVOID MiniportReserved[2];
	PVOID Scratch;
	NDIS_HANDLE SourceHandle;
	ULONG NblFlags;
	LONG ChildRefCount;
	ULONG Flags;
	NDIS_STATUS Status;
};

#define NET_BUFFER_LIST_NEXT_NBL(_NBL) ((_NBL)->Next)
#define NET_BUFFER_LIST_STATUS(_NBL) ((_NBL)->Status)

/* SendFlags / SendCompleteFlags (Dispatch IRQL Tracking). */
#define NDIS_SEND_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL 0x00000001
typedef struct _NDIS_OID_REQUEST NDIS_OID_REQUEST, *PNDIS_OID_REQUEST;

/*
 * NDIS_OID_REQUEST (ndis.h), its leading fields: the header, the request
 * type and the query/set data (METHOD_INFORMATION and the reserved tail
 * left off). The engine passes it through; only its address names it
 * (condis_send.c).
 */
typedef ULONG NDIS_OID, *PNDIS_OID;

typedef enum _NDIS_REQUEST_TYPE {
	NdisRequestQueryInformation = 0,
	NdisRequestSetInformation = 1,
	NdisRequestQueryStatistics = 2,
	NdisRequestMethod = 12,
} NDIS_REQUEST_TYPE,
	*PNDIS_REQUEST_TYPE;

struct _NDIS_OID_REQUEST {
	NDIS_OBJECT_HEADER Header;
	NDIS_REQUEST_TYPE RequestType;
	NDIS_PORT_NUMBER PortNumber;
	UINT Timeout;
	PVOID RequestId;
	NDIS_HANDLE RequestHandle;
	union _REQUEST_DATA {
		struct _QUERY {
			NDIS_OID Oid;
			PVOID InformationBuffer;
			UINT InformationBufferLength;
			UINT BytesWritten;
			UINT BytesNeeded;
		} QUERY_INFORMATION;
		struct _SET {
			NDIS_OID Oid;
			PVOID InformationBuffer;
			UINT InformationBufferLength;
			UINT BytesRead;
			UINT BytesNeeded;
		} SET_INFORMATION;
	} DATA;
};

#define NDIS_OBJECT_TYPE_OID_REQUEST 0x96
#define NDIS_OID_REQUEST_REVISION_1 1
#define OID_GEN_LINK_SPEED 0x00010107
#define OID_GEN_CO_LINK_SPEED OID_GEN_LINK_SPEED

/* OID_GEN_CO_LINK_SPEED's answer (ntddndis.h). */
typedef struct _NDIS_CO_LINK_SPEED {
	ULONG Outbound;
	ULONG Inbound;
} NDIS_CO_LINK_SPEED, *PNDIS_CO_LINK_SPEED;
typedef struct _NDIS_STATUS_INDICATION NDIS_STATUS_INDICATION,
	*PNDIS_STATUS_INDICATION;
typedef struct _NET_PNP_EVENT_NOTIFICATION NET_PNP_EVENT_NOTIFICATION,
	*PNET_PNP_EVENT_NOTIFICATION;
typedef struct _NDIS_MINIPORT_PAUSE_PARAMETERS NDIS_MINIPORT_PAUSE_PARAMETERS,
	*PNDIS_MINIPORT_PAUSE_PARAMETERS;
typedef struct _NDIS_MINIPORT_RESTART_PARAMETERS
	NDIS_MINIPORT_RESTART_PARAMETERS,
	*PNDIS_MINIPORT_RESTART_PARAMETERS;
typedef struct _NET_DEVICE_PNP_EVENT NET_DEVICE_PNP_EVENT,
	*PNET_DEVICE_PNP_EVENT;

/* NDIS_BIND_PARAMETERS (ndis.h), leading fields only. */
typedef struct _NDIS_BIND_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	PNDIS_STRING ProtocolSection;
	PNDIS_STRING AdapterName;
	PDEVICE_OBJECT PhysicalDeviceObject;
	NDIS_MEDIUM MediumType;
	ULONG MtuSize;
} NDIS_BIND_PARAMETERS, *PNDIS_BIND_PARAMETERS;

/* NDIS_OPEN_PARAMETERS (ndis.h) */
typedef struct _NDIS_OPEN_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	PNDIS_STRING AdapterName;
	PNDIS_MEDIUM MediumArray;
	UINT MediumArraySize;
	PUINT SelectedMediumIndex;
	PNET_FRAME_TYPE FrameTypeArray;
	UINT FrameTypeArraySize;
} NDIS_OPEN_PARAMETERS, *PNDIS_OPEN_PARAMETERS;

/* NDIS_MINIPORT_INIT_PARAMETERS (ndis.h), leading fields only. */
typedef struct _NDIS_MINIPORT_INIT_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	PVOID AllocatedResources;
	NDIS_HANDLE IMDeviceInstanceContext;
	NDIS_HANDLE MiniportAddDeviceContext;
	ULONG IfIndex;
	ULONG NetLuid;
} NDIS_MINIPORT_INIT_PARAMETERS, *PNDIS_MINIPORT_INIT_PARAMETERS;

typedef enum _NDIS_HALT_ACTION {
	NdisHaltDeviceDisabled,
	NdisHaltDeviceInstanceDeInitialized,
	NdisHaltDevicePoweredDown,
	NdisHaltDeviceSurpriseRemoved,
	NdisHaltDeviceFailed,
	NdisHaltDeviceInitializationFailed,
	NdisHaltDeviceStopped
} NDIS_HALT_ACTION,
	*PNDIS_HALT_ACTION;

typedef enum _NDIS_SHUTDOWN_ACTION {
	NdisShutdownPowerOff,
	NdisShutdownBugCheck
} NDIS_SHUTDOWN_ACTION,
	*PNDIS_SHUTDOWN_ACTION;

typedef enum _NDIS_INTERFACE_TYPE {
	NdisInterfaceInternal = 0,
	NdisInterfaceIsa = 1,
	NdisInterfaceEisa = 2,
	NdisInterfaceMca = 3,
	NdisInterfaceTurboChannel = 4,
	NdisInterfacePci = 5,
	NdisInterfacePcMcia = 8,
	NdisInterfaceCBus = 9,
	NdisInterfaceMPIBus = 10,
	NdisInterfaceMPSABus = 11,
	NdisInterfaceProcessorInternal = 12,
	NdisInterfaceInternalPowerBus = 13,
	NdisInterfacePNPISABus = 14,
	NdisInterfacePNPBus = 15,
	NdisInterfaceUSB = 16,
	NdisInterfaceIrda = 17,
	NdisInterface1394 = 18,
	NdisMaximumInterfaceType
} NDIS_INTERFACE_TYPE,
	*PNDIS_INTERFACE_TYPE;

/*
 * Memory (ndis.h). Real heap memory: ASan reports a driver's
 * use-after-free and overflow, LSan what it never frees. The IRQL is
 * checked (C1: above DISPATCH_LEVEL the call is rejected: NULL, or
 * nothing freed). New memory is filled with 0xA5, not zeroed, as pool
 * memory is not.
 */
typedef enum _EX_POOL_PRIORITY {
	LowPoolPriority,
	LowPoolPrioritySpecialPoolOverrun = 8,
	LowPoolPrioritySpecialPoolUnderrun = 9,
	NormalPoolPriority = 16,
	NormalPoolPrioritySpecialPoolOverrun = 24,
	NormalPoolPrioritySpecialPoolUnderrun = 25,
	HighPoolPriority = 32,
	HighPoolPrioritySpecialPoolOverrun = 40,
	HighPoolPrioritySpecialPoolUnderrun = 41
} EX_POOL_PRIORITY;

typedef enum _POOL_TYPE {
	NonPagedPool = 0,
	NonPagedPoolExecute = 0,
	PagedPool = 1,
	NonPagedPoolNx = 512
} POOL_TYPE;

/* NdisHandle: any handle NDIS gave the driver (NULL is accepted). */
_IRQL_requires_max_(DISPATCH_LEVEL) PVOID
	NdisAllocateMemoryWithTagPriority(_In_ NDIS_HANDLE NdisHandle,
					  _In_ UINT Length, _In_ ULONG Tag,
					  _In_ EX_POOL_PRIORITY Priority);
/* MemoryFlags: 0 for memory from NdisAllocateMemoryWithTagPriority. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisFreeMemory(_In_ PVOID VirtualAddress, _In_ UINT Length,
		       _In_ UINT MemoryFlags);
/* NdisFreeMemoryWithTag: NDIS 6.30; Tag is not checked. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisFreeMemoryWithTag(_In_ PVOID VirtualAddress, _In_ ULONG Tag);

#define NdisZeroMemory(Destination, Length)                                   \
	((void)__builtin_memset((Destination), 0, (Length)))
#define NdisFillMemory(Destination, Length, Fill)                             \
	((void)__builtin_memset((Destination), (Fill), (Length)))
#define NdisMoveMemory(Destination, Source, Length)                           \
	((void)__builtin_memmove((Destination), (Source), (Length)))
#define NdisEqualMemory(Source1, Source2, Length)                             \
	(__builtin_memcmp((Source1), (Source2), (Length)) == 0)
#define RtlZeroMemory NdisZeroMemory
#define RtlCopyMemory(Destination, Source, Length)                            \
	((void)__builtin_memcpy((Destination), (Source), (Length)))
#define RtlMoveMemory NdisMoveMemory

/*
 * Spin locks (ndis.h). The engine keeps every lock's state (allocated,
 * held, by which CPU, how it was taken): NDIS_SPIN_LOCK only names it.
 *
 *   NdisAllocateSpinLock     names a new, free lock.
 *   NdisAcquireSpinLock      IRQL <= DISPATCH_LEVEL; raises the CPU to
 *                            DISPATCH_LEVEL, saves the old IRQL in
 *                            OldIrql, takes the lock.
 *   NdisReleaseSpinLock      gives it back, restores OldIrql.
 *   NdisDprAcquireSpinLock   at DISPATCH_LEVEL only; takes the lock.
 *   NdisDprReleaseSpinLock   at DISPATCH_LEVEL only; gives it back.
 *   NdisFreeSpinLock         the lock must not be held.
 *
 * Rule S1 (reported, the call rejected, nothing changed): acquiring a
 * lock that is held (on this CPU a deadlock; on another one it spins
 * forever: in a cooperative simulation its holder cannot run), releasing
 * one that is not held or is held by another CPU, releasing with the other
 * variant than the one it was taken with, freeing a held lock, using one
 * that was never allocated or is freed. The wrong IRQL is C1.
 */
typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;

typedef struct _NDIS_SPIN_LOCK {
	KSPIN_LOCK SpinLock; /* the engine's name for the lock */
	KIRQL OldIrql;
} NDIS_SPIN_LOCK, *PNDIS_SPIN_LOCK;

_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisAllocateSpinLock(_Out_ PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisFreeSpinLock(_In_ PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_max_(DISPATCH_LEVEL) _IRQL_raises_(DISPATCH_LEVEL) VOID
	NdisAcquireSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_(DISPATCH_LEVEL) VOID
	NdisReleaseSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_(DISPATCH_LEVEL) VOID
	NdisDprAcquireSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_(DISPATCH_LEVEL) VOID
	NdisDprReleaseSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);

/*
 * Lookaside lists (ndis.h, wdm.h). Every allocation is a fresh heap block
 * and every free gives it back at once (no caching), so ASan sees a use of
 * an entry after NdisFreeToNPagedLookasideList. With Allocate/Free given,
 * the list calls them as the kernel would. Rule S2 (reported, rejected):
 * a list used before NdisInitializeNPagedLookasideList or after
 * NdisDeleteNPagedLookasideList, more entries freed to it than it handed
 * out. (Entries still out at delete are the driver's memory: LSan sees
 * them if they are never freed.)
 */
typedef PVOID(ALLOCATE_FUNCTION)(_In_ POOL_TYPE PoolType,
				 _In_ SIZE_T NumberOfBytes, _In_ ULONG Tag);
typedef ALLOCATE_FUNCTION *PALLOCATE_FUNCTION;
typedef VOID(FREE_FUNCTION)(_In_ PVOID Buffer);
typedef FREE_FUNCTION *PFREE_FUNCTION;

typedef struct _GENERAL_LOOKASIDE {
	USHORT Depth;
	USHORT MaximumDepth;
	ULONG TotalAllocates;
	ULONG TotalFrees;
	POOL_TYPE Type;
	ULONG Tag;
	ULONG Size;
	PALLOCATE_FUNCTION Allocate;
	PFREE_FUNCTION Free;
	LIST_ENTRY ListEntry;
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct _NPAGED_LOOKASIDE_LIST {
	GENERAL_LOOKASIDE L;
	ULONG_PTR Lock__ObsoleteButDoNotDelete; /* the engine's state word */
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;

_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisInitializeNPagedLookasideList(
	_Out_ PNPAGED_LOOKASIDE_LIST Lookaside,
	_In_opt_ PALLOCATE_FUNCTION Allocate, _In_opt_ PFREE_FUNCTION Free,
	_In_ ULONG Flags, _In_ SIZE_T Size, _In_ ULONG Tag, _In_ USHORT Depth);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisDeleteNPagedLookasideList(
	_Inout_ PNPAGED_LOOKASIDE_LIST Lookaside);
_IRQL_requires_max_(DISPATCH_LEVEL) PVOID NdisAllocateFromNPagedLookasideList(
	_Inout_ PNPAGED_LOOKASIDE_LIST Lookaside);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisFreeToNPagedLookasideList(_Inout_ PNPAGED_LOOKASIDE_LIST Lookaside,
				      _In_ PVOID Entry);

/*
 * Interlocked operations (ndis.h, wdm.h). The list variants take their
 * NDIS_SPIN_LOCK through the engine like NdisAcquireSpinLock (S1, C1).
 */
LONG NdisInterlockedIncrement(_Inout_ PLONG Addend);
LONG NdisInterlockedDecrement(_Inout_ PLONG Addend);
VOID NdisInterlockedAddUlong(_Inout_ PULONG Addend, _In_ ULONG Increment,
			     _Inout_ PNDIS_SPIN_LOCK SpinLock);
PLIST_ENTRY NdisInterlockedInsertHeadList(_Inout_ PLIST_ENTRY ListHead,
					  _Inout_ PLIST_ENTRY ListEntry,
					  _Inout_ PNDIS_SPIN_LOCK SpinLock);
PLIST_ENTRY NdisInterlockedInsertTailList(_Inout_ PLIST_ENTRY ListHead,
					  _Inout_ PLIST_ENTRY ListEntry,
					  _Inout_ PNDIS_SPIN_LOCK SpinLock);
PLIST_ENTRY NdisInterlockedRemoveHeadList(_Inout_ PLIST_ENTRY ListHead,
					  _Inout_ PNDIS_SPIN_LOCK SpinLock);
LONG InterlockedIncrement(_Inout_ LONG volatile *Addend);
LONG InterlockedDecrement(_Inout_ LONG volatile *Addend);
LONG InterlockedExchange(_Inout_ LONG volatile *Target, _In_ LONG Value);
LONG InterlockedExchangeAdd(_Inout_ LONG volatile *Addend, _In_ LONG Value);
LONG InterlockedCompareExchange(_Inout_ LONG volatile *Destination,
				_In_ LONG Exchange, _In_ LONG Comperand);
PVOID InterlockedExchangePointer(_Inout_ PVOID volatile *Target,
				 _In_opt_ PVOID Value);
PVOID InterlockedCompareExchangePointer(_Inout_ PVOID volatile *Destination,
					_In_opt_ PVOID Exchange,
					_In_opt_ PVOID Comperand);

/*
 * Connection-oriented data structures (ndis.h, qos.h)
 */

/* CO_ADDRESS_FAMILY */
typedef ULONG CO_ADDRESS_FAMILY_TYPE;
#define CO_ADDRESS_FAMILY_Q2931 ((CO_ADDRESS_FAMILY_TYPE)0x1)
#define CO_ADDRESS_FAMILY_PSCHED ((CO_ADDRESS_FAMILY_TYPE)0x2)
#define CO_ADDRESS_FAMILY_L2TP ((CO_ADDRESS_FAMILY_TYPE)0x3)
#define CO_ADDRESS_FAMILY_IRDA ((CO_ADDRESS_FAMILY_TYPE)0x4)
#define CO_ADDRESS_FAMILY_1394 ((CO_ADDRESS_FAMILY_TYPE)0x5)
#define CO_ADDRESS_FAMILY_PPP ((CO_ADDRESS_FAMILY_TYPE)0x6)
#define CO_ADDRESS_FAMILY_INFINIBAND ((CO_ADDRESS_FAMILY_TYPE)0x7)
#define CO_ADDRESS_FAMILY_TAPI ((CO_ADDRESS_FAMILY_TYPE)0x800)
#define CO_ADDRESS_FAMILY_TAPI_PROXY ((CO_ADDRESS_FAMILY_TYPE)0x801)
#define CO_ADDRESS_FAMILY_PROXY 0x80000000

typedef struct _CO_ADDRESS_FAMILY {
	CO_ADDRESS_FAMILY_TYPE AddressFamily;
	ULONG MajorVersion;
	ULONG MinorVersion;
} CO_ADDRESS_FAMILY, *PCO_ADDRESS_FAMILY;

/* CO_SAP: variable length, Sap[SapLength]. */
typedef struct _CO_SAP {
	ULONG SapType;
	ULONG SapLength;
	UCHAR Sap[1];
} CO_SAP, *PCO_SAP;

/* FLOWSPEC (qos.h) */
typedef ULONG SERVICETYPE;
#define SERVICETYPE_NOTRAFFIC 0x00000000
#define SERVICETYPE_BESTEFFORT 0x00000001
#define SERVICETYPE_CONTROLLEDLOAD 0x00000002
#define SERVICETYPE_GUARANTEED 0x00000003
#define SERVICETYPE_NETWORK_UNAVAILABLE 0x00000004
#define SERVICETYPE_GENERAL_INFORMATION 0x00000005
#define SERVICETYPE_NOCHANGE 0x00000006
#define SERVICETYPE_NONCONFORMING 0x00000009
#define SERVICETYPE_NETWORK_CONTROL 0x0000000A
#define SERVICETYPE_QUALITATIVE 0x0000000D
#define QOS_NOT_SPECIFIED 0xFFFFFFFF

typedef struct _flowspec {
	ULONG TokenRate;       /* bytes/s */
	ULONG TokenBucketSize; /* bytes */
	ULONG PeakBandwidth;   /* bytes/s */
	ULONG Latency;         /* microseconds */
	ULONG DelayVariation;  /* microseconds */
	SERVICETYPE ServiceType;
	ULONG MaxSduSize;         /* bytes */
	ULONG MinimumPolicedSize; /* bytes */
} FLOWSPEC, *PFLOWSPEC, *LPFLOWSPEC;

/* CO_SPECIFIC_PARAMETERS: variable length, Parameters[Length]. */
typedef struct _CO_SPECIFIC_PARAMETERS {
	ULONG ParamType;
	ULONG Length;
	UCHAR Parameters[1];
} CO_SPECIFIC_PARAMETERS, *PCO_SPECIFIC_PARAMETERS;

typedef struct _CO_CALL_MANAGER_PARAMETERS {
	FLOWSPEC Transmit;
	FLOWSPEC Receive;
	CO_SPECIFIC_PARAMETERS CallMgrSpecific; /* variable length: last */
} CO_CALL_MANAGER_PARAMETERS, *PCO_CALL_MANAGER_PARAMETERS;

typedef struct _CO_MEDIA_PARAMETERS {
	ULONG Flags;
	ULONG ReceivePriority;
	ULONG ReceiveSizeHint;
	CO_SPECIFIC_PARAMETERS MediaSpecific; /* variable length: last */
} CO_MEDIA_PARAMETERS, *PCO_MEDIA_PARAMETERS;

/* Flags of CO_MEDIA_PARAMETERS */
#define TRANSMIT_VC 0x00002000
#define RECEIVE_VC 0x00004000
#define INDICATE_ERRED_PACKETS 0x00008000
#define INDICATE_END_OF_TX 0x00010000
#define RESERVE_RESOURCES_VC 0x00020000
#define ROUND_DOWN_FLOW 0x00040000
#define ROUND_UP_FLOW 0x00080000

/*
 * CO_CALL_PARAMETERS. The engine reads Flags only; the rest is the
 * client's and the call manager's business (client memory that stays
 * alive until the request completes, C8).
 */
typedef struct _CO_CALL_PARAMETERS {
	ULONG Flags;
	PCO_CALL_MANAGER_PARAMETERS CallMgrParameters;
	PCO_MEDIA_PARAMETERS MediaParameters;
} CO_CALL_PARAMETERS, *PCO_CALL_PARAMETERS;

/* Flags of CO_CALL_PARAMETERS */
#define PERMANENT_VC 0x00000001
#define CALL_PARAMETERS_CHANGED 0x00000002
#define QUERY_CALL_PARAMETERS 0x00000004
#define BROADCAST_VC 0x00000008
#define MULTIPOINT_VC 0x00000010

/*
 * Handler role types. Every callback runs at IRQL <= DISPATCH_LEVEL (at
 * the IRQL of the context that caused it, DISPATCH_LEVEL when NDIS
 * delivers it from a DPC, spec A12), except the registration and binding
 * ones, which run at PASSIVE_LEVEL.
 */

/* Protocol drivers (ndis.h) */

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(SET_OPTIONS)
	NDIS_STATUS(SET_OPTIONS)(_In_ NDIS_HANDLE NdisDriverHandle,
				 _In_ NDIS_HANDLE DriverContext);
typedef SET_OPTIONS(*SET_OPTIONS_HANDLER);
typedef SET_OPTIONS MINIPORT_SET_OPTIONS;
typedef SET_OPTIONS PROTOCOL_SET_OPTIONS;

typedef _IRQL_requires_(PASSIVE_LEVEL)
	_Function_class_(PROTOCOL_BIND_ADAPTER_EX)
		NDIS_STATUS(PROTOCOL_BIND_ADAPTER_EX)(
			_In_ NDIS_HANDLE ProtocolDriverContext,
			_In_ NDIS_HANDLE BindContext,
			_In_ PNDIS_BIND_PARAMETERS BindParameters);
typedef PROTOCOL_BIND_ADAPTER_EX(*BIND_HANDLER_EX);

typedef _IRQL_requires_(PASSIVE_LEVEL)
	_Function_class_(PROTOCOL_UNBIND_ADAPTER_EX)
		NDIS_STATUS(PROTOCOL_UNBIND_ADAPTER_EX)(
			_In_ NDIS_HANDLE UnbindContext,
			_In_ NDIS_HANDLE ProtocolBindingContext);
typedef PROTOCOL_UNBIND_ADAPTER_EX(*UNBIND_HANDLER_EX);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_OPEN_ADAPTER_COMPLETE_EX)
		VOID(PROTOCOL_OPEN_ADAPTER_COMPLETE_EX)(
			_In_ NDIS_HANDLE ProtocolBindingContext,
			_In_ NDIS_STATUS Status);
typedef PROTOCOL_OPEN_ADAPTER_COMPLETE_EX(*OPEN_ADAPTER_COMPLETE_HANDLER_EX);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CLOSE_ADAPTER_COMPLETE_EX)
		VOID(PROTOCOL_CLOSE_ADAPTER_COMPLETE_EX)(
			_In_ NDIS_HANDLE ProtocolBindingContext);
typedef PROTOCOL_CLOSE_ADAPTER_COMPLETE_EX(*CLOSE_ADAPTER_COMPLETE_HANDLER_EX);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(PROTOCOL_NET_PNP_EVENT)
	NDIS_STATUS(PROTOCOL_NET_PNP_EVENT)(
		_In_ NDIS_HANDLE ProtocolBindingContext,
		_In_ PNET_PNP_EVENT_NOTIFICATION NetPnPEventNotification);
typedef PROTOCOL_NET_PNP_EVENT(*NET_PNP_EVENT_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(PROTOCOL_UNINSTALL)
	VOID(PROTOCOL_UNINSTALL)(VOID);
typedef PROTOCOL_UNINSTALL(*UNINSTALL_PROTOCOL_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_OID_REQUEST_COMPLETE)
		VOID(PROTOCOL_OID_REQUEST_COMPLETE)(
			_In_ NDIS_HANDLE ProtocolBindingContext,
			_In_ PNDIS_OID_REQUEST OidRequest,
			_In_ NDIS_STATUS Status);
typedef PROTOCOL_OID_REQUEST_COMPLETE(*OID_REQUEST_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_DIRECT_OID_REQUEST_COMPLETE)
		VOID(PROTOCOL_DIRECT_OID_REQUEST_COMPLETE)(
			_In_ NDIS_HANDLE ProtocolBindingContext,
			_In_ PNDIS_OID_REQUEST OidRequest,
			_In_ NDIS_STATUS Status);
typedef PROTOCOL_DIRECT_OID_REQUEST_COMPLETE(
	*DIRECT_OID_REQUEST_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_STATUS_EX) VOID(PROTOCOL_STATUS_EX)(
		_In_ NDIS_HANDLE ProtocolBindingContext,
		_In_ PNDIS_STATUS_INDICATION StatusIndication);
typedef PROTOCOL_STATUS_EX(*STATUS_HANDLER_EX);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_RECEIVE_NET_BUFFER_LISTS)
		VOID(PROTOCOL_RECEIVE_NET_BUFFER_LISTS)(
			_In_ NDIS_HANDLE ProtocolBindingContext,
			_In_ PNET_BUFFER_LIST NetBufferLists,
			_In_ NDIS_PORT_NUMBER PortNumber,
			_In_ ULONG NumberOfNetBufferLists,
			_In_ ULONG ReceiveFlags);
typedef PROTOCOL_RECEIVE_NET_BUFFER_LISTS(*RECEIVE_NET_BUFFER_LISTS_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_SEND_NET_BUFFER_LISTS_COMPLETE)
		VOID(PROTOCOL_SEND_NET_BUFFER_LISTS_COMPLETE)(
			_In_ NDIS_HANDLE ProtocolBindingContext,
			_In_ PNET_BUFFER_LIST NetBufferList,
			_In_ ULONG SendCompleteFlags);
typedef PROTOCOL_SEND_NET_BUFFER_LISTS_COMPLETE(
	*SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER);

typedef struct _NDIS_PROTOCOL_DRIVER_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;
	UCHAR MajorNdisVersion;
	UCHAR MinorNdisVersion;
	UCHAR MajorDriverVersion;
	UCHAR MinorDriverVersion;
	ULONG Flags;
	NDIS_STRING Name;
	SET_OPTIONS_HANDLER SetOptionsHandler;
	BIND_HANDLER_EX BindAdapterHandlerEx;
	UNBIND_HANDLER_EX UnbindAdapterHandlerEx;
	OPEN_ADAPTER_COMPLETE_HANDLER_EX OpenAdapterCompleteHandlerEx;
	CLOSE_ADAPTER_COMPLETE_HANDLER_EX CloseAdapterCompleteHandlerEx;
	NET_PNP_EVENT_HANDLER NetPnPEventHandler;
	UNINSTALL_PROTOCOL_HANDLER UninstallHandler;
	OID_REQUEST_COMPLETE_HANDLER OidRequestCompleteHandler;
	STATUS_HANDLER_EX StatusHandlerEx;
	RECEIVE_NET_BUFFER_LISTS_HANDLER ReceiveNetBufferListsHandler;
	SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER
		SendNetBufferListsCompleteHandler;
	/* Revision 2 (NDIS 6.1) */
	DIRECT_OID_REQUEST_COMPLETE_HANDLER DirectOidRequestCompleteHandler;
} NDIS_PROTOCOL_DRIVER_CHARACTERISTICS, *PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS;

#define NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1                \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_PROTOCOL_DRIVER_CHARACTERISTICS,        \
				 SendNetBufferListsCompleteHandler)
#define NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_2                \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_PROTOCOL_DRIVER_CHARACTERISTICS,        \
				 DirectOidRequestCompleteHandler)

/* Connection-oriented handlers shared by clients and call managers */

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CO_CREATE_VC) NDIS_STATUS(
		PROTOCOL_CO_CREATE_VC)(_In_ NDIS_HANDLE ProtocolAfContext,
				       _In_ NDIS_HANDLE NdisVcHandle,
				       _Out_ PNDIS_HANDLE ProtocolVcContext);
typedef PROTOCOL_CO_CREATE_VC(*CO_CREATE_VC_HANDLER);

/* ProtocolCoCreateVc and ProtocolCoDeleteVc never return PENDING (C26). */
typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CO_DELETE_VC) NDIS_STATUS(
		PROTOCOL_CO_DELETE_VC)(_In_ NDIS_HANDLE ProtocolVcContext);
typedef PROTOCOL_CO_DELETE_VC(*CO_DELETE_VC_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CO_OID_REQUEST)
		NDIS_STATUS(PROTOCOL_CO_OID_REQUEST)(
			_In_ NDIS_HANDLE ProtocolAfContext,
			_In_opt_ NDIS_HANDLE ProtocolVcContext,
			_In_opt_ NDIS_HANDLE ProtocolPartyContext,
			_Inout_ PNDIS_OID_REQUEST OidRequest);
typedef PROTOCOL_CO_OID_REQUEST(*CO_OID_REQUEST_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CO_OID_REQUEST_COMPLETE)
		VOID(PROTOCOL_CO_OID_REQUEST_COMPLETE)(
			_In_ NDIS_HANDLE ProtocolAfContext,
			_In_opt_ NDIS_HANDLE ProtocolVcContext,
			_In_opt_ NDIS_HANDLE ProtocolPartyContext,
			_In_ PNDIS_OID_REQUEST OidRequest,
			_In_ NDIS_STATUS Status);
typedef PROTOCOL_CO_OID_REQUEST_COMPLETE(*CO_OID_REQUEST_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CO_STATUS_EX) VOID(PROTOCOL_CO_STATUS_EX)(
		_In_ NDIS_HANDLE ProtocolBindingContext,
		_In_ NDIS_HANDLE ProtocolVcContext,
		_In_ PNDIS_STATUS_INDICATION StatusIndication);
typedef PROTOCOL_CO_STATUS_EX(*CO_STATUS_HANDLER_EX);

/* ProtocolCoAfRegisterNotify: a call manager registered an AF. */
typedef _IRQL_requires_(PASSIVE_LEVEL)
	_Function_class_(PROTOCOL_CO_AF_REGISTER_NOTIFY)
		VOID(PROTOCOL_CO_AF_REGISTER_NOTIFY)(
			_In_ NDIS_HANDLE ProtocolBindingContext,
			_In_ PCO_ADDRESS_FAMILY AddressFamily);
typedef PROTOCOL_CO_AF_REGISTER_NOTIFY(*CO_AF_REGISTER_NOTIFY_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CO_RECEIVE_NET_BUFFER_LISTS)
		VOID(PROTOCOL_CO_RECEIVE_NET_BUFFER_LISTS)(
			_In_ NDIS_HANDLE ProtocolBindingContext,
			_In_ NDIS_HANDLE ProtocolVcContext,
			_In_ PNET_BUFFER_LIST NetBufferLists,
			_In_ ULONG NumberOfNetBufferLists,
			_In_ ULONG ReceiveFlags);
typedef PROTOCOL_CO_RECEIVE_NET_BUFFER_LISTS(
	*CO_RECEIVE_NET_BUFFER_LISTS_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CO_SEND_NET_BUFFER_LISTS_COMPLETE)
		VOID(PROTOCOL_CO_SEND_NET_BUFFER_LISTS_COMPLETE)(
			_In_ NDIS_HANDLE ProtocolVcContext,
			_In_ PNET_BUFFER_LIST NetBufferLists,
			_In_ ULONG SendCompleteFlags);
typedef PROTOCOL_CO_SEND_NET_BUFFER_LISTS_COMPLETE(
	*CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER);

typedef struct _NDIS_PROTOCOL_CO_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	CO_STATUS_HANDLER_EX CoStatusHandlerEx;
	CO_AF_REGISTER_NOTIFY_HANDLER CoAfRegisterNotifyHandler;
	CO_RECEIVE_NET_BUFFER_LISTS_HANDLER CoReceiveNetBufferListsHandler;
	CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER
	CoSendNetBufferListsCompleteHandler;
} NDIS_PROTOCOL_CO_CHARACTERISTICS, *PNDIS_PROTOCOL_CO_CHARACTERISTICS;

#define NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1                    \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_PROTOCOL_CO_CHARACTERISTICS,            \
				 CoSendNetBufferListsCompleteHandler)

/* Client handlers */

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_OPEN_AF_COMPLETE_EX)
		VOID(PROTOCOL_CL_OPEN_AF_COMPLETE_EX)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE ProtocolAfContext,
			_In_ NDIS_HANDLE NdisAfHandle);
typedef PROTOCOL_CL_OPEN_AF_COMPLETE_EX(*CL_OPEN_AF_COMPLETE_HANDLER_EX);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_CLOSE_AF_COMPLETE)
		VOID(PROTOCOL_CL_CLOSE_AF_COMPLETE)(_In_ NDIS_STATUS Status,
						    _In_ NDIS_HANDLE
							    ProtocolAfContext);
typedef PROTOCOL_CL_CLOSE_AF_COMPLETE(*CL_CLOSE_AF_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_REGISTER_SAP_COMPLETE)
		VOID(PROTOCOL_CL_REGISTER_SAP_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE ProtocolSapContext, _In_ PCO_SAP Sap,
			_In_ NDIS_HANDLE NdisSapHandle);
typedef PROTOCOL_CL_REGISTER_SAP_COMPLETE(*CL_REG_SAP_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_DEREGISTER_SAP_COMPLETE)
		VOID(PROTOCOL_CL_DEREGISTER_SAP_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE ProtocolSapContext);
typedef PROTOCOL_CL_DEREGISTER_SAP_COMPLETE(*CL_DEREG_SAP_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_MAKE_CALL_COMPLETE)
		VOID(PROTOCOL_CL_MAKE_CALL_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE ProtocolVcContext,
			_In_opt_ NDIS_HANDLE NdisPartyHandle,
			_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CL_MAKE_CALL_COMPLETE(*CL_MAKE_CALL_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_MODIFY_CALL_QOS_COMPLETE)
		VOID(PROTOCOL_CL_MODIFY_CALL_QOS_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE ProtocolVcContext,
			_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CL_MODIFY_CALL_QOS_COMPLETE(
	*CL_MODIFY_CALL_QOS_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_CLOSE_CALL_COMPLETE)
		VOID(PROTOCOL_CL_CLOSE_CALL_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE ProtocolVcContext,
			_In_opt_ NDIS_HANDLE ProtocolPartyContext);
typedef PROTOCOL_CL_CLOSE_CALL_COMPLETE(*CL_CLOSE_CALL_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_ADD_PARTY_COMPLETE)
		VOID(PROTOCOL_CL_ADD_PARTY_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE ProtocolPartyContext,
			_In_ NDIS_HANDLE NdisPartyHandle,
			_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CL_ADD_PARTY_COMPLETE(*CL_ADD_PARTY_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_DROP_PARTY_COMPLETE)
		VOID(PROTOCOL_CL_DROP_PARTY_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE ProtocolPartyContext);
typedef PROTOCOL_CL_DROP_PARTY_COMPLETE(*CL_DROP_PARTY_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_INCOMING_CALL)
		NDIS_STATUS(PROTOCOL_CL_INCOMING_CALL)(
			_In_ NDIS_HANDLE ProtocolSapContext,
			_In_ NDIS_HANDLE ProtocolVcContext,
			_Inout_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CL_INCOMING_CALL(*CL_INCOMING_CALL_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_INCOMING_CALL_QOS_CHANGE)
		VOID(PROTOCOL_CL_INCOMING_CALL_QOS_CHANGE)(
			_In_ NDIS_HANDLE ProtocolVcContext,
			_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CL_INCOMING_CALL_QOS_CHANGE(
	*CL_INCOMING_CALL_QOS_CHANGE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_INCOMING_CLOSE_CALL)
		VOID(PROTOCOL_CL_INCOMING_CLOSE_CALL)(
			_In_ NDIS_STATUS CloseStatus,
			_In_ NDIS_HANDLE ProtocolVcContext,
			_In_reads_bytes_opt_(Size) PVOID CloseData,
			_In_opt_ UINT Size);
typedef PROTOCOL_CL_INCOMING_CLOSE_CALL(*CL_INCOMING_CLOSE_CALL_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_INCOMING_DROP_PARTY)
		VOID(PROTOCOL_CL_INCOMING_DROP_PARTY)(
			_In_ NDIS_STATUS DropStatus,
			_In_ NDIS_HANDLE ProtocolPartyContext,
			_In_reads_bytes_opt_(Size) PVOID CloseData,
			_In_opt_ UINT Size);
typedef PROTOCOL_CL_INCOMING_DROP_PARTY(*CL_INCOMING_DROP_PARTY_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(
	PROTOCOL_CL_CALL_CONNECTED)
	VOID(PROTOCOL_CL_CALL_CONNECTED)(_In_ NDIS_HANDLE ProtocolVcContext);
typedef PROTOCOL_CL_CALL_CONNECTED(*CL_CALL_CONNECTED_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CL_NOTIFY_CLOSE_AF) NDIS_STATUS(
		PROTOCOL_CL_NOTIFY_CLOSE_AF)(_In_ NDIS_HANDLE ClientAfContext);
typedef PROTOCOL_CL_NOTIFY_CLOSE_AF(*CL_NOTIFY_CLOSE_AF_HANDLER);

typedef struct _NDIS_CO_CLIENT_OPTIONAL_HANDLERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Reserved;
	CO_CREATE_VC_HANDLER ClCreateVcHandler;
	CO_DELETE_VC_HANDLER ClDeleteVcHandler;
	CO_OID_REQUEST_HANDLER ClOidRequestHandler;
	CO_OID_REQUEST_COMPLETE_HANDLER ClOidRequestCompleteHandler;
	CL_OPEN_AF_COMPLETE_HANDLER_EX ClOpenAfCompleteHandlerEx;
	CL_CLOSE_AF_COMPLETE_HANDLER ClCloseAfCompleteHandler;
	CL_REG_SAP_COMPLETE_HANDLER ClRegisterSapCompleteHandler;
	CL_DEREG_SAP_COMPLETE_HANDLER ClDeregisterSapCompleteHandler;
	CL_MAKE_CALL_COMPLETE_HANDLER ClMakeCallCompleteHandler;
	CL_MODIFY_CALL_QOS_COMPLETE_HANDLER ClModifyCallQoSCompleteHandler;
	CL_CLOSE_CALL_COMPLETE_HANDLER ClCloseCallCompleteHandler;
	CL_ADD_PARTY_COMPLETE_HANDLER ClAddPartyCompleteHandler;
	CL_DROP_PARTY_COMPLETE_HANDLER ClDropPartyCompleteHandler;
	CL_INCOMING_CALL_HANDLER ClIncomingCallHandler;
	CL_INCOMING_CALL_QOS_CHANGE_HANDLER ClIncomingCallQoSChangeHandler;
	CL_INCOMING_CLOSE_CALL_HANDLER ClIncomingCloseCallHandler;
	CL_INCOMING_DROP_PARTY_HANDLER ClIncomingDropPartyHandler;
	CL_CALL_CONNECTED_HANDLER ClCallConnectedHandler;
	CL_NOTIFY_CLOSE_AF_HANDLER ClNotifyCloseAfHandler;
} NDIS_CO_CLIENT_OPTIONAL_HANDLERS, *PNDIS_CO_CLIENT_OPTIONAL_HANDLERS;

#define NDIS_SIZEOF_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1                    \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_CO_CLIENT_OPTIONAL_HANDLERS,            \
				 ClNotifyCloseAfHandler)

/* Call-manager handlers (stand-alone CM and MCM share these, spec 1) */

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_OPEN_AF) NDIS_STATUS(PROTOCOL_CM_OPEN_AF)(
		_In_ NDIS_HANDLE CallMgrBindingContext,
		_In_ PCO_ADDRESS_FAMILY AddressFamily,
		_In_ NDIS_HANDLE NdisAfHandle,
		_Out_ PNDIS_HANDLE CallMgrAfContext);
typedef PROTOCOL_CM_OPEN_AF(*CM_OPEN_AF_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_CLOSE_AF) NDIS_STATUS(
		PROTOCOL_CM_CLOSE_AF)(_In_ NDIS_HANDLE CallMgrAfContext);
typedef PROTOCOL_CM_CLOSE_AF(*CM_CLOSE_AF_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_REG_SAP) NDIS_STATUS(PROTOCOL_CM_REG_SAP)(
		_In_ NDIS_HANDLE CallMgrAfContext, _In_ PCO_SAP Sap,
		_In_ NDIS_HANDLE NdisSapHandle,
		_Out_ PNDIS_HANDLE CallMgrSapContext);
typedef PROTOCOL_CM_REG_SAP(*CM_REG_SAP_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_DEREGISTER_SAP)
		NDIS_STATUS(PROTOCOL_CM_DEREGISTER_SAP)(
			_In_ NDIS_HANDLE CallMgrSapContext);
typedef PROTOCOL_CM_DEREGISTER_SAP(*CM_DEREG_SAP_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_MAKE_CALL)
		NDIS_STATUS(PROTOCOL_CM_MAKE_CALL)(
			_In_ NDIS_HANDLE CallMgrVcContext,
			_Inout_ PCO_CALL_PARAMETERS CallParameters,
			_In_opt_ NDIS_HANDLE NdisPartyHandle,
			_Out_opt_ PNDIS_HANDLE CallMgrPartyContext);
typedef PROTOCOL_CM_MAKE_CALL(*CM_MAKE_CALL_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_CLOSE_CALL)
		NDIS_STATUS(PROTOCOL_CM_CLOSE_CALL)(
			_In_ NDIS_HANDLE CallMgrVcContext,
			_In_opt_ NDIS_HANDLE CallMgrPartyContext,
			_In_reads_bytes_opt_(Size) PVOID CloseData,
			_In_opt_ UINT Size);
typedef PROTOCOL_CM_CLOSE_CALL(*CM_CLOSE_CALL_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_INCOMING_CALL_COMPLETE)
		VOID(PROTOCOL_CM_INCOMING_CALL_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE CallMgrVcContext,
			_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CM_INCOMING_CALL_COMPLETE(*CM_INCOMING_CALL_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_ADD_PARTY)
		NDIS_STATUS(PROTOCOL_CM_ADD_PARTY)(
			_In_ NDIS_HANDLE CallMgrVcContext,
			_Inout_ PCO_CALL_PARAMETERS CallParameters,
			_In_ NDIS_HANDLE NdisPartyHandle,
			_Out_ PNDIS_HANDLE CallMgrPartyContext);
typedef PROTOCOL_CM_ADD_PARTY(*CM_ADD_PARTY_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_DROP_PARTY)
		NDIS_STATUS(PROTOCOL_CM_DROP_PARTY)(
			_In_ NDIS_HANDLE CallMgrPartyContext,
			_In_reads_bytes_opt_(Size) PVOID CloseData,
			_In_opt_ UINT Size);
typedef PROTOCOL_CM_DROP_PARTY(*CM_DROP_PARTY_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_ACTIVATE_VC_COMPLETE)
		VOID(PROTOCOL_CM_ACTIVATE_VC_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE CallMgrVcContext,
			_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CM_ACTIVATE_VC_COMPLETE(*CM_ACTIVATE_VC_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_DEACTIVATE_VC_COMPLETE)
		VOID(PROTOCOL_CM_DEACTIVATE_VC_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE CallMgrVcContext);
typedef PROTOCOL_CM_DEACTIVATE_VC_COMPLETE(*CM_DEACTIVATE_VC_COMPLETE_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_MODIFY_QOS_CALL)
		NDIS_STATUS(PROTOCOL_CM_MODIFY_QOS_CALL)(
			_In_ NDIS_HANDLE CallMgrVcContext,
			_In_ PCO_CALL_PARAMETERS CallParameters);
typedef PROTOCOL_CM_MODIFY_QOS_CALL(*CM_MODIFY_CALL_QOS_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(PROTOCOL_CM_NOTIFY_CLOSE_AF_COMPLETE)
		VOID(PROTOCOL_CM_NOTIFY_CLOSE_AF_COMPLETE)(
			_In_ NDIS_STATUS Status,
			_In_ NDIS_HANDLE CallMgrAfContext);
typedef PROTOCOL_CM_NOTIFY_CLOSE_AF_COMPLETE(
	*CM_NOTIFY_CLOSE_AF_COMPLETE_HANDLER);

typedef struct _NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Reserved;
	CO_CREATE_VC_HANDLER CmCreateVcHandler;
	CO_DELETE_VC_HANDLER CmDeleteVcHandler;
	CM_OPEN_AF_HANDLER CmOpenAfHandler;
	CM_CLOSE_AF_HANDLER CmCloseAfHandler;
	CM_REG_SAP_HANDLER CmRegisterSapHandler;
	CM_DEREG_SAP_HANDLER CmDeregisterSapHandler;
	CM_MAKE_CALL_HANDLER CmMakeCallHandler;
	CM_CLOSE_CALL_HANDLER CmCloseCallHandler;
	CM_INCOMING_CALL_COMPLETE_HANDLER CmIncomingCallCompleteHandler;
	CM_ADD_PARTY_HANDLER CmAddPartyHandler;
	CM_DROP_PARTY_HANDLER CmDropPartyHandler;
	CM_ACTIVATE_VC_COMPLETE_HANDLER CmActivateVcCompleteHandler;
	CM_DEACTIVATE_VC_COMPLETE_HANDLER CmDeactivateVcCompleteHandler;
	CM_MODIFY_CALL_QOS_HANDLER CmModifyCallQoSHandler;
	CO_OID_REQUEST_HANDLER CmOidRequestHandler;
	CO_OID_REQUEST_COMPLETE_HANDLER CmOidRequestCompleteHandler;
	CM_NOTIFY_CLOSE_AF_COMPLETE_HANDLER CmNotifyCloseAfCompleteHandler;
} NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS,
	*PNDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS;

#define NDIS_SIZEOF_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1              \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS,      \
				 CmNotifyCloseAfCompleteHandler)

/* Miniport drivers (ndis.h): what an MCM registers. */

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_INITIALIZE)
	NDIS_STATUS(MINIPORT_INITIALIZE)(
		_In_ NDIS_HANDLE NdisMiniportHandle,
		_In_ NDIS_HANDLE MiniportDriverContext,
		_In_ PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters);
typedef MINIPORT_INITIALIZE(*MINIPORT_INITIALIZE_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_HALT)
	VOID(MINIPORT_HALT)(_In_ NDIS_HANDLE MiniportAdapterContext,
			    _In_ NDIS_HALT_ACTION HaltAction);
typedef MINIPORT_HALT(*MINIPORT_HALT_HANDLER);

typedef DRIVER_UNLOAD MINIPORT_UNLOAD;
typedef MINIPORT_UNLOAD(*MINIPORT_UNLOAD_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_PAUSE)
	NDIS_STATUS(MINIPORT_PAUSE)(_In_ NDIS_HANDLE MiniportAdapterContext,
				    _In_ PNDIS_MINIPORT_PAUSE_PARAMETERS
					    PauseParameters);
typedef MINIPORT_PAUSE(*MINIPORT_PAUSE_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_RESTART)
	NDIS_STATUS(MINIPORT_RESTART)(_In_ NDIS_HANDLE MiniportAdapterContext,
				      _In_ PNDIS_MINIPORT_RESTART_PARAMETERS
					      RestartParameters);
typedef MINIPORT_RESTART(*MINIPORT_RESTART_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_OID_REQUEST) NDIS_STATUS(
		MINIPORT_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
				      _In_ PNDIS_OID_REQUEST OidRequest);
typedef MINIPORT_OID_REQUEST(*MINIPORT_OID_REQUEST_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_SEND_NET_BUFFER_LISTS)
		VOID(MINIPORT_SEND_NET_BUFFER_LISTS)(
			_In_ NDIS_HANDLE MiniportAdapterContext,
			_In_ PNET_BUFFER_LIST NetBufferList,
			_In_ NDIS_PORT_NUMBER PortNumber,
			_In_ ULONG SendFlags);
typedef MINIPORT_SEND_NET_BUFFER_LISTS(
	*MINIPORT_SEND_NET_BUFFER_LISTS_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_RETURN_NET_BUFFER_LISTS)
		VOID(MINIPORT_RETURN_NET_BUFFER_LISTS)(
			_In_ NDIS_HANDLE MiniportAdapterContext,
			_In_ PNET_BUFFER_LIST NetBufferLists,
			_In_ ULONG ReturnFlags);
typedef MINIPORT_RETURN_NET_BUFFER_LISTS(
	*MINIPORT_RETURN_NET_BUFFER_LISTS_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CANCEL_SEND) VOID(MINIPORT_CANCEL_SEND)(
		_In_ NDIS_HANDLE MiniportAdapterContext, _In_ PVOID CancelId);
typedef MINIPORT_CANCEL_SEND(*MINIPORT_CANCEL_SEND_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CHECK_FOR_HANG)
		BOOLEAN(MINIPORT_CHECK_FOR_HANG)(
			_In_ NDIS_HANDLE MiniportAdapterContext);
typedef MINIPORT_CHECK_FOR_HANG(*MINIPORT_CHECK_FOR_HANG_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_RESET)
	NDIS_STATUS(MINIPORT_RESET)(_In_ NDIS_HANDLE MiniportAdapterContext,
				    _Out_ PBOOLEAN AddressingReset);
typedef MINIPORT_RESET(*MINIPORT_RESET_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL)
	_Function_class_(MINIPORT_DEVICE_PNP_EVENT_NOTIFY)
		VOID(MINIPORT_DEVICE_PNP_EVENT_NOTIFY)(
			_In_ NDIS_HANDLE MiniportAdapterContext,
			_In_ PNET_DEVICE_PNP_EVENT NetDevicePnPEvent);
typedef MINIPORT_DEVICE_PNP_EVENT_NOTIFY(
	*MINIPORT_DEVICE_PNP_EVENT_NOTIFY_HANDLER);

typedef _IRQL_requires_max_(HIGH_LEVEL) _Function_class_(MINIPORT_SHUTDOWN)
	VOID(MINIPORT_SHUTDOWN)(_In_ NDIS_HANDLE MiniportAdapterContext,
				_In_ NDIS_SHUTDOWN_ACTION ShutdownAction);
typedef MINIPORT_SHUTDOWN(*MINIPORT_SHUTDOWN_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CANCEL_OID_REQUEST)
		VOID(MINIPORT_CANCEL_OID_REQUEST)(
			_In_ NDIS_HANDLE MiniportAdapterContext,
			_In_ PVOID RequestId);
typedef MINIPORT_CANCEL_OID_REQUEST(*MINIPORT_CANCEL_OID_REQUEST_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_DIRECT_OID_REQUEST)
		NDIS_STATUS(MINIPORT_DIRECT_OID_REQUEST)(
			_In_ NDIS_HANDLE MiniportAdapterContext,
			_In_ PNDIS_OID_REQUEST OidRequest);
typedef MINIPORT_DIRECT_OID_REQUEST(*MINIPORT_DIRECT_OID_REQUEST_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CANCEL_DIRECT_OID_REQUEST)
		VOID(MINIPORT_CANCEL_DIRECT_OID_REQUEST)(
			_In_ NDIS_HANDLE MiniportAdapterContext,
			_In_ PVOID RequestId);
typedef MINIPORT_CANCEL_DIRECT_OID_REQUEST(
	*MINIPORT_CANCEL_DIRECT_OID_REQUEST_HANDLER);

typedef struct _NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;
	UCHAR MajorNdisVersion;
	UCHAR MinorNdisVersion;
	UCHAR MajorDriverVersion;
	UCHAR MinorDriverVersion;
	ULONG Flags;
	SET_OPTIONS_HANDLER SetOptionsHandler;
	MINIPORT_INITIALIZE_HANDLER InitializeHandlerEx;
	MINIPORT_HALT_HANDLER HaltHandlerEx;
	MINIPORT_UNLOAD_HANDLER UnloadHandler;
	MINIPORT_PAUSE_HANDLER PauseHandler;
	MINIPORT_RESTART_HANDLER RestartHandler;
	MINIPORT_OID_REQUEST_HANDLER OidRequestHandler;
	MINIPORT_SEND_NET_BUFFER_LISTS_HANDLER SendNetBufferListsHandler;
	MINIPORT_RETURN_NET_BUFFER_LISTS_HANDLER ReturnNetBufferListsHandler;
	MINIPORT_CANCEL_SEND_HANDLER CancelSendHandler;
	MINIPORT_CHECK_FOR_HANG_HANDLER CheckForHangHandlerEx;
	MINIPORT_RESET_HANDLER ResetHandlerEx;
	MINIPORT_DEVICE_PNP_EVENT_NOTIFY_HANDLER DevicePnPEventNotifyHandler;
	MINIPORT_SHUTDOWN_HANDLER ShutdownHandlerEx;
	MINIPORT_CANCEL_OID_REQUEST_HANDLER CancelOidRequestHandler;
	/* Revision 2 (NDIS 6.1) */
	MINIPORT_DIRECT_OID_REQUEST_HANDLER DirectOidRequestHandler;
	MINIPORT_CANCEL_DIRECT_OID_REQUEST_HANDLER
		CancelDirectOidRequestHandler;
} NDIS_MINIPORT_DRIVER_CHARACTERISTICS, *PNDIS_MINIPORT_DRIVER_CHARACTERISTICS;

#define NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1                \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_DRIVER_CHARACTERISTICS,        \
				 CancelOidRequestHandler)
#define NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2                \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_DRIVER_CHARACTERISTICS,        \
				 CancelDirectOidRequestHandler)

/* CoNDIS miniport handlers (an MCM's data path; never called here). */

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CO_CREATE_VC) NDIS_STATUS(
		MINIPORT_CO_CREATE_VC)(_In_ NDIS_HANDLE MiniportAdapterContext,
				       _In_ NDIS_HANDLE NdisVcHandle,
				       _Out_ PNDIS_HANDLE MiniportVcContext);
typedef MINIPORT_CO_CREATE_VC(*W_CO_CREATE_VC_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CO_DELETE_VC) NDIS_STATUS(
		MINIPORT_CO_DELETE_VC)(_In_ NDIS_HANDLE MiniportVcContext);
typedef MINIPORT_CO_DELETE_VC(*W_CO_DELETE_VC_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CO_ACTIVATE_VC)
		NDIS_STATUS(MINIPORT_CO_ACTIVATE_VC)(
			_In_ NDIS_HANDLE MiniportVcContext,
			_Inout_ PCO_CALL_PARAMETERS CallParameters);
typedef MINIPORT_CO_ACTIVATE_VC(*W_CO_ACTIVATE_VC_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CO_DEACTIVATE_VC) NDIS_STATUS(
		MINIPORT_CO_DEACTIVATE_VC)(_In_ NDIS_HANDLE MiniportVcContext);
typedef MINIPORT_CO_DEACTIVATE_VC(*W_CO_DEACTIVATE_VC_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CO_SEND_NET_BUFFER_LISTS)
		VOID(MINIPORT_CO_SEND_NET_BUFFER_LISTS)(
			_In_ NDIS_HANDLE MiniportVcContext,
			_In_ PNET_BUFFER_LIST NetBufferLists,
			_In_ ULONG SendFlags);
typedef MINIPORT_CO_SEND_NET_BUFFER_LISTS(*W_CO_SEND_NET_BUFFER_LISTS_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL)
	_Function_class_(MINIPORT_CO_OID_REQUEST)
		NDIS_STATUS(MINIPORT_CO_OID_REQUEST)(
			_In_ NDIS_HANDLE MiniportAdapterContext,
			_In_ NDIS_HANDLE MiniportVcContext,
			_Inout_ PNDIS_OID_REQUEST NdisRequest);
typedef MINIPORT_CO_OID_REQUEST(*W_CO_OID_REQUEST_HANDLER);

typedef struct _NDIS_MINIPORT_CO_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	W_CO_CREATE_VC_HANDLER CoCreateVcHandler;
	W_CO_DELETE_VC_HANDLER CoDeleteVcHandler;
	W_CO_ACTIVATE_VC_HANDLER CoActivateVcHandler;
	W_CO_DEACTIVATE_VC_HANDLER CoDeactivateVcHandler;
	W_CO_SEND_NET_BUFFER_LISTS_HANDLER CoSendNetBufferListsHandler;
	W_CO_OID_REQUEST_HANDLER CoOidRequestHandler;
} NDIS_MINIPORT_CO_CHARACTERISTICS, *PNDIS_MINIPORT_CO_CHARACTERISTICS;

/* NdisSetOptionalHandlers takes any of these by its Header. */
typedef union _NDIS_DRIVER_OPTIONAL_HANDLERS {
	NDIS_OBJECT_HEADER Header;
	NDIS_PROTOCOL_CO_CHARACTERISTICS ProtocolCoCharacteristics;
	NDIS_MINIPORT_CO_CHARACTERISTICS MiniportCoCharacteristics;
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS CallManagerCoCharacteristics;
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS ClientCoCharacteristics;
} NDIS_DRIVER_OPTIONAL_HANDLERS, *PNDIS_DRIVER_OPTIONAL_HANDLERS;

/* Miniport attributes: the registration ones carry the adapter context. */
#define NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE 0x00000001
#define NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM 0x00000002
#define NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK 0x00000004
#define NDIS_MINIPORT_ATTRIBUTES_NOT_CO_NDIS 0x00000008
#define NDIS_MINIPORT_ATTRIBUTES_DO_NOT_BIND_TO_ALL_CO 0x00000010
#define NDIS_MINIPORT_ATTRIBUTES_NO_HALT_ON_SUSPEND 0x00000020
#define NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER 0x00000040
#define NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT 0x00000080

typedef struct _NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	NDIS_HANDLE MiniportAdapterContext;
	ULONG AttributeFlags;
	UINT CheckForHangTimeInSeconds;
	NDIS_INTERFACE_TYPE InterfaceType;
} NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
	*PNDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;

typedef union _NDIS_MINIPORT_ADAPTER_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES RegistrationAttributes;
} NDIS_MINIPORT_ADAPTER_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_ATTRIBUTES;

/*
 * Registration and binding. PASSIVE_LEVEL (else C1, rejected with
 * NDIS_STATUS_FAILURE).
 *
 * NdisRegisterProtocolDriver: characteristics of revision >= 1 with
 * MajorNdisVersion 6 (else NDIS_STATUS_BAD_VERSION) and a
 * BindAdapterHandlerEx (else NDIS_STATUS_BAD_CHARACTERISTICS). Before it
 * returns, NDIS calls the driver's SetOptionsHandler (the driver calls
 * NdisSetOptionalHandlers there: client or call-manager handlers, and
 * NDIS_PROTOCOL_CO_CHARACTERISTICS), binds it to the adapter
 * (BindAdapterHandlerEx, in which it calls NdisOpenAdapterEx; a PENDING
 * return is finished with NdisCompleteBindAdapterEx) and offers a
 * registered address family to a bound client (ProtocolCoAfRegisterNotify).
 * *NdisProtocolHandle is written before any of those calls.
 *
 * NdisMRegisterMiniportDriver (an MCM): before it returns, NDIS calls
 * SetOptionsHandler (NdisSetOptionalHandlers with the call-manager
 * handlers), then InitializeHandlerEx for the adapter, where the MCM calls
 * NdisMSetMiniportAttributes (its MiniportAdapterContext, handed to
 * ProtocolCmOpenAf as CallMgrBindingContext) and
 * NdisMCmRegisterAddressFamilyEx.
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS NdisRegisterProtocolDriver(
	_In_opt_ NDIS_HANDLE ProtocolDriverContext,
	_In_ PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS ProtocolCharacteristics,
	_Out_ PNDIS_HANDLE NdisProtocolHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID
	NdisDeregisterProtocolDriver(_In_ NDIS_HANDLE NdisProtocolHandle);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS NdisSetOptionalHandlers(
	_In_ NDIS_HANDLE NdisHandle,
	_In_ PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
	NdisOpenAdapterEx(_In_ NDIS_HANDLE NdisProtocolHandle,
			  _In_ NDIS_HANDLE ProtocolBindingContext,
			  _In_ PNDIS_OPEN_PARAMETERS OpenParameters,
			  _In_ NDIS_HANDLE BindContext,
			  _Out_ PNDIS_HANDLE NdisBindingHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID
	NdisCompleteBindAdapterEx(_In_ NDIS_HANDLE BindAdapterContext,
				  _In_ NDIS_STATUS Status);
/* NdisCloseAdapterEx completes synchronously; nothing unbinds a driver in
 * a run (the harness ends it with the engine's reset). */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
	NdisCloseAdapterEx(_In_ NDIS_HANDLE NdisBindingHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID
	NdisCompleteUnbindAdapterEx(_In_ NDIS_HANDLE UnbindContext);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS NdisMRegisterMiniportDriver(
	_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath,
	_In_opt_ NDIS_HANDLE MiniportDriverContext,
	_In_ PNDIS_MINIPORT_DRIVER_CHARACTERISTICS
		MiniportDriverCharacteristics,
	_Out_ PNDIS_HANDLE NdisMiniportDriverHandle);
_IRQL_requires_(PASSIVE_LEVEL) VOID NdisMDeregisterMiniportDriver(
	_In_ NDIS_HANDLE NdisMiniportDriverHandle);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS NdisMSetMiniportAttributes(
	_In_ NDIS_HANDLE NdisMiniportHandle,
	_In_ PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes);

/*
 * Address families and SAPs.
 *
 * Ndis(M)CmRegisterAddressFamilyEx (PASSIVE_LEVEL): a stand-alone CM on
 * its NdisBindingHandle, an MCM on its MiniportAdapterHandle (the other
 * family's call is C5). One address family per adapter.
 *
 * NdisClOpenAddressFamilyEx: the client opens the registered family on its
 * binding; NDIS writes *NdisAfHandle and calls the call manager's
 * ProtocolCmOpenAf. PENDING: the CM completes with
 * Ndis(M)CmOpenAddressFamilyComplete and NDIS calls ProtocolClOpenAfCompleteEx;
 * any other status: the client calls its ProtocolClOpenAfCompleteEx itself
 * (the pattern of every client request, C2). NdisClRegisterSap follows the
 * same pattern with ProtocolCmRegisterSap and ProtocolClRegisterSapComplete
 * (incoming calls to the SAP are not modelled). The close and deregister
 * calls route to ProtocolCmCloseAf / ProtocolCmDeregisterSap the same way;
 * the close order of C28 is not checked.
 */
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
	NdisCmRegisterAddressFamilyEx(_In_ NDIS_HANDLE NdisBindingHandle,
				      _In_ PCO_ADDRESS_FAMILY AddressFamily);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
	NdisMCmRegisterAddressFamilyEx(_In_ NDIS_HANDLE MiniportAdapterHandle,
				       _In_ PCO_ADDRESS_FAMILY AddressFamily);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisClOpenAddressFamilyEx(_In_ NDIS_HANDLE NdisBindingHandle,
				  _In_ PCO_ADDRESS_FAMILY AddressFamily,
				  _In_ NDIS_HANDLE ClientAfContext,
				  _Out_ PNDIS_HANDLE NdisAfHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmOpenAddressFamilyComplete(_In_ NDIS_STATUS Status,
					_In_ NDIS_HANDLE NdisAfHandle,
					_In_ NDIS_HANDLE CallMgrAfContext);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisClCloseAddressFamily(_In_ NDIS_HANDLE NdisAfHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmCloseAddressFamilyComplete(_In_ NDIS_STATUS Status,
					 _In_ NDIS_HANDLE NdisAfHandle);
_IRQL_requires_(PASSIVE_LEVEL) NDIS_STATUS
	NdisCmNotifyCloseAddressFamily(_In_ NDIS_HANDLE NdisAfHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisClNotifyCloseAddressFamilyComplete(_In_ NDIS_HANDLE NdisAfHandle,
					       _In_ NDIS_STATUS Status);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisClRegisterSap(_In_ NDIS_HANDLE NdisAfHandle,
			  _In_ NDIS_HANDLE ProtocolSapContext,
			  _In_ PCO_SAP Sap, _Out_ PNDIS_HANDLE NdisSapHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmRegisterSapComplete(_In_ NDIS_STATUS Status,
				  _In_ NDIS_HANDLE NdisSapHandle,
				  _In_ NDIS_HANDLE CallMgrSapContext);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisClDeregisterSap(_In_ NDIS_HANDLE NdisSapHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmDeregisterSapComplete(_In_ NDIS_STATUS Status,
				    _In_ NDIS_HANDLE NdisSapHandle);

/* VC creation and deletion (client; stand-alone CM for CM-created VCs). */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisCoCreateVc(_In_ NDIS_HANDLE NdisBindingHandle,
		       _In_opt_ NDIS_HANDLE NdisAfHandle,
		       _In_ NDIS_HANDLE ProtocolVcContext,
		       _Inout_ PNDIS_HANDLE NdisVcHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisCoDeleteVc(_In_ NDIS_HANDLE NdisVcHandle);

/* Client requests */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisClMakeCall(_In_ NDIS_HANDLE NdisVcHandle,
		       _Inout_ PCO_CALL_PARAMETERS CallParameters,
		       _In_opt_ NDIS_HANDLE ProtocolPartyContext,
		       _Out_opt_ PNDIS_HANDLE NdisPartyHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisClCloseCall(_In_ NDIS_HANDLE NdisVcHandle,
			_In_opt_ NDIS_HANDLE NdisPartyHandle,
			_In_reads_bytes_opt_(Size) PVOID Buffer,
			_In_opt_ UINT Size);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisClAddParty(_In_ NDIS_HANDLE NdisVcHandle,
		       _In_ NDIS_HANDLE ProtocolPartyContext,
		       _Inout_ PCO_CALL_PARAMETERS CallParameters,
		       _Out_ PNDIS_HANDLE NdisPartyHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisClDropParty(_In_ NDIS_HANDLE NdisPartyHandle,
			_In_reads_bytes_opt_(Size) PVOID Buffer,
			_In_opt_ UINT Size);

/* Sends (client, on a connected VC; condis_send.c) */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCoSendNetBufferLists(_In_ NDIS_HANDLE NdisVcHandle,
				 _In_ PNET_BUFFER_LIST NetBufferLists,
				 _In_ ULONG SendFlags);
/* The miniport (an MCM) completes what its MiniportCoSendNetBufferLists
 * got. */
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisMCoSendNetBufferListsComplete(_In_ NDIS_HANDLE NdisVcHandle,
					  _In_ PNET_BUFFER_LIST NetBufferLists,
					  _In_ ULONG SendCompleteFlags);

/*
 * OID requests on an address family, a VC or a party (condis_send.c): the
 * client's go to the call manager's ProtocolCoOidRequest; a PENDING one
 * is completed with NdisCoOidRequestComplete, which reaches the client's
 * ProtocolCoOidRequestComplete.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisCoOidRequest(_In_ NDIS_HANDLE NdisBindingHandle,
			 _In_opt_ NDIS_HANDLE NdisAfHandle,
			 _In_opt_ NDIS_HANDLE NdisVcHandle,
			 _In_opt_ NDIS_HANDLE NdisPartyHandle,
			 _Inout_ PNDIS_OID_REQUEST OidRequest);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCoOidRequestComplete(_In_ NDIS_HANDLE NdisAfHandle,
				 _In_opt_ NDIS_HANDLE NdisVcHandle,
				 _In_opt_ NDIS_HANDLE NdisPartyHandle,
				 _In_ PNDIS_OID_REQUEST OidRequest,
				 _In_ NDIS_STATUS Status);

/* Stand-alone call manager */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisCmActivateVc(_In_ NDIS_HANDLE NdisVcHandle,
			 _Inout_ PCO_CALL_PARAMETERS CallParameters);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisCmDeactivateVc(_In_ NDIS_HANDLE NdisVcHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmMakeCallComplete(_In_ NDIS_STATUS Status,
			       _In_ NDIS_HANDLE NdisVcHandle,
			       _In_opt_ NDIS_HANDLE NdisPartyHandle,
			       _In_opt_ NDIS_HANDLE CallMgrPartyContext,
			       _In_ PCO_CALL_PARAMETERS CallParameters);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmCloseCallComplete(_In_ NDIS_STATUS Status,
				_In_ NDIS_HANDLE NdisVcHandle,
				_In_opt_ NDIS_HANDLE NdisPartyHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmAddPartyComplete(_In_ NDIS_STATUS Status,
			       _In_ NDIS_HANDLE NdisPartyHandle,
			       _In_opt_ NDIS_HANDLE CallMgrPartyContext,
			       _In_ PCO_CALL_PARAMETERS CallParameters);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmDropPartyComplete(_In_ NDIS_STATUS Status,
				_In_ NDIS_HANDLE NdisPartyHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisCmDispatchIncomingDropParty(
	_In_ NDIS_STATUS DropStatus, _In_ NDIS_HANDLE NdisPartyHandle,
	_In_reads_bytes_opt_(Size) PVOID Buffer, _In_opt_ UINT Size);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID NdisCmDispatchIncomingCloseCall(
	_In_ NDIS_STATUS CloseStatus, _In_ NDIS_HANDLE NdisVcHandle,
	_In_reads_bytes_opt_(Size) PVOID Buffer, _In_opt_ UINT Size);

/* Incoming calls (CM-created VCs) */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisCmDispatchIncomingCall(_In_ NDIS_HANDLE NdisSapHandle,
				   _In_ NDIS_HANDLE NdisVcHandle,
				   _In_ PCO_CALL_PARAMETERS CallParameters);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisCmDispatchCallConnected(_In_ NDIS_HANDLE NdisVcHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) VOID
	NdisClIncomingCallComplete(_In_ NDIS_STATUS Status,
				   _In_ NDIS_HANDLE NdisVcHandle,
				   _In_ PCO_CALL_PARAMETERS CallParameters);

/*
 * Miniport call manager (MCM). The five real functions (C5 tells them
 * from the NdisCm* ones), then the macros over the NdisCm* functions.
 */
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisMCmCreateVc(_In_ NDIS_HANDLE MiniportAdapterHandle,
			_In_ NDIS_HANDLE NdisAfHandle,
			_In_ NDIS_HANDLE MiniportVcContext,
			_Out_ PNDIS_HANDLE NdisVcHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisMCmDeleteVc(_In_ NDIS_HANDLE NdisVcHandle);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisMCmActivateVc(_In_ NDIS_HANDLE NdisVcHandle,
			  _In_ PCO_CALL_PARAMETERS CallParameters);
_IRQL_requires_max_(DISPATCH_LEVEL) NDIS_STATUS
	NdisMCmDeactivateVc(_In_ NDIS_HANDLE NdisVcHandle);

#define NdisMCmOpenAddressFamilyComplete(_S_, _H_, _C_)                       \
	NdisCmOpenAddressFamilyComplete(_S_, _H_, _C_)
#define NdisMCmCloseAddressFamilyComplete(_S_, _H_)                           \
	NdisCmCloseAddressFamilyComplete(_S_, _H_)
#define NdisMCmNotifyCloseAddressFamily(_AH_)                                 \
	NdisCmNotifyCloseAddressFamily(_AH_)
#define NdisMCmRegisterSapComplete(_S_, _H_, _C_)                             \
	NdisCmRegisterSapComplete(_S_, _H_, _C_)
#define NdisMCmDeregisterSapComplete(_S_, _H_)                                \
	NdisCmDeregisterSapComplete(_S_, _H_)
#define NdisMCmMakeCallComplete(_S_, _VH_, _PH_, _CC_, _CP_)                  \
	NdisCmMakeCallComplete(_S_, _VH_, _PH_, _CC_, _CP_)
#define NdisMCmCloseCallComplete(_S_, _VH_, _PH_)                             \
	NdisCmCloseCallComplete(_S_, _VH_, _PH_)
#define NdisMCmAddPartyComplete(_S_, _H_, _C_, _P_)                           \
	NdisCmAddPartyComplete(_S_, _H_, _C_, _P_)
#define NdisMCmDropPartyComplete(_S_, _H_) NdisCmDropPartyComplete(_S_, _H_)
#define NdisMCmDispatchIncomingDropParty(_S_, _H_, _B_, _L_)                  \
	NdisCmDispatchIncomingDropParty(_S_, _H_, _B_, _L_)
#define NdisMCmDispatchIncomingCloseCall(_S_, _H_, _B_, _L_)                  \
	NdisCmDispatchIncomingCloseCall(_S_, _H_, _B_, _L_)
#define NdisMCmDispatchIncomingCall(_SH_, _VH_, _CP_)                        \
	NdisCmDispatchIncomingCall(_SH_, _VH_, _CP_)
#define NdisMCmDispatchCallConnected(_H_) NdisCmDispatchCallConnected(_H_)

#endif /* PARTYFUZZ_NDIS_H */
