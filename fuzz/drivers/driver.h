/*
 * drivers/driver.h - how a driver plugs into the CoNDIS harness: one
 * stimulus table.
 *
 * A driver (or a pair) fills a `struct pf_stimuli`: its kind, and for each
 * stimulus it supports a function of its own that performs it the way the
 * driver's surroundings would (its control path, the network, its
 * hardware layer). The harness calls those functions while it plays a
 * program (fuzz/harness/run.h); it asks for nothing else. A stimulus the
 * driver does not support is left NULL and the program's operation is
 * skipped. Every end-of-run check (completions owed, party handles ended,
 * VCs and parties left, leaks) comes from the engine, the trace and the
 * sanitizers, never from the driver: no counts, statistics or error
 * counters are asked for.
 *
 *   kind        PF_DRV_CLIENT, PF_DRV_CM (stand-alone call manager, a
 *               protocol driver), PF_DRV_MCM (miniport call manager), or
 *               a pair: PF_DRV_CLIENT | PF_DRV_MCM, say. The call manager
 *               registers as the kind declared here, whatever a program's
 *               `cm=` config says; a CM that can register either way
 *               (the reference one) declares PF_DRV_CM | PF_DRV_MCM and
 *               then the program's config chooses.
 *   load        DriverEntry and bring-up, between runs: register with
 *               NDIS (NdisRegisterProtocolDriver, NdisMRegisterMiniport-
 *               Driver), bind, register or open the address family. The
 *               host says which CM kind this run uses and how the CM
 *               decides (pf_host). 0 on success.
 *
 * Client stimuli (PF_DRV_CLIENT). Objects are named by index, never by
 * pointer: "VC #vc" is the vc-th VC the driver keeps, in an order of its
 * own, "party #k" the k-th party of that VC; the driver takes every index
 * modulo its number of candidates and does nothing when there is none. A
 * stimulus a correct driver would not act on now (closing a call that
 * still has two parties) does nothing either.
 *   create_vc   NdisCoCreateVc ahead of a call. NULL for a driver that
 *               creates its VC inside its make-call routine.
 *   make_call   open a call on VC #vc (point-to-multipoint or not).
 *   add_party   add a party to the PMP call on VC #vc.
 *   drop_party  drop party #k of VC #vc.
 *   close_call  tear down the call on VC #vc.
 *   delete_vc   delete VC #vc.
 *   answer      take the step the contract asks of the driver after an
 *               indication on VC #vc (answer an incoming drop or close,
 *               or an incoming call it pended).
 *   register_sap    register a SAP on the address family
 *                   (NdisClRegisterSap): incoming calls reach the client
 *                   through it, and it answers them as the host's
 *                   decide() says (the incoming_call op's cm=).
 *   deregister_sap  deregister it (NdisClDeregisterSap).
 *   close_family    close the address family now, in the middle of the
 *                   run (NdisClCloseAddressFamily), if the driver may:
 *                   no call open, no SAP registered (C28). Afterwards it
 *                   opens no call on it.
 *   send        NdisCoSendNetBufferLists on VC #vc, if its call is
 *               connected and the driver may still send on it (C23).
 *   oid         NdisCoOidRequest on VC #vc (@k 0) or on its party #k-1
 *               (a party the driver may still name: C9).
 *
 * Call-manager stimuli (PF_DRV_CM, PF_DRV_MCM). How the CM decides a
 * request is the host's decide(); these are the network's and the
 * hardware's events:
 *   complete        complete pended request #k with @status (a call
 *                   manager that is also the miniport counts the sends
 *                   it holds after its requests: NdisMCoSendNetBuffer-
 *                   ListsComplete with @status as the chain's status).
 *   incoming_drop   the network drops connected party #k.
 *   incoming_close  the network closes call #k.
 *   incoming_call   the network offers a call: create a VC
 *                   (NdisCoCreateVc / NdisMCmCreateVc), dispatch it on
 *                   the client's SAP, and once accepted activate the VC
 *                   and dispatch call-connected; delete the VC after its
 *                   close completed or the client rejected the call.
 *   notify_close_af the call manager closes the client's address family
 *                   (Ndis(M)CmNotifyCloseAddressFamily, as from its
 *                   unbind or halt path: PASSIVE_LEVEL only, once; a CM
 *                   placed above PASSIVE_LEVEL, or whose family is not
 *                   open, does nothing). NDIS calls the client's
 *                   ProtocolClNotifyCloseAf; the client's answer comes
 *                   back from the call or, pended, through the CM's
 *                   ProtocolCmNotifyCloseAfComplete.
 *
 * End of run, in NDIS's order (the WDK's unbind path: the call manager
 * closes the address family, then NDIS unbinds, then unloads):
 *   (wind-down) the harness has the call manager call notify_close_af
 *               once, at PASSIVE_LEVEL on its actor's CPU. The client is
 *               reached only through the ProtocolClNotifyCloseAf it
 *               registered, as in NDIS, which calls it once: it tears
 *               down (answers indications, drops parties to one, closes
 *               calls, deletes its VCs, deregisters its SAP), closes the
 *               family and returns SUCCESS, or PENDING and carries on
 *               from its completion handlers, completing the
 *               notification (NdisClNotifyCloseAddressFamilyComplete)
 *               when the family's close completed. The harness then
 *               completes the CM's pended requests and runs the DPCs,
 *               round after round, until nothing moves. There is no
 *               client stimulus for it: every CoNDIS client registers
 *               ProtocolClNotifyCloseAf (NDIS_CO_CLIENT_OPTIONAL_-
 *               HANDLERS), so a driver is always reached that way, and a
 *               harness-side call of it would hide what the driver
 *               does with the notification (a second call, a missing
 *               completion).
 *   unbind      ProtocolUnbindAdapterEx: deregister the SAPs, close the
 *               address family once no call is left on it (C28), close
 *               the binding (NdisClDeregisterSap, NdisClCloseAddressFamily,
 *               NdisCloseAdapterEx).
 *   unload      DriverUnload: deregister, free every static table and
 *               context; this is also what resets the driver between
 *               inputs (LeakSanitizer sees what it leaves).
 *
 * Harness-only entries (the adversary's puppets, fuzz/drivers/puppet.c):
 *   ddi         call one DDI with the op's raw arguments (op ddi).
 *   leave_irql  the next callback of @actor returns at @irql.
 *
 * Context: every stimulus runs where the harness placed its actor (CPU,
 * IRQL: cn_cpu_select(), KeRaiseIrql()); unbind and unload run after the
 * last check, back at the IRQL the CPU had before any actor ran
 * (PASSIVE_LEVEL with drivers under test). Single-threaded like the
 * engine; a driver's locks are taken and released within one call.
 */
