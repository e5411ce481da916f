#!/bin/bash
# Checks the fixtures written by generate-fixtures.sh:
#  1. structure: 3 media segments per track (1 for WebVTT), relative URIs only;
#  2. ffmpeg decodes every manifest/file with no error;
#  3. GStreamer playbin plays every manifest to the end, both from file:// and
#     over HTTP from a local (127.0.0.1, Range-capable) server, and the
#     fakesinks receive the expected number of decoded video/audio buffers.
# Usage: ./verify-fixtures.sh   (from any directory; exits non-zero on failure)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
DATA_DIR=$PWD
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
FAIL=0
fail() { echo "FAIL: $*"; FAIL=1; }

# --------------------------------------------------------------------------
echo "== structure"
python3 - <<'PY' || FAIL=1
import os, re, struct, sys
import xml.etree.ElementTree as ET
NS = {"d": "urn:mpeg:dash:schema:mpd:2011"}
bad = 0
def err(msg):
    global bad; bad = 1; print("FAIL:", msg)
def relative(uri, where):
    if re.match(r"^[a-z]+:", uri, re.I) or uri.startswith("/"):
        err(f"{where}: absolute URI {uri}")

def hls_segments(path):
    segs = []
    for ln in open(path, encoding="utf-8").read().splitlines():
        if ln.startswith("#EXT-X-KEY") or ln.startswith("#EXT-X-MAP") or ln.startswith("#EXT-X-MEDIA:"):
            m = re.search(r'URI="([^"]+)"', ln)
            if m: relative(m.group(1), path)
        if ln and not ln.startswith("#"):
            relative(ln, path); segs.append(ln)
    return segs

for root, _, files in os.walk("hls"):
    for f in sorted(files):
        if not f.endswith(".m3u8"): continue
        p = os.path.join(root, f)
        segs = hls_segments(p)
        text = open(p, encoding="utf-8").read()
        if f == "master.m3u8":
            continue
        if "#EXT-X-ENDLIST" not in text or "#EXT-X-PLAYLIST-TYPE:VOD" not in text:
            err(f"{p}: not a VOD playlist")
        want = 1 if f.startswith("subs_") else 3
        if len(segs) != want: err(f"{p}: {len(segs)} segments, want {want}")
        for s in set(segs):
            if not os.path.exists(os.path.join(root, s)): err(f"{p}: missing {s}")
        print(f"ok  {p}: {len(segs)} segments")

for root, _, files in os.walk("dash"):
    if "manifest.mpd" not in files: continue
    p = os.path.join(root, "manifest.mpd")
    mpd = ET.parse(p).getroot()
    if mpd.get("type") != "static": err(f"{p}: not static")
    for el in mpd.iter():
        for attr in ("media", "initialization", "sourceURL"):
            if el.get(attr): relative(el.get(attr), p)
        if el.tag.endswith("BaseURL"): relative(el.text, p)
    for period in mpd.findall("d:Period", NS):
        pbase = period.findtext("d:BaseURL", "", NS)
        for rep in period.iter("{%s}Representation" % NS["d"]):
            rid = rep.get("id"); base = os.path.join(root, pbase)
            burl = rep.findtext("d:BaseURL", None, NS)
            st = rep.find("d:SegmentTemplate", NS)
            sl = rep.find("d:SegmentList", NS)
            sb = rep.find("d:SegmentBase", NS)
            if st is not None:
                tl = st.find("d:SegmentTimeline", NS)
                if tl is not None:
                    n = sum(1 + int(s.get("r", "0")) for s in tl.findall("d:S", NS))
                    t = 0; names = []
                    for s in tl.findall("d:S", NS):
                        t = int(s.get("t", t))
                        for _ in range(1 + int(s.get("r", "0"))):
                            names.append(st.get("media").replace("$RepresentationID$", rid).replace("$Time$", str(t)))
                            t += int(s.get("d"))
                else:
                    n = 3  # 6 s / 2 s
                    def number(m, i):
                        return re.sub(r"\$Number(%0(\d+)d)?\$", lambda g: str(i).zfill(int(g.group(2) or 0)), m)
                    names = [number(st.get("media").replace("$RepresentationID$", rid), int(st.get("startNumber", "1")) + i) for i in range(n)]
                    if os.path.exists(os.path.join(base, number(st.get("media").replace("$RepresentationID$", rid), 4))):
                        err(f"{p}: rep {rid} has a 4th segment on disk")
                names.append(st.get("initialization").replace("$RepresentationID$", rid))
                for nm in names:
                    if not os.path.exists(os.path.join(base, nm)): err(f"{p}: missing {nm}")
            elif sl is not None:
                n = len(sl.findall("d:SegmentURL", NS))
                for su in sl.findall("d:SegmentURL", NS):
                    if su.get("media") and not os.path.exists(os.path.join(base, su.get("media"))):
                        err(f"{p}: missing {su.get('media')}")
            elif sb is not None:
                data = open(os.path.join(base, burl), "rb").read()
                a, b = map(int, sb.get("indexRange").split("-"))
                sidx = data[a:b + 1]
                if sidx[4:8] != b"sidx": err(f"{p}: indexRange of {rid} is not a sidx")
                off = 20 + (16 if sidx[8] else 8)
                n = struct.unpack(">H", sidx[off + 2:off + 4])[0]
                a, b = map(int, sb.find("d:Initialization", NS).get("range").split("-"))
                ftyp = struct.unpack(">I", data[0:4])[0]
                moov = struct.unpack(">I", data[ftyp:ftyp + 4])[0]
                if (a != 0 or data[4:8] != b"ftyp" or data[ftyp + 4:ftyp + 8] != b"moov"
                        or ftyp + moov != b + 1):
                    err(f"{p}: Initialization range of {rid} is not ftyp+moov")
            else:
                n = 1  # single-file representation (WebVTT)
                if not os.path.exists(os.path.join(base, burl)): err(f"{p}: missing {burl}")
            want = 1 if (burl or "").endswith(".vtt") else 3
            if n != want: err(f"{p}: rep {rid}: {n} segments, want {want}")
    print(f"ok  {p}")
