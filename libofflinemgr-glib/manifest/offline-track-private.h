/* offline-track-private.h: building tracks (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-track.h"

G_BEGIN_DECLS

struct _OfflineTrack {
  GObject parent_instance;

  OfflineTrackType type;
  char *id;
  char *language;             /* as written in the manifest, or NULL */
  char *label;                /* DASH Label / HLS NAME, or NULL */
  guint64 bandwidth;          /* bits per second */
  guint64 average_bandwidth;  /* HLS AVERAGE-BANDWIDTH, or 0 */
  guint width;
  guint height;
  double frame_rate;
  char *codecs;
  char *mime_type;
  gboolean is_default;        /* HLS DEFAULT=YES */
  gboolean muxed_audio;       /* HLS variant carrying its own audio */
  char *group_id;             /* HLS EXT-X-MEDIA GROUP-ID of an audio/text track */
  char *audio_group_id;       /* HLS variant's AUDIO group */
  char *subtitle_group_id;    /* HLS variant's SUBTITLES group */
  char *playlist_uri;         /* HLS media playlist still to parse, absolute */
  gboolean playlist_loaded;   /* HLS: its media playlist was parsed */
  gint64 index_range_offset;  /* DASH SegmentBase@indexRange, -1 if none */
  gint64 index_range_length;

  GPtrArray *protections;     /* (element-type OfflineProtection) */
  OfflineSegment *init_segment;
  GPtrArray *segments;        /* (element-type OfflineSegment), in time order */
};

G_GNUC_INTERNAL
OfflineTrack *offline_track_new (OfflineTrackType type,
                                 const char      *id);
/* Takes ownership of @segment. */
G_GNUC_INTERNAL
void offline_track_add_segment (OfflineTrack   *self,
                                OfflineSegment *segment);
/* Takes ownership of @segment. */
G_GNUC_INTERNAL
void offline_track_set_init_segment (OfflineTrack   *self,
                                     OfflineSegment *segment);
/* Takes ownership of @protection. */
G_GNUC_INTERNAL
void offline_track_add_protection (OfflineTrack      *self,
                                   OfflineProtection *protection);

G_END_DECLS
