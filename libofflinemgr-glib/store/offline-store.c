/* offline-store.c: the on-disk store, an SQLite index plus media files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <string.h>

#include <glib/gstdio.h>

#include "offline-entry-private.h"
#include "offline-error.h"
#include "offline-json-private.h"
#include "offline-store-db-private.h"
#include "offline-store-fs-private.h"
#include "offline-track-private.h"

struct _OfflineStore {
  GObject parent_instance;

  char *path;           /* absolute */
  char *entries_path;   /* path/entries */
  int lock_fd;          /* flock()ed while the store is open (-1: read-only) */
  gboolean readonly;    /* offline_store_open_readonly(): never writes */
  OfflineStoreFsReserve reserve;   /* path/reserve */
  OfflineStoreDb *db;
};

G_DEFINE_FINAL_TYPE (OfflineStore, offline_store, G_TYPE_OBJECT)

/* The order of offline_store_get_resources(): keys, then init segments,
 * then media at equal start times and tracks. */
G_STATIC_ASSERT (OFFLINE_STORE_RESOURCE_INIT == 0);
G_STATIC_ASSERT (OFFLINE_STORE_RESOURCE_MEDIA == 1);
G_STATIC_ASSERT (OFFLINE_STORE_RESOURCE_KEY == 2);
#define RESOURCE_COLUMNS \
  "row_id, track_index, kind, sequence, uri, range_offset, range_length," \
  " start_us, duration_us, discontinuity, key_id, iv, done, size"
#define RESOURCE_ORDER \
  " ORDER BY start_us, track_index, CASE kind WHEN 2 THEN 0 WHEN 0 THEN 1 ELSE 2 END, sequence"

#define ENTRY_COLUMNS \
  "row_id, id, name, description, poster_url, manifest_url, duration_us," \
  " state, bytes_downloaded, bytes_expected, segments_done, segments_total," \
  " created_us, updated_us, license_expiration, failure_message," \
  " EXISTS (SELECT 1 FROM license_keys WHERE license_keys.entry = entries.row_id)," \
  " tags, poster_file"

void
offline_store_resource_clear (OfflineStoreResource *resource)
{
  g_clear_pointer (&resource->uri, g_free);
  g_clear_pointer (&resource->iv, g_bytes_unref);
}

static void
offline_store_finalize (GObject *object)
{
  OfflineStore *self = OFFLINE_STORE (object);

  g_clear_pointer (&self->db, offline_store_db_free);
  /* closing the descriptor releases the lock */
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  offline_store_fs_reserve_clear (&self->reserve);
  g_free (self->path);
  g_free (self->entries_path);

  G_OBJECT_CLASS (offline_store_parent_class)->finalize (object);
}

static void
offline_store_class_init (OfflineStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_store_finalize;
}

static void
offline_store_init (OfflineStore *self)
{
  self->lock_fd = -1;
}

static gboolean
set_not_found (GError     **error,
               const char  *id)
{
  g_autofree char *quoted = offline_store_quote_id (id);

  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND, "No entry %s is stored", quoted);
  return FALSE;
}

static char *
entry_dir (OfflineStore *self,
           gint64        entry_row)
{
  return g_strdup_printf ("%s/%" G_GINT64_FORMAT, self->entries_path, entry_row);
}

/* Runs @sql, a SELECT of the entry whose id is ?1, and steps to its row:
 * returns the statement there, or NULL (OFFLINE_ERROR_NOT_FOUND if there is
 * no such entry). Checks the arguments of the public functions it starts. */
static OfflineStoreStmt *
select_entry (OfflineStore  *self,
              const char    *sql,
              const char    *id,
              GError       **error)
{
  OfflineStoreStmt *stmt;
  gboolean has_row;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = offline_store_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  offline_store_db_bind_text (stmt, 1, id);
  if (!offline_store_db_step (self->db, stmt, &has_row, "cannot read an entry", error)) {
    sqlite3_reset (stmt);
    return NULL;
  }
  if (!has_row) {
    sqlite3_reset (stmt);
    set_not_found (error, id);
    return NULL;
  }
  return stmt;
}

