/*
 * condis_internal.h - the engine's private state, shared by the engine's
 * files (condis*.c, ndis_services.c), report.c, irql.c and trace.c.
 *
 * Nothing here is atomic: the engine is single-threaded (condis.h), the
 * simulated processors are cooperative.
 */
#ifndef PARTYFUZZ_CONDIS_INTERNAL_H
#define PARTYFUZZ_CONDIS_INTERNAL_H

#include "partyfuzz/condis.h"
#include "partyfuzz/ndis.h"
#include "partyfuzz/party_table.h"
#include "partyfuzz/rules.h"

/*
 * Checkers and observers (the validator, the queries a model compares, the
 * trace readers) run after every fuzzing step and are not what the fuzzer
 * should explore: PT_NO_COVERAGE (partyfuzz/err.h) keeps their comparisons
 * out of libFuzzer's features and off the hot path.
 */

/* Where a CM request stands (cn_vc.phase, cn_party.phase). */
enum cn_phase {
	CN_PHASE_NONE = 0,
	CN_PHASE_IN_HANDLER = 1, /* ProtocolCm* is running */
	CN_PHASE_PENDED = 2,     /* it returned PENDING: the CM owes a
				  * completion */
};

/* cn_vc.busy: the peer's ProtocolCoCreateVc/DeleteVc is running. A VC
 * being created is not issued yet (its handle is MALFORMED); one being
 * deleted is already gone for every caller (STALE). */
enum cn_vc_busy {
	CN_VC_BUSY_NONE = 0,
	CN_VC_BUSY_CREATING = 1,
	CN_VC_BUSY_DELETING = 2,
};

/* How a party's life ended (cn_party.ended_how): picks C7/C9/C19. */
enum cn_end {
	CN_END_NONE = 0,
	CN_END_SETUP_FAILED = 1, /* P3, P6 */
	CN_END_DROPPED_SYNC = 2, /* P8 by a synchronous SUCCESS */
	CN_END_DROPPED = 3,      /* P8 by Ndis(M)CmDropPartyComplete */
	CN_END_CLOSED = 4,       /* P13 */
};

/* Events of the state machines (the transition tables of condis.c). */
enum cn_event {
	CN_EV_MAKE_CALL = 0,
	CN_EV_ADD_PARTY,
	CN_EV_SETUP_OK,
	CN_EV_SETUP_FAIL,
	CN_EV_DROP,
	CN_EV_DROP_OK,
	CN_EV_DROP_FAIL,
	CN_EV_INCOMING_DROP,
	CN_EV_INCOMING_CLOSE,
	CN_EV_CLOSE,
	CN_EV_CLOSE_OK,
	CN_EV_CLOSE_FAIL,
	CN_EV_DELETE,
	/* CM-created VCs (condis_incoming.c) */
	CN_EV_OFFER,     /* Ndis(M)CmDispatchIncomingCall */
	CN_EV_ACCEPT,    /* the client accepted the incoming call */
	CN_EV_REJECT,    /* the client rejected it */
	CN_EV_CONNECTED, /* Ndis(M)CmDispatchCallConnected */
	CN_EV_CM_DELETE, /* the call manager deletes its VC */
	CN_EV_COUNT
};

/* Sends one VC's miniport may hold at once (condis_send.c, SN3). */
#define CN_MAX_SENDS 4
/* OID requests the call manager may have pended at once (O2). */
#define CN_MAX_OIDS 16

