/* offline-dash-parser.c: MPEG-DASH MPD to #OfflinePresentation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-dash-parser.h"
#include "offline-dash-private.h"
#include "offline-error.h"
#include "offline-manifest-private.h"

/* BaseURL, resolved, of each level down to a Period's AdaptationSet. */
typedef struct {
  const char *url;
  gboolean explicit;  /* a BaseURL element was on the way */
} DashBase;

/* The BaseURL of @level (the first one) resolved against @parent, or
 * @parent's if it has none. */
static char *
resolve_base_url (const DashBase  *parent,
                  xmlNode         *level,
                  DashBase        *base,
                  GError         **error)
{
  xmlNode *element = offline_dash_first_child (level, "BaseURL");
  g_autofree char *text = element != NULL ? offline_dash_get_text (element) : NULL;
  char *url;

  base->explicit = parent->explicit || text != NULL;
  if (text == NULL)
    url = g_strdup (parent->url);
  else
    url = offline_dash_resolve (parent->url, text, element, NULL, error);
  base->url = url;
  return url;
}

/* The start and duration of every Period: Period@start, else the end of
 * the previous one; Period@duration, else up to the next start, else up to
 * MPD@mediaPresentationDuration. */
static GArray *
read_periods (xmlNode    *mpd,
              GTimeSpan   mpd_duration,
              GError    **error)
{
  g_autoptr(GArray) periods = g_array_new (FALSE, FALSE, sizeof (OfflineDashPeriod));
  GTimeSpan previous_end = 0;

  offline_dash_foreach_child (node, mpd, "Period") {
    OfflineDashPeriod period = { node, periods->len, -1, -1 };

    if (!offline_dash_get_duration (node, "start", &period.start, error) ||
        !offline_dash_get_duration (node, "duration", &period.duration, error))
      return NULL;
    if (period.start < 0 && previous_end < 0) {
      offline_dash_set_error (error, node, "start",
                              "missing, and the previous Period has no @duration");
      return NULL;
    }
    if (period.start < 0)
      period.start = previous_end;
    if (periods->len > 0 &&
        period.start < g_array_index (periods, OfflineDashPeriod, periods->len - 1).start) {
      offline_dash_set_error (error, node, "start", "before the previous Period");
      return NULL;
    }
    if (period.start > OFFLINE_MANIFEST_MAX_DURATION) {
      offline_dash_set_error (error, node, "start", "more than a year from the start");
      return NULL;
    }
    previous_end = period.duration >= 0 ? period.start + period.duration : -1;
    g_array_append_val (periods, period);
  }
  if (periods->len == 0) {
    offline_dash_set_error (error, NULL, NULL, "no Period");
    return NULL;
  }

  for (guint i = 0; i < periods->len; i++) {
    OfflineDashPeriod *period = &g_array_index (periods, OfflineDashPeriod, i);

    if (period->duration >= 0)
      continue;
    if (i + 1 < periods->len) {
      period->duration = g_array_index (periods, OfflineDashPeriod, i + 1).start - period->start;
    } else if (mpd_duration >= 0) {
      if (mpd_duration < period->start) {
        offline_dash_set_error (error, mpd, "mediaPresentationDuration",
                                "ends before the last Period starts");
        return NULL;
      }
      period->duration = mpd_duration - period->start;
    }
  }
  return g_steal_pointer (&periods);
}

/* The state of one parse. */
typedef struct {
  OfflinePresentation *presentation;
  GHashTable *tracks_by_id;   /* id → OfflineTrack of the presentation */
  guint representations;      /* over all Periods so far */
} DashParser;

/* What the Representations of one AdaptationSet share, read once. */
typedef struct {
  xmlNode *node;
  guint index;
  DashBase base;
  char *label;                  /* its Label */
  GPtrArray *protections;       /* its ContentProtections */
  OfflineDashSegmentInfo info;  /* its Period's and its own merged */
} DashAdaptationSet;

static void
dash_adaptation_set_clear (DashAdaptationSet *as)
{
  g_free ((char *) as->base.url);
  g_free (as->label);
  g_clear_pointer (&as->protections, g_ptr_array_unref);
  offline_dash_segment_info_clear (&as->info);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DashAdaptationSet, dash_adaptation_set_clear)

