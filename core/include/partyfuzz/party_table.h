/*
 * partyfuzz/party_table.h - the lock-free party table.
 *
 * The NDIS-side bookkeeping of parties on point-to-multipoint VCs
 * (spec/condis-contract.md section 3.1): a fixed-capacity array of party
 * slots, each named by a generation-tagged handle the size of an
 * NDIS_HANDLE. Every state change is one CAS on a word that carries the
 * generation and the state together, so a stale handle can never win a
 * transition. Nothing here blocks: NDIS calls arrive at DISPATCH_LEVEL.
 *
 * Handle layout (pt_handle_t, 64 bits; an NDIS_HANDLE on 64-bit Windows):
 *
 *    63      56 55                          24 23                  0
 *   +----------+------------------------------+---------------------+
 *   | tag:8    | generation:32                | index:24            |
 *   +----------+------------------------------+---------------------+
 *
 *   tag         the table's tag (pt_config.tag, 1..255): a handle of
 *               another table, or a pointer, is PT_E_FOREIGN.
 *   generation  1 .. gen_max of the slot when the handle was issued,
 *               gen_max = 2^gen_bits - 1 (pt_config.gen_bits, 1..32).
 *   index       slot number, 0 .. capacity - 1.
 *
 * Reserved values: 0 is never a handle (PT_E_NULL); generation 0 is never
 * issued, so no valid handle has bits 24..55 all zero; tag 0 is never a
 * table's tag.
 *
 * Slot-state word (private, one 64-bit atomic per slot):
 *
 *    63                          32 31                  8 7          0
 *   +------------------------------+---------------------+------------+
 *   | generation:32                | refs:24             | state:8    |
 *   +------------------------------+---------------------+------------+
 *
 * Generations and wraparound: a slot starts at generation 1. When a
 * retired slot is recycled its generation goes up by one, so every handle
 * of the previous life is stale. A slot whose generation has reached
 * gen_max is not recycled but PARKED: it stays out of service forever and
 * the capacity shrinks by one. Generations therefore never wrap, no stale
 * handle ever validates again (no ABA), and comparing generations with a
 * plain `<` is exact. With the default 32 bits a slot parks after four
 * billion reuses; tests and fuzzers choose gen_bits as small as 1 so that
 * parking and exhaustion are reached within a few operations.
 *
 * Synchronization table (what may run concurrently with what):
 *
 *   operation                      | concurrent with
 *   -------------------------------+--------------------------------------
 *   pt_party_alloc/lookup/acquire/ | each other and themselves, any
 *   release/transition/retire,     | threads, any handles (lock-free;
 *   pt_vc_live_count               | lookup and live_count are wait-free)
 *   pt_vc_next, pt_table_validate, | nothing that mutates the table
 *   pt_table_dump                  | (quiescent points only)
 *   pt_table_create/reset/destroy  | nothing
 *
 * Memory ordering (C11; M1..M18 are cited at the call sites). What the
 * table promises:
 *   - alloc publishes the party (vc, ctx, state): a thread whose lookup,
 *     acquire, transition or retire sees the party sees what the
 *     allocating thread wrote before alloc (e.g. the memory ctx points
 *     to). A handle may therefore travel between threads by any channel,
 *     even a relaxed atomic: the table's own orders make its party
 *     visible with it;
 *   - every operation that changes a party's state (transition, retire,
 *     the recycle by the last release) publishes what its thread wrote
 *     before it to every thread that observes the new state, an error
 *     answer (PT_E_STATE, PT_E_STALE) included;
 *   - a holder's release happens before the slot is recycled, so no use
 *     of a party outlives its slot's life;
 *   - each slot is linearizable with respect to happens-before: its
 *     operations take effect in an order that keeps program order and
 *     happens-before. Not the table as a whole: two threads that change
 *     one party each and then look at the other's may both see the old
 *     state (store buffering); that would take seq_cst on every slot word.
 * The free list moving publishes nothing (a pop, PT_E_FULL): which slot an
 * alloc gets is not ordered with the other slots.
 *
 *   id   atomic                         order    pairs with / why
 *   ---  -----------------------------  -------  ---------------------------
 *   M1   push: CAS of the free head     release  M2, M3: the popper reads
 *                                                the link and the recycled
 *                                                word this thread wrote
 *   M2   pop: first load of the head    acquire  M1 (the link read next)
 *   M3   pop: CAS of the head           acquire  M1, on failure too (the
 *                                                retry reads the new top's
 *                                                link); no release: a pop
 *                                                publishes nothing, and the
 *                                                popper's earlier reads of
 *                                                the slot are ordered by M5
 *   M4   alloc: stores of vc, ctx       release  M7 (seqlock: a lookup that
 *                                                reads a later life's vc or
 *                                                ctx rechecks past it)
 *   M5   alloc: store of the word       release  M6, M8..M17: publishes
 *                                                vc, ctx and the caller's
 *                                                data with the state
 *   M6   lookup: first load             acquire  M5, M12, M14, M16
 *   M7   lookup: fence after vc, ctx    acquire  M4
 *   M8   lookup: reload of the word     acquire  M5, M12, M14, M16: the
 *                                                state it reports is its
 *   M9   acquire: first load            acquire  as M6: error answers
 *   M10  acquire: CAS refs + 1          acq_rel  acquire: as M6, on failure
 *                                                too; release: a thread
 *                                                that reads the new count
 *                                                and every thread that
 *                                                happens after it see the
 *                                                reference (per-slot
 *                                                linearizability; relaxed,
 *                                                the RMW would carry only
 *                                                the word's earlier release
 *                                                sequences)
 *   M11  release: first load            acquire  as M6: error answers
 *   M12  release: CAS refs - 1          acq_rel  release: the holder's use
 *                                                before the recycle;
 *                                                acquire: the recycler sees
 *                                                every holder and the retire
 *   M13  transition: first load         acquire  as M6: error answers
 *   M14  transition: CAS of the state   acq_rel  publishes the new state;
 *                                                acquires the old one
 *   M15  retire: first load             acquire  as M6: error answers
 *   M16  retire: CAS to DEAD / recycle  acq_rel  as M14, and M12 when it
 *                                                recycles (refs == 0)
 *   M17  pt_vc_live_count: word loads   acquire  M5: the vc read is this
 *                                                life's (I5)
 *   M18  pt_vc_next, pt_table_validate, relaxed  quiescent points only: the
 *        pt_table_dump: every load                caller's synchronization
 *                                                with every mutator (e.g.
 *                                                thread join) orders all
 *                                                their stores before; an
 *                                                acquire adds nothing
 *   -    push: failed CAS, first load   relaxed  the retry CASes again, and
 *        of the head; pop: link load;            the CAS that commits
 *        alloc: load of its FREE word;           carries the order (M1, M3);
 *        lookup: loads of vc, ctx                the link and the word are
 *                                                ordered by M2/M3; vc, ctx
 *                                                by M6 and M7
 *
 * Each of M1..M17 is needed: weakened to relaxed one at a time (planted
 * faults 4 and 14..30, core/src/fault.h), the weak-memory mode of
 * fuzz_table_sched finds M1..M16 (fuzz/bugs/EVIDENCE.md); M17 is argued
 * here only, pt_vc_live_count running at quiescent points there. M3 was
 * acq_rel: its release half orders nothing the table promises, and that
 * mode finds no fault without it (M10's release half, dropped the same
 * way, it does find: a count one thread saw, a thread after it missed).
 *
 * IRQL: every pt_party_* and pt_vc_* function may be called at any
 * IRQL <= DISPATCH_LEVEL (none blocks, allocates or waits for another
 * thread). pt_table_create/destroy run at PASSIVE_LEVEL.
 */
