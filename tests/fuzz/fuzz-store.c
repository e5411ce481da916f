/* fuzz-store.c: the store's reading of a damaged index. An input that
 * starts with SQLite's magic is the whole index file; any other input is
 * a list of patches over a valid index made once per process (three
 * entries: DASH, HLS with an AES-128 key, a Clear Key licence), each
 * patch a 4-byte offset, a length byte and that many bytes. The index is
 * read through the reading API: offline_store_open_readonly() and its
 * getters, then offline_stored_entry_open() of each entry (what
 * offlinesrc uses). One temporary store directory per process.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "offline-hls-parser.h"
#include "offline-dash-parser.h"
#include "offline-store-fs-private.h"
#include "offline-store-private.h"
#include "offline-stored-entry.h"

static const char mpd[] =
  "<?xml version=\"1.0\"?>\n"
  "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" xmlns:cenc=\"urn:mpeg:cenc:2013\" type=\"static\""
  " mediaPresentationDuration=\"PT6S\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\">\n"
  " <Period>\n"
  "  <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n"
  "   <ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cenc\""
  " cenc:default_KID=\"10000000-1000-1000-1000-100000000000\"/>\n"
  "   <ContentProtection schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\"/>\n"
  "   <SegmentTemplate timescale=\"1000\" duration=\"2000\" startNumber=\"1\""
  " initialization=\"init-$RepresentationID$.m4s\" media=\"chunk-$RepresentationID$-$Number$.m4s\"/>\n"
  "   <Representation id=\"v\" bandwidth=\"100000\" codecs=\"avc1.4d400c\" width=\"320\" height=\"180\"/>\n"
  "  </AdaptationSet>\n"
  "  <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"en\">\n"
  "   <SegmentTemplate timescale=\"1000\" duration=\"2000\" startNumber=\"1\""
  " initialization=\"init-$RepresentationID$.m4s\" media=\"chunk-$RepresentationID$-$Number$.m4s\"/>\n"
  "   <Representation id=\"a\" bandwidth=\"48000\" codecs=\"mp4a.40.2\"/>\n"
  "  </AdaptationSet>\n"
  " </Period>\n"
  "</MPD>\n";

static const char m3u8[] =
  "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n"
  "#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\"\n#EXTINF:2,\ns0.ts\n"
  "#EXT-X-DISCONTINUITY\n#EXTINF:2,\ns1.ts\n"
  "#EXT-X-KEY:METHOD=AES-128,URI=\"k2.bin\",IV=0x000102030405060708090a0b0c0d0e0f\n"
  "#EXTINF:1.5,\ns2.ts\n#EXT-X-ENDLIST\n";

typedef struct {
  char *dir;            /* the temp dir: store/ and nothing else */
  char *store;          /* dir/store */
  char *index;          /* dir/store/index.sqlite */
  GBytes *valid;        /* the index as made */
} Template;

static void
must (gboolean      ok,
      const GError *error)
{
  if (!ok)
    g_error ("making the valid store: %s", error != NULL ? error->message : "?");
}

static void
add_entry (OfflineStore  *store,
           const char    *id,
           const char    *text,
           const char    *uri,
           OfflinePresentation *(*parse) (GBytes *, const char *, GError **))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(OfflinePresentation) presentation = parse (bytes, uri, &error);
  g_autoptr(OfflineTrackSelection) selection = NULL;
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(GArray) resources = NULL;
  gint64 ids[2];
  guint64 sizes[2] = { 100, 200 };

  must (presentation != NULL, error);
  selection = offline_track_selection_new (presentation, NULL);
  info = g_object_new (OFFLINE_TYPE_MEDIA_INFO, "entry-id", id, "manifest-url", uri,
                       "name", id, "tags", (const char * const[]) { "a", "b", NULL }, NULL);
  must (offline_store_create_entry (store, info, selection, &error), error);
  resources = offline_store_get_resources (store, id, FALSE, &error);
  must (resources != NULL && resources->len >= 2, error);
  for (guint i = 0; i < 2; i++) {
    g_autofree char *path = NULL;
    g_autofree char *contents = g_strnfill (sizes[i], 'x');

    ids[i] = g_array_index (resources, OfflineStoreResource, i).id;
    path = offline_store_get_resource_path (store, id, ids[i], &error);
    must (path != NULL && g_file_set_contents (path, contents, sizes[i], &error), error);
  }
  must (offline_store_commit_resources (store, id, ids, sizes, 2, &error), error);
}

/* The process's template (libFuzzer calls the harness with no context),
 * removed at exit. */
static Template *template;

static void
template_remove (void)
{
  Template *t = template;
  g_autofree char *parent = g_path_get_dirname (t->dir);
  g_autofree char *name = g_path_get_basename (t->dir);

  offline_store_fs_remove_tree (parent, name, NULL);
}

