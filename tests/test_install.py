#!/usr/bin/python3
"""`meson install` into a temporary directory gives a usable GNOME library.

Installs the build tree with `meson install --destdir TMP --no-rebuild`
(the .pc file is relocatable: its prefix is found from where it lies), then
checks that everything lands under TMP/PREFIX: the headers under
include/offlinemgr-glib-1.0/ (generated ones too), the .pc file, the GIR and
typelib, the vapi and .deps, the GStreamer plugin, the CLI and its man page;
builds tests/install/install-check.c with
`cc install-check.c $(pkg-config --cflags --libs offlinemgr-glib-1.0)` alone
(PKG_CONFIG_PATH naming the temporary prefix) and runs it, builds the Vala
check against the installed vapi with `valac --pkg offlinemgr-glib-1.0`,
finds `offlinesrc` and `offlinecencdec` with gst-inspect-1.0 through the
prefix's plugin directory only, loads the typelib from the prefix in Python
and runs the installed `offlinemgr --version`. Prints TAP.

Usage: test_install.py KEY=VALUE... with builddir, meson, cc, srcdir,
prefix, libdir, includedir, datadir, bindir, mandir, valac (or "")."""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

from offline_tap import Tap

ARGS = dict(arg.split("=", 1) for arg in sys.argv[1:])

HEADERS = [
    "offline.h", "offline-export.h", "offline-error.h", "offline-enum-types.h",
    "offline-protection.h", "offline-segment.h", "offline-track.h", "offline-presentation.h",
    "offline-manifest.h", "offline-dash-parser.h", "offline-hls-parser.h",
    "offline-manifest-parse.h", "offline-download-options.h", "offline-track-selection.h",
    "offline-media-source.h", "offline-media-info.h", "offline-provider.h",
    "offline-url-provider.h", "offline-ovp-provider.h", "offline-entry.h", "offline-manager.h",
]


def under(root, directory):
    """An install directory (absolute, or relative to the prefix) under root."""
    path = directory if os.path.isabs(directory) else os.path.join(ARGS["prefix"], directory)
    return os.path.join(root, path.lstrip("/"))


