/* test-network.c: downloads follow the network (OfflineManager's
 * network-monitor and allow-metered), against the real test server; the
 * network itself is a monitor the test switches
 * (offline-test-network-monitor.c), the machine's is not touched.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-error.h"
#include "offline-test-manager.h"
#include "offline-test-network-monitor.h"

#define TEMPLATE "dash/template-number/manifest.mpd"
#define LATENCY_MS 300

typedef struct {
  OfflineTestManager base;      /* first: the helpers take it */
  OfflineTestNetworkMonitor *monitor;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  offline_test_manager_setup (&f->base, data);
  /* the default manager follows the machine's network: replaced */
  offline_test_drop_manager (&f->base);
  f->monitor = offline_test_network_monitor_new ();
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  offline_test_manager_teardown (&f->base, data);
  g_object_unref (f->monitor);
}

/* A manager on the test monitor: one request at a time (each takes
 * LATENCY_MS at the server), @max_retries retries. */
static void
make_manager (Fixture  *f,
              guint     max_retries,
              gboolean  allow_metered)
{
  g_autoptr(GError) error = NULL;

  f->base.manager = g_initable_new (OFFLINE_TYPE_MANAGER, NULL, &error,
                                    "store-path", f->base.store_path,
                                    "provider", f->base.provider,
                                    "network-monitor", f->monitor,
                                    "allow-metered", allow_metered,
                                    "max-retries", max_retries,
                                    "retry-delay", 5,
                                    "max-parallel-segments", 1,
                                    NULL);
  g_assert_no_error (error);
  offline_test_manager_log_signals (&f->base, f->base.manager);
  g_assert_true (offline_manager_get_network_monitor (f->base.manager) ==
                 G_NETWORK_MONITOR (f->monitor));
  offline_test_server_set_latency (f->base.server, LATENCY_MS);
}

typedef struct {
  Fixture *f;
  const char *id;
  guint count;
} Wanted;

static gboolean
progress_reached (gpointer data)
{
  Wanted *wanted = data;
  GArray *progress = wanted->f->base.progress;

  return progress->len > 0 &&
         g_array_index (progress, OfflineTestProgress, progress->len - 1).done >= wanted->count;
}

/* Iterates until a progress report says @done resources are stored. */
static void
wait_stored (Fixture *f,
             guint    done)
{
  Wanted wanted = { f, NULL, done };

  offline_test_iterate_until (progress_reached, &wanted);
}

static gboolean
entry_stored (gpointer data)
{
  Wanted *wanted = data;
  g_autoptr(OfflineEntry) entry = offline_test_get_entry (&wanted->f->base, wanted->id, NULL);

  return entry != NULL;
}

/* Iterates until entry @id is stored (prepared). */
static void
wait_entry_stored (Fixture    *f,
                   const char *id)
{
  Wanted wanted = { f, id, 0 };

  offline_test_iterate_until (entry_stored, &wanted);
}

static OfflineDownloadState
stored_state (Fixture    *f,
              const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = offline_test_get_entry (&f->base, id, &error);

  g_assert_no_error (error);
  return offline_entry_get_state (entry);
}

/* No request reaches the server while the entries wait. */
static void
assert_quiet (Fixture *f)
{
  guint before = offline_test_server_get_request_count (f->base.server, NULL);

  offline_test_iterate_for (3 * LATENCY_MS);
  g_assert_cmpuint (offline_test_server_get_request_count (f->base.server, NULL), ==, before);
}

/* The network goes away mid-download and comes back: the entry waits
 * (stored WAITING, no request, no retry spent: it has none to spend, and
 * the server sees each resource asked for once, and the one cancelled
 * again), then completes byte for byte. */
static void
test_lost_and_back (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint requests;

  make_manager (f, 0, TRUE);
  g_assert_true (offline_manager_get_allow_metered (f->base.manager));
  offline_test_register (&f->base, "e", TEMPLATE);
  offline_test_start_download (&f->base, "e", NULL, &result);
  offline_test_wait_state (&f->base, "e", "queued>downloading");
  offline_test_server_reset_counters (f->base.server);
  wait_stored (f, 1);

  offline_test_network_monitor_set_available (f->monitor, FALSE);
  offline_test_wait_state (&f->base, "e", "downloading>waiting");
  g_assert_cmpint (stored_state (f, "e"), ==, OFFLINE_DOWNLOAD_STATE_WAITING);
  assert_quiet (f);
  g_assert_null (result);       /* the download op goes on */

  offline_test_network_monitor_set_available (f->monitor, TRUE);
  offline_test_finish_ok (&f->base, offline_manager_download_finish, &result);
  offline_test_assert_states (&f->base, "e:queued>downloading e:downloading>waiting "
                                        "e:waiting>queued e:queued>downloading "
                                        "e:downloading>completed");
  g_assert_cmpuint (f->base.errors->len, ==, 0);
  requests = offline_test_assert_stored (&f->base, f->base.manager, "e", TEMPLATE, NULL);
  /* counted from the start of the run (one request at a time: the first
   * one may have been counted before): every resource once, but the one in
   * flight when the network went (if any), asked for again */
  g_assert_cmpuint (offline_test_server_get_request_count (f->base.server, NULL), >=,
                    requests - 1);
  g_assert_cmpuint (offline_test_server_get_request_count (f->base.server, NULL), <=,
                    requests + 1);
}

