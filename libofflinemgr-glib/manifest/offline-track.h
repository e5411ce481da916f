/* offline-track.h: one video, audio or text track of a presentation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>

#include "offline-segment.h"
#include "offline-export.h"

G_BEGIN_DECLS

/**
 * OfflineTrackType:
 * @OFFLINE_TRACK_TYPE_VIDEO: video (for HLS variants with muxed audio, see
 *   offline_track_get_muxed_audio())
 * @OFFLINE_TRACK_TYPE_AUDIO: audio
 * @OFFLINE_TRACK_TYPE_TEXT: subtitles or captions (WebVTT, TTML)
 *
 * The kind of content a #OfflineTrack carries.
 */
typedef enum {
  OFFLINE_TRACK_TYPE_VIDEO,
  OFFLINE_TRACK_TYPE_AUDIO,
  OFFLINE_TRACK_TYPE_TEXT,
} OfflineTrackType;

#define OFFLINE_TYPE_TRACK (offline_track_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineTrack, offline_track, OFFLINE, TRACK, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineTrackType offline_track_get_track_type (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_id (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_language (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_label (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
guint64 offline_track_get_bandwidth (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
guint64 offline_track_get_average_bandwidth (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
guint offline_track_get_width (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
guint offline_track_get_height (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
double offline_track_get_frame_rate (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_codecs (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_mime_type (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_track_get_is_default (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_track_get_muxed_audio (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_group_id (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_audio_group_id (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_subtitle_group_id (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_track_get_playlist_uri (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_track_needs_playlist (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
GPtrArray *offline_track_get_protections (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
OfflineSegment *offline_track_get_init_segment (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
GPtrArray *offline_track_get_segments (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
GTimeSpan offline_track_get_duration (OfflineTrack *self);
OFFLINE_AVAILABLE_IN_ALL
guint64 offline_track_get_known_size (OfflineTrack *self, gboolean *complete);

G_END_DECLS
