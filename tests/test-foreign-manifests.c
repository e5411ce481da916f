/* test-foreign-manifests.c: manifests as other tools write them (issue 8,
 * §6), and the leniencies of docs/manifests.md
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every manifest here is our own, written for the case it tests; playback
 * across an EXT-X-MAP switch is in test-offlinesrc-map-switch.c.
 */
#include <string.h>

#include "offline-test-utils.h"

#define MPD_OPEN "<?xml version=\"1.0\"?>\n" \
  "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" xmlns:cenc=\"urn:mpeg:cenc:2013\" " \
  "type=\"static\" mediaPresentationDuration=\"PT6S\">\n<Period>\n"
#define MPD_CLOSE "</Period>\n</MPD>\n"
#define MEDIA_HEAD "#EXTM3U\n#EXT-X-TARGETDURATION:2\n"

static OfflinePresentation *
parse_mpd (const char *text)
{
  return offline_test_parse_text (offline_dash_parse, text, "foreign/manifest.mpd");
}

static OfflinePresentation *
parse_m3u8 (const char *text)
{
  return offline_test_parse_text (offline_hls_parse, text, "foreign/playlist.m3u8");
}

static void
assert_refused (OfflineTestParseFunc  parse,
                const char           *text,
                const char           *path,
                int                   code,
                const char           *message)
{
  g_autoptr(GBytes) bytes = offline_test_bytes (text);
  g_autoptr(GError) error = offline_test_parse_refused (parse, bytes, path, code, message);

  g_test_message ("%s", error->message);
}

/* ---- HLS: EXT-X-MAP changing part-way ---- */

/* Each media segment names the init segment in force; the track's is the
 * first. */
static void
test_hls_map_switch (void)
{
  g_autoptr(OfflinePresentation) p = offline_test_parse_fixture ("hls/map-switch-encode/master.m3u8");

  for (guint t = 0; t < 2; t++) {
    OfflineTrack *track = offline_test_track_at (p, t);
    const char *kind = t == 0 ? "video" : "audio";
    g_autofree char *init_a = g_strdup_printf (OFFLINE_TEST_BASE "hls/map-switch-encode/%s/init-a.mp4", kind);
    g_autofree char *init_b = g_strdup_printf (OFFLINE_TEST_BASE "hls/map-switch-encode/%s/init-b.mp4", kind);
    OfflineSegment *first, *second, *third;

    offline_test_assert_n_segments (track, 3);
    offline_test_assert_init (track, init_a, -1, -1);
    first = offline_test_segment (track, 0);
    second = offline_test_segment (track, 1);
    third = offline_test_segment (track, 2);
    g_assert_nonnull (offline_segment_get_init_segment (first));
    g_assert_cmpstr (offline_segment_get_uri (offline_segment_get_init_segment (first)), ==, init_a);
    g_assert_cmpstr (offline_segment_get_uri (offline_segment_get_init_segment (second)), ==, init_b);
    g_assert_true (offline_segment_get_init_segment (third) == offline_segment_get_init_segment (second));
    g_assert_true (offline_segment_get_discontinuity (second));
  }
}

/* The same EXT-X-MAP again changes nothing; one after segments without
 * any is still refused, and says why. */
static void
test_hls_map_repeated (void)
{
  g_autoptr(OfflinePresentation) p = parse_m3u8 (MEDIA_HEAD
      "#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:2,\na.m4s\n#EXT-X-DISCONTINUITY\n"
      "#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:2,\nb.m4s\n#EXT-X-ENDLIST\n");
  OfflineTrack *track = offline_test_track_at (p, 0);

  g_assert_true (offline_segment_get_init_segment (offline_test_segment (track, 0)) ==
                 offline_segment_get_init_segment (offline_test_segment (track, 1)));
  g_assert_true (offline_segment_get_init_segment (offline_test_segment (track, 0)) ==
                 offline_track_get_init_segment (track));

  assert_refused (offline_hls_parse, MEDIA_HEAD "#EXTINF:2,\na.ts\n#EXT-X-MAP:URI=\"i.mp4\"\n"
                  "#EXTINF:2,\nb.m4s\n#EXT-X-ENDLIST\n", "foreign/p.m3u8",
                  OFFLINE_ERROR_MANIFEST_INVALID, "line 5: EXT-X-MAP: media segments without EXT-X-MAP");
}

