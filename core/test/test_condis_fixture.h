/*
 * test_condis_fixture.h - shared set-up of the engine unit tests: an engine
 * in record mode with the reference drivers, a scripted CM decision
 * callback, a switchable delivery callback, and state snapshots for "the
 * rejected call changed nothing" assertions.
 */
#ifndef PARTYFUZZ_TEST_CONDIS_FIXTURE_H
#define PARTYFUZZ_TEST_CONDIS_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ref_drivers.h"
#include "partyfuzz/condis.h"
#include "pt_test.h"

/* Scripted CM decisions, consumed in order; SYNC_SUCCESS once used up. */
static struct drv_choice fx_script[64];
static unsigned fx_script_n, fx_script_i;

/* Deliveries: 0 = synchronous, 1 = deferred to CPU fx_defer_cpu. */
static int fx_defer;
static uint32_t fx_defer_cpu = 1;

static struct drv_choice fx_decide(void *arg, enum cn_req req)
{
	struct drv_choice sync_ok = { DRV_SYNC_SUCCESS, NDIS_STATUS_SUCCESS };

	(void)arg;
	(void)req;
	if (fx_script_i < fx_script_n)
		return fx_script[fx_script_i++];
	return sync_ok;
}

static int fx_choose(void *arg, enum cn_fn cb, uint32_t *cpu)
{
	(void)arg;
	(void)cb;
	*cpu = fx_defer_cpu;
	return fx_defer;
}

/* Queue decisions: fx_will(DRV_PEND, 0), fx_will(DRV_SYNC_FAIL, st). */
static inline void fx_will(enum drv_decision d, NDIS_STATUS fail)
{
	if (fx_script_n < sizeof(fx_script) / sizeof(fx_script[0])) {
		fx_script[fx_script_n].decision = d;
		fx_script[fx_script_n].fail_status = fail;
		fx_script_n++;
	}
}

static inline struct cn_config fx_config(uint32_t options)
{
	struct cn_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_vcs = 4;
	cfg.max_parties = 16;
	cfg.gen_bits = 0;
	cfg.cpu_count = 2;
	cfg.dpc_capacity = 8;
	cfg.trace_capacity = 512;
	cfg.mode = CN_VERIFY_RECORD;
	cfg.options = options;
	cfg.choose_delivery = fx_choose;
	return cfg;
}

static inline void fx_end(void)
{
	drv_client_teardown();
	drv_cm_teardown();
	cn_engine_destroy();
}

/* Engine + reference client + reference CM of @kind (after a case that
 * aborted half-way, the previous one is torn down first). */
static inline void fx_begin_cfg(struct pt_test *test,
				const struct cn_config *cfg,
				enum cn_cm_kind kind)
{
	fx_script_n = fx_script_i = 0;
	fx_defer = 0;
	fx_defer_cpu = 1;
	if (cn_engine_config() != NULL)
		fx_end();
	PT_ASSERT_OK(test, cn_engine_create(cfg));
	PT_ASSERT_OK(test, drv_client_register(4));
	PT_ASSERT_OK(test, drv_cm_register(kind, fx_decide, NULL));
}

/* The next run on the same engine, as the harness starts one: the
 * drivers' memory freed, cn_engine_reset(), the drivers registered again. */
static inline void fx_next_run(struct pt_test *test, enum cn_cm_kind kind)
{
	drv_client_teardown();
	drv_cm_teardown();
	fx_script_n = fx_script_i = 0;
	fx_defer = 0;
	PT_ASSERT_OK(test, cn_engine_reset());
	PT_ASSERT_OK(test, drv_client_register(4));
	PT_ASSERT_OK(test, drv_cm_register(kind, fx_decide, NULL));
}

static inline void fx_begin(struct pt_test *test, enum cn_cm_kind kind,
			    uint32_t options)
{
	struct cn_config cfg = fx_config(options);

	fx_begin_cfg(test, &cfg, kind);
}

/* cn_call_validate() must hold: the quiescent-state invariants. */
#define FX_VALID(test)                                                        \
	do {                                                                  \
		char why_[256] = "";                                          \
		int r_ = cn_call_validate(why_, sizeof(why_));                \
		if (r_ != PT_OK)                                              \
			printf("# cn_call_validate: %s\n", why_);             \
		PT_EXPECT_OK(test, r_);                                       \
	} while (0)

