/*
 * test_condis_incoming.c - VCs the call manager creates: incoming calls
 * (core/src/condis_incoming.c, rows V10..V14), and the rules they bring:
 * C24 (the client's VC context lives until ProtocolCoDeleteVc), C25 (only
 * the CM deletes such a VC, and it does), C27 (no use of the VC handle
 * after the close completed), C3/C13/C22 for the dispatch, the answer and
 * call-connected. A scripted client and CM, registered through the
 * engine's shortcut (cn_register_client, cn_register_call_manager), record
 * every callback they get.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partyfuzz/condis.h"
#include "pt_test.h"

/* What the scripted drivers saw and will answer. */
static struct {
	NDIS_HANDLE cl_bind, cl_af, cm_bind, sap;
	NDIS_STATUS incoming_answer; /* ProtocolClIncomingCall's status */
	int complete_inside;         /* answer from inside the handler */
	int defer;                   /* deliveries queued as DPCs on CPU 1 */
	int free_at_close;           /* NdisFreeMemory the VC context in
				      * ProtocolClCloseCallComplete */
	NDIS_HANDLE vc_handle;       /* from ProtocolCoCreateVc */
	void *vc_ctx;                /* the client's ProtocolVcContext */
	int created, deleted, offered, connected, cm_completed;
	int closed;
	NDIS_STATUS cm_status;
	NDIS_HANDLE cm_ctx_seen;
	PCO_CALL_PARAMETERS cm_params_seen;
} T;

static CO_CALL_PARAMETERS params;
static CO_SAP sap_desc;
static int cm_vc_ctx = 7; /* the CM's CallMgrVcContext */

