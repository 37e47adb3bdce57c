/*
 * model.h - the sequential reference model of the CoNDIS party lifecycle
 * (spec/condis-contract.md section 3, the readings of section 6 as
 * CONTRACT.md settles them).
 *
 * The model is a plain restatement of the VC and party state machines:
 * one struct per VC and per party ever issued, one field per fact, no
 * tables shared with the engine. It is fed the engine's trace, step by
 * step, after every operation of a program (pm_feed): for every DDI it
 * decides, from its own state only, which rule of the verifier must fire
 * (rules.h, "Check order", the contract's order) or, if none, what the call
 * returns and which state changes and client callbacks follow. Then the
 * harness compares:
 *
 *   - the rules the verifier reported during the operation with the rules
 *     the model predicted (same rule, same count);
 *   - the status every DDI returned with the predicted status;
 *   - every callback NDIS made, to the field: which one, where in the
 *     trace (nested in the DDI that causes it, or from the DPC the
 *     completion was queued as, on that DPC's CPU at DISPATCH_LEVEL),
 *     its status, handles, contexts, CallParameters and Buffer; every
 *     client callback exactly once per accepted completion or
 *     indication (rule C2), a queued indication cancelled exactly when
 *     its object moved on;
 *   - the engine's state (cn_vc_query, cn_party_query, counters, pending
 *     requests) with the model's views (pm_vc_view, pm_party_next, ...),
 *     after every step;
 *   - at the end, cn_engine_check_end()'s counts with the model's.
 *
 * The inputs are the trace entries and nothing else (condis.h, struct
 * cn_trace_entry: every argument of a step, the out-handle pointer a DDI
 * was passed, what a callback wrote to its out parameter, the handle a
 * DDI returned, how a delivery was made). The model knows nothing of the
 * drivers' policies and queries nothing of the engine: it learns every
 * handle from the step that issues it (ProtocolCoCreateVc's VC handle,
 * ProtocolCmMakeCall's and ProtocolCmAddParty's NdisPartyHandle, each a
 * handle no live object has) and checks that the DDI returns that same
 * handle to its caller. The harness (run.c) compares the engine's state
 * with the model's through the read-only views below: comparing never
 * changes the model.

 * The model is an oracle: everything is compiled without coverage
 * feedback and without ASan's checks of its own accesses (PT_ORACLE,
 * partyfuzz/err.h), so the fuzzer learns from the engine, not from it.
 *
 * Context: single-threaded, between engine steps; no allocation.
 */
#ifndef PARTYFUZZ_MODEL_H
#define PARTYFUZZ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "partyfuzz/condis.h"

#define PM_MAX_VCS 64
#define PM_MAX_PARTIES 256
#define PM_MAX_OWED 64
#define PM_MAX_STEPS 256 /* engine steps of one operation (the trace ring) */
#define PM_MAX_OIDS 16   /* OID requests pended at once (rules.h) */

/* How a party's life ended (picks C7 / C9 / C18 / C19 for stale use). */
enum pm_end {
	PM_END_NONE = 0,
	PM_END_SETUP_FAILED = 1,
	PM_END_DROPPED_SYNC = 2,
	PM_END_DROPPED = 3,
	PM_END_CLOSED = 4,
};

