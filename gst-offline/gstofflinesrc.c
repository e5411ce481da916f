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
#include "gstofflinesrc.h"

#include "gstofflinesrc-detect.h"
#include "gstofflinesrcpad.h"
#include "offline-error.h"
#include "offline-store-private.h"

GST_DEBUG_CATEGORY (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

struct _GstOfflineSrc {
  GstElement parent_instance;

  /* Guarded by the OBJECT_LOCK: */
  char *entry_id;
  char *store_path;
  OfflineEntry *entry;          /* once opened */

  /* Guarded by @lock (never held while pushing or changing pads): */
  GMutex lock;
  GList *pads;                  /* (element-type GstOfflineSrcPad) (owned) */
  GstClockTime duration;
  GstClockTime playable_end;    /* of a partial entry, else NONE */
  GstSegment segment;           /* of the last seek */
  gboolean have_seek_seqnum;
  guint32 seek_seqnum;          /* the last seek handled */
};

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

G_DEFINE_FINAL_TYPE_WITH_CODE (GstOfflineSrc, gst_offline_src, GST_TYPE_ELEMENT,
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

/* ---- queries and seeks ---- */

static GstClockTime
get_duration (GstOfflineSrc *self)
{
  GstClockTime duration;

  g_mutex_lock (&self->lock);
  duration = self->duration;
  g_mutex_unlock (&self->lock);
  return duration;
}

static gboolean
src_query (GstPad    *pad,
           GstObject *parent,
           GstQuery  *query)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (parent);
  GstFormat format;

  switch (GST_QUERY_TYPE (query)) {
  case GST_QUERY_CUSTOM:
  case GST_QUERY_CONTEXT: {
    g_autofree char *id = NULL;

    GST_OBJECT_LOCK (self);
    id = g_strdup (self->entry_id);
    GST_OBJECT_UNLOCK (self);
    if (gst_offline_src_detect_answer (query, id))
      return TRUE;
    return gst_pad_query_default (pad, parent, query);
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
  case GST_QUERY_SCHEDULING:
    gst_query_set_scheduling (query, GST_SCHEDULING_FLAG_SEQUENTIAL, 1, -1, 0);
    gst_query_add_scheduling_mode (query, GST_PAD_MODE_PUSH);
    return TRUE;
  default:
    return gst_pad_query_default (pad, parent, query);
  }
}

/* The pad of the first video track, else the first pad. (transfer full) */
static GstOfflineSrcPad *
reference_pad (GList *pads)
{
  for (GList *l = pads; l != NULL; l = l->next) {
    if (offline_track_get_track_type (gst_offline_src_pad_get_track (l->data)) ==
        OFFLINE_TRACK_TYPE_VIDEO)
      return gst_object_ref (l->data);
  }
  return pads != NULL ? gst_object_ref (pads->data) : NULL;
}

static gpointer
ref_pad (gconstpointer pad,
         gpointer      data)
{
  return gst_object_ref ((gpointer) pad);
}

static gboolean
do_seek (GstOfflineSrc *self,
         GstEvent      *event)
{
  g_autoptr(GstOfflineSrcPad) reference = NULL;
  GList *pads;
  GstSegment segment;
  GstSeekFlags flags;
  GstSeekType start_type, stop_type;
  GstFormat format;
  gint64 start, stop;
  gdouble rate;
  GstClockTime playable_end;
  guint32 seqnum = gst_event_get_seqnum (event);

  gst_event_parse_seek (event, &rate, &format, &flags, &start_type, &start, &stop_type, &stop);
  if (format != GST_FORMAT_TIME || rate <= 0.0 || !(flags & GST_SEEK_FLAG_FLUSH) ||
      (flags & GST_SEEK_FLAG_SEGMENT)) {
    GST_DEBUG_OBJECT (self, "refusing a seek that is not a flushing forward TIME seek");
    return FALSE;
  }

  /* the same seek arrives on every pad: handle it once */
  g_mutex_lock (&self->lock);
  if (self->have_seek_seqnum && self->seek_seqnum == seqnum) {
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "seek %u already handled", seqnum);
    return TRUE;
  }
  self->have_seek_seqnum = TRUE;
  self->seek_seqnum = seqnum;
  pads = g_list_copy_deep (self->pads, ref_pad, NULL);
  segment = self->segment;
  playable_end = self->playable_end;
  g_mutex_unlock (&self->lock);

  if (!gst_segment_do_seek (&segment, rate, format, flags, start_type, start, stop_type, stop,
                            NULL)) {
    g_list_free_full (pads, gst_object_unref);
    return FALSE;
  }
  /* a partial entry: nothing plays past the playable end */
  if (GST_CLOCK_TIME_IS_VALID (playable_end) &&
      (!GST_CLOCK_TIME_IS_VALID (segment.stop) || segment.stop > playable_end))
    segment.stop = playable_end;
  reference = reference_pad (pads);
  if ((flags & GST_SEEK_FLAG_KEY_UNIT) && reference != NULL) {
    /* stored segments start with a key frame */
    segment.start = segment.time = segment.position =
      gst_offline_src_pad_find_start (reference, segment.position);
  }
  GST_DEBUG_OBJECT (self, "seek %u to %" GST_SEGMENT_FORMAT, seqnum, &segment);

  for (GList *l = pads; l != NULL; l = l->next) {
    GstEvent *flush = gst_event_new_flush_start ();

    gst_event_set_seqnum (flush, seqnum);
    gst_pad_push_event (l->data, flush);
  }
  for (GList *l = pads; l != NULL; l = l->next)
    gst_pad_pause_task (l->data);   /* waits for the loop to return */

  g_mutex_lock (&self->lock);
  self->segment = segment;
  g_mutex_unlock (&self->lock);

  for (GList *l = pads; l != NULL; l = l->next) {
    GstEvent *flush = gst_event_new_flush_stop (TRUE);

    gst_event_set_seqnum (flush, seqnum);
    gst_pad_push_event (l->data, flush);
    gst_offline_src_pad_start (l->data, &segment, seqnum);
  }
  g_list_free_full (pads, gst_object_unref);
  return TRUE;
}

static gboolean
src_event (GstPad    *pad,
           GstObject *parent,
           GstEvent  *event)
{
  gboolean handled;

  if (GST_EVENT_TYPE (event) != GST_EVENT_SEEK)
    return gst_pad_event_default (pad, parent, event);
  handled = do_seek (GST_OFFLINE_SRC (parent), event);
  gst_event_unref (event);
  return handled;
}

/* ---- opening ---- */

static GstStaticPadTemplate *
template_for (OfflineTrackType type)
{
  switch (type) {
  case OFFLINE_TRACK_TYPE_VIDEO:
    return &video_template;
  case OFFLINE_TRACK_TYPE_AUDIO:
    return &audio_template;
  default:
    return &text_template;
  }
}

/* The entry's pads (element-type GstOfflineSrcPad, owned, not yet added)
 * in track order; sets *@entry, *@duration and *@playable_end (the
 * shortest track's stored end for a partial entry, else NONE). */
static GList *
open_entry (GstOfflineSrc  *self,
            OfflineEntry  **entry_out,
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
  GList *pads = NULL;
  GPtrArray *tracks;
  OfflineDownloadState state;
  guint counts[3] = { 0, 0, 0 };
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
  tracks = offline_entry_get_tracks (entry);
  for (guint i = 0; i < tracks->len; i++) {
    OfflineTrack *track = g_ptr_array_index (tracks, i);
    OfflineTrackType type = offline_track_get_track_type (track);
    g_autoptr(GstOfflinePartReader) reader = NULL;
    g_autoptr(GstCaps) caps = NULL;
    g_autoptr(GstPadTemplate) templ = NULL;
    g_autofree char *name = NULL;
    g_autofree char *stream_id = NULL;
    GstClockTime end;

    reader = gst_offline_part_reader_new (store, id, i, resources, error);
    if (reader == NULL)
      goto fail;
    caps = gst_offline_part_reader_get_caps (reader, error);
    if (caps == NULL)
      goto fail;
    end = gst_offline_part_reader_get_end (reader);
    if (!GST_CLOCK_TIME_IS_VALID (shortest) || end < shortest)
      shortest = end;
    complete &= gst_offline_part_reader_is_complete (reader);

    templ = gst_static_pad_template_get (template_for (type));
    name = g_strdup_printf (templ->name_template[0] == 'v' ? "video_%u" :
                            templ->name_template[0] == 'a' ? "audio_%u" : "text_%u",
                            counts[MIN (type, 2)]++);
    stream_id = g_strdup_printf ("%s/%u", uri_hash, i);
    pads = g_list_append (pads, gst_offline_src_pad_new (name, templ, track,
                                                         g_steal_pointer (&reader), caps,
                                                         stream_id, group_id));
    gst_pad_set_query_function (GST_PAD (g_list_last (pads)->data), src_query);
    gst_pad_set_event_function (GST_PAD (g_list_last (pads)->data), src_event);
  }
  if (pads == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "Entry %s has no stored track", offline_entry_get_id (entry));
    return NULL;
  }

  *duration = complete && offline_entry_get_duration (entry) > 0 ?
    (GstClockTime) offline_entry_get_duration (entry) * GST_USECOND : shortest;
  *playable_end = complete ? GST_CLOCK_TIME_NONE : shortest;
  *entry_out = g_steal_pointer (&entry);
  return pads;

fail:
  for (GList *l = pads; l != NULL; l = l->next) {
    gst_pad_set_active (l->data, FALSE);
    gst_object_unref (l->data);
  }
  g_list_free (pads);
  return NULL;
}

