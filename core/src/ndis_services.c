/*
 * ndis_services.c - the NDIS services a driver uses around parties
 * (ndis.h): spin locks, memory, lookaside lists, interlocked operations,
 * strings, ASSERT and DbgPrint.
 *
 * Over the usual length because the services share one judgement of a
 * driver's memory and locks (F1, S1, S2 below: which block NDIS still
 * refers to, which lock a CPU holds), which a split would have to export.
 *
 * Spin locks. The engine keeps every lock's state in e->locks (fixed
 * capacity, cleared by cn_engine_reset()); NDIS_SPIN_LOCK.SpinLock holds
 * a handle [ tag 'L' | generation | slot ] naming it, so a lock that was
 * never allocated, or freed and reallocated, does not validate. The
 * engine sees who holds what: the checks of S1 below now, deadlock
 * detection across callbacks later. Acquire raises the current simulated
 * CPU to DISPATCH_LEVEL and release restores the IRQL saved in OldIrql,
 * as NdisAcquireSpinLock does; the Dpr variants leave the IRQL alone and
 * require DISPATCH_LEVEL.
 *
 * None of these calls is a trace step (condis.h): a report marks the last
 * step recorded, the DDI or callback the service ran in. A violating call
 * is rejected and changes nothing.
 *
 * Memory and lookaside entries are plain heap blocks, so ASan and LSan see
 * a driver's memory bugs. NdisFreeMemory, NdisFreeMemoryWithTag and
 * NdisFreeToNPagedLookasideList are trace steps (the model predicts them)
 * and look, before freeing, for memory NDIS still refers to (F1): a
 * block that holds the CallParameters or the party context of a MakeCall
 * or AddParty still in flight is C8, one that holds the context of a
 * party NDIS will still hand to the client (live, or its final
 * completion still queued) is C10. Such a free is rejected: the block
 * stays allocated, as NDIS still uses it (a driver that frees with plain
 * free() is left to ASan). The IRQL checks (C1) need an engine; without
 * one (a driver freeing memory after the engine is gone) they are
 * skipped.
 *
 * Invariants:
 *   L1 locks[i].held implies locks[i].live.
 *   L2 A lock is held by at most one CPU; its holder is locks[i].cpu.
 *   L3 NDIS_SPIN_LOCK.SpinLock names slot i iff its generation is
 *      locks[i].gen and locks[i].live.
 *   L4 An acquire by the CPU that holds the lock (B27's deadlock) is
 *      reported, then counted in locks[i].nested as if granted: the
 *      driver goes on as it would on a recursive lock, and the releases
 *      that follow undo the counted ones first, so the report is not
 *      followed by a release "not held" or by an IRQL the real holder
 *      never set.
 *   F1 NDIS refers to: the ProtocolPartyContext of every live party and
 *      the CallParameters of every MakeCall (VC MAKING) and AddParty
 *      (party ADDING) in flight, and every context and CallParameters a
 *      queued client callback will hand over (the party context of an
 *      add/drop completion, the last party's of a close completion; the
 *      CallParameters of a make-call/add completion). A queued incoming
 *      drop adds nothing: its party is live, or the DPC is obsolete and
 *      hands nothing over. C8 wins over C10 when a block holds both.
 *      And the client's ProtocolVcContext of every CM-created VC not yet
 *      deleted (ProtocolCoDeleteVc ends it: C24), after C8 and C10.
 *   K1 A lookaside list is initialised iff its state word is
 *      lookaside_word(list) (not 0, not a copy's: it depends on the
 *      list's address).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "condis_internal.h"

/* Fill of new memory: pool memory is not zeroed, neither is this. */
#define CN_FILL 0xA5

void _cn_services_reset(struct cn_engine *e)
{
	memset(e->locks, 0, sizeof(e->locks));
}

/* A service's report: on the last step recorded. */
static void svc_report(struct cn_engine *e, enum cn_rule rule, enum cn_fn fn,
		       uint64_t handle, const char *detail)
{
	_cn_report(e, rule, fn, e->steps, handle, -1, -1, detail);
}

