/* test-soak-network.c: downloads through a hostile loopback server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * OfflineManager downloads the real fixtures of tests/data (DASH, HLS,
 * progressive) many times from the test server, which answers each
 * request as a seeded random picker chooses: 5% 503 (some with
 * Retry-After), 2% connection resets mid-body, 2% bodies cut below their
 * Content-Length, 1% stalls longer than the read timeout (set to 1 s
 * here). Then the separate scenarios: a server that ignores Range, one
 * that sends the wrong Content-Type, one whose bodies run past their
 * Content-Length, redirect loops, and paths that always fail.
 *
 * Every download ends byte-identical to its fixture, or fails with
 * OFFLINE_ERROR_DOWNLOAD_FAILED, keeping what it stored: resumed with the
 * faults gone it completes without fetching again what was done. The
 * retry budget holds: counted at the server, no request follows more than
 * max-retries others of the same resource that could not have stored a
 * byte (an attempt that stores bytes starts the count again, as
 * offline-fetcher-private.h says).
 *
 * OFFLINE_SOAK_SEED sets the seed (printed either way), OFFLINE_SOAK_SCALE
 * (a number, default 1) scales the number of downloads.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "offline-test-manager.h"

#define READ_TIMEOUT_S 1        /* the fetcher's, during the faults */
#define NORMAL_TIMEOUT_S 30     /* offline-fetcher.c's */
#define STALL_MS 1500           /* longer than READ_TIMEOUT_S */
#define MAX_REDIRECTS 20        /* offline-fetch-job.c's */

static const char *const dash_fixtures[] = {
  "dash/template-number/manifest.mpd",
  "dash/template-timeline/manifest.mpd",
  "dash/segment-base/manifest.mpd",
  "dash/segment-list/manifest.mpd",
  "dash/segment-list-range/manifest.mpd",
  "dash/multi-period/manifest.mpd",
  NULL
};

static const char *const hls_fixtures[] = {
  "hls/fmp4/master.m3u8",
  "hls/byterange/master.m3u8",
  "hls/ts-alt-audio/master.m3u8",
  "hls/muxed/master.m3u8",
  "hls/aes128/master.m3u8",
  NULL
};

static const char *const progressive_fixtures[] = {
  "progressive/clip.mp4",
  "progressive/clip.webm",
  "progressive/clip.mp3",
  NULL
};

/* The retries each download gets, by turns: the default, and fewer, so
 * that downloads fail too. */
static const guint retry_choices[] = { 5, 2, 1, 0 };

/* ---- the picker ---- */

typedef enum {
  MODE_RANDOM,                  /* the faults above */
  MODE_OVERLONG,                /* every answer runs past its Content-Length */
  MODE_OFF,
} Mode;

typedef struct {
  char *key;                    /* "PATH|LAST" (LAST of a "bytes=FIRST-LAST" range, or empty) */
  gboolean may_progress;        /* it sent body bytes: the client may have stored some */
} Request;

typedef struct {
  GMutex lock;                  /* the picker runs in the server's thread */
  GRand *rand;
  Mode mode;
  gboolean ignore_range;        /* as the server was told */
  const char *content_type;     /* for every file answered, or NULL */
  char *root;                   /* tests/data */
  GPtrArray *requests;          /* (element-type Request) since the last offline_soak_reset_log() */
  /* totals */
  guint n_requests;
  guint n_faults[OFFLINE_TEST_FAULT_OVERLONG + 1];
  guint n_retry_after;
  guint longest_run;            /* attempts of a resource in a row with no progress */
  guint n_downloads, n_failed;
} Chaos;

static void
request_free (Request *request)
{
  g_free (request->key);
  g_free (request);
}

static char *
request_key (const char *path,
             const char *range)
{
  const char *dash = range != NULL ? strchr (range, '-') : NULL;

  return g_strdup_printf ("%s|%s", path, dash != NULL ? dash + 1 : "");
}

