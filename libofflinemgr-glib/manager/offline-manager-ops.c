/* offline-manager-ops.c: the asynchronous methods of OfflineManager
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-entry-id-private.h"
#include "offline-error.h"
#include "offline-manager-private.h"
#include "offline-prepare-private.h"
#include "offline-remux-private.h"

static GTask *
new_task (OfflineManager      *self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported as OFFLINE_ERROR_CANCELLED by the operation. */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

static gboolean
finish_boolean (OfflineManager  *self,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (OFFLINE_IS_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
finish_pointer (OfflineManager  *self,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (OFFLINE_IS_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* FALSE, with @task completed with OFFLINE_ERROR_INVALID_ARGUMENT, if
 * @entry_id may not be an entry id. */
static gboolean
check_entry_id (GTask      *task,
                const char *entry_id)
{
  GError *error = NULL;

  if (offline_entry_id_validate (entry_id, -1, &error))
    return TRUE;
  g_task_return_error (task, error);
  return FALSE;
}

typedef void (*EntryOp) (OfflineManager *self,
                         const char     *entry_id,
                         GTask          *task);

/* Runs @op on one entry; it completes the task. If another process holds
 * the store, it runs its @method of org.offlinemgr.Store1 instead. */
static void
run_entry_op (OfflineManager      *self,
              const char          *entry_id,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag,
              EntryOp              op,
              const char          *method)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data, source_tag);
  if (!check_entry_id (task, entry_id))
    return;
  if (offline_manager_is_remote (self))
    offline_manager_remote_call (self->remote, method, g_variant_new ("(s)", entry_id), NULL, task);
  else
    op (self, entry_id, task);
}

/* If another process holds the store: runs its @method (no arguments)
 * for @task and returns TRUE. */
static gboolean
forward_all_op (OfflineManager *self,
                const char     *method,
                GTask          *task)
{
  if (!offline_manager_is_remote (self))
    return FALSE;
  offline_manager_remote_call (self->remote, method, NULL, NULL, task);
  return TRUE;
}

/* An operation on several entries: completes its task when the last one
 * ends, with the first failure. Used on the manager's context. */
typedef struct {
  GTask *task;                /* (owned) the whole operation */
  guint pending;              /* operations not ended, + 1 while starting them */
  GError *error;              /* (owned) (nullable) the first failure */
} Multi;

static void
multi_release (Multi *multi)
{
  if (--multi->pending > 0)
    return;
  if (multi->error != NULL)
    g_task_return_error (multi->task, multi->error);
  else
    g_task_return_boolean (multi->task, TRUE);
  g_object_unref (multi->task);
  g_free (multi);
}

static void
multi_child_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Multi *multi = user_data;
  GError *error = NULL;

  /* An entry removed meanwhile is fine. */
  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    if (multi->error == NULL && !g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND))
      multi->error = g_steal_pointer (&error);
    g_clear_error (&error);
  }
  multi_release (multi);
}

/* Runs @op on each of @ids (element-type utf8), completing @task when all
 * ended. */
static void
run_on_all (OfflineManager *self,
            GPtrArray      *ids,
            EntryOp         op,
            GTask          *task)
{
  Multi *multi = g_new0 (Multi, 1);

  multi->task = g_object_ref (task);
  multi->pending = 1;
  for (guint i = 0; i < ids->len; i++) {
    g_autoptr(GTask) child = g_task_new (self, NULL, multi_child_cb, multi);

    multi->pending++;
    op (self, g_ptr_array_index (ids, i), child);
  }
  multi_release (multi);
}

/* The ids of the entries this manager prepares, queues or downloads,
 * added to @ids unless there. */
static void
add_active_ids (OfflineManager *self,
                GPtrArray      *ids)
{
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
      g_ptr_array_add (ids, g_strdup (id));
}

/* The ids of the stored entries, or NULL with @error set. */
static GPtrArray *
stored_ids (OfflineManager  *self,
            gboolean         skip_completed,
            GError         **error)
{
  g_autoptr(GPtrArray) entries = offline_store_list_entries (self->store, error);
  GPtrArray *ids;

  if (entries == NULL)
    return NULL;
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < entries->len; i++) {
    OfflineEntry *entry = g_ptr_array_index (entries, i);

    if (!skip_completed || offline_entry_get_state (entry) != OFFLINE_DOWNLOAD_STATE_COMPLETED)
      g_ptr_array_add (ids, g_strdup (offline_entry_get_id (entry)));
  }
  return ids;
}

