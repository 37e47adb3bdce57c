/*
 * partyfuzz/condis.h - the CoNDIS engine: the NDIS layer behind ndis.h.
 *
 * The engine is the NDIS side of the point-to-multipoint party lifecycle
 * (spec/condis-contract.md sections 2 and 3): it owns every VC and party
 * handle, routes client requests to the registered call manager (CM or
 * MCM), routes completions and indications back to the client, keeps the
 * VC and party state machines (parties live in the party table,
 * party_table.h), simulates processors with IRQLs, and checks every rule
 * of the catalogue (rules.h) on each DDI entry and callback return.
 *
 * One instance per process, the "current engine": the DDIs of ndis.h are
 * global functions and act on it. The harness creates it once, then for
 * every run calls cn_engine_reset() (cheap: nothing is allocated, the
 * party table is emptied in place), registers the drivers, runs, checks,
 * and finally destroys it. Same configuration and same calls give the
 * same handles, statuses, callbacks and trace on every build.
 *
 * Threads: the engine is single-threaded. Simulated processors are
 * cooperative: the harness picks the current CPU (cn_cpu_select()) and
 * decides when deferred completions (DPCs) run (cn_dpc_run()). Nothing
 * here may be called from two real threads at once.
 *
 * Synchronization table (simulated concurrency):
 *
 *   operation                         | may run
 *   ----------------------------------+-----------------------------------
 *   ndis.h DDIs                       | on any simulated CPU at IRQL <=
 *                                     | DISPATCH_LEVEL, nested inside any
 *                                     | callback (re-entrancy is allowed;
 *                                     | a driver that then takes a spin
 *                                     | lock it holds, B27, is S1)
 *   cn_dpc_run                        | between steps, not inside a DDI;
 *                                     | the CPU must be below DISPATCH
 *   queries, cn_call_validate,        | between steps (quiescent points)
 *   cn_engine_check_end               |
 *   create/reset/destroy, register    | between runs
 *
 * Completion delivery (spec A12): when the CM completes a pended request
 * (Ndis(M)Cm*Complete) or dispatches an indication (incoming drop/close),
 * the engine changes the state AT ONCE (the party is ACTIVE/DEAD, the VC
 * CONNECTED/CLOSED from that call on) and asks cn_config.choose_delivery
 * whether the client's handler runs synchronously (nested in the CM's call,
 * same CPU and IRQL) or later from a DPC on a chosen CPU (at
 * DISPATCH_LEVEL). A client may therefore receive, say, an incoming close
 * for a VC whose make-call completion is still queued: the reference
 * client copes, and so must a real one. Requests from the client to the
 * CM (ProtocolCm*) and ProtocolCo*Vc always run synchronously. A
 * completion may also arrive while the ProtocolCm* handler of its request
 * still runs (another CPU's, or the handler's own): it is accepted, and
 * the request returns PENDING once the handler has (rules.h, check order;
 * CN_OPT_A12_EARLY makes the reference CM do it).
 *
 * Verifier: every check below names its rule. A violating DDI call is
 * REJECTED: the engine state is unchanged, the CM is not called, and the
 * DDI returns NDIS_STATUS_INVALID_PARAMETER (VOID DDIs just return),
 * except NdisCoDeleteVc which returns the documented NOT_ACCEPTED/CLOSING.
 * A violation in a callback's RETURN (e.g. ProtocolCmMakeCall answering
 * SUCCESS before activating) cannot be rejected: it is reported and the
 * engine proceeds with the returned status (PENDING from ProtocolCoCreateVc
 * counts as FAILURE, from ProtocolCoDeleteVc as SUCCESS). In
 * CN_VERIFY_ABORT mode a report prints and abort()s; in CN_VERIFY_RECORD
 * mode it is counted and kept (cn_verifier_*).
 *
 * Checks run in the order the contract fixes, written next to the rule
 * catalogue (rules.h, "Check order"); the first failure is the one
 * reported. The engine implements that order; the sequential model
 * (fuzz/harness/model.c) follows the same text, not this code.
 *
 * Out-parameters: *NdisPartyHandle of NdisClMakeCall/NdisClAddParty and
 * *NdisVcHandle of NdisCoCreateVc are written only on SUCCESS.
 */
#ifndef PARTYFUZZ_CONDIS_H
#define PARTYFUZZ_CONDIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "partyfuzz/err.h"
#include "partyfuzz/ndis.h"
#include "partyfuzz/party_table.h"
#include "partyfuzz/rules.h"

#define CN_MAX_CPUS 8
#define CN_MAX_VCS 4096

/* Handle tags: party handles carry CN_TAG_PARTY (party_table.h layout),
 * VC handles the same layout with CN_TAG_VC. */
#define CN_TAG_PARTY 0x50 /* 'P' */
#define CN_TAG_VC 0x56    /* 'V' */
#define CN_TAG_NDIS 0x4E  /* 'N': binding and address-family handles */

/* An NDIS_HANDLE as the 64-bit value that traces, reports and queries
 * carry, and back: the one cast between the two. */
#define CN_HANDLE_VALUE(h) ((uint64_t)(uintptr_t)(h))
#define CN_HANDLE(v) ((NDIS_HANDLE)(uintptr_t)(v))

enum cn_verify_mode {
	CN_VERIFY_ABORT = 0,  /* fuzz builds: report, then abort() */
	CN_VERIFY_RECORD = 1, /* tests, adversary: count, reject, go on */
};

enum cn_cm_kind {
	CN_CM_STANDALONE = 1, /* protocol driver: NdisCm*, NdisCo* */
	CN_CM_MINIPORT = 2,   /* MCM: NdisMCm* */
};

