/* test-offlinesrc-map-switch.c: HLS media playlists whose EXT-X-MAP
 * changes part-way are stored with each init segment and play across the
 * switch
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * main() downloads hls/map-switch and hls/map-switch-encode (see
 * tests/data/generate-fixtures.sh) from the real test server into a
 * temporary store, stops the server, and points OFFLINEMGR_STORE at it.
 *
 * The ground truth is the same bytes through filesrc ! decodebin: each
 * init segment followed by the media segments that need it, decoded on its
 * own (a demuxer reading a file takes one moov), the results joined. The
 * stored entry must give the same video frames (checksums of their
 * pixels), the same decoded audio (the whole PCM) and the same duration,
 * in playbin and playbin3.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "offline.h"
#include "offline-stored-entry.h"
#include "offline-test-gst.h"

#define DURATION (6 * GST_SECOND)
#define AUDIO_CAPS "audio/x-raw,format=F32LE,rate=48000,channels=1"
#define VIDEO_CAPS "video/x-raw,format=I420"

static char *store_path;

typedef struct {
  const char *id;
  const char *dir;                      /* under tests/data/hls */
  /* frames of segment 0 (25 fps) and of segments 1-2 */
  guint frames_a, frames_b;
  /* whether segments 1-2 continue the encode of segment 0: then the whole
   * track is one stream, decoded as one file for reference, and the PCM
   * must be the same to the sample */
  gboolean one_encode;
} MapCase;

static const MapCase map_cases[] = {
  { "map-switch", "map-switch", 50, 100, TRUE },
  { "map-switch-encode", "map-switch-encode", 50, 120, FALSE },
};

/* What reached the sinks: video frame checksums, audio bytes. */
typedef struct {
  GMutex lock;
  GPtrArray *frames;            /* (element-type utf8) guarded by @lock */
  GArray *pts;                  /* (element-type GstClockTime) of the frames, running time */
  GByteArray *pcm;              /* guarded by @lock */
} Decoded;

static void
decoded_init (Decoded *d)
{
  g_mutex_init (&d->lock);
  d->frames = g_ptr_array_new_with_free_func (g_free);
  d->pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  d->pcm = g_byte_array_new ();
}

static void
decoded_clear (Decoded *d)
{
  g_mutex_clear (&d->lock);
  g_ptr_array_unref (d->frames);
  g_array_unref (d->pts);
  g_byte_array_unref (d->pcm);
}

static void
on_video (GstElement *sink,
          GstBuffer  *buffer,
          GstPad     *pad,
          gpointer    user_data)
{
  Decoded *d = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstSegment *segment = NULL;
  GstClockTime pts;
  g_autoptr(GstEvent) event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  char *sum;

  g_assert_nonnull (event);
  gst_event_parse_segment (event, (const GstSegment **) &segment);
  pts = gst_segment_to_running_time (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
  sum = offline_test_frame_checksum (buffer, caps);
  g_mutex_lock (&d->lock);
  g_ptr_array_add (d->frames, sum);
  g_array_append_val (d->pts, pts);
  g_mutex_unlock (&d->lock);
}

static void
on_audio (GstElement *sink,
          GstBuffer  *buffer,
          GstPad     *pad,
          gpointer    user_data)
{
  Decoded *d = user_data;
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_mutex_lock (&d->lock);
  g_byte_array_append (d->pcm, map.data, map.size);
  g_mutex_unlock (&d->lock);
  gst_buffer_unmap (buffer, &map);
}

static GstElement *
sink_bin (const char *caps,
          const char *convert,
          GCallback   handoff,
          Decoded    *d)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strdup_printf ("%s ! %s ! fakesink name=sink sync=false "
                                                  "signal-handoffs=true", convert, caps);
  GstElement *bin = gst_parse_bin_from_description (description, TRUE, &error);
  g_autoptr(GstElement) sink = NULL;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
  g_signal_connect (sink, "handoff", handoff, d);
  return bin;
}

static GstElement *
video_sink (Decoded *d)
{
  return sink_bin (VIDEO_CAPS, "videoconvert", G_CALLBACK (on_video), d);
}

static GstElement *
audio_sink (Decoded *d)
{
  return sink_bin (AUDIO_CAPS, "audioconvert ! audioresample", G_CALLBACK (on_audio), d);
}

