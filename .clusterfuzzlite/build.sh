#!/bin/bash -eu
# .clusterfuzzlite/build.sh - builds the fuzz targets of partyfuzz the way
# OSS-Fuzz and ClusterFuzzLite call a project's build.sh. The same script
# serves an OSS-Fuzz project directory (projects/partyfuzz/build.sh: copy
# it there, or `COPY .clusterfuzzlite/build.sh $SRC/` from the project's
# Dockerfile as .clusterfuzzlite/Dockerfile does), and ci/afl.sh, which
# calls it with AFL++'s compiler and driver.
#
# Environment (set by the builder image, or by hand):
#   SRC                 where the sources are; the tree is the current
#                       directory if it holds ci/fuzz_targets, else
#                       $SRC/partyfuzz
#   OUT                 receives, per target T of ci/fuzz_targets:
#                         T                    the fuzzer
#                         T.options            fuzz/dict/T.options
#                         T.dict               fuzz/dict/T.dict (if any)
#                         T_seed_corpus.zip    corpus/T/ and regress/T/
#   WORK                scratch: the CMake build tree is $WORK/partyfuzz
#   CC, CFLAGS          compiler and flags, sanitizers and coverage
#                       instrumentation included (-fsanitize=...,
#                       fuzzer-no-link): passed to CMake as they are
#   LIB_FUZZING_ENGINE  what fuzz targets link instead of libFuzzer's
#                       main (-fsanitize=fuzzer, libFuzzingEngine.a,
#                       AFL++'s libAFLDriver.a): read by fuzz/CMakeLists.txt
# Optional: PT_BUILD_JOBS (parallel compile jobs, default all cores);
# PT_FUZZ_TARGETS (comma-separated subset of ci/fuzz_targets to build).
#
# The build adds no sanitizer or optimisation flag of its own (PT_SANITIZE
# empty, a build type without flags), so that $CFLAGS alone decides, as
# the builder's sanitizer and coverage modes expect.

: "${SRC:?SRC is not set}" "${OUT:?OUT is not set}" "${WORK:?WORK is not set}"
: "${CC:?CC is not set}" "${LIB_FUZZING_ENGINE:?LIB_FUZZING_ENGINE is not set}"
export LIB_FUZZING_ENGINE
CFLAGS=${CFLAGS:-}

# The physical path: $SRC/partyfuzz may be a link, and $WORK may lie
# inside the tree (the ctest emulation builds under build/); CMake must
# see one spelling of the source directory.
if [ -f ci/fuzz_targets ]; then
	tree=$(pwd -P)
else
	tree=$(cd "$SRC/partyfuzz" && pwd -P)
fi
[ -f "$tree/ci/fuzz_targets" ] || { echo "build.sh: no partyfuzz tree at $tree" >&2; exit 1; }

mapfile -t targets < <(grep -Ev '^[[:space:]]*(#|$)' "$tree/ci/fuzz_targets")
if [ -n "${PT_FUZZ_TARGETS:-}" ]; then
	IFS=, read -r -a want <<<"$PT_FUZZ_TARGETS"
	for t in "${want[@]}"; do
		printf '%s\n' "${targets[@]}" | grep -qx -- "$t" ||
			{ echo "build.sh: $t is not in ci/fuzz_targets" >&2; exit 1; }
	done
	targets=("${want[@]}")
fi
[ ${#targets[@]} -gt 0 ] || { echo "build.sh: ci/fuzz_targets is empty" >&2; exit 1; }

build=$WORK/partyfuzz
# OSSFUZZ: a build type with no flags of its own (CMake adds none for an
# unknown type), and never RelWithDebInfo, which the top CMakeLists.txt
# picks when CMAKE_BUILD_TYPE is empty.
cmake -S "$tree" -B "$build" -G Ninja \
	-DCMAKE_C_COMPILER="$CC" \
	-DCMAKE_C_FLAGS="$CFLAGS" \
	-DCMAKE_BUILD_TYPE=OSSFUZZ \
	-DPT_FUZZ=ON -DPT_SANITIZE= -DPT_WERROR=OFF
cmake --build "$build" -j "${PT_BUILD_JOBS:-$(nproc)}" --target "${targets[@]}"

mkdir -p "$OUT"
for t in "${targets[@]}"; do
	cp "$build/fuzz/$t" "$OUT/$t"
	if [ -f "$tree/fuzz/dict/$t.options" ]; then
		cp "$tree/fuzz/dict/$t.options" "$OUT/$t.options"
	else
		printf '[libfuzzer]\ntimeout = 25\n' >"$OUT/$t.options"
	fi
	if [ -f "$tree/fuzz/dict/$t.dict" ]; then
		cp "$tree/fuzz/dict/$t.dict" "$OUT/$t.dict"
	fi
	# Seeds plus saved crashes (fixed bugs stay in the corpus so every
	# run re-checks them). -j: flat names, as the fuzzer expects; -X: no
	# timestamps or owners, so the archive is the same on every build.
	rm -f "$OUT/${t}_seed_corpus.zip"
	seeds=()
	declare -A seen=()
	for d in corpus regress; do
		[ -d "$tree/$d/$t" ] || continue
		while IFS= read -r -d '' f; do
			# zip -j refuses two entries of one name: first one wins.
			[ -z "${seen[${f##*/}]:-}" ] || continue
			seen[${f##*/}]=1
			seeds+=("$f")
		done < <(find "$tree/$d/$t" -type f ! -name '*.md' ! -name '*.txt' \
			! -name '*.trace' ! -name '*.expect' -print0 | sort -z)
	done
	if [ ${#seeds[@]} -gt 0 ]; then
		zip -q -j -X "$OUT/${t}_seed_corpus.zip" "${seeds[@]}"
	fi
	unset seen
done
