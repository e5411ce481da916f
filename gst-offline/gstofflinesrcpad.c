/* gstofflinesrcpad.c: a src pad of offlinesrc, one per stored stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each pad has an internal sink pad (not part of any element) that the
 * track's demuxer inside offlinesrc (or, for data that needs none, the
 * track source) is linked to. Everything that arrives there runs in that
 * demuxer's streaming thread and is pushed on from this pad, rewritten so
 * that downstream sees the streams of offlinesrc's one stream collection
 * (see gstofflinesrcpad.h): playbin3's decodebin3 then gets the whole
 * collection at once, with the stored languages, instead of one demuxer
 * collection after another. What the pad asks of offlinesrc goes through
 * the hooks it was made with (GstOfflineSrcPadHooks).
 */
#include "gstofflinesrcpad.h"

GST_DEBUG_CATEGORY_EXTERN (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

struct _GstOfflineSrcPad {
  GstPad parent_instance;

  /* Set at construction (or, @entry, before streaming starts), then
   * read-only: no lock */
  OfflineTrack *track;
  GstStream *stream;            /* its caps are set once known (the stream's
                                 * own OBJECT_LOCK) */
  GstStreamCollection *collection;
  guint group_id;
  GstPad *sinkpad;              /* internal, its element_private is this pad */
  GstPad *entry;                /* see gst_offline_src_pad_get_entry() */
  const GstOfflineSrcPadHooks *hooks;
  gpointer hooks_data;
  gboolean sparse;

  /* Not shared: set and read by the thread of a seek, which pushes the
   * FLUSH events it is about itself (see
   * gst_offline_src_pad_set_internal_flush()) */
  guint32 internal_flush;

  /* The sink pad's STREAM_LOCK is held by the demuxer's streaming thread
   * (serialized events and buffers) and by get_pushed_end(): */
  gboolean exposed;             /* protected by sinkpad's STREAM_LOCK */
  gboolean sent_tags;           /* protected by sinkpad's STREAM_LOCK */
  GstSegment segment;           /* protected by sinkpad's STREAM_LOCK; the last
                                 * one pushed */
  GstClockTime pushed_end;      /* protected by sinkpad's STREAM_LOCK; see
                                 * gst_offline_src_pad_get_pushed_end() */
  guint ending;                 /* protected by sinkpad's STREAM_LOCK; since the
                                 * last flush or segment: 1 about to push EOS,
                                 * 2 ended (see GstOfflineSrcPadHooks) */
};

G_DEFINE_FINAL_TYPE (GstOfflineSrcPad, gst_offline_src_pad, GST_TYPE_PAD)

static void
gst_offline_src_pad_finalize (GObject *object)
{
  GstOfflineSrcPad *self = GST_OFFLINE_SRC_PAD (object);

  g_clear_object (&self->track);
  gst_clear_object (&self->stream);
  gst_clear_object (&self->collection);
  gst_clear_object (&self->sinkpad);
  gst_clear_object (&self->entry);
  G_OBJECT_CLASS (gst_offline_src_pad_parent_class)->finalize (object);
}

static void
gst_offline_src_pad_class_init (GstOfflineSrcPadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_offline_src_pad_finalize;
}

static void
gst_offline_src_pad_init (GstOfflineSrcPad *self)
{
  gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
  self->pushed_end = GST_CLOCK_TIME_NONE;
}

/* The demuxer's stream tags with the stored ones (language, title,
 * bitrate) put over them. */
static GstEvent *
merge_tags (GstOfflineSrcPad *self,
            GstEvent         *event)
{
  g_autoptr(GstTagList) ours = gst_stream_get_tags (self->stream);
  GstTagList *tags = NULL;

  if (event != NULL) {
    gst_event_parse_tag (event, &tags);
    if (gst_tag_list_get_scope (tags) != GST_TAG_SCOPE_STREAM)
      return event;
    tags = gst_tag_list_merge (ours, tags, GST_TAG_MERGE_KEEP);
    gst_event_unref (event);
  } else {
    tags = gst_tag_list_copy (ours);
  }
  gst_tag_list_set_scope (tags, GST_TAG_SCOPE_STREAM);
  return gst_event_new_tag (tags);
}

/* Tells the element how far the stream got to its end:
 * GstOfflineSrcPadHooks.ending. */
static void
set_ending (GstOfflineSrcPad *self,
            guint             level)
{
  guint was = self->ending;

  if (self->sparse || was == level)
    return;
  self->ending = level;
  self->hooks->ending (self, was, level, self->hooks_data);
}

static gboolean
sink_event (GstPad    *pad,
            GstObject *parent,
            GstEvent  *event)
{
  GstOfflineSrcPad *self = gst_pad_get_element_private (pad);
  GstEvent *ours;
  GstCaps *caps;

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_FLUSH_START:
  case GST_EVENT_FLUSH_STOP:
    if (self->internal_flush != 0 && gst_event_get_seqnum (event) == self->internal_flush) {
      gst_event_unref (event);
      return TRUE;
    }
    if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
      set_ending (self, 0);
      self->pushed_end = GST_CLOCK_TIME_NONE;
    }
    return gst_pad_push_event (GST_PAD (self), event);
  case GST_EVENT_STREAM_START:
    ours = gst_event_new_stream_start (gst_stream_get_stream_id (self->stream));
    gst_event_set_group_id (ours, self->group_id);
    gst_event_set_stream (ours, self->stream);
    gst_event_set_stream_flags (ours, gst_stream_get_stream_flags (self->stream));
    gst_event_set_seqnum (ours, gst_event_get_seqnum (event));
    gst_event_unref (event);
    gst_pad_push_event (GST_PAD (self), ours);
    return gst_pad_push_event (GST_PAD (self),
                               gst_event_new_stream_collection (self->collection));
  case GST_EVENT_STREAM_COLLECTION:
    /* ours replaces the demuxer's */
    gst_event_unref (event);
    return TRUE;
  case GST_EVENT_CAPS:
    gst_event_parse_caps (event, &caps);
    gst_stream_set_caps (self->stream, caps);
    gst_pad_push_event (GST_PAD (self), event);
    if (!self->sent_tags) {
      gst_pad_push_event (GST_PAD (self), merge_tags (self, NULL));
      self->sent_tags = TRUE;
    }
    if (!self->exposed) {
      self->exposed = TRUE;
      self->hooks->expose (self, self->hooks_data);
    }
    return TRUE;
  case GST_EVENT_SEGMENT:
    gst_event_copy_segment (event, &self->segment);
    self->ending = 0;
    return gst_pad_push_event (GST_PAD (self), event);
  case GST_EVENT_EOS: {
    gboolean pushed;

    if (!self->exposed) {
      self->exposed = TRUE;   /* never, now */
      gst_event_unref (event);
      self->hooks->gone (self, self->hooks_data);
      return TRUE;
    }

    if (self->sparse && !self->hooks->wait_for_others (self, self->hooks_data)) {
      GST_DEBUG_OBJECT (self, "interrupted: dropping EOS");
      gst_event_unref (event);
      return FALSE;
    }
    set_ending (self, 1);
    pushed = gst_pad_push_event (GST_PAD (self), event);
    set_ending (self, 2);
    return pushed;
  }
  case GST_EVENT_TAG:
    return gst_pad_push_event (GST_PAD (self), merge_tags (self, event));
  default:
    return gst_pad_push_event (GST_PAD (self), event);
  }
}

