/* offline-dash-segments.c: the segments of a Representation, from its
 * SegmentBase, SegmentList or SegmentTemplate (or its BaseURL alone)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-dash-private.h"
#include "offline-manifest-private.h"

static const struct {
  const char *name;
  OfflineDashAddressing addressing;
} segment_elements[] = {
  { "SegmentBase", OFFLINE_DASH_ADDRESSING_BASE },
  { "SegmentList", OFFLINE_DASH_ADDRESSING_LIST },
  { "SegmentTemplate", OFFLINE_DASH_ADDRESSING_TEMPLATE },
};

/* Makes the segment of @number at media time @time (its URL and range). */
typedef OfflineSegment *(*SegmentMaker) (const OfflineDashSegmentContext  *ctx,
                                         const OfflineDashSegmentInfo     *info,
                                         guint64                           number,
                                         guint64                           time,
                                         gpointer                          data,
                                         GError                          **error);

/*
 * offline_dash_segment_info_init:
 * @info: (out caller-allocates): segment information to set to the defaults
 *
 * timescale 1, startNumber 1, nothing else.
 */
void
offline_dash_segment_info_init (OfflineDashSegmentInfo *info)
{
  *info = (OfflineDashSegmentInfo) {
    .addressing = OFFLINE_DASH_ADDRESSING_NONE,
    .timescale = 1,
    .start_number = 1,
    .index_offset = -1,
    .index_length = -1,
  };
}

/*
 * offline_dash_segment_info_clear:
 * @info: segment information
 *
 * Frees what @info owns.
 */
void
offline_dash_segment_info_clear (OfflineDashSegmentInfo *info)
{
  g_clear_pointer (&info->media, g_free);
  g_clear_pointer (&info->initialization, g_free);
}

/*
 * offline_dash_segment_info_copy:
 * @info: (out caller-allocates): where to copy
 * @from: segment information
 *
 * Makes @info a copy of @from (nodes are shared, strings copied).
 */
void
offline_dash_segment_info_copy (OfflineDashSegmentInfo       *info,
                                const OfflineDashSegmentInfo *from)
{
  *info = *from;
  info->media = g_strdup (from->media);
  info->initialization = g_strdup (from->initialization);
}

/* Replaces *@field by the attribute @name of @element if it has one. */
static gboolean
override_string (char       **field,
                 xmlNode     *element,
                 const char  *name)
{
  char *value = offline_dash_get_attribute (element, name);

  if (value == NULL)
    return FALSE;
  g_free (*field);
  *field = value;
  return TRUE;
}

/* Overlays what @element says on @info. */
static gboolean
merge_element (OfflineDashSegmentInfo  *info,
               xmlNode                 *element,
               OfflineDashAddressing    addressing,
               GError                 **error)
{
  xmlNode *init = offline_dash_first_child (element, "Initialization");
  xmlNode *timeline = offline_dash_first_child (element, "SegmentTimeline");
  g_autofree char *duration = offline_dash_get_attribute (element, "duration");

  /* the first edition of the standard spelt it with an 's' */
  if (init == NULL)
    init = offline_dash_first_child (element, "Initialisation");

  info->addressing = addressing;
  info->element = element;
  if (!offline_dash_get_uint64 (element, "timescale", OFFLINE_MANIFEST_MAX_TIMESCALE,
                                &info->timescale, error) ||
      !offline_dash_get_uint64 (element, "presentationTimeOffset", G_MAXUINT64,
                                &info->pto, error) ||
      !offline_dash_get_range (element, "indexRange",
                               &info->index_offset, &info->index_length, error))
    return FALSE;
  if (info->timescale == 0) {
    offline_dash_set_error (error, element, "timescale", "0 is not a timescale");
    return FALSE;
  }
  if (init != NULL) {
    info->init = init;
    g_clear_pointer (&info->initialization, g_free);
  }
  if (addressing == OFFLINE_DASH_ADDRESSING_BASE)
    return TRUE;

  if (!offline_dash_get_uint64 (element, "duration", G_MAXUINT64, &info->duration, error) ||
      !offline_dash_get_uint64 (element, "startNumber", G_MAXUINT64, &info->start_number, error) ||
      !offline_dash_get_uint64 (element, "endNumber", G_MAXUINT64, &info->end_number, error))
    return FALSE;
  /* @duration and SegmentTimeline exclude each other: the lower level wins */
  if (timeline != NULL) {
    info->timeline = timeline;
    if (duration == NULL)
      info->duration = 0;
  } else if (duration != NULL) {
    info->timeline = NULL;
  }
  if (addressing == OFFLINE_DASH_ADDRESSING_LIST &&
      offline_dash_first_child (element, "SegmentURL") != NULL)
    info->list = element;
  if (addressing == OFFLINE_DASH_ADDRESSING_TEMPLATE) {
    override_string (&info->media, element, "media");
    if (override_string (&info->initialization, element, "initialization"))
      info->init = NULL;
  }
  return TRUE;
}

