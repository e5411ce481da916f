#!/usr/bin/python3
"""OfflineManager works from Python (PyGObject): download a fixture served
from 127.0.0.1 through the typelib, receive `progress` and `state-changed`,
and resolve ids with a provider written in Python. Prints TAP."""
import functools
import hashlib
import json
import http.server
import os
import shutil
import sys
import tempfile
import threading
import traceback

import gi

gi.require_version("Offline", "1.0")
gi.require_version("GLib", "2.0")
gi.require_version("GObject", "2.0")
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib, GObject, Offline  # noqa: E402

DATA = os.path.join(os.environ.get("G_TEST_SRCDIR", os.path.dirname(__file__)), "data")
TIMEOUT_S = 30


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass


class FixtureServer:
    """tests/data over HTTP on 127.0.0.1, in a thread."""

    def __init__(self):
        handler = functools.partial(QuietHandler, directory=DATA)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = "http://127.0.0.1:%d/" % self.httpd.server_address[1]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def run_async(start):
    """Calls start(callback) and runs the default main loop until the
    callback fires; returns (source, result)."""
    loop = GLib.MainLoop()
    box = []

    def done(source, result, *args):
        box.append((source, result))
        loop.quit()

    def timeout():
        loop.quit()
        return GLib.SOURCE_REMOVE

    timer = GLib.timeout_add_seconds(TIMEOUT_S, timeout)
    start(done)
    loop.run()
    if box:
        GLib.source_remove(timer)
    assert box, "timed out"
    return box[0]


def expect_error(code, call):
    try:
        call()
    except GLib.Error as e:
        assert e.matches(Offline.error_quark(), code), (e.domain, e.code, e.message)
        return e
    raise AssertionError("no error, expected %s" % code)


def stored_digests(store):
    """SHA-256 of every resource file of the store, sorted."""
    digests = []
    for root, _dirs, files in os.walk(os.path.join(store, "entries")):
        for name in files:
            assert not name.endswith(".part"), name
            with open(os.path.join(root, name), "rb") as f:
                digests.append(hashlib.sha256(f.read()).hexdigest())
    return sorted(digests)


def expected_digests(server, path, options):
    """SHA-256 of the fixture files the selection of @path with @options
    downloads (whole files: the DASH template fixture has no ranges)."""
    with open(os.path.join(DATA, path), "rb") as f:
        presentation = Offline.manifest_parse(GLib.Bytes.new(f.read()), server.base + path, None)
    selection = Offline.TrackSelection.new(presentation, options)
    digests = []
    for track in selection.get_tracks():
        segments = list(track.get_segments())
        if track.get_init_segment() is not None:
            segments.insert(0, track.get_init_segment())
        for segment in segments:
            assert not segment.has_range()
            local = os.path.join(DATA, segment.get_uri()[len(server.base):])
            with open(local, "rb") as f:
                digests.append(hashlib.sha256(f.read()).hexdigest())
    return sorted(digests)


class PythonProvider(GObject.Object, Offline.Provider):
    """Resolves ids from a dict, blocking (run in a worker thread)."""

    def __init__(self, urls):
        super().__init__()
        self.urls = urls
        self.threads = set()

    def do_get_media_info(self, entry_id, cancellable):
        self.threads.add(threading.get_ident())
        if entry_id not in self.urls:
            raise GLib.Error.new_literal(Offline.error_quark(), "unknown id %s" % entry_id,
                                         Offline.Error.NOT_FOUND)
        info = Offline.MediaInfo(entry_id=entry_id, manifest_url=self.urls[entry_id],
                                 name="From Python", duration=6000000, tags=["py", "test"])
        source = Offline.MediaSource.new(Offline.ManifestFormat.DASH, self.urls[entry_id])
        source.add_drm("clearkey", "http://127.0.0.1:9/licence")
        info.add_source(source)
        return info


