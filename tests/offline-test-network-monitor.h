/* offline-test-network-monitor.h: a GNetworkMonitor the tests switch
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OFFLINE_TEST_TYPE_NETWORK_MONITOR (offline_test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (OfflineTestNetworkMonitor, offline_test_network_monitor, OFFLINE_TEST,
                      NETWORK_MONITOR, GObject)

/* Available, not metered. */
OfflineTestNetworkMonitor *offline_test_network_monitor_new (void);

/* Sets #GNetworkMonitor:network-available, and emits ::network-changed
 * (as GIO's monitors do) if it changed. */
void offline_test_network_monitor_set_available (OfflineTestNetworkMonitor *self,
                                                 gboolean                   available);

/* Sets #GNetworkMonitor:network-metered (notify only, as NetworkManager's
 * monitor does). */
void offline_test_network_monitor_set_metered (OfflineTestNetworkMonitor *self,
                                               gboolean                   metered);

G_END_DECLS
