/* test-store.c: the on-disk store, on a real SQLite file in a temp dir
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <unistd.h>

#include <glib/gstdio.h>

#include "offline-store-fs-private.h"
#include "offline-store-private.h"
#include "offline-test-utils.h"

#define DASH_FIXTURE "dash/template-number/manifest.mpd"
#define HLS_AES_FIXTURE "hls/aes128/master.m3u8"

/* The result of func (..., &error), asserting that it succeeded. */
#define OK(func, ...) \
  ({ \
    g_autoptr(GError) ok_error = NULL; \
    __auto_type ok_result = func (__VA_ARGS__, &ok_error); \
    g_assert_no_error (ok_error); \
    g_assert_true (ok_result); \
    ok_result; \
  })

/* Asserts that func (..., &error) fails with the OFFLINE_ERROR @code. */
#define FAILS(code, func, ...) \
  G_STMT_START { \
    g_autoptr(GError) fails_error = NULL; \
    g_assert_false (func (__VA_ARGS__, &fails_error) != 0); \
    g_assert_error (fails_error, OFFLINE_ERROR, code); \
  } G_STMT_END

typedef struct {
  char *tmp;            /* the temp dir: holds only the store */
  char *path;           /* tmp/store */
  OfflineStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp = g_dir_make_tmp ("test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmp, "store", NULL);
  fixture->store = OK (offline_store_open, fixture->path, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
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

static void
reopen (Fixture   *fixture,
        GPtrArray *recovered)
{
  g_clear_object (&fixture->store);
  fixture->store = OK (offline_store_open, fixture->path, recovered);
}

static OfflineTrackSelection *
select_tracks (OfflinePresentation    *presentation,
               OfflineDownloadOptions *options)
{
  return offline_track_selection_new (presentation, options);
}

static OfflineMediaInfo *
media_info (const char *id,
            const char *fixture)
{
  g_autofree char *url = offline_test_url (fixture);

  return g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                       "entry-id", id,
                       "manifest-url", url,
                       "name", "A name",
                       "description", "A \"description\"\nwith lines",
                       "poster-url", "http://127.0.0.1:8080/poster.jpg",
                       NULL);
}

/* Records entry @id for @presentation with the default options; returns
 * the selection it stores (transfer full). */
static OfflineTrackSelection *
create_from (Fixture             *fixture,
             const char          *id,
             OfflinePresentation *presentation,
             const char          *url_path)
{
  OfflineTrackSelection *selection = select_tracks (presentation, NULL);
  g_autoptr(OfflineMediaInfo) info = media_info (id, url_path);

  OK (offline_store_create_entry, fixture->store, info, selection);
  return selection;
}

/* create_from() of the fixture at @path */
static OfflineTrackSelection *
create_selected (Fixture    *fixture,
                 const char *id,
                 const char *path)
{
  g_autoptr(OfflinePresentation) presentation = offline_test_parse_fixture (path);

  return create_from (fixture, id, presentation, path);
}

static void
create (Fixture    *fixture,
        const char *id,
        const char *path)
{
  g_object_unref (create_selected (fixture, id, path));
}

static guint
count_entries (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = OK (offline_store_list_entries, fixture->store);

  return entries->len;
}

/* Writes @size bytes as resource @resource_id of entry @id; returns the
 * path (transfer full). */
static char *
write_resource (Fixture    *fixture,
                const char *id,
                gint64      resource_id,
                gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = g_strnfill (size, 'x');
  char *path = OK (offline_store_get_resource_path, fixture->store, id, resource_id);

  g_assert_true (g_file_set_contents (path, contents, size, &error));
  g_assert_no_error (error);
  return path;
}

/* A partly downloaded resource @index of @resources: returns the path of
 * its ".part" file (transfer full). */
static char *
write_part (Fixture    *fixture,
            const char *id,
            GArray     *resources,
            guint       index)
{
  g_autofree char *file = write_resource (fixture, id,
                                          g_array_index (resources, OfflineStoreResource, index).id, 5);
  char *part = g_strconcat (file, ".part", NULL);

  g_assert_cmpint (g_rename (file, part), ==, 0);
  return part;
}

/* Writes and commits resources @from .. @to - 1 of @resources with sizes
 * 100 + their index; returns the bytes committed. */
static guint64
store_resources (Fixture    *fixture,
                 const char *id,
                 GArray     *resources,
                 guint       from,
                 guint       to)
{
  g_autofree gint64 *ids = g_new (gint64, to - from);
  g_autofree guint64 *sizes = g_new (guint64, to - from);
  guint64 total = 0;

  for (guint i = from; i < to; i++) {
    OfflineStoreResource *resource = &g_array_index (resources, OfflineStoreResource, i);
    g_autofree char *path = write_resource (fixture, id, resource->id, 100 + i);

    ids[i - from] = resource->id;
    sizes[i - from] = 100 + i;
    total += 100 + i;
  }
  OK (offline_store_commit_resources, fixture->store, id, ids, sizes, to - from);
  return total;
}

static guint
count_resources (OfflineTrackSelection *selection)
{
  GPtrArray *tracks = offline_track_selection_get_tracks (selection);
  guint n = 0;

  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);

    n += offline_track_get_segments (track)->len;
    n += offline_track_get_init_segment (track) != NULL;
  }
  return n;
}

