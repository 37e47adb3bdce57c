/*
 * test_ndis_services.c - the WDK side of ndis.h: base types and values,
 * lists, the NDIS services (spin locks and rule S1, memory, lookaside lists
 * and rule S2, interlocked operations), registration and address-family
 * bring-up through NDIS (C1 at PASSIVE_LEVEL, C5 on the distinct
 * registration functions), and the macro'd MCM names.
 *
 * The drivers here are minimal: a protocol client and a stand-alone CM or
 * MCM that register through the NDIS calls and record what NDIS hands
 * them. The party lifecycle itself is test_condis_*.c's.
 */
#include <string.h>

#include "partyfuzz/condis.h"
#include "partyfuzz/ndis.h"
#include "pt_test.h"

static struct cn_config cfg_default(void)
{
	struct cn_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_vcs = 4;
	cfg.max_parties = 16;
	cfg.cpu_count = 2;
	cfg.dpc_capacity = 8;
	cfg.trace_capacity = 256;
	cfg.mode = CN_VERIFY_RECORD;
	return cfg;
}

static void begin(struct pt_test *test)
{
	struct cn_config cfg = cfg_default();

	if (cn_engine_config() != NULL)
		cn_engine_destroy();
	PT_ASSERT_OK(test, cn_engine_create(&cfg));
}

static void end(void)
{
	cn_engine_destroy();
}

/* Exactly one report since the last clear, of @rule. */
#define EXPECT_ONLY(test, rule)                                               \
	do {                                                                  \
		PT_EXPECT_EQ(test, cn_verifier_count(rule), 1);               \
		PT_EXPECT_EQ(test, cn_verifier_total(), 1);                   \
		cn_verifier_clear();                                          \
	} while (0)

/*
 * Types and values as in the WDK
 */

static void test_types_and_values(struct pt_test *test)
{
	NDIS_STATUS st = NDIS_STATUS_FAILURE;

	PT_EXPECT_EQ(test, sizeof(NDIS_STATUS), 4);
	PT_EXPECT_EQ(test, sizeof(ULONG), 4);
	PT_EXPECT_EQ(test, sizeof(LONG), 4);
	PT_EXPECT_EQ(test, sizeof(USHORT), 2);
	PT_EXPECT_EQ(test, sizeof(ULONG_PTR), sizeof(void *));
	PT_EXPECT_TRUE(test, st < 0); /* a signed int, as in the WDK */
	PT_EXPECT_FALSE(test, NT_SUCCESS(NDIS_STATUS_RESOURCES));
	PT_EXPECT_TRUE(test, NT_SUCCESS(NDIS_STATUS_PENDING));
	PT_EXPECT_TRUE(test, NT_SUCCESS(NDIS_STATUS_NOT_ACCEPTED));
	PT_EXPECT_EQ(test, (ULONG)NDIS_STATUS_PENDING, 0x103u);
	PT_EXPECT_EQ(test, (ULONG)NDIS_STATUS_FAILURE, 0xC0000001u);
	PT_EXPECT_EQ(test, (ULONG)NDIS_STATUS_RESOURCES, 0xC000009Au);
	PT_EXPECT_EQ(test, (ULONG)NDIS_STATUS_NOT_SUPPORTED, 0xC00000BBu);
	PT_EXPECT_EQ(test, (ULONG)NDIS_STATUS_INVALID_DATA, 0xC0010015u);
	PT_EXPECT_EQ(test, (ULONG)NDIS_STATUS_NOT_ACCEPTED, 0x00010003u);
	PT_EXPECT_EQ(test, (ULONG)NDIS_STATUS_CLOSING, 0xC0010002u);
	PT_EXPECT_EQ(test, NDIS_STATUS_FAILURE, STATUS_UNSUCCESSFUL);
	/* The real flag values of CO_CALL_PARAMETERS. */
	PT_EXPECT_EQ(test, MULTIPOINT_VC, 0x10);
	PT_EXPECT_EQ(test, CALL_PARAMETERS_CHANGED, 0x2);
	PT_EXPECT_EQ(test,
		     offsetof(CO_CALL_MANAGER_PARAMETERS, CallMgrSpecific),
		     2 * sizeof(FLOWSPEC));
	PT_EXPECT_EQ(test, sizeof(FLOWSPEC), 8 * sizeof(ULONG));
}

struct item {
	int value;
	LIST_ENTRY link;
};

static void test_lists(struct pt_test *test)
{
	struct item a = { 1, { NULL, NULL } }, b = { 2, { NULL, NULL } },
		    c = { 3, { NULL, NULL } };
	LIST_ENTRY head;
	PLIST_ENTRY e;

	InitializeListHead(&head);
	PT_EXPECT_TRUE(test, IsListEmpty(&head));
	InsertTailList(&head, &b.link);
	InsertHeadList(&head, &a.link);
	InsertTailList(&head, &c.link);
	e = head.Flink;
	PT_EXPECT_EQ(test, CONTAINING_RECORD(e, struct item, link)->value, 1);
	PT_EXPECT_EQ(test,
		     CONTAINING_RECORD(head.Blink, struct item, link)->value,
		     3);
	PT_EXPECT_FALSE(test, RemoveEntryList(&b.link));
	e = RemoveTailList(&head);
	PT_EXPECT_EQ(test, CONTAINING_RECORD(e, struct item, link)->value, 3);
	e = RemoveHeadList(&head);
	PT_EXPECT_EQ(test, CONTAINING_RECORD(e, struct item, link)->value, 1);
	PT_EXPECT_TRUE(test, IsListEmpty(&head));
}

