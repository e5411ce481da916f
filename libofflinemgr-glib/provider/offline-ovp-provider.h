/* offline-ovp-provider.h: entry ids resolved by the Kaltura OVP API v3
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

#define OFFLINE_TYPE_OVP_PROVIDER (offline_ovp_provider_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineOvpProvider, offline_ovp_provider, OFFLINE, OVP_PROVIDER, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineOvpProvider *offline_ovp_provider_new (gint64      partner_id,
                                              const char *service_url);

G_END_DECLS
