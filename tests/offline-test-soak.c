/* offline-test-soak.c: what the crash and disk-fault soaks share
 * (offline-test-soak.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "offline-test-fetch.h"
#include "offline-test-manager.h"
#include "offline-test-soak.h"

#define INDEX "index.sqlite"

/* ---- the presentation ---- */

/* Writes @n seeded pseudo-random bytes into @root/@name. */
static void
write_random_file (const char *root,
                   const char *name,
                   gsize       n,
                   GRand      *rand)
{
  g_autofree char *path = g_build_filename (root, name, NULL);
  g_autofree guint8 *data = g_malloc (n);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_file_set_contents (path, (const char *) data, (gssize) n, &error);
  g_assert_no_error (error);
}

static void
write_track (OfflineTestSoak *soak,
             const char      *name,
             guint            n_segments,
             gsize            size,
             GRand           *rand)
{
  g_autofree char *init = g_strdup_printf ("%s-init.mp4", name);

  write_random_file (soak->root, init, 700, rand);
  soak->n_bytes += 700;
  for (guint i = 1; i <= n_segments; i++) {
    g_autofree char *segment = g_strdup_printf ("%s-%u.m4s", name, i);
    gsize n = size * 3 / 4 + (gsize) g_rand_int_range (rand, 0, (gint32) (size / 2));

    write_random_file (soak->root, segment, n, rand);
    soak->n_bytes += n;
  }
  soak->n_resources += 1 + n_segments;
}

#define MANIFEST \
  "<?xml version=\"1.0\"?>\n" \
  "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\"" \
  " profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"" \
  " mediaPresentationDuration=\"PT%uS\" minBufferTime=\"PT2S\">\n" \
  " <Period id=\"0\">\n" \
  "  <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n" \
  "   <SegmentTemplate timescale=\"1000\" duration=\"2000\" startNumber=\"1\"" \
  " initialization=\"$RepresentationID$-init.mp4\" media=\"$RepresentationID$-$Number$.m4s\"/>\n" \
  "   <Representation id=\"v\" codecs=\"avc1.4d400c\" bandwidth=\"400000\" width=\"320\"" \
  " height=\"180\"/>\n" \
  "  </AdaptationSet>\n" \
  "  <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"en\">\n" \
  "   <SegmentTemplate timescale=\"1000\" duration=\"2000\" startNumber=\"1\"" \
  " initialization=\"$RepresentationID$-init.mp4\" media=\"$RepresentationID$-$Number$.m4s\"/>\n" \
  "   <Representation id=\"a\" codecs=\"mp4a.40.2\" bandwidth=\"64000\"/>\n" \
  "  </AdaptationSet>\n" \
  " </Period>\n" \
  "</MPD>\n"

