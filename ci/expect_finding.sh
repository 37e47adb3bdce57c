#!/usr/bin/env bash
# ci/expect_finding.sh - the causal verdict on a planted bug or fault.
#
# Usage: bash ci/expect_finding.sh --dir DIR --x X --on BIN [--off BIN]
#            [--seed S] [--runs N] [--corpus CDIR]... [--usual CATCH]
#            [--minimize-runs M] [--timeout T]
#            [--misses | --witness FILE --expect EFILE]
#
#   X        what is planted: B<n> (a driver bug of fuzz/bugs/catalogue.tsv:
#            on = PF_BUG=B<n> in the environment; <letter>B<n>, e.g. CB1,
#            a bug of an example driver's own, the same way) or fault<id> (a core
#            fault of core/src/fault.h: on = BIN, a target built with
#            -DPT_FAULT=<id>).
#   --on     the binary that has X: the target for B<n>, the mutant for
#            fault<id>.
#   --off    the binary without X (default: --on): the unfaulted target
#            for fault<id>. Every X-off run has PF_BUG unset.
#   --usual  the report the catalogue usually sees for X, in its catch
#            syntax (rule:C14|C12, asan:<class>, mismatch[:ERE], failure;
#            comma-separated alternatives; ci/lib.sh pt_catch_ere):
#            printed and compared, never the pass condition.
#
# A finding counts for X when the input, replayed with X off, passes and,
# with X on, fails: what it fails with is reported, not required. Modes:
#
#   search (default)  libFuzzer searches with X on, from an empty DIR/corpus
#       (new inputs) and the files of the read-only CDIRs: BIN -seed=S
#       -runs=N (an execution budget: no time limit; ctest's TIMEOUT is
#       the separate "too slow" failure). The CDIRs' files are passed as
#       -seed_inputs in name order: from a directory libFuzzer takes them
#       in readdir order, which differs between filesystems, and keeps
#       that order among seeds of equal size, so the same seed would give
#       another search on another machine. Two clocks are kept out:
#       -reload=0, since every wall-clock second libFuzzer rereads its
#       output corpus and runs any file there it does not hold, and a seed
#       reduced twice leaves such a file (a seed's first reduction is
#       written, its second does not delete it): how many ran depended on
#       the machine's speed (B11: 12364 executions once in 5 runs under
#       load, else 12362); -rss_limit_mb=0, no RSS watcher thread, whose
#       mallocs libFuzzer would count in a run's mallocs-versus-frees
#       balance, which decides whether the input runs again for a leak
#       check (a seed ran twice while the corpus loaded, 3 of 340 searches
#       under load with the watcher, none of 300 without). It passes only
#       if
#         1. libFuzzer exits non-zero with a crash-/leak-/timeout-/oom-
#            artifact in DIR (it saw a finding);
#         2. the artifact, minimised first (-minimize_crash=1 -runs=M
#            -seed=S with X on, crash-/leak- files; the original when
#            nothing smaller crashes), is causal: two replays with X on
#            fail, with the same exit status, FUZZ_VERBOSE trace and
#            report; two with X off pass (exit 0) with the same trace.
#   --misses  the opposite claim: the search ends without a finding (exit
#       0, no artifact) after executing at least N units
#       (stat::number_of_executed_units): a run cut short proves nothing.
#   --witness FILE --expect EFILE  no search: FILE is causal as above and
#       its X-on report is exactly the `report:` lines of EFILE (written by
#       ci/witness.sh). The exact, fast check of ctest label regress.
#
# Output: one summary line (verdict, executions, artifact and sizes, the
# rule or report the finding names, whether it is the usual one), then the
# report lines; on failure the reason and the end of the log. DIR/verdict
# holds the same as key=value lines (read by ci/evidence.sh and
# ci/witness.sh): result, why, x, seed, execs, artifact, bytes, min_bytes,
# found_named (what the search's finding named), found_usual_match (was
# that the usual report), input (the file the verdict is on: the
# minimised finding), on_rc, named (what it names), usual, usual_match.
# Exit status 0 (counts for X), 1 (does not), 2 (usage).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

