/*
 * program.h - the operation vocabulary of the CoNDIS fuzzers and its two
 * encodings.
 *
 * A program is a configuration and a list of operations. The same program
 * has two encodings:
 *
 *   binary  the fuzzer input. ANY byte string decodes to a valid program:
 *           missing bytes read 0, every argument byte is reduced modulo
 *           its domain, and decoding stops at PF_MAX_OPS operations.
 *   text    for hand-written scenarios (regress/) and traces: the first
 *           line is exactly PF_TEXT_HEADER, `partyfuzz-program v1`; then
 *           one `config` line and one operation per line, `#` starts a
 *           comment; printable ASCII, tabs and line ends only.
 *
 * Which one a byte string is depends on its first bytes only, never on a
 * guess: an input that starts with PF_TEXT_MAGIC (`partyfuzz-program`)
 * is text, anything else is binary. A text input is parsed strictly, and
 * a malformed one (another version, a non-ASCII byte, an unknown
 * operation, ...) is an error at its line, never read as binary instead.
 * No binary program is lost to the magic: pf_encode() writes the flags
 * byte first, which is below 0x20, so the canonical encoding of every
 * program is binary.
 *
 * Binary layout (bytes):
 *
 *   +-------+-------+-------+-------+------+------+-----+------+------+--
 *   | flags | cpus  | gbits | rsvd  | op 0 | arg0 | ... | op 1 | arg0 | ..
 *   +-------+-------+-------+-------+------+------+-----+------+------+--
 *
 *   flags  bit 0  call manager is an MCM (else a stand-alone CM)
 *          bit 1  A2 option: an ADDING party counts as "other" when NDIS
 *                 decides whether a drop names the last party ([sample])
 *          bit 2  A7 option: a closed VC may NOT be reused for a new call
 *          bit 3  the medium supports close data (C20)
 *          bit 4  drivers=puppet: the harness itself plays client and
 *                 call manager, the verifier records (adversary);
 *                 else the reference drivers, verifier aborts. The fuzz
 *                 targets force this bit (fuzz_condis 0, _adversary 1).
 *          bit 5  a12=early: completions before the PENDING return
 *                 (spec A12): NDIS completes a synchronous CM answer
 *                 itself, and the reference call manager completes what
 *                 it pends from inside its handler, as another CPU would
 *                 (CN_OPT_A12_EARLY)
 *          bit 6  last_party=cm: NDIS forwards the drop of a call's
 *                 last party to the call manager, which answers FAILURE
 *                 (spec A2; CN_OPT_A2_CM_FAILS)
 *          bit 7  ignored (room for an option, read and dropped)
 *   cpus   simulated processors = 1 + b % PF_MAX_CPUS
 *   gbits  party-table generation width = {1,2,3,4,8,16,32,32}[b % 8]
 *   rsvd   read, ignored
 *   op     opcode = b % PF_OP_COUNT, then exactly pf_op_arity(op) argument
 *          bytes, each reduced modulo its argument's domain.
 *
 * Opcodes are explicit and only ever appended, so corpora stay valid
 * (STYLE.md point 11). Decoding normalises (reduces) every argument, so
 * decode(encode(p)) == p for every decoded or parsed program p, and
 * encode(decode(text)) is stable.
 *
 * Text form (canonical output of pf_program_print, which prints every key;
 * the parser also accepts keys in any order and omitted keys, which read 0,
 * but no key twice; config defaults: drivers=reference cm=cm cpus=1
 * gen_bits=32 a2=active a7=reuse close_data=0 a12=late last_party=ndis;
 * a12 and last_party are printed only when not at their default, so that
 * older programs print as they did):
 *
 *   partyfuzz-program v1                                # the first line
 *   config drivers=reference cm=mcm cpus=2 gen_bits=2   # once, before
 *   create_vc                                           # the ops; keys
 *   make_call vc=0 pmp=1 cm=SUCCESS                     # left out keep
 *   add_party vc=0 cm=PENDING                           # their defaults
 *   complete req=0 status=SUCCESS deliver=cpu1
 *   sched actor=cm cpu=1 irql=dispatch
 *
 * Arguments that name things created during a run (party=, req=) count
 * in creation order from 0 and are resolved modulo the number that exist
 * when the operation runs (harness/run.c), so that every program runs.
 *
 * Context: pure functions on caller memory; no allocation, no globals.
 */
#ifndef PARTYFUZZ_PROGRAM_H
#define PARTYFUZZ_PROGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The first line of every text program; its first word is the magic. */
#define PF_TEXT_MAGIC "partyfuzz-program"
#define PF_TEXT_HEADER PF_TEXT_MAGIC " v1"

