/* offline-store-insert.c: recording a new entry, its tracks and resources
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-error.h"
#include "offline-json-private.h"
#include "offline-protection-private.h"
#include "offline-presentation-private.h"
#include "offline-segment-private.h"
#include "offline-store-db-private.h"
#include "offline-track-private.h"

/* An AES-128 key already recorded for the entry. */
typedef struct {
  gint64 row_id;
  GTimeSpan start;      /* the earliest start of a segment that needs it */
  GTimeSpan recorded;   /* the start written to its row */
} KeyRow;

typedef struct {
  OfflineStoreDb *db;
  gint64 entry;
  GHashTable *keys;     /* key URI → KeyRow */
  guint n_resources;
} Inserter;

static gboolean
insert_resource (Inserter                   *ins,
                 const OfflineStoreResource *resource,
                 gint64                     *row_id,
                 GError                    **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (ins->db,
      "INSERT INTO resources (entry, track_index, kind, sequence, uri,"
      " range_offset, range_length, start_us, duration_us, discontinuity,"
      " key_id, iv) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ins->entry);
  sqlite3_bind_int64 (stmt, 2, resource->track_index);
  sqlite3_bind_int (stmt, 3, resource->kind);
  sqlite3_bind_int64 (stmt, 4, resource->sequence);
  /* the segment outlives the step: no copy */
  sqlite3_bind_text (stmt, 5, resource->uri, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, resource->range_offset);
  sqlite3_bind_int64 (stmt, 7, resource->range_length);
  sqlite3_bind_int64 (stmt, 8, resource->start);
  sqlite3_bind_int64 (stmt, 9, resource->duration);
  sqlite3_bind_int (stmt, 10, resource->discontinuity);
  if (resource->key_id != 0)
    sqlite3_bind_int64 (stmt, 11, resource->key_id);
  else
    sqlite3_bind_null (stmt, 11);
  if (resource->iv != NULL) {
    gsize size;
    gconstpointer data = g_bytes_get_data (resource->iv, &size);

    sqlite3_bind_blob (stmt, 12, data, (int) size, SQLITE_STATIC);
  } else {
    sqlite3_bind_null (stmt, 12);
  }
  if (!offline_store_db_step_done (ins->db, stmt, "cannot record a resource", error))
    return FALSE;
  ins->n_resources++;
  if (row_id != NULL)
    *row_id = sqlite3_last_insert_rowid (ins->db->handle);
  return TRUE;
}

/* The row of the KEY resource of @key, recorded the first time it is seen
 * (with the track and start of its first segment). */
static gboolean
key_row_for (Inserter           *ins,
             OfflineProtection  *key,
             guint               track_index,
             GTimeSpan           start,
             gint64             *row_id,
             GError            **error)
{
  KeyRow *row = g_hash_table_lookup (ins->keys, key->key_uri);
  OfflineStoreResource resource = {
    .track_index = track_index,
    .kind = OFFLINE_STORE_RESOURCE_KEY,
    .uri = key->key_uri,
    .range_offset = -1,
    .range_length = -1,
    .start = start,
  };

  if (row != NULL) {
    row->start = MIN (row->start, start);
    *row_id = row->row_id;
    return TRUE;
  }
  row = g_new0 (KeyRow, 1);
  if (!insert_resource (ins, &resource, &row->row_id, error)) {
    g_free (row);
    return FALSE;
  }
  row->start = row->recorded = start;
  g_hash_table_insert (ins->keys, key->key_uri, row);
  *row_id = row->row_id;
  return TRUE;
}

/* A key shared by several tracks sorts before the earliest segment that
 * needs it. */
static gboolean
update_key_starts (Inserter  *ins,
                   GError   **error)
{
  GHashTableIter iter;
  KeyRow *row;

  g_hash_table_iter_init (&iter, ins->keys);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row)) {
    g_autoptr(OfflineStoreStmt) stmt = NULL;

    if (row->start == row->recorded)
      continue;
    stmt = offline_store_db_prepare (ins->db,
                                     "UPDATE resources SET start_us = ?2 WHERE row_id = ?1",
                                     error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, row->row_id);
    sqlite3_bind_int64 (stmt, 2, row->start);
    if (!offline_store_db_step_done (ins->db, stmt, "cannot record a key", error))
      return FALSE;
  }
  return TRUE;
}

