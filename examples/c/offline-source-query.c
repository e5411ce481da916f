/* offline-source-query.c: how an element tells that it plays an offline
 * source, from its sink pad: the "offline-source" custom query and the
 * "offlinemgr.source" GstContext
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   offline-source-query STORE-DIR ENTRY-ID
 *
 * Plays offline://ENTRY-ID from STORE-DIR with playbin into fakesinks. At
 * the first video buffer the video sink's pad asks upstream, as a decoder
 * or sink of a plugin would from its own sink pad; the HAVE_CONTEXT
 * message offlinesrc posts when it opens the entry is printed too.
 * GST_PLUGIN_PATH must name the plugin's directory unless it is installed.
 */
#include <gst/gst.h>
#include <stdio.h>

/* What an element asks from its sink pad: TRUE if upstream is an
 * offlinesrc, with its entry id in *entry_id. */
static gboolean
pad_plays_offline_source (GstPad  *sinkpad,
                          char   **entry_id)
{
  gboolean is_offline = FALSE;
  GstQuery *query = gst_query_new_custom (GST_QUERY_CUSTOM,
                                          gst_structure_new_empty ("offline-source"));

  if (gst_pad_peer_query (sinkpad, query)) {
    const GstStructure *s = gst_query_get_structure (query);

    gst_structure_get_boolean (s, "is-offline", &is_offline);
    *entry_id = g_strdup (gst_structure_get_string (s, "entry-id"));
  }
  gst_query_unref (query);
  return is_offline;
}

/* The same from the context: answered by offlinesrc's pads too. */
static GstContext *
pad_query_offline_context (GstPad *sinkpad)
{
  GstContext *context = NULL;
  GstQuery *query = gst_query_new_context ("offlinemgr.source");

  if (gst_pad_peer_query (sinkpad, query))
    gst_query_parse_context (query, &context);
  if (context != NULL)
    gst_context_ref (context);
  gst_query_unref (query);
  return context;
}

static GstPadProbeReturn
first_buffer (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  g_autofree char *entry_id = NULL;
  g_autoptr(GstContext) context = NULL;
  gboolean is_offline = pad_plays_offline_source (pad, &entry_id);

  printf ("custom query: is-offline %s, entry-id %s\n", is_offline ? "yes" : "no",
          entry_id ? entry_id : "(none)");
  context = pad_query_offline_context (pad);
  if (context != NULL)
    printf ("context query: %s, entry-id %s\n", gst_context_get_context_type (context),
            gst_structure_get_string (gst_context_get_structure (context), "entry-id"));
  return GST_PAD_PROBE_REMOVE;
}

/* The context offlinesrc posts when it opens the entry; the pipeline
 * keeps it and gives it to the elements it adds later (set_context). */
static GstBusSyncReply
on_message (GstBus     *bus,
            GstMessage *message,
            gpointer    user_data)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_HAVE_CONTEXT) {
    g_autoptr(GstContext) context = NULL;

    gst_message_parse_have_context (message, &context);
    if (gst_context_has_context_type (context, "offlinemgr.source"))
      printf ("have-context: entry-id %s\n",
              gst_structure_get_string (gst_context_get_structure (context), "entry-id"));
  }
  return GST_BUS_PASS;
}

static void
source_setup (GstElement *playbin,
              GstElement *source,
              gpointer    user_data)
{
  g_object_set (source, "store-path", (const char *) user_data, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GstElement) playbin = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GstPad) pad = NULL;
  g_autofree char *escaped = NULL, *uri = NULL;
  GstElement *video_sink;

  gst_init (&argc, &argv);
  if (argc != 3) {
    fprintf (stderr, "usage: %s STORE-DIR ENTRY-ID\n", argv[0]);
    return 2;
  }
  escaped = g_uri_escape_string (argv[2], NULL, FALSE);
  uri = g_strconcat ("offline://", escaped, NULL);
  playbin = gst_element_factory_make ("playbin", NULL);
  video_sink = gst_element_factory_make ("fakesink", NULL);
  if (playbin == NULL || video_sink == NULL) {
    fprintf (stderr, "playbin or fakesink is missing\n");
    return 1;
  }
  g_object_set (playbin, "uri", uri, "video-sink", video_sink,
                "audio-sink", gst_element_factory_make ("fakesink", NULL), NULL);
  g_signal_connect (playbin, "source-setup", G_CALLBACK (source_setup), argv[1]);
  pad = gst_element_get_static_pad (video_sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, first_buffer, NULL, NULL);
  bus = gst_element_get_bus (playbin);
  gst_bus_set_sync_handler (bus, on_message, NULL, NULL);

  gst_element_set_state (playbin, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (playbin, GST_STATE_NULL);
  printf ("%s\n", GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS ? "EOS" : "ERROR");
  return GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS ? 0 : 1;
}
