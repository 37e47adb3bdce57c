/*
 * test_condis_rules.c - one case per rule the engine checks: in record
 * mode, a driver breaks exactly that rule, the verifier reports exactly
 * that rule once, and the engine state (VCs, parties, pending requests,
 * DPCs, counters, IRQLs) is unchanged by the rejected call. Rules checked
 * on a callback's return (the engine cannot reject a return value) and at
 * the end of a run are asserted for the report alone. Plus: the catalogue,
 * garbage handles on every DDI, and the abort-mode report format.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_condis_fixture.h"

static CO_CALL_PARAMETERS params;
static int dummy_ctx;

/* Exactly @want was reported, once, and its report reads "partyfuzz: "
 * @text: the rule, the DDI, what was wrong, the handle, the party and VC
 * states. */
#define EXPECT_ONLY(test, want, text)                                         \
	do {                                                                  \
		struct cn_violation v_;                                       \
		PT_EXPECT_EQ(test, cn_verifier_count(want), 1);               \
		PT_EXPECT_EQ(test, cn_verifier_total(), 1);                   \
		PT_EXPECT_TRUE(test, cn_verifier_last(&v_));                  \
		if (cn_verifier_last(&v_)) {                                  \
			PT_EXPECT_EQ(test, v_.rule, want);                    \
			PT_EXPECT_STREQ(test, v_.line, "partyfuzz: " text);   \
		}                                                             \
	} while (0)

/* The rejected call changed nothing. */
#define EXPECT_UNCHANGED(test, before)                                        \
	do {                                                                  \
		struct fx_snap after_;                                        \
		fx_snap(&after_);                                             \
		PT_EXPECT_STREQ(test, after_.buf, (before).buf);              \
		FX_VALID(test);                                               \
	} while (0)

/* VC #0 with a PMP call and @n parties, all synchronous. */
static void pmp_with(struct pt_test *test, int n)
{
	int i;

	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_SUCCESS);
	for (i = 1; i < n; i++)
		FX_DO(test, drv_client_add_party(0, &st_),
		      NDIS_STATUS_SUCCESS);
	PT_ASSERT_EQ(test, cn_verifier_total(), 0);
}

/* The handle of the oldest request pended at the CM (party, else VC). */
static NDIS_HANDLE pending_handle(int party)
{
	struct cn_pending_info pi;
	uint32_t cursor = 0;

	if (!cn_pending_next(&cursor, &pi))
		return NULL;
	return party ? pi.party : pi.vc;
}

