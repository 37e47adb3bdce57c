# ci/lib.sh - helpers shared by the ci/ scripts (sourced, bash).
#
# Every ci/ script runs locally exactly as in CI: from any directory, with
# or without root, with or without a terminal.

# The repository root, whatever the caller's directory.
PT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

pt_log() {
	printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
}

pt_die() {
	pt_log "error: $*"
	exit 1
}

# Can clang link a libFuzzer + ASan + UBSan program? (Debian ships the
# runtimes in libclang-rt-<ver>-dev, which clang only recommends.)
pt_have_fuzzer_runtime() {
	local dir rc
	command -v clang >/dev/null 2>&1 || return 1
	dir=$(mktemp -d) || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
		'{ (void)d; (void)n; return 0; }' >"$dir/probe.c"
	clang -fsanitize=fuzzer,address,undefined "$dir/probe.c" \
		-o "$dir/probe" >/dev/null 2>&1
	rc=$?
	rm -rf "$dir"
	return $rc
}

# pt_ensure_tools [--fuzzer]: install what is missing of cmake, ninja,
# gcc, clang (and, with --fuzzer, clang's libFuzzer/sanitizer runtimes)
# with apt-get, which needs root on a Debian-like system. Nothing is
# installed when everything is there; apt-get update runs only if needed.
pt_ensure_tools() {
	local pkgs=()
	command -v cmake >/dev/null 2>&1 || pkgs+=(cmake)
	command -v ninja >/dev/null 2>&1 || pkgs+=(ninja-build)
	command -v gcc >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
	command -v clang >/dev/null 2>&1 || pkgs+=(clang)
	if [ "${1:-}" = --fuzzer ] && ! pt_have_fuzzer_runtime; then
		pkgs+=(libclang-rt-dev)
	fi
	[ ${#pkgs[@]} -eq 0 ] && return 0
	pt_log "missing: ${pkgs[*]}"
	pt_apt_install "${pkgs[@]}" || pt_die "cannot install ${pkgs[*]}"
	if [ "${1:-}" = --fuzzer ] && ! pt_have_fuzzer_runtime; then
		pt_die "clang cannot link -fsanitize=fuzzer,address,undefined"
	fi
}

# pt_apt_install PKG...: install Debian packages with apt-get (as root, or
# through sudo -n). apt-get update runs only if the first try fails (a
# fresh machine has no package lists). Returns non-zero, with the reason
# logged, when apt-get is missing, we may not use it, or it fails.
pt_apt_install() {
	local sudo=()
	command -v apt-get >/dev/null 2>&1 || {
		pt_log "no apt-get: install $* by hand"
		return 1
	}
	if [ "$(id -u)" -ne 0 ]; then
		sudo -n true 2>/dev/null || {
			pt_log "not root and no sudo -n: install $* by hand"
			return 1
		}
		sudo=(sudo -n)
	fi
	export DEBIAN_FRONTEND=noninteractive
	pt_log "apt-get install $*"
	"${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" >&2 ||
		{ "${sudo[@]}" apt-get update -q >&2 &&
			"${sudo[@]}" apt-get install -y -q --no-install-recommends \
				"$@" >&2; }
}

# pt_optional_dep WHAT PKG CHECK...: an optional dependency that a test or
# a figure needs. Runs CHECK (a command); if it fails, installs PKG and
# runs CHECK again. Returns 0 when CHECK passes. Otherwise: under CI=true
# (CI must test what it claims to) it fails hard, exit 1; elsewhere it
# returns 77, and the caller skips what needs WHAT.
pt_optional_dep() {
	local what=$1 pkg=$2
	shift 2
	"$@" >/dev/null 2>&1 && return 0
	pt_apt_install "$pkg" && "$@" >/dev/null 2>&1 && return 0
	if [ "${CI:-}" = true ]; then
		pt_die "$what ($pkg) is missing and cannot be installed; CI=true" \
			"does not skip what needs it"
	fi
	pt_log "SKIP: $what ($pkg) is missing and cannot be installed"
	return 77
}

# pt_build PRESET [DIR]: configure and build PRESET (from the root, where
# CMakePresets.json is) in its own build/PRESET, or in DIR (the preset's
# cache variables, another binary directory: e.g. a /tmp tree).
pt_build() {
	local preset=$1 dir=${2:-}
	if [ -z "$dir" ]; then
		pt_log "configure + build preset $preset (build/$preset)"
		(cd "$PT_ROOT" && cmake --preset "$preset" >/dev/null &&
			cmake --build --preset "$preset")
	else
		pt_log "configure + build preset $preset ($dir)"
		(cd "$PT_ROOT" && cmake --preset "$preset" -B "$dir" >/dev/null &&
			cmake --build "$dir")
	fi
}

# pt_targets: the fuzz targets of ci/fuzz_targets, one a line (comments
# and blank lines skipped). The one list CI, fuzz.sh, build.sh and afl.sh
# iterate over.
pt_targets() {
	grep -Ev '^[[:space:]]*(#|$)' "$PT_ROOT/ci/fuzz_targets"
}

# pt_count_files DIR: regular files directly in DIR (0 if it is missing).
pt_count_files() {
	find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l
}

# pt_verdict [FILE]: the finding a replay or fuzzing run reports, from its
# output (stderr, or stderr and stdout merged): one normalised line per
# report line, nothing for a run that found nothing. What is kept is what
# names the finding and is the same on every run and every build (gcc and
# clang, standalone runner and libFuzzer):
#   - the target's own verdict lines ("fuzz_condis: MISMATCH: ...",
#     "fuzz_table_sched: FAILURE: ...", "partyfuzz: assertion failed: ..."),
#     without the FINDING/trace/replay-hint lines around them;
#   - a sanitizer's error line cut to its class ("AddressSanitizer:
#     heap-use-after-free", "LeakSanitizer: detected memory leaks"), a
#     UBSan report from "runtime error:" on (the source position goes);
#   - a timeout or out-of-memory of either runner, as "timeout" or
#     "out-of-memory".
# Addresses (0x...) become 0xADDR. libFuzzer's "deadly signal" is not kept:
# it is how libFuzzer sees the abort after the target's report, and the
# standalone runner has no such line.
pt_verdict() {
	sed -nE \
		-e '/^(fuzz_[a-z_]+|partyfuzz): (FINDING\. |its trace:|replay with: )/d' \
		-e 's/0x[0-9a-fA-F]+/0xADDR/g' \
		-e 's/^(fuzz_[a-z_]+|partyfuzz): /&/p' \
		-e 's/^.*ERROR: ((Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer: [A-Za-z_-]+( memory leaks)?).*/\1/p' \
		-e 's/^.*(runtime error: .*)$/\1/p' \
		-e 's/^.*ERROR: libFuzzer: (timeout|out-of-memory).*/\1/p' \
		-e 's/^TIMEOUT: .*/timeout/p' \
		${1:+"$1"}
}

# pt_verdict_name: the short name of a verdict (pt_verdict's lines on
# stdin), for tables: "rule C11" when a line names a contract rule, the
# sanitizer class ("ASan heap-use-after-free"), else the first line
# without the target's prefix and operation and without its details in
# parentheses or brackets ("MISMATCH: cn_call_validate: V2: VC 0
# counters", at most 60 characters); "-" for none.
pt_verdict_name() {
	local v r
	v=$(cat)
	[ -n "$v" ] || { echo -; return; }
	r=$(sed -nE 's/.*(rule|RULE|verifier:) ([CR][0-9]+) (fired|reported).*/rule \2/p' <<<"$v" | head -n 1)
	[ -z "$r" ] || { echo "$r"; return; }
	r=$(sed -nE 's/^AddressSanitizer: (.*)/ASan \1/p; s/^LeakSanitizer: .*/LSan leak/p;
		s/^(UndefinedBehaviorSanitizer: .*|runtime error: .*)/UBSan \1/p' <<<"$v" | head -n 1)
	[ -z "$r" ] || { echo "$r"; return; }
	head -n 1 <<<"$v" | sed -E -e 's/^[a-z_]+: //' \
		-e 's/(MISMATCH)( at step [0-9]+)?: (op [0-9]+ \([a-z_]+\): |end of run: )?/\1: /' \
		-e 's/ [[(].*//' | cut -c1-60
}

# pt_catch_ere CATCH: the extended regular expression, matched against
# pt_verdict's lines, of a catch in the catalogue's syntax
# (fuzz/bugs/catalogue.tsv): comma-separated alternatives
#   rule:C12|R3      a verdict naming one of these rules
#   asan:<class>     this ASan report (asan:leak: LeakSanitizer)
#   mismatch[:ERE]   a MISMATCH verdict (whose text matches ERE)
#   failure          a failed check or PT_ASSERT of the target
# Prints nothing and returns 1 on a malformed catch.
pt_catch_ere() {
	local alt re out= alts
	IFS=, read -r -a alts <<<"$1"
	for alt in "${alts[@]}"; do
		case "$alt" in
		rule:*) re="(rule|RULE|verifier:) (${alt#rule:}) (fired|reported)" ;;
		asan:leak) re="^LeakSanitizer" ;;
		asan:*) re="^AddressSanitizer: ${alt#asan:}\$" ;;
		mismatch) re="MISMATCH" ;;
		mismatch:*) re="MISMATCH.*(${alt#mismatch:})" ;;
		failure) re=": (FAILURE|PT_ASSERT)|assertion failed" ;;
		*) return 1 ;;
		esac
		out=${out:+$out|}$re
	done
	[ -n "$out" ] || return 1
	printf '%s\n' "$out"
}

