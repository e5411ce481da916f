/* offlinemgr-config.c: `offlinemgr --config FILE`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "offline.h"
#include "offlinemgr-config.h"

void
cli_config_clear (CliConfig *config)
{
  g_clear_pointer (&config->json, g_free);
  g_clear_pointer (&config->store_path, g_free);
}

/* The "offline" section of @root, made if there is none; NULL if it is not
 * an object (offline_manager_new_from_config() reports that). */
static JsonObject *
offline_section (JsonObject *root)
{
  JsonNode *node = json_object_get_member (root, "offline");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node)) {
    json_object_set_object_member (root, "offline", json_object_new ());
    node = json_object_get_member (root, "offline");
  }
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

gboolean
cli_config_load (const char  *path,
                 const char  *store,
                 CliConfig   *config,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) read_error = NULL;
  g_autofree char *text = NULL;
  JsonObject *root, *offline;
  JsonNode *node;

  if (!g_file_get_contents (path, &text, NULL, &read_error)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_CONFIG,
                 "Cannot read the configuration: %s", read_error->message);
    return FALSE;
  }
  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    /* the library's own error; it opens nothing */
    g_autoptr(OfflineManager) manager = offline_manager_new_from_config (text, NULL, error);

    g_assert (manager == NULL);
    return FALSE;
  }
  root = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (root, "provider");
  config->has_provider = node != NULL && !JSON_NODE_HOLDS_NULL (node);

  offline = offline_section (root);
  if (offline != NULL && store != NULL)
    json_object_set_string_member (offline, "storePath", store);
  if (offline != NULL && json_object_has_member (offline, "storePath"))
    node = json_object_get_member (offline, "storePath");
  else
    node = NULL;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      *json_node_get_string (node) != '\0')
    config->store_path = g_strdup (json_node_get_string (node));
  else
    config->store_path = g_strdup (store);
  config->json = json_to_string (json_parser_get_root (parser), FALSE);
  return TRUE;
}