/* What an entry remembers of the media info and the selection. */
static void
test_create_get_list_remove (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(OfflineTrackSelection) selection = create_selected (fixture, "movie", DASH_FIXTURE);
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *url = offline_test_url (DASH_FIXTURE);
  GPtrArray *selected = offline_track_selection_get_tracks (selection);
  GPtrArray *tracks;

  entry = OK (offline_store_get_entry, fixture->store, "movie");
  g_assert_cmpstr (offline_entry_get_id (entry), ==, "movie");
  g_assert_cmpstr (offline_entry_get_name (entry), ==, "A name");
  g_assert_cmpstr (offline_entry_get_description (entry), ==, "A \"description\"\nwith lines");
  g_assert_cmpstr (offline_entry_get_poster_url (entry), ==, "http://127.0.0.1:8080/poster.jpg");
  g_assert_cmpstr (offline_entry_get_manifest_url (entry), ==, url);
  g_assert_cmpint (offline_entry_get_duration (entry), ==, 6 * G_USEC_PER_SEC);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_QUEUED);
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, 0);
  g_assert_cmpuint (offline_entry_get_bytes_expected (entry), ==,
                    offline_track_selection_get_estimated_size (selection));
  g_assert_cmpuint (offline_entry_get_bytes_expected (entry), >, 0);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, 0);
  /* video and audio: init + 3 segments; two text tracks of one file */
  g_assert_cmpuint (offline_entry_get_segments_total (entry), ==, 10);
  g_assert_cmpuint (offline_entry_get_segments_total (entry), ==, count_resources (selection));
  g_assert_cmpint (offline_entry_get_license_expiration (entry), ==, 0);
  g_assert_null (offline_entry_get_failure_message (entry));
  g_assert_nonnull (offline_entry_get_created (entry));
  g_assert_true (g_date_time_equal (offline_entry_get_created (entry),
                                    offline_entry_get_updated (entry)));
  g_assert_cmpint (g_date_time_get_utc_offset (offline_entry_get_created (entry)), ==, 0);

  tracks = offline_entry_get_tracks (entry);
  g_assert_cmpuint (tracks->len, ==, selected->len);
  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *stored = g_ptr_array_index (tracks, i);
    OfflineTrack *track = g_ptr_array_index (selected, i);

    g_assert_cmpint (offline_track_get_track_type (stored), ==, offline_track_get_track_type (track));
    g_assert_cmpstr (offline_track_get_id (stored), ==, offline_track_get_id (track));
    g_assert_cmpstr (offline_track_get_language (stored), ==, offline_track_get_language (track));
    g_assert_cmpstr (offline_track_get_label (stored), ==, offline_track_get_label (track));
    g_assert_cmpuint (offline_track_get_bandwidth (stored), ==, offline_track_get_bandwidth (track));
    g_assert_cmpuint (offline_track_get_width (stored), ==, offline_track_get_width (track));
    g_assert_cmpuint (offline_track_get_height (stored), ==, offline_track_get_height (track));
    g_assert_cmpfloat (offline_track_get_frame_rate (stored), ==, offline_track_get_frame_rate (track));
    g_assert_cmpstr (offline_track_get_codecs (stored), ==, offline_track_get_codecs (track));
    g_assert_cmpstr (offline_track_get_mime_type (stored), ==, offline_track_get_mime_type (track));
    g_assert_cmpuint (offline_track_get_segments (stored)->len, ==, 0);
  }
  g_assert_cmpstr (offline_track_get_id (g_ptr_array_index (tracks, 0)), ==, "1");
  g_assert_cmpuint (offline_track_get_width (g_ptr_array_index (tracks, 0)), ==, 160);
  g_assert_cmpstr (offline_track_get_language (g_ptr_array_index (tracks, 1)), ==, "en");

  create (fixture, "second", HLS_AES_FIXTURE);
  entries = OK (offline_store_list_entries, fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (offline_entry_get_id (g_ptr_array_index (entries, 0)), ==, "movie");
  g_assert_cmpstr (offline_entry_get_id (g_ptr_array_index (entries, 1)), ==, "second");
  g_clear_pointer (&entries, g_ptr_array_unref);

  OK (offline_store_remove_entry, fixture->store, "movie");
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_get_entry, fixture->store, "movie");
  entries = OK (offline_store_list_entries, fixture->store);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (offline_entry_get_id (g_ptr_array_index (entries, 0)), ==, "second");
}

