/* offline-dash-parser.h: MPEG-DASH MPD parser
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
OfflinePresentation *offline_dash_parse (GBytes      *mpd,
                                         const char  *uri,
                                         GError     **error);

G_END_DECLS
