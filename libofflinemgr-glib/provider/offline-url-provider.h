/* offline-url-provider.h: a provider of registered id → URL pairs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include "offline-provider.h"
#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_URL_PROVIDER (offline_url_provider_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineUrlProvider, offline_url_provider, OFFLINE, URL_PROVIDER, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineUrlProvider *offline_url_provider_new (void);
OFFLINE_AVAILABLE_IN_ALL
void offline_url_provider_add (OfflineUrlProvider *self,
                               const char         *entry_id,
                               const char         *manifest_url,
                               const char         *name,
                               const char         *description,
                               const char         *poster_url);
OFFLINE_AVAILABLE_IN_ALL
void offline_url_provider_add_media_info (OfflineUrlProvider *self,
                                          OfflineMediaInfo   *info);
OFFLINE_AVAILABLE_IN_ALL
gboolean offline_url_provider_remove (OfflineUrlProvider *self,
                                      const char         *entry_id);

G_END_DECLS
