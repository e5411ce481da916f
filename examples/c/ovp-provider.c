/* ovp-provider.c: resolve entry ids with Kaltura's OVP API
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   ovp-provider STORE-DIR
 *
 * Opens a manager on STORE-DIR whose entry ids are resolved by an
 * OfflineOvpProvider (partner 1234567), and prints where its requests
 * would go; nothing is requested.
 */
#include <offline.h>
#include <stdio.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *service_url = NULL;
  gint64 partner_id;

  if (argc != 2) {
    fprintf (stderr, "usage: %s STORE-DIR\n", argv[0]);
    return 2;
  }
  manager = offline_manager_new (argv[1], NULL, NULL, &error);
  if (manager == NULL) {
    fprintf (stderr, "cannot open the store: %s\n", error->message);
    return 1;
  }

  OfflineOvpProvider *provider =
    g_object_new (OFFLINE_TYPE_OVP_PROVIDER,
                  "partner-id", (gint64) 1234567,
                  "service-url", "https://cdnapisec.kaltura.com/api_v3",
                  "ks", NULL,                 /* NULL: an anonymous widget session */
                  NULL);
  offline_manager_set_provider (manager, OFFLINE_PROVIDER (provider));

  g_object_get (offline_manager_get_provider (manager),
                "partner-id", &partner_id, "service-url", &service_url, NULL);
  printf ("partner %" G_GINT64_FORMAT " at %s\n", partner_id, service_url);
  g_object_unref (provider);
  return 0;
}