/* How many body bytes the server sends for @path and @range. */
static gsize
body_length (Chaos      *chaos,
             const char *path,
             const char *range)
{
  g_autofree char *file = g_build_filename (chaos->root, path, NULL);
  GStatBuf st;
  guint64 first, last;
  gsize size;

  if (g_stat (file, &st) != 0)
    return 0;
  size = st.st_size;
  if (range == NULL || chaos->ignore_range)
    return size;
  if (sscanf (range, "bytes=%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, &first, &last) == 2)
    return first < size ? MIN (last + 1, size) - first : 0;
  if (sscanf (range, "bytes=%" G_GUINT64_FORMAT "-", &first) == 1)
    return first < size ? size - first : 0;
  return size;
}

static void
pick_random (Chaos            *chaos,
             gsize             length,
             OfflineTestFault *fault)
{
  double r = g_rand_double (chaos->rand);
  static char date[64];
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;

  if (r < 0.05) {
    fault->kind = OFFLINE_TEST_FAULT_STATUS;
    fault->status = 503;
    switch (g_rand_int_range (chaos->rand, 0, 4)) {
    case 0:
      fault->retry_after = "0";
      break;
    case 1:
      fault->retry_after = "1";
      break;
    case 2:                     /* an HTTP date just past */
      now = g_date_time_new_now_utc ();
      text = soup_date_time_to_string (now, SOUP_DATE_HTTP);
      g_strlcpy (date, text, sizeof date);
      fault->retry_after = date;
      break;
    default:
      break;
    }
    return;
  }
  if (r < 0.10 && length == 0)
    return;                     /* nothing to cut */
  if (r < 0.07)
    fault->kind = OFFLINE_TEST_FAULT_RESET;
  else if (r < 0.09)
    fault->kind = OFFLINE_TEST_FAULT_TRUNCATE;
  else if (r < 0.10)
    fault->kind = OFFLINE_TEST_FAULT_STALL;
  else
    return;
  /* below the Content-Length, sometimes before the first byte */
  fault->after_bytes = g_rand_boolean (chaos->rand) ? 0 : g_rand_int_range (chaos->rand, 0, length);
  fault->stall_ms = STALL_MS;
}

static void
picker (const char       *path,
        const char       *range,
        OfflineTestFault *fault,
        gpointer          user_data)
{
  Chaos *chaos = user_data;
  Request *request = g_new0 (Request, 1);
  gsize length;

  g_mutex_lock (&chaos->lock);
  length = body_length (chaos, path, range);
  if (chaos->mode == MODE_RANDOM) {
    pick_random (chaos, length, fault);
  } else if (chaos->mode == MODE_OVERLONG) {
    fault->kind = OFFLINE_TEST_FAULT_OVERLONG;
    fault->after_bytes = g_rand_int_range (chaos->rand, 1, 4096);
  }
  fault->content_type = chaos->content_type;
  chaos->n_requests++;
  chaos->n_faults[fault->kind]++;
  if (fault->retry_after != NULL)
    chaos->n_retry_after++;
  request->key = request_key (path, range);
  request->may_progress = fault->kind == OFFLINE_TEST_FAULT_NONE ||
                          fault->kind == OFFLINE_TEST_FAULT_OVERLONG ||
                          (fault->kind != OFFLINE_TEST_FAULT_STATUS && fault->after_bytes > 0);
  g_ptr_array_add (chaos->requests, request);
  g_mutex_unlock (&chaos->lock);
}

/* ---- the fixture ---- */

typedef struct {
  OfflineTestManager m;
  Chaos chaos;
  guint32 seed;
  double scale;
} Soak;

static guint32 base_seed;
static double soak_scale = 1.0;

static void
soak_setup (Soak          *s,
            gconstpointer  data)
{
  offline_test_manager_setup (&s->m, data);
  g_mutex_init (&s->chaos.lock);
  s->chaos.rand = g_rand_new_with_seed (base_seed);
  s->chaos.mode = MODE_OFF;
  s->chaos.root = g_test_build_filename (G_TEST_DIST, "data", NULL);
  s->chaos.requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  offline_test_server_set_fault_picker (s->m.server, picker, &s->chaos);
}

static void
soak_teardown (Soak          *s,
               gconstpointer  data)
{
  Chaos *c = &s->chaos;

  g_test_message ("%u downloads (%u failed, then resumed), %u requests: %u 503 (%u with "
                  "Retry-After), %u resets, %u truncations, %u stalls, %u overlong; "
                  "at most %u attempts in a row without progress",
                  c->n_downloads, c->n_failed, c->n_requests,
                  c->n_faults[OFFLINE_TEST_FAULT_STATUS], c->n_retry_after,
                  c->n_faults[OFFLINE_TEST_FAULT_RESET], c->n_faults[OFFLINE_TEST_FAULT_TRUNCATE],
                  c->n_faults[OFFLINE_TEST_FAULT_STALL], c->n_faults[OFFLINE_TEST_FAULT_OVERLONG],
                  c->longest_run);
  /* the server first: its thread calls the picker */
  offline_test_server_set_fault_picker (s->m.server, NULL, NULL);
  offline_test_manager_teardown (&s->m, data);
  g_rand_free (c->rand);
  g_free (c->root);
  g_ptr_array_unref (c->requests);
  g_mutex_clear (&c->lock);
}

static void
set_mode (Soak *s,
          Mode  mode)
{
  g_mutex_lock (&s->chaos.lock);
  s->chaos.mode = mode;
  g_mutex_unlock (&s->chaos.lock);
}

static void
reset_log (Soak    *s,
           guint32  seed)
{
  g_mutex_lock (&s->chaos.lock);
  g_ptr_array_set_size (s->chaos.requests, 0);
  g_rand_set_seed (s->chaos.rand, seed);
  g_mutex_unlock (&s->chaos.lock);
}

static void
set_read_timeout (Soak  *s,
                  guint  seconds)
{
  soup_session_set_timeout (offline_fetcher_get_session (s->m.manager->fetcher), seconds);
}

/* "PATH|LAST" of each resource of entry @id (a multiset: how many
 * resources fetch it), and in @done those all done. */
static GHashTable *
resource_keys (Soak        *s,
               const char  *id,
               GHashTable **done)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *base = offline_test_server_get_base_url (s->m.server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) resources = offline_store_get_resources (s->m.manager->store, id, FALSE, &error);
  g_autoptr(GHashTable) undone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (done != NULL)
    *done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (resources == NULL)
    return keys;                /* not stored */
  for (guint i = 0; i < resources->len; i++) {
    OfflineStoreResource *r = &g_array_index (resources, OfflineStoreResource, i);
    g_autofree char *range = NULL;
    char *key;

    g_assert_true (g_str_has_prefix (r->uri, base));
    if (r->range_offset >= 0 && r->range_length >= 0)
      range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                               r->range_offset, r->range_offset + r->range_length - 1);
    key = request_key (r->uri + strlen (base), range);
    if (done != NULL)
      g_hash_table_insert (r->done ? *done : undone, g_strdup (key), NULL);
    g_hash_table_insert (keys, key,
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (keys, key)) + 1));
  }
  if (done != NULL) {
    GHashTableIter iter;
    gpointer key;

    /* shared keys count as done only if done everywhere */
    g_hash_table_iter_init (&iter, undone);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_hash_table_remove (*done, key);
  }
  return keys;
}

