/* test-media-info.c: OfflineMediaInfo and OfflineMediaSource, what
 * providers hand the manager and apps
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <json-glib/json-glib.h>

#include "offline.h"

static OfflineMediaInfo *
make_info (void)
{
  const char *tags[] = { "nature", "4k", NULL };
  g_autoptr(OfflineMediaSource) dash = NULL;
  g_autoptr(OfflineMediaSource) hls = NULL;
  OfflineMediaInfo *info;

  info = g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                       "entry-id", "0_abc",
                       "manifest-url", "https://cdn.example/a.mpd",
                       "format", OFFLINE_MANIFEST_FORMAT_DASH,
                       "name", "A \xff title",
                       "duration", (gint64) 90 * G_USEC_PER_SEC + 500000,
                       "tags", tags,
                       "license-url", "https://lic.example/ck",
                       "drm-scheme", "clearkey",
                       NULL);
  dash = offline_media_source_new (OFFLINE_MANIFEST_FORMAT_DASH, "https://cdn.example/a.mpd");
  offline_media_source_add_drm (dash, "clearkey", "https://lic.example/ck");
  offline_media_source_add_drm (dash, "widevine", NULL);
  offline_media_source_add_drm (dash, "ClearKey", "https://lic.example/ck2");
  hls = offline_media_source_new (OFFLINE_MANIFEST_FORMAT_HLS, "https://cdn.example/a.m3u8");
  offline_media_info_add_source (info, dash);
  offline_media_info_add_source (info, hls);
  return info;
}

static void
test_sources (void)
{
  g_autoptr(OfflineMediaInfo) info = make_info ();
  GPtrArray *sources = offline_media_info_get_sources (info);
  OfflineMediaSource *dash, *hls;
  const char * const *schemes;

  g_assert_cmpuint (sources->len, ==, 2);
  dash = g_ptr_array_index (sources, 0);
  hls = g_ptr_array_index (sources, 1);
  g_assert_cmpint (offline_media_source_get_format (dash), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_cmpstr (offline_media_source_get_url (hls), ==, "https://cdn.example/a.m3u8");
  schemes = offline_media_source_get_drm_schemes (dash);
  g_assert_cmpuint (g_strv_length ((char **) schemes), ==, 2);
  g_assert_cmpstr (schemes[0], ==, "clearkey");
  g_assert_cmpstr (schemes[1], ==, "widevine");
  /* a second add of a scheme replaces its URL; lookups ignore case */
  g_assert_cmpstr (offline_media_source_get_license_url (dash, "CLEARKEY"), ==,
                   "https://lic.example/ck2");
  g_assert_null (offline_media_source_get_license_url (dash, "widevine"));
  g_assert_null (offline_media_source_get_license_url (hls, "clearkey"));
  g_assert_nonnull (offline_media_source_get_drm_schemes (hls));
  g_assert_null (offline_media_source_get_drm_schemes (hls)[0]);

  g_assert_cmpstrv (offline_media_info_get_tags (info), ((const char *[]) { "nature", "4k", NULL }));
}

static void
test_defaults (void)
{
  g_autoptr(OfflineMediaInfo) info = offline_media_info_new ("x", "https://e.example/x.mp4");
  g_auto(GStrv) tags = NULL;

  g_assert_nonnull (offline_media_info_get_tags (info));
  g_assert_null (offline_media_info_get_tags (info)[0]);
  g_assert_cmpuint (offline_media_info_get_sources (info)->len, ==, 0);
  g_object_get (info, "tags", &tags, NULL);
  g_assert_nonnull (tags);
  g_assert_cmpuint (g_strv_length (tags), ==, 0);
}

static void
test_json (void)
{
  g_autoptr(OfflineMediaInfo) info = make_info ();
  g_autofree char *text = offline_media_info_to_json (info);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *dash;
  JsonArray *sources, *drm, *tags;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "entry_id"), ==, "0_abc");
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "dash");
  /* invalid UTF-8 from a server is made valid, not dropped */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "name"), "A "));
  g_assert_true (g_utf8_validate (json_object_get_string_member (root, "name"), -1, NULL));
  g_assert_true (json_object_get_null_member (root, "description"));
  g_assert_cmpfloat (json_object_get_double_member (root, "duration"), ==, 90.5);
  tags = json_object_get_array_member (root, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "4k");
  g_assert_cmpstr (json_object_get_string_member (root, "drm_scheme"), ==, "clearkey");
  g_assert_cmpint (json_object_get_int_member (root, "license_expiration"), ==, 0);
  sources = json_object_get_array_member (root, "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 2);
  dash = json_array_get_object_element (sources, 0);
  g_assert_cmpstr (json_object_get_string_member (dash, "url"), ==, "https://cdn.example/a.mpd");
  drm = json_object_get_array_member (dash, "drm");
  g_assert_cmpuint (json_array_get_length (drm), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (drm, 0), "license_url"),
                   ==, "https://lic.example/ck2");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (drm, 1), "license_url"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 1), "format"),
                   ==, "hls");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_array_get_object_element (sources, 1), "drm")), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media-info/sources", test_sources);
  g_test_add_func ("/media-info/defaults", test_defaults);
  g_test_add_func ("/media-info/json", test_json);
  return g_test_run ();
}
