#!/usr/bin/env bash
# Runs a bounded subset of the GStreamer tests (suite 'gst') of the normal
# build (_build/, made by tools/setup.sh) under valgrind memcheck: no memory
# error and no definite leak, with GLib's suppressions
# (/usr/share/glib-2.0/valgrind/glib.supp, package libglib2.0-dev),
# tests/valgrind-libsoup.supp and tests/valgrind-gstreamer.supp (Debian
# ships no GStreamer suppressions; each entry there says why). Children the
# tests run (offlinemgr, gst-launch-1.0, gst-plugin-scanner) are not traced.
#
# The subset is the test cases that never reach a decoder: Debian 12's libav
# plugin links libavcodec → libjxl → libhwy, whose library constructor runs
# RDTSCP, an instruction valgrind 3.19 cannot run (SIGILL), so a test
# that plays H.264 or AAC through avdec_* cannot run under it. That includes
# error cases found only after some samples flowed: a CI run lost
# /offlinesrc-aes/error/bad-padding-last to SIGILL (the segments before the
# damaged last one reach avdec_h264 first, or not, depending on timing), so
# only cases whose error the element raises before streaming (sizes and keys
# are checked when the part reader is made) are here. The cases that play
# are covered by tools/sanitize.sh (ASan, LSan, UBSan).
#
# Arguments: a test name and one -p path restrict the run to them, e.g.
#   tools/valgrind.sh test-cencdec -p /cencdec/clear
# OFFLINEMGR_BUILDDIR names another build directory.
set -euo pipefail

cd "$(dirname "$0")/.."

builddir=${OFFLINEMGR_BUILDDIR:-_build}
if [ ! -f "$builddir/build.ninja" ]; then
  echo "valgrind.sh: no build in $builddir (run tools/setup.sh first)" >&2
  exit 2
fi
meson compile -C "$builddir"

valgrind=(valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite
          --error-exitcode=1 --num-callers=40 --track-origins=no
          --suppressions=/usr/share/glib-2.0/valgrind/glib.supp
          --suppressions="$PWD/tests/valgrind-libsoup.supp"
          --suppressions="$PWD/tests/valgrind-gstreamer.supp")

# test name, then at most one -p path (none: the whole test): GLib 2.74
# prints a TAP plan after each -p, and meson rejects a second plan
subset=(
  "test-fmp4"
  "test-cencdec"
  "test-offlinesrc-aes -p /offlinesrc-aes/decrypt"
  "test-offlinesrc-aes -p /offlinesrc-aes/error/short-key"
  "test-offlinesrc-aes -p /offlinesrc-aes/error/missing-key"
  "test-offlinesrc -p /offlinesrc/error/missing-entry"
  "test-ovp-provider -p /ovp/media-info"
  "test-ovp-provider -p /ovp/http"
  "test-offlinesrc-playback -p /offlinesrc-playback/error/removed-directory"
  "test-offlinesrc-playback -p /offlinesrc-playback/error/truncated-file"
)
if [ $# -gt 0 ]; then
  subset=("$*")
fi

export G_SLICE=always-malloc
# GIO's default proxy resolver (libproxy) throws C++ exceptions whose
# unwinding (libunwind) memcheck reports as invalid reads; the tests talk
# to 127.0.0.1 only and need no proxy
export GIO_USE_PROXY_RESOLVER=dummy
status=0
run=0
for entry in "${subset[@]}"; do
  run=$((run + 1))
  read -r -a words <<< "$entry"
  name=${words[0]}
  args=("${words[@]:1}")
  echo "=== valgrind: $entry"
  if ! meson test -C "$builddir" --no-rebuild --print-errorlogs --timeout-multiplier 10 \
         --wrap="${valgrind[*]}" --logbase "memcheck-$run-$name" \
         ${args[@]+--test-args "${args[*]}"} "$name"; then
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "valgrind: no memory error and no definite leak"
else
  echo "valgrind: FAILED (see the logs above and $builddir/meson-logs/memcheck-*.txt)"
fi
exit "$status"
