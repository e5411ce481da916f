#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for offlinemgr: installs the Debian
# packages in tools/debian-packages.txt (with apt-get, through sudo unless
# root), configures with meson into _build/ (with -Ddocs=true) and builds.
#
# tools/setup-and-test.sh and tools/demo.sh source it (it leaves them in the
# top directory with the build directory in $builddir); it also runs by
# itself. OFFLINEMGR_BUILDDIR names another build directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

mapfile -t packages < <(grep -v -e '^#' -e '^$' tools/debian-packages.txt)
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"

builddir=${OFFLINEMGR_BUILDDIR:-_build}
# -Ddocs=true: the API reference (gi-docgen) is built and tested too
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure -Ddocs=true "$builddir"
else
  meson setup -Ddocs=true "$builddir"
fi
meson compile -C "$builddir"
