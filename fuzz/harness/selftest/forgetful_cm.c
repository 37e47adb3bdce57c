/*
 * forgetful_cm.c - a user target's stimulus table for the harness's own
 * test of pt_add_driver_fuzzer() (target fuzz_selftest_forgetful): the
 * reference client with a call manager whose table has no `complete`,
 * so a request it pends is never completed. Every such input is a
 * finding (C3 at the end of the run), which must name this target and
 * replay through its hint.
 */
#include "drivers/driver.h"
#include "drivers/ref_drivers.h"

static int load(const struct pf_host *host)
{
	return drv_cm_register(host->cm_kind, host->decide,
			       host->decide_arg) == PT_OK
		       ? 0
		       : -1;
}

const struct pf_stimuli selftest_forgetful_cm = {
	.name = "call manager that never completes",
	.kind = PF_DRV_CM,
	.load = load,
	.unbind = drv_cm_unbind,
	.unload = drv_cm_unload,
};
