/* offline-test-server.h: a real HTTP server on 127.0.0.1 for the tests,
 * serving tests/data with fault switches
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A SoupServer listening on 127.0.0.1 (a free port), running in a thread
 * of its own with its own GMainContext: it answers while the test blocks,
 * waits for a subprocess or runs its own main loop. All functions below
 * are thread-safe and may be called at any time; a switch applies to the
 * requests that arrive after it is set.
 *
 * What it serves: GET (and HEAD) of the files under the root directory
 * (tests/data for offline_test_server_new()), the URL path being the path
 * below the root ("dash/template-number/manifest.mpd"); a path that is not
 * a regular file there is 404, a path with "..", "." or empty segments
 * (after percent-decoding) is 403 (libsoup answers 400 to an encoded
 * "/"). Contents added with
 * offline_test_server_add_content() and redirects added with
 * offline_test_server_add_redirect() come first. Range: a single
 * "bytes=A-B", "bytes=A-" or "bytes=-N" gets 206 with Content-Range, an
 * unsatisfiable one 416 with "Content-Range: bytes * /SIZE" (no space),
 * anything else (several ranges, malformed) the whole file with 200.
 * Responses carry Content-Length, Content-Type (from the extension) and
 * Accept-Ranges: bytes.
 *
 * Paths given to the functions below are relative to the root, with or
 * without a leading "/", without query; NULL where allowed means "any
 * path". Each request uses up the oldest pending fault (fail/reset/
 * truncate/misrange, in the order they were added) that matches its path,
 * or else gets what the fault picker (if one is set) chooses; then come
 * path statuses, redirects, contents and files, in that order.
 *
 * Under valgrind, pass --suppressions=tests/valgrind-libsoup.supp: libsoup
 * 3.2's server leaks a little by itself.
 *
 * Example:
 *
 *   g_autoptr(OfflineTestServer) server = offline_test_server_new ();
 *   g_autofree char *url = offline_test_server_get_url (server, "progressive/clip.mp4");
 *
 *   offline_test_server_fail_next (server, NULL, 2, 503, NULL);
 *   … download url …
 *   g_assert_cmpuint (offline_test_server_get_request_count (server, "progressive/clip.mp4"), ==, 3);
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _OfflineTestServer OfflineTestServer;

/* For the @n of the fault switches: every matching request, not a count. */
#define OFFLINE_TEST_SERVER_ALWAYS G_MAXUINT

/* Starts a server for tests/data (g_test_init() must have run: the
 * directory is found with g_test_build_filename()). Aborts the test if it
 * cannot listen. */
OfflineTestServer *offline_test_server_new (void);

/* Starts a server for the files under @root. */
OfflineTestServer *offline_test_server_new_for_root (const char *root);

/* Stops the server (closing every connection) and frees it. */
void offline_test_server_free (OfflineTestServer *server);

/* "http://127.0.0.1:PORT/" */
const char *offline_test_server_get_base_url (OfflineTestServer *server);

guint16 offline_test_server_get_port (OfflineTestServer *server);

/* A socket bound to a port of 127.0.0.1 that does not listen: connections
 * to it are refused, and no other process can take the port while the
 * socket lives. Its port goes to *@port. */
GSocket *offline_test_refusing_socket (guint16 *port);

/* The base URL + @path (which may carry a query). */
char *offline_test_server_get_url (OfflineTestServer *server,
                                   const char        *path);

/* ---- switches ---- */

/* Every request waits @milliseconds before it is answered (0: none). Other
 * requests are served meanwhile. */
void offline_test_server_set_latency (OfflineTestServer *server,
                                      guint              milliseconds);

/* Every response body goes out at most @bytes_per_second, all of them
 * together (one token bucket, shared round-robin, as connections share a
 * link); 0: no limit. Comes on top of the latency. */
void offline_test_server_set_rate (OfflineTestServer *server,
                                   guint64            bytes_per_second);

/* At most @max_requests are answered at once; a request past them gets
 * 503 (after the latency, as others); 0: no limit. */
void offline_test_server_set_max_concurrent (OfflineTestServer *server,
                                             guint              max_requests);

/* Range headers are ignored: always 200 with the whole body, and no
 * Accept-Ranges. */
void offline_test_server_set_ignore_range (OfflineTestServer *server,
                                           gboolean           ignore);

/* Requests for @path are answered with @status (e.g. 404, 403, 500) and a
 * short text body, until set back to 0. */
void offline_test_server_set_path_status (OfflineTestServer *server,
                                          const char        *path,
                                          guint              status);

/* The next @n requests for @path (NULL: any) are answered with @status
 * (e.g. 500, 503, 429) and, unless @retry_after is NULL, that Retry-After
 * header value ("1", or an HTTP date). */
void offline_test_server_fail_next (OfflineTestServer *server,
                                    const char        *path,
                                    guint              n,
                                    guint              status,
                                    const char        *retry_after);