/*
 * offline_dash_segment_info_merge:
 * @info: segment information merged from the levels above @level
 * @level: a Period, AdaptationSet or Representation
 * @error: return location for a #GError, or %NULL
 *
 * Overlays the SegmentBase, SegmentList and SegmentTemplate of @level on
 * @info: attributes and children it has override, the rest is inherited.
 * The addressing becomes that of the element of @level (SegmentTemplate
 * over SegmentList over SegmentBase should a level have several).
 *
 * Returns: %FALSE if an attribute is malformed
 */
gboolean
offline_dash_segment_info_merge (OfflineDashSegmentInfo  *info,
                                 xmlNode                 *level,
                                 GError                 **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (segment_elements); i++) {
    xmlNode *element = offline_dash_first_child (level, segment_elements[i].name);

    if (element != NULL &&
        !merge_element (info, element, segment_elements[i].addressing, error))
      return FALSE;
  }
  return TRUE;
}

static OfflineSegment *
new_segment (const char *uri,
             gint64      offset,
             gint64      length)
{
  OfflineSegment *segment = offline_segment_new (uri);

  segment->range_offset = offset;
  segment->range_length = offset >= 0 ? length : -1;
  return segment;
}

/* Expands and resolves the SegmentTemplate@@attribute @tmpl. */
static char *
template_url (const OfflineDashSegmentContext  *ctx,
              const OfflineDashSegmentInfo     *info,
              const char                       *tmpl,
              const char                       *attribute,
              const OfflineDashTemplateVars    *vars,
              GError                          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *ref = offline_dash_template_expand (tmpl, vars, &local_error);

  if (ref == NULL) {
    offline_dash_set_error (error, info->element, attribute, "%s", local_error->message);
    return NULL;
  }
  return offline_dash_resolve (ctx->base_url, ref, info->element, attribute, error);
}

/* SegmentTemplate@initialization, or Initialization@sourceURL and @range;
 * *@out stays NULL when there is no initialisation segment. */
static gboolean
build_init (const OfflineDashSegmentContext  *ctx,
            const OfflineDashSegmentInfo     *info,
            OfflineSegment                  **out,
            GError                          **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *source = NULL;
  gint64 offset = -1, length = -1;

  if (info->addressing == OFFLINE_DASH_ADDRESSING_TEMPLATE && info->initialization != NULL) {
    OfflineDashTemplateVars vars = {
      ctx->representation_id, ctx->has_bandwidth, ctx->bandwidth, FALSE, 0, 0,
    };

    uri = template_url (ctx, info, info->initialization, "initialization", &vars, error);
    if (uri == NULL)
      return FALSE;
    *out = offline_segment_new (uri);
    return TRUE;
  }
  if (info->init == NULL)
    return TRUE;

  source = offline_dash_get_attribute (info->init, "sourceURL");
  if (!offline_dash_get_range (info->init, "range", &offset, &length, error))
    return FALSE;
  if (source != NULL)
    uri = offline_dash_resolve (ctx->base_url, source, info->init, "sourceURL", error);
  else if (offset < 0)
    return TRUE;  /* says nothing */
  else if (ctx->has_base_url)
    uri = g_strdup (ctx->base_url);
  else
    offline_dash_set_error (error, info->init, "range",
                            "no @sourceURL, and no BaseURL for the range to apply to");
  if (uri == NULL)
    return FALSE;
  *out = new_segment (uri, offset, length);
  return TRUE;
}

/* Sets the start and duration of @segment, @time being in @run. */
static gboolean
set_times (OfflineSegment                   *segment,
           const OfflineDashSegmentContext  *ctx,
           const OfflineDashSegmentInfo     *info,
           const OfflineDashRun             *run,
           guint64                           time,
           GError                          **error)
{
  const OfflineDashPeriod *period = ctx->period;
  GTimeSpan start, end;

  if (!offline_dash_media_time_to_us (time, info->pto, info->timescale, period, &start) ||
      !offline_dash_media_time_to_us (time + run->duration, info->pto, info->timescale,
                                      period, &end)) {
    offline_dash_set_error (error, info->element, NULL,
                            "segment time %" G_GUINT64_FORMAT " is more than a year "
                            "away from the Period start", time);
    return FALSE;
  }
  if (run->clip && period->duration >= 0)
    end = MIN (end, period->start + period->duration);
  segment->start = start;
  segment->duration = MAX (end - start, 0);
  return TRUE;
}

