/* offline-error.h: the OFFLINE_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib.h>
#include "offline-export.h"

G_BEGIN_DECLS

/**
 * OFFLINE_ERROR:
 *
 * Error domain for offlinemgr. Errors in this domain are from the
 * #OfflineError enumeration. See #GError for information on error domains.
 */
#define OFFLINE_ERROR (offline_error_quark ())

/**
 * OfflineError:
 * @OFFLINE_ERROR_FAILED: A failure that has no more specific code.
 * @OFFLINE_ERROR_NOT_SUPPORTED: The operation is not supported for this
 *   content or on this system (for example renewing the licence of clear
 *   content).
 * @OFFLINE_ERROR_STORE: The download index (SQLite database) or the media
 *   files could not be read or written.
 * @OFFLINE_ERROR_CANCELLED: The operation was aborted (cancelled, or the
 *   entry was removed while it ran).
 * @OFFLINE_ERROR_NOT_FOUND: The requested entry does not exist.
 * @OFFLINE_ERROR_INVALID_URI: A malformed `offline://` URI, or a URL that
 *   may not be fetched (unsupported scheme, hostile path, longer than
 *   16 KiB, or refused by #OfflineManager::accept-url), or a redirect to
 *   one.
 * @OFFLINE_ERROR_LIVE_NOT_SUPPORTED: Live content cannot be stored offline
 *   (DASH `type="dynamic"`, HLS playlist without `EXT-X-ENDLIST`).
 * @OFFLINE_ERROR_IN_PROGRESS: The entry is already being stored.
 * @OFFLINE_ERROR_NO_INIT_DATA: Protected content has no initialisation data
 *   (no PSSH) to request a licence with.
 * @OFFLINE_ERROR_DOWNLOAD_FAILED: A segment or playlist could not be
 *   downloaded; the message names the URL and the HTTP status. Also a
 *   network that went away #OfflineManager:max-retries times in a row
 *   before anything more was stored (see #OfflineManager:network-monitor).
 * @OFFLINE_ERROR_PROVIDER_FAILED: The #OfflineProvider could not resolve the
 *   entry id.
 * @OFFLINE_ERROR_PAUSE_FAILED: The download could not be paused.
 * @OFFLINE_ERROR_RESUME_FAILED: The download could not be resumed.
 * @OFFLINE_ERROR_RENEW_LICENSE_FAILED: The licence could not be renewed.
 * @OFFLINE_ERROR_ALREADY_EXISTS: An entry with this id is already stored.
 * @OFFLINE_ERROR_REMOVE_FAILED: The entry could not be removed.
 * @OFFLINE_ERROR_MANIFEST_INVALID: The manifest is malformed, truncated,
 *   uses an unknown required feature, or describes something that cannot
 *   be real (too many segments, absurd timescale, overflowing numbers). The
 *   message names the element, attribute or line.
 * @OFFLINE_ERROR_OUT_OF_SPACE: The disk is full; the download was paused and
 *   nothing stored was lost.
 * @OFFLINE_ERROR_STORE_LOCKED: Another process has the store open for
 *   writing.
 * @OFFLINE_ERROR_ENTRY_INCOMPLETE: The entry is not completely downloaded.
 * @OFFLINE_ERROR_ENTRY_DAMAGED: The stored files of the entry are missing or
 *   damaged.
 * @OFFLINE_ERROR_INVALID_ARGUMENT: An argument is not acceptable: an entry
 *   id that is empty, longer than 255 bytes, not valid UTF-8 or holds a NUL
 *   byte; a file name offline_manager_export_async() cannot export to.
 *   Nothing was changed.
 * @OFFLINE_ERROR_LICENSE_FAILED: The licence of protected content could
 *   not be obtained: the licence server failed (the message names its URL
 *   and the HTTP status), its answer is not a Clear Key key set, or it lacks
 *   a key the content needs (the message names the key ID). Nothing was
 *   stored.
 * @OFFLINE_ERROR_LICENSE_EXPIRED: The stored licence of the entry has
 *   expired: renew it with offline_manager_renew_license_async().
 * @OFFLINE_ERROR_INVALID_CONFIG: The configuration given to
 *   offline_manager_new_from_config() is not JSON, not an object, has a
 *   key of the wrong type or out of range, or lacks a required key; the
 *   message names the key (`offline.maxRetries`). Nothing was opened.
 * @OFFLINE_ERROR_DRM_NOT_SUPPORTED: The provider offers the entry only
 *   with DRM systems that need a closed CDM (Widevine, PlayReady,
 *   FairPlay); the message names them. Clear Key is the one supported.
 *   Nothing was stored.
 *
 * Error codes in the %OFFLINE_ERROR domain. The numeric values are stable:
 * new codes are only ever appended.
 */
typedef enum {
  OFFLINE_ERROR_FAILED = 0,
  OFFLINE_ERROR_NOT_SUPPORTED = 1,
  OFFLINE_ERROR_STORE = 2,
  OFFLINE_ERROR_CANCELLED = 3,
  OFFLINE_ERROR_NOT_FOUND = 4,
  OFFLINE_ERROR_INVALID_URI = 5,
  OFFLINE_ERROR_LIVE_NOT_SUPPORTED = 6,
  OFFLINE_ERROR_IN_PROGRESS = 7,
  OFFLINE_ERROR_NO_INIT_DATA = 8,
  OFFLINE_ERROR_DOWNLOAD_FAILED = 9,
  OFFLINE_ERROR_PROVIDER_FAILED = 10,
  OFFLINE_ERROR_PAUSE_FAILED = 11,
  OFFLINE_ERROR_RESUME_FAILED = 12,
  OFFLINE_ERROR_RENEW_LICENSE_FAILED = 13,
  OFFLINE_ERROR_ALREADY_EXISTS = 14,
  OFFLINE_ERROR_REMOVE_FAILED = 15,
  OFFLINE_ERROR_MANIFEST_INVALID = 16,
  OFFLINE_ERROR_OUT_OF_SPACE = 17,
  OFFLINE_ERROR_STORE_LOCKED = 18,
  OFFLINE_ERROR_ENTRY_INCOMPLETE = 19,
  OFFLINE_ERROR_ENTRY_DAMAGED = 20,
  OFFLINE_ERROR_INVALID_ARGUMENT = 21,
  OFFLINE_ERROR_LICENSE_FAILED = 22,
  OFFLINE_ERROR_LICENSE_EXPIRED = 23,
  OFFLINE_ERROR_INVALID_CONFIG = 24,
  OFFLINE_ERROR_DRM_NOT_SUPPORTED = 25,
} OfflineError;

OFFLINE_AVAILABLE_IN_ALL
GQuark offline_error_quark (void);

G_END_DECLS
