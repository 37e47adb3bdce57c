/*
 * condis_bind.c - registration and bring-up: protocol and miniport
 * drivers, optional handlers, binding, the call manager's registration of
 * its address family (ndis.h), and the engine's own registration calls
 * (condis.h, cn_register_*) behind them. The client's side of the family
 * (open, close) and its SAPs are condis_af.c. A little over the usual
 * length: the protocol and miniport bring-up paths mirror each other and
 * are kept side by side so that they stay in step.
 *
 * One adapter. A protocol driver (NdisRegisterProtocolDriver) declares
 * its role through NdisSetOptionalHandlers from its SetOptionsHandler:
 * client handlers make it THE client, call-manager handlers THE
 * stand-alone CM; a miniport driver (NdisMRegisterMiniportDriver) that
 * registers call-manager handlers is THE MCM. NDIS then binds the
 * protocol (BindAdapterHandlerEx -> NdisOpenAdapterEx; the CM registers
 * its address family there with NdisCmRegisterAddressFamilyEx) or
 * initializes the miniport (InitializeHandlerEx ->
 * NdisMSetMiniportAttributes, NdisMCmRegisterAddressFamilyEx), all before
 * the registration call returns, as the pages allow ("be prepared for an
 * immediate call"). When the outermost registration call is about to
 * return and a client is bound while a family is registered, NDIS offers
 * it (ProtocolCoAfRegisterNotify); the client opens it with
 * NdisClOpenAddressFamilyEx, which NDIS routes to ProtocolCmOpenAf.
 *
 * The engine's cn_register_client()/cn_register_call_manager() do the
 * same in one call for drivers that do not go through NDIS (the
 * adversary's puppets, tests): the client is bound with its family open,
 * the call manager has its family registered; a CM without CmOpenAfHandler
 * gets the client's open answered with SUCCESS by the engine.
 *
 * Every DDI here is a trace step (condis.h). Bring-up errors a real NDIS
 * answers with a status (a bad handle, a second family, a call outside the
 * handler that allows it) are answered with that status and no report;
 * the rules reported are C1 (registration and binding at PASSIVE_LEVEL,
 * the AF and SAP calls at <= DISPATCH_LEVEL), C5 (the family of
 * Ndis(M)CmRegisterAddressFamilyEx), C4 (PENDING to a completion) and C3
 * (a completion of an open, close, register or deregister that was not
 * pended).
 *
 * Invariants:
 *   B1 cm_kind != 0 iff a call manager's handlers are registered;
 *      have_client iff the client's are. cm_proto / client_proto name the
 *      protocol slot that registered them, -1 for an MCM or an engine
 *      registration.
 *   B2, B3: condis_af.c.
 *   B4 ProtocolCoAfRegisterNotify runs at most once per run, at
 *      PASSIVE_LEVEL, at the end of the outermost registration call.
 */
#include <string.h>

#include "condis_internal.h"
#include "debug.h"

/* The family cn_register_call_manager() registers. */
static const CO_ADDRESS_FAMILY engine_af = { CO_ADDRESS_FAMILY_Q2931, 3, 1 };

void _cn_bind_reset(struct cn_engine *e)
{
	memset(e->proto, 0, sizeof(e->proto));
	memset(&e->mp, 0, sizeof(e->mp));
	memset(e->saps, 0, sizeof(e->saps));
	e->client_proto = -1;
	e->cm_proto = -1;
	e->af_registered = 0;
	e->af_internal = 0;
	e->af_offered = 0;
	e->af_state = CN_AF_NONE;
	e->af_pended = 0;
	e->af_closed = 0;
	e->af_notify = CN_NOTIFY_NONE;
	e->cl_ndis = 0;
	memset(&e->af, 0, sizeof(e->af));
	memset(&e->af_copy, 0, sizeof(e->af_copy));
	e->cm_bind_ctx = NULL;
	memset(&e->bind_params, 0, sizeof(e->bind_params));
	e->bind_params.Header.Type = NDIS_OBJECT_TYPE_BIND_PARAMETERS;
	e->bind_params.Header.Revision = 1;
	e->bind_params.Header.Size = (USHORT)sizeof(e->bind_params);
	e->bind_params.MediumType = NdisMediumCoWan;
	e->bind_params.MtuSize = 9180;
	memset(&e->init_params, 0, sizeof(e->init_params));
	e->init_params.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS;
	e->init_params.Header.Revision = 1;
	e->init_params.Header.Size = (USHORT)sizeof(e->init_params);
}

