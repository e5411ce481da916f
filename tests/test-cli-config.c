/* test-cli-config.c: `offlinemgr --config FILE`, `media-info` and
 * `download` without --url, the tool run as a real process against the
 * test server on 127.0.0.1 and stores in a temporary directory
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "offline-test-cli.h"
#include "offline-test-ovp.h"

#define TEMPLATE "dash/template-number/manifest.mpd"
#define EXIT_USAGE 2

/* Writes @text to a file @name of @f's temporary directory; returns its
 * path. */
static char *
write_config (OfflineTestManager *f,
              const char         *name,
              const char         *text)
{
  char *path = g_build_filename (f->tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* A configuration of @f's store, with @rest after the offline section. */
static char *
store_config (OfflineTestManager *f,
              const char         *rest)
{
  g_autofree char *text = g_strdup_printf ("{\"offline\": {\"storePath\": \"%s\", \"maxRetries\": 2,"
                                           " \"futureKey\": 1}%s}", f->store_path, rest);

  return write_config (f, "player.json", text);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* --config's storePath is the store (no --store, no $OFFLINEMGR_STORE);
 * --store wins over it. */
static void
test_store (OfflineTestManager *f,
            gconstpointer       data)
{
  g_autofree char *config = store_config (f, "");
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autofree char *other = g_build_filename (f->tmp_dir, "other", NULL);
  g_autoptr(JsonNode) listed = NULL;
  g_auto(Run) run = { 0 };

  g_assert_cmpint (run_tool_full (NULL, NULL, &run, (const char *[]) {
                     "--config", config, "download", "e", "--url", url, "--name", "Config", NULL }), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_suffix (run.out, "completed e\n"));
  /* in the configured store */
  assert_listed (f, "e", "completed");

  g_assert_cmpint (run_tool_full (NULL, NULL, &run, (const char *[]) {
                     "--config", config, "list", NULL }), ==, 0);
  g_assert_true (g_regex_match_simple ("^e +completed +100\\.0% .* Config$", run.out,
                                       G_REGEX_MULTILINE, 0));
  g_assert_cmpint (run_tool_full (NULL, NULL, &run, (const char *[]) {
                     "--config", config, "info", "e", NULL }), ==, 0);
  g_assert_nonnull (strstr (run.out, "state:       completed\n"));

  /* --store before or after --config: that store, empty */
  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) {
                     "--config", config, "list", "--json", NULL }), ==, 0);
  listed = parse_json (run.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 0);
  g_assert_true (g_file_test (other, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (run_tool_full (NULL, f->store_path, &run, (const char *[]) {
                     "--config", config, "--store", other, "info", "e", NULL }), ==, EXIT_FAILURE);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");

  /* a configuration without storePath: $OFFLINEMGR_STORE */
  g_free (config);
  config = write_config (f, "empty.json", "{\"offline\": {\"maxRetries\": 1}}");
  g_assert_cmpint (run_tool_full (NULL, f->store_path, &run, (const char *[]) {
                     "--config", config, "list", NULL }), ==, 0);
  g_assert_true (g_regex_match_simple ("^e +completed", run.out, G_REGEX_MULTILINE, 0));
}

/* media-info: what the provider says, as text and JSON; nothing stored. */
static void
test_media_info (OfflineTestManager *f,
                 gconstpointer       data)
{
  g_autofree char *config = store_config (f, "");
  g_autofree char *url = offline_test_server_get_url (f->server, TEMPLATE);
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *info;

  g_assert_cmpint (run_tool_full (NULL, NULL, &run, (const char *[]) {
                     "--config", config, "media-info", "movie", "--url", url, NULL }), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "id:          movie\n"));
  g_assert_nonnull (strstr (run.out, "\nmanifest:    "));
  g_assert_nonnull (strstr (run.out, url));
  g_assert_nonnull (strstr (run.out, "\nname:        -\n"));
  g_assert_nonnull (strstr (run.out, "\ndrm:         -\n"));

  g_assert_cmpint (run_tool (f, &run, "media-info", "movie", "--url", url, "--json", NULL), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  info = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (info, "entry_id"), ==, "movie");
  g_assert_cmpstr (json_object_get_string_member (info, "manifest_url"), ==, url);
  g_assert_true (json_object_has_member (info, "sources"));
  g_assert_true (json_object_has_member (info, "tags"));

  /* nothing was stored */
  g_assert_cmpint (run_tool (f, &run, "info", "movie", NULL), ==, EXIT_FAILURE);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
  /* a bad id: the library's check */
  g_assert_cmpint (run_tool (f, &run, "media-info", "", "--url", url, NULL), ==, EXIT_FAILURE);
  assert_failed (&run, "OFFLINE_ERROR_INVALID_ARGUMENT");
}

/* download and media-info without --url: the configured provider is asked
 * (here an OVP provider whose service does not answer: an error of the
 * provider, not a usage error), none is a usage error. */
static void
test_without_url (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *service = offline_test_server_get_url (f->server, "no-such-api/api_v3");
  g_autofree char *provider = g_strdup_printf (", \"provider\": {\"partnerId\": 1234, "
                                               "\"env\": {\"serviceUrl\": \"%s\"}}", service);
  g_autofree char *config = NULL;
  g_autofree char *other = g_build_filename (f->tmp_dir, "other", NULL);
  g_auto(Run) run = { 0 };
  const char *commands[] = { "download", "media-info" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
    /* no configuration */
    g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) {
                       commands[i], "1_abc", NULL }), ==, EXIT_USAGE);
    g_assert_true (g_str_has_prefix (run.err, "offlinemgr: "));
    g_assert_nonnull (strstr (run.err, "needs --url URL, or --config FILE with a provider section"));
    /* a configuration without a provider */
    config = store_config (f, "");
    g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) {
                       "--config", config, commands[i], "1_abc", NULL }), ==, EXIT_USAGE);
    g_assert_nonnull (strstr (run.err, "(this configuration names no provider)"));
    g_clear_pointer (&config, g_free);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

    /* with a provider: asked, and it fails */
    config = store_config (f, provider);
    g_assert_cmpint (run_tool_full (NULL, NULL, &run, (const char *[]) {
                       "--config", config, commands[i], "1_abc", NULL }), ==, EXIT_FAILURE);
    g_assert_true (g_str_has_prefix (run.err, "offlinemgr: OFFLINE_ERROR_"));
    g_assert_null (strstr (run.err, "Usage"));
    g_clear_pointer (&config, g_free);
  }
  /* nothing was stored */
  g_assert_cmpint (run_tool (f, &run, "info", "1_abc", NULL), ==, EXIT_FAILURE);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");
}

