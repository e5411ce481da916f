/* offline-manager-license.c: renewing the Clear Key licence of a stored
 * entry
 *
 * stored key IDs → the provider's DRM information (its licence URL) →
 * the licence server → the store (keys and expiry replaced in one
 * transaction) → OfflineManager::license-changed. On the manager's
 * context; nothing blocks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-clearkey-private.h"
#include "offline-error.h"
#include "offline-manager-private.h"

typedef struct {
  OfflineManager *manager;      /* (owned) */
  char *entry_id;               /* (owned) */
  GStrv kids;                   /* (owned) the stored licence's */
  char *stored_url;             /* (owned) (nullable) where it came from */
  gint64 provider_expiration;   /* the provider's, 0 if it did not say */
} Renewal;

static void
renewal_free (Renewal *renewal)
{
  g_object_unref (renewal->manager);
  g_free (renewal->entry_id);
  g_strfreev (renewal->kids);
  g_free (renewal->stored_url);
  g_free (renewal);
}

static void
acquired_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Renewal *renewal = g_task_get_task_data (task);
  OfflineManager *self = renewal->manager;
  g_autoptr(OfflineClearKeyLicense) license = NULL;
  GError *error = NULL;

  license = offline_clearkey_acquire_finish (result, &error);
  /* the licence server's expiry, else the provider's */
  if (license != NULL && license->expiration == 0)
    license->expiration = renewal->provider_expiration;
  if (license == NULL ||
      !offline_store_set_license (self->store, renewal->entry_id, license->keys,
                                  license->expiration, license->url, &error)) {
    g_task_return_error (task, error);
    return;
  }
  offline_manager_emit_license_changed (self, renewal->entry_id, license->expiration);
  g_task_return_boolean (task, TRUE);
}

static void
acquire (GTask      *task,
         const char *url)
{
  Renewal *renewal = g_task_get_task_data (task);

  if (url == NULL) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_FAILED,
                             "No licence server is known for \"%s\": its provider names none",
                             renewal->entry_id);
    g_object_unref (task);
    return;
  }
  offline_clearkey_acquire_async (renewal->manager->fetcher, url,
                                  (const char * const *) renewal->kids,
                                  g_task_get_cancellable (task), acquired_cb, task);
}

static void
media_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Renewal *renewal = g_task_get_task_data (task);
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = renewal->stored_url;

  info = offline_provider_get_media_info_finish (OFFLINE_PROVIDER (source), result, &error);
  if (info != NULL)
    renewal->provider_expiration = offline_media_info_get_license_expiration (info);
  if (info != NULL && offline_media_info_get_license_url (info) != NULL &&
      (offline_media_info_get_drm_scheme (info) == NULL ||
       g_ascii_strcasecmp (offline_media_info_get_drm_scheme (info), "clearkey") == 0))
    url = offline_media_info_get_license_url (info);
  else if (error != NULL)
    g_debug ("Renewing the licence of \"%s\": the provider failed (%s); using the licence "
             "server it came from", renewal->entry_id, error->message);
  acquire (task, url);
}

void
offline_manager_renew_entry_license (OfflineManager *self,
                                     const char     *entry_id,
                                     GTask          *task)
{
  g_autoptr(GHashTable) keys = NULL;
  g_autofree char *stored_url = NULL;
  g_autofree gpointer *kids = NULL;
  Renewal *renewal;
  GError *error = NULL;
  guint n;

  keys = offline_store_get_license_keys (self->store, entry_id, &stored_url, &error);
  if (keys == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (g_hash_table_size (keys) == 0) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                             "\"%s\": clear content has no licence", entry_id);
    return;
  }

  renewal = g_new0 (Renewal, 1);
  renewal->manager = g_object_ref (self);
  renewal->entry_id = g_strdup (entry_id);
  renewal->stored_url = g_steal_pointer (&stored_url);
  kids = g_hash_table_get_keys_as_array (keys, &n);
  renewal->kids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    renewal->kids[i] = g_strdup (kids[i]);
  g_task_set_task_data (task, renewal, (GDestroyNotify) renewal_free);

  if (self->provider == NULL) {
    acquire (g_object_ref (task), renewal->stored_url);
    return;
  }
  offline_provider_get_media_info_async (self->provider, entry_id, g_task_get_cancellable (task),
                                         media_info_cb, g_object_ref (task));
}
