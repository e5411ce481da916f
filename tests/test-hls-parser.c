/* test-hls-parser.c: HLS master and media playlist parsing; the refusals
 * are in test-hls-bad-input.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-utils.h"
#include "offline-manifest-private.h"
#include "offline-presentation-private.h"

#define EDGE OFFLINE_TEST_BASE "hls-edge/"

/* Helpers */

/* offline_hls_parse() of tests/data/@path as fetched from OFFLINE_TEST_BASE */
static OfflinePresentation *
parse_file (const char *path)
{
  return offline_test_parse_file (offline_hls_parse, path);
}

/* offline_hls_parse() of @text as fetched from EDGE "inline.m3u8" */
static OfflinePresentation *
parse_text (const char *text)
{
  return offline_test_parse_text (offline_hls_parse, text, "hls-edge/inline.m3u8");
}

static void
assert_segment (OfflineSegment *segment,
                const char     *uri,
                gint64          offset,
                gint64          length,
                GTimeSpan       start,
                GTimeSpan       duration,
                guint64         number)
{
  offline_test_assert_segment (segment, uri, start, duration);
  offline_test_assert_range (segment, offset, length);
  g_assert_cmpuint (offline_segment_get_number (segment), ==, number);
}

/* @n whole segments PREFIX<number, 3 digits>SUFFIX of 2 s each */
static void
assert_uniform_segments (OfflineTrack *track,
                         const char   *prefix,
                         const char   *suffix,
                         guint         first,
                         guint         n)
{
  const GTimeSpan duration = 2000000;

  offline_test_assert_n_segments (track, n);
  for (guint i = 0; i < n; i++) {
    g_autofree char *uri = g_strdup_printf ("%s%03u%s", prefix, first + i, suffix);

    assert_segment (offline_test_segment (track, i), uri, -1, -1, i * duration, duration, first + i);
  }
  offline_test_assert_discontinuities (track, NULL, 0);
}

static void
assert_track (OfflineTrack     *track,
              const char       *id,
              OfflineTrackType  type,
              guint64           bandwidth,
              guint64           average_bandwidth,
              const char       *codecs,
              const char       *playlist_uri)
{
  g_assert_cmpstr (offline_track_get_id (track), ==, id);
  g_assert_cmpint (offline_track_get_track_type (track), ==, type);
  g_assert_cmpuint (offline_track_get_bandwidth (track), ==, bandwidth);
  g_assert_cmpuint (offline_track_get_average_bandwidth (track), ==, average_bandwidth);
  g_assert_cmpstr (offline_track_get_codecs (track), ==, codecs);
  g_assert_cmpstr (offline_track_get_playlist_uri (track), ==, playlist_uri);
}

static void
assert_video (OfflineTrack *track,
              guint         width,
              guint         height,
              double        frame_rate,
              gboolean      muxed_audio,
              const char   *audio_group,
              const char   *subtitle_group)
{
  g_assert_cmpuint (offline_track_get_width (track), ==, width);
  g_assert_cmpuint (offline_track_get_height (track), ==, height);
  g_assert_cmpfloat_with_epsilon (offline_track_get_frame_rate (track), frame_rate, 1e-9);
  g_assert_cmpint (offline_track_get_muxed_audio (track), ==, muxed_audio);
  g_assert_cmpstr (offline_track_get_audio_group_id (track), ==, audio_group);
  g_assert_cmpstr (offline_track_get_subtitle_group_id (track), ==, subtitle_group);
}

static void
assert_rendition (OfflineTrack *track,
                  const char   *group,
                  const char   *language,
                  const char   *label,
                  gboolean      is_default)
{
  g_assert_cmpstr (offline_track_get_group_id (track), ==, group);
  g_assert_cmpstr (offline_track_get_language (track), ==, language);
  g_assert_cmpstr (offline_track_get_label (track), ==, label);
  g_assert_cmpint (offline_track_get_is_default (track), ==, is_default);
  g_assert_false (offline_track_get_muxed_audio (track));
}

static void
assert_key (OfflineProtection *key,
            const char        *method,
            const char        *uri,
            const char        *format,
            const char        *iv_hex)
{
  g_autoptr(GString) hex = g_string_new (NULL);
  GBytes *iv;

  g_assert_nonnull (key);
  g_assert_cmpstr (offline_protection_get_method (key), ==, method);
  g_assert_cmpstr (offline_protection_get_key_uri (key), ==, uri);
  g_assert_cmpstr (offline_protection_get_key_format (key), ==, format);
  iv = offline_protection_get_iv (key);
  for (gsize i = 0; iv != NULL && i < g_bytes_get_size (iv); i++)
    g_string_append_printf (hex, "%02x", ((const guint8 *) g_bytes_get_data (iv, NULL))[i]);
  g_assert_cmpstr (iv ? hex->str : NULL, ==, iv_hex);
}

