/* gstofflinesrc-follow-private.h: offlinesrc plays an entry that is still
 * downloading (see gstofflinesrc-follow.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstofflinesrc-poll-private.h"
#include "gstofflinetracksrc.h"

G_BEGIN_DECLS

/* Its state in GstOfflineSrc. */
typedef struct {
  GstOfflineSrcPoll poll;       /* while following */
  GMutex lock;
  GCond cond;                   /* broadcast when @generation or @running change */
  gboolean running;             /* protected by lock; following */
  guint generation;             /* protected by lock; bumped when the readers
                                 * learnt of new parts, or no more will come */
  gboolean ended;               /* protected by lock; no more parts will be
                                 * stored (paused, failed, removed) */
  guint n_waiting;              /* protected by lock; tracks waiting for a part */
  GError *failure;              /* (nullable) protected by lock; why the download
                                 * failed, posted as an ERROR by the first track
                                 * that waits for a part after it (stolen then) */
  /* Set by gst_offline_src_follow_start(), read-only until
   * gst_offline_src_follow_stop() returns: */
  GPtrArray *readers;           /* (element-type GstOfflinePartReader) */
  char *store_path;
  char *entry_id;
  GstElement *element;          /* (unowned) offlinesrc, to post messages */
} GstOfflineSrcFollow;

void gst_offline_src_follow_init (GstOfflineSrcFollow *follow);
void gst_offline_src_follow_clear (GstOfflineSrcFollow *follow);

/* Follows entry @entry_id of the store at @store_path, read by @readers
 * (element-type GstOfflinePartReader, made with follow): a thread looks at
 * the store a few times a second, and when it changed, tells the readers
 * of the parts stored since. */
void gst_offline_src_follow_start (GstOfflineSrcFollow *follow,
                                   GstElement          *element,
                                   const char          *store_path,
                                   const char          *entry_id,
                                   GPtrArray           *readers);

/* Stops following (if it was): the thread ends, the waiting tracks return. */
void gst_offline_src_follow_stop (GstOfflineSrcFollow *follow);

/* GstOfflineTrackSrcHooks.wait_for_parts, @user_data being the
 * GstOfflineSrc. */
GstOfflineTrackSrcWait gst_offline_src_follow_wait (GstOfflineTrackSrc *source,
                                                    gpointer            user_data);

G_END_DECLS
