/* gstofflinesrc.c: offlinesrc, plays an entry of an offlinemgr store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-offlinesrc
 * @title: offlinesrc
 *
 * Plays an entry that OfflineManager stored, with no network: one
 * sometimes src pad per stored track (video, audio, text) carrying the
 * track's stored data (fragmented MP4 as `video/quicktime`, MPEG-TS as
 * `video/mpegts`, WebVTT as `application/x-subtitle-vtt`), all in one
 * stream group, then `no-more-pads`. Downstream demuxers get TIME segments
 * and buffers timestamped with each stored segment's start time, so
 * TIME seeks are answered from the stored segment index.
 *
 * It handles `offline://ENTRY-ID` URIs (the id percent-encoded), so
 * playbin, playbin3 and uridecodebin use it:
 * |[
 * gst-launch-1.0 playbin uri=offline://my-entry video-sink=fakesink audio-sink=fakesink
 * OFFLINEMGR_STORE=/path/to/store gst-launch-1.0 offlinesrc entry-id=my-entry ! qtdemux ! fakesink
 * ]|
 *
 * Detecting an offline source. Applications can tell that they play an
 * offline entry from the source's #GstOfflineSrc:is-offline and
 * #GstOfflineSrc:entry-id properties, e.g. in playbin's
 * #GstPlayBin::source-setup signal (see examples/detect-offline-source.py).
 * Elements downstream of it (decoders, sinks, …) can ask, with the same
 * two fields, `is-offline` (boolean, TRUE) and `entry-id` (string):
 *
 * - a custom query, answered by every src pad and forwarded upstream by
 *   the demuxers, decoders and queues in between:
 * |[<!-- language="C" -->
 * GstQuery *query = gst_query_new_custom (GST_QUERY_CUSTOM,
 *     gst_structure_new_empty ("offline-source"));
 * if (gst_pad_peer_query (sinkpad, query)) {
 *   const GstStructure *s = gst_query_get_structure (query);
 *   gboolean is_offline = FALSE;
 *   gst_structure_get_boolean (s, "is-offline", &is_offline);
 *   … gst_structure_get_string (s, "entry-id") …
 * }
 * gst_query_unref (query);
 * ]|
 * - a #GstContext of type `offlinemgr.source` (persistent), with the
 *   fields in its structure: its src pads answer a CONTEXT query for that
 *   type, what an element that needs a context asks its peers first
 *   (gst_pad_peer_query() with gst_query_new_context()). It is not yet
 *   posted in a HAVE_CONTEXT message (FIXME in start()).
 *
 * Errors: an entry that cannot be played posts an ERROR message (a
 * GST_RESOURCE_ERROR) whose details structure has the fields
 * `offline-error-domain` (string, "offline-error-quark") and
 * `offline-error-code` (int, an #OfflineError): OFFLINE_ERROR_NOT_FOUND
 * for an unknown entry, OFFLINE_ERROR_STORE for a missing or unreadable
 * store, OFFLINE_ERROR_ENTRY_INCOMPLETE for an entry that is queued,
 * downloading or failed (or has no stored media for a track),
 * OFFLINE_ERROR_ENTRY_DAMAGED for stored files that are missing or
 * truncated, OFFLINE_ERROR_NOT_SUPPORTED for AES-128 encrypted entries.
 *
 * A PAUSED (partly downloaded) entry plays the contiguous stored prefix
 * of each track up to the shortest track's stored end (the playable end):
 * that is its reported duration, every pad's TIME segment has it as its
 * `stop` (a seek's stop is clamped to it), and no stored segment starting
 * at or after it is pushed, so all tracks end together at the duration.
 *
 * Seeking: flushing TIME seeks (rate > 0, with or without KEY_UNIT) are
 * handled once per seqnum however many pads they arrive on; with
 * KEY_UNIT the position snaps to the start of the stored video segment
 * containing it (segments start with a key frame). Non-flushing and
 * segment seeks are refused for now.
 */
#include "gstofflinesrc-private.h"

#include "gstofflinesrc-detect.h"
#include "gstofflinesrcpad.h"
#include "offline-error.h"
#include "offline-store-private.h"

