/* offline-bench-scale.c: the store at scale, for bench/scale.sh (not a test)
 *
 *   offline-bench-scale entries N STORE   stores N entries (a 3-track DASH
 *       entry each, every other one completed), then times the manager's
 *       get_all_downloads on them (20 calls)
 *   offline-bench-scale long HOURS STORE  a 3-track DASH entry of HOURS
 *       hours in 2-second segments (SegmentTemplate): times its parse,
 *       track selection and store index (one process: the peak RSS is the
 *       whole job's)
 *   offline-bench-scale parallel N STORE URL  N entries of the manifest at
 *       URL downloading at once (max-parallel-downloads N): when each
 *       stored its first segment and when it completed, and the peak RSS
 *
 * Prints "name value unit" lines. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "offline-dash-parser.h"
#include "offline-store-private.h"
#include "offline-test-manager.h"
#include "offline-url-provider.h"

#define SEGMENT_S 2

static void
must (gboolean      ok,
      const GError *error)
{
  if (!ok)
    g_error ("%s", error != NULL ? error->message : "failed");
}

/* A static 3-track MPD (video, audio, text) of @seconds. */
static char *
make_mpd (guint seconds)
{
  return g_strdup_printf (
    "<?xml version=\"1.0\"?>\n"
    "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\""
    " mediaPresentationDuration=\"PT%uS\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\">\n"
    " <Period>\n"
    "  <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
    "   <SegmentTemplate timescale=\"1000\" duration=\"%u\" startNumber=\"1\""
    " initialization=\"init-$RepresentationID$.m4s\" media=\"chunk-$RepresentationID$-$Number%%05d$.m4s\"/>\n"
    "   <Representation id=\"v\" bandwidth=\"1000000\" codecs=\"avc1.4d401e\" width=\"640\" height=\"360\"/>\n"
    "  </AdaptationSet>\n"
    "  <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"en\">\n"
    "   <SegmentTemplate timescale=\"1000\" duration=\"%u\" startNumber=\"1\""
    " initialization=\"init-$RepresentationID$.m4s\" media=\"chunk-$RepresentationID$-$Number%%05d$.m4s\"/>\n"
    "   <Representation id=\"a\" bandwidth=\"128000\" codecs=\"mp4a.40.2\"/>\n"
    "  </AdaptationSet>\n"
    "  <AdaptationSet contentType=\"text\" mimeType=\"text/vtt\" lang=\"en\">\n"
    "   <SegmentTemplate timescale=\"1000\" duration=\"%u\" startNumber=\"1\""
    " media=\"sub-$RepresentationID$-$Number%%05d$.vtt\"/>\n"
    "   <Representation id=\"t\" bandwidth=\"256\"/>\n"
    "  </AdaptationSet>\n"
    " </Period>\n"
    "</MPD>\n",
    seconds, SEGMENT_S * 1000, SEGMENT_S * 1000, SEGMENT_S * 1000);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static OfflineTrackSelection *
parse_and_select (const char  *mpd,
                  double      *parse_ms,
                  double      *select_ms)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (mpd, strlen (mpd));
  g_autoptr(OfflinePresentation) presentation = NULL;
  g_autoptr(GError) error = NULL;
  OfflineTrackSelection *selection;
  gint64 start = g_get_monotonic_time ();

  presentation = offline_dash_parse (bytes, "http://127.0.0.1:9/bench/manifest.mpd", &error);
  must (presentation != NULL, error);
  *parse_ms = ms_since (start);
  start = g_get_monotonic_time ();
  selection = offline_track_selection_new (presentation, NULL);
  *select_ms = ms_since (start);
  return selection;
}

