/* test-stored-entry.c: the store reader playback uses
 * (store/offline-stored-entry.h), on a real SQLite store in a temp dir
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The reader opens an entry read-only while an OfflineStore holds the
 * store's lock (and even a write transaction), answers the entry, its
 * tracks and the files of their segments as the writer recorded them, a
 * snapshot that later commits do not change; an unknown entry, no store
 * or a damaged index are GErrors (the tests run with fatal criticals).
 */
#include "config.h"

#include <glib/gstdio.h>

#include "offline-store-db-private.h"
#include "offline-store-fs-private.h"
#include "offline-stored-entry.h"
#include "offline-test-store.h"

#define HLS_AES_FIXTURE "hls/aes128/master.m3u8"

/* Opens entry @id of the fixture's store, asserting that it works. */
static OfflineStoredEntry *
open_stored (OfflineTestStore *fixture,
             const char       *id)
{
  g_autoptr(GError) error = NULL;
  OfflineStoredEntry *stored = offline_stored_entry_open (fixture->path, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stored);
  return stored;
}

/* Each part is the writer's resource of the same id, with its file's
 * path; the parts of a track come in sequence order, without keys. */
static void
assert_parts (OfflineTestStore   *fixture,
              OfflineStoredEntry *stored,
              const char         *id,
              GArray             *resources)
{
  GArray *parts = offline_stored_entry_get_parts (stored);
  OfflineEntry *entry = offline_stored_entry_get_entry (stored);
  guint n_tracks = offline_entry_get_tracks (entry)->len;
  guint in_tracks = 0;
  g_autoptr(GPtrArray) none = NULL;

  g_assert_cmpuint (parts->len, ==, resources->len);
  for (guint i = 0; i < parts->len; i++) {
    const OfflineStoredPart *part = &g_array_index (parts, OfflineStoredPart, i);
    const OfflineStoreResource *resource = &g_array_index (resources, OfflineStoreResource, i);
    g_autofree char *path = OK (offline_store_get_resource_path, fixture->store, id, resource->id);

    g_assert_cmpint (part->id, ==, resource->id);
    g_assert_cmpuint (part->track_index, ==, resource->track_index);
    g_assert_cmpint ((int) part->kind, ==, (int) resource->kind);
    g_assert_cmpuint (part->sequence, ==, resource->sequence);
    g_assert_cmpstr (part->uri, ==, resource->uri);
    g_assert_cmpstr (part->path, ==, path);
    g_assert_cmpint (part->start, ==, resource->start);
    g_assert_cmpint (part->duration, ==, resource->duration);
    g_assert_cmpint (part->discontinuity, ==, resource->discontinuity);
    g_assert_cmpint (part->key_id, ==, resource->key_id);
    g_assert_true ((part->iv == NULL) == (resource->iv == NULL));
    if (part->iv != NULL)
      g_assert_true (g_bytes_equal (part->iv, resource->iv));
    g_assert_cmpint (part->done, ==, resource->done);
    g_assert_cmpuint (part->size, ==, resource->size);
    g_assert_true (offline_stored_entry_find_part (stored, part->id) == part);
  }
  g_assert_null (offline_stored_entry_find_part (stored, G_MAXINT64));

  for (guint t = 0; t < n_tracks; t++) {
    g_autoptr(GPtrArray) mine = offline_stored_entry_get_track_parts (stored, t);

    g_assert_cmpuint (mine->len, >, 0);
    for (guint i = 0; i < mine->len; i++) {
      const OfflineStoredPart *part = g_ptr_array_index (mine, i);

      g_assert_cmpuint (part->track_index, ==, t);
      g_assert_cmpint (part->kind, !=, OFFLINE_STORED_PART_KEY);
      if (i > 0)
        g_assert_cmpuint (part->sequence, >, ((const OfflineStoredPart *) g_ptr_array_index (mine, i - 1))->sequence);
    }
    in_tracks += mine->len;
  }
  g_assert_cmpuint (in_tracks, ==, parts->len);
  none = offline_stored_entry_get_track_parts (stored, n_tracks);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Read while the writer holds the lock, inside its write transaction:
 * what was committed, and a snapshot that later commits leave alone. */
static void
test_while_writing (OfflineTestStore *fixture,
                    gconstpointer     data)
{
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GArray) later = NULL;
  g_autoptr(OfflineStoredEntry) stored = NULL;
  g_autoptr(OfflineStoredEntry) again = NULL;
  g_autoptr(OfflineEntry) written = NULL;
  g_autoptr(GError) error = NULL;
  OfflineStoreDb *db = offline_store_get_db (fixture->store);
  OfflineEntry *entry;
  guint half;

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  half = resources->len / 2;
  g_assert_cmpuint (half, >, 0);
  offline_test_store_resources (fixture, "movie", resources, 0, half);
  g_clear_pointer (&resources, g_array_unref);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);

  /* the writer holds the lock and is inside a write transaction */
  g_assert_true (offline_store_db_begin (db, &error));
  g_assert_no_error (error);
  stored = open_stored (fixture, "movie");
  offline_store_db_rollback (db);

  entry = offline_stored_entry_get_entry (stored);
  g_assert_cmpstr (offline_entry_get_id (entry), ==, "movie");
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_QUEUED);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, half);
  g_assert_cmpint (offline_entry_get_duration (entry), >, 0);
  written = OK (offline_store_get_entry, fixture->store, "movie");
  g_assert_cmpuint (offline_entry_get_tracks (entry)->len, ==, offline_entry_get_tracks (written)->len);
  for (guint i = 0; i < offline_entry_get_tracks (entry)->len; i++)
    g_assert_cmpstr (offline_track_get_id (g_ptr_array_index (offline_entry_get_tracks (entry), i)), ==,
                     offline_track_get_id (g_ptr_array_index (offline_entry_get_tracks (written), i)));
  g_assert_cmpint (offline_stored_entry_get_format (stored), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  assert_parts (fixture, stored, "movie", resources);

  /* the writer goes on: the snapshot stays, a new reader sees it */
  offline_test_store_resources (fixture, "movie", resources, half, resources->len);
  OK (offline_store_set_state, fixture->store, "movie", OFFLINE_DOWNLOAD_STATE_COMPLETED, NULL);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_QUEUED);
  g_assert_false (g_array_index (offline_stored_entry_get_parts (stored), OfflineStoredPart,
                                 resources->len - 1).done);
  later = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  again = open_stored (fixture, "movie");
  g_assert_cmpint (offline_entry_get_state (offline_stored_entry_get_entry (again)), ==,
                   OFFLINE_DOWNLOAD_STATE_COMPLETED);
  assert_parts (fixture, again, "movie", later);
}