/*
 * Spin locks (S1, C1)
 */

static void test_spin_lock_irql(struct pt_test *test)
{
	NDIS_SPIN_LOCK l;
	KIRQL old;

	begin(test);
	NdisAllocateSpinLock(&l);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	NdisAcquireSpinLock(&l);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), DISPATCH_LEVEL);
	PT_EXPECT_EQ(test, l.OldIrql, PASSIVE_LEVEL);
	NdisReleaseSpinLock(&l);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	/* Dpr variants: at DISPATCH_LEVEL, no IRQL change. */
	old = KeRaiseIrqlToDpcLevel();
	PT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	NdisDprAcquireSpinLock(&l);
	NdisDprReleaseSpinLock(&l);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), DISPATCH_LEVEL);
	KeLowerIrql(old);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	NdisFreeSpinLock(&l);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	end();
}

static void test_spin_lock_s1(struct pt_test *test)
{
	NDIS_SPIN_LOCK l, never, copy;
	KIRQL old;

	begin(test);
	NdisAllocateSpinLock(&l);
	NdisAcquireSpinLock(&l);
	NdisAcquireSpinLock(&l); /* deadlock on one CPU */
	EXPECT_ONLY(test, CN_RULE_S1);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), DISPATCH_LEVEL);
	NdisDprReleaseSpinLock(&l); /* taken with NdisAcquireSpinLock */
	EXPECT_ONLY(test, CN_RULE_S1);
	NdisFreeSpinLock(&l); /* held */
	EXPECT_ONLY(test, CN_RULE_S1);
	NdisReleaseSpinLock(&l); /* L4: undoes the counted second acquire */
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), DISPATCH_LEVEL);
	NdisReleaseSpinLock(&l);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	NdisReleaseSpinLock(&l); /* not held */
	EXPECT_ONLY(test, CN_RULE_S1);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);

	/* Another CPU holds it. */
	NdisAcquireSpinLock(&l);
	PT_ASSERT_OK(test, cn_cpu_select(1));
	NdisAcquireSpinLock(&l);
	EXPECT_ONLY(test, CN_RULE_S1);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	NdisReleaseSpinLock(&l); /* not this CPU's */
	EXPECT_ONLY(test, CN_RULE_S1);
	PT_ASSERT_OK(test, cn_cpu_select(0));
	NdisReleaseSpinLock(&l);

	/* Never allocated; freed (a stale copy of the name). */
	memset(&never, 0, sizeof(never));
	NdisAcquireSpinLock(&never);
	EXPECT_ONLY(test, CN_RULE_S1);
	copy = l;
	NdisFreeSpinLock(&l);
	NdisAllocateSpinLock(&l); /* the same slot, the next generation */
	NdisAcquireSpinLock(&copy);
	EXPECT_ONLY(test, CN_RULE_S1);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);

	/* C1: Dpr below DISPATCH_LEVEL, acquire above it. */
	NdisDprAcquireSpinLock(&l);
	EXPECT_ONLY(test, CN_RULE_C1);
	KeRaiseIrql(HIGH_LEVEL, &old);
	cn_verifier_clear();
	NdisAcquireSpinLock(&l);
	EXPECT_ONLY(test, CN_RULE_C1);
	KeLowerIrql(old);
	NdisFreeSpinLock(&l);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	end();
}

/* Interlocked list operations take the lock through the engine. */
static void test_interlocked(struct pt_test *test)
{
	struct item a = { 7, { NULL, NULL } };
	NDIS_SPIN_LOCK l;
	LIST_ENTRY head;
	LONG n = 0;
	ULONG u = 1;

	begin(test);
	NdisAllocateSpinLock(&l);
	InitializeListHead(&head);
	PT_EXPECT_EQ(test, NdisInterlockedIncrement(&n), 1);
	PT_EXPECT_EQ(test, NdisInterlockedDecrement(&n), 0);
	NdisInterlockedAddUlong(&u, 2, &l);
	PT_EXPECT_EQ(test, u, 3u);
	PT_EXPECT_TRUE(test, NdisInterlockedInsertTailList(&head, &a.link,
							   &l) == NULL);
	PT_EXPECT_TRUE(test,
		       NdisInterlockedRemoveHeadList(&head, &l) == &a.link);
	PT_EXPECT_TRUE(test, NdisInterlockedRemoveHeadList(&head, &l) == NULL);
	PT_EXPECT_EQ(test, InterlockedCompareExchange(&n, 5, 0), 0);
	PT_EXPECT_EQ(test, n, 5);
	PT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	NdisAcquireSpinLock(&l);
	NdisInterlockedAddUlong(&u, 1, &l); /* the caller holds it */
	PT_EXPECT_EQ(test, cn_verifier_count(CN_RULE_S1), 1);
	NdisReleaseSpinLock(&l);
	NdisFreeSpinLock(&l);
	end();
}

/* The rest of the interlocked family, NdisFreeMemory, DbgPrint, and the
 * spin-lock misuse S1 names: a NULL lock, a Dpr-taken lock released with
 * NdisReleaseSpinLock, more locks than the engine keeps (256 at once). */
