/* offline-ovp-request.c: the multirequest that resolves an entry id through
 * the Kaltura OVP API v3, as the web player's provider sends it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "offline-ovp-private.h"

#define API_VERSION "3.3.0"
#define FORMAT_JSON 1
#define DEFAULT_CLIENT_TAG "offlinemgr:v" PACKAGE_VERSION
/* KalturaResponseProfileType INCLUDE_FIELDS */
#define RESPONSE_PROFILE_INCLUDE 1
#define ENTRY_FIELDS "id,name,description,thumbnailUrl,duration,msDuration,type,tags,status"

char *
offline_ovp_request_url (const OfflineOvpParams *params)
{
  gsize len = strlen (params->service_url);

  while (len > 0 && params->service_url[len - 1] == '/')
    len--;
  return g_strdup_printf ("%.*s/service/multirequest", (int) len, params->service_url);
}

/* Opens sub-request number @n: {"service": …, "action": …, "ks": …} */
static void
begin_request (JsonBuilder *builder,
               guint        n,
               const char  *service,
               const char  *action,
               const char  *ks)
{
  char key[16];

  g_snprintf (key, sizeof key, "%u", n);
  json_builder_set_member_name (builder, key);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, service);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  if (ks != NULL) {
    json_builder_set_member_name (builder, "ks");
    json_builder_add_string_value (builder, ks);
  }
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

char *
offline_ovp_request_body (const OfflineOvpParams *params,
                          const char             *entry_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *widget_id = NULL;
  g_autofree char *entry_ref = NULL;
  const char *ks = params->ks;
  guint n = 1;

  json_builder_begin_object (builder);
  if (ks == NULL) {
    /* an anonymous session for the partner's default widget; the requests
     * after it refer to its KS */
    widget_id = g_strdup_printf ("_%" G_GINT64_FORMAT, params->partner_id);
    begin_request (builder, n++, "session", "startWidgetSession", NULL);
    add_string (builder, "widgetId", widget_id);
    json_builder_end_object (builder);
    ks = "{1:result:ks}";
  }

  /* the entry, or the one it redirects to (a live entry's recording) */
  entry_ref = g_strdup_printf ("{%u:result:objects:0:id}", n);
  begin_request (builder, n++, "baseEntry", "list", ks);
  json_builder_set_member_name (builder, "filter");
  json_builder_begin_object (builder);
  add_string (builder, "redirectFromEntryId", entry_id);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "responseProfile");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_int_value (builder, RESPONSE_PROFILE_INCLUDE);
  add_string (builder, "fields", ENTRY_FIELDS);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  begin_request (builder, n++, "baseEntry", "getPlaybackContext", ks);
  add_string (builder, "entryId", entry_ref);
  json_builder_set_member_name (builder, "contextDataParams");
  json_builder_begin_object (builder);
  add_string (builder, "objectType", "KalturaContextDataParams");
  add_string (builder, "flavorTags", "all");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  begin_request (builder, n++, "metadata_metadata", "list", ks);
  json_builder_set_member_name (builder, "filter");
  json_builder_begin_object (builder);
  add_string (builder, "objectType", "KalturaMetadataFilter");
  add_string (builder, "objectIdEqual", entry_ref);
  add_string (builder, "metadataObjectTypeEqual", "1");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  add_string (builder, "apiVersion", API_VERSION);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, FORMAT_JSON);
  if (params->ks != NULL)
    add_string (builder, "ks", params->ks);
  add_string (builder, "clientTag",
              params->client_tag != NULL ? params->client_tag : DEFAULT_CLIENT_TAG);
  json_builder_set_member_name (builder, "partnerId");
  json_builder_add_int_value (builder, params->partner_id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
offline_ovp_play_manifest_url (const OfflineOvpParams *params,
                               const char             *entry_id,
                               const char             *protocol,
                               const char             *format,
                               const char             *flavor_ids,
                               const char             *extension)
{
  g_autofree char *base = NULL;
  /* ids from the API are "1_abc123", but nothing in a path segment may
   * end it or start a query */
  g_autofree char *id = g_uri_escape_string (entry_id, NULL, FALSE);
  g_autofree char *flavors = g_uri_escape_string (flavor_ids, ",", FALSE);
  g_autofree char *ks = params->ks != NULL ? g_uri_escape_string (params->ks, "=", FALSE) : NULL;
  GString *url;

  if (params->cdn_url != NULL) {
    base = g_strdup (params->cdn_url);
  } else {
    /* as the web player: the service URL without its last segment
     * ("https://host/api_v3" → "https://host") */
    const char *slash = strrchr (params->service_url, '/');
    const char *scheme_end = strstr (params->service_url, "://");

    if (slash != NULL && (scheme_end == NULL || slash > scheme_end + 2))
      base = g_strndup (params->service_url, slash - params->service_url);
    else
      base = g_strdup (params->service_url);
  }
  url = g_string_new (base);
  if (url->len == 0 || url->str[url->len - 1] != '/')
    g_string_append_c (url, '/');
  g_string_append_printf (url, "p/%" G_GINT64_FORMAT "/sp/%" G_GINT64_FORMAT "00/playManifest/"
                          "entryId/%s/protocol/%s/format/%s/flavorIds/%s",
                          params->partner_id, params->partner_id, id, protocol, format,
                          flavors);
  if (ks != NULL)
    g_string_append_printf (url, "/ks/%s", ks);
  if (extension != NULL && *extension != '\0') {
    g_autofree char *ext = g_uri_escape_string (extension, NULL, FALSE);

    g_string_append_printf (url, "/a.%s", ext);
  }
  g_string_append_c (url, '?');
  if (params->ui_conf_id != 0)
    g_string_append_printf (url, "uiConfId=%" G_GINT64_FORMAT "&", params->ui_conf_id);
  /* the server counts a download, not a play */
  g_string_append (url, "playbackType=offline");
  return g_string_free (url, FALSE);
}

char *
offline_ovp_drm_scheme (const char *scheme)
{
  /* Kaltura's KalturaDrmSchemeName values are "plugin.NAME"
   * ("drm.WIDEVINE_CENC", "fairplay.FAIRPLAY", "playReady.PLAYREADY",
   * "widevine.WIDEVINE"); the name alone is seen too. Its enumeration has
   * no Clear Key member: "CLEARKEY"/"CLEAR_KEY" and the W3C key system
   * name are taken for it. */
  static const struct {
    const char *prefix;
    const char *name;
  } known[] = {
    { "WIDEVINE", "widevine" },
    { "PLAYREADY", "playready" },
    { "FAIRPLAY", "fairplay" },
    { "CLEARKEY", "clearkey" },
    { "CLEAR_KEY", "clearkey" },
  };
  const char *dot = strrchr (scheme, '.');
  const char *name = dot != NULL ? dot + 1 : scheme;

  if (g_ascii_strcasecmp (scheme, "org.w3.clearkey") == 0)
    return g_strdup ("clearkey");
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++) {
    gsize len = strlen (known[i].prefix);

    /* "WIDEVINE" and "WIDEVINE_CENC" alike */
    if (g_ascii_strncasecmp (name, known[i].prefix, len) == 0 &&
        (name[len] == '\0' || name[len] == '_'))
      return g_strdup (known[i].name);
  }
  return g_ascii_strdown (scheme, -1);
}
