/* test-model.c: the manifest model and the helpers the parsers share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-utils.h"

#include "offline-manifest-private.h"
#include "offline-presentation-private.h"
#include "offline-segment-private.h"
#include "offline-track-private.h"
#include "offline-language-private.h"

static void
test_parse_uint64 (void)
{
  guint64 value = 42;

  g_assert_true (offline_parse_uint64 ("0", G_MAXUINT64, &value));
  g_assert_cmpuint (value, ==, 0);
  g_assert_true (offline_parse_uint64 ("18446744073709551615", G_MAXUINT64, &value));
  g_assert_cmpuint (value, ==, G_MAXUINT64);
  g_assert_true (offline_parse_uint64 ("007", 10, &value));
  g_assert_cmpuint (value, ==, 7);

  value = 42;
  g_assert_false (offline_parse_uint64 ("18446744073709551616", G_MAXUINT64, &value));
  g_assert_false (offline_parse_uint64 ("11", 10, &value));
  g_assert_false (offline_parse_uint64 ("", 10, &value));
  g_assert_false (offline_parse_uint64 (NULL, 10, &value));
  g_assert_false (offline_parse_uint64 ("-1", 10, &value));
  g_assert_false (offline_parse_uint64 ("+1", 10, &value));
  g_assert_false (offline_parse_uint64 (" 1", 10, &value));
  g_assert_false (offline_parse_uint64 ("1 ", 10, &value));
  g_assert_false (offline_parse_uint64 ("0x10", 100, &value));
  g_assert_cmpuint (value, ==, 42);
}

static void
test_parse_double (void)
{
  double value = -1;

  g_assert_true (offline_parse_double ("2", &value));
  g_assert_cmpfloat (value, ==, 2.0);
  g_assert_true (offline_parse_double ("2.5", &value));
  g_assert_cmpfloat (value, ==, 2.5);
  g_assert_true (offline_parse_double ("0.040", &value));
  g_assert_cmpfloat_with_epsilon (value, 0.04, 1e-12);
  g_assert_true (offline_parse_double (".5", &value));
  g_assert_cmpfloat (value, ==, 0.5);
  g_assert_true (offline_parse_double ("10.", &value));
  g_assert_cmpfloat (value, ==, 10.0);

  value = -1;
  g_assert_false (offline_parse_double ("", &value));
  g_assert_false (offline_parse_double (".", &value));
  g_assert_false (offline_parse_double ("-2", &value));
  g_assert_false (offline_parse_double ("1e9", &value));
  g_assert_false (offline_parse_double ("inf", &value));
  g_assert_false (offline_parse_double ("nan", &value));
  g_assert_false (offline_parse_double ("0x1p3", &value));
  g_assert_false (offline_parse_double ("1.2.3", &value));
  g_assert_false (offline_parse_double ("2,5", &value));
  g_assert_cmpfloat (value, ==, -1);
}

static void
test_resolve_uri (void)
{
  static const struct {
    const char *base, *ref, *expected;
  } ok[] = {
    { "http://h/a/b/m.mpd", "seg.m4s", "http://h/a/b/seg.m4s" },
    { "http://h/a/b/m.mpd", "../x/seg.m4s", "http://h/a/x/seg.m4s" },
    { "http://h/a/b/m.mpd", "/root.m4s", "http://h/root.m4s" },
    { "http://h/a/b/m.mpd", "https://cdn/x.m4s?t=1", "https://cdn/x.m4s?t=1" },
    { "http://h/a/b/m.mpd", "//cdn/x.m4s", "http://cdn/x.m4s" },
    { "http://h/a/m.m3u8?token=abc", "seg%201.ts", "http://h/a/seg%201.ts" },
    { "HTTPS://h/a/m.m3u8", "x.ts", "https://h/a/x.ts" },
    /* spaces and line breaks are percent-encoded: no header injection */
    { "http://h/m.m3u8", "a b.ts", "http://h/a%20b.ts" },
    { "http://h/m.m3u8", "x.ts\r\nHost: evil", "http://h/x.ts%0D%0AHost:%20evil" },
    { "http://h/a/", "../../../../x", "http://h/x" },
  };
  static const char *refused[] = {
    "file:///etc/passwd", "data:text/plain,hi", "ftp://h/x", "javascript:alert(1)",
    "http:/..//cdn.example.com/a.ts",
  };
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++) {
    g_autofree char *resolved = offline_resolve_uri (ok[i].base, ok[i].ref, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (resolved, ==, ok[i].expected);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_autofree char *resolved = offline_resolve_uri ("http://h/m.mpd", refused[i], &error);

    g_assert_null (resolved);
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
    g_clear_error (&error);
  }
}

