/* test-fetcher.c: OfflineFetcher against a real HTTP server with faults
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "offline-fetch-retry-private.h"
#include "offline-test-fetch.h"
#include "offline-test-server.h"

#define CLIP        "progressive/clip.mp4"      /* 167708 bytes */
#define STREAM      "hls/byterange/stream.ts"   /* 189692 bytes */
#define MANIFEST    "dash/template-number/manifest.mpd"

typedef struct {
  OfflineTestServer *server;
  OfflineFetcher *fetcher;
  char *dir;                    /* a temporary directory for the files */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = offline_test_server_new ();
  fixture->fetcher = offline_fetcher_new ();
  offline_fetcher_set_retry_delay (fixture->fetcher, 10);
  fixture->dir = g_dir_make_tmp ("test-fetcher-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  offline_test_server_free (fixture->server);
  g_clear_object (&fixture->fetcher);
  /* let the session's closing connections finish */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  offline_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
dest (Fixture    *fixture,
      const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
start_file (Fixture          *fixture,
            const char       *url,
            gint64            offset,
            gint64            length,
            const char       *path,
            GCancellable     *cancellable,
            OfflineTestFetch *result)
{
  offline_test_fetch_file_start (fixture->fetcher, url, offset, length, path, cancellable, result);
}

/* Fetches @data_path of the server (bytes @offset, @length) into @path. */
static void
fetch_file (Fixture          *fixture,
            const char       *data_path,
            gint64            offset,
            gint64            length,
            const char       *path,
            OfflineTestFetch *result)
{
  g_autofree char *url = offline_test_server_get_url (fixture->server, data_path);

  start_file (fixture, url, offset, length, path, NULL, result);
  offline_test_fetch_wait (result);
}

static void
fetch_bytes (Fixture          *fixture,
             const char       *url,
             gsize             max_size,
             OfflineTestFetch *result)
{
  offline_test_fetch_bytes_start (fixture->fetcher, url, max_size, NULL, result);
  offline_test_fetch_wait (result);
}

static void
assert_ranges (OfflineTestServer  *server,
               const char         *path,
               const char * const *expected)
{
  g_auto(GStrv) ranges = offline_test_server_get_ranges (server, path);

  g_assert_cmpstrv (ranges, expected);
}

/* Fetches @data_path (bytes @offset, @length) into @path, asserts that it
 * arrived intact with positive progress deltas, and returns their sum. */
static gint64
fetch_ok (Fixture    *fixture,
          const char *data_path,
          gint64      offset,
          gint64      length,
          const char *path)
{
  g_auto(OfflineTestFetch) result = { .lowest_delta = G_MAXINT64 };

  fetch_file (fixture, data_path, offset, length, path, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.size, ==, length >= 0 ? (gsize) length
                                                 : offline_test_data_size (data_path) - MAX (offset, 0));
  g_assert_cmpint (result.lowest_delta, >, 0);
  offline_test_assert_file (path, data_path, MAX (offset, 0), length);
  return result.progress;
}

#define RANGES(...) ((const char *[]) { __VA_ARGS__, NULL })

/* ---- plain downloads ---- */

static void
test_whole_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");

  g_assert_cmpint (fetch_ok (fixture, CLIP, -1, -1, path), ==, offline_test_data_size (CLIP));
  assert_ranges (fixture->server, CLIP, RANGES (""));
}

static void
test_byte_range (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "range");
  g_autofree char *tail = dest (fixture, "tail");

  g_assert_cmpint (fetch_ok (fixture, STREAM, 1000, 50000, path), ==, 50000);
  fetch_ok (fixture, STREAM, 180000, -1, tail);
  assert_ranges (fixture->server, STREAM, RANGES ("bytes=1000-50999", "bytes=180000-"));
}

static void
test_keep_alive (Fixture       *fixture,
                 gconstpointer  data)
{
  for (guint i = 0; i < 5; i++) {
    g_autofree char *name = g_strdup_printf ("%u", i);
    g_autofree char *path = dest (fixture, name);

    if (i % 2 == 0)
      fetch_ok (fixture, STREAM, 1000 * (gint64) i, 30000, path);
    else
      fetch_ok (fixture, CLIP, -1, -1, path);
  }
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, NULL), ==, 5);
  g_assert_cmpuint (offline_test_server_get_connection_count (fixture->server), ==, 1);
}

