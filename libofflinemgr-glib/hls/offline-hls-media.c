/* offline-hls-media.c: media playlists: the segments of one track
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-error.h"
#include "offline-hls-private.h"
#include "offline-manifest-private.h"
#include "offline-presentation-private.h"
#include "offline-protection-private.h"
#include "offline-segment-private.h"
#include "offline-track-private.h"

/* RFC 8216, section 4.3.2 (media segment tags) and 4.3.3 (media playlist
 * tags). Tags that do not change which bytes make up the track
 * (EXT-X-PROGRAM-DATE-TIME, EXT-X-DATERANGE, EXT-X-VERSION…) and unknown
 * tags are ignored.
 *
 * Choices where the RFC leaves room (see also docs/manifests.md):
 * - An EXTINF may exceed EXT-X-TARGETDURATION (many packagers round).
 * - A VOD playlist (EXT-X-ENDLIST or EXT-X-PLAYLIST-TYPE:VOD) may lack
 *   EXT-X-TARGETDURATION, which only a live client needs.
 * - EXT-X-MAP may change part-way (RFC 8216, 4.3.2.5; e.g. clear content,
 *   then encrypted content with its own init segment): every media segment
 *   refers to the init segment in force (OfflineSegment.init), the track's
 *   is the first. An EXT-X-MAP equal to the one in force (typically
 *   repeated after an EXT-X-DISCONTINUITY) changes nothing. One after media
 *   segments that had none is refused: a track does not mix
 *   self-initialising segments with fragmented MP4.
 * - An EXT-X-MAP under an AES-128 EXT-X-KEY without IV is refused (the RFC
 *   requires the IV there; there is no media sequence number to use).
 * - EXT-X-BYTERANGE in EXT-X-MAP without "@offset" starts at offset 0.
 * - Consecutive EXT-X-KEY tags (several KEYFORMATs for the same segments):
 *   the segments carry the last one; the track protections list every DRM
 *   (not AES-128) key of the playlist once. */

#define MAX_SEGMENT_DURATION 86400.0   /* s: one EXTINF, one day */

typedef struct {
  OfflineHlsReader *reader;
  const char *uri;                /* of the playlist: base of relative URIs */

  gboolean have_target_duration;
  gboolean endlist;
  gboolean vod;
  guint64 media_sequence;

  /* What applies to the next URI line; a line number of 0 means absent */
  guint extinf_line;
  GTimeSpan extinf_duration;
  guint byterange_line;
  guint64 byterange_length;
  gboolean byterange_has_offset;
  guint64 byterange_offset;
  gboolean discontinuity;

  OfflineHlsKey key;
  GHashTable *seen_keys;          /* for offline_hls_key_collect() */

  GTimeSpan end;                  /* of the last segment, µs */
  char *previous_ref;             /* URI line of the last segment */
  GPtrArray *segments;            /* (element-type OfflineSegment) */
  GPtrArray *protections;         /* (element-type OfflineProtection) */
  OfflineSegment *init_segment;   /* the first EXT-X-MAP: the track's */
  OfflineSegment *current_init;   /* the EXT-X-MAP in force */
} MediaParser;