/* Decodes the concatenation of @files (under tests/data/hls/@dir, NULL
 * terminated) with filesrc ! decodebin into @d. */
static void
decode_files (const char        *dir,
              const char *const *files,
              Decoded           *d)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) bytes = g_string_new (NULL);
  g_autofree char *tmp_dir = g_dir_make_tmp ("map-switch-ref-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstMessage) message = NULL;
  gboolean video = strstr (files[0], "video") != NULL;

  g_assert_no_error (error);
  path = g_build_filename (tmp_dir, "reference.mp4", NULL);
  for (guint i = 0; files[i] != NULL; i++) {
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (g_test_get_filename (G_TEST_DIST, "data", "hls", dir,
                                                             files[i], NULL),
                                        &contents, &length, &error));
    g_assert_no_error (error);
    g_string_append_len (bytes, contents, length);
  }
  g_assert_true (g_file_set_contents (path, bytes->str, bytes->len, &error));
  g_assert_no_error (error);

  description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! %s ! %s ! "
                                 "fakesink name=sink sync=false signal-handoffs=true",
                                 path, video ? "videoconvert" : "audioconvert ! audioresample",
                                 video ? VIDEO_CAPS : AUDIO_CAPS);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

    g_signal_connect (sink, "handoff", video ? G_CALLBACK (on_video) : G_CALLBACK (on_audio), d);
  }
  message = offline_test_play_to_end (pipeline);
  offline_test_assert_eos (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unlink (path);
  g_rmdir (tmp_dir);
}

/* The ground truth of @c: init-a + segment 0, then init-b + segments 1-2,
 * or (one encode, init-b a copy of init-a) all three segments after
 * init-a, decoded as one file. */
static void
reference (const MapCase *c,
           Decoded       *d)
{
  for (guint t = 0; t < 2; t++) {
    const char *track = t == 0 ? "video" : "audio";
    g_autofree char *init_a = g_strdup_printf ("%s/init-a.mp4", track);
    g_autofree char *init_b = g_strdup_printf ("%s/init-b.mp4", track);
    g_autofree char *seg0 = g_strdup_printf ("%s/seg_000.m4s", track);
    g_autofree char *seg1 = g_strdup_printf ("%s/seg_001.m4s", track);
    g_autofree char *seg2 = g_strdup_printf ("%s/seg_002.m4s", track);

    if (c->one_encode) {
      const char *files[] = { init_a, seg0, seg1, seg2, NULL };

      decode_files (c->dir, files, d);
    } else {
      const char *first[] = { init_a, seg0, NULL };
      const char *second[] = { init_b, seg1, seg2, NULL };

      decode_files (c->dir, first, d);
      decode_files (c->dir, second, d);
    }
  }
}

/* Both init segments of each track are stored, each right before the
 * first media segment that needs it. */
static void
test_stored (gconstpointer data)
{
  const MapCase *c = data;
  g_autoptr(GArray) resources = offline_test_stored_resources (store_path, c->id, NULL);
  g_autoptr(GString) layout = g_string_new (NULL);

  for (guint i = 0; i < resources->len; i++) {
    const OfflineStoredPart *r = &g_array_index (resources, OfflineStoredPart, i);
    g_autofree char *base = g_path_get_basename (r->uri);

    g_assert_true (r->done);
    g_string_append_printf (layout, "%u:%s ", r->track_index, base);
  }
  g_assert_cmpstr (layout->str, ==,
                   "0:init-a.mp4 0:seg_000.m4s 0:init-b.mp4 0:seg_001.m4s 0:seg_002.m4s "
                   "1:init-a.mp4 1:seg_000.m4s 1:init-b.mp4 1:seg_001.m4s 1:seg_002.m4s ");
}

