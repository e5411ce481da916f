/* offline-progressive-duration.c: the duration a plain media file declares
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reads only the few fields a container keeps its duration in, as the
 * demuxers do (qtdemux, matroskademux, mpegaudioparse), so that a stored
 * progressive entry reports the duration it will play with:
 *   MP4/MOV   moov/mvhd duration / timescale (else the longest
 *             moov/trak/mdia/mdhd)
 *   WebM/MKV  Segment/Info Duration × TimecodeScale
 *   MP3       the Xing/Info or VBRI frame count × samples per frame / rate,
 *             else (CBR) the bytes after the first frame × 8 / bitrate
 * Anything else, or a truncated or odd file, gives 0 (unknown). No I/O:
 * the caller maps the file.
 */
#include "config.h"

#include <string.h>

#include "offline-manifest-private.h"

static guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint64
read_u64 (const guint8 *p)
{
  return ((guint64) read_u32 (p) << 32) | read_u32 (p + 4);
}

/* ---- ISO BMFF (MP4, MOV) ---- */

/* The box of type @type among the boxes of @data (@size bytes): its
 * payload in *@payload, *@payload_size. */
static gboolean
find_box (const guint8  *data,
          gsize          size,
          const char    *type,
          const guint8 **payload,
          gsize         *payload_size)
{
  gsize offset = 0;

  while (size - offset >= 8) {
    guint64 box_size = read_u32 (data + offset);
    gsize header = 8;

    if (box_size == 1) {
      if (size - offset < 16)
        return FALSE;
      box_size = read_u64 (data + offset + 8);
      header = 16;
    } else if (box_size == 0) {
      box_size = size - offset;
    }
    if (box_size < header || box_size > size - offset)
      return FALSE;
    if (memcmp (data + offset + 4, type, 4) == 0) {
      *payload = data + offset + header;
      *payload_size = box_size - header;
      return TRUE;
    }
    offset += box_size;
  }
  return FALSE;
}

/* The duration of an mvhd or mdhd payload, in µs (0 if unknown). */
static GTimeSpan
header_duration (const guint8 *p,
                 gsize         size)
{
  guint32 timescale;
  guint64 duration;

  if (size < 4)
    return 0;
  if (p[0] == 1) {
    if (size < 32)
      return 0;
    timescale = read_u32 (p + 20);
    duration = read_u64 (p + 24);
  } else {
    if (size < 20)
      return 0;
    timescale = read_u32 (p + 12);
    duration = read_u32 (p + 16);
    if (duration == G_MAXUINT32)
      return 0;
  }
  if (timescale == 0 || duration == G_MAXUINT64)
    return 0;
  return (GTimeSpan) MIN (duration / timescale * G_USEC_PER_SEC +
                          (duration % timescale) * G_USEC_PER_SEC / timescale,
                          (guint64) G_MAXINT64);
}

static GTimeSpan
mp4_duration (const guint8 *data,
              gsize         size)
{
  const guint8 *moov, *box;
  gsize moov_size, box_size;
  GTimeSpan longest = 0;
  gsize offset = 0;

  if (!find_box (data, size, "moov", &moov, &moov_size))
    return 0;
  if (find_box (moov, moov_size, "mvhd", &box, &box_size) &&
      header_duration (box, box_size) > 0)
    return header_duration (box, box_size);
  /* the longest track */
  while (find_box (moov + offset, moov_size - offset, "trak", &box, &box_size)) {
    const guint8 *mdia, *mdhd;
    gsize mdia_size, mdhd_size;

    if (find_box (box, box_size, "mdia", &mdia, &mdia_size) &&
        find_box (mdia, mdia_size, "mdhd", &mdhd, &mdhd_size))
      longest = MAX (longest, header_duration (mdhd, mdhd_size));
    offset = (box - moov) + box_size;
  }
  return longest;
}

/* ---- EBML (WebM, Matroska) ---- */

/* A variable-length integer at *@p (before @end): an element id with its
 * length marker (@keep_marker), or a size without it (G_MAXUINT64: unknown). */
static gboolean
read_vint (const guint8 **p,
           const guint8  *end,
           gboolean       keep_marker,
           guint64       *value)
{
  guint length = 1;
  guint64 v;
  gboolean all_ones;

  if (*p >= end || **p == 0)
    return FALSE;
  while (!(**p & (0x80 >> (length - 1))))
    length++;
  if ((gsize) (end - *p) < length)
    return FALSE;
  v = keep_marker ? **p : (**p & (0xff >> length));
  all_ones = v == (guint64) (0xff >> length);
  for (guint i = 1; i < length; i++) {
    all_ones &= (*p)[i] == 0xff;
    v = (v << 8) | (*p)[i];
  }
  *p += length;
  *value = !keep_marker && all_ones ? G_MAXUINT64 : v;
  return TRUE;
}

#define EBML_SEGMENT 0x18538067
#define EBML_INFO 0x1549A966
#define EBML_TIMECODE_SCALE 0x2AD7B1
#define EBML_DURATION 0x4489

