/*
 * condis_check.c - cn_call_validate(), the invariants below at quiescent
 * points, and cn_engine_check_end(), the checks at the end of a run.
 *
 * Invariants (checked by cn_call_validate() at quiescent points; the code
 * cites them):
 *   V1  The party table is valid (pt_table_validate, I1..I8).
 *   V2  For every VC, making/adding/active/dropping/closing equal the
 *       number of its live parties in MAKING/ADDING/ACTIVE+REMOTE_DROPPED/
 *       DROPPING/CLOSING, and remote equals those in REMOTE_DROPPED.
 *   V3  A FREE, PARKED, IDLE or CLOSED VC has no live party, no request
 *       and is not activated.
 *   V4  A VC is MAKING iff its request is MAKE_CALL; a PMP one has exactly
 *       its initial party, in MAKING; a P2P one has none.
 *   V5  A CONNECTED or REMOTE_CLOSED VC has no request, is activated, has
 *       no MAKING or CLOSING party, and if PMP at least one ACTIVE,
 *       REMOTE_DROPPED or DROPPING party (A2: a PMP call never reaches
 *       zero parties; a drop in flight may still fail, and the one that
 *       would leave none must fail, L1 of condis_party.c; not under
 *       CN_OPT_A2_COUNT_CONNECTING, whose [sample] reading can drop the
 *       last connected party while an add is in flight).
 *   V6  A VC is CLOSING iff its request is CLOSE_CALL; a PMP one has
 *       exactly one party, the named one, in CLOSING (R2, C11).
 *   V7  A P2P VC has no parties.
 *   V8  owed equals the number of VC and party requests in phase PENDED;
 *       outside a DDI no request is IN_HANDLER; only ADDING and DROPPING
 *       parties have a party-level phase.
 *   V9  pside[i].live iff the party table holds a live party at slot i
 *       with generation pside[i].gen. (The "if" direction probes every
 *       dead slot: checked at PT_DEBUG 3 and by cn_engine_check_end.)
 *   V10 parties_created - parties_ended equals the number of live parties
 *       (each handle ends exactly once, C12).
 *   V11 Each DPC queue holds at most dpc_capacity entries.
 *   V12 The validator runs outside any DDI (depth 0).
 *   V13 Close data is marked only while its request is in flight: a VC's
 *       close_data only with a close pended, a party's only while its
 *       drop is pended (C20 judges the completion by it; a mark left
 *       behind would judge the next request).
 *   V14 The address family (condis_af.c, B2, B3, B4): af_pended only
 *       while it is OPENING or CLOSING, af_closed only while it is NONE,
 *       a SAP slot is FREE unless the family is OPEN or CLOSING (C28: it
 *       closes only with every slot FREE), and a close notification only
 *       on a family OPEN, CLOSING or closed (af_closed).
 *   V15 A CM-created VC is P2P and never MAKING; only CM-created VCs are
 *       OFFERED or ACCEPTED; those have no request and no parties, and an
 *       OFFERED one is not activated (condis_incoming.c, I1).
 *   V16 offer_phase is not NONE iff the VC is OFFERED, and then it is
 *       PENDED outside a DDI (condis_incoming.c, I2).
 *   V17 Sends (condis_send.c SN1..SN3): a VC has sends outstanding only
 *       CONNECTED or REMOTE_CLOSED; they are the chains its miniport
 *       holds (at most CN_MAX_SENDS) plus the send completions queued
 *       for it as DPCs. At most CN_MAX_OIDS OID requests are pended
 *       (condis_send.c, O2).
 */
#include <stdlib.h>
#include <string.h>

#include "condis_internal.h"
#include "debug.h"
#include "fault.h"

/*
 * Validation and the end of a run.
 */

/*
 * V9, the other direction: slot @i, dead for the engine, holds nothing
 * live in the table either, neither in the last life the engine saw nor
 * in the next one (only the engine allocates, so a stray live party could
 * only be one of those). O(1), where counting the table's live slots per
 * VC would be O(slots) per VC.
 */
PT_ORACLE static int slot_live_unknown(struct cn_engine *e, uint32_t i)
{
	uint32_t g = e->pside[i].gen ? e->pside[i].gen : 1;
	pt_handle_t now = pt_handle_pack(CN_TAG_PARTY, g, i);
	pt_handle_t next = pt_handle_pack(CN_TAG_PARTY, g + 1, i);

	return _pt_party_lookup_nocov(e->parties, now, NULL) == PT_OK ||
	       (g < e->gen_max &&
		_pt_party_lookup_nocov(e->parties, next, NULL) == PT_OK);
}

