/*
 * trace.c - the engine's step trace and the names it prints.
 *
 * Every DDI entry and callback into a driver is one step: a
 * fixed-size entry in a ring of cfg.trace_capacity entries (allocated once
 * by cn_engine_create()). A step's return status is written into its entry
 * when the call returns, if the entry is still in the ring. Formatting
 * prints handles by their decoded fields (P3.2 = party slot 3, generation
 * 2) and never a context pointer, so the same run prints the same text on
 * every build and address layout.
 *
 * Invariants:
 *   T1 Step numbers start at 1 and increase by one per recorded step; step
 *      s lives in ring[(s - 1) % trace_capacity] until step
 *      s + trace_capacity overwrites it.
 *   T2 An entry's `returned` is set only by the end of its own call.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "condis_internal.h"
#include "debug.h"

static const char *const fn_names[CN_FN_MAX + 1] = { [CN_FN_NONE] = "?",
#define CN_FN_NAME_(name, value, caller) [value] = #name,
						     CN_FN_ENTRIES(CN_FN_NAME_)
#undef CN_FN_NAME_
};

static const uint8_t fn_callers[CN_FN_MAX + 1] = {
#define CN_FN_CALLER_(name, value, caller) [value] = CN_ACTOR_##caller,
	CN_FN_ENTRIES(CN_FN_CALLER_)
#undef CN_FN_CALLER_
};

const char *cn_fn_name(int fn)
{
	/* LCOV_EXCL_BR_START: a function id outside the catalogue: trace
	 * entries and the harness carry only catalogue ids (C API misuse;
	 * core/test checks it) */
	if (fn <= 0 || fn > CN_FN_MAX)
		return "?"; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
	return fn_names[fn];
}

const char *cn_actor_name(int actor)
{
	static const char *const names[] = {
		"ndis", "client", "cm", "mcm", "harness", "driver",
	};

	/* LCOV_EXCL_BR_START: an actor outside the catalogue: trace entries
	 * carry only catalogue actors (C API misuse; core/test checks it) */
	if (actor < 0 || actor >= (int)(sizeof(names) / sizeof(names[0])))
		return "?"; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
	return names[actor];
}

const char *cn_vc_state_name(int state)
{
	static const char *const names[] = {
		"FREE",          "IDLE",    "MAKING", "CONNECTED",
		"REMOTE_CLOSED", "CLOSING", "CLOSED", "PARKED",
		"OFFERED",       "ACCEPTED",
	};

	/* LCOV_EXCL_BR_START: a VC state outside the machine: the engine
	 * holds only its states (C API misuse; core/test checks it) */
	if (state < 0 || state >= (int)(sizeof(names) / sizeof(names[0])))
		return "?"; /* LCOV_EXCL_LINE: as above */
	/* LCOV_EXCL_BR_STOP */
	return names[state];
}

/* LCOV_EXCL_START: its only callers are the messages of failed
 * cn_call_validate() checks (condis_check.c), which run only on a broken
 * invariant, a bug in core/ or a planted fault (another build). */
const char *cn_req_name(int req)
{
	static const char *const names[] = {
		"NONE", "MAKE_CALL", "ADD_PARTY", "DROP_PARTY", "CLOSE_CALL",
	};

	if (req < 0 || req >= (int)(sizeof(names) / sizeof(names[0])))
		return "?";
	return names[req];
}
/* LCOV_EXCL_STOP */

const char *cn_irql_name(int irql)
{
	static const char *const names[HIGH_LEVEL + 1] = {
		"PASSIVE", "APC",    "DISPATCH", "IRQL3", "IRQL4",  "IRQL5",
		"IRQL6",   "IRQL7",  "IRQL8",    "IRQL9", "IRQL10", "IRQL11",
		"IRQL12",  "IRQL13", "IRQL14",   "HIGH",
	};

	if (irql < 0 || irql > HIGH_LEVEL)
		return "?";
	return names[irql];
}