/* An HLS AES-128 entry: its key part, read only once stored and sound. */
static void
test_keys (OfflineTestStore *fixture,
           gconstpointer     data)
{
  g_autoptr(GArray) resources = NULL;
  g_autoptr(OfflineStoredEntry) stored = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = NULL;
  const OfflineStoredPart *key_part;

  offline_test_store_create (fixture, "encrypted", HLS_AES_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "encrypted", FALSE);

  /* not stored yet */
  stored = open_stored (fixture, "encrypted");
  key_part = &g_array_index (offline_stored_entry_get_parts (stored), OfflineStoredPart, 0);
  g_assert_cmpint (key_part->kind, ==, OFFLINE_STORED_PART_KEY);
  g_assert_null (offline_stored_entry_read_key (stored, key_part->id, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED);
  g_clear_error (&error);
  g_clear_object (&stored);

  /* a 16-byte key, then the media segments that name it */
  key_path = offline_test_store_write_resource (fixture, "encrypted",
                                                g_array_index (resources, OfflineStoreResource, 0).id, 16);
  g_assert_true (g_file_set_contents (key_path, "0123456789abcdef", 16, &error));
  g_assert_no_error (error);
  OK (offline_store_commit_resources, fixture->store, "encrypted",
      &g_array_index (resources, OfflineStoreResource, 0).id, (guint64[]) { 16 }, 1);
  stored = open_stored (fixture, "encrypted");
  key_part = &g_array_index (offline_stored_entry_get_parts (stored), OfflineStoredPart, 0);
  g_assert_cmpstr (key_part->path, ==, key_path);
  key = offline_stored_entry_read_key (stored, key_part->id, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (key, NULL), g_bytes_get_size (key), "0123456789abcdef", 16);
  for (guint i = 1; i < offline_stored_entry_get_parts (stored)->len; i++) {
    const OfflineStoredPart *media = &g_array_index (offline_stored_entry_get_parts (stored),
                                                     OfflineStoredPart, i);

    g_assert_cmpint (media->kind, ==, OFFLINE_STORED_PART_MEDIA);
    g_assert_cmpint (media->key_id, ==, key_part->id);
    g_assert_cmpuint (g_bytes_get_size (media->iv), ==, 16);
    /* a media segment is no key */
    g_assert_null (offline_stored_entry_read_key (stored, media->id, &error));
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED);
    g_clear_error (&error);
  }

  /* a key file of the wrong size, or gone */
  g_assert_true (g_file_set_contents (key_path, "short", 5, &error));
  g_assert_no_error (error);
  g_assert_null (offline_stored_entry_read_key (stored, key_part->id, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (key_path), ==, 0);
  g_assert_null (offline_stored_entry_read_key (stored, key_part->id, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED);
}

/* The keys of a Clear Key licence, as the writer stored them; none for
 * clear content. */
static void
test_license_keys (OfflineTestStore *fixture,
                   gconstpointer     data)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_bytes_unref);
  g_autoptr(OfflineStoredEntry) clear = NULL;
  g_autoptr(OfflineStoredEntry) stored = NULL;
  GHashTable *read;
  GBytes *key;

  offline_test_store_create (fixture, "clear", DASH_FIXTURE);
  offline_test_store_create (fixture, "protected", DASH_FIXTURE);
  g_hash_table_insert (keys, g_strdup ("00112233445566778899aabbccddeeff"),
                       g_bytes_new_static ("0123456789abcdef", 16));
  g_hash_table_insert (keys, g_strdup ("ffeeddccbbaa99887766554433221100"),
                       g_bytes_new_static ("fedcba9876543210", 16));
  OK (offline_store_set_license, fixture->store, "protected", keys, 4102444800,
      "http://127.0.0.1/license");

  clear = open_stored (fixture, "clear");
  g_assert_cmpuint (g_hash_table_size (offline_stored_entry_get_license_keys (clear)), ==, 0);
  g_assert_cmpint (offline_entry_get_license_expiration (offline_stored_entry_get_entry (clear)), ==, 0);

  stored = open_stored (fixture, "protected");
  read = offline_stored_entry_get_license_keys (stored);
  g_assert_cmpuint (g_hash_table_size (read), ==, 2);
  key = g_hash_table_lookup (read, "00112233445566778899aabbccddeeff");
  g_assert_nonnull (key);
  g_assert_cmpmem (g_bytes_get_data (key, NULL), g_bytes_get_size (key), "0123456789abcdef", 16);
  key = g_hash_table_lookup (read, "ffeeddccbbaa99887766554433221100");
  g_assert_nonnull (key);
  g_assert_cmpmem (g_bytes_get_data (key, NULL), g_bytes_get_size (key), "fedcba9876543210", 16);
  g_assert_cmpint (offline_entry_get_license_expiration (offline_stored_entry_get_entry (stored)), ==,
                   4102444800);
}