/* Client */
static NDIS_STATUS cl_create_vc(NDIS_HANDLE af, NDIS_HANDLE vh,
				PNDIS_HANDLE ctx)
{
	(void)af;
	T.created++;
	T.vc_handle = vh;
	T.vc_ctx = NdisAllocateMemoryWithTagPriority(NULL, 32, 'tsti',
						     NormalPoolPriority);
	*ctx = T.vc_ctx;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cl_delete_vc(NDIS_HANDLE ctx)
{
	T.deleted++;
	if (ctx == T.vc_ctx && ctx != NULL) {
		NdisFreeMemory(ctx, 0, 0);
		T.vc_ctx = NULL;
	}
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cl_incoming_call(NDIS_HANDLE sap_ctx, NDIS_HANDLE vc_ctx,
				    PCO_CALL_PARAMETERS cp)
{
	(void)sap_ctx;
	(void)vc_ctx;
	T.offered++;
	if (T.complete_inside)
		NdisClIncomingCallComplete(NDIS_STATUS_SUCCESS, T.vc_handle,
					   cp);
	return T.incoming_answer;
}

static void cl_call_connected(NDIS_HANDLE vc_ctx)
{
	(void)vc_ctx;
	T.connected++;
}

static void cl_close_complete(NDIS_STATUS st, NDIS_HANDLE vc_ctx,
			      NDIS_HANDLE party_ctx)
{
	(void)st;
	(void)party_ctx;
	T.closed++;
	if (T.free_at_close)
		NdisFreeMemory(vc_ctx, 0, 0);
}

static void cl_make_complete(NDIS_STATUS st, NDIS_HANDLE v, NDIS_HANDLE p,
			     PCO_CALL_PARAMETERS cp)
{
	(void)st, (void)v, (void)p, (void)cp;
}

static void cl_add_complete(NDIS_STATUS st, NDIS_HANDLE c, NDIS_HANDLE p,
			    PCO_CALL_PARAMETERS cp)
{
	(void)st, (void)c, (void)p, (void)cp;
}

static void cl_drop_complete(NDIS_STATUS st, NDIS_HANDLE c)
{
	(void)st, (void)c;
}

static void cl_incoming_drop(NDIS_STATUS st, NDIS_HANDLE c, PVOID b, UINT n)
{
	(void)st, (void)c, (void)b, (void)n;
}

static void cl_incoming_close(NDIS_STATUS st, NDIS_HANDLE c, PVOID b, UINT n)
{
	(void)st, (void)c, (void)b, (void)n;
}

/* Call manager */
static NDIS_STATUS cm_create_vc(NDIS_HANDLE af, NDIS_HANDLE vh,
				PNDIS_HANDLE ctx)
{
	(void)af, (void)vh;
	*ctx = &cm_vc_ctx;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cm_delete_vc(NDIS_HANDLE ctx)
{
	(void)ctx;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cm_make_call(NDIS_HANDLE v, PCO_CALL_PARAMETERS cp,
				NDIS_HANDLE ph, PNDIS_HANDLE pc)
{
	(void)v, (void)cp, (void)ph, (void)pc;
	return NDIS_STATUS_FAILURE;
}

static NDIS_STATUS cm_close_call(NDIS_HANDLE v, NDIS_HANDLE p, PVOID b, UINT n)
{
	(void)v, (void)p, (void)b, (void)n;
	return NdisCmDeactivateVc(T.vc_handle);
}

static NDIS_STATUS cm_add_party(NDIS_HANDLE v, PCO_CALL_PARAMETERS cp,
				NDIS_HANDLE ph, PNDIS_HANDLE pc)
{
	(void)v, (void)cp, (void)ph, (void)pc;
	return NDIS_STATUS_FAILURE;
}

static NDIS_STATUS cm_drop_party(NDIS_HANDLE p, PVOID b, UINT n)
{
	(void)p, (void)b, (void)n;
	return NDIS_STATUS_FAILURE;
}

static void cm_incoming_complete(NDIS_STATUS st, NDIS_HANDLE ctx,
				 PCO_CALL_PARAMETERS cp)
{
	T.cm_completed++;
	T.cm_status = st;
	T.cm_ctx_seen = ctx;
	T.cm_params_seen = cp;
}

static int choose(void *arg, enum cn_fn cb, uint32_t *cpu)
{
	(void)arg, (void)cb;
	*cpu = 1;
	return T.defer;
}

static void begin(struct pt_test *test, enum cn_cm_kind kind)
{
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS cl;
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS cm;
	struct cn_config cfg;

	if (cn_engine_config() != NULL)
		cn_engine_destroy();
	memset(&T, 0, sizeof(T));
	T.incoming_answer = NDIS_STATUS_SUCCESS;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_vcs = 4;
	cfg.max_parties = 8;
	cfg.cpu_count = 2;
	cfg.dpc_capacity = 8;
	cfg.trace_capacity = 256;
	cfg.mode = CN_VERIFY_RECORD;
	cfg.choose_delivery = choose;
	PT_ASSERT_OK(test, cn_engine_create(&cfg));
	memset(&cl, 0, sizeof(cl));
	cl.Header.Type = NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
	cl.ClCreateVcHandler = cl_create_vc;
	cl.ClDeleteVcHandler = cl_delete_vc;
	cl.ClIncomingCallHandler = cl_incoming_call;
	cl.ClCallConnectedHandler = cl_call_connected;
	cl.ClMakeCallCompleteHandler = cl_make_complete;
	cl.ClCloseCallCompleteHandler = cl_close_complete;
	cl.ClAddPartyCompleteHandler = cl_add_complete;
	cl.ClDropPartyCompleteHandler = cl_drop_complete;
	cl.ClIncomingDropPartyHandler = cl_incoming_drop;
	cl.ClIncomingCloseCallHandler = cl_incoming_close;
	memset(&cm, 0, sizeof(cm));
	cm.Header.Type = NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	cm.CmCreateVcHandler = cm_create_vc;
	cm.CmDeleteVcHandler = cm_delete_vc;
	cm.CmMakeCallHandler = cm_make_call;
	cm.CmCloseCallHandler = cm_close_call;
	cm.CmAddPartyHandler = cm_add_party;
	cm.CmDropPartyHandler = cm_drop_party;
	cm.CmIncomingCallCompleteHandler = cm_incoming_complete;
	PT_ASSERT_OK(test,
		     cn_register_call_manager(kind, &cm, NULL, &T.cm_bind));
	PT_ASSERT_OK(test,
		     cn_register_client(&cl, NULL, &T.cl_bind, &T.cl_af));
	PT_ASSERT_TRUE(test, NdisClRegisterSap(T.cl_af, NULL, &sap_desc,
					       &T.sap) == NDIS_STATUS_SUCCESS);
}

/* The engine gone; a VC context the CM never deleted freed here. */
static void finish(void)
{
	cn_engine_destroy();
	free(T.vc_ctx);
	T.vc_ctx = NULL;
}

static void valid(struct pt_test *test)
{
	char why[256] = "";
	int r = cn_call_validate(why, sizeof(why));

	if (r != PT_OK)
		printf("# cn_call_validate: %s\n", why);
	PT_EXPECT_OK(test, r);
}

/* The report, exactly: the only one so far. */
#define EXPECT_ONLY(test, want, text)                                         \
	do {                                                                  \
		struct cn_violation v_;                                       \
		PT_EXPECT_EQ(test, cn_verifier_count(want), 1);               \
		PT_EXPECT_EQ(test, cn_verifier_total(), 1);                   \
		if (cn_verifier_last(&v_)) {                                  \
			PT_EXPECT_EQ(test, v_.rule, want);                    \
			PT_EXPECT_STREQ(test, v_.line, "partyfuzz: " text);   \
		}                                                             \
	} while (0)

static enum cn_vc_state vc_state(NDIS_HANDLE vh)
{
	struct cn_vc_info vi;

	return cn_vc_query(vh, &vi) == PT_OK ? vi.state : CN_VC_FREE;
}

/* The CM creates a VC: the client's ProtocolCoCreateVc runs. */
static NDIS_HANDLE cm_creates(struct pt_test *test, enum cn_cm_kind kind)
{
	NDIS_HANDLE vh = NULL;
	NDIS_STATUS st =
		kind == CN_CM_MINIPORT
			? NdisMCmCreateVc(T.cm_bind, T.cl_af, &cm_vc_ctx, &vh)
			: NdisCoCreateVc(T.cm_bind, T.cl_af, &cm_vc_ctx, &vh);

	PT_EXPECT_HANDLE_EQ(test, st, NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.created, 1);
	PT_EXPECT_TRUE(test, vh == T.vc_handle && vh != NULL);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_IDLE);
	return vh;
}

/* Offer, accept synchronously, activate, connect. */
static NDIS_HANDLE connected(struct pt_test *test, enum cn_cm_kind kind)
{
	NDIS_HANDLE vh = cm_creates(test, kind);

	PT_EXPECT_HANDLE_EQ(test,
			    NdisCmDispatchIncomingCall(T.sap, vh, &params),
			    NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_ACCEPTED);
	PT_EXPECT_HANDLE_EQ(test,
			    kind == CN_CM_MINIPORT
				    ? NdisMCmActivateVc(vh, &params)
				    : NdisCmActivateVc(vh, &params),
			    NDIS_STATUS_SUCCESS);
	NdisCmDispatchCallConnected(vh);
	PT_EXPECT_EQ(test, T.connected, 1);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_CONNECTED);
	valid(test);
	return vh;
}

static void test_incoming_sync_accept_flow(struct pt_test *test)
{
	struct cn_end_report r;
	NDIS_HANDLE vh;

	begin(test, CN_CM_STANDALONE);
	vh = connected(test, CN_CM_STANDALONE);
	PT_EXPECT_EQ(test, T.offered, 1);
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseCall(vh, NULL, NULL, 0),
			    NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_CLOSED);
	cn_actor_set(CN_ACTOR_CM);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.deleted, 1);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_FREE);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	valid(test);
	PT_EXPECT_OK(test, cn_engine_check_end(&r));
	PT_EXPECT_EQ(test, r.cm_vcs_left, 0);
	PT_EXPECT_EQ(test, cn_coverage_rule(CN_RULE_C27), 0);
	finish();
}