static void test_services_rest(struct pt_test *test)
{
	static NDIS_SPIN_LOCK many[257];
	struct item a = { 1, { NULL, NULL } }, b = { 2, { NULL, NULL } };
	LONG volatile n = 3;
	PVOID volatile p = NULL;
	NDIS_SPIN_LOCK l;
	LIST_ENTRY head;
	PVOID mem = NULL;
	KIRQL old;
	int i;

	begin(test);
	PT_EXPECT_EQ(test, InterlockedIncrement(&n), 4);
	PT_EXPECT_EQ(test, InterlockedDecrement(&n), 3);
	PT_EXPECT_EQ(test, InterlockedExchange(&n, 9), 3);
	PT_EXPECT_EQ(test, InterlockedExchangeAdd(&n, 2), 9);
	PT_EXPECT_EQ(test, n, 11);
	PT_EXPECT_TRUE(test, InterlockedExchangePointer(&p, &a) == NULL);
	PT_EXPECT_TRUE(test, InterlockedCompareExchangePointer(&p, &b, &b) ==
				     &a); /* no swap */
	PT_EXPECT_TRUE(test, InterlockedCompareExchangePointer(&p, &b, &a) ==
				     &a);
	PT_EXPECT_TRUE(test, p == &b);

	NdisAllocateSpinLock(&l);
	InitializeListHead(&head);
	PT_EXPECT_TRUE(test, NdisInterlockedInsertHeadList(&head, &a.link,
							   &l) == NULL);
	PT_EXPECT_TRUE(test, NdisInterlockedInsertHeadList(&head, &b.link,
							   &l) == &a.link);
	PT_EXPECT_TRUE(test, NdisInterlockedRemoveHeadList(&head, &l) ==
				     &b.link);

	mem = NdisAllocateMemoryWithTagPriority(NULL, 16, 'tseT',
						NormalPoolPriority);
	PT_ASSERT_TRUE(test, mem != NULL);
	NdisFreeMemory(mem, 16, 0);
	PT_EXPECT_EQ(test, DbgPrint("%s", ""), 0); /* quiet: no PF_DBGPRINT */
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);

	NdisAllocateSpinLock(NULL);
	EXPECT_ONLY(test, CN_RULE_S1);
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	NdisDprAcquireSpinLock(&l);
	NdisReleaseSpinLock(&l); /* taken with the Dpr variant */
	EXPECT_ONLY(test, CN_RULE_S1);
	NdisDprReleaseSpinLock(&l);
	KeLowerIrql(old);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	NdisFreeSpinLock(&l);

	for (i = 0; i < 256; i++)
		NdisAllocateSpinLock(&many[i]);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	NdisAllocateSpinLock(&many[256]); /* one more than the engine keeps */
	EXPECT_ONLY(test, CN_RULE_S1);
	for (i = 0; i < 256; i++)
		NdisFreeSpinLock(&many[i]);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	end();
}

/*
 * Memory and lookaside lists (C1, S2)
 */

static void test_memory(struct pt_test *test)
{
	PUCHAR p;
	KIRQL old;

	begin(test);
	p = NdisAllocateMemoryWithTagPriority(NULL, 16, 'tseT',
					      NormalPoolPriority);
	PT_ASSERT_TRUE(test, p != NULL);
	PT_EXPECT_EQ(test, p[15], 0xA5); /* not zeroed, like pool memory */
	NdisFreeMemory(p, 16, 0);
	KeRaiseIrql(HIGH_LEVEL, &old);
	p = NdisAllocateMemoryWithTagPriority(NULL, 16, 'tseT',
					      NormalPoolPriority);
	PT_EXPECT_TRUE(test, p == NULL);
	EXPECT_ONLY(test, CN_RULE_C1);
	KeLowerIrql(old);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	end();
}

static int custom_allocs, custom_frees;

static PVOID custom_allocate(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
			     ULONG Tag)
{
	(void)PoolType;
	(void)Tag;
	custom_allocs++;
	return NdisAllocateMemoryWithTagPriority(NULL, (UINT)NumberOfBytes,
						 Tag, NormalPoolPriority);
}

static VOID custom_free(PVOID Buffer)
{
	custom_frees++;
	NdisFreeMemory(Buffer, 0, 0);
}

static void test_lookaside(struct pt_test *test)
{
	NPAGED_LOOKASIDE_LIST la, never;
	PVOID a, b;

	begin(test);
	NdisInitializeNPagedLookasideList(&la, NULL, NULL, 0, 32, 'tseT', 0);
	a = NdisAllocateFromNPagedLookasideList(&la);
	b = NdisAllocateFromNPagedLookasideList(&la);
	PT_ASSERT_TRUE(test, a != NULL && b != NULL && a != b);
	NdisFreeToNPagedLookasideList(&la, a);
	NdisFreeToNPagedLookasideList(&la, b);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	NdisFreeToNPagedLookasideList(&la, b); /* one more than allocated */
	EXPECT_ONLY(test, CN_RULE_S2);
	NdisDeleteNPagedLookasideList(&la);
	PT_EXPECT_TRUE(test, NdisAllocateFromNPagedLookasideList(&la) == NULL);
	EXPECT_ONLY(test, CN_RULE_S2);
	memset(&never, 0, sizeof(never));
	NdisDeleteNPagedLookasideList(&never);
	EXPECT_ONLY(test, CN_RULE_S2);

	custom_allocs = custom_frees = 0;
	NdisInitializeNPagedLookasideList(&la, custom_allocate, custom_free, 0,
					  24, 'tseT', 4);
	a = NdisAllocateFromNPagedLookasideList(&la);
	PT_ASSERT_TRUE(test, a != NULL);
	NdisFreeToNPagedLookasideList(&la, a);
	PT_EXPECT_EQ(test, custom_allocs, 1);
	PT_EXPECT_EQ(test, custom_frees, 1);
	NdisDeleteNPagedLookasideList(&la);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	end();
}

