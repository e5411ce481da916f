/* gstofflinesrc-poll.c: a thread that tells offlinesrc when the store
 * changed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What follows an entry still downloading needs to know when the
 * downloader stored more: the following readers (gstofflinesrc-follow.c)
 * and the wait for its first segments (gstofflinesrc-opening.c). The
 * downloader may be another process, so no signal reaches offlinesrc:
 * this thread reads the store's change counter (a read of SQLite's shared
 * memory, not a query) a few times a second, and only when it moved lets
 * its owner read the entry again.
 */
#include "gstofflinesrc-poll-private.h"

#include "offline-stored-entry.h"

/* How often the store is asked whether it changed. */
#define POLL_INTERVAL (100 * G_TIME_SPAN_MILLISECOND)

void
gst_offline_src_poll_init (GstOfflineSrcPoll *poll)
{
  g_mutex_init (&poll->lock);
  g_cond_init (&poll->cond);
}

void
gst_offline_src_poll_clear (GstOfflineSrcPoll *poll)
{
  gst_offline_src_poll_stop (poll);
  g_mutex_clear (&poll->lock);
  g_cond_clear (&poll->cond);
}

static gpointer
poll_thread (gpointer data)
{
  GstOfflineSrcPoll *poll = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStoredWatch) watch = offline_stored_watch_new (poll->store_path, &error);
  gboolean going = TRUE, changed = TRUE;   /* the first look */

  if (watch == NULL) {
    poll->look (poll->user_data, error);
    return NULL;
  }
  g_mutex_lock (&poll->lock);
  while (poll->running && going) {
    gint64 deadline = g_get_monotonic_time () + POLL_INTERVAL;

    if (changed) {
      g_mutex_unlock (&poll->lock);
      going = poll->look (poll->user_data, NULL);
      g_mutex_lock (&poll->lock);
      if (!going)
        break;
    }
    while (poll->running && g_cond_wait_until (&poll->cond, &poll->lock, deadline))
      ;     /* woken by a stop only */
    if (!poll->running)
      break;
    g_mutex_unlock (&poll->lock);
    if (!offline_stored_watch_changed (watch, &changed, &error)) {
      poll->look (poll->user_data, error);
      going = FALSE;
    }
    g_mutex_lock (&poll->lock);
  }
  g_mutex_unlock (&poll->lock);
  return NULL;
}

void
gst_offline_src_poll_start (GstOfflineSrcPoll     *poll,
                            const char            *store_path,
                            GstOfflineSrcLookFunc  look,
                            gpointer               user_data)
{
  g_return_if_fail (poll->thread == NULL);

  poll->store_path = g_strdup (store_path);
  poll->look = look;
  poll->user_data = user_data;
  poll->running = TRUE;
  poll->thread = g_thread_new ("offlinesrc-poll", poll_thread, poll);
}

void
gst_offline_src_poll_stop (GstOfflineSrcPoll *poll)
{
  if (poll->thread == NULL)
    return;
  g_mutex_lock (&poll->lock);
  poll->running = FALSE;
  g_cond_broadcast (&poll->cond);
  g_mutex_unlock (&poll->lock);
  g_thread_join (g_steal_pointer (&poll->thread));
  g_clear_pointer (&poll->store_path, g_free);
}
