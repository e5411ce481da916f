/* gstofflinesrc-file.c: offlinesrc plays a progressive entry: its stored
 * file, through a filesrc
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A progressive entry (a plain MP4, WebM, MP3… stored whole as one media
 * resource, see offline_stored_entry_get_format()) is not demuxed inside
 * offlinesrc: a filesrc reads the stored file and offlinesrc exposes one
 * `src_%u` ghost pad for it, carrying the container's bytes. Downstream
 * (decodebin, playbin's and playbin3's) typefinds and demuxes them as it
 * does for file://, in pull mode: every stream of the file plays (each
 * audio track too), the demuxer gives the duration and handles the seeks.
 *
 * The pad is added before the filesrc goes to PAUSED (in the READY to
 * PAUSED change of offlinesrc), so that what links to it on pad-added
 * (uridecodebin's decodebin, urisourcebin's output) can activate it in
 * pull mode first, as it does a file://'s filesrc.
 */
#include "gstofflinesrc-private.h"

#include <glib/gstdio.h>

#include "gstofflinesrc-detect.h"
#include "offline-error.h"

GST_DEBUG_CATEGORY_EXTERN (gst_offline_src_debug);
#define GST_CAT_DEFAULT gst_offline_src_debug

char *
gst_offline_src_file_find (OfflineStoredEntry  *stored,
                           GError             **error)
{
  GArray *parts = offline_stored_entry_get_parts (stored);
  const OfflineStoredPart *media = NULL;
  const char *path;
  GStatBuf st;

  for (guint i = 0; i < parts->len; i++) {
    const OfflineStoredPart *part = &g_array_index (parts, OfflineStoredPart, i);

    if (part->kind == OFFLINE_STORED_PART_MEDIA)
      media = part;
  }
  if (media == NULL || !media->done) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "The file of progressive entry %s is not stored (yet)",
                 offline_entry_get_id (offline_stored_entry_get_entry (stored)));
    return NULL;
  }
  path = media->path;
  if (g_stat (path, &st) < 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "A stored file is missing: %s", path);
    return NULL;
  }
  if ((guint64) st.st_size != media->size) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "A stored file has %" G_GUINT64_FORMAT " bytes instead of %" G_GUINT64_FORMAT ": %s",
                 (guint64) st.st_size, media->size, path);
    return NULL;
  }
  return g_strdup (path);
}

/* The ghost pad answers what tells an offline source (custom query,
 * CONTEXT query); the rest is the filesrc's. */
static gboolean
file_pad_query (GstPad    *pad,
                GstObject *parent,
                GstQuery  *query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_CUSTOM || GST_QUERY_TYPE (query) == GST_QUERY_CONTEXT) {
    g_autofree char *id = NULL;

    GST_OBJECT_LOCK (parent);
    id = g_strdup (GST_OFFLINE_SRC (parent)->entry_id);
    GST_OBJECT_UNLOCK (parent);
    if (gst_offline_src_detect_answer (query, id))
      return TRUE;
  }
  {
    g_autoptr(GstProxyPad) internal = gst_proxy_pad_get_internal (GST_PROXY_PAD (pad));

    return internal != NULL && gst_pad_peer_query (GST_PAD (internal), query);
  }
}

gboolean
gst_offline_src_file_start (GstOfflineSrc  *self,
                            const char     *path,
                            GError        **error)
{
  GstElement *source = gst_element_factory_make ("filesrc", "file");
  g_autoptr(GstPad) target = NULL;
  GstPadTemplate *templ;
  GstPad *pad;

  if (source == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                 "The GStreamer element filesrc, needed to play a progressive entry, is missing");
    return FALSE;
  }
  g_object_set (source, "location", path, NULL);
  gst_bin_add (GST_BIN (self), source);
  target = gst_element_get_static_pad (source, "src");
  templ = gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self), "src_%u");
  pad = gst_ghost_pad_new_from_template ("src_0", target, templ);
  gst_pad_set_query_function (pad, file_pad_query);
  self->file_source = gst_object_ref (source);
  self->file_pad = gst_object_ref (pad);

  GST_DEBUG_OBJECT (self, "playing the stored file %s", path);
  gst_element_add_pad (GST_ELEMENT (self), pad);
  gst_element_no_more_pads (GST_ELEMENT (self));
  return TRUE;
}

void
gst_offline_src_file_stop (GstOfflineSrc *self)
{
  g_autoptr(GstElement) source = g_steal_pointer (&self->file_source);
  g_autoptr(GstPad) pad = g_steal_pointer (&self->file_pad);

  if (pad != NULL && GST_OBJECT_PARENT (pad) == GST_OBJECT (self))
    gst_element_remove_pad (GST_ELEMENT (self), pad);
  if (source != NULL) {
    gst_element_set_state (source, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (self), source);
  }
}