/*
 * Registration and bring-up through NDIS
 */

static struct {
	NDIS_HANDLE cl_proto, cm_proto, cl_binding, cm_binding, af, sap;
	NDIS_HANDLE cm_binding_ctx_seen, cm_af_handle_seen;
	int notified, opened, sap_registered, pend_open;
	/* test_pended_sap_and_close: what the CM answers, what the client
	 * was told. */
	int pend_sap, pend_dereg, pend_close_af, pend_bind;
	NDIS_HANDLE sap_cm_seen, bind_ctx_seen;
	NDIS_STATUS reg_done, dereg_done, close_af_done;
	int mcm_wrong_af_call; /* MCM calls NdisCmRegisterAddressFamilyEx */
	NDIS_STATUS af_status;
	CO_ADDRESS_FAMILY af_seen;
} T;

static CO_ADDRESS_FAMILY test_af = { CO_ADDRESS_FAMILY_Q2931, 3, 1 };

static NDIS_STATUS t_create_vc(NDIS_HANDLE a, NDIS_HANDLE v, PNDIS_HANDLE c)
{
	(void)a;
	*c = v;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS t_delete_vc(NDIS_HANDLE c)
{
	(void)c;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS t_make_call(NDIS_HANDLE v, PCO_CALL_PARAMETERS p,
			       NDIS_HANDLE ph, PNDIS_HANDLE c)
{
	(void)v;
	(void)p;
	(void)ph;
	(void)c;
	return NDIS_STATUS_FAILURE;
}

static NDIS_STATUS t_close_call(NDIS_HANDLE v, NDIS_HANDLE c, PVOID d, UINT n)
{
	(void)v;
	(void)c;
	(void)d;
	(void)n;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS t_drop_party(NDIS_HANDLE c, PVOID d, UINT n)
{
	(void)c;
	(void)d;
	(void)n;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS t_open_af(NDIS_HANDLE bctx, PCO_ADDRESS_FAMILY af,
			     NDIS_HANDLE afh, PNDIS_HANDLE ctx)
{
	T.cm_binding_ctx_seen = bctx;
	T.cm_af_handle_seen = afh;
	T.af_seen = *af;
	*ctx = &T;
	return T.pend_open ? NDIS_STATUS_PENDING : NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS t_reg_sap(NDIS_HANDLE afctx, PCO_SAP sap, NDIS_HANDLE sh,
			     PNDIS_HANDLE ctx)
{
	(void)sap;
	(void)sh;
	*ctx = afctx;
	return T.pend_sap ? NDIS_STATUS_PENDING : NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS t_dereg_sap(NDIS_HANDLE ctx)
{
	T.sap_cm_seen = ctx;
	return T.pend_dereg ? NDIS_STATUS_PENDING : NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS t_close_af(NDIS_HANDLE ctx)
{
	(void)ctx;
	return T.pend_close_af ? NDIS_STATUS_PENDING : NDIS_STATUS_SUCCESS;
}

static VOID t_reg_sap_complete(NDIS_STATUS s, NDIS_HANDLE ctx, PCO_SAP sap,
			       NDIS_HANDLE sh)
{
	(void)ctx;
	(void)sap;
	(void)sh;
	T.reg_done = s;
}

static VOID t_dereg_sap_complete(NDIS_STATUS s, NDIS_HANDLE ctx)
{
	(void)ctx;
	T.dereg_done = s;
}

static VOID t_close_af_complete(NDIS_STATUS s, NDIS_HANDLE ctx)
{
	(void)ctx;
	T.close_af_done = s;
}

static VOID t_vvv(NDIS_STATUS s, NDIS_HANDLE a, NDIS_HANDLE b)
{
	(void)s;
	(void)a;
	(void)b;
}

static VOID t_vvvp(NDIS_STATUS s, NDIS_HANDLE a, NDIS_HANDLE b,
		   PCO_CALL_PARAMETERS p)
{
	(void)s;
	(void)a;
	(void)b;
	(void)p;
}

static VOID t_vv(NDIS_STATUS s, NDIS_HANDLE a)
{
	(void)s;
	(void)a;
}

static VOID t_incoming(NDIS_STATUS s, NDIS_HANDLE a, PVOID d, UINT n)
{
	(void)s;
	(void)a;
	(void)d;
	(void)n;
}

static VOID t_open_af_complete(NDIS_STATUS s, NDIS_HANDLE ctx, NDIS_HANDLE afh)
{
	(void)ctx;
	T.af_status = s;
	T.opened = s == NDIS_STATUS_SUCCESS;
	T.af = afh;
}

static VOID t_af_notify(NDIS_HANDLE bctx, PCO_ADDRESS_FAMILY af)
{
	NDIS_HANDLE afh = NULL;
	NDIS_STATUS st;

	(void)bctx;
	T.notified++;
	st = NdisClOpenAddressFamilyEx(T.cl_binding, af, &T, &afh);
	if (st != NDIS_STATUS_PENDING)
		t_open_af_complete(st, &T, afh);
}

static NDIS_STATUS t_cl_options(NDIS_HANDLE h, NDIS_HANDLE ctx)
{
	NDIS_PROTOCOL_CO_CHARACTERISTICS co;
	NDIS_CO_CLIENT_OPTIONAL_HANDLERS cl;
	NDIS_STATUS st;

	(void)ctx;
	memset(&co, 0, sizeof(co));
	co.Header.Type = NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS;
	co.Header.Revision = NDIS_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	co.Header.Size = NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1;
	co.CoAfRegisterNotifyHandler = t_af_notify;
	st = NdisSetOptionalHandlers(h, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&co);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	memset(&cl, 0, sizeof(cl));
	cl.Header.Type = NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS;
	cl.Header.Revision = NDIS_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	cl.Header.Size = NDIS_SIZEOF_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1;
	cl.ClOpenAfCompleteHandlerEx = t_open_af_complete;
	cl.ClMakeCallCompleteHandler = t_vvvp;
	cl.ClAddPartyCompleteHandler = t_vvvp;
	cl.ClCloseCallCompleteHandler = t_vvv;
	cl.ClDropPartyCompleteHandler = t_vv;
	cl.ClIncomingCloseCallHandler = t_incoming;
	cl.ClIncomingDropPartyHandler = t_incoming;
	cl.ClRegisterSapCompleteHandler = t_reg_sap_complete;
	cl.ClDeregisterSapCompleteHandler = t_dereg_sap_complete;
	cl.ClCloseAfCompleteHandler = t_close_af_complete;
	return NdisSetOptionalHandlers(h, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&cl);
}

static NDIS_STATUS t_cm_options(NDIS_HANDLE h, NDIS_HANDLE ctx)
{
	NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS cm;

	(void)ctx;
	memset(&cm, 0, sizeof(cm));
	cm.Header.Type = NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS;
	cm.Header.Revision = NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	cm.Header.Size =
		NDIS_SIZEOF_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1;
	cm.CmCreateVcHandler = t_create_vc;
	cm.CmDeleteVcHandler = t_delete_vc;
	cm.CmOpenAfHandler = t_open_af;
	cm.CmRegisterSapHandler = t_reg_sap;
	cm.CmDeregisterSapHandler = t_dereg_sap;
	cm.CmCloseAfHandler = t_close_af;
	cm.CmMakeCallHandler = t_make_call;
	cm.CmCloseCallHandler = t_close_call;
	cm.CmAddPartyHandler = t_make_call;
	cm.CmDropPartyHandler = t_drop_party;
	return NdisSetOptionalHandlers(h, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&cm);
}

static NDIS_STATUS open_adapter(NDIS_HANDLE proto, NDIS_HANDLE bind_ctx,
				NDIS_HANDLE *binding)
{
	NDIS_MEDIUM media[] = { NdisMediumCoWan };
	NDIS_OPEN_PARAMETERS op;
	UINT sel = 9;

	memset(&op, 0, sizeof(op));
	op.Header.Type = NDIS_OBJECT_TYPE_OPEN_PARAMETERS;
	op.Header.Revision = NDIS_OPEN_PARAMETERS_REVISION_1;
	op.Header.Size = sizeof(op);
	op.MediumArray = media;
	op.MediumArraySize = 1;
	op.SelectedMediumIndex = &sel;
	return NdisOpenAdapterEx(proto, &T, &op, bind_ctx, binding);
}

static NDIS_STATUS t_cl_bind(NDIS_HANDLE ctx, NDIS_HANDLE bind_ctx,
			     PNDIS_BIND_PARAMETERS bp)
{
	NDIS_STATUS st;

	(void)ctx;
	(void)bp;
	st = open_adapter(T.cl_proto, bind_ctx, &T.cl_binding);
	if (st != NDIS_STATUS_SUCCESS || !T.pend_bind)
		return st;
	T.bind_ctx_seen = bind_ctx; /* NdisCompleteBindAdapterEx later */
	return NDIS_STATUS_PENDING;
}

static NDIS_STATUS t_cm_bind(NDIS_HANDLE ctx, NDIS_HANDLE bind_ctx,
			     PNDIS_BIND_PARAMETERS bp)
{
	NDIS_STATUS st;

	(void)ctx;
	(void)bp;
	st = open_adapter(T.cm_proto, bind_ctx, &T.cm_binding);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	return NdisCmRegisterAddressFamilyEx(T.cm_binding, &test_af);
}

static NDIS_PROTOCOL_DRIVER_CHARACTERISTICS protocol(SET_OPTIONS_HANDLER o,
						     BIND_HANDLER_EX b)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS pc;

	memset(&pc, 0, sizeof(pc));
	pc.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
	pc.Header.Revision = NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	pc.Header.Size =
		NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1;
	pc.MajorNdisVersion = 6;
	pc.SetOptionsHandler = o;
	pc.BindAdapterHandlerEx = b;
	return pc;
}

/* The client binds first; the CM's family is offered to it when the CM's
 * registration ends, and its open reaches ProtocolCmOpenAf. */
static void test_bring_up_protocols(struct pt_test *test)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cl =
		protocol(t_cl_options, t_cl_bind);
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cm =
		protocol(t_cm_options, t_cm_bind);
	UCHAR sap_buf[sizeof(CO_SAP) + 4];
	PCO_SAP sap = (PCO_SAP)sap_buf;
	NDIS_HANDLE vc = NULL;

	begin(test);
	memset(&T, 0, sizeof(T));
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &T.cl_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_TRUE(test, T.cl_binding != NULL);
	PT_EXPECT_EQ(test, T.notified, 0); /* no family yet */
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cm, &T.cm_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.notified, 1);
	PT_EXPECT_TRUE(test, T.opened);
	PT_EXPECT_TRUE(test, T.cm_binding_ctx_seen == &T);
	PT_EXPECT_TRUE(test, T.cm_af_handle_seen == T.af);
	PT_EXPECT_EQ(test, T.af_seen.AddressFamily, CO_ADDRESS_FAMILY_Q2931);
	/* The family is open: VCs can be created on it. */
	PT_EXPECT_EQ(test, NdisCoCreateVc(T.cl_binding, T.af, &T, &vc),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, NdisCoDeleteVc(vc), NDIS_STATUS_SUCCESS);
	/* A SAP reaches ProtocolCmRegisterSap. */
	memset(sap_buf, 0, sizeof(sap_buf));
	sap->SapLength = 4;
	PT_EXPECT_EQ(test, NdisClRegisterSap(T.af, &T, sap, &T.sap),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, NdisClDeregisterSap(T.sap), NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, NdisClDeregisterSap(T.sap), NDIS_STATUS_FAILURE);
	/* A second open, a second family: refused by status. */
	PT_EXPECT_EQ(test,
		     NdisCmRegisterAddressFamilyEx(T.cm_binding, &test_af),
		     NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(T.af),
		     NDIS_STATUS_SUCCESS);
	vc = NULL;
	/* C28: no VC on a closed family. */
	PT_EXPECT_EQ(test, NdisCoCreateVc(T.cl_binding, T.af, &T, &vc),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28);
	end();
}

/* A pended open: the CM completes it, NDIS calls the client. */
static void test_open_af_pended(struct pt_test *test)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cl =
		protocol(t_cl_options, t_cl_bind);
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cm =
		protocol(t_cm_options, t_cm_bind);

	begin(test);
	memset(&T, 0, sizeof(T));
	T.pend_open = 1;
	T.af_status = 1;
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cm, &T.cm_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &T.cl_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.notified, 1);
	PT_EXPECT_FALSE(test, T.opened);
	PT_EXPECT_EQ(test, T.af_status, 1); /* not completed yet */
	NdisCmOpenAddressFamilyComplete(NDIS_STATUS_PENDING,
					T.cm_af_handle_seen, &T);
	EXPECT_ONLY(test, CN_RULE_C4);
	NdisCmOpenAddressFamilyComplete(NDIS_STATUS_SUCCESS,
					T.cm_af_handle_seen, &T);
	PT_EXPECT_TRUE(test, T.opened);
	NdisCmOpenAddressFamilyComplete(NDIS_STATUS_SUCCESS,
					T.cm_af_handle_seen, &T);
	EXPECT_ONLY(test, CN_RULE_C3); /* nothing pended any more */
	end();
}

/* Pended SAP registration and deregistration and a pended family close:
 * the CM completes each once, NDIS calls the client's completion with
 * the status; a completion with nothing pended is C3. A pended bind is
 * finished by NdisCompleteBindAdapterEx, once. */
/*
 * C28 with a SAP whose registration pends: the family may not close yet;
 * and a close the CM pends and never completes is owed at the end (C3).
 */
static void test_af_close_owed(struct pt_test *test)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cl =
		protocol(t_cl_options, t_cl_bind);
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cm =
		protocol(t_cm_options, t_cm_bind);
	UCHAR sap_buf[sizeof(CO_SAP) + 4];
	PCO_SAP sap = (PCO_SAP)sap_buf;
	struct cn_end_report r;

	begin(test);
	memset(&T, 0, sizeof(T));
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cm, &T.cm_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &T.cl_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_TRUE(test, T.opened);
	memset(sap_buf, 0, sizeof(sap_buf));
	sap->SapLength = 4;
	T.pend_sap = 1;
	PT_EXPECT_EQ(test, NdisClRegisterSap(T.af, &T, sap, &T.sap),
		     NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(T.af),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28); /* the SAP first */
	NdisCmRegisterSapComplete(NDIS_STATUS_FAILURE, T.sap, &T);
	T.pend_close_af = 1;
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(T.af),
		     NDIS_STATUS_PENDING);
	/* Closing: no SAP on it. */
	PT_EXPECT_EQ(test, NdisClRegisterSap(T.af, &T, sap, &T.sap),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28);
	PT_EXPECT_EQ(test, cn_call_validate(NULL, 0), PT_OK);
	PT_EXPECT_ERR(test, cn_engine_check_end(&r), PT_E_STATE);
	PT_EXPECT_EQ(test, r.owed_cm_completions, 1);
	EXPECT_ONLY(test, CN_RULE_C3);
	end();
}

