/* offline-store-db.c: the SQLite index of a store: opening, schema, helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "offline-error.h"
#include "offline-store-db-private.h"
#include "offline-store-fs-private.h"

/* Migrations: migrations[v] brings a database from version v to v + 1. A
 * database at version 0 is new (or empty). Never edit a released step:
 * append one. */
static const char *const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE entries ("
  "  row_id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  name TEXT,"
  "  description TEXT,"
  "  poster_url TEXT,"
  "  manifest_url TEXT NOT NULL,"
  "  format INTEGER NOT NULL,"
  "  duration_us INTEGER NOT NULL DEFAULT 0,"
  "  state INTEGER NOT NULL,"
  "  bytes_downloaded INTEGER NOT NULL DEFAULT 0,"
  "  bytes_expected INTEGER NOT NULL DEFAULT 0,"
  "  segments_done INTEGER NOT NULL DEFAULT 0,"
  "  segments_total INTEGER NOT NULL DEFAULT 0,"
  "  created_us INTEGER NOT NULL,"
  "  updated_us INTEGER NOT NULL,"
  "  license_expiration INTEGER NOT NULL DEFAULT 0,"
  "  failure_message TEXT,"
  "  option_language TEXT,"
  "  option_bitrate INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE tracks ("
  "  entry INTEGER NOT NULL REFERENCES entries (row_id) ON DELETE CASCADE,"
  "  track_index INTEGER NOT NULL,"
  "  type INTEGER NOT NULL,"
  "  track_id TEXT NOT NULL,"
  "  language TEXT,"
  "  label TEXT,"
  "  bandwidth INTEGER NOT NULL DEFAULT 0,"
  "  width INTEGER NOT NULL DEFAULT 0,"
  "  height INTEGER NOT NULL DEFAULT 0,"
  "  frame_rate REAL NOT NULL DEFAULT 0,"
  "  codecs TEXT,"
  "  mime_type TEXT,"
  "  muxed_audio INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (entry, track_index)"
  ");"
  /* key_id refers to a KEY row of the same entry; deliberately no foreign
   * key: it would make deleting an entry with per-segment keys quadratic. */
  "CREATE TABLE resources ("
  "  row_id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  entry INTEGER NOT NULL REFERENCES entries (row_id) ON DELETE CASCADE,"
  "  track_index INTEGER NOT NULL,"
  "  kind INTEGER NOT NULL,"
  "  sequence INTEGER NOT NULL,"
  "  uri TEXT NOT NULL,"
  "  range_offset INTEGER NOT NULL DEFAULT -1,"
  "  range_length INTEGER NOT NULL DEFAULT -1,"
  "  start_us INTEGER NOT NULL DEFAULT 0,"
  "  duration_us INTEGER NOT NULL DEFAULT 0,"
  "  discontinuity INTEGER NOT NULL DEFAULT 0,"
  "  key_id INTEGER,"
  "  iv BLOB,"
  "  done INTEGER NOT NULL DEFAULT 0,"
  "  size INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX resources_entry_done ON resources (entry, done);",
  /* 1 → 2: Clear Key licences (entries.license_expiration is their expiry,
   * entries.license_url where they came from) */
  "CREATE TABLE license_keys ("
  "  entry INTEGER NOT NULL REFERENCES entries (row_id) ON DELETE CASCADE,"
  "  kid TEXT NOT NULL,"
  "  key BLOB NOT NULL,"
  "  PRIMARY KEY (entry, kid)"
  ");"
  "ALTER TABLE entries ADD COLUMN license_url TEXT;",
  /* 2 → 3: the provider's tags (a JSON array of strings) and the poster
   * image downloaded into the entry's directory (its file name there) */
  ("ALTER TABLE entries ADD COLUMN tags TEXT;"
   "ALTER TABLE entries ADD COLUMN poster_file TEXT;"),
};

#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

char *
offline_store_quote_id (const char *id)
{
  g_autofree char *valid = g_utf8_make_valid (id, -1);

  if (g_utf8_strlen (valid, -1) <= 64)
    return g_strdup_printf ("“%s”", valid);
  return g_strdup_printf ("“%.*s…”", (int) (g_utf8_offset_to_pointer (valid, 64) - valid), valid);
}

static gboolean
is_no_space (int saved_errno)
{
  return saved_errno == ENOSPC || saved_errno == EDQUOT;
}

/* Whether the last failed system call on the database file or on its WAL
 * (or rollback journal) found the disk full. The unix VFS keeps that errno
 * per file (SQLITE_FCNTL_LAST_ERRNO); sqlite3_system_errno() reads errno
 * once the statement has failed, after the rollback's own calls: it says 0
 * for a failed fdatasync() of the WAL. */
static gboolean
file_found_no_space (sqlite3 *handle)
{
  sqlite3_file *journal = NULL;
  int saved_errno = 0;

  if (sqlite3_file_control (handle, "main", SQLITE_FCNTL_LAST_ERRNO, &saved_errno) == SQLITE_OK &&
      is_no_space (saved_errno))
    return TRUE;
  saved_errno = 0;
  return sqlite3_file_control (handle, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) == SQLITE_OK &&
         journal != NULL && journal->pMethods != NULL &&
         journal->pMethods->xFileControl (journal, SQLITE_FCNTL_LAST_ERRNO, &saved_errno) == SQLITE_OK &&
         is_no_space (saved_errno);
}

