/* offline-ovp-context.c: the Kaltura OVP multirequest's answer (entry and
 * playback context) made into an OfflineMediaInfo
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "offline-enum-types.h"
#include "offline-error.h"
#include "offline-media-source.h"
#include "offline-ovp-private.h"

#define ENTRY_STATUS_READY 2            /* KalturaEntryStatus */
#define ENTRY_TYPE_LIVE_STREAM 7        /* KalturaEntryType */
#define ENTRY_TYPE_LIVE_CHANNEL 8
#define RULE_ACTION_BLOCK 1             /* KalturaRuleActionType */
#define QUOTE_MAX 80                    /* bytes of a server's odd answer quoted */

/* ---- JSON members ---- */

static JsonObject *
node_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An integer member (also written as a string of digits), else @fallback. */
static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  const char *text;
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE) {
    gdouble number = json_node_get_double (node);

    /* one that no gint64 holds is no integer either */
    return number >= (gdouble) G_MININT64 && number < (gdouble) G_MAXINT64 ? (gint64) number
                                                                           : fallback;
  }
  text = json_node_get_string (node);
  if (text != NULL && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return value;
  return fallback;
}

/* @count @units as a GTimeSpan; 0 (unknown) below 0 or past what a
 * GTimeSpan holds. */
static GTimeSpan
time_span (gint64 count,
           gint64 unit)
{
  return count > 0 && count <= G_MAXINT64 / unit ? count * unit : 0;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* @text cut to QUOTE_MAX bytes, made valid UTF-8 and single-line. */
static char *
quote (const char *text,
       gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (text, MIN (len, QUOTE_MAX));

  g_strdelimit (valid, "\r\n\t", ' ');
  return g_strdup_printf ("\"%s\"%s", g_strstrip (valid), len > QUOTE_MAX ? "…" : "");
}

/* ---- API errors ---- */

/* Whether @node is a KalturaAPIException (or a result holding one in
 * "error"); sets @error with its code and message, naming @request. */
static gboolean
is_api_exception (JsonNode    *node,
                  const char  *request,
                  GError     **error)
{
  JsonObject *object = node_object (node);
  JsonObject *inner;

  if (object == NULL)
    return FALSE;
  inner = node_object (json_object_get_member (object, "error"));
  if (g_strcmp0 (member_string (object, "objectType"), "KalturaAPIException") != 0) {
    if (g_strcmp0 (member_string (inner, "objectType"), "KalturaAPIException") != 0)
      return FALSE;
    object = inner;
  }
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
               "the OVP API failed (%s): %s: %s", request,
               member_string (object, "code") ? member_string (object, "code") : "no code",
               member_string (object, "message") ? member_string (object, "message")
                                                 : "no message");
  return TRUE;
}

/* The results of the multirequest: @expected of them, none an exception. */
static JsonArray *
get_results (JsonNode    *root,
             guint        expected,
             GError     **error)
{
  static const char *const requests[] = {
    "session.startWidgetSession", "baseEntry.list", "baseEntry.getPlaybackContext",
    "metadata_metadata.list"
  };
  JsonObject *object = node_object (root);
  JsonArray *results;
  guint offset = G_N_ELEMENTS (requests) - expected;

  if (object != NULL && json_object_has_member (object, "result"))
    root = json_object_get_member (object, "result");
  if (is_api_exception (root, "multirequest", error))
    return NULL;
  /* an empty body (or only white space) parses, with no root */
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root) ||
      json_array_get_length (results = json_node_get_array (root)) != expected) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                 "the OVP API's answer is not the %u results of the multirequest", expected);
    return NULL;
  }
  for (guint i = 0; i < expected; i++) {
    if (is_api_exception (json_array_get_element (results, i), requests[i + offset], error))
      return NULL;
  }
  return results;
}

/* The access control messages, "message (code); …", or NULL if none. */
static char *
messages_text (JsonObject *context)
{
  JsonArray *messages = member_array (context, "messages");
  GString *text;

  if (messages == NULL || json_array_get_length (messages) == 0)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (messages); i++) {
    JsonObject *message = node_object (json_array_get_element (messages, i));

    if (text->len > 0)
      g_string_append (text, "; ");
    g_string_append (text, member_string (message, "message") ? member_string (message, "message")
                                                               : "(no message)");
    /* one line: "Un authorized country\nWe're sorry…" */
    g_strdelimit (text->str, "\r\n", ' ');
    if (member_string (message, "code") != NULL)
      g_string_append_printf (text, " (%s)", member_string (message, "code"));
  }
  return g_string_free (text, FALSE);
}