static void
test_already_exists (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(OfflinePresentation) presentation = offline_test_parse_fixture (HLS_AES_FIXTURE);
  g_autoptr(OfflineTrackSelection) selection = select_tracks (presentation, NULL);
  g_autoptr(OfflineMediaInfo) info = media_info ("movie", HLS_AES_FIXTURE);
  g_autoptr(GArray) resources = NULL;

  create (fixture, "movie", DASH_FIXTURE);
  FAILS (OFFLINE_ERROR_ALREADY_EXISTS, offline_store_create_entry, fixture->store, info, selection);

  /* nothing of the refused entry was recorded */
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  g_assert_cmpuint (resources->len, ==, 10);
  g_assert_cmpuint (count_entries (fixture), ==, 1);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  const gint64 ids[] = { 1 };
  const guint64 sizes[] = { 10 };
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GPtrArray) entries = OK (offline_store_list_entries, fixture->store);

  g_assert_cmpuint (entries->len, ==, 0);
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_get_entry, fixture->store, "nope");
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_set_state, fixture->store, "nope", OFFLINE_DOWNLOAD_STATE_PAUSED, NULL);
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_set_bytes_expected, fixture->store, "nope", 10);
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_get_resources, fixture->store, "nope", FALSE);
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_get_resource_path, fixture->store, "nope", 1);
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_commit_resources, fixture->store, "nope", ids, sizes, 1);
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_remove_entry, fixture->store, "nope");
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_get_download_options, fixture->store, "nope");

  /* a resource of another entry */
  create (fixture, "a", DASH_FIXTURE);
  create (fixture, "b", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "b", FALSE);
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_get_resource_path,
         fixture->store, "a", g_array_index (resources, OfflineStoreResource, 0).id);
}

/* Keys first, then init segments, then media, at equal start times and
 * tracks. */
static int
kind_rank (OfflineStoreResourceKind kind)
{
  return kind == OFFLINE_STORE_RESOURCE_KEY ? 0 : kind == OFFLINE_STORE_RESOURCE_INIT ? 1 : 2;
}

static void
assert_download_order (GArray *resources)
{
  for (guint i = 1; i < resources->len; i++) {
    OfflineStoreResource *a = &g_array_index (resources, OfflineStoreResource, i - 1);
    OfflineStoreResource *b = &g_array_index (resources, OfflineStoreResource, i);

    g_assert_cmpint (a->start, <=, b->start);
    if (a->start == b->start) {
      g_assert_cmpuint (a->track_index, <=, b->track_index);
      if (a->track_index == b->track_index)
        g_assert_cmpint (kind_rank (a->kind), <=, kind_rank (b->kind));
    }
  }
}

