/* offline-test-utils.c: helpers shared by the test programs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-utils.h"

GBytes *
offline_test_load (const char *path)
{
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", path, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (file, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

char *
offline_test_url (const char *path)
{
  return g_strconcat (OFFLINE_TEST_BASE, path, NULL);
}

GBytes *
offline_test_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

OfflinePresentation *
offline_test_parse_fixture (const char *path)
{
  g_autoptr(GBytes) data = offline_test_load (path);
  g_autofree char *url = offline_test_url (path);
  g_autoptr(GError) error = NULL;
  OfflinePresentation *presentation;
  GPtrArray *tracks;

  presentation = offline_manifest_parse (data, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (presentation);

  tracks = offline_presentation_get_tracks (presentation);
  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);
    const char *playlist = offline_track_get_playlist_uri (track);
    g_autoptr(GBytes) media = NULL;

    if (!offline_track_needs_playlist (track))
      continue;
    g_assert_true (g_str_has_prefix (playlist, OFFLINE_TEST_BASE));
    media = offline_test_load (playlist + strlen (OFFLINE_TEST_BASE));
    offline_hls_parse_media_playlist (presentation, track, media, playlist, &error);
    g_assert_no_error (error);
  }
  g_assert_true (offline_presentation_is_complete (presentation));
  return presentation;
}

OfflineTrack *
offline_test_track (OfflinePresentation *presentation,
                    const char          *id)
{
  OfflineTrack *track = offline_presentation_get_track_by_id (presentation, id);

  if (track == NULL)
    g_error ("no track with id %s", id);
  return track;
}
