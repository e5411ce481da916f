/* download-and-play.vala: download an entry with Offline.Manager, then play
 * it with no network through playbin and offline://
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   download-and-play STORE-DIR ENTRY-ID MANIFEST-URL
 *
 * An Offline.UrlProvider maps ENTRY-ID to MANIFEST-URL (a DASH or HLS
 * manifest, or a plain MP4/WebM/MP3 URL); the manager downloads it into
 * STORE-DIR, printing its progress and states. Then playbin plays
 * offline://ENTRY-ID into fakesinks up to EOS, and the program prints the
 * video frames played and the duration. Build it against the installed
 * library with
 *
 *   valac --pkg offlinemgr-glib-1.0 --pkg gstreamer-1.0 download-and-play.vala
 *
 * (GST_PLUGIN_PATH must name the directory of the `offline` plugin unless it
 * is installed in GStreamer's own.) Exit status 0 when the download completed
 * and playback reached EOS, 1 otherwise, 2 on a usage error.
 */

/* "completed" rather than OFFLINE_DOWNLOAD_STATE_COMPLETED */
string nick (Offline.DownloadState state) {
  var enum_class = (EnumClass) typeof (Offline.DownloadState).class_ref ();
  return enum_class.get_value (state).value_nick;
}

async void download (Offline.Manager manager, string entry_id) throws Error {
  /* The lowest video bitrate and the first audio language, as by default. */
  yield manager.download (entry_id, new Offline.DownloadOptions ());
  Offline.Entry entry = yield manager.get_downloaded_media_info (entry_id);
  print ("downloaded %s: %s, %" + uint64.FORMAT + " bytes\n",
         entry.get_id (), nick (entry.get_state ()), entry.get_bytes_downloaded ());
}

/* Plays offline://ENTRY-ID to EOS into fakesinks, counting video frames. */
class Player : Object {
  string store_dir;
  int frames = 0;

  public Player (string store_dir) {
    this.store_dir = store_dir;
  }

  /* One count per video frame; handoff comes from a streaming thread. */
  void on_handoff (Gst.Element sink, Gst.Buffer buffer, Gst.Pad pad) {
    AtomicInt.inc (ref frames);
  }

  /* The store is not the default one: tell offlinesrc where it is. */
  void on_source_setup (Gst.Element playbin, Gst.Element source) {
    source.set ("store-path", store_dir);
    bool is_offline;
    source.get ("is-offline", out is_offline);
    print ("source: %s, is-offline %s\n", source.get_factory ().get_name (), is_offline.to_string ());
  }

  /* Returns false on an ERROR message. */
  public bool play (string entry_id) {
    var uri = "offline://" + Uri.escape_string (entry_id, null, false);
    dynamic Gst.Element playbin = Gst.ElementFactory.make ("playbin", null);
    dynamic Gst.Element video_sink = Gst.ElementFactory.make ("fakesink", "video-sink");
    dynamic Gst.Element audio_sink = Gst.ElementFactory.make ("fakesink", "audio-sink");
    if (playbin == null || video_sink == null || audio_sink == null) {
      printerr ("playbin or fakesink is missing\n");
      return false;
    }
    video_sink.signal_handoffs = true;
    video_sink.handoff.connect (on_handoff);
    video_sink.sync = false;
    audio_sink.sync = false;
    playbin.uri = uri;
    playbin.video_sink = video_sink;
    playbin.audio_sink = audio_sink;
    playbin.source_setup.connect (on_source_setup);

    var loop = new MainLoop ();
    bool ok = false;
    var bus = playbin.get_bus ();
    bus.add_signal_watch ();
    bus.message.connect ((bus, message) => {
      switch (message.type) {
      case Gst.MessageType.EOS:
        int64 duration;
        if (!playbin.query_duration (Gst.Format.TIME, out duration))
          duration = -1;
        print ("played %s: EOS, %d video frames, duration %" + int64.FORMAT + " ns\n",
               uri, AtomicInt.get (ref frames), duration);
        ok = true;
        loop.quit ();
        break;
      case Gst.MessageType.ERROR:
        Error error;
        string debug;
        message.parse_error (out error, out debug);
        printerr ("playback failed: %s\n", error.message);
        loop.quit ();
        break;
      default:
        break;
      }
    });
    if (playbin.set_state (Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE)
      printerr ("playbin cannot play %s\n", uri);
    else
      loop.run ();
    playbin.set_state (Gst.State.NULL);
    bus.remove_signal_watch ();
    return ok;
  }
}

int main (string[] args) {
  Gst.init (ref args);
  if (args.length != 4) {
    printerr ("usage: %s STORE-DIR ENTRY-ID MANIFEST-URL\n", args[0]);
    return 2;
  }
  string store_dir = args[1], entry_id = args[2], url = args[3];

  var provider = new Offline.UrlProvider ();
  provider.add (entry_id, url, entry_id, null, null);
  Offline.Manager manager;
  try {
    manager = new Offline.Manager (store_dir, provider);
  } catch (Error e) {
    printerr ("cannot open the store: %s\n", e.message);
    return 1;
  }
  manager.progress.connect ((id, bytes_downloaded, bytes_expected, segments_done, segments_total) => {
    print ("progress %s: %" + uint64.FORMAT + "/%" + uint64.FORMAT + " bytes, %u/%u segments\n",
           id, bytes_downloaded, bytes_expected, segments_done, segments_total);
  });
  manager.state_changed.connect ((id, old_state, new_state) => {
    print ("state %s: %s -> %s\n", id, nick (old_state), nick (new_state));
  });

  var loop = new MainLoop ();
  bool downloaded = false;
  download.begin (manager, entry_id, (obj, res) => {
    try {
      download.end (res);
      downloaded = true;
    } catch (Error e) {
      /* e.code is an Offline.Error code (docs/errors.md) */
      printerr ("download failed: %s\n", e.message);
    }
    loop.quit ();
  });
  loop.run ();

  return downloaded && new Player (store_dir).play (entry_id) ? 0 : 1;
}