/* C1 for a service allowed at IRQL <= @max; 1 if the call may proceed. */
static int svc_irql_le(struct cn_engine *e, enum cn_fn fn, KIRQL max)
{
	if (e == NULL || e->irql[e->cpu] <= max)
		return 1;
	svc_report(e, CN_RULE_C1, fn, e->irql[e->cpu],
		   max == DISPATCH_LEVEL ? "called above DISPATCH_LEVEL"
					 : "called above its IRQL");
	return 0;
}

/*
 * Spin locks (L1..L3)
 */

static uint64_t lock_handle(const struct cn_engine *e, uint32_t i)
{
	return pt_handle_pack(CN_TAG_LOCK, e->locks[i].gen, i);
}

/* The engine's lock named by @l (L3), or NULL after an S1 report. */
static struct cn_lock *lock_of(struct cn_engine *e, enum cn_fn fn,
			       PNDIS_SPIN_LOCK l)
{
	uint64_t h;
	uint32_t i;

	if (l == NULL) {
		svc_report(e, CN_RULE_S1, fn, 0, "NULL NDIS_SPIN_LOCK");
		return NULL;
	}
	h = (uint64_t)l->SpinLock;
	i = pt_handle_index(h);
	if (pt_handle_tag(h) != CN_TAG_LOCK || i >= CN_MAX_LOCKS ||
	    !e->locks[i].live || lock_handle(e, i) != h) {
		svc_report(e, CN_RULE_S1, fn, h,
			   "spin lock never allocated (NdisAllocateSpinLock) "
			   "or already freed");
		return NULL;
	}
	return &e->locks[i];
}

/* S1 for an acquire of @k: not held (L2); an acquire by its holder is
 * counted (L4). */
static int lock_free_now(struct cn_engine *e, enum cn_fn fn,
			 struct cn_lock *k, uint64_t h)
{
	if (!k->held)
		return 1;
	svc_report(e, CN_RULE_S1, fn, h,
		   k->cpu == e->cpu
			   ? "acquire of a spin lock this CPU holds (deadlock)"
			   : "acquire of a spin lock another CPU holds (it "
			     "spins forever: the holder cannot run)");
	if (k->cpu == e->cpu && k->nested < UINT8_MAX)
		k->nested++; /* L4 */
	return 0;
}

/* S1 for a release of @k by the current CPU, taken with @dpr. */
static int lock_mine(struct cn_engine *e, enum cn_fn fn,
		     const struct cn_lock *k, uint64_t h, int dpr)
{
	const char *why = NULL;

	if (!k->held)
		why = "release of a spin lock that is not held";
	else if (k->cpu != e->cpu)
		why = "release of a spin lock another CPU holds";
	else if (k->dpr && !dpr)
		why = "NdisReleaseSpinLock of a lock taken with "
		      "NdisDprAcquireSpinLock (no IRQL was saved)";
	else if (!k->dpr && dpr)
		why = "NdisDprReleaseSpinLock of a lock taken with "
		      "NdisAcquireSpinLock (the saved IRQL is never restored)";
	if (why == NULL)
		return 1;
	svc_report(e, CN_RULE_S1, fn, h, why);
	return 0;
}

VOID NdisAllocateSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct cn_engine *e = _cn_engine_get();
	uint32_t i;

	if (!svc_irql_le(e, CN_FN_NdisAllocateSpinLock, DISPATCH_LEVEL))
		return;
	if (SpinLock == NULL) {
		svc_report(e, CN_RULE_S1, CN_FN_NdisAllocateSpinLock, 0,
			   "NULL NDIS_SPIN_LOCK");
		return;
	}
	/* The lowest free slot: deterministic. */
	for (i = 0; i < CN_MAX_LOCKS && e->locks[i].live; i++)
		;
	if (i == CN_MAX_LOCKS) {
		SpinLock->SpinLock = 0;
		svc_report(e, CN_RULE_S1, CN_FN_NdisAllocateSpinLock, 0,
			   "more spin locks allocated at once than the engine "
			   "keeps (CN_MAX_LOCKS)");
		return;
	}
	/* 32 generation bits: a freed lock's handle stays stale for 2^32
	 * reallocations of its slot. */
	e->locks[i].gen =
		e->locks[i].gen == UINT32_MAX ? 1 : e->locks[i].gen + 1;
	e->locks[i].live = 1; /* L1, L3 */
	e->locks[i].held = 0;
	e->locks[i].dpr = 0;
	e->locks[i].nested = 0;
	SpinLock->SpinLock = (KSPIN_LOCK)lock_handle(e, i);
	SpinLock->OldIrql = PASSIVE_LEVEL;
}

