/*
 * condis.c - the CoNDIS engine's lifecycle: create, reset and destroy the
 * one engine, its configuration, options and statistics. The engine is
 * split along its seams:
 *   condis_machine.c  the party and VC state machines, contract coverage
 *                     and its DOT graph, and the object steps;
 *   condis_deliver.c  completion delivery and the DPC queues;
 *   condis_query.c    the queries the harness and the model read;
 *   condis_check.c    cn_call_validate() (V1..V13) and
 *                     cn_engine_check_end();
 *   condis_ddi.c      the party-lifecycle DDIs: VCs, make call,
 *                     activation (the checks they share: condis_ddi.h);
 *   condis_party.c    add and drop party (the last party, L1);
 *   condis_close.c    close call and the network's indications;
 *   condis_incoming.c CM-created VCs and incoming calls;
 *   condis_send.c     sends and OID requests;
 *   condis_af.c       the client's address family and SAPs (C28);
 *   condis_bind.c     registration and bring-up;
 *   condis_af.c       the client's address family (open, close: C28)
 *                     and its SAPs;
 *   ndis_services.c   the NDIS services (spin locks, memory, lookaside
 *                     lists).
 */
#include <stdlib.h>
#include <string.h>

#include "condis_internal.h"
#include "debug.h"
#include "fault.h"

struct cn_engine *_cn_eng;

/* LCOV_EXCL_START: a DDI called before cn_engine_create(): every harness
 * creates the engine first; ends in abort(). */
void _cn_engine_missing(void)
{
	fprintf(stderr, "partyfuzz: no CoNDIS engine: call "
			"cn_engine_create() first\n");
	abort();
}
/* LCOV_EXCL_STOP */

/*
 * Lifecycle (registration is in condis_bind.c).
 *
 * Coverage exclusions here (ci/coverage.sh): "C API misuse" is a refusal
 * of arguments every harness passes right (a bad config, no engine, a
 * second engine), which core/test checks; "no memory" is an allocation
 * failure, which no input causes.
 */

static int check_config(const struct cn_config *c)
{
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (c == NULL || c->max_vcs < 1 || c->max_vcs > CN_MAX_VCS ||
	    c->max_parties < 1 || c->max_parties > PT_MAX_CAPACITY ||
	    c->gen_bits > PT_MAX_GEN_BITS || c->cpu_count < 1 ||
	    c->cpu_count > CN_MAX_CPUS || c->dpc_capacity < 1 ||
	    c->trace_capacity < 1 ||
	    (c->mode != CN_VERIFY_ABORT && c->mode != CN_VERIFY_RECORD))
		return PT_E_INVAL; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	return PT_OK;
}

static void engine_free(struct cn_engine *e)
{
	if (e == NULL) /* LCOV_EXCL_BR_LINE: C API misuse (above) */
		return; /* LCOV_EXCL_LINE: C API misuse (above) */
	pt_table_destroy(e->parties);
	free(e->vcs);
	free(e->pside);
	free(e->dpc);
	free(e->ring);
	free(e->vcount);
	free(e);
}