const char *cn_status_name(NDIS_STATUS s)
{
	switch (s) {
	case NDIS_STATUS_SUCCESS:
		return "SUCCESS";
	case NDIS_STATUS_PENDING:
		return "PENDING";
	case NDIS_STATUS_NOT_RECOGNIZED:
		return "NOT_RECOGNIZED";
	case NDIS_STATUS_NOT_COPIED:
		return "NOT_COPIED";
	case NDIS_STATUS_NOT_ACCEPTED:
		return "NOT_ACCEPTED";
	case NDIS_STATUS_CALL_ACTIVE:
		return "CALL_ACTIVE";
	case NDIS_STATUS_FAILURE:
		return "FAILURE";
	case NDIS_STATUS_INVALID_PARAMETER:
		return "INVALID_PARAMETER";
	case NDIS_STATUS_RESOURCES:
		return "RESOURCES";
	case NDIS_STATUS_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	case NDIS_STATUS_INVALID_STATE:
		return "INVALID_STATE";
	case NDIS_STATUS_CLOSING:
		return "CLOSING";
	case NDIS_STATUS_REQUEST_ABORTED:
		return "REQUEST_ABORTED";
	case NDIS_STATUS_CLOSING_INDICATING:
		return "CLOSING_INDICATING";
	case NDIS_STATUS_INVALID_LENGTH:
		return "INVALID_LENGTH";
	case NDIS_STATUS_INVALID_DATA:
		return "INVALID_DATA";
	case NDIS_STATUS_BAD_VERSION:
		return "BAD_VERSION";
	case NDIS_STATUS_BAD_CHARACTERISTICS:
		return "BAD_CHARACTERISTICS";
	case NDIS_STATUS_UNSUPPORTED_MEDIA:
		return "UNSUPPORTED_MEDIA";
	default:
		return "OTHER";
	}
}

int cn_handle_format(uint64_t h, char *buf, size_t len)
{
	uint8_t tag = pt_handle_tag(h);

	if (h == 0)
		return snprintf(buf, len, "NULL");
	if (tag == CN_TAG_PARTY || tag == CN_TAG_VC)
		return snprintf(buf, len, "%c%" PRIu32 ".%" PRIu32,
				tag == CN_TAG_PARTY ? 'P' : 'V',
				pt_handle_index(h), pt_handle_gen(h));
	if (tag == CN_TAG_NDIS) {
		int n = _cn_ndis_handle_format(h, buf, len);

		if (n >= 0)
			return n;
	}
	return snprintf(buf, len, "0x%" PRIx64, h);
}

/* The DDIs and callbacks whose NdisPartyHandle argument is not their main
 * handle (cn_trace_entry.party): printed as party=. */
static int prints_party(enum cn_fn fn)
{
	switch (fn) {
	case CN_FN_NdisClCloseCall:
	case CN_FN_NdisCoOidRequest:
	case CN_FN_NdisCoOidRequestComplete:
	case CN_FN_NdisCmMakeCallComplete:
	case CN_FN_NdisCmCloseCallComplete:
	case CN_FN_NdisMCmMakeCallComplete:
	case CN_FN_NdisMCmCloseCallComplete:
	case CN_FN_ProtocolClMakeCallComplete:
	case CN_FN_ProtocolClAddPartyComplete:
		return 1;
	default:
		return 0;
	}
}

static int is_client_callback(enum cn_fn fn)
{
	return (fn >= CN_FN_ProtocolClMakeCallComplete &&
		fn <= CN_FN_ProtocolClIncomingCloseCall) ||
	       fn == CN_FN_ProtocolCoSendNetBufferListsComplete ||
	       fn == CN_FN_ProtocolCoOidRequestComplete;
}