/* Reads what the Representations of @as->node share. */
static gboolean
read_adaptation_set (DashAdaptationSet             *as,
                     const DashBase                *period_base,
                     const OfflineDashSegmentInfo  *period_info,
                     GError                       **error)
{
  xmlNode *label = offline_dash_first_child (as->node, "Label");

  as->label = label != NULL ? offline_dash_get_text (label) : NULL;
  as->protections = g_ptr_array_new_with_free_func (g_object_unref);
  offline_dash_segment_info_copy (&as->info, period_info);
  return resolve_base_url (period_base, as->node, &as->base, error) != NULL &&
         offline_dash_collect_protections (as->node, as->base.url, as->protections, error) &&
         offline_dash_segment_info_merge (&as->info, as->node, error);
}

/* The track of one Representation in one Period: its fields, segments,
 * initialisation segment and protections. */
static OfflineTrack *
build_track (DashParser               *parser,
             const OfflineDashPeriod  *period,
             const DashAdaptationSet  *as,
             xmlNode                  *representation,
             const char               *id,
             OfflineTrackType          type,
             GError                  **error)
{
  g_autoptr(OfflineTrack) track = offline_track_new (type, id);
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) offline_segment_unref);
  g_autoptr(GPtrArray) protections = offline_dash_copy_protections (as->protections);
  g_autofree char *bandwidth = offline_dash_get_attribute (representation, "bandwidth");
  g_auto(OfflineDashSegmentInfo) info = { 0, };
  OfflineDashSegmentContext ctx = { parser->presentation, period, NULL, FALSE, representation, id, };
  OfflineSegment *init = NULL;
  g_autofree char *url = NULL;
  DashBase base;

  offline_dash_segment_info_copy (&info, &as->info);
  url = resolve_base_url (&as->base, representation, &base, error);
  if (url == NULL ||
      !offline_dash_fill_track (track, as->node, as->label, representation, error) ||
      !offline_dash_segment_info_merge (&info, representation, error))
    return NULL;

  ctx.base_url = base.url;
  ctx.has_base_url = base.explicit;
  ctx.has_bandwidth = bandwidth != NULL;
  ctx.bandwidth = track->bandwidth;
  if (!offline_dash_build_segments (&ctx, &info, &init, segments, error))
    return NULL;
  if (init != NULL)
    offline_track_set_init_segment (track, init);
  track->index_range_offset = info.index_offset;
  track->index_range_length = info.index_length;
  for (guint i = 0; i < segments->len; i++) {
    OfflineSegment *segment = g_ptr_array_index (segments, i);

    segment->discontinuity = i == 0 && period->index > 0;
    offline_track_add_segment (track, offline_segment_ref (segment));
  }

  if (!offline_dash_collect_protections (representation, base.url, protections, error))
    return NULL;
  offline_dash_add_protections (track, protections);
  return g_steal_pointer (&track);
}

/* A Representation@id that an earlier AdaptationSet of the Period has
 * already (GPAC writes such MPDs) becomes "<id>-as<index>" (then "-2",
 * "-3"… should that be taken too). FALSE if it is the AdaptationSet
 * @index itself that has it twice. */
static gboolean
make_unique_across_sets (GHashTable  *ids,
                         guint        index,
                         char       **id)
{
  g_autofree char *stem = NULL;
  char *unique;

  if (GPOINTER_TO_UINT (g_hash_table_lookup (ids, *id)) == index + 1)
    return FALSE;
  stem = g_strdup_printf ("%s-as%u", *id, index);
  unique = g_strdup (stem);
  for (guint n = 2; g_hash_table_contains (ids, unique); n++) {
    g_free (unique);
    unique = g_strdup_printf ("%s-%u", stem, n);
  }
  g_debug ("MPD: Representation@id \"%s\" is repeated in AdaptationSet %u: \"%s\" instead",
           *id, index, unique);
  g_free (*id);
  *id = unique;
  return TRUE;
}

/* Appends the track of each Representation of @node to @tracks; @ids has
 * the ids of the Period so far (with the index + 1 of their AdaptationSet).
 * Representation@id is unique in a Period: see make_unique_across_sets(). A
 * Representation without segments in the Period is skipped. */