int _cn_ndis_handle_format(uint64_t h, char *buf, size_t len)
{
	uint32_t i = pt_handle_index(h);

	if (h == CN_H_CLIENT_BINDING)
		return snprintf(buf, len, "BIND-CL");
	if (h == CN_H_CM_BINDING)
		return snprintf(buf, len, "BIND-CM");
	if (h == CN_H_AF)
		return snprintf(buf, len, "AF");
	if (h == CN_H_PROTOCOL(0) || h == CN_H_PROTOCOL(1))
		return snprintf(buf, len, "PROTO%u", i - 4);
	if (h == CN_H_MINIPORT_DRIVER)
		return snprintf(buf, len, "MPDRV");
	if (h == CN_H_BIND_CONTEXT(0) || h == CN_H_BIND_CONTEXT(1))
		return snprintf(buf, len, "BINDCTX%u", i - 7);
	if (i >= CN_SAP_INDEX0 && i < CN_SAP_INDEX0 + CN_MAX_SAPS)
		return snprintf(buf, len, "SAP%u.%u", i - CN_SAP_INDEX0,
				pt_handle_gen(h));
	return -1;
}

static int protocol_of(const struct cn_engine *e, NDIS_HANDLE h)
{
	int i;

	for (i = 0; i < CN_MAX_PROTOCOLS; i++)
		if (e->proto[i].used && _cn_h(h) == CN_H_PROTOCOL(i))
			return i;
	return -1;
}

/* B4: offer the registered family to the bound client, once. */
static void offer_af(struct cn_engine *e)
{
	struct cn_protocol *p;
	KIRQL irql = e->irql[e->cpu];

	if (e->af_offered || !e->af_registered || e->client_proto < 0 ||
	    irql != PASSIVE_LEVEL)
		return;
	p = &e->proto[e->client_proto];
	if (!p->bound || p->co.CoAfRegisterNotifyHandler == NULL)
		return;
	e->af_offered = 1;
	e->af_copy = e->af;
	CALLBACK_VOID(
		e, CN_FN_ProtocolCoAfRegisterNotify, CN_H_AF,
		p->co.CoAfRegisterNotifyHandler(p->bind_ctx, &e->af_copy));
}

/* Called by the registration DDIs just before they return. */
static void settle(struct call *c)
{
	if (c->e->depth == 1) /* the outermost call */
		offer_af(c->e);
}

/*
 * Handler tables (B1)
 */

static int client_table_ok(const NDIS_CO_CLIENT_OPTIONAL_HANDLERS *h)
{
	return h->Header.Type ==
		       NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS &&
	       h->ClMakeCallCompleteHandler && h->ClCloseCallCompleteHandler &&
	       h->ClAddPartyCompleteHandler && h->ClDropPartyCompleteHandler &&
	       h->ClIncomingCloseCallHandler && h->ClIncomingDropPartyHandler;
}

static int cm_table_ok(const NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS *h)
{
	return h->Header.Type ==
		       NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS &&
	       h->CmCreateVcHandler && h->CmDeleteVcHandler &&
	       h->CmMakeCallHandler && h->CmCloseCallHandler &&
	       h->CmAddPartyHandler && h->CmDropPartyHandler;
}

