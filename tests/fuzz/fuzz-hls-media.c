/* fuzz-hls-media.c: the HLS media playlist parser
 * (offline_hls_parse_media_playlist) on any bytes, for a track of a
 * fixed master playlist that the first input byte picks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include "offline-hls-parser.h"

/* A video variant, an audio rendition, subtitles, a muxed variant. */
static const char master[] =
  "#EXTM3U\n"
  "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",LANGUAGE=\"en\",URI=\"audio/en.m3u8\"\n"
  "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"fr\",LANGUAGE=\"fr\",URI=\"subs/fr.m3u8\"\n"
  "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS=\"avc1.4d401e,mp4a.40.2\",AUDIO=\"a\",SUBTITLES=\"s\"\n"
  "video/360.m3u8\n"
  "#EXT-X-STREAM-INF:BANDWIDTH=400000,CODECS=\"avc1.4d400c,mp4a.40.2\"\n"
  "muxed/low.m3u8\n";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) master_bytes = g_bytes_new_static (master, sizeof master - 1);
  g_autoptr(OfflinePresentation) presentation =
    offline_hls_parse (master_bytes, "https://cdn.example.com/vod/master.m3u8", NULL);
  guint pick = offline_fuzz_take (&data, &size, 1);
  GPtrArray *tracks = offline_presentation_get_tracks (presentation);
  OfflineTrack *track = g_ptr_array_index (tracks, pick % tracks->len);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  gboolean ok = offline_hls_parse_media_playlist (presentation, track, bytes,
                                                  "https://cdn.example.com/vod/media/p.m3u8",
                                                  &error);

  if (ok == (error != NULL))
    g_error ("offline_hls_parse_media_playlist: %d with error %p", ok, error);
  if (ok)
    (void) offline_presentation_get_duration (presentation);
  return 0;
}
