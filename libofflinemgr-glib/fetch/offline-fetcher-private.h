/* offline-fetcher-private.h: HTTP fetching with libsoup 3 (library-internal)
 *
 * One SoupSession, asynchronous, on the thread-default main context of the
 * thread that made the fetcher. Retries connection errors, timeouts, 5xx
 * and 429 with exponential backoff and jitter (honouring Retry-After); a
 * 4xx fails at once, and so does a host name that does not resolve; an
 * unreachable host (connection refused…) is retried briefly (see
 * offline-fetch-retry-private.h). Bodies stream to disk: memory stays bounded whatever
 * the size. File fetches go through their host's window of requests in
 * flight, which adapts to the link (offline-fetch-host-private.h).
 *
 * Errors (OFFLINE_ERROR domain): DOWNLOAD_FAILED (the message names the URL
 * and the HTTP status or network error; after max-retries for transient
 * failures), OUT_OF_SPACE (ENOSPC/EDQUOT while writing: the .part file is
 * kept), INVALID_URI (not http(s), longer than 16 KiB, refused by the
 * URL filter, or a redirect to such a URL), CANCELLED
 * (the GCancellable fired), STORE (other file errors).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "offline-fetch-url-filter-private.h"

G_BEGIN_DECLS

/* Called on the fetcher's main context as bytes arrive (@delta new bytes;
 * negative if bytes counted before were thrown away, e.g. a server that
 * ignored Range and sent the body again from the start). Bytes already in
 * an existing .part when the fetch starts are not reported: the deltas of
 * one fetch add up to the bytes it wrote itself. */
typedef void (*OfflineFetchProgress) (gint64   delta,
                                      gpointer user_data);

#define OFFLINE_TYPE_FETCHER (offline_fetcher_get_type ())
G_GNUC_INTERNAL
G_DECLARE_FINAL_TYPE (OfflineFetcher, offline_fetcher, OFFLINE, FETCHER, GObject)

G_GNUC_INTERNAL
OfflineFetcher *offline_fetcher_new (void);

G_GNUC_INTERNAL
SoupSession *offline_fetcher_get_session (OfflineFetcher *self);

/* Transient failures are retried this many times (default 5); an attempt
 * that stored new bytes before it was cut off starts the count again. */
G_GNUC_INTERNAL
void offline_fetcher_set_max_retries (OfflineFetcher *self,
                                      guint           max_retries);

/* The ceiling of each host's window of file fetches in flight (≥ 1;
 * see offline-fetch-host-private.h). Manifests, playlists, keys and
 * licences are fetched outside the windows. */
#define OFFLINE_FETCHER_DEFAULT_MAX_PER_HOST 24
G_GNUC_INTERNAL
void offline_fetcher_set_max_per_host (OfflineFetcher *self,
                                       guint           ceiling);

/* First backoff delay in ms (default 500); it doubles on each retry, with
 * ±25% jitter, capped at 30 s. Retry-After is honoured up to 60 s. */
G_GNUC_INTERNAL
void offline_fetcher_set_retry_delay (OfflineFetcher *self,
                                      guint           milliseconds);

/* Sets the filter every URL must pass before it is fetched, each
 * redirect target included (see offline-fetch-url-filter-private.h);
 * NULL: the built-in rules only. Fetches already started keep the filter
 * they started with. @destroy frees @user_data once no fetch uses it. */
G_GNUC_INTERNAL
void offline_fetcher_set_url_filter (OfflineFetcher            *self,
                                     OfflineFetchUrlFilterFunc  filter,
                                     gpointer                   user_data,
                                     GDestroyNotify             destroy);

/* Fetches @uri (the bytes @range_offset .. + @range_length, -1 for none /
 * to the end) into @path: writes @path + ".part" (continuing an existing
 * .part with a Range request), checks the length against Content-Length and
 * the range asked for, fdatasync()s it and renames it to @path. A server
 * that ignores Range is handled (the unwanted bytes are skipped). Returns
 * the size of the file. */
G_GNUC_INTERNAL
void offline_fetcher_fetch_file_async (OfflineFetcher       *self,
                                       const char           *uri,
                                       gint64                range_offset,
                                       gint64                range_length,
                                       const char           *path,
                                       GCancellable         *cancellable,
                                       OfflineFetchProgress  progress,
                                       gpointer              progress_data,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
G_GNUC_INTERNAL
gboolean offline_fetcher_fetch_file_finish (OfflineFetcher  *self,
                                            GAsyncResult    *result,
                                            guint64         *size,
                                            GError         **error);

/* Fetches a small resource (manifest, media playlist, key) into memory;
 * more than @max_size bytes fail with DOWNLOAD_FAILED. @content_type and
 * @final_uri (after redirects, to resolve relative URLs against) are
 * optional outputs. */
G_GNUC_INTERNAL
void offline_fetcher_fetch_bytes_async (OfflineFetcher      *self,
                                        const char          *uri,
                                        gsize                max_size,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* offline_fetcher_fetch_bytes_async() of the answer to a POST of @body
 * (@content_type), retried as a GET would be (a licence request); finish
 * it with offline_fetcher_fetch_bytes_finish(). */
G_GNUC_INTERNAL
void offline_fetcher_post_bytes_async (OfflineFetcher      *self,
                                       const char          *uri,
                                       const char          *content_type,
                                       GBytes              *body,
                                       gsize                max_size,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
G_GNUC_INTERNAL
GBytes *offline_fetcher_fetch_bytes_finish (OfflineFetcher  *self,
                                            GAsyncResult    *result,
                                            char           **content_type,
                                            char           **final_uri,
                                            GError         **error);

G_END_DECLS
