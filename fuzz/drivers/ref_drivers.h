/*
 * drivers/ref_drivers.h - the reference drivers' own control API.
 *
 * Their stimulus tables (ref_table.c, pf_ref_client_stimuli and
 * pf_ref_cm_stimuli of driver.h) are thin wrappers over the functions
 * below; core/test drives the drivers through them directly.
 *
 * Three drivers written as a CoNDIS driver author would write them, against
 * ndis.h only, registered through NDIS like a user's driver (the client and
 * the stand-alone CM as protocol drivers, the MCM as a miniport; each
 * drv_*_register() below runs that registration and its bring-up):
 *
 *   ref_client.c  a correct PMP client: party contexts malloc'd before
 *                 NdisClMakeCall/NdisClAddParty, handles saved on success,
 *                 contexts freed only in the handler that ends the party
 *                 (A1, A3, A5), last party closed with NdisClCloseCall,
 *                 pending adds/drops counted before closing (R2), VC deleted
 *                 only after the close completed (A14).
 *   ref_cm.c      a correct call manager, stand-alone (NdisCm*) or MCM
 *                 (NdisMCm*) by its registration kind: stores NdisPartyHandle
 *                 in its party context (C16), activates before a make-call
 *                 success and deactivates before a close success (C22),
 *                 completes each pended request once (C3), frees its party
 *                 context only after its drop completion returned (A9).
 *
 * The harness makes them act through the functions below. Everything is
 * named by index, never by pointer: "VC #k" is the k-th of the client's
 * VCs in creation order, "party #k" the k-th party of that VC in creation
 * order, "pending #k" the k-th request the CM pended (oldest first). Every
 * index is taken modulo the number of candidates, so every index is
 * valid; with no candidate the call returns DRV_NOOP. A stimulus a correct
 * driver would not perform in the current state (e.g. closing a call that
 * still has two parties) returns DRV_REFUSED and calls nothing.
 *
 * Memory: every driver context is malloc'd and freed by the driver at the
 * point the contract allows, so ASan/LSan see a real use-after-free or leak
 * in a buggy variant. drv_*_teardown() frees whatever is still held,
 * without calling NDIS, at the end of a run.
 *
 * Context: the stimuli call DDIs, so they run where the harness selected
 * the CPU and IRQL (cn_cpu_select(), KeRaiseIrql()); the drivers never
 * block and never change the IRQL. Single-threaded like the engine.
 */
#ifndef PARTYFUZZ_REF_DRIVERS_H
#define PARTYFUZZ_REF_DRIVERS_H

#include <stdint.h>

#include "partyfuzz/condis.h"
#include "driver.h"
#include "partyfuzz/ndis.h"

enum drv_result {
	DRV_DONE = 0,    /* the driver called NDIS; *status says what came
			  * back */
	DRV_NOOP = 1,    /* no candidate for the index: nothing called */
	DRV_REFUSED = 2, /* a correct driver would not do this now */
};

/*
 * Client
 */

/**
 * drv_client_register() - register the reference client with the current
 * engine (after cn_engine_reset()).
 * @max_vcs: most VCs the client keeps at once (further creates refused).
 *
 * Context: between runs.
 * Return: PT_OK; PT_E_INVAL; PT_E_NOMEM.
 */
PT_NODISCARD int drv_client_register(uint32_t max_vcs);

/* Free every context the client still holds; no DDI is called. */
void drv_client_teardown(void);

/* ProtocolUnbindAdapterEx: NdisClCloseAddressFamily, NdisCloseAdapterEx. */
void drv_client_unbind(void);

/* DriverUnload: NdisDeregisterProtocolDriver, then drv_client_teardown(). */
void drv_client_unload(void);

/* NdisCoCreateVc; the new VC is the last index. */
enum drv_result drv_client_create_vc(NDIS_STATUS *status);

/* NdisClMakeCall on VC #vc, point-to-multipoint (initial party) or not.
 * Refused unless the VC is idle or closed (A7 reuse). */
