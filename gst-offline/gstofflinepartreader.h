/* gstofflinepartreader.h: reads one stored track's files in order
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "offline-stored-entry.h"

G_BEGIN_DECLS

#define GST_TYPE_OFFLINE_PART_READER (gst_offline_part_reader_get_type ())
G_DECLARE_FINAL_TYPE (GstOfflinePartReader, gst_offline_part_reader, GST, OFFLINE_PART_READER, GObject)

/* A reader of track @track_index of @stored: its init segments and media
 * segments, in order (offline_stored_entry_get_track_parts()). Unless
 * @follow, only the contiguous prefix of parts that are done is read (a
 * paused download plays what it has). With @follow (an entry still
 * downloading), the parts not stored yet are kept too:
 * gst_offline_part_reader_update() learns which got stored, and
 * gst_offline_part_reader_next_is_stored() says whether the next one can
 * be read. HLS AES-128 segments are decrypted as they are read, with their
 * stored key (read here) and IV. Fails with OFFLINE_ERROR_ENTRY_INCOMPLETE
 * if no media segment of the track is stored, OFFLINE_ERROR_ENTRY_DAMAGED
 * if a stored file is missing or has the wrong size, or an encrypted
 * segment's key is missing or not 16 bytes (or it has no 16-byte IV).
 * The reader keeps no reference to @stored. */
GstOfflinePartReader *gst_offline_part_reader_new (OfflineStoredEntry  *stored,
                                                   guint                track_index,
                                                   gboolean             follow,
                                                   GError             **error);

/* Marks the parts that @stored (a later snapshot of the same entry) has
 * done as stored. Any thread (the reader's own lock guards this against
 * the streaming thread); FALSE with OFFLINE_ERROR_ENTRY_DAMAGED if a new
 * part's key cannot be read. */
gboolean gst_offline_part_reader_update (GstOfflinePartReader  *self,
                                         OfflineStoredEntry    *stored,
                                         GError               **error);

/* Whether the part gst_offline_part_reader_next() reads next is stored
 * (TRUE at the end too). */
gboolean gst_offline_part_reader_next_is_stored (GstOfflinePartReader *self);

/* The end of the last media segment of the contiguous stored prefix. */
GstClockTime gst_offline_part_reader_get_end (GstOfflinePartReader *self);

/* Whether every media segment of the track is stored. */
gboolean gst_offline_part_reader_is_complete (GstOfflinePartReader *self);

/* The caps of the track's data, found from the first bytes of its first
 * file (decrypted): video/quicktime (fMP4), video/mpegts,
 * application/x-subtitle-vtt, … NULL with OFFLINE_ERROR_ENTRY_DAMAGED if
 * they cannot be told, or the file cannot be read or decrypted. */
GstCaps *gst_offline_part_reader_get_caps (GstOfflinePartReader  *self,
                                           GError               **error);

/* Positions the reader on the media segment that contains @position (the
 * first one if @position is before it), preceded by its init segment
 * unless that is the init segment read last (the demuxer still has it).
 * Returns that segment's start time. */
GstClockTime gst_offline_part_reader_seek (GstOfflinePartReader *self,
                                           GstClockTime          position);

/* How much later than the stored start time the demuxer (in upstream
 * TIME mode) timestamps the first frame of the media segment that the
 * last gst_offline_part_reader_seek() positioned on. MPEG-TS: the
 * segment's lowest PES timestamp minus its first PCR, the base tsdemux
 * maps onto the buffer PTS. Fragmented MP4: the start of its init
 * segment's edit list (elst media_time, e.g. AAC priming), which qtdemux
 * ignores in that mode. 0 for other data, or if they are not found. */
GstClockTime gst_offline_part_reader_get_ts_offset (GstOfflinePartReader *self);

/* The start time of the media segment that contains @position. */
GstClockTime gst_offline_part_reader_find_start (GstOfflinePartReader *self,
                                                 GstClockTime          position);

/* The next file as one read-only buffer (decrypted if it is encrypted): a
 * media segment's has its start time as PTS and its duration as
 * duration (and DISCONT at an HLS discontinuity), an init segment's has no timestamp. NULL at the end
 * (with @error unset), or with OFFLINE_ERROR_ENTRY_DAMAGED if the file is
 * gone or truncated, or an encrypted one's length is not a multiple of 16
 * or its PKCS#7 padding is invalid. */
GstBuffer *gst_offline_part_reader_next (GstOfflinePartReader  *self,
                                         GError               **error);

G_END_DECLS
