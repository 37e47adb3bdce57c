/*
 * irql.c - simulated processors and the kernel IRQL routines.
 *
 * Each simulated CPU has one IRQL. The harness picks the current CPU with
 * cn_cpu_select(); KeGetCurrentIrql/KeRaiseIrql/KeLowerIrql act on it, and
 * every DDI checks it on entry (C1, condis_ddi.c). cn_dpc_run() (condis_deliver.c)
 * raises a CPU to DISPATCH_LEVEL for the DPC's duration.
 *
 * Invariants:
 *   Q1 cpu < cpu_count.
 *   Q2 irql[c] <= HIGH_LEVEL for every CPU c: a raise above HIGH_LEVEL or
 *      in the wrong direction is reported (C1) and ignored.
 */
#include "condis_internal.h"

void _cn_cpus_reset(struct cn_engine *e)
{
	uint32_t c;

	e->cpu = 0; /* Q1 */
	for (c = 0; c < CN_MAX_CPUS; c++)
		e->irql[c] = PASSIVE_LEVEL;
}

int cn_cpu_select(uint32_t cpu)
{
	struct cn_engine *e = _cn_engine_get();

	/* Coverage: the refusals are C API misuse (ci/coverage.sh): the
	 * harness selects only its CPUs, between DDIs (harness/hsched.c). */
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (cpu >= e->cfg.cpu_count)
		return PT_E_INVAL; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	/* A DDI in progress stays on its CPU. */
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (e->depth != 0)
		return PT_E_STATE; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	e->cpu = cpu;              /* Q1 */
	return PT_OK;
}

/* LCOV_EXCL_START: C API that only the unit tests call
 * (core/test/test_condis_*): the harness and tools never do, so no input
 * reaches it. */
uint32_t cn_cpu_current(void)
{
	return _cn_engine_get()->cpu;
}

uint32_t cn_cpu_count(void)
{
	return _cn_engine_get()->cfg.cpu_count;
}

KIRQL cn_cpu_irql(uint32_t cpu)
{
	struct cn_engine *e = _cn_engine_get();

	if (cpu >= e->cfg.cpu_count)
		return HIGH_LEVEL + 1;
	return e->irql[cpu];
}
/* LCOV_EXCL_STOP */

KIRQL KeGetCurrentIrql(void)
{
	struct cn_engine *e = _cn_engine_get();

	return e->irql[e->cpu];
}

VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql)
{
	struct cn_engine *e = _cn_engine_get();
	KIRQL cur = e->irql[e->cpu];
	uint64_t step = _cn_trace_begin(e, CN_FN_KeRaiseIrql, NewIrql, 0, 0);

	if (OldIrql == NULL) {
		_cn_report(e, CN_RULE_C1, CN_FN_KeRaiseIrql, step, NewIrql, -1,
			   -1, "NULL OldIrql");
		return;
	}
	if (NewIrql < cur || NewIrql > HIGH_LEVEL) {
		_cn_report(e, CN_RULE_C1, CN_FN_KeRaiseIrql, step, NewIrql, -1,
			   -1,
			   NewIrql < cur ? "KeRaiseIrql to a lower IRQL"
					 : "KeRaiseIrql above HIGH_LEVEL");
		*OldIrql = cur;
		return;
	}
	*OldIrql = cur;
	e->irql[e->cpu] = NewIrql; /* Q2 */
}

VOID KeLowerIrql(KIRQL NewIrql)
{
	struct cn_engine *e = _cn_engine_get();
	uint64_t step = _cn_trace_begin(e, CN_FN_KeLowerIrql, NewIrql, 0, 0);

	if (NewIrql > e->irql[e->cpu]) {
		_cn_report(e, CN_RULE_C1, CN_FN_KeLowerIrql, step, NewIrql, -1,
			   -1, "KeLowerIrql to a higher IRQL");
		return;
	}
	e->irql[e->cpu] = NewIrql; /* Q2 */
}

/* LCOV_EXCL_START: a WDK service for driver authors that no driver in the
 * tree (fuzz/drivers, fuzz/examples) calls, so no input reaches it;
 * core/test/test_ndis_services.c checks it. */
KIRQL KeRaiseIrqlToDpcLevel(void)
{
	KIRQL old = PASSIVE_LEVEL;

	KeRaiseIrql(DISPATCH_LEVEL, &old);
	return old;
}
/* LCOV_EXCL_STOP */