GST_DEBUG_CATEGORY (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug


enum {
  PROP_0,
  PROP_ENTRY_ID,
  PROP_STORE_PATH,
  PROP_IS_OFFLINE,
  PROP_IS_LIVE,
  PROP_ENTRY,
};

static GstStaticPadTemplate video_template = GST_STATIC_PAD_TEMPLATE ("video_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate audio_template = GST_STATIC_PAD_TEMPLATE ("audio_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate text_template = GST_STATIC_PAD_TEMPLATE ("text_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS_ANY);

static void gst_offline_src_uri_handler_init (gpointer g_iface,
                                              gpointer iface_data);

G_DEFINE_FINAL_TYPE_WITH_CODE (GstOfflineSrc, gst_offline_src, GST_TYPE_BIN,
    G_IMPLEMENT_INTERFACE (GST_TYPE_URI_HANDLER, gst_offline_src_uri_handler_init)
    GST_DEBUG_CATEGORY_INIT (gst_offline_src_debug, "offlinesrc", 0, "offline entry source"));

GST_ELEMENT_REGISTER_DEFINE (offlinesrc, "offlinesrc", GST_RANK_PRIMARY, GST_TYPE_OFFLINE_SRC);

void
gst_offline_src_post_error (GstElement   *element,
                            const GError *error)
{
  GstResourceError code;

  switch (error->domain == OFFLINE_ERROR ? error->code : OFFLINE_ERROR_FAILED) {
  case OFFLINE_ERROR_NOT_FOUND:
    code = GST_RESOURCE_ERROR_NOT_FOUND;
    break;
  case OFFLINE_ERROR_ENTRY_DAMAGED:
    code = GST_RESOURCE_ERROR_READ;
    break;
  case OFFLINE_ERROR_NOT_SUPPORTED:
    code = GST_RESOURCE_ERROR_SETTINGS;
    break;
  default:
    code = GST_RESOURCE_ERROR_OPEN_READ;
    break;
  }
  gint offline_code = error->domain == OFFLINE_ERROR ? error->code : OFFLINE_ERROR_FAILED;
  GstStructure *details = gst_structure_new ("details",
      "offline-error-domain", G_TYPE_STRING, g_quark_to_string (OFFLINE_ERROR),
      "offline-error-code", G_TYPE_INT, offline_code,
      NULL);

  gst_element_message_full_with_details (element, GST_MESSAGE_ERROR, GST_RESOURCE_ERROR, code,
                                         g_strdup (error->message),
                                         g_strdup_printf ("%s error %d",
                                                          g_quark_to_string (error->domain),
                                                          error->code),
                                         __FILE__, GST_FUNCTION, __LINE__, details);
}

/* ---- URI handler ---- */

static GstURIType
uri_get_type (GType type)
{
  return GST_URI_SRC;
}

static const gchar *const *
uri_get_protocols (GType type)
{
  static const gchar *const protocols[] = { "offline", NULL };

  return protocols;
}

static gchar *
uri_get_uri (GstURIHandler *handler)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (handler);
  g_autofree char *escaped = NULL;

  GST_OBJECT_LOCK (self);
  if (self->entry_id != NULL)
    escaped = g_uri_escape_string (self->entry_id, NULL, FALSE);
  GST_OBJECT_UNLOCK (self);
  return escaped != NULL ? g_strconcat ("offline://", escaped, NULL) : NULL;
}

static gboolean
uri_set_uri (GstURIHandler  *handler,
             const gchar    *uri,
             GError        **error)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (handler);
  g_autofree char *id = NULL;

  if (GST_STATE (self) != GST_STATE_NULL && GST_STATE (self) != GST_STATE_READY) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_STATE,
                 "The URI can only be changed in the NULL or READY state");
    return FALSE;
  }
  if (g_ascii_strncasecmp (uri, "offline://", strlen ("offline://")) == 0)
    id = g_uri_unescape_string (uri + strlen ("offline://"), NULL);
  if (id == NULL || *id == '\0') {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                 "Not an offline://ENTRY-ID URI: %s", uri);
    return FALSE;
  }
  g_object_set (self, "entry-id", id, NULL);
  return TRUE;
}

static void
gst_offline_src_uri_handler_init (gpointer g_iface,
                                  gpointer iface_data)
{
  GstURIHandlerInterface *iface = g_iface;

  iface->get_type = uri_get_type;
  iface->get_protocols = uri_get_protocols;
  iface->get_uri = uri_get_uri;
  iface->set_uri = uri_set_uri;
}

/* ---- queries and events ---- */

static GstClockTime
get_duration (GstOfflineSrc *self)
{
  GstClockTime duration;

  g_mutex_lock (&self->lock);
  duration = self->duration;
  g_mutex_unlock (&self->lock);
  return duration;
}

/* Answers what offlinesrc knows better than the demuxers; FALSE (with
 * *@handled unset) for the other queries. */
static gboolean
answer_query (GstOfflineSrc *self,
              GstQuery      *query,
              gboolean      *handled)
{
  GstFormat format;

  *handled = TRUE;
  switch (GST_QUERY_TYPE (query)) {
  case GST_QUERY_CUSTOM:
  case GST_QUERY_CONTEXT: {
    g_autofree char *id = NULL;

    GST_OBJECT_LOCK (self);
    id = g_strdup (self->entry_id);
    GST_OBJECT_UNLOCK (self);
    if (gst_offline_src_detect_answer (query, id))
      return TRUE;
    break;
  }
  case GST_QUERY_DURATION:
    gst_query_parse_duration (query, &format, NULL);
    if (format != GST_FORMAT_TIME || !GST_CLOCK_TIME_IS_VALID (get_duration (self)))
      return FALSE;
    gst_query_set_duration (query, GST_FORMAT_TIME, get_duration (self));
    return TRUE;
  case GST_QUERY_SEEKING:
    gst_query_parse_seeking (query, &format, NULL, NULL, NULL);
    if (format != GST_FORMAT_TIME)
      return FALSE;
    gst_query_set_seeking (query, GST_FORMAT_TIME, TRUE, 0, get_duration (self));
    return TRUE;
  default:
    break;
  }
  *handled = FALSE;
  return FALSE;
}

