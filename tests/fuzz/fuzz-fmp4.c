/* fuzz-fmp4.c: the ISO BMFF box readers of offlinesrc's part reader
 * (gst-offline/gstofflinefmp4.c) on any bytes: the first 8 bytes are the
 * decode time shift, the rest a segment read as an init segment (mdhd,
 * elst) and as a media segment (tfdt), then shifted
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include "gstofflinefmp4.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gint64 delta = (gint64) offline_fuzz_take (&data, &size, 8);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) shifted = NULL;
  guint64 media_time, decode_time, after = 0;

  (void) gst_offline_fmp4_get_timescale (data, size);
  (void) gst_offline_fmp4_get_media_start (data, size, &media_time);
  if (!gst_offline_fmp4_get_decode_time (data, size, &decode_time))
    return 0;
  shifted = gst_offline_fmp4_shift_decode_time (bytes, delta);
  if (shifted == NULL)
    return 0;
  /* the same size, and the first tfdt moved by delta */
  if (g_bytes_get_size (shifted) != size ||
      !gst_offline_fmp4_get_decode_time (g_bytes_get_data (shifted, NULL), size, &after) ||
      after != decode_time + (guint64) delta)
    g_error ("gst_offline_fmp4_shift_decode_time: %" G_GUINT64_FORMAT " + %" G_GINT64_FORMAT
             " gave %" G_GUINT64_FORMAT, decode_time, delta, after);
  return 0;
}
