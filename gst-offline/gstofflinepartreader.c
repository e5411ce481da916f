/* gstofflinepartreader.c: reads one stored track's files in order
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The reader takes everything it needs from the store when it is made
 * (paths, times, sizes) and never touches the store again: it is then used
 * from the streaming thread of one pad (see gstofflinesrcpad.h). A
 * reader that follows a download also has parts not stored yet;
 * gst_offline_part_reader_update() marks them stored from a later
 * snapshot, from another thread: @lock guards what it changes.
 *
 * HLS AES-128 segments are stored as they were served, encrypted, with
 * their key as a resource of its own: the reader reads each key file when
 * it is made, and decrypts a part whenever it reads it (load_part()).
 * Clear parts are mapped, not copied.
 */
#include "gstofflinepartreader.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gst/base/gsttypefindhelper.h>

#include "gstofflinedecrypt.h"
#include "gstofflinefmp4.h"
#include "offline-error.h"

#define SNIFF_SIZE 4096
#define TS_PACKET 188
#define TS_SCAN_SIZE (64 * 1024)        /* where the first PCR and PTSs are */

typedef struct {
  gint64 id;                    /* the store's */
  char *path;
  gboolean is_init;
  gboolean done;                /* stored: its file has @size bytes; under @lock */
  GstClockTime start;           /* media only */
  GstClockTime duration;        /* media only */
  gboolean discontinuity;
  guint64 size;                 /* as stored (encrypted); under @lock */
  gint64 key_id;                /* its key's part, 0: clear */
  GBytes *key;                  /* its AES-128 key (16 bytes) once stored, NULL:
                                 * clear; under @lock */
  guint8 iv[GST_OFFLINE_AES128_SIZE];   /* with @key */
  GstClockTime ts_offset;       /* see find_ts_offset(); NONE until known */
  guint32 timescale;            /* init of fragmented MP4: its timescale, else 0 */
  GstClockTime edit_start;      /* init of fragmented MP4: see load_inits() */
} Part;

struct _GstOfflinePartReader {
  GObject parent_instance;

  /* No lock of its own: its owner's (the track source's, its pad's
   * STREAM_LOCK) protects every field, but the Parts' paths, times,
   * sizes and keys, read-only once made (find_start() reads them
   * unlocked). */
  GMutex lock;                  /* the parts' @done, @size and @key, and
                                 * @complete: update() changes them */
  GPtrArray *parts;             /* (element-type Part) in sequence order */
  guint next;                   /* index of the next part to read */
  int pending_init;             /* index of an init part to read first, or -1 */
  int last_init;                /* index of the init part read last, or -1 */
  GstClockTime ts_offset;       /* of the part seek() positioned on */
  GstClockTimeDiff arrival_shift;       /* MPEG-TS: see next() */
  gboolean complete;            /* every media segment is stored; under @lock */
  guint32 timescale;            /* fragmented MP4: that of the init segment
                                 * read last (an HLS EXT-X-MAP may change
                                 * part-way), else 0 */
  GstClockTimeDiff offset;      /* fragmented MP4: the first media segment's
                                 * stored start minus its decode time */
};

G_DEFINE_FINAL_TYPE (GstOfflinePartReader, gst_offline_part_reader, G_TYPE_OBJECT)

static void
part_free (gpointer data)
{
  Part *part = data;

  g_free (part->path);
  g_clear_pointer (&part->key, g_bytes_unref);
  g_free (part);
}

static void
gst_offline_part_reader_finalize (GObject *object)
{
  GstOfflinePartReader *self = GST_OFFLINE_PART_READER (object);

  g_ptr_array_unref (self->parts);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (gst_offline_part_reader_parent_class)->finalize (object);
}

static void
gst_offline_part_reader_class_init (GstOfflinePartReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_offline_part_reader_finalize;
}

static void
gst_offline_part_reader_init (GstOfflinePartReader *self)
{
  g_mutex_init (&self->lock);
  self->parts = g_ptr_array_new_with_free_func (part_free);
  self->pending_init = -1;
  self->last_init = -1;
}