static void
test_parallel (Fixture       *fixture,
               gconstpointer  data)
{
  static const char *files[] = {
    "hls/fmp4/video_320x180/seg_001.m4s", "hls/muxed/stream_320x180_000.ts",
    "hls/muxed/stream_320x180_001.ts", "hls/muxed/stream_320x180_002.ts",
    "hls/aes128/seg_000.ts", "hls/aes128/seg_001.ts", "hls/aes128/seg_002.ts",
    CLIP, STREAM, MANIFEST,
  };
  OfflineTestFetch results[G_N_ELEMENTS (files)] = { { 0 } };
  char *paths[G_N_ELEMENTS (files)];

  offline_test_server_set_latency (fixture->server, 50);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *url = offline_test_server_get_url (fixture->server, files[i]);

    paths[i] = g_strdup_printf ("%s/%u", fixture->dir, i);
    start_file (fixture, url, -1, -1, paths[i], NULL, &results[i]);
  }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    offline_test_fetch_wait (&results[i]);
    g_assert_no_error (results[i].error);
    offline_test_assert_file (paths[i], files[i], 0, -1);
    g_free (paths[i]);
  }
}

/* ---- resuming a .part ---- */

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  g_autofree char *range = dest (fixture, "range");

  /* only the new bytes count */
  offline_test_write_part (path, CLIP, 0, 10000);
  g_assert_cmpint (fetch_ok (fixture, CLIP, -1, -1, path), ==, offline_test_data_size (CLIP) - 10000);
  assert_ranges (fixture->server, CLIP, RANGES ("bytes=10000-"));

  offline_test_write_part (range, STREAM, 1000, 5000);
  g_assert_cmpint (fetch_ok (fixture, STREAM, 1000, 50000, range), ==, 45000);
  assert_ranges (fixture->server, STREAM, RANGES ("bytes=6000-50999"));
}

static void
test_resume_complete_part (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "range");
  g_autofree char *whole = dest (fixture, "whole");

  /* a known length: no request at all */
  offline_test_write_part (path, STREAM, 1000, 50000);
  g_assert_cmpint (fetch_ok (fixture, STREAM, 1000, 50000, path), ==, 0);
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, NULL), ==, 0);

  /* to the end: the server answers 416 to bytes=SIZE- */
  offline_test_write_part (whole, CLIP, 0, offline_test_data_size (CLIP));
  g_assert_cmpint (fetch_ok (fixture, CLIP, -1, -1, whole), ==, 0);
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 1);
}

static void
test_resume_bad_part (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "range");
  g_autofree char *whole = dest (fixture, "whole");
  g_autofree char *part = g_strconcat (whole, ".part", NULL);
  gsize size = offline_test_data_size (MANIFEST) + 100;
  g_autofree char *garbage = g_malloc0 (size);

  /* longer than the range: emptied, fetched again */
  offline_test_write_part (path, STREAM, 1000, 60000);
  fetch_ok (fixture, STREAM, 1000, 50000, path);
  assert_ranges (fixture->server, STREAM, RANGES ("bytes=1000-50999"));

  /* longer than the resource: 416, emptied, fetched again */
  g_assert_true (g_file_set_contents (part, garbage, size, NULL));
  fetch_ok (fixture, MANIFEST, -1, -1, whole);
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, MANIFEST), ==, 2);
}

/* ---- fault switches ---- */

static void
test_latency (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  gint64 start = g_get_monotonic_time ();

  offline_test_server_set_latency (fixture->server, 300);
  fetch_ok (fixture, CLIP, -1, -1, path);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
}

static void
test_retry_503 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");

  offline_test_server_fail_next (fixture->server, CLIP, 2, 503, NULL);
  g_assert_cmpint (fetch_ok (fixture, CLIP, -1, -1, path), ==, offline_test_data_size (CLIP));
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 3);
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  gint64 start = g_get_monotonic_time ();

  offline_test_server_fail_next (fixture->server, CLIP, 1, 429, "1");
  fetch_ok (fixture, CLIP, -1, -1, path);
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 2);
  /* the server's second, not the 10 ms backoff */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1000 * 1000);
}

