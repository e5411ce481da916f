/* offline-manager-config.c: a manager made from the player-style JSON
 * configuration
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "offline-error.h"
#include "offline-manager.h"
#include "offline-ovp-provider.h"
#include "offline-url-provider.h"

/* The web player's default API base (playkit-js-providers, OVP: "//…" there,
 * https here as there is no page to take the scheme from). */
#define DEFAULT_SERVICE_URL "https://cdnapisec.kaltura.com/api_v3"

/* What the configuration says; NULL / -1 for what it leaves out. */
typedef struct {
  char *store_path;
  gint64 max_parallel_downloads;
  gint64 max_parallel_segments;
  gint64 max_retries;
  int auto_resume;            /* -1, FALSE, TRUE */

  gboolean have_provider;
  gint64 partner_id;
  gint64 ui_conf_id;
  char *ks;
  char *client_tag;
  char *service_url;
  char *cdn_url;
} Config;

static void
config_clear (Config *config)
{
  g_free (config->store_path);
  g_free (config->ks);
  g_free (config->client_tag);
  g_free (config->service_url);
  g_free (config->cdn_url);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Config, config_clear)

/* Sets @error to OFFLINE_ERROR_INVALID_CONFIG; FALSE. */
#define invalid(error, ...) \
  (g_set_error ((error), OFFLINE_ERROR, OFFLINE_ERROR_INVALID_CONFIG, __VA_ARGS__), FALSE)

/* The value types a key may have. */
typedef enum {
  KIND_STRING,
  KIND_INTEGER,
  KIND_BOOLEAN,
  KIND_OBJECT,
} Kind;

static const char *kind_names[] = { "a string", "an integer", "a boolean", "an object" };

/* TRUE if @node (a member called @path) is of @kind. A JSON null is taken
 * as a key left out: *@present is FALSE then. */
static gboolean
check_kind (JsonNode    *node,
            const char  *path,
            Kind         kind,
            gboolean    *present,
            GError     **error)
{
  gboolean ok;

  *present = !JSON_NODE_HOLDS_NULL (node);
  if (!*present)
    return TRUE;
  switch (kind) {
  case KIND_OBJECT:
    ok = JSON_NODE_HOLDS_OBJECT (node);
    break;
  case KIND_STRING:
    ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
    break;
  case KIND_INTEGER:
    ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
    break;
  default:
    ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    break;
  }
  if (!ok)
    return invalid (error, "%s must be %s", path, kind_names[kind]);
  return TRUE;
}

/* An integer key checked against the range of @pspec (a guint or gint64
 * property), or left at -1. */
static gboolean
read_integer (JsonNode    *node,
              const char  *path,
              GParamSpec  *pspec,
              gint64      *out,
              GError     **error)
{
  gboolean present;
  gint64 value, min, max;

  if (!check_kind (node, path, KIND_INTEGER, &present, error))
    return FALSE;
  if (!present)
    return TRUE;
  value = json_node_get_int (node);
  if (G_IS_PARAM_SPEC_UINT (pspec)) {
    min = G_PARAM_SPEC_UINT (pspec)->minimum;
    max = G_PARAM_SPEC_UINT (pspec)->maximum;
  } else {
    min = G_PARAM_SPEC_INT64 (pspec)->minimum;
    max = G_PARAM_SPEC_INT64 (pspec)->maximum;
  }
  if (value < min || value > max) {
    if (max == G_MAXINT64)
      return invalid (error, "%s must be at least %" G_GINT64_FORMAT " (got %" G_GINT64_FORMAT ")",
                      path, min, value);
    return invalid (error, "%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                    " (got %" G_GINT64_FORMAT ")", path, min, max, value);
  }
  *out = value;
  return TRUE;
}

static gboolean
read_string (JsonNode    *node,
             const char  *path,
             char       **out,
             GError     **error)
{
  gboolean present;

  if (!check_kind (node, path, KIND_STRING, &present, error))
    return FALSE;
  if (present) {
    g_free (*out);
    *out = g_strdup (json_node_get_string (node));
  }
  return TRUE;
}

static GParamSpec *
pspec_of (GType       type,
          const char *name)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);

  return g_object_class_find_property (G_OBJECT_CLASS (klass), name);
}

/* One member of a section, at key path @path; a MemberFunc sets @known
 * to FALSE for a key it does not know. */
typedef struct {
  const char *name;
  const char *path;
  JsonNode *node;
  Config *config;
  gboolean known;
} Member;

typedef gboolean (*MemberFunc) (Member  *m,
                                GError **error);

/* Calls @func on each member of @section (at @prefix, NULL for the
 * root), in the document's order; unknown keys get a debug message. */
