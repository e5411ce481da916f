#!/bin/bash
# Regenerates the media fixtures under tests/data/{dash,hls,progressive}.
#
# Every fixture is real, decodable media made from the same synthetic source:
#   video  testsrc2, 25 fps, 6 s, H.264 Main (libx264, no B-frames, IDR every
#          2 s), two renditions: 320x180 @ 150 kb/s and 160x90 @ 60 kb/s
#   audio  AAC-LC 48 kHz mono 48 kb/s: English = 440 Hz sine, Spanish = 660 Hz
#   text   WebVTT, 3 cues of 2 s (English / Spanish)
# Segments are 2 s long, so every track has exactly 3 media segments.
#
# Needs: ffmpeg (Debian 12: 5.1 with libx264, libmp3lame), ffprobe, python3
# with python3-cryptography (cenc-encrypt.py), openssl.  Usage: ./generate-fixtures.sh   (from any directory)
# Then ./verify-fixtures.sh decodes/plays every fixture.
#
# The script is idempotent: it deletes and rewrites dash/, hls/ and
# progressive/ next to itself.  With the same ffmpeg/x264 build the output is
# byte-for-byte identical between runs (bitexact flags, single-threaded x264).
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")"
DATA_DIR=$PWD

for tool in ffmpeg ffprobe python3 openssl; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

rm -rf dash hls progressive
mkdir -p dash hls progressive

# AES-128 material for the hls/aes128* fixtures (RFC 3686 / FIPS-197 test key).
KEY_HEX=2b7e151628aed2a6abf7158809cf4f3c
IV_HEX=000102030405060708090a0b0c0d0e0f

# ---------------------------------------------------------------------------
# Audio timing: the AAC encoder adds 1024 samples of priming.  We shift the
# audio by those 1024 samples (so the first AAC frame has pts 0 and no
# negative edit list is needed) and cut the tone to 286976 samples, so the
# encoder emits exactly 281 frames = 287744 + 1024 = 288000 samples = 6.000 s.
# Without this ffmpeg's DASH muxer writes a 4th, one-frame audio segment.
AUDIO_SAMPLES=286976
AFILT="atrim=end_sample=${AUDIO_SAMPLES},asetpts=PTS+1024/SR/TB"

SRC_INPUTS=(
  -f lavfi -i "testsrc2=size=320x180:rate=25:duration=6"
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=6"
  -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=6"
)
VIDEO_OPTS=(
  -c:v libx264 -threads:v 1 -preset veryfast -profile:v main -pix_fmt yuv420p
  -r 25 -g 50 -keyint_min 50 -sc_threshold 0 -bf 0
  -force_key_frames 'expr:gte(t,n_forced*2)' -flags:v +bitexact
)
AUDIO_OPTS=(-c:a aac -b:a 48k -ac 1 -ar 48000 -flags:a +bitexact)
FFMPEG=(ffmpeg -hide_banner -nostdin -loglevel error -y)

# encode LANGSTYLE TOKENS... -- OUTPUT_ARGS...
#   LANGSTYLE: "2" writes language tags en/es (DASH: ffmpeg copies them into
#   the MPD lang attribute), "3" writes eng/spa (MPEG-TS ISO 639 descriptor).
#   TOKENS, in output stream order: vhi (320x180), vlo (160x90),
#   aen (English AAC), aes (Spanish AAC); a token may repeat.
#   Runs in the current directory.
encode() {
  local langstyle=$1; shift
  local -a tokens=()
  while [ "$1" != "--" ]; do tokens+=("$1"); shift; done
  shift
  local nv=0 nen=0 nes=0 t
  for t in "${tokens[@]}"; do
    case $t in
      vhi|vlo) nv=$((nv + 1)) ;;
      aen) nen=$((nen + 1)) ;;
      aes) nes=$((nes + 1)) ;;
      *) echo "bad token $t" >&2; return 1 ;;
    esac
  done
  local filter="" labels="" i
  if [ $nv -gt 0 ]; then
    labels=""; for ((i = 0; i < nv; i++)); do labels+="[v$i]"; done
    filter+="[0:v]split=$nv$labels;"
  fi
  if [ $nen -gt 0 ]; then
    labels=""; for ((i = 0; i < nen; i++)); do labels+="[en$i]"; done
    filter+="[1:a]$AFILT,asplit=$nen$labels;"
  fi
  if [ $nes -gt 0 ]; then
    labels=""; for ((i = 0; i < nes; i++)); do labels+="[es$i]"; done
    filter+="[2:a]$AFILT,asplit=$nes$labels;"
  fi
  local -a maps=() opts=()
  local vi=0 ai=0 eni=0 esi=0 lang_en=en lang_es=es
  if [ "$langstyle" = 3 ]; then lang_en=eng; lang_es=spa; fi
  for t in "${tokens[@]}"; do
    case $t in
      vhi)
        filter+="[v$vi]null[ov$vi];"
        opts+=(-b:v:$vi 150k -maxrate:v:$vi 150k -bufsize:v:$vi 300k) ;;
      vlo)
        filter+="[v$vi]scale=160:90[ov$vi];"
        opts+=(-b:v:$vi 60k -maxrate:v:$vi 60k -bufsize:v:$vi 120k) ;;
      aen)
        maps+=(-map "[en$eni]"); eni=$((eni + 1))
        opts+=(-metadata:s:a:$ai language=$lang_en); ai=$((ai + 1)) ;;
      aes)
        maps+=(-map "[es$esi]"); esi=$((esi + 1))
        opts+=(-metadata:s:a:$ai language=$lang_es); ai=$((ai + 1)) ;;
    esac
    case $t in vhi|vlo) maps+=(-map "[ov$vi]"); vi=$((vi + 1)) ;; esac
  done
  filter=${filter%;}
  "${FFMPEG[@]}" -fflags +bitexact "${SRC_INPUTS[@]}" \
    -filter_complex "$filter" "${maps[@]}" \
    "${VIDEO_OPTS[@]}" "${AUDIO_OPTS[@]}" "${opts[@]}" \
    -map_metadata -1 -fflags +bitexact "$@"
}

