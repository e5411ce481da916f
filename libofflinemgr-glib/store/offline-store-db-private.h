/* offline-store-db-private.h: the SQLite index of a store (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Schema (version 1, in PRAGMA user_version; see offline-store-db.c):
 *   entries    one row per entry; row_id names its directory
 *   tracks     the selected tracks of an entry, by (entry, track_index)
 *   resources  every file to fetch; row_id names its file
 * Row ids are AUTOINCREMENT so that they are never reused: a directory or
 * file left behind by an interrupted removal can never be mistaken for a
 * newer entry's.
 *
 * The database runs in WAL mode with synchronous=FULL: a committed
 * transaction is durable once sqlite3_step() returns.
 */
#pragma once

#include <sqlite3.h>

#include "offline-store-private.h"

G_BEGIN_DECLS

typedef struct {
  sqlite3 *handle;
  GHashTable *statements;   /* SQL text (static) → prepared sqlite3_stmt */
} OfflineStoreDb;

/* A cached statement: g_autoptr(OfflineStoreStmt) resets it when it goes
 * out of scope, so no statement keeps a read transaction open. */
typedef sqlite3_stmt OfflineStoreStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineStoreStmt, sqlite3_reset)

/* Opens @file (creating it), sets the pragmas and brings the schema up to
 * date. OFFLINE_ERROR_STORE if it is not a database of ours. */
G_GNUC_INTERNAL
OfflineStoreDb *offline_store_db_open (const char  *file,
                                       GError     **error);
/* Opens the existing @file read-only (SQLITE_OPEN_READONLY): no pragma is
 * changed and no migration run; OFFLINE_ERROR_STORE unless it has exactly
 * the current schema. Readers in WAL mode see the last committed state
 * while a writer works. */
G_GNUC_INTERNAL
OfflineStoreDb *offline_store_db_open_readonly (const char  *file,
                                                GError     **error);
G_GNUC_INTERNAL
void offline_store_db_free (OfflineStoreDb *db);

/* @id quoted for an error message: made valid UTF-8 and cut after 64
 * characters (ids come from apps and servers). */
G_GNUC_INTERNAL
char *offline_store_quote_id (const char *id);

/* Always returns FALSE, setting @error to OFFLINE_ERROR_STORE ("@what: the
 * SQLite message"), or OFFLINE_ERROR_OUT_OF_SPACE for SQLITE_FULL and for
 * an I/O error of ENOSPC or EDQUOT. */
G_GNUC_INTERNAL
gboolean offline_store_db_fail (OfflineStoreDb  *db,
                                int              rc,
                                const char      *what,
                                GError         **error);

/* The prepared statement of @sql, which must have static storage (it is
 * the cache key): prepared once, then reset with its bindings cleared. */
G_GNUC_INTERNAL
OfflineStoreStmt *offline_store_db_prepare (OfflineStoreDb  *db,
                                            const char      *sql,
                                            GError         **error);

/* Steps @stmt, which must not return rows. */
G_GNUC_INTERNAL
gboolean offline_store_db_step_done (OfflineStoreDb    *db,
                                     OfflineStoreStmt  *stmt,
                                     const char        *what,
                                     GError           **error);

/* Steps @stmt: TRUE with *@has_row for SQLITE_ROW / SQLITE_DONE. */
G_GNUC_INTERNAL
gboolean offline_store_db_step (OfflineStoreDb    *db,
                                OfflineStoreStmt  *stmt,
                                gboolean          *has_row,
                                const char        *what,
                                GError           **error);

/* Runs @sql (any number of statements, no parameters, no rows). */
G_GNUC_INTERNAL
gboolean offline_store_db_exec (OfflineStoreDb  *db,
                                const char      *sql,
                                GError         **error);

/* BEGIN IMMEDIATE / COMMIT; a failed COMMIT rolls back. */
G_GNUC_INTERNAL
gboolean offline_store_db_begin (OfflineStoreDb  *db,
                                 GError         **error);
G_GNUC_INTERNAL
gboolean offline_store_db_commit (OfflineStoreDb  *db,
                                  GError         **error);
/* Ends a transaction after an error (never fails the caller). */
G_GNUC_INTERNAL
void offline_store_db_rollback (OfflineStoreDb *db);

/* Entries left QUEUED or DOWNLOADING by a crash become PAUSED, in one
 * transaction; their ids are then added to @recovered (nullable) as
 * copies. */
G_GNUC_INTERNAL
gboolean offline_store_db_recover (OfflineStoreDb  *db,
                                   GPtrArray       *recovered,
                                   GError         **error);

/* Binds a nullable string (copied by SQLite). */
G_GNUC_INTERNAL
void offline_store_db_bind_text (OfflineStoreStmt *stmt,
                                 int               column,
                                 const char       *text);

/* The text of @column, or NULL. */
G_GNUC_INTERNAL
char *offline_store_db_dup_text (OfflineStoreStmt *stmt,
                                 int               column);

/* Inserts the entry described by @info and @selection (state QUEUED), its
 * tracks and all its resources, inside the caller's transaction. Returns
 * the entry's row id, 0 on error. */
G_GNUC_INTERNAL
gint64 offline_store_db_insert_entry (OfflineStoreDb          *db,
                                      OfflineMediaInfo        *info,
                                      OfflineTrackSelection   *selection,
                                      OfflineDownloadOptions  *options,
                                      GError                 **error);

/* The index of @self (offline-store.c), for the store's other files. */
G_GNUC_INTERNAL
OfflineStoreDb *offline_store_get_db (OfflineStore *self);

/* The row id of entry @id in @self's index, 0 (with
 * OFFLINE_ERROR_NOT_FOUND) if unknown. */
G_GNUC_INTERNAL
gint64 offline_store_get_entry_row (OfflineStore  *self,
                                    const char    *id,
                                    GError       **error);

G_END_DECLS
