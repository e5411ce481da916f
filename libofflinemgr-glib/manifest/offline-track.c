/* offline-track.c: one video, audio or text track of a presentation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-protection-private.h"
#include "offline-segment-private.h"
#include "offline-track-private.h"

/**
 * OfflineTrack:
 *
 * One video, audio or text track of an #OfflinePresentation: what it is
 * (type, language, bandwidth, resolution, codecs, protection) and where its
 * bytes are (an optional initialisation segment and the ordered media
 * segments).
 *
 * HLS tracks of a master playlist know only their media playlist URI until
 * it is parsed with offline_hls_parse_media_playlist(); see
 * offline_track_needs_playlist().
 */
G_DEFINE_FINAL_TYPE (OfflineTrack, offline_track, G_TYPE_OBJECT)

static void
offline_track_finalize (GObject *object)
{
  OfflineTrack *self = OFFLINE_TRACK (object);

  g_free (self->id);
  g_free (self->language);
  g_free (self->label);
  g_free (self->codecs);
  g_free (self->mime_type);
  g_free (self->group_id);
  g_free (self->audio_group_id);
  g_free (self->subtitle_group_id);
  g_free (self->playlist_uri);
  g_ptr_array_unref (self->protections);
  g_clear_pointer (&self->init_segment, offline_segment_unref);
  g_ptr_array_unref (self->segments);

  G_OBJECT_CLASS (offline_track_parent_class)->finalize (object);
}

static void
offline_track_class_init (OfflineTrackClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_track_finalize;
}

static void
offline_track_init (OfflineTrack *self)
{
  self->protections = g_ptr_array_new_with_free_func (g_object_unref);
  self->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) offline_segment_unref);
  self->index_range_offset = -1;
  self->index_range_length = -1;
}

OfflineTrack *
offline_track_new (OfflineTrackType type,
                   const char      *id)
{
  OfflineTrack *self = g_object_new (OFFLINE_TYPE_TRACK, NULL);

  self->type = type;
  self->id = g_strdup (id);
  return self;
}

void
offline_track_add_segment (OfflineTrack   *self,
                           OfflineSegment *segment)
{
  g_ptr_array_add (self->segments, segment);
}

void
offline_track_set_init_segment (OfflineTrack   *self,
                                OfflineSegment *segment)
{
  g_clear_pointer (&self->init_segment, offline_segment_unref);
  self->init_segment = segment;
}

void
offline_track_add_protection (OfflineTrack      *self,
                              OfflineProtection *protection)
{
  g_ptr_array_add (self->protections, protection);
}

/**
 * offline_track_get_track_type:
 * @self: a #OfflineTrack
 *
 * Tells whether the track is video, audio or text.
 *
 * Returns: whether the track is video, audio or text
 */
OfflineTrackType
offline_track_get_track_type (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), OFFLINE_TRACK_TYPE_VIDEO);
  return self->type;
}

/**
 * offline_track_get_id:
 * @self: a #OfflineTrack
 *
 * Gets the id of the track, unique in its presentation.
 *
 * Returns: the id of the track, unique in its presentation (DASH
 *   Representation@id; for HLS `variant-N`, `audio-GROUP-NAME`…)
 */
const char *
offline_track_get_id (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->id;
}

/**
 * offline_track_get_language:
 * @self: a #OfflineTrack
 *
 * Gets the language as the manifest writes it (a BCP-47 tag such as `es-ES`,
 * or an ISO 639-2 code such as `spa`).
 *
 * Returns: (nullable): the language as the manifest writes it (a BCP-47 tag
 *   such as `es-ES`, or an ISO 639-2 code such as `spa`)
 */
const char *
offline_track_get_language (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->language;
}

/**
 * offline_track_get_label:
 * @self: a #OfflineTrack
 *
 * Gets a human-readable name (DASH `Label`, HLS `NAME`).
 *
 * Returns: (nullable): a human-readable name (DASH `Label`, HLS `NAME`)
 */
const char *
offline_track_get_label (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->label;
}

