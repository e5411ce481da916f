/* test-cli.c: the offlinemgr command-line tool, run as a real process
 * against a real HTTP server on 127.0.0.1 and a store in a temporary
 * directory
 *
 * The tool is the one meson built ($OFFLINEMGR_CLI). The server runs in a
 * thread of its own (offline-test-server.h), so the test may block on the
 * child. Every download is checked byte for byte once the tool has exited
 * (offline_test_assert_stored(), with a manager opened on the store for
 * the check only: the tool locks the store while it runs).
 *
 * Nothing here depends on timing: a background download is made to stall
 * on one resource (a 503 with "Retry-After: 60", which the fetcher obeys),
 * so it cannot end before the test interrupts or kills it, and the test
 * waits for output lines or files, never for a fixed time. Server latency
 * only widens the windows. Each wait gives up after a minute.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE   /* posix_openpt() */

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "offline-test-cli.h"

#define TEMPLATE "dash/template-number/manifest.mpd"
#define WAIT_TIMEOUT_US (60 * G_USEC_PER_SEC)
#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130

static const char *cli_path;

/* ---- what is stored ---- */

/* Asserts, with a manager opened on @f's store for the check, that entry
 * @id holds exactly what @options selects from fixture @path, byte for
 * byte. */
static void
assert_stored (OfflineTestManager     *f,
               const char             *id,
               const char             *path,
               OfflineDownloadOptions *options)
{
  g_autoptr(GError) error = NULL;

  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, id, path, options);
  offline_test_drop_manager (f);
}

/* The output of "info @id --json", parsed. */
static JsonObject *
info_json (OfflineTestManager *f,
           const char         *id)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpint (run_tool (f, &run, "info", id, "--json", NULL), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
assert_info_state (OfflineTestManager *f,
                   const char         *id,
                   const char         *state)
{
  g_autoptr(JsonObject) info = info_json (f, id);

  g_assert_cmpstr (json_object_get_string_member (info, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (info, "state"), ==, state);
}

/* The entry directories of @f's store ("entries/N"). */
static GPtrArray *
entry_dirs (OfflineTestManager *f)
{
  g_autofree char *entries = g_build_filename (f->store_path, "entries", NULL);
  g_autoptr(GDir) dir = g_dir_open (entries, 0, NULL);
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    char *path = g_build_filename (entries, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      g_ptr_array_add (dirs, path);
    else
      g_free (path);
  }
  return dirs;
}

/* Resource files (no .part) in all entry directories of @f's store. */
static guint
count_stored_files (OfflineTestManager *f)
{
  g_autoptr(GPtrArray) dirs = entry_dirs (f);
  guint n = 0;

  for (guint i = 0; i < dirs->len; i++) {
    g_autoptr(GDir) dir = g_dir_open (g_ptr_array_index (dirs, i), 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      if (!g_str_has_suffix (name, ".part"))
        n++;
  }
  return n;
}

/* ---- the tests ---- */

/* "… 3/9 segments, …" → 9 */
static guint
segments_total (const char *progress_line)
{
  const char *end = strstr (progress_line, " segments");
  const char *slash = end;

  g_assert_nonnull (end);
  while (slash > progress_line && slash[-1] != '/')
    slash--;
  return (guint) g_ascii_strtoull (slash, NULL, 10);
}

static OfflineDownloadOptions *
options_new (const char *language,
             guint64     bitrate)
{
  OfflineDownloadOptions *options = offline_download_options_new ();

  offline_download_options_set_language (options, language);
  offline_download_options_set_bitrate (options, bitrate);
  return options;
}

static void
assert_member_types (JsonObject *object,
                     const char *name,
                     GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  if (type == G_TYPE_NONE)   /* a string or null */
    g_assert_true (JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) == G_TYPE_STRING);
  else
    g_assert_cmpint (json_node_get_value_type (node), ==, type);
}

static void
test_download_info_list (OfflineTestManager *f,
                         gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(OfflineDownloadOptions) options = options_new ("es", 150000);
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonArray) entries = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *last_progress = NULL;
  g_autofree char *expected_progress = NULL;
  JsonArray *tracks;
  gboolean video = FALSE, audio = FALSE;
  gint64 bytes;

  g_assert_cmpint (run_tool (f, &run, "download", "movie", "--url", url, "--language", "es",
                             "--bitrate", "150000", "--name", "A movie", NULL), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  assert_stored (f, "movie", TEMPLATE, options);

  /* not a terminal: plain lines, the state changes, the last progress
   * line complete, and "completed" at the end */
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "state movie: downloading");
  for (guint i = 0; lines[i] != NULL; i++) {
    g_assert_false (strchr (lines[i], '\r'));
    g_assert_false (strchr (lines[i], '\033'));
    if (g_str_has_prefix (lines[i], "progress movie: ")) {
      g_free (last_progress);
      last_progress = g_strdup (lines[i]);
    }
  }
  g_assert_cmpuint (g_strv_length (lines), >=, 4);
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "");
  g_assert_cmpstr (lines[g_strv_length (lines) - 2], ==, "completed movie");
  g_assert_cmpstr (lines[g_strv_length (lines) - 3], ==, "state movie: completed");

  info = info_json (f, "movie");
  g_assert_cmpstr (json_object_get_string_member (info, "id"), ==, "movie");
  g_assert_cmpstr (json_object_get_string_member (info, "name"), ==, "A movie");
  g_assert_cmpstr (json_object_get_string_member (info, "state"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (info, "manifest_url"), ==, url);
  bytes = json_object_get_int_member (info, "bytes_downloaded");
  g_assert_cmpint (bytes, >, 0);
  g_assert_cmpint (json_object_get_int_member (info, "bytes_expected"), ==, bytes);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (info, "duration"), 6.0, 1e-6);
  expected_progress = g_strdup_printf ("progress movie: 100.0%% %" G_GINT64_FORMAT "/%"
                                       G_GINT64_FORMAT " bytes, ", bytes, bytes);
  g_assert_nonnull (last_progress);
  g_assert_true (g_str_has_prefix (last_progress, expected_progress));

  tracks = json_object_get_array_member (info, "tracks");
  g_assert_nonnull (tracks);
  for (guint i = 0; i < json_array_get_length (tracks); i++) {
    JsonObject *track = json_array_get_object_element (tracks, i);
    const char *type = json_object_get_string_member (track, "type");

    assert_member_types (track, "type", G_TYPE_STRING);
    assert_member_types (track, "language", G_TYPE_NONE);
    assert_member_types (track, "bandwidth", G_TYPE_INT64);
    assert_member_types (track, "codecs", G_TYPE_NONE);
    assert_member_types (track, "width", G_TYPE_INT64);
    assert_member_types (track, "height", G_TYPE_INT64);
    if (g_str_equal (type, "video")) {
      g_assert_false (video);
      video = TRUE;
      g_assert_cmpint (json_object_get_int_member (track, "bandwidth"), ==, 150000);
      g_assert_cmpstr (json_object_get_string_member (track, "codecs"), ==, "avc1.4d400c");
      g_assert_cmpint (json_object_get_int_member (track, "width"), ==, 320);
      g_assert_cmpint (json_object_get_int_member (track, "height"), ==, 180);
    } else if (g_str_equal (type, "audio")) {
      g_assert_false (audio);
      audio = TRUE;
      g_assert_cmpstr (json_object_get_string_member (track, "language"), ==, "es");
      g_assert_cmpint (json_object_get_int_member (track, "bandwidth"), ==, 48000);
      g_assert_cmpstr (json_object_get_string_member (track, "codecs"), ==, "mp4a.40.2");
    } else {
      g_assert_cmpstr (type, ==, "text");
      g_assert_cmpstr (json_object_get_string_member (track, "language"), ==, "es");
    }
  }
  g_assert_true (video && audio);

  /* the text forms */
  g_assert_cmpint (run_tool (f, &run, "info", "movie", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "state:       completed\n"));
  g_assert_cmpint (run_tool (f, &run, "list", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "ID "));
  g_assert_true (g_regex_match_simple ("^movie +completed +100\\.0% .* A movie$", run.out,
                                       G_REGEX_MULTILINE, 0));

  entries = list_json (f);
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "id"),
                   ==, "movie");

  /* $OFFLINEMGR_STORE when there is no --store */
  g_assert_cmpint (run_tool_full (NULL, f->store_path, &run,
                                  (const char *[]) { "list", NULL }), ==, 0);
  g_assert_true (g_regex_match_simple ("^movie +completed", run.out, G_REGEX_MULTILINE, 0));
}

