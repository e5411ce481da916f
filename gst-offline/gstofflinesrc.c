/* gstofflinesrc.c: offlinesrc, plays an entry of an offlinemgr store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-offlinesrc
 * @title: offlinesrc
 *
 * Plays an entry that OfflineManager stored, with no network. It is a
 * bin, like splitmuxsrc: for each stored track a track source pushes the
 * stored files, timestamped from the stored segment index, into the
 * demuxer their data needs (qtdemux for fragmented MP4, tsdemux for
 * MPEG-TS; WebVTT needs none), and it exposes one sometimes src pad per
 * stream (`video_%u`, `audio_%u`, `text_%u`; a video track with muxed
 * audio gives two) carrying the demuxed stream (e.g. `video/x-h264`,
 * `audio/mpeg`, `application/x-subtitle-vtt`), with its caps set before
 * the pad is added, then `no-more-pads`. The streams form one
 * #GstStreamCollection (sent on every pad, so playbin3 sees them all at
 * once) and one stream group; each carries its stored language, title
 * and bitrate as stream tags. A text stream pushes EOS only after the
 * others (decodebin3 drops a stream that ends first). Fragmented MP4
 * whose decode times start again (a DASH Period, an HLS discontinuity)
 * is moved onto the stored timeline (its tfdt), as qtdemux times
 * fragments from it; MPEG-TS after an HLS discontinuity (timestamps that
 * start over, maybe with another PTS-PCR offset) reaches tsdemux with a
 * DISCONT and a DTS that land it on the stored timeline too.
 *
 * Downstream not ready: playbin3 1.22 starts its source before
 * decodebin3 is PAUSED, in the same state change call. The tracks' first
 * data waits until no element above offlinesrc is in a state change call
 * (2 s at most; a prerolling pipeline's call has returned). Should data
 * still be refused with FLUSHING while the pipeline goes to PAUSED or
 * PLAYING (though the element flushes nothing), every stream starts
 * over, with a flushing seek to where they started, a few times at most. A stream downstream does not link (NOT_LINKED, a stream playbin
 * does not play) ends with EOS, as in GstBaseSrc.
 *
 * A progressive entry (a plain MP4, WebM, MP3… file downloaded whole)
 * is not demuxed inside: the element reads the stored file with a filesrc
 * and exposes one `src_%u` pad carrying the file's bytes, as stored, then
 * `no-more-pads`. Downstream (decodebin, playbin, playbin3) typefinds and
 * demuxes it as it does a file:// URI, in pull mode: every stream of the
 * file plays (every audio track), the demuxer reports the duration and
 * handles seeks (accurate, key-unit, segment). The duration recorded in
 * the entry was read from the file's container when it was downloaded.
 *
 * It handles `offline://ENTRY-ID` URIs (the id percent-encoded), so
 * playbin, playbin3 and uridecodebin use it:
 * |[
 * gst-launch-1.0 playbin uri=offline://my-entry video-sink=fakesink audio-sink=fakesink
 * OFFLINEMGR_STORE=/path/to/store gst-launch-1.0 offlinesrc entry-id=my-entry ! decodebin ! fakesink
 * ]|
 *
 * Detecting an offline source. Applications can tell that they play an
 * offline entry from the source's #GstOfflineSrc:is-offline and
 * #GstOfflineSrc:entry-id properties, e.g. in playbin's
 * #GstPlayBin::source-setup signal (see examples/python/detect-offline-source.py).
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
 *   (gst_pad_peer_query() with gst_query_new_context()), and it posts
 *   it in a HAVE_CONTEXT message when it opens the entry: the bins
 *   above keep it (gst_element_get_context() on the pipeline) and set it
 *   on the elements they add afterwards (#GstElementClass.set_context).
 *
 * Errors: an entry that cannot be played posts an ERROR message (a
 * GST_RESOURCE_ERROR) whose details structure has the fields
 * `offline-error-domain` (string, "offline-error-quark") and
 * `offline-error-code` (int, an #OfflineError): OFFLINE_ERROR_NOT_FOUND
 * for an unknown entry, OFFLINE_ERROR_STORE for a missing or unreadable
 * store, OFFLINE_ERROR_ENTRY_INCOMPLETE for an entry whose download
 * failed (or that has no stored media for a track yet),
 * OFFLINE_ERROR_ENTRY_DAMAGED for stored files that are missing or
 * truncated, and for an HLS AES-128 entry whose stored key is missing or
 * not 16 bytes, or whose segment does not decrypt (length not a multiple
 * of 16, invalid PKCS#7 padding); OFFLINE_ERROR_NOT_SUPPORTED if a
 * demuxer it needs is not installed.
 *
 * HLS AES-128 entries (EXT-X-KEY METHOD=AES-128) play like clear ones:
 * their segments are stored encrypted, as served, and are decrypted
 * (AES-128-CBC with the stored key and the playlist's IV or the media
 * sequence number) as they are read.
 *
 * An entry that is still downloading (queued, downloading, or waiting
 * for the network) plays as it downloads (gstofflinesrc-follow.c): its
 * duration is the whole entry's, and a track that reaches a segment not
 * stored yet waits for it, with BUFFERING messages (0 % when a track
 * starts waiting, 100 % when none waits), as a network source does. It
 * learns of new segments from the store, whichever process downloads. If
 * the download is paused meanwhile, a WARNING (ENTRY_INCOMPLETE) and each
 * track ends at what is stored; if it fails, an ERROR when a track needs
 * a segment that will not come (what is stored plays first). Opened
 * before the first segment of each track is stored, it reaches PAUSED
 * without pads, posts BUFFERING 0 %, and exposes them once those are
 * stored (gstofflinesrc-opening.c).
 *
 * A PAUSED (partly downloaded) entry plays the contiguous stored prefix
 * of each track up to the shortest track's stored end (the playable end):
 * that is its reported duration, every pad's TIME segment has it as its
 * `stop` (a seek's stop is clamped to it), and no stored segment starting
 * at or after it is pushed, so all tracks end together at the duration.
 *
 * Seeking (see gstofflinesrc-seek.c): forward TIME seeks, flushing or
 * not, ACCURATE or KEY_UNIT, and segment seeks (SEGMENT_DONE instead of
 * EOS), handled once per seqnum however many pads they arrive on; with
 * KEY_UNIT the position snaps to the start of the stored video segment
 * containing it (segments start with a key frame). Known limits: after a
 * segment seek on MPEG-TS the segment's last video frame may be held
 * back (tsdemux and h264parse drain only at EOS); a non-flushing seek on
 * MPEG-TS with muxed audio drops what the internal queue held.
 *
 * Stopping in playbin (not playbin3) an entry with two or more subtitle
 * tracks can take until the current cue of an inactive subtitle track
 * ends. GStreamer 1.22.0's input-selector, in front of playbin's text
 * sink, keeps that track's thread in a clock wait that going to READY does
 * not wake (docs/reliability.md, "Playback start-up under load").
 */