struct cn_vc {
	uint32_t gen;       /* generation of the slot's current life */
	uint8_t state;      /* enum cn_vc_state */
	uint8_t close_from; /* CONNECTED or REMOTE_CLOSED: where a failed
			       * close returns (A6) */
	uint8_t pmp;
	uint8_t activated;
	uint8_t req;        /* enum cn_req: MAKE_CALL, CLOSE_CALL or NONE */
	uint8_t phase;      /* enum cn_phase of req */
	uint8_t close_data; /* the close carries close data the medium
			       * does not support (C20) */
	uint8_t busy;       /* CN_VC_BUSY_*: ProtocolCoCreateVc/DeleteVc
			       * is running; the handle does not validate */
	uint8_t remote_close_seen;  /* ProtocolClIncomingCloseCall has run
				    * for the current remote close (C15
				    * binds the client only from then) */
	uint8_t cm_created;  /* the call manager created it (incoming call) */
	uint8_t offer_phase; /* OFFERED: CN_PHASE_IN_HANDLER while the
			      * client's ProtocolClIncomingCall runs,
			      * PENDED once it returned PENDING (the client
			      * owes NdisClIncomingCallComplete) */
	uint8_t delete_owed; /* the CM deleted it while a client callback of
			      * it was queued: ProtocolCoDeleteVc runs once
			      * the DPCs ran (condis_incoming.c, I3) */
	uint8_t offer_early; /* NdisClIncomingCallComplete came from inside
			      * ProtocolClIncomingCall (A12 for the client) */
	uint8_t ended_cm_closed; /* the slot's most recently ended life,
				  * generation ended_gen, was a CM-created VC
				  * whose close had completed: the client's
				  * use of its stale handle is C27. Both kept
				  * across _cn_vc_alloc/_cn_vc_free */
	uint32_t ended_gen;
	NDIS_HANDLE client_ctx;     /* ProtocolVcContext */
	NDIS_HANDLE cm_ctx;         /* CallMgrVcContext */
	PCO_CALL_PARAMETERS params; /* the make call's parameters */
	pt_handle_t req_party;      /* initial party (MAKE) / closing party */
	uint64_t req_step; /* trace step of the NdisClMakeCall/CloseCall
			    * whose ProtocolCm* handler runs (E1) */
	/* Parties per state (I-V2): active counts ACTIVE + REMOTE_DROPPED. */
	uint32_t active, adding, dropping, making, closing, remote;
	/* Sends (condis_send.c, V15): accepted and not yet completed to the
	 * client; of them, the chains the miniport holds (mp_nbl[0 ..
	 * mp_sends)). */
	uint32_t sends, mp_sends;
	uint64_t mp_nbl[CN_MAX_SENDS];
};

/* Side data of a party slot, indexed like the party table. */
struct cn_party {
	uint32_t gen;       /* generation of the life below */
	uint8_t live;       /* the life `gen` is live */
	uint8_t phase;      /* enum cn_phase of its ADD/DROP request */
	uint8_t ended_how;  /* enum cn_end once life `gen` ended */
	uint8_t close_data; /* its drop carries unsupported close data */
	uint8_t drop_from;  /* ACTIVE or REMOTE_DROPPED: where its drop
			     * started, where a failed one returns (P10) */
	uint64_t req_step;  /* trace step of the NdisClAddParty/DropParty
			     * whose ProtocolCm* handler runs (E1) */
	NDIS_HANDLE cm_ctx; /* CallMgrPartyContext */
	PCO_CALL_PARAMETERS params;
};

/* A deferred client callback (DPC queue entry). */
struct cn_dpc {
	enum cn_fn cb;
	NDIS_STATUS status;
	uint64_t handle; /* for the trace */
	uint64_t seq;
	NDIS_HANDLE ctx; /* ProtocolVcContext or ProtocolPartyContext */
	NDIS_HANDLE arg; /* NdisPartyHandle or ProtocolPartyContext */
	PCO_CALL_PARAMETERS params;
	PVOID data;
	UINT size;
};

/*
 * Registration and bring-up (condis_bind.c). One adapter; up to two
 * protocol drivers (a client and a stand-alone CM) and one miniport (an
 * MCM) bind to it.
 */
#define CN_MAX_PROTOCOLS 2
#define CN_MAX_SAPS 4
#define CN_MAX_LOCKS 256
#define CN_CB_NEST 32 /* callback frames checked for C1 at return */

enum cn_role {
	CN_ROLE_NONE = 0,
	CN_ROLE_CLIENT = 1, /* set NDIS_CO_CLIENT_OPTIONAL_HANDLERS */
	CN_ROLE_CM = 2,     /* set NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS */
};

