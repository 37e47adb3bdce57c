#!/usr/bin/env bash
# ci/determinism.sh - same input, same run, same trace, on every build.
#
# Usage: bash ci/determinism.sh [BUILD_A [BUILD_B]]
#   (defaults: build/replay, gcc without libFuzzer, and build/fuzz, clang
#   with libFuzzer; both must be built, as ci/test.sh does)
#
# For every target of ci/fuzz_targets, every input of corpus/<target>/ and
# regress/<target>/ runs once through each build's binary with
# FUZZ_VERBOSE=1, and the traces the target prints on stdout must be
# byte-for-byte equal. Prints one line per target and exits 1 on the first
# input whose traces differ, showing the first differing lines.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PT_ROOT" || exit 1

case "${1:-}" in
-h | --help)
	sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
esac
a=${1:-build/replay}
b=${2:-build/fuzz}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

while read -r target; do
	case "$target" in '' | '#'*) continue ;; esac
	for bin in "$a/fuzz/$target" "$b/fuzz/$target"; do
		[ -x "$bin" ] || pt_die "$bin is not built"
	done
	n=0
	for dir in "corpus/$target" "regress/$target"; do
		[ -d "$dir" ] || continue
		while IFS= read -r -d '' f; do
			# -detect_leaks=0: when a run mallocs more than it frees
			# (memory a later run frees), libFuzzer runs the input a
			# second time to look for a leak, and the trace would print
			# twice. The standalone runner ignores the flag.
			FUZZ_VERBOSE=1 "$a/fuzz/$target" -detect_leaks=0 "$f" \
				>"$tmp/a" 2>/dev/null
			FUZZ_VERBOSE=1 "$b/fuzz/$target" -detect_leaks=0 "$f" \
				>"$tmp/b" 2>/dev/null
			if ! cmp -s "$tmp/a" "$tmp/b"; then
				echo "determinism: $target: $f: traces differ between $a and $b:"
				diff "$tmp/a" "$tmp/b" | head -n 10
				exit 1
			fi
			n=$((n + 1))
		done < <(find "$dir" -type f ! -name '*.md' ! -name '*.txt' -print0 | sort -z)
	done
	echo "determinism: $target: $n inputs, identical traces ($a, $b)"
done <ci/fuzz_targets
