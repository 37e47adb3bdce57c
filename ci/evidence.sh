#!/bin/bash
# ci/evidence.sh - the evidence table of the bug catalogue, from a real run.
#
# Usage: bash ci/evidence.sh [--build-dir DIR] [--seeds "1 2 3"]
#                            [--runs N] [--seconds S] [--only B3,F11,...]
#                            [--write]
#
# For every planted driver bug of fuzz/bugs/catalogue.tsv (PF_BUG=B<n>,
# fuzz/drivers/bugs.h) and every planted core fault below (-DPT_FAULT=<id>,
# core/src/fault.h), and for each seed: one libFuzzer process on one core
# (no -fork, no -jobs), -seed=<seed>, at most N executions and S seconds,
# the same command line as the ctest of label `mutants` (driver bugs: from
# the shipped corpus/fuzz_condis/; core faults: from an empty corpus, as
# pt_add_mutant() does). It records whether the finding matches the
# expected rule or sanitizer class, libFuzzer's executed-unit count at the
# finding (stat::number_of_executed_units) and the wall time of the process
# (startup and corpus loading included). The table gives the median and the
# worst over the seeds.
#
# Prints the Markdown table on stdout; with --write it also replaces the
# part of fuzz/bugs/EVIDENCE.md between the `evidence:begin` and
# `evidence:end` markers. Exit status 1 if any bug was missed or found as
# something else on any seed.
#
# DIR (default build/evidence) is configured with the `fuzz` preset
# (clang, libFuzzer, ASan+UBSan) and only the needed targets are built.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/evidence
seeds="1 2 3"
runs=500000
seconds=60
only=
only_arg=
write=0
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) build=$2; shift 2 ;;
	--seeds) seeds=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--only) only=,$2,; only_arg=$2; shift 2 ;;
	--write) write=1; shift ;;
	-h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "evidence: unknown option $1" >&2; exit 2 ;;
	esac
done

# Core faults: id, fuzz target (mutant executable), expected output (ERE),
# what it is. Keep in step with fuzz/CMakeLists.txt.
faults=(
"F11	fuzz_condis_no_last_party_check	MISMATCH: .*(drop of the last party|cn_call_validate: V5)	engine: NdisClDropParty skips the last-party check (A2), a PMP VC reaches zero parties"
"F12	fuzz_condis_count_party_twice	MISMATCH: .*cn_call_validate: V2	engine: an add-party success counts the party twice in the VC's active counter"
"F13	fuzz_condis_double_delivery	ERROR: AddressSanitizer: heap-use-after-free|MISMATCH: .*C2	engine: ProtocolClDropPartyComplete delivered twice"
"F3	fuzz_party_table_recycle_referenced	fuzz_party_table: MISMATCH	table: retire recycles a slot that still has references"
"F5	fuzz_party_table_index_off_by_one	ERROR: AddressSanitizer: heap-buffer-overflow	table: the handle decoder accepts index == capacity"
)

want() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }

targets=(fuzz_condis)
for f in "${faults[@]}"; do
	IFS=$'\t' read -r id exe _ _ <<<"$f"
	want "$id" && targets+=("$exe")
done
echo "evidence: building ${targets[*]} in $build" >&2
(cd "$root" && cmake --preset fuzz -B "$build" >/dev/null &&
	cmake --build "$build" --target "${targets[@]}" >/dev/null) || {
	echo "evidence: build failed" >&2
	exit 1
}
bin() { find "$build/fuzz" -maxdepth 1 -type f -name "$1" | head -n 1; }

work=$build/evidence-work
rm -rf "$work"
mkdir -p "$work"

# run NAME EXPECT EXE SEED [CORPUS...] -> "ok|miss|other execs seconds"
run() {
	local name=$1 expect=$2 exe=$3 seed=$4 d t0 t1 ex res
	shift 4
	d=$work/$name-$seed
	mkdir -p "$d/corpus"
	t0=$(date +%s%N)
	"$exe" -seed="$seed" -runs="$runs" -max_total_time="$seconds" \
		-timeout=25 -print_final_stats=1 -artifact_prefix="$d/" \
		"$d/corpus" "$@" >"$d/log" 2>&1
	t1=$(date +%s%N)
	ex=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" |
		tail -n 1)
	if [ -z "$(find "$d" -maxdepth 1 -type f \( -name 'crash-*' \
		-o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \))" ]; then
		res=miss
	elif grep -Eq -- "$expect" "$d/log"; then
		res=ok
	else
		res=other
	fi
	echo "$res ${ex:-0} $(((t1 - t0) / 1000000))"
}