struct cn_protocol {
	uint8_t used;
	uint8_t role;         /* enum cn_role */
	uint8_t in_options;   /* SetOptionsHandler is running */
	uint8_t in_bind;      /* BindAdapterHandlerEx is running */
	uint8_t bind_pending; /* it returned PENDING: NdisCompleteBind-
			       * AdapterEx is owed */
	uint8_t opened;       /* NdisOpenAdapterEx succeeded */
	uint8_t bound;        /* the bind finished with SUCCESS */
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS ch;
	NDIS_PROTOCOL_CO_CHARACTERISTICS co;
	NDIS_HANDLE drv_ctx;  /* ProtocolDriverContext */
	NDIS_HANDLE bind_ctx; /* ProtocolBindingContext */
};

struct cn_miniport {
	uint8_t used;
	uint8_t in_options;  /* SetOptionsHandler is running */
	uint8_t in_init;     /* InitializeHandlerEx is running */
	uint8_t initialized; /* it returned SUCCESS */
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS ch;
	NDIS_HANDLE drv_ctx; /* MiniportDriverContext */
};

/* The client's open of the address family. */
enum cn_af_state {
	CN_AF_NONE = 0,
	CN_AF_OPENING = 1, /* ProtocolCmOpenAf running or pended */
	CN_AF_OPEN = 2,
	CN_AF_CLOSING = 3, /* ProtocolCmCloseAf running or pended */
};

/* The call manager's close notification (condis_af.c, B4). */
enum cn_notify_state {
	CN_NOTIFY_NONE = 0,
	CN_NOTIFY_RUNNING = 1, /* ProtocolClNotifyCloseAf running */
	CN_NOTIFY_PENDED = 2,  /* it returned PENDING: the client owes
				* NdisClNotifyCloseAddressFamilyComplete */
	CN_NOTIFY_DONE = 3,    /* answered SUCCESS (returned or completed) */
};

enum cn_sap_state {
	CN_SAP_FREE = 0,
	CN_SAP_REGISTERING = 1, /* ProtocolCmRegisterSap running */
	CN_SAP_REG_PENDED = 2,
	CN_SAP_REGISTERED = 3,
	CN_SAP_DEREGISTERING = 4, /* ProtocolCmDeregisterSap running */
	CN_SAP_DEREG_PENDED = 5,
};

struct cn_sap {
	uint32_t gen;
	uint8_t state;      /* enum cn_sap_state */
	NDIS_HANDLE cl_ctx; /* ProtocolSapContext */
	NDIS_HANDLE cm_ctx; /* CallMgrSapContext */
	PCO_SAP sap;        /* the client's, alive until deregistered */
};

/* A spin lock (ndis_services.c): its state, named by a CN_TAG_LOCK
 * handle in NDIS_SPIN_LOCK.SpinLock. */
struct cn_lock {
	uint32_t gen;
	uint8_t live; /* allocated, not freed */
	uint8_t held;
	uint8_t dpr; /* taken with NdisDprAcquireSpinLock */
	uint8_t cpu; /* the holder */
	uint8_t nested; /* acquires by the holder itself, reported (S1)
			 * and then counted as granted: their releases
			 * come first and only count down (L4) */
};

struct cn_engine {
	struct cn_config cfg;
	struct pt_table *parties;
	struct cn_vc *vcs;      /* cfg.max_vcs */
	struct cn_party *pside; /* cfg.max_parties */
	uint32_t gen_max;

	/* Simulated processors (irql.c). */
	uint32_t cpu;
	KIRQL irql[CN_MAX_CPUS];

	/* DPC queues: cpu_count rows of dpc_capacity entries. */
	struct cn_dpc *dpc;
	uint32_t dpc_len[CN_MAX_CPUS];
	uint64_t dpc_seq;