static void
test_usage (OfflineTestManager *f,
            gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autofree char *other = g_build_filename (f->tmp_dir, "other", NULL);
  const char *cases[][8] = {
    { NULL },
    { "bogus", NULL },
    { "download", "e", NULL },
    { "download", "--url", url, NULL },
    { "download", "e", "f", "--url", url, NULL },
    { "download", "e", "--url", url, "--bitrate", "fast", NULL },
    { "download", "e", "--url", url, "--bitrate", "-5", NULL },
    { "download", "e", "--url", url, "--speed", "9", NULL },
    { "list", "extra", NULL },
    { "list", "--bogus", NULL },
    { "info", NULL },
    { "info", "a", "b", NULL },
    { "resume", NULL },
    { "remove", "a", "b", NULL },
    { "remove-all", "x", NULL },
    { "pause-all", "--json", NULL },
    { "--bogus", "list", NULL },
  };
  g_auto(Run) run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_assert_cmpint (run_tool_full (other, NULL, &run, cases[i]), ==, EXIT_USAGE);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_true (g_str_has_prefix (run.err, "offlinemgr: "));
    g_assert_nonnull (strstr (run.err, "Usage: "));
    /* found before the store is opened: none is made */
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }

  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) { "--help", NULL }), ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Usage: "));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  /* a usage error stays one while another process has the store */
  f->manager = offline_test_manager_new (f, FALSE, NULL);
  g_assert_nonnull (f->manager);
  g_assert_cmpint (run_tool (f, &run, "bogus", NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_tool (f, &run, "pause-all", NULL), ==, EXIT_FAILURE);
  assert_failed (&run, "OFFLINE_ERROR_STORE_LOCKED");
}

static void
test_errors (OfflineTestManager *f,
             gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autofree char *missing = offline_test_server_get_url (f->server, "dash/nope/manifest.mpd");
  const char *segment = "dash/template-number/chunk-stream1-00002.m4s";
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonArray) entries = NULL;

  run_tool (f, &run, "info", "nope", NULL);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
  g_assert_cmpstr (run.out, ==, "");
  run_tool (f, &run, "info", "nope", "--json", NULL);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
  run_tool (f, &run, "resume", "nope", NULL);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
  run_tool (f, &run, "remove", "nope", NULL);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");

  g_assert_cmpint (run_tool (f, &run, "download", "e", "--url", url, NULL), ==, 0);
  run_tool (f, &run, "download", "e", "--url", url, NULL);
  assert_failed (&run, "OFFLINE_ERROR_ALREADY_EXISTS");
  run_tool (f, &run, "resume", "e", NULL);
  assert_failed (&run, "OFFLINE_ERROR_RESUME_FAILED");
  assert_info_state (f, "e", "completed");

  /* a manifest that is not there: nothing is stored */
  run_tool (f, &run, "download", "m", "--url", missing, NULL);
  assert_failed (&run, "OFFLINE_ERROR_DOWNLOAD_FAILED");
  g_assert_nonnull (strstr (run.err, "404"));
  g_assert_nonnull (strstr (run.err, "dash/nope/manifest.mpd"));
  entries = list_json (f);
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);

  /* a segment that is not there: the entry is stored FAILED, and resumes
   * once the segment is back */
  offline_test_server_set_path_status (f->server, segment, 404);
  run_tool (f, &run, "download", "s", "--url", url, NULL);
  assert_failed (&run, "OFFLINE_ERROR_DOWNLOAD_FAILED");
  g_assert_nonnull (strstr (run.err, "chunk-stream1-00002.m4s"));
  info = info_json (f, "s");
  g_assert_cmpstr (json_object_get_string_member (info, "state"), ==, "failed");
  g_assert_nonnull (strstr (json_object_get_string_member (info, "failure_message"), "404"));
  offline_test_server_set_path_status (f->server, segment, 0);
  g_assert_cmpint (run_tool (f, &run, "resume", "s", NULL), ==, 0);
  assert_stored (f, "s", TEMPLATE, NULL);
}

