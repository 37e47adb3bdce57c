#!/bin/sh
# fuzz/sched/wm_ttd.sh - executions to detection of the memory-order faults
# by the weak-memory mode of fuzz_table_sched (reported, not asserted; the
# ctests fuzz_table_sched_wm_<fault> assert the detection).
#
# Usage: sh fuzz/sched/wm_ttd.sh BUILD_DIR [SEEDS] [RUNS]
#
#   BUILD_DIR  a PT_FUZZ=ON build (the fuzz preset: build/fuzz) holding the
#              mutants fuzz/fuzz_table_sched_wm_<fault> (those not built,
#              e.g. the nightly ones without -DPT_MUTANTS_NIGHTLY=ON, print
#              "not built"). WM_FAULTS="<slug> ..." measures only those.
#   SEEDS      libFuzzer seeds per fault (default "1 2 3").
#   RUNS       executions before giving up (default 2000000; a miss prints
#              ">RUNS").
#
# Each run is the ctest's command line: an empty corpus, -seed=N, -runs.
# A finding counts only if its artifact passes through the correct build
# (fuzz/fuzz_table_sched, the fault off): the fault caused it. Prints a
# Markdown table: per fault, the executions at the finding
# (stat::number_of_executed_units) per seed, the median and the worst, and
# the first line of the report (what caught it). Exit 1 if a seed missed,
# found something that is not a fuzz_table_sched FAILURE or PT_ASSERT, or
# found an input that fails with the fault off too.
set -u

build=${1:?usage: wm_ttd.sh BUILD_DIR [SEEDS] [RUNS]}
seeds=${2:-1 2 3}
runs=${3:-2000000}
faults=${WM_FAULTS:-"relaxed_publish push_relaxed pop_load_relaxed pop_cas_relaxed
alloc_vc_relaxed alloc_ctx_relaxed lookup_load_relaxed lookup_no_fence
lookup_recheck_relaxed acquire_load_relaxed acquire_cas_relaxed
release_load_relaxed release_cas_relaxed transition_load_relaxed
transition_cas_relaxed retire_load_relaxed retire_cas_relaxed"}
work=$(mktemp -d "${TMPDIR:-/tmp}/wm_ttd.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0

median() { sort -n | awk '{ v[NR] = $1 } END {
	if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "| fault | execs per seed ($seeds) | median | worst | caught as |"
echo "|---|---|---|---|---|"
for f in $faults; do
	bin=$build/fuzz/fuzz_table_sched_wm_$f
	if [ ! -x "$bin" ]; then
		echo "| $f | not built | | | |"
		continue
	fi
	line="" all="" what=""
	for s in $seeds; do
		rm -rf "$work/c" && mkdir -p "$work/c"
		"$bin" -seed="$s" -runs="$runs" -print_final_stats=1 \
			-artifact_prefix="$work/c/" "$work/c" >"$work/log" 2>&1
		rc=$?
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
			"$work/log" | tail -n 1)
		first=$(grep -E -m 1 'fuzz_table_sched: (FAILURE|PT_ASSERT)' \
			"$work/log" | sed 's/fuzz_table_sched: //; s/:.*//')
		art=$(find "$work/c" -maxdepth 1 -name 'crash-*' | head -n 1)
		if [ "$rc" -eq 0 ] || [ -z "$first" ] || [ -z "$art" ]; then
			line="$line >$runs"
			all="$all $runs"
			status=1
		elif ! "$build/fuzz/fuzz_table_sched" "$art" \
			>"$work/replay" 2>&1; then
			line="$line ${execs:-?}(fails-without-fault)"
			all="$all ${execs:-0}"
			status=1
		else
			line="$line ${execs:-?}"
			all="$all ${execs:-0}"
			case "$what" in *"$first"*) ;; *) what="$what${what:+, }$first" ;; esac
		fi
	done
	med=$(echo "$all" | tr ' ' '\n' | grep . | median)
	worst=$(echo "$all" | tr ' ' '\n' | grep . | sort -n | tail -n 1)
	echo "| $f |$line | $med | $worst | $what |"
done
exit $status
