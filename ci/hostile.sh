#!/usr/bin/env bash
# ci/hostile.sh - hostile inputs, and the one check of how a command meets
# them (the hostile_* ctests, registered with pt_add_hostile_test() in
# fuzz/CMakeLists.txt).
#
# Usage: bash ci/hostile.sh make DIR
#        bash ci/hostile.sh expect --status N [--stderr TEXT]...
#                          [--stdout TEXT]... [--stdout-to FILE]
#                          [--time SECONDS] -- COMMAND [ARG...]
#
# make    empties DIR and writes into it every hostile input the tests
#         name (the list is below, at "make"): FIFOs, empty and oversized
#         files, text programs with a non-ASCII byte or an unknown
#         operation, floor files with misspelt keys, ...
# expect  runs COMMAND with stdin from /dev/null (stdout into FILE with
#         --stdout-to) for at most SECONDS (default 30), and passes only
#         if it ended by itself (a hang is a failure), its exit status is
#         N, and its stderr (stdout) contains every TEXT, as a fixed
#         string. On a failure it prints the command, what differed and
#         both outputs. Exit 0 pass, 1 fail, 2 usage.
set -uo pipefail

die_usage() {
	echo "ci/hostile.sh: $*" >&2
	sed -n '6,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# The largest input every reader takes: PF_INPUT_MAX, fuzz/runner/input.h.
limit=$((1 << 20))
header='partyfuzz-program v1'

make_inputs() {
	local d=$1
	[ -n "$d" ] || die_usage "make wants a directory"
	rm -rf "$d" && mkdir -p "$d/emptydir" "$d/fifodir" "$d/baddir" || exit 1
	cd "$d" || exit 1
	mkfifo fifo fifodir/fifo || exit 1
	: >empty
	head -c $((limit + 1)) /dev/zero >big
	# A binary program of printable bytes: text only by its header.
	printf 'MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM' \
		>printable.bin
	{
		printf '%s\n' "$header" '# expect: ok'
		printf '# an em dash \342\200\224 in a comment\n'
		printf '%s\n' 'config drivers=puppet cm=cm cpus=1' 'create_vc'
	} >em-dash.txt
	printf '%s\n' "$header" '# expect: ok' \
		'config drivers=puppet cm=cm cpus=1' 'frobnicate vc=0' >bad-op.txt
	# A corpus directory: one binary input, one malformed text program.
	printf '\000\000\000\000\000' >baddir/a-binary
	cp bad-op.txt baddir/b-bad-op.txt
	printf '%s\n' 'partyfuzz-program v2' \
		'config drivers=puppet cm=cm cpus=1' >v2.txt
	printf '%s\nconfig drivers=puppet\ncreate_vc\000delete_vc vc=0\n' \
		"$header" >nul.txt
	printf '%s\n' "$header" '# only comments' >header-only.txt
	# The text form as it was before the header: now a binary program.
	printf '%s\n' '# expect: ok' 'config drivers=puppet cm=cm cpus=1' \
		'create_vc' >no-header.txt
	printf '%s\n' '# a floor with a misspelt key' 'rows 1' 'cels 1' \
		'rules 1' >floor-misspelt
	printf '%s\n' 'rows 1' 'rules 1' >floor-missing
	printf '%s\n' '# only comments' '# rows 26' >floor-comments
	printf '%s\n' 'rows 1' 'cells' 'rules 1' >floor-novalue
}

expect_run() {
	local status= time=30 out= rc t
	local -a errs=() outs=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--status) status=${2:-}; shift 2 || die_usage "--status N" ;;
		--stderr) errs+=("${2-}"); shift 2 || die_usage "--stderr TEXT" ;;
		--stdout) outs+=("${2-}"); shift 2 || die_usage "--stdout TEXT" ;;
		--stdout-to) out=${2:-}; shift 2 || die_usage "--stdout-to FILE" ;;
		--time) time=${2:-}; shift 2 || die_usage "--time SECONDS" ;;
		--) shift; break ;;
		*) die_usage "unknown argument $1" ;;
		esac
	done
	case "$status" in '' | *[!0-9]*) die_usage "--status wants an exit status" ;; esac
	[ $# -gt 0 ] || die_usage "no COMMAND after --"
	t=$(mktemp -d) || exit 1
	trap 'rm -rf "$t"' EXIT
	[ -n "$out" ] || out=$t/stdout
	timeout -k 5 "$time" "$@" </dev/null >"$out" 2>"$t/stderr"
	rc=$?
	local bad=()
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		bad+=("it did not end within ${time} s (killed; status $rc)")
	elif [ "$rc" -ne "$status" ]; then
		bad+=("exit status $rc, expected $status")
	fi
	for s in "${errs[@]}"; do
		grep -qF -- "$s" "$t/stderr" || bad+=("stderr lacks: $s")
	done
	for s in "${outs[@]}"; do
		grep -qF -- "$s" "$out" 2>/dev/null || bad+=("stdout lacks: $s")
	done
	if [ ${#bad[@]} -eq 0 ]; then
		echo "ok: exit $rc: $*"
		head -n 3 "$t/stderr"
		exit 0
	fi
	echo "FAIL: $*"
	printf '  %s\n' "${bad[@]}"
	echo "--- stderr:"
	head -n 40 "$t/stderr"
	echo "--- stdout:"
	head -n 40 "$out" 2>/dev/null
	exit 1
}

case "${1:-}" in
make) make_inputs "${2:-}" ;;
expect) shift; expect_run "$@" ;;
-h | --help) sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' ;;
*) die_usage "make or expect" ;;
esac
