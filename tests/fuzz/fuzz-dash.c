/* fuzz-dash.c: the DASH MPD parser (offline_dash_parse) on any bytes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include "offline-dash-parser.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  offline_fuzz_parse (offline_dash_parse, "https://cdn.example.com/vod/a/manifest.mpd", data, size);
  return 0;
}