/* FALSE with OFFLINE_ERROR_ENTRY_DAMAGED unless @part's file has its size. */
static gboolean
check_file (const Part  *part,
            GError     **error)
{
  GStatBuf st;

  if (g_stat (part->path, &st) < 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "A stored file is missing: %s", part->path);
    return FALSE;
  }
  if ((guint64) st.st_size != part->size) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "A stored file has %" G_GUINT64_FORMAT " bytes instead of %" G_GUINT64_FORMAT ": %s",
                 (guint64) st.st_size, part->size, part->path);
    return FALSE;
  }
  return TRUE;
}

/* The AES-128 key @key_id of @stored, read from its file once per key:
 * @keys (gint64 id → GBytes) holds those read. NULL with
 * OFFLINE_ERROR_ENTRY_DAMAGED if it is not stored or not 16 bytes. */
static GBytes *
read_key (OfflineStoredEntry  *stored,
          gint64               key_id,
          GHashTable          *keys,
          GError             **error)
{
  GBytes *bytes = g_hash_table_lookup (keys, &key_id);

  if (bytes != NULL)
    return g_bytes_ref (bytes);
  bytes = offline_stored_entry_read_key (stored, key_id, error);
  if (bytes == NULL)
    return NULL;
  g_assert (g_bytes_get_size (bytes) == GST_OFFLINE_AES128_SIZE);
  g_hash_table_insert (keys, g_memdup2 (&key_id, sizeof key_id), g_bytes_ref (bytes));
  return bytes;
}

static void find_timing (GstOfflinePartReader *self);

/* Takes @resource's key (a stored part's): FALSE with
 * OFFLINE_ERROR_ENTRY_DAMAGED if it has no valid IV or key. */
static gboolean
take_key (Part                    *part,
          const OfflineStoredPart *resource,
          OfflineStoredEntry      *stored,
          GHashTable              *keys,
          GError                 **error)
{
  if (resource->key_id == 0)
    return TRUE;
  /* the store holds the IV resolved by the parser: the playlist's, or
   * the segment's media sequence number */
  if (resource->iv == NULL || g_bytes_get_size (resource->iv) != GST_OFFLINE_AES128_SIZE) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "A stored AES-128 segment has no valid IV: %s", part->path);
    return FALSE;
  }
  memcpy (part->iv, g_bytes_get_data (resource->iv, NULL), sizeof part->iv);
  part->key = read_key (stored, resource->key_id, keys, error);
  return part->key != NULL;
}

static void load_init_timing (Part *part, GBytes *bytes);
static GBytes *load_part (const Part *part, GError **error);

GstOfflinePartReader *
gst_offline_part_reader_new (OfflineStoredEntry  *stored,
                             guint                track_index,
                             gboolean             follow,
                             GError             **error)
{
  g_autoptr(GstOfflinePartReader) self = g_object_new (GST_TYPE_OFFLINE_PART_READER, NULL);
  g_autoptr(GPtrArray) mine = offline_stored_entry_get_track_parts (stored, track_index);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      (GDestroyNotify) g_bytes_unref);
  gboolean has_media = FALSE;

  self->complete = TRUE;
  for (guint i = 0; i < mine->len; i++) {
    const OfflineStoredPart *resource = g_ptr_array_index (mine, i);
    Part *part;

    if (!resource->done) {
      self->complete = FALSE;
      /* the contiguous stored prefix only, unless following */
      if (!follow)
        break;
    }
    part = g_new0 (Part, 1);
    part->id = resource->id;
    part->path = g_strdup (resource->path);
    part->is_init = resource->kind == OFFLINE_STORED_PART_INIT;
    part->done = resource->done;
    part->start = resource->start * GST_USECOND;
    part->duration = resource->duration * GST_USECOND;
    part->discontinuity = resource->discontinuity;
    part->size = resource->size;
    part->key_id = resource->key_id;
    part->ts_offset = GST_CLOCK_TIME_NONE;
    g_ptr_array_add (self->parts, part);
    if (!part->done)
      continue;
    if (!check_file (part, error) || !take_key (part, resource, stored, keys, error))
      return NULL;
    has_media |= !part->is_init;
  }
  if (!has_media) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "Track %u of the entry has no stored media segment", track_index);
    return NULL;
  }
  find_timing (self);
  return g_steal_pointer (&self);
}

