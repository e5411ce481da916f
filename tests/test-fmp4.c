/* test-fmp4.c: the fragmented-MP4 timing boxes offlinesrc reads and moves
 * (gst-offline/gstofflinefmp4.c), on the real fixture files and on
 * hostile ones
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "gstofflinefmp4.h"
#include "offline-test-utils.h"

static GBytes *
fixture (const char *name)
{
  g_autofree char *path = g_build_filename ("dash", "template-number", name, NULL);

  return offline_test_load (path);
}

/* The fixtures (tests/data/README.md): the video track's timescale is
 * ffmpeg's 12800, each 2 s segment starts at its decode time. */
static void
test_fixture_timing (void)
{
  g_autoptr(GBytes) init = fixture ("init-stream0.m4s");
  g_autoptr(GBytes) first = fixture ("chunk-stream0-00001.m4s");
  g_autoptr(GBytes) second = fixture ("chunk-stream0-00002.m4s");
  gsize size;
  const guint8 *data = g_bytes_get_data (init, &size);
  guint32 timescale = gst_offline_fmp4_get_timescale (data, size);
  guint64 t1 = G_MAXUINT64, t2 = G_MAXUINT64;

  g_assert_cmpuint (timescale, >, 0);
  data = g_bytes_get_data (first, &size);
  g_assert_true (gst_offline_fmp4_get_decode_time (data, size, &t1));
  data = g_bytes_get_data (second, &size);
  g_assert_true (gst_offline_fmp4_get_decode_time (data, size, &t2));
  g_assert_cmpuint (t2 - t1, ==, 2 * (guint64) timescale);
  /* a media segment has no mdhd, an init segment no tfdt */
  g_assert_cmpuint (gst_offline_fmp4_get_timescale (data, size), ==, 0);
  data = g_bytes_get_data (init, &size);
  g_assert_false (gst_offline_fmp4_get_decode_time (data, size, &t1));
}

/* Moving a fragment 6 s on (a second DASH Period) and back. */
static void
test_shift (void)
{
  g_autoptr(GBytes) init = fixture ("init-stream0.m4s");
  g_autoptr(GBytes) segment = fixture ("chunk-stream0-00002.m4s");
  g_autoptr(GBytes) later = NULL;
  g_autoptr(GBytes) back = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (init, &size);
  gint64 six_seconds = 6 * (gint64) gst_offline_fmp4_get_timescale (data, size);
  guint64 before, after;

  data = g_bytes_get_data (segment, &size);
  g_assert_true (gst_offline_fmp4_get_decode_time (data, size, &before));
  later = gst_offline_fmp4_shift_decode_time (segment, six_seconds);
  g_assert_nonnull (later);
  g_assert_cmpuint (g_bytes_get_size (later), ==, size);
  data = g_bytes_get_data (later, &size);
  g_assert_true (gst_offline_fmp4_get_decode_time (data, size, &after));
  g_assert_cmpuint (after, ==, before + six_seconds);
  /* the rest of the bytes is untouched: shifting back gives the original */
  back = gst_offline_fmp4_shift_decode_time (later, -six_seconds);
  g_assert_nonnull (back);
  g_assert_true (g_bytes_equal (back, segment));
  /* not below 0 */
  g_assert_null (gst_offline_fmp4_shift_decode_time (segment, -(gint64) before - 1));
}

/* Box sizes that lie (too big, too small, 64-bit past the end), a
 * version 0 tfdt moved past 32 bits: no crash, no read past the end. */
static void
test_hostile (void)
{
  /* moof[traf[tfdt v0 = 100]] */
  static const guint8 good[] = {
    0, 0, 0, 32, 'm', 'o', 'o', 'f',
      0, 0, 0, 24, 't', 'r', 'a', 'f',
        0, 0, 0, 16, 't', 'f', 'd', 't', 0, 0, 0, 0, 0, 0, 0, 100,
  };
  guint8 bad[sizeof good];
  g_autoptr(GBytes) bytes = g_bytes_new_static (good, sizeof good);
  guint64 time = 0;

  g_assert_true (gst_offline_fmp4_get_decode_time (good, sizeof good, &time));
  g_assert_cmpuint (time, ==, 100);
  g_assert_null (gst_offline_fmp4_shift_decode_time (bytes, G_MAXUINT32));

  for (gsize cut = 0; cut < sizeof good; cut++)
    g_assert_false (gst_offline_fmp4_get_decode_time (good, cut, &time));

  memcpy (bad, good, sizeof good);
  bad[3] = 200;                                 /* moof longer than the data */
  g_assert_false (gst_offline_fmp4_get_decode_time (bad, sizeof bad, &time));
  memcpy (bad, good, sizeof good);
  bad[11] = 4;                                  /* traf shorter than its header */
  g_assert_false (gst_offline_fmp4_get_decode_time (bad, sizeof bad, &time));
  memcpy (bad, good, sizeof good);
  bad[3] = 1;                                   /* 64-bit size, cut off */
  g_assert_false (gst_offline_fmp4_get_decode_time (bad, 12, &time));
  memcpy (bad, good, sizeof good);
  bad[24] = 1;                                  /* tfdt v1 in a v0-sized box */
  g_assert_false (gst_offline_fmp4_get_decode_time (bad, sizeof bad, &time));
  g_assert_cmpuint (gst_offline_fmp4_get_timescale (good, sizeof good), ==, 0);
}

/* A version 1 tfdt moved past 63 bits, or by the most negative delta: no
 * result (found by fuzz-fmp4: the sum overflowed). */
static void
test_shift_overflow (void)
{
  /* moof[traf[tfdt v1 = 2^62]] */
  static const guint8 v1[] = {
    0, 0, 0, 36, 'm', 'o', 'o', 'f',
      0, 0, 0, 28, 't', 'r', 'a', 'f',
        0, 0, 0, 20, 't', 'f', 'd', 't', 1, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0,
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (v1, sizeof v1);
  g_autoptr(GBytes) shifted = NULL;
  guint64 time = 0;

  g_assert_true (gst_offline_fmp4_get_decode_time (v1, sizeof v1, &time));
  g_assert_cmpuint (time, ==, G_GUINT64_CONSTANT (1) << 62);
  g_assert_null (gst_offline_fmp4_shift_decode_time (bytes, G_MAXINT64));
  g_assert_null (gst_offline_fmp4_shift_decode_time (bytes, G_MININT64));
  /* up to 2^63 - 1 it fits */
  shifted = gst_offline_fmp4_shift_decode_time (bytes, (G_GINT64_CONSTANT (1) << 62) - 1);
  g_assert_nonnull (shifted);
  g_assert_true (gst_offline_fmp4_get_decode_time (g_bytes_get_data (shifted, NULL), sizeof v1, &time));
  g_assert_cmpuint (time, ==, (guint64) G_MAXINT64);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fmp4/fixture-timing", test_fixture_timing);
  g_test_add_func ("/fmp4/shift", test_shift);
  g_test_add_func ("/fmp4/hostile", test_hostile);
  g_test_add_func ("/fmp4/shift-overflow", test_shift_overflow);
  return g_test_run ();
}
