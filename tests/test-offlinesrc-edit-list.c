/* test-offlinesrc-edit-list.c: DASH audio whose init segment has an edit
 * list plays sample for sample as its segments do through a file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tests/data/dash/edit-list: ffmpeg's DASH muxer writes the AAC priming
 * edit list (elst media_time 1024) into each audio init segment. Each
 * audio track is stored (one entry per language) and played with playbin
 * and playbin3 from offline://; the whole decoded PCM (all samples, as one
 * checksum: buffer boundaries may differ) must be that of the same init
 * segment and media segments concatenated into a file and decoded by
 * `filesrc ! decodebin` (qtdemux in pull mode, where it honours the edit
 * list to the last sample).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "offline-test-gst.h"

typedef struct {
  const char *id;
  const char *language;
  guint representation;         /* its files: init-streamN.m4s, chunk-streamN-0000M.m4s */
} Track;

/* 12 media segments a track, see tests/data/README.md */
#define N_SEGMENTS 12

static const Track tracks[] = {
  { "edit-list-en", "en", 0 },
  { "edit-list-es", "es", 1 },
};

/* Set once by main() before the tests run, then read-only. */
static char *tmp_dir;

typedef struct {
  const char *factory;          /* "playbin" or "playbin3" */
  const Track *track;
} Case;

static void
link_decoded (GstElement *decodebin,
              GstPad     *pad,
              GstElement *sink)
{
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");

  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
}

/* The PCM of @track's files concatenated, decoded by "filesrc ! @chain". */
static void
decode_file (const Track      *track,
             const char       *chain,
             OfflineTestAudio *audio)
{
  g_autoptr(GString) bytes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, track->id, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) decodebin = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstElement *sink = offline_test_audio_sink (audio);

  for (guint i = 0; i <= N_SEGMENTS; i++) {
    g_autofree char *name = i == 0 ?
      g_strdup_printf ("init-stream%u.m4s", track->representation) :
      g_strdup_printf ("chunk-stream%u-%05u.m4s", track->representation, i);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (g_test_get_filename (G_TEST_DIST, "data", "dash",
                                                             "edit-list", name, NULL),
                                        &contents, &length, &error));
    g_assert_no_error (error);
    g_string_append_len (bytes, contents, length);
  }
  g_assert_true (g_file_set_contents (path, bytes->str, bytes->len, &error));
  g_assert_no_error (error);

  description = g_strdup_printf ("filesrc location=\"%s\" ! %s name=decode", path, chain);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_bin_add (GST_BIN (pipeline), sink);
  decodebin = gst_bin_get_by_name (GST_BIN (pipeline), "decode");
  /* decodebin's (one, audio) pad, once it is there */
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (link_decoded), sink);
  message = offline_test_play_to_end (pipeline);
  offline_test_assert_eos (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unlink (path);
}

static void
test_edit_list (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GstElement) player = gst_element_factory_make (c->factory, NULL);
  g_autofree char *uri = g_strconcat ("offline://", c->track->id, NULL);
  g_autoptr(GstMessage) message = NULL;
  OfflineTestAudio expected, got, push;
  GstElement *video_sink = gst_element_factory_make ("fakesink", NULL);

  offline_test_audio_init (&expected);
  offline_test_audio_init (&got);
  offline_test_audio_init (&push);
  decode_file (c->track, "decodebin", &expected);
  /* for the record: qtdemux in push mode (behind a queue) */
  decode_file (c->track, "queue ! decodebin", &push);

  g_object_set (video_sink, "sync", FALSE, NULL);
  g_object_set (player, "uri", uri, "video-sink", video_sink,
                "audio-sink", offline_test_audio_sink (&got), NULL);
  message = offline_test_play_to_end (player);
  offline_test_assert_eos (message);
  gst_element_set_state (player, GST_STATE_NULL);

  g_test_message ("%s %s: %" G_GUINT64_FORMAT " samples ending at %" GST_TIME_FORMAT
                  ", file (pull mode) %" G_GUINT64_FORMAT " at %" GST_TIME_FORMAT
                  ", file in push mode %" G_GUINT64_FORMAT " at %" GST_TIME_FORMAT,
                  c->factory, c->track->id, got.samples, GST_TIME_ARGS (got.end),
                  expected.samples, GST_TIME_ARGS (expected.end), push.samples,
                  GST_TIME_ARGS (push.end));
  g_assert_cmpuint (expected.samples, >, 0);
  g_assert_cmpuint (got.samples, ==, expected.samples);
  /* and timed alike: the fragments back to back, not moved one by one
   * onto the nominal segment times (within a sample of rounding) */
  g_assert_true (GST_CLOCK_TIME_IS_VALID (got.end));
  g_assert_cmpuint (got.end, <=, expected.end + GST_SECOND / 48000);
  g_assert_cmpuint (got.end + GST_SECOND / 48000, >=, expected.end);
  g_assert_cmpstr (g_checksum_get_string (got.pcm), ==, g_checksum_get_string (expected.pcm));
  offline_test_audio_clear (&expected);
  offline_test_audio_clear (&got);
  offline_test_audio_clear (&push);
}

static void
store_fixtures (OfflineTestStoring *storing)
{
  for (guint i = 0; i < G_N_ELEMENTS (tracks); i++)
    offline_test_store_fixture (storing, tracks[i].id, "dash/edit-list/manifest.mpd",
                                tracks[i].language);
}

int
main (int    argc,
      char **argv)
{
  static const char *const factories[] = { "playbin", "playbin3" };
  static Case cases[G_N_ELEMENTS (factories) * G_N_ELEMENTS (tracks)];
  char *store_path = NULL;
  guint n = 0;

  tmp_dir = offline_test_init_with_store (&argc, &argv, "offlinesrc-edit-list-XXXXXX",
                                          store_fixtures, &store_path);
  for (guint t = 0; t < G_N_ELEMENTS (tracks); t++) {
    for (guint f = 0; f < G_N_ELEMENTS (factories); f++) {
      Case *c = &cases[n++];
      g_autofree char *name = g_strdup_printf ("/offlinesrc-edit-list/%s/%s", factories[f],
                                               tracks[t].language);

      c->factory = factories[f];
      c->track = &tracks[t];
      g_test_add_data_func (name, c, test_edit_list);
    }
  }
  return offline_test_run_and_remove (tmp_dir, store_path);
}