gboolean
gst_offline_part_reader_update (GstOfflinePartReader  *self,
                                OfflineStoredEntry    *stored,
                                GError               **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      (GDestroyNotify) g_bytes_unref);
  gboolean ok = TRUE, complete = TRUE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->parts->len; i++) {
    Part *part = g_ptr_array_index (self->parts, i);
    const OfflineStoredPart *resource;

    if (part->done)
      continue;
    resource = offline_stored_entry_find_part (stored, part->id);
    if (resource == NULL || !resource->done) {
      complete = FALSE;
      continue;
    }
    part->size = resource->size;
    if (!take_key (part, resource, stored, keys, error)) {
      ok = FALSE;
      break;
    }
    part->done = TRUE;
    if (part->is_init) {
      g_autoptr(GBytes) bytes = NULL;

      /* an init segment stored since the reader was made (an HLS
       * EXT-X-MAP that changes): its timing, as load_inits() finds it */
      g_mutex_unlock (&self->lock);
      bytes = load_part (part, NULL);
      g_mutex_lock (&self->lock);
      if (bytes != NULL)
        load_init_timing (part, bytes);
    }
  }
  if (ok)
    self->complete = complete;
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
gst_offline_part_reader_next_is_stored (GstOfflinePartReader *self)
{
  const Part *part = NULL;
  gboolean stored;

  if (self->pending_init >= 0)
    part = g_ptr_array_index (self->parts, self->pending_init);
  else if (self->next < self->parts->len)
    part = g_ptr_array_index (self->parts, self->next);
  g_mutex_lock (&self->lock);
  stored = part == NULL || part->done;
  g_mutex_unlock (&self->lock);
  return stored;
}

GstClockTime
gst_offline_part_reader_get_end (GstOfflinePartReader *self)
{
  GstClockTime end = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->parts->len; i++) {
    const Part *part = g_ptr_array_index (self->parts, i);

    if (!part->done)
      break;
    if (!part->is_init)
      end = part->start + part->duration;
  }
  g_mutex_unlock (&self->lock);
  return end;
}

gboolean
gst_offline_part_reader_is_complete (GstOfflinePartReader *self)
{
  gboolean complete;

  g_mutex_lock (&self->lock);
  complete = self->complete;
  g_mutex_unlock (&self->lock);
  return complete;
}

/* The data of @part: its file mapped (no copy) if it is clear, else its
 * decrypted bytes (in memory, one copy of the file). NULL with
 * OFFLINE_ERROR_ENTRY_DAMAGED if the file is gone or changed size, or does
 * not decrypt. */
static GBytes *
load_part (const Part  *part,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) stored = NULL;
  GBytes *clear;

  if (!part->done) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE,
                 "A part is not stored yet: %s", part->path);
    return NULL;
  }
  if (!check_file (part, error))
    return NULL;
  mapped = g_mapped_file_new (part->path, FALSE, &local_error);
  if (mapped == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "Cannot read a stored file: %s", local_error->message);
    return NULL;
  }
  if (g_mapped_file_get_length (mapped) != part->size) {
    /* changed since check_file() */
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "A stored file changed size: %s", part->path);
    return NULL;
  }
  stored = g_mapped_file_get_bytes (mapped);
  if (part->key == NULL)
    return g_steal_pointer (&stored);

  clear = gst_offline_decrypt_aes128 (g_bytes_get_data (part->key, NULL), part->iv, stored, error);
  if (clear == NULL)
    g_prefix_error (error, "Cannot decrypt the stored segment %s: ", part->path);
  return clear;
}

/* Reads every init part: its timescale for fragmented MP4 (0 if it has
 * none) and the start of its edit list (e.g. the AAC priming samples:
 * ffmpeg writes media_time 1024). With a file, qtdemux presents media
 * time media_time at time 0 and the decoder clips what comes before; in
 * upstream TIME mode it ignores the edit list and times each frame from
 * tfdt alone, media_time late. The track's segment then starts that much
 * later (like tsdemux's PTS-PCR offset, see
 * gst_offline_part_reader_get_ts_offset()), which has the same effect.
 * One with the same bytes as the init part before it (an HLS
 * EXT-X-MAP that names another copy) is dropped: the demuxer goes on with
 * the one it has, and the decoder is not started over. */
