/*
 * drivers/bugs.h - the bug catalogue switch of the reference drivers.
 *
 * Spec section 5 lists the classic CoNDIS driver bugs B1..B30. Each one that
 * the model covers is planted in ref_client.c or ref_cm.c as a branch
 * `if (pf_bug_is(PF_BUG_Bn))` that makes the mistake the way a driver author
 * makes it (frees a context too early, skips a check, completes twice...).
 * No branch reports anything itself: the harness must find the bug through
 * the contract (an engine rule, a model or end-of-run mismatch, or
 * ASan/LSan for memory bugs). fuzz/bugs/EVIDENCE.md says which check
 * catches which bug and how fast.
 *
 * The switch is ONE environment variable, read once per process:
 *
 *   PF_BUG=B3   (or PF_BUG=3) plants bug B3 in every fuzz target,
 *               replay and tool that links the reference drivers.
 *
 * Unset, empty, 0 or anything that is not a planted id selects no bug: every
 * branch is then `if (0-valued static)` and the reference drivers behave
 * exactly as without this header (the no-false-positive run, CI). One
 * binary serves all bugs, so the catalogue costs no extra build.
 *
 * Ids are the spec's and never renumbered; every one of B1..B30 has its
 * branch. B27 is
 * planted as its client-side twin (the client's party lock held across
 * NdisClDropParty, taken again by the completion that A12's early
 * delivery runs inside the call: S1). B31 and B32 are partyfuzz's own
 * additions to the spec's list: the bugs A12's early delivery exposes;
 * B33 (the client's VC context of an incoming call freed at its close
 * completion, C24), B34 (an OID request on a party whose drop pends, a
 * B5 variant), B35 (a family closed with a call open, C28) and B36 (a
 * close notification pended and never completed, C3) are others.
 *
 * Ids above 30 are partyfuzz's (CONTRACT.md), appended the same way.
 *
 * Context: single-threaded like the drivers; the cache is per translation
 * unit (static), so each driver reads the variable once.
 */
#ifndef PARTYFUZZ_BUGS_H
#define PARTYFUZZ_BUGS_H

#include <stdlib.h>

enum pf_bug_id {
	PF_BUG_NONE = 0,
	/* client (ref_client.c) */
	PF_BUG_B1 = 1,   /* drop: ignores a synchronous return */
	PF_BUG_B2 = 2,   /* add: self-completes although PENDING */
	PF_BUG_B3 = 3,   /* incoming drop: drops and frees at once */
	PF_BUG_B4 = 4,   /* drop: frees the context on PENDING */
	PF_BUG_B5 = 5,   /* drop: a party already dropping is a candidate */
	PF_BUG_B6 = 6,   /* drop complete: any failure means "gone" */
	PF_BUG_B7 = 7,   /* close: with any party count */
	PF_BUG_B8 = 8,   /* drop: a party still being added is a candidate */
	PF_BUG_B9 = 9,   /* add: no PMP / established check */
	PF_BUG_B10 = 10, /* make call/add: frees CallParameters on
			  * PENDING */
	PF_BUG_B11 = 11, /* answer: drops a party whose drop pends */
	PF_BUG_B12 = 12, /* incoming close: closes at once */
	PF_BUG_B13 = 13, /* answer: counts dropping parties; trusts the
			  * drop of a remote-dropped party */
	PF_BUG_B14 = 14, /* close: forgets pending adds */
	PF_BUG_B15 = 15, /* delete: while the close pends */
	PF_BUG_B17 = 17, /* close: with sends outstanding; sends on a
			  * call it is closing */
	PF_BUG_B27 = 27, /* drop: holds its party lock across
			  * NdisClDropParty; the completion takes it */
	PF_BUG_B31 = 31, /* drop: marks the party after PENDING */
	PF_BUG_B16 = 16, /* close complete of an incoming call: deletes its
			  * VC (C27) */
	PF_BUG_B33 = 33, /* close complete of an incoming call: frees the
			  * VC context through NDIS (C24) */
	PF_BUG_B34 = 34, /* OID: queries a party whose drop pends */
	PF_BUG_B35 = 35, /* closes its family with a call open (C28) */
	PF_BUG_B36 = 36, /* pends ProtocolClNotifyCloseAf, never
			  * completes it (C3 at the end) */
	/* call manager (ref_cm.c) */
	PF_BUG_B18 = 18, /* a pended drop is never completed */
	PF_BUG_B19 = 19, /* add: sync SUCCESS and a completion later */
	PF_BUG_B20 = 20, /* completion with NDIS_STATUS_PENDING */
	PF_BUG_B21 = 21, /* drop: frees the context, then pends */
	PF_BUG_B22 = 22, /* frees the context after an incoming drop */
	PF_BUG_B23 = 23, /* incoming drop for the last party */
	PF_BUG_B24 = 24, /* keeps a party after its drop completed */
	PF_BUG_B25 = 25, /* add complete SUCCESS with a NULL context */
	PF_BUG_B26 = 26, /* drop complete carries the VC's first party */
	PF_BUG_B28 = 28, /* MCM: NdisCmActivateVc on a pended make call */
	PF_BUG_B29 = 29, /* completes at HIGH_LEVEL */
	PF_BUG_B30 = 30, /* make-call SUCCESS without activation */
	PF_BUG_B32 = 32, /* drop: writes its context after pending it */
	PF_BUG_MAX = 36,
};

/*
 * pf_bug_selected() - the bug PF_BUG names, PF_BUG_NONE if none.
 *
 * Context: any; reads the environment on the first call only.
 * Return: 1..PF_BUG_MAX, or PF_BUG_NONE.
 */
static inline int pf_bug_selected(void)
{
	static int bug = -1;
	const char *s;
	char *end;
	long v;

	if (bug >= 0)
		return bug;
	bug = PF_BUG_NONE;
	s = getenv("PF_BUG");
	if (s == NULL)
		return bug;
	if (*s == 'B' || *s == 'b')
		s++;
	v = strtol(s, &end, 10);
	if (end != s && *end == '\0' && v > 0 && v <= PF_BUG_MAX)
		bug = (int)v;
	return bug;
}

/* Is bug @id (PF_BUG_Bn) planted? */
static inline int pf_bug_is(int id)
{
	return pf_bug_selected() == id;
}

#endif /* PARTYFUZZ_BUGS_H */
