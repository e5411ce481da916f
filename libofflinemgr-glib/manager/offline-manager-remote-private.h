/* offline-manager-remote-private.h: a manager whose store another process
 * holds forwards its changes to that process over D-Bus
 * (library-internal; see docs/dbus.md)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-download-options.h"
#include "offline-entry.h"
#include "offline-provider.h"

G_BEGIN_DECLS

typedef struct _OfflineManagerRemote OfflineManagerRemote;

/* What the holder reports: its signals, and that it went away (its name
 * has no owner any more). */
typedef struct {
  void (*progress) (const char *entry_id,
                    guint64     bytes_downloaded,
                    guint64     bytes_expected,
                    guint       segments_done,
                    guint       segments_total,
                    gpointer    user_data);
  void (*state_changed) (const char           *entry_id,
                         OfflineDownloadState  old_state,
                         OfflineDownloadState  new_state,
                         gpointer              user_data);
  void (*error) (const char   *entry_id,
                 const GError *error,
                 gpointer      user_data);
  void (*license_changed) (const char *entry_id,
                           gint64      expiration,
                           gpointer    user_data);
  void (*holder_gone) (gpointer user_data);
} OfflineManagerRemoteCallbacks;

/* Connects to the session bus (if there is one) and follows the holder of
 * the store @store_path. The callbacks run in the thread-default main
 * context of the caller. */
G_GNUC_INTERNAL
OfflineManagerRemote *offline_manager_remote_new (const char                          *store_path,
                                                  const OfflineManagerRemoteCallbacks *callbacks,
                                                  gpointer                             user_data);
/* No callback is called any more: after a take-over, this process owns
 * the name itself, and its own signals must not come back to it. */
G_GNUC_INTERNAL
void offline_manager_remote_mute (OfflineManagerRemote *self);
G_GNUC_INTERNAL
void offline_manager_remote_free (OfflineManagerRemote *self);

/* TRUE if a process holds the store's name on the bus now. */
G_GNUC_INTERNAL
gboolean offline_manager_remote_has_holder (OfflineManagerRemote *self);

/* Calls @method of org.offlinemgr.Store1 with @parameters (nullable,
 * floating references are sunk) and completes @task (a boolean GTask) with
 * its answer: the holder's OFFLINE_ERROR as it is, anything else (no bus,
 * no holder on it, the holder gone) as OFFLINE_ERROR_STORE_LOCKED naming
 * the holder. If @pause_id is not NULL, cancelling @task's cancellable
 * pauses that entry in the holder. */
G_GNUC_INTERNAL
void offline_manager_remote_call (OfflineManagerRemote *self,
                                  const char           *method,
                                  GVariant             *parameters,
                                  const char           *pause_id,
                                  GTask                *task);

/* Download with @provider (nullable) resolving @entry_id here: what it
 * says of the entry is sent along, so that the holder needs no provider of
 * its own. */
G_GNUC_INTERNAL
void offline_manager_remote_download (OfflineManagerRemote   *self,
                                      OfflineProvider        *provider,
                                      const char             *entry_id,
                                      OfflineDownloadOptions *options,
                                      GTask                  *task);

G_END_DECLS
