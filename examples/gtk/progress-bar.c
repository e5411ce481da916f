/* progress-bar.c: a GTK 4 window whose GtkProgressBar follows a download
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   progress-bar STORE-DIR ENTRY-ID MANIFEST-URL
 *
 * Shows a window with a progress bar and a label, downloads the entry and
 * closes the window when the download ends, printing the bar's last
 * fraction and text. Build it against the installed library with
 *   cc progress-bar.c $(pkg-config --cflags --libs offlinemgr-glib-1.0 gtk4)
 * Exit status 0 when the download completed, 1 otherwise.
 */
#include <gtk/gtk.h>
#include <offline.h>
#include <stdio.h>

typedef struct {
  char *store_dir, *entry_id, *url;
  OfflineManager *manager;
  GtkWidget *window;
  GtkProgressBar *bar;
  GtkLabel *label;
  gboolean completed;
} App;

/* The manager emits its signals on the main context of the thread that
 * made it, here GTK's: widgets can be updated right away. */
static void
on_progress (OfflineManager *manager,
             const char     *entry_id,
             guint64         bytes_downloaded,
             guint64         bytes_expected,
             guint           segments_done,
             guint           segments_total,
             App            *app)
{
  g_autofree char *text = NULL;

  gtk_progress_bar_set_fraction (app->bar, bytes_expected > 0 ? (double) bytes_downloaded / bytes_expected : 0);
  text = g_strdup_printf ("%u of %u segments", segments_done, segments_total);
  gtk_progress_bar_set_text (app->bar, text);
}

static void
on_state_changed (OfflineManager       *manager,
                  const char           *entry_id,
                  OfflineDownloadState  old_state,
                  OfflineDownloadState  new_state,
                  App                  *app)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (OFFLINE_TYPE_DOWNLOAD_STATE);

  gtk_label_set_text (app->label, g_enum_get_value (states, new_state)->value_nick);
}

static void
download_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;

  app->completed = offline_manager_download_finish (app->manager, result, &error);
  if (error != NULL)
    gtk_label_set_text (app->label, error->message);
  printf ("%s: fraction %.2f, %s\n", gtk_label_get_text (app->label),
          gtk_progress_bar_get_fraction (app->bar), gtk_progress_bar_get_text (app->bar));
  gtk_window_destroy (GTK_WINDOW (app->window));
}

static void
activate (GtkApplication *application,
          App            *app)
{
  g_autoptr(OfflineUrlProvider) provider = offline_url_provider_new ();
  g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  app->window = gtk_application_window_new (application);
  gtk_window_set_title (GTK_WINDOW (app->window), app->entry_id);
  app->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (app->bar, TRUE);
  app->label = GTK_LABEL (gtk_label_new ("queued"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (app->bar));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (app->label));
  gtk_window_set_child (GTK_WINDOW (app->window), box);
  gtk_window_present (GTK_WINDOW (app->window));

  offline_url_provider_add (provider, app->entry_id, app->url, app->entry_id, NULL, NULL);
  app->manager = offline_manager_new (app->store_dir, OFFLINE_PROVIDER (provider), NULL, &error);
  if (app->manager == NULL) {
    gtk_label_set_text (app->label, error->message);
    return;
  }
  g_signal_connect (app->manager, "progress", G_CALLBACK (on_progress), app);
  g_signal_connect (app->manager, "state-changed", G_CALLBACK (on_state_changed), app);
  offline_manager_download_async (app->manager, app->entry_id, options, NULL, download_cb, app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) application = NULL;
  App app = { 0 };

  if (argc != 4) {
    fprintf (stderr, "usage: %s STORE-DIR ENTRY-ID MANIFEST-URL\n", argv[0]);
    return 2;
  }
  app.store_dir = argv[1];
  app.entry_id = argv[2];
  app.url = argv[3];
  application = gtk_application_new (NULL, G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (application, "activate", G_CALLBACK (activate), &app);
  g_application_run (G_APPLICATION (application), 1, argv);
  g_clear_object (&app.manager);
  return app.completed ? 0 : 1;
}
