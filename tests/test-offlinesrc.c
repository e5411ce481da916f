/* test-offlinesrc.c: the offlinesrc element and offline:// URIs, playing
 * entries stored through the library from the real test server, and A/V
 * sync across an HLS discontinuity (timestamps that start over)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * main() downloads the fixtures below into a temporary store, stops the
 * server, and points OFFLINEMGR_STORE at the store: everything then plays
 * with no server running. GST_PLUGIN_PATH (set by meson) finds the plugin
 * in the build directory.
 *
 * This program links the shared library, like an application: the plugin
 * uses it too, so there is one copy of its types in the process.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "offline.h"
#include "offline-stored-entry.h"
#include "offline-test-gst.h"
#include "offline-test-server.h"

#define FRAMES 150                      /* 6 s at 25 fps, see tests/data/README.md */
#define DURATION (6 * GST_SECOND)
#define FRAME (GST_SECOND / 25)
#define TIMEOUT OFFLINE_TEST_GST_TIMEOUT

/* The entries stored by main(): id → fixture. Each plays to EOS with
 * playbin and playbin3; a splice (an #EXT-X-DISCONTINUITY at 2 s, where
 * the PTS and PCR start over) also in sync and after a seek, see
 * play_discontinuity(). */
static const struct {
  const char *id;
  const char *path;
  gboolean splice;
} fixtures[] = {
  { "dash-template", "dash/template-number/manifest.mpd", FALSE },       /* with 2 WebVTT tracks */
  { "hls-fmp4", "hls/fmp4/master.m3u8", FALSE },
  { "hls-ts-alt-audio", "hls/ts-alt-audio/master.m3u8", FALSE },         /* with 2 WebVTT tracks */
  { "hls-muxed", "hls/muxed/master.m3u8", FALSE },
  { "hls-discontinuity", "hls/discontinuity/master.m3u8", TRUE },
  /* the second encode with another PTS-PCR offset (0.3 s, not 0.7 s) */
  { "hls-discontinuity-offset", "hls/discontinuity-offset/master.m3u8", TRUE },
};

/* A progressive entry (a plain MP4 file), for the detection test. */
#define PROGRESSIVE_ID "progressive"

/* An entry whose files the error test removes. */
#define DAMAGED_ID "damaged"

/* Set once by main() before the tests run, then read-only. */
static char *store_path;

typedef struct {
  const char *factory;          /* "playbin" or "playbin3" */
  const char *id;
} PlayCase;

static void
source_setup (GstElement *playbin,
              GstElement *source,
              gpointer    user_data)
{
  gboolean is_offline = FALSE;
  g_autofree char *entry_id = NULL;

  g_object_get (source, "is-offline", &is_offline, "entry-id", &entry_id, NULL);
  g_assert_true (is_offline);
  g_assert_cmpstr (entry_id, ==, user_data);
}

static void
test_playbin (gconstpointer data)
{
  const PlayCase *play = data;
  g_autoptr(GstElement) playbin = gst_element_factory_make (play->factory, NULL);
  g_autofree char *uri = g_strconcat ("offline://", play->id, NULL);
  g_autoptr(GstMessage) message = NULL;
  int frames = 0;
  int audio = 0;
  gint64 position = -1;
  gint64 duration = -1;

  g_assert_nonnull (playbin);
  g_object_set (playbin, "uri", uri,
                "video-sink", offline_test_counting_sink (&frames),
                "audio-sink", offline_test_counting_sink (&audio),
                NULL);
  g_signal_connect (playbin, "source-setup", G_CALLBACK (source_setup), (gpointer) play->id);
  message = offline_test_play_to_end (playbin);
  offline_test_assert_eos (message);

  g_assert_true (gst_element_query_duration (playbin, GST_FORMAT_TIME, &duration));
  g_assert_cmpint (duration, ==, DURATION);
  g_assert_cmpint (g_atomic_int_get (&frames), ==, FRAMES);
  g_assert_true (gst_element_query_position (playbin, GST_FORMAT_TIME, &position));
  g_assert_cmpint (ABS (position - (gint64) DURATION), <=, FRAME);
  g_assert_cmpint (g_atomic_int_get (&audio), >, 0);
  gst_element_set_state (playbin, GST_STATE_NULL);
}

