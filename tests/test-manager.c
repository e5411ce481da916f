/* test-manager.c: OfflineManager against a real HTTP server on 127.0.0.1
 * and a real store in a temporary directory
 *
 * Every download is checked byte for byte (offline_test_assert_stored()):
 * each stored resource file must equal the bytes (or byte range) of the
 * fixture file it was fetched from, and the stored resources must be
 * exactly those of the tracks the same options select from the fixture.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "offline-entry-id-private.h"
#include "offline-store-fs-private.h"
#include "offline-test-fetch.h"
#include "offline-test-manager.h"

#define TEMPLATE "dash/template-number/manifest.mpd"

typedef void (*EntryAsync) (OfflineManager      *manager,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
/* Asserts that the operation @start / @finish on @id fails with @code. */
static void
assert_op_fails (OfflineTestManager *f,
                 EntryAsync          start,
                 OfflineTestFinish   finish,
                 const char         *id,
                 int                 code)
{
  g_autoptr(GAsyncResult) result = NULL;

  start (f->manager, id, NULL, offline_test_result_cb, &result);
  offline_test_finish_fails (f, finish, &result, code, NULL);
}

/* Resumes @id and asserts it ends stored as fixture @path with @options
 * selects. */
static void
resume_and_check (OfflineTestManager     *f,
                  const char             *id,
                  const char             *path,
                  OfflineDownloadOptions *options)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (offline_test_resume (f, id, &error));
  g_assert_no_error (error);
  offline_test_assert_stored (f, f->manager, id, path, options);
}

static void
test_download_fixture (OfflineTestManager *f,
                       gconstpointer       path)
{
  offline_test_download_and_check (f, path, NULL);
}

static void
test_aes128_key (OfflineTestManager *f,
                 gconstpointer       data)
{
  g_autoptr(GArray) resources = NULL;
  guint keys = 0;

  offline_test_download_and_check (f, "hls/aes128/master.m3u8", NULL);
  resources = offline_store_get_resources (f->manager->store, "e", FALSE, NULL);
  for (guint i = 0; i < resources->len; i++) {
    OfflineStoreResource *r = &g_array_index (resources, OfflineStoreResource, i);

    if (r->kind == OFFLINE_STORE_RESOURCE_KEY) {
      keys++;
      g_assert_true (g_str_has_suffix (r->uri, "/hls/aes128/key.bin"));
      g_assert_cmpuint (r->size, ==, 16);
    } else {
      g_assert_cmpint (r->key_id, !=, 0);
    }
  }
  g_assert_cmpuint (keys, ==, 1);
}

/* The tracks of entry "e" of @type: their languages (or bandwidths). */
static char *
track_summary (OfflineTestManager *f,
               OfflineTrackType    type)
{
  g_autoptr(OfflineEntry) entry = offline_test_get_entry (f, "e", NULL);
  g_autoptr(GString) summary = g_string_new (NULL);
  GPtrArray *tracks = offline_entry_get_tracks (entry);

  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);

    if (offline_track_get_track_type (track) != type)
      continue;
    if (type == OFFLINE_TRACK_TYPE_VIDEO)
      g_string_append_printf (summary, "%" G_GUINT64_FORMAT " ",
                              offline_track_get_bandwidth (track));
    else
      g_string_append_printf (summary, "%s ", offline_track_get_language (track));
  }
  return g_strchomp (g_string_free (g_steal_pointer (&summary), FALSE));
}

static void
test_selection_language (OfflineTestManager *f,
                         gconstpointer       path)
{
  g_autoptr(OfflineDownloadOptions) options = g_object_new (OFFLINE_TYPE_DOWNLOAD_OPTIONS,
                                                            "language", "es", NULL);
  g_autofree char *audio = NULL, *text = NULL;

  offline_test_download_and_check (f, path, options);
  audio = track_summary (f, OFFLINE_TRACK_TYPE_AUDIO);
  text = track_summary (f, OFFLINE_TRACK_TYPE_TEXT);
  g_assert_cmpstr (audio, ==, "es");
  g_assert_cmpstr (text, ==, "es");
}

static void
test_selection_bitrate (OfflineTestManager *f,
                        gconstpointer       data)
{
  g_autoptr(OfflineDownloadOptions) options = g_object_new (OFFLINE_TYPE_DOWNLOAD_OPTIONS,
                                                            "bitrate", (guint64) 140000, NULL);
  g_autofree char *video = NULL;

  offline_test_download_and_check (f, TEMPLATE, options);
  video = track_summary (f, OFFLINE_TRACK_TYPE_VIDEO);
  g_assert_cmpstr (video, ==, "150000");
}

