/* offline-hls-master.c: master playlists: variants and renditions as tracks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-error.h"
#include "offline-hls-private.h"
#include "offline-manifest-private.h"
#include "offline-presentation-private.h"
#include "offline-track-private.h"

/* RFC 8216, section 4.3.4. Each EXT-X-STREAM-INF variant becomes a track
 * "variant-N" (N: 0-based, in playlist order), each EXT-X-MEDIA AUDIO or
 * SUBTITLES rendition with a URI a track "audio-GROUP-NAME" or
 * "subtitles-GROUP-NAME", each VIDEO rendition with a URI (another camera
 * angle) a VIDEO track "video-GROUP-NAME" (characters other than ASCII
 * letters, digits, '-', '_' and '.' replaced by '_'; "-2", "-3"… appended
 * when not unique). The presentation lists the variants, then the audio
 * renditions, then the subtitle renditions, then the video renditions,
 * each in playlist order. A video rendition takes the AUDIO and SUBTITLES
 * groups, the video codecs and whether the audio is muxed from the first
 * variant whose VIDEO attribute names its group; the selection rules
 * choose it only when there is no variant video (see
 * offline-track-selection.c).
 *
 * A variant is an AUDIO track when CODECS lists audio codecs only and there
 * is no RESOLUTION, a VIDEO track otherwise. A video variant has muxed audio
 * unless its CODECS lists no audio codec or its AUDIO group has renditions
 * and all of them have a URI (RFC 8216: a rendition without URI is carried
 * in the variant).
 *
 * A rendition's bandwidth is unknown (0): a variant's BANDWIDTH already
 * counts the renditions it plays with (RFC 8216 4.3.4.2), so a size
 * estimate of variant + rendition must not count them twice. A rendition
 * gets the codecs of its kind from the CODECS of the first variant using
 * its group.
 *
 * Ignored: EXT-X-I-FRAME-STREAM-INF, EXT-X-SESSION-*, CLOSED-CAPTIONS
 * renditions, AUDIO renditions without URI (but see above), VIDEO and
 * SUBTITLES renditions without URI (a VIDEO one is the variant's own
 * video), unknown tags. */

#define MAX_FRAME_RATE 1000.0

typedef struct {
  OfflineHlsReader *reader;
  const char *uri;              /* of the master playlist */

  OfflineTrack *pending;        /* variant whose URI line is still to come */
  guint pending_line;

  GPtrArray *variants;          /* (element-type OfflineTrack) */
  GPtrArray *audio;             /* (element-type OfflineTrack) */
  GPtrArray *subtitles;         /* (element-type OfflineTrack) */
  GPtrArray *video;             /* (element-type OfflineTrack): VIDEO renditions */
  GHashTable *video_groups;     /* variant OfflineTrack → its VIDEO group */
  GHashTable *inline_audio;     /* GROUP-IDs with an AUDIO rendition without URI */
  GHashTable *ids;              /* track ids in use */
} MasterParser;