/* Hand-written edge cases */

static void
test_master_edge (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("hls-edge/master.m3u8");
  OfflineTrack *t;

  g_assert_cmpint (offline_presentation_get_format (p), ==, OFFLINE_MANIFEST_FORMAT_HLS);
  g_assert_cmpstr (offline_presentation_get_uri (p), ==, EDGE "master.m3u8");
  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 11);
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 0);
  g_assert_false (offline_presentation_get_is_live (p));
  g_assert_false (offline_presentation_is_complete (p));

  t = offline_test_track_at (p, 0);
  assert_track (t, "variant-0", OFFLINE_TRACK_TYPE_VIDEO, 2000000, 1800000,
                "avc1.64001f,mp4a.40.2", EDGE "video/720p.m3u8?session=1");
  assert_video (t, 1280, 720, 29.97, FALSE, "aac", "subs");
  g_assert_true (offline_track_needs_playlist (t));
  g_assert_null (offline_track_get_mime_type (t));
  offline_test_assert_n_segments (t, 0);

  t = offline_test_track_at (p, 1);
  assert_track (t, "variant-1", OFFLINE_TRACK_TYPE_VIDEO, 900000, 0,
                "hvc1.1.6.L93.B0,ec-3", "https://other.example.com/video/540p.m3u8");
  assert_video (t, 0, 0, 0, FALSE, "aac", NULL);

  t = offline_test_track_at (p, 2);
  assert_track (t, "variant-2", OFFLINE_TRACK_TYPE_AUDIO, 64000, 0, "mp4a.40.5",
                EDGE "audio-only.m3u8");
  assert_video (t, 0, 0, 0, FALSE, NULL, NULL);

  t = offline_test_track_at (p, 3);
  assert_track (t, "variant-3", OFFLINE_TRACK_TYPE_VIDEO, 500000, 0, NULL, EDGE "no-codecs.m3u8");
  assert_video (t, 0, 0, 0, TRUE, NULL, NULL);

  /* The only rendition of "inline" has no URI: the audio is in the variant */
  t = offline_test_track_at (p, 4);
  assert_track (t, "variant-4", OFFLINE_TRACK_TYPE_VIDEO, 700000, 0, "avc1.4d401e,mp4a.40.2",
                EDGE "inline.m3u8");
  assert_video (t, 640, 360, 0, TRUE, "inline", NULL);

  /* …unless CODECS says there is no audio */
  t = offline_test_track_at (p, 5);
  assert_track (t, "variant-5", OFFLINE_TRACK_TYPE_VIDEO, 600000, 0, "avc1.4d401e",
                EDGE "silent.m3u8");
  assert_video (t, 640, 360, 0, FALSE, "inline", NULL);

  /* Renditions: unknown bandwidth (their variants' BANDWIDTH counts them)
   * and the audio codecs of their variants */
  t = offline_test_track_at (p, 6);
  assert_track (t, "audio-aac-English", OFFLINE_TRACK_TYPE_AUDIO, 0, 0, "mp4a.40.2",
                EDGE "audio/en.m3u8");
  assert_rendition (t, "aac", "en", "English", TRUE);
  g_assert_true (offline_track_needs_playlist (t));

  t = offline_test_track_at (p, 7);
  assert_track (t, "audio-aac-Espa_ol__AD_", OFFLINE_TRACK_TYPE_AUDIO, 0, 0, "mp4a.40.2",
                OFFLINE_TEST_BASE "shared/audio/es.m3u8?token=abc&x=1");
  assert_rendition (t, "aac", "es-ES", "Español (AD)", FALSE);

  t = offline_test_track_at (p, 8);
  assert_track (t, "audio-aac-Espa_ol__AD_-2", OFFLINE_TRACK_TYPE_AUDIO, 0, 0, "mp4a.40.2",
                "http://cdn.example.com/es2.m3u8");
  assert_rendition (t, "aac", "es-ES", "Español [AD]", FALSE);

  t = offline_test_track_at (p, 9);
  assert_track (t, "subtitles-subs-English", OFFLINE_TRACK_TYPE_TEXT, 0, 0, NULL,
                OFFLINE_TEST_BASE "subs/en.m3u8");
  assert_rendition (t, "subs", "en", "English", FALSE);

  /* A VIDEO rendition (another angle) is a video track too; no variant
   * names its group here: no codecs, no audio group */
  t = offline_test_track_at (p, 10);
  assert_track (t, "video-angles-Angle_2", OFFLINE_TRACK_TYPE_VIDEO, 0, 0, NULL,
                EDGE "angle2.m3u8");
  assert_rendition (t, "angles", NULL, "Angle 2", FALSE);
}