static void test_incoming_pended_accept_mcm(struct pt_test *test)
{
	NDIS_HANDLE vh;

	begin(test, CN_CM_MINIPORT);
	T.incoming_answer = NDIS_STATUS_PENDING;
	vh = cm_creates(test, CN_CM_MINIPORT);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisMCmDispatchIncomingCall(T.sap, vh, &params),
			    NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_OFFERED);
	valid(test);
	NdisClIncomingCallComplete(NDIS_STATUS_SUCCESS, vh, &params);
	PT_EXPECT_EQ(test, T.cm_completed, 1);
	PT_EXPECT_HANDLE_EQ(test, T.cm_status, NDIS_STATUS_SUCCESS);
	PT_EXPECT_TRUE(test, T.cm_ctx_seen == &cm_vc_ctx);
	PT_EXPECT_TRUE(test, T.cm_params_seen == &params);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_ACCEPTED);
	/* Rejected after it was accepted: no pended incoming call. */
	NdisClIncomingCallComplete(NDIS_STATUS_FAILURE, vh, &params);
	EXPECT_ONLY(test, CN_RULE_C3,
		    "RULE C3 (cm-complete-iff-pended): "
		    "NdisClIncomingCallComplete: no pended incoming call on "
		    "this VC handle=V0.1 party=NONE vc=ACCEPTED");
	/* The MCM deleting through NdisCoDeleteVc is C5, then its own. */
	cn_verifier_clear();
	cn_actor_set(CN_ACTOR_MCM);
	PT_EXPECT_HANDLE_EQ(test, NdisMCmDeleteVc(vh),
			    NDIS_STATUS_NOT_ACCEPTED);
	EXPECT_ONLY(test, CN_RULE_C25,
		    "RULE C25 (delete-vc): NdisMCmDeleteVc: VC deleted while "
		    "its call is active handle=V0.1 party=NONE vc=ACCEPTED");
	valid(test);
	finish();
}

