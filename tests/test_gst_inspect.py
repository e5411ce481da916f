#!/usr/bin/python3
"""What gst-inspect-1.0 shows of every element of the `offline` plugin is
complete: its metadata (long name, class, a description of a sentence,
author), a nick and a blurb on every property, and every pad template with
a name and caps that say something: templates whose caps are ANY carry
documentation caps (gst_pad_template_set_documentation_caps()) naming what
flows. Also runs `gst-inspect-1.0 ELEMENT` and finds every blurb and
template in its output. Run with GST_PLUGIN_PATH naming the build's plugin.
Prints TAP."""
import subprocess
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

from offline_tap import report  # noqa: E402

PLUGIN = "offline"
EXPECTED = {"offlinesrc", "offlinecencdec"}


def element_problems(factory):
    """What is missing from factory's element, as a list of strings."""
    problems = []
    for key in ("long-name", "klass", "description", "author"):
        if not (factory.get_metadata(key) or "").strip():
            problems.append("no %s" % key)
    if len((factory.get_metadata("description") or "").split()) < 5:
        problems.append("a description of fewer than 5 words")
    element = factory.create(None)
    for pspec in element.list_properties():
        nick, blurb = pspec.nick, pspec.blurb
        if not nick or not blurb or not blurb.strip() or blurb == pspec.name or blurb == nick:
            problems.append("property %s (of %s): nick %r, blurb %r"
                            % (pspec.name, pspec.owner_type.name, nick, blurb))
    templates = factory.get_static_pad_templates()
    if not templates:
        problems.append("no pad template")
    for static in templates:
        template = element.get_pad_template(static.name_template)
        caps = template.get_caps() if template else None
        docs = template.get_documentation_caps() if template else None
        if not static.name_template or caps is None or caps.is_empty():
            problems.append("pad template %r without caps" % static.name_template)
        elif docs is None or docs.is_empty() or docs.is_any():
            problems.append("pad template %r: caps %s, documentation caps %s"
                            % (static.name_template, caps.to_string(),
                               docs.to_string() if docs else None))
    return problems


def inspect_problems(factory):
    """What `gst-inspect-1.0 NAME` does not show."""
    name = factory.get_name()
    proc = subprocess.run(["gst-inspect-1.0", name], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        return ["gst-inspect-1.0 %s: exit status %d" % (name, proc.returncode)]
    out = " ".join(proc.stdout.split())
    wanted = [factory.get_metadata("description")]
    wanted += [" ".join(p.blurb.split()) for p in factory.create(None).list_properties()
               if p.blurb]
    wanted += ["'%s'" % t.name_template for t in factory.get_static_pad_templates()]
    return ["not in gst-inspect-1.0 %s: %r" % (name, w) for w in wanted if w not in out]


def main():
    Gst.init(None)
    registry = Gst.Registry.get()
    plugin = registry.find_plugin(PLUGIN)
    checks = [("the %s plugin loads" % PLUGIN, [] if plugin else ["not found"])]
    factories = [f for f in registry.get_feature_list_by_plugin(PLUGIN)
                 if isinstance(f, Gst.ElementFactory)]
    names = {f.get_name() for f in factories}
    checks.append(("its elements are %s" % ", ".join(sorted(EXPECTED)),
                   [] if EXPECTED <= names else ["found " + ", ".join(sorted(names))]))
    for factory in sorted(factories, key=lambda f: f.get_name()):
        checks.append(("%s: metadata, every property's blurb, every pad template's caps"
                       % factory.get_name(), element_problems(factory)))
        checks.append(("%s: gst-inspect-1.0 shows them" % factory.get_name(),
                       inspect_problems(factory)))
    return report(checks)


if __name__ == "__main__":
    sys.exit(main())
