/* offline-test-manager.h: a manager on a real store and a real HTTP server
 * for the tests, and the checks of what it stored
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-manager-private.h"
#include "offline-test-server.h"
#include "offline-test-utils.h"

G_BEGIN_DECLS

/* One ::progress emission. */
typedef struct {
  gint64 time;                  /* monotonic µs */
  guint64 downloaded;
  guint64 expected;
  guint done;
  guint total;
} OfflineTestProgress;

/* The fixture of a manager test (g_test_add() with
 * offline_test_manager_setup() and offline_test_manager_teardown()). */
typedef struct {
  OfflineTestServer *server;    /* serves tests/data */
  char *tmp_dir;                /* a fresh temporary directory… */
  char *store_path;             /* … and the store in it, "store" */
  OfflineUrlProvider *provider;
  OfflineManager *manager;      /* on store_path, logging its signals below */
  GPtrArray *states;            /* (element-type utf8) "id:old>new" (ids cut to 20 bytes) */
  GArray *progress;             /* (element-type OfflineTestProgress) of every entry */
  GPtrArray *errors;            /* (element-type GError) from ::error */
  char *mount_point;            /* (nullable) a tmpfs to unmount at teardown */
} OfflineTestManager;

void offline_test_manager_setup (OfflineTestManager *f,
                                 gconstpointer       data);
void offline_test_manager_teardown (OfflineTestManager *f,
                                    gconstpointer       data);

/* A manager on @f's store and provider, with short retry delays, whose
 * signals are logged in @f. */
OfflineManager *offline_test_manager_new (OfflineTestManager  *f,
                                          gboolean             auto_resume,
                                          GError             **error);

/* Logs the signals of @manager in @f (states, progress, errors). */
void offline_test_manager_log_signals (OfflineTestManager *f,
                                       OfflineManager     *manager);

/* Drops @f's manager and asserts it is finalized (its store closed). */
void offline_test_drop_manager (OfflineTestManager *f);

/* A GAsyncReadyCallback storing a reference to the result in the
 * (GAsyncResult **) @user_data. */
void offline_test_result_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

/* Iterates the default main context until @done (@data) is TRUE (aborts
 * after a minute). */
typedef gboolean (*OfflineTestCondition) (gpointer data);
void offline_test_iterate_until (OfflineTestCondition done,
                                 gpointer             data);

/* Iterates the default main context until *@slot is set (aborts after a
 * minute). */
GAsyncResult *offline_test_wait_result (GAsyncResult **slot);

/* A boolean _finish method of OfflineManager. */
typedef gboolean (*OfflineTestFinish) (OfflineManager  *manager,
                                       GAsyncResult    *result,
                                       GError         **error);

/* Waits for the result in *@slot, asserts that @finish succeeds with it,
 * and clears *@slot. */
void offline_test_finish_ok (OfflineTestManager  *f,
                             OfflineTestFinish    finish,
                             GAsyncResult       **slot);

/* Waits for the result in *@slot, asserts that @finish fails with the
 * OFFLINE_ERROR @code (and a message containing @message unless NULL), and
 * clears *@slot. */
void offline_test_finish_fails (OfflineTestManager  *f,
                                OfflineTestFinish    finish,
                                GAsyncResult       **slot,
                                int                  code,
                                const char          *message);

/* Asserts that no entry @id is stored. */
void offline_test_assert_not_stored (OfflineTestManager *f,
                                     const char         *id);

void offline_test_iterate_for (guint milliseconds);

/* Iterates until entry @id logged @change ("queued>downloading"), or
 * logged it @n times. */
void offline_test_wait_state (OfflineTestManager *f,
                              const char         *id,
                              const char         *change);
void offline_test_wait_state_n (OfflineTestManager *f,
                                const char         *id,
                                const char         *change,
                                guint               n);

/* Registers @id with the provider for fixture @path on @f's server. */
void offline_test_register (OfflineTestManager *f,
                            const char         *id,
                            const char         *path);

void offline_test_start_download (OfflineTestManager      *f,
                                  const char              *id,
                                  OfflineDownloadOptions  *options,
                                  GAsyncResult           **slot);

/* The blocking forms of the manager's download, resume and
 * get_downloaded_media_info. */
gboolean offline_test_download (OfflineTestManager      *f,
                                const char              *id,
                                OfflineDownloadOptions  *options,
                                GError                 **error);
gboolean offline_test_resume (OfflineTestManager  *f,
                              const char          *id,
                              GError             **error);
OfflineEntry *offline_test_get_entry (OfflineTestManager  *f,
                                      const char          *id,
                                      GError             **error);

/* Asserts that entry @id of @manager is completely stored, byte for byte,
 * with exactly the resources that @options selects from the fixture @path
 * (a media file, a byte range of one, or a key each), no .part file left,
 * and its sizes right. Returns how many resources it has. */
guint offline_test_assert_stored (OfflineTestManager     *f,
                                  OfflineManager         *manager,
                                  const char             *id,
                                  const char             *path,
                                  OfflineDownloadOptions *options);

/* Asserts that the progress reports never went back and ended complete at
 * @total bytes. */
void offline_test_assert_progress (OfflineTestManager *f,
                                   guint64             total);

/* Asserts the logged state changes, joined by spaces. */
void offline_test_assert_states (OfflineTestManager *f,
                                 const char         *expected);

/* The entry's bytes downloaded. */
guint64 offline_test_stored_bytes (OfflineTestManager *f,
                                   const char         *id);

/* Downloads fixture @path as "e" with @options and checks all of it:
 * stored bytes, states, progress, no error. */
void offline_test_download_and_check (OfflineTestManager     *f,
                                      const char             *path,
                                      OfflineDownloadOptions *options);

/* An OfflineManager::license-changed handler: appends "ID:EXPIRATION " to
 * @log. */
void offline_test_log_license_changed (OfflineManager *manager,
                                       const char     *entry_id,
                                       gint64          expiration,
                                       GString        *log);

G_END_DECLS