/* A fixture to interrupt, and a resource its download stalls on. */
typedef struct {
  const char *manifest;
  const char *stall;      /* answered 503 with "Retry-After: 60" once */
  const char *language;   /* (nullable) */
  const char *bitrate;    /* (nullable) */
} Stalled;

static const Stalled stalled_dash = {
  TEMPLATE, "dash/template-number/chunk-stream3-00003.m4s", "es", NULL
};
static const Stalled stalled_hls_fmp4 = {
  "hls/fmp4/master.m3u8", "hls/fmp4/video_320x180/seg_002.m4s", NULL, "250000"
};
static const Stalled stalled_dash_range = {
  "dash/segment-list-range/manifest.mpd", "dash/segment-list-range/manifest-stream1.mp4", NULL,
  NULL
};

static OfflineDownloadOptions *
stalled_options (const Stalled *s)
{
  return options_new (s->language, s->bitrate ? g_ascii_strtoull (s->bitrate, NULL, 10) : 0);
}

/* Starts "download @id" of @s in the background with @latency ms of
 * server latency: it cannot complete until the test clears the server's
 * switches (and runs it again). */
static Bg *
start_stalled (OfflineTestManager *f,
               const char         *id,
               const Stalled      *s,
               guint               latency)
{
  g_autofree char *url = offline_test_server_get_url (f->server, s->manifest);

  offline_test_server_set_latency (f->server, latency);
  offline_test_server_fail_next (f->server, s->stall, 1, 503, "60");
  if (s->language != NULL)
    return bg_start (f, "download", id, "--url", url, "--language", s->language, NULL);
  if (s->bitrate != NULL)
    return bg_start (f, "download", id, "--url", url, "--bitrate", s->bitrate, NULL);
  return bg_start (f, "download", id, "--url", url, NULL);
}

/* Resumes @id in a new process (the server back to normal) and asserts
 * that it ends complete, byte for byte. */
static void
resume_and_check (OfflineTestManager *f,
                  const char         *id,
                  const Stalled      *s)
{
  g_autoptr(OfflineDownloadOptions) options = stalled_options (s);
  g_autofree char *completed = g_strdup_printf ("completed %s\n", id);
  g_auto(Run) run = { 0 };

  offline_test_server_clear_switches (f->server);
  g_assert_cmpint (run_tool (f, &run, "resume", id, NULL), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_suffix (run.out, completed));
  assert_stored (f, id, s->manifest, options);
  assert_info_state (f, id, "completed");
}

static void
test_store_locked (OfflineTestManager *f,
                   gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(Bg) bg = start_stalled (f, "a", &stalled_dash, 200);
  g_autofree char *line = bg_wait_line (bg, "state a: downloading");
  g_auto(Run) run = { 0 };

  g_autofree char *holder = g_strdup_printf ("process %s (%s --store %s download a --url ",
                                             g_subprocess_get_identifier (bg->child),
                                             offline_test_cli_path (), f->store_path);
  const char *changes[][5] = {
    { "download", "b", "--url", url, NULL },
    { "pause", "a", NULL },
    { "pause-all", NULL },
    { "resume", "a", NULL },
    { "resume-all", NULL },
    { "remove", "a", NULL },
    { "remove-all", NULL },
  };

  /* Reading needs no lock (the tests have no session bus). */
  g_assert_cmpint (run_tool (f, &run, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "\na "));
  g_assert_cmpint (run_tool (f, &run, "info", "a", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "\"state\" : \"downloading\""));
  /* Changes need the holder: without a bus it names itself. */
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++) {
    run_tool_full (f->store_path, NULL, &run, changes[i]);
    assert_failed (&run, "OFFLINE_ERROR_STORE_LOCKED");
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, holder));
    g_assert_nonnull (strstr (run.err, "wait for it to finish or stop it"));
  }
  {
    g_autofree char *state = listed_state (f, "a");

    g_assert_cmpstr (state, ==, "downloading");
  }

  g_subprocess_send_signal (bg->child, SIGTERM);
  bg_finish (bg, &run);
  g_assert_cmpint (run.status, ==, EXIT_INTERRUPTED);
  resume_and_check (f, "a", &stalled_dash);
}