/* The whole way from a player configuration: media-info asks the OVP API,
 * download by entry id alone stores the entry with the provider's name,
 * tags and poster, an entry that needs Widevine fails and stores nothing. */
static void
test_ovp (OfflineTestManager *f,
          gconstpointer       data)
{
  static const char image[] = "poster bytes";
  g_autoptr(GBytes) poster = g_bytes_new_static (image, sizeof image - 1);
  OfflineTestOvp *ovp = offline_test_ovp_new (f->server, NULL);
  g_autofree char *service = offline_test_server_get_url (f->server, "api_v3");
  g_autofree char *provider = g_strdup_printf (", \"provider\": {\"partnerId\": %d, "
                                               "\"env\": {\"serviceUrl\": \"%s\"}}",
                                               OFFLINE_TEST_OVP_PARTNER, service);
  g_autofree char *config = store_config (f, provider);
  g_autofree char *manifest_path = NULL;
  g_autofree char *location = g_strconcat ("/", TEMPLATE, NULL);
  g_autofree char *poster_file = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *info;
  const char *manifest_url;

  offline_test_server_add_content (f->server, "/" OFFLINE_TEST_OVP_THUMBNAIL "0_clear", poster,
                                   "image/jpeg");
  g_assert_cmpint (run_tool_full (NULL, NULL, &run, (const char *[]) {
                     "--config", config, "media-info", "0_clear", "--json", NULL }), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpuint (offline_test_ovp_get_request_count (ovp), ==, 1);
  root = parse_json (run.out);
  info = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (info, "format"), ==, "dash");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info, "sources")), >=, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info, "tags")), ==, 3);
  manifest_url = json_object_get_string_member (info, "manifest_url");
  g_assert_nonnull (strstr (manifest_url, "/playManifest/entryId/0_clear/"));
  g_assert_nonnull (strstr (manifest_url, "playbackType=offline"));

  /* the playManifest path answers with the fixture */
  manifest_path = g_strndup (manifest_url + strlen (offline_test_server_get_base_url (f->server)) - 1,
                             strcspn (manifest_url, "?") -
                             strlen (offline_test_server_get_base_url (f->server)) + 1);
  offline_test_server_add_redirect (f->server, manifest_path, 302, location);

  g_assert_cmpint (run_tool_full (NULL, NULL, &run, (const char *[]) {
                     "--config", config, "download", "0_clear", NULL }), ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "completed 0_clear\n"));
  assert_listed (f, "0_clear", "completed");
  g_assert_cmpint (run_tool (f, &run, "info", "0_clear", NULL), ==, 0);
  g_assert_nonnull (strstr (run.out, "name:        Sintel \"0_clear\"\n"));
  g_assert_nonnull (strstr (run.out, "tags:        dragon, short, animation\n"));
  poster_file = g_strdup (strstr (run.out, "poster:      "));
  g_assert_nonnull (poster_file);
  *strchr (poster_file, '\n') = '\0';
  g_assert_true (g_file_get_contents (poster_file + strlen ("poster:      "), &stored, NULL, NULL));
  g_assert_cmpstr (stored, ==, image);

  g_assert_cmpint (run_tool_full (NULL, NULL, &run, (const char *[]) {
                     "--config", config, "download", "0_wv", NULL }), ==, EXIT_FAILURE);
  assert_failed (&run, "OFFLINE_ERROR_DRM_NOT_SUPPORTED");
  g_assert_cmpint (run_tool (f, &run, "info", "0_wv", NULL), ==, EXIT_FAILURE);
  assert_failed (&run, "OFFLINE_ERROR_NOT_FOUND");

  offline_test_server_free (g_steal_pointer (&f->server));
  offline_test_ovp_free (ovp);
}

