/* offline-manifest.c: recognising a manifest and handing it to its parser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-dash-parser.h"
#include "offline-error.h"
#include "offline-hls-parser.h"
#include "offline-manifest.h"
#include "offline-manifest-private.h"

/* How far into the data the sniffer looks for the MPD root element. */
#define SNIFF_LENGTH 4096

static const char *
skip_bom_and_space (const char *p,
                    const char *end)
{
  if (end - p >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

static OfflineManifestFormat
sniff_data (GBytes *data)
{
  gsize size = 0;
  const char *start = g_bytes_get_data (data, &size);
  const char *end, *p;

  /* an empty GBytes may hold NULL: no arithmetic on it */
  if (start == NULL || size == 0)
    return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
  end = start + MIN (size, SNIFF_LENGTH);
  p = skip_bom_and_space (start, end);

  /* comment lines may precede #EXTM3U (docs/manifests.md) */
  while (end - p >= 4 && *p == '#' && memcmp (p, "#EXT", 4) != 0) {
    const char *newline = memchr (p, '\n', end - p);

    if (newline == NULL)
      break;
    p = skip_bom_and_space (newline, end);
  }
  if (end - p >= 7 && memcmp (p, "#EXTM3U", 7) == 0)
    return OFFLINE_MANIFEST_FORMAT_HLS;
  if (p < end && *p == '<' && g_strstr_len (p, end - p, "MPD") != NULL)
    return OFFLINE_MANIFEST_FORMAT_DASH;
  return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
}

static OfflineManifestFormat
format_from_content_type (const char *content_type)
{
  g_autofree char *type = NULL;
  char *params;

  if (content_type == NULL)
    return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
  type = g_ascii_strdown (content_type, -1);
  params = strchr (type, ';');
  if (params)
    *params = '\0';
  g_strstrip (type);

  if (strcmp (type, "application/dash+xml") == 0)
    return OFFLINE_MANIFEST_FORMAT_DASH;
  if (strcmp (type, "application/vnd.apple.mpegurl") == 0 ||
      strcmp (type, "application/x-mpegurl") == 0 ||
      strcmp (type, "audio/mpegurl") == 0 ||
      strcmp (type, "audio/x-mpegurl") == 0)
    return OFFLINE_MANIFEST_FORMAT_HLS;
  if (g_str_has_prefix (type, "video/") || g_str_has_prefix (type, "audio/"))
    return OFFLINE_MANIFEST_FORMAT_PROGRESSIVE;
  return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
}

static OfflineManifestFormat
format_from_uri (const char *uri)
{
  g_autofree char *extension = offline_uri_get_extension (uri);

  if (extension == NULL)
    return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
  if (strcmp (extension, "mpd") == 0)
    return OFFLINE_MANIFEST_FORMAT_DASH;
  if (strcmp (extension, "m3u8") == 0 || strcmp (extension, "m3u") == 0)
    return OFFLINE_MANIFEST_FORMAT_HLS;
  if (offline_progressive_lookup (extension, NULL, NULL))
    return OFFLINE_MANIFEST_FORMAT_PROGRESSIVE;
  return OFFLINE_MANIFEST_FORMAT_UNKNOWN;
}

/**
 * offline_manifest_guess_format:
 * @uri: (nullable): the URL the manifest or media comes from
 * @content_type: (nullable): the `Content-Type` the server sent
 * @data: (nullable): the first bytes (or all) of the resource
 *
 * Tells what a resource is: its contents first (`#EXTM3U`, an `MPD` root),
 * then its content type, then the extension of its URL path.
 *
 * Returns: the format, or %OFFLINE_MANIFEST_FORMAT_UNKNOWN
 */
OfflineManifestFormat
offline_manifest_guess_format (const char *uri,
                               const char *content_type,
                               GBytes     *data)
{
  OfflineManifestFormat format = OFFLINE_MANIFEST_FORMAT_UNKNOWN;

  if (data != NULL)
    format = sniff_data (data);
  if (format == OFFLINE_MANIFEST_FORMAT_UNKNOWN)
    format = format_from_content_type (content_type);
  if (format == OFFLINE_MANIFEST_FORMAT_UNKNOWN && uri != NULL)
    format = format_from_uri (uri);
  return format;
}

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