int cn_register_client(const NDIS_CO_CLIENT_OPTIONAL_HANDLERS *h,
		       NDIS_HANDLE ProtocolAfContext,
		       PNDIS_HANDLE NdisBindingHandle,
		       PNDIS_HANDLE NdisAfHandle)
{
	struct cn_engine *e = _cn_eng;

	if (e == NULL || e->have_client || h == NULL ||
	    NdisBindingHandle == NULL || NdisAfHandle == NULL ||
	    !client_table_ok(h))
		return PT_E_INVAL;
	e->cl = *h;
	e->cl_af_ctx = ProtocolAfContext;
	e->have_client = 1;
	/* Bound, with the family open (B2: registered with it): the one
	 * cn_register_call_manager() registers, unless a call manager
	 * registered its own already (what a later open must name). */
	if (!e->af_registered)
		e->af = engine_af;
	e->af_registered = 1;
	e->af_offered = 1;
	e->af_state = CN_AF_OPEN;
	*NdisBindingHandle = _cn_handle(CN_H_CLIENT_BINDING);
	*NdisAfHandle = _cn_handle(CN_H_AF);
	return PT_OK;
}

int cn_register_call_manager(enum cn_cm_kind kind,
			     const NDIS_CO_CALL_MANAGER_OPTIONAL_HANDLERS *h,
			     NDIS_HANDLE CallMgrAfContext,
			     PNDIS_HANDLE NdisBindingHandle)
{
	struct cn_engine *e = _cn_eng;

	if (e == NULL || e->cm_kind != 0 || h == NULL ||
	    NdisBindingHandle == NULL ||
	    (kind != CN_CM_STANDALONE && kind != CN_CM_MINIPORT) ||
	    !cm_table_ok(h))
		return PT_E_INVAL;
	e->cm = *h;
	e->cm_af_ctx = CallMgrAfContext;
	e->cm_kind = kind;
	*NdisBindingHandle = _cn_handle(CN_H_CM_BINDING);
	if (!e->af_registered) {
		e->af = engine_af;
		e->af_registered = 1;
		e->af_internal = 1;
	}
	if (e->depth == 0)
		offer_af(e); /* to a client registered through NDIS */
	return PT_OK;
}

/*
 * Protocol drivers
 */

/* NdisOpenAdapterEx ran; the bind ended with @st (bind handler's return
 * or NdisCompleteBindAdapterEx). */
static void bind_done(struct cn_protocol *p, NDIS_STATUS st)
{
	p->bind_pending = 0;
	p->bound = p->opened && st == NDIS_STATUS_SUCCESS;
}

static void bind_protocol(struct cn_engine *e, int i)
{
	struct cn_protocol *p = &e->proto[i];
	NDIS_STATUS st;
	uint64_t step;

	p->in_bind = 1;
	step = cb_enter(e, CN_FN_ProtocolBindAdapterEx, CN_H_BIND_CONTEXT(i), NULL);
	st = cb_leave(e, step,
		      p->ch.BindAdapterHandlerEx(
			      p->drv_ctx, _cn_handle(CN_H_BIND_CONTEXT(i)),
			      &e->bind_params));
	p->in_bind = 0;
	if (st == NDIS_STATUS_PENDING)
		p->bind_pending = 1;
	else
		bind_done(p, st);
}