struct pm_vc {
	uint64_t h;    /* 0: not learnt yet */
	uint8_t used;  /* slot of the model in use */
	uint8_t state; /* enum cn_vc_state; FREE once deleted */
	uint8_t pmp;
	uint8_t activated;
	uint8_t req;         /* enum cn_req: MAKE_CALL / CLOSE_CALL / NONE */
	uint8_t pended;      /* req returned PENDING: the CM owes it */
	uint8_t in_cm;       /* req's ProtocolCm* handler is running */
	uint8_t early;       /* ... and its completion came meanwhile (A12) */
	uint8_t close_from;  /* where a failed close returns (A6) */
	uint8_t close_data;  /* the close carried unsupported close data */
	uint8_t remote_seen; /* ProtocolClIncomingCloseCall ran for the current
			      * remote close (C15 binds from then on) */
	int32_t req_party;   /* model index of the initial/closing party */
	uint64_t ctx;        /* ProtocolVcContext (NdisCoCreateVc) */
	uint64_t cm_ctx;     /* CallMgrVcContext (ProtocolCoCreateVc's out) */
	uint64_t params;     /* CallParameters of the make call (or of the
			      * incoming call, for a CM-created VC) */
	/* CM-created VCs (incoming calls) */
	uint8_t cm_created;
	uint8_t offer;       /* 1: ProtocolClIncomingCall runs, 2: the
			      * client pended its answer */
	uint8_t offer_early; /* the answer came from inside the handler */
	uint8_t delete_owed; /* the CM deleted it while a client callback of
			      * it was queued: ProtocolCoDeleteVc follows
			      * the last one */
	uint8_t deleting;    /* its client's ProtocolCoDeleteVc runs */
	/* Sends (C23): accepted, client completion not run yet; of them
	 * the chains the MCM holds, in the order it got them. */
	uint32_t sends, mp_sends;
	uint64_t mp_nbl[4]; /* the engine's CN_MAX_SENDS (rules.h) */
};

struct pm_party {
	uint64_t h;    /* 0: not learnt yet */
	int32_t vc;    /* model VC index */
	uint8_t state; /* enum pt_party_state; PT_DEAD once ended */
	uint8_t req;   /* CN_REQ_ADD_PARTY / DROP_PARTY pended or NONE */
	uint8_t pended;
	uint8_t in_cm;      /* req's ProtocolCm* handler is running */
	uint8_t early;      /* ... and its completion came meanwhile (A12) */
	uint8_t ended;      /* enum pm_end */
	uint8_t close_data; /* the drop carried unsupported close data */
	uint8_t drop_from;  /* state its drop started from (P10) */
	uint64_t ctx;       /* ProtocolPartyContext */
	uint64_t cm_ctx;    /* CallMgrPartyContext, once set up */
	uint64_t params;    /* CallParameters of its MakeCall/AddParty */
};

/*
 * A callback the model predicts, every argument of it (the fields of
 * struct cn_trace_entry). A client callback that is queued as a DPC is
 * owed (C2) until the DPC runs.
 */
struct pm_cb {
	enum cn_fn fn;
	uint8_t fresh;           /* handle: a new one NDIS picks, learnt */
	uint8_t party_is_handle; /* NdisPartyHandle: the (fresh) handle */
	/* ctx is the CM's ProtocolAfContext: learnt from the first
	 * ProtocolCoCreateVc of the run, the same in every later one. */
	uint8_t af_ctx;
	uint8_t has_status;
	NDIS_STATUS status;
	uint64_t handle, party, ctx, ctx2, params, data;
	uint32_t size;
	uint64_t origin; /* the DDI step that passed params/data on */
	uint64_t seq;    /* the DPC it is queued as (1, 2, ... per run) */
	uint8_t cpu;     /* ... on this CPU's queue */
};

/* The client's family: open; its close in flight (closing); closed (a
 * close succeeded); opened again and the CM's answer outstanding
 * (opening); that open failed (none: neither open nor closed, C28). */
enum pm_af {
	PM_AF_OPEN = 0,
	PM_AF_CLOSING = 1,
	PM_AF_CLOSED = 2,
	PM_AF_OPENING = 3,
	PM_AF_NONE = 4,
};
/* The close notification: none (or refused), the client's handler
 * running, pended (the client owes its completion), answered SUCCESS. */
enum pm_notify {
	PM_NOTIFY_NONE = 0,
	PM_NOTIFY_RUNNING = 1,
	PM_NOTIFY_PENDED = 2,
	PM_NOTIFY_DONE = 3,
};
enum pm_sap_state {
	PM_SAP_REGISTERING = 1, /* ProtocolCmRegisterSap running */
	PM_SAP_REG_PENDED = 2,
	PM_SAP_REGISTERED = 3,
	PM_SAP_DEREGISTERING = 4, /* ProtocolCmDeregisterSap running */
	PM_SAP_DEREG_PENDED = 5,
};
#define PM_MAX_SAPS 8
/* Protocol slots NDIS has (condis.h's CN_MAX_PROTOCOLS reading: two). */
#define PM_BU_PROTOCOLS 2

