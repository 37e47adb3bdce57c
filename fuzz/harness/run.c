/*
 * run.c - the run loop of the CoNDIS fuzzers (run.h).
 *
 * Two kinds of drivers play the program:
 *
 *   reference  fuzz/drivers/: the reference client and call manager. The
 *              harness only stimulates them (driver.h) and answers the
 *              CM's decisions (cm=) and NDIS's delivery choices (deliver=)
 *              from the current operation. No rule may ever fire.
 *   puppet     the harness itself is the client and the call manager: its
 *              handlers record and answer as the operation says, and it
 *              calls the DDIs directly, with any handle, status, IRQL
 *              (op ddi). Every violation must be the one the model
 *              predicts.
 *
 * Invariants of the run loop:
 *   (R1) every engine step of a run is fed to the model exactly once, in
 *        order: `fed` is the last step fed, and the check after each
 *        operation feeds fed+1 .. cn_trace_steps().
 *   (R2) the decision and delivery hooks read only X.cm and X.deliver,
 *        which hold the current operation's arguments while it runs and
 *        "SUCCESS, synchronous" otherwise (wind-down, DPCs).
 *   (R3) nothing allocates per run: X is static, the engine is reset, the
 *        trace is a ring.
 *   (R4) every verifier report reaches on_report() as it is made: the
 *        first one of the run is the result's first_rule/first_report,
 *        and with a trace each one is printed under the step it was made
 *        at, when that operation's steps are printed, without the
 *        report's "partyfuzz: " prefix (a line with it is a verifier
 *        abort, which ci/triage.sh keys a finding by; the record-mode
 *        reports of a trace are predicted, not findings).
 */
#include "harness/run.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/driver.h"
#include "fuzz_util.h"
#include "harness/hsched.h"
#include "harness/model.h"
#include "partyfuzz/condis.h"
#include "partyfuzz/ndis.h"

#define RUN_MAX_VCS 4
#define RUN_MAX_PARTIES 24
#define RUN_TRACE                                                             \
	PM_MAX_STEPS /* the model reads one operation from the ring */
#define RUN_DPCS 16
#define RUN_WIND_ROUNDS 24
#define RUN_REPORTS 64 /* report lines kept for one operation's trace */
#define POOL_MAX 64

struct run_state {
	struct pf_result *r;
	FILE *out;
	int puppet;
	int mcm;
	int have_engine;
	uint8_t gen_bits;
	struct hs_sched sched;
	struct pm_model model;
	uint64_t fed; /* (R1) */
	uint32_t rules_before[CN_RULE_MAX + 1];
	uint32_t total_before; /* cn_verifier_total() at the last check */
	int stop;              /* a MISMATCH was found */
	int model_owes_rules;  /* pm_check_end() predicted without a step */
	uint32_t cur_op;       /* the operation being checked, for messages */
	const char *cur_name;

	/* (R4) Reports not printed yet (with a trace only). */
	uint32_t nreports, reports_lost;
	struct {
		uint64_t step;
		char line[sizeof(((struct cn_violation *)0)->line)];
	} reports[RUN_REPORTS];

	/* (R2) */
	uint8_t cm;        /* enum pf_status */
	uint8_t deliver;   /* 0 sync, 1 + cpu */
	uint8_t misbehave; /* PF_DDI_* flags of the current ddi op */
	/* op leave_irql: 1 + the pf_irql the actor's next callback returns
	 * at, 0 none (puppet only; kept until a callback takes it). */
	uint8_t leave_irql[PF_ACTOR_COUNT];

	/* Puppet state: handles in issuance order. */
	NDIS_HANDLE cl_binding, cl_af, cm_binding;
	uint64_t vcs[POOL_MAX];
	uint32_t nvcs;
	uint64_t parties[POOL_MAX];
	uint32_t party_vc[POOL_MAX]; /* index into vcs, or POOL_MAX */
	uint32_t nparties;
};

static struct run_state X;
/* The puppet client's CallParameters and the puppet CM's (its
 * completions pass their own), and the Buffer of its indications: three
 * objects, so that the model can tell which one a callback got. */
static CO_CALL_PARAMETERS params_static, params_cm;
static char indication_data[4] = "bye";

/* Reporting */

