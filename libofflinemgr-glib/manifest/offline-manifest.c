/* offline-manifest.c: recognising a manifest (or a media file)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Handing it to its parser is parse/offline-manifest-parse.c's job: the
 * model (manifest/) includes nothing above it.
 */
#include "config.h"

#include <string.h>

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
