# shellcheck shell=bash
# bench/common.sh: what bench/run.sh (downloads) and bench/playback.sh
# (playback) share: the tools, the build, the encoded source, the DASH
# streams and the server. Sourced, not run. The caller sets HERE (bench/),
# TOP (the source tree), WORK (bench/_work), PY, BUILD (the build dir; of
# SRC if set, else of TOP),
# INSTALL (1: apt-get what is missing), SECONDS_1X (the source's length),
# TEXT (segmented|single) and, optionally, VIDEO_KBIT (the video bitrate,
# default 1000; another one names the streams after it).

log () { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# need_tools CMD:PACKAGE... installs the packages of the missing commands
need_tools () {
  local pair cmd pkg
  local need_pkgs=()
  for pair in "$@"; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || need_pkgs+=("$pkg")
  done
  [ ${#need_pkgs[@]} -eq 0 ] || install_packages "${need_pkgs[@]}"
}

# install_packages PACKAGE... with apt-get (through sudo unless root),
# or fails if INSTALL=0
install_packages () {
  local SUDO=
  if [ "$INSTALL" = 0 ]; then
    echo "$(basename "$0"): missing packages: $*" >&2; exit 1
  fi
  [ "$(id -u)" = 0 ] || SUDO=sudo
  log "installing $*"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# select_source: from --rev REV (REV set) a copy of that revision in SRC,
# built in $WORK/rev-SHA/build; else the working tree, built in
# $TOP/_build-bench (BUILD, if set, wins). Sets SRC, BUILD and VERSION.
select_source () {
  local sha changed
  if [ -n "$REV" ]; then
    sha=$(git -C "$TOP" rev-parse --short=12 "$REV^{commit}")
    SRC=$WORK/rev-$sha/src
    if [ ! -f "$SRC/meson.build" ]; then
      log "exporting $REV ($sha) into $SRC"
      rm -rf "$SRC" "$SRC.tmp"; mkdir -p "$SRC.tmp"
      git -C "$TOP" archive "$sha" | tar -x -C "$SRC.tmp"
      mv "$SRC.tmp" "$SRC"
    fi
    BUILD=${BUILD:-$WORK/rev-$sha/build}
    VERSION="revision $sha ($(git -C "$TOP" log -1 --format=%s "$sha"))"
  else
    BUILD=${BUILD:-$TOP/_build-bench}
    VERSION="working tree of $(git -C "$TOP" rev-parse --short=12 HEAD)"
    changed=$(git -C "$TOP" status --porcelain -- libofflinemgr-glib gst-offline tools | wc -l)
    [ "$changed" = 0 ] || VERSION="$VERSION with $changed uncommitted changes in libofflinemgr-glib/ gst-offline/ tools/"
  fi
}

# build_targets TARGET... in $BUILD, configured (release) the first time
build_targets () {
  if [ ! -f "$BUILD/build.ninja" ]; then
    log "configuring $BUILD (release)"
    meson setup "$BUILD" "${SRC:-$TOP}" --buildtype=release >/dev/null
  fi
  log "building $* in $BUILD"
  ninja -C "$BUILD" "$@" >/dev/null
}

# encode_base: sets BASE to the encoded source (made once): SECONDS_1X s of
# 640x360 25 fps H.264 (~1 Mb/s or VIDEO_KBIT, keyframe every 2 s) + AAC, in MP4
encode_base () {
  mkdir -p "$WORK/streams"
  local kbit=${VIDEO_KBIT:-1000}
  BASE=$WORK/streams/base-${SECONDS_1X}s${VIDEO_KBIT:+-${VIDEO_KBIT}k}.mp4
  [ ! -s "$BASE" ] || return 0
  log "encoding a ${SECONDS_1X}s 640x360 H.264 (~$kbit kb/s, keyframe every 2 s) + AAC source"
  ffmpeg -hide_banner -loglevel error -nostdin -y \
    -f lavfi -i "testsrc2=size=640x360:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000,aformat=channel_layouts=stereo" \
    -t "$SECONDS_1X" -map 0:v -map 1:a \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -b:v "${kbit}k" -maxrate "${kbit}k" -bufsize "${kbit}k" \
    -g 50 -keyint_min 50 -sc_threshold 0 \
    -c:a aac -b:a 128k "$BASE.tmp.mp4"
  mv "$BASE.tmp.mp4" "$BASE"
}

# stream_dir LENGTH_FACTOR -> prints the directory of $BASE looped
# LENGTH_FACTOR times, packaged as DASH with 2 s segments plus WebVTT
# subtitles (created if missing)
stream_dir () {
  local factor=$1 dir=$WORK/streams/${SECONDS_1X}s${VIDEO_KBIT:+-${VIDEO_KBIT}k}-x$1 textopt=
  [ "$TEXT" = segmented ] || { dir=$dir-vtt1; textopt=--text-single; }
  if [ ! -f "$dir/.done" ]; then
    log "packaging the ${factor}x stream ($((SECONDS_1X * factor)) s) into $dir"
    rm -rf "$dir"; mkdir -p "$dir"
    # shellcheck disable=SC2016 # $RepresentationID$, $Number$: DASH templates
    ffmpeg -hide_banner -loglevel error -nostdin -y -stream_loop $((factor - 1)) -i "$BASE" \
      -map 0:v -map 0:a -c copy -f dash -seg_duration 2 -use_template 1 -use_timeline 0 \
      -adaptation_sets "id=0,streams=v id=1,streams=a" \
      -init_seg_name 'init-$RepresentationID$.m4s' \
      -media_seg_name 'seg-$RepresentationID$-$Number%05d$.m4s' \
      "$dir/manifest.mpd"
    $PY "$HERE/stream.py" finish "$dir" $textopt
    touch "$dir/.done"
  fi
  echo "$dir"
}

# start_server ROOT LATENCY_MS OUT_FILE: runs offline-serve ($SERVE) in the
# background, its stdout into OUT_FILE (RATE, if set: the link's kbit/s); sets
# SERVE_PID and BASE_URL. The caller stops it (stop_server) in its EXIT trap.
start_server () {
  "$SERVE" --root "$1" --latency "$2" ${RATE:+--rate "$RATE"} >"$3" &
  SERVE_PID=$!
  for _ in $(seq 100); do [ -s "$3" ] && break; sleep 0.05; done
  BASE_URL=$(head -n1 "$3")
  case "$BASE_URL" in
    http://127.0.0.1:*) ;;
    *) echo "$(basename "$0"): offline-serve did not start" >&2; exit 1 ;;
  esac
  log "serving $1 at $BASE_URL with $2 ms latency${RATE:+, $RATE kbit/s in all}"
}

stop_server () {
  if [ -n "${SERVE_PID:-}" ]; then
    kill -TERM "$SERVE_PID" 2>/dev/null || true
    wait "$SERVE_PID" 2>/dev/null || true
    SERVE_PID=
  fi
}
