/*
 * condis_deliver.c - completion delivery and the DPC queues.
 *
 * Delivery. A client completion or indication caused by the CM goes
 * through _cn_deliver(): the harness's choose_delivery() runs it now or
 * queues it on a CPU's DPC queue; cn_dpc_run() runs a queued one at
 * DISPATCH_LEVEL. The state changed before delivery (condis.h).
 */
#include <stdlib.h>
#include <string.h>

#include "condis_internal.h"
#include "debug.h"
#include "fault.h"

/*
 * Delivery and DPCs.
 */

/* The trace entry of a client callback: its arguments (condis.h). */
PT_NO_COVERAGE static uint64_t trace_delivery(struct cn_engine *e,
					      const struct cn_dpc *d)
{
	uint64_t step = _cn_trace_begin(e, d->cb, d->handle, 1, d->status);
	struct cn_trace_entry *t = _cn_trace_at(e, step);

	t->ctx = _cn_h(d->ctx);
	if (d->cb == CN_FN_ProtocolClCloseCallComplete ||
	    d->cb == CN_FN_ProtocolCoOidRequestComplete)
		t->ctx2 = _cn_h(d->arg);
	else
		t->party = _cn_h(d->arg);
	t->params = (uint64_t)(uintptr_t)d->params;
	t->data = (uint64_t)(uintptr_t)d->data;
	t->size = d->size;
	t->dpc_seq = d->seq;
	return step;
}

/*
 * C1 at a callback's return: every callback returns at the IRQL it was
 * entered at (a DPC's at DISPATCH_LEVEL, a ProtocolCm* handler at its
 * caller's). A handler that left it changed (KeLowerIrql(PASSIVE_LEVEL)
 * inside a DPC, a KeRaiseIrql or a spin lock it did not undo) is reported
 * on the callback's own step, naming it, and its CPU is put back at the
 * entry IRQL, so that the rest of the run is judged at the right level.
 */
static const char *irql_back_detail(KIRQL in, KIRQL out)
{
	static const char *const d[4][4] = {
#define CN_BACK_(a, b) "entered at " a ", returned at " b
		{ NULL, CN_BACK_("PASSIVE_LEVEL", "APC_LEVEL"),
		  CN_BACK_("PASSIVE_LEVEL", "DISPATCH_LEVEL"),
		  CN_BACK_("PASSIVE_LEVEL", "an IRQL above DISPATCH_LEVEL") },
		{ CN_BACK_("APC_LEVEL", "PASSIVE_LEVEL"), NULL,
		  CN_BACK_("APC_LEVEL", "DISPATCH_LEVEL"),
		  CN_BACK_("APC_LEVEL", "an IRQL above DISPATCH_LEVEL") },
		{ CN_BACK_("DISPATCH_LEVEL", "PASSIVE_LEVEL"),
		  CN_BACK_("DISPATCH_LEVEL", "APC_LEVEL"), NULL,
		  CN_BACK_("DISPATCH_LEVEL", "an IRQL above DISPATCH_LEVEL") },
		{ CN_BACK_("an IRQL above DISPATCH_LEVEL", "PASSIVE_LEVEL"),
		  CN_BACK_("an IRQL above DISPATCH_LEVEL", "APC_LEVEL"),
		  CN_BACK_("an IRQL above DISPATCH_LEVEL", "DISPATCH_LEVEL"),
		  "returned at another IRQL above DISPATCH_LEVEL than it was "
		  "entered at" },
#undef CN_BACK_
	};

	return d[in > DISPATCH_LEVEL ? 3 : in][out > DISPATCH_LEVEL ? 3 : out];
}