/* The row id of entry @id, 0 (with OFFLINE_ERROR_NOT_FOUND) if unknown. */
static gint64
lookup_entry (OfflineStore  *self,
              const char    *id,
              GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = select_entry (self, "SELECT row_id FROM entries WHERE id = ?1",
                                                   id, error);

  return stmt != NULL ? sqlite3_column_int64 (stmt, 0) : 0;
}

static gboolean
entry_row_exists (OfflineStore  *self,
                  gint64         entry_row,
                  gboolean      *exists,
                  GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (self->db,
      "SELECT 1 FROM entries WHERE row_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry_row);
  return offline_store_db_step (self->db, stmt, exists, "cannot look up an entry", error);
}

/* Deletes the directories of entries that have no row any more: what an
 * interrupted offline_store_remove_entry() left behind. Row ids are never
 * reused, so such a directory can only be garbage. */
static void
remove_orphans (OfflineStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = offline_store_fs_list_numbers (self->entries_path, &error);

  for (guint i = 0; rows != NULL && i < rows->len; i++) {
    gint64 row = g_array_index (rows, gint64, i);
    g_autofree char *name = NULL;
    gboolean exists;

    if (!entry_row_exists (self, row, &exists, &error))
      break;
    if (exists)
      continue;
    name = g_strdup_printf ("%" G_GINT64_FORMAT, row);
    if (!offline_store_fs_remove_tree (self->entries_path, name, &error))
      break;
  }
  if (error != NULL)
    g_warning ("Cannot clean up the store %s: %s", self->path, error->message);
}

typedef struct {
  OfflineStore *self;
  GPtrArray *recovered;
} Opening;

/* An OfflineStoreFsWriteFunc: opens the index (unless a first try did) and
 * recovers the entries a crash left running. */
static gboolean
open_index (gpointer   data,
            GError   **error)
{
  Opening *opening = data;
  OfflineStore *self = opening->self;

  if (self->db == NULL) {
    g_autofree char *index = g_build_filename (self->path, "index.sqlite", NULL);

    self->db = offline_store_db_open (index, error);
    if (self->db == NULL)
      return FALSE;
  }
  return offline_store_fs_make_dir (self->entries_path, error) &&
         offline_store_db_recover (self->db, opening->recovered, error);
}

OfflineStore *
offline_store_open (const char  *path,
                    GPtrArray   *recovered,
                    GError     **error)
{
  g_autoptr(OfflineStore) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reserve = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (OFFLINE_TYPE_STORE, NULL);
  self->path = g_canonicalize_filename (path, NULL);
  self->entries_path = g_build_filename (self->path, "entries", NULL);

  if (g_mkdir_with_parents (self->path, 0700) < 0) {
    int saved_errno = errno;

    g_set_error (error, OFFLINE_ERROR,
                 saved_errno == ENOSPC ? OFFLINE_ERROR_OUT_OF_SPACE : OFFLINE_ERROR_STORE,
                 "Cannot create the store %s: %s", self->path, g_strerror (saved_errno));
    return NULL;
  }
  /* For the owner alone, also a store made before this rule or under
   * another umask: all it holds is below this directory. A store shared
   * on purpose with a group (another owner) is left as it is. */
  if (!offline_store_fs_restrict (self->path, 0700, TRUE, &local_error)) {
    g_debug ("%s", local_error->message);
    g_clear_error (&local_error);
  }
  self->lock_fd = offline_store_fs_lock (self->path, error);
  if (self->lock_fd < 0)
    return NULL;

  reserve = g_build_filename (self->path, "reserve", NULL);
  offline_store_fs_reserve_init (&self->reserve, reserve);
  if (!offline_store_fs_reserve_write (&self->reserve, open_index,
                                       &(Opening) { self, recovered }, error))
    return NULL;
  remove_orphans (self);
  return g_steal_pointer (&self);
}

OfflineStore *
offline_store_open_readonly (const char  *path,
                             GError     **error)
{
  g_autoptr(OfflineStore) self = NULL;
  g_autofree char *index = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (OFFLINE_TYPE_STORE, NULL);
  self->readonly = TRUE;
  self->path = g_canonicalize_filename (path, NULL);
  self->entries_path = g_build_filename (self->path, "entries", NULL);

  index = g_build_filename (self->path, "index.sqlite", NULL);
  if (!g_file_test (index, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                 "There is no store at %s", self->path);
    return NULL;
  }
  self->db = offline_store_db_open_readonly (index, error);
  if (self->db == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

OfflineStoreDb *
offline_store_get_db (OfflineStore *self)
{
  return self->db;
}

gint64
offline_store_get_entry_row (OfflineStore  *self,
                             const char    *id,
                             GError       **error)
{
  return lookup_entry (self, id, error);
}

const char *
offline_store_get_path (OfflineStore *self)
{
  g_return_val_if_fail (OFFLINE_IS_STORE (self), NULL);
  return self->path;
}

gboolean
offline_store_create_entry_full (OfflineStore            *self,
                                 OfflineMediaInfo        *info,
                                 OfflineTrackSelection   *selection,
                                 OfflineDownloadOptions  *options,
                                 GError                 **error)
{
  g_return_val_if_fail (OFFLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (info), FALSE);
  g_return_val_if_fail (offline_media_info_get_entry_id (info) != NULL, FALSE);
  g_return_val_if_fail (OFFLINE_IS_TRACK_SELECTION (selection), FALSE);
  g_return_val_if_fail (options == NULL || OFFLINE_IS_DOWNLOAD_OPTIONS (options), FALSE);

  if (!offline_store_db_begin (self->db, error))
    return FALSE;
  if (offline_store_db_insert_entry (self->db, info, selection, options, error) == 0) {
    offline_store_db_rollback (self->db);
    return FALSE;
  }
  return offline_store_db_commit (self->db, error);
}

gboolean
offline_store_create_entry (OfflineStore           *self,
                            OfflineMediaInfo       *info,
                            OfflineTrackSelection  *selection,
                            GError                **error)
{
  return offline_store_create_entry_full (self, info, selection, NULL, error);
}

static GDateTime *
date_time_from_us (gint64 us)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  GDateTime *date_time = g_date_time_add (epoch, us);

  /* out of range: only a damaged index says so */
  return date_time != NULL ? date_time : g_date_time_ref (epoch);
}

static gboolean
load_tracks (OfflineStore  *self,
             gint64         entry_row,
             GPtrArray     *tracks,
             GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (self->db,
      "SELECT type, track_id, language, label, bandwidth, width, height,"
      " frame_rate, codecs, mime_type, muxed_audio"
      " FROM tracks WHERE entry = ?1 ORDER BY track_index",
      error);
  gboolean has_row = TRUE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry_row);
  while (TRUE) {
    OfflineTrack *track;
    int type;

    if (!offline_store_db_step (self->db, stmt, &has_row, "cannot read the tracks", error))
      return FALSE;
    if (!has_row)
      return TRUE;
    type = sqlite3_column_int (stmt, 0);
    if (type < OFFLINE_TRACK_TYPE_VIDEO || type > OFFLINE_TRACK_TYPE_TEXT) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                   "Store index: a track has the unknown type %d", type);
      return FALSE;
    }
    track = offline_track_new (type, (const char *) sqlite3_column_text (stmt, 1));
    track->language = offline_store_db_dup_text (stmt, 2);
    track->label = offline_store_db_dup_text (stmt, 3);
    track->bandwidth = (guint64) MAX (sqlite3_column_int64 (stmt, 4), 0);
    track->width = (guint) CLAMP (sqlite3_column_int64 (stmt, 5), 0, G_MAXUINT);
    track->height = (guint) CLAMP (sqlite3_column_int64 (stmt, 6), 0, G_MAXUINT);
    track->frame_rate = sqlite3_column_double (stmt, 7);
    track->codecs = offline_store_db_dup_text (stmt, 8);
    track->mime_type = offline_store_db_dup_text (stmt, 9);
    track->muxed_audio = sqlite3_column_int (stmt, 10) != 0;
    g_ptr_array_add (tracks, track);
  }
}

