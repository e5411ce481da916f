/* export.c: write a stored entry to a plain MP4 or Matroska file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   export STORE-DIR ENTRY-ID FILE.mp4|FILE.mkv
 *
 * Build it against the installed library with
 *   cc export.c $(pkg-config --cflags --libs offlinemgr-glib-1.0)
 * Exit status 0 when the file is written, 1 otherwise (nothing is then
 * left at FILE).
 */
#include <offline.h>

typedef struct {
  GMainLoop *loop;
  int status;
} Export;

/* On the manager's main context, about 4 times a second and at the end. */
static void
on_progress (GTimeSpan exported,
             GTimeSpan duration,
             gpointer  user_data)
{
  g_print ("progress %3d%%\n", duration > 0 ? (int) (100 * exported / duration) : 0);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  if (offline_manager_export_finish (OFFLINE_MANAGER (source), result, &error)) {
    g_print ("exported\n");
  } else {
    /* e.g. OFFLINE_ERROR_ENTRY_INCOMPLETE: export a paused entry's stored
     * part with OFFLINE_EXPORT_FLAGS_PARTIAL */
    g_printerr ("export failed: %s\n", error->message);
    export->status = 1;
  }
  g_main_loop_quit (export->loop);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Export export = { NULL, 0 };

  if (argc != 4) {
    g_printerr ("usage: export STORE-DIR ENTRY-ID FILE.mp4|FILE.mkv\n");
    return 2;
  }
  manager = offline_manager_new (argv[1], NULL, NULL, &error);
  if (manager == NULL) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  export.loop = g_main_loop_new (NULL, FALSE);
  offline_manager_export_async (manager, argv[2], argv[3], OFFLINE_EXPORT_FLAGS_NONE, NULL,
                                on_progress, NULL, NULL, on_exported, &export);
  g_main_loop_run (export.loop);
  g_main_loop_unref (export.loop);
  return export.status;
}