class PythonMonitor(GObject.Object, Gio.Initable, Gio.NetworkMonitor):
    """A network monitor written in Python, as an app's tests would make one
    (docs/network.md): GInitable before GNetworkMonitor, its prerequisite."""
    network_available = GObject.Property(type=bool, default=False)
    network_metered = GObject.Property(type=bool, default=False)
    connectivity = GObject.Property(type=Gio.NetworkConnectivity,
                                    default=Gio.NetworkConnectivity.LOCAL)

    def do_init(self, cancellable):
        return True

    def do_can_reach(self, connectable, cancellable):
        return self.network_available

    def set_available(self, available):
        self.network_available = available
        self.emit("network-changed", available)


def make_manager(store, provider):
    return Offline.Manager.new(store, provider, None)


def download(manager, entry_id, options=None):
    source, result = run_async(lambda cb: manager.download_async(entry_id, options, None, cb))
    return manager.download_finish(result)


def test_download_with_signals(server, store):
    path = "dash/template-number/manifest.mpd"
    provider = Offline.UrlProvider.new()
    provider.add("movie", server.base + path, "Movie", "A test", None)
    manager = make_manager(store, provider)
    states, progress = [], []
    manager.connect("state-changed", lambda m, i, old, new: states.append((i, old, new)))
    manager.connect("progress", lambda m, i, *rest: progress.append((i,) + tuple(rest)))
    options = Offline.DownloadOptions(language="es")

    assert download(manager, "movie", options) is True
    S = Offline.DownloadState
    assert states == [("movie", S.QUEUED, S.DOWNLOADING), ("movie", S.DOWNLOADING, S.COMPLETED)], states
    assert progress, "no progress signal"
    downloaded = [p[1] for p in progress]
    assert downloaded == sorted(downloaded), downloaded
    last = progress[-1]
    assert last[1] == last[2] and last[3] == last[4], last

    _, result = run_async(lambda cb: manager.get_downloaded_media_info_async("movie", None, cb))
    entry = manager.get_downloaded_media_info_finish(result)
    assert entry.get_state() == S.COMPLETED
    assert entry.get_name() == "Movie"
    assert entry.get_bytes_downloaded() == last[1]
    audio = [t for t in entry.get_tracks() if t.get_track_type() == Offline.TrackType.AUDIO]
    assert [t.get_language() for t in audio] == ["es"], [t.get_language() for t in audio]
    assert stored_digests(store) == expected_digests(server, path, options)

    _, result = run_async(lambda cb: manager.get_all_downloads_async(None, cb))
    assert [e.get_id() for e in manager.get_all_downloads_finish(result)] == ["movie"]
    expect_error(Offline.Error.ALREADY_EXISTS, lambda: download(manager, "movie"))
    _, result = run_async(lambda cb: manager.renew_license_async("movie", None, cb))
    expect_error(Offline.Error.NOT_SUPPORTED, lambda: manager.renew_license_finish(result))


def test_python_provider(server, store):
    path = "dash/template-number/manifest.mpd"
    provider = PythonProvider({"py": server.base + path})
    manager = make_manager(store, provider)

    _, result = run_async(lambda cb: manager.get_media_info_async("py", None, cb))
    info = manager.get_media_info_finish(result)
    assert info.get_manifest_url() == server.base + path
    assert info.get_name() == "From Python"
    assert info.get_tags() == ["py", "test"], info.get_tags()
    sources = info.get_sources()
    assert [s.get_url() for s in sources] == [server.base + path]
    assert sources[0].get_drm_schemes() == ["clearkey"]
    assert sources[0].get_license_url("clearkey") == "http://127.0.0.1:9/licence"
    as_json = json.loads(info.to_json())
    assert as_json["tags"] == ["py", "test"] and as_json["duration"] == 6.0, as_json
    assert as_json["sources"][0]["drm"] == [{"scheme": "clearkey",
                                             "license_url": "http://127.0.0.1:9/licence"}]
    assert threading.get_ident() not in provider.threads, "do_get_media_info ran in the main thread"

    assert download(manager, "py") is True
    _, result = run_async(lambda cb: manager.get_downloaded_media_info_async("py", None, cb))
    entry = manager.get_downloaded_media_info_finish(result)
    assert entry.get_name() == "From Python"
    assert entry.get_state() == Offline.DownloadState.COMPLETED
    assert stored_digests(store) == expected_digests(server, path, None)

    expect_error(Offline.Error.NOT_FOUND, lambda: download(manager, "unknown"))
    _, result = run_async(lambda cb: manager.remove_async("py", None, cb))
    assert manager.remove_finish(result) is True
    assert stored_digests(store) == []


