/* test-cencdec.c: the offlinecencdec element on crafted buffers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GstHarness tests of the decryptor (gst-offline/gstofflinecencdecrypt.c,
 * loaded from the uninstalled plugin): buffers carrying a
 * GstProtectionMeta as qtdemux 1.22 sets it, keys in an offlinemgr.keys
 * context, the output compared with the plaintext. The ciphertexts are
 * the NIST SP 800-38A vectors (F.5.1 CTR-AES128, F.2.1 CBC-AES128) laid
 * out in subsamples and patterns, or made here with nettle's ctr_crypt()
 * over the gathered encrypted ranges (one keystream, as ISO/IEC 23001-7
 * says), independently of the element's own keystream code.
 */
#include "config.h"

#include <string.h>

#include <gst/gst.h>
#include <gst/check/gstharness.h>
#include <nettle/aes.h>
#include <nettle/ctr.h>

#include "gstofflinecencdecrypt.h"

#define KID "0123456789abcdef0123456789abcdef"
#define OTHER_KID "fedcba9876543210fedcba9876543210"

/* NIST SP 800-38A */
static const guint8 nist_key[16] = {
  0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const guint8 nist_plain[64] = {
  0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
  0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
  0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11, 0xe5, 0xfb, 0xc1, 0x19, 0x1a, 0x0a, 0x52, 0xef,
  0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b, 0x17, 0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10,
};
/* F.5.1: initial counter block and ciphertext */
static const guint8 nist_ctr_iv[16] = {
  0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};
static const guint8 nist_ctr_cipher[64] = {
  0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26, 0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce,
  0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70, 0xfd, 0xff, 0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff,
  0x5a, 0xe4, 0xdf, 0x3e, 0xdb, 0xd5, 0xd3, 0x5e, 0x5b, 0x4f, 0x09, 0x02, 0x0d, 0xb0, 0x3e, 0xab,
  0x1e, 0x03, 0x1d, 0xda, 0x2f, 0xbe, 0x03, 0xd1, 0x79, 0x21, 0x70, 0xa0, 0xf3, 0x00, 0x9c, 0xee,
};
/* F.2.1: IV and ciphertext */
static const guint8 nist_cbc_iv[16] = {
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
static const guint8 nist_cbc_cipher[64] = {
  0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46, 0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d,
  0x50, 0x86, 0xcb, 0x9b, 0x50, 0x72, 0x19, 0xee, 0x95, 0xdb, 0x11, 0x3a, 0x91, 0x76, 0x78, 0xb2,
  0x73, 0xbe, 0xd6, 0xb8, 0xe3, 0xc1, 0x74, 0x3b, 0x71, 0x16, 0xe6, 0x9e, 0x22, 0x22, 0x95, 0x16,
  0x3f, 0xf1, 0xca, 0xa1, 0x68, 0x1f, 0xac, 0x09, 0x12, 0x0e, 0xca, 0x30, 0x75, 0x86, 0xe1, 0xa7,
};

#define CENC_CAPS "application/x-cenc, original-media-type=(string)video/x-h264, " \
  "protection-system=(string)" GST_OFFLINE_CLEARKEY_SYSTEM_ID ", cipher-mode=(string)cenc, " \
  "stream-format=(string)avc, alignment=(string)au, width=(int)160, height=(int)120"

typedef struct {
  guint16 clear;
  guint32 encrypted;
} Subsample;

/* How a crafted sample is protected, the fields qtdemux sets. */
typedef struct {
  const char *mode;               /* cipher-mode, NULL: no field */
  gboolean clear;                 /* encrypted = FALSE */
  const guint8 *iv;
  gsize iv_size;
  gboolean constant_iv;           /* iv_size 0, constant_iv_size, "iv" */
  const Subsample *subsamples;
  guint n_subsamples;
  guint crypt, skip;
} Protection;

static void
hex_decode (const char *hex,
            guint8     *out)
{
  for (gsize i = 0; hex[2 * i] != '\0'; i++)
    out[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
}

static GstBuffer *
buffer_of (const guint8 *data,
           gsize         size)
{
  return gst_buffer_new_memdup (data, size);
}

/* @data with a GstProtectionMeta for @kid (hex) as @p says. */
static GstBuffer *
protected_buffer (const guint8     *data,
                  gsize             size,
                  const char       *kid,
                  const Protection *p)
{
  GstBuffer *buffer = buffer_of (data, size);
  GstStructure *info = gst_structure_new_empty ("application/x-cenc");
  guint8 kid_bytes[16];
  GstBuffer *b;

  hex_decode (kid, kid_bytes);
  b = buffer_of (kid_bytes, 16);
  gst_structure_set (info, "encrypted", G_TYPE_BOOLEAN, !p->clear, "kid", GST_TYPE_BUFFER, b, NULL);
  gst_buffer_unref (b);
  if (p->mode != NULL)
    gst_structure_set (info, "cipher-mode", G_TYPE_STRING, p->mode, NULL);
  if (p->iv != NULL) {
    b = buffer_of (p->iv, p->iv_size);
    if (p->constant_iv)
      gst_structure_set (info, "iv_size", G_TYPE_UINT, 0,
                         "constant_iv_size", G_TYPE_UCHAR, (guchar) p->iv_size,
                         "iv", GST_TYPE_BUFFER, b, NULL);
    else
      gst_structure_set (info, "iv_size", G_TYPE_UINT, (guint) p->iv_size,
                         "iv", GST_TYPE_BUFFER, b, NULL);
    gst_buffer_unref (b);
  }
  if (p->mode != NULL && g_str_equal (p->mode, "cbcs"))
    gst_structure_set (info, "crypt_byte_block", G_TYPE_UINT, p->crypt,
                       "skip_byte_block", G_TYPE_UINT, p->skip, NULL);
  gst_structure_set (info, "subsample_count", G_TYPE_UINT, p->n_subsamples, NULL);
  if (p->n_subsamples > 0) {
    guint8 *map = g_malloc (6 * p->n_subsamples);

    for (guint i = 0; i < p->n_subsamples; i++) {
      /* through memcpy: GST_WRITE_UINT32_BE() stores a whole guint32 at this
       * unaligned address on x86, which is undefined behaviour (UBSan) */
      guint16 clear = GUINT16_TO_BE (p->subsamples[i].clear);
      guint32 encrypted = GUINT32_TO_BE (p->subsamples[i].encrypted);

      memcpy (map + 6 * i, &clear, sizeof clear);
      memcpy (map + 6 * i + 2, &encrypted, sizeof encrypted);
    }
    b = gst_buffer_new_wrapped (map, 6 * p->n_subsamples);
    gst_structure_set (info, "subsamples", GST_TYPE_BUFFER, b, NULL);
    gst_buffer_unref (b);
  }
  gst_buffer_add_protection_meta (buffer, info);
  return buffer;
}

/* A keys context: @kid (hex) → @key, as a GstBuffer. */
static GstContext *
keys_context (const char   *kid,
              const guint8 *key)
{
  GstContext *context = gst_context_new (GST_OFFLINE_KEYS_CONTEXT_TYPE, FALSE);
  GstBuffer *b = buffer_of (key, 16);

  gst_structure_set (gst_context_writable_structure (context), kid, GST_TYPE_BUFFER, b, NULL);
  gst_buffer_unref (b);
  return context;
}

/* A harness of offlinecencdec with the caps qtdemux gives H.264 and, if
 * @key, the keys context with @key for KID. */
static GstHarness *
decryptor (const guint8 *key)
{
  GstHarness *h = gst_harness_new ("offlinecencdec");

  g_assert_nonnull (h);
  if (key != NULL) {
    GstContext *context = keys_context (KID, key);

    gst_element_set_context (h->element, context);
    gst_context_unref (context);
  }
  gst_harness_set_src_caps_str (h, CENC_CAPS);
  return h;
}

/* Pushes @buffer, asserts the output is @expected and carries no
 * protection meta. */
static void
assert_decrypts (GstHarness   *h,
                 GstBuffer    *buffer,
                 const guint8 *expected,
                 gsize         size)
{
  GstBuffer *out;
  GstMapInfo map;

  g_assert_cmpint (gst_harness_push (h, buffer), ==, GST_FLOW_OK);
  out = gst_harness_pull (h);
  g_assert_nonnull (out);
  g_assert_null (gst_buffer_get_protection_meta (out));
  g_assert_true (gst_buffer_map (out, &map, GST_MAP_READ));
  g_assert_cmpmem (map.data, map.size, expected, size);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
}

/* The plaintext of @size bytes the tests encrypt themselves. */
static guint8 *
plaintext (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + 3);
  return data;
}

/* cenc as ISO/IEC 23001-7 defines it: the encrypted ranges of all
 * subsamples, gathered, are one AES-CTR stream (nettle's ctr_crypt()). */
static void
cenc_encrypt (const guint8    *key,
              const guint8    *iv,
              gsize            iv_size,
              guint8          *data,
              const Subsample *subsamples,
              guint            n)
{
  struct aes128_ctx aes;
  guint8 counter[16] = { 0 };
  g_autoptr (GByteArray) gathered = g_byte_array_new ();
  gsize pos = 0, at = 0;

  for (guint i = 0; i < n; i++) {
    pos += subsamples[i].clear;
    g_byte_array_append (gathered, data + pos, subsamples[i].encrypted);
    pos += subsamples[i].encrypted;
  }
  memcpy (counter, iv, iv_size);
  aes128_set_encrypt_key (&aes, key);
  ctr_crypt (&aes, (nettle_cipher_func *) aes128_encrypt, 16, counter,
             gathered->len, gathered->data, gathered->data);
  pos = 0;
  for (guint i = 0; i < n; i++) {
    pos += subsamples[i].clear;
    memcpy (data + pos, gathered->data + at, subsamples[i].encrypted);
    pos += subsamples[i].encrypted;
    at += subsamples[i].encrypted;
  }
}

/* --- cenc --------------------------------------------------------------- */

/* The NIST CTR vector as one whole encrypted sample, 16-byte IV. */
static void
test_cenc_full_sample (void)
{
  GstHarness *h = decryptor (nist_key);
  Protection p = { .mode = "cenc", .iv = nist_ctr_iv, .iv_size = 16 };

  assert_decrypts (h, protected_buffer (nist_ctr_cipher, 64, KID, &p), nist_plain, 64);
  /* no cipher-mode field (older qtdemux): cenc */
  p.mode = NULL;
  assert_decrypts (h, protected_buffer (nist_ctr_cipher, 64, KID, &p), nist_plain, 64);
  gst_harness_teardown (h);
}

/* The NIST CTR ciphertext cut into encrypted ranges of 10, 30 and 24
 * bytes (not whole blocks) with clear bytes around them: the counter
 * goes on from one subsample to the next, inside a block. */
static void
test_cenc_subsamples_vector (void)
{
  static const Subsample subsamples[] = { { 5, 10 }, { 3, 30 }, { 0, 24 }, { 7, 0 } };
  guint8 sample[5 + 10 + 3 + 30 + 24 + 7], expected[sizeof sample];
  GstHarness *h = decryptor (nist_key);
  Protection p = { .mode = "cenc", .iv = nist_ctr_iv, .iv_size = 16,
                   .subsamples = subsamples, .n_subsamples = G_N_ELEMENTS (subsamples) };
  gsize pos = 0, at = 0;

  for (guint i = 0; i < G_N_ELEMENTS (subsamples); i++) {
    for (guint c = 0; c < subsamples[i].clear; c++, pos++)
      sample[pos] = expected[pos] = (guint8) (0xc0 + c);
    memcpy (sample + pos, nist_ctr_cipher + at, subsamples[i].encrypted);
    memcpy (expected + pos, nist_plain + at, subsamples[i].encrypted);
    pos += subsamples[i].encrypted;
    at += subsamples[i].encrypted;
  }
  g_assert_cmpuint (at, ==, 64);
  assert_decrypts (h, protected_buffer (sample, sizeof sample, KID, &p), expected, sizeof sample);
  gst_harness_teardown (h);
}

/* Many subsamples (as H.264 NAL units are), an 8-byte IV (the counter's
 * low half starts at 0), encrypted here with nettle. */
static void
test_cenc_subsamples_iv8 (void)
{
  static const Subsample subsamples[] = {
    { 4, 1 }, { 5, 33 }, { 100, 16 }, { 1, 300 }, { 0, 15 }, { 17, 1000 }, { 9, 0 },
  };
  static const guint8 iv[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
  guint8 key[16];
  gsize size = 0;
  g_autofree guint8 *clear = NULL, *sample = NULL;
  GstHarness *h;
  Protection p = { .mode = "cenc", .iv = iv, .iv_size = 8,
                   .subsamples = subsamples, .n_subsamples = G_N_ELEMENTS (subsamples) };

  hex_decode ("00112233445566778899aabbccddeeff", key);
  h = decryptor (key);
  for (guint i = 0; i < G_N_ELEMENTS (subsamples); i++)
    size += subsamples[i].clear + subsamples[i].encrypted;
  clear = plaintext (size);
  sample = g_memdup2 (clear, size);
  cenc_encrypt (key, iv, 8, sample, subsamples, G_N_ELEMENTS (subsamples));
  g_assert_true (memcmp (sample, clear, size) != 0);
  assert_decrypts (h, protected_buffer (sample, size, KID, &p), clear, size);

  /* and the same as a whole encrypted sample */
  {
    Subsample whole = { 0, (guint32) size };
    Protection full = { .mode = "cenc", .iv = iv, .iv_size = 8 };

    memcpy (sample, clear, size);
    cenc_encrypt (key, iv, 8, sample, &whole, 1);
    assert_decrypts (h, protected_buffer (sample, size, KID, &full), clear, size);
  }
  gst_harness_teardown (h);
}

/* --- cbcs --------------------------------------------------------------- */

/* The 1:9 pattern with a constant IV: in each subsample one encrypted
 * block, nine clear ones, one encrypted block (chained to the first, so
 * the NIST CBC ciphertext's first two blocks), then 5 clear bytes (a
 * partial block stays clear); the IV is reset at the second subsample. */
static void
test_cbcs_pattern (void)
{
  enum { RANGE = 16 + 9 * 16 + 16 + 5 };
  static const Subsample subsamples[] = { { 10, RANGE }, { 3, RANGE } };
  guint8 sample[10 + RANGE + 3 + RANGE], expected[sizeof sample];
  GstHarness *h = decryptor (nist_key);
  Protection p = { .mode = "cbcs", .iv = nist_cbc_iv, .iv_size = 16, .constant_iv = TRUE,
                   .subsamples = subsamples, .n_subsamples = 2, .crypt = 1, .skip = 9 };
  gsize pos = 0;

  for (guint i = 0; i < 2; i++) {
    for (guint c = 0; c < subsamples[i].clear; c++, pos++)
      sample[pos] = expected[pos] = (guint8) c;
    memcpy (sample + pos, nist_cbc_cipher, 16);
    memcpy (expected + pos, nist_plain, 16);
    pos += 16;
    for (guint c = 0; c < 9 * 16; c++, pos++)
      sample[pos] = expected[pos] = (guint8) (0x80 ^ c);
    memcpy (sample + pos, nist_cbc_cipher + 16, 16);
    memcpy (expected + pos, nist_plain + 16, 16);
    pos += 16;
    for (guint c = 0; c < 5; c++, pos++)
      sample[pos] = expected[pos] = (guint8) (0xf0 + c);
  }
  g_assert_cmpuint (pos, ==, sizeof sample);
  assert_decrypts (h, protected_buffer (sample, sizeof sample, KID, &p), expected, sizeof sample);
  gst_harness_teardown (h);
}

/* No subsamples and no pattern (0:0, as cbcs audio): every whole block
 * of the sample, chained; the last 7 bytes stay clear. A per-sample IV. */
static void
test_cbcs_whole_sample (void)
{
  guint8 sample[64 + 7], expected[64 + 7];
  GstHarness *h = decryptor (nist_key);
  Protection p = { .mode = "cbcs", .iv = nist_cbc_iv, .iv_size = 16 };

  memcpy (sample, nist_cbc_cipher, 64);
  memcpy (expected, nist_plain, 64);
  for (guint c = 0; c < 7; c++)
    sample[64 + c] = expected[64 + c] = (guint8) c;
  assert_decrypts (h, protected_buffer (sample, sizeof sample, KID, &p), expected, sizeof sample);
  gst_harness_teardown (h);
}

/* --- clear buffers, caps ----------------------------------------------- */

static void
test_clear_passes_through (void)
{
  GstHarness *h = decryptor (nist_key);
  Protection p = { .mode = "cenc", .clear = TRUE, .iv = nist_ctr_iv, .iv_size = 16 };

  /* encrypted = FALSE: as it is, however it looks */
  assert_decrypts (h, protected_buffer (nist_ctr_cipher, 64, KID, &p), nist_ctr_cipher, 64);
  gst_harness_teardown (h);
}

/* Pops the ERROR message of @bus, asserts its domain and code. */
static GstMessage *
pop_error (GstBus *bus,
           GQuark  domain,
           int     code)
{
  GstMessage *message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (message);
  gst_message_parse_error (message, &error, NULL);
  g_assert_error (error, domain, code);
  return message;
}

/* No protection meta at all on the protected stream (qtdemux could not
 * read the sample's encryption information): an error, nothing out. */
static void
test_no_meta (void)
{
  GstHarness *h = decryptor (nist_key);
  GstBus *bus = gst_bus_new ();

  gst_element_set_bus (h->element, bus);
  g_assert_cmpint (gst_harness_push (h, buffer_of (nist_ctr_cipher, 64)), ==, GST_FLOW_ERROR);
  g_assert_cmpuint (gst_harness_buffers_received (h), ==, 0);
  gst_message_unref (pop_error (bus, GST_STREAM_ERROR, GST_STREAM_ERROR_DECRYPT));
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

static void
test_caps (void)
{
  GstHarness *h = decryptor (nist_key);
  Protection p = { .mode = "cenc", .iv = nist_ctr_iv, .iv_size = 16 };
  GstCaps *caps, *expected, *widevine;
  GstPad *sinkpad;

  assert_decrypts (h, protected_buffer (nist_ctr_cipher, 64, KID, &p), nist_plain, 64);
  caps = gst_pad_get_current_caps (h->sinkpad);
  expected = gst_caps_from_string ("video/x-h264, stream-format=(string)avc, alignment=(string)au, "
                                   "width=(int)160, height=(int)120");
  g_assert_nonnull (caps);
  g_assert_true (gst_caps_is_equal (caps, expected));
  gst_caps_unref (caps);
  gst_caps_unref (expected);

  /* what the src pad can give: the original media type, from upstream */
  caps = gst_pad_peer_query_caps (h->sinkpad, NULL);
  g_assert_cmpuint (gst_caps_get_size (caps), ==, 1);
  g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), "video/x-h264"));
  g_assert_false (gst_structure_has_field (gst_caps_get_structure (caps, 0), "protection-system"));
  g_assert_false (gst_structure_has_field (gst_caps_get_structure (caps, 0), "cipher-mode"));
  gst_caps_unref (caps);
  sinkpad = gst_element_get_static_pad (h->element, "sink");
  caps = gst_caps_from_string (CENC_CAPS);
  g_assert_true (gst_pad_query_accept_caps (sinkpad, caps));
  gst_caps_unref (caps);
  /* the W3C common system id too, not Widevine */
  caps = gst_caps_from_string ("application/x-cenc, original-media-type=(string)audio/mpeg, "
                               "protection-system=(string)" GST_OFFLINE_COMMON_SYSTEM_ID);
  g_assert_true (gst_pad_query_accept_caps (sinkpad, caps));
  gst_caps_unref (caps);
  widevine = gst_caps_from_string ("application/x-cenc, original-media-type=(string)audio/mpeg, "
                                   "protection-system=(string)edef8ba9-79d6-4ace-a3c8-27dcd51d21ed");
  g_assert_false (gst_pad_query_accept_caps (sinkpad, widevine));
  gst_caps_unref (widevine);
  gst_object_unref (sinkpad);
  gst_harness_teardown (h);
}

/* qtdemux picks a decryptor with gst_protection_select_system(): this one
 * for either Clear Key system id. */
static void
test_selected_for_clearkey (void)
{
  const char *clearkey[] = { GST_OFFLINE_CLEARKEY_SYSTEM_ID, NULL };
  const char *common[] = { GST_OFFLINE_COMMON_SYSTEM_ID, NULL };
  GstElementFactory *factory = gst_element_factory_find ("offlinecencdec");

  g_assert_nonnull (factory);
  g_assert_cmpstr (gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS), ==, "Decryptor");
  g_assert_cmpuint (gst_plugin_feature_get_rank (GST_PLUGIN_FEATURE (factory)), ==, GST_RANK_PRIMARY);
  g_assert_cmpstr (gst_protection_select_system (clearkey), ==, GST_OFFLINE_CLEARKEY_SYSTEM_ID);
  g_assert_cmpstr (gst_protection_select_system (common), ==, GST_OFFLINE_COMMON_SYSTEM_ID);
  gst_object_unref (factory);
}

