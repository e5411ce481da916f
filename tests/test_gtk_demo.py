#!/usr/bin/python3
"""The GTK demo app (examples/gtk-demo), in this process on an Xvfb display
(meson runs it under xvfb-run): against tests/data served from 127.0.0.1 it
looks up the DASH fixture, picks a language and bitrate, downloads (paused
and resumed half-way), then with the server gone plays the entry in the
window and seeks. Everything is asserted from the app's own state; the
screenshots (PNG) of the list mid-download and of playback are left in
$OFFLINE_DEMO_SCREENSHOTS (the build directory's gtk-demo-screenshots/)
for people to look at. Prints TAP."""
import base64
import functools
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback

os.environ.setdefault("GSK_RENDERER", "cairo")  # Xvfb: no GL needed
os.environ.setdefault("GTK_A11Y", "none")
os.environ.setdefault("GSETTINGS_BACKEND", "memory")
os.environ["OFFLINE_DEMO_AUDIO_SINK"] = "fakesink"
os.environ["GDK_BACKEND"] = "x11"  # the Xvfb display, even from a Wayland session
os.environ.pop("WAYLAND_DISPLAY", None)

SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(SRCDIR, "data")
sys.path.insert(0, os.path.join(SRCDIR, "..", "examples", "gtk-demo"))
sys.path.insert(0, SRCDIR)

from offline_tap import Tap  # noqa: E402

try:
    import gi
    gi.require_version("Gst", "1.0")
    gi.require_version("GstVideo", "1.0")
    gi.require_version("Offline", "1.0")
    gi.require_version("Gtk", "4.0")
    gi.require_version("Adw", "1")
    gi.require_version("GdkPixbuf", "2.0")
    from gi.repository import Adw, GdkPixbuf, GLib, Gst, GstVideo, Gtk, Offline  # noqa: E402, F401
except (ImportError, ValueError) as e:
    print("1..0 # SKIP GTK 4 / libadwaita typelibs missing: %s" % e)
    sys.exit(0)

import demo_app  # noqa: E402
from demo_screenshot import save_widget_png  # noqa: E402

S = Offline.DownloadState
TIMEOUT_S = 120  # generous: the machine may be busy; the waits end on state
MANIFEST = "dash/template-number/manifest.mpd"
CENC_MANIFEST = "dash/cenc/manifest.mpd"
LICENCE_EXPIRATION = 4102444800  # 2100-01-01


def base64url(hex_text):
    return base64.urlsafe_b64encode(bytes.fromhex(hex_text)).rstrip(b"=").decode()


# key ID → key of dash/cenc (tests/data/README.md)
CENC_KEYS = {base64url(kid): base64url(key) for kid, key in [
    ("10000000100010001000100000000000", "3a2a1b68dd2bd9b2eeb25e84c4776668"),
    ("20000000200020002000200000000000", "00112233445566778899aabbccddeeff")]}


class GatedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves tests/data; requests of the last segments wait for the gate."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_bytes(self, data, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        """A W3C Clear Key licence server (/license) for dash/cenc."""
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        keys = [{"kty": "oct", "kid": kid, "k": CENC_KEYS[kid]} for kid in request["kids"]
                if kid in CENC_KEYS]
        self.send_bytes(json.dumps({"keys": keys, "type": "persistent-license",
                                    "expiration": LICENCE_EXPIRATION}).encode(),
                        "application/json")

    def do_GET(self):
        if self.path == "/poster.png":
            self.send_bytes(self.server.poster, "image/png")
            return
        if self.path == "/" + CENC_MANIFEST:
            with open(os.path.join(DATA, CENC_MANIFEST), "rb") as f:
                text = f.read().replace(b"@LICENSE_URL@", self.server.base.encode() + b"license")
            self.send_bytes(text, "application/dash+xml")
            return
        if self.path.endswith("-00003.m4s"):
            with self.server.lock:
                self.server.held += 1
            self.server.gate.wait(TIMEOUT_S)
        super().do_GET()


class FixtureServer:
    def __init__(self):
        handler = functools.partial(GatedHandler, directory=DATA)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.gate = threading.Event()
        self.httpd.lock = threading.Lock()
        self.httpd.held = 0
        self.httpd.handle_error = lambda *a: None  # paused: the client went away
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = "http://127.0.0.1:%d/" % self.httpd.server_address[1]
        self.httpd.base = self.base
        poster = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, 64, 36)
        poster.fill(0xE66100FF)
        self.httpd.poster = poster.save_to_bufferv("png", [], [])[1]

    def close(self):
        self.httpd.gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def wait_until(predicate, what):
    """Runs the main loop until predicate() holds (no fixed sleeps)."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + TIMEOUT_S
    wake = GLib.timeout_add(20, lambda: GLib.SOURCE_CONTINUE)
    try:
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for " + what)
            context.iteration(True)
    finally:
        GLib.source_remove(wake)


