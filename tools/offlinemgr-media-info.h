/* offlinemgr-media-info.h: what `offlinemgr media-info ID` prints
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline.h"

G_BEGIN_DECLS

/* Prints @info on stdout: its JSON (offline_media_info_to_json()) if
 * @json, else one "label: value" line per field ("-" for what it lacks)
 * and one "source:" line per source. */
void print_media_info (OfflineMediaInfo *info,
                       gboolean          json);

G_END_DECLS
