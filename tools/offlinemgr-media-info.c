/* offlinemgr-media-info.c: what `offlinemgr media-info ID` prints
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offlinemgr-media-info.h"
#include "offlinemgr-text.h"

static const char *
format_nick (OfflineManifestFormat format)
{
  return enum_nick (OFFLINE_TYPE_MANIFEST_FORMAT, format);
}

/* "label: value", the value made printable, "-" if NULL or empty. */
static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *text = printable (value != NULL && *value != '\0' ? value : "-");

  g_print ("%-13s%s\n", label, text);
}

static void
print_source (OfflineMediaSource *source)
{
  const char * const *schemes = offline_media_source_get_drm_schemes (source);
  g_autoptr(GString) line = g_string_new (format_nick (offline_media_source_get_format (source)));

  g_string_append_printf (line, " %s", offline_media_source_get_url (source));
  for (guint i = 0; schemes != NULL && schemes[i] != NULL; i++) {
    const char *license_url = offline_media_source_get_license_url (source, schemes[i]);

    g_string_append_printf (line, "%s%s%s%s", i == 0 ? " drm: " : ", ", schemes[i],
                            license_url != NULL ? " " : "", license_url != NULL ? license_url : "");
  }
  print_field ("source:", line->str);
}

void
print_media_info (OfflineMediaInfo *info,
                  gboolean          json)
{
  GTimeSpan duration = offline_media_info_get_duration (info);
  gint64 expiration = offline_media_info_get_license_expiration (info);
  const char * const *tags = offline_media_info_get_tags (info);
  GPtrArray *sources = offline_media_info_get_sources (info);
  g_autofree char *duration_text = NULL;
  g_autofree char *tags_text = NULL;
  g_autofree char *expires = NULL;

  if (json) {
    g_autofree char *text = offline_media_info_to_json (info);

    g_print ("%s\n", text);
    return;
  }
  if (duration > 0)
    duration_text = format_duration (duration / G_USEC_PER_SEC);
  if (tags != NULL)
    tags_text = g_strjoinv (", ", (char **) tags);
  if (expiration != 0) {
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (expiration);

    expires = when != NULL ? g_date_time_format_iso8601 (when) : NULL;
  }

  print_field ("id:", offline_media_info_get_entry_id (info));
  print_field ("manifest:", offline_media_info_get_manifest_url (info));
  print_field ("format:", format_nick (offline_media_info_get_format (info)));
  print_field ("name:", offline_media_info_get_name (info));
  print_field ("description:", offline_media_info_get_description (info));
  print_field ("duration:", duration_text);
  print_field ("tags:", tags_text);
  print_field ("poster:", offline_media_info_get_poster_url (info));
  print_field ("drm:", offline_media_info_get_drm_scheme (info));
  print_field ("licence URL:", offline_media_info_get_license_url (info));
  print_field ("licence end:", expires);
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    print_source (g_ptr_array_index (sources, i));
}
