/* test-export.c: offline_manager_export_async(), writing stored entries to
 * plain MP4 and Matroska files, checked against what offlinesrc plays
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * main() downloads from the real test server into a temporary store: DASH
 * (video, English audio, two WebVTT tracks), the same with Spanish audio,
 * HLS AES-128 (muxed TS), a Clear Key DASH entry (CENC) with its licence
 * and one whose licence has expired (tests/offline-test-license.c),
 * progressive MP4 (one and two audio tracks) and WebM files, and a paused
 * DASH entry. The server then stops. Each export is decoded
 * (playbin on file://) and compared with offline://ID in playbin: every
 * video frame (by checksum of its pixels), the whole decoded audio (F32
 * samples), the duration; its streams and their languages (the tags of
 * the demuxed streams, read to the end) are counted.
 *
 * This program links the shared library, like an application: the plugin
 * uses it too, so there is one copy of its types in the process.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/tag/tag.h>

#include "offline.h"
#include "offline-test-gst.h"
#include "offline-test-license.h"

#define FRAME (GST_SECOND / 25)
#define KID_VIDEO "10000000100010001000100000000000"
#define KEY_VIDEO "3a2a1b68dd2bd9b2eeb25e84c4776668"
#define KID_AUDIO "20000000200020002000200000000000"
#define KEY_AUDIO "00112233445566778899aabbccddeeff"
#define EXPIRED 1000                    /* 1970 */
#define PAUSED_PATH "dash/template-timeline/manifest.mpd"
#define PAUSED_MISSING "dash/template-timeline/chunk-0-51200.m4s"   /* video, 3rd segment */

/* Set once by main() before the tests run, then read-only. */
static char *store_path;
static char *tmp_dir;
static OfflineTestLicense *license;

/* ---- exporting ---- */

typedef struct {
  GArray *exported;             /* (element-type GTimeSpan) each report */
  GTimeSpan duration;           /* the last report's */
  gboolean destroyed;           /* progress_destroy was called */
} Progress;

static void
progress_cb (GTimeSpan exported,
             GTimeSpan duration,
             gpointer  user_data)
{
  Progress *progress = user_data;

  g_assert_false (progress->destroyed);
  g_array_append_val (progress->exported, exported);
  progress->duration = duration;
}

static void
progress_destroy (gpointer user_data)
{
  ((Progress *) user_data)->destroyed = TRUE;
}

/* Exports @id to @path on a new manager of the store; cancels
 * @cancellable (nullable) right after starting if @cancel. */
static gboolean
export_full (const char          *id,
             const char          *path,
             OfflineExportFlags   flags,
             GCancellable        *cancellable,
             gboolean             cancel,
             Progress            *progress,
             GError             **error)
{
  g_autoptr(GError) open_error = NULL;
  g_autoptr(OfflineManager) manager = offline_manager_new (store_path, NULL, NULL, &open_error);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  g_assert_no_error (open_error);
  /* seen once in the ASan suite, an export cancelled as it started
   * (test_cancel): reported, not fatal; what an export writes is checked
   * frame by frame and sample by sample all the same */
  offline_test_tolerate_qtdemux_data_warnings ();
  progress->exported = g_array_new (FALSE, FALSE, sizeof (GTimeSpan));
  offline_manager_export_async (manager, id, path, flags, cancellable, progress_cb, progress,
                                progress_destroy, offline_test_result_cb, &result);
  if (cancel)
    g_cancellable_cancel (cancellable);
  offline_test_wait_result (&result);
  ok = offline_manager_export_finish (manager, result, error);
  if (!ok)
    g_test_message ("export: %s", (*error)->message);
  g_assert_true (progress->destroyed);
  return ok;
}

static gboolean
export (const char          *id,
        const char          *path,
        OfflineExportFlags   flags,
        GError             **error)
{
  Progress progress = { 0 };
  gboolean ok = export_full (id, path, flags, NULL, FALSE, &progress, error);

  g_array_unref (progress.exported);
  return ok;
}

