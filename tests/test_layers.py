#!/usr/bin/python3
"""The layering of the sources (README.md, "Layout"): the model
(libofflinemgr-glib/manifest/) includes nothing above it, and playback
(gst-offline/, tools/) reaches the store only through its reader
(store/offline-stored-entry.h), never through the writer's private
headers. Inside gst-offline/, the element's children (the track source,
the pad, the part reader…) call offlinesrc through the hooks it gives
them, never by name: they include neither its header (gstofflinesrc.h)
nor its private ones (gstofflinesrc-*private.h). Prints TAP.

Usage: test_layers.py SOURCE_ROOT"""
import os
import re
import sys

ROOT = sys.argv[1]
LIB = os.path.join(ROOT, "libofflinemgr-glib")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# where each of the library's headers lives: name -> folder
HOME = {}
for folder, _, files in os.walk(LIB):
    for name in files:
        if name.endswith(".h"):
            HOME[name] = os.path.relpath(folder, LIB)


def includes(folder):
    for name in sorted(os.listdir(folder)):
        if name.endswith((".c", ".h")):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                for header in INCLUDE.findall(f.read()):
                    yield name, header


def model_includes_nothing_above():
    # the model's own headers, and the root's error and export headers
    return ["manifest/%s includes %s (%s/)" % (name, header, HOME[header])
            for name, header in includes(os.path.join(LIB, "manifest"))
            if header in HOME and HOME[header] not in ("manifest", ".")]


def playback_uses_the_reader():
    allowed = {"offline.h", "offline-error.h", "offline-export.h", "offline-entry.h",
               "offline-stored-entry.h", "offline-entry-id-private.h"}
    wrong = []
    for top in ("gst-offline", "tools"):
        for name, header in includes(os.path.join(ROOT, top)):
            if header in HOME and (header.endswith("-private.h") or HOME[header] == "store") \
                    and header not in allowed:
                wrong.append("%s/%s includes %s" % (top, name, header))
    return wrong


def children_include_no_parent():
    def element_file(name):
        return name == "plugin.c" or re.match(r"gstofflinesrc[.-]", name)

    def parent_header(header):
        return header == "gstofflinesrc.h" or \
            (header.startswith("gstofflinesrc-") and header.endswith("private.h"))

    return ["gst-offline/%s includes %s" % (name, header)
            for name, header in includes(os.path.join(ROOT, "gst-offline"))
            if not element_file(name) and parent_header(header)]


def main():
    checks = [
        ("manifest/ includes nothing above it", model_includes_nothing_above()),
        ("gst-offline/ and tools/ read the store through offline-stored-entry.h only",
         playback_uses_the_reader()),
        ("gst-offline/'s children include no header of offlinesrc (hooks instead)",
         children_include_no_parent()),
    ]
    print("1..%d" % len(checks))
    failed = 0
    for i, (name, wrong) in enumerate(checks, 1):
        print("%s %d %s" % ("not ok" if wrong else "ok", i, name))
        for line in wrong:
            print("# " + line)
        failed += bool(wrong)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