VOID NdisFreeSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct cn_engine *e = _cn_engine_get();
	struct cn_lock *k;

	if (!svc_irql_le(e, CN_FN_NdisFreeSpinLock, DISPATCH_LEVEL) ||
	    (k = lock_of(e, CN_FN_NdisFreeSpinLock, SpinLock)) == NULL)
		return;
	if (k->held) {
		svc_report(e, CN_RULE_S1, CN_FN_NdisFreeSpinLock,
			   (uint64_t)SpinLock->SpinLock,
			   "spin lock freed while held");
		return;
	}
	k->live = 0; /* L3: its handle no longer validates */
}

VOID NdisAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct cn_engine *e = _cn_engine_get();
	enum cn_fn fn = CN_FN_NdisAcquireSpinLock;
	struct cn_lock *k;

	if (!svc_irql_le(e, fn, DISPATCH_LEVEL) ||
	    (k = lock_of(e, fn, SpinLock)) == NULL ||
	    !lock_free_now(e, fn, k, (uint64_t)SpinLock->SpinLock))
		return;
	SpinLock->OldIrql = e->irql[e->cpu];
	e->irql[e->cpu] = DISPATCH_LEVEL;
	k->held = 1; /* L2 */
	k->dpr = 0;
	k->cpu = (uint8_t)e->cpu;
}

VOID NdisReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct cn_engine *e = _cn_engine_get();
	enum cn_fn fn = CN_FN_NdisReleaseSpinLock;
	struct cn_lock *k;

	if ((k = lock_of(e, fn, SpinLock)) == NULL ||
	    !lock_mine(e, fn, k, (uint64_t)SpinLock->SpinLock, 0))
		return;
	if (k->nested > 0) { /* L4: the release of a counted acquire */
		k->nested--;
		return;
	}
	if (e->irql[e->cpu] != DISPATCH_LEVEL) {
		svc_report(e, CN_RULE_C1, fn, e->irql[e->cpu],
			   "NdisReleaseSpinLock not at DISPATCH_LEVEL (the "
			   "IRQL changed while the lock was held)");
		return;
	}
	k->held = 0;
	e->irql[e->cpu] = SpinLock->OldIrql <= DISPATCH_LEVEL
				  ? SpinLock->OldIrql
				  : DISPATCH_LEVEL;
}

/* LCOV_EXCL_START: a WDK service for driver authors that no driver in the
 * tree (fuzz/drivers, fuzz/examples) calls, so no input reaches it;
 * core/test/test_ndis_services.c checks it. */
VOID NdisDprAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct cn_engine *e = _cn_engine_get();
	enum cn_fn fn = CN_FN_NdisDprAcquireSpinLock;
	struct cn_lock *k;

	if (e->irql[e->cpu] != DISPATCH_LEVEL) {
		svc_report(e, CN_RULE_C1, fn, e->irql[e->cpu],
			   "NdisDprAcquireSpinLock not at DISPATCH_LEVEL");
		return;
	}
	if ((k = lock_of(e, fn, SpinLock)) == NULL ||
	    !lock_free_now(e, fn, k, (uint64_t)SpinLock->SpinLock))
		return;
	k->held = 1; /* L2 */
	k->dpr = 1;
	k->cpu = (uint8_t)e->cpu;
}
/* LCOV_EXCL_STOP */

/* LCOV_EXCL_START: a WDK service for driver authors that no driver in the
 * tree (fuzz/drivers, fuzz/examples) calls, so no input reaches it;
 * core/test/test_ndis_services.c checks it. */
