/* offline-test-cli.c: runs the offlinemgr tool as a real process for the
 * tests (offline-test-cli.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "offline-test-cli.h"

const char *
offline_test_cli_path (void)
{
  const char *path = g_getenv ("OFFLINEMGR_CLI");

  if (path == NULL)
    g_error ("OFFLINEMGR_CLI must name the offlinemgr executable (meson test sets it)");
  return path;
}

void
offline_test_cli_setup (OfflineTestManager *f,
                        gconstpointer       data)
{
  offline_test_manager_setup (f, data);
  /* the tool must be able to lock the store */
  offline_test_drop_manager (f);
}

void
offline_test_cli_add (const char    *name,
                      gconstpointer  data,
                      void         (*test) (OfflineTestManager *, gconstpointer))
{
  g_test_add (name, OfflineTestManager, data, offline_test_cli_setup, test,
              offline_test_manager_teardown);
}

/* ---- running the tool ---- */

void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Starts the tool with @args. @store: "--store STORE" goes first unless
 * NULL; @env_store: $OFFLINEMGR_STORE (unset if NULL). */
GSubprocess *
spawn_tool (const char         *store,
            const char         *env_store,
            GSubprocessFlags    flags,
            const char * const *args)
{
  return spawn_tool_with_env (store, env_store, NULL, flags, args);
}

GSubprocess *
spawn_tool_with_env (const char         *store,
                     const char         *env_store,
                     const char * const *env,
                     GSubprocessFlags    flags,
                     const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  if (env_store != NULL)
    g_subprocess_launcher_setenv (launcher, "OFFLINEMGR_STORE", env_store, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "OFFLINEMGR_STORE");
  g_ptr_array_add (argv, (char *) offline_test_cli_path ());
  if (store != NULL) {
    g_ptr_array_add (argv, "--store");
    g_ptr_array_add (argv, (char *) store);
  }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return child;
}

/* Waits for @child to end and records how in @run. */
void
wait_child (GSubprocess *child,
            Run         *run)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (child, NULL, offline_test_result_cb, &result);
  g_subprocess_wait_finish (child, offline_test_wait_result (&result), &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_exited (child)) {
    run->status = g_subprocess_get_exit_status (child);
    run->signal = 0;
  } else {
    g_assert_true (g_subprocess_get_if_signaled (child));
    run->status = -1;
    run->signal = g_subprocess_get_term_sig (child);
  }
}

/* Runs the tool to its end with --store @store (unless NULL) and
 * $OFFLINEMGR_STORE @env_store (unless NULL); returns its exit status. */
int
run_tool_full (const char         *store,
               const char         *env_store,
               Run                *run,
               const char * const *args)
{
  g_autoptr(GSubprocess) child = spawn_tool (store, env_store,
                                             G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                             G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  run_clear (run);
  g_subprocess_communicate_utf8_async (child, NULL, NULL, offline_test_result_cb, &result);
  g_subprocess_communicate_utf8_finish (child, offline_test_wait_result (&result), &run->out,
                                        &run->err, &error);
  g_assert_no_error (error);
  wait_child (child, run);
  {
    /* the first line of stderr is enough for the log */
    g_autofree char *first = g_strndup (run->err, strcspn (run->err, "\n"));

    g_test_message ("offlinemgr %s: exit %d%s%s", args[0] ? args[0] : "", run->status,
                    *first ? ", " : "", first);
  }
  return run->status;
}

/* Runs the tool on @f's store with the arguments after @run (NULL
 * terminated); returns its exit status. */
int
run_tool (OfflineTestManager *f,
          Run                *run,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return run_tool_full (f->store_path, NULL, run, (const char * const *) args->pdata);
}

/* Asserts that @run failed (1) with exactly one line on stderr naming the
 * error @code ("OFFLINE_ERROR_NOT_FOUND"). */
void
assert_failed (Run        *run,
               const char *code)
{
  g_autofree char *prefix = g_strdup_printf ("offlinemgr: %s: ", code);

  g_assert_cmpint (run->status, ==, EXIT_FAILURE);
  g_assert_true (g_str_has_prefix (run->err, prefix));
  /* one line */
  g_assert_nonnull (strchr (run->err, '\n'));
  g_assert_cmpstr (strchr (run->err, '\n'), ==, "\n");
}

/* ---- a download in the background, followed by its output lines ---- */

Bg *
bg_new (GSubprocess *child)
{
  Bg *bg = g_new0 (Bg, 1);

  bg->child = child;
  bg->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  bg->lines = g_string_new (NULL);
  return bg;
}


void
bg_free (Bg *bg)
{
  g_object_unref (bg->child);
  g_object_unref (bg->out);
  g_string_free (bg->lines, TRUE);
  g_free (bg);
}


Bg *
bg_start (OfflineTestManager *f,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, f);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return bg_new (spawn_tool (f->store_path, NULL,
                             G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             (const char * const *) args->pdata));
}

