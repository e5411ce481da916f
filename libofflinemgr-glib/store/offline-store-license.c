/* offline-store-license.c: the Clear Key licence stored with an entry:
 * its keys (table license_keys, by KID), its expiry
 * (entries.license_expiration) and its licence server
 * (entries.license_url)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-error.h"
#include "offline-store-db-private.h"
#include "offline-store-private.h"

static gboolean
replace_license (OfflineStoreDb  *db,
                 gint64           row,
                 GHashTable      *keys,
                 gint64           expiration,
                 const char      *license_url,
                 GError         **error)
{
  g_autoptr(OfflineStoreStmt) clear =
    offline_store_db_prepare (db, "DELETE FROM license_keys WHERE entry = ?1", error);
  g_autoptr(OfflineStoreStmt) expiry = NULL;
  GHashTableIter iter;
  gpointer kid, key;

  if (clear == NULL)
    return FALSE;
  sqlite3_bind_int64 (clear, 1, row);
  if (!offline_store_db_step_done (db, clear, "cannot replace a licence", error))
    return FALSE;

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &kid, &key)) {
    g_autoptr(OfflineStoreStmt) insert =
      offline_store_db_prepare (db, "INSERT INTO license_keys (entry, kid, key) "
                                    "VALUES (?1, ?2, ?3)", error);
    gsize size;
    gconstpointer data = g_bytes_get_data (key, &size);

    if (insert == NULL)
      return FALSE;
    sqlite3_bind_int64 (insert, 1, row);
    offline_store_db_bind_text (insert, 2, kid);
    sqlite3_bind_blob (insert, 3, data, (int) size, SQLITE_TRANSIENT);
    if (!offline_store_db_step_done (db, insert, "cannot store a licence key", error))
      return FALSE;
  }

  expiry = offline_store_db_prepare (db, "UPDATE entries SET license_expiration = ?2, "
                                         "license_url = ?3 WHERE row_id = ?1", error);
  if (expiry == NULL)
    return FALSE;
  sqlite3_bind_int64 (expiry, 1, row);
  sqlite3_bind_int64 (expiry, 2, expiration);
  offline_store_db_bind_text (expiry, 3, license_url);
  return offline_store_db_step_done (db, expiry, "cannot store a licence expiry", error);
}

gboolean
offline_store_set_license (OfflineStore  *self,
                           const char    *id,
                           GHashTable    *keys,
                           gint64         expiration,
                           const char    *license_url,
                           GError       **error)
{
  OfflineStoreDb *db;
  gint64 row;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (keys != NULL, FALSE);

  db = offline_store_get_db (self);
  if (!offline_store_db_begin (db, error))
    return FALSE;
  row = offline_store_get_entry_row (self, id, error);
  if (row == 0 || !replace_license (db, row, keys, expiration, license_url, error)) {
    offline_store_db_rollback (db);
    return FALSE;
  }
  return offline_store_db_commit (db, error);
}

GHashTable *
offline_store_get_license_keys (OfflineStore  *self,
                                const char    *id,
                                char         **license_url,
                                GError       **error)
{
  OfflineStoreDb *db;
  g_autoptr(OfflineStoreStmt) stmt = NULL;
  g_autoptr(GHashTable) keys = NULL;
  gboolean has_row = FALSE;
  gint64 row;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  db = offline_store_get_db (self);
  row = offline_store_get_entry_row (self, id, error);
  if (row == 0)
    return NULL;
  if (license_url != NULL) {
    g_autoptr(OfflineStoreStmt) url =
      offline_store_db_prepare (db, "SELECT license_url FROM entries WHERE row_id = ?1", error);

    if (url == NULL)
      return NULL;
    sqlite3_bind_int64 (url, 1, row);
    if (!offline_store_db_step (db, url, &has_row, "cannot read a licence", error))
      return NULL;
    *license_url = has_row ? offline_store_db_dup_text (url, 0) : NULL;
  }
  stmt = offline_store_db_prepare (db, "SELECT kid, key FROM license_keys WHERE entry = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, row);
  keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  for (;;) {
    if (!offline_store_db_step (db, stmt, &has_row, "cannot read a licence", error))
      return NULL;
    if (!has_row)
      break;
    g_hash_table_replace (keys, offline_store_db_dup_text (stmt, 0),
                          g_bytes_new (sqlite3_column_blob (stmt, 1),
                                       sqlite3_column_bytes (stmt, 1)));
  }
  return g_steal_pointer (&keys);
}
