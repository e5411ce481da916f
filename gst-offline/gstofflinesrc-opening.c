/* gstofflinesrc-opening.c: offlinesrc waits for the first segments of an
 * entry still downloading
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An entry queued, downloading or waiting for the network whose first
 * segments are not stored yet cannot be opened: what its tracks hold (the
 * caps, the streams) is not known until then. Rather than failing, the
 * state change to PAUSED returns with no pads yet (as a network source
 * that waits for its server), posts BUFFERING 0 %, and this thread asks
 * the store whether it changed (gstofflinesrc-poll.c: whichever process
 * downloads), and then tries to open the entry again. Once it
 * opens, its pads come as usual (pad-added, no-more-pads) and BUFFERING
 * 100 % follows; if the download is paused, fails, or the entry goes away
 * first, the attempt's error is posted (OFFLINE_ERROR_ENTRY_INCOMPLETE,
 * NOT_FOUND…), as opening it then would.
 */
#include "gstofflinesrc-private.h"

void
gst_offline_src_opening_init (GstOfflineSrcOpening *opening)
{
  gst_offline_src_poll_init (&opening->poll);
}

void
gst_offline_src_opening_clear (GstOfflineSrcOpening *opening)
{
  gst_offline_src_poll_clear (&opening->poll);
}

/* GstOfflineSrcLookFunc: the store changed (or could not be read): one
 * attempt, whose end is posted. */
static gboolean
look (gpointer      user_data,
      const GError *store_error)
{
  GstOfflineSrcOpening *opening = user_data;
  g_autoptr(GError) error = NULL;

  if (store_error != NULL) {
    gst_offline_src_post_error (opening->element, store_error);
    return FALSE;
  }
  switch (opening->open (opening->open_data, &error)) {
  case GST_OFFLINE_SRC_NOT_YET:
    return TRUE;
  case GST_OFFLINE_SRC_OPENED:
    gst_offline_src_post_buffering (opening->element, 100);
    return FALSE;
  case GST_OFFLINE_SRC_OPEN_FAILED:
  default:
    gst_offline_src_post_error (opening->element, error);
    return FALSE;
  }
}

void
gst_offline_src_opening_start (GstOfflineSrcOpening  *opening,
                               GstElement            *element,
                               const char            *store_path,
                               GstOfflineSrcOpenFunc  open,
                               gpointer               open_data)
{
  opening->element = element;
  opening->open = open;
  opening->open_data = open_data;
  gst_offline_src_post_buffering (opening->element, 0);
  gst_offline_src_poll_start (&opening->poll, store_path, look, opening);
}

void
gst_offline_src_opening_stop (GstOfflineSrcOpening *opening)
{
  gst_offline_src_poll_stop (&opening->poll);
}