/* The next stdout line of @bg, NULL at the end. */
char *
bg_read_line (Bg *bg)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  g_data_input_stream_read_line_async (bg->out, G_PRIORITY_DEFAULT, NULL, offline_test_result_cb,
                                       &result);
  line = g_data_input_stream_read_line_finish_utf8 (bg->out, offline_test_wait_result (&result),
                                                    NULL, &error);
  g_assert_no_error (error);
  if (line != NULL)
    g_string_append_printf (bg->lines, "%s\n", line);
  return line;
}

/* Reads stdout lines of @bg up to the first one that starts with @prefix,
 * and returns it. Fails the test if the output ends first. */
char *
bg_wait_line (Bg         *bg,
              const char *prefix)
{
  while (TRUE) {
    char *line = bg_read_line (bg);

    if (line == NULL)
      g_error ("the output ended without a line \"%s…\":\n%s", prefix, bg->lines->str);
    if (g_str_has_prefix (line, prefix))
      return line;
    g_free (line);
  }
}

/* Reads the rest of @bg's output and waits for it to end. */
void
bg_finish (Bg  *bg,
           Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) err_out = NULL;
  g_autoptr(GBytes) err = NULL;
  char *line;

  while ((line = bg_read_line (bg)) != NULL)
    g_free (line);
  wait_child (bg->child, run);
  run_clear (run);
  run->out = g_strdup (bg->lines->str);
  /* the child is gone: its stderr pipe ends */
  err_out = g_memory_output_stream_new_resizable ();
  g_output_stream_splice (err_out, g_subprocess_get_stderr_pipe (bg->child),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  err = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (err_out));
  /* (an empty GBytes may have no data at all) */
  run->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                        g_bytes_get_size (err));
}

/* The output of "list --json", parsed: an array. */
JsonArray *
list_json (OfflineTestManager *f)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpint (run_tool (f, &run, "list", "--json", NULL), ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_ref (json_node_get_array (root));
}

/* The state "list --json" gives entry @id, NULL if it is not listed. */
char *
listed_state (OfflineTestManager *f,
              const char         *id)
{
  g_autoptr(JsonArray) entries = list_json (f);

  for (guint i = 0; i < json_array_get_length (entries); i++) {
    JsonObject *entry = json_array_get_object_element (entries, i);

    if (g_strcmp0 (json_object_get_string_member (entry, "id"), id) == 0)
      return g_strdup (json_object_get_string_member (entry, "state"));
  }
  return NULL;
}

void
assert_listed (OfflineTestManager *f,
               const char         *id,
               const char         *state)
{
  g_autofree char *listed = listed_state (f, id);

  g_assert_cmpstr (listed, ==, state);
}

/* Waits until the server got a request for @path (the server runs in
 * its own thread). */
void
wait_requested (OfflineTestManager *f,
                const char         *path)
{
  wait_requested_n (f, path, 1);
}

void
wait_requested_n (OfflineTestManager *f,
                  const char         *path,
                  guint               n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (offline_test_server_get_request_count (f->server, path) < n) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (2000);
  }
}
