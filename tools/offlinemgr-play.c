/* offlinemgr-play.c: `offlinemgr play ID [--headless]`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offlinemgr-play.h"

#include <gst/gst.h>

#include "offline.h"

static void
print_position (GstElement *playbin)
{
  gint64 position = 0, duration = 0;

  if (!gst_element_query_position (playbin, GST_FORMAT_TIME, &position))
    position = 0;
  if (!gst_element_query_duration (playbin, GST_FORMAT_TIME, &duration))
    duration = 0;
  g_print ("%" GST_TIME_FORMAT " / %" GST_TIME_FORMAT "\n",
           GST_TIME_ARGS (position), GST_TIME_ARGS (duration));
}

/* In window mode, once prerolled: which sink autovideosink chose (e.g.
 * xvimagesink, waylandsink; fakesink if none could open the display). */
static void
print_window (GstElement *playbin)
{
  g_autoptr(GstElement) video = NULL;
  g_autoptr(GObject) chosen = NULL;
  GstElementFactory *factory;

  g_object_get (playbin, "video-sink", &video, NULL);
  if (video == NULL || !GST_IS_CHILD_PROXY (video) ||
      gst_child_proxy_get_children_count (GST_CHILD_PROXY (video)) == 0)
    return;
  chosen = gst_child_proxy_get_child_by_index (GST_CHILD_PROXY (video), 0);
  factory = GST_IS_ELEMENT (chosen) ? gst_element_get_factory (GST_ELEMENT (chosen)) : NULL;
  if (factory != NULL)
    g_print ("video output: %s\n", GST_OBJECT_NAME (factory));
}

/* Whether a window can be shown: playbin's default video sink needs an
 * X11 or Wayland display. */
static gboolean
have_display (void)
{
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  return (x11 != NULL && *x11 != '\0') || (wayland != NULL && *wayland != '\0');
}

/* The #OfflineError name that offlinesrc put in the ERROR message's
 * details ("offline-error-code"), as the other commands print it;
 * OFFLINE_ERROR_FAILED if there is none (an error of another element). */
static const char *
error_code_name (GstMessage *message)
{
  const GstStructure *details = NULL;
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFFLINE_TYPE_ERROR);
  GEnumValue *value = NULL;
  int code;

  gst_message_parse_error_details (message, &details);
  if (details != NULL &&
      g_strcmp0 (gst_structure_get_string (details, "offline-error-domain"),
                 g_quark_to_string (OFFLINE_ERROR)) == 0 &&
      gst_structure_get_int (details, "offline-error-code", &code))
    value = g_enum_get_value (klass, code);
  return value != NULL ? value->value_name : "OFFLINE_ERROR_FAILED";
}

static GstElement *
synced_fakesink (void)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (sink, "sync", TRUE, NULL);
  return sink;
}

int
offlinemgr_play (const char *store,
                 const char *entry_id,
                 gboolean    headless)
{
  g_autoptr(GstElement) playbin = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *escaped = g_uri_escape_string (entry_id, NULL, FALSE);
  g_autofree char *uri = g_strconcat ("offline://", escaped, NULL);
  int status = 1;
  gboolean told_window = FALSE;

  gst_init (NULL, NULL);
  /* offlinesrc reads the store from $OFFLINEMGR_STORE by default */
  if (store != NULL)
    g_setenv ("OFFLINEMGR_STORE", store, TRUE);
  playbin = gst_element_factory_make ("playbin", NULL);
  if (playbin == NULL) {
    g_printerr ("offlinemgr: GStreamer's playbin is not installed\n");
    return 1;
  }
  g_object_set (playbin, "uri", uri, NULL);
  if (!headless && !have_display ()) {
    g_printerr ("offlinemgr: no display ($DISPLAY and $WAYLAND_DISPLAY are unset): "
                "playing without a window, as with --headless\n");
    headless = TRUE;
  }
  if (headless)
    g_object_set (playbin, "video-sink", synced_fakesink (), "audio-sink", synced_fakesink (),
                  "text-sink", synced_fakesink (), NULL);
  else
    g_object_set (playbin, "video-sink", gst_element_factory_make ("autovideosink", NULL), NULL);

  bus = gst_element_get_bus (playbin);
  if (gst_element_set_state (playbin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    g_printerr ("offlinemgr: cannot play %s\n", uri);  /* the ERROR message says why */
  for (;;) {
    g_autoptr(GstMessage) message =
      gst_bus_timed_pop_filtered (bus, GST_SECOND,
                                  GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE |
                                  GST_MESSAGE_BUFFERING | GST_MESSAGE_WARNING);

    if (message == NULL) {
      print_position (playbin);
      continue;
    }
    if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_BUFFERING) {
      /* an entry still downloading: wait, paused, for what is not stored
       * yet, as a player waits for the network */
      int percent;

      gst_message_parse_buffering (message, &percent);
      g_print ("buffering %d%%\n", percent);
      gst_element_set_state (playbin, percent < 100 ? GST_STATE_PAUSED : GST_STATE_PLAYING);
      continue;
    }
    if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_WARNING) {
      g_autoptr(GError) error = NULL;

      gst_message_parse_warning (message, &error, NULL);
      g_printerr ("offlinemgr: warning: %s\n", error->message);
      continue;
    }
    if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ASYNC_DONE) {
      if (!headless && !told_window) {
        print_window (playbin);
        told_window = TRUE;
      }
      continue;
    }
    if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS) {
      print_position (playbin);
      g_print ("end of stream\n");
      status = 0;
    } else {
      g_autoptr(GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_printerr ("offlinemgr: %s: %s\n", error_code_name (message), error->message);
    }
    break;
  }
  gst_element_set_state (playbin, GST_STATE_NULL);
  return status;
}
