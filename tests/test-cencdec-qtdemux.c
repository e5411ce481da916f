/* test-cencdec-qtdemux.c: offlinecencdec behind qtdemux, in real pipelines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tests/data/cenc-file/cenc.mp4 and cbcs.mp4 are clear.mp4 encrypted by
 * tests/data/cenc-encrypt.py (H.264 in subsamples, cbcs with the 1:9
 * pattern; AAC whole samples; see tests/data/README.md). No pssh: as offlinesrc does for such
 * content, a protection event for the Clear Key system goes before its
 * data, so that qtdemux picks the system (and the decryptor). The keys go
 * in an offlinemgr.keys context set on the pipeline. Every decoded video
 * frame and the whole decoded audio must be those of clear.mp4, with the
 * decryptor plugged by decodebin, by decodebin3 and linked by hand.
 */
#include "config.h"

#include <string.h>

#include <gst/gst.h>

#include "gstofflinecencdecrypt.h"
#include "offline-test-gst.h"

#define KEY "00112233445566778899aabbccddeeff"
#define KID "0123456789abcdef0123456789abcdef"
#define FRAMES 25

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

static GstContext *
keys_context (const char *kid,
              const char *key_hex)
{
  GstContext *context = gst_context_new (GST_OFFLINE_KEYS_CONTEXT_TYPE, FALSE);
  guint8 key[16];
  GstBuffer *buffer;

  for (guint i = 0; i < 16; i++)
    key[i] = (guint8) (g_ascii_xdigit_value (key_hex[2 * i]) << 4 |
                       g_ascii_xdigit_value (key_hex[2 * i + 1]));
  buffer = gst_buffer_new_memdup (key, sizeof key);
  gst_structure_set (gst_context_writable_structure (context), kid, GST_TYPE_BUFFER, buffer, NULL);
  gst_buffer_unref (buffer);
  return context;
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

/* Plays tests/data/cenc-file/@file to its end through @decoder
 * ("decodebin", "decodebin3" or "manual": qtdemux ! offlinecencdec !
 * h264parse ! avdec_h264, video only) into @d, with @keys (nullable) set
 * on the pipeline and a protection event if @protect. Returns the EOS or
 * ERROR message. */
static GstMessage *
play (const char *file,
      const char *decoder,
      gboolean    protect,
      GstContext *keys,
      Decoded    *d)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "cenc-file", file, NULL);
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
             gboolean audio)
{
  g_assert_cmpuint (got->video.sums->len, ==, FRAMES);
  g_assert_cmpuint (expected->video.sums->len, ==, FRAMES);
  for (guint i = 0; i < FRAMES; i++)
    g_assert_cmpstr (g_ptr_array_index (got->video.sums, i), ==,
                     g_ptr_array_index (expected->video.sums, i));
  if (audio) {
    g_assert_cmpuint (got->audio.samples, >, 0);
    g_assert_cmpuint (got->audio.samples, ==, expected->audio.samples);
    g_assert_cmpstr (g_checksum_get_string (got->audio.pcm), ==,
                     g_checksum_get_string (expected->audio.pcm));
  }
}

typedef struct {
  const char *decoder;
  const char *file;
} PlayCase;

static const PlayCase play_cases[] = {
  { "decodebin", "cenc.mp4" },
  { "decodebin", "cbcs.mp4" },
  { "decodebin3", "cenc.mp4" },
  { "decodebin3", "cbcs.mp4" },
  { "manual", "cenc.mp4" },
  { "manual", "cbcs.mp4" },
};

static void
test_plays (gconstpointer data)
{
  const PlayCase *play_case = data;
  const char *decoder = play_case->decoder;
  gboolean audio = !g_str_equal (decoder, "manual");
  GstContext *keys = keys_context (KID, KEY);
  Decoded clear, decrypted;
  GstMessage *message;

  decoded_init (&clear);
  decoded_init (&decrypted);
  message = play ("clear.mp4", g_str_equal (decoder, "manual") ? "decodebin" : decoder, FALSE, NULL, &clear);
  offline_test_assert_eos (message);
  gst_message_unref (message);
  g_assert_cmpint (clear.decryptors, ==, 0);

  message = play (play_case->file, decoder, TRUE, keys, &decrypted);
  offline_test_assert_eos (message);
  gst_message_unref (message);
  /* plugged for the video and the audio stream */
  if (audio)
    g_assert_cmpint (decrypted.decryptors, ==, 2);
  assert_same (&decrypted, &clear, audio);

  gst_context_unref (keys);
  decoded_clear (&clear);
  decoded_clear (&decrypted);
}

/* Keys for another key ID: an ERROR naming the content's, no frame. */
static void
test_wrong_kid (void)
{
  GstContext *keys = keys_context ("fedcba9876543210fedcba9876543210", KEY);
  g_autoptr (GError) error = NULL;
  GstMessage *message;
  Decoded d;

  decoded_init (&d);
  message = play ("cenc.mp4", "decodebin", TRUE, keys, &d);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_ERROR);
  gst_message_parse_error (message, &error, NULL);
  g_assert_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECRYPT_NOKEY);
  g_assert_nonnull (strstr (error->message, KID));
  g_assert_cmpuint (d.video.sums->len, ==, 0);
  g_assert_cmpuint (d.audio.samples, ==, 0);
  gst_message_unref (message);
  gst_context_unref (keys);
  decoded_clear (&d);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (play_cases); i++) {
    g_autofree char *path = g_strdup_printf ("/cencdec-qtdemux/%s/%s", play_cases[i].decoder,
                                             play_cases[i].file);

    g_test_add_data_func (path, &play_cases[i], test_plays);
  }
  g_test_add_func ("/cencdec-qtdemux/wrong-kid", test_wrong_kid);
  return g_test_run ();
}
