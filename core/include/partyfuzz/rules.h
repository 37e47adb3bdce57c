/*
 * partyfuzz/rules.h - the verifier's rule catalogue.
 *
 * ONE table (CN_RULE_ENTRIES) names every rule: the contract's C1..C28
 * and the model rules R1..R4, then the rules of the NDIS services drivers
 * use around parties (S1, S2: from the NdisAcquireSpinLock and
 * lookaside-list pages, not from the party contract). Nothing else
 * defines a rule id. What each rule means, the documentation page it
 * rests on and how it is checked are in core/include/partyfuzz/CONTRACT.md,
 * which also defines the bug ids B1..B36 and the readings A1..A18 cited
 * next to them (the unit test contract_doc keeps it in step with this
 * table). Each entry says where the rule is checked:
 *
 *   ENGINE  checked by the engine on DDI entry or on a callback's return;
 *           a violating DDI call is rejected and the engine state is
 *           unchanged (see condis.h, "Verifier").
 *   END     checked by cn_engine_check_end() when a run is over.
 *   DRIVER  a promise about the driver's own memory that NDIS cannot see;
 *           broken by a driver it shows as a use-after-free or leak under
 *           ASan/LSan (the reference drivers malloc their contexts), never
 *           as a verifier report.
 *   OUT     outside the party lifecycle; listed with the reason.
 *   SERVICE checked by the engine's NDIS services (spin locks, lookaside
 *           lists: ndis.h), outside the party contract of the spec. They
 *           leave no trace step of their own, so the sequential model
 *           predicts none of them: any report is a finding, for every
 *           driver.
 *
 * A report is one line
 *
 *   partyfuzz: RULE C9 (client-handle-after-drop): <message> handle=P3.2
 *     party=DEAD vc=CONNECTED
 *
 * followed by the last trace lines (condis.h, cn_trace_dump()). A report
 * of KeRaiseIrql/KeLowerIrql names the IRQL change instead of a handle:
 * "... irql=PASSIVE->DISPATCH party=NONE vc=NONE".
 *
 * Values of enum cn_rule are stable (only appended): C<n> is n, R<n> is
 * 28 + n, S<n> is 32 + n. 0 is CN_RULE_NONE.
 *
 * Check order: the contract's order of checks, per DDI entry and per
 * callback return. The first check that fails names the rule reported;
 * a later one is not looked at. The engine (condis_ddi.c, condis_bind.c,
 * condis_af.c) implements it and the sequential model (fuzz/harness/model.c) restates
 * it from this text; where they disagree, this text decides which one is
 * wrong. A violating DDI call is rejected (condis.h, "Verifier").
 *
 *   1. C1: IRQL of the current CPU <= DISPATCH_LEVEL.
 *   2. C5: role, on the functions the WDK keeps distinct: NdisCmActivateVc,
 *      NdisCmDeactivateVc and NdisCmRegisterAddressFamilyEx need a
 *      stand-alone CM, NdisMCmActivateVc, NdisMCmDeactivateVc,
 *      NdisMCmCreateVc, NdisMCmDeleteVc and NdisMCmRegisterAddressFamilyEx
 *      an MCM; NdisCoCreateVc with the MCM's adapter handle is C5. The
 *      completions and indications are one function for both families
 *      (the NdisMCm* names are macros, ndis.h): C5 there only means that
 *      no call manager is registered.
 *   3. C4: a completion's status is not NDIS_STATUS_PENDING.
 *   4. Handles. A bad VC handle (NULL, never issued, deleted) is C25 for
 *      everybody; from the client (NdisClMakeCall, NdisClAddParty,
 *      NdisClCloseCall, NdisClIncomingCallComplete, and NdisCoDeleteVc
 *      attributed to the client, condis.h cn_actor_set()), the handle of
 *      a CM-created VC whose close completed is C27: the VC still live
 *      (CLOSED), or deleted when its life is the slot's most recently
 *      ended one. A bad party handle from the client is C9, or C7 when the
 *      handle is the most recent life of its slot and that life ended with
 *      a failed MakeCall/AddParty, or R1 when it is NULL in
 *      NdisClDropParty while a MakeCall/AddParty of the client is in
 *      flight (a party the client has no handle for yet). A bad party
 *      handle from the CM is C18, or C19 in Ndis(M)CmDropPartyComplete
 *      when that life ended with a synchronous SUCCESS from
 *      ProtocolCmDropParty.
 *   5. NULL pointer arguments (per DDI below).
 *   6. State (per DDI below).
 *
 * Per DDI, after 1-4 (steps 5 and 6):
 *   NdisCoCreateVc   NdisVcHandle NULL or *NdisVcHandle != NULL on entry
 *                    (the trace's out_ptr): C26.
 *                    The CM's binding -> C5 for an MCM (before C26); for a
 *                    stand-alone CM a CM-created VC (below). Not the
 *                    client's binding otherwise, or a wrong NdisAfHandle:
 *                    NDIS_STATUS_FAILURE, no report. No free VC slot:
 *                    NDIS_STATUS_RESOURCES. Then ProtocolCoCreateVc of the
 *                    CM runs (PENDING: C26).
 *                    CM-created (condis_incoming.c): no client, a client
 *                    without ProtocolCoCreateVc, a wrong NdisAfHandle or
 *                    the family not open: NDIS_STATUS_FAILURE, no report;
 *                    no free slot: RESOURCES; then the CLIENT's
 *                    ProtocolCoCreateVc runs (PENDING: C26, FAILURE).
 *   NdisCoDeleteVc   Client-created VC: VC IDLE or CLOSED, else C25 and
 *                    NOT_ACCEPTED (CLOSING while closing). Then
 *                    ProtocolCoDeleteVc of the CM. CM-created VC, the
 *                    caller attributed (cn_actor_set()): the client: C27
 *                    once its close completed, else C25 (NOT_ACCEPTED);
 *                    an MCM: C5; a delete already deferred (below): C25
 *                    (NOT_ACCEPTED); VC not IDLE/CLOSED: C25 (CLOSING
 *                    while closing, else NOT_ACCEPTED). Then the CLIENT's
 *                    ProtocolCoDeleteVc (if it has one; PENDING: C26,
 *                    counts as SUCCESS); while a client callback of the
 *                    VC is still queued as a DPC the delete returns
 *                    SUCCESS and that callback runs once the last such
 *                    DPC ran or was cancelled (in cn_dpc_run, at
 *                    DISPATCH_LEVEL, after the DPC's own step).
 *   NdisMCmCreateVc  C5 unless MCM; C26 as NdisCoCreateVc; a handle other
 *                    than the MCM's adapter: NDIS_STATUS_FAILURE; then a
 *                    CM-created VC as above.
 *   NdisMCmDeleteVc  C5 unless MCM; a client-created VC: C25; a
 *                    CM-created one as NdisCoDeleteVc from the call
 *                    manager (NOT_ACCEPTED where that says CLOSING).
 *   Ndis(M)CmDispatchIncomingCall  C1, C5 (no call manager), C25 (bad
 *                    VC handle); VC not CM-created, or not IDLE: C13; SAP
 *                    not registered, CallParameters NULL or no
 *                    ProtocolClIncomingCall: NDIS_STATUS_FAILURE, no
 *                    report. Then
 *                    V10 and the client's ProtocolClIncomingCall, whose
 *                    status is returned: SUCCESS V11, PENDING (the client
 *                    owes NdisClIncomingCallComplete), else V12. If the
 *                    client completed from inside its handler, PENDING is
 *                    returned and any other answer of it is C3.
 *   NdisClIncomingCallComplete  C1, C4, step 4; no incoming call pended
 *                    (or running) on the VC: C3. Then V11 (SUCCESS) or
 *                    V12 and the CM's ProtocolCmIncomingCallComplete with
 *                    the status and the dispatch's CallParameters.
 *   Ndis(M)CmDispatchCallConnected  C1, C5, C25; VC not ACCEPTED: C3; not
 *                    activated: C22. Then V13 and the client's
 *                    ProtocolClCallConnected.
 *   NdisClMakeCall   CallParameters NULL: C8; PMP with NdisPartyHandle
 *                    NULL: C7; VC CM-created, or not IDLE (or CLOSED,
 *                    reusable unless CN_OPT_A7_NO_VC_REUSE): C25. No free party slot:
 *                    NDIS_STATUS_RESOURCES, no CM call.
 *   NdisClAddParty   ProtocolPartyContext or CallParameters NULL: C8;
 *                    NdisPartyHandle NULL: C7; VC REMOTE_CLOSED after
 *                    ProtocolClIncomingCloseCall ran: C15; VC not
 *                    CONNECTED (or REMOTE_CLOSED with the indication still
 *                    queued: the client cannot know, the add proceeds) or
 *                    call not PMP: C6. No free party slot:
 *                    NDIS_STATUS_RESOURCES.
 *   NdisClDropParty  party MAKING/ADDING: R1; DROPPING/CLOSING: R3. Last
 *                    party (no other ACTIVE/REMOTE_DROPPED party; with
 *                    CN_OPT_A2_COUNT_CONNECTING ADDING ones count too)
 *                    and no other party DROPPING, unless
 *                    CN_OPT_A2_CM_FAILS: NDIS_STATUS_FAILURE, party
 *                    unchanged, no CM call, no report (A2, P9).
 *   NdisClCloseCall  VC OFFERED/ACCEPTED: R1; MAKING: R1; CLOSING: R3;
 *                    IDLE/CLOSED: C11. PMP:
 *                    party NULL: C11; bad party: step 4; party of another
 *                    VC: C11; party MAKING/ADDING: R1; DROPPING/CLOSING:
 *                    R3; more than one ACTIVE/REMOTE_DROPPED party: C11;
 *                    adds or drops in flight: R2. P2P: party not NULL:
 *                    C11.
 *   Ndis(M)CmActivateVc    VC not MAKING (nor, CM-created, ACCEPTED) or
 *                    already activated: C22.
 *   Ndis(M)CmDeactivateVc  VC not activated, or not MAKING/CLOSING: C22.
 *   Ndis(M)CmMakeCallComplete  make call not pended (or still inside
 *                    ProtocolCmMakeCall): C3; PMP party handle bad: step 4;
 *                    not this call's initial party, or non-NULL on P2P:
 *                    C3; SUCCESS: VC not activated: C22, NULL
 *                    CallMgrPartyContext on PMP: C16, non-NULL on P2P:
 *                    C17; failure with the VC still activated: C22.
 *   Ndis(M)CmAddPartyComplete  party not ADDING with a pended add: C3;
 *                    SUCCESS with NULL CallMgrPartyContext: C16.
 *   Ndis(M)CmDropPartyComplete party not DROPPING with a pended drop: C3.
 *   Ndis(M)CmCloseCallComplete close not pended: C3; party other than the
 *                    one being closed (NULL for P2P): C21; close data
 *                    without CN_OPT_CLOSE_DATA and a status other than
 *                    INVALID_DATA: C20; SUCCESS with the VC still
 *                    activated, or a failure after it was deactivated
 *                    (A6 keeps the call up): C22.
 *   Ndis(M)CmDropPartyComplete also: close data without CN_OPT_CLOSE_DATA
 *                    and a status other than INVALID_DATA: C20; then
 *                    SUCCESS with no other party ACTIVE, REMOTE_DROPPED
 *                    or DROPPING (ADDING too with
 *                    CN_OPT_A2_COUNT_CONNECTING): C11 (the last party
 *                    leaves with NdisClCloseCall, A2).
 *   Ndis(M)CmDispatchIncomingDropParty party DROPPING, CLOSING or already
 *                    REMOTE_DROPPED (its ProtocolClIncomingDropParty run,
 *                    or still queued as a DPC): R4; MAKING/ADDING, or no
 *                    other ACTIVE/REMOTE_DROPPED party: C13.
 *   NdisClCloseAddressFamily  family closing (a close in flight) or
 *                    closed (a close succeeded): C28; a VC with a call
 *                    (not IDLE/CLOSED) or a SAP not deregistered: C28
 *                    (the spec's order: drop to one party, close every
 *                    call, deregister every SAP, then close the family).
 *                    Not the family's handle, or not open: FAILURE, no
 *                    report. Then ProtocolCmCloseAf (PENDING: closing
 *                    until Ndis(M)CmCloseAddressFamilyComplete).
 *   Ndis(M)CmCloseAddressFamilyComplete  no close pended (never, or
 *                    already completed): C28.
 *   NdisClOpenAddressFamilyEx  not the client's binding, not the family
 *                    registered, or a family not closed (open, opening,
 *                    closing: one open per binding): FAILURE, no report.
 *                    Then ProtocolCmOpenAf (PENDING: opening until
 *                    Ndis(M)CmOpenAddressFamilyComplete; a failure leaves
 *                    the family neither open nor closed: a request that
 *                    needs it open is FAILURE, no C28).
 *   Ndis(M)CmOpenAddressFamilyComplete, Ndis(M)CmRegisterSapComplete,
 *   Ndis(M)CmDeregisterSapComplete  C1, C4; no such request pended on
 *                    the family or SAP (never, answered at once, already
 *                    completed): C3. Then the client's completion handler.
 *   NdisClRegisterSap, NdisCoCreateVc (client binding), NdisClMakeCall,
 *   NdisClAddParty   family closing or closed, or notified closed (the
 *                    call manager's notification below): C28, after the
 *                    NULL pointer checks (step 5) and before every state
 *                    check of the call or party.
 *   Ndis(M)CmNotifyCloseAddressFamily  above PASSIVE_LEVEL: C1. Not the
 *                    family's handle: FAILURE, no report. Family not
 *                    OPEN, or notified already: C28. No client
 *                    ProtocolClNotifyCloseAf: FAILURE. Then the client's
 *                    ProtocolClNotifyCloseAf (its nested calls see the
 *                    family notified), whose status is returned; SUCCESS
 *                    with the family neither closing nor closed: C28 at
 *                    its return, and FAILURE is returned (A18).
 *   NdisClNotifyCloseAddressFamilyComplete  C1, C4; no notification
 *                    pended (none, answered at once, completed, or its
 *                    ProtocolClNotifyCloseAf still running): C3; SUCCESS
 *                    with the family neither closing nor closed: C28.
 *                    Then the CM's ProtocolCmNotifyCloseAfComplete.
 *   Ndis(M)CmDispatchIncomingCloseCall VC REMOTE_CLOSED (the network
 *                    already closed this call: a second incoming close):
 *                    C13; otherwise not CONNECTED: C13.
 *   NdisClCloseCall  also, after all of the above: sends outstanding on
 *                    the VC (a ProtocolCoSendNetBufferListsComplete
 *                    still to run): C23.
 *   NdisCoSendNetBufferLists  NetBufferLists NULL: C23; VC CLOSING: C23 (after NdisClCloseCall);
 *                    REMOTE_CLOSED once ProtocolClIncomingCloseCall ran:
 *                    C23 (C15; with the indication still queued the
 *                    send proceeds); any other state but CONNECTED: C23.
 *                    Then, with an MCM that registered
 *                    MiniportCoSendNetBufferLists and holds fewer than 4
 *                    chains on the VC, its handler runs; otherwise NDIS
 *                    completes the send itself at once (status SUCCESS,
 *                    RESOURCES when the MCM holds 4).
 *   NdisCoOidRequest (VC and party optional; from the call manager's
 *                    binding the call manager asks the client: C5 unless
 *                    a stand-alone CM, its party handle judged as the
 *                    call manager's, C18, any live state good) VC handle
 *                    bad: C25; party
 *                    handle bad: step 4 (C9, C7); a party without its VC
 *                    or of another VC: C9; MAKING/ADDING: C7 (no handle
 *                    yet); DROPPING/CLOSING: C9 (spent). A NULL
 *                    OidRequest: NDIS_STATUS_INVALID_PARAMETER, no
 *                    report; 16 pended already: NDIS_STATUS_RESOURCES.
 *                    Then ProtocolCoOidRequest of the call manager; its
 *                    PENDING is owed.
 *   NdisCoOidRequestComplete  its caller owes the oldest pended request
 *                    of this OidRequest (the client for the call
 *                    manager's). Status PENDING: C4; VC handle bad: C25;
 *                    party handle bad: C18 (the client's: C9, C7); no
 *                    pended request of that caller with this OidRequest,
 *                    VC and party: C3.
 *   NdisMCoSendNetBufferListsComplete  C5 unless MCM; the chain's
 *                    NET_BUFFER_LIST_STATUS PENDING: C4; VC handle: C25;
 *                    a chain the miniport does not hold on this VC
 *                    (never sent there, completed already, NULL): C3.
 *   KeRaiseIrql/KeLowerIrql wrong direction or above HIGH_LEVEL: C1.
 *   NdisFreeMemory, NdisFreeMemoryWithTag, NdisFreeToNPagedLookasideList
 *                    (trace steps: the block in `data`, its length, 0 for
 *                    just the address, in `size`): a block holding the
 *                    CallParameters of a MakeCall/AddParty in flight, or
 *                    the ProtocolPartyContext of a party in MAKING/ADDING,
 *                    or either of them handed over by a queued make-call
 *                    or add completion: C8; else one holding the context
 *                    of any other live party, or the one a queued drop or
 *                    close completion hands over: C10; else one holding
 *                    the client's ProtocolVcContext of a CM-created VC not
 *                    yet deleted: C24.
 *                    The block is then not freed.
 * Callback returns (reported, then the engine proceeds as said):
 *   ProtocolCmMakeCall  non-NULL *CallMgrPartyContext on P2P: C17
 *                    (ignored); SUCCESS before activation: C22 (counts as
 *                    activated); SUCCESS with NULL context on PMP: C16;
 *                    failure with the VC activated: C22 (counts as
 *                    deactivated).
 *   ProtocolCmAddParty  SUCCESS with NULL context: C16.
 *   ProtocolCmCloseCall SUCCESS still activated: C22 (counts as
 *                    deactivated); failure after deactivating: C22 (counts
 *                    as activated, A6).
 *   ProtocolCmDropParty/CloseCall  close data without CN_OPT_CLOSE_DATA
 *                    answered with anything but NDIS_STATUS_INVALID_DATA
 *                    or PENDING: C20.
 *   ProtocolCmDropParty then: SUCCESS with no other party ACTIVE,
 *                    REMOTE_DROPPED or DROPPING (as for the completion):
 *                    C11, and the answer counts as NDIS_STATUS_FAILURE
 *                    (the party stays, P10; the client gets FAILURE).
 *   ProtocolCoCreateVc/DeleteVc  PENDING: C26.
 * A completion of a request whose ProtocolCm* handler is still running
 * (another CPU's, or the handler's own before it returns PENDING: A12)
 * is checked as if the request had pended. That request then returns
 * PENDING whatever the handler answers; nothing of the answer is looked
 * at but its status, and anything but PENDING is C3 (reported on the
 * request's step). With CN_OPT_A12_EARLY a synchronous answer, once its
 * checks above are done, is completed by NDIS: the client's handler runs
 * nested in the request, after the CM's callback, and the request
 * returns PENDING without writing *NdisPartyHandle.
 *
 * Out-parameters: *NdisPartyHandle of NdisClMakeCall/NdisClAddParty and
 * *NdisVcHandle of NdisCoCreateVc are written only on SUCCESS, with the
 * handle the CM's callback was given (the trace's out).
 */