/* The queries and events on offlinesrc's own pads. */
static gboolean
src_query (GstPad    *pad,
           GstObject *parent,
           GstQuery  *query)
{
  gboolean handled;
  gboolean answer = answer_query (GST_OFFLINE_SRC (parent), query, &handled);

  return handled ? answer : gst_offline_src_pad_forward_query (GST_OFFLINE_SRC_PAD (pad), query);
}

static gboolean
src_event (GstPad    *pad,
           GstObject *parent,
           GstEvent  *event)
{
  gboolean handled;

  if (GST_EVENT_TYPE (event) != GST_EVENT_SEEK)
    return gst_offline_src_pad_forward_event (GST_OFFLINE_SRC_PAD (pad), event);
  handled = gst_offline_src_seek (GST_OFFLINE_SRC (parent), event);
  gst_event_unref (event);
  return handled;
}

/* The queries and events that the demuxers send to the track sources
 * (@parent): the same answers, and seeks that a demuxer forwards. */
static gboolean
track_query (GstPad    *pad,
             GstObject *parent,
             GstQuery  *query)
{
  g_autoptr(GstObject) self = gst_object_get_parent (parent);
  gboolean handled;
  gboolean answer;

  if (GST_QUERY_TYPE (query) == GST_QUERY_SCHEDULING) {
    gst_query_set_scheduling (query, GST_SCHEDULING_FLAG_SEQUENTIAL, 1, -1, 0);
    gst_query_add_scheduling_mode (query, GST_PAD_MODE_PUSH);
    return TRUE;
  }
  if (self == NULL)
    return gst_pad_query_default (pad, parent, query);
  answer = answer_query (GST_OFFLINE_SRC (self), query, &handled);
  return handled ? answer : gst_pad_query_default (pad, parent, query);
}

static gboolean
track_event (GstPad    *pad,
             GstObject *parent,
             GstEvent  *event)
{
  g_autoptr(GstObject) self = gst_object_get_parent (parent);
  gboolean handled;

  if (GST_EVENT_TYPE (event) != GST_EVENT_SEEK || self == NULL)
    return gst_pad_event_default (pad, parent, event);
  handled = gst_offline_src_seek (GST_OFFLINE_SRC (self), event);
  gst_event_unref (event);
  return handled;
}

/* ---- opening ---- */

static GstStaticPadTemplate *
template_for (GstStreamType type)
{
  switch (type) {
  case GST_STREAM_TYPE_VIDEO:
    return &video_template;
  case GST_STREAM_TYPE_AUDIO:
    return &audio_template;
  default:
    return &text_template;
  }
}

static GstTagList *
stream_tags (OfflineTrack *track)
{
  GstTagList *tags = gst_tag_list_new_empty ();
  const char *language = offline_track_get_language (track);
  const char *label = offline_track_get_label (track);
  guint64 bandwidth = offline_track_get_bandwidth (track);

  gst_tag_list_set_scope (tags, GST_TAG_SCOPE_STREAM);
  if (language != NULL && *language != '\0')
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_LANGUAGE_CODE, language, NULL);
  if (label != NULL && *label != '\0')
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_TITLE, label, NULL);
  if (bandwidth > 0 && bandwidth <= G_MAXUINT)
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_BITRATE, (guint) bandwidth, NULL);
  return tags;
}

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

static void
chain_free (gpointer data)
{
  GstOfflineSrcChain *chain = data;

  g_clear_object (&chain->track);
  gst_clear_object (&chain->source);
  gst_clear_object (&chain->demuxer);
  g_ptr_array_unref (chain->queues);
  g_free (chain);
}

static void expose_pad (GstOfflineSrcPad *pad,
                        gpointer          user_data);
static void stream_gone (GstOfflineSrcPad *pad,
                         gpointer          user_data);
static void stream_ending (GstOfflineSrcPad *pad,
                           gboolean          done,
                           gpointer          user_data);
static gboolean wait_for_others (GstOfflineSrcPad *pad,
                                 gpointer          user_data);

static const GstOfflineSrcPadHooks pad_hooks = {
  expose_pad, stream_gone, stream_ending, wait_for_others,
};

/* Adds to @pads the pads of the streams of @track (track @index of the
 * entry): one, or two for video with muxed audio. */