static OfflineStoreResource *
find_resource (GArray                   *resources,
               guint                     track_index,
               OfflineStoreResourceKind  kind,
               guint                     sequence)
{
  for (guint i = 0; i < resources->len; i++) {
    OfflineStoreResource *resource = &g_array_index (resources, OfflineStoreResource, i);

    if (resource->track_index == track_index && resource->kind == kind &&
        resource->sequence == sequence)
      return resource;
  }
  g_assert_not_reached ();
}

/* Per track its init segment (sequence 0) and media segments (1..n), as
 * the manifest gives them, in download order. */
static void
test_resources_dash (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(OfflineTrackSelection) selection = create_selected (fixture, "movie", DASH_FIXTURE);
  GPtrArray *tracks = offline_track_selection_get_tracks (selection);
  g_autoptr(GArray) resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  g_autoptr(GArray) pending = NULL;

  g_assert_cmpuint (resources->len, ==, count_resources (selection));
  assert_download_order (resources);

  for (guint t = 0; t < tracks->len; t++) {
    OfflineTrack *track = g_ptr_array_index (tracks, t);
    OfflineSegment *init = offline_track_get_init_segment (track);
    GPtrArray *segments = offline_track_get_segments (track);

    if (init != NULL) {
      OfflineStoreResource *resource = find_resource (resources, t, OFFLINE_STORE_RESOURCE_INIT, 0);

      g_assert_cmpstr (resource->uri, ==, offline_segment_get_uri (init));
      g_assert_cmpint (resource->range_offset, ==, offline_segment_get_range_offset (init));
      g_assert_cmpint (resource->range_length, ==, offline_segment_get_range_length (init));
    }
    for (guint i = 0; i < segments->len; i++) {
      OfflineSegment *segment = g_ptr_array_index (segments, i);
      OfflineStoreResource *resource = find_resource (resources, t, OFFLINE_STORE_RESOURCE_MEDIA, i + 1);

      g_assert_cmpstr (resource->uri, ==, offline_segment_get_uri (segment));
      g_assert_cmpint (resource->range_offset, ==, offline_segment_get_range_offset (segment));
      g_assert_cmpint (resource->range_length, ==, offline_segment_get_range_length (segment));
      g_assert_cmpint (resource->start, ==, offline_segment_get_start (segment));
      g_assert_cmpint (resource->duration, ==, offline_segment_get_duration (segment));
      g_assert_cmpint (resource->discontinuity, ==, offline_segment_get_discontinuity (segment));
      g_assert_cmpint (resource->key_id, ==, 0);
      g_assert_null (resource->iv);
      g_assert_false (resource->done);
    }
  }

  /* the first two: the init segments of video and audio, then video 1 */
  g_assert_cmpint (g_array_index (resources, OfflineStoreResource, 0).kind, ==, OFFLINE_STORE_RESOURCE_INIT);
  g_assert_cmpuint (g_array_index (resources, OfflineStoreResource, 0).track_index, ==, 0);
  g_assert_cmpint (g_array_index (resources, OfflineStoreResource, 1).kind, ==, OFFLINE_STORE_RESOURCE_MEDIA);
  g_assert_cmpuint (g_array_index (resources, OfflineStoreResource, 1).track_index, ==, 0);
  g_assert_cmpint (g_array_index (resources, OfflineStoreResource, 2).kind, ==, OFFLINE_STORE_RESOURCE_INIT);
  g_assert_cmpuint (g_array_index (resources, OfflineStoreResource, 2).track_index, ==, 1);
  g_assert_true (g_str_has_suffix (g_array_index (resources, OfflineStoreResource, 0).uri,
                                   "/init-stream1.m4s"));

  pending = OK (offline_store_get_resources, fixture->store, "movie", TRUE);
  g_assert_cmpuint (pending->len, ==, resources->len);
}

