/* test-store-files.c: the files of the store (lock, hostile ids, removal,
 * orphans, .part files, a corrupt index, a full disk), on a real SQLite
 * file in a temp dir
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "offline-store-fs-private.h"
#include "offline-test-fetch.h"
#include "offline-test-store.h"

/* A partly downloaded resource @index of @resources: returns the path of
 * its ".part" file (transfer full). */
static char *
write_part (OfflineTestStore *fixture,
            const char       *id,
            GArray           *resources,
            guint             index)
{
  OfflineStoreResource *resource = &g_array_index (resources, OfflineStoreResource, index);
  g_autofree char *file = offline_test_store_write_resource (fixture, id, resource->id, 5);
  char *part = g_strconcat (file, ".part", NULL);

  g_assert_cmpint (g_rename (file, part), ==, 0);
  return part;
}

/* Runs this program as "--lock-child PATH": what it prints. */
static char *
run_lock_child (const char *program,
                const char *path)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  char *output = NULL;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            program, "--lock-child", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  return output;
}

/* The child side of test_locked(). */
static int
lock_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStore) store = offline_store_open (path, NULL, &error);

  if (store != NULL)
    g_print ("opened\n");
  else if (g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE_LOCKED))
    g_print ("locked\n");
  else
    g_print ("error %d: %s\n", error->code, error->message);
  return 0;
}

static void
test_locked (OfflineTestStore *fixture,
             gconstpointer     data)
{
  const char *program = data;
  g_autofree char *output = NULL;

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);

  output = run_lock_child (program, fixture->path);
  g_assert_cmpstr (output, ==, "locked\n");
  g_clear_pointer (&output, g_free);

  /* a second store object in this process is refused too */
  FAILS (OFFLINE_ERROR_STORE_LOCKED, offline_store_open, fixture->path, NULL);

  /* finalizing the store releases the lock */
  g_clear_object (&fixture->store);
  output = run_lock_child (program, fixture->path);
  g_assert_cmpstr (output, ==, "opened\n");

  fixture->store = OK (offline_store_open, fixture->path, NULL);
  g_object_unref (OK (offline_store_get_entry, fixture->store, "movie"));
}

/* Asserts that the temp dir holds only the store, and the store only its
 * own files, with entry directories and files named by numbers. */
static void
assert_store_layout (OfflineTestStore *fixture)
{
  g_autoptr(GDir) tmp = g_dir_open (fixture->tmp, 0, NULL);
  g_autoptr(GDir) store = g_dir_open (fixture->path, 0, NULL);
  g_autofree char *entries_path = g_build_filename (fixture->path, "entries", NULL);
  g_autoptr(GDir) entries = g_dir_open (entries_path, 0, NULL);
  const char *name;

  g_assert_cmpstr (g_dir_read_name (tmp), ==, "store");
  g_assert_null (g_dir_read_name (tmp));
  while ((name = g_dir_read_name (store)) != NULL)
    g_assert_true (g_strv_contains ((const char *[]) {
                     "lock", "index.sqlite", "index.sqlite-wal", "index.sqlite-shm", "entries",
                     "reserve", NULL
                   }, name));
  while ((name = g_dir_read_name (entries)) != NULL) {
    g_autofree char *dir_path = g_build_filename (entries_path, name, NULL);
    g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
    const char *file;

    g_assert_true (g_ascii_isdigit (name[0]));
    g_assert_nonnull (dir);
    while ((file = g_dir_read_name (dir)) != NULL)
      g_assert_true (g_ascii_isdigit (file[0]));
  }
}

