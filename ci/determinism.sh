#!/usr/bin/env bash
# ci/determinism.sh - same input, same run, same trace: on every build, and
# in any order among other inputs (no state leaks from one input to the
# next).
#
# Usage: bash ci/determinism.sh [--shuffle-seed N] [--alone N] [--target T
#                                [--inputs DIR]...] [BUILD_A [BUILD_B]]
#   (defaults: build/replay, gcc without libFuzzer, and build/fuzz, clang
#   with libFuzzer; both must be built, as ci/test.sh does; shuffle seed 1;
#   256 inputs alone per target; every target of ci/fuzz_targets, or only
#   T; the inputs of corpus/T/ and regress/T/, or those of the DIRs, e.g. a
#   work corpus of ci/fuzz.sh)
#
# For every target T of ci/fuzz_targets and every input of corpus/T/ and
# regress/T/, with FUZZ_VERBOSE=1, -timeout=25 and -detect_leaks=0 (a run
# that mallocs more than it frees would otherwise run twice under
# libFuzzer), what an input gives is its trace (stdout), its exit status
# and its report (the verdict lines of stderr, ci/lib.sh pt_verdict:
# addresses and pids normalised):
#   1. together: per build, ONE process runs every input of T, in an order
#      shuffled with a fixed seed (printed; --shuffle-seed to change it),
#      and another in the reverse of that order. Each process's stdout is
#      split at the "== input: <n> bytes" line that opens each input's
#      trace (fuzz_util.h pf_trace_input), its stderr at the runner's
#      "Running:" line. An input that fails ends the process (its exit
#      status is the input's): the inputs after it run in a fresh
#      process, in the same order;
#   2. every input gives the same in both orders (no state leaks from the
#      inputs before it), and the same through both builds (traces
#      byte-for-byte equal, both exit 0 or both non-zero, the same
#      report);
#   3. alone: the first N inputs of the shuffled order (every input when T
#      has at most N; --alone N, default 256) also run each in a process
#      of its own through each build, and must give what they gave
#      together. A process per input costs far more than the input: the
#      corpora of long campaigns hold thousands.
# Prints one line per target and exits 1 at the first difference, showing
# it.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PT_ROOT" || exit 1

shuffle_seed=1
alone_max=256
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
	--alone) alone_max=${2:-}; shift 2 || exit 2 ;;
	--alone=*) alone_max=${1#*=}; shift ;;
	--target) only=${2:-}; shift 2 || exit 2 ;;
	--inputs) inputs+=("${2:-}"); shift 2 || exit 2 ;;
	-*) pt_die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
case "$shuffle_seed" in '' | *[!0-9]*) pt_die "--shuffle-seed wants a number" ;; esac
case "$alone_max" in '' | *[!0-9]*) pt_die "--alone wants a number" ;; esac
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

# alone DIR BIN K: input K run by itself through BIN: DIR/K.out (trace),
# DIR/K.verdict, DIR/K.rc.
alone() {
	local p=$1/$3
	FUZZ_VERBOSE=1 "$2" -detect_leaks=0 -timeout=25 "${files[$3]}" >"$p.out" 2>"$p.err"
	echo $? >"$p.rc"
	pt_verdict "$p.err" >"$p.verdict"
	rm -f "$p.err"
}

