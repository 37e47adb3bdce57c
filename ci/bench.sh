#!/usr/bin/env bash
# ci/bench.sh - the benchmarks, locally exactly as in CI.
#
# (1) (2) (4): core/bench/bench_table, the party table against a mutex
# table, an atomic floor and Concurrency Kit (the head of
# core/bench/bench_table.c says what each measures).
#
# (3): one table, the fuzz targets' speed and memory. For each target of
# the fuzz build (clang, libFuzzer, ASan+UBSan, PT_DEBUG=2): fuzz_condis,
# fuzz_condis_adversary and fuzz_party_table (with aims), fuzz_wdk_style
# and fuzz_table_sched (for information):
#   - a budget of executions, never of seconds: one libFuzzer process
#     (one core, no -fork/-jobs) runs -runs=N from the target's shipped
#     corpus, given as -seed_inputs (no corpus directory: new inputs stay
#     in memory, so the file system never enters the figure), -seed=k,
#     -len_control=0 -max_len=160 (programs of 20 to 40 operations from
#     the first execution, as a long campaign reaches; the column ops
#     says how many);
#   - its CPU time measured (user + sys of the process, from bash's
#     `times`: a process waiting for a CPU on a loaded machine is not
#     charged), minus that of the same command with -runs=0 (start-up and
#     the seeds alone): exec/s = (executions(N) - executions(0)) /
#     (cpu(N) - cpu(0)), the rate on one core;
#   - beside it, in the same repetition, bench_null_fuzzer, an empty
#     target built with the same flags (core/bench/null_fuzzer.c), run the
#     same way with the same seeds and flags;
#   - repeated --fuzz-runs times (default 3, -seed=1..3); the table shows
#     the median exec/s of the target and of the empty target, and their
#     ratio (the median of the per-repetition ratios, with min and max):
#     the machine is shared and noisy, only the ratio means something;
#   - ops/program: PF_STATS=1 (the target prints the average number of
#     operations of the programs it ran);
#   - peak RSS: libFuzzer's stat::peak_rss_mb of the -runs=N process,
#     the largest over the repetitions (ASan's quarantine included).
# Aims (reported, never asserted): fuzz_condis and fuzz_condis_adversary
# >= 1.6% of the empty target's exec/s, fuzz_party_table >= 5.5%, every
# peak RSS <= 600 MB. Exit status: 0, or non-zero if a build or a run
# broke.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	cat <<'EOT'
usage: ci/bench.sh [options]
  --runs N         timed runs per bench_table figure, median reported
                   (>= 5, default 7)
  --cycles N       bench_table cycles per thread per run (default 2000000)
  --fuzz-runs N    repetitions of each fuzz target and the empty target
                   in (3), median reported (default 3)
  --scale P        percent of the default execution budgets of (3)
                   (default 100: fuzz_condis 60000, fuzz_party_table
                   400000, ...; the empty target 3000000)
  --targets LIST   comma-separated subset of the targets of (3)
  --no-fuzz        skip (3)
  --only-fuzz      only (3)
  --build-root D   build trees go under D (default: build in the checkout):
                   D/release (release preset) or D/bench, and D/fuzz
  -h, --help       this text

bench_table is built release-flavour (-O2, PT_DEBUG=0) with the release
preset when CMakePresets.json has one, else configured by hand in D/bench.
(3) uses the fuzz preset's tree D/fuzz: it (re)builds the targets there,
configuring it with `cmake --preset fuzz` if it does not exist.
Concurrency Kit (libck-dev) enables (4); when it is missing, it is
installed with apt-get (as root or with sudo -n), else (4) is skipped.
EOT
}

runs=7
cycles=
fuzz_runs=3
scale=100
only_targets=
do_fuzz=1
do_table=1
build_root=build

need_arg() {
	[ $# -ge 2 ] || { usage >&2; exit 2; }
}
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) need_arg "$@"; runs=$2; shift 2 ;;
	--cycles) need_arg "$@"; cycles=$2; shift 2 ;;
	--fuzz-runs) need_arg "$@"; fuzz_runs=$2; shift 2 ;;
	--scale) need_arg "$@"; scale=$2; shift 2 ;;
	--targets) need_arg "$@"; only_targets=$2; shift 2 ;;
	--no-fuzz) do_fuzz=0; shift ;;
	--only-fuzz) do_table=0; shift ;;
	--build-root) need_arg "$@"; build_root=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