static void
test_ticks_to_us (void)
{
  GTimeSpan us = -1;

  g_assert_true (offline_ticks_to_us (180000, 90000, &us));
  g_assert_cmpint (us, ==, 2 * G_USEC_PER_SEC);
  g_assert_true (offline_ticks_to_us (1001, 30000, &us));
  g_assert_cmpint (us, ==, 33366);
  g_assert_true (offline_ticks_to_us (G_MAXUINT64, OFFLINE_MANIFEST_MAX_TIMESCALE, &us));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (18446744073709));

  us = -1;
  g_assert_false (offline_ticks_to_us (1, 0, &us));
  g_assert_false (offline_ticks_to_us (G_MAXUINT64, 1, &us));
  g_assert_false (offline_ticks_to_us (G_MAXUINT64 / 2, 1000, &us));
  g_assert_cmpint (us, ==, -1);
}

static void
test_segment_boxed (void)
{
  OfflineSegment *segment = offline_segment_new ("http://h/s.m4s");
  GValue value = G_VALUE_INIT;

  g_assert_false (offline_segment_has_range (segment));
  g_assert_cmpint (offline_segment_get_range_offset (segment), ==, -1);
  g_assert_cmpint (offline_segment_get_range_length (segment), ==, -1);

  g_value_init (&value, OFFLINE_TYPE_SEGMENT);
  g_value_set_boxed (&value, segment);
  offline_segment_unref (segment);
  segment = g_value_get_boxed (&value);
  g_assert_cmpstr (offline_segment_get_uri (segment), ==, "http://h/s.m4s");
  g_value_unset (&value);
}

static OfflineSegment *
ranged_segment (gint64 offset, gint64 length)
{
  OfflineSegment *segment = offline_segment_new ("http://h/f.mp4");

  segment->range_offset = offset;
  segment->range_length = length;
  return segment;
}

static void
test_track_sizes (void)
{
  g_autoptr(OfflineTrack) track = offline_track_new (OFFLINE_TRACK_TYPE_VIDEO, "v");
  gboolean complete = FALSE;

  g_assert_cmpint (offline_track_get_duration (track), ==, 0);
  offline_track_set_init_segment (track, ranged_segment (0, 100));
  offline_track_add_segment (track, ranged_segment (100, 1000));
  offline_track_add_segment (track, ranged_segment (1100, 900));
  g_assert_cmpuint (offline_track_get_known_size (track, &complete), ==, 2000);
  g_assert_true (complete);

  offline_track_add_segment (track, ranged_segment (2000, -1));
  g_assert_cmpuint (offline_track_get_known_size (track, &complete), ==, 2000);
  g_assert_false (complete);
}

static void
test_track_duration (void)
{
  g_autoptr(OfflineTrack) track = offline_track_new (OFFLINE_TRACK_TYPE_AUDIO, "a");

  for (int i = 0; i < 3; i++) {
    OfflineSegment *segment = offline_segment_new ("http://h/s");

    segment->start = 500000 + i * 2000000;
    segment->duration = 2000000;
    offline_track_add_segment (track, segment);
  }
  g_assert_cmpint (offline_track_get_duration (track), ==, 6000000);
}

