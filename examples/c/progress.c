/* progress.c: download an entry, printing a progress bar
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   progress STORE-DIR ENTRY-ID MANIFEST-URL
 *
 * Build it against the installed library with
 *   cc progress.c $(pkg-config --cflags --libs offlinemgr-glib-1.0)
 * Exit status 0 when the download completed, 1 otherwise.
 */
#include <offline.h>
#include <stdio.h>

static void
on_progress (OfflineManager *manager,
             const char     *entry_id,
             guint64         bytes_downloaded,
             guint64         bytes_expected,
             guint           segments_done,
             guint           segments_total,
             gpointer        user_data)
{
  /* bytes_expected is an estimate until every segment is done, but always
   * above bytes_downloaded until then: 100 % means complete. */
  int percent = bytes_expected > 0 ? (int) (100 * bytes_downloaded / bytes_expected) : 0;
  char bar[21];

  for (int i = 0; i < 20; i++)
    bar[i] = i < percent / 5 ? '#' : '.';
  bar[20] = '\0';
  printf ("%s [%s] %3d%% %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " bytes, %u/%u segments\n",
          entry_id, bar, percent, bytes_downloaded, bytes_expected, segments_done, segments_total);
}

static void
on_state_changed (OfflineManager       *manager,
                  const char           *entry_id,
                  OfflineDownloadState  old_state,
                  OfflineDownloadState  new_state,
                  gpointer              user_data)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (OFFLINE_TYPE_DOWNLOAD_STATE);

  printf ("%s: %s -> %s\n", entry_id, g_enum_get_value (states, old_state)->value_nick,
          g_enum_get_value (states, new_state)->value_nick);
}

typedef struct {
  GMainLoop *loop;
  gboolean completed;
} Download;

static void
download_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Download *download = user_data;
  g_autoptr(GError) error = NULL;

  download->completed = offline_manager_download_finish (OFFLINE_MANAGER (source), result, &error);
  if (error != NULL)
    fprintf (stderr, "download failed: %s\n", error->message);
  g_main_loop_quit (download->loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OfflineUrlProvider) provider = NULL;
  g_autoptr(OfflineManager) manager = NULL;
  g_autoptr(OfflineDownloadOptions) options = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  Download download = { NULL, FALSE };

  if (argc != 4) {
    fprintf (stderr, "usage: %s STORE-DIR ENTRY-ID MANIFEST-URL\n", argv[0]);
    return 2;
  }
  provider = offline_url_provider_new ();
  offline_url_provider_add (provider, argv[2], argv[3], argv[2], NULL, NULL);
  manager = offline_manager_new (argv[1], OFFLINE_PROVIDER (provider), NULL, &error);
  if (manager == NULL) {
    fprintf (stderr, "cannot open the store: %s\n", error->message);
    return 1;
  }
  g_signal_connect (manager, "progress", G_CALLBACK (on_progress), NULL);
  g_signal_connect (manager, "state-changed", G_CALLBACK (on_state_changed), NULL);

  options = offline_download_options_new ();   /* lowest bitrate, first audio language */
  loop = download.loop = g_main_loop_new (NULL, FALSE);
  offline_manager_download_async (manager, argv[2], options, NULL, download_cb, &download);
  g_main_loop_run (loop);
  return download.completed ? 0 : 1;
}
