/* offline-test-gst.c: helpers shared by the GStreamer element tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-gst.h"

static void
count_buffer (GstElement *sink,
              GstBuffer  *buffer,
              GstPad     *pad,
              gpointer    user_data)
{
  g_atomic_int_inc ((int *) user_data);
}

void
offline_test_count_buffers (GstElement *sink,
                            int        *count)
{
  g_signal_connect (sink, "handoff", G_CALLBACK (count_buffer), count);
}

GstElement *
offline_test_counting_sink (int *count)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_assert_nonnull (sink);
  g_object_set (sink, "sync", FALSE, "signal-handoffs", TRUE, NULL);
  offline_test_count_buffers (sink, count);
  return sink;
}

GstMessage *
offline_test_play_to_end (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  return gst_bus_timed_pop_filtered (bus, OFFLINE_TEST_GST_TIMEOUT,
                                     GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
}

char *
offline_test_describe_message (GstMessage *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;

  if (message == NULL)
    return g_strdup ("timeout (no EOS or ERROR)");
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    return g_strdup ("EOS");
  gst_message_parse_error (message, &error, &debug);
  return g_strdup_printf ("ERROR from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
                          error->message, debug);
}

void
offline_test_assert_eos (GstMessage *message)
{
  if (message == NULL || GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS) {
    g_autofree char *text = offline_test_describe_message (message);

    g_error ("expected EOS, got %s", text);
  }
}

int
offline_test_offline_error_code (GstMessage *message)
{
  const GstStructure *details = NULL;
  int code = -1;

  gst_message_parse_error_details (message, &details);
  if (details == NULL ||
      g_strcmp0 (gst_structure_get_string (details, "offline-error-domain"),
                 "offline-error-quark") != 0 ||
      !gst_structure_get_int (details, "offline-error-code", &code))
    return -1;
  return code;
}