void _cn_cb_return(struct cn_engine *e, uint64_t step)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);
	const struct cn_cb_frame *f;
	KIRQL now = e->irql[e->cpu];

	if (t != NULL)
		t->irql_back = (uint8_t)(1 + now);
	if (e->depth >= CN_CB_NEST)
		return;
	f = &e->cb[e->depth];
	if (now == f->irql)
		return;
	_cn_report(e, CN_RULE_C1, f->fn, step, f->handle, -1, -1,
		   irql_back_detail(f->irql, now));
	e->irql[e->cpu] = f->irql; /* Q2 */
}

void _cn_deliver_now(struct cn_engine *e, const struct cn_dpc *d)
{
	uint64_t step = trace_delivery(e, d);
	int twice = PT_FAULT_IS(CN_DOUBLE_DELIVERY) &&
		    d->cb == CN_FN_ProtocolClDropPartyComplete;

	_cn_cb_entered(e, d->cb, d->handle);
	_cn_who_push(e, CN_ACTOR_CLIENT);
	e->depth++;
	switch (d->cb) {
	case CN_FN_ProtocolClMakeCallComplete:
		e->stats.client_completed++;
		e->cl.ClMakeCallCompleteHandler(d->status, d->ctx, d->arg,
						d->params);
		break;
	case CN_FN_ProtocolClAddPartyComplete:
		e->stats.client_completed++;
		e->cl.ClAddPartyCompleteHandler(d->status, d->ctx, d->arg,
						d->params);
		break;
	case CN_FN_ProtocolClDropPartyComplete:
		e->stats.client_completed++;
		e->cl.ClDropPartyCompleteHandler(d->status, d->ctx);
		if (twice) {
			/* LCOV_EXCL_START: planted fault only (fault.h) */
			e->stats.client_completed++;
			e->cl.ClDropPartyCompleteHandler(d->status, d->ctx);
		} /* LCOV_EXCL_STOP */
		break;
	case CN_FN_ProtocolClCloseCallComplete:
		e->stats.client_completed++;
		e->cl.ClCloseCallCompleteHandler(d->status, d->ctx, d->arg);
		break;
	case CN_FN_ProtocolClIncomingDropParty:
		e->stats.indications++;
		e->cl.ClIncomingDropPartyHandler(d->status, d->ctx, d->data,
						 d->size);
		break;
	case CN_FN_ProtocolCoSendNetBufferListsComplete:
		_cn_send_deliver(e, d, step);
		break;
	case CN_FN_ProtocolCoOidRequestComplete:
		_cn_oid_deliver(e, d);
		break;
	case CN_FN_ProtocolClIncomingCloseCall: {
		struct cn_vc *v;

		if (_cn_vc_lookup(e, d->handle, &v) == PT_OK)
			v->remote_close_seen = 1;
		e->stats.indications++;
		e->cl.ClIncomingCloseCallHandler(d->status, d->ctx, d->data,
						 d->size);
		break;
		/* LCOV_EXCL_START: impossible: only the callbacks above are
		 * ever queued; the assertion aborts (the brace before the
		 * default ends the case above, after its break). */
	}
	default:
		PT_ASSERT(0);
		break;
		/* LCOV_EXCL_STOP */
	}
	_cn_who_pop(e);
	e->depth--;
	_cn_cb_return(e, step);
	_cn_trace_end(e, step, 0, 0);
}

void _cn_deliver(struct cn_engine *e, uint64_t step, struct cn_dpc *d)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);
	uint32_t cpu = 0;

	d->seq = 0;
	if (e->cfg.choose_delivery != NULL &&
	    e->cfg.choose_delivery(e->cfg.choose_arg, d->cb, &cpu)) {
		if (t != NULL) {
			t->defer = 1;
			t->dpc_cpu = cpu;
		}
		cpu %= e->cfg.cpu_count;
		if (e->dpc_len[cpu] < e->cfg.dpc_capacity) { /* V11 */
			d->seq = ++e->dpc_seq;
			e->dpc[cpu * e->cfg.dpc_capacity + e->dpc_len[cpu]++] =
				*d;
			e->stats.deferred++;
			if (t != NULL)
				t->dpc_seq = d->seq;
			return;
		}
	}
	_cn_deliver_now(e, d);
}