static gboolean
build_adaptation_set (DashParser                    *parser,
                      const OfflineDashPeriod       *period,
                      const DashBase                *period_base,
                      const OfflineDashSegmentInfo  *period_info,
                      xmlNode                       *node,
                      guint                          index,
                      GHashTable                    *ids,
                      GPtrArray                     *tracks,
                      GError                       **error)
{
  g_auto(DashAdaptationSet) as = { node, index, };
  guint rep_index = 0;

  if (offline_dash_is_skipped (node))
    return TRUE;
  if (!read_adaptation_set (&as, period_base, period_info, error))
    return FALSE;

  offline_dash_foreach_child (representation, node, "Representation") {
    g_autofree char *id = offline_dash_get_attribute (representation, "id");
    OfflineTrackType type;
    OfflineTrack *track;

    if (id == NULL)
      id = g_strdup_printf ("%u-%u", index, rep_index);
    rep_index++;
    if (offline_dash_is_skipped (representation) ||
        !offline_dash_track_type (node, representation, &type))
      continue;
    if (g_hash_table_contains (ids, id) && !make_unique_across_sets (ids, index, &id)) {
      offline_dash_set_error (error, representation, "id",
                              "\"%s\" is not unique in its AdaptationSet", id);
      return FALSE;
    }
    if (tracks->len >= OFFLINE_MANIFEST_MAX_TRACKS ||
        ++parser->representations > OFFLINE_DASH_MAX_REPRESENTATIONS) {
      offline_dash_set_error (error, representation, NULL,
                              "more than %d Representations in a Period, or %d in all",
                              OFFLINE_MANIFEST_MAX_TRACKS, OFFLINE_DASH_MAX_REPRESENTATIONS);
      return FALSE;
    }
    track = build_track (parser, period, &as, representation, id, type, error);
    if (track == NULL)
      return FALSE;
    if (track->segments->len == 0) {
      /* an empty SegmentTimeline or SegmentList, or one that lies past
       * the Period's end: nothing to store (as an HLS media playlist
       * without segments) */
      g_debug ("MPD: Representation \"%s\" has no segment in this Period: skipped", id);
      g_object_unref (track);
      continue;
    }
    g_ptr_array_add (tracks, track);
    g_hash_table_insert (ids, g_steal_pointer (&id), GUINT_TO_POINTER (index + 1));
  }
  return TRUE;
}

/* The tracks of every Representation of @period, in manifest order. */
static GPtrArray *
build_period (DashParser               *parser,
              const OfflineDashPeriod  *period,
              const DashBase           *mpd_base,
              GError                  **error)
{
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(OfflineDashSegmentInfo) info = { 0, };
  g_autofree char *url = NULL;
  DashBase base;
  guint index = 0;

  offline_dash_segment_info_init (&info);
  url = resolve_base_url (mpd_base, period->node, &base, error);
  if (url == NULL || !offline_dash_segment_info_merge (&info, period->node, error))
    return NULL;
  offline_dash_foreach_child (adaptation_set, period->node, "AdaptationSet") {
    if (!build_adaptation_set (parser, period, &base, &info, adaptation_set, index++,
                               ids, tracks, error))
      return NULL;
  }
  return g_steal_pointer (&tracks);
}

static gboolean
same_language (const char *a,
               const char *b)
{
  return a == b || (a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0);
}

/* The earlier track, not in @claimed, that @track of a later Period
 * continues: with @by_id the one with the same id (and type), else the
 * one with the same type and language and the nearest bandwidth. */
