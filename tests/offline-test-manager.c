/* offline-test-manager.c: a manager on a real store and a real HTTP
 * server for the tests, and the checks of what it stored
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "offline-test-fetch.h"
#include "offline-test-manager.h"

#define WAIT_TIMEOUT_S 60

static const char *
state_nick (OfflineDownloadState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFFLINE_TYPE_DOWNLOAD_STATE);

  return g_enum_get_value (klass, state)->value_nick;
}

static void
state_changed_cb (OfflineManager       *manager,
                  const char           *id,
                  OfflineDownloadState  old_state,
                  OfflineDownloadState  new_state,
                  OfflineTestManager   *f)
{
  g_ptr_array_add (f->states, g_strdup_printf ("%.20s:%s>%s", id, state_nick (old_state),
                                               state_nick (new_state)));
}

static void
progress_cb (OfflineManager     *manager,
             const char         *id,
             guint64             downloaded,
             guint64             expected,
             guint               done,
             guint               total,
             OfflineTestManager *f)
{
  OfflineTestProgress p = { g_get_monotonic_time (), downloaded, expected, done, total };

  g_array_append_val (f->progress, p);
}

static void
error_cb (OfflineManager     *manager,
          const char         *id,
          const GError       *error,
          OfflineTestManager *f)
{
  g_ptr_array_add (f->errors, g_error_copy (error));
}

OfflineManager *
offline_test_manager_new (OfflineTestManager  *f,
                          gboolean             auto_resume,
                          GError             **error)
{
  OfflineManager *manager = g_initable_new (OFFLINE_TYPE_MANAGER, NULL, error,
                                            "store-path", f->store_path,
                                            "provider", f->provider,
                                            "retry-delay", 5,
                                            "max-retries", 6,
                                            "auto-resume", auto_resume,
                                            NULL);

  if (manager == NULL)
    return NULL;
  offline_test_manager_log_signals (f, manager);
  return manager;
}

void
offline_test_manager_log_signals (OfflineTestManager *f,
                                  OfflineManager     *manager)
{
  g_signal_connect (manager, "state-changed", G_CALLBACK (state_changed_cb), f);
  g_signal_connect (manager, "progress", G_CALLBACK (progress_cb), f);
  g_signal_connect (manager, "error", G_CALLBACK (error_cb), f);
}

/* Drops the manager and checks that it is really gone (its store closed). */
void
offline_test_drop_manager (OfflineTestManager *f)
{
  OfflineManager *manager = g_steal_pointer (&f->manager);

  g_object_add_weak_pointer (G_OBJECT (manager), (gpointer *) &manager);
  g_object_unref (manager);
  g_assert_null (manager);
}