#include "gstofflinesrc-private.h"

#include "gstofflinesrc-detect.h"
#include "gstofflinesrcpad.h"
#include "offline-entry-id-private.h"
#include "offline-error.h"

GST_DEBUG_CATEGORY (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug


enum {
  PROP_0,
  PROP_ENTRY_ID,
  PROP_STORE_PATH,
  PROP_IS_OFFLINE,
  PROP_IS_LIVE,
  PROP_ENTRY,
  PROP_IS_PROTECTED,
  PROP_LICENSE_EXPIRATION,
};

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
  gst_offline_src_post_message (element, GST_MESSAGE_ERROR, error);
}

void
gst_offline_src_post_message (GstElement     *element,
                              GstMessageType  type,
                              const GError   *error)
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

  gst_element_message_full_with_details (element, type, GST_RESOURCE_ERROR, code,
                                         g_strdup (error->message),
                                         g_strdup_printf ("%s error %d",
                                                          g_quark_to_string (error->domain),
                                                          error->code),
                                         __FILE__, GST_FUNCTION, __LINE__, details);
}

void
gst_offline_src_post_buffering (GstElement *element,
                                int         percent)
{
  GST_DEBUG_OBJECT (element, "buffering %d%%", percent);
  gst_element_post_message (element, gst_message_new_buffering (GST_OBJECT (element), percent));
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
  g_autoptr(GBytes) id = NULL;
  g_autoptr(GError) id_error = NULL;
  g_autofree char *id_text = NULL;
  gsize length = 0;
  const char *data = NULL;

  if (GST_STATE (self) != GST_STATE_NULL && GST_STATE (self) != GST_STATE_READY) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_STATE,
                 "The URI can only be changed in the NULL or READY state");
    return FALSE;
  }
  /* as bytes: "%00" and invalid UTF-8 reach the id check, which names them */
  if (g_ascii_strncasecmp (uri, "offline://", strlen ("offline://")) == 0)
    id = g_uri_unescape_bytes (uri + strlen ("offline://"), -1, NULL, NULL);
  if (id == NULL) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                 "Not an offline://ENTRY-ID URI: %s", uri);
    return FALSE;
  }
  data = g_bytes_get_data (id, &length);
  if (!offline_entry_id_validate (data != NULL ? data : "", (gssize) length, &id_error)) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                 "Not an offline://ENTRY-ID URI: %s: %s", uri, id_error->message);
    return FALSE;
  }
  id_text = g_strndup (data, length);
  g_object_set (self, "entry-id", id_text, NULL);
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
    g_autoptr(GstContext) keys = NULL;

    GST_OBJECT_LOCK (self);
    id = g_strdup (self->entry_id);
    keys = self->keys_context != NULL ? gst_context_ref (self->keys_context) : NULL;
    GST_OBJECT_UNLOCK (self);
    if (gst_offline_src_detect_answer (query, id) || gst_offline_src_keys_answer (query, keys))
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