/* Whether @name (nullable) names a file of an entry's directory, not a
 * path: only a damaged index records anything else as the poster's file,
 * and a path from it could point outside the store. */
static gboolean
is_file_name (const char *name)
{
  return name != NULL && *name != '\0' && strchr (name, '/') == NULL &&
    strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

/* The entry of the current row of a SELECT ENTRY_COLUMNS, with its tracks. */
static OfflineEntry *
entry_from_row (OfflineStore      *self,
                OfflineStoreStmt  *stmt,
                GError           **error)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 1);
  g_autoptr(OfflineEntry) entry = NULL;
  const char *poster_file;
  int state = sqlite3_column_int (stmt, 7);

  /* the schema says NOT NULL: only a damaged index has none */
  if (id == NULL) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                         "Store index: an entry has no id");
    return NULL;
  }
  entry = offline_entry_new (id);
  if (state < OFFLINE_DOWNLOAD_STATE_QUEUED || state > OFFLINE_DOWNLOAD_STATE_WAITING) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                 "Store index: an entry has the unknown state %d", state);
    return NULL;
  }
  entry->name = offline_store_db_dup_text (stmt, 2);
  entry->description = offline_store_db_dup_text (stmt, 3);
  entry->poster_url = offline_store_db_dup_text (stmt, 4);
  entry->manifest_url = offline_store_db_dup_text (stmt, 5);
  entry->duration = sqlite3_column_int64 (stmt, 6);
  entry->state = state;
  entry->bytes_downloaded = (guint64) MAX (sqlite3_column_int64 (stmt, 8), 0);
  entry->bytes_expected = (guint64) MAX (sqlite3_column_int64 (stmt, 9), 0);
  entry->segments_done = (guint) CLAMP (sqlite3_column_int64 (stmt, 10), 0, G_MAXUINT);
  entry->segments_total = (guint) CLAMP (sqlite3_column_int64 (stmt, 11), 0, G_MAXUINT);
  entry->created = date_time_from_us (sqlite3_column_int64 (stmt, 12));
  entry->updated = date_time_from_us (sqlite3_column_int64 (stmt, 13));
  entry->license_expiration = sqlite3_column_int64 (stmt, 14);
  entry->failure_message = offline_store_db_dup_text (stmt, 15);
  entry->is_protected = sqlite3_column_int (stmt, 16) != 0;
  g_strfreev (entry->tags);
  entry->tags = offline_json_strv_from_text ((const char *) sqlite3_column_text (stmt, 17));
  poster_file = (const char *) sqlite3_column_text (stmt, 18);
  if (is_file_name (poster_file)) {
    g_autofree char *dir = entry_dir (self, sqlite3_column_int64 (stmt, 0));

    entry->poster_path = g_build_filename (dir, poster_file, NULL);
  }

  if (!load_tracks (self, sqlite3_column_int64 (stmt, 0), entry->tracks, error))
    return NULL;
  return g_steal_pointer (&entry);
}