/* Fails if the playback context refuses the entry: a block action or a
 * scheduled restriction. */
static gboolean
check_access (JsonObject  *context,
              const char  *entry_id,
              GError     **error)
{
  JsonArray *actions = member_array (context, "actions");
  JsonArray *messages = member_array (context, "messages");
  g_autofree char *text = messages_text (context);
  const char *why = NULL;

  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++) {
    if (member_int (node_object (json_array_get_element (actions, i)), "type", 0) ==
        RULE_ACTION_BLOCK)
      why = "a block action";
  }
  for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++) {
    if (g_strcmp0 (member_string (node_object (json_array_get_element (messages, i)), "code"),
                   "SCHEDULED_RESTRICTED") == 0)
      why = "a scheduled restriction";
  }
  if (why == NULL)
    return TRUE;
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
               "the OVP API refuses entry \"%s\" (%s): %s", entry_id, why,
               text != NULL ? text : "no message");
  return FALSE;
}

/* ---- sources ---- */

/* The protocol of @source to use: the one of the configured URLs if the
 * source offers it (no list: http only), else NULL. */
static const char *
source_protocol (const OfflineOvpParams *params,
                 JsonObject             *source)
{
  const char *base = params->cdn_url != NULL ? params->cdn_url : params->service_url;
  const char *wanted = g_ascii_strncasecmp (base, "https:", 6) == 0 ? "https" : "http";
  const char *protocols = member_string (source, "protocols");
  g_auto(GStrv) list = NULL;

  if (protocols == NULL || *protocols == '\0')
    return g_str_equal (wanted, "http") ? "http" : NULL;
  list = g_strsplit (protocols, ",", -1);
  for (guint i = 0; list[i] != NULL; i++) {
    if (g_strcmp0 (g_strstrip (list[i]), wanted) == 0)
      return wanted;
  }
  return NULL;
}

/* @source's DRM systems added to @media_source. */
static void
add_drm (OfflineMediaSource *media_source,
         JsonObject         *source)
{
  JsonArray *drm = member_array (source, "drm");

  for (guint i = 0; drm != NULL && i < json_array_get_length (drm); i++) {
    JsonObject *data = node_object (json_array_get_element (drm, i));
    g_autofree char *scheme = NULL;

    if (member_string (data, "scheme") == NULL)
      continue;
    scheme = offline_ovp_drm_scheme (member_string (data, "scheme"));
    /* "" (or "\u0000…", which reads as "") names no DRM system */
    if (*scheme == '\0')
      continue;
    offline_media_source_add_drm (media_source, scheme, member_string (data, "licenseURL"));
  }
}

/* A URL the API gave as is, with the KS as the web player adds it: a
 * query parameter after a file name, else a path segment. */
static char *
url_with_ks (const char *url,
             const char *ks)
{
  g_autofree char *path = g_strndup (url, strcspn (url, "?"));
  const char *last = strrchr (path, '/');

  if (ks == NULL)
    return g_strdup (url);
  if (strchr (last != NULL ? last : path, '.') != NULL)
    return g_strconcat (url, strchr (url, '?') != NULL ? "&ks=" : "?ks=", ks, NULL);
  return g_strconcat (url, "/ks/", ks, NULL);
}

/* An adaptive source (DASH or HLS) of the playback context. */
static OfflineMediaSource *
adaptive_source (const OfflineOvpParams *params,
                 const char             *entry_id,
                 JsonObject             *source,
                 OfflineManifestFormat   format,
                 const char             *extension)
{
  const char *protocol = source_protocol (params, source);
  const char *flavor_ids = member_string (source, "flavorIds");
  g_autofree char *url = NULL;
  OfflineMediaSource *media_source;

  if (flavor_ids != NULL && *flavor_ids != '\0' && protocol != NULL)
    url = offline_ovp_play_manifest_url (params, entry_id, protocol,
                                         member_string (source, "format"), flavor_ids,
                                         extension);
  else if ((flavor_ids == NULL || *flavor_ids == '\0') && member_string (source, "url") != NULL)
    url = url_with_ks (member_string (source, "url"), params->ks);
  if (url == NULL) {
    g_debug ("OVP: source %s of delivery profile %s left out: no URL for protocol %s",
             member_string (source, "format"), member_string (source, "deliveryProfileId"),
             protocol != NULL ? protocol : "(none offered)");
    return NULL;
  }
  media_source = offline_media_source_new (format, url);
  add_drm (media_source, source);
  return media_source;
}

/* The progressive sources of @source ("url"): a file a flavor, the video
 * flavors (those with a size) unless there are only audio ones, as the web
 * player lists them. */
