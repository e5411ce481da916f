/* offline-store-service-private.h: the holder of a store carries out the
 * changes other processes ask for over D-Bus (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-manager.h"

G_BEGIN_DECLS

typedef struct _OfflineStoreService OfflineStoreService;

/* Exports org.offlinemgr.Store1 for @manager (which holds the store at
 * @store_path) on @connection and asks for the store's well-known name
 * (offline-store-bus-private.h): the methods run @manager's public
 * operations, its signals are emitted on the bus. @manager is not
 * referenced: free the service before it goes. NULL (with a debug message)
 * if it cannot be exported. Call it in @manager's thread. */
G_GNUC_INTERNAL
OfflineStoreService *offline_store_service_new (OfflineManager  *manager,
                                                GDBusConnection *connection,
                                                const char      *store_path);

/* Gives up the name and unexports; operations under way still answer. */
G_GNUC_INTERNAL
void offline_store_service_free (OfflineStoreService *service);

G_END_DECLS
