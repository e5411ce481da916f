/* test-offlinesrc-seek.c: seeking offline:// entries through playbin and
 * playbin3: flushing (accurate and key-unit), non-flushing and segment
 * seeks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Like test-offlinesrc.c, main() downloads the fixtures through the
 * library from the real test server into a temporary store, stops the
 * server, and points OFFLINEMGR_STORE at the store: everything then plays
 * with no server.
 */
#include "config.h"

#include <gst/gst.h>

#include "offline.h"
#include "offline-test-gst.h"

#define DURATION (6 * GST_SECOND)       /* see tests/data/README.md */
#define FRAME (GST_SECOND / 25)
#define FRAMES_PER_SEGMENT 50           /* 2 s segments, each a GOP */

/* The entries stored by main(): id → fixture. */
static const struct {
  const char *id;
  const char *path;
} fixtures[] = {
  { "dash-template", "dash/template-number/manifest.mpd" },   /* fMP4, 2 WebVTT tracks */
  { "hls-fmp4", "hls/fmp4/master.m3u8" },
  { "hls-muxed", "hls/muxed/master.m3u8" },                   /* MPEG-TS, audio muxed in */
};

/* Set once by main() before the tests run, then read-only. */
static char *store_path;

typedef struct {
  const char *factory;          /* "playbin" or "playbin3" */
  const char *id;
  GstClockTime target;
  GstSeekFlags flags;
} SeekCase;

/* What a sink got. Guarded by @lock. */
typedef struct {
  GMutex lock;
  GstSegment segment;           /* the last one */
  guint segments;               /* different SEGMENT events so far */
  GstClockTime first;           /* stream time of the first buffer since the last
                                 * flush or segment, or NONE */
  guint buffers;                /* since the last flush or segment */
  guint total;                  /* since the last flush */
  guint segment_dones;          /* SEGMENT_DONE events so far */
} SinkRecord;

static GstPadProbeReturn
record_probe (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  SinkRecord *record = user_data;

  g_mutex_lock (&record->lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

    if (!GST_CLOCK_TIME_IS_VALID (record->first) && GST_BUFFER_PTS_IS_VALID (buffer))
      record->first = gst_segment_to_stream_time (&record->segment, GST_FORMAT_TIME,
                                                  GST_BUFFER_PTS (buffer));
    record->buffers++;
    record->total++;
  } else {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT_DONE)
      record->segment_dones++;
    if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
      record->first = GST_CLOCK_TIME_NONE;
      record->buffers = record->total = 0;
    } else if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT) {
      GstSegment segment;

      /* a new one, not the same sent again (decodebin3 may) */
      gst_event_copy_segment (event, &segment);
      if (record->segments == 0 || segment.time != record->segment.time ||
          segment.base != record->segment.base) {
        record->first = GST_CLOCK_TIME_NONE;
        record->buffers = 0;
        record->segments++;
      }
      record->segment = segment;
    }
  }
  g_mutex_unlock (&record->lock);
  return GST_PAD_PROBE_OK;
}

static GstElement *
recording_sink (SinkRecord *record,
                gboolean    sync)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (sink, "sink");

  g_mutex_init (&record->lock);
  gst_segment_init (&record->segment, GST_FORMAT_TIME);
  record->first = GST_CLOCK_TIME_NONE;
  g_object_set (sink, "sync", sync, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
                     GST_PAD_PROBE_TYPE_EVENT_FLUSH, record_probe, record, NULL);
  return sink;
}

static GstElement *
make_player (const SeekCase *seek,
             SinkRecord     *video,
             SinkRecord     *audio,
             gboolean        sync)
{
  GstElement *player = gst_element_factory_make (seek->factory, NULL);
  g_autofree char *uri = g_strconcat ("offline://", seek->id, NULL);
  GstElement *text_sink = gst_element_factory_make ("fakesink", NULL);

  g_assert_nonnull (player);
  /* the text streams play too, into a sink of their own: not drawn into
   * the video by playbin's textoverlay (gstreamer1.0-x), which would
   * change what the video sink gets */
  g_object_set (text_sink, "sync", sync, NULL);
  g_object_set (player, "uri", uri,
                "video-sink", recording_sink (video, sync),
                "audio-sink", recording_sink (audio, sync),
                "text-sink", text_sink,
                NULL);
  return player;
}

