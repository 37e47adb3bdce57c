/*
 * run.c - the run loop of the CoNDIS fuzzers (run.h).
 *
 * Two kinds of drivers play the program, both through a stimulus table
 * (fuzz/drivers/driver.h):
 *
 *   drivers under test  the tables pf_run_set_drivers() named (the
 *              reference client and call manager, or a user's). The
 *              harness only stimulates them and answers the CM's decisions
 *              (cm=) and NDIS's delivery choices (deliver=) from the
 *              current operation; the run ends through the CM's close
 *              notification, then their unbind and unload (run_end.c).
 *              No rule may ever fire.
 *   puppet     the harness itself is the client and the call manager
 *              (fuzz/drivers/puppet.c): its handlers record and answer as
 *              the operation says, and it calls the DDIs directly, with
 *              any handle, status, IRQL (op ddi). Every violation must be
 *              the one the model predicts.
 *
 * Invariants of the run loop:
 *   (R1) every engine step of a run is fed to the model exactly once, in
 *        order: `fed` is the last step fed, and the check after each
 *        operation feeds fed+1 .. cn_trace_steps().
 *   (R2) the decision and delivery hooks read only cur.cm and cur.deliver,
 *        which hold the current operation's arguments while it runs and
 *        "SUCCESS, synchronous" otherwise (wind-down, DPCs).
 *   (R3) nothing allocates per run: cur (_pf_run) is static, the engine
 *        is reset, the trace is a ring.
 *   (R4) every verifier report reaches on_report() as it is made: the
 *        first one of the run is the result's first_rule/first_report,
 *        and with a trace each one is printed under the step it was made
 *        at, when that operation's steps are printed, without the
 *        report's "partyfuzz: " prefix (a line with it is a verifier
 *        abort, which ci/triage.sh keys a finding by; the record-mode
 *        reports of a trace are predicted, not findings).
 *
 * The whole run loop is PT_NO_COVERAGE (partyfuzz/err.h), like the checks:
 * it only routes the decoded operation to the drivers and the scheduler,
 * and what an operation does is counted where it is done (the drivers and
 * the engine). Its edges were a fixed share of every execution's features,
 * teaching the fuzzer nothing the drivers' do not.
 */
#include "harness/run.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/driver.h"
#include "fuzz_util.h"
#include "harness/compare.h"
#include "harness/hsched.h"
#include "harness/model.h"
#include "harness/run_internal.h"
#include "partyfuzz/condis.h"
#include "partyfuzz/ndis.h"

struct run_state _pf_run;

/* The drivers under test (pf_run_set_drivers). */
static struct {
	const struct pf_stimuli *client, *cm;
} D;

/* Reporting */

/* Record the first disagreement of the run (longer text is truncated). */

PT_NO_COVERAGE void _pf_run_mismatch(const char *fmt, ...)
{
	va_list ap;

	if (cur.stop)
		return;
	cur.stop = 1;
	cur.r->verdict = PF_VERDICT_MISMATCH;
	va_start(ap, fmt);
	vsnprintf(cur.r->why, sizeof(cur.r->why), fmt, ap);
	va_end(ap);
}

/* (R4) cn_config.on_violation: every report, as it is made. */
PT_NO_COVERAGE static void on_report(void *arg, const struct cn_violation *v)
{
	(void)arg;
	cur.last_rule = v->rule;
	cur.last_handle = v->handle;
	cur.last_step = v->step;
	if (cur.r == NULL)
		return;
	if (cur.r->first_rule == CN_RULE_NONE) {
		cur.r->first_rule = v->rule;
		snprintf(cur.r->first_report, sizeof(cur.r->first_report), "%s",
			 v->line);
	}
	if (!cur.out && !cur.hook)
		return;
	if (cur.nreports == RUN_REPORTS) {
		cur.reports_lost++;
		return;
	}
	cur.reports[cur.nreports].step = v->step;
	snprintf(cur.reports[cur.nreports].line, sizeof(cur.reports[0].line), "%s",
		 strncmp(v->line, "partyfuzz: ", 11) == 0 ? v->line + 11
							  : v->line);
	cur.nreports++;
}

/* cn_config.on_transition: to the observer of this run, if any. */
PT_NO_COVERAGE static void on_transition(void *arg, uint64_t step,
					 uint32_t row, uint64_t handle,
					 int from, int to)
{
	(void)arg;
	if (cur.r != NULL && cur.hook && cur.hook->transition)
		cur.hook->transition(cur.hook->arg, step, row, handle, from, to);
}