# pt_catch_text CATCH: the catch for a reader ("rule C14 or C12; or ASan
# heap-use-after-free").
pt_catch_text() {
	local alt out= alts t
	IFS=, read -r -a alts <<<"$1"
	for alt in "${alts[@]}"; do
		case "$alt" in
		rule:*) t="rule ${alt#rule:}"; t=${t//|/ or } ;;
		asan:leak) t="LeakSanitizer" ;;
		asan:*) t="ASan ${alt#asan:}" ;;
		mismatch) t="MISMATCH" ;;
		mismatch:*) t="MISMATCH (${alt#mismatch:})"; t=${t//|/ or } ;;
		failure) t="FAILURE or PT_ASSERT" ;;
		*) t=$alt ;;
		esac
		out=${out:+$out; or }$t
	done
	printf '%s\n' "$out"
}

# pt_execs LOG: libFuzzer's executed-unit count of a run
# (stat::number_of_executed_units, -print_final_stats=1), or nothing.
pt_execs() {
	sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -n 1
}

# pt_build_mutants DIR: configure the `fuzz` preset in DIR and build what
# the searches of DIR/mutants.tsv run (their X-on and X-off binaries and,
# for the CoNDIS witnesses' text form, partyfuzz); nothing else.
pt_build_mutants() {
	local dir=$1 bins
	pt_log "configure + build the mutant searches' binaries (preset fuzz, $dir)"
	(cd "$PT_ROOT" && cmake --preset fuzz -B "$dir" >/dev/null) || return 1
	bins=$(awk -F'\t' '{ n = split($4, a, "/"); print a[n];
		n = split($5, b, "/"); print b[n] }' "$dir/mutants.tsv" | sort -u)
	# shellcheck disable=SC2086
	cmake --build "$dir" --target $bins partyfuzz >/dev/null
}