/* ---- A/V sync across an HLS discontinuity ---- */

/* hls/discontinuity and hls/discontinuity-offset (tests/data/README.md):
 * segment 0 from one encode, segments 1 and 2 from another whose PTS and
 * PCR start over, after an #EXT-X-DISCONTINUITY at 2 s. In the second
 * fixture the second encode's PTS-PCR offset differs from the first's. */
#define DISCONT_AT (2 * GST_SECOND)
#define DISCONT_SEEK (3 * GST_SECOND)   /* into the second encode */

/* A buffer that reached a sink: its PTS in the sink's segment. */
typedef struct {
  GstClockTime running;
  GstClockTime stream;
} Stamp;

/* The buffers a sink got since the last flush. Guarded by @lock: the
 * probe runs in the sink's streaming thread. */
typedef struct {
  GMutex lock;
  GstSegment segment;           /* the last one */
  GArray *stamps;               /* (element-type Stamp) */
  gboolean audio;               /* S16 mono: find_quiet() looks at it */
  GstClockTime quiet;           /* see find_quiet(), or NONE */
} StampLog;

/* The audio is a 440 Hz tone (S16 peaks of about 4100), except where an
 * encode starts: its AAC priming decodes to 1024 samples of near-silence
 * (peaks under 30). So the second encode's first audio is the first quiet
 * stretch after the start, where its first video frame must be too. */
#define AUDIO_CAPS "audio/x-raw,format=S16LE,channels=1,rate=48000"
#define AUDIO_RATE 48000
#define QUIET_LEVEL 1000
#define QUIET_BLOCK 128         /* samples: 2.7 ms, more than half a period */

/* Sets @log's quiet (if not set yet) to the running time of the first
 * block of QUIET_BLOCK samples of @buffer (S16 mono, AUDIO_RATE) whose
 * peak is under QUIET_LEVEL, if it has one. */
static void
find_quiet (StampLog    *log,
            GstBuffer   *buffer,
            const Stamp *stamp)
{
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  for (gsize block = 0; block + 2 * QUIET_BLOCK <= map.size && !GST_CLOCK_TIME_IS_VALID (log->quiet);
       block += 2 * QUIET_BLOCK) {
    int peak = 0;

    for (gsize i = block; i < block + 2 * QUIET_BLOCK; i += 2)
      peak = MAX (peak, ABS ((gint16) GST_READ_UINT16_LE (map.data + i)));
    if (peak < QUIET_LEVEL)
      log->quiet = stamp->running + gst_util_uint64_scale (block / 2, GST_SECOND, AUDIO_RATE);
  }
  gst_buffer_unmap (buffer, &map);
}

static GstPadProbeReturn
stamp_probe (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  StampLog *log = user_data;

  g_mutex_lock (&log->lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
    Stamp stamp = {
      gst_segment_to_running_time (&log->segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer)),
      gst_segment_to_stream_time (&log->segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer)),
    };

    g_array_append_val (log->stamps, stamp);
    /* from 1 s on: past the first encode's priming, at 0 */
    if (log->audio && !GST_CLOCK_TIME_IS_VALID (log->quiet) && GST_CLOCK_TIME_IS_VALID (stamp.running) &&
        GST_CLOCK_TIME_IS_VALID (stamp.stream) && stamp.stream >= GST_SECOND)
      find_quiet (log, buffer, &stamp);
  } else {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    /* what a flushing seek flushed never plays: only what comes after */
    if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
      g_array_set_size (log->stamps, 0);
      log->quiet = GST_CLOCK_TIME_NONE;
    } else if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT) {
      gst_event_copy_segment (event, &log->segment);
    }
  }
  g_mutex_unlock (&log->lock);
  return GST_PAD_PROBE_OK;
}

/* A fakesink (sync=false) whose buffers go into @log; with @audio, in a
 * bin that converts to AUDIO_CAPS for find_quiet(). */
