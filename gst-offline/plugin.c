/* plugin.c: the "offline" GStreamer plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gst/gst.h>

#include "gstofflinecencdecrypt.h"
#include "gstofflinesrc.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  gboolean ok = GST_ELEMENT_REGISTER (offlinesrc, plugin);

  ok &= GST_ELEMENT_REGISTER (offlinecencdec, plugin);
  return ok;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, offline,
                   "Plays media stored by offlinemgr for offline playback",
                   plugin_init, PACKAGE_VERSION, "LGPL", "offlinemgr",
                   "https://example.invalid/offlinemgr")