# ---------------------------------------------------------------------------
# WebVTT sources
write_vtt() { # write_vtt LANG FILE [TIMESTAMP_MAP_LINE]
  local lang=$1 file=$2 tsmap=${3:-}
  {
    echo "WEBVTT"
    [ -n "$tsmap" ] && echo "$tsmap"
    echo
    if [ "$lang" = en ]; then
      printf '1\n00:00:00.000 --> 00:00:02.000\nFirst cue: the test pattern starts.\n\n'
      printf '2\n00:00:02.000 --> 00:00:04.000\nSecond cue: still running.\n\n'
      printf '3\n00:00:04.000 --> 00:00:06.000\nThird cue: the end.\n'
    else
      printf '1\n00:00:00.000 --> 00:00:02.000\nPrimera frase: empieza la señal de prueba.\n\n'
      printf '2\n00:00:02.000 --> 00:00:04.000\nSegunda frase: todavía sigue.\n\n'
      printf '3\n00:00:04.000 --> 00:00:06.000\nTercera frase: el final.\n'
    fi
  } > "$file"
}

DASH_COMMON=(-f dash -seg_duration 2)
AS_2V2A=(-adaptation_sets "id=0,streams=v id=1,streams=2 id=2,streams=3")

# ---------------------------------------------------------------------------
echo "== dash/template-number"
mkdir -p dash/template-number
(cd dash/template-number &&
  encode 2 vhi vlo aen aes -- "${DASH_COMMON[@]}" "${AS_2V2A[@]}" \
    -use_template 1 -use_timeline 0 manifest.mpd)
write_vtt en dash/template-number/subs-en.vtt
write_vtt es dash/template-number/subs-es.vtt
# Keep the audio/video-only MPD for the multi-period fixture.
cp dash/template-number/manifest.mpd "$TMP/template-number-av.mpd"
python3 - dash/template-number/manifest.mpd <<'PY'
import sys
path = sys.argv[1]
s = open(path, encoding="utf-8").read()
text_sets = ""
for as_id, lang in ((3, "en"), (4, "es")):
    text_sets += (
        f'\t\t<AdaptationSet id="{as_id}" contentType="text" mimeType="text/vtt" lang="{lang}">\n'
        f'\t\t\t<Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle" />\n'
        f'\t\t\t<Representation id="sub-{lang}" bandwidth="256">\n'
        f'\t\t\t\t<BaseURL>subs-{lang}.vtt</BaseURL>\n'
        f'\t\t\t</Representation>\n'
        f'\t\t</AdaptationSet>\n')
assert s.count("\t</Period>") == 1
s = s.replace("\t</Period>", text_sets + "\t</Period>")
open(path, "w", encoding="utf-8").write(s)
PY

# ---------------------------------------------------------------------------
echo "== dash/template-timeline"
mkdir -p dash/template-timeline
(cd dash/template-timeline &&
  encode 2 vhi aen -- "${DASH_COMMON[@]}" \
    -adaptation_sets "id=0,streams=v id=1,streams=a" \
    -use_template 1 -use_timeline 1 \
    -init_seg_name 'init-$RepresentationID$.$ext$' \
    -media_seg_name 'chunk-$RepresentationID$-$Time$.$ext$' manifest.mpd)

# ---------------------------------------------------------------------------
echo "== dash/segment-list"
mkdir -p dash/segment-list
(cd dash/segment-list &&
  encode 2 vhi vlo aen aes -- "${DASH_COMMON[@]}" "${AS_2V2A[@]}" \
    -use_template 0 -use_timeline 0 manifest.mpd)

# ---------------------------------------------------------------------------
echo "== dash/segment-list-range"
# ffmpeg writes SegmentList + <Initialization range> + SegmentURL
# mediaRange/indexRange (one sidx per fragment) into one file per Representation.
mkdir -p dash/segment-list-range
(cd dash/segment-list-range &&
  encode 2 vhi vlo aen aes -- "${DASH_COMMON[@]}" "${AS_2V2A[@]}" \
    -use_template 0 -use_timeline 0 -single_file 1 manifest.mpd)