static void
clear_records (SinkRecord *video,
               SinkRecord *audio)
{
  g_mutex_clear (&video->lock);
  g_mutex_clear (&audio->lock);
}

/* ---- flushing seeks ---- */

static void
test_flushing (gconstpointer data)
{
  const SeekCase *seek = data;
  SinkRecord video, audio;
  g_autoptr(GstElement) player = make_player (seek, &video, &audio, FALSE);
  g_autoptr(GstMessage) message = NULL;
  gint64 position = -1;
  GstClockTime first;

  gst_element_set_state (player, GST_STATE_PAUSED);
  offline_test_wait_async_done (player);
  g_assert_true (gst_element_seek_simple (player, GST_FORMAT_TIME,
                                          GST_SEEK_FLAG_FLUSH | seek->flags, seek->target));
  offline_test_wait_async_done (player);

  g_mutex_lock (&video.lock);
  first = video.first;
  g_assert_true (GST_CLOCK_TIME_IS_VALID (first));
  if (seek->flags & GST_SEEK_FLAG_ACCURATE) {
    g_assert_cmpuint (first, >=, seek->target);
    g_assert_cmpuint (first, <, seek->target + FRAME);
  } else {
    /* stored segments (2 s, a GOP each) start with a key frame */
    g_assert_cmpuint (first, <=, seek->target);
    g_assert_cmpuint (first + 2 * GST_SECOND, >, seek->target);
  }
  g_mutex_unlock (&video.lock);
  g_mutex_lock (&audio.lock);
  g_assert_true (GST_CLOCK_TIME_IS_VALID (audio.first));
  /* an audio buffer (1024 samples) may start a little before the video */
  g_assert_cmpint (ABS ((gint64) audio.first - (gint64) first), <=, FRAME);
  g_assert_cmpuint (audio.segment.time, ==, video.segment.time);
  g_mutex_unlock (&audio.lock);

  message = offline_test_play_to_end (player);
  offline_test_assert_eos (message);
  g_assert_true (gst_element_query_position (player, GST_FORMAT_TIME, &position));
  g_assert_cmpint (ABS (position - (gint64) DURATION), <=, FRAME);
  gst_element_set_state (player, GST_STATE_NULL);
  clear_records (&video, &audio);
}

/* ---- non-flushing seeks ---- */

/* Playing in real time (synchronised sinks), a non-flushing seek to the
 * last stored segment: what was already on its way plays, then the new
 * segment follows on without a gap in running time, to EOS. */