/* The frames of @c, its PCM, its duration, through @factory. */
static void
play (const MapCase *c,
      const char    *factory)
{
  g_autofree char *uri = g_strdup_printf ("offline://%s", c->id);
  g_autoptr(GstElement) playbin = gst_element_factory_make (factory, NULL);
  g_autoptr(GstMessage) message = NULL;
  gint64 duration = -1, position = -1;
  Decoded expected, got;
  guint n_frames = c->frames_a + c->frames_b;

  decoded_init (&expected);
  decoded_init (&got);
  reference (c, &expected);
  g_assert_cmpuint (expected.frames->len, ==, n_frames);
  g_assert_cmpuint (expected.pcm->len, >=, 5 * 48000 * 4);

  g_assert_nonnull (playbin);
  g_object_set (playbin, "uri", uri, "video-sink", video_sink (&got),
                "audio-sink", audio_sink (&got), NULL);
  message = offline_test_play_to_end (playbin);
  offline_test_assert_eos (message);
  g_assert_true (gst_element_query_duration (playbin, GST_FORMAT_TIME, &duration));
  g_assert_true (gst_element_query_position (playbin, GST_FORMAT_TIME, &position));
  gst_element_set_state (playbin, GST_STATE_NULL);

  g_test_message ("%s in %s: %u frames, %u PCM bytes, duration %" GST_TIME_FORMAT,
                  c->id, factory, got.frames->len, got.pcm->len, GST_TIME_ARGS (duration));
  g_assert_cmpint (duration, ==, DURATION);
  g_assert_cmpint (ABS (position - duration), <=, GST_SECOND / 25);
  g_assert_cmpuint (got.frames->len, ==, n_frames);
  for (guint i = 0; i < n_frames; i++) {
    if (!g_str_equal (g_ptr_array_index (got.frames, i), g_ptr_array_index (expected.frames, i)))
      g_error ("frame %u differs: %s instead of %s", i, (char *) g_ptr_array_index (got.frames, i),
               (char *) g_ptr_array_index (expected.frames, i));
  }
  /* the frames after the switch are timed on the playlist's timeline */
  g_assert_cmpuint (g_array_index (got.pts, GstClockTime, c->frames_a), ==, 2 * GST_SECOND);
  g_assert_cmpuint (g_array_index (got.pts, GstClockTime, n_frames - 1), >, 5 * GST_SECOND);
  g_assert_cmpuint (got.pcm->len, ==, expected.pcm->len);
  if (c->one_encode) {
    g_assert_true (memcmp (got.pcm->data, expected.pcm->data, got.pcm->len) == 0);
  } else {
    const float *g = (const float *) got.pcm->data, *e = (const float *) expected.pcm->data;
    float worst = 0;

    /* the same to the sample before the switch at 2 s; after it the
     * decoder goes on with its state where the reference starts a new
     * one: the same sound, within -50 dB (measured: -59 dB) */
    g_assert_true (memcmp (got.pcm->data, expected.pcm->data, 2 * 48000 * sizeof (float)) == 0);
    for (gsize i = 2 * 48000; i < got.pcm->len / sizeof (float); i++)
      worst = MAX (worst, fabsf (g[i] - e[i]));
    g_test_message ("largest difference after the switch: %g", worst);
    g_assert_cmpfloat (worst, <, 0.003);
  }
  decoded_clear (&expected);
  decoded_clear (&got);
}

static void
test_playbin (gconstpointer data)
{
  play (data, "playbin");
}

static void
test_playbin3 (gconstpointer data)
{
  play (data, "playbin3");
}

static void
store_fixtures (OfflineTestStoring *storing)
{
  for (guint i = 0; i < G_N_ELEMENTS (map_cases); i++) {
    g_autofree char *path = g_strdup_printf ("hls/%s/master.m3u8", map_cases[i].dir);

    offline_test_store_fixture (storing, map_cases[i].id, path, NULL);
  }
}

int
main (int    argc,
      char **argv)
{
  char *tmp_dir = offline_test_init_with_store (&argc, &argv, "offlinesrc-map-switch-XXXXXX",
                                                store_fixtures, &store_path);

  for (guint i = 0; i < G_N_ELEMENTS (map_cases); i++) {
    g_autofree char *stored = g_strdup_printf ("/offlinesrc-map-switch/stored/%s", map_cases[i].id);
    g_autofree char *pb = g_strdup_printf ("/offlinesrc-map-switch/playbin/%s", map_cases[i].id);
    g_autofree char *pb3 = g_strdup_printf ("/offlinesrc-map-switch/playbin3/%s", map_cases[i].id);

    g_test_add_data_func (stored, &map_cases[i], test_stored);
    g_test_add_data_func (pb, &map_cases[i], test_playbin);
    g_test_add_data_func (pb3, &map_cases[i], test_playbin3);
  }
  return offline_test_run_and_remove (tmp_dir, store_path);
}
