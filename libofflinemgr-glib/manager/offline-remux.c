/* offline-remux.c: remuxing a stored entry into a plain MP4 or Matroska
 * file (offline_manager_export_async())
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pipeline, run on the manager's main context (its bus watch, the
 * progress timer, the cancellation):
 *
 *   offlinesrc ─┬─ video_0 ─ [decryptor] ─ queue ─ parser ─┐
 *               └─ audio_0 ─ [decryptor] ─ queue ─ parser ─┼─ mp4mux / matroskamux ─ filesink
 *   offlinesrc ─── text_0 ────────────────── queue ─ subparse ─┘    (PATH's temporary file)
 *
 * Nothing is re-encoded. Protected streams (application/x-cenc) go
 * through the decryptor that takes them (offlinecencdec, with the keys
 * offlinesrc answers its context query with); HLS AES-128 segments are
 * decrypted by offlinesrc itself. WebVTT goes through subparse, which
 * gives plain timed text (text/x-raw, utf8) that both muxers take. The
 * stored file of a progressive entry (offlinesrc's one src_0 pad) is
 * demuxed by a decodebin that stops at what the muxer takes.
 * offline-remux-elements.c knows the elements: which muxer, what it
 * takes, which parser or decryptor fits a stream.
 *
 * Two details make the muxers work with offlinesrc:
 * - a muxer writes its header with the pads it has when the first data
 *   arrives, and offlinesrc adds its pads as it finds their streams: each
 *   queue's src pad is blocked until every source said no-more-pads, then
 *   all the streams are linked to the muxer at once;
 * - offlinesrc pushes the EOS of a text stream only after the others
 *   ended (for decodebin3), which would make a muxer wait for ever for
 *   text that never comes: the text streams come from a second offlinesrc
 *   of the same entry whose other pads are not linked (a stream not linked
 *   ends at once, and its text streams do not wait for it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "offline-enum-types.h"
#include "offline-error.h"
#include "offline-remux-elements-private.h"
#include "offline-remux-private.h"

#define PROGRESS_INTERVAL_MS 250
/* How much each stream may run ahead of the others (the queues): room
 * for the interleaving of muxed MPEG-TS, and for the streams found first
 * while the others are being found. */
#define QUEUE_TIME (5 * GST_SECOND)
/* Branch.end of a stream that ended */
#define ENDED (G_MAXUINT64 - 1)

typedef struct _Remux Remux;

/* One stream on its way to the muxer: [decryptor →] queue → [parser →]. */
typedef struct {
  Remux *remux;                 /* (unowned) it outlives the streaming */
  GstPad *out;                  /* (owned) the pad to link to the muxer */
  GstPad *blocked;              /* (owned) the queue's src pad */
  gulong block_id;              /* its blocking probe, until linked */
  gboolean sparse;              /* text: dropped if the muxer takes none,
                                 * not counted for the progress */
  char *caps_name;              /* (owned) for messages */
  guint order;                  /* of the tracks in the file: video, audio, text… */
  char *pad_name;               /* (owned) … then by the name of their pad */
  GstSegment segment;           /* its streaming thread's, for running times */
  GstClockTime end;             /* guarded by Remux.lock; running time reached,
                                 * NONE before its first buffer, ENDED after
                                 * EOS */
} Branch;

struct _Remux {
  GTask *task;                  /* (owned) */
  GMainContext *context;        /* (owned) */
  char *path;                   /* (owned) the destination */
  char *part_path;              /* (owned) (nullable) the file being written */
  GstElement *pipeline;         /* (owned) (nullable) */
  GstElement *source;           /* (unowned) the offlinesrc of the other streams */
  GstElement *text_source;      /* (unowned) (nullable) the offlinesrc of the text streams */
  GstElement *muxer;            /* (unowned) */
  GSource *bus_source;          /* (owned) (nullable) */
  GSource *timer_source;        /* (owned) (nullable) */
  GSource *cancel_source;       /* (owned) (nullable) */
  OfflineExportProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  GTimeSpan entry_duration;     /* µs, as stored */
  GTimeSpan duration;           /* µs, as offlinesrc plays it; 0 until known */