PT_ORACLE int cn_call_validate(char *why, size_t len)
{
	struct cn_engine *e = _cn_engine_get();
	uint32_t i, owed = 0, live = 0;
	/* The [sample] reading of A2 lets a PMP call lose its last ACTIVE
	 * party while an add is in flight (and all of them if that add
	 * fails): V5's party clause holds only for the recommended one. */
	int a2_sample = !!(e->cfg.options & CN_OPT_A2_COUNT_CONNECTING);

	/* LCOV_EXCL_BR_START: an invariant check of the validator: it fails
	 * only on a broken invariant, a bug in core/ or a planted fault (the
	 * mutants label shows each fault caught) */
	PT_CHECK(e->depth == 0, "V12: validate inside a DDI (depth %u)",
	      e->depth);
	/* LCOV_EXCL_BR_STOP */
	/* V1 only if the engine changed the table since it last held: its
	 * verdict is a function of the table alone, and nothing else
	 * writes the table (cn_engine_check_end() checks it in full). */
	if (e->table_valid != e->table_epoch) {
		/* LCOV_EXCL_BR_START: an invariant check of the validator:
		 * it fails only on a broken invariant, a bug in core/ or a
		 * planted fault (the mutants label shows each fault caught) */
		if (pt_table_validate(e->parties, why, len) != PT_OK)
			return PT_E_CORRUPT; /* V1; LCOV_EXCL_LINE: core bug */
		/* LCOV_EXCL_BR_STOP */
		e->table_valid = e->table_epoch;
	}
	for (i = 0; i < e->cfg.cpu_count; i++)
		/* LCOV_EXCL_BR_START: an invariant check of the validator:
		 * it fails only on a broken invariant, a bug in core/ or a
		 * planted fault (the mutants label shows each fault caught) */
		PT_CHECK(e->dpc_len[i] <= e->cfg.dpc_capacity, "V11: cpu %u", i);
		/* LCOV_EXCL_BR_STOP */

	/* One pass over the party slots: O(parties + VCs), not their
	 * product (the harness validates after every step). */
	memset(e->vcount, 0,
	       sizeof(*e->vcount) * PT_STATE_COUNT * e->cfg.max_vcs);
	for (i = 0; i < e->cfg.max_parties; i++) {
		struct cn_party *p = &e->pside[i];
		struct pt_party_info pi;

		/* LCOV_EXCL_BR_START: an invariant check of the validator:
		 * it fails only on a broken invariant, a bug in core/ or a
		 * planted fault (the mutants label shows each fault caught) */
		PT_CHECK(p->phase != CN_PHASE_IN_HANDLER,
		      "V8: party slot %u in handler outside a DDI", i);
		/* LCOV_EXCL_BR_STOP */
		if (!p->live) {
			/* LCOV_EXCL_BR_START: an invariant check of the
			 * validator: it fails only on a broken invariant, a
			 * bug in core/ or a planted fault (the mutants label
			 * shows each fault caught) */
			PT_CHECK(p->phase == CN_PHASE_NONE,
			      "V8: dead party slot %u has a phase", i);
			/* LCOV_EXCL_BR_STOP */
			/* LCOV_EXCL_BR_START: an invariant check of the
			 * validator: it fails only on a broken invariant, a
			 * bug in core/ or a planted fault (the mutants label
			 * shows each fault caught) */
			PT_CHECK(!p->close_data,
			      "V13: dead party slot %u has close data", i);
			/* LCOV_EXCL_BR_STOP */
			/* Half the validator's cost: PT_DEBUG 3 only, and
			 * once per run in cn_engine_check_end(). */
			PT_CHECK(PT_DEBUG < 3 || !slot_live_unknown(e, i),
			      "V9: party slot %u live in the table, unknown "
			      "to the engine",
			      i);
			continue;
		}
		/* LCOV_EXCL_BR_START: an invariant check of the validator:
		 * it fails only on a broken invariant, a bug in core/ or a
		 * planted fault (the mutants label shows each fault caught) */
		PT_CHECK(_pt_party_lookup_nocov(e->parties,
				      pt_handle_pack(CN_TAG_PARTY, p->gen, i),
				      &pi) == PT_OK,
		      "V9: party slot %u marked live but not in the table", i);
		/* LCOV_EXCL_BR_STOP */
		PT_CHECK(PT_IMPLIES(p->phase != CN_PHASE_NONE,
				 pi.state == PT_ADDING ||
					 pi.state == PT_DROPPING),
		      "V8: party slot %u has a phase in %s", i,
		      pt_state_name(pi.state));
		PT_CHECK(PT_IMPLIES(p->close_data,
				 pi.state == PT_DROPPING &&
					 p->phase == CN_PHASE_PENDED),
		      "V13: party slot %u has close data in %s", i,
		      pt_state_name(pi.state));
		e->vcount[pi.vc * PT_STATE_COUNT + pi.state]++;
		owed += p->phase == CN_PHASE_PENDED;
		live++;
	}
	for (i = 0; i < e->cfg.max_vcs; i++) {
		struct cn_vc *v = &e->vcs[i];
		const uint32_t *n = &e->vcount[i * PT_STATE_COUNT];
		uint32_t total = n[PT_MAKING] + n[PT_ADDING] + n[PT_ACTIVE] +
				 n[PT_REMOTE_DROPPED] + n[PT_DROPPING] +
				 n[PT_CLOSING];
		int st = v->state;

		/* LCOV_EXCL_BR_START: an invariant check of the validator:
		 * it fails only on a broken invariant, a bug in core/ or a
		 * planted fault (the mutants label shows each fault caught) */
		PT_CHECK(v->making == n[PT_MAKING] && v->adding == n[PT_ADDING] &&
			      v->active ==
				      n[PT_ACTIVE] + n[PT_REMOTE_DROPPED] &&
			      v->dropping == n[PT_DROPPING] &&
			      v->closing == n[PT_CLOSING] &&
			      v->remote == n[PT_REMOTE_DROPPED],
		      "V2: VC %u counters (m%u a%u A%u d%u c%u) differ from "
		      "its parties (m%u a%u A%u d%u c%u)",
		      i, v->making, v->adding, v->active, v->dropping,
		      v->closing, n[PT_MAKING], n[PT_ADDING],
		      n[PT_ACTIVE] + n[PT_REMOTE_DROPPED], n[PT_DROPPING],
		      n[PT_CLOSING]);
		/* LCOV_EXCL_BR_STOP */
		PT_CHECK(PT_IMPLIES(st == CN_VC_FREE || st == CN_VC_PARKED ||
					 st == CN_VC_IDLE ||
					 st == CN_VC_CLOSED,
				 total == 0 && v->req == CN_REQ_NONE &&
					 !v->activated),
		      "V3: VC %u %s has parties, a request or activation", i,
		      cn_vc_state_name(st));
		PT_CHECK(PT_IFF(st == CN_VC_MAKING, v->req == CN_REQ_MAKE_CALL),
		      "V4: VC %u %s with request %s", i, cn_vc_state_name(st),
		      cn_req_name(v->req));
		PT_CHECK(PT_IMPLIES(st == CN_VC_MAKING,
				 v->pmp ? total == 1 && n[PT_MAKING] == 1
					: total == 0),
		      "V4: MAKING VC %u has %u parties", i, total);
		PT_CHECK(PT_IMPLIES(st == CN_VC_CONNECTED ||
					 st == CN_VC_REMOTE_CLOSED,
				 v->req == CN_REQ_NONE && v->activated &&
					 v->making == 0 && v->closing == 0 &&
					 PT_IMPLIES(v->pmp && !a2_sample,
						    v->active + v->dropping >=
							    1)),
		      "V5: VC %u %s: req %s activated %u making %u closing "
		      "%u active %u",
		      i, cn_vc_state_name(st), cn_req_name(v->req),
		      v->activated, v->making, v->closing, v->active);
		PT_CHECK(PT_IFF(st == CN_VC_CLOSING, v->req == CN_REQ_CLOSE_CALL),
		      "V6: VC %u %s with request %s", i, cn_vc_state_name(st),
		      cn_req_name(v->req));
		PT_CHECK(PT_IMPLIES(st == CN_VC_CLOSING && v->pmp,
				 total == 1 && n[PT_CLOSING] == 1 &&
					 _pt_party_lookup_nocov(e->parties,
							 v->req_party,
							 NULL) == PT_OK),
		      "V6: CLOSING VC %u has %u parties", i, total);
		PT_CHECK(PT_IMPLIES(!v->pmp, total == 0),
		      "V7: P2P VC %u has %u parties", i, total);
		/* LCOV_EXCL_BR_START: an invariant check of the validator:
		 * it fails only on a broken invariant, a bug in core/ or a
		 * planted fault (the mutants label shows each fault caught) */
		PT_CHECK(v->phase != CN_PHASE_IN_HANDLER &&
			      v->busy == CN_VC_BUSY_NONE,
		      "V12: VC %u has a handler running outside a DDI", i);
		/* LCOV_EXCL_BR_STOP */
		PT_CHECK(PT_IMPLIES(v->phase != CN_PHASE_NONE,
				 v->req != CN_REQ_NONE),
		      "V8: VC %u phase without a request", i);
		PT_CHECK(PT_IMPLIES(v->close_data,
				 v->req == CN_REQ_CLOSE_CALL &&
					 v->phase == CN_PHASE_PENDED),
		      "V13: VC %u %s has close data without a pended close",
		      i, cn_vc_state_name(st));
		PT_CHECK(PT_IMPLIES(v->cm_created,
				 !v->pmp && st != CN_VC_MAKING) &&
			      PT_IMPLIES(st == CN_VC_OFFERED ||
						 st == CN_VC_ACCEPTED,
					 v->cm_created &&
						 v->req == CN_REQ_NONE &&
						 total == 0) &&
			      PT_IMPLIES(st == CN_VC_OFFERED, !v->activated),
		      "V15: VC %u %s (cm_created %u pmp %u req %s "
		      "activated %u)",
		      i, cn_vc_state_name(st), v->cm_created, v->pmp,
		      cn_req_name(v->req), v->activated);
		PT_CHECK(PT_IFF(st == CN_VC_OFFERED,
				v->offer_phase == CN_PHASE_PENDED) &&
			      PT_IMPLIES(st != CN_VC_OFFERED,
					 v->offer_phase == CN_PHASE_NONE),
		      "V16: VC %u %s with offer phase %u", i,
		      cn_vc_state_name(st), v->offer_phase);
		owed += v->phase == CN_PHASE_PENDED;
		if (v->sends != 0) {
			uint32_t c, q = 0, k;

			for (c = 0; c < e->cfg.cpu_count; c++)
				for (k = 0; k < e->dpc_len[c]; k++) {
					const struct cn_dpc *d =
						&e->dpc[c * e->cfg.dpc_capacity +
							k];

					q += d->cb == CN_FN_ProtocolCoSendNetBufferListsComplete &&
					     d->handle == _cn_vc_handle(e, v);
				}
			/* LCOV_EXCL_BR_START: an invariant check of the
			 * validator: it fails only on a broken invariant, a
			 * bug in core/ or a planted fault (the mutants label
			 * shows each fault caught) */
			PT_CHECK(v->sends == v->mp_sends + q,
			      "V17: VC %u has %u sends, %u held, %u queued", i,
			      v->sends, v->mp_sends, q);
			/* LCOV_EXCL_BR_STOP */
		}
		PT_CHECK(PT_IMPLIES(v->sends != 0,
				 st == CN_VC_CONNECTED ||
					 st == CN_VC_REMOTE_CLOSED) &&
			      v->mp_sends <= CN_MAX_SENDS &&
			      v->mp_sends <= v->sends,
		      "V17: VC %u %s has %u sends (%u held)", i,
		      cn_vc_state_name(st), v->sends, v->mp_sends);
	}
	/* LCOV_EXCL_BR_START: an invariant check of the validator: it fails
	 * only on a broken invariant, a bug in core/ or a planted fault (the
	 * mutants label shows each fault caught) */
	PT_CHECK(e->n_oids <= CN_MAX_OIDS, "V17: %u OID requests pended",
	      e->n_oids);
	/* LCOV_EXCL_BR_STOP */
	/* LCOV_EXCL_BR_START: an invariant check of the validator: it fails
	 * only on a broken invariant, a bug in core/ or a planted fault (the
	 * mutants label shows each fault caught) */
	PT_CHECK(owed == e->owed, "V8: owed %u but %u requests pended", e->owed,
	      owed);
	/* LCOV_EXCL_BR_STOP */
	PT_CHECK(!e->af_pended || e->af_state == CN_AF_OPENING ||
			 e->af_state == CN_AF_CLOSING,
		 "V14: af pended in state %u", e->af_state);
	PT_CHECK(!e->af_closed || e->af_state == CN_AF_NONE,
		 "V14: af closed in state %u", e->af_state);
	PT_CHECK(e->af_notify == CN_NOTIFY_NONE ||
			 e->af_state == CN_AF_OPEN ||
			 e->af_state == CN_AF_CLOSING || e->af_closed,
		 "V14: af notified (%u) in state %u", e->af_notify,
		 e->af_state); /* B4 */
	for (i = 0; i < CN_MAX_SAPS; i++)
		PT_CHECK(e->saps[i].state == CN_SAP_FREE ||
				 e->af_state == CN_AF_OPEN ||
				 e->af_state == CN_AF_CLOSING,
			 "V14: SAP %u in state %u, family in state %u", i,
			 e->saps[i].state, e->af_state);
	/* LCOV_EXCL_BR_START: an invariant check of the validator: it fails
	 * only on a broken invariant, a bug in core/ or a planted fault (the
	 * mutants label shows each fault caught) */
	PT_CHECK(e->stats.parties_created - e->stats.parties_ended == live,
	      "V10: created %u - ended %u != live %u",
	      e->stats.parties_created, e->stats.parties_ended, live);
	/* LCOV_EXCL_BR_STOP */
	return PT_OK;
}

