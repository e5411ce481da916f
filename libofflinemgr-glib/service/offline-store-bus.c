/* offline-store-bus.c: the bus name and the errors of org.offlinemgr.Store1
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "offline-enum-types.h"
#include "offline-error.h"
#include "offline-store-bus-private.h"

#define BUS_NAME_PREFIX "org.offlinemgr.Store.p"
#define OBJECT_PATH_PREFIX "/org/offlinemgr/Store/p"
#define HASH_DIGITS 32

void
offline_store_bus_address_init (OfflineStoreBusAddress *address,
                                const char             *path)
{
  char *resolved = realpath (path, NULL);
  g_autofree char *digest = NULL;

  /* realpath() allocates with malloc(): g_free() is free() since GLib 2.46 */
  address->real_path = resolved != NULL ? resolved : g_strdup (path);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, address->real_path, -1);
  address->name = g_strdup_printf ("%s%.*s", BUS_NAME_PREFIX, HASH_DIGITS, digest);
  address->object_path = g_strdup_printf ("%s%.*s", OBJECT_PATH_PREFIX, HASH_DIGITS, digest);
}

void
offline_store_bus_address_clear (OfflineStoreBusAddress *address)
{
  g_clear_pointer (&address->name, g_free);
  g_clear_pointer (&address->object_path, g_free);
  g_clear_pointer (&address->real_path, g_free);
}

/* "not-found" → "org.offlinemgr.Error.NotFound" */
static char *
name_for_nick (const char *nick)
{
  GString *name = g_string_new (OFFLINE_STORE_BUS_ERROR_PREFIX);
  gboolean upper = TRUE;

  for (const char *p = nick; *p != '\0'; p++) {
    if (*p == '-') {
      upper = TRUE;
      continue;
    }
    g_string_append_c (name, upper ? g_ascii_toupper (*p) : *p);
    upper = FALSE;
  }
  return g_string_free (name, FALSE);
}

void
offline_store_bus_register_errors (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered)) {
    g_autoptr(GEnumClass) klass = g_type_class_ref (OFFLINE_TYPE_ERROR);

    for (guint i = 0; i < klass->n_values; i++) {
      g_autofree char *name = name_for_nick (klass->values[i].value_nick);

      g_dbus_error_register_error (OFFLINE_ERROR, klass->values[i].value, name);
    }
    g_once_init_leave (&registered, 1);
  }
}

char *
offline_store_bus_error_name (const GError *error)
{
  offline_store_bus_register_errors ();
  return g_dbus_error_encode_gerror (error);
}

GDBusConnection *
offline_store_bus_connect (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  if (connection == NULL)
    g_debug ("No session bus: %s", error->message);
  return connection;
}
