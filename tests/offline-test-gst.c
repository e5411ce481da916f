/* offline-test-gst.c: helpers shared by the GStreamer element tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-test-gst.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gst/video/video.h>

#include "offline-stored-entry.h"

static void
count_buffer (GstElement *sink,
              GstBuffer  *buffer,
              GstPad     *pad,
              gpointer    user_data)
{
  g_atomic_int_inc ((int *) user_data);
}

/* What a sink counts is what plays after the last flush: offlinesrc
 * starts over (a flushing seek to the start) when a push of the first
 * data met a sink not yet ready, which a loaded machine makes happen;
 * what was rendered before that plays again. */
static GstPadProbeReturn
restart_count (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_FLUSH_STOP)
    g_atomic_int_set ((int *) user_data, 0);
  return GST_PAD_PROBE_OK;
}

void
offline_test_count_buffers (GstElement *sink,
                            int        *count)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (sink, "sink");

  g_signal_connect (sink, "handoff", G_CALLBACK (count_buffer), count);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_FLUSH, restart_count, count, NULL);
}

GstElement *
offline_test_counting_sink (int *count)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_assert_nonnull (sink);
  g_object_set (sink, "sync", FALSE, "signal-handoffs", TRUE, NULL);
  offline_test_count_buffers (sink, count);
  return sink;
}

/* With GST_DEBUG_DUMP_DOT_DIR set, a graph of @pipeline as it is when a
 * wait timed out (element states, pads, caps), to see what got stuck. */
static void
dump_on_timeout (GstElement *pipeline,
                 GstMessage *message)
{
  if (message == NULL)
    GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (pipeline), GST_DEBUG_GRAPH_SHOW_ALL,
                                       "offline-test-timeout");
}

GstMessage *
offline_test_play_to_end (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  GstMessage *message;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, OFFLINE_TEST_GST_TIMEOUT,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  dump_on_timeout (pipeline, message);
  return message;
}

void
offline_test_wait_async_done (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message =
    gst_bus_timed_pop_filtered (bus, OFFLINE_TEST_GST_TIMEOUT,
                                GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);

  dump_on_timeout (pipeline, message);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    offline_test_assert_eos (message);   /* fails with the error */
}

char *
offline_test_describe_message (GstMessage *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;

  if (message == NULL)
    return g_strdup ("timeout (no EOS or ERROR)");
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    return g_strdup ("EOS");
  gst_message_parse_error (message, &error, &debug);
  return g_strdup_printf ("ERROR from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
                          error->message, debug);
}

void
offline_test_assert_eos (GstMessage *message)
{
  if (message == NULL || GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS) {
    g_autofree char *text = offline_test_describe_message (message);

    g_error ("expected EOS, got %s", text);
  }
}

int
offline_test_offline_error_code (GstMessage *message)
{
  const GstStructure *details = NULL;
  int code = -1;

  gst_message_parse_error_details (message, &details);
  if (details == NULL ||
      g_strcmp0 (gst_structure_get_string (details, "offline-error-domain"),
                 "offline-error-quark") != 0 ||
      !gst_structure_get_int (details, "offline-error-code", &code))
    return -1;
  return code;
}

/* ---- playbin3: a parsebin's data after its collection, to a ready decodebin3 ----
 *
 * Two races of GStreamer 1.22's playbin3 (seen on a loaded machine, with
 * file:// and offline:// alike) when urisourcebin parses a non-adaptive
 * source (file://, offline:// of a progressive entry) with a parsebin:
 *
 * - decodebin3 takes each parsed stream through an identity that it
 *   creates only when the stream's STREAM_COLLECTION event arrives, and
 *   parsebin pushes that event (its "fallback" collection) from the thread
 *   that exposes its pads, right *after* unblocking them
 *   (gst_parse_bin_expose()). When that is not the streaming thread (an
 *   MP3: id3demux exposes, mpegaudioparse streams) the first buffers can
 *   overtake it and meet a sink pad with no target: NOT_LINKED, so
 *   "Internal data stream error", or lost buffers.
 * - uridecodebin3 sets its urisourcebin to PAUSED before decodebin3
 *   (activate_play_item() runs before the bin's own state change): the
 *   stream can reach decodebin3 while it is READY, and the identity it then
 *   adds stays READY, flushing: FLUSHING stops the source's tasks silently
 *   and preroll never ends.
 *
 * - parsebin stores a copy of each sticky event on its output and forwards
 *   another: the stored STREAM_START, never marked as sent, can go out
 *   again much later (seen just before EOS). A decoder in decodebin3
 *   gets its sticky events twice too (STREAM_START, CAPS, then again,
 *   seen before its first buffer; when they come again late, after it).
 *   The audio decoder drains and flushes on a STREAM_START
 *   (gstaudiodecoder.c): an MP3 decoder loses its bit reservoir there and
 *   the PCM after it differs (same length) from one run to the next
 *   (MP3 in playbin3, file:// and offline:// alike).
 *
 * The workaround holds the buffers of each output of a parsebin (a blocking
 * probe) until its STREAM_COLLECTION has gone by and decodebin3 is PAUSED,
 * and drops a STREAM_START repeating the one before (same stream) after
 * buffers have passed, on each output of a parsebin and at the sink pad
 * of each decoder: the order these elements mean to produce. No data
 * is changed or dropped, the same for every URI, so what is compared stays
 * what playbin3 plays. */

