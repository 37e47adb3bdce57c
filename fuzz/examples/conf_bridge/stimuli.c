/*
 * stimuli.c - the conference bridge (bridge_client.c, bridge_mcm.c)
 * plugged into the harness: its stimulus table (fuzz/drivers/driver.h)
 * and the parts of its surroundings a real system has, for the target
 * fuzz_conf_bridge. Nothing else is written for the harness.
 *
 *   - the I/O manager: each DriverEntry (renamed by the build, two drivers
 *     share the process) and, at the end, the unload routines;
 *   - the client's IOCTLs: the CbcXxx requests, with the room number;
 *   - the MCM's hardware layer (hw.c): CbmHwSignal answers with the
 *     host's decision; complete, incoming_drop and incoming_close are the
 *     hardware's answer and the network's events;
 *   - NDIS's unbind: the MCM's halt path asks NDIS to close the client's
 *     family (NdisMCmNotifyCloseAddressFamily, which reaches the client's
 *     ProtocolClNotifyCloseAf through NDIS), then the client's
 *     ProtocolUnbindAdapterEx and the MCM's MiniportHaltEx.
 *
 * PF_BUG=CB1..CB4 plants one of the example's own mistakes (the MCM and
 * the client read it as if from their registry parameters); see
 * fuzz/examples/conf_bridge/CMakeLists.txt.
 */
#include <stdlib.h>
#include <string.h>

#include "bridge_client.h"
#include "bridge_mcm.h"
#include "drivers/driver.h"

DRIVER_INITIALIZE CbcDriverEntry;
DRIVER_INITIALIZE CbmDriverEntry;

static const struct pf_host *Host;
static DRIVER_OBJECT ClientObject, McmObject;
static UNICODE_STRING ClientPath, McmPath;

static ULONG PlantedBug(void)
{
	const char *s = getenv("PF_BUG");

	return s != NULL && s[0] == 'C' && s[1] == 'B'
		       ? (ULONG)strtoul(s + 2, NULL, 10)
		       : 0;
}

static int load(const struct pf_host *host)
{
	Host = host;
	NdisZeroMemory(&ClientObject, sizeof(ClientObject));
	NdisZeroMemory(&McmObject, sizeof(McmObject));
	RtlInitUnicodeString(&ClientPath, L"\\Registry\\Machine\\System\\"
					  L"CurrentControlSet\\Services\\CBCL");
	RtlInitUnicodeString(&McmPath, L"\\Registry\\Machine\\System\\"
				       L"CurrentControlSet\\Services\\CBMP");
	Cbc.PlantedBug = Cbm.PlantedBug = PlantedBug();
	if (!NT_SUCCESS(CbcDriverEntry(&ClientObject, &ClientPath)) ||
	    !NT_SUCCESS(CbmDriverEntry(&McmObject, &McmPath)))
		return -1;
	return Cbc.AfHandle != NULL ? 0 : -1;
}

/* The hardware: the network answers as the host decides. */
CBM_HW_RESULT CbmHwSignal(PCBM_TXN Txn, PNDIS_STATUS Reject)
{
	static const enum cn_req req[] = { CN_REQ_MAKE_CALL, CN_REQ_ADD_PARTY,
					   CN_REQ_DROP_PARTY,
					   CN_REQ_CLOSE_CALL };
	struct drv_choice c = Host->decide(Host->decide_arg, req[Txn->Type]);

	if (c.decision == DRV_PEND)
		return CbmHwOutstanding;
	if (c.decision == DRV_SYNC_FAIL) {
		*Reject = c.fail_status;
		return CbmHwRejected;
	}
	return CbmHwAccepted;
}

static void make_call(uint32_t vc, int pmp)
{
	(void)CbcOpenRoom(vc, pmp ? TRUE : FALSE);
}

static void add_party(uint32_t vc)
{
	(void)CbcJoin(vc);
}

static void drop_party(uint32_t vc, uint32_t k)
{
	(void)CbcLeave(vc, k);
}

static void close_call(uint32_t vc)
{
	(void)CbcCloseRoom(vc);
}

static void delete_vc(uint32_t vc)
{
	(void)CbcRetireRoom(vc);
}

static void answer(uint32_t vc)
{
	(void)CbcServiceRoom(vc);
}

/* The MCM's halt path closes the client's family first, at
 * PASSIVE_LEVEL only; NDIS calls the client's CbcNotifyCloseAf. */
static void notify_close_af(void)
{
	if (KeGetCurrentIrql() == PASSIVE_LEVEL)
		CbmCloseClientAf();
}

static void unbind(void)
{
	(void)CbcUnbindAdapter(NULL, &Cbc);
	CbmHalt(&Cbm, NdisHaltDeviceStopped);
}

static void unload(void)
{
	if (ClientObject.DriverUnload != NULL)
		ClientObject.DriverUnload(&ClientObject);
	CbmUnload(&McmObject);
}

const struct pf_stimuli conf_bridge_stimuli = {
	.name = "conference bridge (CBCL client, CBMP MCM)",
	.kind = PF_DRV_CLIENT | PF_DRV_MCM,
	.load = load,
	.make_call = make_call, /* creates the room's VC itself */
	.add_party = add_party,
	.drop_party = drop_party,
	.close_call = close_call,
	.delete_vc = delete_vc,
	.answer = answer,
	.complete = CbmHwComplete,
	.incoming_drop = CbmHwPartyLeft,
	.incoming_close = CbmHwRoomReleased,
	.notify_close_af = notify_close_af,
	.unbind = unbind,
	.unload = unload,
};
