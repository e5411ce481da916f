/* fuzz-selection.c: track selection on parsed input: the first bytes
 * choose the download options (a language and a bitrate), the rest is
 * a manifest of any format (offline_manifest_parse); what parses is
 * selected from (offline_track_selection_new) and its size estimated
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include "offline-manifest-parse.h"
#include "offline-track-selection.h"

/* Languages as manifests spell them, and unusual ones. */
static const char * const languages[] = {
  NULL, "en", "fr", "de", "en-US", "eng", "fra", "pt-BR", "zh-Hant", "und", "", "x", "EN",
};

/* Where the manifest comes from: the name tells DASH from HLS. */
static const char * const uris[] = {
  "https://cdn.example.com/vod/manifest.mpd",
  "https://cdn.example.com/vod/master.m3u8",
  "https://cdn.example.com/vod/manifest",
  "https://cdn.example.com/vod/clip.mp4",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint language = offline_fuzz_take (&data, &size, 1);
  guint uri = offline_fuzz_take (&data, &size, 1);
  guint64 bitrate = offline_fuzz_take (&data, &size, 4);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
  g_autoptr(OfflineTrackSelection) selection = NULL;
  g_autoptr(OfflinePresentation) presentation =
    offline_manifest_parse (bytes, uris[uri % G_N_ELEMENTS (uris)], NULL, NULL);

  if (presentation == NULL)
    return 0;
  offline_download_options_set_language (options, languages[language % G_N_ELEMENTS (languages)]);
  /* 0 keeps the default, the lowest bitrate */
  offline_download_options_set_bitrate (options, bitrate);
  selection = offline_track_selection_new (presentation, options);
  (void) offline_track_selection_get_video_track (selection);
  (void) offline_track_selection_get_audio_track (selection);
  (void) offline_track_selection_get_text_tracks (selection);
  (void) offline_track_selection_get_tracks (selection);
  (void) offline_track_selection_get_estimated_size (selection);
  return 0;
}