static int engine_reset(struct cn_engine *e)
{
	struct pt_config pc = {
		.capacity = e->cfg.max_parties,
		.vc_count = e->cfg.max_vcs,
		.gen_bits = e->cfg.gen_bits,
		.tag = CN_TAG_PARTY,
	};
	uint32_t i;
	int err;

	/* An empty table: handles start over, so runs are independent. The
	 * table is kept (its size is the engine's, fixed at creation). */
	err = e->parties ? pt_table_reset(e->parties, e->cfg.gen_bits)
			 : pt_table_create(&pc, &e->parties);
	if (err != PT_OK) /* LCOV_EXCL_BR_LINE: no memory */
		return err; /* LCOV_EXCL_LINE: no memory */
	e->gen_max = pt_table_gen_max(e->parties);
	e->table_epoch = 1; /* V1 not checked yet */
	e->table_valid = 0;
	memset(e->vcs, 0, sizeof(*e->vcs) * e->cfg.max_vcs);
	for (i = 0; i < e->cfg.max_vcs; i++)
		e->vcs[i].gen = 1;
	memset(e->pside, 0, sizeof(*e->pside) * e->cfg.max_parties);
	memset(e->dpc_len, 0, sizeof(e->dpc_len));
	e->dpc_seq = 0;
	e->have_client = 0;
	e->cm_kind = 0;
	memset(&e->cl, 0, sizeof(e->cl));
	memset(&e->cm, 0, sizeof(e->cm));
	e->cl_af_ctx = NULL;
	e->cm_af_ctx = NULL;
	_cn_bind_reset(e);
	_cn_send_reset(e);
	_cn_services_reset(e);
	e->owed = 0;
	e->n_early = 0;
	e->depth = 0;
	e->n_who = 0;
	e->actor_top = CN_ACTOR_CLIENT;
	memset(&e->stats, 0, sizeof(e->stats));
	_cn_verifier_reset(e);
	_cn_trace_reset(e);
	_cn_cpus_reset(e);
	return PT_OK;
}

int cn_engine_create(const struct cn_config *cfg)
{
	struct cn_engine *e;
	int err;

	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (_cn_eng != NULL || check_config(cfg) != PT_OK)
		return PT_E_INVAL; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	e = calloc(1, sizeof(*e));
	if (e == NULL) /* LCOV_EXCL_BR_LINE: no memory */
		return PT_E_NOMEM; /* LCOV_EXCL_LINE: no memory */
	e->cfg = *cfg;
	e->vcs = calloc(cfg->max_vcs, sizeof(*e->vcs));
	e->pside = calloc(cfg->max_parties, sizeof(*e->pside));
	e->dpc = calloc((size_t)cfg->cpu_count * cfg->dpc_capacity,
			sizeof(*e->dpc));
	e->ring = calloc(cfg->trace_capacity, sizeof(*e->ring));
	e->vcount = calloc((size_t)cfg->max_vcs * PT_STATE_COUNT,
			   sizeof(*e->vcount));
	/* LCOV_EXCL_BR_START: no memory */
	if (!e->vcs || !e->pside || !e->dpc || !e->ring || !e->vcount) {
		/* LCOV_EXCL_START: no memory */
		engine_free(e);
		return PT_E_NOMEM;
	} /* LCOV_EXCL_STOP */
	/* LCOV_EXCL_BR_STOP */
	err = engine_reset(e);
	if (err != PT_OK) { /* LCOV_EXCL_BR_LINE: no memory */
		/* LCOV_EXCL_START: no memory */
		engine_free(e);
		return err;
	} /* LCOV_EXCL_STOP */
	_cn_eng = e;
	return PT_OK;
}

/* LCOV_EXCL_START: C API that only the unit tests call
 * (core/test/test_condis_*): the harness destroys and recreates the
 * engine, so no input reaches it. */
int cn_engine_reset(void)
{
	if (_cn_eng == NULL)
		return PT_E_INVAL;
	return engine_reset(_cn_eng);
}
/* LCOV_EXCL_STOP */

int cn_engine_reset_gen(uint8_t gen_bits)
{
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (_cn_eng == NULL || gen_bits > PT_MAX_GEN_BITS)
		return PT_E_INVAL; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	_cn_eng->cfg.gen_bits = gen_bits;
	return engine_reset(_cn_eng);
}

void cn_engine_destroy(void)
{
	engine_free(_cn_eng);
	_cn_eng = NULL;
}

const struct cn_config *cn_engine_config(void)
{
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	return _cn_eng ? &_cn_eng->cfg : NULL;
	/* LCOV_EXCL_BR_STOP */
}

void cn_engine_set_options(uint32_t options)
{
	_cn_engine_get()->cfg.options = options;
}

void cn_engine_stats(struct cn_stats *out)
{
	*out = _cn_engine_get()->stats;
}