static void
resource_from_segment (OfflineStoreResource *resource,
                       OfflineSegment       *segment)
{
  resource->uri = segment->uri;
  resource->range_offset = segment->range_offset;
  resource->range_length = segment->range_length;
  resource->start = segment->start;
  resource->duration = segment->duration;
  resource->discontinuity = segment->discontinuity;
}

/* An INIT resource for @init, sorted with @first (the first media segment
 * that needs it), before it. */
static gboolean
insert_init (Inserter        *ins,
             OfflineSegment  *init,
             OfflineSegment  *first,
             guint            track_index,
             guint            sequence,
             GError         **error)
{
  OfflineStoreResource resource = {
    .track_index = track_index,
    .kind = OFFLINE_STORE_RESOURCE_INIT,
    .sequence = sequence,
  };

  resource_from_segment (&resource, init);
  resource.start = first != NULL ? first->start : 0;
  resource.duration = 0;
  resource.discontinuity = FALSE;
  return insert_resource (ins, &resource, NULL, error);
}

/* The resources of @track in the order they are read back: every init
 * segment comes right before the first media segment that needs it (an HLS
 * EXT-X-MAP may change part-way), so sequence numbers count both. */
static gboolean
insert_track_resources (Inserter      *ins,
                        OfflineTrack  *track,
                        guint          track_index,
                        GError       **error)
{
  OfflineSegment *current_init = track->init_segment;
  guint sequence = 1;

  if (track->init_segment != NULL &&
      !insert_init (ins, track->init_segment,
                    track->segments->len > 0 ? g_ptr_array_index (track->segments, 0) : NULL,
                    track_index, 0, error))
    return FALSE;

  for (guint i = 0; i < track->segments->len; i++) {
    OfflineSegment *segment = g_ptr_array_index (track->segments, i);
    OfflineStoreResource resource = {
      .track_index = track_index,
      .kind = OFFLINE_STORE_RESOURCE_MEDIA,
    };
    OfflineProtection *key = segment->key;

    if (segment->init != NULL && segment->init != current_init) {
      current_init = segment->init;
      if (!insert_init (ins, current_init, segment, track_index, sequence++, error))
        return FALSE;
    }
    resource.sequence = sequence++;
    resource_from_segment (&resource, segment);
    if (key != NULL && key->key_uri != NULL && g_strcmp0 (key->method, "AES-128") == 0) {
      if (!key_row_for (ins, key, track_index, segment->start, &resource.key_id, error))
        return FALSE;
      resource.iv = key->iv;
    }
    if (!insert_resource (ins, &resource, NULL, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
insert_track (Inserter      *ins,
              OfflineTrack  *track,
              guint          track_index,
              GError       **error)
{
  g_autoptr(OfflineStoreStmt) stmt = NULL;

  if (offline_track_needs_playlist (track)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_FAILED,
                 "The media playlist of track “%s” is not loaded", track->id);
    return FALSE;
  }

  stmt = offline_store_db_prepare (ins->db,
      "INSERT INTO tracks (entry, track_index, type, track_id, language, label,"
      " bandwidth, width, height, frame_rate, codecs, mime_type, muxed_audio)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ins->entry);
  sqlite3_bind_int64 (stmt, 2, track_index);
  sqlite3_bind_int (stmt, 3, track->type);
  offline_store_db_bind_text (stmt, 4, track->id != NULL ? track->id : "");
  offline_store_db_bind_text (stmt, 5, track->language);
  offline_store_db_bind_text (stmt, 6, track->label);
  sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) MIN (track->bandwidth, G_MAXINT64));
  sqlite3_bind_int64 (stmt, 8, track->width);
  sqlite3_bind_int64 (stmt, 9, track->height);
  sqlite3_bind_double (stmt, 10, track->frame_rate);
  offline_store_db_bind_text (stmt, 11, track->codecs);
  offline_store_db_bind_text (stmt, 12, track->mime_type);
  sqlite3_bind_int (stmt, 13, track->muxed_audio);
  if (!offline_store_db_step_done (ins->db, stmt, "cannot record a track", error))
    return FALSE;

  return insert_track_resources (ins, track, track_index, error);
}

static gboolean
check_new_id (OfflineStoreDb  *db,
              const char      *id,
              GError         **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (db,
      "SELECT 1 FROM entries WHERE id = ?1", error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  offline_store_db_bind_text (stmt, 1, id);
  if (!offline_store_db_step (db, stmt, &has_row, "cannot look up an entry", error))
    return FALSE;
  if (has_row) {
    g_autofree char *quoted = offline_store_quote_id (id);

    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ALREADY_EXISTS,
                 "Entry %s is already stored", quoted);
    return FALSE;
  }
  return TRUE;
}

static gint64
insert_entry_row (OfflineStoreDb          *db,
                  OfflineMediaInfo        *info,
                  OfflineTrackSelection   *selection,
                  OfflineDownloadOptions  *options,
                  GError                 **error)
{
  OfflinePresentation *presentation = offline_track_selection_get_presentation (selection);
  g_autoptr(OfflineStoreStmt) stmt = NULL;
  g_autofree char *tags = NULL;
  const char *manifest_url = offline_media_info_get_manifest_url (info);
  OfflineManifestFormat format = presentation->format;
  GTimeSpan duration = presentation->duration;
  guint64 expected = offline_track_selection_get_estimated_size (selection);
  gint64 now = g_get_real_time ();

  if (format == OFFLINE_MANIFEST_FORMAT_UNKNOWN)
    format = offline_media_info_get_format (info);
  if (duration <= 0)
    duration = offline_media_info_get_duration (info);
  if (manifest_url == NULL)
    manifest_url = presentation->uri != NULL ? presentation->uri : "";

  stmt = offline_store_db_prepare (db,
      "INSERT INTO entries (id, name, description, poster_url, manifest_url,"
      " format, duration_us, state, bytes_expected, created_us, updated_us,"
      " option_language, option_bitrate, tags)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13)",
      error);
  if (stmt == NULL)
    return 0;
  offline_store_db_bind_text (stmt, 1, offline_media_info_get_entry_id (info));
  offline_store_db_bind_text (stmt, 2, offline_media_info_get_name (info));
  offline_store_db_bind_text (stmt, 3, offline_media_info_get_description (info));
  offline_store_db_bind_text (stmt, 4, offline_media_info_get_poster_url (info));
  offline_store_db_bind_text (stmt, 5, manifest_url);
  sqlite3_bind_int (stmt, 6, format);
  sqlite3_bind_int64 (stmt, 7, MAX (duration, 0));
  sqlite3_bind_int (stmt, 8, OFFLINE_DOWNLOAD_STATE_QUEUED);
  sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) MIN (expected, G_MAXINT64));
  sqlite3_bind_int64 (stmt, 10, now);
  if (options != NULL) {
    offline_store_db_bind_text (stmt, 11, offline_download_options_get_language (options));
    sqlite3_bind_int64 (stmt, 12, (sqlite3_int64) MIN (offline_download_options_get_bitrate (options),
                                                       G_MAXINT64));
  } else {
    sqlite3_bind_null (stmt, 11);
    sqlite3_bind_int64 (stmt, 12, 0);
  }
  tags = offline_json_strv_to_text (offline_media_info_get_tags (info));
  offline_store_db_bind_text (stmt, 13, tags);
  if (!offline_store_db_step_done (db, stmt, "cannot record the entry", error))
    return 0;
  return sqlite3_last_insert_rowid (db->handle);
}

