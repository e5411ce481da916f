/* offline-track-selection.h: the tracks download options pick
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>

#include "offline-download-options.h"
#include "offline-presentation.h"
#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_TRACK_SELECTION (offline_track_selection_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineTrackSelection, offline_track_selection, OFFLINE, TRACK_SELECTION, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineTrackSelection *offline_track_selection_new (OfflinePresentation    *presentation,
                                                    OfflineDownloadOptions *options);

OFFLINE_AVAILABLE_IN_ALL
OfflinePresentation *offline_track_selection_get_presentation (OfflineTrackSelection *self);
OFFLINE_AVAILABLE_IN_ALL
OfflineTrack *offline_track_selection_get_video_track (OfflineTrackSelection *self);
OFFLINE_AVAILABLE_IN_ALL
OfflineTrack *offline_track_selection_get_audio_track (OfflineTrackSelection *self);
OFFLINE_AVAILABLE_IN_ALL
GPtrArray *offline_track_selection_get_text_tracks (OfflineTrackSelection *self);
OFFLINE_AVAILABLE_IN_ALL
GPtrArray *offline_track_selection_get_tracks (OfflineTrackSelection *self);
OFFLINE_AVAILABLE_IN_ALL
guint64 offline_track_selection_get_estimated_size (OfflineTrackSelection *self);

G_END_DECLS
