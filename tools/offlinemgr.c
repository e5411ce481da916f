/* offlinemgr: the command-line front end of OfflineManager
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "offline.h"
#include "offline-entry-id-private.h"
#include "offlinemgr-config.h"
#include "offlinemgr-entry.h"
#include "offlinemgr-media-info.h"
#include "offlinemgr-play.h"
#include "offlinemgr-text.h"

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130

/* Progress lines when not on a terminal: at most one per this many µs. */
#define PLAIN_PROGRESS_INTERVAL G_USEC_PER_SEC

/* The progress of one followed entry. */
typedef struct {
  gint64 started;           /* µs, monotonic */
  guint64 start_bytes;      /* bytes stored at the first progress report */
  gboolean have_start;
  gint64 last_plain;        /* µs of the last plain progress line */
} Follow;

typedef struct {
  GMainLoop *loop;
  OfflineManager *manager;
  OfflineUrlProvider *provider;
  char *entry_id;           /* the entry a foreground command follows */
  GCancellable *cancellable;/* cancelled by SIGINT/SIGTERM: stops that command */
  GHashTable *follows;      /* entry id → Follow */
  gboolean follow_all;      /* resume-all: every entry that gets queued */
  GHashTable *pending;      /* resume-all: the queued entries not settled yet */
  gboolean all_queued;      /* resume-all: resume_all has finished */
  gboolean is_tty;
  gboolean progress_shown;  /* a bar is on the current line */
  gboolean interrupted;
  int status;
} Cli;

static void
cli_clear (Cli *cli)
{
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_object (&cli->manager);
  g_clear_object (&cli->provider);
  g_clear_pointer (&cli->entry_id, g_free);
  g_clear_object (&cli->cancellable);
  g_clear_pointer (&cli->follows, g_hash_table_unref);
  g_clear_pointer (&cli->pending, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cli, cli_clear)

static const char *
error_code_name (const GError *error)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  if (error->domain != OFFLINE_ERROR)
    return "OFFLINE_ERROR_FAILED";
  klass = g_type_class_ref (OFFLINE_TYPE_ERROR);
  value = g_enum_get_value (klass, error->code);
  return value ? value->value_name : "OFFLINE_ERROR_FAILED";
}

static void
end_progress_line (Cli *cli)
{
  if (cli->progress_shown) {
    fputc ('\n', stdout);
    cli->progress_shown = FALSE;
  }
}

/* Reports @error in one line and sets the exit status to 1. */
static void
fail (Cli          *cli,
      const GError *error)
{
  g_autofree char *message = printable (error->message);

  end_progress_line (cli);
  fflush (stdout);
  g_printerr ("offlinemgr: %s: %s\n", error_code_name (error), message);
  cli->status = EXIT_FAILURE;
}

static Follow *
get_follow (Cli        *cli,
            const char *entry_id)
{
  Follow *follow = g_hash_table_lookup (cli->follows, entry_id);

  if (follow == NULL) {
    follow = g_new0 (Follow, 1);
    g_hash_table_insert (cli->follows, g_strdup (entry_id), follow);
  }
  return follow;
}

static gboolean
is_followed (Cli        *cli,
             const char *entry_id)
{
  return cli->follow_all || g_strcmp0 (entry_id, cli->entry_id) == 0;
}

/* Shows @percent of @entry_id's progress: on a terminal a bar then
 * @tty_details, redrawn; otherwise a line "progress ID: PERCENT
 * @plain_details" at most once a second, and when @last. */
static void
show_progress (Cli        *cli,
               const char *entry_id,
               double      percent,
               gboolean    last,
               const char *tty_details,
               const char *plain_details)
{
  Follow *follow = get_follow (cli, entry_id);
  g_autofree char *id = printable (entry_id);
  gint64 now = g_get_monotonic_time ();

  if (cli->is_tty) {
    char bar[31];
    int filled = (int) (MIN (percent, 100.0) * 30 / 100);

    memset (bar, '#', filled);
    memset (bar + filled, '.', 30 - filled);
    bar[30] = '\0';
    g_print ("\r\033[K%s%s[%s] %5.1f%%  %s", cli->follow_all ? id : "", cli->follow_all ? " " : "",
             bar, percent, tty_details);
    fflush (stdout);
    cli->progress_shown = TRUE;
  } else if (now - follow->last_plain >= PLAIN_PROGRESS_INTERVAL || last) {
    g_print ("progress %s: %.1f%% %s\n", id, percent, plain_details);
    follow->last_plain = now;
  }
}

