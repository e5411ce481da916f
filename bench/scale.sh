#!/bin/bash
# bench/scale.sh: the store and the manager at scale (issue 13's targets):
# 1,000 stored entries (get_all_downloads, `offlinemgr list`), a 10-hour
# 3-track entry (manifest parse + store index, peak RSS) and 20 entries
# downloading at once from 127.0.0.1 (none starves, peak RSS). Not a test.
# See bench/README.md, "The store at scale".
#
#   bench/scale.sh [--runs N] [--entries N] [--hours H] [--parallel N]
#                  [--seconds S] [--latency MS] [--build-dir DIR] [--no-install]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$HERE")
WORK=$HERE/_work
# shellcheck disable=SC2034 # PY and TEXT: read by common.sh
PY=/usr/bin/python3

RUNS=5                  # runs of each measurement (medians reported)
ENTRIES=1000
HOURS=10
PARALLEL_ENTRIES=20
SECONDS_1X=60           # the stream the parallel downloads fetch
LATENCY=50
BUILD=$TOP/_build-bench
INSTALL=1
TEXT=segmented

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    --entries) ENTRIES=$2; shift ;;
    --hours) HOURS=$2; shift ;;
    --parallel) PARALLEL_ENTRIES=$2; shift ;;
    --seconds) SECONDS_1X=$2; shift ;;
    --latency) LATENCY=$2; shift ;;
    --build-dir) BUILD=$(realpath -m "$2"); shift ;;
    --no-install) INSTALL=0 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=common.sh
. "$HERE/common.sh"

need_tools ffmpeg:ffmpeg /usr/bin/time:time meson:meson ninja:ninja-build
build_targets tools/offlinemgr tests/offline-serve tests/offline-bench-scale
OFFLINEMGR=$BUILD/tools/offlinemgr
SERVE=$BUILD/tests/offline-serve
SCALE=$BUILD/tests/offline-bench-scale

RUNROOT=$WORK/scale
rm -rf "$RUNROOT"; mkdir -p "$RUNROOT"
RAW=$RUNROOT/raw.txt
trap 'stop_server' EXIT

# median of the numbers on stdin
median () { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# value NAME: the medians over the runs of the lines "NAME value unit"
value () { awk -v n="$1" '$1 == n { print $2 }' "$RAW" | median; }

# 1. many entries: each run a fresh store (the manager's own read path)
for run in $(seq "$RUNS"); do
  log "run $run/$RUNS: $ENTRIES entries"
  rm -rf "$RUNROOT/many"
  "$SCALE" entries "$ENTRIES" "$RUNROOT/many" >>"$RAW"
  for _ in 1 2 3; do
    /usr/bin/time -f 'list_wall %e s\nlist_rss %M KB' -a -o "$RAW" \
      "$OFFLINEMGR" --store "$RUNROOT/many" list >/dev/null
    /usr/bin/time -f 'list_json_wall %e s' -a -o "$RAW" \
      "$OFFLINEMGR" --store "$RUNROOT/many" list --json >/dev/null
  done
done

# 2. the long entry: a process each run (its peak RSS is the job's)
for run in $(seq "$RUNS"); do
  log "run $run/$RUNS: a ${HOURS}-hour entry"
  rm -rf "$RUNROOT/long"
  "$SCALE" long "$HOURS" "$RUNROOT/long" >>"$RAW"
done

# 3. entries downloading at once, from the test server
encode_base
STREAM=$(stream_dir 1)
start_server "$STREAM" "$LATENCY" "$RUNROOT/serve.out"
for run in $(seq "$RUNS"); do
  log "run $run/$RUNS: $PARALLEL_ENTRIES entries at once"
  rm -rf "$RUNROOT/parallel"
  "$SCALE" parallel "$PARALLEL_ENTRIES" "$RUNROOT/parallel" "${BASE_URL}manifest.mpd" >>"$RAW"
done
stop_server

P=parallel_$PARALLEL_ENTRIES
L=long_${HOURS}h
cat <<EOF

## The store at scale ($(date -u +%Y-%m-%d), medians of $RUNS runs)

Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r); build: $BUILD (release)

| measurement | target | median |
|---|---|---|
| \`get_all_downloads\`, $ENTRIES entries (median of 20 calls a run) | ≤ 20 ms | $(value "get_all_downloads_${ENTRIES}_median") ms |
| \`offlinemgr list\`, $ENTRIES entries (wall, process start to exit) | ≤ 100 ms | $(awk '$1 == "list_wall" { print $2 * 1000 }' "$RAW" | median) ms |
| \`offlinemgr list --json\`, $ENTRIES entries | | $(awk '$1 == "list_json_wall" { print $2 * 1000 }' "$RAW" | median) ms |
| ${HOURS}-hour 3-track entry ($(value "${L}_resources") resources): parse | | $(value "${L}_parse") ms |
| … track selection | | $(value "${L}_select") ms |
| … store index | | $(value "${L}_store_index") ms |
| … parse + selection + store index | ≤ 1 s | $(value "${L}_total") ms |
| … peak RSS of that process | ≤ 64 MB | $(value "${L}_peak_rss") MB |
| $PARALLEL_ENTRIES entries at once (${SECONDS_1X}-s stream, ${LATENCY} ms a request): wall | | $(value "${P}_wall") ms |
| … first segment stored: earliest / median / latest entry | all progress | $(value "${P}_first_segment_min") / $(value "${P}_first_segment_median") / $(value "${P}_first_segment_max") ms |
| … completed: earliest / median / latest entry | none starves | $(value "${P}_completed_min") / $(value "${P}_completed_median") / $(value "${P}_completed_max") ms |
| … peak RSS | ≤ 40 MB | $(value "${P}_peak_rss") MB |

Raw lines: $RAW
EOF
