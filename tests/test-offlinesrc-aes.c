/* test-offlinesrc-aes.c: offlinesrc plays HLS AES-128 entries decrypted,
 * and reports damaged keys and segments
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * main() downloads hls/aes128 (explicit IV) and hls/aes128-seqiv (no IV:
 * the media sequence number, from 1) through the library from the real
 * test server into a temporary store (with copies that the error tests
 * damage), stops the server, and points OFFLINEMGR_STORE at the store:
 * everything then plays with no server.
 *
 * The clear reference is hls/byterange/stream.ts: the same encode (muxed
 * TS, 320x180 video and English audio, see tests/data/README.md), whose
 * three byte ranges are the decrypted segments of both fixtures, byte for
 * byte (/offlinesrc-aes/stored checks this).
 *
 * The decryption itself (gst-offline/gstofflinedecrypt.c) is built into
 * this program and tested against the NIST SP 800-38A vectors.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "gstofflinedecrypt.h"
#include "offline.h"
#include "offline-stored-entry.h"
#include "offline-test-gst.h"

#define FRAMES 150                      /* 6 s at 25 fps, see tests/data/README.md */
#define DURATION (6 * GST_SECOND)
#define SEGMENTS 3
#define CLEAR_REFERENCE "hls/byterange/stream.ts"

#define AES128_PATH "hls/aes128/master.m3u8"
#define SEQIV_PATH "hls/aes128-seqiv/master.m3u8"
#define EXPLICIT_IV "000102030405060708090a0b0c0d0e0f"

/* The entries that play, with the IV the store holds for each segment
 * (hex). */
typedef struct {
  const char *id;
  const char *path;
  const char *ivs[SEGMENTS];
} AesCase;

static const AesCase aes_cases[] = {
  { "hls-aes128", AES128_PATH, { EXPLICIT_IV, EXPLICIT_IV, EXPLICIT_IV } },
  /* RFC 8216: the media sequence number, a 128-bit big-endian integer */
  { "hls-aes128-seqiv", SEQIV_PATH, { "00000000000000000000000000000001",
                                      "00000000000000000000000000000002",
                                      "00000000000000000000000000000003" } },
};

/* Copies whose media segment @sequence (from 1) test_bad_padding()
 * damages. */
typedef struct {
  const char *id;
  const char *path;
  guint sequence;
} DamageCase;

static const DamageCase padding_cases[] = {
  { "bad-padding-first", AES128_PATH, 1 },      /* read first to sniff the caps */
  { "bad-padding-last", SEQIV_PATH, SEGMENTS }, /* read while streaming */
};

/* Copies whose key file the error tests truncate or remove. */
#define SHORT_KEY_ID "short-key"
#define MISSING_KEY_ID "missing-key"

/* Set once by main() before the tests run, then read-only. */
static char *store_path;
static char *tmp_dir;

/* ---- the decryption ---- */

/* NIST SP 800-38A F.2.1 (CBC-AES128), with the PKCS#7 padding block (a
 * whole block: the clear text is 4 blocks). */
static const char *const nist_key = "2b7e151628aed2a6abf7158809cf4f3c";
static const char *const nist_iv = EXPLICIT_IV;
static const char *const nist_clear =
  "6bc1bee22e409f96e93d7e117393172a" "ae2d8a571e03ac9c9eb76fac45af8e51"
  "30c81c46a35ce411e5fbc1191a0a52ef" "f69f2445df4f9b17ad2b417be66c3710";
static const char *const nist_encrypted =
  "7649abac8119b246cee98e9b12e9197d" "5086cb9b507219ee95db113a917678b2"
  "73bed6b8e3c1743b7116e69e22229516" "3ff1caa1681fac09120eca307586e1a7"
  "8cb82807230e1321d3fae00d18cc2012";
/* the empty clear text: one block of padding (16 × 0x10) */
static const char *const empty_encrypted = "c84af0b613435d5d9182801a9bd9320b";

static GBytes *
from_hex (const char *hex)
{
  gsize length = strlen (hex) / 2;
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++) {
    int high = g_ascii_xdigit_value (hex[2 * i]), low = g_ascii_xdigit_value (hex[2 * i + 1]);

    g_assert_true (high >= 0 && low >= 0);
    data[i] = (guint8) (high << 4 | low);
  }
  return g_bytes_new_take (data, length);
}

static char *
to_hex (GBytes *bytes)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

/* gst_offline_decrypt_aes128() of @encrypted with the NIST key and @iv,
 * as hex, or NULL with @error set. */
static char *
decrypt_hex (const char  *encrypted,
             GBytes      *iv,
             GError     **error)
{
  g_autoptr(GBytes) key = from_hex (nist_key);
  g_autoptr(GBytes) data = from_hex (encrypted);
  g_autoptr(GBytes) clear = NULL;

  g_assert_cmpuint (g_bytes_get_size (iv), ==, GST_OFFLINE_AES128_SIZE);
  clear = gst_offline_decrypt_aes128 (g_bytes_get_data (key, NULL), g_bytes_get_data (iv, NULL),
                                      data, error);
  return clear != NULL ? to_hex (clear) : NULL;
}

