#!/usr/bin/env bash
# ci/fuzz.sh - the main job of partyfuzz: time-boxed fuzzing of every target.
#
# Usage: bash ci/fuzz.sh [--mode main|pr|nightly|prune] [--prune]
#                        [--time SECONDS] [--total-time SECONDS]
#                        [--jobs N] [--timeout SECONDS] [--targets a,b]
#                        [--update-corpus] [--progress SECONDS]
#                        [--work-dir DIR] [--build-dir DIR] [--evidence-k K]
#
# Modes (what CI runs when; every budget flag below overrides the mode's):
#   main     (default) every target 60 s, all cores, collects every crash
#            of the budget (-ignore_crashes=1) and goes on to the next
#            target. The README's `bash ci/fuzz.sh`.
#   pr       pull requests: every target 30 s, all cores, and the run
#            STOPS at the first finding (libFuzzer stops the fork pool on
#            the first crash, the remaining targets are skipped): a PR
#            needs one reproducer, fast.
#   nightly  every target 3600 s, all cores, collects every crash; then
#            the evidence of the bug catalogue: ci/evidence.sh on the same
#            build, every planted bug and fault searched over K seeds
#            (--evidence-k, default 5), found/K and the spread of
#            executions to detection on the causal verdict.
#   prune    no fuzzing: re-minimises the shipped corpus/<target>/ with
#            -merge=1 into a fresh directory and replaces corpus/<target>/
#            with it (same as --prune). Inputs with names of their own
#            (written by hand or by `partyfuzz encode`) always stay; those
#            named by their SHA-1 (found by fuzzing) stay if they add
#            coverage to the rest. This is the one mode that writes the
#            source tree by default.
#
# Budget and engine flags:
#   --time SECONDS        fuzzing budget per target
#   --total-time SECONDS  budget of the whole run, split evenly across the
#                         targets (wins over --time)
#   --jobs N              parallel fuzzing processes, libFuzzer -fork=N
#                         (default: the number of cores, here $(nproc))
#   --timeout SECONDS     per-input timeout, a finding when exceeded (25)
#   --targets a,b         targets to run, each a line of ci/fuzz_targets
#                         (default: every line; an empty list or an
#                         unknown name is a usage error)
#   --progress SECONDS    a progress line per target every SECONDS while it
#                         runs (default 10; 0: none)
#   --evidence-k K        nightly: seeds of ci/evidence.sh (default 5; 0:
#                         no evidence run)
# Corpus and directories:
#   --update-corpus  after fuzzing, merge (-merge=1) the work corpus into
#                    the shipped corpus/<target>/: only inputs that add
#                    coverage are added, named by the SHA-1 of their
#                    content (libFuzzer's merge naming: stable, no
#                    duplicates); existing files are never touched. Without
#                    this flag a run never writes the source tree.
#   --save-regress   triage writes its entries into regress/T/ and
#                    regress/T.triage/ (default: DIR/T/triage/, see below)
#   --no-triage      skip triage of the findings
# Contract coverage: after fuzzing fuzz_condis or fuzz_condis_adversary,
#   `partyfuzz coverage` prints which rows of the spec's state machines (x
#   IRQL) and which rules the shipped + work corpora reached, writes
#   DIR/contract_coverage.json and the state graphs with each row's hits
#   per IRQL as DIR/contract_coverage.svg (Graphviz `dot`, installed when
#   it can be; without it DIR/contract_coverage.svg.dot, the DOT text),
#   and the run fails if a count falls below ci/contract_coverage.floor.
#   --work-dir DIR   work area (default build/fuzz-work, gitignored)
#   --build-dir DIR  where the `fuzz` preset is built (default build/fuzz;
#                    the `replay` preset, for the gcc replay commands, goes
#                    next to it: DIR-replay)
#   -h, --help       this text
#
# For each target T it builds the `fuzz` preset, then:
#   1. seeds DIR/T/corpus/ with the shipped corpus/T/ (files already there
#      from earlier runs are kept: the work corpus grows run after run);
#   2. fuzzes for the budget with -fork=N (and fuzz/dict/T.dict when it
#      exists), new inputs into DIR/T/new/, artifacts into DIR/T/crashes/;
#   3. merges DIR/T/new/ into DIR/T/corpus/ with -merge=1 (only inputs
#      that add coverage are kept), then deletes DIR/T/new/;
#   4. with --update-corpus, merges DIR/T/corpus/ into corpus/T/;
#   5. prints for each crash-, timeout-, oom- and leak- input the commands
#      that replay it, through the libFuzzer binary and through the gcc
#      standalone build (the replay preset, built when a crash is found).
#   6. triages the findings (ci/triage.sh, at most 20 per target): each
#      minimised, replayed 5 times (nondeterministic ones are flagged),
#      deduplicated by violated rule + protocol state (else by oracle
#      verdict, else by sanitizer stack) and written as <id>-<slug> with
#      its trace and expected outcome into DIR/T/triage/T/ and
#      DIR/T/triage/T.triage/, or with --save-regress into regress/T/ and
#      regress/T.triage/, where the `T_replay` ctest replays it; next to
#      its trace goes its picture, <id>-<slug>.html (`partyfuzz show`: the
#      interleaving, IRQLs, handle states and the violated rule, one
#      self-contained file), which the summary table names.
#
# Prints a table: target, seconds, execs, exec/s, cov, ft, work corpus
# files before/after, files added to corpus/T/, crash files. Exits 1 if any
# target has a crash file in DIR/T/crashes/ at the end (move or delete
# triaged crashes) or, nightly, if ci/evidence.sh finds a planted bug or
# fault not found causally on every seed; 2 on a usage or build error, 0
# otherwise.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '$d' \
		-e 's/^# \{0,1\}//' -e "s/\$(nproc)/$(nproc)/"
}

