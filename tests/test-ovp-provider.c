/* test-ovp-provider.c: OfflineOvpProvider against a Kaltura OVP API on
 * 127.0.0.1: what it asks, what it makes of the answers, downloads by
 * entry id through a real manager, and what they play
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The test server (tests/offline-test-server.c) answers
 * POST /service/multirequest as the OVP API v3 does (fake_api() below:
 * the answer depends on the entry id asked for) and serves tests/data;
 * each playManifest path the provider builds is a 302 redirect to a
 * fixture manifest in another directory, so its relative segment URLs
 * resolve against the final URL. A Clear Key licence server
 * (tests/offline-test-license.c) licenses the tests/data/dash/cenc
 * fixture. Downloads go to one store in a temporary directory, which
 * OFFLINEMGR_STORE names for offlinesrc.
 */
#include "config.h"

#include <string.h>

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include "offline.h"
#include "offline-test-gst.h"
#include "offline-test-license.h"
#include "offline-test-ovp.h"

#define PARTNER OFFLINE_TEST_OVP_PARTNER
#define FRAMES 150                              /* 6 s at 25 fps */
#define KID_VIDEO "10000000100010001000100000000000"
#define KEY_VIDEO "3a2a1b68dd2bd9b2eeb25e84c4776668"
#define KID_AUDIO "20000000200020002000200000000000"
#define KEY_AUDIO "00112233445566778899aabbccddeeff"
#define PLAY_MANIFEST "p/4242/sp/424200/playManifest/entryId/"
/* the poster of 0_clear (the others have none: 404) */
static const char poster_bytes[] = "\xff\xd8\xff\xe0 not really a JPEG \x00\xff\xd9";

/* Set once by main() before the tests run. */
static OfflineTestServer *server;
static OfflineTestLicense *license;
static char *tmp_dir;
static char *store_path;
static OfflineTestOvp *ovp;
static char *service_url;              /* http://127.0.0.1:PORT/api_v3 */

/* ---- helpers ---- */

static OfflineProvider *
anonymous_provider (guint max_retries)
{
  return g_object_new (OFFLINE_TYPE_OVP_PROVIDER, "partner-id", (gint64) PARTNER,
                       "service-url", service_url, "max-retries", max_retries, NULL);
}

static OfflineMediaInfo *
get_media_info (OfflineProvider  *provider,
                const char       *id,
                GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  offline_provider_get_media_info_async (provider, id, NULL, offline_test_result_cb, &result);
  offline_test_wait_result (&result);
  return offline_provider_get_media_info_finish (provider, result, error);
}

/* The playManifest URL the provider should build (without a KS). */
static char *
manifest_url (const char *id,
              const char *format,
              const char *flavors,
              const char *extension)
{
  return g_strdup_printf ("%s" PLAY_MANIFEST "%s/protocol/http/format/%s/flavorIds/%s/a.%s"
                          "?playbackType=offline", offline_test_server_get_base_url (server),
                          id, format, flavors, extension);
}

/* Serves the playManifest path of @url as a 302 redirect to @target. */
static void
redirect_manifest (const char *url,
                   const char *target)
{
  const char *path = url + strlen (offline_test_server_get_base_url (server));
  g_autofree char *no_query = g_strndup (path, strcspn (path, "?"));
  g_autofree char *location = g_strconcat ("/", target, NULL);

  offline_test_server_add_redirect (server, no_query, 302, location);
}

/* Asserts that the JSON @got equals the JSON @expected (any member order). */
static void
assert_json (const char *got,
             const char *expected)
{
  g_autoptr(JsonNode) a = json_from_string (got, NULL);
  g_autoptr(JsonNode) b = json_from_string (expected, NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  if (!json_node_equal (a, b))
    g_error ("request body\n  %s\nexpected\n  %s", got, expected);
}

static OfflineManager *
new_manager (OfflineProvider *provider)
{
  g_autoptr(GError) error = NULL;
  OfflineManager *manager = offline_manager_new (store_path, NULL, NULL, &error);

  g_assert_no_error (error);
  offline_manager_set_provider (manager, provider);
  return manager;
}

static gboolean
download (OfflineManager          *manager,
          const char              *id,
          OfflineDownloadOptions  *options,
          GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  offline_manager_download_async (manager, id, options, NULL, offline_test_result_cb, &result);
  offline_test_wait_result (&result);
  return offline_manager_download_finish (manager, result, error);
}

static void
assert_not_stored (OfflineManager *manager,
                   const char     *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;

  offline_manager_get_downloaded_media_info_async (manager, id, NULL, offline_test_result_cb,
                                                   &result);
  offline_test_wait_result (&result);
  entry = offline_manager_get_downloaded_media_info_finish (manager, result, &error);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND);
  g_assert_null (entry);
}