/* Print the trace steps from @from to the current one, each followed by
 * the report lines made at it (R4). */
PT_NO_COVERAGE void _pf_run_print_steps(uint64_t from)
{
	struct cn_trace_entry e;
	char line[256];
	uint64_t s, to = cn_trace_steps();
	uint32_t i;

	if (!cur.out && !cur.hook)
		return;
	for (s = from; s <= to; s++) {
		if (cn_trace_get(s, &e) != PT_OK)
			continue;
		if (cur.hook && cur.hook->step)
			cur.hook->step(cur.hook->arg, &e);
		for (i = 0; i < cur.nreports; i++)
			if (cur.reports[i].step == s && cur.hook &&
			    cur.hook->report)
				cur.hook->report(cur.hook->arg, s,
					       cur.reports[i].line);
		if (!cur.out)
			continue;
		cn_trace_format(&e, line, sizeof(line));
		fprintf(cur.out, "%s\n", line);
		for (i = 0; i < cur.nreports; i++)
			if (cur.reports[i].step == s)
				fprintf(cur.out, "       ^ %s\n",
					cur.reports[i].line);
	}
	if (cur.reports_lost && cur.out)
		fprintf(cur.out, "       ^ (%u more reports)\n", cur.reports_lost);
	cur.nreports = 0;
	cur.reports_lost = 0;
}

/*
 * The check after every operation: model, verifier, state, invariants.
 */

/* The step's label for a message: formatted only on failure. */
PT_NO_COVERAGE static const char *label_of(char *buf, size_t len,
					   const char *label)
{
	if (label)
		return label;
	snprintf(buf, len, "op %u (%s)", cur.cur_op, cur.cur_name);
	return buf;
}

#define WHAT label_of(what, sizeof(what), label)

/* Who the drivers under test are, for a message: the reference pair
 * keeps the words its witnesses were written with. */
PT_NO_COVERAGE static const char *drivers_said(void)
{
	return strncmp(cur.cl->name, "reference", 9) == 0 &&
			       strncmp(cur.cmd->name, "reference", 9) == 0
		       ? "reference drivers"
		       : "drivers under test";
}

PT_ORACLE void _pf_run_check_step(const char *label)
{
	char what[64];
	uint64_t to = cn_trace_steps();
	uint32_t want_any, total, new_reports;
	char why[256];
	int rule;

	print_steps(cur.fed + 1);
	if (cur.stop)
		return;

	if (to == cur.fed && !cur.model_owes_rules) {
		/* No engine step: nothing can have changed (the model
		 * predicts nothing without a step either). */
		return;
	}
	cur.model_owes_rules = 0;
	if (to > cur.fed && pm_feed(&cur.model, cur.fed + 1, to, why, sizeof(why)))
		mismatch("%s: model: %s", WHAT, why);
	cur.fed = to;
	for (rule = 1, want_any = 0; rule <= CN_RULE_MAX; rule++)
		want_any |= cur.model.predicted[rule];
	total = cn_verifier_total();
	if (total == cur.total_before && !want_any)
		rule = CN_RULE_MAX + 1; /* nothing reported, nothing due */
	else
		rule = 1;
	new_reports = total - cur.total_before;
	cur.total_before = total;
	for (; rule <= CN_RULE_MAX && !cur.stop; rule++) {
		uint32_t now = cn_verifier_count(rule);
		uint32_t got = now - cur.rules_before[rule];
		uint32_t want = cur.model.predicted[rule];

		cur.rules_before[rule] = now;
		cur.model.predicted[rule] = 0;
		/* The NDIS services (S rules) leave no trace step for the
		 * model: with drivers under test, a report is their bug. */
		if (got != want &&
		    (cur.puppet || cn_rule_scope(rule) != CN_SCOPE_SERVICE)) {
			char g[64];

			snprintf(g, sizeof(g),
				 "%s reported %u time(s), model "
				 "predicts %u",
				 cn_rule_id(rule), got, want);
			mismatch("%s: verifier: %s", WHAT, g);
		}
		if (got == 0)
			continue;
		cur.r->fired[rule] += got;
		if (!cur.puppet)
			mismatch("%s: rule %s fired with the %s (false "
				 "positive or driver bug)",
				 WHAT, cn_rule_id(rule), drivers_said());
	}
	/* Where (model.h, n_at): the op's only report, of a VC the CM
	 * created, on the handle and step the model says. */
	if (!cur.stop && cur.model.n_at == 1 && new_reports == 1 &&
	    ((uint32_t)cur.last_rule != cur.model.at_rule ||
	     cur.last_handle != cur.model.at_handle ||
	     cur.last_step != cur.model.at_step))
		mismatch("%s: verifier: %s on step #%" PRIu64
			 " handle 0x%" PRIx64
			 ", model predicts %s on step #%" PRIu64
			 " handle 0x%" PRIx64,
			 WHAT, cn_rule_id(cur.last_rule), cur.last_step,
			 cur.last_handle, cn_rule_id((int)cur.model.at_rule),
			 cur.model.at_step, cur.model.at_handle);
	cur.model.n_at = 0;
	if (cur.stop)
		return;
	if (cn_call_validate(why, sizeof(why)) != PT_OK)
		mismatch("%s: cn_call_validate: %s", WHAT, why);
	else if (pf_compare_state(&cur.model, why, sizeof(why)))
		mismatch("%s: %s", WHAT, why);
}

