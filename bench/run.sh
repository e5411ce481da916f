#!/bin/bash
# bench/run.sh: times `offlinemgr download` against curl, aria2c, yt-dlp and
# ffmpeg on a 3-track DASH stream served from 127.0.0.1 with 50 ms latency.
# See bench/README.md.
#
#   bench/run.sh [--quick] [--runs N] [--runs10 N] [--lengths "1 10"]
#                [--tools "offlinemgr curl aria2c yt-dlp ffmpeg"]
#                [--seconds S] [--build-dir DIR] [--latency MS] [--rate KBIT]
#                [--video-kbit KBIT] [--no-install] [--text segmented|single]
#
# --quick: a 60-second stream, one run of each tool, no 10x stream (a smoke
# run of about a minute). --text single: the subtitles as one WebVTT file
# instead of 2-second segments, so that ffmpeg (which cannot read segmented
# WebVTT) fetches the same URLs as the others (with -map 0). --rate: the
# server sends all bodies together at KBIT kbit/s at most (a shaped link,
# on top of --latency). --video-kbit: the video bitrate of the streams
# (default 1000; small segments at a low one). Results (raw CSV and the
# markdown report) go to bench/_work/results-DATE.{csv,md}; the report is
# printed at the end.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$HERE")
WORK=$HERE/_work
PY=/usr/bin/python3

SECONDS_1X=300          # the 1x stream: 5 minutes
RUNS=5                  # runs per tool on the 1x stream
RUNS10=3                # runs per tool on the 10x stream
LENGTHS="1 10"
TOOLS="offlinemgr curl aria2c yt-dlp ffmpeg"
BUILD=$TOP/_build-bench
LATENCY=50
RATE=                   # kbit/s of the whole link, empty: not shaped
VIDEO_KBIT=             # the streams' video bitrate, empty: 1000
PARALLEL=6
INSTALL=1
TEXT=segmented

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) SECONDS_1X=60; RUNS=1; RUNS10=1; LENGTHS="1" ;;
    --runs) RUNS=$2; shift ;;
    --runs10) RUNS10=$2; shift ;;
    --lengths) LENGTHS=$2; shift ;;
    --tools) TOOLS=$2; shift ;;
    --seconds) SECONDS_1X=$2; shift ;;
    --build-dir) BUILD=$(realpath -m "$2"); shift ;;
    --latency) LATENCY=$2; shift ;;
    --rate) RATE=$2; shift ;;
    --video-kbit) VIDEO_KBIT=$2; shift ;;
    --no-install) INSTALL=0 ;;
    --text) TEXT=$2; shift
            case "$TEXT" in segmented|single) ;; *) echo "run.sh: --text segmented|single" >&2; exit 2 ;; esac ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=common.sh
. "$HERE/common.sh"

# ---- 1. tools -------------------------------------------------------------

need_tools ffmpeg:ffmpeg ffprobe:ffmpeg curl:curl aria2c:aria2 yt-dlp:yt-dlp \
           /usr/bin/time:time meson:meson ninja:ninja-build

# ---- 2. build (an optimised build dir of its own) --------------------------

build_targets tools/offlinemgr tests/offline-serve
OFFLINEMGR=$BUILD/tools/offlinemgr
SERVE=$BUILD/tests/offline-serve

# ---- 3. the streams (stream_dir: see common.sh) -----------------------------

encode_base

# ---- 4. the server ----------------------------------------------------------

RUNROOT=$WORK/run
rm -rf "$RUNROOT"; mkdir -p "$RUNROOT"
SERVE_OUT=$RUNROOT/serve.out
SERVE_PID=
cleanup () {
  stop_server
  rm -rf "$RUNROOT/out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for f in $LENGTHS; do stream_dir "$f" >/dev/null; done

start_server "$WORK/streams" "$LATENCY" "$SERVE_OUT"

# sets REQUESTS to the requests the server saw since the previous call
# (not in a subshell: it counts the lines read in served_lines)
served_lines=1
REQUESTS=
server_requests () {
  sleep 0.2     # lets the server thread account for the last requests
  kill -USR1 "$SERVE_PID"
  for _ in $(seq 500); do
    [ "$(wc -l <"$SERVE_OUT")" -gt "$served_lines" ] && break
    sleep 0.01
  done
  served_lines=$((served_lines + 1))
  REQUESTS=$(sed -n "${served_lines}p" "$SERVE_OUT" | awk '{print $2}')
}

# ---- 5. the runs ------------------------------------------------------------

STAMP=$(date +%Y%m%d-%H%M%S)
CSV=$WORK/results-$STAMP.csv
REPORT=$WORK/results-$STAMP.md
echo "length,seconds,tool,run,wall,user,sys,maxrss_kb,requests,expected_requests,bytes,expected_bytes,load1,status" >"$CSV"

# run_tool TOOL STREAM_NAME OUTDIR URL_PREFIX -> runs it under GNU time
run_tool () {
  local tool=$1 name=$2 out=$3 prefix=$4
  local mpd=$BASE_URL$name/manifest.mpd
  case "$tool" in
    offlinemgr)
      "$OFFLINEMGR" --store "$out/store" download bench --url "$mpd" ;;
    curl)
      curl --silent --show-error --fail --parallel --parallel-max "$PARALLEL" \
        --output-dir "$out" --config "$prefix.curl" ;;
    aria2c)
      aria2c -j"$PARALLEL" -x1 -i "$prefix.txt" -d "$out" --quiet=true ;;
    yt-dlp)
      # -f 0,1: the video and the audio representation, each as it is (no
      # merge); subtitles once (-w keeps the second format from fetching them
      # again); --fixup never: no ffmpeg pass afterwards.
      (cd "$out" && yt-dlp -N "$PARALLEL" --no-part -w --no-progress -q --no-warnings \
         --no-cache-dir -f 0,1 --write-subs --sub-langs all --fixup never \
         -o '%(format_id)s.%(ext)s' -o 'subtitle:sub' "$mpd") ;;
    ffmpeg)
      # segmented text: video and audio only, ffmpeg 5.1's DASH demuxer cannot
      # read segmented WebVTT (it ends the whole input when the first text
      # segment ends); one-file text: everything (-map 0).
      local maps="-map 0"
      [ "$TEXT" = single ] || maps="-map 0:v -map 0:a"
      ffmpeg -hide_banner -loglevel error -nostdin -y -i "$mpd" \
        $maps -c copy -f matroska "$out/out.mkv" ;;
    *) echo "unknown tool $tool" >&2; return 2 ;;
  esac
}

