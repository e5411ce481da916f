/* gstofflinesrc.h: offlinesrc, plays an entry of an offlinemgr store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_OFFLINE_SRC (gst_offline_src_get_type ())
G_DECLARE_FINAL_TYPE (GstOfflineSrc, gst_offline_src, GST, OFFLINE_SRC, GstBin)

GST_ELEMENT_REGISTER_DECLARE (offlinesrc);

/* Posts @error (OFFLINE_ERROR) as an ERROR message of @element, a
 * GST_RESOURCE_ERROR whose details carry "offline-error-domain" (string,
 * "offline-error-quark") and "offline-error-code" (int, an OfflineError). */
void gst_offline_src_post_error (GstElement   *element,
                                 const GError *error);

/* Whether the pipeline @element is in (its topmost ancestor) is on its
 * way to PAUSED or PLAYING, not there yet. Data that downstream refuses
 * with FLUSHING then (though offlinesrc flushes nothing) is pushed again
 * after a flush: see gst_offline_src_start_over(). */
gboolean gst_offline_src_pipeline_starting (GstElement *element);

/* Whether an element above @element is in a state change call (its
 * state lock held by another thread). playbin3 1.22's uridecodebin3 sets
 * its source to PAUSED before decodebin3, in the same call: data that
 * comes before decodebin3 is PAUSED meets one of its elements in READY
 * and stops (see gst_offline_src_start_over()), so a track's first data
 * waits for such calls to return. A pipeline still prerolling has
 * returned from its call (ASYNC): this never waits for the preroll. */
gboolean gst_offline_src_ancestor_changing_state (GstElement *element);

/* Called by a track source (from its streaming thread) whose push
 * returned FLUSHING while the pipeline starts and offlinesrc flushed
 * nothing: playbin3 1.22's uridecodebin3 sets its source to PAUSED before
 * decodebin3, and data that meets an element of decodebin3 still in READY
 * stops the stream for good, as a queue in between keeps returning
 * FLUSHING. Every stream was exposed to that, including those whose data
 * all went into such a queue before (a text stream), so offlinesrc
 * starts them all over, from another thread, a little later: a flushing
 * seek to where they started (the flush makes the queues take data
 * again). At most a few times per start; once per request at a time. */
void gst_offline_src_start_over (GstElement *element);

G_END_DECLS