  GMutex lock;                  /* for the streaming threads: */
  GPtrArray *branches;          /* guarded by @lock; (element-type Branch) (owned) */
  guint pending_sources;        /* guarded by @lock; elements whose no-more-pads
                                 * has not come */
};

static void
branch_free (Branch *branch)
{
  gst_clear_object (&branch->out);
  gst_clear_object (&branch->blocked);
  g_free (branch->caps_name);
  g_free (branch->pad_name);
  g_free (branch);
}

/* ---- what is refused before anything runs ---- */

static gboolean
check_entry (OfflineEntry        *entry,
             OfflineExportFlags   flags,
             GError             **error)
{
  OfflineDownloadState state = offline_entry_get_state (entry);
  gint64 expiration = offline_entry_get_license_expiration (entry);
  g_autoptr(GEnumClass) states = NULL;

  if (state != OFFLINE_DOWNLOAD_STATE_COMPLETED &&
      !(state == OFFLINE_DOWNLOAD_STATE_PAUSED && (flags & OFFLINE_EXPORT_FLAGS_PARTIAL))) {
    states = g_type_class_ref (OFFLINE_TYPE_DOWNLOAD_STATE);
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "Entry \"%s\" is %s, not completed: %s", offline_entry_get_id (entry),
                 g_enum_get_value (states, state)->value_nick,
                 state == OFFLINE_DOWNLOAD_STATE_PAUSED ?
                 "export its stored part with OFFLINE_EXPORT_FLAGS_PARTIAL (--partial)" :
                 "only a completed or paused entry can be exported");
    return FALSE;
  }
  /* offlinesrc would refuse it too, once started */
  if (offline_entry_get_is_protected (entry) && expiration != 0 &&
      expiration <= g_get_real_time () / G_USEC_PER_SEC) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_EXPIRED,
                 "The licence of entry \"%s\" has expired: renew it before exporting it",
                 offline_entry_get_id (entry));
    return FALSE;
  }
  return TRUE;
}

/* Creates the temporary file beside @path (so that renaming it is
 * atomic): .NAME.XXXXXX.part. */
static char *
make_part_file (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX.part", base);
  g_autofree char *part = g_build_filename (dir, name, NULL);
  int fd = g_mkstemp_full (part, O_RDWR | O_CLOEXEC, 0666);
  int saved_errno = errno;

  if (fd < 0) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 "Cannot write a file in %s: %s", dir, g_strerror (saved_errno));
    return NULL;
  }
  g_close (fd, NULL);
  return g_steal_pointer (&part);
}

/* ---- the end ---- */

static void
query_duration (Remux *remux)
{
  gint64 duration = -1;

  if (remux->duration == 0 &&
      gst_element_query_duration (remux->source, GST_FORMAT_TIME, &duration) && duration > 0)
    remux->duration = duration / GST_USECOND;
}

static void
report_progress (Remux     *remux,
                 GTimeSpan  exported)
{
  if (remux->progress != NULL)
    remux->progress (MIN (exported, remux->duration), remux->duration, remux->progress_data);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Stops the pipeline, keeps or removes the file, completes the task with
 * @error (owned, nullable) and frees @remux. */
static void
finish (Remux  *remux,
        GError *error)
{
  clear_source (&remux->bus_source);
  clear_source (&remux->timer_source);
  clear_source (&remux->cancel_source);
  if (remux->pipeline != NULL) {
    query_duration (remux);
    gst_element_set_state (remux->pipeline, GST_STATE_NULL);
  }
  if (remux->duration == 0)
    remux->duration = remux->entry_duration;

  if (error == NULL && g_rename (remux->part_path, remux->path) != 0) {
    int saved_errno = errno;

    error = g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                         "Cannot rename the exported file to %s: %s", remux->path,
                         g_strerror (saved_errno));
  }
  if (error != NULL && remux->part_path != NULL)
    g_unlink (remux->part_path);

  if (error == NULL) {
    report_progress (remux, remux->duration);
    g_task_return_boolean (remux->task, TRUE);
  } else {
    g_task_return_error (remux->task, error);
  }

  gst_clear_object (&remux->pipeline);
  g_clear_pointer (&remux->branches, g_ptr_array_unref);
  g_mutex_clear (&remux->lock);
  if (remux->progress_destroy != NULL)
    remux->progress_destroy (remux->progress_data);
  g_object_unref (remux->task);
  g_main_context_unref (remux->context);
  g_free (remux->path);
  g_free (remux->part_path);
  g_free (remux);
}

