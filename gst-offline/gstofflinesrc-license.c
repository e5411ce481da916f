/* gstofflinesrc-license.c: what offlinesrc does for a protected entry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A stored entry with a Clear Key licence (offline_entry_get_is_protected())
 * plays only while its licence holds: an expired one fails the start with
 * OFFLINE_ERROR_LICENSE_EXPIRED, before anything streams. Its keys go to
 * the decryptor (offlinecencdec, docs/decryption.md) as the answer to its
 * CONTEXT query for "offlinemgr.keys", never to the bus. And since qtdemux
 * picks a protection system only from a pssh box or a protection event,
 * every track starts with a protection event of the W3C common Clear Key
 * system (data: a pssh box listing the key IDs), so that content whose
 * init segments carry no pssh is decrypted too.
 */
#include "gstofflinesrc-private.h"

#include "gstofflinecencdecrypt.h"
#include "offline-error.h"

#define KEY_SIZE 16

gboolean
gst_offline_src_check_license (OfflineEntry  *entry,
                               GError       **error)
{
  gint64 expiration = offline_entry_get_license_expiration (entry);
  g_autoptr(GDateTime) expired = NULL;
  g_autofree char *when = NULL;

  if (!offline_entry_get_is_protected (entry) || expiration == 0 ||
      expiration > g_get_real_time () / G_USEC_PER_SEC)
    return TRUE;
  expired = g_date_time_new_from_unix_utc (expiration);
  when = expired != NULL ? g_date_time_format_iso8601 (expired) : g_strdup ("long ago");
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_LICENSE_EXPIRED,
               "The licence of entry %s expired on %s: renew it "
               "(offline_manager_renew_license_async(), offlinemgr renew-license)",
               offline_entry_get_id (entry), when);
  return FALSE;
}

GstContext *
gst_offline_src_keys_context_new (GHashTable *keys)
{
  GstContext *context = gst_context_new (GST_OFFLINE_KEYS_CONTEXT_TYPE, FALSE);
  GstStructure *structure = gst_context_writable_structure (context);
  GHashTableIter iter;
  gpointer kid, key;

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &kid, &key)) {
    g_autoptr(GstBuffer) buffer = gst_buffer_new_wrapped_bytes (key);

    gst_structure_set (structure, kid, GST_TYPE_BUFFER, buffer, NULL);
  }
  return context;
}

gboolean
gst_offline_src_keys_answer (GstQuery   *query,
                             GstContext *context)
{
  const char *type = NULL;

  if (context == NULL || GST_QUERY_TYPE (query) != GST_QUERY_CONTEXT ||
      !gst_query_parse_context_type (query, &type) || g_strcmp0 (type, GST_OFFLINE_KEYS_CONTEXT_TYPE) != 0)
    return FALSE;
  gst_query_set_context (query, context);
  return TRUE;
}

static void
put_uint32 (GByteArray *bytes,
            guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);

  g_byte_array_append (bytes, (const guint8 *) &be, sizeof be);
}

GstEvent *
gst_offline_src_protection_event_new (GHashTable *keys)
{
  static const guint8 system_id[KEY_SIZE] = {
    0x10, 0x77, 0xef, 0xec, 0xc0, 0xb2, 0x4d, 0x02,
    0xac, 0xe3, 0x3c, 0x1e, 0x52, 0xe2, 0xfb, 0x4b,
  };
  g_autoptr(GByteArray) pssh = g_byte_array_new ();
  g_autoptr(GstBuffer) data = NULL;
  GHashTableIter iter;
  gpointer kid;

  /* a version 1 pssh box (ISO/IEC 23001-7 8.1): its key IDs, no data */
  put_uint32 (pssh, 0);                         /* size, set below */
  g_byte_array_append (pssh, (const guint8 *) "pssh", 4);
  put_uint32 (pssh, 0x01000000);                /* version 1, no flags */
  g_byte_array_append (pssh, system_id, sizeof system_id);
  put_uint32 (pssh, g_hash_table_size (keys));
  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &kid, NULL)) {
    guint8 bytes[KEY_SIZE];

    for (guint i = 0; i < KEY_SIZE; i++)
      bytes[i] = (g_ascii_xdigit_value (((const char *) kid)[2 * i]) << 4) |
                 g_ascii_xdigit_value (((const char *) kid)[2 * i + 1]);
    g_byte_array_append (pssh, bytes, sizeof bytes);
  }
  put_uint32 (pssh, 0);                         /* data size */
  *(guint32 *) pssh->data = GUINT32_TO_BE (pssh->len);
  data = gst_buffer_new_memdup (pssh->data, pssh->len);
  return gst_event_new_protection (GST_OFFLINE_COMMON_SYSTEM_ID, data, "offlinemgr/stored");
}