static void
test_selection_defaults (OfflineTestManager *f,
                         gconstpointer       data)
{
  g_autofree char *video = NULL, *audio = NULL, *text = NULL;

  offline_test_download_and_check (f, TEMPLATE, NULL);
  video = track_summary (f, OFFLINE_TRACK_TYPE_VIDEO);
  audio = track_summary (f, OFFLINE_TRACK_TYPE_AUDIO);
  text = track_summary (f, OFFLINE_TRACK_TYPE_TEXT);
  g_assert_cmpstr (video, ==, "60000");
  g_assert_cmpstr (audio, ==, "en");
  g_assert_cmpstr (text, ==, "en es");
}

/* Starts downloading "e" slowly and pauses it mid-way. */
static void
download_then_pause (OfflineTestManager *f)
{
  g_autoptr(GAsyncResult) result = NULL, paused = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_register (f, "e", TEMPLATE);
  offline_test_server_set_latency (f->server, 300);
  offline_test_start_download (f, "e", NULL, &result);
  offline_test_wait_state (f, "e", "queued>downloading");
  offline_test_iterate_for (450);
  offline_manager_pause_async (f->manager, "e", NULL, offline_test_result_cb, &paused);
  offline_test_finish_ok (f, offline_manager_pause_finish, &paused);
  offline_test_finish_fails (f, offline_manager_download_finish, &result, OFFLINE_ERROR_CANCELLED,
                             "paused");

  entry = offline_test_get_entry (f, "e", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_PAUSED);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), <,
                    offline_entry_get_segments_total (entry));
  offline_test_assert_states (f, "e:queued>downloading e:downloading>paused");
  offline_test_server_set_latency (f->server, 0);
}

static void
test_pause_resume (OfflineTestManager *f,
                   gconstpointer       data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  guint done, total;

  download_then_pause (f);
  entry = offline_test_get_entry (f, "e", NULL);
  done = offline_entry_get_segments_done (entry);
  total = offline_entry_get_segments_total (entry);
  offline_test_server_reset_counters (f->server);
  /* Pausing a paused entry is fine. */
  offline_manager_pause_async (f->manager, "e", NULL, offline_test_result_cb, &result);
  offline_test_finish_ok (f, offline_manager_pause_finish, &result);

  resume_and_check (f, "e", TEMPLATE, NULL);
  offline_test_assert_states (f, "e:queued>downloading e:downloading>paused e:paused>queued "
                                 "e:queued>downloading e:downloading>completed");
  /* Only what was missing was fetched again. */
  g_assert_cmpuint (offline_test_server_get_request_count (f->server, NULL), ==, total - done);

  /* Completed: no more pausing or resuming. */
  assert_op_fails (f, offline_manager_pause_async, offline_manager_pause_finish, "e",
                   OFFLINE_ERROR_PAUSE_FAILED);
  g_assert_false (offline_test_resume (f, "e", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_RESUME_FAILED);
}

static void
test_resume_new_manager (OfflineTestManager *f,
                         gconstpointer       data)
{
  g_autoptr(GError) error = NULL;

  download_then_pause (f);
  offline_test_drop_manager (f);
  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  resume_and_check (f, "e", TEMPLATE, NULL);
}

static void
test_cancel_pauses (OfflineTestManager *f,
                    gconstpointer       data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OfflineEntry) entry = NULL;

  offline_test_register (f, "e", TEMPLATE);
  offline_test_server_set_latency (f->server, 300);
  offline_manager_download_async (f->manager, "e", NULL, cancellable, offline_test_result_cb,
                                  &result);
  offline_test_wait_state (f, "e", "queued>downloading");
  g_cancellable_cancel (cancellable);
  offline_test_finish_fails (f, offline_manager_download_finish, &result, OFFLINE_ERROR_CANCELLED,
                             NULL);
  entry = offline_test_get_entry (f, "e", NULL);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_PAUSED);

  /* Cancelled before it is stored: nothing is. */
  offline_test_register (f, "early", TEMPLATE);
  offline_manager_download_async (f->manager, "early", NULL, cancellable, offline_test_result_cb,
                                  &result);
  offline_test_finish_fails (f, offline_manager_download_finish, &result, OFFLINE_ERROR_CANCELLED,
                             NULL);
  offline_test_assert_not_stored (f, "early");
}