def run(argv, env=None, cwd=None):
    """(returncode, stdout + stderr) of argv."""
    proc = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def main():
    tap = Tap()
    tmp = tempfile.mkdtemp(prefix="offlinemgr-install-")
    try:
        return check_install(tap, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_install(tap, tmp):
    destdir = os.path.join(tmp, "dest")
    rc, out = run([ARGS["meson"], "install", "-C", ARGS["builddir"], "--destdir", destdir,
                   "--no-rebuild", "--quiet"])
    if not tap.check("meson install --destdir", rc == 0, out):
        print("1..%d" % tap.n)
        return 1

    prefix = under(destdir, ARGS["prefix"])
    libdir = under(destdir, ARGS["libdir"])
    includedir = under(destdir, ARGS["includedir"])
    datadir = under(destdir, ARGS["datadir"])
    headerdir = os.path.join(includedir, "offlinemgr-glib-1.0")
    pkgconfigdir = os.path.join(libdir, "pkgconfig")
    plugindir = os.path.join(libdir, "gstreamer-1.0")
    typelibdir = os.path.join(libdir, "girepository-1.0")
    vapidir = os.path.join(datadir, "vala", "vapi")
    cli = os.path.join(under(destdir, ARGS["bindir"]), "offlinemgr")

    files = [os.path.join(headerdir, h) for h in HEADERS] + [
        os.path.join(pkgconfigdir, "offlinemgr-glib-1.0.pc"),
        os.path.join(libdir, "libofflinemgr-glib-1.0.so"),
        os.path.join(typelibdir, "Offline-1.0.typelib"),
        os.path.join(datadir, "gir-1.0", "Offline-1.0.gir"),
        os.path.join(plugindir, "libgstoffline.so"),
        cli,
        os.path.join(under(destdir, ARGS["mandir"]), "man1", "offlinemgr.1"),
    ]
    if ARGS["valac"]:
        files += [os.path.join(vapidir, "offlinemgr-glib-1.0.vapi"),
                  os.path.join(vapidir, "offlinemgr-glib-1.0.deps")]
    missing = [os.path.relpath(f, destdir) for f in files if not os.path.exists(f)]
    tap.check("every file is installed under the prefix (%d files)" % len(files),
              not missing, "missing: " + " ".join(missing) if missing else "")
    strays = [h for h in os.listdir(headerdir) if h not in HEADERS] if os.path.isdir(headerdir) else []
    tap.check("no other header is installed", not strays, " ".join(strays))

    env = dict(os.environ)
    env["PKG_CONFIG_PATH"] = pkgconfigdir
    env["LD_LIBRARY_PATH"] = libdir
    rc, flags = run(["pkg-config", "--cflags", "--libs", "offlinemgr-glib-1.0"], env=env)
    paths = {os.path.normpath(f[2:]) for f in flags.split() if f[:2] in ("-I", "-L")}
    tap.check("pkg-config finds offlinemgr-glib-1.0 in the moved prefix",
              rc == 0 and headerdir in paths and libdir in paths, flags)

    # `cc prog.c $(pkg-config --cflags --libs offlinemgr-glib-1.0)` and nothing else
    prog = os.path.join(tmp, "install-check")
    source = os.path.join(ARGS["srcdir"], "install-check.c")
    # the compilers never load offlinemgr: no ASan runtime (tests/meson.build)
    # for them, whatever the programs they build need
    build_env = {k: v for k, v in env.items() if k != "LD_PRELOAD"}
    rc, out = run(shlex.split(ARGS["cc"]) + [source, "-o", prog] + shlex.split(flags), env=build_env)
    tap.check("a C program builds with the .pc's flags alone", rc == 0, out)
    if rc == 0:
        rc, out = run(["ldd", prog], env=env)
        tap.check("it links the installed library",
                  ("=> " + os.path.join(libdir, "libofflinemgr-glib-1.0.so.0")) in out, out)
        rc, out = run([prog, os.path.join(tmp, "store")], env=env)
        tap.check("it opens a store, lists it and gets documented error codes",
                  rc == 0 and "entries: 0" in out and "OFFLINE_ERROR_NOT_FOUND" in out
                  and "OFFLINE_ERROR_INVALID_ARGUMENT" in out, out)

    if ARGS["valac"]:
        vprog = os.path.join(tmp, "install-check-vala")
        rc, out = run([ARGS["valac"], "--vapidir", vapidir, "--pkg", "offlinemgr-glib-1.0",
                       "-X", "-w", "-o", vprog, os.path.join(ARGS["srcdir"], "install-check.vala")],
                      env=build_env, cwd=tmp)
        tap.check("a Vala program builds with valac --pkg offlinemgr-glib-1.0", rc == 0, out)
        if rc == 0:
            rc, out = run([vprog, os.path.join(tmp, "vala-store")], env=env)
            tap.check("it runs", rc == 0 and "vala entries: 0" in out, out)

    # GStreamer finds the plugin through the prefix only
    gst_env = dict(env)
    rc, system = run(["pkg-config", "--variable=pluginsdir", "gstreamer-1.0"])
    gst_env["GST_PLUGIN_SYSTEM_PATH"] = system.strip()
    gst_env["GST_PLUGIN_PATH"] = plugindir
    gst_env["GST_REGISTRY_1_0"] = os.path.join(tmp, "registry.bin")
    for element in ("offlinesrc", "offlinecencdec"):
        rc, out = run(["gst-inspect-1.0", element], env=gst_env)
        tap.check("gst-inspect-1.0 %s finds it in the prefix" % element,
                  rc == 0 and os.path.join(plugindir, "libgstoffline.so") in out,
                  out)

    # the typelib (and the library it names) from the prefix
    gi_env = dict(env)
    gi_env["GI_TYPELIB_PATH"] = typelibdir
    code = ("import gi; gi.require_version('Offline', '1.0'); gi.require_version('GIRepository', '2.0')\n"
            "from gi.repository import GIRepository, Offline\n"
            "print(GIRepository.Repository.get_default().get_typelib_path('Offline'))\n"
            "print(Offline.Manager.new(%r, Offline.UrlProvider.new(), None).get_store_path())\n"
            % os.path.join(tmp, "py-store"))
    rc, out = run(["/usr/bin/python3", "-c", code], env=gi_env)
    tap.check("the typelib loads from the prefix",
              rc == 0 and os.path.join(typelibdir, "Offline-1.0.typelib") in out, out)

    rc, out = run([cli, "--version"], env=env)
    tap.check("the installed offlinemgr runs", rc == 0 and "offlinemgr" in out, out)

    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