static GstElement *
stamping_sink (StampLog *log,
               gboolean  audio)
{
  g_autoptr(GError) error = NULL;
  GstElement *bin = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstPad) pad = NULL;

  g_mutex_init (&log->lock);
  gst_segment_init (&log->segment, GST_FORMAT_TIME);
  log->stamps = g_array_new (FALSE, FALSE, sizeof (Stamp));
  log->audio = audio;
  log->quiet = GST_CLOCK_TIME_NONE;
  bin = gst_parse_bin_from_description (audio ? "audioconvert ! audioresample ! " AUDIO_CAPS
                                        " ! fakesink name=sink sync=false" :
                                        "fakesink name=sink sync=false", TRUE, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
                     GST_PAD_PROBE_TYPE_EVENT_FLUSH, stamp_probe, log, NULL);
  return bin;
}

static void
stamp_log_clear (StampLog *log)
{
  g_mutex_clear (&log->lock);
  g_array_unref (log->stamps);
}

/* The index of the first buffer of @log at or after stream time @time;
 * fails if there is none. (Read with the pipeline stopped.) */
static guint
first_from (const StampLog *log,
            GstClockTime    time)
{
  for (guint i = 0; i < log->stamps->len; i++) {
    const Stamp *stamp = &g_array_index (log->stamps, Stamp, i);

    if (GST_CLOCK_TIME_IS_VALID (stamp->stream) && stamp->stream >= time)
      return i;
  }
  g_error ("no buffer at or after %" GST_TIME_FORMAT, GST_TIME_ARGS (time));
  return 0;
}

/* Every buffer of @log (named @what) has a running time, later than the
 * one before by @max_step at most: the timestamps that start over at the
 * discontinuity neither go back nor leave a hole. */
static void
assert_continuous (const StampLog *log,
                   const char     *what,
                   GstClockTime    max_step)
{
  for (guint i = 0; i < log->stamps->len; i++) {
    const Stamp *stamp = &g_array_index (log->stamps, Stamp, i);

    if (!GST_CLOCK_TIME_IS_VALID (stamp->running))
      g_error ("%s buffer %u is outside the segment", what, i);
    if (i > 0 && (stamp->running <= stamp[-1].running || stamp->running - stamp[-1].running > max_step))
      g_error ("%s buffer %u at running time %" GST_TIME_FORMAT " follows one at %" GST_TIME_FORMAT,
               what, i, GST_TIME_ARGS (stamp->running), GST_TIME_ARGS (stamp[-1].running));
  }
}

/* The first video frame and the first audio buffer at or after @time
 * (stream time): both there, within a frame, and at the same running
 * time within a frame. Returns the video frame's index. */
static guint
assert_in_sync_from (const StampLog *video,
                     const StampLog *audio,
                     GstClockTime    time)
{
  guint v = first_from (video, time), a = first_from (audio, time);
  const Stamp *vs = &g_array_index (video->stamps, Stamp, v);
  const Stamp *as = &g_array_index (audio->stamps, Stamp, a);

  g_test_message ("from %" GST_TIME_FORMAT ": video %u at stream %" GST_TIME_FORMAT " running %"
                  GST_TIME_FORMAT ", audio %u at stream %" GST_TIME_FORMAT " running %" GST_TIME_FORMAT,
                  GST_TIME_ARGS (time), v, GST_TIME_ARGS (vs->stream), GST_TIME_ARGS (vs->running),
                  a, GST_TIME_ARGS (as->stream), GST_TIME_ARGS (as->running));
  g_assert_cmpuint (vs->stream, <, time + FRAME);
  g_assert_cmpuint (as->stream, <, time + FRAME);
  g_assert_cmpint (ABS ((GstClockTimeDiff) (vs->running - as->running)), <=, (gint64) FRAME);
  return v;
}

/* Plays @play's splice entry with its factory to EOS, from the start
 * or after a flushing ACCURATE seek to DISCONT_SEEK, into fakesinks:
 * the frames, where it ends, and the audio and video in sync where the
 * second encode starts (or where the seek went). */
