/* offline-hls-parser.h: HLS master and media playlist parser (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include "offline-presentation.h"

G_BEGIN_DECLS

OfflinePresentation *offline_hls_parse (GBytes      *playlist,
                                        const char  *uri,
                                        GError     **error);

gboolean offline_hls_parse_media_playlist (OfflinePresentation *presentation,
                                           OfflineTrack        *track,
                                           GBytes              *playlist,
                                           const char          *uri,
                                           GError             **error);

G_END_DECLS
