#!/usr/bin/env bash
# The offlinemgr demo on a fresh Debian 12 machine: installs the packages and
# builds into _build/ (tools/setup.sh), serves the bundled sample stream
# (tests/data, a two-period DASH presentation) from 127.0.0.1 with a local
# HTTP server that delays every request (DEMO_LATENCY_MS, default 600 ms, so
# that the download takes a few seconds), downloads it into a temporary store
# with the offlinemgr command-line tool (a progress bar on a terminal, plain
# progress lines otherwise), prints `offlinemgr list`, and cleans up: the
# server is stopped and the store deleted, whatever happens.
set -euo pipefail

cd "$(dirname "$0")/.."

# shellcheck source=tools/setup.sh
source tools/setup.sh

latency=${DEMO_LATENCY_MS:-600}
manifest=dash/multi-period/manifest.mpd
workdir=$(mktemp -d "${TMPDIR:-/tmp}/offlinemgr-demo-XXXXXX")
server_pid=""

cleanup () {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The server prints its base URL as its first line, then serves until killed.
: >"$workdir/server.out"
"$builddir/tests/offline-serve" --root tests/data --latency "$latency" >"$workdir/server.out" &
server_pid=$!
base_url=""
until IFS= read -r base_url <"$workdir/server.out" && [ -n "$base_url" ]; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "demo: the HTTP server did not start" >&2
    exit 1
  fi
  sleep 0.05
done

offlinemgr=("$builddir/tools/offlinemgr" --store "$workdir/store")
echo
echo "Serving tests/data at $base_url (every request delayed by $latency ms)"
echo "\$ offlinemgr download sample --url ${base_url}$manifest --language es --bitrate 150000 --name 'Sample stream'"
"${offlinemgr[@]}" download sample --url "${base_url}$manifest" --language es --bitrate 150000 \
  --name "Sample stream"
echo
echo "\$ offlinemgr list"
"${offlinemgr[@]}" list