# ---------------------------------------------------------------------------
echo "== dash/segment-base"
# ffmpeg 5.1 never writes SegmentBase: we let it write single files with one
# global sidx (-global_sidx 1) and rewrite each Representation's SegmentList
# as SegmentBase indexRange=<sidx> + Initialization range=<ftyp+moov>, read
# from the files' box layout.
mkdir -p dash/segment-base
(cd dash/segment-base &&
  encode 2 vhi vlo aen aes -- "${DASH_COMMON[@]}" "${AS_2V2A[@]}" \
    -use_template 0 -use_timeline 0 -single_file 1 -global_sidx 1 manifest.mpd)
python3 - dash/segment-base <<'PY'
import os, re, struct, sys
d = sys.argv[1]
mpd_path = os.path.join(d, "manifest.mpd")
s = open(mpd_path, encoding="utf-8").read()

def boxes(data):
    off = 0
    while off < len(data):
        size, typ = struct.unpack(">I4s", data[off:off + 8])
        assert size >= 8, "unsupported box size"
        yield off, size, typ.decode()
        off += size

def segment_base(base_url, indent):
    data = open(os.path.join(d, base_url), "rb").read()
    layout = list(boxes(data))
    types = [t for _, _, t in layout]
    assert types[:3] == ["ftyp", "moov", "sidx"], types
    assert types[3:] == ["moof", "mdat"] * 3, types
    moov_end = layout[1][0] + layout[1][1]
    sidx_off, sidx_size, _ = layout[2]
    sidx = data[sidx_off:sidx_off + sidx_size]
    version = sidx[8]
    timescale = struct.unpack(">I", sidx[16:20])[0]
    p = 20 + (16 if version else 8)
    first_offset = struct.unpack(">Q" if version else ">I", sidx[p - (8 if version else 4):p])[0]
    assert first_offset == 0
    count = struct.unpack(">H", sidx[p + 2:p + 4])[0]
    assert count == 3, count
    # check the references add up to the moof+mdat pairs
    refs = [struct.unpack(">I", sidx[p + 4 + 12 * i:p + 8 + 12 * i])[0] & 0x7FFFFFFF
            for i in range(count)]
    pairs = [layout[3 + 2 * i][1] + layout[4 + 2 * i][1] for i in range(count)]
    assert refs == pairs, (refs, pairs)
    return (f'{indent}<SegmentBase timescale="{timescale}" '
            f'indexRange="{sidx_off}-{sidx_off + sidx_size - 1}" indexRangeExact="true">\n'
            f'{indent}\t<Initialization range="0-{moov_end - 1}" />\n'
            f'{indent}</SegmentBase>\n')

pat = re.compile(r'(?P<indent>\t+)<BaseURL>(?P<url>[^<]+)</BaseURL>\n'
                 r'(?P=indent)<SegmentList .*?</SegmentList>\n', re.S)
def repl(m):
    return (f'{m.group("indent")}<BaseURL>{m.group("url")}</BaseURL>\n'
            + segment_base(m.group("url"), m.group("indent")))
s, n = pat.subn(repl, s)
assert n == 4, n
s = s.replace('profiles="urn:mpeg:dash:profile:isoff-live:2011"',
              'profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"')
open(mpd_path, "w", encoding="utf-8").write(s)
PY

# ---------------------------------------------------------------------------
echo "== dash/multi-period"
# Two 6 s Periods that both play the media of dash/template-number (Period
# level BaseURL ../template-number/), same Representation ids/templates.
mkdir -p dash/multi-period
python3 - "$TMP/template-number-av.mpd" dash/multi-period/manifest.mpd <<'PY'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'\t<Period[^>]*>\n(.*?)\t</Period>\n', src, re.S)
body = m.group(1)
assert "SegmentTimeline" not in body and "<BaseURL>" not in body
body2 = body.replace("<SegmentTemplate ", '<SegmentTemplate presentationTimeOffset="0" ')
assert body2.count("presentationTimeOffset") == 4
out = ('<?xml version="1.0" encoding="utf-8"?>\n'
       '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011"\n'
       '\tprofiles="urn:mpeg:dash:profile:isoff-live:2011"\n'
       '\ttype="static"\n'
       '\tmediaPresentationDuration="PT12S"\n'
       '\tmaxSegmentDuration="PT2.0S"\n'
       '\tminBufferTime="PT4.0S">\n'
       '\t<Period id="p0" start="PT0S" duration="PT6S">\n'
       '\t\t<BaseURL>../template-number/</BaseURL>\n'
       + body +
       '\t</Period>\n'
       '\t<Period id="p1" start="PT6S" duration="PT6S">\n'
       '\t\t<BaseURL>../template-number/</BaseURL>\n'
       + body2 +
       '\t</Period>\n'
       '</MPD>\n')
open(sys.argv[2], "w", encoding="utf-8").write(out)
PY

# ---------------------------------------------------------------------------
HLS_COMMON=(-f hls -hls_time 2 -hls_playlist_type vod -master_pl_name master.m3u8)
ALT_AUDIO_MAP="v:0,agroup:aud,name:video_320x180 v:1,agroup:aud,name:video_160x90 a:0,agroup:aud,language:en,name:audio_en,default:yes a:1,agroup:aud,language:es,name:audio_es"

