/* offline-track-selection.c: the tracks download options pick
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-language-private.h"
#include "offline-presentation-private.h"
#include "offline-track-private.h"
#include "offline-track-selection.h"

/**
 * OfflineTrackSelection:
 *
 * The tracks a download stores, picked from an #OfflinePresentation by
 * #OfflineDownloadOptions with the original offline manager's rules:
 *
 * - Video: the track whose bandwidth is closest to #OfflineDownloadOptions:bitrate
 *   (the lower one on a tie); without a bitrate, the lowest bandwidth. HLS
 *   `EXT-X-MEDIA TYPE=VIDEO` renditions (other camera angles, tracks
 *   `video-GROUP-NAME` listed after the variants) are candidates only when
 *   no variant has video: the default, and every bitrate, picks a
 *   variant's own video.
 * - Audio: the track whose language matches #OfflineDownloadOptions:language
 *   (the primary subtags compared case-insensitively, ISO 639-2 codes such
 *   as `spa` normalised, so `es` matches `es-ES` and `spa`); if none matches
 *   or no language is given, the first audio track in manifest order — for
 *   HLS the one flagged `DEFAULT=YES`. For HLS only the renditions of the
 *   chosen variant's `AUDIO` group are candidates, and a variant with muxed
 *   audio brings its audio along (no separate audio track).
 * - Text: every text track whose language matches, or all text tracks
 *   without a language (for HLS, of the variant's `SUBTITLES` group).
 *
 * Apps can use it to preview what a download would store and how big it
 * would be (offline_track_selection_get_estimated_size()).
 */
struct _OfflineTrackSelection {
  GObject parent_instance;

  OfflinePresentation *presentation;
  OfflineTrack *video;
  OfflineTrack *audio;
  GPtrArray *text;      /* (element-type OfflineTrack) */
  GPtrArray *all;       /* (element-type OfflineTrack): video, audio, text */
};

G_DEFINE_FINAL_TYPE (OfflineTrackSelection, offline_track_selection, G_TYPE_OBJECT)

static void
offline_track_selection_finalize (GObject *object)
{
  OfflineTrackSelection *self = OFFLINE_TRACK_SELECTION (object);

  g_clear_object (&self->presentation);
  g_ptr_array_unref (self->text);
  g_ptr_array_unref (self->all);

  G_OBJECT_CLASS (offline_track_selection_parent_class)->finalize (object);
}

static void
offline_track_selection_class_init (OfflineTrackSelectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_track_selection_finalize;
}

static void
offline_track_selection_init (OfflineTrackSelection *self)
{
  self->text = g_ptr_array_new_with_free_func (g_object_unref);
  self->all = g_ptr_array_new_with_free_func (g_object_unref);
}

static guint64
distance (guint64 a,
          guint64 b)
{
  return a > b ? a - b : b - a;
}

static OfflineTrack *
select_video (GPtrArray *tracks,
              guint64    bitrate,
              gboolean   renditions)
{
  OfflineTrack *best = NULL;

  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);
    guint64 d, best_d;

    /* an HLS VIDEO rendition has a group, a variant has none */
    if (track->type != OFFLINE_TRACK_TYPE_VIDEO || (track->group_id != NULL) != renditions)
      continue;
    if (best == NULL) {
      best = track;
      continue;
    }
    d = distance (track->bandwidth, bitrate);
    best_d = distance (best->bandwidth, bitrate);
    if (d < best_d || (d == best_d && track->bandwidth < best->bandwidth))
      best = track;
  }
  return best;
}

/* Whether @track may go with the chosen @video: HLS renditions only come
 * with the variants that name their group. */
static gboolean
in_group_of (OfflineTrack *track,
             const char   *group_id)
{
  return group_id == NULL || g_strcmp0 (track->group_id, group_id) == 0;
}

static OfflineTrack *
select_audio (GPtrArray    *tracks,
              OfflineTrack *video,
              const char   *language)
{
  const char *group_id = video ? video->audio_group_id : NULL;
  OfflineTrack *first = NULL, *first_default = NULL;

  if (video != NULL && video->muxed_audio)
    return NULL;

  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);

    if (track->type != OFFLINE_TRACK_TYPE_AUDIO || !in_group_of (track, group_id))
      continue;
    if (offline_language_matches (track->language, language))
      return track;
    if (first == NULL)
      first = track;
    if (first_default == NULL && track->is_default)
      first_default = track;
  }
  return first_default ? first_default : first;
}

static void
select_text (GPtrArray    *tracks,
             OfflineTrack *video,
             const char   *language,
             GPtrArray    *out)
{
  const char *group_id = video ? video->subtitle_group_id : NULL;

  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);

    if (track->type != OFFLINE_TRACK_TYPE_TEXT || !in_group_of (track, group_id))
      continue;
    if (language == NULL || offline_language_matches (track->language, language))
      g_ptr_array_add (out, g_object_ref (track));
  }
}

/**
 * offline_track_selection_new:
 * @presentation: a parsed presentation
 * @options: (nullable): the download options, or %NULL for the defaults
 *
 * Picks the tracks a download of @presentation with @options stores. HLS
 * master playlists can be selected from before their media playlists are
 * parsed: only the selected tracks' playlists then need fetching.
 *
 * Returns: (transfer full): the selection
 */