/**
 * offline_track_get_bandwidth:
 * @self: a #OfflineTrack
 *
 * Gets the peak bandwidth in bits per second, or 0 if unknown.
 *
 * Returns: the peak bandwidth in bits per second, or 0 if unknown
 */
guint64
offline_track_get_bandwidth (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), 0);
  return self->bandwidth;
}

/**
 * offline_track_get_average_bandwidth:
 * @self: a #OfflineTrack
 *
 * Gets the HLS `AVERAGE-BANDWIDTH` in bits per second, or 0 if unknown.
 *
 * Returns: the HLS `AVERAGE-BANDWIDTH` in bits per second, or 0 if unknown
 */
guint64
offline_track_get_average_bandwidth (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), 0);
  return self->average_bandwidth;
}

/**
 * offline_track_get_width:
 * @self: a #OfflineTrack
 *
 * Gets the video width in pixels, or 0.
 *
 * Returns: the video width in pixels, or 0
 */
guint
offline_track_get_width (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), 0);
  return self->width;
}

/**
 * offline_track_get_height:
 * @self: a #OfflineTrack
 *
 * Gets the video height in pixels, or 0.
 *
 * Returns: the video height in pixels, or 0
 */
guint
offline_track_get_height (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), 0);
  return self->height;
}

/**
 * offline_track_get_frame_rate:
 * @self: a #OfflineTrack
 *
 * Gets the video frame rate in frames per second, or 0.
 *
 * Returns: the video frame rate in frames per second, or 0
 */
double
offline_track_get_frame_rate (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), 0);
  return self->frame_rate;
}

/**
 * offline_track_get_codecs:
 * @self: a #OfflineTrack
 *
 * Gets the RFC 6381 codecs string of the track.
 *
 * Returns: (nullable): the RFC 6381 codecs string (`avc1.4d401e`, `mp4a.40.2`;
 *   for a muxed HLS variant, both, comma-separated)
 */
const char *
offline_track_get_codecs (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->codecs;
}

/**
 * offline_track_get_mime_type:
 * @self: a #OfflineTrack
 *
 * Gets the container MIME type (`video/mp4`, `video/mp2t`, `text/vtt`…).
 *
 * Returns: (nullable): the container MIME type (`video/mp4`, `video/mp2t`,
 *   `text/vtt`…)
 */
const char *
offline_track_get_mime_type (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->mime_type;
}

/**
 * offline_track_get_is_default:
 * @self: a #OfflineTrack
 *
 * Tells whether the manifest flags the track as the default (HLS
 * `DEFAULT=YES`).
 *
 * Returns: %TRUE if the manifest flags the track as the default (HLS
 *   `DEFAULT=YES`)
 */
gboolean
offline_track_get_is_default (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), FALSE);
  return self->is_default;
}

/**
 * offline_track_get_muxed_audio:
 * @self: a #OfflineTrack
 *
 * Tells whether this video track carries its audio in the same segments (an
 * HLS variant without separate audio renditions).
 *
 * Returns: %TRUE if this video track carries its audio in the same segments
 *   (an HLS variant without separate audio renditions)
 */
gboolean
offline_track_get_muxed_audio (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), FALSE);
  return self->muxed_audio;
}

/**
 * offline_track_get_group_id:
 * @self: a #OfflineTrack
 *
 * Gets the HLS `GROUP-ID` of an audio, subtitle or video rendition (%NULL
 * for a variant).
 *
 * Returns: (nullable): the HLS `GROUP-ID` of an audio, subtitle or video
 *   rendition (%NULL for a variant)
 */
const char *
offline_track_get_group_id (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->group_id;
}

/**
 * offline_track_get_audio_group_id:
 * @self: a #OfflineTrack
 *
 * Gets the HLS `AUDIO` group this variant plays with.
 *
 * Returns: (nullable): the HLS `AUDIO` group this variant plays with
 */
const char *
offline_track_get_audio_group_id (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->audio_group_id;
}