/* Counts @count segments of the Representation against the budget of the
 * presentation. */
static gboolean
reserve_segments (const OfflineDashSegmentContext  *ctx,
                  guint64                           count,
                  GError                          **error)
{
  g_autofree char *where = g_strdup_printf ("MPD: Representation \"%s\"",
                                            ctx->representation_id);

  return offline_presentation_reserve_segments (ctx->presentation, count, where, error);
}

/* Makes the @total segments of @runs, numbered from startNumber. */
static gboolean
emit_runs (const OfflineDashSegmentContext  *ctx,
           const OfflineDashSegmentInfo     *info,
           GArray                           *runs,
           guint64                           total,
           SegmentMaker                      make,
           gpointer                          data,
           GPtrArray                        *segments,
           GError                          **error)
{
  guint64 number = info->start_number;
  guint64 last_number;

  if (!g_uint64_checked_add (&last_number, info->start_number, total)) {
    offline_dash_set_error (error, info->element, "startNumber",
                            "numbering %" G_GUINT64_FORMAT " segments overflows", total);
    return FALSE;
  }

  for (guint i = 0; i < runs->len; i++) {
    const OfflineDashRun *run = &g_array_index (runs, OfflineDashRun, i);

    for (guint64 k = 0; k < run->count; k++, number++) {
      guint64 time = run->time + k * run->duration;  /* checked by the run */
      OfflineSegment *segment = make (ctx, info, number, time, data, error);

      if (segment == NULL)
        return FALSE;
      g_ptr_array_add (segments, segment);
      segment->number = number;
      if (!set_times (segment, ctx, info, run, time, error))
        return FALSE;
    }
  }
  return TRUE;
}

/* One segment spanning the whole Period. */
static gboolean
emit_whole_period (const OfflineDashSegmentContext  *ctx,
                   const OfflineDashSegmentInfo     *info,
                   SegmentMaker                      make,
                   gpointer                          data,
                   GPtrArray                        *segments,
                   GError                          **error)
{
  OfflineSegment *segment = make (ctx, info, info->start_number, info->pto, data, error);

  if (segment == NULL)
    return FALSE;
  segment->number = info->start_number;
  segment->start = ctx->period->start;
  segment->duration = MAX (ctx->period->duration, 0);
  g_ptr_array_add (segments, segment);
  return TRUE;
}

/* One run of @count segments of @duration from presentationTimeOffset. */
static GArray *
duration_runs (const OfflineDashSegmentInfo  *info,
               guint64                        count,
               GError                       **error)
{
  OfflineDashRun run = { info->pto, info->duration, count, TRUE };
  GArray *runs;
  guint64 span, end;

  if (!g_uint64_checked_mul (&span, run.duration, run.count) ||
      !g_uint64_checked_add (&end, run.time, span)) {
    offline_dash_set_error (error, info->element, "duration",
                            "%" G_GUINT64_FORMAT " segments of %" G_GUINT64_FORMAT
                            " overflow 64 bits", count, run.duration);
    return NULL;
  }
  runs = g_array_new (FALSE, FALSE, sizeof (OfflineDashRun));
  g_array_append_val (runs, run);
  return runs;
}

/* A single file: the BaseURL, after the initialisation segment if that is
 * a range of the same file. */
static OfflineSegment *
make_file_segment (const OfflineDashSegmentContext  *ctx,
                   const OfflineDashSegmentInfo     *info,
                   guint64                           number,
                   guint64                           time,
                   gpointer                          data,
                   GError                          **error)
{
  OfflineSegment *init = data;

  if (!ctx->has_base_url) {
    if (info->element != NULL)
      offline_dash_set_error (error, info->element, NULL, "no BaseURL names the file");
    else
      offline_dash_set_error (error, ctx->representation, NULL,
                              "no BaseURL, SegmentBase, SegmentList or "
                              "SegmentTemplate addresses its media");
    return NULL;
  }
  if (init != NULL && init->range_offset >= 0 && strcmp (init->uri, ctx->base_url) == 0)
    return new_segment (ctx->base_url, init->range_offset + init->range_length, -1);
  return new_segment (ctx->base_url, -1, -1);
}

