/* test-disk-faults.c: the offlinemgr tool on a disk that fails: full
 * (ENOSPC), failing writes (EIO), a read-only store, and the store
 * directory removed under it
 *
 * Each fault must end the command with one line naming a documented
 * OFFLINE_ERROR code (libofflinemgr-glib/offline-error.h), never a crash,
 * a CRITICAL (G_DEBUG=fatal-criticals) or a false success; the entry
 * completed before stays complete, byte for byte; the store passes
 * offline_test_soak_check(); and once the fault is gone a new process
 * resumes the download to its end.
 *
 * ENOSPC and EIO come from the LD_PRELOAD fault injector
 * (tests/fault-inject): a small tmpfs would need root. The Nth call is
 * drawn from a seed (printed; OFFLINE_SOAK_SEED replays it) across what a
 * whole download makes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "offline-test-fetch.h"
#include "offline-test-soak.h"

/* A store with entry "a" complete. */
static OfflineTestSoak *
soak_with_a (guint32 seed)
{
  OfflineTestSoak *soak = offline_test_soak_new (8, 24 * 1024, seed);
  g_auto(Run) run = { 0 };

  g_assert_cmpint (offline_test_soak_run (soak, NULL, &run, "download", "a", "--url", soak->url,
                                          NULL), ==, 0);
  offline_test_soak_assert_complete (soak, "a");
  return soak;
}

/* The code in the one line the tool printed on stderr for a failure. */
static char *
failure_code (Run *run)
{
  g_assert_cmpint (run->signal, ==, 0);
  g_assert_cmpint (run->status, ==, EXIT_FAILURE);
  g_assert_true (g_str_has_prefix (run->err, "offlinemgr: OFFLINE_ERROR_"));
  g_assert_cmpstr (strchr (run->err, '\n'), ==, "\n");
  return g_strndup (run->err + strlen ("offlinemgr: "),
                    strcspn (run->err + strlen ("offlinemgr: "), ":"));
}

/* The state of entry @id as a new process sees it ("info --json": after
 * its recovery), NULL if it is not stored. */
static char *
tool_state (OfflineTestSoak *soak,
            const char      *id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  if (offline_test_soak_run (soak, NULL, &run, "info", id, "--json", NULL) != 0) {
    assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
    return NULL;
  }
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "state"));
}

/* Resumes (or downloads) "b" with no fault: complete, byte for byte, and
 * "a" too. */
static void
recover_b (OfflineTestSoak *soak)
{
  offline_test_soak_finish (soak, "b");
  offline_test_soak_assert_complete (soak, "a");
}

static void
remove_b (OfflineTestSoak *soak)
{
  g_auto(Run) run = { 0 };

  g_assert_cmpint (offline_test_soak_run (soak, NULL, &run, "remove", "b", NULL), ==, 0);
}

typedef struct {
  const char *action;     /* of the injector */
  guint times;            /* 0: from the Nth call on */
  const char *code;       /* the error it must give */
  const char *state;      /* the state "b" must be left in, if it was stored */
  guint points[3];        /* how many N for writes, syncs, renames */
} Fault;

static const Fault enospc = { "enospc", 0, "OFFLINE_ERROR_OUT_OF_SPACE", "paused", { 6, 4, 2 } };
static const Fault enospc_once = { "enospc", 1, "OFFLINE_ERROR_OUT_OF_SPACE", "paused", { 3, 2, 1 } };
static const Fault eio = { "eio", 0, "OFFLINE_ERROR_STORE", NULL, { 5, 3, 2 } };
static const Fault eio_once = { "eio", 1, "OFFLINE_ERROR_STORE", NULL, { 3, 2, 1 } };

/* Downloads "b" next to "a" with @fault at the Nth write, sync or rename,
 * for a seeded sample of N across what a whole download makes. */
