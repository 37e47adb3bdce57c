#!/bin/sh
# ci/expect_finding.sh - pass only if a fuzzing run FINDS something.
#
# Usage: ci/expect_finding.sh --expect REGEX --dir DIR -- FUZZER ARGS...
#
# The negative test behind every pt_add_mutant() ctest (label `mutants`):
# a fuzz target built against a planted fault (-DPT_FAULT=<id>) must catch
# it. DIR is emptied first, DIR/corpus is created empty (the run starts
# from nothing, as a fresh fuzzer would); FUZZER ARGS... is run with its
# output in DIR/log. The test passes only if all three hold:
#   1. the fuzzer exits non-zero (libFuzzer: a crash, an abort, a timeout);
#   2. it wrote a crash-*, timeout-*, oom- or leak-* artifact into DIR
#      (pass -artifact_prefix=DIR/), i.e. libFuzzer itself saw the finding;
#   3. its output matches the extended regular expression REGEX, i.e. it
#      found the planted bug and not some other one.
# Anything else fails with the reason and the end of the log.
set -u

expect=
dir=
while [ $# -gt 0 ]; do
	case "$1" in
	--expect) expect=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "expect_finding: unknown option $1" >&2; exit 2 ;;
	esac
done
if [ -z "$expect" ] || [ -z "$dir" ] || [ $# -eq 0 ]; then
	echo "usage: $0 --expect REGEX --dir DIR -- FUZZER ARGS..." >&2
	exit 2
fi

rm -rf "$dir"
mkdir -p "$dir/corpus"
log=$dir/log

"$@" >"$log" 2>&1
rc=$?

fail() {
	echo "expect_finding: FAIL: $*" >&2
	echo "--- last 40 lines of $log ---" >&2
	tail -n 40 "$log" >&2
	exit 1
}

[ "$rc" -ne 0 ] || fail "the fuzzer exited 0: the planted bug was not found"
artifact=$(find "$dir" -maxdepth 1 -type f \
	\( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
	-o -name 'leak-*' \) | sort | head -n 1)
[ -n "$artifact" ] || fail "exit $rc but no crash/timeout/oom/leak artifact in $dir"
grep -Eq -- "$expect" "$log" ||
	fail "a finding, but the output does not match /$expect/ (another bug?)"

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
echo "expect_finding: ok: exit $rc, artifact $artifact," \
	"output matches /$expect/${execs:+, after $execs execs}"
grep -E -m 3 -- "$expect" "$log"
exit 0
