/*
 * table_model.h - the sequential reference model of the party table.
 *
 * A deliberately plain restatement of core/include/partyfuzz/party_table.h:
 * no atomics, no packing, one field per fact. Every tm_* function has the
 * signature and the return codes of its pt_* twin, and the model keeps the
 * table's free-list order (LIFO, slot 0 first), so it predicts even the
 * handle values. fuzz_party_table compares the two after every operation;
 * fuzz_table_sched uses it as the sequential specification of its
 * linearizability check (the struct is plain data: copy it to branch).
 * The model is an oracle, compiled without coverage instrumentation
 * (PT_NO_COVERAGE): the fuzzer learns from the table, not from the model.
 */
#ifndef PARTYFUZZ_TABLE_MODEL_H
#define PARTYFUZZ_TABLE_MODEL_H

#include <stdint.h>

#include "partyfuzz/party_table.h"

#define TM_MAX_CAPACITY 256
#define TM_MAX_VCS 16

struct tm_slot {
	uint32_t gen;
	uint32_t refs;
	enum pt_party_state state;
	uint32_t vc;
	uintptr_t ctx;
};

struct tm_model {
	uint32_t capacity;
	uint32_t vc_count;
	uint32_t gen_max;
	uint8_t tag;
	uint32_t free_top;                    /* entries in free[] */
	uint32_t free[TM_MAX_CAPACITY];       /* free[free_top - 1] is next */
	struct tm_slot slots[TM_MAX_CAPACITY];
	uint32_t vc_live[TM_MAX_VCS];
};

/*
 * tm_init() - the model of a freshly created table.
 * Return: PT_OK, or PT_E_INVAL for what pt_table_create() rejects and for
 * sizes above TM_MAX_CAPACITY / TM_MAX_VCS.
 */
int tm_init(struct tm_model *m, const struct pt_config *cfg);

int tm_alloc(struct tm_model *m, uint32_t vc, enum pt_party_state initial,
	     uintptr_t ctx, pt_handle_t *out);
int tm_lookup(const struct tm_model *m, pt_handle_t h,
	      struct pt_party_info *info);
int tm_acquire(struct tm_model *m, pt_handle_t h);
int tm_release(struct tm_model *m, pt_handle_t h);
int tm_transition(struct tm_model *m, pt_handle_t h,
		  enum pt_party_state from, enum pt_party_state to);
int tm_retire(struct tm_model *m, pt_handle_t h,
	      enum pt_party_state expected);
uint32_t tm_vc_live_count(const struct tm_model *m, uint32_t vc);

#endif /* PARTYFUZZ_TABLE_MODEL_H */