/* The retry budget, from the requests the server logged for entry @id:
 * a resource fetched by n jobs (n of its resources have its key) has at
 * most n × (@max_retries + 1) requests between two that may have stored
 * bytes. */
static void
assert_budget (Soak       *s,
               const char *id,
               guint       max_retries)
{
  g_autoptr(GHashTable) keys = resource_keys (s, id, NULL);
  g_autoptr(GHashTable) runs = g_hash_table_new (g_str_hash, g_str_equal);

  g_mutex_lock (&s->chaos.lock);
  for (guint i = 0; i < s->chaos.requests->len; i++) {
    Request *request = g_ptr_array_index (s->chaos.requests, i);
    guint jobs = MAX (1, GPOINTER_TO_UINT (g_hash_table_lookup (keys, request->key)));
    guint run = GPOINTER_TO_UINT (g_hash_table_lookup (runs, request->key)) + 1;

    if (run > jobs * (max_retries + 1))
      g_error ("%s: %u requests in a row that stored nothing, the budget is %u x %u",
               request->key, run, jobs, max_retries + 1);
    s->chaos.longest_run = MAX (s->chaos.longest_run, (run + jobs - 1) / jobs);
    g_hash_table_insert (runs, request->key, GUINT_TO_POINTER (request->may_progress ? 0 : run));
  }
  g_mutex_unlock (&s->chaos.lock);
}

/* No request for a resource done before (in @done). */
static void
assert_not_fetched (Soak       *s,
                    GHashTable *done)
{
  g_mutex_lock (&s->chaos.lock);
  for (guint i = 0; i < s->chaos.requests->len; i++) {
    Request *request = g_ptr_array_index (s->chaos.requests, i);

    if (g_hash_table_contains (done, request->key))
      g_error ("%s: stored before the failure, fetched again", request->key);
  }
  g_mutex_unlock (&s->chaos.lock);
}

/* Downloads fixture @path as entry @id under the picker's @mode, with
 * @max_retries: byte-identical, or DOWNLOAD_FAILED and then, with the
 * faults gone, resumed to byte-identical without fetching again what was
 * done. */