static void
test_connection_reset (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  g_autofree char *range = dest (fixture, "range");

  offline_test_server_reset_next (fixture->server, CLIP, 1, 20000);
  g_assert_cmpint (fetch_ok (fixture, CLIP, -1, -1, path), ==, offline_test_data_size (CLIP));
  assert_ranges (fixture->server, CLIP, RANGES ("", "bytes=20000-"));

  /* every response cut: each attempt stores more, so it gets there (with
   * latency, the server cuts requests it had paused) */
  offline_fetcher_set_max_retries (fixture->fetcher, 1);
  offline_test_server_set_latency (fixture->server, 20);
  offline_test_server_reset_next (fixture->server, STREAM, 3, 16000);
  fetch_ok (fixture, STREAM, 1000, 50000, range);
  assert_ranges (fixture->server, STREAM, RANGES ("bytes=1000-50999", "bytes=17000-50999",
                                                  "bytes=33000-50999", "bytes=49000-50999"));
}

static void
test_truncated_body (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");

  offline_test_server_truncate_next (fixture->server, CLIP, 1, 30000);
  fetch_ok (fixture, CLIP, -1, -1, path);
  assert_ranges (fixture->server, CLIP, RANGES ("", "bytes=30000-"));
}

static void
test_ignored_range (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  g_autofree char *range = dest (fixture, "range");
  g_autofree char *range2 = dest (fixture, "range2");

  offline_test_server_set_ignore_range (fixture->server, TRUE);
  g_assert_cmpint (fetch_ok (fixture, STREAM, 1000, 50000, range), ==, 50000);
  assert_ranges (fixture->server, STREAM, RANGES ("bytes=1000-50999"));

  /* resuming a .part: the bytes sent again are skipped, not counted */
  offline_test_write_part (path, CLIP, 0, 10000);
  g_assert_cmpint (fetch_ok (fixture, CLIP, -1, -1, path), ==, offline_test_data_size (CLIP) - 10000);
  assert_ranges (fixture->server, CLIP, RANGES ("bytes=10000-"));

  /* cut off, then the resume gets the whole body again */
  offline_test_server_reset_counters (fixture->server);
  offline_test_server_reset_next (fixture->server, STREAM, 1, 30000);
  g_assert_cmpint (fetch_ok (fixture, STREAM, 1000, 50000, range2), ==, 50000);
  assert_ranges (fixture->server, STREAM, RANGES ("bytes=1000-50999", "bytes=30000-50999"));
}

static void
test_wrong_content_range (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "range");
  g_autofree char *path2 = dest (fixture, "range2");
  g_auto(OfflineTestFetch) result2 = { 0 };
  g_auto(OfflineTestFetch) result3 = { 0 };

  offline_test_server_misrange_next (fixture->server, STREAM, 1);
  fetch_ok (fixture, STREAM, 1000, 50000, path);
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, STREAM), ==, 2);

  offline_fetcher_set_max_retries (fixture->fetcher, 2);
  offline_test_server_misrange_next (fixture->server, STREAM, OFFLINE_TEST_SERVER_ALWAYS);
  fetch_file (fixture, STREAM, 1000, 50000, path2, &result2);
  offline_test_fetch_assert_failed (&result2, "206 with Content-Range \"bytes 1001-50999/189692\"");
  offline_test_fetch_assert_failed (&result2, "for Range \"bytes=1000-50999\"");
  offline_test_fetch_assert_failed (&result2, "gave up after 2 retries");
  offline_test_server_clear_switches (fixture->server);

  /* a range past the end of the resource comes back short */
  fetch_file (fixture, MANIFEST, 0, (gint64) offline_test_data_size (MANIFEST) + 10, path2, &result3);
  offline_test_fetch_assert_failed (&result3, "Content-Range");
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  g_autofree char *url = offline_test_server_get_url (fixture->server, CLIP);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *expected = NULL;
  g_auto(OfflineTestFetch) result = { 0 };
  g_auto(OfflineTestFetch) result2 = { 0 };

  offline_test_server_set_path_status (fixture->server, CLIP, 404);
  fetch_file (fixture, CLIP, -1, -1, path, &result);
  expected = g_strdup_printf ("GET %s: 404 Not Found", url);
  g_assert_error (result.error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
  g_assert_cmpstr (result.error->message, ==, expected);
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  offline_test_server_set_path_status (fixture->server, CLIP, 403);
  fetch_file (fixture, CLIP, -1, -1, path, &result2);
  offline_test_fetch_assert_failed (&result2, "403 Forbidden");
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 2);

  /* a file the server does not have */
  offline_test_fetch_clear (&result2);
  result2.done = FALSE;
  fetch_file (fixture, "no/such/file.m4s", -1, -1, path, &result2);
  offline_test_fetch_assert_failed (&result2, "/no/such/file.m4s: 404 Not Found");
}

