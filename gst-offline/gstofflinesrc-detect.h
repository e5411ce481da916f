/* gstofflinesrc-detect.h: how other elements tell that they play offlinesrc
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* The name of the structure of a GST_QUERY_CUSTOM query that offlinesrc's
 * src pads answer (see gstofflinesrc.c). */
#define GST_OFFLINE_SRC_QUERY_NAME "offline-source"

/* The type of the GstContext that offlinesrc posts and answers. */
#define GST_OFFLINE_SRC_CONTEXT_TYPE "offlinemgr.source"

/* A new persistent context of type GST_OFFLINE_SRC_CONTEXT_TYPE for
 * @entry_id. */
GstContext *gst_offline_src_detect_new_context (const char *entry_id);

/* Answers @query if it is the offline-source custom query or a CONTEXT
 * query for GST_OFFLINE_SRC_CONTEXT_TYPE; FALSE if it is neither. */
gboolean gst_offline_src_detect_answer (GstQuery   *query,
                                        const char *entry_id);

G_END_DECLS