VOID NdisDprReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	struct cn_engine *e = _cn_engine_get();
	enum cn_fn fn = CN_FN_NdisDprReleaseSpinLock;
	struct cn_lock *k;

	if (e->irql[e->cpu] != DISPATCH_LEVEL) {
		svc_report(e, CN_RULE_C1, fn, e->irql[e->cpu],
			   "NdisDprReleaseSpinLock not at DISPATCH_LEVEL");
		return;
	}
	if ((k = lock_of(e, fn, SpinLock)) == NULL ||
	    !lock_mine(e, fn, k, (uint64_t)SpinLock->SpinLock, 1))
		return;
	if (k->nested > 0) { /* L4 */
		k->nested--;
		return;
	}
	k->held = 0;
}
/* LCOV_EXCL_STOP */

/*
 * Memory
 */

/* @obj lies in the block [@va, @va + @len), or is @va when @len is 0. */
static int in_block(const void *obj, const void *va, size_t len)
{
	uintptr_t o = (uintptr_t)obj, b = (uintptr_t)va;

	if (obj == NULL)
		return 0;
	/* Unsigned difference: an @obj below @va wraps to a huge value, so
	 * one compare is the whole range check. */
	return len == 0 ? o == b : o - b < len;
}

/*
 * F1: the rule a free of [@va, @va + @len) breaks (C8, then C10, then
 * C24 for the ProtocolVcContext of a CM-created VC not yet deleted), or
 * CN_RULE_NONE; @detail gets what NDIS still refers to.
 */
static enum cn_rule ndis_refers_to(struct cn_engine *e, const void *va,
				   size_t len, const char **detail,
				   uint64_t *who)
{
	enum cn_rule rule = CN_RULE_NONE;
	uint32_t i, c, k;

	for (i = 0; i < e->cfg.max_vcs; i++)
		if (e->vcs[i].state == CN_VC_MAKING &&
		    in_block(e->vcs[i].params, va, len)) {
			*who = _cn_vc_handle(e, &e->vcs[i]);
			*detail = "CallParameters of a pending NdisClMakeCall "
				  "freed";
			return CN_RULE_C8;
		}
	for (i = 0; i < e->cfg.max_parties; i++) {
		const struct cn_party *p = &e->pside[i];
		struct pt_party_info pi;
		int setup;

		if (!p->live ||
		    pt_party_lookup(e->parties,
				    pt_handle_pack(CN_TAG_PARTY, p->gen, i),
				    &pi) != PT_OK)
			continue;
		setup = pi.state == PT_MAKING || pi.state == PT_ADDING;
		if (setup && (in_block(p->params, va, len) ||
			      in_block((const void *)pi.ctx, va, len))) {
			*who = pt_handle_pack(CN_TAG_PARTY, p->gen, i);
			*detail = "CallParameters or ProtocolPartyContext of a "
				  "pending NdisClMakeCall/AddParty freed";
			return CN_RULE_C8;
		}
		if (!setup && in_block((const void *)pi.ctx, va, len) &&
		    rule == CN_RULE_NONE) {
			*who = pt_handle_pack(CN_TAG_PARTY, p->gen, i);
			*detail = "ProtocolPartyContext freed before its party "
				  "ended (NDIS hands it to the client until "
				  "then)";
			rule = CN_RULE_C10;
		}
	}
	for (c = 0; c < e->cfg.cpu_count; c++)
		for (k = 0; k < e->dpc_len[c]; k++) {
			const struct cn_dpc *d =
				&e->dpc[c * e->cfg.dpc_capacity + k];
			int setup = d->cb == CN_FN_ProtocolClMakeCallComplete ||
				    d->cb == CN_FN_ProtocolClAddPartyComplete;
			const void *pctx =
				d->cb == CN_FN_ProtocolClCloseCallComplete
					? d->arg
				: d->cb == CN_FN_ProtocolClAddPartyComplete ||
						d->cb ==
							CN_FN_ProtocolClDropPartyComplete
					? d->ctx
					: NULL;

			if (setup && (in_block(d->params, va, len) ||
				      in_block(pctx, va, len))) {
				*who = d->handle;
				*detail = "CallParameters or ProtocolParty"
					  "Context freed before the queued "
					  "MakeCall/AddParty completion";
				return CN_RULE_C8;
			}
			if (!setup && in_block(pctx, va, len) &&
			    rule == CN_RULE_NONE) {
				*who = d->handle;
				*detail = "ProtocolPartyContext freed before "
					  "the queued completion or indication "
					  "that hands it over";
				rule = CN_RULE_C10;
			}
		}
	if (rule == CN_RULE_NONE) {
		struct cn_vc *v = _cn_vc_ctx_in(e, va, len);

		if (v != NULL) {
			*who = _cn_vc_handle(e, v);
			*detail = "ProtocolVcContext of a VC the call manager "
				  "created freed before its ProtocolCoDeleteVc";
			rule = CN_RULE_C24;
		}
	}
	return rule;
}

