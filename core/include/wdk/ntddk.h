/*
 * wdk/ntddk.h - `#include <ntddk.h>` for driver sources written for the WDK:
 * the kernel types, lists, IRQL and debugging routines an NDIS driver
 * takes from it are in the partyfuzz shim (see wdk/ndis.h).
 */
#ifndef PARTYFUZZ_WDK_NTDDK_H
#define PARTYFUZZ_WDK_NTDDK_H

#include "../partyfuzz/ndis.h"

#endif /* PARTYFUZZ_WDK_NTDDK_H */
