/*
 * wdk/wdm.h - `#include <wdm.h>` for driver sources written for the WDK:
 * the kernel types, lists, IRQL and debugging routines an NDIS driver
 * takes from it are in the partyfuzz shim (see wdk/ndis.h).
 */
#ifndef PARTYFUZZ_WDK_WDM_H
#define PARTYFUZZ_WDK_WDM_H

#include "../partyfuzz/ndis.h"

#endif /* PARTYFUZZ_WDK_WDM_H */