static OfflineMediaInfo *
make_info (const char *id)
{
  return g_object_new (OFFLINE_TYPE_MEDIA_INFO, "entry-id", id,
                       "manifest-url", "http://127.0.0.1:9/bench/manifest.mpd",
                       "name", id, "tags", (const char * const[]) { "bench", NULL }, NULL);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static int
bench_entries (guint       n,
               const char *path)
{
  g_autofree char *mpd = make_mpd (60);
  g_autoptr(OfflineTrackSelection) selection = NULL;
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  double parse_ms, select_ms, times[20];
  gint64 start;

  selection = parse_and_select (mpd, &parse_ms, &select_ms);
  {
    g_autoptr(OfflineStore) store = offline_store_open (path, NULL, &error);

    must (store != NULL, error);
    start = g_get_monotonic_time ();
    for (guint i = 0; i < n; i++) {
      g_autofree char *id = g_strdup_printf ("entry-%04u", i);
      g_autoptr(OfflineMediaInfo) info = make_info (id);

      must (offline_store_create_entry (store, info, selection, &error), error);
      if (i % 2 == 0)
        must (offline_store_set_state (store, id, OFFLINE_DOWNLOAD_STATE_COMPLETED, NULL, &error),
              error);
    }
    g_print ("store_%u_entries %.0f ms\n", n, ms_since (start));
  }

  manager = offline_manager_new (path, NULL, NULL, &error);
  must (manager != NULL, error);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++) {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) entries = NULL;

    start = g_get_monotonic_time ();
    offline_manager_get_all_downloads_async (manager, NULL, offline_test_result_cb, &result);
    entries = offline_manager_get_all_downloads_finish (manager, offline_test_wait_result (&result),
                                                        &error);
    times[i] = ms_since (start);
    must (entries != NULL && entries->len == n, error);
  }
  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_doubles);
  g_print ("get_all_downloads_%u_median %.2f ms\n", n, (times[9] + times[10]) / 2);
  g_print ("get_all_downloads_%u_max %.2f ms\n", n, times[G_N_ELEMENTS (times) - 1]);
  return EXIT_SUCCESS;
}

static int
bench_long (guint       hours,
            const char *path)
{
  g_autofree char *mpd = make_mpd (hours * 3600);
  g_autoptr(OfflineTrackSelection) selection = NULL;
  g_autoptr(OfflineMediaInfo) info = make_info ("long");
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(GError) error = NULL;
  double parse_ms, select_ms, store_ms;
  g_autoptr(GArray) resources = NULL;
  struct rusage usage;
  gint64 start;

  store = offline_store_open (path, NULL, &error);
  must (store != NULL, error);
  selection = parse_and_select (mpd, &parse_ms, &select_ms);
  start = g_get_monotonic_time ();
  must (offline_store_create_entry (store, info, selection, &error), error);
  store_ms = ms_since (start);
  resources = offline_store_get_resources (store, "long", FALSE, &error);
  must (resources != NULL, error);
  g_print ("long_%uh_resources %u\n", hours, resources->len);
  g_print ("long_%uh_parse %.0f ms\n", hours, parse_ms);
  g_print ("long_%uh_select %.0f ms\n", hours, select_ms);
  g_print ("long_%uh_store_index %.0f ms\n", hours, store_ms);
  g_print ("long_%uh_total %.0f ms\n", hours, parse_ms + select_ms + store_ms);
  getrusage (RUSAGE_SELF, &usage);
  g_print ("long_%uh_peak_rss %.1f MB\n", hours, usage.ru_maxrss / 1024.0);
  return EXIT_SUCCESS;
}

typedef struct {
  gint64 start;
  GHashTable *first;            /* id → monotonic µs of its first stored segment */
  GHashTable *done;             /* id → monotonic µs of its completion */
  guint ended;
  gboolean failed;
} Parallel;

/* Records in @table when @id got there (ms since the start, + 1: not 0). */
static void
record_time (Parallel   *p,
             GHashTable *table,
             const char *id)
{
  gint64 ms = (g_get_monotonic_time () - p->start) / 1000;

  if (!g_hash_table_contains (table, id))
    g_hash_table_insert (table, g_strdup (id), GINT_TO_POINTER ((int) ms + 1));
}

