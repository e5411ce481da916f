/* offline-store-private.h: the on-disk store, an SQLite index plus media files
 * (library-internal: the writer, used by OfflineManager; playback reads an
 * entry through offline-stored-entry.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Layout of a store directory:
 *   lock            flock()ed by the one process that writes the store
 *   index.sqlite    (+ -wal, -shm) entries, tracks, resources and their state
 *   reserve         disk space kept back for the index (if it could be made)
 *   entries/N/      one directory per entry, N = the entry's row id
 *   entries/N/R     the bytes of resource R (R = the resource's row id)
 *   entries/N/R.part  a resource being downloaded
 * No file name ever comes from a URL or an entry id.
 *
 * Crash safety: a resource counts as stored only once its file is durable
 * (written, fdatasync()ed, renamed from .part, directory fsync()ed) and its
 * row is committed. offline_store_commit_resources() commits a batch in one
 * transaction. The index runs in WAL mode with synchronous=FULL: a commit
 * is durable once it returns. Row ids are never reused, so a file left by
 * an interrupted removal cannot be taken for a newer entry's (such
 * directories are deleted by the next offline_store_open()).
 *
 * Full disk: the writes that record where a download stopped (a batch of
 * resources, a state that ends a run) and the recovery at open may use the
 * reserve: on OFFLINE_ERROR_OUT_OF_SPACE a step of it is freed and the
 * write tried once more (see offline-store-fs-private.h). A write that still
 * fails leaves the index as it was: the resources of a batch that was not
 * committed are simply downloaded again.
 *
 * All functions are called from the thread that opened the store.
 */
#pragma once

#include <gio/gio.h>

#include "offline-entry.h"
#include "offline-media-info.h"
#include "offline-track-selection.h"

G_BEGIN_DECLS

typedef enum {
  OFFLINE_STORE_RESOURCE_INIT,    /* an initialisation segment (a track may have several) */
  OFFLINE_STORE_RESOURCE_MEDIA,   /* a media segment */
  OFFLINE_STORE_RESOURCE_KEY,     /* an HLS AES-128 key */
} OfflineStoreResourceKind;

/* One thing to fetch for an entry. */
typedef struct {
  gint64 id;                      /* row id, unique in the store; names the file */
  guint track_index;              /* into offline_entry_get_tracks() order */
  OfflineStoreResourceKind kind;
  guint sequence;                 /* order within its track (first init = 0, then media
                                   * from 1, with each later init before the first media
                                   * segment that needs it) */
  char *uri;
  gint64 range_offset;            /* -1: whole resource */
  gint64 range_length;            /* -1: to the end */
  GTimeSpan start;                /* µs on the presentation timeline (media) */
  GTimeSpan duration;             /* µs (media) */
  gboolean discontinuity;
  gint64 key_id;                  /* the KEY resource this media segment needs, or 0 */
  GBytes *iv;                     /* its AES-128 IV (16 bytes), or NULL */
  gboolean done;
  guint64 size;                   /* bytes stored, once done */
} OfflineStoreResource;

G_GNUC_INTERNAL
void offline_store_resource_clear (OfflineStoreResource *resource);

#define OFFLINE_TYPE_STORE (offline_store_get_type ())
G_GNUC_INTERNAL
G_DECLARE_FINAL_TYPE (OfflineStore, offline_store, OFFLINE, STORE, GObject)

/* Opens (creating if needed) the store at @path for writing. Fails with
 * OFFLINE_ERROR_STORE_LOCKED if another process has it open,
 * OFFLINE_ERROR_STORE if it cannot be created or read. Entries left
 * QUEUED or DOWNLOADING by a crash become PAUSED; their ids are added to
 * @recovered if not NULL (as copies: give it g_free as its free func). */
G_GNUC_INTERNAL
OfflineStore *offline_store_open (const char  *path,
                                  GPtrArray   *recovered,
                                  GError     **error);