static void
test_hostile_ids (OfflineTestStore *fixture,
                  gconstpointer     data)
{
  g_autofree char *long_id = g_strnfill (10 * 1024, 'x');
  const char *ids[] = {
    "../../etc", "/abs", "a/b", "..", ".", long_id,
    "Ünïcødé 日本語 🎬", "'; DROP TABLE entries;--", "%s%n%x", "entries/1", "a\nb", "bad\xff\xfeutf8",
  };
  g_autofree char *entries_prefix = g_strconcat (fixture->path, "/entries/", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_autoptr(GArray) resources = NULL;
    g_autoptr(OfflineEntry) entry = NULL;
    g_autofree char *file = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *relative = NULL;

    offline_test_store_create (fixture, ids[i], DASH_FIXTURE);
    entry = OK (offline_store_get_entry, fixture->store, ids[i]);
    g_assert_cmpstr (offline_entry_get_id (entry), ==, ids[i]);

    resources = OK (offline_store_get_resources, fixture->store, ids[i], FALSE);
    file = offline_test_store_write_resource (fixture, ids[i],
                                              g_array_index (resources, OfflineStoreResource, 0).id, 10);
    g_assert_true (g_str_has_prefix (file, entries_prefix));
    relative = g_strdup (file + strlen (entries_prefix));
    g_assert_true (g_regex_match_simple ("^[1-9][0-9]*/[1-9][0-9]*$", relative, 0, 0));
    assert_store_layout (fixture);

    dir = g_path_get_dirname (file);
    OK (offline_store_remove_entry, fixture->store, ids[i]);
    g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
    FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_get_entry, fixture->store, ids[i]);
  }

  /* all the ids at once, then the tables are still there */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    offline_test_store_create (fixture, ids[i], DASH_FIXTURE);
  g_assert_cmpuint (offline_test_store_count_entries (fixture), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    OK (offline_store_remove_entry, fixture->store, ids[i]);
  g_assert_cmpuint (offline_test_store_count_entries (fixture), ==, 0);
  assert_store_layout (fixture);
}