/* @dir holds nothing (no exported file, no temporary one). */
static void
assert_empty (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);

  g_assert_nonnull (listing);
  g_assert_null (g_dir_read_name (listing));
}

/* @name in a new directory of its own, *@dir. */
static char *
new_out_path (const char  *name,
              char       **dir)
{
  *dir = g_build_filename (tmp_dir, "out-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (*dir));
  return g_build_filename (*dir, name, NULL);
}

/* Asserts that @dir is left empty, and removes it. */
static void
remove_dir (char *dir)
{
  assert_empty (dir);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_free (dir);
}

/* ---- what plays ---- */

typedef struct {
  OfflineTestChecksums video;
  OfflineTestAudio audio;
  gint64 duration;
} Played;

/* Plays @uri (offline:// or file://) to EOS in playbin, subtitles off. */
static void
play (const char *uri,
      Played     *played)
{
  g_autoptr(GstElement) player = NULL;
  g_autoptr(GstMessage) message = NULL;

  offline_test_checksums_init (&played->video);
  offline_test_audio_init (&played->audio);
  offline_test_audio_keep (&played->audio);
  player = offline_test_playbin ("unused", offline_test_checksum_sink (&played->video),
                                 offline_test_audio_sink (&played->audio));
  g_object_set (player, "uri", uri, NULL);
  message = offline_test_play_to_end (player);
  offline_test_assert_eos (message);
  g_assert_true (gst_element_query_duration (player, GST_FORMAT_TIME, &played->duration));
  gst_element_set_state (player, GST_STATE_NULL);
}

static void
played_clear (Played *played)
{
  offline_test_checksums_clear (&played->video);
  offline_test_audio_clear (&played->audio);
}

/* The file at @path plays every frame and every audio sample that
 * offline://@id plays, and lasts as long (within a video frame). The
 * audio may end up to an AAC frame (1024 samples) apart, where the last
 * stored frame ends: MP4 keeps the last sample's duration, which trims
 * the encoder's padding that offlinesrc's fragmented MP4 lets through;
 * a partial export keeps whole the frame in which the stored part ends,
 * which offlinesrc's segment clips. Every sample before is the same. */
static void
assert_same_as_offline (const char *id,
                        const char *path)
{
  g_autofree char *offline_uri = g_strconcat ("offline://", id, NULL);
  g_autofree char *file_uri = g_filename_to_uri (path, NULL, NULL);
  Played expected, got;
  guint common;

  play (offline_uri, &expected);
  play (file_uri, &got);
  g_test_message ("%s: %u frames, %" G_GUINT64_FORMAT " audio samples, %" GST_TIME_FORMAT
                  " (exported: %u, %" G_GUINT64_FORMAT ", %" GST_TIME_FORMAT ")", id,
                  expected.video.sums->len, expected.audio.samples, GST_TIME_ARGS (expected.duration),
                  got.video.sums->len, got.audio.samples, GST_TIME_ARGS (got.duration));
  g_assert_cmpuint (expected.video.sums->len, >, 0);
  g_assert_cmpuint (got.video.sums->len, ==, expected.video.sums->len);
  for (guint i = 0; i < got.video.sums->len; i++)
    g_assert_cmpstr (g_ptr_array_index (got.video.sums, i), ==,
                     g_ptr_array_index (expected.video.sums, i));
  g_assert_cmpuint (expected.audio.samples, >, 0);
  g_assert_cmpint (ABS ((gint64) got.audio.samples - (gint64) expected.audio.samples), <, 1024);
  g_assert_cmpint (got.audio.channels, ==, expected.audio.channels);
  common = MIN (got.audio.kept->len, expected.audio.kept->len);
  g_assert_cmpmem (got.audio.kept->data, common, expected.audio.kept->data, common);
  g_assert_cmpint (ABS (got.duration - expected.duration), <=, (gint64) FRAME);
  played_clear (&expected);
  played_clear (&got);
}

static gint
by_text (gconstpointer a,
         gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* A stream of an exported file, as read by read_streams(). */
typedef struct {
  const char *kind;             /* "video", "audio", "subtitle" */
  char *language;               /* (nullable) its last language-code tag */
  GMutex *lock;                 /* (unowned) guards @language */
} Stream;

static void
stream_free (Stream *stream)
{
  g_free (stream->language);
  g_free (stream);
}

typedef struct {
  GstElement *pipeline;
  GMutex lock;
  GPtrArray *streams;           /* (element-type Stream) guarded by @lock */
} Streams;

static GstPadProbeReturn
language_probe (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  Stream *stream = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstTagList *tags = NULL;
  char *code = NULL;

  if (GST_EVENT_TYPE (event) != GST_EVENT_TAG)
    return GST_PAD_PROBE_OK;
  gst_event_parse_tag (event, &tags);
  if (gst_tag_list_get_string (tags, GST_TAG_LANGUAGE_CODE, &code)) {
    g_mutex_lock (stream->lock);
    g_free (stream->language);
    stream->language = code;
    g_mutex_unlock (stream->lock);
  }
  return GST_PAD_PROBE_OK;
}

static void
stream_added (GstElement *parsebin,
              GstPad     *pad,
              gpointer    user_data)
{
  Streams *streams = user_data;
  g_autoptr(GstCaps) caps = gst_pad_query_caps (pad, NULL);
  const char *media = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
  Stream *stream = g_new0 (Stream, 1);

  stream->kind = g_str_has_prefix (media, "video/") ? "video" :
                 g_str_has_prefix (media, "audio/") ? "audio" : "subtitle";
  stream->lock = &streams->lock;
  g_mutex_lock (&streams->lock);
  g_ptr_array_add (streams->streams, stream);
  g_mutex_unlock (&streams->lock);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, language_probe, stream, NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (streams->pipeline), sink);
  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
  gst_element_sync_state_with_parent (sink);
}

/* The streams of the file at @path, demuxed to its end: "video",
 * "audio:LANG", "subtitle:LANG" (ISO 639-1, "?" if none), sorted, joined
 * by spaces. */
static char *
read_streams (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strdup_printf ("filesrc location=\"%s\" ! parsebin name=p", path);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GstElement) parsebin = NULL;
  g_autoptr(GstMessage) message = NULL;
  Streams streams = { NULL };

  streams.pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  g_mutex_init (&streams.lock);
  streams.streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  parsebin = gst_bin_get_by_name (GST_BIN (streams.pipeline), "p");
  g_signal_connect (parsebin, "pad-added", G_CALLBACK (stream_added), &streams);
  message = offline_test_play_to_end (streams.pipeline);
  offline_test_assert_eos (message);
  gst_element_set_state (streams.pipeline, GST_STATE_NULL);

  for (guint i = 0; i < streams.streams->len; i++) {
    Stream *stream = g_ptr_array_index (streams.streams, i);
    const char *language = stream->language;

    if (language != NULL && gst_tag_get_language_code_iso_639_1 (language) != NULL)
      language = gst_tag_get_language_code_iso_639_1 (language);
    if (g_str_equal (stream->kind, "video"))
      g_ptr_array_add (names, g_strdup (stream->kind));
    else
      g_ptr_array_add (names, g_strdup_printf ("%s:%s", stream->kind, language ? language : "?"));
  }
  g_ptr_array_sort (names, by_text);
  g_ptr_array_add (names, NULL);
  g_ptr_array_unref (streams.streams);
  g_mutex_clear (&streams.lock);
  gst_object_unref (streams.pipeline);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* ---- 1. exports play as offline:// does ---- */

typedef struct {
  const char *id;
  const char *extension;
  const char *streams;          /* as read_streams() gives them */
} ExportCase;

static const ExportCase export_cases[] = {
  { "dash", "mp4", "audio:en subtitle:en subtitle:es video" },
  { "dash", "mkv", "audio:en subtitle:en subtitle:es video" },
  { "dash-es", "mp4", "audio:es subtitle:es video" },
  { "dash-es", "mkv", "audio:es subtitle:es video" },
  { "hls-aes128", "mp4", "audio:en video" },
  { "hls-aes128", "mkv", "audio:en video" },
  { "cenc", "mp4", "audio:en video" },
  { "cenc", "mkv", "audio:en video" },
  { "progressive-mp4", "mp4", "audio:en video" },
  { "progressive-mp4", "mkv", "audio:en video" },
  { "progressive-2audio", "mkv", "audio:en audio:es video" },
  { "progressive-webm", "mkv", "audio:en video" },
};

static void
test_export (gconstpointer data)
{
  const ExportCase *c = data;
  g_autofree char *name = g_strdup_printf ("%s.%s", c->id, c->extension);
  char *dir = NULL;
  g_autofree char *path = new_out_path (name, &dir);
  g_autofree char *streams = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };

  g_assert_true (export_full (c->id, path, OFFLINE_EXPORT_FLAGS_NONE, NULL, FALSE, &progress,
                              &error));
  g_assert_no_error (error);
  /* reported, never back, ending at the whole duration */
  g_assert_cmpuint (progress.exported->len, >=, 1);
  for (guint i = 1; i < progress.exported->len; i++)
    g_assert_cmpint (g_array_index (progress.exported, GTimeSpan, i), >=,
                     g_array_index (progress.exported, GTimeSpan, i - 1));
  g_assert_cmpint (ABS (progress.duration - 6 * G_USEC_PER_SEC), <=, 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_array_index (progress.exported, GTimeSpan, progress.exported->len - 1), ==,
                   progress.duration);
  g_array_unref (progress.exported);

  streams = read_streams (path);
  g_test_message ("%s: %s", name, streams);
  g_assert_cmpstr (streams, ==, c->streams);
  assert_same_as_offline (c->id, path);
  g_unlink (path);
  remove_dir (dir);
}