# fix_master DIR [--subs]: make master.m3u8 complete and accurate:
#  * EXT-X-MEDIA audio: NAME="English"/"Spanish" (ffmpeg writes audio_N),
#    AUTOSELECT=YES;
#  * EXT-X-STREAM-INF: BANDWIDTH (peak segment bit rate) and AVERAGE-BANDWIDTH
#    measured from the segment sizes (video variant + largest audio rendition
#    of its group), FRAME-RATE=25.000;
#  * --subs: add a SUBTITLES group "subs" (en, es) and SUBTITLES="subs".
fix_master() {
  python3 - "$@" <<'PY'
import math, os, re, sys
d = sys.argv[1]
subs = "--subs" in sys.argv[2:]
master = os.path.join(d, "master.m3u8")
lines = open(master, encoding="utf-8").read().split("\n")

def attrs(line):
    return dict(re.findall(r'([A-Z0-9-]+)=("[^"]*"|[^",]*)', line.split(":", 1)[1]))

def rates(playlist):
    """(peak, average) bit rate of a media playlist, from segment sizes."""
    base = os.path.dirname(playlist)
    peak = 0.0; bits = 0; total = 0.0; dur = None; brange = None
    for ln in open(playlist, encoding="utf-8").read().split("\n"):
        ln = ln.strip()
        if ln.startswith("#EXTINF:"):
            dur = float(ln[8:].split(",")[0])
        elif ln.startswith("#EXT-X-BYTERANGE:"):
            brange = int(ln[17:].split("@")[0])
        elif ln and not ln.startswith("#"):
            size = brange if brange is not None else os.path.getsize(os.path.join(base, ln))
            peak = max(peak, size * 8 / dur); bits += size * 8; total += dur
            dur = None; brange = None
    return peak, bits / total

groups = {}
for ln in lines:
    if ln.startswith("#EXT-X-MEDIA:"):
        a = attrs(ln)
        if a["TYPE"] == "AUDIO":
            groups.setdefault(a["GROUP-ID"], []).append(
                rates(os.path.join(d, a["URI"].strip('"'))))

names = {'"en"': "English", '"es"': "Spanish"}
out = []
for i, ln in enumerate(lines):
    if ln.startswith("#EXT-X-MEDIA:TYPE=AUDIO"):
        a = attrs(ln)
        ln = re.sub(r'NAME="[^"]*"', 'NAME="%s"' % names[a["LANGUAGE"]], ln)
        if "AUTOSELECT=" not in ln:
            ln = ln.replace(",LANGUAGE=", ",AUTOSELECT=YES,LANGUAGE=")
    if ln.startswith("#EXT-X-STREAM-INF:"):
        a = attrs(ln)
        peak, avg = rates(os.path.join(d, lines[i + 1].strip()))
        if "AUDIO" in a:
            peak += max(p for p, _ in groups[a["AUDIO"]])
            avg += max(v for _, v in groups[a["AUDIO"]])
        ln = re.sub(r"BANDWIDTH=\d+", "BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d"
                    % (math.ceil(peak), math.ceil(avg)), ln, count=1)
        ln = re.sub(r"(RESOLUTION=\d+x\d+)", r"\1,FRAME-RATE=25.000", ln)
        if subs:
            ln += ',SUBTITLES="subs"'
    if subs and ln.startswith("#EXT-X-STREAM-INF:") and not any(
            l.startswith("#EXT-X-MEDIA:TYPE=SUBTITLES") for l in out):
        out.append('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",'
                   'DEFAULT=NO,AUTOSELECT=YES,LANGUAGE="en",URI="subs_en.m3u8"')
        out.append('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Spanish",'
                   'DEFAULT=NO,AUTOSELECT=YES,LANGUAGE="es",URI="subs_es.m3u8"')
    out.append(ln)
open(master, "w", encoding="utf-8").write("\n".join(out))
PY
}

write_subs_playlist() { # write_subs_playlist FILE VTT_URI
  printf '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:6.000,\n%s\n#EXT-X-ENDLIST\n' "$2" > "$1"
}

# ---------------------------------------------------------------------------
echo "== hls/ts-alt-audio"
mkdir -p hls/ts-alt-audio
(cd hls/ts-alt-audio &&
  encode 3 vhi vlo aen aes -- "${HLS_COMMON[@]}" \
    -hls_flags independent_segments \
    -hls_segment_filename '%v/seg_%03d.ts' \
    -var_stream_map "$ALT_AUDIO_MAP" '%v/index.m3u8')
# The WebVTT cue times are mapped onto the MPEG-TS timeline with
# X-TIMESTAMP-MAP (ffmpeg's TS muxer starts at PTS 126000 = 1.4 s).
TS_START=$(ffprobe -v error -select_streams v:0 -show_entries stream=start_pts \
  -of default=nw=1:nk=1 hls/ts-alt-audio/video_320x180/seg_000.ts | awk 'NF && !n++')
