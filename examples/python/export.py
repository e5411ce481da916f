# examples/python/export.py: write a stored entry to a plain MP4 or
# Matroska file
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   /usr/bin/python3 export.py STORE-DIR ENTRY-ID FILE.mp4|FILE.mkv [--partial]
#
# Exit status 0 when the file is written, 1 otherwise (nothing is then
# left at FILE).
import sys

import gi

gi.require_version("Offline", "1.0")
from gi.repository import GLib, Offline  # noqa: E402


def on_progress(exported, duration):
    # microseconds of the entry's timeline written, of its duration
    print("progress %3d%%" % (100 * exported // duration if duration else 0))


def on_exported(manager, result, loop):
    try:
        manager.export_finish(result)
        print("exported")
    except GLib.Error as e:
        # e.code: Offline.Error.ENTRY_INCOMPLETE for a paused entry without
        # --partial, Offline.Error.LICENSE_EXPIRED, ...
        print("export failed: %s: %s" % (Offline.Error(e.code).value_nick, e.message))
        loop.status = 1
    loop.quit()


def main(store, entry_id, path, *options):
    manager = Offline.Manager.new(store, None, None)
    flags = Offline.ExportFlags.PARTIAL if "--partial" in options else Offline.ExportFlags.NONE
    loop = GLib.MainLoop()
    loop.status = 0
    # progress, then its extra arguments (a tuple, here none), then the
    # callback of the end and its data
    manager.export_async(entry_id, path, flags, None, on_progress, (), on_exported, loop)
    loop.run()
    return loop.status


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