/*
 * Model options (spec section 6), bits of cn_config.options.
 *
 * CN_OPT_A2_COUNT_CONNECTING  A2, the [sample] reading: ADDING parties
 *     count as "other" for the last-party FAILURE. Its known hole: if that
 *     add then fails, the PMP call has no party left to close it with
 *     (C11); the VC stays CONNECTED until an incoming close, and live_vcs
 *     shows it at the end.
 * CN_OPT_A7_NO_VC_REUSE  A7: no NdisClMakeCall on a CLOSED VC (default:
 *     a closed client VC takes a new call).
 * CN_OPT_CLOSE_DATA  C20: the medium supports close data.
 * CN_OPT_A2_CM_FAILS  A2, the call manager's reading: NDIS never fails
 *     the last party's drop itself; it forwards it to the call manager,
 *     which answers (or completes) it with FAILURE (SUCCESS there is C11).
 *     Without it NDIS fails it, when no other party is connected and no
 *     other drop is in flight; with another drop in flight the call
 *     manager decides in either mode (condis_party.c, L1).
 * CN_OPT_A12_EARLY  A12, early delivery: completions come before the
 *     request has returned PENDING. The engine accepts a completion from
 *     inside the ProtocolCm* handler that then returns PENDING (another
 *     CPU's) in every mode; with this option NDIS also completes a call
 *     manager's synchronous answer itself (the client's handler runs
 *     nested in the request, which returns PENDING), and the reference
 *     call manager completes what it pends from inside its handler, with
 *     SUCCESS, as a second CPU would.
 */
#define CN_OPT_A2_COUNT_CONNECTING (1u << 0)
#define CN_OPT_A7_NO_VC_REUSE (1u << 1)
#define CN_OPT_CLOSE_DATA (1u << 2)
#define CN_OPT_A12_EARLY (1u << 3)
#define CN_OPT_A2_CM_FAILS (1u << 4)

/* Actors, as printed in traces. Values are stable. */
enum cn_actor {
	CN_ACTOR_NDIS = 0,
	CN_ACTOR_CLIENT = 1,
	CN_ACTOR_CM = 2,
	CN_ACTOR_MCM = 3,
	CN_ACTOR_HARNESS = 4,
	CN_ACTOR_DRIVER = 5, /* either kind: whichever driver runs on the CPU */
};

/*
 * Every DDI and callback, for traces and for choose_delivery.
 * X(name, caller): caller is the actor that makes the call (NDIS for
 * callbacks into drivers; DRIVER, printed "driver", for calls both kinds
 * of driver make). Values are stable (only appended).
 *
 * The NdisMCm*Complete, NdisMCmDispatch* and other macro'd MCM names
 * (ndis.h) are the same functions as their NdisCm* twins: a step gets the
 * name of the registered call manager's family, whichever spelling the
 * driver wrote. Registration, binding and address-family bring-up
 * (NdisRegisterProtocolDriver .. ProtocolClDeregisterSapComplete,
 * NdisCloseAdapterEx, NdisCompleteUnbindAdapterEx) are traced like any
 * DDI. The NDIS services NdisAllocateSpinLock .. NdisFreeToNPaged-
 * LookasideList are not trace steps (a driver may call them thousands of
 * times per operation, and the model has nothing to predict about them):
 * they are named here for the reports of rules C1, S1 and S2, which mark
 * the step they happen in.
 */
