/* test-security.c: nothing a manifest, a server, an entry id or a file
 * planted in the store chooses is read or written outside the store
 * (docs/security.md); every URL passes OfflineManager::accept-url; the
 * store is for its owner alone, whatever the umask
 *
 * Each test runs a real manager on a real store in a temp dir, with a
 * sentinel directory "outside" next to the store: after the test it must
 * be exactly as it was, and the temp dir must hold nothing else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "offline-entry-id-private.h"
#include "offline-store-private.h"
#include "offline-test-fetch.h"
#include "offline-test-manager.h"

#define AES "hls/aes128/stream.m3u8"
#define LONG_URL_BYTES (100 * 1000)
/* longer than a URL may be (16 KiB), shorter than libsoup's limit for
 * the headers of a response (a redirect's Location) */
#define MID_URL_BYTES (20 * 1000)

/* ---- the sentinel ---- */

/* Makes @f->tmp_dir/outside: two files and a directory holding one. */
static char *
make_sentinel (OfflineTestManager *f)
{
  char *outside = g_build_filename (f->tmp_dir, "outside", NULL);
  g_autofree char *dir = g_build_filename (outside, "dir", NULL);
  const char *files[] = { "victim", "hard", "dir/inner" };

  g_assert_cmpint (g_mkdir (outside, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = g_build_filename (outside, files[i], NULL);

    g_assert_true (g_file_set_contents (path, files[i], -1, NULL));
  }
  return outside;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Appends what @path holds, recursively, sorted: name, type, mode,
 * size and the contents of files. */
static void
describe (const char *path,
          const char *name,
          GString    *out)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  /* (not the link count: a hard link planted in the store and deleted
   * changes it) */
  g_string_append_printf (out, "%s %o %" G_GINT64_FORMAT, name, (guint) st.st_mode,
                          (gint64) st.st_size);
  if (S_ISREG (st.st_mode)) {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_string_append_printf (out, " \"%s\"\n", contents);
  } else if (S_ISDIR (st.st_mode)) {
    g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *child;

    g_string_append_c (out, '\n');
    while ((child = g_dir_read_name (dir)) != NULL)
      g_ptr_array_add (names, g_strdup (child));
    g_ptr_array_sort (names, compare_names);
    for (guint i = 0; i < names->len; i++) {
      g_autofree char *child_path = g_build_filename (path, names->pdata[i], NULL);
      g_autofree char *child_name = g_build_filename (name, names->pdata[i], NULL);

      describe (child_path, child_name, out);
    }
  } else {
    g_string_append_c (out, '\n');
  }
}

static char *
snapshot (const char *path)
{
  GString *out = g_string_new (NULL);

  describe (path, ".", out);
  return g_string_free (out, FALSE);
}

/* The sentinel is as @before, and the temp dir holds the store and it. */
static void
assert_untouched (OfflineTestManager *f,
                  const char         *outside,
                  const char         *before)
{
  g_autofree char *after = snapshot (outside);
  g_autoptr(GDir) dir = g_dir_open (f->tmp_dir, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_cmpstr (after, ==, before);
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_assert_true (g_str_equal (name, "store") || g_str_equal (name, "outside"));
    count++;
  }
  g_assert_cmpuint (count, <=, 2);
}

/* @text with "@OUT@" replaced by @outside, "@BASE@" by the server's base
 * URL, "@LONG@" and "@MID@" by LONG_URL_BYTES and MID_URL_BYTES bytes of
 * a URL path. */
static char *
expand (OfflineTestManager *f,
        const char         *outside,
        const char         *text)
{
  g_autofree char *long_path = g_strnfill (LONG_URL_BYTES, 'a');
  g_autofree char *mid_path = g_strnfill (MID_URL_BYTES, 'b');
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "@OUT@", outside, 0);
  g_string_replace (out, "@BASE@", offline_test_server_get_base_url (f->server), 0);
  g_string_replace (out, "@LONG@", long_path, 0);
  g_string_replace (out, "@MID@", mid_path, 0);
  return g_strdup (out->str);
}

/* ---- hostile URLs ---- */

typedef struct {
  const char *name;
  const char *url;          /* the manifest URL; NULL: the playlist below */
  const char *key_uri;      /* the playlist's key (then its segment is encrypted) */
  const char *segment;      /* the playlist's segment */
  const char *redirect;     /* a path of the server (under evil/)… */
  const char *location;     /* … redirected (302) here */
  int code;
} HostileCase;

#define SEG "../hls/aes128/seg_000.ts"