gboolean
offline_store_db_fail (OfflineStoreDb  *db,
                       int              rc,
                       const char      *what,
                       GError         **error)
{
  gboolean has_handle = db != NULL && db->handle != NULL;
  const char *message = has_handle ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);
  int code = OFFLINE_ERROR_STORE;

  /* SQLite says SQLITE_FULL for ENOSPC on a write, but an I/O error for
   * ENOSPC on a sync or on growing the -shm file, and for EDQUOT. */
  if ((rc & 0xff) == SQLITE_FULL)
    code = OFFLINE_ERROR_OUT_OF_SPACE;
  else if ((rc & 0xff) == SQLITE_IOERR && has_handle &&
           (is_no_space (sqlite3_system_errno (db->handle)) || file_found_no_space (db->handle)))
    code = OFFLINE_ERROR_OUT_OF_SPACE;
  g_set_error (error, OFFLINE_ERROR, code, "Store index: %s: %s", what, message);
  return FALSE;
}

OfflineStoreStmt *
offline_store_db_prepare (OfflineStoreDb  *db,
                          const char      *sql,
                          GError         **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);
  int rc;

  if (stmt != NULL) {
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return stmt;
  }
  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK) {
    offline_store_db_fail (db, rc, "cannot prepare a query", error);
    return NULL;
  }
  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
offline_store_db_step (OfflineStoreDb    *db,
                       OfflineStoreStmt  *stmt,
                       gboolean          *has_row,
                       const char        *what,
                       GError           **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  return offline_store_db_fail (db, rc, what, error);
}

gboolean
offline_store_db_step_done (OfflineStoreDb    *db,
                            OfflineStoreStmt  *stmt,
                            const char        *what,
                            GError           **error)
{
  gboolean has_row;

  if (!offline_store_db_step (db, stmt, &has_row, what, error))
    return FALSE;
  g_warn_if_fail (!has_row);
  return TRUE;
}

gboolean
offline_store_db_exec (OfflineStoreDb  *db,
                       const char      *sql,
                       GError         **error)
{
  int rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);
  g_autofree char *what = NULL;

  if (rc == SQLITE_OK)
    return TRUE;
  /* name the statement by its start: a migration is long */
  what = g_strdup_printf ("cannot run “%.32s”", sql);
  return offline_store_db_fail (db, rc, what, error);
}