def test_invalid_ids(server, store):
    """Empty and over-long ids fail with INVALID_ARGUMENT from every method
    that takes an id; the provider is never asked and nothing is stored.
    (A Python str cannot carry invalid UTF-8, and PyGObject cuts a str at
    its first NUL before the library sees it: those cases are reachable
    from C, the CLI and offline:// URIs only.)"""
    path = "dash/template-number/manifest.mpd"
    provider = PythonProvider({"": server.base + path, "x" * 256: server.base + path})
    manager = make_manager(store, provider)
    E = Offline.Error.INVALID_ARGUMENT

    for bad in ["", "x" * 256, "\u00e9" * 128]:
        expect_error(E, lambda: download(manager, bad))
        for start, finish in [
            (manager.get_media_info_async, manager.get_media_info_finish),
            (manager.resume_async, manager.resume_finish),
            (manager.pause_async, manager.pause_finish),
            (manager.remove_async, manager.remove_finish),
            (manager.get_downloaded_media_info_async, manager.get_downloaded_media_info_finish),
            (manager.renew_license_async, manager.renew_license_finish),
        ]:
            _, result = run_async(lambda cb: start(bad, None, cb))
            expect_error(E, lambda: finish(result))
        expect_error(E, lambda: provider.get_media_info(bad, None))
        _, result = run_async(lambda cb: provider.get_media_info_async(bad, None, cb))
        expect_error(E, lambda: provider.get_media_info_finish(result))
    assert provider.threads == set(), "the provider was asked"

    _, result = run_async(lambda cb: manager.get_all_downloads_async(None, cb))
    assert manager.get_all_downloads_finish(result) == []
    assert stored_digests(store) == []

    # 255 bytes (here 127 two-byte characters and one more byte) is the limit
    longest = "\u00e9" * 127 + "x"
    provider.urls[longest] = server.base + path
    assert download(manager, longest) is True
    url_provider = Offline.UrlProvider.new()
    url_provider.add("", server.base + path, None, None, None)
    expect_error(E, lambda: url_provider.get_media_info("", None))
    assert url_provider.remove("") is False


def test_second_manager(server, store):
    """A second manager on a store the first one holds reads it; without a
    session bus (the tests have none) its changes fail with STORE_LOCKED
    naming the holder (this process). See docs/dbus.md."""
    path = "dash/template-number/manifest.mpd"
    provider = Offline.UrlProvider.new()
    provider.add("movie", server.base + path, "Movie", None, None)
    holder = make_manager(store, provider)
    assert download(holder, "movie") is True

    reader = make_manager(store, provider)
    _, result = run_async(lambda cb: reader.get_all_downloads_async(None, cb))
    assert [e.get_id() for e in reader.get_all_downloads_finish(result)] == ["movie"]
    _, result = run_async(lambda cb: reader.remove_async("movie", None, cb))
    e = expect_error(Offline.Error.STORE_LOCKED, lambda: reader.remove_finish(result))
    assert "process %d (" % os.getpid() in e.message, e.message
    _, result = run_async(lambda cb: holder.get_downloaded_media_info_async("movie", None, cb))
    assert holder.get_downloaded_media_info_finish(result).get_state() == Offline.DownloadState.COMPLETED


