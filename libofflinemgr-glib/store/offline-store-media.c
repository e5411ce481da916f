/* offline-store-media.c: what the store knows of an entry's media: its
 * source format and duration
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A progressive entry (a plain MP4/WebM/MP3 file, one MEDIA resource)
 * has no manifest to give its duration: it is read from the stored file's
 * container once the file is stored (offline_store_record_file_duration()),
 * so that list/info and get_downloaded_media_info() show it.
 */
#include "config.h"

#include "offline-error.h"
#include "offline-manifest-private.h"
#include "offline-store-db-private.h"

static gboolean
not_found (const char  *id,
           GError     **error)
{
  g_autofree char *quoted = offline_store_quote_id (id);

  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND, "No entry %s is stored", quoted);
  return FALSE;
}

OfflineManifestFormat
offline_store_get_format (OfflineStore  *self,
                          const char    *id,
                          GError       **error)
{
  OfflineStoreDb *db;
  g_autoptr(OfflineStoreStmt) stmt = NULL;
  gboolean has_row = FALSE;
  int format;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), OFFLINE_MANIFEST_FORMAT_UNKNOWN);
  g_return_val_if_fail (id != NULL, OFFLINE_MANIFEST_FORMAT_UNKNOWN);

  db = offline_store_get_db (self);
  stmt = offline_store_db_prepare (db, "SELECT format FROM entries WHERE id = ?1", error);
  if (stmt == NULL)
    return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
  offline_store_db_bind_text (stmt, 1, id);
  if (!offline_store_db_step (db, stmt, &has_row, "cannot read an entry", error))
    return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
  if (!has_row) {
    not_found (id, error);
    return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
  }
  format = sqlite3_column_int (stmt, 0);
  if (format < OFFLINE_MANIFEST_FORMAT_UNKNOWN || format > OFFLINE_MANIFEST_FORMAT_PROGRESSIVE)
    return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
  return format;
}

gboolean
offline_store_set_duration (OfflineStore  *self,
                            const char    *id,
                            GTimeSpan      duration,
                            GError       **error)
{
  OfflineStoreDb *db;
  g_autoptr(OfflineStoreStmt) stmt = NULL;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  db = offline_store_get_db (self);
  stmt = offline_store_db_prepare (db,
      "UPDATE entries SET duration_us = ?2, updated_us = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  offline_store_db_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, MAX (duration, 0));
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  if (!offline_store_db_step_done (db, stmt, "cannot update an entry", error))
    return FALSE;
  return sqlite3_changes (db->handle) > 0 || not_found (id, error);
}

gboolean
offline_store_record_file_duration (OfflineStore  *self,
                                    const char    *id,
                                    GError       **error)
{
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autofree char *path = NULL;
  const OfflineStoreResource *media = NULL;
  OfflineManifestFormat format = offline_store_get_format (self, id, error);
  GTimeSpan duration;

  if (format != OFFLINE_MANIFEST_FORMAT_PROGRESSIVE)
    return format != OFFLINE_MANIFEST_FORMAT_UNKNOWN || error == NULL || *error == NULL;
  resources = offline_store_get_resources (self, id, FALSE, error);
  if (resources == NULL)
    return FALSE;
  for (guint i = 0; i < resources->len; i++) {
    const OfflineStoreResource *resource = &g_array_index (resources, OfflineStoreResource, i);

    if (resource->kind == OFFLINE_STORE_RESOURCE_MEDIA && resource->done)
      media = resource;
  }
  if (media == NULL)
    return TRUE;
  path = offline_store_get_resource_path (self, id, media->id, error);
  if (path == NULL)
    return FALSE;
  /* mapped: an MP4's moov may be at the end, the rest is never read */
  mapped = g_mapped_file_new (path, FALSE, NULL);
  if (mapped == NULL)
    return TRUE;
  duration = offline_progressive_read_duration ((const guint8 *) g_mapped_file_get_contents (mapped),
                                                g_mapped_file_get_length (mapped));
  if (duration <= 0)
    return TRUE;
  return offline_store_set_duration (self, id, duration, error);
}