/* ---- 2. partial, refusals, cancellation, destinations ---- */

/* A paused entry: refused, unless PARTIAL, which exports what plays. */
static void
test_partial (void)
{
  char *dir = NULL;
  g_autofree char *path = new_out_path ("paused.mkv", &dir);
  g_autoptr(GError) error = NULL;

  g_assert_false (export ("paused", path, OFFLINE_EXPORT_FLAGS_NONE, &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_ENTRY_INCOMPLETE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  assert_empty (dir);

  g_assert_true (export ("paused", path, OFFLINE_EXPORT_FLAGS_PARTIAL, &error));
  g_assert_no_error (error);
  assert_same_as_offline ("paused", path);
  g_unlink (path);
  remove_dir (dir);
}

typedef struct {
  const char *name;
  const char *id;
  const char *file;
  int code;
} RefusalCase;

static const RefusalCase refusal_cases[] = {
  { "unknown-id", "no-such-entry", "out.mp4", OFFLINE_ERROR_NOT_FOUND },
  { "invalid-id", "", "out.mp4", OFFLINE_ERROR_INVALID_ARGUMENT },
  { "extension", "dash", "out.avi", OFFLINE_ERROR_INVALID_ARGUMENT },
  { "no-extension", "dash", "out", OFFLINE_ERROR_INVALID_ARGUMENT },
  { "expired-licence", "expired", "out.mp4", OFFLINE_ERROR_LICENSE_EXPIRED },
  /* GStreamer 1.22's mp4mux would crash on it */
  { "vp9-in-mp4", "progressive-webm", "out.mp4", OFFLINE_ERROR_NOT_SUPPORTED },
};

static void
test_refusal (gconstpointer data)
{
  const RefusalCase *c = data;
  char *dir = NULL;
  g_autofree char *path = new_out_path (c->file, &dir);
  g_autoptr(GError) error = NULL;

  g_assert_false (export (c->id, path, OFFLINE_EXPORT_FLAGS_NONE, &error));
  g_assert_error (error, OFFLINE_ERROR, c->code);
  g_test_message ("%s", error->message);
  remove_dir (dir);
}

/* Cancelled before it starts, and while its pipeline runs: nothing left. */
static void
test_cancel (void)
{
  char *dir = NULL;
  g_autofree char *path = new_out_path ("dash.mp4", &dir);
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };

  g_cancellable_cancel (before);
  g_assert_false (export_full ("dash", path, OFFLINE_EXPORT_FLAGS_NONE, before, FALSE, &progress,
                               &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_pointer (&progress.exported, g_array_unref);
  assert_empty (dir);

  progress.destroyed = FALSE;
  g_assert_false (export_full ("dash", path, OFFLINE_EXPORT_FLAGS_NONE, during, TRUE, &progress,
                               &error));
  g_assert_error (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED);
  g_array_unref (progress.exported);
  remove_dir (dir);
}

/* A directory that does not exist; a directory where the file should go
 * (found only at the end): a G_IO_ERROR, nothing left. An existing file
 * is replaced. */
static void
test_destination (void)
{
  char *dir = NULL;
  g_autofree char *taken = new_out_path ("dash.mkv", &dir);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "dash.mp4", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_false (export ("dash", missing, OFFLINE_EXPORT_FLAGS_NONE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  assert_empty (dir);

  g_assert_cmpint (g_mkdir (taken, 0755), ==, 0);
  g_assert_false (export ("dash", taken, OFFLINE_EXPORT_FLAGS_NONE, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (g_rmdir (taken), ==, 0);
  assert_empty (dir);

  g_assert_true (g_file_set_contents (taken, "old", -1, NULL));
  g_assert_true (export ("dash", taken, OFFLINE_EXPORT_FLAGS_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (taken, &contents, NULL, NULL));
  g_assert_cmpstr (contents, !=, "old");
  g_unlink (taken);
  remove_dir (dir);
}

/* ---- main: the store ---- */

static void
store_fixtures (OfflineTestStoring *storing)
{
  offline_test_store_fixture (storing, "dash", "dash/template-number/manifest.mpd", NULL);
  offline_test_store_fixture (storing, "dash-es", "dash/template-number/manifest.mpd", "es");
  offline_test_store_fixture (storing, "hls-aes128", "hls/aes128/master.m3u8", NULL);
  offline_test_store_fixture (storing, "progressive-mp4", "progressive/clip.mp4", NULL);
  offline_test_store_fixture (storing, "progressive-2audio", "progressive/clip-2audio.mp4", NULL);
  offline_test_store_fixture (storing, "progressive-webm", "progressive/clip.webm", NULL);
  license = offline_test_license_new ();
  offline_test_license_add_key (license, KID_VIDEO, KEY_VIDEO);
  offline_test_license_add_key (license, KID_AUDIO, KEY_AUDIO);
  offline_test_store_protected (storing, license, "cenc", "cenc", FALSE);
  offline_test_license_set_expiration (license, EXPIRED);
  offline_test_store_protected (storing, license, "expired", "cenc", FALSE);
  offline_test_store_paused (storing, "paused", PAUSED_PATH, PAUSED_MISSING, 7);
}

/* The tests, named after their cases. */
static void
add_tests (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (export_cases); i++) {
    const ExportCase *c = &export_cases[i];
    g_autofree char *name = g_strconcat ("/export/", c->extension, "/", c->id, NULL);

    g_test_add_data_func (name, c, test_export);
  }
  for (guint i = 0; i < G_N_ELEMENTS (refusal_cases); i++) {
    const RefusalCase *c = &refusal_cases[i];
    g_autofree char *name = g_strconcat ("/export/refused/", c->name, NULL);

    g_test_add_data_func (name, c, test_refusal);
  }
  g_test_add_func ("/export/partial", test_partial);
  g_test_add_func ("/export/cancel", test_cancel);
  g_test_add_func ("/export/destination", test_destination);
}

int
main (int    argc,
      char **argv)
{
  int status;

  tmp_dir = offline_test_init_with_store (&argc, &argv, "export-XXXXXX", store_fixtures,
                                          &store_path);
  add_tests ();
  status = offline_test_run_and_remove (tmp_dir, store_path);
  offline_test_license_free (license);
  return status;
}