static Template *
template_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_bytes_unref);
  Template *t = g_new0 (Template, 1);
  char *contents;
  gsize length;

  t->dir = g_dir_make_tmp ("fuzz-store-XXXXXX", &error);
  must (t->dir != NULL, error);
  t->store = g_build_filename (t->dir, "store", NULL);
  t->index = g_build_filename (t->store, "index.sqlite", NULL);
  store = offline_store_open (t->store, NULL, &error);
  must (store != NULL, error);
  add_entry (store, "dash", mpd, "https://cdn.example.com/a/manifest.mpd", offline_dash_parse);
  add_entry (store, "hls", m3u8, "https://cdn.example.com/b/media.m3u8", offline_hls_parse);
  add_entry (store, "other", m3u8, "https://cdn.example.com/c/media.m3u8", offline_hls_parse);
  g_hash_table_insert (keys, g_strdup ("10000000100010001000100000000000"),
                       g_bytes_new_static ("0123456789abcdef", 16));
  must (offline_store_set_license (store, "dash", keys, 1900000000, "https://l.example.com/ck",
                                   &error), error);
  must (offline_store_set_state (store, "other", OFFLINE_DOWNLOAD_STATE_FAILED, "gone", &error),
        error);
  /* closing checkpoints the WAL into the index file */
  g_clear_object (&store);
  must (g_file_get_contents (t->index, &contents, &length, &error), error);
  t->valid = g_bytes_new_take (contents, length);
  return t;
}

/* no fsync: only this process reads it */
static void
write_file (const char    *path,
            const uint8_t *data,
            size_t         size)
{
  g_autoptr(GError) error = NULL;

  must (g_file_set_contents_full (path, (const char *) data, size, G_FILE_SET_CONTENTS_NONE,
                                  0600, &error), error);
}

/* @data: patches over the valid index, or a whole index */
static void
write_index (Template      *t,
             const uint8_t *data,
             size_t         size)
{
  g_autofree char *wal = g_strconcat (t->index, "-wal", NULL);
  g_autofree char *shm = g_strconcat (t->index, "-shm", NULL);
  g_autoptr(GByteArray) index = NULL;

  g_unlink (wal);
  g_unlink (shm);
  if (size >= 16 && memcmp (data, "SQLite format 3", 16) == 0) {
    write_file (t->index, data, size);
    return;
  }
  index = g_byte_array_new ();
  g_byte_array_append (index, g_bytes_get_data (t->valid, NULL), g_bytes_get_size (t->valid));
  while (size > 0) {
    gsize offset = offline_fuzz_take (&data, &size, 4) % index->len;
    gsize length = offline_fuzz_take (&data, &size, 1);

    length = MIN (MIN (length, size), index->len - offset);
    memcpy (index->data + offset, data, length);
    data += length;
    size -= length;
  }
  write_file (t->index, index->data, index->len);
}

/* Everything offlinesrc reads of entry @id. */
static void
read_stored (const char *store,
             const char *id)
{
  g_autoptr(OfflineStoredEntry) stored = offline_stored_entry_open (store, id, NULL);
  GArray *parts;
  guint n_tracks;

  if (stored == NULL)
    return;
  n_tracks = offline_entry_get_tracks (offline_stored_entry_get_entry (stored))->len;
  (void) offline_stored_entry_get_format (stored);
  (void) offline_stored_entry_get_license_keys (stored);
  parts = offline_stored_entry_get_parts (stored);
  for (guint i = 0; i < parts->len; i++) {
    const OfflineStoredPart *part = &g_array_index (parts, OfflineStoredPart, i);

    if (offline_stored_entry_find_part (stored, part->id) == NULL)
      g_error ("part %" G_GINT64_FORMAT " listed but not found", part->id);
    if (part->kind == OFFLINE_STORED_PART_KEY) {
      GBytes *key = offline_stored_entry_read_key (stored, part->id, NULL);

      g_clear_pointer (&key, g_bytes_unref);
    }
  }
  for (guint i = 0; i < n_tracks; i++)
    g_ptr_array_unref (offline_stored_entry_get_track_parts (stored, i));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(OfflineStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  Template *t;

  if (template == NULL) {
    template = template_new ();
    atexit (template_remove);
  }
  t = template;
  write_index (t, data, size);
  store = offline_store_open_readonly (t->store, NULL);
  if (store == NULL)
    return 0;
  entries = offline_store_list_entries (store, NULL);
  for (guint i = 0; entries != NULL && i < entries->len; i++) {
    const char *id = offline_entry_get_id (g_ptr_array_index (entries, i));
    OfflineDownloadOptions *options = offline_store_get_download_options (store, id, NULL);
    GArray *resources = offline_store_get_resources (store, id, FALSE, NULL);
    GHashTable *keys = offline_store_get_license_keys (store, id, NULL, NULL);

    g_clear_object (&options);
    g_clear_pointer (&resources, g_array_unref);
    g_clear_pointer (&keys, g_hash_table_unref);
    (void) offline_store_get_format (store, id, NULL);
    read_stored (t->store, id);
  }
  return 0;
}
