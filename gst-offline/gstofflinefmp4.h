/* gstofflinefmp4.h: the timing boxes of fragmented MP4 that offlinesrc reads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The timescale (mdhd) of the first track of the init segment @data, 0
 * if it has none (not an MP4 init segment). */
guint32 gst_offline_fmp4_get_timescale (const guint8 *data,
                                        gsize         size);

/* The media time (in the track's timescale) at which the presentation of
 * the first track of the init segment @data starts: its edit list's
 * first entry (elst media_time), e.g. the AAC encoder's priming samples;
 * FALSE if it has none, or an empty edit or 0 there. */
gboolean gst_offline_fmp4_get_media_start (const guint8 *data,
                                           gsize         size,
                                           guint64      *media_time);
/* The base media decode time (tfdt) of the first track fragment of the
 * media segment @data, in its track's timescale; FALSE if it has none. */
gboolean gst_offline_fmp4_get_decode_time (const guint8 *data,
                                           gsize         size,
                                           guint64      *decode_time);

/* A copy of the media segment @bytes with @delta added to the base media
 * decode time of every track fragment, NULL if one would not fit (a
 * version 0 tfdt past 32 bits, a version 1 one past 63 bits, or below
 * 0). */
GBytes *gst_offline_fmp4_shift_decode_time (GBytes *bytes,
                                            gint64  delta);

G_END_DECLS
