/* gstofflinecencdecrypt.h: offlinecencdec, decrypts MPEG Common
 * Encryption (Clear Key) with keys from a GstContext
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

/* The GstContext type that carries the keys (see the element's
 * documentation and docs/decryption.md). */
#define GST_OFFLINE_KEYS_CONTEXT_TYPE "offlinemgr.keys"

/* The Clear Key protection system ids the element decrypts for. */
#define GST_OFFLINE_CLEARKEY_SYSTEM_ID "e2719d58-a985-b3c9-781a-b030af78d30e"
#define GST_OFFLINE_COMMON_SYSTEM_ID "1077efec-c0b2-4d02-ace3-3c1e52e2fb4b"

#define GST_TYPE_OFFLINE_CENC_DECRYPT (gst_offline_cenc_decrypt_get_type ())
G_DECLARE_FINAL_TYPE (GstOfflineCencDecrypt, gst_offline_cenc_decrypt,
                      GST, OFFLINE_CENC_DECRYPT, GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (offlinecencdec);

G_END_DECLS
