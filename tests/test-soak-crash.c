/* test-soak-crash.c: kill -9 of the offlinemgr tool during one long
 * download, again and again, each time resumed by a new process; and
 * kills that land exactly inside SQLite commits and file renames (the
 * LD_PRELOAD fault injector of tests/fault-inject)
 *
 * After every kill, the store is checked as the crash left it
 * (offline_test_soak_check(): PRAGMA integrity_check of its index is "ok",
 * what the index records done is on disk byte for byte, every .part a
 * prefix of what was served), and at the end the entry is complete and
 * byte-identical to what the server serves.
 *
 * The moments are drawn from a seed, printed in the output and set with
 * OFFLINE_SOAK_SEED to replay a failure. Nothing is asserted on timing: a
 * moment is when a number of files are stored, or a delay after a start,
 * and wherever it lands the checks are the same.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include "offline-test-soak.h"

#define N_KILLS 20
#define WAIT_TIMEOUT_US (120 * G_USEC_PER_SEC)

/* Complete resource files in the store (all entry directories). */
static guint
count_files (OfflineTestSoak *soak)
{
  g_autofree char *entries = g_build_filename (soak->store_path, "entries", NULL);
  g_autoptr(GDir) dir = g_dir_open (entries, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (entries, name, NULL);
    g_autoptr(GDir) entry = g_dir_open (path, 0, NULL);
    const char *file;

    while (entry != NULL && (file = g_dir_read_name (entry)) != NULL) {
      if (!g_str_has_suffix (file, ".part"))
        n++;
    }
  }
  return n;
}

/* Whether @child ended (without waiting). */
static gboolean
has_ended (GSubprocess *child)
{
  /* (GLib reaps it in a thread of its own) */
  return g_subprocess_get_identifier (child) == NULL;
}

/* kill -9 at N_KILLS seeded moments of one download of a few seconds (the
 * server answers each request after 60 ms): a quarter of them a random
 * delay after the process started (store opening, recovery, manifest),
 * the others once a random number more of files are stored, plus a random
 * delay. */
