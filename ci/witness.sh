#!/usr/bin/env bash
# ci/witness.sh - write the witnesses: per planted bug and fault, one
# minimised finding that is caused by it, kept in regress/.
#
# Usage: bash ci/witness.sh [--build-dir DIR] [--only X,...]
#                           [--minimize-runs N]
#
#   --build-dir DIR     the `fuzz` preset's tree (default build/fuzz);
#                       configured and built here (only the binaries the
#                       searches need)
#   --only X,...        only these (B13, fault1, ...)
#   --minimize-runs N   -minimize_crash=1 budget (default 20000; the ctest
#                       uses PT_MINIMIZE_RUNS, 1000)
#
# For every search of DIR/mutants.tsv that claims a finding (each bug of
# fuzz/bugs/catalogue.tsv, each pt_add_mutant() without MISSES) it runs the
# ctest's search (ci/expect_finding.sh: seed 1, the same execution budget
# and corpus) with the larger minimisation budget, and when the minimised
# finding is causal (fails with X on, passes with X off, deterministically)
# writes, for target T:
#   regress/T/witness-X                 the input, binary as libFuzzer wrote
#                                       it (T_replay replays it with X off)
#   regress/T.witness/witness-X.expect  X, how it is switched on and off,
#                                       the `report:` lines the replay with
#                                       X on must print (ctest
#                                       <search>_witness compares them),
#                                       the rule it names against the
#                                       catalogue's usual one, the search,
#                                       the commit
#   regress/T.witness/witness-X.trace   the program as text (CoNDIS
#                                       targets), the FUZZ_VERBOSE trace and
#                                       the normalised report with X on, for
#                                       a reader (not compared)
# and the witness table of regress/README.md (between its witness:begin
# and witness:end markers). A witness whose search found nothing causal
# is left as it was, and the run exits 1. Review with git diff, commit to
# keep.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

build=$PT_ROOT/build/fuzz
only=
min_runs=20000
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) build=${2:-}; shift 2 || exit 2 ;;
	--only) only=,${2:-},; shift 2 || exit 2 ;;
	--minimize-runs) min_runs=${2:-}; shift 2 || exit 2 ;;
	-h | --help) usage; exit 0 ;;
	*) pt_log "unknown argument $1"; usage >&2; exit 2 ;;
	esac
done
want() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }

pt_build_mutants "$build" || exit 2
tool=$build/fuzz/harness/partyfuzz
work=$build/witness-work
rm -rf "$work" && mkdir -p "$work" || exit 2
commit=$(git -C "$PT_ROOT" rev-parse --short HEAD)
git -C "$PT_ROOT" diff --quiet HEAD -- core fuzz || commit="$commit+changes"

fails=0
while IFS=$'\t' read -r name x target on off runs usual label corpus kind what _; do
	[ "$kind" = find ] && want "$x" || continue
	d=$work/$name
	args=(--dir "$d" --x "$x" --on "$on" --off "$off" --seed 1
		--runs "$runs" --usual "$usual" --minimize-runs "$min_runs")
	[ "$corpus" = - ] || args+=(--corpus "$corpus")
	if ! bash "$PT_ROOT/ci/expect_finding.sh" "${args[@]}" </dev/null \
		>"$d.log" 2>&1; then
		pt_log "$x: no causal finding; regress/$target/witness-$x left as it was:"
		tail -n 5 "$d.log" >&2
		fails=$((fails + 1))
		continue
	fi
	declare -A V=()
	while IFS='=' read -r k v; do V[$k]=$v; done <"$d/verdict"
	w=regress/$target/witness-$x
	mkdir -p "$PT_ROOT/regress/$target" "$PT_ROOT/regress/$target.witness"
	cp "${V[input]}" "$PT_ROOT/$w"
	on_env=
	if [[ "$x" == B* || "$x" == [A-Z]B[0-9]* ]]; then
		on_env="PF_BUG=$x "
		on_how="PF_BUG=$x ${on##*/}"
		off_how="${off##*/}, PF_BUG unset"
	else
		on_how="${on##*/} (-DPT_FAULT=${x#fault})"
		off_how="${off##*/} (no fault), PF_BUG unset"
	fi
	match=${V[usual_match]}
	[ "$match" != no ] || match="no (info only)"
	{
		echo "# $w: the witness of $x (ci/witness.sh; do not edit by hand)."
		echo "# ctest ${name}_witness: with X on the replay must fail with"
		echo "# exactly the report: lines; with X off it must pass."
		echo "x: $x"
		echo "what: $what"
		echo "on: $on_how"
		echo "off: $off_how"
		echo "named: ${V[named]}"
		echo "usual: $(pt_catch_text "$usual"): $match"
		echo "search: ctest $name, seed 1, found after ${V[execs]} executions (${V[found_named]}), ${V[bytes]} bytes, minimised to ${V[min_bytes]} (-minimize_crash=1 -runs=$min_runs)"
		echo "commit: $commit"
		echo "replay: ${on_env}FUZZ_VERBOSE=1 build/fuzz/fuzz/${on##*/} $w"
		sed 's/^/report: /' "$d/on1.verdict"
	} >"$PT_ROOT/regress/$target.witness/witness-$x.expect"
	{
		if [[ "$target" == fuzz_condis* ]] && [ -x "$tool" ]; then
			echo "--- the program (partyfuzz decode $w) ---"
			"$tool" decode "${V[input]}" 2>&1
		fi
		echo "--- FUZZ_VERBOSE trace with $x on (stdout) ---"
		cat "$d/on1.out"
		echo "--- report with $x on (stderr, normalised) ---"
		sed -E -e 's/==[0-9]+==/==PID==/g' -e 's/0x[0-9a-fA-F]+/0xADDR/g' \
			-e "s|$PT_ROOT/||g" -e "s|$d/[^ ]*|FILE|g" \
			-e 's/ \(BuildId: [0-9a-f]*\)//' -e 's/[0-9]+ ms/N ms/g' \
			-e '/^(INFO:|Running:|Executed |MS: |stat::|Base64:|NOTE:|  *Combine libFuzzer)/d' \
			"$d/on1.err" | head -n 80
	} >"$PT_ROOT/regress/$target.witness/witness-$x.trace"
	pt_log "$x: $w (${V[min_bytes]} bytes): with $x on ${V[named]}, usual: $match"
	unset V
done <"$build/mutants.tsv"

# The table of regress/README.md, from every .expect there is.
doc=$PT_ROOT/regress/README.md
table=$(
	echo "| witness | planted | with it on (ctest \`<search>_witness\`) | search | commit |"
	echo "|---|---|---|---|---|"
	for e in "$PT_ROOT"/regress/*.witness/witness-*.expect; do
		[ -f "$e" ] || continue
		t=${e%.witness/*}
		t=${t##*/}
		n=$(basename "$e" .expect)
		g() { sed -n "s/^$1: //p" "$e" | head -n 1; }
		echo "| \`$t/$n\` ([trace]($t.witness/$n.trace)) | $(g x): $(g what) | fails naming $(g named) (usual: $(g usual)); passes with it off | $(g search | sed 's/, minimised.*//') | $(g commit) |"
	done | sort -t'|' -k2,2V
)
if grep -q 'witness:begin' "$doc"; then
	awk -v table="$table" '
		/witness:begin/ { print; print table; skip = 1; next }
		/witness:end/ { skip = 0 }
		!skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
	pt_log "wrote the witness table of $doc"
else
	pt_log "$doc has no witness:begin/witness:end markers; table not written"
fi
[ "$fails" -eq 0 ]
