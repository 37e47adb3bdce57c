/*
 * run_end.c - the end of a run (run.h step 3): the wind-down through the
 * drivers' stimulus tables, the end-of-run checks from the engine and the
 * model, then the drivers' unbind and unload.
 */
#include <string.h>

#include "harness/run_internal.h"
#include "partyfuzz/condis.h"

/* Does the engine still hold a VC? */
PT_NO_COVERAGE static int engine_has_vc(void)
{
	struct cn_vc_info vi;
	NDIS_HANDLE h;
	uint32_t at = 0;

	return cn_vc_next(&at, &h, &vi);
}

/*
 * Drivers under test: end the run the way NDIS unbinds (driver.h). Each
 * round: while the engine owes CM completions (or the MCM holds sends), the
 * CM completes its oldest pended request, then its oldest send (a request
 * it forgot, B18, stays owed: C3 at the end); the queued DPCs run; then, while the engine holds a VC, NDIS asks
 * the client to close its address family (close_af, where the client's
 * actor is placed). Rounds go on while they make engine steps. Every step
 * is checked like an operation's.
 */
PT_NO_COVERAGE void _pf_run_wind_down(void)
{
	struct pf_op op;
	uint32_t round, before, owed;
	uint64_t s;

	for (round = 0; round < RUN_WIND_ROUNDS && !cur.stop; round++) {
		before = (uint32_t)cn_trace_steps();
		memset(&op, 0, sizeof(op));
		op.code = PF_OP_complete; /* req 0, SUCCESS, sync */
		while ((owed = cn_pending_count() + cn_send_held_count()) >
			       0 &&
		       cur.cmd->complete && !cur.stop) {
			s = cn_trace_steps();
			run_op(&op, cur.r->ops);
			if (cn_trace_steps() == s ||
			    cn_pending_count() + cn_send_held_count() >= owed)
				break;
		}
		if (hs_drain(&cur.sched))
			check_step("wind-down DPCs");
		if (cur.stop || !cur.cl->close_af || !engine_has_vc())
			break;
		if (cur.out)
			fprintf(cur.out, "-- close_af (the client's "
				       "ProtocolClNotifyCloseAf)\n");
		if (cur.hook && cur.hook->op)
			cur.hook->op(cur.hook->arg, -1, NULL, "close_af");
		cur.r->ops++;
		s = cn_trace_steps();
		(void)hs_enter(&cur.sched, PF_ACTOR_CLIENT);
		cur.cl->close_af();
		hs_leave(&cur.sched);
		if (cn_trace_steps() != s)
			cur.r->ops_acted++;
		check_step("close_af (wind-down)");
		if ((uint32_t)cn_trace_steps() == before)
			break;
	}
}

/*
 * Unbind and unload (driver.h), client first: always, also after a
 * finding, since unload is how a driver is reset between inputs. Checked
 * like an operation when the run is still clean.
 */
PT_NO_COVERAGE void _pf_run_unbind_unload(void)
{
	const struct pf_stimuli *t[2] = { cur.cl, cur.cmd };
	uint64_t before = cn_trace_steps();
	int i;

	if (cur.out && (cur.cl->unbind || cur.cl->unload || cur.cmd->unbind ||
		      cur.cmd->unload))
		fprintf(cur.out, "-- unbind and unload\n");
	if (cur.hook && cur.hook->op && (cur.cl->unbind || cur.cl->unload ||
				     cur.cmd->unbind || cur.cmd->unload))
		cur.hook->op(cur.hook->arg, -1, NULL, "unbind and unload");
	for (i = 0; i < 2; i++)
		if (t[i]->unbind && (i == 0 || t[1] != t[0]))
			t[i]->unbind();
	for (i = 0; i < 2; i++)
		if (t[i]->unload && (i == 0 || t[1] != t[0]))
			t[i]->unload();
	if (!cur.stop && cur.r->verdict != PF_VERDICT_MISMATCH)
		check_step("unbind and unload");
	else if (cn_trace_steps() != before)
		print_steps(before + 1);
}

PT_NO_COVERAGE void _pf_run_check_end(void)
{
	struct cn_end_report rep;
	struct cn_stats st;
	char why[256];
	int rc;

	/* The reference run delivers everything; a puppet program decides
	 * itself whether its DPCs ever run (a DPC left queued is C2). */
	if (!cur.puppet && hs_drain(&cur.sched))
		check_step("final DPCs");
	if (cur.stop)
		return;
	if (cur.out)
		fprintf(cur.out, "-- end of run\n");
	if (cur.hook && cur.hook->op)
		cur.hook->op(cur.hook->arg, -1, NULL, "end of run");
	rc = cn_engine_check_end(&rep);
	cur.model_owes_rules = 1;
	if (pm_check_end(&cur.model, &rep, why, sizeof(why)))
		mismatch("%s", why);
	else if ((rc == PT_OK) !=
		 (rep.owed_cm_completions == 0 && rep.undelivered == 0 &&
		  rep.live_parties == 0 && rep.remote_closed_vcs == 0 &&
		  rep.live_vcs == 0 && rep.delivery_mismatch == 0 &&
		  rep.sends_owed == 0 && rep.oids_owed == 0))
		mismatch("cn_engine_check_end: return %s disagrees with its "
			 "counts%s",
			 pt_err_name(rc), "");
	check_step("end of run");
	if (cur.stop)
		return;
	cn_engine_stats(&st);
	if (st.parties_created != cur.model.nparty) {
		snprintf(why, sizeof(why), "%u issued, model %u",
			 st.parties_created, cur.model.nparty);
		mismatch("party handles issued: %s", why);
	} else if (st.parties_ended + rep.live_parties != st.parties_created) {
		/* C12: every handle ends exactly once. */
		snprintf(why, sizeof(why), "%u issued, %u ended, %u live",
			 st.parties_created, st.parties_ended,
			 rep.live_parties);
		mismatch("party handles (C12): %s", why);
	}
	if (cur.puppet || cur.stop)
		return;
	/* Reference drivers, after the wind-down: nothing owed, nothing
	 * live, every pended request completed exactly once (C2, C3). */
	if (rep.owed_cm_completions || rep.live_parties || rep.live_vcs ||
	    rep.remote_closed_vcs || rep.undelivered || rep.sends_owed ||
	    rep.oids_owed) {
		snprintf(
			why, sizeof(why),
			"owed %u, live parties %u, live VCs %u, remote-closed "
			"%u, undelivered %u",
			rep.owed_cm_completions, rep.live_parties,
			rep.live_vcs, rep.remote_closed_vcs, rep.undelivered);
		mismatch("wind-down left state behind: %s", why);
	} else if (st.cm_pended != st.cm_completed ||
		   st.client_pended != st.client_completed) {
		snprintf(why, sizeof(why),
			 "CM pended %u completed %u; client pended %u "
			 "completed %u",
			 st.cm_pended, st.cm_completed, st.client_pended,
			 st.client_completed);
		mismatch("exactly-once completion (C2, C3): %s", why);
	}
}