typedef struct {
  GMutex lock;
  gboolean decoder_ready;       /* decodebin3 is PAUSED or PLAYING */
  GPtrArray *holds;             /* (element-type Hold) not released yet */
} Order;

typedef struct {
  GstPad *pad;
  gulong id;
  gboolean collection;          /* its STREAM_COLLECTION went by */
} Hold;

static void
hold_free (gpointer data)
{
  Hold *hold = data;

  gst_object_unref (hold->pad);
  g_free (hold);
}

static void
order_free (gpointer data)
{
  Order *order = data;

  g_mutex_clear (&order->lock);
  g_ptr_array_unref (order->holds);
  g_free (order);
}

/* With @order->lock. */
static void
release_ready (Order *order)
{
  for (guint i = 0; i < order->holds->len;) {
    Hold *hold = g_ptr_array_index (order->holds, i);

    if (hold->collection && order->decoder_ready) {
      gst_pad_remove_probe (hold->pad, hold->id);
      g_ptr_array_remove_index_fast (order->holds, i);
    } else {
      i++;
    }
  }
}

/* The blocking probe: a buffer waits here until the probe is removed. */
static GstPadProbeReturn
hold_data (GstPad          *pad,
           GstPadProbeInfo *info,
           gpointer         user_data)
{
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
release_on_collection (GstPad          *pad,
                       GstPadProbeInfo *info,
                       gpointer         user_data)
{
  Order *order = user_data;

  /* (events never wait: the blocking probe is for buffers only) */
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_STREAM_COLLECTION)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&order->lock);
  for (guint i = 0; i < order->holds->len; i++) {
    Hold *hold = g_ptr_array_index (order->holds, i);

    if (hold->pad == pad)
      hold->collection = TRUE;
  }
  release_ready (order);
  g_mutex_unlock (&order->lock);
  return GST_PAD_PROBE_REMOVE;
}

/* What went through an output of a parsebin (its streaming thread). */
typedef struct {
  char stream_id[128];          /* of the last STREAM_START, cut */
  gboolean data;                /* buffers passed since */
} Started;

static GstPadProbeReturn
drop_repeated_start (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         user_data)
{
  Started *started = user_data;
  GstEvent *event;
  const char *id = NULL;

  if (GST_PAD_PROBE_INFO_TYPE (info) & (GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST)) {
    started->data = TRUE;
    return GST_PAD_PROBE_OK;
  }
  event = GST_PAD_PROBE_INFO_EVENT (info);
  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP)
    started->data = FALSE;      /* (a seek: what follows is new data) */
  if (GST_EVENT_TYPE (event) != GST_EVENT_STREAM_START)
    return GST_PAD_PROBE_OK;
  gst_event_parse_stream_start (event, &id);
  if (started->data && id != NULL && strncmp (id, started->stream_id, sizeof started->stream_id - 1) == 0)
    return GST_PAD_PROBE_DROP;
  g_strlcpy (started->stream_id, id != NULL ? id : "", sizeof started->stream_id);
  started->data = FALSE;
  return GST_PAD_PROBE_OK;
}

/* Drops, on @pad, a STREAM_START repeating the one before after data. */
static void
drop_repeated_starts (GstPad *pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST |
                     GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
                     drop_repeated_start, g_new0 (Started, 1), g_free);
}

