/* offline-ovp-private.h: the Kaltura OVP API v3 requests and answers of
 * OfflineOvpProvider (library-internal)
 *
 * Pure functions: no I/O, callable from any thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "offline-media-info.h"

G_BEGIN_DECLS

/* What a resolution needs of the provider's configuration (the strings
 * belong to the provider, which outlives every resolution). */
typedef struct {
  gint64 partner_id;
  gint64 ui_conf_id;            /* 0: none */
  const char *ks;               /* (nullable): a widget session is started */
  const char *service_url;      /* "…/api_v3", no trailing "/" needed */
  const char *cdn_url;          /* (nullable): playManifest base */
  const char *client_tag;       /* (nullable): the default */
} OfflineOvpParams;

/* The URL the multirequest is POSTed to: {service_url}/service/multirequest */
G_GNUC_INTERNAL
char *offline_ovp_request_url (const OfflineOvpParams *params);

/* The JSON body of the multirequest resolving @entry_id: startWidgetSession
 * (without a KS), baseEntry.list, baseEntry.getPlaybackContext and
 * metadata_metadata.list. */
G_GNUC_INTERNAL
char *offline_ovp_request_body (const OfflineOvpParams *params,
                                const char             *entry_id);

/* The media info of @entry_id from the multirequest's answer @body:
 * NULL with OFFLINE_ERROR_PROVIDER_FAILED (not JSON, an API exception, a
 * block action, no playable source), OFFLINE_ERROR_NOT_FOUND (no entry),
 * OFFLINE_ERROR_DRM_NOT_SUPPORTED (only DRM systems other than Clear
 * Key) or OFFLINE_ERROR_LIVE_NOT_SUPPORTED (a live entry). */
G_GNUC_INTERNAL
OfflineMediaInfo *offline_ovp_context_parse (const OfflineOvpParams  *params,
                                             const char              *entry_id,
                                             GBytes                  *body,
                                             GError                 **error);

/* The playManifest URL of a source: {base}/p/{pid}/sp/{pid}00/playManifest/
 * entryId/{id}/protocol/{protocol}/format/{format}/flavorIds/{ids}
 * [/ks/{ks}]/a.{ext}?[uiConfId={n}&]playbackType=offline */
G_GNUC_INTERNAL
char *offline_ovp_play_manifest_url (const OfflineOvpParams *params,
                                     const char             *entry_id,
                                     const char             *protocol,
                                     const char             *format,
                                     const char             *flavor_ids,
                                     const char             *extension);

/* "clearkey", "widevine", "playready" or "fairplay" for a Kaltura DRM
 * scheme name ("drm.WIDEVINE_CENC", "fairplay.FAIRPLAY", …), else
 * @scheme lower-cased. Free with g_free(). */
G_GNUC_INTERNAL
char *offline_ovp_drm_scheme (const char *scheme);

G_END_DECLS