for n in "$runs" "$fuzz_runs" "$scale" ${cycles:+"$cycles"}; do
	case "$n" in
	''|*[!0-9]*) echo "ci/bench.sh: not a number: '$n'" >&2; exit 2 ;;
	esac
done
if [ "$fuzz_runs" -lt 1 ] || [ "$scale" -lt 1 ]; then
	echo "ci/bench.sh: --fuzz-runs and --scale must be >= 1" >&2
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
if [ "$do_table" = 1 ] && [ ! -f /usr/include/ck_stack.h ]; then
	echo "== installing libck-dev (Concurrency Kit) for (4)"
	pt_apt_install libck-dev >/dev/null 2>&1 ||
		echo "   libck-dev could not be installed: (4) is skipped"
fi

# ---- (1) (2) (4): bench_table ----------------------------------------------
if [ "$do_table" = 1 ]; then
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
fi

# ---- (3): fuzz targets against the empty target -----------------------------
# name, default budget (executions), aim (% of the empty target's exec/s;
# - for information only).
fuzz_table='fuzz_condis 60000 1.6
fuzz_condis_adversary 60000 1.6
fuzz_party_table 400000 5.5
fuzz_wdk_style 60000 -
fuzz_table_sched 60000 -'
null_budget=3000000
rss_aim=600

echo
echo "(3) fuzz targets, fuzz build (libFuzzer, ASan+UBSan, PT_DEBUG=2), one"\
	"process each: -runs=N from the shipped"
echo "    corpus (-seed_inputs, nothing written), -len_control=0"\
	"-max_len=160, CPU time(N) - CPU time(-runs=0), against"
echo "    bench_null_fuzzer (empty target, same flags) in the same"\
	"repetition; median of $fuzz_runs (-seed=1..$fuzz_runs)"
if [ "$do_fuzz" = 0 ]; then
	echo "  skipped (--no-fuzz)"
	exit 0
fi

fuzz_dir=$build_root/fuzz
names=()
budgets=()
aims=()
while read -r name budget aim; do
	if [ -n "$only_targets" ] &&
		! printf ',%s,' "$only_targets" | grep -q ",$name,"; then
		continue
	fi
	names+=("$name")
	budgets+=("$((budget * scale / 100))")
	aims+=("$aim")
