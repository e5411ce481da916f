#!/bin/bash
# Checks the fixtures written by generate-fixtures.sh:
#  1. structure: 3 media segments per track (1 for WebVTT), VOD/static
#     manifests, relative URIs only, every referenced file/byte range exists;
#  2. per track, the exact bytes a client would fetch (init + segments, with
#     byte ranges, SegmentBase sidx, AES-128 with explicit or sequence-number
#     IV) decode with ffmpeg without error: 150 video / 282 AAC frames;
#     and hls/discontinuity*'s timestamps start over at the discontinuity;
#  3. ffmpeg decodes every HLS master and progressive file without error;
#  4. GStreamer playbin plays every manifest to EOS, both from file:// and
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
# Structure + reconstruction: for every track, the bytes a client would fetch
# (init section + each media segment, honouring byte ranges and AES-128) are
# concatenated into $TMP/streams/*, which are decoded below.
echo "== structure"
mkdir -p "$TMP/streams"
python3 - "$TMP/streams" <<'PY' || FAIL=1
import os, re, struct, subprocess, sys
import xml.etree.ElementTree as ET
OUT = sys.argv[1]
NS = {"d": "urn:mpeg:dash:schema:mpd:2011"}
bad = 0
def err(msg):
    global bad; bad = 1; print("FAIL:", msg)
def relative(uri, where):
    if re.match(r"^[a-z]+:", uri, re.I) or uri.startswith("/"):
        err(f"{where}: absolute URI {uri}")
def read(path, rng=None):
    data = open(path, "rb").read()
    if rng is None: return data
    a, b = rng
    if b >= len(data): err(f"{path}: range {a}-{b} beyond size {len(data)}")
    return data[a:b + 1]
def emit(name, chunks):
    with open(os.path.join(OUT, name.replace("/", "__")), "wb") as f:
        for c in chunks: f.write(c)