/* The NIST IV with byte @index XORed with @mask: CBC carries that into
 * the same byte of the first clear block. */
static GBytes *
flipped_iv (guint  index,
            guint8 mask)
{
  g_autoptr(GBytes) iv = from_hex (nist_iv);
  guint8 data[GST_OFFLINE_AES128_SIZE];

  memcpy (data, g_bytes_get_data (iv, NULL), sizeof data);
  data[index] ^= mask;
  return g_bytes_new (data, sizeof data);
}

static void
test_decrypt_vectors (void)
{
  g_autoptr(GBytes) iv = from_hex (nist_iv);
  g_autoptr(GBytes) pad_1 = flipped_iv (15, 0x10 ^ 0x01);
  g_autoptr(GError) error = NULL;
  g_autofree char *clear = decrypt_hex (nist_encrypted, iv, &error);
  g_autofree char *empty = NULL;
  g_autofree char *fifteen = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (clear, ==, nist_clear);
  empty = decrypt_hex (empty_encrypted, iv, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (empty, ==, "");
  /* the last byte becomes 0x01: 1 byte of padding, 15 of data (0x10) */
  fifteen = decrypt_hex (empty_encrypted, pad_1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fifteen, ==, "101010101010101010101010101010");
}

/* Each gives OFFLINE_ERROR_ENTRY_DAMAGED. */
static void
test_decrypt_damaged (void)
{
  static const char *const bad_lengths[] = {
    "",                                                  /* no block */
    "c84af0b613435d5d9182801a9bd932",                    /* 15 bytes */
    "7649abac8119b246cee98e9b12e9197d" "c84af0b613435d5d9182801a9bd9320b" "00",
  };
  /* on the one-block empty text, whose bytes are all 0x10 */
  static const struct {
    guint index;
    guint8 mask;
    const char *what;
  } bad_paddings[] = {
    { 15, 0x10, "length 0" },
    { 15, 0x10 ^ 0x11, "length 17" },
    { 15, 0x10 ^ 0xff, "length 255" },
    { 0, 0x01, "a padding byte that is not the length" },
    { 14, 0x10 ^ 0x0f, "the byte before the length byte" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_lengths); i++) {
    g_autoptr(GBytes) iv = from_hex (nist_iv);
    g_autoptr(GError) error = NULL;
    g_autofree char *clear = decrypt_hex (bad_lengths[i], iv, &error);

    g_assert_null (clear);
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED);
    g_test_message ("%" G_GSIZE_FORMAT " bytes: %s", strlen (bad_lengths[i]) / 2, error->message);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad_paddings); i++) {
    g_autoptr(GBytes) iv = flipped_iv (bad_paddings[i].index, bad_paddings[i].mask);
    g_autoptr(GError) error = NULL;
    g_autofree char *clear = decrypt_hex (empty_encrypted, iv, &error);

    g_test_message ("padding with %s", bad_paddings[i].what);
    g_assert_null (clear);
    g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_DAMAGED);
  }
}

/* ---- what the store holds ---- */

/* The resource in @resources (an entry's) of @kind: the key (@sequence
 * ignored) or media segment @sequence. It must be stored. */
static OfflineStoredPart *
find_resource (GArray                   *resources,
               OfflineStoredPartKind  kind,
               guint                     sequence)
{
  for (guint i = 0; i < resources->len; i++) {
    OfflineStoredPart *resource = &g_array_index (resources, OfflineStoredPart, i);

    if (resource->kind == kind && (kind == OFFLINE_STORED_PART_KEY || resource->sequence == sequence)) {
      g_assert_true (resource->done);
      return resource;
    }
  }
  g_error ("no stored resource of kind %d, sequence %u", kind, sequence);
}

/* The path of that resource's file. */
static char *
stored_file (const char               *id,
             OfflineStoredPartKind  kind,
             guint                     sequence)
{
  g_autoptr(GArray) resources = offline_test_stored_resources (store_path, id, NULL);

  return offline_test_resource_path (store_path, id, find_resource (resources, kind, sequence)->id);
}

