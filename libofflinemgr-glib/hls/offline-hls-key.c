/* offline-hls-key.c: the EXT-X-KEY in force while reading a media playlist
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-hls-private.h"
#include "offline-protection-private.h"

/* RFC 8216, section 4.3.2.4. An EXT-X-KEY applies to every following media
 * segment (and EXT-X-MAP) until the next EXT-X-KEY. AES-128 segments are
 * whole-file AES-128-CBC encrypted with the key at URI; their IV is the
 * explicit IV attribute or else the media sequence number of the segment as
 * a 128-bit big-endian integer. The other methods (SAMPLE-AES, SAMPLE-AES-CTR
 * with a DRM KEYFORMAT) are decrypted by the player's DRM system. */

/* For the DRM methods the URI names the key to the DRM system (skd://,
 * data:…) rather than something to fetch: it is kept as written when it has
 * a scheme of its own. */
static gboolean
get_key_uri (OfflineHlsAttributes  *attributes,
             const char            *base,
             gboolean               fetched,
             char                 **out,
             GError               **error)
{
  const char *value = offline_hls_attributes_require (attributes, "URI", error);
  g_autofree char *scheme = NULL;

  if (value == NULL)
    return FALSE;
  /* not g_uri_peek_scheme(): it interns the scheme, and GLib's table of
   * interned strings only grows (each playlist naming new schemes would
   * grow it for the life of the process) */
  scheme = g_uri_parse_scheme (value);
  if (!fetched && scheme != NULL && g_ascii_strcasecmp (scheme, "http") != 0 &&
      g_ascii_strcasecmp (scheme, "https") != 0) {
    *out = g_strdup (value);
    return TRUE;
  }
  return offline_hls_attributes_get_uri (attributes, "URI", base, out, error);
}

gboolean
offline_hls_key_update (OfflineHlsKey         *key,
                        OfflineHlsAttributes  *attributes,
                        const char            *base,
                        GError               **error)
{
  g_autoptr(OfflineProtection) protection = NULL;
  g_autofree char *key_uri = NULL;
  const char *method;
  gboolean is_aes_128, has_iv = FALSE;
  guint8 iv[16];

  method = offline_hls_attributes_require (attributes, "METHOD", error);
  if (method == NULL)
    return FALSE;
  if (strcmp (method, "NONE") == 0) {
    offline_hls_key_clear (key);
    return TRUE;
  }

  is_aes_128 = strcmp (method, "AES-128") == 0;
  if (!get_key_uri (attributes, base, is_aes_128, &key_uri, error) ||
      !offline_hls_attributes_get_iv (attributes, "IV", iv, &has_iv, error))
    return FALSE;

  protection = offline_protection_new ();
  protection->method = g_strdup (method);
  protection->key_uri = g_steal_pointer (&key_uri);
  protection->key_format = g_strdup (offline_hls_attributes_get (attributes, "KEYFORMAT"));
  if (has_iv)
    protection->iv = g_bytes_new (iv, sizeof iv);

  offline_hls_key_clear (key);
  key->protection = g_steal_pointer (&protection);
  key->is_aes_128 = is_aes_128;
  key->iv_from_sequence = is_aes_128 && !has_iv;
  return TRUE;
}

OfflineProtection *
offline_hls_key_for_segment (const OfflineHlsKey *key,
                             guint64              number)
{
  guint8 iv[16] = { 0 };

  if (key->protection == NULL)
    return NULL;
  if (!key->iv_from_sequence)
    return g_object_ref (key->protection);

  for (guint i = 0; i < 8; i++)
    iv[15 - i] = (guint8) (number >> (8 * i));
  return offline_protection_copy_with_iv (key->protection, iv);
}

void
offline_hls_key_collect (const OfflineHlsKey *key,
                         GHashTable          *seen,
                         GPtrArray           *protections)
{
  OfflineProtection *protection = key->protection;
  char *identity;

  if (protection == NULL || key->is_aes_128)
    return;

  identity = g_strjoin ("\n", protection->method, protection->key_uri,
                        protection->key_format ? protection->key_format : "", NULL);
  if (g_hash_table_add (seen, identity))
    g_ptr_array_add (protections, g_object_ref (protection));
}

void
offline_hls_key_clear (OfflineHlsKey *key)
{
  g_clear_object (&key->protection);
  key->iv_from_sequence = FALSE;
  key->is_aes_128 = FALSE;
}