void
offline_test_manager_setup (OfflineTestManager *f,
                            gconstpointer       data)
{
  g_autoptr(GError) error = NULL;

  f->server = offline_test_server_new ();
  f->tmp_dir = g_dir_make_tmp ("offlinemgr-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->store_path = g_build_filename (f->tmp_dir, "store", NULL);
  f->provider = offline_url_provider_new ();
  f->states = g_ptr_array_new_with_free_func (g_free);
  f->progress = g_array_new (FALSE, FALSE, sizeof (OfflineTestProgress));
  f->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
}

void
offline_test_manager_teardown (OfflineTestManager *f,
                               gconstpointer       data)
{
  if (f->manager != NULL)
    offline_test_drop_manager (f);
  if (f->mount_point != NULL) {
    offline_test_unmount (f->mount_point);
    g_free (f->mount_point);
  }
  g_object_unref (f->provider);
  offline_test_server_free (f->server);
  offline_test_remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
  g_free (f->store_path);
  g_ptr_array_unref (f->states);
  g_array_unref (f->progress);
  g_ptr_array_unref (f->errors);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out after %d s", WAIT_TIMEOUT_S);
  return G_SOURCE_REMOVE;
}

void
offline_test_iterate_until (OfflineTestCondition done,
                            gpointer             data)
{
  guint timeout = g_timeout_add_seconds (WAIT_TIMEOUT_S, timeout_cb, NULL);

  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static gboolean
slot_is_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Iterates the default context until *@slot is set. */
GAsyncResult *
offline_test_wait_result (GAsyncResult **slot)
{
  offline_test_iterate_until (slot_is_set, slot);
  return *slot;
}

void
offline_test_result_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
offline_test_finish_ok (OfflineTestManager  *f,
                        OfflineTestFinish    finish,
                        GAsyncResult       **slot)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (finish (f->manager, offline_test_wait_result (slot), &error));
  g_assert_no_error (error);
  g_clear_object (slot);
}

void
offline_test_finish_fails (OfflineTestManager  *f,
                           OfflineTestFinish    finish,
                           GAsyncResult       **slot,
                           int                  code,
                           const char          *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (finish (f->manager, offline_test_wait_result (slot), &error));
  g_assert_error (error, OFFLINE_ERROR, code);
  if (message != NULL)
    g_assert_nonnull (strstr (error->message, message));
  g_clear_object (slot);
}

void
offline_test_assert_not_stored (OfflineTestManager *f,
                                const char         *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = offline_test_get_entry (f, id, &error);

  g_assert_null (entry);
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND);
}

void
offline_test_iterate_for (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct {
  OfflineTestManager *f;
  char *want;                   /* "id:change", as logged */
  guint n;
} WantedState;

static gboolean
state_seen (gpointer data)
{
  WantedState *wanted = data;
  guint seen = 0;

  for (guint i = 0; i < wanted->f->states->len; i++)
    seen += g_str_equal (g_ptr_array_index (wanted->f->states, i), wanted->want);
  return seen >= wanted->n;
}

void
offline_test_wait_state_n (OfflineTestManager *f,
                           const char         *id,
                           const char         *change,
                           guint               n)
{
  g_autofree char *want = g_strdup_printf ("%.20s:%s", id, change);
  WantedState wanted = { f, want, n };

  offline_test_iterate_until (state_seen, &wanted);
}

/* Iterates until @id logged the state change @change ("downloading>…"). */
void
offline_test_wait_state (OfflineTestManager *f,
                         const char         *id,
                         const char         *change)
{
  offline_test_wait_state_n (f, id, change, 1);
}

void
offline_test_register (OfflineTestManager *f,
                       const char         *id,
                       const char         *path)
{
  g_autofree char *url = offline_test_server_get_url (f->server, path);

  offline_url_provider_add (f->provider, id, url, "Name", "Description", NULL);
}

void
offline_test_start_download (OfflineTestManager      *f,
                             const char              *id,
                             OfflineDownloadOptions  *options,
                             GAsyncResult           **slot)
{
  offline_manager_download_async (f->manager, id, options, NULL, offline_test_result_cb, slot);
}

gboolean
offline_test_download (OfflineTestManager      *f,
                       const char              *id,
                       OfflineDownloadOptions  *options,
                       GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  offline_test_start_download (f, id, options, &result);
  return offline_manager_download_finish (f->manager, offline_test_wait_result (&result), error);
}

gboolean
offline_test_resume (OfflineTestManager  *f,
                     const char          *id,
                     GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  offline_manager_resume_async (f->manager, id, NULL, offline_test_result_cb, &result);
  return offline_manager_resume_finish (f->manager, offline_test_wait_result (&result), error);
}

OfflineEntry *
offline_test_get_entry (OfflineTestManager  *f,
                        const char          *id,
                        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  offline_manager_get_downloaded_media_info_async (f->manager, id, NULL, offline_test_result_cb,
                                                   &result);
  return offline_manager_get_downloaded_media_info_finish (f->manager,
                                                           offline_test_wait_result (&result),
                                                           error);
}

static char *
resource_key (const char *uri,
              gint64      offset,
              gint64      length)
{
  if (offset < 0)
    return g_strdup_printf ("%s|whole", uri);
  return g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT, uri, offset, length);
}