/* The contents of the file of @resource of entry @id. */
static GBytes *
read_stored (const char                 *id,
             const OfflineStoredPart *resource)
{
  g_autofree char *path = offline_test_resource_path (store_path, id, resource->id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return g_mapped_file_get_bytes (mapped);
}

/* The store holds the one key, the IV the parser resolved for each
 * segment, and the segments as served: decrypted with those, they are
 * the clear reference, byte for byte. */
static void
test_stored (gconstpointer data)
{
  const AesCase *ac = data;
  g_autoptr(GArray) resources = offline_test_stored_resources (store_path, ac->id, NULL);
  const OfflineStoredPart *key = find_resource (resources, OFFLINE_STORED_PART_KEY, 0);
  g_autoptr(GBytes) key_bytes = read_stored (ac->id, key);
  g_autoptr(GByteArray) clear = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  gsize length;

  g_assert_cmpuint (g_bytes_get_size (key_bytes), ==, GST_OFFLINE_AES128_SIZE);
  for (guint i = 0; i < SEGMENTS; i++) {
    const OfflineStoredPart *segment = find_resource (resources, OFFLINE_STORED_PART_MEDIA, i + 1);
    g_autoptr(GBytes) encrypted = read_stored (ac->id, segment);
    g_autoptr(GBytes) decrypted = NULL;
    g_autofree char *iv = NULL;

    g_assert_cmpint (segment->key_id, ==, key->id);
    g_assert_nonnull (segment->iv);
    iv = to_hex (segment->iv);
    g_assert_cmpstr (iv, ==, ac->ivs[i]);
    decrypted = gst_offline_decrypt_aes128 (g_bytes_get_data (key_bytes, NULL),
                                            g_bytes_get_data (segment->iv, NULL), encrypted, &error);
    g_assert_no_error (error);
    g_byte_array_append (clear, g_bytes_get_data (decrypted, NULL), g_bytes_get_size (decrypted));
  }

  g_assert_true (g_file_get_contents (g_test_get_filename (G_TEST_DIST, "data", CLEAR_REFERENCE, NULL),
                                      &expected, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (clear->len, ==, length);
  g_assert_true (memcmp (clear->data, expected, length) == 0);
}

/* ---- what playbin plays ---- */

static void
test_frames (gconstpointer data)
{
  static const char *const reference[] = { CLEAR_REFERENCE, NULL };
  const AesCase *ac = data;
  int audio = 0;
  gint64 duration = offline_test_assert_frames (ac->id, reference, "tsdemux", tmp_dir, FRAMES,
                                                offline_test_counting_sink (&audio));

  g_assert_cmpint (duration, ==, DURATION);
  g_assert_cmpint (g_atomic_int_get (&audio), >, 0);
}

/* ---- damaged entries ---- */

static void
test_short_key (void)
{
  g_autofree char *path = stored_file (SHORT_KEY_ID, OFFLINE_STORED_PART_KEY, 0);

  g_assert_cmpint (truncate (path, GST_OFFLINE_AES128_SIZE / 2), ==, 0);
  offline_test_assert_play_fails (SHORT_KEY_ID, OFFLINE_ERROR_ENTRY_DAMAGED);
}

static void
test_missing_key (void)
{
  g_autofree char *path = stored_file (MISSING_KEY_ID, OFFLINE_STORED_PART_KEY, 0);

  g_assert_cmpint (g_unlink (path), ==, 0);
  offline_test_assert_play_fails (MISSING_KEY_ID, OFFLINE_ERROR_ENTRY_DAMAGED);
}

/* The last byte of the next-to-last block is XORed with 0x80: CBC carries
 * that into the last clear byte, the padding length (1 to 16), which
 * becomes 0x81 to 0x90. The size does not change. */
static void
test_bad_padding (gconstpointer data)
{
  const DamageCase *dc = data;
  g_autofree char *path = stored_file (dc->id, OFFLINE_STORED_PART_MEDIA, dc->sequence);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 2 * GST_OFFLINE_AES128_SIZE);
  contents[length - GST_OFFLINE_AES128_SIZE - 1] ^= 0x80;
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  offline_test_assert_play_fails (dc->id, OFFLINE_ERROR_ENTRY_DAMAGED);
}

/* ---- main ---- */

static void
store_fixtures (OfflineTestStoring *storing)
{
  for (guint i = 0; i < G_N_ELEMENTS (aes_cases); i++)
    offline_test_store_fixture (storing, aes_cases[i].id, aes_cases[i].path, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (padding_cases); i++)
    offline_test_store_fixture (storing, padding_cases[i].id, padding_cases[i].path, NULL);
  offline_test_store_fixture (storing, SHORT_KEY_ID, AES128_PATH, NULL);
  offline_test_store_fixture (storing, MISSING_KEY_ID, SEQIV_PATH, NULL);
}

/* Adds the test @prefix/ID of each AES case. */
static void
add_aes_tests (const char    *prefix,
               GTestDataFunc  func)
{
  for (guint i = 0; i < G_N_ELEMENTS (aes_cases); i++) {
    g_autofree char *name = g_strdup_printf ("/offlinesrc-aes/%s/%s", prefix, aes_cases[i].id);

    g_test_add_data_func (name, &aes_cases[i], func);
  }
}

int
main (int    argc,
      char **argv)
{
  tmp_dir = offline_test_init_with_store (&argc, &argv, "offlinesrc-aes-XXXXXX", store_fixtures, &store_path);

  g_test_add_func ("/offlinesrc-aes/decrypt/vectors", test_decrypt_vectors);
  g_test_add_func ("/offlinesrc-aes/decrypt/damaged", test_decrypt_damaged);
  add_aes_tests ("stored", test_stored);
  add_aes_tests ("frames", test_frames);
  g_test_add_func ("/offlinesrc-aes/error/short-key", test_short_key);
  g_test_add_func ("/offlinesrc-aes/error/missing-key", test_missing_key);
  g_test_add_data_func ("/offlinesrc-aes/error/bad-padding-first", &padding_cases[0], test_bad_padding);
  g_test_add_data_func ("/offlinesrc-aes/error/bad-padding-last", &padding_cases[1], test_bad_padding);

  return offline_test_run_and_remove (tmp_dir, store_path);
}