static void
on_progress (OfflineManager *manager,
             const char     *entry_id,
             guint64         downloaded,
             guint64         expected,
             guint           segments_done,
             guint           segments_total,
             Cli            *cli)
{
  gint64 now = g_get_monotonic_time ();
  double elapsed;
  /* 100.0 % only once every segment is done, whatever the rounding */
  double percent = expected ? MIN (segments_done < segments_total ? 99.9 : 100.0,
                                   100.0 * downloaded / expected) : 0;
  double rate = 0;
  gint64 eta = -1;
  g_autofree char *done_text = g_format_size (downloaded);
  g_autofree char *expected_text = g_format_size (expected);
  g_autofree char *rate_text = NULL;
  g_autofree char *eta_text = NULL;
  g_autofree char *tty_details = NULL;
  g_autofree char *plain_details = NULL;
  Follow *follow;

  if (!is_followed (cli, entry_id))
    return;
  follow = get_follow (cli, entry_id);
  if (!follow->have_start) {
    follow->have_start = TRUE;
    follow->start_bytes = downloaded;
    follow->started = now;
  }
  elapsed = (now - follow->started) / (double) G_USEC_PER_SEC;
  if (downloaded > follow->start_bytes && elapsed > 0)
    rate = (downloaded - follow->start_bytes) / elapsed;
  if (rate > 0 && expected > downloaded)
    eta = (gint64) ((expected - downloaded) / rate);
  else if (expected <= downloaded)
    eta = 0;
  rate_text = g_format_size ((guint64) rate);
  eta_text = format_duration (eta);

  tty_details = g_strdup_printf ("%s / %s  %s/s  ETA %s", done_text, expected_text, rate_text,
                                 eta_text);
  plain_details = g_strdup_printf ("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " bytes, %u/%u segments, %s/s, ETA %s",
                                   downloaded, expected, segments_done, segments_total, rate_text,
                                   eta_text);
  show_progress (cli, entry_id, percent, segments_done == segments_total, tty_details,
                 plain_details);
}

static void maybe_finish_all (Cli *cli);

static void
on_state_changed (OfflineManager       *manager,
                  const char           *entry_id,
                  OfflineDownloadState  old_state,
                  OfflineDownloadState  new_state,
                  Cli                  *cli)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFFLINE_TYPE_DOWNLOAD_STATE);
  g_autofree char *id = NULL;

  if (!is_followed (cli, entry_id))
    return;
  id = printable (entry_id);
  if (!cli->is_tty) {
    g_print ("state %s: %s\n", id, g_enum_get_value (klass, new_state)->value_nick);
  } else if (new_state == OFFLINE_DOWNLOAD_STATE_WAITING) {
    end_progress_line (cli);
    g_printerr ("offlinemgr: %s waits for a usable network\n", id);
  }
  if (!cli->follow_all)
    return;

  /* resume-all: follow each entry it queues until it settles */
  if (new_state == OFFLINE_DOWNLOAD_STATE_QUEUED || new_state == OFFLINE_DOWNLOAD_STATE_DOWNLOADING ||
      new_state == OFFLINE_DOWNLOAD_STATE_WAITING) {
    g_hash_table_add (cli->pending, g_strdup (entry_id));
  } else if (g_hash_table_remove (cli->pending, entry_id)) {
    if (new_state == OFFLINE_DOWNLOAD_STATE_COMPLETED) {
      end_progress_line (cli);
      g_print ("completed %s\n", id);
    } else if (new_state == OFFLINE_DOWNLOAD_STATE_PAUSED && cli->interrupted) {
      end_progress_line (cli);
      g_printerr ("offlinemgr: paused %s\n", id);
    }
    /* a failure (or a full disk) is reported by on_error() */
    maybe_finish_all (cli);
  }
}

