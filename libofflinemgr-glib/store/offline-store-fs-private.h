/* offline-store-fs-private.h: the files of a store (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Opens (creating, 0600) @dir/lock with O_CLOEXEC and takes an exclusive
 * flock() on it. Returns the descriptor, to keep open as long as the store
 * is, or -1: OFFLINE_ERROR_STORE_LOCKED if another open file description
 * (another process, or another store object) holds it. */
G_GNUC_INTERNAL
int offline_store_fs_lock (const char  *dir,
                           GError     **error);

/* Creates the directory @path (0700) unless it exists; refuses anything
 * that is not a directory (a symbolic link included). */
G_GNUC_INTERNAL
gboolean offline_store_fs_make_dir (const char  *path,
                                    GError     **error);

/* fsync()s the directory @path, making the renames inside it durable. */
G_GNUC_INTERNAL
gboolean offline_store_fs_sync_dir (const char  *path,
                                    GError     **error);

/* Deletes @name in the directory @parent and, if it is a directory,
 * everything below it, without following symbolic links (a link is
 * deleted, never its target). A missing @name is not an error. Fails with
 * OFFLINE_ERROR_REMOVE_FAILED. */
G_GNUC_INTERNAL
gboolean offline_store_fs_remove_tree (const char  *parent,
                                       const char  *name,
                                       GError     **error);

/* The names in the directory @path that are decimal numbers without
 * leading zeros, as numbers (element-type gint64). */
G_GNUC_INTERNAL
GArray *offline_store_fs_list_numbers (const char  *path,
                                       GError     **error);

G_END_DECLS
