/* offline-media-info-json.c: OfflineMediaInfo as JSON and back
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-enum-types.h"
#include "offline-error.h"
#include "offline-json-private.h"
#include "offline-media-info-private.h"

static void
add_source (JsonBuilder        *builder,
            OfflineMediaSource *source)
{
  const char * const *schemes = offline_media_source_get_drm_schemes (source);

  json_builder_begin_object (builder);
  offline_json_add_enum_nick (builder, "format", OFFLINE_TYPE_MANIFEST_FORMAT,
                              offline_media_source_get_format (source));
  offline_json_add_string (builder, "url", offline_media_source_get_url (source));
  json_builder_set_member_name (builder, "drm");
  json_builder_begin_array (builder);
  for (guint i = 0; schemes[i] != NULL; i++) {
    json_builder_begin_object (builder);
    offline_json_add_string (builder, "scheme", schemes[i]);
    offline_json_add_string (builder, "license_url",
                             offline_media_source_get_license_url (source, schemes[i]));
    json_builder_end_object (builder);
  }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * offline_media_info_to_json:
 * @self: a #OfflineMediaInfo
 *
 * Serialises the media info as a pretty-printed JSON object with the
 * members `entry_id`, `manifest_url`, `format` (`unknown`, `dash`, `hls`
 * or `progressive`), `name`, `description`, `poster_url`, `duration`
 * (seconds, a number), `tags` (an array of strings), `license_url`,
 * `drm_scheme`, `license_expiration` (Unix seconds, 0 for none) and
 * `sources`: an array of objects with `format`, `url` and `drm`, an array
 * of objects with `scheme` and `license_url`. Unknown strings are null.
 *
 * Returns: (transfer full): the JSON text
 */
char *
offline_media_info_to_json (OfflineMediaInfo *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *sources;

  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);

  sources = offline_media_info_get_sources (self);

  json_builder_begin_object (builder);
  offline_json_add_string (builder, "entry_id", offline_media_info_get_entry_id (self));
  offline_json_add_string (builder, "manifest_url", offline_media_info_get_manifest_url (self));
  offline_json_add_enum_nick (builder, "format", OFFLINE_TYPE_MANIFEST_FORMAT, offline_media_info_get_format (self));
  offline_json_add_string (builder, "name", offline_media_info_get_name (self));
  offline_json_add_string (builder, "description", offline_media_info_get_description (self));
  offline_json_add_string (builder, "poster_url", offline_media_info_get_poster_url (self));
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, (double) offline_media_info_get_duration (self) / G_USEC_PER_SEC);
  offline_json_add_strv (builder, "tags", offline_media_info_get_tags (self));
  offline_json_add_string (builder, "license_url", offline_media_info_get_license_url (self));
  offline_json_add_string (builder, "drm_scheme", offline_media_info_get_drm_scheme (self));
  offline_json_add_int (builder, "license_expiration", offline_media_info_get_license_expiration (self));
  json_builder_set_member_name (builder, "sources");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sources->len; i++)
    add_source (builder, g_ptr_array_index (sources, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return offline_json_to_text (builder);
}

/* The string member @name of @object, NULL if missing or not a string. */
static const char *
get_string (JsonObject *object,
            const char *name)
{
  return offline_json_get_string (object, name);
}

static gint64
get_int (JsonObject *object,
         const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return MAX (json_node_get_int (node), 0);
}

/* The duration in seconds of @node as µs; 0 (unknown) for none, one
 * below 0 or one too long for a GTimeSpan. */
static GTimeSpan
get_duration (JsonNode *node)
{
  gdouble us;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  us = json_node_get_double (node) * G_USEC_PER_SEC;
  return us > 0 && us < (gdouble) G_MAXINT64 ? (GTimeSpan) us : 0;
}

static int
get_format (JsonObject *object)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (OFFLINE_TYPE_MANIFEST_FORMAT);
  const char *nick = get_string (object, "format");
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (enum_class, nick) : NULL;

  return value != NULL ? value->value : OFFLINE_MANIFEST_FORMAT_UNKNOWN;
}

/* The array member @name of @object, NULL if missing or not an array. */
static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The object element @i of @array, NULL if it is not an object. */
static JsonObject *
get_object_element (JsonArray *array,
                    guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
add_sources (OfflineMediaInfo *info,
             JsonArray        *sources)
{
  for (guint i = 0; sources != NULL && i < json_array_get_length (sources); i++) {
    JsonObject *object = get_object_element (sources, i);
    g_autoptr(OfflineMediaSource) source = NULL;
    JsonArray *drm;

    if (object == NULL || get_string (object, "url") == NULL)
      continue;
    source = offline_media_source_new (get_format (object), get_string (object, "url"));
    drm = get_array (object, "drm");
    for (guint j = 0; drm != NULL && j < json_array_get_length (drm); j++) {
      JsonObject *system = get_object_element (drm, j);

      if (system != NULL && get_string (system, "scheme") != NULL &&
          *get_string (system, "scheme") != '\0')
        offline_media_source_add_drm (source, get_string (system, "scheme"),
                                      get_string (system, "license_url"));
    }
    offline_media_info_add_source (info, source);
  }
}

OfflineMediaInfo *
offline_media_info_new_from_json (const char  *json,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *tags_text = NULL;
  JsonObject *object;
  JsonNode *root;
  JsonNode *duration;
  OfflineMediaInfo *info;

  if (!json_parser_load_from_data (parser, json, -1, &local_error)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                 "A media info is not JSON: %s", local_error->message);
    return NULL;
  }
  root = json_parser_get_root (parser);
  /* an empty manifest_url would be an info without one (empty means unset) */
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (get_string (json_node_get_object (root), "manifest_url"), "") <= 0) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                         "A media info must be a JSON object with a manifest_url");
    return NULL;
  }
  object = json_node_get_object (root);
  duration = json_object_get_member (object, "duration");
  if (get_array (object, "tags") != NULL) {
    g_autoptr(JsonGenerator) generator = json_generator_new ();

    json_generator_set_root (generator, json_object_get_member (object, "tags"));
    tags_text = json_generator_to_data (generator, NULL);
  }
  tags = offline_json_strv_from_text (tags_text);
  info = g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                       "entry-id", get_string (object, "entry_id"),
                       "manifest-url", get_string (object, "manifest_url"),
                       "format", get_format (object),
                       "name", get_string (object, "name"),
                       "description", get_string (object, "description"),
                       "poster-url", get_string (object, "poster_url"),
                       "duration", get_duration (duration),
                       "license-url", get_string (object, "license_url"),
                       "drm-scheme", get_string (object, "drm_scheme"),
                       "license-expiration", get_int (object, "license_expiration"),
                       "tags", tags,
                       NULL);
  add_sources (info, get_array (object, "sources"));
  return info;
}
