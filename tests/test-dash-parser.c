/* test-dash-parser.c: the DASH MPD parser, on the ffmpeg fixtures of
 * tests/data/dash/, the hand-written MPDs of tests/data/dash-edge/ and
 * inline edge cases; expected values are read off the MPDs by hand. The
 * refusals are in test-dash-bad-input.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-utils.h"
#include "offline-track-private.h"

#define EDGE OFFLINE_TEST_BASE "dash-edge/"
#define MPD_OPEN "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\""
#define MPD_HEAD(duration) MPD_OPEN " mediaPresentationDuration=\"" duration "\">\n"
#define S 1000000  /* µs per second */

/* A static DASH presentation. */
static OfflinePresentation *
check_parsed (OfflinePresentation *presentation)
{
  g_assert_cmpint (offline_presentation_get_format (presentation), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_false (offline_presentation_get_is_live (presentation));
  return presentation;
}

/* @mpd as fetched from EDGE "x.mpd". */
static OfflinePresentation *
parse_ok (const char *mpd)
{
  return check_parsed (offline_test_parse_text (offline_dash_parse, mpd, "dash-edge/x.mpd"));
}

/* tests/data/@path, as fetched from OFFLINE_TEST_BASE + @path. */
static OfflinePresentation *
parse_file (const char *path)
{
  return check_parsed (offline_test_parse_file (offline_dash_parse, path));
}

/* Segment @index of @track: URL, times, no byte range. */
static void
check_segment (OfflineTrack *track,
               guint         index,
               const char   *uri,
               GTimeSpan     start,
               GTimeSpan     duration)
{
  offline_test_assert_segment (offline_test_segment (track, index), uri, start, duration);
}

/* ffmpeg fixtures */

static void
test_fixture_template_number (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash/template-number/manifest.mpd");
  const char *dir = OFFLINE_TEST_BASE "dash/template-number/";
  OfflineTrack *video = offline_test_track (p, "0");
  OfflineTrack *audio = offline_test_track (p, "3");
  OfflineTrack *subs = offline_test_track (p, "sub-en");

  g_assert_cmpint (offline_presentation_get_duration (p), ==, 6 * S);
  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 6);
  g_assert_cmpint (offline_track_get_track_type (video), ==, OFFLINE_TRACK_TYPE_VIDEO);
  g_assert_cmpuint (offline_track_get_bandwidth (video), ==, 150000);
  g_assert_cmpuint (offline_track_get_width (video), ==, 320);
  g_assert_cmpuint (offline_track_get_height (video), ==, 180);
  g_assert_cmpfloat (offline_track_get_frame_rate (video), ==, 25.0);
  g_assert_cmpstr (offline_track_get_codecs (video), ==, "avc1.4d400c");
  g_assert_cmpstr (offline_track_get_mime_type (video), ==, "video/mp4");
  offline_test_assert_init (video, OFFLINE_TEST_BASE "dash/template-number/init-stream0.m4s", -1, -1);
  offline_test_assert_n_segments (video, 3);
  for (guint i = 0; i < 3; i++) {
    g_autofree char *uri = g_strdup_printf ("%schunk-stream0-%05u.m4s", dir, i + 1);

    check_segment (video, i, uri, i * 2 * S, 2 * S);
    g_assert_cmpuint (offline_segment_get_number (offline_test_segment (video, i)), ==, i + 1);
    offline_test_assert_range (offline_test_segment (video, i), -1, -1);
  }
  offline_test_assert_discontinuities (video, NULL, 0);

  g_assert_cmpint (offline_track_get_track_type (audio), ==, OFFLINE_TRACK_TYPE_AUDIO);
  g_assert_cmpstr (offline_track_get_language (audio), ==, "es");
  offline_test_assert_init (audio, OFFLINE_TEST_BASE "dash/template-number/init-stream3.m4s", -1, -1);
  check_segment (audio, 2, OFFLINE_TEST_BASE "dash/template-number/chunk-stream3-00003.m4s",
                 4 * S, 2 * S);

  g_assert_cmpint (offline_track_get_track_type (subs), ==, OFFLINE_TRACK_TYPE_TEXT);
  g_assert_cmpstr (offline_track_get_language (subs), ==, "en");
  g_assert_cmpstr (offline_track_get_mime_type (subs), ==, "text/vtt");
  offline_test_assert_init (subs, NULL, 0, 0);
  offline_test_assert_n_segments (subs, 1);
  check_segment (subs, 0, OFFLINE_TEST_BASE "dash/template-number/subs-en.vtt", 0, 6 * S);
  offline_test_assert_range (offline_test_segment (subs, 0), -1, -1);
}

