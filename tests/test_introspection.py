#!/usr/bin/python3
"""The Offline typelib works from Python (PyGObject): parse fixtures, read
the model, select tracks, and get OFFLINE_ERROR errors. Prints TAP."""
import os
import sys
import traceback

import gi

gi.require_version("Offline", "1.0")
gi.require_version("GLib", "2.0")
from gi.repository import GLib, Offline  # noqa: E402

DATA = os.path.join(os.environ.get("G_TEST_SRCDIR", os.path.dirname(__file__)), "data")
BASE = "http://127.0.0.1:8080/"


def load(path):
    with open(os.path.join(DATA, path), "rb") as f:
        return GLib.Bytes.new(f.read())


def parse(path):
    return Offline.manifest_parse(load(path), BASE + path, None)


def test_dash_fixture():
    presentation = parse("dash/template-number/manifest.mpd")
    assert presentation.get_format() == Offline.ManifestFormat.DASH
    assert presentation.get_duration() == 6 * 1000000, presentation.get_duration()
    tracks = presentation.get_tracks()
    types = [t.get_track_type() for t in tracks]
    assert types.count(Offline.TrackType.VIDEO) == 2, types
    assert types.count(Offline.TrackType.AUDIO) == 2, types
    assert types.count(Offline.TrackType.TEXT) >= 1, types
    video = next(t for t in tracks if t.get_track_type() == Offline.TrackType.VIDEO)
    segments = video.get_segments()
    assert len(segments) == 3, len(segments)
    assert all(s.get_uri().startswith(BASE + "dash/template-number/") for s in segments)
    assert [s.get_start() for s in segments] == [0, 2000000, 4000000]
    assert video.get_init_segment().get_uri().startswith(BASE + "dash/template-number/")


def test_hls_two_step():
    path = "hls/ts-alt-audio/master.m3u8"
    presentation = parse(path)
    assert presentation.get_format() == Offline.ManifestFormat.HLS
    assert not presentation.is_complete()
    for track in presentation.get_tracks():
        if track.needs_playlist():
            uri = track.get_playlist_uri()
            assert uri.startswith(BASE)
            ok = Offline.hls_parse_media_playlist(presentation, track, load(uri[len(BASE):]), uri)
            assert ok
    assert presentation.is_complete()
    assert presentation.get_duration() > 5 * 1000000


def test_selection():
    presentation = parse("dash/template-number/manifest.mpd")
    options = Offline.DownloadOptions(language="spa", bitrate=10 ** 9)
    selection = Offline.TrackSelection.new(presentation, options)
    audio = selection.get_audio_track()
    video = selection.get_video_track()
    assert audio.get_language().lower().startswith("es"), audio.get_language()
    videos = [t for t in presentation.get_tracks() if t.get_track_type() == Offline.TrackType.VIDEO]
    assert video.get_bandwidth() == max(t.get_bandwidth() for t in videos)
    assert selection.get_estimated_size() > 0
    default = Offline.TrackSelection.new(presentation, None)
    assert default.get_video_track().get_bandwidth() == min(t.get_bandwidth() for t in videos)


def test_error_domain():
    try:
        Offline.manifest_parse(GLib.Bytes.new(b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n"),
                               BASE + "live.m3u8", None)
    except GLib.Error as e:
        assert e.domain == "offline-error-quark", e.domain
        assert e.code == Offline.Error.LIVE_NOT_SUPPORTED, e.code
    else:
        raise AssertionError("a live playlist was accepted")
    try:
        Offline.manifest_parse(GLib.Bytes.new(b"<MPD"), BASE + "bad.mpd", None)
    except GLib.Error as e:
        assert e.matches(Offline.error_quark(), Offline.Error.MANIFEST_INVALID), (e.domain, e.code)
    else:
        raise AssertionError("a truncated MPD was accepted")


def main():
    tests = [test_dash_fixture, test_hls_two_step, test_selection, test_error_domain]
    print(f"1..{len(tests)}")
    failed = 0
    for number, test in enumerate(tests, 1):
        try:
            test()
            print(f"ok {number} {test.__name__}")
        except Exception:  # report every failure, then go on
            failed += 1
            print(f"not ok {number} {test.__name__}")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