#define CN_FN_ENTRIES(X)                                                      \
	X(KeRaiseIrql, 1, DRIVER)                                                \
	X(KeLowerIrql, 2, DRIVER)                                                \
	X(NdisCoCreateVc, 3, CLIENT)                                          \
	X(NdisCoDeleteVc, 4, CLIENT)                                          \
	X(NdisClMakeCall, 5, CLIENT)                                          \
	X(NdisClAddParty, 6, CLIENT)                                          \
	X(NdisClDropParty, 7, CLIENT)                                         \
	X(NdisClCloseCall, 8, CLIENT)                                         \
	X(NdisCmActivateVc, 9, CM)                                            \
	X(NdisCmDeactivateVc, 10, CM)                                         \
	X(NdisCmMakeCallComplete, 11, CM)                                     \
	X(NdisCmAddPartyComplete, 12, CM)                                     \
	X(NdisCmDropPartyComplete, 13, CM)                                    \
	X(NdisCmCloseCallComplete, 14, CM)                                    \
	X(NdisCmDispatchIncomingDropParty, 15, CM)                            \
	X(NdisCmDispatchIncomingCloseCall, 16, CM)                            \
	X(NdisMCmCreateVc, 17, MCM)                                           \
	X(NdisMCmDeleteVc, 18, MCM)                                           \
	X(NdisMCmActivateVc, 19, MCM)                                         \
	X(NdisMCmDeactivateVc, 20, MCM)                                       \
	X(NdisMCmMakeCallComplete, 21, MCM)                                   \
	X(NdisMCmAddPartyComplete, 22, MCM)                                   \
	X(NdisMCmDropPartyComplete, 23, MCM)                                  \
	X(NdisMCmCloseCallComplete, 24, MCM)                                  \
	X(NdisMCmDispatchIncomingDropParty, 25, MCM)                          \
	X(NdisMCmDispatchIncomingCloseCall, 26, MCM)                          \
	X(ProtocolCoCreateVc, 27, NDIS)                                       \
	X(ProtocolCoDeleteVc, 28, NDIS)                                       \
	X(ProtocolCmMakeCall, 29, NDIS)                                       \
	X(ProtocolCmAddParty, 30, NDIS)                                       \
	X(ProtocolCmDropParty, 31, NDIS)                                      \
	X(ProtocolCmCloseCall, 32, NDIS)                                      \
	X(ProtocolClMakeCallComplete, 33, NDIS)                               \
	X(ProtocolClAddPartyComplete, 34, NDIS)                               \
	X(ProtocolClDropPartyComplete, 35, NDIS)                              \
	X(ProtocolClCloseCallComplete, 36, NDIS)                              \
	X(ProtocolClIncomingDropParty, 37, NDIS)                              \
	X(ProtocolClIncomingCloseCall, 38, NDIS)                              \
	X(HarnessNote, 39, HARNESS)                                           \
	X(EndOfRun, 40, NDIS)                                                 \
	X(NdisRegisterProtocolDriver, 41, DRIVER)                                \
	X(NdisSetOptionalHandlers, 42, DRIVER)                                   \
	X(NdisOpenAdapterEx, 43, DRIVER)                                         \
	X(NdisCompleteBindAdapterEx, 44, DRIVER)                                 \
	X(NdisMRegisterMiniportDriver, 45, MCM)                               \
	X(NdisMSetMiniportAttributes, 46, MCM)                                \
	X(NdisCmRegisterAddressFamilyEx, 47, CM)                              \
	X(NdisMCmRegisterAddressFamilyEx, 48, MCM)                            \
	X(NdisClOpenAddressFamilyEx, 49, CLIENT)                              \
	X(NdisCmOpenAddressFamilyComplete, 50, CM)                            \
	X(NdisMCmOpenAddressFamilyComplete, 51, MCM)                          \
	X(NdisClCloseAddressFamily, 52, CLIENT)                               \
	X(NdisCmCloseAddressFamilyComplete, 53, CM)                           \
	X(NdisMCmCloseAddressFamilyComplete, 54, MCM)                         \
	X(NdisClRegisterSap, 55, CLIENT)                                      \
	X(NdisCmRegisterSapComplete, 56, CM)                                  \
	X(NdisMCmRegisterSapComplete, 57, MCM)                                \
	X(NdisClDeregisterSap, 58, CLIENT)                                    \
	X(NdisCmDeregisterSapComplete, 59, CM)                                \
	X(NdisMCmDeregisterSapComplete, 60, MCM)                              \
	X(NdisDeregisterProtocolDriver, 61, DRIVER)                              \
	X(NdisMDeregisterMiniportDriver, 62, MCM)                             \
	X(ProtocolSetOptions, 63, NDIS)                                       \
	X(ProtocolBindAdapterEx, 64, NDIS)                                    \
	X(MiniportSetOptions, 65, NDIS)                                       \
	X(MiniportInitializeEx, 66, NDIS)                                     \
	X(ProtocolCoAfRegisterNotify, 67, NDIS)                               \
	X(ProtocolCmOpenAf, 68, NDIS)                                         \
	X(ProtocolClOpenAfCompleteEx, 69, NDIS)                               \
	X(ProtocolCmCloseAf, 70, NDIS)                                        \
	X(ProtocolClCloseAfComplete, 71, NDIS)                                \
	X(ProtocolCmRegisterSap, 72, NDIS)                                    \
	X(ProtocolClRegisterSapComplete, 73, NDIS)                            \
	X(ProtocolCmDeregisterSap, 74, NDIS)                                  \
	X(ProtocolClDeregisterSapComplete, 75, NDIS)                          \
	X(NdisAllocateSpinLock, 76, DRIVER)                                      \
	X(NdisFreeSpinLock, 77, DRIVER)                                          \
	X(NdisAcquireSpinLock, 78, DRIVER)                                       \
	X(NdisReleaseSpinLock, 79, DRIVER)                                       \
	X(NdisDprAcquireSpinLock, 80, DRIVER)                                    \
	X(NdisDprReleaseSpinLock, 81, DRIVER)                                    \
	X(NdisAllocateMemoryWithTagPriority, 82, DRIVER)                         \
	X(NdisFreeMemory, 83, DRIVER)                                            \
	X(NdisInitializeNPagedLookasideList, 84, DRIVER)                         \
	X(NdisDeleteNPagedLookasideList, 85, DRIVER)                             \
	X(NdisAllocateFromNPagedLookasideList, 86, DRIVER)                       \
	X(NdisFreeToNPagedLookasideList, 87, DRIVER)                             \
	X(NdisCloseAdapterEx, 88, DRIVER)                                        \
	X(NdisCompleteUnbindAdapterEx, 89, DRIVER)                               \
	X(NdisCmDispatchIncomingCall, 90, CM)                                 \
	X(NdisMCmDispatchIncomingCall, 91, MCM)                               \
	X(NdisClIncomingCallComplete, 92, CLIENT)                             \
	X(NdisCmDispatchCallConnected, 93, CM)                                \
	X(NdisMCmDispatchCallConnected, 94, MCM)                              \
	X(ProtocolClIncomingCall, 95, NDIS)                                   \
	X(ProtocolCmIncomingCallComplete, 96, NDIS)                           \
	X(ProtocolClCallConnected, 97, NDIS)                                  \
	X(NdisCoSendNetBufferLists, 98, CLIENT)                               \
	X(NdisMCoSendNetBufferListsComplete, 99, MCM)                         \
	X(MiniportCoSendNetBufferLists, 100, NDIS)                            \
	X(ProtocolCoSendNetBufferListsComplete, 101, NDIS)                    \
	X(NdisCoOidRequest, 102, CLIENT)                                      \
	X(NdisCoOidRequestComplete, 103, CM)                                  \
	X(ProtocolCoOidRequest, 104, NDIS)                                    \
	X(ProtocolCoOidRequestComplete, 105, NDIS)                            \
	X(NdisCmNotifyCloseAddressFamily, 106, CM)                            \
	X(NdisMCmNotifyCloseAddressFamily, 107, MCM)                          \
	X(ProtocolClNotifyCloseAf, 108, NDIS)                                 \
	X(NdisClNotifyCloseAddressFamilyComplete, 109, CLIENT)                \
	X(ProtocolCmNotifyCloseAfComplete, 110, NDIS)

enum cn_fn {
	CN_FN_NONE = 0,
#define CN_FN_ENUM_(name, value, caller) CN_FN_##name = value,
	CN_FN_ENTRIES(CN_FN_ENUM_)
#undef CN_FN_ENUM_
};
#define CN_FN_MAX 110

/* VC states (spec 3.2). FREE = slot unused (the VC was deleted). */
enum cn_vc_state {
	CN_VC_FREE = 0,
	CN_VC_IDLE = 1,          /* created, no call */
	CN_VC_MAKING = 2,        /* NdisClMakeCall in flight */
	CN_VC_CONNECTED = 3,     /* call up (PMP: >= 1 party) */
	CN_VC_REMOTE_CLOSED = 4, /* incoming close delivered */
	CN_VC_CLOSING = 5,       /* NdisClCloseCall in flight */
	CN_VC_CLOSED = 6,        /* closed and deactivated */
	CN_VC_PARKED = 7,        /* generation exhausted, never reused */
	/* CM-created VCs (incoming calls, condis_incoming.c): */
	CN_VC_OFFERED = 8,  /* Ndis(M)CmDispatchIncomingCall done, the
			     * client's answer outstanding */
	CN_VC_ACCEPTED = 9, /* the client accepted; the CM activates and
			     * dispatches call-connected */
};

/* Requests for which the CM may owe a completion. */
enum cn_req {
	CN_REQ_NONE = 0,
	CN_REQ_MAKE_CALL = 1,
	CN_REQ_ADD_PARTY = 2,
	CN_REQ_DROP_PARTY = 3,
	CN_REQ_CLOSE_CALL = 4,
};