static void stop (GstOfflineSrc *self);

/* Opens the entry and builds what plays it (the children, not started
 * yet). NOT_YET: an entry still downloading whose first segments are not
 * stored yet. */
static GstOfflineSrcOpenResult
open_and_build (GstOfflineSrc  *self,
                GError        **error_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineEntry) entry = NULL;
  GPtrArray *pads = NULL;
  GstClockTime duration = GST_CLOCK_TIME_NONE;
  GstClockTime playable_end = GST_CLOCK_TIME_NONE;
  g_autofree char *file_path = NULL;
  g_autoptr(GstContext) keys_context = NULL;
  gboolean follow = FALSE;
  GPtrArray *chains = gst_offline_src_open_entry (self, &entry, &keys_context, &pads, &duration,
                                                 &playable_end, &follow, &file_path, &error);
  GstSegment segment;

  if (chains == NULL) {
    /* what a reader of a following entry lacks: its first segments */
    gboolean not_yet = follow && g_error_matches (error, OFFLINE_ERROR,
                                                   OFFLINE_ERROR_ENTRY_INCOMPLETE);

    g_propagate_error (error_out, g_steal_pointer (&error));
    return not_yet ? GST_OFFLINE_SRC_NOT_YET : GST_OFFLINE_SRC_OPEN_FAILED;
  }

  for (guint i = 0; i < pads->len; i++) {
    gst_pad_set_query_function (g_ptr_array_index (pads, i), src_query);
    gst_pad_set_event_function (g_ptr_array_index (pads, i), src_event);
  }
  for (guint i = 0; i < chains->len; i++) {
    GstOfflineSrcChain *chain = g_ptr_array_index (chains, i);

    gst_pad_set_query_function (gst_offline_track_src_get_pad (chain->source), track_query);
    gst_pad_set_event_function (gst_offline_track_src_get_pad (chain->source), track_event);
  }

  GST_OBJECT_LOCK (self);
  g_set_object (&self->entry, entry);
  g_clear_pointer (&self->keys_context, gst_context_unref);
  self->keys_context = g_steal_pointer (&keys_context);
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "entry");
  g_object_notify (G_OBJECT (self), "is-protected");
  g_object_notify (G_OBJECT (self), "license-expiration");
  /* the bins keep the context and give it to the elements they add
   * later (decoders, sinks), which can also ask for it (CONTEXT query) */
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_have_context (GST_OBJECT (self),
                                    gst_offline_src_detect_new_context (
                                      offline_entry_get_id (entry))));

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
    self->n_continuous += !gst_offline_src_is_sparse (g_ptr_array_index (pads, i));
  self->n_ending = self->n_finished = 0;
  self->eos_interrupted = FALSE;
  self->duration = duration;
  self->playable_end = playable_end;
  self->segment = segment;
  self->have_seek_seqnum = FALSE;
  self->startup = (GstOfflineSrcStartup) { 0 };
  g_mutex_unlock (&self->lock);

  /* the arrays only change in stop(), once this thread is done (the
   * state-change thread itself, or the opening thread, which stop() joins) */
  gst_offline_src_build (self, chains, pads);
  if (follow && chains->len > 0) {
    g_autoptr(GPtrArray) readers = g_ptr_array_new ();
    g_autofree char *store_path = NULL;

    for (guint i = 0; i < chains->len; i++)
      g_ptr_array_add (readers, ((GstOfflineSrcChain *) g_ptr_array_index (chains, i))->reader);
    GST_OBJECT_LOCK (self);
    store_path = g_strdup (self->store_path);
    GST_OBJECT_UNLOCK (self);
    gst_offline_src_follow_start (&self->follow, GST_ELEMENT (self), store_path,
                                  offline_entry_get_id (entry), readers);
  }
  if (file_path != NULL && !gst_offline_src_file_start (self, file_path, error_out))
    return GST_OFFLINE_SRC_OPEN_FAILED;
  return GST_OFFLINE_SRC_OPENED;
}

