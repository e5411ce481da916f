/* fuzz-clearkey.c: the Clear Key licence parser
 * (offline_clearkey_parse_response) on any bytes, asked for the key IDs
 * of the test licences (tests/test-clearkey.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include "offline-clearkey-private.h"

static const char * const kids[] = {
  "10000000100010001000100000000000",
  "fbfefffefbfefffefbfefffefbfeff3e",
  NULL,
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* the first byte asks for both keys or the second only */
  guint first = offline_fuzz_take (&data, &size, 1) & 1;
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineClearKeyLicense) license =
    offline_clearkey_parse_response (bytes, kids + first, "https://license.example.com/ck", &error);

  if ((license == NULL) == (error == NULL))
    g_error ("offline_clearkey_parse_response: result %p, error %p", license, error);
  if (license != NULL && g_hash_table_size (license->keys) < 2 - first)
    g_error ("offline_clearkey_parse_response: a licence without the keys asked for");
  return 0;
}
