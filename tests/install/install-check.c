/* install-check.c: a program built against an installed libofflinemgr-glib
 * with `cc install-check.c $(pkg-config --cflags --libs offlinemgr-glib-1.0)`
 * alone (tests/test_install.py builds and runs it)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   install-check STORE-DIR
 *
 * Opens a manager on STORE-DIR (created empty), lists its entries (none),
 * asks for an entry that is not there (OFFLINE_ERROR_NOT_FOUND) and for an
 * invalid id (OFFLINE_ERROR_INVALID_ARGUMENT), prints what it saw and exits
 * 0 when all is as documented.
 */
#include <offline.h>

typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static gboolean
expect_error (const char   *what,
              const GError *error,
              int           code)
{
  g_autoptr(GEnumClass) codes = g_type_class_ref (OFFLINE_TYPE_ERROR);
  GEnumValue *value = error != NULL ? g_enum_get_value (codes, error->code) : NULL;

  g_print ("%s: %s (%s)\n", what, value != NULL ? value->value_name : "no error",
           error != NULL ? error->message : "");
  return error != NULL && error->domain == OFFLINE_ERROR && error->code == code;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineUrlProvider) provider = NULL;
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  gboolean ok = TRUE;

  if (argc != 2)
    {
      g_printerr ("usage: %s STORE-DIR\n", argv[0]);
      return 2;
    }

  provider = offline_url_provider_new ();
  manager = offline_manager_new (argv[1], OFFLINE_PROVIDER (provider), NULL, &error);
  if (manager == NULL)
    {
      g_printerr ("offline_manager_new: %s\n", error->message);
      return 1;
    }
  g_print ("store: %s\n", offline_manager_get_store_path (manager));

  offline_manager_get_all_downloads_async (manager, NULL, on_done, &wait);
  entries = offline_manager_get_all_downloads_finish (manager, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_print ("entries: %d\n", entries != NULL ? (int) entries->len : -1);
  ok = ok && entries != NULL && entries->len == 0;
  g_clear_error (&error);

  offline_manager_get_downloaded_media_info_async (manager, "not-there", NULL, on_done, &wait);
  entry = offline_manager_get_downloaded_media_info_finish (manager, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  ok = expect_error ("not-there", error, OFFLINE_ERROR_NOT_FOUND) && entry == NULL && ok;
  g_clear_error (&error);

  offline_manager_remove_async (manager, "", NULL, on_done, &wait);
  offline_manager_remove_finish (manager, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  ok = expect_error ("empty id", error, OFFLINE_ERROR_INVALID_ARGUMENT) && ok;

  g_print ("%s\n", ok ? "install-check: ok" : "install-check: FAILED");
  return ok ? 0 : 1;
}