static void start_streaming (GstOfflineSrc *self);

/* GstOfflineSrcOpenFunc: the entry's first segments may be stored now;
 * on the opening thread, while offlinesrc is PAUSED or PLAYING (or on its
 * way there): what open_and_build() made is brought to offlinesrc's state
 * and starts. */
static GstOfflineSrcOpenResult
open_late (gpointer   user_data,
           GError   **error)
{
  GstOfflineSrc *self = user_data;
  GstOfflineSrcOpenResult result = open_and_build (self, error);
  g_autoptr(GstIterator) children = NULL;
  GValue item = G_VALUE_INIT;

  if (result != GST_OFFLINE_SRC_OPENED) {
    if (result == GST_OFFLINE_SRC_NOT_YET)
      g_clear_error (error);
    return result;
  }
  GST_DEBUG_OBJECT (self, "the first segments are stored: opened");
  children = gst_bin_iterate_elements (GST_BIN (self));
  while (gst_iterator_next (children, &item) == GST_ITERATOR_OK) {
    gst_element_sync_state_with_parent (g_value_get_object (&item));
    g_value_reset (&item);
  }
  g_value_unset (&item);
  start_streaming (self);
  return GST_OFFLINE_SRC_OPENED;
}

/* On READY_TO_PAUSED. *@opened: whether the tracks are there to start
 * (else the opening thread waits for them). */
static gboolean
start (GstOfflineSrc *self,
       gboolean      *opened)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = NULL;

  *opened = FALSE;
  switch (open_and_build (self, &error)) {
  case GST_OFFLINE_SRC_OPENED:
    *opened = TRUE;
    return TRUE;
  case GST_OFFLINE_SRC_NOT_YET:
    GST_DEBUG_OBJECT (self, "waiting for the first segments: %s", error->message);
    GST_OBJECT_LOCK (self);
    store_path = g_strdup (self->store_path);
    GST_OBJECT_UNLOCK (self);
    gst_offline_src_opening_start (&self->opening, GST_ELEMENT (self), store_path, open_late,
                                   self);
    return TRUE;
  case GST_OFFLINE_SRC_OPEN_FAILED:
  default:
    gst_offline_src_post_error (GST_ELEMENT (self), error);
    return FALSE;
  }
}

/* Once the children are PAUSED: the tracks start streaming. */
static void
start_streaming (GstOfflineSrc *self)
{
  GstSegment segment;
  guint32 seqnum = gst_util_seqnum_next ();

  g_mutex_lock (&self->lock);
  segment = self->segment;
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < self->chains->len; i++) {
    GstOfflineSrcChain *chain = g_ptr_array_index (self->chains, i);

    gst_offline_track_src_start (chain->source, &segment, seqnum);
  }
}

