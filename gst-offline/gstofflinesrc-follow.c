/* gstofflinesrc-follow.c: offlinesrc plays an entry that is still
 * downloading
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An entry that is queued, downloading or waiting for the network opens
 * with readers that keep its parts not stored yet (gstofflinepartreader.h,
 * follow). Its duration is the whole entry's. A track that reaches a part
 * not stored yet waits for it (GstOfflineTrackSrcHooks.wait_for_parts):
 * offlinesrc posts BUFFERING 0 % when the first track starts waiting and
 * 100 % when none waits any more, as a network source does, so that an
 * application (or gst-launch-1.0) pauses meanwhile.
 *
 * How it learns of new parts: a thread asks the store a few times a
 * second whether its index changed (offline_stored_watch_changed() of offline-stored-entry.h: SQLite's
 * data_version, a read of shared memory, whichever process writes), and
 * only then opens the entry again and tells the readers which parts got
 * stored. So the downloader may be this process or another one.
 *
 * When the download stops growing the entry: paused, a WARNING
 * (OFFLINE_ERROR_ENTRY_INCOMPLETE) and each track ends (EOS) at its first
 * part not stored, as a paused entry plays. Failed: what is stored plays
 * too, and the first track that reaches a part not stored posts the ERROR
 * (OFFLINE_ERROR_ENTRY_INCOMPLETE, with the download's failure) and ends,
 * so an application shows everything stored before it stops on the error;
 * an entry failed with every part stored plays to its end. Removed, or a
 * store that cannot be read: an ERROR at once.
 */
#include "gstofflinesrc-private.h"

#include "offline-error.h"

GST_DEBUG_CATEGORY_EXTERN (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

/* How often the store is asked whether it changed. */
#define POLL_INTERVAL (100 * G_TIME_SPAN_MILLISECOND)
/* How often a waiting track looks whether its pad is flushing. */
#define FLUSH_CHECK_INTERVAL (20 * G_TIME_SPAN_MILLISECOND)

void
gst_offline_src_follow_init (GstOfflineSrcFollow *follow)
{
  g_mutex_init (&follow->lock);
  g_cond_init (&follow->cond);
}

void
gst_offline_src_follow_clear (GstOfflineSrcFollow *follow)
{
  gst_offline_src_follow_stop (follow);
  g_mutex_clear (&follow->lock);
  g_cond_clear (&follow->cond);
}

static void
post_buffering (GstOfflineSrcFollow *follow,
                int                  percent)
{
  GST_DEBUG_OBJECT (follow->element, "buffering %d%%", percent);
  gst_element_post_message (follow->element,
                            gst_message_new_buffering (GST_OBJECT (follow->element), percent));
}

/* One look at the store, from the thread: whether the waiters have
 * something new to look at; *@ended once no more parts will come. The
 * entry is read when the store changed, or @always (the first look: the
 * entry may have changed between its opening and the watch's). */
static gboolean
look (GstOfflineSrcFollow *follow,
      OfflineStoredWatch   *watch,
      gboolean             always,
      gboolean            *ended)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStoredEntry) stored = NULL;
  OfflineEntry *entry;
  gboolean changed;

  if (!offline_stored_watch_changed (watch, &changed, &error))
    goto failed;
  if (!changed && !always)
    return FALSE;
  stored = offline_stored_entry_open (follow->store_path, follow->entry_id, &error);
  if (stored == NULL)
    goto failed;
  for (guint i = 0; i < follow->readers->len; i++) {
    if (!gst_offline_part_reader_update (g_ptr_array_index (follow->readers, i), stored, &error))
      goto failed;
  }

  entry = offline_stored_entry_get_entry (stored);
  switch (offline_entry_get_state (entry)) {
  case OFFLINE_DOWNLOAD_STATE_PAUSED:
    error = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                         "The download of entry %s was paused: playback ends where what is "
                         "stored ends", follow->entry_id);
    gst_offline_src_post_message (follow->element, GST_MESSAGE_WARNING, error);
    *ended = TRUE;
    return TRUE;
  case OFFLINE_DOWNLOAD_STATE_FAILED:
    /* posted when a track needs a part that will not come */
    g_mutex_lock (&follow->lock);
    g_clear_error (&follow->failure);
    follow->failure = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                                   "The download of entry %s failed: %s", follow->entry_id,
                                   offline_entry_get_failure_message (entry) ?
                                   offline_entry_get_failure_message (entry) : "no reason given");
    g_mutex_unlock (&follow->lock);
    *ended = TRUE;
    return TRUE;
  case OFFLINE_DOWNLOAD_STATE_COMPLETED:
    *ended = TRUE;      /* every part is stored: nothing more to look for */
    return TRUE;
  default:
    return TRUE;
  }

