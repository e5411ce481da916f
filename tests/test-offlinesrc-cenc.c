/* test-offlinesrc-cenc.c: protected DASH entries (MPEG Common Encryption,
 * Clear Key) downloaded with their licence, then played with no network:
 * decrypted by offlinecencdec with the keys offlinesrc gives it, frame
 * for frame and sample for sample the clear encode
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * main() runs a licence server (tests/offline-test-license.c) for the
 * whole program and downloads into a temporary store, from the test
 * server: tests/data/dash/cenc and dash/cbcs (their manifests naming the
 * licence server), dash/cenc again with init segments that carry no pssh
 * (offlinesrc's protection event must then select the Clear Key system),
 * dash/cenc once more (a key of its licence is deleted by a test), dash/cenc
 * with a licence that expired long ago, and the clear reference:
 * dash/template-number's 320x180 video and English audio, the very encode
 * that the fixtures encrypt (tests/data/README.md). The test server then
 * stops.
 */
#include "config.h"

#include <string.h>

#include <gst/gst.h>
#include <sqlite3.h>

#include "offline.h"
#include "offline-test-gst.h"
#include "offline-test-license.h"

#define FRAMES 150                      /* 6 s at 25 fps */
#define KID_VIDEO "10000000100010001000100000000000"
#define KEY_VIDEO "3a2a1b68dd2bd9b2eeb25e84c4776668"
#define KID_AUDIO "20000000200020002000200000000000"
#define KEY_AUDIO "00112233445566778899aabbccddeeff"
#define EXPIRED 1000                    /* 1970 */
#define PLAY_FLAG_TEXT (1 << 2)         /* GstPlayFlags (not in a public header) */

/* Set once by main() before the tests run, then read-only. */
static char *store_path;
static char *tmp_dir;
static OfflineTestLicense *license;

static void
store_fixtures (OfflineTestStoring *storing)
{
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = offline_test_server_get_url (storing->server,
                                                      "dash/template-number/manifest.mpd");

  /* (it outlives the test server: renewals use it) */
  license = offline_test_license_new ();
  offline_test_license_add_key (license, KID_VIDEO, KEY_VIDEO);
  offline_test_license_add_key (license, KID_AUDIO, KEY_AUDIO);
  offline_test_store_protected (storing, license, "cenc", "cenc", FALSE);
  offline_test_store_protected (storing, license, "cbcs", "cbcs", FALSE);
  offline_test_store_protected (storing, license, "cenc-nopssh", "cenc", TRUE);
  offline_test_store_protected (storing, license, "cbcs-nopssh", "cbcs", TRUE);
  offline_test_store_protected (storing, license, "missing-key", "cenc", FALSE);
  offline_test_license_set_expiration (license, EXPIRED);
  offline_test_store_protected (storing, license, "expired", "cenc", FALSE);
  offline_test_license_set_expiration (license, 0);

  /* the clear reference: the video and the English audio encrypted */
  offline_url_provider_add (storing->provider, "clear", url, NULL, NULL, NULL);
  offline_download_options_set_bitrate (options, 150000);
  offline_download_options_set_language (options, "en");
  offline_manager_download_async (storing->manager, "clear", options, NULL,
                                  offline_test_result_cb, &result);
  offline_test_wait_result (&result);
  g_assert_true (offline_manager_download_finish (storing->manager, result, &error));
  g_assert_no_error (error);
}

typedef struct {
  OfflineTestChecksums video;
  OfflineTestAudio audio;
  gboolean is_protected;
  gint64 license_expiration;
} Played;

static void
source_setup_cb (GstElement *player,
                 GstElement *source,
                 GstElement **slot)
{
  gst_object_replace ((GstObject **) slot, GST_OBJECT (source));
}

/* Plays offline://@id to EOS with @factory (playbin or playbin3) into
 * @played, with offlinesrc's properties once it played. */
static void
play (const char *factory,
      const char *id,
      Played     *played)
{
  GstElement *player = gst_element_factory_make (factory, NULL);
  g_autofree char *uri = g_strconcat ("offline://", id, NULL);
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GstElement) source = NULL;
  guint flags = 0;

  g_assert_nonnull (player);
  /* no subtitles drawn into the frames: the clear reference has some */
  g_object_get (player, "flags", &flags, NULL);
  g_object_set (player, "flags", flags & ~PLAY_FLAG_TEXT, NULL);
  g_object_set (player, "uri", uri,
                "video-sink", offline_test_checksum_sink (&played->video),
                "audio-sink", offline_test_audio_sink (&played->audio), NULL);
  g_signal_connect (player, "source-setup", G_CALLBACK (source_setup_cb), &source);
  message = offline_test_play_to_end (player);
  offline_test_assert_eos (message);
  g_assert_nonnull (source);
  g_object_get (source, "is-protected", &played->is_protected,
                "license-expiration", &played->license_expiration, NULL);
  gst_element_set_state (player, GST_STATE_NULL);
  gst_object_unref (player);
}