static OfflineTrack *
find_continued_track (DashParser   *parser,
                      GHashTable   *claimed,
                      OfflineTrack *track,
                      gboolean      by_id)
{
  GPtrArray *earlier = parser->presentation->tracks;
  OfflineTrack *best = NULL;
  guint64 best_distance = G_MAXUINT64;

  if (by_id) {
    best = g_hash_table_lookup (parser->tracks_by_id, track->id);
    return best != NULL && best->type == track->type &&
           !g_hash_table_contains (claimed, best) ? best : NULL;
  }
  for (guint i = 0; i < earlier->len; i++) {
    OfflineTrack *candidate = g_ptr_array_index (earlier, i);
    guint64 distance;

    if (candidate->type != track->type ||
        !same_language (candidate->language, track->language) ||
        g_hash_table_contains (claimed, candidate))
      continue;
    distance = candidate->bandwidth > track->bandwidth ? candidate->bandwidth - track->bandwidth
                                                       : track->bandwidth - candidate->bandwidth;
    if (best == NULL || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

/* A track first seen in a later Period whose id an earlier track has gets
 * "<id>-p<period>" (then "-2", "-3"… should that be taken too). */
static void
make_id_unique (DashParser              *parser,
                const OfflineDashPeriod *period,
                OfflineTrack            *track)
{
  g_autofree char *stem = NULL;

  if (!g_hash_table_contains (parser->tracks_by_id, track->id))
    return;
  stem = g_strdup_printf ("%s-p%u", track->id, period->index);
  g_free (track->id);
  track->id = g_strdup (stem);
  for (guint n = 2; g_hash_table_contains (parser->tracks_by_id, track->id); n++) {
    g_free (track->id);
    track->id = g_strdup_printf ("%s-%u", stem, n);
  }
}

/* Appends what @track has from a later Period to @target. */
static void
continue_track (OfflineTrack *target,
                OfflineTrack *track)
{
  for (guint i = 0; i < track->segments->len; i++)
    offline_track_add_segment (target, offline_segment_ref (g_ptr_array_index (track->segments, i)));
  if (target->init_segment == NULL && track->init_segment != NULL)
    offline_track_set_init_segment (target, offline_segment_ref (track->init_segment));
  offline_dash_add_protections (target, track->protections);
}

/* Adds the @tracks of @period to the presentation: those continuing a
 * track of an earlier Period (matched by Representation@id first, then by
 * type, language and nearest bandwidth) are appended to it, the others
 * are new tracks. */
static gboolean
add_period (DashParser               *parser,
            const OfflineDashPeriod  *period,
            GPtrArray                *tracks,
            GError                  **error)
{
  OfflinePresentation *presentation = parser->presentation;
  g_autoptr(GHashTable) claimed = g_hash_table_new (NULL, NULL);
  g_autofree OfflineTrack **targets = g_new0 (OfflineTrack *, tracks->len);

  for (guint pass = 0; pass < 2; pass++) {
    for (guint i = 0; i < tracks->len; i++) {
      if (targets[i] != NULL)
        continue;
      targets[i] = find_continued_track (parser, claimed, g_ptr_array_index (tracks, i),
                                         pass == 0);
      if (targets[i] != NULL)
        g_hash_table_add (claimed, targets[i]);
    }
  }

  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);

    if (targets[i] != NULL) {
      continue_track (targets[i], track);
      continue;
    }
    if (presentation->tracks->len >= OFFLINE_MANIFEST_MAX_TRACKS) {
      offline_dash_set_error (error, period->node, NULL,
                              "more than %d tracks", OFFLINE_MANIFEST_MAX_TRACKS);
      return FALSE;
    }
    make_id_unique (parser, period, track);
    offline_presentation_add_track (presentation, g_object_ref (track));
    g_hash_table_insert (parser->tracks_by_id, track->id, track);
  }
  return TRUE;
}

/* MPD@mediaPresentationDuration, else the end of the last Period, else the
 * end of the last segment. */
static GTimeSpan
presentation_duration (OfflinePresentation *presentation,
                       GArray              *periods,
                       GTimeSpan            mpd_duration)
{
  const OfflineDashPeriod *last = &g_array_index (periods, OfflineDashPeriod, periods->len - 1);
  GTimeSpan end = 0;

  if (mpd_duration >= 0)
    return mpd_duration;
  if (last->duration >= 0)
    return last->start + last->duration;
  for (guint i = 0; i < presentation->tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (presentation->tracks, i);

    for (guint j = 0; j < track->segments->len; j++) {
      OfflineSegment *segment = g_ptr_array_index (track->segments, j);

      end = MAX (end, segment->start + segment->duration);
    }
  }
  return end;
}

/* The root element: an MPD of a static presentation. */
static gboolean
check_root (xmlNode  *root,
            GError  **error)
{
  g_autofree char *type = NULL;

  if (!offline_dash_is_element (root, "MPD")) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "MPD: the root element <%s> is not an MPD of namespace %s",
                 root != NULL ? (const char *) root->name : "", OFFLINE_DASH_NS);
    return FALSE;
  }
  type = offline_dash_get_attribute (root, "type");
  if (g_strcmp0 (type, "dynamic") == 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LIVE_NOT_SUPPORTED,
                 "MPD: MPD@type is \"dynamic\": a live stream cannot be stored");
    return FALSE;
  }
  if (type != NULL && g_strcmp0 (type, "static") != 0) {
    offline_dash_set_error (error, root, "type", "\"%s\" is neither \"static\" nor \"dynamic\"",
                            type);
    return FALSE;
  }
  return TRUE;
}

