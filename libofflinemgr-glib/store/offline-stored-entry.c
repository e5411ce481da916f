/* offline-stored-entry.c: one stored entry, opened read-only for playback
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built on the store's read-only open (offline_store_open_readonly(): its
 * own SQLite connection, SQLITE_OPEN_READONLY, no lock) and its getters,
 * run inside one read transaction; the store is dropped once the snapshot
 * is taken.
 */
#include "config.h"

#include "offline-stored-entry.h"

#include "offline-entry-id-private.h"
#include "offline-error.h"
#include "offline-store-db-private.h"

#define AES128_KEY_SIZE 16

struct _OfflineStoredEntry {
  GObject parent_instance;

  OfflineEntry *entry;
  OfflineManifestFormat format;
  GArray *parts;                /* (element-type OfflineStoredPart) */
  GHashTable *license_keys;     /* KID (hex) → GBytes */
};

G_DEFINE_FINAL_TYPE (OfflineStoredEntry, offline_stored_entry, G_TYPE_OBJECT)

G_STATIC_ASSERT ((int) OFFLINE_STORED_PART_INIT == (int) OFFLINE_STORE_RESOURCE_INIT);
G_STATIC_ASSERT ((int) OFFLINE_STORED_PART_MEDIA == (int) OFFLINE_STORE_RESOURCE_MEDIA);
G_STATIC_ASSERT ((int) OFFLINE_STORED_PART_KEY == (int) OFFLINE_STORE_RESOURCE_KEY);

static void
part_clear (OfflineStoredPart *part)
{
  g_clear_pointer (&part->uri, g_free);
  g_clear_pointer (&part->path, g_free);
  g_clear_pointer (&part->iv, g_bytes_unref);
}

static void
offline_stored_entry_finalize (GObject *object)
{
  OfflineStoredEntry *self = OFFLINE_STORED_ENTRY (object);

  g_clear_object (&self->entry);
  g_clear_pointer (&self->parts, g_array_unref);
  g_clear_pointer (&self->license_keys, g_hash_table_unref);
  G_OBJECT_CLASS (offline_stored_entry_parent_class)->finalize (object);
}

static void
offline_stored_entry_class_init (OfflineStoredEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_stored_entry_finalize;
}

static void
offline_stored_entry_init (OfflineStoredEntry *self)
{
  self->parts = g_array_new (FALSE, TRUE, sizeof (OfflineStoredPart));
  g_array_set_clear_func (self->parts, (GDestroyNotify) part_clear);
}

/* Reads the snapshot from @store (inside the caller's read transaction). */
static gboolean
load (OfflineStoredEntry  *self,
      OfflineStore        *store,
      const char          *id,
      GError             **error)
{
  g_autoptr(GArray) resources = NULL;
  g_autofree char *dir = NULL;

  self->entry = offline_store_get_entry (store, id, error);
  if (self->entry == NULL)
    return FALSE;
  self->format = offline_store_get_format (store, id, error);
  if (self->format == OFFLINE_MANIFEST_FORMAT_UNKNOWN && error != NULL && *error != NULL)
    return FALSE;
  dir = offline_store_get_entry_dir (store, id, error);
  if (dir == NULL)
    return FALSE;
  resources = offline_store_get_resources (store, id, FALSE, error);
  if (resources == NULL)
    return FALSE;
  self->license_keys = offline_store_get_license_keys (store, id, NULL, error);
  if (self->license_keys == NULL)
    return FALSE;

  g_array_set_size (self->parts, resources->len);
  for (guint i = 0; i < resources->len; i++) {
    OfflineStoreResource *resource = &g_array_index (resources, OfflineStoreResource, i);
    OfflineStoredPart *part = &g_array_index (self->parts, OfflineStoredPart, i);

    part->id = resource->id;
    part->track_index = resource->track_index;
    part->kind = (OfflineStoredPartKind) resource->kind;
    part->sequence = resource->sequence;
    part->uri = g_steal_pointer (&resource->uri);
    part->path = g_strdup_printf ("%s/%" G_GINT64_FORMAT, dir, resource->id);
    part->start = resource->start;
    part->duration = resource->duration;
    part->discontinuity = resource->discontinuity;
    part->key_id = resource->key_id;
    part->iv = g_steal_pointer (&resource->iv);
    part->done = resource->done;
    part->size = resource->size;
  }
  return TRUE;
}

