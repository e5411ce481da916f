/* test-fetch-window.c: the hosts' windows of requests in flight adapt
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A synthetic DASH presentation of many short segments (offline-test-soak.h)
 * on the loopback test server, downloaded by an OfflineManager on a real
 * store, counted at the server (the most requests it answered at once, and
 * the 503s it refused requests with):
 *
 *   - a link whose latency is the limit (200 ms a request, short answers):
 *     the window grows past its start (6), and stays within the ceiling
 *     (max-parallel-segments, 24 by default);
 *   - a lower ceiling holds;
 *   - a server that answers one request at a time and refuses the others
 *     with 503: the window comes down to it, and the download completes
 *     with few retries (with 6 requests at once and 3 retries each, it
 *     would fail);
 *   - two entries from one host share its window.
 *
 * Every download is checked byte for byte against what the server serves.
 *
 * The server counts a request as answered until libsoup says it finished,
 * a little after the client has the last byte: a request the client sends
 * at once on another connection may be counted with the one before it
 * still. So ceilings are checked with one request of slack.
 */
#include "config.h"

#include "offline-test-manager.h"
#include "offline-test-soak.h"

#define SEGMENTS 100            /* of each track: 202 resources */
#define SEGMENT_SIZE 3000

typedef struct {
  OfflineTestSoak *soak;
  OfflineManager *manager;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->soak = offline_test_soak_new (SEGMENTS, SEGMENT_SIZE, 7);
  f->manager = offline_test_soak_new_manager (f->soak, NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->manager);
  g_clear_pointer (&f->soak, offline_test_soak_free);
}

static void
start (Fixture       *f,
       const char    *id,
       GAsyncResult **slot)
{
  offline_manager_download_async (f->manager, id, NULL, NULL, offline_test_result_cb, slot);
}

/* Downloads "e" and checks it in the store, the manager gone. */
static void
download_and_check (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;

  start (f, "e", &result);
  offline_test_soak_download_ok (f->manager, &result);
  g_clear_object (&f->manager);
  offline_test_soak_assert_complete (f->soak, "e");
}

static void
test_latency_bound (Fixture       *f,
                    gconstpointer  data)
{
  guint peak, refused;

  /* each request costs its latency, and little else even on a slow
   * machine: doubling the requests in flight doubles the bytes a second */
  offline_test_server_set_latency (f->soak->server, 200);
  download_and_check (f);
  offline_test_server_get_concurrency (f->soak->server, &peak, &refused);
  g_test_message ("at most %u requests at once", peak);
  /* it grew from 6 (doubling: 12, then 24) … */
  g_assert_cmpuint (peak, >=, 10);
  /* … to the ceiling at the most */
  g_assert_cmpuint (peak, <=, 24 + 1);
  g_assert_cmpuint (refused, ==, 0);
}

static void
test_ceiling (Fixture       *f,
              gconstpointer  data)
{
  guint peak, refused;

  g_object_set (f->manager, "max-parallel-segments", 3, NULL);
  offline_test_server_set_latency (f->soak->server, 50);
  download_and_check (f);
  offline_test_server_get_concurrency (f->soak->server, &peak, &refused);
  g_assert_cmpuint (peak, >=, 3);
  g_assert_cmpuint (peak, <=, 3 + 1);
}

static void
test_one_at_a_time (Fixture       *f,
                    gconstpointer  data)
{
  guint peak, refused;

  /* 3 retries of a request (then the download fails): 6 requests at once
   * against a server that takes one would spend them */
  g_object_set (f->manager, "max-retries", 3, NULL);
  offline_test_server_set_latency (f->soak->server, 20);
  offline_test_server_set_max_concurrent (f->soak->server, 1);
  download_and_check (f);
  offline_test_server_get_concurrency (f->soak->server, &peak, &refused);
  g_test_message ("%u requests refused with 503", refused);
  g_assert_cmpuint (peak, ==, 1);
  /* it did push back, and the window came down to it: 6 → 3 → 1 refuses
   * 5 + 2, then a probe of 2 every few seconds (OFFLINE_FETCH_HOST_HOLD_MS)
   * refuses one each */
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (refused, <=, 20);
}

static void
test_shared_host (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) first = NULL, second = NULL;
  guint peak, refused;

  g_object_set (f->manager, "max-parallel-segments", 4, NULL);
  offline_test_server_set_latency (f->soak->server, 50);
  start (f, "e", &first);
  start (f, "f", &second);
  offline_test_soak_download_ok (f->manager, &first);
  offline_test_soak_download_ok (f->manager, &second);
  g_clear_object (&f->manager);
  offline_test_soak_assert_complete (f->soak, "e");
  offline_test_soak_assert_complete (f->soak, "f");
  offline_test_server_get_concurrency (f->soak->server, &peak, &refused);
  /* each entry may have 4 in flight, the host 4 in all */
  g_assert_cmpuint (peak, <=, 4 + 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fetch-window/latency-bound", Fixture, NULL, setup, test_latency_bound, teardown);
  g_test_add ("/fetch-window/ceiling", Fixture, NULL, setup, test_ceiling, teardown);
  g_test_add ("/fetch-window/one-at-a-time", Fixture, NULL, setup, test_one_at_a_time, teardown);
  g_test_add ("/fetch-window/shared-host", Fixture, NULL, setup, test_shared_host, teardown);
  return g_test_run ();
}
