/* offline-store-fs-private.h: the files of a store (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Opens (creating, 0600) @dir/lock with O_CLOEXEC and takes an exclusive
 * flock() on it, then writes the process id and command line into it (see
 * offline_store_fs_describe_holder()). Returns the descriptor, to keep open as long as the store
 * is, or -1: OFFLINE_ERROR_STORE_LOCKED if another open file description
 * (another process, or another store object) holds it. */
G_GNUC_INTERNAL
int offline_store_fs_lock (const char  *dir,
                           GError     **error);

/* Who holds the lock of the store @dir, as offline_store_fs_lock() wrote
 * it into the lock file: "process PID (COMMAND LINE)", or NULL if unknown. */
G_GNUC_INTERNAL
char *offline_store_fs_describe_holder (const char *dir);

/* Creates the directory @path (0700) unless it exists; refuses anything
 * that is not a directory (a symbolic link included). */
G_GNUC_INTERNAL
gboolean offline_store_fs_make_dir (const char  *path,
                                    GError     **error);

/* Gives @path, if it exists, the @mode (0600 for a file, 0700 for a
 * directory) unless it has it already: the store is for its owner alone,
 * whatever the umask was when it was made, or a former version made it
 * with. A symbolic link is not followed (and left alone) unless @follow.
 * OFFLINE_ERROR_STORE if it cannot be opened or changed (not the owner). */
G_GNUC_INTERNAL
gboolean offline_store_fs_restrict (const char  *path,
                                    mode_t       mode,
                                    gboolean     follow,
                                    GError     **error);

/* Writes @contents to @path (mode 0600) durably and atomically: a crash
 * leaves the old file or the new one. OFFLINE_ERROR_OUT_OF_SPACE on a full
 * disk, else OFFLINE_ERROR_STORE. */
G_GNUC_INTERNAL
gboolean offline_store_fs_write_file (const char  *path,
                                      GBytes      *contents,
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

/* The reserve: a file of allocated blocks kept in the store so that, on a
 * full disk, the index can still record where a download stopped. A write
 * that must land (offline_store_fs_reserve_write()) and finds the disk full
 * gets a step of it back and is tried once more; the reserve is topped up
 * again at the next such write that needs no release, and at open. It is
 * kept only if it can be: a store without one works as well, it only has
 * no room to fall back on. Several steps, not one: a download that stops on
 * a full disk may need a batch, then its state recorded, while the fetches
 * still in flight (on worker threads) take what is freed meanwhile. */
#define OFFLINE_STORE_RESERVE_SIZE (512 * 1024)
#define OFFLINE_STORE_RESERVE_STEP (128 * 1024)

typedef struct {
  char *path;       /* the file */
  goffset size;     /* the bytes it holds: 0 if there is none */
} OfflineStoreFsReserve;

/* A write of the index: TRUE if it landed. If it fails, it must leave
 * nothing behind (a failed transaction is rolled back), so that it can be
 * run again. */
typedef gboolean (*OfflineStoreFsWriteFunc) (gpointer   data,
                                             GError   **error);

/* Sets up @reserve for the file @path, which need not exist: what it holds
 * is the reserve, topped up by the next offline_store_fs_reserve_write(). */
G_GNUC_INTERNAL
void offline_store_fs_reserve_init (OfflineStoreFsReserve *reserve,
                                    const char            *path);
/* Forgets @reserve (the file stays). */
G_GNUC_INTERNAL
void offline_store_fs_reserve_clear (OfflineStoreFsReserve *reserve);

/* Brings the file to OFFLINE_STORE_RESERVE_SIZE bytes of allocated blocks
 * (posix_fallocate()), creating it (0600, never through a symbolic link) if
 * needed. If that fails (a full disk), the file is left as it was, or
 * deleted if it is new. Does nothing if the reserve is full. */
G_GNUC_INTERNAL
void offline_store_fs_reserve_fill (OfflineStoreFsReserve *reserve);

/* Gives back OFFLINE_STORE_RESERVE_STEP bytes of the reserve, deleting the
 * file once it is empty, and syncs it so that the space is free at once.
 * FALSE if there was nothing to give back. */
G_GNUC_INTERNAL
gboolean offline_store_fs_reserve_release (OfflineStoreFsReserve *reserve);

/* Runs @write. If it fails with OFFLINE_ERROR_OUT_OF_SPACE, gives back a
 * step of the reserve and runs it once more. After a write that needed no
 * release, tops the reserve up. */
G_GNUC_INTERNAL
gboolean offline_store_fs_reserve_write (OfflineStoreFsReserve    *reserve,
                                         OfflineStoreFsWriteFunc   write,
                                         gpointer                  data,
                                         GError                  **error);

G_END_DECLS
