/* test-selection.c: the original product's track selection rules
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-utils.h"

/* Three video bitrates (not in bitrate order), audio in en / es-ES / fr, text
 * in en / es. 10 s of 2 s segments. */
static const char multi_mpd[] =
  "<?xml version=\"1.0\"?>\n"
  "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT10S\""
  " profiles=\"urn:mpeg:dash:profile:isoff-on-demand:2011\">\n"
  " <Period>\n"
  "  <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
  "   <SegmentTemplate timescale=\"1000\" duration=\"2000\" initialization=\"$RepresentationID$/init.mp4\" media=\"$RepresentationID$/$Number$.m4s\"/>\n"
  "   <Representation id=\"v-mid\" bandwidth=\"1500000\" width=\"1280\" height=\"720\" codecs=\"avc1.4d401f\"/>\n"
  "   <Representation id=\"v-low\" bandwidth=\"500000\" width=\"640\" height=\"360\" codecs=\"avc1.4d401e\"/>\n"
  "   <Representation id=\"v-high\" bandwidth=\"4000000\" width=\"1920\" height=\"1080\" codecs=\"avc1.640028\"/>\n"
  "  </AdaptationSet>\n"
  "  <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"en\">\n"
  "   <SegmentTemplate timescale=\"1000\" duration=\"2000\" initialization=\"$RepresentationID$/init.mp4\" media=\"$RepresentationID$/$Number$.m4s\"/>\n"
  "   <Representation id=\"a-en\" bandwidth=\"128000\" codecs=\"mp4a.40.2\"/>\n"
  "  </AdaptationSet>\n"
  "  <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"es-ES\">\n"
  "   <SegmentTemplate timescale=\"1000\" duration=\"2000\" initialization=\"$RepresentationID$/init.mp4\" media=\"$RepresentationID$/$Number$.m4s\"/>\n"
  "   <Representation id=\"a-es\" bandwidth=\"96000\" codecs=\"mp4a.40.2\"/>\n"
  "  </AdaptationSet>\n"
  "  <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"fre\">\n"
  "   <SegmentTemplate timescale=\"1000\" duration=\"2000\" initialization=\"$RepresentationID$/init.mp4\" media=\"$RepresentationID$/$Number$.m4s\"/>\n"
  "   <Representation id=\"a-fr\" bandwidth=\"96000\" codecs=\"mp4a.40.2\"/>\n"
  "  </AdaptationSet>\n"
  "  <AdaptationSet contentType=\"text\" mimeType=\"text/vtt\" lang=\"en\">\n"
  "   <Representation id=\"t-en\" bandwidth=\"300\"><BaseURL>subs/en.vtt</BaseURL></Representation>\n"
  "  </AdaptationSet>\n"
  "  <AdaptationSet contentType=\"text\" mimeType=\"text/vtt\" lang=\"es\">\n"
  "   <Representation id=\"t-es\" bandwidth=\"300\"><BaseURL>subs/es.vtt</BaseURL></Representation>\n"
  "  </AdaptationSet>\n"
  " </Period>\n"
  "</MPD>\n";

/* Two audio groups: the low variant plays with "lo" (English only), the
 * high ones with "hi" whose DEFAULT rendition is the second. One subtitle
 * group. An audio-only variant first. */
static const char groups_m3u8[] =
  "#EXTM3U\n"
  "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"lo\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,URI=\"lo/en.m3u8\"\n"
  "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"hi\",NAME=\"English\",LANGUAGE=\"en\",URI=\"hi/en.m3u8\"\n"
  "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"hi\",NAME=\"Deutsch\",LANGUAGE=\"de\",DEFAULT=YES,URI=\"hi/de.m3u8\"\n"
  "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"hi\",NAME=\"Espanol\",LANGUAGE=\"es\",URI=\"hi/es.m3u8\"\n"
  "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\",URI=\"subs/en.m3u8\"\n"
  "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"Espanol\",LANGUAGE=\"es\",URI=\"subs/es.m3u8\"\n"
  "#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\",AUDIO=\"lo\"\n"
  "audio-only.m3u8\n"
  "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS=\"avc1.4d401e,mp4a.40.2\",AUDIO=\"lo\",SUBTITLES=\"subs\"\n"
  "v360.m3u8\n"
  "#EXT-X-STREAM-INF:BANDWIDTH=2400000,RESOLUTION=1280x720,CODECS=\"avc1.4d401f,mp4a.40.2\",AUDIO=\"hi\",SUBTITLES=\"subs\"\n"
  "v720.m3u8\n"
  "#EXT-X-STREAM-INF:BANDWIDTH=6000000,RESOLUTION=1920x1080,CODECS=\"avc1.640028,mp4a.40.2\",AUDIO=\"hi\",SUBTITLES=\"subs\"\n"
  "v1080.m3u8\n";

