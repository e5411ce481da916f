/* offline-stored-watch.c: tells a reader that a store's index changed
 * (see offline-stored-entry.h, "Watching the store")
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-store-db-private.h"
#include "offline-stored-entry.h"

struct _OfflineStoredWatch {
  GObject parent_instance;

  OfflineStore *store;          /* (owned) read-only: the connection */
  gint64 data_version;          /* as last read */
};

G_DEFINE_FINAL_TYPE (OfflineStoredWatch, offline_stored_watch, G_TYPE_OBJECT)

static void
offline_stored_watch_finalize (GObject *object)
{
  OfflineStoredWatch *self = OFFLINE_STORED_WATCH (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (offline_stored_watch_parent_class)->finalize (object);
}

static void
offline_stored_watch_class_init (OfflineStoredWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_stored_watch_finalize;
}

static void
offline_stored_watch_init (OfflineStoredWatch *self)
{
}

static gboolean
read_data_version (OfflineStoredWatch  *self,
                   gint64             *version,
                   GError            **error)
{
  OfflineStoreDb *db = offline_store_get_db (self->store);
  OfflineStoreStmt *stmt = offline_store_db_prepare (db, "PRAGMA data_version", error);
  gboolean has_row;

  if (stmt == NULL || !offline_store_db_step (db, stmt, &has_row, "cannot read the index", error))
    return FALSE;
  *version = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

OfflineStoredWatch *
offline_stored_watch_new (const char  *store_path,
                         GError     **error)
{
  g_autoptr(OfflineStoredWatch) self = g_object_new (OFFLINE_TYPE_STORED_WATCH, NULL);

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->store = offline_store_open_readonly (store_path, error);
  if (self->store == NULL || !read_data_version (self, &self->data_version, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
offline_stored_watch_changed (OfflineStoredWatch  *self,
                             gboolean           *changed,
                             GError            **error)
{
  gint64 version;

  g_return_val_if_fail (OFFLINE_IS_STORED_WATCH (self), FALSE);
  g_return_val_if_fail (changed != NULL, FALSE);

  if (!read_data_version (self, &version, error))
    return FALSE;
  *changed = version != self->data_version;
  self->data_version = version;
  return TRUE;
}