OfflineEntry *
offline_store_get_entry (OfflineStore  *self,
                         const char    *id,
                         GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = select_entry (self,
                                                   "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?1",
                                                   id, error);

  return stmt != NULL ? entry_from_row (self, stmt, error) : NULL;
}

GPtrArray *
offline_store_list_entries (OfflineStore  *self,
                            GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(OfflineStoreStmt) stmt = NULL;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), NULL);

  stmt = offline_store_db_prepare (self->db,
                                   "SELECT " ENTRY_COLUMNS " FROM entries"
                                   " ORDER BY created_us, row_id",
                                   error);
  if (stmt == NULL)
    return NULL;
  while (TRUE) {
    OfflineEntry *entry;
    gboolean has_row;

    if (!offline_store_db_step (self->db, stmt, &has_row, "cannot read the entries", error))
      return NULL;
    if (!has_row)
      return g_steal_pointer (&entries);
    entry = entry_from_row (self, stmt, error);
    if (entry == NULL)
      return NULL;
    g_ptr_array_add (entries, entry);
  }
}

/* Steps an UPDATE of the entry @id: OFFLINE_ERROR_NOT_FOUND if it changed
 * no row. */
static gboolean
update_entry (OfflineStore      *self,
              OfflineStoreStmt  *stmt,
              const char        *id,
              GError           **error)
{
  if (!offline_store_db_step_done (self->db, stmt, "cannot update an entry", error))
    return FALSE;
  if (sqlite3_changes (self->db->handle) == 0)
    return set_not_found (error, id);
  return TRUE;
}