static const HostileCase hostile_cases[] = {
  /* the manifest URL */
  { "manifest/data", "data:application/vnd.apple.mpegurl,%23EXTM3U", .code = OFFLINE_ERROR_INVALID_URI },
  { "manifest/file", "file://@OUT@/victim", .code = OFFLINE_ERROR_INVALID_URI },
  { "manifest/absolute-path", "@OUT@/victim", .code = OFFLINE_ERROR_INVALID_URI },
  { "manifest/long", "@BASE@@LONG@", .code = OFFLINE_ERROR_INVALID_URI },
  { "manifest/nul", "@BASE@hls/aes128/stream.m3u8%00.txt", .code = OFFLINE_ERROR_DOWNLOAD_FAILED },
  { "manifest/dot-dot", "@BASE@hls/%2e%2e/%2e%2e/%2E%2E/outside/victim", .code = OFFLINE_ERROR_DOWNLOAD_FAILED },
  /* redirects of the manifest */
  { "manifest/redirect-file", "@BASE@evil/r.m3u8", .redirect = "evil/r.m3u8",
    .location = "file://@OUT@/victim", .code = OFFLINE_ERROR_INVALID_URI },
  { "manifest/redirect-data", "@BASE@evil/r.m3u8", .redirect = "evil/r.m3u8",
    .location = "data:,%23EXTM3U", .code = OFFLINE_ERROR_INVALID_URI },
  { "manifest/redirect-long", "@BASE@evil/r.m3u8", .redirect = "evil/r.m3u8",
    .location = "@BASE@@MID@", .code = OFFLINE_ERROR_INVALID_URI },
  /* segment URLs */
  { "segment/data", .segment = "data:video/mp2t;base64,RwAAAA==", .code = OFFLINE_ERROR_MANIFEST_INVALID },
  { "segment/dot-dot", .segment = "%2e%2e/%2e%2e/%2e%2e/outside/victim", .code = OFFLINE_ERROR_DOWNLOAD_FAILED },
  { "segment/dot-dot-slash", .segment = "..%2f..%2f..%2foutside%2fvictim", .code = OFFLINE_ERROR_DOWNLOAD_FAILED },
  { "segment/nul", .segment = SEG "%00", .code = OFFLINE_ERROR_DOWNLOAD_FAILED },
  { "segment/absolute-path", .segment = "@OUT@/victim", .code = OFFLINE_ERROR_DOWNLOAD_FAILED },
  { "segment/redirect-file", .segment = "r.ts", .redirect = "evil/r.ts",
    .location = "file://@OUT@/victim", .code = OFFLINE_ERROR_INVALID_URI },
  { "segment/redirect-data", .segment = "r.ts", .redirect = "evil/r.ts",
    .location = "data:video/mp2t;base64,RwAAAA==", .code = OFFLINE_ERROR_INVALID_URI },
  /* key URIs */
  { "key/file", .key_uri = "file://@OUT@/victim", .segment = SEG, .code = OFFLINE_ERROR_MANIFEST_INVALID },
  { "key/data", .key_uri = "data:application/octet-stream;base64,K34VFiiu0qar9xWICc9PPA==", .segment = SEG,
    .code = OFFLINE_ERROR_MANIFEST_INVALID },
  { "key/long", .key_uri = "@LONG@", .segment = SEG, .code = OFFLINE_ERROR_MANIFEST_INVALID },
  { "key/redirect-file", .key_uri = "k.key", .segment = SEG, .redirect = "evil/k.key",
    .location = "file://@OUT@/victim", .code = OFFLINE_ERROR_INVALID_URI },
  { "key/redirect-data", .key_uri = "k.key", .segment = SEG, .redirect = "evil/k.key",
    .location = "data:application/octet-stream;base64,K34VFiiu0qar9xWICc9PPA==",
    .code = OFFLINE_ERROR_INVALID_URI },
};