static const char *actor_label(const struct cn_trace_entry *t)
{
	/* The OID callbacks go either way: their actor is the callee. */
	if ((t->fn == CN_FN_ProtocolCoOidRequest ||
	     t->fn == CN_FN_ProtocolCoOidRequestComplete) &&
	    t->actor != CN_ACTOR_NDIS)
		return t->actor == CN_ACTOR_CLIENT ? "ndis->client" : "ndis->cm";
	if (is_client_callback(t->fn) || t->fn == CN_FN_ProtocolClIncomingCall ||
	    t->fn == CN_FN_ProtocolClCallConnected)
		return "ndis->client";
	/* The client's ProtocolCoCreateVc/DeleteVc (CM-created VCs). */
	if ((t->fn == CN_FN_ProtocolCoCreateVc ||
	     t->fn == CN_FN_ProtocolCoDeleteVc) &&
	    t->actor == CN_ACTOR_CLIENT)
		return "ndis->client";
	if (t->fn == CN_FN_ProtocolCmIncomingCallComplete)
		return "ndis->cm";
	if ((t->fn >= CN_FN_ProtocolCoCreateVc &&
	     t->fn <= CN_FN_ProtocolCmCloseCall) ||
	    t->fn == CN_FN_MiniportCoSendNetBufferLists ||
	    t->fn == CN_FN_ProtocolCoOidRequest)
		return "ndis->cm";
	switch (t->fn) { /* bring-up callbacks */
	case CN_FN_ProtocolSetOptions:
	case CN_FN_ProtocolBindAdapterEx:
	case CN_FN_MiniportSetOptions:
	case CN_FN_MiniportInitializeEx:
		return "ndis->driver";
	case CN_FN_ProtocolCmOpenAf:
	case CN_FN_ProtocolCmCloseAf:
	case CN_FN_ProtocolCmRegisterSap:
	case CN_FN_ProtocolCmDeregisterSap:
	case CN_FN_ProtocolCmNotifyCloseAfComplete:
		return "ndis->cm";
	case CN_FN_ProtocolCoAfRegisterNotify:
	case CN_FN_ProtocolClOpenAfCompleteEx:
	case CN_FN_ProtocolClCloseAfComplete:
	case CN_FN_ProtocolClRegisterSapComplete:
	case CN_FN_ProtocolClDeregisterSapComplete:
	case CN_FN_ProtocolClNotifyCloseAf:
		return "ndis->client";
	default:
		return cn_actor_name(t->actor);
	}
}

PT_NO_COVERAGE int cn_trace_format(const struct cn_trace_entry *t, char *buf,
				   size_t len)
{
	char h[32], ph[40] = "";
	char st[40] = "";
	char ret[40] = "";
	char rule[48] = "";
	char dpc[48] = "";

	cn_handle_format(t->handle, h, sizeof(h));
	if (prints_party(t->fn)) {
		memcpy(ph, " party=", 8);
		cn_handle_format(t->party, ph + 7, sizeof(ph) - 7);
	}
	if (t->dpc_seq != 0 && !is_client_callback(t->fn))
		snprintf(dpc, sizeof(dpc), " [queued dpc#%" PRIu64 " cpu%u]",
			 t->dpc_seq, t->dpc_cpu);
	else if (t->dpc_seq != 0)
		snprintf(dpc, sizeof(dpc), " [dpc#%" PRIu64 "]", t->dpc_seq);
	if (t->has_status)
		snprintf(st, sizeof(st), " status=%s",
			 cn_status_name(t->status));
	if (t->returned)
		snprintf(ret, sizeof(ret), " -> %s", cn_status_name(t->ret));
	if (t->rule != CN_RULE_NONE)
		snprintf(rule, sizeof(rule), "  !! RULE %s (%s)",
			 cn_rule_id(t->rule), cn_rule_name(t->rule));
	if (t->fn == CN_FN_KeRaiseIrql || t->fn == CN_FN_KeLowerIrql)
		snprintf(h, sizeof(h), "%s", cn_irql_name((int)t->handle));
	return snprintf(buf, len,
			"#%-5" PRIu64
			" cpu%u %-8s %-12s %*s%s %s%s%s%s%s%s%s%s%s",
			t->step, t->cpu, cn_irql_name(t->irql), actor_label(t),
			2 * t->depth, "", cn_fn_name(t->fn), h, ph, st, ret,
			dpc, t->note ? " (" : "", t->note ? t->note : "",
			t->note ? ")" : "", rule);
}

/*
 * Recording the trace is bookkeeping, not behaviour: no coverage feedback
 * (PT_NO_COVERAGE), like the readers below. Every DDI and callback records
 * a step, so instrumented, these lines cost exec/s and gave libFuzzer
 * features that count steps. The two that run on every step,
 * _cn_trace_begin() and _cn_trace_end(), are PT_ORACLE (partyfuzz/err.h):
 * they write only the ring entry slot_of() picks by mask or modulo of the
 * ring's size, where ASan has nothing to find, and its checks of the
 * entry's memset were a tenth of what the trace cost.
 */
static inline __attribute__((always_inline)) struct cn_trace_entry *
slot_of(struct cn_engine *e, uint64_t step)
{
	uint64_t cap = e->cfg.trace_capacity;

	/* T1. A power-of-two ring (the harness's) masks instead of a 64-bit
	 * division, on every step recorded and read. */
	/* LCOV_EXCL_BR_START: the harness's ring is a power of two;
	 * core/test checks the other */
	if ((cap & (cap - 1)) == 0)
		return &e->ring[(step - 1) & (cap - 1)];
	/* LCOV_EXCL_BR_STOP */
	return &e->ring[(step - 1) % cap];
}

