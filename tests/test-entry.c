/* test-entry.c: OfflineEntry getters and its JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <json-glib/json-glib.h>

#include "offline-entry-private.h"
#include "offline-test-utils.h"
#include "offline-track-private.h"

static OfflineTrack *
make_track (OfflineTrackType  type,
            const char       *id,
            const char       *language,
            guint64           bandwidth,
            const char       *codecs)
{
  OfflineTrack *track = offline_track_new (type, id);

  track->language = g_strdup (language);
  track->bandwidth = bandwidth;
  track->codecs = g_strdup (codecs);
  return track;
}

/* An entry as the store makes it: video, audio and text tracks. */
static OfflineEntry *
make_entry (const char *id)
{
  OfflineEntry *entry = offline_entry_new (id);
  OfflineTrack *video = make_track (OFFLINE_TRACK_TYPE_VIDEO, "v1", NULL, 7900446, "avc1.640028");
  OfflineTrack *text = make_track (OFFLINE_TRACK_TYPE_TEXT, "t-es", "es", 256, NULL);

  video->width = 1920;
  video->height = 1080;
  video->label = g_strdup ("HD");
  video->mime_type = g_strdup ("video/mp4");
  text->mime_type = g_strdup ("text/vtt");
  g_ptr_array_add (entry->tracks, video);
  g_ptr_array_add (entry->tracks, make_track (OFFLINE_TRACK_TYPE_AUDIO, "a-es", "es-ES", 128000, "mp4a.40.2"));
  g_ptr_array_add (entry->tracks, text);

  entry->name = g_strdup ("Name");
  entry->manifest_url = g_strdup ("https://example.com/a/manifest.mpd");
  entry->duration = 90 * G_USEC_PER_SEC + 500 * 1000;
  entry->state = OFFLINE_DOWNLOAD_STATE_DOWNLOADING;
  entry->bytes_downloaded = G_GUINT64_CONSTANT (5000000000);
  entry->bytes_expected = G_GUINT64_CONSTANT (6000000000);
  entry->segments_done = 12;
  entry->segments_total = 50;
  entry->created = g_date_time_new_utc (2024, 3, 1, 12, 0, 0.25);
  entry->updated = g_date_time_new_utc (2024, 3, 1, 12, 5, 0);
  return entry;
}

/* offline_entry_to_json() of @entry, parsed: its root object, owned by
 * @parser. */
static JsonObject *
parse_json (OfflineEntry *entry,
            JsonParser   *parser)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = offline_entry_to_json (entry);

  g_assert_true (g_utf8_validate (json, -1, NULL));
  g_assert_nonnull (strchr (json, '\n'));   /* pretty */
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_getters (void)
{
  g_autoptr(OfflineEntry) entry = make_entry ("movie");
  GPtrArray *tracks = offline_entry_get_tracks (entry);

  g_assert_cmpstr (offline_entry_get_id (entry), ==, "movie");
  g_assert_cmpstr (offline_entry_get_name (entry), ==, "Name");
  g_assert_null (offline_entry_get_description (entry));
  g_assert_null (offline_entry_get_poster_url (entry));
  g_assert_cmpstr (offline_entry_get_manifest_url (entry), ==, "https://example.com/a/manifest.mpd");
  g_assert_cmpint (offline_entry_get_duration (entry), ==, 90500000);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_DOWNLOADING);
  g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, G_GUINT64_CONSTANT (5000000000));
  g_assert_cmpuint (offline_entry_get_bytes_expected (entry), ==, G_GUINT64_CONSTANT (6000000000));
  g_assert_cmpuint (offline_entry_get_segments_done (entry), ==, 12);
  g_assert_cmpuint (offline_entry_get_segments_total (entry), ==, 50);
  g_assert_cmpint (g_date_time_get_minute (offline_entry_get_updated (entry)), ==, 5);
  g_assert_cmpint (g_date_time_get_year (offline_entry_get_created (entry)), ==, 2024);
  g_assert_cmpint (offline_entry_get_license_expiration (entry), ==, 0);
  g_assert_null (offline_entry_get_failure_message (entry));
  g_assert_cmpuint (tracks->len, ==, 3);
  g_assert_cmpstr (offline_track_get_id (g_ptr_array_index (tracks, 1)), ==, "a-es");
}