/*
 * A free through NDIS (@fn) of [@va, @va + @len): its trace step (the
 * block in `data`, its length in `size`; the handle is the party or VC
 * NDIS refers to it for, else NULL, so that traces name no address), C1,
 * then F1. Return: 1 if the block may be freed.
 */
static int free_ok(enum cn_fn fn, PVOID va, size_t len)
{
	struct cn_engine *e = _cn_eng;
	const char *detail = NULL;
	uint64_t who = 0;
	enum cn_rule rule;
	struct call c;

	/* LCOV_EXCL_BR_START: a service called with no engine: drivers run
	 * only inside a run, which has one (C API misuse; core/test checks
	 * it) */
	if (e == NULL)
		return 1; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
	rule = ndis_refers_to(e, va, len, &detail, &who);
	enter(&c, fn, who, 0, 0);
	trace_args(e, c.step, ARGS(.data = _cn_h(va), .size = (UINT)len));
	if (!irql_le(&c, DISPATCH_LEVEL, who)) {
		leave_void(&c);
		return 0;
	}
	if (rule != CN_RULE_NONE)
		report(&c, rule, who, -1, -1, detail);
	leave_void(&c);
	return rule == CN_RULE_NONE;
}

PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length,
					ULONG Tag, EX_POOL_PRIORITY Priority)
{
	PVOID p;

	(void)NdisHandle;
	(void)Tag;
	(void)Priority;
	if (!svc_irql_le(_cn_eng, CN_FN_NdisAllocateMemoryWithTagPriority,
			 DISPATCH_LEVEL))
		return NULL;
	p = malloc(Length ? Length : 1);
	/* LCOV_EXCL_BR_START: no memory */
	if (p != NULL)
		memset(p, CN_FILL, Length);
	/* LCOV_EXCL_BR_STOP */
	return p;
}

VOID NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags)
{
	(void)MemoryFlags;
	if (free_ok(CN_FN_NdisFreeMemory, VirtualAddress, Length))
		free(VirtualAddress);
}

/* LCOV_EXCL_START: a WDK service for driver authors that no driver in the
 * tree (fuzz/drivers, fuzz/examples) calls, so no input reaches it;
 * core/test/test_ndis_services.c checks it. */
VOID NdisFreeMemoryWithTag(PVOID VirtualAddress, ULONG Tag)
{
	(void)Tag;
	if (free_ok(CN_FN_NdisFreeMemory, VirtualAddress, 0))
		free(VirtualAddress);
}
/* LCOV_EXCL_STOP */

/*
 * Lookaside lists (K1)
 */

#define CN_LOOKASIDE_MAGIC ((ULONG_PTR)0x4c6f6f6b61736964ull) /* "Lookasid" */

static ULONG_PTR lookaside_word(const NPAGED_LOOKASIDE_LIST *l)
{
	return (ULONG_PTR)l ^ CN_LOOKASIDE_MAGIC;
}

/* 1 if @l is initialised (K1), else an S2 report. */
static int lookaside_ok(struct cn_engine *e, enum cn_fn fn,
			const NPAGED_LOOKASIDE_LIST *l)
{
	if (l != NULL && l->Lock__ObsoleteButDoNotDelete == lookaside_word(l))
		return 1;
	if (e != NULL)
		svc_report(e, CN_RULE_S2, fn, 0,
			   l == NULL ? "NULL lookaside list"
				     : "lookaside list not initialised, or "
				       "already deleted");
	return 0;
}