static void
media_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *prefix = NULL;
  OfflineMediaInfo *info;
  GError *error = NULL;

  info = offline_provider_get_media_info_finish (OFFLINE_PROVIDER (source), result, &error);
  if (info != NULL) {
    g_task_return_pointer (task, info, g_object_unref);
    return;
  }
  if (error == NULL)
    error = g_error_new_literal (OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                                 "the provider returned no media info");
  prefix = g_strdup_printf ("the provider failed to resolve \"%s\": ",
                            (const char *) g_task_get_task_data (task));
  g_task_return_error (task, offline_prepare_map_error (error, OFFLINE_ERROR_PROVIDER_FAILED,
                                                        prefix));
}

/**
 * offline_manager_get_media_info_async:
 * @self: a #OfflineManager
 * @entry_id: the entry id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the provider answered
 * @user_data: (closure): data for @callback
 *
 * Asks #OfflineManager:provider what @entry_id is, without downloading
 * anything.
 */
void
offline_manager_get_media_info_async (OfflineManager      *self,
                                      const char          *entry_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));

  task = new_task (self, cancellable, callback, user_data, offline_manager_get_media_info_async);
  if (!check_entry_id (task, entry_id)) {
    g_object_unref (task);
    return;
  }
  if (self->provider == NULL) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                             "no provider is set to resolve \"%s\"", entry_id);
    g_object_unref (task);
    return;
  }
  g_task_set_task_data (task, g_strdup (entry_id), g_free);
  offline_provider_get_media_info_async (self->provider, entry_id, cancellable, media_info_cb,
                                         task);
}

/**
 * offline_manager_get_media_info_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_get_media_info_async().
 *
 * Returns: (transfer full): what the provider says of the entry, or %NULL
 *   with @error set: %OFFLINE_ERROR_NOT_FOUND for unknown ids,
 *   %OFFLINE_ERROR_PROVIDER_FAILED for other failures
 */
OfflineMediaInfo *
offline_manager_get_media_info_finish (OfflineManager  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  return finish_pointer (self, result, offline_manager_get_media_info_async, error);
}

/**
 * offline_manager_download_async:
 * @self: a #OfflineManager
 * @entry_id: the entry id to resolve with #OfflineManager:provider
 * @options: (nullable): the tracks to store, %NULL for the defaults
 * @cancellable: (nullable): a #GCancellable: until the entry is stored
 *   it abandons the download, afterwards it pauses it
 * @callback: (scope async): called when the download ends
 * @user_data: (closure): data for @callback
 *
 * Resolves @entry_id, fetches and parses its manifest (for HLS also the
 * media playlists of the selected tracks), stores the entry
 * %OFFLINE_DOWNLOAD_STATE_QUEUED and downloads it when a slot is free.
 * The operation ends with the download: see
 * offline_manager_download_finish().
 */
void
offline_manager_download_async (OfflineManager         *self,
                                const char             *entry_id,
                                OfflineDownloadOptions *options,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  offline_manager_download_with_provider_async (self, NULL, entry_id, options, cancellable,
                                                callback, user_data);
}

void
offline_manager_download_with_provider_async (OfflineManager         *self,
                                              OfflineProvider        *provider,
                                              const char             *entry_id,
                                              OfflineDownloadOptions *options,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);
  g_return_if_fail (provider == NULL || OFFLINE_IS_PROVIDER (provider));
  g_return_if_fail (options == NULL || OFFLINE_IS_DOWNLOAD_OPTIONS (options));

  if (provider == NULL)
    provider = self->provider;
  task = new_task (self, cancellable, callback, user_data, offline_manager_download_async);
  if (!check_entry_id (task, entry_id))
    return;
  /* Resolved here, stored and downloaded by the holder. */
  if (offline_manager_is_remote (self))
    offline_manager_forward_download (self, provider, entry_id, options, task);
  else
    offline_manager_download_entry (self, provider, entry_id, options, task);
}