#ifndef PARTYFUZZ_RULES_H
#define PARTYFUZZ_RULES_H

#include <stdint.h>

enum cn_rule_scope {
	CN_SCOPE_ENGINE = 0,
	CN_SCOPE_END = 1,
	CN_SCOPE_DRIVER = 2,
	CN_SCOPE_OUT = 3,
	CN_SCOPE_SERVICE = 4,
};

/*
 * X(id, value, name, scope, spec reference, message)
 * The message says what was violated; for OUT and DRIVER rules it also says
 * why the engine does not report it.
 */
#define CN_RULE_ENTRIES(X)                                                    \
	X(C1, 1, "irql", ENGINE, "C1, B29",                                   \
	  "DDI called above DISPATCH_LEVEL (registration and binding above "  \
	  "PASSIVE_LEVEL, NdisDpr* below DISPATCH_LEVEL), KeRaiseIrql/"       \
	  "KeLowerIrql in the wrong direction, or a callback that returns "   \
	  "at another IRQL than it was entered at")                           \
	X(C2, 2, "client-completion-once", END, "C2, B1, B2",                 \
	  "a client request that returned PENDING did not get exactly one "   \
	  "completion from NDIS (NDIS half; the client's self-call after a "  \
	  "synchronous return is a direct call NDIS cannot see)")             \
	X(C3, 3, "cm-complete-iff-pended", ENGINE, "C3, B18, B19",            \
	  "completion for a request that is not pended (never pended, "       \
	  "returned synchronously, or already completed), or a pended "       \
	  "request never completed: a call manager's Ndis(M)Cm*Complete, "    \
	  "or a client's NdisClIncomingCallComplete or "                      \
	  "NdisClNotifyCloseAddressFamilyComplete")                           \
	X(C4, 4, "no-pending-completion", ENGINE, "C4, B20",                  \
	  "NDIS_STATUS_PENDING passed to a call-manager completion")          \
	X(C5, 5, "cm-role", ENGINE, "C5, B28",                                \
	  "MCM called NdisCm(De)ActivateVc, NdisCmRegisterAddressFamilyEx "   \
	  "or NdisCoCreateVc, or a stand-alone CM an NdisMCm* function "      \
	  "(NdisMCm*Complete/Dispatch* are macros over NdisCm*: that slip "   \
	  "is invisible)")                                                    \
	X(C6, 6, "add-party-on-pmp-call", ENGINE, "C6, A16, B9",              \
	  "NdisClAddParty on a VC without an established point-to-"           \
	  "multipoint call")                                                  \
	X(C7, 7, "handle-only-on-success", ENGINE, "C7, B8",                  \
	  "party handle used after its MakeCall/AddParty failed, or a NULL "  \
	  "out-handle pointer")                                               \
	X(C8, 8, "client-contexts-alive", ENGINE, "C8, B10",                  \
	  "NULL ProtocolPartyContext or CallParameters, or one of them "      \
	  "freed through NDIS while its MakeCall/AddParty is in flight "     \
	  "(freed with plain free(): ASan catches it)")                       \
	X(C9, 9, "client-handle-after-drop", ENGINE, "C9, A1, B5, B34",       \
	  "client passed a party handle that is invalid: dropped, closed, "   \
	  "never issued, or not a party handle at all")                       \
	X(C10, 10, "party-context-until-drop-complete", ENGINE,               \
	  "C10, B3, B4",                                                      \
	  "client freed ProtocolPartyContext through NDIS (NdisFreeMemory, "  \
	  "a lookaside list) before the callback that ends its party "        \
	  "(freed with plain free(): ASan catches it)")                       \
	X(C11, 11, "close-call-one-party", ENGINE, "C11, B7",                 \
	  "NdisClCloseCall with more than one party left, a NULL party on "   \
	  "a PMP call, a party on a P2P call, or a party of another VC")      \
	X(C12, 12, "party-ends-once", END, "C12",                             \
	  "a party handle the client received never ended (still live at "    \
	  "the end of the run)")                                              \
	X(C13, 13, "incoming-drop-needs-others", ENGINE,                      \
	  "C13, A10, A11, B23",                                               \
	  "incoming drop of the last connected party (use incoming close) "   \
	  "or of a party that is not connected; incoming close on a VC "      \
	  "without a connected call, or a second one on a call the network "  \
	  "already closed")                                                   \
	X(C14, 14, "answer-incoming-drop", END, "C14, A3",                    \
	  "client never answered ProtocolClIncomingDropParty with "           \
	  "NdisClDropParty or NdisClCloseCall")                               \
	X(C15, 15, "incoming-close-teardown", ENGINE, "C15, A13, B12",        \
	  "after ProtocolClIncomingCloseCall the client added a party, or "   \
	  "never closed the call")                                            \
	X(C16, 16, "cm-party-context", ENGINE, "C16, B25",                    \
	  "party set up with SUCCESS but a NULL CallMgrPartyContext")         \
	X(C17, 17, "p2p-null-cm-party-context", ENGINE, "C17",                \
	  "non-NULL CallMgrPartyContext for a call without a party handle")   \
	X(C18, 18, "cm-handle-after-end", ENGINE, "C18, A9, B24",             \
	  "call manager passed a party handle that is no longer valid "       \
	  "(dropped, closed, failed) or was never issued")                    \
	X(C19, 19, "sync-drop-not-completed", ENGINE, "C19",                  \
	  "Ndis(M)CmDropPartyComplete for a drop that already returned "      \
	  "SUCCESS synchronously")                                            \
	X(C20, 20, "close-data-invalid", ENGINE, "C20",                       \
	  "close data on a medium without close-data support accepted "       \
	  "(answered or completed with SUCCESS, not refused with "            \
	  "NDIS_STATUS_INVALID_DATA)")                                        \
	X(C21, 21, "close-complete-party", ENGINE, "C21, B26",                \
	  "Ndis(M)CmCloseCallComplete names a party other than the one "      \
	  "being closed (NULL for P2P)")                                      \
	X(C22, 22, "activate-deactivate", ENGINE, "C22, A8, B30",             \
	  "make call reported SUCCESS before the VC was activated, close "    \
	  "reported SUCCESS before it was deactivated, or (de)activation at " \
	  "the wrong time")                                                   \
	X(C23, 23, "no-sends-around-close", ENGINE, "C23, C15, B17",          \
	  "NdisCoSendNetBufferLists on a VC without a connected call, after " \
	  "NdisClCloseCall or after ProtocolClIncomingCloseCall; "            \
	  "NdisClCloseCall with sends outstanding; a miniport send "          \
	  "completion for a chain it does not hold (C3), or a send never "    \
	  "completed (end of run)")                                           \
	X(C24, 24, "vc-context-until-delete", ENGINE, "C24, B33",             \
	  "client freed the ProtocolVcContext of a VC the call manager "      \
	  "created through NDIS (NdisFreeMemory, a lookaside list) before "   \
	  "its ProtocolCoDeleteVc (freed with plain free(): ASan catches "    \
	  "it)")                                                              \
	X(C25, 25, "delete-vc", ENGINE, "C25, B15",                           \
	  "VC deleted by a non-creator, before its call closed and it was "   \
	  "deactivated, or a deleted/never-issued VC handle used")            \
	X(C26, 26, "create-vc-contract", ENGINE, "C26",                       \
	  "NdisCoCreateVc with a non-NULL *NdisVcHandle, or ProtocolCo"       \
	  "CreateVc/ProtocolCoDeleteVc returned PENDING")                     \
	X(C27, 27, "cm-vc-after-close", ENGINE, "C27, B16",                   \
	  "client passed the VC handle of an incoming call (a VC the call "   \
	  "manager created) to NDIS after the call's close completed")        \
	X(C28, 28, "af-close-order", ENGINE, "C28, B35",                      \
	  "address family closed with a call still open or a SAP still "      \
	  "registered, closed twice, a call, party or SAP request on a "      \
	  "family that is closing or closed or was notified closed, a close " \
	  "completion the call manager did not pend (or a second one), or "   \
	  "a close notification of a family not open, repeated, or "          \
	  "answered SUCCESS with the family still open")                      \
	X(R1, 29, "no-teardown-while-setup", ENGINE, "R1, B8",                \
	  "drop or close of a party whose MakeCall/AddParty is in flight "    \
	  "(the client has no handle yet: its handle or a NULL one)")         \
	X(R2, 30, "close-when-quiescent", ENGINE, "R2, B14",                  \
	  "NdisClCloseCall while adds or drops are in flight")                \
	X(R3, 31, "one-teardown-per-party", ENGINE, "R3, B11",                \
	  "drop or close of a party that is already being dropped/closed")    \
	X(R4, 32, "no-incoming-drop-while-dropping", ENGINE, "R4, B23",       \
	  "incoming drop for a party whose drop or close is in progress, "    \
	  "or that the network already dropped (its indication run or "       \
	  "still queued as a DPC)")                                           \
	X(S1, 33, "spin-lock-state", SERVICE, "S1, B27",                      \
	  "spin lock acquired while held (a deadlock), released while not "   \
	  "held, by another CPU or with the other variant than it was "       \
	  "taken with, freed while held, or used without NdisAllocateSpin"    \
	  "Lock")                                                             \
	X(S2, 34, "lookaside-list-state", SERVICE, "S2",                      \
	  "lookaside list used before NdisInitializeNPagedLookasideList or "  \
	  "after NdisDeleteNPagedLookasideList, or given back more entries "  \
	  "than it handed out")

enum cn_rule {
	CN_RULE_NONE = 0,
#define CN_RULE_ENUM_(id, value, name, scope, ref, msg) CN_RULE_##id = value,
	CN_RULE_ENTRIES(CN_RULE_ENUM_)
#undef CN_RULE_ENUM_
};

/* Rules are 1 .. CN_RULE_MAX. */
#define CN_RULE_MAX 34

/* Catalogue accessors: static strings; unknown rules give "?" / "". */
const char *cn_rule_id(int rule);   /* "C9" */
const char *cn_rule_name(int rule); /* "client-handle-after-drop" */
const char *cn_rule_ref(int rule);  /* "C9, A1, B5" */
const char *cn_rule_message(int rule);
enum cn_rule_scope cn_rule_scope(int rule);
const char *cn_rule_scope_name(int scope); /* "ENGINE", "END", ... */

/* Parse "C9" / "R2" (case-insensitive); CN_RULE_NONE if unknown. */
enum cn_rule cn_rule_parse(const char *id);

#endif /* PARTYFUZZ_RULES_H */