static void test_incoming_reject_then_delete(struct pt_test *test)
{
	NDIS_HANDLE vh;

	begin(test, CN_CM_STANDALONE);
	T.incoming_answer = NDIS_STATUS_NOT_ACCEPTED;
	vh = cm_creates(test, CN_CM_STANDALONE);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCmDispatchIncomingCall(T.sap, vh, &params),
			    NDIS_STATUS_NOT_ACCEPTED);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_IDLE);
	/* The client deleting the CM's VC: B15. */
	cn_actor_set(CN_ACTOR_CLIENT);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh),
			    NDIS_STATUS_NOT_ACCEPTED);
	EXPECT_ONLY(test, CN_RULE_C25,
		    "RULE C25 (delete-vc): NdisCoDeleteVc: the client deleted "
		    "a VC the call manager created handle=V0.1 party=NONE "
		    "vc=IDLE");
	PT_EXPECT_EQ(test, T.deleted, 0);
	cn_actor_set(CN_ACTOR_CM);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.deleted, 1);
	valid(test);
	finish();
}

static void test_rule_c27_handle_after_close(struct pt_test *test)
{
	NDIS_HANDLE vh;

	begin(test, CN_CM_STANDALONE);
	vh = connected(test, CN_CM_STANDALONE);
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseCall(vh, NULL, NULL, 0),
			    NDIS_STATUS_SUCCESS);
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseCall(vh, NULL, NULL, 0),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C27,
		    "RULE C27 (cm-vc-after-close): NdisClCloseCall: the "
		    "client used the VC handle after the close of its "
		    "incoming call completed handle=V0.1 party=NONE "
		    "vc=CLOSED");
	cn_verifier_clear();
	cn_actor_set(CN_ACTOR_CLIENT);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh),
			    NDIS_STATUS_NOT_ACCEPTED);
	EXPECT_ONLY(test, CN_RULE_C27,
		    "RULE C27 (cm-vc-after-close): NdisCoDeleteVc: the "
		    "client used the VC handle after the close of its "
		    "incoming call completed handle=V0.1 party=NONE "
		    "vc=CLOSED");
	/* Still C27 once the CM deleted it: the slot's last life. */
	cn_verifier_clear();
	cn_actor_set(CN_ACTOR_CM);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh), NDIS_STATUS_SUCCESS);
	cn_actor_set(CN_ACTOR_CLIENT);
	PT_EXPECT_HANDLE_EQ(test, NdisClMakeCall(vh, &params, NULL, NULL),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C27,
		    "RULE C27 (cm-vc-after-close): NdisClMakeCall: the "
		    "client used the VC handle after the close of its "
		    "incoming call completed handle=V0.1 party=NONE "
		    "vc=NONE");
	cn_verifier_clear();
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C27,
		    "RULE C27 (cm-vc-after-close): NdisCoDeleteVc: the "
		    "client used the VC handle after the close of its "
		    "incoming call completed handle=V0.1 party=NONE "
		    "vc=NONE");
	valid(test);
	finish();
}

