/*
 * test_condis_flows.c - the legal flows of spec section 3, end to end,
 * with the reference client and call manager (stand-alone CM and MCM),
 * synchronous and pended CM answers, synchronous and deferred delivery.
 * In every flow the verifier stays silent, cn_call_validate() holds after
 * every step, and the end-of-run check finds nothing owed or leaked.
 */
#include <stdlib.h>
#include <string.h>

#include "test_condis_fixture.h"

/* The end of a clean run: nothing reported, owed, live or leaked. */
static void fx_clean_end(struct pt_test *test)
{
	struct cn_end_report r;
	struct drv_client_stats cs;
	struct cn_stats es;
	struct cn_violation v;

	fx_drain();
	FX_VALID(test);
	if (cn_verifier_last(&v))
		printf("# unexpected: %s\n", v.line);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_OK(test, cn_engine_check_end(&r));
	PT_EXPECT_EQ(test, r.live_parties, 0);
	PT_EXPECT_EQ(test, r.owed_cm_completions, 0);
	PT_EXPECT_EQ(test, r.delivery_mismatch, 0);
	drv_client_stats(&cs);
	cn_engine_stats(&es);
	PT_EXPECT_EQ(test, cs.protocol_errors, 0);
	PT_EXPECT_EQ(test, cs.live_contexts, 0);
	/* C2: NDIS completed exactly the requests that pended. */
	PT_EXPECT_EQ(test, cs.ndis_completions, cs.pended);
	PT_EXPECT_EQ(test, es.client_completed, es.client_pended);
	PT_EXPECT_EQ(test, es.parties_created, es.parties_ended);
}

/* Create VC #0 and make a PMP call with SUCCESS. */
static void pmp_call(struct pt_test *test)
{
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_SUCCESS);
	PT_ASSERT_EQ(test, fx_vc_state(0), CN_VC_CONNECTED);
}

static void flow_sync(struct pt_test *test, enum cn_cm_kind kind)
{
	NDIS_HANDLE first;
	struct cn_vc_info vi;

	fx_begin(test, kind, 0);
	pmp_call(test);
	first = fx_party(0, 0);
	PT_EXPECT_EQ(test, fx_party_state(first), PT_ACTIVE);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	PT_ASSERT_OK(test, cn_vc_query(fx_vc(0), &vi));
	PT_EXPECT_EQ(test, vi.active, 3);
	PT_EXPECT_EQ(test, vi.activated, 1);
	/* P7/P8: drop the initial party; its handle is dead at once. */
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, cn_party_query(first, NULL), PT_E_STALE);
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_SUCCESS);
	/* P9/A2: the last party cannot be dropped; it stays ACTIVE. */
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, fx_party_state(fx_party(0, 0)), PT_ACTIVE);
	/* P12/P13: close with it, then delete. */
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_CLOSED);
	PT_EXPECT_TRUE(test, fx_party(0, 0) == NULL);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, drv_client_vc_count(), 0);
	fx_clean_end(test);
	fx_end();
}

static void test_flow_sync_cm(struct pt_test *test)
{
	flow_sync(test, CN_CM_STANDALONE);
}

static void test_flow_sync_mcm(struct pt_test *test)
{
	flow_sync(test, CN_CM_MINIPORT);
}

/* Every CM answer pended, completions delivered synchronously or from a
 * DPC on CPU 1. */