struct pm_model {
	uint32_t options; /* CN_OPT_* */
	uint8_t mcm;      /* the call manager is an MCM */
	uint32_t max_vcs, max_parties;
	uint32_t cpus;         /* simulated processors */
	uint32_t dpc_capacity; /* DPC queue entries per CPU */
	uint64_t dpc_seq;      /* DPCs queued so far */
	uint8_t have_af_ctx;   /* af_ctx was learnt (pm_cb.af_ctx) */
	uint64_t af_ctx;
	/* The client's address family and SAPs (C28), from the trace:
	 * open when the model starts (bring-up opened it). */
	uint8_t af;        /* PM_AF_* */
	uint8_t af_pended; /* the CM pended the close, or the open */
	uint64_t af_h;     /* the family's handle, learnt from its close
			    * or from the call manager's notification */
	uint8_t notify;    /* PM_NOTIFY_*: the call manager's close of
			    * the family (ProtocolClNotifyCloseAf) */
	uint32_t nsap;
	struct pm_sap {
		uint64_t h;
		uint8_t state; /* PM_SAP_* */
	} sap[PM_MAX_SAPS];
	uint8_t have_cl_af_ctx; /* the client's ProtocolAfContext, learnt
				 * from the first ProtocolCoCreateVc NDIS
				 * runs in the client (CM-created VCs) */
	uint64_t cl_af_ctx;
	/* Registration after bring-up (do_bringup): protocol slots taken
	 * by NdisRegisterProtocolDriver, the handle of the SetOptions
	 * callback running (0 none), the one adapter's miniport driver
	 * registered, MiniportInitializeEx running and its adapter handle,
	 * the adapter started. */
	uint8_t bu_protos;
	uint8_t bu_scanned; /* bu_scan ran */
	uint8_t bu_open;    /* bit 0 BIND-CL, bit 1 BIND-CM open */
	uint64_t bu_options_h;
	uint8_t bu_mp_used, bu_in_init, bu_mp_initialized;
	uint64_t bu_init_h;
	int32_t due_delete;     /* VC record whose deferred delete runs as
				 * the next top-level step, or -1 */
	/* Per VC slot (handle index): the most recently ended life's
	 * generation, and whether it was a CM-created VC whose close had
	 * completed (C27 for its stale handle, rules.h check order) */
	uint32_t ended_gen[PM_MAX_VCS];
	uint8_t ended_cm_closed[PM_MAX_VCS];
	uint32_t gen_max; /* 2^gen_bits - 1: a slot parks at it */
	uint32_t nvc, nparty;
	uint32_t live_lo; /* no live party record below (model.c, M9) */
	struct pm_vc vc[PM_MAX_VCS];
	struct pm_party party[PM_MAX_PARTIES];
	uint32_t nowed;
	struct pm_cb owed[PM_MAX_OWED]; /* queued client callbacks */
	/* OID requests pended: the request, its VC and party handles (0:
	 * none), and 1 if the call manager asked (the client owes the
	 * completion), oldest first. */
	uint32_t noids;
	uint64_t oid[PM_MAX_OIDS][4];
	uint32_t predicted[CN_RULE_MAX + 1]; /* rules predicted this op */
	/* A second opinion on where, for the reports of VCs the call
	 * manager creates (condis_incoming.c): the rule, the handle the
	 * report must name and its trace step, of the last such prediction
	 * this op, and how many were made (the caller compares them with
	 * the verifier's report when it is the op's only one, and clears
	 * n_at with predicted). */
	uint32_t n_at;
	uint32_t at_rule;
	uint64_t at_handle, at_step;
	/* pm_feed's window: the operation's steps, in the engine's ring */
	const struct cn_trace_entry *steps[PM_MAX_STEPS];
};

/**
 * pm_reset() - start a run.
 * @m: the model.
 * @options: CN_OPT_* of the engine.
 * @mcm: the registered call manager is an MCM.
 * @max_vcs: the engine's VC capacity.
 * @max_parties: the engine's party capacity.
 * @gen_max: the largest generation of a party or VC handle.
 * @cpus: the engine's simulated processors (a DPC asked for CPU c is
 *        queued on c modulo @cpus).
 * @dpc_capacity: the engine's DPC queue entries per CPU (a full queue
 *                delivers at once).
 *
 * Context: between runs.
 */