	/* Registered drivers. */
	int have_client;
	int cm_kind; /* enum cn_cm_kind, 0 = none */
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS cl;
	NDIS_HANDLE cl_af_ctx;
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS cm;
	NDIS_HANDLE cm_af_ctx;
	/* Send handlers (condis_send.c): the engine-registered client's
	 * (an NDIS-registered one's are in proto[].co) and the MCM's. */
	CO_SEND_NET_BUFFER_LISTS_COMPLETE_HANDLER cl_send_complete;
	W_CO_SEND_NET_BUFFER_LISTS_HANDLER mp_send;
	/* OID requests the call manager pended (condis_send.c, O1). */
	struct cn_oid {
		uint64_t req;   /* the NDIS_OID_REQUEST */
		uint64_t vc;    /* NdisVcHandle, 0 for the address family */
		uint64_t party; /* NdisPartyHandle, 0 for none */
		uint8_t by_cm;  /* the call manager's request: the client
				 * owes the completion */
	} oids[CN_MAX_OIDS];
	uint32_t n_oids;

	/* Registration and bring-up (condis_bind.c). */
	struct cn_protocol proto[CN_MAX_PROTOCOLS];
	struct cn_miniport mp;
	int client_proto;          /* proto[] index of the client, -1 none */
	int cm_proto;              /* proto[] index of the CM, -1 none */
	uint8_t af_registered;     /* a CM registered the address family */
	uint8_t af_internal;       /* ... through cn_register_call_manager */
	uint8_t af_offered;        /* ProtocolCoAfRegisterNotify has run */
	uint8_t af_state;          /* enum cn_af_state of the client's open */
	uint8_t af_pended;         /* the CM pended the open or close */
	uint8_t af_closed;         /* a close of the open family succeeded:
				    * calls, SAPs and parties on it are C28
				    * until the next open (condis_af.c, B2) */
	uint8_t af_notify;         /* enum cn_notify_state: the call
				    * manager asked the client to close
				    * the family (B4) */
	uint8_t cl_ndis;           /* the client registered through NDIS */
	CO_ADDRESS_FAMILY af;      /* the registered family */
	CO_ADDRESS_FAMILY af_copy; /* handed to the client and the CM */
	NDIS_HANDLE cm_bind_ctx;   /* CallMgrBindingContext */
	NDIS_BIND_PARAMETERS bind_params;
	NDIS_MINIPORT_INIT_PARAMETERS init_params;
	struct cn_sap saps[CN_MAX_SAPS];

	/* NDIS services (ndis_services.c). */
	struct cn_lock locks[CN_MAX_LOCKS];

	uint32_t owed;  /* requests pended at the CM (V8) */
	/* A12: trace steps of the requests whose completion arrived while
	 * their ProtocolCm* handler was still running (condis_ddi.c, E1). */
	uint64_t early[CN_CB_NEST];
	uint32_t n_early;
	uint32_t depth; /* nesting of DDIs and callbacks */
	/* The callback running at nesting depth d and the IRQL it was
	 * entered at (C1 at its return, _cn_cb_return); callbacks nested
	 * deeper than CN_CB_NEST are not checked. */
	struct cn_cb_frame {
		enum cn_fn fn;
		uint64_t handle;
		KIRQL irql;
	} cb[CN_CB_NEST];
	struct cn_stats stats;

	/* Who runs (cn_actor_set(), condis_incoming.c): the driver of every
	 * callback on the stack, innermost last (entries past CN_CB_NEST
	 * are counted, not kept), and the top-level actor. */
	uint8_t who[CN_CB_NEST];
	uint32_t n_who;
	uint8_t actor_top;

	/* Reports (report.c). */
	uint32_t rule_count[CN_RULE_MAX + 1];
	uint32_t rule_total;
	int have_last;
	struct cn_violation last;

	/* Scratch of cn_call_validate: parties per VC and state. */
	uint32_t *vcount; /* max_vcs * PT_STATE_COUNT */
	/* V1 incrementally: every change the engine makes to the party
	 * table (alloc, transition, retire) bumps table_epoch; V1 ran and
	 * held at table_epoch == table_valid (0: never). */
	uint64_t table_epoch, table_valid;