/* --- keys --------------------------------------------------------------- */

/* A key ID the context lacks: an ERROR naming it, nothing pushed. */
static void
test_missing_key (void)
{
  GstHarness *h = gst_harness_new ("offlinecencdec");
  GstBus *bus = gst_bus_new ();
  GstContext *context = keys_context (OTHER_KID, nist_key);
  Protection p = { .mode = "cenc", .iv = nist_ctr_iv, .iv_size = 16 };
  g_autoptr (GError) error = NULL;
  const GstStructure *details;
  GstMessage *message;

  gst_element_set_bus (h->element, bus);
  gst_element_set_context (h->element, context);
  gst_context_unref (context);
  gst_harness_set_src_caps_str (h, CENC_CAPS);

  g_assert_cmpint (gst_harness_push (h, protected_buffer (nist_ctr_cipher, 64, KID, &p)), ==,
                   GST_FLOW_ERROR);
  g_assert_cmpuint (gst_harness_buffers_received (h), ==, 0);
  message = pop_error (bus, GST_STREAM_ERROR, GST_STREAM_ERROR_DECRYPT_NOKEY);
  gst_message_parse_error (message, &error, NULL);
  g_assert_nonnull (strstr (error->message, KID));
  gst_message_parse_error_details (message, &details);
  g_assert_nonnull (details);
  g_assert_cmpstr (gst_structure_get_string (details, "kid"), ==, KID);
  gst_message_unref (message);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

static GstBusSyncReply
answer_need_context (GstBus     *bus,
                     GstMessage *message,
                     gpointer    data)
{
  const char *type = NULL;
  int *asked = data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_NEED_CONTEXT &&
      gst_message_parse_context_type (message, &type) &&
      g_str_equal (type, GST_OFFLINE_KEYS_CONTEXT_TYPE)) {
    GstContext *context = keys_context (KID, nist_key);

    gst_element_set_context (GST_ELEMENT (GST_MESSAGE_SRC (message)), context);
    gst_context_unref (context);
    (*asked)++;
  }
  return GST_BUS_PASS;
}