VOID NdisInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
				       PALLOCATE_FUNCTION Allocate,
				       PFREE_FUNCTION Free, ULONG Flags,
				       SIZE_T Size, ULONG Tag, USHORT Depth)
{
	struct cn_engine *e = _cn_eng;

	(void)Flags;
	if (!svc_irql_le(e, CN_FN_NdisInitializeNPagedLookasideList,
			 DISPATCH_LEVEL))
		return;
	if (Lookaside == NULL) {
		(void)lookaside_ok(e, CN_FN_NdisInitializeNPagedLookasideList,
				   NULL);
		return;
	}
	memset(Lookaside, 0, sizeof(*Lookaside));
	Lookaside->L.Depth = Depth;
	Lookaside->L.MaximumDepth = Depth;
	Lookaside->L.Type = NonPagedPoolNx;
	Lookaside->L.Tag = Tag;
	Lookaside->L.Size = (ULONG)Size;
	Lookaside->L.Allocate = Allocate;
	Lookaside->L.Free = Free;
	InitializeListHead(&Lookaside->L.ListEntry);
	Lookaside->Lock__ObsoleteButDoNotDelete = lookaside_word(Lookaside);
}

VOID NdisDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
	struct cn_engine *e = _cn_eng;
	enum cn_fn fn = CN_FN_NdisDeleteNPagedLookasideList;

	if (!svc_irql_le(e, fn, DISPATCH_LEVEL) ||
	    !lookaside_ok(e, fn, Lookaside))
		return;
	Lookaside->Lock__ObsoleteButDoNotDelete = 0; /* K1 */
}

PVOID NdisAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
	struct cn_engine *e = _cn_eng;
	enum cn_fn fn = CN_FN_NdisAllocateFromNPagedLookasideList;
	PVOID p;

	if (!svc_irql_le(e, fn, DISPATCH_LEVEL) ||
	    !lookaside_ok(e, fn, Lookaside))
		return NULL;
	if (Lookaside->L.Allocate != NULL) {
		p = Lookaside->L.Allocate(Lookaside->L.Type, Lookaside->L.Size,
					  Lookaside->L.Tag);
	} else {
		p = malloc(Lookaside->L.Size ? Lookaside->L.Size : 1);
		/* LCOV_EXCL_BR_START: no memory */
		if (p != NULL)
			memset(p, CN_FILL, Lookaside->L.Size);
		/* LCOV_EXCL_BR_STOP */
	}
	if (p != NULL)
		Lookaside->L.TotalAllocates++;
	return p;
}

VOID NdisFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
				   PVOID Entry)
{
	struct cn_engine *e = _cn_eng;
	enum cn_fn fn = CN_FN_NdisFreeToNPagedLookasideList;

	if (!lookaside_ok(e, fn, Lookaside) ||
	    !free_ok(fn, Entry, Lookaside->L.Size))
		return;
	if (Lookaside->L.TotalFrees >= Lookaside->L.TotalAllocates) {
		if (e != NULL)
			svc_report(e, CN_RULE_S2, fn, 0,
				   "more entries freed to the lookaside list "
				   "than it allocated");
		return;
	}
	Lookaside->L.TotalFrees++;
	if (Lookaside->L.Free != NULL)
		Lookaside->L.Free(Entry);
	else
		free(Entry);
}

/*
 * Interlocked operations: one step of a cooperative simulation, nothing
 * interleaves them.
 */

/* LCOV_EXCL_START: a WDK service for driver authors that no driver in the
 * tree (fuzz/drivers, fuzz/examples) calls, so no input reaches it;
 * core/test/test_ndis_services.c checks it. */
LONG NdisInterlockedIncrement(PLONG Addend)
{
	return ++*Addend;
}

LONG NdisInterlockedDecrement(PLONG Addend)
{
	return --*Addend;
}

VOID NdisInterlockedAddUlong(PULONG Addend, ULONG Increment,
			     PNDIS_SPIN_LOCK SpinLock)
{
	NdisAcquireSpinLock(SpinLock);
	*Addend += Increment;
	NdisReleaseSpinLock(SpinLock);
}

