/* offline-media-info.h: what a provider says about an entry id
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>

#include "offline-presentation.h"
#include "offline-media-source.h"
#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_MEDIA_INFO (offline_media_info_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineMediaInfo, offline_media_info, OFFLINE, MEDIA_INFO, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineMediaInfo *offline_media_info_new (const char *entry_id,
                                          const char *manifest_url);

OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_info_get_entry_id (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_info_get_manifest_url (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
OfflineManifestFormat offline_media_info_get_format (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_info_get_name (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_info_get_description (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_info_get_poster_url (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
GTimeSpan offline_media_info_get_duration (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_info_get_license_url (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_media_info_get_drm_scheme (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
gint64 offline_media_info_get_license_expiration (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
const char * const *offline_media_info_get_tags (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
void offline_media_info_add_source (OfflineMediaInfo   *self,
                                    OfflineMediaSource *source);
OFFLINE_AVAILABLE_IN_ALL
GPtrArray *offline_media_info_get_sources (OfflineMediaInfo *self);
OFFLINE_AVAILABLE_IN_ALL
char *offline_media_info_to_json (OfflineMediaInfo *self);

G_END_DECLS
