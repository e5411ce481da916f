/* offline-dash-timing.c: ISO 8601 durations, byte ranges, media time
 * arithmetic and SegmentTimeline expansion
 *
 * All tick arithmetic is checked: anything that would overflow is refused
 * instead of wrapping around.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-dash-private.h"
#include "offline-manifest-private.h"

#define US_PER_DAY (G_GUINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

/* The designators of an xs:duration, in the order they must appear. Years
 * and months have no fixed length; like other players we count 365 and 30
 * days. */
static const struct {
  char designator;
  gboolean in_time;   /* after the 'T' */
  guint64 us;
} iso_units[] = {
  { 'Y', FALSE, 365 * US_PER_DAY },
  { 'M', FALSE, 30 * US_PER_DAY },
  { 'D', FALSE, US_PER_DAY },
  { 'H', TRUE, G_GUINT64_CONSTANT (3600) * G_USEC_PER_SEC },
  { 'M', TRUE, G_GUINT64_CONSTANT (60) * G_USEC_PER_SEC },
  { 'S', TRUE, G_USEC_PER_SEC },
};

/* Reads the digits at *@p (at least one) into @value; FALSE on overflow. */
static gboolean
read_digits (const char **p,
             guint64     *value)
{
  const char *start = *p;

  *value = 0;
  for (; g_ascii_isdigit (**p); (*p)++)
    if (!g_uint64_checked_mul (value, *value, 10) ||
        !g_uint64_checked_add (value, *value, **p - '0'))
      return FALSE;
  return *p != start;
}

/* Reads ".ddd" at *@p, if there, as microseconds (digits past the sixth
 * are dropped). */
static gboolean
read_fraction_us (const char **p,
                  guint64     *us)
{
  guint64 scale = G_USEC_PER_SEC / 10;
  const char *start;

  *us = 0;
  if (**p != '.')
    return TRUE;
  start = ++(*p);
  for (; g_ascii_isdigit (**p); (*p)++, scale /= 10)
    *us += (**p - '0') * scale;
  return *p != start;
}

/*
 * offline_dash_parse_iso_duration:
 * @text: an xs:duration such as "PT1H2M3.5S", "P1DT2H" or "PT0S"
 * @out: (out): the duration in µs
 *
 * Only the seconds may have a fraction; negative durations and anything
 * longer than %OFFLINE_MANIFEST_MAX_DURATION are refused.
 *
 * Returns: whether @text is such a duration
 */
gboolean
offline_dash_parse_iso_duration (const char *text,
                                 GTimeSpan  *out)
{
  const char *p = text;
  guint next_unit = 0;
  guint components = 0;
  gboolean in_time = FALSE;
  guint64 total = 0;

  if (*p++ != 'P')
    return FALSE;
  while (*p != '\0') {
    guint64 value, fraction, us;
    guint unit;

    if (*p == 'T') {
      if (in_time)
        return FALSE;
      in_time = TRUE;
      components = 0;
      while (next_unit < G_N_ELEMENTS (iso_units) && !iso_units[next_unit].in_time)
        next_unit++;
      p++;
      continue;
    }
    if (!read_digits (&p, &value) || !read_fraction_us (&p, &fraction))
      return FALSE;
    for (unit = next_unit; unit < G_N_ELEMENTS (iso_units); unit++)
      if (iso_units[unit].designator == *p && iso_units[unit].in_time == in_time)
        break;
    if (unit == G_N_ELEMENTS (iso_units) ||
        (fraction != 0 && iso_units[unit].designator != 'S') ||
        !g_uint64_checked_mul (&us, value, iso_units[unit].us) ||
        !g_uint64_checked_add (&total, total, us) ||
        !g_uint64_checked_add (&total, total, fraction))
      return FALSE;
    next_unit = unit + 1;
    components++;
    p++;
  }
  if (components == 0 || total > (guint64) OFFLINE_MANIFEST_MAX_DURATION)
    return FALSE;
  *out = (GTimeSpan) total;
  return TRUE;
}

/*
 * offline_dash_parse_byte_range:
 * @text: an inclusive byte range "first-last"
 * @offset: (out): first
 * @length: (out): last − first + 1
 *
 * Returns: whether @text is such a range with first ≤ last
 */
gboolean
offline_dash_parse_byte_range (const char *text,
                               gint64     *offset,
                               gint64     *length)
{
  const char *dash = strchr (text, '-');
  g_autofree char *first_text = NULL;
  guint64 first, last;

  if (dash == NULL)
    return FALSE;
  first_text = g_strndup (text, dash - text);
  if (!offline_parse_uint64 (first_text, G_MAXINT64 - 1, &first) ||
      !offline_parse_uint64 (dash + 1, G_MAXINT64 - 1, &last) ||
      first > last)
    return FALSE;
  *offset = (gint64) first;
  *length = (gint64) (last - first + 1);
  return TRUE;
}