#define PF_MAX_OPS 256
#define PF_MAX_ARGS 5
#define PF_MAX_CPUS 4
#define PF_MAX_VCS 4
#define PF_CONFIG_BYTES 4

/* Configuration flags (binary byte 0). */
#define PF_CFG_MCM 0x01u
#define PF_CFG_A2_CONNECTING 0x02u
#define PF_CFG_A7_NO_REUSE 0x04u
#define PF_CFG_CLOSE_DATA 0x08u
#define PF_CFG_PUPPET 0x10u
#define PF_CFG_A12_EARLY 0x20u
#define PF_CFG_LAST_PARTY_CM 0x40u
#define PF_CFG_FLAGS_MASK 0x7fu

/*
 * X(name, id, arity, arg kinds...) - the vocabulary. Ids are explicit and
 * only ever appended. Argument kinds are enum pf_arg values. "VC #k" is
 * the k-th VC the client created, "party #k" of a VC the k-th party of
 * that VC, "req #k" the k-th request the CM pended and has not completed
 * (oldest first), "call #k" the k-th call the network may close; every
 * index is taken modulo the number of candidates (fuzz/drivers/driver.h).
 *
 *   client requests (client actor). cm= is the call manager's decision for
 *   the request this causes: SUCCESS returns synchronously, PENDING pends,
 *   any other status fails synchronously with it.
 *   0  create_vc       NdisCoCreateVc
 *   1  make_call       NdisClMakeCall on VC #vc; pmp=1: with an initial
 *                      party (ProtocolPartyContext != NULL)
 *   2  add_party       NdisClAddParty on VC #vc
 *   3  drop_party      NdisClDropParty of party #party of VC #vc
 *   4  close_call      NdisClCloseCall on VC #vc with its surviving party
 *   5  delete_vc       NdisCoDeleteVc on VC #vc
 *   6  answer          the next step owed after an incoming drop or close
 *                      on VC #vc (C14, C15, A11)
 *   call manager (cm actor)
 *   7  complete        Ndis(M)Cm*Complete of pended request #req with
 *                      status; the client's handler runs synchronously
 *                      (deliver=sync) or from a DPC on a CPU (deliver=
 *                      cpuN), spec A12
 *   network (net actor: the CM reports what the network did)
 *   8  incoming_drop   Ndis(M)CmDispatchIncomingDropParty of party #party
 *                      (among those the CM may name) with status
 *   9  incoming_close  Ndis(M)CmDispatchIncomingCloseCall of call #vc
 *   scheduling
 *   10 sched           from now on the actor runs on cpu at irql (with
 *                      the reference drivers irql=high means DISPATCH:
 *                      correct drivers never call above it, C1)
 *   11 run_dpc         run DPC #index queued on cpu (DISPATCH_LEVEL)
 *   adversary (drivers=puppet: any handle, any status, any IRQL)
 *   12 ddi             call DDI fn directly with the selected party and VC
 *                      handles, status and flags, as the client (Cl*, Co*,
 *                      Ke*; a protocol driver's registration and
 *                      binding) or the call manager (Cm*; a miniport
 *                      driver's registration, the family's) at that
 *                      actor's CPU/IRQL; KeRaiseIrql raises to DISPATCH_LEVEL,
 *                      KeLowerIrql lowers to PASSIVE_LEVEL (flags bit 0:
 *                      the misuse, below)
 *   callback behaviour (drivers=puppet; the reference drivers ignore it)
 *   13 leave_irql      the actor's next callback (client: ProtocolCl*;
 *                      cm: ProtocolCm*, ProtocolCoCreateVc/DeleteVc)
 *                      returns at irql: it ends with KeRaiseIrql or
 *                      KeLowerIrql to that level (C1 at its return when
 *                      that is not the level it was entered at)
 *   address family (client actor; C28)
 *   14 register_sap    NdisClRegisterSap on the client's family
 *   15 deregister_sap  NdisClDeregisterSap of the client's SAP
 *   16 close_family    NdisClCloseAddressFamily now, mid-run; a correct
 *                      client only with no call open and no SAP left
 *   incoming calls (condis_incoming.c)
 *   17 incoming_call   the network offers a call (net actor): the CM
 *                      creates a VC (NdisCoCreateVc / NdisMCmCreateVc)
 *                      and dispatches the call on the client's SAP; cm=
 *                      is the CLIENT's answer (SUCCESS accepts, PENDING
 *                      pends it until an answer op, anything else rejects
 *                      with it); on acceptance the CM activates the VC and
 *                      dispatches call-connected. The call is then one of
 *                      the client's VCs (close_call, answer) and one of
 *                      the calls the network may close (the client's
 *                      SAP: register_sap)
 *   client data path (client actor)
 *   18 send            NdisCoSendNetBufferLists of one NET_BUFFER_LIST on
 *                      VC #vc; cm= is an MCM's answer in its
 *                      MiniportCoSendNetBufferLists (SUCCESS: complete at
 *                      once, PENDING: hold it until a `complete` names it
 *                      after the pended requests, any other: complete at
 *                      once with that status); deliver= how the client's
 *                      ProtocolCoSendNetBufferListsComplete runs (C23)
 *   19 oid             NdisCoOidRequest (a query) by the client on VC #vc:
 *                      party=0 the VC itself, party=k+1 its party #k;
 *                      cm= the call manager's answer (the reference call
 *                      manager answers every OID at once: PENDING reads
 *                      SUCCESS); C9, C7, C18 for the party handle
 *   the call manager's close of the family (cm actor; C28, A18)
 *   20 notify_close_af Ndis(M)CmNotifyCloseAddressFamily now, mid-run (a
 *                      correct CM only at PASSIVE_LEVEL, once, on an
 *                      open family): the client's ProtocolClNotifyCloseAf
 *                      tears down and closes the family, returning
 *                      SUCCESS or PENDING (then its completion follows
 *                      the close's); cm= is the call manager's answer
 *                      to the closes this causes
 */