/**
 * offline_track_get_subtitle_group_id:
 * @self: a #OfflineTrack
 *
 * Gets the HLS `SUBTITLES` group this variant plays with.
 *
 * Returns: (nullable): the HLS `SUBTITLES` group this variant plays with
 */
const char *
offline_track_get_subtitle_group_id (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->subtitle_group_id;
}

/**
 * offline_track_get_playlist_uri:
 * @self: a #OfflineTrack
 *
 * Gets the absolute URI of the HLS media playlist of this track.
 *
 * Returns: (nullable): the absolute URI of the HLS media playlist of this
 *   track
 */
const char *
offline_track_get_playlist_uri (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->playlist_uri;
}

/**
 * offline_track_needs_playlist:
 * @self: a #OfflineTrack
 *
 * Whether the segments of this track are still unknown: an HLS track whose
 * media playlist (offline_track_get_playlist_uri()) must be fetched and
 * handed to offline_hls_parse_media_playlist().
 *
 * Returns: %TRUE if the media playlist is still to be parsed
 */
gboolean
offline_track_needs_playlist (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), FALSE);
  return self->playlist_uri != NULL && !self->playlist_loaded;
}

/**
 * offline_track_get_protections:
 * @self: a #OfflineTrack
 *
 * Gets the content protection of the track, empty for clear content.
 *
 * Returns: (transfer none) (element-type OfflineProtection): the content
 *   protection of the track, empty for clear content
 */
GPtrArray *
offline_track_get_protections (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->protections;
}

/**
 * offline_track_get_init_segment:
 * @self: a #OfflineTrack
 *
 * Gets the initialisation segment (fMP4 `moov`), or %NULL when the media
 * segments are self-initialising (TS).
 *
 * Returns: (transfer none) (nullable): the initialisation segment (fMP4
 *   `moov`), or %NULL when the media segments are self-initialising (TS)
 */
OfflineSegment *
offline_track_get_init_segment (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->init_segment;
}

/**
 * offline_track_get_segments:
 * @self: a #OfflineTrack
 *
 * Gets the media segments in presentation order.
 *
 * Returns: (transfer none) (element-type OfflineSegment): the media segments
 *   in presentation order
 */
GPtrArray *
offline_track_get_segments (OfflineTrack *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK (self), NULL);
  return self->segments;
}

/**
 * offline_track_get_duration:
 * @self: a #OfflineTrack
 *
 * Gets the time the media segments span, in microseconds: from the start of
 * the first to the end of the last.
 *
 * Returns: the time the media segments span, in microseconds: from the start
 *   of the first to the end of the last
 */
GTimeSpan
offline_track_get_duration (OfflineTrack *self)
{
  OfflineSegment *first, *last;

  g_return_val_if_fail (OFFLINE_IS_TRACK (self), 0);
  if (self->segments->len == 0)
    return 0;
  first = g_ptr_array_index (self->segments, 0);
  last = g_ptr_array_index (self->segments, self->segments->len - 1);
  return last->start + last->duration - first->start;
}

/**
 * offline_track_get_known_size:
 * @self: a #OfflineTrack
 * @complete: (out) (optional): %TRUE if the size of every segment is known
 *
 * The bytes of the segments whose byte ranges give their size (the
 * initialisation segment included).
 *
 * Returns: the sum of the known segment sizes in bytes
 */
guint64
offline_track_get_known_size (OfflineTrack *self,
                              gboolean     *complete)
{
  gboolean all_known = TRUE;
  guint64 total = 0;

  g_return_val_if_fail (OFFLINE_IS_TRACK (self), 0);

  for (guint i = 0; i <= self->segments->len; i++) {
    OfflineSegment *segment = i < self->segments->len ?
        g_ptr_array_index (self->segments, i) : self->init_segment;

    if (segment == NULL)
      continue;
    if (segment->range_length >= 0)
      total += (guint64) segment->range_length;
    else
      all_known = FALSE;
  }
  if (complete)
    *complete = all_known;
  return total;
}
