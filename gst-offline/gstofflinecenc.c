/* gstofflinecenc.c: MPEG Common Encryption sample decryption (cenc, cbcs)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ISO/IEC 23001-7 with nettle's AES. The cenc keystream is made here
 * (not with nettle's ctr_crypt()) because it goes on across subsamples
 * whose encrypted parts are not whole blocks: a block's unused keystream
 * bytes are the next subsample's first ones.
 */
#include "gstofflinecenc.h"

#include <string.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>

#include "offline-error.h"

G_STATIC_ASSERT (GST_OFFLINE_CENC_KEY_SIZE == AES128_KEY_SIZE);
G_STATIC_ASSERT (GST_OFFLINE_CENC_KEY_SIZE == AES_BLOCK_SIZE);

GstOfflineCencSubsample *
gst_offline_cenc_parse_subsamples (const guint8  *data,
                                   gsize          size,
                                   guint          n_subsamples,
                                   GError       **error)
{
  g_autofree GstOfflineCencSubsample *subsamples = NULL;

  if (n_subsamples == 0 || size / 6 != n_subsamples || size % 6 != 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "The subsample map has %" G_GSIZE_FORMAT " bytes, not 6 for "
                 "each of its %u subsamples", size, n_subsamples);
    return NULL;
  }
  subsamples = g_new (GstOfflineCencSubsample, n_subsamples);
  for (guint i = 0; i < n_subsamples; i++, data += 6) {
    subsamples[i].clear = (guint16) (data[0] << 8 | data[1]);
    subsamples[i].encrypted = (guint32) data[2] << 24 | (guint32) data[3] << 16 |
                              (guint32) data[4] << 8 | data[5];
  }
  return g_steal_pointer (&subsamples);
}

/* The running AES-128-CTR keystream of one sample. */
typedef struct {
  struct aes128_ctx aes;
  guint8 counter[AES_BLOCK_SIZE];
  guint8 block[AES_BLOCK_SIZE];   /* the keystream of counter - 1 */
  gsize used;                     /* bytes of @block already used */
} CtrStream;

static void
ctr_init (CtrStream    *stream,
          const guint8 *key,
          const guint8 *iv,
          gsize         iv_size)
{
  aes128_set_encrypt_key (&stream->aes, key);
  memset (stream->counter, 0, sizeof stream->counter);
  memcpy (stream->counter, iv, iv_size);
  stream->used = AES_BLOCK_SIZE;
}

static void
ctr_xor (CtrStream *stream,
         guint8    *data,
         gsize      length)
{
  for (gsize i = 0; i < length; i++) {
    if (stream->used == AES_BLOCK_SIZE) {
      aes128_encrypt (&stream->aes, AES_BLOCK_SIZE, stream->block, stream->counter);
      /* a 128-bit big-endian increment */
      for (int b = AES_BLOCK_SIZE - 1; b >= 0 && ++stream->counter[b] == 0; b--)
        ;
      stream->used = 0;
    }
    data[i] ^= stream->block[stream->used++];
  }
}

/* cbcs: the pattern over one protected range, the CBC chain going on
 * from one crypt run to the next (over the skipped blocks). */
static void
cbcs_decrypt_range (const struct aes128_ctx    *aes,
                    const GstOfflineCencSample *sample,
                    guint8                     *data,
                    gsize                       length)
{
  guint8 chain[AES_BLOCK_SIZE] = { 0 };
  gsize crypt = (gsize) sample->crypt_byte_block * AES_BLOCK_SIZE;
  gsize skip = (gsize) sample->skip_byte_block * AES_BLOCK_SIZE;
  gsize pos = 0;

  memcpy (chain, sample->iv, sample->iv_size);
  if (crypt == 0 || skip == 0) {
    /* no pattern: every whole block */
    crypt = length - length % AES_BLOCK_SIZE;
    skip = 0;
  }
  while (length - pos >= AES_BLOCK_SIZE) {
    gsize run = MIN (crypt, length - pos);

    run -= run % AES_BLOCK_SIZE;
    cbc_decrypt ((void *) aes, (nettle_cipher_func *) aes128_decrypt, AES_BLOCK_SIZE,
                 chain, run, data + pos, data + pos);
    pos += run;
    if (run < crypt)
      break;                  /* the rest is less than a block: clear */
    pos += MIN (skip, length - pos);
  }
}

static gboolean
check_layout (const GstOfflineCencSample  *sample,
              gsize                        size,
              GError                     **error)
{
  guint64 total = 0;

  if (sample->iv_size != 8 && sample->iv_size != 16) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "The sample's IV has %" G_GSIZE_FORMAT " bytes, not 8 or 16",
                 sample->iv_size);
    return FALSE;
  }
  if (sample->n_subsamples == 0)
    return TRUE;
  for (guint i = 0; i < sample->n_subsamples; i++)
    total += (guint64) sample->subsamples[i].clear + sample->subsamples[i].encrypted;
  if (total != size) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                 "The %u subsamples cover %" G_GUINT64_FORMAT " bytes of a "
                 "%" G_GSIZE_FORMAT "-byte sample", sample->n_subsamples, total, size);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_offline_cenc_decrypt_sample (const guint8                key[GST_OFFLINE_CENC_KEY_SIZE],
                                 const GstOfflineCencSample *sample,
                                 guint8                     *data,
                                 gsize                       size,
                                 GError                    **error)
{
  GstOfflineCencSubsample whole = { 0, (guint32) size };
  const GstOfflineCencSubsample *subsamples = sample->subsamples;
  guint n_subsamples = sample->n_subsamples;

  if (!check_layout (sample, size, error))
    return FALSE;
  if (n_subsamples == 0) {
    if (size > G_MAXUINT32) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED,
                   "The sample has %" G_GSIZE_FORMAT " bytes", size);
      return FALSE;
    }
    subsamples = &whole;
    n_subsamples = 1;
  }

  if (sample->scheme == GST_OFFLINE_CENC_SCHEME_CENC) {
    CtrStream stream;

    ctr_init (&stream, key, sample->iv, sample->iv_size);
    for (guint i = 0; i < n_subsamples; i++) {
      data += subsamples[i].clear;
      ctr_xor (&stream, data, subsamples[i].encrypted);
      data += subsamples[i].encrypted;
    }
  } else {
    struct aes128_ctx aes;

    aes128_set_decrypt_key (&aes, key);
    for (guint i = 0; i < n_subsamples; i++) {
      data += subsamples[i].clear;
      cbcs_decrypt_range (&aes, sample, data, subsamples[i].encrypted);
      data += subsamples[i].encrypted;
    }
  }
  return TRUE;
}
