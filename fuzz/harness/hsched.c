/*
 * hsched.c - the deterministic actor scheduler (hsched.h).
 *
 * Invariants:
 *   (S1) between hs_leave() and the next hs_enter() every CPU is at
 *        PASSIVE_LEVEL, so cn_dpc_run() may run on any of them.
 *   (S2) an actor below DISPATCH_LEVEL never starts on a CPU with queued
 *        DPCs (the drain in hs_enter() empties the queue first; a DPC's
 *        handler cannot queue another DPC on its own CPU because the
 *        harness delivers nothing while a DPC runs).
 */
#include "harness/hsched.h"

#include <string.h>

#include "partyfuzz/condis.h"

void hs_init(struct hs_sched *s, unsigned cpus)
{
	memset(s, 0, sizeof(*s));
	s->cpus = (uint8_t)(cpus == 0 ? 1 : cpus);
}

void hs_place(struct hs_sched *s, int actor, unsigned cpu, int irql)
{
	if (actor < 0 || actor >= PF_ACTOR_COUNT)
		return;
	s->cpu[actor] = (uint8_t)(cpu % s->cpus);
	s->irql[actor] = (uint8_t)(irql & 3);
}

KIRQL hs_irql(const struct hs_sched *s, int actor)
{
	return (KIRQL)pf_irql_value(s->irql[actor]);
}

static void run_dpc_at(unsigned cpu, unsigned index)
{
	/* (S1): the CPU is at PASSIVE_LEVEL, cn_dpc_run() cannot refuse. */
	if (cn_dpc_run(cpu, index) != PT_OK)
		return;
}

uint32_t hs_enter(struct hs_sched *s, int actor)
{
	unsigned cpu = s->cpu[actor];
	KIRQL want = hs_irql(s, actor);
	uint32_t ran = 0;

	if (want < DISPATCH_LEVEL) {
		/* (S2) */
		while (cn_dpc_count(cpu) > 0) {
			run_dpc_at(cpu, 0);
			ran++;
		}
	}
	if (cn_cpu_select(cpu) != PT_OK)
		return ran;
	/* Whose top-level calls these are (NdisCoDeleteVc names no caller). */
	cn_actor_set(actor == PF_ACTOR_CLIENT ? CN_ACTOR_CLIENT : CN_ACTOR_CM);
	s->entered = (uint8_t)(actor + 1);
	s->saved = KeGetCurrentIrql();
	if (want > s->saved) {
		KIRQL old;

		KeRaiseIrql(want, &old);
	}
	return ran;
}

void hs_leave(struct hs_sched *s)
{
	if (!s->entered)
		return;
	if (KeGetCurrentIrql() > s->saved)
		KeLowerIrql(s->saved);
	cn_actor_set(CN_ACTOR_CLIENT);
	s->entered = 0;
}

int hs_run_dpc(struct hs_sched *s, unsigned cpu, unsigned index)
{
	uint32_t n;

	cpu %= s->cpus;
	n = cn_dpc_count(cpu);
	if (n == 0)
		return 0;
	return cn_dpc_run(cpu, index % n) == PT_OK;
}

uint32_t hs_drain(struct hs_sched *s)
{
	uint32_t ran = 0;
	unsigned cpu;

	for (cpu = 0; cpu < s->cpus; cpu++)
		while (cn_dpc_count(cpu) > 0 && cn_dpc_run(cpu, 0) == PT_OK)
			ran++;
	return ran;
}