dir=
x=
on=
off=
seed=1
runs=
corpora=()
usual=
min_runs=1000
timeout_s=25
mode=search
witness=
efile=
while [ $# -gt 0 ]; do
	case "$1" in
	--dir) dir=${2:-}; shift 2 || exit 2 ;;
	--x) x=${2:-}; shift 2 || exit 2 ;;
	--on) on=${2:-}; shift 2 || exit 2 ;;
	--off) off=${2:-}; shift 2 || exit 2 ;;
	--seed) seed=${2:-}; shift 2 || exit 2 ;;
	--runs) runs=${2:-}; shift 2 || exit 2 ;;
	--corpus) corpora+=("${2:-}"); shift 2 || exit 2 ;;
	--usual) usual=${2:-}; shift 2 || exit 2 ;;
	--minimize-runs) min_runs=${2:-}; shift 2 || exit 2 ;;
	--timeout) timeout_s=${2:-}; shift 2 || exit 2 ;;
	--misses) mode=misses; shift ;;
	--witness) mode=witness; witness=${2:-}; shift 2 || exit 2 ;;
	--expect) efile=${2:-}; shift 2 || exit 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "expect_finding: unknown argument $1" >&2; usage >&2; exit 2 ;;
	esac
done
bad_usage() { echo "expect_finding: $*" >&2; exit 2; }
[ -n "$dir" ] && [ -n "$x" ] && [ -n "$on" ] || bad_usage "--dir, --x and --on are required"
off=${off:-$on}
[ -x "$on" ] || bad_usage "$on is not an executable"
[ -x "$off" ] || bad_usage "$off is not an executable"
case "$x" in
B[0-9]* | [A-Z]B[0-9]*) on_env=(PF_BUG="$x") ;;
fault[0-9]*) on_env=() ;;
*) bad_usage "--x wants B<n>, <letter>B<n> or fault<id>, not '$x'" ;;
esac
for n in "$seed" "$min_runs" "$timeout_s" ${runs:+"$runs"}; do
	case "$n" in '' | *[!0-9]*) bad_usage "'$n' is not a count" ;; esac
done
case "$mode" in
search | misses) [ -n "$runs" ] || bad_usage "--runs is required" ;;
witness)
	[ -f "$witness" ] || bad_usage "no witness $witness"
	[ -f "$efile" ] || bad_usage "no expectation $efile"
	;;
esac
usual_ere=
if [ -n "$usual" ]; then
	usual_ere=$(pt_catch_ere "$usual") || bad_usage "bad catch '$usual'"
fi

rm -rf "$dir"
mkdir -p "$dir/corpus" || exit 2
dir=$(cd "$dir" && pwd)
log=$dir/log
declare -A V=([result]=fail [why]=- [x]=$x [seed]=$seed [execs]=- [artifact]=-
	[bytes]=- [min_bytes]=- [found_named]=- [found_usual_match]=- [input]=-
	[on_rc]=- [named]=- [usual]=${usual:--} [usual_match]=-)

finish() {
	local k
	for k in result why x seed execs artifact bytes min_bytes found_named \
		found_usual_match input on_rc named usual usual_match; do
		printf '%s=%s\n' "$k" "${V[$k]}"
	done >"$dir/verdict"
	exit "$1"
}

# differ A B: show how two replays' files differ (a nondeterminism, kept
# in DIR for a diagnosis).
differ() {
	echo "--- $1 and $2 differ (first lines of the diff) ---" >&2
	diff "$1" "$2" | head -n 20 >&2
}

fail() {
	V[why]=$*
	echo "expect_finding: $x: FAIL: $*" >&2
	if [ -f "$log" ]; then
		echo "--- last 40 lines of $log ---" >&2
		tail -n 40 "$log" >&2
	fi
	finish 1
}