/* ---- HLS: VIDEO renditions ---- */

#define ANGLES_MASTER "#EXTM3U\n" \
  "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,URI=\"audio.m3u8\"\n" \
  "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"cam\",NAME=\"Main\",DEFAULT=YES\n" \
  "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"cam\",NAME=\"Angle 2\",URI=\"angle2.m3u8\"\n" \
  "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"cam\",NAME=\"Angle 3\",LANGUAGE=\"en\",URI=\"angle3.m3u8\"\n"

/* Offered as video tracks, never dropped; the variant's own video is what
 * the selection picks, by default and for any bitrate. */
static void
test_hls_video_renditions (void)
{
  g_autoptr(OfflinePresentation) p = parse_m3u8 (ANGLES_MASTER
      "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS=\"avc1.4d401e,mp4a.40.2\",AUDIO=\"aud\",VIDEO=\"cam\"\n"
      "main-360.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\",AUDIO=\"aud\",VIDEO=\"cam\"\n"
      "main-720.m3u8\n");
  static const guint64 bitrates[] = { 0, 1, 800000, 1000000, 5000000 };
  OfflineTrack *angle;

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 5);
  angle = offline_test_track_at (p, 3);
  g_assert_cmpstr (offline_track_get_id (angle), ==, "video-cam-Angle_2");
  g_assert_cmpint (offline_track_get_track_type (angle), ==, OFFLINE_TRACK_TYPE_VIDEO);
  g_assert_cmpstr (offline_track_get_playlist_uri (angle), ==, OFFLINE_TEST_BASE "foreign/angle2.m3u8");
  g_assert_cmpstr (offline_track_get_group_id (angle), ==, "cam");
  g_assert_cmpstr (offline_track_get_label (angle), ==, "Angle 2");
  g_assert_cmpstr (offline_track_get_codecs (angle), ==, "avc1.4d401e");
  g_assert_cmpstr (offline_track_get_audio_group_id (angle), ==, "aud");
  g_assert_false (offline_track_get_muxed_audio (angle));
  angle = offline_test_track_at (p, 4);
  g_assert_cmpstr (offline_track_get_id (angle), ==, "video-cam-Angle_3");
  g_assert_cmpstr (offline_track_get_language (angle), ==, "en");

  for (guint i = 0; i < G_N_ELEMENTS (bitrates); i++) {
    g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
    g_autoptr(OfflineTrackSelection) selection = NULL;
    OfflineTrack *video;

    offline_download_options_set_bitrate (options, bitrates[i]);
    selection = offline_track_selection_new (p, options);
    video = offline_track_selection_get_video_track (selection);
    g_assert_cmpstr (offline_track_get_id (video), ==,
                     bitrates[i] >= 2000000 ? "variant-1" : "variant-0");
    g_assert_cmpstr (offline_track_get_id (offline_track_selection_get_audio_track (selection)), ==,
                     "audio-aud-English");
  }
}

/* With no variant video (audio-only variants), an angle is the video. */
static void
test_hls_video_rendition_only (void)
{
  g_autoptr(OfflinePresentation) p = parse_m3u8 (ANGLES_MASTER
      "#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\",VIDEO=\"cam\"\naudio-only.m3u8\n");
  g_autoptr(OfflineTrackSelection) selection = offline_track_selection_new (p, NULL);

  g_assert_cmpstr (offline_track_get_id (offline_track_selection_get_video_track (selection)), ==,
                   "video-cam-Angle_2");
}

/* ---- HLS leniencies ---- */

/* Blank and comment lines before #EXTM3U, as other players accept; a tag
 * or a URI there is still refused. */