static void test_rule_c24_vc_context_freed_at_close(struct pt_test *test)
{
	NDIS_HANDLE vh;

	begin(test, CN_CM_STANDALONE);
	vh = connected(test, CN_CM_STANDALONE);
	T.free_at_close = 1;
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseCall(vh, NULL, NULL, 0),
			    NDIS_STATUS_SUCCESS);
	/* A synchronous close: the client runs its own completion. */
	cl_close_complete(NDIS_STATUS_SUCCESS, T.vc_ctx, NULL);
	EXPECT_ONLY(test, CN_RULE_C24,
		    "RULE C24 (vc-context-until-delete): NdisFreeMemory: "
		    "ProtocolVcContext of a VC the call manager created freed "
		    "before its ProtocolCoDeleteVc handle=V0.1 party=NONE "
		    "vc=NONE");
	/* The block was not freed: ProtocolCoDeleteVc frees it. */
	cn_actor_set(CN_ACTOR_CM);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh), NDIS_STATUS_SUCCESS);
	PT_EXPECT_TRUE(test, T.vc_ctx == NULL);
	valid(test);
	finish();
}

static void test_incoming_dispatch_rules(struct pt_test *test)
{
	NDIS_HANDLE vh, cvh = NULL;
	int ctx;

	begin(test, CN_CM_STANDALONE);
	/* C13: an incoming call on a VC the client created. */
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCoCreateVc(T.cl_bind, T.cl_af, &ctx, &cvh),
			    NDIS_STATUS_SUCCESS);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCmDispatchIncomingCall(T.sap, cvh, &params),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C13,
		    "RULE C13 (incoming-drop-needs-others): "
		    "NdisCmDispatchIncomingCall: incoming call on a VC the "
		    "client created handle=V0.1 party=NONE vc=IDLE");
	cn_verifier_clear();
	vh = cm_creates(test, CN_CM_STANDALONE);
	/* An unknown SAP: FAILURE, no report, nothing changed. */
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCmDispatchIncomingCall(NULL, vh, &params),
			    NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_IDLE);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCmDispatchIncomingCall(T.sap, vh, &params),
			    NDIS_STATUS_SUCCESS);
	/* C22: call connected before activation; C3 before acceptance. */
	NdisCmDispatchCallConnected(vh);
	EXPECT_ONLY(test, CN_RULE_C22,
		    "RULE C22 (activate-deactivate): "
		    "NdisCmDispatchCallConnected: call connected before the "
		    "VC was activated handle=V1.1 party=NONE vc=ACCEPTED");
	PT_EXPECT_EQ(test, T.connected, 0);
	cn_verifier_clear();
	/* R1: the client closes a call still being set up. */
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseCall(vh, NULL, NULL, 0),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_R1,
		    "RULE R1 (no-teardown-while-setup): NdisClCloseCall: "
		    "close while the incoming call is being set up "
		    "handle=V1.1 party=NONE vc=ACCEPTED");
	cn_verifier_clear();
	/* C25: the client makes a call on the CM's VC. */
	PT_EXPECT_HANDLE_EQ(test, NdisClMakeCall(vh, &params, NULL, NULL),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C25,
		    "RULE C25 (delete-vc): NdisClMakeCall: NdisClMakeCall on "
		    "a VC the call manager created handle=V1.1 party=NONE "
		    "vc=ACCEPTED");
	valid(test);
	finish();
}

static void test_incoming_end_of_run(struct pt_test *test)
{
	struct cn_end_report r;
	NDIS_HANDLE vh;

	begin(test, CN_CM_STANDALONE);
	T.incoming_answer = NDIS_STATUS_PENDING;
	vh = cm_creates(test, CN_CM_STANDALONE);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCmDispatchIncomingCall(T.sap, vh, &params),
			    NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, cn_engine_check_end(&r), PT_E_STATE);
	PT_EXPECT_EQ(test, r.unanswered_calls, 1);
	PT_EXPECT_EQ(test, r.cm_vcs_left, 1);
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C3), 1);
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C25), 1);
	PT_EXPECT_EQ(test, cn_verifier_total(), 2);
	finish();
}

/* A client answering from inside ProtocolClIncomingCall: PENDING comes
 * back; its synchronous SUCCESS on top is C3. */
