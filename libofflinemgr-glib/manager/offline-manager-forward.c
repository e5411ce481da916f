/* offline-manager-forward.c: a download or resume that another process
 * carries out for this manager, and what happens when that process ends
 * before the download does
 *
 * The holder of the store downloads for the processes that read it
 * (docs/dbus.md). If it ends first (it quit, was stopped or crashed), its
 * bus connection closes and the call fails; the entry it left is PAUSED
 * once the store is opened again. This process then takes the store over
 * (its lock is free once the holder's process is gone) and carries the
 * download on itself, so that the caller sees it end as if nothing
 * happened. If another process took the store over first, the operation
 * is sent to that one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-error.h"
#include "offline-manager-private.h"

/* How long to wait for the lock of a holder that left the bus (its
 * process is ending): tried every TAKE_OVER_INTERVAL ms, at most
 * TAKE_OVER_TRIES times. Only after a holder was lost, never while idle. */
#define TAKE_OVER_INTERVAL 100
#define TAKE_OVER_TRIES 50

typedef struct {
  OfflineManager *manager;          /* (owned) */
  GTask *task;                      /* (owned) the caller's */
  char *entry_id;                   /* (owned) */
  OfflineProvider *provider;        /* (owned) (nullable) download only */
  OfflineDownloadOptions *options;  /* (owned) (nullable) download only */
  gboolean is_download;             /* else a resume */
  gboolean had_holder;              /* when the call was sent */
  gboolean sent_again;              /* to a new holder: its answer is final */
  guint tries;                      /* to take the store over */
  GError *lost;                     /* (owned) (nullable) the call's error */
} Forward;

static void
forward_free (Forward *forward)
{
  g_object_unref (forward->manager);
  g_object_unref (forward->task);
  g_free (forward->entry_id);
  g_clear_object (&forward->provider);
  g_clear_object (&forward->options);
  g_clear_error (&forward->lost);
  g_free (forward);
}

static void send (Forward *forward);

/* Here, now that this process holds the store. */
static void
carry_on_here (Forward *forward)
{
  OfflineManager *self = forward->manager;
  g_autoptr(OfflineEntry) entry = offline_store_get_entry (self->store, forward->entry_id, NULL);
  GError *error = NULL;

  g_debug ("The holder of %s ended before %s was downloaded: downloading it here",
           self->store_path, forward->entry_id);
  /* completed by the holder after all; stored by it (then PAUSED):
   * resumed; not yet stored: downloaded */
  if (entry != NULL && offline_entry_get_state (entry) == OFFLINE_DOWNLOAD_STATE_COMPLETED) {
    g_task_return_boolean (forward->task, TRUE);
    forward_free (forward);
    return;
  }
  if (offline_manager_resume_entry (self, forward->entry_id, forward->task, &error)) {
    forward_free (forward);
    return;
  }
  if (forward->is_download && g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND)) {
    g_clear_error (&error);
    offline_manager_download_entry (self, forward->provider, forward->entry_id,
                                    forward->options, forward->task);
  } else {
    g_task_return_error (forward->task, error);
  }
  forward_free (forward);
}

static gboolean
try_take_over (gpointer user_data)
{
  Forward *forward = user_data;

  if (!offline_manager_is_remote (forward->manager)) {
    carry_on_here (forward);
  } else if (++forward->tries < TAKE_OVER_TRIES) {
    return G_SOURCE_CONTINUE;
  } else if (offline_manager_remote_has_holder (forward->manager->remote)) {
    /* another process took the store over first */
    forward->sent_again = TRUE;
    g_clear_error (&forward->lost);
    send (forward);
  } else {
    g_task_return_error (forward->task, g_steal_pointer (&forward->lost));
    forward_free (forward);
  }
  return G_SOURCE_REMOVE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Forward *forward = user_data;
  GCancellable *cancellable = g_task_get_cancellable (forward->task);
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error)) {
    g_task_return_boolean (forward->task, TRUE);
  } else if (!forward->had_holder || forward->sent_again ||
             !g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE_LOCKED) ||
             g_cancellable_is_cancelled (cancellable)) {
    g_task_return_error (forward->task, error);
  } else {
    /* the holder was there when the call was sent: it ended */
    GSource *timeout = g_timeout_source_new (TAKE_OVER_INTERVAL);

    forward->lost = error;
    g_source_set_callback (timeout, try_take_over, forward, NULL);
    g_source_attach (timeout, g_task_get_context (forward->task));
    g_source_unref (timeout);
    if (try_take_over (forward) == G_SOURCE_REMOVE)
      g_source_destroy (timeout);
    return;
  }
  forward_free (forward);
}

static void
send (Forward *forward)
{
  g_autoptr(GTask) call = g_task_new (forward->manager, g_task_get_cancellable (forward->task),
                                      sent_cb, forward);
  OfflineManagerRemote *remote = forward->manager->remote;

  g_task_set_check_cancellable (call, FALSE);
  forward->had_holder = offline_manager_remote_has_holder (remote);
  if (forward->is_download)
    offline_manager_remote_download (remote, forward->provider, forward->entry_id,
                                     forward->options, call);
  else
    offline_manager_remote_call (remote, "Resume", g_variant_new ("(s)", forward->entry_id),
                                 forward->entry_id, call);
}

static Forward *
forward_new (OfflineManager *self,
             const char     *entry_id,
             GTask          *task)
{
  Forward *forward = g_new0 (Forward, 1);

  forward->manager = g_object_ref (self);
  forward->task = g_object_ref (task);
  forward->entry_id = g_strdup (entry_id);
  return forward;
}

void
offline_manager_forward_download (OfflineManager         *self,
                                  OfflineProvider        *provider,
                                  const char             *entry_id,
                                  OfflineDownloadOptions *options,
                                  GTask                  *task)
{
  Forward *forward = forward_new (self, entry_id, task);

  forward->is_download = TRUE;
  forward->provider = provider != NULL ? g_object_ref (provider) : NULL;
  forward->options = options != NULL ? g_object_ref (options) : NULL;
  send (forward);
}

void
offline_manager_forward_resume (OfflineManager *self,
                                const char     *entry_id,
                                GTask          *task)
{
  send (forward_new (self, entry_id, task));
}