/* Hooks (R2) */

PT_NO_COVERAGE static int choose_delivery(void *arg, enum cn_fn callback,
					  uint32_t *cpu)
{
	(void)arg;
	(void)callback;
	if (cur.deliver == 0)
		return 0;
	*cpu = (uint32_t)(cur.deliver - 1) % cur.sched.cpus;
	return 1;
}

PT_NO_COVERAGE static struct drv_choice decide(void *arg, enum cn_req request)
{
	struct drv_choice c;

	(void)arg;
	(void)request;
	c.fail_status = pf_status_value(cur.cm);
	if (cur.cm == PF_ST_SUCCESS)
		c.decision = DRV_SYNC_SUCCESS;
	else if (cur.cm == PF_ST_PENDING)
		c.decision = DRV_PEND;
	else
		c.decision = DRV_SYNC_FAIL;
	return c;
}

PT_NO_COVERAGE static int ddi_actor(int ddi)
{
	if (ddi == PF_DDI_MCO_SEND_COMPLETE ||
	    ddi == PF_DDI_CO_OID_REQUEST_COMPLETE ||
	    ddi == PF_DDI_CM_OID_REQUEST)
		return PF_ACTOR_CM;
	if (ddi == PF_DDI_CO_SEND || ddi == PF_DDI_CO_OID_REQUEST ||
	    ddi == PF_DDI_CL_NOTIFY_CLOSE_AF_COMPLETE)
		return PF_ACTOR_CLIENT;
	if (ddi == PF_DDI_CM_NOTIFY_CLOSE_AF)
		return PF_ACTOR_CM;
	/* The CM's create, delete and offer whose client answers (36..38):
	 * the call manager makes them, the client answers inside. */
	/* Bring-up (39..): the protocol's calls the client makes, the
	 * miniport's and the family's the call manager. */
	if (ddi >= PF_DDI_REGISTER_MINIPORT)
		return PF_ACTOR_CM;
	if (ddi >= PF_DDI_REGISTER_PROTOCOL)
		return PF_ACTOR_CLIENT;
	if (ddi >= PF_DDI_CM_CREATE_VC_CL_ANSWER)
		return PF_ACTOR_CM;
	if (ddi >= PF_DDI_CL_REGISTER_SAP) /* the family and its SAPs */
		return ddi == PF_DDI_CL_REGISTER_SAP ||
				       ddi == PF_DDI_CL_DEREGISTER_SAP ||
				       ddi == PF_DDI_CL_CLOSE_AF ||
				       ddi == PF_DDI_CL_OPEN_AF
			       ? PF_ACTOR_CLIENT
			       : PF_ACTOR_CM;
	if (ddi >= PF_DDI_CM_CREATE_VC) /* incoming calls */
		return ddi == PF_DDI_CL_INCOMING_CALL_COMPLETE ? PF_ACTOR_CLIENT
							       : PF_ACTOR_CM;
	return ddi <= PF_DDI_CO_DELETE_VC || (ddi >= PF_DDI_CO_CREATE_VC &&
					      ddi <= PF_DDI_KE_LOWER_IRQL)
		       ? PF_ACTOR_CLIENT
		       : PF_ACTOR_CM;
}

/* One operation */