static void
add_stream_pads (GstOfflineSrc       *self,
                 OfflineTrack        *track,
                 guint                index,
                 const char          *uri_hash,
                 GstStreamCollection *collection,
                 guint                group_id,
                 GPtrArray           *pads)
{
  OfflineTrackType track_type = offline_track_get_track_type (track);
  GstStreamType types[2];
  guint n_types = 1;

  types[0] = track_type == OFFLINE_TRACK_TYPE_VIDEO ? GST_STREAM_TYPE_VIDEO :
    track_type == OFFLINE_TRACK_TYPE_AUDIO ? GST_STREAM_TYPE_AUDIO : GST_STREAM_TYPE_TEXT;
  if (track_type == OFFLINE_TRACK_TYPE_VIDEO && offline_track_get_muxed_audio (track))
    types[n_types++] = GST_STREAM_TYPE_AUDIO;

  for (guint t = 0; t < n_types; t++) {
    g_autoptr(GstPadTemplate) templ = gst_static_pad_template_get (template_for (types[t]));
    g_autoptr(GstTagList) tags = stream_tags (track);
    g_autofree char *stream_id = NULL;
    g_autofree char *name = NULL;
    GstStreamFlags flags = types[t] == GST_STREAM_TYPE_TEXT ? GST_STREAM_FLAG_SPARSE :
      GST_STREAM_FLAG_NONE;
    guint same_type = 0;
    GstStream *stream;
    GstOfflineSrcPad *pad;

    for (guint i = 0; i < gst_stream_collection_get_size (collection); i++)
      same_type += gst_stream_get_stream_type (gst_stream_collection_get_stream (collection, i)) ==
        types[t];
    if (same_type == 0)
      flags |= GST_STREAM_FLAG_SELECT;
    stream_id = n_types == 1 ? g_strdup_printf ("%s/%u", uri_hash, index) :
      g_strdup_printf ("%s/%u/%s", uri_hash, index, gst_stream_type_get_name (types[t]));
    stream = gst_stream_new (stream_id, NULL, types[t], flags);
    gst_stream_set_tags (stream, tags);
    gst_stream_collection_add_stream (collection, stream);

    name = g_strdup_printf (types[t] == GST_STREAM_TYPE_VIDEO ? "video_%u" :
                            types[t] == GST_STREAM_TYPE_AUDIO ? "audio_%u" : "text_%u", same_type);
    pad = gst_offline_src_pad_new (name, templ, track, stream, collection, group_id,
                                   &pad_hooks, self);
    gst_pad_set_query_function (GST_PAD (pad), src_query);
    gst_pad_set_event_function (GST_PAD (pad), src_event);
    g_ptr_array_add (pads, pad);
  }
}

/* The entry's chains (element-type GstOfflineSrcChain, elements not yet
 * added) and their streams' pads in *@pads (element-type
 * GstOfflineSrcPad, not yet linked); sets *@entry, *@duration and
 * *@playable_end (the shortest track's stored end for a partial entry,
 * else NONE). */
static GPtrArray *
open_entry (GstOfflineSrc  *self,
            OfflineEntry  **entry_out,
            GPtrArray     **pads_out,
            GstClockTime   *duration,
            GstClockTime   *playable_end,
            GError        **error)
{
  g_autofree char *id = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *uri_hash = NULL;
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GArray) resources = NULL;
  g_autoptr(GPtrArray) chains = g_ptr_array_new_with_free_func (chain_free);
  g_autoptr(GPtrArray) pads = g_ptr_array_new_with_free_func (gst_object_unref);
  g_autoptr(GstStreamCollection) collection = NULL;
  GPtrArray *tracks;
  OfflineDownloadState state;
  guint group_id = gst_util_group_id_next ();
  gboolean complete = TRUE;
  GstClockTime shortest = GST_CLOCK_TIME_NONE;

  GST_OBJECT_LOCK (self);
  id = g_strdup (self->entry_id);
  store_path = g_strdup (self->store_path);
  GST_OBJECT_UNLOCK (self);

  if (id == NULL || *id == '\0') {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND, "No entry-id was set");
    return NULL;
  }
  store = offline_store_open_readonly (store_path, error);
  if (store == NULL)
    return NULL;
  entry = offline_store_get_entry (store, id, error);
  if (entry == NULL)
    return NULL;
  state = offline_entry_get_state (entry);
  if (state != OFFLINE_DOWNLOAD_STATE_COMPLETED && state != OFFLINE_DOWNLOAD_STATE_PAUSED) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "Entry %s is not downloaded (%s)", offline_entry_get_id (entry),
                 state == OFFLINE_DOWNLOAD_STATE_FAILED ? "its download failed" :
                 "its download has not finished");
    return NULL;
  }
  resources = offline_store_get_resources (store, id, FALSE, error);
  if (resources == NULL)
    return NULL;

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

    reader = gst_offline_part_reader_new (store, id, i, resources, error);
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
    gst_pad_set_query_function (gst_offline_track_src_get_pad (chain->source), track_query);
    gst_pad_set_event_function (gst_offline_track_src_get_pad (chain->source), track_event);
    add_stream_pads (self, track, i, uri_hash, collection, group_id, pads);
  }
  if (chains->len == 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "Entry %s has no stored track", offline_entry_get_id (entry));
    return NULL;
  }

  *duration = complete && offline_entry_get_duration (entry) > 0 ?
    (GstClockTime) offline_entry_get_duration (entry) * GST_USECOND : shortest;
  *playable_end = complete ? GST_CLOCK_TIME_NONE : shortest;
  *entry_out = g_steal_pointer (&entry);
  *pads_out = g_steal_pointer (&pads);
  return g_steal_pointer (&chains);
}

