/*
 * wdk/ndis.h - `#include <ndis.h>` for driver sources written for the WDK.
 *
 * pt_add_driver_fuzzer() puts core/include/wdk on the include path of a
 * driver's sources, so the driver's own `#include <ndis.h>` (or <wdm.h>,
 * <ntddk.h>, which an NDIS driver may include first) finds the partyfuzz
 * shim, partyfuzz/ndis.h, unchanged.
 */
#ifndef PARTYFUZZ_WDK_NDIS_H
#define PARTYFUZZ_WDK_NDIS_H

#include "../partyfuzz/ndis.h"

#endif /* PARTYFUZZ_WDK_NDIS_H */
