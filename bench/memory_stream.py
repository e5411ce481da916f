#!/usr/bin/python3
"""bench/memory_stream.py: writes a long 3-track DASH entry with tiny
segments for bench/memory.sh (see bench/README.md, "Memory per segment").

    memory_stream.py DIR [--hours H] [--segment S] [--url-length N]

DIR gets manifest.mpd (one Period of H hours: a video, an English audio and
an English WebVTT AdaptationSet, one Representation each, SegmentTemplate
with @duration S seconds, so 3 x H x 3600 / S segments) and, per track, an
init file and one media file of a few hundred bytes. Every segment URL is
that media file with "?n=$Number$" (offline-serve ignores the query), padded
with "&pad=xxx..." to about N bytes when --url-length is given, so that the
URLs are all different, as a real stream's are, without 54,000 files on the
server side. Prints the number of segments.
"""
import argparse
import os


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--hours", type=float, default=10)
    parser.add_argument("--segment", type=int, default=2, help="segment duration in seconds")
    parser.add_argument("--url-length", type=int, default=0,
                        help="pad every segment URL to about this many bytes")
    args = parser.parse_args()

    seconds = int(args.hours * 3600)
    per_track = -(-seconds // args.segment)
    os.makedirs(args.dir, exist_ok=True)
    tracks = [
        ("video", "v", 'mimeType="video/mp4" codecs="avc1.42c01e" width="640" height="360"', 1000000),
        ("audio", "a", 'mimeType="audio/mp4" codecs="mp4a.40.2" lang="en"', 128000),
        ("text", "t", 'mimeType="text/vtt" lang="en"', 1000),
    ]
    sets = []
    for i, (kind, name, attributes, bandwidth) in enumerate(tracks):
        os.makedirs(os.path.join(args.dir, name), exist_ok=True)
        with open(os.path.join(args.dir, name, "init.mp4"), "wb") as f:
            f.write(bytes((i * 7 + k) % 256 for k in range(100)))
        with open(os.path.join(args.dir, name, "seg.m4s"), "wb") as f:
            f.write(bytes((i * 13 + k) % 256 for k in range(300)))
        media = f"{name}/seg.m4s?n=$Number%06d$"
        if args.url_length:
            # "http://127.0.0.1:PORT/" is 23 bytes, "v/seg.m4s?n=000001&pad=" 23
            pad = max(0, args.url_length - 23 - len(f"{name}/seg.m4s?n=000001&pad="))
            media += "&amp;pad=" + "x" * pad
        init = "" if kind == "text" else f' initialization="{name}/init.mp4"'
        sets.append(
            f'  <AdaptationSet {attributes}>\n'
            f'    <SegmentTemplate timescale="1" duration="{args.segment}" startNumber="1"'
            f' media="{media}"{init}/>\n'
            f'    <Representation id="{name}" bandwidth="{bandwidth}"/>\n'
            f'  </AdaptationSet>\n')
    with open(os.path.join(args.dir, "manifest.mpd"), "w") as f:
        f.write('<?xml version="1.0"?>\n'
                '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static"'
                f' mediaPresentationDuration="PT{seconds}S" minBufferTime="PT2S"'
                ' profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">\n'
                '<Period>\n' + "".join(sets) + '</Period>\n</MPD>\n')
    print(3 * per_track)


if __name__ == "__main__":
    main()