static void test_pended_sap_and_close(struct pt_test *test)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cl =
		protocol(t_cl_options, t_cl_bind);
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cm =
		protocol(t_cm_options, t_cm_bind);
	UCHAR sap_buf[sizeof(CO_SAP) + 4];
	PCO_SAP sap = (PCO_SAP)sap_buf;
	NDIS_HANDLE other = NULL;

	begin(test);
	memset(&T, 0, sizeof(T));
	T.pend_bind = 1;
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cm, &T.cm_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &T.cl_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.notified, 0); /* the bind is not done */
	NdisCompleteBindAdapterEx(&T, NDIS_STATUS_SUCCESS); /* not one */
	EXPECT_ONLY(test, CN_RULE_C3);
	NdisCompleteBindAdapterEx(T.bind_ctx_seen, NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, T.notified, 1); /* bound: the family offered */
	PT_EXPECT_TRUE(test, T.opened);
	NdisCompleteBindAdapterEx(T.bind_ctx_seen, NDIS_STATUS_SUCCESS);
	EXPECT_ONLY(test, CN_RULE_C3); /* completed already */

	memset(sap_buf, 0, sizeof(sap_buf));
	sap->SapLength = 4;
	T.pend_sap = 1;
	T.reg_done = -1;
	PT_EXPECT_EQ(test, NdisClRegisterSap(T.af, &T, sap, &T.sap),
		     NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, T.reg_done, -1);
	/* Not registered yet: no deregistration. */
	PT_EXPECT_EQ(test, NdisClDeregisterSap(T.sap), NDIS_STATUS_FAILURE);
	NdisCmRegisterSapComplete(NDIS_STATUS_PENDING, T.sap, &T);
	EXPECT_ONLY(test, CN_RULE_C4);
	NdisCmRegisterSapComplete(NDIS_STATUS_SUCCESS, T.sap, &T);
	PT_EXPECT_EQ(test, T.reg_done, NDIS_STATUS_SUCCESS);
	NdisCmRegisterSapComplete(NDIS_STATUS_SUCCESS, T.sap, &T);
	EXPECT_ONLY(test, CN_RULE_C3);
	/* A second SAP whose pended registration fails: its slot is free
	 * again, its handle dead. */
	PT_EXPECT_EQ(test, NdisClRegisterSap(T.af, &T, sap, &other),
		     NDIS_STATUS_PENDING);
	NdisCmRegisterSapComplete(NDIS_STATUS_FAILURE, other, NULL);
	PT_EXPECT_EQ(test, T.reg_done, NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, NdisClDeregisterSap(other), NDIS_STATUS_FAILURE);

	T.pend_dereg = 1;
	T.dereg_done = -1;
	PT_EXPECT_EQ(test, NdisClDeregisterSap(T.sap), NDIS_STATUS_PENDING);
	PT_EXPECT_TRUE(test, T.sap_cm_seen == &T); /* its CallMgrSapContext */
	PT_EXPECT_EQ(test, T.dereg_done, -1);
	/* A failed deregistration leaves it registered. */
	NdisCmDeregisterSapComplete(NDIS_STATUS_FAILURE, T.sap);
	PT_EXPECT_EQ(test, T.dereg_done, NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, NdisClDeregisterSap(T.sap), NDIS_STATUS_PENDING);
	NdisCmDeregisterSapComplete(NDIS_STATUS_SUCCESS, T.sap);
	PT_EXPECT_EQ(test, T.dereg_done, NDIS_STATUS_SUCCESS);
	NdisCmDeregisterSapComplete(NDIS_STATUS_SUCCESS, T.sap);
	EXPECT_ONLY(test, CN_RULE_C3);
	PT_EXPECT_EQ(test, NdisClDeregisterSap(T.sap), NDIS_STATUS_FAILURE);

	T.pend_close_af = 1;
	T.close_af_done = -1;
	NdisCmCloseAddressFamilyComplete(NDIS_STATUS_SUCCESS, T.af);
	EXPECT_ONLY(test, CN_RULE_C28); /* no close pended */
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(T.af),
		     NDIS_STATUS_PENDING);
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(T.af),
		     NDIS_STATUS_INVALID_PARAMETER); /* closing already */
	EXPECT_ONLY(test, CN_RULE_C28);
	/* A failed close leaves the family open. */
	NdisCmCloseAddressFamilyComplete(NDIS_STATUS_FAILURE, T.af);
	PT_EXPECT_EQ(test, T.close_af_done, NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(T.af),
		     NDIS_STATUS_PENDING);
	NdisCmCloseAddressFamilyComplete(NDIS_STATUS_SUCCESS, T.af);
	PT_EXPECT_EQ(test, T.close_af_done, NDIS_STATUS_SUCCESS);
	/* C28: the family is closed; its close completes once. */
	PT_EXPECT_EQ(test, NdisClRegisterSap(T.af, &T, sap, &other),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28);
	NdisCmCloseAddressFamilyComplete(NDIS_STATUS_SUCCESS, T.af);
	EXPECT_ONLY(test, CN_RULE_C28);
	PT_EXPECT_EQ(test, NdisClCloseAddressFamily(T.af),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C28);

	/* Unbinding: the client closes its adapter once; NDIS never
	 * unbinds in a run, so a completed unbind owes nothing. */
	PT_EXPECT_EQ(test, NdisCloseAdapterEx(T.cl_binding),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(test, NdisCloseAdapterEx(T.cl_binding),
		     NDIS_STATUS_FAILURE);
	NdisCompleteUnbindAdapterEx(&T);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	end();
}