/* On a new output of a parsebin: it is added before parsebin unblocks it,
 * so the probes are in place before any buffer comes. */
static void
parsebin_pad_added (GstElement *parsebin,
                    GstPad     *pad,
                    gpointer    user_data)
{
  Order *order = user_data;
  g_autoptr(GstEvent) collection = gst_pad_get_sticky_event (pad, GST_EVENT_STREAM_COLLECTION, 0);
  Hold *hold;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  hold = g_new0 (Hold, 1);
  hold->pad = gst_object_ref (pad);
  hold->collection = collection != NULL;     /* (upstream gave one) */
  hold->id = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER |
                                GST_PAD_PROBE_TYPE_BUFFER_LIST, hold_data, NULL, NULL);
  g_mutex_lock (&order->lock);
  g_ptr_array_add (order->holds, hold);
  release_ready (order);
  g_mutex_unlock (&order->lock);
  if (collection == NULL)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, release_on_collection, order,
                       NULL);
  drop_repeated_starts (pad);
}

static gboolean
made_by (GstObject  *object,
         const char *factory_name)
{
  GstElementFactory *factory = GST_IS_ELEMENT (object) ?
    gst_element_get_factory (GST_ELEMENT (object)) : NULL;

  return factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), factory_name);
}

static void
element_added (GstBin     *bin,
               GstBin     *sub_bin,
               GstElement *element,
               gpointer    user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (made_by (GST_OBJECT (element), "parsebin"))
    g_signal_connect (element, "pad-added", G_CALLBACK (parsebin_pad_added), user_data);
  if (factory != NULL &&
      gst_element_factory_list_is_type (factory, GST_ELEMENT_FACTORY_TYPE_DECODER)) {
    g_autoptr(GstPad) sink = gst_element_get_static_pad (element, "sink");

    if (sink != NULL)
      drop_repeated_starts (sink);
  }
}

/* In the thread of a state change of decodebin3, once it is done. */
static GstBusSyncReply
watch_decoder (GstBus     *bus,
               GstMessage *message,
               gpointer    user_data)
{
  Order *order = user_data;
  GstState state;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_STATE_CHANGED ||
      !made_by (GST_MESSAGE_SRC (message), "decodebin3"))
    return GST_BUS_PASS;
  gst_message_parse_state_changed (message, NULL, &state, NULL);
  g_mutex_lock (&order->lock);
  order->decoder_ready = state >= GST_STATE_PAUSED;
  release_ready (order);
  g_mutex_unlock (&order->lock);
  return GST_BUS_PASS;
}

void
offline_test_order_collection (GstElement *player)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (player);
  Order *order = g_new0 (Order, 1);

  g_mutex_init (&order->lock);
  order->holds = g_ptr_array_new_with_free_func (hold_free);
  /* (the bus outlives the player's elements: the order goes with it) */
  gst_bus_set_sync_handler (bus, watch_decoder, order, order_free);
  g_signal_connect (player, "deep-element-added", G_CALLBACK (element_added), order);
}

/* ---- playing stored entries ---- */

/* GstPlayFlags (playbin's, not in a public header) */
#define PLAY_FLAG_TEXT (1 << 2)

GstElement *
offline_test_playbin (const char *id,
                      GstElement *video_sink,
                      GstElement *audio_sink)
{
  return offline_test_player ("playbin", id, video_sink, audio_sink);
}

GstElement *
offline_test_player (const char *factory,
                     const char *id,
                     GstElement *video_sink,
                     GstElement *audio_sink)
{
  GstElement *playbin = gst_element_factory_make (factory, NULL);
  g_autofree char *uri = g_strconcat ("offline://", id, NULL);
  guint flags = 0;

  g_assert_nonnull (playbin);
  g_object_set (playbin, "uri", uri, "video-sink", video_sink, "audio-sink", audio_sink, NULL);
  /* no subtitles drawn into the frames (with pango's textoverlay
   * installed, playbin would): the frames are compared with the source */
  g_object_get (playbin, "flags", &flags, NULL);
  g_object_set (playbin, "flags", flags & ~PLAY_FLAG_TEXT, NULL);
  return playbin;
}