static void
test_retries_exhausted (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  g_auto(OfflineTestFetch) result = { 0 };

  offline_fetcher_set_max_retries (fixture->fetcher, 3);
  offline_test_server_fail_next (fixture->server, CLIP, OFFLINE_TEST_SERVER_ALWAYS, 500, NULL);
  fetch_file (fixture, CLIP, -1, -1, path, &result);
  offline_test_fetch_assert_failed (&result, "500 Internal Server Error (gave up after 3 retries)");
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 4);
}

static void
test_cut_off_exhausted (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_auto(OfflineTestFetch) result = { 0 };
  GStatBuf st;

  /* cut off before any byte: no progress, so the retries run out */
  offline_fetcher_set_max_retries (fixture->fetcher, 2);
  offline_test_server_truncate_next (fixture->server, CLIP, OFFLINE_TEST_SERVER_ALWAYS, 0);
  fetch_file (fixture, CLIP, -1, -1, path, &result);
  offline_test_fetch_assert_failed (&result, "gave up after 2 retries");
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 3);
  g_assert_cmpint (g_stat (part, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "clip");
  g_auto(OfflineTestFetch) result = { 0 };

  soup_session_set_timeout (offline_fetcher_get_session (fixture->fetcher), 1);
  offline_fetcher_set_max_retries (fixture->fetcher, 1);
  offline_test_server_set_latency (fixture->server, 1500);
  fetch_file (fixture, CLIP, -1, -1, path, &result);
  offline_test_fetch_assert_failed (&result, "gave up after 1 retries");
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 2);
}

static void
test_dead_server (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = dest (fixture, "dead");
  g_auto(OfflineTestFetch) result = { 0 };

  /* a port that was free a moment ago and is closed now */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/x.m4s",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  offline_fetcher_set_max_retries (fixture->fetcher, 2);
  start_file (fixture, url, -1, -1, path, NULL, &result);
  offline_test_fetch_wait (&result);
  offline_test_fetch_assert_failed (&result, url);
  offline_test_fetch_assert_failed (&result, "gave up after 2 retries");
}

/* A refused connection is retried twice at the most, whatever
 * max-retries (5 by default) says, then fails. */
