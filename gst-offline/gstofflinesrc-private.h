/* gstofflinesrc-private.h: offlinesrc's state, shared by its files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "gstofflinesrc.h"
#include "gstofflinesrc-follow-private.h"
#include "gstofflinesrc-opening-private.h"
#include "gstofflinesrc-startup-private.h"
#include "gstofflinesrcpad.h"
#include "gstofflinetracksrc.h"
#include "offline-entry.h"
#include "offline-stored-entry.h"

G_BEGIN_DECLS

/* What plays one stored track inside offlinesrc: its track source, then
 * the demuxer its data needs (none for WebVTT), whose src pads are linked
 * to offlinesrc's pads (gstofflinesrcpad.h). */
typedef struct {
  /* Set when the chain is made (gstofflinesrc-open.c), then read-only: */
  OfflineTrack *track;
  GstOfflineTrackSrc *source;
  GstOfflinePartReader *reader; /* the source's, for following a download */
  GstElement *demuxer;          /* (nullable) */
  gboolean rebase_on_flush;     /* the demuxer takes a new segment only after a
                                 * flush (tsdemux) */
  /* Not shared: the thread's that made the chain (filled in start() or
   * by the opening thread, emptied in stop()): */
  GPtrArray *queues;            /* (element-type GstElement): one per stream of a
                                 * demuxer of several, so each has a thread */
} GstOfflineSrcChain;

struct _GstOfflineSrc {
  GstBin parent_instance;

  char *entry_id;               /* protected by OBJECT_LOCK */
  char *store_path;             /* protected by OBJECT_LOCK */
  OfflineEntry *entry;          /* protected by OBJECT_LOCK; once opened */
  GstContext *keys_context;     /* protected by OBJECT_LOCK; (nullable) a
                                 * protected entry's keys, once opened */

  /* Held while adding a pad or sending no-more-pads (taken before @lock): */
  GMutex expose_lock;
  /* Held through a seek's repositioning of the tracks, from their pause
   * to their restart (taken before @lock; see gstofflinesrc-seek.c): */
  GMutex seek_lock;
  /* Held while pushing FLUSH_START or FLUSH_STOP on the tracks, so that
   * two seeks' flushes never interleave downstream (taken after
   * @seek_lock, before @lock): */
  GMutex flush_lock;

  /* Not shared: the state-change thread's. A progressive entry's
   * (gstofflinesrc-file.c), else NULL; set in start(), dropped in stop(): */
  GstElement *file_source;
  GstPad *file_pad;

  /* Never held while pushing, or changing pads or states: */
  GMutex lock;
  /* The arrays are made in start() on the state-change thread (or, for
   * an entry whose first segments were not stored then, on the opening
   * thread, which stop() joins first) and dropped in stop(); the thread
   * that made them also reads them without @lock; between the two, only
   * the fields below them change: */
  GPtrArray *chains;            /* protected by lock; (element-type
                                 * GstOfflineSrcChain) */
  GPtrArray *pads;              /* protected by lock; (element-type
                                 * GstOfflineSrcPad): all, exposed or not */
  guint n_expected;             /* protected by lock; pads that will be exposed */
  guint n_exposed;              /* protected by lock */
  gboolean sent_no_more_pads;   /* protected by lock */
  /* Sparse (text) streams push EOS only once the others ended (see
   * GstOfflineSrcPadHooks.wait_for_others): */
  GCond eos_cond;               /* waited on with lock */
  guint n_continuous;           /* protected by lock; pads of streams that are
                                 * not sparse */
  guint n_ending;               /* protected by lock; of those, about to push EOS
                                 * since the last seek */
  guint n_finished;             /* protected by lock; of those, done pushing EOS
                                 * since the last seek */
  gint64 last_ending;           /* protected by lock; monotonic time of the last
                                 * n_ending increase */
  gboolean eos_interrupted;     /* protected by lock; a seek or stop is waking
                                 * the waiters */
  GstClockTime duration;        /* protected by lock */
  GstClockTime playable_end;    /* protected by lock; of a partial entry, else
                                 * NONE */
  GstSegment segment;           /* protected by lock; of the last seek */
  gboolean have_seek_seqnum;    /* protected by lock */
  guint32 seek_seqnum;          /* protected by lock; the last seek handled */
  GstOfflineSrcStartup startup; /* protected by lock; the playbin3 1.22
                                 * workaround's (gstofflinesrc-startup.c) */
  /* An entry still downloading (gstofflinesrc-follow.c); its own lock: */
  GstOfflineSrcFollow follow;
  /* One whose first segments are not stored yet
   * (gstofflinesrc-opening.c); its poll's lock: */
  GstOfflineSrcOpening opening;
};

/* Posts @error (OFFLINE_ERROR) as an ERROR message of @element (offlinesrc
 * or one of its children), a GST_RESOURCE_ERROR whose details carry
 * "offline-error-domain" (string, "offline-error-quark") and
 * "offline-error-code" (int, an OfflineError). */
