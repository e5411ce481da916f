/* gstofflinesrcpad.h: a src pad of offlinesrc, one per stored track
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstofflinepartreader.h"
#include "offline-track.h"

G_BEGIN_DECLS

#define GST_TYPE_OFFLINE_SRC_PAD (gst_offline_src_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstOfflineSrcPad, gst_offline_src_pad, GST, OFFLINE_SRC_PAD, GstPad)

/* A pad named @name for @track, reading with @reader (taken), whose data
 * has @caps. Its stream is @stream_id in group @group_id. The pad is made
 * active and its STREAM_START, CAPS and TAG events are stored on it, so
 * they are there before the pad is added to the element. */
GstOfflineSrcPad *gst_offline_src_pad_new (const char            *name,
                                           GstPadTemplate        *templ,
                                           OfflineTrack          *track,
                                           GstOfflinePartReader  *reader,
                                           GstCaps               *caps,
                                           const char            *stream_id,
                                           guint                  group_id);

/* (Re)starts the pad's streaming task at the stored segment that
 * contains @segment's position, with @segment and the seek @seqnum. A
 * running task must be paused first (gst_pad_pause_task()). */
gboolean gst_offline_src_pad_start (GstOfflineSrcPad *self,
                                    const GstSegment *segment,
                                    guint32           seqnum);

/* The start time of the stored segment that contains @position. */
GstClockTime gst_offline_src_pad_find_start (GstOfflineSrcPad *self,
                                             GstClockTime      position);

OfflineTrack *gst_offline_src_pad_get_track (GstOfflineSrcPad *self);

G_END_DECLS