def crc32_mpeg(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if crc & 0x80000000 else (crc << 1) & 0xFFFFFFFF
    return crc

def ts_first_packet_ok(d):
    """The first TS packet is a PSI section (SDT/PAT) with a valid CRC; this
    catches a wrong AES-128 IV, which only garbles the first 16 bytes."""
    if len(d) < 188 or d[0] != 0x47 or not d[1] & 0x40: return False
    pid = ((d[1] & 0x1F) << 8) | d[2]
    if pid not in (0x0000, 0x0011): return False
    sec = d[5 + d[4]:188]
    length = ((sec[1] & 0x0F) << 8) | sec[2]
    return crc32_mpeg(sec[:3 + length]) == 0

# ---- HLS media playlists
def hls_media(path):
    base = os.path.dirname(path)
    chunks = []; segs = []; key = None; iv = None; seq = 0; idx = 0
    brange = None; next_off = {}
    for ln in open(path, encoding="utf-8").read().splitlines():
        ln = ln.strip()
        if ln.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            seq = int(ln.split(":", 1)[1])
        elif ln.startswith("#EXT-X-KEY:"):
            method = re.search(r"METHOD=([A-Z0-9-]+)", ln).group(1)
            if method == "NONE": key = None; continue
            uri = re.search(r'URI="([^"]+)"', ln).group(1); relative(uri, path)
            key = open(os.path.join(base, uri), "rb").read().hex()
            m = re.search(r"IV=0[xX]([0-9a-fA-F]{32})", ln)
            iv = m.group(1) if m else None
        elif ln.startswith("#EXT-X-MAP:"):
            uri = re.search(r'URI="([^"]+)"', ln).group(1); relative(uri, path)
            m = re.search(r'BYTERANGE="(\d+)@(\d+)"', ln)
            rng = (int(m.group(2)), int(m.group(2)) + int(m.group(1)) - 1) if m else None
            chunks.append(read(os.path.join(base, uri), rng))
        elif ln.startswith("#EXT-X-BYTERANGE:"):
            v = ln.split(":", 1)[1]
            n, _, o = v.partition("@")
            brange = (int(n), int(o) if o else None)
        elif ln and not ln.startswith("#"):
            relative(ln, path); segs.append(ln)
            rng = None
            if brange:
                off = brange[1] if brange[1] is not None else next_off[ln]
                rng = (off, off + brange[0] - 1); next_off[ln] = off + brange[0]
            data = read(os.path.join(base, ln), rng)
            if key:
                seg_iv = iv or "%032x" % (seq + idx)
                data = subprocess.run(["openssl", "enc", "-d", "-aes-128-cbc", "-K", key,
                                       "-iv", seg_iv], input=data, capture_output=True,
                                      check=True).stdout
            if ln.endswith(".ts") and not ts_first_packet_ok(data):
                err(f"{path}: segment {idx} ({ln}) does not start with a valid PSI packet"
                    + (" after AES-128 decryption" if key else ""))
            chunks.append(data); idx += 1; brange = None
    return segs, chunks

for root, dirs, files in sorted(os.walk("hls")):
    dirs.sort()
    for f in sorted(files):
        if not f.endswith(".m3u8"): continue
        p = os.path.join(root, f)
        text = open(p, encoding="utf-8").read()
        if f == "master.m3u8":
            for ln in text.splitlines():
                m = re.search(r'URI="([^"]+)"', ln)
                if m: relative(m.group(1), p)
                if ln.startswith("#EXT-X-STREAM-INF:"):
                    for a in ("BANDWIDTH=", "AVERAGE-BANDWIDTH=", "RESOLUTION=", "CODECS="):
                        if a not in ln: err(f"{p}: STREAM-INF without {a}")
            continue
        if "#EXT-X-ENDLIST" not in text or "#EXT-X-PLAYLIST-TYPE:VOD" not in text:
            err(f"{p}: not a VOD playlist")
        segs, chunks = hls_media(p)
        want = 1 if f.startswith("subs_") else 3
        if len(segs) != want: err(f"{p}: {len(segs)} segments, want {want}")
        # hls/map-switch*: two init segments, not one decodable stream
        # (test-offlinesrc-map-switch decodes them part by part)
        if want == 3 and "/map-switch" not in p: emit(p, chunks)
        print(f"ok  {p}: {len(segs)} segments")

# ---- DASH
def sidx_ranges(data, a, b):
    sidx = data[a:b + 1]
    if sidx[4:8] != b"sidx": err("indexRange is not a sidx"); return []
    v = sidx[8]; p = 20 + (16 if v else 8)
    first = struct.unpack(">Q" if v else ">I", sidx[p - (8 if v else 4):p])[0]
    n = struct.unpack(">H", sidx[p + 2:p + 4])[0]
    off = b + 1 + first; out = []
    for i in range(n):
        size = struct.unpack(">I", sidx[p + 4 + 12 * i:p + 8 + 12 * i])[0] & 0x7FFFFFFF
        out.append((off, off + size - 1)); off += size
    return out

def rng(s):
    a, b = s.split("-"); return int(a), int(b)

for root, dirs, files in sorted(os.walk("dash")):
    if "manifest.mpd" not in files: continue
    p = os.path.join(root, "manifest.mpd")
    # encrypted (dash/cenc, dash/cbcs): ffmpeg 5.1 cannot decrypt their
    # fragments; the GStreamer tests decrypt and compare them
    if "ContentProtection" in open(p).read(): continue
    mpd = ET.parse(p).getroot()
    if mpd.get("type") != "static": err(f"{p}: not static")
    for el in mpd.iter():
        for attr in ("media", "initialization", "sourceURL"):
            if el.get(attr): relative(el.get(attr), p)
        if el.tag.endswith("BaseURL"): relative(el.text, p)
    for pi, period in enumerate(mpd.findall("d:Period", NS)):
        base = os.path.join(root, period.findtext("d:BaseURL", "", NS))
        for rep in period.iter("{%s}Representation" % NS["d"]):
            rid = rep.get("id")
            burl = rep.findtext("d:BaseURL", None, NS)
            st = rep.find("d:SegmentTemplate", NS)
            sl = rep.find("d:SegmentList", NS)
            sb = rep.find("d:SegmentBase", NS)
            chunks = []
            if st is not None:
                media = st.get("media").replace("$RepresentationID$", rid)
                tl = st.find("d:SegmentTimeline", NS)
                if tl is not None:
                    names = []; t = 0
                    for s in tl.findall("d:S", NS):
                        t = int(s.get("t", t))
                        for _ in range(1 + int(s.get("r", "0"))):
                            names.append(media.replace("$Time$", str(t))); t += int(s.get("d"))
                else:
                    def number(i):
                        return re.sub(r"\$Number(?:%0(\d+)d)?\$",
                                      lambda g: str(i).zfill(int(g.group(1) or 0)), media)
                    dur = float((period.get("duration") or mpd.get("mediaPresentationDuration"))[2:-1])
                    count = round(dur * int(st.get("timescale")) / int(st.get("duration")))
                    first = int(st.get("startNumber", "1"))
                    names = [number(first + i) for i in range(count)]
                    if os.path.exists(os.path.join(base, number(first + count))):
                        err(f"{p}: rep {rid}: extra segment {number(first + count)} on disk")
                chunks.append(read(os.path.join(base, st.get("initialization").replace("$RepresentationID$", rid))))
                chunks += [read(os.path.join(base, n)) for n in names]
                n = len(names)
            elif sl is not None:
                init = sl.find("d:Initialization", NS)
                urls = sl.findall("d:SegmentURL", NS)
                if init.get("sourceURL"):
                    chunks.append(read(os.path.join(base, init.get("sourceURL"))))
                else:
                    chunks.append(read(os.path.join(base, burl), rng(init.get("range"))))
                for u in urls:
                    if u.get("media"):
                        chunks.append(read(os.path.join(base, u.get("media"))))
                    else:
                        chunks.append(read(os.path.join(base, burl), rng(u.get("mediaRange"))))
                n = len(urls)
            elif sb is not None:
                path = os.path.join(base, burl); data = read(path)
                a, b = rng(sb.find("d:Initialization", NS).get("range"))
                ftyp = struct.unpack(">I", data[0:4])[0]
                moov = struct.unpack(">I", data[ftyp:ftyp + 4])[0]
                if (a != 0 or data[4:8] != b"ftyp" or data[ftyp + 4:ftyp + 8] != b"moov"
                        or ftyp + moov != b + 1):
                    err(f"{p}: Initialization range of {rid} is not ftyp+moov")
                chunks.append(data[a:b + 1])
                refs = sidx_ranges(data, *rng(sb.get("indexRange")))
                for r in refs:
                    if data[r[0] + 4:r[0] + 8] != b"moof": err(f"{p}: sidx ref of {rid} is not a moof")
                    chunks.append(data[r[0]:r[1] + 1])
                if refs and refs[-1][1] != len(data) - 1: err(f"{p}: sidx of {rid} does not cover the file")
                n = len(refs)
            else:
                n = 1  # single-file representation (WebVTT sidecar)
                read(os.path.join(base, burl))
            want = 1 if (burl or "").endswith(".vtt") else 3
            if n != want: err(f"{p}: rep {rid}: {n} segments, want {want}")
            if want == 3: emit(f"{p}.p{pi}.rep{rid}", chunks)
    print(f"ok  {p}")
sys.exit(bad)
PY

echo "== decode reconstructed tracks (ffmpeg; expect 150 video / 282 audio packets)"
for f in "$TMP"/streams/*; do
  name=${f##*/}
  if ! out=$(timeout -s KILL 60 ffprobe -v error -count_packets \
        -show_entries stream=index,codec_type,nb_read_packets -of csv=p=0 "$f" 2>&1); then
    fail "$name: ffprobe: $out"; continue
  fi
  out=$(echo "$out" | grep . | sort -u)
  err=$(timeout -s KILL 60 ffmpeg -nostdin -v error -i "$f" -f null - 2>&1 || echo "exit $?")
  summary=$(echo "$out" | tr '\n' ' ')
  ok=1
  while IFS=, read -r _ type n; do
    case $type in
      video) [ "$n" = 150 ] || ok=0 ;;
      audio) [ "$n" = 282 ] || ok=0 ;;
      *) ok=0 ;;
    esac
  done <<< "$out"
  if [ $ok = 1 ] && [ -z "$err" ]; then echo "ok  $name: $summary"; else fail "$name: $summary $err"; fi