/*
 * choose_delivery() - decide how one completion/indication reaches the
 * client (spec A12).
 * @arg: cn_config.choose_arg.
 * @callback: the client handler, CN_FN_ProtocolCl*.
 * @cpu: for a deferral, receives the CPU whose DPC queue gets it (taken
 *       modulo cpu_count).
 * Return: 0 to run the handler now (synchronously, nested in the CM's
 * call); nonzero to queue it as a DPC. A full DPC queue runs it now.
 */
typedef int (*cn_delivery_fn)(void *arg, enum cn_fn callback, uint32_t *cpu);

struct cn_violation;
typedef void (*cn_violation_fn)(void *arg, const struct cn_violation *v);

/*
 * on_transition() - one row of a state machine was taken (spec 3.1, 3.2).
 * @arg: cn_config.transition_arg.
 * @step: the trace step during which it happened (the latest one begun).
 * @row: the row, numbered as cn_transition_get() numbers it.
 * @handle: the party or VC handle, raw.
 * @from: the state before (enum pt_party_state, PT_FREE for a new party;
 *        enum cn_vc_state for a VC).
 * @to: the state after (PT_DEAD: the handle ended; CN_VC_FREE: deleted).
 *
 * For observers (partyfuzz show): it must not call into the engine. The
 * sequential model never sees it (it predicts from the trace alone).
 */
typedef void (*cn_transition_fn)(void *arg, uint64_t step, uint32_t row,
				 uint64_t handle, int from, int to);

struct cn_config {
	uint32_t max_vcs;        /* 1 .. CN_MAX_VCS */
	uint32_t max_parties;    /* party-table capacity, >= 1 */
	uint8_t gen_bits;        /* generation width of party and VC handles,
				  * 1 .. 32, 0 = 32; small values make slot
				  * reuse and parking reachable */
	uint8_t cpu_count;       /* 1 .. CN_MAX_CPUS */
	uint16_t dpc_capacity;   /* DPC queue entries per CPU, >= 1 */
	uint32_t trace_capacity; /* trace ring entries, >= 1 */
	enum cn_verify_mode mode;
	uint32_t options;               /* CN_OPT_* */
	cn_delivery_fn choose_delivery; /* NULL: always synchronous */
	void *choose_arg;
	cn_violation_fn on_violation; /* NULL, or called with each report
					 * (before abort() in ABORT mode) */
	void *violation_arg;
	cn_transition_fn on_transition; /* NULL, or called at every row taken */
	void *transition_arg;
};

/* One verifier report. */
struct cn_violation {
	enum cn_rule rule;
	enum cn_fn fn;      /* the DDI or callback where it was found */
	uint64_t handle;    /* the offending handle, raw */
	int party_state;    /* enum pt_party_state, or -1 none/invalid */
	int vc_state;       /* enum cn_vc_state, or -1 none/invalid */
	uint64_t step;      /* trace step of the call */
	const char *detail; /* static string: what exactly was wrong */
	char line[256];     /* the report line, without newline */
};

/*
 * Lifecycle
 */

/**
 * cn_engine_create() - create the process's current engine.
 * @cfg: capacities, CPUs, verifier mode, options, hooks; copied.
 *
 * Allocates everything the engine will ever use. CPU 0 is current, every
 * CPU at PASSIVE_LEVEL.
 *
 * Context: PASSIVE_LEVEL, between runs.
 * Return: PT_OK; PT_E_INVAL for a NULL @cfg, a field out of range, or an
 * engine that already exists; PT_E_NOMEM.
 */
PT_NODISCARD int cn_engine_create(const struct cn_config *cfg);

/**
 * cn_engine_reset() - forget everything of the last run.
 *
 * VCs, parties (the party table emptied: handles start over, so runs are
 * independent), DPC queues, trace, verifier counts, CPUs (CPU 0, all
 * PASSIVE) and driver registrations. Driver memory is the drivers' own
 * (a driver frees it in its own unbind and unload, driver.h).
 *
 * Context: between runs.
 * Return: PT_OK; PT_E_INVAL without an engine.
 */
PT_NODISCARD int cn_engine_reset(void);

/**
 * cn_engine_reset_gen() - cn_engine_reset() with another generation width.
 * @gen_bits: the party table's generation width from now on, as
 *            cn_config.gen_bits (0 means PT_MAX_GEN_BITS).
 *
 * What cn_engine_create() with the configuration changed in that field
 * alone would give, without its allocations: a harness whose programs
 * choose the width keeps one engine.
 *
 * Context: between runs.
 * Return: as cn_engine_reset(); PT_E_INVAL for @gen_bits above
 * PT_MAX_GEN_BITS.
 */
PT_NODISCARD int cn_engine_reset_gen(uint8_t gen_bits);

/**
 * cn_engine_destroy() - free the current engine; no-op without one.
 *
 * Context: between runs.
 */
void cn_engine_destroy(void);

/**
 * cn_engine_config() - the current engine's configuration, or NULL.
 */
const struct cn_config *cn_engine_config(void);

/**
 * cn_engine_set_options() - change the model options (CN_OPT_*).
 * @options: the new bits.
 *
 * Context: between runs or between steps.
 */
void cn_engine_set_options(uint32_t options);

/*
 * Registration. A driver registers through NDIS (ndis.h:
 * NdisRegisterProtocolDriver or NdisMRegisterMiniportDriver,
 * NdisSetOptionalHandlers, binding, Ndis(M)CmRegisterAddressFamilyEx,
 * ProtocolCoAfRegisterNotify, NdisClOpenAddressFamilyEx; condis_bind.c,
 * condis_af.c).
 * These two calls are the engine's own shortcut for drivers that are part
 * of the harness (the adversary's puppets, tests): the same state in one
 * call, no trace step. One client and one call manager per run, either
 * way, and the two ways mix (an NDIS client is offered the family of an
 * engine-registered CM).
 */

/**
 * cn_register_client() - register the client's handlers.
 * @h: Header.Type NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS; the make,
 *     close, add and drop completion handlers and both incoming handlers
 *     must be set. Copied.
 * @ProtocolAfContext: handed to the client's ClCreateVcHandler when the
 *     call manager creates a VC (an incoming call, condis_incoming.c).
 * @NdisBindingHandle: receives the handle for NdisCoCreateVc.
 * @NdisAfHandle: receives the address-family handle for NdisCoCreateVc:
 *     the client is bound with the family open (once a close of it is
 *     over, NdisClOpenAddressFamilyEx on @NdisBindingHandle opens it
 *     again).
 *
 * Context: between runs.
 * Return: PT_OK; PT_E_INVAL (bad table, NULL out pointer, no engine, a
 * client already registered).
 */