PT_NO_COVERAGE static int op_actor(const struct pf_op *op)
{
	switch (op->code) {
	case PF_OP_complete:
	case PF_OP_notify_close_af:
		return PF_ACTOR_CM;
	case PF_OP_incoming_drop:
	case PF_OP_incoming_close:
	case PF_OP_incoming_call:
		return PF_ACTOR_NET;
	case PF_OP_ddi:
		return ddi_actor(op->arg[0]);
	default:
		return PF_ACTOR_CLIENT;
	}
}

/* The operation through the drivers' stimulus tables (driver.h); an
 * absent entry skips it. */
PT_NO_COVERAGE static void exec_op(const struct pf_op *op)
{
	const struct pf_stimuli *cl = cur.cl, *cm = cur.cmd;
	const uint8_t *a = op->arg;

	switch (op->code) {
	case PF_OP_create_vc:
		if (cl->create_vc && cur.model.nvc < PM_MAX_VCS)
			cl->create_vc();
		break;
	case PF_OP_make_call:
		if (cl->make_call)
			cl->make_call(a[0], a[1]);
		break;
	case PF_OP_add_party:
		if (cl->add_party)
			cl->add_party(a[0]);
		break;
	case PF_OP_drop_party:
		if (cl->drop_party)
			cl->drop_party(a[0], a[1]);
		break;
	case PF_OP_close_call:
		if (cl->close_call)
			cl->close_call(a[0]);
		break;
	case PF_OP_delete_vc:
		if (cl->delete_vc)
			cl->delete_vc(a[0]);
		break;
	case PF_OP_answer:
		if (cl->answer)
			cl->answer(a[0]);
		break;
	case PF_OP_complete:
		if (cm->complete)
			cm->complete(a[0], pf_status_value(a[1]));
		break;
	case PF_OP_incoming_drop:
		if (cm->incoming_drop)
			cm->incoming_drop(a[0], pf_status_value(a[1]));
		break;
	case PF_OP_incoming_close:
		if (cm->incoming_close)
			cm->incoming_close(a[0], pf_status_value(a[1]));
		break;
	case PF_OP_incoming_call:
		if (cm->incoming_call)
			cm->incoming_call();
		break;
	case PF_OP_send:
		if (cl->send)
			cl->send(a[0]);
		break;
	case PF_OP_oid:
		if (cl->oid)
			cl->oid(a[0], a[1]);
		break;
	case PF_OP_ddi: /* the puppets' only: drivers under test never
			 * misbehave on purpose */
		if (cl->ddi)
			cl->ddi(a);
		break;
	case PF_OP_register_sap:
		if (cl->register_sap)
			cl->register_sap();
		break;
	case PF_OP_deregister_sap:
		if (cl->deregister_sap)
			cl->deregister_sap();
		break;
	case PF_OP_close_family:
		if (cl->close_family)
			cl->close_family();
		break;
	case PF_OP_notify_close_af:
		if (cm->notify_close_af)
			cm->notify_close_af();
		break;
	default:
		break;
	}
}

PT_NO_COVERAGE void _pf_run_op(const struct pf_op *op, uint32_t index)
{
	char what[128];
	int actor = op_actor(op);
	uint64_t before = cn_trace_steps();

	if (cur.out || (cur.hook && cur.hook->op)) {
		pf_format_op(op, what, sizeof(what));
		if (cur.out)
			fprintf(cur.out, "-- op %u: %s\n", index, what);
		if (cur.hook && cur.hook->op)
			cur.hook->op(cur.hook->arg, (int)index, op, what);
	}
	cur.r->ops++;
	cur.cm = PF_ST_SUCCESS;
	cur.deliver = 0;
	switch (op->code) {
	case PF_OP_sched:
		/* Correct drivers never call above DISPATCH_LEVEL (C1): with
		 * them, irql=high places the actor at DISPATCH_LEVEL. */
		hs_place(&cur.sched, op->arg[0], op->arg[1],
			 !cur.puppet && op->arg[2] == PF_IRQL_HIGH
				 ? PF_IRQL_DISPATCH
				 : op->arg[2]);
		break;
	case PF_OP_run_dpc:
		(void)hs_run_dpc(&cur.sched, op->arg[0], op->arg[1]);
		break;
	case PF_OP_leave_irql:
		if (cur.cl->leave_irql && op->arg[0] < PF_ACTOR_COUNT)
			cur.cl->leave_irql(op->arg[0], op->arg[1]);
		break;
	default:
		/* cm= is the last argument of every client request. */
		if (op->code <= PF_OP_answer && op->code != PF_OP_create_vc &&
		    op->code != PF_OP_delete_vc)
			cur.cm = op->arg[pf_op_arity(op->code) - 1];
		if (op->code == PF_OP_incoming_call) /* the client's answer */
			cur.cm = op->arg[0];
		if (op->code >= PF_OP_complete &&
		    op->code <= PF_OP_incoming_close)
			cur.deliver = op->arg[2];
		if (op->code == PF_OP_send) {
			cur.cm = op->arg[1];
			cur.deliver = op->arg[2];
		}
		if (op->code == PF_OP_oid)
			cur.cm = op->arg[2];
		if (op->code == PF_OP_notify_close_af)
			cur.cm = op->arg[0];
		(void)hs_enter(&cur.sched, actor);
		exec_op(op);
		hs_leave(&cur.sched);
		break;
	}
	cur.cm = PF_ST_SUCCESS;
	cur.deliver = 0;
	if (cn_trace_steps() != before)
		cur.r->ops_acted++;
	/* The label is formatted only if the check fails (hot path). */
	cur.cur_op = index;
	cur.cur_name = pf_op_name(op->code);
	check_step(NULL);
	cur.cur_name = NULL;
}