done

# hls/discontinuity and hls/discontinuity-offset are what they claim: the
# playlist marks the discontinuity right before segment 1, and segment 1
# (the second encode) starts its video PTS over, below where segment 0
# ended. Segment 0's first video PTS is 1.4 s, its first PCR 0.7 s: a
# PTS-PCR offset of 0.7 s. Segment 1 starts the same in hls/discontinuity;
# in hls/discontinuity-offset (another mux delay) at PTS 2.0 s, PCR 1.7 s:
# an offset of 0.3 s.
echo "== hls/discontinuity*: timestamps start over at the discontinuity"
first_pts() { # first_pts TS_FILE: the first video packet's PTS (90 kHz)
  ffprobe -v error -select_streams v:0 -show_entries packet=pts -of csv=p=0 \
    -read_intervals '%+#1' "$1" | cut -d, -f1 | grep . | head -n1
}
last_pts() { # last_pts TS_FILE: the last video packet's PTS (90 kHz)
  ffprobe -v error -select_streams v:0 -show_entries packet=pts -of csv=p=0 "$1" | cut -d, -f1 |
    grep . | tail -n1
}
first_pcr() { # first_pcr TS_FILE: the first PCR's base (90 kHz)
  python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
for i in range(0, len(data) - 187, 188):
    p = data[i:i + 188]
    if p[3] & 0x20 and p[4] >= 7 and p[5] & 0x10:  # adaptation field with a PCR
        print((p[6] << 25) | (p[7] << 17) | (p[8] << 9) | (p[9] << 1) | (p[10] >> 7))
        break
PY
}
check_discontinuity() { # check_discontinuity DIR SEG1_PTS SEG1_PTS_MINUS_PCR (90 kHz)
  local disc=$DATA_DIR/$1 before p0 e0 p1 off0 off1
  before=$(grep -B2 -x 'seg_001.ts' "$disc/stream.m3u8" | head -n1)
  p0=$(first_pts "$disc/seg_000.ts"); e0=$(last_pts "$disc/seg_000.ts"); p1=$(first_pts "$disc/seg_001.ts")
  off0=$((p0 - $(first_pcr "$disc/seg_000.ts"))); off1=$((p1 - $(first_pcr "$disc/seg_001.ts")))
  if [ "$before" = "#EXT-X-DISCONTINUITY" ] && [ "$(grep -c '^#EXT-X-DISCONTINUITY' "$disc/stream.m3u8")" = 1 ] \
     && [ "$p0" = 126000 ] && [ "$off0" = 63000 ] && [ "$p1" -lt "$e0" ] && [ "$p1" = "$2" ] && [ "$off1" = "$3" ]; then
    echo "ok  $1: segment 0 video PTS $p0..$e0 (PTS-PCR $off0), segment 1 starts over at $p1 (PTS-PCR $off1)"
  else
    fail "$1: '$before' before seg_001.ts; video PTS seg_000 $p0..$e0 (PTS-PCR $off0), seg_001 $p1 (PTS-PCR $off1)"
  fi
}
check_discontinuity hls/discontinuity 126000 63000
check_discontinuity hls/discontinuity-offset 180000 27000