static void
test_remove_directory (OfflineTestStore *fixture,
                       gconstpointer     data)
{
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *part = NULL;
  g_autofree char *outside = g_build_filename (fixture->tmp, "outside", NULL);
  g_autofree char *outside_dir = g_build_filename (fixture->tmp, "outside-dir", NULL);
  g_autofree char *link = NULL;
  g_autofree char *dir_link = NULL;

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  offline_test_store_resources (fixture, "movie", resources, 0, 2);
  part = write_part (fixture, "movie", resources, 2);
  dir = g_path_get_dirname (part);

  /* links planted in the entry directory: deleted, their targets kept */
  g_assert_true (g_file_set_contents (outside, "keep me", -1, &error));
  g_assert_cmpint (g_mkdir (outside_dir, 0700), ==, 0);
  link = g_build_filename (dir, "link", NULL);
  dir_link = g_build_filename (dir, "dir-link", NULL);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  g_assert_cmpint (symlink (outside_dir, dir_link), ==, 0);

  OK (offline_store_remove_entry, fixture->store, "movie");
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (outside, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (outside_dir, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_remove (outside), ==, 0);
  g_assert_cmpint (g_rmdir (outside_dir), ==, 0);
  /* and the rest of the store is as it was */
  assert_store_layout (fixture);
}

static void
test_part_files_kept (OfflineTestStore *fixture,
                      gconstpointer     data)
{
  g_autofree char *part = NULL;
  g_autoptr(GArray) resources = NULL;

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  OK (offline_store_set_state, fixture->store, "movie", OFFLINE_DOWNLOAD_STATE_DOWNLOADING, NULL);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  part = write_part (fixture, "movie", resources, 0);

  offline_test_store_reopen (fixture, NULL);
  g_assert_true (g_file_test (part, G_FILE_TEST_IS_REGULAR));
}

static void
test_orphans (OfflineTestStore *fixture,
              gconstpointer     data)
{
  g_autofree char *orphan = g_build_filename (fixture->path, "entries", "999999", NULL);
  g_autofree char *orphan_file = g_build_filename (orphan, "1", NULL);
  g_autofree char *foreign = g_build_filename (fixture->path, "entries", "not-a-number", NULL);
  g_autoptr(GArray) resources = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  kept = offline_test_store_write_resource (fixture, "movie",
                                            g_array_index (resources, OfflineStoreResource, 0).id, 5);
  g_assert_cmpint (g_mkdir (orphan, 0700), ==, 0);
  g_assert_true (g_file_set_contents (orphan_file, "x", -1, &error));
  g_assert_true (g_file_set_contents (foreign, "x", -1, &error));

  /* a directory no entry owns (an interrupted removal) goes at open */
  offline_test_store_reopen (fixture, NULL);
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (foreign, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_remove (foreign), ==, 0);
}

static void
test_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("test-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmp, "store", NULL);
  g_autofree char *index = g_build_filename (path, "index.sqlite", NULL);
  g_autofree char *garbage = g_strnfill (8192, '\x5a');
  g_autofree char *parent = g_path_get_dirname (tmp);
  g_autofree char *name = g_path_get_basename (tmp);

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (index, garbage, 8192, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++) {
    /* twice: a failed open released its lock */
    FAILS (OFFLINE_ERROR_STORE, offline_store_open, path, NULL);
  }

  g_assert_true (offline_store_fs_remove_tree (parent, name, &error));
  g_assert_no_error (error);
}

/* Garbage over the pages of a real index: every call fails cleanly or
 * succeeds; none crashes. */
static void
test_corrupt_pages (OfflineTestStore *fixture,
                    gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStore) store = NULL;

  offline_test_store_garble_index (fixture, 20);
  store = offline_store_open (fixture->path, NULL, &error);
  if (store == NULL) {
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
    return;
  }
  g_assert_null (offline_store_list_entries (store, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
  g_test_message ("%s", error->message);
}

/* Moves the store of @fixture to a new tmpfs of @size bytes mounted on
 * @mount_point (the store is closed: open it). FALSE if it cannot be
 * mounted (the test is then skipped). */
static gboolean
store_on_tmpfs (OfflineTestStore *fixture,
                const char       *mount_point,
                gsize             size)
{
  g_clear_object (&fixture->store);
  g_assert_cmpint (g_mkdir (mount_point, 0700), ==, 0);
  if (!offline_test_mount_tmpfs (mount_point, size)) {
    g_test_skip ("cannot mount a small tmpfs (needs root): the full disk is not tested");
    return FALSE;
  }
  g_free (fixture->path);
  fixture->path = g_build_filename (mount_point, "store", NULL);
  return TRUE;
}

/* Writes a new file in @dir until it holds @size bytes or the disk is
 * full; returns its path (transfer full). */
static char *
fill (const char *dir,
      gsize       size)
{
  static guint n_files;
  char *path = g_strdup_printf ("%s/filler-%u", dir, n_files++);
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  static const char block[4096];
  gsize written = 0;

  g_assert_cmpint (fd, >=, 0);
  /* smaller and smaller writes: up to the last byte */
  for (gsize chunk = sizeof block; chunk > 0 && written < size; chunk /= 8) {
    ssize_t n;

    while (written < size && (n = write (fd, block, MIN (chunk, size - written))) > 0)
      written += n;
  }
  g_assert_cmpint (close (fd), ==, 0);
  return path;
}

static char *
fill_disk (const char *dir)
{
  return fill (dir, G_MAXSIZE);
}

/* Asserts that the reserve holds @size allocated bytes, or is gone if 0. */
static void
assert_reserve (OfflineTestStore *fixture,
                goffset           size)
{
  g_autofree char *path = g_build_filename (fixture->path, "reserve", NULL);
  GStatBuf st;

  if (size == 0) {
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    return;
  }
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_size, ==, size);
  g_assert_cmpint ((goffset) st.st_blocks * 512, >=, size);
}

static void
assert_progress (OfflineTestStore     *fixture,
                 OfflineDownloadState  state,
                 guint                 done,
                 guint64               bytes)
{
  g_autoptr(OfflineEntry) entry = OK (offline_store_get_entry, fixture->store, "movie");
  g_autoptr(GArray) pending = OK (offline_store_get_resources, fixture->store, "movie", TRUE);

  g_assert_cmpint (offline_entry_get_state (entry), ==, state);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, done);
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, bytes);
  g_assert_cmpuint (pending->len, ==, offline_entry_get_segments_total (entry) - done);
}

/* A damaged index whose poster file is a path, not a file name of the
 * entry's directory, gives no poster path (it would point outside the
 * store); the entry is still read. */
