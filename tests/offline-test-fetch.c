/* offline-test-fetch.c: running OfflineFetcher fetches to completion in the
 * tests, and checking the files they write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "offline-test-fetch.h"

void
offline_test_fetch_clear (OfflineTestFetch *fetch)
{
  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_clear_pointer (&fetch->content_type, g_free);
  g_clear_pointer (&fetch->final_uri, g_free);
  g_clear_error (&fetch->error);
}

static void
on_progress (gint64   delta,
             gpointer user_data)
{
  OfflineTestFetch *fetch = user_data;

  fetch->progress += delta;
  fetch->lowest_delta = MIN (fetch->lowest_delta, delta);
  fetch->progress_calls++;
}

static void
on_file_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OfflineTestFetch *fetch = user_data;

  fetch->ok = offline_fetcher_fetch_file_finish (OFFLINE_FETCHER (source), result, &fetch->size,
                                                 &fetch->error);
  g_assert_true (fetch->ok == (fetch->error == NULL));
  fetch->done = TRUE;
}

static void
on_bytes_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OfflineTestFetch *fetch = user_data;

  fetch->bytes = offline_fetcher_fetch_bytes_finish (OFFLINE_FETCHER (source), result,
                                                     &fetch->content_type, &fetch->final_uri,
                                                     &fetch->error);
  fetch->ok = fetch->bytes != NULL;
  g_assert_true (fetch->ok == (fetch->error == NULL));
  fetch->done = TRUE;
}

void
offline_test_fetch_file_start (OfflineFetcher   *fetcher,
                               const char       *uri,
                               gint64            offset,
                               gint64            length,
                               const char       *path,
                               GCancellable     *cancellable,
                               OfflineTestFetch *fetch)
{
  offline_fetcher_fetch_file_async (fetcher, uri, offset, length, path, cancellable,
                                    on_progress, fetch, on_file_fetched, fetch);
}

void
offline_test_fetch_bytes_start (OfflineFetcher   *fetcher,
                                const char       *uri,
                                gsize             max_size,
                                GCancellable     *cancellable,
                                OfflineTestFetch *fetch)
{
  offline_fetcher_fetch_bytes_async (fetcher, uri, max_size, cancellable, on_bytes_fetched, fetch);
}

void
offline_test_fetch_wait (OfflineTestFetch *fetch)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!fetch->done) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
}

void
offline_test_fetch_assert_failed (OfflineTestFetch *fetch,
                                  const char       *message)
{
  g_assert_true (fetch->done);
  g_assert_false (fetch->ok);
  g_assert_error (fetch->error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
  if (strstr (fetch->error->message, message) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", fetch->error->message, message);
}

gsize
offline_test_data_size (const char *data_path)
{
  g_autoptr(GBytes) data = offline_test_load (data_path);

  return g_bytes_get_size (data);
}

void
offline_test_assert_file (const char *path,
                          const char *data_path,
                          gint64      offset,
                          gint64      length)
{
  g_autoptr(GBytes) expected = offline_test_load (data_path);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *contents = NULL;
  const guint8 *data = g_bytes_get_data (expected, NULL);
  gsize size = 0;

  if (!g_file_get_contents (path, &contents, &size, NULL))
    g_error ("%s was not written", path);
  if (length < 0)
    length = (gint64) g_bytes_get_size (expected) - offset;
  g_assert_cmpmem (contents, size, data + offset, (gsize) length);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

void
offline_test_write_part (const char *path,
                         const char *data_path,
                         gsize       offset,
                         gsize       length)
{
  g_autoptr(GBytes) data = offline_test_load (data_path);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (offset + length, <=, g_bytes_get_size (data));
  g_file_set_contents (part, (const char *) g_bytes_get_data (data, NULL) + offset, length, &error);
  g_assert_no_error (error);
}

void
offline_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      offline_test_remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static gboolean
run (const char *const *argv)
{
  int status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

gboolean
offline_test_mount_tmpfs (const char *dir,
                          gsize       size)
{
  g_autofree char *options = g_strdup_printf ("size=%" G_GSIZE_FORMAT, size);

  return run ((const char *[]) { "mount", "-t", "tmpfs", "-o", options, "tmpfs", dir, NULL });
}

void
offline_test_remount_tmpfs (const char *dir,
                            gsize       size)
{
  g_autofree char *options = g_strdup_printf ("remount,size=%" G_GSIZE_FORMAT, size);

  g_assert_true (run ((const char *[]) { "mount", "-o", options, dir, NULL }));
}

void
offline_test_unmount (const char *dir)
{
  g_assert_true (run ((const char *[]) { "umount", dir, NULL }));
}