/* SIGINT or SIGTERM (@data) during a download: paused, exit 130. */
static void
test_interrupt (OfflineTestManager *f,
                gconstpointer       data)
{
  int signum = GPOINTER_TO_INT (data);
  g_autoptr(Bg) bg = start_stalled (f, "a", &stalled_dash, 200);
  g_autofree char *line = bg_wait_line (bg, "progress a: ");
  g_autoptr(JsonObject) info = NULL;
  g_auto(Run) run = { 0 };

  g_subprocess_send_signal (bg->child, signum);
  bg_finish (bg, &run);
  g_assert_cmpint (run.status, ==, EXIT_INTERRUPTED);
  g_assert_cmpstr (run.err, ==, "offlinemgr: paused a\n");
  g_assert_true (g_str_has_suffix (run.out, "state a: paused\n"));

  info = info_json (f, "a");
  g_assert_cmpstr (json_object_get_string_member (info, "state"), ==, "paused");
  g_assert_cmpint (json_object_get_int_member (info, "segments_done"), <,
                   json_object_get_int_member (info, "segments_total"));
  resume_and_check (f, "a", &stalled_dash);
}

/* SIGINT while the manifest is still being fetched (and retried): the
 * download stops at once, nothing is stored. The manifest keeps failing
 * with "Retry-After: 60": a tool that waited for it would time out. */
static void
test_interrupt_preparing (OfflineTestManager *f,
                          gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(Bg) bg = NULL;
  g_auto(Run) run = { 0 };

  offline_test_server_fail_next (f->server, TEMPLATE, OFFLINE_TEST_SERVER_ALWAYS, 503, "60");
  bg = bg_start (f, "download", "a", "--url", url, NULL);
  /* the tool handles signals before it asks for the manifest */
  wait_requested (f, TEMPLATE);
  g_subprocess_send_signal (bg->child, SIGINT);
  bg_finish (bg, &run);
  g_assert_cmpint (run.status, ==, EXIT_INTERRUPTED);
  g_assert_cmpstr (run.err, ==, "offlinemgr: stopped before a was stored\n");
  g_assert_cmpstr (run.out, ==, "");

  run_tool (f, &run, "info", "a", NULL);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
  offline_test_server_clear_switches (f->server);
  g_assert_cmpint (run_tool (f, &run, "download", "a", "--url", url, NULL), ==, 0);
  assert_stored (f, "a", TEMPLATE, NULL);
}

typedef enum {
  AT_START,             /* on "state … downloading" */
  AT_FIRST_PROGRESS,    /* on the first progress line */
  AT_LATE,              /* once all but the stalled resource are files */
} Moment;

typedef struct {
  const Stalled *stalled;
  Moment moment;
} KillCase;

/* Waits until @f's store holds @n resource files. */
static void
wait_stored_files (OfflineTestManager *f,
                   guint               n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;

  while (count_stored_files (f) < n) {
    if (g_get_monotonic_time () > deadline)
      g_error ("timed out waiting for %u stored files", n);
    g_usleep (2000);
  }
}

/* kill -9 of a download at some moment, then resume in a new process. */
static void
test_kill (OfflineTestManager *f,
           gconstpointer       data)
{
  const KillCase *c = data;
  g_autoptr(Bg) bg = start_stalled (f, "a", c->stalled, 300);
  g_autofree char *line = NULL;
  g_autofree char *state = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_auto(Run) run = { 0 };

  if (c->moment == AT_START) {
    line = bg_wait_line (bg, "state a: downloading");
  } else {
    line = bg_wait_line (bg, "progress a: ");
    if (c->moment == AT_LATE)
      wait_stored_files (f, segments_total (line) - 1);
  }
  g_subprocess_send_signal (bg->child, SIGKILL);
  bg_finish (bg, &run);
  g_assert_cmpint (run.signal, ==, SIGKILL);

  /* left DOWNLOADING: the next process finds it PAUSED */
  state = listed_state (f, "a");
  g_assert_cmpstr (state, ==, "paused");
  info = info_json (f, "a");
  g_test_message ("killed with %u resource files, %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                  " recorded", count_stored_files (f),
                  json_object_get_int_member (info, "segments_done"),
                  json_object_get_int_member (info, "segments_total"));
  g_assert_cmpint (json_object_get_int_member (info, "segments_done"), <,
                   json_object_get_int_member (info, "segments_total"));
  /* The new process fetches only what is not recorded, each at most once
   * (a .part file completed just before the kill is committed without a
   * request), and at least the stalled resource. */
  offline_test_server_reset_counters (f->server);
  resume_and_check (f, "a", c->stalled);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, NULL), <=,
                    json_object_get_int_member (info, "segments_total") -
                    json_object_get_int_member (info, "segments_done"));
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, NULL), >=, 1);
}

static void
test_remove (OfflineTestManager *f,
             gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(GPtrArray) dirs = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(JsonArray) entries = NULL;
  g_autofree char *dir = NULL;
  g_auto(Run) run = { 0 };

  g_assert_cmpint (run_tool (f, &run, "download", "e", "--url", url, NULL), ==, 0);
  dirs = entry_dirs (f);
  g_assert_cmpuint (dirs->len, ==, 1);
  dir = g_strdup (g_ptr_array_index (dirs, 0));
  g_assert_cmpuint (count_stored_files (f), >, 0);

  g_assert_cmpint (run_tool (f, &run, "remove", "e", NULL), ==, 0);
  g_assert_cmpstr (run.out, ==, "removed\n");
  g_assert_cmpstr (run.err, ==, "");
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  after = entry_dirs (f);
  g_assert_cmpuint (after->len, ==, 0);
  run_tool (f, &run, "info", "e", NULL);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
  entries = list_json (f);
  g_assert_cmpuint (json_array_get_length (entries), ==, 0);
}

/* export: a downloaded entry to MP4 and Matroska (stdout's progress
 * lines, then "exported"; the files made), and its refusals: a file name
 * of no known container, an unknown id, missing arguments. The library's
 * test (test-export.c) compares what the files play. */
