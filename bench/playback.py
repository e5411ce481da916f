#!/usr/bin/python3
"""Playback benchmark helper for bench/playback.sh: one measurement per process.

  playback.py check
      Initialises GStreamer and prints the Debian packages of the elements
      the benchmark needs that are missing (nothing when all are there);
      exit status 1 if offlinesrc (GST_PLUGIN_PATH) is not found.

  playback.py measure URI [--store DIR] [--no-sync] [--no-audio] [--breakdown]
                          [--fractions 0.25,0.5,0.9]
                          [--gop S] [--seeks key,accurate] [--settle S]
                          [--timeout S] [--label TEXT]
      Plays URI in a fresh playbin (video-sink and audio-sink: fakesink,
      sync=true unless --no-sync; subtitles off: playbin flags without
      "text"; --no-audio: without "audio" either, a diagnostic) and prints
      one JSON object:
      - first_frame_ms: from set_state(PLAYING) on the NULL pipeline to the
        first buffer at the video fakesink's sink pad (a pad probe);
        preroll_ms: to ASYNC_DONE (every sink prerolled); playing_ms: to the
        pipeline's STATE_CHANGED to PLAYING;
      - seeks: with the pipeline PLAYING (after --settle seconds of play), a
        flushing seek (FLUSH|KEY_UNIT, FLUSH|ACCURATE) to each position, one
        after the other, each timed from send_event() to the first buffer at
        the video sink after the seek's last FLUSH_STOP there (ms), and to
        ASYNC_DONE (async_done_ms); pts_s is that buffer's stream time. The
        positions are 1.5 s into a 2 s GOP (--gop) near each fraction of
        the duration: the keyframe at or before FRACTION x DURATION, plus
        0.75 GOP, so that KEY_UNIT goes back 1.5 s and ACCURATE decodes
        (and drops) 1.5 s of frames;
      - with --breakdown (a diagnostic: Python probes cost time), per seek
        stages_ms: when the first buffer after the flush passed each point
        of the video path, upstream first (Player.stages(): offlinesrc's
        track source, the qtdemux inside offlinesrc, offlinesrc's video pad;
        or filesrc's qtdemux), h264parse's sink pad, avdec_h264's sink and
        src pads; events_ms: the events
        that reached h264parse's and avdec_h264's sink pads before that
        buffer, and when;
      - cpu_s (user+sys of the process from set_state(PLAYING) to the end),
        load1 (1-minute load average at the start), the element factories
        in the pipeline.
      --store DIR: the store for offline:// (offlinesrc's store-path, set in
      playbin's source-setup); else $OFFLINEMGR_STORE.

  playback.py report RESULTS.jsonl [--target 1.2]
      The markdown report of the measure lines in RESULTS.jsonl (each with
      "kind" offline or file, as bench/playback.sh writes them): medians per
      kind, the ratio offline/file and the target.
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

PLAY_FLAG_AUDIO = 1 << 1
PLAY_FLAG_TEXT = 1 << 2
SEEK_MODES = {
    "key": Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT,
    "accurate": Gst.SeekFlags.FLUSH | Gst.SeekFlags.ACCURATE,
}
# element -> the Debian package that has it
NEEDED = {
    "playbin": "gstreamer1.0-plugins-base",
    "fakesink": "libgstreamer1.0-0",
    "qtdemux": "gstreamer1.0-plugins-good",
    "avdec_h264": "gstreamer1.0-libav",
    "avdec_aac": "gstreamer1.0-libav",
    "subparse": "gstreamer1.0-plugins-base",
}


def now_ms():
    return time.perf_counter_ns() / 1e6


def cpu_s():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class Failed(Exception):
    pass


class Player:
    """A playbin with fakesinks; the bus is watched from the posting
    threads (sync-message), so that every time is taken where it happens."""

    def __init__(self, uri, store, sync, audio=True):
        self.playbin = Gst.ElementFactory.make("playbin", None)
        self.vsink = Gst.ElementFactory.make("fakesink", "vsink")
        asink = Gst.ElementFactory.make("fakesink", "asink")
        for sink in (self.vsink, asink):
            sink.set_property("sync", sync)
        self.playbin.set_property("video-sink", self.vsink)
        self.playbin.set_property("audio-sink", asink)
        off = PLAY_FLAG_TEXT if audio else PLAY_FLAG_TEXT | PLAY_FLAG_AUDIO
        self.playbin.set_property("flags", int(self.playbin.get_property("flags")) & ~off)
        self.playbin.set_property("uri", uri)
        self.source = None
        self.playbin.connect("source-setup", self.on_source_setup, store)
        self.pad = self.vsink.get_static_pad("sink")
        self.error = None
        self.lock = threading.Lock()
        self.async_done = []            # times of ASYNC_DONE
        self.playing = []               # times of the pipeline's STATE_CHANGED to PLAYING
        self.changed = threading.Condition(self.lock)
        bus = self.playbin.get_bus()
        bus.enable_sync_message_emission()
        bus.connect("sync-message", self.on_message)

    def on_source_setup(self, _playbin, source, store):
        self.source = source.get_factory().get_name()
        if store and source.find_property("store-path") is not None:
            source.set_property("store-path", store)

    def on_message(self, _bus, msg):
        t = now_ms()
        with self.lock:
            if msg.type == Gst.MessageType.ERROR:
                err, dbg = msg.parse_error()
                self.error = "%s (%s)" % (err.message, dbg)
            elif msg.type == Gst.MessageType.ASYNC_DONE:
                self.async_done.append(t)
            elif msg.type == Gst.MessageType.STATE_CHANGED and msg.src == self.playbin:
                if msg.parse_state_changed()[1] == Gst.State.PLAYING:
                    self.playing.append(t)
            else:
                return
            self.changed.notify_all()

    def wait(self, what, count, timeout):
        """Waits until the list @what has @count entries; returns the last."""
        with self.lock:
            ok = self.changed.wait_for(lambda: self.error or len(what) >= count, timeout)
            if self.error:
                raise Failed(self.error)
            if not ok:
                raise Failed("timed out after %g s" % timeout)
            return what[count - 1]

    def elements(self):
        """Every element in the pipeline, recursively."""
        while True:
            it, found = self.playbin.iterate_recurse(), []
            while True:
                res, elem = it.next()
                if res != Gst.IteratorResult.OK:
                    break
                found.append(elem)
            if res != Gst.IteratorResult.RESYNC:
                return found

    def factories(self):
        """{factory name: instances} of the elements in the pipeline."""
        names = {}
        for elem in self.elements():
            if elem.get_factory() is not None:
                name = elem.get_factory().get_name()
                names[name] = names.get(name, 0) + 1
        return dict(sorted(names.items()))

    def stages(self):
        """For --breakdown: [(name, pad)] along the video path, upstream
        first. offline://: the track source's pad (offlinesrc of e0a5863 on:
        a bin whose track source feeds the qtdemux inside it), qtdemux's
        video pad, offlinesrc's video pad (before qtdemux with the older
        offlinesrc, whose pads carried the stored fMP4); then, with both
        URIs, h264parse's sink pad (after decodebin's multiqueue, when
        decodebin has one), avdec_h264's sink and src pads."""
        def factory(elem):
            return elem.get_factory().get_name() if elem.get_factory() else ""

        def first_pad(fname, direction, prefix):
            for elem in self.elements():
                if factory(elem) == fname:
                    for pad in elem.pads:
                        if pad.get_direction() == direction and pad.get_name().startswith(prefix):
                            return pad
            return None

        demuxer = first_pad("qtdemux", Gst.PadDirection.SRC, "video")
        source = first_pad("offlinesrc", Gst.PadDirection.SRC, "video")
        track = None
        if demuxer is not None:
            upstream = demuxer.get_parent().get_static_pad("sink").get_peer()
            if upstream is not None and type(upstream.get_parent()).__gtype__.name == "GstOfflineTrackSrc":
                track = upstream
        demuxer_inside = (demuxer is not None and source is not None and
                          demuxer.get_parent().get_parent() == source.get_parent())
        path = [("track source out", track)]
        if demuxer_inside:
            path += [("demuxer out", demuxer), ("source out", source)]
        else:
            path += [("source out", source), ("demuxer out", demuxer)]
        path += [("parser in", first_pad("h264parse", Gst.PadDirection.SINK, "")),
                 ("decoder in", first_pad("avdec_h264", Gst.PadDirection.SINK, "")),
                 ("decoder out", first_pad("avdec_h264", Gst.PadDirection.SRC, ""))]
        return [(name, pad) for name, pad in path if pad is not None]


