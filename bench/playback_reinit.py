#!/usr/bin/python3
"""bench/playback_reinit.py DASH_DIR [SEEKS]: why offline:// seeks were slower
at d5f3243 (see "Playback" in bench/README.md). A diagnostic, not part of the
benchmark.

Feeds a DASH video track of bench/_work/streams (init-0.m4s,
seg-0-NNNNN.m4s: the same bytes offlinemgr stores) to qtdemux the way
offlinesrc does (push mode, TIME segments, a media segment's first buffer
carrying the segment's start as PTS), into the video chain that playbin
builds (h264parse ! avdec_h264 ! the converters of playsink ! fakesink),
then makes SEEKS flushing "seeks" by hand: FLUSH_START, FLUSH_STOP, a new
TIME segment, then

  - init resent: the init segment again, then the media segment (what
    offlinesrc did after every seek up to d5f3243; since e0a5863 its part
    reader sends it again only when it is another one), or
  - init not resent: the media segment alone.

Prints, for both, the median time from FLUSH_START to the first buffer at
the sink, the CAPS events h264parse received and the stream time of that
first buffer (the segment's start when the frames are right).
"""
import statistics
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

CHAIN = ("qtdemux name=demux ! h264parse name=parse ! avdec_h264 ! videoconvert ! deinterlace ! queue ! "
         "videoconvert ! videoscale ! videobalance ! videoconvert ! fakesink name=sink sync=false")
SEGMENT_S = 2


def file_buffer(directory, name, pts_s=None):
    with open("%s/%s" % (directory, name), "rb") as f:
        buffer = Gst.Buffer.new_wrapped(f.read())
    if pts_s is not None:
        buffer.pts = int(pts_s * Gst.SECOND)
        buffer.set_flags(Gst.BufferFlags.DISCONT)
    return buffer


def time_segment(start_s):
    segment = Gst.Segment()
    segment.init(Gst.Format.TIME)
    segment.start = segment.time = segment.position = int(start_s * Gst.SECOND)
    return Gst.Event.new_segment(segment)


def run(directory, resend_init, seeks):
    pipeline = Gst.parse_launch(CHAIN)
    sinkpad = pipeline.get_by_name("sink").get_static_pad("sink")
    src = Gst.Pad.new("src", Gst.PadDirection.SRC)
    src.set_active(True)
    src.link(pipeline.get_by_name("demux").get_static_pad("sink"))
    seen = {"t": None, "pts": None, "caps": 0}

    def on_buffer(pad, info):
        if seen["t"] is None:
            seen["t"] = time.perf_counter()
            seg = pad.get_sticky_event(Gst.EventType.SEGMENT, 0).parse_segment()
            seen["pts"] = seg.to_stream_time(Gst.Format.TIME, info.get_buffer().pts) / Gst.SECOND
        return Gst.PadProbeReturn.OK

    def on_event(pad, info):
        seen["caps"] += info.get_event().type == Gst.EventType.CAPS
        return Gst.PadProbeReturn.OK

    sinkpad.add_probe(Gst.PadProbeType.BUFFER, on_buffer)
    pipeline.get_by_name("parse").get_static_pad("sink").add_probe(
        Gst.PadProbeType.EVENT_DOWNSTREAM, on_event)
    pipeline.set_state(Gst.State.PLAYING)
    src.push_event(Gst.Event.new_stream_start("video"))
    src.push_event(Gst.Event.new_caps(Gst.Caps.from_string("video/quicktime")))
    src.push_event(time_segment(0))
    src.push(file_buffer(directory, "init-0.m4s"))
    src.push(file_buffer(directory, "seg-0-00001.m4s", 0))
    time.sleep(0.5)                     # the first segment is through by then

    times, caps, pts = [], set(), set()
    for i in range(seeks):
        number = 20 + 7 * i             # segment NUMBER starts at (NUMBER - 1) x 2 s
        start_s = (number - 1) * SEGMENT_S
        seen.update(t=None, pts=None, caps=0)
        t0 = time.perf_counter()
        src.push_event(Gst.Event.new_flush_start())
        src.push_event(Gst.Event.new_flush_stop(True))
        src.push_event(time_segment(start_s))
        if resend_init:
            src.push(file_buffer(directory, "init-0.m4s"))
        src.push(file_buffer(directory, "seg-0-%05d.m4s" % number, start_s))
        while seen["t"] is None and time.perf_counter() - t0 < 5:
            time.sleep(0.0002)
        if seen["t"] is None:
            sys.exit("no buffer at the sink after the seek to %d s" % start_s)
        times.append((seen["t"] - t0) * 1000)
        caps.add(seen["caps"])
        pts.add(round(seen["pts"] - start_s, 3))
        time.sleep(0.2)
    pipeline.set_state(Gst.State.NULL)
    return times, caps, pts


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    seeks = int(argv[2]) if len(argv) == 3 else 10
    Gst.init(None)
    for resend in (True, False, True, False):
        times, caps, pts = run(argv[1], resend, seeks)
        print("init %-12s first buffer after the flush: median %.2f ms (%.2f–%.2f), CAPS at "
              "h264parse per seek: %s, first buffer - segment start: %s s" % (
                  "resent:" if resend else "not resent:", statistics.median(times), min(times),
                  max(times), "/".join(map(str, sorted(caps))), "/".join(map(str, sorted(pts)))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