static void
test_json (void)
{
  g_autoptr(OfflineEntry) entry = make_entry ("movie");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) created = NULL;
  JsonObject *object = parse_json (entry, parser);
  JsonArray *tracks;
  JsonObject *track;

  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "movie");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Name");
  g_assert_true (json_object_get_null_member (object, "description"));
  g_assert_true (json_object_get_null_member (object, "poster_url"));
  g_assert_cmpstr (json_object_get_string_member (object, "manifest_url"), ==,
                   "https://example.com/a/manifest.mpd");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "downloading");
  g_assert_cmpint (json_object_get_int_member (object, "bytes_downloaded"), ==, G_GINT64_CONSTANT (5000000000));
  g_assert_cmpint (json_object_get_int_member (object, "bytes_expected"), ==, G_GINT64_CONSTANT (6000000000));
  g_assert_cmpint (json_object_get_int_member (object, "segments_done"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (object, "segments_total"), ==, 50);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "duration"), 90.5, 1e-9);
  g_assert_cmpint (json_object_get_int_member (object, "license_expiration"), ==, 0);
  g_assert_true (json_object_get_null_member (object, "failure_message"));
  g_assert_cmpstr (json_object_get_string_member (object, "updated"), ==, "2024-03-01T12:05:00Z");
  created = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "created"), NULL);
  g_assert_nonnull (created);
  g_assert_true (g_date_time_equal (created, offline_entry_get_created (entry)));

  tracks = json_object_get_array_member (object, "tracks");
  g_assert_cmpuint (json_array_get_length (tracks), ==, 3);
  track = json_array_get_object_element (tracks, 0);
  g_assert_cmpstr (json_object_get_string_member (track, "type"), ==, "video");
  g_assert_cmpstr (json_object_get_string_member (track, "id"), ==, "v1");
  g_assert_true (json_object_get_null_member (track, "language"));
  g_assert_cmpstr (json_object_get_string_member (track, "label"), ==, "HD");
  g_assert_cmpint (json_object_get_int_member (track, "bandwidth"), ==, 7900446);
  g_assert_cmpstr (json_object_get_string_member (track, "codecs"), ==, "avc1.640028");
  g_assert_cmpint (json_object_get_int_member (track, "width"), ==, 1920);
  g_assert_cmpint (json_object_get_int_member (track, "height"), ==, 1080);
  g_assert_cmpstr (json_object_get_string_member (track, "mime_type"), ==, "video/mp4");
  track = json_array_get_object_element (tracks, 1);
  g_assert_cmpstr (json_object_get_string_member (track, "type"), ==, "audio");
  g_assert_cmpstr (json_object_get_string_member (track, "language"), ==, "es-ES");
  g_assert_cmpint (json_object_get_int_member (track, "width"), ==, 0);
  g_assert_true (json_object_get_null_member (track, "mime_type"));
  track = json_array_get_object_element (tracks, 2);
  g_assert_cmpstr (json_object_get_string_member (track, "type"), ==, "text");
  g_assert_true (json_object_get_null_member (track, "codecs"));
}

/* Every state by its nick; a failure message when there is one. */
static void
test_json_states (void)
{
  const char *nicks[] = { "queued", "downloading", "paused", "completed", "failed", "waiting" };

  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++) {
    g_autoptr(OfflineEntry) entry = make_entry ("movie");
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *object;

    entry->state = i;
    entry->failure_message = i == OFFLINE_DOWNLOAD_STATE_FAILED ? g_strdup ("HTTP 404 for “x”") : NULL;
    entry->license_expiration = 1700000000;
    object = parse_json (entry, parser);
    g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, nicks[i]);
    g_assert_cmpint (json_object_get_int_member (object, "license_expiration"), ==, 1700000000);
    if (i == OFFLINE_DOWNLOAD_STATE_FAILED)
      g_assert_cmpstr (json_object_get_string_member (object, "failure_message"), ==, "HTTP 404 for “x”");
  }
}

/* Quotes, line breaks and invalid UTF-8 from apps and servers still make
 * valid JSON; an entry without tracks has an empty array. */
static void
test_json_hostile_strings (void)
{
  g_autoptr(OfflineEntry) entry = offline_entry_new ("bad\xff\xfe id \"'; DROP TABLE entries;--");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  entry->name = g_strdup ("line\nbreak\t\"quoted\" \\ 日本語");
  entry->created = g_date_time_new_from_unix_utc (0);
  entry->updated = g_date_time_ref (entry->created);
  object = parse_json (entry, parser);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "id"), "bad"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "id"),
                                   " id \"'; DROP TABLE entries;--"));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, entry->name);
  g_assert_cmpstr (json_object_get_string_member (object, "created"), ==, "1970-01-01T00:00:00Z");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tracks")), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/entry/getters", test_getters);
  g_test_add_func ("/entry/json", test_json);
  g_test_add_func ("/entry/json-states", test_json_states);
  g_test_add_func ("/entry/json-hostile-strings", test_json_hostile_strings);

  return g_test_run ();
}