/* The timescale and edit list start of init @part (of @bytes), for
 * fragmented MP4. */
static void
load_init_timing (Part   *part,
                  GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint64 media_start;

  part->timescale = gst_offline_fmp4_get_timescale (data, size);
  if (part->timescale != 0 && gst_offline_fmp4_get_media_start (data, size, &media_start))
    part->edit_start = gst_util_uint64_scale (media_start, GST_SECOND, part->timescale);
}

static void
load_inits (GstOfflinePartReader *self)
{
  g_autoptr(GBytes) previous = NULL;

  for (guint i = 0; i < self->parts->len;) {
    Part *part = g_ptr_array_index (self->parts, i);
    g_autoptr(GBytes) bytes = NULL;

    if (!part->is_init || (bytes = load_part (part, NULL)) == NULL) {
      i++;
      continue;
    }
    if (previous != NULL && g_bytes_equal (previous, bytes)) {
      g_ptr_array_remove_index (self->parts, i);
      continue;
    }
    load_init_timing (part, bytes);
    g_clear_pointer (&previous, g_bytes_unref);
    previous = g_steal_pointer (&bytes);
    i++;
  }
}

/* For fragmented MP4: the track's timescale, and how the decode times of
 * its fragments (tfdt) map onto the stored timeline, from its first init
 * and media segments. Left unset (timescale 0) for other data, or if they
 * do not tell (the error shows when the part is read). When a later init
 * segment is read, its timescale applies (see next()). */
static void
find_timing (GstOfflinePartReader *self)
{
  const Part *init = NULL, *media = NULL;
  g_autoptr(GBytes) media_bytes = NULL;
  guint64 decode_time;
  gsize size;
  const guint8 *data;

  load_inits (self);
  for (guint i = 0; i < self->parts->len && (init == NULL || media == NULL); i++) {
    const Part *part = g_ptr_array_index (self->parts, i);

    if (part->is_init && init == NULL)
      init = part;
    else if (!part->is_init && media == NULL)
      media = part;
  }
  if (init == NULL || media == NULL ||
      (media_bytes = load_part (media, NULL)) == NULL)
    return;
  self->timescale = init->timescale;
  data = g_bytes_get_data (media_bytes, &size);
  if (self->timescale == 0 || !gst_offline_fmp4_get_decode_time (data, size, &decode_time)) {
    self->timescale = 0;
    return;
  }
  self->offset = (GstClockTimeDiff) media->start -
    (GstClockTimeDiff) gst_util_uint64_scale (decode_time, GST_SECOND, self->timescale);
}

/* @bytes of media @part (taken), with the decode time of its fragments
 * moved onto the stored timeline if it is off by more than 20 ms: a DASH
 * Period or an HLS discontinuity that starts its decode times again
 * (qtdemux times fragments from tfdt, not from the buffer timestamps). */
static GBytes *
to_stored_timeline (GstOfflinePartReader *self,
                    const Part           *part,
                    GBytes               *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint64 decode_time;
  GstClockTimeDiff on_timeline = (GstClockTimeDiff) part->start - self->offset;
  gint64 delta;
  GBytes *shifted;

  if (self->timescale == 0 || on_timeline < 0 ||
      !gst_offline_fmp4_get_decode_time (data, size, &decode_time))
    return bytes;
  delta = (gint64) gst_util_uint64_scale_round (on_timeline, self->timescale, GST_SECOND) -
    (gint64) decode_time;
  if (ABS (delta) * 50 <= (gint64) self->timescale)
    return bytes;
  shifted = gst_offline_fmp4_shift_decode_time (bytes, delta);
  if (shifted == NULL)
    return bytes;
  g_bytes_unref (bytes);
  return shifted;
}

