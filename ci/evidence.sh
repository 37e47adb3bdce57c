#!/usr/bin/env bash
# ci/evidence.sh - the evidence table of the bug catalogue, from real runs
# (the nightly job: ci/fuzz.sh --mode nightly runs it).
#
# Usage: bash ci/evidence.sh [--build-dir DIR] [--k K | --seeds "1 2 3"]
#                            [--only B3,fault11,...] [--jobs N] [--write]
#
#   --build-dir DIR  the `fuzz` preset's tree (default build/evidence),
#                    configured here; only the searches' binaries are built
#   --k K            seeds 1..K (default 5)
#   --seeds LIST     these seeds instead
#   --only X,...     only these bugs and faults (B3, fault11, ...)
#   --jobs N         N searches at once (default 1): the seeds of one bug
#                    or fault run side by side; the table is the same
#   --write          also replace the table of fuzz/bugs/EVIDENCE.md (between
#                    its evidence:begin and evidence:end markers)
#
# Every search of DIR/mutants.tsv (each driver bug of
# fuzz/bugs/catalogue.tsv, nightly ones included, and each pt_add_mutant())
# runs once per seed, as its ctest does but with -seed=<seed>: the same
# ci/expect_finding.sh command, the same execution budget, the same corpus
# (driver bugs: the shipped corpus/fuzz_condis/; core faults: empty), one
# process at a time unless --jobs says more. A run counts as found only on
# the causal verdict: the minimised finding fails when replayed with the
# bug or fault on and passes with it off, deterministically. Per bug or fault the table gives
# found/k, the spread (min / median / max) of the executions to detection
# over the seeds that found it (stat::number_of_executed_units), the count
# of each seed (NOT: no causal finding), what the searches' findings and
# the minimised findings named (rule or report, with counts) and on how
# many seeds that was the catalogue's usual report (information, not a
# condition). The MISSES
# searches get their own table: no finding in their whole budget on every
# seed.
#
# Prints the Markdown tables on stdout and each run's verdict on stderr.
# Exit status 1 if any search was not found causally (or, for MISSES, was
# found) on some seed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

build=$PT_ROOT/build/evidence
seeds="1 2 3 4 5"
only=
only_arg=
write=0
jobs=1
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) build=${2:-}; shift 2 || exit 2 ;;
	--k)
		case "${2:-}" in '' | *[!0-9]* | 0) pt_log "--k wants a count > 0"; exit 2 ;; esac
		seeds=$(seq -s ' ' 1 "$2")
		shift 2
		;;
	--seeds) seeds=${2:-}; shift 2 || exit 2 ;;
	--only) only=,${2:-},; only_arg=${2:-}; shift 2 || exit 2 ;;
	--write) write=1; shift ;;
	--jobs) jobs=${2:-}; shift 2 || exit 2 ;;
	-h | --help) usage; exit 0 ;;
	*) pt_log "unknown argument $1"; usage >&2; exit 2 ;;
	esac
done
want() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }
case "$jobs" in '' | *[!0-9]* | 0) pt_log "--jobs wants a number >= 1"; exit 2 ;; esac
k=$(wc -w <<<"$seeds")
[ "$k" -gt 0 ] || { pt_log "no seeds"; exit 2; }

mkdir -p "$build" && build=$(cd "$build" && pwd) || exit 2
pt_build_mutants "$build" || { pt_log "build failed"; exit 2; }
# The ctests' minimisation budget.
min_runs=$(sed -n 's/^PT_MINIMIZE_RUNS:STRING=//p' "$build/CMakeCache.txt")
min_runs=${min_runs:-1000}
work=$build/evidence-work
rm -rf "$work" && mkdir -p "$work" || exit 2

# spread "v1 v2 ..." -> "min / median / max" (the lower median of an even
# count), "-" for none.
spread() {
	local s n
	s=$(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n)
	n=$(sed '/^$/d' <<<"$s" | wc -l)
	[ "$n" -gt 0 ] || { echo -; return; }
	echo "$(head -n 1 <<<"$s") / $(sed -n "$(((n + 1) / 2))p" <<<"$s") / $(tail -n 1 <<<"$s")"
}

# tally "a|b|a" -> "a x2, b" (most frequent first)
tally() {
	tr '|' '\n' <<<"$1" | sed '/^$/d' | sort | uniq -c | sort -k1,1nr -k2 |
		awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s%s%s", sep, $0, (n > 1 ? " x" n : ""); sep = ", " }'
}