case $TS_START in ''|*[!0-9]*) echo "bad TS start pts '$TS_START'" >&2; exit 1 ;; esac
for lang in en es; do
  write_vtt $lang hls/ts-alt-audio/subs-$lang.vtt \
    "X-TIMESTAMP-MAP=MPEGTS:${TS_START},LOCAL:00:00:00.000"
  write_subs_playlist hls/ts-alt-audio/subs_$lang.m3u8 subs-$lang.vtt
done
fix_master hls/ts-alt-audio --subs

# ---------------------------------------------------------------------------
echo "== hls/fmp4"
mkdir -p hls/fmp4
(cd hls/fmp4 &&
  encode 3 vhi vlo aen aes -- "${HLS_COMMON[@]}" \
    -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 \
    -hls_flags independent_segments \
    -hls_segment_filename '%v/seg_%03d.m4s' \
    -var_stream_map "$ALT_AUDIO_MAP" '%v/index.m3u8')
fix_master hls/fmp4

# ---------------------------------------------------------------------------
echo "== hls/byterange"
mkdir -p hls/byterange
(cd hls/byterange &&
  encode 3 vhi aen -- "${HLS_COMMON[@]}" -hls_flags single_file \
    -var_stream_map "v:0,a:0" stream.m3u8)
fix_master hls/byterange

echo "== hls/byterange-fmp4"
mkdir -p hls/byterange-fmp4
(cd hls/byterange-fmp4 &&
  encode 3 vhi aen -- "${HLS_COMMON[@]}" -hls_flags single_file \
    -hls_segment_type fmp4 -var_stream_map "v:0,a:0" stream.m3u8)
fix_master hls/byterange-fmp4

# ---------------------------------------------------------------------------
echo "== hls/aes128"
mkdir -p hls/aes128
printf '%s' "$KEY_HEX" | python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' > "$TMP/key.bin"
printf 'key.bin\n%s\n%s\n' "$TMP/key.bin" "$IV_HEX" > "$TMP/keyinfo-iv"
cp "$TMP/key.bin" hls/aes128/key.bin
(cd hls/aes128 &&
  encode 3 vhi aen -- "${HLS_COMMON[@]}" -hls_key_info_file "$TMP/keyinfo-iv" \
    -hls_segment_filename 'seg_%03d.ts' -var_stream_map "v:0,a:0" stream.m3u8)
fix_master hls/aes128

echo "== hls/aes128-seqiv"
# ffmpeg 5.1 without an IV line encrypts every segment with IV 0 and writes
# IV=0x0...0 into the playlist, so this fixture is encrypted here with openssl:
# no IV attribute, IV = media sequence number (RFC 8216 5.2), and the media
# sequence starts at 1 so that "segment index" != "sequence number".
mkdir -p hls/aes128-seqiv "$TMP/plain"
(cd "$TMP/plain" &&
  encode 3 vhi aen -- "${HLS_COMMON[@]}" -start_number 1 \
    -hls_segment_filename 'seg_%03d.ts' -var_stream_map "v:0,a:0" stream.m3u8)
cp "$TMP/key.bin" hls/aes128-seqiv/key.bin
cp "$TMP/plain/master.m3u8" hls/aes128-seqiv/master.m3u8
seq=$(sed -n 's/^#EXT-X-MEDIA-SEQUENCE://p' "$TMP/plain/stream.m3u8")
[ "$seq" = 1 ] || { echo "unexpected media sequence $seq" >&2; exit 1; }
while read -r seg; do
  openssl enc -aes-128-cbc -K "$KEY_HEX" -iv "$(printf '%032x' "$seq")" \
    -in "$TMP/plain/$seg" -out "hls/aes128-seqiv/$seg"
  seq=$((seq + 1))
done < <(grep -v '^#' "$TMP/plain/stream.m3u8" | grep .)
awk '/^#EXTINF/ && !done { print "#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\""; done=1 } { print }' \
  "$TMP/plain/stream.m3u8" > hls/aes128-seqiv/stream.m3u8
fix_master hls/aes128-seqiv

# ---------------------------------------------------------------------------
echo "== hls/muxed"
mkdir -p hls/muxed
(cd hls/muxed &&
  encode 3 vhi vlo aen aen -- "${HLS_COMMON[@]}" \
    -hls_segment_filename 'stream_%v_%03d.ts' \
    -var_stream_map "v:0,a:0,name:320x180 v:1,a:1,name:160x90" 'stream_%v.m3u8')
fix_master hls/muxed

# ---------------------------------------------------------------------------
echo "== hls/discontinuity"
# An ad-splice-like stream: one muxed TS variant (320x180 + English audio)
# whose segment 0 comes from an encode of the whole 6 s and segments 1 and
# 2 from a SEPARATE encode of the 2-6 s part of the same content.  The
# second encode's PTS/PCR start over (at the TS muxer's 1.4 s, like the
# first's), so the media playlist marks #EXT-X-DISCONTINUITY before
# segment 1.  The source and the audio filter are overridden in a subshell
# so that encode() trims the content: the video from frame 50, the audio
# from sample 96000 (2 s) to the same end as everywhere else, again behind
# 1024 samples of priming.
mkdir -p hls/discontinuity "$TMP/disc-a" "$TMP/disc-b"
(cd "$TMP/disc-a" &&
  encode 3 vhi aen -- "${HLS_COMMON[@]}" \
    -hls_segment_filename 'seg_%03d.ts' -var_stream_map "v:0,a:0" stream.m3u8)