void pm_reset(struct pm_model *m, uint32_t options, int mcm, uint32_t max_vcs,
	      uint32_t max_parties, uint32_t gen_max, uint32_t cpus,
	      uint32_t dpc_capacity);

/**
 * pm_feed() - consume trace steps @from .. @to (inclusive) of one
 * operation and check each against the model's prediction.
 * @m: the model.
 * @from: first step (cn_trace_steps() before the operation + 1).
 * @to: last step (cn_trace_steps() after it).
 * @why: receives the first disagreement.
 * @len: size of @why.
 *
 * Adds the rules it predicts to m->predicted (the caller compares them
 * with the verifier's counts and clears them).
 *
 * Context: between steps.
 * Return: 0, or -1 on a disagreement (a status, an unexpected callback,
 * a step that fell out of the trace ring).
 */
int pm_feed(struct pm_model *m, uint64_t from, uint64_t to, char *why,
	    size_t len);

/*
 * Read-only views for the harness's comparison with the engine (run.c).
 * None changes the model.
 */

/* The model's view of one VC, as cn_vc_query() gives the engine's. */
/* A VC's live parties by state (M2); active counts REMOTE_DROPPED too. */
struct pm_counts {
	uint32_t active, adding, dropping, making, closing, remote;
};

struct pm_vc_view {
	uint8_t state; /* enum cn_vc_state */
	uint8_t pmp;
	uint8_t activated;
	uint8_t pending; /* enum cn_req pended at the CM, or CN_REQ_NONE */
	struct pm_counts n;
	uint32_t sends, mp_sends;
};

/* The VC with handle @h in a live life: 0 with @out filled, or -1. */
int pm_vc_view(const struct pm_model *m, uint64_t h, struct pm_vc_view *out);

/*
 * The model's derived counts (M2) in one pass over its live records, for
 * the harness's comparison after every step (compare.c): the same figures
 * pm_vc_view(), pm_live_vcs(), pm_live_parties(), pm_pended() and
 * pm_queued_on() give one scan each.
 */
struct pm_census {
	uint32_t nvc;                     /* VC records counted (m->nvc) */
	struct pm_vc_view vc[PM_MAX_VCS]; /* by VC record */
	uint32_t live_vcs, live_parties, pended;
	uint32_t queued[CN_MAX_CPUS]; /* client callbacks queued per CPU */
};

/* Fill @c from @m. */
void pm_census(const struct pm_model *m, struct pm_census *c);

/* The view of the VC with handle @h in a live life, from @c (filled from
 * @m): 0 with @out filled, or -1; as pm_vc_view(). */
int pm_census_vc(const struct pm_model *m, const struct pm_census *c,
		 uint64_t h, struct pm_vc_view *out);

/* VCs the model holds live (created, not deleted). */
uint32_t pm_live_vcs(const struct pm_model *m);

/**
 * pm_party_next() - iterate over the model's live parties.
 * @m: the model.
 * @cur: cursor, 0 to start.
 * @h: receives the party's handle (0 if the model never learnt it).
 * @state: receives its enum pt_party_state.
 * @vc: receives its VC's handle.
 *
 * Return: 1 with the outputs filled, 0 at the end.
 */
int pm_party_next(const struct pm_model *m, uint32_t *cur, uint64_t *h,
		  uint8_t *state, uint64_t *vc);

/* Live parties (all VCs). */
uint32_t pm_live_parties(const struct pm_model *m);

/* Client callbacks the model has queued on @cpu's DPC queue. */
uint32_t pm_queued_on(const struct pm_model *m, uint32_t cpu);

/**
 * pm_check_end() - compare cn_engine_check_end()'s counts with the
 * model's and predict the rules it reports (into m->predicted).
 * @m: the model.
 * @rep: the engine's counts.
 * @why: receives the first difference.
 * @len: its size.
 *
 * Return: 0 if equal, -1 otherwise.
 */
int pm_check_end(struct pm_model *m, const struct cn_end_report *rep,
		 char *why, size_t len);

/* Number of requests pended at the CM and not completed. */
uint32_t pm_pended(const struct pm_model *m);

#endif /* PARTYFUZZ_MODEL_H */
