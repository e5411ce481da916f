/* test-cencdec-qtdemux.c: offlinecencdec behind qtdemux, in real pipelines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tests/data/dash/cenc and dash/cbcs are the 320x180 video and English
 * audio tracks of dash/template-number encrypted with MPEG Common
 * Encryption (one key per track; H.264 in subsamples, cbcs with the 1:9
 * pattern and a constant IV; AAC whole samples; see tests/data/README.md).
 * Each track, its init segment and three media segments joined into one
 * file, plays from a filesrc through qtdemux and the decryptor, with the
 * keys in an offlinemgr.keys context set on the pipeline: every decoded
 * video frame and the whole decoded audio must be those of the same clear
 * track of dash/template-number. The init segments have a Clear Key pssh
 * (W3C common system id), which makes qtdemux pick the decryptor; with
 * the *-nopssh ones a protection event for the Clear Key system id goes
 * before the data, as offlinesrc sends for such content. The decryptor is
 * plugged by decodebin, by decodebin3, or linked by hand.
 */
#include "config.h"

#include <string.h>

#include <gst/gst.h>

#include "gstofflinecencdecrypt.h"
#include "offline-test-gst.h"

#include <glib/gstdio.h>

/* tests/data/generate-fixtures.sh (dash/cenc, dash/cbcs) */
#define VIDEO_KID "10000000100010001000100000000000"
#define VIDEO_KEY "3a2a1b68dd2bd9b2eeb25e84c4776668"
#define AUDIO_KID "20000000200020002000200000000000"
#define AUDIO_KEY "00112233445566778899aabbccddeeff"
#define FRAMES 150
#define VIDEO_STREAM 0
#define AUDIO_STREAM 2

typedef struct {
  OfflineTestChecksums video;
  OfflineTestAudio audio;
  int decryptors;               /* offlinecencdec elements plugged */
} Decoded;

static void
decoded_init (Decoded *d)
{
  offline_test_checksums_init (&d->video);
  offline_test_audio_init (&d->audio);
  d->decryptors = 0;
}

static void
decoded_clear (Decoded *d)
{
  offline_test_checksums_clear (&d->video);
  offline_test_audio_clear (&d->audio);
}

/* An offlinemgr.keys context: @kid → @key_hex, and the other pair if
 * @kid2 is not NULL. */
static GstContext *
keys_context (const char *kid,
              const char *key_hex,
              const char *kid2,
              const char *key2_hex)
{
  GstContext *context = gst_context_new (GST_OFFLINE_KEYS_CONTEXT_TYPE, FALSE);
  const char *pairs[][2] = { { kid, key_hex }, { kid2, key2_hex } };

  for (guint p = 0; p < G_N_ELEMENTS (pairs) && pairs[p][0] != NULL; p++) {
    guint8 key[16];
    GstBuffer *buffer;

    for (guint i = 0; i < 16; i++)
      key[i] = (guint8) (g_ascii_xdigit_value (pairs[p][1][2 * i]) << 4 |
                         g_ascii_xdigit_value (pairs[p][1][2 * i + 1]));
    buffer = gst_buffer_new_memdup (key, sizeof key);
    gst_structure_set (gst_context_writable_structure (context), pairs[p][0], GST_TYPE_BUFFER,
                       buffer, NULL);
    gst_buffer_unref (buffer);
  }
  return context;
}

/* A temporary file of tests/data/dash/@dir's @init and the three media
 * segments of @stream, joined (as offlinesrc gives them to qtdemux). */
static char *
joined_track (const char *tmp,
              const char *dir,
              const char *init,
              int         stream)
{
  g_autoptr (GString) bytes = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  char *path = g_strdup_printf ("%s/%s-%s-%d.mp4", tmp, dir, init, stream);

  for (int n = 0; n <= 3; n++) {
    g_autofree char *name = n == 0 ? g_strdup (init)
                                   : g_strdup_printf ("chunk-stream%d-%05d.m4s", stream, n);
    g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "dash", dir, name, NULL);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (file, &contents, &length, &error));
    g_assert_no_error (error);
    g_string_append_len (bytes, contents, length);
  }
  g_assert_true (g_file_set_contents (path, bytes->str, bytes->len, &error));
  g_assert_no_error (error);
  return path;
}