mode=main
time_s=
total_s=
jobs=$(nproc 2>/dev/null || echo 1)
timeout_s=25
targets=
targets_given=0
progress=10
update=0
triage=1
save_regress=0
work=$PT_ROOT/build/fuzz-work
build=
evidence_k=5

want_arg() {
	[ $# -ge 2 ] || { pt_log "$1 needs a value"; usage >&2; exit 2; }
}
while [ $# -gt 0 ]; do
	case "$1" in
	--mode) want_arg "$@"; mode=$2; shift 2 ;;
	--mode=*) mode=${1#*=}; shift ;;
	--prune) mode=prune; shift ;;
	--time) want_arg "$@"; time_s=$2; shift 2 ;;
	--time=*) time_s=${1#*=}; shift ;;
	--total-time) want_arg "$@"; total_s=$2; shift 2 ;;
	--total-time=*) total_s=${1#*=}; shift ;;
	--jobs) want_arg "$@"; jobs=$2; shift 2 ;;
	--jobs=*) jobs=${1#*=}; shift ;;
	--timeout) want_arg "$@"; timeout_s=$2; shift 2 ;;
	--timeout=*) timeout_s=${1#*=}; shift ;;
	--targets) want_arg "$@"; targets=$2; targets_given=1; shift 2 ;;
	--targets=*) targets=${1#*=}; targets_given=1; shift ;;
	--progress) want_arg "$@"; progress=$2; shift 2 ;;
	--progress=*) progress=${1#*=}; shift ;;
	--evidence-k) want_arg "$@"; evidence_k=$2; shift 2 ;;
	--evidence-k=*) evidence_k=${1#*=}; shift ;;
	--update-corpus) update=1; shift ;;
	--save-regress) save_regress=1; shift ;;
	--no-triage) triage=0; shift ;;
	--work-dir) want_arg "$@"; work=$2; shift 2 ;;
	--work-dir=*) work=${1#*=}; shift ;;
	--build-dir) want_arg "$@"; build=$2; shift 2 ;;
	--build-dir=*) build=${1#*=}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) pt_log "unknown argument $1"; usage >&2; exit 2 ;;
	esac
done

# positive NAME VALUE: VALUE must be a decimal count > 0.
positive() {
	case "$2" in '' | *[!0-9]* | 0*) pt_log "$1 wants a number > 0, not '$2'"; exit 2 ;; esac
}
case "$mode" in
main) default_time=60 stop_first=0 ;;
pr) default_time=30 stop_first=1 ;;
nightly) default_time=3600 stop_first=0 ;;
prune) default_time=0 stop_first=0 ;;
*) pt_log "--mode wants main, pr, nightly or prune, not '$mode'"; exit 2 ;;
esac
positive --jobs "$jobs"
positive --timeout "$timeout_s"
case "$progress" in '' | *[!0-9]*) pt_log "--progress wants seconds >= 0"; exit 2 ;; esac
case "$evidence_k" in '' | *[!0-9]*) pt_log "--evidence-k wants a count >= 0"; exit 2 ;; esac
[ -z "$time_s" ] || positive --time "$time_s"
[ -z "$total_s" ] || positive --total-time "$total_s"
time_s=${time_s:-$default_time}

