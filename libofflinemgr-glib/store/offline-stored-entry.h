/* offline-stored-entry.h: one stored entry, opened read-only for playback
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What playback (the gst-offline plugin, the CLI's `play`) may know of the
 * store: an entry, its tracks and the files of their segments. It is not
 * public API (not installed, not in the GIR, no ABI promise beyond this
 * source tree); its symbols are exported (OFFLINE_READER_API) because the
 * plugin must share the library's types (OfflineEntry, OfflineTrack) with
 * an application that plays offline:// in the same process. The writer's
 * headers (offline-store-private.h and the rest of store/) stay private to
 * the library.
 *
 * offline_stored_entry_open() opens the store's index with a read-only
 * SQLite connection of its own (a WAL reader): it takes no lock, creates,
 * recovers and cleans up nothing, so it works while another process holds
 * the store and downloads into it. It reads the entry, its format, the
 * index of its files and its licence keys in one read transaction, a consistent snapshot of
 * the last commit, then closes the connection: the getters below answer
 * from that snapshot and never touch the index again. Only
 * offline_stored_entry_read_key() reads a file.
 */
#pragma once

#include <gio/gio.h>

#include "offline-entry.h"
#include "offline-export.h"
#include "offline-manifest.h"

G_BEGIN_DECLS

typedef enum {
  OFFLINE_STORED_PART_INIT,     /* an initialisation segment (a track may have several) */
  OFFLINE_STORED_PART_MEDIA,    /* a media segment */
  OFFLINE_STORED_PART_KEY,      /* an HLS AES-128 key (16 bytes) */
} OfflineStoredPartKind;

/* One file of a stored entry, as the index describes it. */
typedef struct {
  gint64 id;                    /* unique in the store */
  guint track_index;            /* into offline_entry_get_tracks() order */
  OfflineStoredPartKind kind;
  guint sequence;               /* order within its track (first init = 0, then media
                                 * from 1, with each later init before the first media
                                 * segment that needs it); 0 for keys */
  char *uri;                    /* where it was downloaded from */
  char *path;                   /* absolute path of its file (which may be missing) */
  GTimeSpan start;              /* µs on the presentation timeline (media) */
  GTimeSpan duration;           /* µs (media) */
  gboolean discontinuity;       /* HLS EXT-X-DISCONTINUITY before it */
  gint64 key_id;                /* the id of the KEY part this media segment is
                                 * encrypted with (AES-128-CBC), or 0: clear */
  GBytes *iv;                   /* with @key_id: its IV (should be 16 bytes) */
  gboolean done;                /* its file is stored, with @size bytes */
  guint64 size;
} OfflineStoredPart;

#define OFFLINE_TYPE_STORED_ENTRY (offline_stored_entry_get_type ())
OFFLINE_READER_API
G_DECLARE_FINAL_TYPE (OfflineStoredEntry, offline_stored_entry, OFFLINE, STORED_ENTRY, GObject)

/* Opens entry @entry_id of the store at @store_path read-only (see above).
 * OFFLINE_ERROR_INVALID_ARGUMENT for an id that is not valid (see
 * offline-entry-id-private.h), OFFLINE_ERROR_STORE if there is no
 * readable store at @store_path (or its index cannot be read: damaged,
 * another schema), OFFLINE_ERROR_NOT_FOUND if the entry is not stored. */
OFFLINE_READER_API
OfflineStoredEntry *offline_stored_entry_open (const char  *store_path,
                                               const char  *entry_id,
                                               GError     **error);

/* (transfer none): the entry (state, duration, tracks, …) as opened. */
OFFLINE_READER_API
OfflineEntry *offline_stored_entry_get_entry (OfflineStoredEntry *self);

/* The format of the entry's source: OFFLINE_MANIFEST_FORMAT_PROGRESSIVE
 * for a plain media file stored whole (one track, one MEDIA part). */
OFFLINE_READER_API
OfflineManifestFormat offline_stored_entry_get_format (OfflineStoredEntry *self);

/* (transfer none) (element-type OfflineStoredPart): every part of the
 * entry, stored or not, in download order (by start time, then track,
 * keys and init segments first). */
OFFLINE_READER_API
GArray *offline_stored_entry_get_parts (OfflineStoredEntry *self);

/* (transfer container) (element-type OfflineStoredPart): the init and
 * media parts of track @track_index, in sequence order, pointing into
 * offline_stored_entry_get_parts(). Empty for an unknown track. */
OFFLINE_READER_API
GPtrArray *offline_stored_entry_get_track_parts (OfflineStoredEntry *self,
                                                 guint               track_index);

/* The part whose id is @part_id, NULL if the entry has none. */
OFFLINE_READER_API
const OfflineStoredPart *offline_stored_entry_find_part (OfflineStoredEntry *self,
                                                         gint64              part_id);

/* (transfer none) (element-type utf8 GBytes): the keys of the entry's
 * Clear Key licence, KID (32 hex digits, as offline_store_set_license()
 * stored them) → key; empty for clear content. Its expiry is the entry's
 * offline_entry_get_license_expiration(). */
OFFLINE_READER_API
GHashTable *offline_stored_entry_get_license_keys (OfflineStoredEntry *self);

/* The bytes of KEY part @key_id (an HLS AES-128 key), read from its file:
 * NULL with OFFLINE_ERROR_ENTRY_DAMAGED if the entry has no such key, it
 * is not stored, cannot be read or is not 16 bytes. */
OFFLINE_READER_API
GBytes *offline_stored_entry_read_key (OfflineStoredEntry  *self,
                                       gint64               key_id,
                                       GError             **error);

/* ---- Watching the store ----
 *
 * A reader that plays an entry while it downloads (offlinesrc) must learn
 * of the segments stored since it opened the entry, whichever process
 * stores them. A watch keeps a read-only SQLite connection of its own to
 * the store's index (as offline_stored_entry_open(), no lock, nothing
 * written) and asks SQLite whether another connection committed since it
 * last asked (`PRAGMA data_version`): a read of the WAL index in shared
 * memory, no query of the tables, so it can be asked a few times a second.
 * When it says yes, the reader opens the entry again
 * (offline_stored_entry_open()) for a new snapshot. */

#define OFFLINE_TYPE_STORED_WATCH (offline_stored_watch_get_type ())
OFFLINE_READER_API
G_DECLARE_FINAL_TYPE (OfflineStoredWatch, offline_stored_watch, OFFLINE, STORED_WATCH, GObject)

/* A watch of the store at @store_path: OFFLINE_ERROR_STORE if there is no
 * readable store there. */
OFFLINE_READER_API
OfflineStoredWatch *offline_stored_watch_new (const char  *store_path,
                                              GError     **error);

/* Sets *@changed to whether another connection (this process's writer,
 * or another process's) committed to the index since the last call (the
 * first call: since the watch was made). FALSE with OFFLINE_ERROR_STORE
 * if the index cannot be read. Not thread-safe: one thread asks. */
OFFLINE_READER_API
gboolean offline_stored_watch_changed (OfflineStoredWatch  *self,
                                       gboolean            *changed,
                                       GError             **error);

G_END_DECLS
