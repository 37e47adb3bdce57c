#!/usr/bin/env python3
"""ci/coverage_excl_test.py - the ctest ci_coverage_excl: ci/coverage_excl.py
on a made-up tree, profile and summary, one case per rule of its markers.

Each case writes ROOT/core/src/x.c (and for one case x.h), an lcov file
and a summary of 10 lines and 8 branches, runs the script and checks its
exit status and the figure it prints (or the message on standard error).
Exits 0 if every case holds, 1 naming the first that does not.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "coverage_excl.py")

# x.c: line 3 is a guard, line 4 its body; lines 6..7 a two-condition
# check; line 9 a plain branch.
SOURCE = {
    "plain": ["int f(int a, int b)", "{", "\tif (a == 0)", "\t\treturn 1;",
              "", "\tCHECK(a > 0 &&", "\t      b > 0);", "",
              "\treturn b ? 2 : 3;", "}"],
}


def lcov(root, branches, lines):
    """branches: {line: [(true, false), ...]}; lines: {line: count}."""
    out = ["SF:%s" % os.path.join(root, "core/src/x.c")]
    for n in sorted(lines):
        out.append("DA:%d,%d" % (n, lines[n]))
    for n in sorted(branches):
        for b, (t, f) in enumerate(branches[n]):
            out.append("BRDA:%d,%d,%d,%d" % (n, b, 2 * b, t))
            out.append("BRDA:%d,%d,%d,%d" % (n, b, 2 * b + 1, f))
    out.append("end_of_record")
    return "\n".join(out) + "\n"


def run(src, branches, lines, header=None):
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "core/src"))
        with open(os.path.join(root, "core/src/x.c"), "w") as fh:
            fh.write("\n".join(src) + "\n")
        if header is not None:
            with open(os.path.join(root, "core/src/x.h"), "w") as fh:
                fh.write("\n".join(header) + "\n")
        with open(os.path.join(root, "cov.lcov"), "w") as fh:
            fh.write(lcov(root, branches, lines))
        cov_l = sum(1 for c in lines.values() if c)
        cov_b = sum((t > 0) + (f > 0) for bs in branches.values()
                    for t, f in bs)
        n_b = 2 * sum(len(bs) for bs in branches.values())
        summary = {"data": [{"totals": {
            "lines": {"covered": cov_l, "count": len(lines)},
            "branches": {"covered": cov_b, "count": n_b}}}]}
        with open(os.path.join(root, "summary.json"), "w") as fh:
            json.dump(summary, fh)
        p = subprocess.run(
            [sys.executable, SCRIPT, root, os.path.join(root, "summary.json"),
             os.path.join(root, "cov.lcov"), "x", os.path.join(root, "list"),
             "95", "85"],
            capture_output=True, text=True)
        return p.returncode, p.stdout, p.stderr


# Every line ran but the guard's body; the guard, and the check's two
# conditions, went one way; line 9's branch went both.
LINES = {1: 9, 3: 9, 4: 0, 6: 9, 7: 9, 9: 9}
BRANCHES = {3: [(0, 9)], 6: [(9, 0)], 7: [(9, 0)], 9: [(4, 5)]}


def with_marks(marks):
    src = list(SOURCE["plain"])
    for n, text in marks:
        src[n - 1] += " " + text
    return src


CASES = [
    # (name, source, branches, lines, header, status, expected text)
    ("no markers: llvm-cov's figure", SOURCE["plain"], BRANCHES, LINES, None,
     0, "lines 83.3% (5/6), branches 62.5% (5/8)"),
    ("a line marker drops the body, and its branches", with_marks(
        [(4, "/* LCOV_EXCL_LINE: misuse */")]), BRANCHES, LINES, None,
     0, "lines 100.0% (5/5), branches 62.5% (5/8)"),
    ("a branch marker drops the way never taken, not the way taken",
     with_marks([(3, "/* LCOV_EXCL_BR_LINE: misuse */")]), BRANCHES, LINES,
     None, 0, "branches 71.4% (5/7)"),
    ("a BR region over both lines of the check", with_marks(
        [(5, "/* LCOV_EXCL_BR_START: invariant */"),
         (8, "/* LCOV_EXCL_BR_STOP */")]), BRANCHES, LINES, None,
     0, "branches 83.3% (5/6)"),
    ("a marked condition that went both ways fails (exit 1)", with_marks(
        [(9, "/* LCOV_EXCL_BR_LINE: never */")]), BRANCHES, LINES, None,
     1, "1 conditions went both ways"),
    ("a marked line that ran fails (exit 1)", with_marks(
        [(3, "/* LCOV_EXCL_LINE: never */")]), BRANCHES, LINES, None,
     1, "of its lines ran"),
    ("a branch marker over no condition is an error (exit 2)", with_marks(
        [(1, "/* LCOV_EXCL_BR_LINE: nothing */")]), BRANCHES, LINES, None,
     2, "a branch marker over no condition"),
    ("a marker without a reason is an error (exit 2)", with_marks(
        [(3, "/* LCOV_EXCL_BR_LINE */")]), BRANCHES, LINES, None,
     2, "LCOV_EXCL_BR_LINE without a reason"),
    ("a BR START without its STOP is an error (exit 2)", with_marks(
        [(5, "/* LCOV_EXCL_BR_START: x */")]), BRANCHES, LINES, None,
     2, "LCOV_EXCL_BR_START without STOP"),
    ("a branch marker in a header is an error (exit 2)", SOURCE["plain"],
     BRANCHES, LINES, ["/* LCOV_EXCL_BR_LINE: x */"],
     2, "LCOV_EXCL_BR_LINE in a header"),
]


def main():
    bad = 0
    for name, src, br, ln, hdr, status, text in CASES:
        rc, out, err = run(src, br, ln, hdr)
        if rc != status or text not in out + err:
            sys.stderr.write("FAIL %s: exit %d (want %d), output:\n%s%s\n"
                             % (name, rc, status, out, err))
            bad = 1
        else:
            print("ok   %s" % name)
    return bad


if __name__ == "__main__":
    sys.exit(main())