/**
 * offline_manager_download_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_download_async().
 *
 * Errors: %OFFLINE_ERROR_ALREADY_EXISTS if the entry is stored already;
 * the provider's (%OFFLINE_ERROR_NOT_FOUND, %OFFLINE_ERROR_PROVIDER_FAILED);
 * %OFFLINE_ERROR_MANIFEST_INVALID, %OFFLINE_ERROR_LIVE_NOT_SUPPORTED; once
 * stored, %OFFLINE_ERROR_DOWNLOAD_FAILED (the entry is then
 * %OFFLINE_DOWNLOAD_STATE_FAILED, and #OfflineManager::error reported the
 * same error), %OFFLINE_ERROR_OUT_OF_SPACE (the entry is paused, nothing
 * stored is lost), %OFFLINE_ERROR_CANCELLED if it was paused or removed.
 *
 * Returns: %TRUE if the entry is %OFFLINE_DOWNLOAD_STATE_COMPLETED
 */
gboolean
offline_manager_download_finish (OfflineManager  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_boolean (self, result, offline_manager_download_async, error);
}

/**
 * offline_manager_pause_async:
 * @self: a #OfflineManager
 * @entry_id: the entry id
 * @cancellable: (nullable): a #GCancellable (unused)
 * @callback: (scope async): called when the entry is paused
 * @user_data: (closure): data for @callback
 *
 * Pauses a queued or downloading entry: its requests in flight are
 * cancelled (what they fetched stays on disk and is continued with a
 * Range request on resume) and it becomes %OFFLINE_DOWNLOAD_STATE_PAUSED.
 * The download operation ends with %OFFLINE_ERROR_CANCELLED. Pausing a
 * paused entry succeeds at once.
 */
void
offline_manager_pause_async (OfflineManager      *self,
                             const char          *entry_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  run_entry_op (self, entry_id, cancellable, callback, user_data, offline_manager_pause_async,
                offline_manager_pause_entry, "Pause");
}

/**
 * offline_manager_pause_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_pause_async().
 *
 * Returns: %TRUE once the entry no longer downloads; %FALSE with
 *   %OFFLINE_ERROR_NOT_FOUND for unknown ids, %OFFLINE_ERROR_PAUSE_FAILED
 *   for a completed or failed entry
 */
gboolean
offline_manager_pause_finish (OfflineManager  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_boolean (self, result, offline_manager_pause_async, error);
}

/**
 * offline_manager_resume_async:
 * @self: a #OfflineManager
 * @entry_id: the entry id
 * @cancellable: (nullable): a #GCancellable: cancelling pauses the entry
 * @callback: (scope async): called when the download ends
 * @user_data: (closure): data for @callback
 *
 * Continues a paused or failed entry (also one another process or manager
 * left): only what is missing is fetched. Like
 * offline_manager_download_async(), the operation ends with the download;
 * resuming an entry that is downloading waits for it.
 */
void
offline_manager_resume_async (OfflineManager      *self,
                              const char          *entry_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data, offline_manager_resume_async);
  if (!check_entry_id (task, entry_id))
    return;
  if (offline_manager_is_remote (self))
    offline_manager_forward_resume (self, entry_id, task);
  else if (!offline_manager_resume_entry (self, entry_id, task, &error))
    g_task_return_error (task, error);
}

/**
 * offline_manager_resume_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_resume_async(), with the errors of
 * offline_manager_download_finish() and %OFFLINE_ERROR_NOT_FOUND for
 * unknown ids, %OFFLINE_ERROR_RESUME_FAILED for completed entries.
 *
 * Returns: %TRUE if the entry is %OFFLINE_DOWNLOAD_STATE_COMPLETED
 */
gboolean
offline_manager_resume_finish (OfflineManager  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return finish_boolean (self, result, offline_manager_resume_async, error);
}

/**
 * offline_manager_pause_all_async:
 * @self: a #OfflineManager
 * @cancellable: (nullable): a #GCancellable (unused)
 * @callback: (scope async): called when every entry is paused
 * @user_data: (closure): data for @callback
 *
 * Pauses every queued or downloading entry, as
 * offline_manager_pause_async() does.
 */
