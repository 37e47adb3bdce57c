#!/usr/bin/env bash
# ci/fuzz.sh - the main job of partyfuzz: time-boxed fuzzing of every target.
#
# Usage: bash ci/fuzz.sh [--time SECONDS] [--jobs N] [--targets a,b]
#                        [--work-dir DIR]
#
#   --time SECONDS  fuzzing budget per target (default 60)
#   --jobs N        parallel fuzzing processes, libFuzzer -fork=N
#                   (default: the number of cores, here $(nproc))
#   --targets a,b   targets to run (default: every line of ci/fuzz_targets)
#   --work-dir DIR  work area (default build/fuzz-work, gitignored)
#   -h, --help      this text
#
# For each target T it builds the `fuzz` preset (build/fuzz), then:
#   1. seeds DIR/T/corpus/ with the shipped corpus/T/ (files already there
#      from earlier runs are kept: the work corpus grows run after run);
#   2. fuzzes for SECONDS with -fork=N, -ignore_crashes=1 (keeps going and
#      collects every crash of the budget), new inputs into DIR/T/new/;
#   3. merges DIR/T/new/ into DIR/T/corpus/ with -merge=1 (only inputs
#      that add coverage are kept), then deletes DIR/T/new/;
#   4. keeps crash-, timeout-, oom- and leak- inputs in DIR/T/crashes/ and
#      prints for each the commands that replay it, through the libFuzzer
#      binary and through the gcc standalone build (build/replay, built
#      when a crash is found).
# The source tree is never written: to keep new seeds, copy chosen inputs
# from DIR/T/corpus/ to corpus/T/; to keep a crash as a regression test,
# copy it to regress/T/<id>-<slug> (see regress/README.md).
#
# Prints a table: target, execs, exec/s, corpus files before/after, crash
# files. Exits 1 if any target has a crash file in DIR/T/crashes/ at the
# end (move or delete triaged crashes), 2 on a usage or build error.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' \
		-e 's/^# \{0,1\}//' -e "s/\$(nproc)/$(nproc)/"
}

time_s=60
jobs=$(nproc 2>/dev/null || echo 1)
targets=
work=$PT_ROOT/build/fuzz-work

while [ $# -gt 0 ]; do
	case "$1" in
	--time) time_s=${2:-}; shift 2 || { usage >&2; exit 2; } ;;
	--time=*) time_s=${1#*=}; shift ;;
	--jobs) jobs=${2:-}; shift 2 || { usage >&2; exit 2; } ;;
	--jobs=*) jobs=${1#*=}; shift ;;
	--targets) targets=${2:-}; shift 2 || { usage >&2; exit 2; } ;;
	--targets=*) targets=${1#*=}; shift ;;
	--work-dir) work=${2:-}; shift 2 || { usage >&2; exit 2; } ;;
	--work-dir=*) work=${1#*=}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "ci/fuzz.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
	esac
done
case "$time_s" in '' | *[!0-9]* | 0) pt_log "--time wants seconds > 0"; exit 2 ;; esac
case "$jobs" in '' | *[!0-9]* | 0) pt_log "--jobs wants a count > 0"; exit 2 ;; esac
mkdir -p "$work" && work=$(cd "$work" && pwd) || exit 2

if [ -n "$targets" ]; then
	IFS=, read -r -a list <<<"$targets"
else
	mapfile -t list < <(grep -Ev '^[[:space:]]*(#|$)' "$PT_ROOT/ci/fuzz_targets")
