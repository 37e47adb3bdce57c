#!/usr/bin/env bash
# ci/determinism.sh - same input, same run, same trace: on every build, and
# in any order among other inputs (no state leaks from one input to the
# next).
#
# Usage: bash ci/determinism.sh [--shuffle-seed N] [--target T
#                                [--inputs DIR]...] [BUILD_A [BUILD_B]]
#   (defaults: build/replay, gcc without libFuzzer, and build/fuzz, clang
#   with libFuzzer; both must be built, as ci/test.sh does; shuffle seed 1;
#   every target of ci/fuzz_targets, or only T; the inputs of corpus/T/ and
#   regress/T/, or those of the DIRs, e.g. a work corpus of ci/fuzz.sh)
#
# For every target T of ci/fuzz_targets and every input of corpus/T/ and
# regress/T/, with FUZZ_VERBOSE=1, -timeout=25 and -detect_leaks=0 (a run
# that mallocs more than it frees would otherwise run twice under
# libFuzzer):
#   1. alone: each input runs in a process of its own through each build's
#      binary; what it gives is its trace (stdout), its exit status and its
#      report (the verdict lines of stderr, ci/lib.sh pt_verdict: addresses
#      and pids normalised);
#   2. across builds: the two builds' traces are byte-for-byte equal, both
#      exit 0 or both non-zero, with the same report;
#   3. together: per build, ONE process runs every input of T, in an order
#      shuffled with a fixed seed (printed; --shuffle-seed to change it).
#      Its stdout is split at the "== input: <n> bytes" line that opens each
#      input's trace (fuzz_util.h pf_trace_input), its stderr at the
#      runner's "Running:" line; each input's trace, exit status (0, or the
#      process's for the input it ended in) and report must be those of its
#      run alone. An input that fails ends the process: the inputs after it
#      run in a fresh process, in the same order.
# Prints one line per target and exits 1 at the first difference, showing
# it.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PT_ROOT" || exit 1

shuffle_seed=1
only=
inputs=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help)
		sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	--shuffle-seed) shuffle_seed=${2:-}; shift 2 || exit 2 ;;
	--shuffle-seed=*) shuffle_seed=${1#*=}; shift ;;
	--target) only=${2:-}; shift 2 || exit 2 ;;
	--inputs) inputs+=("${2:-}"); shift 2 || exit 2 ;;
	-*) pt_die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
