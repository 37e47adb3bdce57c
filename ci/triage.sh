#!/usr/bin/env bash
# ci/triage.sh - turn raw fuzzer findings into deduplicated regress entries.
#
# Usage: bash ci/triage.sh --target T --bin FUZZER [--out DIR] [--save]
#                          [--runs N] [--tool PARTYFUZZ] FINDING...
#
#   --target T       the fuzz target (names the regress/T/ directory)
#   --bin FUZZER     its libFuzzer binary (minimises and replays)
#   --out DIR        where entries go (default: the work dir given by
#                    ci/fuzz.sh; with --save, regress/)
#   --save           write into the source tree: regress/T/ and
#                    regress/T.triage/ (review, then commit)
#   --runs N         bound of -minimize_crash=1 (-runs=N, default 20000;
#                    at most 60 s per finding either way)
#   --tool PATH      the `partyfuzz` command; its `replay --target=T FILE`
#                    gives the trace of fuzz_condis* targets (default:
#                    found in the build tree next to FUZZER, if built)
#   -h, --help       this text
#
# For each FINDING (a crash-/timeout-/oom-/leak- file of libFuzzer):
#   1. minimise it: FUZZER -minimize_crash=1 -runs=N (crash- files only;
#      the original is kept when minimisation finds nothing smaller);
#   2. replay it 5 times through FUZZER (FUZZ_VERBOSE=1) and keep the
#      text trace (its output, plus `partyfuzz replay --target=T` for the
#      fuzz_condis* targets when the tool is built), normalised
#      (pids, addresses, timings, paths removed). Failing with the same
#      trace 5 times: deterministic. Otherwise it is flagged
#      NONDETERMINISTIC (traces differ, or only some replays fail) or
#      UNREPRODUCIBLE (no replay fails), and still written, with every
#      trace, so a human decides;
#   3. key it for deduplication: the violated rule and the protocol state
#      when the verifier names one (lines `partyfuzz: RULE <id> (...):
#      <fn>: ... party=<S> vc=<V>`: key rule:<id>:<fn>:<S>:<V>); else the
#      oracle's verdict (`T: MISMATCH at step N: what`: mismatch:<what>);
#      else the sanitizer's error kind and top 3 frames of the stack;
#   4. unless an entry of regress/T.triage/ (status known), of
#      OUT/T.triage/ or an earlier finding of this run (status dup) has
#      the same key, writes (status new)
#        OUT/T/<id>-<slug>            the minimised input (the next
#                                     `<T>_replay` ctest replays it)
#        OUT/T.triage/<id>-<slug>.trace   its normalised trace
#        OUT/T.triage/<id>-<slug>.expect  expected outcome: key, exit
#                                     status class, the line that names it,
#                                     determinism, sizes, source finding
#        OUT/T.triage/<id>-<slug>.html    its picture (`partyfuzz show`:
#                                     one self-contained HTML file, open
#                                     it in a browser), for every target
#                                     but fuzz_party_table, when the tool
#                                     is built
#      <id> is the first 8 hex digits of the SHA-1 of the key (stable: the
#      same bug gets the same id on every machine), <slug> a readable form
#      of the key. Traces and expectations live in T.triage/, not next to
#      the input in T/: every file of regress/T/ is replayed as an input.
# Prints a summary table: entry, key, determinism, bytes before -> after,
# new or duplicate, and the picture of each new entry (or -). Exits 0 when every finding was triaged, 2 on usage
# errors.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

target=
bin=
out=
save=0
runs=20000
tool=
while [ $# -gt 0 ]; do
	case "$1" in
	--target) target=${2:-}; shift 2 || exit 2 ;;
	--bin) bin=${2:-}; shift 2 || exit 2 ;;
	--out) out=${2:-}; shift 2 || exit 2 ;;
	--save) save=1; shift ;;
	--runs) runs=${2:-}; shift 2 || exit 2 ;;
	--tool) tool=${2:-}; shift 2 || exit 2 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	-*) pt_log "unknown argument $1"; usage >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$target" ] && [ -x "$bin" ] && [ $# -gt 0 ] || { usage >&2; exit 2; }
case "$runs" in '' | *[!0-9]*) pt_log "--runs wants a count"; exit 2 ;; esac
if [ "$save" -eq 1 ]; then
	out=$PT_ROOT/regress
elif [ -z "$out" ]; then
	pt_log "--out DIR or --save is required"
	exit 2
fi
if [ -z "$tool" ]; then
	# fuzz/harness/CMakeLists.txt builds `partyfuzz` in the same tree.
	tool=$(find "$(dirname "$bin")" -maxdepth 3 -type f -name partyfuzz \
		-perm -u+x 2>/dev/null | head -n 1)
