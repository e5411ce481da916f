/* gstofflinefmp4.c: the timing boxes of fragmented MP4 that offlinesrc reads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * qtdemux times the fragments of fragmented MP4 from their tfdt boxes,
 * not from the buffer timestamps its upstream sets. DASH Periods (and HLS
 * discontinuities) may restart that decode time, e.g. at 0: the part
 * reader then moves each fragment's tfdt onto the stored timeline
 * (gstofflinepartreader.c), with these few ISO BMFF readers. Nothing
 * here trusts a size field: every box must fit in its parent.
 */
#include "gstofflinefmp4.h"

#include <string.h>

#define FOURCC(a, b, c, d) ((guint32) (a) << 24 | (guint32) (b) << 16 | (guint32) (c) << 8 | (d))

static guint32
read_u32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint64
read_u64 (const guint8 *p)
{
  return (guint64) read_u32 (p) << 32 | read_u32 (p + 4);
}

static void
write_u32 (guint8  *p,
           guint32  value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

/* The next box at *@data (of *@size bytes): its type and payload; moves
 * past it. FALSE at the end or on a box that does not fit. */
static gboolean
next_box (const guint8 **data,
          gsize         *size,
          guint32       *type,
          const guint8 **payload,
          gsize         *payload_size)
{
  guint64 length;
  gsize header = 8;

  if (*size < 8)
    return FALSE;
  length = read_u32 (*data);
  *type = read_u32 (*data + 4);
  if (length == 1) {
    if (*size < 16)
      return FALSE;
    length = read_u64 (*data + 8);
    header = 16;
  } else if (length == 0) {
    length = *size;
  }
  if (length < header || length > *size)
    return FALSE;
  *payload = *data + header;
  *payload_size = length - header;
  *data += length;
  *size -= length;
  return TRUE;
}

/* The payload of the first child of type @type in @data. */
static gboolean
find_box (const guint8  *data,
          gsize          size,
          guint32        type,
          const guint8 **payload,
          gsize         *payload_size)
{
  guint32 found;

  while (next_box (&data, &size, &found, payload, payload_size)) {
    if (found == type)
      return TRUE;
  }
  return FALSE;
}

guint32
gst_offline_fmp4_get_timescale (const guint8 *data,
                                gsize         size)
{
  static const guint32 path[] = {
    FOURCC ('m', 'o', 'o', 'v'), FOURCC ('t', 'r', 'a', 'k'),
    FOURCC ('m', 'd', 'i', 'a'), FOURCC ('m', 'd', 'h', 'd'),
  };
  gsize offset;

  for (guint i = 0; i < G_N_ELEMENTS (path); i++) {
    if (!find_box (data, size, path[i], &data, &size))
      return 0;
  }
  /* full box: version, flags, then creation and modification times */
  if (size < 4)
    return 0;
  offset = data[0] == 1 ? 4 + 16 : 4 + 8;
  return size >= offset + 4 ? read_u32 (data + offset) : 0;
}

/* Calls @func on the payload of every tfdt (moof/traf/tfdt) in @data;
 * stops and returns FALSE when it does. */
static gboolean
foreach_tfdt (const guint8 *data,
              gsize         size,
              gboolean    (*func) (const guint8 *tfdt, gsize size, gpointer user_data),
              gpointer      user_data)
{
  const guint8 *moof, *traf, *tfdt;
  gsize moof_size, traf_size, tfdt_size;
  guint32 type;

  while (next_box (&data, &size, &type, &moof, &moof_size)) {
    if (type != FOURCC ('m', 'o', 'o', 'f'))
      continue;
    while (next_box (&moof, &moof_size, &type, &traf, &traf_size)) {
      if (type != FOURCC ('t', 'r', 'a', 'f'))
        continue;
      if (find_box (traf, traf_size, FOURCC ('t', 'f', 'd', 't'), &tfdt, &tfdt_size) &&
          !func (tfdt, tfdt_size, user_data))
        return FALSE;
    }
  }
  return TRUE;
}

static gboolean
read_tfdt (const guint8 *tfdt,
           gsize         size,
           guint64      *decode_time)
{
  if (size >= 12 && tfdt[0] == 1) {
    *decode_time = read_u64 (tfdt + 4);
    return TRUE;
  }
  if (size >= 8 && tfdt[0] == 0) {
    *decode_time = read_u32 (tfdt + 4);
    return TRUE;
  }
  return FALSE;
}

typedef struct {
  gboolean found;
  guint64 decode_time;
} FirstTfdt;

static gboolean
take_first (const guint8 *tfdt,
            gsize         size,
            gpointer      user_data)
{
  FirstTfdt *first = user_data;

  first->found = read_tfdt (tfdt, size, &first->decode_time);
  return FALSE;
}

gboolean
gst_offline_fmp4_get_media_start (const guint8 *data,
                                  gsize         size,
                                  guint64      *media_time)
{
  static const guint32 path[] = {
    FOURCC ('m', 'o', 'o', 'v'), FOURCC ('t', 'r', 'a', 'k'),
    FOURCC ('e', 'd', 't', 's'), FOURCC ('e', 'l', 's', 't'),
  };
  gint64 start;

  for (guint i = 0; i < G_N_ELEMENTS (path); i++) {
    if (!find_box (data, size, path[i], &data, &size))
      return FALSE;
  }
  /* full box: version, flags, entry_count, then the first entry:
   * segment_duration, media_time (signed; -1: an empty edit), rate */
  if (size < 8 || read_u32 (data + 4) == 0)
    return FALSE;
  if (data[0] == 1) {
    if (size < 8 + 20)
      return FALSE;
    start = (gint64) read_u64 (data + 8 + 8);
  } else {
    if (size < 8 + 12)
      return FALSE;
    start = (gint32) read_u32 (data + 8 + 4);
  }
  if (start <= 0)
    return FALSE;
  *media_time = (guint64) start;
  return TRUE;
}

gboolean
gst_offline_fmp4_get_decode_time (const guint8 *data,
                                  gsize         size,
                                  guint64      *decode_time)
{
  FirstTfdt first = { FALSE, 0 };

  foreach_tfdt (data, size, take_first, &first);
  *decode_time = first.decode_time;
  return first.found;
}

typedef struct {
  gint64 delta;
  gboolean ok;
} Shift;

/* (The payload lies in a copy this file made: writing it is fine.) */
static gboolean
shift_tfdt (const guint8 *tfdt,
            gsize         size,
            gpointer      user_data)
{
  Shift *shift = user_data;
  guint8 *writable = (guint8 *) tfdt;
  guint64 time;
  gint64 shifted;

  /* the magnitude of delta computed unsigned: -G_MININT64 does not fit */
  if (!read_tfdt (tfdt, size, &time) || time > G_MAXINT64 ||
      (shift->delta < 0 && 0 - (guint64) shift->delta > time) ||
      (shift->delta > 0 && (guint64) shift->delta > (guint64) G_MAXINT64 - time)) {
    shift->ok = FALSE;
    return FALSE;
  }
  shifted = (gint64) time + shift->delta;
  if (tfdt[0] == 1) {
    write_u32 (writable + 4, (guint64) shifted >> 32);
    write_u32 (writable + 8, (guint32) shifted);
  } else if (shifted <= G_MAXUINT32) {
    write_u32 (writable + 4, (guint32) shifted);
  } else {
    shift->ok = FALSE;
    return FALSE;
  }
  return TRUE;
}

GBytes *
gst_offline_fmp4_shift_decode_time (GBytes *bytes,
                                    gint64  delta)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint8 *copy = g_memdup2 (data, size);
  Shift shift = { delta, TRUE };

  foreach_tfdt (copy, size, shift_tfdt, &shift);
  if (!shift.ok) {
    g_free (copy);
    return NULL;
  }
  return g_bytes_new_take (copy, size);
}
