/*
 * run_end.c - the end of a run (run.h step 3): the wind-down through the
 * engine (the call manager's close of the family) and the drivers'
 * stimulus tables, the end-of-run checks from the engine and the
 * model, then the drivers' unbind and unload.
 */
#include <string.h>

#include "harness/run_internal.h"
#include "partyfuzz/condis.h"

/*
 * The call manager closes the family (driver.h, notify_close_af), on its
 * actor's CPU at PASSIVE_LEVEL (the unbind path runs there, whatever
 * IRQL the program left the actor at). The CM acts only on an open
 * family with no notification in flight, so a round repeats it only
 * after the client refused one (a close the CM failed left a call it
 * could not take down). Checked like an operation; shown only when it
 * made steps (or first).
 */
PT_NO_COVERAGE static void notify_close_af(int first)
{
	uint8_t irql = cur.sched.irql[PF_ACTOR_CM];
	uint64_t s = cn_trace_steps();

	cur.sched.irql[PF_ACTOR_CM] = PF_IRQL_PASSIVE;
	(void)hs_enter(&cur.sched, PF_ACTOR_CM);
	cur.cmd->notify_close_af();
	hs_leave(&cur.sched);
	cur.sched.irql[PF_ACTOR_CM] = irql;
	if (!first && cn_trace_steps() == s)
		return;
	if (cur.out)
		fprintf(cur.out, "-- notify_close_af (the call manager's "
				 "Ndis(M)CmNotifyCloseAddressFamily)\n");
	if (cur.hook && cur.hook->op)
		cur.hook->op(cur.hook->arg, -1, NULL, "notify_close_af");
	cur.r->ops++;
	if (cn_trace_steps() != s)
		cur.r->ops_acted++;
	check_step("notify_close_af (wind-down)");
}

/*
 * Drivers under test: end the run the way NDIS unbinds (driver.h). Each
 * round: the call manager notifies the close of the family (once, unless
 * the client refused it); the client's ProtocolClNotifyCloseAf tears
 * down and carries on from its completion handlers. While the engine
 * owes CM completions (or the MCM holds sends), the CM completes its
 * oldest pended request, then its oldest send (a request it forgot, B18,
 * stays owed: C3 at the end); the queued DPCs run. Rounds go on while
 * they make engine steps. Every step is checked like an operation's.
 */
PT_NO_COVERAGE void _pf_run_wind_down(void)
{
	struct pf_op op;
	uint32_t round, before, owed;
	uint64_t s;

	for (round = 0; round < RUN_WIND_ROUNDS && !cur.stop; round++) {
		before = (uint32_t)cn_trace_steps();
		if (!cur.puppet && cur.cmd->notify_close_af)
			notify_close_af(round == 0);
		if (cur.stop)
			break;
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
		  rep.sends_owed == 0 && rep.oids_owed == 0 &&
		  rep.notify_owed == 0))
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
	    rep.oids_owed || rep.notify_owed) {
		snprintf(
			why, sizeof(why),
			"owed %u, live parties %u, live VCs %u, remote-closed "
			"%u, undelivered %u, close notification %u",
			rep.owed_cm_completions, rep.live_parties,
			rep.live_vcs, rep.remote_closed_vcs, rep.undelivered,
			rep.notify_owed);
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