static void
test_export (OfflineTestManager *f,
             gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autofree char *mp4 = g_build_filename (f->tmp_dir, "e.mp4", NULL);
  g_autofree char *mkv = g_build_filename (f->tmp_dir, "e.mkv", NULL);
  g_autofree char *avi = g_build_filename (f->tmp_dir, "e.avi", NULL);
  g_auto(Run) run = { 0 };

  g_assert_cmpint (run_tool (f, &run, "download", "e", "--url", url, NULL), ==, 0);
  g_assert_cmpint (run_tool (f, &run, "export", "e", mp4, NULL), ==, 0);
  g_test_message ("%s", run.out);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "progress e: "));
  g_assert_true (g_str_has_suffix (run.out, "progress e: 100.0% 0:06 / 0:06\nexported\n"));
  g_assert_true (g_file_test (mp4, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (run_tool (f, &run, "export", "e", mkv, "--partial", NULL), ==, 0);
  g_assert_true (g_file_test (mkv, G_FILE_TEST_IS_REGULAR));

  run_tool (f, &run, "export", "e", avi, NULL);
  assert_failed (&run, "OFFLINE_ERROR_INVALID_ARGUMENT");
  run_tool (f, &run, "export", "nope", mp4, NULL);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
  g_assert_false (g_file_test (avi, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run_tool (f, &run, "export", "e", NULL), ==, EXIT_USAGE);
  g_assert_nonnull (strstr (run.err, "expected an entry id and a file"));
}

/* pause-all, resume-all (in the foreground) and remove-all. */
static void
test_all (OfflineTestManager *f,
          gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(OfflineDownloadOptions) options_b = stalled_options (&stalled_hls_fmp4);
  g_autoptr(OfflineDownloadOptions) options_c = stalled_options (&stalled_dash_range);
  g_autoptr(JsonArray) entries = NULL;
  g_autoptr(GPtrArray) dirs = NULL;
  g_auto(Run) run = { 0 };

  g_assert_cmpint (run_tool (f, &run, "download", "a", "--url", url, NULL), ==, 0);
  {
    /* b: killed, c: interrupted */
    g_autoptr(Bg) b = start_stalled (f, "b", &stalled_hls_fmp4, 100);
    g_autofree char *line = bg_wait_line (b, "progress b: ");

    g_subprocess_send_signal (b->child, SIGKILL);
    bg_finish (b, &run);
    g_assert_cmpint (run.signal, ==, SIGKILL);
  }
  {
    g_autoptr(Bg) c = start_stalled (f, "c", &stalled_dash_range, 100);
    g_autofree char *line = bg_wait_line (c, "progress c: ");

    g_subprocess_send_signal (c->child, SIGINT);
    bg_finish (c, &run);
    g_assert_cmpint (run.status, ==, EXIT_INTERRUPTED);
  }

  g_assert_cmpint (run_tool (f, &run, "pause-all", NULL), ==, 0);
  g_assert_cmpstr (run.out, ==, "paused all\n");
  g_assert_cmpint (run_tool (f, &run, "list", NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("^a +completed ", run.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^b +paused ", run.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^c +paused ", run.out, G_REGEX_MULTILINE, 0));

  /* resume-all follows both to the end */
  offline_test_server_clear_switches (f->server);
  g_assert_cmpint (run_tool (f, &run, "resume-all", NULL), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, "completed b\n"));
  g_assert_nonnull (strstr (run.out, "completed c\n"));
  g_assert_null (strstr (run.out, "completed a\n"));
  assert_stored (f, "b", stalled_hls_fmp4.manifest, options_b);
  assert_stored (f, "c", stalled_dash_range.manifest, options_c);
  assert_listed (f, "a", "completed");
  assert_listed (f, "b", "completed");
  assert_listed (f, "c", "completed");
  /* nothing left to resume */
  g_assert_cmpint (run_tool (f, &run, "resume-all", NULL), ==, 0);
  g_assert_cmpstr (run.out, ==, "");

  g_assert_cmpint (run_tool (f, &run, "remove-all", NULL), ==, 0);
  g_assert_cmpstr (run.out, ==, "removed all\n");
  entries = list_json (f);
  g_assert_cmpuint (json_array_get_length (entries), ==, 0);
  dirs = entry_dirs (f);
  g_assert_cmpuint (dirs->len, ==, 0);
}

/* SIGINT during resume-all pauses every entry it follows. */
static void
test_resume_all_interrupt (OfflineTestManager *f,
                           gconstpointer       data)
{
  g_auto(Run) run = { 0 };

  {
    g_autoptr(Bg) a = start_stalled (f, "a", &stalled_dash, 100);
    g_autofree char *line = bg_wait_line (a, "progress a: ");

    g_subprocess_send_signal (a->child, SIGKILL);
    bg_finish (a, &run);
  }
  {
    g_autoptr(Bg) all = NULL;
    g_autofree char *line = NULL;

    offline_test_server_clear_switches (f->server);
    offline_test_server_fail_next (f->server, stalled_dash.stall, 1, 503, "60");
    all = bg_start (f, "resume-all", NULL);
    line = bg_wait_line (all, "state a: downloading");
    g_subprocess_send_signal (all->child, SIGINT);
    bg_finish (all, &run);
    g_assert_cmpint (run.status, ==, EXIT_INTERRUPTED);
    g_assert_cmpstr (run.err, ==, "offlinemgr: paused a\n");
  }
  assert_listed (f, "a", "paused");
  resume_and_check (f, "a", &stalled_dash);
}

static void
test_hostile_ids (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  const char *ids[] = { "../x", "/etc/passwd", "a/../../b", "..", "." };
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) dirs = NULL;
  g_auto(Run) run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_assert_cmpint (run_tool (f, &run, "download", ids[i], "--url", url, NULL), ==, 0);
    assert_stored (f, ids[i], TEMPLATE, NULL);
    assert_info_state (f, ids[i], "completed");
  }
  /* nothing but the store in its parent directory */
  dir = g_dir_open (f->tmp_dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "store");
  g_assert_null (g_dir_read_name (dir));
  dirs = entry_dirs (f);
  g_assert_cmpuint (dirs->len, ==, G_N_ELEMENTS (ids));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (run_tool (f, &run, "remove", ids[i], NULL), ==, 0);
  g_clear_pointer (&dirs, g_ptr_array_unref);
  dirs = entry_dirs (f);
  g_assert_cmpuint (dirs->len, ==, 0);
  g_assert_true (g_file_test ("/etc/passwd", G_FILE_TEST_IS_REGULAR));
}