static void
soak_download (Soak       *s,
               const char *id,
               const char *path,
               Mode        mode,
               guint32     seed,
               guint       max_retries)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) done = NULL;
  g_autoptr(GHashTable) keys = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  gboolean ok;

  offline_test_register (&s->m, id, path);
  g_object_set (s->m.manager, "max-retries", max_retries, NULL);
  set_read_timeout (s, READ_TIMEOUT_S);
  reset_log (s, seed);
  set_mode (s, mode);
  ok = offline_test_download (&s->m, id, NULL, &error);
  set_mode (s, MODE_OFF);
  set_read_timeout (s, NORMAL_TIMEOUT_S);
  assert_budget (s, id, max_retries);
  s->chaos.n_downloads++;

  if (!ok) {
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
    g_clear_error (&error);
    s->chaos.n_failed++;
    keys = resource_keys (s, id, &done);
    reset_log (s, seed);
    g_object_set (s->m.manager, "max-retries", 5, NULL);
    entry = offline_test_get_entry (&s->m, id, &error);
    if (entry == NULL) {
      /* it failed before anything was stored: download it again */
      g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND);
      g_clear_error (&error);
      g_assert_true (offline_test_download (&s->m, id, NULL, &error));
    } else {
      g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_FAILED);
      g_assert_true (offline_test_resume (&s->m, id, &error));
    }
    g_assert_no_error (error);
    assert_not_fetched (s, done);
  }
  offline_test_assert_stored (&s->m, s->m.manager, id, path, NULL);
}

/* @rounds (× OFFLINE_SOAK_SCALE) downloads of each of @fixtures, each
 * with a seed of its own. */
static void
soak_fixtures (Soak              *s,
               const char *const *fixtures,
               Mode               mode,
               guint              rounds)
{
  guint n = MAX (1, (guint) (rounds * soak_scale));

  for (guint round = 0; round < n; round++) {
    for (guint i = 0; fixtures[i] != NULL; i++) {
      guint index = s->chaos.n_downloads;
      g_autofree char *id = g_strdup_printf ("e%u", index);
      guint32 seed = base_seed + g_str_hash (g_test_get_path ()) + index;

      soak_download (s, id, fixtures[i], mode, seed,
                     retry_choices[seed % G_N_ELEMENTS (retry_choices)]);
    }
  }
}

/* The same for every fixture of every kind. */
static void
soak_all_kinds (Soak  *s,
                Mode   mode,
                guint  rounds)
{
  soak_fixtures (s, dash_fixtures, mode, rounds);
  soak_fixtures (s, hls_fixtures, mode, rounds);
  soak_fixtures (s, progressive_fixtures, mode, rounds);
}

static void
test_random_dash (Soak          *s,
                  gconstpointer  data)
{
  soak_fixtures (s, dash_fixtures, MODE_RANDOM, 20);
}

static void
test_random_hls (Soak          *s,
                 gconstpointer  data)
{
  soak_fixtures (s, hls_fixtures, MODE_RANDOM, 20);
}

static void
test_random_progressive (Soak          *s,
                         gconstpointer  data)
{
  soak_fixtures (s, progressive_fixtures, MODE_RANDOM, 60);
}

/* Range ignored (the whole body, 200, every time): resumes and byte
 * ranges still store the right bytes. */
static void
test_ignore_range (Soak          *s,
                   gconstpointer  data)
{
  offline_test_server_set_ignore_range (s->m.server, TRUE);
  s->chaos.ignore_range = TRUE;
  soak_all_kinds (s, MODE_RANDOM, 2);
}

/* Manifests, playlists and segments as text/html: the format comes from
 * the contents, segments are stored as they are. */
static void
test_wrong_content_type (Soak          *s,
                         gconstpointer  data)
{
  s->chaos.content_type = "text/html; charset=utf-8";
  soak_all_kinds (s, MODE_RANDOM, 1);
}

/* Every body runs past its Content-Length: the junk is not stored. */
static void
test_overlong (Soak          *s,
               gconstpointer  data)
{
  soak_all_kinds (s, MODE_OVERLONG, 1);
  g_assert_cmpuint (s->chaos.n_failed, ==, 0);
}

/* A manifest redirected to itself fails after 20 redirects, not
 * retried; a segment redirected in a loop (a → b → a) fails the download,
 * which resumes once the loop is gone. */
