/* offline-json.c: building the JSON the library hands out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-json-private.h"

void
offline_json_add_string (JsonBuilder *builder,
                         const char  *name,
                         const char  *value)
{
  g_autofree char *valid = NULL;

  json_builder_set_member_name (builder, name);
  if (value == NULL) {
    json_builder_add_null_value (builder);
    return;
  }
  valid = g_utf8_make_valid (value, -1);
  json_builder_add_string_value (builder, valid);
}

void
offline_json_add_int (JsonBuilder *builder,
                      const char  *name,
                      gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
offline_json_add_enum_nick (JsonBuilder *builder,
                            const char  *name,
                            GType        type,
                            int          value)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (enum_class, value);

  offline_json_add_string (builder, name, enum_value != NULL ? enum_value->value_nick : NULL);
}

void
offline_json_add_strv (JsonBuilder        *builder,
                       const char         *name,
                       const char * const *strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++) {
    g_autofree char *valid = g_utf8_make_valid (strv[i], -1);

    json_builder_add_string_value (builder, valid);
  }
  json_builder_end_array (builder);
}

char *
offline_json_to_text (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

char *
offline_json_strv_to_text (const char * const *strv)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (strv == NULL || strv[0] == NULL)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  offline_json_add_strv (builder, "a", strv);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, json_object_get_member (json_node_get_object (root), "a"));
  return json_generator_to_data (generator, NULL);
}

GStrv
offline_json_strv_from_text (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) strv = g_strv_builder_new ();
  JsonNode *root;
  JsonArray *array;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return g_strv_builder_end (strv);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return g_strv_builder_end (strv);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);

    if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
      g_strv_builder_add (strv, json_node_get_string (node));
  }
  return g_strv_builder_end (strv);
}

const char *
offline_json_get_string (JsonObject *object,
                         const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
