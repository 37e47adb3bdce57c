/*
 * compare.c - the engine's state against the model's (compare.h).
 */
#include "harness/compare.h"

#include <stdio.h>

#include "partyfuzz/condis.h"

PT_ORACLE static NDIS_HANDLE H(uint64_t h)
{
	return CN_HANDLE(h);
}

PT_ORACLE static int cmp_fail(char *why, size_t len, const char *what,
				   uint64_t h, long got, long want)
{
	char hs[32];

	cn_handle_format(h, hs, sizeof(hs));
	snprintf(why, len, "state: %s of %s: engine %ld, model %ld", what, hs,
		 got, want);
	return -1;
}

/*
 * The engine's state against the model's, after every step (model.h): the
 * harness reads the engine through its queries and the model through its
 * read-only views, so comparing changes neither. Parties are compared by
 * handle (cn_party_query, O(1) each); that the engine has no party the
 * model lacks follows from its per-VC counters, which cn_call_validate()
 * ties to its party table and which must equal the model's (M2).
 */
PT_ORACLE int pf_compare_state(const struct pm_model *m, char *why,
				    size_t len)
{
	struct cn_vc_info vi;
	struct cn_party_info pi;
	struct pm_vc_view mv;
	/* The model's counts in one pass (not one scan per figure). */
	static struct pm_census mc;
	NDIS_HANDLE h;
	uint32_t cur = 0, i, nvc = 0, engine_live = 0;
	uint64_t ph, pvc;
	uint8_t pstate;

	pm_census(m, &mc);
	while (cn_vc_next(&cur, &h, &vi)) {
		uint64_t hv = CN_HANDLE_VALUE(h);

		nvc++;
		if (pm_census_vc(m, &mc, hv, &mv) < 0)
			return cmp_fail(why, len, "unexpected VC", hv, 1, 0);
		if (vi.state != mv.state)
			return cmp_fail(why, len, "VC state", hv, vi.state,
					mv.state);
		if (vi.state != CN_VC_IDLE && vi.pmp != mv.pmp)
			return cmp_fail(why, len, "VC pmp", hv, vi.pmp,
					mv.pmp);
		if (vi.activated != mv.activated)
			return cmp_fail(why, len, "VC activated", hv,
					vi.activated, mv.activated);
		if (vi.pending != mv.pending)
			return cmp_fail(why, len, "VC pending request", hv,
					vi.pending, mv.pending);
		if (vi.active != mv.n.active || vi.adding != mv.n.adding ||
		    vi.dropping != mv.n.dropping || vi.making != mv.n.making ||
		    vi.closing != mv.n.closing ||
		    vi.remote_dropped != mv.n.remote)
			return cmp_fail(why, len,
					"VC counters active/adding/dropping/"
					"making/closing/remote (active shown)",
					hv, vi.active, mv.n.active);
		if (vi.sends != mv.sends || vi.mp_sends != mv.mp_sends)
			return cmp_fail(why, len,
					"VC sends outstanding/held (outstanding "
					"shown)",
					hv, vi.sends, mv.sends);
		engine_live += vi.active + vi.adding + vi.dropping +
			       vi.making + vi.closing;
	}
	if (mc.live_vcs != nvc)
		return cmp_fail(why, len, "number of VCs", 0, nvc,
				mc.live_vcs);
	cur = 0;
	while (pm_party_next(m, &cur, &ph, &pstate, &pvc)) {
		if (ph == 0)
			return cmp_fail(why, len,
					"live party whose handle the model "
					"never learnt from the trace",
					0, 0, pstate);
		if (cn_party_query(H(ph), &pi) != PT_OK)
			return cmp_fail(why, len,
					"party not live in the engine", ph, 0,
					pstate);
		if (pi.state != pstate)
			return cmp_fail(why, len, "party state", ph, pi.state,
					pstate);
		if (CN_HANDLE_VALUE(pi.vc) != pvc)
			return cmp_fail(why, len, "party VC", ph, 0, 1);
	}
	if (mc.live_parties != engine_live)
		return cmp_fail(why, len, "number of live parties", 0,
				engine_live, mc.live_parties);
	if (cn_pending_count() != mc.pended)
		return cmp_fail(why, len, "owed CM completions", 0,
				cn_pending_count(), mc.pended);
	for (i = 0; i < CN_MAX_CPUS; i++)
		if (cn_dpc_count(i) != mc.queued[i]) {
			snprintf(why, len,
				 "state: DPCs queued on cpu%u: engine %u, "
				 "model %u",
				 i, cn_dpc_count(i), mc.queued[i]);
			return -1;
		}
	return 0;
}