/* Ids that are empty, too long or not UTF-8: one error line naming
 * OFFLINE_ERROR_INVALID_ARGUMENT, exit 1, nothing stored, from every
 * command that takes an id. */
static void
test_invalid_ids (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autofree char *longest = g_strnfill (255, 'x');
  g_autofree char *too_long = g_strnfill (256, 'x');
  const char *ids[] = { "", too_long, "bad-\xff-utf8", "\xc3" };
  g_autoptr(JsonArray) entries = NULL;
  g_auto(Run) run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++) {
    run_tool (f, &run, "download", ids[i], "--url", url, NULL);
    assert_failed (&run, "OFFLINE_ERROR_INVALID_ARGUMENT");
    g_assert_cmpstr (run.out, ==, "");
    run_tool (f, &run, "info", ids[i], NULL);
    assert_failed (&run, "OFFLINE_ERROR_INVALID_ARGUMENT");
    run_tool (f, &run, "info", ids[i], "--json", NULL);
    assert_failed (&run, "OFFLINE_ERROR_INVALID_ARGUMENT");
    run_tool (f, &run, "resume", ids[i], NULL);
    assert_failed (&run, "OFFLINE_ERROR_INVALID_ARGUMENT");
    run_tool (f, &run, "remove", ids[i], NULL);
    assert_failed (&run, "OFFLINE_ERROR_INVALID_ARGUMENT");
  }
  entries = list_json (f);
  g_assert_cmpuint (json_array_get_length (entries), ==, 0);
  g_assert_cmpuint (count_stored_files (f), ==, 0);

  /* the longest id allowed is stored */
  g_assert_cmpint (run_tool (f, &run, "download", longest, "--url", url, NULL), ==, 0);
  assert_stored (f, longest, TEMPLATE, NULL);
}

/* Ids with control characters are stored as they are; the human output
 * of list and info escapes them (JSON escapes them its own way). */
static void
test_control_ids (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  const char *id = "evil\n\033[31mred\ttab\\";
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run_tool (f, &run, "download", id, "--url", url, "--name", "n\033]0;x\a",
                             NULL), ==, 0);
  g_assert_null (strchr (run.out, '\033'));
  g_assert_nonnull (strstr (run.out, "completed evil\\n\\033[31mred\\ttab\\\\\n"));
  assert_info_state (f, id, "completed");
  assert_stored (f, id, TEMPLATE, NULL);

  g_assert_cmpint (run_tool (f, &run, "list", NULL), ==, 0);
  g_assert_null (strchr (run.out, '\033'));
  g_assert_null (strchr (run.out, '\t'));
  g_assert_nonnull (strstr (run.out, "evil\\n\\033[31mred\\ttab\\\\ "));
  g_assert_nonnull (strstr (run.out, "n\\033]0;x\\007\n"));
  /* a header line and one line for the entry */
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);

  g_assert_cmpint (run_tool (f, &run, "info", id, NULL), ==, 0);
  g_assert_null (strchr (run.out, '\033'));
  g_assert_true (g_str_has_prefix (run.out, "id:          evil\\n\\033[31mred\\ttab\\\\\n"));
}

/* The commands `offlinemgr --help` lists, from its "Commands:" section. */
static GPtrArray *
listed_commands (const char *help)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  gboolean in_commands = FALSE;

  for (guint i = 0; lines[i] != NULL; i++) {
    if (g_str_equal (lines[i], "Commands:"))
      in_commands = TRUE;
    else if (in_commands && g_str_has_prefix (lines[i], "  "))
      g_ptr_array_add (names, g_strndup (lines[i] + 2, strcspn (lines[i] + 2, " ")));
    else if (in_commands)
      break;
  }
  return names;
}

/* The commands the man page describes: the first word of each tag (the
 * line after .TP) of its COMMANDS section, with "\-" read as "-". */
static GPtrArray *
man_commands (const char *man)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (man, "\n", -1);
  gboolean in_commands = FALSE;
  int depth = 0;

  for (guint i = 0; lines[i] != NULL; i++) {
    if (g_str_has_prefix (lines[i], ".SH")) {
      in_commands = g_str_equal (lines[i], ".SH COMMANDS");
      continue;
    }
    if (g_str_has_prefix (lines[i], ".RS"))
      depth++;
    else if (g_str_has_prefix (lines[i], ".RE"))
      depth--;
    if (in_commands && depth == 0 && g_str_equal (lines[i], ".TP") && lines[i + 1] != NULL) {
      const char *tag = lines[i + 1];
      g_autoptr(GString) word = g_string_new (NULL);

      tag += strcspn (tag, " ");          /* the macro: .B, .BI, .BR */
      tag += strspn (tag, " \"");
      for (; *tag != '\0' && *tag != ' ' && *tag != '"'; tag++) {
        if (tag[0] == '\\' && tag[1] == '-')
          tag++;
        g_string_append_c (word, *tag);
      }
      g_ptr_array_add (names, g_strdup (word->str));
    }
  }
  return names;
}

/* --help of the tool and of every command, --version, and the man page
 * describing every command --help lists, its exit statuses and its
 * environment. */