gboolean
offline_store_db_begin (OfflineStoreDb  *db,
                        GError         **error)
{
  return offline_store_db_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
offline_store_db_commit (OfflineStoreDb  *db,
                         GError         **error)
{
  if (offline_store_db_exec (db, "COMMIT", error))
    return TRUE;
  offline_store_db_rollback (db);
  return FALSE;
}

void
offline_store_db_rollback (OfflineStoreDb *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

void
offline_store_db_bind_text (OfflineStoreStmt *stmt,
                            int               column,
                            const char       *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

char *
offline_store_db_dup_text (OfflineStoreStmt *stmt,
                           int               column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
get_user_version (OfflineStoreDb  *db,
                  int             *version,
                  GError         **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (db, "PRAGMA user_version", error);
  gboolean has_row;

  if (stmt == NULL ||
      !offline_store_db_step (db, stmt, &has_row, "cannot read the schema version", error))
    return FALSE;
  *version = has_row ? sqlite3_column_int (stmt, 0) : 0;
  return TRUE;
}

/* Brings the schema from PRAGMA user_version up to SCHEMA_VERSION in one
 * transaction. */
static gboolean
migrate (OfflineStoreDb  *db,
         GError         **error)
{
  g_autofree char *set_version = NULL;
  int version;

  if (!get_user_version (db, &version, error))
    return FALSE;
  if (version == SCHEMA_VERSION)
    return TRUE;
  if (version < 0 || version > SCHEMA_VERSION) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                 "Store index: schema version %d is not supported (this library knows up to %d)",
                 version, SCHEMA_VERSION);
    return FALSE;
  }

  if (!offline_store_db_begin (db, error))
    return FALSE;
  /* re-read inside the write transaction */
  if (!get_user_version (db, &version, error))
    goto fail;
  for (int v = version; v < SCHEMA_VERSION; v++) {
    if (!offline_store_db_exec (db, migrations[v], error))
      goto fail;
  }
  set_version = g_strdup_printf ("PRAGMA user_version = %d", SCHEMA_VERSION);
  if (!offline_store_db_exec (db, set_version, error))
    goto fail;
  return offline_store_db_commit (db, error);

fail:
  offline_store_db_rollback (db);
  return FALSE;
}

gboolean
offline_store_db_recover (OfflineStoreDb  *db,
                          GPtrArray       *recovered,
                          GError         **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(OfflineStoreStmt) select = NULL;
  g_autoptr(OfflineStoreStmt) update = NULL;
  gboolean has_row = TRUE;

  if (!offline_store_db_begin (db, error))
    return FALSE;
  select = offline_store_db_prepare (db,
      "SELECT id FROM entries WHERE state IN (?1, ?2, ?3) ORDER BY row_id", error);
  if (select == NULL)
    goto fail;
  sqlite3_bind_int (select, 1, OFFLINE_DOWNLOAD_STATE_QUEUED);
  sqlite3_bind_int (select, 2, OFFLINE_DOWNLOAD_STATE_DOWNLOADING);
  sqlite3_bind_int (select, 3, OFFLINE_DOWNLOAD_STATE_WAITING);
  while (has_row) {
    if (!offline_store_db_step (db, select, &has_row, "cannot read the entries", error))
      goto fail;
    if (has_row)
      g_ptr_array_add (ids, offline_store_db_dup_text (select, 0));
  }

  update = offline_store_db_prepare (db,
      "UPDATE entries SET state = ?3, updated_us = ?4 WHERE state IN (?1, ?2, ?5)", error);
  if (update == NULL)
    goto fail;
  sqlite3_bind_int (update, 1, OFFLINE_DOWNLOAD_STATE_QUEUED);
  sqlite3_bind_int (update, 2, OFFLINE_DOWNLOAD_STATE_DOWNLOADING);
  sqlite3_bind_int (update, 3, OFFLINE_DOWNLOAD_STATE_PAUSED);
  sqlite3_bind_int64 (update, 4, g_get_real_time ());
  sqlite3_bind_int (update, 5, OFFLINE_DOWNLOAD_STATE_WAITING);
  if (!offline_store_db_step_done (db, update, "cannot recover the entries", error) ||
      !offline_store_db_commit (db, error))
    goto fail;

  if (recovered != NULL) {
    for (guint i = 0; i < ids->len; i++)
      g_ptr_array_add (recovered, g_strdup (g_ptr_array_index (ids, i)));
  }
  return TRUE;

fail:
  offline_store_db_rollback (db);
  return FALSE;
}

/* PRAGMA journal_mode answers with the mode in force. */
static gboolean
set_wal (OfflineStoreDb  *db,
         GError         **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (db, "PRAGMA journal_mode = WAL", error);
  gboolean has_row;

  if (stmt == NULL ||
      !offline_store_db_step (db, stmt, &has_row, "cannot enable write-ahead logging", error))
    return FALSE;
  if (!has_row || g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                 "Store index: cannot enable write-ahead logging");
    return FALSE;
  }
  return TRUE;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* A connection to @file opened with @flags (plus NOMUTEX and NOFOLLOW),
 * with extended result codes and a busy timeout; NULL on error. */
static OfflineStoreDb *
db_connect (const char  *file,
            int          flags,
            GError     **error)
{
  OfflineStoreDb *db = g_new0 (OfflineStoreDb, 1);
  int rc;

  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          finalize_statement);
  rc = sqlite3_open_v2 (file, &db->handle,
                        flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK) {
    offline_store_db_fail (db, rc, "cannot open the database", error);
    offline_store_db_free (db);
    return NULL;
  }
  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_busy_timeout (db->handle, 5000);
  return db;
}

/* offline_store_fs_restrict() of @file + @suffix, to 0600. */
static gboolean
restrict_file (const char  *file,
               const char  *suffix,
               GError     **error)
{
  g_autofree char *path = g_strconcat (file, suffix, NULL);

  return offline_store_fs_restrict (path, 0600, FALSE, error);
}

OfflineStoreDb *
offline_store_db_open (const char  *file,
                       GError     **error)
{
  OfflineStoreDb *db = db_connect (file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);

  if (db == NULL)
    return NULL;
  /* It holds licence keys: for the owner alone. SQLite gives the -wal and
   * -shm files it makes the mode of the database; those a former run left
   * keep theirs, and are made private too. */
  if (!restrict_file (file, "", error) ||
      !restrict_file (file, "-wal", error) ||
      !restrict_file (file, "-shm", error))
    goto fail;

  /* The first statements read the file: a corrupt or foreign file fails
   * here with "file is not a database". */
  if (!set_wal (db, error) ||
      !offline_store_db_exec (db,
                              "PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = ON;",
                              error) ||
      !migrate (db, error))
    goto fail;
  return db;

fail:
  offline_store_db_free (db);
  return NULL;
}

OfflineStoreDb *
offline_store_db_open_readonly (const char  *file,
                                GError     **error)
{
  OfflineStoreDb *db = db_connect (file, SQLITE_OPEN_READONLY, error);
  int version;

  if (db == NULL)
    return NULL;

  /* No migration: a reader only accepts the schema it knows. */
  if (!get_user_version (db, &version, error))
    goto fail;
  if (version != SCHEMA_VERSION) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                 "Store index: schema version %d cannot be read (this library reads %d)",
                 version, SCHEMA_VERSION);
    goto fail;
  }
  return db;

fail:
  offline_store_db_free (db);
  return NULL;
}

void
offline_store_db_free (OfflineStoreDb *db)
{
  if (db == NULL)
    return;
  /* finalizes every cached statement before the connection closes */
  g_hash_table_unref (db->statements);
  sqlite3_close (db->handle);
  g_free (db);
}