/* ---- exposing the pads ---- */

static gboolean
is_sparse (GstOfflineSrcPad *pad)
{
  return (gst_stream_get_stream_flags (gst_offline_src_pad_get_stream (pad)) &
          GST_STREAM_FLAG_SPARSE) != 0;
}

static void
maybe_no_more_pads (GstOfflineSrc *self)
{
  gboolean done;

  g_mutex_lock (&self->lock);
  done = !self->sent_no_more_pads && self->n_exposed >= self->n_expected;
  g_mutex_unlock (&self->lock);
  if (!done)
    return;
  gst_element_no_more_pads (GST_ELEMENT (self));
  g_mutex_lock (&self->lock);
  self->sent_no_more_pads = TRUE;
  g_cond_broadcast (&self->eos_cond);   /* start_streaming() waits for it */
  g_mutex_unlock (&self->lock);
}

void
gst_offline_src_interrupt_eos (GstOfflineSrc *self,
                               gboolean       interrupt)
{
  g_mutex_lock (&self->lock);
  self->eos_interrupted = interrupt;
  if (!interrupt)
    self->n_ending = self->n_finished = 0;
  g_cond_broadcast (&self->eos_cond);
  g_mutex_unlock (&self->lock);
}

static void
stream_ending (GstOfflineSrcPad *pad,
               gboolean          done,
               gpointer          user_data)
{
  GstOfflineSrc *self = user_data;

  g_mutex_lock (&self->lock);
  if (done) {
    self->n_finished++;
  } else {
    self->n_ending++;
    self->last_ending = g_get_monotonic_time ();
  }
  g_cond_broadcast (&self->eos_cond);
  g_mutex_unlock (&self->lock);
}

/* How long a sparse stream's EOS waits for the others' EOS pushes to
 * return once they all began: in playbin (not playbin3), the stream
 * synchronizer holds every EOS until all streams have one, so they only
 * return once the sparse stream pushed its own. */
#define EOS_RETURN_WAIT (250 * G_TIME_SPAN_MILLISECOND)

static gboolean
wait_for_others (GstOfflineSrcPad *pad,
                 gpointer          user_data)
{
  GstOfflineSrc *self = user_data;
  gboolean go_on;

  g_mutex_lock (&self->lock);
  while (!self->eos_interrupted && self->n_finished < self->n_continuous) {
    if (self->n_ending < self->n_continuous)
      g_cond_wait (&self->eos_cond, &self->lock);
    else if (!g_cond_wait_until (&self->eos_cond, &self->lock,
                                 self->last_ending + EOS_RETURN_WAIT))
      break;
  }
  go_on = !self->eos_interrupted;
  g_mutex_unlock (&self->lock);
  return go_on;
}

static void
stream_gone (GstOfflineSrcPad *pad,
             gpointer          user_data)
{
  GstOfflineSrc *self = user_data;

  g_mutex_lock (&self->lock);
  if (self->n_expected > 0)
    self->n_expected--;
  if (!is_sparse (pad) && self->n_continuous > 0)
    self->n_continuous--;
  g_cond_broadcast (&self->eos_cond);
  g_mutex_unlock (&self->lock);
  maybe_no_more_pads (self);
}

/* A pad got its caps (in the streaming thread of its demuxer). */
static void
expose_pad (GstOfflineSrcPad *pad,
            gpointer          user_data)
{
  GstOfflineSrc *self = user_data;

  GST_DEBUG_OBJECT (self, "exposing %" GST_PTR_FORMAT, pad);
  gst_element_add_pad (GST_ELEMENT (self), gst_object_ref (GST_PAD (pad)));
  g_mutex_lock (&self->lock);
  self->n_exposed++;
  g_mutex_unlock (&self->lock);
  maybe_no_more_pads (self);
}

static GstStreamType
demuxer_pad_type (GstPad *pad)
{
  g_autofree char *name = gst_pad_get_name (pad);

  if (g_str_has_prefix (name, "video"))
    return GST_STREAM_TYPE_VIDEO;
  if (g_str_has_prefix (name, "audio"))
    return GST_STREAM_TYPE_AUDIO;
  if (g_str_has_prefix (name, "subtitle") || g_str_has_prefix (name, "text") ||
      g_str_has_prefix (name, "subpicture"))
    return GST_STREAM_TYPE_TEXT;
  return GST_STREAM_TYPE_UNKNOWN;
}

/* The pad of @track's stream of @type that nothing feeds yet, or NULL.
 * Called with the lock held. */
static GstOfflineSrcPad *
find_free_pad (GstOfflineSrc *self,
               OfflineTrack  *track,
               GstStreamType  type)
{
  for (guint i = 0; self->pads != NULL && i < self->pads->len; i++) {
    GstOfflineSrcPad *pad = g_ptr_array_index (self->pads, i);

    if (gst_offline_src_pad_get_track (pad) == track &&
        gst_stream_get_stream_type (gst_offline_src_pad_get_stream (pad)) == type &&
        !gst_pad_is_linked (gst_offline_src_pad_get_entry (pad)))
      return pad;
  }
  return NULL;
}

