#!/bin/sh
# fuzz/sched/ttd.sh - time to detection of the race-only faults and the
# memory-order faults by fuzz_table_sched, per scheduling strategy, side by
# side (reported, not asserted; the ctests fuzz_table_sched_<fault> and
# fuzz_table_sched_wm_<fault> assert the detection).
#
# Usage: sh fuzz/sched/ttd.sh [-o FILE] BUILD_DIR [SEEDS] [RUNS]
#
#   BUILD_DIR  a PT_FUZZ=ON build (the fuzz preset: build/fuzz) holding the
#              mutants fuzz/fuzz_table_sched_<fault> (race-only: faults 2,
#              7..10) and fuzz/fuzz_table_sched_wm_<fault> (memory order:
#              4, 14..29); a mutant not built (the nightly fault 17 without
#              -DPT_MUTANTS_NIGHTLY=ON) is left out and named on stderr.
#              TTD_FAULTS="<slug> ..." measures only those (a slug as in
#              the binary's name: split_cas, wm_relaxed_publish, ...).
#   SEEDS      libFuzzer seeds per fault and strategy (default "1 2 3 4 5");
#              the figures are medians over them.
#   RUNS       executions before giving up (default 1000000); a miss counts
#              as RUNS and is marked '>'.
#   -o FILE    also write the per-seed figures there (one line per run).
#   TTD_STRATEGIES="uniform pct ..." runs only those (default: all five).
#
# The strategies, forced through fuzz_table_sched's environment:
#   uniform   PT_SCHED_MODE=uniform  PT_SCHED_FEEDBACK=off
#   pct       PT_SCHED_MODE=pct      PT_SCHED_FEEDBACK=off
#   feedback  PT_SCHED_MODE=uniform  PT_SCHED_FEEDBACK=on  (extra counters)
#   weighted  PT_SCHED_MODE=weighted PT_SCHED_FEEDBACK=off (SURW)
#   weighted+feedback  PT_SCHED_MODE=weighted PT_SCHED_FEEDBACK=on
#   default   nothing forced: what the ctests and ci/fuzz.sh run
# Each run is the mutant ctest's search (ci/expect_finding.sh): an empty
# corpus, -seed=N, -runs=RUNS, -reload=0, -rss_limit_mb=0, one run at a
# time. A finding counts only if its artifact, replayed through the
# correct fuzz_table_sched with the same environment, passes (the fault
# caused it); otherwise the run counts as a miss and is marked '!'.
#
# Prints a Markdown table: per fault, for every strategy, the median
# executions to detection (stat::number_of_executed_units) and the median
# wall-clock seconds of the run; then, per strategy, the median and the
# geometric mean over the faults of uniform's median executions divided
# by the strategy's (> 1: faster than uniform), and the total seconds.
set -u

out=
if [ "${1:-}" = "-o" ]; then
	out=${2:?-o FILE}
	shift 2
fi
build=${1:?usage: ttd.sh [-o FILE] BUILD_DIR [SEEDS] [RUNS]}
seeds=${2:-1 2 3 4 5}
runs=${3:-1000000}
strategies=${TTD_STRATEGIES:-uniform pct feedback weighted default}
race="split_cas acquire_split freelist_no_aba retire_split_recycle
lookup_no_recheck"
wm="relaxed_publish push_relaxed pop_load_relaxed pop_cas_relaxed
alloc_vc_relaxed alloc_ctx_relaxed lookup_load_relaxed lookup_no_fence
lookup_recheck_relaxed acquire_load_relaxed acquire_cas_relaxed
release_load_relaxed release_cas_relaxed transition_load_relaxed
transition_cas_relaxed retire_load_relaxed retire_cas_relaxed"
if [ -n "${TTD_FAULTS:-}" ]; then
	faults=$TTD_FAULTS
else
	faults=$race
	for f in $wm; do faults="$faults wm_$f"; done
fi
off=$build/fuzz/fuzz_table_sched
[ -x "$off" ] || { echo "ttd: no $off" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ttd.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -z "$out" ] || : >"$out"

now() { date +%s.%N; }

