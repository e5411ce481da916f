/* offline-entry-private.h: building entries (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-entry.h"

G_BEGIN_DECLS

/* An immutable snapshot: the store fills it and hands it out. */
struct _OfflineEntry {
  GObject parent_instance;

  char *id;
  char *name;
  char *description;
  char *poster_url;
  char *poster_path;           /* (nullable) the image downloaded into the store */
  GStrv tags;                  /* never NULL */
  char *manifest_url;
  GTimeSpan duration;
  OfflineDownloadState state;
  guint64 bytes_downloaded;
  guint64 bytes_expected;
  guint segments_done;
  guint segments_total;
  GDateTime *created;
  GDateTime *updated;
  gint64 license_expiration;   /* Unix seconds, 0 = none */
  gboolean is_protected;       /* a Clear Key licence is stored with it */
  char *failure_message;
  GPtrArray *tracks;           /* (element-type OfflineTrack): the stored tracks, without segments */
};

G_GNUC_INTERNAL
OfflineEntry *offline_entry_new (const char *id);

G_END_DECLS
