/*
 * condis_ddi.h - the checks and steps every DDI file of the engine shares
 * (condis_ddi.c, condis_party.c, condis_close.c): the check order's steps
 * 1..4 (C1, C5, C4, handles), the state changes NDIS makes itself, the
 * pended/completed bookkeeping of a request (N4), early completion (E1,
 * E2), the address-family check (C28) and the read of call parameters
 * (C8). condis_ddi.c says what every DDI does, in which order.
 */
#ifndef PARTYFUZZ_CONDIS_DDI_H
#define PARTYFUZZ_CONDIS_DDI_H

#include "condis_internal.h"
#include "debug.h"
#include "fault.h"

/* Step 1: C1. */
static inline int irql_ok(struct call *c, uint64_t h)
{
	return irql_le(c, DISPATCH_LEVEL, h);
}

/*
 * Step 2: C5 for the call-manager families, on the functions that are
 * distinct in the WDK (NdisCm/NdisMCmActivateVc, DeactivateVc,
 * NdisMCmCreateVc/DeleteVc). The completions and indications are one
 * function for both families (ndis.h: the NdisMCm* names are macros), so
 * cm_ok() only asks that a call manager is registered.
 */
static inline int role_ok(struct call *c, int kind, uint64_t h)
{
	if (c->e->cm_kind == kind)
		return 1;
	report(c, CN_RULE_C5, h, -1, -1,
	       c->e->cm_kind == 0 ? "no call manager is registered"
	       : kind == CN_CM_MINIPORT
		       ? "an MCM function called, but the call manager is a "
			 "stand-alone CM"
		       : "a stand-alone CM function called, but the call "
			 "manager is an MCM");
	return 0;
}

static inline int cm_ok(struct call *c, uint64_t h)
{
	if (c->e->cm_kind != 0)
		return 1;
	report(c, CN_RULE_C5, h, -1, -1, "no call manager is registered");
	return 0;
}

/* Step 3: C4. */
static inline int status_ok(struct call *c, NDIS_STATUS st, uint64_t h)
{
	if (st != NDIS_STATUS_PENDING)
		return 1;
	report(c, CN_RULE_C4, h, -1, -1,
	       "completion with NDIS_STATUS_PENDING");
	return 0;
}

static inline const char *bad_handle_detail(int err, int party)
{
	switch (err) {
	case PT_E_NULL:
		return party ? "NULL party handle" : "NULL VC handle";
	case PT_E_FOREIGN:
		return party ? "not a party handle" : "not a VC handle";
	case PT_E_STALE:
		return party ? "party handle of a party that ended"
			     : "VC handle of a deleted VC";
	default:
		return party ? "party handle never issued"
			     : "VC handle never issued";
	}
}

/* Step 4 for VC handles: C25 for everybody. */
static inline struct cn_vc *vc_get(struct call *c, NDIS_HANDLE vh)
{
	struct cn_vc *v = NULL;
	int err = _cn_vc_lookup(c->e, _cn_h(vh), &v);

	if (err == PT_OK)
		return v;
	report(c, CN_RULE_C25, _cn_h(vh), -1, -1, bad_handle_detail(err, 0));
	return NULL;
}

/*
 * Step 4 for party handles. The client breaks C9 (C7 if the handle's life
 * ended with a failed setup); the CM breaks C18 (C19 in a drop completion
 * if the life ended with a synchronous drop SUCCESS).
 */
static inline struct cn_vc *party_get(struct call *c, NDIS_HANDLE ph, int by_client,
			       int drop_complete, struct pt_party_info *pi)
{
	uint64_t h = _cn_h(ph);
	int err = pt_party_lookup(c->e->parties, h, pi);
	enum cn_end how;
	enum cn_rule rule;
	const char *detail = bad_handle_detail(err, 1);

	if (err == PT_OK)
		return &c->e->vcs[pi->vc];
	how = err == PT_E_STALE ? _cn_party_end_reason(c->e, h) : CN_END_NONE;
	if (by_client) {
		rule = CN_RULE_C9;
		if (how == CN_END_SETUP_FAILED) {
			rule = CN_RULE_C7;
			detail = "party handle of a failed MakeCall/AddParty";
		}
	} else {
		rule = CN_RULE_C18;
		if (drop_complete && how == CN_END_DROPPED_SYNC) {
			rule = CN_RULE_C19;
			detail = "the drop already returned SUCCESS "
				 "synchronously";
		}
	}
	report(c, rule, h, err == PT_E_STALE ? PT_DEAD : -1, -1, detail);
	return NULL;
}

static inline struct cn_party *side(struct cn_engine *e, NDIS_HANDLE ph)
{
	return &e->pside[pt_handle_index(_cn_h(ph))];
}