class FirstBuffer:
    """A probe on a pad (by default the video sink's): the time and stream
    time of the first buffer after each FLUSH_STOP (or the very first
    buffer)."""

    def __init__(self, player, after_flush, pad=None, events=False):
        self.player = player
        self.pad = pad or player.pad
        self.flushes = 0
        self.first = None if not after_flush else "wait"    # (time, pts) once seen
        self.events = [] if events else None    # (time, event type) before that buffer
        self.seen = threading.Event()
        mask = Gst.PadProbeType.BUFFER
        if after_flush:
            mask |= Gst.PadProbeType.EVENT_FLUSH
        if events:
            mask |= Gst.PadProbeType.EVENT_DOWNSTREAM
        self.id = self.pad.add_probe(mask, self.probe)

    def probe(self, pad, info):
        t = now_ms()
        if info.type & Gst.PadProbeType.BUFFER:
            if self.first is None:
                self.first = (t, stream_time(pad, info.get_buffer().pts))
                self.seen.set()
            return Gst.PadProbeReturn.OK
        event_type = info.get_event().type
        if event_type == Gst.EventType.FLUSH_STOP:
            self.flushes += 1
            self.first = None           # the first buffer after the last flush counts
            self.seen.clear()
            if self.events is not None:
                self.events.clear()
        elif self.events is not None and self.first is None:
            self.events.append((t, Gst.EventType.get_name(event_type)))
        return Gst.PadProbeReturn.OK

    def result(self, timeout):
        if not self.seen.wait(timeout):
            raise Failed(self.player.error or "no video buffer in %g s" % timeout)
        return self.first

    def remove(self):
        self.pad.remove_probe(self.id)


