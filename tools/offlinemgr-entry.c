/* offlinemgr-entry.c: a stored entry as text: list's line, info's details
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline.h"

#include "offlinemgr-entry.h"
#include "offlinemgr-text.h"

static const char *
state_nick (OfflineDownloadState state)
{
  return enum_nick (OFFLINE_TYPE_DOWNLOAD_STATE, state);
}

void
print_entry_line (OfflineEntry *entry)
{
  guint64 done = offline_entry_get_bytes_downloaded (entry);
  guint64 expected = offline_entry_get_bytes_expected (entry);
  g_autofree char *size = g_format_size (expected);
  g_autofree char *id = printable (offline_entry_get_id (entry));
  g_autofree char *name = printable (offline_entry_get_name (entry));

  gint64 expiration = offline_entry_get_license_expiration (entry);
  const char *mark = !offline_entry_get_is_protected (entry) ? "" :
    expiration != 0 && expiration <= g_get_real_time () / G_USEC_PER_SEC ? " [protected, licence expired]"
                                                                       : " [protected]";

  g_print ("%-24s %-11s %5.1f%%  %10s  %s%s\n", id, state_nick (offline_entry_get_state (entry)),
           expected ? MIN (100.0, 100.0 * done / expected) : 0.0, size, name, mark);
}

void
print_entry_details (OfflineEntry *entry)
{
  GPtrArray *tracks = offline_entry_get_tracks (entry);
  g_autofree char *created = g_date_time_format_iso8601 (offline_entry_get_created (entry));
  g_autofree char *downloaded = g_format_size (offline_entry_get_bytes_downloaded (entry));
  g_autofree char *expected = g_format_size (offline_entry_get_bytes_expected (entry));
  g_autofree char *duration = format_duration (offline_entry_get_duration (entry) / G_USEC_PER_SEC);
  g_autofree char *id = printable (offline_entry_get_id (entry));
  g_autofree char *name = printable (offline_entry_get_name (entry));
  g_autofree char *manifest = printable (offline_entry_get_manifest_url (entry));
  g_autofree char *failure = printable (offline_entry_get_failure_message (entry));

  g_print ("id:          %s\n", id);
  g_print ("name:        %s\n", name);
  g_print ("state:       %s\n", state_nick (offline_entry_get_state (entry)));
  g_print ("stored:      %s of %s (%u/%u segments)\n", downloaded, expected,
           offline_entry_get_segments_done (entry), offline_entry_get_segments_total (entry));
  g_print ("duration:    %s\n", duration);
  g_print ("manifest:    %s\n", manifest);
  if (offline_entry_get_tags (entry)[0] != NULL) {
    g_autofree char *joined = g_strjoinv (", ", (char **) offline_entry_get_tags (entry));
    g_autofree char *tags = printable (joined);

    g_print ("tags:        %s\n", tags);
  }
  if (offline_entry_get_poster_path (entry) != NULL) {
    g_autofree char *poster = printable (offline_entry_get_poster_path (entry));

    g_print ("poster:      %s\n", poster);
  }
  g_print ("created:     %s\n", created);
  if (offline_entry_get_is_protected (entry)) {
    gint64 expiration = offline_entry_get_license_expiration (entry);
    g_autoptr(GDateTime) expires = expiration != 0 ? g_date_time_new_from_unix_utc (expiration) : NULL;
    g_autofree char *when = expires != NULL ? g_date_time_format_iso8601 (expires) : NULL;

    g_print ("licence:     Clear Key, %s%s\n", when != NULL ? "expires " : "does not expire",
             when != NULL ? when : "");
  }
  if (offline_entry_get_failure_message (entry))
    g_print ("failure:     %s\n", failure);
  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);
    static const char *types[] = { "video", "audio", "text" };
    g_autofree char *track_id = printable (offline_track_get_id (track));
    g_autofree char *language = printable (offline_track_get_language (track) ?
                                           offline_track_get_language (track) : "-");
    g_autofree char *codecs = printable (offline_track_get_codecs (track) ?
                                         offline_track_get_codecs (track) : "-");

    g_print ("track:       %s %s %s %" G_GUINT64_FORMAT " b/s %s %ux%u\n",
             types[offline_track_get_track_type (track)], track_id, language,
             offline_track_get_bandwidth (track), codecs,
             offline_track_get_width (track), offline_track_get_height (track));
  }
}
