/* gstofflinesrc-startup-private.h: offlinesrc's start-up workaround for
 * playbin3 1.22 (see gstofflinesrc-startup.c): its state and its hooks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "gstofflinesrc.h"
#include "gstofflinesrcpad.h"
#include "gstofflinetracksrc.h"

G_BEGIN_DECLS

/* Its state in GstOfflineSrc, protected by the element's lock and zeroed
 * in start(). */
typedef struct {
  gboolean start_over_pending;  /* a start over is on its way */
  guint start_overs;            /* since start() */
} GstOfflineSrcStartup;

/* The hooks it gives offlinesrc's children, @user_data being the
 * GstOfflineSrc: GstOfflineTrackSrcHooks.before_first_data, */
void gst_offline_src_startup_wait (GstOfflineTrackSrc *source,
                                   gpointer            user_data);

/* GstOfflineTrackSrcHooks.flushed_downstream, */
void gst_offline_src_startup_flushed (GstOfflineTrackSrc *source,
                                      gpointer            user_data);

/* and GstOfflineSrcPadHooks.restarts_after_flush. */
gboolean gst_offline_src_startup_restarts (GstOfflineSrcPad *pad,
                                           gpointer          user_data);

G_END_DECLS
