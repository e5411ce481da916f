#!/usr/bin/python3
"""Helpers for bench/run.sh: finish the generated DASH stream and list its URLs.

  stream.py finish DIR [--text-single]
      DIR holds manifest.mpd written by ffmpeg's dash muxer (one video and one
      audio AdaptationSet, SegmentTemplate with $Number$). Tags the audio
      "en", adds a third AdaptationSet: English WebVTT subtitles cut into
      segments of the same duration (sub-en-NNNNN.vtt), or with --text-single
      one WebVTT file for the whole presentation (sub-en.vtt), and deletes media
      segments past the presentation's end (the muxer may write one more audio
      segment than the MPD announces: no client asks for it).

  stream.py urls DIR BASE_URL OUT_PREFIX
      Writes OUT_PREFIX.txt (one segment URL a line: what offlinemgr stores
      with its default selection, init segments first per track, media
      segments interleaved by time like offlinemgr fetches them),
      OUT_PREFIX.curl (a curl config: url=/output= pairs into the current
      directory) and prints "COUNT BYTES TEXT_COUNT TEXT_BYTES": the number of
      URLs and the total size of the files behind them, all tracks, then the
      text track's alone.
"""
import math
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "urn:mpeg:dash:schema:mpd:2011"
ET.register_namespace("", NS)
ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def q(tag):
    return "{%s}%s" % (NS, tag)


def parse_duration(text):
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", text)
    if not m:
        raise SystemExit("unsupported duration %r" % text)
    h, mi, s = m.groups()
    return int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)


def expand(template, rep_id, number=None):
    def sub(m):
        name, fmt = m.group(1), m.group(2)
        if name == "RepresentationID":
            return rep_id
        if name == "Number":
            return ("%" + fmt[1:]) % number if fmt else str(number)
        raise SystemExit("unsupported template identifier %s" % name)
    return re.sub(r"\$(RepresentationID|Number)(%0\d+d)?\$", sub, template)


def tracks(root):
    """Per Representation: (rep_id, content type, [file names: init or whole
    file first, then the media segments in order])."""
    total = parse_duration(root.get("mediaPresentationDuration"))
    out = []
    for aset in root.iter(q("AdaptationSet")):
        for rep in aset.iter(q("Representation")):
            tpl = rep.find(q("SegmentTemplate"))
            if tpl is None:
                tpl = aset.find(q("SegmentTemplate"))
            if tpl is None:         # one file: the BaseURL
                out.append((rep.get("id"), aset.get("contentType"), [rep.find(q("BaseURL")).text]))
                continue
            timescale = int(tpl.get("timescale", "1"))
            seg = int(tpl.get("duration")) / timescale
            count = math.ceil(total / seg - 1e-9)
            start = int(tpl.get("startNumber", "1"))
            names = [expand(tpl.get("initialization"), rep.get("id"))] if tpl.get("initialization") else []
            names += [expand(tpl.get("media"), rep.get("id"), n) for n in range(start, start + count)]
            out.append((rep.get("id"), aset.get("contentType"), names))
    return out


def vtt_time(t):
    ms = int(round(t * 1000))
    return "%02d:%02d:%02d.%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)


def cue(n, start, end):
    return "%d\n%s --> %s\nSubtitle cue number %d, %s to %s\n" % (
        n, vtt_time(start), vtt_time(end), n, vtt_time(start), vtt_time(end))


def finish(directory, single):
    path = os.path.join(directory, "manifest.mpd")
    tree = ET.parse(path)
    root = tree.getroot()
    period = root.find(q("Period"))
    sets = period.findall(q("AdaptationSet"))
    for aset in sets:
        if aset.get("contentType") == "audio":
            aset.set("lang", "en")
        elif aset.get("contentType") == "video":
            aset.attrib.pop("lang", None)
    if not any(a.get("contentType") == "text" for a in sets):
        total = parse_duration(root.get("mediaPresentationDuration"))
        seg = 2.0
        count = math.ceil(total / seg - 1e-9)
        times = [((n - 1) * seg, min(n * seg, total)) for n in range(1, count + 1)]
        aset = ET.SubElement(period, q("AdaptationSet"), {
            "id": str(len(sets)), "contentType": "text", "mimeType": "text/vtt", "lang": "en"})
        ET.SubElement(aset, q("Role"), {"schemeIdUri": "urn:mpeg:dash:role:2011", "value": "subtitle"})
        rep = ET.SubElement(aset, q("Representation"), {"id": "sub-en", "bandwidth": "1000"})
        if single:
            ET.SubElement(rep, q("BaseURL")).text = "sub-en.vtt"
            with open(os.path.join(directory, "sub-en.vtt"), "w") as f:
                f.write("WEBVTT\n\n" + "\n".join(cue(n, a, b) for n, (a, b) in enumerate(times, 1)))
        else:
            ET.SubElement(rep, q("SegmentTemplate"), {
                "timescale": "1000", "duration": "2000", "startNumber": "1",
                "media": "$RepresentationID$-$Number%05d$.vtt"})
            for n, (a, b) in enumerate(times, 1):
                with open(os.path.join(directory, "sub-en-%05d.vtt" % n), "w") as f:
                    f.write("WEBVTT\n\n" + cue(n, a, b))
    tree.write(path, xml_declaration=True, encoding="utf-8")

    # drop segments past the end
    wanted = set()
    for _rep_id, _type, names in tracks(root):
        wanted.update(names)
    for name in os.listdir(directory):
        if name != "manifest.mpd" and not name.startswith(".") and name not in wanted:
            os.unlink(os.path.join(directory, name))
    missing = [w for w in wanted if not os.path.exists(os.path.join(directory, w))]
    if missing:
        raise SystemExit("missing segment files: %s" % sorted(missing)[:5])


def urls(directory, base, prefix):
    root = ET.parse(os.path.join(directory, "manifest.mpd")).getroot()
    listed = tracks(root)
    names = []
    for i in range(max(len(n) for *_rest, n in listed)):      # interleaved by time
        names += [n[i] for *_rest, n in listed if i < len(n)]
    size = sum(os.path.getsize(os.path.join(directory, n)) for n in names)
    text = [x for _rep_id, ctype, n in listed if ctype == "text" for x in n]
    text_size = sum(os.path.getsize(os.path.join(directory, n)) for n in text)
    if not base.endswith("/"):
        base += "/"
    with open(prefix + ".txt", "w") as f:
        for n in names:
            f.write(base + n + "\n")
    with open(prefix + ".curl", "w") as f:
        for n in names:
            f.write('url = "%s%s"\noutput = "%s"\n' % (base, n, n))
    print(len(names), size, len(text), text_size)


def main(argv):
    if len(argv) in (3, 4) and argv[1] == "finish" and argv[3:] in ([], ["--text-single"]):
        finish(argv[2], argv[3:] == ["--text-single"])
    elif len(argv) == 5 and argv[1] == "urls":
        urls(argv[2], argv[3], argv[4])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
