#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole offlinemgr test suite:
# installs the Debian packages in tools/debian-packages.txt, configures and
# builds with meson into _build/ (both steps in tools/setup.sh), runs
# `meson test` and the fuzzing smoke (tools/fuzz.sh --smoke), then prints
# the plain summary line "N passed, N failed[, N skipped]" (of meson test).
# Exits non-zero if the build, any test or the fuzzing smoke fails.
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

/usr/bin/python3 tools/test-summary.py "$builddir/meson-logs/testlog.json" || status=1
exit "$status"