PT_NODISCARD int cn_register_client(const NDIS_CO_CLIENT_OPTIONAL_HANDLERS *h,
				    NDIS_HANDLE ProtocolAfContext,
				    PNDIS_HANDLE NdisBindingHandle,
				    PNDIS_HANDLE NdisAfHandle);

/**
 * cn_register_call_manager() - register the call manager's handlers.
 * @kind: stand-alone CM or MCM; decides which DDI family is legal (C5).
 * @h: Header.Type NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
 *     create/delete VC, make/close call, add/drop party must be set.
 * @CallMgrAfContext: handed to CmCreateVcHandler as ProtocolAfContext.
 * @NdisBindingHandle: receives the CM's NdisBindingHandle (MCM: its
 *     MiniportAdapterHandle).
 *
 * The CM's address family (CO_ADDRESS_FAMILY_Q2931 3.1) is registered with
 * it; a client registered through NDIS is offered it at once, and its
 * NdisClOpenAddressFamilyEx goes to h->CmOpenAfHandler, or is answered
 * SUCCESS by the engine when that is NULL.
 *
 * Context: between runs.
 * Return: PT_OK; PT_E_INVAL.
 */
PT_NODISCARD int cn_register_call_manager(
	enum cn_cm_kind kind, const NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS *h,
	NDIS_HANDLE CallMgrAfContext, PNDIS_HANDLE NdisBindingHandle);

/**
 * cn_register_send_handlers() - the send handlers of drivers registered
 * through the two calls above (drivers registered through NDIS give them
 * in NDIS_PROTOCOL_CO_CHARACTERISTICS and NDIS_MINIPORT_CO_CHARACTERISTICS,
 * NdisSetOptionalHandlers).
 * @ProtocolCoSendNetBufferListsComplete: the client's; NULL for a client
 *     that never sends (a completion then reaches nobody).
 * @MiniportCoSendNetBufferLists: the MCM's; NULL (and for a stand-alone
 *     CM): NDIS completes every send itself (condis_send.c).
 *
 * Context: between runs, after the registrations.
 */
void cn_register_send_handlers(
	CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER
		ProtocolCoSendNetBufferListsComplete,
	W_CO_SEND_NET_BUFFER_LISTS_HANDLER MiniportCoSendNetBufferLists);

/*
 * Simulated processors (irql.c)
 */

/**
 * cn_cpu_select() - make @cpu the current processor.
 * @cpu: < cpu_count.
 *
 * The DDIs and Ke*Irql act on the current CPU's IRQL.
 * Context: between steps (not inside a DDI).
 * Return: PT_OK; PT_E_INVAL for an unknown CPU; PT_E_STATE inside a DDI or
 * callback (a call in progress stays on its CPU).
 */
PT_NODISCARD int cn_cpu_select(uint32_t cpu);

uint32_t cn_cpu_current(void);
uint32_t cn_cpu_count(void);

/* The IRQL of @cpu; HIGH_LEVEL + 1 for an unknown CPU. */
KIRQL cn_cpu_irql(uint32_t cpu);

/*
 * DPC queues: deferred client completions (spec A12).
 */

/* Number of DPCs queued on @cpu (0 for an unknown CPU). */
uint32_t cn_dpc_count(uint32_t cpu);

/* Number of DPCs queued on all CPUs. */
uint32_t cn_dpc_total(void);

/**
 * cn_dpc_run() - run one queued DPC.
 * @cpu: the CPU whose queue holds it; it becomes current for the run and
 *       the previous selection is restored afterwards.
 * @index: position in that queue (0 = oldest; the harness may pick any,
 *         which models DPCs of several sources racing).
 *
 * The CPU is raised to DISPATCH_LEVEL, the client's handler runs (it may
 * call DDIs, which see DISPATCH_LEVEL), then the IRQL is restored. A
 * queued INDICATION whose object moved on meanwhile is cancelled instead
 * (traced, counted in indications_cancelled): an incoming drop whose party
 * ended, an incoming close whose VC is no longer REMOTE_CLOSED or CLOSING.
 * NDIS never calls a driver with a context that may have been freed.
 * Completions are never cancelled: their contexts live until they run.
 *
 * Context: between steps. The CPU must be below DISPATCH_LEVEL (DPCs run
 * only when a processor drops below it).
 * Return: PT_OK; PT_E_INVAL (unknown CPU or index); PT_E_STATE (the CPU is
 * at DISPATCH_LEVEL or above).
 */
PT_NODISCARD int cn_dpc_run(uint32_t cpu, uint32_t index);

/*
 * State queries (for the sequential model). Between steps.
 */

struct cn_vc_info {
	enum cn_vc_state state;
	uint8_t pmp;         /* the call is point-to-multipoint */
	uint8_t activated;   /* Ndis(M)CmActivateVc done, not deactivated */
	uint8_t cm_created;  /* created by the call manager (incoming call) */
	enum cn_req pending; /* CN_REQ_MAKE_CALL/CLOSE_CALL: the CM pended it
			       * and owes the completion; else CN_REQ_NONE */
	uint32_t active;     /* parties ACTIVE + REMOTE_DROPPED */
	uint32_t adding, dropping, making, closing, remote_dropped;
	uint32_t sends;      /* NdisCoSendNetBufferLists whose
			      * ProtocolCoSendNetBufferListsComplete has not
			      * run yet (C23) */
	uint32_t mp_sends;   /* ... of them, still held by the miniport
			      * (an MCM's MiniportCoSendNetBufferLists) */
	NDIS_HANDLE ProtocolVcContext;
	NDIS_HANDLE CallMgrVcContext;
};

struct cn_party_info {
	enum pt_party_state state;
	NDIS_HANDLE vc;
	enum cn_req pending; /* ADD/DROP (or MAKE for the initial party,
			       * CLOSE for the closing one) pended at the CM */
	NDIS_HANDLE ProtocolPartyContext;
	NDIS_HANDLE CallMgrPartyContext;
};

