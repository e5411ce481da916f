/* gstofflinesrc-startup.c: offlinesrc's start-up workaround for
 * playbin3 1.22
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What it protects against: a hang at start-up in playbin3 with GStreamer
 * 1.22. Its uridecodebin3 sets its source (urisourcebin, with offlinesrc
 * in it) to PAUSED before decodebin3, in one state change call. The
 * tracks start streaming as soon as offlinesrc is PAUSED, so their first
 * data can meet an element of decodebin3 still in READY, which refuses it
 * with FLUSHING though nothing flushed; a queue in between (playbin's, or
 * offlinesrc's own for muxed audio) then keeps returning FLUSHING, and the
 * stream stops for good: the pipeline never prerolls. Text streams whose
 * data all went into such a queue are hit as well.
 *
 * How, in two steps:
 * 1. A track's first data waits (2 s at most, or until a seek or a stop
 *    flushes the track) until no element above offlinesrc is in a state
 *    change call, i.e. has its state lock held by another thread
 *    (GstOfflineTrackSrcHooks.before_first_data). A prerolling pipeline
 *    has returned from its call (ASYNC): this never waits for the preroll.
 * 2. Should data still be refused with FLUSHING while the pipeline goes
 *    to PAUSED or PLAYING though offlinesrc flushed nothing
 *    (GstOfflineTrackSrcHooks.flushed_downstream), every stream starts
 *    over, since each was exposed to it: from another thread, 10 ms later,
 *    a flushing seek to where they started (the flush makes the queues
 *    take data again), one at a time and at most 20 per start. Meanwhile
 *    the pads do not count such a stream as ended
 *    (GstOfflineSrcPadHooks.restarts_after_flush), so the text streams
 *    wait for it. Outside start-up (a pipeline shutting down from the
 *    sinks up) a FLUSHING push just stops the track, as sources do.
 * Neither is enough alone: the wait is bounded and sees only state
 * change calls, so data may still be refused; step 2 alone could
 * deadlock, as decodebin3 1.22 holds every input in a blocking
 * buffer probe until all inputs had a buffer, and a FLUSH_STOP waits on
 * it. test-offlinesrc-playback's downstream-not-ready cases (first
 * buffers refused with FLUSHING) and the playbin3 cases of
 * test-offlinesrc-seek and test-offlinesrc exercise it.
 *
 * Removing it, once GStreamer 1.22 is no longer supported (check first
 * that the oldest supported uridecodebin3 no longer sets its source to
 * PAUSED before decodebin3, by running test-offlinesrc-seek and
 * test-offlinesrc under two CPU hogs, many times): delete this file,
 * gstofflinesrc-startup-private.h and its line in meson.build; in
 * gstofflinesrc-private.h the `startup` field of GstOfflineSrc and the
 * include; the hook entries that point here (track_hooks in
 * gstofflinesrc-open.c, pad_hooks in gstofflinesrc-pads.c; NULL hooks
 * mean no wait, and a FLUSHING push ends the stream); the reset of
 * `startup` in start() (gstofflinesrc.c) and the "Downstream not ready"
 * paragraph of its documentation; and the downstream-not-ready tests.
 */
#include "gstofflinesrc-private.h"

