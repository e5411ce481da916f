/* keys-context.c: hand offlinecencdec a Clear Key key yourself, in an
 * offlinemgr.keys GstContext (offlinesrc does this for stored entries)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   keys-context KID-HEX KEY-HEX
 *
 * Sets a context with the key KEY-HEX for the key ID KID-HEX (32 lowercase
 * hex digits each) on a pipeline, and prints what the pipeline keeps.
 */
#include <gst/gst.h>
#include <stdio.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstContext) kept = NULL;
  g_autoptr(GstBuffer) key = NULL;
  const char *kid;
  guint8 bytes[16];

  gst_init (&argc, &argv);
  if (argc != 3 || strlen (argv[1]) != 32 || strlen (argv[2]) != 32) {
    fprintf (stderr, "usage: keys-context KID-HEX KEY-HEX (32 hex digits each)\n");
    return 2;
  }
  for (int i = 0; i < 16; i++)
    bytes[i] = g_ascii_xdigit_value (argv[2][2 * i]) << 4 | g_ascii_xdigit_value (argv[2][2 * i + 1]);
  kid = argv[1];   /* "0123456789abcdef0123456789abcdef" */
  key = gst_buffer_new_memdup (bytes, sizeof bytes);
  pipeline = gst_pipeline_new (NULL);

  GstContext *context = gst_context_new ("offlinemgr.keys", FALSE);
  gst_structure_set (gst_context_writable_structure (context),
                     kid, GST_TYPE_BUFFER, key, NULL);
  gst_element_set_context (pipeline, context);   /* before PLAYING: bins pass it on */
  gst_context_unref (context);

  kept = gst_element_get_context (pipeline, "offlinemgr.keys");
  if (kept == NULL)
    return 1;
  g_autofree char *text = gst_structure_to_string (gst_context_get_structure (kept));
  printf ("%s\n", text);
  return 0;
}
