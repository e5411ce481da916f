/* offline-presentation.h: the format-neutral model of a manifest
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>

#include "offline-track.h"
#include "offline-export.h"

G_BEGIN_DECLS

/**
 * OfflineManifestFormat:
 * @OFFLINE_MANIFEST_FORMAT_UNKNOWN: not recognised
 * @OFFLINE_MANIFEST_FORMAT_DASH: MPEG-DASH MPD
 * @OFFLINE_MANIFEST_FORMAT_HLS: HLS master or media playlist
 * @OFFLINE_MANIFEST_FORMAT_PROGRESSIVE: a plain media file (MP4, WebM, MP3…)
 *
 * The kind of manifest a #OfflinePresentation was made from.
 */
typedef enum {
  OFFLINE_MANIFEST_FORMAT_UNKNOWN,
  OFFLINE_MANIFEST_FORMAT_DASH,
  OFFLINE_MANIFEST_FORMAT_HLS,
  OFFLINE_MANIFEST_FORMAT_PROGRESSIVE,
} OfflineManifestFormat;

#define OFFLINE_TYPE_PRESENTATION (offline_presentation_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflinePresentation, offline_presentation, OFFLINE, PRESENTATION, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineManifestFormat offline_presentation_get_format (OfflinePresentation *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_presentation_get_uri (OfflinePresentation *self);
OFFLINE_AVAILABLE_IN_ALL
GTimeSpan offline_presentation_get_duration (OfflinePresentation *self);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_presentation_get_is_live (OfflinePresentation *self);
OFFLINE_AVAILABLE_IN_ALL
GPtrArray *offline_presentation_get_tracks (OfflinePresentation *self);
OFFLINE_AVAILABLE_IN_ALL
OfflineTrack *offline_presentation_get_track_by_id (OfflinePresentation *self,
                                                    const char          *id);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_presentation_is_complete (OfflinePresentation *self);

G_END_DECLS
