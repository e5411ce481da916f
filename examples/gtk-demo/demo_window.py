"""The main window: the add panel, the downloads list (filled from the
store, kept up to date by the manager's signals), the player, and toasts
for errors (the GError's message, codes in docs/errors.md)."""
import gi

gi.require_version("Gtk", "4.0")
gi.require_version("Adw", "1")
gi.require_version("Offline", "1.0")
from gi.repository import Adw, GLib, Gtk, Offline  # noqa: E402

from demo_add import AddPanel
from demo_player import Player
from demo_row import DownloadRow


class DemoWindow(Adw.ApplicationWindow):
    def __init__(self, app, manager, audio_sink=None):
        super().__init__(application=app, title="Offline videos", default_width=760,
                         default_height=720)
        self.manager = manager
        self.rows = {}
        self.toasts = []  # every message shown, for the tests

        header = Adw.HeaderBar()
        for label, call in [("Pause all", self.pause_all), ("Resume all", self.resume_all)]:
            button = Gtk.Button(label=label)
            button.connect("clicked", lambda _b, c=call: c())
            header.pack_end(button)

        self.add_panel = AddPanel(manager, self.download, self.show_error)
        self.list = Gtk.ListBox(selection_mode=Gtk.SelectionMode.NONE)
        self.list.add_css_class("boxed-list")
        self.list.set_placeholder(Gtk.Label(label="No downloads yet", margin_top=12,
                                            margin_bottom=12))
        scrolled = Gtk.ScrolledWindow(vexpand=True, min_content_height=160)
        scrolled.set_child(self.list)
        self.player = Player(manager.get_store_path(), self.show_error, audio_sink)

        content = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        content.append(header)
        content.append(self.add_panel)
        content.append(scrolled)
        content.append(self.player)
        self.toast_overlay = Adw.ToastOverlay()
        self.toast_overlay.set_child(content)
        self.set_content(self.toast_overlay)

        manager.connect("state-changed", self._on_state_changed)
        manager.connect("progress", self._on_progress)
        manager.connect("error", lambda _m, entry_id, error:
                        self.show_error("%s: %s" % (entry_id, error.message)))
        manager.connect("license-changed", lambda _m, entry_id, _exp: self.refresh_entry(entry_id))
        self.connect("close-request", lambda _w: self.player.stop() and False)
        self.refresh_all()

    # -- errors -----------------------------------------------------------
    def show_error(self, message):
        self.toasts.append(message)
        toast = Adw.Toast.new(GLib.markup_escape_text(message))  # a toast's title is markup
        toast.set_timeout(5)
        self.toast_overlay.add_toast(toast)

    def _finish(self, finish, what):
        """An async callback calling @finish, showing its error as a toast."""
        def done(_manager, result):
            try:
                finish(result)
            except GLib.Error as e:
                # a download or resume paused or removed meanwhile finishes
                # CANCELLED: the row shows that state, it is no error
                if not e.matches(Offline.error_quark(), Offline.Error.CANCELLED):
                    self.show_error("%s: %s" % (what, e.message))
        return done

    # -- the list (reads the store only) ----------------------------------
    def refresh_all(self):
        def done(manager, result):
            try:
                entries = manager.get_all_downloads_finish(result)
            except GLib.Error as e:
                self.show_error(e.message)
                return
            for entry in entries:
                self.row(entry.get_id()).update_entry(entry)
        self.manager.get_all_downloads_async(None, done)

    def refresh_entry(self, entry_id):
        def done(manager, result):
            try:
                entry = manager.get_downloaded_media_info_finish(result)
            except GLib.Error:
                return  # removed meanwhile
            self.row(entry_id).update_entry(entry)
        self.manager.get_downloaded_media_info_async(entry_id, None, done)

    def row(self, entry_id):
        row = self.rows.get(entry_id)
        if row is None:
            row = DownloadRow(entry_id, self._on_row_action)
            self.rows[entry_id] = row
            self.list.append(row)
        return row

    def _on_state_changed(self, _manager, entry_id, _old, new):
        self.row(entry_id).update_state(new)
        self.refresh_entry(entry_id)

    def _on_progress(self, _manager, entry_id, downloaded, expected, done, total):
        self.row(entry_id).update_progress(downloaded, expected, done, total)

    # -- actions ----------------------------------------------------------
    def download(self, entry_id, options):
        m = self.manager
        m.download_async(entry_id, options, None, self._finish(m.download_finish, entry_id))
        GLib.timeout_add(100, lambda: self.refresh_entry(entry_id) and False)

    def pause_all(self):
        m = self.manager
        m.pause_all_async(None, self._finish(m.pause_all_finish, "Pause all"))

    def resume_all(self):
        m = self.manager
        m.resume_all_async(None, self._finish(m.resume_all_finish, "Resume all"))

    def _on_row_action(self, action, entry_id):
        m = self.manager
        if action == "play":
            self.player.play_entry(entry_id)
        elif action == "pause":
            m.pause_async(entry_id, None, self._finish(m.pause_finish, entry_id))
        elif action == "resume":
            m.resume_async(entry_id, None, self._finish(m.resume_finish, entry_id))
        elif action == "remove":
            if self.player.entry_id == entry_id:
                self.player.stop()

            def removed(manager, result):
                try:
                    manager.remove_finish(result)
                except GLib.Error as e:
                    self.show_error("%s: %s" % (entry_id, e.message))
                    return
                row = self.rows.pop(entry_id, None)
                if row is not None:
                    self.list.remove(row)
            m.remove_async(entry_id, None, removed)
