/* offline-segment-private.h: building segments (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-segment.h"

G_BEGIN_DECLS

/* Immutable once handed out; parsers fill it right after offline_segment_new(). */
struct _OfflineSegment {
  gatomicrefcount ref_count;
  char *uri;                  /* absolute */
  gint64 range_offset;        /* -1: no range (whole resource) */
  gint64 range_length;        /* -1: to the end of the resource */
  GTimeSpan start;            /* µs, presentation timeline */
  GTimeSpan duration;         /* µs */
  guint64 number;             /* DASH $Number$ / HLS media sequence number */
  gboolean discontinuity;     /* first segment after a Period or EXT-X-DISCONTINUITY */
  OfflineProtection *key;     /* HLS EXT-X-KEY in force (IV resolved), or NULL */
  OfflineSegment *init;       /* HLS EXT-X-MAP in force, or NULL: the track's */
};

/* Takes a copy of @uri. Range unset, times 0. */
G_GNUC_INTERNAL
OfflineSegment *offline_segment_new (const char *uri);

G_END_DECLS