/* (a ::progress handler: only @id and @done are read) */
static void
parallel_progress_cb (OfflineManager *manager, const char *id, guint64 downloaded,
                      guint64 expected, guint done, guint total, Parallel *p)
{
  if (done > 0)
    record_time (p, p->first, id);
}

/* (a ::state-changed handler) an entry ends completed or failed */
static void
state_cb (OfflineManager *manager, const char *id, OfflineDownloadState old_state,
          OfflineDownloadState new_state, Parallel *p)
{
  if (new_state == OFFLINE_DOWNLOAD_STATE_FAILED) {
    g_printerr ("%s failed\n", id);
    p->failed = TRUE;
    p->ended++;
  } else if (new_state == OFFLINE_DOWNLOAD_STATE_COMPLETED) {
    record_time (p, p->done, id);
    p->ended++;
  }
}

/* min median max of the values (ms) of @table */
static void
print_spread (const char *name,
              GHashTable *table)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  GHashTableIter iter;
  gpointer value;
  guint n;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    double ms = GPOINTER_TO_INT (value) - 1;

    g_array_append_val (values, ms);
  }
  n = values->len;
  if (n == 0) {
    g_print ("%s none\n", name);
    return;
  }
  g_array_sort (values, compare_doubles);
  g_print ("%s_min %.0f ms\n%s_median %.0f ms\n%s_max %.0f ms\n", name,
           g_array_index (values, double, 0), name, g_array_index (values, double, n / 2), name,
           g_array_index (values, double, n - 1));
}

static int
bench_parallel (guint       n,
                const char *path,
                const char *url)
{
  g_autoptr(OfflineUrlProvider) provider = offline_url_provider_new ();
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Parallel p = { 0 };
  g_autofree char *first_name = g_strdup_printf ("parallel_%u_first_segment", n);
  g_autofree char *done_name = g_strdup_printf ("parallel_%u_completed", n);
  struct rusage usage;

  p.first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p.done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  manager = g_initable_new (OFFLINE_TYPE_MANAGER, NULL, &error, "store-path", path,
                            "provider", provider, "max-parallel-downloads", n, NULL);
  must (manager != NULL, error);
  g_signal_connect (manager, "progress", G_CALLBACK (parallel_progress_cb), &p);
  g_signal_connect (manager, "state-changed", G_CALLBACK (state_cb), &p);
  p.start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++) {
    g_autofree char *id = g_strdup_printf ("p-%02u", i);

    offline_url_provider_add (provider, id, url, id, NULL, NULL);
    offline_manager_download_async (manager, id, NULL, NULL, NULL, NULL);
  }
  while (p.ended < n)
    g_main_context_iteration (NULL, TRUE);
  g_print ("parallel_%u_wall %.0f ms\n", n, ms_since (p.start));
  print_spread (first_name, p.first);
  print_spread (done_name, p.done);
  getrusage (RUSAGE_SELF, &usage);
  g_print ("parallel_%u_peak_rss %.1f MB\n", n, usage.ru_maxrss / 1024.0);
  g_hash_table_unref (p.first);
  g_hash_table_unref (p.done);
  return p.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int
usage (const char *argv0)
{
  g_printerr ("usage: %s entries N STORE | long HOURS STORE | parallel N STORE URL\n", argv0);
  return 2;
}

int
main (int    argc,
      char **argv)
{
  guint64 n;

  if (argc < 4 || !g_ascii_string_to_unsigned (argv[2], 10, 1, 100000, &n, NULL))
    return usage (argv[0]);
  if (argc == 4 && g_str_equal (argv[1], "entries"))
    return bench_entries ((guint) n, argv[3]);
  if (argc == 4 && g_str_equal (argv[1], "long"))
    return bench_long ((guint) n, argv[3]);
  if (argc == 5 && g_str_equal (argv[1], "parallel"))
    return bench_parallel ((guint) n, argv[3], argv[4]);
  return usage (argv[0]);
}