static void
test_fixture_template_timeline (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash/template-timeline/manifest.mpd");
  OfflineTrack *video = offline_test_track (p, "0");
  OfflineTrack *audio = offline_test_track (p, "1");

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 2);
  offline_test_assert_init (video, OFFLINE_TEST_BASE "dash/template-timeline/init-0.m4s", -1, -1);
  offline_test_assert_n_segments (video, 3);
  /* S t=0 d=25600 r=2 at 12800 per second */
  check_segment (video, 0, OFFLINE_TEST_BASE "dash/template-timeline/chunk-0-0.m4s", 0, 2 * S);
  check_segment (video, 1, OFFLINE_TEST_BASE "dash/template-timeline/chunk-0-25600.m4s", 2 * S, 2 * S);
  check_segment (video, 2, OFFLINE_TEST_BASE "dash/template-timeline/chunk-0-51200.m4s", 4 * S, 2 * S);
  /* S t=0 d=96256 r=1, S d=95488 at 48000 per second */
  offline_test_assert_n_segments (audio, 3);
  check_segment (audio, 0, OFFLINE_TEST_BASE "dash/template-timeline/chunk-1-0.m4s", 0, 2005333);
  check_segment (audio, 1, OFFLINE_TEST_BASE "dash/template-timeline/chunk-1-96256.m4s",
                 2005333, 2005333);
  check_segment (audio, 2, OFFLINE_TEST_BASE "dash/template-timeline/chunk-1-192512.m4s",
                 4010666, 6 * S - 4010666);
  g_assert_cmpuint (offline_segment_get_number (offline_test_segment (audio, 2)), ==, 3);
}

static void
test_fixture_segment_base (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash/segment-base/manifest.mpd");
  static const struct {
    const char *id;
    gint64 init_end, index_end;
  } expected[] = {
    { "0", 793, 869 }, { "1", 794, 870 }, { "2", 731, 807 }, { "3", 731, 807 },
  };

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
    OfflineTrack *track = offline_test_track (p, expected[i].id);
    g_autofree char *uri = g_strdup_printf (OFFLINE_TEST_BASE "dash/segment-base/manifest-stream%s.mp4",
                                            expected[i].id);
    offline_test_assert_init (track, uri, 0, expected[i].init_end + 1);
    offline_test_assert_n_segments (track, 1);
    check_segment (track, 0, uri, 0, 6 * S);
    offline_test_assert_range (offline_test_segment (track, 0), expected[i].init_end + 1, -1);
    g_assert_cmpint (track->index_range_offset, ==, expected[i].init_end + 1);
    g_assert_cmpint (track->index_range_length, ==, expected[i].index_end - expected[i].init_end);
  }
}

static void
test_fixture_segment_list (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash/segment-list/manifest.mpd");

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 4);
  for (guint t = 0; t < 4; t++) {
    g_autofree char *id = g_strdup_printf ("%u", t);
    g_autofree char *init = g_strdup_printf (OFFLINE_TEST_BASE "dash/segment-list/init-stream%u.m4s", t);
    OfflineTrack *track = offline_test_track (p, id);

    offline_test_assert_init (track, init, -1, -1);
    offline_test_assert_n_segments (track, 3);
    for (guint i = 0; i < 3; i++) {
      g_autofree char *uri = g_strdup_printf (OFFLINE_TEST_BASE "dash/segment-list/chunk-stream%u-%05u.m4s",
                                              t, i + 1);

      check_segment (track, i, uri, i * 2 * S, 2 * S);
      g_assert_cmpuint (offline_segment_get_number (offline_test_segment (track, i)), ==, i + 1);
    }
  }
}

static void
test_fixture_segment_list_range (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash/segment-list-range/manifest.mpd");
  static const struct {
    const char *id;
    gint64 init_end;
    gint64 ranges[3][2];
  } expected[] = {
    { "0", 789, { { 790, 41620 }, { 41621, 87037 }, { 87038, 128745 } } },
    { "1", 790, { { 791, 17816 }, { 17817, 35924 }, { 35925, 51863 } } },
    { "2", 727, { { 728, 13254 }, { 13255, 25860 }, { 25861, 38812 } } },
    { "3", 727, { { 728, 13366 }, { 13367, 25958 }, { 25959, 38896 } } },
  };

  for (guint t = 0; t < G_N_ELEMENTS (expected); t++) {
    OfflineTrack *track = offline_test_track (p, expected[t].id);
    g_autofree char *uri = g_strdup_printf (OFFLINE_TEST_BASE "dash/segment-list-range/manifest-stream%s.mp4",
                                            expected[t].id);

    offline_test_assert_init (track, uri, 0, expected[t].init_end + 1);
    offline_test_assert_n_segments (track, 3);
    for (guint i = 0; i < 3; i++) {
      check_segment (track, i, uri, i * 2 * S, 2 * S);
      offline_test_assert_range (offline_test_segment (track, i), expected[t].ranges[i][0],
                   expected[t].ranges[i][1] - expected[t].ranges[i][0] + 1);
    }
  }
}

