/* offline-manifest-parse.h: parsing manifests of any format
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <gio/gio.h>

#include "offline-manifest.h"
#include "offline-export.h"

G_BEGIN_DECLS

OFFLINE_AVAILABLE_IN_ALL
OfflinePresentation *offline_manifest_parse (GBytes      *data,
                                             const char  *uri,
                                             const char  *content_type,
                                             GError     **error);

G_END_DECLS
