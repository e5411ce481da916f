/* test-limits.c: degenerate and hostile sizes: an empty manifest, a URL
 * of 60 MB, an MPD of a thousand million segments. Each is refused with
 * OFFLINE_ERROR_MANIFEST_INVALID and a short message, before it costs
 * anything (issue 8 §5).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-manager.h"

/* What a message may be at most: a few quoted URLs cut to 200
 * characters (of up to 4 bytes) and the words around them. */
#define MAX_MESSAGE_BYTES 2000

#define MPD_HEAD "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" " \
                 "mediaPresentationDuration=\"PT6S\"><Period>"

static void
assert_short_error (const GError *error,
                    const char   *contains)
{
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (strlen (error->message), <=, MAX_MESSAGE_BYTES);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (contains != NULL)
    g_assert_nonnull (strstr (error->message, contains));
}

/* A zero-length GBytes holds a NULL pointer: the sniffer must not do
 * arithmetic on it (UBSan: "applying zero offset to null pointer"), and
 * every way of parsing it says it is empty. */
static void
test_empty_data (void)
{
  static const struct {
    const char *uri;
    const char *content_type;
  } cases[] = {
    { "http://127.0.0.1/m.mpd", NULL },
    { "http://127.0.0.1/m.m3u8", NULL },
    { "http://127.0.0.1/manifest", NULL },
    { "http://127.0.0.1/manifest", "application/dash+xml" },
    { "http://127.0.0.1/manifest", "application/vnd.apple.mpegurl" },
  };
  g_autoptr(GBytes) null_empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) static_empty = g_bytes_new_static ("", 0);
  GBytes *empties[] = { null_empty, static_empty };

  g_assert_null (g_bytes_get_data (null_empty, NULL));
  for (gsize e = 0; e < G_N_ELEMENTS (empties); e++) {
    g_assert_cmpint (offline_manifest_guess_format (NULL, NULL, empties[e]), ==,
                     OFFLINE_MANIFEST_FORMAT_UNKNOWN);
    g_assert_cmpint (offline_manifest_guess_format ("http://127.0.0.1/m.mpd", NULL, empties[e]), ==,
                     OFFLINE_MANIFEST_FORMAT_DASH);

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
      g_autoptr(GError) error = NULL;
      g_autoptr(OfflinePresentation) presentation =
        offline_manifest_parse (empties[e], cases[i].uri, cases[i].content_type, &error);

      g_assert_null (presentation);
      assert_short_error (error, "empty");
    }
  }
}

/* A media playlist of @length bytes whose second URI line is @uri_length
 * bytes long. */
static GBytes *
playlist_with_long_uri (gsize uri_length)
{
  GString *text = g_string_sized_new (uri_length + 200);

  g_string_append (text, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                         "#EXTINF:2.0,\n../../hls/muxed/stream_160x90_000.ts\n#EXTINF:2.0,\n");
  g_string_append (text, "http://127.0.0.1/");
  while (text->len < uri_length + 150)
    g_string_append_c (text, 'a');
  g_string_append (text, ".ts\n#EXT-X-ENDLIST\n");
  return g_string_free_to_bytes (text);
}

/* A URI line of 60 MB in a playlist under the 64 MiB cap, a BaseURL or a
 * SegmentTemplate of 20 KB, a progressive URL of 20 KB: refused, with a
 * message quoting 200 characters of them at most. */