done <<<"$fuzz_table"
[ ${#names[@]} -gt 0 ] || { echo "ci/bench.sh: no target in '$only_targets'" >&2; exit 2; }
null_budget=$((null_budget * scale / 100))

if [ ! -f "$fuzz_dir/CMakeCache.txt" ]; then
	if ! has_preset fuzz; then
		echo "  skipped: no $fuzz_dir and no fuzz preset in CMakePresets.json"
		exit 0
	fi
	echo "  configuring $fuzz_dir with the fuzz preset"
	configure_preset fuzz
fi
if ! cmake --build "$fuzz_dir" --target "${names[@]}" bench_null_fuzzer \
	>"$fuzz_dir/bench-build.log" 2>&1; then
	tail -n 30 "$fuzz_dir/bench-build.log" >&2
	echo "ci/bench.sh: the fuzz tree did not build ${names[*]}" \
		"bench_null_fuzzer (above)" >&2
	exit 1
fi
null_fuzzer=$fuzz_dir/core/bench/bench_null_fuzzer

work=$(mktemp -d "${TMPDIR:-/tmp}/pt-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# seed_list <target>: the file listing corpus/<target>/'s inputs, for
# -seed_inputs=@file (empty when there is no corpus).
seed_list() {
	local f=$work/seeds-$1
	if [ ! -f "$f" ]; then
		if [ -d "corpus/$1" ]; then
			find "$PWD/corpus/$1" -type f ! -name '*.md' | sort |
				paste -sd, - >"$f"
		else
			: >"$f"
		fi
	fi
	echo "$f"
}

# timed <binary> <target> <runs> <seed>: runs it; prints "executions
# cpu_nanoseconds peak_rss_mb ops/program" (ops "-" if not told).
timed() {
	local bin=$1 list log cpu units rss ops seeds=()
	list=$(seed_list "$2")
	[ -s "$list" ] && seeds=(-seed_inputs=@"$list")
	log=$work/log-$(basename "$bin")-$2-$3-$4
	# The child's CPU time (user + sys): bash's `times` in a subshell
	# that ran nothing else, its second line the children's.
	cpu=$( (PF_STATS=1 "$bin" -runs="$3" -seed="$4" -print_final_stats=1 \
		-len_control=0 -max_len=160 -rss_limit_mb=0 "${seeds[@]}" \
		>"$log" 2>&1 || echo failed >"$log.failed"
		times) | tail -n 1 | awk '{
			split($1, u, "m"); split($2, s, "m")
			sub("s", "", u[2]); sub("s", "", s[2])
			printf "%.0f", ((u[1] + s[1]) * 60 + u[2] + s[2]) * 1e9
		}')
	if [ -f "$log.failed" ]; then
		echo "ci/bench.sh: $bin -runs=$3 -seed=$4 failed (log follows)" >&2
		tail -n 30 "$log" >&2
		return 1
	fi
	units=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log")
	rss=$(sed -n 's/^stat::peak_rss_mb:[[:space:]]*//p' "$log")
	ops=$(sed -n 's/^pf_stats: .* programs, \([0-9.]*\) ops\/program.*/\1/p' "$log")
	echo "${units:-0} ${cpu:-0} ${rss:-0} ${ops:--}"
}

# rate <binary> <target> <runs> <seed>: "exec/s rss ops" of one repetition.
rate() {
	local u1 n1 rss ops u0 n0 r0 o0
	read -r u1 n1 rss ops < <(timed "$@") || return 1
	[ "$u1" -gt 0 ] || return 1
	read -r u0 n0 r0 o0 < <(timed "$1" "$2" 0 "$4") || return 1
	awk -v u="$((u1 - u0))" -v n="$((n1 - n0))" -v r="$rss" -v o="$ops" \
		'BEGIN { if (n <= 0) n = 1; printf "%.0f %s %s\n", u * 1e9 / n, r, o }'
}

# med <values...>: "median min max".
med() {
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m, v[1], v[NR]
		}'
}

declare -A t_eps n_eps ratio rss_max ops_seen
for rep in $(seq 1 "$fuzz_runs"); do
	for i in "${!names[@]}"; do
		name=${names[$i]}
		echo "   repetition $rep/$fuzz_runs: $name (-runs=${budgets[$i]})," \
			"bench_null_fuzzer (-runs=$null_budget)" >&2
		read -r te rss ops < <(rate "$fuzz_dir/fuzz/$name" "$name" \
			"${budgets[$i]}" "$rep") ||
			{ echo "ci/bench.sh: $name did not run" >&2; exit 1; }
		read -r ne _ _ < <(rate "$null_fuzzer" "$name" "$null_budget" \
			"$rep") ||
			{ echo "ci/bench.sh: bench_null_fuzzer did not run" >&2; exit 1; }
		t_eps[$name]+="$te "
		n_eps[$name]+="$ne "
		ratio[$name]+="$(awk -v t="$te" -v n="$ne" 'BEGIN { printf "%.5f", 100 * t / n }') "
		if [ "${rss_max[$name]:-0}" -lt "$rss" ]; then
			rss_max[$name]=$rss
		fi
		ops_seen[$name]=$ops
	done
done

printf '  %-22s %8s %9s %9s %7s %15s %6s %7s %9s %5s\n' target N \
	"exec/s" "empty" "ratio" "(min..max)" aim ops/prog "peak RSS" ok
for i in "${!names[@]}"; do
	name=${names[$i]}
	# shellcheck disable=SC2086
	read -r tm _ _ < <(med ${t_eps[$name]})
	# shellcheck disable=SC2086
	read -r nm _ _ < <(med ${n_eps[$name]})
	# shellcheck disable=SC2086
	read -r rm rlo rhi < <(med ${ratio[$name]})
	aim=${aims[$i]}
	verdict=$(awk -v r="$rm" -v a="$aim" -v m="${rss_max[$name]}" \
		-v ma="$rss_aim" 'BEGIN {
			ok = (m <= ma)
			if (a != "-") ok = ok && (r >= a)
			print (a == "-" ? (ok ? "info" : "RSS!") : (ok ? "yes" : "NO"))
		}')
	printf '  %-22s %8s %9.0f %9.0f %6.2f%% %15s %6s %7s %6s MB %5s\n' \
		"$name" "${budgets[$i]}" "$tm" "$nm" "$rm" \
		"($(printf '%.2f..%.2f' "$rlo" "$rhi"))" \
		"$( [ "$aim" = - ] && echo - || echo ">=$aim%")" \
		"${ops_seen[$name]}" "${rss_max[$name]}" "$verdict"
done
echo "  ratio: the target's exec/s as a percentage of the empty target's," \
	"per repetition, median (min..max);"
echo "  ok: ratio >= aim and peak RSS <= $rss_aim MB (info: no aim" \
	"for the ratio; reported, never a failure)"
