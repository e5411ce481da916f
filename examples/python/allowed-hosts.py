# examples/python/allowed-hosts.py: fetch only from the hosts the
# application trusts, with OfflineManager::accept-url
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   /usr/bin/python3 allowed-hosts.py STORE-DIR MANIFEST-URL [HOST...]
#
# Downloads MANIFEST-URL as "movie", letting the manager fetch only from
# the HOSTs (by default the manifest's own host): every other URL, a
# redirect to another host included, is refused before any request is
# sent. Prints each URL refused and how the download ended.
import sys

import gi

gi.require_version("Offline", "1.0")
from gi.repository import GLib, Offline  # noqa: E402


def on_accept_url(manager, url, allowed):
    # Emitted on this (the manager's) thread before each URL is fetched,
    # each redirect hop too; only http(s) URLs ever get here.
    host = GLib.Uri.parse(url, GLib.UriFlags.NONE).get_host()
    if host in allowed:
        return True
    print("refused: " + url)
    return False   # the fetch fails with Offline.Error.INVALID_URI


def main():
    if len(sys.argv) < 3:
        print("usage: allowed-hosts.py STORE-DIR MANIFEST-URL [HOST...]", file=sys.stderr)
        return 2
    store, url = sys.argv[1:3]
    allowed = set(sys.argv[3:]) or {GLib.Uri.parse(url, GLib.UriFlags.NONE).get_host()}
    provider = Offline.UrlProvider.new()
    provider.add("movie", url, "Movie", None, None)
    manager = Offline.Manager.new(store, provider, None)
    manager.connect("accept-url", on_accept_url, allowed)

    loop = GLib.MainLoop()

    def done(manager, result):
        try:
            manager.download_finish(result)
            print("download movie: completed")
        except GLib.Error as e:
            print("download movie: %s: %s" % (Offline.Error(e.code).value_nick, e.message))
        loop.quit()

    manager.download_async("movie", None, None, done)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