/* Opens the existing store at @path for reading only, for playback: no
 * lock is taken, nothing is created, recovered or cleaned up, and the
 * index is opened with SQLITE_OPEN_READONLY, so this works while another
 * process (holding the lock) downloads into the store; it sees the last
 * committed state. Only the getters may be used on such a store
 * (offline_store_get_entry(), offline_store_list_entries(),
 * offline_store_get_download_options(), offline_store_get_resources(),
 * offline_store_get_entry_dir(), offline_store_get_resource_path(), which
 * then creates no directory). Playback uses it through
 * offline_stored_entry_open().
 * OFFLINE_ERROR_STORE if there is no readable store at @path. */
G_GNUC_INTERNAL
OfflineStore *offline_store_open_readonly (const char  *path,
                                           GError     **error);

G_GNUC_INTERNAL
const char *offline_store_get_path (OfflineStore *self);

/* Records a new entry (state QUEUED) with the selected tracks and every
 * resource to fetch: per track its init segment and media segments (HLS
 * media playlists must be parsed already), and each distinct AES-128 key.
 * OFFLINE_ERROR_ALREADY_EXISTS if the id is taken. */
G_GNUC_INTERNAL
gboolean offline_store_create_entry (OfflineStore           *self,
                                     OfflineMediaInfo       *info,
                                     OfflineTrackSelection  *selection,
                                     GError                **error);

/* offline_store_create_entry() that also records the @options (nullable)
 * the selection was made with. */
G_GNUC_INTERNAL
gboolean offline_store_create_entry_full (OfflineStore            *self,
                                          OfflineMediaInfo        *info,
                                          OfflineTrackSelection   *selection,
                                          OfflineDownloadOptions  *options,
                                          GError                 **error);

/* OFFLINE_ERROR_NOT_FOUND for unknown ids. */
G_GNUC_INTERNAL
OfflineEntry *offline_store_get_entry (OfflineStore  *self,
                                       const char    *id,
                                       GError       **error);

/* The options recorded by offline_store_create_entry_full() (empty
 * options if none were). OFFLINE_ERROR_NOT_FOUND for unknown ids. */
G_GNUC_INTERNAL
OfflineDownloadOptions *offline_store_get_download_options (OfflineStore  *self,
                                                            const char    *id,
                                                            GError       **error);

/* (element-type OfflineEntry), oldest first */
G_GNUC_INTERNAL
GPtrArray *offline_store_list_entries (OfflineStore  *self,
                                       GError       **error);

/* @failure_message replaces the stored one (NULL clears it). Only the
 * states that end a run (PAUSED, COMPLETED, FAILED) may use the reserve:
 * QUEUED or DOWNLOADING on a full disk fail with OFFLINE_ERROR_OUT_OF_SPACE
 * and leave it for the pause that would follow.
 * OFFLINE_ERROR_NOT_FOUND for unknown ids (as for every function below). */
G_GNUC_INTERNAL
gboolean offline_store_set_state (OfflineStore          *self,
                                  const char            *id,
                                  OfflineDownloadState   state,
                                  const char            *failure_message,
                                  GError               **error);

G_GNUC_INTERNAL
gboolean offline_store_set_bytes_expected (OfflineStore  *self,
                                           const char    *id,
                                           guint64        bytes_expected,
                                           GError       **error);

/* The resources of entry @id (element-type OfflineStoreResource, cleared
 * with offline_store_resource_clear), ordered for download: by start time,
 * then track, keys and init segments first; only those not done yet if
 * @pending_only. The array clears its elements itself: just unref it. */
G_GNUC_INTERNAL
GArray *offline_store_get_resources (OfflineStore  *self,
                                     const char    *id,
                                     gboolean       pending_only,
                                     GError       **error);

/* Absolute path of the file of resource @resource_id of entry @id (its
 * ".part" while downloading is this + ".part"); creates the entry's
 * directory. */
