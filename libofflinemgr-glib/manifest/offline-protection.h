/* offline-protection.h: content protection information of a track or segment
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>
#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_PROTECTION (offline_protection_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineProtection, offline_protection, OFFLINE, PROTECTION, GObject)

OFFLINE_AVAILABLE_IN_ALL
const char *offline_protection_get_scheme_id_uri (OfflineProtection *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_protection_get_system_id (OfflineProtection *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_protection_get_default_kid (OfflineProtection *self);
OFFLINE_AVAILABLE_IN_ALL
GBytes *offline_protection_get_pssh (OfflineProtection *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_protection_get_license_url (OfflineProtection *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_protection_get_method (OfflineProtection *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_protection_get_key_uri (OfflineProtection *self);
OFFLINE_AVAILABLE_IN_ALL
const char *offline_protection_get_key_format (OfflineProtection *self);
OFFLINE_AVAILABLE_IN_ALL
GBytes *offline_protection_get_iv (OfflineProtection *self);

G_END_DECLS
