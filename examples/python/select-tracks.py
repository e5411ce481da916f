# examples/python/select-tracks.py: which tracks a download would store,
# and how big it would be
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   /usr/bin/python3 select-tracks.py MANIFEST-FILE MANIFEST-URL [LANGUAGE [BITRATE]]
#
# Parses MANIFEST-FILE (found at MANIFEST-URL, which resolves its relative
# URLs) and prints the tracks the download options pick: the audio track
# of LANGUAGE (else the first), the video track closest to BITRATE bits per
# second (else the lowest), the text tracks of LANGUAGE (all without one).
import sys

import gi

gi.require_version("Offline", "1.0")
from gi.repository import GLib, Offline  # noqa: E402


def main():
    if not 3 <= len(sys.argv) <= 5:
        print("usage: select-tracks.py MANIFEST-FILE MANIFEST-URL [LANGUAGE [BITRATE]]", file=sys.stderr)
        return 2
    path, url = sys.argv[1:3]
    options = Offline.DownloadOptions()
    if len(sys.argv) > 3:
        options.set_language(sys.argv[3])
    if len(sys.argv) > 4:
        options.set_bitrate(int(sys.argv[4]))

    with open(path, "rb") as f:
        data = GLib.Bytes.new(f.read())
    presentation = Offline.manifest_parse(data, url, None)
    selection = Offline.TrackSelection.new(presentation, options)
    for track in selection.get_tracks():
        print(track.get_track_type().value_nick, track.get_id(), track.get_language() or "-",
              track.get_bandwidth())
    print("about %d bytes" % selection.get_estimated_size())
    return 0


if __name__ == "__main__":
    sys.exit(main())
