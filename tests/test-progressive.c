/* test-progressive.c: plain media URLs and format recognition
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-utils.h"

static void
assert_progressive (const char       *uri,
                    const char       *content_type,
                    OfflineTrackType  type,
                    const char       *mime_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation =
    offline_manifest_parse (NULL, uri, content_type, &error);
  GPtrArray *tracks, *segments;
  OfflineTrack *track;
  OfflineSegment *segment;

  g_assert_no_error (error);
  g_assert_cmpint (offline_presentation_get_format (presentation), ==, OFFLINE_MANIFEST_FORMAT_PROGRESSIVE);
  g_assert_cmpstr (offline_presentation_get_uri (presentation), ==, uri);
  g_assert_true (offline_presentation_is_complete (presentation));
  tracks = offline_presentation_get_tracks (presentation);
  g_assert_cmpuint (tracks->len, ==, 1);
  track = g_ptr_array_index (tracks, 0);
  g_assert_cmpstr (offline_track_get_id (track), ==, "main");
  g_assert_cmpint (offline_track_get_track_type (track), ==, type);
  g_assert_cmpstr (offline_track_get_mime_type (track), ==, mime_type);
  g_assert_null (offline_track_get_init_segment (track));
  segments = offline_track_get_segments (track);
  g_assert_cmpuint (segments->len, ==, 1);
  segment = g_ptr_array_index (segments, 0);
  g_assert_cmpstr (offline_segment_get_uri (segment), ==, uri);
  g_assert_false (offline_segment_has_range (segment));
}

static void
test_by_extension (void)
{
  assert_progressive (OFFLINE_TEST_BASE "progressive/clip.mp4", NULL,
                      OFFLINE_TRACK_TYPE_VIDEO, "video/mp4");
  assert_progressive (OFFLINE_TEST_BASE "progressive/clip.MP3?token=1#t=2", NULL,
                      OFFLINE_TRACK_TYPE_AUDIO, "audio/mpeg");
  assert_progressive ("https://cdn.example/v/movie.webm", NULL,
                      OFFLINE_TRACK_TYPE_VIDEO, "video/webm");
}

static void
test_by_content_type (void)
{
  assert_progressive ("https://cdn.example/download?id=7", "audio/mp4; codecs=mp4a.40.2",
                      OFFLINE_TRACK_TYPE_AUDIO, "audio/mp4");
  /* the server's word wins over the extension */
  assert_progressive ("https://cdn.example/clip.mp4", "video/webm",
                      OFFLINE_TRACK_TYPE_VIDEO, "video/webm");
}

static void
test_refused_uris (void)
{
  static const char *uris[] = {
    "file:///etc/passwd.mp4", "clip.mp4", "/abs/clip.mp4", "ftp://h/clip.mp4",
    "http://h/clip with space.mp4",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (uris); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(OfflinePresentation) presentation = offline_progressive_parse (uris[i], NULL, &error);

    g_assert_null (presentation);
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI);
  }
}

static void
test_guess_format (void)
{
  g_autoptr(GBytes) mpd = offline_test_bytes ("\xef\xbb\xbf\n  <?xml version=\"1.0\"?><MPD/>");
  g_autoptr(GBytes) m3u8 = offline_test_bytes ("\r\n#EXTM3U\n");
  g_autoptr(GBytes) junk = offline_test_bytes ("hello");

  g_assert_cmpint (offline_manifest_guess_format ("http://h/x", NULL, mpd), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_cmpint (offline_manifest_guess_format ("http://h/x.mpd", NULL, m3u8), ==, OFFLINE_MANIFEST_FORMAT_HLS);
  g_assert_cmpint (offline_manifest_guess_format ("http://h/x", "application/dash+xml", junk), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_cmpint (offline_manifest_guess_format ("http://h/x", "Application/vnd.apple.mpegURL; charset=utf-8", NULL), ==, OFFLINE_MANIFEST_FORMAT_HLS);
  g_assert_cmpint (offline_manifest_guess_format ("http://h/a/x.m3u8?v=1", NULL, junk), ==, OFFLINE_MANIFEST_FORMAT_HLS);
  g_assert_cmpint (offline_manifest_guess_format ("http://h/x.MPD", NULL, NULL), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_cmpint (offline_manifest_guess_format ("http://h/x.mkv", NULL, NULL), ==, OFFLINE_MANIFEST_FORMAT_PROGRESSIVE);
  g_assert_cmpint (offline_manifest_guess_format ("http://h/x.html", "text/html", junk), ==, OFFLINE_MANIFEST_FORMAT_UNKNOWN);
  g_assert_cmpint (offline_manifest_guess_format ("http://h/dir.mp4/", NULL, NULL), ==, OFFLINE_MANIFEST_FORMAT_UNKNOWN);
  g_assert_cmpint (offline_manifest_guess_format (NULL, NULL, NULL), ==, OFFLINE_MANIFEST_FORMAT_UNKNOWN);
}

static void
test_unknown_format (void)
{
  g_autoptr(GBytes) junk = offline_test_bytes ("<html><body>Not found</body></html>");
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation =
    offline_manifest_parse (junk, "http://h/page", "text/html", &error);

  g_assert_null (presentation);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
  g_clear_error (&error);

  /* a DASH URL without its contents cannot be parsed */
  g_assert_null (offline_manifest_parse (NULL, "http://h/m.mpd", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/progressive/by-extension", test_by_extension);
  g_test_add_func ("/progressive/by-content-type", test_by_content_type);
  g_test_add_func ("/progressive/refused-uris", test_refused_uris);
  g_test_add_func ("/manifest/guess-format", test_guess_format);
  g_test_add_func ("/manifest/unknown-format", test_unknown_format);

  return g_test_run ();
}
