/* offline-test-license.c: a W3C Clear Key licence server for the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "offline-test-license.h"
#include "offline-test-server.h"

struct _OfflineTestLicense {
  OfflineTestServer *server;    /* answers /license in its own thread */
  char *url;

  GMutex lock;                  /* guards what follows */
  GHashTable *keys;             /* KID hex → key hex */
  gint64 expiration;
  guint fail_count;
  guint fail_status;
  char *fail_body;
  guint requests;
  char *last_request;
  guint latency_ms;
};

static gboolean
unpause_cb (gpointer msg)
{
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* base64url (no padding) of the 16 bytes in @hex */
static char *
hex_to_base64url (const char *hex)
{
  guint8 bytes[16];
  char *text;

  for (guint i = 0; i < 16; i++)
    bytes[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) | g_ascii_xdigit_value (hex[2 * i + 1]);
  text = g_base64_encode (bytes, sizeof bytes);
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

/* The key set for the "kids" of @request (a JSON body), or NULL if it is
 * not a request. Called with the lock held. */
static char *
answer (OfflineTestLicense *self,
        const char         *request,
        gsize               length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonNode *node;
  JsonArray *kids;
  GHashTableIter iter;
  gpointer kid, key;

  if (!json_parser_load_from_data (parser, request, length, NULL))
    return NULL;
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "kids"))
    return NULL;
  kids = json_object_get_array_member (json_node_get_object (node), "kids");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, &kid, &key)) {
    g_autofree char *kid64 = hex_to_base64url (kid);
    gboolean asked = FALSE;

    for (guint i = 0; i < json_array_get_length (kids); i++)
      asked |= g_strcmp0 (json_array_get_string_element (kids, i), kid64) == 0;
    if (!asked)
      continue;
    {
      g_autofree char *key64 = hex_to_base64url (key);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kty");
      json_builder_add_string_value (builder, "oct");
      json_builder_set_member_name (builder, "kid");
      json_builder_add_string_value (builder, kid64);
      json_builder_set_member_name (builder, "k");
      json_builder_add_string_value (builder, key64);
      json_builder_end_object (builder);
    }
  }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "persistent-license");
  if (self->expiration != 0) {
    json_builder_set_member_name (builder, "expiration");
    json_builder_add_int_value (builder, self->expiration);
  }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  OfflineTestLicense *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) request = soup_message_body_flatten (body);
  gsize length = 0;
  const char *data = g_bytes_get_data (request, &length);
  char *response = NULL;

  g_mutex_lock (&self->lock);
  self->requests++;
  g_free (self->last_request);
  self->last_request = g_strndup (length > 0 ? data : "", length);
  if (self->fail_count > 0) {
    self->fail_count--;
    soup_server_message_set_status (msg, self->fail_status, NULL);
    if (self->fail_body != NULL)
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        self->fail_body, strlen (self->fail_body));
  } else if (strcmp (soup_server_message_get_method (msg), "POST") != 0) {
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
  } else if ((response = answer (self, length > 0 ? data : "", length)) == NULL) {
    soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
  } else {
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                      response, strlen (response));
  }
  if (self->latency_ms > 0) {
    /* answered later, in this (the server's) thread */
    GSource *source = g_timeout_source_new (self->latency_ms);

    soup_server_message_pause (msg);
    g_source_set_callback (source, unpause_cb, g_object_ref (msg), g_object_unref);
    g_source_attach (source, g_main_context_get_thread_default ());
    g_source_unref (source);
  }
  g_mutex_unlock (&self->lock);
}

OfflineTestLicense *
offline_test_license_new (void)
{
  OfflineTestLicense *self = g_new0 (OfflineTestLicense, 1);

  g_mutex_init (&self->lock);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->server = offline_test_server_new ();
  offline_test_server_add_handler (self->server, "/license", handle, self);
  self->url = offline_test_server_get_url (self->server, "license");
  return self;
}

void
offline_test_license_free (OfflineTestLicense *self)
{
  if (self == NULL)
    return;
  offline_test_server_free (self->server);
  g_hash_table_unref (self->keys);
  g_mutex_clear (&self->lock);
  g_free (self->fail_body);
  g_free (self->last_request);
  g_free (self->url);
  g_free (self);
}

const char *
offline_test_license_get_url (OfflineTestLicense *self)
{
  return self->url;
}

void
offline_test_license_add_key (OfflineTestLicense *self,
                              const char         *kid_hex,
                              const char         *key_hex)
{
  g_assert_cmpuint (strlen (kid_hex), ==, 32);
  g_assert_cmpuint (strlen (key_hex), ==, 32);
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->keys, g_ascii_strdown (kid_hex, -1), g_ascii_strdown (key_hex, -1));
  g_mutex_unlock (&self->lock);
}

void
offline_test_license_set_expiration (OfflineTestLicense *self,
                                     gint64              seconds)
{
  g_mutex_lock (&self->lock);
  self->expiration = seconds;
  g_mutex_unlock (&self->lock);
}

void
offline_test_license_fail_next (OfflineTestLicense *self,
                                guint               count,
                                guint               status,
                                const char         *body)
{
  g_mutex_lock (&self->lock);
  self->fail_count = count;
  self->fail_status = status;
  g_free (self->fail_body);
  self->fail_body = g_strdup (body);
  g_mutex_unlock (&self->lock);
}

void
offline_test_license_set_latency (OfflineTestLicense *self,
                                  guint               milliseconds)
{
  g_mutex_lock (&self->lock);
  self->latency_ms = milliseconds;
  g_mutex_unlock (&self->lock);
}

guint
offline_test_license_get_request_count (OfflineTestLicense *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = self->requests;
  g_mutex_unlock (&self->lock);
  return count;
}

char *
offline_test_license_get_last_request (OfflineTestLicense *self)
{
  char *request;

  g_mutex_lock (&self->lock);
  request = g_strdup (self->last_request);
  g_mutex_unlock (&self->lock);
  return request;
}