/* allow-metered: FALSE makes downloads wait on a metered network, at once
 * or mid-download; TRUE, or a network that is not metered, lets them go
 * on. */
static void
test_metered (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) paused = NULL;

  offline_test_network_monitor_set_metered (f->monitor, TRUE);
  make_manager (f, 0, FALSE);
  g_assert_false (offline_manager_get_allow_metered (f->base.manager));
  offline_test_register (&f->base, "e", TEMPLATE);
  offline_test_start_download (&f->base, "e", NULL, &result);
  offline_test_wait_state (&f->base, "e", "queued>waiting");
  g_assert_cmpint (stored_state (f, "e"), ==, OFFLINE_DOWNLOAD_STATE_WAITING);
  assert_quiet (f);

  offline_manager_set_allow_metered (f->base.manager, TRUE);
  offline_test_wait_state (&f->base, "e", "queued>downloading");
  wait_stored (f, 1);
  g_object_set (f->base.manager, "allow-metered", FALSE, NULL);
  offline_test_wait_state (&f->base, "e", "downloading>waiting");
  assert_quiet (f);

  /* the same network, no longer metered */
  offline_test_network_monitor_set_metered (f->monitor, FALSE);
  offline_test_finish_ok (&f->base, offline_manager_download_finish, &result);
  offline_test_assert_states (&f->base, "e:queued>waiting e:waiting>queued "
                                        "e:queued>downloading e:downloading>waiting "
                                        "e:waiting>queued e:queued>downloading "
                                        "e:downloading>completed");
  g_assert_cmpuint (f->base.errors->len, ==, 0);
  offline_test_assert_stored (&f->base, f->base.manager, "e", TEMPLATE, NULL);

  /* a completed entry has nothing to wait for */
  offline_test_network_monitor_set_metered (f->monitor, TRUE);
  offline_test_iterate_for (50);
  g_assert_cmpint (stored_state (f, "e"), ==, OFFLINE_DOWNLOAD_STATE_COMPLETED);
}

/* One slot: the running entry and the queued one both wait; back, the one
 * that ran goes first again. */
static void
test_queue_waits (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) a = NULL, b = NULL;

  make_manager (f, 0, TRUE);
  g_object_set (f->base.manager, "max-parallel-downloads", 1, NULL);
  offline_test_register (&f->base, "a", TEMPLATE);
  offline_test_register (&f->base, "b", TEMPLATE);
  offline_test_start_download (&f->base, "a", NULL, &a);
  offline_test_wait_state (&f->base, "a", "queued>downloading");
  offline_test_start_download (&f->base, "b", NULL, &b);
  wait_entry_stored (f, "b");
  wait_stored (f, 1);
  /* b queued behind a */
  g_assert_cmpint (stored_state (f, "b"), ==, OFFLINE_DOWNLOAD_STATE_QUEUED);

  offline_test_network_monitor_set_available (f->monitor, FALSE);
  offline_test_wait_state (&f->base, "a", "downloading>waiting");
  offline_test_wait_state (&f->base, "b", "queued>waiting");
  assert_quiet (f);

  offline_test_network_monitor_set_available (f->monitor, TRUE);
  offline_test_finish_ok (&f->base, offline_manager_download_finish, &a);
  offline_test_finish_ok (&f->base, offline_manager_download_finish, &b);
  offline_test_assert_states (&f->base, "a:queued>downloading b:queued>waiting "
                                        "a:downloading>waiting a:waiting>queued "
                                        "b:waiting>queued a:queued>downloading "
                                        "a:downloading>completed b:queued>downloading "
                                        "b:downloading>completed");
  offline_test_assert_stored (&f->base, f->base.manager, "a", TEMPLATE, NULL);
  offline_test_assert_stored (&f->base, f->base.manager, "b", TEMPLATE, NULL);
}

