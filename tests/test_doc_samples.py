#!/usr/bin/python3
"""The code samples of the guides are real: every fenced block in C,
Python, JavaScript or Vala in docs/*.md and README.md names the example
file it shows, in its info string, and shows it verbatim (and every
relative link of those pages leads to a file):

    ```c examples/c/progress.c            the whole file, byte for byte
    ```c excerpt examples/c/errors.c      consecutive lines of the file
                                          (indentation may differ as a whole)

The examples are built and run by the tests (test-examples,
test-vala-example), so a sample that no longer builds or runs, or that
drifts from its file, fails here or there. Prints TAP.

Usage: test_doc_samples.py SRCDIR"""
import glob
import os
import re
import sys
import textwrap

from offline_tap import report

SRC = sys.argv[1]
CHECKED = {"c", "python", "py", "js", "javascript", "vala"}
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*(.*)$")


def blocks(path):
    """(line number, info string, content) of each fenced block of path."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        indent, fence, info = m.groups()
        start = i
        body = []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(fence)
                                      and lines[i].strip().strip(fence[0]) == ""):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        yield start + 1, info.strip(), "\n".join(body) + "\n"


def is_excerpt(block, text):
    """Whether block's lines are consecutive lines of text, up to a common
    indentation."""
    want = textwrap.dedent(block).rstrip("\n").split("\n")
    have = text.rstrip("\n").split("\n")
    for start in range(len(have) - len(want) + 1):
        window = "\n".join(have[start:start + len(want)])
        if textwrap.dedent(window).split("\n") == want:
            return True
    return False


LINK = re.compile(r"\]\(([^)\s]+)\)")


def broken_links(path):
    """Relative links of path to files that do not exist."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    problems = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        file = os.path.join(os.path.dirname(path), target.split("#")[0])
        if not os.path.exists(file):
            problems.append("%s: a link to %s, which does not exist" % (os.path.relpath(path, SRC), target))
    return problems


def check(path):
    problems = broken_links(path)
    samples = 0
    rel = os.path.relpath(path, SRC)
    for line, info, content in blocks(path):
        words = info.split()
        if not words or words[0].lower() not in CHECKED:
            continue
        samples += 1
        where = "%s:%d" % (rel, line)
        excerpt = len(words) == 3 and words[1] == "excerpt"
        if len(words) != 2 and not excerpt:
            problems.append("%s: a %s sample that names no example file (```%s examples/…)"
                            % (where, words[0], words[0]))
            continue
        name = words[-1]
        if not name.startswith("examples/"):
            problems.append("%s: %s is not under examples/" % (where, name))
            continue
        try:
            with open(os.path.join(SRC, name), encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            problems.append("%s: %s" % (where, e))
            continue
        if excerpt and not is_excerpt(content, text):
            problems.append("%s: not consecutive lines of %s" % (where, name))
        elif not excerpt and content != text:
            problems.append("%s: differs from %s" % (where, name))
    return rel, samples, problems


def main():
    checks = []
    total = 0
    for path in sorted(glob.glob(os.path.join(SRC, "docs", "*.md"))) + [os.path.join(SRC, "README.md")]:
        rel, samples, problems = check(path)
        total += samples
        checks.append(("%s: its %d code samples are example files, verbatim; its links lead to files" % (rel, samples),
                       problems))
    checks.append(("the guides have code samples (%d)" % total, [] if total else ["none found"]))
    return report(checks)


if __name__ == "__main__":
    sys.exit(main())