static void
test_kill_9 (void)
{
  guint32 seed = offline_test_soak_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(OfflineTestSoak) soak = offline_test_soak_new (80, 48 * 1024, seed);
  g_auto(OfflineTestSoakState) state = { 0 };
  guint kills = 0, early = 0, completed_first = 0;
  gint64 start = g_get_monotonic_time ();
  g_auto(Run) run = { 0 };

  offline_test_server_set_latency (soak->server, 60);
  for (guint i = 0; i < N_KILLS; i++) {
    g_autoptr(Bg) bg = NULL;
    guint files = count_files (soak);
    /* the kills spread over three quarters of the files, the last quarter
     * left for the end */
    guint budget = soak->n_resources * 3 / 4;
    guint remaining = budget - MIN (files, budget);
    gboolean at_start = g_rand_int_range (rand, 0, 4) == 0;
    guint step = 1 + g_rand_int_range (rand, 0, MAX (1, 2 * remaining / (N_KILLS - i + 1)));
    guint delay_ms = at_start ? g_rand_int_range (rand, 0, 150) : g_rand_int_range (rand, 0, 40);
    gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;

    if (state.has_entry)
      bg = offline_test_soak_start (soak, NULL, "resume", "a", NULL);
    else
      bg = offline_test_soak_start (soak, NULL, "download", "a", "--url", soak->url, NULL);
    if (!at_start) {
      while (count_files (soak) < files + step && !has_ended (bg->child)) {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (1000);
      }
    }
    g_usleep (delay_ms * 1000);
    g_subprocess_send_signal (bg->child, SIGKILL);
    bg_finish (bg, &run);
    if (run.signal != SIGKILL) {
      /* done before the kill (only a very slow test gets here) */
      g_assert_cmpint (run.status, ==, 0);
      completed_first++;
      break;
    }
    kills++;
    early += at_start;
    offline_test_soak_check (soak, "a", &state);
    g_test_message ("kill %u (%s + %u ms): %s, %u/%u done, %u files, %u .part", kills,
                    at_start ? "start" : "files", delay_ms,
                    state.has_entry ? state.state : "no entry", state.done, soak->n_resources,
                    state.files, state.parts);
    /* killed on its way out, after the last commit */
    if (g_strcmp0 (state.state, "completed") == 0)
      break;
  }

  offline_test_server_set_latency (soak->server, 0);
  offline_test_soak_finish (soak, "a");
  g_test_message ("%u kills (%u early), %s; %u resources, %" G_GUINT64_FORMAT " bytes, %.1f s",
                  kills, early, completed_first ? "completed before a kill" : "all landed",
                  soak->n_resources, soak->n_bytes,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

/* ---- kills inside commits and renames ---- */

/* Where the call a kill landed in belongs, from its log line "hit kill
 * KIND N CALL PATH". */
static const char *
landed_in (const char *line)
{
  g_auto(GStrv) fields = g_strsplit (line, " ", 6);
  g_autofree char *base = NULL;

  g_assert_cmpuint (g_strv_length (fields), ==, 6);
  base = g_path_get_basename (fields[5]);
  if (strcmp (fields[2], "rename") == 0)
    return "rename of a .part";
  if (strcmp (base, "index.sqlite-wal") == 0)
    return "SQLite commit (WAL)";
  if (strcmp (base, "index.sqlite-journal") == 0)
    return "SQLite commit (rollback journal)";
  if (strcmp (base, "index.sqlite") == 0)
    return strcmp (fields[2], "sync") == 0 ? "SQLite commit (database sync)" :
                                             "SQLite database file (checkpoint, first commit)";
  if (strcmp (base, "index.sqlite-shm") == 0)
    return "SQLite WAL index";
  if (g_str_has_suffix (base, ".part"))
    return strcmp (fields[2], "sync") == 0 ? "sync of a .part" : "write of a .part";
  if (strcmp (base, "reserve") == 0)
    return "space reserve";
  if (strcmp (base, "lock") == 0)
    return "lock file";
  if (strcmp (fields[2], "sync") == 0)
    return "directory sync before a commit";
  return "other";
}

/* The number of calls of @kind a whole download makes, from the log of a
 * counting run. */
static guint
counted (char      **lines,
         const char *kind)
{
  g_autofree char *prefix = g_strdup_printf ("count %s ", kind);

  for (guint i = 0; lines[i] != NULL; i++) {
    if (g_str_has_prefix (lines[i], prefix))
      return (guint) g_ascii_strtoull (lines[i] + strlen (prefix), NULL, 10);
  }
  g_error ("no count of %s calls in the fault log", kind);
}

typedef struct {
  const char *op;
  const char *action;
  guint points;           /* how many N of the sweep */
} Sweep;

/* The store killed by the injector at the Nth write, sync or rename of a
 * download, for a seeded sample of N across what a whole download makes
 * (counted by a first run): after each kill the store is checked, and a new
 * process resumes it, killed at once a second time for a third of them
 * (in its recovery), then to the end, byte for byte. */
static void
test_inject_kill (void)
{
  static const Sweep sweeps[] = {
    { "write", "kill", 12 },
    { "write", "tear", 4 },
    { "sync", "kill", 8 },
    { "rename", "kill", 6 },
  };
  guint32 seed = offline_test_soak_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(OfflineTestSoak) soak = offline_test_soak_new (10, 24 * 1024, seed);
  g_autoptr(GHashTable) places = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  g_auto(GStrv) census = NULL;
  g_auto(Run) run = { 0 };
  guint kills = 0, not_reached = 0, second_kills = 0;
  gint64 start = g_get_monotonic_time ();

  /* the census: a whole download, counted */
  {
    g_auto(GStrv) env = offline_test_fault_env (soak, NULL, 0, NULL, 0);

    g_assert_cmpint (offline_test_soak_run (soak, (const char * const *) env, &run,
                                            "download", "a", "--url", soak->url, NULL), ==, 0);
    offline_test_soak_assert_complete (soak, "a");
    census = offline_test_fault_log_lines (soak, "count ", TRUE);
    g_assert_cmpuint (g_strv_length (census), ==, 3);
    g_test_message ("a whole download: %s, %s, %s", census[0], census[1], census[2]);
  }

  for (guint s = 0; s < G_N_ELEMENTS (sweeps); s++) {
    guint total = counted (census, sweeps[s].op);

    for (guint p = 0; p < sweeps[s].points; p++) {
      g_auto(OfflineTestSoakState) state = { 0 };
      guint at = 1 + g_rand_int_range (rand, 0, total);
      g_auto(GStrv) env = offline_test_fault_env (soak, sweeps[s].op, at, sweeps[s].action, 0);
      g_auto(GStrv) hits = NULL;

      offline_test_soak_reset_store (soak);
      offline_test_soak_run (soak, (const char * const *) env, &run,
                             "download", "a", "--url", soak->url, NULL);
      hits = offline_test_fault_log_lines (soak, "hit ", TRUE);
      if (run.signal == 0) {
        /* this run made fewer such calls than the census (parallel
         * fetches vary): it completed */
        g_assert_cmpint (run.status, ==, 0);
        g_assert_cmpuint (g_strv_length (hits), ==, 0);
        not_reached++;
        offline_test_soak_assert_complete (soak, "a");
        continue;
      }
      g_assert_cmpint (run.signal, ==, SIGKILL);
      g_assert_cmpuint (g_strv_length (hits), ==, 1);
      kills++;
      {
        const char *place = landed_in (hits[0]);

        g_hash_table_insert (places, (gpointer) place,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (places, place)) + 1));
        g_test_message ("%s %s %u: %s", sweeps[s].action, sweeps[s].op, at, place);
      }
      offline_test_soak_check (soak, "a", &state);

      if (g_rand_int_range (rand, 0, 3) == 0 && g_strcmp0 (state.state, "completed") != 0) {
        /* killed again at one of its first writes: in the recovery */
        g_auto(GStrv) again = offline_test_fault_env (soak, "write", 1 + g_rand_int_range (rand, 0, 6),
                                                      "kill", 0);

        offline_test_soak_continue (soak, &state, "a", (const char * const *) again, &run);
        g_strfreev (offline_test_fault_log_lines (soak, "hit ", TRUE));
        if (run.signal == SIGKILL)
          second_kills++;
        else
          g_assert_cmpint (run.status, ==, 0);
        offline_test_soak_check (soak, "a", &state);
      }
      offline_test_soak_finish (soak, "a");
    }
  }

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, places);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_test_message ("killed in %s: %u", (const char *) key, GPOINTER_TO_UINT (value));
  }
  g_test_message ("%u kills by the injector (+%u in recovery), %u not reached, %.1f s", kills,
                  second_kills, not_reached,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  /* the census is of the same download: most points are reached */
  g_assert_cmpuint (kills, >, not_reached);
}

int
main (int    argc,
      char **argv)
{
  offline_test_soak_init (&argc, &argv);

  g_test_add_func ("/soak/crash/kill-9", test_kill_9);
  g_test_add_func ("/soak/crash/inject-kill", test_inject_kill);
  return g_test_run ();
}
