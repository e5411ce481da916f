/* offline-manifest.h: recognising manifests of any format (parsing them:
 * offline-manifest-parse.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <gio/gio.h>

#include "offline-presentation.h"
#include "offline-export.h"

G_BEGIN_DECLS

OFFLINE_AVAILABLE_IN_ALL
OfflineManifestFormat offline_manifest_guess_format (const char *uri,
                                                     const char *content_type,
                                                     GBytes     *data);

OFFLINE_AVAILABLE_IN_ALL
OfflinePresentation *offline_progressive_parse (const char  *uri,
                                                const char  *content_type,
                                                GError     **error);

G_END_DECLS