/* The next @n requests for @path (NULL: any) get their normal status and
 * headers (Content-Length of the whole body or range) but only the first
 * @after_bytes bytes of the body, then the connection is reset (TCP RST). */
void offline_test_server_reset_next (OfflineTestServer *server,
                                     const char        *path,
                                     guint              n,
                                     gsize              after_bytes);

/* Like offline_test_server_reset_next(), but the connection is closed
 * normally after @after_bytes bytes: a body shorter than its
 * Content-Length. */
void offline_test_server_truncate_next (OfflineTestServer *server,
                                        const char        *path,
                                        guint              n,
                                        gsize              after_bytes);

/* The next @n requests for @path (NULL: any) that ask for a range get a
 * 206 whose Content-Range (and body) starts one byte after the range asked
 * for: a server that gets ranges wrong. A request without Range uses one
 * of the @n up and is served normally. */
void offline_test_server_misrange_next (OfflineTestServer *server,
                                        const char        *path,
                                        guint              n);

/* What a fault picker chooses for one request. */
typedef enum {
  OFFLINE_TEST_FAULT_NONE,      /* the normal answer */
  OFFLINE_TEST_FAULT_STATUS,    /* @status and, unless NULL, Retry-After @retry_after */
  OFFLINE_TEST_FAULT_RESET,     /* as offline_test_server_reset_next() after @after_bytes */
  OFFLINE_TEST_FAULT_TRUNCATE,  /* as offline_test_server_truncate_next() after @after_bytes */
  OFFLINE_TEST_FAULT_STALL,     /* the normal status and headers, @after_bytes of the
                                 * body, then silence for @stall_ms, then the connection
                                 * closed */
  OFFLINE_TEST_FAULT_OVERLONG,  /* the normal status, headers and body, then @after_bytes
                                 * bytes of junk past the Content-Length, on a connection
                                 * that does not say "close"; then it is closed */
} OfflineTestFaultKind;

typedef struct {
  OfflineTestFaultKind kind;
  guint status;
  const char *retry_after;      /* copied */
  gsize after_bytes;
  guint stall_ms;
  const char *content_type;     /* (nullable) copied: the Content-Type of a file's
                                 * answer, instead of the one of its extension */
} OfflineTestFault;

/* Chooses @fault (set to OFFLINE_TEST_FAULT_NONE) for a request of @path
 * with the Range header @range (NULL if none). Called in the server's
 * thread, with its lock held: it must not call the server's functions. */
typedef void (*OfflineTestFaultPicker) (const char       *path,
                                        const char       *range,
                                        OfflineTestFault *fault,
                                        gpointer          user_data);

/* Every request that no fault set by the functions above takes is
 * answered as @picker (NULL: none) chooses. */
void offline_test_server_set_fault_picker (OfflineTestServer      *server,
                                           OfflineTestFaultPicker  picker,
                                           gpointer                user_data);

/* Answers requests for @path (and below it) with @callback, called in the
 * server's thread. */
void offline_test_server_add_handler (OfflineTestServer  *server,
                                      const char         *path,
                                      SoupServerCallback  callback,
                                      gpointer            user_data);

/* Serves @content at @path with @content_type (NULL: from the extension),
 * instead of a file; NULL @content removes it. */
void offline_test_server_add_content (OfflineTestServer *server,
                                      const char        *path,
                                      GBytes            *content,
                                      const char        *content_type);

/* Answers requests for @path with the redirect @status (301, 302, 303,
 * 307, 308) to @location (sent as is: relative, another host or another
 * scheme); NULL @location removes it. */
void offline_test_server_add_redirect (OfflineTestServer *server,
                                       const char        *path,
                                       guint              status,
                                       const char        *location);

/* Back to normal: no latency, Range honoured, no path statuses, no pending
 * faults (contents, redirects and counters stay). */
void offline_test_server_clear_switches (OfflineTestServer *server);

/* ---- what it saw ---- */

/* Requests received for @path (NULL: for all paths), faulty ones
 * included. */
guint offline_test_server_get_request_count (OfflineTestServer *server,
                                             const char        *path);

/* Client connections the requests came on (counted by client port): with
 * keep-alive, fewer than the requests. */
guint offline_test_server_get_connection_count (OfflineTestServer *server);

/* The Range header of each request for @path, in order ("" for a request
 * without one). Free with g_strfreev(). */
char **offline_test_server_get_ranges (OfflineTestServer *server,
                                       const char        *path);

/* The path of every request, in the order they arrived. Free with
 * g_strfreev(). */
char **offline_test_server_get_paths (OfflineTestServer *server);

/* The most requests that were answered at once, and the 503s of
 * offline_test_server_set_max_concurrent(). */
void offline_test_server_get_concurrency (OfflineTestServer *server,
                                          guint             *peak,
                                          guint             *refused);

/* Forgets the requests and connections counted and the ranges logged. */
void offline_test_server_reset_counters (OfflineTestServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineTestServer, offline_test_server_free)

G_END_DECLS