PT_ORACLE uint32_t cn_dpc_count(uint32_t cpu)
{
	struct cn_engine *e = _cn_engine_get();

	return cpu < e->cfg.cpu_count ? e->dpc_len[cpu] : 0;
}

/* LCOV_EXCL_START: C API that only the unit tests call
 * (core/test/test_condis_fixture.h): no input reaches it. */
PT_ORACLE uint32_t cn_dpc_total(void)
{
	struct cn_engine *e = _cn_engine_get();
	uint32_t c, n = 0;

	for (c = 0; c < e->cfg.cpu_count; c++)
		n += e->dpc_len[c];
	return n;
}
/* LCOV_EXCL_STOP */

/*
 * A queued indication whose object changed before the DPC ran: the party
 * ended (its handle is stale), or the VC is no longer REMOTE_CLOSED or
 * CLOSING (the client closed it meanwhile, maybe deleted it).
 */
static int indication_obsolete(struct cn_engine *e, const struct cn_dpc *d)
{
	struct cn_vc *v;

	if (d->cb == CN_FN_ProtocolClIncomingDropParty)
		return pt_party_lookup(e->parties, d->handle, NULL) != PT_OK;
	if (d->cb == CN_FN_ProtocolClIncomingCloseCall)
		return _cn_vc_lookup(e, d->handle, &v) != PT_OK ||
		       (v->state != CN_VC_REMOTE_CLOSED &&
			v->state != CN_VC_CLOSING);
	return 0;
}

int cn_dpc_run(uint32_t cpu, uint32_t index)
{
	struct cn_engine *e = _cn_engine_get();
	struct cn_dpc *row, d;
	uint32_t prev_cpu = e->cpu;
	KIRQL prev_irql;

	/* Coverage: the refusals are C API misuse (ci/coverage.sh): the
	 * harness runs only a queued DPC, on a CPU at PASSIVE_LEVEL, between
	 * DDIs (harness/hsched.c, S1); core/test checks them. */
	/* LCOV_EXCL_BR_START: C API misuse (above) */
	if (cpu >= e->cfg.cpu_count || index >= e->dpc_len[cpu])
		return PT_E_INVAL; /* LCOV_EXCL_LINE: C API misuse (above) */
	if (e->irql[cpu] >= DISPATCH_LEVEL || e->depth != 0)
		return PT_E_STATE; /* LCOV_EXCL_LINE: C API misuse (above) */
	/* LCOV_EXCL_BR_STOP */
	row = &e->dpc[cpu * e->cfg.dpc_capacity];
	d = row[index];
	memmove(&row[index], &row[index + 1],
		sizeof(*row) * (e->dpc_len[cpu] - index - 1));
	e->dpc_len[cpu]--;
	prev_irql = e->irql[cpu];
	e->cpu = cpu;
	e->irql[cpu] = DISPATCH_LEVEL;
	if (indication_obsolete(e, &d)) {
		/* NDIS never indicates on an object that is gone (its
		 * context may be freed) or whose state moved on. */
		struct cn_trace_entry *t =
			_cn_trace_at(e, trace_delivery(e, &d));

		t->note = "cancelled: the object moved on";
		t->cancelled = 1;
		e->stats.indications_cancelled++;
	} else {
		_cn_deliver_now(e, &d);
	}
	/* A CM's delete of the VC waited for this DPC (condis_incoming.c). */
	if (pt_handle_tag(d.handle) == CN_TAG_VC)
		_cn_cm_vc_delete_due(e, d.handle);
	/* A handler that left the IRQL changed was reported (C1) and put
	 * back at DISPATCH_LEVEL by _cn_cb_return(); the DPC ends at the
	 * level it was entered from. */
	e->irql[cpu] = prev_irql;
	e->cpu = prev_cpu;
	return PT_OK;
}
