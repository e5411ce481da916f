/* offline-test-ovp.h: a fake Kaltura OVP API v3 on the test server, for
 * the OfflineOvpProvider tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Answers POST /api_v3/service/multirequest of an OfflineTestServer in
 * the shape of the real API: the results of the widget session (when
 * asked), baseEntry.list, baseEntry.getPlaybackContext and
 * metadata_metadata.list. What it answers depends on the entry id of the
 * list filter:
 *
 *   0_clear      DASH, HLS (listed first) and progressive sources, no DRM
 *   0_ck         DASH with Widevine and Clear Key (the licence URL given),
 *                HLS with FairPlay
 *   0_wv         DASH with Widevine, HLS with FairPlay only
 *   0_hls        DASH with Widevine only, clear HLS
 *   0_prog       a progressive source only
 *   0_block      a block action with an access control message
 *   0_exception  a KalturaAPIException for the playback context
 *   0_html       an HTML page (200)
 *   0_none       an entry list with no object
 *   other        an entry with no source
 *
 * A request with the KS "expired-ks" gets INVALID_KS exceptions. Every
 * entry's thumbnailUrl is {server}/p/4242/thumbnail/entry_id/{id}
 * (OFFLINE_TEST_OVP_THUMBNAIL); the flavors are 0_v1 (320x180 mp4) and
 * 0_a1 (audio). All functions are thread-safe.
 */
#pragma once

#include "offline-test-server.h"

G_BEGIN_DECLS

#define OFFLINE_TEST_OVP_PARTNER 4242
#define OFFLINE_TEST_OVP_THUMBNAIL "p/4242/thumbnail/entry_id/"

typedef struct _OfflineTestOvp OfflineTestOvp;

/* Answers the multirequests of @server, naming @license_url for 0_ck's
 * Clear Key. */
OfflineTestOvp *offline_test_ovp_new (OfflineTestServer *server,
                                      const char        *license_url);
/* Frees it (after the server stopped). */
void offline_test_ovp_free (OfflineTestOvp *self);

/* The next @n multirequests are answered @status (with Retry-After:
 * @retry_after unless NULL). */
void offline_test_ovp_fail_next (OfflineTestOvp *self,
                                 guint           n,
                                 guint           status,
                                 const char     *retry_after);

/* The bodies of the requests since the last reset, in order, and their
 * Content-Type in *@content_types unless NULL (g_strfreev() both). */
char **offline_test_ovp_get_bodies (OfflineTestOvp   *self,
                                    char           ***content_types);

guint offline_test_ovp_get_request_count (OfflineTestOvp *self);

/* Forgets the requests seen; returns how many there were. */
guint offline_test_ovp_reset (OfflineTestOvp *self);

G_END_DECLS
