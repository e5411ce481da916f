/* offline-hls-reader.c: validated playlist text, read line by line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-error.h"
#include "offline-hls-private.h"
#include "offline-manifest-private.h"

#define UTF8_BOM "\xEF\xBB\xBF"

/* The 1-based number of the line holding byte @offset of @data. */
static guint
line_of_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++) {
    if (data[i] == '\n')
      line++;
  }
  return line;
}

static gboolean
check_text (const char  *data,
            gsize        length,
            GError     **error)
{
  const char *nul;
  const char *end = NULL;

  nul = memchr (data, '\0', length);
  if (nul != NULL) {
    offline_hls_set_error (error, line_of_offset (data, nul - data), NULL,
                           "embedded NUL byte");
    return FALSE;
  }
  if (!g_utf8_validate_len (data, length, &end)) {
    offline_hls_set_error (error, line_of_offset (data, end - data), NULL,
                           "invalid UTF-8");
    return FALSE;
  }
  return TRUE;
}

/* Moves to the next non-blank line: @reader->line holds it without
 * surrounding white space (g_strstrip() also removes the '\r' of CRLF line
 * endings) and @reader->tag its tag name. FALSE at the end. */
static gboolean
next_line (OfflineHlsReader *reader)
{
  while (reader->pos < reader->length) {
    const char *start = reader->data + reader->pos;
    const char *newline = memchr (start, '\n', reader->length - reader->pos);
    gsize length = newline ? (gsize) (newline - start) : reader->length - reader->pos;

    reader->pos += length + (newline ? 1 : 0);
    reader->line_number++;

    g_string_truncate (reader->line, 0);
    g_string_append_len (reader->line, start, length);
    g_strstrip (reader->line->str);
    reader->line->len = strlen (reader->line->str);
    if (reader->line->len == 0)
      continue;

    g_string_truncate (reader->tag, 0);
    if (g_str_has_prefix (reader->line->str, "#EXT"))
      g_string_append_len (reader->tag, reader->line->str + 1,
                           strcspn (reader->line->str + 1, ":"));
    return TRUE;
  }
  return FALSE;
}

/* Back to the line after #EXTM3U. */
static void
reader_rewind (OfflineHlsReader *reader)
{
  reader->pos = reader->first_pos;
  reader->line_number = reader->first_line;
}

gboolean
offline_hls_reader_init (OfflineHlsReader  *reader,
                         GBytes            *playlist,
                         GError           **error)
{
  gsize length;
  gboolean found;

  memset (reader, 0, sizeof *reader);
  reader->data = g_bytes_get_data (playlist, &length);
  reader->length = length;
  reader->line = g_string_new (NULL);
  reader->tag = g_string_new (NULL);

  if (length == 0) {
    g_set_error_literal (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                         "the playlist is empty");
    return FALSE;
  }
  if (length > OFFLINE_MANIFEST_MAX_SIZE) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "the playlist is larger than %d bytes", OFFLINE_MANIFEST_MAX_SIZE);
    return FALSE;
  }
  if (length >= strlen (UTF8_BOM) && memcmp (reader->data, UTF8_BOM, strlen (UTF8_BOM)) == 0) {
    reader->data += strlen (UTF8_BOM);
    reader->length -= strlen (UTF8_BOM);
  }
  if (!check_text (reader->data, reader->length, error))
    return FALSE;

  /* The header comes first. Leniency (docs/manifests.md): blank lines and
   * comments may precede it, as players accept; a tag or URI may not. */
  do {
    found = next_line (reader);
  } while (found && reader->line->str[0] == '#' && reader->tag->len == 0);
  if (!found || strcmp (reader->line->str, "#EXTM3U") != 0) {
    offline_hls_set_error (error, found ? reader->line_number : 1, NULL,
                           "the playlist does not start with #EXTM3U");
    return FALSE;
  }
  reader->first_pos = reader->pos;
  reader->first_line = reader->line_number;
  return TRUE;
}