/* Record the first disagreement of the run (longer text is truncated). */
PT_NO_COVERAGE static void mismatch(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

PT_NO_COVERAGE static void mismatch(const char *fmt, ...)
{
	va_list ap;

	if (X.stop)
		return;
	X.stop = 1;
	X.r->verdict = PF_VERDICT_MISMATCH;
	va_start(ap, fmt);
	vsnprintf(X.r->why, sizeof(X.r->why), fmt, ap);
	va_end(ap);
}

/* (R4) cn_config.on_violation: every report, as it is made. */
static void on_report(void *arg, const struct cn_violation *v)
{
	(void)arg;
	if (X.r == NULL)
		return;
	if (X.r->first_rule == CN_RULE_NONE) {
		X.r->first_rule = v->rule;
		snprintf(X.r->first_report, sizeof(X.r->first_report), "%s",
			 v->line);
	}
	if (!X.out)
		return;
	if (X.nreports == RUN_REPORTS) {
		X.reports_lost++;
		return;
	}
	X.reports[X.nreports].step = v->step;
	snprintf(X.reports[X.nreports].line, sizeof(X.reports[0].line), "%s",
		 strncmp(v->line, "partyfuzz: ", 11) == 0 ? v->line + 11
							  : v->line);
	X.nreports++;
}

/* Print the trace steps from @from to the current one, each followed by
 * the report lines made at it (R4). */
static void print_steps(uint64_t from)
{
	struct cn_trace_entry e;
	char line[256];
	uint64_t s, to = cn_trace_steps();
	uint32_t i;

	if (!X.out)
		return;
	for (s = from; s <= to; s++) {
		if (cn_trace_get(s, &e) != PT_OK)
			continue;
		cn_trace_format(&e, line, sizeof(line));
		fprintf(X.out, "%s\n", line);
		for (i = 0; i < X.nreports; i++)
			if (X.reports[i].step == s)
				fprintf(X.out, "       ^ %s\n",
					X.reports[i].line);
	}
	if (X.reports_lost)
		fprintf(X.out, "       ^ (%u more reports)\n", X.reports_lost);
	X.nreports = 0;
	X.reports_lost = 0;
}

static NDIS_HANDLE H(uint64_t h)
{
	return (NDIS_HANDLE)(uintptr_t)h;
}

static int cmp_fail(char *why, size_t len, const char *what, uint64_t h,
		    long got, long want)
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
static int compare_state(const struct pm_model *m, char *why, size_t len)
{
	struct cn_vc_info vi;
	struct cn_party_info pi;
	struct pm_vc_view mv;
	NDIS_HANDLE h;
	uint32_t cur = 0, i, nvc = 0, engine_live = 0;
	uint64_t ph, pvc;
	uint8_t pstate;

	while (cn_vc_next(&cur, &h, &vi)) {
		uint64_t hv = (uint64_t)(uintptr_t)h;

		nvc++;
		if (pm_vc_view(m, hv, &mv) < 0)
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
		if (vi.active != mv.active || vi.adding != mv.adding ||
		    vi.dropping != mv.dropping || vi.making != mv.making ||
		    vi.closing != mv.closing || vi.remote_dropped != mv.remote)
			return cmp_fail(why, len,
					"VC counters active/adding/dropping/"
					"making/closing/remote (active shown)",
					hv, vi.active, mv.active);
		engine_live += vi.active + vi.adding + vi.dropping +
			       vi.making + vi.closing;
	}
	if (pm_live_vcs(m) != nvc)
		return cmp_fail(why, len, "number of VCs", 0, nvc,
				pm_live_vcs(m));
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
		if ((uint64_t)(uintptr_t)pi.vc != pvc)
			return cmp_fail(why, len, "party VC", ph, 0, 1);
	}
	if (pm_live_parties(m) != engine_live)
		return cmp_fail(why, len, "number of live parties", 0,
				engine_live, pm_live_parties(m));
	if (cn_pending_count() != pm_pended(m))
		return cmp_fail(why, len, "owed CM completions", 0,
				cn_pending_count(), pm_pended(m));
	for (i = 0; i < CN_MAX_CPUS; i++)
		if (cn_dpc_count(i) != pm_queued_on(m, i)) {
			snprintf(why, len,
				 "state: DPCs queued on cpu%u: engine %u, "
				 "model %u",
				 i, cn_dpc_count(i), pm_queued_on(m, i));
			return -1;
		}
	return 0;
}

/*
 * The check after every operation: model, verifier, state, invariants.
 */

/* The step's label for a message: formatted only on failure. */
static const char *label_of(char *buf, size_t len, const char *label)
{
	if (label)
		return label;
	snprintf(buf, len, "op %u (%s)", X.cur_op, X.cur_name);
	return buf;
}

#define WHAT label_of(what, sizeof(what), label)

PT_NO_COVERAGE static void check_step(const char *label)
{
	char what[64];
	uint64_t to = cn_trace_steps();
	uint32_t want_any, total;
	char why[256];
	int rule;

	print_steps(X.fed + 1);
	if (X.stop)
		return;

	if (to == X.fed && !X.model_owes_rules) {
		/* No engine step: nothing can have changed (the model
		 * predicts nothing without a step either). */
		return;
	}
	X.model_owes_rules = 0;
	if (to > X.fed && pm_feed(&X.model, X.fed + 1, to, why, sizeof(why)))
		mismatch("%s: model: %s", WHAT, why);
	X.fed = to;
	for (rule = 1, want_any = 0; rule <= CN_RULE_MAX; rule++)
		want_any |= X.model.predicted[rule];
	total = cn_verifier_total();
	if (total == X.total_before && !want_any)
		rule = CN_RULE_MAX + 1; /* nothing reported, nothing due */
	else
		rule = 1;
	X.total_before = total;
	for (; rule <= CN_RULE_MAX && !X.stop; rule++) {
		uint32_t now = cn_verifier_count(rule);
		uint32_t got = now - X.rules_before[rule];
		uint32_t want = X.model.predicted[rule];

		X.rules_before[rule] = now;
		X.model.predicted[rule] = 0;
		/* The NDIS services (S rules) leave no trace step for the
		 * model: with drivers under test, a report is their bug. */
		if (got != want &&
		    (X.puppet || cn_rule_scope(rule) != CN_SCOPE_SERVICE)) {
			char g[64];

			snprintf(g, sizeof(g),
				 "%s reported %u time(s), model "
				 "predicts %u",
				 cn_rule_id(rule), got, want);
			mismatch("%s: verifier: %s", WHAT, g);
		}
		if (got == 0)
			continue;
		X.r->fired[rule] += got;
		if (!X.puppet)
			mismatch("%s: rule %s fired with the reference "
				 "drivers (false positive or driver bug)",
				 WHAT, cn_rule_id(rule));
	}
	if (X.stop)
		return;
	if (cn_call_validate(why, sizeof(why)) != PT_OK)
		mismatch("%s: cn_call_validate: %s", WHAT, why);
	else if (compare_state(&X.model, why, sizeof(why)))
		mismatch("%s: %s", WHAT, why);
}

/* Hooks (R2) */

static int choose_delivery(void *arg, enum cn_fn callback, uint32_t *cpu)
{
	(void)arg;
	(void)callback;
	if (X.deliver == 0)
		return 0;
	*cpu = (uint32_t)(X.deliver - 1) % X.sched.cpus;
	return 1;
}

static struct drv_choice decide(void *arg, enum cn_req request)
{
	struct drv_choice c;

	(void)arg;
	(void)request;
	c.fail_status = pf_status_value(X.cm);
	if (X.cm == PF_ST_SUCCESS)
		c.decision = DRV_SYNC_SUCCESS;
	else if (X.cm == PF_ST_PENDING)
		c.decision = DRV_PEND;
	else
		c.decision = DRV_SYNC_FAIL;
	return c;
}