/* resume-all: a failed entry, or one paused by a full disk. */
static void
on_error (OfflineManager *manager,
          const char     *entry_id,
          const GError   *error,
          Cli            *cli)
{
  if (cli->follow_all)
    fail (cli, error);
}

/* resume-all ends once every entry it queued has settled. */
static void
maybe_finish_all (Cli *cli)
{
  if (!cli->all_queued || g_hash_table_size (cli->pending) > 0)
    return;
  if (cli->interrupted)
    cli->status = EXIT_INTERRUPTED;
  g_main_loop_quit (cli->loop);
}

/* Interrupted, or paused or removed by another process: the entry is
 * paused if it was stored, else abandoned (or removed). */
static void
on_interrupted_info (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(OfflineEntry) entry =
    offline_manager_get_downloaded_media_info_finish (OFFLINE_MANAGER (source), result, NULL);
  g_autofree char *id = printable (cli->entry_id);

  if (entry != NULL)
    g_printerr ("offlinemgr: paused %s\n", id);
  else if (!cli->interrupted)
    g_printerr ("offlinemgr: %s was removed\n", id);
  else
    g_printerr ("offlinemgr: stopped before %s was stored\n", id);
  g_main_loop_quit (cli->loop);
}

/* The end of a foreground download or resume. */
static void
finish_foreground (Cli    *cli,
                   GError *error)
{
  if (error == NULL) {
    g_autofree char *id = printable (cli->entry_id);

    end_progress_line (cli);
    g_print ("completed %s\n", id);
  } else if (g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED)) {
    /* interrupted, or paused or removed by another process */
    end_progress_line (cli);
    cli->status = EXIT_INTERRUPTED;
    offline_manager_get_downloaded_media_info_async (cli->manager, cli->entry_id, NULL,
                                                     on_interrupted_info, cli);
    return;
  } else {
    fail (cli, error);
  }
  g_main_loop_quit (cli->loop);
}

static void
on_download_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  offline_manager_download_finish (OFFLINE_MANAGER (source), result, &error);
  finish_foreground (user_data, error);
}

static void
on_resume_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  offline_manager_resume_finish (OFFLINE_MANAGER (source), result, &error);
  finish_foreground (user_data, error);
}

static void
on_all_paused (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* the entries settle PAUSED: maybe_finish_all() ends the command */
  offline_manager_pause_all_finish (OFFLINE_MANAGER (source), result, &error);
}

/* SIGINT / SIGTERM: pause cleanly (export: stop, nothing written), then
 * exit 130. */
static gboolean
on_signal (gpointer user_data)
{
  Cli *cli = user_data;

  if (cli->interrupted)
    return G_SOURCE_CONTINUE;
  cli->interrupted = TRUE;
  /* The operation ends with OFFLINE_ERROR_CANCELLED: cancelling a download
   * or resume pauses the entry, or abandons it at once while its manifest
   * is still being fetched (a pause would wait for that). */
  if (cli->follow_all)
    offline_manager_pause_all_async (cli->manager, NULL, on_all_paused, cli);
  else
    g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
connect_follow (Cli *cli)
{
  g_signal_connect (cli->manager, "progress", G_CALLBACK (on_progress), cli);
  g_signal_connect (cli->manager, "state-changed", G_CALLBACK (on_state_changed), cli);
  g_signal_connect (cli->manager, "error", G_CALLBACK (on_error), cli);
  g_unix_signal_add (SIGINT, on_signal, cli);
  g_unix_signal_add (SIGTERM, on_signal, cli);
}

/* Follows @entry_id's progress; the transfer rate counts from now for a
 * new download, from the first progress report (the bytes already stored)
 * for a resumed one. */
static void
follow_entry (Cli        *cli,
              const char *entry_id,
              gboolean    new_download)
{
  Follow *follow;

  cli->entry_id = g_strdup (entry_id);
  follow = get_follow (cli, entry_id);
  follow->started = g_get_monotonic_time ();
  follow->have_start = new_download;
  connect_follow (cli);
}

/* resume-all: every entry resumed is followed until it settles. */
static void
on_resume_all_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!offline_manager_resume_all_finish (OFFLINE_MANAGER (source), result, &error))
    fail (cli, error);
  cli->all_queued = TRUE;
  maybe_finish_all (cli);
}