static void
test_hls_header_late (void)
{
  static const char text[] = "\n# written by some packager\n\n#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
                             "#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n";
  g_autoptr(OfflinePresentation) p = parse_m3u8 (text);
  g_autoptr(OfflinePresentation) sniffed = offline_test_parse_text (offline_test_manifest_parse, text,
                                                                   "foreign/playlist");

  offline_test_assert_n_segments (offline_test_track_at (p, 0), 1);
  g_assert_cmpint (offline_presentation_get_format (sniffed), ==, OFFLINE_MANIFEST_FORMAT_HLS);
  assert_refused (offline_hls_parse, "\n#EXT-X-VERSION:3\n#EXTM3U\n", "foreign/p.m3u8",
                  OFFLINE_ERROR_MANIFEST_INVALID, "line 2: the playlist does not start with #EXTM3U");
  assert_refused (offline_hls_parse, "# comment\na.ts\n#EXTM3U\n", "foreign/p.m3u8",
                  OFFLINE_ERROR_MANIFEST_INVALID, "line 2: the playlist does not start with #EXTM3U");
}

/* A VOD media playlist without EXT-X-TARGETDURATION; a live one is
 * refused as live. */
static void
test_hls_no_target_duration (void)
{
  g_autoptr(OfflinePresentation) endlist = parse_m3u8 ("#EXTM3U\n#EXTINF:2,\na.ts\n#EXTINF:2,\nb.ts\n"
                                                       "#EXT-X-ENDLIST\n");
  g_autoptr(OfflinePresentation) vod = parse_m3u8 ("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:2,\na.ts\n");

  offline_test_assert_n_segments (offline_test_track_at (endlist, 0), 2);
  g_assert_cmpint (offline_presentation_get_duration (endlist), ==, 4 * G_USEC_PER_SEC);
  offline_test_assert_n_segments (offline_test_track_at (vod, 0), 1);
  assert_refused (offline_hls_parse, "#EXTM3U\n#EXTINF:2,\na.ts\n", "foreign/p.m3u8",
                  OFFLINE_ERROR_LIVE_NOT_SUPPORTED, "live");
}

/* The message names the master tag found in what should be a media
 * playlist. */
