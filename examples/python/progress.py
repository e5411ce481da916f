# examples/python/progress.py: download an entry, printing a progress bar
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   /usr/bin/python3 progress.py STORE-DIR ENTRY-ID MANIFEST-URL
#
# Exit status 0 when the download completed, 1 otherwise.
import sys

import gi

gi.require_version("Offline", "1.0")
from gi.repository import GLib, Offline  # noqa: E402


def on_progress(manager, entry_id, downloaded, expected, segments_done, segments_total):
    # expected is an estimate until every segment is done, but stays above
    # downloaded until then: 100 % means complete.
    percent = 100 * downloaded // expected if expected else 0
    bar = "#" * (percent // 5) + "." * (20 - percent // 5)
    print("%s [%s] %3d%% %d/%d bytes, %d/%d segments"
          % (entry_id, bar, percent, downloaded, expected, segments_done, segments_total))


def on_state_changed(manager, entry_id, old_state, new_state):
    print("%s: %s -> %s" % (entry_id, old_state.value_nick, new_state.value_nick))


def main():
    if len(sys.argv) != 4:
        print("usage: progress.py STORE-DIR ENTRY-ID MANIFEST-URL", file=sys.stderr)
        return 2
    store, entry_id, url = sys.argv[1:]
    provider = Offline.UrlProvider.new()
    provider.add(entry_id, url, entry_id, None, None)
    manager = Offline.Manager.new(store, provider, None)
    manager.connect("progress", on_progress)
    manager.connect("state-changed", on_state_changed)

    loop = GLib.MainLoop()
    completed = False

    def done(manager, result):
        nonlocal completed
        try:
            completed = manager.download_finish(result)
        except GLib.Error as e:
            print("download failed: %s" % e.message, file=sys.stderr)
        loop.quit()

    # Offline.DownloadOptions(): the lowest bitrate, the first audio language
    manager.download_async(entry_id, Offline.DownloadOptions(), None, done)
    loop.run()
    return 0 if completed else 1


if __name__ == "__main__":
    sys.exit(main())