enum drv_result drv_client_make_call(uint32_t vc, int pmp,
				     NDIS_STATUS *status);

/* NdisClAddParty on VC #vc. Refused unless the PMP call is up and not
 * being closed (C6, C15). */
enum drv_result drv_client_add_party(uint32_t vc, NDIS_STATUS *status);

/* NdisClDropParty on party #party of VC #vc, among the parties the client
 * holds a handle for and is not already tearing down. The last party is
 * dropped too: NDIS answers FAILURE (A2) and the client keeps it (A1). */
enum drv_result drv_client_drop_party(uint32_t vc, uint32_t party,
				      NDIS_STATUS *status);

/* NdisClCloseCall on VC #vc with its surviving party. Refused while more
 * than one party is connected or any add/drop is in flight (C11, R2). */
enum drv_result drv_client_close_call(uint32_t vc, NDIS_STATUS *status);

/* NdisCoDeleteVc on VC #vc. Refused unless it is idle or closed. */
enum drv_result drv_client_delete_vc(uint32_t vc, NDIS_STATUS *status);

/*
 * drv_client_answer() - take the next step the contract asks of the client
 * on VC #vc after an indication: for an incoming drop, NdisClDropParty of
 * that party, or NdisClCloseCall if it is the last one (A11, B13); after an
 * incoming close, drop one of the other parties, then close with the last
 * (C15). NOOP if nothing is owed; REFUSED while it must wait (an add or
 * drop of the VC is in flight, or the party's handle has not arrived).
 */
enum drv_result drv_client_answer(uint32_t vc, NDIS_STATUS *status);

/* Incoming calls (they reach the SAP of drv_client_register_sap()): how
 * offers are answered (the host's decide(): SUCCESS accepts, PENDING
 * pends until drv_client_answer(), a failure rejects with it). */
void drv_client_set_decide(drv_decide_fn fn, void *arg);
/*
 * drv_client_send() - NdisCoSendNetBufferLists of one NET_BUFFER_LIST on
 * VC #vc, if its call is connected and not closed by the network (C23,
 * C15); REFUSED otherwise. The chain is freed by its completion.
 */
enum drv_result drv_client_send(uint32_t vc);

/*
 * drv_client_oid() - NdisCoOidRequest, a query of OID_GEN_CO_LINK_SPEED,
 * on VC #vc itself (@k modulo 1 + its connected parties is 0) or on its
 * connected party #k-1 (C9). The request is freed when it is answered.
 */
enum drv_result drv_client_oid(uint32_t vc, uint32_t k, NDIS_STATUS *status);

/* Observers */
uint32_t drv_client_vc_count(void);
NDIS_HANDLE drv_client_vc_handle(uint32_t vc); /* NULL if out of range */
uint32_t drv_client_party_count(uint32_t vc);  /* all the VC's parties */

struct drv_client_stats {
	uint32_t requests;         /* NdisCl* calls made */
	uint32_t pended;           /* ... that returned PENDING */
	uint32_t ndis_completions; /* ProtocolCl*Complete called by NDIS */
	uint32_t self_completions; /* handlers the client ran itself (C2) */
	uint32_t incoming_drops, incoming_closes;
	uint32_t live_contexts;   /* VC + party contexts allocated now */
	uint32_t protocol_errors; /* callbacks the client could not match
				   * to its state (0 for a correct engine) */
	uint32_t params_changed;  /* setups completed with CallParameters
				   * the CM changed (C8) */
};
void drv_client_stats(struct drv_client_stats *out);

/*
 * The address family (C28): one SAP, registered and deregistered on
 * demand; the family closed mid-run only with no call open and the SAP
 * deregistered (B35 closes it with calls open). DRV_NOOP without a family
 * (or SAP), DRV_REFUSED when the contract says not now.
 */
enum drv_result drv_client_register_sap(NDIS_STATUS *status);
enum drv_result drv_client_deregister_sap(NDIS_STATUS *status);
enum drv_result drv_client_close_family(NDIS_STATUS *status);
/* After a request of its own: carry on the teardown that ProtocolCl-
 * NotifyCloseAf started, and complete the notification once the family is
 * closed (its completion handlers do the same). */
