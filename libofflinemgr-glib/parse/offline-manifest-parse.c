/* offline-manifest-parse.c: handing a manifest to its format's parser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Above the model (manifest/) and the DASH and HLS parsers (dash/, hls/),
 * which build the model: the model itself knows no parser.
 */
#include "config.h"

#include "offline-manifest-parse.h"

#include "offline-dash-parser.h"
#include "offline-error.h"
#include "offline-hls-parser.h"
#include "offline-manifest-private.h"

/**
 * offline_manifest_parse:
 * @data: (nullable): the manifest (may be %NULL for a progressive URL)
 * @uri: the URL the manifest was fetched from; relative URLs in it are
 *   resolved against it
 * @content_type: (nullable): the `Content-Type` the server sent
 * @error: return location for a #GError
 *
 * Parses a DASH MPD, an HLS playlist or a progressive media URL, whichever
 * offline_manifest_guess_format() recognises. For an HLS master playlist the
 * tracks still need their media playlists: see
 * offline_hls_parse_media_playlist().
 *
 * Errors are in the %OFFLINE_ERROR domain: %OFFLINE_ERROR_MANIFEST_INVALID
 * for anything malformed or unrecognised, %OFFLINE_ERROR_LIVE_NOT_SUPPORTED
 * for live content, %OFFLINE_ERROR_INVALID_URI for a progressive URL that
 * is not http(s).
 *
 * Returns: (transfer full): the presentation, or %NULL with @error set
 */
OfflinePresentation *
offline_manifest_parse (GBytes      *data,
                        const char  *uri,
                        const char  *content_type,
                        GError     **error)
{
  OfflineManifestFormat format;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  format = offline_manifest_guess_format (uri, content_type, data);
  if (format != OFFLINE_MANIFEST_FORMAT_PROGRESSIVE && data != NULL &&
      g_bytes_get_size (data) == 0) {
    shown = offline_uri_for_message (uri);
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "%s: the manifest is empty", shown);
    return NULL;
  }
  switch (format) {
  case OFFLINE_MANIFEST_FORMAT_DASH:
    if (data != NULL)
      return offline_dash_parse (data, uri, error);
    break;
  case OFFLINE_MANIFEST_FORMAT_HLS:
    if (data != NULL)
      return offline_hls_parse (data, uri, error);
    break;
  case OFFLINE_MANIFEST_FORMAT_PROGRESSIVE:
    return offline_progressive_parse (uri, content_type, error);
  case OFFLINE_MANIFEST_FORMAT_UNKNOWN:
  default:
    break;
  }
  shown = offline_uri_for_message (uri);
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
               "%s: not a DASH manifest, an HLS playlist or a known media file", shown);
  return NULL;
}