/* No context set: the element asks with NEED_CONTEXT (once, when the
 * first encrypted buffer comes) and uses what the application sets. */
static void
test_need_context (void)
{
  GstHarness *h = gst_harness_new ("offlinecencdec");
  GstBus *bus = gst_bus_new ();
  Protection p = { .mode = "cenc", .iv = nist_ctr_iv, .iv_size = 16 };
  int asked = 0;

  gst_bus_set_sync_handler (bus, answer_need_context, &asked, NULL);
  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, CENC_CAPS);

  assert_decrypts (h, protected_buffer (nist_ctr_cipher, 64, KID, &p), nist_plain, 64);
  assert_decrypts (h, protected_buffer (nist_ctr_cipher, 64, KID, &p), nist_plain, 64);
  g_assert_cmpint (asked, ==, 1);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

static GstPadQueryFunction harness_src_query;

/* The harness's source pad, answering CONTEXT queries for the keys as
 * offlinesrc's pads are to. */
static gboolean
answer_context_query (GstPad    *pad,
                      GstObject *parent,
                      GstQuery  *query)
{
  const char *type = NULL;

  if (GST_QUERY_TYPE (query) == GST_QUERY_CONTEXT &&
      gst_query_parse_context_type (query, &type) &&
      g_str_equal (type, GST_OFFLINE_KEYS_CONTEXT_TYPE)) {
    GstContext *context = keys_context (KID, nist_key);

    gst_query_set_context (query, context);
    gst_context_unref (context);
    return TRUE;
  }
  return harness_src_query (pad, parent, query);
}