/* The SegmentURL at *@data, which then moves to the next one. */
static OfflineSegment *
make_list_segment (const OfflineDashSegmentContext  *ctx,
                   const OfflineDashSegmentInfo     *info,
                   guint64                           number,
                   guint64                           time,
                   gpointer                          data,
                   GError                          **error)
{
  xmlNode **cursor = data;
  xmlNode *url = *cursor;
  g_autofree char *media = offline_dash_get_attribute (url, "media");
  g_autofree char *uri = NULL;
  gint64 offset = -1, length = -1;

  *cursor = offline_dash_next_sibling (url, "SegmentURL");
  if (!offline_dash_get_range (url, "mediaRange", &offset, &length, error))
    return NULL;
  if (media != NULL)
    uri = offline_dash_resolve (ctx->base_url, media, url, "media", error);
  else if (ctx->has_base_url)
    uri = g_strdup (ctx->base_url);
  else
    offline_dash_set_error (error, url, "media", "missing, and no BaseURL to use instead");
  if (uri == NULL)
    return NULL;
  return new_segment (uri, offset, length);
}

/* SegmentTemplate@media for @number and @time. */
static OfflineSegment *
make_template_segment (const OfflineDashSegmentContext  *ctx,
                       const OfflineDashSegmentInfo     *info,
                       guint64                           number,
                       guint64                           time,
                       gpointer                          data,
                       GError                          **error)
{
  OfflineDashTemplateVars vars = {
    ctx->representation_id, ctx->has_bandwidth, ctx->bandwidth, TRUE, number, time,
  };
  g_autofree char *uri = template_url (ctx, info, info->media, "media", &vars, error);

  if (uri == NULL)
    return NULL;
  return offline_segment_new (uri);
}

/* The runs of the SegmentTimeline of @info, else of its @duration: @count
 * segments, or with @to_period_end as many as start in the Period. */
static GArray *
timing_runs (const OfflineDashSegmentContext  *ctx,
             const OfflineDashSegmentInfo     *info,
             gboolean                          to_period_end,
             guint64                           count,
             guint64                          *total,
             GError                          **error)
{
  if (info->timeline != NULL)
    return offline_dash_timeline_runs (info->timeline, info->pto, info->timescale,
                                       ctx->period, total, error);
  if (info->duration == 0) {
    offline_dash_set_error (error, info->element, "duration",
                            "missing or 0, and no SegmentTimeline");
    return NULL;
  }
  if (to_period_end && ctx->period->duration < 0) {
    offline_dash_set_error (error, info->element, "duration",
                            "the Period has no known duration to divide");
    return NULL;
  }
  if (to_period_end &&
      !offline_dash_count_until_period_end (info->pto, info->duration, info->pto,
                                            info->timescale, ctx->period, &count)) {
    offline_dash_set_error (error, info->element, "duration",
                            "too small for the length of the Period");
    return NULL;
  }
  *total = count;
  return duration_runs (info, count, error);
}

/* What the segment information of a Representation makes: @runs of
 * segments, or (@runs NULL) a single segment spanning the Period. */
typedef struct {
  GArray *runs;
  guint64 total;
  xmlNode *first_url;   /* SegmentList: its first SegmentURL */
} SegmentPlan;

