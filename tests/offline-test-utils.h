/* offline-test-utils.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline.h"

G_BEGIN_DECLS

/* The base URL fixtures are parsed against: every expected segment URL in
 * the tests starts with it. */
#define OFFLINE_TEST_BASE "http://127.0.0.1:8080/"

/* Contents of tests/data/@path (fails the test if it cannot be read). */
GBytes *offline_test_load (const char *path);

/* OFFLINE_TEST_BASE + @path */
char *offline_test_url (const char *path);

/* Parses tests/data/@path as if fetched from OFFLINE_TEST_BASE + @path, with
 * offline_manifest_parse(). For HLS, every media playlist of the result is
 * read from the data directory and parsed too. Fails the test on error. */
OfflinePresentation *offline_test_parse_fixture (const char *path);

/* Wraps a C string as GBytes (no terminating NUL). */
GBytes *offline_test_bytes (const char *text);

/* The track of @presentation with @id (fails the test if absent). */
OfflineTrack *offline_test_track (OfflinePresentation *presentation,
                                  const char          *id);

G_END_DECLS
