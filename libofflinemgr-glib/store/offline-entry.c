/* offline-entry.c: what the store knows of one entry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "offline-entry-private.h"
#include "offline-json-private.h"
#include "offline-enum-types.h"

/**
 * OfflineEntry:
 *
 * A snapshot of one stored entry: what it is (id, name, description,
 * poster, source manifest, duration), how far its download got (state,
 * bytes and segments), when it was created and last changed, and the
 * tracks it stores.
 *
 * An #OfflineEntry does not change: ask the #OfflineManager again for a
 * fresh one. offline_entry_to_json() serialises it.
 */
G_DEFINE_FINAL_TYPE (OfflineEntry, offline_entry, G_TYPE_OBJECT)

static void
offline_entry_finalize (GObject *object)
{
  OfflineEntry *self = OFFLINE_ENTRY (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->poster_url);
  g_free (self->poster_path);
  g_strfreev (self->tags);
  g_free (self->manifest_url);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  g_free (self->failure_message);
  g_ptr_array_unref (self->tracks);

  G_OBJECT_CLASS (offline_entry_parent_class)->finalize (object);
}

static void
offline_entry_class_init (OfflineEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_entry_finalize;
}

static void
offline_entry_init (OfflineEntry *self)
{
  self->tracks = g_ptr_array_new_with_free_func (g_object_unref);
  self->tags = g_new0 (char *, 1);
}

OfflineEntry *
offline_entry_new (const char *id)
{
  OfflineEntry *self = g_object_new (OFFLINE_TYPE_ENTRY, NULL);

  self->id = g_strdup (id);
  return self;
}

/**
 * offline_entry_get_id:
 * @self: a #OfflineEntry
 *
 * Gets the entry id the app downloaded it with.
 *
 * Returns: the entry id the app downloaded it with
 */
const char *
offline_entry_get_id (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->id;
}

/**
 * offline_entry_get_name:
 * @self: a #OfflineEntry
 *
 * Gets the name the provider gave, if any.
 *
 * Returns: (nullable): the name the provider gave, if any
 */
const char *
offline_entry_get_name (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->name;
}

/**
 * offline_entry_get_description:
 * @self: a #OfflineEntry
 *
 * Gets the description the provider gave, if any.
 *
 * Returns: (nullable): the description the provider gave, if any
 */
const char *
offline_entry_get_description (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->description;
}

/**
 * offline_entry_get_poster_url:
 * @self: a #OfflineEntry
 *
 * Gets the URL of the poster image the provider gave, if any.
 *
 * Returns: (nullable): the URL of the poster image the provider gave, if any
 */
const char *
offline_entry_get_poster_url (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->poster_url;
}

/**
 * offline_entry_get_poster_path:
 * @self: a #OfflineEntry
 *
 * The poster image downloaded into the store with the entry, for showing
 * it offline (load it with, e.g., gdk_texture_new_from_filename(); its
 * format is whatever the server sent). It goes when the entry is removed.
 *
 * Returns: (nullable) (type filename): the image file, or %NULL if the
 *   provider named no poster or it could not be downloaded
 */
const char *
offline_entry_get_poster_path (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->poster_path;
}

/**
 * offline_entry_get_tags:
 * @self: a #OfflineEntry
 *
 * Gets the tags the provider gave, empty if none.
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags the
 *   provider gave, empty if none
 */
const char * const *
offline_entry_get_tags (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return (const char * const *) self->tags;
}

/**
 * offline_entry_get_manifest_url:
 * @self: a #OfflineEntry
 *
 * Gets the URL of the DASH or HLS manifest the entry was downloaded from.
 *
 * Returns: the URL of the DASH or HLS manifest the entry was downloaded from
 */
const char *
offline_entry_get_manifest_url (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->manifest_url;
}

/**
 * offline_entry_get_duration:
 * @self: a #OfflineEntry
 *
 * Gets the duration of the presentation in microseconds, or 0 if unknown.
 *
 * Returns: the duration of the presentation in microseconds, or 0 if
 *   unknown
 */
