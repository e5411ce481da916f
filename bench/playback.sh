#!/bin/bash
# bench/playback.sh: times playback start (PLAYING to the first decoded
# video frame) and seeks of `playbin uri=offline://ID` against
# `playbin uri=file://` on an equivalent local MP4. See bench/README.md.
#
#   bench/playback.sh [--quick] [--runs N] [--seconds S] [--no-sync]
#                     [--no-audio] [--breakdown] [--settle S] [--rev REV]
#                     [--build-dir DIR] [--no-install]
#
# Uses the stream of bench/run.sh (SECONDS s of 640x360 25 fps H.264 + AAC,
# DASH with 2 s segments + segmented WebVTT; made if missing), downloads it
# with offlinemgr into a fresh store, remuxes the same source into a local
# MP4 (-c copy -movflags +faststart), then runs bench/playback.py measure in
# a fresh process per run, offline:// and file:// alternating (and which
# goes first alternating too), after one warm-up run of each. --quick: the
# 60 s stream, 3 runs, 0.3 s of play between seeks (about 30 s). --no-sync:
# fakesinks with sync=false; --no-audio: playbin's audio flag off as well (a
# diagnostic: the audio stops being decoded after its first buffers);
# --breakdown: also time each seek's first buffer at each element of the
# video path (a diagnostic: the probes cost time, do not compare with plain
# runs). --rev REV: build and measure a committed revision (a `git archive`
# copy in bench/_work/rev-SHA/src, built in bench/_work/rev-SHA/build)
# instead of the working tree in _build-bench. Results go to
# bench/_work/playback-DATE.{jsonl,md}; the report is printed at the end.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$HERE")
WORK=$HERE/_work
PY=/usr/bin/python3

SECONDS_1X=300          # the stream of run.sh: 5 minutes
RUNS=11
SETTLE=0.5              # seconds of play before each seek
OPTS=()                 # options of playback.py measure
BUILD=
REV=
INSTALL=1
TEXT=segmented          # the entry has a WebVTT track (playbin's text flag is off)

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) SECONDS_1X=60; RUNS=3; SETTLE=0.3 ;;
    --runs) RUNS=$2; shift ;;
    --seconds) SECONDS_1X=$2; shift ;;
    --no-sync|--no-audio|--breakdown) OPTS+=("$1") ;;
    --settle) SETTLE=$2; shift ;;
    --rev) REV=$2; shift ;;
    --build-dir) BUILD=$(realpath -m "$2"); shift ;;
    --no-install) INSTALL=0 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "playback.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=common.sh
. "$HERE/common.sh"

# ---- 1. tools and build -----------------------------------------------------

need_tools ffmpeg:ffmpeg meson:meson ninja:ninja-build git:git
select_source
build_targets tools/offlinemgr tests/offline-serve gst-offline/libgstoffline.so
OFFLINEMGR=$BUILD/tools/offlinemgr
SERVE=$BUILD/tests/offline-serve

# the plugin from our build dir, and a registry of our own: the default one
# is shared with whatever else runs GStreamer on this machine
PBROOT=$WORK/playback
mkdir -p "$PBROOT"
export GST_PLUGIN_PATH=$BUILD/gst-offline
export GST_REGISTRY=$PBROOT/registry.bin
missing=$($PY "$HERE/playback.py" check) || exit 1
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086 # one word a package
  install_packages $missing
  missing=$($PY "$HERE/playback.py" check) || exit 1
  [ -z "$missing" ] || { echo "playback.sh: GStreamer elements still missing: $missing" >&2; exit 1; }
fi

# ---- 2. the stream, the store, the MP4 -------------------------------------

encode_base
dir=$(stream_dir 1)
name=$(basename "$dir")
ENTRY=bench-$name
STORE=$PBROOT/store
MP4=$WORK/streams/local-${SECONDS_1X}s.mp4

SERVE_PID=
trap stop_server EXIT
trap 'exit 130' INT TERM

rm -rf "$STORE"
start_server "$WORK/streams" 0 "$PBROOT/serve.out"
log "downloading $name into $STORE as $ENTRY"
"$OFFLINEMGR" --store "$STORE" download "$ENTRY" --url "$BASE_URL$name/manifest.mpd" >"$PBROOT/download.log" 2>&1 ||
  { tail -n5 "$PBROOT/download.log" >&2; exit 1; }
stop_server
state=$("$OFFLINEMGR" --store "$STORE" info "$ENTRY" --json |
  $PY -c 'import json,sys; e=json.load(sys.stdin); print(e["state"], e["segments_done"], e["bytes_downloaded"])')
log "entry $ENTRY: $state (state, segments, bytes)"
[ "${state%% *}" = completed ] || { echo "playback.sh: the download did not complete" >&2; exit 1; }

if [ ! -s "$MP4" ]; then
  log "remuxing $(basename "$BASE") into $MP4 (-c copy -movflags +faststart)"
  ffmpeg -hide_banner -loglevel error -nostdin -y -i "$BASE" -map 0:v -map 0:a -c copy \
    -movflags +faststart "$MP4.tmp.mp4"
  mv "$MP4.tmp.mp4" "$MP4"
fi

# ---- 3. the runs ----------------------------------------------------------------

STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=$WORK/playback-$STAMP.jsonl
REPORT=$WORK/playback-$STAMP.md
OFFLINE_URI=offline://$ENTRY
FILE_URI=file://$MP4

# measure URI LABEL -> one JSON line on stdout
measure () {
  $PY "$HERE/playback.py" measure "$1" --store "$STORE" --settle "$SETTLE" --label "$2" ${OPTS[@]+"${OPTS[@]}"}
}

log "warm-up: one run of each (not counted)"
measure "$OFFLINE_URI" warmup >/dev/null
measure "$FILE_URI" warmup >/dev/null

: >"$RESULTS"
for r in $(seq "$RUNS"); do
  order="$OFFLINE_URI $FILE_URI"
  [ $((r % 2)) = 1 ] || order="$FILE_URI $OFFLINE_URI"
  for uri in $order; do
    line=$(measure "$uri" "run $r") || log "run $r failed: $line"
    echo "$line" >>"$RESULTS"
    log "$($PY -c 'import json,sys; r=json.loads(sys.argv[1]); print("run %s %-8s first frame %6.1f ms, seeks %s ms, load %.2f%s" % (
      r["label"][4:], r["kind"], r.get("first_frame_ms", -1),
      " ".join("%.0f" % s["ms"] for s in r.get("seeks", [])), r["load1"],
      ("  ERROR " + r["error"]) if "error" in r else ""))' "$line")"
  done
done

{
  echo "Code: $VERSION, built in $BUILD. Stream: $name ($SECONDS_1X s), entry $ENTRY;"
  echo "MP4 $(basename "$MP4"); ${SETTLE} s of play before each seek."
  echo
  $PY "$HERE/playback.py" report "$RESULTS"
} >"$REPORT"
cat "$REPORT"
log "raw results: $RESULTS; report: $REPORT"
