/* test-entry-metadata.c: what the provider says of an entry beyond its
 * manifest (tags, a poster image) is stored with it and outlives the
 * network
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "offline-media-info-private.h"
#include "offline-test-manager.h"

#define FIXTURE "dash/template-number/manifest.mpd"

/* Not an image, and need not be one: the store keeps what the server sent. */
static const char poster_bytes[] = "\x89PNG\r\n\x1a\n not really a picture \x00\xff";

static void
register_entry (OfflineTestManager *f,
                const char         *id,
                const char         *poster_path)
{
  const char *tags[] = { "nature", "ünïcode", NULL };
  g_autofree char *url = offline_test_server_get_url (f->server, FIXTURE);
  g_autofree char *poster = poster_path ? offline_test_server_get_url (f->server, poster_path) : NULL;
  g_autoptr(OfflineMediaInfo) info = g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                                                   "entry-id", id,
                                                   "manifest-url", url,
                                                   "name", "Name",
                                                   "poster-url", poster,
                                                   "tags", tags,
                                                   NULL);

  offline_url_provider_add_media_info (f->provider, info);
}

static void
assert_poster (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;

  g_assert_nonnull (path);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, poster_bytes, sizeof poster_bytes);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_poster_and_tags (OfflineTestManager *f,
                      gconstpointer       data)
{
  g_autoptr(GBytes) image = g_bytes_new_static (poster_bytes, sizeof poster_bytes);
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(OfflineEntry) reopened = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *json = NULL;
  g_autofree char *poster_path = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  offline_test_server_add_content (f->server, "/art/poster.png", image, "image/png");
  register_entry (f, "e", "/art/poster.png");
  g_assert_true (offline_test_download (f, "e", NULL, &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, "e", FIXTURE, NULL);

  entry = offline_test_get_entry (f, "e", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (offline_entry_get_tags (entry), ((const char *[]) { "nature", "ünïcode", NULL }));
  assert_poster (offline_entry_get_poster_path (entry));
  g_assert_true (g_str_has_prefix (offline_entry_get_poster_path (entry), f->store_path));
  poster_path = g_strdup (offline_entry_get_poster_path (entry));

  json = offline_entry_to_json (entry);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "poster_path"), ==, poster_path);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "tags"), 1),
                   ==, "ünïcode");

  /* the network is gone: a new manager still has both */
  offline_test_drop_manager (f);
  offline_test_server_set_path_status (f->server, "/art/poster.png", 404);
  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  reopened = offline_test_get_entry (f, "e", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (offline_entry_get_poster_path (reopened), ==, poster_path);
  assert_poster (offline_entry_get_poster_path (reopened));
  g_assert_cmpuint (g_strv_length ((char **) offline_entry_get_tags (reopened)), ==, 2);

  /* and removing the entry removes its poster */
  offline_manager_remove_async (f->manager, "e", NULL, offline_test_result_cb, &result);
  offline_test_finish_ok (f, offline_manager_remove_finish, &result);
  g_assert_false (g_file_test (poster_path, G_FILE_TEST_EXISTS));
}

/* A poster that cannot be had does not cost the download. */
static void
test_poster_missing (OfflineTestManager *f,
                     gconstpointer       data)
{
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  register_entry (f, "e", "/art/missing.png");
  g_assert_true (offline_test_download (f, "e", NULL, &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, "e", FIXTURE, NULL);
  entry = offline_test_get_entry (f, "e", &error);
  g_assert_no_error (error);
  g_assert_null (offline_entry_get_poster_path (entry));
  g_assert_cmpstr (offline_entry_get_poster_url (entry), !=, NULL);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, "/art/missing.png"), >=, 1);
}

static void
test_no_metadata (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_register (f, "e", FIXTURE);
  g_assert_true (offline_test_download (f, "e", NULL, &error));
  g_assert_no_error (error);
  entry = offline_test_get_entry (f, "e", &error);
  g_assert_no_error (error);
  g_assert_null (offline_entry_get_poster_path (entry));
  g_assert_nonnull (offline_entry_get_tags (entry));
  g_assert_null (offline_entry_get_tags (entry)[0]);
}

/* A store written before tags and posters (schema 2) opens, its entries
 * intact and without either; a new entry gets both. */