void
offline_test_assert_play_fails (const char *id,
                                int         code)
{
  g_autoptr(GstElement) playbin = offline_test_playbin (id, gst_element_factory_make ("fakesink", NULL),
                                                        gst_element_factory_make ("fakesink", NULL));
  g_autoptr(GstMessage) message = offline_test_play_to_end (playbin);
  g_autoptr(GError) error = NULL;

  if (message == NULL || GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR) {
    g_autofree char *text = offline_test_describe_message (message);

    g_error ("expected an ERROR, got %s", text);
  }
  gst_message_parse_error (message, &error, NULL);
  g_test_message ("%s: %s", id, error->message);
  g_assert_true (error->domain == GST_RESOURCE_ERROR);
  g_assert_cmpint (offline_test_offline_error_code (message), ==, code);
  gst_element_set_state (playbin, GST_STATE_NULL);
}

static gint
compare_resources (gconstpointer a,
                   gconstpointer b)
{
  const OfflineStoredPart *ra = a, *rb = b;

  if (ra->track_index != rb->track_index)
    return ra->track_index < rb->track_index ? -1 : 1;
  return ra->sequence < rb->sequence ? -1 : ra->sequence > rb->sequence;
}

static OfflineStoredEntry *
open_stored (const char *store_path,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  OfflineStoredEntry *stored = offline_stored_entry_open (store_path, id, &error);

  g_assert_no_error (error);
  return stored;
}

GArray *
offline_test_stored_resources (const char    *store_path,
                               const char    *id,
                               OfflineEntry **entry_out)
{
  g_autoptr(OfflineStoredEntry) stored = open_stored (store_path, id);
  GArray *resources = g_array_ref (offline_stored_entry_get_parts (stored));

  g_array_sort (resources, compare_resources);
  if (entry_out != NULL)
    *entry_out = g_object_ref (offline_stored_entry_get_entry (stored));
  return resources;
}

char *
offline_test_resource_path (const char *store_path,
                            const char *id,
                            gint64      resource_id)
{
  g_autoptr(OfflineStoredEntry) stored = open_stored (store_path, id);
  const OfflineStoredPart *part = offline_stored_entry_find_part (stored, resource_id);

  g_assert_nonnull (part);
  return g_strdup (part->path);
}

/* ---- frame-exact playback ---- */

typedef OfflineTestChecksums Checksums;

void
offline_test_checksums_init (Checksums *c)
{
  g_mutex_init (&c->lock);
  c->sums = g_ptr_array_new_with_free_func (g_free);
}

void
offline_test_checksums_clear (Checksums *c)
{
  g_mutex_clear (&c->lock);
  g_ptr_array_unref (c->sums);
}

char *
offline_test_frame_checksum (GstBuffer *buffer,
                             GstCaps   *caps)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  GstVideoInfo info;
  GstVideoFrame frame;

  g_assert_nonnull (caps);
  g_assert_true (gst_video_info_from_caps (&info, caps));
  g_assert_true (gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ));
  for (guint comp = 0; comp < GST_VIDEO_FRAME_N_COMPONENTS (&frame); comp++) {
    const guint8 *data = GST_VIDEO_FRAME_COMP_DATA (&frame, comp);
    int stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, comp);
    int width = GST_VIDEO_FRAME_COMP_WIDTH (&frame, comp) * GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, comp);

    for (int row = 0; row < GST_VIDEO_FRAME_COMP_HEIGHT (&frame, comp); row++)
      g_checksum_update (checksum, data + (gsize) row * stride, width);
  }
  gst_video_frame_unmap (&frame);
  return g_strdup_printf ("%dx%d %s", GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
                          g_checksum_get_string (checksum));
}

static void
checksum_frame (GstElement *sink,
                GstBuffer  *buffer,
                GstPad     *pad,
                gpointer    user_data)
{
  Checksums *c = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  char *sum = offline_test_frame_checksum (buffer, caps);

  g_mutex_lock (&c->lock);
  g_ptr_array_add (c->sums, sum);
  g_mutex_unlock (&c->lock);
}

/* A frame of the video of tests/data (25 fps). */
#define FIXTURE_FRAME (GST_SECOND / 25)

#define CHECKSUM_SINK "videoconvert ! video/x-raw,format=I420 ! " \
  "fakesink name=csink sync=false signal-handoffs=true"