/* End of run */

/* Engine lifecycle */

PT_NO_COVERAGE static int engine_for(uint8_t gen_bits)
{
	struct cn_config cfg;

	if (cur.have_engine) {
		/* One engine for every run: no allocation per run (R3). */
		if (cn_engine_reset_gen(gen_bits) != PT_OK)
			return -1;
		cur.gen_bits = gen_bits;
		return 0;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_vcs = RUN_MAX_VCS;
	cfg.max_parties = RUN_MAX_PARTIES;
	cfg.gen_bits = gen_bits;
	cfg.cpu_count = PF_MAX_CPUS;
	cfg.dpc_capacity = RUN_DPCS;
	cfg.trace_capacity = RUN_TRACE;
	cfg.mode = CN_VERIFY_RECORD;
	cfg.choose_delivery = choose_delivery;
	cfg.on_violation = on_report;
	cfg.on_transition = on_transition;
	cur.have_engine = cn_engine_create(&cfg) == PT_OK;
	cur.gen_bits = gen_bits;
	return cur.have_engine ? 0 : -1;
}

void pf_run_init(void)
{
	if (!cur.have_engine && engine_for(32) < 0) {
		fprintf(stderr, "partyfuzz: cannot create the engine\n");
		abort();
	}
}

void pf_run_set_hook(const struct pf_run_hook *hook)
{
	cur.hook = hook;
}

void pf_run_shutdown(void)
{
	if (cur.have_engine)
		cn_engine_destroy();
	cur.have_engine = 0;
}

void pf_run_set_drivers(const struct pf_stimuli *const *drivers)
{
	const struct pf_stimuli *const *d;

	D.client = D.cm = NULL;
	for (d = drivers; d != NULL && *d != NULL; d++) {
		if (((*d)->kind & PF_DRV_CLIENT) && D.client == NULL)
			D.client = *d;
		if (((*d)->kind & (PF_DRV_CM | PF_DRV_MCM)) && D.cm == NULL)
			D.cm = *d;
	}
}

/* The run's drivers and their CM kind: the declared one, or the
 * program's if the CM registers either way. */
PT_NO_COVERAGE static int pick_drivers(const struct pf_program *p)
{
	unsigned k;

	if (cur.puppet) {
		cur.cl = cur.cmd = &pf_puppet_stimuli;
	} else {
		cur.cl = D.client;
		cur.cmd = D.cm;
	}
	if (cur.cl == NULL || cur.cmd == NULL)
		return -1;
	k = cur.cmd->kind & (PF_DRV_CM | PF_DRV_MCM);
	cur.mcm = k == (PF_DRV_CM | PF_DRV_MCM) ? !!(p->cfg.flags & PF_CFG_MCM)
					      : k == PF_DRV_MCM;
	cur.host.cm_kind = cur.mcm ? CN_CM_MINIPORT : CN_CM_STANDALONE;
	cur.host.max_vcs = RUN_MAX_VCS;
	cur.host.decide = decide;
	cur.host.decide_arg = NULL;
	cur.host.program = p;
	return 0;
}

PT_NO_COVERAGE enum pf_verdict pf_run(const struct pf_program *p,
				      const struct pf_run_opts *o,
				      struct pf_result *r)
{
	uint32_t options = 0, i;
	int rc;

	memset(r, 0, sizeof(*r));
	cur.r = r;
	cur.out = o ? o->trace : NULL;
	cur.puppet = o && o->puppet >= 0 ? o->puppet
				       : !!(p->cfg.flags & PF_CFG_PUPPET);
	cur.stop = 0;
	cur.fed = 0;
	cur.cm = PF_ST_SUCCESS;
	cur.deliver = 0;
	memset(cur.rules_before, 0, sizeof(cur.rules_before));
	cur.total_before = 0;
	cur.model_owes_rules = 0;
	cur.nreports = 0;
	cur.reports_lost = 0;
	if (pick_drivers(p) < 0) {
		fprintf(stderr, "partyfuzz: no drivers for a client and a call "
				"manager (pf_run_set_drivers)\n");
		abort();
	}
	if (engine_for(p->cfg.gen_bits) < 0) {
		fprintf(stderr, "partyfuzz: cannot create the engine\n");
		abort();
	}
	/* A2 as [sample] reads it (ADDING parties count as "other") lets a
	 * drop take the last connected party while an add pends; if the add
	 * then fails, the call is CONNECTED with no party, which no client
	 * can close (C11 needs a party on a PMP close). The reference
	 * drivers follow the spec's recommendation; the option is fuzzed
	 * with the puppets, where the model predicts it. */
	if ((p->cfg.flags & PF_CFG_A2_CONNECTING) && cur.puppet)
		options |= CN_OPT_A2_COUNT_CONNECTING;
	/* The reference client reuses closed VCs, the spec's recommended
	 * reading of A7; the stricter option is for the puppets only. */
	if ((p->cfg.flags & PF_CFG_A7_NO_REUSE) && cur.puppet)
		options |= CN_OPT_A7_NO_VC_REUSE;
	if (p->cfg.flags & PF_CFG_CLOSE_DATA)
		options |= CN_OPT_CLOSE_DATA;
	if (p->cfg.flags & PF_CFG_A12_EARLY)
		options |= CN_OPT_A12_EARLY;
	if (p->cfg.flags & PF_CFG_LAST_PARTY_CM)
		options |= CN_OPT_A2_CM_FAILS;
	cn_engine_set_options(options);
	rc = cur.cl->load(&cur.host);
	if (rc == 0 && cur.cmd != cur.cl)
		rc = cur.cmd->load(&cur.host);
	if (rc) {
		fprintf(stderr, "partyfuzz: cannot register the drivers\n");
		abort();
	}
	hs_init(&cur.sched, p->cfg.cpus);
	pm_reset(&cur.model, options, cur.mcm, RUN_MAX_VCS, RUN_MAX_PARTIES,
		 p->cfg.gen_bits >= 32 ? UINT32_MAX
				       : (1u << p->cfg.gen_bits) - 1,
		 PF_MAX_CPUS, RUN_DPCS);
	cur.fed = cn_trace_steps();
	if (cur.out) {
		char cfgline[160];

		pf_format_config(&p->cfg, cfgline, sizeof(cfgline));
		fprintf(cur.out, "%s%s%s\n", cfgline,
			o && o->puppet >= 0
				? (cur.puppet ? "  (forced: drivers=puppet)"
					    : "  (forced: drivers=reference)")
				: "",
			cur.mcm == !!(p->cfg.flags & PF_CFG_MCM)
				? ""
				: (cur.mcm ? "  (declared: an MCM)"
					 : "  (declared: a stand-alone CM)"));
		/* The drivers' registration and bring-up (ndis.h) took
		 * the first steps; the model starts after them. */
		if (cur.fed > 0)
			fprintf(cur.out,
				"-- bring-up: steps #1..#%" PRIu64
				" (registration, binding, address family)\n",
				cur.fed);
	}
	for (i = 0; i < p->n && !cur.stop; i++)
		run_op(&p->ops[i], i);
	if (!cur.stop && !cur.puppet) {
		if (cur.out)
			fprintf(cur.out, "-- wind-down (drivers under test)\n");
		if (cur.hook && cur.hook->op)
			cur.hook->op(cur.hook->arg, -1, NULL, "wind-down");
		_pf_run_wind_down();
	}
	if (!cur.stop)
		_pf_run_check_end();
	_pf_run_unbind_unload();
	if (r->verdict != PF_VERDICT_MISMATCH && r->first_rule != CN_RULE_NONE)
		r->verdict = PF_VERDICT_RULE;
	cur.r = NULL; /* (R4): no run, no result to report into */
	return r->verdict;
}