/* Counts @key (owned) in @keys, a multiset; keys only once. */
static void
count_key (GHashTable *keys,
           char       *key,
           gboolean    once)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (keys, key));

  g_hash_table_insert (keys, key, GUINT_TO_POINTER (once ? 1 : n + 1));
}

static void
add_segment_keys (GHashTable     *keys,
                  OfflineSegment *segment)
{
  OfflineProtection *key = offline_segment_get_key (segment);

  if (offline_segment_has_range (segment))
    count_key (keys, resource_key (offline_segment_get_uri (segment),
                                   offline_segment_get_range_offset (segment),
                                   offline_segment_get_range_length (segment)), FALSE);
  else
    count_key (keys, resource_key (offline_segment_get_uri (segment), -1, -1), FALSE);
  if (key != NULL && offline_protection_get_key_uri (key) != NULL)
    count_key (keys, resource_key (offline_protection_get_key_uri (key), -1, -1), TRUE);
}

/* Takes one @key out of @keys; FALSE if there was none. */
static gboolean
uncount_key (GHashTable *keys,
             const char *key)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (keys, key));

  if (n == 0)
    return FALSE;
  if (n == 1)
    g_hash_table_remove (keys, key);
  else
    g_hash_table_insert (keys, g_strdup (key), GUINT_TO_POINTER (n - 1));
  return TRUE;
}

/* The fixture path of @uri, served by @f's server. */
static const char *
fixture_path (OfflineTestManager *f,
              const char         *uri)
{
  const char *base = offline_test_server_get_base_url (f->server);

  g_assert_true (g_str_has_prefix (uri, base));
  return uri + strlen (base);
}

/* The resources the tracks @options selects from @path have (a multiset:
 * periods may share files): parsed here, with the media playlists read
 * from the data directory. */
static GHashTable *
expected_resources (OfflineTestManager     *f,
                    const char             *path,
                    OfflineDownloadOptions *options)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *url = offline_test_server_get_url (f->server, path);
  g_autoptr(GBytes) data = offline_test_load (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation = offline_manifest_parse (data, url, NULL, &error);
  g_autoptr(OfflineTrackSelection) selection = NULL;
  GPtrArray *tracks;

  g_assert_no_error (error);
  selection = offline_track_selection_new (presentation, options);
  tracks = offline_track_selection_get_tracks (selection);
  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);
    GPtrArray *segments;

    if (offline_track_needs_playlist (track)) {
      const char *playlist = offline_track_get_playlist_uri (track);
      g_autoptr(GBytes) text = offline_test_load (fixture_path (f, playlist));

      offline_hls_parse_media_playlist (presentation, track, text, playlist, &error);
      g_assert_no_error (error);
    }
    if (offline_track_get_init_segment (track) != NULL)
      add_segment_keys (keys, offline_track_get_init_segment (track));
    segments = offline_track_get_segments (track);
    for (guint j = 0; j < segments->len; j++)
      add_segment_keys (keys, g_ptr_array_index (segments, j));
  }
  return keys;
}

/* Asserts that entry @id of @manager is completely stored, byte for byte,
 * with exactly the resources @options selects from the fixture @path, and
 * returns how many resources it has. */