static GstFlowReturn
sink_chain (GstPad    *pad,
            GstObject *parent,
            GstBuffer *buffer)
{
  GstOfflineSrcPad *self = gst_pad_get_element_private (pad);
  GstClockTime end = GST_BUFFER_PTS (buffer);
  GstFlowReturn ret;

  if (GST_CLOCK_TIME_IS_VALID (end) && self->segment.format == GST_FORMAT_TIME) {
    if (GST_BUFFER_DURATION_IS_VALID (buffer))
      end += GST_BUFFER_DURATION (buffer);
    end = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, end);
    if (GST_CLOCK_TIME_IS_VALID (end) &&
        (!GST_CLOCK_TIME_IS_VALID (self->pushed_end) || end > self->pushed_end))
      self->pushed_end = end;
  }
  ret = gst_pad_push (GST_PAD (self), buffer);

  /* not linked, EOS, an error: nothing more of this stream plays, the
   * text streams are not to wait for it. Nor after flushing that is not
   * offlinesrc's (a seek of offlinesrc flushes the internal sink pad too),
   * unless the stream starts over (GstOfflineSrcPadHooks) */
  if (ret == GST_FLOW_FLUSHING &&
      (GST_PAD_IS_FLUSHING (pad) ||
       (self->hooks->restarts_after_flush != NULL &&
        self->hooks->restarts_after_flush (self, self->hooks_data))))
    return ret;
  if (ret != GST_FLOW_OK)
    set_ending (self, 2);
  return ret;
}