static void
media_parser_clear (MediaParser *self)
{
  offline_hls_key_clear (&self->key);
  g_clear_pointer (&self->seen_keys, g_hash_table_unref);
  g_clear_pointer (&self->previous_ref, g_free);
  g_clear_pointer (&self->segments, g_ptr_array_unref);
  g_clear_pointer (&self->protections, g_ptr_array_unref);
  g_clear_pointer (&self->init_segment, offline_segment_unref);
  g_clear_pointer (&self->current_init, offline_segment_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MediaParser, media_parser_clear)

static OfflineSegment *
last_segment (MediaParser *self)
{
  if (self->segments->len == 0)
    return NULL;
  return g_ptr_array_index (self->segments, self->segments->len - 1);
}

/* "<length>[@<offset>]" (RFC 8216, 4.3.2.2); the length is not 0. */
static gboolean
parse_byte_range (MediaParser  *self,
                  const char   *text,
                  guint64      *length,
                  gboolean     *has_offset,
                  guint64      *offset,
                  GError      **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", "@", 3);
  guint n_parts = g_strv_length (parts);

  *has_offset = n_parts == 2;
  *offset = 0;
  if (n_parts < 1 || n_parts > 2 ||
      !offline_parse_uint64 (parts[0], G_MAXINT64, length) || *length == 0 ||
      (*has_offset && !offline_parse_uint64 (parts[1], G_MAXINT64, offset))) {
    offline_hls_reader_error (self->reader, error, "\"%s\" is not a byte range", text ? text : "");
    return FALSE;
  }
  return TRUE;
}

/* Gives @segment the range [@offset, @offset + @length) if it fits in a
 * gint64; the error names @line and @tag. */
static gboolean
set_range (OfflineSegment  *segment,
           guint64          offset,
           guint64          length,
           guint            line,
           const char      *tag,
           GError         **error)
{
  guint64 end;

  if (!g_uint64_checked_add (&end, offset, length) || end > G_MAXINT64) {
    offline_hls_set_error (error, line, tag, "the byte range %" G_GUINT64_FORMAT "@%"
                           G_GUINT64_FORMAT " overflows", length, offset);
    return FALSE;
  }
  segment->range_offset = (gint64) offset;
  segment->range_length = (gint64) length;
  return TRUE;
}

static gboolean
error_no_uri_line (guint        line,
                   const char  *tag,
                   GError     **error)
{
  offline_hls_set_error (error, line, tag, "no URI line follows");
  return FALSE;
}

static gboolean
handle_extinf (gpointer     data,
               const char  *value,
               GError     **error)
{
  MediaParser *self = data;
  g_autofree char *text = NULL;
  double seconds;

  if (self->extinf_line != 0)
    return error_no_uri_line (self->extinf_line, "EXTINF", error);

  text = g_strstrip (g_strndup (value ? value : "", strcspn (value ? value : "", ",")));
  if (!offline_parse_double (text, &seconds) || seconds > MAX_SEGMENT_DURATION) {
    offline_hls_reader_error (self->reader, error, "\"%s\" is not a valid duration", text);
    return FALSE;
  }
  /* Converted once, rounded to the nearest µs: "4.004" is 4004000 µs */
  self->extinf_duration = (GTimeSpan) (seconds * G_USEC_PER_SEC + 0.5);
  self->extinf_line = self->reader->line_number;
  return TRUE;
}

static gboolean
handle_byterange (gpointer     data,
                  const char  *value,
                  GError     **error)
{
  MediaParser *self = data;

  if (self->byterange_line != 0)
    return error_no_uri_line (self->byterange_line, "EXT-X-BYTERANGE", error);
  if (!parse_byte_range (self, value, &self->byterange_length,
                         &self->byterange_has_offset, &self->byterange_offset, error))
    return FALSE;
  self->byterange_line = self->reader->line_number;
  return TRUE;
}

static gboolean
handle_target_duration (gpointer     data,
                        const char  *value,
                        GError     **error)
{
  MediaParser *self = data;
  double seconds;

  /* A decimal-integer, but "10.0" does no harm */
  if (!offline_parse_double (value, &seconds) || seconds > MAX_SEGMENT_DURATION) {
    offline_hls_reader_error (self->reader, error, "\"%s\" is not a valid duration",
                              value ? value : "");
    return FALSE;
  }
  self->have_target_duration = TRUE;
  return TRUE;
}

static gboolean
handle_media_sequence (gpointer     data,
                       const char  *value,
                       GError     **error)
{
  MediaParser *self = data;

  if (self->segments->len > 0 || self->extinf_line != 0) {
    offline_hls_reader_error (self->reader, error, "must come before the first segment");
    return FALSE;
  }
  if (!offline_parse_uint64 (value, G_MAXUINT64, &self->media_sequence)) {
    offline_hls_reader_error (self->reader, error, "\"%s\" is not a valid sequence number",
                              value ? value : "");
    return FALSE;
  }
  return TRUE;
}

static gboolean
handle_playlist_type (gpointer     data,
                      const char  *value,
                      GError     **error)
{
  MediaParser *self = data;

  if (g_strcmp0 (value, "VOD") == 0) {
    self->vod = TRUE;
  } else if (g_strcmp0 (value, "EVENT") != 0) {
    offline_hls_reader_error (self->reader, error, "\"%s\" is neither VOD nor EVENT",
                              value ? value : "");
    return FALSE;
  }
  return TRUE;
}

static gboolean
handle_endlist (gpointer     data,
                const char  *value,
                GError     **error)
{
  MediaParser *self = data;

  self->endlist = TRUE;
  return TRUE;
}

static gboolean
handle_discontinuity (gpointer     data,
                      const char  *value,
                      GError     **error)
{
  MediaParser *self = data;

  self->discontinuity = TRUE;
  return TRUE;
}

static gboolean
handle_key (gpointer     data,
            const char  *value,
            GError     **error)
{
  MediaParser *self = data;
  g_autoptr(OfflineHlsAttributes) attributes = NULL;

  attributes = offline_hls_attributes_parse (value, self->reader->line_number,
                                             self->reader->tag->str, error);
  if (attributes == NULL ||
      !offline_hls_key_update (&self->key, attributes, self->uri, error))
    return FALSE;
  offline_hls_key_collect (&self->key, self->seen_keys, self->protections);
  return TRUE;
}

/* AES-128 keys of init segments always have an IV */
static gboolean
same_init_segment (OfflineSegment *a,
                   OfflineSegment *b)
{
  if (strcmp (a->uri, b->uri) != 0 ||
      a->range_offset != b->range_offset || a->range_length != b->range_length)
    return FALSE;
  if (a->key == NULL || b->key == NULL)
    return a->key == b->key;
  return g_strcmp0 (a->key->key_uri, b->key->key_uri) == 0 &&
         g_bytes_equal (a->key->iv, b->key->iv);
}

static gboolean
handle_map (gpointer     data,
            const char  *value,
            GError     **error)
{
  MediaParser *self = data;
  g_autoptr(OfflineHlsAttributes) attributes = NULL;
  g_autoptr(OfflineSegment) init = NULL;
  g_autofree char *uri = NULL;
  const char *range;

  attributes = offline_hls_attributes_parse (value, self->reader->line_number,
                                             self->reader->tag->str, error);
  if (attributes == NULL ||
      offline_hls_attributes_require (attributes, "URI", error) == NULL ||
      !offline_hls_attributes_get_uri (attributes, "URI", self->uri, &uri, error))
    return FALSE;
  init = offline_segment_new (uri);

  range = offline_hls_attributes_get (attributes, "BYTERANGE");
  if (range != NULL) {
    guint64 length, offset;
    gboolean has_offset;

    if (!parse_byte_range (self, range, &length, &has_offset, &offset, error) ||
        !set_range (init, offset, length, self->reader->line_number, "EXT-X-MAP", error))
      return FALSE;
  }

  /* Only AES-128 encrypts whole resources, the init segment included */
  if (self->key.is_aes_128) {
    if (self->key.iv_from_sequence) {
      offline_hls_reader_error (self->reader, error, "the AES-128 key that applies has no IV");
      return FALSE;
    }
    init->key = g_object_ref (self->key.protection);
  }

  if (self->current_init != NULL && same_init_segment (self->current_init, init))
    return TRUE;
  if (self->current_init == NULL && self->segments->len > 0) {
    offline_hls_reader_error (self->reader, error,
                              "media segments without EXT-X-MAP come before it: a track does "
                              "not mix self-initialising segments with fragmented MP4");
    return FALSE;
  }
  if (self->init_segment == NULL)
    self->init_segment = offline_segment_ref (init);
  g_clear_pointer (&self->current_init, offline_segment_unref);
  self->current_init = g_steal_pointer (&init);
  return TRUE;
}

/* The range of the segment of the URI line, from the pending EXT-X-BYTERANGE */
static gboolean
apply_byte_range (MediaParser     *self,
                  OfflineSegment  *segment,
                  GError         **error)
{
  OfflineSegment *previous = last_segment (self);
  guint64 offset = self->byterange_offset;

  if (!self->byterange_has_offset) {
    if (previous == NULL || previous->range_offset < 0 ||
        strcmp (previous->uri, segment->uri) != 0) {
      offline_hls_set_error (error, self->byterange_line, "EXT-X-BYTERANGE",
                             "no offset, and the previous segment is not a range of the same resource");
      return FALSE;
    }
    offset = (guint64) previous->range_offset + (guint64) previous->range_length;
  }
  return set_range (segment, offset, self->byterange_length,
                    self->byterange_line, "EXT-X-BYTERANGE", error);
}

static gboolean
handle_uri (gpointer     data,
            const char  *line,
            GError     **error)
{
  MediaParser *self = data;
  OfflineSegment *previous = last_segment (self);
  g_autoptr(OfflineSegment) segment = NULL;
  GTimeSpan end;

  if (self->extinf_line == 0) {
    offline_hls_reader_error (self->reader, error, "URI \"%s\" has no EXTINF", line);
    return FALSE;
  }

  /* Byte ranges of one resource repeat its URI: resolve it once */
  if (previous != NULL && g_strcmp0 (self->previous_ref, line) == 0) {
    segment = offline_segment_new (previous->uri);
  } else {
    g_autofree char *uri = offline_hls_resolve_uri (self->uri, line, self->reader->line_number,
                                                    NULL, error);
    if (uri == NULL)
      return FALSE;
    segment = offline_segment_new (uri);
    g_free (self->previous_ref);
    self->previous_ref = g_strdup (line);
  }

  if (self->byterange_line != 0 && !apply_byte_range (self, segment, error))
    return FALSE;

  if (!g_uint64_checked_add (&segment->number, self->media_sequence, self->segments->len)) {
    offline_hls_reader_error (self->reader, error, "the media sequence number overflows");
    return FALSE;
  }
  end = self->end + self->extinf_duration;
  if (end > OFFLINE_MANIFEST_MAX_DURATION) {
    offline_hls_set_error (error, self->extinf_line, "EXTINF",
                           "the playlist lasts longer than %" G_GINT64_FORMAT " s",
                           OFFLINE_MANIFEST_MAX_DURATION / G_USEC_PER_SEC);
    return FALSE;
  }
  segment->start = self->end;
  segment->duration = self->extinf_duration;
  segment->discontinuity = self->discontinuity;
  segment->key = offline_hls_key_for_segment (&self->key, segment->number);
  if (self->current_init != NULL)
    segment->init = offline_segment_ref (self->current_init);

  g_ptr_array_add (self->segments, g_steal_pointer (&segment));
  self->end = end;
  self->extinf_line = 0;
  self->byterange_line = 0;
  self->discontinuity = FALSE;
  return TRUE;
}

static const OfflineHlsTagHandler media_tags[] = {
  { "EXTINF", handle_extinf },
  { "EXT-X-BYTERANGE", handle_byterange },
  { "EXT-X-TARGETDURATION", handle_target_duration },
  { "EXT-X-MEDIA-SEQUENCE", handle_media_sequence },
  { "EXT-X-PLAYLIST-TYPE", handle_playlist_type },
  { "EXT-X-ENDLIST", handle_endlist },
  { "EXT-X-DISCONTINUITY", handle_discontinuity },
  { "EXT-X-KEY", handle_key },
  { "EXT-X-MAP", handle_map },
  { NULL, NULL },
};

/* What the whole playlist must satisfy once read */
static gboolean
check_complete (MediaParser  *self,
                GError      **error)
{
  g_autofree char *shown = offline_uri_for_message (self->uri);

  if (self->extinf_line != 0)
    return error_no_uri_line (self->extinf_line, "EXTINF", error);
  if (self->byterange_line != 0)
    return error_no_uri_line (self->byterange_line, "EXT-X-BYTERANGE", error);
  if (!self->endlist && !self->vod) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LIVE_NOT_SUPPORTED,
                 "%s is a live playlist (it has no EXT-X-ENDLIST)", shown);
    return FALSE;
  }
  /* Required by RFC 8216, but only a live client needs it (to reload the
   * playlist): a VOD one without it is accepted, as ExoPlayer does */
  if (!self->have_target_duration)
    g_debug ("%s: no EXT-X-TARGETDURATION, accepted in a VOD playlist", shown);
  if (self->segments->len == 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "%s has no media segments", shown);
    return FALSE;
  }
  return TRUE;
}