static void
test_hls_master_tag_in_media (void)
{
  g_autoptr(OfflinePresentation) master = parse_m3u8 (
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nv.m3u8\n");
  OfflineTrack *variant = offline_test_track_at (master, 0);
  g_autoptr(GBytes) media = offline_test_bytes (MEDIA_HEAD
      "#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n");
  g_autoptr(GError) error = NULL;

  g_assert_false (offline_hls_parse_media_playlist (master, variant, media,
                                                    OFFLINE_TEST_BASE "foreign/v.m3u8", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "line 3: EXT-X-SESSION-KEY"));

  /* as a whole manifest: EXTINF in what the SESSION-KEY makes a master */
  assert_refused (offline_hls_parse, MEDIA_HEAD "#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k\"\n"
                  "#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n", "foreign/p.m3u8",
                  OFFLINE_ERROR_MANIFEST_INVALID, "line 4: EXTINF: a media playlist tag, in a master "
                  "playlist (line 3 has EXT-X-SESSION-KEY)");
  assert_refused (offline_hls_parse, "#EXTM3U\n#EXT-X-SESSION-DATA:DATA-ID=\"x\",VALUE=\"y\"\n",
                  "foreign/p.m3u8", OFFLINE_ERROR_MANIFEST_INVALID,
                  "line 2: EXT-X-SESSION-DATA: a master playlist tag, but");
}

/* ---- DASH ---- */

/* An explicit S@r that reaches past the Period end is clipped to it, as
 * r="-1" is: no segment starts at or after the end, the last one ends
 * with the Period. */
static void
test_dash_timeline_past_end (void)
{
  g_autoptr(OfflinePresentation) p = parse_mpd (MPD_OPEN
      "<AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
      "<SegmentTemplate timescale=\"1000\" media=\"v-$Time$.m4s\"><SegmentTimeline>"
      "<S t=\"0\" d=\"2000\" r=\"4\"/></SegmentTimeline></SegmentTemplate>\n"
      "<Representation id=\"v\" bandwidth=\"1000\"/>\n"
      "</AdaptationSet>\n"
      "<AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\">\n"
      "<SegmentTemplate timescale=\"1000\" media=\"a-$Time$.m4s\"><SegmentTimeline>"
      "<S t=\"0\" d=\"4000\" r=\"1\"/><S d=\"4000\"/><S t=\"20000\" d=\"1000\"/></SegmentTimeline></SegmentTemplate>\n"
      "<Representation id=\"a\" bandwidth=\"1000\"/>\n"
      "</AdaptationSet>\n" MPD_CLOSE);
  OfflineTrack *video = offline_test_track (p, "v");
  OfflineTrack *audio = offline_test_track (p, "a");

  offline_test_assert_n_segments (video, 3);
  offline_test_assert_segment (offline_test_segment (video, 2), OFFLINE_TEST_BASE "foreign/v-4000.m4s",
                               4 * G_USEC_PER_SEC, 2 * G_USEC_PER_SEC);
  offline_test_assert_n_segments (audio, 2);
  offline_test_assert_segment (offline_test_segment (audio, 1), OFFLINE_TEST_BASE "foreign/a-4000.m4s",
                               4 * G_USEC_PER_SEC, 2 * G_USEC_PER_SEC);
}

/* A Representation whose timeline has no segment (or none in the Period)
 * is skipped, like an HLS media playlist without segments; with nothing
 * left the MPD is refused. */
static void
test_dash_empty_timeline (void)
{
#define EMPTY_SET "<AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"fr\">\n" \
  "<SegmentTemplate timescale=\"1000\" media=\"fr-$Time$.m4s\"><SegmentTimeline/></SegmentTemplate>\n" \
  "<Representation id=\"fr\" bandwidth=\"1000\"/>\n</AdaptationSet>\n" \
  "<AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"de\">\n" \
  "<SegmentTemplate timescale=\"1000\" media=\"de-$Time$.m4s\"><SegmentTimeline>" \
  "<S t=\"6000\" d=\"2000\"/></SegmentTimeline></SegmentTemplate>\n" \
  "<Representation id=\"de\" bandwidth=\"1000\"/>\n</AdaptationSet>\n"
  g_autoptr(OfflinePresentation) p = parse_mpd (MPD_OPEN
      "<AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
      "<SegmentTemplate timescale=\"1000\" duration=\"2000\" media=\"v-$Number$.m4s\"/>\n"
      "<Representation id=\"v\" bandwidth=\"1000\"/>\n"
      "</AdaptationSet>\n" EMPTY_SET MPD_CLOSE);
  GPtrArray *tracks = offline_presentation_get_tracks (p);

  g_assert_cmpuint (tracks->len, ==, 1);
  g_assert_cmpstr (offline_track_get_id (g_ptr_array_index (tracks, 0)), ==, "v");
  assert_refused (offline_dash_parse, MPD_OPEN EMPTY_SET MPD_CLOSE, "foreign/m.mpd",
                  OFFLINE_ERROR_MANIFEST_INVALID, "no playable Representation");
#undef EMPTY_SET
}

/* GPAC writes the same Representation@id in several AdaptationSets: they
 * become "<id>-as<N>"; twice in one AdaptationSet is still refused. */
static void
test_dash_duplicate_ids (void)
{
  g_autoptr(OfflinePresentation) p = parse_mpd (MPD_OPEN
      "<AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
      "<SegmentTemplate timescale=\"1000\" duration=\"2000\" media=\"v-$Number$.m4s\"/>\n"
      "<Representation id=\"1\" bandwidth=\"1000\"/>\n</AdaptationSet>\n"
      "<AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\">\n"
      "<SegmentTemplate timescale=\"1000\" duration=\"2000\" media=\"a-$Number$.m4s\"/>\n"
      "<Representation id=\"1\" bandwidth=\"1000\"/>\n</AdaptationSet>\n"
      "<AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"es\">\n"
      "<SegmentTemplate timescale=\"1000\" duration=\"2000\" media=\"es-$Number$.m4s\"/>\n"
      "<Representation id=\"1\" bandwidth=\"1000\"/>\n</AdaptationSet>\n" MPD_CLOSE);

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 3);
  g_assert_cmpint (offline_track_get_track_type (offline_test_track (p, "1")), ==, OFFLINE_TRACK_TYPE_VIDEO);
  offline_test_assert_segment (offline_test_segment (offline_test_track (p, "1-as1"), 0),
                               OFFLINE_TEST_BASE "foreign/a-1.m4s", 0, 2 * G_USEC_PER_SEC);
  g_assert_cmpstr (offline_track_get_language (offline_test_track (p, "1-as2")), ==, "es");

  assert_refused (offline_dash_parse, MPD_OPEN
                  "<AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
                  "<SegmentTemplate timescale=\"1000\" duration=\"2000\" media=\"v-$Number$.m4s\"/>\n"
                  "<Representation id=\"1\" bandwidth=\"1000\"/>\n"
                  "<Representation id=\"1\" bandwidth=\"2000\"/>\n</AdaptationSet>\n" MPD_CLOSE,
                  "foreign/m.mpd", OFFLINE_ERROR_MANIFEST_INVALID, "not unique in its AdaptationSet");
}

