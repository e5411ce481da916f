/* offline-entry-id-private.h: what an entry id may be (library-internal,
 * exported with the store reader for the offlinesrc plugin and the CLI)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "offline-export.h"

G_BEGIN_DECLS

/* The longest entry id, in bytes (not characters). Ids are the keys of an
 * application's catalogue (slugs, UUIDs, URNs): 255 bytes is ample for
 * those, matches NAME_MAX so an application may name a file after an id,
 * and bounds what an id costs in the index, in log lines and in an
 * offline:// URI (where percent-encoding can triple it). */
#define OFFLINE_ENTRY_ID_MAX_LENGTH 255

/* Checks @entry_id, of @length bytes (-1: NUL-terminated): FALSE with
 * OFFLINE_ERROR_INVALID_ARGUMENT if it is NULL, empty, longer than
 * OFFLINE_ENTRY_ID_MAX_LENGTH bytes, holds a NUL byte or is not valid
 * UTF-8. Every public function that takes an entry id calls this first. */
OFFLINE_READER_API
gboolean offline_entry_id_validate (const char  *entry_id,
                                    gssize       length,
                                    GError     **error);

G_END_DECLS
