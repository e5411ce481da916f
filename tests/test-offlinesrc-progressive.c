/* test-offlinesrc-progressive.c: progressive entries (plain MP4, WebM,
 * MP3 files) play through offline:// exactly as the same file through
 * file://
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each fixture of tests/data/progressive is downloaded from the test
 * server, then played with playbin and playbin3 from offline://ID and from
 * file:// of the fixture (the same bytes): the video frames (checksums),
 * the whole decoded audio (sample count and checksum of the PCM), the
 * duration, and where accurate and key-unit seeks land and what plays
 * after them must be the same. Every audio track of the file plays
 * (uridecodebin decodes them all), and the stored entry has the file's
 * duration (read from its container at download time).
 */
#include "config.h"

#include <gst/gst.h>

#include "offline-test-gst.h"

typedef struct {
  const char *id;
  const char *path;             /* under tests/data */
  gboolean has_video;
  guint n_audio;
} Fixture;

static const Fixture fixtures[] = {
  { "mp4", "progressive/clip.mp4", TRUE, 1 },
  { "mp4-2audio", "progressive/clip-2audio.mp4", TRUE, 2 },
  { "webm", "progressive/clip.webm", TRUE, 1 },
  { "mp3", "progressive/clip.mp3", FALSE, 1 },
};

/* Set once by main() before the tests run, then read-only. */
static char *store_path;

typedef struct {
  const char *factory;          /* "playbin" or "playbin3" */
  const Fixture *fixture;
} PlayCase;

/* ---- what the sinks got ---- */

/* What one playback got. */
typedef struct {
  OfflineTestChecksums video;
  OfflineTestAudio audio;
  gint64 duration;
  gint64 position;              /* after the seek, if any */
} Played;

static void
played_init (Played *p)
{
  offline_test_checksums_init (&p->video);
  offline_test_audio_init (&p->audio);
  p->duration = p->position = -1;
}

static void
played_clear (Played *p)
{
  offline_test_checksums_clear (&p->video);
  offline_test_audio_clear (&p->audio);
}

static void
played_reset (Played *p)
{
  g_mutex_lock (&p->video.lock);
  g_ptr_array_set_size (p->video.sums, 0);
  g_mutex_unlock (&p->video.lock);
  offline_test_audio_reset (&p->audio);
}

/* GstPlayFlags (playbin's, not in a public header) */
#define PLAY_FLAG_TEXT (1 << 2)

static GstElement *
make_player (const char *factory,
             const char *uri,
             Played     *played)
{
  GstElement *player = gst_element_factory_make (factory, NULL);
  guint flags = 0;

  g_assert_nonnull (player);
  g_object_set (player, "uri", uri,
                "video-sink", offline_test_checksum_sink (&played->video),
                "audio-sink", offline_test_audio_sink (&played->audio),
                NULL);
  g_object_get (player, "flags", &flags, NULL);
  g_object_set (player, "flags", flags & ~PLAY_FLAG_TEXT, NULL);
  offline_test_order_collection (player);
  return player;
}

static char *
offline_uri (const Fixture *fixture)
{
  return g_strconcat ("offline://", fixture->id, NULL);
}

static char *
file_uri (const Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *uri = g_filename_to_uri (g_test_get_filename (G_TEST_DIST, "data", fixture->path, NULL),
                                 NULL, &error);

  g_assert_no_error (error);
  return uri;
}

/* Plays @uri to EOS with @factory into @played: from the start, or from
 * @target after a flushing seek with @seek_flags (then only what plays
 * from the seek on is kept, and its landing position). */
static void
play (const char   *factory,
      const char   *uri,
      GstClockTime  target,
      GstSeekFlags  seek_flags,
      Played       *played)
{
  g_autoptr(GstElement) player = make_player (factory, uri, played);
  g_autoptr(GstMessage) message = NULL;

  gst_element_set_state (player, GST_STATE_PAUSED);
  offline_test_wait_async_done (player);
  g_assert_true (gst_element_query_duration (player, GST_FORMAT_TIME, &played->duration));
  if (GST_CLOCK_TIME_IS_VALID (target)) {
    played_reset (played);
    g_assert_true (gst_element_seek_simple (player, GST_FORMAT_TIME,
                                            GST_SEEK_FLAG_FLUSH | seek_flags, target));
    offline_test_wait_async_done (player);
    g_assert_true (gst_element_query_position (player, GST_FORMAT_TIME, &played->position));
  }
  message = offline_test_play_to_end (player);
  offline_test_assert_eos (message);
  gst_element_set_state (player, GST_STATE_NULL);
}

