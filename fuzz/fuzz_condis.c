/* Target functions: the CoNDIS engine (NdisCl*, NdisCm*, NdisMCm*,
 * NdisCo*Vc, the completion delivery and DPCs of condis.h) driven through
 * the reference client and call manager (fuzz/drivers/). */
/*
 * fuzz_condis.c - interleavings of the party lifecycle with correct
 * drivers.
 *
 * The input is a program (fuzz/harness/program.h: a 4-byte configuration
 * prefix, then operations with explicit, append-only op ids): client
 * requests, call-manager decisions and completions, network indications,
 * and scheduling of the actors on simulated CPUs at IRQLs. The reference
 * drivers perform them; after every operation the sequential model
 * (fuzz/harness/model.c) must agree with the engine on every status,
 * callback and state, cn_call_validate() must hold, and the verifier must
 * stay silent (the drivers are correct: a report is a false positive or a
 * driver bug). At the end the run is wound down and every pended request
 * must have completed exactly once, every party handle ended exactly
 * once, nothing leaked (LeakSanitizer).
 *
 * Every target built with pt_add_driver_fuzzer() is this file with its
 * own drivers: the stimulus tables named by its STIMULI (driver.h;
 * fuzz_condis: the reference client and call manager). Whatever the
 * input's `drivers=` flag says, it uses those drivers (ddi operations are
 * not theirs and do nothing), and findings carry the target's name. A
 * text program (first line `partyfuzz-program v1`) runs as itself, e.g.
 * a regress/scenarios/ file; harness/target.h says how.
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
	pf_target_init(argc, argv, pf_target_drivers, 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pf_target_one(data, size, 0, pf_target_name);
}