static void
test_auto_resume (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(GError) error = NULL;

  download_then_pause (f);
  offline_test_drop_manager (f);
  /* As a crash leaves it: still DOWNLOADING in the store. */
  store = offline_store_open (f->store_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (offline_store_set_state (store, "e", OFFLINE_DOWNLOAD_STATE_DOWNLOADING, NULL,
                                          &error));
  g_clear_object (&store);

  f->manager = offline_test_manager_new (f, TRUE, &error);
  g_assert_no_error (error);
  offline_test_wait_state (f, "e", "downloading>completed");
  offline_test_assert_stored (f, f->manager, "e", TEMPLATE, NULL);
  offline_test_assert_states (f, "e:queued>downloading e:downloading>paused e:paused>queued "
                                 "e:queued>downloading e:downloading>completed");
}

/* Asserts that every resource of @id the index counts as stored is on disk
 * with its size: nothing the index holds was lost. Returns how many. */
static guint
assert_done_on_disk (OfflineTestManager *f,
                     const char         *id)
{
  g_autoptr(GArray) resources = offline_store_get_resources (f->manager->store, id, FALSE, NULL);
  guint done = 0;

  g_assert_nonnull (resources);
  for (guint i = 0; i < resources->len; i++) {
    OfflineStoreResource *r = &g_array_index (resources, OfflineStoreResource, i);
    g_autofree char *path = NULL;
    GStatBuf st;

    if (!r->done)
      continue;
    path = offline_store_get_resource_path (f->manager->store, id, r->id, NULL);
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpuint (st.st_size, ==, r->size);
    done++;
  }
  return done;
}

static void
test_out_of_space (OfflineTestManager *f,
                   gconstpointer       data)
{
  g_autoptr(OfflineDownloadOptions) options = g_object_new (OFFLINE_TYPE_DOWNLOAD_OPTIONS,
                                                            "bitrate", (guint64) 150000, NULL);
  g_autofree char *mount_point = g_build_filename (f->tmp_dir, "small", NULL);
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  /* A store on a tmpfs with room for its space reserve and the index, and
   * 128 KiB more: too little for the media (~170 KB). */
  offline_test_drop_manager (f);
  g_assert_cmpint (g_mkdir (mount_point, 0700), ==, 0);
  if (!offline_test_mount_tmpfs (mount_point, OFFLINE_STORE_RESERVE_SIZE + 128 * 1024)) {
    g_test_skip ("cannot mount a small tmpfs (needs root): ENOSPC not tested");
    return;
  }
  f->mount_point = g_strdup (mount_point);
  g_free (f->store_path);
  f->store_path = g_build_filename (mount_point, "store", NULL);
  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);

  offline_test_register (f, "e", TEMPLATE);
  g_assert_false (offline_test_download (f, "e", options, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_OUT_OF_SPACE);
  g_assert_cmpuint (f->errors->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->errors, 0), OFFLINE_ERROR,
                  OFFLINE_ERROR_OUT_OF_SPACE);
  g_clear_error (&error);
  offline_test_assert_states (f, "e:queued>downloading e:downloading>paused");

  /* PAUSED is in the index, recorded on the full disk, and what it counts
   * as stored is there. */
  entry = offline_test_get_entry (f, "e", &error);
  g_assert_no_error (error);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_PAUSED);
  g_assert_cmpuint (offline_entry_get_segments_done (entry), <,
                    offline_entry_get_segments_total (entry));
  g_assert_cmpuint (assert_done_on_disk (f, "e"), ==, offline_entry_get_segments_done (entry));

  /* Reopened, still on the full disk: nothing to recover, nothing lost. */
  offline_test_drop_manager (f);
  store = offline_store_open (f->store_path, recovered, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recovered->len, ==, 0);
  g_clear_object (&store);
  f->manager = offline_test_manager_new (f, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_done_on_disk (f, "e"), ==, offline_entry_get_segments_done (entry));

  /* Space is free again: resume ends byte-identical. */
  offline_test_remount_tmpfs (mount_point, 16 * 1024 * 1024);
  resume_and_check (f, "e", TEMPLATE, options);
}

static void
test_stop_while_preparing (OfflineTestManager *f,
                           gconstpointer       data)
{
  g_autoptr(GAsyncResult) result = NULL, stopped = NULL;

  /* Paused before it is stored: it is stored PAUSED, and resumes. */
  offline_test_register (f, "e", TEMPLATE);
  offline_test_server_set_latency (f->server, 200);
  offline_test_start_download (f, "e", NULL, &result);
  offline_manager_pause_async (f->manager, "e", NULL, offline_test_result_cb, &stopped);
  offline_test_finish_ok (f, offline_manager_pause_finish, &stopped);
  offline_test_finish_fails (f, offline_manager_download_finish, &result, OFFLINE_ERROR_CANCELLED,
                             NULL);
  offline_test_assert_states (f, "e:queued>paused");
  offline_test_server_set_latency (f->server, 0);
  resume_and_check (f, "e", TEMPLATE, NULL);

  /* Removed before it is stored: nothing is. */
  offline_test_register (f, "r", TEMPLATE);
  offline_test_server_set_latency (f->server, 200);
  offline_test_start_download (f, "r", NULL, &result);
  offline_manager_remove_async (f->manager, "r", NULL, offline_test_result_cb, &stopped);
  offline_test_finish_ok (f, offline_manager_remove_finish, &stopped);
  offline_test_finish_fails (f, offline_manager_download_finish, &result, OFFLINE_ERROR_CANCELLED,
                             NULL);
  offline_test_assert_not_stored (f, "r");
}