/* An ERROR message as an error of the export: offlinesrc's carry their
 * OFFLINE_ERROR code in their details, ours are OFFLINE_ERROR already. */
static GError *
message_error (GstMessage *message)
{
  g_autoptr(GError) error = NULL;
  const GstStructure *details = NULL;
  g_autofree char *from = gst_object_get_name (GST_MESSAGE_SRC (message));
  int code = OFFLINE_ERROR_FAILED;

  gst_message_parse_error (message, &error, NULL);
  gst_message_parse_error_details (message, &details);
  if (error->domain == OFFLINE_ERROR)
    return g_steal_pointer (&error);
  if (details != NULL &&
      g_strcmp0 (gst_structure_get_string (details, "offline-error-domain"),
                 g_quark_to_string (OFFLINE_ERROR)) == 0)
    gst_structure_get_int (details, "offline-error-code", &code);
  else if (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT))
    code = OFFLINE_ERROR_OUT_OF_SPACE;
  else if (g_error_matches (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN) ||
           g_error_matches (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION) ||
           g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND) ||
           g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT))
    code = OFFLINE_ERROR_NOT_SUPPORTED;
  return g_error_new (OFFLINE_ERROR, code, "%s (%s)", error->message, from);
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  Remux *remux = user_data;

  finish (remux, g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED,
                              "The export to %s was cancelled", remux->path));
  return G_SOURCE_REMOVE;
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  Remux *remux = user_data;

  switch (GST_MESSAGE_TYPE (message)) {
  case GST_MESSAGE_EOS:
    /* cancelled meanwhile (its source not dispatched yet): still cancelled */
    if (g_cancellable_is_cancelled (g_task_get_cancellable (remux->task)))
      cancelled_cb (NULL, remux);
    else
      finish (remux, NULL);
    return G_SOURCE_REMOVE;
  case GST_MESSAGE_ERROR:
    finish (remux, message_error (message));
    return G_SOURCE_REMOVE;
  default:
    return G_SOURCE_CONTINUE;
  }
}

/* From a streaming thread: ends the export with @error (owned). */
static void
post_error (Remux  *remux,
            GError *error)
{
  gst_element_post_message (remux->pipeline,
                            gst_message_new_error (GST_OBJECT (remux->pipeline), error, NULL));
  g_error_free (error);
}

/* ---- progress ---- */

static gboolean
timer_cb (gpointer user_data)
{
  Remux *remux = user_data;
  GstClockTime reached = G_MAXUINT64;

  query_duration (remux);
  if (remux->duration == 0)
    return G_SOURCE_CONTINUE;
  /* the slowest stream */
  g_mutex_lock (&remux->lock);
  for (guint i = 0; i < remux->branches->len; i++) {
    Branch *branch = g_ptr_array_index (remux->branches, i);

    if (!branch->sparse)
      reached = MIN (reached, GST_CLOCK_TIME_IS_VALID (branch->end) ? branch->end : 0);
  }
  g_mutex_unlock (&remux->lock);
  if (reached != G_MAXUINT64)
    report_progress (remux, reached >= ENDED ? remux->duration : (GTimeSpan) (reached / GST_USECOND));
  return G_SOURCE_CONTINUE;
}

static GstPadProbeReturn
progress_probe (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  Branch *branch = user_data;
  GstClockTime end = GST_CLOCK_TIME_NONE;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

    if (GST_BUFFER_PTS_IS_VALID (buffer) && branch->segment.format == GST_FORMAT_TIME)
      end = gst_segment_to_running_time (&branch->segment, GST_FORMAT_TIME,
                                         GST_BUFFER_PTS (buffer) +
                                         (GST_BUFFER_DURATION_IS_VALID (buffer) ?
                                          GST_BUFFER_DURATION (buffer) : 0));
  } else {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT)
      gst_event_copy_segment (event, &branch->segment);
    else if (GST_EVENT_TYPE (event) == GST_EVENT_EOS)
      end = ENDED;
  }
  if (GST_CLOCK_TIME_IS_VALID (end)) {
    g_mutex_lock (&branch->remux->lock);
    if (!GST_CLOCK_TIME_IS_VALID (branch->end) || end > branch->end)
      branch->end = end;
    g_mutex_unlock (&branch->remux->lock);
  }
  return GST_PAD_PROBE_OK;
}

