/* test-shared-store.c: one store, several processes (docs/dbus.md)
 *
 * Runs under dbus-run-session (tests/meson.build): the offlinemgr tool
 * holding a store in one process, other runs of the tool and this test's
 * own manager reading the store and changing it through the holder over
 * the session bus. Real processes, a real HTTP server, a real store.
 *
 * A download that must keep the holder alive stalls on one resource (a 503
 * with "Retry-After: 60", as in test-cli.c); nothing waits for a fixed
 * time: the test waits for output lines and operation results.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "offline-test-cli.h"
#include "offline-test-license.h"

#define TEMPLATE "dash/template-number/manifest.mpd"
#define TEMPLATE_STALL "dash/template-number/chunk-stream3-00003.m4s"
#define HLS "hls/fmp4/master.m3u8"
#define HLS_STALL "hls/fmp4/video_320x180/seg_002.m4s"
#define EXIT_INTERRUPTED 130

/* "download @id" of the DASH fixture in the background, stalled. */
static Bg *
start_stalled (OfflineTestManager *f,
               const char         *id)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autofree char *line = NULL;
  g_autofree char *downloading = g_strdup_printf ("state %s: downloading", id);
  Bg *bg;

  offline_test_server_fail_next (f->server, TEMPLATE_STALL, 1, 503, "60");
  /* (the track of @stall: Spanish audio) */
  bg = bg_start (f, "download", id, "--url", url, "--language", "es", NULL);
  line = bg_wait_line (bg, downloading);
  /* stalled indeed: the 503 went out (a stall still to come would meet a
   * later run, or the requests of another entry might come first) */
  wait_requested (f, TEMPLATE_STALL);
  return bg;
}

/* Waits for @bg to end after its entry was paused (or removed) by another
 * process: exit 130, its last word on stderr @err. */
static void
assert_stopped (Bg         *bg,
                const char *err)
{
  g_auto(Run) run = { 0 };

  bg_finish (bg, &run);
  g_assert_cmpint (run.status, ==, EXIT_INTERRUPTED);
  g_assert_cmpstr (run.err, ==, err);
}

/* The index runs in WAL mode (readers never wait for the writer), and the
 * lock file names the holder: "PID\nCOMMAND LINE\n". */
static void
assert_wal_and_holder (OfflineTestManager *f,
                       Bg                 *holder)
{
  g_autofree char *index = g_build_filename (f->store_path, "index.sqlite", NULL);
  g_autofree char *lock = g_build_filename (f->store_path, "lock", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = g_strdup_printf ("%s\n%s --store %s download a --url ",
                                               g_subprocess_get_identifier (holder->child),
                                               offline_test_cli_path (), f->store_path);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (index, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_file_get_contents (lock, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, expected));
  g_assert_true (g_str_has_suffix (contents, " --language es\n"));
}

static gboolean
has_progress_of (OfflineTestManager *f,
                 const char         *id)
{
  g_autofree char *prefix = g_strdup_printf ("%s:", id);

  for (guint i = 0; i < f->states->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (f->states, i), prefix))
      return TRUE;
  return FALSE;
}

