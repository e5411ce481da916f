/* test-license.c: a Clear Key protected DASH entry downloaded through a
 * real manager: its licence comes from a real licence server on 127.0.0.1
 * before any media segment, and is stored with the entry
 *
 * The media of the fixture is clear: what is tested here is the licence
 * and its storage, not decryption (test-cencdec.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "offline-test-cli.h"
#include "offline-test-license.h"

#define TEMPLATE "dash/template-number/manifest.mpd"
#define PROTECTED "dash/template-number/protected.mpd"
#define SEGMENT "dash/template-number/chunk-stream0-00001.m4s"
#define KID_VIDEO "10000000100010001000100000000000"
#define KID_AUDIO "20000000200020002000200000000000"
#define KEY_VIDEO "3a2a1b68dd2bd9b2eeb25e84c4776668"
#define KEY_AUDIO "00112233445566778899aabbccddeeff"
#define EXPIRATION 1893456000

/* A provider that gives a licence URL (and DRM scheme) of its own, as a
 * player configuration's provider does. */
#define TEST_TYPE_DRM_PROVIDER (test_drm_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestDrmProvider, test_drm_provider, TEST, DRM_PROVIDER, GObject)

struct _TestDrmProvider {
  GObject parent_instance;
  /* set before any use, then read in the provider's thread */
  char *manifest_url;
  char *license_url;
  char *drm_scheme;
  gint64 license_expiration;
};

static OfflineMediaInfo *
test_drm_provider_get_media_info (OfflineProvider  *provider,
                                  const char       *entry_id,
                                  GCancellable     *cancellable,
                                  GError          **error)
{
  TestDrmProvider *self = TEST_DRM_PROVIDER (provider);

  return g_object_new (OFFLINE_TYPE_MEDIA_INFO, "entry-id", entry_id,
                       "manifest-url", self->manifest_url, "license-url", self->license_url,
                       "drm-scheme", self->drm_scheme,
                       "license-expiration", self->license_expiration, NULL);
}

static void
test_drm_provider_iface_init (OfflineProviderInterface *iface)
{
  iface->get_media_info = test_drm_provider_get_media_info;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestDrmProvider, test_drm_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OFFLINE_TYPE_PROVIDER,
                                                      test_drm_provider_iface_init))

static void
test_drm_provider_finalize (GObject *object)
{
  TestDrmProvider *self = TEST_DRM_PROVIDER (object);

  g_free (self->manifest_url);
  g_free (self->license_url);
  g_free (self->drm_scheme);
  G_OBJECT_CLASS (test_drm_provider_parent_class)->finalize (object);
}

static void
test_drm_provider_class_init (TestDrmProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_drm_provider_finalize;
}

static void
test_drm_provider_init (TestDrmProvider *self)
{
}

typedef struct {
  OfflineTestManager m;
  OfflineTestLicense *license;
} Fixture;

/* The ContentProtection elements of an AdaptationSet of key @kid (UUID),
 * licensed by @laurl (NULL: no Laurl) */
static char *
protection (const char *kid,
            const char *laurl)
{
  g_autofree char *laurl_element =
    laurl != NULL ? g_strdup_printf ("<dashif:Laurl>%s</dashif:Laurl>", laurl) : g_strdup ("");

  return g_strdup_printf ("\n<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" "
                          "value=\"cenc\" cenc:default_KID=\"%s\"/>"
                          "<ContentProtection schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\" "
                          "value=\"ClearKey1.0\">%s</ContentProtection>",
                          kid, laurl_element);
}

/* Serves PROTECTED: the fixture manifest with its video and English audio
 * AdaptationSets protected, licensed by @laurl. */
