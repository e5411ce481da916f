/* offline-test-store.c: a store in a temporary directory for the store
 * tests, and ways to fill it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "offline-store-fs-private.h"
#include "offline-test-store.h"

void
offline_test_store_setup (OfflineTestStore *fixture,
                          gconstpointer     data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp = g_dir_make_tmp ("test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmp, "store", NULL);
  fixture->store = OK (offline_store_open, fixture->path, NULL);
}

void
offline_test_store_teardown (OfflineTestStore *fixture,
                             gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (fixture->tmp);
  g_autofree char *name = g_path_get_basename (fixture->tmp);

  g_clear_object (&fixture->store);
  offline_store_fs_remove_tree (parent, name, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->tmp, G_FILE_TEST_EXISTS));
  g_free (fixture->path);
  g_free (fixture->tmp);
}

void
offline_test_store_reopen (OfflineTestStore *fixture,
                           GPtrArray        *recovered)
{
  g_clear_object (&fixture->store);
  fixture->store = OK (offline_store_open, fixture->path, recovered);
}

OfflineTrackSelection *
offline_test_store_select (OfflinePresentation    *presentation,
                           OfflineDownloadOptions *options)
{
  return offline_track_selection_new (presentation, options);
}

OfflineMediaInfo *
offline_test_store_media_info (const char *id,
                               const char *path)
{
  g_autofree char *url = offline_test_url (path);

  return g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                       "entry-id", id,
                       "manifest-url", url,
                       "name", "A name",
                       "description", "A \"description\"\nwith lines",
                       "poster-url", "http://127.0.0.1:8080/poster.jpg",
                       NULL);
}

OfflineTrackSelection *
offline_test_store_create_from (OfflineTestStore    *fixture,
                                const char          *id,
                                OfflinePresentation *presentation,
                                const char          *url_path)
{
  OfflineTrackSelection *selection = offline_test_store_select (presentation, NULL);
  g_autoptr(OfflineMediaInfo) info = offline_test_store_media_info (id, url_path);

  OK (offline_store_create_entry, fixture->store, info, selection);
  return selection;
}

OfflineTrackSelection *
offline_test_store_create_selected (OfflineTestStore *fixture,
                                    const char       *id,
                                    const char       *path)
{
  g_autoptr(OfflinePresentation) presentation = offline_test_parse_fixture (path);

  return offline_test_store_create_from (fixture, id, presentation, path);
}

void
offline_test_store_create (OfflineTestStore *fixture,
                           const char       *id,
                           const char       *path)
{
  g_object_unref (offline_test_store_create_selected (fixture, id, path));
}

guint
offline_test_store_count_entries (OfflineTestStore *fixture)
{
  g_autoptr(GPtrArray) entries = OK (offline_store_list_entries, fixture->store);

  return entries->len;
}

char *
offline_test_store_write_resource (OfflineTestStore *fixture,
                                   const char       *id,
                                   gint64            resource_id,
                                   gsize             size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = g_strnfill (size, 'x');
  char *path = OK (offline_store_get_resource_path, fixture->store, id, resource_id);

  g_assert_true (g_file_set_contents (path, contents, size, &error));
  g_assert_no_error (error);
  return path;
}

gboolean
offline_test_store_commit (OfflineTestStore  *fixture,
                           const char        *id,
                           GArray            *resources,
                           guint              from,
                           guint              to,
                           GError           **error)
{
  g_autofree gint64 *ids = g_new (gint64, to - from);
  g_autofree guint64 *sizes = g_new (guint64, to - from);

  for (guint i = from; i < to; i++) {
    ids[i - from] = g_array_index (resources, OfflineStoreResource, i).id;
    sizes[i - from] = 100 + i;
  }
  return offline_store_commit_resources (fixture->store, id, ids, sizes, to - from, error);
}

guint64
offline_test_store_resources (OfflineTestStore *fixture,
                              const char       *id,
                              GArray           *resources,
                              guint             from,
                              guint             to)
{
  guint64 total = 0;

  for (guint i = from; i < to; i++) {
    OfflineStoreResource *resource = &g_array_index (resources, OfflineStoreResource, i);
    g_autofree char *path = offline_test_store_write_resource (fixture, id, resource->id, 100 + i);

    total += 100 + i;
  }
  OK (offline_test_store_commit, fixture, id, resources, from, to);
  return total;
}

void
offline_test_store_garble_index (OfflineTestStore *fixture,
                                 guint             n)
{
  g_autofree char *index = g_build_filename (fixture->path, "index.sqlite", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  for (guint i = 0; i < n; i++) {
    g_autofree char *id = g_strdup_printf ("entry-%u", i);

    offline_test_store_create (fixture, id, DASH_FIXTURE);
  }
  g_clear_object (&fixture->store);

  g_assert_true (g_file_get_contents (index, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 3 * 4096);
  memset (contents + 4096, 0xa5, length - 4096);
  g_assert_true (g_file_set_contents (index, contents, length, &error));
  g_assert_no_error (error);
}