/* Pause and resume while waiting; a download started without a network
 * is prepared (the test server is on the loopback) and waits. */
static void
test_pause_while_waiting (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL, op = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_network_monitor_set_available (f->monitor, FALSE);
  make_manager (f, 0, TRUE);
  offline_test_register (&f->base, "e", TEMPLATE);
  offline_test_start_download (&f->base, "e", NULL, &result);
  offline_test_wait_state (&f->base, "e", "queued>waiting");

  offline_manager_pause_async (f->base.manager, "e", NULL, offline_test_result_cb, &op);
  offline_test_finish_ok (&f->base, offline_manager_pause_finish, &op);
  offline_test_finish_fails (&f->base, offline_manager_download_finish, &result,
                             OFFLINE_ERROR_CANCELLED, "paused");
  g_assert_cmpint (stored_state (f, "e"), ==, OFFLINE_DOWNLOAD_STATE_PAUSED);

  offline_manager_resume_async (f->base.manager, "e", NULL, offline_test_result_cb, &result);
  offline_test_wait_state_n (&f->base, "e", "queued>waiting", 2);
  offline_test_network_monitor_set_available (f->monitor, TRUE);
  offline_test_finish_ok (&f->base, offline_manager_resume_finish, &result);
  offline_test_assert_states (&f->base, "e:queued>waiting e:waiting>paused e:paused>queued "
                                        "e:queued>waiting e:waiting>queued "
                                        "e:queued>downloading e:downloading>completed");
  offline_test_assert_stored (&f->base, f->base.manager, "e", TEMPLATE, NULL);
}

static gboolean
requests_above (gpointer data)
{
  Wanted *wanted = data;

  return offline_test_server_get_request_count (wanted->f->base.server, NULL) > wanted->count;
}

/* Iterates until the server got more than @count requests. */
static void
wait_requests_above (Fixture *f,
                     guint    count)
{
  Wanted wanted = { f, NULL, count };

  offline_test_iterate_until (requests_above, &wanted);
}

/* A connection that keeps flapping: each run the network ends before it
 * stored anything spends a retry; with 2 retries the third such run fails
 * the download with OFFLINE_ERROR_DOWNLOAD_FAILED (the server answers 503,
 * "retry in a minute", meanwhile: no retry of the fetcher ends before the
 * network goes). */
static void
test_flapping (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint runs = 3;

  offline_test_network_monitor_set_available (f->monitor, FALSE);
  make_manager (f, 2, TRUE);
  offline_test_register (&f->base, "e", TEMPLATE);
  offline_test_start_download (&f->base, "e", NULL, &result);
  offline_test_wait_state (&f->base, "e", "queued>waiting");
  /* the manifest is read: from now on every request fails */
  offline_test_server_fail_next (f->base.server, NULL, OFFLINE_TEST_SERVER_ALWAYS, 503, "60");

  for (guint run = 1; run <= runs; run++) {
    /* no run is under way: the next request is the next run's */
    guint before = offline_test_server_get_request_count (f->base.server, NULL);

    offline_test_network_monitor_set_available (f->monitor, TRUE);
    offline_test_wait_state_n (&f->base, "e", "queued>downloading", run);
    /* its first request got its 503 */
    wait_requests_above (f, before);
    offline_test_iterate_for (LATENCY_MS + 100);
    offline_test_network_monitor_set_available (f->monitor, FALSE);
    if (run < runs)
      offline_test_wait_state_n (&f->base, "e", "downloading>waiting", run);
  }
  offline_test_finish_fails (&f->base, offline_manager_download_finish, &result,
                             OFFLINE_ERROR_DOWNLOAD_FAILED, "network went away 3 times");
  g_assert_cmpint (stored_state (f, "e"), ==, OFFLINE_DOWNLOAD_STATE_FAILED);
  g_assert_cmpuint (f->base.errors->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->base.errors, 0), OFFLINE_ERROR,
                  OFFLINE_ERROR_DOWNLOAD_FAILED);
  offline_test_assert_states (&f->base, "e:queued>waiting e:waiting>queued "
                                        "e:queued>downloading e:downloading>waiting "
                                        "e:waiting>queued e:queued>downloading "
                                        "e:downloading>waiting e:waiting>queued "
                                        "e:queued>downloading e:downloading>failed");
}

static void
add (const char *name,
     void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (name, Fixture, NULL, setup, test, teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add ("/network/lost-and-back", test_lost_and_back);
  add ("/network/metered", test_metered);
  add ("/network/queue-waits", test_queue_waits);
  add ("/network/pause-while-waiting", test_pause_while_waiting);
  add ("/network/flapping", test_flapping);
  return g_test_run ();
}
