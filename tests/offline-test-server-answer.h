/* offline-test-server-answer.h: what the test server answers with (the
 * helpers of offline-test-server.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The Content-Type of a file, from its extension. */
const char *offline_test_answer_content_type (const char *path);

/* Parses a single "bytes=A-B" / "bytes=A-" / "bytes=-N" against @size into
 * [*start, *end). 0: no usable Range (serve it all), 206, or 416. */
guint offline_test_answer_parse_range (const char *header,
                                       gsize       size,
                                       gsize      *start,
                                       gsize      *end);

/* The file for @path under @root in *@bytes; 403 (traversal), 404 (none)
 * or 0. */
guint offline_test_answer_load_file (const char  *root,
                                     const char  *path,
                                     GBytes     **bytes);

/* How offline_test_answer_raw() ends. */
typedef enum {
  OFFLINE_TEST_RAW_TRUNCATE,    /* @after_bytes of the body, then close */
  OFFLINE_TEST_RAW_RESET,       /* @after_bytes of the body, then RST */
  OFFLINE_TEST_RAW_STALL,       /* @after_bytes of the body, silence for @stall_ms, close */
  OFFLINE_TEST_RAW_OVERLONG,    /* all the body, @after_bytes of junk, close */
} OfflineTestRaw;

/* Takes @msg's connection from libsoup and writes the answer by hand:
 * the status line, @headers and a Content-Length of all of @body (and
 * "Connection: close" unless OVERLONG), then what @how says. In the
 * server's thread (a stall's end is a source of its thread-default
 * context). */
void offline_test_answer_raw (SoupServerMessage  *msg,
                              OfflineTestRaw      how,
                              gsize               after_bytes,
                              guint               stall_ms,
                              guint               status,
                              SoupMessageHeaders *headers,
                              GBytes             *body);

G_END_DECLS
