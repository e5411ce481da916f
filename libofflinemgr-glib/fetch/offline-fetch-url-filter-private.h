/* offline-fetch-url-filter-private.h: which URLs the fetcher may fetch
 * (library-internal)
 *
 * Every URL the fetcher is asked for, and every redirect target, passes
 * offline_fetch_url_check() before a request is sent: first the built-in
 * rules (an absolute http or https URL without whitespace or control
 * characters, at most OFFLINE_MANIFEST_MAX_URI_LENGTH bytes), then the
 * filter its owner set (OfflineManager::accept-url for the manager's
 * fetcher). See docs/security.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @uri may be fetched: FALSE refuses it. Called on the fetcher's
 * main context, only for URLs that passed the built-in rules. */
typedef gboolean (*OfflineFetchUrlFilterFunc) (const char *uri,
                                               gpointer    user_data);

/* A filter function with its data, shared (reference-counted) by the
 * fetcher and the jobs in flight, so that a job keeps the filter it
 * started with even if the fetcher's is replaced meanwhile. */
typedef struct _OfflineFetchUrlFilter OfflineFetchUrlFilter;

/* @destroy (nullable) frees @user_data when the last reference goes. */
G_GNUC_INTERNAL
OfflineFetchUrlFilter *offline_fetch_url_filter_new (OfflineFetchUrlFilterFunc func,
                                                     gpointer                  user_data,
                                                     GDestroyNotify            destroy);
G_GNUC_INTERNAL
OfflineFetchUrlFilter *offline_fetch_url_filter_ref (OfflineFetchUrlFilter *filter);
G_GNUC_INTERNAL
void offline_fetch_url_filter_unref (OfflineFetchUrlFilter *filter);

/* NULL if @uri may be fetched; else why not, as a static phrase for a
 * message ("not an http(s) URL", "longer than 16 KiB", "not accepted by the
 * application"). @filter may be NULL: the built-in rules only. */
G_GNUC_INTERNAL
const char *offline_fetch_url_check (OfflineFetchUrlFilter *filter,
                                     const char            *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineFetchUrlFilter, offline_fetch_url_filter_unref)

G_END_DECLS