def stream_time(pad, pts):
    event = pad.get_sticky_event(Gst.EventType.SEGMENT, 0)
    if event is None or pts == Gst.CLOCK_TIME_NONE:
        return None
    st = event.parse_segment().to_stream_time(Gst.Format.TIME, pts)
    return None if st in (-1, Gst.CLOCK_TIME_NONE) else st / Gst.SECOND


def seek_positions(duration_s, fractions, gop):
    return [math.floor(f * duration_s / gop) * gop + 0.75 * gop for f in fractions]


def measure(args):
    out = {"uri": args.uri, "kind": args.uri.split(":", 1)[0], "label": args.label,
           "sync": not args.no_sync, "audio": not args.no_audio,
           "load1": float(open("/proc/loadavg").read().split()[0])}
    player = Player(args.uri, args.store, not args.no_sync, not args.no_audio)
    first = FirstBuffer(player, after_flush=False)
    try:
        cpu0 = cpu_s()
        t0 = now_ms()
        if player.playbin.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            raise Failed(player.error or "set_state(PLAYING) failed")
        t_first, pts = first.result(args.timeout)
        first.remove()
        out["first_frame_ms"] = t_first - t0
        out["first_frame_pts_s"] = pts
        out["preroll_ms"] = player.wait(player.async_done, 1, args.timeout) - t0
        out["playing_ms"] = player.wait(player.playing, 1, args.timeout) - t0
        out["source"] = player.source
        ok, duration = player.playbin.query_duration(Gst.Format.TIME)
        if not ok:
            raise Failed("no duration")
        out["duration_s"] = duration / Gst.SECOND
        time.sleep(args.settle)

        out["seeks"] = []
        for mode in args.seeks.split(","):
            for pos in seek_positions(duration / Gst.SECOND, args.fractions, args.gop):
                probe = FirstBuffer(player, after_flush=True)
                stages = [(name, FirstBuffer(player, True, pad, events=name.endswith(" in")))
                          for name, pad in (player.stages() if args.breakdown else [])]
                done = len(player.async_done)
                event = Gst.Event.new_seek(1.0, Gst.Format.TIME, SEEK_MODES[mode],
                                           Gst.SeekType.SET, int(pos * Gst.SECOND),
                                           Gst.SeekType.NONE, -1)
                t0 = now_ms()
                if not player.playbin.send_event(event):
                    raise Failed("%s seek to %.2f s refused" % (mode, pos))
                t_sent = now_ms()
                t_async = player.wait(player.async_done, done + 1, args.timeout)
                t_first, pts = probe.result(args.timeout)
                probe.remove()
                seek = {"mode": mode, "target_s": pos, "ms": t_first - t0,
                        "async_done_ms": t_async - t0, "send_ms": t_sent - t0,
                        "pts_s": pts, "flushes": probe.flushes}
                if stages:
                    seek["stages_ms"] = {name: stage.result(args.timeout)[0] - t0
                                         for name, stage in stages}
                    seek["events_ms"] = {}
                    for name, stage in stages:
                        stage.remove()
                        if stage.events is not None:
                            seek["events_ms"][name] = [(e, t - t0) for t, e in stage.events]
                out["seeks"].append(seek)
                time.sleep(args.settle)
        out["cpu_s"] = cpu_s() - cpu0
        out["elements"] = player.factories()
    except Failed as e:
        out["error"] = str(e)
    finally:
        player.playbin.set_state(Gst.State.NULL)
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))
    return 1 if "error" in out else 0


