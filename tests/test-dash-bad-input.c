/* test-dash-bad-input.c: what the DASH MPD parser refuses: the corpus of
 * tests/data/dash-edge/bad-inputs.txt, the size and count limits, and
 * truncated fixtures.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-utils.h"

/* Every MPD here is parsed as fetched from OFFLINE_TEST_BASE + EDGE_PATH. */
#define EDGE_PATH "dash-edge/x.mpd"
#define MPD_HEAD "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\"" \
                 " mediaPresentationDuration=\"PT2S\">\n"

typedef struct {
  char *name;
  int code;
  char *message;  /* what the error message must contain */
  GString *mpd;
} BadInput;

static void
bad_input_free (BadInput *bad)
{
  g_free (bad->name);
  g_free (bad->message);
  g_string_free (bad->mpd, TRUE);
  g_free (bad);
}

/* The cases of dash-edge/bad-inputs.txt (see its header). */
static GPtrArray *
load_bad_inputs (void)
{
  g_autoptr(GBytes) data = offline_test_load ("dash-edge/bad-inputs.txt");
  g_autofree char *text = g_strndup (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *cases = g_ptr_array_new_with_free_func ((GDestroyNotify) bad_input_free);
  BadInput *bad = NULL;

  for (guint i = 0; lines[i] != NULL; i++) {
    if (g_str_has_prefix (lines[i], "=== ")) {
      g_auto(GStrv) header = g_strsplit (lines[i] + 4, " ", 3);

      g_assert_cmpuint (g_strv_length (header), ==, 3);
      g_assert_true (g_str_equal (header[1], "invalid") || g_str_equal (header[1], "live"));
      bad = g_new0 (BadInput, 1);
      bad->name = g_strdup (header[0]);
      bad->code = g_str_equal (header[1], "live") ? OFFLINE_ERROR_LIVE_NOT_SUPPORTED
                                                  : OFFLINE_ERROR_MANIFEST_INVALID;
      bad->message = g_strdup (header[2]);
      bad->mpd = g_string_new (NULL);
      g_ptr_array_add (cases, bad);
    } else if (bad != NULL) {
      g_string_append_printf (bad->mpd, "%s\n", lines[i]);
    }
  }
  for (guint i = 0; i < cases->len; i++) {
    bad = g_ptr_array_index (cases, i);
    g_string_truncate (bad->mpd, strlen (g_strchomp (bad->mpd->str)));
  }
  g_assert_cmpuint (cases->len, >, 0);
  return cases;
}

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  g_autoptr(GBytes) bytes = g_bytes_new (bad->mpd->str, bad->mpd->len);
  g_autoptr(GError) error = offline_test_parse_refused (offline_dash_parse, bytes, EDGE_PATH,
                                                        bad->code, bad->message);

  g_test_message ("%s", error->message);
}

static void
test_too_large (void)
{
  gsize size = 64 * 1024 * 1024 + 1;
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_malloc0 (size), size);
  g_autoptr(GError) error = offline_test_parse_refused (offline_dash_parse, bytes, EDGE_PATH,
                                                        OFFLINE_ERROR_MANIFEST_INVALID, NULL);
}

/* A Period of 1001 Representations. */
static void
test_too_many_representations (void)
{
  g_autoptr(GString) mpd = g_string_new (MPD_HEAD "<Period><AdaptationSet contentType=\"video\">"
                                         "<SegmentTemplate duration=\"2\" media=\"$RepresentationID$\"/>");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i <= 1000; i++)
    g_string_append_printf (mpd, "<Representation id=\"r%u\"/>", i);
  g_string_append (mpd, "</AdaptationSet></Period></MPD>");
  bytes = g_bytes_new (mpd->str, mpd->len);
  error = offline_test_parse_refused (offline_dash_parse, bytes, EDGE_PATH,
                                      OFFLINE_ERROR_MANIFEST_INVALID, "Representation");
}

/* Prefixes of a fixture: each an error of MANIFEST_INVALID but the whole. */
static void
test_truncated_fixture (void)
{
  g_autoptr(GBytes) data = offline_test_load ("dash/template-number/manifest.mpd");
  gsize size = g_bytes_get_size (data);
  const gsize cuts[] = { 1, 5, 38, 100, size / 3, size / 2, size - 8, size - 2 };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    g_assert_false (offline_test_parse_prefix (offline_dash_parse, data, cuts[i], EDGE_PATH,
                                               OFFLINE_ERROR_MANIFEST_INVALID));
  g_assert_true (offline_test_parse_prefix (offline_dash_parse, data, size, EDGE_PATH,
                                            OFFLINE_ERROR_MANIFEST_INVALID));
}

/* Every @step-th proper prefix: a presentation or MANIFEST_INVALID. */
static void
test_truncated_everywhere (void)
{
  static const struct {
    const char *path;
    guint step;
  } fixtures[] = {
    { "dash/template-timeline/manifest.mpd", 1 },
    { "dash/multi-period/manifest.mpd", 7 },
    { "dash-edge/protection.mpd", 3 },
  };

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++) {
    g_autoptr(GBytes) data = offline_test_load (fixtures[f].path);

    offline_test_parse_prefixes (offline_dash_parse, data, EDGE_PATH, 1, g_bytes_get_size (data) - 1,
                                 fixtures[f].step, OFFLINE_ERROR_MANIFEST_INVALID);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) bad_inputs = NULL;

  g_test_init (&argc, &argv, NULL);
  bad_inputs = load_bad_inputs ();

  for (guint i = 0; i < bad_inputs->len; i++) {
    const BadInput *bad = g_ptr_array_index (bad_inputs, i);
    g_autofree char *path = g_strconcat ("/dash/bad/", bad->name, NULL);

    g_test_add_data_func (path, bad, test_bad_input);
  }
  g_test_add_func ("/dash/bad/too-large", test_too_large);
  g_test_add_func ("/dash/bad/too-many-representations", test_too_many_representations);
  g_test_add_func ("/dash/bad/truncated", test_truncated_fixture);
  g_test_add_func ("/dash/bad/truncated-everywhere", test_truncated_everywhere);

  return g_test_run ();
}