/*
 * Puppet drivers: the harness as client and call manager. Contexts are
 * small integers cast to handles (never dereferenced): the VC context of
 * the CM is the NdisVcHandle itself, its party context the party handle.
 */

static void pool_party(NDIS_HANDLE ph, NDIS_HANDLE vc)
{
	uint64_t h = (uint64_t)(uintptr_t)ph;
	uint32_t i, v = POOL_MAX;

	if (!ph || X.nparties >= POOL_MAX)
		return;
	for (i = 0; i < X.nparties; i++)
		if (X.parties[i] == h)
			return;
	for (i = 0; i < X.nvcs; i++)
		if (X.vcs[i] == (uint64_t)(uintptr_t)vc)
			v = i;
	X.parties[X.nparties] = h;
	X.party_vc[X.nparties] = v;
	X.nparties++;
}

static NDIS_STATUS cm_answer(void)
{
	return pf_status_value(X.cm);
}

/*
 * op leave_irql: the puppet callback of @actor that runs now ends at the
 * IRQL the op asked for, with KeRaiseIrql/KeLowerIrql (each a trace step
 * the model walks); the engine judges the return (C1).
 */
static void pp_leave_irql(int actor)
{
	KIRQL want, cur, old;

	if (X.leave_irql[actor] == 0)
		return;
	want = (KIRQL)pf_irql_value(X.leave_irql[actor] - 1);
	X.leave_irql[actor] = 0;
	cur = KeGetCurrentIrql();
	if (want > cur)
		KeRaiseIrql(want, &old);
	else if (want < cur)
		KeLowerIrql(want);
}

static NDIS_STATUS cm_back(NDIS_STATUS st)
{
	pp_leave_irql(PF_ACTOR_CM);
	return st;
}

static void cl_back(void)
{
	pp_leave_irql(PF_ACTOR_CLIENT);
}

static void cm_activate(NDIS_HANDLE vc)
{
	if (X.mcm)
		(void)NdisMCmActivateVc(vc, &params_static);
	else
		(void)NdisCmActivateVc(vc, &params_static);
}

static void cm_deactivate(NDIS_HANDLE vc)
{
	if (X.mcm)
		(void)NdisMCmDeactivateVc(vc);
	else
		(void)NdisCmDeactivateVc(vc);
}