void
offline_manager_pause_all_async (OfflineManager      *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data, offline_manager_pause_all_async);
  if (forward_all_op (self, "PauseAll", task))
    return;
  add_active_ids (self, ids);
  run_on_all (self, ids, offline_manager_pause_entry, task);
}

/**
 * offline_manager_pause_all_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_pause_all_async().
 *
 * Returns: %TRUE once no entry downloads
 */
gboolean
offline_manager_pause_all_finish (OfflineManager  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return finish_boolean (self, result, offline_manager_pause_all_async, error);
}

/**
 * offline_manager_resume_all_async:
 * @self: a #OfflineManager
 * @cancellable: (nullable): a #GCancellable (unused)
 * @callback: (scope async): called when every entry is queued again
 * @user_data: (closure): data for @callback
 *
 * Queues every paused or failed entry again. Unlike
 * offline_manager_resume_async(), this completes once they are queued;
 * follow them with #OfflineManager::state-changed.
 */
void
offline_manager_resume_all_async (OfflineManager      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  GError *error = NULL;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data, offline_manager_resume_all_async);
  if (forward_all_op (self, "ResumeAll", task))
    return;
  ids = stored_ids (self, TRUE, &error);
  for (guint i = 0; ids != NULL && i < ids->len; i++) {
    GError *resume_error = NULL;

    if (!offline_manager_resume_entry (self, g_ptr_array_index (ids, i), NULL, &resume_error)) {
      if (error == NULL && !g_error_matches (resume_error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND))
        error = g_steal_pointer (&resume_error);
      g_clear_error (&resume_error);
    }
  }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * offline_manager_resume_all_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_resume_all_async().
 *
 * Returns: %TRUE if every paused or failed entry was queued again
 */
gboolean
offline_manager_resume_all_finish (OfflineManager  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return finish_boolean (self, result, offline_manager_resume_all_async, error);
}

/**
 * offline_manager_remove_async:
 * @self: a #OfflineManager
 * @entry_id: the entry id
 * @cancellable: (nullable): a #GCancellable (unused)
 * @callback: (scope async): called when the entry is deleted
 * @user_data: (closure): data for @callback
 *
 * Deletes an entry: its download, if any, is stopped first (its download
 * operation ends with %OFFLINE_ERROR_CANCELLED), then its rows and files.
 */
void
offline_manager_remove_async (OfflineManager      *self,
                              const char          *entry_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  run_entry_op (self, entry_id, cancellable, callback, user_data, offline_manager_remove_async,
                offline_manager_remove_entry, "Remove");
}

/**
 * offline_manager_remove_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_remove_async().
 *
 * Returns: %TRUE once the entry is gone; %FALSE with
 *   %OFFLINE_ERROR_NOT_FOUND for unknown ids, %OFFLINE_ERROR_REMOVE_FAILED
 *   if its files could not be deleted
 */
gboolean
offline_manager_remove_finish (OfflineManager  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return finish_boolean (self, result, offline_manager_remove_async, error);
}

/**
 * offline_manager_remove_all_async:
 * @self: a #OfflineManager
 * @cancellable: (nullable): a #GCancellable (unused)
 * @callback: (scope async): called when every entry is deleted
 * @user_data: (closure): data for @callback
 *
 * Removes every entry, as offline_manager_remove_async() does, including
 * downloads still being prepared.
 */
void
offline_manager_remove_all_async (OfflineManager      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  GError *error = NULL;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data, offline_manager_remove_all_async);
  if (forward_all_op (self, "RemoveAll", task))
    return;
  ids = stored_ids (self, FALSE, &error);
  if (ids == NULL) {
    g_task_return_error (task, error);
    return;
  }
  add_active_ids (self, ids);
  run_on_all (self, ids, offline_manager_remove_entry, task);
}

/**
 * offline_manager_remove_all_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_remove_all_async().
 *
 * Returns: %TRUE once every entry is gone
 */
gboolean
offline_manager_remove_all_finish (OfflineManager  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return finish_boolean (self, result, offline_manager_remove_all_async, error);
}

/**
 * offline_manager_get_downloaded_media_info_async:
 * @self: a #OfflineManager
 * @entry_id: the entry id
 * @cancellable: (nullable): a #GCancellable (unused)
 * @callback: (scope async): called with the entry
 * @user_data: (closure): data for @callback
 *
 * Reads what the store knows of a stored entry: state, sizes, tracks…
 */
