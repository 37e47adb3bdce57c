#!/usr/bin/env python3
"""ci/coverage_excl.py - the exclusion markers of ci/coverage.sh.

Usage: coverage_excl.py ROOT SUMMARY.json COV.lcov LABEL OUT-LIST [AIM-LINES AIM-BRANCHES]

llvm-cov has no exclusion comments, so this script gives it lcov's: in a
file under ROOT/core/,

    /* LCOV_EXCL_LINE: <reason> */           that one line
    /* LCOV_EXCL_START: <reason> */ ...      every line from START
    /* LCOV_EXCL_STOP */                     through STOP

The reason is the rest of the comment (it may go on over the following
comment lines); a marker without one, a START without its STOP, a STOP
without its START or a START inside another is an error (exit 2).

The excluded lines and the branches on them are taken from COV.lcov
(llvm-cov export -format=lcov of the same profile and objects) and
subtracted from llvm-cov's own totals in SUMMARY.json (llvm-cov export
-summary-only), so that without markers the figure is llvm-cov's. Writes
OUT-LIST, one region a line: file:first-last, its lines and branches
(covered/count), the reason; prints LABEL's figure with the exclusions
applied, and with AIM-LINES/AIM-BRANCHES which aims are met. Exits 1
if a line of an excluded region ran (the region is reachable: drop its
marker), 2 on a usage or marker error.
"""
import json
import math
import os
import re
import sys

MARK = re.compile(r"LCOV_EXCL_(LINE|START|STOP)\b\s*:?\s*(.*)")


def reason_of(lines, i, rest):
    """The text after the marker up to the end of the comment."""
    text = []
    cur = rest
    j = i
    while True:
        end = cur.find("*/")
        if end >= 0:
            text.append(cur[:end])
            break
        text.append(cur)
        j += 1
        if j >= len(lines):
            break
        cur = re.sub(r"^\s*\*?\s?", "", lines[j], count=1)
    return " ".join(t.strip() for t in text if t.strip())


def scan(root):
    """[(relpath, first, last, reason)], errors."""
    regions, errors = [], []
    for top in ("core/src", "core/include"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    lines = fh.read().split("\n")
                start = None
                for i, line in enumerate(lines):
                    m = MARK.search(line)
                    if not m:
                        continue
                    kind, rest = m.group(1), m.group(2)
                    n = i + 1
                    if kind == "STOP":
                        if start is None:
                            errors.append("%s:%d: LCOV_EXCL_STOP without START" % (rel, n))
                        else:
                            regions.append((rel, start[0], n, start[1]))
                            start = None
                        continue
                    why = reason_of(lines, i, rest)
                    if not why:
                        errors.append("%s:%d: LCOV_EXCL_%s without a reason" % (rel, n, kind))
                    if kind == "LINE":
                        regions.append((rel, n, n, why))
                    elif start is not None:
                        errors.append("%s:%d: LCOV_EXCL_START inside the one of line %d" % (rel, n, start[0]))
                    else:
                        start = (n, why)
                if start is not None:
                    errors.append("%s:%d: LCOV_EXCL_START without STOP" % (rel, start[0]))
    return regions, errors


def lcov_records(path, root):
    """{relpath: (lines {n: count}, branches [(n, taken)])}"""
    out = {}
    cur = None
    with open(path) as fh:
        for raw in fh:
            line = raw.strip()
            if line.startswith("SF:"):
                rel = os.path.relpath(line[3:], root)
                cur = out.setdefault(rel, ({}, []))
            elif line.startswith("DA:") and cur is not None:
                n, c = line[3:].split(",")[:2]
                cur[0][int(n)] = max(cur[0].get(int(n), 0), int(c))
            elif line.startswith("BRDA:") and cur is not None:
                n, _, _, taken = line[5:].split(",")
                cur[1].append((int(n), taken not in ("-", "0")))
            elif line == "end_of_record":
                cur = None
    return out


def main(argv):
    if len(argv) not in (6, 8):
        sys.stderr.write(__doc__)
        return 2
    root, summary, lcov, label, out_list = argv[1:6]
    regions, errors = scan(root)
    if errors:
        for e in errors:
            sys.stderr.write("coverage_excl: %s\n" % e)
        return 2
    recs = lcov_records(lcov, root)
    ex_l = ex_lc = ex_b = ex_bc = 0
    rows = []
    reached = []
    for rel, first, last, why in regions:
        das, brs = recs.get(rel, ({}, []))
        ln = [c for n, c in das.items() if first <= n <= last]
        br = [t for n, t in brs if first <= n <= last]
        l_cov = sum(1 for c in ln if c > 0)
        b_cov = sum(1 for t in br if t)
        ex_l += len(ln)
        ex_lc += l_cov
        ex_b += len(br)
        ex_bc += b_cov
        rows.append("%s:%d-%d\tlines %d/%d\tbranches %d/%d\t%s"
                    % (rel, first, last, l_cov, len(ln), b_cov, len(br), why))
        if l_cov:
            # An input ran it: the marker's "no input reaches it" is wrong.
            sys.stderr.write("coverage_excl: %s:%d-%d is excluded, but %d "
                             "of its lines ran\n" % (rel, first, last, l_cov))
            reached.append(rel)
    with open(out_list, "w") as fh:
        fh.write("\n".join(rows) + ("\n" if rows else ""))
    t = json.load(open(summary))["data"][0]["totals"]
    lines = (t["lines"]["covered"] - ex_lc, t["lines"]["count"] - ex_l)
    branches = (t["branches"]["covered"] - ex_bc, t["branches"]["count"] - ex_b)
    pct = lambda c, n: 100.0 * c / n if n else 100.0
    lp, bp = pct(*lines), pct(*branches)
    print("%s, excluded regions left out (%d regions: %d lines, %d branches): "
          "lines %.1f%% (%d/%d), branches %.1f%% (%d/%d)"
          % (label, len(regions), ex_l, ex_b, math.floor(lp * 10) / 10,
             lines[0], lines[1], math.floor(bp * 10) / 10, branches[0],
             branches[1]))
    if len(argv) == 8:
        al, ab = float(argv[6]), float(argv[7])
        # On the figure as printed, cut (not rounded) to one decimal:
        # 94.96% does not meet 95%.
        ok = lambda p, a: "met" if math.floor(p * 10) / 10 >= a else "NOT met"
        print("core/: lines %.1f%% (aim %g%%: %s) branches %.1f%% (aim %g%%: %s)"
              % (math.floor(lp * 10) / 10, al, ok(lp, al),
                 math.floor(bp * 10) / 10, ab, ok(bp, ab)))
    return 1 if reached else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