static void
segment_plan_clear (SegmentPlan *plan)
{
  g_clear_pointer (&plan->runs, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SegmentPlan, segment_plan_clear)

static gboolean
plan_list (const OfflineDashSegmentContext  *ctx,
           const OfflineDashSegmentInfo     *info,
           SegmentPlan                      *plan,
           GError                          **error)
{
  guint64 urls = 0;

  plan->first_url = info->list != NULL ? offline_dash_first_child (info->list, "SegmentURL") : NULL;
  if (plan->first_url == NULL) {
    offline_dash_set_error (error, info->element, NULL, "no SegmentURL");
    return FALSE;
  }
  offline_dash_foreach_child (url, info->list, "SegmentURL")
    urls++;
  /* a single SegmentURL needs no timing: it is the whole Period */
  if (urls == 1 && info->timeline == NULL && info->duration == 0) {
    plan->total = 1;
    return TRUE;
  }
  plan->runs = timing_runs (ctx, info, FALSE, urls, &plan->total, error);
  if (plan->runs == NULL)
    return FALSE;
  /* as many segments as there are both SegmentURLs and times for */
  plan->total = offline_dash_limit_runs (plan->runs, urls);
  return TRUE;
}

static gboolean
plan_template (const OfflineDashSegmentContext  *ctx,
               const OfflineDashSegmentInfo     *info,
               SegmentPlan                      *plan,
               GError                          **error)
{
  if (info->media == NULL) {
    offline_dash_set_error (error, info->element, "media", "missing");
    return FALSE;
  }
  plan->runs = timing_runs (ctx, info, TRUE, 0, &plan->total, error);
  if (plan->runs == NULL)
    return FALSE;
  if (info->end_number != 0)
    plan->total = offline_dash_limit_runs (plan->runs, info->end_number >= info->start_number
                                                       ? info->end_number - info->start_number + 1
                                                       : 0);
  return TRUE;
}

/* How many segments @info makes, and along which runs: nothing is made. */
static gboolean
plan_segments (const OfflineDashSegmentContext  *ctx,
               const OfflineDashSegmentInfo     *info,
               SegmentPlan                      *plan,
               GError                          **error)
{
  switch (info->addressing) {
  case OFFLINE_DASH_ADDRESSING_LIST:
    return plan_list (ctx, info, plan, error);
  case OFFLINE_DASH_ADDRESSING_TEMPLATE:
    return plan_template (ctx, info, plan, error);
  case OFFLINE_DASH_ADDRESSING_NONE:
  case OFFLINE_DASH_ADDRESSING_BASE:
  default:
    plan->total = 1;
    return TRUE;
  }
}

/*
 * offline_dash_count_segments:
 * @ctx: the Representation and where it is
 * @info: its merged segment information
 * @count: (out): how many media segments offline_dash_build_segments()
 *   would make
 * @error: return location for a #GError, or %NULL
 *
 * Costs no more than reading the SegmentTimeline or SegmentURLs: no
 * segment is made, so an absurd count is cheap to refuse.
 *
 * Returns: %FALSE when @info is malformed
 */
gboolean
offline_dash_count_segments (const OfflineDashSegmentContext  *ctx,
                             const OfflineDashSegmentInfo     *info,
                             guint64                          *count,
                             GError                          **error)
{
  g_auto(SegmentPlan) plan = { NULL, };

  if (!plan_segments (ctx, info, &plan, error))
    return FALSE;
  *count = plan.total;
  return TRUE;
}

/*
 * offline_dash_build_segments:
 * @ctx: the Representation and where it is
 * @info: its merged segment information
 * @init: (out) (transfer full) (nullable): its initialisation segment
 * @segments: (element-type OfflineSegment): where its media segments are
 *   appended, in time order
 * @error: return location for a #GError, or %NULL
 *
 * Every segment is counted against the budget of the presentation before
 * any is made.
 *
 * SegmentBase and a Representation with only a BaseURL are a single
 * segment spanning the Period: the whole file, or, when
 * Initialization@range is a range of that file, the rest of it after the
 * initialisation segment.
 *
 * Returns: %FALSE on error
 */
gboolean
offline_dash_build_segments (const OfflineDashSegmentContext  *ctx,
                             const OfflineDashSegmentInfo     *info,
                             OfflineSegment                  **init,
                             GPtrArray                        *segments,
                             GError                          **error)
{
  g_autoptr(OfflineSegment) init_segment = NULL;
  g_auto(SegmentPlan) plan = { NULL, };
  SegmentMaker make = make_file_segment;
  gpointer data = NULL;
  gboolean ok;

  if (!build_init (ctx, info, &init_segment, error) ||
      !plan_segments (ctx, info, &plan, error) ||
      !reserve_segments (ctx, plan.total, error))
    return FALSE;
  switch (info->addressing) {
  case OFFLINE_DASH_ADDRESSING_LIST:
    make = make_list_segment;
    data = &plan.first_url;
    break;
  case OFFLINE_DASH_ADDRESSING_TEMPLATE:
    make = make_template_segment;
    break;
  case OFFLINE_DASH_ADDRESSING_NONE:
  case OFFLINE_DASH_ADDRESSING_BASE:
  default:
    data = init_segment;
    break;
  }
  if (plan.runs != NULL)
    ok = emit_runs (ctx, info, plan.runs, plan.total, make, data, segments, error);
  else
    ok = emit_whole_period (ctx, info, make, data, segments, error);
  if (ok)
    *init = g_steal_pointer (&init_segment);
  return ok;
}
