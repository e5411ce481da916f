/* offline-media-info-private.h: copying and reading media infos
 * (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-media-info.h"

G_BEGIN_DECLS

/* A copy of @self (sources and tags included) whose entry id is
 * @entry_id. */
G_GNUC_INTERNAL
OfflineMediaInfo *offline_media_info_copy_with_entry_id (OfflineMediaInfo *self,
                                                         const char       *entry_id);

/* The media info offline_media_info_to_json() wrote (members that are
 * missing or of the wrong type are left unset), or NULL with
 * OFFLINE_ERROR_INVALID_ARGUMENT if @json is not a JSON object with a
 * `manifest_url`. */
G_GNUC_INTERNAL
OfflineMediaInfo *offline_media_info_new_from_json (const char  *json,
                                                    GError     **error);

G_END_DECLS