GstCaps *
gst_offline_part_reader_get_caps (GstOfflinePartReader  *self,
                                  GError               **error)
{
  const Part *first = g_ptr_array_index (self->parts, 0);
  g_autoptr(GBytes) bytes = load_part (first, error);
  const guint8 *data, *text;
  gsize n;
  GstCaps *caps;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &n);
  n = MIN (n, SNIFF_SIZE);
  text = data;

  /* typefinding has no WebVTT rule: subparse wants this */
  if (n >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    text += 3;
  if (n - (text - data) >= 6 && memcmp (text, "WEBVTT", 6) == 0)
    return gst_caps_new_empty_simple ("application/x-subtitle-vtt");

  caps = n > 0 ? gst_type_find_helper_for_data (NULL, data, n, NULL) : NULL;
  if (caps == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "The type of the stored data is unknown: %s", first->path);
    return NULL;
  }
  return caps;
}

/* The index of the media part that contains @position (the first one if
 * it is before every part). */
static guint
find_media (GstOfflinePartReader *self,
            GstClockTime          position)
{
  guint found = G_MAXUINT;

  for (guint i = 0; i < self->parts->len; i++) {
    const Part *part = g_ptr_array_index (self->parts, i);

    if (part->is_init)
      continue;
    if (found != G_MAXUINT && part->start > position)
      break;
    found = i;
  }
  return found;
}

GstClockTime
gst_offline_part_reader_find_start (GstOfflinePartReader *self,
                                    GstClockTime          position)
{
  const Part *part = g_ptr_array_index (self->parts, find_media (self, position));

  return part->start;
}

/* The PTS (90 kHz) of the PES packet starting in TS packet @p, or -1. */
static gint64
ts_packet_pts (const guint8 *p)
{
  const guint8 *payload = p + 4;
  const guint8 *end = p + TS_PACKET;

  if (!(p[1] & 0x40) || !(p[3] & 0x10))      /* no PES start, no payload */
    return -1;
  if (p[3] & 0x20)                            /* adaptation field */
    payload += 1 + p[4];
  if (payload + 14 > end || payload[0] != 0 || payload[1] != 0 || payload[2] != 1 ||
      (payload[3] != 0xbd && (payload[3] < 0xc0 || payload[3] > 0xef)) ||
      !(payload[7] & 0x80))
    return -1;
  payload += 9;
  return ((gint64) (payload[0] & 0x0e) << 29) | (payload[1] << 22) |
    ((payload[2] & 0xfe) << 14) | (payload[3] << 7) | (payload[4] >> 1);
}

/* The PCR (27 MHz) carried by TS packet @p, or -1. */
static gint64
ts_packet_pcr (const guint8 *p)
{
  guint64 base;

  if (!(p[3] & 0x20) || p[4] < 7 || !(p[5] & 0x10))
    return -1;
  base = ((guint64) p[6] << 25) | (p[7] << 17) | (p[8] << 9) | (p[9] << 1) | (p[10] >> 7);
  return base * 300 + (((p[10] & 0x01) << 8) | p[11]);
}

/* See gst_offline_part_reader_get_ts_offset(). */
static GstClockTime
find_ts_offset (GstOfflinePartReader *self,
                Part                 *part)
{
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize length;
  gint64 pcr = -1, pts = -1;

  /* found once: a seek should not read (or decrypt) the part twice */
  if (GST_CLOCK_TIME_IS_VALID (part->ts_offset))
    return part->ts_offset;
  g_mutex_lock (&self->lock);
  bytes = load_part (part, NULL);
  g_mutex_unlock (&self->lock);
  if (bytes == NULL)
    return 0;       /* reported when the part is read */
  data = g_bytes_get_data (bytes, &length);
  length = MIN (length, TS_SCAN_SIZE);
  if (length < 2 * TS_PACKET || data[0] != 0x47 || data[TS_PACKET] != 0x47) {
    part->ts_offset = 0;        /* not MPEG-TS */
    return 0;
  }
  for (gsize i = 0; i + TS_PACKET <= length && data[i] == 0x47; i += TS_PACKET) {
    gint64 packet_pts = ts_packet_pts (data + i);

    if (pcr < 0)
      pcr = ts_packet_pcr (data + i);
    if (packet_pts >= 0 && (pts < 0 || packet_pts < pts))
      pts = packet_pts;
  }
  if (pcr < 0 || pts < 0 || pts * 300 < pcr)
    part->ts_offset = 0;
  else
    part->ts_offset = gst_util_uint64_scale (pts * 300 - pcr, GST_SECOND, 27000000);
  return part->ts_offset;
}

