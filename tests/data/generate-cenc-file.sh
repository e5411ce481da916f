#!/bin/sh
# Writes tests/data/cenc-file/: a 1 s fragmented MP4 (H.264 160x120 and
# AAC), clear, and the same file encrypted with MPEG Common Encryption by
# cenc-encrypt.py, scheme cenc (cenc.mp4) and cbcs (cbcs.mp4), with the
# key and key ID below, no pssh. See tests/data/README.md (cenc-file).
# Needs ffmpeg (5.1, libx264), python3 and openssl.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/cenc-file"
key=00112233445566778899aabbccddeeff
kid=0123456789abcdef0123456789abcdef
mkdir -p "$out"
ffmpeg -nostdin -loglevel error -y \
  -f lavfi -i testsrc2=size=160x120:rate=25:duration=1 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=1 \
  -c:v libx264 -preset veryfast -x264-params threads=1:bframes=0 -g 25 -pix_fmt yuv420p \
  -c:a aac -ac 1 -b:a 32k \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  -movflags frag_keyframe+empty_moov+default_base_moof "$out/clear.mp4"
for scheme in cenc cbcs; do
  python3 "$here/cenc-encrypt.py" $scheme $key $kid "$out/clear.mp4" "$out/$scheme.mp4"
done