/* Registration and binding are PASSIVE_LEVEL only (C1); the version and
 * the characteristics are checked. */
static void test_register_checks(struct pt_test *test)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cl =
		protocol(t_cl_options, t_cl_bind);
	PNDIS_DRIVER_OPTIONAL_HANDLERS oh;
	NDIS_HANDLE h = NULL;
	KIRQL old;

	begin(test);
	memset(&T, 0, sizeof(T));
	KeRaiseIrql(DISPATCH_LEVEL, &old);
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &h),
		     NDIS_STATUS_FAILURE);
	EXPECT_ONLY(test, CN_RULE_C1);
	KeLowerIrql(old);
	cl.MajorNdisVersion = 5;
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &h),
		     NDIS_STATUS_BAD_VERSION);
	cl.MajorNdisVersion = 6;
	cl.BindAdapterHandlerEx = NULL;
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &h),
		     NDIS_STATUS_BAD_CHARACTERISTICS);
	/* Optional handlers only from SetOptionsHandler. */
	cl.BindAdapterHandlerEx = t_cl_bind;
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &T.cl_proto),
		     NDIS_STATUS_SUCCESS);
	oh = (PNDIS_DRIVER_OPTIONAL_HANDLERS)&cl.Header;
	PT_EXPECT_EQ(test, NdisSetOptionalHandlers(T.cl_proto, oh),
		     NDIS_STATUS_FAILURE);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	end();
}