static void test_incoming_complete_inside_handler(struct pt_test *test)
{
	NDIS_HANDLE vh;

	begin(test, CN_CM_STANDALONE);
	T.complete_inside = 1;
	T.incoming_answer = NDIS_STATUS_SUCCESS;
	vh = cm_creates(test, CN_CM_STANDALONE);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCmDispatchIncomingCall(T.sap, vh, &params),
			    NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, T.cm_completed, 1);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_ACCEPTED);
	EXPECT_ONLY(
		test, CN_RULE_C3,
		"RULE C3 (cm-complete-iff-pended): "
		"NdisCmDispatchIncomingCall: ProtocolClIncomingCall "
		"completed its incoming call, then returned a status other "
		"than PENDING handle=V0.1 party=NONE vc=ACCEPTED");
	valid(test);
	finish();
}

/* The CM deletes its VC while the client's incoming close is still
 * queued: NDIS finishes the delete once the DPC ran (I3). */
static void test_incoming_delete_waits_for_dpc(struct pt_test *test)
{
	NDIS_HANDLE vh;

	begin(test, CN_CM_STANDALONE);
	vh = connected(test, CN_CM_STANDALONE);
	T.defer = 1;
	NdisCmDispatchIncomingCloseCall(NDIS_STATUS_SUCCESS, vh, NULL, 0);
	PT_EXPECT_EQ(test, cn_dpc_count(1), 1);
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseCall(vh, NULL, NULL, 0),
			    NDIS_STATUS_SUCCESS);
	cn_actor_set(CN_ACTOR_CM);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.deleted, 0);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_CLOSED);
	PT_EXPECT_HANDLE_EQ(test, NdisCoDeleteVc(vh),
			    NDIS_STATUS_NOT_ACCEPTED);
	EXPECT_ONLY(test, CN_RULE_C25,
		    "RULE C25 (delete-vc): NdisCoDeleteVc: VC already deleted "
		    "(NDIS still delivers a client callback of it) "
		    "handle=V0.1 party=NONE vc=CLOSED");
	valid(test);
	PT_EXPECT_OK(test, cn_dpc_run(1, 0));
	PT_EXPECT_EQ(test, T.deleted, 1);
	PT_EXPECT_EQ(test, vc_state(vh), CN_VC_FREE);
	valid(test);
	finish();
}

/*
 * C5 with no call manager registered: the CM's dispatch and call-connected
 * from a driver that never registered as one (its DriverEntry before its
 * registration, say). No harness program reaches this: every target's
 * bring-up registers its call manager before the first operation, and
 * nothing unregisters it (B1 of condis_bind.c).
 */
static void test_incoming_no_call_manager(struct pt_test *test)
{
	NDIS_HANDLE vh = CN_HANDLE(pt_handle_pack(CN_TAG_VC, 1, 0));
	struct cn_config cfg;

	if (cn_engine_config() != NULL)
		cn_engine_destroy();
	memset(&T, 0, sizeof(T));
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_vcs = 4;
	cfg.max_parties = 8;
	cfg.cpu_count = 1;
	cfg.dpc_capacity = 8;
	cfg.trace_capacity = 64;
	cfg.mode = CN_VERIFY_RECORD;
	PT_ASSERT_OK(test, cn_engine_create(&cfg));
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCmDispatchIncomingCall(NULL, vh, &params),
			    NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C5,
		    "RULE C5 (cm-role): NdisCmDispatchIncomingCall: no call "
		    "manager is registered handle=V0.1 party=NONE vc=NONE");
	cn_verifier_clear();
	NdisCmDispatchCallConnected(vh);
	EXPECT_ONLY(test, CN_RULE_C5,
		    "RULE C5 (cm-role): NdisCmDispatchCallConnected: no call "
		    "manager is registered handle=V0.1 party=NONE vc=NONE");
	finish();
}

static const struct pt_test_case cases[] = {
	PT_TEST_CASE(test_incoming_delete_waits_for_dpc),
	PT_TEST_CASE(test_incoming_sync_accept_flow),
	PT_TEST_CASE(test_incoming_pended_accept_mcm),
	PT_TEST_CASE(test_incoming_reject_then_delete),
	PT_TEST_CASE(test_rule_c27_handle_after_close),
	PT_TEST_CASE(test_rule_c24_vc_context_freed_at_close),
	PT_TEST_CASE(test_incoming_dispatch_rules),
	PT_TEST_CASE(test_incoming_end_of_run),
	PT_TEST_CASE(test_incoming_complete_inside_handler),
	PT_TEST_CASE(test_incoming_no_call_manager),
	PT_TEST_END,
};

PT_TEST_MAIN("condis_incoming", cases)