OfflineTestSoak *
offline_test_soak_new (guint   n_segments,
                       gsize   segment_size,
                       guint32 seed)
{
  OfflineTestSoak *soak = g_new0 (OfflineTestSoak, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *manifest_path = NULL;

  soak->tmp_dir = g_dir_make_tmp ("offlinemgr-soak-XXXXXX", &error);
  g_assert_no_error (error);
  soak->root = g_build_filename (soak->tmp_dir, "www", NULL);
  soak->store_path = g_build_filename (soak->tmp_dir, "store", NULL);
  soak->fault_log = g_build_filename (soak->tmp_dir, "fault.log", NULL);
  g_assert_cmpint (g_mkdir (soak->root, 0700), ==, 0);

  write_track (soak, "v", n_segments, segment_size, rand);
  write_track (soak, "a", n_segments, segment_size / 4, rand);
  manifest = g_strdup_printf (MANIFEST, 2 * n_segments);
  manifest_path = g_build_filename (soak->root, "manifest.mpd", NULL);
  g_file_set_contents (manifest_path, manifest, -1, &error);
  g_assert_no_error (error);

  soak->server = offline_test_server_new_for_root (soak->root);
  soak->url = offline_test_server_get_url (soak->server, "manifest.mpd");
  return soak;
}

OfflineManager *
offline_test_soak_new_manager (OfflineTestSoak *soak,
                               const char      *first_property,
                               ...)
{
  g_autoptr(OfflineUrlProvider) provider = offline_url_provider_new ();
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  offline_url_provider_add (provider, "e", soak->url, "Name", "Description", NULL);
  offline_url_provider_add (provider, "f", soak->url, "Name", "Description", NULL);
  manager = g_initable_new (OFFLINE_TYPE_MANAGER, NULL, &error,
                            "store-path", soak->store_path,
                            "provider", provider,
                            "retry-delay", 5,
                            NULL);
  g_assert_no_error (error);
  if (first_property != NULL) {
    va_start (args, first_property);
    g_object_set_valist (G_OBJECT (manager), first_property, args);
    va_end (args);
  }
  return g_steal_pointer (&manager);
}

void
offline_test_soak_download_ok (OfflineManager  *manager,
                               GAsyncResult   **slot)
{
  g_autoptr(GError) error = NULL;

  offline_manager_download_finish (manager, offline_test_wait_result (slot), &error);
  g_assert_no_error (error);
  g_clear_object (slot);
}

void
offline_test_soak_free (OfflineTestSoak *soak)
{
  offline_test_server_free (soak->server);
  offline_test_remove_tree (soak->tmp_dir);
  g_free (soak->tmp_dir);
  g_free (soak->root);
  g_free (soak->store_path);
  g_free (soak->fault_log);
  g_free (soak->url);
  g_free (soak);
}

void
offline_test_soak_reset_store (OfflineTestSoak *soak)
{
  offline_test_remove_tree (soak->store_path);
}

/* ---- the store after a crash ---- */

void
offline_test_soak_state_clear (OfflineTestSoakState *state)
{
  g_clear_pointer (&state->state, g_free);
  memset (state, 0, sizeof *state);
}

/* A copy of the index files (the database, its WAL or rollback journal)
 * in a scratch directory: opening them recovers them, and the store must
 * stay as the crash left it for the next process. */
static char *
copy_index (OfflineTestSoak *soak)
{
  static const char *const suffixes[] = { "", "-wal", "-journal" };
  g_autofree char *dir = g_build_filename (soak->tmp_dir, "check", NULL);

  offline_test_remove_tree (dir);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    g_autofree char *name = g_strconcat (INDEX, suffixes[i], NULL);
    g_autofree char *from = g_build_filename (soak->store_path, name, NULL);
    g_autofree char *to = g_build_filename (dir, name, NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GError) error = NULL;
    gsize length;

    if (!g_file_get_contents (from, &contents, &length, NULL))
      continue;
    g_file_set_contents (to, contents, (gssize) length, &error);
    g_assert_no_error (error);
  }
  return g_build_filename (dir, INDEX, NULL);
}

static void
assert_sql_ok (sqlite3 *db,
               int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  assert_sql_ok (db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL));
  return stmt;
}

static void
assert_integrity (sqlite3 *db)
{
  sqlite3_stmt *stmt = prepare (db, "PRAGMA integrity_check");
  g_autoptr(GString) result = g_string_new (NULL);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (result, "%s%s", result->len ? "\n" : "", sqlite3_column_text (stmt, 0));
  assert_sql_ok (db, rc);
  sqlite3_finalize (stmt);
  g_assert_cmpstr (result->str, ==, "ok");
}