#define PF_OP_ENTRIES(X)                                                      \
	X(create_vc, 0, 0, 0, 0, 0, 0, 0)                                     \
	X(make_call, 1, 3, PF_ARG_VC, PF_ARG_BOOL, PF_ARG_CM, 0, 0)           \
	X(add_party, 2, 2, PF_ARG_VC, PF_ARG_CM, 0, 0, 0)                     \
	X(drop_party, 3, 3, PF_ARG_VC, PF_ARG_PARTY, PF_ARG_CM, 0, 0)         \
	X(close_call, 4, 2, PF_ARG_VC, PF_ARG_CM, 0, 0, 0)                    \
	X(delete_vc, 5, 1, PF_ARG_VC, 0, 0, 0, 0)                             \
	X(answer, 6, 2, PF_ARG_VC, PF_ARG_CM, 0, 0, 0)                        \
	X(complete, 7, 3, PF_ARG_REQ, PF_ARG_STATUS, PF_ARG_DELIVER, 0, 0)    \
	X(incoming_drop, 8, 3, PF_ARG_PARTY, PF_ARG_STATUS, PF_ARG_DELIVER,   \
	  0, 0)                                                               \
	X(incoming_close, 9, 3, PF_ARG_VC, PF_ARG_STATUS, PF_ARG_DELIVER, 0,  \
	  0)                                                                  \
	X(sched, 10, 3, PF_ARG_ACTOR, PF_ARG_CPU, PF_ARG_IRQL, 0, 0)          \
	X(run_dpc, 11, 2, PF_ARG_CPU, PF_ARG_INDEX, 0, 0, 0)                  \
	X(ddi, 12, 5, PF_ARG_DDI, PF_ARG_HPARTY, PF_ARG_HVC, PF_ARG_STATUS,   \
	  PF_ARG_FLAGS)                                                       \
	X(leave_irql, 13, 2, PF_ARG_ACTOR, PF_ARG_IRQL, 0, 0, 0)             \
	X(register_sap, 14, 0, 0, 0, 0, 0, 0)                                 \
	X(deregister_sap, 15, 0, 0, 0, 0, 0, 0)                               \
	X(close_family, 16, 0, 0, 0, 0, 0, 0)                                 \
	X(incoming_call, 17, 1, PF_ARG_CM, 0, 0, 0, 0)                        \
	X(send, 18, 3, PF_ARG_VC, PF_ARG_CM, PF_ARG_DELIVER, 0, 0)            \
	X(oid, 19, 3, PF_ARG_VC, PF_ARG_PARTY, PF_ARG_CM, 0, 0)                \
	X(notify_close_af, 20, 1, PF_ARG_CM, 0, 0, 0, 0)

enum pf_opcode {
#define PF_OP_ENUM_(name, id, arity, a0, a1, a2, a3, a4) PF_OP_##name = id,
	PF_OP_ENTRIES(PF_OP_ENUM_)
#undef PF_OP_ENUM_
		PF_OP_COUNT = 21,
};

/*
 * Argument kinds: X(kind, id, key, domain). The domain is the number of
 * distinct values; the binary byte is reduced modulo it.
 */