static void
test_resources_hls_keys (Fixture       *fixture,
                         gconstpointer  data)
{
  static const guint8 expected_iv[16] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
  };
  g_autoptr(GArray) resources = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autofree char *key_url = offline_test_url ("hls/aes128/key.bin");
  OfflineStoreResource *key;

  create (fixture, "encrypted", HLS_AES_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "encrypted", FALSE);
  /* one key, three TS segments, no init segment */
  g_assert_cmpuint (resources->len, ==, 4);
  assert_download_order (resources);

  key = &g_array_index (resources, OfflineStoreResource, 0);
  g_assert_cmpint (key->kind, ==, OFFLINE_STORE_RESOURCE_KEY);
  g_assert_cmpstr (key->uri, ==, key_url);
  g_assert_cmpint (key->range_offset, ==, -1);
  g_assert_cmpint (key->range_length, ==, -1);
  g_assert_cmpint (key->key_id, ==, 0);
  g_assert_null (key->iv);

  for (guint i = 1; i < resources->len; i++) {
    OfflineStoreResource *media = &g_array_index (resources, OfflineStoreResource, i);
    g_autofree char *uri = g_strdup_printf ("%shls/aes128/seg_%03u.ts", OFFLINE_TEST_BASE, i - 1);

    g_assert_cmpint (media->kind, ==, OFFLINE_STORE_RESOURCE_MEDIA);
    g_assert_cmpuint (media->sequence, ==, i);
    g_assert_cmpstr (media->uri, ==, uri);
    g_assert_cmpint (media->start, ==, (i - 1) * 2 * G_USEC_PER_SEC);
    g_assert_cmpint (media->duration, ==, 2 * G_USEC_PER_SEC);
    g_assert_cmpint (media->key_id, ==, key->id);
    g_assert_nonnull (media->iv);
    g_assert_cmpmem (g_bytes_get_data (media->iv, NULL), g_bytes_get_size (media->iv),
                     expected_iv, sizeof expected_iv);
  }

  entry = OK (offline_store_get_entry, fixture->store, "encrypted");
  g_assert_cmpuint (offline_entry_get_segments_total (entry), ==, 4);
  g_assert_cmpint (offline_entry_get_duration (entry), ==, 6 * G_USEC_PER_SEC);
}

/* Batches of done resources move the counters once each; the last one
 * makes bytes expected exact. */
static void
test_commit (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 bogus = G_MAXINT64;
  guint64 bogus_size = 1;
  guint64 total;
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GArray) pending = NULL;
  g_autoptr(OfflineEntry) entry = NULL;

  create (fixture, "movie", DASH_FIXTURE);
  create (fixture, "other", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);

  total = store_resources (fixture, "movie", resources, 0, 4);
  entry = OK (offline_store_get_entry, fixture->store, "movie");
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, total);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, 4);
  g_clear_object (&entry);

  pending = OK (offline_store_get_resources, fixture->store, "movie", TRUE);
  g_assert_cmpuint (pending->len, ==, resources->len - 4);
  assert_download_order (pending);
  for (guint i = 0; i < pending->len; i++)
    g_assert_false (g_array_index (pending, OfflineStoreResource, i).done);
  g_clear_pointer (&pending, g_array_unref);

  /* a repeated commit counts nothing twice */
  g_assert_cmpuint (store_resources (fixture, "movie", resources, 2, 4), >, 0);
  entry = OK (offline_store_get_entry, fixture->store, "movie");
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, total);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, 4);
  g_clear_object (&entry);

  /* a resource that is not the entry's: nothing of the batch is kept */
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_commit_resources, fixture->store, "movie", &bogus, &bogus_size, 1);

  /* the rest: complete, bytes expected becomes exact */
  total += store_resources (fixture, "movie", resources, 4, resources->len);
  entry = OK (offline_store_get_entry, fixture->store, "movie");
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, total);
  g_assert_cmpuint (offline_entry_get_bytes_expected (entry), ==, total);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, resources->len);
  g_assert_cmpuint (offline_entry_get_segments_total (entry), ==, resources->len);
  g_clear_object (&entry);

  g_clear_pointer (&resources, g_array_unref);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  for (guint i = 0; i < resources->len; i++) {
    g_assert_true (g_array_index (resources, OfflineStoreResource, i).done);
    g_assert_cmpuint (g_array_index (resources, OfflineStoreResource, i).size, >=, 100);
  }
  pending = OK (offline_store_get_resources, fixture->store, "movie", TRUE);
  g_assert_cmpuint (pending->len, ==, 0);

  /* the other entry is untouched */
  entry = OK (offline_store_get_entry, fixture->store, "other");
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, 0);
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, 0);
}