fi
[ ${#list[@]} -gt 0 ] || { pt_log "no targets"; exit 2; }

pt_ensure_tools --fuzzer || exit 2
pt_build fuzz || { pt_log "build of preset fuzz failed"; exit 2; }

count_files() {
	find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l
}

rows=()
found=0
for t in "${list[@]}"; do
	bin=$PT_ROOT/build/fuzz/fuzz/$t
	[ -x "$bin" ] || { pt_log "$t: no binary $bin (not in fuzz/CMakeLists.txt?)"; exit 2; }
	d=$work/$t
	mkdir -p "$d/corpus" "$d/crashes" "$d/logs"
	rm -rf "$d/new" && mkdir -p "$d/new"
	if [ -d "$PT_ROOT/corpus/$t" ]; then
		# Seeds are never overwritten: the shipped file wins only if new.
		cp -n "$PT_ROOT/corpus/$t"/* "$d/corpus/" 2>/dev/null || true
	fi
	before=$(count_files "$d/corpus")
	log=$d/logs/fuzz.log
	pt_log "$t: fuzzing ${time_s}s with -fork=$jobs from $before inputs (log: $log)"
	t0=$(date +%s)
	"$bin" -fork="$jobs" -ignore_crashes=1 -max_total_time="$time_s" \
		-timeout=25 -print_final_stats=1 -artifact_prefix="$d/crashes/" \
		"$d/new" "$d/corpus" >"$log" 2>&1
	rc=$?
	elapsed=$(($(date +%s) - t0))
	[ "$elapsed" -gt 0 ] || elapsed=1
	# Fork mode reports "#EXECS: cov: C ft: F corp: N exec/s ...".
	execs=$(sed -n 's/^#\([0-9][0-9]*\): cov:.*/\1/p' "$log" | tail -n 1)
	cov=$(sed -n 's/^#[0-9][0-9]*: cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	execs=${execs:-0}
	if [ "$rc" -ne 0 ] && [ "$(count_files "$d/crashes")" -eq 0 ]; then
		pt_log "$t: libFuzzer exited $rc without an artifact; end of $log:"
		tail -n 20 "$log" >&2
		exit 2
	fi

	pt_log "$t: merging $(count_files "$d/new") new inputs into $d/corpus"
	if ! "$bin" -merge=1 -timeout=25 "$d/corpus" "$d/new" \
		>"$d/logs/merge.log" 2>&1; then
		pt_log "$t: merge failed; see $d/logs/merge.log"
		tail -n 20 "$d/logs/merge.log" >&2
		exit 2
	fi
	rm -rf "$d/new"
	after=$(count_files "$d/corpus")
	crashes=$(count_files "$d/crashes")
	[ "$crashes" -eq 0 ] || found=1
	rows+=("$(printf '%-24s %12s %9s %7s %7s %7s %7s' "$t" "$execs" \
		"$((execs / elapsed))" "${cov:-?}" "$before" "$after" "$crashes")")
done

if [ "$found" -ne 0 ]; then
	# The printed gcc replay commands need the standalone build.
	pt_build replay >/dev/null 2>&1 ||
		pt_log "note: build of preset replay failed; gcc commands below will not run"
fi

echo
printf '%-24s %12s %9s %7s %7s %7s %7s\n' target execs exec/s cov \
	before after crashes
for r in "${rows[@]}"; do
	printf '%s\n' "$r"
done
echo "(before/after: files in the work corpus $work/<target>/corpus)"

for t in "${list[@]}"; do
	d=$work/$t/crashes
	[ "$(count_files "$d")" -gt 0 ] || continue
	echo
	n=$(count_files "$d")
	echo "$t: $n crash file(s) in $d; replay with:"
	# The first few: an always-crashing target fills the directory.
	find "$d" -maxdepth 1 -type f | sort | head -n 5 | while read -r f; do
		echo "  $f"
		echo "    FUZZ_VERBOSE=1 $PT_ROOT/build/fuzz/fuzz/$t $f    # libFuzzer, clang"
		echo "    FUZZ_VERBOSE=1 $PT_ROOT/build/replay/fuzz/$t $f  # standalone, gcc"
	done
	[ "$n" -le 5 ] || echo "  ... and $((n - 5)) more"
	echo "  keep one as a regression test: regress/$t/<id>-<slug> + regress/README.md"
done
exit "$found"
