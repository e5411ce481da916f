/* test-prioritize.c: offline_manager_prioritize_position() makes the
 * download fetch the segments around a playback position first
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A synthetic DASH presentation (offline-test-soak.h: a video and an audio
 * track of 2-second segments, "v-N.m4s" and "a-N.m4s" covering
 * [2(N-1), 2N) s, and an init segment each) on the loopback test server,
 * with some latency, downloaded by an OfflineManager with one request in
 * flight (max-parallel-segments 1), so that the order of the requests at
 * the server is the download order exactly:
 *
 *   - prioritised at 120 s during the download: the requests after the
 *     call (but the one in flight) are the segments from 120 s on, both
 *     tracks interleaved, then the earlier ones;
 *   - past the end: the last segments first; at 0: no change;
 *   - a paused entry prioritised, then resumed: the run starts there;
 *   - a queued entry (nothing stored yet): its init segments, then there;
 *   - bad arguments, an unknown entry, a completed entry.
 *
 * Each download completes byte for byte, every resource fetched once.
 */
#include "config.h"

#include <math.h>

#include "offline-test-manager.h"
#include "offline-test-soak.h"

#define SEGMENTS 100            /* of each track: 202 resources */
#define SEGMENT_SIZE 2000
#define LATENCY_MS 15

typedef struct {
  OfflineTestSoak *soak;
  OfflineManager *manager;
  guint segments_done;          /* of the last ::progress */
  GPtrArray *order;             /* (element-type utf8) the paths in download order */
} Fixture;

static void
progress_cb (OfflineManager *manager,
             const char     *entry_id,
             guint64         downloaded,
             guint64         expected,
             guint           done,
             guint           total,
             Fixture        *f)
{
  f->segments_done = done;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->soak = offline_test_soak_new (SEGMENTS, SEGMENT_SIZE, 13);
  f->manager = offline_test_soak_new_manager (f->soak, "max-parallel-segments", 1, NULL);
  g_signal_connect (f->manager, "progress", G_CALLBACK (progress_cb), f);

  /* by start time, then track, init segments first */
  f->order = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->order, g_strdup ("v-init.mp4"));
  g_ptr_array_add (f->order, g_strdup ("v-1.m4s"));
  g_ptr_array_add (f->order, g_strdup ("a-init.mp4"));
  g_ptr_array_add (f->order, g_strdup ("a-1.m4s"));
  for (guint i = 2; i <= SEGMENTS; i++) {
    g_ptr_array_add (f->order, g_strdup_printf ("v-%u.m4s", i));
    g_ptr_array_add (f->order, g_strdup_printf ("a-%u.m4s", i));
  }
  g_assert_cmpuint (f->order->len, ==, f->soak->n_resources);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->manager);
  g_clear_pointer (&f->soak, offline_test_soak_free);
  g_ptr_array_unref (f->order);
}

/* Where @path is in the download order. */
static guint
order_index (Fixture    *f,
             const char *path)
{
  guint index;

  g_assert_true (g_ptr_array_find_with_equal_func (f->order, path, g_str_equal, &index));
  return index;
}

/* The paths of the resources requested so far, in arrival order (the
 * manifest left out). */
static GPtrArray *
requested (Fixture *f)
{
  g_auto(GStrv) paths = offline_test_server_get_paths (f->soak->server);
  GPtrArray *resources = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; paths[i] != NULL; i++) {
    if (!g_str_equal (paths[i], "manifest.mpd"))
      g_ptr_array_add (resources, g_strdup (paths[i]));
  }
  return resources;
}

static gboolean
stored_some (gpointer data)
{
  Fixture *f = data;

  return f->segments_done >= 4;
}

/* Asserts that @log, from @at on, has the resources of the download
 * order from @first on, @count of them. */
static void
assert_run (Fixture   *f,
            GPtrArray *log,
            guint      at,
            guint      first,
            guint      count)
{
  g_assert_cmpuint (log->len, >=, at + count);
  for (guint i = 0; i < count; i++)
    g_assert_cmpstr (g_ptr_array_index (log, at + i), ==, g_ptr_array_index (f->order, first + i));
}

static void
prioritize_ok (Fixture    *f,
               const char *id,
               double      seconds)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (offline_manager_prioritize_position (f->manager, id, seconds, &error));
  g_assert_no_error (error);
}

