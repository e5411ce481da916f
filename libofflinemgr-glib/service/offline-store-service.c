/* offline-store-service.c: org.offlinemgr.Store1 in the process that holds
 * a store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-enum-types.h"
#include "offline-error.h"
#include "offline-manager-private.h"
#include "offline-media-info-private.h"
#include "offline-store-bus-private.h"
#include "offline-store-service-private.h"
#include "offline-url-provider.h"

typedef struct _Binding Binding;

struct _OfflineStoreService {
  OfflineManager *manager;        /* (unowned) owns the service */
  GDBusConnection *connection;    /* (owned) */
  OfflineDBusStore1 *skeleton;    /* (owned) exported */
  guint owner_id;                 /* g_bus_own_name_on_connection() */
  gulong handlers[4];             /* on the manager */
  Binding *bindings;              /* (owned) one per methods[] */
};

/* ---- methods: each answers its invocation when the operation ends ---- */

typedef gboolean (*FinishFunc) (OfflineManager *, GAsyncResult *, GError **);

typedef struct {
  GDBusMethodInvocation *invocation;   /* (owned) */
  FinishFunc finish;
} Call;

static Call *
call_new (GDBusMethodInvocation *invocation,
          FinishFunc             finish)
{
  Call *call = g_new0 (Call, 1);

  call->invocation = g_object_ref (invocation);
  call->finish = finish;
  return call;
}

/* A GAsyncReadyCallback of the manager's operations. */
static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree Call *call = user_data;
  g_autoptr(GDBusMethodInvocation) invocation = g_steal_pointer (&call->invocation);
  GError *error = NULL;

  if (call->finish (OFFLINE_MANAGER (source), result, &error))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_take_error (invocation, error);
}

static const char *
lookup_string (GVariantDict *dict,
               const char   *key)
{
  const char *value = NULL;

  g_variant_dict_lookup (dict, key, "&s", &value);
  return value;
}

static gboolean
handle_download (OfflineDBusStore1     *skeleton,
                 GDBusMethodInvocation *invocation,
                 const char            *entry_id,
                 GVariant              *options_dict,
                 gpointer               user_data)
{
  OfflineStoreService *self = user_data;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (options_dict);
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
  g_autoptr(OfflineUrlProvider) provider = NULL;
  const char *manifest_url = lookup_string (&dict, "manifest-url");
  const char *media_info = lookup_string (&dict, "media-info");
  g_autoptr(OfflineMediaInfo) info = NULL;
  guint64 bitrate = 0;

  offline_download_options_set_language (options, lookup_string (&dict, "language"));
  if (g_variant_dict_lookup (&dict, "bitrate", "t", &bitrate))
    offline_download_options_set_bitrate (options, bitrate);
  /* the entry as the caller resolved it (all of it, or the parts an
   * older client sends), else as our provider does */
  if (media_info != NULL)
    info = offline_media_info_new_from_json (media_info, NULL);
  if (info == NULL && manifest_url != NULL)
    info = g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                         "manifest-url", manifest_url,
                         "name", lookup_string (&dict, "name"),
                         "description", lookup_string (&dict, "description"),
                         "poster-url", lookup_string (&dict, "poster-url"),
                         NULL);
  if (info != NULL) {
    g_autoptr(OfflineMediaInfo) with_id = offline_media_info_copy_with_entry_id (info, entry_id);

    provider = offline_url_provider_new ();
    offline_url_provider_add_media_info (provider, with_id);
  }
  offline_manager_download_with_provider_async (self->manager,
                                                provider ? OFFLINE_PROVIDER (provider) : NULL,
                                                entry_id, options, NULL, call_done_cb,
                                                call_new (invocation, offline_manager_download_finish));
  return TRUE;
}

/* The methods that run one operation of the manager as they are. */
typedef void (*EntryAsyncFunc) (OfflineManager *, const char *, GCancellable *,
                                GAsyncReadyCallback, gpointer);
typedef void (*AllAsyncFunc) (OfflineManager *, GCancellable *, GAsyncReadyCallback, gpointer);

typedef struct {
  const char *signal;     /* of the skeleton: "handle-pause"… */
  EntryAsyncFunc entry_op;/* (nullable) with an entry id */
  AllAsyncFunc all_op;    /* (nullable) without */
  FinishFunc finish;
} Method;

static const Method methods[] = {
  { "handle-pause", offline_manager_pause_async, NULL, offline_manager_pause_finish },
  { "handle-resume", offline_manager_resume_async, NULL, offline_manager_resume_finish },
  { "handle-remove", offline_manager_remove_async, NULL, offline_manager_remove_finish },
  { "handle-renew-license", offline_manager_renew_license_async, NULL,
    offline_manager_renew_license_finish },
  { "handle-pause-all", NULL, offline_manager_pause_all_async, offline_manager_pause_all_finish },
  { "handle-resume-all", NULL, offline_manager_resume_all_async,
    offline_manager_resume_all_finish },
  { "handle-remove-all", NULL, offline_manager_remove_all_async,
    offline_manager_remove_all_finish },
};

/* A method of @methods, bound to the service. */
struct _Binding {
  OfflineStoreService *service;
  const Method *method;
};