OfflineTrackSelection *
offline_track_selection_new (OfflinePresentation    *presentation,
                             OfflineDownloadOptions *options)
{
  OfflineTrackSelection *self;
  const char *language = NULL;
  guint64 bitrate = 0;

  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (presentation), NULL);
  g_return_val_if_fail (options == NULL || OFFLINE_IS_DOWNLOAD_OPTIONS (options), NULL);

  if (options != NULL) {
    language = offline_download_options_get_language (options);
    bitrate = offline_download_options_get_bitrate (options);
  }

  self = g_object_new (OFFLINE_TYPE_TRACK_SELECTION, NULL);
  self->presentation = g_object_ref (presentation);
  self->video = select_video (presentation->tracks, bitrate, FALSE);
  if (self->video == NULL)
    self->video = select_video (presentation->tracks, bitrate, TRUE);
  self->audio = select_audio (presentation->tracks, self->video, language);
  select_text (presentation->tracks, self->video, language, self->text);

  if (self->video != NULL)
    g_ptr_array_add (self->all, g_object_ref (self->video));
  if (self->audio != NULL)
    g_ptr_array_add (self->all, g_object_ref (self->audio));
  g_ptr_array_extend (self->all, self->text, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  return self;
}

/**
 * offline_track_selection_get_presentation:
 * @self: a #OfflineTrackSelection
 *
 * Gets the presentation the tracks come from.
 *
 * Returns: (transfer none): the presentation the tracks come from
 */
OfflinePresentation *
offline_track_selection_get_presentation (OfflineTrackSelection *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK_SELECTION (self), NULL);
  return self->presentation;
}

/**
 * offline_track_selection_get_video_track:
 * @self: a #OfflineTrackSelection
 *
 * Gets the video track, %NULL for audio-only content.
 *
 * Returns: (transfer none) (nullable): the video track, %NULL for
 *   audio-only content
 */
OfflineTrack *
offline_track_selection_get_video_track (OfflineTrackSelection *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK_SELECTION (self), NULL);
  return self->video;
}

/**
 * offline_track_selection_get_audio_track:
 * @self: a #OfflineTrackSelection
 *
 * Gets the separate audio track, %NULL when there is none or the audio is
 * muxed in the video track.
 *
 * Returns: (transfer none) (nullable): the separate audio track, %NULL when
 *   there is none or the audio is muxed in the video track
 */
OfflineTrack *
offline_track_selection_get_audio_track (OfflineTrackSelection *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK_SELECTION (self), NULL);
  return self->audio;
}

/**
 * offline_track_selection_get_text_tracks:
 * @self: a #OfflineTrackSelection
 *
 * Gets the text tracks.
 *
 * Returns: (transfer none) (element-type OfflineTrack): the text tracks
 */
GPtrArray *
offline_track_selection_get_text_tracks (OfflineTrackSelection *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK_SELECTION (self), NULL);
  return self->text;
}

/**
 * offline_track_selection_get_tracks:
 * @self: a #OfflineTrackSelection
 *
 * Gets every selected track: video, audio, then text.
 *
 * Returns: (transfer none) (element-type OfflineTrack): every selected
 *   track: video, audio, then text
 */
GPtrArray *
offline_track_selection_get_tracks (OfflineTrackSelection *self)
{
  g_return_val_if_fail (OFFLINE_IS_TRACK_SELECTION (self), NULL);
  return self->all;
}

/* Bytes of @track: the sum of its segment sizes where the byte ranges give
 * all of them, else bandwidth × duration / 8. */
static guint64
estimate_track_size (OfflineTrack *track,
                     GTimeSpan     presentation_duration)
{
  gboolean complete = FALSE;
  guint64 known = offline_track_get_known_size (track, &complete);
  GTimeSpan duration;

  if (complete && track->segments->len > 0)
    return known;
  duration = track->segments->len > 0 ? offline_track_get_duration (track)
                                      : presentation_duration;
  if (duration <= 0)
    return 0;
  /* bandwidth (≤ 2^64 b/s in theory) × µs would overflow: divide first */
  return track->bandwidth / 8 * (guint64) duration / G_USEC_PER_SEC +
         track->bandwidth % 8 * (guint64) duration / 8 / G_USEC_PER_SEC;
}

/**
 * offline_track_selection_get_estimated_size:
 * @self: a #OfflineTrackSelection
 *
 * An estimate of the bytes the download will store: per track, the sum of
 * the segment sizes when the byte ranges give them all, otherwise bandwidth
 * × duration / 8. Before HLS media playlists are parsed, the duration is
 * unknown and such tracks count 0.
 *
 * Returns: the estimated size in bytes
 */
guint64
offline_track_selection_get_estimated_size (OfflineTrackSelection *self)
{
  guint64 total = 0;

  g_return_val_if_fail (OFFLINE_IS_TRACK_SELECTION (self), 0);

  for (guint i = 0; i < self->all->len; i++)
    total += estimate_track_size (g_ptr_array_index (self->all, i),
                                  self->presentation->duration);
  return total;
}