typedef struct {
  OfflineStore *self;
  OfflineStoreStmt *stmt;
  const char *id;
} Update;

/* An OfflineStoreFsWriteFunc: steps (again) the UPDATE of an entry. */
static gboolean
step_update (gpointer   data,
             GError   **error)
{
  Update *update = data;

  /* after a failed step: its bindings stay */
  sqlite3_reset (update->stmt);
  return update_entry (update->self, update->stmt, update->id, error);
}

gboolean
offline_store_set_state (OfflineStore          *self,
                         const char            *id,
                         OfflineDownloadState   state,
                         const char            *failure_message,
                         GError               **error)
{
  g_autoptr(OfflineStoreStmt) stmt = NULL;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (state <= OFFLINE_DOWNLOAD_STATE_WAITING, FALSE);

  stmt = offline_store_db_prepare (self->db,
      "UPDATE entries SET state = ?2, failure_message = ?3, updated_us = ?4 WHERE id = ?1",
      error);
  if (stmt == NULL)
    return FALSE;
  offline_store_db_bind_text (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, state);
  offline_store_db_bind_text (stmt, 3, failure_message);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  /* Starting on a full disk fails early: the reserve is for the stop. */
  if (state == OFFLINE_DOWNLOAD_STATE_QUEUED || state == OFFLINE_DOWNLOAD_STATE_DOWNLOADING ||
      state == OFFLINE_DOWNLOAD_STATE_WAITING)
    return update_entry (self, stmt, id, error);
  return offline_store_fs_reserve_write (&self->reserve, step_update,
                                         &(Update) { self, stmt, id }, error);
}

gboolean
offline_store_set_bytes_expected (OfflineStore  *self,
                                  const char    *id,
                                  guint64        bytes_expected,
                                  GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = NULL;

  g_return_val_if_fail (OFFLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  stmt = offline_store_db_prepare (self->db,
      "UPDATE entries SET bytes_expected = ?2, updated_us = ?3 WHERE id = ?1",
      error);
  if (stmt == NULL)
    return FALSE;
  offline_store_db_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) MIN (bytes_expected, G_MAXINT64));
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return update_entry (self, stmt, id, error);
}

OfflineDownloadOptions *
offline_store_get_download_options (OfflineStore  *self,
                                    const char    *id,
                                    GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = select_entry (self,
      "SELECT option_language, option_bitrate FROM entries WHERE id = ?1", id, error);
  OfflineDownloadOptions *options;

  if (stmt == NULL)
    return NULL;
  options = offline_download_options_new ();
  offline_download_options_set_language (options, (const char *) sqlite3_column_text (stmt, 0));
  offline_download_options_set_bitrate (options, (guint64) MAX (sqlite3_column_int64 (stmt, 1), 0));
  return options;
}

static void
resource_from_row (OfflineStoreResource *resource,
                   OfflineStoreStmt     *stmt)
{
  resource->id = sqlite3_column_int64 (stmt, 0);
  resource->track_index = (guint) sqlite3_column_int64 (stmt, 1);
  resource->kind = sqlite3_column_int (stmt, 2);
  resource->sequence = (guint) sqlite3_column_int64 (stmt, 3);
  resource->uri = offline_store_db_dup_text (stmt, 4);
  resource->range_offset = sqlite3_column_int64 (stmt, 5);
  resource->range_length = sqlite3_column_int64 (stmt, 6);
  resource->start = sqlite3_column_int64 (stmt, 7);
  resource->duration = sqlite3_column_int64 (stmt, 8);
  resource->discontinuity = sqlite3_column_int (stmt, 9) != 0;
  resource->key_id = sqlite3_column_int64 (stmt, 10);
  if (sqlite3_column_type (stmt, 11) == SQLITE_BLOB)
    resource->iv = g_bytes_new (sqlite3_column_blob (stmt, 11), sqlite3_column_bytes (stmt, 11));
  resource->done = sqlite3_column_int (stmt, 12) != 0;
  resource->size = (guint64) MAX (sqlite3_column_int64 (stmt, 13), 0);
}