/**
 * offline_dash_parse:
 * @mpd: the text of an MPEG-DASH MPD
 * @uri: the absolute URL @mpd was fetched from; relative URLs are resolved
 *   against it
 * @error: return location for a #GError, or %NULL
 *
 * Parses a static MPD into a presentation: one #OfflineTrack per
 * Representation, in manifest order, with absolute segment URLs and byte
 * ranges and times in µs on the presentation timeline.
 *
 * Periods are concatenated: the Representations of a later Period continue
 * the track of the same Representation@id, or else of the same type and
 * language with the nearest bandwidth; the first segment a Period adds to
 * a track has offline_segment_get_discontinuity() set. A track keeps the
 * initialisation segment of the first Period it is in. A cenc:default_KID
 * is copied onto every protection of the track that has none.
 *
 * AdaptationSets and Representations with an EssentialProperty of an
 * unknown scheme, or that are neither video, audio nor text, are skipped.
 *
 * Live streams (`type="dynamic"`) fail with
 * %OFFLINE_ERROR_LIVE_NOT_SUPPORTED; anything malformed, implausible
 * (over %OFFLINE_MANIFEST_MAX_SEGMENTS segments, absurd timescales,
 * overflowing numbers) or hostile (DOCTYPE) fails with
 * %OFFLINE_ERROR_MANIFEST_INVALID and a message naming the element and
 * attribute.
 *
 * Returns: (transfer full) (nullable): the presentation, or %NULL on error
 */
OfflinePresentation *
offline_dash_parse (GBytes      *mpd,
                    const char  *uri,
                    GError     **error)
{
  g_autoptr(OfflinePresentation) presentation = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GArray) periods = NULL;
  g_autoptr(GHashTable) tracks_by_id = NULL;
  g_autofree char *url = NULL;
  GTimeSpan mpd_duration = -1;
  DashParser parser;
  DashBase manifest = { uri, FALSE };
  DashBase base;
  xmlNode *root;

  g_return_val_if_fail (mpd != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = offline_dash_read_document (mpd, error);
  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (!check_root (root, error) ||
      !offline_dash_get_duration (root, "mediaPresentationDuration", &mpd_duration, error))
    return NULL;
  url = resolve_base_url (&manifest, root, &base, error);
  if (url == NULL)
    return NULL;
  periods = read_periods (root, mpd_duration, error);
  if (periods == NULL || !offline_dash_check_segment_count (periods, error))
    return NULL;

  presentation = offline_presentation_new (OFFLINE_MANIFEST_FORMAT_DASH, uri);
  presentation->is_live = FALSE;
  tracks_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  parser = (DashParser) { presentation, tracks_by_id, 0 };
  for (guint i = 0; i < periods->len; i++) {
    const OfflineDashPeriod *period = &g_array_index (periods, OfflineDashPeriod, i);
    g_autoptr(GPtrArray) tracks = build_period (&parser, period, &base, error);

    if (tracks == NULL || !add_period (&parser, period, tracks, error))
      return NULL;
  }
  if (presentation->tracks->len == 0) {
    offline_dash_set_error (error, NULL, NULL, "no playable Representation");
    return NULL;
  }
  presentation->duration = presentation_duration (presentation, periods, mpd_duration);
  return g_steal_pointer (&presentation);
}
