/* offline-test-ovp.c: a fake Kaltura OVP API v3 on the test server
 * (answers in the server's thread)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "offline-test-ovp.h"

struct _OfflineTestOvp {
  /* set at creation, read-only afterwards */
  char *base_url;                       /* the test server's */
  char *license_url;

  GMutex lock;
  GPtrArray *bodies;                    /* (element-type utf8) request bodies, in order */
  GPtrArray *content_types;             /* (element-type utf8) … and their Content-Type */
  GQueue statuses;                      /* HTTP statuses to answer next (GUINT_TO_POINTER) */
  char *retry_after;                    /* (nullable) sent with them */
};

static const char *const SESSION =
  "{\"objectType\":\"KalturaStartWidgetSessionResponse\",\"partnerId\":4242,"
  "\"ks\":\"djJ8NDI0Mnx3aWRnZXQ=\",\"userId\":0}";
static const char *const METADATA =
  "{\"objectType\":\"KalturaMetadataListResponse\",\"objects\":[],\"totalCount\":0}";
static const char *const EMPTY_LIST =
  "{\"objectType\":\"KalturaBaseEntryListResponse\",\"objects\":[],\"totalCount\":0}";

/* The baseEntry.list result of entry @id. */
static char *
entry_list (OfflineTestOvp *self,
            const char     *id)
{
  return g_strdup_printf ("{\"objectType\":\"KalturaBaseEntryListResponse\",\"totalCount\":1,"
                          "\"objects\":[{\"objectType\":\"KalturaMediaEntry\",\"id\":\"%s\","
                          "\"name\":\"Sintel \\\"%s\\\"\",\"description\":\"A girl and a dragon.\","
                          "\"thumbnailUrl\":\"%s" OFFLINE_TEST_OVP_THUMBNAIL "%s\","
                          "\"duration\":6,\"msDuration\":6040,\"type\":1,"
                          "\"tags\":\"dragon, short ,, animation\",\"status\":2}]}",
                          id, id, self->base_url, id);
}

static const char *const FLAVORS =
  "\"flavorAssets\":[{\"objectType\":\"KalturaFlavorAsset\",\"id\":\"0_v1\",\"width\":320,"
  "\"height\":180,\"bitrate\":150,\"fileExt\":\"mp4\",\"status\":2},"
  "{\"objectType\":\"KalturaFlavorAsset\",\"id\":\"0_a1\",\"width\":0,\"height\":0,"
  "\"bitrate\":48,\"fileExt\":\"mp4\",\"status\":2}]";

/* One KalturaPlaybackSource. */
static char *
source (const char *format,
        const char *flavor_ids,
        const char *drm)
{
  return g_strdup_printf ("{\"objectType\":\"KalturaPlaybackSource\",\"deliveryProfileId\":\"%s\","
                          "\"format\":\"%s\",\"protocols\":\"http,https\",\"flavorIds\":\"%s\","
                          "\"drm\":[%s]}",
                          g_str_equal (format, "url") ? "1" : "1033", format, flavor_ids, drm);
}

static char *
drm (const char *scheme,
     const char *url)
{
  return g_strdup_printf ("{\"objectType\":\"KalturaDrmPlaybackPluginData\",\"scheme\":\"%s\","
                          "\"licenseURL\":\"%s\"}", scheme, url);
}