GST_DEBUG_CATEGORY_EXTERN (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

/* How long a track's first data waits at most for the state change calls
 * above it. */
#define ANCESTORS_WAIT (2 * G_TIME_SPAN_SECOND)
#define MAX_START_OVERS 20
#define START_OVER_DELAY (10 * G_TIME_SPAN_MILLISECOND)

/* Whether the pipeline @element is in (its topmost ancestor) is on its
 * way to PAUSED or PLAYING, not there yet. */
static gboolean
pipeline_starting (GstElement *element)
{
  GstObject *top = gst_object_ref (GST_OBJECT (element));
  GstObject *parent;
  gboolean starting;

  while ((parent = gst_object_get_parent (top)) != NULL) {
    gst_object_unref (top);
    top = parent;
  }
  GST_OBJECT_LOCK (top);
  starting = GST_STATE_TARGET (top) >= GST_STATE_PAUSED &&
    GST_STATE_PENDING (top) != GST_STATE_VOID_PENDING;
  GST_OBJECT_UNLOCK (top);
  gst_object_unref (top);
  return starting;
}

/* Whether an element above @element is in a state change call (its
 * state lock held by another thread). */
static gboolean
ancestor_changing_state (GstElement *element)
{
  GstObject *parent = gst_object_get_parent (GST_OBJECT (element));

  while (parent != NULL) {
    GstObject *next;

    if (GST_IS_ELEMENT (parent)) {
      if (!g_rec_mutex_trylock (GST_STATE_GET_LOCK (parent))) {
        gst_object_unref (parent);
        return TRUE;
      }
      g_rec_mutex_unlock (GST_STATE_GET_LOCK (parent));
    }
    next = gst_object_get_parent (parent);
    gst_object_unref (parent);
    parent = next;
  }
  return FALSE;
}

void
gst_offline_src_startup_wait (GstOfflineTrackSrc *source,
                              gpointer            user_data)
{
  GstPad *pad = gst_offline_track_src_get_pad (source);
  gint64 deadline = g_get_monotonic_time () + ANCESTORS_WAIT;

  while (!GST_PAD_IS_FLUSHING (pad) && g_get_monotonic_time () < deadline &&
         ancestor_changing_state (GST_ELEMENT (source)))
    g_usleep (G_TIME_SPAN_MILLISECOND);
}

/* Runs from gst_element_call_async(). */
static void
start_over (GstElement *element,
            gpointer    user_data)
{
  GstOfflineSrc *self = GST_OFFLINE_SRC (element);
  GstSeekFlags flags = GST_SEEK_FLAG_FLUSH;
  GstSegment segment;
  GstEvent *event;

  /* downstream finishes its state change meanwhile */
  g_usleep (START_OVER_DELAY);
  g_mutex_lock (&self->lock);
  self->startup.start_over_pending = FALSE;
  segment = self->segment;
  g_mutex_unlock (&self->lock);
  if (!pipeline_starting (element))
    return;
  GST_DEBUG_OBJECT (self, "downstream was not ready: starting over at %" GST_TIME_FORMAT,
                    GST_TIME_ARGS (segment.start));
  if (segment.flags & GST_SEGMENT_FLAG_SEGMENT)
    flags |= GST_SEEK_FLAG_SEGMENT;
  event = gst_event_new_seek (segment.rate, GST_FORMAT_TIME, flags, GST_SEEK_TYPE_SET,
                              segment.start, GST_SEEK_TYPE_SET, segment.stop);
  gst_offline_src_seek (self, event);
  gst_event_unref (event);
}

void
gst_offline_src_startup_flushed (GstOfflineTrackSrc *source,
                                 gpointer            user_data)
{
  GstOfflineSrc *self = user_data;
  gboolean go;

  if (!pipeline_starting (GST_ELEMENT (source)))
    return;
  GST_DEBUG_OBJECT (source, "downstream was flushing while the pipeline starts");
  g_mutex_lock (&self->lock);
  go = !self->startup.start_over_pending && self->startup.start_overs < MAX_START_OVERS;
  if (go) {
    self->startup.start_over_pending = TRUE;
    self->startup.start_overs++;
  }
  g_mutex_unlock (&self->lock);
  if (go)
    gst_element_call_async (GST_ELEMENT (self), start_over, NULL, NULL);
}

gboolean
gst_offline_src_startup_restarts (GstOfflineSrcPad *pad,
                                  gpointer          user_data)
{
  g_autoptr(GstElement) element = gst_pad_get_parent_element (GST_PAD (pad));

  return element != NULL && pipeline_starting (element);
}
