#!/usr/bin/env bash
# ci/fresh.sh - run a command as on a fresh machine: in a fresh clone of
# HEAD, with the files of partyfuzz's optional dependencies hidden.
#
# Usage: bash ci/fresh.sh ['COMMAND']   (one shell command line; default:
#                                        'CI=true bash .ci/run')
#   e.g. bash ci/fresh.sh 'bash ci/fuzz.sh --mode pr'
#
# What a green CI run proves depends on what the machine had: a package
# installed by hand hides a missing install step. This script clones HEAD
# (committed work only) into a temporary directory and runs COMMAND there
# with the files of every optional Debian package that is installed
# (libck-dev, clang-format-*) hidden behind overlayfs whiteouts over /usr,
# in a private mount namespace: nothing outside the command sees a change.
# Needs root (unshare -m, mount -t overlay). The clone is left in place
# and its path printed, so a failure can be looked at.
#
# AFL++ is not hidden: a hidden package still counts as installed for dpkg,
# so the script that installs it (ci/afl.sh) would find nothing to install.
# To check that path, run on a machine that never had afl++.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
-h | --help)
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
esac
[ "$(id -u)" -eq 0 ] || pt_die "needs root (unshare -m, mount -t overlay)"
command -v unshare >/dev/null 2>&1 || pt_die "needs unshare (util-linux)"

w=$(mktemp -d /tmp/partyfuzz-fresh.XXXXXX)
mkdir -p "$w/up" "$w/wk"
hidden=()
for p in $(dpkg-query -W -f='${Package}\n' 2>/dev/null |
	grep -E '^(libck-dev|clang-format(-[0-9]+)?)$' || true); do
	hidden+=("$p")
	dpkg -L "$p" 2>/dev/null | grep '^/usr/' | while read -r f; do
		{ [ -f "$f" ] || [ -L "$f" ]; } || continue
		rel=${f#/usr/}
		mkdir -p "$w/up/$(dirname "$rel")"
		mknod "$w/up/$rel" c 0 0 2>/dev/null || true
	done
done
pt_log "fresh: hiding ${#hidden[@]} packages: ${hidden[*]:-none}"
git clone -q "$PT_ROOT" "$w/src"
cmd=${*:-CI=true bash .ci/run}
pt_log "fresh: in $w/src: $cmd"
unshare -m --propagation private bash -c \
	"mount -t overlay overlay -o lowerdir=/usr,upperdir=$w/up,workdir=$w/wk /usr &&
	 cd $w/src && $cmd"