void
offline_hls_reader_clear (OfflineHlsReader *reader)
{
  if (reader->line != NULL)
    g_string_free (reader->line, TRUE);
  if (reader->tag != NULL)
    g_string_free (reader->tag, TRUE);
  reader->line = NULL;
  reader->tag = NULL;
}

static const OfflineHlsTagHandler *
find_handler (const OfflineHlsTagHandler *handlers,
              const char                 *name)
{
  for (const OfflineHlsTagHandler *handler = handlers; handler->name != NULL; handler++) {
    if (strcmp (handler->name, name) == 0)
      return handler;
  }
  return NULL;
}

gboolean
offline_hls_reader_dispatch (OfflineHlsReader            *reader,
                             const OfflineHlsTagHandler  *handlers,
                             OfflineHlsUriFunc            uri_func,
                             gpointer                     parser,
                             GError                     **error)
{
  reader_rewind (reader);
  while (next_line (reader)) {
    const char *line = reader->line->str;

    if (reader->tag->len > 0) {
      const OfflineHlsTagHandler *handler = find_handler (handlers, reader->tag->str);
      const char *value = line + 1 + reader->tag->len;

      /* Variable substitution changes what lines say: refuse it */
      if (strcmp (reader->tag->str, "EXT-X-DEFINE") == 0) {
        offline_hls_reader_error (reader, error, "variable substitution is not supported");
        return FALSE;
      }
      if (handler != NULL && !handler->func (parser, *value == ':' ? value + 1 : NULL, error))
        return FALSE;
    } else if (line[0] != '#') {
      if (!uri_func (parser, line, error))
        return FALSE;
    }
  }
  return TRUE;
}

guint64
offline_hls_reader_count_tags (OfflineHlsReader   *reader,
                               const char * const *names)
{
  guint64 count = 0;

  reader_rewind (reader);
  while (next_line (reader)) {
    if (reader->tag->len > 0 && g_strv_contains (names, reader->tag->str))
      count++;
  }
  return count;
}

const char *
offline_hls_reader_find_tag (OfflineHlsReader   *reader,
                             const char * const *names,
                             guint              *line)
{
  reader_rewind (reader);
  while (next_line (reader)) {
    for (guint i = 0; reader->tag->len > 0 && names[i] != NULL; i++) {
      if (strcmp (reader->tag->str, names[i]) == 0) {
        *line = reader->line_number;
        return names[i];
      }
    }
  }
  return NULL;
}

static void
set_error_va (GError     **error,
              guint        line,
              const char  *tag,
              const char  *format,
              va_list      args) G_GNUC_PRINTF (4, 0);

static void
set_error_va (GError     **error,
              guint        line,
              const char  *tag,
              const char  *format,
              va_list      args)
{
  g_autofree char *full = g_strdup_vprintf (format, args);
  /* Messages quote the playlist: keep them short, and valid UTF-8 */
  g_autofree char *message = offline_text_for_message (full, OFFLINE_MESSAGE_MAX_CHARS);

  if (tag != NULL && *tag != '\0')
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "line %u: %s: %s", line, tag, message);
  else
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "line %u: %s", line, message);
}

void
offline_hls_set_error (GError    **error,
                       guint       line,
                       const char *tag,
                       const char *format,
                       ...)
{
  va_list args;

  va_start (args, format);
  set_error_va (error, line, tag, format, args);
  va_end (args);
}

void
offline_hls_reader_error (OfflineHlsReader  *reader,
                          GError           **error,
                          const char        *format,
                          ...)
{
  va_list args;

  va_start (args, format);
  set_error_va (error, reader->line_number, reader->tag->str, format, args);
  va_end (args);
}

char *
offline_hls_resolve_uri (const char  *base,
                         const char  *ref,
                         guint        line,
                         const char  *tag,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *resolved = offline_resolve_uri (base, ref, &local_error);

  if (resolved == NULL)
    offline_hls_set_error (error, line, tag, "%s", local_error->message);
  return resolved;
}
