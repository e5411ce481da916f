# examples/python/errors.py: where OFFLINE_ERROR errors arrive, and what
# to do about each
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   /usr/bin/python3 errors.py STORE-DIR MANIFEST-URL
#
# Downloads "unknown" (an id the provider does not know: the error reaches
# download_finish() only), then "broken" from MANIFEST-URL (a manifest
# whose segments fail: the entry is stored, the `error` signal and
# download_finish() report it), then plays offline://broken (offlinesrc
# posts a GStreamer ERROR whose details carry the OFFLINE_ERROR code).
# GST_PLUGIN_PATH must name the plugin's directory unless it is installed.
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("Offline", "1.0")
from gi.repository import GLib, Gst, Offline  # noqa: E402


def error_name(code):
    return Offline.Error(code).value_nick   # e.g. "download-failed"


def advice(error):
    """What an application does about an error of a download."""
    if error.matches(Offline.error_quark(), Offline.Error.OUT_OF_SPACE):
        return "free some space, then resume()"   # the entry is paused, nothing is lost
    if error.matches(Offline.error_quark(), Offline.Error.LICENSE_EXPIRED):
        return "renew_license(), then play again"
    if error.matches(Offline.error_quark(), Offline.Error.DOWNLOAD_FAILED):
        return "resume() when the network is back, or remove()"
    return "show the message"


def download(manager, entry_id):
    """Runs download_async() to its end; returns the GLib.Error, or None."""
    loop = GLib.MainLoop()
    failure = None

    def done(manager, result):
        nonlocal failure
        try:
            manager.download_finish(result)
        except GLib.Error as e:
            failure = e
        loop.quit()

    manager.download_async(entry_id, Offline.DownloadOptions(), None, done)
    loop.run()
    return failure


def on_error(manager, entry_id, error):
    # a stored entry failed (FAILED) or stopped on a full disk (PAUSED)
    print("error signal: %s: %s" % (entry_id, error_name(error.code)))


def play(store, entry_id):
    """Plays offline://ENTRY-ID; returns the OFFLINE_ERROR code of its
    ERROR message, or None at EOS."""
    playbin = Gst.ElementFactory.make("playbin")
    playbin.set_property("uri", "offline://" + GLib.Uri.escape_string(entry_id, None, False))
    playbin.set_property("video-sink", Gst.ElementFactory.make("fakesink"))
    playbin.set_property("audio-sink", Gst.ElementFactory.make("fakesink"))
    playbin.connect("source-setup", lambda playbin, source: source.set_property("store-path", store))
    playbin.set_state(Gst.State.PLAYING)
    message = playbin.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    playbin.set_state(Gst.State.NULL)
    if message.type == Gst.MessageType.EOS:
        return None
    details = message.parse_error_details()
    if details is None or details.get_value("offline-error-domain") != "offline-error-quark":
        return Offline.Error.FAILED   # not offlinesrc's: a decoder's, a sink's
    return details.get_value("offline-error-code")


def main():
    if len(sys.argv) != 3:
        print("usage: errors.py STORE-DIR MANIFEST-URL", file=sys.stderr)
        return 2
    Gst.init(None)
    store, url = sys.argv[1:]
    provider = Offline.UrlProvider.new()
    provider.add("broken", url, "Broken", None, None)
    manager = Offline.Manager.new(store, provider, None)
    manager.set_property("max-retries", 0)
    manager.connect("error", on_error)

    for entry_id in ("unknown", "broken"):
        e = download(manager, entry_id)
        if e is None:
            print("download %s: completed" % entry_id)
        else:
            print("download %s: %s (%s): %s" % (entry_id, error_name(e.code), advice(e), e.message))

    code = play(store, "broken")
    print("play broken: %s" % ("EOS" if code is None else error_name(code)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
