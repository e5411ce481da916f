/* offline-clearkey.c: W3C Clear Key licence requests and key sets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "offline-clearkey-private.h"
#include "offline-error.h"
#include "offline-json-private.h"
#include "offline-manifest-private.h"
#include "offline-track.h"

void
offline_clearkey_license_free (OfflineClearKeyLicense *license)
{
  if (license == NULL)
    return;
  g_hash_table_unref (license->keys);
  g_free (license->url);
  g_free (license);
}

char *
offline_clearkey_normalize_kid (const char *kid)
{
  GString *hex;

  if (kid == NULL)
    return NULL;
  hex = g_string_sized_new (2 * OFFLINE_CLEARKEY_KEY_SIZE);
  for (const char *p = kid; *p != '\0'; p++) {
    /* the dashes of a UUID, at its places only */
    if (*p == '-' && strlen (kid) == 36 && (p - kid == 8 || p - kid == 13 ||
                                            p - kid == 18 || p - kid == 23))
      continue;
    if (!g_ascii_isxdigit (*p) || hex->len == 2 * OFFLINE_CLEARKEY_KEY_SIZE) {
      g_string_free (hex, TRUE);
      return NULL;
    }
    g_string_append_c (hex, g_ascii_tolower (*p));
  }
  if (hex->len != 2 * OFFLINE_CLEARKEY_KEY_SIZE) {
    g_string_free (hex, TRUE);
    return NULL;
  }
  return g_string_free (hex, FALSE);
}

static gboolean
is_clearkey (OfflineProtection *protection)
{
  const char *system_id = offline_protection_get_system_id (protection);

  return g_strcmp0 (system_id, OFFLINE_CLEARKEY_SYSTEM_ID) == 0 ||
         g_strcmp0 (system_id, OFFLINE_CLEARKEY_COMMON_SYSTEM_ID) == 0;
}

gboolean
offline_clearkey_plan (GPtrArray         *tracks,
                       OfflineMediaInfo  *info,
                       char             **license_url,
                       GStrv             *kids,
                       GError           **error)
{
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *drm_scheme = offline_media_info_get_drm_scheme (info);
  const char *url = NULL;
  gboolean clearkey = FALSE;

  *license_url = NULL;
  *kids = NULL;
  for (guint i = 0; i < tracks->len; i++) {
    GPtrArray *protections = offline_track_get_protections (g_ptr_array_index (tracks, i));

    for (guint j = 0; protections != NULL && j < protections->len; j++) {
      OfflineProtection *protection = g_ptr_array_index (protections, j);
      char *kid = offline_clearkey_normalize_kid (offline_protection_get_default_kid (protection));

      if (is_clearkey (protection)) {
        clearkey = TRUE;
        if (url == NULL)
          url = offline_protection_get_license_url (protection);
      }
      if (kid != NULL && !g_hash_table_add (seen, kid))
        continue;
      if (kid != NULL)
        g_strv_builder_add (found, kid);
    }
  }
  if (!clearkey)
    return TRUE;
  if (offline_media_info_get_license_url (info) != NULL &&
      (drm_scheme == NULL || g_ascii_strcasecmp (drm_scheme, "clearkey") == 0))
    url = offline_media_info_get_license_url (info);
  if (url == NULL) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED,
                         "The content is protected with Clear Key, but neither the provider nor "
                         "the manifest (dashif:Laurl, clearkey:Laurl) names a licence server");
    return FALSE;
  }
  if (g_hash_table_size (seen) == 0) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED,
                         "The content is protected with Clear Key, but the manifest gives no "
                         "key ID (cenc:default_KID) to ask the licence server for");
    return FALSE;
  }
  *license_url = g_strdup (url);
  *kids = g_strv_builder_end (found);
  return TRUE;
}

/* base64url without padding (RFC 7515, appendix C) */
static char *
base64url_encode (const guint8 *data,
                  gsize         size)
{
  char *text = g_base64_encode (data, size);

  for (char *p = text; *p != '\0'; p++) {
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=')
      *p = '\0';
  }
  return text;
}