/* A stimulus that must be DONE with status @want. */
#define FX_DO(test, call, want)                                               \
	do {                                                                  \
		NDIS_STATUS st_ = 0xdeadbeef;                                 \
		PT_EXPECT_EQ(test, call, DRV_DONE);                           \
		PT_EXPECT_HANDLE_EQ(test, st_, (want));                       \
		FX_VALID(test);                                               \
	} while (0)
/* Use as FX_DO(test, drv_client_add_party(0, &st_), ...). */

static inline uint64_t fx_h(NDIS_HANDLE h)
{
	return CN_HANDLE_VALUE(h);
}

static inline NDIS_HANDLE fx_vc(uint32_t k)
{
	return drv_client_vc_handle(k);
}

static inline enum cn_vc_state fx_vc_state(uint32_t k)
{
	struct cn_vc_info vi;

	if (cn_vc_query(fx_vc(k), &vi) != PT_OK)
		return CN_VC_FREE;
	return vi.state;
}

/* The @n-th live party of VC #k (slot order), or NULL. */
static inline NDIS_HANDLE fx_party(uint32_t k, uint32_t n)
{
	uint32_t cursor = 0;
	NDIS_HANDLE ph = NULL;

	while (cn_party_next(fx_vc(k), &cursor, &ph, NULL))
		if (n-- == 0)
			return ph;
	return NULL;
}

static inline int fx_party_state(NDIS_HANDLE ph)
{
	struct cn_party_info pi;

	if (cn_party_query(ph, &pi) != PT_OK)
		return -1;
	return (int)pi.state;
}

/* Run every queued DPC, oldest first per CPU. */
static inline void fx_drain(void)
{
	uint32_t c;

	for (c = 0; c < cn_cpu_count(); c++)
		while (cn_dpc_count(c) > 0)
			if (cn_dpc_run(c, 0) != PT_OK)
				return;
}

/* A printable snapshot of everything the model compares. */
struct fx_snap {
	char buf[8192];
	size_t n;
};

static inline void fx_snap_add(struct fx_snap *s, const char *fmt, ...)
{
	va_list ap;

	if (s->n >= sizeof(s->buf))
		return;
	va_start(ap, fmt);
	s->n += (size_t)vsnprintf(s->buf + s->n, sizeof(s->buf) - s->n, fmt,
				  ap);
	va_end(ap);
	if (s->n > sizeof(s->buf))
		s->n = sizeof(s->buf);
}

static inline void fx_snap(struct fx_snap *s)
{
	uint32_t vcur = 0, c;
	NDIS_HANDLE vh;
	struct cn_vc_info vi;
	struct cn_stats st;

	memset(s, 0, sizeof(*s));
	while (cn_vc_next(&vcur, &vh, &vi)) {
		uint32_t pcur = 0;
		NDIS_HANDLE ph;
		struct cn_party_info pi;

		fx_snap_add(s, "vc %p s%d p%d a%d r%d %u/%u/%u/%u/%u/%u\n", vh,
			    vi.state, vi.pmp, vi.activated, vi.pending,
			    vi.active, vi.adding, vi.dropping, vi.making,
			    vi.closing, vi.remote_dropped);
		while (cn_party_next(vh, &pcur, &ph, &pi))
			fx_snap_add(s, " party %p s%d r%d %p %p\n", ph,
				    pi.state, pi.pending,
				    pi.ProtocolPartyContext,
				    pi.CallMgrPartyContext);
	}
	cn_engine_stats(&st);
	fx_snap_add(s,
		    "owed %u dpcs %u created %u ended %u pended %u "
		    "completed %u\n",
		    cn_pending_count(), cn_dpc_total(), st.parties_created,
		    st.parties_ended, st.client_pended, st.client_completed);
	for (c = 0; c < cn_cpu_count(); c++)
		fx_snap_add(s, "cpu%u %u\n", c, cn_cpu_irql(c));
}

#endif /* PARTYFUZZ_TEST_CONDIS_FIXTURE_H */
