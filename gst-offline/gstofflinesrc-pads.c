/* gstofflinesrc-pads.c: offlinesrc's pads: one per stored stream, exposed
 * as the demuxers find their caps
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pads are made with the entry (one per stream of each track, see
 * gst_offline_src_add_stream_pads()) and linked to the demuxers' pads as
 * these appear, in the demuxers' streaming threads; a pad is added to the
 * element when its caps are known, and no-more-pads follows the last.
 * Also here: sparse (text) streams push EOS after the others, see
 * GstOfflineSrcPadHooks.
 */
#include "gstofflinesrc-private.h"

#include "gstofflinesrcpad.h"

GST_DEBUG_CATEGORY_EXTERN (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

static GstStaticPadTemplate video_template = GST_STATIC_PAD_TEMPLATE ("video_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate audio_template = GST_STATIC_PAD_TEMPLATE ("audio_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate text_template = GST_STATIC_PAD_TEMPLATE ("text_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS_ANY);
/* a progressive entry's file, as stored (gstofflinesrc-file.c) */
static GstStaticPadTemplate file_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS_ANY);

/* Adds @template to @element_class, documented with @documentation_caps. */
static void
add_template (GstElementClass      *element_class,
              GstStaticPadTemplate *template,
              const char           *documentation_caps)
{
  GstPadTemplate *pad_template = gst_static_pad_template_get (template);

  gst_pad_template_set_documentation_caps (pad_template, gst_caps_from_string (documentation_caps));
  gst_element_class_add_pad_template (element_class, pad_template);
}

/* The templates take any caps (each pad carries what its demuxer gives);
 * their documentation caps (the plugin's documentation) say what the
 * stored formats give. */
void
gst_offline_src_add_pad_templates (GstElementClass *element_class)
{
  add_template (element_class, &video_template,
                "video/x-h264; video/x-h265; application/x-cenc");
  add_template (element_class, &audio_template,
                "audio/mpeg; audio/x-ac3; audio/x-eac3; application/x-cenc");
  add_template (element_class, &text_template, "application/x-subtitle-vtt");
  add_template (element_class, &file_template,
                "video/quicktime; video/webm; audio/mpeg; audio/x-m4a");
}

/* The element's pad template for streams of @type. */
static GstPadTemplate *
template_for (GstOfflineSrc *self,
              GstStreamType  type)
{
  const char *name = type == GST_STREAM_TYPE_VIDEO ? "video_%u" :
    type == GST_STREAM_TYPE_AUDIO ? "audio_%u" : "text_%u";

  return gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self), name);
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

static void expose_pad (GstOfflineSrcPad *pad,
                        gpointer          user_data);
static void stream_gone (GstOfflineSrcPad *pad,
                         gpointer          user_data);
static void stream_ending (GstOfflineSrcPad *pad,
                           guint             was,
                           guint             now,
                           gpointer          user_data);
static gboolean wait_for_others (GstOfflineSrcPad *pad,
                                 gpointer          user_data);

/* The pads' hooks, their user_data being the element. */
static const GstOfflineSrcPadHooks pad_hooks = {
  .expose = expose_pad,
  .gone = stream_gone,
  .ending = stream_ending,
  .wait_for_others = wait_for_others,
  /* the playbin3 1.22 workaround (gstofflinesrc-startup.c) */
  .restarts_after_flush = gst_offline_src_startup_restarts,
};

/* Adds to @pads the pads of the streams of @track (track @index of the
 * entry): one, or two for video with muxed audio. */
void
gst_offline_src_add_stream_pads (GstOfflineSrc       *self,
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
    GstPadTemplate *templ = template_for (self, types[t]);
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
    g_ptr_array_add (pads, pad);
  }
}

gboolean
gst_offline_src_is_sparse (GstOfflineSrcPad *pad)
{
  return (gst_stream_get_stream_flags (gst_offline_src_pad_get_stream (pad)) &
          GST_STREAM_FLAG_SPARSE) != 0;
}

/* Called with the expose lock held. */
static void
maybe_no_more_pads (GstOfflineSrc *self)
{
  gboolean done;

  g_mutex_lock (&self->lock);
  done = !self->sent_no_more_pads && self->n_exposed >= self->n_expected;
  if (done)
    self->sent_no_more_pads = TRUE;
  g_mutex_unlock (&self->lock);
  if (done)
    gst_element_no_more_pads (GST_ELEMENT (self));
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

/* @count moved by one, up if @now reached @level and @was had not, down
 * if the other way round. */
static void
count_level (guint *count,
             guint  level,
             guint  was,
             guint  now)
{
  if (now >= level && was < level)
    (*count)++;
  else if (now < level && was >= level && *count > 0)
    (*count)--;   /* a seek reset the counts already */
}

static void
stream_ending (GstOfflineSrcPad *pad,
               guint             was,
               guint             now,
               gpointer          user_data)
{
  GstOfflineSrc *self = user_data;

  GST_DEBUG_OBJECT (pad, "ending: %u -> %u", was, now);
  g_mutex_lock (&self->lock);
  count_level (&self->n_ending, 1, was, now);
  count_level (&self->n_finished, 2, was, now);
  if (now >= 1 && was < 1)
    self->last_ending = g_get_monotonic_time ();
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
  GST_DEBUG_OBJECT (pad, "waited for %u of %u streams to end: %s", self->n_finished,
                    self->n_continuous, go_on ? "EOS" : "interrupted");
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
  if (!gst_offline_src_is_sparse (pad) && self->n_continuous > 0)
    self->n_continuous--;
  g_cond_broadcast (&self->eos_cond);
  g_mutex_unlock (&self->lock);
  g_mutex_lock (&self->expose_lock);
  maybe_no_more_pads (self);
  g_mutex_unlock (&self->expose_lock);
}

/* A pad got its caps (in the streaming thread of its demuxer). */
static void
expose_pad (GstOfflineSrcPad *pad,
            gpointer          user_data)
{
  GstOfflineSrc *self = user_data;

  GST_DEBUG_OBJECT (self, "exposing %" GST_PTR_FORMAT, pad);
  /* one pad-added or no-more-pads at a time, however many streaming
   * threads: handlers (gst-launch's delayed links, uridecodebin) expect
   * them in order, as from one thread */
  g_mutex_lock (&self->expose_lock);
  gst_element_add_pad (GST_ELEMENT (self), gst_object_ref (GST_PAD (pad)));
  g_mutex_lock (&self->lock);
  self->n_exposed++;
  g_mutex_unlock (&self->lock);
  maybe_no_more_pads (self);
  g_mutex_unlock (&self->expose_lock);
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
      if (!gst_offline_src_is_sparse (pad) && self->n_continuous > 0)
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
  g_mutex_lock (&self->expose_lock);
  maybe_no_more_pads (self);
  g_mutex_unlock (&self->expose_lock);
}

/* Adds the chains' elements and links them to the pads. */
void
gst_offline_src_build (GstOfflineSrc *self,
       GPtrArray     *chains,
       GPtrArray     *pads)
{
  for (guint i = 0; i < chains->len; i++) {
    GstOfflineSrcChain *chain = g_ptr_array_index (chains, i);
    GstPad *source_pad = gst_offline_track_src_get_pad (chain->source);

    /* the chain holds its own reference (sunk when it was made): the bin,
     * given an element that is not floating, takes another */
    gst_bin_add (GST_BIN (self), GST_ELEMENT (chain->source));
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
    gst_bin_add (GST_BIN (self), chain->demuxer);
    gst_element_link_pads (GST_ELEMENT (chain->source), "src", chain->demuxer, "sink");
  }
}
