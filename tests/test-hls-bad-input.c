/* test-hls-bad-input.c: what the HLS playlist parser refuses: the files of
 * tests/data/hls-edge/bad/, generated oversized and malformed playlists, and
 * every prefix of real playlists.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "offline-test-utils.h"
#include "offline-manifest-private.h"

/* Bad input: each refused with a precise code and the line in the message.
 * tests/data/hls-edge/bad/NAME.m3u8 ends with a comment line
 * "# expect: CODE-NICK: MESSAGE-PART". */

#define MEDIA_HEAD "#EXTM3U\n#EXT-X-TARGETDURATION:4\n"

static void
assert_refused (GBytes       *bytes,
                OfflineError  code,
                const char   *message)
{
  g_autoptr(GError) error = offline_test_parse_refused (offline_hls_parse, bytes, "hls-edge/bad.m3u8",
                                                        (int) code, message);
}

static void
test_bad_file (gconstpointer data)
{
  g_autoptr(GBytes) bytes = offline_test_load (data);
  g_autoptr(GEnumClass) codes = g_type_class_ref (OFFLINE_TYPE_ERROR);
  g_auto(GStrv) expected = NULL;
  const char *text = g_bytes_get_data (bytes, NULL);
  const char *expect = g_strrstr_len (text, g_bytes_get_size (bytes), "# expect: ");
  GEnumValue *code;

  g_assert_nonnull (expect);
  expected = g_strsplit (expect + strlen ("# expect: "), ": ", 2);
  g_assert_cmpuint (g_strv_length (expected), ==, 2);
  code = g_enum_get_value_by_nick (codes, expected[0]);
  g_assert_nonnull (code);
  assert_refused (bytes, code->value, g_strchomp (expected[1]));
}

static void
test_bad_generated (void)
{
  static const char nul[] = MEDIA_HEAD "#EXTINF:4,\na\0.ts\n#EXT-X-ENDLIST\n";
  static const char utf8[] = MEDIA_HEAD "#EXTINF:4,\n\xff\xfe.ts\n#EXT-X-ENDLIST\n";
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) with_nul = g_bytes_new_static (nul, sizeof nul - 1);
  g_autoptr(GBytes) bad_utf8 = g_bytes_new_static (utf8, sizeof utf8 - 1);
  g_autoptr(GBytes) large = offline_test_oversized_playlist (OFFLINE_MANIFEST_MAX_SIZE + 1);
  g_autoptr(GBytes) many = NULL;
  g_autoptr(GBytes) variants = NULL;
  GString *segments = g_string_sized_new ((OFFLINE_MANIFEST_MAX_SEGMENTS + 1) * 15 + 64);
  GString *master = g_string_new ("#EXTM3U\n");

  assert_refused (empty, OFFLINE_ERROR_MANIFEST_INVALID, "empty");
  assert_refused (with_nul, OFFLINE_ERROR_MANIFEST_INVALID, "line 4: embedded NUL byte");
  assert_refused (bad_utf8, OFFLINE_ERROR_MANIFEST_INVALID, "line 4: invalid UTF-8");

  assert_refused (large, OFFLINE_ERROR_MANIFEST_INVALID, "larger than");

  /* 1,000,001 segments in 15 MB, refused before any segment is made */
  g_string_append (segments, MEDIA_HEAD);
  for (guint i = 0; i < OFFLINE_MANIFEST_MAX_SEGMENTS + 1; i++)
    g_string_append (segments, "#EXTINF:1\na.ts\n");
  g_string_append (segments, "#EXT-X-ENDLIST\n");
  many = g_string_free_to_bytes (segments);
  assert_refused (many, OFFLINE_ERROR_MANIFEST_INVALID, "more than 1000000 segments");

  for (guint i = 0; i < OFFLINE_MANIFEST_MAX_TRACKS + 1; i++)
    g_string_append (master, "#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n");
  variants = g_string_free_to_bytes (master);
  assert_refused (variants, OFFLINE_ERROR_MANIFEST_INVALID, "line 2002: EXT-X-STREAM-INF: more than 1000");
}

/* Every prefix of a real playlist: success or an error, nothing else. */
static void
test_truncated (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GBytes) whole = offline_test_load (path);
  guint n_ok = offline_test_parse_prefixes (offline_hls_parse, whole, path, 0, g_bytes_get_size (whole), 1,
                                            OFFLINE_TEST_ANY_CODE);

  /* At least the whole playlist parses */
  g_assert_cmpuint (n_ok, >=, 1);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* One test per file of tests/data/hls-edge/bad, in name order */
static void
add_bad_file_tests (GPtrArray *paths)
{
  g_autofree char *dir_name = g_test_build_filename (G_TEST_DIST, "data", "hls-edge", "bad", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL) {
    if (g_str_has_suffix (name, ".m3u8"))
      g_ptr_array_add (paths, g_strconcat ("hls-edge/bad/", name, NULL));
  }
  g_ptr_array_sort (paths, compare_strings);
  for (guint i = 0; i < paths->len; i++) {
    const char *path = g_ptr_array_index (paths, i);
    const char *file = path + strlen ("hls-edge/bad/");
    g_autofree char *test_name = g_strdup_printf ("/hls/bad/%.*s",
                                                  (int) (strlen (file) - strlen (".m3u8")), file);

    g_test_add_data_func (test_name, path, test_bad_file);
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) bad_files = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  add_bad_file_tests (bad_files);
  g_test_add_func ("/hls/bad/generated", test_bad_generated);
  g_test_add_data_func ("/hls/truncated/master", "hls/fmp4/master.m3u8", test_truncated);
  g_test_add_data_func ("/hls/truncated/ts-alt-audio", "hls/ts-alt-audio/master.m3u8", test_truncated);
  g_test_add_data_func ("/hls/truncated/byterange-fmp4", "hls/byterange-fmp4/stream.m3u8", test_truncated);
  g_test_add_data_func ("/hls/truncated/edge-keys", "hls-edge/media/keys.m3u8", test_truncated);
  g_test_add_data_func ("/hls/truncated/edge-master", "hls-edge/master.m3u8", test_truncated);

  return g_test_run ();
}