static gboolean
parse_section (JsonObject  *section,
               const char  *prefix,
               MemberFunc   func,
               Config      *config,
               GError     **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, section);
  while (json_object_iter_next_ordered (&iter, &name, &node)) {
    g_autofree char *path = prefix != NULL ? g_strconcat (prefix, ".", name, NULL) : g_strdup (name);
    Member m = { name, path, node, config, TRUE };

    if (!func (&m, error))
      return FALSE;
    if (!m.known)
      g_debug ("Configuration: ignoring the unknown key %s", path);
  }
  return TRUE;
}

/* A member that is an object, parsed with @func; left out if null. */
static gboolean
parse_subsection (Member      *m,
                  MemberFunc   func,
                  gboolean    *present,
                  GError     **error)
{
  return check_kind (m->node, m->path, KIND_OBJECT, present, error) &&
         (!*present || parse_section (json_node_get_object (m->node), m->path, func, m->config, error));
}

static gboolean
offline_member (Member  *m,
                GError **error)
{
  gboolean present;

  if (g_str_equal (m->name, "storePath"))
    return read_string (m->node, m->path, &m->config->store_path, error);
  if (g_str_equal (m->name, "maxParallelDownloads"))
    return read_integer (m->node, m->path, pspec_of (OFFLINE_TYPE_MANAGER, "max-parallel-downloads"),
                         &m->config->max_parallel_downloads, error);
  if (g_str_equal (m->name, "maxParallelSegments"))
    return read_integer (m->node, m->path, pspec_of (OFFLINE_TYPE_MANAGER, "max-parallel-segments"),
                         &m->config->max_parallel_segments, error);
  if (g_str_equal (m->name, "maxRetries"))
    return read_integer (m->node, m->path, pspec_of (OFFLINE_TYPE_MANAGER, "max-retries"),
                         &m->config->max_retries, error);
  if (g_str_equal (m->name, "autoResume")) {
    if (!check_kind (m->node, m->path, KIND_BOOLEAN, &present, error))
      return FALSE;
    if (present)
      m->config->auto_resume = json_node_get_boolean (m->node);
    return TRUE;
  }
  m->known = FALSE;
  return TRUE;
}

static gboolean
env_member (Member  *m,
            GError **error)
{
  if (g_str_equal (m->name, "serviceUrl"))
    return read_string (m->node, m->path, &m->config->service_url, error);
  if (g_str_equal (m->name, "cdnUrl"))
    return read_string (m->node, m->path, &m->config->cdn_url, error);
  m->known = FALSE;
  return TRUE;
}

static gboolean
provider_member (Member  *m,
                 GError **error)
{
  gboolean present;

  if (g_str_equal (m->name, "partnerId"))
    return read_integer (m->node, m->path, pspec_of (OFFLINE_TYPE_OVP_PROVIDER, "partner-id"),
                         &m->config->partner_id, error);
  if (g_str_equal (m->name, "uiConfId"))
    return read_integer (m->node, m->path, pspec_of (OFFLINE_TYPE_OVP_PROVIDER, "ui-conf-id"),
                         &m->config->ui_conf_id, error);
  if (g_str_equal (m->name, "ks"))
    return read_string (m->node, m->path, &m->config->ks, error);
  if (g_str_equal (m->name, "clientTag"))
    return read_string (m->node, m->path, &m->config->client_tag, error);
  if (g_str_equal (m->name, "env"))
    return parse_subsection (m, env_member, &present, error);
  m->known = FALSE;
  return TRUE;
}

static gboolean
root_member (Member  *m,
             GError **error)
{
  gboolean present;

  if (g_str_equal (m->name, "offline"))
    return parse_subsection (m, offline_member, &present, error);
  if (!g_str_equal (m->name, "provider")) {
    m->known = FALSE;
    return TRUE;
  }
  if (!parse_subsection (m, provider_member, &m->config->have_provider, error))
    return FALSE;
  if (!m->config->have_provider)
    return TRUE;
  if (m->config->partner_id < 0)
    return invalid (error, "provider.partnerId is missing: a provider section needs the partner id");
  if (m->config->service_url == NULL || *m->config->service_url == '\0') {
    g_free (m->config->service_url);
    m->config->service_url = g_strdup (DEFAULT_SERVICE_URL);
  }
  return TRUE;
}

static gboolean
parse_config (const char  *json,
              Config      *config,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    return invalid (error, "The configuration is not JSON: %s", parse_error->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, "The configuration must be a JSON object");
  return parse_section (json_node_get_object (root), NULL, root_member, config, error);
}