/* @got (through offline://) is what @expected (file://) is. */
static void
assert_same (const PlayCase *c,
             Played         *got,
             Played         *expected)
{
  g_test_message ("%s %s: %u frames, %" G_GUINT64_FORMAT " audio samples, duration %"
                  GST_TIME_FORMAT ", position %" GST_TIME_FORMAT, c->factory, c->fixture->id,
                  expected->video.sums->len, expected->audio.samples,
                  GST_TIME_ARGS (expected->duration), GST_TIME_ARGS (expected->position));
  g_assert_cmpint (got->duration, ==, expected->duration);
  g_assert_cmpint (got->position, ==, expected->position);
  g_assert_cmpuint (got->video.sums->len, ==, expected->video.sums->len);
  if (c->fixture->has_video)
    g_assert_cmpuint (expected->video.sums->len, >, 0);
  for (guint i = 0; i < expected->video.sums->len; i++)
    g_assert_cmpstr (g_ptr_array_index (got->video.sums, i), ==,
                     g_ptr_array_index (expected->video.sums, i));
  g_assert_cmpuint (expected->audio.samples, >, 0);
  g_assert_cmpuint (got->audio.samples, ==, expected->audio.samples);
  /* after a seek, the PCM differs from one file:// run to the next in
   * playbin3 (not its length): the decoder's first frame */
  if (expected->position < 0)
    g_assert_cmpstr (g_checksum_get_string (got->audio.pcm), ==,
                     g_checksum_get_string (expected->audio.pcm));
}

/* Returns the duration. */
static gint64
compare (const PlayCase *c,
         GstClockTime    target,
         GstSeekFlags    seek_flags)
{
  gint64 duration;
  g_autofree char *offline = offline_uri (c->fixture);
  g_autofree char *file = file_uri (c->fixture);
  Played got, expected;

  played_init (&got);
  played_init (&expected);
  play (c->factory, file, target, seek_flags, &expected);
  play (c->factory, offline, target, seek_flags, &got);
  assert_same (c, &got, &expected);
  duration = expected.duration;
  played_clear (&got);
  played_clear (&expected);
  return duration;
}

/* The whole file, and the duration also stored in the entry. */
static void
test_play (gconstpointer data)
{
  const PlayCase *c = data;
  g_autoptr(GArray) resources = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  gint64 duration = compare (c, GST_CLOCK_TIME_NONE, 0);

  resources = offline_test_stored_resources (store_path, c->fixture->id, &entry);
  g_assert_cmpint (offline_entry_get_duration (entry) * GST_USECOND, ==, duration);
}

static void
test_seek_accurate (gconstpointer data)
{
  compare (data, 3100 * GST_MSECOND, GST_SEEK_FLAG_ACCURATE);
}

static void
test_seek_key_unit (gconstpointer data)
{
  compare (data, 3100 * GST_MSECOND, GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_BEFORE);
}

/* ---- every audio track, through uridecodebin ---- */

typedef struct {
  GstElement *pipeline;
  GPtrArray *audio;             /* (element-type OfflineTestAudio) one per audio pad, in
                                 * the order they came (the file's) */
  GMutex lock;
} Tracks;