# stats "v1 v2 v3" -> "median max"
stats() {
	local s
	s=$(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n)
	echo "$(sed -n "$((($(wc -l <<<"$s") + 1) / 2))p" <<<"$s") $(tail -n 1 <<<"$s")"
}
ms() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

nseeds=$(wc -w <<<"$seeds")
fails=0
rows=()
# row ID CATCHES EXPECT WHAT EXE [CORPUS...]
row() {
	local id=$1 catches=$2 expect=$3 what=$4 exe=$5 seed r execs=() secs=()
	local found=0 bad=0
	shift 5
	for seed in $seeds; do
		read -r res ex t < <(run "$id" "$expect" "$exe" "$seed" "$@")
		echo "evidence: $id seed $seed: $res after $ex execs, $(ms "$t") s" >&2
		[ "$res" = ok ] && found=$((found + 1))
		[ "$res" = ok ] || bad=1
		execs+=("$ex")
		secs+=("$t")
	done
	read -r em ex_max < <(stats "${execs[*]}")
	read -r tm t_max < <(stats "${secs[*]}")
	[ "$bad" = 0 ] || fails=$((fails + 1))
	r="| $id | $what | $catches | $found/$nseeds | $em | $ex_max | $(ms "$tm") | $(ms "$t_max") |"
	rows+=("$r")
}

condis=$(bin fuzz_condis)
while IFS=$'\t' read -r bug label catch what; do
	case "$bug" in B[0-9]*) ;; *) continue ;; esac
	want "$bug" || continue
	expect=
	catches=
	IFS=, read -ra alts <<<"$catch"
	for alt in "${alts[@]}"; do
		case "$alt" in
		rule:*)
			ids=${alt#rule:}
			re="MISMATCH: .*(rule ($ids) fired|verifier: ($ids) reported)"
			c="rule ${ids//|/ or }" ;;
		asan:leak)
			re="ERROR: LeakSanitizer"
			c="LeakSanitizer" ;;
		asan:*)
			re="ERROR: AddressSanitizer: ${alt#asan:}"
			c="ASan ${alt#asan:}" ;;
		*)
			echo "evidence: $bug: bad catch '$alt'" >&2
			exit 2 ;;
		esac
		expect=${expect:+$expect|}$re
		catches=${catches:+$catches; or }$c
	done
	[ "$label" = mutants ] || what="$what (nightly)"
	PF_BUG=$bug row "$bug" "$catches" "$expect" "$what" "$condis" \
		"$root/corpus/fuzz_condis"
done <"$root/fuzz/bugs/catalogue.tsv"

for f in "${faults[@]}"; do
	IFS=$'\t' read -r id exe expect what <<<"$f"
	want "$id" || continue
	row "$id" "$exe: ${expect//|/ or }" "$expect" "$what" "$(bin "$exe")"
done

table=$(
	echo "| bug | what | caught by | found | median execs | worst execs | median s | worst s |"
	echo "|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Generated by \`bash ci/evidence.sh${only_arg:+ --only $only_arg} --write\`" \
		"on $(date -u +%Y-%m-%d), commit $(git -C "$root" rev-parse --short HEAD)," \
		"$(nproc) cores (one fuzzing process at a time), seeds $seeds," \
		"-runs=$runs -max_total_time=$seconds."
)
printf '%s\n' "$table"

if [ "$write" = 1 ]; then
	doc=$root/fuzz/bugs/EVIDENCE.md
	awk -v table="$table" '
		/evidence:begin/ { print; print table; skip = 1; next }
		/evidence:end/ { skip = 0 }
		!skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
	echo "evidence: wrote $doc" >&2
fi
[ "$fails" = 0 ] || echo "evidence: $fails row(s) not found as expected on every seed" >&2
[ "$fails" = 0 ]
