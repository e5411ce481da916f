/* offline-provider.c: resolving entry ids to manifests (an interface)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-entry-id-private.h"
#include "offline-error.h"
#include "offline-provider.h"

/**
 * OfflineProvider:
 *
 * Resolves the entry ids an app downloads into an #OfflineMediaInfo: the
 * manifest URL and what to show of the entry. #OfflineUrlProvider keeps a
 * table of registered ids; an app with a catalogue service implements this
 * interface.
 *
 * From Python, implementing the blocking `do_get_media_info` is enough: the
 * default asynchronous implementation runs it in a worker thread.
 *
 * ```python
 * class Catalogue(GObject.Object, Offline.Provider):
 *     def do_get_media_info(self, entry_id, cancellable):
 *         return Offline.MediaInfo(entry_id=entry_id,
 *                                  manifest_url=lookup(entry_id))
 * ```
 */
G_DEFINE_INTERFACE (OfflineProvider, offline_provider, G_TYPE_OBJECT)

static void
not_supported (GError **error)
{
  g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                       "the provider implements neither get_media_info nor get_media_info_async");
}

/* Runs in a worker thread: the implementation's blocking vfunc. */
static void
get_media_info_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  OfflineProvider *self = source_object;
  OfflineProviderInterface *iface = OFFLINE_PROVIDER_GET_IFACE (self);
  GError *error = NULL;
  OfflineMediaInfo *info;

  info = iface->get_media_info (self, task_data, cancellable, &error);
  if (info != NULL)
    g_task_return_pointer (task, info, g_object_unref);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                             "the provider returned no media info for \"%s\"",
                             (const char *) task_data);
}

static void
offline_provider_real_get_media_info_async (OfflineProvider     *self,
                                            const char          *entry_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, offline_provider_real_get_media_info_async);
  if (OFFLINE_PROVIDER_GET_IFACE (self)->get_media_info == NULL) {
    GError *error = NULL;

    not_supported (&error);
    g_task_return_error (task, error);
    return;
  }
  g_task_set_task_data (task, g_strdup (entry_id), g_free);
  g_task_run_in_thread (task, get_media_info_thread);
}

static OfflineMediaInfo *
offline_provider_real_get_media_info_finish (OfflineProvider  *self,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
offline_provider_default_init (OfflineProviderInterface *iface)
{
  iface->get_media_info_async = offline_provider_real_get_media_info_async;
  iface->get_media_info_finish = offline_provider_real_get_media_info_finish;
}

/* For the blocking wrapper of an async-only implementation. */
typedef struct {
  GAsyncResult *result;   /* (owned) set by the callback, on the private context */
} SyncData;

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
}

/**
 * offline_provider_get_media_info:
 * @self: a #OfflineProvider
 * @entry_id: the entry id to resolve
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Resolves @entry_id, blocking. For an implementation that only has the
 * asynchronous vfuncs, they run on a private main context of the calling
 * thread until they finish.
 *
 * Returns: (transfer full): the media info, or %NULL with @error set:
 *   %OFFLINE_ERROR_NOT_FOUND for unknown ids, %OFFLINE_ERROR_PROVIDER_FAILED
 *   for other failures, %OFFLINE_ERROR_NOT_SUPPORTED if the provider
 *   implements nothing, %OFFLINE_ERROR_INVALID_ARGUMENT for an id that is
 *   empty, longer than 255 bytes or not valid UTF-8 (the provider is not
 *   asked)
 */
OfflineMediaInfo *
offline_provider_get_media_info (OfflineProvider  *self,
                                 const char       *entry_id,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  OfflineProviderInterface *iface;
  g_autoptr(GMainContext) context = NULL;
  SyncData data = { NULL };
  OfflineMediaInfo *info;

  g_return_val_if_fail (OFFLINE_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!offline_entry_id_validate (entry_id, -1, error))
    return NULL;
  iface = OFFLINE_PROVIDER_GET_IFACE (self);
  if (iface->get_media_info != NULL)
    return iface->get_media_info (self, entry_id, cancellable, error);
  if (iface->get_media_info_async == offline_provider_real_get_media_info_async ||
      iface->get_media_info_async == NULL || iface->get_media_info_finish == NULL) {
    not_supported (error);
    return NULL;
  }

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  iface->get_media_info_async (self, entry_id, cancellable, sync_cb, &data);
  while (data.result == NULL)
    g_main_context_iteration (context, TRUE);
  info = iface->get_media_info_finish (self, data.result, error);
  g_object_unref (data.result);
  /* what the implementation let go of (an HTTP session closing its
   * connections…) finishes on this context, not after it is gone */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return info;
}

/**
 * offline_provider_get_media_info_async:
 * @self: a #OfflineProvider
 * @entry_id: the entry id to resolve
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the media info is known
 * @user_data: (closure): data for @callback
 *
 * Resolves @entry_id. The default implementation runs the blocking
 * @get_media_info vfunc in a worker thread. An invalid id fails, as with
 * offline_provider_get_media_info(), without asking the provider.
 */
void
offline_provider_get_media_info_async (OfflineProvider     *self,
                                       const char          *entry_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GError *error = NULL;

  g_return_if_fail (OFFLINE_IS_PROVIDER (self));

  if (!offline_entry_id_validate (entry_id, -1, &error)) {
    g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

    /* offline_provider_get_media_info_finish() recognises it by its tag */
    g_task_set_source_tag (task, offline_provider_get_media_info_async);
    g_task_return_error (task, error);
    return;
  }
  OFFLINE_PROVIDER_GET_IFACE (self)->get_media_info_async (self, entry_id, cancellable,
                                                           callback, user_data);
}

/**
 * offline_provider_get_media_info_finish:
 * @self: a #OfflineProvider
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes offline_provider_get_media_info_async().
 *
 * Returns: (transfer full): the media info, or %NULL with @error set
 */
OfflineMediaInfo *
offline_provider_get_media_info_finish (OfflineProvider  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (OFFLINE_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_async_result_is_tagged (result, offline_provider_get_media_info_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return OFFLINE_PROVIDER_GET_IFACE (self)->get_media_info_finish (self, result, error);
}