/* The bytes the server serves at @uri. */
static GBytes *
source_bytes (OfflineTestSoak *soak,
              const char      *uri)
{
  const char *base = offline_test_server_get_base_url (soak->server);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_assert_true (g_str_has_prefix (uri, base));
  path = g_build_filename (soak->root, uri + strlen (base), NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Asserts that @path, if it exists, holds the @length bytes of @source
 * (@whole) or a prefix of them; returns whether it exists. */
static gboolean
check_file (const char   *path,
            const guint8 *source,
            gsize         length,
            gboolean      whole)
{
  g_autofree char *contents = NULL;
  gsize n = 0;

  if (!g_file_get_contents (path, &contents, &n, NULL))
    return FALSE;
  if (whole)
    g_assert_cmpuint (n, ==, length);
  else
    g_assert_cmpuint (n, <=, length);
  if (memcmp (contents, source, n) != 0)
    g_error ("%s differs from what was served", path);
  return TRUE;
}

void
offline_test_soak_check (OfflineTestSoak      *soak,
                         const char           *id,
                         OfflineTestSoakState *state)
{
  g_autofree char *index = NULL;
  g_autofree char *store_index = g_build_filename (soak->store_path, INDEX, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GEnumClass) states = g_type_class_ref (OFFLINE_TYPE_DOWNLOAD_STATE);
  g_autofree char *dir = NULL;
  g_autoptr(GDir) listing = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt;
  gint64 row, bytes_done = 0, segments_done, bytes_recorded, total;
  const char *name;

  offline_test_soak_state_clear (state);
  if (!g_file_test (store_index, G_FILE_TEST_EXISTS))
    return;
  index = copy_index (soak);
  assert_sql_ok (db, sqlite3_open_v2 (index, &db, SQLITE_OPEN_READWRITE, NULL));
  assert_integrity (db);

  stmt = prepare (db, "SELECT 1 FROM sqlite_master WHERE name = 'entries'");
  if (sqlite3_step (stmt) != SQLITE_ROW) {
    /* killed while the schema was being created */
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    return;
  }
  sqlite3_finalize (stmt);
  stmt = prepare (db, "SELECT row_id, state, bytes_downloaded, segments_done, segments_total"
                      " FROM entries WHERE id = ?1");
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW) {
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    return;
  }
  state->has_entry = TRUE;
  row = sqlite3_column_int64 (stmt, 0);
  state->state = g_strdup (g_enum_get_value (states, sqlite3_column_int (stmt, 1))->value_nick);
  bytes_recorded = sqlite3_column_int64 (stmt, 2);
  segments_done = sqlite3_column_int64 (stmt, 3);
  total = sqlite3_column_int64 (stmt, 4);
  sqlite3_finalize (stmt);
  g_assert_cmpint (total, ==, soak->n_resources);

  dir = g_strdup_printf ("%s/entries/%" G_GINT64_FORMAT, soak->store_path, row);
  stmt = prepare (db, "SELECT row_id, uri, range_offset, range_length, done, size"
                      " FROM resources WHERE entry = ?1");
  sqlite3_bind_int64 (stmt, 1, row);
  while (sqlite3_step (stmt) == SQLITE_ROW) {
    gint64 resource = sqlite3_column_int64 (stmt, 0);
    g_autoptr(GBytes) source = source_bytes (soak, (const char *) sqlite3_column_text (stmt, 1));
    gint64 offset = MAX (sqlite3_column_int64 (stmt, 2), 0);
    gint64 length = sqlite3_column_int64 (stmt, 3);
    gboolean done = sqlite3_column_int (stmt, 4) != 0;
    g_autofree char *file = g_strdup_printf ("%" G_GINT64_FORMAT, resource);
    g_autofree char *part = g_strconcat (file, ".part", NULL);
    g_autofree char *file_path = g_build_filename (dir, file, NULL);
    g_autofree char *part_path = g_build_filename (dir, part, NULL);
    const guint8 *data;
    gboolean has_file;

    if (length < 0)
      length = (gint64) g_bytes_get_size (source) - offset;
    g_assert_cmpint (offset + length, <=, (gint64) g_bytes_get_size (source));
    data = (const guint8 *) g_bytes_get_data (source, NULL) + offset;
    has_file = check_file (file_path, data, (gsize) length, TRUE);
    if (check_file (part_path, data, (gsize) length, FALSE))
      state->parts++;
    if (has_file)
      state->files++;
    if (done) {
      if (!has_file)
        g_error ("resource %s is recorded done, but its file is missing", file_path);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 5), ==, length);
      bytes_done += length;
      state->done++;
    }
    g_hash_table_add (names, g_steal_pointer (&file));
    g_hash_table_add (names, g_steal_pointer (&part));
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpint (segments_done, ==, state->done);
  g_assert_cmpint (bytes_recorded, ==, bytes_done);
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL) {
    if (!g_hash_table_contains (names, name))
      g_error ("%s/%s is no file of the entry", dir, name);
  }
}

void
offline_test_soak_assert_complete (OfflineTestSoak *soak,
                                   const char      *id)
{
  g_auto(OfflineTestSoakState) state = { 0 };

  offline_test_soak_check (soak, id, &state);
  g_assert_true (state.has_entry);
  g_assert_cmpstr (state.state, ==, "completed");
  g_assert_cmpuint (state.done, ==, soak->n_resources);
  g_assert_cmpuint (state.files, ==, soak->n_resources);
  g_assert_cmpuint (state.parts, ==, 0);
}

/* ---- the tool under the injector ---- */

const char *
offline_test_fault_library (void)
{
  const char *path = g_getenv ("OFFLINE_FAULT_INJECT");

  if (path == NULL)
    g_error ("OFFLINE_FAULT_INJECT must name the fault injector library (meson test sets it)");
  return path;
}