static GTimeSpan
info_duration (const guint8 *p,
               const guint8 *end)
{
  guint64 scale = 1000000;
  double duration = -1;

  while (p < end) {
    guint64 id, size;

    if (!read_vint (&p, end, TRUE, &id) || !read_vint (&p, end, FALSE, &size) ||
        size > (guint64) (end - p))
      return 0;
    if (id == EBML_TIMECODE_SCALE && size >= 1 && size <= 8) {
      scale = 0;
      for (guint i = 0; i < size; i++)
        scale = (scale << 8) | p[i];
    } else if (id == EBML_DURATION && size == 4) {
      guint32 bits = read_u32 (p);
      float f;

      memcpy (&f, &bits, sizeof f);
      duration = f;
    } else if (id == EBML_DURATION && size == 8) {
      guint64 bits = read_u64 (p);
      double d;

      memcpy (&d, &bits, sizeof d);
      duration = d;
    }
    p += size;
  }
  /* scale: ns per tick */
  if (!(duration > 0) || duration * scale / 1000.0 > (double) G_MAXINT64)
    return 0;
  return (GTimeSpan) (duration * scale / 1000.0 + 0.5);
}

static GTimeSpan
webm_duration (const guint8 *data,
               gsize         size)
{
  const guint8 *p = data, *end = data + size;

  while (p < end) {
    guint64 id, element_size;

    if (!read_vint (&p, end, TRUE, &id) || !read_vint (&p, end, FALSE, &element_size))
      return 0;
    if (id == EBML_SEGMENT) {
      /* its children, up to Info (a Cluster of unknown size ends the search) */
      const guint8 *segment_end = element_size < (guint64) (end - p) ? p + element_size : end;

      while (p < segment_end) {
        if (!read_vint (&p, segment_end, TRUE, &id) ||
            !read_vint (&p, segment_end, FALSE, &element_size) ||
            element_size > (guint64) (segment_end - p))
          return 0;
        if (id == EBML_INFO)
          return info_duration (p, p + element_size);
        p += element_size;
      }
      return 0;
    }
    if (element_size > (guint64) (end - p))
      return 0;
    p += element_size;
  }
  return 0;
}

/* ---- MPEG audio (MP3) ---- */

static GTimeSpan
mp3_duration (const guint8 *data,
              gsize         size)
{
  static const guint rates[3] = { 44100, 48000, 32000 };
  static const guint kbps[2][3][16] = {
    { /* MPEG-1: layer I, II, III */
      { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0 },
      { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0 },
      { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0 } },
    { /* MPEG-2 and 2.5 */
      { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0 },
      { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0 },
      { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0 } },
  };
  gsize offset = 0;
  const guint8 *h;
  guint version, layer, bitrate, rate, samples, side_info;
  gboolean mono;
  const guint8 *tag;

  /* ID3v2 tags before the first frame */
  while (size - offset >= 10 && memcmp (data + offset, "ID3", 3) == 0) {
    const guint8 *t = data + offset;
    gsize tag_size = ((gsize) (t[6] & 0x7f) << 21) | ((t[7] & 0x7f) << 14) |
      ((t[8] & 0x7f) << 7) | (t[9] & 0x7f);

    tag_size += 10 + ((t[5] & 0x10) ? 10 : 0);
    if (tag_size > size - offset)
      return 0;
    offset += tag_size;
  }
  if (size - offset < 4)
    return 0;
  h = data + offset;
  if (h[0] != 0xff || (h[1] & 0xe0) != 0xe0)
    return 0;
  version = (h[1] >> 3) & 3;            /* 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5 */
  layer = 4 - ((h[1] >> 1) & 3);        /* 1, 2, 3 (4: reserved) */
  if (version == 1 || layer == 4 || ((h[2] >> 2) & 3) == 3)
    return 0;
  bitrate = kbps[version == 3 ? 0 : 1][layer - 1][h[2] >> 4] * 1000;
  rate = rates[(h[2] >> 2) & 3] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
  samples = layer == 1 ? 384 : layer == 2 || version == 3 ? 1152 : 576;
  mono = (h[3] >> 6) == 3;
  side_info = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);

  /* Xing/Info after the side information, VBRI 32 bytes after the header */
  tag = h + 4 + side_info;
  if (layer == 3 && (gsize) (tag - data) + 12 <= size &&
      (memcmp (tag, "Xing", 4) == 0 || memcmp (tag, "Info", 4) == 0) && (tag[7] & 1))
    return (GTimeSpan) read_u32 (tag + 8) * samples * G_USEC_PER_SEC / rate;
  tag = h + 36;
  if (layer == 3 && (gsize) (tag - data) + 18 <= size && memcmp (tag, "VBRI", 4) == 0)
    return (GTimeSpan) read_u32 (tag + 14) * samples * G_USEC_PER_SEC / rate;
  if (bitrate == 0)
    return 0;
  return (GTimeSpan) ((guint64) (size - offset) * 8 * G_USEC_PER_SEC / bitrate);
}

GTimeSpan
offline_progressive_read_duration (const guint8 *data,
                                   gsize         size)
{
  if (data == NULL || size < 12)
    return 0;
  if (memcmp (data + 4, "ftyp", 4) == 0 || memcmp (data + 4, "moov", 4) == 0 ||
      memcmp (data + 4, "free", 4) == 0 || memcmp (data + 4, "mdat", 4) == 0 ||
      memcmp (data + 4, "wide", 4) == 0)
    return mp4_duration (data, size);
  if (read_u32 (data) == 0x1A45DFA3)
    return webm_duration (data, size);
  return mp3_duration (data, size);
}