(cd "$TMP/disc-b" &&
  SRC_INPUTS=(
    -f lavfi -i "testsrc2=size=320x180:rate=25:duration=6,trim=start_frame=50,setpts=PTS-STARTPTS"
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=6,atrim=start_sample=96000,asetpts=PTS-STARTPTS"
    -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=6,atrim=start_sample=96000,asetpts=PTS-STARTPTS"
  ) &&
  AFILT="atrim=end_sample=$((AUDIO_SAMPLES - 96000)),asetpts=PTS+1024/SR/TB" &&
  encode 3 vhi aen -- "${HLS_COMMON[@]}" -start_number 1 \
    -hls_segment_filename 'seg_%03d.ts' -var_stream_map "v:0,a:0" stream.m3u8)
cp "$TMP/disc-a/seg_000.ts" "$TMP/disc-a/master.m3u8" hls/discontinuity/
cp "$TMP/disc-b/seg_001.ts" "$TMP/disc-b/seg_002.ts" hls/discontinuity/
# The media playlist: the first encode's header and segment 0, the
# discontinuity, the second encode's segments 1 and 2 (with their EXTINFs).
python3 - "$TMP/disc-a/stream.m3u8" "$TMP/disc-b/stream.m3u8" hls/discontinuity/stream.m3u8 <<'PY'
import sys
def entries(path):
    """(header lines, [(EXTINF line, URI)]) of an ffmpeg VOD media playlist."""
    lines = [l for l in open(path, encoding="utf-8").read().split("\n") if l]
    head = [l for l in lines if not l.startswith("#EXTINF") and not l.startswith("#EXT-X-ENDLIST")
            and l.startswith("#")]
    segs = [(lines[i], lines[i + 1]) for i, l in enumerate(lines) if l.startswith("#EXTINF")]
    return head, segs
head_a, segs_a = entries(sys.argv[1])
_, segs_b = entries(sys.argv[2])
assert [u for _, u in segs_a] == ["seg_000.ts", "seg_001.ts", "seg_002.ts"], segs_a
assert [u for _, u in segs_b] == ["seg_001.ts", "seg_002.ts"], segs_b
assert "#EXT-X-MEDIA-SEQUENCE:0" in head_a, head_a
out = head_a + list(segs_a[0]) + ["#EXT-X-DISCONTINUITY"]
for extinf, uri in segs_b:
    out += [extinf, uri]