static gboolean
handle_entry_op (OfflineDBusStore1     *skeleton,
                 GDBusMethodInvocation *invocation,
                 const char            *entry_id,
                 Binding               *binding)
{
  binding->method->entry_op (binding->service->manager, entry_id, NULL, call_done_cb,
                             call_new (invocation, binding->method->finish));
  return TRUE;
}

static gboolean
handle_all_op (OfflineDBusStore1     *skeleton,
               GDBusMethodInvocation *invocation,
               Binding               *binding)
{
  binding->method->all_op (binding->service->manager, NULL, call_done_cb,
                           call_new (invocation, binding->method->finish));
  return TRUE;
}

/* ---- signals: the manager's, on the bus ---- */

static void
progress_cb (OfflineManager      *manager,
             const char          *entry_id,
             guint64              bytes_downloaded,
             guint64              bytes_expected,
             guint                segments_done,
             guint                segments_total,
             OfflineStoreService *self)
{
  offline_dbus_store1_emit_progress (self->skeleton, entry_id, bytes_downloaded, bytes_expected,
                                     segments_done, segments_total);
}

static const char *
state_nick (OfflineDownloadState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFFLINE_TYPE_DOWNLOAD_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value != NULL ? value->value_nick : "unknown";
}

static void
state_changed_cb (OfflineManager       *manager,
                  const char           *entry_id,
                  OfflineDownloadState  old_state,
                  OfflineDownloadState  new_state,
                  OfflineStoreService  *self)
{
  offline_dbus_store1_emit_state_changed (self->skeleton, entry_id, state_nick (old_state),
                                          state_nick (new_state));
}

static void
error_cb (OfflineManager      *manager,
          const char          *entry_id,
          const GError        *error,
          OfflineStoreService *self)
{
  g_autofree char *name = offline_store_bus_error_name (error);

  offline_dbus_store1_emit_error (self->skeleton, entry_id, name, error->message);
}

static void
license_changed_cb (OfflineManager      *manager,
                    const char          *entry_id,
                    gint64               expiration,
                    OfflineStoreService *self)
{
  offline_dbus_store1_emit_license_changed (self->skeleton, entry_id, expiration);
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  /* Another process of another mount namespace, or no bus any more: the
   * store works on, only no other process reaches it. */
  g_debug ("Not the owner of %s: other processes cannot change the store", name);
}

OfflineStoreService *
offline_store_service_new (OfflineManager  *manager,
                           GDBusConnection *connection,
                           const char      *store_path)
{
  OfflineStoreService *self = g_new0 (OfflineStoreService, 1);
  g_auto(OfflineStoreBusAddress) address = { 0 };
  g_autoptr(GError) error = NULL;

  offline_store_bus_register_errors ();
  offline_store_bus_address_init (&address, store_path);
  self->manager = manager;
  self->connection = g_object_ref (connection);
  self->skeleton = offline_dbus_store1_skeleton_new ();
  offline_dbus_store1_set_version (self->skeleton, OFFLINE_STORE_BUS_VERSION);
  offline_dbus_store1_set_store_path (self->skeleton, address.real_path);
  g_signal_connect (self->skeleton, "handle-download", G_CALLBACK (handle_download), self);
  self->bindings = g_new0 (Binding, G_N_ELEMENTS (methods));
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++) {
    Binding *binding = &self->bindings[i];

    binding->service = self;
    binding->method = &methods[i];
    g_signal_connect (self->skeleton, methods[i].signal,
                      methods[i].entry_op ? G_CALLBACK (handle_entry_op) : G_CALLBACK (handle_all_op),
                      binding);
  }
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                         address.object_path, &error)) {
    g_debug ("Cannot export the store %s on the bus: %s", address.real_path, error->message);
    g_object_unref (self->skeleton);
    g_free (self->bindings);
    g_object_unref (self->connection);
    g_free (self);
    return NULL;
  }
  self->handlers[0] = g_signal_connect (manager, "progress", G_CALLBACK (progress_cb), self);
  self->handlers[1] = g_signal_connect (manager, "state-changed", G_CALLBACK (state_changed_cb),
                                        self);
  self->handlers[2] = g_signal_connect (manager, "error", G_CALLBACK (error_cb), self);
  self->handlers[3] = g_signal_connect (manager, "license-changed", G_CALLBACK (license_changed_cb),
                                        self);
  self->owner_id = g_bus_own_name_on_connection (connection, address.name,
                                                 G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                 NULL, name_lost_cb, NULL, NULL);
  return self;
}

void
offline_store_service_free (OfflineStoreService *self)
{
  if (self == NULL)
    return;
  if (self->owner_id != 0)
    g_bus_unown_name (self->owner_id);
  for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    g_clear_signal_handler (&self->handlers[i], self->manager);
  g_signal_handlers_disconnect_by_data (self->skeleton, self);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    g_signal_handlers_disconnect_by_data (self->skeleton, &self->bindings[i]);
  /* calls under way keep their invocation: they still answer */
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  g_object_unref (self->skeleton);
  g_object_unref (self->connection);
  g_free (self->bindings);
  g_free (self);
}
