/* offline-entry.h: what the store knows of one entry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>

#include "offline-track.h"
#include "offline-export.h"

G_BEGIN_DECLS

/**
 * OfflineDownloadState:
 * @OFFLINE_DOWNLOAD_STATE_QUEUED: waiting for a free download slot
 *   (#OfflineManager:max-parallel-downloads)
 * @OFFLINE_DOWNLOAD_STATE_DOWNLOADING: segments are being fetched
 * @OFFLINE_DOWNLOAD_STATE_PAUSED: stopped by pause, by a crash or restart
 *   (entries left downloading are recovered as paused), or by a full disk;
 *   resume continues where it stopped
 * @OFFLINE_DOWNLOAD_STATE_COMPLETED: every selected segment is stored
 * @OFFLINE_DOWNLOAD_STATE_FAILED: the download failed for good (see
 *   offline_entry_get_failure_message()); resume retries it
 * @OFFLINE_DOWNLOAD_STATE_WAITING: waiting for a usable network (none, or
 *   a metered one while #OfflineManager:allow-metered is %FALSE): queued,
 *   and queued again by itself when the network comes back
 *
 * The state of a stored entry. Its nick (`queued`, `downloading`, `paused`,
 * `completed`, `failed`, `waiting`) is the `state` of the entry's JSON.
 */
typedef enum {
  OFFLINE_DOWNLOAD_STATE_QUEUED,
  OFFLINE_DOWNLOAD_STATE_DOWNLOADING,
  OFFLINE_DOWNLOAD_STATE_PAUSED,
  OFFLINE_DOWNLOAD_STATE_COMPLETED,
  OFFLINE_DOWNLOAD_STATE_FAILED,
  OFFLINE_DOWNLOAD_STATE_WAITING,
} OfflineDownloadState;

#define OFFLINE_TYPE_ENTRY (offline_entry_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineEntry, offline_entry, OFFLINE, ENTRY, GObject)

OFFLINE_AVAILABLE_IN_ALL
const char *offline_entry_get_id (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_entry_get_name (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_entry_get_description (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_entry_get_poster_url (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_entry_get_poster_path (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
const char * const *offline_entry_get_tags (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_entry_get_manifest_url (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
GTimeSpan offline_entry_get_duration (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
OfflineDownloadState offline_entry_get_state (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
guint64 offline_entry_get_bytes_downloaded (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
guint64 offline_entry_get_bytes_expected (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
guint offline_entry_get_segments_done (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
guint offline_entry_get_segments_total (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
GDateTime *offline_entry_get_created (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
GDateTime *offline_entry_get_updated (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
gint64 offline_entry_get_license_expiration (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_entry_get_is_protected (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_entry_get_failure_message (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
GPtrArray *offline_entry_get_tracks (OfflineEntry *self);
OFFLINE_AVAILABLE_IN_ALL
char *offline_entry_to_json (OfflineEntry *self);

G_END_DECLS