/* export: how much of the entry's timeline is written. */
static void
on_export_progress (GTimeSpan exported,
                    GTimeSpan duration,
                    gpointer  user_data)
{
  Cli *cli = user_data;
  double percent = duration > 0 ? MIN (100.0, 100.0 * exported / duration) : 0;
  g_autofree char *done_text = format_duration (exported / G_USEC_PER_SEC);
  g_autofree char *duration_text = format_duration (duration > 0 ? duration / G_USEC_PER_SEC : -1);
  g_autofree char *details = g_strdup_printf ("%s / %s", done_text, duration_text);

  show_progress (cli, cli->entry_id, percent, exported >= duration, details, details);
}

/* The commands that only succeed or fail. */
typedef gboolean (*FinishFunc) (OfflineManager *, GAsyncResult *, GError **);

typedef struct {
  Cli *cli;
  FinishFunc finish;
  const char *done_message;   /* printed on success */
} SimpleOp;

static void
on_simple_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree SimpleOp *op = user_data;
  g_autoptr(GError) error = NULL;

  if (!op->finish (op->cli->manager, result, &error)) {
    fail (op->cli, error);
    /* (export) stopped by SIGINT or SIGTERM */
    if (op->cli->interrupted && g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED))
      op->cli->status = EXIT_INTERRUPTED;
  } else if (op->done_message != NULL) {
    end_progress_line (op->cli);
    g_print ("%s\n", op->done_message);
  }
  g_main_loop_quit (op->cli->loop);
}

static SimpleOp *
simple_op (Cli        *cli,
           FinishFunc  finish,
           const char *done_message)
{
  SimpleOp *op = g_new0 (SimpleOp, 1);

  op->cli = cli;
  op->finish = finish;
  op->done_message = done_message;
  return op;
}

typedef struct {
  Cli *cli;
  gboolean json;
  gboolean media_info;      /* media-info rather than info */
} ListOp;

static void
on_list_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree ListOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = offline_manager_get_all_downloads_finish (op->cli->manager, result, &error);

  if (entries == NULL) {
    fail (op->cli, error);
  } else if (op->json) {
    g_print ("[");
    for (guint i = 0; i < entries->len; i++) {
      g_autofree char *json = offline_entry_to_json (g_ptr_array_index (entries, i));

      g_print ("%s\n%s", i ? "," : "", json);
    }
    g_print ("]\n");
  } else {
    g_print ("%-24s %-11s %6s  %10s  %s\n", "ID", "STATE", "DONE", "SIZE", "NAME");
    for (guint i = 0; i < entries->len; i++)
      print_entry_line (g_ptr_array_index (entries, i));
  }
  g_main_loop_quit (op->cli->loop);
}

/* The end of info, and of media-info (op->media_info). */
static void
on_info_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree ListOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(OfflineMediaInfo) info = NULL;

  if (op->media_info)
    info = offline_manager_get_media_info_finish (op->cli->manager, result, &error);
  else
    entry = offline_manager_get_downloaded_media_info_finish (op->cli->manager, result, &error);

  if (error != NULL) {
    fail (op->cli, error);
  } else if (info != NULL) {
    print_media_info (info, op->json);
  } else if (op->json) {
    g_autofree char *json = offline_entry_to_json (entry);

    g_print ("%s\n", json);
  } else {
    print_entry_details (entry);
  }
  g_main_loop_quit (op->cli->loop);
}

static ListOp *
list_op (Cli      *cli,
         gboolean  json)
{
  ListOp *op = g_new0 (ListOp, 1);

  op->cli = cli;
  op->json = json;
  return op;
}

/* The commands, as `offlinemgr --help` lists them (the man page,
 * offlinemgr.1, lists the same). */
