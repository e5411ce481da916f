/* test-config.c: offline_manager_new_from_config(), the player-style JSON
 * configuration, on a real SQLite store in a temporary directory and the
 * test server on 127.0.0.1
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "offline-test-cli.h"

#define TEMPLATE "dash/template-number/manifest.mpd"

static OfflineManager *
manager_from_config (OfflineTestManager  *f,
                     const char          *offline_extra,
                     const char          *rest,
                     GError             **error)
{
  g_autofree char *json = g_strdup_printf ("{\"offline\": {\"storePath\": \"%s\"%s}%s}",
                                           f->store_path, offline_extra, rest);

  return offline_manager_new_from_config (json, NULL, error);
}

static guint
uint_property (gpointer    object,
               const char *name)
{
  guint value;

  g_object_get (object, name, &value, NULL);
  return value;
}

/* The store is usable: an entry of the URL provider downloads, byte for
 * byte. Drops @manager (taken), which must be the last reference. */
static void
assert_store_usable (OfflineTestManager *f,
                     OfflineManager     *manager)
{
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(GError) error = NULL;

  f->manager = manager;
  offline_manager_set_provider (manager, OFFLINE_PROVIDER (f->provider));
  offline_url_provider_add (f->provider, "movie", url, "Movie", NULL, NULL);
  g_assert_true (offline_test_download (f, "movie", NULL, &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, manager, "movie", TEMPLATE, NULL);
  offline_test_drop_manager (f);
}

/* Every offline key sets its property; no provider section: an (empty)
 * URL provider. */
static void
test_offline_keys (OfflineTestManager *f,
                   gconstpointer       data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineManager) manager =
    manager_from_config (f, ", \"maxParallelDownloads\": 7, \"maxParallelSegments\": 9, "
                         "\"maxRetries\": 11, \"autoResume\": true", "", &error);
  g_autoptr(OfflineMediaInfo) info = NULL;
  gboolean auto_resume = FALSE;

  g_assert_no_error (error);
  g_assert_nonnull (manager);
  g_assert_cmpstr (offline_manager_get_store_path (manager), ==, f->store_path);
  g_assert_true (g_file_test (f->store_path, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (uint_property (manager, "max-parallel-downloads"), ==, 7);
  g_assert_cmpuint (uint_property (manager, "max-parallel-segments"), ==, 9);
  g_assert_cmpuint (uint_property (manager, "max-retries"), ==, 11);
  g_object_get (manager, "auto-resume", &auto_resume, NULL);
  g_assert_true (auto_resume);
  g_assert_true (OFFLINE_IS_URL_PROVIDER (offline_manager_get_provider (manager)));
  g_clear_object (&manager);

  /* left out: the properties' defaults; null counts as left out */
  manager = manager_from_config (f, ", \"maxRetries\": null", ", \"provider\": null", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uint_property (manager, "max-parallel-downloads"), ==, 3);
  g_assert_cmpuint (uint_property (manager, "max-parallel-segments"), ==, 24);
  g_assert_cmpuint (uint_property (manager, "max-retries"), ==, 5);
  g_object_get (manager, "auto-resume", &auto_resume, NULL);
  g_assert_false (auto_resume);
  g_assert_true (OFFLINE_IS_URL_PROVIDER (offline_manager_get_provider (manager)));
  assert_store_usable (f, g_steal_pointer (&manager));
}

static void
assert_ovp (OfflineProvider *provider,
            gint64           partner_id,
            gint64           ui_conf_id,
            const char      *ks,
            const char      *service_url,
            const char      *cdn_url,
            const char      *client_tag,
            guint            max_retries)
{
  g_autofree char *got_ks = NULL, *got_service = NULL, *got_cdn = NULL, *got_tag = NULL;
  gint64 got_partner = -1, got_ui_conf = -1;
  guint got_retries = 0;

  g_assert_true (OFFLINE_IS_OVP_PROVIDER (provider));
  g_object_get (provider, "partner-id", &got_partner, "ui-conf-id", &got_ui_conf, "ks", &got_ks,
                "service-url", &got_service, "cdn-url", &got_cdn, "client-tag", &got_tag,
                "max-retries", &got_retries, NULL);
  g_assert_cmpint (got_partner, ==, partner_id);
  g_assert_cmpint (got_ui_conf, ==, ui_conf_id);
  g_assert_cmpstr (got_ks, ==, ks);
  g_assert_cmpstr (got_service, ==, service_url);
  g_assert_cmpstr (got_cdn, ==, cdn_url);
  g_assert_cmpstr (got_tag, ==, client_tag);
  g_assert_cmpuint (got_retries, ==, max_retries);
}

/* A provider section: an OfflineOvpProvider with its keys. */
static void
test_provider (OfflineTestManager *f,
               gconstpointer       data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineManager) manager =
    manager_from_config (f, ", \"maxRetries\": 2",
                         ", \"provider\": {\"partnerId\": 1234, \"uiConfId\": 5678, \"ks\": \"djJ8MTIzNHw\", "
                         "\"clientTag\": \"tag-1\", \"env\": {\"serviceUrl\": \"http://127.0.0.1:1/api_v3\", "
                         "\"cdnUrl\": \"http://127.0.0.1:1\"}}", &error);

  g_assert_no_error (error);
  assert_ovp (offline_manager_get_provider (manager), 1234, 5678, "djJ8MTIzNHw",
              "http://127.0.0.1:1/api_v3", "http://127.0.0.1:1", "tag-1", 2);
  g_clear_object (&manager);

  /* only the partner id: the web player's service URL, the other keys
   * unset, the retries the manager's default */
  manager = manager_from_config (f, "", ", \"provider\": {\"partnerId\": 0}", &error);
  g_assert_no_error (error);
  assert_ovp (offline_manager_get_provider (manager), 0, 0, NULL,
              "https://cdnapisec.kaltura.com/api_v3", NULL, NULL, 5);
  g_clear_object (&manager);

  /* an empty service URL is the default one too */
  manager = manager_from_config (f, "", ", \"provider\": {\"partnerId\": 9, \"env\": {\"serviceUrl\": \"\"}}",
                                 &error);
  g_assert_no_error (error);
  assert_ovp (offline_manager_get_provider (manager), 9, 0, NULL,
              "https://cdnapisec.kaltura.com/api_v3", NULL, NULL, 5);
  assert_store_usable (f, g_steal_pointer (&manager));
}

/* Unknown keys at every level are ignored, with a debug message naming
 * each; the known ones still apply. */
static void
test_unknown_keys (OfflineTestManager *f,
                   gconstpointer       data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineManager) manager = NULL;

  g_test_expect_message ("offlinemgr", G_LOG_LEVEL_DEBUG, "*unknown key offline.bogus*");
  g_test_expect_message ("offlinemgr", G_LOG_LEVEL_DEBUG, "*unknown key playback*");
  g_test_expect_message ("offlinemgr", G_LOG_LEVEL_DEBUG, "*unknown key provider.log*");
  g_test_expect_message ("offlinemgr", G_LOG_LEVEL_DEBUG, "*unknown key provider.env.useApiCaptions*");
  manager = manager_from_config (f, ", \"bogus\": [1, 2], \"maxRetries\": 3",
                                 ", \"playback\": {\"autoplay\": true}, "
                                 "\"provider\": {\"log\": {\"level\": \"DEBUG\"}, \"partnerId\": 77, "
                                 "\"env\": {\"useApiCaptions\": true}}", &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (uint_property (manager, "max-retries"), ==, 3);
  assert_ovp (offline_manager_get_provider (manager), 77, 0, NULL,
              "https://cdnapisec.kaltura.com/api_v3", NULL, NULL, 3);
}

/* Bad configurations: OFFLINE_ERROR_INVALID_CONFIG naming the key, no
 * CRITICAL, nothing created; the store stays usable. */
static void
test_bad (OfflineTestManager *f,
          gconstpointer       data)
{
  static const struct {
    const char *json;       /* %s: the store path */
    const char *message;    /* in the error's message */
  } cases[] = {
    { "{\"offline\": {\"storePath\": 5}}", "offline.storePath must be a string" },
    { "{\"offline\": {\"storePath\": \"%s\", \"maxParallelDownloads\": \"3\"}}",
      "offline.maxParallelDownloads must be an integer" },
    { "{\"offline\": {\"storePath\": \"%s\", \"maxParallelSegments\": 2.5}}",
      "offline.maxParallelSegments must be an integer" },
    { "{\"offline\": {\"storePath\": \"%s\", \"maxRetries\": true}}", "offline.maxRetries must be an integer" },
    { "{\"offline\": {\"storePath\": \"%s\", \"maxRetries\": 101}}",
      "offline.maxRetries must be between 0 and 100 (got 101)" },
    { "{\"offline\": {\"storePath\": \"%s\", \"maxRetries\": -1}}", "offline.maxRetries must be between 0 and 100" },
    { "{\"offline\": {\"storePath\": \"%s\", \"maxParallelDownloads\": 0}}",
      "offline.maxParallelDownloads must be between 1 and 64" },
    { "{\"offline\": {\"storePath\": \"%s\", \"maxParallelSegments\": 65}}",
      "offline.maxParallelSegments must be between 1 and 64" },
    { "{\"offline\": {\"storePath\": \"%s\", \"autoResume\": \"yes\"}}", "offline.autoResume must be a boolean" },
    { "{\"offline\": {\"storePath\": \"%s\", \"autoResume\": 1}}", "offline.autoResume must be a boolean" },
    { "{\"offline\": [\"%s\"]}", "offline must be an object" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": 3}", "provider must be an object" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {}}", "provider.partnerId is missing" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"env\": {\"serviceUrl\": \"https://x/api_v3\"}}}",
      "provider.partnerId is missing" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"partnerId\": \"1234\"}}",
      "provider.partnerId must be an integer" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"partnerId\": -5}}",
      "provider.partnerId must be at least 0 (got -5)" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"partnerId\": 1, \"uiConfId\": \"x\"}}",
      "provider.uiConfId must be an integer" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"partnerId\": 1, \"ks\": 5}}",
      "provider.ks must be a string" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"partnerId\": 1, \"clientTag\": []}}",
      "provider.clientTag must be a string" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"partnerId\": 1, \"env\": \"prod\"}}",
      "provider.env must be an object" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"partnerId\": 1, \"env\": {\"serviceUrl\": 1}}}",
      "provider.env.serviceUrl must be a string" },
    { "{\"offline\": {\"storePath\": \"%s\"}, \"provider\": {\"partnerId\": 1, \"env\": {\"cdnUrl\": false}}}",
      "provider.env.cdnUrl must be a string" },
    { "{\"offline\": {\"storePath\": \"%s\"", "The configuration is not JSON: " },
    { "offline: storePath: %s", "The configuration is not JSON: " },
    { "<html>%s</html>", "The configuration is not JSON: " },
    { "", "The configuration must be a JSON object" },
    { "[\"%s\"]", "The configuration must be a JSON object" },
    { "\"%s\"", "The configuration must be a JSON object" },
    { "null", "The configuration must be a JSON object" },
  };
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GError) error = NULL;

  /* a store that does not exist yet */
  g_free (f->store_path);
  f->store_path = g_build_filename (f->tmp_dir, "new-store", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GString) json = g_string_new (cases[i].json);

    g_string_replace (json, "%s", f->store_path, 0);
    manager = offline_manager_new_from_config (json->str, NULL, &error);
    g_assert_null (manager);
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_CONFIG);
    if (strstr (error->message, cases[i].message) == NULL)
      g_error ("case %u (%s): \"%s\" lacks \"%s\"", i, json->str, error->message, cases[i].message);
    g_clear_error (&error);
    /* nothing was opened */
    g_assert_false (g_file_test (f->store_path, G_FILE_TEST_EXISTS));
  }

  /* NULL from C: the same error, no CRITICAL */
  g_assert_null (offline_manager_new_from_config (NULL, NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_CONFIG);
  g_clear_error (&error);

  manager = manager_from_config (f, "", "", &error);
  g_assert_no_error (error);
  assert_store_usable (f, g_steal_pointer (&manager));
  g_clear_object (&manager);

  /* a bad configuration on a store in use leaves it alone */
  manager = manager_from_config (f, ", \"maxRetries\": \"many\"", "", &error);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_CONFIG);
  g_clear_error (&error);
  manager = manager_from_config (f, "", "", &error);
  g_assert_no_error (error);
  f->manager = g_steal_pointer (&manager);
  offline_test_assert_stored (f, f->manager, "movie", TEMPLATE, NULL);
  offline_test_drop_manager (f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  offline_test_cli_add ("/config/offline-keys", NULL, test_offline_keys);
  offline_test_cli_add ("/config/provider", NULL, test_provider);
  offline_test_cli_add ("/config/unknown-keys", NULL, test_unknown_keys);
  offline_test_cli_add ("/config/bad", NULL, test_bad);

  return g_test_run ();
}
