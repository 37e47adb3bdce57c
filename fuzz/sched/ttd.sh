#!/bin/sh
# fuzz/sched/ttd.sh - time to detection of the race-only faults, PCT mode
# against uniform scheduling (issue 5's figure; reported, not asserted).
#
# Usage: sh fuzz/sched/ttd.sh BUILD_DIR [SEEDS] [CAP_SECONDS]
#
#   BUILD_DIR    a PT_FUZZ=ON build (the fuzz preset: build/fuzz) holding
#                the mutant binaries fuzz/fuzz_table_sched_<fault>.
#   SEEDS        libFuzzer seeds to run per fault and mode (default
#                "1 2 3"); the figure is the median over them.
#   CAP_SECONDS  give up after this long (default 120; a miss counts as
#                the cap, marked '>').
#
# Each run starts from an empty corpus with PT_SCHED_MODE=pct or uniform
# forcing the scheduling mode (fuzz_table_sched.c) and -seed=N. Printed per
# fault: seconds and executions to the first finding for every seed, the
# medians, and the ratio uniform / PCT of the median times (> 1: PCT finds
# it faster). Runs one fuzzer at a time: times are wall-clock on an
# otherwise idle machine.
set -u

build=${1:?usage: ttd.sh BUILD_DIR [SEEDS] [CAP_SECONDS]}
seeds=${2:-1 2 3}
cap=${3:-120}
faults="split_cas acquire_split freelist_no_aba retire_split_recycle
lookup_no_recheck"
work=$(mktemp -d "${TMPDIR:-/tmp}/ttd.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

# median of the numbers on stdin (one per line)
median() { sort -g | awk '{ v[NR] = $1 } END {
	if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-22s %-8s %-40s %s\n' fault mode "seconds (execs) per seed" median
for f in $faults; do
	bin=$build/fuzz/fuzz_table_sched_$f
	[ -x "$bin" ] || { echo "ttd: no $bin" >&2; exit 2; }
	for mode in pct uniform; do
		line="" times=""
		for s in $seeds; do
			rm -rf "$work/c" && mkdir -p "$work/c"
			t0=$(now)
			PT_SCHED_MODE=$mode "$bin" -seed="$s" \
				-max_total_time="$cap" -print_final_stats=1 \
				-artifact_prefix="$work/c/" "$work/c" \
				>"$work/log" 2>&1
			rc=$?
			t1=$(now)
			secs=$(echo "$t1 - $t0" | bc | awk '{ printf "%.1f", $1 }')
			execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
				"$work/log" | tail -n 1)
			if [ "$rc" -eq 0 ]; then
				secs=$cap
				line="$line >$secs"
			else
				line="$line $secs(${execs:-?})"
			fi
			times="$times $secs"
		done
		med=$(echo "$times" | tr ' ' '\n' | grep . | median)
		eval "med_$mode=$med"
		printf '%-22s %-8s %-40s %s\n' "$f" "$mode" "$line" "$med"
	done
	printf '%-22s ratio uniform/PCT of medians: %s\n' "$f" \
		"$(echo "$med_uniform $med_pct" |
			awk '{ printf "%.2f", $1 / ($2 > 0 ? $2 : 0.1) }')"
done