/* ---- the streams (in streaming threads) ---- */

/* Adds @elements (NULL ones skipped) to @bin and links them after @pad;
 * returns the last one's src pad, NULL if they do not link. */
static GstPad *
add_chain (GstBin     *bin,
           GstPad     *pad,
           GstElement *elements[],
           guint       n_elements)
{
  GstPad *out = gst_object_ref (pad);

  for (guint i = 0; i < n_elements; i++)
    if (elements[i] != NULL)
      gst_bin_add (bin, elements[i]);
  for (guint i = 0; i < n_elements; i++) {
    g_autoptr(GstPad) sink = NULL;

    if (elements[i] == NULL)
      continue;
    sink = gst_element_get_static_pad (elements[i], "sink");
    if (gst_pad_link (out, sink) != GST_PAD_LINK_OK) {
      gst_object_unref (out);
      return NULL;
    }
    gst_object_unref (out);
    out = gst_element_get_static_pad (elements[i], "src");
  }
  /* downstream first, so that nothing flows into an element not started */
  for (guint i = n_elements; i > 0; i--)
    if (elements[i - 1] != NULL)
      gst_element_sync_state_with_parent (elements[i - 1]);
  return out;
}

static void
drop_elements (GstElement *elements[],
               guint       n_elements)
{
  for (guint i = 0; i < n_elements; i++)
    if (elements[i] != NULL)
      gst_object_unref (gst_object_ref_sink (elements[i]));
}

static GstPadProbeReturn
block_probe (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  return GST_PAD_PROBE_OK;
}

/* The caps of @pad's stream: offlinesrc sets them before it adds the pad,
 * parsebin (for progressive entries) only once data flows, but knows them. */
static GstCaps *
stream_caps (GstPad *pad)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);

  return caps != NULL ? caps : gst_pad_query_caps (pad, NULL);
}

/* Builds the branch of a stream of @pad (caps known): FALSE with @error if
 * the muxer cannot hold it (a text stream is dropped instead). */
