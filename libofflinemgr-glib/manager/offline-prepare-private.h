/* offline-prepare-private.h: from an entry id to the tracks to store
 * (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "offline-clearkey-private.h"
#include "offline-download-options.h"
#include "offline-fetcher-private.h"
#include "offline-media-info.h"
#include "offline-provider.h"
#include "offline-track-selection.h"

G_BEGIN_DECLS

/* Resolves @entry_id with @provider, fetches and parses its manifest with
 * @fetcher (for HLS also the media playlists of the selected tracks, and
 * only those) and selects the tracks with @options; for Clear Key content
 * acquires the licence of the selected tracks (docs/protection.md); then
 * fetches the poster image the provider names, if any (a poster that
 * cannot be fetched is left out, not an error). Nothing is stored.
 *
 * Errors: those of the provider (NOT_FOUND, PROVIDER_FAILED; errors of
 * other domains become PROVIDER_FAILED), of the fetcher (DOWNLOAD_FAILED,
 * INVALID_URI…), of the parsers (MANIFEST_INVALID, LIVE_NOT_SUPPORTED), of
 * the licence (LICENSE_FAILED) and CANCELLED. */
G_GNUC_INTERNAL
void offline_prepare_async (OfflineProvider        *provider,
                            OfflineFetcher         *fetcher,
                            const char             *entry_id,
                            OfflineDownloadOptions *options,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data);

/* Returns (transfer full) the selection, whose presentation is complete,
 * (transfer full) in @info the media info, with the entry id asked for,
 * (transfer full) in @license the licence (NULL for clear content) and
 * (transfer full) in @poster the poster image (NULL if none). */
G_GNUC_INTERNAL
OfflineTrackSelection *offline_prepare_finish (GAsyncResult            *result,
                                               OfflineMediaInfo       **info,
                                               OfflineClearKeyLicense **license,
                                               GBytes                 **poster,
                                               GError                 **error);

/* @error as an error of the OFFLINE_ERROR domain: G_IO_ERROR_CANCELLED
 * becomes OFFLINE_ERROR_CANCELLED, other foreign errors @code with
 * @prefix before their message. */
G_GNUC_INTERNAL
GError *offline_prepare_map_error (GError     *error,
                                   int         code,
                                   const char *prefix);

G_END_DECLS
