#!/usr/bin/env bash
# ci/bench.sh - the party table's benchmark, locally exactly as in CI.
#
# Builds and runs core/bench/bench_table (figures (1), (2) and (4): see the
# head of core/bench/bench_table.c), then measures (3): fuzz_party_table's
# exec/s under the fuzz build (ASan+UBSan, libFuzzer, one process) against
# an empty libFuzzer target built with the same flags. Prints every figure
# with what it measures and against what; reports the project's targets and
# never fails on them. Exit status: 0, or non-zero if a build or a run broke.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	cat <<'EOT'
usage: ci/bench.sh [options]
  --runs N         timed runs per bench_table figure, median reported
                   (>= 5, default 7)
  --cycles N       bench_table cycles per thread per run (default 2000000)
  --seconds S      length of each fuzzer run of (3), -max_total_time
                   (default 10)
  --fuzz-runs N    fuzzer runs per target for (3), median reported
                   (default 3)
  --no-fuzz        skip (3)
  --build-root D   build trees go under D (default: build in the checkout):
                   D/release (release preset) or D/bench, and D/fuzz
  -h, --help       this text

bench_table is built release-flavour (-O2, PT_DEBUG=0) with the release
preset when CMakePresets.json has one, else configured by hand in D/bench.
(3) uses D/fuzz/fuzz/fuzz_party_table if it exists (the fuzz preset's
binary), else builds it with `cmake --preset fuzz`, else is skipped.
Concurrency Kit (libck-dev) enables (4); when it is missing, it is
installed with apt-get (as root or with sudo -n), else (4) is skipped.
EOT
}

runs=7
cycles=
seconds=10
fuzz_runs=3
do_fuzz=1
build_root=build

need_arg() {
	[ $# -ge 2 ] || { usage >&2; exit 2; }
}
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) need_arg "$@"; runs=$2; shift 2 ;;
	--cycles) need_arg "$@"; cycles=$2; shift 2 ;;
	--seconds) need_arg "$@"; seconds=$2; shift 2 ;;
	--fuzz-runs) need_arg "$@"; fuzz_runs=$2; shift 2 ;;
	--no-fuzz) do_fuzz=0; shift ;;
	--build-root) need_arg "$@"; build_root=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
for n in "$runs" "$seconds" "$fuzz_runs" ${cycles:+"$cycles"}; do
	case "$n" in
	''|*[!0-9]*) echo "ci/bench.sh: not a number: '$n'" >&2; exit 2 ;;
	esac
done
if [ "$fuzz_runs" -lt 1 ] || [ "$seconds" -lt 1 ]; then
	echo "ci/bench.sh: --seconds and --fuzz-runs must be >= 1" >&2
	exit 2
