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

GBytes *
offline_test_oversized_playlist (gsize size)
{
  char *text = g_malloc (size);

  g_assert_cmpuint (size, >=, strlen ("#EXTM3U"));
  memset (text, '\n', size);
  memcpy (text, "#EXTM3U", strlen ("#EXTM3U"));
  return g_bytes_new_take (text, size);
}

OfflinePresentation *
offline_test_manifest_parse (GBytes      *data,
                             const char  *uri,
                             GError     **error)
{
  return offline_manifest_parse (data, uri, NULL, error);
}

static OfflinePresentation *
parse_bytes (OfflineTestParseFunc  parse,
             GBytes               *data,
             const char           *path)
{
  g_autofree char *url = offline_test_url (path);
  g_autoptr(GError) error = NULL;
  OfflinePresentation *presentation = parse (data, url, &error);

  g_assert_no_error (error);
  g_assert_nonnull (presentation);
  return presentation;
}

OfflinePresentation *
offline_test_parse_file (OfflineTestParseFunc  parse,
                         const char           *path)
{
  g_autoptr(GBytes) data = offline_test_load (path);

  return parse_bytes (parse, data, path);
}

OfflinePresentation *
offline_test_parse_text (OfflineTestParseFunc  parse,
                         const char           *text,
                         const char           *path)
{
  g_autoptr(GBytes) data = offline_test_bytes (text);

  return parse_bytes (parse, data, path);
}

OfflinePresentation *
offline_test_parse_fixture (const char *path)
{
  OfflinePresentation *presentation = offline_test_parse_file (offline_test_manifest_parse, path);
  GPtrArray *tracks = offline_presentation_get_tracks (presentation);

  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);
    const char *playlist = offline_track_get_playlist_uri (track);
    g_autoptr(GBytes) media = NULL;
    g_autoptr(GError) error = NULL;

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

GError *
offline_test_parse_refused (OfflineTestParseFunc  parse,
                            GBytes               *data,
                            const char           *path,
                            int                   code,
                            const char           *message)
{
  g_autofree char *url = offline_test_url (path);
  GError *error = NULL;
  g_autoptr(OfflinePresentation) presentation = parse (data, url, &error);

  g_assert_null (presentation);
  g_assert_error (error, OFFLINE_ERROR, code);
  if (message != NULL && strstr (error->message, message) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", error->message, message);
  return error;
}

gboolean
offline_test_assert_parse_result (OfflinePresentation *presentation,
                                  const GError        *error,
                                  int                  code)
{
  if (presentation != NULL) {
    g_assert_no_error (error);
    return TRUE;
  }
  g_assert_nonnull (error);
  g_assert_true (error->domain == OFFLINE_ERROR);
  if (code != OFFLINE_TEST_ANY_CODE)
    g_assert_error (error, OFFLINE_ERROR, code);
  return FALSE;
}

gboolean
offline_test_parse_prefix (OfflineTestParseFunc  parse,
                           GBytes               *data,
                           gsize                 length,
                           const char           *path,
                           int                   code)
{
  g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (data, 0, length);
  g_autofree char *url = offline_test_url (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation = parse (prefix, url, &error);

  return offline_test_assert_parse_result (presentation, error, code);
}

guint
offline_test_parse_prefixes (OfflineTestParseFunc  parse,
                             GBytes               *data,
                             const char           *path,
                             gsize                 from,
                             gsize                 to,
                             gsize                 step,
                             int                   code)
{
  guint n_parsed = 0;

  g_assert_cmpuint (step, >, 0);
  g_assert_cmpuint (to, <=, g_bytes_get_size (data));
  for (gsize length = from; length <= to; length += step)
    n_parsed += offline_test_parse_prefix (parse, data, length, path, code);
  return n_parsed;
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

static gpointer
element_at (GPtrArray *array,
            guint      index)
{
  g_assert_cmpuint (index, <, array->len);
  return g_ptr_array_index (array, index);
}

OfflineTrack *
offline_test_track_at (OfflinePresentation *presentation,
                       guint                index)
{
  return element_at (offline_presentation_get_tracks (presentation), index);
}

OfflineSegment *
offline_test_segment (OfflineTrack *track,
                      guint         index)
{
  return element_at (offline_track_get_segments (track), index);
}

void
offline_test_assert_n_segments (OfflineTrack *track,
                                guint         n)
{
  g_assert_cmpuint (offline_track_get_segments (track)->len, ==, n);
}

void
offline_test_assert_segment (OfflineSegment *segment,
                             const char     *uri,
                             GTimeSpan       start,
                             GTimeSpan       duration)
{
  g_assert_cmpstr (offline_segment_get_uri (segment), ==, uri);
  g_assert_cmpint (offline_segment_get_start (segment), ==, start);
  g_assert_cmpint (offline_segment_get_duration (segment), ==, duration);
}

void
offline_test_assert_range (OfflineSegment *segment,
                           gint64          offset,
                           gint64          length)
{
  g_assert_cmpint (offline_segment_get_range_offset (segment), ==, offset);
  g_assert_cmpint (offline_segment_get_range_length (segment), ==, length);
}

void
offline_test_assert_init (OfflineTrack *track,
                          const char   *uri,
                          gint64        offset,
                          gint64        length)
{
  OfflineSegment *init = offline_track_get_init_segment (track);

  if (uri == NULL) {
    g_assert_null (init);
    return;
  }
  g_assert_nonnull (init);
  offline_test_assert_segment (init, uri, 0, 0);
  offline_test_assert_range (init, offset, length);
  g_assert_cmpuint (offline_segment_get_number (init), ==, 0);
}

void
offline_test_assert_discontinuities (OfflineTrack *track,
                                     const guint  *expected,
                                     guint         n_expected)
{
  GPtrArray *segments = offline_track_get_segments (track);

  for (guint i = 0; i < segments->len; i++) {
    gboolean listed = FALSE;

    for (guint j = 0; j < n_expected; j++)
      listed |= expected[j] == i;
    g_assert_cmpint (offline_segment_get_discontinuity (g_ptr_array_index (segments, i)), ==, listed);
  }
}