static void
test_help (OfflineTestManager *f,
           gconstpointer       data)
{
  g_autofree char *other = g_build_filename (f->tmp_dir, "other", NULL);
  g_autofree char *man_path = g_test_build_filename (G_TEST_DIST, "..", "tools", "offlinemgr.1",
                                                    NULL);
  g_autofree char *man = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) described = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) { "--help", NULL }), ==, 0);
  listed = listed_commands (run.out);
  g_assert_cmpuint (listed->len, >=, 9);

  for (guint i = 0; i < listed->len; i++) {
    const char *command = g_ptr_array_index (listed, i);
    g_autofree char *usage_line = g_strdup_printf (" %s ", command);

    g_assert_cmpint (run_tool_full (other, NULL, &run,
                                    (const char *[]) { command, "--help", NULL }), ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_true (g_str_has_prefix (run.out, "Usage:"));
    g_assert_nonnull (strstr (run.out, usage_line));
    g_assert_nonnull (strstr (run.out, "--help"));
    g_assert_cmpint (run_tool_full (other, NULL, &run,
                                    (const char *[]) { command, "-h", NULL }), ==, 0);
  }
  g_assert_cmpint (run_tool_full (other, NULL, &run,
                                  (const char *[]) { "download", "--help", NULL }), ==, 0);
  g_assert_nonnull (strstr (run.out, "--max-retries"));
  g_assert_nonnull (strstr (run.out, "--no-metered"));
  g_assert_nonnull (strstr (run.out, "--url"));
  /* nothing was opened */
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) { "--version", NULL }), ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "offlinemgr "));
  g_assert_true (g_ascii_isdigit (run.out[strlen ("offlinemgr ")]));

  g_file_get_contents (man_path, &man, NULL, &error);
  g_assert_no_error (error);
  described = man_commands (man);
  for (guint i = 0; i < listed->len; i++) {
    const char *command = g_ptr_array_index (listed, i);

    if (!g_ptr_array_find_with_equal_func (described, command, g_str_equal, NULL))
      g_error ("the man page does not describe the command \"%s\"", command);
  }
  for (guint i = 0; i < described->len; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (listed, g_ptr_array_index (described, i),
                                                     g_str_equal, NULL));
  g_assert_nonnull (strstr (man, "\n.SH EXIT STATUS\n"));
  g_assert_nonnull (strstr (man, "\n.SH ENVIRONMENT\n"));
  g_assert_nonnull (strstr (man, "\n.B OFFLINEMGR_STORE\n"));
  g_assert_nonnull (strstr (man, "\n.B 130\n"));
  g_assert_nonnull (strstr (man, "max\\-retries"));
  g_assert_nonnull (strstr (man, "no\\-metered"));
}

/* --max-retries: usage errors, and a refused connection that fails fast
 * whatever it says. */
static void
test_max_retries (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *refused = NULL;
  g_auto(Run) run = { 0 };
  guint16 port;

  g_assert_cmpint (run_tool (f, &run, "download", "e", "--url", url, "--max-retries", "-1", NULL),
                   ==, EXIT_USAGE);
  g_assert_cmpint (run_tool (f, &run, "download", "e", "--url", url, "--max-retries", "101", NULL),
                   ==, EXIT_USAGE);
  g_assert_cmpint (run_tool (f, &run, "resume", "e", "--max-retries", "x", NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_tool (f, &run, "list", "--max-retries", "1", NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_tool (f, &run, "list", "--no-metered", NULL), ==, EXIT_USAGE);

  socket = offline_test_refusing_socket (&port);
  refused = g_strdup_printf ("http://127.0.0.1:%u/manifest.mpd", port);

  run_tool (f, &run, "download", "r", "--url", refused, NULL);
  assert_failed (&run, "OFFLINE_ERROR_DOWNLOAD_FAILED");
  g_assert_nonnull (strstr (run.err, "(gave up after 2 retries)"));
  run_tool (f, &run, "download", "r", "--url", refused, "--max-retries", "1", NULL);
  assert_failed (&run, "OFFLINE_ERROR_DOWNLOAD_FAILED");
  g_assert_nonnull (strstr (run.err, "(gave up after 1 retries)"));

  /* a transient fault is retried up to --max-retries */
  offline_test_server_fail_next (f->server, TEMPLATE, OFFLINE_TEST_SERVER_ALWAYS, 503, "0");
  run_tool (f, &run, "download", "t", "--url", url, "--max-retries", "3", NULL);
  assert_failed (&run, "OFFLINE_ERROR_DOWNLOAD_FAILED");
  g_assert_nonnull (strstr (run.err, "(gave up after 3 retries)"));
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, TEMPLATE), ==, 4);
  offline_test_server_clear_switches (f->server);
  g_assert_cmpint (run_tool (f, &run, "download", "t", "--url", url, "--max-retries", "0", NULL),
                   ==, 0);
  assert_stored (f, "t", TEMPLATE, NULL);
  /* --no-metered on a network that is not metered (GIO's "base" monitor,
   * tests/meson.build): nothing waits */
  g_assert_cmpint (run_tool (f, &run, "download", "m", "--url", url, "--no-metered", NULL), ==, 0);
  g_assert_null (strstr (run.out, "waiting"));
  assert_stored (f, "m", TEMPLATE, NULL);
}

/* The plain progress lines: bytes and segments agree (100.0 % only with
 * every segment done). The segments of an HLS media playlist (no
 * BANDWIDTH) are cut off once after 1000 bytes, then retried after the
 * backoff: the first report comes while they have bytes and none is done. */