# bytes a tool left on disk (the store's entry bytes for offlinemgr)
stored_bytes () {
  local tool=$1 out=$2
  if [ "$tool" = offlinemgr ]; then
    "$OFFLINEMGR" --store "$out/store" info bench --json 2>/dev/null |
      $PY -c 'import json,sys; e=json.load(sys.stdin); print(e["bytes_downloaded"] if e["state"]=="completed" else -1)'
  else
    find "$out" -type f ! -name '*.aria2' -printf '%s\n' | awk '{s+=$1} END {print s+0}'
  fi
}

for f in $LENGTHS; do
  dir=$(stream_dir "$f"); name=$(basename "$dir")
  prefix=$RUNROOT/urls-$name
  read -r nurls nbytes ntext ntextbytes < <($PY "$HERE/stream.py" urls "$dir" "$BASE_URL$name/" "$prefix")
  runs=$RUNS; [ "$f" = 1 ] || runs=$RUNS10
  secs=$((SECONDS_1X * f))
  log "${f}x stream: $secs s, $TEXT text, $nurls segment URLs, $nbytes bytes; $runs run(s) per tool"
  if [ -n "$RATE" ]; then
    log "$(awk -v b="$nbytes" -v r="$RATE" -v n="$nurls" -v l="$LATENCY" -v p="$PARALLEL" 'BEGIN {
      printf "physical limit: %.2f s for the bytes at %s kbit/s; %.2f s for %d requests x %s ms / %d in flight", b * 8 / (r * 1000), r, n * l / 1000 / p, n, l, p }')"
  fi
  server_requests
  for r in $(seq "$runs"); do
    for tool in $TOOLS; do          # tools interleaved: load drifts hit all alike
      out=$RUNROOT/out; rm -rf "$out"; mkdir -p "$out"
      sync
      load1=$(cut -d' ' -f1 /proc/loadavg)
      status=ok
      if ! /usr/bin/time -f '%e %U %S %M' -o "$RUNROOT/time" \
           bash -c "$(declare -f run_tool); BASE_URL='$BASE_URL' OFFLINEMGR='$OFFLINEMGR' PARALLEL='$PARALLEL' TEXT='$TEXT'; run_tool '$tool' '$name' '$out' '$prefix'" \
           >"$RUNROOT/$tool.log" 2>&1; then
        status=failed
      fi
      read -r wall user sys rss < <(tail -n1 "$RUNROOT/time")
      server_requests; reqs=$REQUESTS
      bytes=$(stored_bytes "$tool" "$out")
      case "$tool" in
        curl|aria2c) expected_reqs=$nurls; expected_bytes=$nbytes ;;
        ffmpeg) expected_reqs=$((nurls + 1)); expected_bytes=-              # remuxed: no byte check
                [ "$TEXT" = single ] || expected_reqs=$((nurls - ntext + 1)) ;;
        *) expected_reqs=$((nurls + 1)); expected_bytes=$nbytes ;;          # + the MPD
      esac
      if [ "$status" = ok ] && [ "$expected_bytes" != - ] && [ "$bytes" != "$expected_bytes" ]; then
        status=short
      fi
      echo "x$f,$secs,$tool,$r,$wall,$user,$sys,$rss,$reqs,$expected_reqs,$bytes,$expected_bytes,$load1,$status" >>"$CSV"
      log "$(printf '%3sx run %d %-10s wall %6ss cpu %6.2fs rss %6d KB  %5s requests  %s' \
        "$f" "$r" "$tool" "$wall" "$(echo "$user + $sys" | bc)" "$rss" "$reqs" "$status")"
      [ "$status" = ok ] || { echo "--- $tool log:" >&2; tail -n5 "$RUNROOT/$tool.log" >&2; }
    done
  done
done
rm -rf "$RUNROOT/out"

$PY "$HERE/report.py" "$CSV" >"$REPORT"
cat "$REPORT"
log "raw results: $CSV; report: $REPORT"