#ifndef PARTYFUZZ_PARTY_TABLE_H
#define PARTYFUZZ_PARTY_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "partyfuzz/err.h"

/* A party handle: opaque to callers, layout drawn above. */
typedef uint64_t pt_handle_t;

#define PT_HANDLE_NULL ((pt_handle_t)0)

#define PT_INDEX_BITS 24
#define PT_GEN_FIELD_BITS 32
#define PT_TAG_BITS 8
#define PT_MAX_CAPACITY ((1u << PT_INDEX_BITS) - 1u)
#define PT_MAX_VCS (1u << 20)
#define PT_MAX_GEN_BITS 32
#define PT_MAX_REFS ((1u << 24) - 1u)

/*
 * Party states (spec section 3.1). FREE, DEAD and PARKED are the table's
 * own; MAKING..CLOSING are "live": a handle to a live party is valid.
 * Values are only ever appended.
 */
enum pt_party_state {
	PT_FREE = 0,           /* on the free list, or never allocated */
	PT_MAKING = 1,         /* initial party, NdisClMakeCall in flight */
	PT_ADDING = 2,         /* NdisClAddParty in flight */
	PT_ACTIVE = 3,         /* connected */
	PT_REMOTE_DROPPED = 4, /* incoming drop delivered, client to answer */
	PT_DROPPING = 5,       /* NdisClDropParty in flight */
	PT_CLOSING = 6,        /* named by an in-flight NdisClCloseCall */
	PT_DEAD = 7,           /* retired: handle invalid, references remain */
	PT_PARKED = 8,         /* generation exhausted: never reused */
};

