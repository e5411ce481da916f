/* offline-download-private.h: the job that downloads one entry
 * (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "offline-fetcher-private.h"
#include "offline-store-private.h"

G_BEGIN_DECLS

/* Progress of a job: @bytes_downloaded (stored + in flight, never less than
 * reported before in this run), @bytes_expected (exact sizes where known,
 * an estimate for the rest; equal to @bytes_downloaded at completion),
 * resources done out of @segments_total. At most 4 calls a second, plus one
 * when the run ends. */
typedef void (*OfflineDownloadProgressFunc) (const char *entry_id,
                                             guint64     bytes_downloaded,
                                             guint64     bytes_expected,
                                             guint       segments_done,
                                             guint       segments_total,
                                             gpointer    user_data);

#define OFFLINE_TYPE_DOWNLOAD (offline_download_get_type ())
G_GNUC_INTERNAL
G_DECLARE_FINAL_TYPE (OfflineDownload, offline_download, OFFLINE, DOWNLOAD, GObject)

/* A job for the stored entry @entry_id, with up to @max_parallel fetches in
 * flight. @progress (nullable) is called on the creating thread's main
 * context with @progress_data, which must outlive the run. */
G_GNUC_INTERNAL
OfflineDownload *offline_download_new (OfflineStore                *store,
                                       OfflineFetcher              *fetcher,
                                       const char                  *entry_id,
                                       guint                        max_parallel,
                                       OfflineDownloadProgressFunc  progress,
                                       gpointer                     progress_data);

/* Fetches the entry's pending resources and commits them to the store in
 * batches, until all are done (TRUE) or it stops: @cancellable fired
 * (OFFLINE_ERROR_CANCELLED: in-flight fetches are cancelled and waited for,
 * their .part files kept), a fetch failed for good (DOWNLOAD_FAILED,
 * INVALID_URI), the disk is full (OUT_OF_SPACE) or the store failed (STORE).
 * Whatever was fetched before it stopped is committed. Does not change the
 * entry's state: that is the caller's. Run once per job. */
G_GNUC_INTERNAL
void offline_download_run_async (OfflineDownload     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
G_GNUC_INTERNAL
gboolean offline_download_run_finish (OfflineDownload  *self,
                                      GAsyncResult     *result,
                                      GError          **error);

/* From now on, starts first the resources of the media segments that
 * contain or follow @position (µs on the presentation timeline; past the
 * end: the last media segment), in download order, with the init segments
 * and keys they need, then the earlier ones. Fetches in flight go on.
 * Before the run, its first fetches are those. O(resources). */
G_GNUC_INTERNAL
void offline_download_prioritize (OfflineDownload *self,
                                  GTimeSpan        position);

/* The entry's total size in bytes once the run completed, else the current
 * estimate. */
G_GNUC_INTERNAL
guint64 offline_download_get_bytes_expected (OfflineDownload *self);

/* Whether the run stored a resource. */
G_GNUC_INTERNAL
gboolean offline_download_stored_anything (OfflineDownload *self);

G_END_DECLS