#define PF_ARG_ENTRIES(X)                                                     \
	X(PF_ARG_NONE, 0, "", 1)                                              \
	X(PF_ARG_VC, 1, "vc", PF_MAX_VCS)                                     \
	X(PF_ARG_BOOL, 2, "pmp", 2)                                           \
	X(PF_ARG_STATUS, 3, "status", PF_STATUS_COUNT)                        \
	X(PF_ARG_PARTY, 4, "party", 256)                                      \
	X(PF_ARG_REQ, 5, "req", 256)                                          \
	X(PF_ARG_DELIVER, 6, "deliver", 1 + PF_MAX_CPUS)                      \
	X(PF_ARG_ACTOR, 7, "actor", PF_ACTOR_COUNT)                           \
	X(PF_ARG_CPU, 8, "cpu", PF_MAX_CPUS)                                  \
	X(PF_ARG_IRQL, 9, "irql", 4)                                          \
	X(PF_ARG_DDI, 10, "fn", PF_DDI_COUNT)                                 \
	X(PF_ARG_HPARTY, 11, "party", 256)                                    \
	X(PF_ARG_HVC, 12, "vc", 256)                                          \
	X(PF_ARG_FLAGS, 13, "flags", 8)                                       \
	X(PF_ARG_CM, 14, "cm", PF_STATUS_COUNT)                               \
	X(PF_ARG_INDEX, 15, "index", 256)

enum pf_arg {
#define PF_ARG_ENUM_(kind, id, key, domain) kind = id,
	PF_ARG_ENTRIES(PF_ARG_ENUM_)
#undef PF_ARG_ENUM_
};

/*
 * Status values a program can name, index -> NDIS_STATUS (pf_status_value).
 * In cm= arguments SUCCESS means "return SUCCESS synchronously", PENDING
 * means "pend", anything else "fail synchronously with it".
 */
#define PF_STATUS_ENTRIES(X)                                                  \
	X(SUCCESS, 0, 0x00000000u)                                            \
	X(PENDING, 1, 0x00000103u)                                            \
	X(FAILURE, 2, 0xC0000001u)                                            \
	X(RESOURCES, 3, 0xC000009Au)                                          \
	X(INVALID_DATA, 4, 0xC0010015u)                                       \
	X(NOT_SUPPORTED, 5, 0xC00000BBu)                                      \
	X(NOT_ACCEPTED, 6, 0x00010003u)                                       \
	X(CLOSING, 7, 0xC0010002u)

#define PF_STATUS_COUNT 8

enum pf_status {
#define PF_STATUS_ENUM_(name, id, value) PF_ST_##name = id,
	PF_STATUS_ENTRIES(PF_STATUS_ENUM_)
#undef PF_STATUS_ENUM_
};

#define PF_ARG_KIND_COUNT 16

/* Actors of the scheduler (harness/hsched.h). */
enum pf_actor {
	PF_ACTOR_CLIENT = 0,
	PF_ACTOR_CM = 1,
	PF_ACTOR_NET = 2,
};
#define PF_ACTOR_COUNT 3

/* IRQL argument values: index -> KIRQL {0, 1, 2, 15}. */
enum pf_irql {
	PF_IRQL_PASSIVE = 0,
	PF_IRQL_APC = 1,
	PF_IRQL_DISPATCH = 2,
	PF_IRQL_HIGH = 3,
};

/*
 * DDIs the adversary can call directly (op ddi, argument fn). Only
 * appended. The first handle selector is the party handle, the second the
 * VC handle; each DDI uses the ones its parameter list has.
 */
