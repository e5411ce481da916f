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
 * second whether its index changed (gstofflinesrc-poll.c), and only then
 * opens the entry again and tells the readers which parts got stored. So
 * the downloader may be this process or another one.
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

/* How often a waiting track looks whether its pad is flushing. */
#define FLUSH_CHECK_INTERVAL (20 * G_TIME_SPAN_MILLISECOND)

void
gst_offline_src_follow_init (GstOfflineSrcFollow *follow)
{
  gst_offline_src_poll_init (&follow->poll);
  g_mutex_init (&follow->lock);
  g_cond_init (&follow->cond);
}

void
gst_offline_src_follow_clear (GstOfflineSrcFollow *follow)
{
  gst_offline_src_follow_stop (follow);
  gst_offline_src_poll_clear (&follow->poll);
  g_mutex_clear (&follow->lock);
  g_cond_clear (&follow->cond);
}

/* One reading of the entry, from the poll's thread, the store having
 * changed: whether the waiters have something new to look at; *@ended
 * once no more parts will come. */
static gboolean
read_entry (GstOfflineSrcFollow *follow,
            gboolean            *ended)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStoredEntry) stored = NULL;
  OfflineEntry *entry;

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

/* GstOfflineSrcLookFunc */
static gboolean
look (gpointer      user_data,
      const GError *store_error)
{
  GstOfflineSrcFollow *follow = user_data;
  gboolean ended = FALSE, news;

  if (store_error != NULL) {
    gst_offline_src_post_error (follow->element, store_error);
    news = ended = TRUE;
  } else {
    news = read_entry (follow, &ended);
  }
  g_mutex_lock (&follow->lock);
  if (ended)
    follow->ended = TRUE;
  if (news) {
    follow->generation++;
    g_cond_broadcast (&follow->cond);
  }
  g_mutex_unlock (&follow->lock);
  return !ended;
}

void
gst_offline_src_follow_start (GstOfflineSrcFollow *follow,
                              GstElement          *element,
                              const char          *store_path,
                              const char          *entry_id,
                              GPtrArray           *readers)
{
  g_return_if_fail (follow->readers == NULL);

  follow->element = element;
  follow->store_path = g_strdup (store_path);
  follow->entry_id = g_strdup (entry_id);
  follow->readers = g_ptr_array_ref (readers);
  g_mutex_lock (&follow->lock);
  follow->running = TRUE;
  follow->ended = FALSE;
  follow->n_waiting = 0;
  g_clear_error (&follow->failure);
  g_mutex_unlock (&follow->lock);
  gst_offline_src_poll_start (&follow->poll, store_path, look, follow);
}

void
gst_offline_src_follow_stop (GstOfflineSrcFollow *follow)
{
  if (follow->readers == NULL)
    return;
  g_mutex_lock (&follow->lock);
  follow->running = FALSE;
  g_cond_broadcast (&follow->cond);
  g_mutex_unlock (&follow->lock);
  gst_offline_src_poll_stop (&follow->poll);
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
    gst_offline_src_post_buffering (follow->element, 0);

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
    gst_offline_src_post_buffering (follow->element, 100);
  return verdict;
}