/* A queue in front of @pad, in @chain: a demuxer of several streams
 * (MPEG-TS with muxed audio) must not push all of them from its one
 * thread, or preroll waits for a stream that the thread, blocked in the
 * other, cannot push. */
static void
add_queue (GstOfflineSrc      *self,
           GstOfflineSrcChain *chain,
           GstOfflineSrcPad   *pad)
{
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  g_autoptr(GstPad) sink = gst_element_get_static_pad (queue, "sink");
  g_autoptr(GstPad) src = gst_element_get_static_pad (queue, "src");

  /* by time only: a muxed stream's interleaving is not ours to choose */
  g_object_set (queue, "max-size-buffers", 0, "max-size-bytes", 0,
                "max-size-time", 5 * GST_SECOND, NULL);
  g_ptr_array_add (chain->queues, gst_object_ref (queue));
  gst_bin_add (GST_BIN (self), queue);
  gst_pad_link (src, gst_offline_src_pad_get_sink (pad));
  gst_offline_src_pad_set_entry (pad, sink);
}

static void
demuxer_pad_added (GstElement    *demuxer,
                   GstPad        *demuxer_pad,
                   GstOfflineSrc *self)
{
  OfflineTrack *track = g_object_get_data (G_OBJECT (demuxer), "offline-track");
  GstOfflineSrcPad *pad;
  GstPadLinkReturn linked;

  g_mutex_lock (&self->lock);
  pad = find_free_pad (self, track, demuxer_pad_type (demuxer_pad));
  if (pad != NULL)
    gst_object_ref (pad);
  g_mutex_unlock (&self->lock);
  if (pad == NULL) {
    GST_DEBUG_OBJECT (self, "not playing %" GST_PTR_FORMAT ": not a stored stream", demuxer_pad);
    return;
  }
  linked = gst_pad_link (demuxer_pad, gst_offline_src_pad_get_entry (pad));
  if (linked != GST_PAD_LINK_OK)
    GST_WARNING_OBJECT (self, "cannot link %" GST_PTR_FORMAT ": %s", demuxer_pad,
                        gst_pad_link_get_name (linked));
  gst_object_unref (pad);
}

/* The demuxer has all its pads: a stored stream it did not find will not
 * be exposed. */
static void
demuxer_no_more_pads (GstElement    *demuxer,
                      GstOfflineSrc *self)
{
  OfflineTrack *track = g_object_get_data (G_OBJECT (demuxer), "offline-track");
  guint missing = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; self->pads != NULL && i < self->pads->len; i++) {
    GstOfflineSrcPad *pad = g_ptr_array_index (self->pads, i);

    if (gst_offline_src_pad_get_track (pad) == track &&
        !gst_pad_is_linked (gst_offline_src_pad_get_entry (pad))) {
      missing++;
      if (!is_sparse (pad) && self->n_continuous > 0)
        self->n_continuous--;
    }
  }
  self->n_expected -= MIN (missing, self->n_expected);
  g_cond_broadcast (&self->eos_cond);
  g_mutex_unlock (&self->lock);
  if (missing > 0)
    GST_ELEMENT_WARNING (self, STREAM, DEMUX, (NULL),
                         ("%u stored stream(s) of track %s were not found in its data", missing,
                          offline_track_get_id (track)));
  maybe_no_more_pads (self);
}

/* Adds the chains' elements and links them to the pads. */
static void
build (GstOfflineSrc *self,
       GPtrArray     *chains,
       GPtrArray     *pads)
{
  for (guint i = 0; i < chains->len; i++) {
    GstOfflineSrcChain *chain = g_ptr_array_index (chains, i);
    GstPad *source_pad = gst_offline_track_src_get_pad (chain->source);

    gst_bin_add (GST_BIN (self), gst_object_ref (GST_ELEMENT (chain->source)));
    if (chain->demuxer == NULL) {
      /* one stream, as stored */
      GstOfflineSrcPad *pad = NULL;

      for (guint p = 0; pad == NULL && p < pads->len; p++) {
        if (gst_offline_src_pad_get_track (g_ptr_array_index (pads, p)) == chain->track)
          pad = g_ptr_array_index (pads, p);
      }
      gst_pad_link (source_pad, gst_offline_src_pad_get_sink (pad));
      continue;
    }
    if (offline_track_get_muxed_audio (chain->track)) {
      for (guint p = 0; p < pads->len; p++) {
        if (gst_offline_src_pad_get_track (g_ptr_array_index (pads, p)) == chain->track)
          add_queue (self, chain, g_ptr_array_index (pads, p));
      }
    }
    g_object_set_data (G_OBJECT (chain->demuxer), "offline-track", chain->track);
    g_signal_connect (chain->demuxer, "pad-added", G_CALLBACK (demuxer_pad_added), self);
    g_signal_connect (chain->demuxer, "no-more-pads", G_CALLBACK (demuxer_no_more_pads), self);
    gst_bin_add (GST_BIN (self), gst_object_ref (chain->demuxer));
    gst_element_link_pads (GST_ELEMENT (chain->source), "src", chain->demuxer, "sink");
  }
}