# --------------------------------------------------------------------------
# Every fixture: path, expected decoded video frames, minimum audio buffers,
# minimum text buffers, and whether GStreamer must play it with sync=true.
# (multi-period: GStreamer 1.22's legacy dashdemux stalls at the Period switch
# when a file:// source is consumed with unsynchronised sinks; played in real
# time it switches fine, and over HTTP it works either way.)
FIXTURES=(
  "dash/template-number/manifest.mpd 150 282 3 false"
  "dash/template-timeline/manifest.mpd 150 282 0 false"
  "dash/segment-base/manifest.mpd 150 282 0 false"
  "dash/segment-list/manifest.mpd 150 282 0 false"
  "dash/segment-list-range/manifest.mpd 150 282 0 false"
  "dash/multi-period/manifest.mpd 300 564 0 true"
  "hls/ts-alt-audio/master.m3u8 150 282 0 false"
  "hls/fmp4/master.m3u8 150 282 0 false"
  "hls/byterange/master.m3u8 150 282 0 false"
  "hls/byterange-fmp4/master.m3u8 150 282 0 false"
  "hls/aes128/master.m3u8 150 282 0 false"
  "hls/aes128-seqiv/master.m3u8 150 282 0 false"
  "hls/muxed/master.m3u8 150 282 0 false"
  "hls/discontinuity/master.m3u8 150 282 0 false"
  "hls/discontinuity-offset/master.m3u8 150 282 0 false"
  "progressive/clip.mp4 150 282 0 false"
  "progressive/clip.mp3 0 240 0 false"
)

