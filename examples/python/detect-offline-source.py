#!/usr/bin/python3
# detect-offline-source.py: tell that playbin plays a stored offlinemgr entry
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   OFFLINEMGR_STORE=/path/to/store GST_PLUGIN_PATH=_build/gst-offline \
#     /usr/bin/python3 examples/python/detect-offline-source.py ENTRY-ID
#
# Plays offline://ENTRY-ID with fakesinks and prints what an application
# and a downstream element can learn about the source:
# - the source's "is-offline" and "entry-id" properties (source-setup);
# - the "offline-source" custom query, asked from the video sink's pad;
# - the "offlinemgr.source" GstContext, asked with a CONTEXT query.
import sys

import gi

gi.require_version('Gst', '1.0')
from gi.repository import GLib, Gst  # noqa: E402


def source_setup(playbin, source):
    factory = source.get_factory()
    if factory is None or factory.get_name() != 'offlinesrc':
        print('source-setup: not an offline source')
        return
    print('source-setup: is-offline=%s entry-id=%s'
          % (source.get_property('is-offline'), source.get_property('entry-id')))


def ask_upstream(pad, info):
    query = Gst.Query.new_custom(Gst.QueryType.CUSTOM,
                                 Gst.Structure.new_empty('offline-source'))
    if pad.peer_query(query):
        s = query.get_structure()
        print('custom query: is-offline=%s entry-id=%s'
              % (s.get_value('is-offline'), s.get_value('entry-id')))
    else:
        print('custom query: not answered (not an offline source)')
    context_query = Gst.Query.new_context('offlinemgr.source')
    if pad.peer_query(context_query):
        context = context_query.parse_context()
        s = context.get_structure()
        print('context %s: is-offline=%s entry-id=%s'
              % (context.get_context_type(), s.get_value('is-offline'),
                 s.get_value('entry-id')))
    return Gst.PadProbeReturn.REMOVE


def main():
    if len(sys.argv) != 2:
        print('usage: detect-offline-source.py ENTRY-ID', file=sys.stderr)
        return 2
    Gst.init(None)
    playbin = Gst.ElementFactory.make('playbin')
    video_sink = Gst.ElementFactory.make('fakesink')
    playbin.set_property('uri', 'offline://' + GLib.Uri.escape_string(sys.argv[1], None, False))
    playbin.set_property('video-sink', video_sink)
    playbin.set_property('audio-sink', Gst.ElementFactory.make('fakesink'))
    playbin.connect('source-setup', source_setup)
    video_sink.get_static_pad('sink').add_probe(Gst.PadProbeType.BUFFER, ask_upstream)

    playbin.set_state(Gst.State.PLAYING)
    bus = playbin.get_bus()
    ret = 1
    while True:
        msg = bus.timed_pop_filtered(30 * Gst.SECOND,
                                     Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg is None:
            print('timed out', file=sys.stderr)
            break
        if msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            print('error: %s' % err.message, file=sys.stderr)
            break
        else:
            print('EOS')
            ret = 0
            break
    playbin.set_state(Gst.State.NULL)
    return ret


if __name__ == '__main__':
    sys.exit(main())
