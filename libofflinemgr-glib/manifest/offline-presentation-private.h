/* offline-presentation-private.h: building presentations (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-presentation.h"

G_BEGIN_DECLS

struct _OfflinePresentation {
  GObject parent_instance;

  OfflineManifestFormat format;
  char *uri;
  GTimeSpan duration;       /* µs, 0 if unknown */
  gboolean is_live;
  GPtrArray *tracks;        /* (element-type OfflineTrack) */
  guint64 segment_count;    /* all segments of all tracks, bounded */
};

G_GNUC_INTERNAL
OfflinePresentation *offline_presentation_new (OfflineManifestFormat format,
                                               const char           *uri);
/* Takes ownership of @track. */
G_GNUC_INTERNAL
void offline_presentation_add_track (OfflinePresentation *self,
                                     OfflineTrack        *track);
/* Counts @n more segments against OFFLINE_MANIFEST_MAX_SEGMENTS; fails with
 * OFFLINE_ERROR_MANIFEST_INVALID naming @where when the bound is passed. */
G_GNUC_INTERNAL
gboolean offline_presentation_reserve_segments (OfflinePresentation *self,
                                                guint64              n,
                                                const char          *where,
                                                GError             **error);

G_END_DECLS