#define PT_STATE_COUNT 9
#define PT_STATE_IS_LIVE(s) ((s) >= PT_MAKING && (s) <= PT_CLOSING)

struct pt_table;

struct pt_config {
	uint32_t capacity; /* party slots, 1 .. PT_MAX_CAPACITY */
	uint32_t vc_count; /* VC indices 0 .. vc_count - 1, 1 .. PT_MAX_VCS */
	uint8_t gen_bits;  /* generation width, 1 .. 32; 0 means 32 */
	uint8_t tag;       /* stamped into every handle, 1 .. 255 */
};

/* A consistent snapshot of one party. */
struct pt_party_info {
	enum pt_party_state state;
	uint32_t vc;
	uint32_t refs;
	uintptr_t ctx;
};

/**
 * pt_table_create() - allocate and initialise a party table.
 * @cfg: capacity, VC count, generation width and tag.
 * @out: receives the table; untouched on error.
 *
 * The only allocation the table ever makes. All slots start FREE at
 * generation 1, on the free list in index order (slot 0 is handed out
 * first), so runs are deterministic.
 *
 * Context: PASSIVE_LEVEL; not concurrent with anything on the new table.
 * Return: PT_OK; PT_E_INVAL for a NULL argument or a field out of range;
 * PT_E_NOMEM if the allocation failed.
 */
PT_NODISCARD int pt_table_create(const struct pt_config *cfg,
				 struct pt_table **out);

/**
 * pt_table_reset() - empty a table: the state pt_table_create() gives.
 * @t: the table; no operation may be in flight.
 * @gen_bits: the generation width from now on (1..PT_MAX_GEN_BITS; 0
 *            means PT_MAX_GEN_BITS), as in struct pt_config. Capacity, VC
 *            count and tag stay.
 *
 * Every slot FREE at generation 1, on the free list in index order: the
 * handles, answers and order of allocation of a table just created with
 * that configuration. Allocates nothing (a harness that starts every run
 * afresh keeps its table).
 *
 * Context: not concurrent with anything on @t.
 * Return: PT_OK; PT_E_INVAL for a NULL @t or @gen_bits out of range.
 */
PT_NODISCARD int pt_table_reset(struct pt_table *t, uint32_t gen_bits);

/**
 * pt_table_destroy() - free a table. NULL is a no-op.
 * @t: the table; no operation may be in flight.
 *
 * Context: PASSIVE_LEVEL.
 */
void pt_table_destroy(struct pt_table *t);

/**
 * pt_party_alloc() - take a free slot for a new party on a VC.
 * @t: the table.
 * @vc: VC index, < vc_count.
 * @initial: the party's first state; must be live (MAKING..CLOSING).
 * @ctx: caller's context word, returned by lookup (e.g. the
 *       ProtocolPartyContext); any value.
 * @out: receives the new handle; untouched on error.
 *
 * Pops the free list (lock-free Treiber stack with an ABA tag), then
 * publishes vc, ctx and state with release stores.
 *
 * Context: IRQL <= DISPATCH_LEVEL; any thread. Release: pairs with the
 * acquire load of every later lookup/acquire/transition/retire.
 * Return: PT_OK; PT_E_FULL when no slot is free; PT_E_BAD_VC;
 * PT_E_INVAL for a non-live @initial or NULL @out.
 */
PT_NODISCARD int pt_party_alloc(struct pt_table *t, uint32_t vc,
				enum pt_party_state initial, uintptr_t ctx,
				pt_handle_t *out);

/**
 * pt_party_lookup() - validate a handle in O(1), wait-free.
 * @t: the table.
 * @h: any 64-bit value.
 * @info: NULL to validate only (one acquire load and a compare), or
 *        receives a consistent snapshot of the party (the slot word is
 *        loaded again after reading vc and ctx; equal words prove the
 *        snapshot belongs to this handle's party).
 *
 * Context: IRQL <= DISPATCH_LEVEL; any thread. Acquire: pairs with the
 * release in alloc and the acq_rel CAS of transition/retire.
 * Return: PT_OK if @h names a live party; PT_E_NULL; PT_E_FOREIGN (tag);
 * PT_E_MALFORMED (index out of range, generation 0 or above gen_max, or a
 * generation the slot has not reached); PT_E_STALE (the party was retired).
 * On error @info is untouched.
 */
PT_NODISCARD int pt_party_lookup(const struct pt_table *t, pt_handle_t h,
				 struct pt_party_info *info);

