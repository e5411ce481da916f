/* offline-dash-private.h: what the parts of the DASH MPD parser share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libxml/tree.h>

#include "offline-presentation-private.h"
#include "offline-protection-private.h"
#include "offline-segment-private.h"
#include "offline-track-private.h"

G_BEGIN_DECLS

#define OFFLINE_DASH_NS       "urn:mpeg:dash:schema:mpd:2011"
#define OFFLINE_DASH_CENC_NS  "urn:mpeg:cenc:2013"

/* Representations over all Periods together: each costs work even when it
 * has no segment, so they are bounded too. */
#define OFFLINE_DASH_MAX_REPRESENTATIONS 100000

/* offline-dash-xml.c: reading the document, elements and attributes.
 * Every error is OFFLINE_ERROR_MANIFEST_INVALID and reads
 * "MPD: Element@attribute: what is wrong (line N)". */

G_GNUC_INTERNAL
xmlDoc *offline_dash_read_document (GBytes  *mpd,
                                    GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_GNUC_INTERNAL
void offline_dash_set_error (GError    **error,
                             xmlNode    *node,
                             const char *attribute,
                             const char *format,
                             ...) G_GNUC_PRINTF (4, 5);

G_GNUC_INTERNAL
gboolean offline_dash_is_element (xmlNode    *node,
                                  const char *name);
G_GNUC_INTERNAL
xmlNode *offline_dash_first_child (xmlNode    *parent,
                                   const char *name);
G_GNUC_INTERNAL
xmlNode *offline_dash_next_sibling (xmlNode    *node,
                                    const char *name);

#define offline_dash_foreach_child(child, parent, name) \
  for (xmlNode *child = offline_dash_first_child ((parent), (name)); \
       child != NULL; \
       child = offline_dash_next_sibling (child, (name)))

G_GNUC_INTERNAL
char *offline_dash_resolve (const char  *base,
                            const char  *ref,
                            xmlNode     *node,
                            const char  *attribute,
                            GError     **error);

G_GNUC_INTERNAL
char *offline_dash_get_attribute (xmlNode    *node,
                                  const char *name);
G_GNUC_INTERNAL
char *offline_dash_get_text (xmlNode *node);

/* The typed getters leave *out untouched when the attribute is absent and
 * return FALSE (with @error set) only when it is present but malformed. */
G_GNUC_INTERNAL
gboolean offline_dash_get_uint64 (xmlNode     *node,
                                  const char  *name,
                                  guint64      max,
                                  guint64     *out,
                                  GError     **error);
G_GNUC_INTERNAL
gboolean offline_dash_get_duration (xmlNode     *node,
                                    const char  *name,
                                    GTimeSpan   *out,
                                    GError     **error);
G_GNUC_INTERNAL
gboolean offline_dash_get_range (xmlNode     *node,
                                 const char  *name,
                                 gint64      *offset,
                                 gint64      *length,
                                 GError     **error);

/* offline-dash-timing.c: durations, tick arithmetic and SegmentTimeline. */

/* A Period on the presentation timeline. */
typedef struct {
  xmlNode *node;
  guint index;
  GTimeSpan start;      /* µs */
  GTimeSpan duration;   /* µs, -1 when unknown */
} OfflineDashPeriod;

/* @count segments of @duration ticks each, the first at media time @time. */
typedef struct {
  guint64 time;
  guint64 duration;
  guint64 count;
  gboolean clip;        /* the last one may end with the Period */
} OfflineDashRun;

G_GNUC_INTERNAL
gboolean offline_dash_parse_iso_duration (const char *text,
                                          GTimeSpan  *out);
G_GNUC_INTERNAL
gboolean offline_dash_parse_byte_range (const char *text,
                                        gint64     *offset,
                                        gint64     *length);
G_GNUC_INTERNAL
gboolean offline_dash_count_until_period_end (guint64                   time,
                                              guint64                   duration,
                                              guint64                   pto,
                                              guint64                   timescale,
                                              const OfflineDashPeriod  *period,
                                              guint64                  *count);
G_GNUC_INTERNAL
gboolean offline_dash_media_time_to_us (guint64                   time,
                                        guint64                   pto,
                                        guint64                   timescale,
                                        const OfflineDashPeriod  *period,
                                        GTimeSpan                *out);
G_GNUC_INTERNAL
guint64 offline_dash_limit_runs (GArray  *runs,
                                 guint64  max);
G_GNUC_INTERNAL
GArray *offline_dash_timeline_runs (xmlNode                  *timeline,
                                    guint64                   pto,
                                    guint64                   timescale,
                                    const OfflineDashPeriod  *period,
                                    guint64                  *total,
                                    GError                  **error);

/* offline-dash-template.c: SegmentTemplate identifiers. */

typedef struct {
  const char *representation_id;
  gboolean has_bandwidth;   /* Representation@bandwidth was there */
  guint64 bandwidth;
  gboolean has_number;      /* FALSE for @initialization */
  guint64 number;
  guint64 time;
} OfflineDashTemplateVars;

G_GNUC_INTERNAL
char *offline_dash_template_expand (const char                     *tmpl,
                                    const OfflineDashTemplateVars  *vars,
                                    GError                        **error);

/* offline-dash-segments.c: SegmentBase / SegmentList / SegmentTemplate. */

typedef enum {
  OFFLINE_DASH_ADDRESSING_NONE,
  OFFLINE_DASH_ADDRESSING_BASE,
  OFFLINE_DASH_ADDRESSING_LIST,
  OFFLINE_DASH_ADDRESSING_TEMPLATE,
} OfflineDashAddressing;

/* The segment information of one Representation, merged from the Period,
 * AdaptationSet and Representation levels (lower levels override). The
 * nodes belong to the document. */
typedef struct {
  OfflineDashAddressing addressing;
  xmlNode *element;         /* the lowest Segment* element, for messages */
  guint64 timescale;
  guint64 pto;
  guint64 duration;         /* ticks, 0 when absent */
  guint64 start_number;
  guint64 end_number;       /* 0 when absent */
  gint64 index_offset;      /* @indexRange, -1 when absent */
  gint64 index_length;
  char *media;              /* SegmentTemplate@media */
  char *initialization;     /* SegmentTemplate@initialization */
  xmlNode *init;            /* Initialization element */
  xmlNode *timeline;        /* SegmentTimeline element */
  xmlNode *list;            /* SegmentList holding the SegmentURLs */
} OfflineDashSegmentInfo;

G_GNUC_INTERNAL
void offline_dash_segment_info_init (OfflineDashSegmentInfo *info);
G_GNUC_INTERNAL
void offline_dash_segment_info_clear (OfflineDashSegmentInfo *info);
G_GNUC_INTERNAL
void offline_dash_segment_info_copy (OfflineDashSegmentInfo       *info,
                                     const OfflineDashSegmentInfo *from);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OfflineDashSegmentInfo, offline_dash_segment_info_clear)