static void
test_refused_fails_fast (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = dest (fixture, "refused");
  g_autofree char *url = NULL;
  g_auto(OfflineTestFetch) result = { 0 };
  g_auto(OfflineTestFetch) result0 = { 0 };
  g_autoptr(GSocket) socket = NULL;
  guint16 port;

  socket = offline_test_refusing_socket (&port);
  url = g_strdup_printf ("http://127.0.0.1:%u/x.m4s", port);
  offline_fetcher_set_max_retries (fixture->fetcher, 5);
  start_file (fixture, url, -1, -1, path, NULL, &result);
  offline_test_fetch_wait (&result);
  offline_test_fetch_assert_failed (&result, url);
  offline_test_fetch_assert_failed (&result, "gave up after 2 retries");

  /* and not at all if max-retries says so */
  offline_fetcher_set_max_retries (fixture->fetcher, 0);
  start_file (fixture, url, -1, -1, path, NULL, &result0);
  offline_test_fetch_wait (&result0);
  offline_test_fetch_assert_failed (&result0, "gave up after 0 retries");
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean cancel_cb (gpointer cancellable);

/* A host name that does not resolve fails at once (RFC 6761: .invalid
 * never resolves). Skipped where this machine's resolver answers
 * something else for it (no DNS server reachable: a temporary failure,
 * retried briefly as an unreachable host) or where a proxy would resolve
 * it. */
static void
test_unresolvable_fails_at_once (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *host = "offlinemgr-test.invalid";
  g_autofree char *url = g_strdup_printf ("http://%s/x.m4s", host);
  g_autofree char *path = dest (fixture, "unresolvable");
  g_auto(OfflineTestFetch) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) addresses = NULL;
  g_auto(GStrv) proxies = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GAsyncResult) lookup = NULL;

  proxies = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), url, NULL, &error);
  g_assert_no_error (error);
  if (proxies == NULL || g_strcmp0 (proxies[0], "direct://") != 0) {
    g_test_skip ("a proxy is configured: it resolves the names");
    return;
  }
  /* asked with a bound: a resolver with no DNS server may take long */
  cancellable = g_cancellable_new ();
  timeout = g_timeout_source_new_seconds (10);
  g_source_set_callback (timeout, cancel_cb, cancellable, NULL);
  g_source_attach (timeout, NULL);
  g_resolver_lookup_by_name_async (g_resolver_get_default (), host, cancellable, lookup_cb,
                                   &lookup);
  while (lookup == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (timeout);
  addresses = g_resolver_lookup_by_name_finish (g_resolver_get_default (), lookup, &error);
  g_list_free_full (g_steal_pointer (&addresses), g_object_unref);
  if (!g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)) {
    g_test_skip_printf ("the resolver does not answer \"not found\" for %s: %s", host,
                        error != NULL ? error->message : "it resolves");
    return;
  }

  offline_fetcher_set_max_retries (fixture->fetcher, 5);
  start_file (fixture, url, -1, -1, path, NULL, &result);
  offline_test_fetch_wait (&result);
  offline_test_fetch_assert_failed (&result, url);
  offline_test_fetch_assert_failed (&result, "not retried");
  g_assert_null (strstr (result.error->message, "gave up"));
}

/* ---- cancellation ---- */

static gboolean
cancel_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *url = offline_test_server_get_url (fixture->server, CLIP);
  g_autofree char *backoff_url = offline_test_server_get_url (fixture->server, "backoff.mp4");
  g_autoptr(GBytes) clip = offline_test_load (CLIP);
  g_autofree char *path = dest (fixture, "clip");
  g_autoptr(GCancellable) during_request = g_cancellable_new ();
  g_autoptr(GCancellable) during_backoff = g_cancellable_new ();
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_auto(OfflineTestFetch) result = { 0 };
  g_auto(OfflineTestFetch) result2 = { 0 };
  g_auto(OfflineTestFetch) result3 = { 0 };
  gint64 start;

  /* while the server sits on the request */
  offline_test_server_set_latency (fixture->server, 5000);
  start = g_get_monotonic_time ();
  start_file (fixture, url, -1, -1, path, during_request, &result);
  g_timeout_add (100, cancel_cb, during_request);
  offline_test_fetch_wait (&result);
  g_assert_error (result.error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  offline_test_server_set_latency (fixture->server, 0);

  /* while waiting to retry (another path: on a loaded machine the server
   * may read the request cancelled above only now, and it must not take
   * this 503) */
  offline_fetcher_set_retry_delay (fixture->fetcher, 10000);
  offline_test_server_add_content (fixture->server, "backoff.mp4", clip, NULL);
  offline_test_server_fail_next (fixture->server, "backoff.mp4", 1, 503, NULL);
  start = g_get_monotonic_time ();
  start_file (fixture, backoff_url, -1, -1, path, during_backoff, &result2);
  g_timeout_add (200, cancel_cb, during_backoff);
  offline_test_fetch_wait (&result2);
  g_assert_error (result2.error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  /* before it starts */
  g_cancellable_cancel (before);
  start_file (fixture, url, -1, -1, path, before, &result3);
  offline_test_fetch_wait (&result3);
  g_assert_error (result3.error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* ---- URLs ---- */

static void
test_invalid_uri (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char *uris[] = {
    "file:///etc/passwd", "data:text/plain,hello", "ftp://127.0.0.1/x", "/etc/passwd",
    "http://127.0.0.1/a b", "",
  };
  g_autofree char *path = dest (fixture, "x");

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++) {
    g_auto(OfflineTestFetch) result = { 0 };
    g_auto(OfflineTestFetch) result2 = { 0 };

    start_file (fixture, uris[i], -1, -1, path, NULL, &result);
    offline_test_fetch_wait (&result);
    g_assert_error (result.error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI);
    offline_test_fetch_bytes_start (fixture->fetcher, uris[i], 1024, NULL, &result2);
    offline_test_fetch_wait (&result2);
    g_assert_error (result2.error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI);
  }
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, NULL), ==, 0);
}

