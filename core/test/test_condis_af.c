/*
 * test_condis_af.c - the client's second open of its address family,
 * answered or pended by the call manager (core/src/condis_af.c): a client
 * of the engine's shortcut (cn_register_client) registered before its
 * call manager, as the adversary's puppets register, closes the family
 * and opens it again; the CM's ProtocolCmOpenAf answers SUCCESS, a
 * failure or PENDING, and Ndis(M)CmOpenAddressFamilyComplete completes a
 * pended one (C3 without one, C4 with PENDING; C3 at the end of the run
 * when it never comes). The family in between is neither open nor
 * closed: requests that need it open get FAILURE, no C28.
 */
#include <stdio.h>
#include <string.h>

#include "partyfuzz/condis.h"
#include "pt_test.h"

static struct {
	NDIS_HANDLE cl_bind, cl_af, cm_bind;
	NDIS_STATUS answer; /* ProtocolCmOpenAf's and CloseAf's */
	int opens, closes, completed;
	NDIS_STATUS completed_status;
} T;

static const CO_ADDRESS_FAMILY q2931 = { CO_ADDRESS_FAMILY_Q2931, 3, 1 };
static CO_SAP sap_desc;

static NDIS_STATUS cl_create_vc(NDIS_HANDLE af, NDIS_HANDLE vh,
				PNDIS_HANDLE ctx)
{
	(void)af;
	*ctx = vh;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cl_delete_vc(NDIS_HANDLE ctx)
{
	(void)ctx;
	return NDIS_STATUS_SUCCESS;
}

static void cl_make_complete(NDIS_STATUS s, NDIS_HANDLE v, NDIS_HANDLE p,
			     PCO_CALL_PARAMETERS cp)
{
	(void)s, (void)v, (void)p, (void)cp;
}

static void cl_close_complete(NDIS_STATUS s, NDIS_HANDLE v, NDIS_HANDLE p)
{
	(void)s, (void)v, (void)p;
}

static void cl_add_complete(NDIS_STATUS s, NDIS_HANDLE c, NDIS_HANDLE p,
			    PCO_CALL_PARAMETERS cp)
{
	(void)s, (void)c, (void)p, (void)cp;
}

static void cl_drop_complete(NDIS_STATUS s, NDIS_HANDLE c)
{
	(void)s, (void)c;
}

static void cl_incoming_drop(NDIS_STATUS s, NDIS_HANDLE c, PVOID b, UINT n)
{
	(void)s, (void)c, (void)b, (void)n;
}

static void cl_incoming_close(NDIS_STATUS s, NDIS_HANDLE c, PVOID b, UINT n)
{
	(void)s, (void)c, (void)b, (void)n;
}

static void cl_open_af_complete(NDIS_STATUS s, NDIS_HANDLE ctx,
				NDIS_HANDLE afh)
{
	(void)ctx;
	(void)afh;
	T.completed++;
	T.completed_status = s;
}

static NDIS_STATUS cm_create_vc(NDIS_HANDLE af, NDIS_HANDLE vh,
				PNDIS_HANDLE ctx)
{
	(void)af;
	*ctx = vh;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cm_delete_vc(NDIS_HANDLE ctx)
{
	(void)ctx;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cm_make_call(NDIS_HANDLE v, PCO_CALL_PARAMETERS cp,
				NDIS_HANDLE p, PNDIS_HANDLE ctx)
{
	(void)v, (void)cp, (void)p, (void)ctx;
	return NDIS_STATUS_FAILURE;
}

static NDIS_STATUS cm_close_call(NDIS_HANDLE v, NDIS_HANDLE p, PVOID b, UINT n)
{
	(void)v, (void)p, (void)b, (void)n;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS cm_add_party(NDIS_HANDLE v, PCO_CALL_PARAMETERS cp,
				NDIS_HANDLE p, PNDIS_HANDLE ctx)
{
	(void)v, (void)cp, (void)p, (void)ctx;
	return NDIS_STATUS_FAILURE;
}

static NDIS_STATUS cm_drop_party(NDIS_HANDLE p, PVOID b, UINT n)
{
	(void)p, (void)b, (void)n;
	return NDIS_STATUS_FAILURE;
}

static NDIS_STATUS cm_open_af(NDIS_HANDLE bctx, PCO_ADDRESS_FAMILY af,
			      NDIS_HANDLE afh, PNDIS_HANDLE ctx)
{
	(void)bctx, (void)af, (void)afh;
	T.opens++;
	*ctx = NULL;
	return T.answer;
}

static NDIS_STATUS cm_close_af(NDIS_HANDLE ctx)
{
	(void)ctx;
	T.closes++;
	return T.answer;
}

/* Client first, then the CM (the puppets' order): the family the client
 * opens again is the one the CM's registration brings. */
static void begin(struct pt_test *test)
{
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS cl;
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS cm;
	struct cn_config cfg;

	if (cn_engine_config() != NULL)
		cn_engine_destroy();
	memset(&T, 0, sizeof(T));
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_vcs = 4;
	cfg.max_parties = 8;
	cfg.cpu_count = 1;
	cfg.dpc_capacity = 8;
	cfg.trace_capacity = 256;
	cfg.mode = CN_VERIFY_RECORD;
	PT_ASSERT_OK(test, cn_engine_create(&cfg));
	memset(&cl, 0, sizeof(cl));
	cl.Header.Type = NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
	cl.ClCreateVcHandler = cl_create_vc;
	cl.ClDeleteVcHandler = cl_delete_vc;
	cl.ClMakeCallCompleteHandler = cl_make_complete;
	cl.ClCloseCallCompleteHandler = cl_close_complete;
	cl.ClAddPartyCompleteHandler = cl_add_complete;
	cl.ClDropPartyCompleteHandler = cl_drop_complete;
	cl.ClIncomingDropPartyHandler = cl_incoming_drop;
	cl.ClIncomingCloseCallHandler = cl_incoming_close;
	cl.ClOpenAfCompleteHandlerEx = cl_open_af_complete;
	memset(&cm, 0, sizeof(cm));
	cm.Header.Type = NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	cm.CmCreateVcHandler = cm_create_vc;
	cm.CmDeleteVcHandler = cm_delete_vc;
	cm.CmMakeCallHandler = cm_make_call;
	cm.CmCloseCallHandler = cm_close_call;
	cm.CmAddPartyHandler = cm_add_party;
	cm.CmDropPartyHandler = cm_drop_party;
	cm.CmOpenAfHandler = cm_open_af;
	cm.CmCloseAfHandler = cm_close_af;
	PT_ASSERT_OK(test,
		     cn_register_client(&cl, NULL, &T.cl_bind, &T.cl_af));
	PT_ASSERT_OK(test, cn_register_call_manager(CN_CM_STANDALONE, &cm,
						    NULL, &T.cm_bind));
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

static NDIS_STATUS open_af(NDIS_HANDLE *afh)
{
	CO_ADDRESS_FAMILY af = q2931;

	*afh = NULL;
	return NdisClOpenAddressFamilyEx(T.cl_bind, &af, NULL, afh);
}

/* The client closes its family and opens it again; the CM pends the open
 * and completes it with SUCCESS: opening in between (a VC is FAILURE, no
 * report), open after; a second completion is C3. */
static void test_af_reopen_pended(struct pt_test *test)
{
	NDIS_HANDLE afh, vh = NULL;

	begin(test);
	PT_EXPECT_HANDLE_EQ(test, open_af(&afh), NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, T.opens, 0); /* one open per binding */
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseAddressFamily(T.cl_af),
			    NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.closes, 1);
	T.answer = NDIS_STATUS_PENDING;
	PT_EXPECT_HANDLE_EQ(test, open_af(&afh), NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, T.opens, 1);
	PT_EXPECT_TRUE(test, afh == T.cl_af);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCoCreateVc(T.cl_bind, T.cl_af, NULL, &vh),
			    NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	valid(test);
	NdisCmOpenAddressFamilyComplete(NDIS_STATUS_SUCCESS, afh, NULL);
	PT_EXPECT_EQ(test, T.completed, 1);
	PT_EXPECT_HANDLE_EQ(test, T.completed_status, NDIS_STATUS_SUCCESS);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisCoCreateVc(T.cl_bind, T.cl_af, NULL, &vh),
			    NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	NdisCmOpenAddressFamilyComplete(NDIS_STATUS_SUCCESS, afh, NULL);
	PT_EXPECT_EQ(test, T.completed, 1);
	EXPECT_ONLY(test, CN_RULE_C3,
		    "RULE C3 (cm-complete-iff-pended): "
		    "NdisCmOpenAddressFamilyComplete: no pended "
		    "address-family open handle=AF party=NONE vc=NONE");
	valid(test);
	cn_engine_destroy();
}

/* A pended open completed with a failure, and one failed at once: the
 * family neither open nor closed (a SAP and a close are FAILURE, no
 * C28); PENDING as the status is C4 and leaves the open pended; an open
 * never completed is C3 at the end. */
static void test_af_reopen_failed(struct pt_test *test)
{
	NDIS_HANDLE afh, sh = NULL;

	begin(test);
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseAddressFamily(T.cl_af),
			    NDIS_STATUS_SUCCESS);
	T.answer = NDIS_STATUS_PENDING;
	PT_EXPECT_HANDLE_EQ(test, open_af(&afh), NDIS_STATUS_PENDING);
	NdisCmOpenAddressFamilyComplete(NDIS_STATUS_RESOURCES, afh, NULL);
	PT_EXPECT_HANDLE_EQ(test, T.completed_status, NDIS_STATUS_RESOURCES);
	PT_EXPECT_HANDLE_EQ(test,
			    NdisClRegisterSap(T.cl_af, NULL, &sap_desc, &sh),
			    NDIS_STATUS_FAILURE);
	PT_EXPECT_HANDLE_EQ(test, NdisClCloseAddressFamily(T.cl_af),
			    NDIS_STATUS_FAILURE);
	T.answer = NDIS_STATUS_FAILURE;
	PT_EXPECT_HANDLE_EQ(test, open_af(&afh), NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, T.opens, 2);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	valid(test);
	T.answer = NDIS_STATUS_PENDING;
	PT_EXPECT_HANDLE_EQ(test, open_af(&afh), NDIS_STATUS_PENDING);
	NdisCmOpenAddressFamilyComplete(NDIS_STATUS_PENDING, afh, NULL);
	EXPECT_ONLY(test, CN_RULE_C4,
		    "RULE C4 (no-pending-completion): "
		    "NdisCmOpenAddressFamilyComplete: completion with "
		    "NDIS_STATUS_PENDING handle=AF party=NONE vc=NONE");
	PT_EXPECT_EQ(test, T.completed, 1);
	valid(test);
	PT_EXPECT_ERR(test, cn_engine_check_end(NULL), PT_E_STATE);
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_C3), 1);
	cn_engine_destroy();
}

static const struct pt_test_case cases[] = {
	PT_TEST_CASE(test_af_reopen_pended),
	PT_TEST_CASE(test_af_reopen_failed),
	PT_TEST_END,
};

PT_TEST_MAIN("condis_af", cases)
