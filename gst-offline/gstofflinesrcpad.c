/* gstofflinesrcpad.c: a src pad of offlinesrc, one per stored track
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each pad runs its own streaming task: it pushes its track's files as
 * buffers (see gstofflinepartreader.h), a media segment's first buffer
 * carrying the segment's start time as PTS, which puts qtdemux and tsdemux
 * in "upstream TIME" mode, then EOS once: at the end of the stored files,
 * or at the first media segment starting at or after the segment's stop
 * (a partial entry's playable end, see gstofflinesrc.c). Seeks are handled
 * by the element (gstofflinesrc.c), which repositions every pad once.
 */
#include "gstofflinesrcpad.h"

#include "gstofflinesrc.h"
#include "offline-error.h"

GST_DEBUG_CATEGORY_EXTERN (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

struct _GstOfflineSrcPad {
  GstPad parent_instance;

  /* Set at construction, then read-only: */
  OfflineTrack *track;

  /* Guarded by the pad's STREAM_LOCK (held by the task while it runs its
   * loop, and by gst_offline_src_pad_start()): */
  GstOfflinePartReader *reader;
  GstSegment segment;           /* start and stop shifted by ts_offset */
  GstClockTime ts_offset;       /* see gst_offline_part_reader_get_ts_offset() */
  guint32 segment_seqnum;       /* of the SEGMENT and EOS events */
  gboolean need_segment;
  gboolean discont;             /* mark the next buffer DISCONT */
};

G_DEFINE_FINAL_TYPE (GstOfflineSrcPad, gst_offline_src_pad, GST_TYPE_PAD)

static void
gst_offline_src_pad_finalize (GObject *object)
{
  GstOfflineSrcPad *self = GST_OFFLINE_SRC_PAD (object);

  g_clear_object (&self->track);
  g_clear_object (&self->reader);
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
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  self->segment_seqnum = gst_util_seqnum_next ();
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

GstOfflineSrcPad *
gst_offline_src_pad_new (const char            *name,
                         GstPadTemplate        *templ,
                         OfflineTrack          *track,
                         GstOfflinePartReader  *reader,
                         GstCaps               *caps,
                         const char            *stream_id,
                         guint                  group_id)
{
  GstOfflineSrcPad *self = g_object_new (GST_TYPE_OFFLINE_SRC_PAD,
                                         "name", name,
                                         "direction", GST_PAD_SRC,
                                         "template", templ,
                                         NULL);
  GstEvent *event;

  self->track = g_object_ref (track);
  self->reader = reader;
  gst_pad_set_activatemode_function (GST_PAD (self), activate_mode);
  gst_pad_use_fixed_caps (GST_PAD (self));
  gst_pad_set_active (GST_PAD (self), TRUE);

  event = gst_event_new_stream_start (stream_id);
  gst_event_set_group_id (event, group_id);
  if (offline_track_get_track_type (track) == OFFLINE_TRACK_TYPE_TEXT)
    gst_event_set_stream_flags (event, GST_STREAM_FLAG_SPARSE);
  gst_pad_push_event (GST_PAD (self), event);
  gst_pad_push_event (GST_PAD (self), gst_event_new_caps (caps));
  gst_pad_push_event (GST_PAD (self), gst_event_new_tag (stream_tags (track)));
  return self;
}

OfflineTrack *
gst_offline_src_pad_get_track (GstOfflineSrcPad *self)
{
  return self->track;
}

GstClockTime
gst_offline_src_pad_find_start (GstOfflineSrcPad *self,
                                GstClockTime      position)
{
  /* the parts never change: no lock needed */
  return gst_offline_part_reader_find_start (self->reader, position);
}

static void
push_eos (GstOfflineSrcPad *self)
{
  GstEvent *event = gst_event_new_eos ();

  gst_event_set_seqnum (event, self->segment_seqnum);
  gst_pad_push_event (GST_PAD (self), event);
}

static void
loop (gpointer data)
{
  GstOfflineSrcPad *self = data;
  GstElement *element = GST_ELEMENT (gst_pad_get_parent (GST_PAD (self)));
  g_autoptr(GError) error = NULL;
  GstBuffer *buffer;
  GstFlowReturn ret;

  if (element == NULL) {
    gst_pad_pause_task (GST_PAD (self));
    return;
  }
  if (self->need_segment) {
    GstEvent *event = gst_event_new_segment (&self->segment);

    gst_event_set_seqnum (event, self->segment_seqnum);
    gst_pad_push_event (GST_PAD (self), event);
    self->need_segment = FALSE;
  }

  buffer = gst_offline_part_reader_next (self->reader, &error);
  if (buffer == NULL && error != NULL) {
    gst_offline_src_post_error (element, error);
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

  ret = gst_pad_push (GST_PAD (self), buffer);
  if (ret == GST_FLOW_OK) {
    gst_object_unref (element);
    return;
  }
  GST_DEBUG_OBJECT (self, "pausing: %s", gst_flow_get_name (ret));
  if (ret == GST_FLOW_FLUSHING || ret == GST_FLOW_EOS || ret == GST_FLOW_NOT_LINKED) {
    /* flushing: a seek or a state change restarts or stops the task;
     * EOS: downstream wants no more (it sent or will send EOS itself);
     * not linked: playbin ignores this stream (another pad plays) */
    if (ret == GST_FLOW_EOS)
      push_eos (self);
    gst_pad_pause_task (GST_PAD (self));
    gst_object_unref (element);
    return;
  }
  GST_ELEMENT_FLOW_ERROR (element, ret);

eos:
  push_eos (self);
  gst_pad_pause_task (GST_PAD (self));
  gst_object_unref (element);
}

gboolean
gst_offline_src_pad_start (GstOfflineSrcPad *self,
                           const GstSegment *segment,
                           guint32           seqnum)
{
  GST_PAD_STREAM_LOCK (self);
  gst_segment_copy_into (segment, &self->segment);
  gst_offline_part_reader_seek (self->reader, segment->position);
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
  GST_PAD_STREAM_UNLOCK (self);
  return gst_pad_start_task (GST_PAD (self), loop, self, NULL);
}