/* No context set, upstream answers the CONTEXT query: no NEED_CONTEXT. */
static void
test_context_query (void)
{
  GstHarness *h = gst_harness_new ("offlinecencdec");
  GstBus *bus = gst_bus_new ();
  Protection p = { .mode = "cenc", .iv = nist_ctr_iv, .iv_size = 16 };
  int asked = 0;

  harness_src_query = GST_PAD_QUERYFUNC (h->srcpad);
  gst_pad_set_query_function (h->srcpad, answer_context_query);
  gst_bus_set_sync_handler (bus, answer_need_context, &asked, NULL);
  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, CENC_CAPS);

  assert_decrypts (h, protected_buffer (nist_ctr_cipher, 64, KID, &p), nist_plain, 64);
  g_assert_cmpint (asked, ==, 0);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

/* A key given as GBytes works as a GstBuffer does. */
static void
test_key_as_bytes (void)
{
  GstHarness *h = gst_harness_new ("offlinecencdec");
  GstContext *context = gst_context_new (GST_OFFLINE_KEYS_CONTEXT_TYPE, FALSE);
  g_autoptr (GBytes) key = g_bytes_new_static (nist_key, 16);
  Protection p = { .mode = "cenc", .iv = nist_ctr_iv, .iv_size = 16 };

  gst_structure_set (gst_context_writable_structure (context), KID, G_TYPE_BYTES, key, NULL);
  gst_element_set_context (h->element, context);
  gst_context_unref (context);
  gst_harness_set_src_caps_str (h, CENC_CAPS);
  assert_decrypts (h, protected_buffer (nist_ctr_cipher, 64, KID, &p), nist_plain, 64);
  gst_harness_teardown (h);
}

