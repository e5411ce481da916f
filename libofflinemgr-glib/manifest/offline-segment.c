/* offline-segment.c: one media or initialisation segment of a track
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-segment-private.h"

G_DEFINE_BOXED_TYPE (OfflineSegment, offline_segment,
                     offline_segment_ref, offline_segment_unref)

OfflineSegment *
offline_segment_new (const char *uri)
{
  OfflineSegment *segment = g_new0 (OfflineSegment, 1);

  g_atomic_ref_count_init (&segment->ref_count);
  segment->uri = g_strdup (uri);
  segment->range_offset = -1;
  segment->range_length = -1;
  return segment;
}

/**
 * offline_segment_ref:
 * @segment: a #OfflineSegment
 *
 * Adds a reference to @segment.
 *
 * Returns: (transfer full): @segment, with one more reference
 */
OfflineSegment *
offline_segment_ref (OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);
  g_atomic_ref_count_inc (&segment->ref_count);
  return segment;
}

/**
 * offline_segment_unref:
 * @segment: (transfer full): a #OfflineSegment
 *
 * Drops a reference; frees @segment when it was the last.
 */
void
offline_segment_unref (OfflineSegment *segment)
{
  g_return_if_fail (segment != NULL);
  if (!g_atomic_ref_count_dec (&segment->ref_count))
    return;
  g_free (segment->uri);
  g_clear_object (&segment->key);
  g_clear_pointer (&segment->init, offline_segment_unref);
  g_free (segment);
}

/**
 * offline_segment_get_uri:
 * @segment: a #OfflineSegment
 *
 * Gets the absolute URL of the resource holding the segment.
 *
 * Returns: the absolute URL of the resource holding the segment
 */
const char *
offline_segment_get_uri (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);
  return segment->uri;
}

/**
 * offline_segment_has_range:
 * @segment: a #OfflineSegment
 *
 * Tells whether the segment is a byte range of its resource.
 *
 * Returns: %TRUE if the segment is a byte range of its resource, %FALSE if
 *   it is the whole resource
 */
gboolean
offline_segment_has_range (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, FALSE);
  return segment->range_offset >= 0;
}

/**
 * offline_segment_get_range_offset:
 * @segment: a #OfflineSegment
 *
 * Gets the offset of the first byte of the segment in its resource, or -1
 * when the segment is the whole resource.
 *
 * Returns: the offset of the first byte of the segment in its resource, or
 *   -1 when the segment is the whole resource
 */
gint64
offline_segment_get_range_offset (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, -1);
  return segment->range_offset;
}

/**
 * offline_segment_get_range_length:
 * @segment: a #OfflineSegment
 *
 * Gets the number of bytes of the range, or -1 when it runs to the end of
 * the resource (or there is no range).
 *
 * Returns: the number of bytes of the range, or -1 when it runs to the end
 *   of the resource (or there is no range)
 */
gint64
offline_segment_get_range_length (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, -1);
  return segment->range_length;
}

/**
 * offline_segment_get_start:
 * @segment: a #OfflineSegment
 *
 * Gets the start of the segment on the presentation timeline, in
 * microseconds (0 for an initialisation segment).
 *
 * Returns: the start of the segment on the presentation timeline, in
 *   microseconds (0 for an initialisation segment)
 */
GTimeSpan
offline_segment_get_start (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, 0);
  return segment->start;
}

/**
 * offline_segment_get_duration:
 * @segment: a #OfflineSegment
 *
 * Gets the duration of the segment in microseconds (0 for an initialisation
 * segment).
 *
 * Returns: the duration of the segment in microseconds (0 for an
 *   initialisation segment)
 */
GTimeSpan
offline_segment_get_duration (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, 0);
  return segment->duration;
}

/**
 * offline_segment_get_number:
 * @segment: a #OfflineSegment
 *
 * Gets the DASH segment number or HLS media sequence number.
 *
 * Returns: the DASH segment number or HLS media sequence number
 */
guint64
offline_segment_get_number (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, 0);
  return segment->number;
}

/**
 * offline_segment_get_discontinuity:
 * @segment: a #OfflineSegment
 *
 * Tells whether the segment starts a new Period (DASH) or follows an `EXT-X-
 * DISCONTINUITY` (HLS): its timestamps need not continue the previous
 * segment's.
 *
 * Returns: %TRUE if the segment starts a new Period (DASH) or follows an
 *   `EXT-X-DISCONTINUITY` (HLS): its timestamps need not continue the
 *   previous segment's
 */
gboolean
offline_segment_get_discontinuity (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, FALSE);
  return segment->discontinuity;
}

/**
 * offline_segment_get_key:
 * @segment: a #OfflineSegment
 *
 * The HLS `EXT-X-KEY` in force for this segment, with its IV resolved (the
 * explicit IV or the one derived from the media sequence number).
 *
 * Returns: (transfer none) (nullable): the key, or %NULL for clear segments
 */
OfflineProtection *
offline_segment_get_key (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);
  return segment->key;
}

/**
 * offline_segment_get_init_segment:
 * @segment: a media #OfflineSegment
 *
 * The initialisation segment the demuxer must have read before @segment.
 * An HLS media playlist may change its `EXT-X-MAP` part-way (RFC 8216,
 * section 4.3.2.5): each media segment then names the one in force. %NULL
 * means the track's (offline_track_get_init_segment(), itself %NULL for
 * self-initialising segments).
 *
 * Returns: (transfer none) (nullable): the initialisation segment of
 *   @segment, or %NULL if it is the track's
 */
OfflineSegment *
offline_segment_get_init_segment (const OfflineSegment *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);
  return segment->init;
}