# --targets names some of ci/fuzz_targets, each once; an empty list or
# an unknown name is a usage error, never "every target".
mapfile -t known < <(pt_targets)
if [ "$targets_given" -eq 1 ]; then
	case ",$targets," in
	,, | *,,*)
		pt_log "--targets wants a comma-separated list of targets from ci/fuzz_targets, not '$targets'"
		exit 2
		;;
	esac
	IFS=, read -r -a list <<<"$targets"
	for t in "${list[@]}"; do
		printf '%s\n' "${known[@]}" | grep -qxF -- "$t" || {
			pt_log "--targets: unknown target '$t' (ci/fuzz_targets: ${known[*]})"
			exit 2
		}
		[ "$(printf '%s\n' "${list[@]}" | grep -cxF -- "$t")" -eq 1 ] || {
			pt_log "--targets: '$t' given twice"
			exit 2
		}
	done
else
	list=("${known[@]}")
fi
[ ${#list[@]} -gt 0 ] || { pt_log "no targets in ci/fuzz_targets"; exit 2; }

mkdir -p "$work" && work=$(cd "$work" && pwd) || exit 2
touch "$work/.started" # what this run wrote is newer (the pictures)
build=${build:-$PT_ROOT/build/fuzz}
if [ -n "$total_s" ]; then
	time_s=$((total_s / ${#list[@]}))
	[ "$time_s" -gt 0 ] || time_s=1
fi

pt_ensure_tools --fuzzer || exit 2
if [ "$build" = "$PT_ROOT/build/fuzz" ]; then
	pt_build fuzz || { pt_log "build of preset fuzz failed"; exit 2; }
else
	pt_build fuzz "$build" || { pt_log "build of preset fuzz failed"; exit 2; }
fi

# The child libFuzzer of the current target, killed if we are interrupted.
child=
trap '[ -z "$child" ] || kill "$child" 2>/dev/null; exit 130' INT TERM

# last_status LOG: the last libFuzzer status line ("#N: cov: ..." in fork
# mode, "#N ... cov: ..." otherwise), or nothing.
last_status() {
	grep -E '^#[0-9]+:? .*cov: ' "$1" 2>/dev/null | tail -n 1
}

# field LINE NAME: the number after "NAME:" or "NAME " in a status line.
field() {
	sed -n "s/.*[ :]$2:\{0,1\} \([0-9][0-9]*\).*/\1/p" <<<"$1"
}

# prune_target T: replace corpus/T/ by its -merge=1 minimisation. An input
# with a name of its own (not 40 hex digits: written by hand or by
# `partyfuzz encode`, and cited by tests and documents) always stays; the
# inputs libFuzzer found and named by their SHA-1 stay only if they add
# coverage to those and to each other (-merge=1 into a directory that
# already holds the named ones keeps those and adds only what adds
# features). The directory is only changed once the merge has succeeded.
prune_target() {
	local t=$1 bin=$2 src=$PT_ROOT/corpus/$1 fresh found_dir f n_before n_after
	[ -d "$src" ] || { pt_log "$t: no corpus/$t/ to prune"; return 0; }
	fresh=$work/$t/prune
	found_dir=$work/$t/prune-found
	rm -rf "$fresh" "$found_dir" && mkdir -p "$fresh" "$found_dir" "$work/$t/logs" || return 2
	n_before=$(pt_count_files "$src")
	for f in "$src"/*; do
		[ -f "$f" ] || continue
		if [[ "${f##*/}" =~ ^[0-9a-f]{40}$ ]]; then
			cp "$f" "$found_dir/"
		else
			cp "$f" "$fresh/"
		fi
	done
	if ! "$bin" -merge=1 -timeout="$timeout_s" "$fresh" "$found_dir" \
		>"$work/$t/logs/prune.log" 2>&1; then
		pt_log "$t: prune merge failed; see $work/$t/logs/prune.log"
		tail -n 20 "$work/$t/logs/prune.log" >&2
		return 2
	fi
	n_after=$(pt_count_files "$fresh")
	[ "$n_after" -gt 0 ] || { pt_log "$t: prune kept nothing; corpus/$t/ left as is"; return 2; }
	# Replace: drop the found inputs the merge did not keep (it names what
	# it keeps by SHA-1 of the content, which is how they were named).
	for f in "$src"/*; do
		[ -f "$f" ] || continue
		[ -e "$fresh/${f##*/}" ] || rm -f "$f"
	done
	cp "$fresh"/* "$src"/
	rm -rf "$fresh" "$found_dir"
	pt_log "$t: corpus/$t/ pruned: $n_before -> $n_after inputs"
	rows+=("$(printf '%-24s %8s %8s' "$t" "$n_before" "$n_after")")
}

rows=()
found=0
stopped=
for t in "${list[@]}"; do
	bin=$build/fuzz/$t
	[ -x "$bin" ] || { pt_log "$t: no binary $bin (not in fuzz/CMakeLists.txt?)"; exit 2; }
	if [ "$mode" = prune ]; then
		prune_target "$t" "$bin" || exit 2
		continue
	fi
	d=$work/$t
	mkdir -p "$d/corpus" "$d/crashes" "$d/logs"
	rm -rf "$d/new" && mkdir -p "$d/new"
	if [ -d "$PT_ROOT/corpus/$t" ]; then
		# Seeds are never overwritten: the shipped file wins only if new.
		cp -n "$PT_ROOT/corpus/$t"/* "$d/corpus/" 2>/dev/null || true
	fi
	extra=()
	[ -f "$PT_ROOT/fuzz/dict/$t.dict" ] && extra+=(-dict="$PT_ROOT/fuzz/dict/$t.dict")
	[ "$stop_first" -eq 1 ] || extra+=(-ignore_crashes=1)
	before=$(pt_count_files "$d/corpus")
	crashes0=$(pt_count_files "$d/crashes")
	log=$d/logs/fuzz.log
	pt_log "$t: $mode: fuzzing ${time_s}s with -fork=$jobs from $before inputs (log: $log)"
	t0=$(date +%s)
	"$bin" -fork="$jobs" "${extra[@]}" -max_total_time="$time_s" \
		-timeout="$timeout_s" -print_final_stats=1 \
		-artifact_prefix="$d/crashes/" "$d/new" "$d/corpus" \
		>"$log" 2>&1 &
	child=$!
	next=$progress
	while kill -0 "$child" 2>/dev/null; do
		sleep 1
		el=$(($(date +%s) - t0))
		if [ "$progress" -gt 0 ] && [ "$el" -ge "$next" ]; then
			next=$((next + progress))
			s=$(last_status "$log")
			pt_log "$t: ${el}/${time_s}s execs $(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$s")" \
				"cov $(field "$s" cov) ft $(field "$s" ft) corp $(field "$s" corp)" \
				"crashes $(($(pt_count_files "$d/crashes") - crashes0))"
		fi
	done
	wait "$child"
	rc=$?
	child=
	elapsed=$(($(date +%s) - t0))
	[ "$elapsed" -gt 0 ] || elapsed=1
	s=$(last_status "$log")
	execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' <<<"$s")
	execs=${execs:-0}
	cov=$(field "$s" cov)
	ft=$(field "$s" ft)
	new_crashes=$(($(pt_count_files "$d/crashes") - crashes0))
	if [ "$rc" -ne 0 ] && [ "$new_crashes" -eq 0 ]; then
		pt_log "$t: libFuzzer exited $rc without an artifact; end of $log:"
		tail -n 20 "$log" >&2
		exit 2
	fi

	pt_log "$t: merging $(pt_count_files "$d/new") new inputs into $d/corpus"
	if ! "$bin" -merge=1 -timeout="$timeout_s" "$d/corpus" "$d/new" \
		>"$d/logs/merge.log" 2>&1; then
		pt_log "$t: merge failed; see $d/logs/merge.log"
		tail -n 20 "$d/logs/merge.log" >&2
		exit 2
	fi
	rm -rf "$d/new"
	after=$(pt_count_files "$d/corpus")
	added=-
	if [ "$update" -eq 1 ]; then
		mkdir -p "$PT_ROOT/corpus/$t"
		n0=$(pt_count_files "$PT_ROOT/corpus/$t")
		if ! "$bin" -merge=1 -timeout="$timeout_s" "$PT_ROOT/corpus/$t" \
			"$d/corpus" >"$d/logs/update.log" 2>&1; then
			pt_log "$t: merge into corpus/$t failed; see $d/logs/update.log"
			tail -n 20 "$d/logs/update.log" >&2
			exit 2
		fi
		added=$(($(pt_count_files "$PT_ROOT/corpus/$t") - n0))
		pt_log "$t: corpus/$t/: $added input(s) added (SHA-1 names)"
	fi
	crashes=$(pt_count_files "$d/crashes")
	[ "$crashes" -eq 0 ] || found=1
	rows+=("$(printf '%-24s %7s %12s %9s %6s %7s %7s %7s %6s %7s' "$t" \
		"$elapsed" "$execs" "$((execs / elapsed))" "${cov:-?}" \
		"${ft:-?}" "$before" "$after" "$added" "$crashes")")
	if [ "$stop_first" -eq 1 ] && [ "$new_crashes" -gt 0 ]; then
		stopped=$t
		break
	fi
done

echo
if [ "$mode" = prune ]; then
	printf '%-24s %8s %8s\n' target before after
	printf '%s\n' "${rows[@]}"
	echo "(inputs in corpus/<target>/; review with git status, commit to keep)"
	exit 0
fi

if [ "$found" -ne 0 ]; then
	# The printed gcc replay commands need the standalone build.
	# Only the targets with crashes: one broken target elsewhere must not
	# cost the others their gcc replay.
	crashed=()
	for t in "${list[@]}"; do
		[ "$(pt_count_files "$work/$t/crashes")" -eq 0 ] || crashed+=("$t")
	done
	if [ "$build" = "$PT_ROOT/build/fuzz" ]; then
		replay=$PT_ROOT/build/replay
	else
		replay=${build%/}-replay
	fi
	pt_log "build of preset replay ($replay): ${crashed[*]}"
	(cd "$PT_ROOT" && cmake --preset replay -B "$replay" >/dev/null 2>&1 &&
		cmake --build "$replay" --target "${crashed[@]}" >/dev/null 2>&1) ||
		pt_log "note: build of preset replay failed; gcc commands below will not run"
fi

printf '%-24s %7s %12s %9s %6s %7s %7s %7s %6s %7s\n' target seconds execs \
	exec/s cov ft before after added crashes
printf '%s\n' "${rows[@]}"
echo "(before/after: files in the work corpus $work/<target>/corpus;" \
	"added: to corpus/<target>/, with --update-corpus)"
if [ -n "$stopped" ]; then
	echo "mode pr: stopped at the first finding, in $stopped; not fuzzed:"
	skip=0
	for t in "${list[@]}"; do
		[ "$skip" -eq 1 ] && echo "  $t"
		[ "$t" = "$stopped" ] && skip=1
	done
fi

for t in "${list[@]}"; do
	d=$work/$t/crashes
	[ "$(pt_count_files "$d")" -gt 0 ] || continue
	echo
	n=$(pt_count_files "$d")
	echo "$t: $n crash file(s) in $d; replay with:"
	# The first few: an always-crashing target fills the directory.
	find "$d" -maxdepth 1 -type f | sort | head -n 5 | while read -r f; do
		echo "  $f"
		echo "    FUZZ_VERBOSE=1 $build/fuzz/$t $f    # libFuzzer, clang"
		echo "    FUZZ_VERBOSE=1 $replay/fuzz/$t $f  # standalone, gcc"
	done
	[ "$n" -le 5 ] || echo "  ... and $((n - 5)) more"
done

# Contract coverage: the shipped and the work corpora of the
# CoNDIS targets and the regress scenarios, added up, as a table (rows of
# the spec's state machines x IRQL, rules fired; NEVER marks what no input
# reached) and as JSON, against the floor kept in the repo.
cov_args=()
for t in "${list[@]}"; do
	case "$t" in
	fuzz_condis | fuzz_condis_adversary)
		# Only directories with inputs: coverage fails on an empty one.
		cov_args+=("--target=$t")
		for c in "$PT_ROOT/corpus/$t" "$work/$t/corpus"; do
			[ "$(pt_count_files "$c")" -eq 0 ] || cov_args+=("$c")
		done
		;;
	esac
done
[ ${#cov_args[@]} -eq 0 ] ||
	cov_args+=(--target=auto "$PT_ROOT/regress/scenarios")
if [ ${#cov_args[@]} -gt 0 ] && [ -x "$build/fuzz/harness/partyfuzz" ]; then
	echo
	pt_log "contract coverage of ${cov_args[*]}"
	# Each input is read as partyfuzz reads any: text by its header
	# (partyfuzz-program v1), else binary; exit 1 is the floor, 3 an
	# input or floor file that is not one (said above).
	# The picture of it needs Graphviz, an optional dependency: install
	# it where we can; without it the DOT text is written instead.
	command -v dot >/dev/null 2>&1 || pt_apt_install graphviz ||
		pt_log "no Graphviz: the coverage graph stays DOT text"
	"$build/fuzz/harness/partyfuzz" coverage \
		--json="$work/contract_coverage.json" \
		--svg="$work/contract_coverage.svg" \
		--floor="$PT_ROOT/ci/contract_coverage.floor" "${cov_args[@]}"
	cov_rc=$?
	case $cov_rc in
	0) ;;
	1) pt_log "contract coverage below the floor (ci/contract_coverage.floor)" ;;
	*) pt_log "contract coverage failed (exit $cov_rc): see the partyfuzz error above" ;;
	esac
	[ "$cov_rc" -eq 0 ] || [ "$found" -ne 0 ] || found=1
	pt_log "contract coverage JSON: $work/contract_coverage.json"
fi

if [ "$triage" -eq 1 ] && [ "$found" -ne 0 ]; then
	for t in "${list[@]}"; do
		d=$work/$t/crashes
		[ "$(pt_count_files "$d")" -gt 0 ] || continue
		mapfile -t fs < <(find "$d" -maxdepth 1 -type f | sort | head -n 20)
		dest=(--out "$work/$t/triage")
		[ "$save_regress" -eq 0 ] || dest=(--save)
		pt_log "$t: triage of ${#fs[@]} finding(s)"
		bash "$PT_ROOT/ci/triage.sh" --target "$t" --bin "$build/fuzz/$t" \
			"${dest[@]}" "${fs[@]}" ||
			pt_log "$t: triage failed"
	done
	# The pictures of the triaged findings, one HTML file each.
	pics=$(find "$work" "$PT_ROOT/regress" -name '*.html' -path '*.triage/*' \
		-newer "$work/.started" 2>/dev/null | sort)
	if [ -n "$pics" ]; then
		echo
		pt_log "pictures of the triaged findings (open in a browser):"
		printf '  %s\n' $pics
	fi
fi

# Nightly: the evidence of the bug catalogue on the same build
# (ci/evidence.sh: each planted bug and fault over K seeds, causal
# verdicts, found/K and the spread of executions to detection).
if [ "$mode" = nightly ] && [ "$evidence_k" -gt 0 ]; then
	echo
	pt_log "nightly: the bug catalogue's evidence, ci/evidence.sh --k $evidence_k"
	if ! bash "$PT_ROOT/ci/evidence.sh" --build-dir "$build" --k "$evidence_k"; then
		pt_log "nightly: a planted bug or fault was not found causally on every seed"
		found=1
	fi
fi
exit "$found"