static const struct {
  const char *name;
  const char *args;
  const char *summary;
} commands[] = {
  { "download", "ID [--url URL] [--language LANG] [--bitrate BPS] [--name NAME] [--max-retries N]"
    " [--no-metered]",
    "Resolve ID to the manifest or media file at URL (without --url: through the provider of\n"
    "--config FILE), store it and follow the download to its end." },
  { "resume", "ID [--max-retries N] [--no-metered]",
    "Continue a paused or failed entry: only what is missing is fetched." },
  { "resume-all", "[--max-retries N] [--no-metered]",
    "Continue every paused or failed entry, following each to its end." },
  { "pause", "ID", "Pause a queued or downloading entry (resume continues it)." },
  { "pause-all", "", "Pause every queued or downloading entry." },
  { "remove", "ID", "Delete an entry and its files." },
  { "remove-all", "", "Delete every entry." },
  { "list", "[--json]", "List the stored entries." },
  { "info", "ID [--json]", "Show what is stored of an entry." },
  { "media-info", "ID [--url URL] [--json]",
    "Show what the provider of --config FILE (or --url URL) says of ID: manifest, format, name,\n"
    "description, duration, tags, poster, DRM and sources. Nothing is stored." },
  { "renew-license", "ID", "Renew the Clear Key licence of a protected entry." },
  { "play", "ID [--headless]", "Play an entry from the store, without network." },
  { "export", "ID FILE.mp4|FILE.mkv [--partial]",
    "Write an entry to a plain MP4 or Matroska file (remuxed, decrypted, not re-encoded);\n"
    "a paused entry only with --partial (its stored part). FILE is replaced if it exists." },
};

static const char usage_footer[] =
  "\n"
  "Every command has --help. The store is --store DIR, else the storePath of\n"
  "--config FILE (a player-style JSON configuration), else $OFFLINEMGR_STORE,\n"
  "else ~/.local/share/offlinemgr. Exit status: 0 success, 1 failure, 2 usage,\n"
  "130 interrupted (paused). See offlinemgr(1).\n";

static char *
usage_text (void)
{
  GString *text = g_string_new ("offlinemgr [--store DIR] [--config FILE] COMMAND [ARGS]\n"
                                "       offlinemgr --help | --version\n"
                                "\n"
                                "Commands:\n");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %s%s%s\n", commands[i].name, *commands[i].args ? " " : "",
                            commands[i].args);
  g_string_append (text, usage_footer);
  return g_string_free (text, FALSE);
}

static int
usage (const char *message)
{
  g_autofree char *text = usage_text ();

  if (message != NULL)
    g_printerr ("offlinemgr: %s\n", message);
  g_printerr ("Usage: %s", text);
  return EXIT_USAGE;
}

/* Parses the options of @command; its positional arguments are left in
 * @argv. FALSE on a usage error (reported), or after printing the
 * command's help (*@help set). */
static gboolean
parse_command_options (const char    *command,
                       GOptionEntry  *entries,
                       int           *argc,
                       char        ***argv,
                       gboolean      *help)
{
  g_autofree char *parameters = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, help, "Show the help of this command", NULL },
    { NULL }
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (g_str_equal (commands[i].name, command)) {
      parameters = g_strdup_printf ("%s %s", command, commands[i].args);
      context = g_option_context_new (parameters);
      g_option_context_set_summary (context, commands[i].summary);
    }
  }
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, help_entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error)) {
    usage (error->message);
    return FALSE;
  }
  if (*help) {
    g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

    g_print ("%s", text);
    return FALSE;
  }
  return TRUE;
}

/* The entry id check of the library, for `play` (which hands the id to
 * offlinesrc in a URI): exit 1 with OFFLINE_ERROR_INVALID_ARGUMENT. */
static gboolean
check_play_id (Cli        *cli,
               const char *entry_id)
{
  g_autoptr(GError) error = NULL;

  if (offline_entry_id_validate (entry_id, -1, &error))
    return TRUE;
  fail (cli, error);
  return FALSE;
}