/* As restart_count(): the frames since the last flush. */
static GstPadProbeReturn
restart_checksums (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  Checksums *c = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_FLUSH_STOP) {
    g_mutex_lock (&c->lock);
    g_ptr_array_set_size (c->sums, 0);
    g_mutex_unlock (&c->lock);
  }
  return GST_PAD_PROBE_OK;
}

static void
connect_checksums (GstElement *bin,
                   Checksums  *c)
{
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (bin), "csink");
  g_autoptr(GstPad) pad = NULL;

  g_assert_nonnull (sink);
  g_signal_connect (sink, "handoff", G_CALLBACK (checksum_frame), c);
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_FLUSH, restart_checksums, c, NULL);
}

GstElement *
offline_test_checksum_sink (Checksums *c)
{
  g_autoptr(GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (CHECKSUM_SINK, TRUE, &error);

  g_assert_no_error (error);
  connect_checksums (bin, c);
  return bin;
}

void
offline_test_reference_checksums (const char *const *files,
                                  const char        *demuxer,
                                  const char        *dir,
                                  Checksums         *c)
{
  g_autoptr(GString) bytes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *concat = g_build_filename (dir, "reference", NULL);
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstMessage) message = NULL;

  for (guint i = 0; files[i] != NULL; i++) {
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (g_test_get_filename (G_TEST_DIST, "data", files[i], NULL),
                                        &contents, &length, &error));
    g_assert_no_error (error);
    g_string_append_len (bytes, contents, length);
  }
  g_assert_true (g_file_set_contents (concat, bytes->str, bytes->len, &error));
  g_assert_no_error (error);

  description = g_strdup_printf ("filesrc location=\"%s\" ! %s ! h264parse ! avdec_h264 ! " CHECKSUM_SINK,
                                 concat, demuxer);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  connect_checksums (pipeline, c);
  message = offline_test_play_to_end (pipeline);
  offline_test_assert_eos (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unlink (concat);
}

gint64
offline_test_assert_frames (const char        *id,
                            const char *const *files,
                            const char        *demuxer,
                            const char        *dir,
                            guint              n_frames,
                            GstElement        *audio_sink)
{
  g_autoptr(GstElement) playbin = NULL;
  g_autoptr(GstMessage) message = NULL;
  gint64 duration = -1, position = -1;
  Checksums expected, got;

  offline_test_checksums_init (&expected);
  offline_test_checksums_init (&got);
  offline_test_reference_checksums (files, demuxer, dir, &expected);
  g_assert_cmpuint (expected.sums->len, ==, n_frames);

  playbin = offline_test_playbin (id, offline_test_checksum_sink (&got), audio_sink);
  message = offline_test_play_to_end (playbin);
  offline_test_assert_eos (message);
  g_assert_true (gst_element_query_duration (playbin, GST_FORMAT_TIME, &duration));
  g_assert_true (gst_element_query_position (playbin, GST_FORMAT_TIME, &position));
  gst_element_set_state (playbin, GST_STATE_NULL);
  g_assert_cmpint (ABS (position - duration), <=, FIXTURE_FRAME);

  /* the pipeline is stopped: no streaming thread adds to @got any more */
  g_assert_cmpuint (got.sums->len, ==, n_frames);
  for (guint i = 0; i < n_frames; i++) {
    if (!g_str_equal (g_ptr_array_index (got.sums, i), g_ptr_array_index (expected.sums, i)))
      g_error ("frame %u differs: %s instead of %s", i, (char *) g_ptr_array_index (got.sums, i),
               (char *) g_ptr_array_index (expected.sums, i));
  }
  offline_test_checksums_clear (&expected);
  offline_test_checksums_clear (&got);
  return duration;
}

/* ---- whole decoded audio ---- */

void
offline_test_audio_init (OfflineTestAudio *a)
{
  g_mutex_init (&a->lock);
  a->pcm = g_checksum_new (G_CHECKSUM_SHA1);
  a->samples = 0;
  a->end = GST_CLOCK_TIME_NONE;
  a->kept = NULL;
  a->channels = 0;
}

void
offline_test_audio_keep (OfflineTestAudio *a)
{
  a->kept = g_byte_array_new ();
}

void
offline_test_audio_clear (OfflineTestAudio *a)
{
  g_mutex_clear (&a->lock);
  g_checksum_free (a->pcm);
  g_clear_pointer (&a->kept, g_byte_array_unref);
}