/* The MCM: C5 on the registration functions that stay distinct. */
static NDIS_STATUS t_mcm_init(NDIS_HANDLE mp, NDIS_HANDLE ctx,
			      PNDIS_MINIPORT_INIT_PARAMETERS ip)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES ra;
	NDIS_STATUS st;

	(void)ctx;
	(void)ip;
	memset(&ra, 0, sizeof(ra));
	ra.Header.Type =
		NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	ra.Header.Revision =
		NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	ra.Header.Size = sizeof(ra);
	ra.MiniportAdapterContext = &T.af_seen;
	st = NdisMSetMiniportAttributes(
		mp, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&ra);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	T.cm_binding = mp;
	if (T.mcm_wrong_af_call)
		return NdisCmRegisterAddressFamilyEx(mp, &test_af);
	return NdisMCmRegisterAddressFamilyEx(mp, &test_af);
}

static void test_mcm_c5(struct pt_test *test)
{
	NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cl =
		protocol(t_cl_options, t_cl_bind);
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS mc;
	DRIVER_OBJECT dobj;
	UNICODE_STRING path;
	NDIS_HANDLE mpdrv = NULL;
	struct cn_trace_entry te;

	memset(&dobj, 0, sizeof(dobj));
	RtlInitUnicodeString(&path, L"\\Registry\\Machine\\test");
	PT_EXPECT_EQ(test, path.Length, 22 * sizeof(WCHAR));
	memset(&mc, 0, sizeof(mc));
	mc.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	mc.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	mc.Header.Size =
		NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	mc.MajorNdisVersion = 6;
	mc.SetOptionsHandler = t_cm_options;
	mc.InitializeHandlerEx = t_mcm_init;

	/* Correct MCM: its family is opened by the client, with the
	 * adapter context as CallMgrBindingContext. */
	begin(test);
	memset(&T, 0, sizeof(T));
	PT_EXPECT_EQ(test, NdisRegisterProtocolDriver(&T, &cl, &T.cl_proto),
		     NDIS_STATUS_SUCCESS);
	PT_EXPECT_EQ(
		test,
		NdisMRegisterMiniportDriver(&dobj, &path, &T, &mc, &mpdrv),
		NDIS_STATUS_SUCCESS);
	PT_EXPECT_TRUE(test, T.opened);
	PT_EXPECT_TRUE(test, T.cm_binding_ctx_seen == &T.af_seen);
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	/* The MCM's completion names are macros over NdisCm*: a step gets
	 * the MCM family's name (here a bad handle: C18). */
	NdisCmDropPartyComplete(NDIS_STATUS_SUCCESS, NULL);
	EXPECT_ONLY(test, CN_RULE_C18);
	PT_ASSERT_OK(test, cn_trace_get(cn_trace_steps(), &te));
	PT_EXPECT_EQ(test, te.fn, CN_FN_NdisMCmDropPartyComplete);
	/* C5 on the distinct functions only. */
	PT_EXPECT_EQ(test, NdisCmActivateVc(NULL, NULL),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C5);
	end();

	/* An MCM that registers its family with the stand-alone CM's
	 * function. */
	begin(test);
	memset(&T, 0, sizeof(T));
	T.mcm_wrong_af_call = 1;
	PT_EXPECT_EQ(
		test,
		NdisMRegisterMiniportDriver(&dobj, &path, &T, &mc, &mpdrv),
		NDIS_STATUS_SUCCESS);
	EXPECT_ONLY(test, CN_RULE_C5);
	end();

	/* A stand-alone CM calling NdisMCmRegisterAddressFamilyEx. */
	begin(test);
	memset(&T, 0, sizeof(T));
	{
		NDIS_PROTOCOL_DRIVER_CHARACTERISTICS cm =
			protocol(t_cm_options, t_cm_bind);

		PT_EXPECT_EQ(test,
			     NdisRegisterProtocolDriver(&T, &cm, &T.cm_proto),
			     NDIS_STATUS_SUCCESS);
	}
	PT_EXPECT_EQ(test, cn_verifier_total(), 0);
	PT_EXPECT_EQ(test,
		     NdisMCmRegisterAddressFamilyEx(T.cm_binding, &test_af),
		     NDIS_STATUS_INVALID_PARAMETER);
	EXPECT_ONLY(test, CN_RULE_C5);
	end();
}

static const struct pt_test_case cases[] = {
	PT_TEST_CASE(test_types_and_values),
	PT_TEST_CASE(test_lists),
	PT_TEST_CASE(test_spin_lock_irql),
	PT_TEST_CASE(test_spin_lock_s1),
	PT_TEST_CASE(test_interlocked),
	PT_TEST_CASE(test_services_rest),
	PT_TEST_CASE(test_memory),
	PT_TEST_CASE(test_lookaside),
	PT_TEST_CASE(test_bring_up_protocols),
	PT_TEST_CASE(test_open_af_pended),
	PT_TEST_CASE(test_pended_sap_and_close),
	PT_TEST_CASE(test_af_close_owed),
	PT_TEST_CASE(test_register_checks),
	PT_TEST_CASE(test_mcm_c5),
	PT_TEST_END,
};

PT_TEST_MAIN("ndis_services", cases)