/* The playback context of entry @id. */
static char *
playback_context (OfflineTestOvp *self,
                  const char     *id)
{
  g_autofree char *sources = NULL;
  const char *actions = "";
  const char *messages = "";

  if (g_str_equal (id, "0_clear")) {
    /* HLS listed first: DASH is preferred all the same */
    g_autofree char *hls = source ("applehttp", "0_v1,0_a1", "");
    g_autofree char *dash = source ("mpegdash", "0_v1,0_a1", "");
    g_autofree char *url = source ("url", "0_v1,0_a1", "");

    sources = g_strjoin (",", hls, dash, url, NULL);
  } else if (g_str_equal (id, "0_ck")) {
    g_autofree char *wv = drm ("drm.WIDEVINE_CENC", "https://udrm.example/cenc/widevine/license");
    g_autofree char *ck = drm ("drm.CLEAR_KEY", self->license_url);
    g_autofree char *fps = drm ("fairplay.FAIRPLAY", "https://udrm.example/fps/license");
    g_autofree char *both = g_strjoin (",", wv, ck, NULL);
    g_autofree char *dash = source ("mpegdash", "0_v2,0_a2", both);
    g_autofree char *hls = source ("applehttp", "0_v2,0_a2", fps);

    sources = g_strjoin (",", dash, hls, NULL);
  } else if (g_str_equal (id, "0_wv")) {
    g_autofree char *wv = drm ("drm.WIDEVINE_CENC", "https://udrm.example/cenc/widevine/license");
    g_autofree char *fps = drm ("fairplay.FAIRPLAY", "https://udrm.example/fps/license");
    g_autofree char *dash = source ("mpegdash", "0_v3", wv);
    g_autofree char *hls = source ("applehttp", "0_v3", fps);

    sources = g_strjoin (",", dash, hls, NULL);
  } else if (g_str_equal (id, "0_hls")) {
    /* HLS and a Widevine DASH: HLS it is */
    g_autofree char *wv = drm ("drm.WIDEVINE_CENC", "https://udrm.example/cenc/widevine/license");
    g_autofree char *dash = source ("mpegdash", "0_v1,0_a1", wv);
    g_autofree char *hls = source ("applehttp", "0_v1,0_a1", "");

    sources = g_strjoin (",", dash, hls, NULL);
  } else if (g_str_equal (id, "0_prog")) {
    sources = source ("url", "0_v1", "");
  } else if (g_str_equal (id, "0_block")) {
    sources = g_strdup ("");
    actions = "{\"objectType\":\"KalturaAccessControlBlockAction\",\"type\":1}";
    messages = "{\"objectType\":\"KalturaAccessControlMessage\",\"message\":"
               "\"Un authorized country\\nThis content is only available in certain "
               "countries.\",\"code\":\"COUNTRY_RESTRICTED\"}";
  } else {
    sources = g_strdup ("");        /* 0_nosource */
  }
  return g_strdup_printf ("{\"objectType\":\"KalturaPlaybackContext\",\"sources\":[%s],%s,"
                          "\"actions\":[%s],\"messages\":[%s],\"playbackCaptions\":[],"
                          "\"bumperData\":[]}",
                          sources, FLAVORS, actions,
                          messages);
}

static char *
api_exception (const char *code,
               const char *message)
{
  return g_strdup_printf ("{\"code\":\"%s\",\"message\":\"%s\",\"objectType\":"
                          "\"KalturaAPIException\",\"args\":{}}", code, message);
}

/* The answer to the multirequest @request: its results as a JSON array
 * (or, for some ids, what a broken server answers), with *@content_type. */
static char *
answer (OfflineTestOvp  *self,
        JsonObject      *request,
        const char     **content_type)
{
  gboolean anonymous = json_object_has_member (request, "1") &&
    g_strcmp0 (json_object_get_string_member (json_object_get_object_member (request, "1"),
                                              "service"), "session") == 0;
  JsonObject *list = json_object_get_object_member (request, anonymous ? "2" : "1");
  const char *id = json_object_get_string_member (json_object_get_object_member (list, "filter"),
                                                  "redirectFromEntryId");
  const char *ks = json_object_get_string_member_with_default (request, "ks", NULL);
  g_autofree char *entry = NULL, *context = NULL;

  *content_type = "application/json";
  if (g_strcmp0 (ks, "expired-ks") == 0) {
    g_autofree char *e = api_exception ("INVALID_KS",
                                        "Invalid KS \\\"expired-ks\\\" Error \\\"-1,INVALID_STR\\\"");

    return g_strdup_printf ("[%s,%s,%s]", e, e, e);
  }
  if (g_str_equal (id, "0_html")) {
    *content_type = "text/html";
    return g_strdup ("<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>");
  }
  entry = g_str_equal (id, "0_none") ? g_strdup (EMPTY_LIST) : entry_list (self, id);
  if (g_str_equal (id, "0_exception"))
    context = api_exception ("SERVICE_FORBIDDEN", "The access to service "
                             "[baseEntry->getPlaybackContext] is forbidden");
  else
    context = playback_context (self, id);
  return g_strdup_printf ("[%s%s%s,%s,%s]", anonymous ? SESSION : "", anonymous ? "," : "",
                          entry, context, METADATA);
}

