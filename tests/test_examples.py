#!/usr/bin/python3
"""Runs every example under examples/c, examples/python and examples/gjs
(the ones docs/ quotes) against the test server (offline-serve), and
checks what they print: downloads reach every byte and segment and end
completed, errors arrive where docs/errors.md says, the offline source is
detected. Every example file must be run here. Prints TAP.

Usage: test_examples.py SRCDIR BUILDDIR OFFLINE-SERVE GJS-OR-EMPTY XVFB-RUN-OR-EMPTY"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from offline_tap import Tap

SRC, BUILD, SERVE, GJS, XVFB_RUN = sys.argv[1:6]
DATA = os.path.join(SRC, "tests", "data")
EXAMPLES = os.path.join(SRC, "examples")
MANIFEST = "dash/template-number/manifest.mpd"
PYTHON = "/usr/bin/python3"

tap = Tap()
ran = set()


class Server:
    """offline-serve on a directory; .base is its URL."""

    def __init__(self, root, latency=0):
        self.proc = subprocess.Popen([SERVE, "--root", root, "--latency", str(latency)],
                                     stdout=subprocess.PIPE, text=True)
        self.base = self.proc.stdout.readline().strip()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def skip(example, why):
    ran.add(example)
    tap.n += 1
    print("ok %d %s # SKIP %s" % (tap.n, example, why))


def run(example, args, env=None, wrapper=()):
    """Runs examples/EXAMPLE (a C program by its build name, a .py, a .js):
    (exit status, stdout and stderr)."""
    ran.add(example)
    if example.endswith(".py"):
        argv = [PYTHON, os.path.join(EXAMPLES, example)]
    elif example.endswith(".js"):
        argv = [GJS, "-m", os.path.join(EXAMPLES, example)]
    else:
        argv = [os.path.join(BUILD, "examples", os.path.splitext(example)[0])]
    env = dict(os.environ, **(env or {}))
    if wrapper:
        # xvfb-run (its Xvfb, xauth) never loads offlinemgr: no ASan runtime
        # (tests/meson.build) for it; the examples are linked with theirs
        env.pop("LD_PRELOAD", None)
    proc = subprocess.run(list(wrapper) + argv + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, env=env, timeout=90)
    return proc.returncode, proc.stdout


def check(name, ok, status, out):
    tap.check(name, ok, ["exit status %d, output:" % status] + out.splitlines())


def check_download(example, status, out, progress_re, states):
    """The download completed: exit 0, the last progress line has every byte
    and segment, the states go downloading -> completed."""
    progress = re.findall(progress_re, out, re.M)
    last = progress[-1] if progress else None
    check("%s: exits 0" % example, status == 0, status, out)
    check("%s: its last progress line has every byte and segment" % example,
          last is not None and last[0] == last[1] and last[2] == last[3] and int(last[3]) > 0,
          status, out)
    check("%s: the download goes downloading -> completed" % example,
          all(state in out for state in states), status, out)
    return int(last[0]) if last else -1


def main():
    tmp = tempfile.mkdtemp(prefix="offlinemgr-examples-")
    server = Server(DATA)
    broken_dir = os.path.join(tmp, "broken")
    os.mkdir(broken_dir)
    # a manifest whose segments are not served (404)
    shutil.copy(os.path.join(DATA, MANIFEST), broken_dir)
    broken = Server(broken_dir)
    slow = Server(DATA, latency=150)
    url = server.base + MANIFEST
    try:
        bar_re = r"^my movie \[[#.]{20}\] +\d+% (\d+)/(\d+) bytes, (\d+)/(\d+) segments$"
        status, out = run("c/progress.c", [os.path.join(tmp, "c"), "my movie", url])
        check_download("c/progress.c", status, out, bar_re,
                       ["my movie: queued -> downloading", "my movie: downloading -> completed"])
        check("c/progress.c: the bar is full at the end", "[####################] 100%" in out,
              status, out)

        store = os.path.join(tmp, "python")
        status, out = run("python/progress.py", [store, "my movie", url])
        check_download("python/progress.py", status, out, bar_re,
                       ["my movie: queued -> downloading", "my movie: downloading -> completed"])

        # the entry python/progress.py stored, detected from the pipeline
        status, out = run("python/detect-offline-source.py", ["my movie"],
                          {"OFFLINEMGR_STORE": store})
        check("python/detect-offline-source.py: exits 0 at EOS",
              status == 0 and "EOS" in out.splitlines(), status, out)
        for line in ["source-setup: is-offline=True entry-id=my movie",
                     "custom query: is-offline=True entry-id=my movie",
                     "context offlinemgr.source: is-offline=True entry-id=my movie"]:
            check("python/detect-offline-source.py: " + line, line in out.splitlines(), status, out)

        # the same entry written to files, by C and Python
        for example, name in [("c/export.c", "c.mkv"), ("python/export.py", "python.mp4")]:
            path = os.path.join(tmp, name)
            status, out = run(example, [store, "my movie", path])
            check("%s: reports 100 %% and writes %s" % (example, name),
                  status == 0 and out.splitlines()[-2:] == ["progress 100%", "exported"]
                  and os.path.getsize(path) > 0, status, out)
        status, out = run("python/export.py", [store, "my movie", os.path.join(tmp, "python.avi")])
        check("python/export.py: a file name of no known container is refused, nothing written",
              status == 1 and out.startswith("export failed: invalid-argument: ")
              and not os.path.exists(os.path.join(tmp, "python.avi")), status, out)
        status, out = run("c/offline-source-query.c", [store, "my movie"])
        check("c/offline-source-query.c: the query, the context query and HAVE_CONTEXT name the entry",
              status == 0 and out.splitlines() == ["have-context: entry-id my movie",
                                                   "custom query: is-offline yes, entry-id my movie",
                                                   "context query: offlinemgr.source, entry-id my movie",
                                                   "EOS"], status, out)

        status, out = run("python/errors.py", [os.path.join(tmp, "errors"), broken.base + "manifest.mpd"])
        check("python/errors.py: exits 0", status == 0, status, out)
        for pattern in [r"^download unknown: not-found \(show the message\): .*\"unknown\"",
                        r"^error signal: broken: download-failed$",
                        r"^download broken: download-failed \(resume\(\) when the network is back, "
                        r"or remove\(\)\): GET http://127\.0\.0\.1:\d+/\S+: 404 Not Found$",
                        r"^play broken: entry-incomplete$"]:
            check("python/errors.py: " + pattern, re.search(pattern, out, re.M) is not None,
                  status, out)

        # the manifest's own host is allowed; a list without it refuses it
        status, out = run("python/allowed-hosts.py", [os.path.join(tmp, "allowed"), url])
        check("python/allowed-hosts.py: the manifest's host is fetched",
              status == 0 and out.splitlines() == ["download movie: completed"], status, out)
        status, out = run("python/allowed-hosts.py", [os.path.join(tmp, "refused"), url, "localhost"])
        check("python/allowed-hosts.py: another host is refused before any request",
              status == 0 and out.splitlines()[0] == "refused: " + url
              and out.splitlines()[1].startswith("download movie: invalid-uri: "), status, out)

        if GJS:
            status, out = run("gjs/download.js", [os.path.join(tmp, "gjs"), "my movie", url])
            total = check_download("gjs/download.js", status, out,
                                   r"^progress my movie: (\d+)/(\d+) bytes, (\d+)/(\d+) segments$",
                                   ["state my movie: queued -> downloading",
                                    "state my movie: downloading -> completed"])
            check("gjs/download.js: lists the entry completed with its bytes",
                  "stored my movie: completed, %d bytes" % total in out.splitlines(), status, out)
        else:
            skip("gjs/download.js", "gjs is not installed")

        # a server slow enough for several progress reports (their number
        # does not matter: what each says does)
        status, out = run("c/progress.c", [os.path.join(tmp, "slow"), "my movie", slow.base + MANIFEST])
        reports = [tuple(int(n) for n in r) for r in re.findall(bar_re, out, re.M)]
        check("c/progress.c, slow server: completes", status == 0 and reports, status, out)
        check("c/progress.c, slow server: bytes downloaded never decrease",
              all(a[0] <= b[0] for a, b in zip(reports, reports[1:])), status, out)
        check("c/progress.c, slow server: bytes expected stay above bytes downloaded until the last report",
              all(r[1] > r[0] and r[2] < r[3] for r in reports[:-1])
              and reports and reports[-1][0] == reports[-1][1], status, out)

        gtk_example = os.path.join(BUILD, "examples", "gtk", "progress-bar")
        if not os.path.exists(gtk_example):
            skip("gtk/progress-bar.c", "GTK 4 is not installed")
        elif not XVFB_RUN:
            skip("gtk/progress-bar.c", "built; xvfb-run is not installed to run it")
        else:
            status, out = run("gtk/progress-bar.c", [os.path.join(tmp, "gtk"), "my movie", url],
                              wrapper=[XVFB_RUN, "-n", "151", "-a"])
            check("gtk/progress-bar.c: the bar is full, the label says completed",
                  status == 0 and "completed: fraction 1.00, 10 of 10 segments" in out.splitlines(),
                  status, out)

        # the selection rules of docs/getting-started.md, on a manifest with
        # two video bitrates (60000, 150000), audio and text in en and es
        manifest = os.path.join(DATA, MANIFEST)
        for args, want in [
                ([], ["video 1 - 60000", "audio 2 en 48000", "text sub-en en 256", "text sub-es es 256"]),
                (["es"], ["video 1 - 60000", "audio 3 es 48000", "text sub-es es 256"]),
                (["es", "140000"], ["video 0 - 150000", "audio 3 es 48000", "text sub-es es 256"]),
                (["fr", "100000"], ["video 1 - 60000", "audio 2 en 48000"])]:
            status, out = run("python/select-tracks.py", [manifest, url] + args)
            check("python/select-tracks.py %s: %s" % (" ".join(args) or "(no options)", ", ".join(want)),
                  status == 0 and out.splitlines()[:-1] == want
                  and re.fullmatch(r"about \d+ bytes", out.splitlines()[-1]) is not None, status, out)

        status, out = run("c/parse-manifest.c", [os.path.join(DATA, MANIFEST), url])
        check("c/parse-manifest.c: a static MPD parses", status == 0 and "6 tracks" in out, status, out)
        live = os.path.join(tmp, "live.mpd")
        with open(os.path.join(DATA, MANIFEST)) as f, open(live, "w") as g:
            g.write(f.read().replace('type="static"', 'type="dynamic"'))
        status, out = run("c/parse-manifest.c", [live, url])
        check("c/parse-manifest.c: a live MPD is told apart",
              status == 1 and out.splitlines() == ["Live streams cannot be downloaded."], status, out)

        kid, key = "0123456789abcdef0123456789abcdef", "00112233445566778899aabbccddeeff"
        status, out = run("c/keys-context.c", [kid, key])
        check("c/keys-context.c: the pipeline keeps the key",
              status == 0 and "%s=(buffer)%s" % (kid, key) in out, status, out)

        status, out = run("c/ovp-provider.c", [os.path.join(tmp, "ovp")])
        check("c/ovp-provider.c: the manager has the OVP provider",
              status == 0 and out.splitlines() == ["partner 1234567 at https://cdnapisec.kaltura.com/api_v3"],
              status, out)
    finally:
        server.stop()
        broken.stop()
        slow.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    # every example is run here
    present = set()
    for sub in ("c", "python", "gjs", "gtk"):
        for name in os.listdir(os.path.join(EXAMPLES, sub)):
            if name.endswith((".c", ".py", ".js")):
                present.add(sub + "/" + name)
    tap.check("every example under examples/{c,python,gjs,gtk} is run", present <= ran,
              ["not run: " + name for name in sorted(present - ran)])
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