static void
test_fixture_multi_period (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash/multi-period/manifest.mpd");
  static const guint period_starts[] = { 3 };

  g_assert_cmpint (offline_presentation_get_duration (p), ==, 12 * S);
  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 4);
  for (guint t = 0; t < 4; t++) {
    g_autofree char *id = g_strdup_printf ("%u", t);
    g_autofree char *init = g_strdup_printf (OFFLINE_TEST_BASE "dash/template-number/init-stream%u.m4s", t);
    OfflineTrack *track = offline_test_track (p, id);

    /* Period@BaseURL "../template-number/" */
    offline_test_assert_init (track, init, -1, -1);
    offline_test_assert_n_segments (track, 6);
    for (guint i = 0; i < 6; i++) {
      g_autofree char *uri = g_strdup_printf (OFFLINE_TEST_BASE "dash/template-number/chunk-stream%u-%05u.m4s",
                                              t, i % 3 + 1);

      check_segment (track, i, uri, i * 2 * S, 2 * S);
      g_assert_cmpuint (offline_segment_get_number (offline_test_segment (track, i)), ==, i % 3 + 1);
    }
    offline_test_assert_discontinuities (track, period_starts, G_N_ELEMENTS (period_starts));
  }
  g_assert_cmpstr (offline_track_get_language (offline_test_track (p, "3")), ==, "es");
}

/* The same fixture through offline_manifest_parse(), which must recognise
 * it as DASH. */
static void
test_fixture_through_manifest_parse (void)
{
  g_autoptr(OfflinePresentation) p = offline_test_parse_fixture ("dash/template-number/manifest.mpd");

  g_assert_cmpint (offline_presentation_get_format (p), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 6);
}

/* hand-written edge cases */

static void
test_base_url_chain (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/base-url-chain.mpd");
  OfflineTrack *rel = offline_test_track (p, "v-rel");
  OfflineTrack *abs = offline_test_track (p, "v-abs");
  OfflineTrack *none = offline_test_track (p, "v-none");
  OfflineTrack *root = offline_test_track (p, "v-root");
  OfflineTrack *audio = offline_test_track (p, "a");

  offline_test_assert_init (rel, "http://cdn.example.com/root/as/rep/v-rel/init.mp4", -1, -1);
  offline_test_assert_n_segments (rel, 2);
  check_segment (rel, 0, "http://cdn.example.com/root/as/rep/v-rel/1.m4s", 0, 2 * S);
  check_segment (rel, 1, "http://cdn.example.com/root/as/rep/v-rel/2.m4s", 2 * S, 2 * S);
  offline_test_assert_init (abs, "https://other.example.org/abs/v-abs/init.mp4", -1, -1);
  check_segment (abs, 1, "https://other.example.org/abs/v-abs/2.m4s", 2 * S, 2 * S);
  check_segment (none, 0, "http://cdn.example.com/root/as/v-none/1.m4s", 0, 2 * S);
  check_segment (root, 0, "http://cdn.example.com/top/v-root/1.m4s", 0, 2 * S);

  offline_test_assert_init (audio, "https://audio.example.net/a/audio.mp4", 0, 100);
  offline_test_assert_n_segments (audio, 1);
  check_segment (audio, 0, "https://audio.example.net/a/audio.mp4", 0, 4 * S);
  offline_test_assert_range (offline_test_segment (audio, 0), 100, -1);
  g_assert_cmpint (audio->index_range_offset, ==, 100);
  g_assert_cmpint (audio->index_range_length, ==, 100);
}

static void
test_base_url_relative_to_manifest (void)
{
  g_autoptr(OfflinePresentation) p = parse_ok (
    MPD_HEAD ("PT2S") "<BaseURL>media/</BaseURL><Period><AdaptationSet contentType=\"video\">"
    "<Representation id=\"v\"><SegmentTemplate duration=\"2\" media=\"$Number$.m4s\"/>"
    "</Representation></AdaptationSet><AdaptationSet contentType=\"audio\">"
    "<Representation id=\"a\"><BaseURL>../a.mp4</BaseURL></Representation>"
    "</AdaptationSet></Period></MPD>");

  check_segment (offline_test_track (p, "v"), 0, EDGE "media/1.m4s", 0, 2 * S);
  check_segment (offline_test_track (p, "a"), 0, EDGE "a.mp4", 0, 2 * S);
}