static void
fake_api (SoupServer        *soup_server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  OfflineTestOvp *self = user_data;
  const char *content_type = NULL;
  char *text;
  guint status;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->bodies, g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
  g_ptr_array_add (self->content_types,
                   g_strdup (soup_message_headers_get_content_type (headers, NULL)));
  status = GPOINTER_TO_UINT (g_queue_pop_head (&self->statuses));
  if (status != 0 && self->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  self->retry_after);
  g_mutex_unlock (&self->lock);

  if (status != 0) {
    soup_server_message_set_status (msg, status, NULL);
    return;
  }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL)) {
    soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
    return;
  }
  text = answer (self, json_node_get_object (json_parser_get_root (parser)), &content_type);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, text, strlen (text));
}

OfflineTestOvp *
offline_test_ovp_new (OfflineTestServer *server,
                      const char        *license_url)
{
  OfflineTestOvp *self = g_new0 (OfflineTestOvp, 1);

  self->base_url = g_strdup (offline_test_server_get_base_url (server));
  self->license_url = g_strdup (license_url);
  g_mutex_init (&self->lock);
  self->bodies = g_ptr_array_new_with_free_func (g_free);
  self->content_types = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->statuses);
  offline_test_server_add_handler (server, "/api_v3/service/multirequest", fake_api, self);
  return self;
}

void
offline_test_ovp_free (OfflineTestOvp *self)
{
  g_free (self->base_url);
  g_free (self->license_url);
  g_mutex_clear (&self->lock);
  g_ptr_array_unref (self->bodies);
  g_ptr_array_unref (self->content_types);
  g_queue_clear (&self->statuses);
  g_free (self->retry_after);
  g_free (self);
}

void
offline_test_ovp_fail_next (OfflineTestOvp *self,
                            guint           n,
                            guint           status,
                            const char     *retry_after)
{
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < n; i++)
    g_queue_push_tail (&self->statuses, GUINT_TO_POINTER (status));
  g_free (self->retry_after);
  self->retry_after = g_strdup (retry_after);
  g_mutex_unlock (&self->lock);
}

static char **
copy_strings (GPtrArray *array)
{
  char **copy = g_new0 (char *, array->len + 1);

  for (guint i = 0; i < array->len; i++)
    copy[i] = g_strdup (g_ptr_array_index (array, i));
  return copy;
}

char **
offline_test_ovp_get_bodies (OfflineTestOvp   *self,
                             char           ***content_types)
{
  char **bodies;

  g_mutex_lock (&self->lock);
  bodies = copy_strings (self->bodies);
  if (content_types != NULL)
    *content_types = copy_strings (self->content_types);
  g_mutex_unlock (&self->lock);
  return bodies;
}

guint
offline_test_ovp_get_request_count (OfflineTestOvp *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->bodies->len;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
offline_test_ovp_reset (OfflineTestOvp *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->bodies->len;
  g_ptr_array_set_size (self->bodies, 0);
  g_ptr_array_set_size (self->content_types, 0);
  g_mutex_unlock (&self->lock);
  return n;
}