G_GNUC_INTERNAL
char *offline_store_get_resource_path (OfflineStore  *self,
                                       const char    *id,
                                       gint64         resource_id,
                                       GError       **error);

/* Absolute path of the directory of entry @id's files (not created). */
G_GNUC_INTERNAL
char *offline_store_get_entry_dir (OfflineStore  *self,
                                   const char    *id,
                                   GError       **error);

/* Marks @n resources of entry @id done with their sizes, in one
 * transaction, after fsync()ing the entry's directory; updates the entry's
 * bytes downloaded and segments done (once all are done, bytes expected
 * becomes the exact total). Resources already done are not counted twice.
 * May use the reserve; on failure nothing of the batch is recorded. */
G_GNUC_INTERNAL
gboolean offline_store_commit_resources (OfflineStore  *self,
                                         const char    *id,
                                         const gint64  *resource_ids,
                                         const guint64 *sizes,
                                         guint          n,
                                         GError       **error);

/* Stores @image as the poster of entry @id, a file in its directory
 * (offline_entry_get_poster_path()), replacing any earlier one.
 * OFFLINE_ERROR_OUT_OF_SPACE on a full disk. */
G_GNUC_INTERNAL
gboolean offline_store_set_poster (OfflineStore  *self,
                                   const char    *id,
                                   GBytes        *image,
                                   GError       **error);

/* Deletes the entry's rows and directory. OFFLINE_ERROR_NOT_FOUND if
 * unknown, OFFLINE_ERROR_REMOVE_FAILED if the files cannot be deleted. */
G_GNUC_INTERNAL
gboolean offline_store_remove_entry (OfflineStore  *self,
                                     const char    *id,
                                     GError       **error);

/* offline-store-license.c: the Clear Key licence of an entry. */

/* Replaces the licence of entry @id, in one transaction: its keys
 * (element-type utf8 GBytes: KID as 32 hex digits → key), its expiry (Unix
 * seconds, 0: none), which becomes the entry's license_expiration, and the
 * licence server it came from. On failure the old licence stays.
 * OFFLINE_ERROR_NOT_FOUND if there is no such entry. */
G_GNUC_INTERNAL
gboolean offline_store_set_license (OfflineStore  *self,
                                    const char    *id,
                                    GHashTable    *keys,
                                    gint64         expiration,
                                    const char    *license_url,
                                    GError       **error);

/* (element-type utf8 GBytes) the keys of entry @id's licence, empty for
 * clear content, and in @license_url (nullable) its licence server; NULL
 * with OFFLINE_ERROR_NOT_FOUND if there is no such entry. */
G_GNUC_INTERNAL
GHashTable *offline_store_get_license_keys (OfflineStore  *self,
                                            const char    *id,
                                            char         **license_url,
                                            GError       **error);

/* offline-store-media.c: what the store knows of an entry's media. */

/* The format of entry @id's source: OFFLINE_MANIFEST_FORMAT_PROGRESSIVE
 * for a plain media file stored whole (one track, one MEDIA resource).
 * OFFLINE_MANIFEST_FORMAT_UNKNOWN with OFFLINE_ERROR_NOT_FOUND if there
 * is no such entry. */
G_GNUC_INTERNAL
OfflineManifestFormat offline_store_get_format (OfflineStore  *self,
                                                const char    *id,
                                                GError       **error);

/* Records the duration (µs) of entry @id. */
G_GNUC_INTERNAL
gboolean offline_store_set_duration (OfflineStore  *self,
                                     const char    *id,
                                     GTimeSpan      duration,
                                     GError       **error);

/* For a progressive entry whose file is stored: reads the duration its
 * container declares (offline_progressive_read_duration()) and records
 * it. Does nothing for other entries, or if the file does not tell;
 * FALSE only if the index cannot be read or written. */
G_GNUC_INTERNAL
gboolean offline_store_record_file_duration (OfflineStore  *self,
                                             const char    *id,
                                             GError       **error);

G_END_DECLS
