/* offline-manager-remote.c: changes forwarded to the holder of the store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-enum-types.h"
#include "offline-error.h"
#include "offline-manager-remote-private.h"
#include "offline-store-bus-private.h"
#include "offline-store-fs-private.h"

struct _OfflineManagerRemote {
  char *store_path;                       /* (owned) */
  OfflineManagerRemoteCallbacks callbacks;
  gpointer user_data;
  char *no_bus;                           /* (owned) (nullable) why there is no proxy */
  OfflineDBusStore1 *proxy;               /* (owned) (nullable) */
};

static OfflineDownloadState
state_from_nick (const char *nick)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFFLINE_TYPE_DOWNLOAD_STATE);
  GEnumValue *value = g_enum_get_value_by_nick (klass, nick);

  return value != NULL ? value->value : OFFLINE_DOWNLOAD_STATE_FAILED;
}

static void
progress_cb (OfflineDBusStore1    *proxy,
             const char           *entry_id,
             guint64               bytes_downloaded,
             guint64               bytes_expected,
             guint                 segments_done,
             guint                 segments_total,
             OfflineManagerRemote *self)
{
  self->callbacks.progress (entry_id, bytes_downloaded, bytes_expected, segments_done,
                            segments_total, self->user_data);
}

static void
state_changed_cb (OfflineDBusStore1    *proxy,
                  const char           *entry_id,
                  const char           *old_state,
                  const char           *new_state,
                  OfflineManagerRemote *self)
{
  self->callbacks.state_changed (entry_id, state_from_nick (old_state),
                                 state_from_nick (new_state), self->user_data);
}

static void
error_cb (OfflineDBusStore1    *proxy,
          const char           *entry_id,
          const char           *error_name,
          const char           *message,
          OfflineManagerRemote *self)
{
  g_autoptr(GError) error = g_dbus_error_new_for_dbus_error (error_name, message);

  g_dbus_error_strip_remote_error (error);
  self->callbacks.error (entry_id, error, self->user_data);
}

static void
license_changed_cb (OfflineDBusStore1    *proxy,
                    const char           *entry_id,
                    gint64                expiration,
                    OfflineManagerRemote *self)
{
  self->callbacks.license_changed (entry_id, expiration, self->user_data);
}

static void
name_owner_cb (GObject              *proxy,
               GParamSpec           *pspec,
               OfflineManagerRemote *self)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));

  if (owner == NULL && self->callbacks.holder_gone != NULL)
    self->callbacks.holder_gone (self->user_data);
}

OfflineManagerRemote *
offline_manager_remote_new (const char                          *store_path,
                            const OfflineManagerRemoteCallbacks *callbacks,
                            gpointer                             user_data)
{
  OfflineManagerRemote *self = g_new0 (OfflineManagerRemote, 1);
  g_auto(OfflineStoreBusAddress) address = { 0 };
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  offline_store_bus_register_errors ();
  self->store_path = g_strdup (store_path);
  self->callbacks = *callbacks;
  self->user_data = user_data;

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (connection == NULL) {
    self->no_bus = g_strdup_printf ("no D-Bus session bus: %s", error->message);
    return self;
  }
  offline_store_bus_address_init (&address, store_path);
  self->proxy = offline_dbus_store1_proxy_new_sync (connection,
                                                    G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START |
                                                    G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                                    address.name, address.object_path,
                                                    NULL, &error);
  if (self->proxy == NULL) {
    self->no_bus = g_strdup_printf ("cannot follow %s on the bus: %s", address.name,
                                    error->message);
    return self;
  }
  /* a change waits for the holder as long as it takes (a download) */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (self->proxy), G_MAXINT);
  g_signal_connect (self->proxy, "progress", G_CALLBACK (progress_cb), self);
  g_signal_connect (self->proxy, "state-changed", G_CALLBACK (state_changed_cb), self);
  g_signal_connect (self->proxy, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (self->proxy, "license-changed", G_CALLBACK (license_changed_cb), self);
  g_signal_connect (self->proxy, "notify::g-name-owner", G_CALLBACK (name_owner_cb), self);
  return self;
}

void
offline_manager_remote_mute (OfflineManagerRemote *self)
{
  if (self->proxy != NULL)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
}

void
offline_manager_remote_free (OfflineManagerRemote *self)
{
  if (self == NULL)
    return;
  if (self->proxy != NULL) {
    g_signal_handlers_disconnect_by_data (self->proxy, self);
    g_object_unref (self->proxy);
  }
  g_free (self->no_bus);
  g_free (self->store_path);
  g_free (self);
}

/* OFFLINE_ERROR_STORE_LOCKED: who holds the store, why it cannot be
 * reached (@reason), and what to do. */
static GError *
locked_error (OfflineManagerRemote *self,
              const char           *reason)
{
  g_autofree char *holder = offline_store_fs_describe_holder (self->store_path);

  return g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_STORE_LOCKED,
                      "The store %s is open in %s, which this process cannot reach (%s): "
                      "wait for it to finish or stop it",
                      self->store_path, holder != NULL ? holder : "another process", reason);
}

gboolean
offline_manager_remote_has_holder (OfflineManagerRemote *self)
{
  g_autofree char *owner = NULL;

  if (self->proxy == NULL)
    return FALSE;
  owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (self->proxy));
  return owner != NULL;
}

