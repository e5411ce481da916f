/* offline-entry-id.c: what an entry id may be
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-entry-id-private.h"
#include "offline-error.h"

gboolean
offline_entry_id_validate (const char  *entry_id,
                           gssize       length,
                           GError     **error)
{
  gsize size;

  if (entry_id == NULL) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                         "no entry id given");
    return FALSE;
  }
  size = length < 0 ? strlen (entry_id) : (gsize) length;
  if (size == 0) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                         "the entry id is empty");
    return FALSE;
  }
  if (size > OFFLINE_ENTRY_ID_MAX_LENGTH) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                 "the entry id is %" G_GSIZE_FORMAT " bytes long, more than %d",
                 size, OFFLINE_ENTRY_ID_MAX_LENGTH);
    return FALSE;
  }
  if (memchr (entry_id, '\0', size) != NULL) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                         "the entry id holds a NUL byte");
    return FALSE;
  }
  if (!g_utf8_validate_len (entry_id, size, NULL)) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                         "the entry id is not valid UTF-8");
    return FALSE;
  }
  return TRUE;
}