static gboolean
add_branch (Remux    *remux,
            GstPad   *pad,
            gboolean  sparse,
            GError  **error)
{
  g_autoptr(GstCaps) caps = stream_caps (pad);
  g_autoptr(GstCaps) media = NULL;
  GstStructure *structure;
  GstElement *chain[3] = { NULL, NULL, NULL };   /* decryptor, queue, parser */
  g_autoptr(GstPad) queue_src = NULL;
  Branch *branch;

  if (caps == NULL || gst_caps_is_empty (caps)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_FAILED, "Stream %s has no caps",
                 GST_PAD_NAME (pad));
    return FALSE;
  }
  structure = gst_caps_get_structure (caps, 0);
  media = gst_caps_ref (caps);
  if (gst_structure_has_name (structure, "application/x-cenc")) {
    const char *original = gst_structure_get_string (structure, "original-media-type");

    chain[0] = offline_remux_make_for_caps (GST_ELEMENT_FACTORY_TYPE_DECRYPTOR, caps);
    if (chain[0] == NULL || original == NULL) {
      drop_elements (chain, 1);
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                   "No decryptor takes the protected stream %s (offlinecencdec of gst-offline)",
                   GST_PAD_NAME (pad));
      return FALSE;
    }
    /* what the decryptor gives: the same caps, in the clear */
    gst_caps_take (&media, gst_caps_copy (caps));
    gst_structure_set_name (gst_caps_get_structure (media, 0), original);
    gst_structure_remove_fields (gst_caps_get_structure (media, 0), "protection-system",
                                 "original-media-type", NULL);
  }
  chain[2] = offline_remux_make_for_caps (GST_ELEMENT_FACTORY_TYPE_PARSER, media);
  if (chain[2] != NULL) {
    /* what the parser may give (its template: it is not linked yet) */
    g_autoptr(GstPad) parsed = gst_element_get_static_pad (chain[2], "src");

    gst_caps_take (&media, gst_pad_query_caps (parsed, NULL));
  }
  if (!offline_remux_muxer_takes (remux->muxer, media) || offline_remux_muxer_breaks_on (remux->muxer, structure)) {
    const char *muxer_name = GST_OBJECT_NAME (gst_element_get_factory (remux->muxer));

    drop_elements (chain, G_N_ELEMENTS (chain));
    if (sparse) {
      /* not linked: offlinesrc ends that stream */
      g_message ("Exporting: %s cannot hold the text stream %s (%s): it is left out",
                 muxer_name, GST_PAD_NAME (pad), gst_structure_get_name (structure));
      return TRUE;
    }
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                 "Stream %s (%s) cannot be written by %s", GST_PAD_NAME (pad),
                 gst_structure_get_name (structure), muxer_name);
    return FALSE;
  }
  chain[1] = gst_element_factory_make ("queue", NULL);
  g_object_set (chain[1], "max-size-buffers", 0, "max-size-bytes", 0,
                "max-size-time", (guint64) QUEUE_TIME, NULL);

  branch = g_new0 (Branch, 1);
  branch->remux = remux;
  branch->sparse = sparse;
  branch->caps_name = g_strdup (gst_structure_get_name (structure));
  branch->pad_name = g_strdup (GST_PAD_NAME (pad));
  branch->order = sparse ? 2 : g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (media, 0)),
                                                 "video/") ? 0 : 1;
  branch->end = GST_CLOCK_TIME_NONE;
  gst_segment_init (&branch->segment, GST_FORMAT_UNDEFINED);
  branch->out = add_chain (GST_BIN (remux->pipeline), pad, chain, G_N_ELEMENTS (chain));
  if (branch->out == NULL) {
    branch_free (branch);
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                 "Stream %s (%s) does not link to its parser", GST_PAD_NAME (pad),
                 gst_structure_get_name (structure));
    return FALSE;
  }
  /* held until every stream is known (see the top of the file) */
  queue_src = gst_element_get_static_pad (chain[1], "src");
  branch->blocked = g_object_ref (queue_src);
  branch->block_id = gst_pad_add_probe (queue_src, GST_PAD_PROBE_TYPE_BLOCK_DOWNSTREAM,
                                        block_probe, NULL, NULL);
  gst_pad_add_probe (branch->out, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     progress_probe, branch, NULL);
  g_mutex_lock (&remux->lock);
  g_ptr_array_add (remux->branches, branch);
  g_mutex_unlock (&remux->lock);
  return TRUE;
}

static void no_more_pads_cb (GstElement *element,
                             gpointer    user_data);
static void pad_added_cb (GstElement *element,
                          GstPad     *pad,
                          gpointer    user_data);

/* A stream of the progressive file that the muxer cannot take. */
static void
unknown_type_cb (GstElement *decodebin,
                 GstPad     *pad,
                 GstCaps    *caps,
                 gpointer    user_data)
{
  Remux *remux = user_data;
  const char *muxer_name = GST_OBJECT_NAME (gst_element_get_factory (remux->muxer));

  post_error (remux, g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                                  "A stream of the stored file (%s) cannot be written by %s",
                                  gst_structure_get_name (gst_caps_get_structure (caps, 0)),
                                  muxer_name));
}

/* The stored file of a progressive entry (@pad, its bytes) is demuxed by a
 * decodebin that stops at what the muxer takes: its streams, as
 * offlinesrc's, go to add_branch(); it is one more source to wait for. */
static void
add_demuxer (Remux  *remux,
             GstPad *pad)
{
  GstElement *decodebin = gst_element_factory_make ("decodebin", NULL);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) sink = NULL;

  if (decodebin == NULL) {
    post_error (remux, g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                                    "The GStreamer element decodebin is not installed"));
    return;
  }
  caps = offline_remux_muxer_caps (remux->muxer);
  g_object_set (decodebin, "caps", caps, NULL);
  g_mutex_lock (&remux->lock);
  remux->pending_sources++;
  g_mutex_unlock (&remux->lock);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (pad_added_cb), remux);
  g_signal_connect (decodebin, "no-more-pads", G_CALLBACK (no_more_pads_cb), remux);
  g_signal_connect (decodebin, "unknown-type", G_CALLBACK (unknown_type_cb), remux);
  gst_bin_add (GST_BIN (remux->pipeline), decodebin);
  sink = gst_element_get_static_pad (decodebin, "sink");
  gst_pad_link (pad, sink);
  gst_element_sync_state_with_parent (decodebin);
}