fi
mkdir -p "$out/$target" "$out/$target.triage" || exit 2
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT

# normalise: what varies between identical runs or machines goes (pids,
# addresses, build ids, timings, paths of this run's files, of the tree
# and of the binary).
normalise() {
	sed -E -e 's/==[0-9]+==/==PID==/g' -e 's/0x[0-9a-fA-F]+/0xADDR/g' \
		-e "s|$scratch/[^ ]*|FILE|g" -e "s|$bin|$target|g" \
		-e "s|$PT_ROOT/||g" -e 's/ \(BuildId: [0-9a-f]*\)//' \
		-e '/^(INFO:|Running:|Executed |MS: |stat::|Base64:|base unit:|artifact_prefix|Test unit written|SUMMARY: libFuzzer)/d' \
		-e '/^ *NEW_FUNC/d' -e 's/[0-9]+ ms/N ms/g' -e 's/pid [0-9]+/pid N/g'
}

# trace FILE: one replay (stdout): the fuzzer's own output on FILE, then
# for fuzz_condis* targets, when the tool is built, `partyfuzz replay`'s
# step-by-step trace. The fuzzer's exit status goes to $scratch/rc: the
# tool exits non-zero whenever a rule fires, which the adversary target
# expects, so only the fuzzer says whether the input fails.
trace() {
	FUZZ_VERBOSE=1 "$bin" "$1" >"$scratch/raw" 2>&1
	echo "$?" >"$scratch/rc"
	normalise <"$scratch/raw"
	case "$target" in
	fuzz_condis*)
		[ -n "$tool" ] || return 0
		echo "--- partyfuzz replay --target=$target ---"
		"$tool" replay --target="$target" "$1" 2>&1 | normalise
		;;
	esac
}

# picture FILE HTML: the finding as a picture (partyfuzz show), for the
# targets it can draw; 0 if HTML was written whole. The tool runs the input
# in-process (fuzz_condis*) or through FUZZER (the others), with
# the environment of this run (a planted PF_BUG stays planted).
# It runs from the root, so the picture names the input by its path in
# the tree (regress/T/<entry>), never by this machine's.
picture() {
	local in html t b
	[ -n "$tool" ] || return 1
	in=$(realpath "$1") && html=$(realpath -m "$2") &&
		t=$(realpath "$tool") && b=$(realpath "$bin") || return 1
	in=${in#"$PT_ROOT"/}
	case "$target" in
	fuzz_condis | fuzz_condis_adversary)
		(cd "$PT_ROOT" && "$t" show --target="$target" -o "$html" "$in") \
			>/dev/null 2>&1 ;;
	fuzz_party_table) return 1 ;; # its FUZZ_VERBOSE trace is the run
	*)
		# fuzz_table_sched, fuzz_wdk_style, a driver fuzzer: FUZZER
		# draws its own run (PF_SHOW).
		(cd "$PT_ROOT" && "$t" show --target="$target" --bin="$b" \
			-o "$html" "$in") >/dev/null 2>&1 ;;
	esac
	# A run that died under ASan exits non-zero, picture written.
	[ -s "$html" ] && tail -n 1 "$html" | grep -q '</html>\|]}'
}

# key_of TRACE: the deduplication key (stdout) and, in $scratch/line, the
# line that names the finding.
key_of() {
	local l k
	l=$(grep -m 1 -oE 'partyfuzz: RULE .*' "$1")
	if [ -n "$l" ]; then
		k=$(sed -E 's/^partyfuzz: RULE ([^ ]+) \([^)]*\): ([^:]+):.* party=([^ ]+) vc=([^ ]+).*/rule:\1:\2:\3:\4/' <<<"$l")
		case "$k" in rule:*) ;; *) k="rule:$(awk '{ print $3 }' <<<"$l")" ;; esac
	else
		l=$(grep -m 1 -E 'MISMATCH' "$1")
		if [ -n "$l" ]; then
			k="mismatch:$(sed -E 's/.*MISMATCH( at step [0-9]+)?: *//; s/: table .*//; s/[0-9]+/N/g' <<<"$l")"
		else
			l=$(grep -m 1 -E 'ERROR: (Address|Undefined|Leak|Memory|Thread)Sanitizer|runtime error:|ERROR: libFuzzer|TIMEOUT|out-of-memory' "$1")
			k="san:$(sed -E 's/.*ERROR: //; s/.*runtime error: /ubsan: /; s/ on address.*//; s/ at pc.*//; s/[0-9]+/N/g' <<<"${l:-no error line}")"
			k="$k:$(grep -E '^ *#[0-9]+ 0xADDR in ' "$1" | head -n 3 |
				sed -E 's/.* in ([^ ]+).*/\1/' | paste -sd, -)"
		fi
	fi
	printf '%s\n' "${l:-}" >"$scratch/line"
	tr -s ' \t' '__' <<<"$k"
}