/* Bad configurations: OFFLINE_ERROR_INVALID_CONFIG naming the key, exit
 * 1, before any store is made. */
static void
test_bad_config (OfflineTestManager *f,
                 gconstpointer       data)
{
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "{\"offline\": {\"maxRetries\": \"5\"}}", "offline.maxRetries must be an integer" },
    { "{\"offline\": {\"maxParallelDownloads\": 1000}}", "offline.maxParallelDownloads must be between 1 and 64" },
    { "{\"offline\": \"store\"}", "offline must be an object" },
    { "{\"provider\": {\"ks\": \"x\"}}", "provider.partnerId is missing" },
    { "{\"provider\": {\"partnerId\": 1, \"env\": {\"serviceUrl\": 3}}}", "provider.env.serviceUrl must be a string" },
    { "partnerId=1234\n", "The configuration is not JSON: " },
    { "{\"offline\": {", "The configuration is not JSON: " },
    { "<html><body>502 Bad Gateway</body></html>", "The configuration is not JSON: " },
    { "[1, 2]", "The configuration must be a JSON object" },
  };
  g_autofree char *other = g_build_filename (f->tmp_dir, "other", NULL);
  g_autofree char *missing = g_build_filename (f->tmp_dir, "missing.json", NULL);
  g_auto(Run) run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *config = write_config (f, "bad.json", cases[i].text);
    /* play reads only offline.storePath: it fails on a file that is not
     * a JSON object */
    gboolean for_play = !g_str_has_prefix (cases[i].text, "{");
    const char *commands[][3] = { { "list", NULL }, { "play", "e", NULL } };

    for (guint j = 0; j < (for_play ? 2 : 1); j++) {
      g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) {
                         "--config", config, commands[j][0], commands[j][1], NULL }), ==, EXIT_FAILURE);
      assert_failed (&run, "OFFLINE_ERROR_INVALID_CONFIG");
      if (strstr (run.err, cases[i].message) == NULL)
        g_error ("case %u: \"%s\" lacks \"%s\"", i, run.err, cases[i].message);
      g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
    }
  }
  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) {
                     "--config", missing, "list", NULL }), ==, EXIT_FAILURE);
  assert_failed (&run, "OFFLINE_ERROR_INVALID_CONFIG");
  g_assert_nonnull (strstr (run.err, "missing.json"));
  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) { "list", "--config", NULL }),
                   ==, EXIT_USAGE);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
}

/* --help: --config in the tool's, media-info's own. */
static void
test_help (OfflineTestManager *f,
           gconstpointer       data)
{
  g_autofree char *other = g_build_filename (f->tmp_dir, "other", NULL);
  g_auto(Run) run = { 0 };

  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) { "--help", NULL }), ==, 0);
  g_assert_nonnull (strstr (run.out, "[--config FILE]"));
  g_assert_nonnull (strstr (run.out, "\n  media-info ID [--url URL] [--json]\n"));
  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) { "media-info", "--help", NULL }),
                   ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "Usage:"));
  g_assert_nonnull (strstr (run.out, " media-info ID "));
  g_assert_nonnull (strstr (run.out, "--json"));
  g_assert_nonnull (strstr (run.out, "--url"));
  g_assert_cmpint (run_tool_full (other, NULL, &run, (const char *[]) { "download", "--help", NULL }),
                   ==, 0);
  g_assert_nonnull (strstr (run.out, "--config FILE"));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  offline_test_cli_path ();

  offline_test_cli_add ("/cli-config/store", NULL, test_store);
  offline_test_cli_add ("/cli-config/media-info", NULL, test_media_info);
  offline_test_cli_add ("/cli-config/without-url", NULL, test_without_url);
  offline_test_cli_add ("/cli-config/ovp", NULL, test_ovp);
  offline_test_cli_add ("/cli-config/bad-config", NULL, test_bad_config);
  offline_test_cli_add ("/cli-config/help", NULL, test_help);

  return g_test_run ();
}