void
offline_manager_get_downloaded_media_info_async (OfflineManager      *self,
                                                 const char          *entry_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  OfflineEntry *entry;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data,
                   offline_manager_get_downloaded_media_info_async);
  if (!check_entry_id (task, entry_id))
    return;
  entry = offline_store_get_entry (self->store, entry_id, &error);
  if (entry != NULL)
    g_task_return_pointer (task, entry, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * offline_manager_get_downloaded_media_info_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_get_downloaded_media_info_async().
 *
 * Returns: (transfer full): the entry, or %NULL with
 *   %OFFLINE_ERROR_NOT_FOUND for unknown ids
 */
OfflineEntry *
offline_manager_get_downloaded_media_info_finish (OfflineManager  *self,
                                                  GAsyncResult    *result,
                                                  GError         **error)
{
  return finish_pointer (self, result, offline_manager_get_downloaded_media_info_async, error);
}

/**
 * offline_manager_get_all_downloads_async:
 * @self: a #OfflineManager
 * @cancellable: (nullable): a #GCancellable (unused)
 * @callback: (scope async): called with the entries
 * @user_data: (closure): data for @callback
 *
 * Lists the stored entries, whatever their state, oldest first.
 */
void
offline_manager_get_all_downloads_async (OfflineManager      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  GPtrArray *entries;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data,
                   offline_manager_get_all_downloads_async);
  entries = offline_store_list_entries (self->store, &error);
  if (entries != NULL)
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

/**
 * offline_manager_get_all_downloads_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * The array unrefs its entries when it is freed (hence `transfer
 * container` for bindings): free it with g_ptr_array_unref().
 *
 * Returns: (transfer container) (element-type OfflineEntry): the entries,
 *   or %NULL with @error set
 */
GPtrArray *
offline_manager_get_all_downloads_finish (OfflineManager  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return finish_pointer (self, result, offline_manager_get_all_downloads_async, error);
}

/**
 * offline_manager_renew_license_async:
 * @self: a #OfflineManager
 * @entry_id: the entry id
 * @cancellable: (nullable): a #GCancellable: cancelling it stops the renewal (%OFFLINE_ERROR_CANCELLED), the old licence stays
 * @callback: (scope async): called when the licence is renewed
 * @user_data: (closure): data for @callback
 *
 * Renews the Clear Key licence of a stored entry: asks the provider again
 * for the entry's DRM information (its licence URL; if it has none, or
 * fails, the licence server the licence came from is used), requests the
 * keys of the entry again and replaces the stored licence and its expiry
 * (#OfflineEntry:license-expiration) in one step, emitting
 * #OfflineManager::license-changed. A renewal that fails leaves the old
 * licence in place. It works after the licence expired, and while the
 * entry downloads or plays.
 */
void
offline_manager_renew_license_async (OfflineManager      *self,
                                     const char          *entry_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data, offline_manager_renew_license_async);
  if (!check_entry_id (task, entry_id))
    return;
  /* the holder renews it, with its provider */
  if (offline_manager_is_remote (self))
    offline_manager_remote_call (self->remote, "RenewLicense", g_variant_new ("(s)", entry_id),
                                 NULL, task);
  else
    offline_manager_renew_entry_license (self, entry_id, task);
}

/**
 * offline_manager_renew_license_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_renew_license_async().
 *
 * Returns: %TRUE if the licence was renewed; %FALSE with
 *   %OFFLINE_ERROR_NOT_FOUND for unknown ids, %OFFLINE_ERROR_NOT_SUPPORTED
 *   for clear content, %OFFLINE_ERROR_LICENSE_FAILED if the licence
 *   server failed (the message names its URL and the HTTP status),
 *   %OFFLINE_ERROR_STORE_LOCKED if another process holds the store and
 *   cannot be reached (from a process that reads a store, the holder
 *   renews the licence, with its own provider)
 */
gboolean
offline_manager_renew_license_finish (OfflineManager  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return finish_boolean (self, result, offline_manager_renew_license_async, error);
}