/* NULL unless @text is base64url (padded or not) of exactly @size bytes */
static GBytes *
base64url_decode (const char *text,
                  gsize       size)
{
  gsize length = strlen (text), decoded_size = 0;
  g_autoptr(GString) standard = g_string_sized_new (length + 3);
  g_autofree guint8 *decoded = NULL;

  for (gsize i = 0; i < length; i++) {
    char c = text[i];

    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (c == '=' && i + 2 >= length)
      break;
    else if (!g_ascii_isalnum (c) && c != '+' && c != '/')
      return NULL;
    g_string_append_c (standard, c);
  }
  if (standard->len % 4 == 1)
    return NULL;
  while (standard->len % 4 != 0)
    g_string_append_c (standard, '=');
  decoded = g_base64_decode (standard->str, &decoded_size);
  if (decoded_size != size)
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&decoded), decoded_size);
}

static void
kid_to_bytes (const char *hex,
              guint8      bytes[OFFLINE_CLEARKEY_KEY_SIZE])
{
  for (guint i = 0; i < OFFLINE_CLEARKEY_KEY_SIZE; i++)
    bytes[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) | g_ascii_xdigit_value (hex[2 * i + 1]);
}

GBytes *
offline_clearkey_request_new (const char * const *kids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kids");
  json_builder_begin_array (builder);
  for (guint i = 0; kids[i] != NULL; i++) {
    guint8 bytes[OFFLINE_CLEARKEY_KEY_SIZE];
    g_autofree char *encoded = NULL;

    kid_to_bytes (kids[i], bytes);
    encoded = base64url_encode (bytes, sizeof bytes);
    json_builder_add_string_value (builder, encoded);
  }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "persistent-license");
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static gboolean
fail (GError     **error,
      const char  *url,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      const char  *url,
      const char  *format,
      ...)
{
  g_autofree char *shown = offline_uri_for_message (url);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED,
               "The licence server %s %s", shown, what);
  return FALSE;
}

/* Adds the key of @jwk (a member of "keys") to @keys if it is a
 * symmetric key with a well-formed kid and k; others are skipped (a key
 * set may hold keys of other types). */
static void
add_key (GHashTable *keys,
         JsonObject *jwk)
{
  const char *kty = offline_json_get_string (jwk, "kty");
  const char *kid = offline_json_get_string (jwk, "kid");
  const char *k = offline_json_get_string (jwk, "k");
  g_autoptr(GBytes) kid_bytes = NULL;
  GBytes *key;

  if (g_strcmp0 (kty, "oct") != 0 || kid == NULL || k == NULL) {
    g_debug ("Clear Key licence: a key that is not {\"kty\": \"oct\", \"kid\", \"k\"}: skipped");
    return;
  }
  kid_bytes = base64url_decode (kid, OFFLINE_CLEARKEY_KEY_SIZE);
  key = base64url_decode (k, OFFLINE_CLEARKEY_KEY_SIZE);
  if (kid_bytes == NULL || key == NULL) {
    g_debug ("Clear Key licence: a kid or k that is not base64url of 16 bytes: skipped");
    g_clear_pointer (&key, g_bytes_unref);
    return;
  }
  {
    const guint8 *data = g_bytes_get_data (kid_bytes, NULL);
    GString *hex = g_string_sized_new (2 * OFFLINE_CLEARKEY_KEY_SIZE);

    for (guint i = 0; i < OFFLINE_CLEARKEY_KEY_SIZE; i++)
      g_string_append_printf (hex, "%02x", data[i]);
    g_hash_table_replace (keys, g_string_free (hex, FALSE), key);
  }
}

