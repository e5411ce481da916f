#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole offlinemgr test suite:
# installs the Debian packages in tools/debian-packages.txt, configures and
# builds with meson into _build/ (both steps in tools/setup.sh), runs
# `meson test`, then prints the plain summary line "N passed, N failed[, N
# skipped]". Exits non-zero if the build or any test fails.
set -euo pipefail

cd "$(dirname "$0")/.."

# shellcheck source=tools/setup.sh
source tools/setup.sh

status=0
meson test -C "$builddir" --print-errorlogs || status=$?
/usr/bin/python3 tools/test-summary.py "$builddir/meson-logs/testlog.json" || status=1
exit "$status"
