/* offline-progressive.c: a plain media file as a one-track presentation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-error.h"
#include "offline-manifest.h"
#include "offline-manifest-private.h"
#include "offline-presentation-private.h"
#include "offline-segment-private.h"
#include "offline-track-private.h"

static const struct {
  const char *extension;
  const char *mime_type;
  OfflineTrackType type;
} progressive_types[] = {
  { "mp4", "video/mp4", OFFLINE_TRACK_TYPE_VIDEO },
  { "m4v", "video/mp4", OFFLINE_TRACK_TYPE_VIDEO },
  { "mov", "video/quicktime", OFFLINE_TRACK_TYPE_VIDEO },
  { "webm", "video/webm", OFFLINE_TRACK_TYPE_VIDEO },
  { "mkv", "video/x-matroska", OFFLINE_TRACK_TYPE_VIDEO },
  { "ogv", "video/ogg", OFFLINE_TRACK_TYPE_VIDEO },
  { "m4a", "audio/mp4", OFFLINE_TRACK_TYPE_AUDIO },
  { "mp3", "audio/mpeg", OFFLINE_TRACK_TYPE_AUDIO },
  { "aac", "audio/aac", OFFLINE_TRACK_TYPE_AUDIO },
  { "oga", "audio/ogg", OFFLINE_TRACK_TYPE_AUDIO },
  { "ogg", "audio/ogg", OFFLINE_TRACK_TYPE_AUDIO },
  { "opus", "audio/ogg", OFFLINE_TRACK_TYPE_AUDIO },
  { "flac", "audio/flac", OFFLINE_TRACK_TYPE_AUDIO },
  { "wav", "audio/wav", OFFLINE_TRACK_TYPE_AUDIO },
};

gboolean
offline_progressive_lookup (const char  *extension,
                            const char **mime_type,
                            int         *track_type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (progressive_types); i++) {
    if (strcmp (progressive_types[i].extension, extension) != 0)
      continue;
    if (mime_type)
      *mime_type = progressive_types[i].mime_type;
    if (track_type)
      *track_type = progressive_types[i].type;
    return TRUE;
  }
  return FALSE;
}

char *
offline_uri_get_extension (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  const char *path, *slash, *dot;

  if (parsed == NULL)
    return NULL;
  path = g_uri_get_path (parsed);
  slash = strrchr (path, '/');
  dot = strrchr (slash ? slash : path, '.');
  if (dot == NULL || dot[1] == '\0')
    return NULL;
  return g_ascii_strdown (dot + 1, -1);
}

/* The base MIME type of @content_type if it is audio/ or video/, else NULL. */
static char *
media_content_type (const char *content_type)
{
  g_autofree char *type = NULL;

  if (content_type == NULL)
    return NULL;
  type = g_ascii_strdown (content_type, strcspn (content_type, ";"));
  g_strstrip (type);
  if (!g_str_has_prefix (type, "video/") && !g_str_has_prefix (type, "audio/"))
    return NULL;
  return g_steal_pointer (&type);
}

/**
 * offline_progressive_parse:
 * @uri: the absolute http(s) URL of a media file (MP4, WebM, MP3…)
 * @content_type: (nullable): its `Content-Type`, if known
 * @error: return location for a #GError
 *
 * Makes the presentation of a plain media file: one track (video, or audio
 * for audio-only types) whose single segment is the whole file. The
 * duration is unknown (0) until the file is read.
 *
 * Returns: (transfer full): the presentation, or %NULL with
 *   %OFFLINE_ERROR_INVALID_URI when @uri is not an absolute http(s) URL,
 *   %OFFLINE_ERROR_MANIFEST_INVALID when it is longer than 16 KiB
 */
OfflinePresentation *
offline_progressive_parse (const char  *uri,
                           const char  *content_type,
                           GError     **error)
{
  g_autoptr(OfflinePresentation) presentation = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *media_type = NULL;
  const char *mime_type = NULL;
  int type = OFFLINE_TRACK_TYPE_VIDEO;
  OfflineTrack *track;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!offline_uri_check_length (uri, error))
    return NULL;
  if (!offline_uri_is_fetchable (uri)) {
    g_autofree char *shown = offline_uri_for_message (uri);

    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI,
                 "\"%s\" is not an absolute http(s) URL", shown);
    return NULL;
  }

  extension = offline_uri_get_extension (uri);
  if (extension != NULL)
    offline_progressive_lookup (extension, &mime_type, &type);
  media_type = media_content_type (content_type);
  if (media_type != NULL) {
    mime_type = media_type;
    type = g_str_has_prefix (media_type, "audio/") ?
        OFFLINE_TRACK_TYPE_AUDIO : OFFLINE_TRACK_TYPE_VIDEO;
  }

  presentation = offline_presentation_new (OFFLINE_MANIFEST_FORMAT_PROGRESSIVE, uri);
  track = offline_track_new (type, "main");
  track->mime_type = g_strdup (mime_type);
  offline_track_add_segment (track, offline_segment_new (uri));
  offline_presentation_add_track (presentation, track);
  offline_presentation_reserve_segments (presentation, 1, uri, NULL);
  return g_steal_pointer (&presentation);
}