guint
offline_test_assert_stored (OfflineTestManager     *f,
                            OfflineManager         *manager,
                            const char             *id,
                            const char             *path,
                            OfflineDownloadOptions *options)
{
  g_autoptr(GHashTable) expected = expected_resources (f, path, options);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) resources = offline_store_get_resources (manager->store, id, FALSE, &error);
  g_autofree char *prefix = g_strconcat (f->store_path, G_DIR_SEPARATOR_S, NULL);
  g_autofree char *part = NULL;
  guint64 total = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < resources->len; i++) {
    OfflineStoreResource *r = &g_array_index (resources, OfflineStoreResource, i);
    g_autofree char *key = resource_key (r->uri, r->range_offset, r->range_length);
    g_autofree char *file = offline_store_get_resource_path (manager->store, id, r->id, &error);
    g_autoptr(GBytes) source = offline_test_load (fixture_path (f, r->uri));
    g_autofree char *stored = NULL;
    gsize stored_length = 0, offset, length;

    g_assert_no_error (error);
    g_assert_true (uncount_key (expected, key));
    g_assert_true (r->done);
    g_assert_true (g_str_has_prefix (file, prefix));
    g_file_get_contents (file, &stored, &stored_length, &error);
    g_assert_no_error (error);
    offset = r->range_offset < 0 ? 0 : r->range_offset;
    length = r->range_length < 0 ? g_bytes_get_size (source) - offset : (gsize) r->range_length;
    g_assert_cmpuint (offset + length, <=, g_bytes_get_size (source));
    g_assert_cmpmem (stored, stored_length, (const char *) g_bytes_get_data (source, NULL) + offset,
                     length);
    g_assert_cmpuint (r->size, ==, stored_length);
    total += stored_length;
    g_clear_pointer (&part, g_free);
    part = g_strconcat (file, ".part", NULL);
    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpuint (g_hash_table_size (expected), ==, 0);
  {
    g_autoptr(OfflineEntry) entry = offline_store_get_entry (manager->store, id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_COMPLETED);
    g_assert_cmpuint (offline_entry_get_bytes_downloaded (entry), ==, total);
    g_assert_cmpuint (offline_entry_get_bytes_expected (entry), ==, total);
  }
  return resources->len;
}

/* Asserts that the progress reports ran up to a complete @total bytes,
 * never going back. */
void
offline_test_assert_progress (OfflineTestManager *f,
                              guint64             total)
{
  const OfflineTestProgress *last;

  g_assert_cmpuint (f->progress->len, >, 0);
  for (guint i = 1; i < f->progress->len; i++)
    g_assert_cmpuint (g_array_index (f->progress, OfflineTestProgress, i).downloaded, >=,
                      g_array_index (f->progress, OfflineTestProgress, i - 1).downloaded);
  last = &g_array_index (f->progress, OfflineTestProgress, f->progress->len - 1);
  g_assert_cmpuint (last->downloaded, ==, total);
  g_assert_cmpuint (last->expected, ==, total);
  g_assert_cmpuint (last->done, ==, last->total);
}

void
offline_test_assert_states (OfflineTestManager *f,
                            const char         *expected)
{
  g_autofree char *joined = NULL;

  g_ptr_array_add (f->states, NULL);
  joined = g_strjoinv (" ", (char **) f->states->pdata);
  g_ptr_array_remove_index (f->states, f->states->len - 1);
  g_assert_cmpstr (joined, ==, expected);
}

guint64
offline_test_stored_bytes (OfflineTestManager *f,
                           const char         *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = offline_test_get_entry (f, id, &error);

  g_assert_no_error (error);
  return offline_entry_get_bytes_downloaded (entry);
}

/* Downloads fixture @path as "e" with @options and checks all of it. */
void
offline_test_download_and_check (OfflineTestManager     *f,
                                 const char             *path,
                                 OfflineDownloadOptions *options)
{
  g_autoptr(GError) error = NULL;

  offline_test_register (f, "e", path);
  g_assert_true (offline_test_download (f, "e", options, &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, "e", path, options);
  offline_test_assert_states (f, "e:queued>downloading e:downloading>completed");
  offline_test_assert_progress (f, offline_test_stored_bytes (f, "e"));
  g_assert_cmpuint (f->errors->len, ==, 0);
}

void
offline_test_log_license_changed (OfflineManager *manager,
                                  const char     *entry_id,
                                  gint64          expiration,
                                  GString        *log)
{
  g_string_append_printf (log, "%s:%" G_GINT64_FORMAT " ", entry_id, expiration);
}