GTimeSpan
offline_entry_get_duration (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), 0);
  return self->duration;
}

/**
 * offline_entry_get_state:
 * @self: a #OfflineEntry
 *
 * Gets the state of the download.
 *
 * Returns: the state of the download
 */
OfflineDownloadState
offline_entry_get_state (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), OFFLINE_DOWNLOAD_STATE_FAILED);
  return self->state;
}

/**
 * offline_entry_get_bytes_downloaded:
 * @self: a #OfflineEntry
 *
 * Gets the bytes of the segments stored so far.
 *
 * Returns: the bytes of the segments stored so far
 */
guint64
offline_entry_get_bytes_downloaded (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), 0);
  return self->bytes_downloaded;
}

/**
 * offline_entry_get_bytes_expected:
 * @self: a #OfflineEntry
 *
 * Gets the bytes the entry will take once complete: an estimate until every
 * segment is stored, then the exact size.
 *
 * Returns: the bytes the entry will take once complete: an estimate until
 *   every segment is stored, then the exact size
 */
guint64
offline_entry_get_bytes_expected (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), 0);
  return self->bytes_expected;
}

/**
 * offline_entry_get_segments_done:
 * @self: a #OfflineEntry
 *
 * Gets how many of the entry's files (segments and keys) are stored.
 *
 * Returns: how many of the entry's files (segments and keys) are stored
 */
guint
offline_entry_get_segments_done (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), 0);
  return self->segments_done;
}

/**
 * offline_entry_get_segments_total:
 * @self: a #OfflineEntry
 *
 * Gets how many files (initialisation and media segments, keys) the entry
 * stores once complete.
 *
 * Returns: how many files (initialisation and media segments, keys) the
 *   entry stores once complete
 */
guint
offline_entry_get_segments_total (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), 0);
  return self->segments_total;
}

/**
 * offline_entry_get_created:
 * @self: a #OfflineEntry
 *
 * Gets when the download was requested, in UTC.
 *
 * Returns: (transfer none): when the download was requested, in UTC
 */
GDateTime *
offline_entry_get_created (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->created;
}

/**
 * offline_entry_get_updated:
 * @self: a #OfflineEntry
 *
 * Gets when the entry last changed (state or progress), in UTC.
 *
 * Returns: (transfer none): when the entry last changed (state or
 *   progress), in UTC
 */
GDateTime *
offline_entry_get_updated (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->updated;
}

/**
 * offline_entry_get_license_expiration:
 * @self: a #OfflineEntry
 *
 * Gets when the licence of protected content expires, in seconds since the
 * Unix epoch, or 0 for none (clear content).
 *
 * Returns: when the licence of protected content expires, in seconds since
 *   the Unix epoch, or 0 for none (clear content)
 */
gint64
offline_entry_get_license_expiration (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), 0);
  return self->license_expiration;
}

/**
 * offline_entry_get_is_protected:
 * @self: a #OfflineEntry
 *
 * Tells whether the entry is protected content stored with its (Clear Key)
 * licence.
 *
 * Returns: %TRUE if the entry is protected content stored with its
 *   (Clear Key) licence; see offline_entry_get_license_expiration() and
 *   offline_manager_renew_license_async()
 */
gboolean
offline_entry_get_is_protected (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), FALSE);
  return self->is_protected;
}

/**
 * offline_entry_get_failure_message:
 * @self: a #OfflineEntry
 *
 * Gets why the download failed or paused on an error, or %NULL.
 *
 * Returns: (nullable): why the download failed or paused on an error, or
 *   %NULL
 */
const char *
offline_entry_get_failure_message (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->failure_message;
}

/**
 * offline_entry_get_tracks:
 * @self: a #OfflineEntry
 *
 * The tracks the entry stores: video, audio, then text, as selected by the
 * download options. They describe the tracks only; they have no segments.
 *
 * Returns: (transfer none) (element-type OfflineTrack): the stored tracks
 */
GPtrArray *
offline_entry_get_tracks (OfflineEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);
  return self->tracks;
}

