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
