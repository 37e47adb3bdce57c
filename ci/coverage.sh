#!/usr/bin/env bash
# ci/coverage.sh - source coverage of core/ from replaying corpus/ and
# regress/ through every fuzz target.
#
# Usage: bash ci/coverage.sh [--targets a,b] [--build-dir DIR]
#
#   --targets a,b    targets (default: every line of ci/fuzz_targets)
#   --build-dir DIR  build tree of the `coverage` preset (default
#                    build/coverage); profiles, the merged profile and the
#                    reports are written under it
#   -h, --help       this text
#
# Builds the `coverage` preset (clang -fprofile-instr-generate
# -fcoverage-mapping, the standalone runner instead of libFuzzer: no
# mutation, every input run exactly once, so the figures are the same on
# every run) and replays what regress/ and corpus/ hold, as the ctests of
# label regress replay it, with LLVM_PROFILE_FILE=DIR/profiles/<who>-%p.
# profraw:
#   - corpus/T/ and regress/T/ through each target T (FUZZ_VERBOSE=1:
#     with the trace a developer reads, as ci/determinism.sh replays
#     them; every witness with its bug or fault off);
#   - each regress/T/witness-<X> of a planted driver bug (B<n>, CB<n>)
#     once more with its bug on (PF_BUG=X, as its <search>_witness ctest),
#     through `T -replay`, where the verifier records and the process
#     exits (a plain replay aborts on the finding, and abort() writes no
#     profile). Not so: a witness whose finding is an ASan report (the
#     coverage build has no sanitizer: the bug is undefined behaviour
#     there), and the core faults' witness-fault<id>: a fault is a
#     -DPT_FAULT=<id> build of the core, other code than the core
#     measured here, so its paths would not add to this figure (the
#     mutants label shows each fault is caught);
#   - regress/scenarios/ through `partyfuzz golden` and `partyfuzz check`
#     (the partyfuzz_golden and partyfuzz_regress ctests), and the
#     contract coverage of the corpora and scenarios (`partyfuzz
#     coverage`, the partyfuzz_contract_coverage ctest).
# It merges the profiles with llvm-profdata and writes:
#   DIR/coverage.profdata   the merged profile
#   DIR/report.txt          llvm-cov report of core/ (per file: regions,
#                           functions, lines, branches)
#   DIR/summary.json        llvm-cov export -summary-only of core/
#   DIR/coverage.lcov       llvm-cov export -format=lcov of core/
#   DIR/html/index.html     llvm-cov show HTML of core/ and fuzz/
#   DIR/excluded.txt        every excluded region (below) with its reason
# and prints the report, the line "core/ (corpus/, regress/): lines L%
# branches B% functions F%" (llvm-cov's own figure), the excluded regions,
# then the same with the unit tests (core/test/test_*) run too, their
# profiles added (DIR/with-unit/), as "core/ with the unit tests: ...".
#
# Exclusions. llvm-cov has no exclusion comments; ci/coverage_excl.py
# gives it lcov's: LCOV_EXCL_LINE, or LCOV_EXCL_START ... LCOV_EXCL_STOP,
# for code that never runs, and LCOV_EXCL_BR_LINE, or LCOV_EXCL_BR_START
# ... LCOV_EXCL_BR_STOP, for conditions that run but go one way only (an
# assertion, an invariant check, a guard): the way never taken leaves the
# figure, the way taken stays. Each is a comment in core/ (a branch
# marker in a .c file), with its reason beside it. They mark code no
# input of any target can reach, of these kinds only:
#   - impossible states: an assertion, an invariant check of the
#     validators (which fails only on a bug in core/ or a planted fault:
#     the mutants label shows each fault caught), the fallback after an
#     assertion, a default no value reaches;
#   - paths that end in abort() (assertion failure, verifier abort mode,
#     a driver's ASSERT): abort() writes no profile;
#   - debug printing done only on those paths (table and trace dumps);
#   - allocation failure, and refusals of C API misuse that every harness
#     avoids (core/test checks them);
#   - C API only the unit tests call;
#   - WDK services (ndis.h list helpers, Interlocked*, NdisDpr*, ...)
#     that no driver in the tree calls;
#   - code only a planted fault compiles in or calls.
# DIR/excluded.txt lists every region: file:lines, its lines and branches
# (covered/count), or its conditions and the ways never taken, and the
# reason. A marker without a reason is an error (exit 2); a marked line
# that ran, or a marked condition that went both ways, fails the script
# (exit 1): the marker is wrong. Reachable code is never marked: what no input reaches yet but
# one could is what the figure shows missing.
#
# The last lines are the figure with the excluded regions left out (lines
# and branches on them subtracted from llvm-cov's totals), and the aims:
#   core/: lines L% (aim 95%: met|NOT met) branches B% (aim 85%: ...)
# Exits 1 if an input fails to replay, a witness does not fail with its
# bug on, a unit test fails (that profile is then partial) or a marked
# line ran or marked condition went both ways; 2 on a usage, build or marker error. Not meeting an aim is
# not a failure.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