/*
 * The states an end-of-run report names for handle @h: a live party's
 * state and its VC's; a party that ended is DEAD, its VC no longer its
 * own; a VC handle has no party state; anything else has neither.
 */
PT_NO_COVERAGE static void states_of(struct cn_engine *e, uint64_t h,
				     int *party, int *vc)
{
	struct pt_party_info pi;
	struct cn_vc *v;
	int err;

	*party = -1;
	*vc = -1;
	if (pt_handle_tag(h) == CN_TAG_VC) {
		if (_cn_vc_lookup(e, h, &v) == PT_OK)
			*vc = v->state;
		return;
	}
	err = pt_party_lookup(e->parties, h, &pi);
	if (err == PT_OK) {
		*party = pi.state;
		*vc = e->vcs[pi.vc].state;
	} else if (err == PT_E_STALE) {
		*party = PT_DEAD;
	}
}

PT_NO_COVERAGE int cn_engine_check_end(struct cn_end_report *out)
{
	struct cn_engine *e = _cn_engine_get();
	struct cn_end_report r;
	struct cn_pending_info pi;
	uint32_t c, i, cursor = 0, undelivered_completions = 0, af_owed = 0;
	uint64_t step = _cn_trace_begin(e, CN_FN_EndOfRun, 0, 0, 0);
	uint32_t expected;
	int ps, vs;

	memset(&r, 0, sizeof(r));
	/* LCOV_EXCL_BR_START: an assertion (V1): fails only on a broken
	 * invariant */
	PT_ASSERT(pt_table_validate(e->parties, NULL, 0) == PT_OK); /* V1 */
	/* LCOV_EXCL_BR_STOP */
	for (i = 0; i < e->cfg.max_parties; i++)
		PT_ASSERT(e->pside[i].live ||
			  !slot_live_unknown(e, i)); /* V9 */
	for (c = 0; c < e->cfg.cpu_count; c++)
		for (i = 0; i < e->dpc_len[c]; i++) {
			const struct cn_dpc *d =
				&e->dpc[c * e->cfg.dpc_capacity + i];

			r.undelivered++;
			if (d->cb == CN_FN_ProtocolClIncomingDropParty ||
			    d->cb == CN_FN_ProtocolClIncomingCloseCall)
				continue;
			/* A send completion is no request's (C2's count). */
			undelivered_completions +=
				d->cb != CN_FN_ProtocolCoSendNetBufferListsComplete;
			states_of(e, d->handle, &ps, &vs);
			_cn_report(e, CN_RULE_C2, CN_FN_EndOfRun, step,
				   d->handle, ps, vs,
				   "completion queued as a DPC never ran");
		}
	/* C3: an address-family close or SAP request the CM pended. */
	if (e->af_pended) {
		af_owed++;
		r.owed_cm_completions++;
		_cn_report(e, CN_RULE_C3, CN_FN_EndOfRun, step, CN_H_AF, -1,
			   -1,
			   "address-family request pended by the call manager "
			   "never completed");
	}
	for (i = 0; i < CN_MAX_SAPS; i++)
		if (e->saps[i].state == CN_SAP_REG_PENDED ||
		    e->saps[i].state == CN_SAP_DEREG_PENDED) {
			af_owed++;
			r.owed_cm_completions++;
			_cn_report(e, CN_RULE_C3, CN_FN_EndOfRun, step,
				   pt_handle_pack(CN_TAG_NDIS, e->saps[i].gen,
						  CN_SAP_INDEX0 + i),
				   -1, -1,
				   "SAP request pended by the call manager "
				   "never completed");
		}
	while (cn_pending_next(&cursor, &pi)) {
		uint64_t h = _cn_h(pi.party ? pi.party : pi.vc);

		r.owed_cm_completions++;
		states_of(e, h, &ps, &vs);
		_cn_report(e, CN_RULE_C3, CN_FN_EndOfRun, step, h, ps, vs,
			   "request pended by the call manager never "
			   "completed");
	}
	for (i = 0; i < e->cfg.max_vcs; i++) {
		struct cn_vc *v = &e->vcs[i];
		struct pt_party_info ppi;
		pt_handle_t h;

		cursor = 0;
		while (_pt_vc_next_nocov(e->parties, i, &cursor, &h, &ppi)) {
			int remote = ppi.state == PT_REMOTE_DROPPED;

			r.live_parties++;
			_cn_report(e, remote ? CN_RULE_C14 : CN_RULE_C12,
				   CN_FN_EndOfRun, step, h, ppi.state,
				   v->state,
				   remote ? "incoming drop never answered"
					  : "party still live at the end");
		}
		if (v->state == CN_VC_REMOTE_CLOSED) {
			r.remote_closed_vcs++;
			_cn_report(e, CN_RULE_C15, CN_FN_EndOfRun, step,
				   _cn_vc_handle(e, v), -1, v->state,
				   "incoming close never answered");
		}
		if (v->state == CN_VC_OFFERED &&
		    v->offer_phase == CN_PHASE_PENDED) {
			r.unanswered_calls++;
			_cn_report(e, CN_RULE_C3, CN_FN_EndOfRun, step,
				   _cn_vc_handle(e, v), -1, v->state,
				   "incoming call pended by the client never "
				   "completed");
		}
		if (v->cm_created && !v->delete_owed &&
		    v->state != CN_VC_FREE && v->state != CN_VC_PARKED) {
			r.cm_vcs_left++;
			_cn_report(e, CN_RULE_C25, CN_FN_EndOfRun, step,
				   _cn_vc_handle(e, v), -1, v->state,
				   "VC the call manager created never "
				   "deleted");
		}
		if (v->state != CN_VC_FREE && v->state != CN_VC_PARKED)
			r.live_vcs++;
	}
	r.sends_owed = _cn_send_check_end(e, step);
	r.oids_owed = _cn_oid_check_end(e, step);
	/* C3: the client's answer to the close notification (B4), last:
	 * what its teardown left behind (C12, C14, C15 above) is the
	 * cause, the owed answer its consequence. */
	if (e->af_notify == CN_NOTIFY_PENDED) {
		r.notify_owed++;
		_cn_report(e, CN_RULE_C3, CN_FN_EndOfRun, step, CN_H_AF, -1,
			   -1,
			   "close notification pended by the client "
			   "(ProtocolClNotifyCloseAf) never completed");
	}
	/* AF and SAP requests (af_owed) are not in client_pended. */
	expected = e->stats.client_pended -
		   (r.owed_cm_completions - af_owed) - undelivered_completions;
	if (e->stats.client_completed != expected) {
		/* LCOV_EXCL_START: an engine self-check (NDIS delivers every
		 * completion it owes once): only a core bug gets here, such as
		 * the planted fault 13 (fault.h), another build. */
		r.delivery_mismatch =
			e->stats.client_completed > expected
				? e->stats.client_completed - expected
				: expected - e->stats.client_completed;
		_cn_report(e, CN_RULE_C2, CN_FN_EndOfRun, step, 0, -1, -1,
			   "client completions delivered by NDIS differ "
			   "from requests that returned PENDING");
	} /* LCOV_EXCL_STOP */
	if (out != NULL)
		*out = r;
	return r.owed_cm_completions || r.undelivered || r.live_parties ||
			       r.remote_closed_vcs || r.live_vcs ||
			       r.delivery_mismatch || r.unanswered_calls ||
			       r.cm_vcs_left || r.sends_owed || r.oids_owed ||
			       r.notify_owed
		       ? PT_E_STATE
		       : PT_OK;
}