def check(_args):
    missing = sorted({pkg for name, pkg in NEEDED.items() if Gst.ElementFactory.find(name) is None})
    if missing:
        print(" ".join(missing))
    if Gst.ElementFactory.find("offlinesrc") is None:
        sys.stderr.write("playback.py: offlinesrc not found (GST_PLUGIN_PATH=%s)\n"
                         % os.environ.get("GST_PLUGIN_PATH", ""))
        return 1
    return 0


# ---- the report ----------------------------------------------------------

def fmt_ratio(a, b, target):
    if not a or not b:
        return "–", "–"
    r = statistics.median(a) / statistics.median(b)
    return "%.2f×" % r, ("met" if r <= target else "**not met**")


def report(args):
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    bad = [r for r in rows if "error" in r]
    rows = [r for r in rows if "error" not in r]
    kinds = ("offline", "file")
    by = {k: [r for r in rows if r["kind"] == k] for k in kinds}
    metrics = [("first frame", lambda r: [r["first_frame_ms"]]),
               ("preroll (ASYNC_DONE)", lambda r: [r["preroll_ms"]]),
               ("PLAYING", lambda r: [r["playing_ms"]])]
    seek_keys = []
    for r in rows:
        for s in r.get("seeks", []):
            key = (s["mode"], round(s["target_s"], 2))
            if key not in seek_keys:
                seek_keys.append(key)
    for mode in dict.fromkeys(k[0] for k in seek_keys):
        metrics.append(("seek %s, all positions" % mode,
                        lambda r, m=mode: [s["ms"] for s in r["seeks"] if s["mode"] == m]))
    for mode, target in seek_keys:
        metrics.append(("seek %s to %.1f s" % (mode, target),
                        lambda r, m=mode, t=target: [s["ms"] for s in r["seeks"]
                                                     if s["mode"] == m and round(s["target_s"], 2) == t]))
    modes = sorted({"sync=%s%s" % (str(r["sync"]).lower(), "" if r.get("audio", True) else ", audio off")
                    for r in rows})
    out = ["Runs: %s (%s)%s.\n" % (
        ", ".join("%s %d" % (k, len(by[k])) for k in kinds), "; ".join(modes),
        "; failed: %d (%s)" % (len(bad), bad[0]["error"]) if bad else "")]
    out.append("| median ms (min–max) | offline:// | file:// | offline / file | ≤ %.1f× |" % args.target)
    out.append("| --- | ---: | ---: | ---: | --- |")

    def cell(values):
        if not values:
            return "–"
        return "%.1f (%.1f–%.1f)" % (statistics.median(values), min(values), max(values))

    for label, fn in metrics:
        vals = {k: [v for r in by[k] for v in fn(r)] for k in kinds}
        ratio, verdict = fmt_ratio(vals["offline"], vals["file"], args.target)
        out.append("| %s | %s | %s | %s | %s |" % (label, cell(vals["offline"]), cell(vals["file"]),
                                                  ratio, verdict))
    # where the first frame after a seek lands, and anything unusual
    out.append("\nFirst frame after the seek, stream time (s), per kind: " + "; ".join(
        "%s %s to %.1f: %s" % (k, mode, target, "/".join(sorted({
            "%.2f" % s["pts_s"] if s["pts_s"] is not None else "?"
            for r in by[k] for s in r["seeks"]
            if s["mode"] == mode and round(s["target_s"], 2) == target})))
        for mode, target in seek_keys for k in kinds) + ".")
    flushes = sorted({s["flushes"] for r in rows for s in r["seeks"]})
    out.append("FLUSH_STOPs seen at the video sink per seek: %s." % "/".join(map(str, flushes)))
    for k in kinds:
        if by[k]:
            out.append("%s: CPU (user+sys, from PLAYING to the end) median %.2f s; peak RSS median %.1f MiB; "
                       "source %s." % (k, statistics.median(r["cpu_s"] for r in by[k]),
                                       statistics.median(r["maxrss_kb"] for r in by[k]) / 1024,
                                       "/".join(sorted({str(r["source"]) for r in by[k]}))))
    loads = [r["load1"] for r in rows]
    if loads:
        out.append("Load average (1 min) at the start of the runs: median %.2f, max %.2f."
                   % (statistics.median(loads), max(loads)))
    if by["offline"] and by["file"]:
        counts = {k: by[k][0]["elements"] for k in kinds}
        diff = ["%s %d/%d" % (name, counts["offline"].get(name, 0), counts["file"].get(name, 0))
                for name in sorted(set(counts["offline"]) | set(counts["file"]))
                if counts["offline"].get(name, 0) != counts["file"].get(name, 0)]
        out.append("Elements whose count differs (offline/file): %s." % (", ".join(diff) or "none"))
    out += breakdown(by, kinds)
    print("\n".join(out))
    return 0