static void
test_poster_path (OfflineTestStore *fixture,
                  gconstpointer     data)
{
  const char *damaged[] = { "../../../outside", "/etc/passwd", "..", ".", "", "a/b" };
  g_autofree char *index = g_build_filename (fixture->path, "index.sqlite", NULL);
  g_autoptr(GBytes) image = g_bytes_new_static ("PNG", 3);
  g_autoptr(GError) error = NULL;

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  g_assert_true (offline_store_set_poster (fixture->store, "movie", image, &error));
  g_assert_no_error (error);
  {
    g_autoptr(OfflineEntry) entry = OK (offline_store_get_entry, fixture->store, "movie");
    g_autofree char *expected = g_build_filename (fixture->path, "entries", "1", "poster", NULL);

    g_assert_cmpstr (offline_entry_get_poster_path (entry), ==, expected);
  }

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++) {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    g_autoptr(OfflineEntry) entry = NULL;

    g_clear_object (&fixture->store);
    g_assert_cmpint (sqlite3_open (index, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE entries SET poster_file = ?1", -1, &stmt,
                                         NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, damaged[i], -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

    offline_test_store_reopen (fixture, NULL);
    entry = OK (offline_store_get_entry, fixture->store, "movie");
    g_test_message ("poster_file %s", damaged[i]);
    g_assert_null (offline_entry_get_poster_path (entry));
    g_assert_cmpstr (offline_entry_get_id (entry), ==, "movie");
  }
}

/* On a full disk, each write that records where a download stopped gets a
 * step of the reserve back, until it is used up; a write that fails records
 * nothing; what was committed stays. */
static void
test_out_of_space (OfflineTestStore *fixture,
                   gconstpointer     data)
{
  const guint steps = OFFLINE_STORE_RESERVE_SIZE / OFFLINE_STORE_RESERVE_STEP;
  g_autofree char *mount_point = g_build_filename (fixture->tmp, "small", NULL);
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) resources = NULL;
  guint64 total;
  guint next;

  if (!store_on_tmpfs (fixture, mount_point, OFFLINE_STORE_RESERVE_SIZE + 256 * 1024))
    return;
  fixture->store = OK (offline_store_open, fixture->path, NULL);
  assert_reserve (fixture, OFFLINE_STORE_RESERVE_SIZE);
  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  g_assert_cmpuint (resources->len, >, 2 + steps);
  total = offline_test_store_resources (fixture, "movie", resources, 0, 2);
  /* the files of the others, before the disk is full */
  for (guint i = 2; i < resources->len; i++) {
    gint64 id = g_array_index (resources, OfflineStoreResource, i).id;

    g_free (offline_test_store_write_resource (fixture, "movie", id, 100 + i));
  }

  /* Starting on a full disk fails, and leaves the reserve alone. */
  g_ptr_array_add (fillers, fill_disk (mount_point));
  FAILS (OFFLINE_ERROR_OUT_OF_SPACE, offline_store_set_state, fixture->store, "movie",
         OFFLINE_DOWNLOAD_STATE_DOWNLOADING, NULL);
  assert_reserve (fixture, OFFLINE_STORE_RESERVE_SIZE);

  OK (offline_store_set_state, fixture->store, "movie", OFFLINE_DOWNLOAD_STATE_PAUSED, NULL);
  assert_reserve (fixture, OFFLINE_STORE_RESERVE_SIZE - OFFLINE_STORE_RESERVE_STEP);
  for (next = 2; next <= steps; next++) {
    g_ptr_array_add (fillers, fill_disk (mount_point));
    OK (offline_test_store_commit, fixture, "movie", resources, next, next + 1);
    total += 100 + next;
    assert_reserve (fixture, OFFLINE_STORE_RESERVE_SIZE - next * OFFLINE_STORE_RESERVE_STEP);
  }
  assert_progress (fixture, OFFLINE_DOWNLOAD_STATE_PAUSED, next, total);

  /* Used up: a batch is not recorded, nor a state. */
  g_ptr_array_add (fillers, fill_disk (mount_point));
  FAILS (OFFLINE_ERROR_OUT_OF_SPACE, offline_test_store_commit, fixture, "movie", resources,
         next, next + 1);
  FAILS (OFFLINE_ERROR_OUT_OF_SPACE, offline_store_set_state, fixture->store, "movie",
         OFFLINE_DOWNLOAD_STATE_FAILED, "disk full");
  assert_progress (fixture, OFFLINE_DOWNLOAD_STATE_PAUSED, next, total);

  /* Space is free again: the batch is committed again, the reserve topped up. */
  for (guint i = 0; i < fillers->len; i++)
    g_assert_cmpint (g_unlink (g_ptr_array_index (fillers, i)), ==, 0);
  OK (offline_test_store_commit, fixture, "movie", resources, next, next + 1);
  total += 100 + next++;
  assert_reserve (fixture, OFFLINE_STORE_RESERVE_SIZE);

  /* Opened on a full disk after a crash: the recovery gets a step too. */
  OK (offline_store_set_state, fixture->store, "movie", OFFLINE_DOWNLOAD_STATE_DOWNLOADING, NULL);
  g_clear_object (&fixture->store);
  g_ptr_array_set_size (fillers, 0);
  g_ptr_array_add (fillers, fill_disk (mount_point));
  fixture->store = OK (offline_store_open, fixture->path, recovered);
  g_assert_cmpuint (recovered->len, ==, 1);
  assert_reserve (fixture, OFFLINE_STORE_RESERVE_SIZE - OFFLINE_STORE_RESERVE_STEP);
  assert_progress (fixture, OFFLINE_DOWNLOAD_STATE_PAUSED, next, total);
  for (guint i = 0; i < next; i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = OK (offline_store_get_resource_path, fixture->store, "movie",
                                g_array_index (resources, OfflineStoreResource, i).id);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (path, &contents, &length, &error));
    g_assert_cmpuint (length, ==, 100 + i);
  }
  g_clear_object (&fixture->store);
  offline_test_unmount (mount_point);
}