static void
serve_protected (Fixture    *f,
                 const char *laurl)
{
  g_autoptr(GBytes) clear = offline_test_load (TEMPLATE);
  g_autoptr(GString) text = g_string_new_len (g_bytes_get_data (clear, NULL),
                                              g_bytes_get_size (clear));
  g_autofree char *video = protection ("10000000-1000-1000-1000-100000000000", laurl);
  g_autofree char *audio = protection ("20000000-2000-2000-2000-200000000000", laurl);
  const char *video_set = "contentType=\"video\"";
  const char *audio_set = "lang=\"en\">";
  char *at;
  gsize content;

  g_string_replace (text, "<MPD ", "<MPD xmlns:cenc=\"urn:mpeg:cenc:2013\" "
                    "xmlns:dashif=\"https://dashif.org/CPS\" ", 1);
  at = strstr (text->str, video_set);
  g_assert_nonnull (at);
  content = strchr (at, '>') + 1 - text->str;
  g_string_insert (text, content, video);
  at = strstr (text->str, audio_set);
  g_assert_nonnull (at);
  g_string_insert (text, at + strlen (audio_set) - text->str, audio);
  g_autoptr(GBytes) served = g_bytes_new (text->str, text->len);

  offline_test_server_add_content (f->m.server, PROTECTED, served, "application/dash+xml");
  offline_test_register (&f->m, "p", PROTECTED);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  offline_test_manager_setup (&f->m, data);
  f->license = offline_test_license_new ();
  offline_test_license_add_key (f->license, KID_VIDEO, KEY_VIDEO);
  offline_test_license_add_key (f->license, KID_AUDIO, KEY_AUDIO);
  offline_test_license_set_expiration (f->license, EXPIRATION);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  offline_test_manager_teardown (&f->m, data);
  offline_test_license_free (f->license);
}

static char *
hex (GBytes *bytes)
{
  GString *text = g_string_new (NULL);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, "%02x", data[i]);
  return g_string_free (text, FALSE);
}