static void
test_fault (gconstpointer data)
{
  static const char *const ops[] = { "write", "sync", "rename" };
  const Fault *fault = data;
  guint32 seed = offline_test_soak_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(OfflineTestSoak) soak = soak_with_a (seed);
  g_auto(GStrv) census = NULL;
  g_auto(Run) run = { 0 };
  guint failed = 0, completed = 0;

  {
    g_auto(GStrv) env = offline_test_fault_env (soak, NULL, 0, NULL, 0);

    g_assert_cmpint (offline_test_soak_run (soak, (const char * const *) env, &run,
                                            "download", "b", "--url", soak->url, NULL), ==, 0);
    census = offline_test_fault_log_lines (soak, "count ", TRUE);
    g_assert_cmpuint (g_strv_length (census), ==, 3);
    remove_b (soak);
  }

  for (guint s = 0; s < G_N_ELEMENTS (ops); s++) {
    g_autofree char *prefix = g_strdup_printf ("count %s ", ops[s]);
    guint total = 0;

    for (guint i = 0; census[i] != NULL; i++) {
      if (g_str_has_prefix (census[i], prefix))
        total = (guint) g_ascii_strtoull (census[i] + strlen (prefix), NULL, 10);
    }
    g_assert_cmpuint (total, >, 0);
    for (guint p = 0; p < fault->points[s]; p++) {
      guint at = 1 + g_rand_int_range (rand, 0, total);
      g_auto(GStrv) env = offline_test_fault_env (soak, ops[s], at, fault->action,
                                                  fault->times);
      g_auto(GStrv) hits = NULL;
      g_auto(OfflineTestSoakState) state = { 0 };
      g_autofree char *code = NULL;

      offline_test_soak_run (soak, (const char * const *) env, &run,
                             "download", "b", "--url", soak->url, NULL);
      hits = offline_test_fault_log_lines (soak, "hit ", TRUE);
      offline_test_soak_check (soak, "b", &state);
      offline_test_soak_assert_complete (soak, "a");
      if (run.status == 0 && run.signal == 0) {
        /* not reached, or a failure the store could ride out (the lock
         * file's holder line, a space reserve it could do without) */
        g_test_message ("%s %s %u: completed (%s)", fault->action, ops[s], at,
                        hits[0] != NULL ? hits[0] : "not reached");
        g_test_message ("out: %s\nerr: %s", run.out, run.err);
        g_assert_cmpstr (state.state, ==, "completed");
        completed++;
      } else {
        code = failure_code (&run);
        g_test_message ("%s %s %u: %s, %s (%s)", fault->action, ops[s], at, code,
                        state.has_entry ? state.state : "not stored", hits[0]);
        g_assert_nonnull (hits[0]);
        g_assert_cmpstr (code, ==, fault->code);
        /* no false success */
        g_assert_true (!state.has_entry || g_strcmp0 (state.state, "completed") != 0);
        if (state.has_entry) {
          g_autofree char *seen = tool_state (soak, "b");

          if (fault->state != NULL)
            g_assert_cmpstr (seen, ==, fault->state);
          else
            g_assert_true (g_strcmp0 (seen, "paused") == 0 || g_strcmp0 (seen, "failed") == 0);
        }
        failed++;
      }
      recover_b (soak);
      remove_b (soak);
    }
  }
  g_test_message ("%s: %u failed with %s, %u completed", fault->action, failed, fault->code,
                  completed);
  g_assert_cmpuint (failed, >, 0);
}

/* The store read-only: a download fails with OFFLINE_ERROR_STORE, and
 * succeeds once the store is writable again. Not as root, for whom the
 * modes do not count: there the file system is made read-only by the
 * injector (EROFS on every write, as after a remount). */
static void
test_read_only (void)
{
  g_autoptr(OfflineTestSoak) soak = soak_with_a (offline_test_soak_seed ());
  g_auto(Run) run = { 0 };
  g_autofree char *code = NULL;
  g_auto(GStrv) env = NULL;

  if (geteuid () == 0) {
    g_test_message ("running as root: the store is made read-only by the injector (EROFS)");
    env = offline_test_fault_env (soak, "write", 1, "erofs", 0);
  } else {
    g_assert_cmpint (g_chmod (soak->store_path, 0500), ==, 0);
  }
  offline_test_soak_run (soak, (const char * const *) env, &run,
                         "download", "b", "--url", soak->url, NULL);
  code = failure_code (&run);
  g_test_message ("read-only: %s", run.err);
  g_assert_cmpstr (code, ==, "OFFLINE_ERROR_STORE");
  g_assert_cmpint (g_chmod (soak->store_path, 0700), ==, 0);
  offline_test_soak_assert_complete (soak, "a");
  recover_b (soak);
}

/* The store directory removed while a download runs: the tool fails with
 * OFFLINE_ERROR_STORE (never "completed" into a deleted index), and a new
 * download into a new store at the same place works. */
static void
test_store_removed (void)
{
  g_autoptr(OfflineTestSoak) soak = offline_test_soak_new (60, 16 * 1024, offline_test_soak_seed ());
  g_autofree char *gone = g_strconcat (soak->store_path, "-removed", NULL);
  g_autoptr(Bg) bg = NULL;
  g_autofree char *line = NULL;
  g_autofree char *code = NULL;
  g_auto(Run) run = { 0 };

  offline_test_server_set_latency (soak->server, 50);
  bg = offline_test_soak_start (soak, NULL, "download", "b", "--url", soak->url, NULL);
  line = bg_wait_line (bg, "state b: downloading");
  /* at once (a removal file by file races with the files the tool
   * creates), then for good */
  g_assert_cmpint (g_rename (soak->store_path, gone), ==, 0);
  offline_test_remove_tree (gone);
  bg_finish (bg, &run);
  g_test_message ("store removed: exit %d, %s", run.status, run.err);
  code = failure_code (&run);
  g_assert_cmpstr (code, ==, "OFFLINE_ERROR_STORE");
  g_assert_null (strstr (run.out, "completed"));

  offline_test_server_set_latency (soak->server, 0);
  offline_test_soak_reset_store (soak);
  g_assert_cmpint (offline_test_soak_run (soak, NULL, &run, "download", "b", "--url", soak->url,
                                          NULL), ==, 0);
  offline_test_soak_assert_complete (soak, "b");
}

int
main (int    argc,
      char **argv)
{
  offline_test_soak_init (&argc, &argv);

  g_test_add_data_func ("/soak/disk/enospc", &enospc, test_fault);
  g_test_add_data_func ("/soak/disk/enospc-once", &enospc_once, test_fault);
  g_test_add_data_func ("/soak/disk/eio", &eio, test_fault);
  g_test_add_data_func ("/soak/disk/eio-once", &eio_once, test_fault);
  g_test_add_func ("/soak/disk/read-only", test_read_only);
  g_test_add_func ("/soak/disk/store-removed", test_store_removed);
  return g_test_run ();
}
