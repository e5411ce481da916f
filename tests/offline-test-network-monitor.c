/* offline-test-network-monitor.c: a GNetworkMonitor the tests switch
 *
 * The manager takes it as #OfflineManager:network-monitor, so that tests
 * take the network away without touching the machine's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-network-monitor.h"

struct _OfflineTestNetworkMonitor {
  GObject parent_instance;

  gboolean available;
  gboolean metered;
};

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static void initable_iface_init (GInitableIface *iface);
static void monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OfflineTestNetworkMonitor, offline_test_network_monitor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, monitor_iface_init))

static void
get_property (GObject    *object,
              guint       prop_id,
              GValue     *value,
              GParamSpec *pspec)
{
  OfflineTestNetworkMonitor *self = OFFLINE_TEST_NETWORK_MONITOR (object);

  switch (prop_id) {
  case PROP_NETWORK_AVAILABLE:
    g_value_set_boolean (value, self->available);
    break;
  case PROP_NETWORK_METERED:
    g_value_set_boolean (value, self->metered);
    break;
  case PROP_CONNECTIVITY:
    g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL :
                      G_NETWORK_CONNECTIVITY_LOCAL);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
offline_test_network_monitor_class_init (OfflineTestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
offline_test_network_monitor_init (OfflineTestNetworkMonitor *self)
{
  self->available = TRUE;
}

static gboolean
initable_init (GInitable     *initable,
               GCancellable  *cancellable,
               GError       **error)
{
  return TRUE;
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = initable_init;
}

static gboolean
can_reach (GNetworkMonitor     *monitor,
           GSocketConnectable  *connectable,
           GCancellable        *cancellable,
           GError             **error)
{
  if (OFFLINE_TEST_NETWORK_MONITOR (monitor)->available)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Network unreachable");
  return FALSE;
}

static void
monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = can_reach;
}

OfflineTestNetworkMonitor *
offline_test_network_monitor_new (void)
{
  return g_initable_new (OFFLINE_TEST_TYPE_NETWORK_MONITOR, NULL, NULL, NULL);
}

void
offline_test_network_monitor_set_available (OfflineTestNetworkMonitor *self,
                                            gboolean                   available)
{
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_object_notify (G_OBJECT (self), "connectivity");
  g_signal_emit_by_name (self, "network-changed", available);
}

void
offline_test_network_monitor_set_metered (OfflineTestNetworkMonitor *self,
                                          gboolean                   metered)
{
  if (self->metered == metered)
    return;
  self->metered = metered;
  g_object_notify (G_OBJECT (self), "network-metered");
}
