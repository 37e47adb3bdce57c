#!/bin/sh
# fuzz/sched/ttd.sh - time to detection of the race-only faults and the
# memory-order faults by fuzz_table_sched, per scheduling strategy, side by
# side (reported, not asserted; the ctests fuzz_table_sched_<fault> and
# fuzz_table_sched_wm_<fault> assert the detection).
#
# Usage: sh fuzz/sched/ttd.sh [-o RAW] [--write MD] BUILD_DIR [SEEDS] [RUNS]
#        sh fuzz/sched/ttd.sh --from RAW [--write MD]
#
# One script for both kinds of fault (it replaces the memory-order-only
# wm_ttd.sh), every strategy in one run, so that the columns compare.
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
#   RUNS       executions before giving up (default 600000); a miss counts
#              as RUNS.
#   -o RAW     keep the runs there, one line per run: fault, strategy,
#              seed=N, execs=[>|!]N, secs=S (> a miss, ! not causal).
#   --from RAW only tabulate the runs of RAW (an -o file): the same table.
#   --write MD put the table between the lines <!-- ttd:begin --> and
#              <!-- ttd:end --> of MD (fuzz/bugs/EVIDENCE.md) too.
#   TTD_STRATEGIES="uniform pct ..." runs only those (default: uniform pct
#              feedback weighted default).
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
# caused it); otherwise the run counts as a miss.
#
# Prints a Markdown table: per fault, for every strategy, the median
# executions to detection (stat::number_of_executed_units) and the median
# wall-clock seconds of the run (misses, if any, counted); then, per
# strategy, the median and the geometric mean over the faults of
# uniform's median divided by the strategy's (> 1: faster than uniform),
# for executions and for seconds.
set -u

out= md= from=
while :; do
	case "${1:-}" in
	-o) out=${2:?-o RAW}; shift 2 ;;
	--write) md=${2:?--write MD}; shift 2 ;;
	--from) from=${2:?--from RAW}; shift 2 ;;
	*) break ;;
	esac
done
if [ -n "$md" ] && { ! grep -q '^<!-- ttd:begin -->$' "$md" ||
	! grep -q '^<!-- ttd:end -->$' "$md"; }; then
	echo "ttd: $md has no <!-- ttd:begin --> / <!-- ttd:end --> lines" >&2
	exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ttd.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

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

# run BUILD SEEDS RUNS > RAW lines
run() {
	build=$1 seeds=$2 runs=$3
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
	for m in $strategies; do env_of "$m" >/dev/null || exit 2; done
	for f in $faults; do
		bin=$build/fuzz/fuzz_table_sched_$f
		if [ ! -x "$bin" ]; then
			echo "ttd: $f: $bin not built, left out" >&2
			continue
		fi
		for m in $strategies; do
			e=$(env_of "$m")
			for s in $seeds; do
				rm -rf "$work/c" && mkdir -p "$work/c"
				t0=$(now)
				env $e "$bin" -seed="$s" -runs="$runs" \
					-reload=0 -rss_limit_mb=0 \
					-print_final_stats=1 \
					-artifact_prefix="$work/c/" "$work/c" \
					>"$work/log" 2>&1
				rc=$?
				t1=$(now)
				sec=$(echo "$t0 $t1" |
					awk '{ printf "%.2f", $2 - $1 }')
				execs=$(sed -n \
					's/^stat::number_of_executed_units: *//p' \
					"$work/log" | tail -n 1)
				art=$(find "$work/c" -maxdepth 1 -name 'crash-*' |
					head -n 1)
				mark=""
				if [ "$rc" -eq 0 ] || [ -z "$art" ]; then
					mark=">" execs=$runs
				elif ! env $e "$off" "$art" >/dev/null 2>&1; then
					mark="!" execs=$runs
				fi
				echo "$f $m seed=$s execs=$mark${execs:-$runs} secs=$sec"
				echo "ttd: $f $m seed=$s execs=$mark${execs:-$runs} secs=$sec" >&2
			done
		done
	done
}

# tabulate < RAW: the Markdown table (faults and strategies in the order
# they first appear).
tabulate() {
	awk '
	function median(list,    n, v, i, j, t) {
		n = split(list, v, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		if (n == 0) return 0
		if (n % 2) return v[(n + 1) / 2]
		return (v[n / 2] + v[n / 2 + 1]) / 2
	}
	{
		f = $1; m = $2; seed = $3; e = $4; s = $5
		sub(/^seed=/, "", seed); sub(/^execs=/, "", e); sub(/^secs=/, "", s)
		if (!(f in seenf)) { seenf[f] = 1; fl[++nf] = f }
		if (!(m in seenm)) { seenm[m] = 1; ml[++nm] = m }
		if (!(seed in seens)) { seens[seed] = 1; sl = sl " " seed }
		if (e ~ /^[>!]/) { miss[f, m]++; sub(/^[>!]/, "", e); budget = e }
		ex[f, m] = ex[f, m] " " e
		se[f, m] = se[f, m] " " s
		total += s
	}
	END {
		hdr = "| fault |"; sep = "|---|"
		for (j = 1; j <= nm; j++) { hdr = hdr " " ml[j] " |"; sep = sep "---|" }
		print hdr; print sep
		for (i = 1; i <= nf; i++) {
			row = "| " fl[i] " |"
			for (j = 1; j <= nm; j++) {
				k = fl[i] SUBSEP ml[j]
				me[k] = median(ex[k]); ms[k] = median(se[k])
				cell = sprintf("%.0f (%.2f s)", me[k], ms[k])
				if (miss[k]) cell = cell ", " miss[k] " missed"
				row = row " " cell " |"
			}
			print row
		}
		for (w = 1; w <= 2; w++) {
			row = "| uniform / strategy, " (w == 1 ? "executions" : "seconds") \
			    ": median (geometric mean) over faults |"
			for (j = 1; j <= nm; j++) {
				list = ""; lg = 0; n = 0
				for (i = 1; i <= nf; i++) {
					u = fl[i] SUBSEP "uniform"; k = fl[i] SUBSEP ml[j]
					if (!(u in me)) continue
					a = w == 1 ? me[u] : ms[u]; b = w == 1 ? me[k] : ms[k]
					r = a / (b > 0 ? b : 1)
					list = list " " r; lg += log(r); n++
				}
				if (n) row = row sprintf(" %.2f (%.2f) |", median(list), exp(lg / n))
				else row = row " - |"
			}
			print row
		}
		print ""
		printf "Executions: median over seeds%s of stat::number_of_executed_units at the causal finding (a miss counts as %s, the budget); seconds: median wall-clock seconds of the same runs, %.0f s of runs in all, one at a time.\n", sl, budget == "" ? "the budget" : budget, total
	}'
}

if [ -n "$from" ]; then
	[ -r "$from" ] || { echo "ttd: cannot read $from" >&2; exit 2; }
	cp "$from" "$work/raw"
else
	build=${1:?usage: ttd.sh [-o RAW] [--write MD] BUILD_DIR [SEEDS] [RUNS]}
	run "$build" "${2:-1 2 3 4 5}" "${3:-600000}" >"$work/raw" || exit 2
	[ -z "$out" ] || cp "$work/raw" "$out"
fi
tabulate <"$work/raw" >"$work/table"
cat "$work/table"
if [ -n "$md" ]; then
	awk -v t="$work/table" '
		/^<!-- ttd:end -->$/ { skip = 0 }
		!skip { print }
		/^<!-- ttd:begin -->$/ { while ((getline l < t) > 0) print l; skip = 1 }
	' "$md" >"$work/md" && cat "$work/md" >"$md"
fi
