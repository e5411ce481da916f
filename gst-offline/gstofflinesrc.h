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
 * after a flush: see gstofflinetracksrc.c. */
gboolean gst_offline_src_pipeline_starting (GstElement *element);

G_END_DECLS
