/* test-bad-input.c: hostile and broken manifests through the public entry
 * point: each gives its documented error code, none crashes or hangs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-utils.h"

#define MPD_HEAD "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT6S\">"
#define VIDEO_SET(body) "<Period><AdaptationSet mimeType=\"video/mp4\"><Representation id=\"v\" bandwidth=\"1000\">" body "</Representation></AdaptationSet></Period></MPD>"
#define MEDIA_HEAD "#EXTM3U\n#EXT-X-TARGETDURATION:2\n"

static const struct {
  const char *name;
  const char *path;
  const char *text;
  int code;
} cases[] = {
  { "dash-empty", "m.mpd", "", OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-truncated", "m.mpd", MPD_HEAD "<Period><AdaptationSet mimeType=\"vid", OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-not-xml", "m.mpd", "<MPD type=static>", OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-dynamic", "m.mpd",
    "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"dynamic\" availabilityStartTime=\"2020-01-01T00:00:00Z\">"
    VIDEO_SET ("<SegmentTemplate media=\"$Number$.m4s\" duration=\"2\"/>"), OFFLINE_ERROR_LIVE_NOT_SUPPORTED },
  { "dash-wrong-type", "m.mpd", MPD_HEAD VIDEO_SET ("<SegmentTemplate media=\"$Number$.m4s\" duration=\"two\"/>"),
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-negative", "m.mpd", MPD_HEAD VIDEO_SET ("<SegmentTemplate media=\"$Number$.m4s\" duration=\"-2\"/>"),
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-timescale-zero", "m.mpd", MPD_HEAD VIDEO_SET ("<SegmentTemplate media=\"$Number$.m4s\" timescale=\"0\" duration=\"2\"/>"),
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-overflow", "m.mpd", MPD_HEAD VIDEO_SET ("<SegmentTemplate media=\"$Time$.m4s\" timescale=\"1\"><SegmentTimeline>"
    "<S t=\"18446744073709551615\" d=\"2\" r=\"2\"/></SegmentTimeline></SegmentTemplate>"), OFFLINE_ERROR_MANIFEST_INVALID },
  /* (a Period long enough for them all: a timeline is clipped to its Period) */
  { "dash-too-many-segments", "m.mpd",
    "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"P300D\">"
    VIDEO_SET ("<SegmentTemplate media=\"$Time$.m4s\" timescale=\"1000\"><SegmentTimeline>"
    "<S t=\"0\" d=\"1\" r=\"2000000000\"/></SegmentTimeline></SegmentTemplate>"), OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-tiny-duration", "m.mpd",
    "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"P300D\">"
    VIDEO_SET ("<SegmentTemplate media=\"$Number$.m4s\" timescale=\"1000\" duration=\"1\"/>"), OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-bad-format-tag", "m.mpd", MPD_HEAD VIDEO_SET ("<SegmentTemplate media=\"$Number%s$.m4s\" duration=\"2\"/>"),
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-unknown-identifier", "m.mpd", MPD_HEAD VIDEO_SET ("<SegmentTemplate media=\"$Nmber$.m4s\" duration=\"2\"/>"),
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-file-url", "m.mpd", MPD_HEAD VIDEO_SET ("<BaseURL>file:///etc/passwd</BaseURL>"), OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-entity-expansion", "m.mpd",
    "<?xml version=\"1.0\"?><!DOCTYPE MPD [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
    "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT6S\">"
    VIDEO_SET ("<BaseURL>&d;</BaseURL>"), OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-external-entity", "m.mpd",
    "<?xml version=\"1.0\"?><!DOCTYPE MPD [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
    "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT6S\">"
    VIDEO_SET ("<BaseURL>&x;</BaseURL>"), OFFLINE_ERROR_MANIFEST_INVALID },
  { "dash-no-period", "m.mpd", MPD_HEAD "</MPD>", OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-empty-playlist", "m.m3u8", MEDIA_HEAD "#EXT-X-ENDLIST\n", OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-empty-file", "m.m3u8", "", OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-no-header", "m.m3u8", "#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n",
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-live", "m.m3u8", MEDIA_HEAD "#EXTINF:2,\na.ts\n#EXTINF:2,\nb.ts\n", OFFLINE_ERROR_LIVE_NOT_SUPPORTED },
  { "hls-event", "m.m3u8", MEDIA_HEAD "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:2,\na.ts\n", OFFLINE_ERROR_LIVE_NOT_SUPPORTED },
  { "hls-missing-uri", "m.m3u8", MEDIA_HEAD "#EXTINF:2,\na.ts\n#EXTINF:2,\n#EXT-X-ENDLIST\n",
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-variant-missing-uri", "m.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n",
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-wrong-type", "m.m3u8", MEDIA_HEAD "#EXTINF:two,\na.ts\n#EXT-X-ENDLIST\n", OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-overflow-sequence", "m.m3u8", MEDIA_HEAD "#EXT-X-MEDIA-SEQUENCE:99999999999999999999999\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n",
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-overflow-byterange", "m.m3u8", MEDIA_HEAD "#EXTINF:2,\n#EXT-X-BYTERANGE:10@18446744073709551610\na.ts\n#EXT-X-ENDLIST\n",
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-file-url", "m.m3u8", MEDIA_HEAD "#EXTINF:2,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n", OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-bad-iv", "m.m3u8", MEDIA_HEAD "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1234\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n",
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "hls-key-without-uri", "m.m3u8", MEDIA_HEAD "#EXT-X-KEY:METHOD=AES-128\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n",
    OFFLINE_ERROR_MANIFEST_INVALID },
  { "not-a-manifest", "index.html", "<html><body>Not Found</body></html>", OFFLINE_ERROR_MANIFEST_INVALID },
};