# ffmpeg 5.1's DASH demuxer is not used as a validator: it skips the first
# segment of static SegmentTimeline/SegmentList MPDs and loops forever on
# SegmentList mediaRange; the DASH media is decoded track by track above and
# played by GStreamer below.
echo "== ffmpeg decode (HLS masters, progressive files)"
for fx in "${FIXTURES[@]}"; do
  set -- $fx
  extra=()
  case $1 in *.mpd) continue ;; *.m3u8) extra=(-allowed_extensions ALL) ;; esac
  if timeout -s KILL 120 ffmpeg -nostdin -v error "${extra[@]}" -i "$DATA_DIR/$1" \
       -map 0:v? -map 0:a? -f null - > "$TMP/ff.log" 2>&1 && [ ! -s "$TMP/ff.log" ]; then
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
      GST_DEBUG=basesink:5 GST_DEBUG_NO_COLOR=1 timeout -s KILL 120 gst-launch-1.0 \
        playbin uri="$uri" \
        video-sink="fakesink name=vsink sync=$5" \
        audio-sink="fakesink name=asink sync=$5" \
        text-sink="fakesink name=tsink sync=$5" \
        > "$TMP/gst.log" 2>&1 || rc=$?
      # basesink logs one "rendering object" line per buffer it renders.
      nv=$(grep -c '<vsink> rendering object' "$TMP/gst.log" || true)
      na=$(grep -c '<asink> rendering object' "$TMP/gst.log" || true)
      nt=$(grep -c '<tsink> rendering object' "$TMP/gst.log" || true)
      msg="$uri: rc=$rc video=$nv audio=$na text=$nt"
      if [ $rc -ne 0 ] || [ "$nv" -ne "$2" ] || [ "$na" -lt "$3" ] || [ "$nt" -lt "$4" ] \
         || grep -q '^ERROR:' "$TMP/gst.log"; then
        fail "$msg $(grep -m1 '^ERROR:' "$TMP/gst.log" || true)"
      else
        echo "ok  $msg"
      fi
    done
  done
fi

echo "== size: $(du -sh --apparent-size "$DATA_DIR" | cut -f1) (apparent), $(du -sh "$DATA_DIR" | cut -f1) (on disk)"
if [ $FAIL -ne 0 ]; then echo "SOME CHECKS FAILED"; exit 1; fi
echo "all fixture checks passed"