def breakdown(by, kinds):
    """The --breakdown lines: per seek mode and stage, the median time of
    the first buffer after the flush, and the CAPS events h264parse got."""
    seeks = {k: [s for r in by[k] for s in r["seeks"] if "stages_ms" in s] for k in kinds}
    if not any(seeks.values()):
        return []
    out = ["\nBreakdown (--breakdown: Python probes on the video path; they add time), median ms "
           "from the seek to the first buffer after the flush at each point:\n",
           "| seek | stage | offline:// | file:// |", "| --- | --- | ---: | ---: |"]
    stages = list(dict.fromkeys(st for k in kinds for s in seeks[k] for st in s["stages_ms"]))
    for mode in dict.fromkeys(s["mode"] for k in kinds for s in seeks[k]):
        for stage in stages + ["video sink"]:
            cells = []
            for k in kinds:
                vals = [s["ms"] if stage == "video sink" else s["stages_ms"].get(stage)
                        for s in seeks[k] if s["mode"] == mode]
                vals = [v for v in vals if v is not None]
                cells.append("%.2f" % statistics.median(vals) if vals else "–")
            out.append("| %s | %s | %s | %s |" % (mode, stage, cells[0], cells[1]))
    for k in kinds:
        counts, spent = [], []
        for s in seeks[k]:
            # each item at h264parse's sink pad, then the first buffer: the
            # time from a CAPS event to the next item is what handling it took
            items = s["events_ms"].get("parser in", []) + [("buffer", s["stages_ms"].get("parser in"))]
            gaps = [b[1] - a[1] for a, b in zip(items, items[1:]) if a[0] == "caps" and b[1] is not None]
            counts.append(len(gaps))
            spent.append(sum(gaps))
        if counts:
            out.append("%s: CAPS events at h264parse's sink pad between the flush and the first buffer: "
                       "%s per seek, handling them took %.2f ms a seek (median)." % (
                           k, "/".join(str(c) for c in sorted(set(counts))), statistics.median(spent)))
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check")
    m = sub.add_parser("measure")
    m.add_argument("uri")
    m.add_argument("--store")
    m.add_argument("--no-sync", action="store_true")
    m.add_argument("--no-audio", action="store_true")
    m.add_argument("--breakdown", action="store_true")
    m.add_argument("--fractions", type=lambda s: [float(x) for x in s.split(",")],
                   default=[0.25, 0.5, 0.9])
    m.add_argument("--gop", type=float, default=2.0)
    m.add_argument("--seeks", default="key,accurate")
    m.add_argument("--settle", type=float, default=0.5)
    m.add_argument("--timeout", type=float, default=20.0)
    m.add_argument("--label", default="")
    r = sub.add_parser("report")
    r.add_argument("results")
    r.add_argument("--target", type=float, default=1.2)
    args = parser.parse_args(argv[1:])
    if args.cmd == "report":
        return report(args)
    Gst.init(None)
    return check(args) if args.cmd == "check" else measure(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