static void
test_case (gconstpointer data)
{
  gsize i = GPOINTER_TO_SIZE (data);
  g_autoptr(GBytes) bytes = offline_test_bytes (cases[i].text);
  g_autoptr(GError) error = offline_test_parse_refused (offline_test_manifest_parse, bytes, cases[i].path,
                                                        cases[i].code, NULL);

  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_nul_byte (void)
{
  static const char text[] = MEDIA_HEAD "#EXTINF:2,\na\0.ts\n#EXT-X-ENDLIST\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(GError) error = offline_test_parse_refused (offline_test_manifest_parse, bytes, "m.m3u8",
                                                        OFFLINE_ERROR_MANIFEST_INVALID, NULL);
}

static void
test_oversized (void)
{
  g_autoptr(GBytes) bytes = offline_test_oversized_playlist (65 * 1024 * 1024);
  g_autoptr(GError) error = offline_test_parse_refused (offline_test_manifest_parse, bytes, "m.m3u8",
                                                        OFFLINE_ERROR_MANIFEST_INVALID, NULL);
}

/* Random byte flips, insertions and cuts of real fixtures: every result is
 * a presentation or an OFFLINE_ERROR, never a crash, hang or other error. */
static void
test_mutations (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GBytes) original = offline_test_load (path);
  g_autofree char *url = offline_test_url (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (original, &size);
  static const char *tokens[] = { "\"", "<", ">", "-1", "99999999999999999999", "$", "%", "\n", "@", ",", "&", "/>", "0" };

  for (int round = 0; round < 400; round++) {
    g_autoptr(GByteArray) mutated = g_byte_array_new ();
    g_autoptr(GBytes) input = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(OfflinePresentation) presentation = NULL;
    gsize at = g_rand_int_range (rand, 0, size);
    const char *token = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];

    g_byte_array_append (mutated, bytes, at);
    switch (round % 3) {
    case 0:   /* insert a token */
      g_byte_array_append (mutated, (const guint8 *) token, strlen (token));
      g_byte_array_append (mutated, bytes + at, size - at);
      break;
    case 1:   /* replace a byte */
      g_byte_array_append (mutated, (const guint8 *) token, 1);
      g_byte_array_append (mutated, bytes + at + 1, size - at - 1);
      break;
    default:  /* cut */
      break;
    }
    input = g_byte_array_free_to_bytes (g_steal_pointer (&mutated));
    presentation = offline_manifest_parse (input, url, NULL, &error);
    offline_test_assert_parse_result (presentation, error, OFFLINE_TEST_ANY_CODE);
  }
}

int
main (int argc, char **argv)
{
  static const char *fixtures[] = {
    "dash/template-number/manifest.mpd",
    "dash/template-timeline/manifest.mpd",
    "dash/segment-list-range/manifest.mpd",
    "dash/multi-period/manifest.mpd",
    "hls/ts-alt-audio/master.m3u8",
    "hls/byterange/master.m3u8",
  };

  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *name = g_strdup_printf ("/bad-input/%s", cases[i].name);

    g_test_add_data_func (name, GSIZE_TO_POINTER (i), test_case);
  }
  g_test_add_func ("/bad-input/nul-byte", test_nul_byte);
  g_test_add_func ("/bad-input/oversized", test_oversized);
  for (gsize i = 0; i < G_N_ELEMENTS (fixtures); i++) {
    g_autofree char *name = g_strdup_printf ("/bad-input/mutations/%s", fixtures[i]);

    g_test_add_data_func (name, fixtures[i], test_mutations);
  }

  return g_test_run ();
}