/* No room for the reserve: the store works without one, and makes it once
 * there is room. */
static void
test_out_of_space_no_reserve (OfflineTestStore *fixture,
                              gconstpointer     data)
{
  g_autofree char *mount_point = g_build_filename (fixture->tmp, "small", NULL);
  g_autofree char *taken = NULL;
  g_autofree char *rest = NULL;

  if (!store_on_tmpfs (fixture, mount_point, OFFLINE_STORE_RESERVE_SIZE + 256 * 1024))
    return;
  taken = fill (mount_point, OFFLINE_STORE_RESERVE_SIZE);
  fixture->store = OK (offline_store_open, fixture->path, NULL);
  assert_reserve (fixture, 0);
  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  assert_reserve (fixture, 0);

  /* Nothing to fall back on: the stop is not recorded (the next open
   * recovers the entry as PAUSED). */
  rest = fill_disk (mount_point);
  FAILS (OFFLINE_ERROR_OUT_OF_SPACE, offline_store_set_state, fixture->store, "movie",
         OFFLINE_DOWNLOAD_STATE_PAUSED, NULL);
  assert_progress (fixture, OFFLINE_DOWNLOAD_STATE_QUEUED, 0, 0);

  g_assert_cmpint (g_unlink (taken), ==, 0);
  g_assert_cmpint (g_unlink (rest), ==, 0);
  OK (offline_store_set_state, fixture->store, "movie", OFFLINE_DOWNLOAD_STATE_PAUSED, NULL);
  assert_reserve (fixture, OFFLINE_STORE_RESERVE_SIZE);
  assert_progress (fixture, OFFLINE_DOWNLOAD_STATE_PAUSED, 0, 0);
  g_clear_object (&fixture->store);
  offline_test_unmount (mount_point);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_strcmp0 (argv[1], "--lock-child") == 0)
    return lock_child (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/store/" path, OfflineTestStore, NULL, offline_test_store_setup, func, \
              offline_test_store_teardown)

  g_test_add ("/store/locked", OfflineTestStore, argv[0], offline_test_store_setup, test_locked,
              offline_test_store_teardown);
  ADD ("hostile-ids", test_hostile_ids);
  ADD ("remove-directory", test_remove_directory);
  ADD ("part-files-kept", test_part_files_kept);
  ADD ("orphans", test_orphans);
  ADD ("poster-path", test_poster_path);
  g_test_add_func ("/store/corrupt", test_corrupt);
  ADD ("corrupt-pages", test_corrupt_pages);
  ADD ("out-of-space/reserve", test_out_of_space);
  ADD ("out-of-space/no-reserve", test_out_of_space_no_reserve);
#undef ADD

  return g_test_run ();
}