static gboolean
start (GstOfflineSrc *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  GPtrArray *pads = NULL;
  GstClockTime duration = GST_CLOCK_TIME_NONE;
  GstClockTime playable_end = GST_CLOCK_TIME_NONE;
  GPtrArray *chains = open_entry (self, &entry, &pads, &duration, &playable_end, &error);
  GstSegment segment;

  if (chains == NULL) {
    gst_offline_src_post_error (GST_ELEMENT (self), error);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  g_set_object (&self->entry, entry);
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "entry");

  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.duration = duration;
  /* a partial entry: every track stops at the playable end (the duration) */
  segment.stop = playable_end;
  g_mutex_lock (&self->lock);
  self->chains = chains;
  self->pads = pads;
  self->n_expected = pads->len;
  self->n_exposed = 0;
  self->sent_no_more_pads = FALSE;
  self->n_continuous = 0;
  for (guint i = 0; i < pads->len; i++)
    self->n_continuous += !is_sparse (g_ptr_array_index (pads, i));
  self->n_ending = self->n_finished = 0;
  self->eos_interrupted = FALSE;
  self->duration = duration;
  self->playable_end = playable_end;
  self->segment = segment;
  self->have_seek_seqnum = FALSE;
  g_mutex_unlock (&self->lock);

  /* the arrays only change in stop(), on this thread */
  build (self, chains, pads);
  return TRUE;
}

/* Once the children are PAUSED: the tracks start streaming. */
#define EXPOSE_WAIT (10 * G_TIME_SPAN_SECOND)

static void
start_streaming (GstOfflineSrc *self)
{
  GstSegment segment;
  guint32 seqnum = gst_util_seqnum_next ();
  gint64 deadline = g_get_monotonic_time () + EXPOSE_WAIT;

  g_mutex_lock (&self->lock);
  segment = self->segment;
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < self->chains->len; i++) {
    GstOfflineSrcChain *chain = g_ptr_array_index (self->chains, i);

    gst_offline_track_src_start (chain->source, &segment, seqnum);
  }

  /* the pads come as the demuxers find their caps: the state change ends
   * once they are all there (no-more-pads sent), as it did when the pads
   * were made here, so that no-more-pads never comes after it (uridecodebin
   * would then undo it in the middle of a state change) */
  g_mutex_lock (&self->lock);
  while (!self->sent_no_more_pads &&
         g_cond_wait_until (&self->eos_cond, &self->lock, deadline))
    ;
  if (!self->sent_no_more_pads)
    GST_WARNING_OBJECT (self, "not every stream has its caps yet: going on");
  g_mutex_unlock (&self->lock);
}

/* After the children went to READY (their tasks stopped). */
static void
stop (GstOfflineSrc *self)
{
  g_autoptr(GPtrArray) chains = NULL;
  g_autoptr(GPtrArray) pads = NULL;

  g_mutex_lock (&self->lock);
  chains = g_steal_pointer (&self->chains);
  pads = g_steal_pointer (&self->pads);
  self->duration = GST_CLOCK_TIME_NONE;
  self->playable_end = GST_CLOCK_TIME_NONE;
  g_mutex_unlock (&self->lock);
  if (chains == NULL)
    return;

  for (guint i = 0; i < pads->len; i++) {
    GstOfflineSrcPad *pad = g_ptr_array_index (pads, i);
    GstPad *sink = gst_offline_src_pad_get_sink (pad);
    g_autoptr(GstPad) peer = gst_pad_get_peer (sink);

    if (GST_OBJECT_PARENT (pad) == GST_OBJECT (self))
      gst_element_remove_pad (GST_ELEMENT (self), GST_PAD (pad));
    if (peer != NULL)
      gst_pad_unlink (peer, sink);
    gst_offline_src_pad_deactivate (pad);
    gst_pad_set_active (GST_PAD (pad), FALSE);
  }
  for (guint i = 0; i < chains->len; i++) {
    GstOfflineSrcChain *chain = g_ptr_array_index (chains, i);

    gst_element_set_state (GST_ELEMENT (chain->source), GST_STATE_NULL);
    gst_bin_remove (GST_BIN (self), GST_ELEMENT (chain->source));
    if (chain->demuxer != NULL) {
      gst_element_set_state (chain->demuxer, GST_STATE_NULL);
      gst_bin_remove (GST_BIN (self), chain->demuxer);
    }
    for (guint q = 0; q < chain->queues->len; q++) {
      gst_element_set_state (g_ptr_array_index (chain->queues, q), GST_STATE_NULL);
      gst_bin_remove (GST_BIN (self), g_ptr_array_index (chain->queues, q));
    }
  }
}

static GstStateChangeReturn
gst_offline_src_change_state (GstElement     *element,
                              GstStateChange  transition)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start (self))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_offline_src_interrupt_eos (self, TRUE);

  ret = GST_ELEMENT_CLASS (gst_offline_src_parent_class)->change_state (element, transition);

  switch (transition) {
  case GST_STATE_CHANGE_READY_TO_PAUSED:
    if (ret == GST_STATE_CHANGE_FAILURE)
      stop (self);
    else
      start_streaming (self);
    break;
  case GST_STATE_CHANGE_PAUSED_TO_READY:
    stop (self);
    break;
  default:
    break;
  }
  return ret;
}