GArray *
offline_store_get_resources (OfflineStore  *self,
                             const char    *id,
                             gboolean       pending_only,
                             GError       **error)
{
  g_autoptr(GArray) resources = NULL;
  g_autoptr(OfflineStoreStmt) stmt = NULL;
  gint64 entry_row;

  entry_row = lookup_entry (self, id, error);
  if (entry_row == 0)
    return NULL;
  if (pending_only)
    stmt = offline_store_db_prepare (self->db,
        "SELECT " RESOURCE_COLUMNS " FROM resources WHERE entry = ?1 AND done = 0" RESOURCE_ORDER,
        error);
  else
    stmt = offline_store_db_prepare (self->db,
        "SELECT " RESOURCE_COLUMNS " FROM resources WHERE entry = ?1" RESOURCE_ORDER,
        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, entry_row);

  resources = g_array_new (FALSE, TRUE, sizeof (OfflineStoreResource));
  g_array_set_clear_func (resources, (GDestroyNotify) offline_store_resource_clear);
  while (TRUE) {
    OfflineStoreResource resource = { 0 };
    gboolean has_row;

    if (!offline_store_db_step (self->db, stmt, &has_row, "cannot read the resources", error))
      return NULL;
    if (!has_row)
      return g_steal_pointer (&resources);
    resource_from_row (&resource, stmt);
    g_array_append_val (resources, resource);
  }
}

/* OFFLINE_ERROR_NOT_FOUND unless resource @resource_id is the entry's. */
static gboolean
check_resource (OfflineStore  *self,
                gint64         entry_row,
                gint64         resource_id,
                GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (self->db,
      "SELECT 1 FROM resources WHERE row_id = ?1 AND entry = ?2", error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, resource_id);
  sqlite3_bind_int64 (stmt, 2, entry_row);
  if (!offline_store_db_step (self->db, stmt, &has_row, "cannot look up a resource", error))
    return FALSE;
  if (!has_row) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND,
                 "Resource %" G_GINT64_FORMAT " is not part of the entry", resource_id);
    return FALSE;
  }
  return TRUE;
}

char *
offline_store_get_resource_path (OfflineStore  *self,
                                 const char    *id,
                                 gint64         resource_id,
                                 GError       **error)
{
  g_autofree char *dir = NULL;
  gint64 entry_row;

  entry_row = lookup_entry (self, id, error);
  if (entry_row == 0)
    return NULL;
  if (!check_resource (self, entry_row, resource_id, error))
    return NULL;

  dir = entry_dir (self, entry_row);
  if (!self->readonly && !offline_store_fs_make_dir (dir, error))
    return NULL;
  return g_strdup_printf ("%s/%" G_GINT64_FORMAT, dir, resource_id);
}

char *
offline_store_get_entry_dir (OfflineStore  *self,
                             const char    *id,
                             GError       **error)
{
  gint64 entry_row = lookup_entry (self, id, error);

  return entry_row != 0 ? entry_dir (self, entry_row) : NULL;
}

/* Marks one resource done; adds its size to *@bytes and 1 to *@count
 * unless it was done already. */
