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
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation =
    offline_dash_parse (bytes, "https://cdn.example.com/vod/a/manifest.mpd", &error);

  /* a result or an error, never both nor neither */
  if ((presentation == NULL) == (error == NULL))
    g_error ("offline_dash_parse: result %p, error %p", presentation, error);
  return 0;
}