G_GNUC_INTERNAL
gboolean offline_dash_segment_info_merge (OfflineDashSegmentInfo  *info,
                                          xmlNode                 *level,
                                          GError                 **error);

/* What one Representation of one Period contributes to a track. */
typedef struct {
  OfflinePresentation *presentation;  /* segment budget */
  const OfflineDashPeriod *period;
  const char *base_url;               /* resolved BaseURL chain */
  gboolean has_base_url;              /* a BaseURL element was in the chain */
  xmlNode *representation;
  const char *representation_id;
  gboolean has_bandwidth;
  guint64 bandwidth;
} OfflineDashSegmentContext;

G_GNUC_INTERNAL
gboolean offline_dash_build_segments (const OfflineDashSegmentContext  *ctx,
                                      const OfflineDashSegmentInfo     *info,
                                      OfflineSegment                  **init,
                                      GPtrArray                        *segments,
                                      GError                          **error);

/* How many media segments offline_dash_build_segments() would make, making
 * none. */
G_GNUC_INTERNAL
gboolean offline_dash_count_segments (const OfflineDashSegmentContext  *ctx,
                                      const OfflineDashSegmentInfo     *info,
                                      guint64                          *count,
                                      GError                          **error);

/* offline-dash-count.c: the segments of the whole MPD, counted first. */

G_GNUC_INTERNAL
gboolean offline_dash_check_segment_count (GArray  *periods,
                                           GError **error);

/* offline-dash-protection.c: ContentProtection. */

G_GNUC_INTERNAL
gboolean offline_dash_collect_protections (xmlNode     *level,
                                           const char  *base_url,
                                           GPtrArray   *protections,
                                           GError     **error);
G_GNUC_INTERNAL
GPtrArray *offline_dash_copy_protections (GPtrArray *protections);
G_GNUC_INTERNAL
void offline_dash_add_protections (OfflineTrack *track,
                                   GPtrArray    *protections);

/* offline-dash-representation.c: the fields of a track. */

G_GNUC_INTERNAL
gboolean offline_dash_is_skipped (xmlNode *node);
G_GNUC_INTERNAL
gboolean offline_dash_track_type (xmlNode          *adaptation_set,
                                  xmlNode          *representation,
                                  OfflineTrackType *type);
G_GNUC_INTERNAL
gboolean offline_dash_fill_track (OfflineTrack  *track,
                                  xmlNode       *adaptation_set,
                                  const char    *adaptation_set_label,
                                  xmlNode       *representation,
                                  GError       **error);

G_END_DECLS
