/* test-clearkey.c: Clear Key licence requests against a real licence
 * server on 127.0.0.1 (tests/offline-test-license.c), and key sets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-clearkey-private.h"
#include "offline-error.h"
#include "offline-test-license.h"
#include "offline-test-server.h"

#define KID1 "10000000100010001000100000000000"
#define KEY1 "3a2a1b68dd2bd9b2eeb25e84c4776668"
/* every base64url digit that differs from base64: '-' and '_' */
#define KID2 "fbfefffefbfefffefbfefffefbfeff3e"
#define KEY2 "00112233445566778899aabbccddeeff"

typedef struct {
  OfflineTestLicense *server;
  OfflineFetcher *fetcher;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = offline_test_license_new ();
  offline_test_license_add_key (f->server, KID1, KEY1);
  offline_test_license_add_key (f->server, KID2, KEY2);
  f->fetcher = offline_fetcher_new ();
  offline_fetcher_set_retry_delay (f->fetcher, 10);
  offline_fetcher_set_max_retries (f->fetcher, 2);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->fetcher);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  offline_test_license_free (f->server);
}

static void
acquired_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Acquires @kids from @url; the licence, or NULL with @error. */
static OfflineClearKeyLicense *
acquire (Fixture            *f,
         const char         *url,
         const char * const *kids,
         GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  offline_clearkey_acquire_async (f->fetcher, url, kids, NULL, acquired_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return offline_clearkey_acquire_finish (result, error);
}

static void
assert_key (OfflineClearKeyLicense *license,
            const char             *kid,
            const char             *key_hex)
{
  GBytes *key = g_hash_table_lookup (license->keys, kid);
  g_autoptr(GString) hex = g_string_new (NULL);
  const guint8 *data;
  gsize size;

  g_assert_nonnull (key);
  data = g_bytes_get_data (key, &size);
  g_assert_cmpuint (size, ==, 16);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  g_assert_cmpstr (hex->str, ==, key_hex);
}

/* The request is the W3C one, base64url without padding; the answer's
 * keys come back by KID, without expiration unless the server gives one. */
static void
test_acquire (Fixture       *f,
              gconstpointer  data)
{
  const char *kids[] = { KID1, KID2, NULL };
  g_autoptr(OfflineClearKeyLicense) license = NULL;
  g_autoptr(OfflineClearKeyLicense) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;

  license = acquire (f, offline_test_license_get_url (f->server), kids, &error);
  g_assert_no_error (error);
  g_assert_nonnull (license);
  request = offline_test_license_get_last_request (f->server);
  g_assert_cmpstr (request, ==,
                   "{\"kids\":[\"EAAAABAAEAAQABAAAAAAAA\",\"-_7__vv-__77_v_--_7_Pg\"],"
                   "\"type\":\"persistent-license\"}");
  g_assert_cmpuint (g_hash_table_size (license->keys), ==, 2);
  assert_key (license, KID1, KEY1);
  assert_key (license, KID2, KEY2);
  g_assert_cmpint (license->expiration, ==, 0);

  offline_test_license_set_expiration (f->server, 1893456000);
  later = acquire (f, offline_test_license_get_url (f->server), kids + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (later->keys), ==, 1);
  assert_key (later, KID2, KEY2);
  g_assert_cmpint (later->expiration, ==, 1893456000);
}

/* A key the content needs and the server does not send: named. */
static void
test_missing_kid (Fixture       *f,
                  gconstpointer  data)
{
  const char *kids[] = { KID1, "0123456789abcdef0123456789abcdef", NULL };
  g_autoptr(OfflineClearKeyLicense) license = NULL;
  g_autoptr(GError) error = NULL;

  license = acquire (f, offline_test_license_get_url (f->server), kids, &error);
  g_assert_null (license);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED);
  g_assert_nonnull (strstr (error->message, "no key for the key ID 0123456789abcdef0123456789abcdef"));
  g_assert_nonnull (strstr (error->message, offline_test_license_get_url (f->server)));
}

typedef struct {
  guint count;
  guint status;
  const char *body;
  const char *expected;         /* in the message */
  guint requests;               /* the server got */
} FaultCase;