static const char muxed_m3u8[] =
  "#EXTM3U\n"
  "#EXT-X-STREAM-INF:BANDWIDTH=1200000,RESOLUTION=960x540,CODECS=\"avc1.4d401f,mp4a.40.2\"\n"
  "540/index.m3u8\n"
  "#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=416x234,CODECS=\"avc1.42c00d,mp4a.40.2\"\n"
  "234/index.m3u8\n";

static const char media_m3u8[] =
  "#EXTM3U\n"
  "#EXT-X-TARGETDURATION:4\n"
  "#EXT-X-PLAYLIST-TYPE:VOD\n"
  "#EXTINF:4.0,\nseg0.ts\n"
  "#EXTINF:4.0,\nseg1.ts\n"
  "#EXTINF:2.0,\nseg2.ts\n"
  "#EXT-X-ENDLIST\n";

/* @text as fetched from OFFLINE_TEST_BASE + @path */
static OfflinePresentation *
parse (const char *text,
       const char *path)
{
  return offline_test_parse_text (offline_test_manifest_parse, text, path);
}

static OfflineTrackSelection *
select_tracks (OfflinePresentation *presentation,
               const char          *language,
               guint64              bitrate)
{
  g_autoptr(OfflineDownloadOptions) options =
    g_object_new (OFFLINE_TYPE_DOWNLOAD_OPTIONS, "language", language, "bitrate", bitrate, NULL);

  return offline_track_selection_new (presentation, options);
}

static const char *
id_of (OfflineTrack *track)
{
  return track ? offline_track_get_id (track) : NULL;
}

/* The ids of the selected text tracks, comma-separated. */
static char *
text_ids (OfflineTrackSelection *selection)
{
  GPtrArray *text = offline_track_selection_get_text_tracks (selection);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < text->len; i++)
    g_strv_builder_add (builder, offline_track_get_id (g_ptr_array_index (text, i)));
  ids = g_strv_builder_end (builder);
  return g_strjoinv (",", ids);
}

static void
test_defaults (void)
{
  g_autoptr(OfflinePresentation) presentation = parse (multi_mpd, "sel/multi.mpd");
  g_autoptr(OfflineTrackSelection) selection = offline_track_selection_new (presentation, NULL);
  g_autofree char *text = text_ids (selection);
  GPtrArray *all = offline_track_selection_get_tracks (selection);

  g_assert_cmpstr (id_of (offline_track_selection_get_video_track (selection)), ==, "v-low");
  g_assert_cmpstr (id_of (offline_track_selection_get_audio_track (selection)), ==, "a-en");
  g_assert_cmpstr (text, ==, "t-en,t-es");
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_cmpstr (id_of (g_ptr_array_index (all, 0)), ==, "v-low");
  g_assert_cmpstr (id_of (g_ptr_array_index (all, 1)), ==, "a-en");
  g_assert_true (offline_track_selection_get_presentation (selection) == presentation);
}

static void
test_language (void)
{
  static const struct {
    const char *language, *audio, *text;
  } cases[] = {
    { "es", "a-es", "t-es" },
    { "ES", "a-es", "t-es" },
    { "es-MX", "a-es", "t-es" },
    { "spa", "a-es", "t-es" },
    { "fr", "a-fr", "" },
    { "fra", "a-fr", "" },
    { "en-GB", "a-en", "t-en" },
    { "ja", "a-en", "" },   /* no match: first audio track, no text */
    { "", "a-en", "t-en,t-es" },  /* empty is no language */
  };
  g_autoptr(OfflinePresentation) presentation = parse (multi_mpd, "sel/multi.mpd");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(OfflineTrackSelection) selection = select_tracks (presentation, cases[i].language, 0);
    g_autofree char *text = text_ids (selection);

    g_test_message ("language %s", cases[i].language);
    g_assert_cmpstr (id_of (offline_track_selection_get_audio_track (selection)), ==, cases[i].audio);
    g_assert_cmpstr (text, ==, cases[i].text);
    g_assert_cmpstr (id_of (offline_track_selection_get_video_track (selection)), ==, "v-low");
  }
}

