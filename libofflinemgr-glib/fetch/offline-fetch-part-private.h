/* offline-fetch-part-private.h: the ".part" file a download streams into
 * (library-internal)
 *
 * Every operation runs its system calls in a GTask worker thread (never on
 * the main loop) and completes on the thread-default main context of the
 * caller. One operation at a time per part: the caller waits for each to
 * finish before starting the next, so the worker owns the fd meanwhile.
 *
 * Errors (OFFLINE_ERROR domain): OUT_OF_SPACE for ENOSPC/EDQUOT (the bytes
 * written so far stay in the .part), STORE for other file errors (the
 * message names the file); a cancelled operation fails with
 * G_IO_ERROR_CANCELLED.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _OfflineFetchPart OfflineFetchPart;

/* Opens @path + ".part" for writing, creating it if needed; its current
 * length is the size of the part. */
G_GNUC_INTERNAL
void offline_fetch_part_open_async (const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
G_GNUC_INTERNAL
OfflineFetchPart *offline_fetch_part_open_finish (GAsyncResult  *result,
                                                  GError       **error);

/* Bytes in the .part (only read it between operations). */
G_GNUC_INTERNAL
guint64 offline_fetch_part_get_size (OfflineFetchPart *part);

/* Appends @length bytes of @data (which must stay valid until the callback)
 * to the .part. */
G_GNUC_INTERNAL
void offline_fetch_part_write_async (OfflineFetchPart    *part,
                                     const guint8        *data,
                                     gsize                length,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);

/* Empties the .part (its bytes cannot be used). */
G_GNUC_INTERNAL
void offline_fetch_part_truncate_async (OfflineFetchPart    *part,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);

/* fdatasync()s and closes the .part and renames it to the final path. Not
 * cancellable: once started it completes. */
G_GNUC_INTERNAL
void offline_fetch_part_commit_async (OfflineFetchPart    *part,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);

/* Finishes any of the three operations above. */
G_GNUC_INTERNAL
gboolean offline_fetch_part_op_finish (OfflineFetchPart  *part,
                                       GAsyncResult      *result,
                                       GError           **error);

/* Closes the .part if still open (keeping the file) and frees @part. Not
 * while an operation runs. */
G_GNUC_INTERNAL
void offline_fetch_part_free (OfflineFetchPart *part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineFetchPart, offline_fetch_part_free)

G_END_DECLS