static guint64
gcd (guint64 a,
     guint64 b)
{
  while (b != 0) {
    guint64 r = a % b;

    a = b;
    b = r;
  }
  return a;
}

/*
 * offline_dash_count_until_period_end:
 * @time: media time of the first segment, in ticks
 * @duration: duration of every segment, in ticks (> 0)
 * @pto: presentationTimeOffset, in ticks
 * @timescale: ticks per second (> 0)
 * @period: a Period of known duration
 * @count: (out): how many segments start before the end of @period
 *
 * That is ⌈(period duration × timescale − (@time − @pto)) / @duration⌉,
 * computed exactly: µs and ticks are brought to a common unit through
 * their greatest common divisor.
 *
 * Returns: %FALSE on overflow
 */
gboolean
offline_dash_count_until_period_end (guint64                  time,
                                     guint64                  duration,
                                     guint64                  pto,
                                     guint64                  timescale,
                                     const OfflineDashPeriod *period,
                                     guint64                 *count)
{
  guint64 common = gcd (timescale, G_USEC_PER_SEC);
  guint64 us_scale = G_USEC_PER_SEC / common;
  guint64 end, offset, remaining, step;

  g_return_val_if_fail (period->duration >= 0 && duration > 0, FALSE);

  /* everything in units of 1 / (timescale × us_scale) s */
  if (!g_uint64_checked_mul (&end, (guint64) period->duration, timescale / common) ||
      !g_uint64_checked_mul (&step, duration, us_scale))
    return FALSE;
  if (time >= pto) {
    if (!g_uint64_checked_mul (&offset, time - pto, us_scale))
      return FALSE;
    if (offset >= end) {
      *count = 0;
      return TRUE;
    }
    remaining = end - offset;
  } else if (!g_uint64_checked_mul (&offset, pto - time, us_scale) ||
             !g_uint64_checked_add (&remaining, end, offset)) {
    return FALSE;
  }
  *count = remaining / step + (remaining % step != 0 ? 1 : 0);
  return TRUE;
}

/*
 * offline_dash_media_time_to_us:
 * @time: a media time in ticks
 * @pto: presentationTimeOffset, in ticks
 * @timescale: ticks per second (> 0)
 * @period: the Period @time is in
 * @out: (out): (@time − @pto) / @timescale + Period start, in µs, never
 *   before 0
 *
 * Returns: %FALSE when @time is more than a year from the Period start
 */
gboolean
offline_dash_media_time_to_us (guint64                  time,
                               guint64                  pto,
                               guint64                  timescale,
                               const OfflineDashPeriod *period,
                               GTimeSpan               *out)
{
  GTimeSpan offset;

  if (!offline_ticks_to_us (time >= pto ? time - pto : pto - time, timescale, &offset) ||
      offset > OFFLINE_MANIFEST_MAX_DURATION)
    return FALSE;
  if (time >= pto)
    *out = period->start + offset;
  else
    *out = MAX (period->start - offset, 0);
  return TRUE;
}

/* The number of S that @r="-1" on @s stands for: up to the next S@t, or up
 * to the end of the Period when @s is the last S. */
static gboolean
count_open_repeat (xmlNode                  *s,
                   guint64                   time,
                   guint64                   duration,
                   guint64                   pto,
                   guint64                   timescale,
                   const OfflineDashPeriod  *period,
                   guint64                  *count,
                   gboolean                 *clip,
                   GError                  **error)
{
  xmlNode *next = offline_dash_next_sibling (s, "S");
  g_autofree char *next_t = next != NULL ? offline_dash_get_attribute (next, "t") : NULL;
  guint64 next_time = 0;

  if (next != NULL) {
    if (next_t == NULL) {
      offline_dash_set_error (error, s, "r",
                              "-1 must be followed by an S with @t, or be the last S");
      return FALSE;
    }
    if (!offline_dash_get_uint64 (next, "t", G_MAXUINT64, &next_time, error))
      return FALSE;
    if (next_time <= time) {
      offline_dash_set_error (error, next, "t",
                              "%" G_GUINT64_FORMAT " does not follow the S@r=\"-1\" "
                              "starting at %" G_GUINT64_FORMAT, next_time, time);
      return FALSE;
    }
    *count = (next_time - time) / duration + ((next_time - time) % duration != 0 ? 1 : 0);
    *clip = FALSE;
    return TRUE;
  }

  if (period->duration < 0) {
    offline_dash_set_error (error, s, "r",
                            "-1 on the last S needs a Period of known duration");
    return FALSE;
  }
  if (!offline_dash_count_until_period_end (time, duration, pto, timescale, period, count)) {
    offline_dash_set_error (error, s, "r", "-1 repeats beyond any representable time");
    return FALSE;
  }
  *clip = TRUE;
  return TRUE;
}

