#!/usr/bin/env bash
# ci/mutants_repeat.sh - the mutant searches are deterministic: the same
# search executes the same number of units on every run.
#
# Usage: bash ci/mutants_repeat.sh [--times N] [--label L]
#
# Builds the `fuzz` preset (build/fuzz), then runs `ctest --preset fuzz -L
# L` (default mutants) N times in a row (default 5), and after each run
# reads every test's verdict (ci/expect_finding.sh's DIR/verdict, the
# directory from build/fuzz/mutants.tsv): how many units its search
# executed (stat::number_of_executed_units) and whether it passed. Prints
# a table, one row per test: the N counts, the bytes of the minimised
# finding, "same" or "DIFFERS". Exits 1 if a count or a size differs
# between runs or a ctest run failed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PT_ROOT" || exit 1

times=5
label=mutants
while [ $# -gt 0 ]; do
	case "$1" in
	--times) times=${2:-}; shift 2 || exit 2 ;;
	--label) label=${2:-}; shift 2 || exit 2 ;;
	-h | --help)
		sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	*) pt_die "unknown argument $1 (see --help)" ;;
	esac
done
case "$times" in '' | *[!0-9]* | 0) pt_die "--times wants a count > 0" ;; esac

pt_build fuzz || pt_die "build of preset fuzz failed"
manifest=build/fuzz/mutants.tsv
mapfile -t tests < <(ctest --preset fuzz -N -L "$label" |
	sed -n 's/^ *Test *#[0-9]*: *//p')
[ ${#tests[@]} -gt 0 ] || pt_die "no test of label $label"
declare -A dir=() counts=() sizes=()
while IFS=$'\t' read -r name _ _ _ _ _ _ _ _ _ _ d; do
	dir[$name]=$d
done <"$manifest"

failed=0
for ((r = 1; r <= times; r++)); do
	t0=$(date +%s)
	ctest --preset fuzz -L "$label" >"build/fuzz/mutants_repeat.$r.log" 2>&1 ||
		failed=$((failed + 1))
	pt_log "run $r of $times: $(grep -E 'tests passed' "build/fuzz/mutants_repeat.$r.log"), $(($(date +%s) - t0)) s"
	for t in "${tests[@]}"; do
		v=${dir[$t]:-}/verdict
		e=- b=-
		if [ -f "$v" ]; then
			e=$(sed -n 's/^execs=//p' "$v")
			b=$(sed -n 's/^min_bytes=//p' "$v")
			grep -q '^result=ok$' "$v" || e="$e(FAIL)"
		fi
		counts[$t]="${counts[$t]:-} $e"
		sizes[$t]="${sizes[$t]:-} $b"
	done
done

differ=0
hdr=$(for ((r = 1; r <= times; r++)); do printf ' %9s' "run $r"; done)
printf '%-46s%s %6s  %s\n' test "$hdr" bytes verdict
for t in "${tests[@]}"; do
	read -r -a c <<<"${counts[$t]}"
	read -r -a s <<<"${sizes[$t]}"
	same=same
	for ((r = 1; r < times; r++)); do
		[ "${c[r]}" = "${c[0]}" ] && [ "${s[r]}" = "${s[0]}" ] || same=DIFFERS
	done
	[[ "${counts[$t]}" != *FAIL* && "${counts[$t]}" != *" -"* ]] || same="$same, not ok"
	[ "$same" = same ] || differ=$((differ + 1))
	printf '%-46s' "$t"
	printf ' %9s' "${c[@]}"
	printf ' %6s  %s\n' "${s[0]}" "$same"
done
echo "(executed units of each search, stat::number_of_executed_units; bytes: its minimised finding; ctest --preset fuzz -L $label, $times runs, commit $(git rev-parse --short HEAD))"
[ "$differ" -eq 0 ] && [ "$failed" -eq 0 ]
