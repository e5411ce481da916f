/* offline-store-watch.h: tells a reader that a store's index changed
 * (library-internal; exported for playback like offline-stored-entry.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A reader that plays an entry while it downloads (offlinesrc) must learn
 * of the segments stored since it opened the entry, whichever process
 * stores them. A watch keeps a read-only SQLite connection of its own to
 * the store's index (as offline_stored_entry_open(), no lock, nothing
 * written) and asks SQLite whether another connection committed since it
 * last asked (`PRAGMA data_version`): a read of the WAL index in shared
 * memory, no query of the tables, so it can be asked a few times a second.
 * When it says yes, the reader opens the entry again
 * (offline_stored_entry_open()) for a new snapshot.
 */
#pragma once

#include <glib-object.h>

#include "offline-export.h"

G_BEGIN_DECLS

#define OFFLINE_TYPE_STORE_WATCH (offline_store_watch_get_type ())
OFFLINE_READER_API
G_DECLARE_FINAL_TYPE (OfflineStoreWatch, offline_store_watch, OFFLINE, STORE_WATCH, GObject)

/* A watch of the store at @store_path: OFFLINE_ERROR_STORE if there is no
 * readable store there. */
OFFLINE_READER_API
OfflineStoreWatch *offline_store_watch_new (const char  *store_path,
                                            GError     **error);

/* Sets *@changed to whether another connection (this process's writer,
 * or another process's) committed to the index since the last call (the
 * first call: since the watch was made). FALSE with OFFLINE_ERROR_STORE
 * if the index cannot be read. Not thread-safe: one thread asks. */
OFFLINE_READER_API
gboolean offline_store_watch_changed (OfflineStoreWatch  *self,
                                      gboolean           *changed,
                                      GError            **error);

G_END_DECLS