slug_of() {
	tr 'A-Z' 'a-z' <<<"$1" | sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//' |
		cut -c1-48 | sed -E 's/-+$//'
}

# Keys already kept: in regress/ (status "known") and in OUT ("dup").
declare -A known=() where=()
for e in "$PT_ROOT/regress/$target.triage"/*.expect "$out/$target.triage"/*.expect; do
	[ -f "$e" ] || continue
	k=$(sed -n 's/^key: //p' "$e")
	[ -n "$k" ] && [ -z "${known[$k]:-}" ] || continue
	known[$k]=$(basename "$e" .expect)
	case "$e" in "$PT_ROOT/regress/"*) where[$k]=known ;; *) where[$k]=dup ;; esac
done

rows=()
for f in "$@"; do
	[ -f "$f" ] || { pt_log "no file $f"; continue; }
	name=${f##*/}
	size0=$(wc -c <"$f")
	min=$scratch/min
	cp "$f" "$min"
	case "$name" in
	crash-* | leak-*)
		# Exits non-zero (the input still crashes): success is a file.
		rm -f "$scratch/minimised"
		"$bin" -minimize_crash=1 -runs="$runs" -max_total_time=60 \
			-exact_artifact_path="$scratch/minimised" "$f" \
			>"$scratch/minimise.log" 2>&1
		[ -s "$scratch/minimised" ] && mv "$scratch/minimised" "$min"
		;;
	esac
	size1=$(wc -c <"$min")
	# Five replays; the first trace is the reference.
	det=yes
	fails=0
	for i in 1 2 3 4 5; do
		trace "$min" >"$scratch/t$i"
		[ "$(cat "$scratch/rc")" -eq 0 ] || fails=$((fails + 1))
		[ "$i" -eq 1 ] && rc1=$(cat "$scratch/rc")
		if ! cmp -s "$scratch/t1" "$scratch/t$i"; then
			det="NONDETERMINISTIC (trace $i differs from trace 1)"
		fi
	done
	if [ "$fails" -eq 0 ]; then
		det="UNREPRODUCIBLE (no replay of 5 failed)"
	elif [ "$fails" -lt 5 ]; then
		det="NONDETERMINISTIC ($fails of 5 replays failed)"
	fi
	key=$(key_of "$scratch/t1")
	id=$(printf '%s' "$key" | sha1sum | cut -c1-8)
	entry=$id-$(slug_of "${key%%:*}-${key#*:}")
	if [ -n "${known[$key]:-}" ]; then
		rows+=("$(printf '%-40s %-8s %-5s %6s -> %-6s %-46s %s' "${known[$key]}" "${where[$key]}" \
			"${det%% *}" "$size0" "$size1" - "$key")")
		continue
	fi
	known[$key]=$entry
	where[$key]=dup
	cp "$min" "$out/$target/$entry"
	{
		cat "$scratch/t1"
		if [ "$det" != yes ]; then
			for i in 2 3 4 5; do
				echo "--- replay $i ---"
				cat "$scratch/t$i"
			done
		fi
	} >"$out/$target.triage/$entry.trace"
	{
		echo "key: $key"
		if [ "$rc1" -ne 0 ]; then
			echo "outcome: fails (exit $rc1)"
		else
			echo "outcome: passes (exit 0): the finding does not reproduce"
		fi
		echo "line: $(cat "$scratch/line")"
		echo "deterministic: $det"
		echo "bytes: $size0 -> $size1 (minimised)"
		echo "from: $name"
		echo "replay: FUZZ_VERBOSE=1 build/fuzz/fuzz/$target regress/$target/$entry"
	} >"$out/$target.triage/$entry.expect"
	pic=-
	if picture "$out/$target/$entry" "$out/$target.triage/$entry.html"; then
		pic=$target.triage/$entry.html
	fi
	rows+=("$(printf '%-40s %-8s %-5s %6s -> %-6s %-46s %s' "$entry" new \
		"${det%% *}" "$size0" "$size1" "$pic" "$key")")
done

echo
echo "triage of $target: $# finding(s) -> $out/$target/"
printf '%-40s %-8s %-5s %16s %-46s %s\n' entry status det bytes picture key
printf '%s\n' "${rows[@]}"