sys.exit(bad)
PY

# --------------------------------------------------------------------------
# Every fixture: path, expected decoded video frames, audio buffers (minimum),
# text buffers (minimum).
FIXTURES=(
  "dash/template-number/manifest.mpd 150 280 3"
  "dash/template-timeline/manifest.mpd 150 280 0"
  "dash/segment-base/manifest.mpd 150 280 0"
  "dash/segment-list/manifest.mpd 150 280 0"
  "dash/segment-list-range/manifest.mpd 150 280 0"
  "dash/multi-period/manifest.mpd 300 560 0"
  "hls/ts-alt-audio/master.m3u8 150 280 0"
  "hls/fmp4/master.m3u8 150 280 0"
  "hls/byterange/master.m3u8 150 280 0"
  "hls/byterange-fmp4/master.m3u8 150 280 0"
  "hls/aes128/master.m3u8 150 280 0"
  "hls/aes128-seqiv/master.m3u8 150 280 0"
  "hls/muxed/master.m3u8 150 280 0"
  "progressive/clip.mp4 150 280 0"
  "progressive/clip.mp3 0 240 0"
)

echo "== ffmpeg decode"
for fx in "${FIXTURES[@]}"; do
  set -- $fx
  extra=()
  case $1 in *.mpd|*.m3u8) extra=(-allowed_extensions ALL) ;; esac
  if ffmpeg -nostdin -v error "${extra[@]}" -i "$1" -map 0:v? -map 0:a? -f null - \
       > "$TMP/ff.log" 2>&1 && [ ! -s "$TMP/ff.log" ]; then
    echo "ok  $1"
  else
    fail "ffmpeg $1: $(head -c 400 "$TMP/ff.log")"
  fi
done

# --------------------------------------------------------------------------
# A tiny static HTTP server with single-range support (python's http.server
# has none), on 127.0.0.1 and an ephemeral port.
cat > "$TMP/server.py" <<'PY'
import http.server, os, re, sys
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
    def send_head(self):
        rng = self.headers.get("Range")
        path = self.translate_path(self.path)
        if not rng or not os.path.isfile(path):
            return super().send_head()
        m = re.match(r"bytes=(\d*)-(\d*)$", rng.strip())
        size = os.path.getsize(path)
        if not m or (not m.group(1) and not m.group(2)):
            self.send_error(416); return None
        if m.group(1):
            start = int(m.group(1)); end = int(m.group(2)) if m.group(2) else size - 1
        else:
            start = max(0, size - int(m.group(2))); end = size - 1
        end = min(end, size - 1)
        if start > end:
            self.send_error(416); return None
        f = open(path, "rb"); f.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        import io
        data = f.read(end - start + 1); f.close()
        return io.BytesIO(data)
    def end_headers(self):
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()
H.extensions_map.update({".m3u8": "application/vnd.apple.mpegurl",
                         ".mpd": "application/dash+xml", ".m4s": "video/iso.segment",
                         ".ts": "video/mp2t", ".vtt": "text/vtt"})
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(srv.server_address[1]))
srv.serve_forever()
PY

echo "== gstreamer playbin"
if ! command -v gst-launch-1.0 >/dev/null; then
  echo "gst-launch-1.0 not installed: skipped"
else
  python3 "$TMP/server.py" "$TMP/port" &
  SERVER_PID=$!
  for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
  PORT=$(cat "$TMP/port")
  for fx in "${FIXTURES[@]}"; do
    set -- $fx
    for uri in "file://$DATA_DIR/$1" "http://127.0.0.1:$PORT/$1"; do
      rc=0
      timeout 120 gst-launch-1.0 -v playbin uri="$uri" \
        video-sink="fakesink name=vsink sync=false silent=false" \
        audio-sink="fakesink name=asink sync=false silent=false" \
        text-sink="fakesink name=tsink sync=false silent=false" \
        > "$TMP/gst.log" 2>&1 || rc=$?
      nv=$(grep -o 'chain   \*\*\*\*\*\*\* (vsink' "$TMP/gst.log" | wc -l)
      na=$(grep -o 'chain   \*\*\*\*\*\*\* (asink' "$TMP/gst.log" | wc -l)
      nt=$(grep -o 'chain   \*\*\*\*\*\*\* (tsink' "$TMP/gst.log" | wc -l)
      msg="$uri: rc=$rc video=$nv audio=$na text=$nt"
      if [ $rc -ne 0 ] || [ "$nv" -ne "$2" ] || [ "$na" -lt "$3" ] || [ "$nt" -lt "$4" ] \
         || grep -q '^ERROR' "$TMP/gst.log"; then
        fail "$msg $(grep -m1 '^ERROR' "$TMP/gst.log" || true)"
      else
        echo "ok  $msg"
      fi
    done
  done
fi

echo "== size: $(du -sh --apparent-size "$DATA_DIR" | cut -f1) (apparent), $(du -sh "$DATA_DIR" | cut -f1) (on disk)"
if [ $FAIL -ne 0 ]; then echo "SOME CHECKS FAILED"; exit 1; fi
echo "all fixture checks passed"