static OfflineProvider *
make_provider (const Config *config,
               guint         max_retries)
{
  if (!config->have_provider)
    return OFFLINE_PROVIDER (offline_url_provider_new ());
  return g_object_new (OFFLINE_TYPE_OVP_PROVIDER,
                       "partner-id", config->partner_id,
                       "ui-conf-id", config->ui_conf_id,
                       "ks", config->ks,
                       "client-tag", config->client_tag,
                       "service-url", config->service_url,
                       "cdn-url", config->cdn_url,
                       "max-retries", max_retries,
                       NULL);
}

/**
 * offline_manager_new_from_config:
 * @json: the configuration, a JSON object as the web player takes it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes a manager as offline_manager_new() does, from the configuration
 * an app passes to the player:
 *
 * ```json
 * {"provider": {"partnerId": 1234, "uiConfId": 5678, "ks": "…",
 *               "env": {"serviceUrl": "https://cdnapisec.kaltura.com/api_v3",
 *                       "cdnUrl": "https://cdnapisec.kaltura.com"}},
 *  "offline": {"storePath": "/path/to/store", "maxParallelDownloads": 3,
 *              "maxParallelSegments": 6, "maxRetries": 5, "autoResume": true}}
 * ```
 *
 * The `offline` keys set #OfflineManager:store-path (left out: the default
 * store), #OfflineManager:max-parallel-downloads,
 * #OfflineManager:max-parallel-segments, #OfflineManager:max-retries and
 * #OfflineManager:auto-resume. A `provider` section makes an
 * #OfflineOvpProvider (`partnerId` required, `env.serviceUrl` defaulting
 * to `https://cdnapisec.kaltura.com/api_v3` as in the web player,
 * `uiConfId`, `ks`, `env.cdnUrl` and `clientTag` optional, and
 * `offline.maxRetries` for its requests too); without one the manager gets
 * an empty #OfflineUrlProvider. A key set to `null` counts as left out;
 * unknown keys are ignored (a debug message names each). See
 * docs/configuration.md.
 *
 * Returns: (transfer full): the manager, or %NULL with @error set:
 *   %OFFLINE_ERROR_INVALID_CONFIG if @json is not a JSON object or a key
 *   has the wrong type, is out of range or is missing (the message names
 *   the key, nothing was opened), else as offline_manager_new()
 */
OfflineManager *
offline_manager_new_from_config (const char    *json,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_auto(Config) config = { NULL, -1, -1, -1, -1, FALSE, -1, 0, };
  g_autoptr(OfflineProvider) provider = NULL;
  const char *names[6];
  GValue values[6] = { G_VALUE_INIT, };
  guint n = 0;
  guint max_retries;
  GObject *manager;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (json == NULL) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_CONFIG,
                         "The configuration is not JSON: it is NULL");
    return NULL;
  }
  if (!parse_config (json, &config, error))
    return NULL;

  max_retries = config.max_retries >= 0 ? (guint) config.max_retries
    : G_PARAM_SPEC_UINT (pspec_of (OFFLINE_TYPE_MANAGER, "max-retries"))->default_value;
  provider = make_provider (&config, max_retries);

  names[n] = "provider";
  g_value_init (&values[n], OFFLINE_TYPE_PROVIDER);
  g_value_set_object (&values[n++], provider);
  names[n] = "store-path";
  g_value_init (&values[n], G_TYPE_STRING);
  g_value_set_string (&values[n++], config.store_path);
  names[n] = "max-retries";
  g_value_init (&values[n], G_TYPE_UINT);
  g_value_set_uint (&values[n++], max_retries);
  if (config.max_parallel_downloads >= 0) {
    names[n] = "max-parallel-downloads";
    g_value_init (&values[n], G_TYPE_UINT);
    g_value_set_uint (&values[n++], (guint) config.max_parallel_downloads);
  }
  if (config.max_parallel_segments >= 0) {
    names[n] = "max-parallel-segments";
    g_value_init (&values[n], G_TYPE_UINT);
    g_value_set_uint (&values[n++], (guint) config.max_parallel_segments);
  }
  if (config.auto_resume >= 0) {
    names[n] = "auto-resume";
    g_value_init (&values[n], G_TYPE_BOOLEAN);
    g_value_set_boolean (&values[n++], config.auto_resume);
  }

  manager = g_object_new_with_properties (OFFLINE_TYPE_MANAGER, n, names, values);
  for (guint i = 0; i < n; i++)
    g_value_unset (&values[i]);
  if (!g_initable_init (G_INITABLE (manager), cancellable, error)) {
    g_object_unref (manager);
    return NULL;
  }
  return OFFLINE_MANAGER (manager);
}