static void
test_template_identifiers (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/template-identifiers.mpd");
  OfflineTrack *track = offline_test_track (p, "v1");

  offline_test_assert_init (track, EDGE "init_$v1$_500000.mp4", -1, -1);
  /* ⌈10 s / 4 s⌉ segments, the last cut at the end of the Period */
  offline_test_assert_n_segments (track, 3);
  check_segment (track, 0, EDGE "s_$_v1_500000_000500000_7_00007_000000000000.m4s", 0, 4 * S);
  check_segment (track, 1, EDGE "s_$_v1_500000_000500000_8_00008_000000004000.m4s", 4 * S, 4 * S);
  check_segment (track, 2, EDGE "s_$_v1_500000_000500000_9_00009_000000008000.m4s", 8 * S, 2 * S);
  g_assert_cmpuint (offline_segment_get_number (offline_test_segment (track, 0)), ==, 7);
  g_assert_cmpuint (offline_segment_get_number (offline_test_segment (track, 2)), ==, 9);
}

static void
test_template_presentation_time_offset (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/presentation-time-offset.mpd");
  OfflineTrack *dur = offline_test_track (p, "dur");
  OfflineTrack *tl = offline_test_track (p, "tl");

  offline_test_assert_n_segments (dur, 3);
  check_segment (dur, 0, EDGE "d-5000-1.m4s", 10 * S, 2 * S);
  check_segment (dur, 1, EDGE "d-7000-2.m4s", 12 * S, 2 * S);
  check_segment (dur, 2, EDGE "d-9000-3.m4s", 14 * S, 2 * S);
  offline_test_assert_n_segments (tl, 3);
  check_segment (tl, 0, EDGE "t-900000.m4s", 10 * S, 2 * S);
  check_segment (tl, 1, EDGE "t-1080000.m4s", 12 * S, 2 * S);
  check_segment (tl, 2, EDGE "t-1260000.m4s", 14 * S, 2 * S);
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 16 * S);
}

static void
test_timeline_repeats_and_gaps (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/timeline.mpd");
  OfflineTrack *track = offline_test_track (p, "v");
  static const struct {
    guint64 time;
    GTimeSpan duration;
  } expected[] = {
    { 0, 2 * S }, { 20, 2 * S }, { 40, 2 * S }, { 60, 2 * S }, { 70, S }, { 80, S },
    { 120, 3 * S }, { 150, 1500000 }, { 165, 1500000 }, { 180, 1500000 }, { 195, S / 2 },
  };

  offline_test_assert_n_segments (track, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
    g_autofree char *uri = g_strdup_printf (EDGE "t%" G_GUINT64_FORMAT "-n%u.m4s", expected[i].time, i);

    check_segment (track, i, uri, expected[i].time * S / 10, expected[i].duration);
    g_assert_cmpuint (offline_segment_get_number (offline_test_segment (track, i)), ==, i);
  }
}

static void
test_inheritance (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/inheritance.mpd");
  OfflineTrack *period = offline_test_track (p, "v-period");
  OfflineTrack *override = offline_test_track (p, "v-override");
  OfflineTrack *timeline = offline_test_track (p, "a-timeline");
  OfflineTrack *duration = offline_test_track (p, "a-duration");

  offline_test_assert_init (period, EDGE "period/v-period-init.mp4", -1, -1);
  offline_test_assert_n_segments (period, 3);
  check_segment (period, 0, EDGE "period/v-period-10.m4s", 0, 2 * S);
  check_segment (period, 2, EDGE "period/v-period-12.m4s", 4 * S, 2 * S);

  offline_test_assert_init (override, EDGE "period/v-override-init.mp4", -1, -1);
  offline_test_assert_n_segments (override, 3);
  check_segment (override, 0, EDGE "rep/v-override-1.m4s", 0, 2 * S);
  check_segment (override, 2, EDGE "rep/v-override-3.m4s", 4 * S, 2 * S);

  offline_test_assert_init (timeline, EDGE "period/a-timeline-init.mp4", -1, -1);
  offline_test_assert_n_segments (timeline, 3);
  check_segment (timeline, 0, EDGE "as/a-timeline-0.m4s", 0, 2 * S);
  check_segment (timeline, 1, EDGE "as/a-timeline-96000.m4s", 2 * S, 2 * S);
  check_segment (timeline, 2, EDGE "as/a-timeline-192000.m4s", 4 * S, 2 * S);
  g_assert_cmpuint (offline_segment_get_number (offline_test_segment (timeline, 0)), ==, 10);

  offline_test_assert_n_segments (duration, 2);
  check_segment (duration, 0, EDGE "as/a-duration-0.m4s", 0, 3 * S);
  check_segment (duration, 1, EDGE "as/a-duration-144000.m4s", 3 * S, 3 * S);
}