char **
offline_test_fault_env (OfflineTestSoak *soak,
                        const char      *op,
                        guint            at,
                        const char      *action,
                        guint            times)
{
  g_autoptr(GStrvBuilder) env = g_strv_builder_new ();
  const char *preload = g_getenv ("LD_PRELOAD");
  g_autofree char *with = NULL;

  /* a sanitizer's runtime must come first */
  if (preload != NULL && *preload != '\0')
    with = g_strconcat (preload, ":", offline_test_fault_library (), NULL);
  else
    with = g_strdup (offline_test_fault_library ());
  g_strv_builder_add_many (env, "LD_PRELOAD", with, "OFFLINE_FAULT_DIR", soak->store_path,
                           "OFFLINE_FAULT_LOG", soak->fault_log, NULL);
  if (action != NULL) {
    g_autofree char *at_text = g_strdup_printf ("%u", at);

    g_strv_builder_add_many (env, "OFFLINE_FAULT_OP", op, "OFFLINE_FAULT_AT", at_text,
                             "OFFLINE_FAULT_ACTION", action, NULL);
    if (times > 0) {
      g_autofree char *times_text = g_strdup_printf ("%u", times);

      g_strv_builder_add_many (env, "OFFLINE_FAULT_TIMES", times_text, NULL);
    }
  }
  return g_strv_builder_end (env);
}

char **
offline_test_fault_log_lines (OfflineTestSoak *soak,
                              const char      *prefix,
                              gboolean         clear)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();

  if (g_file_get_contents (soak->fault_log, &contents, NULL, NULL)) {
    lines = g_strsplit (contents, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
      if (g_str_has_prefix (lines[i], prefix))
        g_strv_builder_add (found, lines[i]);
    }
  }
  if (clear)
    g_unlink (soak->fault_log);
  return g_strv_builder_end (found);
}

static GPtrArray *
collect_args (const char *first,
              va_list     ap)
{
  GPtrArray *args = g_ptr_array_new ();

  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  g_ptr_array_add (args, NULL);
  return args;
}

static GSubprocess *
spawn (OfflineTestSoak    *soak,
       const char * const *env,
       GPtrArray          *args)
{
  return spawn_tool_with_env (soak->store_path, NULL, env,
                              G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              (const char * const *) args->pdata);
}

Bg *
offline_test_soak_start (OfflineTestSoak    *soak,
                         const char * const *env,
                         ...)
{
  g_autoptr(GPtrArray) args = NULL;
  va_list ap;

  va_start (ap, env);
  args = collect_args (va_arg (ap, const char *), ap);
  va_end (ap);
  return bg_new (spawn (soak, env, args));
}

int
offline_test_soak_run (OfflineTestSoak    *soak,
                       const char * const *env,
                       Run                *run,
                       ...)
{
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(Bg) bg = NULL;
  va_list ap;

  va_start (ap, run);
  args = collect_args (va_arg (ap, const char *), ap);
  va_end (ap);
  bg = bg_new (spawn (soak, env, args));
  bg_finish (bg, run);
  return run->status;
}

int
offline_test_soak_continue (OfflineTestSoak            *soak,
                            const OfflineTestSoakState *state,
                            const char                 *id,
                            const char * const         *env,
                            Run                        *run)
{
  if (state->has_entry)
    return offline_test_soak_run (soak, env, run, "resume", id, NULL);
  return offline_test_soak_run (soak, env, run, "download", id, "--url", soak->url, NULL);
}

void
offline_test_soak_finish (OfflineTestSoak *soak,
                          const char      *id)
{
  g_auto(OfflineTestSoakState) state = { 0 };
  g_autofree char *completed = g_strdup_printf ("completed %s\n", id);
  g_auto(Run) run = { 0 };

  offline_test_soak_check (soak, id, &state);
  if (g_strcmp0 (state.state, "completed") != 0) {
    g_assert_cmpint (offline_test_soak_continue (soak, &state, id, NULL, &run), ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_true (g_str_has_suffix (run.out, completed));
  }
  offline_test_soak_assert_complete (soak, id);
}

void
offline_test_soak_init (int    *argc,
                        char ***argv)
{
  g_test_init (argc, argv, NULL);
  offline_test_cli_path ();
  offline_test_fault_library ();
}

guint32
offline_test_soak_seed (void)
{
  const char *text = g_getenv ("OFFLINE_SOAK_SEED");
  guint64 seed;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &seed, NULL))
    seed = g_random_int ();
  g_test_message ("seed %" G_GUINT64_FORMAT " (replay with OFFLINE_SOAK_SEED=%" G_GUINT64_FORMAT ")",
                  seed, seed);
  return (guint32) seed;
}