static NDIS_STATUS pp_create_vc(NDIS_HANDLE af, NDIS_HANDLE vc,
				PNDIS_HANDLE ctx)
{
	(void)af;
	*ctx = vc;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS pp_delete_vc(NDIS_HANDLE ctx)
{
	(void)ctx;
	return NDIS_STATUS_SUCCESS;
}

/* The CM's ProtocolCoCreateVc/DeleteVc answer the ddi op's status
 * (SUCCESS outside one): PENDING is C26, a failure refuses. */
static NDIS_STATUS pp_cm_create_vc(NDIS_HANDLE af, NDIS_HANDLE vc,
				   PNDIS_HANDLE ctx)
{
	(void)af;
	*ctx = vc;
	return cm_back(cm_answer());
}

static NDIS_STATUS pp_cm_delete_vc(NDIS_HANDLE ctx)
{
	(void)ctx;
	return cm_back(cm_answer());
}

/*
 * Misbehaviour of the puppet CM while it answers a client request, chosen
 * by the flags of the ddi op that made the request: PF_DDI_CTX_ODD gives
 * a NULL CallMgrPartyContext for a party (C16) or a non-NULL one without
 * (C17) on a make call, and on a close call answers SUCCESS without
 * deactivating the VC (C22); PF_DDI_CLOSE_DATA on NdisClMakeCall answers
 * SUCCESS without activating the VC (C22; on drops and closes the flag
 * passes close data, C20).
 */
static NDIS_STATUS pp_cm_make_call(NDIS_HANDLE vcctx, PCO_CALL_PARAMETERS cp,
				   NDIS_HANDLE ph, PNDIS_HANDLE cmpctx)
{
	NDIS_STATUS st = cm_answer();

	(void)cp;
	pool_party(ph, vcctx);
	if (st == NDIS_STATUS_SUCCESS && !(X.misbehave & PF_DDI_CLOSE_DATA))
		cm_activate(vcctx);
	if (!cmpctx)
		return cm_back(st);
	if (X.misbehave & PF_DDI_CTX_ODD)
		*cmpctx = ph ? NULL : H(0x7);
	else
		*cmpctx = ph;
	return cm_back(st);
}

static NDIS_STATUS pp_cm_add_party(NDIS_HANDLE vcctx, PCO_CALL_PARAMETERS cp,
				   NDIS_HANDLE ph, PNDIS_HANDLE cmpctx)
{
	(void)cp;
	pool_party(ph, vcctx);
	*cmpctx = (X.misbehave & PF_DDI_CTX_ODD) ? NULL : ph;
	return cm_back(cm_answer());
}

static NDIS_STATUS pp_cm_drop_party(NDIS_HANDLE cmpctx, PVOID data, UINT size)
{
	(void)cmpctx;
	(void)data;
	(void)size;
	return cm_back(cm_answer());
}

static NDIS_STATUS pp_cm_close_call(NDIS_HANDLE vcctx, NDIS_HANDLE cmpctx,
				    PVOID data, UINT size)
{
	NDIS_STATUS st = cm_answer();

	(void)cmpctx;
	(void)data;
	(void)size;
	if (st == NDIS_STATUS_SUCCESS && !(X.misbehave & PF_DDI_CTX_ODD))
		cm_deactivate(vcctx);
	return cm_back(st);
}

static VOID pp_make_call_complete(NDIS_STATUS s, NDIS_HANDLE vcctx,
				  NDIS_HANDLE ph, PCO_CALL_PARAMETERS cp)
{
	(void)s;
	(void)vcctx;
	(void)ph;
	(void)cp;
	cl_back();
}

static VOID pp_close_call_complete(NDIS_STATUS s, NDIS_HANDLE vcctx,
				   NDIS_HANDLE pctx)
{
	(void)s;
	(void)vcctx;
	(void)pctx;
	cl_back();
}

static VOID pp_add_party_complete(NDIS_STATUS s, NDIS_HANDLE pctx,
				  NDIS_HANDLE ph, PCO_CALL_PARAMETERS cp)
{
	(void)s;
	(void)pctx;
	(void)ph;
	(void)cp;
	cl_back();
}

static VOID pp_drop_party_complete(NDIS_STATUS s, NDIS_HANDLE pctx)
{
	(void)s;
	(void)pctx;
	cl_back();
}

static VOID pp_incoming_close(NDIS_STATUS s, NDIS_HANDLE vcctx, PVOID d,
			      UINT n)
{
	(void)s;
	(void)vcctx;
	(void)d;
	(void)n;
	cl_back();
}

static VOID pp_incoming_drop(NDIS_STATUS s, NDIS_HANDLE pctx, PVOID d, UINT n)
{
	(void)s;
	(void)pctx;
	(void)d;
	(void)n;
	cl_back();
}

static int register_puppets(void)
{
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS cl;
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS cm;

	memset(&cl, 0, sizeof(cl));
	cl.Header.Type = NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
	cl.Header.Revision = NDIS_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	cl.Header.Size = sizeof(cl);
	cl.ClCreateVcHandler = pp_create_vc;
	cl.ClDeleteVcHandler = pp_delete_vc;
	cl.ClMakeCallCompleteHandler = pp_make_call_complete;
	cl.ClCloseCallCompleteHandler = pp_close_call_complete;
	cl.ClAddPartyCompleteHandler = pp_add_party_complete;
	cl.ClDropPartyCompleteHandler = pp_drop_party_complete;
	cl.ClIncomingCloseCallHandler = pp_incoming_close;
	cl.ClIncomingDropPartyHandler = pp_incoming_drop;
	memset(&cm, 0, sizeof(cm));
	cm.Header.Type = NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	cm.Header.Revision = NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	cm.Header.Size = sizeof(cm);
	cm.CmCreateVcHandler = pp_cm_create_vc;
	cm.CmDeleteVcHandler = pp_cm_delete_vc;
	cm.CmMakeCallHandler = pp_cm_make_call;
	cm.CmCloseCallHandler = pp_cm_close_call;
	cm.CmAddPartyHandler = pp_cm_add_party;
	cm.CmDropPartyHandler = pp_cm_drop_party;
	if (cn_register_client(&cl, H(0xC1), &X.cl_binding, &X.cl_af) != PT_OK)
		return -1;
	return cn_register_call_manager(X.mcm ? CN_CM_MINIPORT
					      : CN_CM_STANDALONE,
					&cm, H(0xCA), &X.cm_binding) == PT_OK
		       ? 0
		       : -1;
}

/* Puppet selections */

static uint64_t vc_sel(unsigned k)
{
	return X.nvcs ? X.vcs[k % X.nvcs] : 0;
}

/* Party #k of VC #vc (issuance order), or 0. */
static uint64_t party_of_vc(unsigned vc, unsigned k)
{
	uint32_t i, n = 0, v;

	if (X.nvcs == 0)
		return 0;
	v = vc % X.nvcs;
	for (i = 0; i < X.nparties; i++)
		n += X.party_vc[i] == v;
	if (n == 0)
		return 0;
	k %= n;
	for (i = 0; i < X.nparties; i++)
		if (X.party_vc[i] == v && k-- == 0)
			return X.parties[i];
	return 0;
}

/* First party of @vc in @state (engine view), 0 if none; @skip of them
 * are passed over. */
static uint64_t find_party(uint64_t vc, int s1, int s2, unsigned skip)
{
	struct cn_party_info pi;
	NDIS_HANDLE ph;
	uint32_t cur = 0;

	while (cn_party_next(H(vc), &cur, &ph, &pi))
		if ((int)pi.state == s1 || (int)pi.state == s2) {
			if (skip-- == 0)
				return (uint64_t)(uintptr_t)ph;
		}
	return 0;
}

static uint64_t hsel(uint8_t v)
{
	unsigned k = v & 31;
	uint64_t base = X.nparties ? X.parties[k % X.nparties]
				   : pt_handle_pack(CN_TAG_PARTY, 1, k);

	switch (v >> 5) {
	case PF_HSEL_VC:
		return vc_sel(k);
	case PF_HSEL_NULL:
		return 0;
	case PF_HSEL_NEXTGEN:
		return pt_handle_pack(CN_TAG_PARTY, pt_handle_gen(base) + 1,
				      pt_handle_index(base));
	case PF_HSEL_FOREIGN:
		return pt_handle_pack(0x5A, pt_handle_gen(base),
				      pt_handle_index(base));
	case PF_HSEL_JUNK:
		return 0x00007f00deadbe00ull + k * 8;
	default:
		return base;
	}
}

static void pp_close(uint64_t vc, uint64_t party, int data)
{
	(void)NdisClCloseCall(H(vc), H(party),
			      data ? (PVOID)&params_static : NULL,
			      data ? 4 : 0);
}

static void pp_drop(uint64_t party, int data)
{
	(void)NdisClDropParty(H(party), data ? (PVOID)&params_static : NULL,
			      data ? 4 : 0);
}

static void pp_create(int out_set)
{
	NDIS_HANDLE h = out_set ? H(0x99) : NULL;

	if (NdisCoCreateVc(X.cl_binding, X.cl_af, H(0x2000 + X.nvcs), &h) ==
		    NDIS_STATUS_SUCCESS &&
	    !out_set && X.nvcs < POOL_MAX)
		X.vcs[X.nvcs++] = (uint64_t)(uintptr_t)h;
}

/* NdisClMakeCall on @vc; @new_vc: the client creates the VC inside its
 * make-call routine first, as drivers commonly do, and calls on it. */
static void pp_make_call(uint64_t vc, int pmp, int null_out, int null_params,
			 int new_vc)
{
	NDIS_HANDLE ph = NULL;

	if (new_vc) {
		uint32_t n = X.nvcs;

		pp_create(0);
		if (X.nvcs == n)
			return; /* refused: no call without a VC */
		vc = X.vcs[n];
	}
	(void)NdisClMakeCall(H(vc), null_params ? NULL : &params_static,
			     pmp ? H(0x3000 + X.nparties) : NULL,
			     pmp && !null_out ? &ph : NULL);
}

static void pp_add_party(uint64_t vc, int null_out, int null_params)
{
	NDIS_HANDLE ph = NULL;

	(void)NdisClAddParty(H(vc), H(0x3000 + X.nparties),
			     null_params ? NULL : &params_static,
			     null_out ? NULL : &ph);
}

/* The answer a correct client owes on @vc (driver.h drv_client_answer). */
static void pp_answer(uint64_t vc)
{
	struct cn_vc_info vi;
	uint64_t p;

	if (cn_vc_query(H(vc), &vi) != PT_OK)
		return;
	p = find_party(vc, PT_REMOTE_DROPPED, -1, 0);
	if (p) {
		if (vi.active > 1)
			pp_drop(p, 0);
		else
			pp_close(vc, p, 0);
		return;
	}
	if (vi.state != CN_VC_REMOTE_CLOSED)
		return;
	if (!vi.pmp) {
		pp_close(vc, 0, 0);
		return;
	}
	if (vi.active > 1)
		pp_drop(find_party(vc, PT_ACTIVE, PT_REMOTE_DROPPED, 1), 0);
	else
		pp_close(vc, find_party(vc, PT_ACTIVE, PT_REMOTE_DROPPED, 0),
			 0);
}

/*
 * The NdisMCm* completions are macros over the NdisCm* functions (ndis.h):
 * spelled either way it is one call, so PF_DDI_OTHER_FAMILY changes
 * nothing here (C5 shows only on the distinct functions, pp_ddi).
 */
static void cm_complete(enum cn_req kind, NDIS_STATUS st, uint64_t vc,
			uint64_t party, int flags)
{
	int mcm = X.mcm ^ !!(flags & PF_DDI_OTHER_FAMILY);
	NDIS_HANDLE ctx = party ? H(party) : NULL;
	PCO_CALL_PARAMETERS cp = flags & PF_DDI_CLOSE_DATA ? NULL : &params_cm;

	if (flags & PF_DDI_CTX_ODD)
		ctx = party ? NULL : H(0x7);
	switch (kind) {
	case CN_REQ_MAKE_CALL:
		if (mcm)
			NdisMCmMakeCallComplete(st, H(vc), H(party), ctx, cp);
		else
			NdisCmMakeCallComplete(st, H(vc), H(party), ctx, cp);
		break;
	case CN_REQ_ADD_PARTY:
		if (mcm)
			NdisMCmAddPartyComplete(st, H(party), ctx, cp);
		else
			NdisCmAddPartyComplete(st, H(party), ctx, cp);
		break;
	case CN_REQ_DROP_PARTY:
		if (mcm)
			NdisMCmDropPartyComplete(st, H(party));
		else
			NdisCmDropPartyComplete(st, H(party));
		break;
	case CN_REQ_CLOSE_CALL:
		if (mcm)
			NdisMCmCloseCallComplete(st, H(vc), H(party));
		else
			NdisCmCloseCallComplete(st, H(vc), H(party));
		break;
	default:
		break;
	}
}

/* op complete (puppet): a correct CM completing pended request #k. */
static void pp_complete(unsigned k, NDIS_STATUS st)
{
	struct cn_pending_info pi;
	uint32_t cur = 0, n = cn_pending_count(), i;

	if (n == 0)
		return;
	k %= n;
	for (i = 0; i <= k; i++)
		if (!cn_pending_next(&cur, &pi))
			return;
	if (pi.kind == CN_REQ_MAKE_CALL && st == NDIS_STATUS_SUCCESS)
		cm_activate(pi.vc);
	if (pi.kind == CN_REQ_CLOSE_CALL && st == NDIS_STATUS_SUCCESS)
		cm_deactivate(pi.vc);
	cm_complete(pi.kind, st, (uint64_t)(uintptr_t)pi.vc,
		    (uint64_t)(uintptr_t)pi.party, 0);
}

static void pp_ddi(const struct pf_op *op)
{
	uint64_t ph = hsel(op->arg[1]), vh = hsel(op->arg[2]);
	NDIS_STATUS st = pf_status_value(op->arg[3]);
	int fl = op->arg[4];
	int mcm = X.mcm ^ !!(fl & PF_DDI_OTHER_FAMILY);
	PVOID data = fl & PF_DDI_CLOSE_DATA ? indication_data : NULL;
	UINT size = data ? sizeof(indication_data) : 0;

	X.cm = op->arg[3];
	X.misbehave = (uint8_t)fl;
	switch (op->arg[0]) {
	case PF_DDI_CL_MAKE_CALL:
		pp_make_call(vh, ph != 0, fl & PF_DDI_CTX_ODD,
			     fl & PF_DDI_OTHER_FAMILY, 0);
		break;
	case PF_DDI_CL_ADD_PARTY:
		pp_add_party(vh, fl & PF_DDI_CTX_ODD,
			     fl & PF_DDI_OTHER_FAMILY);
		break;
	case PF_DDI_CL_DROP_PARTY:
		pp_drop(ph, fl & PF_DDI_CLOSE_DATA);
		break;
	case PF_DDI_CL_CLOSE_CALL:
		pp_close(vh, ph, fl & PF_DDI_CLOSE_DATA);
		break;
	case PF_DDI_CO_DELETE_VC:
		(void)NdisCoDeleteVc(H(vh));
		break;
	case PF_DDI_CO_CREATE_VC:
		if (fl & PF_DDI_CLOSE_DATA) {
			/* The client's make-call routine: a new VC, then the
			 * call on it, the CM answering correctly. */
			X.misbehave = 0;
			pp_make_call(0, ph != 0, fl & PF_DDI_CTX_ODD,
				     fl & PF_DDI_OTHER_FAMILY, 1);
			break;
		}
		pp_create(fl & PF_DDI_CTX_ODD);
		break;
	case PF_DDI_CM_MAKE_CALL_COMPLETE:
		cm_complete(CN_REQ_MAKE_CALL, st, vh, ph, fl);
		break;
	case PF_DDI_CM_ADD_PARTY_COMPLETE:
		cm_complete(CN_REQ_ADD_PARTY, st, vh, ph, fl);
		break;
	case PF_DDI_CM_DROP_PARTY_COMPLETE:
		cm_complete(CN_REQ_DROP_PARTY, st, vh, ph, fl);
		break;
	case PF_DDI_CM_CLOSE_CALL_COMPLETE:
		cm_complete(CN_REQ_CLOSE_CALL, st, vh, ph, fl);
		break;
	case PF_DDI_CM_INCOMING_DROP:
		if (mcm)
			NdisMCmDispatchIncomingDropParty(st, H(ph), data, size);
		else
			NdisCmDispatchIncomingDropParty(st, H(ph), data, size);
		break;
	case PF_DDI_CM_INCOMING_CLOSE:
		if (mcm)
			NdisMCmDispatchIncomingCloseCall(st, H(vh), data, size);
		else
			NdisCmDispatchIncomingCloseCall(st, H(vh), data, size);
		break;
	case PF_DDI_CM_ACTIVATE_VC:
		if (mcm)
			(void)NdisMCmActivateVc(H(vh), &params_static);
		else
			(void)NdisCmActivateVc(H(vh), &params_static);
		break;
	case PF_DDI_CM_DEACTIVATE_VC:
		if (mcm)
			(void)NdisMCmDeactivateVc(H(vh));
		else
			(void)NdisCmDeactivateVc(H(vh));
		break;
	case PF_DDI_KE_RAISE_IRQL: {
		KIRQL old;

		/* hs_leave() lowers the CPU back after a legal raise. */
		KeRaiseIrql(fl & PF_DDI_OTHER_FAMILY ? HIGH_LEVEL + 1
						     : DISPATCH_LEVEL,
			    &old);
		break;
	}
	case PF_DDI_KE_LOWER_IRQL:
		KeLowerIrql(fl & PF_DDI_OTHER_FAMILY ? DISPATCH_LEVEL
						     : PASSIVE_LEVEL);
		break;
	default:
		break;
	}
}

static int ddi_actor(int ddi)
{
	return ddi <= PF_DDI_CO_DELETE_VC || ddi >= PF_DDI_CO_CREATE_VC
		       ? PF_ACTOR_CLIENT
		       : PF_ACTOR_CM;
}

/* One operation */

static int op_actor(const struct pf_op *op)
{
	switch (op->code) {
	case PF_OP_complete:
		return PF_ACTOR_CM;
	case PF_OP_incoming_drop:
	case PF_OP_incoming_close:
		return PF_ACTOR_NET;
	case PF_OP_ddi:
		return ddi_actor(op->arg[0]);
	default:
		return PF_ACTOR_CLIENT;
	}
}

static void exec_reference(const struct pf_op *op)
{
	NDIS_STATUS st;
	const uint8_t *a = op->arg;

	switch (op->code) {
	case PF_OP_create_vc:
		if (X.model.nvc < PM_MAX_VCS)
			(void)drv_client_create_vc(&st);
		break;
	case PF_OP_make_call:
		(void)drv_client_make_call(a[0], a[1], &st);
		break;
	case PF_OP_add_party:
		(void)drv_client_add_party(a[0], &st);
		break;
	case PF_OP_drop_party:
		(void)drv_client_drop_party(a[0], a[1], &st);
		break;
	case PF_OP_close_call:
		(void)drv_client_close_call(a[0], &st);
		break;
	case PF_OP_delete_vc:
		(void)drv_client_delete_vc(a[0], &st);
		break;
	case PF_OP_answer:
		(void)drv_client_answer(a[0], &st);
		break;
	case PF_OP_complete:
		(void)drv_cm_complete(a[0], pf_status_value(a[1]));
		break;
	case PF_OP_incoming_drop:
		(void)drv_cm_incoming_drop(a[0], pf_status_value(a[1]));
		break;
	case PF_OP_incoming_close:
		(void)drv_cm_incoming_close(a[0], pf_status_value(a[1]));
		break;
	default: /* ddi: the reference drivers never misbehave */
		break;
	}
}

static void exec_puppet(const struct pf_op *op)
{
	const uint8_t *a = op->arg;
	uint64_t vc;

	switch (op->code) {
	case PF_OP_create_vc:
		if (X.model.nvc < PM_MAX_VCS)
			pp_create(0);
		break;
	case PF_OP_make_call:
		if ((vc = vc_sel(a[0])) != 0)
			pp_make_call(vc, a[1], 0, 0, 0);
		break;
	case PF_OP_add_party:
		if ((vc = vc_sel(a[0])) != 0)
			pp_add_party(vc, 0, 0);
		break;
	case PF_OP_drop_party:
		if (party_of_vc(a[0], a[1]))
			pp_drop(party_of_vc(a[0], a[1]), 0);
		break;
	case PF_OP_close_call: {
		struct cn_vc_info vi;

		vc = vc_sel(a[0]);
		if (vc && cn_vc_query(H(vc), &vi) == PT_OK)
			pp_close(vc,
				 vi.pmp ? find_party(vc, PT_ACTIVE,
						     PT_REMOTE_DROPPED, 0)
					: 0,
				 0);
		else if (vc)
			pp_close(vc, 0, 0);
		break;
	}
	case PF_OP_delete_vc:
		if ((vc = vc_sel(a[0])) != 0)
			(void)NdisCoDeleteVc(H(vc));
		break;
	case PF_OP_answer:
		if ((vc = vc_sel(a[0])) != 0)
			pp_answer(vc);
		break;
	case PF_OP_complete:
		pp_complete(a[0], pf_status_value(a[1]));
		break;
	case PF_OP_incoming_drop:
		/* NdisMCmDispatchIncomingDropParty is this call (ndis.h). */
		if (X.nparties)
			NdisCmDispatchIncomingDropParty(
				pf_status_value(a[1]),
				H(X.parties[a[0] % X.nparties]), NULL, 0);
		break;
	case PF_OP_incoming_close:
		if ((vc = vc_sel(a[0])) != 0)
			NdisCmDispatchIncomingCloseCall(pf_status_value(a[1]),
							H(vc), NULL, 0);
		break;
	case PF_OP_ddi:
		pp_ddi(op);
		break;
	default:
		break;
	}
}

static void run_op(const struct pf_op *op, uint32_t index)
{
	char what[128];
	int actor = op_actor(op);
	uint64_t before = cn_trace_steps();

	if (X.out) {
		pf_format_op(op, what, sizeof(what));
		fprintf(X.out, "-- op %u: %s\n", index, what);
	}
	X.r->ops++;
	X.cm = PF_ST_SUCCESS;
	X.deliver = 0;
	X.misbehave = 0;
	switch (op->code) {
	case PF_OP_sched:
		/* Correct drivers never call above DISPATCH_LEVEL (C1): with
		 * them, irql=high places the actor at DISPATCH_LEVEL. */
		hs_place(&X.sched, op->arg[0], op->arg[1],
			 !X.puppet && op->arg[2] == PF_IRQL_HIGH
				 ? PF_IRQL_DISPATCH
				 : op->arg[2]);
		break;
	case PF_OP_run_dpc:
		(void)hs_run_dpc(&X.sched, op->arg[0], op->arg[1]);
		break;
	case PF_OP_leave_irql:
		if (X.puppet && op->arg[0] < PF_ACTOR_COUNT)
			X.leave_irql[op->arg[0]] = (uint8_t)(1 + op->arg[1]);
		break;
	default:
		/* cm= is the last argument of every client request. */
		if (op->code <= PF_OP_answer && op->code != PF_OP_create_vc &&
		    op->code != PF_OP_delete_vc)
			X.cm = op->arg[pf_op_arity(op->code) - 1];
		if (op->code >= PF_OP_complete &&
		    op->code <= PF_OP_incoming_close)
			X.deliver = op->arg[2];
		(void)hs_enter(&X.sched, actor);
		if (X.puppet)
			exec_puppet(op);
		else
			exec_reference(op);
		hs_leave(&X.sched);
		break;
	}
	X.cm = PF_ST_SUCCESS;
	X.deliver = 0;
	X.misbehave = 0;
	if (cn_trace_steps() != before)
		X.r->ops_acted++;
	/* The label is formatted only if the check fails (hot path). */
	X.cur_op = index;
	X.cur_name = pf_op_name(op->code);
	check_step(NULL);
	X.cur_name = NULL;
}

/* End of run */

/* Reference drivers: unload the way a correct pair of drivers would. */
static void wind_down(void)
{
	struct pf_op op;
	uint32_t round, vc, k, before;

	for (round = 0; round < RUN_WIND_ROUNDS && !X.stop; round++) {
		before = (uint32_t)cn_trace_steps();
		memset(&op, 0, sizeof(op));
		/* Only while the CM holds a request to complete: an owed
		 * completion it forgot (B18) stays owed (C3 at the end), and
		 * a `complete` it cannot act on still has steps of its own
		 * when the CM's actor runs above PASSIVE_LEVEL (the raise
		 * and lower around it), so steps alone never end the loop. */
		while (cn_pending_count() > 0 && drv_cm_pending_count() > 0 &&
		       !X.stop) {
			uint64_t s = cn_trace_steps();

			op.code = PF_OP_complete; /* req 0, SUCCESS, sync */
			run_op(&op, X.r->ops);
			if (cn_trace_steps() == s)
				break;
		}
		if (hs_drain(&X.sched))
			check_step("wind-down DPCs");
		for (vc = 0; vc < drv_client_vc_count() && !X.stop; vc++) {
			memset(&op, 0, sizeof(op));
			op.code = PF_OP_answer;
			op.arg[0] = (uint8_t)vc;
			run_op(&op, X.r->ops);
			for (k = drv_client_party_count(vc); k-- > 0;) {
				op.code = PF_OP_drop_party;
				op.arg[1] = (uint8_t)k;
				op.arg[2] = PF_ST_SUCCESS;
				run_op(&op, X.r->ops);
			}
			op.code = PF_OP_close_call;
			op.arg[1] = PF_ST_SUCCESS;
			run_op(&op, X.r->ops);
			op.code = PF_OP_delete_vc;
			run_op(&op, X.r->ops);
		}
		if ((uint32_t)cn_trace_steps() == before)
			break;
	}
}

PT_NO_COVERAGE static void check_end(void)
{
	struct cn_end_report rep;
	struct cn_stats st;
	char why[256];
	int rc;

	/* The reference run delivers everything; a puppet program decides
	 * itself whether its DPCs ever run (a DPC left queued is C2). */
	if (!X.puppet && hs_drain(&X.sched))
		check_step("final DPCs");
	if (X.stop)
		return;
	if (X.out)
		fprintf(X.out, "-- end of run\n");
	rc = cn_engine_check_end(&rep);
	X.model_owes_rules = 1;
	if (pm_check_end(&X.model, &rep, why, sizeof(why)))
		mismatch("%s", why);
	else if ((rc == PT_OK) !=
		 (rep.owed_cm_completions == 0 && rep.undelivered == 0 &&
		  rep.live_parties == 0 && rep.remote_closed_vcs == 0 &&
		  rep.live_vcs == 0 && rep.delivery_mismatch == 0))
		mismatch("cn_engine_check_end: return %s disagrees with its "
			 "counts%s",
			 pt_err_name(rc), "");
	check_step("end of run");
	if (X.stop)
		return;
	cn_engine_stats(&st);
	if (st.parties_created != X.model.nparty) {
		snprintf(why, sizeof(why), "%u issued, model %u",
			 st.parties_created, X.model.nparty);
		mismatch("party handles issued: %s", why);
	} else if (st.parties_ended + rep.live_parties != st.parties_created) {
		/* C12: every handle ends exactly once. */
		snprintf(why, sizeof(why), "%u issued, %u ended, %u live",
			 st.parties_created, st.parties_ended,
			 rep.live_parties);
		mismatch("party handles (C12): %s", why);
	}
	if (X.puppet || X.stop)
		return;
	/* Reference drivers, after the wind-down: nothing owed, nothing
	 * live, every pended request completed exactly once (C2, C3). */
	if (rep.owed_cm_completions || rep.live_parties || rep.live_vcs ||
	    rep.remote_closed_vcs || rep.undelivered) {
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
	} else {
		struct drv_client_stats cs;
		struct drv_cm_stats ms;

		drv_client_stats(&cs);
		drv_cm_stats(&ms);
		if (cs.protocol_errors || ms.protocol_errors) {
			snprintf(why, sizeof(why),
				 "client %u, CM %u callbacks they could not "
				 "match",
				 cs.protocol_errors, ms.protocol_errors);
			mismatch("drivers: %s", why);
		}
	}
}

/* Engine lifecycle */

static int engine_for(uint8_t gen_bits)
{
	struct cn_config cfg;

	if (X.have_engine) {
		/* One engine for every run: no allocation per run (R3). */
		if (cn_engine_reset_gen(gen_bits) != PT_OK)
			return -1;
		X.gen_bits = gen_bits;
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
	X.have_engine = cn_engine_create(&cfg) == PT_OK;
	X.gen_bits = gen_bits;
	return X.have_engine ? 0 : -1;
}

void pf_run_init(void)
{
	if (!X.have_engine && engine_for(32) < 0) {
		fprintf(stderr, "partyfuzz: cannot create the engine\n");
		abort();
	}
}

void pf_run_shutdown(void)
{
	if (X.have_engine)
		cn_engine_destroy();
	X.have_engine = 0;
}

enum pf_verdict pf_run(const struct pf_program *p, const struct pf_run_opts *o,
		       struct pf_result *r)
{
	uint32_t options = 0, i;
	int rc;

	memset(r, 0, sizeof(*r));
	X.r = r;
	X.out = o ? o->trace : NULL;
	X.puppet = o && o->puppet >= 0 ? o->puppet
				       : !!(p->cfg.flags & PF_CFG_PUPPET);
	X.mcm = !!(p->cfg.flags & PF_CFG_MCM);
	X.stop = 0;
	X.fed = 0;
	X.nvcs = 0;
	X.nparties = 0;
	X.cm = PF_ST_SUCCESS;
	X.deliver = 0;
	X.misbehave = 0;
	memset(X.leave_irql, 0, sizeof(X.leave_irql));
	memset(X.rules_before, 0, sizeof(X.rules_before));
	X.total_before = 0;
	X.model_owes_rules = 0;
	X.nreports = 0;
	X.reports_lost = 0;
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
	if ((p->cfg.flags & PF_CFG_A2_CONNECTING) && X.puppet)
		options |= CN_OPT_A2_COUNT_CONNECTING;
	/* The reference client reuses closed VCs, the spec's recommended
	 * reading of A7; the stricter option is for the puppets only. */
	if ((p->cfg.flags & PF_CFG_A7_NO_REUSE) && X.puppet)
		options |= CN_OPT_A7_NO_VC_REUSE;
	if (p->cfg.flags & PF_CFG_CLOSE_DATA)
		options |= CN_OPT_CLOSE_DATA;
	cn_engine_set_options(options);
	if (X.puppet) {
		rc = register_puppets();
	} else {
		rc = drv_client_register(RUN_MAX_VCS) != PT_OK ||
		     drv_cm_register(X.mcm ? CN_CM_MINIPORT : CN_CM_STANDALONE,
				     decide, NULL) != PT_OK;
	}
	if (rc) {
		fprintf(stderr, "partyfuzz: cannot register the drivers\n");
		abort();
	}
	hs_init(&X.sched, p->cfg.cpus);
	pm_reset(&X.model, options, X.mcm, RUN_MAX_VCS, RUN_MAX_PARTIES,
		 p->cfg.gen_bits >= 32 ? UINT32_MAX
				       : (1u << p->cfg.gen_bits) - 1,
		 PF_MAX_CPUS, RUN_DPCS);
	X.fed = cn_trace_steps();
	if (X.out) {
		char cfgline[160];

		pf_format_config(&p->cfg, cfgline, sizeof(cfgline));
		fprintf(X.out, "%s%s\n", cfgline,
			o && o->puppet >= 0
				? (X.puppet ? "  (forced: drivers=puppet)"
					    : "  (forced: drivers=reference)")
				: "");
		/* The drivers' registration and bring-up (ndis.h) took
		 * the first steps; the model starts after them. */
		if (X.fed > 0)
			fprintf(X.out,
				"-- bring-up: steps #1..#%" PRIu64
				" (registration, binding, address family)\n",
				X.fed);
	}
	for (i = 0; i < p->n && !X.stop; i++)
		run_op(&p->ops[i], i);
	if (!X.stop && !X.puppet) {
		if (X.out)
			fprintf(X.out, "-- wind-down (reference drivers)\n");
		wind_down();
	}
	if (!X.stop)
		check_end();
	if (!X.puppet) {
		drv_client_teardown();
		drv_cm_teardown();
	}
	if (r->verdict != PF_VERDICT_MISMATCH && r->first_rule != CN_RULE_NONE)
		r->verdict = PF_VERDICT_RULE;
	X.r = NULL; /* (R4): no run, no result to report into */
	return r->verdict;
}