#define PF_DDI_ENTRIES(X)                                                     \
	X(CL_MAKE_CALL, 0, "NdisClMakeCall")                                  \
	X(CL_ADD_PARTY, 1, "NdisClAddParty")                                  \
	X(CL_DROP_PARTY, 2, "NdisClDropParty")                                \
	X(CL_CLOSE_CALL, 3, "NdisClCloseCall")                                \
	X(CO_DELETE_VC, 4, "NdisCoDeleteVc")                                  \
	X(CM_MAKE_CALL_COMPLETE, 5, "CmMakeCallComplete")                     \
	X(CM_ADD_PARTY_COMPLETE, 6, "CmAddPartyComplete")                     \
	X(CM_DROP_PARTY_COMPLETE, 7, "CmDropPartyComplete")                   \
	X(CM_CLOSE_CALL_COMPLETE, 8, "CmCloseCallComplete")                   \
	X(CM_INCOMING_DROP, 9, "CmDispatchIncomingDropParty")                 \
	X(CM_INCOMING_CLOSE, 10, "CmDispatchIncomingCloseCall")               \
	X(CM_ACTIVATE_VC, 11, "CmActivateVc")                                 \
	X(CM_DEACTIVATE_VC, 12, "CmDeactivateVc")                             \
	X(CO_CREATE_VC, 13, "NdisCoCreateVc")                                 \
	X(KE_RAISE_IRQL, 14, "KeRaiseIrql")                                   \
	X(KE_LOWER_IRQL, 15, "KeLowerIrql")                                   \
	X(CM_CLOSE_AF_COMPLETE, 16, "CmCloseAddressFamilyComplete")           \
	X(CM_CREATE_VC, 17, "CmCreateVc")                                     \
	X(CM_DELETE_VC, 18, "CmDeleteVc")                                     \
	X(CM_INCOMING_CALL, 19, "CmDispatchIncomingCall")                     \
	X(CL_INCOMING_CALL_COMPLETE, 20, "NdisClIncomingCallComplete")        \
	X(CM_CALL_CONNECTED, 21, "CmDispatchCallConnected")                   \
	X(CO_SEND, 22, "NdisCoSendNetBufferLists")                            \
	X(MCO_SEND_COMPLETE, 23, "NdisMCoSendNetBufferListsComplete")         \
	X(CO_OID_REQUEST, 24, "NdisCoOidRequest")                             \
	X(CO_OID_REQUEST_COMPLETE, 25, "NdisCoOidRequestComplete")            \
	X(CM_OID_REQUEST, 26, "CmOidRequest")                                 \
	X(CL_NOTIFY_CLOSE_AF_COMPLETE, 27,                                    \
	  "NdisClNotifyCloseAddressFamilyComplete")                           \
	X(CM_NOTIFY_CLOSE_AF, 28, "CmNotifyCloseAddressFamily")               \
	X(CL_REGISTER_SAP, 29, "NdisClRegisterSap")                           \
	X(CM_REGISTER_SAP_COMPLETE, 30, "CmRegisterSapComplete")              \
	X(CL_DEREGISTER_SAP, 31, "NdisClDeregisterSap")                       \
	X(CM_DEREGISTER_SAP_COMPLETE, 32, "CmDeregisterSapComplete")          \
	X(CL_CLOSE_AF, 33, "NdisClCloseAddressFamily")                        \
	X(CL_OPEN_AF, 34, "NdisClOpenAddressFamilyEx")                        \
	X(CM_OPEN_AF_COMPLETE, 35, "CmOpenAddressFamilyComplete")             \
	X(CM_CREATE_VC_CL_ANSWER, 36, "CmCreateVcClAnswer")                   \
	X(CM_DELETE_VC_CL_ANSWER, 37, "CmDeleteVcClAnswer")                   \
	X(CM_INCOMING_CALL_EARLY, 38, "CmDispatchIncomingCallEarly")         \
	X(REGISTER_PROTOCOL, 39, "NdisRegisterProtocolDriver")                \
	X(SET_OPTIONAL_HANDLERS, 40, "NdisSetOptionalHandlers")               \
	X(OPEN_ADAPTER, 41, "NdisOpenAdapterEx")                              \
	X(COMPLETE_BIND, 42, "NdisCompleteBindAdapterEx")                     \
	X(CLOSE_ADAPTER, 43, "NdisCloseAdapterEx")                            \
	X(COMPLETE_UNBIND, 44, "NdisCompleteUnbindAdapterEx")                 \
	X(DEREGISTER_PROTOCOL, 45, "NdisDeregisterProtocolDriver")            \
	X(REGISTER_MINIPORT, 46, "NdisMRegisterMiniportDriver")               \
	X(DEREGISTER_MINIPORT, 47, "NdisMDeregisterMiniportDriver")           \
	X(SET_MINIPORT_ATTRIBUTES, 48, "NdisMSetMiniportAttributes")          \
	X(CM_REGISTER_AF, 49, "NdisCmRegisterAddressFamilyEx")                \
	X(MCM_REGISTER_AF, 50, "NdisMCmRegisterAddressFamilyEx")

#define PF_DDI_COUNT 51

enum pf_ddi {
#define PF_DDI_ENUM_(name, id, text) PF_DDI_##name = id,
	PF_DDI_ENTRIES(PF_DDI_ENUM_)
#undef PF_DDI_ENUM_
};