static void
play_discontinuity (const PlayCase *play,
                    gboolean        seek)
{
  g_autoptr(GstElement) playbin = gst_element_factory_make (play->factory, NULL);
  g_autofree char *uri = g_strconcat ("offline://", play->id, NULL);
  g_autoptr(GstMessage) message = NULL;
  StampLog video, audio;
  gint64 duration = -1, position = -1;
  guint v;

  g_assert_nonnull (playbin);
  g_object_set (playbin, "uri", uri,
                "video-sink", stamping_sink (&video, FALSE),
                "audio-sink", stamping_sink (&audio, TRUE), NULL);
  if (seek) {
    gst_element_set_state (playbin, GST_STATE_PAUSED);
    offline_test_wait_async_done (playbin);
    g_assert_true (gst_element_seek_simple (playbin, GST_FORMAT_TIME,
                                            GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                            DISCONT_SEEK));
    offline_test_wait_async_done (playbin);
  }
  message = offline_test_play_to_end (playbin);
  offline_test_assert_eos (message);
  g_assert_true (gst_element_query_duration (playbin, GST_FORMAT_TIME, &duration));
  g_assert_true (gst_element_query_position (playbin, GST_FORMAT_TIME, &position));
  gst_element_set_state (playbin, GST_STATE_NULL);

  /* the pipeline is stopped: the logs are no longer written */
  g_assert_cmpint (duration, ==, DURATION);
  g_assert_cmpint (ABS (position - (gint64) DURATION), <=, FRAME);
  g_assert_cmpuint (video.stamps->len, ==, seek ? FRAMES - DISCONT_SEEK / FRAME : FRAMES);
  g_assert_cmpuint (audio.stamps->len, >, 0);
  /* each frame a frame after the one before (no gap); the audio buffers
   * (21.3 ms) with no gap of a frame either (the two encodes' audio
   * overlap by 5 ms at 2 s) */
  assert_continuous (&video, "video", FRAME);
  assert_continuous (&audio, "audio", FRAME);
  if (seek) {
    /* the seek lands at its target (the first frame is at or after it),
     * audio and video together */
    g_assert_cmpuint (assert_in_sync_from (&video, &audio, DISCONT_SEEK), ==, 0);
    g_assert_cmpint (ABS ((GstClockTimeDiff) (g_array_index (audio.stamps, Stamp, 0).stream -
                                              DISCONT_SEEK)), <, (gint64) FRAME);
  } else {
    /* the second encode's first frame is frame 50, at 2 s, with its
     * audio: the first buffers at 2 s, and the start of its priming */
    v = assert_in_sync_from (&video, &audio, DISCONT_AT);
    g_assert_cmpuint (v, ==, DISCONT_AT / FRAME);
    g_test_message ("second encode: video at running time %" GST_TIME_FORMAT ", audio at %"
                    GST_TIME_FORMAT, GST_TIME_ARGS (g_array_index (video.stamps, Stamp, v).running),
                    GST_TIME_ARGS (audio.quiet));
    g_assert_true (GST_CLOCK_TIME_IS_VALID (audio.quiet));
    g_assert_cmpint (ABS ((GstClockTimeDiff) (g_array_index (video.stamps, Stamp, v).running -
                                              audio.quiet)), <=, (gint64) FRAME);
  }
  stamp_log_clear (&video);
  stamp_log_clear (&audio);
}

static void
test_discontinuity_sync (gconstpointer data)
{
  play_discontinuity (data, FALSE);
}

static void
test_discontinuity_seek (gconstpointer data)
{
  play_discontinuity (data, TRUE);
}

/* ---- detection by downstream elements ---- */

/* What the video sink's probe learnt by asking upstream. Guarded by @lock. */
typedef struct {
  GMutex lock;
  gboolean asked;
  GstStructure *query_answer;   /* the custom query's structure, or NULL */
  GstContext *context;          /* the CONTEXT query's answer, or NULL */
} Detection;