	/* Trace ring (trace.c). */
	struct cn_trace_entry *ring;
	uint64_t steps;
};

/* condis_deliver.c: C1 at the return of the callback of trace step @step, the
 * one entered at nesting depth e->depth (already decremented). */
void _cn_cb_return(struct cn_engine *e, uint64_t step);

/* The current engine (condis.c). */
extern struct cn_engine *_cn_eng;

/* Fixed handles of the binding and address-family objects. The CM's
 * binding is also the MCM's MiniportAdapterHandle. */
#define CN_H_CLIENT_BINDING pt_handle_pack(CN_TAG_NDIS, 1, 1)
#define CN_H_CM_BINDING pt_handle_pack(CN_TAG_NDIS, 1, 2)
#define CN_H_AF pt_handle_pack(CN_TAG_NDIS, 1, 3)
#define CN_H_PROTOCOL(i) pt_handle_pack(CN_TAG_NDIS, 1, 4 + (i))
#define CN_H_MINIPORT_DRIVER pt_handle_pack(CN_TAG_NDIS, 1, 6)
#define CN_H_BIND_CONTEXT(i) pt_handle_pack(CN_TAG_NDIS, 1, 7 + (i))
#define CN_SAP_INDEX0 16 /* SAP k: pt_handle_pack(CN_TAG_NDIS, gen, 16+k) */

/* Spin-lock handles: the party table's layout, this tag. */
#define CN_TAG_LOCK 0x4C /* 'L' */

/* Always inlined, also into the oracles (PT_ORACLE), like the codec. */
static inline __attribute__((always_inline)) uint64_t _cn_h(NDIS_HANDLE h)
{
	return CN_HANDLE_VALUE(h);
}

static inline __attribute__((always_inline)) NDIS_HANDLE
_cn_handle(uint64_t h)
{
	return CN_HANDLE(h);
}

/* The engine every entry point works on; aborts without one. Inline:
 * every DDI, query and validator asks for it, and an out-of-line call
 * was a call, an edge counter and a feature of every run. */
extern struct cn_engine *_cn_eng;
void _cn_engine_missing(void) __attribute__((noreturn));

static inline __attribute__((always_inline)) struct cn_engine *
_cn_engine_get(void)
{
	if (__builtin_expect(_cn_eng == NULL, 0))
		_cn_engine_missing();
	return _cn_eng;
}

/* trace.c */
uint64_t _cn_trace_begin(struct cn_engine *e, enum cn_fn fn, uint64_t handle,
			 int has_status, NDIS_STATUS status);
void _cn_trace_end(struct cn_engine *e, uint64_t step, int has_ret,
		   NDIS_STATUS ret);
void _cn_trace_set_rule(struct cn_engine *e, uint64_t step, enum cn_rule rule);
/* The entry of @step for the arguments and results beyond _cn_trace_begin's,
 * or NULL once the ring overwrote it (T1). */
struct cn_trace_entry *_cn_trace_at(struct cn_engine *e, uint64_t step);
void _cn_trace_reset(struct cn_engine *e);

/* report.c */
void _cn_report(struct cn_engine *e, enum cn_rule rule, enum cn_fn fn,
		uint64_t step, uint64_t handle, int party_state, int vc_state,
		const char *detail);
void _cn_verifier_reset(struct cn_engine *e);
void _cn_rule_hits_clear(void);

/*
 * The shape of every DDI (condis_ddi.c and the files beside it, condis_bind.c, condis_af.c):
 * enter() opens its trace step one level deeper, leave() closes it with
 * the returned status, report() files a verifier report on it;
 * cb_enter()/cb_leave() bracket a callback into a driver.
 */
struct call {
	struct cn_engine *e;
	enum cn_fn fn;
	uint64_t step;
};

static inline void enter(struct call *c, enum cn_fn fn, uint64_t handle,
			 int has_status, NDIS_STATUS status)
{
	c->e = _cn_engine_get();
	c->fn = fn;
	c->step = _cn_trace_begin(c->e, fn, handle, has_status, status);
	c->e->depth++;
}