/*
 * The incoming-call DDIs (17..21, appended; drivers/puppet.c
 * pp_incoming_ddi): CmCreateVc (NdisCoCreateVc with the CM's binding, or
 * NdisMCmCreateVc), CmDeleteVc (NdisCoDeleteVc as the CM, or
 * NdisMCmDeleteVc), CmDispatchIncomingCall (status: the client's answer),
 * NdisClIncomingCallComplete (the client's, with status) and
 * CmDispatchCallConnected. Flags: ctx a non-NULL *NdisVcHandle on create
 * (C26) or a SAP handle that names none on the offer; data NULL
 * CallParameters on the offer; other the other family (C5).
 *
 * Flags of op ddi (argument flags):
 *   bit 0  the wrong variant: the other family's DDI for the call manager
 *          (NdisCm* from an MCM, NdisMCm* from a stand-alone CM) - C5;
 *          NULL CallParameters for NdisClMakeCall / NdisClAddParty - C8;
 *          KeRaiseIrql above HIGH_LEVEL, KeLowerIrql to DISPATCH_LEVEL
 *          (from below it, a raise) - C1; ignored by the other client
 *          DDIs
 *   bit 1  NULL CallMgrPartyContext (completions) / NULL out pointer
 *          (NdisClMakeCall, NdisClAddParty) / a non-NULL *NdisVcHandle on
 *          entry (NdisCoCreateVc) - C7, C16, C26,
 *          C17 (a non-NULL context where NULL is required when set on a
 *          P2P make-call completion)
 *          NdisClDropParty: when it returns PENDING, free the party's
 *          context through NdisFreeMemory (C10, B4)
 *   bit 2  pass close data (drop/close) - C20; a Buffer with an incoming
 *          drop/close; NULL CallParameters with a make-call or add-party
 *          completion (NDIS hands the client those of its request);
 *          NdisClMakeCall / NdisClAddParty: when it returns PENDING, free
 *          the CallParameters through NdisFreeMemory (C8, B10);
 *          NdisCoSendNetBufferLists: a NULL chain (C23);
 *          NdisCoCreateVc: the client's make-call routine, as drivers
 *          commonly write it: NdisCoCreateVc, then NdisClMakeCall on the
 *          new VC in the same operation (PMP unless party=null; bits 0
 *          and 1 then mean NULL CallParameters and a NULL NdisPartyHandle,
 *          as for NdisClMakeCall; the CM answers status=)
 * The send DDIs: NdisCoSendNetBufferLists sends one of the puppet
 * client's NET_BUFFER_LISTs on the VC (bit 2: a NULL chain instead); the
 * puppet MCM's MiniportCoSendNetBufferLists holds every chain it gets,
 * and NdisMCoSendNetBufferListsComplete completes the oldest one it holds
 * on the VC with status as its NET_BUFFER_LIST_STATUS (bit 0: a chain it
 * never got instead, bit 1: the one it completed last, again; either is
 * C3; from a stand-alone CM it is C5 anyway).
 * The OID DDIs: NdisCoOidRequest queries OID_GEN_CO_LINK_SPEED with the
 * selected VC and party handles (party=null for a VC-level request,
 * vc=null too for the address family; bit 2: a NULL OidRequest), and the
 * puppet CM's ProtocolCoOidRequest answers it with the op's status
 * (PENDING: it owes the completion); CmOidRequest is the same request
 * from the call manager to the client (NdisCoOidRequest with the CM's
 * binding: C5 from an MCM, C18 for its party handle), answered by the
 * puppet client's ProtocolCoOidRequest with the status;
 * NdisCoOidRequestComplete completes the oldest OID request the puppets
 * hold (either way: NDIS knows who owes it), naming its own VC and
 * party, with status (bit 0: a request never made instead - C3; bit 1:
 * naming the selected VC and party handles instead - C25, C18/C9, C3).
 * The close-notification DDIs (27, 28): NdisClNotifyCloseAddressFamily-
 * Complete by the puppet client on its family with status (C4 for
 * PENDING, C3 without a notification it pended, C28 for SUCCESS on a
 * family still open); CmNotifyCloseAddressFamily by the puppet CM on the
 * family, whatever its state (C28, C1 above PASSIVE_LEVEL), answered by
 * the puppet client's ProtocolClNotifyCloseAf with status. The NdisMCm
 * spelling is a macro (ndis.h): bit 0 changes nothing.
 * The call manager's side of the family and its SAPs (29..35, C28, C3,
 * C4): NdisClRegisterSap, NdisClDeregisterSap (of the SAP the puppet
 * client registered last), NdisClCloseAddressFamily and
 * NdisClOpenAddressFamilyEx (again, once a close of the family is over)
 * by the puppet client, whatever the family's state, each answered by the
 * puppet CM's ProtocolCmRegisterSap / DeregisterSap / CloseAf / OpenAf
 * with status (PENDING: it owes the completion); CmRegisterSapComplete,
 * CmDeregisterSapComplete (on that SAP) and CmOpenAddressFamilyComplete
 * (on the family) by the puppet CM with status, pended or not (C3 when
 * nothing is pended, C4 for PENDING), as CmCloseAddressFamilyComplete
 * (16) completes a pended close (C28 when none is). The NdisMCm spellings
 * are macros (ndis.h): bit 0 changes nothing. The puppet CM has these
 * four handlers only in a run whose program names one of 29..35 in a ddi
 * op (a CM without them is answered by NDIS at once, with no callback:
 * every older program runs as it did); there its handlers answer SUCCESS
 * outside these ops (register_sap, deregister_sap, close_family).
 * The client's answers about a CM-created VC (36..38, appended: entries
 * 17..19 never ask the puppet client, so every older program keeps its
 * trace): CmCreateVcClAnswer and CmDeleteVcClAnswer are CmCreateVc and
 * CmDeleteVc (same flags) whose puppet client's ProtocolCoCreateVc or
 * ProtocolCoDeleteVc answers status instead of SUCCESS: a failure
 * refuses (the create fails with it, the VC is not deleted), PENDING is
 * C26. The answer is kept until a ProtocolCo*Vc of the client takes it,
 * so a delete NDIS defers until a queued DPC ran (I3 of
 * condis_incoming.c) gets it there. CmDispatchIncomingCallEarly is
 * CmDispatchIncomingCall (same flags ctx and data) whose puppet client
 * completes the call from inside its ProtocolClIncomingCall
 * (NdisClIncomingCallComplete with SUCCESS; flags bit 0: with
 * NOT_ACCEPTED, a rejection) and then returns status: PENDING is the
 * legal early completion (A12's reading for the client), anything else
 * C3 on the dispatch.
 * The bring-up DDIs (39..50, appended: a broken driver's calls after its
 * bring-up; the puppets registered through the engine, and keep their
 * roles): flags (0..7) select the defect, the status the answer of the
 * handlers NDIS calls, party=p<k> (k & 7) the table of
 * NdisSetOptionalHandlers. NdisRegisterProtocolDriver: 0 valid (takes a
 * protocol slot, RESOURCES once none is free), 1 NULL characteristics,
 * 2 a wrong Header.Type, 3 revision 0, 4 a small Header.Size, 5 no
 * BindAdapterHandlerEx, 6 MajorNdisVersion 5, 7 a SetOptionsHandler that
 * calls NdisSetOptionalHandlers with table k (0 NULL, 1 an unknown type,
 * 2 CO characteristics too small, 3 CO characteristics, 4 client and
 * 5 call-manager handlers: a second client or CM, 6 another handle,
 * 7 none) and returns status. NdisMRegisterMiniportDriver: the same
 * defects (5: no InitializeHandlerEx; 7: SetOptionsHandler with table
 * k 0 call-manager handlers, 1 an unknown type, 2 NULL, else none,
 * returning status); its InitializeHandlerEx sets general attributes,
 * registers the family again (C5 from a stand-alone CM, else a second
 * family) and returns SUCCESS. Outside those
 * handlers: NdisSetOptionalHandlers (flags bit 0: the miniport driver's
 * handle, else the last protocol the puppet registered), NdisOpenAdapterEx
 * (that protocol, BindContext the vc selector), NdisCompleteBindAdapterEx
 * (the party selector, status; C3 without a pended bind),
 * NdisCloseAdapterEx (flags 0 the client's binding, 1 the CM's, else the
 * vc selector), NdisCompleteUnbindAdapterEx (the party selector),
 * NdisDeregisterProtocolDriver, NdisMDeregisterMiniportDriver,
 * NdisMSetMiniportAttributes, NdisCmRegisterAddressFamilyEx and
 * NdisMCmRegisterAddressFamilyEx (flags bit 0: the vc selector instead of
 * the CM's binding; C5 from the other kind of CM). All are PASSIVE_LEVEL
 * only (C1).
 */