void
offline_test_audio_reset (OfflineTestAudio *a)
{
  g_mutex_lock (&a->lock);
  g_checksum_reset (a->pcm);
  a->samples = 0;
  a->end = GST_CLOCK_TIME_NONE;
  g_mutex_unlock (&a->lock);
}

static void
add_audio (GstElement *sink,
           GstBuffer  *buffer,
           GstPad     *pad,
           gpointer    user_data)
{
  OfflineTestAudio *a = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  int channels = 0;
  GstMapInfo map;

  g_assert_nonnull (caps);
  g_assert_true (gst_structure_get_int (gst_caps_get_structure (caps, 0), "channels", &channels));
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_mutex_lock (&a->lock);
  g_checksum_update (a->pcm, map.data, map.size);
  if (a->kept != NULL) {
    g_byte_array_append (a->kept, map.data, map.size);
    a->channels = channels;
  }
  a->samples += map.size / (4 * channels);
  if (GST_BUFFER_PTS_IS_VALID (buffer) && GST_BUFFER_DURATION_IS_VALID (buffer) &&
      (!GST_CLOCK_TIME_IS_VALID (a->end) ||
       GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer) > a->end))
    a->end = GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer);
  g_mutex_unlock (&a->lock);
  gst_buffer_unmap (buffer, &map);
}

GstElement *
offline_test_audio_sink (OfflineTestAudio *a)
{
  g_autoptr(GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (
      "audioconvert dithering=none noise-shaping=none ! "
      "audio/x-raw,format=F32LE,layout=interleaved ! "
      "fakesink name=asink sync=false signal-handoffs=true", TRUE, &error);
  g_autoptr(GstElement) sink = NULL;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (bin), "asink");
  g_signal_connect (sink, "handoff", G_CALLBACK (add_audio), a);
  return bin;
}

/* ---- a store of downloaded fixtures, for main() ---- */

void
offline_test_result_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
offline_test_wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*slot == NULL) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, FALSE);
    g_usleep (1000);
  }
}

void
offline_test_store_fixture (OfflineTestStoring *storing,
                            const char         *id,
                            const char         *path,
                            const char         *language)
{
  g_autofree char *url = offline_test_server_get_url (storing->server, path);
  g_autoptr(OfflineDownloadOptions) options = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (language != NULL) {
    options = offline_download_options_new ();
    offline_download_options_set_language (options, language);
  }
  offline_url_provider_add (storing->provider, id, url, "Name", "Description", NULL);
  offline_manager_download_async (storing->manager, id, options, NULL, offline_test_result_cb, &result);
  offline_test_wait_result (&result);
  g_assert_true (offline_manager_download_finish (storing->manager, result, &error));
  g_assert_no_error (error);
}

char *
offline_test_init_with_store (int                   *argc,
                              char                ***argv,
                              const char            *tmpl,
                              OfflineTestStoreFunc   store_func,
                              char                 **store_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  char *dir;

  g_test_init (argc, argv, NULL);
  gst_init (argc, argv);
  dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "store", NULL);
  {
    g_autoptr(OfflineTestServer) server = offline_test_server_new ();
    g_autoptr(OfflineUrlProvider) provider = offline_url_provider_new ();
    g_autoptr(OfflineManager) manager = offline_manager_new (path, OFFLINE_PROVIDER (provider), NULL, &error);
    OfflineTestStoring storing = { server, provider, manager, path };

    g_assert_no_error (error);
    store_func (&storing);
    /* here the store is closed and the server stops */
  }
  g_setenv ("OFFLINEMGR_STORE", path, TRUE);
  *store_path = g_steal_pointer (&path);
  return dir;
}

int
offline_test_run_and_remove (char *dir,
                             char *store_path)
{
  const char *argv_rm[] = { "rm", "-rf", dir, NULL };
  int ret = g_test_run ();

  g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                NULL, NULL);
  g_free (dir);
  g_free (store_path);
  return ret;
}