static void
master_parser_clear (MasterParser *self)
{
  g_clear_object (&self->pending);
  g_clear_pointer (&self->variants, g_ptr_array_unref);
  g_clear_pointer (&self->audio, g_ptr_array_unref);
  g_clear_pointer (&self->subtitles, g_ptr_array_unref);
  g_clear_pointer (&self->video, g_ptr_array_unref);
  g_clear_pointer (&self->video_groups, g_hash_table_unref);
  g_clear_pointer (&self->inline_audio, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MasterParser, master_parser_clear)

static const char * const master_only_tags[] = {
  "EXT-X-STREAM-INF",
  "EXT-X-I-FRAME-STREAM-INF",
  "EXT-X-MEDIA",
  "EXT-X-SESSION-DATA",
  "EXT-X-SESSION-KEY",
  NULL
};

gboolean
offline_hls_is_master (OfflineHlsReader *reader)
{
  return offline_hls_reader_count_tags (reader, master_only_tags) > 0;
}

const char *
offline_hls_find_master_tag (OfflineHlsReader *reader,
                             guint            *line)
{
  return offline_hls_reader_find_tag (reader, master_only_tags, line);
}

/* Reserves a place for one more track. */
static gboolean
count_track (MasterParser  *self,
             GError       **error)
{
  guint n_tracks = self->variants->len + self->audio->len + self->subtitles->len +
                   self->video->len;

  if (n_tracks + (self->pending ? 1 : 0) >= OFFLINE_MANIFEST_MAX_TRACKS) {
    offline_hls_reader_error (self->reader, error, "more than %d tracks cannot be real",
                              OFFLINE_MANIFEST_MAX_TRACKS);
    return FALSE;
  }
  return TRUE;
}

static gboolean
error_no_uri_line (MasterParser  *self,
                   GError       **error)
{
  offline_hls_set_error (error, self->pending_line, "EXT-X-STREAM-INF", "no URI line follows");
  return FALSE;
}

static OfflineTrackType
variant_type (const char *codecs,
              gboolean    has_resolution)
{
  OfflineHlsCodecKind kinds = offline_hls_codecs_kinds (codecs);

  if (!has_resolution && kinds == OFFLINE_HLS_CODEC_AUDIO)
    return OFFLINE_TRACK_TYPE_AUDIO;
  return OFFLINE_TRACK_TYPE_VIDEO;
}

static gboolean
handle_stream_inf (gpointer     data,
                   const char  *value,
                   GError     **error)
{
  MasterParser *self = data;
  g_autoptr(OfflineHlsAttributes) attributes = NULL;
  g_autofree char *id = NULL;
  OfflineTrack *track;
  const char *codecs;
  gboolean has_resolution;

  if (self->pending != NULL)
    return error_no_uri_line (self, error);
  if (!count_track (self, error))
    return FALSE;

  attributes = offline_hls_attributes_parse (value, self->reader->line_number,
                                             self->reader->tag->str, error);
  if (attributes == NULL ||
      offline_hls_attributes_require (attributes, "BANDWIDTH", error) == NULL)
    return FALSE;

  codecs = offline_hls_attributes_get (attributes, "CODECS");
  has_resolution = offline_hls_attributes_get (attributes, "RESOLUTION") != NULL;
  id = g_strdup_printf ("variant-%u", self->variants->len);
  track = offline_track_new (variant_type (codecs, has_resolution), id);
  self->pending = track;
  self->pending_line = self->reader->line_number;
  track->codecs = g_strdup (codecs);
  track->audio_group_id = g_strdup (offline_hls_attributes_get (attributes, "AUDIO"));
  track->subtitle_group_id = g_strdup (offline_hls_attributes_get (attributes, "SUBTITLES"));
  if (offline_hls_attributes_get (attributes, "VIDEO") != NULL)
    g_hash_table_insert (self->video_groups, track,
                         g_strdup (offline_hls_attributes_get (attributes, "VIDEO")));

  return offline_hls_attributes_get_uint64 (attributes, "BANDWIDTH", G_MAXINT64,
                                            &track->bandwidth, error) &&
         offline_hls_attributes_get_uint64 (attributes, "AVERAGE-BANDWIDTH", G_MAXINT64,
                                            &track->average_bandwidth, error) &&
         offline_hls_attributes_get_resolution (attributes, "RESOLUTION",
                                                &track->width, &track->height, error) &&
         offline_hls_attributes_get_double (attributes, "FRAME-RATE", MAX_FRAME_RATE,
                                            &track->frame_rate, error);
}

static gboolean
handle_uri (gpointer     data,
            const char  *line,
            GError     **error)
{
  MasterParser *self = data;
  char *uri;

  if (self->pending == NULL) {
    offline_hls_reader_error (self->reader, error,
                              "URI \"%s\" does not follow an EXT-X-STREAM-INF", line);
    return FALSE;
  }
  uri = offline_hls_resolve_uri (self->uri, line, self->reader->line_number, NULL, error);
  if (uri == NULL)
    return FALSE;
  self->pending->playlist_uri = uri;
  g_ptr_array_add (self->variants, g_steal_pointer (&self->pending));
  return TRUE;
}

/* "PREFIX-GROUP-NAME", made of safe characters and unique. */
static char *
rendition_id (MasterParser *self,
              const char   *prefix,
              const char   *group_id,
              const char   *name)
{
  g_autoptr(GString) id = g_string_new (NULL);
  g_autofree char *raw = g_strdup_printf ("%s-%s-%s", prefix, group_id, name);
  gsize length;

  for (const char *p = raw; *p != '\0'; p = g_utf8_next_char (p)) {
    if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.')
      g_string_append_c (id, *p);
    else
      g_string_append_c (id, '_');
  }
  /* At most OFFLINE_MANIFEST_MAX_TRACKS ids are taken: this ends */
  length = id->len;
  for (guint n = 2; g_hash_table_contains (self->ids, id->str); n++) {
    g_string_truncate (id, length);
    g_string_append_printf (id, "-%u", n);
  }
  return g_string_free (g_steal_pointer (&id), FALSE);
}

static gboolean
handle_media (gpointer     data,
              const char  *value,
              GError     **error)
{
  MasterParser *self = data;
  g_autoptr(OfflineHlsAttributes) attributes = NULL;
  g_autoptr(OfflineTrack) track = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *id = NULL;
  const char *type, *group_id, *name;
  OfflineTrackType kind;

  attributes = offline_hls_attributes_parse (value, self->reader->line_number,
                                             self->reader->tag->str, error);
  if (attributes == NULL ||
      (type = offline_hls_attributes_require (attributes, "TYPE", error)) == NULL ||
      (group_id = offline_hls_attributes_require (attributes, "GROUP-ID", error)) == NULL ||
      (name = offline_hls_attributes_require (attributes, "NAME", error)) == NULL ||
      !offline_hls_attributes_get_uri (attributes, "URI", self->uri, &uri, error))
    return FALSE;

  if (strcmp (type, "AUDIO") == 0)
    kind = OFFLINE_TRACK_TYPE_AUDIO;
  else if (strcmp (type, "SUBTITLES") == 0)
    kind = OFFLINE_TRACK_TYPE_TEXT;
  else if (strcmp (type, "VIDEO") == 0)
    kind = OFFLINE_TRACK_TYPE_VIDEO;
  else
    return TRUE;        /* CLOSED-CAPTIONS, or unknown */
  if (kind == OFFLINE_TRACK_TYPE_AUDIO && uri == NULL)
    g_hash_table_add (self->inline_audio, g_strdup (group_id));
  if (uri == NULL)
    return TRUE;
  if (!count_track (self, error))
    return FALSE;

  id = rendition_id (self, kind == OFFLINE_TRACK_TYPE_AUDIO ? "audio" :
                     kind == OFFLINE_TRACK_TYPE_TEXT ? "subtitles" : "video", group_id, name);
  track = offline_track_new (kind, id);
  g_hash_table_add (self->ids, g_steal_pointer (&id));
  track->group_id = g_strdup (group_id);
  track->label = g_strdup (name);
  track->language = g_strdup (offline_hls_attributes_get (attributes, "LANGUAGE"));
  track->is_default = offline_hls_attributes_get_yes (attributes, "DEFAULT");
  track->playlist_uri = g_steal_pointer (&uri);
  g_ptr_array_add (kind == OFFLINE_TRACK_TYPE_AUDIO ? self->audio :
                   kind == OFFLINE_TRACK_TYPE_TEXT ? self->subtitles : self->video,
                   g_steal_pointer (&track));
  return TRUE;
}

static gboolean
handle_forbidden (gpointer     data,
                  const char  *value,
                  GError     **error)
{
  MasterParser *self = data;
  guint error_line = self->reader->line_number, line = 0;
  g_autofree char *tag = g_strdup (self->reader->tag->str);
  /* rewinds the reader: the parse ends here anyway */
  const char *master_tag = offline_hls_find_master_tag (self->reader, &line);

  offline_hls_set_error (error, error_line, tag, "a media playlist tag, in a master playlist "
                         "(line %u has %s)", line, master_tag);
  return FALSE;
}

static const OfflineHlsTagHandler master_tags[] = {
  { "EXT-X-STREAM-INF", handle_stream_inf },
  { "EXT-X-MEDIA", handle_media },
  { "EXTINF", handle_forbidden },
  { NULL, NULL },
};

static const char *
variant_group (MasterParser     *self,
               OfflineTrack     *variant,
               OfflineTrackType  rendition_type)
{
  switch (rendition_type) {
  case OFFLINE_TRACK_TYPE_AUDIO:
    return variant->audio_group_id;
  case OFFLINE_TRACK_TYPE_VIDEO:
    return g_hash_table_lookup (self->video_groups, variant);
  case OFFLINE_TRACK_TYPE_TEXT:
  default:
    return variant->subtitle_group_id;
  }
}

/* Codecs of the renditions, from the variants using them. */
static void
describe_renditions (MasterParser *self,
                     GPtrArray    *renditions)
{
  for (guint i = 0; i < renditions->len; i++) {
    OfflineTrack *rendition = g_ptr_array_index (renditions, i);
    OfflineHlsCodecKind kind = rendition->type == OFFLINE_TRACK_TYPE_AUDIO ? OFFLINE_HLS_CODEC_AUDIO :
                               rendition->type == OFFLINE_TRACK_TYPE_VIDEO ? OFFLINE_HLS_CODEC_VIDEO :
                               OFFLINE_HLS_CODEC_TEXT;

    for (guint j = 0; j < self->variants->len; j++) {
      OfflineTrack *variant = g_ptr_array_index (self->variants, j);

      if (g_strcmp0 (variant_group (self, variant, rendition->type), rendition->group_id) != 0)
        continue;
      rendition->codecs = offline_hls_codecs_filter (variant->codecs, kind);
      if (rendition->type == OFFLINE_TRACK_TYPE_VIDEO) {
        /* another angle plays with the variant's audio and subtitles */
        rendition->audio_group_id = g_strdup (variant->audio_group_id);
        rendition->subtitle_group_id = g_strdup (variant->subtitle_group_id);
        rendition->muxed_audio = variant->muxed_audio;
      }
      break;
    }
  }
}

static gboolean
group_has_uri_rendition (MasterParser *self,
                         const char   *group_id)
{
  for (guint i = 0; i < self->audio->len; i++) {
    OfflineTrack *rendition = g_ptr_array_index (self->audio, i);

    if (strcmp (rendition->group_id, group_id) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
find_muxed_audio (MasterParser *self)
{
  for (guint i = 0; i < self->variants->len; i++) {
    OfflineTrack *variant = g_ptr_array_index (self->variants, i);
    const char *group_id = variant->audio_group_id;
    gboolean audio_inside = group_id == NULL ||
                            g_hash_table_contains (self->inline_audio, group_id) ||
                            !group_has_uri_rendition (self, group_id);
    gboolean codecs_allow_audio = variant->codecs == NULL ||
                                  (offline_hls_codecs_kinds (variant->codecs) & OFFLINE_HLS_CODEC_AUDIO);

    variant->muxed_audio = variant->type == OFFLINE_TRACK_TYPE_VIDEO &&
                           audio_inside && codecs_allow_audio;
  }
}

static void
move_tracks (OfflinePresentation *presentation,
             GPtrArray           *tracks)
{
  gsize n_items;
  gpointer *items = g_ptr_array_steal (tracks, &n_items);

  for (gsize i = 0; i < n_items; i++)
    offline_presentation_add_track (presentation, items[i]);
  g_free (items);
}

gboolean
offline_hls_master_parse (OfflinePresentation  *presentation,
                          OfflineHlsReader     *reader,
                          GError              **error)
{
  g_auto(MasterParser) self = { 0, };

  self.reader = reader;
  self.uri = presentation->uri;
  self.variants = g_ptr_array_new_with_free_func (g_object_unref);
  self.audio = g_ptr_array_new_with_free_func (g_object_unref);
  self.subtitles = g_ptr_array_new_with_free_func (g_object_unref);
  self.video = g_ptr_array_new_with_free_func (g_object_unref);
  self.video_groups = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self.inline_audio = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!offline_hls_reader_dispatch (reader, master_tags, handle_uri, &self, error))
    return FALSE;
  if (self.pending != NULL)
    return error_no_uri_line (&self, error);
  if (self.variants->len == 0) {
    guint line = 0;
    const char *tag = offline_hls_find_master_tag (reader, &line);
    g_autofree char *shown = offline_uri_for_message (self.uri);

    /* say what made it a master playlist (EXT-X-SESSION-KEY, EXT-X-MEDIA…) */
    offline_hls_set_error (error, line, tag, "a master playlist tag, but %s has no "
                           "EXT-X-STREAM-INF variant", shown);
    return FALSE;
  }

  describe_renditions (&self, self.audio);
  describe_renditions (&self, self.subtitles);
  find_muxed_audio (&self);
  describe_renditions (&self, self.video);
  move_tracks (presentation, self.variants);
  move_tracks (presentation, self.audio);
  move_tracks (presentation, self.subtitles);
  move_tracks (presentation, self.video);
  return TRUE;
}