OfflineClearKeyLicense *
offline_clearkey_parse_response (GBytes              *response,
                                 const char * const  *kids,
                                 const char          *url,
                                 GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  g_autoptr(OfflineClearKeyLicense) license = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (response, &size);
  JsonNode *root, *member;
  JsonObject *object;
  JsonArray *keys;

  if (size == 0) {
    fail (error, url, "answered an empty body");
    return NULL;
  }
  if (!json_parser_load_from_data (parser, data, size, &json_error)) {
    g_autofree char *reason = offline_text_for_message (json_error->message,
                                                        OFFLINE_MESSAGE_MAX_CHARS);

    fail (error, url, "answered something that is not JSON: %s", reason);
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    fail (error, url, "answered JSON that is not a key set (not an object)");
    return NULL;
  }
  object = json_node_get_object (root);
  member = json_object_get_member (object, "keys");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member)) {
    fail (error, url, "answered JSON that is not a key set (no \"keys\" array)");
    return NULL;
  }

  license = g_new0 (OfflineClearKeyLicense, 1);
  license->url = g_strdup (url);
  license->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_bytes_unref);
  keys = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (keys); i++) {
    JsonNode *node = json_array_get_element (keys, i);

    if (JSON_NODE_HOLDS_OBJECT (node))
      add_key (license->keys, json_node_get_object (node));
  }
  for (guint i = 0; kids[i] != NULL; i++) {
    if (!g_hash_table_contains (license->keys, kids[i])) {
      fail (error, url, "sent no key for the key ID %s", kids[i]);
      return NULL;
    }
  }

  member = json_object_get_member (object, "expiration");
  if (member != NULL) {
    if (JSON_NODE_HOLDS_VALUE (member) &&
        (json_node_get_value_type (member) == G_TYPE_INT64 ||
         json_node_get_value_type (member) == G_TYPE_DOUBLE)) {
      gdouble seconds = json_node_get_value_type (member) == G_TYPE_INT64 ?
        (gdouble) json_node_get_int (member) : json_node_get_double (member);

      /* 0 (or less) would read as "never": the earliest real time instead */
      license->expiration = seconds >= 1 && seconds < (gdouble) G_MAXINT64 ? (gint64) seconds : 1;
    } else {
      fail (error, url, "answered an \"expiration\" that is not a number of seconds");
      return NULL;
    }
  }
  return g_steal_pointer (&license);
}

typedef struct {
  char *url;
  GStrv kids;
} Acquire;

static void
acquire_free (Acquire *acquire)
{
  g_free (acquire->url);
  g_strfreev (acquire->kids);
  g_free (acquire);
}

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Acquire *acquire = g_task_get_task_data (task);
  g_autoptr(GBytes) response = NULL;
  OfflineClearKeyLicense *license;
  GError *error = NULL;

  response = offline_fetcher_fetch_bytes_finish (OFFLINE_FETCHER (source), result, NULL, NULL,
                                                 &error);
  if (response == NULL) {
    /* (a URL that may not be fetched stays OFFLINE_ERROR_INVALID_URI) */
    if (g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED)) {
      /* the message names the request and the status */
      error->code = OFFLINE_ERROR_LICENSE_FAILED;
      g_prefix_error (&error, "The licence request failed: ");
    }
    g_task_return_error (task, error);
    return;
  }
  license = offline_clearkey_parse_response (response, (const char * const *) acquire->kids,
                                             acquire->url, &error);
  if (license == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, license, (GDestroyNotify) offline_clearkey_license_free);
}

void
offline_clearkey_acquire_async (OfflineFetcher      *fetcher,
                                const char          *url,
                                const char * const  *kids,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Acquire *acquire = g_new0 (Acquire, 1);
  g_autoptr(GBytes) request = NULL;

  g_return_if_fail (kids != NULL && kids[0] != NULL);

  g_task_set_source_tag (task, offline_clearkey_acquire_async);
  /* the fetcher reports cancellation as OFFLINE_ERROR_CANCELLED */
  g_task_set_check_cancellable (task, FALSE);
  acquire->url = g_strdup (url);
  acquire->kids = g_strdupv ((char **) kids);
  g_task_set_task_data (task, acquire, (GDestroyNotify) acquire_free);
  request = offline_clearkey_request_new (kids);
  offline_fetcher_post_bytes_async (fetcher, url, "application/json", request,
                                    OFFLINE_CLEARKEY_MAX_RESPONSE, cancellable, posted_cb, task);
}

OfflineClearKeyLicense *
offline_clearkey_acquire_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == offline_clearkey_acquire_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