static void
add_progressive (const OfflineOvpParams *params,
                 const char             *entry_id,
                 JsonObject             *source,
                 JsonArray              *flavors,
                 GPtrArray              *out)
{
  const char *protocol = source_protocol (params, source);
  g_autoptr(GPtrArray) video = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) audio = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *chosen;

  for (guint i = 0; protocol != NULL && flavors != NULL && i < json_array_get_length (flavors);
       i++) {
    JsonObject *flavor = node_object (json_array_get_element (flavors, i));
    g_autofree char *url = NULL;
    OfflineMediaSource *media_source;

    if (member_string (flavor, "id") == NULL)
      continue;
    url = offline_ovp_play_manifest_url (params, entry_id, protocol,
                                         member_string (source, "format"),
                                         member_string (flavor, "id"),
                                         member_string (flavor, "fileExt"));
    media_source = offline_media_source_new (OFFLINE_MANIFEST_FORMAT_PROGRESSIVE, url);
    add_drm (media_source, source);
    if (member_int (flavor, "width", 0) > 0 && member_int (flavor, "height", 0) > 0)
      g_ptr_array_add (video, media_source);
    else
      g_ptr_array_add (audio, media_source);
  }
  chosen = video->len > 0 ? video : audio;
  for (guint i = 0; i < chosen->len; i++)
    g_ptr_array_add (out, g_object_ref (g_ptr_array_index (chosen, i)));
}

/* Every source of the playback context, DASH first, then HLS, then
 * progressive (each in the API's order). */
static GPtrArray *
collect_sources (const OfflineOvpParams *params,
                 const char             *entry_id,
                 JsonObject             *context)
{
  static const struct {
    const char *format;
    OfflineManifestFormat manifest_format;
    const char *extension;
  } adaptive[] = {
    { "mpegdash", OFFLINE_MANIFEST_FORMAT_DASH, "mpd" },
    { "applehttp", OFFLINE_MANIFEST_FORMAT_HLS, "m3u8" },
  };
  JsonArray *sources = member_array (context, "sources");
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = sources != NULL ? json_array_get_length (sources) : 0;

  for (gsize k = 0; k < G_N_ELEMENTS (adaptive); k++) {
    for (guint i = 0; i < n; i++) {
      JsonObject *source = node_object (json_array_get_element (sources, i));
      OfflineMediaSource *media_source;

      if (g_strcmp0 (member_string (source, "format"), adaptive[k].format) != 0)
        continue;
      media_source = adaptive_source (params, entry_id, source, adaptive[k].manifest_format,
                                      adaptive[k].extension);
      if (media_source != NULL)
        g_ptr_array_add (out, media_source);
    }
  }
  /* the first progressive source the web player could use */
  for (guint i = 0; i < n; i++) {
    JsonObject *source = node_object (json_array_get_element (sources, i));

    if (g_strcmp0 (member_string (source, "format"), "url") == 0 &&
        source_protocol (params, source) != NULL) {
      add_progressive (params, entry_id, source, member_array (context, "flavorAssets"), out);
      break;
    }
  }
  return out;
}

static gboolean
has_clearkey (OfflineMediaSource *source)
{
  const char *const *schemes = offline_media_source_get_drm_schemes (source);

  return schemes != NULL && g_strv_contains (schemes, "clearkey");
}

/* Whether @source can be stored here: clear, or Clear Key among its DRM
 * systems. */
static gboolean
is_usable (OfflineMediaSource *source)
{
  const char *const *schemes = offline_media_source_get_drm_schemes (source);

  return schemes == NULL || schemes[0] == NULL || has_clearkey (source);
}

/* The error for sources none of which is usable. */
static void
set_unusable_error (GPtrArray   *sources,
                    const char  *entry_id,
                    const char  *messages,
                    GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  if (sources->len == 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                 "entry \"%s\" has no playable source%s%s", entry_id,
                 messages != NULL ? ": " : "", messages != NULL ? messages : "");
    return;
  }
  for (guint i = 0; i < sources->len; i++) {
    const char *const *schemes = offline_media_source_get_drm_schemes (g_ptr_array_index (sources, i));

    for (guint j = 0; schemes != NULL && schemes[j] != NULL; j++) {
      if (!g_ptr_array_find_with_equal_func (names, schemes[j], g_str_equal, NULL))
        g_ptr_array_add (names, (gpointer) schemes[j]);
    }
  }
  g_ptr_array_add (names, NULL);
  joined = g_strjoinv (", ", (char **) names->pdata);
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DRM_NOT_SUPPORTED,
               "entry \"%s\" is protected only with %s: no source with Clear Key, the one DRM "
               "system supported", entry_id, joined);
}

