#!/usr/bin/env bash
# ci/test.sh - the test command of partyfuzz (README "Testing"; .ci/run).
#
# Usage: bash ci/test.sh
#
# Installs what is missing (cmake, ninja, gcc, clang and its libFuzzer
# runtime; apt-get, as root, only if something is missing), then builds
# and tests three presets:
#   replay  gcc, ASan+UBSan, standalone runner: unit tests, and every
#           corpus/ and regress/ input replayed (labels unit, regress);
#   fuzz    clang, libFuzzer, ASan+UBSan: the same, plus a seeded ~12 s
#           smoke run per target (label fuzz) and the planted-fault
#           negative tests (label mutants);
#   tsan    clang, ThreadSanitizer: unit and replay tests again, and the
#           real-thread stress of the party table (label tsan).
#   nodeps  the replay preset again with PT_HIDE_OPTIONAL=ON: built as on
#           a machine with no optional dependency (Concurrency Kit,
#           clang-format), unit tests run (label unit).
# Optional dependencies are installed first where they can be (libck-dev,
# so that the presets above compile the code that uses it; ci/afl.sh
# installs afl++ for ci_afl_smoke), so both sides of every optional
# feature are compiled under -Werror on every run.
# Then ci/determinism.sh: every corpus/ and regress/ input must print the
# same FUZZ_VERBOSE trace, exit status and report through the gcc (replay)
# and the clang (fuzz) build, with all inputs of a target in one process
# in a shuffled order and in its reverse (no state leaks between inputs),
# and, for the first 256 of that order, alone.
# Each runs ctest with every label, --output-on-failure, -j2. Every preset
# runs even if an earlier one fails; the exit status is non-zero if
# anything failed. Build trees: build/<preset> (gitignored).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PT_ROOT" || exit 1

case "${1:-}" in
-h | --help)
	sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
"") ;;
*) pt_die "unknown argument $1 (see --help)" ;;
esac

start=$(date +%s)
pt_ensure_tools --fuzzer || exit 1
# Concurrency Kit: bench_table's allocation floor. Optional: without it
# the presets build and pass as well (the nodeps tree proves it).
[ -f /usr/include/ck_stack.h ] || pt_apt_install libck-dev ||
	pt_log "libck-dev not installed: the nodeps build is the only one"

failed=()
for preset in replay fuzz tsan; do
	t0=$(date +%s)
	if ! pt_build "$preset"; then
		failed+=("$preset:build")
		continue
	fi
	pt_log "ctest preset $preset"
	if ! ctest --preset "$preset" --output-on-failure -j2; then
		failed+=("$preset:ctest")
	fi
	pt_log "preset $preset done in $(($(date +%s) - t0)) s"
done

t0=$(date +%s)
pt_log "configure + build preset replay with PT_HIDE_OPTIONAL=ON (build/nodeps)"
if cmake --preset replay -B build/nodeps -DPT_HIDE_OPTIONAL=ON >/dev/null &&
	cmake --build build/nodeps; then
	(cd build/nodeps && ctest -L '^unit$' --output-on-failure -j2) ||
		failed+=("nodeps:ctest")
else
	failed+=("nodeps:build")
fi
pt_log "nodeps done in $(($(date +%s) - t0)) s"

if [ -x build/replay/fuzz/fuzz_party_table ] &&
	[ -x build/fuzz/fuzz/fuzz_party_table ]; then
	pt_log "determinism: gcc (replay) against clang (fuzz) traces"
	bash ci/determinism.sh build/replay build/fuzz || failed+=(determinism)
else
	failed+=("determinism:not-built")
fi

pt_log "ci/test.sh: $(($(date +%s) - start)) s wall"
if [ ${#failed[@]} -ne 0 ]; then
	pt_log "FAILED: ${failed[*]}"
	exit 1
fi
pt_log "all tests passed (replay, fuzz, tsan, nodeps, determinism)"