struct cn_pending_info {
	enum cn_req kind;
	NDIS_HANDLE vc;
	NDIS_HANDLE party; /* NULL for a P2P make/close */
};

/**
 * cn_vc_query() - state of one VC.
 * Return: PT_OK; PT_E_NULL, PT_E_FOREIGN, PT_E_MALFORMED, PT_E_STALE as
 * for party handles.
 */
PT_NODISCARD int cn_vc_query(NDIS_HANDLE vc, struct cn_vc_info *out);

/**
 * cn_vc_next() - iterate over existing VCs in slot order.
 * @cursor: 0 to start.
 * Return: 1 with @vc (and @out unless NULL) filled, 0 at the end.
 */
int cn_vc_next(uint32_t *cursor, NDIS_HANDLE *vc, struct cn_vc_info *out);

/**
 * cn_party_query() - state of one party.
 * Return: PT_OK; the errors of pt_party_lookup().
 */
PT_NODISCARD int cn_party_query(NDIS_HANDLE party, struct cn_party_info *out);

/**
 * cn_party_next() - iterate over the live parties of @vc in slot order.
 * Return: 1 with @party (and @out unless NULL) filled, 0 at the end or for
 * a bad VC.
 */
int cn_party_next(NDIS_HANDLE vc, uint32_t *cursor, NDIS_HANDLE *party,
		  struct cn_party_info *out);

/* Requests pended by the CM and not completed yet. */
uint32_t cn_pending_count(void);

/* Send chains the MCM holds (MiniportCoSendNetBufferLists got them,
 * NdisMCoSendNetBufferListsComplete not yet), all VCs. */
uint32_t cn_send_held_count(void);

/**
 * cn_pending_next() - iterate over owed CM completions: VC-level ones
 * (make/close) in VC slot order, then party-level (add/drop) in party slot
 * order.
 * Return: 1 with @out filled, 0 at the end.
 */
int cn_pending_next(uint32_t *cursor, struct cn_pending_info *out);

/* Counters of the run (monotonic). */
struct cn_stats {
	uint64_t steps; /* trace steps */
	uint32_t vcs_created, vcs_deleted;
	uint32_t parties_created;       /* party handles issued */
	uint32_t parties_ended;         /* retired, each exactly once (C12) */
	uint32_t client_pended;         /* NdisCl* that returned PENDING */
	uint32_t client_completed;      /* ProtocolCl*Complete run by NDIS */
	uint32_t cm_pended;             /* ProtocolCm* that returned PENDING */
	uint32_t cm_completed;          /* accepted Ndis(M)Cm*Complete */
	uint32_t indications;           /* incoming drop/close delivered */
	uint32_t indications_cancelled; /* queued ones dropped by cn_dpc_run
					 * because their object moved on */
	uint32_t deferred;              /* deliveries queued as DPCs */
	uint32_t violations;            /* verifier reports */
	uint32_t params_changed;        /* accepted make-call/add completions
					 * whose CallParameters NDIS read with
					 * CALL_PARAMETERS_CHANGED set (C8) */
};
void cn_engine_stats(struct cn_stats *out);

/**
 * cn_call_validate() - check every invariant of the engine (V1..V13 of
 * condis_check.c), including pt_table_validate().
 * @why: NULL, or receives the first violated invariant.
 * @len: size of @why.
 *
 * V1 (pt_table_validate()) runs only when the engine changed the party
 * table since V1 last held: the same verdict, since the table's state is
 * all V1 reads and only the engine writes it; cn_engine_check_end()
 * checks V1 in full, whatever the last validation saw.
 *
 * Context: quiescent points only (not inside a DDI). O(VCs + parties +
 * DPCs); never allocates.
 * Return: PT_OK, or PT_E_CORRUPT.
 */
PT_NODISCARD int cn_call_validate(char *why, size_t len);

struct cn_end_report {
	uint32_t owed_cm_completions; /* C3: pended, never completed */
	uint32_t undelivered;         /* C2: DPCs never run */
	uint32_t live_parties;        /* C12 (C14 if REMOTE_DROPPED) */
	uint32_t remote_closed_vcs;   /* C15: incoming close never answered */
	uint32_t live_vcs;            /* VCs never deleted (a leak) */
	uint32_t delivery_mismatch;   /* C2: |client_pended - client_completed|
				       * after all DPCs ran */
	uint32_t unanswered_calls;    /* C3: incoming calls the client pended
				       * and never completed */
	uint32_t cm_vcs_left;         /* C25: CM-created VCs their creator
				       * never deleted */
	uint32_t sends_owed;          /* C23: sends the miniport never
				       * completed */
	uint32_t oids_owed;           /* C3: OID requests the call manager
				       * pended and never completed */
	uint32_t notify_owed;         /* C3: a close notification the
				       * client pended and never completed
				       * (NdisClNotifyCloseAddressFamily-
				       * Complete) */
};

/**
 * cn_engine_check_end() - the end-of-run check.
 * @out: NULL, or receives the counts.
 *
 * Reports through the verifier: C3 per owed CM completion, C2 per
 * undelivered DPC and for a pended/completed mismatch, C14 per
 * REMOTE_DROPPED party, C12 per other live party, C15 per REMOTE_CLOSED
 * VC, C3 per incoming call the client pended and never completed
 * (NdisClIncomingCallComplete), C25 per CM-created VC its call manager
 * never deleted, C23 per send the miniport never completed (sends_owed),
 * C3 per OID request the call manager pended and never completed
 * (oids_owed), C3 for a close notification (ProtocolClNotifyCloseAf) the
 * client pended and never completed (notify_owed). Client-created VCs
 * never deleted are counted (live_vcs) but not a rule.
 *
 * Context: between steps, at the end of a run (after the harness tore
 * down what it wanted to).
 * Return: PT_OK if nothing is owed, live or leaked; PT_E_STATE otherwise.
 */
PT_NODISCARD int cn_engine_check_end(struct cn_end_report *out);

/*
 * The state machines (spec 3.1, 3.2): ONE transition table per machine in
 * condis_machine.c, which the engine executes and these functions print.
 */

struct cn_transition_info {
	const char *machine; /* "party" or "vc" */
	const char *id;      /* spec row, e.g. "P7", or "V3" */
	const char *from;    /* state name */
	const char *event;   /* e.g. "NdisClDropParty" */
	const char *to;      /* state name; "(close_from)" for a failed
			      * close returning where it came from */
};