/* Asserts that @log (paths, from the start of a run) is the download
 * order, but that from at most one request after the @called_at th on
 * (the one in flight then), it goes on at resource @first to the end, then
 * the resources before it that were not requested yet, in order. Each
 * resource once. */
static void
assert_order (Fixture   *f,
              GPtrArray *log,
              guint      called_at,
              guint      first)
{
  guint jump, after = f->order->len - first;

  g_assert_cmpuint (log->len, ==, f->order->len);
  g_assert_true (g_ptr_array_find_with_equal_func (log, g_ptr_array_index (f->order, first),
                                                   g_str_equal, &jump));
  g_test_message ("prioritised after %u requests, at %u", called_at, jump);
  g_assert_cmpuint (jump, >=, called_at);
  g_assert_cmpuint (jump, <=, called_at + 1);
  assert_run (f, log, 0, 0, jump);
  assert_run (f, log, jump, first, after);
  assert_run (f, log, jump + after, jump, first - jump);
}

/* Downloads "e", calls prioritize at @seconds once a few resources are
 * stored, and checks the order of the requests (the one at @first_path
 * comes next) and the store. */
static void
download_prioritized (Fixture    *f,
                      double      seconds,
                      const char *first_path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) log = NULL;
  guint called_at;

  offline_test_server_set_latency (f->soak->server, LATENCY_MS);
  offline_manager_download_async (f->manager, "e", NULL, NULL, offline_test_result_cb, &result);
  offline_test_iterate_until (stored_some, f);
  log = requested (f);
  called_at = log->len;
  g_clear_pointer (&log, g_ptr_array_unref);
  g_assert_cmpuint (called_at, <, order_index (f, "v-30.m4s"));
  prioritize_ok (f, "e", seconds);
  offline_test_soak_download_ok (f->manager, &result);
  g_clear_object (&f->manager);
  offline_test_soak_assert_complete (f->soak, "e");

  log = requested (f);
  assert_order (f, log, called_at, order_index (f, first_path));
}

static void
test_seek_ahead (Fixture       *f,
                 gconstpointer  data)
{
  /* v-61 and a-61 cover [120, 122) */
  download_prioritized (f, 120, "v-61.m4s");
}

static void
test_within_segment (Fixture       *f,
                     gconstpointer  data)
{
  /* v-61 and a-61 cover [120, 122): they contain 121.5 */
  download_prioritized (f, 121.5, "v-61.m4s");
}

static void
test_past_end (Fixture       *f,
               gconstpointer  data)
{
  /* the start of the last segments */
  download_prioritized (f, 10000, "v-100.m4s");
}

static void
test_at_zero (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) log = NULL;

  offline_test_server_set_latency (f->soak->server, LATENCY_MS);
  offline_manager_download_async (f->manager, "e", NULL, NULL, offline_test_result_cb, &result);
  offline_test_iterate_until (stored_some, f);
  prioritize_ok (f, "e", 0);
  offline_test_soak_download_ok (f->manager, &result);
  g_clear_object (&f->manager);
  offline_test_soak_assert_complete (f->soak, "e");

  /* the download order, unchanged */
  log = requested (f);
  g_assert_cmpuint (log->len, ==, f->order->len);
  assert_run (f, log, 0, 0, f->order->len);
}

static void
test_paused (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL, paused = NULL;
  g_autoptr(GPtrArray) log = NULL;
  guint first = order_index (f, "v-61.m4s");
  guint last = 0;

  offline_test_server_set_latency (f->soak->server, LATENCY_MS);
  offline_manager_download_async (f->manager, "e", NULL, NULL, offline_test_result_cb, &result);
  offline_test_iterate_until (stored_some, f);
  offline_manager_pause_async (f->manager, "e", NULL, offline_test_result_cb, &paused);
  g_assert_false (offline_manager_download_finish (f->manager, offline_test_wait_result (&result),
                                                   NULL));
  g_clear_object (&result);
  g_assert_true (offline_manager_pause_finish (f->manager, offline_test_wait_result (&paused),
                                               NULL));

  prioritize_ok (f, "e", 120);
  offline_test_server_reset_counters (f->soak->server);
  offline_manager_resume_async (f->manager, "e", NULL, offline_test_result_cb, &result);
  g_assert_true (offline_manager_resume_finish (f->manager, offline_test_wait_result (&result),
                                                NULL));
  g_clear_object (&f->manager);
  offline_test_soak_assert_complete (f->soak, "e");

  /* the resumed run: from 120 s to the end, then what was left before */
  log = requested (f);
  assert_run (f, log, 0, first, f->order->len - first);
  for (guint i = f->order->len - first; i < log->len; i++) {
    guint index = order_index (f, g_ptr_array_index (log, i));

    g_assert_cmpuint (index, <, first);
    g_assert_true (i == f->order->len - first || index > last);
    last = index;
  }
}