static void
test_cli (OfflineTestManager *f,
          gconstpointer       data)
{
  g_autofree char *hls = offline_test_server_get_url (f->server, HLS);
  g_autoptr(Bg) holder = NULL, other = NULL;
  g_autoptr(OfflineManager) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineDownloadOptions) g_options = offline_download_options_new ();
  g_auto(Run) run = { 0 };

  offline_download_options_set_bitrate (g_options, 250000);
  /* The tool holds the store, downloading "a" (stalled). */
  holder = start_stalled (f, "a");
  assert_wal_and_holder (f, holder);

  /* Others read it, without waiting for the holder. */
  g_assert_cmpint (run_tool (f, &run, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "\na "));
  assert_listed (f, "a", "downloading");

  /* This process's manager reads it too, and downloads "b" through the
   * holder: the holder stores it (this one cannot write), this one sees
   * its progress and states. */
  reader = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader->remote);
  offline_test_register (f, "b", HLS);
  offline_manager_download_async (reader, "b", NULL, NULL, offline_test_result_cb, &result);
  g_assert_true (offline_manager_download_finish (reader, offline_test_wait_result (&result),
                                                  &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (has_progress_of (f, "b"));
  g_assert_cmpuint (f->progress->len, >, 0);
  offline_test_assert_states (f, "b:queued>downloading b:downloading>completed");
  offline_test_assert_stored (f, reader, "b", HLS, NULL);
  assert_listed (f, "a", "downloading");

  /* A second terminal downloads "c", following its progress. */
  g_assert_cmpint (run_tool (f, &run, "download", "c", "--url", hls, NULL), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, "state c: downloading\n"));
  g_assert_nonnull (strstr (run.out, "progress c: 100.0%"));
  g_assert_true (g_str_has_suffix (run.out, "completed c\n"));
  offline_test_assert_stored (f, reader, "c", HLS, NULL);

  /* "g", stalled, is paused from a third terminal, resumed (stalled
   * again) and paused again, then resume-all completes it. */
  offline_test_server_fail_next (f->server, HLS_STALL, 1, 503, "60");
  /* (the bitrate of the video track of HLS_STALL) */
  other = bg_start (f, "download", "g", "--url", hls, "--bitrate", "250000", NULL);
  g_free (bg_wait_line (other, "state g: downloading"));
  /* stalled indeed (else the stall would be left for a later run) */
  wait_requested_n (f, HLS_STALL, 1);
  g_assert_cmpint (run_tool (f, &run, "pause", "g", NULL), ==, 0);
  g_assert_cmpstr (run.out, ==, "paused\n");
  assert_stopped (other, "offlinemgr: paused g\n");
  assert_listed (f, "g", "paused");
  g_clear_pointer (&other, bg_free);

  offline_test_server_fail_next (f->server, HLS_STALL, 1, 503, "60");
  other = bg_start (f, "resume", "g", NULL);
  g_free (bg_wait_line (other, "state g: downloading"));
  wait_requested_n (f, HLS_STALL, 2);
  g_assert_cmpint (run_tool (f, &run, "pause", "g", NULL), ==, 0);
  assert_stopped (other, "offlinemgr: paused g\n");
  g_clear_pointer (&other, bg_free);

  g_assert_cmpint (run_tool (f, &run, "resume-all", NULL), ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "completed g\n"));
  offline_test_assert_stored (f, reader, "g", HLS, g_options);

  /* "c" is removed from another terminal: the holder deletes it. */
  g_assert_cmpint (run_tool (f, &run, "remove", "c", NULL), ==, 0);
  g_assert_cmpint (run_tool (f, &run, "info", "c", NULL), ==, 1);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");

  /* Errors come back as they are. */
  g_assert_cmpint (run_tool (f, &run, "pause", "nope", NULL), ==, 1);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
  g_assert_cmpint (run_tool (f, &run, "download", "b", "--url", hls, NULL), ==, 1);
  assert_failed (&run, "OFFLINE_ERROR_ALREADY_EXISTS");

  /* This process pauses all: the holder's download of "a" ends. */
  offline_manager_pause_all_async (reader, NULL, offline_test_result_cb, &result);
  g_assert_true (offline_manager_pause_all_finish (reader, offline_test_wait_result (&result),
                                                   &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  assert_stopped (holder, "offlinemgr: paused a\n");
  g_assert_nonnull (strstr (holder->lines->str, "state a: paused\n"));
  assert_listed (f, "a", "paused");

  /* The holder is gone: the reader's next change takes the store over. */
  offline_manager_resume_async (reader, "a", NULL, offline_test_result_cb, &result);
  g_assert_null (reader->remote);
  g_assert_true (offline_manager_resume_finish (reader, offline_test_wait_result (&result),
                                                &error));
  g_assert_no_error (error);
  {
    g_autoptr(OfflineDownloadOptions) es = offline_download_options_new ();

    offline_download_options_set_language (es, "es");
    offline_test_assert_stored (f, reader, "a", TEMPLATE, es);
  }
}

/* The holder is where docs/dbus.md says: the name and object path from
 * the SHA-256 of the store's real path, Version 1, StorePath. */
static void
assert_on_bus (OfflineTestManager *f)
{
  g_autofree char *real_path = realpath (f->store_path, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, real_path, -1);
  g_autofree char *name = g_strdup_printf ("org.offlinemgr.Store.p%.32s", hash);
  g_autofree char *path = g_strdup_printf ("/org/offlinemgr/Store/p%.32s", hash);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) version = NULL, store_path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (bus);
  version = g_dbus_connection_call_sync (bus, name, path, "org.freedesktop.DBus.Properties",
                                         "Get", g_variant_new ("(ss)", "org.offlinemgr.Store1",
                                                               "Version"),
                                         G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                         NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *text = g_variant_print (version, FALSE);

    g_assert_cmpstr (text, ==, "(<uint32 1>,)");
  }
  store_path = g_dbus_connection_call_sync (bus, name, path, "org.freedesktop.DBus.Properties",
                                            "Get", g_variant_new ("(ss)", "org.offlinemgr.Store1",
                                                                  "StorePath"),
                                            G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                            NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) value = NULL;

    g_variant_get (store_path, "(v)", &value);
    g_assert_cmpstr (g_variant_get_string (value, NULL), ==, real_path);
  }
}