static void
test_non_flushing (gconstpointer data)
{
  const SeekCase *seek = data;
  SinkRecord video, audio;
  g_autoptr(GstElement) player = make_player (seek, &video, &audio, TRUE);
  g_autoptr(GstBus) bus = gst_element_get_bus (player);
  g_autoptr(GstMessage) message = NULL;
  gint64 position = -1;

  gst_element_set_state (player, GST_STATE_PLAYING);
  offline_test_wait_async_done (player);
  /* a little playback first, so the seek comes while data flows */
  for (int i = 0; i < 200 && position < 300 * (gint64) GST_MSECOND; i++) {
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    if (!gst_element_query_position (player, GST_FORMAT_TIME, &position))
      position = -1;
  }
  g_assert_cmpint (position, >=, 300 * GST_MSECOND);
  g_assert_true (gst_element_seek (player, 1.0, GST_FORMAT_TIME, seek->flags,
                                   GST_SEEK_TYPE_SET, seek->target,
                                   GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE));
  message = gst_bus_timed_pop_filtered (bus, OFFLINE_TEST_GST_TIMEOUT,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  offline_test_assert_eos (message);

  g_mutex_lock (&video.lock);
  /* the first segment, then the seek's */
  g_assert_cmpuint (video.segments, >=, 2);
  g_assert_cmpuint (video.segment.time, ==, seek->target);
  /* it carries on from where the tracks had got to (at least where
   * playback was; at most the end of the stored segment being pushed:
   * playbin3's queues may have taken all of them by then), not from 0 */
  g_assert_cmpuint (video.segment.base, >=, (GstClockTime) position);
  g_assert_cmpuint (video.segment.base, <=, DURATION + FRAME);
  g_assert_cmpuint (video.first, ==, seek->target);
  g_assert_cmpuint (video.buffers, ==, (DURATION - seek->target) / FRAME);
  g_mutex_unlock (&video.lock);
  g_mutex_lock (&audio.lock);
  g_assert_cmpuint (audio.segment.time, ==, seek->target);
  g_assert_cmpuint (audio.buffers, >, 0);
  g_mutex_unlock (&audio.lock);
  gst_element_set_state (player, GST_STATE_NULL);
  clear_records (&video, &audio);
}

/* ---- segment seeks ---- */

/* Waits for the SEGMENT_DONE message, failing on EOS, ERROR or timeout,
 * and returns its position; with @until_async_done, waits for
 * ASYNC_DONE too (a seek in PAUSED: the message may come first). Then
 * waits until the SEGMENT_DONE event reached the video sink, after the
 * last frame (decoders drain on it). */
static gint64
wait_segment_done (GstElement *player,
                   SinkRecord *video,
                   gboolean    until_async_done)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (player);
  gint64 position = -1;
  guint dones;

  g_mutex_lock (&video->lock);
  dones = video->segment_dones;
  g_mutex_unlock (&video->lock);
  while (position < 0 || until_async_done) {
    g_autoptr(GstMessage) message =
      gst_bus_timed_pop_filtered (bus, OFFLINE_TEST_GST_TIMEOUT,
                                  GST_MESSAGE_SEGMENT_DONE | GST_MESSAGE_ASYNC_DONE |
                                  GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    GstFormat format;

    if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_ASYNC_DONE) {
      until_async_done = FALSE;
    } else if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_SEGMENT_DONE) {
      gst_message_parse_segment_done (message, &format, &position);
      g_assert_cmpint (format, ==, GST_FORMAT_TIME);
    } else {
      g_autofree char *text = offline_test_describe_message (message);

      g_error ("expected SEGMENT_DONE, got %s", text);
    }
  }
  for (int i = 0; i < 1000; i++) {
    g_mutex_lock (&video->lock);
    if (video->segment_dones > dones) {
      g_mutex_unlock (&video->lock);
      return position;
    }
    g_mutex_unlock (&video->lock);
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  }
  g_error ("the video sink got no SEGMENT_DONE event");
  return -1;
}

/* The frames a segment of @seek plays: all 50, except that from MPEG-TS
 * the last may stay in tsdemux / h264parse, which only drain at EOS (a
 * segment seek ends with SEGMENT_DONE). */
static void
assert_segment_frames (const SeekCase *seek,
                       guint           frames)
{
  g_assert_cmpuint (frames, <=, FRAMES_PER_SEGMENT);
  if (g_str_equal (seek->id, "hls-muxed"))
    g_assert_cmpuint (frames, >=, FRAMES_PER_SEGMENT - 1);
  else
    g_assert_cmpuint (frames, ==, FRAMES_PER_SEGMENT);
}

/* A flushing segment seek to [2 s, 4 s) ends with SEGMENT_DONE, not EOS;
 * from there a non-flushing segment seek plays the same stretch again,
 * as an application looping it would. */