# Every run: X on or off as asked and nothing else from the caller's
# environment that changes a run (FUZZ_VERBOSE is set where a trace is
# wanted).
run_on() { env -u PF_BUG -u FUZZ_VERBOSE "${on_env[@]}" "$@"; }
run_off() { env -u PF_BUG -u FUZZ_VERBOSE "$@"; }

# replay on|off FILE TAG: one FUZZ_VERBOSE replay; DIR/TAG.out (the trace,
# stdout), DIR/TAG.err (stderr), DIR/TAG.verdict; prints the exit status.
# -rss_limit_mb=0 as in the search: no second thread whose mallocs would
# count in the run's leak check (an input run twice prints its trace
# twice). The standalone runner ignores libFuzzer's flags.
replay() {
	local how=$1 f=$2 tag=$3 bin=$off
	[ "$how" = on ] && bin=$on
	"run_$how" FUZZ_VERBOSE=1 "$bin" -timeout="$timeout_s" -rss_limit_mb=0 \
		"$f" >"$dir/$tag.out" 2>"$dir/$tag.err"
	echo $?
	pt_verdict "$dir/$tag.err" >"$dir/$tag.verdict"
}

# causal FILE: the check of the header, on FILE; sets V[on_rc], V[named].
causal() {
	local f=$1 r1 r2 o1 o2
	r1=$(replay on "$f" on1)
	r2=$(replay on "$f" on2)
	o1=$(replay off "$f" off1)
	o2=$(replay off "$f" off2)
	V[on_rc]=$r1
	V[named]=$(pt_verdict_name <"$dir/on1.verdict")
	V[input]=$f
	log=$dir/off1.err
	[ "$o1" -eq 0 ] || fail "$f fails with $x off too (exit $o1, $(pt_verdict_name <"$dir/off1.verdict")): not caused by $x"
	[ "$o2" -eq 0 ] || fail "$f: the second replay with $x off fails (exit $o2): nondeterministic"
	cmp -s "$dir/off1.out" "$dir/off2.out" || {
		differ "$dir/off1.out" "$dir/off2.out"
		fail "$f: two replays with $x off print different traces: nondeterministic"
	}
	log=$dir/on1.err
	[ "$r1" -ne 0 ] || fail "$f passes when replayed with $x on: the finding does not reproduce"
	[ "$r2" -eq "$r1" ] || fail "$f: replays with $x on exit $r1, then $r2: nondeterministic"
	cmp -s "$dir/on1.out" "$dir/on2.out" || {
		differ "$dir/on1.out" "$dir/on2.out"
		fail "$f: two replays with $x on print different traces: nondeterministic"
	}
	cmp -s "$dir/on1.verdict" "$dir/on2.verdict" || {
		differ "$dir/on1.verdict" "$dir/on2.verdict"
		fail "$f: two replays with $x on report different findings: nondeterministic"
	}
}

# usual_of VERDICT-FILE: does it name the usual report? yes, no or -.
usual_of() {
	[ -n "$usual_ere" ] || { echo -; return; }
	if grep -Eq -- "$usual_ere" "$1"; then echo yes; else echo no; fi
}

summary() {
	local m
	case "${V[usual_match]}" in
	yes) m="the usual report ($(pt_catch_text "$usual"))" ;;
	no) m="not the usual report, which is $(pt_catch_text "$usual") (info only)" ;;
	*) m="no usual report given" ;;
	esac
	echo "expect_finding: $x: ok: $1; with $x on it fails (exit ${V[on_rc]}) naming ${V[named]}: $m; with $x off it passes; 2 replays each, deterministic"
	sed 's/^/  report: /' "$dir/on1.verdict"
}