def test_from_config(server, store):
    """Offline.Manager.new_from_config: the player-style JSON configuration
    (docs/configuration.md), its provider and a bad key's error."""
    import json
    path = "dash/template-number/manifest.mpd"
    manager = Offline.Manager.new_from_config(json.dumps(
        {"offline": {"storePath": store, "maxRetries": 4, "autoResume": True}}), None)
    assert manager.get_store_path() == store
    assert manager.props.max_retries == 4 and manager.props.auto_resume
    provider = manager.get_provider()
    assert isinstance(provider, Offline.UrlProvider), provider
    provider.add("movie", server.base + path, "Movie", None, None)
    assert download(manager, "movie") is True
    del manager
    ovp = Offline.Manager.new_from_config(json.dumps(
        {"offline": {"storePath": store}, "provider": {"partnerId": 42, "ks": "K"}}), None)
    assert isinstance(ovp.get_provider(), Offline.OvpProvider)
    assert ovp.get_provider().props.partner_id == 42 and ovp.get_provider().props.ks == "K"
    del ovp
    e = expect_error(Offline.Error.INVALID_CONFIG, lambda: Offline.Manager.new_from_config(
        json.dumps({"offline": {"storePath": store, "maxRetries": "5"}}), None))
    assert "offline.maxRetries must be an integer" in e.message, e.message


def test_accept_url(server, store):
    """OfflineManager::accept-url from Python: a handler sees each URL
    before it is fetched, on the main thread; returning False refuses it
    (INVALID_URI, nothing stored), True lets the download through."""
    path = "dash/template-number/manifest.mpd"
    provider = Offline.UrlProvider.new()
    provider.add("movie", server.base + path, "Movie", None, None)
    manager = make_manager(store, provider)
    seen = []
    main_thread = threading.get_ident()

    def only_manifests(manager, url):
        assert threading.get_ident() == main_thread
        seen.append(url)
        return url.endswith(".mpd")

    handler = manager.connect("accept-url", only_manifests)
    e = expect_error(Offline.Error.INVALID_URI, lambda: download(manager, "movie"))
    assert "not accepted by the application" in e.message, e.message
    assert seen[0] == server.base + path and len(seen) >= 2, seen
    _, result = run_async(lambda cb: manager.get_downloaded_media_info_async("movie", None, cb))
    assert manager.get_downloaded_media_info_finish(result).get_state() == Offline.DownloadState.FAILED

    manager.disconnect(handler)
    del seen[:]
    manager.connect("accept-url", lambda manager, url: seen.append(url) or True)
    _, result = run_async(lambda cb: manager.resume_async("movie", None, cb))
    assert manager.resume_finish(result) is True
    assert stored_digests(store) == expected_digests(server, path, None)
    assert all(url.startswith(server.base) for url in seen) and seen, seen


def test_network_monitor(server, store):
    """Downloads follow a network monitor written in Python: started
    without a network the entry waits (WAITING), and completes once the
    monitor says the network is there."""
    path = "dash/template-number/manifest.mpd"
    provider = Offline.UrlProvider.new()
    provider.add("movie", server.base + path, "Movie", None, None)
    monitor = PythonMonitor()
    monitor.init(None)
    manager = GObject.new(Offline.Manager, store_path=store, provider=provider,
                          network_monitor=monitor)
    manager.init(None)
    assert manager.get_network_monitor() is monitor
    assert manager.props.allow_metered is True
    S = Offline.DownloadState
    states = []

    def state_changed(manager, entry_id, old, new):
        states.append((old, new))
        if new == S.WAITING:
            GLib.idle_add(lambda: monitor.set_available(True))

    manager.connect("state-changed", state_changed)
    assert download(manager, "movie") is True
    assert states == [(S.QUEUED, S.WAITING), (S.WAITING, S.QUEUED), (S.QUEUED, S.DOWNLOADING),
                      (S.DOWNLOADING, S.COMPLETED)], states
    assert S.WAITING.value_nick == "waiting"
    assert stored_digests(store) == expected_digests(server, path, None)


def main():
    tests = [test_download_with_signals, test_python_provider, test_invalid_ids,
             test_second_manager, test_from_config, test_accept_url, test_network_monitor]
    print(f"1..{len(tests)}")
    failed = 0
    server = FixtureServer()
    try:
        for number, test in enumerate(tests, 1):
            store = tempfile.mkdtemp(prefix="offlinemgr-py-")
            try:
                test(server, store)
                print(f"ok {number} {test.__name__}")
            except Exception:  # report every failure, then go on
                failed += 1
                print(f"not ok {number} {test.__name__}")
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
            finally:
                shutil.rmtree(store, ignore_errors=True)
    finally:
        server.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
