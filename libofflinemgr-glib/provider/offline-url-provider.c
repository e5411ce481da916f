/* offline-url-provider.c: a provider of registered id → URL pairs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-entry-id-private.h"
#include "offline-error.h"
#include "offline-url-provider.h"

/**
 * OfflineUrlProvider:
 *
 * The simplest #OfflineProvider: the app registers each entry id with its
 * manifest URL (and optionally a name, description and poster URL) and the
 * provider hands them back. Registrations may be added and removed from any
 * thread.
 *
 * ```c
 * g_autoptr(OfflineUrlProvider) provider = offline_url_provider_new ();
 * offline_url_provider_add (provider, "movie-1",
 *                           "https://example.com/movie-1/manifest.mpd",
 *                           "Movie 1", NULL, NULL);
 * ```
 */
struct _OfflineUrlProvider {
  GObject parent_instance;

  GMutex lock;               /* guards @entries */
  GHashTable *entries;       /* (owned) id → (owned) OfflineMediaInfo; any thread, under @lock */
};

static void offline_url_provider_iface_init (OfflineProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OfflineUrlProvider, offline_url_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OFFLINE_TYPE_PROVIDER,
                                                      offline_url_provider_iface_init))

static void
offline_url_provider_finalize (GObject *object)
{
  OfflineUrlProvider *self = OFFLINE_URL_PROVIDER (object);

  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (offline_url_provider_parent_class)->finalize (object);
}

static OfflineMediaInfo *
offline_url_provider_get_media_info (OfflineProvider  *provider,
                                     const char       *entry_id,
                                     GCancellable     *cancellable,
                                     GError          **error)
{
  OfflineUrlProvider *self = OFFLINE_URL_PROVIDER (provider);
  OfflineMediaInfo *info;

  g_mutex_lock (&self->lock);
  info = g_hash_table_lookup (self->entries, entry_id);
  if (info != NULL)
    g_object_ref (info);
  g_mutex_unlock (&self->lock);

  if (info == NULL)
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND,
                 "no URL is registered for entry \"%s\"", entry_id);
  return info;
}

/* Nothing to wait for: completes at once (in an idle of the caller's
 * context, as GTask does). */
static void
offline_url_provider_get_media_info_async (OfflineProvider     *provider,
                                           const char          *entry_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  GError *error = NULL;
  OfflineMediaInfo *info;

  g_task_set_source_tag (task, offline_url_provider_get_media_info_async);
  info = offline_url_provider_get_media_info (provider, entry_id, cancellable, &error);
  if (info != NULL)
    g_task_return_pointer (task, info, g_object_unref);
  else
    g_task_return_error (task, error);
}

static OfflineMediaInfo *
offline_url_provider_get_media_info_finish (OfflineProvider  *provider,
                                            GAsyncResult     *result,
                                            GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
offline_url_provider_iface_init (OfflineProviderInterface *iface)
{
  iface->get_media_info = offline_url_provider_get_media_info;
  iface->get_media_info_async = offline_url_provider_get_media_info_async;
  iface->get_media_info_finish = offline_url_provider_get_media_info_finish;
}

static void
offline_url_provider_class_init (OfflineUrlProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_url_provider_finalize;
}

static void
offline_url_provider_init (OfflineUrlProvider *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * offline_url_provider_new:
 *
 * Creates a provider without registrations.
 *
 * Returns: (transfer full): a provider without registrations
 */
OfflineUrlProvider *
offline_url_provider_new (void)
{
  return g_object_new (OFFLINE_TYPE_URL_PROVIDER, NULL);
}

/**
 * offline_url_provider_add:
 * @self: a #OfflineUrlProvider
 * @entry_id: the entry id
 * @manifest_url: the URL of its manifest or media file
 * @name: (nullable): a title to show
 * @description: (nullable): a description to show
 * @poster_url: (nullable): the URL of a poster image
 *
 * Registers @entry_id, replacing an earlier registration of the same id.
 * An id that is empty, longer than 255 bytes or not valid UTF-8 is not
 * registered: resolving it fails with %OFFLINE_ERROR_INVALID_ARGUMENT.
 */
void
offline_url_provider_add (OfflineUrlProvider *self,
                          const char         *entry_id,
                          const char         *manifest_url,
                          const char         *name,
                          const char         *description,
                          const char         *poster_url)
{
  OfflineMediaInfo *info;

  g_return_if_fail (OFFLINE_IS_URL_PROVIDER (self));
  g_return_if_fail (manifest_url != NULL);

  if (!offline_entry_id_validate (entry_id, -1, NULL))
    return;

  info = g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                       "entry-id", entry_id,
                       "manifest-url", manifest_url,
                       "name", name,
                       "description", description,
                       "poster-url", poster_url,
                       NULL);
  offline_url_provider_add_media_info (self, info);
  g_object_unref (info);
}

/**
 * offline_url_provider_add_media_info:
 * @self: a #OfflineUrlProvider
 * @info: what to hand out for its #OfflineMediaInfo:entry-id
 *
 * Registers @info as it is (tags, sources, licence URL and DRM scheme
 * included), replacing an earlier registration of the same id. Ignored,
 * as offline_url_provider_add() is, if the entry id is not acceptable or
 * @info has no manifest URL.
 */
void
offline_url_provider_add_media_info (OfflineUrlProvider *self,
                                     OfflineMediaInfo   *info)
{
  const char *entry_id;

  g_return_if_fail (OFFLINE_IS_URL_PROVIDER (self));
  g_return_if_fail (OFFLINE_IS_MEDIA_INFO (info));

  entry_id = offline_media_info_get_entry_id (info);
  if (!offline_entry_id_validate (entry_id, -1, NULL) ||
      offline_media_info_get_manifest_url (info) == NULL)
    return;

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->entries, g_strdup (entry_id), g_object_ref (info));
  g_mutex_unlock (&self->lock);
}

/**
 * offline_url_provider_remove:
 * @self: a #OfflineUrlProvider
 * @entry_id: the entry id
 *
 * Forgets the registration of @entry_id (stored downloads are not
 * touched).
 *
 * Returns: %TRUE if @entry_id was registered
 */
gboolean
offline_url_provider_remove (OfflineUrlProvider *self,
                             const char         *entry_id)
{
  gboolean removed;

  g_return_val_if_fail (OFFLINE_IS_URL_PROVIDER (self), FALSE);

  if (!offline_entry_id_validate (entry_id, -1, NULL))
    return FALSE;   /* never registered */

  g_mutex_lock (&self->lock);
  removed = g_hash_table_remove (self->entries, entry_id);
  g_mutex_unlock (&self->lock);
  return removed;
}