case "$mode" in
witness)
	V[bytes]=$(wc -c <"$witness")
	V[min_bytes]=${V[bytes]}
	causal "$witness"
	V[usual_match]=$(usual_of "$dir/on1.verdict")
	sed -n 's/^report: //p' "$efile" >"$dir/expected.verdict"
	[ -s "$dir/expected.verdict" ] || bad_usage "$efile has no report: line"
	if ! cmp -s "$dir/expected.verdict" "$dir/on1.verdict"; then
		log=$dir/on1.err
		echo "expect_finding: $x: the witness's report changed:" >&2
		diff "$dir/expected.verdict" "$dir/on1.verdict" >&2
		fail "$witness fails with $x on, but not with the report of $efile (regenerate with ci/witness.sh if the change is right)"
	fi
	V[result]=ok
	V[why]=witness
	summary "witness $witness (${V[bytes]} bytes), the report of $efile"
	finish 0
	;;
esac

# The search. Artifacts land in DIR, new inputs in DIR/corpus; the seeds
# are read from their own files, in name order.
seeds=()
if [ ${#corpora[@]} -gt 0 ]; then
	for c in "${corpora[@]}"; do
		[ -d "$c" ] || fail "no corpus directory $c"
	done
	find "${corpora[@]}" -type f | LC_ALL=C sort | paste -sd, - |
		tr -d '\n' >"$dir/seed_inputs"
	[ -s "$dir/seed_inputs" ] || fail "no seed in ${corpora[*]}"
	seeds=(-seed_inputs=@"$dir/seed_inputs")
fi
run_on "$on" -seed="$seed" -runs="$runs" -timeout="$timeout_s" \
	-reload=0 -rss_limit_mb=0 -print_final_stats=1 \
	-artifact_prefix="$dir/" "${seeds[@]}" "$dir/corpus" >"$log" 2>&1
rc=$?
V[execs]=$(pt_execs "$log")
V[execs]=${V[execs]:--}
artifact=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o \
	-name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort | head -n 1)

if [ "$mode" = misses ]; then
	[ "$rc" -eq 0 ] && [ -z "$artifact" ] ||
		fail "the search found something (exit $rc${artifact:+, $artifact}), it claims to miss $x: $(pt_verdict "$log" | pt_verdict_name)"
	case "${V[execs]}" in
	'' | *[!0-9]*) fail "no stat::number_of_executed_units in $log" ;;
	esac
	[ "${V[execs]}" -ge "$runs" ] ||
		fail "the search executed ${V[execs]} units, fewer than the $runs it claims to miss $x in"
	V[result]=ok
	V[why]=missed
	echo "expect_finding: $x: ok: no finding in ${V[execs]} executions (seed $seed), as claimed"
	finish 0
fi

[ "$rc" -ne 0 ] || fail "the search exited 0 after ${V[execs]} executions: $x was not found"
[ -n "$artifact" ] || fail "the search exited $rc without a crash/leak/timeout/oom artifact in $dir"
V[artifact]=$artifact
V[bytes]=$(wc -c <"$artifact")
pt_verdict "$log" >"$dir/found.verdict"
V[found_named]=$(pt_verdict_name <"$dir/found.verdict")
V[found_usual_match]=$(usual_of "$dir/found.verdict")
input=$artifact
case "${artifact##*/}" in
crash-* | leak-*)
	# libFuzzer exits non-zero when it minimised (the input still
	# crashes); success is the file.
	run_on "$on" -minimize_crash=1 -runs="$min_runs" -seed="$seed" \
		-timeout="$timeout_s" -rss_limit_mb=0 \
		-exact_artifact_path="$dir/minimised" \
		"$artifact" >"$dir/minimise.log" 2>&1
	[ -s "$dir/minimised" ] && input=$dir/minimised
	;;
esac
V[min_bytes]=$(wc -c <"$input")
causal "$input"
V[usual_match]=$(usual_of "$dir/on1.verdict")
V[result]=ok
V[why]=found
summary "found after ${V[execs]} executions (seed $seed), ${artifact##*/} (${V[bytes]} bytes, naming ${V[found_named]}; minimised to ${V[min_bytes]} bytes)"
finish 0
