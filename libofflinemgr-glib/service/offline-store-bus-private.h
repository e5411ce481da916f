/* offline-store-bus-private.h: what the holder of a store and the other
 * processes agree on over D-Bus (library-internal); see docs/dbus.md
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "offline-dbus-store.h"

G_BEGIN_DECLS

/* The Version property of org.offlinemgr.Store1 */
#define OFFLINE_STORE_BUS_VERSION 1u
#define OFFLINE_STORE_BUS_ERROR_PREFIX "org.offlinemgr.Error."

/* Where the holder of the store @path is on the bus. With HASH the first
 * 32 hex digits of the SHA-256 of the store's real path (realpath(), @path
 * itself if it cannot be resolved): the well-known name
 * "org.offlinemgr.Store.pHASH", the object path
 * "/org/offlinemgr/Store/pHASH". */
typedef struct {
  char *name;
  char *object_path;
  char *real_path;
} OfflineStoreBusAddress;

G_GNUC_INTERNAL
void offline_store_bus_address_init (OfflineStoreBusAddress *address,
                                     const char             *path);
G_GNUC_INTERNAL
void offline_store_bus_address_clear (OfflineStoreBusAddress *address);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OfflineStoreBusAddress, offline_store_bus_address_clear)

/* Maps every OFFLINE_ERROR code to the D-Bus error name
 * org.offlinemgr.Error.CamelCaseNick (NotFound, StoreLocked…), both ways,
 * for every GDBus call of the process. Idempotent. */
G_GNUC_INTERNAL
void offline_store_bus_register_errors (void);

/* The D-Bus error name of @error (registered or not). */
G_GNUC_INTERNAL
char *offline_store_bus_error_name (const GError *error);

/* The session bus, or NULL (with a debug message) if there is none. */
G_GNUC_INTERNAL
GDBusConnection *offline_store_bus_connect (void);

G_END_DECLS