static gboolean
mark_done (OfflineStore  *self,
           gint64         entry_row,
           gint64         resource_id,
           guint64        size,
           guint64       *bytes,
           guint64       *count,
           GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (self->db,
      "UPDATE resources SET done = 1, size = ?3 WHERE row_id = ?1 AND entry = ?2 AND done = 0",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, resource_id);
  sqlite3_bind_int64 (stmt, 2, entry_row);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) MIN (size, G_MAXINT64));
  if (!offline_store_db_step_done (self->db, stmt, "cannot record a resource", error))
    return FALSE;
  if (sqlite3_changes (self->db->handle) == 1) {
    *bytes += size;
    *count += 1;
    return TRUE;
  }

  /* done already (a repeated commit), or not this entry's */
  return check_resource (self, entry_row, resource_id, error);
}

static gboolean
add_progress (OfflineStore  *self,
              gint64         entry_row,
              guint64        bytes,
              guint64        count,
              GError       **error)
{
  /* Once every resource is stored, the expected size is the exact one. */
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (self->db,
      "UPDATE entries SET bytes_downloaded = bytes_downloaded + ?2,"
      " segments_done = segments_done + ?3, updated_us = ?4,"
      " bytes_expected = CASE WHEN segments_done + ?3 >= segments_total"
      "   THEN bytes_downloaded + ?2 ELSE bytes_expected END"
      " WHERE row_id = ?1",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry_row);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) MIN (bytes, G_MAXINT64));
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) count);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  return offline_store_db_step_done (self->db, stmt, "cannot update an entry", error);
}

typedef struct {
  OfflineStore *self;
  gint64 entry_row;
  const gint64 *resource_ids;
  const guint64 *sizes;
  guint n;
} Batch;

/* An OfflineStoreFsWriteFunc: the transaction of a batch. */
static gboolean
commit_batch (gpointer   data,
              GError   **error)
{
  Batch *batch = data;
  OfflineStore *self = batch->self;
  g_autofree char *dir = entry_dir (self, batch->entry_row);
  guint64 bytes = 0, count = 0;

  /* the renames of the .part files first: then the rows */
  if (!offline_store_fs_sync_dir (dir, error) ||
      !offline_store_db_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < batch->n; i++) {
    if (!mark_done (self, batch->entry_row, batch->resource_ids[i], batch->sizes[i],
                    &bytes, &count, error))
      goto fail;
  }
  if (!add_progress (self, batch->entry_row, bytes, count, error))
    goto fail;
  return offline_store_db_commit (self->db, error);

fail:
  offline_store_db_rollback (self->db);
  return FALSE;
}

gboolean
offline_store_commit_resources (OfflineStore  *self,
                                const char    *id,
                                const gint64  *resource_ids,
                                const guint64 *sizes,
                                guint          n,
                                GError       **error)
{
  Batch batch = { self, 0, resource_ids, sizes, n };

  g_return_val_if_fail (n == 0 || (resource_ids != NULL && sizes != NULL), FALSE);

  batch.entry_row = lookup_entry (self, id, error);
  if (batch.entry_row == 0)
    return FALSE;
  if (n == 0)
    return TRUE;
  return offline_store_fs_reserve_write (&self->reserve, commit_batch, &batch, error);
}

gboolean
offline_store_remove_entry (OfflineStore  *self,
                            const char    *id,
                            GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = NULL;
  g_autofree char *name = NULL;
  gint64 entry_row;

  entry_row = lookup_entry (self, id, error);
  if (entry_row == 0)
    return FALSE;

  /* The rows first (tracks and resources cascade), in one transaction: an
   * entry never points at deleted files. A directory left behind if the
   * deletion is interrupted is cleaned up by the next offline_store_open(). */
  if (!offline_store_db_begin (self->db, error))
    return FALSE;
  stmt = offline_store_db_prepare (self->db, "DELETE FROM entries WHERE row_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, entry_row);
  if (!offline_store_db_step_done (self->db, stmt, "cannot delete an entry", error))
    goto fail;
  g_clear_pointer (&stmt, sqlite3_reset);
  if (!offline_store_db_commit (self->db, error))
    return FALSE;

  name = g_strdup_printf ("%" G_GINT64_FORMAT, entry_row);
  return offline_store_fs_remove_tree (self->entries_path, name, error);

fail:
  offline_store_db_rollback (self->db);
  return FALSE;
}
