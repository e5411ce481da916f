/* gstofflinecenc.h: MPEG Common Encryption sample decryption (cenc, cbcs)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The size of a CENC key, key ID and AES block. */
#define GST_OFFLINE_CENC_KEY_SIZE 16

/* The protection schemes of ISO/IEC 23001-7 that are supported. */
typedef enum {
  GST_OFFLINE_CENC_SCHEME_CENC,   /* AES-128-CTR, no pattern */
  GST_OFFLINE_CENC_SCHEME_CBCS,   /* AES-128-CBC, crypt:skip pattern, IV per subsample */
} GstOfflineCencScheme;

/* One subsample: @clear bytes then @encrypted bytes. */
typedef struct {
  guint16 clear;
  guint32 encrypted;
} GstOfflineCencSubsample;

/* How one sample is encrypted, as its protection meta says. @iv_size is
 * 8 or 16 (an 8-byte IV is the high half of the counter block, the low
 * half starts at 0). @subsamples NULL and @n_subsamples 0: the whole
 * sample is encrypted. @crypt_byte_block and @skip_byte_block are the
 * cbcs pattern in 16-byte blocks (0 and 0: every whole block). */
typedef struct {
  GstOfflineCencScheme scheme;
  guint8 iv[GST_OFFLINE_CENC_KEY_SIZE];
  gsize iv_size;
  guint crypt_byte_block;
  guint skip_byte_block;
  const GstOfflineCencSubsample *subsamples;
  guint n_subsamples;
} GstOfflineCencSample;

/* Reads @n_subsamples (clear u16, encrypted u32, big-endian) pairs from
 * @data (@size bytes). NULL with OFFLINE_ERROR_ENTRY_DAMAGED if @size is
 * not 6 × @n_subsamples. */
GstOfflineCencSubsample *gst_offline_cenc_parse_subsamples (const guint8  *data,
                                                            gsize          size,
                                                            guint          n_subsamples,
                                                            GError       **error);

/* Decrypts @data (@size bytes, one sample) in place with @key:
 * - cenc: AES-128-CTR over the encrypted bytes of all subsamples as one
 *   keystream (the counter goes on from one subsample to the next, also
 *   inside a block), or over the whole sample without subsamples;
 * - cbcs: AES-128-CBC over each subsample's encrypted bytes (the whole
 *   sample without subsamples) with the crypt:skip pattern, the IV reset
 *   to @sample's IV at each subsample; a last partial block (and a crypt
 *   run cut short to less than its blocks) stays clear.
 * FALSE with OFFLINE_ERROR_ENTRY_DAMAGED if the subsamples do not add up
 * to @size, or the IV size is not 8 or 16; @data is then unchanged.
 * Thread-safe: it has no state. */
gboolean gst_offline_cenc_decrypt_sample (const guint8                key[GST_OFFLINE_CENC_KEY_SIZE],
                                          const GstOfflineCencSample *sample,
                                          guint8                     *data,
                                          gsize                       size,
                                          GError                    **error);

G_END_DECLS