static gboolean
start (GstOfflineSrc *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  GstClockTime duration = GST_CLOCK_TIME_NONE;
  GstClockTime playable_end = GST_CLOCK_TIME_NONE;
  GList *pads = open_entry (self, &entry, &duration, &playable_end, &error);
  GstSegment segment;
  guint32 seqnum = gst_util_seqnum_next ();

  if (pads == NULL) {
    gst_offline_src_post_error (GST_ELEMENT (self), error);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  g_set_object (&self->entry, entry);
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "entry");
  /* FIXME: post the context here too (gst_element_post_message() of
   * gst_message_new_have_context (self, gst_offline_src_detect_new_context
   * (id))). It was taken out while chasing an intermittent playbin3
   * preroll hang (/offlinesrc/playbin3/hls-fmp4 under parallel load), which
   * turned out to happen without it too; put back once that hang is fixed
   * so the two cannot be confused. Until then the context is only given on
   * request, through the CONTEXT query (src_query()). */

  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.duration = duration;
  /* a partial entry: every track stops at the playable end (the duration) */
  segment.stop = playable_end;
  g_mutex_lock (&self->lock);
  self->pads = pads;
  self->duration = duration;
  self->playable_end = playable_end;
  self->segment = segment;
  self->have_seek_seqnum = FALSE;
  g_mutex_unlock (&self->lock);

  /* the list only changes in stop(), on this thread */
  for (GList *l = pads; l != NULL; l = l->next)
    gst_element_add_pad (GST_ELEMENT (self), gst_object_ref (l->data));
  gst_element_no_more_pads (GST_ELEMENT (self));
  for (GList *l = pads; l != NULL; l = l->next)
    gst_offline_src_pad_start (l->data, &segment, seqnum);
  return TRUE;
}