static void
add_date_time (JsonBuilder *builder,
               const char  *name,
               GDateTime   *date_time)
{
  g_autofree char *text = date_time != NULL ? g_date_time_format_iso8601 (date_time) : NULL;

  offline_json_add_string (builder, name, text);
}

static void
add_track (JsonBuilder  *builder,
           OfflineTrack *track)
{
  json_builder_begin_object (builder);
  offline_json_add_enum_nick (builder, "type", OFFLINE_TYPE_TRACK_TYPE, offline_track_get_track_type (track));
  offline_json_add_string (builder, "id", offline_track_get_id (track));
  offline_json_add_string (builder, "language", offline_track_get_language (track));
  offline_json_add_string (builder, "label", offline_track_get_label (track));
  offline_json_add_int (builder, "bandwidth", (gint64) MIN (offline_track_get_bandwidth (track), G_MAXINT64));
  offline_json_add_string (builder, "codecs", offline_track_get_codecs (track));
  offline_json_add_int (builder, "width", offline_track_get_width (track));
  offline_json_add_int (builder, "height", offline_track_get_height (track));
  offline_json_add_string (builder, "mime_type", offline_track_get_mime_type (track));
  json_builder_end_object (builder);
}

/**
 * offline_entry_to_json:
 * @self: a #OfflineEntry
 *
 * Serialises the entry as a pretty-printed JSON object with the members
 * `id`, `name`, `description`, `tags` (an array of strings), `poster_url`,
 * `poster_path` (the stored image, or null), `manifest_url`, `state` (the
 * nick of the #OfflineDownloadState: `queued`, `downloading`, `paused`,
 * `completed` or `failed`), `bytes_downloaded`, `bytes_expected`,
 * `segments_done`, `segments_total`, `duration` (seconds, a number),
 * `created` and `updated` (ISO 8601, UTC), `protected` (a boolean: see
 * offline_entry_get_is_protected()), `license_expiration` (Unix seconds, 0
 * for none), `failure_message` (or null) and `tracks`: an array
 * of objects with `type` (`video`, `audio` or `text`), `id`, `language`,
 * `label`, `bandwidth`, `codecs`, `width`, `height` and `mime_type`.
 * Unknown strings are null.
 *
 * Returns: (transfer full): the JSON text
 */
char *
offline_entry_to_json (OfflineEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (OFFLINE_IS_ENTRY (self), NULL);

  json_builder_begin_object (builder);
  offline_json_add_string (builder, "id", self->id);
  offline_json_add_string (builder, "name", self->name);
  offline_json_add_string (builder, "description", self->description);
  offline_json_add_strv (builder, "tags", (const char * const *) self->tags);
  offline_json_add_string (builder, "poster_url", self->poster_url);
  offline_json_add_string (builder, "poster_path", self->poster_path);
  offline_json_add_string (builder, "manifest_url", self->manifest_url);
  offline_json_add_enum_nick (builder, "state", OFFLINE_TYPE_DOWNLOAD_STATE, self->state);
  offline_json_add_int (builder, "bytes_downloaded", (gint64) MIN (self->bytes_downloaded, G_MAXINT64));
  offline_json_add_int (builder, "bytes_expected", (gint64) MIN (self->bytes_expected, G_MAXINT64));
  offline_json_add_int (builder, "segments_done", self->segments_done);
  offline_json_add_int (builder, "segments_total", self->segments_total);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, (double) self->duration / G_USEC_PER_SEC);
  add_date_time (builder, "created", self->created);
  add_date_time (builder, "updated", self->updated);
  json_builder_set_member_name (builder, "protected");
  json_builder_add_boolean_value (builder, self->is_protected);
  offline_json_add_int (builder, "license_expiration", self->license_expiration);
  offline_json_add_string (builder, "failure_message", self->failure_message);
  json_builder_set_member_name (builder, "tracks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->tracks->len; i++)
    add_track (builder, g_ptr_array_index (self->tracks, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return offline_json_to_text (builder);
}
