/* gstofflinesrc-open.c: offlinesrc opens an entry: its tracks' readers,
 * sources and demuxers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Everything here runs on the state-change thread (READY to PAUSED),
 * before anything streams; it reads the store once, through the
 * library's store reader (offline-stored-entry.h), and the track readers
 * take what they need from it (gstofflinepartreader.h).
 */
#include "gstofflinesrc-private.h"

#include "gstofflinesrcpad.h"
#include "offline-error.h"
#include "offline-stored-entry.h"

/* The demuxer for stored data of @caps, NULL if it needs none (WebVTT
 * goes to subparse downstream, like a subtitle file). */
static GstElement *
make_demuxer (GstCaps  *caps,
              GError  **error)
{
  const char *media_type = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  const char *factory;
  GstElement *demuxer;

  if (g_str_equal (media_type, "video/quicktime") || g_str_equal (media_type, "audio/x-m4a") ||
      g_str_equal (media_type, "application/x-3gp"))
    factory = "qtdemux";
  else if (g_str_equal (media_type, "video/mpegts"))
    factory = "tsdemux";
  else
    return NULL;
  demuxer = gst_element_factory_make (factory, NULL);
  if (demuxer == NULL)
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                 "The GStreamer element %s, needed to play %s, is missing", factory, media_type);
  return demuxer;
}

/* The track sources' hooks (GstOfflineTrackSrcHooks), their user_data
 * being the element. */
static void
track_error (GstOfflineTrackSrc *source,
             const GError       *error,
             gpointer            user_data)
{
  gst_offline_src_post_error (GST_ELEMENT (source), error);
}

static const GstOfflineTrackSrcHooks track_hooks = {
  .error = track_error,
  /* the playbin3 1.22 workaround (gstofflinesrc-startup.c) */
  .before_first_data = gst_offline_src_startup_wait,
  .flushed_downstream = gst_offline_src_startup_flushed,
  /* an entry still downloading (gstofflinesrc-follow.c) */
  .wait_for_parts = gst_offline_src_follow_wait,
};

static void
chain_free (gpointer data)
{
  GstOfflineSrcChain *chain = data;

  g_clear_object (&chain->track);
  g_clear_object (&chain->reader);
  gst_clear_object (&chain->source);
  gst_clear_object (&chain->demuxer);
  g_ptr_array_unref (chain->queues);
  g_free (chain);
}

/* The entry's chains (element-type GstOfflineSrcChain, elements not yet
 * added) and their streams' pads in *@pads (element-type
 * GstOfflineSrcPad, not yet linked); sets *@entry, *@duration and
 * *@playable_end (the shortest track's stored end for a partial entry,
 * else NONE). */