static void
test_media_uris (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("hls-edge/media/uris.m3u8");
  static const guint discontinuous[] = { 4 };
  OfflineTrack *t;

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 1);
  t = offline_test_track_at (p, 0);
  assert_track (t, "main", OFFLINE_TRACK_TYPE_VIDEO, 0, 0, NULL, EDGE "media/uris.m3u8");
  g_assert_true (offline_track_get_muxed_audio (t));
  g_assert_false (offline_track_needs_playlist (t));
  g_assert_true (offline_presentation_is_complete (p));
  g_assert_cmpstr (offline_track_get_mime_type (t), ==, "video/mp2t");
  g_assert_null (offline_track_get_init_segment (t));
  g_assert_cmpuint (offline_track_get_protections (t)->len, ==, 0);
  offline_test_assert_n_segments (t, 8);

  assert_segment (offline_test_segment (t, 0), EDGE "media/seg/a.ts", -1, -1, 0, 9009000, 100);
  assert_segment (offline_test_segment (t, 1), EDGE "up/b.ts?token=x%20y&n=2", -1, -1,
                  9009000, 10010000, 101);
  assert_segment (offline_test_segment (t, 2), OFFLINE_TEST_BASE "root/c.ts", -1, -1,
                  19019000, 4004000, 102);
  /* longer than EXT-X-TARGETDURATION: tolerated */
  assert_segment (offline_test_segment (t, 3), "https://cdn.example.com/d.ts", -1, -1,
                  23023000, 11000000, 103);
  assert_segment (offline_test_segment (t, 4), EDGE "media/all.ts", 0, 1000, 34023000, 2500000, 104);
  assert_segment (offline_test_segment (t, 5), EDGE "media/all.ts", 1000, 2000, 36523000, 2500000, 105);
  assert_segment (offline_test_segment (t, 6), EDGE "media/all.ts", 3000, 500, 39023000, 500000, 106);
  assert_segment (offline_test_segment (t, 7), EDGE "media/other.ts", 50, 100, 39523000, 1000000, 107);
  offline_test_assert_discontinuities (t, discontinuous, G_N_ELEMENTS (discontinuous));
  for (guint i = 0; i < 8; i++)
    g_assert_null (offline_segment_get_key (offline_test_segment (t, i)));
  g_assert_cmpint (offline_track_get_duration (t), ==, 40523000);
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 40523000);
}

static void
test_media_keys (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("hls-edge/media/keys.m3u8");
  OfflineTrack *t = offline_test_track_at (p, 0);
  OfflineSegment *init = offline_track_get_init_segment (t);
  GPtrArray *protections = offline_track_get_protections (t);
  const char *skd_format = "com.apple.streamingkeydelivery";
  const char *wv_format = "urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed";
  static const guint discontinuous[] = { 5 };

  g_assert_cmpint (offline_track_get_track_type (t), ==, OFFLINE_TRACK_TYPE_VIDEO);
  g_assert_cmpstr (offline_track_get_mime_type (t), ==, "video/mp4");
  offline_test_assert_init (t, EDGE "media/init.mp4", 16, 720);
  g_assert_null (offline_segment_get_key (init));

  offline_test_assert_n_segments (t, 8);
  for (guint i = 0; i < 8; i++) {
    g_autofree char *uri = g_strdup_printf (EDGE "media/s%u.m4s", 7 + i);

    assert_segment (offline_test_segment (t, i), uri, -1, -1, i * 4000000, 4000000, 7 + i);
  }
  offline_test_assert_discontinuities (t, discontinuous, G_N_ELEMENTS (discontinuous));

  g_assert_null (offline_segment_get_key (offline_test_segment (t, 0)));
  /* No IV: the media sequence number, big-endian */
  assert_key (offline_segment_get_key (offline_test_segment (t, 1)), "AES-128", EDGE "media/keys/k1.bin",
              NULL, "00000000000000000000000000000008");
  assert_key (offline_segment_get_key (offline_test_segment (t, 2)), "AES-128", EDGE "media/keys/k1.bin",
              NULL, "00000000000000000000000000000009");
  /* An explicit IV: one key object shared by the segments */
  assert_key (offline_segment_get_key (offline_test_segment (t, 3)), "AES-128",
              "https://keys.example.com/k2?id=2", "identity", "00112233445566778899aabbccddeeff");
  g_assert_true (offline_segment_get_key (offline_test_segment (t, 3)) ==
                 offline_segment_get_key (offline_test_segment (t, 4)));
  g_assert_null (offline_segment_get_key (offline_test_segment (t, 5)));
  /* Several KEYFORMATs: the segment has the last, the track all of them */
  assert_key (offline_segment_get_key (offline_test_segment (t, 6)), "SAMPLE-AES",
              "data:text/plain;base64,AAAA", wv_format, NULL);
  assert_key (offline_segment_get_key (offline_test_segment (t, 7)), "SAMPLE-AES",
              "skd://key-1", skd_format, NULL);

  g_assert_cmpuint (protections->len, ==, 2);
  assert_key (g_ptr_array_index (protections, 0), "SAMPLE-AES", "skd://key-1", skd_format, NULL);
  assert_key (g_ptr_array_index (protections, 1), "SAMPLE-AES",
              "data:text/plain;base64,AAAA", wv_format, NULL);
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 32000000);
}

