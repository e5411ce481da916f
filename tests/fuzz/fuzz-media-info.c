/* fuzz-media-info.c: the media info JSON parser
 * (offline_media_info_new_from_json, what `offlinemgr` and the store
 * read back) on any text, and what parses written out again
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include "offline-media-info-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineMediaInfo) info = offline_media_info_new_from_json (text, &error);
  g_autofree char *json = NULL;

  if ((info == NULL) == (error == NULL))
    g_error ("offline_media_info_new_from_json: result %p, error %p", info, error);
  if (info == NULL)
    return 0;
  json = offline_media_info_to_json (info);
  g_clear_object (&info);
  /* what it writes, it reads */
  info = offline_media_info_new_from_json (json, &error);
  if (info == NULL)
    g_error ("offline_media_info_new_from_json of its own %s: %s", json, error->message);
  return 0;
}