failed:
  gst_offline_src_post_error (follow->element, error);
  *ended = TRUE;
  return TRUE;
}

static gpointer
follow_thread (gpointer data)
{
  GstOfflineSrcFollow *follow = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStoredWatch) watch = offline_stored_watch_new (follow->store_path, &error);
  gboolean ended = FALSE, first = TRUE;

  if (watch == NULL) {
    gst_offline_src_post_error (follow->element, error);
    ended = TRUE;
  }
  g_mutex_lock (&follow->lock);
  while (follow->running && !ended) {
    gint64 deadline = g_get_monotonic_time () + POLL_INTERVAL;
    gboolean news;

    while (follow->running && g_cond_wait_until (&follow->cond, &follow->lock, deadline))
      ;     /* woken by a waiter's wait or a stop: only a stop counts */
    if (!follow->running)
      break;
    g_mutex_unlock (&follow->lock);
    news = look (follow, watch, first, &ended);
    first = FALSE;
    g_mutex_lock (&follow->lock);
    if (news) {
      follow->generation++;
      g_cond_broadcast (&follow->cond);
    }
  }
  if (ended)
    follow->ended = TRUE;
  follow->generation++;
  g_cond_broadcast (&follow->cond);
  g_mutex_unlock (&follow->lock);
  return NULL;
}

void
gst_offline_src_follow_start (GstOfflineSrcFollow *follow,
                              GstElement          *element,
                              const char          *store_path,
                              const char          *entry_id,
                              GPtrArray           *readers)
{
  g_return_if_fail (follow->thread == NULL);

  follow->element = element;
  follow->store_path = g_strdup (store_path);
  follow->entry_id = g_strdup (entry_id);
  follow->readers = g_ptr_array_ref (readers);
  follow->running = TRUE;
  follow->ended = FALSE;
  follow->n_waiting = 0;
  g_clear_error (&follow->failure);
  follow->thread = g_thread_new ("offlinesrc-follow", follow_thread, follow);
}

void
gst_offline_src_follow_stop (GstOfflineSrcFollow *follow)
{
  if (follow->thread == NULL)
    return;
  g_mutex_lock (&follow->lock);
  follow->running = FALSE;
  g_cond_broadcast (&follow->cond);
  g_mutex_unlock (&follow->lock);
  g_thread_join (g_steal_pointer (&follow->thread));
  g_clear_pointer (&follow->readers, g_ptr_array_unref);
  g_clear_pointer (&follow->store_path, g_free);
  g_clear_pointer (&follow->entry_id, g_free);
  g_clear_error (&follow->failure);
}

GstOfflineTrackSrcWait
gst_offline_src_follow_wait (GstOfflineTrackSrc *source,
                             gpointer            user_data)
{
  GstOfflineSrcFollow *follow = &GST_OFFLINE_SRC (user_data)->follow;
  GstPad *pad = gst_offline_track_src_get_pad (source);
  g_autoptr(GError) failure = NULL;
  GstOfflineTrackSrcWait verdict;
  gboolean first, last;
  guint generation;

  g_mutex_lock (&follow->lock);
  generation = follow->generation;
  first = follow->n_waiting++ == 0;
  g_mutex_unlock (&follow->lock);
  if (first)
    post_buffering (follow, 0);

  GST_DEBUG_OBJECT (source, "waiting for the next part to be stored");
  g_mutex_lock (&follow->lock);
  for (;;) {
    if (GST_PAD_IS_FLUSHING (pad) || !follow->running) {
      verdict = GST_OFFLINE_TRACK_SRC_WAIT_FLUSHING;
      break;
    }
    if (follow->generation != generation) {
      /* even after the end: a part stored in the last look still plays */
      verdict = GST_OFFLINE_TRACK_SRC_WAIT_AGAIN;
      break;
    }
    if (follow->ended) {
      verdict = GST_OFFLINE_TRACK_SRC_WAIT_END;
      failure = g_steal_pointer (&follow->failure);
      break;
    }
    /* the flush that a seek or stop starts does not signal @cond */
    g_cond_wait_until (&follow->cond, &follow->lock,
                       g_get_monotonic_time () + FLUSH_CHECK_INTERVAL);
  }
  last = --follow->n_waiting == 0;
  g_mutex_unlock (&follow->lock);
  if (failure != NULL)
    gst_offline_src_post_error (follow->element, failure);
  /* whatever the verdict: an application that paused at 0 % plays on
   * (to the EOS, or from where a seek lands) */
  if (last)
    post_buffering (follow, 100);
  return verdict;
}
