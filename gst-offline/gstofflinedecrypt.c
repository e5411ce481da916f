/* gstofflinedecrypt.c: HLS AES-128 segment decryption
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * With nettle's AES and CBC mode. The IV and key come from the store
 * (see gstofflinepartreader.c): the downloader keeps the key file as it
 * was served and the IV the playlist gave or the media sequence number
 * implies.
 */
#include "gstofflinedecrypt.h"

#include <string.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>

#include "offline-error.h"

G_STATIC_ASSERT (GST_OFFLINE_AES128_SIZE == AES128_KEY_SIZE);
G_STATIC_ASSERT (GST_OFFLINE_AES128_SIZE == AES_BLOCK_SIZE);

/* The length of the PKCS#7 padding that ends @clear (@length > 0, a
 * multiple of the block size), or 0 if it is not valid. */
static gsize
padding_length (const guint8 *clear,
                gsize         length)
{
  guint8 pad = clear[length - 1];

  if (pad == 0 || pad > AES_BLOCK_SIZE)
    return 0;
  for (gsize i = length - pad; i < length - 1; i++) {
    if (clear[i] != pad)
      return 0;
  }
  return pad;
}

GBytes *
gst_offline_decrypt_aes128 (const guint8  key[GST_OFFLINE_AES128_SIZE],
                            const guint8  iv[GST_OFFLINE_AES128_SIZE],
                            GBytes       *data,
                            GError      **error)
{
  struct aes128_ctx ctx;
  guint8 chain[AES_BLOCK_SIZE];   /* cbc_decrypt() updates the IV it is given */
  g_autofree guint8 *clear = NULL;
  gsize length, pad;
  const guint8 *encrypted = g_bytes_get_data (data, &length);

  if (length == 0 || length % AES_BLOCK_SIZE != 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "The AES-128 encrypted data has %" G_GSIZE_FORMAT " bytes, "
                 "not a positive multiple of %d", length, AES_BLOCK_SIZE);
    return NULL;
  }

  clear = g_malloc (length);
  memcpy (chain, iv, sizeof chain);
  aes128_set_decrypt_key (&ctx, key);
  cbc_decrypt (&ctx, (nettle_cipher_func *) aes128_decrypt, AES_BLOCK_SIZE,
               chain, length, clear, encrypted);

  pad = padding_length (clear, length);
  if (pad == 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "The AES-128 decrypted data has an invalid PKCS#7 padding "
                 "(the data is damaged, or the key or IV is wrong)");
    return NULL;
  }
  return g_bytes_new_take (g_steal_pointer (&clear), length - pad);
}