static void
test_redirect (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *url = offline_test_server_get_url (fixture->server, "moved.mpd");
  g_autofree char *evil = offline_test_server_get_url (fixture->server, "evil.mpd");
  g_autofree char *target = offline_test_server_get_url (fixture->server, MANIFEST);
  g_autofree char *path = dest (fixture, "moved");
  g_auto(OfflineTestFetch) result = { 0 };
  g_auto(OfflineTestFetch) result2 = { 0 };
  g_auto(OfflineTestFetch) result3 = { 0 };

  offline_test_server_add_redirect (fixture->server, "moved.mpd", 302, "/" MANIFEST);
  fetch_bytes (fixture, url, 1 << 20, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.final_uri, ==, target);
  g_assert_cmpstr (result.content_type, ==, "application/dash+xml");

  start_file (fixture, url, -1, -1, path, NULL, &result2);
  offline_test_fetch_wait (&result2);
  g_assert_no_error (result2.error);
  offline_test_assert_file (path, MANIFEST, 0, -1);

  offline_test_server_add_redirect (fixture->server, "evil.mpd", 301, "file:///etc/passwd");
  fetch_bytes (fixture, evil, 1 << 20, &result3);
  g_assert_error (result3.error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI);
  g_assert_nonnull (strstr (result3.error->message, "file:///etc/passwd"));
}

/* ---- fetch_bytes ---- */

static void
test_bytes (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *url = offline_test_server_get_url (fixture->server, MANIFEST);
  g_autoptr(GBytes) expected = offline_test_load (MANIFEST);
  g_auto(OfflineTestFetch) result = { 0 };
  g_auto(OfflineTestFetch) result2 = { 0 };

  fetch_bytes (fixture, url, 1 << 20, &result);
  g_assert_no_error (result.error);
  g_assert_true (g_bytes_equal (result.bytes, expected));
  g_assert_cmpstr (result.content_type, ==, "application/dash+xml");
  g_assert_cmpstr (result.final_uri, ==, url);

  /* retried, and a cut-off body starts over */
  offline_test_server_fail_next (fixture->server, MANIFEST, 1, 503, NULL);
  offline_test_server_truncate_next (fixture->server, MANIFEST, 1, 100);
  fetch_bytes (fixture, url, 1 << 20, &result2);
  g_assert_no_error (result2.error);
  g_assert_true (g_bytes_equal (result2.bytes, expected));
  assert_ranges (fixture->server, MANIFEST, (const char *[]) { "", "", "", "", NULL });
}

static void
test_bytes_too_big (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = offline_test_server_get_url (fixture->server, CLIP);
  g_auto(OfflineTestFetch) result = { 0 };

  fetch_bytes (fixture, url, 1000, &result);
  offline_test_fetch_assert_failed (&result, "more than 1000");
  g_assert_null (result.bytes);
  g_assert_cmpuint (offline_test_server_get_request_count (fixture->server, CLIP), ==, 1);
}

/* ---- the disk ---- */