NDIS_STATUS NdisRegisterProtocolDriver(
	NDIS_HANDLE ProtocolDriverContext,
	PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS ProtocolCharacteristics,
	PNDIS_HANDLE NdisProtocolHandle)
{
	PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS ch = ProtocolCharacteristics;
	struct cn_protocol *p;
	struct cn_engine *e;
	struct call c;
	NDIS_STATUS st;
	uint64_t step;
	size_t n;
	int i;

	enter(&c, CN_FN_NdisRegisterProtocolDriver, 0, 0, 0);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, 0))
		return leave(&c, NDIS_STATUS_FAILURE);
	if (ch == NULL || NdisProtocolHandle == NULL)
		return leave(&c, REJECTED);
	if (ch->Header.Type !=
		    NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS ||
	    ch->Header.Revision <
		    NDIS_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1 ||
	    ch->Header.Size <
		    NDIS_SIZEOF_PROTOCOL_DRIVER_CHARACTERISTICS_REVISION_1 ||
	    ch->BindAdapterHandlerEx == NULL)
		return leave(&c, NDIS_STATUS_BAD_CHARACTERISTICS);
	if (ch->MajorNdisVersion != NDIS_PROTOCOL_MAJOR_VERSION)
		return leave(&c, NDIS_STATUS_BAD_VERSION);
	for (i = 0; i < CN_MAX_PROTOCOLS && e->proto[i].used; i++)
		;
	if (i == CN_MAX_PROTOCOLS)
		return leave(&c, NDIS_STATUS_RESOURCES);
	p = &e->proto[i];
	memset(p, 0, sizeof(*p));
	p->used = 1;
	n = ch->Header.Size < sizeof(p->ch) ? ch->Header.Size : sizeof(p->ch);
	memcpy(&p->ch, ch, n);
	p->ch.Header.Size = (USHORT)sizeof(p->ch);
	p->drv_ctx = ProtocolDriverContext;
	*NdisProtocolHandle = _cn_handle(CN_H_PROTOCOL(i));
	if (p->ch.SetOptionsHandler != NULL) {
		p->in_options = 1;
		step = cb_enter(e, CN_FN_ProtocolSetOptions, CN_H_PROTOCOL(i), NULL);
		st = cb_leave(
			e, step,
			p->ch.SetOptionsHandler(_cn_handle(CN_H_PROTOCOL(i)),
						ProtocolDriverContext));
		p->in_options = 0;
		if (st != NDIS_STATUS_SUCCESS) {
			/* Registration fails; what it set stays: a driver
			 * that retries is not modelled. */
			p->used = 0;
			return leave(&c, st);
		}
	}
	if (p->role != CN_ROLE_NONE)
		bind_protocol(e, i);
	settle(&c);
	return leave(&c, NDIS_STATUS_SUCCESS);
}

VOID NdisDeregisterProtocolDriver(NDIS_HANDLE NdisProtocolHandle)
{
	struct call c;

	enter(&c, CN_FN_NdisDeregisterProtocolDriver,
	      _cn_h(NdisProtocolHandle), 0, 0);
	if (!irql_le(&c, PASSIVE_LEVEL, _cn_h(NdisProtocolHandle)))
		return leave_void(&c);
	/* Unbinding and unload are not modelled: the run ends with the
	 * engine's reset (driver.h teardown). */
	leave_void(&c);
}

NDIS_STATUS NdisOpenAdapterEx(NDIS_HANDLE NdisProtocolHandle,
			      NDIS_HANDLE ProtocolBindingContext,
			      PNDIS_OPEN_PARAMETERS OpenParameters,
			      NDIS_HANDLE BindContext,
			      PNDIS_HANDLE NdisBindingHandle)
{
	struct cn_protocol *p;
	struct cn_engine *e;
	struct call c;
	int i;

	enter(&c, CN_FN_NdisOpenAdapterEx, _cn_h(NdisProtocolHandle), 0, 0);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, _cn_h(NdisProtocolHandle)))
		return leave(&c, NDIS_STATUS_FAILURE);
	i = protocol_of(e, NdisProtocolHandle);
	if (i < 0 || OpenParameters == NULL || NdisBindingHandle == NULL)
		return leave(&c, REJECTED);
	p = &e->proto[i];
	/* Only while binding, with the context of this bind. */
	if ((!p->in_bind && !p->bind_pending) || p->opened ||
	    _cn_h(BindContext) != CN_H_BIND_CONTEXT(i))
		return leave(&c, NDIS_STATUS_FAILURE);
	if (OpenParameters->MediumArray == NULL ||
	    OpenParameters->MediumArraySize == 0)
		return leave(&c, NDIS_STATUS_UNSUPPORTED_MEDIA);
	if (OpenParameters->SelectedMediumIndex != NULL)
		*OpenParameters->SelectedMediumIndex = 0; /* any medium */
	p->opened = 1;
	p->bind_ctx = ProtocolBindingContext;
	if (p->role == CN_ROLE_CM)
		e->cm_bind_ctx = ProtocolBindingContext;
	*NdisBindingHandle =
		_cn_handle(p->role == CN_ROLE_CLIENT ? CN_H_CLIENT_BINDING
						     : CN_H_CM_BINDING);
	return leave(&c, NDIS_STATUS_SUCCESS);
}

