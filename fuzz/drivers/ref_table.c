/*
 * ref_table.c - the stimulus tables of the reference drivers (driver.h):
 * each entry a call of ref_client.c's or ref_cm.c's own API
 * (ref_drivers.h), its result dropped (the harness judges from the
 * engine and the trace).
 */
#include "driver.h"
#include "ref_drivers.h"

/* Client */

static int cl_load(const struct pf_host *host)
{
	if (drv_client_register(host->max_vcs) != PT_OK)
		return -1;
	drv_client_set_decide(host->decide, host->decide_arg);
	return 0;
}

static void cl_create_vc(void)
{
	NDIS_STATUS st;

	(void)drv_client_create_vc(&st);
	drv_client_notify_progress();
}

static void cl_make_call(uint32_t vc, int pmp)
{
	NDIS_STATUS st;

	(void)drv_client_make_call(vc, pmp, &st);
	drv_client_notify_progress();
}

static void cl_add_party(uint32_t vc)
{
	NDIS_STATUS st;

	(void)drv_client_add_party(vc, &st);
	drv_client_notify_progress();
}

static void cl_drop_party(uint32_t vc, uint32_t k)
{
	NDIS_STATUS st;

	(void)drv_client_drop_party(vc, k, &st);
	drv_client_notify_progress();
}

static void cl_close_call(uint32_t vc)
{
	NDIS_STATUS st;

	(void)drv_client_close_call(vc, &st);
	drv_client_notify_progress();
}

static void cl_delete_vc(uint32_t vc)
{
	NDIS_STATUS st;

	(void)drv_client_delete_vc(vc, &st);
	drv_client_notify_progress();
}

static void cl_answer(uint32_t vc)
{
	NDIS_STATUS st;

	(void)drv_client_answer(vc, &st);
	drv_client_notify_progress();
}

static void cl_register_sap(void)
{
	NDIS_STATUS st;

	(void)drv_client_register_sap(&st);
	drv_client_notify_progress();
}

static void cl_deregister_sap(void)
{
	NDIS_STATUS st;

	(void)drv_client_deregister_sap(&st);
	drv_client_notify_progress();
}

static void cl_close_family(void)
{
	NDIS_STATUS st;

	(void)drv_client_close_family(&st);
	drv_client_notify_progress();
}

static void cl_send(uint32_t vc)
{
	(void)drv_client_send(vc);
}

static void cl_oid(uint32_t vc, uint32_t k)
{
	NDIS_STATUS st;

	(void)drv_client_oid(vc, k, &st);
	drv_client_notify_progress();
}

const struct pf_stimuli pf_ref_client_stimuli = {
	.name = "reference client",
	.kind = PF_DRV_CLIENT,
	.load = cl_load,
	.create_vc = cl_create_vc,
	.make_call = cl_make_call,
	.add_party = cl_add_party,
	.drop_party = cl_drop_party,
	.close_call = cl_close_call,
	.delete_vc = cl_delete_vc,
	.answer = cl_answer,
	.register_sap = cl_register_sap,
	.deregister_sap = cl_deregister_sap,
	.close_family = cl_close_family,
	.send = cl_send,
	.oid = cl_oid,
	.unbind = drv_client_unbind,
	.unload = drv_client_unload,
};

/* Call manager */

static int cm_load(const struct pf_host *host)
{
	return drv_cm_register(host->cm_kind, host->decide,
			       host->decide_arg) == PT_OK
		       ? 0
		       : -1;
}

static void cm_complete(uint32_t k, NDIS_STATUS status)
{
	(void)drv_cm_complete(k, status);
}

static void cm_incoming_drop(uint32_t k, NDIS_STATUS status)
{
	(void)drv_cm_incoming_drop(k, status);
}

static void cm_incoming_close(uint32_t k, NDIS_STATUS status)
{
	(void)drv_cm_incoming_close(k, status);
}

static void cm_incoming_call(void)
{
	(void)drv_cm_incoming_call();
}

static void cm_notify_close_af(void)
{
	(void)drv_cm_notify_close_af();
}

const struct pf_stimuli pf_ref_cm_stimuli = {
	.name = "reference call manager",
	.kind = PF_DRV_CM | PF_DRV_MCM,
	.load = cm_load,
	.complete = cm_complete,
	.incoming_drop = cm_incoming_drop,
	.incoming_close = cm_incoming_close,
	.incoming_call = cm_incoming_call,
	.notify_close_af = cm_notify_close_af,
	.unbind = drv_cm_unbind,
	.unload = drv_cm_unload,
};
