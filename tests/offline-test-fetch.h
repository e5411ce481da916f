/* offline-test-fetch.h: running OfflineFetcher fetches to completion in the
 * tests, and checking the files they write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-fetcher-private.h"
#include "offline-test-utils.h"

G_BEGIN_DECLS

/* What one fetch gave; zero-initialise it (g_auto() clears it). */
typedef struct {
  gboolean done;
  gboolean ok;
  guint64 size;                 /* fetch_file */
  GBytes *bytes;                /* fetch_bytes */
  char *content_type;           /* fetch_bytes */
  char *final_uri;              /* fetch_bytes */
  GError *error;
  gint64 progress;              /* sum of the progress deltas */
  gint64 lowest_delta;          /* smallest delta (set it to G_MAXINT64 first) */
  guint progress_calls;
} OfflineTestFetch;

void offline_test_fetch_clear (OfflineTestFetch *fetch);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OfflineTestFetch, offline_test_fetch_clear)

/* Starts offline_fetcher_fetch_file_async() recording into @fetch. */
void offline_test_fetch_file_start (OfflineFetcher   *fetcher,
                                    const char       *uri,
                                    gint64            offset,
                                    gint64            length,
                                    const char       *path,
                                    GCancellable     *cancellable,
                                    OfflineTestFetch *fetch);

/* Starts offline_fetcher_fetch_bytes_async() recording into @fetch. */
void offline_test_fetch_bytes_start (OfflineFetcher   *fetcher,
                                     const char       *uri,
                                     gsize             max_size,
                                     GCancellable     *cancellable,
                                     OfflineTestFetch *fetch);

/* Iterates the default main context until @fetch is done (aborts the test
 * after a minute). */
void offline_test_fetch_wait (OfflineTestFetch *fetch);

/* Asserts that the fetch failed with OFFLINE_ERROR_DOWNLOAD_FAILED and a
 * message containing @message. */
void offline_test_fetch_assert_failed (OfflineTestFetch *fetch,
                                       const char       *message);

/* Size of tests/data/@data_path. */
gsize offline_test_data_size (const char *data_path);

/* Asserts that the file @path holds bytes @offset, @length (−1: to the
 * end) of tests/data/@data_path, and that no @path.part is left. */
void offline_test_assert_file (const char *path,
                               const char *data_path,
                               gint64      offset,
                               gint64      length);

/* Writes @length bytes of tests/data/@data_path from @offset as
 * @path.part (an interrupted download). */
void offline_test_write_part (const char *path,
                              const char *data_path,
                              gsize       offset,
                              gsize       length);

/* Deletes @path and everything below it (symbolic links are not
 * followed). */
void offline_test_remove_tree (const char *path);

/* Mounts a tmpfs of @size bytes on the existing directory @dir; FALSE if
 * that is not allowed (not root). */
gboolean offline_test_mount_tmpfs (const char *dir,
                                   gsize       size);

/* Resizes the tmpfs mounted on @dir to @size bytes (asserts it worked). */
void offline_test_remount_tmpfs (const char *dir,
                                 gsize       size);

/* Unmounts @dir (asserts it worked). */
void offline_test_unmount (const char *dir);

G_END_DECLS