/* A DRM key URI's scheme is looked at, not kept: GLib's interned strings
 * are never freed, so interning each playlist's schemes would let a
 * server grow a long-running process without end (found by fuzz-hls-media:
 * LeakSanitizer saw GLib drop a full block of its quark table). */
static void
test_key_scheme_not_interned (void)
{
  const char *scheme = "offlinetest-never-interned";
  g_autofree char *text =
    g_strdup_printf ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
                     "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"%s:key-1\",KEYFORMAT=\"x\"\n"
                     "#EXTINF:2,\nv.ts\n"
                     "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"HTTPS://keys.example.com/k\",KEYFORMAT=\"y\"\n"
                     "#EXTINF:2,\nv2.ts\n#EXT-X-ENDLIST\n", scheme);
  g_autofree char *upper = g_ascii_strup (scheme, -1);
  g_autoptr(OfflinePresentation) p = parse_text (text);
  OfflineTrack *t = offline_test_track_at (p, 0);
  g_autofree char *kept = g_strconcat (scheme, ":key-1", NULL);

  assert_key (offline_segment_get_key (offline_test_segment (t, 0)), "SAMPLE-AES", kept, "x", NULL);
  /* http(s) in any case: resolved and normalized like a fetched URI */
  assert_key (offline_segment_get_key (offline_test_segment (t, 1)), "SAMPLE-AES",
              "https://keys.example.com/k", "y", NULL);
  g_assert_cmpuint (g_quark_try_string (scheme), ==, 0);
  g_assert_cmpuint (g_quark_try_string (upper), ==, 0);
}

static void
test_crlf_bom_vod (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("hls-edge/media/crlf-bom.m3u8");
  OfflineTrack *t = offline_test_track_at (p, 0);

  /* VOD without EXT-X-ENDLIST is complete; .vtt makes it a text track */
  assert_track (t, "main", OFFLINE_TRACK_TYPE_TEXT, 0, 0, NULL, EDGE "media/crlf-bom.m3u8");
  g_assert_false (offline_track_get_muxed_audio (t));
  g_assert_cmpstr (offline_track_get_mime_type (t), ==, "text/vtt");
  offline_test_assert_n_segments (t, 2);
  assert_segment (offline_test_segment (t, 0), EDGE "media/sub/0.vtt", -1, -1, 0, 6000000, 0);
  assert_segment (offline_test_segment (t, 1), EDGE "media/sub/1.vtt", -1, -1, 6000000, 3500000, 1);
}

static void
test_media_audio_types (void)
{
  static const struct {
    const char *uri;
    const char *map;
    OfflineTrackType type;
    const char *mime_type;
  } cases[] = {
    { "a.aac", "", OFFLINE_TRACK_TYPE_AUDIO, "audio/aac" },
    { "a.mp3?x=1", "", OFFLINE_TRACK_TYPE_AUDIO, "audio/mpeg" },
    { "a.m4a", "#EXT-X-MAP:URI=\"i.mp4\"\n", OFFLINE_TRACK_TYPE_AUDIO, "audio/mp4" },
    { "a.WEBVTT", "", OFFLINE_TRACK_TYPE_TEXT, "text/vtt" },
    { "segment?id=3", "", OFFLINE_TRACK_TYPE_VIDEO, "video/mp2t" },
    { "v.mp4", "#EXT-X-MAP:URI=\"i.mp4\"\n", OFFLINE_TRACK_TYPE_VIDEO, "video/mp4" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = g_strdup_printf ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n%s"
                                             "#EXTINF:2,\n%s\n#EXT-X-ENDLIST\n",
                                             cases[i].map, cases[i].uri);
    g_autoptr(OfflinePresentation) p = parse_text (text);
    OfflineTrack *t = offline_test_track_at (p, 0);

    g_assert_cmpint (offline_track_get_track_type (t), ==, cases[i].type);
    g_assert_cmpint (offline_track_get_muxed_audio (t), ==, cases[i].type == OFFLINE_TRACK_TYPE_VIDEO);
    g_assert_cmpstr (offline_track_get_mime_type (t), ==, cases[i].mime_type);
  }
}

