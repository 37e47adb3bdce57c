/* Target functions: every DDI of ndis.h (NdisCl*, NdisCm*, NdisMCm*,
 * NdisCo*Vc) called by a misbehaving client and call manager with stale,
 * foreign and garbage handles, PENDING completions and any IRQL; the
 * verifier in record mode. */
/*
 * fuzz_condis_adversary.c - the verifier against a hostile driver pair.
 *
 * The input is the same program format as fuzz_condis
 * (fuzz/harness/program.h); here the harness itself is the client and the
 * call manager (drivers=puppet, forced): it calls the DDIs directly with
 * whatever the program selects (op ddi: any DDI, party and VC handles of
 * any kind, any status, the other CM family, NULL contexts, close data)
 * from actors at any IRQL. Every violation must be reported with exactly
 * the rule the sequential model predicts, the rejected call must leave the
 * engine's state unchanged (compared after every operation), and nothing
 * may crash. Findings are MISMATCH verdicts; rules that fire as predicted
 * are the expected outcome.
 */
#include <stddef.h>
#include <stdint.h>

#include "harness/target.h"

/* Generated for each target by pt_add_driver_fuzzer()
 * (fuzz/harness/CMakeLists.txt): its name and its STIMULI tables. */
extern const char pf_target_name[];
extern const struct pf_stimuli *const pf_target_drivers[];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	pf_target_init(argc, argv, pf_target_drivers, 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pf_target_one(data, size, 1, pf_target_name);
}