/* What cannot be opened fails with its documented code. */
static void
test_not_found (OfflineTestStore *fixture,
                gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nowhere = g_build_filename (fixture->tmp, "no-store", NULL);

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);

  g_assert_null (offline_stored_entry_open (fixture->path, "no-such-entry", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (offline_stored_entry_open (fixture->path, "", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (offline_stored_entry_open (nowhere, "movie", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
  /* nothing was created there */
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
}

/* An index that is not a database, then one whose pages are garbage: a
 * GError (OFFLINE_ERROR_STORE), or an answer, never a crash or CRITICAL. */
static void
test_damaged_index (OfflineTestStore *fixture,
                    gconstpointer     data)
{
  g_autofree char *index = g_build_filename (fixture->path, "index.sqlite", NULL);
  g_autofree char *garbage = g_strnfill (8192, '\x5a');
  g_autoptr(GError) error = NULL;

  offline_test_store_garble_index (fixture, 20);
  for (guint i = 0; i < 20; i++) {
    g_autofree char *id = g_strdup_printf ("entry-%u", i);
    g_autoptr(OfflineStoredEntry) stored = offline_stored_entry_open (fixture->path, id, &error);

    g_assert_null (stored);
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
  }

  /* no database at all */
  g_assert_true (g_file_set_contents (index, garbage, 8192, &error));
  g_assert_no_error (error);
  g_assert_null (offline_stored_entry_open (fixture->path, "entry-0", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
  g_test_message ("%s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/stored-entry/" path, OfflineTestStore, NULL, offline_test_store_setup, func, \
              offline_test_store_teardown)
  ADD ("while-writing", test_while_writing);
  ADD ("keys", test_keys);
  ADD ("license-keys", test_license_keys);
  ADD ("not-found", test_not_found);
  ADD ("damaged-index", test_damaged_index);
#undef ADD

  return g_test_run ();
}