differ() {
	echo "determinism: $target: $1"
	shift
	[ $# -eq 0 ] || diff "$@" | head -n 12
	exit 1
}

# together DIR BIN ORDER...: every input of files[] in the ORDER given
# (indexes), in as few processes as failures allow (an input that fails
# ends its process; the rest run in a fresh one). Input K gives DIR/K.out
# (its trace), DIR/K.verdict and DIR/K.rc (0, or the exit status of the
# process it ended). A fixed number of processes per run, none per input:
# the "Running:" lines become markers that pt_verdict keeps, and one awk
# splits stdout and the verdicts at them.
together() {
	local dir=$1 bin=$2 start=0 i ran rc q=$tmp/all
	shift 2
	local -a ord=("$@")
	local n=${#ord[@]}
	mkdir -p "$dir"
	while [ "$start" -lt "$n" ]; do
		local -a batch=()
		: >"$q.expect"
		for ((i = start; i < n; i++)); do
			batch+=("${files[${ord[i]}]}")
			printf '%s\t%s\n' "${ord[i]}" "${files[${ord[i]}]}" >>"$q.expect"
		done
		FUZZ_VERBOSE=1 "$bin" -detect_leaks=0 -timeout=25 "${batch[@]}" \
			>"$q.out" 2>"$q.err"
		rc=$?
		sed -E 's/^Running: /partyfuzz: @@input@@ /' "$q.err" | pt_verdict >"$q.verdict"
		ran=$(awk -F'\t' -v dir="$dir" -v rc="$rc" -v outf="$q.out" -v verf="$q.verdict" '
			FILENAME == ARGV[1] { k[NR] = $1; path[NR] = $2; next }
			END {
				# stdout: an input opens with "== input: " (the
				# runner prints it first).
				i = 0
				while ((getline l < outf) > 0) {
					if (l ~ /^== input: /) { i++; o = dir "/" k[i] ".out"; printf "" > o }
					if (i > 0) print l > o
				}
				j = 0
				while ((getline l < verf) > 0) {
					if (l ~ /^partyfuzz: @@input@@ /) {
						j++
						p = substr(l, 22); sub(/ \(.*$/, "", p)
						if (p != path[j]) { print "bad " j " " p; exit }
						v = dir "/" k[j] ".verdict"; printf "" > v
						continue
					}
					if (j > 0) print l > v
				}
				for (m = 1; m <= j; m++) {
					f = dir "/" k[m]
					if (i < m) printf "" > (f ".out")
					print (m < j ? 0 : rc) > (f ".rc")
					close(f ".rc"); close(f ".out"); close(f ".verdict")
				}
				print j
			}' "$q.expect")
		case "$ran" in
		bad*) differ "$dir: input ${ran#bad } of the run is not the input expected" ;;
		esac
		[ "$ran" -ge 1 ] || differ "$dir: the run of ${#batch[@]} inputs ran none (exit $rc)" /dev/null "$q.err"
		[ "$rc" -ne 0 ] || [ "$ran" -eq "${#batch[@]}" ] ||
			differ "$dir: the run of ${#batch[@]} inputs exited 0 after $ran of them"
		start=$((start + ran))
	done
}

# agree A B WHAT [zero]: every input's trace, report and exit status in
# run A and in run B (directories of together() or alone()) agree, for the
# inputs of A; the exit statuses only in being zero or not with "zero"
# (two builds' runners exit non-zero with their own codes).
agree() {
	local a=$1 b=$2 what=$3 f k ra rb
	for f in "$a"/*.out; do
		k=${f##*/}
		k=${k%.out}
		cmp -s "$a/$k.out" "$b/$k.out" ||
			differ "${files[k]}: its trace $what differs:" "$a/$k.out" "$b/$k.out"
		cmp -s "$a/$k.verdict" "$b/$k.verdict" ||
			differ "${files[k]}: its report $what differs:" "$a/$k.verdict" "$b/$k.verdict"
		read -r ra <"$a/$k.rc"
		read -r rb <"$b/$k.rc"
		if [ "${4:-}" = zero ]; then
			[ $((ra == 0)) -eq $((rb == 0)) ] || differ "${files[k]}: exits $ra and $rb $what"
		else
			[ "$ra" -eq "$rb" ] || differ "${files[k]}: exits $ra and $rb $what"
		fi
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
	mapfile -t order < <(seq 0 $((n - 1)) | shuffle "$shuffle_seed")
	reverse=()
	for ((i = n - 1; i >= 0; i--)); do
		reverse+=("${order[i]}")
	done
	alone_n=$n
	[ "$n" -le "$alone_max" ] || alone_n=$alone_max
	rm -rf "${tmp:?}"/[ab].*
	for t in a b; do
		bin=$a/fuzz/$target
		[ "$t" = a ] || bin=$b/fuzz/$target
		together "$tmp/$t.fwd" "$bin" "${order[@]}"
		together "$tmp/$t.rev" "$bin" "${reverse[@]}"
		mkdir -p "$tmp/$t.alone"
		for ((i = 0; i < alone_n; i++)); do
			alone "$tmp/$t.alone" "$bin" "${order[i]}"
		done
		agree "$tmp/$t.fwd" "$tmp/$t.rev" "($t) in one process, shuffled and in the reverse order"
		agree "$tmp/$t.alone" "$tmp/$t.fwd" "($t) alone and in one process with the others"
	done
	agree "$tmp/a.fwd" "$tmp/b.fwd" "between $a and $b" zero
	echo "determinism: $target: $n inputs, identical traces, exit statuses and reports ($a, $b), all in one process in a shuffled order (seed $shuffle_seed) and in its reverse, $alone_n of them alone too"
done < <(pt_targets)