/* Drops the segments of @run that start at or after the end of @period
 * (if it has a known duration). FALSE on overflow. */
static gboolean
clip_run (OfflineDashRun           *run,
          guint64                   pto,
          guint64                   timescale,
          const OfflineDashPeriod  *period)
{
  guint64 limit;

  if (period->duration < 0 || run->clip)
    return TRUE;
  if (!offline_dash_count_until_period_end (run->time, run->duration, pto, timescale, period,
                                            &limit))
    return FALSE;
  if (limit <= run->count) {
    /* the run reaches the end: its last segment ends there at the latest */
    run->count = limit;
    run->clip = TRUE;
  }
  return TRUE;
}

/*
 * offline_dash_timeline_runs:
 * @timeline: a SegmentTimeline element
 * @pto: presentationTimeOffset, in ticks
 * @timescale: ticks per second (> 0)
 * @period: the Period of @timeline
 * @total: (out): the number of segments of all runs together
 * @error: return location for a #GError, or %NULL
 *
 * Reads the S elements: S@t (default: the end of the previous S, 0 for the
 * first), S@d (> 0) and S@r (default 0, -1 repeats up to the next S@t or the
 * end of the Period). Nothing is expanded, so an absurd S@r costs nothing;
 * t + d × (r + 1) must fit 64 bits, so every $Time$ does. In a Period of
 * known duration every run is clipped to it, whatever its S@r: segments
 * that would start at or after the end of the Period are dropped (a
 * server does not have them), and the last one kept ends with the Period.
 *
 * Returns: (transfer full) (element-type OfflineDashRun) (nullable): one
 *   run per S with at least one segment
 */
GArray *
offline_dash_timeline_runs (xmlNode                  *timeline,
                            guint64                   pto,
                            guint64                   timescale,
                            const OfflineDashPeriod  *period,
                            guint64                  *total,
                            GError                  **error)
{
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (OfflineDashRun));
  guint64 next_time = 0;
  guint64 sum = 0;

  offline_dash_foreach_child (s, timeline, "S") {
    OfflineDashRun run = { next_time, 0, 1, FALSE };
    g_autofree char *repeat = offline_dash_get_attribute (s, "r");
    guint64 span;

    if (!offline_dash_get_uint64 (s, "t", G_MAXUINT64, &run.time, error) ||
        !offline_dash_get_uint64 (s, "d", G_MAXUINT64, &run.duration, error))
      return NULL;
    if (run.duration == 0) {
      offline_dash_set_error (error, s, "d", "missing or 0");
      return NULL;
    }
    if (g_strcmp0 (repeat, "-1") == 0) {
      if (!count_open_repeat (s, run.time, run.duration, pto, timescale, period,
                              &run.count, &run.clip, error))
        return NULL;
    } else if (repeat != NULL &&
               (!offline_parse_uint64 (repeat, G_MAXUINT64 - 1, &run.count) ||
                !g_uint64_checked_add (&run.count, run.count, 1))) {
      offline_dash_set_error (error, s, "r", "\"%s\" is not a repeat count", repeat);
      return NULL;
    }
    if (!clip_run (&run, pto, timescale, period)) {
      offline_dash_set_error (error, s, NULL, "t + d * (r + 1) overflows 64 bits");
      return NULL;
    }
    if (!g_uint64_checked_mul (&span, run.duration, run.count) ||
        !g_uint64_checked_add (&next_time, run.time, span)) {
      offline_dash_set_error (error, s, NULL,
                              "t + d * (r + 1) overflows 64 bits");
      return NULL;
    }
    if (!g_uint64_checked_add (&sum, sum, run.count)) {
      offline_dash_set_error (error, timeline, NULL, "too many segments");
      return NULL;
    }
    if (run.count > 0)
      g_array_append_val (runs, run);
  }
  *total = sum;
  return g_steal_pointer (&runs);
}

/*
 * offline_dash_limit_runs:
 * @runs: (element-type OfflineDashRun): runs of segments
 * @max: the number of segments to keep
 *
 * Drops the segments of @runs past the first @max.
 *
 * Returns: how many segments are left
 */
guint64
offline_dash_limit_runs (GArray  *runs,
                         guint64  max)
{
  guint64 kept = 0;

  for (guint i = 0; i < runs->len; i++) {
    OfflineDashRun *run = &g_array_index (runs, OfflineDashRun, i);

    if (kept + run->count >= max) {
      run->count = max - kept;
      g_array_set_size (runs, i + 1);
      return max;
    }
    kept += run->count;
  }
  return kept;
}