/* Each case fails with its code, and nothing outside the store changes. */
static void
test_hostile_url (OfflineTestManager *f,
                  gconstpointer       data)
{
  const HostileCase *c = data;
  g_autofree char *outside = make_sentinel (f);
  g_autofree char *before = snapshot (outside);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  if (c->redirect != NULL) {
    g_autofree char *location = expand (f, outside, c->location);

    offline_test_server_add_redirect (f->server, c->redirect, 302, location);
  }
  if (c->url != NULL) {
    url = expand (f, outside, c->url);
  } else {
    g_autofree char *key = NULL;
    g_autofree char *text = NULL;

    if (c->key_uri != NULL) {
      g_autofree char *key_uri = expand (f, outside, c->key_uri);

      key = g_strdup_printf ("#EXT-X-KEY:METHOD=AES-128,URI=\"%s\",IV=0x000102030405060708090a0b0c0d0e0f\n",
                             key_uri);
    }
    text = g_strdup_printf ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n%s"
                            "#EXTINF:2.0,\n%s\n#EXT-X-ENDLIST\n", key ? key : "",
                            c->segment);
    g_autofree char *expanded = expand (f, outside, text);
    g_autoptr(GBytes) bytes = g_bytes_new (expanded, strlen (expanded));

    offline_test_server_add_content (f->server, "evil/p.m3u8", bytes, NULL);
    url = offline_test_server_get_url (f->server, "evil/p.m3u8");
  }
  offline_url_provider_add (f->provider, "e", url, NULL, NULL, NULL);

  g_assert_false (offline_test_download (f, "e", NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, OFFLINE_ERROR, c->code);
  /* what a message quotes of a URL is cut */
  g_assert_cmpuint (strlen (error->message), <, 2000);
  assert_untouched (f, outside, before);
}

/* ---- files planted in the store ---- */

/* Downloads AES with every segment failing (404): the entry is stored,
 * FAILED, its segments pending. Drops the manager. */