static inline NDIS_STATUS leave(struct call *c, NDIS_STATUS ret)
{
	c->e->depth--;
	_cn_trace_end(c->e, c->step, 1, ret);
	return ret;
}

static inline void leave_void(struct call *c)
{
	c->e->depth--;
	_cn_trace_end(c->e, c->step, 0, 0);
}

static inline void report(struct call *c, enum cn_rule rule, uint64_t h,
			  int pstate, int vstate, const char *detail)
{
	_cn_report(c->e, rule, c->fn, c->step, h, pstate, vstate, detail);
}

/* The arguments of step @step beyond its main handle (condis.h, the
 * table at struct cn_trace_entry), copied from @a (none if NULL). Trace
 * bookkeeping, not behaviour: no coverage feedback. */
PT_NO_COVERAGE static inline void trace_args(struct cn_engine *e,
					     uint64_t step,
					     const struct cn_trace_entry *a)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);

	if (t == NULL || a == NULL)
		return;
	t->party = a->party;
	t->ctx = a->ctx;
	t->ctx2 = a->ctx2;
	t->params = a->params;
	t->data = a->data;
	t->size = a->size;
	t->out_ptr = a->out_ptr;
}

/* The out_ptr of a trace entry for the out-handle pointer @p. */
static inline uint8_t out_ptr_of(const PNDIS_HANDLE p)
{
	return p == NULL    ? CN_OUT_PTR_NULL
	       : *p == NULL ? CN_OUT_PTR_CLEAR
			    : CN_OUT_PTR_SET;
}

#define ARGS(...) (&(const struct cn_trace_entry){ __VA_ARGS__ })

/* Record the callback about to run at depth e->depth (C1 at return). */
static inline void _cn_cb_entered(struct cn_engine *e, enum cn_fn fn,
				  uint64_t h)
{
	if (e->depth < CN_CB_NEST) {
		e->cb[e->depth].fn = fn;
		e->cb[e->depth].handle = h;
		e->cb[e->depth].irql = e->irql[e->cpu];
	}
}

/* The driver a callback @fn goes to: the client for ProtocolCl* (and the
 * client's bring-up callbacks), else the call manager. The client's
 * ProtocolCoCreateVc/DeleteVc (CM-created VCs) are pushed by their
 * caller (condis_incoming.c). */
static inline uint8_t _cn_callee(const struct cn_engine *e, enum cn_fn fn)
{
	if ((fn >= CN_FN_ProtocolClMakeCallComplete &&
	     fn <= CN_FN_ProtocolClIncomingCloseCall) ||
	    fn == CN_FN_ProtocolCoAfRegisterNotify ||
	    fn == CN_FN_ProtocolClOpenAfCompleteEx ||
	    fn == CN_FN_ProtocolClCloseAfComplete ||
	    fn == CN_FN_ProtocolClRegisterSapComplete ||
	    fn == CN_FN_ProtocolClDeregisterSapComplete ||
	    fn == CN_FN_ProtocolClIncomingCall ||
	    fn == CN_FN_ProtocolClCallConnected ||
	    fn == CN_FN_ProtocolClNotifyCloseAf)
		return CN_ACTOR_CLIENT;
	return e->cm_kind == CN_CM_MINIPORT ? CN_ACTOR_MCM : CN_ACTOR_CM;
}

static inline void _cn_who_push(struct cn_engine *e, uint8_t who)
{
	if (e->n_who < CN_CB_NEST)
		e->who[e->n_who] = who;
	e->n_who++;
}

static inline void _cn_who_pop(struct cn_engine *e)
{
	if (e->n_who > 0)
		e->n_who--;
}

/* The driver making the current call: the innermost callback's, else the
 * top-level actor (cn_actor_set()). CN_ACTOR_DRIVER past CN_CB_NEST. */