static void
test_store_locked (OfflineTestManager *f,
                   gconstpointer       data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *holder = g_strdup_printf ("process %d (", (int) getpid ());
  g_autoptr(OfflineManager) second = offline_test_manager_new (f, FALSE, &error);

  /* A second manager reads the store the first one holds… */
  g_assert_no_error (error);
  g_assert_nonnull (second->remote);
  offline_test_download_and_check (f, TEMPLATE, NULL);
  offline_manager_get_all_downloads_async (second, NULL, offline_test_result_cb, &result);
  entries = offline_manager_get_all_downloads_finish (second, offline_test_wait_result (&result),
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_clear_object (&result);

  /* … and, with no bus to reach the holder on (the tests have none), its
   * changes fail naming the holder. */
  offline_manager_remove_async (second, "e", NULL, offline_test_result_cb, &result);
  g_assert_false (offline_manager_remove_finish (second, offline_test_wait_result (&result),
                                                 &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE_LOCKED);
  g_assert_nonnull (strstr (error->message, holder));
  g_assert_nonnull (strstr (error->message, "wait for it to finish or stop it"));
  offline_test_assert_stored (f, f->manager, "e", TEMPLATE, NULL);
}

static void
test_remove_during_download (OfflineTestManager *f,
                             gconstpointer       data)
{
  g_autoptr(GAsyncResult) result = NULL, removed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) resources = NULL;
  g_autofree char *file = NULL, *dir = NULL;

  offline_test_register (f, "e", TEMPLATE);
  offline_test_server_set_latency (f->server, 300);
  offline_test_start_download (f, "e", NULL, &result);
  offline_test_wait_state (f, "e", "queued>downloading");
  offline_test_iterate_for (450);
  resources = offline_store_get_resources (f->manager->store, "e", FALSE, &error);
  g_assert_no_error (error);
  file = offline_store_get_resource_path (f->manager->store, "e",
                                          g_array_index (resources, OfflineStoreResource, 0).id,
                                          &error);
  g_assert_no_error (error);
  dir = g_path_get_dirname (file);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  offline_manager_remove_async (f->manager, "e", NULL, offline_test_result_cb, &removed);
  offline_test_finish_ok (f, offline_manager_remove_finish, &removed);
  offline_test_finish_fails (f, offline_manager_download_finish, &result, OFFLINE_ERROR_CANCELLED,
                             "removed");
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  offline_test_assert_not_stored (f, "e");
}

typedef enum {
  FAULT_5XX,
  FAULT_RESET,
  FAULT_TRUNCATED,
  FAULT_IGNORE_RANGE,
  FAULT_LATENCY,
} Fault;

static void
test_fault (OfflineTestManager *f,
            gconstpointer       data)
{
  Fault fault = GPOINTER_TO_INT (data);
  const char *path = "hls/byterange/master.m3u8";
  guint n_resources;

  switch (fault) {
  case FAULT_5XX:
    offline_test_server_fail_next (f->server, NULL, 4, 503, NULL);
    break;
  case FAULT_RESET:
    offline_test_server_reset_next (f->server, NULL, 4, 1000);
    break;
  case FAULT_TRUNCATED:
    offline_test_server_truncate_next (f->server, NULL, 4, 1000);
    break;
  case FAULT_IGNORE_RANGE:
    /* Cut-off bodies are resumed with Range requests the server ignores. */
    offline_test_server_set_ignore_range (f->server, TRUE);
    offline_test_server_truncate_next (f->server, "hls/byterange/stream.ts", 2, 30000);
    break;
  case FAULT_LATENCY:
    offline_test_server_set_latency (f->server, 100);
    path = TEMPLATE;
    break;
  default:
    g_assert_not_reached ();
  }
  offline_test_download_and_check (f, path, NULL);

  /* The faults really happened, and were retried. */
  n_resources = f->progress->len ? g_array_index (f->progress, OfflineTestProgress,
                                                  f->progress->len - 1).total : 0;
  if (fault == FAULT_IGNORE_RANGE)
    g_assert_cmpuint (offline_test_server_get_request_count (f->server, "hls/byterange/stream.ts"),
                      >=, 3 + 2);
  else if (fault != FAULT_LATENCY)
    g_assert_cmpuint (offline_test_server_get_request_count (f->server, NULL), >=, n_resources + 4);
}

static void
test_not_found_segment (OfflineTestManager *f,
                        gconstpointer       data)
{
  const char *segment = "dash/template-number/chunk-stream1-00002.m4s";
  g_autofree char *url = offline_test_server_get_url (f->server, segment);
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  const GError *signalled;

  offline_test_register (f, "e", TEMPLATE);
  offline_test_server_set_path_status (f->server, segment, 404);
  g_assert_false (offline_test_download (f, "e", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "404"));
  g_assert_cmpuint (f->errors->len, ==, 1);
  signalled = g_ptr_array_index (f->errors, 0);
  g_assert_error (signalled, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED);
  g_assert_cmpstr (signalled->message, ==, error->message);
  offline_test_assert_states (f, "e:queued>downloading e:downloading>failed");
  entry = offline_test_get_entry (f, "e", NULL);
  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_FAILED);
  g_assert_cmpstr (offline_entry_get_failure_message (entry), ==, error->message);
  g_clear_error (&error);

  /* Once the server has it, resume completes the failed entry. */
  offline_test_server_set_path_status (f->server, segment, 0);
  resume_and_check (f, "e", TEMPLATE, NULL);
}

