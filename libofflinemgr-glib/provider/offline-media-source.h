/* offline-media-source.h: one way a provider offers an entry (a manifest
 * or file URL, its format and its DRM)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>

#include "offline-presentation.h"
#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_MEDIA_SOURCE (offline_media_source_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineMediaSource, offline_media_source, OFFLINE, MEDIA_SOURCE, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineMediaSource *offline_media_source_new (OfflineManifestFormat  format,
                                              const char            *url);

OFFLINE_AVAILABLE_IN_ALL
OfflineManifestFormat offline_media_source_get_format (OfflineMediaSource *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_source_get_url (OfflineMediaSource *self);

OFFLINE_AVAILABLE_IN_ALL
void offline_media_source_add_drm (OfflineMediaSource *self,
                                   const char         *scheme,
                                   const char         *license_url);
OFFLINE_AVAILABLE_IN_ALL
const char * const *offline_media_source_get_drm_schemes (OfflineMediaSource *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_source_get_license_url (OfflineMediaSource *self,
                                                  const char         *scheme);

G_END_DECLS