/* Subsamples that do not cover the buffer: a DECRYPT error, nothing out. */
static void
test_damaged_meta (void)
{
  static const Subsample subsamples[] = { { 4, 50 } };
  GstHarness *h = decryptor (nist_key);
  GstBus *bus = gst_bus_new ();
  Protection p = { .mode = "cenc", .iv = nist_ctr_iv, .iv_size = 16,
                   .subsamples = subsamples, .n_subsamples = 1 };

  gst_element_set_bus (h->element, bus);
  g_assert_cmpint (gst_harness_push (h, protected_buffer (nist_ctr_cipher, 64, KID, &p)), ==,
                   GST_FLOW_ERROR);
  g_assert_cmpuint (gst_harness_buffers_received (h), ==, 0);
  gst_message_unref (pop_error (bus, GST_STREAM_ERROR, GST_STREAM_ERROR_DECRYPT));
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/cencdec/cenc/full-sample", test_cenc_full_sample);
  g_test_add_func ("/cencdec/cenc/subsamples-vector", test_cenc_subsamples_vector);
  g_test_add_func ("/cencdec/cenc/subsamples-iv8", test_cenc_subsamples_iv8);
  g_test_add_func ("/cencdec/cbcs/pattern", test_cbcs_pattern);
  g_test_add_func ("/cencdec/cbcs/whole-sample", test_cbcs_whole_sample);
  g_test_add_func ("/cencdec/clear", test_clear_passes_through);
  g_test_add_func ("/cencdec/no-meta", test_no_meta);
  g_test_add_func ("/cencdec/caps", test_caps);
  g_test_add_func ("/cencdec/selected-for-clearkey", test_selected_for_clearkey);
  g_test_add_func ("/cencdec/missing-key", test_missing_key);
  g_test_add_func ("/cencdec/need-context", test_need_context);
  g_test_add_func ("/cencdec/context-query", test_context_query);
  g_test_add_func ("/cencdec/key-as-bytes", test_key_as_bytes);
  g_test_add_func ("/cencdec/damaged-meta", test_damaged_meta);
  return g_test_run ();
}
