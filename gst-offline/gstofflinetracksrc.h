/* gstofflinetracksrc.h: pushes one stored track's files, inside offlinesrc
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstofflinepartreader.h"

G_BEGIN_DECLS

/* An element of offlinesrc's own (not registered): one per stored track,
 * with one always "src" pad whose streaming task pushes the track's files
 * as gstofflinepartreader.h reads them (the stored bytes: fragmented MP4,
 * MPEG-TS, WebVTT …) to the track's demuxer inside offlinesrc. */
#define GST_TYPE_OFFLINE_TRACK_SRC (gst_offline_track_src_get_type ())
G_DECLARE_FINAL_TYPE (GstOfflineTrackSrc, gst_offline_track_src, GST, OFFLINE_TRACK_SRC, GstElement)

/* What a track source asks of its owner (offlinesrc), from its
 * streaming thread: the owner sets the table and its @user_data
 * (gst_offline_track_src_set_hooks()) when it makes the source, as
 * splitmuxsrc gives its part readers their callbacks, so the source
 * knows nothing of the element it is in. @error is required; the others
 * may be NULL. */
/* What GstOfflineTrackSrcHooks.wait_for_parts found. */
typedef enum {
  GST_OFFLINE_TRACK_SRC_WAIT_AGAIN,     /* more parts may be stored: look again */
  GST_OFFLINE_TRACK_SRC_WAIT_END,       /* no more will be: the stream ends (EOS) */
  GST_OFFLINE_TRACK_SRC_WAIT_FLUSHING,  /* the pad is flushing (a seek or a stop) */
} GstOfflineTrackSrcWait;

typedef struct {
  /* the track's files could not be read: @error (an OFFLINE_ERROR), to
   * post as an ERROR message of @source; the stream then ends (EOS) */
  void (*error) (GstOfflineTrackSrc *source, const GError *error, gpointer user_data);
  /* once, before the stream's first data (STREAM_START): may block
   * until downstream is ready for it, and is to return as soon as the
   * source's pad is flushing (a seek or a stop); NULL: no wait */
  void (*before_first_data) (GstOfflineTrackSrc *source, gpointer user_data);
  /* a push returned FLUSHING though the source's pad is not flushing
   * (downstream flushes, not the owner): the task pauses after this
   * returns, until the owner restarts it (gst_offline_track_src_start())
   * or stops it; NULL: nothing more */
  void (*flushed_downstream) (GstOfflineTrackSrc *source, gpointer user_data);
  /* the next part of the track is not stored yet (an entry still
   * downloading, gst_offline_part_reader_new() with follow): may block
   * until more parts may be stored, and is to return as soon as the
   * source's pad is flushing; NULL: the stream ends there */
  GstOfflineTrackSrcWait (*wait_for_parts) (GstOfflineTrackSrc *source, gpointer user_data);
} GstOfflineTrackSrcHooks;

/* A track source named @name reading with @reader (taken), whose data
 * has @caps, in stream @stream_id of group @group_id. A @sparse track's
 * (text) does not post SEGMENT_START and SEGMENT_DONE messages: the
 * other tracks say when a segment seek's segment is done (a sparse
 * stream's push may wait downstream for them, e.g. in playbin's
 * input-selector). Its hooks are to be set before it starts. */
GstOfflineTrackSrc *gst_offline_track_src_new (const char           *name,
                                               GstOfflinePartReader *reader,
                                               GstCaps              *caps,
                                               const char           *stream_id,
                                               guint                 group_id,
                                               gboolean              sparse);

/* Makes the source call @hooks with @user_data (both not owned; they must
 * outlive the source's streaming). Before the first start only. */
void gst_offline_track_src_set_hooks (GstOfflineTrackSrc            *self,
                                      const GstOfflineTrackSrcHooks *hooks,
                                      gpointer                       user_data);

/* Sends @protection (a PROTECTION event) after the caps of every stream
 * start. Before the first start only. */
void gst_offline_track_src_set_protection (GstOfflineTrackSrc *self,
                                           GstEvent           *protection);

/* The "src" pad (transfer none). */
GstPad *gst_offline_track_src_get_pad (GstOfflineTrackSrc *self);

/* Pauses the streaming task: it pushes nothing more once the push it is
 * in returns (at once when flushing). With @wait, returns then, else at
 * once: pausing every track first, then waiting for each, keeps one track
 * from going on (to its EOS) while another's push is waited for. */
void gst_offline_track_src_pause (GstOfflineTrackSrc *self,
                                  gboolean            wait);

/* (Re)starts the streaming task at the stored segment that contains
 * @segment's position, with @segment and the seek @seqnum. A running
 * task must be paused first (gst_offline_track_src_pause(), after a
 * FLUSH_START to have it at once). */
gboolean gst_offline_track_src_start (GstOfflineTrackSrc *self,
                                      const GstSegment   *segment,
                                      guint32             seqnum);

/* How far the task pushed, on the entry's timeline: the end of the last
 * media segment pushed (the segment's start before the first). Read it
 * while the task is paused. */
GstClockTime gst_offline_track_src_get_position (GstOfflineTrackSrc *self);

/* The start time of the stored segment that contains @position. */
GstClockTime gst_offline_track_src_find_start (GstOfflineTrackSrc *self,
                                               GstClockTime        position);

G_END_DECLS
