/* gstofflinedecrypt.h: HLS AES-128 segment decryption
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The size of an AES-128 key, IV and block. */
#define GST_OFFLINE_AES128_SIZE 16

/* The clear bytes of @data, a whole file encrypted as HLS METHOD=AES-128
 * does it (RFC 8216, 4.3.2.4): AES-128-CBC with @key and @iv, PKCS#7
 * padding. Returns new memory (one copy of the file). NULL with
 * OFFLINE_ERROR_ENTRY_DAMAGED if @data's length is not a positive multiple
 * of 16 or its padding is invalid (damaged data, or a wrong key or IV).
 * Thread-safe: it has no state. */
GBytes *gst_offline_decrypt_aes128 (const guint8  key[GST_OFFLINE_AES128_SIZE],
                                    const guint8  iv[GST_OFFLINE_AES128_SIZE],
                                    GBytes       *data,
                                    GError      **error);

G_END_DECLS
