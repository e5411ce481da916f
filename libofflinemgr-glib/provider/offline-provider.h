/* offline-provider.h: resolving entry ids to manifests (an interface)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <gio/gio.h>

#include "offline-media-info.h"
#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_PROVIDER (offline_provider_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (OfflineProvider, offline_provider, OFFLINE, PROVIDER, GObject)

/**
 * OfflineProviderInterface:
 * @g_iface: the parent interface
 * @get_media_info: resolves an entry id, blocking; called in a worker thread
 *   by the default @get_media_info_async. Implement this one from Python.
 * @get_media_info_async: resolves an entry id asynchronously
 * @get_media_info_finish: finishes @get_media_info_async
 *
 * Implement @get_media_info, or the @get_media_info_async /
 * @get_media_info_finish pair. Unknown ids fail with
 * %OFFLINE_ERROR_NOT_FOUND, other failures with
 * %OFFLINE_ERROR_PROVIDER_FAILED.
 */
struct _OfflineProviderInterface {
  GTypeInterface g_iface;

  OfflineMediaInfo *(*get_media_info) (OfflineProvider  *self,
                                       const char       *entry_id,
                                       GCancellable     *cancellable,
                                       GError          **error);
  void (*get_media_info_async) (OfflineProvider     *self,
                                const char          *entry_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
  OfflineMediaInfo *(*get_media_info_finish) (OfflineProvider  *self,
                                              GAsyncResult     *result,
                                              GError          **error);

  /*< private >*/
  gpointer padding[8];
};

OFFLINE_AVAILABLE_IN_ALL
OfflineMediaInfo *offline_provider_get_media_info (OfflineProvider  *self,
                                                   const char       *entry_id,
                                                   GCancellable     *cancellable,
                                                   GError          **error);
OFFLINE_AVAILABLE_IN_ALL
void offline_provider_get_media_info_async (OfflineProvider     *self,
                                            const char          *entry_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
OFFLINE_AVAILABLE_IN_ALL
OfflineMediaInfo *offline_provider_get_media_info_finish (OfflineProvider  *self,
                                                          GAsyncResult     *result,
                                                          GError          **error);

G_END_DECLS
