"""The application: options, the manager (a store directory, or the
player-style JSON configuration of docs/configuration.md) and the window."""
import argparse
import sys

import gi

gi.require_version("Gtk", "4.0")
gi.require_version("Adw", "1")
gi.require_version("Offline", "1.0")
from gi.repository import Adw, Gio, GLib, Offline  # noqa: E402

from demo_window import DemoWindow


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="offlinemgr-gtk-demo",
                                     description="Download videos and play them offline.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--store", help="the store directory (default: the library's)")
    where.add_argument("--config", help="a player-style JSON configuration file")
    parser.add_argument("--audio-sink", help="GStreamer audio sink (default: "
                        "$OFFLINE_DEMO_AUDIO_SINK, else autoaudiosink)")
    parser.add_argument("entry", nargs="?", help="a manifest URL or entry id to look up")
    return parser.parse_args(argv[1:])


def make_manager(args):
    """The manager the options name; raises GLib.Error (INVALID_CONFIG, STORE…)."""
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            return Offline.Manager.new_from_config(f.read(), None)
    return Offline.Manager.new(args.store, Offline.UrlProvider.new(), None)


class DemoApp(Adw.Application):
    def __init__(self, manager, audio_sink=None, entry=None):
        super().__init__(application_id="org.offlinemgr.GtkDemo",
                         flags=Gio.ApplicationFlags.NON_UNIQUE)
        self.manager = manager
        self.audio_sink = audio_sink
        self.entry = entry
        self.window = None

    def do_activate(self):
        if self.window is None:
            self.window = DemoWindow(self, self.manager, self.audio_sink)
            if self.entry:
                self.window.add_panel.look_up(self.entry)
        self.window.present()


def main(argv):
    args = parse_args(argv)
    try:
        manager = make_manager(args)
    except GLib.Error as e:
        print("offlinemgr-gtk-demo: %s" % e.message, file=sys.stderr)
        return 1
    except OSError as e:
        print("offlinemgr-gtk-demo: %s" % e, file=sys.stderr)
        return 1
    return DemoApp(manager, args.audio_sink, args.entry).run([argv[0]])