static void
test_bitrate (void)
{
  static const struct {
    guint64 bitrate;
    const char *video;
  } cases[] = {
    { 0, "v-low" },
    { 1, "v-low" },
    { 500000, "v-low" },
    { 999999, "v-low" },
    { 1000000, "v-low" },    /* a tie goes to the lower bandwidth */
    { 1000001, "v-mid" },
    { 1400000, "v-mid" },
    { 2750000, "v-mid" },    /* tie */
    { 2750001, "v-high" },
    { 7900446, "v-high" },
    { G_MAXUINT64, "v-high" },
  };
  g_autoptr(OfflinePresentation) presentation = parse (multi_mpd, "sel/multi.mpd");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(OfflineTrackSelection) selection = select_tracks (presentation, "es", cases[i].bitrate);

    g_test_message ("bitrate %" G_GUINT64_FORMAT, cases[i].bitrate);
    g_assert_cmpstr (id_of (offline_track_selection_get_video_track (selection)), ==, cases[i].video);
    g_assert_cmpstr (id_of (offline_track_selection_get_audio_track (selection)), ==, "a-es");
  }
}

static void
test_options_properties (void)
{
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
  g_autofree char *language = NULL;
  guint64 bitrate = 1;

  g_assert_null (offline_download_options_get_language (options));
  g_assert_cmpuint (offline_download_options_get_bitrate (options), ==, 0);
  offline_download_options_set_language (options, "es");
  offline_download_options_set_bitrate (options, 7900446);
  g_object_get (options, "language", &language, "bitrate", &bitrate, NULL);
  g_assert_cmpstr (language, ==, "es");
  g_assert_cmpuint (bitrate, ==, 7900446);
  offline_download_options_set_language (options, "");
  g_assert_null (offline_download_options_get_language (options));
}

static void
test_hls_groups (void)
{
  static const struct {
    const char *language;
    guint64 bitrate;
    const char *video, *audio, *text;
  } cases[] = {
    /* lowest video variant: its group "lo" has only English */
    { NULL, 0, "variant-1", "audio-lo-English", "subtitle-subs-English,subtitle-subs-Espanol" },
    { "es", 0, "variant-1", "audio-lo-English", "subtitle-subs-Espanol" },
    /* group "hi": DEFAULT=YES is German, Spanish by language */
    { NULL, 2000000, "variant-2", "audio-hi-Deutsch", "subtitle-subs-English,subtitle-subs-Espanol" },
    { "es", 2000000, "variant-2", "audio-hi-Espanol", "subtitle-subs-Espanol" },
    { "en", 9000000, "variant-3", "audio-hi-English", "subtitle-subs-English" },
  };
  g_autoptr(OfflinePresentation) presentation = parse (groups_m3u8, "sel/master.m3u8");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(OfflineTrackSelection) selection =
      select_tracks (presentation, cases[i].language, cases[i].bitrate);
    OfflineTrack *audio = offline_track_selection_get_audio_track (selection);
    g_autofree char *text = text_ids (selection);

    g_test_message ("case %" G_GSIZE_FORMAT, i);
    g_assert_cmpstr (id_of (offline_track_selection_get_video_track (selection)), ==, cases[i].video);
    g_assert_nonnull (audio);
    g_assert_cmpstr (offline_track_get_label (audio), ==, strrchr (cases[i].audio, '-') + 1);
    g_assert_cmpstr (offline_track_get_group_id (audio), ==,
                     cases[i].bitrate < 1000000 ? "lo" : "hi");
    g_assert_cmpuint (strlen (text) > 0, ==, strlen (cases[i].text) > 0);
    g_assert_cmpuint (offline_track_selection_get_text_tracks (selection)->len, ==,
                      strchr (cases[i].text, ',') ? 2 : 1);
  }
}

static void
test_hls_muxed (void)
{
  g_autoptr(OfflinePresentation) presentation = parse (muxed_m3u8, "sel/muxed.m3u8");
  g_autoptr(OfflineTrackSelection) low = select_tracks (presentation, "es", 0);
  g_autoptr(OfflineTrackSelection) high = select_tracks (presentation, "es", 1000000);

  g_assert_cmpuint (offline_track_get_bandwidth (offline_track_selection_get_video_track (low)), ==, 300000);
  g_assert_true (offline_track_get_muxed_audio (offline_track_selection_get_video_track (low)));
  g_assert_null (offline_track_selection_get_audio_track (low));
  g_assert_cmpuint (offline_track_selection_get_tracks (low)->len, ==, 1);
  g_assert_cmpuint (offline_track_get_bandwidth (offline_track_selection_get_video_track (high)), ==, 1200000);
  g_assert_null (offline_track_selection_get_audio_track (high));
}

static void
test_audio_only (void)
{
  static const char mpd[] =
    "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT4S\">"
    "<Period><AdaptationSet mimeType=\"audio/mp4\" lang=\"de\">"
    "<SegmentTemplate timescale=\"1\" duration=\"2\" media=\"$Number$.m4a\"/>"
    "<Representation id=\"hi\" bandwidth=\"192000\"/><Representation id=\"lo\" bandwidth=\"64000\"/>"
    "</AdaptationSet></Period></MPD>";
  g_autoptr(OfflinePresentation) presentation = parse (mpd, "sel/audio.mpd");
  g_autoptr(OfflineTrackSelection) selection = select_tracks (presentation, "es", 64000);

  g_assert_null (offline_track_selection_get_video_track (selection));
  /* no language match: the first audio track in manifest order */
  g_assert_cmpstr (id_of (offline_track_selection_get_audio_track (selection)), ==, "hi");
}

