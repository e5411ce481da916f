/* offline-hls-parser.c: HLS master and media playlist parser (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-error.h"
#include "offline-hls-parser.h"
#include "offline-hls-private.h"
#include "offline-manifest-private.h"
#include "offline-presentation-private.h"
#include "offline-track-private.h"

/**
 * offline_hls_parse:
 * @playlist: the text of an HLS master or media playlist, as fetched
 * @uri: the absolute URL @playlist was fetched from (after redirects): the
 *   relative URIs in it are resolved against it
 * @error: return location for a #GError, or %NULL
 *
 * Parses an HLS playlist (RFC 8216) without fetching anything.
 *
 * For a master playlist, the presentation has one track per variant
 * (`variant-0`, `variant-1`… in playlist order), then one per audio
 * rendition with a URI (`audio-GROUP-NAME`), then one per subtitles
 * rendition (`subtitles-GROUP-NAME`), then one per video rendition with a
 * URI (`video-GROUP-NAME`, see docs/manifests.md). Their segments are not known yet:
 * fetch the media playlist of each track that
 * offline_track_needs_playlist() and hand it to
 * offline_hls_parse_media_playlist(). The duration of the presentation is
 * known once they are parsed.
 *
 * A media playlist gives a presentation with a single complete track, `main`:
 * video with muxed audio, or audio or text when the segment file names say so
 * (`.aac`, `.mp3`, `.m4a`; `.vtt`, `.webvtt`).
 *
 * Errors are in the %OFFLINE_ERROR domain: %OFFLINE_ERROR_MANIFEST_INVALID
 * for malformed or implausible playlists (the message names the line), and
 * %OFFLINE_ERROR_LIVE_NOT_SUPPORTED for live media playlists (no
 * `EXT-X-ENDLIST` and no `EXT-X-PLAYLIST-TYPE:VOD`).
 *
 * Returns: (transfer full): the presentation, or %NULL with @error set
 */
OfflinePresentation *
offline_hls_parse (GBytes      *playlist,
                   const char  *uri,
                   GError     **error)
{
  g_auto(OfflineHlsReader) reader = { 0, };
  g_autoptr(OfflinePresentation) presentation = NULL;

  g_return_val_if_fail (playlist != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!offline_hls_reader_init (&reader, playlist, error))
    return NULL;

  presentation = offline_presentation_new (OFFLINE_MANIFEST_FORMAT_HLS, uri);
  if (offline_hls_is_master (&reader)) {
    if (!offline_hls_master_parse (presentation, &reader, error))
      return NULL;
  } else {
    OfflineTrack *track = offline_track_new (OFFLINE_TRACK_TYPE_VIDEO, "main");

    track->playlist_uri = g_strdup (uri);
    offline_presentation_add_track (presentation, track);
    if (!offline_hls_media_parse (presentation, track, &reader, uri, TRUE, error))
      return NULL;
  }
  return g_steal_pointer (&presentation);
}

/**
 * offline_hls_parse_media_playlist:
 * @presentation: a presentation made by offline_hls_parse() from a master
 *   playlist
 * @track: the track of @presentation the media playlist belongs to, one that
 *   offline_track_needs_playlist()
 * @playlist: the text of the media playlist at
 *   offline_track_get_playlist_uri(), as fetched
 * @uri: the absolute URL @playlist was fetched from (after redirects): the
 *   relative URIs in it are resolved against it
 * @error: return location for a #GError, or %NULL
 *
 * Fills @track with the segments of its media playlist, without fetching
 * anything: initialisation segment (`EXT-X-MAP`), media segments with their
 * byte ranges, times and media sequence numbers, and `EXT-X-KEY` keys. The
 * duration of @presentation becomes the longest of its parsed tracks.
 *
 * On error nothing is changed. Errors are those of offline_hls_parse(), and
 * %OFFLINE_ERROR_FAILED when @track is not a track of @presentation or
 * already has its segments.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
offline_hls_parse_media_playlist (OfflinePresentation  *presentation,
                                  OfflineTrack         *track,
                                  GBytes               *playlist,
                                  const char           *uri,
                                  GError              **error)
{
  g_auto(OfflineHlsReader) reader = { 0, };

  g_return_val_if_fail (OFFLINE_IS_PRESENTATION (presentation), FALSE);
  g_return_val_if_fail (OFFLINE_IS_TRACK (track), FALSE);
  g_return_val_if_fail (playlist != NULL, FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_ptr_array_find (presentation->tracks, track, NULL)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_FAILED,
                 "track %s is not a track of the presentation", track->id);
    return FALSE;
  }
  if (track->playlist_loaded) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_FAILED,
                 "the media playlist of track %s is already parsed", track->id);
    return FALSE;
  }

  if (!offline_hls_reader_init (&reader, playlist, error))
    return FALSE;
  if (offline_hls_is_master (&reader)) {
    guint line = 0;
    const char *tag = offline_hls_find_master_tag (&reader, &line);
    g_autofree char *shown = offline_uri_for_message (uri);

    offline_hls_set_error (error, line, tag, "a master playlist tag in %s, which should be a "
                           "media playlist", shown);
    return FALSE;
  }
  return offline_hls_media_parse (presentation, track, &reader, uri, FALSE, error);
}