static void
test_segment_list (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/segment-list.mpd");
  OfflineTrack *media = offline_test_track (p, "media");
  OfflineTrack *no_media = offline_test_track (p, "no-media");
  OfflineTrack *timeline = offline_test_track (p, "timeline");

  offline_test_assert_init (media, EDGE "list/init.mp4", 0, 500);
  offline_test_assert_n_segments (media, 3);
  check_segment (media, 0, EDGE "list/a.m4s", 0, 2 * S);
  offline_test_assert_range (offline_test_segment (media, 0), -1, -1);
  check_segment (media, 1, EDGE "list/b.m4s", 2 * S, 2 * S);
  offline_test_assert_range (offline_test_segment (media, 1), 100, 100);
  check_segment (media, 2, EDGE "list/c.m4s", 4 * S, S);  /* cut at the Period end */

  offline_test_assert_init (no_media, EDGE "file.mp4", 0, 1000);
  offline_test_assert_n_segments (no_media, 2);
  check_segment (no_media, 0, EDGE "file.mp4", 0, 2 * S);
  offline_test_assert_range (offline_test_segment (no_media, 0), 1000, 1000);
  check_segment (no_media, 1, EDGE "file.mp4", 2 * S, 2 * S);
  offline_test_assert_range (offline_test_segment (no_media, 1), 2000, 1000);
  g_assert_cmpuint (offline_segment_get_number (offline_test_segment (no_media, 1)), ==, 6);

  offline_test_assert_init (timeline, NULL, 0, 0);
  offline_test_assert_n_segments (timeline, 3);
  check_segment (timeline, 0, EDGE "t1.m4s", 0, S);
  check_segment (timeline, 1, EDGE "t2.m4s", S, S);
  check_segment (timeline, 2, EDGE "t3.m4s", 2 * S, 3 * S);
}

static void
test_segment_base (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/segment-base.mpd");
  OfflineTrack *inherit = offline_test_track (p, "inherit");
  OfflineTrack *index_only = offline_test_track (p, "index-only");
  OfflineTrack *source = offline_test_track (p, "source");
  OfflineTrack *ttml = offline_test_track (p, "ttml");

  offline_test_assert_init (inherit, EDGE "inherit.mp4", 0, 1000);
  offline_test_assert_n_segments (inherit, 1);
  check_segment (inherit, 0, EDGE "inherit.mp4", 0, 30 * S);
  offline_test_assert_range (offline_test_segment (inherit, 0), 1000, -1);
  g_assert_cmpint (inherit->index_range_offset, ==, 1000);
  g_assert_cmpint (inherit->index_range_length, ==, 1000);

  offline_test_assert_init (index_only, NULL, 0, 0);
  offline_test_assert_n_segments (index_only, 1);
  check_segment (index_only, 0, EDGE "index-only.mp4", 0, 30 * S);
  offline_test_assert_range (offline_test_segment (index_only, 0), -1, -1);
  g_assert_cmpint (index_only->index_range_offset, ==, 500);
  g_assert_cmpint (index_only->index_range_length, ==, 100);

  offline_test_assert_init (source, EDGE "source-init.mp4", -1, -1);
  check_segment (source, 0, EDGE "source.mp4", 0, 30 * S);
  offline_test_assert_range (offline_test_segment (source, 0), -1, -1);

  g_assert_cmpint (offline_track_get_track_type (ttml), ==, OFFLINE_TRACK_TYPE_TEXT);
  g_assert_cmpstr (offline_track_get_language (ttml), ==, "de");
  offline_test_assert_init (ttml, NULL, 0, 0);
  offline_test_assert_n_segments (ttml, 1);
  check_segment (ttml, 0, "https://subs.example.com/de.ttml", 0, 30 * S);
}