/* Row @i of the party table, then of the VC table. Return: 1, or 0 past
 * the end. */
int cn_transition_get(uint32_t i, struct cn_transition_info *out);

/* Both state graphs in Graphviz DOT, generated from the tables. */
void cn_state_graph_dot(FILE *out);

/*
 * Contract coverage: which rows of the state machines were taken, at which
 * IRQL, and which rules fired. Counters are process-wide and cumulative:
 * cn_engine_reset() and cn_engine_destroy() keep them, so replaying a
 * whole corpus adds up (`partyfuzz coverage`).
 */

/* IRQLs counted: PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL. */
#define CN_COV_IRQLS 3

/* Times row @row (numbered as cn_transition_get) was taken at @irql. */
uint64_t cn_coverage_transition(uint32_t row, KIRQL irql);

/* Times @rule was reported (record and abort mode). */
uint64_t cn_coverage_rule(int rule);

/* Zero every coverage counter. Context: between runs. */
void cn_coverage_clear(void);

/*
 * Reports (report.c)
 */

/* Reports of @rule since the last reset (record and abort mode). */
uint32_t cn_verifier_count(int rule);

/* All reports since the last reset. */
uint32_t cn_verifier_total(void);

/**
 * cn_verifier_last() - the most recent report.
 * Return: 1 with @out filled; 0 if there was none.
 */
int cn_verifier_last(struct cn_violation *out);

/* Forget counts and the last report. */
void cn_verifier_clear(void);

void cn_verifier_set_mode(enum cn_verify_mode mode);

/*
 * Trace (trace.c): a ring of the last trace_capacity steps.
 */

/*
 * One step: a DDI entry or a callback into a driver.
 * Besides the main handle, an entry holds every other argument of the
 * call, raw, so that a reader of the trace alone (the sequential model)
 * can predict each callback to the field:
 *
 *   fn                            party  ctx    ctx2   params data
 *   NdisCoCreateVc                -      PVC    -      -      -
 *   NdisClMakeCall                -      PPC    -      CP     -
 *   NdisClAddParty                -      PPC    -      CP     -
 *   NdisClDropParty               -      -      -      -      B
 *   NdisClCloseCall               PH     -      -      -      B
 *   Ndis(M)CmMakeCallComplete     PH     CPC    -      CP     -
 *   Ndis(M)CmAddPartyComplete     -      CPC    -      CP     -
 *   Ndis(M)CmCloseCallComplete    PH     -      -      -      -
 *   Ndis(M)CmDispatchIncoming*    -      -      -      -      B
 *   ProtocolCoCreateVc            -      AF     -      -      -
 *   ProtocolCoDeleteVc            -      CVC    -      -      -
 *   ProtocolCmMakeCall            PH     CVC    -      CP     -
 *   ProtocolCmAddParty            PH     CVC    -      CP     -
 *   ProtocolCmDropParty           -      CPC    -      -      B
 *   ProtocolCmCloseCall           -      CVC    CPC    -      B
 *   ProtocolClMakeCallComplete    PH     PVC    -      CP     -
 *   ProtocolClAddPartyComplete    PH     PPC    -      CP     -
 *   ProtocolClDropPartyComplete   -      PPC    -      -      -
 *   ProtocolClCloseCallComplete   -      PVC    PPC    -      -
 *   ProtocolClIncomingDropParty   -      PPC    -      -      B
 *   ProtocolClIncomingCloseCall   -      PVC    -      -      B
 *   Ndis(M)CmDispatchIncomingCall -      SAP    -      CP     -
 *   NdisClIncomingCallComplete    -      -      -      CP     -
 *   ProtocolClIncomingCall        -      PSC    PVC    CP     -
 *   ProtocolCmIncomingCallComplete -     CVC    -      CP     -
 *   ProtocolClCallConnected       -      PVC    -      -      -
 *
 * A CM-created VC (condis_incoming.c): NdisCoCreateVc from the CM's
 * binding (ctx = the CM's context) or NdisMCmCreateVc (ctx = the
 * MiniportVcContext) runs the CLIENT's ProtocolCoCreateVc (ctx = the
 * client's ProtocolAfContext; `out` = the ProtocolVcContext it wrote);
 * deleting it runs the client's ProtocolCoDeleteVc (ctx = PVC). On those
 * two callbacks `actor` is CN_ACTOR_CLIENT, the driver NDIS calls (it is
 * NDIS otherwise). On an NdisCoDeleteVc of a CM-created VC, `actor` is
 * the caller the engine attributed it to (cn_actor_set()); on an
 * NdisCoCreateVc from the CM's binding it is CN_ACTOR_CM. SAP is the
 * NdisSapHandle, PSC the client's ProtocolSapContext.
 *   NdisCoSendNetBufferLists      -      -      -      -      NBL
 *   MiniportCoSendNetBufferLists  -      CVC    -      -      NBL
 *   NdisMCoSendNetBufferLists-    -      -      -      -      NBL
 *     Complete
 *   ProtocolCoSendNetBufferLists- -      PVC    -      -      NBL
 *     Complete
 *   NdisCoOidRequest              PH     -      -      -      OID
 *   NdisCoOidRequestComplete      PH     -      -      -      OID
 *   ProtocolCoOidRequest          -      CVC    CPC    -      OID
 *   ProtocolCoOidRequestComplete  -      PVC    PPC    -      OID
 *
 * PH NdisPartyHandle, PVC ProtocolVcContext, PPC ProtocolPartyContext,
 * CVC CallMgrVcContext, CPC CallMgrPartyContext, AF the CM's
 * ProtocolAfContext, CP CallParameters, B the close data or indication
 * Buffer (its Size in size), NBL the NetBufferLists chain (the send's
 * SendFlags or SendCompleteFlags in size; the completions carry the
 * chain's NET_BUFFER_LIST_STATUS as their status), OID the OidRequest.
 * Every send step's main handle is the VC's; an OID step's is the VC's
 * (NULL for a request on the address family), its callbacks' the party's
 * if it names one, else the VC's.
 *
 * `out` is what a callback wrote to its out parameter when it returned:
 * *CallMgrVcContext of ProtocolCoCreateVc, *CallMgrPartyContext of
 * ProtocolCmMakeCall/AddParty; and the handle NDIS wrote through a DDI's
 * out-handle pointer: *NdisVcHandle of NdisCoCreateVc, *NdisPartyHandle
 * of NdisClMakeCall/NdisClAddParty (0 when it wrote none).
 *
 * `out_ptr` is that out-handle pointer as the caller passed it, on entry
 * (enum cn_out_ptr): the facts C7 and C26 judge, so that a reader of the
 * trace needs nothing from the caller.
 *
 * Delivery (spec A12): a DDI that completes or indicates something to
 * the client records what choose_delivery answered (defer, and dpc_cpu
 * as it was answered: the queue is dpc_cpu modulo cpu_count) and what
 * happened: dpc_seq is the queued DPC's sequence number (1, 2, ... per
 * run), or 0 if the client's handler ran at once, nested in this step.
 * The client callback run by cn_dpc_run() carries the same dpc_seq (0
 * when it ran nested) and `cancelled` if the indication was dropped
 * because its object moved on.
 *
 * Contexts and pointers differ from run to run: cn_trace_format() never
 * prints them.
 */
