/* fuzz-hls-master.c: the HLS playlist parser (offline_hls_parse, master
 * playlists and media playlists given as the manifest) on any bytes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include "offline-hls-parser.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation =
    offline_hls_parse (bytes, "https://cdn.example.com/vod/a/master.m3u8", &error);

  if ((presentation == NULL) == (error == NULL))
    g_error ("offline_hls_parse: result %p, error %p", presentation, error);
  return 0;
}