#define PF_DDI_OTHER_FAMILY 0x1u
#define PF_DDI_CTX_ODD 0x2u
#define PF_DDI_CLOSE_DATA 0x4u

/*
 * Handle selector (argument h, one byte s): kind = s >> 5, k = s & 31.
 *
 *   kind  text        handle passed
 *   0     p<k>        party #k of the run (live, dead or never valid)
 *   1     v<k>        the VC handle of VC slot k % PF_MAX_VCS
 *   2     null        NULL (k ignored: every such byte decodes to k = 0,
 *                     so that the text form, which has no k, names it)
 *   3     p<k>+gen    party #k's handle with the generation + 1
 *   4     p<k>@tag    party #k's handle with another table's tag
 *   5     junk<k>     a pointer-like constant (never issued)
 *   6, 7  (decode to kind 0: valid-looking handles are the common case)
 */
enum pf_hsel_kind {
	PF_HSEL_PARTY = 0,
	PF_HSEL_VC = 1,
	PF_HSEL_NULL = 2,
	PF_HSEL_NEXTGEN = 3,
	PF_HSEL_FOREIGN = 4,
	PF_HSEL_JUNK = 5,
};
#define PF_HSEL(kind, k) ((uint8_t)((kind) << 5 | ((k)&31)))

struct pf_config {
	uint8_t flags;    /* PF_CFG_* */
	uint8_t cpus;     /* 1 .. PF_MAX_CPUS */
	uint8_t gen_bits; /* 1 .. 32 */
};