VOID NdisCompleteBindAdapterEx(NDIS_HANDLE BindAdapterContext,
			       NDIS_STATUS Status)
{
	struct cn_engine *e;
	struct call c;
	int i;

	enter(&c, CN_FN_NdisCompleteBindAdapterEx, _cn_h(BindAdapterContext),
	      1, Status);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, _cn_h(BindAdapterContext)))
		return leave_void(&c);
	for (i = 0; i < CN_MAX_PROTOCOLS; i++)
		if (e->proto[i].used && e->proto[i].bind_pending &&
		    _cn_h(BindAdapterContext) == CN_H_BIND_CONTEXT(i))
			break;
	if (i == CN_MAX_PROTOCOLS) {
		report(&c, CN_RULE_C3, _cn_h(BindAdapterContext), -1, -1,
		       "no pended bind for this context");
		return leave_void(&c);
	}
	bind_done(&e->proto[i], Status == NDIS_STATUS_PENDING
					? NDIS_STATUS_FAILURE
					: Status);
	settle(&c);
	leave_void(&c);
}

NDIS_STATUS NdisCloseAdapterEx(NDIS_HANDLE NdisBindingHandle)
{
	uint64_t b = _cn_h(NdisBindingHandle);
	struct cn_engine *e;
	struct call c;
	int i;

	enter(&c, CN_FN_NdisCloseAdapterEx, b, 0, 0);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, b))
		return leave(&c, NDIS_STATUS_FAILURE);
	for (i = 0; i < CN_MAX_PROTOCOLS; i++) {
		struct cn_protocol *p = &e->proto[i];

		if (!p->used || !p->opened ||
		    b != (p->role == CN_ROLE_CLIENT ? CN_H_CLIENT_BINDING
						    : CN_H_CM_BINDING))
			continue;
		p->opened = 0;
		p->bound = 0;
		return leave(&c, NDIS_STATUS_SUCCESS);
	}
	return leave(&c, NDIS_STATUS_FAILURE);
}

VOID NdisCompleteUnbindAdapterEx(NDIS_HANDLE UnbindContext)
{
	struct call c;

	enter(&c, CN_FN_NdisCompleteUnbindAdapterEx, _cn_h(UnbindContext), 0,
	      0);
	(void)irql_le(&c, PASSIVE_LEVEL, _cn_h(UnbindContext));
	leave_void(&c); /* NDIS never unbinds in a run: nothing is owed */
}

/*
 * Optional handlers (B1)
 */