static void test_rule_c1_ddi_above_dispatch(struct pt_test *test)
{
	struct fx_snap s;
	KIRQL old;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	KeRaiseIrql(DISPATCH_LEVEL + 1, &old);
	fx_snap(&s);
	PT_EXPECT_HANDLE_EQ(test, NdisClDropParty(fx_party(0, 0), NULL, 0),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C1,
		    "RULE C1 (irql): NdisClDropParty: called above "
		    "DISPATCH_LEVEL handle=P0.1 party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	KeLowerIrql(old);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	fx_end();
}

static void test_rule_c1_ke_wrong_direction(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	fx_snap(&s);
	KeLowerIrql(DISPATCH_LEVEL);
	EXPECT_ONLY(test, CN_RULE_C1,
		    "RULE C1 (irql): KeLowerIrql: KeLowerIrql to a higher "
		    "IRQL irql=PASSIVE->DISPATCH party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c2_undelivered_completion(struct pt_test *test)
{
	struct cn_end_report r;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_PENDING);
	fx_defer = 1;
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	PT_EXPECT_ERR(test, cn_engine_check_end(&r), PT_E_STATE);
	PT_EXPECT_EQ(test, r.undelivered, 1);
	EXPECT_ONLY(test, CN_RULE_C2,
		    "RULE C2 (client-completion-once): EndOfRun: completion "
		    "queued as a DPC never ran handle=V0.1 party=NONE "
		    "vc=CONNECTED");
	fx_end();
}

static void test_rule_c3_completion_not_pended(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE p1;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	p1 = fx_party(0, 1);
	fx_snap(&s);
	NdisCmAddPartyComplete(NDIS_STATUS_SUCCESS, p1, &dummy_ctx, &params);
	EXPECT_ONLY(test, CN_RULE_C3,
		    "RULE C3 (cm-complete-iff-pended): "
		    "NdisCmAddPartyComplete: no pended add for this party "
		    "handle=P1.1 party=ACTIVE vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c3_never_completed(struct pt_test *test)
{
	struct cn_end_report r;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_ERR(test, cn_engine_check_end(&r), PT_E_STATE);
	PT_EXPECT_EQ(test, r.owed_cm_completions, 1);
	EXPECT_ONLY(test, CN_RULE_C3,
		    "RULE C3 (cm-complete-iff-pended): EndOfRun: request "
		    "pended by the call manager never completed handle=V0.1 "
		    "party=NONE vc=MAKING");
	fx_end();
}

static void test_rule_c4_pending_status(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	NdisCmDropPartyComplete(NDIS_STATUS_PENDING, pending_handle(1));
	EXPECT_ONLY(test, CN_RULE_C4,
		    "RULE C4 (no-pending-completion): "
		    "NdisCmDropPartyComplete: completion with "
		    "NDIS_STATUS_PENDING handle=P1.1 party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c5_wrong_family(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	PT_EXPECT_HANDLE_EQ(test, NdisMCmActivateVc(fx_vc(0), &params),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C5,
		    "RULE C5 (cm-role): NdisMCmActivateVc: an MCM function "
		    "called, but the call manager is a stand-alone CM "
		    "handle=V0.1 "
		    "party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c6_add_party_on_p2p(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE ph = NULL;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisClAddParty(fx_vc(0), &dummy_ctx, &params, &ph),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C6,
		    "RULE C6 (add-party-on-pmp-call): NdisClAddParty: the "
		    "call is point-to-point handle=V0.1 party=NONE "
		    "vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	PT_EXPECT_TRUE(test, ph == NULL);
	fx_end();
}

static void test_rule_c7_handle_of_failed_add(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE h;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	h = pending_handle(1);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_RESOURCES),
		     DRV_DONE);
	fx_snap(&s);
	NdisClDropParty(h, NULL, 0);
	EXPECT_ONLY(test, CN_RULE_C7,
		    "RULE C7 (handle-only-on-success): NdisClDropParty: party "
		    "handle of a failed MakeCall/AddParty handle=P2.1 "
		    "party=DEAD vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c8_null_party_context(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE ph = NULL;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_snap(&s);
	NdisClAddParty(fx_vc(0), NULL, &params, &ph);
	EXPECT_ONLY(
		test, CN_RULE_C8,
		"RULE C8 (client-contexts-alive): NdisClAddParty: NULL "
		"ProtocolPartyContext handle=V0.1 party=NONE vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/* The headline rule: a dropped handle is detected even after its slot was
 * reused by a new party. */
static void test_rule_c9_handle_after_drop_and_reuse(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE old, fresh;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 3);
	old = fx_party(0, 2);
	FX_DO(test, drv_client_drop_party(0, 2, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	fresh = fx_party(0, 2);
	PT_ASSERT_TRUE(test, fresh != NULL && fresh != old);
	PT_EXPECT_EQ(test, pt_handle_index(fx_h(fresh)),
		     pt_handle_index(fx_h(old)));
	fx_snap(&s);
	PT_EXPECT_HANDLE_EQ(test, NdisClDropParty(old, NULL, 0),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C9,
		    "RULE C9 (client-handle-after-drop): NdisClDropParty: "
		    "party handle of a party that ended handle=P2.1 "
		    "party=DEAD vc=NONE");
	EXPECT_UNCHANGED(test, s);
	PT_EXPECT_EQ(test, fx_party_state(fresh), PT_ACTIVE);
	cn_verifier_clear();
	NdisClDropParty((NDIS_HANDLE)(uintptr_t)0x1234, NULL, 0);
	EXPECT_ONLY(test, CN_RULE_C9,
		    "RULE C9 (client-handle-after-drop): NdisClDropParty: not "
		    "a party handle handle=0x1234 party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c11_close_with_two_parties(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	fx_snap(&s);
	NdisClCloseCall(fx_vc(0), fx_party(0, 0), NULL, 0);
	EXPECT_ONLY(test, CN_RULE_C11,
		    "RULE C11 (close-call-one-party): NdisClCloseCall: close "
		    "with more than one party left handle=P0.1 party=ACTIVE "
		    "vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c12_party_live_at_end(struct pt_test *test)
{
	struct cn_end_report r;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	PT_EXPECT_ERR(test, cn_engine_check_end(&r), PT_E_STATE);
	PT_EXPECT_EQ(test, r.live_parties, 1);
	EXPECT_ONLY(test, CN_RULE_C12,
		    "RULE C12 (party-ends-once): EndOfRun: party still live "
		    "at the end handle=P0.1 party=ACTIVE vc=CONNECTED");
	fx_end();
}

static void test_rule_c13_incoming_drop_of_last(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_snap(&s);
	NdisCmDispatchIncomingDropParty(NDIS_STATUS_SUCCESS, fx_party(0, 0),
					NULL, 0);
	EXPECT_ONLY(test, CN_RULE_C13,
		    "RULE C13 (incoming-drop-needs-others): "
		    "NdisCmDispatchIncomingDropParty: last connected party "
		    "(use incoming close) handle=P0.1 party=ACTIVE "
		    "vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c14_incoming_drop_unanswered(struct pt_test *test)
{
	struct cn_violation v;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	PT_EXPECT_EQ(test, drv_cm_incoming_drop(1, NDIS_STATUS_SUCCESS),
		     DRV_DONE);
	PT_EXPECT_ERR(test, cn_engine_check_end(NULL), PT_E_STATE);
	/* The other, connected party is still live too: C12. */
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C14), 1);
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C12), 1);
	PT_EXPECT_EQ(test, cn_verifier_total(), 2);
	PT_EXPECT_TRUE(test, cn_verifier_last(&v));
	PT_EXPECT_STREQ(
		test, v.line,
		"partyfuzz: RULE C14 (answer-incoming-drop): EndOfRun: "
		"incoming drop never answered handle=P1.1 "
		"party=REMOTE_DROPPED vc=CONNECTED");
	fx_end();
}

static void test_rule_c15_add_after_incoming_close(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE ph = NULL;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	PT_EXPECT_EQ(test, drv_cm_incoming_close(0, NDIS_STATUS_FAILURE),
		     DRV_DONE);
	fx_snap(&s);
	NdisClAddParty(fx_vc(0), &dummy_ctx, &params, &ph);
	EXPECT_ONLY(test, CN_RULE_C15,
		    "RULE C15 (incoming-close-teardown): NdisClAddParty: "
		    "NdisClAddParty after an incoming close handle=V0.1 "
		    "party=NONE vc=REMOTE_CLOSED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c15_incoming_close_unanswered(struct pt_test *test)
{
	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, drv_cm_incoming_close(0, NDIS_STATUS_SUCCESS),
		     DRV_DONE);
	PT_EXPECT_ERR(test, cn_engine_check_end(NULL), PT_E_STATE);
	EXPECT_ONLY(test, CN_RULE_C15,
		    "RULE C15 (incoming-close-teardown): EndOfRun: incoming "
		    "close never answered handle=V0.1 party=NONE "
		    "vc=REMOTE_CLOSED");
	fx_end();
}

static void test_rule_c16_add_success_null_context(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	NdisCmAddPartyComplete(NDIS_STATUS_SUCCESS, pending_handle(1), NULL,
			       &params);
	EXPECT_ONLY(test, CN_RULE_C16,
		    "RULE C16 (cm-party-context): NdisCmAddPartyComplete: "
		    "SUCCESS with a NULL CallMgrPartyContext handle=P1.1 "
		    "party=ADDING vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c17_p2p_party_context(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_HANDLE_EQ(test, NdisCmActivateVc(fx_vc(0), &params),
			    NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	NdisCmMakeCallComplete(NDIS_STATUS_SUCCESS, fx_vc(0), NULL, &dummy_ctx,
			       &params);
	EXPECT_ONLY(test, CN_RULE_C17,
		    "RULE C17 (p2p-null-cm-party-context): "
		    "NdisCmMakeCallComplete: CallMgrPartyContext on a "
		    "point-to-point call handle=V0.1 party=NONE vc=MAKING");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c18_cm_handle_after_drop(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE h;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 3);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	h = pending_handle(1);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	fx_snap(&s);
	NdisCmDispatchIncomingDropParty(NDIS_STATUS_SUCCESS, h, NULL, 0);
	EXPECT_ONLY(test, CN_RULE_C18,
		    "RULE C18 (cm-handle-after-end): "
		    "NdisCmDispatchIncomingDropParty: party handle of a party "
		    "that ended handle=P1.1 party=DEAD vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c19_complete_after_sync_drop(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE h;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 3);
	h = fx_party(0, 1);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	NdisCmDropPartyComplete(NDIS_STATUS_SUCCESS, h);
	EXPECT_ONLY(test, CN_RULE_C19,
		    "RULE C19 (sync-drop-not-completed): "
		    "NdisCmDropPartyComplete: the drop already returned "
		    "SUCCESS synchronously handle=P1.1 party=DEAD vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c21_close_complete_wrong_party(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_HANDLE_EQ(test, NdisCmDeactivateVc(fx_vc(0)),
			    NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	NdisCmCloseCallComplete(NDIS_STATUS_SUCCESS, fx_vc(0), NULL);
	EXPECT_ONLY(test, CN_RULE_C21,
		    "RULE C21 (close-complete-party): "
		    "NdisCmCloseCallComplete: not the party being closed "
		    "handle=NULL party=NONE vc=CLOSING");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c22_success_before_activation(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_MINIPORT, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	NdisMCmMakeCallComplete(NDIS_STATUS_SUCCESS, fx_vc(0),
				pending_handle(1), &dummy_ctx, &params);
	EXPECT_ONLY(test, CN_RULE_C22,
		    "RULE C22 (activate-deactivate): NdisMCmMakeCallComplete: "
		    "make call completed with SUCCESS before activation "
		    "handle=V0.1 party=NONE vc=MAKING");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c22_close_failed_after_deactivation(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_HANDLE_EQ(test, NdisCmDeactivateVc(fx_vc(0)),
			    NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	NdisCmCloseCallComplete(NDIS_STATUS_FAILURE, fx_vc(0),
				pending_handle(1));
	EXPECT_ONLY(test, CN_RULE_C22,
		    "RULE C22 (activate-deactivate): NdisCmCloseCallComplete: "
		    "close failed after the VC was deactivated handle=V0.1 "
		    "party=NONE vc=CLOSING");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/* C23: a send on a VC whose NdisClCloseCall pends is rejected (B17). */
static void test_rule_c23_send_after_close(struct pt_test *test)
{
	NET_BUFFER_LIST nbl;
	struct fx_snap s;

	memset(&nbl, 0, sizeof(nbl));
	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	NdisCoSendNetBufferLists(fx_vc(0), &nbl, 0);
	EXPECT_ONLY(test, CN_RULE_C23,
		    "RULE C23 (no-sends-around-close): "
		    "NdisCoSendNetBufferLists: send after NdisClCloseCall "
		    "handle=V0.1 party=NONE vc=CLOSING");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/* C23: NdisClCloseCall while a send completion is still queued is
 * rejected; the reference client waits for it. */
static void test_rule_c23_close_with_sends(struct pt_test *test)
{
	struct cn_vc_info vi;
	struct fx_snap s;
	NDIS_STATUS st;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	fx_defer = 1;
	PT_EXPECT_EQ(test, drv_client_send(0), DRV_DONE);
	fx_defer = 0;
	PT_ASSERT_EQ(test, cn_vc_query(fx_vc(0), &vi), PT_OK);
	PT_EXPECT_EQ(test, vi.sends, 1);
	PT_EXPECT_EQ(test, vi.mp_sends, 0);
	PT_EXPECT_EQ(test, cn_dpc_total(), 1);
	PT_EXPECT_EQ(test, drv_client_close_call(0, &st), DRV_REFUSED);
	fx_snap(&s);
	PT_EXPECT_EQ(test, NdisClCloseCall(fx_vc(0), NULL, NULL, 0),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C23,
		    "RULE C23 (no-sends-around-close): NdisClCloseCall: "
		    "NdisClCloseCall with sends outstanding on the VC "
		    "handle=V0.1 party=NONE vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_drain();
	PT_ASSERT_EQ(test, cn_vc_query(fx_vc(0), &vi), PT_OK);
	PT_EXPECT_EQ(test, vi.sends, 0);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, cn_verifier_total(), 1);
	fx_end();
}

/* C23 (C15): no send once ProtocolClIncomingCloseCall ran. */
static void test_rule_c23_send_after_incoming_close(struct pt_test *test)
{
	NET_BUFFER_LIST nbl;
	struct fx_snap s;

	memset(&nbl, 0, sizeof(nbl));
	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, drv_cm_incoming_close(0, NDIS_STATUS_SUCCESS),
		     DRV_DONE);
	PT_EXPECT_EQ(test, drv_client_send(0), DRV_REFUSED);
	fx_snap(&s);
	NdisCoSendNetBufferLists(fx_vc(0), &nbl, 0);
	EXPECT_ONLY(test, CN_RULE_C23,
		    "RULE C23 (no-sends-around-close): "
		    "NdisCoSendNetBufferLists: send after "
		    "ProtocolClIncomingCloseCall (C15: the client sends "
		    "nothing more) handle=V0.1 party=NONE vc=REMOTE_CLOSED");
	EXPECT_UNCHANGED(test, s);
	FX_DO(test, drv_client_answer(0, &st_), NDIS_STATUS_SUCCESS);
	fx_end();
}

/* C3: an MCM completes a chain it does not hold (never sent, or done). */
static void test_rule_c3_send_complete_not_held(struct pt_test *test)
{
	NET_BUFFER_LIST nbl;
	struct fx_snap s;

	memset(&nbl, 0, sizeof(nbl));
	fx_begin(test, CN_CM_MINIPORT, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, drv_client_send(0), DRV_DONE); /* completed */
	fx_snap(&s);
	NdisMCoSendNetBufferListsComplete(fx_vc(0), &nbl, 0);
	EXPECT_ONLY(test, CN_RULE_C3,
		    "RULE C3 (cm-complete-iff-pended): "
		    "NdisMCoSendNetBufferListsComplete: send completion for a "
		    "chain the miniport does not hold on this VC (never sent "
		    "there, or completed already) handle=V0.1 party=NONE "
		    "vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/* C23 at the end: a chain the MCM never completed. */
static void test_rule_c23_send_never_completed(struct pt_test *test)
{
	struct cn_end_report r;
	struct cn_vc_info vi;

	fx_begin(test, CN_CM_MINIPORT, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 0, &st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	PT_EXPECT_EQ(test, drv_client_send(0), DRV_DONE);
	PT_ASSERT_EQ(test, cn_vc_query(fx_vc(0), &vi), PT_OK);
	PT_EXPECT_EQ(test, vi.sends, 1);
	PT_EXPECT_EQ(test, vi.mp_sends, 1);
	PT_EXPECT_EQ(test, cn_send_held_count(), 1);
	PT_EXPECT_ERR(test, cn_engine_check_end(&r), PT_E_STATE);
	PT_EXPECT_EQ(test, r.sends_owed, 1);
	EXPECT_ONLY(test, CN_RULE_C23,
		    "RULE C23 (no-sends-around-close): EndOfRun: send never "
		    "completed by the miniport handle=V0.1 party=NONE "
		    "vc=CONNECTED");
	/* The MCM completes it after all: the chain goes back, freed. */
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	PT_EXPECT_EQ(test, cn_send_held_count(), 0);
	fx_end();
}

/* C9: an OID request naming a party whose drop pends (B34). */
static void test_rule_c9_oid_after_drop(struct pt_test *test)
{
	NDIS_OID_REQUEST req;
	struct fx_snap s;
	NDIS_HANDLE ph;

	memset(&req, 0, sizeof(req));
	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	ph = fx_party(0, 1);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	PT_EXPECT_EQ(test, NdisCoOidRequest(NULL, NULL, fx_vc(0), ph, &req),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C9,
		    "RULE C9 (client-handle-after-drop): NdisCoOidRequest: "
		    "party handle spent by NdisClDropParty or "
		    "NdisClCloseCall handle=P1.1 party=DROPPING "
		    "vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	/* The VC itself may still be queried; the CM answers at once. */
	PT_EXPECT_EQ(test, NdisCoOidRequest(NULL, NULL, fx_vc(0), NULL, &req),
		     NDIS_STATUS_NOT_SUPPORTED);
	PT_EXPECT_EQ(test, cn_verifier_total(), 1);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	fx_end();
}

/* C18: an OID completion naming a party whose drop completed. */
static void test_rule_c18_oid_complete_dead_party(struct pt_test *test)
{
	NDIS_OID_REQUEST req;
	struct fx_snap s;
	NDIS_HANDLE ph;

	memset(&req, 0, sizeof(req));
	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	ph = fx_party(0, 1);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	NdisCoOidRequestComplete(NULL, fx_vc(0), ph, &req,
				 NDIS_STATUS_SUCCESS);
	EXPECT_ONLY(test, CN_RULE_C18,
		    "RULE C18 (cm-handle-after-end): NdisCoOidRequestComplete: "
		    "party handle of a party that ended handle=P1.1 "
		    "party=DEAD vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/* C18: a stand-alone CM's OID request to the client naming a party
 * whose drop it completed. */
static void test_rule_c18_cm_oid_after_drop(struct pt_test *test)
{
	NDIS_HANDLE ph, cm_binding = NULL;
	NDIS_OID_REQUEST req;
	struct fx_snap s;

	memset(&req, 0, sizeof(req));
	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	ph = fx_party(0, 1);
	/* The call manager's binding: the one its ProtocolCoCreateVc ran
	 * under (the engine's fixed handle, condis_internal.h). */
	cm_binding = (NDIS_HANDLE)(uintptr_t)pt_handle_pack(CN_TAG_NDIS, 1, 2);
	PT_EXPECT_EQ(test,
		     NdisCoOidRequest(cm_binding, NULL, fx_vc(0), ph, &req),
		     NDIS_STATUS_NOT_SUPPORTED); /* the client answers */
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	PT_EXPECT_EQ(test,
		     NdisCoOidRequest(cm_binding, NULL, fx_vc(0), ph, &req),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C18,
		    "RULE C18 (cm-handle-after-end): NdisCoOidRequest: party "
		    "handle of a party that ended handle=P1.1 party=DEAD "
		    "vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c25_delete_active_vc(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE vh;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_snap(&s);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(fx_vc(0)),
			    NDIS_STATUS_NOT_ACCEPTED);
	EXPECT_ONLY(test, CN_RULE_C25,
		    "RULE C25 (delete-vc): NdisCoDeleteVc: VC deleted while "
		    "its call is active handle=V0.1 party=NONE vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	/* A deleted VC's handle stays dead. */
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	vh = fx_vc(0);
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	cn_verifier_clear();
	fx_snap(&s);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C25,
		    "RULE C25 (delete-vc): NdisCoDeleteVc: VC handle of a "
		    "deleted VC handle=V0.1 party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_c26_out_handle_not_null(struct pt_test *test)
{
	struct fx_snap s;
	NDIS_HANDLE vh = (NDIS_HANDLE)&dummy_ctx;

	fx_begin(test, CN_CM_STANDALONE, 0);
	fx_snap(&s);
	NdisCoCreateVc(NULL, NULL, &dummy_ctx, &vh);
	EXPECT_ONLY(test, CN_RULE_C26,
		    "RULE C26 (create-vc-contract): NdisCoCreateVc: "
		    "*NdisVcHandle not NULL on entry handle=NULL party=NONE "
		    "vc=NONE");
	EXPECT_UNCHANGED(test, s);
	PT_EXPECT_TRUE(test, vh == (NDIS_HANDLE)&dummy_ctx);
	fx_end();
}

static void test_rule_r1_drop_while_adding(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	NdisClDropParty(pending_handle(1), NULL, 0);
	EXPECT_ONLY(test, CN_RULE_R1,
		    "RULE R1 (no-teardown-while-setup): NdisClDropParty: drop "
		    "of a party whose setup is in flight handle=P2.1 "
		    "party=ADDING vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_r2_close_while_adding(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	NdisClCloseCall(fx_vc(0), fx_party(0, 0), NULL, 0);
	EXPECT_ONLY(test, CN_RULE_R2,
		    "RULE R2 (close-when-quiescent): NdisClCloseCall: close "
		    "while adds or drops are in flight handle=P0.1 "
		    "party=ACTIVE vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_r3_second_drop(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	NdisClDropParty(pending_handle(1), NULL, 0);
	EXPECT_ONLY(test, CN_RULE_R3,
		    "RULE R3 (one-teardown-per-party): NdisClDropParty: drop "
		    "of a party already being torn down handle=P1.1 "
		    "party=DROPPING vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

static void test_rule_r4_incoming_drop_while_dropping(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 3);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	fx_snap(&s);
	NdisCmDispatchIncomingDropParty(NDIS_STATUS_SUCCESS, pending_handle(1),
					NULL, 0);
	EXPECT_ONLY(test, CN_RULE_R4,
		    "RULE R4 (no-incoming-drop-while-dropping): "
		    "NdisCmDispatchIncomingDropParty: party is being dropped "
		    "or closed handle=P1.1 party=DROPPING vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/*
 * A puppet call manager for the rules checked on a callback's return: its
 * answers are set by the case.
 */
static struct {
	NDIS_HANDLE vh;
	NDIS_STATUS create, drop;
	int null_add_ctx;
	int nasty; /* re-enter NDIS from inside every handler */
} pup;

static NDIS_STATUS pup_create_vc(NDIS_HANDLE af, NDIS_HANDLE vh,
				 PNDIS_HANDLE ctx)
{
	(void)af;
	pup.vh = vh;
	*ctx = &pup;
	if (pup.nasty) /* not issued yet: C25 */
		NdisClMakeCall(vh, &params, NULL, NULL);
	return pup.create;
}

static NDIS_STATUS pup_delete_vc(NDIS_HANDLE ctx)
{
	(void)ctx;
	if (pup.nasty) /* being deleted: C25 */
		NdisClMakeCall(pup.vh, &params, NULL, NULL);
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS pup_make_call(NDIS_HANDLE ctx, PCO_CALL_PARAMETERS cp,
				 NDIS_HANDLE ph, PNDIS_HANDLE pctx)
{
	(void)ctx;
	if (NdisCmActivateVc(pup.vh, cp) != NDIS_STATUS_SUCCESS)
		return NDIS_STATUS_FAILURE;
	if (pup.nasty) { /* completes, then answers SUCCESS too: C3 (E1) */
		NdisCmMakeCallComplete(NDIS_STATUS_SUCCESS, pup.vh, ph, &pup,
				       cp);
		NdisCoDeleteVc(pup.vh); /* C25, NOT_ACCEPTED */
	}
	if (ph != NULL)
		*pctx = &pup;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS pup_add_party(NDIS_HANDLE ctx, PCO_CALL_PARAMETERS cp,
				 NDIS_HANDLE ph, PNDIS_HANDLE pctx)
{
	(void)ctx;
	(void)cp;
	(void)ph;
	*pctx = pup.null_add_ctx ? NULL : &pup;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_HANDLE pup_dropping;
/* >= 0: ProtocolCmDropParty completes pup_dropping inline, then returns
 * PENDING (1) or SUCCESS (0). */
static int pup_inline = -1;

static NDIS_STATUS pup_drop_party(NDIS_HANDLE pctx, PVOID data, UINT size)
{
	(void)pctx;
	(void)data;
	(void)size;
	if (pup_inline >= 0) {
		NdisCmDropPartyComplete(NDIS_STATUS_SUCCESS, pup_dropping);
		return pup_inline ? NDIS_STATUS_PENDING : NDIS_STATUS_SUCCESS;
	}
	if (pup.nasty) {
		NdisCmDropPartyComplete(NDIS_STATUS_SUCCESS, pup_dropping);
		NdisCmDispatchIncomingDropParty(NDIS_STATUS_SUCCESS,
						pup_dropping, NULL, 0);
		NdisClDropParty(pup_dropping, NULL, 0);
	}
	return pup.drop;
}

static NDIS_STATUS pup_close_call(NDIS_HANDLE ctx, NDIS_HANDLE pctx,
				  PVOID data, UINT size)
{
	(void)ctx;
	(void)pctx;
	(void)data;
	(void)size;
	return NdisCmDeactivateVc(pup.vh);
}

static void pup_begin(struct pt_test *test)
{
	struct cn_config cfg = fx_config(0);
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS h;
	NDIS_HANDLE bind;

	if (cn_engine_config() != NULL)
		fx_end();
	memset(&pup, 0, sizeof(pup));
	memset(&h, 0, sizeof(h));
	h.Header.Type = NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	h.CmCreateVcHandler = pup_create_vc;
	h.CmDeleteVcHandler = pup_delete_vc;
	h.CmMakeCallHandler = pup_make_call;
	h.CmAddPartyHandler = pup_add_party;
	h.CmDropPartyHandler = pup_drop_party;
	h.CmCloseCallHandler = pup_close_call;
	PT_ASSERT_OK(test, cn_engine_create(&cfg));
	PT_ASSERT_OK(test, drv_client_register(4));
	PT_ASSERT_OK(test, cn_register_call_manager(CN_CM_STANDALONE, &h, NULL,
						    &bind));
}

static void test_rule_c20_close_data_accepted(struct pt_test *test)
{
	char data[4] = "bye";

	pup_begin(test);
	pmp_with(test, 2);
	NdisClDropParty(fx_party(0, 1), data, sizeof(data));
	EXPECT_ONLY(test, CN_RULE_C20,
		    "RULE C20 (close-data-invalid): NdisClDropParty: "
		    "ProtocolCmDropParty accepted close data the medium does "
		    "not support handle=P1.1 party=DROPPING vc=CONNECTED");
	FX_VALID(test);
	fx_end();
}

static void test_rule_c26_create_vc_pended(struct pt_test *test)
{
	NDIS_STATUS st;

	pup_begin(test);
	pup.create = NDIS_STATUS_PENDING;
	PT_EXPECT_EQ(test, drv_client_create_vc(&st), DRV_DONE);
	PT_EXPECT_HANDLE_EQ(test, st, NDIS_STATUS_FAILURE);
	EXPECT_ONLY(test, CN_RULE_C26,
		    "RULE C26 (create-vc-contract): NdisCoCreateVc: "
		    "ProtocolCoCreateVc returned PENDING handle=V0.1 "
		    "party=NONE vc=IDLE");
	PT_EXPECT_EQ(test, drv_client_vc_count(), 0);
	FX_VALID(test);
	fx_end();
}

static void test_rule_c16_sync_add_null_context(struct pt_test *test)
{
	pup_begin(test);
	pmp_with(test, 1);
	pup.null_add_ctx = 1;
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	EXPECT_ONLY(test, CN_RULE_C16,
		    "RULE C16 (cm-party-context): NdisClAddParty: "
		    "ProtocolCmAddParty returned SUCCESS with a NULL "
		    "CallMgrPartyContext handle=P1.1 party=ADDING "
		    "vc=CONNECTED");
	fx_end();
}

/* A call manager that re-enters NDIS from inside its handlers: every
 * nested call that would move the object under the handler is rejected by
 * its rule. A completion from inside the handler is legal (A12, E1 of
 * condis_ddi.c): the request then returns PENDING, and the handler's own
 * SUCCESS on top of it is C3. */
static void test_reentrant_cm(struct pt_test *test)
{
	pup_begin(test);
	pup.nasty = 1;
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C25), 2);
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C3), 1);
	PT_EXPECT_EQ(test, cn_verifier_total(), 3);
	PT_EXPECT_EQ(test, fx_vc_state(0), CN_VC_CONNECTED);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	cn_verifier_clear();
	pup_dropping = fx_party(0, 1);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	/* The drop completed inline: the party is gone for the incoming drop
	 * (C18) and for the client's second drop (C9). */
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C3), 1);
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C18), 1);
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C9), 1);
	PT_EXPECT_EQ(test, cn_verifier_total(), 3);
	PT_EXPECT_EQ(test, cn_party_query(pup_dropping, NULL), PT_E_STALE);
	FX_DO(test, drv_client_close_call(0, &st_), NDIS_STATUS_SUCCESS);
	cn_verifier_clear();
	FX_DO(test, drv_client_delete_vc(0, &st_), NDIS_STATUS_SUCCESS);
	EXPECT_ONLY(test, CN_RULE_C25,
		    "RULE C25 (delete-vc): NdisClMakeCall: VC handle of a "
		    "deleted VC handle=V0.1 party=NONE vc=NONE");
	PT_EXPECT_OK(test, cn_engine_check_end(NULL));
	fx_end();
}

/*
 * C10 and C8 at a free through NDIS (ndis_services.c, F1): the context of
 * a party whose drop pends, then the CallParameters of an add that pends.
 * Both frees are reported and refused (the reference client's memory
 * stays valid: the drop then completes into it).
 */
static void test_rule_c10_free_context_while_dropping(struct pt_test *test)
{
	struct cn_party_info pi;
	NDIS_HANDLE ph;

	pup_begin(test);
	pmp_with(test, 2);
	pup.drop = NDIS_STATUS_PENDING;
	ph = fx_party(0, 1);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	PT_ASSERT_OK(test, cn_party_query(ph, &pi));
	NdisFreeMemory(pi.ProtocolPartyContext, 0, 0);
	EXPECT_ONLY(test, CN_RULE_C10,
		    "RULE C10 (party-context-until-drop-complete): "
		    "NdisFreeMemory: ProtocolPartyContext freed before its "
		    "party ended (NDIS hands it to the client until then) "
		    "handle=P1.1 party=NONE vc=NONE");
	NdisCmDropPartyComplete(NDIS_STATUS_SUCCESS, ph);
	PT_EXPECT_EQ(test, cn_verifier_total(), 1);
	PT_EXPECT_EQ(test, drv_client_party_count(0), 1);
	FX_VALID(test);
	fx_end();
}

static void test_rule_c8_free_params_while_adding(struct pt_test *test)
{
	struct cn_party_info pi;
	struct cn_pending_info q;
	uint32_t cur = 0;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	PT_ASSERT_TRUE(test, cn_pending_next(&cur, &q));
	PT_ASSERT_OK(test, cn_party_query(q.party, &pi));
	/* The party context of an add in flight. */
	NdisFreeMemory(pi.ProtocolPartyContext, 0, 0);
	EXPECT_ONLY(test, CN_RULE_C8,
		    "RULE C8 (client-contexts-alive): NdisFreeMemory: "
		    "CallParameters or ProtocolPartyContext of a pending "
		    "NdisClMakeCall/AddParty freed handle=P1.1 party=NONE "
		    "vc=NONE");
	FX_VALID(test);
	fx_end();
}

/*
 * A12 (E1): a drop completed from inside ProtocolCmDropParty, which then
 * returns PENDING, is legal: no report, the client's handler has run
 * before NdisClDropParty returned PENDING, the party is gone and the
 * exactly-once counts balance. The same completion followed by SUCCESS is
 * C3, on the request, and the client still sees PENDING.
 */
static void test_a12_inline_drop_completion(struct pt_test *test)
{
	struct cn_stats st;

	pup_begin(test);
	pmp_with(test, 3);
	pup_inline = 1;
	pup_dropping = fx_party(0, 1);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_EQ(test, cn_party_query(pup_dropping, NULL), PT_E_STALE);
	PT_EXPECT_EQ(test, drv_client_party_count(0), 2);
	cn_engine_stats(&st);
	PT_EXPECT_EQ(test, st.cm_pended, st.cm_completed);
	PT_EXPECT_EQ(test, st.client_pended, st.client_completed);
	PT_EXPECT_EQ(test, cn_pending_count(), 0);
	pup_inline = 0;
	pup_dropping = fx_party(0, 1);
	FX_DO(test, drv_client_drop_party(0, 1, &st_), NDIS_STATUS_PENDING);
	EXPECT_ONLY(test, CN_RULE_C3,
		    "RULE C3 (cm-complete-iff-pended): NdisClDropParty: "
		    "ProtocolCmDropParty completed its drop, then returned a "
		    "status other than PENDING handle=P2.1 party=NONE vc=NONE");
	PT_EXPECT_EQ(test, cn_party_query(pup_dropping, NULL), PT_E_STALE);
	pup_inline = -1;
	fx_end();
}

/* Calls a run makes that break C9, C11 and C25 (twice), on VC #0 with
 * at least two parties. */
static void break_some_rules(void)
{
	NdisClDropParty((NDIS_HANDLE)(uintptr_t)0x1234, NULL, 0);
	NdisClCloseCall(fx_vc(0), fx_party(0, 0), NULL, 0);
	NdisCoDeleteVc(fx_vc(0));
	NdisCoDeleteVc(NULL);
}

/*
 * The verifier's counts belong to one run: cn_engine_reset() forgets
 * every rule's count, the total and the last report, so the next run
 * counts only its own reports.
 */
/*
 * C8, live call parameters: the CM changes them on a pended setup
 * (CALL_PARAMETERS_CHANGED), NDIS reads them at the completion and hands
 * them to the client, which frees them there (through NDIS, no report).
 */
static void test_c8_params_changed_by_cm(struct pt_test *test)
{
	struct drv_client_stats cs;
	struct cn_stats es;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_make_call(0, 1, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	fx_will(DRV_PEND, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	fx_will(DRV_SYNC_SUCCESS, 0);
	FX_DO(test, drv_client_add_party(0, &st_), NDIS_STATUS_SUCCESS);
	cn_engine_stats(&es);
	drv_client_stats(&cs);
	PT_EXPECT_EQ(test, es.params_changed, 2);
	PT_EXPECT_EQ(test, cs.params_changed, 2); /* the sync add: unchanged */
	PT_EXPECT_EQ(test, cs.protocol_errors, 0);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	FX_VALID(test);
	fx_end();
}

/* C28: the family closed with a call still up on it. */
static void test_rule_c28_close_af_with_call(struct pt_test *test)
{
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_snap(&s);
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(drv_client_af()),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28,
		    "RULE C28 (af-close-order): NdisClCloseAddressFamily: "
		    "NdisClCloseAddressFamily with a call still open on the "
		    "family (close every call first) handle=V0.1 party=NONE "
		    "vc=CONNECTED");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/* C28: a call on a VC of a family the client closed; then its close
 * completed by a CM that never pended it. */
static void test_rule_c28_call_on_closed_af(struct pt_test *test)
{
	NDIS_HANDLE af, ph = NULL;
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	af = drv_client_af();
	/* Behind the client's back (its own close deletes its VCs first). */
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(af), NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	PT_EXPECT_EQ(test, NdisClMakeCall(fx_vc(0), &params, &dummy_ctx, &ph),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28,
		    "RULE C28 (af-close-order): NdisClMakeCall: "
		    "NdisClMakeCall on a VC of an address family that is "
		    "closing or closed handle=V0.1 party=NONE vc=IDLE");
	EXPECT_UNCHANGED(test, s);
	PT_EXPECT_TRUE(test, ph == NULL);
	cn_verifier_clear();
	NdisCmCloseAddressFamilyComplete(NDIS_STATUS_SUCCESS, af);
	EXPECT_ONLY(test, CN_RULE_C28,
		    "RULE C28 (af-close-order): "
		    "NdisCmCloseAddressFamilyComplete: address-family close "
		    "completed after it was over (answered at once, or "
		    "completed already) handle=AF party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/*
 * The call manager's close of the family (A18). A PMP call with a close
 * the CM pends: the reference client's ProtocolClNotifyCloseAf can only
 * start the teardown, so the notification pends.
 */
static NDIS_HANDLE notify_pended(struct pt_test *test)
{
	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 1);
	fx_will(DRV_PEND, 0);
	PT_EXPECT_EQ(test, drv_cm_notify_close_af(), DRV_DONE);
	PT_EXPECT_EQ(test, cn_pending_count(), 1); /* the close */
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	return drv_client_af();
}

/* C28: a second notification while the first pends. */
static void test_rule_c28_notify_twice(struct pt_test *test)
{
	NDIS_HANDLE af = notify_pended(test);
	struct fx_snap s;

	fx_snap(&s);
	PT_EXPECT_EQ(test, NdisCmNotifyCloseAddressFamily(af),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28,
		    "RULE C28 (af-close-order): NdisCmNotifyCloseAddressFamily: "
		    "Ndis(M)CmNotifyCloseAddressFamily of a family already "
		    "notified (NDIS calls ProtocolClNotifyCloseAf once) "
		    "handle=AF party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	/* The close completes: the client deletes its VC, closes the
	 * family and completes the notification, reporting nothing. */
	cn_verifier_clear();
	PT_EXPECT_EQ(test, drv_cm_complete(0, NDIS_STATUS_SUCCESS), DRV_DONE);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_TRUE(test, drv_client_af() == NULL);
	PT_EXPECT_EQ(test, drv_client_vc_count(), 0);
	FX_VALID(test);
	fx_end();
}

/* C28: a new SAP from a client that was notified. */
static void test_rule_c28_sap_after_notify(struct pt_test *test)
{
	NDIS_HANDLE af = notify_pended(test), sh = NULL;
	struct {
		CO_SAP sap;
		UCHAR more[3];
	} desc = { { 0, 4, { 0 } }, { 0 } };
	struct fx_snap s;

	fx_snap(&s);
	PT_EXPECT_EQ(test, NdisClRegisterSap(af, &dummy_ctx, &desc.sap, &sh),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28,
		    "RULE C28 (af-close-order): NdisClRegisterSap: "
		    "NdisClRegisterSap after ProtocolClNotifyCloseAf (the call "
		    "manager closes the family: tear down only) handle=AF "
		    "party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	PT_EXPECT_TRUE(test, sh == NULL);
	fx_end();
}

/* C28: the notification completed with SUCCESS while the family is
 * still open (its close not even asked for: the call is still up). */
static void test_rule_c28_notify_success_family_open(struct pt_test *test)
{
	NDIS_HANDLE af = notify_pended(test);
	struct fx_snap s;

	fx_snap(&s);
	NdisClNotifyCloseAddressFamilyComplete(af, NDIS_STATUS_SUCCESS);
	EXPECT_ONLY(test, CN_RULE_C28,
		    "RULE C28 (af-close-order): "
		    "NdisClNotifyCloseAddressFamilyComplete: "
		    "NdisClNotifyCloseAddressFamilyComplete with SUCCESS and "
		    "the family still open (close it first) handle=AF "
		    "party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/* C28: a notification of a family the client closed. */
static void test_rule_c28_notify_closed_family(struct pt_test *test)
{
	NDIS_HANDLE af;
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	af = drv_client_af();
	FX_DO(test, drv_client_close_family(&st_), NDIS_STATUS_SUCCESS);
	fx_snap(&s);
	PT_EXPECT_EQ(test, NdisCmNotifyCloseAddressFamily(af),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28,
		    "RULE C28 (af-close-order): NdisCmNotifyCloseAddressFamily: "
		    "Ndis(M)CmNotifyCloseAddressFamily of a family that is not "
		    "open handle=AF party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	/* The reference CM knows it (ProtocolCmCloseAf) and does not. */
	PT_EXPECT_EQ(test, drv_cm_notify_close_af(), DRV_NOOP);
	fx_end();
}

/* C3: a completion of a notification nobody pended; C4: PENDING as its
 * status. */
static void test_rule_c3_c4_notify_complete(struct pt_test *test)
{
	NDIS_HANDLE af;
	struct fx_snap s;

	fx_begin(test, CN_CM_STANDALONE, 0);
	af = drv_client_af();
	fx_snap(&s);
	NdisClNotifyCloseAddressFamilyComplete(af, NDIS_STATUS_SUCCESS);
	EXPECT_ONLY(test, CN_RULE_C3,
		    "RULE C3 (cm-complete-iff-pended): "
		    "NdisClNotifyCloseAddressFamilyComplete: no pended close "
		    "notification (ProtocolClNotifyCloseAf did not return "
		    "PENDING) handle=AF party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	cn_verifier_clear();
	NdisClNotifyCloseAddressFamilyComplete(af, NDIS_STATUS_PENDING);
	EXPECT_ONLY(test, CN_RULE_C4,
		    "RULE C4 (no-pending-completion): "
		    "NdisClNotifyCloseAddressFamilyComplete: completion with "
		    "NDIS_STATUS_PENDING handle=AF party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	fx_end();
}

/* C1: the notification above PASSIVE_LEVEL (the reference CM would not:
 * it refuses there). */
static void test_rule_c1_notify_at_dispatch(struct pt_test *test)
{
	NDIS_HANDLE af;
	struct fx_snap s;
	KIRQL old;

	fx_begin(test, CN_CM_STANDALONE, 0);
	af = drv_client_af();
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	PT_EXPECT_EQ(test, drv_cm_notify_close_af(), DRV_REFUSED);
	fx_snap(&s);
	PT_EXPECT_EQ(test, NdisCmNotifyCloseAddressFamily(af),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C1,
		    "RULE C1 (irql): NdisCmNotifyCloseAddressFamily: called "
		    "above PASSIVE_LEVEL handle=AF party=NONE vc=NONE");
	EXPECT_UNCHANGED(test, s);
	KeLowerIrql(old);
	fx_end();
}

/* C3 at the end: a notification the client pended and never completed
 * (here because the CM never completes the close the teardown waits
 * for). */
static void test_rule_c3_notify_never_completed(struct pt_test *test)
{
	struct cn_end_report r;

	(void)notify_pended(test);
	PT_EXPECT_ERR(test, cn_engine_check_end(&r), PT_E_STATE);
	PT_EXPECT_EQ(test, r.notify_owed, 1);
	PT_EXPECT_EQ(test, r.owed_cm_completions, 1); /* the close */
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C3), 2);
	fx_end();
}

static void test_verifier_counts_reset_between_runs(struct pt_test *test)
{
	uint32_t first[CN_RULE_MAX + 1];
	struct cn_violation v;
	int r;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 2);
	break_some_rules();
	for (r = 0; r <= CN_RULE_MAX; r++)
		first[r] = cn_verifier_count(r);
	PT_ASSERT_EQ(test, cn_verifier_total(), 4);
	PT_EXPECT_EQ(test, first[CN_RULE_C25], 2);

	fx_next_run(test, CN_CM_STANDALONE);
	for (r = 0; r <= CN_RULE_MAX; r++)
		PT_EXPECT_EQ(test, cn_verifier_count(r), 0);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_FALSE(test, cn_verifier_last(&v));

	/* The same run again counts the same, not twice as much. */
	pmp_with(test, 2);
	break_some_rules();
	for (r = 0; r <= CN_RULE_MAX; r++)
		PT_EXPECT_EQ(test, cn_verifier_count(r), first[r]);
	PT_EXPECT_EQ(test, cn_verifier_total(), 4);
	PT_EXPECT_TRUE(test, cn_verifier_last(&v));
	PT_EXPECT_STREQ(
		test, v.line,
		"partyfuzz: RULE C25 (delete-vc): NdisCoDeleteVc: NULL "
		"VC handle handle=NULL party=NONE vc=NONE");
	fx_end();
}

/*
 * The catalogue, garbage on every DDI, and the abort-mode report.
 */

static void test_catalogue(struct pt_test *test)
{
	int r, engine = 0, out = 0;

	for (r = 1; r <= CN_RULE_MAX; r++) {
		PT_EXPECT_TRUE(test, strcmp(cn_rule_id(r), "?") != 0);
		PT_EXPECT_TRUE(test, strlen(cn_rule_name(r)) > 0);
		PT_EXPECT_TRUE(test, strlen(cn_rule_message(r)) > 0);
		PT_EXPECT_EQ(test, cn_rule_parse(cn_rule_id(r)), r);
		engine += cn_rule_scope(r) == CN_SCOPE_ENGINE;
		out += cn_rule_scope(r) == CN_SCOPE_OUT;
	}
	PT_EXPECT_STREQ(test, cn_rule_id(CN_RULE_C9), "C9");
	PT_EXPECT_STREQ(test, cn_rule_id(CN_RULE_R4), "R4");
	PT_EXPECT_EQ(test, cn_rule_parse("r2"), CN_RULE_R2);
	PT_EXPECT_EQ(test, cn_rule_parse("C29"), CN_RULE_NONE);
	PT_EXPECT_EQ(test, cn_rule_scope(CN_RULE_C23), CN_SCOPE_ENGINE);
	PT_EXPECT_EQ(test, cn_rule_scope(CN_RULE_C24), CN_SCOPE_ENGINE);
	PT_EXPECT_EQ(test, cn_rule_scope(CN_RULE_C27), CN_SCOPE_ENGINE);
	PT_EXPECT_EQ(test, cn_rule_scope(CN_RULE_C28), CN_SCOPE_ENGINE);
	PT_EXPECT_EQ(test, out, 0);
	/* C10, C24: frees through NDIS; C23: sends; C27: CM-created VCs;
	 * C28: the address-family close order */
	PT_EXPECT_EQ(test, engine, 29);
}

/* Every DDI with NULL, garbage, foreign and stale handles: rejected or
 * answered by a documented status, never a crash, state unchanged. */
static void test_garbage_handles_everywhere(struct pt_test *test)
{
	NDIS_HANDLE dead_party, dead_vc, vh2 = NULL, h;
	NDIS_HANDLE bad[6];
	struct fx_snap s;
	unsigned i;

	fx_begin(test, CN_CM_STANDALONE, 0);
	pmp_with(test, 3);
	dead_party = fx_party(0, 2);
	FX_DO(test, drv_client_drop_party(0, 2, &st_), NDIS_STATUS_SUCCESS);
	FX_DO(test, drv_client_create_vc(&st_), NDIS_STATUS_SUCCESS);
	dead_vc = fx_vc(1);
	FX_DO(test, drv_client_delete_vc(1, &st_), NDIS_STATUS_SUCCESS);
	bad[0] = NULL;
	bad[1] = (NDIS_HANDLE)(uintptr_t)1;
	bad[2] = (NDIS_HANDLE)(uintptr_t)0xdeadbeefcafef00dull;
	bad[3] = dead_party;
	bad[4] = dead_vc;
	bad[5] = &dummy_ctx; /* a real pointer: foreign */
	fx_snap(&s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h = NULL;
		NdisClDropParty(bad[i], NULL, 0);
		NdisClCloseCall(bad[i], NULL, NULL, 0);
		NdisClCloseCall(fx_vc(0), bad[i], NULL, 0);
		NdisClAddParty(bad[i], &dummy_ctx, &params, &h);
		NdisClMakeCall(bad[i], &params, &dummy_ctx, &h);
		NdisCoDeleteVc(bad[i]);
		NdisCmActivateVc(bad[i], &params);
		NdisCmDeactivateVc(bad[i]);
		NdisCmMakeCallComplete(NDIS_STATUS_SUCCESS, bad[i], bad[i],
				       &dummy_ctx, &params);
		NdisCmAddPartyComplete(NDIS_STATUS_SUCCESS, bad[i], &dummy_ctx,
				       &params);
		NdisCmDropPartyComplete(NDIS_STATUS_FAILURE, bad[i]);
		NdisCmCloseCallComplete(NDIS_STATUS_SUCCESS, bad[i], bad[i]);
		NdisCmCloseCallComplete(NDIS_STATUS_SUCCESS, fx_vc(0), bad[i]);
		NdisCmDispatchIncomingDropParty(NDIS_STATUS_SUCCESS, bad[i],
						NULL, 0);
		NdisCmDispatchIncomingCloseCall(NDIS_STATUS_SUCCESS, bad[i],
						NULL, 0);
		NdisMCmDropPartyComplete(NDIS_STATUS_SUCCESS, bad[i]);
		NdisMCmDeleteVc(bad[i]);
		NdisCoCreateVc(bad[i], bad[i], NULL, &vh2);
		PT_EXPECT_TRUE(test, h == NULL && vh2 == NULL);
		EXPECT_UNCHANGED(test, s);
	}
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_NONE), 0);
	PT_EXPECT_TRUE(test, cn_verifier_total() >= 6 * 15);
	fx_end();
}

/* Abort mode: the report line, the trace, then SIGABRT. */
static void test_abort_mode_report(struct pt_test *test)
{
	int fds[2], status = 0;
	char out[8192];
	ssize_t n, len = 0;
	pid_t pid;

	PT_ASSERT_TRUE(test, pipe(fds) == 0);
	fflush(stdout);
	pid = fork();
	PT_ASSERT_TRUE(test, pid >= 0);
	if (pid == 0) {
		struct cn_config cfg = fx_config(0);
		struct pt_test child;

		memset(&child, 0, sizeof(child));
		dup2(fds[1], 2);
		close(fds[0]);
		fx_begin_cfg(&child, &cfg, CN_CM_STANDALONE);
		pmp_with(&child, 2);
		cn_verifier_set_mode(CN_VERIFY_ABORT);
		NdisClDropParty((NDIS_HANDLE)(uintptr_t)0x1234, NULL, 0);
		_exit(0); /* not reached */
	}
	close(fds[1]);
	while ((n = read(fds[0], out + len, sizeof(out) - 1 - (size_t)len)) >
	       0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	PT_ASSERT_TRUE(test, waitpid(pid, &status, 0) == pid);
	PT_EXPECT_TRUE(test,
		       WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	PT_EXPECT_TRUE(
		test, strstr(out, "partyfuzz: RULE C9 (client-handle-after-"
				  "drop): NdisClDropParty: not a party handle "
				  "handle=0x1234 party=NONE vc=NONE") != NULL);
	PT_EXPECT_TRUE(test,
		       strstr(out, "NdisClAddParty V0.1 -> SUCCESS") != NULL);
	PT_EXPECT_TRUE(test, strstr(out, "!! RULE C9") != NULL);
}

static const struct pt_test_case cases[] = {
	PT_TEST_CASE(test_rule_c1_ddi_above_dispatch),
	PT_TEST_CASE(test_rule_c1_ke_wrong_direction),
	PT_TEST_CASE(test_rule_c2_undelivered_completion),
	PT_TEST_CASE(test_rule_c3_completion_not_pended),
	PT_TEST_CASE(test_rule_c3_never_completed),
	PT_TEST_CASE(test_rule_c4_pending_status),
	PT_TEST_CASE(test_rule_c5_wrong_family),
	PT_TEST_CASE(test_rule_c6_add_party_on_p2p),
	PT_TEST_CASE(test_rule_c7_handle_of_failed_add),
	PT_TEST_CASE(test_rule_c8_null_party_context),
	PT_TEST_CASE(test_rule_c9_handle_after_drop_and_reuse),
	PT_TEST_CASE(test_rule_c11_close_with_two_parties),
	PT_TEST_CASE(test_rule_c12_party_live_at_end),
	PT_TEST_CASE(test_rule_c13_incoming_drop_of_last),
	PT_TEST_CASE(test_rule_c14_incoming_drop_unanswered),
	PT_TEST_CASE(test_rule_c15_add_after_incoming_close),
	PT_TEST_CASE(test_rule_c15_incoming_close_unanswered),
	PT_TEST_CASE(test_rule_c16_add_success_null_context),
	PT_TEST_CASE(test_rule_c16_sync_add_null_context),
	PT_TEST_CASE(test_rule_c17_p2p_party_context),
	PT_TEST_CASE(test_rule_c18_cm_handle_after_drop),
	PT_TEST_CASE(test_rule_c19_complete_after_sync_drop),
	PT_TEST_CASE(test_rule_c20_close_data_accepted),
	PT_TEST_CASE(test_rule_c21_close_complete_wrong_party),
	PT_TEST_CASE(test_rule_c22_success_before_activation),
	PT_TEST_CASE(test_rule_c22_close_failed_after_deactivation),
	PT_TEST_CASE(test_rule_c23_send_after_close),
	PT_TEST_CASE(test_rule_c23_close_with_sends),
	PT_TEST_CASE(test_rule_c23_send_after_incoming_close),
	PT_TEST_CASE(test_rule_c3_send_complete_not_held),
	PT_TEST_CASE(test_rule_c23_send_never_completed),
	PT_TEST_CASE(test_rule_c9_oid_after_drop),
	PT_TEST_CASE(test_rule_c18_oid_complete_dead_party),
	PT_TEST_CASE(test_rule_c18_cm_oid_after_drop),
	PT_TEST_CASE(test_rule_c25_delete_active_vc),
	PT_TEST_CASE(test_rule_c26_out_handle_not_null),
	PT_TEST_CASE(test_rule_c26_create_vc_pended),
	PT_TEST_CASE(test_rule_r1_drop_while_adding),
	PT_TEST_CASE(test_rule_r2_close_while_adding),
	PT_TEST_CASE(test_rule_r3_second_drop),
	PT_TEST_CASE(test_rule_r4_incoming_drop_while_dropping),
	PT_TEST_CASE(test_reentrant_cm),
	PT_TEST_CASE(test_a12_inline_drop_completion),
	PT_TEST_CASE(test_rule_c10_free_context_while_dropping),
	PT_TEST_CASE(test_rule_c8_free_params_while_adding),
	PT_TEST_CASE(test_c8_params_changed_by_cm),
	PT_TEST_CASE(test_rule_c28_close_af_with_call),
	PT_TEST_CASE(test_rule_c28_call_on_closed_af),
	PT_TEST_CASE(test_rule_c28_notify_twice),
	PT_TEST_CASE(test_rule_c28_sap_after_notify),
	PT_TEST_CASE(test_rule_c28_notify_success_family_open),
	PT_TEST_CASE(test_rule_c28_notify_closed_family),
	PT_TEST_CASE(test_rule_c3_c4_notify_complete),
	PT_TEST_CASE(test_rule_c1_notify_at_dispatch),
	PT_TEST_CASE(test_rule_c3_notify_never_completed),
	PT_TEST_CASE(test_verifier_counts_reset_between_runs),
	PT_TEST_CASE(test_catalogue),
	PT_TEST_CASE(test_garbage_handles_everywhere),
	PT_TEST_CASE(test_abort_mode_report),
	PT_TEST_END,
};

PT_TEST_MAIN("condis_rules", cases)