rows=()
misses=()
others=()
fails=0
t_start=$(date +%s)
while IFS=$'\t' read -r name x target on off runs usual label corpus kind what _; do
	want "$x" || continue
	found=0 match=0 execs= named= fnamed= fmatch=0 whys= per=
	# The seeds' searches, --jobs at a time (each a process of its own:
	# its verdict is a function of the search alone), then read in seed
	# order.
	running=0
	for seed in $seeds; do
		d=$work/$name-$seed
		args=(--dir "$d" --x "$x" --on "$on" --off "$off" --seed "$seed"
			--runs "$runs" --minimize-runs "$min_runs")
		[ "$corpus" = - ] || args+=(--corpus "$corpus")
		if [ "$kind" = misses ]; then
			args+=(--misses)
		else
			args+=(--usual "$usual")
		fi
		bash "$PT_ROOT/ci/expect_finding.sh" "${args[@]}" </dev/null \
			>"$d.log" 2>&1 &
		running=$((running + 1))
		if [ "$running" -ge "$jobs" ]; then
			wait -n
			running=$((running - 1))
		fi
	done
	wait
	for seed in $seeds; do
		d=$work/$name-$seed
		declare -A V=()
		while IFS='=' read -r key v; do V[$key]=$v; done <"$d/verdict"
		if [ "${V[result]}" = ok ]; then
			per="$per, ${V[execs]}"
			found=$((found + 1))
			execs="$execs ${V[execs]}"
			named="$named|${V[named]}"
			fnamed="$fnamed|${V[found_named]}"
			[ "${V[usual_match]}" = yes ] && match=$((match + 1))
			[ "${V[found_usual_match]}" = yes ] && fmatch=$((fmatch + 1))
			if [ "$kind" = find ] && { [ "${V[usual_match]}" = no ] ||
				[ "${V[found_usual_match]}" = no ]; }; then
				others+=("$x seed $seed: the search's finding names ${V[found_named]}, minimised ${V[named]}; usual: $(pt_catch_text "$usual")")
			fi
			pt_log "$x seed $seed: ok: ${V[why]} after ${V[execs]} executions${V[named]:+, ${V[named]}}"
		else
			per="$per, NOT"
			whys="$whys|${V[why]}"
			pt_log "$x seed $seed: NOT FOUND: ${V[why]}"
		fi
		unset V
	done
	[ "$found" -eq "$k" ] || fails=$((fails + 1))
	[ "$label" = mutants ] || what="$what ($label)"
	# Sort key: bugs by number, then faults by id.
	key=${x/B/0 }
	key=${key/fault/1 }
	if [ "$kind" = misses ]; then
		misses+=("$key	| $x | ${target} | $what | $runs | $found/$k |")
	else
		rows+=("$key	| $x | $what | $(pt_catch_text "$usual") | $found/$k | $(spread "$execs") | ${per#, } | $(tally "$fnamed") ($fmatch/$found usual) | $(tally "$named") ($match/$found usual) |")
	fi
done <"$build/mutants.tsv"
t_all=$(($(date +%s) - t_start))

ncorpus=$(pt_count_files "$PT_ROOT/corpus/fuzz_condis")
bug_runs=$(awk -F'\t' '$2 ~ /^B/ { print $6; exit }' "$build/mutants.tsv")
table=$(
	echo "| bug | what | usual report (info) | found | execs to detection: min / median / max | per seed | the search's finding names | minimised, it names |"
	echo "|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}" | sort -t'	' -k1,1V | cut -f2-
	if [ ${#misses[@]} -gt 0 ]; then
		echo
		echo "| fault | missed by | what | runs | no finding |"
		echo "|---|---|---|---|---|"
		printf '%s\n' "${misses[@]}" | sort -t'	' -k1,1V | cut -f2-
	fi
	echo
	echo "Generated by \`bash ci/evidence.sh${only_arg:+ --only $only_arg}" \
		"--write\` on $(date -u +%Y-%m-%d), commit" \
		"$(git -C "$PT_ROOT" rev-parse --short HEAD), $(nproc) cores, $jobs" \
		"search(es) at a time, seeds $seeds, $t_all s in all. Budgets are the" \
		"ctests': driver bugs -runs=${bug_runs:-?} from the" \
		"$ncorpus inputs of corpus/fuzz_condis/, core faults the RUNS of" \
		"their pt_add_mutant() from an empty corpus; minimisation" \
		"-minimize_crash=1 -runs=$min_runs."
)
printf '%s\n' "$table"
if [ ${#others[@]} -gt 0 ]; then
	echo
	echo "Found through another report than the usual one (the search's finding or the minimised one):"
	printf '  %s\n' "${others[@]}"
fi

if [ "$write" = 1 ]; then
	doc=$PT_ROOT/fuzz/bugs/EVIDENCE.md
	awk -v table="$table" '
		/evidence:begin/ { print; print table; skip = 1; next }
		/evidence:end/ { skip = 0 }
		!skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
	pt_log "wrote $doc"
fi
[ "$fails" -eq 0 ] || pt_log "$fails search(es) not as claimed on every seed"
[ "$fails" -eq 0 ]