void gst_offline_src_post_error (GstElement   *element,
                                 const GError *error);
/* The same as a message of @type: GST_MESSAGE_ERROR or
 * GST_MESSAGE_WARNING. */
void gst_offline_src_post_message (GstElement     *element,
                                   GstMessageType  type,
                                   const GError   *error);
/* Posts BUFFERING @percent of @element: 0 while waiting for the download,
 * 100 when playback can go on (gstofflinesrc-follow.c,
 * gstofflinesrc-opening.c). */
void gst_offline_src_post_buffering (GstElement *element,
                                     int         percent);

/* gstofflinesrc-open.c: the entry's chains (element-type
 * GstOfflineSrcChain, elements not yet added) and their streams' pads in
 * *@pads (element-type GstOfflineSrcPad, not yet linked); sets *@entry,
 * *@duration and *@playable_end (the shortest track's stored end for a
 * partial entry, else NONE), and *@keys_context for a protected entry
 * (else NULL), and *@follow for an entry still downloading (its readers
 * keep the parts not stored yet). For a progressive entry: no chain or pad,
 * and *@file_path gets its stored file (else NULL). NULL with an
 * OFFLINE_ERROR. */
GPtrArray *gst_offline_src_open_entry (GstOfflineSrc  *self,
                                       OfflineEntry  **entry,
                                       GstContext    **keys_context,
                                       GPtrArray     **pads,
                                       GstClockTime   *duration,
                                       GstClockTime   *playable_end,
                                       gboolean       *follow,
                                       char          **file_path,
                                       GError        **error);

/* gstofflinesrc-license.c: a protected entry (see there). */

/* FALSE with OFFLINE_ERROR_LICENSE_EXPIRED if @entry is protected and its
 * licence has expired. */
gboolean gst_offline_src_check_license (OfflineEntry  *entry,
                                        GError       **error);

/* The "offlinemgr.keys" context of @keys (KID in 32 hex digits → 16-byte
 * key, as offline_stored_entry_get_license_keys() gives them). */
GstContext *gst_offline_src_keys_context_new (GHashTable *keys);

/* Answers @query with @context (nullable) if it is a CONTEXT query for
 * "offlinemgr.keys". */
gboolean gst_offline_src_keys_answer (GstQuery   *query,
                                      GstContext *context);

/* The protection event of the W3C common Clear Key system for @keys. */
GstEvent *gst_offline_src_protection_event_new (GHashTable *keys);

/* gstofflinesrc-file.c: the stored file of progressive entry @stored,
 * checked: NULL with OFFLINE_ERROR_ENTRY_INCOMPLETE if it is not stored,
 * OFFLINE_ERROR_ENTRY_DAMAGED if it is missing or has another size than
 * stored. */
char *gst_offline_src_file_find (OfflineStoredEntry  *stored,
                                 GError             **error);

/* Adds a filesrc reading @path and exposes its pad as the element's one
 * `src_0` pad (then no-more-pads). */
gboolean gst_offline_src_file_start (GstOfflineSrc  *self,
                                     const char     *path,
                                     GError        **error);

/* Removes what gst_offline_src_file_start() added, if anything. */
void gst_offline_src_file_stop (GstOfflineSrc *self);

/* gstofflinesrc-pads.c: adds offlinesrc's (documented) pad templates. */
void gst_offline_src_add_pad_templates (GstElementClass *element_class);

/* gstofflinesrc-pads.c: adds to @pads the pads of the streams of @track
 * (track @index of the entry, in @collection): one, or two for video with
 * muxed audio. */
void gst_offline_src_add_stream_pads (GstOfflineSrc       *self,
                                      OfflineTrack        *track,
                                      guint                index,
                                      const char          *uri_hash,
                                      GstStreamCollection *collection,
                                      guint                group_id,
                                      GPtrArray           *pads);

/* Adds the chains' elements to the element and links them to the pads
 * (those of muxed tracks as their demuxers' pads appear). */
void gst_offline_src_build (GstOfflineSrc *self,
                            GPtrArray     *chains,
                            GPtrArray     *pads);

/* Whether @pad's stream is sparse (text). */
gboolean gst_offline_src_is_sparse (GstOfflineSrcPad *pad);

/* Wakes the sparse streams waiting to push EOS, and makes them drop it
 * (@interrupt TRUE), or lets them wait again for the streams that start
 * over (@interrupt FALSE). */
void gst_offline_src_interrupt_eos (GstOfflineSrc *self,
                                    gboolean       interrupt);

/* Handles a SEEK event that arrived on one of the element's pads (or a
 * track source's), once per seqnum: repositions every track. */
gboolean gst_offline_src_seek (GstOfflineSrc *self,
                               GstEvent      *event);

G_END_DECLS