GPtrArray *
gst_offline_src_open_entry (GstOfflineSrc  *self,
            OfflineEntry  **entry_out,
            GstContext    **keys_context,
            GPtrArray     **pads_out,
            GstClockTime   *duration,
            GstClockTime   *playable_end,
            gboolean       *follow,
            char          **file_path,
            GError        **error)
{
  g_autofree char *id = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *uri_hash = NULL;
  g_autoptr(OfflineStoredEntry) stored = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GPtrArray) chains = g_ptr_array_new_with_free_func (chain_free);
  g_autoptr(GPtrArray) pads = g_ptr_array_new_with_free_func (gst_object_unref);
  g_autoptr(GstStreamCollection) collection = NULL;
  GPtrArray *tracks;
  OfflineDownloadState state;
  guint group_id = gst_util_group_id_next ();
  gboolean complete = TRUE;
  GstClockTime shortest = GST_CLOCK_TIME_NONE;
  g_autoptr(GstEvent) protection = NULL;

  GST_OBJECT_LOCK (self);
  id = g_strdup (self->entry_id);
  store_path = g_strdup (self->store_path);
  GST_OBJECT_UNLOCK (self);

  if (id == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND, "No entry-id was set");
    return NULL;
  }
  stored = offline_stored_entry_open (store_path, id, error);
  if (stored == NULL)
    return NULL;
  entry = g_object_ref (offline_stored_entry_get_entry (stored));
  state = offline_entry_get_state (entry);
  if (state == OFFLINE_DOWNLOAD_STATE_FAILED) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "Entry %s is not downloaded (its download failed)", offline_entry_get_id (entry));
    return NULL;
  }
  /* queued, downloading, waiting: it plays as it downloads */
  *follow = state != OFFLINE_DOWNLOAD_STATE_COMPLETED && state != OFFLINE_DOWNLOAD_STATE_PAUSED;

  if (!gst_offline_src_check_license (entry, error))
    return NULL;

  *file_path = NULL;
  *keys_context = NULL;
  if (offline_entry_get_is_protected (entry))
    protection = gst_offline_src_protection_event_new (offline_stored_entry_get_license_keys (stored));
  if (offline_stored_entry_get_format (stored) == OFFLINE_MANIFEST_FORMAT_PROGRESSIVE) {
    /* the file goes downstream as it is (gstofflinesrc-file.c) */
    *file_path = gst_offline_src_file_find (stored, error);
    if (*file_path == NULL)
      return NULL;
    *duration = GST_CLOCK_TIME_NONE;
    *playable_end = GST_CLOCK_TIME_NONE;
    *entry_out = g_steal_pointer (&entry);
    *pads_out = g_steal_pointer (&pads);
    return g_steal_pointer (&chains);
  }

  uri_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, id, -1);
  collection = gst_stream_collection_new (uri_hash);
  tracks = offline_entry_get_tracks (entry);
  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);
    g_autoptr(GstOfflinePartReader) reader = NULL;
    g_autoptr(GstCaps) caps = NULL;
    g_autofree char *name = g_strdup_printf ("track%u", i);
    g_autofree char *stream_id = g_strdup_printf ("%s/%u/stored", uri_hash, i);
    GstOfflineSrcChain *chain;
    GstClockTime end;

    reader = gst_offline_part_reader_new (stored, i, *follow, error);
    if (reader == NULL)
      return NULL;
    caps = gst_offline_part_reader_get_caps (reader, error);
    if (caps == NULL)
      return NULL;
    end = gst_offline_part_reader_get_end (reader);
    if (!GST_CLOCK_TIME_IS_VALID (shortest) || end < shortest)
      shortest = end;
    complete &= gst_offline_part_reader_is_complete (reader);

    chain = g_new0 (GstOfflineSrcChain, 1);
    g_ptr_array_add (chains, chain);
    chain->track = g_object_ref (track);
    chain->reader = g_object_ref (reader);
    chain->queues = g_ptr_array_new_with_free_func (gst_object_unref);
    chain->demuxer = make_demuxer (caps, error);
    if (chain->demuxer == NULL && error != NULL && *error != NULL)
      return NULL;
    if (chain->demuxer != NULL)
      gst_object_ref_sink (chain->demuxer);
    /* tsdemux keeps its first output segment until a flush */
    chain->rebase_on_flush = chain->demuxer != NULL &&
      g_str_equal (GST_OBJECT_NAME (gst_element_get_factory (chain->demuxer)), "tsdemux");
    chain->source = gst_object_ref_sink (gst_offline_track_src_new (
        name, g_steal_pointer (&reader), caps, stream_id, group_id,
        offline_track_get_track_type (track) == OFFLINE_TRACK_TYPE_TEXT));
    gst_offline_track_src_set_hooks (chain->source, &track_hooks, self);
    if (protection != NULL)
      gst_offline_track_src_set_protection (chain->source, protection);
    gst_offline_src_add_stream_pads (self, track, i, uri_hash, collection, group_id, pads);
  }
  if (chains->len == 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "Entry %s has no stored track", offline_entry_get_id (entry));
    return NULL;
  }

  /* still downloading: the whole entry will be there */
  complete |= *follow;
  *duration = complete && offline_entry_get_duration (entry) > 0 ?
    (GstClockTime) offline_entry_get_duration (entry) * GST_USECOND : shortest;
  *playable_end = complete ? GST_CLOCK_TIME_NONE : shortest;
  if (protection != NULL)
    *keys_context = gst_offline_src_keys_context_new (offline_stored_entry_get_license_keys (stored));
  *entry_out = g_steal_pointer (&entry);
  *pads_out = g_steal_pointer (&pads);
  return g_steal_pointer (&chains);
}
