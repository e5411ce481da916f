/* gstofflinesrc-seek.c: offlinesrc's seeks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The same SEEK reaches every pad of offlinesrc (playbin, playbin3 and
 * decodebin send it to each sink); it is handled once per seqnum, from
 * the stored segment index, for every track at once:
 *
 * - flushing seeks flush every track source, stop its task, and restart
 *   it at the stored segment that contains the new position (with
 *   KEY_UNIT: the start of that segment of the video track, as stored
 *   segments start with a key frame; ACCURATE or not, the demuxers and
 *   decoders clip to the segment start);
 * - non-flushing seeks wait for each task to finish the push it is in
 *   (as GstBaseSrc does), then go on from the new position: the new
 *   segment's base is the running time the tracks had reached, so the
 *   data already queued downstream plays first;
 * - segment seeks (GST_SEEK_FLAG_SEGMENT) end with SEGMENT_DONE instead
 *   of EOS: each track source posts SEGMENT_START when it starts and
 *   SEGMENT_DONE at the end, which the bins gather into one SEGMENT_DONE
 *   message once every track is done.
 *
 * Seeks do not overlap: each repositions the tracks under the seek lock,
 * from the pause of their tasks to their restart. Two at once (the start
 * over's and an application's, or two start overs) could otherwise
 * interleave one's FLUSH_STOP with the other's restart, and a track
 * would push data after the FLUSH_STOP took its SEGMENT away. As in
 * GstBaseSrc, a flushing seek flushes before it waits for that lock, so
 * that a seek waiting for a push to return (a non-flushing one, in a
 * paused pipeline) stops waiting. The flushes themselves go one seek at a
 * time (the flush lock): downstream, one seek's FLUSH_START meeting
 * another's FLUSH_STOP in a queue could leave the queue running while
 * the FLUSH_START waits for its task to pause, for ever.
 *
 * Forward TIME seeks only (rate > 0); a partial entry never plays past
 * its playable end (a seek's stop is clamped to it).
 */
#include "gstofflinesrc-private.h"
#include "gstofflinesrcpad.h"

