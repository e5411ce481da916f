/* offline-dash-count.c: the segment count of a whole MPD, before any
 * segment is made
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-dash-private.h"
#include "offline-error.h"
#include "offline-manifest-private.h"

/* Refuses the MPD at @representation, where the count went over. */
static void
set_too_many (xmlNode  *representation,
              guint64   sum,
              GError  **error)
{
  g_autofree char *id = offline_dash_get_attribute (representation, "id");

  offline_dash_set_error (error, NULL, NULL,
                          "Representation \"%s\" (line %ld) brings the MPD to at least %"
                          G_GUINT64_FORMAT " segments, more than %d: that cannot be real",
                          id != NULL ? id : "", xmlGetLineNo (representation),
                          sum, OFFLINE_MANIFEST_MAX_SEGMENTS);
}

/* Adds the segments of the Representations of @adaptation_set to *@sum;
 * FALSE, with @error set, once the sum is over the limit. A Representation whose segment
 * information is malformed counts for nothing here: building it reports
 * the error, in manifest order. */
static gboolean
count_adaptation_set (const OfflineDashPeriod       *period,
                      const OfflineDashSegmentInfo  *period_info,
                      xmlNode                       *adaptation_set,
                      guint                         *representations,
                      guint64                       *sum,
                      GError                       **error)
{
  g_auto(OfflineDashSegmentInfo) as_info = { 0, };

  offline_dash_segment_info_copy (&as_info, period_info);
  if (offline_dash_is_skipped (adaptation_set) ||
      !offline_dash_segment_info_merge (&as_info, adaptation_set, NULL))
    return TRUE;

  offline_dash_foreach_child (representation, adaptation_set, "Representation") {
    g_auto(OfflineDashSegmentInfo) info = { 0, };
    OfflineDashSegmentContext ctx = { NULL, period, NULL, FALSE, representation, "", };
    OfflineTrackType type;
    guint64 count = 0;

    /* the build refuses this many, with its own message */
    if (++*representations > OFFLINE_DASH_MAX_REPRESENTATIONS)
      return TRUE;
    if (offline_dash_is_skipped (representation) ||
        !offline_dash_track_type (adaptation_set, representation, &type))
      continue;
    offline_dash_segment_info_copy (&info, &as_info);
    if (!offline_dash_segment_info_merge (&info, representation, NULL) ||
        !offline_dash_count_segments (&ctx, &info, &count, NULL))
      continue;
    if (!g_uint64_checked_add (sum, *sum, count))
      *sum = G_MAXUINT64;
    if (*sum > OFFLINE_MANIFEST_MAX_SEGMENTS) {
      set_too_many (representation, *sum, error);
      return FALSE;
    }
  }
  return TRUE;
}

/*
 * offline_dash_check_segment_count:
 * @periods: (element-type OfflineDashPeriod): every Period of the MPD
 * @error: return location for a #GError, or %NULL
 *
 * Counts the segments of every Representation of every Period from their
 * SegmentTimeline, @duration or SegmentURLs, making none, and refuses the
 * MPD when they are more than %OFFLINE_MANIFEST_MAX_SEGMENTS together: a
 * hostile MPD of a thousand Representations of a million segments each
 * costs no more than reading it.
 *
 * Returns: %FALSE, with %OFFLINE_ERROR_MANIFEST_INVALID, when there are
 *   too many
 */
gboolean
offline_dash_check_segment_count (GArray  *periods,
                                  GError **error)
{
  guint representations = 0;
  guint64 sum = 0;

  for (guint i = 0; i < periods->len; i++) {
    const OfflineDashPeriod *period = &g_array_index (periods, OfflineDashPeriod, i);
    g_auto(OfflineDashSegmentInfo) info = { 0, };

    offline_dash_segment_info_init (&info);
    if (!offline_dash_segment_info_merge (&info, period->node, NULL))
      continue;
    offline_dash_foreach_child (adaptation_set, period->node, "AdaptationSet") {
      if (!count_adaptation_set (period, &info, adaptation_set, &representations, &sum, error))
        return FALSE;
    }
  }
  return TRUE;
}