static GstPadProbeReturn
detect_probe (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  Detection *detection = user_data;
  g_autoptr(GstQuery) custom =
    gst_query_new_custom (GST_QUERY_CUSTOM, gst_structure_new_empty ("offline-source"));
  g_autoptr(GstQuery) context = gst_query_new_context ("offlinemgr.source");

  /* asked from the streaming thread, as a decoder or sink would */
  g_mutex_lock (&detection->lock);
  if (gst_pad_peer_query (pad, custom))
    detection->query_answer = gst_structure_copy (gst_query_get_structure (custom));
  if (gst_pad_peer_query (pad, context)) {
    GstContext *answer = NULL;

    gst_query_parse_context (context, &answer);
    detection->context = answer != NULL ? gst_context_ref (answer) : NULL;
  }
  detection->asked = TRUE;
  g_mutex_unlock (&detection->lock);
  return GST_PAD_PROBE_REMOVE;
}

static void
assert_offline_fields (const GstStructure *structure,
                       const char         *id)
{
  gboolean is_offline = FALSE;

  g_assert_nonnull (structure);
  g_assert_true (gst_structure_get_boolean (structure, "is-offline", &is_offline));
  g_assert_true (is_offline);
  g_assert_cmpstr (gst_structure_get_string (structure, "entry-id"), ==, id);
}

/* @data: the id of the entry played (an HLS one, or a progressive one,
 * whose stored file offlinesrc gives downstream as it is) */
static void
test_detect (gconstpointer data)
{
  const char *id = data;
  g_autofree char *uri = g_strconcat ("offline://", id, NULL);
  g_autoptr(GstElement) playbin = gst_element_factory_make ("playbin", NULL);
  GstElement *vsink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (vsink, "sink");
  Detection detection = { 0 };

  g_mutex_init (&detection.lock);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, detect_probe, &detection, NULL);
  g_object_set (playbin, "uri", uri,
                "video-sink", vsink,
                "audio-sink", gst_element_factory_make ("fakesink", NULL),
                NULL);
  gst_element_set_state (playbin, GST_STATE_PAUSED);
  offline_test_wait_async_done (playbin);

  /* the custom query and the CONTEXT query, through demuxer, decoder and
   * queues */
  g_mutex_lock (&detection.lock);
  g_assert_true (detection.asked);
  assert_offline_fields (detection.query_answer, id);
  g_assert_nonnull (detection.context);
  g_assert_cmpstr (gst_context_get_context_type (detection.context), ==, "offlinemgr.source");
  assert_offline_fields (gst_context_get_structure (detection.context), id);
  g_mutex_unlock (&detection.lock);

  /* and the context the source posted (HAVE_CONTEXT), which the bins keep */
  {
    g_autoptr(GstContext) kept = gst_element_get_context (playbin, "offlinemgr.source");

    g_assert_nonnull (kept);
    g_assert_true (gst_context_is_persistent (kept));
    assert_offline_fields (gst_context_get_structure (kept), id);
  }

  gst_element_set_state (playbin, GST_STATE_NULL);
  g_clear_pointer (&detection.query_answer, gst_structure_free);
  g_clear_pointer (&detection.context, gst_context_unref);
  g_mutex_clear (&detection.lock);
}

