"""One row of the downloads list: poster, name, state, progress bar,
speed, size, licence expiry, and the Play / Pause / Resume / Remove buttons."""
import time

import gi

gi.require_version("Gdk", "4.0")
gi.require_version("GdkPixbuf", "2.0")
gi.require_version("Gtk", "4.0")
gi.require_version("Offline", "1.0")
from gi.repository import Gdk, GdkPixbuf, GLib, Gtk, Offline  # noqa: E402

S = Offline.DownloadState
STATE_NAMES = {S.QUEUED: "Queued", S.DOWNLOADING: "Downloading", S.PAUSED: "Paused",
               S.COMPLETED: "Completed", S.FAILED: "Failed", S.WAITING: "Waiting for the network"}


def licence_text(entry, now=None):
    """What the row says of a protected entry's licence; None for clear content."""
    if not entry.get_is_protected():
        return None
    expiration = entry.get_license_expiration()
    if expiration <= 0:
        return "Licence: no expiry"
    when = GLib.DateTime.new_from_unix_local(expiration).format("%Y-%m-%d %H:%M")
    if expiration <= (now if now is not None else time.time()):
        return "Licence expired %s (renew it)" % when
    return "Licence expires %s" % when


class DownloadRow(Gtk.ListBoxRow):
    """Shows one entry; actions call back with the entry id: on_action(name, id)."""

    def __init__(self, entry_id, on_action):
        super().__init__()
        self.entry_id = entry_id
        self.state = None
        self.fraction = 0.0
        self.bytes_downloaded = 0
        self.bytes_expected = 0
        self.speed = 0.0
        self._last_sample = None
        self.poster_path = None

        box = Gtk.Box(spacing=12, margin_top=6, margin_bottom=6, margin_start=6, margin_end=6)
        self.poster = Gtk.Picture(can_shrink=False, halign=Gtk.Align.CENTER,
                                  valign=Gtk.Align.CENTER)
        self.poster_icon = Gtk.Image(icon_name="video-x-generic-symbolic", pixel_size=36)
        self.poster_stack = Gtk.Stack(valign=Gtk.Align.CENTER, hexpand=False)
        self.poster_stack.set_size_request(64, 36)
        self.poster_stack.add_named(self.poster_icon, "icon")
        self.poster_stack.add_named(self.poster, "poster")
        box.append(self.poster_stack)

        text = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=3, hexpand=True)
        self.name_label = Gtk.Label(label=entry_id, xalign=0)
        self.name_label.add_css_class("heading")
        text.append(self.name_label)
        self.progress = Gtk.ProgressBar(show_text=True)
        text.append(self.progress)
        self.status_label = Gtk.Label(xalign=0)
        self.status_label.add_css_class("dim-label")
        text.append(self.status_label)
        self.licence_label = Gtk.Label(xalign=0, visible=False)
        text.append(self.licence_label)
        box.append(text)

        self.buttons = {}
        for name, icon, tip in [("play", "media-playback-start-symbolic", "Play"),
                                ("pause", "media-playback-pause-symbolic", "Pause download"),
                                ("resume", "view-refresh-symbolic", "Resume download"),
                                ("remove", "user-trash-symbolic", "Remove")]:
            button = Gtk.Button(icon_name=icon, tooltip_text=tip, valign=Gtk.Align.CENTER)
            button.connect("clicked", lambda _b, n=name: on_action(n, self.entry_id))
            box.append(button)
            self.buttons[name] = button
        self.set_child(box)

    def update_entry(self, entry):
        """Everything from the stored entry (the store only: works offline)."""
        self.name_label.set_label(entry.get_name() or entry.get_id())
        path = entry.get_poster_path()
        if path and self.poster_path != path:
            try:  # a thumbnail: the poster fits 64×36
                pixbuf = GdkPixbuf.Pixbuf.new_from_file_at_scale(path, 64, 36, True)
            except GLib.Error:
                pixbuf = None  # not a picture: keep the icon
            if pixbuf is not None:
                self.poster.set_paintable(Gdk.Texture.new_for_pixbuf(pixbuf))
                self.poster_path = path
                self.poster_stack.set_visible_child_name("poster")
        licence = licence_text(entry)
        self.licence_label.set_visible(licence is not None)
        if licence is not None:
            self.licence_label.set_label(licence)
        self.update_progress(entry.get_bytes_downloaded(), entry.get_bytes_expected(),
                             entry.get_segments_done(), entry.get_segments_total())
        self.update_state(entry.get_state(), entry.get_failure_message())

    def update_state(self, state, failure=None):
        self.state = state
        if state != S.DOWNLOADING:
            self.speed = 0.0
            self._last_sample = None
        if state == S.COMPLETED:
            self.fraction = 1.0
            self.progress.set_fraction(1.0)
        self.buttons["play"].set_sensitive(state == S.COMPLETED)
        self.buttons["pause"].set_sensitive(state in (S.QUEUED, S.DOWNLOADING, S.WAITING))
        self.buttons["resume"].set_sensitive(state in (S.PAUSED, S.FAILED))
        self._show_status(failure)

    def update_progress(self, downloaded, expected, done, total):
        now = time.monotonic()
        if self._last_sample is not None and now > self._last_sample[0]:
            then, before = self._last_sample
            if downloaded >= before:
                self.speed = (downloaded - before) / (now - then)
        self._last_sample = (now, downloaded)
        self.bytes_downloaded, self.bytes_expected = downloaded, expected
        if total > 0 and done >= total:
            self.fraction = 1.0
        elif expected > 0:
            self.fraction = min(downloaded / expected, 0.999)
        self.progress.set_fraction(self.fraction)
        self.progress.set_text("%d%% (%d/%d)" % (int(self.fraction * 100), done, total))
        self._show_status()

    def _show_status(self, failure=None):
        parts = [STATE_NAMES.get(self.state, "…")]
        if self.bytes_expected:
            parts.append("%s of %s" % (GLib.format_size(self.bytes_downloaded),
                                       GLib.format_size(self.bytes_expected)))
        if self.state == S.DOWNLOADING and self.speed > 0:
            parts.append("%s/s" % GLib.format_size(int(self.speed)))
        if failure:
            parts.append(failure)
        self.status_label.set_label(" · ".join(parts))