/* Before the first buffer of the file: a protection event for the Clear
 * Key system (the file has no pssh; offlinesrc sends one the same way). */
static GstPadProbeReturn
send_protection (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         data)
{
  GstBuffer *no_data = gst_buffer_new ();

  gst_pad_push_event (pad, gst_event_new_protection (GST_OFFLINE_CLEARKEY_SYSTEM_ID, no_data,
                                                     "offlinemgr/test"));
  gst_buffer_unref (no_data);
  return GST_PAD_PROBE_REMOVE;
}

static void
element_added (GstBin     *bin,
               GstBin     *sub_bin,
               GstElement *element,
               gpointer    data)
{
  Decoded *d = data;
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "offlinecencdec"))
    g_atomic_int_inc (&d->decryptors);
}

/* Links a decoded pad of decodebin/decodebin3 to a new sink of @d. */
static void
pad_added (GstElement *decodebin,
           GstPad     *pad,
           gpointer    data)
{
  Decoded *d = data;
  GstElement *pipeline = GST_ELEMENT (gst_element_get_parent (decodebin));
  g_autoptr (GstCaps) caps = gst_pad_query_caps (pad, NULL);
  const char *name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  GstElement *sink;
  GstPad *sinkpad;

  if (g_str_has_prefix (name, "video/"))
    sink = offline_test_checksum_sink (&d->video);
  else if (g_str_has_prefix (name, "audio/"))
    sink = offline_test_audio_sink (&d->audio);
  else
    g_error ("a decoded pad of caps %s", name);
  gst_bin_add (GST_BIN (pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
  gst_object_unref (pipeline);
}

/* Plays the file @path to its end through @decoder
 * ("decodebin", "decodebin3" or "manual": qtdemux ! offlinecencdec !
 * h264parse ! avdec_h264, video only) into @d, with @keys (nullable) set
 * on the pipeline and a protection event if @protect. Returns the EOS or
 * ERROR message. */
static GstMessage *
play (const char *path,
      const char *decoder,
      gboolean    protect,
      GstContext *keys,
      Decoded    *d)
{
  g_autofree char *description = NULL;
  g_autoptr (GError) error = NULL;
  GstElement *pipeline, *src;
  GstMessage *message;
  GstPad *srcpad;

  /* a queue: qtdemux in push mode gets the protection event */
  if (g_str_equal (decoder, "manual"))
    description = g_strdup_printf ("filesrc name=src location=\"%s\" ! queue ! qtdemux name=demux "
                                   "demux.video_0 ! queue ! offlinecencdec ! h264parse ! avdec_h264 ! "
                                   "identity name=out", path);
  else
    /* (decodebin3 1.22 wants caps: a typefind before it) */
    description = g_strdup_printf ("filesrc name=src location=\"%s\" ! queue ! typefind ! %s name=dec",
                                   path, decoder);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  g_signal_connect (pipeline, "deep-element-added", G_CALLBACK (element_added), d);
  if (g_str_equal (decoder, "manual")) {
    GstElement *out = gst_bin_get_by_name (GST_BIN (pipeline), "out");
    GstElement *sink = offline_test_checksum_sink (&d->video);

    gst_bin_add (GST_BIN (pipeline), sink);
    g_assert_true (gst_element_link (out, sink));
    gst_object_unref (out);
  } else {
    GstElement *dec = gst_bin_get_by_name (GST_BIN (pipeline), "dec");

    g_signal_connect (dec, "pad-added", G_CALLBACK (pad_added), d);
    gst_object_unref (dec);
  }
  if (protect) {
    src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
    srcpad = gst_element_get_static_pad (src, "src");
    gst_pad_add_probe (srcpad, GST_PAD_PROBE_TYPE_BUFFER, send_protection, NULL, NULL);
    gst_object_unref (srcpad);
    gst_object_unref (src);
  }
  if (keys != NULL)
    gst_element_set_context (pipeline, keys);

  message = offline_test_play_to_end (pipeline);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return message;
}

static void
assert_same (Decoded *got,
             Decoded *expected,
             gboolean video)
{
  if (video) {
    g_assert_cmpuint (expected->video.sums->len, ==, FRAMES);
    g_assert_cmpuint (got->video.sums->len, ==, FRAMES);
    for (guint i = 0; i < FRAMES; i++)
      g_assert_cmpstr (g_ptr_array_index (got->video.sums, i), ==,
                       g_ptr_array_index (expected->video.sums, i));
  } else {
    g_assert_cmpuint (expected->audio.samples, >, 0);
    g_assert_cmpuint (got->audio.samples, ==, expected->audio.samples);
    g_assert_cmpstr (g_checksum_get_string (got->audio.pcm), ==,
                     g_checksum_get_string (expected->audio.pcm));
  }
}

typedef struct {
  const char *decoder;          /* "decodebin", "decodebin3", "manual" (video only) */
  const char *scheme;           /* "cenc", "cbcs": tests/data/dash/@scheme */
  gboolean pssh;                /* FALSE: the -nopssh init segments, a protection event */
} PlayCase;

static const PlayCase play_cases[] = {
  { "decodebin", "cenc", TRUE },
  { "decodebin", "cbcs", TRUE },
  { "decodebin3", "cenc", TRUE },
  { "decodebin3", "cbcs", TRUE },
  { "decodebin", "cenc", FALSE },
  { "decodebin3", "cbcs", FALSE },
  { "manual", "cenc", TRUE },
  { "manual", "cbcs", FALSE },
};

static char *tmp_dir;

static void
test_plays (gconstpointer data)
{
  const PlayCase *c = data;
  GstContext *keys = keys_context (VIDEO_KID, VIDEO_KEY, AUDIO_KID, AUDIO_KEY);
  int streams[] = { VIDEO_STREAM, AUDIO_STREAM };

  for (guint i = 0; i < (g_str_equal (c->decoder, "manual") ? 1 : 2); i++) {
    gboolean video = streams[i] == VIDEO_STREAM;
    g_autofree char *init = g_strdup_printf ("init-stream%d%s.m4s", streams[i], c->pssh ? "" : "-nopssh");
    g_autofree char *clear_init = g_strdup_printf ("init-stream%d.m4s", streams[i]);
    g_autofree char *clear_path = joined_track (tmp_dir, "template-number", clear_init, streams[i]);
    g_autofree char *path = joined_track (tmp_dir, c->scheme, init, streams[i]);
    Decoded clear, decrypted;
    GstMessage *message;

    decoded_init (&clear);
    decoded_init (&decrypted);
    message = play (clear_path, "decodebin", FALSE, NULL, &clear);
    offline_test_assert_eos (message);
    gst_message_unref (message);
    g_assert_cmpint (clear.decryptors, ==, 0);

    message = play (path, c->decoder, !c->pssh, keys, &decrypted);
    offline_test_assert_eos (message);
    gst_message_unref (message);
    if (!g_str_equal (c->decoder, "manual"))
      g_assert_cmpint (decrypted.decryptors, ==, 1);
    assert_same (&decrypted, &clear, video);

    g_unlink (clear_path);
    g_unlink (path);
    decoded_clear (&clear);
    decoded_clear (&decrypted);
  }
  gst_context_unref (keys);
}

/* Only the audio track's key: an ERROR naming the video's key ID, no
 * frame. */
static void
test_missing_key (void)
{
  GstContext *keys = keys_context (AUDIO_KID, AUDIO_KEY, NULL, NULL);
  g_autofree char *path = joined_track (tmp_dir, "cenc", "init-stream0.m4s", VIDEO_STREAM);
  g_autoptr (GError) error = NULL;
  GstMessage *message;
  Decoded d;

  decoded_init (&d);
  message = play (path, "decodebin", FALSE, keys, &d);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_ERROR);
  gst_message_parse_error (message, &error, NULL);
  g_assert_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECRYPT_NOKEY);
  g_assert_nonnull (strstr (error->message, VIDEO_KID));
  g_assert_cmpuint (d.video.sums->len, ==, 0);
  gst_message_unref (message);
  gst_context_unref (keys);
  g_unlink (path);
  decoded_clear (&d);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("test-cencdec-qtdemux-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (play_cases); i++) {
    g_autofree char *path = g_strdup_printf ("/cencdec-qtdemux/%s/%s%s", play_cases[i].decoder,
                                             play_cases[i].scheme,
                                             play_cases[i].pssh ? "" : "-nopssh");

    g_test_add_data_func (path, &play_cases[i], test_plays);
  }
  g_test_add_func ("/cencdec-qtdemux/missing-key", test_missing_key);
  ret = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
