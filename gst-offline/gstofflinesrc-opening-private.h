/* gstofflinesrc-opening-private.h: offlinesrc waits for the first
 * segments of an entry still downloading (see gstofflinesrc-opening.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstofflinesrc-poll-private.h"

G_BEGIN_DECLS

/* What an attempt to open the entry gave. */
typedef enum {
  GST_OFFLINE_SRC_OPENED,       /* playing: nothing more to wait for */
  GST_OFFLINE_SRC_NOT_YET,      /* still downloading, its first segments not stored */
  GST_OFFLINE_SRC_OPEN_FAILED,  /* with an error (OFFLINE_ERROR) to post */
} GstOfflineSrcOpenResult;

/* Opens the entry, from the opening thread: builds and starts what plays
 * it (the element's children brought to its state). */
typedef GstOfflineSrcOpenResult (*GstOfflineSrcOpenFunc) (gpointer   user_data,
                                                          GError   **error);

/* Its state in GstOfflineSrc. */
typedef struct {
  GstOfflineSrcPoll poll;       /* while waiting */
  /* Set by gst_offline_src_opening_start(), read-only until
   * gst_offline_src_opening_stop() returns: */
  GstElement *element;          /* (unowned) offlinesrc, to post messages */
  GstOfflineSrcOpenFunc open;
  gpointer open_data;
} GstOfflineSrcOpening;

void gst_offline_src_opening_init (GstOfflineSrcOpening *opening);
void gst_offline_src_opening_clear (GstOfflineSrcOpening *opening);

/* Waits, on a thread of its own, until @open opens the entry: BUFFERING
 * 0 % at once, then @open again each time the store at @store_path
 * changed (a few looks a second), until it opened (BUFFERING 100 %) or
 * failed (its error posted as an ERROR of @element). */
void gst_offline_src_opening_start (GstOfflineSrcOpening  *opening,
                                    GstElement            *element,
                                    const char            *store_path,
                                    GstOfflineSrcOpenFunc  open,
                                    gpointer               open_data);

/* Stops waiting (if it was): returns once the thread ended, an attempt
 * under way finished. */
void gst_offline_src_opening_stop (GstOfflineSrcOpening *opening);

G_END_DECLS