static void flow_pended(struct pt_test *test, enum cn_cm_kind kind, int defer)
{
	struct cn_pending_info pi;
	struct cn_trace_entry te;
	uint64_t s;
	int saw_dpc = 0;

	fx_begin(test, kind, 0);
	fx_defer = defer;
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_MAKING);
	PT_EXPECT_EQ(test, cn_pending_count(), 1);
	PT_ASSERT_OK(test, drv_cm_pending_get(0, &pi));
	PT_EXPECT_EQ(test, pi.kind, CN_REQ_MAKE_CALL);
	PT_EXPECT_EQ(test, drv_client_add_party(0, &(NDIS_STATUS){ 0 }),
		     DRV_REFUSED); /* A16: not before the call is up */
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	FX_VALID(test);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_CONNECTED);
	PT_EXPECT_EQ(test, cn_dpc_count(1), defer ? 1u : 0u);
	fx_drain();

	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, fx_party_state(fx_party(0, 1)), PT_ADDING);
	PT_EXPECT_EQ(test, drv_client_close_call(0, &(NDIS_STATUS){ 0 }),
		     DRV_REFUSED); /* R2 */
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	FX_VALID(test);
	fx_drain();
	PT_EXPECT_EQ(test, fx_party_state(fx_party(0, 1)), PT_ACTIVE);

	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, fx_party_state(fx_party(0, 1)), PT_DROPPING);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	FX_VALID(test);
	fx_drain();

	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_CLOSING);
	PT_EXPECT_EQ(test, drv_client_delete_vc(0, &(NDIS_STATUS){ 0 }),
		     DRV_REFUSED); /* A14 */
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	FX_VALID(test);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_CLOSED);
	fx_drain();
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);

	/* Deferred completions ran at DISPATCH_LEVEL on CPU 1; synchronous
	 * ones at the caller's PASSIVE_LEVEL on CPU 0. */
	for (s = 1; s <= cn_trace_steps(); s++) {
		if (cn_trace_get(s, &te) != PT_OK ||
		    te.fn != CN_FN_ProtocolClDropPartyComplete)
			continue;
		saw_dpc = 1;
		PT_EXPECT_EQ(test, te.irql,
			     defer ? DISPATCH_LEVEL : PASSIVE_LEVEL);
		PT_EXPECT_EQ(test, te.cpu, defer ? 1 : 0);
	}
	PT_EXPECT_TRUE(test, saw_dpc);
	fx_clean_end(test);
	fx_end();
}

static void test_flow_pended_sync_delivery_cm(struct pt_test *test)
{
	flow_pended(test, CN_CM_STANDALONE, 0);
}

static void test_flow_pended_deferred_delivery_cm(struct pt_test *test)
{
	flow_pended(test, CN_CM_STANDALONE, 1);
}

static void test_flow_pended_deferred_delivery_mcm(struct pt_test *test)
{
	flow_pended(test, CN_CM_MINIPORT, 1);
}

/* P6, P10/A4, P14/A6, P3 and VC reuse (A7). */
static void test_flow_failures(struct pt_test *test)
{
	NDIS_HANDLE h;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_SYNC_FAIL, NDIS_STATUS_NOT_SUPPORTED);
	FX_DO(test, drv_client_make_call(0, 1, &st_),
	      NDIS_STATUS_NOT_SUPPORTED);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_IDLE); /* P3 */
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_SYNC_FAIL, NDIS_STATUS_RESOURCES);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_RESOURCES);
	PT_EXPECT_EQ(test, drv_client_party_count(0), 1); /* P6 */
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_FAILURE), DRV_DONE);
	PT_EXPECT_EQ(test, drv_client_party_count(0), 1);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	h = fx_party(0, 1);
	fx_will(DRV_SYNC_FAIL, NDIS_STATUS_FAILURE);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, fx_party_state(h), PT_ACTIVE); /* A1/A4 */
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_FAILURE), DRV_DONE);
	PT_EXPECT_EQ(test, fx_party_state(h), PT_ACTIVE);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_SYNC_FAIL, NDIS_STATUS_FAILURE);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_CONNECTED); /* A6 */
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_FAILURE), DRV_DONE);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_CONNECTED);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	/* A7: a closed client VC takes a new call. */
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	fx_clean_end(test);
	fx_end();
}