static int
run (Cli         *cli,
     const char  *store,
     const char  *config_path,
     int          argc,
     char       **argv)
{
  g_auto(CliConfig) config = { 0 };
  const char *command = argv[0];
  g_autofree char *url = NULL, *language = NULL, *name = NULL;
  gint64 bitrate = 0;
  gboolean json = FALSE;
  gboolean headless = FALSE;
  gboolean partial = FALSE;
  g_autoptr(GError) error = NULL;
  gint max_retries = G_MININT;   /* not given */
  gboolean no_metered = FALSE;
  gboolean help = FALSE;
#define RUN_ENTRIES \
    { "max-retries", 0, 0, G_OPTION_ARG_INT, &max_retries, \
      "Retries of a transient network failure (0-100, default 5)", "N" }, \
    { "no-metered", 0, 0, G_OPTION_ARG_NONE, &no_metered, \
      "Wait while the network is metered", NULL }
  GOptionEntry download_entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Manifest or media URL", "URL" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, "Audio language", "LANG" },
    { "bitrate", 0, 0, G_OPTION_ARG_INT64, &bitrate, "Video bitrate to come closest to", "BPS" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Entry name", "NAME" },
    RUN_ENTRIES,
    { NULL }
  };
  GOptionEntry retry_entries[] = { RUN_ENTRIES, { NULL } };
#undef RUN_ENTRIES
  GOptionEntry json_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  GOptionEntry media_info_entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Manifest or media URL (instead of the provider)", "URL" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  GOptionEntry play_entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless, "Play with fakesinks, no window", NULL },
    { NULL }
  };
  GOptionEntry export_entries[] = {
    { "partial", 0, 0, G_OPTION_ARG_NONE, &partial, "Export the stored part of a paused entry", NULL },
    { NULL }
  };
  GOptionEntry no_entries[] = { { NULL } };
  GOptionEntry *entries = no_entries;
  int positional = 0;

  if (g_str_equal (command, "download"))
    entries = download_entries, positional = 1;
  else if (g_str_equal (command, "list"))
    entries = json_entries;
  else if (g_str_equal (command, "info"))
    entries = json_entries, positional = 1;
  else if (g_str_equal (command, "media-info"))
    entries = media_info_entries, positional = 1;
  else if (g_str_equal (command, "play"))
    entries = play_entries, positional = 1;
  else if (g_str_equal (command, "export"))
    entries = export_entries, positional = 2;
  else if (g_str_equal (command, "resume"))
    entries = retry_entries, positional = 1;
  else if (g_str_equal (command, "resume-all"))
    entries = retry_entries;
  else if (g_str_equal (command, "remove") || g_str_equal (command, "pause") ||
           g_str_equal (command, "renew-license"))
    positional = 1;
  else if (!g_str_equal (command, "pause-all") && !g_str_equal (command, "remove-all"))
    return usage ("unknown command");

  /* every usage error is found before the store is opened (or created) */
  if (!parse_command_options (command, entries, &argc, &argv, &help))
    return help ? EXIT_SUCCESS : EXIT_USAGE;
  if (argc != 1 + positional)
    return usage (positional == 2 ? "expected an entry id and a file" :
                  positional ? "expected one entry id" : "unexpected arguments");
  if (bitrate < 0)
    return usage ("--bitrate must not be negative");
  if (max_retries != G_MININT && (max_retries < 0 || max_retries > 100))
    return usage ("--max-retries must be between 0 and 100");

  if (config_path != NULL && !cli_config_load (config_path, store, &config, &error)) {
    fail (cli, error);
    return cli->status;
  }
  if ((g_str_equal (command, "download") || g_str_equal (command, "media-info")) &&
      url == NULL && !config.has_provider) {
    g_autofree char *message =
      g_strdup_printf ("%s needs --url URL, or --config FILE with a provider section%s", command,
                       config_path != NULL ? " (this configuration names no provider)" : "");

    return usage (message);
  }

  if (g_str_equal (command, "play"))
    return check_play_id (cli, argv[1]) ?
      offlinemgr_play (config_path != NULL ? config.store_path : store, argv[1], headless) :
      cli->status;

  if (config_path != NULL)
    cli->manager = offline_manager_new_from_config (config.json, NULL, &error);
  else
    cli->manager = offline_manager_new (store, OFFLINE_PROVIDER (cli->provider), NULL, &error);
  if (cli->manager == NULL) {
    fail (cli, error);
    return cli->status;
  }
  if (max_retries != G_MININT)
    g_object_set (cli->manager, "max-retries", (guint) max_retries, NULL);
  if (no_metered)
    offline_manager_set_allow_metered (cli->manager, FALSE);
  /* --url: this URL, whatever the configuration's provider */
  if (url != NULL) {
    offline_url_provider_add (cli->provider, argv[1], url, name, NULL, NULL);
    offline_manager_set_provider (cli->manager, OFFLINE_PROVIDER (cli->provider));
  }

  if (g_str_equal (command, "download")) {
    g_autoptr(OfflineDownloadOptions) options = offline_download_options_new ();

    offline_download_options_set_language (options, language);
    offline_download_options_set_bitrate (options, (guint64) bitrate);
    follow_entry (cli, argv[1], TRUE);
    offline_manager_download_async (cli->manager, argv[1], options, cli->cancellable,
                                    on_download_done, cli);
  } else if (g_str_equal (command, "resume")) {
    follow_entry (cli, argv[1], FALSE);
    offline_manager_resume_async (cli->manager, argv[1], cli->cancellable, on_resume_done, cli);
  } else if (g_str_equal (command, "resume-all")) {
    cli->follow_all = TRUE;
    connect_follow (cli);
    offline_manager_resume_all_async (cli->manager, NULL, on_resume_all_done, cli);
  } else if (g_str_equal (command, "pause")) {
    offline_manager_pause_async (cli->manager, argv[1], NULL, on_simple_done,
                                 simple_op (cli, offline_manager_pause_finish, "paused"));
  } else if (g_str_equal (command, "pause-all")) {
    offline_manager_pause_all_async (cli->manager, NULL, on_simple_done,
                                     simple_op (cli, offline_manager_pause_all_finish, "paused all"));
  } else if (g_str_equal (command, "remove")) {
    offline_manager_remove_async (cli->manager, argv[1], NULL, on_simple_done,
                                  simple_op (cli, offline_manager_remove_finish, "removed"));
  } else if (g_str_equal (command, "remove-all")) {
    offline_manager_remove_all_async (cli->manager, NULL, on_simple_done,
                                      simple_op (cli, offline_manager_remove_all_finish, "removed all"));
  } else if (g_str_equal (command, "renew-license")) {
    offline_manager_renew_license_async (cli->manager, argv[1], NULL, on_simple_done,
                                         simple_op (cli, offline_manager_renew_license_finish,
                                                    "renewed"));
  } else if (g_str_equal (command, "export")) {
    cli->entry_id = g_strdup (argv[1]);
    g_unix_signal_add (SIGINT, on_signal, cli);
    g_unix_signal_add (SIGTERM, on_signal, cli);
    offline_manager_export_async (cli->manager, argv[1], argv[2],
                                  partial ? OFFLINE_EXPORT_FLAGS_PARTIAL : OFFLINE_EXPORT_FLAGS_NONE,
                                  cli->cancellable, on_export_progress, cli, NULL, on_simple_done,
                                  simple_op (cli, offline_manager_export_finish, "exported"));
  } else if (g_str_equal (command, "media-info")) {
    ListOp *op = list_op (cli, json);

    op->media_info = TRUE;
    offline_manager_get_media_info_async (cli->manager, argv[1], cli->cancellable, on_info_done, op);
  } else if (g_str_equal (command, "list")) {
    offline_manager_get_all_downloads_async (cli->manager, NULL, on_list_done, list_op (cli, json));
  } else {
    offline_manager_get_downloaded_media_info_async (cli->manager, argv[1], NULL, on_info_done,
                                                     list_op (cli, json));
  }
  g_main_loop_run (cli->loop);
  return cli->status;
}

int
main (int    argc,
      char **argv)
{
  g_auto(Cli) cli = { 0 };
  g_autofree char *store = NULL;
  g_autofree char *config_path = NULL;
  gboolean help = FALSE;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store, "Store directory", "DIR" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path, "Player-style JSON configuration", "FILE" },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show help", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Show the version", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("COMMAND [ARGS]");
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (error->message);
  if (help) {
    g_autofree char *text = usage_text ();

    g_print ("Usage: %s", text);
    return EXIT_SUCCESS;
  }
  if (version) {
    g_print ("offlinemgr %s\n", PACKAGE_VERSION);
    return EXIT_SUCCESS;
  }
  if (argc < 2)
    return usage ("no command given");

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.is_tty = isatty (STDOUT_FILENO);
  cli.provider = offline_url_provider_new ();
  cli.cancellable = g_cancellable_new ();
  cli.follows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cli.pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return run (&cli, store, config_path, argc - 1, argv + 1);
}