/* ---- get_media_info ---- */

/* What the provider sends without a KS: a widget session, then the entry,
 * its playback context and metadata, all on the session's KS; and what it
 * makes of the answer: the entry's fields, every source, DASH preferred. */
static void
test_media_info (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (5);
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dash = manifest_url ("0_clear", "mpegdash", "0_v1,0_a1", "mpd");
  g_autofree char *hls = manifest_url ("0_clear", "applehttp", "0_v1,0_a1", "m3u8");
  g_autofree char *mp4 = manifest_url ("0_clear", "url", "0_v1", "mp4");
  g_autofree char *expected = NULL;
  g_autofree char *poster = NULL;
  g_auto(GStrv) bodies = NULL;
  g_auto(GStrv) content_types = NULL;
  const char *const tags[] = { "dragon", "short", "animation", NULL };
  GPtrArray *sources;

  offline_test_ovp_reset (ovp);
  info = get_media_info (provider, "0_clear", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (offline_media_info_get_entry_id (info), ==, "0_clear");
  g_assert_cmpstr (offline_media_info_get_name (info), ==, "Sintel \"0_clear\"");
  g_assert_cmpstr (offline_media_info_get_description (info), ==, "A girl and a dragon.");
  poster = offline_test_server_get_url (server, OFFLINE_TEST_OVP_THUMBNAIL "0_clear");
  g_assert_cmpstr (offline_media_info_get_poster_url (info), ==, poster);
  g_assert_cmpint (offline_media_info_get_duration (info), ==, 6040 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (g_strv_equal ((const char *const *) offline_media_info_get_tags (info), tags));
  g_assert_cmpstr (offline_media_info_get_manifest_url (info), ==, dash);
  g_assert_cmpint (offline_media_info_get_format (info), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_null (offline_media_info_get_license_url (info));
  g_assert_null (offline_media_info_get_drm_scheme (info));

  /* DASH, HLS, then the video flavor as a file (the web player's list) */
  sources = offline_media_info_get_sources (info);
  g_assert_cmpuint (sources->len, ==, 3);
  g_assert_cmpint (offline_media_source_get_format (sources->pdata[0]), ==,
                   OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_cmpstr (offline_media_source_get_url (sources->pdata[0]), ==, dash);
  g_assert_cmpint (offline_media_source_get_format (sources->pdata[1]), ==,
                   OFFLINE_MANIFEST_FORMAT_HLS);
  g_assert_cmpstr (offline_media_source_get_url (sources->pdata[1]), ==, hls);
  g_assert_cmpint (offline_media_source_get_format (sources->pdata[2]), ==,
                   OFFLINE_MANIFEST_FORMAT_PROGRESSIVE);
  g_assert_cmpstr (offline_media_source_get_url (sources->pdata[2]), ==, mp4);
  for (guint i = 0; i < sources->len; i++) {
    const char *const *schemes = offline_media_source_get_drm_schemes (sources->pdata[i]);

    g_assert_true (schemes == NULL || schemes[0] == NULL);
  }

  /* one multirequest, in JSON */
  bodies = offline_test_ovp_get_bodies (ovp, &content_types);
  g_assert_cmpuint (g_strv_length (bodies), ==, 1);
  g_assert_cmpstr (content_types[0], ==, "application/json");
  expected = g_strdup_printf (
    "{\"1\":{\"service\":\"session\",\"action\":\"startWidgetSession\",\"widgetId\":\"_4242\"},"
    "\"2\":{\"service\":\"baseEntry\",\"action\":\"list\",\"ks\":\"{1:result:ks}\","
    "\"filter\":{\"redirectFromEntryId\":\"0_clear\"},\"responseProfile\":{\"type\":1,"
    "\"fields\":\"id,name,description,thumbnailUrl,duration,msDuration,type,tags,status\"}},"
    "\"3\":{\"service\":\"baseEntry\",\"action\":\"getPlaybackContext\",\"ks\":\"{1:result:ks}\","
    "\"entryId\":\"{2:result:objects:0:id}\",\"contextDataParams\":{\"objectType\":"
    "\"KalturaContextDataParams\",\"flavorTags\":\"all\"}},"
    "\"4\":{\"service\":\"metadata_metadata\",\"action\":\"list\",\"ks\":\"{1:result:ks}\","
    "\"filter\":{\"objectType\":\"KalturaMetadataFilter\",\"objectIdEqual\":"
    "\"{2:result:objects:0:id}\",\"metadataObjectTypeEqual\":\"1\"}},"
    "\"apiVersion\":\"3.3.0\",\"format\":1,\"clientTag\":\"offlinemgr:v%s\",\"partnerId\":4242}",
    PACKAGE_VERSION);
  assert_json (bodies[0], expected);
}

/* With a KS: no widget session, the KS at the top and in every request,
 * the references one lower, the KS and the uiConfId in the manifest URL,
 * the CDN URL its base; the blocking call works too. */
static void
test_media_info_ks (void)
{
  g_autoptr(OfflineProvider) provider =
    g_object_new (OFFLINE_TYPE_OVP_PROVIDER, "partner-id", (gint64) PARTNER,
                  "service-url", service_url, "ks", "djJ8NDI0Mnx1c2Vy", "ui-conf-id", (gint64) 777,
                  "cdn-url", "https://cdn.example", "client-tag", "kaltura-app:2.1", NULL);
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) bodies = NULL;

  offline_test_ovp_reset (ovp);
  info = offline_provider_get_media_info (provider, "0_clear", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (offline_media_info_get_manifest_url (info), ==,
                   "https://cdn.example/" PLAY_MANIFEST "0_clear/protocol/https/format/mpegdash/"
                   "flavorIds/0_v1,0_a1/ks/djJ8NDI0Mnx1c2Vy/a.mpd?uiConfId=777&"
                   "playbackType=offline");
  bodies = offline_test_ovp_get_bodies (ovp, NULL);
  g_assert_cmpuint (g_strv_length (bodies), ==, 1);
  assert_json (bodies[0],
    "{\"1\":{\"service\":\"baseEntry\",\"action\":\"list\",\"ks\":\"djJ8NDI0Mnx1c2Vy\","
    "\"filter\":{\"redirectFromEntryId\":\"0_clear\"},\"responseProfile\":{\"type\":1,"
    "\"fields\":\"id,name,description,thumbnailUrl,duration,msDuration,type,tags,status\"}},"
    "\"2\":{\"service\":\"baseEntry\",\"action\":\"getPlaybackContext\","
    "\"ks\":\"djJ8NDI0Mnx1c2Vy\",\"entryId\":\"{1:result:objects:0:id}\","
    "\"contextDataParams\":{\"objectType\":\"KalturaContextDataParams\",\"flavorTags\":\"all\"}},"
    "\"3\":{\"service\":\"metadata_metadata\",\"action\":\"list\",\"ks\":\"djJ8NDI0Mnx1c2Vy\","
    "\"filter\":{\"objectType\":\"KalturaMetadataFilter\",\"objectIdEqual\":"
    "\"{1:result:objects:0:id}\",\"metadataObjectTypeEqual\":\"1\"}},"
    "\"apiVersion\":\"3.3.0\",\"format\":1,\"ks\":\"djJ8NDI0Mnx1c2Vy\","
    "\"clientTag\":\"kaltura-app:2.1\",\"partnerId\":4242}");
}

/* Clear Key among the DRM systems: the DASH source is taken, its Clear
 * Key licence URL handed over; every source lists its systems. */
static void
test_media_info_clearkey (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (5);
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *const dash_schemes[] = { "widevine", "clearkey", NULL };
  const char *const hls_schemes[] = { "fairplay", NULL };
  GPtrArray *sources;

  info = get_media_info (provider, "0_ck", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_media_info_get_format (info), ==, OFFLINE_MANIFEST_FORMAT_DASH);
  g_assert_cmpstr (offline_media_info_get_drm_scheme (info), ==, "clearkey");
  g_assert_cmpstr (offline_media_info_get_license_url (info), ==,
                   offline_test_license_get_url (license));
  sources = offline_media_info_get_sources (info);
  g_assert_cmpuint (sources->len, ==, 2);
  g_assert_true (g_strv_equal (offline_media_source_get_drm_schemes (sources->pdata[0]),
                               dash_schemes));
  g_assert_cmpstr (offline_media_source_get_license_url (sources->pdata[0], "widevine"), ==,
                   "https://udrm.example/cenc/widevine/license");
  g_assert_true (g_strv_equal (offline_media_source_get_drm_schemes (sources->pdata[1]),
                               hls_schemes));
}

/* ---- what fails ---- */

typedef struct {
  const char *id;
  int code;
  const char *words[3];         /* the message holds them all */
} FailCase;

static const FailCase fail_cases[] = {
  { "0_wv", OFFLINE_ERROR_DRM_NOT_SUPPORTED, { "widevine", "fairplay", "0_wv" } },
  { "0_exception", OFFLINE_ERROR_PROVIDER_FAILED,
    { "SERVICE_FORBIDDEN", "[baseEntry->getPlaybackContext] is forbidden", NULL } },
  { "0_block", OFFLINE_ERROR_PROVIDER_FAILED,
    { "block", "only available in certain countries", "COUNTRY_RESTRICTED" } },
  { "0_html", OFFLINE_ERROR_PROVIDER_FAILED, { "not JSON", "502 Bad Gateway", NULL } },
  { "0_none", OFFLINE_ERROR_NOT_FOUND, { "0_none", NULL } },
  { "0_nosource", OFFLINE_ERROR_PROVIDER_FAILED, { "no playable source", NULL } },
};

static void
assert_fails (const GError  *error,
              const FailCase *c)
{
  g_assert_error (error, OFFLINE_ERROR, c->code);
  g_test_message ("%s: %s", c->id, error->message);
  for (guint i = 0; i < G_N_ELEMENTS (c->words) && c->words[i] != NULL; i++) {
    if (strstr (error->message, c->words[i]) == NULL)
      g_error ("\"%s\" lacks \"%s\"", error->message, c->words[i]);
  }
}

/* Each bad answer: its documented error, with the server's words, from
 * get_media_info and from a download by entry id, which stores nothing;
 * the store stays usable (a progressive entry downloads after them). */
static void
test_failures (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (5);
  g_autoptr(OfflineManager) manager = new_manager (provider);
  g_autoptr(GError) error = NULL;
  g_autofree char *mp4 = manifest_url ("0_prog", "url", "0_v1", "mp4");

  for (gsize i = 0; i < G_N_ELEMENTS (fail_cases); i++) {
    g_autoptr(OfflineMediaInfo) info = get_media_info (provider, fail_cases[i].id, &error);

    g_assert_null (info);
    assert_fails (error, &fail_cases[i]);
    g_clear_error (&error);
    g_assert_false (download (manager, fail_cases[i].id, NULL, &error));
    assert_fails (error, &fail_cases[i]);
    g_clear_error (&error);
    assert_not_stored (manager, fail_cases[i].id);
  }

  redirect_manifest (mp4, "progressive/clip.mp4");
  g_assert_true (download (manager, "0_prog", NULL, &error));
  g_assert_no_error (error);
}

/* A KS the server rejects: its code and message. */
static void
test_rejected_ks (void)
{
  g_autoptr(OfflineProvider) provider =
    g_object_new (OFFLINE_TYPE_OVP_PROVIDER, "partner-id", (gint64) PARTNER,
                  "service-url", service_url, "ks", "expired-ks", NULL);
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = get_media_info (provider, "0_clear", &error);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "INVALID_KS"));
  g_assert_nonnull (strstr (error->message, "Invalid KS \"expired-ks\""));
  g_clear_error (&error);

  /* a download by that id stores nothing */
  manager = new_manager (provider);
  g_assert_false (download (manager, "0_clear", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED);
  g_assert_nonnull (strstr (error->message, "INVALID_KS"));
  assert_not_stored (manager, "0_clear");
}

/* HTTP 500 is retried (max-retries times), then fails naming the status;
 * nothing is stored. */
static void
test_http_500 (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (2);
  g_autoptr(OfflineManager) manager = new_manager (provider);
  g_autoptr(GError) error = NULL;

  offline_test_ovp_reset (ovp);
  offline_test_ovp_fail_next (ovp, 3, 500, "0");
  g_assert_false (download (manager, "0_clear", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "500 Internal Server Error"));
  g_assert_nonnull (strstr (error->message, "gave up after 2 retries"));
  g_assert_cmpuint (offline_test_ovp_reset (ovp), ==, 3);
  assert_not_stored (manager, "0_clear");
}

/* A socket that takes connections (the kernel completes the handshake)
 * and never answers. */
static GSocket *
silent_socket (guint16 *port)
{
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

/* An API that does not answer within the provider's timeout: the request
 * is retried, then PROVIDER_FAILED naming the timeout; nothing stored. */
static void
test_http_timeout (void)
{
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(OfflineProvider) provider = NULL;
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *silent_url = NULL;
  guint16 port = 0;
  guint timeout = 0;

  silent = silent_socket (&port);
  silent_url = g_strdup_printf ("http://127.0.0.1:%u/api_v3", port);
  provider = g_object_new (OFFLINE_TYPE_OVP_PROVIDER, "partner-id", (gint64) PARTNER,
                           "service-url", silent_url, "max-retries", 1, "timeout", 1, NULL);
  manager = new_manager (provider);
  g_object_get (provider, "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 1);
  g_assert_false (download (manager, "0_clear", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "the OVP API request failed"));
  g_assert_nonnull (strstr (error->message, "timed out"));
  assert_not_stored (manager, "0_clear");
}

/* A 503 (with Retry-After) then an answer: resolved on the second try. */
static void
test_http_503_then_ok (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (2);
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_ovp_reset (ovp);
  offline_test_ovp_fail_next (ovp, 1, 503, "0");
  info = get_media_info (provider, "0_clear", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (offline_media_info_get_name (info), ==, "Sintel \"0_clear\"");
  g_assert_cmpuint (offline_test_ovp_reset (ovp), ==, 2);
}

/* Cancelled while it waits to retry: CANCELLED, and no more requests. */
static void
test_cancel (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (2);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_ovp_reset (ovp);
  offline_test_ovp_fail_next (ovp, 1, 503, "60");
  offline_provider_get_media_info_async (provider, "0_clear", cancellable, offline_test_result_cb,
                                         &result);
  while (offline_test_ovp_get_request_count (ovp) == 0 && result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  offline_test_wait_result (&result);
  info = offline_provider_get_media_info_finish (provider, result, &error);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED);
  g_assert_cmpuint (offline_test_ovp_reset (ovp), ==, 1);
}

/* ---- downloads by entry id, played ---- */

static const char *const CLEAR_VIDEO[] = {
  "dash/template-number/init-stream1.m4s", "dash/template-number/chunk-stream1-00001.m4s",
  "dash/template-number/chunk-stream1-00002.m4s", "dash/template-number/chunk-stream1-00003.m4s",
  NULL
};
/* the encode tests/data/dash/cenc encrypts (tests/data/README.md) */
static const char *const CENC_VIDEO[] = {
  "dash/template-number/init-stream0.m4s", "dash/template-number/chunk-stream0-00001.m4s",
  "dash/template-number/chunk-stream0-00002.m4s", "dash/template-number/chunk-stream0-00003.m4s",
  NULL
};

/* Audio of the clear entry, for the protected one to match; whether it
 * was stored and played. */
static OfflineTestAudio clear_audio;
static gboolean clear_played;

/* The stored entry has the provider's name, description, tags and
 * poster (the image itself, in the store). */
static void
assert_entry_metadata (OfflineManager *manager)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autofree char *contents = NULL;
  const char *const tags[] = { "dragon", "short", "animation", NULL };
  gsize length;

  offline_manager_get_downloaded_media_info_async (manager, "0_clear", NULL,
                                                   offline_test_result_cb, &result);
  offline_test_wait_result (&result);
  entry = offline_manager_get_downloaded_media_info_finish (manager, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (offline_entry_get_name (entry), ==, "Sintel \"0_clear\"");
  g_assert_cmpstr (offline_entry_get_description (entry), ==, "A girl and a dragon.");
  g_assert_true (g_strv_equal (offline_entry_get_tags (entry), tags));
  g_assert_nonnull (offline_entry_get_poster_path (entry));
  g_assert_true (g_str_has_prefix (offline_entry_get_poster_path (entry), store_path));
  g_file_get_contents (offline_entry_get_poster_path (entry), &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, poster_bytes, sizeof poster_bytes);
}

/* The clear entry by id: DASH through a redirect to another directory,
 * stored and played frame for frame as its source segments decode. */
static void
store_and_play_clear (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (5);
  g_autoptr(OfflineManager) manager = new_manager (provider);
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dash = manifest_url ("0_clear", "mpegdash", "0_v1,0_a1", "mpd");
  g_autofree char *path = g_strdup (dash + strlen (offline_test_server_get_base_url (server)));
  gint64 duration;

  *strchr (path, '?') = '\0';
  redirect_manifest (dash, "dash/template-number/manifest.mpd");
  offline_download_options_set_language (options, "en");
  g_assert_true (download (manager, "0_clear", options, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (offline_test_server_get_request_count (server, path), ==, 1);
  assert_entry_metadata (manager);
  g_clear_object (&manager);

  duration = offline_test_assert_frames ("0_clear", CLEAR_VIDEO, "qtdemux", tmp_dir, FRAMES,
                                         offline_test_audio_sink (&clear_audio));
  g_assert_cmpint (duration, ==, 6 * GST_SECOND);
  g_assert_cmpuint (clear_audio.samples, >, 0);
  clear_played = TRUE;
}

static void
test_download_clear (void)
{
  store_and_play_clear ();
}

static const char *const HLS_VIDEO[] = {
  "hls/fmp4/video_160x90/init_1.mp4", "hls/fmp4/video_160x90/seg_000.m4s",
  "hls/fmp4/video_160x90/seg_001.m4s", "hls/fmp4/video_160x90/seg_002.m4s", NULL
};

/* An entry whose DASH needs Widevine: its clear HLS, through a redirect
 * (the media playlists resolve against the final URL), plays frame for
 * frame as its source segments decode. */
static void
test_download_hls (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (5);
  g_autoptr(OfflineManager) manager = new_manager (provider);
  g_autoptr(GError) error = NULL;
  g_autofree char *hls = manifest_url ("0_hls", "applehttp", "0_v1,0_a1", "m3u8");

  redirect_manifest (hls, "hls/fmp4/master.m3u8");
  g_assert_true (download (manager, "0_hls", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&manager);
  offline_test_assert_frames ("0_hls", HLS_VIDEO, "qtdemux", tmp_dir, FRAMES,
                              gst_element_factory_make ("fakesink", NULL));
}

/* The Clear Key entry by id: the licence comes from the provider's
 * licence URL (the manifest's own names a server that refuses
 * connections); it plays as the clear encode, frames and PCM. */
static void
test_download_clearkey (void)
{
  g_autoptr(OfflineProvider) provider = anonymous_provider (5);
  g_autoptr(OfflineManager) manager = new_manager (provider);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) refusing = NULL;
  g_autofree char *dash = manifest_url ("0_ck", "mpegdash", "0_v2,0_a2", "mpd");
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "dash", "cenc",
                                                 "manifest.mpd", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *dead = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint requests = offline_test_license_get_request_count (license);
  OfflineTestAudio audio;
  guint16 port;

  if (!clear_played)
    store_and_play_clear ();
  refusing = offline_test_refusing_socket (&port);
  dead = g_strdup_printf ("http://127.0.0.1:%u/license", port);
  g_file_get_contents (file, &contents, NULL, &error);
  g_assert_no_error (error);
  text = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (text, "@LICENSE_URL@", dead, 0), ==, 2);
  bytes = g_bytes_new (text->str, text->len);
  offline_test_server_add_content (server, "dash/cenc/ovp.mpd", bytes, "application/dash+xml");
  redirect_manifest (dash, "dash/cenc/ovp.mpd");

  g_assert_true (download (manager, "0_ck", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (offline_test_license_get_request_count (license), ==, requests + 1);

  /* renewing asks the OVP API again for the licence URL (the manifest's
   * still refuses), then the licence server */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_auto(GStrv) bodies = NULL;

    offline_test_ovp_reset (ovp);
    offline_manager_renew_license_async (manager, "0_ck", NULL, offline_test_result_cb, &result);
    offline_test_wait_result (&result);
    g_assert_true (offline_manager_renew_license_finish (manager, result, &error));
    g_assert_no_error (error);
    bodies = offline_test_ovp_get_bodies (ovp, NULL);
    g_assert_cmpuint (g_strv_length (bodies), ==, 1);
    g_assert_nonnull (strstr (bodies[0], "\"0_ck\""));
    g_assert_cmpuint (offline_test_license_get_request_count (license), ==, requests + 2);
  }
  g_clear_object (&manager);

  offline_test_audio_init (&audio);
  offline_test_assert_frames ("0_ck", CENC_VIDEO, "qtdemux", tmp_dir, FRAMES,
                              offline_test_audio_sink (&audio));
  g_assert_cmpuint (clear_audio.samples, >, 0);
  g_assert_cmpuint (audio.samples, ==, clear_audio.samples);
  g_assert_cmpstr (g_checksum_get_string (audio.pcm), ==, g_checksum_get_string (clear_audio.pcm));
  offline_test_audio_clear (&audio);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *argv_rm[] = { "rm", "-rf", NULL, NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("ovp-provider-XXXXXX", &error);
  g_assert_no_error (error);
  store_path = g_build_filename (tmp_dir, "store", NULL);
  g_setenv ("OFFLINEMGR_STORE", store_path, TRUE);

  offline_test_audio_init (&clear_audio);
  server = offline_test_server_new ();
  service_url = g_strconcat (offline_test_server_get_base_url (server), "api_v3", NULL);
  {
    g_autoptr(GBytes) poster = g_bytes_new_static (poster_bytes, sizeof poster_bytes);

    offline_test_server_add_content (server, OFFLINE_TEST_OVP_THUMBNAIL "0_clear", poster, "image/jpeg");
  }
  license = offline_test_license_new ();
  offline_test_license_add_key (license, KID_VIDEO, KEY_VIDEO);
  offline_test_license_add_key (license, KID_AUDIO, KEY_AUDIO);
  ovp = offline_test_ovp_new (server, offline_test_license_get_url (license));

  g_test_add_func ("/ovp/media-info/anonymous", test_media_info);
  g_test_add_func ("/ovp/media-info/ks", test_media_info_ks);
  g_test_add_func ("/ovp/media-info/clearkey", test_media_info_clearkey);
  g_test_add_func ("/ovp/fails/answers", test_failures);
  g_test_add_func ("/ovp/fails/rejected-ks", test_rejected_ks);
  g_test_add_func ("/ovp/http/500", test_http_500);
  g_test_add_func ("/ovp/http/503-then-ok", test_http_503_then_ok);
  g_test_add_func ("/ovp/http/timeout", test_http_timeout);
  g_test_add_func ("/ovp/http/cancel", test_cancel);
  g_test_add_func ("/ovp/download/clear", test_download_clear);
  g_test_add_func ("/ovp/download/clearkey", test_download_clearkey);
  g_test_add_func ("/ovp/download/hls", test_download_hls);

  status = g_test_run ();

  offline_test_server_free (server);
  offline_test_ovp_free (ovp);
  offline_test_license_free (license);
  offline_test_audio_clear (&clear_audio);
  argv_rm[2] = tmp_dir;
  g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
  g_free (tmp_dir);
  g_free (store_path);
  g_free (service_url);
  return status;
}