struct pf_op {
	uint8_t code;             /* enum pf_opcode */
	uint8_t arg[PF_MAX_ARGS]; /* reduced to each argument's domain */
};

struct pf_program {
	struct pf_config cfg;
	uint32_t n;
	struct pf_op ops[PF_MAX_OPS];
};

/* Static tables (any context). */
const char *pf_op_name(int code); /* "make_call"; "?" */
unsigned pf_op_arity(int code);
int pf_op_arg_kind(int code, unsigned i); /* enum pf_arg value */
const char *pf_status_name(int idx);      /* "SUCCESS"; "?" */
uint32_t pf_status_value(int idx);        /* NDIS_STATUS */
const char *pf_irql_name(int irql);
unsigned pf_irql_value(int irql); /* KIRQL */

/**
 * pf_decode() - decode a binary program; never fails.
 * @data: any bytes (may be NULL when @size is 0).
 * @size: their number.
 * @out: receives the program.
 *
 * Context: any; reads exactly @size bytes at most.
 * Return: the number of bytes consumed (the rest, past PF_MAX_OPS ops, is
 * ignored).
 */
size_t pf_decode(const uint8_t *data, size_t size, struct pf_program *out);

/**
 * pf_encode() - the binary form of a program.
 * @p: the program (arguments within their domains).
 * @buf: output buffer.
 * @cap: its size.
 *
 * Context: any.
 * Return: the number of bytes the encoding needs; it was written in full
 * iff that is <= @cap.
 */
size_t pf_encode(const struct pf_program *p, uint8_t *buf, size_t cap);

/**
 * pf_is_text() - whether an input is a text program (starts with
 * PF_TEXT_MAGIC); otherwise it is a binary one.
 * @data: the input (may be NULL when @size is 0).
 * @size: its length.
 *
 * Context: any.
 */
int pf_is_text(const uint8_t *data, size_t size);

/**
 * pf_parse_text() - parse the text form.
 * @text: the text; need not be NUL-terminated.
 * @len: its length in bytes.
 * @out: receives the program.
 * @line: receives the 1-based line of an error (may be NULL).
 * @err: receives the message of an error, without the line (may be NULL
 *       when @errlen is 0).
 * @errlen: size of @err.
 *
 * Context: any.
 * Return: 0, or -1 if the first line is not PF_TEXT_HEADER, a byte is not
 * printable ASCII, a tab or a line end, the config line is missing, comes
 * twice or after an operation, or on a syntax error (unknown op or key, a
 * key twice, value out of range, more than PF_MAX_OPS operations, a line
 * over 255 characters).
 */
int pf_parse_text(const char *text, size_t len, struct pf_program *out,
		  unsigned *line, char *err, size_t errlen);

/**
 * pf_format_op() - one operation in canonical text, no newline.
 * @op: the operation.
 * @buf: output; always NUL-terminated when @len > 0.
 * @len: its size (96 is always enough).
 *
 * Context: any.
 */
void pf_format_op(const struct pf_op *op, char *buf, size_t len);

/* The config line in canonical text, e.g. "config cm=cm cpus=1 ...". */
void pf_format_config(const struct pf_config *cfg, char *buf, size_t len);

/* Canonical text of a whole program: PF_TEXT_HEADER, the config line, ops. */
void pf_program_print(const struct pf_program *p, FILE *out);

/* 1 if the programs are equal (config and every operation). */
int pf_program_equal(const struct pf_program *a, const struct pf_program *b);

#endif /* PARTYFUZZ_PROGRAM_H */
