#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole offlinemgr test suite:
# installs the Debian packages in tools/debian-packages.txt, configures and
# builds with meson into _build/ (both steps in tools/setup.sh), runs
# `meson test`, the fuzzing smoke (tools/fuzz.sh --smoke), tools/sanitize.sh
# (the suite under ASan/UBSan/LSan) and tools/valgrind.sh (GStreamer tests
# under memcheck), then prints the plain summary line
# "N passed, N failed[, N skipped]" of the main `meson test`.
# Exits non-zero if the build, any test, or any of the three fails.
set -euo pipefail

cd "$(dirname "$0")/.."

# shellcheck source=tools/setup.sh
source tools/setup.sh

status=0
meson test -C "$builddir" --print-errorlogs || status=$?

# ---- Fuzzing smoke (tests/fuzz/README.md): a clang build in _build-fuzz/,
# then each libFuzzer harness for 30 s; any crash fails the run.
echo "== fuzz smoke: tools/fuzz.sh --smoke"
if ! ./tools/fuzz.sh --smoke; then
  echo "fuzz smoke: FAILED"
  status=1
fi
# ---- end of fuzzing smoke

# --- sanitizers and valgrind (issue 12) ---
# The whole suite again, built with ASan and UBSan into _build-asan/ (LSan
# on, tests/lsan.supp), then the GStreamer tests that decode no video under
# valgrind memcheck in $builddir. Either failing fails the script.
./tools/sanitize.sh || status=1
OFFLINEMGR_BUILDDIR="$builddir" ./tools/valgrind.sh || status=1
# --- end of sanitizers and valgrind ---

/usr/bin/python3 tools/test-summary.py "$builddir/meson-logs/testlog.json" || status=1
exit "$status"
