/* fuzz-common.c: set-up shared by the libFuzzer harnesses
 *
 * Every harness links this file: once per process, it makes a CRITICAL
 * or a WARNING abort (bad input must get a GError, never one of those,
 * see README.md), so that libFuzzer reports it as a crash with its input.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include <stdlib.h>

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);

/* GLib's own abort of a fatal message is a SIGTRAP, which libFuzzer does
 * not catch: abort() instead, so that it keeps the input. */
static GLogWriterOutput
abort_on_fatal (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  GLogWriterOutput output = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
                   G_LOG_LEVEL_WARNING))
    abort ();
  return output;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (abort_on_fatal, NULL, NULL);
  return 0;
}

guint64
offline_fuzz_take (const uint8_t **data,
                   size_t         *size,
                   guint           n_bytes)
{
  guint64 value = 0;

  for (guint i = 0; i < n_bytes && i < 8; i++) {
    if (*size > 0) {
      value |= (guint64) **data << (8 * i);
      (*data)++;
      (*size)--;
    }
  }
  return value;
}

void
offline_fuzz_parse (OfflineFuzzParse  parse,
                    const char       *uri,
                    const uint8_t    *data,
                    size_t            size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflinePresentation) presentation = parse (bytes, uri, &error);

  /* a result or an error, never both nor neither */
  if ((presentation == NULL) == (error == NULL))
    g_error ("parsing %s: result %p, error %p", uri, presentation, error);
}