/* What segment file names tell, without EXT-X-MAP. */
static const struct {
  const char *extension;
  OfflineTrackType type;
  const char *mime_type;    /* NULL: fragmented MP4 */
} segment_formats[] = {
  { "ts", OFFLINE_TRACK_TYPE_VIDEO, "video/mp2t" },
  { "mp4", OFFLINE_TRACK_TYPE_VIDEO, NULL },
  { "m4s", OFFLINE_TRACK_TYPE_VIDEO, NULL },
  { "m4v", OFFLINE_TRACK_TYPE_VIDEO, NULL },
  { "m4a", OFFLINE_TRACK_TYPE_AUDIO, NULL },
  { "aac", OFFLINE_TRACK_TYPE_AUDIO, "audio/aac" },
  { "mp3", OFFLINE_TRACK_TYPE_AUDIO, "audio/mpeg" },
  { "ac3", OFFLINE_TRACK_TYPE_AUDIO, "audio/ac3" },
  { "ec3", OFFLINE_TRACK_TYPE_AUDIO, "audio/eac3" },
  { "vtt", OFFLINE_TRACK_TYPE_TEXT, "text/vtt" },
  { "webvtt", OFFLINE_TRACK_TYPE_TEXT, "text/vtt" },
};

/* The entry of segment_formats for the file name of @uri, or -1. */
static int
find_segment_format (const char *uri)
{
  g_autofree char *extension = offline_uri_get_extension (uri);

  for (guint i = 0; extension != NULL && i < G_N_ELEMENTS (segment_formats); i++) {
    if (strcmp (segment_formats[i].extension, extension) == 0)
      return (int) i;
  }
  return -1;
}