static void
test_progress_lines (OfflineTestManager *f,
                     gconstpointer       data)
{
  const char *path = "hls/muxed/stream_320x180.m3u8";
  g_autofree char *url = offline_test_server_get_url (f->server, path);
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_progress = 0;

  for (guint i = 0; i < 3; i++) {
    g_autofree char *segment = g_strdup_printf ("hls/muxed/stream_320x180_%03u.ts", i);

    offline_test_server_truncate_next (f->server, segment, 1, 1000);
  }
  g_assert_cmpint (run_tool (f, &run, "download", "e", "--url", url, NULL), ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    double percent;
    guint64 downloaded, expected;
    guint done, total;

    if (!g_str_has_prefix (lines[i], "progress e: "))
      continue;
    g_test_message ("%s", lines[i]);
    g_assert_cmpint (sscanf (lines[i], "progress e: %lf%% %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                             " bytes, %u/%u segments", &percent, &downloaded, &expected, &done,
                             &total), ==, 5);
    n_progress++;
    g_assert_cmpuint (total, ==, 3);
    if (done < total) {
      g_assert_cmpfloat (percent, <, 100.0);
      g_assert_cmpuint (downloaded, <, expected);
    } else {
      g_assert_cmpfloat (percent, ==, 100.0);
      g_assert_cmpuint (downloaded, ==, expected);
    }
  }
  g_assert_cmpuint (n_progress, >, 0);
  assert_stored (f, "e", path, NULL);
}

/* On a terminal: a progress bar redrawn in place, no plain lines. */
static void
test_progress_bar (OfflineTestManager *f,
                   gconstpointer       data)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(Run) run = { 0 };
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;
  int master, slave;

  master = posix_openpt (O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt (master) < 0 || unlockpt (master) < 0) {
    g_test_skip ("no pseudo-terminal");
    return;
  }
  slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "OFFLINEMGR_STORE");
  g_subprocess_launcher_take_stdout_fd (launcher, slave);
  offline_test_server_set_latency (f->server, 100);
  child = g_subprocess_launcher_spawn (launcher, &error, cli_path, "--store", f->store_path,
                                       "download", "e", "--url", url, NULL);
  g_assert_no_error (error);
  g_clear_object (&launcher);   /* closes our copy of the slave */

  /* read the terminal until the tool is gone (EIO) */
  while (TRUE) {
    struct pollfd pfd = { master, POLLIN, 0 };
    char buffer[4096];
    ssize_t n;

    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    if (poll (&pfd, 1, 1000) <= 0)
      continue;
    n = read (master, buffer, sizeof buffer);
    if (n <= 0)
      break;
    g_string_append_len (out, buffer, n);
  }
  close (master);
  wait_child (child, &run);
  g_assert_cmpint (run.status, ==, 0);

  {
    g_autofree char *escaped = g_strescape (out->str, NULL);

    g_test_message ("terminal output: %s", escaped);
  }
  g_assert_true (g_str_has_prefix (out->str, "\r\033[K["));
  g_assert_nonnull (strstr (out->str, "] 100.0%  "));
  g_assert_nonnull (strstr (out->str, "/s  ETA "));
  g_assert_true (g_str_has_suffix (out->str, "\r\ncompleted e\r\n"));
  g_assert_null (strstr (out->str, "progress "));
  g_assert_null (strstr (out->str, "state "));
  assert_stored (f, "e", TEMPLATE, NULL);
}

static void
add (const char    *name,
     gconstpointer  data,
     void         (*test) (OfflineTestManager *, gconstpointer))
{
  g_test_add (name, OfflineTestManager, data, offline_test_cli_setup, test,
              offline_test_manager_teardown);
}

int
main (int    argc,
      char **argv)
{
  static const struct {
    const char *name;
    const Stalled *stalled;
  } fixtures[] = {
    { "dash", &stalled_dash },
    { "hls-fmp4", &stalled_hls_fmp4 },
    { "dash-range", &stalled_dash_range },
  };
  static const char *moments[] = { "start", "first-progress", "late" };
  static KillCase kills[G_N_ELEMENTS (fixtures) * G_N_ELEMENTS (moments)];

  g_test_init (&argc, &argv, NULL);

  cli_path = g_getenv ("OFFLINEMGR_CLI");
  if (cli_path == NULL) {
    g_printerr ("OFFLINEMGR_CLI must name the offlinemgr executable (meson test sets it)\n");
    return 1;
  }

  add ("/cli/download-info-list", NULL, test_download_info_list);
  add ("/cli/progress-bar", NULL, test_progress_bar);
  add ("/cli/usage", NULL, test_usage);
  add ("/cli/help", NULL, test_help);
  add ("/cli/max-retries", NULL, test_max_retries);
  add ("/cli/progress-lines", NULL, test_progress_lines);
  add ("/cli/errors", NULL, test_errors);
  add ("/cli/store-locked", NULL, test_store_locked);
  add ("/cli/interrupt/sigint", GINT_TO_POINTER (SIGINT), test_interrupt);
  add ("/cli/interrupt/sigterm", GINT_TO_POINTER (SIGTERM), test_interrupt);
  add ("/cli/interrupt/preparing", NULL, test_interrupt_preparing);
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++) {
    for (guint j = 0; j < G_N_ELEMENTS (moments); j++) {
      KillCase *c = &kills[i * G_N_ELEMENTS (moments) + j];
      g_autofree char *name = g_strdup_printf ("/cli/kill/%s/%s", fixtures[i].name, moments[j]);

      c->stalled = fixtures[i].stalled;
      c->moment = (Moment) j;
      add (name, c, test_kill);
    }
  }
  add ("/cli/remove", NULL, test_remove);
  add ("/cli/export", NULL, test_export);
  add ("/cli/all", NULL, test_all);
  add ("/cli/resume-all-interrupt", NULL, test_resume_all_interrupt);
  add ("/cli/hostile-ids", NULL, test_hostile_ids);
  add ("/cli/invalid-ids", NULL, test_invalid_ids);
  add ("/cli/control-ids", NULL, test_control_ids);

  return g_test_run ();
}