/* A malformed optional DRM attribute costs only itself. */
static void
test_dash_drm_attributes (void)
{
  g_autoptr(OfflinePresentation) p = parse_mpd (MPD_OPEN
      "<AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
      "<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cenc\" cenc:default_KID=\"0\"/>\n"
      "<ContentProtection schemeIdUri=\"urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed\">"
      "<cenc:pssh>not*base64!</cenc:pssh></ContentProtection>\n"
      "<SegmentTemplate timescale=\"1000\" duration=\"2000\" media=\"v-$Number$.m4s\"/>\n"
      "<Representation id=\"v\" bandwidth=\"1000\"/>\n</AdaptationSet>\n" MPD_CLOSE);
  GPtrArray *protections = offline_track_get_protections (offline_test_track (p, "v"));
  OfflineProtection *cenc, *widevine;

  g_assert_cmpuint (protections->len, ==, 2);
  cenc = g_ptr_array_index (protections, 0);
  widevine = g_ptr_array_index (protections, 1);
  g_assert_cmpstr (offline_protection_get_scheme_id_uri (cenc), ==, "urn:mpeg:dash:mp4protection:2011");
  g_assert_null (offline_protection_get_default_kid (cenc));
  g_assert_cmpstr (offline_protection_get_system_id (widevine), ==, "edef8ba9-79d6-4ace-a3c8-27dcd51d21ed");
  g_assert_null (offline_protection_get_pssh (widevine));
  offline_test_assert_n_segments (offline_test_track (p, "v"), 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/foreign/hls/map-switch", test_hls_map_switch);
  g_test_add_func ("/foreign/hls/map-repeated", test_hls_map_repeated);
  g_test_add_func ("/foreign/hls/video-renditions", test_hls_video_renditions);
  g_test_add_func ("/foreign/hls/video-rendition-only", test_hls_video_rendition_only);
  g_test_add_func ("/foreign/hls/header-late", test_hls_header_late);
  g_test_add_func ("/foreign/hls/no-target-duration", test_hls_no_target_duration);
  g_test_add_func ("/foreign/hls/master-tag-in-media", test_hls_master_tag_in_media);
  g_test_add_func ("/foreign/dash/timeline-past-end", test_dash_timeline_past_end);
  g_test_add_func ("/foreign/dash/empty-timeline", test_dash_empty_timeline);
  g_test_add_func ("/foreign/dash/duplicate-ids", test_dash_duplicate_ids);
  g_test_add_func ("/foreign/dash/drm-attributes", test_dash_drm_attributes);

  return g_test_run ();
}