static inline uint8_t _cn_caller(const struct cn_engine *e)
{
	if (e->n_who == 0)
		return e->actor_top;
	return e->n_who <= CN_CB_NEST ? e->who[e->n_who - 1] : CN_ACTOR_DRIVER;
}

/* A callback into a driver: its own trace step, one level deeper, with
 * its arguments @a (NULL: none beyond @h). */
static inline uint64_t cb_enter(struct cn_engine *e, enum cn_fn fn, uint64_t h,
				const struct cn_trace_entry *a)
{
	uint64_t step = _cn_trace_begin(e, fn, h, 0, 0);

	trace_args(e, step, a);
	_cn_cb_entered(e, fn, h);
	_cn_who_push(e, _cn_callee(e, fn));
	e->depth++;
	return step;
}

/* What the callback of @step wrote to its out parameter, or the handle a
 * DDI step wrote through its out-handle pointer. */
PT_NO_COVERAGE static inline void cb_out(struct cn_engine *e, uint64_t step,
					 NDIS_HANDLE out)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);

	if (t != NULL)
		t->out = _cn_h(out);
}

static inline NDIS_STATUS cb_leave(struct cn_engine *e, uint64_t step,
				   NDIS_STATUS ret)
{
	_cn_who_pop(e);
	e->depth--;
	_cn_cb_return(e, step);
	_cn_trace_end(e, step, 1, ret);
	return ret;
}

static inline void cb_leave_void(struct cn_engine *e, uint64_t step)
{
	_cn_who_pop(e);
	e->depth--;
	_cn_cb_return(e, step);
	_cn_trace_end(e, step, 0, 0);
}

/* A VOID callback into a driver: its own trace step. */
#define CALLBACK_VOID(e, fn, h, call)                                         \
	do {                                                                  \
		uint64_t s_ = cb_enter((e), (fn), (h), NULL);                 \
		call;                                                         \
		cb_leave_void((e), s_);                                       \
	} while (0)

/* What NDIS returns for a request it refuses and reports. */
#define REJECTED NDIS_STATUS_INVALID_PARAMETER

/* C1 at the entry of a DDI whose page allows IRQL <= @max. */
static inline int irql_le(struct call *c, KIRQL max, uint64_t h)
{
	if (c->e->irql[c->e->cpu] <= max)
		return 1;
	report(c, CN_RULE_C1, h, -1, -1,
	       max == PASSIVE_LEVEL ? "called above PASSIVE_LEVEL"
				    : "called above DISPATCH_LEVEL");
	return 0;
}

/* The family name of a macro'd call-manager DDI (ndis.h): the registered
 * call manager's. */
static inline enum cn_fn _cn_cm_fn(enum cn_fn cm, enum cn_fn mcm)
{
	return _cn_engine_get()->cm_kind == CN_CM_MINIPORT ? mcm : cm;
}

/* condis_machine.c and condis_deliver.c: objects, state machines, delivery */
uint32_t _cn_vc_index(const struct cn_engine *e, const struct cn_vc *v);
uint64_t _cn_vc_handle(const struct cn_engine *e, const struct cn_vc *v);
int _cn_vc_lookup(struct cn_engine *e, uint64_t h, struct cn_vc **out);
struct cn_vc *_cn_vc_alloc(struct cn_engine *e);
void _cn_vc_free(struct cn_engine *e, struct cn_vc *v);
void _cn_vc_step(struct cn_engine *e, struct cn_vc *v, enum cn_event ev);
int _cn_party_create(struct cn_engine *e, struct cn_vc *v, enum cn_event ev,
		     NDIS_HANDLE ctx, PCO_CALL_PARAMETERS params,
		     pt_handle_t *out);
int _cn_party_step(struct cn_engine *e, struct cn_vc *v, pt_handle_t h,
		   enum cn_event ev, enum cn_end how);
enum cn_end _cn_party_end_reason(const struct cn_engine *e, pt_handle_t h);
void _cn_deliver_now(struct cn_engine *e, const struct cn_dpc *d);
/* Deliver @d (the client callback of the DDI at trace step @step) now or
 * queue it, as choose_delivery says; the step records which. */