static void
test_presentation_segment_bound (void)
{
  g_autoptr(OfflinePresentation) presentation =
    offline_presentation_new (OFFLINE_MANIFEST_FORMAT_DASH, "http://h/m.mpd");
  g_autoptr(GError) error = NULL;

  g_assert_true (offline_presentation_reserve_segments (presentation, OFFLINE_MANIFEST_MAX_SEGMENTS - 1, "A", &error));
  g_assert_no_error (error);
  g_assert_true (offline_presentation_reserve_segments (presentation, 1, "B", &error));
  g_assert_false (offline_presentation_reserve_segments (presentation, 1, "SegmentTimeline", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
  g_assert_nonnull (strstr (error->message, "SegmentTimeline"));
  g_clear_error (&error);
  g_assert_false (offline_presentation_reserve_segments (presentation, G_MAXUINT64, "C", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
}

static void
test_presentation_tracks (void)
{
  g_autoptr(OfflinePresentation) presentation =
    offline_presentation_new (OFFLINE_MANIFEST_FORMAT_HLS, "http://h/master.m3u8");
  OfflineTrack *track = offline_track_new (OFFLINE_TRACK_TYPE_VIDEO, "variant-0");

  track->playlist_uri = g_strdup ("http://h/v0.m3u8");
  offline_presentation_add_track (presentation, track);
  g_assert_true (offline_presentation_get_track_by_id (presentation, "variant-0") == track);
  g_assert_null (offline_presentation_get_track_by_id (presentation, "variant-1"));
  g_assert_true (offline_track_needs_playlist (track));
  g_assert_false (offline_presentation_is_complete (presentation));
  track->playlist_loaded = TRUE;
  g_assert_false (offline_track_needs_playlist (track));
  g_assert_true (offline_presentation_is_complete (presentation));
}

static void
test_language (void)
{
  static const struct {
    const char *tag, *normalized;
  } cases[] = {
    { "es", "es" }, { "es-ES", "es" }, { "ES_mx", "es" }, { "spa", "es" },
    { "eng", "en" }, { "ger", "de" }, { "deu", "de" }, { "fre", "fr" },
    { "zho", "zh" }, { "chi", "zh" }, { "zul", "zu" }, { "afr", "af" },
    { "yue", "yue" }, { "und", "und" }, { "x", "x" }, { "", NULL }, { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *normalized = offline_language_normalize (cases[i].tag);

    g_assert_cmpstr (normalized, ==, cases[i].normalized);
  }
  g_assert_true (offline_language_matches ("es", "es-ES"));
  g_assert_true (offline_language_matches ("spa", "ES"));
  g_assert_false (offline_language_matches ("es", "en"));
  g_assert_false (offline_language_matches ("es", NULL));
  g_assert_false (offline_language_matches (NULL, NULL));
}

static void
test_error_domain (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFFLINE_TYPE_ERROR);

  g_assert_cmpstr (g_quark_to_string (OFFLINE_ERROR), ==, "offline-error-quark");
  g_assert_cmpint (OFFLINE_ERROR_MANIFEST_INVALID, ==, 16);
  g_assert_cmpint (OFFLINE_ERROR_LIVE_NOT_SUPPORTED, ==, 6);
  g_assert_nonnull (g_enum_get_value (klass, OFFLINE_ERROR_ENTRY_DAMAGED));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/parse-uint64", test_parse_uint64);
  g_test_add_func ("/model/parse-double", test_parse_double);
  g_test_add_func ("/model/resolve-uri", test_resolve_uri);
  g_test_add_func ("/model/ticks-to-us", test_ticks_to_us);
  g_test_add_func ("/model/segment-boxed", test_segment_boxed);
  g_test_add_func ("/model/track-sizes", test_track_sizes);
  g_test_add_func ("/model/track-duration", test_track_duration);
  g_test_add_func ("/model/presentation-segment-bound", test_presentation_segment_bound);
  g_test_add_func ("/model/presentation-tracks", test_presentation_tracks);
  g_test_add_func ("/model/language", test_language);
  g_test_add_func ("/model/error-domain", test_error_domain);

  return g_test_run ();
}