/* offlinesrc by hand, its video pad decoded, the audio pad too. */
static void
test_pipeline (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strdup_printf (
      "offlinesrc name=src entry-id=hls-fmp4 store-path=\"%s\" "
      "src.video_0 ! queue ! decodebin ! fakesink name=vsink sync=false signal-handoffs=true "
      "src.audio_0 ! queue ! decodebin ! fakesink sync=false", store_path);
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GObject) entry = NULL;
  int frames = 0;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "vsink");
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  offline_test_count_buffers (sink, &frames);
  message = offline_test_play_to_end (pipeline);
  offline_test_assert_eos (message);
  g_assert_cmpint (g_atomic_int_get (&frames), ==, FRAMES);

  g_object_get (src, "entry", &entry, NULL);
  g_assert_true (OFFLINE_IS_ENTRY (entry));
  g_assert_cmpstr (offline_entry_get_id (OFFLINE_ENTRY (entry)), ==, "hls-fmp4");
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
test_uri (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) src = gst_element_make_from_uri (GST_URI_SRC, "offline://a%20b%2Fc%25", NULL,
                                                         &error);
  g_autofree char *id = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  gboolean is_offline, is_live;

  g_assert_no_error (error);
  g_assert_nonnull (src);
  g_object_get (src, "entry-id", &id, "is-offline", &is_offline, "is-live", &is_live,
                "store-path", &path, NULL);
  g_assert_cmpstr (id, ==, "a b/c%");
  g_assert_true (is_offline);
  g_assert_false (is_live);
  g_assert_cmpstr (path, ==, store_path);
  uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
  g_assert_cmpstr (uri, ==, "offline://a%20b%2Fc%25");

  g_assert_false (gst_uri_handler_set_uri (GST_URI_HANDLER (src), "offline://", &error));
  g_assert_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI);

  /* what the entry id check refuses, named in the message; the id stays */
  {
    g_autofree char *long_id = g_strnfill (256, 'x');
    g_autofree char *long_uri = g_strconcat ("offline://", long_id, NULL);
    const struct { const char *uri; const char *why; } bad[] = {
      { "offline://a%00b", "NUL" },
      { "offline://a%FFb", "UTF-8" },
      { "offline://%C3", "UTF-8" },
      { long_uri, "256 bytes" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
      g_autofree char *kept = NULL;

      g_clear_error (&error);
      g_assert_false (gst_uri_handler_set_uri (GST_URI_HANDLER (src), bad[i].uri, &error));
      g_assert_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI);
      g_assert_nonnull (strstr (error->message, bad[i].why));
      g_object_get (src, "entry-id", &kept, NULL);
      g_assert_cmpstr (kept, ==, "a b/c%");
    }
  }
}

/* An entry-id property that cannot be an id fails the start with
 * OFFLINE_ERROR_INVALID_ARGUMENT. */
static void
test_invalid_entry_id (void)
{
  g_autofree char *long_id = g_strnfill (256, 'x');
  const char *ids[] = { "", long_id, "a\xff" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_autoptr(GstElement) pipeline = gst_pipeline_new (NULL);
    g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
    g_autoptr(GstMessage) message = NULL;
    GstElement *src = gst_element_factory_make ("offlinesrc", NULL);

    g_object_set (src, "entry-id", ids[i], NULL);
    gst_bin_add (GST_BIN (pipeline), src);
    gst_element_set_state (pipeline, GST_STATE_PAUSED);
    message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_ERROR);
    g_assert_nonnull (message);
    g_assert_cmpint (offline_test_offline_error_code (message), ==, OFFLINE_ERROR_INVALID_ARGUMENT);
    gst_element_set_state (pipeline, GST_STATE_NULL);
  }
}

static void
test_missing_entry (void)
{
  offline_test_assert_play_fails ("no-such-entry", OFFLINE_ERROR_NOT_FOUND);
}

static void
test_removed_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStoredEntry) stored = offline_stored_entry_open (store_path, DAMAGED_ID, &error);
  GArray *resources;
  const char *path;

  g_assert_no_error (error);
  resources = offline_stored_entry_get_parts (stored);
  path = g_array_index (resources, OfflineStoredPart, resources->len - 1).path;
  g_assert_cmpint (g_unlink (path), ==, 0);
  offline_test_assert_play_fails (DAMAGED_ID, OFFLINE_ERROR_ENTRY_DAMAGED);
}