static void
test_persistence (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(OfflinePresentation) presentation = offline_test_parse_fixture (DASH_FIXTURE);
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
  g_autoptr(OfflineTrackSelection) selection = NULL;
  g_autoptr(OfflineMediaInfo) info = media_info ("kept", DASH_FIXTURE);
  g_autoptr(OfflineDownloadOptions) stored = NULL;
  g_autoptr(OfflineEntry) before = NULL;
  g_autoptr(OfflineEntry) after = NULL;
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GArray) pending = NULL;
  g_autofree char *json_before = NULL;
  g_autofree char *json_after = NULL;
  guint64 total;

  offline_download_options_set_language (options, "es");
  offline_download_options_set_bitrate (options, 150000);
  selection = select_tracks (presentation, options);
  OK (offline_store_create_entry_full, fixture->store, info, selection, options);

  resources = OK (offline_store_get_resources, fixture->store, "kept", FALSE);
  total = store_resources (fixture, "kept", resources, 0, 3);
  OK (offline_store_set_state, fixture->store, "kept", OFFLINE_DOWNLOAD_STATE_PAUSED, "Out of space");
  OK (offline_store_set_bytes_expected, fixture->store, "kept", 123456);
  before = OK (offline_store_get_entry, fixture->store, "kept");
  json_before = offline_entry_to_json (before);

  reopen (fixture, NULL);

  after = OK (offline_store_get_entry, fixture->store, "kept");
  json_after = offline_entry_to_json (after);
  g_assert_cmpstr (json_after, ==, json_before);
  g_assert_cmpint (offline_entry_get_state (after), ==, OFFLINE_DOWNLOAD_STATE_PAUSED);
  g_assert_cmpstr (offline_entry_get_failure_message (after), ==, "Out of space");
  g_assert_cmpuint (offline_entry_get_bytes_expected (after), ==, 123456);
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (after), ==, total);
  g_assert_cmpuint (offline_entry_get_segments_done (after), ==, 3);
  /* the "es" audio track and the 150 kb/s video */
  g_assert_cmpstr (offline_track_get_id (g_ptr_array_index (offline_entry_get_tracks (after), 0)), ==, "0");
  g_assert_cmpstr (offline_track_get_language (g_ptr_array_index (offline_entry_get_tracks (after), 1)), ==, "es");

  pending = OK (offline_store_get_resources, fixture->store, "kept", TRUE);
  g_assert_cmpuint (pending->len, ==, resources->len - 3);

  stored = OK (offline_store_get_download_options, fixture->store, "kept");
  g_assert_cmpstr (offline_download_options_get_language (stored), ==, "es");
  g_assert_cmpuint (offline_download_options_get_bitrate (stored), ==, 150000);
}

