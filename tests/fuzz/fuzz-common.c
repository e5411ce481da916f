/* fuzz-common.c: set-up shared by the libFuzzer harnesses
 *
 * Every harness links this file: once per process, it makes a CRITICAL
 * or a WARNING abort (bad input must get a GError, never one of those,
 * see README.md), so that libFuzzer reports it as a crash with its input.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
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