static void
test_out_of_space (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *mount_point = dest (fixture, "small");
  g_autofree char *path = g_build_filename (mount_point, "stream", NULL);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_auto(OfflineTestFetch) result = { 0 };
  GStatBuf st;

  g_assert_cmpint (g_mkdir (mount_point, 0700), ==, 0);
  if (!offline_test_mount_tmpfs (mount_point, 64 * 1024)) {
    g_test_skip ("cannot mount a 64 KiB tmpfs (needs root): ENOSPC not tested");
    return;
  }
  fetch_file (fixture, STREAM, -1, -1, path, &result);
  g_assert_error (result.error, OFFLINE_ERROR, OFFLINE_ERROR_OUT_OF_SPACE);
  /* what fitted stays, and was counted */
  g_assert_cmpint (g_stat (part, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_cmpint (st.st_size, <, offline_test_data_size (STREAM));
  g_assert_cmpint (result.progress, ==, st.st_size);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  offline_test_unmount (mount_point);
}

/* ---- the retry rules ---- */

static void
test_retry_rules (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 3, 1, 12, 0, 0);
  gint64 first, last, total;

  g_assert_true (offline_fetch_status_is_transient (500));
  g_assert_true (offline_fetch_status_is_transient (503));
  g_assert_true (offline_fetch_status_is_transient (429));
  g_assert_true (offline_fetch_status_is_transient (408));
  g_assert_false (offline_fetch_status_is_transient (404));
  g_assert_false (offline_fetch_status_is_transient (403));
  g_assert_false (offline_fetch_status_is_transient (416));

  {
    g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "");
    g_autoptr(GError) unknown = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "");
    g_autoptr(GError) no_dns = g_error_new_literal (G_RESOLVER_ERROR,
                                                    G_RESOLVER_ERROR_TEMPORARY_FAILURE, "");
    g_autoptr(GError) reset = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "");
    g_autoptr(GError) cert = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "");

    g_assert_cmpuint (offline_fetch_error_max_retries (unknown, 5), ==, 0);
    g_assert_cmpuint (offline_fetch_error_max_retries (cert, 5), ==, 0);
    g_assert_cmpuint (offline_fetch_error_max_retries (refused, 5), ==, OFFLINE_FETCH_UNREACHABLE_RETRIES);
    g_assert_cmpuint (offline_fetch_error_max_retries (refused, 1), ==, 1);
    g_assert_cmpuint (offline_fetch_error_max_retries (no_dns, 5), ==, OFFLINE_FETCH_UNREACHABLE_RETRIES);
    g_assert_cmpuint (offline_fetch_error_max_retries (reset, 5), ==, 5);
    g_assert_true (offline_fetch_error_is_unreachable (refused));
    g_assert_false (offline_fetch_error_is_unreachable (reset));
  }

  for (guint i = 0; i < 100; i++) {
    guint d1 = offline_fetch_backoff_ms (100, 1), d3 = offline_fetch_backoff_ms (100, 3);

    g_assert_cmpuint (d1, >=, 75);
    g_assert_cmpuint (d1, <=, 125);
    g_assert_cmpuint (d3, >=, 300);
    g_assert_cmpuint (d3, <=, 500);
    g_assert_cmpuint (offline_fetch_backoff_ms (500, 40), <=, OFFLINE_FETCH_BACKOFF_CAP_MS);
  }

  g_assert_cmpint (offline_fetch_parse_retry_after ("1", now), ==, 1000);
  g_assert_cmpint (offline_fetch_parse_retry_after (" 0 ", now), ==, 0);
  g_assert_cmpint (offline_fetch_parse_retry_after ("3600", now), ==, 60000);
  g_assert_cmpint (offline_fetch_parse_retry_after ("Fri, 01 Mar 2024 12:00:10 GMT", now), ==, 10000);
  g_assert_cmpint (offline_fetch_parse_retry_after ("Fri, 01 Mar 2024 11:00:00 GMT", now), ==, 0);
  g_assert_cmpint (offline_fetch_parse_retry_after ("Sat, 02 Mar 2024 12:00:00 GMT", now), ==, 60000);
  g_assert_cmpint (offline_fetch_parse_retry_after ("-1", now), ==, -1);
  g_assert_cmpint (offline_fetch_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (offline_fetch_parse_retry_after (NULL, now), ==, -1);

  g_assert_true (offline_fetch_parse_content_range ("bytes 0-99/1000", &first, &last, &total));
  g_assert_cmpint (first, ==, 0);
  g_assert_cmpint (last, ==, 99);
  g_assert_cmpint (total, ==, 1000);
  g_assert_true (offline_fetch_parse_content_range ("bytes 5-9/*", &first, &last, &total));
  g_assert_cmpint (total, ==, -1);
  g_assert_true (offline_fetch_parse_content_range ("bytes */1000", &first, &last, &total));
  g_assert_cmpint (first, ==, -1);
  g_assert_cmpint (total, ==, 1000);
  g_assert_false (offline_fetch_parse_content_range ("bytes 9-5/1000", &first, &last, &total));
  g_assert_false (offline_fetch_parse_content_range ("bytes 0-1000/1000", &first, &last, &total));
  g_assert_false (offline_fetch_parse_content_range ("items 0-1/2", &first, &last, &total));
  g_assert_false (offline_fetch_parse_content_range ("bytes 0-/2", &first, &last, &total));
  g_assert_false (offline_fetch_parse_content_range ("bytes -1-5/20", &first, &last, &total));
  g_assert_false (offline_fetch_parse_content_range (NULL, &first, &last, &total));
}

