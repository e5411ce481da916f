#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz, meson -Dfuzzing=true with
# clang) into _build-fuzz/ if needed, then runs each one in turn, one at a
# time, on its seed corpus (tests/fuzz/corpus/<harness>) and its
# regression inputs (tests/fuzz/regressions/<harness>) with its dictionary.
# Exits non-zero if a harness crashes (a sanitizer report, a leak, a
# CRITICAL, a timeout): the input is kept in _build-fuzz/fuzz-artifacts/.
#
#   tools/fuzz.sh [HARNESS…]               300 s each
#   tools/fuzz.sh --smoke [HARNESS…]       30 s each, fixed seed (CI)
#   tools/fuzz.sh --long SECONDS [HARNESS…]  SECONDS each, under nice -n 19
#   tools/fuzz.sh --runs N [HARNESS…]      until N executions each (no time
#                                          limit), under nice -n 19
#
# The repository's corpus is only read: what a run finds goes to a scratch
# directory, deleted at the end (see tests/fuzz/README.md to add seeds).
# OFFLINEMGR_FUZZ_BUILDDIR names another build directory.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=300
seed=()
limit=()
nice=()
case "${1:-}" in
  --smoke)
    seconds=30
    # the same inputs on every run: the smoke finds what changed in the
    # code, not what a lucky draw finds
    seed=(-seed=1)
    shift
    ;;
  --long)
    seconds=${2:?--long needs a number of seconds}
    nice=(nice -n 19)
    shift 2
    ;;
  --runs)
    # libFuzzer's -runs; -max_total_time=0 is no time limit
    limit=(-runs="${2:?--runs needs a number of executions}")
    seconds=0
    nice=(nice -n 19)
    shift 2
    ;;
esac

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(fuzz-dash fuzz-hls-master fuzz-hls-media fuzz-selection fuzz-fmp4
             fuzz-clearkey fuzz-media-info fuzz-ovp fuzz-store)
fi

builddir=${OFFLINEMGR_FUZZ_BUILDDIR:-_build-fuzz}
if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup -Dfuzzing=true "$builddir"
fi
# only the harnesses (and the library they compile), not the whole project
meson compile -C "$builddir" "${harnesses[@]}"

dict_of() {
  case "$1" in
    fuzz-dash) echo tests/fuzz/dict/mpd.dict ;;
    fuzz-hls-*) echo tests/fuzz/dict/hls.dict ;;
    fuzz-fmp4) echo tests/fuzz/dict/bmff.dict ;;
    fuzz-clearkey|fuzz-media-info|fuzz-ovp) echo tests/fuzz/dict/json.dict ;;
    fuzz-store) echo tests/fuzz/dict/sqlite.dict ;;
    fuzz-selection) echo "$scratch/selection.dict" ;;
  esac
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/offlinemgr-fuzz-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cat tests/fuzz/dict/mpd.dict tests/fuzz/dict/hls.dict > "$scratch/selection.dict"
artifacts="$builddir/fuzz-artifacts"
mkdir -p "$artifacts"

status=0
for h in "${harnesses[@]}"; do
  work="$scratch/$h"
  mkdir -p "$work/corpus" "$work/tmp"
  dirs=("$work/corpus" "tests/fuzz/corpus/$h")
  if [ -d "tests/fuzz/regressions/$h" ]; then
    dirs+=("tests/fuzz/regressions/$h")
  fi
  start=$(date +%s)
  rc=0
  # TMPDIR: fuzz-store's temporary store goes into the scratch directory
  TMPDIR="$work/tmp" "${nice[@]}" "$builddir/tests/fuzz/$h" \
    -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -fork=0 \
    -print_final_stats=1 -dict="$(dict_of "$h")" "${seed[@]}" "${limit[@]}" \
    -artifact_prefix="$artifacts/$h-" "${dirs[@]}" > "$work/log" 2>&1 || rc=$?
  elapsed=$(( $(date +%s) - start ))
  # the last status line: "#N DONE cov: C ft: F corp: … exec/s: E rss: …"
  last=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\) .*/\1/p' <<<"$last")
  eps=$(sed -n 's/.* exec\/s: \([0-9]*\) .*/\1/p' <<<"$last")
  if [ "$rc" -ne 0 ]; then
    status=1
    tail -n 60 "$work/log"
    echo "$h: FAILED (exit $rc) after ${elapsed} s; the input is in $artifacts/"
  else
    echo "$h: ok, ${runs:-?} runs in ${elapsed} s (${eps:-?} exec/s), cov: ${cov:-?} ft: ${ft:-?}"
  fi
done
exit "$status"