/* ---- GObject ---- */

static void
gst_offline_src_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (object);

  switch (prop_id) {
  case PROP_ENTRY_ID:
    GST_OBJECT_LOCK (self);
    g_free (self->entry_id);
    self->entry_id = g_value_dup_string (value);
    GST_OBJECT_UNLOCK (self);
    break;
  case PROP_STORE_PATH:
    GST_OBJECT_LOCK (self);
    g_free (self->store_path);
    self->store_path = g_value_dup_string (value);
    GST_OBJECT_UNLOCK (self);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
}

static void
gst_offline_src_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (object);

  switch (prop_id) {
  case PROP_ENTRY_ID:
    GST_OBJECT_LOCK (self);
    g_value_set_string (value, self->entry_id);
    GST_OBJECT_UNLOCK (self);
    break;
  case PROP_STORE_PATH:
    GST_OBJECT_LOCK (self);
    g_value_set_string (value, self->store_path);
    GST_OBJECT_UNLOCK (self);
    break;
  case PROP_IS_OFFLINE:
    g_value_set_boolean (value, TRUE);
    break;
  case PROP_IS_LIVE:
    g_value_set_boolean (value, FALSE);
    break;
  case PROP_ENTRY:
    GST_OBJECT_LOCK (self);
    g_value_set_object (value, self->entry);
    GST_OBJECT_UNLOCK (self);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
}

static void
gst_offline_src_finalize (GObject *object)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (object);

  g_free (self->entry_id);
  g_free (self->store_path);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->chains, g_ptr_array_unref);
  g_clear_pointer (&self->pads, g_ptr_array_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->eos_cond);
  G_OBJECT_CLASS (gst_offline_src_parent_class)->finalize (object);
}

static void
gst_offline_src_class_init (GstOfflineSrcClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->set_property = gst_offline_src_set_property;
  object_class->get_property = gst_offline_src_get_property;
  object_class->finalize = gst_offline_src_finalize;

  /**
   * GstOfflineSrc:entry-id:
   *
   * The id of the entry to play, as given to OfflineManager.
   */
  g_object_class_install_property (object_class, PROP_ENTRY_ID,
      g_param_spec_string ("entry-id", "Entry id", "The id of the stored entry to play",
                           NULL, rw));
  /**
   * GstOfflineSrc:store-path:
   *
   * The directory of the store, by default the library's:
   * `$OFFLINEMGR_STORE` if set, else `offlinemgr` in the user data
   * directory.
   */
  g_object_class_install_property (object_class, PROP_STORE_PATH,
      g_param_spec_string ("store-path", "Store path",
                           "The offlinemgr store directory (default: $OFFLINEMGR_STORE, "
                           "else ~/.local/share/offlinemgr)",
                           NULL, rw));
  /**
   * GstOfflineSrc:is-offline:
   *
   * Always %TRUE: lets applications tell that they play stored content.
   */
  g_object_class_install_property (object_class, PROP_IS_OFFLINE,
      g_param_spec_boolean ("is-offline", "Is offline",
                            "Always TRUE: this source plays stored content, with no network",
                            TRUE, ro));
  /**
   * GstOfflineSrc:is-live:
   *
   * Always %FALSE.
   */
  g_object_class_install_property (object_class, PROP_IS_LIVE,
      g_param_spec_boolean ("is-live", "Is live", "Always FALSE: stored content is not live",
                            FALSE, ro));
  /**
   * GstOfflineSrc:entry:
   *
   * The #OfflineEntry being played (name, tracks, licence expiration…),
   * once the source went to PAUSED; %NULL before.
   */
  g_object_class_install_property (object_class, PROP_ENTRY,
      g_param_spec_object ("entry", "Entry", "The OfflineEntry being played (once opened)",
                           OFFLINE_TYPE_ENTRY, ro));

  gst_element_class_add_static_pad_template (element_class, &video_template);
  gst_element_class_add_static_pad_template (element_class, &audio_template);
  gst_element_class_add_static_pad_template (element_class, &text_template);
  gst_element_class_set_static_metadata (element_class, "Offline entry source", "Source/File",
      "Plays an entry that offlinemgr stored for offline playback (offline:// URIs)",
      "offlinemgr developers");
  element_class->change_state = gst_offline_src_change_state;
}

static void
gst_offline_src_init (GstOfflineSrc *self)
{
  const char *env = g_getenv ("OFFLINEMGR_STORE");

  g_mutex_init (&self->lock);
  g_cond_init (&self->eos_cond);
  self->duration = GST_CLOCK_TIME_NONE;
  self->playable_end = GST_CLOCK_TIME_NONE;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  /* the library's default (OfflineManager:store-path) */
  self->store_path = env != NULL && *env != '\0' ? g_strdup (env) :
    g_build_filename (g_get_user_data_dir (), "offlinemgr", NULL);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}