static void
download_failing (OfflineTestManager *f)
{
  const char *segments[] = { "hls/aes128/seg_000.ts", "hls/aes128/seg_001.ts", "hls/aes128/seg_002.ts" };
  g_autoptr(GError) error = NULL;

  offline_test_register (f, "e", AES);
  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    offline_test_server_set_path_status (f->server, segments[i], 404);
  g_assert_false (offline_test_download (f, "e", NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
  offline_test_drop_manager (f);
  offline_test_server_clear_switches (f->server);
}

/* What to plant for pending resource @index: @path is its file, @part its
 * .part (deleted already). */
typedef void (*PlantFunc) (guint       index,
                           const char *path,
                           const char *part,
                           const char *outside);

/* Calls @plant for each resource of "e" still pending, the manager gone. */
static void
plant_pending (OfflineTestManager *f,
               const char         *outside,
               PlantFunc           plant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStore) store = offline_store_open (f->store_path, NULL, &error);
  g_autoptr(GArray) pending = NULL;

  g_assert_no_error (error);
  pending = offline_store_get_resources (store, "e", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, >=, 3);
  for (guint i = 0; i < pending->len; i++) {
    gint64 id = g_array_index (pending, OfflineStoreResource, i).id;
    g_autofree char *path = offline_store_get_resource_path (store, "e", id, &error);
    g_autofree char *part = g_strconcat (path, ".part", NULL);

    g_assert_no_error (error);
    g_unlink (part);
    plant (i, path, part, outside);
  }
}

/* a symbolic link, a hard link, a symbolic link in place of the file */
static void
plant_links (guint       index,
             const char *path,
             const char *part,
             const char *outside)
{
  g_autofree char *victim = g_build_filename (outside, "victim", NULL);
  g_autofree char *hard = g_build_filename (outside, "hard", NULL);

  if (index % 3 == 0)
    g_assert_cmpint (symlink (victim, part), ==, 0);
  else if (index % 3 == 1)
    g_assert_cmpint (link (hard, part), ==, 0);
  else
    g_assert_cmpint (symlink (victim, path), ==, 0);
}

static void
plant_fifo (guint       index,
            const char *path,
            const char *part,
            const char *outside)
{
  g_assert_cmpint (mkfifo (part, 0600), ==, 0);
}

/* Where a pending segment's .part or file will be written, links to
 * outside: a symbolic link, a hard link, a symbolic link in place of the
 * final file. The resume replaces them: it succeeds, byte for byte, and
 * writes nothing outside. */
static void
test_planted_file_links (OfflineTestManager *f,
                         gconstpointer       data)
{
  g_autofree char *outside = make_sentinel (f);
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;

  download_failing (f);
  plant_pending (f, outside, plant_links);
  before = snapshot (outside);

  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (offline_test_resume (f, "e", &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, "e", AES, NULL);
  assert_untouched (f, outside, before);
}

/* A FIFO where a pending segment's .part goes: the resume fails with
 * OFFLINE_ERROR_STORE instead of blocking on it. */
static void
test_planted_fifo (OfflineTestManager *f,
                   gconstpointer       data)
{
  g_autofree char *outside = make_sentinel (f);
  g_autofree char *before = snapshot (outside);
  g_autoptr(GError) error = NULL;

  download_failing (f);
  plant_pending (f, outside, plant_fifo);

  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (offline_test_resume (f, "e", &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
  assert_untouched (f, outside, before);
}

/* The entry's directory replaced by a symbolic link to a directory
 * outside: the resume fails with OFFLINE_ERROR_STORE, writing nothing
 * there, and removing the entry deletes the link, not what it points at. */
static void
test_planted_entry_dir (OfflineTestManager *f,
                        gconstpointer       data)
{
  g_autofree char *outside = make_sentinel (f);
  g_autofree char *target = g_build_filename (outside, "dir", NULL);
  g_autofree char *before = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  download_failing (f);
  store = offline_store_open (f->store_path, NULL, &error);
  g_assert_no_error (error);
  dir = offline_store_get_entry_dir (store, "e", &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  offline_test_remove_tree (dir);
  g_assert_cmpint (symlink (target, dir), ==, 0);
  before = snapshot (outside);

  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (offline_test_resume (f, "e", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
  assert_untouched (f, outside, before);

  offline_manager_remove_async (f->manager, "e", NULL, offline_test_result_cb, &result);
  offline_test_finish_ok (f, offline_manager_remove_finish, &result);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
  assert_untouched (f, outside, before);
}

/* A file of the store itself planted as a symbolic link to outside (in a
 * store made before, with the manager gone): the manager opens the store
 * or fails with OFFLINE_ERROR_STORE, and a download either works or fails
 * with a typed error; nothing outside changes. */
static void
test_planted_store_file (OfflineTestManager *f,
                         gconstpointer       data)
{
  const char *name = data;
  g_autofree char *outside = make_sentinel (f);
  g_autofree char *link_path = g_build_filename (f->store_path, name, NULL);
  g_autofree char *target = g_build_filename (outside, g_str_equal (name, "entries") ? "dir" : "victim",
                                              NULL);
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_drop_manager (f);
  if (g_file_test (link_path, G_FILE_TEST_IS_DIR))
    offline_test_remove_tree (link_path);
  else
    g_unlink (link_path);
  g_assert_cmpint (symlink (target, link_path), ==, 0);
  before = snapshot (outside);

  f->manager = offline_test_manager_new (f, FALSE, &error);
  if (f->manager == NULL) {
    g_test_message ("%s: %s", name, error->message);
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
  } else {
    offline_test_register (f, "e", AES);
    if (offline_test_download (f, "e", NULL, &error))
      offline_test_assert_stored (f, f->manager, "e", AES, NULL);
    else
      g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE);
    g_test_message ("%s: %s", name, error ? error->message : "stored");
  }
  assert_untouched (f, outside, before);
}

/* ---- for the owner alone ---- */

/* Every directory under @path is 0700, every file 0600; no links. */
static void
assert_private (const char *path,
                guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    g_assert_cmpint (lstat (child, &st), ==, 0);
    if (S_ISDIR (st.st_mode)) {
      assert_private (child, n_files);
      continue;
    }
    g_test_message ("%s %o", child, (guint) st.st_mode & 07777);
    g_assert_true (S_ISREG (st.st_mode));
    g_assert_cmpint (st.st_mode & 07777, ==, 0600);
    (*n_files)++;
  }
}

/* A store made under the umask @data: its directories 0700, the index
 * (and -wal, -shm), the lock, the reserve, the key, the segments and the
 * poster 0600. */
static void
test_private_store (OfflineTestManager *f,
                    gconstpointer       data)
{
  g_autofree char *manifest = offline_test_server_get_url (f->server, AES);
  g_autofree char *poster = offline_test_server_get_url (f->server, "hls/aes128/key.bin");
  g_autofree char *index = g_build_filename (f->store_path, "index.sqlite-wal", NULL);
  g_autoptr(GError) error = NULL;
  mode_t old_mask;
  guint n_files = 0;

  offline_test_drop_manager (f);
  offline_test_remove_tree (f->store_path);
  old_mask = umask ((mode_t) GPOINTER_TO_UINT (data));
  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  offline_url_provider_add (f->provider, "e", manifest, "Name", NULL, poster);
  g_assert_true (offline_test_download (f, "e", NULL, &error));
  g_assert_no_error (error);
  umask (old_mask);

  /* with the manager open: the -wal and -shm are there too */
  g_assert_true (g_file_test (index, G_FILE_TEST_EXISTS));
  assert_private (f->store_path, &n_files);
  /* lock, reserve, index ×3, key, 3 segments, poster */
  g_assert_cmpuint (n_files, ==, 10);
}

/* A store whose owner (or a former version) opened it up: the next
 * manager makes its directory 0700 and its index files 0600 again. */
static void
test_private_tightened (OfflineTestManager *f,
                        gconstpointer       data)
{
  const char *files[] = { "index.sqlite", "index.sqlite-wal", "index.sqlite-shm" };
  g_autoptr(GError) error = NULL;

  offline_test_register (f, "e", AES);
  g_assert_true (offline_test_download (f, "e", NULL, &error));
  offline_test_drop_manager (f);

  g_assert_cmpint (g_chmod (f->store_path, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = g_build_filename (f->store_path, files[i], NULL);

    /* (SQLite deletes its -wal at close; an empty one is valid) */
    if (!g_file_test (path, G_FILE_TEST_EXISTS))
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  }

  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = g_build_filename (f->store_path, files[i], NULL);
    struct stat st;

    g_assert_cmpint (lstat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  }
  g_assert_cmpint (lstat (f->store_path, &(struct stat) { 0 }), ==, 0);
  {
    struct stat st;

    g_assert_cmpint (stat (f->store_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  }
  offline_test_assert_stored (f, f->manager, "e", AES, NULL);
}

/* ---- OfflineManager::accept-url ---- */

typedef struct {
  GThread *thread;          /* where the manager lives */
  GPtrArray *seen;          /* (element-type utf8) every URL asked about */
  const char *refuse_host;  /* (nullable) */
  const char *refuse;       /* (nullable) a URL containing it is refused */
} Vetting;

static gboolean
accept_url_cb (OfflineManager *manager,
               const char     *url,
               Vetting        *vetting)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  /* emitted on the manager's thread, for an http(s) URL only */
  g_assert_true (g_thread_self () == vetting->thread);
  g_assert_nonnull (uri);
  g_assert_true (g_str_equal (g_uri_get_scheme (uri), "http"));
  g_ptr_array_add (vetting->seen, g_strdup (url));
  if (vetting->refuse_host != NULL && g_str_equal (g_uri_get_host (uri), vetting->refuse_host))
    return FALSE;
  return vetting->refuse == NULL || strstr (url, vetting->refuse) == NULL;
}

static gboolean
never_called_cb (OfflineManager *manager,
                 const char     *url,
                 gpointer        data)
{
  g_assert_not_reached ();
}

static void
vetting_connect (OfflineTestManager *f,
                 Vetting            *vetting)
{
  vetting->thread = g_thread_self ();
  vetting->seen = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->manager, "accept-url", G_CALLBACK (accept_url_cb), vetting);
}

/* Downloads @id, which must fail with OFFLINE_ERROR_INVALID_URI "not
 * accepted by the application", quoting @quoted. */
static void
assert_refused (OfflineTestManager *f,
                const char         *id,
                const char         *quoted)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (offline_test_download (f, id, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI);
  g_assert_nonnull (strstr (error->message, "not accepted by the application"));
  g_assert_nonnull (strstr (error->message, quoted));
}

/* Every URL fetched is asked about first, once per fetch (the manifest,
 * the key, the segments, the poster), on the manager's thread. */
static void
test_accept_all (OfflineTestManager *f,
                 gconstpointer       data)
{
  g_autofree char *manifest = offline_test_server_get_url (f->server, AES);
  g_autofree char *poster = offline_test_server_get_url (f->server, "hls/aes128/master.m3u8");
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(GError) error = NULL;
  Vetting vetting = { 0 };

  vetting_connect (f, &vetting);
  seen = vetting.seen;
  offline_url_provider_add (f->provider, "e", manifest, "Name", NULL, poster);
  g_assert_true (offline_test_download (f, "e", NULL, &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, "e", AES, NULL);
  /* manifest, poster, key, 3 segments: each asked about, each requested once */
  g_assert_cmpuint (seen->len, ==, 6);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, NULL), ==, 6);
  for (guint i = 0; i < seen->len; i++) {
    const char *path = (const char *) seen->pdata[i] + strlen (offline_test_server_get_base_url (f->server));

    g_assert_cmpuint (offline_test_server_get_request_count (f->server, path), ==, 1);
  }
}

/* A host refused: no request is sent, nothing is stored. Handlers run in
 * order and the first FALSE ends the emission. */
static void
test_refuse_host (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *url = g_strdup_printf ("http://localhost:%u/" AES,
                                          offline_test_server_get_port (f->server));
  g_autoptr(GPtrArray) seen = NULL;
  Vetting vetting = { .refuse_host = "localhost" };

  vetting_connect (f, &vetting);
  seen = vetting.seen;
  g_signal_connect (f->manager, "accept-url", G_CALLBACK (never_called_cb), NULL);
  offline_url_provider_add (f->provider, "e", url, NULL, NULL, NULL);
  assert_refused (f, "e", url);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, NULL), ==, 0);
  offline_test_assert_not_stored (f, "e");
}

/* A segment refused: the entry, stored already, fails; that segment is
 * never requested. Resuming it with the handler gone completes it. */
static void
test_refuse_path (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *segment = offline_test_server_get_url (f->server, "hls/aes128/seg_001.ts");
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  Vetting vetting = { .refuse = "seg_001" };

  vetting_connect (f, &vetting);
  seen = vetting.seen;
  offline_test_register (f, "e", AES);
  assert_refused (f, "e", segment);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, "hls/aes128/seg_001.ts"), ==, 0);
  entry = offline_test_get_entry (f, "e", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_FAILED);

  g_signal_handlers_disconnect_by_func (f->manager, accept_url_cb, &vetting);
  g_assert_true (offline_test_resume (f, "e", &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, "e", AES, NULL);
}

/* Each redirect hop is asked about before it is followed: a refused hop
 * is not requested. */
static void
test_refuse_redirect (OfflineTestManager *f,
                      gconstpointer       data)
{
  g_autofree char *target = offline_test_server_get_url (f->server, AES);
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(GError) error = NULL;
  Vetting vetting = { .refuse = AES };

  vetting_connect (f, &vetting);
  seen = vetting.seen;
  offline_test_server_add_redirect (f->server, "moved/stream.m3u8", 302, "/" AES);
  offline_test_server_add_redirect (f->server, "moved/twice.m3u8", 301, "/moved/stream.m3u8");
  offline_test_register (f, "e", "moved/twice.m3u8");
  assert_refused (f, "e", target);
  g_assert_cmpuint (seen->len, ==, 3);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, "moved/twice.m3u8"), ==, 1);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, "moved/stream.m3u8"), ==, 1);
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, AES), ==, 0);
  offline_test_assert_not_stored (f, "e");

  /* accepted, the same hops lead to the stream */
  vetting.refuse = NULL;
  g_assert_true (offline_test_download (f, "e", NULL, &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, "e", AES, NULL);
}

