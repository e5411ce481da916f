/* test-store.c: the index of the store (entries, tracks, resources,
 * commits, persistence, recovery), on a real SQLite file in a temp dir;
 * its files are tested by test-store-files.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-store.h"

#define HLS_AES_FIXTURE "hls/aes128/master.m3u8"

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
test_create_get_list_remove (OfflineTestStore *fixture,
                             gconstpointer     data)
{
  g_autoptr(OfflineTrackSelection) selection =
      offline_test_store_create_selected (fixture, "movie", DASH_FIXTURE);
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

  offline_test_store_create (fixture, "second", HLS_AES_FIXTURE);
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
test_already_exists (OfflineTestStore *fixture,
                     gconstpointer     data)
{
  g_autoptr(OfflinePresentation) presentation = offline_test_parse_fixture (HLS_AES_FIXTURE);
  g_autoptr(OfflineTrackSelection) selection = offline_test_store_select (presentation, NULL);
  g_autoptr(OfflineMediaInfo) info = offline_test_store_media_info ("movie", HLS_AES_FIXTURE);
  g_autoptr(GArray) resources = NULL;

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  FAILS (OFFLINE_ERROR_ALREADY_EXISTS, offline_store_create_entry, fixture->store, info, selection);

  /* nothing of the refused entry was recorded */
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);
  g_assert_cmpuint (resources->len, ==, 10);
  g_assert_cmpuint (offline_test_store_count_entries (fixture), ==, 1);
}

static void
test_not_found (OfflineTestStore *fixture,
                gconstpointer     data)
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
  offline_test_store_create (fixture, "a", DASH_FIXTURE);
  offline_test_store_create (fixture, "b", DASH_FIXTURE);
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
test_resources_dash (OfflineTestStore *fixture,
                     gconstpointer     data)
{
  g_autoptr(OfflineTrackSelection) selection =
      offline_test_store_create_selected (fixture, "movie", DASH_FIXTURE);
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
test_resources_hls_keys (OfflineTestStore *fixture,
                         gconstpointer     data)
{
  static const guint8 expected_iv[16] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
  };
  g_autoptr(GArray) resources = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autofree char *key_url = offline_test_url ("hls/aes128/key.bin");
  OfflineStoreResource *key;

  offline_test_store_create (fixture, "encrypted", HLS_AES_FIXTURE);
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
test_commit (OfflineTestStore *fixture,
             gconstpointer     data)
{
  gint64 bogus = G_MAXINT64;
  guint64 bogus_size = 1;
  guint64 total;
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GArray) pending = NULL;
  g_autoptr(OfflineEntry) entry = NULL;

  offline_test_store_create (fixture, "movie", DASH_FIXTURE);
  offline_test_store_create (fixture, "other", DASH_FIXTURE);
  resources = OK (offline_store_get_resources, fixture->store, "movie", FALSE);

  total = offline_test_store_resources (fixture, "movie", resources, 0, 4);
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
  g_assert_cmpuint (offline_test_store_resources (fixture, "movie", resources, 2, 4), >, 0);
  entry = OK (offline_store_get_entry, fixture->store, "movie");
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, total);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, 4);
  g_clear_object (&entry);

  /* a resource that is not the entry's: nothing of the batch is kept */
  FAILS (OFFLINE_ERROR_NOT_FOUND, offline_store_commit_resources, fixture->store, "movie", &bogus, &bogus_size, 1);

  /* the rest: complete, bytes expected becomes exact */
  total += offline_test_store_resources (fixture, "movie", resources, 4, resources->len);
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
test_persistence (OfflineTestStore *fixture,
                  gconstpointer     data)
{
  g_autoptr(OfflinePresentation) presentation = offline_test_parse_fixture (DASH_FIXTURE);
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
  g_autoptr(OfflineTrackSelection) selection = NULL;
  g_autoptr(OfflineMediaInfo) info = offline_test_store_media_info ("kept", DASH_FIXTURE);
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
  selection = offline_test_store_select (presentation, options);
  OK (offline_store_create_entry_full, fixture->store, info, selection, options);

  resources = OK (offline_store_get_resources, fixture->store, "kept", FALSE);
  total = offline_test_store_resources (fixture, "kept", resources, 0, 3);
  OK (offline_store_set_state, fixture->store, "kept", OFFLINE_DOWNLOAD_STATE_PAUSED, "Out of space");
  OK (offline_store_set_bytes_expected, fixture->store, "kept", 123456);
  before = OK (offline_store_get_entry, fixture->store, "kept");
  json_before = offline_entry_to_json (before);

  offline_test_store_reopen (fixture, NULL);

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
test_recovery (OfflineTestStore *fixture,
               gconstpointer     data)
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
    { "waiting", OFFLINE_DOWNLOAD_STATE_WAITING, OFFLINE_DOWNLOAD_STATE_PAUSED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    offline_test_store_create (fixture, cases[i].id, DASH_FIXTURE);
    OK (offline_store_set_state, fixture->store, cases[i].id, cases[i].before, NULL);
  }

  /* as after a crash: the store is reopened without a clean pause */
  offline_test_store_reopen (fixture, recovered);
  g_assert_cmpuint (recovered->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (recovered, 0), ==, "queued");
  g_assert_cmpstr (g_ptr_array_index (recovered, 1), ==, "downloading");
  g_assert_cmpstr (g_ptr_array_index (recovered, 2), ==, "waiting");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(OfflineEntry) entry = OK (offline_store_get_entry, fixture->store, cases[i].id);

    g_assert_cmpint (offline_entry_get_state (entry), ==, cases[i].after);
  }

  /* nothing more to recover */
  g_ptr_array_set_size (recovered, 0);
  offline_test_store_reopen (fixture, recovered);
  g_assert_cmpuint (recovered->len, ==, 0);
}

static void
test_many_resources (OfflineTestStore *fixture,
                     gconstpointer     data)
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

  g_object_unref (offline_test_store_create_from (fixture, "big", presentation, "big/manifest.mpd"));
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
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/store/" path, OfflineTestStore, NULL, offline_test_store_setup, func, \
              offline_test_store_teardown)

  ADD ("create-get-list-remove", test_create_get_list_remove);
  ADD ("already-exists", test_already_exists);
  ADD ("not-found", test_not_found);
  ADD ("resources/dash", test_resources_dash);
  ADD ("resources/hls-keys", test_resources_hls_keys);
  ADD ("commit", test_commit);
  ADD ("persistence", test_persistence);
  ADD ("recovery", test_recovery);
  ADD ("many-resources", test_many_resources);
#undef ADD

  return g_test_run ();
}