static void
test_multi_period_matching (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/multi-period.mpd");
  GPtrArray *tracks = offline_presentation_get_tracks (p);
  static const char * const order[] = { "v-hi", "v-lo", "a-en", "subs", "c-de", "a-en-p2" };
  static const guint second_and_third[] = { 2, 4 };
  static const guint second[] = { 2 };
  static const guint first[] = { 0 };
  OfflineTrack *hi = offline_test_track (p, "v-hi");
  OfflineTrack *lo = offline_test_track (p, "v-lo");
  OfflineTrack *audio = offline_test_track (p, "a-en");
  OfflineTrack *subs = offline_test_track (p, "subs");
  OfflineTrack *de = offline_test_track (p, "c-de");
  OfflineTrack *renamed = offline_test_track (p, "a-en-p2");

  /* a: 0-4 s, b: 4-7 s (no @start, up to the next @start), c: 7-9 s */
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 9 * S);
  g_assert_cmpuint (tracks->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (offline_track_get_id (g_ptr_array_index (tracks, i)), ==, order[i]);

  /* b: "v-hi" by its id although its bandwidth is nearest "v-lo";
   * c: "c-hi" (1.9 Mb/s) by the nearest bandwidth */
  offline_test_assert_init (hi, EDGE "v-hi/init.mp4", -1, -1);
  offline_test_assert_n_segments (hi, 5);
  check_segment (hi, 0, EDGE "v-hi/1.m4s", 0, 2 * S);
  check_segment (hi, 1, EDGE "v-hi/2.m4s", 2 * S, 2 * S);
  check_segment (hi, 2, EDGE "b/v-hi/1.m4s", 4 * S, 2 * S);
  check_segment (hi, 3, EDGE "b/v-hi/2.m4s", 6 * S, S);
  check_segment (hi, 4, EDGE "c/c-hi/1.m4s", 7 * S, 2 * S);
  offline_test_assert_discontinuities (hi, second_and_third, G_N_ELEMENTS (second_and_third));
  g_assert_cmpuint (offline_track_get_bandwidth (hi), ==, 2000000);

  /* b: "b-lo" (600 kb/s) continues the video left, "v-lo" */
  offline_test_assert_init (lo, EDGE "v-lo/init.mp4", -1, -1);
  offline_test_assert_n_segments (lo, 4);
  check_segment (lo, 2, EDGE "b/b-lo/1.m4s", 4 * S, 2 * S);
  check_segment (lo, 3, EDGE "b/b-lo/2.m4s", 6 * S, S);
  offline_test_assert_discontinuities (lo, second, G_N_ELEMENTS (second));

  /* lang "EN" matches "en"; "de" does not and is a new track */
  offline_test_assert_n_segments (audio, 4);
  check_segment (audio, 2, EDGE "b/b-audio/1.m4s", 4 * S, 2 * S);
  offline_test_assert_discontinuities (audio, second, G_N_ELEMENTS (second));
  offline_test_assert_n_segments (de, 1);
  check_segment (de, 0, EDGE "c/c-de/1.m4s", 7 * S, 2 * S);
  offline_test_assert_discontinuities (de, first, G_N_ELEMENTS (first));
  g_assert_cmpstr (offline_track_get_language (de), ==, "de");

  g_assert_cmpint (offline_track_get_track_type (subs), ==, OFFLINE_TRACK_TYPE_TEXT);
  offline_test_assert_n_segments (subs, 1);
  check_segment (subs, 0, EDGE "subs-fr.vtt", 4 * S, 3 * S);
  offline_test_assert_discontinuities (subs, first, G_N_ELEMENTS (first));

  /* a text "a-en" of c cannot continue the audio "a-en" */
  g_assert_cmpint (offline_track_get_track_type (renamed), ==, OFFLINE_TRACK_TYPE_TEXT);
  offline_test_assert_n_segments (renamed, 1);
  check_segment (renamed, 0, EDGE "subs-de.vtt", 7 * S, 2 * S);
}

static void
check_protection (OfflineProtection *protection,
                  const char        *scheme,
                  const char        *system_id,
                  const char        *kid,
                  const char        *license_url,
                  gsize              pssh_size)
{
  GBytes *pssh = offline_protection_get_pssh (protection);

  g_assert_cmpstr (offline_protection_get_scheme_id_uri (protection), ==, scheme);
  g_assert_cmpstr (offline_protection_get_system_id (protection), ==, system_id);
  g_assert_cmpstr (offline_protection_get_default_kid (protection), ==, kid);
  g_assert_cmpstr (offline_protection_get_license_url (protection), ==, license_url);
  if (pssh_size == 0) {
    g_assert_null (pssh);
  } else {
    const guint8 *box;
    gsize size;

    g_assert_nonnull (pssh);
    box = g_bytes_get_data (pssh, &size);
    g_assert_cmpuint (size, ==, pssh_size);
    g_assert_cmpuint (box[3], ==, pssh_size);  /* box size, < 256 here */
    g_assert_cmpmem (box + 4, 4, "pssh", 4);
  }
}