static void
test_schema_2 (OfflineTestManager *f,
               gconstpointer       data)
{
  g_autofree char *index = g_build_filename (f->store_path, "index.sqlite", NULL);
  g_autoptr(GBytes) image = g_bytes_new_static (poster_bytes, sizeof poster_bytes);
  g_autoptr(OfflineEntry) old = NULL;
  g_autoptr(OfflineEntry) added = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  offline_test_register (f, "old", FIXTURE);
  g_assert_true (offline_test_download (f, "old", NULL, &error));
  g_assert_no_error (error);
  offline_test_drop_manager (f);

  /* back to what schema 2 was */
  g_assert_cmpint (sqlite3_open (index, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE entries DROP COLUMN tags;"
                                     "ALTER TABLE entries DROP COLUMN poster_file;"
                                     "PRAGMA user_version = 2;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  old = offline_test_get_entry (f, "old", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_entry_get_state (old), ==, OFFLINE_DOWNLOAD_STATE_COMPLETED);
  g_assert_null (offline_entry_get_poster_path (old));
  g_assert_null (offline_entry_get_tags (old)[0]);
  offline_test_assert_stored (f, f->manager, "old", FIXTURE, NULL);

  offline_test_server_add_content (f->server, "/art/poster.png", image, "image/png");
  register_entry (f, "new", "/art/poster.png");
  g_assert_true (offline_test_download (f, "new", NULL, &error));
  g_assert_no_error (error);
  added = offline_test_get_entry (f, "new", &error);
  g_assert_no_error (error);
  assert_poster (offline_entry_get_poster_path (added));
  g_assert_cmpstr (offline_entry_get_tags (added)[0], ==, "nature");
}

/* What a second process sends the store's holder over D-Bus. */
static void
test_json_round_trip (void)
{
  const char *tags[] = { "a", "b", NULL };
  g_autoptr(OfflineMediaSource) source = offline_media_source_new (OFFLINE_MANIFEST_FORMAT_DASH,
                                                                   "http://h/a.mpd");
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(OfflineMediaInfo) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_back = NULL;

  info = g_object_new (OFFLINE_TYPE_MEDIA_INFO, "entry-id", "x", "manifest-url", "http://h/a.mpd",
                       "format", OFFLINE_MANIFEST_FORMAT_DASH, "name", "N", "description", "D",
                       "poster-url", "http://h/p.jpg", "duration", (gint64) 12500000,
                       "license-url", "http://h/lic", "drm-scheme", "clearkey",
                       "license-expiration", (gint64) 1900000000, "tags", tags, NULL);
  offline_media_source_add_drm (source, "clearkey", "http://h/lic");
  offline_media_info_add_source (info, source);
  json = offline_media_info_to_json (info);
  back = offline_media_info_new_from_json (json, &error);
  g_assert_no_error (error);
  json_back = offline_media_info_to_json (back);
  g_assert_cmpstr (json_back, ==, json);
  g_assert_cmpint (offline_media_info_get_duration (back), ==, 12500000);

  g_assert_null (offline_media_info_new_from_json ("<html>", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (offline_media_info_new_from_json ("{\"name\": 3}", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* found by fuzz-media-info: an empty manifest_url was read as none */
  g_assert_null (offline_media_info_new_from_json ("{\"manifest_url\": \"\"}", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT);
  g_clear_object (&back);
  /* … and a duration no GTimeSpan holds is unknown */
  back = offline_media_info_new_from_json ("{\"manifest_url\": \"http://h/a.mpd\", \"duration\": 1e300}",
                                           NULL);
  g_assert_cmpint (offline_media_info_get_duration (back), ==, 0);
}

static void
add (const char    *name,
     void         (*test) (OfflineTestManager *, gconstpointer))
{
  g_test_add (name, OfflineTestManager, NULL, offline_test_manager_setup, test,
              offline_test_manager_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add ("/entry-metadata/poster-and-tags", test_poster_and_tags);
  add ("/entry-metadata/poster-missing", test_poster_missing);
  add ("/entry-metadata/none", test_no_metadata);
  add ("/entry-metadata/schema-2", test_schema_2);
  g_test_add_func ("/entry-metadata/json-round-trip", test_json_round_trip);
  return g_test_run ();
}
