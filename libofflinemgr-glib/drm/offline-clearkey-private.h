/* offline-clearkey-private.h: W3C Clear Key licences (library-internal)
 *
 * A licence request is the JSON of the W3C Encrypted Media Extensions,
 * "Clear Key" section: {"kids": [base64url KID, …], "type":
 * "persistent-license"}, POSTed to the licence server through the
 * fetcher (its session and retry policy). The answer is a JSON Web Key
 * set: {"keys": [{"kty": "oct", "kid": base64url, "k": base64url}, …]},
 * optionally with "expiration" (Unix seconds, our extension; see
 * docs/protection.md). Key IDs are written here as 32 lowercase hex
 * digits.
 *
 * Errors: OFFLINE_ERROR_LICENSE_FAILED (the server failed: its URL and
 * HTTP status or network error are named; the answer is not a key set; a
 * key the content needs is missing: its KID is named),
 * OFFLINE_ERROR_INVALID_URI (not an http(s) URL), OFFLINE_ERROR_CANCELLED.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "offline-fetcher-private.h"
#include "offline-media-info.h"

G_BEGIN_DECLS

/* The Clear Key system IDs: the one of the DASH-IF guidelines, and the W3C
 * common one. */
#define OFFLINE_CLEARKEY_SYSTEM_ID "e2719d58-a985-b3c9-781a-b030af78d30e"
#define OFFLINE_CLEARKEY_COMMON_SYSTEM_ID "1077efec-c0b2-4d02-ace3-3c1e52e2fb4b"

/* The size of a Clear Key (AES-128) key and of a key ID, in bytes. */
#define OFFLINE_CLEARKEY_KEY_SIZE 16

/* The largest licence answer read (a key set of a few keys is < 1 KiB). */
#define OFFLINE_CLEARKEY_MAX_RESPONSE (256 * 1024)

typedef struct {
  GHashTable *keys;     /* (element-type utf8 GBytes) KID (32 hex) → key */
  gint64 expiration;    /* Unix seconds; 0: the server gave none */
  char *url;            /* the licence server's */
} OfflineClearKeyLicense;

G_GNUC_INTERNAL
void offline_clearkey_license_free (OfflineClearKeyLicense *license);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineClearKeyLicense, offline_clearkey_license_free)

/* @kid as 32 lowercase hex digits, from a UUID ("10000000-1000-…", as in
 * cenc:default_KID) or 32 hex digits in either case; NULL if it is
 * neither. */
G_GNUC_INTERNAL
char *offline_clearkey_normalize_kid (const char *kid);

/* What the selected @tracks (element-type OfflineTrack) need: if one of
 * their ContentProtections is of a Clear Key system, the key IDs of their
 * cenc:default_KIDs (*@kids, deduplicated) and the licence URL: @info's
 * (the provider's, unless it names another DRM scheme), else the Clear Key
 * ContentProtection's Laurl. *@kids NULL: no Clear Key licence is needed.
 * LICENSE_FAILED if one is but no licence URL or no key ID is known. */
G_GNUC_INTERNAL
gboolean offline_clearkey_plan (GPtrArray         *tracks,
                                OfflineMediaInfo  *info,
                                char             **license_url,
                                GStrv             *kids,
                                GError           **error);

/* The request for @kids (32 hex each, at least one). */
G_GNUC_INTERNAL
GBytes *offline_clearkey_request_new (const char * const *kids);

/* The licence in @response, which must hold a key for each of @kids;
 * @url is named in errors. */
G_GNUC_INTERNAL
OfflineClearKeyLicense *offline_clearkey_parse_response (GBytes              *response,
                                                         const char * const  *kids,
                                                         const char          *url,
                                                         GError             **error);

/* Requests the keys @kids from the licence server @url. */
G_GNUC_INTERNAL
void offline_clearkey_acquire_async (OfflineFetcher      *fetcher,
                                     const char          *url,
                                     const char * const  *kids,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
G_GNUC_INTERNAL
OfflineClearKeyLicense *offline_clearkey_acquire_finish (GAsyncResult  *result,
                                                         GError       **error);

G_END_DECLS
