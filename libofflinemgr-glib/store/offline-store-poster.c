/* offline-store-poster.c: the poster image stored with an entry, a file
 * in its directory named by entries.poster_file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-store-db-private.h"
#include "offline-store-fs-private.h"
#include "offline-store-private.h"

#define POSTER_FILE "poster"

gboolean
offline_store_set_poster (OfflineStore  *self,
                          const char    *id,
                          GBytes        *image,
                          GError       **error)
{
  OfflineStoreDb *db;
  g_autoptr(OfflineStoreStmt) stmt = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gint64 row;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (image != NULL, FALSE);

  db = offline_store_get_db (self);
  row = offline_store_get_entry_row (self, id, error);
  if (row == 0)
    return FALSE;
  dir = offline_store_get_entry_dir (self, id, error);
  if (dir == NULL || !offline_store_fs_make_dir (dir, error))
    return FALSE;
  path = g_build_filename (dir, POSTER_FILE, NULL);
  if (!offline_store_fs_write_file (path, image, error))
    return FALSE;

  stmt = offline_store_db_prepare (db, "UPDATE entries SET poster_file = ?2 WHERE row_id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  offline_store_db_bind_text (stmt, 2, POSTER_FILE);
  return offline_store_db_step_done (db, stmt, "cannot record the poster", error);
}
