/* gstofflinesrc-poll-private.h: a thread that tells offlinesrc when the
 * store changed (see gstofflinesrc-poll.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called on the thread: first once at its start, then each time the
 * store changed; with @error (and no more calls) if the store cannot be
 * read. Returns whether to go on looking. */
typedef gboolean (*GstOfflineSrcLookFunc) (gpointer      user_data,
                                           const GError *error);

typedef struct {
  GMutex lock;
  GCond cond;                   /* broadcast when @running changes */
  GThread *thread;              /* (nullable) while polling; the state-change
                                 * thread's */
  gboolean running;             /* protected by lock */
  /* Set by gst_offline_src_poll_start(), read-only until
   * gst_offline_src_poll_stop() returns: */
  char *store_path;
  GstOfflineSrcLookFunc look;
  gpointer user_data;
} GstOfflineSrcPoll;

void gst_offline_src_poll_init (GstOfflineSrcPoll *poll);
void gst_offline_src_poll_clear (GstOfflineSrcPoll *poll);

/* Starts the thread, which asks the store at @store_path a few times a
 * second whether its index changed (offline_stored_watch_changed():
 * SQLite's data_version, whichever process writes) and calls @look: once
 * at its start (what changed before it is not missed), then after each
 * change, until @look returns FALSE or the poll stops. */
void gst_offline_src_poll_start (GstOfflineSrcPoll     *poll,
                                 const char            *store_path,
                                 GstOfflineSrcLookFunc  look,
                                 gpointer               user_data);

/* Stops it (if it runs): returns once the thread ended, a look under way
 * finished. */
void gst_offline_src_poll_stop (GstOfflineSrcPoll *poll);

G_END_DECLS