static void
pad_added_cb (GstElement *element,
              GstPad     *pad,
              gpointer    user_data)
{
  Remux *remux = user_data;
  const char *name = GST_PAD_NAME (pad);
  GError *error = NULL;
  gboolean sparse;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  if (element == remux->source && g_str_has_prefix (name, "src_")) {
    /* a progressive entry: the stored file's bytes, demuxed here */
    add_demuxer (remux, pad);
    return;
  }
  if (element == remux->source || element == remux->text_source) {
    sparse = g_str_has_prefix (name, "text_");
    /* each offlinesrc gives its own streams; the others stay unlinked */
    if (sparse != (element == remux->text_source))
      return;
  } else {
    g_autoptr(GstCaps) caps = stream_caps (pad);
    const char *media = caps != NULL && !gst_caps_is_empty (caps) ?
      gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";

    sparse = g_str_has_prefix (media, "text/") || g_str_has_prefix (media, "application/x-subtitle") ||
             g_str_has_prefix (media, "subtitle/");
  }
  if (!add_branch (remux, pad, sparse, &error))
    post_error (remux, error);
}

static gint
compare_branches (gconstpointer a,
                  gconstpointer b)
{
  const Branch *ba = *(const Branch *const *) a, *bb = *(const Branch *const *) b;

  if (ba->order != bb->order)
    return ba->order < bb->order ? -1 : 1;
  return g_strcmp0 (ba->pad_name, bb->pad_name);
}

/* Once every stream is known: links them all to the muxer, which starts,
 * in a stable order (the streams came in any order). */
static void
link_all (Remux *remux)
{
  guint linked = 0;

  g_mutex_lock (&remux->lock);
  g_ptr_array_sort (remux->branches, compare_branches);
  for (guint i = 0; i < remux->branches->len; i++) {
    Branch *branch = g_ptr_array_index (remux->branches, i);
    g_autoptr(GstPad) muxer_pad = gst_element_get_compatible_pad (remux->muxer, branch->out, NULL);

    if (muxer_pad == NULL || gst_pad_link (branch->out, muxer_pad) != GST_PAD_LINK_OK) {
      if (muxer_pad != NULL)
        gst_element_release_request_pad (remux->muxer, muxer_pad);
      if (branch->sparse) {
        g_message ("Exporting: the muxer takes no more text streams: %s is left out",
                   branch->caps_name);
        continue;
      }
      g_mutex_unlock (&remux->lock);
      post_error (remux, g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                                      "The muxer cannot take one more %s stream",
                                      branch->caps_name));
      return;
    }
    linked++;
  }
  for (guint i = 0; i < remux->branches->len; i++) {
    Branch *branch = g_ptr_array_index (remux->branches, i);

    if (GST_PAD_IS_LINKED (branch->out) && branch->block_id != 0) {
      gst_pad_remove_probe (branch->blocked, branch->block_id);
      branch->block_id = 0;
    }
  }
  g_mutex_unlock (&remux->lock);
  if (linked == 0)
    post_error (remux, g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                                    "The entry has no stream to export"));
}

static void
no_more_pads_cb (GstElement *element,
                 gpointer    user_data)
{
  Remux *remux = user_data;
  gboolean all;

  g_mutex_lock (&remux->lock);
  all = --remux->pending_sources == 0;
  g_mutex_unlock (&remux->lock);
  g_debug ("Exporting: %s has all its streams%s", GST_ELEMENT_NAME (element),
           all ? ", the last one: linking them to the muxer" : "");
  if (all)
    link_all (remux);
}

/* ---- the pipeline ---- */

static gboolean
has_text (OfflineEntry *entry)
{
  GPtrArray *tracks = offline_entry_get_tracks (entry);

  for (guint i = 0; tracks != NULL && i < tracks->len; i++)
    if (offline_track_get_track_type (g_ptr_array_index (tracks, i)) == OFFLINE_TRACK_TYPE_TEXT)
      return TRUE;
  return FALSE;
}

