/*
 * partyfuzz/rules.h - the verifier's rule catalogue.
 *
 * ONE table (CN_RULE_ENTRIES) names every rule: the contract's C1..C28
 * and the model rules R1..R4, then the rules of the NDIS services drivers
 * use around parties (S1, S2: from the NdisAcquireSpinLock and
 * lookaside-list pages, not from the party contract). Nothing else
 * defines a rule id. What each rule means, the documentation page it
 * rests on and how it is checked are in core/include/partyfuzz/CONTRACT.md,
 * which also defines the bug ids B1..B30 and the readings A1..A17 cited
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
	  "call-manager completion for a request that is not pended (never "  \
	  "pended, returned synchronously, or already completed), or a "      \
	  "pended request never completed")                                   \
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
	  "NULL ProtocolPartyContext or CallParameters (freeing them early "  \
	  "is a driver bug NDIS cannot see: ASan catches it)")                \
	X(C9, 9, "client-handle-after-drop", ENGINE, "C9, A1, B5",            \
	  "client passed a party handle that is invalid: dropped, closed, "   \
	  "never issued, or not a party handle at all")                       \
	X(C10, 10, "party-context-until-drop-complete", DRIVER,               \
	  "C10, B3, B4",                                                      \
	  "client freed ProtocolPartyContext before ProtocolClDropParty"      \
	  "Complete (DRIVER: caught by ASan; NDIS delivers the drop "         \
	  "completion exactly once, C2)")                                     \
	X(C11, 11, "close-call-one-party", ENGINE, "C11, B7",                 \
	  "NdisClCloseCall with more than one party left, a NULL party on "   \
	  "a PMP call, a party on a P2P call, or a party of another VC")      \
	X(C12, 12, "party-ends-once", END, "C12",                             \
	  "a party handle the client received never ended (still live at "    \
	  "the end of the run)")                                              \
	X(C13, 13, "incoming-drop-needs-others", ENGINE,                      \
	  "C13, A10, A11, B23",                                               \
	  "incoming drop of the last connected party (use incoming close) "   \
	  "or of a party that is not connected, or incoming close on a VC "   \
	  "without a connected call")                                         \
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
	X(C23, 23, "no-sends-around-close", OUT, "C23, B17",                  \
	  "send path not modelled (no NdisCoSendNetBufferLists in the shim)") \
	X(C24, 24, "vc-context-until-delete", DRIVER, "C24",                  \
	  "client freed ProtocolVcContext before the VC was deleted "         \
	  "(DRIVER: caught by ASan)")                                         \
	X(C25, 25, "delete-vc", ENGINE, "C25, B15",                           \
	  "VC deleted by a non-creator, before its call closed and it was "   \
	  "deactivated, or a deleted/never-issued VC handle used")            \
	X(C26, 26, "create-vc-contract", ENGINE, "C26",                       \
	  "NdisCoCreateVc with a non-NULL *NdisVcHandle, or ProtocolCo"       \
	  "CreateVc/ProtocolCoDeleteVc returned PENDING")                     \
	X(C27, 27, "cm-vc-after-close", OUT, "C27, B16",                      \
	  "incoming calls (the only source of CM-created call VCs) are not "  \
	  "modelled")                                                         \
	X(C28, 28, "af-close-order", OUT, "C28",                              \
	  "address families and SAPs are opened and closed (ndis.h), but no " \
	  "run of the harness closes them yet, so their order is not "        \
	  "checked")                                                          \
	X(R1, 29, "no-teardown-while-setup", ENGINE, "R1, B8",                \
	  "drop or close of a party whose MakeCall/AddParty is in flight "    \
	  "(the client has no handle yet)")                                   \
	X(R2, 30, "close-when-quiescent", ENGINE, "R2, B14",                  \
	  "NdisClCloseCall while adds or drops are in flight")                \
	X(R3, 31, "one-teardown-per-party", ENGINE, "R3, B11",                \
	  "drop or close of a party that is already being dropped/closed")    \
	X(R4, 32, "no-incoming-drop-while-dropping", ENGINE, "R4, B23",       \
	  "incoming drop for a party whose drop or close is in progress")     \
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
