/* offline-test-license.h: a W3C Clear Key licence server on 127.0.0.1,
 * in its own thread (real HTTP, real JSON), for the tests
 *
 * POST /license with {"kids": [base64url…], "type": …} answers the keys
 * it knows of those asked for as a JWK key set, with "expiration" if one
 * is set. Faults: a status and body for the next requests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _OfflineTestLicense OfflineTestLicense;

OfflineTestLicense *offline_test_license_new (void);
void offline_test_license_free (OfflineTestLicense *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineTestLicense, offline_test_license_free)

/* http://127.0.0.1:PORT/license */
const char *offline_test_license_get_url (OfflineTestLicense *self);

/* Knows @key_hex (32 hex digits) for @kid_hex (32 hex digits). */
void offline_test_license_add_key (OfflineTestLicense *self,
                                   const char         *kid_hex,
                                   const char         *key_hex);

/* Answers "expiration": @seconds (Unix time); 0: no member. */
void offline_test_license_set_expiration (OfflineTestLicense *self,
                                          gint64              seconds);

/* The next @count requests are answered @status with @body (NULL: an
 * empty body) instead. */
void offline_test_license_fail_next (OfflineTestLicense *self,
                                     guint               count,
                                     guint               status,
                                     const char         *body);

/* Every answer waits @milliseconds (0: none). */
void offline_test_license_set_latency (OfflineTestLicense *self,
                                       guint               milliseconds);

/* How many requests came, and the body of the last one (NULL if none). */
guint offline_test_license_get_request_count (OfflineTestLicense *self);
char *offline_test_license_get_last_request (OfflineTestLicense *self);

G_END_DECLS