static void
test_content_protection (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/protection.mpd");
  const char *kid = "9eb4050d-e44b-4802-932e-27d75083e266";
  GPtrArray *v1 = offline_track_get_protections (offline_test_track (p, "v1"));
  GPtrArray *v2 = offline_track_get_protections (offline_test_track (p, "v2"));
  GPtrArray *audio = offline_track_get_protections (offline_test_track (p, "clear-audio"));
  const guint8 *box;

  g_assert_cmpuint (v1->len, ==, 5);
  check_protection (g_ptr_array_index (v1, 0), "urn:mpeg:dash:mp4protection:2011",
                    NULL, kid, NULL, 0);
  check_protection (g_ptr_array_index (v1, 1), "urn:uuid:EDEF8BA9-79D6-4ACE-A3C8-27DCD51D21ED",
                    "edef8ba9-79d6-4ace-a3c8-27dcd51d21ed", kid,
                    "https://widevine.example.com/proxy", 50);
  box = g_bytes_get_data (offline_protection_get_pssh (g_ptr_array_index (v1, 1)), NULL);
  g_assert_cmpmem (box + 12, 16,
                   "\xed\xef\x8b\xa9\x79\xd6\x4a\xce\xa3\xc8\x27\xdc\xd5\x1d\x21\xed", 16);
  check_protection (g_ptr_array_index (v1, 2), "urn:uuid:9a04f079-9840-4286-ab92-e65be0885f95",
                    "9a04f079-9840-4286-ab92-e65be0885f95", kid,
                    "https://playready.example.com/rightsmanager.asmx", 44);
  check_protection (g_ptr_array_index (v1, 3), "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e",
                    "e2719d58-a985-b3c9-781a-b030af78d30e", kid,
                    "https://cdn.example.com/movie/license/clearkey", 0);
  /* its own default_KID, written without dashes */
  check_protection (g_ptr_array_index (v1, 4), "urn:uuid:1077efec-c0b2-4d02-ace3-3c1e52e2fb4b",
                    "1077efec-c0b2-4d02-ace3-3c1e52e2fb4b",
                    "00112233-4455-6677-8899-aabbccddeeff", NULL, 0);

  g_assert_cmpuint (v2->len, ==, 4);
  check_protection (g_ptr_array_index (v2, 3), "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e",
                    "e2719d58-a985-b3c9-781a-b030af78d30e", kid,
                    "https://cdn.example.com/movie/license/clearkey", 0);
  g_assert_true (g_ptr_array_index (v1, 0) != g_ptr_array_index (v2, 0));
  g_assert_cmpuint (audio->len, ==, 0);
  check_segment (offline_test_track (p, "v2"), 0, "https://cdn.example.com/movie/v2-1.m4s", 0, 2 * S);
}

