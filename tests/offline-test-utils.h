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

/* For the @code of the helpers below: any code of the OFFLINE_ERROR domain. */
#define OFFLINE_TEST_ANY_CODE (-1)

/* A parser entry point: offline_dash_parse(), offline_hls_parse() or
 * offline_test_manifest_parse(). */
typedef OfflinePresentation *(*OfflineTestParseFunc) (GBytes      *data,
                                                      const char  *uri,
                                                      GError     **error);

/* Contents of tests/data/@path (fails the test if it cannot be read). */
GBytes *offline_test_load (const char *path);

/* OFFLINE_TEST_BASE + @path */
char *offline_test_url (const char *path);

/* offline_manifest_parse() without a content type, as an
 * OfflineTestParseFunc. */
OfflinePresentation *offline_test_manifest_parse (GBytes      *data,
                                                  const char  *uri,
                                                  GError     **error);

/* @parse of tests/data/@path as fetched from OFFLINE_TEST_BASE + @path.
 * Fails the test on error. */
OfflinePresentation *offline_test_parse_file (OfflineTestParseFunc  parse,
                                              const char           *path);

/* @parse of @text as fetched from OFFLINE_TEST_BASE + @path. Fails the test
 * on error. */
OfflinePresentation *offline_test_parse_text (OfflineTestParseFunc  parse,
                                              const char           *text,
                                              const char           *path);

/* Parses tests/data/@path as if fetched from OFFLINE_TEST_BASE + @path, with
 * offline_manifest_parse(). For HLS, every media playlist of the result is
 * read from the data directory and parsed too. Fails the test on error. */
OfflinePresentation *offline_test_parse_fixture (const char *path);

/* Asserts that @parse refuses @data fetched from OFFLINE_TEST_BASE + @path
 * with the OFFLINE_ERROR @code and, unless @message is NULL, an error
 * message that contains @message. Returns (transfer full) the error. */
GError *offline_test_parse_refused (OfflineTestParseFunc  parse,
                                    GBytes               *data,
                                    const char           *path,
                                    int                   code,
                                    const char           *message);

/* Asserts that @presentation and @error are what a parser may return:
 * a presentation and no error, or no presentation and an OFFLINE_ERROR of
 * @code (or of any code for OFFLINE_TEST_ANY_CODE). Returns whether there
 * is a presentation. */
gboolean offline_test_assert_parse_result (OfflinePresentation *presentation,
                                           const GError        *error,
                                           int                  code);

/* @parse of the first @length bytes of @data as fetched from
 * OFFLINE_TEST_BASE + @path, checked with
 * offline_test_assert_parse_result(). Returns whether it parsed. */
gboolean offline_test_parse_prefix (OfflineTestParseFunc  parse,
                                    GBytes               *data,
                                    gsize                 length,
                                    const char           *path,
                                    int                   code);

/* offline_test_parse_prefix() of the prefixes of @data of @from, @from +
 * @step, … up to @to bytes. Returns how many parsed. */
guint offline_test_parse_prefixes (OfflineTestParseFunc  parse,
                                   GBytes               *data,
                                   const char           *path,
                                   gsize                 from,
                                   gsize                 to,
                                   gsize                 step,
                                   int                   code);

/* Wraps a C string as GBytes (no terminating NUL). */
GBytes *offline_test_bytes (const char *text);

/* @size bytes: "#EXTM3U" followed by line breaks. */
GBytes *offline_test_oversized_playlist (gsize size);

/* The track of @presentation with @id (fails the test if absent). */
OfflineTrack *offline_test_track (OfflinePresentation *presentation,
                                  const char          *id);

/* Track @index of @presentation (fails the test if absent). */
OfflineTrack *offline_test_track_at (OfflinePresentation *presentation,
                                     guint                index);

/* Segment @index of @track (fails the test if absent). */
OfflineSegment *offline_test_segment (OfflineTrack *track,
                                      guint         index);

/* Asserts that @track has @n segments. */
void offline_test_assert_n_segments (OfflineTrack *track,
                                     guint         n);

/* Asserts the URL and times of @segment (not its byte range). */
void offline_test_assert_segment (OfflineSegment *segment,
                                  const char     *uri,
                                  GTimeSpan       start,
                                  GTimeSpan       duration);

/* Asserts the byte range of @segment (-1, -1 for none). */
void offline_test_assert_range (OfflineSegment *segment,
                                gint64          offset,
                                gint64          length);

/* Asserts that @track has no initialization segment if @uri is NULL, else
 * one of @uri with that byte range, and no times or number. */
void offline_test_assert_init (OfflineTrack *track,
                               const char   *uri,
                               gint64        offset,
                               gint64        length);

/* Asserts that the segments of @track marked discontinuous are exactly
 * those whose indexes are listed in @expected. */
void offline_test_assert_discontinuities (OfflineTrack *track,
                                          const guint  *expected,
                                          guint         n_expected);

G_END_DECLS