/* ---- the entry ---- */

static char **
split_tags (const char *tags)
{
  g_auto(GStrv) parts = g_strsplit (tags != NULL ? tags : "", ",", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **out;

  for (guint i = 0; parts[i] != NULL; i++) {
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (builder, parts[i]);
  }
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

/* Fails for an entry that cannot be stored: live, or not ready. */
static gboolean
check_entry (JsonObject  *entry,
             const char  *entry_id,
             GError     **error)
{
  gint64 type = member_int (entry, "type", 1);
  JsonNode *status = json_object_get_member (entry, "status");

  if (type == ENTRY_TYPE_LIVE_STREAM || type == ENTRY_TYPE_LIVE_CHANNEL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LIVE_NOT_SUPPORTED,
                 "entry \"%s\" is live (type %" G_GINT64_FORMAT "): it cannot be stored offline",
                 entry_id, type);
    return FALSE;
  }
  if (status != NULL && member_int (entry, "status", -100) != ENTRY_STATUS_READY) {
    g_autofree char *text = json_to_string (status, FALSE);

    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                 "entry \"%s\" is not ready to play (status %s)", entry_id, text);
    return FALSE;
  }
  return TRUE;
}

static OfflineMediaInfo *
build_info (const OfflineOvpParams  *params,
            const char              *entry_id,
            JsonObject              *entry,
            JsonObject              *context,
            GError                 **error)
{
  /* the entry the API listed: another id if it redirects */
  const char *id = member_string (entry, "id") != NULL ? member_string (entry, "id") : entry_id;
  g_autoptr(GPtrArray) sources = collect_sources (params, id, context);
  g_autofree char *messages = messages_text (context);
  g_auto(GStrv) tags = split_tags (member_string (entry, "tags"));
  OfflineMediaSource *chosen = NULL;
  OfflineMediaInfo *info;
  gint64 ms = member_int (entry, "msDuration", -1);
  GTimeSpan duration = ms >= 0 ? time_span (ms, G_TIME_SPAN_MILLISECOND)
                               : time_span (member_int (entry, "duration", 0), G_TIME_SPAN_SECOND);

  for (guint i = 0; i < sources->len && chosen == NULL; i++) {
    if (is_usable (g_ptr_array_index (sources, i)))
      chosen = g_ptr_array_index (sources, i);
  }
  if (chosen == NULL) {
    set_unusable_error (sources, entry_id, messages, error);
    return NULL;
  }
  info = g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                       "entry-id", entry_id,
                       "manifest-url", offline_media_source_get_url (chosen),
                       "format", offline_media_source_get_format (chosen),
                       "name", member_string (entry, "name"),
                       "description", member_string (entry, "description"),
                       "poster-url", member_string (entry, "thumbnailUrl"),
                       "duration", MAX (duration, 0),
                       "tags", tags,
                       "license-url", offline_media_source_get_license_url (chosen, "clearkey"),
                       "drm-scheme", has_clearkey (chosen) ? "clearkey" : NULL,
                       NULL);
  for (guint i = 0; i < sources->len; i++)
    offline_media_info_add_source (info, g_ptr_array_index (sources, i));
  return info;
}

OfflineMediaInfo *
offline_ovp_context_parse (const OfflineOvpParams  *params,
                           const char              *entry_id,
                           GBytes                  *body,
                           GError                 **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  guint session = params->ks == NULL ? 1 : 0;
  JsonArray *results;
  JsonArray *objects;
  JsonObject *entry, *context;

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, &json_error)) {
    g_autofree char *quoted = quote (data != NULL ? data : "", size);

    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                 "the OVP API answered something that is not JSON: %s", quoted);
    return NULL;
  }
  results = get_results (json_parser_get_root (parser), 3 + session, error);
  if (results == NULL)
    return NULL;
  objects = member_array (node_object (json_array_get_element (results, session)), "objects");
  entry = objects != NULL && json_array_get_length (objects) > 0 ?
          node_object (json_array_get_element (objects, 0)) : NULL;
  if (entry == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND,
                 "the OVP API lists no entry \"%s\"", entry_id);
    return NULL;
  }
  context = node_object (json_array_get_element (results, session + 1));
  if (context == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                 "the OVP API's playback context of entry \"%s\" is not an object", entry_id);
    return NULL;
  }
  if (!check_entry (entry, entry_id, error) || !check_access (context, entry_id, error))
    return NULL;
  return build_info (params, entry_id, entry, context, error);
}