PT_ORACLE uint64_t _cn_trace_begin(struct cn_engine *e, enum cn_fn fn,
					uint64_t handle, int has_status,
					NDIS_STATUS status)
{
	uint64_t step = ++e->steps; /* T1 */
	struct cn_trace_entry *t = slot_of(e, step);

	memset(t, 0, sizeof(*t));
	t->step = step;
	t->fn = fn;
	/* LCOV_EXCL_BR_START: impossible: every step is of a catalogue
	 * function */
	t->actor = fn > 0 && fn <= CN_FN_MAX ? fn_callers[fn] : CN_ACTOR_NDIS;
	/* LCOV_EXCL_BR_STOP */
	t->cpu = (uint8_t)e->cpu;
	t->irql = e->irql[e->cpu];
	/* LCOV_EXCL_BR_START: needs 256 calls nested at once; no driver in
	 * the tree (fuzz/drivers, fuzz/examples) nests more than a few */
	t->depth = (uint8_t)(e->depth > 255 ? 255 : e->depth);
	/* LCOV_EXCL_BR_STOP */
	t->has_status = (uint8_t) !!has_status;
	t->status = status;
	t->handle = handle;
	e->stats.steps = step;
	return step;
}

PT_ORACLE void _cn_trace_end(struct cn_engine *e, uint64_t step,
				  int has_ret, NDIS_STATUS ret)
{
	struct cn_trace_entry *t;

	if (step == 0 || step + e->cfg.trace_capacity <= e->steps)
		return; /* overwritten (T1) */
	t = slot_of(e, step);
	/* LCOV_EXCL_BR_START: an assertion (T1): the fallback of a broken
	 * invariant */
	PT_ASSERT_INTERNAL(t->step == step);
	/* LCOV_EXCL_BR_STOP */
	if (has_ret) {
		t->returned = 1; /* T2 */
		t->ret = ret;
	}
}

PT_NO_COVERAGE void _cn_trace_set_rule(struct cn_engine *e, uint64_t step,
				       enum cn_rule rule)
{
	struct cn_trace_entry *t = _cn_trace_at(e, step);

	if (t != NULL)
		t->rule = rule;
}

PT_NO_COVERAGE struct cn_trace_entry *_cn_trace_at(struct cn_engine *e,
						   uint64_t step)
{
	if (step == 0 || step > e->steps ||
	    step + e->cfg.trace_capacity <= e->steps)
		return NULL; /* overwritten (T1) */
	return slot_of(e, step);
}

void _cn_trace_reset(struct cn_engine *e)
{
	/* No need to clear the ring: every entry is written whole before
	 * it is read (T1), and resets are on the fuzzers' hot path. */
	e->steps = 0;
}

PT_ORACLE uint64_t cn_trace_steps(void)
{
	return _cn_engine_get()->steps;
}

PT_ORACLE int cn_trace_get(uint64_t step, struct cn_trace_entry *out)
{
	struct cn_engine *e = _cn_engine_get();

	if (out == NULL || step == 0 || step > e->steps ||
	    step + e->cfg.trace_capacity <= e->steps)
		return PT_E_INVAL;
	*out = *slot_of(e, step);
	return PT_OK;
}

PT_ORACLE const struct cn_trace_entry *cn_trace_peek(uint64_t step)
{
	return _cn_trace_at(_cn_engine_get(), step);
}

/* LCOV_EXCL_START: debug printing: the last trace steps, printed only on
 * the abort paths (verifier abort mode, RtlAssert), which write no
 * profile; core/test/test_condis_flows.c checks it. */
void cn_trace_dump(FILE *out, uint32_t n)
{
	struct cn_engine *e = _cn_engine_get();
	uint64_t kept = e->steps < e->cfg.trace_capacity
				? e->steps
				: e->cfg.trace_capacity;
	uint64_t s;
	char line[256];

	if (n == 0 || n > kept)
		n = (uint32_t)kept;
	for (s = e->steps - n + 1; s <= e->steps; s++) {
		cn_trace_format(slot_of(e, s), line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
}
/* LCOV_EXCL_STOP */
