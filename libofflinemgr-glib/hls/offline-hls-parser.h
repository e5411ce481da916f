/* offline-hls-parser.h: HLS master and media playlist parser (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include "offline-presentation.h"
#include "offline-export.h"

G_BEGIN_DECLS

OFFLINE_AVAILABLE_IN_ALL
OfflinePresentation *offline_hls_parse (GBytes      *playlist,
                                        const char  *uri,
                                        GError     **error);

OFFLINE_AVAILABLE_IN_ALL
gboolean offline_hls_parse_media_playlist (OfflinePresentation *presentation,
                                           OfflineTrack        *track,
                                           GBytes              *playlist,
                                           const char          *uri,
                                           GError             **error);

G_END_DECLS
