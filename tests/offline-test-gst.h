/* offline-test-gst.h: helpers shared by the GStreamer element tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* How long a pipeline may take to reach EOS or ERROR before the test fails. */
#define OFFLINE_TEST_GST_TIMEOUT (60 * GST_SECOND)

/* Counts the buffers the fakesink @sink (with signal-handoffs=true) gets
 * in *@count (atomically: it runs in a streaming thread). */
void offline_test_count_buffers (GstElement *sink,
                                 int        *count);

/* A new fakesink (sync=false) counting its buffers in *@count. */
GstElement *offline_test_counting_sink (int *count);

/* Sets @pipeline PLAYING and returns its EOS or ERROR message, or NULL
 * after OFFLINE_TEST_GST_TIMEOUT. */
GstMessage *offline_test_play_to_end (GstElement *pipeline);

/* "EOS", "ERROR from …: …" or "timeout" for @message (nullable). */
char *offline_test_describe_message (GstMessage *message);

/* Fails the test, naming what came instead, unless @message is EOS. */
void offline_test_assert_eos (GstMessage *message);

/* The OFFLINE_ERROR code an ERROR message's details carry, -1 if none. */
int offline_test_offline_error_code (GstMessage *message);

G_END_DECLS