static void
test_recovery (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_free);
  const struct {
    const char *id;
    OfflineDownloadState before;
    OfflineDownloadState after;
  } cases[] = {
    { "queued", OFFLINE_DOWNLOAD_STATE_QUEUED, OFFLINE_DOWNLOAD_STATE_PAUSED },
    { "downloading", OFFLINE_DOWNLOAD_STATE_DOWNLOADING, OFFLINE_DOWNLOAD_STATE_PAUSED },
    { "paused", OFFLINE_DOWNLOAD_STATE_PAUSED, OFFLINE_DOWNLOAD_STATE_PAUSED },
    { "completed", OFFLINE_DOWNLOAD_STATE_COMPLETED, OFFLINE_DOWNLOAD_STATE_COMPLETED },
    { "failed", OFFLINE_DOWNLOAD_STATE_FAILED, OFFLINE_DOWNLOAD_STATE_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    create (fixture, cases[i].id, DASH_FIXTURE);
    OK (offline_store_set_state, fixture->store, cases[i].id, cases[i].before, NULL);
  }

  /* as after a crash: the store is reopened without a clean pause */
  reopen (fixture, recovered);
  g_assert_cmpuint (recovered->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (recovered, 0), ==, "queued");
  g_assert_cmpstr (g_ptr_array_index (recovered, 1), ==, "downloading");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(OfflineEntry) entry = OK (offline_store_get_entry, fixture->store, cases[i].id);

    g_assert_cmpint (offline_entry_get_state (entry), ==, cases[i].after);
  }

  /* nothing more to recover */
  g_ptr_array_set_size (recovered, 0);
  reopen (fixture, recovered);
  g_assert_cmpuint (recovered->len, ==, 0);
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
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  const char *program = data;
  g_autofree char *output = NULL;

  create (fixture, "movie", DASH_FIXTURE);

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
assert_store_layout (Fixture *fixture)
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
                     "lock", "index.sqlite", "index.sqlite-wal", "index.sqlite-shm", "entries", NULL
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
test_hostile_ids (Fixture       *fixture,
                  gconstpointer  data)
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

    create (fixture, ids[i], DASH_FIXTURE);
    entry = OK (offline_store_get_entry, fixture->store, ids[i]);
    g_assert_cmpstr (offline_entry_get_id (entry), ==, ids[i]);

    resources = OK (offline_store_get_resources, fixture->store, ids[i], FALSE);
    file = write_resource (fixture, ids[i], g_array_index (resources, OfflineStoreResource, 0).id, 10);
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
    create (fixture, ids[i], DASH_FIXTURE);
  g_assert_cmpuint (count_entries (fixture), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    OK (offline_store_remove_entry, fixture->store, ids[i]);
  g_assert_cmpuint (count_entries (fixture), ==, 0);
  assert_store_layout (fixture);
}