OfflineStoredEntry *
offline_stored_entry_open (const char  *store_path,
                           const char  *entry_id,
                           GError     **error)
{
  g_autoptr(OfflineStoredEntry) self = NULL;
  g_autoptr(OfflineStore) store = NULL;
  OfflineStoreDb *db;
  gboolean loaded;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!offline_entry_id_validate (entry_id, -1, error))
    return NULL;
  store = offline_store_open_readonly (store_path, error);
  if (store == NULL)
    return NULL;

  /* one read transaction: entry, format and parts of the same commit */
  db = offline_store_get_db (store);
  if (!offline_store_db_exec (db, "BEGIN", error))
    return NULL;
  self = g_object_new (OFFLINE_TYPE_STORED_ENTRY, NULL);
  loaded = load (self, store, entry_id, error);
  offline_store_db_rollback (db);
  return loaded ? g_steal_pointer (&self) : NULL;
}

OfflineEntry *
offline_stored_entry_get_entry (OfflineStoredEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_STORED_ENTRY (self), NULL);

  return self->entry;
}

OfflineManifestFormat
offline_stored_entry_get_format (OfflineStoredEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_STORED_ENTRY (self), OFFLINE_MANIFEST_FORMAT_UNKNOWN);

  return self->format;
}

GArray *
offline_stored_entry_get_parts (OfflineStoredEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_STORED_ENTRY (self), NULL);

  return self->parts;
}

static gint
compare_sequence (gconstpointer a,
                  gconstpointer b)
{
  const OfflineStoredPart *pa = *(OfflineStoredPart * const *) a;
  const OfflineStoredPart *pb = *(OfflineStoredPart * const *) b;

  return (pa->sequence > pb->sequence) - (pa->sequence < pb->sequence);
}

GPtrArray *
offline_stored_entry_get_track_parts (OfflineStoredEntry *self,
                                      guint               track_index)
{
  GPtrArray *mine;

  g_return_val_if_fail (OFFLINE_IS_STORED_ENTRY (self), NULL);

  mine = g_ptr_array_new ();
  for (guint i = 0; i < self->parts->len; i++) {
    OfflineStoredPart *part = &g_array_index (self->parts, OfflineStoredPart, i);

    if (part->track_index == track_index && part->kind != OFFLINE_STORED_PART_KEY)
      g_ptr_array_add (mine, part);
  }
  g_ptr_array_sort (mine, compare_sequence);
  return mine;
}

const OfflineStoredPart *
offline_stored_entry_find_part (OfflineStoredEntry *self,
                                gint64              part_id)
{
  g_return_val_if_fail (OFFLINE_IS_STORED_ENTRY (self), NULL);

  for (guint i = 0; i < self->parts->len; i++) {
    const OfflineStoredPart *part = &g_array_index (self->parts, OfflineStoredPart, i);

    if (part->id == part_id)
      return part;
  }
  return NULL;
}

GHashTable *
offline_stored_entry_get_license_keys (OfflineStoredEntry *self)
{
  g_return_val_if_fail (OFFLINE_IS_STORED_ENTRY (self), NULL);

  return self->license_keys;
}

GBytes *
offline_stored_entry_read_key (OfflineStoredEntry  *self,
                               gint64               key_id,
                               GError             **error)
{
  const OfflineStoredPart *key;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (OFFLINE_IS_STORED_ENTRY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = offline_stored_entry_find_part (self, key_id);
  if (key == NULL || key->kind != OFFLINE_STORED_PART_KEY || !key->done) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "The AES-128 key of a stored segment is not stored");
    return NULL;
  }
  if (!g_file_get_contents (key->path, &contents, &length, &local_error)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "A stored AES-128 key cannot be read: %s", local_error->message);
    return NULL;
  }
  if (length != AES128_KEY_SIZE) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "A stored AES-128 key has %" G_GSIZE_FORMAT " bytes instead of %d: %s",
                 length, AES128_KEY_SIZE, key->path);
    return NULL;
  }
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}