static const FaultCase faults[] = {
  { 1, 403, "{\"error\": \"denied\"}", "403", 1 },
  { 1, 404, NULL, "404", 1 },
  /* retried as a segment request is (max-retries 2) */
  { 3, 500, NULL, "500", 3 },
  { 1, 503, NULL, NULL, 2 },
  { 1, 200, "<html>Sign in</html>", "not JSON", 1 },
  { 1, 200, "", "empty body", 1 },
  { 1, 200, "[1, 2]", "not an object", 1 },
  { 1, 200, "{\"type\": \"persistent-license\"}", "no \"keys\" array", 1 },
  { 1, 200, "{\"keys\": [{\"kty\": \"oct\", \"kid\": \"EAAAABAAEAAQABAAAAAAAA\", \"k\": \"c2hvcnQ\"}]}",
    "no key for the key ID " KID1, 1 },
  { 1, 200, "{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"EAAAABAAEAAQABAAAAAAAA\", "
    "\"k\": \"OiobaN0r2bLusl6ExHdmaA\"}]}", "no key for the key ID " KID1, 1 },
  { 1, 200, "{\"keys\": [{\"kty\": \"oct\", \"kid\": \"EAAAABAAEAAQABAAAAAAAA\", "
    "\"k\": \"OiobaN0r2bLusl6ExHdmaA\"}], \"expiration\": \"soon\"}", "expiration", 1 },
};

static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  const FaultCase *c = data;
  const char *kids[] = { KID1, NULL };
  g_autoptr(OfflineClearKeyLicense) license = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_license_fail_next (f->server, c->count, c->status, c->body);
  license = acquire (f, offline_test_license_get_url (f->server), kids, &error);
  g_assert_cmpuint (offline_test_license_get_request_count (f->server), ==, c->requests);
  if (c->expected == NULL) {
    /* a transient fault, then the licence */
    g_assert_no_error (error);
    assert_key (license, KID1, KEY1);
    return;
  }
  g_assert_null (license);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, c->expected));
  g_assert_nonnull (strstr (error->message, offline_test_license_get_url (f->server)));
}

/* A licence server that is not there. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  const char *kids[] = { KID1, NULL };
  g_autoptr(OfflineClearKeyLicense) license = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  socket = offline_test_refusing_socket (&port);
  url = g_strdup_printf ("http://127.0.0.1:%u/license", port);
  license = acquire (f, url, kids, &error);
  g_assert_null (license);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED);
  g_assert_nonnull (strstr (error->message, url));

  g_clear_error (&error);
  license = acquire (f, "file:///etc/passwd", kids, &error);
  g_assert_null (license);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI);
}

/* A licence server that does not answer in time: retried, then
 * LICENSE_FAILED. */
static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  const char *kids[] = { KID1, NULL };
  g_autoptr(OfflineClearKeyLicense) license = NULL;
  g_autoptr(GError) error = NULL;

  soup_session_set_timeout (offline_fetcher_get_session (f->fetcher), 1);
  offline_fetcher_set_max_retries (f->fetcher, 1);
  offline_test_license_set_latency (f->server, 1500);
  license = acquire (f, offline_test_license_get_url (f->server), kids, &error);
  g_assert_null (license);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "gave up after 1 retries"));
  g_assert_cmpuint (offline_test_license_get_request_count (f->server), ==, 2);
}

static void
test_normalize_kid (void)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "10000000-1000-1000-1000-100000000000", KID1 },
    { "FBFEFFFEFBFEFFFEFBFEFFFEFBFEFF3E", KID2 },
    { KID1, KID1 },
    { "10000000-1000-1000-1000-10000000000", NULL },
    { "1000000010001000100010000000000000", NULL },
    { "100000001000100010001000000000", NULL },
    { "10000000100010001000100000000-00", NULL },
    { "1000000010001000100010000000000g", NULL },
    { "", NULL },
  };

  g_assert_null (offline_clearkey_normalize_kid (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *kid = offline_clearkey_normalize_kid (cases[i].in);

    g_assert_cmpstr (kid, ==, cases[i].out);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clearkey/normalize-kid", test_normalize_kid);
  g_test_add ("/clearkey/acquire", Fixture, NULL, fixture_set_up, test_acquire, fixture_tear_down);
  g_test_add ("/clearkey/missing-kid", Fixture, NULL, fixture_set_up, test_missing_kid,
              fixture_tear_down);
  g_test_add ("/clearkey/timeout", Fixture, NULL, fixture_set_up, test_timeout, fixture_tear_down);
  g_test_add ("/clearkey/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++) {
    g_autofree char *path = g_strdup_printf ("/clearkey/fault/%u-%u", i, faults[i].status);

    g_test_add (path, Fixture, &faults[i], fixture_set_up, test_fault, fixture_tear_down);
  }
  return g_test_run ();
}
