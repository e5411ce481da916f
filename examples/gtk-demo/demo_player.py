"""Plays a stored entry inside the window: playbin with uri=offline://ID
(the offlinesrc element reads the store only), its video sink an appsink
whose RGBA samples become Gdk.MemoryTexture frames of a Gtk.Picture.

Why appsink: GStreamer 1.22 in Debian 12 has no gtk4paintablesink (it comes
with gst-plugins-rs), and gtksink draws into GTK 3 widgets only. An appsink
is plain GStreamer and GTK 4 and shows the frames with no extra package."""
import os

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstVideo", "1.0")
gi.require_version("Gtk", "4.0")
gi.require_version("Gdk", "4.0")
from gi.repository import GLib, Gdk, Gst, GstApp, GstVideo, Gtk  # noqa: E402, F401

Gst.init(None)


def make_audio_sink(name):
    """The audio sink: $OFFLINE_DEMO_AUDIO_SINK or @name (fakesink under
    the tests, which have no sound card)."""
    name = name or os.environ.get("OFFLINE_DEMO_AUDIO_SINK") or "autoaudiosink"
    sink = Gst.ElementFactory.make(name, None)
    if sink is not None and name == "fakesink":
        sink.set_property("sync", True)
    return sink


def format_time(ns):
    if ns is None or ns < 0:
        return "--:--"
    seconds = ns // Gst.SECOND
    return "%d:%02d" % (seconds // 60, seconds % 60)


class Player(Gtk.Box):
    """A picture, a play/pause button and a seek bar. Reports errors with
    on_error(message)."""

    def __init__(self, store_path, on_error, audio_sink=None):
        super().__init__(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        self.store_path = store_path
        self.on_error = on_error
        self.audio_sink_name = audio_sink
        self.pipeline = None
        self.entry_id = None
        self.frames_rendered = 0
        self.last_frame_pts = -1
        self.last_frame = None  # (width, height, stride, GLib.Bytes, pts) shown last
        self.duration = -1
        self.playing = False
        self._updating_scale = False

        self.picture = Gtk.Picture(vexpand=True, hexpand=True, can_shrink=True)
        self.picture.set_size_request(320, 180)
        self.append(self.picture)

        controls = Gtk.Box(spacing=6, margin_start=6, margin_end=6, margin_bottom=6)
        self.play_button = Gtk.Button(icon_name="media-playback-start-symbolic",
                                      tooltip_text="Play / pause")
        self.play_button.connect("clicked", lambda _b: self.toggle())
        controls.append(self.play_button)
        self.scale = Gtk.Scale.new_with_range(Gtk.Orientation.HORIZONTAL, 0, 1, 0.1)
        self.scale.set_hexpand(True)
        self.scale.set_draw_value(False)
        self.scale.connect("change-value", self._on_change_value)
        controls.append(self.scale)
        self.time_label = Gtk.Label(label="--:-- / --:--")
        controls.append(self.time_label)
        self.append(controls)
        self._timer = 0

    # -- pipeline ---------------------------------------------------------
    def play_entry(self, entry_id):
        """Plays offline://@entry_id from the start."""
        self.stop()
        self.entry_id = entry_id
        self.frames_rendered = 0
        self.last_frame_pts = -1
        self.duration = -1
        playbin = Gst.ElementFactory.make("playbin", "demo-playbin")
        if playbin is None:
            self.on_error("GStreamer's playbin is missing (gstreamer1.0-plugins-base)")
            return
        appsink = Gst.ElementFactory.make("appsink", "demo-video")
        appsink.set_property("caps", Gst.Caps.from_string("video/x-raw,format=RGBA"))
        appsink.set_property("emit-signals", True)
        appsink.set_property("max-buffers", 2)
        appsink.set_property("drop", True)
        appsink.connect("new-sample", self._on_new_sample)
        appsink.connect("new-preroll", self._on_new_preroll)
        playbin.set_property("video-sink", appsink)
        audio = make_audio_sink(self.audio_sink_name)
        if audio is not None:
            playbin.set_property("audio-sink", audio)
        playbin.set_property("uri", "offline://" + entry_id)
        playbin.connect("source-setup", self._on_source_setup)
        bus = playbin.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self._on_message)
        self.pipeline = playbin
        # a missing or incomplete entry fails here: the ERROR message on the
        # bus carries the OFFLINE_ERROR message, shown by _on_message
        playbin.set_state(Gst.State.PLAYING)
        self.playing = True
        self.play_button.set_icon_name("media-playback-pause-symbolic")
        self._timer = GLib.timeout_add(200, self._update_position)

    def _on_source_setup(self, _playbin, source):
        if source.find_property("store-path") is not None:
            source.set_property("store-path", self.store_path)

    def stop(self):
        if self._timer:
            GLib.source_remove(self._timer)
            self._timer = 0
        if self.pipeline is not None:
            self.pipeline.get_bus().remove_signal_watch()
            self.pipeline.set_state(Gst.State.NULL)
            self.pipeline = None
        self.playing = False
        self.play_button.set_icon_name("media-playback-start-symbolic")

    def toggle(self):
        if self.pipeline is None:
            if self.entry_id is not None:
                self.play_entry(self.entry_id)
            return
        self.playing = not self.playing
        self.pipeline.set_state(Gst.State.PLAYING if self.playing else Gst.State.PAUSED)
        self.play_button.set_icon_name("media-playback-pause-symbolic" if self.playing
                                       else "media-playback-start-symbolic")

    def seek(self, position_ns):
        """Seeks (flushing, accurate: the small demo videos decode fast) to @position_ns."""
        if self.pipeline is None:
            return False
        return self.pipeline.seek_simple(Gst.Format.TIME,
                                         Gst.SeekFlags.FLUSH | Gst.SeekFlags.ACCURATE,
                                         position_ns)

    def position(self):
        if self.pipeline is None:
            return -1
        ok, pos = self.pipeline.query_position(Gst.Format.TIME)
        return pos if ok else -1

    # -- video frames: streaming thread → main loop -----------------------
    def _on_new_sample(self, appsink):
        self._show_sample(appsink.pull_sample())
        return Gst.FlowReturn.OK

    def _on_new_preroll(self, appsink):
        self._show_sample(appsink.pull_preroll())
        return Gst.FlowReturn.OK

    def _show_sample(self, sample):
        """Copies the frame (streaming thread) and hands it to the main loop."""
        if sample is None:
            return
        info = GstVideo.VideoInfo.new_from_caps(sample.get_caps())
        buffer = sample.get_buffer()
        ok, mapped = buffer.map(Gst.MapFlags.READ)
        if not ok:
            return
        try:
            data = GLib.Bytes.new(bytes(mapped.data))
        finally:
            buffer.unmap(mapped)
        frame = (info.width, info.height, info.stride[0], data, buffer.pts)
        GLib.idle_add(self._set_frame, frame, self.pipeline)

    def _set_frame(self, frame, pipeline):
        if pipeline is not self.pipeline:
            return GLib.SOURCE_REMOVE  # a frame of a pipeline stopped since
        width, height, stride, data, pts = frame
        texture = Gdk.MemoryTexture.new(width, height, Gdk.MemoryFormat.R8G8B8A8, data, stride)
        self.picture.set_paintable(texture)
        self.frames_rendered += 1
        self.last_frame_pts = pts
        self.last_frame = frame
        return GLib.SOURCE_REMOVE

    def _on_message(self, _bus, message):
        if message.type == Gst.MessageType.ERROR:
            error, _debug = message.parse_error()
            self.stop()
            self.on_error(error.message)
        elif message.type == Gst.MessageType.EOS:
            self.playing = False
            self.pipeline.set_state(Gst.State.PAUSED)
            self.play_button.set_icon_name("media-playback-start-symbolic")

    def _update_position(self):
        if self.pipeline is None:
            return GLib.SOURCE_REMOVE
        ok, duration = self.pipeline.query_duration(Gst.Format.TIME)
        if ok and duration > 0:
            self.duration = duration
        position = self.position()
        if self.duration > 0 and position >= 0:
            self._updating_scale = True
            self.scale.set_range(0, self.duration / Gst.SECOND)
            self.scale.set_value(position / Gst.SECOND)
            self._updating_scale = False
        self.time_label.set_label("%s / %s" % (format_time(position), format_time(self.duration)))
        return GLib.SOURCE_CONTINUE

    def _on_change_value(self, _scale, _scroll, value):
        if not self._updating_scale:
            self.seek(int(max(value, 0) * Gst.SECOND))
        return False