/* P11, A3, A11 and C15/A13: the network drops and closes. */
static void flow_incoming(struct pt_test *test, int defer)
{
	NDIS_HANDLE h;
	struct drv_client_stats cs;

	fx_begin(test, CN_CM_STANDALONE, 0);
	fx_defer = defer;
	pmp_call(test);
	fx_drain();
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	h = fx_party(0, 2);
	PT_EXPECT_EQ(test, drv_cm_incoming_drop(2, NDIS_STATUS_SUCCESS),
		     DRV_DONE);
	FX_VALID(test);
	PT_EXPECT_EQ(test, fx_party_state(h), PT_REMOTE_DROPPED);
	fx_drain();
	FX_DO(test, drv_client_answer(0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, cn_party_query(h, NULL), PT_E_STALE);
	PT_EXPECT_EQ(test, drv_client_answer(0, &(NDIS_STATUS){ 0 }),
		     DRV_NOOP);
	/* Network failure: incoming close with three parties (A13). */
	PT_EXPECT_EQ(test, drv_cm_incoming_close(0, NDIS_STATUS_FAILURE),
		     DRV_DONE);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_REMOTE_CLOSED);
	fx_drain();
	PT_EXPECT_EQ(test, drv_client_add_party(0, &(NDIS_STATUS){ 0 }),
		     DRV_REFUSED);
	FX_DO(test, drv_client_answer(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_answer(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_answer(0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_CLOSED);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	drv_client_stats(&cs);
	PT_EXPECT_EQ(test, cs.incoming_drops, 1);
	PT_EXPECT_EQ(test, cs.incoming_closes, 1);
	fx_clean_end(test);
	fx_end();
}

static void test_flow_incoming_sync(struct pt_test *test)
{
	flow_incoming(test, 0);
}

static void test_flow_incoming_deferred(struct pt_test *test)
{
	flow_incoming(test, 1);
}

/* B13: the client drops A while the network drops B; B is now the last
 * party and the answer is a close, not a drop. */
static void test_flow_last_party_answered_by_close(struct pt_test *test)
{
	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_call(test);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, drv_cm_incoming_drop(0, NDIS_STATUS_SUCCESS),
		     DRV_NOOP); /* C13: only one connected party left */
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	fx_clean_end(test);
	fx_end();
}

/* P2P calls: no parties at all (C11 passes NULL). */
static void test_flow_p2p(struct pt_test *test)
{
	fx_begin(test, CN_CM_MINIPORT, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_TRUE(test, fx_party(0, 0) == NULL);
	PT_EXPECT_EQ(test, drv_client_add_party(0, &(NDIS_STATUS){ 0 }),
		     DRV_REFUSED);
	PT_EXPECT_EQ(test, drv_cm_incoming_close(0, NDIS_STATUS_SUCCESS),
		     DRV_DONE);
	FX_DO(test, drv_client_answer(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	fx_clean_end(test);
	fx_end();
}

/* A2 model option: with the [sample] reading an ADDING party counts as
 * "other", so the drop reaches the CM. */
static void test_flow_a2_option(struct pt_test *test)
{
	fx_begin(test, CN_CM_STANDALONE, CN_OPT_A2_COUNT_CONNECTING);
	pmp_call(test);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	fx_clean_end(test);
	/* Default reading: same start, the drop fails at NDIS (A2). */
	fx_end();
	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_call(test);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	fx_clean_end(test);
	fx_end();
}

/*
 * A2, no FAILURE while another drop is in flight: party 0's drop pends,
 * so the drop of party 1, the only connected one, goes to the call
 * manager (it is not known to be last: party 0's drop may still fail);
 * the CM drops it, and party 0's completion is the one that finds itself
 * last: the reference CM completes it with FAILURE although asked for
 * SUCCESS. The client then closes with party 0 at once (R2 holds). With
 * CN_OPT_A2_CM_FAILS the last party's drop reaches the CM, which answers
 * FAILURE itself.
 */
static void test_flow_a2_last_party_while_dropping(struct pt_test *test)
{
	struct drv_cm_stats ms;
	struct cn_vc_info vi;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_call(test);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_PENDING);
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_SUCCESS);
	PT_ASSERT_OK(test, cn_vc_query(fx_vc(0), &vi));
	PT_EXPECT_EQ(test, vi.active, 0);
	PT_EXPECT_EQ(test, vi.dropping, 1);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	PT_ASSERT_OK(test, cn_vc_query(fx_vc(0), &vi));
	PT_EXPECT_EQ(test, vi.active, 1);
	PT_EXPECT_EQ(test, drv_client_party_count(0), 1);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	fx_clean_end(test);
	fx_end();

	fx_begin(test, CN_CM_STANDALONE, CN_OPT_A2_CM_FAILS);
	pmp_call(test);
	FX_DO(test, drv_client_drop_party(0, 0, &st_), NDIS_STATUS_FAILURE);
	drv_cm_stats(&ms);
	PT_EXPECT_EQ(test, ms.requests, 2); /* the make call, the drop */
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	fx_clean_end(test);
	fx_end();
}

/* A queued incoming close whose VC the client closed and deleted before
 * the DPC ran is cancelled: NDIS never hands out a freed context. */
static void test_flow_obsolete_indication_cancelled(struct pt_test *test)
{
	struct cn_stats es;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_call(test);
	fx_defer = 1;
	PT_EXPECT_EQ(test, drv_cm_incoming_close(0, NDIS_STATUS_SUCCESS),
		     DRV_DONE);
	PT_EXPECT_EQ(test, cn_dpc_count(1), 1);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_OK(test, cn_dpc_run(1, 0));
	cn_engine_stats(&es);
	PT_EXPECT_EQ(test, es.indications_cancelled, 1);
	PT_EXPECT_EQ(test, es.indications, 0);
	fx_clean_end(test);
	fx_end();
}

/* DPCs run only below DISPATCH_LEVEL, on their own CPU. */
static void test_dpc_needs_low_irql(struct pt_test *test)
{
	KIRQL old;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_call(test);
	fx_defer = 1;
	PT_EXPECT_EQ(test, drv_cm_incoming_close(0, NDIS_STATUS_SUCCESS),
		     DRV_DONE);
	PT_EXPECT_OK(test, cn_cpu_select(1));
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	PT_EXPECT_ERR(test, cn_dpc_run(1, 0), PT_E_STATE);
	PT_EXPECT_ERR(test, cn_dpc_run(1, 1), PT_E_INVAL);
	KeLowerIrql(old);
	PT_EXPECT_OK(test, cn_cpu_select(0));
	PT_EXPECT_OK(test, cn_dpc_run(1, 0));
	PT_EXPECT_EQ(test, cn_cpu_current(), 0);
	FX_DO(test, drv_client_answer(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	fx_clean_end(test);
	fx_end();
}

/* Same calls, same trace text: determinism across runs and resets. */
static void run_for_trace(struct pt_test *test, char *out, size_t len)
{
	struct cn_trace_entry te;
	uint64_t s;
	size_t n = 0;

	PT_ASSERT_OK(test, cn_engine_reset());
	PT_ASSERT_OK(test, drv_client_register(4));
	PT_ASSERT_OK(test, drv_cm_register(CN_CM_STANDALONE, fx_decide, NULL));
	fx_script_n = fx_script_i = 0;
	fx_defer = 1;
	pmp_call(test);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	fx_drain();
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_SUCCESS);
	for (s = 1; s <= cn_trace_steps() && n < len; s++) {
		PT_ASSERT_OK(test, cn_trace_get(s, &te));
		n += (size_t)cn_trace_format(&te, out + n, len - n);
		if (n < len)
			out[n++] = '\n';
	}
	drv_client_teardown();
	drv_cm_teardown();
}

static void test_trace_deterministic(struct pt_test *test)
{
	static char a[16384], b[16384];
	struct cn_config cfg = fx_config(0);

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	PT_ASSERT_OK(test, cn_engine_create(&cfg));
	run_for_trace(test, a, sizeof(a) - 1);
	run_for_trace(test, b, sizeof(b) - 1);
	PT_EXPECT_STREQ(test, a, b);
	if (getenv("FX_SHOW_TRACE"))
		fputs(a, stdout);
	PT_EXPECT_TRUE(test, strstr(a, "ndis->client") != NULL);
	PT_EXPECT_TRUE(test, strstr(a, "NdisCmAddPartyComplete P1.1 "
				       "status=SUCCESS [queued dpc#1 "
				       "cpu1]") != NULL);
	PT_EXPECT_TRUE(test, strstr(a, "cpu1 DISPATCH ndis->client "
				       "ProtocolClAddPartyComplete P1.1 "
				       "party=P1.1 status=SUCCESS "
				       "[dpc#1]") != NULL);
	PT_EXPECT_TRUE(test,
		       strstr(a, "NdisClDropParty P1.1 -> SUCCESS") != NULL);
	PT_EXPECT_TRUE(test, strstr(a, "0x7f") == NULL); /* no pointers */
	cn_engine_destroy();
}

/* A VC created, deleted and created again: the second one's handle. */
static uint64_t recreated_vc(struct pt_test *test)
{
	uint64_t h;

	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	h = fx_h(fx_vc(0));
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	return h;
}

/* cn_engine_reset_gen(): the runs after it have the new generation width,
 * exactly as on a new engine of that width. With 1 bit a deleted VC's
 * slot parks and the next VC takes the next slot; with 32 the slot comes
 * back at generation 2. */
static void test_reset_gen(struct pt_test *test)
{
	struct cn_config cfg = fx_config(0);
	uint64_t fresh1, fresh32, h;

	cfg.gen_bits = 1;
	fx_begin_cfg(test, &cfg, CN_CM_STANDALONE);
	fresh1 = recreated_vc(test);
	cfg.gen_bits = 0;
	fx_begin_cfg(test, &cfg, CN_CM_STANDALONE);
	fresh32 = recreated_vc(test);
	PT_EXPECT_HANDLE_NE(test, fresh1, fresh32);
	PT_EXPECT_EQ(test, pt_handle_index(fresh1), 1);
	PT_EXPECT_EQ(test, pt_handle_gen(fresh32), 2);

	/* The same engine, 32 bits -> 1 -> 32. */
	drv_client_teardown();
	drv_cm_teardown();
	PT_ASSERT_OK(test, cn_engine_reset_gen(1));
	PT_EXPECT_EQ(test, cn_engine_config()->gen_bits, 1);
	PT_ASSERT_OK(test, drv_client_register(4));
	PT_ASSERT_OK(test, drv_cm_register(CN_CM_STANDALONE, fx_decide, NULL));
	h = recreated_vc(test);
	PT_EXPECT_HANDLE_EQ(test, h, fresh1);
	/* cn_engine_reset() keeps the width the last reset chose. */
	fx_next_run(test, CN_CM_STANDALONE);
	PT_EXPECT_HANDLE_EQ(test, recreated_vc(test), fresh1);
	drv_client_teardown();
	drv_cm_teardown();
	PT_ASSERT_OK(test, cn_engine_reset_gen(0));
	PT_ASSERT_OK(test, drv_client_register(4));
	PT_ASSERT_OK(test, drv_cm_register(CN_CM_STANDALONE, fx_decide, NULL));
	PT_EXPECT_HANDLE_EQ(test, recreated_vc(test), fresh32);
	fx_clean_end(test);

	PT_EXPECT_ERR(test, cn_engine_reset_gen(PT_MAX_GEN_BITS + 1),
		      PT_E_INVAL);
	fx_end();
	PT_EXPECT_ERR(test, cn_engine_reset_gen(1), PT_E_INVAL); /* none */
}

/* The state graph comes from the transition tables. */
static void test_state_graph(struct pt_test *test)
{
	struct cn_transition_info t;
	char buf[8192];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	uint32_t i, n = 0;

	PT_ASSERT_TRUE(test, f != NULL);
	cn_state_graph_dot(f);
	fclose(f);
	PT_EXPECT_TRUE(test, strstr(buf, "digraph party") != NULL);
	PT_EXPECT_TRUE(test,
		       strstr(buf, "\"ACTIVE\" -> \"DROPPING\" "
				   "[label=\"P7 NdisClDropParty\"]") != NULL);
	for (i = 0; cn_transition_get(i, &t); i++)
		n++;
	PT_EXPECT_EQ(test, n, 32); /* with V10..V14, CM-created VCs */
}

/*
 * Property: the reference drivers never trip the verifier, whatever the
 * interleaving. Seeded random mixes of every stimulus (sync, failed and
 * pended CM answers; sync and deferred delivery on two CPUs; incoming
 * drops and closes; DPCs run out of order; client work at DISPATCH_LEVEL),
 * the validator after every step, then a teardown that must end clean.
 */
/* gcc does not let a (void) cast silence warn_unused_result. */
#define PT_IGNORE(x)                                                          \
	do {                                                                  \
		if (x) {                                                      \
		}                                                             \
	} while (0)

static uint64_t mix_state;

static uint32_t mix_next(void)
{
	mix_state ^= mix_state << 13;
	mix_state ^= mix_state >> 7;
	mix_state ^= mix_state << 17;
	return (uint32_t)(mix_state >> 16);
}

static struct drv_choice mix_decide(void *arg, enum cn_req req)
{
	static const NDIS_STATUS fails[] = { NDIS_STATUS_FAILURE,
					     NDIS_STATUS_RESOURCES,
					     NDIS_STATUS_NOT_SUPPORTED };
	struct drv_choice c;
	uint32_t k = mix_next();

	(void)arg;
	(void)req;
	c.decision = (enum drv_decision)(k % 3);
	c.fail_status = fails[(k >> 8) % 3];
	return c;
}

static int mix_choose(void *arg, enum cn_fn cb, uint32_t *cpu)
{
	uint32_t k = mix_next();

	(void)arg;
	(void)cb;
	*cpu = k >> 1;
	return k & 1;
}

static void mix_step(uint32_t k)
{
	NDIS_STATUS st;
	KIRQL old;
	uint32_t a = k >> 8, b = k >> 16;

	switch (k % 13) {
	case 0:
		(void)drv_client_create_vc(&st);
		break;
	case 1:
		(void)drv_client_make_call(a, b & 3, &st);
		break;
	case 2:
		(void)drv_client_add_party(a, &st);
		break;
	case 3:
		(void)drv_client_drop_party(a, b, &st);
		break;
	case 4:
		(void)drv_client_close_call(a, &st);
		break;
	case 5:
		(void)drv_client_delete_vc(a, &st);
		break;
	case 6:
		(void)drv_client_answer(a, &st);
		break;
	case 7:
	case 8:
		(void)drv_cm_complete(a, b & 1 ? NDIS_STATUS_SUCCESS
					       : NDIS_STATUS_FAILURE);
		break;
	case 9:
		(void)drv_cm_incoming_drop(a, NDIS_STATUS_SUCCESS);
		break;
	case 10:
		(void)drv_cm_incoming_close(a, NDIS_STATUS_FAILURE);
		break;
	case 11:
		if (cn_dpc_count(a & 1) > 0)
			PT_IGNORE(cn_dpc_run(a & 1, b % cn_dpc_count(a & 1)));
		break;
	default:
		if (cn_cpu_select(a & 1) != PT_OK)
			break;
		KeRaiseIrql(DISPATCH_LEVEL, &old);
		(void)drv_client_add_party(b, &st);
		KeLowerIrql(old);
		PT_IGNORE(cn_cpu_select(0));
		break;
	}
}

/* Finish every call: complete, answer, close, delete, until nothing is
 * left. Return: 1 when the engine is empty. */
static int mix_teardown(void)
{
	NDIS_STATUS st;
	uint32_t round, v;

	for (round = 0; round < 64; round++) {
		fx_drain();
		while (drv_cm_pending_count() > 0)
			(void)drv_cm_complete(0, NDIS_STATUS_SUCCESS);
		fx_drain();
		if (drv_client_vc_count() == 0)
			return 1;
		for (v = 0; v < drv_client_vc_count(); v++)
			if (drv_client_answer(v, &st) != DRV_DONE &&
			    drv_client_close_call(v, &st) != DRV_DONE &&
			    drv_client_drop_party(v, 1, &st) != DRV_DONE)
				(void)drv_client_delete_vc(v, &st);
	}
	return 0;
}

static void random_mix(struct pt_test *test, uint8_t gen_bits, uint32_t runs)
{
	struct cn_config cfg = fx_config(0);
	struct cn_violation v;
	char why[256];
	uint32_t run, i;

	cfg.choose_delivery = mix_choose;
	cfg.max_parties = 24;
	cfg.gen_bits = gen_bits;
	mix_state = 0x9e3779b97f4a7c15ull ^ gen_bits;
	if (cn_engine_config() != NULL)
		fx_end();
	PT_ASSERT_OK(test, cn_engine_create(&cfg));
	for (run = 0; run < runs; run++) {
		PT_ASSERT_OK(test, cn_engine_reset());
		/* Every combination of the reading options the reference
		 * drivers follow: early delivery (A12), the CM's last-party
		 * FAILURE (A2). */
		cn_engine_set_options((run & 2 ? CN_OPT_A12_EARLY : 0) |
				      (run & 4 ? CN_OPT_A2_CM_FAILS : 0));
		PT_ASSERT_OK(test, drv_client_register(4));
		PT_ASSERT_OK(test, drv_cm_register(run & 1 ? CN_CM_MINIPORT
							   : CN_CM_STANDALONE,
						   mix_decide, NULL));
		for (i = 0; i < 60; i++) {
			mix_step(mix_next());
			if (cn_call_validate(why, sizeof(why)) != PT_OK) {
				printf("# run %u op %u: %s\n", run, i, why);
				PT_ASSERT_TRUE(test, 0);
			}
		}
		PT_EXPECT_TRUE(test, mix_teardown());
		PT_EXPECT_OK(test, cn_engine_check_end(NULL));
		if (cn_verifier_last(&v)) {
			printf("# run %u: %s\n", run, v.line);
			cn_trace_dump(stdout, 30);
			PT_ASSERT_TRUE(test, 0);
		}
		drv_client_teardown();
		drv_cm_teardown();
	}
	cn_engine_destroy();
}

static void test_random_mix_no_false_positives(struct pt_test *test)
{
	random_mix(test, 0, 2000);
}

/* One-bit generations: every slot parks after one life, so runs also hit
 * party-table exhaustion (NDIS_STATUS_RESOURCES) and parked slots. */
static void test_random_mix_tiny_generations(struct pt_test *test)
{
	random_mix(test, 1, 1000);
}

/* Hits of every row with spec id @id (P7 has two rows) at @irql. */
static uint64_t cov_hits(const char *id, KIRQL irql)
{
	struct cn_transition_info t;
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; cn_transition_get(i, &t); i++)
		if (strcmp(t.id, id) == 0)
			n += cn_coverage_transition(i, irql);
	return n;
}

/* Contract coverage counts each row taken, by IRQL, across runs. */
static void test_contract_coverage(struct pt_test *test)
{
	static const char *const taken[] = { "P1", "P2", "P4", "P5", "P7",
					     "P8", "P12", "P13", "V1", "V3",
					     "V6", "V7", "V9" };
	size_t i;

	cn_coverage_clear();
	flow_pended(test, CN_CM_STANDALONE, 1);
	for (i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		PT_EXPECT_EQ(test, cov_hits(taken[i], PASSIVE_LEVEL), 1);
	/* Not in this flow: failures, incoming drop/close, DISPATCH. */
	PT_EXPECT_EQ(test, cov_hits("P6", PASSIVE_LEVEL), 0);
	PT_EXPECT_EQ(test, cov_hits("P11", PASSIVE_LEVEL), 0);
	PT_EXPECT_EQ(test, cov_hits("V5", PASSIVE_LEVEL), 0);
	PT_EXPECT_EQ(test, cov_hits("P8", DISPATCH_LEVEL), 0);
	/* Cumulative: a second run adds up; clear forgets. */
	flow_pended(test, CN_CM_STANDALONE, 0);
	PT_EXPECT_EQ(test, cov_hits("P8", PASSIVE_LEVEL), 2);
	PT_EXPECT_EQ(test, cn_coverage_rule(CN_RULE_C9), 0);
	cn_coverage_clear();
	PT_EXPECT_EQ(test, cov_hits("P1", PASSIVE_LEVEL), 0);
}

/* Every coverage counter: each row at each IRQL, then each rule. */
#define COV_CELLS (64 * CN_COV_IRQLS + CN_RULE_MAX + 1)

static void cov_snapshot(uint64_t *cell)
{
	struct cn_transition_info t;
	uint32_t i, n = 0;
	int q;

	memset(cell, 0, sizeof(uint64_t) * COV_CELLS);
	for (i = 0; cn_transition_get(i, &t) && i < 64; i++)
		for (q = 0; q < CN_COV_IRQLS; q++)
			cell[n++] = cn_coverage_transition(i, (KIRQL)q);
	for (q = 0; q <= CN_RULE_MAX; q++)
		cell[64 * CN_COV_IRQLS + (uint32_t)q] = cn_coverage_rule(q);
}

/* Run A: a PMP call with three parties, one dropped at DISPATCH_LEVEL,
 * and two rules broken (C9, C11). */
static void cov_run_a(struct pt_test *test)
{
	KIRQL old;

	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	FX_DO(test, drv_client_drop_party(0, 2, &st_), NDIS_STATUS_SUCCESS);
	KeLowerIrql(old);
	NdisClDropParty((NDIS_HANDLE)(uintptr_t)0x1234, NULL, 0);
	NdisClCloseCall(fx_vc(0), fx_party(0, 0), NULL, 0);
}

/* Run B: a P2P call, an add the CM pends and never completes, a C1 of
 * KeLowerIrql, and the end of the run (C3, C12). */
static void cov_run_b(struct pt_test *test)
{
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	KeLowerIrql(DISPATCH_LEVEL);
	PT_EXPECT_ERR(test, cn_engine_check_end(NULL), PT_E_STATE);
}

/*
 * Contract coverage is process-wide: two runs in one process (an engine
 * reset between them, as the harness does) count the sum of what each
 * run counts alone, in every row at every IRQL and for every rule; and
 * cn_coverage_clear() forgets rows and rules alike.
 */
static void test_contract_coverage_adds_up(struct pt_test *test)
{
	static uint64_t a[COV_CELLS], b[COV_CELLS], ab[COV_CELLS];
	uint64_t rules_a = 0, rules_b = 0, rows_a = 0, rows_b = 0;
	uint32_t i;

	fx_begin(test, CN_CM_STANDALONE, 0);
	cn_coverage_clear();
	cov_run_a(test);
	cov_snapshot(a);

	fx_next_run(test, CN_CM_STANDALONE);
	cn_coverage_clear();
	cov_run_b(test);
	cov_snapshot(b);

	fx_next_run(test, CN_CM_STANDALONE);
	cn_coverage_clear();
	cov_run_a(test);
	fx_next_run(test, CN_CM_STANDALONE);
	cov_run_b(test);
	cov_snapshot(ab);

	for (i = 0; i < COV_CELLS; i++) {
		if (ab[i] != a[i] + b[i])
			printf("# coverage cell %u: %llu + %llu != %llu\n", i,
			       (unsigned long long)a[i],
			       (unsigned long long)b[i],
			       (unsigned long long)ab[i]);
		PT_EXPECT_EQ(test, ab[i], a[i] + b[i]);
		if (i < 64 * CN_COV_IRQLS) {
			rows_a += a[i];
			rows_b += b[i];
		} else {
			rules_a += a[i];
			rules_b += b[i];
		}
	}
	/* Both runs counted rows and rules (else the sum proves nothing):
	 * A took 10 rows (V1 P1 P2 V3, P4 P5 twice, P7 P8) and broke C9 and
	 * C11; B took 9 (V1 V3 V6 V7, V2 P1 P2 V3, P4) and fired C1, C3 and
	 * C12 twice. */
	PT_EXPECT_EQ(test, rows_a, 10);
	PT_EXPECT_EQ(test, rules_a, 2);
	PT_EXPECT_EQ(test, rows_b, 9);
	PT_EXPECT_EQ(test, rules_b, 4);
	PT_EXPECT_EQ(test, a[64 * CN_COV_IRQLS + CN_RULE_C9], 1);
	PT_EXPECT_EQ(test, b[64 * CN_COV_IRQLS + CN_RULE_C12], 2);
	PT_EXPECT_EQ(test, cov_hits("P7", DISPATCH_LEVEL), 1);

	cn_coverage_clear();
	cov_snapshot(ab);
	for (i = 0; i < COV_CELLS; i++)
		PT_EXPECT_EQ(test, ab[i], 0);
	fx_end();
}

static const struct pt_test_case cases[] = {
	PT_TEST_CASE(test_flow_sync_cm),
	PT_TEST_CASE(test_flow_sync_mcm),
	PT_TEST_CASE(test_flow_pended_sync_delivery_cm),
	PT_TEST_CASE(test_flow_pended_deferred_delivery_cm),
	PT_TEST_CASE(test_flow_pended_deferred_delivery_mcm),
	PT_TEST_CASE(test_flow_failures),
	PT_TEST_CASE(test_flow_incoming_sync),
	PT_TEST_CASE(test_flow_incoming_deferred),
	PT_TEST_CASE(test_flow_last_party_answered_by_close),
	PT_TEST_CASE(test_flow_p2p),
	PT_TEST_CASE(test_flow_a2_option),
	PT_TEST_CASE(test_flow_a2_last_party_while_dropping),
	PT_TEST_CASE(test_flow_obsolete_indication_cancelled),
	PT_TEST_CASE(test_dpc_needs_low_irql),
	PT_TEST_CASE(test_trace_deterministic),
	PT_TEST_CASE(test_state_graph),
	PT_TEST_CASE(test_reset_gen),
	PT_TEST_CASE(test_contract_coverage),
	PT_TEST_CASE(test_contract_coverage_adds_up),
	PT_TEST_CASE(test_random_mix_no_false_positives),
	PT_TEST_CASE(test_random_mix_tiny_generations),
	PT_TEST_END,
};

PT_TEST_MAIN("condis_flows", cases)