#ifndef PARTYFUZZ_DRIVER_H
#define PARTYFUZZ_DRIVER_H

#include <stdint.h>

#include "partyfuzz/condis.h"
#include "partyfuzz/ndis.h"

/* What the CM does with a request it receives (ProtocolCm*). */
enum drv_decision {
	DRV_SYNC_SUCCESS = 0, /* return NDIS_STATUS_SUCCESS */
	DRV_SYNC_FAIL = 1,    /* return the choice's fail_status */
	DRV_PEND = 2,         /* return NDIS_STATUS_PENDING, complete later */
};

struct drv_choice {
	enum drv_decision decision;
	NDIS_STATUS fail_status; /* for DRV_SYNC_FAIL; SUCCESS or PENDING
				  * here become NDIS_STATUS_FAILURE */
};

/*
 * drv_decide_fn() - asked by the CM for every request it receives.
 * @arg: the host's decide_arg.
 * @request: CN_REQ_MAKE_CALL, _ADD_PARTY, _DROP_PARTY or _CLOSE_CALL;
 *           CN_REQ_NONE for a send an MCM's MiniportCoSendNetBufferLists
 *           got (complete it at once, hold it, or complete it at once
 *           with fail_status).
 *
 * The CM may override a choice where the contract forces it: a drop or
 * close carrying close data on a medium without close-data support
 * returns NDIS_STATUS_INVALID_DATA (C20).
 */
typedef struct drv_choice (*drv_decide_fn)(void *arg, enum cn_req request);

/* Driver kinds (struct pf_stimuli.kind), or-ed for a pair. */
#define PF_DRV_CLIENT 0x1u
#define PF_DRV_CM 0x2u  /* stand-alone call manager */
#define PF_DRV_MCM 0x4u /* miniport call manager */

struct pf_program;

/* What the harness hands a driver at load. */
struct pf_host {
	enum cn_cm_kind cm_kind; /* the kind the CM registers as this run */
	uint32_t max_vcs;        /* most VCs the engine gives out */
	drv_decide_fn decide;    /* the current operation's CM answer */
	void *decide_arg;
	/* Harness only (puppets): the program this run plays, which the
	 * puppet CM reads at load to choose its handlers (puppet.c). */
	const struct pf_program *program;
};

struct pf_stimuli {
	const char *name; /* for traces and findings */
	unsigned kind;    /* PF_DRV_* */
	int (*load)(const struct pf_host *host);

	/* client */
	void (*create_vc)(void);
	void (*make_call)(uint32_t vc, int pmp);
	void (*add_party)(uint32_t vc);
	void (*drop_party)(uint32_t vc, uint32_t k);
	void (*close_call)(uint32_t vc);
	void (*delete_vc)(uint32_t vc);
	void (*answer)(uint32_t vc);
	void (*register_sap)(void);
	void (*deregister_sap)(void);
	void (*close_family)(void);
	void (*send)(uint32_t vc);
	void (*oid)(uint32_t vc, uint32_t k);

	/* call manager */
	void (*complete)(uint32_t k, NDIS_STATUS status);
	void (*incoming_drop)(uint32_t k, NDIS_STATUS status);
	void (*incoming_close)(uint32_t k, NDIS_STATUS status);

	/* incoming calls (appended: NULL for drivers without them) */
	void (*incoming_call)(void);      /* call manager */

	/* the call manager's close of the family (op notify_close_af and
	 * the wind-down) */
	void (*notify_close_af)(void);

	/* end of run */
	void (*unbind)(void);
	void (*unload)(void);

	/* harness only (puppets) */
	void (*ddi)(const uint8_t *arg);
	void (*leave_irql)(int actor, uint8_t irql);
};

/* The reference drivers' tables (ref_table.c): a PMP client, and a call
 * manager that registers either way (PF_DRV_CM | PF_DRV_MCM). */
extern const struct pf_stimuli pf_ref_client_stimuli;
extern const struct pf_stimuli pf_ref_cm_stimuli;

/* The adversary's puppet pair (puppet.c): the harness as both drivers. */
extern const struct pf_stimuli pf_puppet_stimuli;

#endif /* PARTYFUZZ_DRIVER_H */