void
offline_test_store_protected (OfflineTestStoring *storing,
                              OfflineTestLicense *license,
                              const char         *id,
                              const char         *scheme,
                              gboolean            no_pssh)
{
  g_autofree char *path = g_strdup_printf ("dash/%s/manifest.mpd", scheme);
  g_autofree char *served = g_strdup_printf ("dash/%s/%s.mpd", scheme, id);
  g_autofree char *contents = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", path, NULL);

  g_file_get_contents (file, &contents, NULL, &error);
  g_assert_no_error (error);
  text = g_string_new (contents);

  g_assert_cmpuint (g_string_replace (text, "@LICENSE_URL@",
                                      offline_test_license_get_url (license), 0), ==, 2);
  if (no_pssh)
    g_assert_cmpuint (g_string_replace (text, "init-stream$RepresentationID$.m4s",
                                        "init-stream$RepresentationID$-nopssh.m4s", 0), ==, 2);
  bytes = g_bytes_new (text->str, text->len);
  offline_test_server_add_content (storing->server, served, bytes, "application/dash+xml");
  offline_test_store_fixture (storing, id, served, NULL);
}

/* Resources of @id stored so far (reading the store the manager writes). */
static guint
resources_done (const char *path,
                const char *id)
{
  g_autoptr(OfflineStoredEntry) stored = offline_stored_entry_open (path, id, NULL);
  GArray *resources = stored != NULL ? offline_stored_entry_get_parts (stored) : NULL;
  guint done = 0;

  for (guint i = 0; resources != NULL && i < resources->len; i++)
    done += g_array_index (resources, OfflineStoredPart, i).done;
  return done;
}

void
offline_test_store_paused (OfflineTestStoring *storing,
                           const char         *id,
                           const char         *path,
                           const char         *missing,
                           guint               n_stored)
{
  g_autofree char *url = offline_test_server_get_url (storing->server, path);
  g_autoptr(GAsyncResult) result = NULL, paused = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  offline_url_provider_add (storing->provider, id, url, "Name", "Description", NULL);
  offline_test_server_fail_next (storing->server, missing, OFFLINE_TEST_SERVER_ALWAYS, 503, "60");
  offline_manager_download_async (storing->manager, id, NULL, NULL, offline_test_result_cb, &result);
  while (resources_done (storing->store_path, id) < n_stored) {
    g_assert_null (result);
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, FALSE);
    g_usleep (20000);
  }
  offline_manager_pause_async (storing->manager, id, NULL, offline_test_result_cb, &paused);
  offline_test_wait_result (&paused);
  g_assert_true (offline_manager_pause_finish (storing->manager, paused, &error));
  g_assert_no_error (error);
  offline_test_wait_result (&result);
  g_assert_false (offline_manager_download_finish (storing->manager, result, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED);
  offline_test_server_clear_switches (storing->server);
}

gboolean
offline_test_is_qtdemux_data_warning (const char *domain,
                                      const char *message)
{
  return g_strcmp0 (domain, "GStreamer") == 0 &&
         strstr (message, "gst_pad_push_data:<qtdemux") != NULL &&
         (strstr (message, "Got data flow before stream-start event") != NULL ||
          strstr (message, "Got data flow before segment event") != NULL);
}

static guint qtdemux_data_warnings;     /* atomic */

/* GStreamer's warnings, before GLib decides whether they abort: the one
 * let through is only reported (not printed as a fatal "Bail out!") */
static void
gstreamer_warning_handler (const char     *domain,
                           GLogLevelFlags  level,
                           const char     *message,
                           gpointer        user_data)
{
  if (offline_test_is_qtdemux_data_warning (domain, message)) {
    g_atomic_int_inc (&qtdemux_data_warnings);
    g_test_message ("let through (a known GStreamer 1.22 qtdemux warning): %s", message);
    return;
  }
  g_log_default_handler (domain, level, message, user_data);
}

static gboolean
abort_on_other_warnings (const char     *domain,
                         GLogLevelFlags  level,
                         const char     *message,
                         gpointer        user_data)
{
  return !offline_test_is_qtdemux_data_warning (domain, message);
}

void
offline_test_tolerate_qtdemux_data_warnings (void)
{
  static gsize handler_set;

  if (g_once_init_enter (&handler_set)) {
    g_log_set_handler ("GStreamer", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL,
                       gstreamer_warning_handler, NULL);
    g_once_init_leave (&handler_set, 1);
  }
  g_test_log_set_fatal_handler (abort_on_other_warnings, NULL);
}

guint
offline_test_get_qtdemux_data_warnings (void)
{
  return g_atomic_int_get (&qtdemux_data_warnings);
}