/* After the pads were deactivated (their tasks stopped). */
static void
stop (GstOfflineSrc *self)
{
  GList *pads;

  g_mutex_lock (&self->lock);
  pads = g_steal_pointer (&self->pads);
  self->duration = GST_CLOCK_TIME_NONE;
  self->playable_end = GST_CLOCK_TIME_NONE;
  g_mutex_unlock (&self->lock);

  for (GList *l = pads; l != NULL; l = l->next)
    gst_element_remove_pad (GST_ELEMENT (self), l->data);
  g_list_free_full (pads, gst_object_unref);
}

static GstStateChangeReturn
gst_offline_src_change_state (GstElement     *element,
                              GstStateChange  transition)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (gst_offline_src_parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
  case GST_STATE_CHANGE_READY_TO_PAUSED:
    if (!start (self))
      return GST_STATE_CHANGE_FAILURE;
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
  g_list_free_full (self->pads, gst_object_unref);
  g_mutex_clear (&self->lock);
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
  self->duration = GST_CLOCK_TIME_NONE;
  self->playable_end = GST_CLOCK_TIME_NONE;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  /* the library's default (OfflineManager:store-path) */
  self->store_path = env != NULL && *env != '\0' ? g_strdup (env) :
    g_build_filename (g_get_user_data_dir (), "offlinemgr", NULL);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}
