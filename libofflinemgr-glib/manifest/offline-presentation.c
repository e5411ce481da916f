/* offline-presentation.c: the format-neutral model of a manifest
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-error.h"
#include "offline-manifest-private.h"
#include "offline-presentation-private.h"
#include "offline-track-private.h"

/**
 * OfflinePresentation:
 *
 * What a DASH MPD, an HLS playlist or a plain media URL describes, in one
 * format-neutral model: the duration and the tracks, each with its segments.
 * Make one with offline_manifest_parse(), offline_dash_parse(),
 * offline_hls_parse() or offline_progressive_parse(); pick the tracks to
 * store with #OfflineTrackSelection.
 *
 * Presentations are built by the parsers and read-only afterwards.
 */
G_DEFINE_FINAL_TYPE (OfflinePresentation, offline_presentation, G_TYPE_OBJECT)

static void
offline_presentation_finalize (GObject *object)
{
  OfflinePresentation *self = OFFLINE_PRESENTATION (object);

  g_free (self->uri);
  g_ptr_array_unref (self->tracks);

  G_OBJECT_CLASS (offline_presentation_parent_class)->finalize (object);
}

static void
offline_presentation_class_init (OfflinePresentationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_presentation_finalize;
}

static void
offline_presentation_init (OfflinePresentation *self)
{
  self->tracks = g_ptr_array_new_with_free_func (g_object_unref);
}

OfflinePresentation *
offline_presentation_new (OfflineManifestFormat format,
                          const char           *uri)
{
  OfflinePresentation *self = g_object_new (OFFLINE_TYPE_PRESENTATION, NULL);

  self->format = format;
  self->uri = g_strdup (uri);
  return self;
}

void
offline_presentation_add_track (OfflinePresentation *self,
                                OfflineTrack        *track)
{
  g_ptr_array_add (self->tracks, track);
}

gboolean
offline_presentation_reserve_segments (OfflinePresentation *self,
                                       guint64              n,
                                       const char          *where,
                                       GError             **error)
{
  if (n > OFFLINE_MANIFEST_MAX_SEGMENTS ||
      self->segment_count + n > OFFLINE_MANIFEST_MAX_SEGMENTS) {
    g_autofree char *shown = offline_text_for_message (where, OFFLINE_MESSAGE_MAX_CHARS);

    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "%s: more than %d segments cannot be real",
                 shown, OFFLINE_MANIFEST_MAX_SEGMENTS);
    return FALSE;
  }
  self->segment_count += n;
  return TRUE;
}

/**
 * offline_presentation_get_format:
 * @self: a #OfflinePresentation
 *
 * Gets the kind of manifest the presentation was parsed from.
 *
 * Returns: the kind of manifest the presentation was parsed from
 */
OfflineManifestFormat
offline_presentation_get_format (OfflinePresentation *self)
{
  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (self), OFFLINE_MANIFEST_FORMAT_UNKNOWN);
  return self->format;
}

/**
 * offline_presentation_get_uri:
 * @self: a #OfflinePresentation
 *
 * Gets the URL of the manifest (or of the media file, for progressive
 * content).
 *
 * Returns: the URL of the manifest (or of the media file, for progressive
 *   content)
 */
const char *
offline_presentation_get_uri (OfflinePresentation *self)
{
  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (self), NULL);
  return self->uri;
}

/**
 * offline_presentation_get_duration:
 * @self: a #OfflinePresentation
 *
 * For HLS the duration is known once the media playlists are parsed.
 *
 * Returns: the duration in microseconds, or 0 if unknown
 */
GTimeSpan
offline_presentation_get_duration (OfflinePresentation *self)
{
  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (self), 0);
  return self->duration;
}

/**
 * offline_presentation_get_is_live:
 * @self: a #OfflinePresentation
 *
 * The parsers refuse live content with %OFFLINE_ERROR_LIVE_NOT_SUPPORTED, so
 * a parsed presentation is never live; the flag is kept for completeness.
 *
 * Returns: %TRUE for live content
 */
gboolean
offline_presentation_get_is_live (OfflinePresentation *self)
{
  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (self), FALSE);
  return self->is_live;
}

/**
 * offline_presentation_get_tracks:
 * @self: a #OfflinePresentation
 *
 * Gets the tracks in manifest order.
 *
 * Returns: (transfer none) (element-type OfflineTrack): the tracks in
 *   manifest order
 */
GPtrArray *
offline_presentation_get_tracks (OfflinePresentation *self)
{
  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (self), NULL);
  return self->tracks;
}

/**
 * offline_presentation_get_track_by_id:
 * @self: a #OfflinePresentation
 * @id: a track id
 *
 * Gets the track with @id, or %NULL.
 *
 * Returns: (transfer none) (nullable): the track with @id, or %NULL
 */
OfflineTrack *
offline_presentation_get_track_by_id (OfflinePresentation *self,
                                      const char          *id)
{
  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (self->tracks, i);

    if (g_strcmp0 (track->id, id) == 0)
      return track;
  }
  return NULL;
}

/**
 * offline_presentation_is_complete:
 * @self: a #OfflinePresentation
 *
 * Whether every track knows its segments. An HLS master playlist gives
 * tracks whose media playlists are still to be parsed (see
 * offline_track_needs_playlist()).
 *
 * Returns: %TRUE if no track needs its media playlist
 */
gboolean
offline_presentation_is_complete (OfflinePresentation *self)
{
  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (self), FALSE);

  for (guint i = 0; i < self->tracks->len; i++) {
    if (offline_track_needs_playlist (g_ptr_array_index (self->tracks, i)))
      return FALSE;
  }
  return TRUE;
}