/**
 * pt_party_acquire() - take a reference on a live party.
 * @t: the table.
 * @h: the party's handle.
 *
 * While a reference is held the slot is not recycled: after a retire the
 * handle is already invalid for everybody, but the slot's vc and ctx stay
 * as they were until the last pt_party_release().
 *
 * Context: IRQL <= DISPATCH_LEVEL; any thread. One CAS loop on the slot
 * word (retries only when another thread changed it). acq_rel.
 * Return: PT_OK; the errors of pt_party_lookup(); PT_E_REF_OVERFLOW at
 * PT_MAX_REFS references.
 */
PT_NODISCARD int pt_party_acquire(struct pt_table *t, pt_handle_t h);

/**
 * pt_party_release() - drop a reference taken by pt_party_acquire().
 * @t: the table.
 * @h: the handle the reference was taken through (it may have been retired
 *     meanwhile).
 *
 * The thread that drops the last reference of a retired party recycles the
 * slot: generation + 1 and back on the free list, or PARKED at gen_max.
 * The table cannot tell references apart: releasing a reference that the
 * caller does not hold steals another holder's.
 *
 * Context: IRQL <= DISPATCH_LEVEL; any thread. acq_rel.
 * Return: PT_OK; PT_E_NULL, PT_E_FOREIGN, PT_E_MALFORMED as lookup;
 * PT_E_STALE if the slot has been recycled (no reference can be held);
 * PT_E_NO_REF if the party holds no reference.
 */
PT_NODISCARD int pt_party_release(struct pt_table *t, pt_handle_t h);

/**
 * pt_party_transition() - move a live party from one state to another.
 * @t: the table.
 * @h: the party's handle.
 * @from: the state the caller expects; live.
 * @to: the new state; live (use pt_party_retire() to end a party).
 *
 * One CAS on the word carrying generation and state: it succeeds only if
 * the generation is the handle's and the state is @from, so a stale handle
 * or a racing transition cannot both win.
 *
 * Context: IRQL <= DISPATCH_LEVEL; any thread. acq_rel on success.
 * Return: PT_OK; the errors of pt_party_lookup(); PT_E_STATE if the party
 * is live but not in @from; PT_E_INVAL if @from or @to is not live.
 */
PT_NODISCARD int pt_party_transition(struct pt_table *t, pt_handle_t h,
				     enum pt_party_state from,
				     enum pt_party_state to);

/**
 * pt_party_retire() - end a party: invalidate its handle.
 * @t: the table.
 * @h: the party's handle.
 * @expected: the live state the party must be in.
 *
 * From the CAS on, every use of @h fails with PT_E_STALE. With no reference
 * held the slot is recycled at once (generation + 1, free list, or PARKED);
 * otherwise it waits in DEAD for the last pt_party_release().
 *
 * Context: IRQL <= DISPATCH_LEVEL; any thread. acq_rel.
 * Return: PT_OK; the errors of pt_party_lookup(); PT_E_STATE; PT_E_INVAL
 * for a non-live @expected.
 */
PT_NODISCARD int pt_party_retire(struct pt_table *t, pt_handle_t h,
				 enum pt_party_state expected);

/**
 * pt_vc_live_count() - number of live parties on a VC.
 * @t: the table.
 * @vc: VC index; out of range gives 0.
 *
 * Counts the live slots of @vc: O(capacity), one acquire load per slot.
 * The table keeps no per-VC counter, because keeping one costs two locked
 * read-modify-writes on every alloc and retire, the hot path; a caller
 * that needs a count per operation (the engine's last-party check) keeps
 * its own, per state, under its own serialization.
 * Exact at quiescent points; while operations run, each slot is seen once,
 * at some moment of the call.
 * Context: IRQL <= DISPATCH_LEVEL; any thread; wait-free (bounded).
 */
uint32_t pt_vc_live_count(const struct pt_table *t, uint32_t vc);

/**
 * pt_vc_next() - iterate over the live parties of one VC, in slot order.
 * @t: the table.
 * @vc: VC index.
 * @cursor: 0 to start; advanced by each call.
 * @h: receives the next party's handle.
 * @info: NULL, or receives its snapshot.
 *
 * O(capacity) over a whole iteration.
 * Context: quiescent points only (no concurrent mutator).
 * Return: 1 if a party was returned, 0 at the end.
 */
int pt_vc_next(const struct pt_table *t, uint32_t vc, uint32_t *cursor,
	       pt_handle_t *h, struct pt_party_info *info);

/**
 * pt_table_validate() - check every structural invariant (I1..I8 of
 * party_table.c; I6 is withdrawn).
 * @t: the table.
 * @why: NULL, or a buffer receiving the first violated invariant.
 * @len: size of @why.
 *
 * Context: quiescent points only. O(capacity); never allocates.
 * Return: PT_OK, or PT_E_CORRUPT.
 */
