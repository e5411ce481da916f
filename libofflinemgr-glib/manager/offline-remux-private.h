/* offline-remux-private.h: remuxes a stored entry into a plain file
 * (library-internal; see offline_manager_export_async())
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "offline-entry.h"
#include "offline-manager.h"

G_BEGIN_DECLS

/* Remuxes @entry, stored in the store at @store_path, into @path through
 * GStreamer (offlinesrc → parsers → the muxer @path's extension names),
 * writing a temporary file beside @path that replaces @path only once
 * complete. Refuses first (without a pipeline) what cannot be exported:
 * a bad @path, an entry that is not complete (unless
 * %OFFLINE_EXPORT_FLAGS_PARTIAL and it is paused), an expired licence,
 * missing elements. @progress (nullable) is called on @context, which
 * also runs the pipeline's bus watch; @progress_destroy (nullable) frees
 * @progress_data once the export ended. Completes @task (a boolean GTask
 * made on @context; its cancellable stops the export). */
G_GNUC_INTERNAL
void offline_remux_start (const char                *store_path,
                          OfflineEntry              *entry,
                          const char                *path,
                          OfflineExportFlags         flags,
                          GMainContext              *context,
                          OfflineExportProgressFunc  progress,
                          gpointer                   progress_data,
                          GDestroyNotify             progress_destroy,
                          GTask                     *task);

G_END_DECLS