/* Removal from another terminal ends the holder's foreground download. */
static void
test_remove (OfflineTestManager *f,
             gconstpointer       data)
{
  g_autoptr(Bg) holder = start_stalled (f, "a");
  g_auto(Run) run = { 0 };

  assert_on_bus (f);

  g_assert_cmpint (run_tool (f, &run, "remove", "a", NULL), ==, 0);
  g_assert_cmpstr (run.out, ==, "removed\n");
  assert_stopped (holder, "offlinemgr: a was removed\n");
  g_assert_cmpint (run_tool (f, &run, "info", "a", NULL), ==, 1);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
}

/* Without a bus, changes fail naming the holder; reading works. */
static void
test_no_bus (OfflineTestManager *f,
             gconstpointer       data)
{
  const char *no_bus = g_getenv ("OFFLINEMGR_NO_BUS");
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Bg) holder = NULL;
  g_autofree char *named = NULL;
  g_auto(Run) run = { 0 };

  g_assert_nonnull (no_bus);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", no_bus, TRUE);
  offline_test_server_fail_next (f->server, TEMPLATE_STALL, 1, 503, "60");
  holder = bg_new (g_subprocess_launcher_spawn (launcher, &error, offline_test_cli_path (),
                                                "--store", f->store_path, "download", "a",
                                                "--url", url, "--language", "es", NULL));
  g_assert_no_error (error);
  g_free (bg_wait_line (holder, "state a: downloading"));
  named = g_strdup_printf ("is open in process %s (%s --store %s download a --url %s --language es)",
                           g_subprocess_get_identifier (holder->child),
                           offline_test_cli_path (), f->store_path, url);

  /* this process is on a bus, but the holder is not */
  g_assert_cmpint (run_tool (f, &run, "pause", "a", NULL), ==, 1);
  assert_failed (&run, "OFFLINE_ERROR_STORE_LOCKED");
  g_assert_nonnull (strstr (run.err, named));
  g_assert_nonnull (strstr (run.err, "wait for it to finish or stop it"));
  g_assert_cmpint (run_tool (f, &run, "list", NULL), ==, 0);
  assert_listed (f, "a", "downloading");

  g_subprocess_send_signal (holder->child, SIGTERM);
  assert_stopped (holder, "offlinemgr: paused a\n");
}

/* How many times @text has @line. */
static guint
count_lines (const char *text,
             const char *line)
{
  guint n = 0;

  for (const char *p = strstr (text, line); p != NULL; p = strstr (p + 1, line))
    n++;
  return n;
}

/* The holder ends (here: stopped with SIGTERM) while it downloads an entry
 * for another process: that process takes the store over and carries the
 * download on to the end, and its own signals do not come back to it from
 * the bus (each state once: queued, downloading for the holder, then the
 * same here). */
static void
test_holder_ends (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *hls = offline_test_server_get_url (f->server, HLS);
  g_autoptr(OfflineManager) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Bg) holder = start_stalled (f, "a");
  g_autoptr(Bg) other = NULL;
  g_auto(Run) run = { 0 };
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();

  offline_test_server_fail_next (f->server, HLS_STALL, 1, 503, "60");
  other = bg_start (f, "download", "b", "--url", hls, "--bitrate", "250000", NULL);
  g_free (bg_wait_line (other, "state b: downloading"));
  /* the holder met the stall (else this process would meet it) */
  wait_requested (f, HLS_STALL);

  g_subprocess_send_signal (holder->child, SIGTERM);
  assert_stopped (holder, "offlinemgr: paused a\n");

  bg_finish (other, &run);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "completed b\n"));
  g_assert_cmpuint (count_lines (run.out, "state b: queued\n"), <=, 2);
  g_assert_cmpuint (count_lines (run.out, "state b: downloading\n"), ==, 2);
  assert_listed (f, "a", "paused");

  reader = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  offline_download_options_set_bitrate (options, 250000);
  offline_test_assert_stored (f, reader, "b", HLS, options);
}

/* A protected entry downloaded and its licence renewed from a process
 * that reads the store: the holder does both, this process hears of the
 * new licence. */