static NDIS_STATUS set_protocol_handlers(struct cn_engine *e, int i,
					 PNDIS_DRIVER_OPTIONAL_HANDLERS oh)
{
	struct cn_protocol *p = &e->proto[i];

	switch (oh->Header.Type) {
	case NDIS_OBJECT_TYPE_CO_PROTOCOL_CHARACTERISTICS:
		if (oh->Header.Size <
		    NDIS_SIZEOF_PROTOCOL_CO_CHARACTERISTICS_REVISION_1)
			return NDIS_STATUS_INVALID_PARAMETER;
		p->co = oh->ProtocolCoCharacteristics;
		return NDIS_STATUS_SUCCESS;
	case NDIS_OBJECT_TYPE_CO_CLIENT_OPTIONAL_HANDLERS:
		/* One client; a driver that is client and CM at once is not
		 * modelled. */
		if (e->have_client || p->role != CN_ROLE_NONE)
			return NDIS_STATUS_FAILURE;
		if (oh->Header.Size <
			    NDIS_SIZEOF_CO_CLIENT_OPTIONAL_HANDLERS_REVISION_1 ||
		    !client_table_ok(&oh->ClientCoCharacteristics) ||
		    !oh->ClientCoCharacteristics.ClOpenAfCompleteHandlerEx)
			return NDIS_STATUS_BAD_CHARACTERISTICS;
		e->cl = oh->ClientCoCharacteristics;
		e->have_client = 1;
		e->cl_ndis = 1;
		e->client_proto = i;
		p->role = CN_ROLE_CLIENT;
		return NDIS_STATUS_SUCCESS;
	case NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS:
		if (e->cm_kind != 0 || p->role != CN_ROLE_NONE)
			return NDIS_STATUS_FAILURE;
		if (oh->Header.Size <
			    NDIS_SIZEOF_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1 ||
		    !cm_table_ok(&oh->CallManagerCoCharacteristics) ||
		    !oh->CallManagerCoCharacteristics.CmOpenAfHandler)
			return NDIS_STATUS_BAD_CHARACTERISTICS;
		e->cm = oh->CallManagerCoCharacteristics;
		e->cm_kind = CN_CM_STANDALONE;
		e->cm_proto = i;
		p->role = CN_ROLE_CM;
		return NDIS_STATUS_SUCCESS;
	default:
		return NDIS_STATUS_NOT_SUPPORTED;
	}
}

static NDIS_STATUS set_miniport_handlers(struct cn_engine *e,
					 PNDIS_DRIVER_OPTIONAL_HANDLERS oh)
{
	switch (oh->Header.Type) {
	case NDIS_OBJECT_TYPE_CO_MINIPORT_CHARACTERISTICS:
		/* The data path: sends only (condis_send.c). */
		e->mp_send =
			oh->MiniportCoCharacteristics.CoSendNetBufferListsHandler;
		return NDIS_STATUS_SUCCESS;
	case NDIS_OBJECT_TYPE_CO_CALL_MANAGER_OPTIONAL_HANDLERS:
		if (e->cm_kind != 0)
			return NDIS_STATUS_FAILURE;
		if (oh->Header.Size <
			    NDIS_SIZEOF_CO_CALL_MANAGER_OPTIONAL_HANDLERS_REVISION_1 ||
		    !cm_table_ok(&oh->CallManagerCoCharacteristics) ||
		    !oh->CallManagerCoCharacteristics.CmOpenAfHandler)
			return NDIS_STATUS_BAD_CHARACTERISTICS;
		e->cm = oh->CallManagerCoCharacteristics;
		e->cm_kind = CN_CM_MINIPORT;
		return NDIS_STATUS_SUCCESS;
	default:
		return NDIS_STATUS_NOT_SUPPORTED;
	}
}

NDIS_STATUS
NdisSetOptionalHandlers(NDIS_HANDLE NdisHandle,
			PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers)
{
	struct cn_engine *e;
	struct call c;
	int i;

	enter(&c, CN_FN_NdisSetOptionalHandlers, _cn_h(NdisHandle), 0, 0);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, _cn_h(NdisHandle)))
		return leave(&c, NDIS_STATUS_FAILURE);
	if (OptionalHandlers == NULL)
		return leave(&c, REJECTED);
	/* Only from the driver's SetOptionsHandler. */
	if (_cn_h(NdisHandle) == CN_H_MINIPORT_DRIVER)
		return leave(&c, e->mp.in_options
					 ? set_miniport_handlers(
						   e, OptionalHandlers)
					 : NDIS_STATUS_FAILURE);
	i = protocol_of(e, NdisHandle);
	if (i < 0 || !e->proto[i].in_options)
		return leave(&c, NDIS_STATUS_FAILURE);
	return leave(&c, set_protocol_handlers(e, i, OptionalHandlers));
}