case "$shuffle_seed" in '' | *[!0-9]*) pt_die "--shuffle-seed wants a number" ;; esac
[ ${#inputs[@]} -eq 0 ] || [ -n "$only" ] || pt_die "--inputs needs --target"
a=${1:-build/replay}
b=${2:-build/fuzz}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shuffle SEED < lines: the lines in a Fisher-Yates order drawn from a
# 31-bit linear congruential generator seeded with SEED (the same order on
# every machine, unlike shuf or awk's rand).
shuffle() {
	local -a l
	local s=$1 i j t
	mapfile -t l
	for ((i = ${#l[@]} - 1; i > 0; i--)); do
		s=$(((s * 1103515245 + 12345) % 2147483648))
		j=$((s % (i + 1)))
		t=${l[i]}
		l[i]=${l[j]}
		l[j]=$t
	done
	[ ${#l[@]} -eq 0 ] || printf '%s\n' "${l[@]}"
}

# alone TAG BIN K FILE: input K run by itself, through BIN (TAG a or b):
# $tmp/TAG.K.out (trace), .err, .rc, .verdict.
alone() {
	local p=$tmp/$1.$3
	FUZZ_VERBOSE=1 "$2" -detect_leaks=0 -timeout=25 "$4" >"$p.out" 2>"$p.err"
	echo $? >"$p.rc"
	pt_verdict "$p.err" >"$p.verdict"
}

differ() {
	echo "determinism: $target: $1"
	shift
	[ $# -eq 0 ] || diff "$@" | head -n 12
	exit 1
}

# together TAG BIN: every input of files[] in the order of order[] (indexes),
# in as few processes as the failures allow; compares each with alone().
together() {
	local tag=$1 bin=$2 start=0 n=${#order[@]} i k ran rc p q l
	while [ "$start" -lt "$n" ]; do
		local -a batch=()
		for ((i = start; i < n; i++)); do
			batch+=("${files[${order[i]}]}")
		done
		q=$tmp/$tag.all
		FUZZ_VERBOSE=1 "$bin" -detect_leaks=0 -timeout=25 "${batch[@]}" \
			>"$q.out" 2>"$q.err"
		rc=$?
		rm -f "$q".out.* "$q".err.*
		awk -v p="$q.out." '/^== input: / { k++ } { print > (p k) }' "$q.out"
		awk -v p="$q.err." '/^Running: / { k++ } { print > (p k) }' "$q.err"
		# Inputs that ran: the "Running:" lines (the runner names each).
		ran=$(grep -c '^Running: ' "$q.err")
		[ "$ran" -ge 1 ] || differ "$tag: the run of ${#batch[@]} inputs ran none (exit $rc)" /dev/null "$q.err"
		[ "$rc" -ne 0 ] || [ "$ran" -eq "${#batch[@]}" ] ||
			differ "$tag: the run of ${#batch[@]} inputs exited 0 after $ran of them"
		for ((i = 1; i <= ran; i++)); do
			k=${order[start + i - 1]}
			p=$tmp/$tag.$k
			l=$(head -n 1 "$q.err.$i")
			[[ "$l" == "Running: ${files[k]}" || "$l" == "Running: ${files[k]} ("* ]] ||
				differ "$tag: input $i of the run is not ${files[k]} ($l)"
			[ -f "$q.out.$i" ] || : >"$q.out.$i"
			cmp -s "$p.out" "$q.out.$i" ||
				differ "${files[k]}: its trace alone ($tag) differs from its trace as input $i of $ran in one process (shuffle seed $shuffle_seed):" \
					"$p.out" "$q.out.$i"
			pt_verdict "$q.err.$i" >"$q.verdict"
			cmp -s "$p.verdict" "$q.verdict" ||
				differ "${files[k]}: its report alone ($tag) differs from its report as input $i of $ran in one process (shuffle seed $shuffle_seed):" \
					"$p.verdict" "$q.verdict"
			if [ "$i" -lt "$ran" ] || [ "$rc" -eq 0 ]; then
				[ "$(cat "$p.rc")" -eq 0 ] ||
					differ "${files[k]}: exits $(cat "$p.rc") alone ($tag), but the inputs after it ran in one process with it"
			else
				[ "$(cat "$p.rc")" -eq "$rc" ] ||
					differ "${files[k]}: exits $(cat "$p.rc") alone ($tag), $rc as input $i of $ran in one process"
			fi
		done
		start=$((start + ran))
	done
}

while read -r target; do
	[ -z "$only" ] || [ "$target" = "$only" ] || continue
	for bin in "$a/fuzz/$target" "$b/fuzz/$target"; do
		[ -x "$bin" ] || pt_die "$bin is not built"
	done
	files=()
	dirs=("corpus/$target" "regress/$target")
	[ ${#inputs[@]} -eq 0 ] || dirs=("${inputs[@]}")
	for dir in "${dirs[@]}"; do
		[ -d "$dir" ] || continue
		while IFS= read -r -d '' f; do
			files+=("$f")
		done < <(find "$dir" -type f ! -name '*.md' ! -name '*.txt' -print0 | sort -z)
	done
	n=${#files[@]}
	[ "$n" -gt 0 ] || { echo "determinism: $target: no inputs"; continue; }
	for ((k = 0; k < n; k++)); do
		alone a "$a/fuzz/$target" "$k" "${files[k]}"
		alone b "$b/fuzz/$target" "$k" "${files[k]}"
		f=${files[k]}
		cmp -s "$tmp/a.$k.out" "$tmp/b.$k.out" ||
			differ "$f: traces differ between $a and $b:" "$tmp/a.$k.out" "$tmp/b.$k.out"
		ra=$(cat "$tmp/a.$k.rc")
		rb=$(cat "$tmp/b.$k.rc")
		[ $((ra == 0)) -eq $((rb == 0)) ] ||
			differ "$f: exits $ra through $a, $rb through $b"
		cmp -s "$tmp/a.$k.verdict" "$tmp/b.$k.verdict" ||
			differ "$f: reports differ between $a and $b:" "$tmp/a.$k.verdict" "$tmp/b.$k.verdict"
	done
	mapfile -t order < <(seq 0 $((n - 1)) | shuffle "$shuffle_seed")
	together a "$a/fuzz/$target"
	together b "$b/fuzz/$target"
	echo "determinism: $target: $n inputs, identical traces, exit statuses and reports ($a, $b), alone and all in one process in a shuffled order (seed $shuffle_seed)"
done < <(pt_targets)
