#!/usr/bin/env bash
# ci/afl.sh - build and run the fuzz targets with AFL++ instead of libFuzzer.
#
# Usage: bash ci/afl.sh [--time SECONDS] [--targets a,b] [--lto]
#                       [--no-sanitize] [--build-only] [--work-dir DIR]
#
#   --time SECONDS  afl-fuzz budget per target (-V, default 60)
#   --targets a,b   targets (default: every line of ci/fuzz_targets)
#   --lto           compile with afl-clang-lto (default: afl-clang-fast,
#                   PCGUARD instrumentation; faster to build). Never
#                   afl-gcc-fast: Debian's build of its plugin is broken.
#   --no-sanitize   without AFL_USE_ASAN/AFL_USE_UBSAN (faster, finds less)
#   --build-only    build, do not fuzz
#   --work-dir DIR  work area (default build/afl): DIR/out has the
#                   binaries (as $OUT of an OSS-Fuzz build), DIR/findings/T
#                   the afl-fuzz output directory of target T
#   -h, --help      this text
#
# The targets are built by .clusterfuzzlite/build.sh, the OSS-Fuzz build
# script, with CC=afl-clang-fast (or -lto) and LIB_FUZZING_ENGINE set to
# AFL++'s libAFLDriver.a, which runs LLVMFuzzerTestOneInput in AFL++'s
# persistent mode: the very targets libFuzzer runs. afl++ is installed
# with apt-get when it is missing and we are root (or have sudo -n):
# pt_optional_dep in ci/lib.sh.
# Each target then runs `afl-fuzz -V SECONDS` from corpus/T/ + regress/T/
# (the seed zip of the build), with fuzz/dict/T.dict as -x when it exists.
#
# Prints a table from each fuzzer_stats: execs, exec/s, corpus, edges
# covered, crashes, hangs. Exits 0 when every target ran and saved no
# crash, 1 if a crash was saved or a target executed nothing, 2 on a usage
# or build error, 77 when afl++ is missing and cannot be installed (the
# ctest afl_smoke reports that as skipped); under CI=true that is exit 1
# instead: CI never skips it.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

time_s=60
targets=
cc=afl-clang-fast
sanitize=1
build_only=0
work=$PT_ROOT/build/afl
while [ $# -gt 0 ]; do
	case "$1" in
	--time) [ $# -ge 2 ] || { usage >&2; exit 2; }; time_s=$2; shift 2 ;;
	--time=*) time_s=${1#*=}; shift ;;
	--targets) [ $# -ge 2 ] || { usage >&2; exit 2; }; targets=$2; shift 2 ;;
	--targets=*) targets=${1#*=}; shift ;;
	--lto) cc=afl-clang-lto; shift ;;
	--no-sanitize) sanitize=0; shift ;;
	--build-only) build_only=1; shift ;;
	--work-dir) [ $# -ge 2 ] || { usage >&2; exit 2; }; work=$2; shift 2 ;;
	--work-dir=*) work=${1#*=}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) pt_log "unknown argument $1"; usage >&2; exit 2 ;;
	esac
done
case "$time_s" in '' | *[!0-9]* | 0*) pt_log "--time wants seconds > 0"; exit 2 ;; esac

# AFL++ itself: afl-fuzz, the clang-mode compiler, the libFuzzer driver.
afl_driver() {
	local d
	for d in "${AFL_PATH:-}" /usr/lib/afl /usr/local/lib/afl; do
		[ -n "$d" ] && [ -f "$d/libAFLDriver.a" ] && { echo "$d/libAFLDriver.a"; return 0; }
	done
	return 1
}
have_afl() {
	command -v afl-fuzz >/dev/null 2>&1 && command -v "$cc" >/dev/null 2>&1 &&
		afl_driver >/dev/null
}
pt_optional_dep afl++ afl++ have_afl || exit $?
driver=$(afl_driver)
pt_ensure_tools || exit 2

if [ -n "$targets" ]; then
	IFS=, read -r -a list <<<"$targets"
else
	mapfile -t list < <(pt_targets)
