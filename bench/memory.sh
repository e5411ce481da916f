#!/bin/bash
# bench/memory.sh: peak RSS of `offlinemgr download` of a long entry with
# many tiny segments, end to end (parse, select, download from 127.0.0.1,
# store). See bench/README.md, "Memory per segment".
#
#   bench/memory.sh [--hours H] [--segment S] [--url-length N] [--runs N]
#                   [--rev REV] [--build-dir DIR] [--no-install]
#
# bench/memory_stream.py writes a 3-track DASH entry (video, audio, WebVTT)
# of H hours (default 10) in S-second segments (default 2): 54,000 segments
# of 300 bytes, whose URLs are ~60 bytes long, or N bytes with
# --url-length N. offline-serve serves it with no latency; each run
# downloads it into a fresh store under GNU time (`/usr/bin/time -f %M`:
# the peak RSS of the offlinemgr process) and checks that every segment is
# stored. --rev REV: build and measure a committed revision (a `git
# archive` copy in bench/_work/rev-SHA/) instead of the working tree
# (_build-bench). Target (issue 8): peak RSS <= 64 MB for 10 h x 3 tracks.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$HERE")
WORK=$HERE/_work
PY=/usr/bin/python3

HOURS=10
SEGMENT=2
URL_LENGTH=0
RUNS=3
BUILD=
REV=
INSTALL=1
SECONDS_1X=0    # (common.sh) no encoded source is needed
TEXT=segmented

while [ $# -gt 0 ]; do
  case "$1" in
    --hours) HOURS=$2; shift ;;
    --segment) SEGMENT=$2; shift ;;
    --url-length) URL_LENGTH=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --rev) REV=$2; shift ;;
    --build-dir) BUILD=$(realpath -m "$2"); shift ;;
    --no-install) INSTALL=0 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "memory.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=common.sh
. "$HERE/common.sh"

need_tools meson:meson ninja:ninja-build /usr/bin/time:time git:git
select_source
build_targets tools/offlinemgr tests/offline-serve
OFFLINEMGR=$BUILD/tools/offlinemgr
SERVE=$BUILD/tests/offline-serve

STREAM=$WORK/memory/stream-${HOURS}h-${SEGMENT}s-url${URL_LENGTH}
mkdir -p "$WORK/memory"
SEGMENTS=$("$PY" "$HERE/memory_stream.py" "$STREAM" --hours "$HOURS" --segment "$SEGMENT" \
           --url-length "$URL_LENGTH")
RUN_DIR=$(mktemp -d "$WORK/memory/run.XXXXXX")
trap 'stop_server; rm -rf "$RUN_DIR"' EXIT
start_server "$STREAM" 0 "$RUN_DIR/serve.out"

log "$VERSION: $SEGMENTS segments ($HOURS h, 3 tracks, ${SEGMENT} s), URLs ${URL_LENGTH:-default} bytes"
for run in $(seq "$RUNS"); do
  store=$RUN_DIR/store-$run
  start=$(date +%s.%N)
  /usr/bin/time -o "$RUN_DIR/time-$run" -f '%M %e' \
    "$OFFLINEMGR" --store "$store" download bench --url "${BASE_URL}manifest.mpd" >/dev/null 2>&1 || {
      echo "memory.sh: the download failed:" >&2
      "$OFFLINEMGR" --store "$store" info bench >&2 || true
      exit 1
    }
  read -r kib wall <"$RUN_DIR/time-$run"
  info=$("$OFFLINEMGR" --store "$store" info bench --json)
  done_total=$(printf '%s' "$info" | "$PY" -c \
    'import json,sys; e=json.load(sys.stdin); print(e.get("state"), e.get("segments_downloaded", e.get("segments_done")), e.get("segments_total"))')
  rm -rf "$store"
  printf 'run %d: peak RSS %.1f MiB (%d KiB), wall %.1f s, entry: %s\n' \
    "$run" "$(echo "$kib / 1024" | bc -l)" "$kib" "$wall" "$done_total"
done