/* After the children went to READY (their tasks stopped). */
static void
stop (GstOfflineSrc *self)
{
  g_autoptr(GPtrArray) chains = NULL;
  g_autoptr(GPtrArray) pads = NULL;

  /* the tracks' tasks stopped: nothing waits for the follower */
  gst_offline_src_follow_stop (&self->follow);
  gst_offline_src_opening_stop (&self->opening);
  g_mutex_lock (&self->lock);
  chains = g_steal_pointer (&self->chains);
  pads = g_steal_pointer (&self->pads);
  self->duration = GST_CLOCK_TIME_NONE;
  self->playable_end = GST_CLOCK_TIME_NONE;
  g_mutex_unlock (&self->lock);
  gst_offline_src_file_stop (self);
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
  gboolean opened = FALSE;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start (self, &opened)) {
    stop (self);
    return GST_STATE_CHANGE_FAILURE;
  }
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    /* no late opening adds children while they go down */
    gst_offline_src_opening_stop (&self->opening);
    gst_offline_src_interrupt_eos (self, TRUE);
  }

  ret = GST_ELEMENT_CLASS (gst_offline_src_parent_class)->change_state (element, transition);

  switch (transition) {
  case GST_STATE_CHANGE_READY_TO_PAUSED:
    if (ret == GST_STATE_CHANGE_FAILURE)
      stop (self);
    else if (opened)
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
  case PROP_IS_PROTECTED:
    GST_OBJECT_LOCK (self);
    g_value_set_boolean (value, self->entry != NULL && offline_entry_get_is_protected (self->entry));
    GST_OBJECT_UNLOCK (self);
    break;
  case PROP_LICENSE_EXPIRATION:
    GST_OBJECT_LOCK (self);
    g_value_set_int64 (value, self->entry != NULL ?
                       offline_entry_get_license_expiration (self->entry) : 0);
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
  g_clear_pointer (&self->keys_context, gst_context_unref);
  g_clear_pointer (&self->chains, g_ptr_array_unref);
  g_clear_pointer (&self->pads, g_ptr_array_unref);
  g_mutex_clear (&self->lock);
  gst_offline_src_follow_clear (&self->follow);
  gst_offline_src_opening_clear (&self->opening);
  g_mutex_clear (&self->expose_lock);
  g_mutex_clear (&self->seek_lock);
  g_mutex_clear (&self->flush_lock);
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
   * The id of the entry to play, as given to OfflineManager. An id that
   * is empty, longer than 255 bytes or not valid UTF-8 makes the element
   * fail to start with OFFLINE_ERROR_INVALID_ARGUMENT (and an offline://
   * URI holding one is refused with GST_URI_ERROR_BAD_URI).
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

  /**
   * GstOfflineSrc:is-protected:
   *
   * Whether the entry being played (once opened) is protected content,
   * stored with its Clear Key licence: its tracks' caps are
   * `application/x-cenc` and offlinecencdec decrypts them with the keys
   * offlinesrc gives it (docs/decryption.md).
   */
  g_object_class_install_property (object_class, PROP_IS_PROTECTED,
      g_param_spec_boolean ("is-protected", "Is protected",
                            "Whether the entry is protected content (once opened)", FALSE, ro));

  /**
   * GstOfflineSrc:license-expiration:
   *
   * When the licence of the protected entry being played expires, in Unix
   * seconds; 0 for none (clear content, a licence without expiry, or not
   * opened yet). An expired entry does not start: offlinesrc posts an
   * ERROR with OFFLINE_ERROR_LICENSE_EXPIRED.
   */
  g_object_class_install_property (object_class, PROP_LICENSE_EXPIRATION,
      g_param_spec_int64 ("license-expiration", "Licence expiration",
                          "When the entry's licence expires (Unix seconds, 0: never)",
                          0, G_MAXINT64, 0, ro));

  gst_offline_src_add_pad_templates (element_class);
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
  gst_offline_src_follow_init (&self->follow);
  gst_offline_src_opening_init (&self->opening);
  g_mutex_init (&self->expose_lock);
  g_mutex_init (&self->seek_lock);
  g_mutex_init (&self->flush_lock);
  g_cond_init (&self->eos_cond);
  self->duration = GST_CLOCK_TIME_NONE;
  self->playable_end = GST_CLOCK_TIME_NONE;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  /* the library's default (OfflineManager:store-path) */
  self->store_path = env != NULL && *env != '\0' ? g_strdup (env) :
    g_build_filename (g_get_user_data_dir (), "offlinemgr", NULL);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}
