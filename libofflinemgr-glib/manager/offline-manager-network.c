/* offline-manager-network.c: downloads follow the network
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The network is usable when #OfflineManager:network-monitor says it is
 * available, and not metered unless #OfflineManager:allow-metered. Each
 * change of the monitor (or of allow-metered) is followed on the manager's
 * context (the monitor may signal in another thread's): when the network
 * becomes unusable the active entries wait, when it is usable again they
 * are queued again (offline_manager_follow_network(),
 * offline-manager-entries.c).
 */
#include "config.h"

#include "offline-manager-private.h"

static gboolean
is_usable (OfflineManager *self)
{
  return g_network_monitor_get_network_available (self->network_monitor) &&
         (self->allow_metered || !g_network_monitor_get_network_metered (self->network_monitor));
}

/* On the manager's context. */
static gboolean
follow_cb (gpointer user_data)
{
  OfflineManager *self = user_data;
  gboolean usable;

  if (self->network_monitor == NULL)
    return G_SOURCE_REMOVE;     /* disposed meanwhile */
  usable = is_usable (self);
  if (usable != self->network_usable) {
    g_debug ("the network is %s",
             usable ? "usable: downloads go on" : "not usable: downloads wait");
    self->network_usable = usable;
    offline_manager_follow_network (self);
  }
  return G_SOURCE_REMOVE;
}

/* Also the monitor's handler (connected swapped: its arguments are not
 * read). */
static void
follow (OfflineManager *self)
{
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, follow_cb, g_object_ref (self),
                              g_object_unref);
}

void
offline_manager_watch_network (OfflineManager  *self,
                               GNetworkMonitor *monitor)
{
  g_return_if_fail (self->network_monitor == NULL);

  if (monitor == NULL)
    monitor = g_network_monitor_get_default ();
  self->network_monitor = g_object_ref (monitor);
  self->network_changed_id = g_signal_connect_swapped (self->network_monitor, "network-changed",
                                                       G_CALLBACK (follow), self);
  self->network_metered_id = g_signal_connect_swapped (self->network_monitor,
                                                       "notify::network-metered",
                                                       G_CALLBACK (follow), self);
  /* no entry is active yet */
  self->network_usable = is_usable (self);
}

void
offline_manager_unwatch_network (OfflineManager *self)
{
  if (self->network_monitor == NULL)
    return;
  g_clear_signal_handler (&self->network_changed_id, self->network_monitor);
  g_clear_signal_handler (&self->network_metered_id, self->network_monitor);
  g_clear_object (&self->network_monitor);
}

/**
 * offline_manager_get_network_monitor:
 * @self: a #OfflineManager
 *
 * Gets the network monitor the downloads follow.
 *
 * Returns: (transfer none): the monitor
 */
GNetworkMonitor *
offline_manager_get_network_monitor (OfflineManager *self)
{
  g_return_val_if_fail (OFFLINE_IS_MANAGER (self), NULL);
  return self->network_monitor;
}

/**
 * offline_manager_get_allow_metered:
 * @self: a #OfflineManager
 *
 * Gets whether downloads run on a metered network.
 *
 * Returns: the value of #OfflineManager:allow-metered
 */
gboolean
offline_manager_get_allow_metered (OfflineManager *self)
{
  g_return_val_if_fail (OFFLINE_IS_MANAGER (self), TRUE);
  return self->allow_metered;
}

/**
 * offline_manager_set_allow_metered:
 * @self: a #OfflineManager
 * @allow_metered: whether downloads run on a metered network
 *
 * Sets #OfflineManager:allow-metered. On a metered network, %FALSE makes
 * the downloads wait (%OFFLINE_DOWNLOAD_STATE_WAITING) and %TRUE lets them
 * go on.
 */
void
offline_manager_set_allow_metered (OfflineManager *self,
                                   gboolean        allow_metered)
{
  g_return_if_fail (OFFLINE_IS_MANAGER (self));

  allow_metered = !!allow_metered;
  if (self->allow_metered == allow_metered)
    return;
  self->allow_metered = allow_metered;
  g_object_notify (G_OBJECT (self), "allow-metered");
  if (self->network_monitor != NULL)
    follow (self);
}