static void
test_estimate_bandwidth (void)
{
  g_autoptr(OfflinePresentation) presentation = parse (multi_mpd, "sel/multi.mpd");
  g_autoptr(OfflineTrackSelection) selection = select_tracks (presentation, "es", 4000000);

  /* 10 s × (4,000,000 + 96,000) b/s / 8; text tracks have no segment sizes:
   * 10 s × 300 b/s / 8 each */
  g_assert_cmpuint (offline_track_selection_get_estimated_size (selection), ==,
                    5000000 + 120000 + 375);
}

static void
test_estimate_known_sizes (void)
{
  static const char mpd[] =
    "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT4S\">"
    "<Period><AdaptationSet mimeType=\"video/mp4\">"
    "<Representation id=\"v\" bandwidth=\"99999999\"><BaseURL>v.mp4</BaseURL>"
    "<SegmentList timescale=\"1\" duration=\"2\"><Initialization range=\"0-799\"/>"
    "<SegmentURL mediaRange=\"800-10799\"/><SegmentURL mediaRange=\"10800-15799\"/>"
    "</SegmentList></Representation></AdaptationSet></Period></MPD>";
  g_autoptr(OfflinePresentation) presentation = parse (mpd, "sel/ranges.mpd");
  g_autoptr(OfflineTrackSelection) selection = offline_track_selection_new (presentation, NULL);

  g_assert_cmpuint (offline_track_selection_get_estimated_size (selection), ==, 800 + 10000 + 5000);
}

static void
test_estimate_hls (void)
{
  g_autoptr(OfflinePresentation) presentation = parse (muxed_m3u8, "sel/muxed.m3u8");
  g_autoptr(OfflineTrackSelection) selection = offline_track_selection_new (presentation, NULL);
  OfflineTrack *video = offline_track_selection_get_video_track (selection);
  g_autoptr(GBytes) media = offline_test_bytes (media_m3u8);
  g_autoptr(GError) error = NULL;

  /* before its media playlist, the duration is not known */
  g_assert_cmpuint (offline_track_selection_get_estimated_size (selection), ==, 0);
  g_assert_true (offline_hls_parse_media_playlist (presentation, video, media,
                                                   offline_track_get_playlist_uri (video), &error));
  g_assert_no_error (error);
  /* 10 s × 300,000 b/s / 8 */
  g_assert_cmpuint (offline_track_selection_get_estimated_size (selection), ==, 375000);
}

static void
test_fixture_languages (void)
{
  g_autoptr(OfflinePresentation) presentation = offline_test_parse_fixture ("dash/template-number/manifest.mpd");
  g_autoptr(OfflineTrackSelection) en = select_tracks (presentation, NULL, 0);
  g_autoptr(OfflineTrackSelection) es = select_tracks (presentation, "spa", 1000000);
  OfflineTrack *en_audio = offline_track_selection_get_audio_track (en);
  OfflineTrack *es_audio = offline_track_selection_get_audio_track (es);
  OfflineTrack *low = offline_track_selection_get_video_track (en);
  OfflineTrack *high = offline_track_selection_get_video_track (es);

  g_assert_nonnull (en_audio);
  g_assert_nonnull (es_audio);
  g_assert_true (g_str_has_prefix (offline_track_get_language (en_audio), "en"));
  g_assert_true (g_str_has_prefix (offline_track_get_language (es_audio), "es"));
  g_assert_cmpuint (offline_track_get_bandwidth (low), <, offline_track_get_bandwidth (high));
  g_assert_cmpuint (offline_track_get_height (low), <, offline_track_get_height (high));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/selection/defaults", test_defaults);
  g_test_add_func ("/selection/language", test_language);
  g_test_add_func ("/selection/bitrate", test_bitrate);
  g_test_add_func ("/selection/options-properties", test_options_properties);
  g_test_add_func ("/selection/hls-groups", test_hls_groups);
  g_test_add_func ("/selection/hls-muxed", test_hls_muxed);
  g_test_add_func ("/selection/audio-only", test_audio_only);
  g_test_add_func ("/selection/estimate-bandwidth", test_estimate_bandwidth);
  g_test_add_func ("/selection/estimate-known-sizes", test_estimate_known_sizes);
  g_test_add_func ("/selection/estimate-hls", test_estimate_hls);
  g_test_add_func ("/selection/fixture-languages", test_fixture_languages);

  return g_test_run ();
}
