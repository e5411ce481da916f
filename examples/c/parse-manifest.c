/* parse-manifest.c: parse a manifest file, telling live streams apart
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   parse-manifest FILE URL
 *
 * Parses FILE as the manifest found at URL (which resolves its relative
 * URLs) and prints its tracks, or why it cannot be downloaded.
 * Exit status 0 if it parsed, 1 otherwise.
 */
#include <offline.h>
#include <stdio.h>

static void
show_message (const char *message)
{
  printf ("%s\n", message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) data = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  const char *url;

  if (argc != 3) {
    fprintf (stderr, "usage: %s FILE URL\n", argv[0]);
    return 2;
  }
  if (!g_file_get_contents (argv[1], &contents, &length, NULL)) {
    fprintf (stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  url = argv[2];

  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) p = offline_manifest_parse (data, url, NULL, &error);

  if (g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_LIVE_NOT_SUPPORTED))
    show_message ("Live streams cannot be downloaded.");
  else if (error != NULL)
    g_warning ("Cannot read %s: %s", url, error->message);

  if (p == NULL)
    return 1;
  printf ("%u tracks\n", offline_presentation_get_tracks (p)->len);
  return 0;
}
