#!/usr/bin/python3
"""examples/vala/download-and-play against the test server: the download
completes (progress reaches every byte and segment) and offline:// plays to
EOS with the frames and duration of the same manifest played from file://
(ground truth, through dashdemux). Prints TAP.

Usage: test_vala_example.py EXAMPLE OFFLINE-SERVE DATA-DIR"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

from offline_tap import Tap  # noqa: E402

EXAMPLE, SERVE, DATA = sys.argv[1:4]
MANIFEST = "dash/template-number/manifest.mpd"


def ground_truth(path):
    """(video frames, duration in ns) of playbin playing file://path."""
    Gst.init(None)
    playbin = Gst.ElementFactory.make("playbin")
    video = Gst.ElementFactory.make("fakesink")
    audio = Gst.ElementFactory.make("fakesink")
    frames = []
    video.set_property("signal-handoffs", True)
    video.connect("handoff", lambda sink, buf, pad: frames.append(buf.pts))
    for sink in (video, audio):
        sink.set_property("sync", False)
    playbin.set_property("uri", Gst.filename_to_uri(path))
    playbin.set_property("video-sink", video)
    playbin.set_property("audio-sink", audio)
    playbin.set_state(Gst.State.PLAYING)
    message = playbin.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    ok, duration = playbin.query_duration(Gst.Format.TIME)
    playbin.set_state(Gst.State.NULL)
    assert message.type == Gst.MessageType.EOS, message.parse_error()
    return len(frames), duration


def main():
    tmp = tempfile.mkdtemp(prefix="offlinemgr-vala-")
    server = subprocess.Popen([SERVE, "--root", DATA], stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().strip()
        proc = subprocess.run([EXAMPLE, os.path.join(tmp, "store"), "my movie", base + MANIFEST],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    out = proc.stdout
    frames, duration = ground_truth(os.path.join(DATA, MANIFEST))

    progress = re.findall(r"^progress my movie: (\d+)/(\d+) bytes, (\d+)/(\d+) segments$", out, re.M)
    last = progress[-1] if progress else None
    played = re.search(r"^played offline://my%20movie: EOS, (\d+) video frames, duration (-?\d+) ns$",
                       out, re.M)
    checks = [
        ("the example exits 0", proc.returncode == 0),
        ("it reports progress up to every byte and segment",
         last is not None and last[0] == last[1] and last[2] == last[3] and int(last[3]) > 0),
        ("the download goes downloading -> completed",
         "state my movie: downloading -> completed" in out
         and "downloaded my movie: completed" in out),
        ("playbin's source is offlinesrc, is-offline", "source: offlinesrc, is-offline true" in out),
        ("playback reaches EOS", played is not None),
        ("the video frames of file:// (%d)" % frames, played is not None and int(played[1]) == frames),
        ("the duration of file:// (%d ns)" % duration, played is not None and int(played[2]) == duration),
    ]
    tap = Tap()
    for name, ok in checks:
        tap.check(name, ok, ["exit status %d, output:" % proc.returncode] + out.splitlines())
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