static void
test_gst_launch (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;

  /* the environment (GST_PLUGIN_PATH, OFFLINEMGR_STORE) is inherited */
  process = g_subprocess_launcher_spawn (launcher, &error, "gst-launch-1.0", "-q",
                                         "playbin", "uri=offline://dash-template",
                                         "video-sink=fakesink", "audio-sink=fakesink", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

/* How test_cli_play() runs `offlinemgr play`. */
typedef enum {
  PLAY_HEADLESS,        /* --headless */
  PLAY_NO_DISPLAY,      /* window mode, with no display */
  PLAY_WINDOW,          /* window mode, on an Xvfb display */
} PlayMode;

/* `offlinemgr --store STORE play ID [--headless]` (the tool meson built,
 * $OFFLINEMGR_CLI; GST_PLUGIN_PATH is inherited), with no display in its
 * environment, or (PLAY_WINDOW) under `xvfb-run -a` ($OFFLINEMGR_XVFB_RUN),
 * which gives it one (from display :131 up): its exit status. */
static int
run_play (const char  *id,
          PlayMode     mode,
          char       **out,
          char       **err)
{
  const char *cli = g_getenv ("OFFLINEMGR_CLI");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_assert_nonnull (cli);
  g_assert_nonnull (g_getenv ("GST_PLUGIN_PATH"));
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  /* in an ASan build, the sanitizer runtime preloaded for gst-launch-1.0
   * (tests/meson.build) is not for xvfb-run's Xvfb and xauth, which never
   * load offlinemgr; the tool is linked with its own */
  g_subprocess_launcher_unsetenv (launcher, "LD_PRELOAD");
  if (mode == PLAY_WINDOW) {
    g_ptr_array_add (argv, (gpointer) g_getenv ("OFFLINEMGR_XVFB_RUN"));
    /* `-a` alone starts at :99 like test-examples' does: two xvfb-run
     * picking :99 at once share one server with the other's cookie
     * ("Could not initialise X output"); each test starts its search at
     * a number of its own (test-examples :151, test-gtk-demo :173) */
    g_ptr_array_add (argv, "-n");
    g_ptr_array_add (argv, "131");
    g_ptr_array_add (argv, "-a");
  }
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, "--store");
  g_ptr_array_add (argv, store_path);
  g_ptr_array_add (argv, "play");
  g_ptr_array_add (argv, (gpointer) id);
  if (mode == PLAY_HEADLESS)
    g_ptr_array_add (argv, "--headless");
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* "H:MM:SS.NNNNNNNNN" (GST_TIME_FORMAT) at @text. */
static GstClockTime
parse_time (const char *text)
{
  guint h, m, s, ns;

  g_assert_cmpint (sscanf (text, "%u:%u:%u.%u", &h, &m, &s, &ns), ==, 4);
  return ((GstClockTime) h * 3600 + m * 60 + s) * GST_SECOND + ns;
}

/* With --headless, or in window mode on a machine with no display (it
 * then says so and plays headless), it prints the position each second
 * and at the end; in window mode on a display, it says which video sink
 * shows the window (a real one, not a fakesink) and plays to the end. */
static void
test_cli_play (gconstpointer data)
{
  PlayMode mode = GPOINTER_TO_INT (data);
  int status;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;
  const char *last, *slash, *output;
  GstClockTime position, duration;

  if (mode == PLAY_WINDOW && g_getenv ("OFFLINEMGR_XVFB_RUN") == NULL) {
    g_test_skip ("xvfb-run is not installed");
    return;
  }
  status = run_play ("dash-template", mode, &out, &err);
  g_test_message ("stdout:\n%s\nstderr:\n%s", out, err);
  if (status != 0 && mode == PLAY_WINDOW) {
    /* once in a full CI run (not reproduced alone, output not kept then)
     * this failed with status 1: one more try, its output logged above */
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    status = run_play ("dash-template", mode, &out, &err);
    g_test_message ("again: stdout:\n%s\nstderr:\n%s", out, err);
  }
  g_assert_cmpint (status, ==, 0);
  if (mode == PLAY_NO_DISPLAY)
    g_assert_nonnull (strstr (err, "offlinemgr: no display"));
  else
    g_assert_null (strstr (err, "no display"));
  output = strstr (out, "video output: ");
  if (mode == PLAY_WINDOW) {
    g_assert_nonnull (output);
    g_assert_false (g_str_has_prefix (output + strlen ("video output: "), "fakesink"));
  } else {
    g_assert_null (output);
  }
  g_assert_true (g_str_has_suffix (out, "end of stream\n"));
  lines = g_strsplit (out, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >=, 3);          /* …, "POSITION / DURATION", "end of stream", "" */
  last = lines[n - 3];
  slash = strstr (last, " / ");
  g_assert_nonnull (slash);
  position = parse_time (last);
  duration = parse_time (slash + 3);
  g_assert_cmpuint (duration, ==, DURATION);
  g_assert_cmpint (ABS ((gint64) position - (gint64) duration), <=, (gint64) FRAME);
}

static void
test_cli_play_missing (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_play ("nope", PLAY_HEADLESS, &out, &err), ==, 1);
  g_test_message ("stderr:\n%s", err);
  g_assert_nonnull (strstr (err, "offlinemgr: OFFLINE_ERROR_NOT_FOUND: "));
  g_assert_null (strstr (out, "end of stream"));
}

/* Stores the fixtures, and DAMAGED_ID as a copy of the first. */
static void
store_fixtures (OfflineTestStoring *storing)
{
  for (guint i = 0; i <= G_N_ELEMENTS (fixtures); i++) {
    const char *id = i < G_N_ELEMENTS (fixtures) ? fixtures[i].id : DAMAGED_ID;

    offline_test_store_fixture (storing, id, fixtures[i % G_N_ELEMENTS (fixtures)].path, NULL);
  }
  offline_test_store_fixture (storing, PROGRESSIVE_ID, "progressive/clip.mp4", NULL);
}

/* Adds the test /offlinesrc/FACTORY/ID@what: @func with a PlayCase, kept
 * in @plays (GLib frees a case's data only if the case runs: not with -p). */
static void
add_play_test (GPtrArray     *plays,
               const char    *factory,
               const char    *id,
               const char    *what,
               GTestDataFunc  func)
{
  PlayCase *play = g_new0 (PlayCase, 1);
  g_autofree char *name = g_strdup_printf ("/offlinesrc/%s/%s%s", factory, id, what);

  play->factory = factory;
  play->id = id;
  g_ptr_array_add (plays, play);
  g_test_add_data_func (name, play, func);
}

int
main (int    argc,
      char **argv)
{
  static const char *const factories[] = { "playbin", "playbin3" };
  g_autoptr(GPtrArray) plays = g_ptr_array_new_with_free_func (g_free);
  char *tmp_dir;

  tmp_dir = offline_test_init_with_store (&argc, &argv, "offlinesrc-test-XXXXXX", store_fixtures, &store_path);

  g_test_add_func ("/offlinesrc/uri", test_uri);
  for (guint i = 0; i < G_N_ELEMENTS (factories); i++) {
    for (guint j = 0; j < G_N_ELEMENTS (fixtures); j++) {
      add_play_test (plays, factories[i], fixtures[j].id, "", test_playbin);
      if (fixtures[j].splice) {
        add_play_test (plays, factories[i], fixtures[j].id, "/av-sync", test_discontinuity_sync);
        add_play_test (plays, factories[i], fixtures[j].id, "/seek", test_discontinuity_seek);
      }
    }
  }
  g_test_add_data_func ("/offlinesrc/detect", "hls-fmp4", test_detect);
  g_test_add_data_func ("/offlinesrc/detect/progressive", PROGRESSIVE_ID, test_detect);
  g_test_add_func ("/offlinesrc/pipeline", test_pipeline);
  g_test_add_func ("/offlinesrc/gst-launch", test_gst_launch);
  g_test_add_func ("/offlinesrc/error/missing-entry", test_missing_entry);
  g_test_add_func ("/offlinesrc/error/invalid-entry-id", test_invalid_entry_id);
  g_test_add_func ("/offlinesrc/error/removed-file", test_removed_file);
  g_test_add_data_func ("/offlinesrc/cli/play", GINT_TO_POINTER (PLAY_HEADLESS), test_cli_play);
  g_test_add_data_func ("/offlinesrc/cli/play-no-display", GINT_TO_POINTER (PLAY_NO_DISPLAY),
                        test_cli_play);
  g_test_add_data_func ("/offlinesrc/cli/play-window", GINT_TO_POINTER (PLAY_WINDOW),
                        test_cli_play);
  g_test_add_func ("/offlinesrc/cli/play-missing", test_cli_play_missing);

  return offline_test_run_and_remove (tmp_dir, store_path);
}
