/* offline-segment.h: one media or initialisation segment of a track
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>

#include "offline-protection.h"
#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_SEGMENT (offline_segment_get_type ())

/**
 * OfflineSegment:
 *
 * One segment of a track: an absolute URL, an optional byte range inside
 * the resource it names, and its place on the presentation timeline.
 *
 * Times are in microseconds (#GTimeSpan) on the presentation timeline:
 * Periods are concatenated and DASH `presentationTimeOffset` is already
 * subtracted, so the first segment of a presentation starts at (about) 0.
 *
 * #OfflineSegment is an immutable, reference-counted boxed type.
 */
typedef struct _OfflineSegment OfflineSegment;

OFFLINE_AVAILABLE_IN_ALL
GType offline_segment_get_type (void) G_GNUC_CONST;

OFFLINE_AVAILABLE_IN_ALL
OfflineSegment *offline_segment_ref (OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
void offline_segment_unref (OfflineSegment *segment);

OFFLINE_AVAILABLE_IN_ALL
const char *offline_segment_get_uri (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_segment_has_range (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
gint64 offline_segment_get_range_offset (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
gint64 offline_segment_get_range_length (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
GTimeSpan offline_segment_get_start (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
GTimeSpan offline_segment_get_duration (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
guint64 offline_segment_get_number (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_segment_get_discontinuity (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
OfflineProtection *offline_segment_get_key (const OfflineSegment *segment);
OFFLINE_AVAILABLE_IN_ALL
OfflineSegment *offline_segment_get_init_segment (const OfflineSegment *segment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineSegment, offline_segment_unref)

G_END_DECLS