def colours(path):
    """Distinct pixel values of a PNG (sampled)."""
    pixbuf = GdkPixbuf.Pixbuf.new_from_file(path)
    data, stride, n = pixbuf.get_pixels(), pixbuf.get_rowstride(), pixbuf.get_n_channels()
    seen = set()
    for y in range(0, pixbuf.get_height(), 2):
        row = y * stride
        for x in range(0, pixbuf.get_width(), 2):
            seen.add(bytes(data[row + x * n:row + x * n + 3]))
    return seen


def top_half(frame):
    """The top half of an RGBA frame's rows (playbin draws the subtitles
    over the bottom), without the stride's padding."""
    width, height, stride, data, _pts = frame
    data = data.get_data() if hasattr(data, "get_data") else data
    return b"".join(data[y * stride:y * stride + width * 4] for y in range(height // 2))


def ground_truth_frame(paths, position):
    """The RGBA frame at @position of the fixture files @paths played
    through filesrc ! decodebin (an accurate seek, paused)."""
    joined = tempfile.NamedTemporaryFile(suffix=".mp4", delete=False)
    with joined:
        for path in paths:
            with open(os.path.join(DATA, path), "rb") as f:
                joined.write(f.read())
    pipeline = Gst.parse_launch(
        "filesrc name=src ! decodebin ! videoconvert ! video/x-raw,format=RGBA ! "
        "appsink name=sink sync=false")
    pipeline.get_by_name("src").set_property("location", joined.name)
    try:
        pipeline.set_state(Gst.State.PAUSED)
        assert pipeline.get_state(TIMEOUT_S * Gst.SECOND)[0] == Gst.StateChangeReturn.SUCCESS
        pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.ACCURATE,
                             position)
        assert pipeline.get_state(TIMEOUT_S * Gst.SECOND)[0] == Gst.StateChangeReturn.SUCCESS
        sample = pipeline.get_by_name("sink").emit("pull-preroll")
        info = GstVideo.VideoInfo.new_from_caps(sample.get_caps())
        buffer = sample.get_buffer()
        data = buffer.extract_dup(0, buffer.get_size())
        return (info.width, info.height, info.stride[0], data, buffer.pts)
    finally:
        pipeline.set_state(Gst.State.NULL)
        os.unlink(joined.name)


def screenshot(widget, name, shots):
    path = os.path.join(shots, name)
    if os.path.exists(path):
        os.unlink(path)
    wait_until(lambda: save_widget_png(widget, path), "a screenshot of " + name)
    return path


def run(tap, server, store, shots):
    manager = Offline.Manager.new(store, Offline.UrlProvider.new(), None)
    app = demo_app.DemoApp(manager)
    app.register(None)
    app.activate()
    window = app.window
    wait_until(lambda: window.get_mapped() and window.get_width() > 0, "the window")
    add, player = window.add_panel, window.player

    # the manifest's offers, and the size estimate of the choice
    add.look_up(server.base + MANIFEST)
    wait_until(lambda: add.presentation is not None, "the manifest")
    tap.check("languages and bitrates from the manifest",
              add.languages == ["en", "es"] and add.bitrates == [60000, 150000],
              (add.languages, add.bitrates))
    add.select(language="es", bitrate=60000)
    low = add.estimated_size
    add.select(bitrate=150000)
    high = add.estimated_size
    expected = Offline.TrackSelection.new(add.presentation, add.options()).get_estimated_size()
    tap.check("size estimate follows the bitrate", 0 < low < high == expected, (low, high, expected))

    # download; the last segments wait at the server: a mid-download screenshot
    entry_id = add.entry_id
    add.download_button.emit("clicked")
    wait_until(lambda: entry_id in window.rows and server.httpd.held >= 1
               and window.rows[entry_id].bytes_downloaded > 0, "a partial download")
    row = window.rows[entry_id]
    wait_until(lambda: row.state == S.DOWNLOADING, "DOWNLOADING")
    mid_fraction = row.fraction
    tap.check("row shows a partial download", 0 < mid_fraction < 1, mid_fraction)
    mid = screenshot(window, "list-mid-download.png", shots)
    tap.check("mid-download screenshot is not one colour", len(colours(mid)) > 8, mid)

    row.buttons["pause"].emit("clicked")
    wait_until(lambda: row.state == S.PAUSED, "PAUSED")
    tap.check("pause button pauses", row.buttons["resume"].get_sensitive(), row.state)
    server.httpd.gate.set()
    window.resume_all()
    wait_until(lambda: row.state == S.COMPLETED, "COMPLETED")
    wait_until(lambda: row.progress.get_fraction() == 1.0, "a full progress bar")
    tap.check("download completes: row state and progress 1.0",
              row.state == S.COMPLETED and row.fraction == 1.0 and not window.toasts,
              (row.state, row.fraction, window.toasts))

    # an entry id the provider knows (with a poster): protected, its licence shown
    manager.get_provider().add("protected", server.base + CENC_MANIFEST, "Protected", None,
                               server.base + "poster.png")
    add.look_up("protected")
    wait_until(lambda: add.presentation is not None and add.entry_id == "protected",
               "the protected manifest")
    add.download_button.emit("clicked")
    wait_until(lambda: "protected" in window.rows
               and window.rows["protected"].state == S.COMPLETED
               and window.rows["protected"].licence_label.get_visible(), "the protected entry")
    prow = window.rows["protected"]
    when = GLib.DateTime.new_from_unix_local(LICENCE_EXPIRATION).format("%Y-%m-%d %H:%M")
    tap.check("licence expiry shown for the protected entry",
              prow.licence_label.get_label() == "Licence expires " + when
              and not row.licence_label.get_visible(), prow.licence_label.get_label())
    tap.check("poster shown from the store",
              prow.poster_stack.get_visible_child_name() == "poster"
              and row.poster_stack.get_visible_child_name() == "icon"
              and prow.poster_path is not None and os.path.exists(prow.poster_path)
              and prow.poster.get_paintable().get_width() == 64,
              prow.poster_stack.get_visible_child_name())

    # the network is gone: the list and playback read the store only
    server.close()
    row.buttons["play"].emit("clicked")
    wait_until(lambda: player.frames_rendered >= 10 and player.position() > Gst.SECOND // 2,
               "10 frames and half a second played")
    tap.check("plays offline in the window", player.frames_rendered >= 10
              and player.picture.get_paintable() is not None, player.frames_rendered)
    video = screenshot(player.picture, "playback-video.png", shots)
    whole = screenshot(window, "playback.png", shots)
    tap.check("playback screenshots are not one colour",
              len(colours(video)) > 8 and len(colours(whole)) > 8, (video, whole))

    # paused, a seek shows the frame at 4 s (playing on could not reach it)
    player.toggle()
    tap.check("play/pause pauses", not player.playing, player.playing)
    before = player.last_frame_pts
    player.seek(4 * Gst.SECOND)
    wait_until(lambda: player.last_frame_pts >= 4 * Gst.SECOND, "the frame at 4 s")
    tap.check("seek while paused shows the frame at 4 s",
              before < 3 * Gst.SECOND and
              4 * Gst.SECOND <= player.last_frame_pts < 4 * Gst.SECOND + Gst.SECOND // 10,
              (before, player.last_frame_pts))
    truth = ground_truth_frame(["dash/template-number/init-stream0.m4s"] +
                               ["dash/template-number/chunk-stream0-%05d.m4s" % n
                                for n in (1, 2, 3)], 4 * Gst.SECOND)
    tap.check("the frame at 4 s is the file's (filesrc ! decodebin)",
              player.last_frame[:3] == truth[:3] and player.last_frame[4] == truth[4]
              and top_half(player.last_frame) == top_half(truth),
              (player.last_frame[:3], player.last_frame[4], truth[:3], truth[4]))
    shown = player.frames_rendered
    player.toggle()
    wait_until(lambda: player.frames_rendered >= shown + 5, "playing on after the seek")
    tap.check("plays on from 4 s", player.playing and player.position() > 4 * Gst.SECOND,
              player.position())
    player.toggle()
    window.refresh_all()
    wait_until(lambda: window.rows[entry_id].state == S.COMPLETED, "the list from the store")
    tap.check("no error toasts", window.toasts == [], window.toasts)
    # an unknown id: the provider's NOT_FOUND message as a toast
    add.look_up("no-such-entry")
    wait_until(lambda: window.toasts, "an error toast")
    tap.check("unknown id shows the GError as a toast",
              "no-such-entry" in window.toasts[0] and len(window.toasts) == 1
              and add.presentation is None, window.toasts)

    # remove, offline too: the row goes, and so does the stored entry
    prow.buttons["remove"].emit("clicked")
    wait_until(lambda: "protected" not in window.rows, "the row to go")
    box = []
    manager.get_all_downloads_async(None, lambda m, r: box.append(m.get_all_downloads_finish(r)))
    wait_until(lambda: box, "the stored entries")
    tap.check("remove button removes the entry", [e.get_id() for e in box[0]] == [entry_id]
              and prow.get_parent() is None, [e.get_id() for e in box[0]])

    window.close()
    player.stop()


def main():
    tap = Tap()
    shots = os.environ.get("OFFLINE_DEMO_SCREENSHOTS") or tempfile.mkdtemp(prefix="gtk-demo-")
    os.makedirs(shots, exist_ok=True)
    store = tempfile.mkdtemp(prefix="offlinemgr-gtk-")
    server = FixtureServer()
    try:
        run(tap, server, store, shots)
    except Exception:
        tap.check("the demo ran to the end", False, traceback.format_exc())
    finally:
        server.close()
        shutil.rmtree(store, ignore_errors=True)
    print("# screenshots in %s" % shots)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
