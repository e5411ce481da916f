/* fuzz-ovp.c: the provider's parser of Kaltura OVP API answers
 * (offline_ovp_context_parse: entry, playback context, sources, DRM) on
 * any bytes; the first byte says whether a widget session was asked for
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include "offline-ovp-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gboolean anonymous = offline_fuzz_take (&data, &size, 1) & 1;
  OfflineOvpParams params = {
    .partner_id = 4242,
    .ks = anonymous ? NULL : "djJ8NDI0Mnx3aWRnZXQ=",
    .service_url = "https://api.example.com/api_v3",
    .cdn_url = "https://cdn.example.com",
  };
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineMediaInfo) info = offline_ovp_context_parse (&params, "0_clear", bytes, &error);

  if ((info == NULL) == (error == NULL))
    g_error ("offline_ovp_context_parse: result %p, error %p", info, error);
  return 0;
}
