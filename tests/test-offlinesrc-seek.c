/* test-offlinesrc-seek.c: seeking offline:// entries through playbin and
 * playbin3: flushing (accurate and key-unit), non-flushing and segment
 * seeks; flushing seeks from two threads at once
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

/* ---- seeks at once ---- */

#define SEEKERS 2
#define SEEKS_EACH 40

/* How a sink ends: GstBin (1.22) keeps a sink's EOS message across
 * flushing seeks that change no state, so after seeks sent to
 * offlinesrc's pads the pipeline's EOS may gather stale ones and come
 * early, with another seek's seqnum, and then never for the last seek.
 * The test counts the sinks' EOS events of the last seek instead. */
typedef struct {
  GMutex lock;
  GCond cond;
  guint32 seqnum;               /* the last seek's, or GST_SEQNUM_INVALID */
  guint sinks;                  /* linked so far */
  guint ended;                  /* sinks that got EOS of @seqnum */
} SinksEnd;

typedef struct {
  GstElement *pipeline;
  GstElement *src;
  SinkRecord video;
  SinksEnd *end;
  guint seeker;                 /* which seeker (a thread) */
} Concurrent;

static GstPadProbeReturn
sink_eos_probe (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  SinksEnd *end = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&end->lock);
  if (end->seqnum != GST_SEQNUM_INVALID &&
      gst_event_get_seqnum (GST_PAD_PROBE_INFO_EVENT (info)) == end->seqnum) {
    end->ended++;
    g_cond_broadcast (&end->cond);
  }
  g_mutex_unlock (&end->lock);
  return GST_PAD_PROBE_OK;
}

/* Waits up to 30 s for every sink's EOS of @seqnum. */
static gboolean
wait_sinks_end (SinksEnd *end)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  gboolean ended;

  g_mutex_lock (&end->lock);
  while (end->ended < end->sinks && g_cond_wait_until (&end->cond, &end->lock, deadline))
    ;
  ended = end->sinks > 0 && end->ended == end->sinks;
  g_mutex_unlock (&end->lock);
  return ended;
}

static void
concurrent_pad_added (GstElement *src,
                      GstPad     *pad,
                      gpointer    user_data)
{
  Concurrent *concurrent = user_data;
  gboolean video = g_str_has_prefix (GST_PAD_NAME (pad), "video");
  GstElement *sink = video ? recording_sink (&concurrent->video, FALSE) :
    gst_element_factory_make ("fakesink", NULL);
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  g_autoptr(GstPad) queue_sink = gst_element_get_static_pad (queue, "sink");
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (sink, "sink");

  g_object_set (sink, "sync", FALSE, NULL);
  gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, sink_eos_probe,
                     concurrent->end, NULL);
  g_mutex_lock (&concurrent->end->lock);
  concurrent->end->sinks++;
  g_mutex_unlock (&concurrent->end->lock);
  gst_bin_add_many (GST_BIN (concurrent->pipeline), queue, sink, NULL);
  g_assert_true (gst_element_link (queue, sink));
  g_assert_cmpint (gst_pad_link (pad, queue_sink), ==, GST_PAD_LINK_OK);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (queue);
}

/* Sends @seek to each of offlinesrc's pads, as the sinks would. */
static void
seek_pads (GstElement *src,
           GstEvent   *seek)
{
  g_autoptr(GstIterator) pads = gst_element_iterate_src_pads (src);
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (pads, &item) == GST_ITERATOR_OK) {
    gst_pad_send_event (g_value_get_object (&item), gst_event_ref (seek));
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_event_unref (seek);
}

static gpointer
seeker_thread (gpointer data)
{
  Concurrent *concurrent = data;
  GRand *rand = g_rand_new_with_seed (concurrent->seeker);

  for (guint i = 0; i < SEEKS_EACH; i++) {
    GstClockTime target = g_rand_int_range (rand, 0, 6) * GST_SECOND;

    seek_pads (concurrent->src,
               gst_event_new_seek (1.0, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH, GST_SEEK_TYPE_SET,
                                   target, GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE));
    g_usleep (g_rand_int_range (rand, 0, 3000));
  }
  g_rand_free (rand);
  return NULL;
}

/* Flushing seeks from two threads at once (as an application's seek may
 * meet offlinesrc's own start over): each track pushes its SEGMENT before
 * its data (GStreamer warns otherwise, which fails the test), and a last
 * seek to 2 s then ends every track with its EOS, after exactly the 4 s
 * from there. */
static void
test_concurrent (void)
{
  Concurrent concurrent[SEEKERS] = { { 0 } };
  SinksEnd end = { .seqnum = GST_SEQNUM_INVALID };
  GThread *threads[SEEKERS];
  g_autoptr(GstElement) pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("offlinesrc", NULL);
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) error = NULL;
  GstEvent *last_seek;

  g_mutex_init (&end.lock);
  g_cond_init (&end.cond);
  concurrent[0].pipeline = pipeline;
  concurrent[0].src = src;
  concurrent[0].end = &end;
  g_object_set (src, "entry-id", "dash-template", "store-path", store_path, NULL);
  g_signal_connect (src, "pad-added", G_CALLBACK (concurrent_pad_added), &concurrent[0]);
  gst_bin_add (GST_BIN (pipeline), src);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  offline_test_wait_async_done (pipeline);

  for (guint i = 0; i < SEEKERS; i++) {
    concurrent[i].src = src;
    concurrent[i].seeker = i + 1;
    threads[i] = g_thread_new ("seeker", seeker_thread, &concurrent[i]);
  }
  for (guint i = 0; i < SEEKERS; i++)
    g_thread_join (threads[i]);

  last_seek = gst_event_new_seek (1.0, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH, GST_SEEK_TYPE_SET,
                                  2 * GST_SECOND, GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
  g_mutex_lock (&end.lock);
  end.seqnum = gst_event_get_seqnum (last_seek);
  g_mutex_unlock (&end.lock);
  g_assert_true (gst_element_send_event (pipeline, last_seek));
  if (!wait_sinks_end (&end)) {
    error = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    g_error ("%u of %u sinks got the last seek's EOS in 30 s%s%s", end.ended, end.sinks,
             error != NULL ? "; " : "",
             error != NULL ? offline_test_describe_message (error) : "");
  }
  error = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_assert_null (error);
  /* a sink per track: none was left out of the count */
  g_assert_cmpuint (end.sinks, ==, src->numsrcpads);
  g_assert_cmpuint (end.sinks, >=, 2);
  g_mutex_lock (&concurrent[0].video.lock);
  g_assert_cmpuint (concurrent[0].video.first, ==, 2 * GST_SECOND);
  g_assert_cmpuint (concurrent[0].video.total, ==, (DURATION - 2 * GST_SECOND) / FRAME);
  g_mutex_unlock (&concurrent[0].video.lock);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_mutex_clear (&concurrent[0].video.lock);
  g_mutex_clear (&end.lock);
  g_cond_clear (&end.cond);
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
  g_test_add_func ("/offlinesrc-seek/concurrent", test_concurrent);

  return offline_test_run_and_remove (tmp_dir, store_path);
}