PLIST_ENTRY NdisInterlockedInsertHeadList(PLIST_ENTRY ListHead,
					  PLIST_ENTRY ListEntry,
					  PNDIS_SPIN_LOCK SpinLock)
{
	PLIST_ENTRY first;

	NdisAcquireSpinLock(SpinLock);
	first = IsListEmpty(ListHead) ? NULL : ListHead->Flink;
	InsertHeadList(ListHead, ListEntry);
	NdisReleaseSpinLock(SpinLock);
	return first;
}

PLIST_ENTRY NdisInterlockedInsertTailList(PLIST_ENTRY ListHead,
					  PLIST_ENTRY ListEntry,
					  PNDIS_SPIN_LOCK SpinLock)
{
	PLIST_ENTRY last;

	NdisAcquireSpinLock(SpinLock);
	last = IsListEmpty(ListHead) ? NULL : ListHead->Blink;
	InsertTailList(ListHead, ListEntry);
	NdisReleaseSpinLock(SpinLock);
	return last;
}

PLIST_ENTRY NdisInterlockedRemoveHeadList(PLIST_ENTRY ListHead,
					  PNDIS_SPIN_LOCK SpinLock)
{
	PLIST_ENTRY first = NULL;

	NdisAcquireSpinLock(SpinLock);
	if (!IsListEmpty(ListHead))
		first = RemoveHeadList(ListHead);
	NdisReleaseSpinLock(SpinLock);
	return first;
}

LONG InterlockedIncrement(LONG volatile *Addend)
{
	return ++*Addend;
}

LONG InterlockedDecrement(LONG volatile *Addend)
{
	return --*Addend;
}

LONG InterlockedExchange(LONG volatile *Target, LONG Value)
{
	LONG old = *Target;

	*Target = Value;
	return old;
}

LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value)
{
	LONG old = *Addend;

	*Addend = old + Value;
	return old;
}

LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange,
				LONG Comperand)
{
	LONG old = *Destination;

	if (old == Comperand)
		*Destination = Exchange;
	return old;
}

PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
	PVOID old = *Target;

	*Target = Value;
	return old;
}

PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination,
					PVOID Exchange, PVOID Comperand)
{
	PVOID old = *Destination;

	if (old == Comperand)
		*Destination = Exchange;
	return old;
}
/* LCOV_EXCL_STOP */

/*
 * Strings and debugging
 */

VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString,
			  PCWSTR SourceString)
{
	size_t n = SourceString != NULL ? wcslen(SourceString) : 0;

	DestinationString->Buffer = (PWSTR)SourceString;
	DestinationString->Length = (USHORT)(n * sizeof(WCHAR));
	DestinationString->MaximumLength =
		SourceString != NULL ? (USHORT)((n + 1) * sizeof(WCHAR)) : 0;
}

/* LCOV_EXCL_START: a driver's ASSERT failed: ends in abort(), which writes
 * no profile; no driver in the tree fails one. */
VOID RtlAssert(PVOID FailedAssertion, PVOID FileName, ULONG LineNumber,
	       PSTR Message)
{
	fprintf(stderr, "partyfuzz: driver ASSERT failed: %s%s%s at %s:%u\n",
		(const char *)FailedAssertion, Message ? ": " : "",
		Message ? Message : "", (const char *)FileName,
		(unsigned)LineNumber);
	if (_cn_eng != NULL) {
		fprintf(stderr, "partyfuzz: last trace steps:\n");
		cn_trace_dump(stderr, 24);
	}
	fflush(stderr);
	abort();
}
/* LCOV_EXCL_STOP */

/* LCOV_EXCL_START: a WDK service for driver authors that no driver in the
 * tree (fuzz/drivers, fuzz/examples) calls, so no input reaches it;
 * core/test/test_ndis_services.c checks it. */
ULONG DbgPrint(PCSTR Format, ...)
{
	static int on = -1;
	va_list ap;

	if (on < 0)
		on = getenv("PF_DBGPRINT") != NULL;
	if (!on)
		return 0;
	va_start(ap, Format);
	vfprintf(stderr, Format, ap);
	va_end(ap);
	return 0;
}
/* LCOV_EXCL_STOP */