static void
played_init (Played *played)
{
  offline_test_checksums_init (&played->video);
  offline_test_audio_init (&played->audio);
}

static void
played_clear (Played *played)
{
  offline_test_checksums_clear (&played->video);
  offline_test_audio_clear (&played->audio);
}

typedef struct {
  const char *id;
  const char *factory;
} PlayCase;

/* A protected entry plays exactly as the clear encode: every frame, the
 * whole PCM. */
static void
test_same_as_clear (gconstpointer data)
{
  const PlayCase *c = data;
  guint licence_requests = offline_test_license_get_request_count (license);
  Played got, expected;

  played_init (&got);
  played_init (&expected);
  play (c->factory, c->id, &got);
  play (c->factory, "clear", &expected);
  /* playing needs no network: not even the licence server */
  g_assert_cmpuint (offline_test_license_get_request_count (license), ==, licence_requests);

  g_test_message ("%s %s: %u frames, %" G_GUINT64_FORMAT " audio samples", c->factory, c->id,
                  got.video.sums->len, got.audio.samples);
  g_assert_true (got.is_protected);
  g_assert_cmpint (got.license_expiration, ==, 0);
  g_assert_false (expected.is_protected);
  g_assert_cmpuint (expected.video.sums->len, ==, FRAMES);
  g_assert_cmpuint (got.video.sums->len, ==, expected.video.sums->len);
  for (guint i = 0; i < got.video.sums->len; i++)
    g_assert_cmpstr (g_ptr_array_index (got.video.sums, i), ==,
                     g_ptr_array_index (expected.video.sums, i));
  g_assert_cmpuint (expected.audio.samples, >, 0);
  g_assert_cmpuint (got.audio.samples, ==, expected.audio.samples);
  g_assert_cmpstr (g_checksum_get_string (got.audio.pcm), ==,
                   g_checksum_get_string (expected.audio.pcm));
  played_clear (&got);
  played_clear (&expected);
}

/* An expired licence: an ERROR before anything plays; renewed, it plays. */
static void
test_expired (void)
{
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PlayCase renewed = { "expired", "playbin" };

  offline_test_assert_play_fails ("expired", OFFLINE_ERROR_LICENSE_EXPIRED);

  /* the licence server now gives a licence that does not expire */
  manager = offline_manager_new (store_path, NULL, NULL, &error);
  g_assert_no_error (error);
  offline_manager_renew_license_async (manager, "expired", NULL, offline_test_result_cb, &result);
  offline_test_wait_result (&result);
  g_assert_true (offline_manager_renew_license_finish (manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&manager);
  test_same_as_clear (&renewed);
}

/* A key the stored licence lacks (here: deleted from the index): an
 * ERROR naming its key ID, and not one frame. */
static void
test_missing_key (void)
{
  g_autofree char *index = g_build_filename (store_path, "index.sqlite", NULL);
  g_autoptr(GstElement) player = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;
  int frames = 0;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (index, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM license_keys WHERE kid = '" KID_VIDEO "' AND "
                                     "entry = (SELECT row_id FROM entries WHERE id = 'missing-key')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  player = offline_test_playbin ("missing-key", offline_test_counting_sink (&frames),
                                 gst_element_factory_make ("fakesink", NULL));
  message = offline_test_play_to_end (player);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_ERROR);
  gst_message_parse_error (message, &error, &debug);
  g_test_message ("%s (%s)", error->message, debug);
  g_assert_true (g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECRYPT_NOKEY));
  g_assert_nonnull (strstr (error->message, KID_VIDEO));
  g_assert_cmpint (g_atomic_int_get (&frames), ==, 0);
  gst_element_set_state (player, GST_STATE_NULL);
}

static const PlayCase play_cases[] = {
  { "cenc", "playbin" },
  { "cenc", "playbin3" },
  { "cbcs", "playbin" },
  { "cbcs", "playbin3" },
  { "cenc-nopssh", "playbin" },
  { "cenc-nopssh", "playbin3" },
  { "cbcs-nopssh", "playbin" },
  { "cbcs-nopssh", "playbin3" },
};

int
main (int    argc,
      char **argv)
{
  int status;

  tmp_dir = offline_test_init_with_store (&argc, &argv, "offlinesrc-cenc-XXXXXX", store_fixtures,
                                          &store_path);

  for (guint i = 0; i < G_N_ELEMENTS (play_cases); i++) {
    g_autofree char *name = g_strdup_printf ("/offlinesrc-cenc/%s/%s", play_cases[i].id,
                                             play_cases[i].factory);

    g_test_add_data_func (name, &play_cases[i], test_same_as_clear);
  }
  g_test_add_func ("/offlinesrc-cenc/expired", test_expired);
  g_test_add_func ("/offlinesrc-cenc/missing-key", test_missing_key);

  status = offline_test_run_and_remove (tmp_dir, store_path);
  offline_test_license_free (license);
  return status;
}
