/* offline-download-options.h: what to store of an entry (language, bitrate)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib-object.h>
#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_DOWNLOAD_OPTIONS (offline_download_options_get_type ())

OFFLINE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (OfflineDownloadOptions, offline_download_options, OFFLINE, DOWNLOAD_OPTIONS, GObject)

OFFLINE_AVAILABLE_IN_ALL
OfflineDownloadOptions *offline_download_options_new (void);

OFFLINE_AVAILABLE_IN_ALL
const char *offline_download_options_get_language (OfflineDownloadOptions *self);
OFFLINE_AVAILABLE_IN_ALL
void offline_download_options_set_language (OfflineDownloadOptions *self,
                                            const char             *language);
OFFLINE_AVAILABLE_IN_ALL
guint64 offline_download_options_get_bitrate (OfflineDownloadOptions *self);
OFFLINE_AVAILABLE_IN_ALL
void offline_download_options_set_bitrate (OfflineDownloadOptions *self,
                                           guint64                 bitrate);

G_END_DECLS