out.append("#EXT-X-ENDLIST")
open(sys.argv[3], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
fix_master hls/discontinuity

# ---------------------------------------------------------------------------
echo "== hls/discontinuity-offset"
# hls/discontinuity again, but the second encode comes out of another muxer
# setting, with another PTS-PCR offset: segments 1 and 2 are the second
# encode's, remuxed together (-c copy, so the same packets) with a mux delay
# of 0.3 s instead of ffmpeg's 0.7 s.  -copyts keeps the input timestamps,
# to which the TS muxer adds twice its delay: video PTS 2.0 s (1.4 + 0.6),
# first PCR 1.7 s, so PTS - PCR = 0.3 s where segment 0 has 1.4 - 0.7 =
# 0.7 s.  Segment 0 and the media playlist are hls/discontinuity's; the
# master's BANDWIDTH is measured again.
mkdir -p hls/discontinuity-offset "$TMP/disc-c"
(cd "$TMP/disc-c" &&
  "${FFMPEG[@]}" -fflags +bitexact -copyts -i "concat:$TMP/disc-b/seg_001.ts|$TMP/disc-b/seg_002.ts" \
    -map 0 -c copy -map_metadata -1 -metadata:s:a:0 language=eng -fflags +bitexact -muxdelay 0.3 \
    "${HLS_COMMON[@]}" -start_number 1 -hls_segment_filename 'seg_%03d.ts' stream.m3u8 &&
  # the same two segments, cut where the second encode's were
  diff <(grep -A1 '^#EXTINF' stream.m3u8) <(grep -A1 '^#EXTINF' ../disc-b/stream.m3u8))
cp hls/discontinuity/seg_000.ts hls/discontinuity/stream.m3u8 hls/discontinuity-offset/
cp "$TMP/disc-a/master.m3u8" "$TMP/disc-c/seg_001.ts" "$TMP/disc-c/seg_002.ts" hls/discontinuity-offset/
fix_master hls/discontinuity-offset

# ---------------------------------------------------------------------------
# hls/map-switch and hls/map-switch-encode: fragmented MP4 media playlists
# whose EXT-X-MAP changes before segment 1 (RFC 8216 4.3.2.5), one video
# (320x180) and one audio (English) playlist.
#  map-switch         one encode; segments 1 and 2 name init-b.mp4, a copy
#                     of init-a.mp4 under another URI (as a clear start and
#                     then encrypted content would have).
#  map-switch-encode  segment 0 from the 6 s encode, segments 1 and 2 from a
#                     separate encode of the 2-6 s part at 160x90, 30 fps
#                     (video timescale 15360 instead of 12800) and AAC at
#                     32 kb/s, its decode times starting over (so an
#                     EXT-X-DISCONTINUITY precedes its EXT-X-MAP).
MAP_SWITCH_MAP="v:0,agroup:aud,name:video a:0,agroup:aud,language:en,name:audio,default:yes"
mkdir -p "$TMP/map-a" "$TMP/map-b"
(cd "$TMP/map-a" &&
  encode 3 vhi aen -- "${HLS_COMMON[@]}" -hls_segment_type fmp4 \
    -hls_fmp4_init_filename init.mp4 -hls_flags independent_segments \
    -hls_segment_filename '%v/seg_%03d.m4s' -var_stream_map "$MAP_SWITCH_MAP" '%v/index.m3u8')
(cd "$TMP/map-b" &&
  SRC_INPUTS=(
    -f lavfi -i "testsrc2=size=320x180:rate=30:duration=6,trim=start_frame=60,setpts=PTS-STARTPTS"
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=6,atrim=start_sample=96000,asetpts=PTS-STARTPTS"
    -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=6,atrim=start_sample=96000,asetpts=PTS-STARTPTS"
  ) &&
  AFILT="atrim=end_sample=$((AUDIO_SAMPLES - 96000)),asetpts=PTS+1024/SR/TB" &&
  VIDEO_OPTS=(
    -c:v libx264 -threads:v 1 -preset veryfast -profile:v main -pix_fmt yuv420p
    -r 30 -g 60 -keyint_min 60 -sc_threshold 0 -bf 0
    -force_key_frames 'expr:gte(t,n_forced*2)' -flags:v +bitexact
  ) &&
  AUDIO_OPTS=(-c:a aac -b:a 32k -ac 1 -ar 48000 -flags:a +bitexact) &&
  encode 3 vlo aen -- "${HLS_COMMON[@]}" -hls_segment_type fmp4 -start_number 1 \
    -hls_fmp4_init_filename init.mp4 -hls_flags independent_segments \
    -hls_segment_filename '%v/seg_%03d.m4s' -var_stream_map "$MAP_SWITCH_MAP" '%v/index.m3u8')
for fixture in map-switch map-switch-encode; do
  for track in video audio; do
    out=hls/$fixture/$track
    mkdir -p "$out"
    cp "$TMP"/map-a/$track/init_?.mp4 "$out/init-a.mp4"
    cp "$TMP/map-a/$track/seg_000.m4s" "$out/"
    if [ $fixture = map-switch ]; then
      cp "$TMP"/map-a/$track/init_?.mp4 "$out/init-b.mp4"
      cp "$TMP/map-a/$track/seg_001.m4s" "$TMP/map-a/$track/seg_002.m4s" "$out/"
      disc=""
    else
      cp "$TMP"/map-b/$track/init_?.mp4 "$out/init-b.mp4"
      cp "$TMP/map-b/$track/seg_001.m4s" "$TMP/map-b/$track/seg_002.m4s" "$out/"
      disc=$'#EXT-X-DISCONTINUITY\n'
    fi
    printf '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI="init-a.mp4"\n#EXTINF:2.000000,\nseg_000.m4s\n%s#EXT-X-MAP:URI="init-b.mp4"\n#EXTINF:2.000000,\nseg_001.m4s\n#EXTINF:2.000000,\nseg_002.m4s\n#EXT-X-ENDLIST\n' \
      "$disc" > "$out/index.m3u8"
  done
  cp "$TMP/map-a/master.m3u8" hls/$fixture/master.m3u8
  fix_master hls/$fixture
done

# ---------------------------------------------------------------------------
echo "== progressive"
(cd progressive &&
  encode 3 vhi aen -- -movflags +faststart -f mp4 clip.mp4 &&
  "${FFMPEG[@]}" -fflags +bitexact \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=6" \
    -c:a libmp3lame -b:a 64k -ac 1 -ar 48000 -flags:a +bitexact \
    -map_metadata -1 -fflags +bitexact -f mp3 clip.mp3 &&
  # H.264 + two AAC tracks (eng, spa), moov at the end (no faststart)
  encode 3 vhi aen aes -- -f mp4 clip-2audio.mp4 &&
  # VP9 + Opus (48 kHz mono), key frame every 2 s, single-threaded libvpx
  "${FFMPEG[@]}" -fflags +bitexact "${SRC_INPUTS[@]}" -map 0:v -map 1:a \
    -c:v libvpx-vp9 -threads:v 1 -row-mt 0 -deadline good -cpu-used 5 \
    -b:v 100k -g 50 -keyint_min 50 -pix_fmt yuv420p -flags:v +bitexact \
    -c:a libopus -b:a 32k -ac 1 -ar 48000 -flags:a +bitexact \
    -metadata:s:a:0 language=eng \
    -map_metadata -1 -fflags +bitexact -f webm clip.webm)

# ---------------------------------------------------------------------------
echo "== dash/edit-list"
# Audio NOT shifted by the encoder delay (no asetpts): ffmpeg's mp4 muxer
# then writes the usual AAC priming edit list (elst media_time 1024) into
# each audio init segment. Audio only (two tracks), in 0.5 s segments:
# each holds 24 AAC frames (0.512 s), so the fragments' decode times run
# ahead of the nominal segment times by 12 ms a segment (past 20 ms from
# the third segment on), as real 2 s segments do over a longer stream.
mkdir -p dash/edit-list
(cd dash/edit-list &&
  "${FFMPEG[@]}" -fflags +bitexact "${SRC_INPUTS[@]}" \
    -filter_complex "[1:a]atrim=end_sample=${AUDIO_SAMPLES}[en];[2:a]atrim=end_sample=${AUDIO_SAMPLES}[es]" \
    -map "[en]" -map "[es]" \
    "${AUDIO_OPTS[@]}" -metadata:s:a:0 language=en -metadata:s:a:1 language=es \
    -map_metadata -1 -fflags +bitexact -f dash -seg_duration 0.5 \
    -adaptation_sets "id=0,streams=0 id=1,streams=1" \
    -use_template 1 -use_timeline 0 manifest.mpd)

# ---------------------------------------------------------------------------
# dash/cenc and dash/cbcs: the 320x180 video and English audio of
# dash/template-number encrypted with MPEG Common Encryption (cenc-encrypt.py:
# ffmpeg 5.1 cannot write encrypted fragments), one key per track, for the
# W3C Clear Key system. The manifests name the licence server
# "@LICENSE_URL@": the tests serve them with their own server's URL. The
# init segments carry a Clear Key pssh; the *-nopssh.m4s ones do not.
CENC_KID_VIDEO=10000000100010001000100000000000
CENC_KEY_VIDEO=3a2a1b68dd2bd9b2eeb25e84c4776668
CENC_KID_AUDIO=20000000200020002000200000000000
CENC_KEY_AUDIO=00112233445566778899aabbccddeeff
for scheme in cenc cbcs; do
  echo "== dash/$scheme"
  mkdir -p "dash/$scheme"
  for track in "0 $CENC_KID_VIDEO $CENC_KEY_VIDEO" "2 $CENC_KID_AUDIO $CENC_KEY_AUDIO"; do
    read -r stream kid key <<<"$track"
    args=()
    for n in 1 2 3; do
      args+=("dash/template-number/chunk-stream$stream-0000$n.m4s" "dash/$scheme/chunk-stream$stream-0000$n.m4s")
    done
    /usr/bin/python3 cenc-encrypt.py --scheme "$scheme" --kid "$kid" --key "$key" --pssh \
      "dash/template-number/init-stream$stream.m4s" "dash/$scheme/init-stream$stream.m4s" "${args[@]}"
    /usr/bin/python3 cenc-encrypt.py --scheme "$scheme" --kid "$kid" --key "$key" \
      "dash/template-number/init-stream$stream.m4s" "dash/$scheme/init-stream$stream-nopssh.m4s" \
      "${args[0]}" "$TMP/discard.m4s"
  done
  python3 - "$TMP/template-number-av.mpd" "dash/$scheme/manifest.mpd" "$scheme" <<'PY'
import re, sys
src, dst, scheme = sys.argv[1:]
text = open(src).read()
text = text.replace("<MPD ", '<MPD xmlns:cenc="urn:mpeg:cenc:2013" xmlns:dashif="https://dashif.org/CPS" ', 1)
def protection(kid):
    uuid = "%s-%s-%s-%s-%s" % (kid[:8], kid[8:12], kid[12:16], kid[16:20], kid[20:])
    return ('\n\t\t\t<ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="%s" '
            'cenc:default_KID="%s"/>\n\t\t\t<ContentProtection '
            'schemeIdUri="urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e" value="ClearKey1.0">'
            '<dashif:Laurl>@LICENSE_URL@</dashif:Laurl></ContentProtection>' % (scheme, uuid))
sets = re.findall(r"\t\t<AdaptationSet.*?</AdaptationSet>\n", text, re.S)
keep = []
for s in sets:
    if 'contentType="video"' in s:
        s = re.sub(r'\t\t\t<Representation id="1".*?</Representation>\n', "", s, flags=re.S)
        kid = "10000000100010001000100000000000"
    elif 'lang="en"' in s:
        kid = "20000000200020002000200000000000"
    else:
        continue
    s = re.sub(r"(<AdaptationSet[^>]*>)", lambda m: m.group(1) + protection(kid), s, count=1)
    keep.append(s)
start = text.index(sets[0])
end = text.index(sets[-1]) + len(sets[-1])
open(dst, "w").write(text[:start] + "".join(keep) + text[end:])
PY
done

# ---------------------------------------------------------------------------
# Sanity: every URI in every manifest is relative.
if grep -rnE '(file://|/tmp/|/work/|/home/|^/|URI="/|<BaseURL>/|http://127)' \
     --include='*.m3u8' --include='*.mpd' dash hls; then
  echo "absolute URI found in a manifest" >&2; exit 1
fi
echo "done: fixtures total $(du -sch --apparent-size dash hls progressive | tail -1 | cut -f1) (apparent size)"