static void
test_remove_directory (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *part = NULL;
  g_autofree char *outside = g_build_filename (fixture->tmp, "outside", NULL);
  g_autofree char *outside_dir = g_build_filename (fixture->tmp, "outside-dir", NULL);
  g_autofree char *link = NULL;
  g_autofree char *dir_link = NULL;

  create (fixture, "movie", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  store_resources (fixture, "movie", resources, 0, 2);
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
test_part_files_kept (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *part = NULL;
  g_autoptr(GArray) resources = NULL;

  create (fixture, "movie", DASH_FIXTURE);
  OK (offline_store_set_state, fixture->store, "movie", OFFLINE_DOWNLOAD_STATE_DOWNLOADING, NULL);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  part = write_part (fixture, "movie", resources, 0);

  reopen (fixture, NULL);
  g_assert_true (g_file_test (part, G_FILE_TEST_IS_REGULAR));
}

static void
test_orphans (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *orphan = g_build_filename (fixture->path, "entries", "999999", NULL);
  g_autofree char *orphan_file = g_build_filename (orphan, "1", NULL);
  g_autofree char *foreign = g_build_filename (fixture->path, "entries", "not-a-number", NULL);
  g_autoptr(GArray) resources = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  create (fixture, "movie", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  kept = write_resource (fixture, "movie", g_array_index (resources, OfflineStoreResource, 0).id, 5);
  g_assert_cmpint (g_mkdir (orphan, 0700), ==, 0);
  g_assert_true (g_file_set_contents (orphan_file, "x", -1, &error));
  g_assert_true (g_file_set_contents (foreign, "x", -1, &error));

  /* a directory no entry owns (an interrupted removal) goes at open */
  reopen (fixture, NULL);
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
test_corrupt_pages (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *index = g_build_filename (fixture->path, "index.sqlite", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStore) store = NULL;
  gsize length;

  for (guint i = 0; i < 20; i++) {
    g_autofree char *id = g_strdup_printf ("entry-%u", i);

    create (fixture, id, DASH_FIXTURE);
  }
  g_clear_object (&fixture->store);

  g_assert_true (g_file_get_contents (index, &contents, &length, &error));
  g_assert_cmpuint (length, >, 3 * 4096);
  memset (contents + 4096, 0xa5, length - 4096);
  g_assert_true (g_file_set_contents (index, contents, length, &error));
  g_assert_no_error (error);

  store = offline_store_open (fixture->path, NULL, &error);
  if (store == NULL) {
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
    return;
  }
  g_assert_null (offline_store_list_entries (store, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
  g_test_message ("%s", error->message);
}

static void
test_many_resources (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *env = g_getenv ("OFFLINE_TEST_STORE_SEGMENTS");
  guint64 n_per_track = (env ? g_ascii_strtoull (env, NULL, 10) : 100000) / 2;
  g_autofree char *mpd = g_strdup_printf (
      "<?xml version=\"1.0\"?>\n"
      "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\""
      " mediaPresentationDuration=\"PT%" G_GUINT64_FORMAT "S\""
      " profiles=\"urn:mpeg:dash:profile:isoff-live:2011\">\n"
      " <Period>\n"
      "  <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
      "   <SegmentTemplate timescale=\"1000\" duration=\"1000\" initialization=\"$RepresentationID$/init.mp4\" media=\"$RepresentationID$/$Number$.m4s\"/>\n"
      "   <Representation id=\"v\" bandwidth=\"500000\" width=\"640\" height=\"360\" codecs=\"avc1.4d401e\"/>\n"
      "  </AdaptationSet>\n"
      "  <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"en\">\n"
      "   <SegmentTemplate timescale=\"1000\" duration=\"1000\" initialization=\"$RepresentationID$/init.mp4\" media=\"$RepresentationID$/$Number$.m4s\"/>\n"
      "   <Representation id=\"a\" bandwidth=\"128000\" codecs=\"mp4a.40.2\"/>\n"
      "  </AdaptationSet>\n"
      " </Period>\n"
      "</MPD>\n", n_per_track);
  g_autoptr(OfflinePresentation) presentation =
      offline_test_parse_text (offline_test_manifest_parse, mpd, "big/manifest.mpd");
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GArray) pending = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree gint64 *ids = NULL;
  g_autofree guint64 *sizes = NULL;
  guint batch;

  g_object_unref (create_from (fixture, "big", presentation, "big/manifest.mpd"));
  g_test_message ("create: %.2f s", g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  entries = OK (offline_store_list_entries, fixture->store);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpuint (offline_entry_get_segments_total (g_ptr_array_index (entries, 0)), ==,
                    2 * n_per_track + 2);
  resources = OK (offline_store_get_resources, fixture->store, "big", FALSE);
  g_assert_cmpuint (resources->len, ==, 2 * n_per_track + 2);
  assert_download_order (resources);
  g_test_message ("list + resources: %.2f s", g_timer_elapsed (timer, NULL));

  /* one batch commit of a tenth, no files written: only the rows count */
  g_timer_start (timer);
  batch = resources->len / 10;
  ids = g_new (gint64, batch);
  sizes = g_new (guint64, batch);
  for (guint i = 0; i < batch; i++) {
    ids[i] = g_array_index (resources, OfflineStoreResource, i).id;
    sizes[i] = 1000;
  }
  g_free (offline_store_get_resource_path (fixture->store, "big", ids[0], NULL));
  OK (offline_store_commit_resources, fixture->store, "big", ids, sizes, batch);
  pending = OK (offline_store_get_resources, fixture->store, "big", TRUE);
  g_assert_cmpuint (pending->len, ==, resources->len - batch);
  g_test_message ("commit + pending: %.2f s", g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  OK (offline_store_remove_entry, fixture->store, "big");
  g_test_message ("remove: %.2f s", g_timer_elapsed (timer, NULL));
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_strcmp0 (argv[1], "--lock-child") == 0)
    return lock_child (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("create-get-list-remove", test_create_get_list_remove);
  ADD ("already-exists", test_already_exists);
  ADD ("not-found", test_not_found);
  ADD ("resources/dash", test_resources_dash);
  ADD ("resources/hls-keys", test_resources_hls_keys);
  ADD ("commit", test_commit);
  ADD ("persistence", test_persistence);
  ADD ("recovery", test_recovery);
  g_test_add ("/store/locked", Fixture, argv[0], fixture_setup, test_locked, fixture_teardown);
  ADD ("hostile-ids", test_hostile_ids);
  ADD ("remove-directory", test_remove_directory);
  ADD ("part-files-kept", test_part_files_kept);
  ADD ("orphans", test_orphans);
  g_test_add_func ("/store/corrupt", test_corrupt);
  ADD ("corrupt-pages", test_corrupt_pages);
  ADD ("many-resources", test_many_resources);
#undef ADD

  return g_test_run ();
}