/*
 * Miniport drivers (the MCM)
 */

NDIS_STATUS NdisMRegisterMiniportDriver(
	PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath,
	NDIS_HANDLE MiniportDriverContext,
	PNDIS_MINIPORT_DRIVER_CHARACTERISTICS MiniportDriverCharacteristics,
	PNDIS_HANDLE NdisMiniportDriverHandle)
{
	PNDIS_MINIPORT_DRIVER_CHARACTERISTICS ch =
		MiniportDriverCharacteristics;
	struct cn_miniport *mp;
	struct cn_engine *e;
	struct call c;
	NDIS_STATUS st;
	uint64_t step;
	size_t n;

	(void)RegistryPath;
	enter(&c, CN_FN_NdisMRegisterMiniportDriver, 0, 0, 0);
	e = c.e;
	mp = &e->mp;
	if (!irql_le(&c, PASSIVE_LEVEL, 0))
		return leave(&c, NDIS_STATUS_FAILURE);
	if (DriverObject == NULL || ch == NULL ||
	    NdisMiniportDriverHandle == NULL)
		return leave(&c, REJECTED);
	if (ch->Header.Type !=
		    NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS ||
	    ch->Header.Revision <
		    NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 ||
	    ch->Header.Size <
		    NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 ||
	    ch->InitializeHandlerEx == NULL)
		return leave(&c, NDIS_STATUS_BAD_CHARACTERISTICS);
	if (ch->MajorNdisVersion != NDIS_MINIPORT_MAJOR_VERSION)
		return leave(&c, NDIS_STATUS_BAD_VERSION);
	if (mp->used)
		return leave(&c, NDIS_STATUS_FAILURE); /* one adapter */
	memset(mp, 0, sizeof(*mp));
	mp->used = 1;
	n = ch->Header.Size < sizeof(mp->ch) ? ch->Header.Size
					     : sizeof(mp->ch);
	memcpy(&mp->ch, ch, n);
	mp->ch.Header.Size = (USHORT)sizeof(mp->ch);
	mp->drv_ctx = MiniportDriverContext;
	*NdisMiniportDriverHandle = _cn_handle(CN_H_MINIPORT_DRIVER);
	if (mp->ch.SetOptionsHandler != NULL) {
		mp->in_options = 1;
		step = cb_enter(e, CN_FN_MiniportSetOptions,
				CN_H_MINIPORT_DRIVER, NULL);
		st = cb_leave(e, step,
			      mp->ch.SetOptionsHandler(
				      _cn_handle(CN_H_MINIPORT_DRIVER),
				      MiniportDriverContext));
		mp->in_options = 0;
		if (st != NDIS_STATUS_SUCCESS) {
			mp->used = 0;
			return leave(&c, st);
		}
	}
	/* The adapter starts: MiniportInitializeEx. */
	mp->in_init = 1;
	step = cb_enter(e, CN_FN_MiniportInitializeEx, CN_H_CM_BINDING, NULL);
	st = cb_leave(e, step,
		      mp->ch.InitializeHandlerEx(_cn_handle(CN_H_CM_BINDING),
						 MiniportDriverContext,
						 &e->init_params));
	mp->in_init = 0;
	mp->initialized = st == NDIS_STATUS_SUCCESS;
	if (!mp->initialized && e->cm_kind == CN_CM_MINIPORT &&
	    e->af_state == CN_AF_NONE)
		e->af_registered = 0; /* the adapter never came up */
	settle(&c);
	return leave(&c, NDIS_STATUS_SUCCESS);
}

VOID NdisMDeregisterMiniportDriver(NDIS_HANDLE NdisMiniportDriverHandle)
{
	struct call c;

	enter(&c, CN_FN_NdisMDeregisterMiniportDriver,
	      _cn_h(NdisMiniportDriverHandle), 0, 0);
	(void)irql_le(&c, PASSIVE_LEVEL, _cn_h(NdisMiniportDriverHandle));
	/* Halt and unload are not modelled (see NdisDeregisterProtocol-
	 * Driver). */
	leave_void(&c);
}