static void
assert_mode_0600 (const char *store_path,
                  const char *name)
{
  g_autofree char *path = g_build_filename (store_path, name, NULL);
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* The licence of the selected tracks (video, English audio) is asked for
 * and stored with the entry, with its expiry; the index that holds the
 * keys is for the owner alone. */
static void
test_stored (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(GHashTable) keys = NULL;
  g_autofree char *request = NULL;
  g_autofree char *video = NULL, *audio = NULL;
  g_autofree char *license_url = NULL;

  serve_protected (f, offline_test_license_get_url (f->license));
  g_assert_true (offline_test_download (&f->m, "p", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (offline_test_license_get_request_count (f->license), ==, 1);
  request = offline_test_license_get_last_request (f->license);
  g_assert_cmpstr (request, ==, "{\"kids\":[\"EAAAABAAEAAQABAAAAAAAA\",\"IAAAACAAIAAgACAAAAAAAA\"],"
                                "\"type\":\"persistent-license\"}");

  offline_test_drop_manager (&f->m);
  store = offline_store_open_readonly (f->m.store_path, &error);
  g_assert_no_error (error);
  entry = offline_store_get_entry (store, "p", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_COMPLETED);
  g_assert_cmpint (offline_entry_get_license_expiration (entry), ==, EXPIRATION);
  keys = offline_store_get_license_keys (store, "p", &license_url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (keys), ==, 2);
  g_assert_cmpstr (license_url, ==, offline_test_license_get_url (f->license));
  video = hex (g_hash_table_lookup (keys, KID_VIDEO));
  audio = hex (g_hash_table_lookup (keys, KID_AUDIO));
  g_assert_cmpstr (video, ==, KEY_VIDEO);
  g_assert_cmpstr (audio, ==, KEY_AUDIO);

  assert_mode_0600 (f->m.store_path, "index.sqlite");
  assert_mode_0600 (f->m.store_path, "index.sqlite-wal");
}

/* A licence that cannot be had: the download fails with LICENSE_FAILED
 * (saying why) before any media segment is fetched, and nothing is
 * stored. */
static void
assert_refused (Fixture    *f,
                const char *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (offline_test_download (&f->m, "p", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_cmpuint (offline_test_server_get_request_count (f->m.server, SEGMENT), ==, 0);
  offline_test_assert_not_stored (&f->m, "p");
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  serve_protected (f, offline_test_license_get_url (f->license));
  offline_test_license_fail_next (f->license, 1, 403, "{\"error\":\"no\"}");
  assert_refused (f, "403");
}

static void
test_missing_key (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OfflineTestLicense) other = offline_test_license_new ();

  /* a server that knows the video key only */
  offline_test_license_add_key (other, KID_VIDEO, KEY_VIDEO);
  serve_protected (f, offline_test_license_get_url (other));
  assert_refused (f, "no key for the key ID 20000000200020002000200000000000");
}

static void
test_no_license_url (Fixture       *f,
                     gconstpointer  data)
{
  serve_protected (f, NULL);
  assert_refused (f, "names a licence server");
}

static gboolean
renew (Fixture     *f,
       const char  *id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  offline_manager_renew_license_async (f->m.manager, id, NULL, offline_test_result_cb, &result);
  return offline_manager_renew_license_finish (f->m.manager, offline_test_wait_result (&result),
                                               error);
}

/* The stored keys of entry "p", "KID=KEY KID=KEY" in KID order, and its
 * licence expiry. */
static char *
stored_license (Fixture *f,
                gint64  *expiration)
{
  g_autoptr(GHashTable) keys = offline_store_get_license_keys (f->m.manager->store, "p", NULL, NULL);
  g_autoptr(OfflineEntry) entry = offline_store_get_entry (f->m.manager->store, "p", NULL);
  g_autoptr(GList) kids = NULL;
  GString *text = g_string_new (NULL);

  g_assert_nonnull (keys);
  g_assert_nonnull (entry);
  kids = g_list_sort (g_hash_table_get_keys (keys), (GCompareFunc) strcmp);
  for (GList *l = kids; l != NULL; l = l->next) {
    g_autofree char *key = hex (g_hash_table_lookup (keys, l->data));

    g_string_append_printf (text, "%s%s=%s", text->len > 0 ? " " : "", (char *) l->data, key);
  }
  *expiration = offline_entry_get_license_expiration (entry);
  return g_string_free (text, FALSE);
}

/* Renewal replaces keys and expiry (after expiry too), tells the app; one
 * that fails keeps the old licence; clear content has none to renew. */
static void
test_renew (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL, *kept = NULL;
  gint64 expiration = 0;

  /* expired already */
  offline_test_license_set_expiration (f->license, 1000);
  serve_protected (f, offline_test_license_get_url (f->license));
  g_assert_true (offline_test_download (&f->m, "p", NULL, &error));
  g_assert_no_error (error);
  before = stored_license (f, &expiration);
  g_assert_cmpstr (before, ==, KID_VIDEO "=" KEY_VIDEO " " KID_AUDIO "=" KEY_AUDIO);
  g_assert_cmpint (expiration, ==, 1000);
  g_signal_connect (f->m.manager, "license-changed", G_CALLBACK (offline_test_log_license_changed), log);

  /* new keys, a new expiry */
  offline_test_license_add_key (f->license, KID_VIDEO, KEY_AUDIO);
  offline_test_license_set_expiration (f->license, EXPIRATION);
  g_assert_true (renew (f, "p", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "p:" G_STRINGIFY (EXPIRATION) " ");
  after = stored_license (f, &expiration);
  g_assert_cmpstr (after, ==, KID_VIDEO "=" KEY_AUDIO " " KID_AUDIO "=" KEY_AUDIO);
  g_assert_cmpint (expiration, ==, EXPIRATION);

  /* the server fails: the licence stays */
  offline_test_license_add_key (f->license, KID_VIDEO, KEY_VIDEO);
  offline_test_license_set_expiration (f->license, 2000);
  offline_test_license_fail_next (f->license, 10, 500, NULL);
  g_assert_false (renew (f, "p", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED);
  g_assert_nonnull (strstr (error->message, "500"));
  g_clear_error (&error);
  kept = stored_license (f, &expiration);
  g_assert_cmpstr (kept, ==, after);
  g_assert_cmpint (expiration, ==, EXPIRATION);
  g_assert_cmpstr (log->str, ==, "p:" G_STRINGIFY (EXPIRATION) " ");

  /* clear content, unknown ids */
  offline_test_register (&f->m, "clear", TEMPLATE);
  g_assert_true (offline_test_download (&f->m, "clear", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (renew (f, "clear", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (renew (f, "nope", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND);
}

/* The encrypted fixtures (tests/data/dash/cenc, dash/cbcs): their
 * licence is stored, their encrypted segments are stored as they are. */
static void
test_fixture (Fixture       *f,
              gconstpointer  data)
{
  const char *scheme = data;
  g_autofree char *mpd = g_strdup_printf ("dash/%s/manifest.mpd", scheme);
  g_autofree char *served = g_strdup_printf ("dash/%s/served.mpd", scheme);
  g_autoptr(GBytes) fixture = offline_test_load (mpd);
  g_autoptr(GString) text = g_string_new_len (g_bytes_get_data (fixture, NULL),
                                              g_bytes_get_size (fixture));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  gint64 expiration = 0;

  g_assert_cmpuint (g_string_replace (text, "@LICENSE_URL@",
                                      offline_test_license_get_url (f->license), 0), ==, 2);
  bytes = g_bytes_new (text->str, text->len);
  offline_test_server_add_content (f->m.server, served, bytes, "application/dash+xml");
  offline_test_register (&f->m, "p", served);
  g_assert_true (offline_test_download (&f->m, "p", NULL, &error));
  g_assert_no_error (error);
  stored = stored_license (f, &expiration);
  g_assert_cmpstr (stored, ==, KID_VIDEO "=" KEY_VIDEO " " KID_AUDIO "=" KEY_AUDIO);
  g_assert_cmpint (expiration, ==, EXPIRATION);
  g_assert_cmpuint (offline_test_server_get_request_count (f->m.server,
                                                          "dash/cenc/chunk-stream0-00003.m4s") +
                    offline_test_server_get_request_count (f->m.server,
                                                          "dash/cbcs/chunk-stream0-00003.m4s"),
                    ==, 1);
}

/* The provider's licence URL comes first (the manifest's Laurl here names
 * a server that refuses connections), for the download and the renewal;
 * one for another DRM scheme is not used (the renewal then goes where the
 * licence came from). */
static void
test_provider_url (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TestDrmProvider) provider = g_object_new (TEST_TYPE_DRM_PROVIDER, NULL);
  g_autoptr(OfflineTestLicense) renewer = offline_test_license_new ();
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) refusing = NULL;
  g_autofree char *dead = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  guint16 port;

  refusing = offline_test_refusing_socket (&port);
  dead = g_strdup_printf ("http://127.0.0.1:%u/license", port);
  serve_protected (f, dead);
  offline_test_drop_manager (&f->m);
  provider->manifest_url = offline_test_server_get_url (f->m.server, PROTECTED);
  provider->license_url = g_strdup (offline_test_license_get_url (f->license));
  /* the licence server says no expiry: the provider's counts */
  provider->license_expiration = 1234567890;
  offline_test_license_set_expiration (f->license, 0);
  manager = offline_manager_new (f->m.store_path, OFFLINE_PROVIDER (provider), NULL, &error);
  g_assert_no_error (error);

  offline_manager_download_async (manager, "p", NULL, NULL, offline_test_result_cb, &result);
  g_assert_true (offline_manager_download_finish (manager, offline_test_wait_result (&result),
                                                  &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (offline_test_license_get_request_count (f->license), ==, 1);
  entry = offline_store_get_entry (manager->store, "p", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_entry_get_license_expiration (entry), ==, 1234567890);
  g_clear_object (&entry);

  /* the renewal asks the provider again: now another server, which gives
   * an expiry (the server's counts) */
  offline_test_license_add_key (renewer, KID_VIDEO, KEY_VIDEO);
  offline_test_license_add_key (renewer, KID_AUDIO, KEY_AUDIO);
  offline_test_license_set_expiration (renewer, EXPIRATION);
  g_free (provider->license_url);
  provider->license_url = g_strdup (offline_test_license_get_url (renewer));
  offline_manager_renew_license_async (manager, "p", NULL, offline_test_result_cb, &result);
  g_assert_true (offline_manager_renew_license_finish (manager, offline_test_wait_result (&result),
                                                       &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (offline_test_license_get_request_count (renewer), ==, 1);
  g_assert_cmpuint (offline_test_license_get_request_count (f->license), ==, 1);
  entry = offline_store_get_entry (manager->store, "p", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_entry_get_license_expiration (entry), ==, EXPIRATION);
  g_clear_object (&entry);

  /* a Widevine licence URL is not a Clear Key one: the renewal goes to
   * where the licence came from */
  provider->drm_scheme = g_strdup ("widevine");
  g_free (provider->license_url);
  provider->license_url = g_strdup (dead);
  offline_manager_renew_license_async (manager, "p", NULL, offline_test_result_cb, &result);
  g_assert_true (offline_manager_renew_license_finish (manager, offline_test_wait_result (&result),
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (offline_test_license_get_request_count (renewer), ==, 2);
}

/* The tool: info --json says "protected", list marks protected and
 * expired entries, renew-license renews. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  offline_test_license_set_expiration (f->license, 1000);
  serve_protected (f, offline_test_license_get_url (f->license));
  g_assert_true (offline_test_download (&f->m, "p", NULL, &error));
  g_assert_no_error (error);
  offline_test_register (&f->m, "clear", TEMPLATE);
  g_assert_true (offline_test_download (&f->m, "clear", NULL, &error));
  g_assert_no_error (error);
  /* the tool holds the store from now on */
  offline_test_drop_manager (&f->m);

  g_assert_cmpint (run_tool (&f->m, &run, "info", "p", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "\"protected\" : true"));
  g_assert_nonnull (strstr (run.out, "\"license_expiration\" : 1000"));
  g_assert_cmpint (run_tool (&f->m, &run, "info", "clear", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "\"protected\" : false"));
  g_assert_cmpint (run_tool (&f->m, &run, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Name [protected, licence expired]\n"));

  offline_test_license_set_expiration (f->license, 0);
  g_assert_cmpint (run_tool (&f->m, &run, "renew-license", "p", NULL), ==, 0);
  g_assert_cmpstr (run.out, ==, "renewed\n");
  g_assert_cmpint (run_tool (&f->m, &run, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "Name [protected]\n"));
  g_assert_cmpint (run_tool (&f->m, &run, "info", "p", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "licence:     Clear Key, does not expire\n"));

  g_assert_cmpint (run_tool (&f->m, &run, "renew-license", "clear", NULL), ==, 1);
  assert_failed (&run, "OFFLINE_ERROR_NOT_SUPPORTED");
  offline_test_license_fail_next (f->license, 1, 403, NULL);
  g_assert_cmpint (run_tool (&f->m, &run, "renew-license", "p", NULL), ==, 1);
  assert_failed (&run, "OFFLINE_ERROR_LICENSE_FAILED");
  g_assert_nonnull (strstr (run.err, "403"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/license/stored", Fixture, NULL, fixture_set_up, test_stored, fixture_tear_down);
  g_test_add ("/license/server-error", Fixture, NULL, fixture_set_up, test_server_error,
              fixture_tear_down);
  g_test_add ("/license/missing-key", Fixture, NULL, fixture_set_up, test_missing_key,
              fixture_tear_down);
  g_test_add ("/license/renew", Fixture, NULL, fixture_set_up, test_renew, fixture_tear_down);
  g_test_add ("/license/fixture/cenc", Fixture, "cenc", fixture_set_up, test_fixture,
              fixture_tear_down);
  g_test_add ("/license/fixture/cbcs", Fixture, "cbcs", fixture_set_up, test_fixture,
              fixture_tear_down);
  g_test_add ("/license/provider-url", Fixture, NULL, fixture_set_up, test_provider_url,
              fixture_tear_down);
  g_test_add ("/license/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  g_test_add ("/license/no-license-url", Fixture, NULL, fixture_set_up, test_no_license_url,
              fixture_tear_down);
  return g_test_run ();
}