static void
test_renew (OfflineTestManager *f,
            gconstpointer       data)
{
  g_autoptr(OfflineTestLicense) license = offline_test_license_new ();
  g_autoptr(Bg) holder = start_stalled (f, "a");
  g_autoptr(OfflineManager) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(OfflineEntry) entry = NULL;
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "dash", "cenc",
                                                 "manifest.mpd", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GBytes) served = NULL;

  offline_test_license_add_key (license, "10000000100010001000100000000000",
                                "3a2a1b68dd2bd9b2eeb25e84c4776668");
  offline_test_license_add_key (license, "20000000200020002000200000000000",
                                "00112233445566778899aabbccddeeff");
  g_file_get_contents (file, &contents, NULL, &error);
  g_assert_no_error (error);
  text = g_string_new (contents);
  g_string_replace (text, "@LICENSE_URL@", offline_test_license_get_url (license), 0);
  served = g_bytes_new (text->str, text->len);
  offline_test_server_add_content (f->server, "dash/cenc/p.mpd", served, "application/dash+xml");
  offline_test_register (f, "p", "dash/cenc/p.mpd");

  reader = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader->remote);
  g_signal_connect (reader, "license-changed", G_CALLBACK (offline_test_log_license_changed), log);
  offline_manager_download_async (reader, "p", NULL, NULL, offline_test_result_cb, &result);
  g_assert_true (offline_manager_download_finish (reader, offline_test_wait_result (&result),
                                                  &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (offline_test_license_get_request_count (license), ==, 1);

  offline_test_license_set_expiration (license, 1893456000);
  offline_manager_renew_license_async (reader, "p", NULL, offline_test_result_cb, &result);
  g_assert_true (offline_manager_renew_license_finish (reader, offline_test_wait_result (&result),
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (offline_test_license_get_request_count (license), ==, 2);
  /* the signal may come after the answer */
  while (log->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (log->str, ==, "p:1893456000 ");
  entry = offline_store_get_entry (reader->store, "p", &error);
  g_assert_no_error (error);
  g_assert_true (offline_entry_get_is_protected (entry));
  g_assert_cmpint (offline_entry_get_license_expiration (entry), ==, 1893456000);

  g_subprocess_send_signal (holder->child, SIGTERM);
  assert_stopped (holder, "offlinemgr: paused a\n");
}

/* ---- OfflineManager::accept-url where the fetching happens ---- */

static gboolean
refuse_chunks (OfflineManager *manager,
               const char     *url,
               guint          *asked)
{
  (*asked)++;
  return strstr (url, "/chunk-") == NULL;
}

static void
name_appeared (GDBusConnection *connection,
               const char      *name,
               const char      *owner,
               gpointer         appeared)
{
  *(gboolean *) appeared = TRUE;
}

/* This process's manager holds the store, with an accept-url handler that
 * refuses the segments: a download another process (the tool) forwards
 * to it is vetted by that handler (docs/security.md). The tool's download
 * fails with INVALID_URI; no segment is requested. */
static void
test_accept_url_holder (OfflineTestManager *f,
                        gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autofree char *real_path = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  gboolean appeared = FALSE;
  guint asked = 0;
  guint watch;

  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  g_signal_connect (f->manager, "accept-url", G_CALLBACK (refuse_chunks), &asked);
  real_path = realpath (f->store_path, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, real_path, -1);
  name = g_strdup_printf ("org.offlinemgr.Store.p%.32s", hash);
  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                            name_appeared, NULL, &appeared, NULL);
  while (!appeared)
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch);

  g_assert_cmpint (run_tool (f, &run, "download", "b", "--url", url, NULL), ==, 1);
  assert_failed (&run, "OFFLINE_ERROR_INVALID_URI");
  g_assert_nonnull (strstr (run.err, "not accepted by the application"));
  /* the manifest, then the first segment refused */
  g_assert_cmpuint (asked, >=, 2);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, NULL), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  offline_test_cli_path ();

  g_test_add ("/shared-store/cli", OfflineTestManager, NULL, offline_test_cli_setup, test_cli,
              offline_test_manager_teardown);
  g_test_add ("/shared-store/remove", OfflineTestManager, NULL, offline_test_cli_setup, test_remove,
              offline_test_manager_teardown);
  g_test_add ("/shared-store/holder-ends", OfflineTestManager, NULL, offline_test_cli_setup,
              test_holder_ends, offline_test_manager_teardown);
  g_test_add ("/shared-store/renew", OfflineTestManager, NULL, offline_test_cli_setup, test_renew,
              offline_test_manager_teardown);
  g_test_add ("/shared-store/accept-url-holder", OfflineTestManager, NULL, offline_test_cli_setup,
              test_accept_url_holder, offline_test_manager_teardown);
  g_test_add ("/shared-store/no-bus", OfflineTestManager, NULL, offline_test_cli_setup, test_no_bus,
              offline_test_manager_teardown);
  return g_test_run ();
}