static gboolean
set_segments_total (Inserter  *ins,
                    GError   **error)
{
  g_autoptr(OfflineStoreStmt) stmt = offline_store_db_prepare (ins->db,
      "UPDATE entries SET segments_total = ?2 WHERE row_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ins->entry);
  sqlite3_bind_int64 (stmt, 2, ins->n_resources);
  return offline_store_db_step_done (ins->db, stmt, "cannot record the entry", error);
}

gint64
offline_store_db_insert_entry (OfflineStoreDb          *db,
                               OfflineMediaInfo        *info,
                               OfflineTrackSelection   *selection,
                               OfflineDownloadOptions  *options,
                               GError                 **error)
{
  GPtrArray *tracks = offline_track_selection_get_tracks (selection);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  Inserter ins = { .db = db, .keys = keys };

  if (!check_new_id (db, offline_media_info_get_entry_id (info), error))
    return 0;
  ins.entry = insert_entry_row (db, info, selection, options, error);
  if (ins.entry == 0)
    return 0;
  for (guint i = 0; i < tracks->len; i++) {
    if (!insert_track (&ins, g_ptr_array_index (tracks, i), i, error))
      return 0;
  }
  if (!update_key_starts (&ins, error) || !set_segments_total (&ins, error))
    return 0;
  return ins.entry;
}