fi
[ ${#list[@]} -gt 0 ] || { pt_log "no targets"; exit 2; }

mkdir -p "$work" && work=$(cd "$work" && pwd) || exit 2
out=$work/out
# No $SRC/partyfuzz link back to the tree: DIR may lie inside it, and
# CMake's compiler checks fail on that cycle. build.sh takes the tree from
# the working directory, as in the builder image.
mkdir -p "$work/src" "$out" "$work/build" || exit 2
san_env=()
[ "$sanitize" -eq 1 ] && san_env=(AFL_USE_ASAN=1 AFL_USE_UBSAN=1)
pt_log "build: CC=$cc LIB_FUZZING_ENGINE=$driver ${san_env[*]} (log: $work/build.log)"
if ! (cd "$PT_ROOT" && env "${san_env[@]}" SRC="$work/src" \
	OUT="$out" WORK="$work/build" CC="$cc" \
	CFLAGS="-O1 -g -fno-omit-frame-pointer" LIB_FUZZING_ENGINE="$driver" \
	PT_FUZZ_TARGETS="$(IFS=,; echo "${list[*]}")" AFL_QUIET=1 \
	bash .clusterfuzzlite/build.sh) >"$work/build.log" 2>&1; then
	tail -n 30 "$work/build.log" >&2
	pt_log "AFL++ build failed"
	exit 2
fi
[ "$build_only" -eq 0 ] || { pt_log "built into $out"; exit 0; }

# afl-fuzz wants ASan to abort and not symbolise; no CPU binding (the
# machine is shared with other jobs), no UI, no core_pattern demands.
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0
export AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1

# stat FILE KEY: a value of afl-fuzz's fuzzer_stats.
stat() {
	sed -n "s/^$2 *: *//p" "$1" 2>/dev/null | head -n 1
}

rows=()
bad=0
for t in "${list[@]}"; do
	bin=$out/$t
	[ -x "$bin" ] || { pt_log "$t: no binary $bin"; exit 2; }
	seeds=$work/seeds/$t
	rm -rf "$seeds" && mkdir -p "$seeds"
	if [ -f "$out/${t}_seed_corpus.zip" ]; then
		unzip -q -o "$out/${t}_seed_corpus.zip" -d "$seeds"
	fi
	# afl-fuzz needs one seed: the all-zero header is a valid program.
	[ "$(pt_count_files "$seeds")" -gt 0 ] || printf '\0\0\0\0' >"$seeds/zero"
	dict=()
	[ -f "$out/$t.dict" ] && dict=(-x "$out/$t.dict")
	fo=$work/findings/$t
	rm -rf "$fo" && mkdir -p "$work/findings"
	pt_log "$t: afl-fuzz -V $time_s from $(pt_count_files "$seeds") seeds (log: $work/$t.log)"
	afl-fuzz -i "$seeds" -o "$fo" -V "$time_s" "${dict[@]}" -- "$bin" \
		>"$work/$t.log" 2>&1
	rc=$?
	st=$fo/default/fuzzer_stats
	if [ ! -f "$st" ]; then
		pt_log "$t: afl-fuzz exited $rc without fuzzer_stats; end of $work/$t.log:"
		tail -n 20 "$work/$t.log" >&2
		bad=1
		continue
	fi
	execs=$(stat "$st" execs_done)
	crashes=$(stat "$st" saved_crashes)
	[ -n "$crashes" ] || crashes=$(stat "$st" unique_crashes)
	hangs=$(stat "$st" saved_hangs)
	[ -n "$hangs" ] || hangs=$(stat "$st" unique_hangs)
	[ "${execs:-0}" -gt 0 ] || { pt_log "$t: afl-fuzz executed nothing"; bad=1; }
	[ "${crashes:-0}" -eq 0 ] || bad=1
	rows+=("$(printf '%-24s %12s %10s %8s %8s %7s %6s' "$t" "${execs:-0}" \
		"$(stat "$st" execs_per_sec)" "$(stat "$st" corpus_count)" \
		"$(stat "$st" bitmap_cvg)" "${crashes:-?}" "${hangs:-?}")")
done

echo
printf '%-24s %12s %10s %8s %8s %7s %6s\n' target execs exec/s corpus \
	edges crashes hangs
printf '%s\n' "${rows[@]}"
echo "(findings: $work/findings/<target>/default/{crashes,hangs};" \
	"replay a crash: $out/<target> FILE)"
exit "$bad"
