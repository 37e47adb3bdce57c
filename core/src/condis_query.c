/*
 * condis_query.c - the queries on the engine's VCs, parties and pending
 * requests that the harness, the model and the tools read.
 */
#include <stdlib.h>
#include <string.h>

#include "condis_internal.h"
#include "debug.h"
#include "fault.h"

/*
 * Queries.
 */

PT_ORACLE static void vc_info(const struct cn_vc *v,
				   struct cn_vc_info *out)
{
	out->state = (enum cn_vc_state)v->state;
	out->pmp = v->pmp;
	out->activated = v->activated;
	out->cm_created = v->cm_created;
	out->pending = v->phase == CN_PHASE_PENDED ? (enum cn_req)v->req
						   : CN_REQ_NONE;
	out->active = v->active;
	out->adding = v->adding;
	out->dropping = v->dropping;
	out->making = v->making;
	out->closing = v->closing;
	out->remote_dropped = v->remote;
	out->sends = v->sends;
	out->mp_sends = v->mp_sends;
	out->ProtocolVcContext = v->client_ctx;
	out->CallMgrVcContext = v->cm_ctx;
}

PT_ORACLE int cn_vc_query(NDIS_HANDLE vc, struct cn_vc_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	struct cn_vc *v;
	int err = _cn_vc_lookup(e, _cn_h(vc), &v);

	if (err == PT_OK && out != NULL)
		vc_info(v, out);
	return err;
}

PT_ORACLE int cn_vc_next(uint32_t *cursor, NDIS_HANDLE *vc,
			      struct cn_vc_info *out)
{
	struct cn_engine *e = _cn_engine_get();

	for (; *cursor < e->cfg.max_vcs; (*cursor)++) {
		struct cn_vc *v = &e->vcs[*cursor];

		if (v->state == CN_VC_FREE || v->state == CN_VC_PARKED)
			continue;
		/* LCOV_EXCL_BR_START: optional out-pointers: every caller in
		 * the tree asks for both; core/test passes NULL */
		if (vc != NULL)
			*vc = _cn_handle(_cn_vc_handle(e, v));
		/* LCOV_EXCL_BR_STOP */
		/* LCOV_EXCL_BR_START: optional out-pointers: every caller in
		 * the tree asks for both; core/test passes NULL */
		if (out != NULL)
			vc_info(v, out);
		/* LCOV_EXCL_BR_STOP */
		(*cursor)++;
		return 1;
	}
	return 0;
}

PT_ORACLE static void party_info(struct cn_engine *e, pt_handle_t h,
				      const struct pt_party_info *pi,
				      struct cn_party_info *out)
{
	const struct cn_party *p = &e->pside[pt_handle_index(h)];
	const struct cn_vc *v = &e->vcs[pi->vc];

	out->state = pi->state;
	out->vc = _cn_handle(_cn_vc_handle(e, v));
	out->pending = CN_REQ_NONE;
	if (p->phase == CN_PHASE_PENDED)
		out->pending = pi->state == PT_ADDING ? CN_REQ_ADD_PARTY
						      : CN_REQ_DROP_PARTY;
	else if (v->phase == CN_PHASE_PENDED && v->req_party == h)
		out->pending = (enum cn_req)v->req;
	out->ProtocolPartyContext = (NDIS_HANDLE)pi->ctx;
	out->CallMgrPartyContext = p->cm_ctx;
}

PT_ORACLE int cn_party_query(NDIS_HANDLE party, struct cn_party_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	struct pt_party_info pi;
	int err = _pt_party_lookup_nocov(e->parties, _cn_h(party), &pi);

	if (err == PT_OK && out != NULL)
		party_info(e, _cn_h(party), &pi, out);
	return err;
}

PT_ORACLE int cn_party_next(NDIS_HANDLE vc, uint32_t *cursor,
				 NDIS_HANDLE *party, struct cn_party_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	struct pt_party_info pi;
	struct cn_vc *v;
	pt_handle_t h;

	if (_cn_vc_lookup(e, _cn_h(vc), &v) != PT_OK)
		return 0;
	if (!_pt_vc_next_nocov(e->parties, _cn_vc_index(e, v), cursor, &h,
			       &pi))
		return 0;
	/* LCOV_EXCL_BR_START: optional out-pointers: every caller in the
	 * tree asks for both; core/test passes NULL */
	if (party != NULL)
		*party = _cn_handle(h);
	/* LCOV_EXCL_BR_STOP */
	/* LCOV_EXCL_BR_START: optional out-pointers: every caller in the
	 * tree asks for both; core/test passes NULL */
	if (out != NULL)
		party_info(e, h, &pi, out);
	/* LCOV_EXCL_BR_STOP */
	return 1;
}

PT_ORACLE uint32_t cn_pending_count(void)
{
	return _cn_engine_get()->owed;
}

PT_ORACLE int cn_pending_next(uint32_t *cursor,
				   struct cn_pending_info *out)
{
	struct cn_engine *e = _cn_engine_get();
	uint32_t nv = e->cfg.max_vcs;

	for (; *cursor < nv + e->cfg.max_parties; (*cursor)++) {
		if (*cursor < nv) {
			struct cn_vc *v = &e->vcs[*cursor];

			if (v->phase != CN_PHASE_PENDED)
				continue;
			out->kind = (enum cn_req)v->req;
			out->vc = _cn_handle(_cn_vc_handle(e, v));
			out->party = _cn_handle(v->req_party);
		} else {
			uint32_t i = *cursor - nv;
			struct cn_party *p = &e->pside[i];
			pt_handle_t h =
				pt_handle_pack(CN_TAG_PARTY, p->gen, i);
			struct pt_party_info pi;

			if (!p->live || p->phase != CN_PHASE_PENDED ||
			    _pt_party_lookup_nocov(e->parties, h, &pi) !=
				    PT_OK)
				continue;
			out->kind = pi.state == PT_ADDING ? CN_REQ_ADD_PARTY
							  : CN_REQ_DROP_PARTY;
			out->vc = _cn_handle(_cn_vc_handle(e, &e->vcs[pi.vc]));
			out->party = _cn_handle(h);
		}
		(*cursor)++;
		return 1;
	}
	return 0;
}