targets=
build=
while [ $# -gt 0 ]; do
	case "$1" in
	--targets) [ $# -ge 2 ] || { usage >&2; exit 2; }; targets=$2; shift 2 ;;
	--targets=*) targets=${1#*=}; shift ;;
	--build-dir) [ $# -ge 2 ] || { usage >&2; exit 2; }; build=$2; shift 2 ;;
	--build-dir=*) build=${1#*=}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) pt_log "unknown argument $1"; usage >&2; exit 2 ;;
	esac
done

if [ -n "$targets" ]; then
	IFS=, read -r -a list <<<"$targets"
else
	mapfile -t list < <(pt_targets)
fi
[ ${#list[@]} -gt 0 ] || { pt_log "no targets"; exit 2; }

pt_ensure_tools || exit 2
# The LLVM tools of the clang that builds: profiles are version-bound.
major=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
llvm_tool() {
	local n
	for n in "$1-$major" "$1"; do
		command -v "$n" >/dev/null 2>&1 && { echo "$n"; return 0; }
	done
	pt_log "no $1 (llvm-$major): apt-get install llvm-$major"
	return 1
}
profdata=$(llvm_tool llvm-profdata) || exit 2
cov=$(llvm_tool llvm-cov) || exit 2

if [ -z "$build" ]; then
	build=$PT_ROOT/build/coverage
	(cd "$PT_ROOT" && cmake --preset coverage >/dev/null) || exit 2
else
	mkdir -p "$build" && build=$(cd "$build" && pwd) || exit 2
	(cd "$PT_ROOT" && cmake --preset coverage -B "$build" >/dev/null) || exit 2
fi
mapfile -t units < <(cd "$PT_ROOT/core/test" && ls test_*.c | sed 's/\.c$//')
pt_log "build preset coverage ($build): ${list[*]} partyfuzz ${units[*]}"
cmake --build "$build" --target "${list[@]}" partyfuzz "${units[@]}" \
	>"$build/build-targets.log" 2>&1 || {
	tail -n 30 "$build/build-targets.log" >&2
	pt_log "build of preset coverage failed"
	exit 2
}

rm -rf "$build/profiles" "$build/html"
mkdir -p "$build/profiles" "$build/logs"
objects=()
failed=0
for t in "${list[@]}"; do
	bin=$build/fuzz/$t
	[ -x "$bin" ] || { pt_log "$t: no binary $bin"; exit 2; }
	objects+=(-object "$bin")
	inputs=()
	for d in corpus regress; do
		[ -d "$PT_ROOT/$d/$t" ] && inputs+=("$PT_ROOT/$d/$t")
	done
	if [ ${#inputs[@]} -eq 0 ]; then
		pt_log "$t: no corpus/$t/ nor regress/$t/: nothing to replay"
		continue
	fi
	n=0
	for d in "${inputs[@]}"; do
		n=$((n + $(find "$d" -type f ! -name '*.md' | wc -l)))
	done
	pt_log "$t: replaying $n inputs"
	if ! FUZZ_VERBOSE=1 LLVM_PROFILE_FILE="$build/profiles/$t-%p.profraw" \
		"$bin" -timeout=25 "${inputs[@]}" >"$build/logs/$t.log" 2>&1; then
		pt_log "$t: replay failed (profile partial); end of $build/logs/$t.log:"
		tail -n 15 "$build/logs/$t.log" >&2
		failed=1
	fi
done

# regress/<t>/witness-<X> of a planted driver bug (X = B<n>, CB<n>, ...):
# replayed once more with its bug on (PF_BUG=X), as the <search>_witness
# ctest replays it, through the target's own -replay (the same run, but
# the finding is printed as a verdict and the process exits, so the
# profile is written; the plain replay aborts on a finding). It must fail
# there, as in the ctest. Not replayed with their bug on:
#   - a witness whose finding is a sanitizer report (its .expect names
#     ASan): the coverage build has no sanitizer, so the bug is undefined
#     behaviour there (it may pass or crash, and a crash writes no
#     profile);
#   - the witness-fault<id> of a planted core fault: that needs a
#     -DPT_FAULT=<id> build of the core, i.e. other code than the core
#     measured here.
# Every witness is still replayed with its bug off, with the rest of
# regress/<t>/, above.
for t in "${list[@]}"; do
	bin=$build/fuzz/$t
	for w in "$PT_ROOT/regress/$t"/witness-*; do
		[ -f "$w" ] || continue
		x=${w##*/witness-}
		[[ $x =~ ^[A-Z]*B[0-9]+$ ]] || continue
		grep -q '^named: ASan' "$PT_ROOT/regress/$t.witness/witness-$x.expect" \
			2>/dev/null && continue
		env -u FUZZ_VERBOSE PF_BUG="$x" \
			LLVM_PROFILE_FILE="$build/profiles/$t-witness-$x-%p.profraw" \
			"$bin" -replay "$w" >"$build/logs/$t-witness-$x.log" 2>&1
		if [ $? -eq 0 ]; then
			pt_log "$t: witness-$x passes with PF_BUG=$x: it must fail (see ctest ${t}_bug_${x}_witness)"
			failed=1
		fi
	done
done

# regress/scenarios/: the hand-written programs, through partyfuzz
# golden (the partyfuzz_golden ctest: each replayed with its whole trace
# and compared with regress/golden/).
pf=$build/fuzz/harness/partyfuzz
[ -x "$pf" ] || { pt_log "no binary $pf"; exit 2; }
objects+=(-object "$pf")
if [ -d "$PT_ROOT/regress/scenarios" ]; then
	pt_log "partyfuzz golden: regress/scenarios/"
	if ! LLVM_PROFILE_FILE="$build/profiles/scenarios-%p.profraw" \
		"$pf" golden "$PT_ROOT/regress/golden" "$PT_ROOT/regress/scenarios" \
		>"$build/logs/scenarios.log" 2>&1; then
		pt_log "partyfuzz golden failed (profile partial); end of $build/logs/scenarios.log:"
		tail -n 15 "$build/logs/scenarios.log" >&2
		failed=1
	fi
fi

# The scenarios once more through partyfuzz check, as the
# partyfuzz_regress ctest runs them (each against its "# expect:" line).
if [ -d "$PT_ROOT/regress/scenarios" ]; then
	pt_log "partyfuzz check: regress/scenarios/"
	if ! LLVM_PROFILE_FILE="$build/profiles/check-%p.profraw" \
		"$pf" check "$PT_ROOT"/regress/scenarios/*.txt \
		>"$build/logs/check.log" 2>&1; then
		pt_log "partyfuzz check failed (profile partial); end of $build/logs/check.log:"
		tail -n 15 "$build/logs/check.log" >&2
		failed=1
	fi
fi

# The contract coverage of the shipped corpora and scenarios, as the
# partyfuzz_contract_coverage ctest computes it (the same replays, counted
# per state-machine row and rule).
if [ -d "$PT_ROOT/regress/scenarios" ]; then
	pt_log "partyfuzz coverage: corpus/fuzz_condis{,_adversary}/, regress/scenarios/"
	if ! LLVM_PROFILE_FILE="$build/profiles/contract-%p.profraw" \
		"$pf" coverage --floor="$PT_ROOT/ci/contract_coverage.floor" \
		--target=fuzz_condis "$PT_ROOT/corpus/fuzz_condis" \
		--target=fuzz_condis_adversary "$PT_ROOT/corpus/fuzz_condis_adversary" \
		--target=auto "$PT_ROOT/regress/scenarios" \
		>"$build/logs/contract.log" 2>&1; then
		pt_log "partyfuzz coverage failed (profile partial); end of $build/logs/contract.log:"
		tail -n 15 "$build/logs/contract.log" >&2
		failed=1
	fi
fi

# core/ is its sources and headers; core/test (the unit tests' own code)
# and core/bench are not what is measured.
core_dirs=("$PT_ROOT/core/src" "$PT_ROOT/core/include")

# report <profile dir> <out dir> <label> [html]: merge, report, one line.
report() {
	local raws first rest
	mapfile -t raws < <(find "$1" -name '*.profraw' | sort)
	[ ${#raws[@]} -gt 0 ] || { pt_log "no profile was written"; return 2; }
	mkdir -p "$2"
	"$profdata" merge -sparse -o "$2/coverage.profdata" "${raws[@]}" || return 2
	# The first -object is the positional binary of llvm-cov.
	first=${objects[1]}
	rest=("${objects[@]:2}")
	"$cov" report "$first" "${rest[@]}" -instr-profile="$2/coverage.profdata" \
		"${core_dirs[@]}" >"$2/report.txt" || return 2
	"$cov" export "$first" "${rest[@]}" -instr-profile="$2/coverage.profdata" \
		-summary-only "${core_dirs[@]}" >"$2/summary.json" || return 2
	"$cov" export "$first" "${rest[@]}" -instr-profile="$2/coverage.profdata" \
		-format=lcov "${core_dirs[@]}" >"$2/coverage.lcov" || return 2
	if [ -n "${4:-}" ]; then
		"$cov" show "$first" "${rest[@]}" \
			-instr-profile="$2/coverage.profdata" \
			-format=html -show-branches=count -output-dir="$2/html" \
			-project-title=partyfuzz "${core_dirs[@]}" "$PT_ROOT/fuzz" ||
			return 2
	fi
	python3 - "$2/summary.json" "$3" <<'PY' 2>/dev/null ||
import json, sys
t = json.load(open(sys.argv[1]))["data"][0]["totals"]
f = lambda k: "%.1f%% (%d/%d)" % (t[k]["percent"], t[k]["covered"], t[k]["count"])
print("%s: lines %s, branches %s, functions %s" % (sys.argv[2], f("lines"), f("branches"), f("functions")))
PY
		awk -v l="$3" '/^TOTAL/ { print l ": TOTAL row:", $0 }' "$2/report.txt"
}

rm -rf "$build/with-unit"
report "$build/profiles" "$build" "core/ (corpus/, regress/)" html >"$build/line.txt" ||
	exit 2
sed "s|$PT_ROOT/||" "$build/report.txt"
echo
cat "$build/line.txt"
echo "HTML: $build/html/index.html"
python3 "$PT_ROOT/ci/coverage_excl.py" "$PT_ROOT" "$build/summary.json" \
	"$build/coverage.lcov" "core/ (corpus/, regress/)" "$build/excluded.txt" \
	95 85 >"$build/aims.txt"
case $? in
0) ;;
1) failed=1 ;; # an excluded region ran: its marker is wrong
*) exit 2 ;;
esac
echo
echo "Excluded regions ($build/excluded.txt; the reasons are beside each marker):"
sed 's/^/  /' "$build/excluded.txt"

# The unit tests too: the same profiles plus theirs.
mkdir -p "$build/profiles-unit"
rm -f "$build/profiles-unit"/*.profraw
cp "$build/profiles"/*.profraw "$build/profiles-unit/"
for u in "${units[@]}"; do
	bin=$build/core/test/$u
	[ -x "$bin" ] || { pt_log "no binary $bin"; exit 2; }
	objects+=(-object "$bin")
	if ! (cd "$build" && LLVM_PROFILE_FILE="$build/profiles-unit/$u-%p.profraw" \
		"$bin") >"$build/logs/$u.log" 2>&1; then
		pt_log "$u failed (profile partial); end of $build/logs/$u.log:"
		tail -n 15 "$build/logs/$u.log" >&2
		failed=1
	fi
done
report "$build/profiles-unit" "$build/with-unit" "core/ with the unit tests" ||
	exit 2
echo
cat "$build/aims.txt"
exit "$failed"