/* The edit list start of the init segment before media part @index. */
static GstClockTime
find_edit_start (GstOfflinePartReader *self,
                 guint                 index)
{
  for (guint i = index; i > 0; i--) {
    const Part *part = g_ptr_array_index (self->parts, i - 1);

    if (part->is_init)
      return part->edit_start;
  }
  return 0;
}

GstClockTime
gst_offline_part_reader_get_ts_offset (GstOfflinePartReader *self)
{
  return self->ts_offset;
}

GstClockTime
gst_offline_part_reader_seek (GstOfflinePartReader *self,
                              GstClockTime          position)
{
  guint index = find_media (self, position);
  Part *part = g_ptr_array_index (self->parts, index);

  self->ts_offset = self->timescale != 0 ? find_edit_start (self, index) : find_ts_offset (self, part);
  self->arrival_shift = 0;
  self->next = index;
  self->pending_init = -1;
  /* the init segment again only if it is another one: the demuxer keeps
   * the one it read across flushes (reading it again costs a caps change
   * downstream at every seek) */
  for (guint i = index; i > 0; i--) {
    if (((const Part *) g_ptr_array_index (self->parts, i - 1))->is_init) {
      if ((int) i - 1 != self->last_init)
        self->pending_init = i - 1;
      break;
    }
  }
  return part->start;
}

GstBuffer *
gst_offline_part_reader_next (GstOfflinePartReader  *self,
                              GError               **error)
{
  Part *part;
  g_autoptr(GBytes) bytes = NULL;
  GstBuffer *buffer;

  if (self->pending_init >= 0) {
    part = g_ptr_array_index (self->parts, self->pending_init);
    self->last_init = self->pending_init;
    self->pending_init = -1;
  } else if (self->next < self->parts->len) {
    part = g_ptr_array_index (self->parts, self->next++);
    if (part->is_init)
      self->last_init = self->next - 1;
  } else {
    return NULL;
  }

  g_mutex_lock (&self->lock);
  bytes = load_part (part, error);
  /* another init segment (HLS EXT-X-MAP changed): its timescale from now
   * on, if the first told how fragments map onto the stored timeline */
  if (bytes != NULL && part->is_init && self->timescale != 0)
    self->timescale = part->timescale;
  g_mutex_unlock (&self->lock);
  if (bytes == NULL)
    return NULL;
  if (!part->is_init)
    bytes = to_stored_timeline (self, part, bytes);
  /* read-only memory that keeps @bytes (and so the mapping) alive */
  buffer = g_bytes_get_size (bytes) == 0 ? gst_buffer_new () : gst_buffer_new_wrapped_bytes (bytes);
  if (!part->is_init) {
    GST_BUFFER_PTS (buffer) = part->start;
    GST_BUFFER_DURATION (buffer) = part->duration;
    if (part->discontinuity) {
      GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
      /* MPEG-TS: at a DISCONT buffer tsdemux starts its timestamps over
       * from the buffer's DTS (else PTS) plus this part's own PTS-PCR
       * offset, while the track's segment allows for the offset of the
       * part the last seek positioned on. Another encode (an ad splice)
       * may have another offset: its parts then arrive that much earlier
       * or later, as DTS, so that their frames land on the stored
       * timeline (the PTS stays the stored start, for the track source) */
      self->arrival_shift = (GstClockTimeDiff) self->ts_offset -
        (GstClockTimeDiff) find_ts_offset (self, part);
    }
    if (self->arrival_shift != 0 && (GstClockTimeDiff) part->start + self->arrival_shift >= 0)
      GST_BUFFER_DTS (buffer) = part->start + self->arrival_shift;
  }
  return buffer;
}
