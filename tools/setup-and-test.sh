#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole offlinemgr test suite:
# installs the Debian packages in tools/debian-packages.txt, configures and
# builds with meson into _build/, runs `meson test`, then prints the plain
# summary line "N passed, N failed[, N skipped]". Exits non-zero if the
# build or any test fails.
set -euo pipefail

cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

mapfile -t packages < <(grep -v -e '^#' -e '^$' tools/debian-packages.txt)
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"

builddir=_build
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir"
else
  meson setup "$builddir"
fi
meson compile -C "$builddir"

status=0
meson test -C "$builddir" --print-errorlogs || status=$?
/usr/bin/python3 tools/test-summary.py "$builddir/meson-logs/testlog.json" || status=1
exit "$status"