static void
test_muxed_without_media (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("hls-edge/muxed.m3u8");

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 2);
  assert_track (offline_test_track_at (p, 0), "variant-0", OFFLINE_TRACK_TYPE_VIDEO, 1000, 0, NULL,
                EDGE "low.m3u8");
  assert_video (offline_test_track_at (p, 0), 320, 180, 0, TRUE, NULL, NULL);
  /* A group without any EXT-X-MEDIA: the audio can only be in the variant */
  assert_video (offline_test_track_at (p, 1), 0, 0, 0, TRUE, "missing", NULL);
}

static void
test_aes_map (void)
{
  g_autoptr(OfflinePresentation) p = parse_file ("hls-edge/media/aes-map.m3u8");
  OfflineTrack *t = offline_test_track_at (p, 0);
  OfflineSegment *init = offline_track_get_init_segment (t);

  /* MAP BYTERANGE without offset starts at 0; AES-128 applies to it */
  offline_test_assert_init (t, EDGE "media/init.mp4", 0, 100);
  assert_key (offline_segment_get_key (init), "AES-128", EDGE "media/k", NULL,
              "0102030405060708090a0b0c0d0e0f10");
  g_assert_true (offline_segment_get_key (init) == offline_segment_get_key (offline_test_segment (t, 0)));
  g_assert_cmpuint (offline_track_get_protections (t)->len, ==, 0);
}

/* offline_hls_parse_media_playlist() */

static const char master_text[] =
    "#EXTM3U\n"
    "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"en.m3u8\"\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.4d400c,mp4a.40.2\",AUDIO=\"a\"\n"
    "v.m3u8\n";

static const char short_media[] =
    "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nv0.ts\n#EXTINF:3,\nv1.ts\n#EXT-X-ENDLIST\n";