static void
test_already_exists_and_not_found (OfflineTestManager *f,
                                   gconstpointer       data)
{
  g_autoptr(GError) error = NULL;

  offline_test_register (f, "e", TEMPLATE);
  g_assert_true (offline_test_download (f, "e", NULL, &error));
  g_assert_false (offline_test_download (f, "e", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ALREADY_EXISTS);
  g_clear_error (&error);

  g_assert_false (offline_test_download (f, "unknown", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Only http(s) is fetched: nothing is stored for a file:// manifest. */
  offline_url_provider_add (f->provider, "local", "file:///etc/passwd", NULL, NULL, NULL);
  g_assert_false (offline_test_download (f, "local", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI);
  g_clear_error (&error);
  offline_test_assert_not_stored (f, "local");
  offline_test_assert_not_stored (f, "unknown");
  g_assert_false (offline_test_resume (f, "unknown", &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assert_op_fails (f, offline_manager_renew_license_async, offline_manager_renew_license_finish,
                   "e", OFFLINE_ERROR_NOT_SUPPORTED);
  assert_op_fails (f, offline_manager_renew_license_async, offline_manager_renew_license_finish,
                   "unknown", OFFLINE_ERROR_NOT_FOUND);
  assert_op_fails (f, offline_manager_pause_async, offline_manager_pause_finish, "unknown",
                   OFFLINE_ERROR_NOT_FOUND);
  assert_op_fails (f, offline_manager_remove_async, offline_manager_remove_finish, "unknown",
                   OFFLINE_ERROR_NOT_FOUND);
}

/* Bytes and segments agree in every report: below 100 % while segments
 * remain, exact at the end. An HLS media playlist on its own has no
 * BANDWIDTH to estimate the size from, and its segments are cut off once
 * after 1000 bytes (then retried after a second or more), so reports are
 * sent while every segment has bytes and none is done. */
static void
test_progress_agrees (OfflineTestManager *f,
                      gconstpointer       data)
{
  const char *path = "hls/muxed/stream_320x180.m3u8";
  const char *segments[] = {
    "hls/muxed/stream_320x180_000.ts", "hls/muxed/stream_320x180_001.ts",
    "hls/muxed/stream_320x180_002.ts",
  };
  gboolean seen_partial = FALSE;

  g_object_set (f->manager, "retry-delay", 2000, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    offline_test_server_truncate_next (f->server, segments[i], 1, 1000);
  offline_test_download_and_check (f, path, NULL);

  for (guint i = 0; i < f->progress->len; i++) {
    const OfflineTestProgress *p = &g_array_index (f->progress, OfflineTestProgress, i);

    g_test_message ("progress %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " bytes, %u/%u",
                    p->downloaded, p->expected, p->done, p->total);
    g_assert_cmpuint (p->total, ==, G_N_ELEMENTS (segments));
    if (p->done < p->total)
      g_assert_cmpuint (p->downloaded, <, p->expected);
    else
      g_assert_cmpuint (p->downloaded, ==, p->expected);
    if (p->done == 0 && p->downloaded > 0)
      seen_partial = TRUE;
  }
  /* the case this is about did happen */
  g_assert_true (seen_partial);
}

static void
test_progress_rate (OfflineTestManager *f,
                    gconstpointer       data)
{
  offline_test_server_set_latency (f->server, 200);
  g_object_set (f->manager, "max-parallel-segments", 2, NULL);
  offline_test_download_and_check (f, TEMPLATE, NULL);
  /* ≥ 5 rounds of 200 ms: several reports, which the job keeps ≥ 245 ms
   * apart (but the final one) when it sends them; the handler reads the
   * clock a little later, by up to 45 ms on a loaded machine. */
  g_assert_cmpuint (f->progress->len, >=, 3);
  for (guint i = 1; i + 1 < f->progress->len; i++)
    g_assert_cmpint (g_array_index (f->progress, OfflineTestProgress, i).time -
                     g_array_index (f->progress, OfflineTestProgress, i - 1).time, >=, 200 * 1000);
}

/* Iterates until entry @id is stored. */
static void
wait_stored (OfflineTestManager *f,
             const char         *id)
{
  OfflineEntry *entry;

  while ((entry = offline_store_get_entry (f->manager->store, id, NULL)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (entry);
}

static void
test_max_parallel_downloads (OfflineTestManager *f,
                             gconstpointer       data)
{
  g_autoptr(GAsyncResult) first = NULL, second = NULL, third = NULL, paused = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (f->manager, "max-parallel-downloads", 1, NULL);
  offline_test_register (f, "a", TEMPLATE);
  offline_test_register (f, "b", "hls/fmp4/master.m3u8");
  offline_test_register (f, "c", TEMPLATE);
  offline_test_server_set_latency (f->server, 100);
  offline_test_start_download (f, "a", NULL, &first);
  offline_test_start_download (f, "b", NULL, &second);
  offline_test_start_download (f, "c", NULL, &third);

  /* Paused while it waits for a slot. */
  wait_stored (f, "c");
  offline_manager_pause_async (f->manager, "c", NULL, offline_test_result_cb, &paused);
  offline_test_finish_ok (f, offline_manager_pause_finish, &paused);
  offline_test_finish_fails (f, offline_manager_download_finish, &third, OFFLINE_ERROR_CANCELLED,
                             NULL);

  offline_test_finish_ok (f, offline_manager_download_finish, &first);
  offline_test_finish_ok (f, offline_manager_download_finish, &second);
  offline_test_assert_states (f, "a:queued>downloading c:queued>paused a:downloading>completed "
                                 "b:queued>downloading b:downloading>completed");
  offline_test_assert_stored (f, f->manager, "a", TEMPLATE, NULL);
  offline_test_assert_stored (f, f->manager, "b", "hls/fmp4/master.m3u8", NULL);
}

static void
test_hostile_ids (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *huge = g_strnfill (10 * 1024, '/');
  g_autofree char *longest = NULL;
  const char *ids[] = { "../x", "/etc/passwd", "a/../../b", "%2e%2e/%2e%2e/x", "..\\..\\x",
                        "entries/../../outside", NULL };
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) huge_error = NULL;

  for (guint j = 0; j < 10 * 1024; j += 3)
    memcpy (huge + j, "../", MIN (3, 10 * 1024 - j));
  /* the longest id allowed (255 bytes) is stored, a longer one refused */
  longest = g_strndup (huge, 255);
  ids[G_N_ELEMENTS (ids) - 1] = longest;
  offline_test_register (f, huge, TEMPLATE);
  g_assert_false (offline_test_download (f, huge, NULL, &huge_error));
  g_assert_error (huge_error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(OfflineEntry) entry = NULL;

    offline_test_register (f, ids[i], TEMPLATE);
    g_assert_true (offline_test_download (f, ids[i], NULL, &error));
    g_assert_no_error (error);
    offline_test_assert_stored (f, f->manager, ids[i], TEMPLATE, NULL);
    entry = offline_test_get_entry (f, ids[i], &error);
    g_assert_cmpstr (offline_entry_get_id (entry), ==, ids[i]);
  }
  /* Nothing but the store in its parent directory. */
  dir = g_dir_open (f->tmp_dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "store");
  g_assert_null (g_dir_read_name (dir));
}

/* Ids that cannot be ids, as only C can pass them (NULL, bytes that are
 * not UTF-8) and as any language can: every method taking an id fails
 * with OFFLINE_ERROR_INVALID_ARGUMENT (no CRITICAL: they are fatal here),
 * the provider is not asked, nothing is stored. */
static void
test_invalid_ids (OfflineTestManager *f,
                  gconstpointer       data)
{
  g_autofree char *too_long = g_strnfill (OFFLINE_ENTRY_ID_MAX_LENGTH + 1, 'x');
  const char *ids[] = { NULL, "", too_long, "a\xff", "\xe2\x82" };
  const int code = OFFLINE_ERROR_INVALID_ARGUMENT;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(OfflineMediaInfo) info = NULL;

    if (ids[i] != NULL)
      offline_test_register (f, ids[i], TEMPLATE);
    g_assert_false (offline_test_download (f, ids[i], NULL, &error));
    g_assert_error (error, OFFLINE_ERROR, code);
    g_clear_error (&error);
    g_assert_false (offline_test_resume (f, ids[i], &error));
    g_assert_error (error, OFFLINE_ERROR, code);
    g_clear_error (&error);
    assert_op_fails (f, offline_manager_pause_async, offline_manager_pause_finish, ids[i], code);
    assert_op_fails (f, offline_manager_remove_async, offline_manager_remove_finish, ids[i], code);
    assert_op_fails (f, offline_manager_renew_license_async, offline_manager_renew_license_finish,
                     ids[i], code);
    offline_manager_get_downloaded_media_info_async (f->manager, ids[i], NULL,
                                                     offline_test_result_cb, &result);
    g_assert_null (offline_manager_get_downloaded_media_info_finish (
      f->manager, offline_test_wait_result (&result), &error));
    g_assert_error (error, OFFLINE_ERROR, code);
    g_clear_error (&error);
    g_clear_object (&result);
    offline_manager_get_media_info_async (f->manager, ids[i], NULL, offline_test_result_cb,
                                          &result);
    g_assert_null (offline_manager_get_media_info_finish (f->manager,
                                                          offline_test_wait_result (&result),
                                                          &error));
    g_assert_error (error, OFFLINE_ERROR, code);
    g_clear_error (&error);
    info = offline_provider_get_media_info (OFFLINE_PROVIDER (f->provider), ids[i], NULL, &error);
    g_assert_null (info);
    g_assert_error (error, OFFLINE_ERROR, code);
    g_assert_false (offline_url_provider_remove (f->provider, ids[i]));
  }
  g_assert_cmpuint (f->states->len, ==, 0);
  g_assert_cmpuint (f->progress->len, ==, 0);
}

static void
test_pause_all_remove_all (OfflineTestManager *f,
                           gconstpointer       data)
{
  g_autoptr(GAsyncResult) a = NULL, b = NULL, all = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  offline_test_register (f, "a", TEMPLATE);
  offline_test_register (f, "b", TEMPLATE);
  offline_test_server_set_latency (f->server, 300);
  offline_test_start_download (f, "a", NULL, &a);
  offline_test_start_download (f, "b", NULL, &b);
  offline_test_wait_state (f, "b", "queued>downloading");
  offline_manager_pause_all_async (f->manager, NULL, offline_test_result_cb, &all);
  offline_test_finish_ok (f, offline_manager_pause_all_finish, &all);
  offline_test_finish_fails (f, offline_manager_download_finish, &a, OFFLINE_ERROR_CANCELLED, NULL);
  offline_test_finish_fails (f, offline_manager_download_finish, &b, OFFLINE_ERROR_CANCELLED, NULL);

  offline_test_server_set_latency (f->server, 0);
  g_clear_object (&all);
  offline_manager_resume_all_async (f->manager, NULL, offline_test_result_cb, &all);
  offline_test_finish_ok (f, offline_manager_resume_all_finish, &all);
  offline_test_wait_state (f, "a", "downloading>completed");
  offline_test_wait_state (f, "b", "downloading>completed");
  offline_test_assert_stored (f, f->manager, "a", TEMPLATE, NULL);
  offline_test_assert_stored (f, f->manager, "b", TEMPLATE, NULL);

  g_clear_object (&all);
  offline_manager_remove_all_async (f->manager, NULL, offline_test_result_cb, &all);
  offline_test_finish_ok (f, offline_manager_remove_all_finish, &all);
  g_clear_object (&all);
  offline_manager_get_all_downloads_async (f->manager, NULL, offline_test_result_cb, &all);
  entries = offline_manager_get_all_downloads_finish (f->manager, offline_test_wait_result (&all),
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
}

/* Collects the contents of every regular file below @dir into @contents;
 * fails the test on a file outside @store. */
static void
collect_files (const char *dir,
               const char *store,
               GPtrArray  *contents)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    char *data = NULL;
    gsize size = 0;

    if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
      collect_files (path, store, contents);
      continue;
    }
    g_assert_true (g_str_has_prefix (path, store));
    g_assert_true (g_file_get_contents (path, &data, &size, NULL));
    g_ptr_array_add (contents, g_bytes_new_take (data, size));
  }
}

/* Segment URLs with "../" and absolute paths are URLs, never file paths:
 * they are fetched from the server and stored under the store's own names. */
static void
test_hostile_urls (OfflineTestManager *f,
                   gconstpointer       data)
{
  static const char playlist[] =
    "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    "#EXTINF:2.0,\n../../../../../../hls/muxed/stream_160x90_000.ts\n"
    "#EXTINF:2.0,\n/hls/muxed/stream_160x90_001.ts\n#EXT-X-ENDLIST\n";
  static const char file_playlist[] =
    "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    "#EXTINF:2.0,\nfile:///etc/hostname\n#EXT-X-ENDLIST\n";
  static const char *served[] = { "hls/muxed/stream_160x90_000.ts", "hls/muxed/stream_160x90_001.ts" };
  g_autoptr(GBytes) bytes = g_bytes_new_static (playlist, sizeof playlist - 1);
  g_autoptr(GBytes) file_bytes = g_bytes_new_static (file_playlist, sizeof file_playlist - 1);
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  guint found = 0;

  offline_test_server_add_content (f->server, "a/b/hostile.m3u8", bytes, NULL);
  offline_test_server_add_content (f->server, "a/b/file.m3u8", file_bytes, NULL);
  offline_test_register (f, "hostile", "a/b/hostile.m3u8");
  offline_test_register (f, "file", "a/b/file.m3u8");

  g_assert_true (offline_test_download (f, "hostile", NULL, &error));
  g_assert_no_error (error);
  collect_files (f->tmp_dir, f->store_path, contents);
  for (gsize i = 0; i < G_N_ELEMENTS (served); i++) {
    g_autoptr(GBytes) expected = offline_test_load (served[i]);

    for (guint j = 0; j < contents->len; j++)
      found += g_bytes_equal (expected, g_ptr_array_index (contents, j));
  }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (served));

  g_assert_false (offline_test_download (f, "file", NULL, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID);
  offline_test_assert_not_stored (f, "file");
}

static void
add (const char    *name,
     gconstpointer  data,
     void         (*test) (OfflineTestManager *, gconstpointer))
{
  g_test_add (name, OfflineTestManager, data, offline_test_manager_setup, test,
              offline_test_manager_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add ("/manager/download/dash/template-number", TEMPLATE, test_download_fixture);
  add ("/manager/download/dash/segment-base", "dash/segment-base/manifest.mpd",
       test_download_fixture);
  add ("/manager/download/dash/multi-period", "dash/multi-period/manifest.mpd",
       test_download_fixture);
  add ("/manager/download/hls/ts-alt-audio", "hls/ts-alt-audio/master.m3u8",
       test_download_fixture);
  add ("/manager/download/hls/fmp4", "hls/fmp4/master.m3u8", test_download_fixture);
  add ("/manager/download/hls/byterange", "hls/byterange/master.m3u8", test_download_fixture);
  add ("/manager/download/hls/muxed", "hls/muxed/master.m3u8", test_download_fixture);
  add ("/manager/download/hls/aes128", NULL, test_aes128_key);
  add ("/manager/selection/language/dash", TEMPLATE, test_selection_language);
  add ("/manager/selection/language/hls", "hls/ts-alt-audio/master.m3u8", test_selection_language);
  add ("/manager/selection/bitrate", NULL, test_selection_bitrate);
  add ("/manager/selection/defaults", NULL, test_selection_defaults);
  add ("/manager/pause-resume", NULL, test_pause_resume);
  add ("/manager/resume-in-new-manager", NULL, test_resume_new_manager);
  add ("/manager/store-locked", NULL, test_store_locked);
  add ("/manager/cancel-pauses", NULL, test_cancel_pauses);
  add ("/manager/auto-resume", NULL, test_auto_resume);
  add ("/manager/out-of-space", NULL, test_out_of_space);
  add ("/manager/stop-while-preparing", NULL, test_stop_while_preparing);
  add ("/manager/remove-during-download", NULL, test_remove_during_download);
  add ("/manager/fault/5xx", GINT_TO_POINTER (FAULT_5XX), test_fault);
  add ("/manager/fault/reset", GINT_TO_POINTER (FAULT_RESET), test_fault);
  add ("/manager/fault/truncated", GINT_TO_POINTER (FAULT_TRUNCATED), test_fault);
  add ("/manager/fault/ignore-range", GINT_TO_POINTER (FAULT_IGNORE_RANGE), test_fault);
  add ("/manager/fault/latency", GINT_TO_POINTER (FAULT_LATENCY), test_fault);
  add ("/manager/fault/404", NULL, test_not_found_segment);
  add ("/manager/errors", NULL, test_already_exists_and_not_found);
  add ("/manager/progress-rate", NULL, test_progress_rate);
  add ("/manager/progress-agrees", NULL, test_progress_agrees);
  add ("/manager/invalid-ids", NULL, test_invalid_ids);
  add ("/manager/max-parallel-downloads", NULL, test_max_parallel_downloads);
  add ("/manager/hostile-ids", NULL, test_hostile_ids);
  add ("/manager/hostile-urls", NULL, test_hostile_urls);
  add ("/manager/pause-all-resume-all-remove-all", NULL, test_pause_all_remove_all);

  return g_test_run ();
}