/**
 * offline_manager_export_async:
 * @self: a #OfflineManager
 * @entry_id: the entry id
 * @path: (type filename): the file to write: its extension names the
 *   container, `.mp4` or `.m4v` (MP4) or `.mkv` (Matroska)
 * @flags: #OfflineExportFlags
 * @cancellable: (nullable): a #GCancellable: cancelling it stops the
 *   export (%OFFLINE_ERROR_CANCELLED) and removes what was written
 * @progress: (nullable) (scope notified) (closure progress_data) (destroy progress_destroy):
 *   called on the manager's main context about 4 times a second while
 *   the export runs, and once at its end
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data once the export ended
 * @callback: (scope async): called when the file is written
 * @user_data: (closure): data for @callback
 *
 * Writes a stored entry to a plain file that any player plays: its
 * tracks are remuxed, not re-encoded, through GStreamer (the `offlinesrc`
 * element of gst-offline, the parsers, `mp4mux` or `matroskamux`), with
 * their languages. Protected entries are written decrypted while their
 * licence is valid: Clear Key (MPEG Common Encryption) and HLS AES-128.
 * WebVTT subtitles become plain timed text (`tx3g` in MP4, `S_TEXT/UTF8`
 * in Matroska): the cues and their times are kept, their styling and
 * position are not. A text stream that the container cannot take is
 * left out, with a g_message(). See docs/export.md.
 *
 * The file is written beside @path under a temporary name
 * (`.NAME.XXXXXX.part`) and renamed to @path once complete, replacing a
 * file already there (as `cp` and `mv` do). On any failure or
 * cancellation the temporary file is removed and @path is untouched.
 *
 * A completed entry is exported; a paused one only with
 * %OFFLINE_EXPORT_FLAGS_PARTIAL: the contiguous stored prefix of its
 * tracks up to the shortest one, as `offline://` plays it. The pipeline's
 * bus is watched on the manager's main context, which must run.
 */
void
offline_manager_export_async (OfflineManager            *self,
                              const char                *entry_id,
                              const char                *path,
                              OfflineExportFlags         flags,
                              GCancellable              *cancellable,
                              OfflineExportProgressFunc  progress,
                              gpointer                   progress_data,
                              GDestroyNotify             progress_destroy,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  GError *error = NULL;

  g_return_if_fail (OFFLINE_IS_MANAGER (self));
  g_return_if_fail (self->store != NULL);

  task = new_task (self, cancellable, callback, user_data, offline_manager_export_async);
  if (check_entry_id (task, entry_id)) {
    entry = offline_store_get_entry (self->store, entry_id, &error);
    if (entry == NULL)
      g_task_return_error (task, error);
  }
  if (entry == NULL) {
    if (progress_destroy != NULL)
      progress_destroy (progress_data);
    return;
  }
  offline_remux_start (self->store_path, entry, path, flags, self->context, progress,
                       progress_data, progress_destroy, task);
}

/**
 * offline_manager_export_finish:
 * @self: a #OfflineManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_manager_export_async().
 *
 * Returns: %TRUE once the file is complete at its path; %FALSE with
 *   %OFFLINE_ERROR_INVALID_ARGUMENT for a path that does not end in
 *   `.mp4`, `.m4v` or `.mkv` (or an invalid id), %OFFLINE_ERROR_NOT_FOUND
 *   for unknown ids, %OFFLINE_ERROR_ENTRY_INCOMPLETE for an entry that is
 *   not completed (nor paused with %OFFLINE_EXPORT_FLAGS_PARTIAL),
 *   %OFFLINE_ERROR_LICENSE_EXPIRED, %OFFLINE_ERROR_NOT_SUPPORTED if a
 *   GStreamer element it needs is not installed or the container cannot
 *   hold a video or audio stream (the message names it),
 *   %OFFLINE_ERROR_ENTRY_DAMAGED for missing or damaged stored files,
 *   %OFFLINE_ERROR_OUT_OF_SPACE for a full disk, %OFFLINE_ERROR_CANCELLED;
 *   a #GIOErrorEnum (%G_IO_ERROR domain) if the file cannot be created
 *   or renamed in its directory (%G_IO_ERROR_PERMISSION_DENIED,
 *   %G_IO_ERROR_NOT_FOUND…)
 */
gboolean
offline_manager_export_finish (OfflineManager  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return finish_boolean (self, result, offline_manager_export_async, error);
}