static void
test_media_playlist_api (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) p = parse_text (master_text);
  g_autoptr(OfflinePresentation) other = parse_text (master_text);
  g_autoptr(GBytes) media = offline_test_bytes (short_media);
  g_autoptr(GBytes) audio = offline_test_bytes (
      "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.5,\na0.ts\n#EXT-X-ENDLIST\n");
  g_autoptr(GBytes) live = offline_test_bytes (
      "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nv0.ts\n");
  g_autoptr(GBytes) master = offline_test_bytes (master_text);
  OfflineTrack *video, *en;

  video = offline_test_track (p, "variant-0");
  en = offline_test_track (p, "audio-a-en");
  g_assert_false (offline_track_get_muxed_audio (video));

  /* A track of another presentation */
  g_assert_false (offline_hls_parse_media_playlist (p, offline_test_track (other, "variant-0"),
                                                    media, EDGE "v.m3u8", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_FAILED);
  g_clear_error (&error);

  /* A master playlist, then a live one: nothing changes */
  g_assert_false (offline_hls_parse_media_playlist (p, video, master, EDGE "v.m3u8", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
  g_clear_error (&error);
  g_assert_false (offline_hls_parse_media_playlist (p, video, live, EDGE "v.m3u8", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LIVE_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_true (offline_track_needs_playlist (video));
  offline_test_assert_n_segments (video, 0);
  g_assert_cmpuint (p->segment_count, ==, 0);

  /* Relative URIs against the URI given (after redirects, say) */
  g_assert_true (offline_hls_parse_media_playlist (p, video, media, EDGE "moved/v.m3u8", &error));
  g_assert_no_error (error);
  g_assert_false (offline_track_needs_playlist (video));
  g_assert_cmpstr (offline_track_get_mime_type (video), ==, "video/mp2t");
  g_assert_cmpint (offline_track_get_track_type (video), ==, OFFLINE_TRACK_TYPE_VIDEO);
  assert_segment (offline_test_segment (video, 1), EDGE "moved/v1.ts", -1, -1, 4000000, 3000000, 1);
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 7000000);
  g_assert_false (offline_presentation_is_complete (p));
  g_assert_cmpuint (p->segment_count, ==, 2);

  /* Twice */
  g_assert_false (offline_hls_parse_media_playlist (p, video, media, EDGE "v.m3u8", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_FAILED);
  g_clear_error (&error);

  /* The track type comes from the master playlist, not the file names */
  g_assert_true (offline_hls_parse_media_playlist (p, en, audio, EDGE "en.m3u8", &error));
  g_assert_no_error (error);
  g_assert_cmpint (offline_track_get_track_type (en), ==, OFFLINE_TRACK_TYPE_AUDIO);
  g_assert_cmpstr (offline_track_get_mime_type (en), ==, "video/mp2t");
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 7000000);
  g_assert_true (offline_presentation_is_complete (p));
  g_assert_cmpuint (p->segment_count, ==, 3);

  /* The segment limit counts the segments of all tracks together */
  video = offline_test_track (other, "variant-0");
  other->segment_count = OFFLINE_MANIFEST_MAX_SEGMENTS - 1;
  g_assert_false (offline_hls_parse_media_playlist (other, video, media, EDGE "v.m3u8", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
  g_assert_cmpuint (other->segment_count, ==, OFFLINE_MANIFEST_MAX_SEGMENTS - 1);
  g_assert_true (offline_track_needs_playlist (video));
}

/* Real fixtures made by ffmpeg (tests/data/generate-fixtures.sh) */

static void
test_fixture_muxed (void)
{
  g_autoptr(OfflinePresentation) p = offline_test_parse_fixture ("hls/muxed/master.m3u8");
  OfflineTrack *t;

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 2);
  t = offline_test_track_at (p, 0);
  assert_track (t, "variant-0", OFFLINE_TRACK_TYPE_VIDEO, 264704, 252923, "avc1.4d400c,mp4a.40.2",
                OFFLINE_TEST_BASE "hls/muxed/stream_320x180.m3u8");
  assert_video (t, 320, 180, 25.0, TRUE, NULL, NULL);
  g_assert_cmpstr (offline_track_get_mime_type (t), ==, "video/mp2t");
  assert_uniform_segments (t, OFFLINE_TEST_BASE "hls/muxed/stream_320x180_", ".ts", 0, 3);

  t = offline_test_track_at (p, 1);
  assert_track (t, "variant-1", OFFLINE_TRACK_TYPE_VIDEO, 154160, 146640, "avc1.4d400b,mp4a.40.2",
                OFFLINE_TEST_BASE "hls/muxed/stream_160x90.m3u8");
  assert_video (t, 160, 90, 25.0, TRUE, NULL, NULL);
  assert_uniform_segments (t, OFFLINE_TEST_BASE "hls/muxed/stream_160x90_", ".ts", 0, 3);
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 6000000);
}

/* The renditions of ts-alt-audio and fmp4 */
static void
assert_alt_audio (OfflinePresentation *p,
                  const char          *dir,
                  const char          *mime_type,
                  const char          *extension)
{
  static const char *languages[] = { "en", "es" };
  static const char *names[] = { "English", "Spanish" };
  static const GTimeSpan durations[] = { 2005333, 2005333, 1989333 };

  for (guint i = 0; i < 2; i++) {
    g_autofree char *id = g_strdup_printf ("audio-group_aud-%s", names[i]);
    g_autofree char *base = g_strdup_printf (OFFLINE_TEST_BASE "hls/%s/audio_%s/", dir, languages[i]);
    g_autofree char *playlist = g_strconcat (base, "index.m3u8", NULL);
    OfflineTrack *t = offline_test_track_at (p, 2 + i);
    GTimeSpan start = 0;

    assert_track (t, id, OFFLINE_TRACK_TYPE_AUDIO, 0, 0, "mp4a.40.2", playlist);
    assert_rendition (t, "group_aud", languages[i], names[i], i == 0);
    g_assert_cmpstr (offline_track_get_mime_type (t), ==, mime_type);
    offline_test_assert_n_segments (t, 3);
    for (guint j = 0; j < 3; j++) {
      g_autofree char *uri = g_strdup_printf ("%sseg_%03u.%s", base, j, extension);

      assert_segment (offline_test_segment (t, j), uri, -1, -1, start, durations[j], j);
      start += durations[j];
    }
    g_assert_cmpint (offline_track_get_duration (t), ==, 5999999);
  }
}

static void
test_fixture_ts_alt_audio (void)
{
  g_autoptr(OfflinePresentation) p = offline_test_parse_fixture ("hls/ts-alt-audio/master.m3u8");
  static const char *languages[] = { "en", "es" };
  static const char *names[] = { "English", "Spanish" };
  OfflineTrack *t;

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 6);
  t = offline_test_track_at (p, 0);
  assert_track (t, "variant-0", OFFLINE_TRACK_TYPE_VIDEO, 267263, 255179, "avc1.4d400c,mp4a.40.2",
                OFFLINE_TEST_BASE "hls/ts-alt-audio/video_320x180/index.m3u8");
  assert_video (t, 320, 180, 25.0, FALSE, "group_aud", "subs");
  g_assert_cmpstr (offline_track_get_mime_type (t), ==, "video/mp2t");
  assert_uniform_segments (t, OFFLINE_TEST_BASE "hls/ts-alt-audio/video_320x180/seg_", ".ts", 0, 3);
  t = offline_test_track_at (p, 1);
  assert_track (t, "variant-1", OFFLINE_TRACK_TYPE_VIDEO, 156719, 148897, "avc1.4d400b,mp4a.40.2",
                OFFLINE_TEST_BASE "hls/ts-alt-audio/video_160x90/index.m3u8");
  assert_video (t, 160, 90, 25.0, FALSE, "group_aud", "subs");
  assert_uniform_segments (t, OFFLINE_TEST_BASE "hls/ts-alt-audio/video_160x90/seg_", ".ts", 0, 3);

  assert_alt_audio (p, "ts-alt-audio", "video/mp2t", "ts");

  for (guint i = 0; i < 2; i++) {
    g_autofree char *id = g_strdup_printf ("subtitles-subs-%s", names[i]);
    g_autofree char *playlist = g_strdup_printf (OFFLINE_TEST_BASE "hls/ts-alt-audio/subs_%s.m3u8",
                                                 languages[i]);
    g_autofree char *uri = g_strdup_printf (OFFLINE_TEST_BASE "hls/ts-alt-audio/subs-%s.vtt",
                                            languages[i]);

    t = offline_test_track_at (p, 4 + i);
    assert_track (t, id, OFFLINE_TRACK_TYPE_TEXT, 0, 0, NULL, playlist);
    assert_rendition (t, "subs", languages[i], names[i], FALSE);
    g_assert_cmpstr (offline_track_get_mime_type (t), ==, "text/vtt");
    offline_test_assert_n_segments (t, 1);
    assert_segment (offline_test_segment (t, 0), uri, -1, -1, 0, 6000000, 0);
  }
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 6000000);
}

static void
test_fixture_fmp4 (void)
{
  g_autoptr(OfflinePresentation) p = offline_test_parse_fixture ("hls/fmp4/master.m3u8");
  static const char *dirs[] = { "video_320x180", "video_160x90" };

  g_assert_cmpuint (offline_presentation_get_tracks (p)->len, ==, 4);
  assert_track (offline_test_track_at (p, 0), "variant-0", OFFLINE_TRACK_TYPE_VIDEO, 233947, 221693,
                "avc1.4d400c,mp4a.40.2", OFFLINE_TEST_BASE "hls/fmp4/video_320x180/index.m3u8");
  assert_video (offline_test_track_at (p, 0), 320, 180, 25.0, FALSE, "group_aud", NULL);
  assert_track (offline_test_track_at (p, 1), "variant-1", OFFLINE_TRACK_TYPE_VIDEO, 124711, 119182,
                "avc1.4d400b,mp4a.40.2", OFFLINE_TEST_BASE "hls/fmp4/video_160x90/index.m3u8");
  assert_video (offline_test_track_at (p, 1), 160, 90, 25.0, FALSE, "group_aud", NULL);

  for (guint i = 0; i < 2; i++) {
    OfflineTrack *t = offline_test_track_at (p, i);
    g_autofree char *prefix = g_strdup_printf (OFFLINE_TEST_BASE "hls/fmp4/%s/seg_", dirs[i]);
    g_autofree char *init = g_strdup_printf (OFFLINE_TEST_BASE "hls/fmp4/%s/init_%u.mp4", dirs[i], i);

    g_assert_cmpstr (offline_track_get_mime_type (t), ==, "video/mp4");
    offline_test_assert_init (t, init, -1, -1);
    assert_uniform_segments (t, prefix, ".m4s", 0, 3);
  }

  assert_alt_audio (p, "fmp4", "audio/mp4", "m4s");
  offline_test_assert_init (offline_test_track_at (p, 2), OFFLINE_TEST_BASE "hls/fmp4/audio_en/init_2.mp4",
                            -1, -1);
  offline_test_assert_init (offline_test_track_at (p, 3), OFFLINE_TEST_BASE "hls/fmp4/audio_es/init_3.mp4",
                            -1, -1);
  g_assert_cmpint (offline_presentation_get_duration (p), ==, 6000000);
}

static void
test_fixture_byterange (void)
{
  g_autoptr(OfflinePresentation) ts = offline_test_parse_fixture ("hls/byterange/master.m3u8");
  g_autoptr(OfflinePresentation) mp4 = offline_test_parse_fixture ("hls/byterange-fmp4/master.m3u8");
  OfflineTrack *t = offline_test_track_at (ts, 0);
  const char *ts_uri = OFFLINE_TEST_BASE "hls/byterange/stream.ts";
  const char *mp4_uri = OFFLINE_TEST_BASE "hls/byterange-fmp4/stream.m4s";

  assert_track (t, "variant-0", OFFLINE_TRACK_TYPE_VIDEO, 264704, 252923, "avc1.4d400c,mp4a.40.2",
                OFFLINE_TEST_BASE "hls/byterange/stream.m3u8");
  assert_video (t, 320, 180, 25.0, TRUE, NULL, NULL);
  g_assert_cmpstr (offline_track_get_mime_type (t), ==, "video/mp2t");
  g_assert_null (offline_track_get_init_segment (t));
  offline_test_assert_n_segments (t, 3);
  assert_segment (offline_test_segment (t, 0), ts_uri, 0, 61476, 0, 2000000, 0);
  assert_segment (offline_test_segment (t, 1), ts_uri, 61476, 66176, 2000000, 2000000, 1);
  assert_segment (offline_test_segment (t, 2), ts_uri, 127652, 62040, 4000000, 2000000, 2);

  t = offline_test_track_at (mp4, 0);
  assert_track (t, "variant-0", OFFLINE_TRACK_TYPE_VIDEO, 231964, 221260, "avc1.4d400c,mp4a.40.2",
                OFFLINE_TEST_BASE "hls/byterange-fmp4/stream.m3u8");
  g_assert_cmpstr (offline_track_get_mime_type (t), ==, "video/mp4");
  offline_test_assert_init (t, mp4_uri, 0, 1342);
  offline_test_assert_n_segments (t, 3);
  assert_segment (offline_test_segment (t, 0), mp4_uri, 1342, 53326, 0, 2000000, 0);
  assert_segment (offline_test_segment (t, 1), mp4_uri, 54668, 57991, 2000000, 2000000, 1);
  assert_segment (offline_test_segment (t, 2), mp4_uri, 112659, 54628, 4000000, 2000000, 2);
}

static void
test_fixture_aes128 (void)
{
  g_autoptr(OfflinePresentation) p = offline_test_parse_fixture ("hls/aes128/master.m3u8");
  g_autoptr(OfflinePresentation) seq = offline_test_parse_fixture ("hls/aes128-seqiv/master.m3u8");
  OfflineTrack *t = offline_test_track_at (p, 0);

  assert_track (t, "variant-0", OFFLINE_TRACK_TYPE_VIDEO, 264768, 252971, "avc1.4d400c,mp4a.40.2",
                OFFLINE_TEST_BASE "hls/aes128/stream.m3u8");
  assert_uniform_segments (t, OFFLINE_TEST_BASE "hls/aes128/seg_", ".ts", 0, 3);
  g_assert_cmpuint (offline_track_get_protections (t)->len, ==, 0);
  for (guint i = 0; i < 3; i++) {
    OfflineProtection *key = offline_segment_get_key (offline_test_segment (t, i));

    assert_key (key, "AES-128", OFFLINE_TEST_BASE "hls/aes128/key.bin", NULL,
                "000102030405060708090a0b0c0d0e0f");
    g_assert_true (key == offline_segment_get_key (offline_test_segment (t, 0)));
  }

  t = offline_test_track_at (seq, 0);
  assert_uniform_segments (t, OFFLINE_TEST_BASE "hls/aes128-seqiv/seg_", ".ts", 1, 3);
  for (guint i = 0; i < 3; i++) {
    g_autofree char *iv = g_strdup_printf ("%032x", i + 1);

    assert_key (offline_segment_get_key (offline_test_segment (t, i)), "AES-128",
                OFFLINE_TEST_BASE "hls/aes128-seqiv/key.bin", NULL, iv);
  }
  g_assert_cmpint (offline_presentation_get_duration (seq), ==, 6000000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hls/edge/master", test_master_edge);
  g_test_add_func ("/hls/edge/media-uris", test_media_uris);
  g_test_add_func ("/hls/edge/media-keys", test_media_keys);
  g_test_add_func ("/hls/edge/key-scheme-not-interned", test_key_scheme_not_interned);
  g_test_add_func ("/hls/edge/crlf-bom-vod", test_crlf_bom_vod);
  g_test_add_func ("/hls/edge/media-types", test_media_audio_types);
  g_test_add_func ("/hls/edge/muxed-without-media", test_muxed_without_media);
  g_test_add_func ("/hls/edge/aes-map", test_aes_map);
  g_test_add_func ("/hls/api/media-playlist", test_media_playlist_api);
  g_test_add_func ("/hls/fixture/muxed", test_fixture_muxed);
  g_test_add_func ("/hls/fixture/ts-alt-audio", test_fixture_ts_alt_audio);
  g_test_add_func ("/hls/fixture/fmp4", test_fixture_fmp4);
  g_test_add_func ("/hls/fixture/byterange", test_fixture_byterange);
  g_test_add_func ("/hls/fixture/aes128", test_fixture_aes128);

  return g_test_run ();
}