/* ---- the server itself ---- */

static void
test_server_refuses_traversal (Fixture       *fixture,
                               gconstpointer  data)
{
  /* each would reach tests/meson.build if the server followed it */
  static const char *paths[] = {
    "%2e%2e/meson.build", "dash/%2e%2e/%2e%2e/meson.build", "..%2Fmeson.build", "dash/..%5c..%5cmeson.build",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autofree char *url = offline_test_server_get_url (fixture->server, paths[i]);
    g_auto(OfflineTestFetch) result = { 0 };

    fetch_bytes (fixture, url, 1 << 20, &result);
    g_assert_error (result.error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
    g_test_message ("%s", result.error->message);
    g_assert_true (strstr (result.error->message, ": 403 Forbidden") != NULL ||
                   strstr (result.error->message, ": 404 Not Found") != NULL ||
                   strstr (result.error->message, ": 400 Bad Request") != NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fetcher/retry-rules", test_retry_rules);
#define ADD(name, func) \
  g_test_add ("/fetcher/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("file/whole", test_whole_file);
  ADD ("file/byte-range", test_byte_range);
  ADD ("file/keep-alive", test_keep_alive);
  ADD ("file/parallel", test_parallel);
  ADD ("resume/part", test_resume);
  ADD ("resume/complete-part", test_resume_complete_part);
  ADD ("resume/bad-part", test_resume_bad_part);
  ADD ("fault/latency", test_latency);
  ADD ("fault/503-twice", test_retry_503);
  ADD ("fault/429-retry-after", test_retry_after);
  ADD ("fault/connection-reset", test_connection_reset);
  ADD ("fault/truncated-body", test_truncated_body);
  ADD ("fault/ignored-range", test_ignored_range);
  ADD ("fault/wrong-content-range", test_wrong_content_range);
  ADD ("fault/not-found", test_not_found);
  ADD ("fault/retries-exhausted", test_retries_exhausted);
  ADD ("fault/cut-off-exhausted", test_cut_off_exhausted);
  ADD ("fault/timeout", test_timeout);
  ADD ("fault/dead-server", test_dead_server);
  ADD ("fault/refused-fails-fast", test_refused_fails_fast);
  ADD ("fault/unresolvable-fails-at-once", test_unresolvable_fails_at_once);
  ADD ("cancel", test_cancel);
  ADD ("uri/invalid", test_invalid_uri);
  ADD ("uri/redirect", test_redirect);
  ADD ("bytes/whole", test_bytes);
  ADD ("bytes/too-big", test_bytes_too_big);
  ADD ("disk/out-of-space", test_out_of_space);
  ADD ("server/traversal", test_server_refuses_traversal);
#undef ADD

  return g_test_run ();
}