static void
test_track_fields (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/track-fields.mpd");
  static const char * const ids[] = { "v-fields", "0-1", "hdr", "a-codecs", "stpp", "hevc", "muxed" };
  GPtrArray *tracks = offline_presentation_get_tracks (p);
  OfflineTrack *track;

  g_assert_cmpuint (tracks->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpstr (offline_track_get_id (g_ptr_array_index (tracks, i)), ==, ids[i]);
  g_assert_null (offline_presentation_get_track_by_id (p, "skipped"));
  g_assert_null (offline_presentation_get_track_by_id (p, "thumbs"));
  g_assert_null (offline_presentation_get_track_by_id (p, "trick"));

  track = offline_test_track (p, "v-fields");
  g_assert_cmpint (offline_track_get_track_type (track), ==, OFFLINE_TRACK_TYPE_VIDEO);
  g_assert_cmpuint (offline_track_get_bandwidth (track), ==, 3000000);
  g_assert_cmpuint (offline_track_get_width (track), ==, 1920);
  g_assert_cmpuint (offline_track_get_height (track), ==, 1080);
  g_assert_cmpfloat_with_epsilon (offline_track_get_frame_rate (track), 30000.0 / 1001.0, 1e-9);
  g_assert_cmpstr (offline_track_get_codecs (track), ==, "avc1.640028");
  g_assert_cmpstr (offline_track_get_mime_type (track), ==, "video/x-custom");
  g_assert_cmpstr (offline_track_get_label (track), ==, "Main camera");
  g_assert_null (offline_track_get_language (track));

  track = offline_test_track (p, "0-1");
  g_assert_cmpuint (offline_track_get_width (track), ==, 1280);
  g_assert_cmpuint (offline_track_get_height (track), ==, 720);
  g_assert_cmpfloat (offline_track_get_frame_rate (track), ==, 25.0);
  g_assert_cmpstr (offline_track_get_codecs (track), ==, "avc1.64001f");
  g_assert_cmpstr (offline_track_get_mime_type (track), ==, "video/mp4");
  check_segment (track, 0, EDGE "0-1-1.m4s", 0, 2 * S);

  track = offline_test_track (p, "a-codecs");
  g_assert_cmpint (offline_track_get_track_type (track), ==, OFFLINE_TRACK_TYPE_AUDIO);
  g_assert_cmpuint (offline_track_get_bandwidth (track), ==, 0);
  g_assert_cmpstr (offline_track_get_label (track), ==, "Surround");
  g_assert_cmpstr (offline_track_get_language (track), ==, "en");
  g_assert_cmpint (offline_track_get_track_type (offline_test_track (p, "stpp")), ==,
                   OFFLINE_TRACK_TYPE_TEXT);
  g_assert_cmpint (offline_track_get_track_type (offline_test_track (p, "hevc")), ==,
                   OFFLINE_TRACK_TYPE_VIDEO);
  g_assert_cmpint (offline_track_get_track_type (offline_test_track (p, "muxed")), ==,
                   OFFLINE_TRACK_TYPE_VIDEO);
}

static void
test_iso_durations (void)
{
  static const struct {
    const char *text;
    GTimeSpan us;
  } durations[] = {
    { "PT1H2M3.5S", G_GINT64_CONSTANT (3723500000) },
    { "P1DT2H", G_GINT64_CONSTANT (93600000000) },
    { "PT0S", 0 },
    { "P0Y0M0DT0H3M30.000S", 210 * S },
    { "PT0.0000015S", 1 },
    { "P1Y", G_GINT64_CONSTANT (365) * 24 * 3600 * S },
    { "P2M", G_GINT64_CONSTANT (60) * 24 * 3600 * S },
  };

  for (guint i = 0; i < G_N_ELEMENTS (durations); i++) {
    g_autofree char *mpd = g_strdup_printf (
      MPD_OPEN " mediaPresentationDuration=\"%s\"><Period><AdaptationSet contentType=\"text\">"
      "<Representation id=\"t\"><BaseURL>t.vtt</BaseURL></Representation></AdaptationSet></Period></MPD>",
      durations[i].text);
    g_autoptr(OfflinePresentation) p = parse_ok (mpd);

    g_assert_cmpint (offline_presentation_get_duration (p), ==, durations[i].us);
    check_segment (offline_test_track (p, "t"), 0, EDGE "t.vtt", 0, durations[i].us);
  }
}

static void
test_period_timing (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("dash-edge/period-timing.mpd");
  OfflineTrack *track = offline_test_track (p, "t");
  static const guint later[] = { 1, 2 };

  offline_test_assert_n_segments (track, 3);
  check_segment (track, 0, EDGE "p0.vtt", 0, 60250000);
  check_segment (track, 1, EDGE "p1.vtt", 60250000, G_GINT64_CONSTANT (93600000000));
  check_segment (track, 2, EDGE "p2.vtt", G_GINT64_CONSTANT (93660250000), 10 * S);
  offline_test_assert_discontinuities (track, later, G_N_ELEMENTS (later));
  /* no mediaPresentationDuration: the end of the last Period */
  g_assert_cmpint (offline_presentation_get_duration (p), ==, G_GINT64_CONSTANT (93670250000));
}

static void
test_namespaces (void)
{
  /* the upper-case namespace of old manifests, and a prefixed one */
  g_autoptr(OfflinePresentation) upper = parse_ok (
    "<MPD xmlns=\"urn:mpeg:DASH:schema:MPD:2011\" mediaPresentationDuration=\"PT2S\"><Period>"
    "<AdaptationSet contentType=\"audio\"><Representation id=\"a\"><BaseURL>a.mp4</BaseURL>"
    "</Representation></AdaptationSet></Period></MPD>");
  g_autoptr(OfflinePresentation) prefixed = parse_ok (
    "<dash:MPD xmlns:dash=\"urn:mpeg:dash:schema:mpd:2011\" mediaPresentationDuration=\"PT2S\">"
    "<dash:Period><dash:AdaptationSet contentType=\"audio\"><dash:Representation id=\"a\">"
    "<dash:BaseURL>a.mp4</dash:BaseURL><Foreign xmlns=\"urn:example\"/></dash:Representation>"
    "</dash:AdaptationSet></dash:Period></dash:MPD>");

  check_segment (offline_test_track (upper, "a"), 0, EDGE "a.mp4", 0, 2 * S);
  check_segment (offline_test_track (prefixed, "a"), 0, EDGE "a.mp4", 0, 2 * S);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dash/fixture/template-number", test_fixture_template_number);
  g_test_add_func ("/dash/fixture/template-timeline", test_fixture_template_timeline);
  g_test_add_func ("/dash/fixture/segment-base", test_fixture_segment_base);
  g_test_add_func ("/dash/fixture/segment-list", test_fixture_segment_list);
  g_test_add_func ("/dash/fixture/segment-list-range", test_fixture_segment_list_range);
  g_test_add_func ("/dash/fixture/multi-period", test_fixture_multi_period);
  g_test_add_func ("/dash/fixture/manifest-parse", test_fixture_through_manifest_parse);
  g_test_add_func ("/dash/base-url/chain", test_base_url_chain);
  g_test_add_func ("/dash/base-url/relative-to-manifest", test_base_url_relative_to_manifest);
  g_test_add_func ("/dash/template/identifiers", test_template_identifiers);
  g_test_add_func ("/dash/template/presentation-time-offset", test_template_presentation_time_offset);
  g_test_add_func ("/dash/template/timeline", test_timeline_repeats_and_gaps);
  g_test_add_func ("/dash/inheritance", test_inheritance);
  g_test_add_func ("/dash/segment-list", test_segment_list);
  g_test_add_func ("/dash/segment-base", test_segment_base);
  g_test_add_func ("/dash/multi-period", test_multi_period_matching);
  g_test_add_func ("/dash/content-protection", test_content_protection);
  g_test_add_func ("/dash/track-fields", test_track_fields);
  g_test_add_func ("/dash/iso-durations", test_iso_durations);
  g_test_add_func ("/dash/period-timing", test_period_timing);
  g_test_add_func ("/dash/namespaces", test_namespaces);

  return g_test_run ();
}
