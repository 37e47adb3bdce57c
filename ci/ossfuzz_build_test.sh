#!/usr/bin/env bash
# ci/ossfuzz_build_test.sh - the ctest `ci_ossfuzz_build` (label ci): runs
# .clusterfuzzlite/build.sh as the OSS-Fuzz / ClusterFuzzLite builder
# would, here, and checks what lands in $OUT.
#
# Usage: bash ci/ossfuzz_build_test.sh [SCRATCH_DIR]
#
# The builder environment is emulated: SRC, OUT, WORK are fresh dirs under
# SCRATCH_DIR (default: a mktemp dir, removed at the end), the working
# directory is this tree (as the builder's WORKDIR $SRC/partyfuzz is; no
# link $SRC/partyfuzz -> tree: SCRATCH_DIR may lie inside the tree, and
# CMake's compiler checks fail on such a cycle), and
#   CC=clang
#   CFLAGS=-O1 -fno-omit-frame-pointer -gline-tables-only
#          -fsanitize=address -fsanitize-address-use-after-scope
#          -fsanitize=fuzzer-no-link       (base-builder's ASan defaults)
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer
# Then, for every target T of ci/fuzz_targets, it must hold that:
#   1. $OUT/T is an executable libFuzzer binary (it answers -help=1);
#   2. $OUT/T.options exists and has a [libfuzzer] section, and its dict
#      (if named) is $OUT/T.dict, which libFuzzer parses (-dict=... runs);
#   3. $OUT/T_seed_corpus.zip holds every input of corpus/T/ (same count),
#      and exists whenever corpus/T/ or regress/T/ has files;
#   4. $OUT/T runs the unpacked seed corpus (an empty input when there is
#      none: no directory, since a replay of an empty one fails) with
#      -runs=0 and exits 0.
# Exit 0 if all hold, 1 with the reasons otherwise.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

scratch=${1:-}
if [ -z "$scratch" ]; then
	scratch=$(mktemp -d) || exit 1
	trap 'rm -rf "$scratch"' EXIT
fi
rm -rf "$scratch/src" "$scratch/out" "$scratch/work" "$scratch/check"
mkdir -p "$scratch/src" "$scratch/out" "$scratch/work" "$scratch/check" || exit 1

export SRC=$scratch/src OUT=$scratch/out WORK=$scratch/work CC=clang
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
pt_log "build.sh with SRC=$SRC OUT=$OUT WORK=$WORK CC=$CC"
if ! (cd "$PT_ROOT" && bash .clusterfuzzlite/build.sh) \
	>"$scratch/build.log" 2>&1; then
	tail -n 40 "$scratch/build.log" >&2
	pt_die "build.sh failed"
fi

bad=0
fail() {
	pt_log "FAIL: $*"
	bad=1
}
mapfile -t targets < <(pt_targets)
for t in "${targets[@]}"; do
	bin=$OUT/$t
	if [ ! -x "$bin" ]; then
		fail "$t: no executable \$OUT/$t"
		continue
	fi
	help=$("$bin" -help=1 2>&1)
	grep -q '^Usage:' <<<"$help" ||
		fail "$t: \$OUT/$t does not answer -help=1 like a libFuzzer binary"
	opts=$OUT/$t.options
	if ! grep -qx '\[libfuzzer\]' "$opts" 2>/dev/null; then
		fail "$t: \$OUT/$t.options missing or without [libfuzzer]"
	fi
	dict=$(sed -n 's/^dict *= *//p' "$opts" 2>/dev/null)
	if [ -n "$dict" ]; then
		[ -f "$OUT/$dict" ] || fail "$t: options name dict $dict, not in \$OUT"
	fi
	if [ -f "$PT_ROOT/fuzz/dict/$t.dict" ] && [ ! -f "$OUT/$t.dict" ]; then
		fail "$t: fuzz/dict/$t.dict not copied to \$OUT"
	fi
	if [ -f "$OUT/$t.dict" ] &&
		! "$bin" -dict="$OUT/$t.dict" -runs=1 >"$scratch/check/$t.dict.log" 2>&1; then
		fail "$t: libFuzzer rejects \$OUT/$t.dict:"
		tail -n 5 "$scratch/check/$t.dict.log" >&2
	fi
	zip=$OUT/${t}_seed_corpus.zip
	seeds=$scratch/check/$t
	mkdir -p "$seeds"
	want=$(pt_count_files "$PT_ROOT/corpus/$t")
	have=$((want + $(pt_count_files "$PT_ROOT/regress/$t")))
	if [ ! -f "$zip" ]; then
		# No seeds at all is legal (the fuzzer starts from nothing).
		[ "$have" -eq 0 ] || fail "$t: no \$OUT/${t}_seed_corpus.zip"
		[ "$have" -eq 0 ] && pt_log "note: $t has no corpus/$t/ nor regress/$t/: no seed zip"
	elif ! unzip -q -o "$zip" -d "$seeds"; then
		fail "$t: cannot unzip ${t}_seed_corpus.zip"
		continue
	fi
	got=$(pt_count_files "$seeds")
	[ "$got" -ge "$want" ] ||
		fail "$t: seed zip has $got inputs, corpus/$t/ has $want"
	# With no seeds, no directory: a replay of an empty one is an error.
	replay=("$seeds")
	[ "$got" -gt 0 ] || replay=()
	if "$bin" -runs=0 -timeout=25 "${replay[@]}" >"$scratch/check/$t.log" 2>&1; then
		pt_log "ok: $t: binary, options, $( [ -f "$OUT/$t.dict" ] && echo 'dict, ')$got seeds replayed with -runs=0"
	else
		fail "$t: -runs=0 on the seed corpus failed:"
		tail -n 20 "$scratch/check/$t.log" >&2
	fi
done
[ "$bad" -eq 0 ] || exit 1
pt_log "emulated OSS-Fuzz build: ${#targets[@]} target(s) ok"