fi

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
case "$build_root" in /*) ;; *) build_root=$top/$build_root ;; esac

has_preset() {
	[ -f CMakePresets.json ] &&
		grep -q "\"name\": *\"$1\"" CMakePresets.json
}

# Configure a preset's tree under $build_root (the preset's own binaryDir
# is build/<preset>; -B moves it when --build-root says so).
configure_preset() {
	cmake --preset "$1" -B "$build_root/$1" >/dev/null
}

echo "== ci/bench.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "   (other processes on the machine skew the figures, above all the" \
	"2-thread ones)"

# ---- Concurrency Kit for (4) ----------------------------------------------
if [ ! -f /usr/include/ck_stack.h ]; then
	echo "== installing libck-dev (Concurrency Kit) for (4)"
	pt_apt_install libck-dev >/dev/null 2>&1 ||
		echo "   libck-dev could not be installed: (4) is skipped"
fi

# ---- (1) (2) (4): bench_table ----------------------------------------------
if has_preset release; then
	bench_dir=$build_root/release
	echo "== building bench_table with the release preset in $bench_dir"
	configure_preset release
else
	bench_dir=$build_root/bench
	echo "== building bench_table (Release, PT_DEBUG=0) in $bench_dir"
	cmake -S . -B "$bench_dir" -DCMAKE_BUILD_TYPE=Release -DPT_DEBUG=0 \
		-DPT_FUZZ=OFF -DPT_SANITIZE= -DPT_COVERAGE=OFF >/dev/null
fi
cmake --build "$bench_dir" --target bench_table >/dev/null
echo
"$bench_dir/core/bench/bench_table" --runs "$runs" ${cycles:+--cycles "$cycles"}

# ---- (3): fuzzer exec/s -----------------------------------------------------
echo
echo "(3) fuzz_party_table exec/s, fuzz build (libFuzzer, ASan+UBSan), one" \
	"process, ${seconds} s per run,"
echo "    median of $fuzz_runs runs (-seed=1..$fuzz_runs) from a fresh copy" \
	"of corpus/fuzz_party_table, parsed from"
echo "    -print_final_stats=1; against bench_null_fuzzer, an empty target" \
	"built with the same flags"
if [ "$do_fuzz" = 0 ]; then
	echo "  skipped (--no-fuzz)"
	exit 0
fi

fuzz_dir=$build_root/fuzz
fuzzer=$fuzz_dir/fuzz/fuzz_party_table
null_fuzzer=$fuzz_dir/core/bench/bench_null_fuzzer
if [ -x "$fuzzer" ]; then
	# The tree exists: only add the baseline (its flags are the tree's).
	cmake --build "$fuzz_dir" --target bench_null_fuzzer >/dev/null
elif has_preset fuzz; then
	echo "  $fuzzer missing: building it with the fuzz preset"
	if ! configure_preset fuzz ||
		! cmake --build "$fuzz_dir" --target fuzz_party_table \
			bench_null_fuzzer >/dev/null; then
		echo "ci/bench.sh: the fuzz preset did not build" \
			"fuzz_party_table and bench_null_fuzzer (see above)" >&2
		exit 1
	fi
else
	echo "  skipped: no $fuzzer and no fuzz preset in CMakePresets.json"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pt-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run_fuzzer <binary> <seed>: prints the run's average exec/s.
run_fuzzer() {
	local dir

	dir=$work/run-$2-$(basename "$1")

	mkdir -p "$dir/corpus"
	if [ -d corpus/fuzz_party_table ]; then
		cp -R corpus/fuzz_party_table/. "$dir/corpus/"
	fi
	if ! "$1" -max_total_time="$seconds" -print_final_stats=1 \
		-seed="$2" "$dir/corpus" >"$dir/log" 2>&1; then
		echo "ci/bench.sh: $1 failed (log follows)" >&2
		tail -n 30 "$dir/log" >&2
		return 1
	fi
	sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$dir/log"
}

# stats <values...>: "median min max".
stats() {
	printf '%s\n' "$@" | sort -n | awk '
		{ v[NR] = $1 }
		END {
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print med, v[1], v[NR]
		}'
}

[ -d corpus/fuzz_party_table ] ||
	echo "  (no corpus/fuzz_party_table: runs start from an empty corpus)"
target_eps=()
null_eps=()
for seed in $(seq 1 "$fuzz_runs"); do
	target_eps+=("$(run_fuzzer "$fuzzer" "$seed")")
	null_eps+=("$(run_fuzzer "$null_fuzzer" "$seed")")
done
read -r t_med t_min t_max < <(stats "${target_eps[@]}")
read -r n_med n_min n_max < <(stats "${null_eps[@]}")
printf '  %-34s %-22s %9s %9s %9s  %s\n' measured implementation median \
	min max unit
printf '  %-34s %-22s %9.0f %9.0f %9.0f  %s\n' "executions per second" \
	fuzz_party_table "$t_med" "$t_min" "$t_max" exec/s
printf '  %-34s %-22s %9.0f %9.0f %9.0f  %s\n' "executions per second" \
	bench_null_fuzzer "$n_med" "$n_min" "$n_max" exec/s
awk -v t="$t_med" -v n="$n_med" 'BEGIN {
	printf "  %-58s %6.3fx   (share of the empty target'"'"'s rate)\n",
		"fuzz_party_table / empty target (median exec/s)", t / n
}'
