/* gstofflinetracksrc.c: pushes one stored track's files, inside offlinesrc
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The "src" pad runs its own streaming task: it pushes the track's files
 * as buffers (see gstofflinepartreader.h), a media segment's first buffer
 * carrying the segment's start time as PTS, which puts qtdemux and tsdemux
 * in "upstream TIME" mode, then EOS once: at the end of the stored files,
 * or at the first media segment starting at or after the segment's stop
 * (a partial entry's playable end, see gstofflinesrc.c). Seeks and queries
 * that reach the pad are handled by offlinesrc (it sets the pad's event
 * and query functions), which repositions every track once. What the
 * source asks of offlinesrc goes through the hooks it was made with
 * (GstOfflineTrackSrcHooks): it knows nothing of the element it is in.
 * Of an entry still downloading, a part not stored yet is waited for
 * (GstOfflineTrackSrcHooks.wait_for_parts) before it is read.
 */
#include "gstofflinetracksrc.h"

GST_DEBUG_CATEGORY_EXTERN (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

struct _GstOfflineTrackSrc {
  GstElement parent_instance;

  /* Set at construction (or, @protection and the hooks, before the first
   * start), then read-only: no lock */
  GstPad *srcpad;
  GstCaps *caps;
  char *stream_id;
  guint group_id;
  gboolean sparse;
  GstEvent *protection;         /* (nullable) */
  const GstOfflineTrackSrcHooks *hooks;
  gpointer hooks_data;

  /* The STREAM_LOCK of @srcpad is held by the task while it runs its loop,
   * and by gst_offline_track_src_start(): */
  GstOfflinePartReader *reader; /* the pointer: read-only; its reading:
                                 * protected by srcpad's STREAM_LOCK (its
                                 * parts never change: find_start() reads
                                 * them unlocked) */
  GstSegment segment;           /* protected by srcpad's STREAM_LOCK; start
                                 * and stop shifted by ts_offset */
  GstClockTime ts_offset;       /* protected by srcpad's STREAM_LOCK; see
                                 * gst_offline_part_reader_get_ts_offset() */
  GstClockTime position;        /* protected by srcpad's STREAM_LOCK; see
                                 * gst_offline_track_src_get_position() */
  guint32 segment_seqnum;       /* protected by srcpad's STREAM_LOCK; of the
                                 * SEGMENT and EOS events */
  gboolean need_stream_start;   /* protected by srcpad's STREAM_LOCK */
  gboolean need_segment;        /* protected by srcpad's STREAM_LOCK */
  gboolean discont;             /* protected by srcpad's STREAM_LOCK; mark the
                                 * next buffer DISCONT */
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_FINAL_TYPE (GstOfflineTrackSrc, gst_offline_track_src, GST_TYPE_ELEMENT)

static void
gst_offline_track_src_finalize (GObject *object)
{
  GstOfflineTrackSrc *self = GST_OFFLINE_TRACK_SRC (object);

  g_clear_object (&self->reader);
  gst_clear_caps (&self->caps);
  gst_clear_event (&self->protection);
  g_free (self->stream_id);
  G_OBJECT_CLASS (gst_offline_track_src_parent_class)->finalize (object);
}

static void
gst_offline_track_src_class_init (GstOfflineTrackSrcClass *klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = gst_offline_track_src_finalize;
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Offline track source",
      "Source/File", "Pushes the stored files of one track of an offlinemgr entry",
      "offlinemgr developers");
}

static gboolean
activate_mode (GstPad    *pad,
               GstObject *parent,
               GstPadMode mode,
               gboolean   active)
{
  /* the pad is flushing by now: the loop returns at its next push */
  if (!active)
    return gst_pad_stop_task (pad);
  return TRUE;
}

static void
gst_offline_track_src_init (GstOfflineTrackSrc *self)
{
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_activatemode_function (self->srcpad, activate_mode);
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  self->segment_seqnum = gst_util_seqnum_next ();
  self->need_stream_start = TRUE;
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

GstOfflineTrackSrc *
gst_offline_track_src_new (const char           *name,
                           GstOfflinePartReader *reader,
                           GstCaps              *caps,
                           const char           *stream_id,
                           guint                 group_id,
                           gboolean              sparse)
{
  GstOfflineTrackSrc *self = g_object_new (GST_TYPE_OFFLINE_TRACK_SRC, "name", name, NULL);

  self->reader = reader;
  self->caps = gst_caps_ref (caps);
  self->stream_id = g_strdup (stream_id);
  self->group_id = group_id;
  self->sparse = sparse;
  return self;
}

void
gst_offline_track_src_set_hooks (GstOfflineTrackSrc            *self,
                                 const GstOfflineTrackSrcHooks *hooks,
                                 gpointer                       user_data)
{
  self->hooks = hooks;
  self->hooks_data = user_data;
}

GstPad *
gst_offline_track_src_get_pad (GstOfflineTrackSrc *self)
{
  return self->srcpad;
}

GstClockTime
gst_offline_track_src_find_start (GstOfflineTrackSrc *self,
                                  GstClockTime        position)
{
  /* the parts never change: no lock needed */
  return gst_offline_part_reader_find_start (self->reader, position);
}

GstClockTime
gst_offline_track_src_get_position (GstOfflineTrackSrc *self)
{
  GstClockTime position;

  GST_PAD_STREAM_LOCK (self->srcpad);
  position = self->position;
  GST_PAD_STREAM_UNLOCK (self->srcpad);
  return position;
}

/* The end of the stream, or of a segment seek's segment: EOS, or
 * SEGMENT_DONE (event and message, which the bins gather into one). */
static void
push_eos (GstOfflineTrackSrc *self)
{
  GstEvent *event;

  if (self->segment.flags & GST_SEGMENT_FLAG_SEGMENT) {
    GstClockTime stop = GST_CLOCK_TIME_IS_VALID (self->segment.stop) ?
      self->segment.stop - self->ts_offset : self->position;
    GstMessage *message = gst_message_new_segment_done (GST_OBJECT (self), GST_FORMAT_TIME,
                                                        stop);

    GST_DEBUG_OBJECT (self, "segment done at %" GST_TIME_FORMAT, GST_TIME_ARGS (stop));
    gst_message_set_seqnum (message, self->segment_seqnum);
    if (self->sparse)
      gst_message_unref (message);
    else
      gst_element_post_message (GST_ELEMENT (self), message);
    event = gst_event_new_segment_done (GST_FORMAT_TIME, stop);
  } else {
    GST_DEBUG_OBJECT (self, "EOS at %" GST_TIME_FORMAT, GST_TIME_ARGS (self->position));
    event = gst_event_new_eos ();
  }
  gst_event_set_seqnum (event, self->segment_seqnum);
  gst_pad_push_event (self->srcpad, event);
}

static void
push_stream_start (GstOfflineTrackSrc *self)
{
  GstEvent *event = gst_event_new_stream_start (self->stream_id);

  gst_event_set_group_id (event, self->group_id);
  gst_pad_push_event (self->srcpad, event);
  gst_pad_push_event (self->srcpad, gst_event_new_caps (self->caps));
  /* before the init segment: qtdemux picks its protection system then */
  if (self->protection != NULL)
    gst_pad_push_event (self->srcpad, gst_event_ref (self->protection));
}

void
gst_offline_track_src_set_protection (GstOfflineTrackSrc *self,
                                      GstEvent           *protection)
{
  gst_event_replace (&self->protection, protection);
}

static void
loop (gpointer data)
{
  GstOfflineTrackSrc *self = data;
  GstElement *element = GST_ELEMENT (self);
  g_autoptr(GError) error = NULL;
  GstBuffer *buffer;
  GstFlowReturn ret;

  if (self->need_stream_start) {
    /* the first data may wait until what is downstream is ready for it
     * (or offlinesrc stops or seeks) */
    if (self->hooks->before_first_data != NULL)
      self->hooks->before_first_data (self, self->hooks_data);
    if (GST_PAD_IS_FLUSHING (self->srcpad))
      return;     /* what flushes pauses or stops the task */
    push_stream_start (self);
    self->need_stream_start = FALSE;
  }
  if (self->need_segment) {
    GstEvent *event = gst_event_new_segment (&self->segment);

    gst_event_set_seqnum (event, self->segment_seqnum);
    gst_pad_push_event (self->srcpad, event);
    /* a flushing pad stored no SEGMENT: pushed at the restart that
     * follows the flush (a seek's), if any */
    if (GST_PAD_IS_FLUSHING (self->srcpad)) {
      gst_pad_pause_task (self->srcpad);
      return;
    }
    self->need_segment = FALSE;
  }

  while (!gst_offline_part_reader_next_is_stored (self->reader)) {
    GstOfflineTrackSrcWait verdict = self->hooks->wait_for_parts != NULL ?
      self->hooks->wait_for_parts (self, self->hooks_data) : GST_OFFLINE_TRACK_SRC_WAIT_END;

    if (verdict == GST_OFFLINE_TRACK_SRC_WAIT_FLUSHING)
      return;     /* what flushes pauses or stops the task */
    if (verdict == GST_OFFLINE_TRACK_SRC_WAIT_END)
      goto eos;
  }
  buffer = gst_offline_part_reader_next (self->reader, &error);
  if (buffer == NULL && error != NULL) {
    self->hooks->error (self, error, self->hooks_data);
    goto eos;
  }
  if (buffer == NULL ||
      (GST_BUFFER_PTS_IS_VALID (buffer) && GST_CLOCK_TIME_IS_VALID (self->segment.stop) &&
       GST_BUFFER_PTS (buffer) + self->ts_offset >= self->segment.stop)) {
    g_clear_pointer (&buffer, gst_buffer_unref);
    goto eos;
  }
  if (self->discont) {
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
    self->discont = FALSE;
  }

  if (GST_BUFFER_PTS_IS_VALID (buffer))
    self->position = GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer);
  ret = gst_pad_push (self->srcpad, buffer);
  if (ret == GST_FLOW_OK)
    return;
  GST_DEBUG_OBJECT (self, "pausing: %s", gst_flow_get_name (ret));
  /* flushing that is not offlinesrc's (the pad would be flushing): the
   * owner may start the track over; any other time (a pipeline shutting
   * down from the sinks up) it stops, as sources do */
  if (ret == GST_FLOW_FLUSHING && !GST_PAD_IS_FLUSHING (self->srcpad) &&
      self->hooks->flushed_downstream != NULL)
    self->hooks->flushed_downstream (self, self->hooks_data);
  if (ret == GST_FLOW_FLUSHING || ret == GST_FLOW_EOS || ret == GST_FLOW_NOT_LINKED) {
    /* flushing: a seek, a start over or a state change restarts or stops
     * the task; EOS: downstream wants no more (it sent or will send EOS itself);
     * not linked: playbin ignores this stream (another pad plays). Both
     * end the stream with EOS, as GstBaseSrc does: decodebin3 ends its
     * outputs only once every input ended, a deselected one too */
    if (ret == GST_FLOW_EOS || ret == GST_FLOW_NOT_LINKED)
      push_eos (self);
    gst_pad_pause_task (self->srcpad);
    return;
  }
  GST_ELEMENT_FLOW_ERROR (element, ret);

eos:
  push_eos (self);
  gst_pad_pause_task (self->srcpad);
}

void
gst_offline_track_src_pause (GstOfflineTrackSrc *self,
                             gboolean            wait)
{
  GstTask *task;

  if (wait) {
    gst_pad_pause_task (self->srcpad);
    return;
  }
  GST_OBJECT_LOCK (self->srcpad);
  task = GST_PAD_TASK (self->srcpad);
  if (task != NULL)
    gst_object_ref (task);
  GST_OBJECT_UNLOCK (self->srcpad);
  if (task != NULL && gst_task_get_state (task) == GST_TASK_STARTED)
    gst_task_pause (task);
  g_clear_pointer (&task, gst_object_unref);
}

gboolean
gst_offline_track_src_start (GstOfflineTrackSrc *self,
                             const GstSegment   *segment,
                             guint32             seqnum)
{
  GST_PAD_STREAM_LOCK (self->srcpad);
  gst_segment_copy_into (segment, &self->segment);
  self->position = gst_offline_part_reader_seek (self->reader, segment->position);
  /* tsdemux keeps the TS timestamps (rebased on the first PCR): the
   * segment maps the first frame of the stored segment onto its stored
   * start time, as stream time, so positions and durations match the
   * entry's timeline */
  self->ts_offset = gst_offline_part_reader_get_ts_offset (self->reader);
  self->segment.start += self->ts_offset;
  self->segment.position += self->ts_offset;
  if (GST_CLOCK_TIME_IS_VALID (self->segment.stop))
    self->segment.stop += self->ts_offset;
  self->segment_seqnum = seqnum;
  self->need_segment = TRUE;
  self->discont = TRUE;
  GST_PAD_STREAM_UNLOCK (self->srcpad);
  if ((segment->flags & GST_SEGMENT_FLAG_SEGMENT) && !self->sparse) {
    GstMessage *message = gst_message_new_segment_start (GST_OBJECT (self), GST_FORMAT_TIME,
                                                         segment->position);

    gst_message_set_seqnum (message, seqnum);
    gst_element_post_message (GST_ELEMENT (self), message);
  }
  return gst_pad_start_task (self->srcpad, loop, self, NULL);
}