void drv_client_notify_progress(void);
/* The NdisAfHandle of the client's open family, NULL once closed. */
NDIS_HANDLE drv_client_af(void);

/*
 * Call manager (stand-alone or MCM)
 */

/**
 * drv_cm_register() - register the reference call manager.
 * @kind: CN_CM_STANDALONE or CN_CM_MINIPORT (MCM).
 * @decide: the decision callback; NULL answers DRV_SYNC_SUCCESS.
 * @arg: passed to @decide.
 *
 * Context: between runs.
 * Return: PT_OK; PT_E_INVAL.
 */
PT_NODISCARD int drv_cm_register(enum cn_cm_kind kind, drv_decide_fn decide,
				 void *arg);

/* Free every context the CM still holds; no DDI is called. */
void drv_cm_teardown(void);

/* ProtocolUnbindAdapterEx of a stand-alone CM: NdisCloseAdapterEx. */
void drv_cm_unbind(void);

/* DriverUnload: Ndis(M)Deregister*Driver, then drv_cm_teardown(). */
void drv_cm_unload(void);

/* Requests the CM pended and has not completed. */
uint32_t drv_cm_pending_count(void);

/**
 * drv_cm_pending_get() - describe pending request #k (no modulo here).
 * Return: PT_OK; PT_E_INVAL if @k is out of range.
 */
PT_NODISCARD int drv_cm_pending_get(uint32_t k, struct cn_pending_info *out);

/*
 * drv_cm_complete() - complete pending request #k with @status (PENDING
 * becomes NDIS_STATUS_FAILURE): activate before a make-call SUCCESS,
 * deactivate before a close SUCCESS, then Ndis(M)Cm*Complete; a drop's
 * party context is freed after the completion returned.
 */
enum drv_result drv_cm_complete(uint32_t k, NDIS_STATUS status);

/*
 * drv_cm_incoming_drop() - the network drops connected party #k (over all
 * VCs, in the CM's creation order, among the parties the CM may legally
 * name: connected, not being dropped or closed, on a VC with another
 * connected party: C13, R4). Ndis(M)CmDispatchIncomingDropParty.
 */
enum drv_result drv_cm_incoming_drop(uint32_t k, NDIS_STATUS drop_status);

/*
 * drv_cm_incoming_close() - the network closes call #k (among the CM's
 * connected calls that are not closing and not already remote-closed).
 * Ndis(M)CmDispatchIncomingCloseCall.
 */
enum drv_result drv_cm_incoming_close(uint32_t k, NDIS_STATUS close_status);

/*
 * drv_cm_incoming_call() - the network offers a call: NdisCoCreateVc (an
 * MCM: NdisMCmCreateVc) and Ndis(M)CmDispatchIncomingCall on the client's
 * SAP; accepted, Ndis(M)CmActivateVc and Ndis(M)CmDispatchCallConnected;
 * refused, the VC is deleted. NOOP until the client registered a SAP.
 */
enum drv_result drv_cm_incoming_call(void);

/*
 * drv_cm_notify_close_af() - the call manager closes the client's family
 * (Ndis(M)CmNotifyCloseAddressFamily, once, at PASSIVE_LEVEL: above it
 * DRV_REFUSED, as a driver that would queue it to a work item). NOOP if
 * the family is not open or a notification is in flight.
 */
enum drv_result drv_cm_notify_close_af(void);

struct drv_cm_stats {
	uint32_t requests; /* ProtocolCm* calls received */
	uint32_t pended;
	uint32_t completed; /* Ndis(M)Cm*Complete calls made */
	uint32_t live_contexts;
	uint32_t protocol_errors;
};
void drv_cm_stats(struct drv_cm_stats *out);

/* Name of a result: "DONE", "NOOP", "REFUSED". */
const char *drv_result_name(int r);

#endif /* PARTYFUZZ_REF_DRIVERS_H */
