/* fuzz-common.h: what the libFuzzer harnesses (tests/fuzz/fuzz-*.c) share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "offline-presentation.h"

G_BEGIN_DECLS

/* The harness's entry point, called by libFuzzer for each input. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Reads a little-endian number of @n_bytes (≤ 8) from the front of the
 * input @data, @size, moving both on; missing bytes read as 0. */
guint64 offline_fuzz_take (const uint8_t **data,
                           size_t         *size,
                           guint           n_bytes);

/* A manifest parser, as offline_dash_parse() and offline_hls_parse(). */
typedef OfflinePresentation *(*OfflineFuzzParse) (GBytes      *data,
                                                  const char  *uri,
                                                  GError     **error);

/* Runs @parse on @data as fetched from @uri; aborts unless it gives
 * either a presentation or an error. */
void offline_fuzz_parse (OfflineFuzzParse  parse,
                         const char       *uri,
                         const uint8_t    *data,
                         size_t            size);

G_END_DECLS