static void
test_segment (gconstpointer data)
{
  const SeekCase *seek = data;
  SinkRecord video, audio;
  g_autoptr(GstElement) player = make_player (seek, &video, &audio, FALSE);
  GstClockTime stop = seek->target + 2 * GST_SECOND;

  gst_element_set_state (player, GST_STATE_PAUSED);
  offline_test_wait_async_done (player);
  g_assert_true (gst_element_seek (player, 1.0, GST_FORMAT_TIME,
                                   GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_SEGMENT | seek->flags,
                                   GST_SEEK_TYPE_SET, seek->target, GST_SEEK_TYPE_SET, stop));
  gst_element_set_state (player, GST_STATE_PLAYING);
  g_assert_cmpint (wait_segment_done (player, &video, TRUE), ==, stop);
  g_mutex_lock (&video.lock);
  g_assert_cmpuint (video.first, ==, seek->target);
  assert_segment_frames (seek, video.buffers);
  g_mutex_unlock (&video.lock);

  /* again, without flushing */
  g_assert_true (gst_element_seek (player, 1.0, GST_FORMAT_TIME,
                                   GST_SEEK_FLAG_SEGMENT | seek->flags,
                                   GST_SEEK_TYPE_SET, seek->target, GST_SEEK_TYPE_SET, stop));
  g_assert_cmpint (wait_segment_done (player, &video, FALSE), ==, stop);
  g_mutex_lock (&video.lock);
  g_assert_cmpuint (video.segment.time, ==, seek->target);
  g_assert_cmpuint (video.first, ==, seek->target);
  assert_segment_frames (seek, video.buffers);
  assert_segment_frames (seek, video.total - video.buffers);
  g_mutex_unlock (&video.lock);
  g_mutex_lock (&audio.lock);
  g_assert_cmpuint (audio.buffers, >, 0);
  g_mutex_unlock (&audio.lock);
  gst_element_set_state (player, GST_STATE_NULL);
  clear_records (&video, &audio);
}

static void
test_seeking_query (void)
{
  SeekCase seek = { "playbin", "hls-fmp4", 0, 0 };
  SinkRecord video, audio;
  g_autoptr(GstElement) player = make_player (&seek, &video, &audio, FALSE);
  g_autoptr(GstQuery) query = gst_query_new_seeking (GST_FORMAT_TIME);
  gboolean seekable = FALSE;
  gint64 start = -1, end = -1;

  gst_element_set_state (player, GST_STATE_PAUSED);
  offline_test_wait_async_done (player);
  g_assert_true (gst_element_query (player, query));
  gst_query_parse_seeking (query, NULL, &seekable, &start, &end);
  g_assert_true (seekable);
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, DURATION);
  gst_element_set_state (player, GST_STATE_NULL);
  clear_records (&video, &audio);
}

static void
store_fixtures (OfflineTestStoring *storing)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    offline_test_store_fixture (storing, fixtures[i].id, fixtures[i].path, NULL);
}

static void
add_case (const char     *kind,
          GTestDataFunc   func,
          const char     *factory,
          const char     *id,
          GstClockTime    target,
          GstSeekFlags    flags)
{
  SeekCase *seek = g_new0 (SeekCase, 1);
  g_autofree char *name = g_strdup_printf ("/offlinesrc-seek/%s/%s/%s/%s/%" G_GUINT64_FORMAT "ms",
                                           kind, factory, id,
                                           (flags & GST_SEEK_FLAG_ACCURATE) ? "accurate" : "key-unit",
                                           target / GST_MSECOND);

  seek->factory = factory;
  seek->id = id;
  seek->target = target;
  seek->flags = flags;
  g_test_add_data_func_full (name, seek, func, g_free);
}

int
main (int    argc,
      char **argv)
{
  static const char *const factories[] = { "playbin", "playbin3" };
  static const GstClockTime targets[] = { 2 * GST_SECOND, 4400 * GST_MSECOND };
  char *tmp_dir = offline_test_init_with_store (&argc, &argv, "offlinesrc-seek-XXXXXX",
                                                store_fixtures, &store_path);

  for (guint f = 0; f < G_N_ELEMENTS (factories); f++) {
    for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++) {
      for (guint t = 0; t < G_N_ELEMENTS (targets); t++) {
        add_case ("flushing", test_flushing, factories[f], fixtures[i].id, targets[t],
                  GST_SEEK_FLAG_ACCURATE);
        add_case ("flushing", test_flushing, factories[f], fixtures[i].id, targets[t],
                  GST_SEEK_FLAG_KEY_UNIT);
      }
    }
    for (guint i = 0; i < G_N_ELEMENTS (fixtures); i += 2) {
      add_case ("non-flushing", test_non_flushing, factories[f], fixtures[i].id,
                4 * GST_SECOND, GST_SEEK_FLAG_KEY_UNIT);
      add_case ("segment", test_segment, factories[f], fixtures[i].id, 2 * GST_SECOND,
                GST_SEEK_FLAG_ACCURATE);
    }
  }
  g_test_add_func ("/offlinesrc-seek/seeking-query", test_seeking_query);

  return offline_test_run_and_remove (tmp_dir, store_path);
}
