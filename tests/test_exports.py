#!/usr/bin/python3
"""What libofflinemgr-glib exports (built with hidden visibility, see
libofflinemgr-glib/offline-export.h): exactly the functions declared in its
installed headers plus the store reader of gst-offline and the tools
(store/offline-stored-entry.h, offline_entry_id_validate), none of the
writer's. Prints TAP.

Usage: test_exports.py NM LIBRARY HEADER... -- READER_HEADER..."""
import re
import subprocess
import sys

NM, LIBRARY = sys.argv[1], sys.argv[2]
rest = sys.argv[3:]
split = rest.index("--")
PUBLIC, READER = rest[:split], rest[split + 1:]


def declared(paths):
    names = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
        text = re.sub(r"^#.*$", "", text, flags=re.M)
        for m in re.finditer(r"G_DECLARE_\w+\s*\(\s*\w+\s*,\s*(\w+)", text):
            names.add(m.group(1) + "_get_type")
        for m in re.finditer(r"\b(offline_\w+)\s*\(", text):
            names.add(m.group(1))
    return names


def exported():
    out = subprocess.run([NM, "-D", "--defined-only", LIBRARY], check=True,
                         capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines()
            if len(line.split()) == 3 and line.split()[1] in "TDBRVW"}


def main():
    public, reader, symbols = declared(PUBLIC), declared(READER), exported()
    checks = [
        ("every exported symbol is declared in an installed or the reader header",
         sorted(symbols - public - reader)),
        ("every function of the installed headers is exported", sorted(public - symbols)),
        ("every function of the reader header is exported", sorted(reader - symbols)),
        ("nothing of the store writer is exported",
         sorted(s for s in symbols if s.startswith("offline_store_"))),
    ]
    print("1..%d" % len(checks))
    failed = 0
    for i, (name, wrong) in enumerate(checks, 1):
        if wrong:
            failed += 1
            print("not ok %d %s" % (i, name))
            print("# %s" % " ".join(wrong))
        else:
            print("ok %d %s" % (i, name))
    print("# %d symbols exported: %d public, %d of the reader" %
          (len(symbols), len(symbols & public), len(symbols & reader)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
