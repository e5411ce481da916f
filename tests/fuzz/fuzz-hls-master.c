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
  offline_fuzz_parse (offline_hls_parse, "https://cdn.example.com/vod/a/master.m3u8", data, size);
  return 0;
}
