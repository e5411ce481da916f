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

G_END_DECLS