static const char *
fmp4_mime_type (OfflineTrackType type)
{
  switch (type) {
  case OFFLINE_TRACK_TYPE_AUDIO:
    return "audio/mp4";
  case OFFLINE_TRACK_TYPE_TEXT:
    return "application/mp4";
  case OFFLINE_TRACK_TYPE_VIDEO:
  default:
    return "video/mp4";
  }
}

/* Moves what @self found into @track. */
static void
commit (MediaParser         *self,
        OfflinePresentation *presentation,
        OfflineTrack        *track,
        gboolean             guess_type)
{
  OfflineSegment *first = g_ptr_array_index (self->segments, 0);
  int format = find_segment_format (first->uri);
  const char *mime_type;
  gpointer *items;
  gsize n_items;

  if (guess_type) {
    track->type = format >= 0 ? segment_formats[format].type : OFFLINE_TRACK_TYPE_VIDEO;
    track->muxed_audio = track->type == OFFLINE_TRACK_TYPE_VIDEO;
  }
  if (self->init_segment != NULL || (format >= 0 && segment_formats[format].mime_type == NULL))
    mime_type = fmp4_mime_type (track->type);
  else if (format >= 0)
    mime_type = segment_formats[format].mime_type;
  else
    mime_type = track->type == OFFLINE_TRACK_TYPE_TEXT ? "text/vtt" : "video/mp2t";
  g_free (track->mime_type);
  track->mime_type = g_strdup (mime_type);

  if (self->init_segment != NULL)
    offline_track_set_init_segment (track, g_steal_pointer (&self->init_segment));
  items = g_ptr_array_steal (self->segments, &n_items);
  for (gsize i = 0; i < n_items; i++)
    offline_track_add_segment (track, items[i]);
  g_free (items);
  items = g_ptr_array_steal (self->protections, &n_items);
  for (gsize i = 0; i < n_items; i++)
    offline_track_add_protection (track, items[i]);
  g_free (items);

  track->playlist_loaded = TRUE;
  presentation->duration = MAX (presentation->duration, self->end);
}

gboolean
offline_hls_media_parse (OfflinePresentation  *presentation,
                         OfflineTrack         *track,
                         OfflineHlsReader     *reader,
                         const char           *uri,
                         gboolean              guess_type,
                         GError              **error)
{
  static const char * const extinf[] = { "EXTINF", NULL };
  g_auto(MediaParser) self = { 0, };
  guint64 reserved = presentation->segment_count;

  self.reader = reader;
  self.uri = uri;
  self.seen_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.segments = g_ptr_array_new_with_free_func ((GDestroyNotify) offline_segment_unref);
  self.protections = g_ptr_array_new_with_free_func (g_object_unref);

  /* Every segment has one EXTINF: count them all before allocating any */
  if (!offline_presentation_reserve_segments (presentation,
                                              offline_hls_reader_count_tags (reader, extinf),
                                              uri, error))
    return FALSE;

  if (!offline_hls_reader_dispatch (reader, media_tags, handle_uri, &self, error) ||
      !check_complete (&self, error)) {
    presentation->segment_count = reserved;
    return FALSE;
  }
  commit (&self, presentation, track, guess_type);
  return TRUE;
}
