"""The "add an entry" panel: a URL (the entry id is made from it) or an
entry id the configured provider resolves; then the language and bitrate
the manifest offers, with the library's size estimate, and Download."""
import hashlib
import threading
import urllib.request

import gi

gi.require_version("Gtk", "4.0")
gi.require_version("Offline", "1.0")
from gi.repository import GLib, Gtk, Offline  # noqa: E402

ANY = "Default"


def entry_id_for_url(url):
    """A stable id and a name for a URL: the folder of the manifest (the
    name), and a hash of the URL after it."""
    parts = [p for p in url.split("?")[0].split("/") if p]
    stem = parts[-2] if len(parts) >= 3 else "entry"
    return "%s-%s" % (stem, hashlib.sha1(url.encode()).hexdigest()[:8]), stem


def fetch_manifest(url, done):
    """Fetches @url in a thread; done(bytes or None, error message or None)
    runs in the main loop."""
    def work():
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                data, error = response.read(), None
        except Exception as e:  # reported as a toast
            data, error = None, "Could not fetch the manifest: %s" % e
        GLib.idle_add(lambda: done(data, error) and False)
    threading.Thread(target=work, daemon=True).start()


class AddPanel(Gtk.Box):
    """Calls on_download(entry_id, options) and on_error(message)."""

    def __init__(self, manager, on_download, on_error):
        super().__init__(orientation=Gtk.Orientation.VERTICAL, spacing=6,
                         margin_top=6, margin_bottom=6, margin_start=6, margin_end=6)
        self.manager = manager
        self.on_download = on_download
        self.on_error = on_error
        self.presentation = None
        self.entry_id = None
        self.languages = []
        self.bitrates = []
        self.estimated_size = 0

        line = Gtk.Box(spacing=6)
        self.text = Gtk.Entry(hexpand=True, placeholder_text="Manifest URL, or an entry id")
        self.text.connect("activate", lambda _e: self.look_up())
        line.append(self.text)
        self.look_up_button = Gtk.Button(label="Look up")
        self.look_up_button.connect("clicked", lambda _b: self.look_up())
        line.append(self.look_up_button)
        self.append(line)

        self.choices = Gtk.Box(spacing=6, sensitive=False)
        self.choices.append(Gtk.Label(label="Language"))
        self.language = Gtk.DropDown.new_from_strings([ANY])
        self.language.connect("notify::selected", lambda *_a: self._estimate())
        self.choices.append(self.language)
        self.choices.append(Gtk.Label(label="Video bitrate"))
        self.bitrate = Gtk.DropDown.new_from_strings([ANY])
        self.bitrate.connect("notify::selected", lambda *_a: self._estimate())
        self.choices.append(self.bitrate)
        self.size_label = Gtk.Label(hexpand=True, xalign=0)
        self.choices.append(self.size_label)
        self.download_button = Gtk.Button(label="Download")
        self.download_button.add_css_class("suggested-action")
        self.download_button.connect("clicked", lambda _b: self.download())
        self.choices.append(self.download_button)
        self.append(self.choices)

    def look_up(self, text=None):
        """Resolves the text (a URL or an id), then reads its manifest."""
        text = (text if text is not None else self.text.get_text()).strip()
        self.text.set_text(text)
        self.presentation = None
        self.choices.set_sensitive(False)
        if not text:
            return
        if "://" in text:
            provider = self.manager.get_provider()
            if not isinstance(provider, Offline.UrlProvider):
                self.on_error("This configuration's provider takes entry ids, not URLs")
                return
            self.entry_id, name = entry_id_for_url(text)
            provider.add(self.entry_id, text, name, None, None)
        else:
            self.entry_id = text
        self.manager.get_media_info_async(self.entry_id, None, self._got_media_info)

    def _got_media_info(self, manager, result):
        try:
            info = manager.get_media_info_finish(result)
        except GLib.Error as e:
            self.on_error(e.message)
            return
        url = info.get_manifest_url()
        fetch_manifest(url, lambda data, error: self._got_manifest(url, data, error))

    def _got_manifest(self, url, data, error):
        if error is not None:
            self.on_error(error)
            return
        try:
            self.presentation = Offline.manifest_parse(GLib.Bytes.new(data), url, None)
        except GLib.Error as e:
            self.on_error(e.message)
            return
        tracks = self.presentation.get_tracks()
        T = Offline.TrackType
        self.languages = sorted({t.get_language() for t in tracks
                                 if t.get_track_type() == T.AUDIO and t.get_language()})
        self.bitrates = sorted({t.get_bandwidth() for t in tracks
                                if t.get_track_type() == T.VIDEO and t.get_bandwidth()})
        self.language.set_model(Gtk.StringList.new([ANY] + self.languages))
        self.bitrate.set_model(Gtk.StringList.new(
            [ANY] + ["%d kbit/s" % (b // 1000) for b in self.bitrates]))
        self.choices.set_sensitive(True)
        self._estimate()

    def options(self):
        """The download options the drop-downs name."""
        options = Offline.DownloadOptions.new()
        lang = self.language.get_selected()
        if 0 < lang <= len(self.languages):
            options.set_language(self.languages[lang - 1])
        rate = self.bitrate.get_selected()
        if 0 < rate <= len(self.bitrates):
            options.set_bitrate(self.bitrates[rate - 1])
        return options

    def select(self, language=None, bitrate=None):
        """Picks a language / bitrate the manifest offers (the drop-downs)."""
        if language is not None:
            self.language.set_selected(self.languages.index(language) + 1)
        if bitrate is not None:
            self.bitrate.set_selected(self.bitrates.index(bitrate) + 1)

    def _estimate(self):
        if self.presentation is None:
            return
        selection = Offline.TrackSelection.new(self.presentation, self.options())
        self.estimated_size = selection.get_estimated_size()
        self.size_label.set_label("About %s" % GLib.format_size(self.estimated_size)
                                  if self.estimated_size else "Size unknown")

    def download(self):
        if self.presentation is not None and self.entry_id is not None:
            self.on_download(self.entry_id, self.options())