static inline int has_close_data(struct cn_engine *e, PVOID buf, UINT size)
{
	return (buf != NULL || size != 0) &&
	       !(e->cfg.options & CN_OPT_CLOSE_DATA);
}

/*
 * A party state change NDIS itself makes after its checks passed: it uses
 * a handle it just validated (or holds in its own records), so a failure
 * here is NDIS using an invalidated NdisPartyHandle: an engine bug, fatal
 * in every build with assertions.
 */
static inline void ndis_step(struct cn_engine *e, struct cn_vc *v, pt_handle_t h,
		      enum cn_event ev, enum cn_end how)
{
	int err = _cn_party_step(e, v, h, ev, how);

	PT_ASSERT(err == PT_OK);
	(void)err;
}

/* A ProtocolCm* request returned PENDING (N4). */
static inline NDIS_STATUS pended(struct call *c)
{
	c->e->owed++;
	c->e->stats.cm_pended++;
	c->e->stats.client_pended++;
	return leave(c, NDIS_STATUS_PENDING);
}

/* An accepted CM completion (N4), or one that came early (E1): the
 * request of trace step @req_step is still in its handler. */
static inline void completed(struct cn_engine *e, int early, uint64_t req_step)
{
	if (early) {
		PT_ASSERT(e->n_early < CN_CB_NEST);
		if (e->n_early < CN_CB_NEST)
			e->early[e->n_early++] = req_step;
		e->stats.cm_completed++;
		return;
	}
	PT_ASSERT_INTERNAL(e->owed > 0);
	e->owed--;
	e->stats.cm_completed++;
}

/* E2: does NDIS complete the call manager's synchronous answers itself? */
static inline int ndis_completes(const struct cn_engine *e)
{
	return !!(e->cfg.options & CN_OPT_A12_EARLY);
}

/* E2: NDIS completes the synchronous answer of the request @c itself,
 * with the client callback @d (filled in by the caller). Return: the
 * request's status, PENDING. */
static inline NDIS_STATUS completed_by_ndis(struct call *c, struct cn_dpc *d)
{
	c->e->stats.client_pended++;
	_cn_deliver_now(c->e, d); /* N2: after the state change */
	return leave(c, NDIS_STATUS_PENDING);
}

/* E1: did the request of @c complete while its handler ran? Takes its
 * step out of e->early. */
static inline int came_early(struct call *c)
{
	struct cn_engine *e = c->e;
	uint32_t i;

	for (i = 0; i < e->n_early; i++)
		if (e->early[i] == c->step) {
			e->early[i] = e->early[--e->n_early];
			return 1;
		}
	return 0;
}

/* E1: the handler of an early-completed request returned @st. */
static inline NDIS_STATUS early_return(struct call *c, NDIS_STATUS st, uint64_t h,
				const char *detail)
{
	if (st != NDIS_STATUS_PENDING)
		report(c, CN_RULE_C3, h, -1, -1, detail);
	c->e->stats.cm_pended++;
	c->e->stats.client_pended++;
	return leave(c, NDIS_STATUS_PENDING);
}

/*
 * C28: a call or party request on a VC of the client's family while that
 * family is closing or closed (condis_af.c), @msg naming the request (a
 * literal: reports keep the pointer), or once the call manager notified
 * its close (B4). Return: 1 if the request may go on.
 */
static inline int af_ok(struct call *c, uint64_t vh, const struct cn_vc *v,
		 const char *msg)
{
	if (_cn_af_notified(c->e) && !_cn_af_gone(c->e)) {
		report(c, CN_RULE_C28, vh, -1, v->state,
		       "a call or party request after "
		       "ProtocolClNotifyCloseAf (the call manager closes the "
		       "family: tear down only)");
		return 0;
	}
	if (!_cn_af_gone(c->e))
		return 1;
	report(c, CN_RULE_C28, vh, -1, v->state, msg);
	return 0;
}


/*
 * C8: NDIS reads the CallParameters at a make-call or add completion (the
 * call manager may have changed them, saying so with
 * CALL_PARAMETERS_CHANGED) before it hands them to the client's handler.
 * That read is why they must stay alive while the request pends: a client
 * that freed them with plain free() shows here as a heap-use-after-free
 * under ASan (B10); one that freed them through NDIS was refused (F1 of
 * ndis_services.c).
 */
static inline void params_read(struct cn_engine *e, const CO_CALL_PARAMETERS *cp)
{
	if (cp != NULL && (cp->Flags & CALL_PARAMETERS_CHANGED))
		e->stats.params_changed++;
}

#endif