/* An entry id cannot hold a NUL byte, however it is passed. */
static void
test_id_nul (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (offline_entry_id_validate ("a\0/../b", 7, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT);
}

static void
add_hostile_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++) {
    g_autofree char *name = g_strconcat ("/security/url/", hostile_cases[i].name, NULL);

    g_test_add (name, OfflineTestManager, &hostile_cases[i], offline_test_manager_setup,
                test_hostile_url, offline_test_manager_teardown);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_hostile_cases ();
  g_test_add_func ("/security/id/nul", test_id_nul);
#define ADD(name, data, func) \
  g_test_add ("/security/" name, OfflineTestManager, data, offline_test_manager_setup, func, \
              offline_test_manager_teardown)
  ADD ("planted/file-links", NULL, test_planted_file_links);
  ADD ("planted/fifo", NULL, test_planted_fifo);
  ADD ("planted/entry-dir", NULL, test_planted_entry_dir);
  ADD ("planted/lock", "lock", test_planted_store_file);
  ADD ("planted/reserve", "reserve", test_planted_store_file);
  ADD ("planted/index", "index.sqlite", test_planted_store_file);
  ADD ("planted/index-wal", "index.sqlite-wal", test_planted_store_file);
  ADD ("planted/index-shm", "index.sqlite-shm", test_planted_store_file);
  ADD ("planted/entries", "entries", test_planted_store_file);
  ADD ("private/umask-022", GUINT_TO_POINTER (0022), test_private_store);
  ADD ("private/umask-000", GUINT_TO_POINTER (0000), test_private_store);
  ADD ("private/tightened", NULL, test_private_tightened);
  ADD ("accept-url/all", NULL, test_accept_all);
  ADD ("accept-url/refuse-host", NULL, test_refuse_host);
  ADD ("accept-url/refuse-path", NULL, test_refuse_path);
  ADD ("accept-url/refuse-redirect", NULL, test_refuse_redirect);

  return g_test_run ();
}