void _cn_deliver(struct cn_engine *e, uint64_t step, struct cn_dpc *d);

/* condis_send.c */
void _cn_send_reset(struct cn_engine *e);
/* C23 for NdisClCloseCall (condis_close.c): 0 and a report if sends are
 * outstanding on @v. */
int _cn_send_close_ok(struct call *c, struct cn_vc *v, uint64_t h);
/* The client callback of a send completion, trace step @step
 * (condis_deliver.c). */
void _cn_send_deliver(struct cn_engine *e, const struct cn_dpc *d,
		      uint64_t step);
/* End of run (step @step): C23 per send the miniport never completed;
 * returns their number. */
uint32_t _cn_send_check_end(struct cn_engine *e, uint64_t step);
/* The client callback of an OID completion, trace step @step. */
void _cn_oid_deliver(struct cn_engine *e, const struct cn_dpc *d);
/* End of run: C3 per OID request pended and never completed. */
uint32_t _cn_oid_check_end(struct cn_engine *e, uint64_t step);

/* irql.c */
void _cn_cpus_reset(struct cn_engine *e);

/* condis_af.c: C28 when the client's family is closing or closed (an
 * address-family close is in flight or succeeded); 0 if it is usable. */
int _cn_af_gone(const struct cn_engine *e);
/* condis_af.c: the call manager notified the client of the family's
 * close (B4): the client's new call, SAP and party requests are C28. */
int _cn_af_notified(const struct cn_engine *e);
/* condis_incoming.c: CM-created VCs (incoming calls) */
struct cn_sap *_cn_sap_lookup(struct cn_engine *e, uint64_t h);
/* Is @v a CM-created VC whose close completed (C27 for the client)? */
static inline int _cn_vc_cm_closed(const struct cn_vc *v)
{
	return v->cm_created && v->state == CN_VC_CLOSED;
}
/* C27 for the client's use of a stale VC handle @h: its life was a
 * CM-created VC whose close completed. */
int _cn_vc_stale_cm_closed(const struct cn_engine *e, uint64_t h);
/* NdisCoCreateVc from the CM's binding, NdisMCmCreateVc: after C1, C5
 * and C26, the rest of the call (it leave()s @c). */
NDIS_STATUS _cn_cm_vc_create(struct call *c, NDIS_HANDLE NdisAfHandle,
			     NDIS_HANDLE CmVcContext,
			     PNDIS_HANDLE NdisVcHandle);
/* Step 4 for a VC handle from the client: C25, or C27 (reported). */
struct cn_vc *_cn_client_vc_get(struct call *c, NDIS_HANDLE vh);
/* NdisCoDeleteVc of the stale handle @vh of a CM-created VC whose close
 * completed: records the caller as the step's actor; 1 if it is the
 * client (C27 reported), else 0 (the caller goes on to C25). */
int _cn_vc_stale_delete(struct call *c, uint64_t vh);
/* NdisCoDeleteVc of the CM-created VC @v (condis_ddi.c hands it over
 * after C1 and the handle check). */
NDIS_STATUS _cn_cm_vc_delete(struct call *c, struct cn_vc *v);
/* cn_dpc_run(), after a DPC about the VC @vh ran or was cancelled: the
 * deferred rest of a CM's delete, once no DPC of the VC is left (I3). */
void _cn_cm_vc_delete_due(struct cn_engine *e, uint64_t vh);
/* F1 for a CM-created VC's ProtocolVcContext (ndis_services.c): the VC
 * whose context [@va, @va + @len) holds, or NULL. */
struct cn_vc *_cn_vc_ctx_in(struct cn_engine *e, const void *va, size_t len);

/* condis_bind.c */
void _cn_bind_reset(struct cn_engine *e);
int _cn_ndis_handle_format(uint64_t h, char *buf, size_t len);

/* ndis_services.c */
void _cn_services_reset(struct cn_engine *e);

#endif /* PARTYFUZZ_CONDIS_INTERNAL_H */