/* A DDI's out-handle pointer on entry (cn_trace_entry.out_ptr). */
enum cn_out_ptr {
	CN_OUT_PTR_NONE = 0,  /* the step has no out-handle pointer */
	CN_OUT_PTR_NULL = 1,  /* the pointer is NULL */
	CN_OUT_PTR_CLEAR = 2, /* it points to NULL */
	CN_OUT_PTR_SET = 3,   /* it points to a non-NULL handle */
};

struct cn_trace_entry {
	uint64_t step;
	enum cn_fn fn;
	uint8_t actor; /* enum cn_actor of the caller */
	uint8_t cpu;
	uint8_t irql;
	uint8_t depth;    /* nesting: callbacks inside DDIs */
	uint8_t returned; /* ret is valid */
	uint8_t has_status;
	uint8_t defer;      /* choose_delivery asked for a DPC on dpc_cpu */
	uint8_t cancelled;  /* a queued indication dropped, not delivered */
	uint8_t out_ptr;    /* enum cn_out_ptr: a DDI's out-handle pointer */
	uint32_t dpc_cpu;   /* the CPU choose_delivery asked for */
	enum cn_rule rule;  /* reported at this step, or CN_RULE_NONE */
	uint64_t handle;    /* main handle argument, raw */
	NDIS_STATUS status; /* status argument (completions, indications) */
	NDIS_STATUS ret;    /* returned status (NDIS_STATUS DDIs/callbacks) */
	const char *note;   /* static label (a cancelled DPC), or NULL */
	uint64_t party;     /* NdisPartyHandle argument (table above) */
	uint64_t ctx, ctx2; /* context arguments (table above) */
	uint64_t params;    /* CallParameters */
	uint64_t data;      /* close data / indication Buffer */
	uint32_t size;      /* its Size */
	uint64_t out;       /* out parameter on return (above) */
	uint64_t dpc_seq;   /* see "Delivery" above */
	uint8_t irql_back;  /* a callback that returned: 1 + the IRQL it
			     * returned at (C1 if not the one it was entered
			     * at, `irql`); 0 for a DDI or a running one */
};

/* Number of steps recorded since the last reset (also those overwritten). */
uint64_t cn_trace_steps(void);

/**
 * cn_trace_get() - fetch step @step.
 * Return: PT_OK; PT_E_INVAL if the step is not (or no longer) in the ring.
 */
PT_NODISCARD int cn_trace_get(uint64_t step, struct cn_trace_entry *out);

/**
 * cn_trace_peek() - step @step in place, without a copy (a reader of
 * many steps, the sequential model, on the fuzzers' hot path).
 * Return: the entry, unchanged until the next step is recorded or the
 * engine is reset; NULL if the step is not (or no longer) in the ring.
 */
const struct cn_trace_entry *cn_trace_peek(uint64_t step);

/**
 * cn_trace_format() - one readable, deterministic line for an entry:
 *   "#12    cpu1 DISPATCH ndis->client ProtocolClAddPartyComplete P3.2
 *    party=P3.2 status=SUCCESS [dpc#4]"
 * step, CPU, IRQL, caller->callee, the DDI or callback indented by its
 * depth, the main handle, party= for an NdisPartyHandle argument that is
 * not the main handle, status=, "-> <returned status>", the delivery
 * ("[queued dpc#N cpuC]" on the DDI that queued a DPC, "[dpc#N]" on the
 * callback it ran), a note, and the rule reported at the step.
 * Handles print as P<index>.<gen> / V<index>.<gen> / AF / BIND-CL /
 * BIND-CM, anything else in hex; contexts and pointers never appear.
 * Return: the length snprintf would have written.
 */
int cn_trace_format(const struct cn_trace_entry *e, char *buf, size_t len);

/* Print the last @n steps (all kept ones if @n is 0), one per line. */
void cn_trace_dump(FILE *out, uint32_t n);

/**
 * cn_actor_set() - the driver whose code runs next at the top level.
 * @actor: CN_ACTOR_CLIENT, or CN_ACTOR_CM / CN_ACTOR_MCM for the call
 *         manager.
 *
 * NdisCoDeleteVc carries no caller: for a VC the call manager created,
 * the engine attributes the call to the driver whose callback runs
 * innermost (a ProtocolCl* handler: the client; a ProtocolCm* handler:
 * the call manager) and, outside every callback, to @actor. The harness
 * sets it whenever it places an actor (hsched.c); cn_engine_reset()
 * makes it the client.
 *
 * Context: between steps.
 */
void cn_actor_set(enum cn_actor actor);

/* Names for printing: static strings, "?" for unknown values. */
const char *cn_fn_name(int fn);
const char *cn_actor_name(int actor);
const char *cn_vc_state_name(int state);
const char *cn_req_name(int req);
const char *cn_irql_name(int irql);        /* "PASSIVE", "DISPATCH", "IRQL7" */
const char *cn_status_name(NDIS_STATUS s); /* "SUCCESS", ..., "0x..." is
					     * not static: unknown values
					     * give "OTHER" */

/* Format any handle as in traces (P3.2, V0.1, AF, 0x1234). */
int cn_handle_format(uint64_t h, char *buf, size_t len);

#endif /* PARTYFUZZ_CONDIS_H */