static void
decoded_pad (GstElement *decodebin,
             GstPad     *pad,
             Tracks     *tracks)
{
  g_autoptr(GstCaps) caps = gst_pad_query_caps (pad, NULL);
  const char *name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  GstElement *sink;
  g_autoptr(GstPad) sinkpad = NULL;

  if (g_str_has_prefix (name, "audio/")) {
    OfflineTestAudio *a = g_new0 (OfflineTestAudio, 1);

    offline_test_audio_init (a);
    g_mutex_lock (&tracks->lock);
    g_ptr_array_add (tracks->audio, a);
    g_mutex_unlock (&tracks->lock);
    sink = offline_test_audio_sink (a);
  } else {
    sink = gst_element_factory_make ("fakesink", NULL);
    g_object_set (sink, "sync", FALSE, NULL);
  }
  gst_bin_add (GST_BIN (tracks->pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
}

static void
audio_free (gpointer data)
{
  offline_test_audio_clear (data);
  g_free (data);
}

static GPtrArray *
decode_all (const char *uri)
{
  Tracks tracks = { gst_pipeline_new (NULL), g_ptr_array_new_with_free_func (audio_free) };
  GstElement *decodebin = gst_element_factory_make ("uridecodebin", NULL);
  g_autoptr(GstMessage) message = NULL;

  g_mutex_init (&tracks.lock);
  g_object_set (decodebin, "uri", uri, NULL);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (decoded_pad), &tracks);
  gst_bin_add (GST_BIN (tracks.pipeline), decodebin);
  message = offline_test_play_to_end (tracks.pipeline);
  offline_test_assert_eos (message);
  gst_element_set_state (tracks.pipeline, GST_STATE_NULL);
  gst_object_unref (tracks.pipeline);
  g_mutex_clear (&tracks.lock);
  return tracks.audio;
}

static void
test_audio_tracks (gconstpointer data)
{
  const Fixture *fixture = data;
  g_autofree char *offline = offline_uri (fixture);
  g_autofree char *file = file_uri (fixture);
  g_autoptr(GPtrArray) expected = decode_all (file);
  g_autoptr(GPtrArray) got = decode_all (offline);

  g_assert_cmpuint (expected->len, ==, fixture->n_audio);
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++) {
    OfflineTestAudio *e = g_ptr_array_index (expected, i), *a = g_ptr_array_index (got, i);

    g_test_message ("%s: audio track %u: %" G_GUINT64_FORMAT " samples", fixture->id, i,
                    e->samples);
    g_assert_cmpuint (e->samples, >, 0);
    g_assert_cmpuint (a->samples, ==, e->samples);
    g_assert_cmpstr (g_checksum_get_string (a->pcm), ==, g_checksum_get_string (e->pcm));
  }
  if (expected->len == 2) {
    /* two different tracks (440 and 660 Hz), not one twice */
    g_assert_cmpstr (g_checksum_get_string (((OfflineTestAudio *) g_ptr_array_index (got, 0))->pcm), !=,
                     g_checksum_get_string (((OfflineTestAudio *) g_ptr_array_index (got, 1))->pcm));
  }
}

/* ---- main ---- */

static void
store_fixtures (OfflineTestStoring *storing)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    offline_test_store_fixture (storing, fixtures[i].id, fixtures[i].path, NULL);
}

int
main (int    argc,
      char **argv)
{
  static const char *const factories[] = { "playbin", "playbin3" };
  static PlayCase cases[G_N_ELEMENTS (factories) * G_N_ELEMENTS (fixtures)];
  char *dir = offline_test_init_with_store (&argc, &argv, "offlinesrc-progressive-XXXXXX",
                                            store_fixtures, &store_path);
  guint n = 0;

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++) {
    g_autofree char *tracks = g_strdup_printf ("/offlinesrc-progressive/%s/audio-tracks",
                                               fixtures[f].id);

    g_test_add_data_func (tracks, &fixtures[f], test_audio_tracks);
    for (guint p = 0; p < G_N_ELEMENTS (factories); p++) {
      PlayCase *c = &cases[n++];
      g_autofree char *prefix = g_strdup_printf ("/offlinesrc-progressive/%s/%s", fixtures[f].id,
                                                 factories[p]);
      g_autofree char *path_play = g_strconcat (prefix, "/play", NULL);
      g_autofree char *path_accurate = g_strconcat (prefix, "/seek-accurate", NULL);
      g_autofree char *path_key = g_strconcat (prefix, "/seek-key-unit", NULL);

      c->factory = factories[p];
      c->fixture = &fixtures[f];
      g_test_add_data_func (path_play, c, test_play);
      g_test_add_data_func (path_accurate, c, test_seek_accurate);
      g_test_add_data_func (path_key, c, test_seek_key_unit);
    }
  }
  return offline_test_run_and_remove (dir, store_path);
}
