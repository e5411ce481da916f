/* offline-test-server-answer.c: what the test server answers with
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "offline-manifest-private.h"
#include "offline-test-server-answer.h"

const char *
offline_test_answer_content_type (const char *path)
{
  static const struct {
    const char *extension;
    const char *type;
  } types[] = {
    { ".mpd", "application/dash+xml" },
    { ".m3u8", "application/vnd.apple.mpegurl" },
    { ".m4s", "video/iso.segment" },
    { ".mp4", "video/mp4" },
    { ".m4a", "audio/mp4" },
    { ".mp3", "audio/mpeg" },
    { ".ts", "video/mp2t" },
    { ".vtt", "text/vtt" },
    { ".key", "application/octet-stream" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++) {
    if (g_str_has_suffix (path, types[i].extension))
      return types[i].type;
  }
  return "application/octet-stream";
}

/* Parses a single "bytes=A-B" / "bytes=A-" / "bytes=-N" against @size into
 * [*start, *end). 0: no usable Range (serve it all), 206, or 416. */
guint
offline_test_answer_parse_range (const char *header,
                                 gsize       size,
                                 gsize      *start,
                                 gsize      *end)
{
  g_auto(GStrv) bounds = NULL;
  guint64 a = 0, b = 0;
  gboolean has_a, has_b;

  if (header == NULL || !g_str_has_prefix (header, "bytes=") || strchr (header, ',') != NULL)
    return 0;
  bounds = g_strsplit (header + strlen ("bytes="), "-", 2);
  if (g_strv_length (bounds) != 2)
    return 0;
  g_strstrip (bounds[0]);
  g_strstrip (bounds[1]);
  has_a = *bounds[0] != '\0';
  has_b = *bounds[1] != '\0';
  if ((has_a && !offline_parse_uint64 (bounds[0], G_MAXINT64, &a)) ||
      (has_b && !offline_parse_uint64 (bounds[1], G_MAXINT64, &b)) ||
      (!has_a && !has_b) || (has_a && has_b && b < a))
    return 0;

  if (!has_a) {                 /* the last b bytes */
    if (b == 0)
      return SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE;
    *start = size - MIN (b, size);
    *end = size;
  } else {
    if (a >= size)
      return SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE;
    *start = a;
    *end = has_b ? MIN (b + 1, size) : size;
  }
  return SOUP_STATUS_PARTIAL_CONTENT;
}

guint
offline_test_answer_load_file (const char  *root,
                               const char  *path,
                               GBytes     **bytes)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  g_autofree char *file = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  g_ptr_array_add (parts, (char *) root);
  for (guint i = 0; segments[i] != NULL; i++) {
    if (*segments[i] == '\0' || strcmp (segments[i], ".") == 0 || strcmp (segments[i], "..") == 0 ||
        strchr (segments[i], '\\') != NULL)
      return SOUP_STATUS_FORBIDDEN;
    g_ptr_array_add (parts, segments[i]);
  }
  g_ptr_array_add (parts, NULL);
  file = g_build_filenamev ((char **) parts->pdata);
  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    return SOUP_STATUS_NOT_FOUND;
  mapped = g_mapped_file_new (file, FALSE, NULL);
  if (mapped == NULL)
    return SOUP_STATUS_NOT_FOUND;
  *bytes = g_mapped_file_get_bytes (mapped);
  return 0;
}

static gboolean
close_stalled (gpointer user_data)
{
  g_io_stream_close (user_data, NULL, NULL);
  return G_SOURCE_REMOVE;
}

void
offline_test_answer_raw (SoupServerMessage  *msg,
                         OfflineTestRaw      how,
                         gsize               after_bytes,
                         guint               stall_ms,
                         guint               status,
                         SoupMessageHeaders *headers,
                         GBytes             *body)
{
  g_autoptr(GSocket) socket = g_object_ref (soup_server_message_get_socket (msg));
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GIOStream) stream = NULL;
  g_autofree char *junk = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GOutputStream *out;
  GSource *source;
  gboolean overlong = how == OFFLINE_TEST_RAW_OVERLONG;
  gsize length = overlong ? g_bytes_get_size (body) : MIN (g_bytes_get_size (body), after_bytes);

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (head, "%s: %s\r\n", name, value);
  /* an overlong body on a connection that seems reusable: its junk may be
   * read as the next response */
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n%s\r\n",
                          g_bytes_get_size (body), overlong ? "" : "Connection: close\r\n");

  stream = soup_server_message_steal_connection (msg);
  g_assert_nonnull (stream);
  out = g_io_stream_get_output_stream (stream);
  /* errors are the client's business: it may have gone already */
  if (g_output_stream_write_all (out, head->str, head->len, NULL, NULL, NULL) &&
      g_output_stream_write_all (out, g_bytes_get_data (body, NULL), length, NULL, NULL, NULL) &&
      overlong) {
    junk = g_malloc (after_bytes);
    memset (junk, 'J', after_bytes);
    g_output_stream_write_all (out, junk, after_bytes, NULL, NULL, NULL);
  }
  g_output_stream_flush (out, NULL, NULL);
  if (how == OFFLINE_TEST_RAW_STALL) {
    /* silence, the connection open, then closed */
    source = g_timeout_source_new (stall_ms);
    g_source_set_callback (source, close_stalled, g_object_ref (stream), g_object_unref);
    g_source_attach (source, g_main_context_get_thread_default ());
    g_source_unref (source);
    return;
  }
  if (how == OFFLINE_TEST_RAW_RESET) {
    struct linger linger = { .l_onoff = 1, .l_linger = 0 };

    setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  }
  g_io_stream_close (stream, NULL, NULL);
  g_socket_close (socket, NULL);
}