PT_NODISCARD int pt_table_validate(const struct pt_table *t, char *why,
				   size_t len);

/**
 * pt_table_dump() - print the table, one line per non-free slot.
 * @t: the table.
 * @out: the stream.
 *
 * Context: quiescent points; used by the assertion handler, never
 * allocates.
 */
void pt_table_dump(const struct pt_table *t, FILE *out);

/* Accessors of the configuration (any context). */
uint32_t pt_table_capacity(const struct pt_table *t);
uint32_t pt_table_vc_count(const struct pt_table *t);
uint32_t pt_table_gen_max(const struct pt_table *t);
uint8_t pt_table_tag(const struct pt_table *t);

/* Name of a state, e.g. "ACTIVE"; "?" for unknown values. */
const char *pt_state_name(int state);

/* Private: for interleaving traces of the scheduled build (fuzz/sched). */

/**
 * _pt_table_word() - name a word of the table and decode a value of it.
 * @t: the table.
 * @addr: an address an atomic touched (a PT_YIELD_POINT's argument).
 * @value: a value of that word (before or after the atomic).
 * @name: receives e.g. "slot 2 word", "slot 2 next", "free head".
 * @vbuf: receives @value decoded, e.g. "gen 3 refs 1 ACTIVE".
 *
 * The layout is private to party_table.c, so it names its own words
 * rather than have a tracer infer them.
 * Context: any; reads nothing but @t's configuration.
 * Return: the word's width in bytes (8 or 4), or 0 if @addr is not a word
 * of @t (then @name and @vbuf are untouched).
 */
unsigned _pt_table_word(const struct pt_table *t, const volatile void *addr,
			uint64_t value, char *name, size_t name_len,
			char *vbuf, size_t vbuf_len);

/**
 * _pt_table_publishes() - does a store to a word of the table publish
 * party state?
 * @t: the table.
 * @addr: the word (a PT_YIELD_POINT's argument).
 * @old: its value before the store.
 * @v: the value stored.
 *
 * For the weak-memory mode of the scheduled build (fuzz/sched/wmem.h): a
 * store to a slot word that changes the generation or the state (alloc,
 * transition, retire, recycle) publishes what its thread wrote before;
 * one that only moves the reference count publishes nothing.
 * Context: any; reads nothing but @t's configuration.
 * Return: 1 if so, else 0 (other words, refs-only changes).
 */
int _pt_table_publishes(const struct pt_table *t, const volatile void *addr,
			uint64_t old, uint64_t v);

/*
 * Private: pt_party_lookup() and pt_vc_next() for the engine's oracles
 * (its validator, the queries a model compares, the end-of-run check):
 * the same code and answers, compiled without coverage instrumentation
 * (PT_NO_COVERAGE). The oracles look parties up after every step; with
 * the instrumented functions those lookups cost exec/s and fed libFuzzer
 * features that count checks, not behaviour.
 */
PT_NODISCARD int _pt_party_lookup_nocov(const struct pt_table *t,
					pt_handle_t h,
					struct pt_party_info *info);
int _pt_vc_next_nocov(const struct pt_table *t, uint32_t vc, uint32_t *cursor,
		      pt_handle_t *h, struct pt_party_info *info);

/* Private: the handle codec, shared with tests and fuzzers. Always
 * inlined, also into the oracles (PT_ORACLE, partyfuzz/err.h), whose
 * sanitizer attributes differ: a call per field otherwise. */
static inline __attribute__((always_inline)) pt_handle_t
pt_handle_pack(uint8_t tag, uint32_t gen,
					 uint32_t index)
{
	return ((pt_handle_t)tag << (PT_GEN_FIELD_BITS + PT_INDEX_BITS)) |
	       ((pt_handle_t)gen << PT_INDEX_BITS) |
	       ((pt_handle_t)index & PT_MAX_CAPACITY);
}

static inline __attribute__((always_inline)) uint8_t
pt_handle_tag(pt_handle_t h)
{
	return (uint8_t)(h >> (PT_GEN_FIELD_BITS + PT_INDEX_BITS));
}

static inline __attribute__((always_inline)) uint32_t
pt_handle_gen(pt_handle_t h)
{
	return (uint32_t)(h >> PT_INDEX_BITS);
}

static inline __attribute__((always_inline)) uint32_t
pt_handle_index(pt_handle_t h)
{
	return (uint32_t)(h & PT_MAX_CAPACITY);
}

#endif /* PARTYFUZZ_PARTY_TABLE_H */
