/* offline-remux-elements.c: the GStreamer elements an export uses: the
 * muxer a file name asks for, what it takes, the parsers and decryptors
 * that fit a stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-error.h"
#include "offline-remux-elements-private.h"

const char *
offline_remux_muxer_for_path (const char *path)
{
  const char *dot = path != NULL ? strrchr (path, '.') : NULL;

  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return NULL;
  if (g_ascii_strcasecmp (dot, ".mp4") == 0 || g_ascii_strcasecmp (dot, ".m4v") == 0)
    return "mp4mux";
  if (g_ascii_strcasecmp (dot, ".mkv") == 0)
    return "matroskamux";
  return NULL;
}

gboolean
offline_remux_check_elements (const char  *muxer_name,
                              GError     **error)
{
  const char *const needed[] = { "offlinesrc", "queue", "filesink", muxer_name };
  g_autoptr(GError) init_error = NULL;

  if (!gst_init_check (NULL, NULL, &init_error)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                 "GStreamer cannot be initialised: %s", init_error->message);
    return FALSE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++) {
    g_autoptr(GstElementFactory) factory = gst_element_factory_find (needed[i]);

    if (factory == NULL) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                   "The GStreamer element %s is not installed (%s)", needed[i],
                   g_str_equal (needed[i], "offlinesrc") ? "the gst-offline plugin" :
                   "gst-plugins-good or GStreamer itself");
      return FALSE;
    }
  }
  return TRUE;
}

GstElement *
offline_remux_make_for_caps (GstElementFactoryListType  type,
                             GstCaps                   *caps)
{
  GList *all = gst_element_factory_list_get_elements (type, GST_RANK_MARGINAL);
  GList *taking = gst_element_factory_list_filter (all, caps, GST_PAD_SINK, FALSE);
  GstElement *element = NULL;

  taking = g_list_sort (taking, gst_plugin_feature_rank_compare_func);
  if (taking != NULL)
    element = gst_element_factory_create (taking->data, NULL);
  gst_plugin_feature_list_free (taking);
  gst_plugin_feature_list_free (all);
  return element;
}

gboolean
offline_remux_muxer_takes (GstElement *muxer,
                           GstCaps    *caps)
{
  for (const GList *l = gst_element_class_get_pad_template_list (GST_ELEMENT_GET_CLASS (muxer));
       l != NULL; l = l->next) {
    GstPadTemplate *templ = l->data;
    g_autoptr(GstCaps) taken = gst_pad_template_get_caps (templ);

    if (GST_PAD_TEMPLATE_DIRECTION (templ) == GST_PAD_SINK && gst_caps_can_intersect (taken, caps))
      return TRUE;
  }
  return FALSE;
}

gboolean
offline_remux_muxer_breaks_on (GstElement   *muxer,
                               GstStructure *structure)
{
  GstElementFactory *factory = gst_element_get_factory (muxer);

  return g_str_equal (GST_OBJECT_NAME (factory), "mp4mux") &&
         gst_structure_has_name (structure, "video/x-vp9") &&
         !gst_structure_has_field (structure, "chroma-site");
}

GstCaps *
offline_remux_muxer_caps (GstElement *muxer)
{
  GstCaps *caps = gst_caps_new_empty ();

  for (const GList *l = gst_element_class_get_pad_template_list (GST_ELEMENT_GET_CLASS (muxer));
       l != NULL; l = l->next) {
    GstPadTemplate *templ = l->data;

    if (GST_PAD_TEMPLATE_DIRECTION (templ) == GST_PAD_SINK)
      caps = gst_caps_merge (caps, gst_pad_template_get_caps (templ));
  }
  for (guint i = gst_caps_get_size (caps); i > 0; i--) {
    GstStructure *structure = gst_caps_get_structure (caps, i - 1);

    if (gst_structure_has_name (structure, "video/x-raw") ||
        gst_structure_has_name (structure, "audio/x-raw"))
      gst_caps_remove_structure (caps, i - 1);
  }
  return caps;
}
