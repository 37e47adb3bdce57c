/*
 * hsched.h - the deterministic actor scheduler of the CoNDIS harness.
 *
 * Actors (program.h, enum pf_actor): the client thread, the call manager's
 * work (CM or MCM) and the network (the CM reporting incoming drops and
 * closes). Each actor sits on one simulated processor at one IRQL, both
 * chosen by the program (op sched); every other choice is the program's
 * too: which actor acts next is simply the next operation, which queued
 * DPC runs is op run_dpc. No clock, no randomness: same program, same
 * interleaving.
 *
 * Rule of the simulated processors: DISPATCH_LEVEL work is not
 * preempted by PASSIVE_LEVEL work on the same CPU. Before an actor runs
 * below DISPATCH_LEVEL on a CPU, every DPC queued on that CPU runs first
 * (oldest first, at DISPATCH_LEVEL: cn_dpc_run). An actor placed at
 * DISPATCH_LEVEL or above runs without draining (it is itself DPC-level
 * work; the queued DPCs wait until the CPU drops below DISPATCH_LEVEL,
 * i.e. until PASSIVE work or run_dpc comes to it).
 *
 * Between operations every CPU is back at PASSIVE_LEVEL (hs_leave).
 *
 * Context: single-threaded, between engine steps.
 */
#ifndef PARTYFUZZ_HSCHED_H
#define PARTYFUZZ_HSCHED_H

#include <stdint.h>

#include "harness/program.h"
#include "partyfuzz/ndis.h"

struct hs_sched {
	uint8_t cpus;
	uint8_t cpu[PF_ACTOR_COUNT];  /* 0 .. cpus - 1 */
	uint8_t irql[PF_ACTOR_COUNT]; /* enum pf_irql */
	uint8_t entered;              /* an actor is running (PF_ACTOR_*+1) */
	KIRQL saved;                  /* IRQL before hs_enter raised it */
};

/* Every actor on CPU 0 at PASSIVE_LEVEL; @cpus simulated processors. */
void hs_init(struct hs_sched *s, unsigned cpus);

/* op sched: @actor runs on @cpu % cpus at @irql (enum pf_irql). */
void hs_place(struct hs_sched *s, int actor, unsigned cpu, int irql);

/**
 * hs_enter() - make @actor the running context.
 * @s: the scheduler.
 * @actor: enum pf_actor.
 *
 * Selects the actor's CPU, runs that CPU's queued DPCs if the actor runs
 * below DISPATCH_LEVEL, then raises the CPU to the actor's IRQL
 * (KeRaiseIrql, so the trace shows it).
 *
 * Return: the number of DPCs run.
 */
uint32_t hs_enter(struct hs_sched *s, int actor);

/* Back to PASSIVE_LEVEL on the actor's CPU (KeLowerIrql). */
void hs_leave(struct hs_sched *s);

/**
 * hs_run_dpc() - op run_dpc: run DPC #@index % queued of @cpu % cpus.
 * Return: 1 if a DPC ran, 0 if the queue was empty.
 */
int hs_run_dpc(struct hs_sched *s, unsigned cpu, unsigned index);

/* Run every queued DPC, CPU by CPU, oldest first. Return: how many. */
uint32_t hs_drain(struct hs_sched *s);

/* The actor's KIRQL. */
KIRQL hs_irql(const struct hs_sched *s, int actor);

#endif /* PARTYFUZZ_HSCHED_H */
