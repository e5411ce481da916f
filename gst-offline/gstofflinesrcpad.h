/* gstofflinesrcpad.h: a src pad of offlinesrc, one per stored stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "offline-track.h"

G_BEGIN_DECLS

#define GST_TYPE_OFFLINE_SRC_PAD (gst_offline_src_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstOfflineSrcPad, gst_offline_src_pad, GST, OFFLINE_SRC_PAD, GstPad)

/* What a pad asks of its element, from the streaming thread: the element
 * gives the table and its @user_data when it makes the pad, so the pad
 * knows nothing of the element it is in. All are required but
 * @restarts_after_flush, which may be NULL. */
typedef struct {
  /* once, when @pad got its caps and can be added to the element */
  void (*expose) (GstOfflineSrcPad *pad,
                  gpointer          user_data);
  /* when the stream of @pad ended before it had caps (an error): @pad
   * will not be exposed */
  void (*gone) (GstOfflineSrcPad *pad,
                gpointer          user_data);
  /* about the stream of @pad, not a sparse one: how far it got to its
   * end since the last flush or segment went from @was to @now: 0
   * playing, 1 about to push EOS, 2 ended (that push returned, or
   * downstream takes no more: not linked, an error, a flush that is not
   * offlinesrc's); back to 0 when downstream is flushed */
  void (*ending) (GstOfflineSrcPad *pad,
                  guint             was,
                  guint             now,
                  gpointer          user_data);
  /* before pushing EOS on @pad, a sparse stream's: waits until the other
   * streams ended (decodebin3 drops a stream that ends before the
   * others), or returns FALSE at once if a seek or a state change
   * interrupts (the EOS is then dropped) */
  gboolean (*wait_for_others) (GstOfflineSrcPad *pad,
                               gpointer          user_data);
  /* a push of @pad returned FLUSHING though the element flushed nothing
   * (the internal sink pad is not flushing): whether the stream will
   * start over, so that it does not count as ended; NULL: it ends */
  gboolean (*restarts_after_flush) (GstOfflineSrcPad *pad,
                                    gpointer          user_data);
} GstOfflineSrcPadHooks;

/* A pad named @name that exposes @stream, one stream of @collection,
 * stored in @track, as one stream of group @group_id. It is active, not
 * yet added to an element. What its internal sink pad
 * (gst_offline_src_pad_get_sink()) receives, the demuxed stream, it
 * pushes on, as the stream of @collection: STREAM_START gets the stream's
 * id, the group id and @stream, a STREAM_COLLECTION with @collection
 * follows (the demuxer's own collections are dropped) and stream tags get
 * the track's language, title and bitrate. It calls @hooks with
 * @user_data (both not owned; they must outlive the pad's streaming). */
GstOfflineSrcPad *gst_offline_src_pad_new (const char                 *name,
                                           GstPadTemplate             *templ,
                                           OfflineTrack               *track,
                                           GstStream                  *stream,
                                           GstStreamCollection        *collection,
                                           guint                       group_id,
                                           const GstOfflineSrcPadHooks *hooks,
                                           gpointer                    user_data);

/* The internal sink pad (transfer none), to link the demuxer's src pad
 * (or the track source) to. */
GstPad *gst_offline_src_pad_get_sink (GstOfflineSrcPad *self);

/* The pad the demuxer is to link to: the internal sink pad, or the sink
 * pad of an element in front of it (set before streaming starts). */
GstPad *gst_offline_src_pad_get_entry (GstOfflineSrcPad *self);
void gst_offline_src_pad_set_entry (GstOfflineSrcPad *self,
                                    GstPad           *entry);

OfflineTrack *gst_offline_src_pad_get_track (GstOfflineSrcPad *self);

GstStream *gst_offline_src_pad_get_stream (GstOfflineSrcPad *self);

/* Sends @event (taken) upstream, to the demuxer: what the pad does with
 * the upstream events offlinesrc does not handle itself. */
gboolean gst_offline_src_pad_forward_event (GstOfflineSrcPad *self,
                                            GstEvent         *event);

/* Asks @query upstream, of the demuxer. */
gboolean gst_offline_src_pad_forward_query (GstOfflineSrcPad *self,
                                            GstQuery         *query);

/* Makes the pad keep to itself the FLUSH_START and FLUSH_STOP events of
 * @seqnum that reach it (0: none): a flush of the chain inside offlinesrc
 * only, for a non-flushing seek. Call it from the thread that pushes them. */
void gst_offline_src_pad_set_internal_flush (GstOfflineSrcPad *self,
                                             guint32           seqnum);

/* The running time at which the data the pad pushed ends (since its
 * last flush), NONE before any; read it while nothing streams. */
GstClockTime gst_offline_src_pad_get_pushed_end (GstOfflineSrcPad *self);

/* Deactivates the internal sink pad (after the demuxers stopped). */
void gst_offline_src_pad_deactivate (GstOfflineSrcPad *self);

G_END_DECLS