static void
test_long_uri_parse (void)
{
  g_autoptr(GBytes) hls = playlist_with_long_uri (60 * 1000 * 1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation = NULL;
  g_autofree char *long_path = g_strnfill (20000, 'b');
  g_autofree char *base_mpd = g_strdup_printf (
    MPD_HEAD "<BaseURL>%s/</BaseURL><AdaptationSet mimeType=\"video/mp4\"><Representation id=\"v\" "
    "bandwidth=\"1000\"><SegmentTemplate media=\"$Number$.m4s\" duration=\"2\"/></Representation>"
    "</AdaptationSet></Period></MPD>", long_path);
  g_autofree char *template_mpd = g_strdup_printf (
    MPD_HEAD "<AdaptationSet mimeType=\"video/mp4\"><Representation id=\"v\" bandwidth=\"1000\">"
    "<SegmentTemplate media=\"%s$Number$.m4s\" duration=\"2\"/></Representation>"
    "</AdaptationSet></Period></MPD>", long_path);
  g_autofree char *progressive = g_strdup_printf ("http://127.0.0.1/%s.mp4", long_path);
  const char *mpds[] = { base_mpd, template_mpd };

  presentation = offline_manifest_parse (hls, "http://127.0.0.1/a/b/m.m3u8", NULL, &error);
  g_assert_null (presentation);
  assert_short_error (error, "longer than 16384 bytes: ");
  g_clear_error (&error);

  for (gsize i = 0; i < G_N_ELEMENTS (mpds); i++) {
    g_autoptr(GBytes) bytes = offline_test_bytes (mpds[i]);

    presentation = offline_manifest_parse (bytes, "http://127.0.0.1/m.mpd", NULL, &error);
    g_assert_null (presentation);
    assert_short_error (error, "longer than 16384 bytes: ");
    g_clear_error (&error);
  }

  presentation = offline_manifest_parse (NULL, progressive, NULL, &error);
  g_assert_null (presentation);
  assert_short_error (error, "longer than 16384 bytes: ");
  g_clear_error (&error);

  /* the manifest URL itself, quoted by the sniffer's refusal */
  {
    g_autoptr(GBytes) html = offline_test_bytes ("<html></html>");
    g_autofree char *long_url = g_strdup_printf ("http://127.0.0.1/%s", long_path);

    presentation = offline_manifest_parse (html, long_url, NULL, &error);
    g_assert_null (presentation);
    assert_short_error (error, "…");
  }
}

/* Just under the cap is still a URL. */
static void
test_long_uri_accepted (void)
{
  g_autoptr(GBytes) hls = playlist_with_long_uri (16000);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation =
    offline_manifest_parse (hls, "http://127.0.0.1/a/b/m.m3u8", NULL, &error);
  OfflineTrack *track;

  g_assert_no_error (error);
  track = g_ptr_array_index (offline_presentation_get_tracks (presentation), 0);
  g_assert_cmpuint (offline_track_get_segments (track)->len, ==, 2);
}

/* The same 60 MB URI line through the manager, from the test server: the
 * download fails at once with a short message, asks the server for no
 * segment, and stores nothing. */
static void
test_long_uri_download (OfflineTestManager *f,
                        gconstpointer       data)
{
  g_autoptr(GBytes) hls = playlist_with_long_uri (60 * 1000 * 1000);
  g_autoptr(GError) error = NULL;

  offline_test_server_add_content (f->server, "a/b/long.m3u8", hls, NULL);
  offline_test_register (f, "long", "a/b/long.m3u8");

  g_assert_false (offline_test_download (f, "long", NULL, &error));
  assert_short_error (error, "longer than 16384 bytes: ");
  offline_test_assert_not_stored (f, "long");
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, NULL), ==, 1);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server,
                                                           "hls/muxed/stream_160x90_000.ts"), ==, 0);
}

/* An MPD of @n_representations Representations of 10^6 segments each. */
static GBytes *
mpd_of_million_segment_representations (guint n_representations)
{
  GString *text = g_string_new ("<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" "
                                "type=\"static\" mediaPresentationDuration=\"PT1000000S\"><Period>"
                                "<AdaptationSet mimeType=\"video/mp4\">"
                                "<SegmentTemplate media=\"$RepresentationID$/$Number$.m4s\" duration=\"1\"/>");

  for (guint i = 0; i < n_representations; i++)
    g_string_append_printf (text, "<Representation id=\"r%u\" bandwidth=\"%u\"/>", i, 1000 + i);
  g_string_append (text, "</AdaptationSet></Period></MPD>");
  return g_string_free_to_bytes (text);
}

/* Every Representation is counted before any segment is made: the MPD is
 * refused at the second one, having made none (the message gives the
 * count, which only counting them all first can know). One Representation
 * of 10^6 segments is within the limit. */
static void
test_segment_count (void)
{
  g_autoptr(GBytes) many = mpd_of_million_segment_representations (1000);
  g_autoptr(GBytes) one = mpd_of_million_segment_representations (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) refused =
    offline_manifest_parse (many, "http://127.0.0.1/m.mpd", NULL, &error);
  g_autoptr(OfflinePresentation) accepted = NULL;
  OfflineTrack *track;

  g_assert_null (refused);
  assert_short_error (error, "Representation \"r1\"");
  g_assert_nonnull (strstr (error->message, "at least 2000000 segments"));
  g_clear_error (&error);

  accepted = offline_manifest_parse (one, "http://127.0.0.1/m.mpd", NULL, &error);
  g_assert_no_error (error);
  track = g_ptr_array_index (offline_presentation_get_tracks (accepted), 0);
  g_assert_cmpuint (offline_track_get_segments (track)->len, ==, 1000000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/limits/empty-data", test_empty_data);
  g_test_add_func ("/limits/uri-length/parse", test_long_uri_parse);
  g_test_add_func ("/limits/uri-length/accepted", test_long_uri_accepted);
  g_test_add ("/limits/uri-length/download", OfflineTestManager, NULL, offline_test_manager_setup,
              test_long_uri_download, offline_test_manager_teardown);
  g_test_add_func ("/limits/segment-count", test_segment_count);

  return g_test_run ();
}