typedef struct {
  OfflineManagerRemote *remote;  /* (unowned) outlives its calls: see call_done_cb() */
  GTask *task;                   /* (owned) */
  char *pause_id;                /* (owned) (nullable) */
  GSource *cancel_source;        /* (owned) (nullable) pauses @pause_id */
  GDBusProxy *proxy;             /* (owned) */
  char *store_path;              /* (owned) for the error message */
} Call;

static void
call_free (Call *call)
{
  if (call->cancel_source != NULL) {
    g_source_destroy (call->cancel_source);
    g_source_unref (call->cancel_source);
  }
  g_object_unref (call->task);
  g_object_unref (call->proxy);
  g_free (call->pause_id);
  g_free (call->store_path);
  g_free (call);
}

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  if (reply != NULL) {
    g_task_return_boolean (call->task, TRUE);
  } else if (error->domain == OFFLINE_ERROR && g_dbus_error_is_remote_error (error)) {
    g_dbus_error_strip_remote_error (error);
    g_task_return_error (call->task, g_steal_pointer (&error));
  } else {
    /* The remote may be gone (a take-over): only its path is used. */
    OfflineManagerRemote remote = { .store_path = call->store_path };

    g_task_return_error (call->task, locked_error (&remote, error->message));
  }
  call_free (call);
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  Call *call = user_data;
  /* (sunk: see offline_manager_remote_call()) */
  g_autoptr(GVariant) args = g_variant_ref_sink (g_variant_new ("(s)", call->pause_id));

  /* the call in flight then ends with OFFLINE_ERROR_CANCELLED */
  g_dbus_proxy_call (call->proxy, "Pause", args, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  g_clear_pointer (&call->cancel_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

void
offline_manager_remote_call (OfflineManagerRemote *self,
                             const char           *method,
                             GVariant             *parameters,
                             const char           *pause_id,
                             GTask                *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  /* sunk here: g_dbus_proxy_call() does not consume a floating @parameters
   * when it fails at once (the holder's name has lost its owner) */
  g_autoptr(GVariant) sunk = parameters != NULL ? g_variant_ref_sink (parameters) : NULL;
  Call *call;

  if (self->proxy == NULL) {
    g_task_return_error (task, locked_error (self, self->no_bus));
    return;
  }
  call = g_new0 (Call, 1);
  call->remote = self;
  call->task = g_object_ref (task);
  call->proxy = G_DBUS_PROXY (g_object_ref (self->proxy));
  call->store_path = g_strdup (self->store_path);
  if (pause_id != NULL && cancellable != NULL) {
    call->pause_id = g_strdup (pause_id);
    call->cancel_source = g_cancellable_source_new (cancellable);
    g_source_set_callback (call->cancel_source, G_SOURCE_FUNC (cancelled_cb), call, NULL);
    g_source_attach (call->cancel_source, g_task_get_context (task));
  }
  g_dbus_proxy_call (call->proxy, method, sunk, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                     call_done_cb, call);
}

typedef struct {
  OfflineManagerRemote *remote;    /* (unowned) */
  GTask *task;                     /* (owned) */
  char *entry_id;
  GVariantDict options;
} Download;

static void
download_free (Download *download)
{
  g_object_unref (download->task);
  g_free (download->entry_id);
  g_variant_dict_clear (&download->options);
  g_free (download);
}

static void
download_send (Download *download)
{
  offline_manager_remote_call (download->remote, "Download",
                               g_variant_new ("(s@a{sv})", download->entry_id,
                                              g_variant_dict_end (&download->options)),
                               download->entry_id, download->task);
  download_free (download);
}

static void
add_string (GVariantDict *dict,
            const char   *key,
            const char   *value)
{
  if (value != NULL)
    g_variant_dict_insert (dict, key, "s", value);
}

static void
media_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Download *download = user_data;
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autofree char *json = NULL;
  GError *error = NULL;

  info = offline_provider_get_media_info_finish (OFFLINE_PROVIDER (source), result, &error);
  if (info == NULL) {
    if (error == NULL)
      error = g_error_new_literal (OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                                   "the provider returned no media info");
    g_task_return_error (download->task, error);
    download_free (download);
    return;
  }
  json = offline_media_info_to_json (info);
  add_string (&download->options, "manifest-url", offline_media_info_get_manifest_url (info));
  add_string (&download->options, "name", offline_media_info_get_name (info));
  add_string (&download->options, "description", offline_media_info_get_description (info));
  add_string (&download->options, "poster-url", offline_media_info_get_poster_url (info));
  add_string (&download->options, "media-info", json);
  download_send (download);
}

void
offline_manager_remote_download (OfflineManagerRemote   *self,
                                 OfflineProvider        *provider,
                                 const char             *entry_id,
                                 OfflineDownloadOptions *options,
                                 GTask                  *task)
{
  Download *download = g_new0 (Download, 1);

  download->remote = self;
  download->task = g_object_ref (task);
  download->entry_id = g_strdup (entry_id);
  g_variant_dict_init (&download->options, NULL);
  if (options != NULL) {
    add_string (&download->options, "language", offline_download_options_get_language (options));
    if (offline_download_options_get_bitrate (options) > 0)
      g_variant_dict_insert (&download->options, "bitrate", "t",
                             offline_download_options_get_bitrate (options));
  }
  if (provider == NULL) {
    download_send (download);
    return;
  }
  offline_provider_get_media_info_async (provider, entry_id, g_task_get_cancellable (task),
                                         media_info_cb, download);
}