GST_DEBUG_CATEGORY_EXTERN (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

/* The source of the first video track, else the first source. */
static GstOfflineTrackSrc *
reference_source (GstOfflineSrc *self,
                  GList         *sources)
{
  for (guint i = 0; i < self->chains->len; i++) {
    const GstOfflineSrcChain *chain = g_ptr_array_index (self->chains, i);

    if (offline_track_get_track_type (chain->track) == OFFLINE_TRACK_TYPE_VIDEO)
      return chain->source;
  }
  return sources->data;
}

static void
push_flush_start (GstOfflineSrc *self,
                  GList         *sources,
                  guint32        seqnum)
{
  g_mutex_lock (&self->flush_lock);
  for (GList *l = sources; l != NULL; l = l->next) {
    GstPad *pad = gst_offline_track_src_get_pad (l->data);
    GstEvent *flush_start;

    /* flushed already: by this seek before it waited for the seek lock */
    if (GST_PAD_IS_FLUSHING (pad))
      continue;
    flush_start = gst_event_new_flush_start ();
    gst_event_set_seqnum (flush_start, seqnum);
    gst_pad_push_event (pad, flush_start);
  }
  g_mutex_unlock (&self->flush_lock);
}

/* Repositions every track; the seek lock held. */
static gboolean
reposition (GstOfflineSrc *self,
            gdouble        rate,
            GstFormat      format,
            GstSeekFlags   flags,
            GstSeekType    start_type,
            gint64         start,
            GstSeekType    stop_type,
            gint64         stop,
            guint32        seqnum)
{
  GList *sources = NULL;
  GList *flushed = NULL;        /* the sources that get FLUSH_START */
  GList *rebased = NULL;        /* (element-type GstOfflineSrcPad): pads of
                                 * the sources flushed inside only */
  GstOfflineTrackSrc *reference;
  GstSegment segment;
  GstClockTime playable_end;
  gboolean flush = (flags & GST_SEEK_FLAG_FLUSH) != 0;
  GstClockTime pushed_end = GST_CLOCK_TIME_NONE;

  g_mutex_lock (&self->lock);
  if (self->chains == NULL || self->chains->len == 0) {
    /* stopped while this seek waited for the one before */
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "seek %u: no entry open anymore", seqnum);
    return FALSE;
  }
  for (guint i = 0; i < self->chains->len; i++) {
    const GstOfflineSrcChain *chain = g_ptr_array_index (self->chains, i);

    sources = g_list_append (sources, gst_object_ref (chain->source));
    /* a text stream's push may wait downstream until the others move on
     * (playbin's input-selector), which they may not do: it is flushed
     * even for a non-flushing seek (text renderers keep the video going) */
    if (flush || offline_track_get_track_type (chain->track) == OFFLINE_TRACK_TYPE_TEXT) {
      flushed = g_list_append (flushed, chain->source);
    } else if (chain->rebase_on_flush) {
      /* a non-flushing seek: the demuxer needs a flush to take the new
       * segment, which the pads keep from downstream */
      flushed = g_list_append (flushed, chain->source);
      for (guint p = 0; p < self->pads->len; p++) {
        GstOfflineSrcPad *pad = g_ptr_array_index (self->pads, p);

        if (gst_offline_src_pad_get_track (pad) == chain->track)
          rebased = g_list_append (rebased, gst_object_ref (pad));
      }
    }
  }
  reference = reference_source (self, sources);
  segment = self->segment;
  playable_end = self->playable_end;
  g_mutex_unlock (&self->lock);

  /* a text stream may be waiting to push EOS: it is not to anymore */
  gst_offline_src_interrupt_eos (self, TRUE);
  for (GList *l = rebased; l != NULL; l = l->next)
    gst_offline_src_pad_set_internal_flush (l->data, seqnum);
  push_flush_start (self, flushed, seqnum);
  /* waits for each loop to return: at once when flushing, else once its
   * current push is done; every track is told first, so none goes on
   * (and pushes its EOS, which no segment would undo) while another's
   * push is waited for */
  for (GList *l = sources; l != NULL; l = l->next)
    gst_offline_track_src_pause (l->data, FALSE);
  for (GList *l = sources; l != NULL; l = l->next)
    gst_offline_track_src_pause (l->data, TRUE);

  if (!flush) {
    /* the new segment starts where the tracks got to */
    GstClockTime position = gst_offline_track_src_get_position (reference);

    if (GST_CLOCK_TIME_IS_VALID (position))
      segment.position = position;
  }
  /* the chains flushed inside have dropped what they held: the new
   * segment follows what the pads did push */
  for (GList *l = rebased; l != NULL; l = l->next) {
    GstClockTime end = gst_offline_src_pad_get_pushed_end (l->data);

    if (GST_CLOCK_TIME_IS_VALID (end) &&
        (!GST_CLOCK_TIME_IS_VALID (pushed_end) || end > pushed_end))
      pushed_end = end;
  }
  if (!gst_segment_do_seek (&segment, rate, format, flags, start_type, start, stop_type, stop,
                            NULL)) {
    GST_DEBUG_OBJECT (self, "seek %u: invalid", seqnum);
    for (GList *l = rebased; l != NULL; l = l->next)
      gst_offline_src_pad_set_internal_flush (l->data, 0);
    g_list_free_full (rebased, gst_object_unref);
    g_list_free (flushed);
    g_list_free_full (sources, gst_object_unref);
    return FALSE;   /* the tracks stay paused, as after any failed seek */
  }
  if (GST_CLOCK_TIME_IS_VALID (pushed_end))
    segment.base = pushed_end;
  /* a partial entry: nothing plays past the playable end */
  if (GST_CLOCK_TIME_IS_VALID (playable_end) &&
      (!GST_CLOCK_TIME_IS_VALID (segment.stop) || segment.stop > playable_end))
    segment.stop = playable_end;
  if (flags & GST_SEEK_FLAG_KEY_UNIT) {
    /* stored segments start with a key frame */
    segment.start = segment.time = segment.position =
      gst_offline_track_src_find_start (reference, segment.position);
  }
  GST_DEBUG_OBJECT (self, "seek %u to %" GST_SEGMENT_FORMAT, seqnum, &segment);

  g_mutex_lock (&self->lock);
  self->segment = segment;
  g_mutex_unlock (&self->lock);
  gst_offline_src_interrupt_eos (self, FALSE);

  g_mutex_lock (&self->flush_lock);
  for (GList *l = flushed; l != NULL; l = l->next) {
    GstEvent *flush_stop = gst_event_new_flush_stop (TRUE);

    gst_event_set_seqnum (flush_stop, seqnum);
    gst_pad_push_event (gst_offline_track_src_get_pad (l->data), flush_stop);
  }
  g_mutex_unlock (&self->flush_lock);
  for (GList *l = rebased; l != NULL; l = l->next)
    gst_offline_src_pad_set_internal_flush (l->data, 0);
  for (GList *l = sources; l != NULL; l = l->next)
    gst_offline_track_src_start (l->data, &segment, seqnum);
  g_list_free_full (rebased, gst_object_unref);
  g_list_free (flushed);
  g_list_free_full (sources, gst_object_unref);
  return TRUE;
}

gboolean
gst_offline_src_seek (GstOfflineSrc *self,
                      GstEvent      *event)
{
  GList *flushed = NULL;
  GstSeekFlags flags;
  GstSeekType start_type, stop_type;
  GstFormat format;
  gint64 start, stop;
  gdouble rate;
  gboolean ret;
  guint32 seqnum = gst_event_get_seqnum (event);

  gst_event_parse_seek (event, &rate, &format, &flags, &start_type, &start, &stop_type, &stop);
  if (format != GST_FORMAT_TIME || rate <= 0.0) {
    GST_DEBUG_OBJECT (self, "refusing a seek that is not a forward TIME seek");
    return FALSE;
  }

  g_mutex_lock (&self->lock);
  if (self->have_seek_seqnum && self->seek_seqnum == seqnum) {
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "seek %u already handled", seqnum);
    return TRUE;
  }
  if (self->chains == NULL || self->chains->len == 0) {
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "no entry open: cannot seek");
    return FALSE;
  }
  self->have_seek_seqnum = TRUE;
  self->seek_seqnum = seqnum;
  for (guint i = 0; i < self->chains->len && (flags & GST_SEEK_FLAG_FLUSH); i++) {
    const GstOfflineSrcChain *chain = g_ptr_array_index (self->chains, i);

    flushed = g_list_append (flushed, gst_object_ref (chain->source));
  }
  g_mutex_unlock (&self->lock);

  push_flush_start (self, flushed, seqnum);
  g_mutex_lock (&self->seek_lock);
  ret = reposition (self, rate, format, flags, start_type, start, stop_type, stop, seqnum);
  g_mutex_unlock (&self->seek_lock);
  g_list_free_full (flushed, gst_object_unref);
  return ret;
}