static gboolean
sink_query (GstPad    *pad,
            GstObject *parent,
            GstQuery  *query)
{
  /* allocation, caps, accept-caps…: whatever is downstream answers */
  return gst_pad_peer_query (GST_PAD (gst_pad_get_element_private (pad)), query);
}

GstOfflineSrcPad *
gst_offline_src_pad_new (const char                 *name,
                         GstPadTemplate             *templ,
                         OfflineTrack               *track,
                         GstStream                  *stream,
                         GstStreamCollection        *collection,
                         guint                       group_id,
                         const GstOfflineSrcPadHooks *hooks,
                         gpointer                    user_data)
{
  GstOfflineSrcPad *self = g_object_new (GST_TYPE_OFFLINE_SRC_PAD,
                                         "name", name,
                                         "direction", GST_PAD_SRC,
                                         "template", templ,
                                         NULL);
  g_autofree char *sink_name = g_strconcat (name, "-sink", NULL);

  self->track = g_object_ref (track);
  self->stream = gst_object_ref (stream);
  self->collection = gst_object_ref (collection);
  self->group_id = group_id;
  self->hooks = hooks;
  self->hooks_data = user_data;
  self->sparse = (gst_stream_get_stream_flags (stream) & GST_STREAM_FLAG_SPARSE) != 0;

  self->sinkpad = gst_object_ref_sink (gst_pad_new (sink_name, GST_PAD_SINK));
  gst_pad_set_element_private (self->sinkpad, self);
  gst_pad_set_event_function (self->sinkpad, sink_event);
  gst_pad_set_chain_function (self->sinkpad, sink_chain);
  gst_pad_set_query_function (self->sinkpad, sink_query);
  gst_pad_set_active (self->sinkpad, TRUE);
  self->entry = gst_object_ref (self->sinkpad);

  gst_pad_use_fixed_caps (GST_PAD (self));
  gst_pad_set_active (GST_PAD (self), TRUE);
  return self;
}

GstPad *
gst_offline_src_pad_get_sink (GstOfflineSrcPad *self)
{
  return self->sinkpad;
}

GstPad *
gst_offline_src_pad_get_entry (GstOfflineSrcPad *self)
{
  return self->entry;
}

void
gst_offline_src_pad_set_entry (GstOfflineSrcPad *self,
                               GstPad           *entry)
{
  gst_object_replace ((GstObject **) &self->entry, GST_OBJECT (entry));
}

OfflineTrack *
gst_offline_src_pad_get_track (GstOfflineSrcPad *self)
{
  return self->track;
}

GstStream *
gst_offline_src_pad_get_stream (GstOfflineSrcPad *self)
{
  return self->stream;
}

gboolean
gst_offline_src_pad_forward_event (GstOfflineSrcPad *self,
                                   GstEvent         *event)
{
  return gst_pad_push_event (self->sinkpad, event);
}

gboolean
gst_offline_src_pad_forward_query (GstOfflineSrcPad *self,
                                   GstQuery         *query)
{
  return gst_pad_peer_query (self->sinkpad, query);
}

void
gst_offline_src_pad_set_internal_flush (GstOfflineSrcPad *self,
                                        guint32           seqnum)
{
  self->internal_flush = seqnum;
}

GstClockTime
gst_offline_src_pad_get_pushed_end (GstOfflineSrcPad *self)
{
  GstClockTime end;

  GST_PAD_STREAM_LOCK (self->sinkpad);
  end = self->pushed_end;
  GST_PAD_STREAM_UNLOCK (self->sinkpad);
  return end;
}

void
gst_offline_src_pad_deactivate (GstOfflineSrcPad *self)
{
  gst_pad_set_active (self->sinkpad, FALSE);
}
