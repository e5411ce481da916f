/* offline-manager.h: downloads entries for offline playback
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <gio/gio.h>

#include "offline-download-options.h"
#include "offline-entry.h"
#include "offline-media-info.h"
#include "offline-provider.h"
#include "offline-export.h"

G_BEGIN_DECLS

/**
 * OfflineExportFlags:
 * @OFFLINE_EXPORT_FLAGS_NONE: export a completed entry
 * @OFFLINE_EXPORT_FLAGS_PARTIAL: also export a paused entry: its stored
 *   prefix, as `offline://` plays it (see offline_manager_export_async())
 *
 * Flags of offline_manager_export_async().
 */
typedef enum {
  OFFLINE_EXPORT_FLAGS_NONE = 0,
  OFFLINE_EXPORT_FLAGS_PARTIAL = 1 << 0,
} OfflineExportFlags;

/**
 * OfflineExportProgressFunc:
 * @exported: how much of the entry is written, in microseconds of its
 *   timeline
 * @duration: the duration being exported, in microseconds (for a partial
 *   export, that of the stored prefix); 0 if unknown
 * @user_data: (closure): the data given to offline_manager_export_async()
 *
 * Reports the progress of offline_manager_export_async(), on the
 * manager's main context.
 */
typedef void (*OfflineExportProgressFunc) (GTimeSpan exported,
                                           GTimeSpan duration,
                                           gpointer  user_data);

#define OFFLINE_TYPE_MANAGER (offline_manager_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineManager, offline_manager, OFFLINE, MANAGER, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineManager *offline_manager_new (const char       *store_path,
                                     OfflineProvider  *provider,
                                     GCancellable     *cancellable,
                                     GError          **error);

OFFLINE_AVAILABLE_IN_ALL
OfflineManager *offline_manager_new_from_config (const char    *json,
                                                 GCancellable  *cancellable,
                                                 GError       **error);

OFFLINE_AVAILABLE_IN_ALL
const char *offline_manager_get_store_path (OfflineManager *self);
OFFLINE_AVAILABLE_IN_ALL
OfflineProvider *offline_manager_get_provider (OfflineManager *self);
OFFLINE_AVAILABLE_IN_ALL
void offline_manager_set_provider (OfflineManager  *self,
                                   OfflineProvider *provider);
OFFLINE_AVAILABLE_IN_ALL
GNetworkMonitor *offline_manager_get_network_monitor (OfflineManager *self);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_get_allow_metered (OfflineManager *self);
OFFLINE_AVAILABLE_IN_ALL
void offline_manager_set_allow_metered (OfflineManager *self,
                                        gboolean        allow_metered);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_get_media_info_async (OfflineManager      *self,
                                           const char          *entry_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
OfflineMediaInfo *offline_manager_get_media_info_finish (OfflineManager  *self,
                                                         GAsyncResult    *result,
                                                         GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_download_async (OfflineManager         *self,
                                     const char             *entry_id,
                                     OfflineDownloadOptions *options,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_download_finish (OfflineManager  *self,
                                          GAsyncResult    *result,
                                          GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_pause_async (OfflineManager      *self,
                                  const char          *entry_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_pause_finish (OfflineManager  *self,
                                       GAsyncResult    *result,
                                       GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_resume_async (OfflineManager      *self,
                                   const char          *entry_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_resume_finish (OfflineManager  *self,
                                        GAsyncResult    *result,
                                        GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_pause_all_async (OfflineManager      *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_pause_all_finish (OfflineManager  *self,
                                           GAsyncResult    *result,
                                           GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_resume_all_async (OfflineManager      *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_resume_all_finish (OfflineManager  *self,
                                            GAsyncResult    *result,
                                            GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_remove_async (OfflineManager      *self,
                                   const char          *entry_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_remove_finish (OfflineManager  *self,
                                        GAsyncResult    *result,
                                        GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_remove_all_async (OfflineManager      *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_remove_all_finish (OfflineManager  *self,
                                            GAsyncResult    *result,
                                            GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_get_downloaded_media_info_async (OfflineManager      *self,
                                                      const char          *entry_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
OfflineEntry *offline_manager_get_downloaded_media_info_finish (OfflineManager  *self,
                                                                GAsyncResult    *result,
                                                                GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_get_all_downloads_async (OfflineManager      *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
GPtrArray *offline_manager_get_all_downloads_finish (OfflineManager  *self,
                                                     GAsyncResult    *result,
                                                     GError         **error);

OFFLINE_AVAILABLE_IN_ALL
void offline_manager_renew_license_async (OfflineManager      *self,
                                          const char          *entry_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_renew_license_finish (OfflineManager  *self,
                                               GAsyncResult    *result,
                                               GError         **error);

OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_prioritize_position (OfflineManager  *self,
                                              const char      *entry_id,
                                              double           seconds,
                                              GError         **error);
OFFLINE_AVAILABLE_IN_ALL
void offline_manager_export_async (OfflineManager            *self,
                                   const char                *entry_id,
                                   const char                *path,
                                   OfflineExportFlags         flags,
                                   GCancellable              *cancellable,
                                   OfflineExportProgressFunc  progress,
                                   gpointer                   progress_data,
                                   GDestroyNotify             progress_destroy,
                                   GAsyncReadyCallback        callback,
                                   gpointer                   user_data);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_manager_export_finish (OfflineManager  *self,
                                        GAsyncResult    *result,
                                        GError         **error);

G_END_DECLS
