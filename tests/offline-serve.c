/* offline-serve: serves a directory over HTTP on 127.0.0.1 with the test
 * server, for the benchmark (bench/run.sh) and the README demo
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   offline-serve --root DIR [--latency MS] [--rate KBIT]
 *
 * Prints the base URL ("http://127.0.0.1:PORT/") as the first line of
 * stdout, then serves the files under DIR (see offline-test-server.h for
 * what is served: GET/HEAD, single byte ranges) until SIGINT or SIGTERM.
 * Each request waits MS milliseconds before it is answered (default 0);
 * other requests are served meanwhile. --rate: every response body goes
 * out at KBIT kilobits (1000 bits) a second at most, all of them together
 * (a link of that bandwidth; default: no limit). On SIGUSR1 it prints
 * "requests N connections M" (counted since the start or the previous
 * SIGUSR1) on stdout and resets the counters. Not installed.
 */
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "offline-test-server.h"

static gboolean
on_usr1 (gpointer user_data)
{
  OfflineTestServer *server = user_data;

  printf ("requests %u connections %u\n", offline_test_server_get_request_count (server, NULL),
          offline_test_server_get_connection_count (server));
  fflush (stdout);
  offline_test_server_reset_counters (server);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;   /* removed in main() */
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = NULL;
  int latency = 0;
  gint64 rate_kbit = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  OfflineTestServer *server;
  guint sigint_id, sigterm_id, sigusr1_id;
  GOptionEntry entries[] = {
    { "root", 0, 0, G_OPTION_ARG_FILENAME, &root, "Directory to serve (required)", "DIR" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency, "Delay every response by MS milliseconds", "MS" },
    { "rate", 0, 0, G_OPTION_ARG_INT64, &rate_kbit, "Send all bodies together at KBIT kbit/s at most",
      "KBIT" },
    G_OPTION_ENTRY_NULL
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- serve a directory over HTTP on 127.0.0.1");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("offline-serve: %s\n", error->message);
    return 2;
  }
  if (root == NULL || argc > 1) {
    g_printerr ("usage: offline-serve --root DIR [--latency MS] [--rate KBIT]\n");
    return 2;
  }
  if (!g_file_test (root, G_FILE_TEST_IS_DIR)) {
    g_printerr ("offline-serve: %s: not a directory\n", root);
    return 1;
  }
  if (latency < 0) {
    g_printerr ("offline-serve: --latency must be >= 0\n");
    return 2;
  }
  if (rate_kbit < 0 || rate_kbit > G_MAXINT64 / 1000) {
    g_printerr ("offline-serve: --rate must be >= 0\n");
    return 2;
  }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, loop);

  server = offline_test_server_new_for_root (root);
  offline_test_server_set_latency (server, (guint) latency);
  offline_test_server_set_rate (server, (guint64) rate_kbit * 1000 / 8);
  sigusr1_id = g_unix_signal_add (SIGUSR1, on_usr1, server);
  printf ("%s\n", offline_test_server_get_base_url (server));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_source_remove (sigusr1_id);
  offline_test_server_free (server);
  return 0;
}