static void
test_redirect_loop (Soak          *s,
                    gconstpointer  data)
{
  const char *manifest = "dash/template-number/manifest.mpd";
  const char *a = "dash/template-number/chunk-stream1-00002.m4s";
  g_autofree char *a_url = offline_test_server_get_url (s->m.server, a);
  g_autofree char *b_url = offline_test_server_get_url (s->m.server, "loop/b");
  g_autofree char *manifest_url = offline_test_server_get_url (s->m.server, manifest);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;

  offline_test_server_add_redirect (s->m.server, manifest, 302, manifest_url);
  offline_test_register (&s->m, "self", manifest);
  g_assert_false (offline_test_download (&s->m, "self", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
  g_assert_nonnull (strstr (error->message, "more than 20 redirects"));
  g_clear_error (&error);
  g_assert_cmpuint (offline_test_server_get_request_count (s->m.server, manifest), ==,
                    MAX_REDIRECTS + 1);
  offline_test_assert_not_stored (&s->m, "self");
  offline_test_server_add_redirect (s->m.server, manifest, 0, NULL);

  offline_test_server_add_redirect (s->m.server, a, 307, b_url);
  offline_test_server_add_redirect (s->m.server, "loop/b", 301, a_url);
  offline_test_register (&s->m, "loop", manifest);
  g_assert_false (offline_test_download (&s->m, "loop", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
  g_assert_nonnull (strstr (error->message, "more than 20 redirects"));
  g_clear_error (&error);
  g_assert_cmpuint (offline_test_server_get_request_count (s->m.server, a) +
                    offline_test_server_get_request_count (s->m.server, "loop/b"), ==,
                    MAX_REDIRECTS + 1);
  entry = offline_test_get_entry (&s->m, "loop", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_FAILED);
  offline_test_server_add_redirect (s->m.server, a, 0, NULL);
  g_assert_true (offline_test_resume (&s->m, "loop", &error));
  g_assert_no_error (error);
  offline_test_assert_stored (&s->m, s->m.manager, "loop", manifest, NULL);
}

/* A segment that always fails, each way, is asked for exactly
 * max-retries + 1 times, then the download fails saying so. */
static void
test_budget (Soak          *s,
             gconstpointer  data)
{
  const char *manifest = "dash/template-number/manifest.mpd";
  const char *segment = "dash/template-number/chunk-stream1-00003.m4s";
  const guint retries = 3;

  set_read_timeout (s, READ_TIMEOUT_S);
  for (guint way = 0; way < 4; way++) {
    g_autofree char *id = g_strdup_printf ("b%u", way);
    g_autoptr(GError) error = NULL;
    g_autofree char *expected = g_strdup_printf ("gave up after %u retries", retries);

    g_object_set (s->m.manager, "max-retries", retries, NULL);
    offline_test_server_reset_counters (s->m.server);
    if (way == 0)
      offline_test_server_fail_next (s->m.server, segment, OFFLINE_TEST_SERVER_ALWAYS, 503, "0");
    else if (way == 1)
      offline_test_server_reset_next (s->m.server, segment, OFFLINE_TEST_SERVER_ALWAYS, 0);
    else if (way == 2)
      offline_test_server_truncate_next (s->m.server, segment, OFFLINE_TEST_SERVER_ALWAYS, 0);
    else
      offline_test_server_set_latency (s->m.server, STALL_MS);
    offline_test_register (&s->m, id, manifest);
    g_assert_false (offline_test_download (&s->m, id, NULL, &error));
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
    g_assert_nonnull (strstr (error->message, expected));
    if (way < 3)
      g_assert_cmpuint (offline_test_server_get_request_count (s->m.server, segment), ==,
                        retries + 1);
    else                        /* every request stalls: the manifest's are the first */
      g_assert_cmpuint (offline_test_server_get_request_count (s->m.server, manifest), ==,
                        retries + 1);
    offline_test_server_clear_switches (s->m.server);
  }
}

int
main (int    argc,
      char **argv)
{
  const char *seed = g_getenv ("OFFLINE_SOAK_SEED");
  const char *scale = g_getenv ("OFFLINE_SOAK_SCALE");

  g_test_init (&argc, &argv, NULL);
  base_seed = seed != NULL ? (guint32) g_ascii_strtoull (seed, NULL, 10) : g_random_int ();
  if (scale != NULL)
    soak_scale = g_ascii_strtod (scale, NULL);
  g_test_message ("OFFLINE_SOAK_SEED=%u OFFLINE_SOAK_SCALE=%g", base_seed, soak_scale);
  g_printerr ("# OFFLINE_SOAK_SEED=%u\n", base_seed);

#define ADD(name, func) \
  g_test_add ("/soak/network/" name, Soak, NULL, soak_setup, func, soak_teardown)
  ADD ("random/dash", test_random_dash);
  ADD ("random/hls", test_random_hls);
  ADD ("random/progressive", test_random_progressive);
  ADD ("ignore-range", test_ignore_range);
  ADD ("wrong-content-type", test_wrong_content_type);
  ADD ("overlong", test_overlong);
  ADD ("redirect-loop", test_redirect_loop);
  ADD ("budget", test_budget);
#undef ADD
  return g_test_run ();
}
