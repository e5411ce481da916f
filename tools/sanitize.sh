#!/usr/bin/env bash
# Builds offlinemgr with AddressSanitizer and UndefinedBehaviorSanitizer
# into _build-asan/ (the options of tools/setup.sh plus
# -Db_sanitize=address,undefined -Db_lundef=false) and runs the whole test
# suite there with `meson test --setup asan` (tests/meson.build: the ASan
# runtime preloaded for Python, gjs and the GStreamer tools, LeakSanitizer
# with tests/lsan.supp, UBSan halting on error).
#
# Fails if a test fails or if any process the tests ran (children included,
# whatever their exit status) wrote a sanitizer report: every process
# writes its reports to _build-asan/sanitizer-logs/, printed here at the end.
# Arguments go to `meson test` (e.g. a test name, or --suite unit).
# The Debian packages come from tools/setup.sh (gcc ships the runtimes).
# OFFLINEMGR_ASAN_BUILDDIR names another build directory.
set -euo pipefail

cd "$(dirname "$0")/.."

builddir=${OFFLINEMGR_ASAN_BUILDDIR:-_build-asan}
options=(-Ddocs=true -Db_sanitize=address,undefined -Db_lundef=false)
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "${options[@]}" "$builddir"
else
  meson setup "${options[@]}" "$builddir"
fi
# the build runs instrumented programs too (g-ir-scanner's dumper): their
# leaks at exit are not the tests'
ASAN_OPTIONS=detect_leaks=0 meson compile -C "$builddir"

logs="$builddir/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"

status=0
meson test -C "$builddir" --setup asan --print-errorlogs "$@" || status=$?

# UBSan in a process without the ASan runtime's log_path writes to stderr:
# the test logs are searched too.
testlog="$builddir/meson-logs/testlog-asan.txt"
reports=$(find "$logs" -type f | sort)
stderr_reports=$(grep -c -E 'runtime error: |ERROR: (Address|Leak|UndefinedBehavior)Sanitizer' "$testlog" || true)
if [ -n "$reports" ]; then
  echo
  echo "=== sanitizer reports ($(echo "$reports" | wc -l) processes) ==="
  for report in $reports; do
    echo "--- $report"
    cat "$report"
  done
  status=1
fi
if [ "$stderr_reports" -gt 0 ]; then
  echo
  echo "=== $stderr_reports sanitizer report lines in $testlog ==="
  grep -E 'runtime error: |ERROR: (Address|Leak|UndefinedBehavior)Sanitizer' "$testlog" | head -50
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "sanitize: no ASan, LSan or UBSan report"
else
  echo "sanitize: FAILED (tests or sanitizer reports above)"
fi
exit "$status"