static GstElement *
add_source (Remux      *remux,
            const char *store_path,
            const char *entry_id)
{
  GstElement *source = gst_element_factory_make ("offlinesrc", NULL);

  g_object_set (source, "entry-id", entry_id, "store-path", store_path, NULL);
  g_signal_connect (source, "pad-added", G_CALLBACK (pad_added_cb), remux);
  g_signal_connect (source, "no-more-pads", G_CALLBACK (no_more_pads_cb), remux);
  gst_bin_add (GST_BIN (remux->pipeline), source);
  remux->pending_sources++;
  return source;
}

static void
attach (Remux       *remux,
        GSource     *source,
        GSourceFunc  callback)
{
  g_source_set_callback (source, callback, remux, NULL);
  g_source_set_static_name (source, "[offlinemgr] export");
  g_source_attach (source, remux->context);
}

static void
start (Remux        *remux,
       const char   *store_path,
       OfflineEntry *entry,
       const char   *muxer_name)
{
  const char *id = offline_entry_get_id (entry);
  g_autoptr(GstBus) bus = NULL;
  GstElement *sink;

  remux->pipeline = gst_pipeline_new ("offlinemgr-export");
  remux->muxer = gst_element_factory_make (muxer_name, NULL);
  sink = gst_element_factory_make ("filesink", NULL);
  g_object_set (sink, "location", remux->part_path, NULL);
  gst_bin_add_many (GST_BIN (remux->pipeline), remux->muxer, sink, NULL);
  gst_element_link (remux->muxer, sink);
  remux->source = add_source (remux, store_path, id);
  if (has_text (entry))
    remux->text_source = add_source (remux, store_path, id);

  bus = gst_pipeline_get_bus (GST_PIPELINE (remux->pipeline));
  remux->bus_source = gst_bus_create_watch (bus);
  attach (remux, remux->bus_source, (GSourceFunc) G_CALLBACK (bus_cb));
  remux->timer_source = g_timeout_source_new (PROGRESS_INTERVAL_MS);
  attach (remux, remux->timer_source, timer_cb);
  if (g_task_get_cancellable (remux->task) != NULL) {
    remux->cancel_source = g_cancellable_source_new (g_task_get_cancellable (remux->task));
    attach (remux, remux->cancel_source, (GSourceFunc) G_CALLBACK (cancelled_cb));
  }

  if (gst_element_set_state (remux->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    /* the element that failed posted why */
    g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    finish (remux, message != NULL ? message_error (message) :
            g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_FAILED,
                         "The export pipeline of \"%s\" cannot start", id));
  }
}

void
offline_remux_start (const char                *store_path,
                     OfflineEntry              *entry,
                     const char                *path,
                     OfflineExportFlags         flags,
                     GMainContext              *context,
                     OfflineExportProgressFunc  progress,
                     gpointer                   progress_data,
                     GDestroyNotify             progress_destroy,
                     GTask                     *task)
{
  const char *muxer_name = offline_remux_muxer_for_path (path);
  g_autofree char *part_path = NULL;
  GError *error = NULL;
  Remux *remux;

  if (muxer_name == NULL)
    g_set_error (&error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                 "Cannot export to \"%s\": the file name must end in .mp4, .m4v or .mkv",
                 path != NULL ? path : "(null)");
  if (error == NULL && check_entry (entry, flags, &error) && offline_remux_check_elements (muxer_name, &error)) {
    if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
      g_set_error (&error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED,
                   "The export to %s was cancelled", path);
    else
      part_path = make_part_file (path, &error);
  }
  if (part_path == NULL) {
    if (progress_destroy != NULL)
      progress_destroy (progress_data);
    g_task_return_error (task, error);
    return;
  }

  remux = g_new0 (Remux, 1);
  remux->task = g_object_ref (task);
  remux->context = g_main_context_ref (context);
  remux->path = g_strdup (path);
  remux->part_path = g_steal_pointer (&part_path);
  remux->progress = progress;
  remux->progress_data = progress_data;
  remux->progress_destroy = progress_destroy;
  remux->entry_duration = offline_entry_get_duration (entry);
  g_mutex_init (&remux->lock);
  remux->branches = g_ptr_array_new_with_free_func ((GDestroyNotify) branch_free);
  start (remux, store_path, entry, muxer_name);
}