static void
test_queued (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) first = NULL, second = NULL;
  g_autoptr(GPtrArray) log = NULL;
  guint jump = order_index (f, "v-61.m4s"), n = f->order->len;

  /* "f" waits for "e": nothing of it is stored when it is prioritised */
  g_object_set (f->manager, "max-parallel-downloads", 1, NULL);
  offline_test_server_set_latency (f->soak->server, LATENCY_MS);
  offline_manager_download_async (f->manager, "e", NULL, NULL, offline_test_result_cb, &first);
  offline_test_iterate_until (stored_some, f);
  offline_manager_download_async (f->manager, "f", NULL, NULL, offline_test_result_cb, &second);
  prioritize_ok (f, "f", 120);
  offline_test_soak_download_ok (f->manager, &first);
  offline_test_soak_download_ok (f->manager, &second);
  g_clear_object (&f->manager);
  offline_test_soak_assert_complete (f->soak, "e");
  offline_test_soak_assert_complete (f->soak, "f");

  /* "e" in the download order, then "f": its init segments, then from 120 s */
  log = requested (f);
  g_assert_cmpuint (log->len, ==, 2 * n);
  assert_run (f, log, 0, 0, n);
  g_assert_cmpstr (g_ptr_array_index (log, n), ==, "v-init.mp4");
  g_assert_cmpstr (g_ptr_array_index (log, n + 1), ==, "a-init.mp4");
  assert_run (f, log, n + 2, jump, n - jump);
}

static void
assert_refused (Fixture    *f,
                const char *id,
                double      seconds,
                int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (offline_manager_prioritize_position (f->manager, id, seconds, &error));
  g_assert_error (error, OFFLINE_ERROR, code);
}

static void
test_arguments (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint requests;

  assert_refused (f, "", 10, OFFLINE_ERROR_INVALID_ARGUMENT);
  assert_refused (f, NULL, 10, OFFLINE_ERROR_INVALID_ARGUMENT);
  assert_refused (f, "\xff", 10, OFFLINE_ERROR_INVALID_ARGUMENT);
  assert_refused (f, "unknown", 10, OFFLINE_ERROR_NOT_FOUND);
  assert_refused (f, "e", -1, OFFLINE_ERROR_INVALID_ARGUMENT);
  assert_refused (f, "e", NAN, OFFLINE_ERROR_INVALID_ARGUMENT);

  /* completed: nothing to do */
  offline_manager_download_async (f->manager, "e", NULL, NULL, offline_test_result_cb, &result);
  offline_test_soak_download_ok (f->manager, &result);
  requests = offline_test_server_get_request_count (f->soak->server, NULL);
  prioritize_ok (f, "e", 10);
  prioritize_ok (f, "e", INFINITY);
  assert_refused (f, "e", -0.5, OFFLINE_ERROR_INVALID_ARGUMENT);
  offline_test_iterate_for (100);
  g_assert_cmpuint (offline_test_server_get_request_count (f->soak->server, NULL), ==, requests);
  g_clear_object (&f->manager);
  offline_test_soak_assert_complete (f->soak, "e");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/prioritize/seek-ahead", Fixture, NULL, setup, test_seek_ahead, teardown);
  g_test_add ("/prioritize/within-segment", Fixture, NULL, setup, test_within_segment, teardown);
  g_test_add ("/prioritize/past-end", Fixture, NULL, setup, test_past_end, teardown);
  g_test_add ("/prioritize/at-zero", Fixture, NULL, setup, test_at_zero, teardown);
  g_test_add ("/prioritize/paused", Fixture, NULL, setup, test_paused, teardown);
  g_test_add ("/prioritize/queued", Fixture, NULL, setup, test_queued, teardown);
  g_test_add ("/prioritize/arguments", Fixture, NULL, setup, test_arguments, teardown);
  return g_test_run ();
}