NDIS_STATUS NdisMSetMiniportAttributes(
	NDIS_HANDLE NdisMiniportHandle,
	PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes)
{
	struct cn_engine *e;
	struct call c;

	enter(&c, CN_FN_NdisMSetMiniportAttributes, _cn_h(NdisMiniportHandle),
	      0, 0);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, _cn_h(NdisMiniportHandle)))
		return leave(&c, NDIS_STATUS_FAILURE);
	if (MiniportAttributes == NULL)
		return leave(&c, REJECTED);
	if (_cn_h(NdisMiniportHandle) != CN_H_CM_BINDING || !e->mp.in_init)
		return leave(&c, NDIS_STATUS_FAILURE);
	if (MiniportAttributes->Header.Type ==
	    NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES)
		e->cm_bind_ctx = MiniportAttributes->RegistrationAttributes
					 .MiniportAdapterContext;
	return leave(&c, NDIS_STATUS_SUCCESS);
}

/*
 * Address family (B2)
 */

static NDIS_STATUS register_af(struct call *c, PCO_ADDRESS_FAMILY af)
{
	struct cn_engine *e = c->e;

	if (af == NULL)
		return REJECTED;
	if (e->af_registered)
		return NDIS_STATUS_FAILURE; /* one family per adapter */
	e->af = *af;
	e->af_registered = 1;
	settle(c);
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS NdisCmRegisterAddressFamilyEx(NDIS_HANDLE NdisBindingHandle,
					  PCO_ADDRESS_FAMILY AddressFamily)
{
	uint64_t b = _cn_h(NdisBindingHandle);
	struct cn_engine *e;
	struct call c;

	enter(&c, CN_FN_NdisCmRegisterAddressFamilyEx, b, 0, 0);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, b))
		return leave(&c, NDIS_STATUS_FAILURE);
	if (b == CN_H_CM_BINDING && e->cm_kind == CN_CM_MINIPORT) {
		report(&c, CN_RULE_C5, b, -1, -1,
		       "an MCM called NdisCmRegisterAddressFamilyEx (use "
		       "NdisMCmRegisterAddressFamilyEx)");
		return leave(&c, REJECTED);
	}
	if (b != CN_H_CM_BINDING || e->cm_kind != CN_CM_STANDALONE ||
	    e->cm_proto < 0 || !e->proto[e->cm_proto].opened)
		return leave(&c, NDIS_STATUS_FAILURE);
	return leave(&c, register_af(&c, AddressFamily));
}

NDIS_STATUS NdisMCmRegisterAddressFamilyEx(NDIS_HANDLE MiniportAdapterHandle,
					   PCO_ADDRESS_FAMILY AddressFamily)
{
	uint64_t b = _cn_h(MiniportAdapterHandle);
	struct cn_engine *e;
	struct call c;

	enter(&c, CN_FN_NdisMCmRegisterAddressFamilyEx, b, 0, 0);
	e = c.e;
	if (!irql_le(&c, PASSIVE_LEVEL, b))
		return leave(&c, NDIS_STATUS_FAILURE);
	if (e->cm_kind == CN_CM_STANDALONE) {
		report(&c, CN_RULE_C5, b, -1, -1,
		       "a stand-alone CM called NdisMCmRegisterAddressFamilyEx "
		       "(use NdisCmRegisterAddressFamilyEx)");
		return leave(&c, REJECTED);
	}
	if (b != CN_H_CM_BINDING || e->cm_kind != CN_CM_MINIPORT ||
	    (!e->mp.in_init && !e->mp.initialized))
		return leave(&c, NDIS_STATUS_FAILURE);
	return leave(&c, register_af(&c, AddressFamily));
}
