/* offlinemgr-entry.h: a stored entry as text: list's line, info's details
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline.h"

G_BEGIN_DECLS

/* One line of `list`: id, state, percentage, size, name, protection. */
void print_entry_line (OfflineEntry *entry);

/* The lines of `info`: one field per line, then one per track. */
void print_entry_details (OfflineEntry *entry);

G_END_DECLS
