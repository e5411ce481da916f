/* gstofflinesrc-detect.c: how other elements tell that they play offlinesrc
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The custom query and the context carry the same fields, set by
 * set_fields(): "is-offline" (boolean, TRUE) and "entry-id" (string).
 */
#include "gstofflinesrc-detect.h"

static void
set_fields (GstStructure *structure,
            const char   *entry_id)
{
  gst_structure_set (structure,
                     "is-offline", G_TYPE_BOOLEAN, TRUE,
                     "entry-id", G_TYPE_STRING, entry_id,
                     NULL);
}

GstContext *
gst_offline_src_detect_new_context (const char *entry_id)
{
  GstContext *context = gst_context_new (GST_OFFLINE_SRC_CONTEXT_TYPE, TRUE);

  set_fields (gst_context_writable_structure (context), entry_id);
  return context;
}

gboolean
gst_offline_src_detect_answer (GstQuery   *query,
                               const char *entry_id)
{
  const char *context_type = NULL;
  GstStructure *structure;

  switch (GST_QUERY_TYPE (query)) {
  case GST_QUERY_CUSTOM:
    structure = gst_query_writable_structure (query);
    if (structure == NULL || !gst_structure_has_name (structure, GST_OFFLINE_SRC_QUERY_NAME))
      return FALSE;
    set_fields (structure, entry_id);
    return TRUE;
  case GST_QUERY_CONTEXT:
    if (!gst_query_parse_context_type (query, &context_type) ||
        g_strcmp0 (context_type, GST_OFFLINE_SRC_CONTEXT_TYPE) != 0)
      return FALSE;
    {
      GstContext *context = gst_offline_src_detect_new_context (entry_id);

      gst_query_set_context (query, context);
      gst_context_unref (context);
    }
    return TRUE;
  default:
    return FALSE;
  }
}