# median of the numbers on stdin (one per line)
median() { sort -g | awk '{ v[NR] = $1 } END {
	if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
	else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

env_of() {
	case "$1" in
	uniform) echo "PT_SCHED_MODE=uniform PT_SCHED_FEEDBACK=off" ;;
	pct) echo "PT_SCHED_MODE=pct PT_SCHED_FEEDBACK=off" ;;
	feedback) echo "PT_SCHED_MODE=uniform PT_SCHED_FEEDBACK=on" ;;
	weighted) echo "PT_SCHED_MODE=weighted PT_SCHED_FEEDBACK=off" ;;
	weighted+feedback) echo "PT_SCHED_MODE=weighted PT_SCHED_FEEDBACK=on" ;;
	default) echo "PT_SCHED_MODE= PT_SCHED_FEEDBACK=" ;;
	*) echo "ttd: unknown strategy $1" >&2; exit 2 ;;
	esac
}

t_start=$(now)
hdr="| fault |" sep="|---|"
for m in $strategies; do
	hdr="$hdr $m |"
	sep="$sep---|"
done
rows=""
for f in $faults; do
	bin=$build/fuzz/fuzz_table_sched_$f
	if [ ! -x "$bin" ]; then
		echo "ttd: $f: $bin not built, left out" >&2
		continue
	fi
	row="| $f |"
	for m in $strategies; do
		e=$(env_of "$m") || exit 2
		all="" secs="" missed=0
		for s in $seeds; do
			rm -rf "$work/c" && mkdir -p "$work/c"
			t0=$(now)
			env $e "$bin" -seed="$s" -runs="$runs" -reload=0 \
				-rss_limit_mb=0 -print_final_stats=1 \
				-artifact_prefix="$work/c/" "$work/c" \
				>"$work/log" 2>&1
			rc=$?
			t1=$(now)
			sec=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
			execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
				"$work/log" | tail -n 1)
			art=$(find "$work/c" -maxdepth 1 -name 'crash-*' | head -n 1)
			mark=""
			if [ "$rc" -eq 0 ] || [ -z "$art" ]; then
				mark=">"
			elif ! env $e "$off" "$art" >"$work/replay" 2>&1; then
				mark="!"
			fi
			[ -z "$mark" ] || { execs=$runs; missed=$((missed + 1)); }
			all="$all ${execs:-$runs}"
			secs="$secs $sec"
			[ -z "$out" ] || echo "$f $m seed=$s execs=$mark${execs:-?} secs=$sec" >>"$out"
		done
		me=$(echo "$all" | tr ' ' '\n' | grep . | median)
		ms=$(echo "$secs" | tr ' ' '\n' | grep . | median)
		eval "med_$(echo "${m}_$f" | tr -c 'a-z0-9_\n' _)=$me"
		cell=$(printf '%.0f (%.2f s)' "$me" "$ms")
		[ "$missed" -eq 0 ] || cell="$cell, $missed missed"
		row="$row $cell |"
	done
	rows="$rows$row
"
	echo "$row" >&2
done
t_end=$(now)

echo "$hdr"
echo "$sep"
printf '%s' "$rows"
# The ratio row: uniform's median executions over each strategy's.
ratio="| uniform / strategy: median (geometric mean) over faults |"
for m in $strategies; do
	list=""
	for f in $faults; do
		u=$(echo "uniform_$f" | tr -c 'a-z0-9_\n' _)
		x=$(echo "${m}_$f" | tr -c 'a-z0-9_\n' _)
		eval "u=\${med_$u:-}; x=\${med_$x:-}"
		[ -n "$u" ] && [ -n "$x" ] || continue
		list="$list $(echo "$u $x" | awk '{ printf "%.4f", $1 / ($2 > 0 ? $2 : 1) }')"
	done
	med=$(echo "$list" | tr ' ' '\n' | grep . | median)
	geo=$(echo "$list" | tr ' ' '\n' | grep . |
		awk '{ s += log($1); n++ } END { if (n) printf "%.2f", exp(s / n); else print "-" }')
	ratio="$ratio $(printf '%.2f' "$med") ($geo) |"
done
echo "$ratio"
echo
echo "Executions: median over seeds $seeds of stat::number_of_executed_units at the causal finding (a miss counts as $runs); seconds: median wall-clock seconds of the same runs. $(echo "$t_start $t_end" | awk '{ printf "%.0f", $2 - $1 }') s in all, one run at a time, $(nproc 2>/dev/null || echo '?') cores."
