/* test-offlinesrc-follow.c: offlinesrc plays an entry while it downloads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A 60-second DASH presentation (video 160x90 and audio: the fixture
 * dash/template-number's segments, each served ten times over as
 * segments 1–30, which offlinesrc moves onto their stored times) comes
 * from the loopback test server through a shaped link (100 kB/s: about
 * 10 s for the whole), and `offlinemgr download` stores it in another
 * process. As soon as the first segment of each track is stored (under
 * 25 % of the entry), playbin or playbin3 plays offline://ID:
 *
 *   - it reaches EOS with every video frame of the encode, in order (by
 *     checksum against the fixture's frames decoded from its files), and
 *     the whole decoded audio (PCM) of the entry played again once it is
 *     complete, and the duration of the whole entry;
 *   - it waited for segments meanwhile: BUFFERING 0 %, then 100 %;
 *   - the download failing midway (a segment gone from the server): an
 *     ERROR with OFFLINE_ERROR_ENTRY_INCOMPLETE;
 *   - `offlinemgr play --headless` (in real time) plays it to its end;
 *   - the download paused midway (the tool interrupted): a WARNING with
 *     OFFLINE_ERROR_ENTRY_INCOMPLETE and EOS where what is stored ends;
 *   - a seek ahead, the application asking the downloader (an
 *     OfflineManager of this process, on a thread of its own, one request
 *     at a time) to fetch from there first
 *     (offline_manager_prioritize_position()): playback starts there long
 *     before the download would have got there by itself, with the
 *     frames of that segment.
 *
 * The sinks do not sync to the clock, so playback runs ahead of the
 * download and has to wait: what a player does with the BUFFERING
 * messages (pause until 100 %) is not needed for these checks.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "offline-error.h"
#include "offline-manager.h"
#include "offline-stored-entry.h"
#include "offline-url-provider.h"
#include "offline-test-gst.h"

#define REPEATS 10                      /* the fixture's 3 segments, 10 times */
#define SEGMENTS (3 * REPEATS)
#define FRAMES_PER_REPEAT 150           /* 6 s at 25 fps */
#define DURATION (2 * SEGMENTS * GST_SECOND)
#define RATE (100 * 1000)               /* bytes a second */
#define FIXTURE "dash/template-number/"

static const char *const video_files[] = {
  FIXTURE "init-stream1.m4s", FIXTURE "chunk-stream1-00001.m4s",
  FIXTURE "chunk-stream1-00002.m4s", FIXTURE "chunk-stream1-00003.m4s", NULL
};

#define MANIFEST \
  "<?xml version=\"1.0\"?>\n" \
  "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\"" \
  " profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"" \
  " mediaPresentationDuration=\"PT%uS\" minBufferTime=\"PT2S\">\n" \
  " <Period id=\"0\">\n" \
  "  <AdaptationSet contentType=\"video\" frameRate=\"25/1\">\n" \
  "   <Representation id=\"1\" mimeType=\"video/mp4\" codecs=\"avc1.4d400b\"" \
  " bandwidth=\"60000\" width=\"160\" height=\"90\">\n" \
  "    <SegmentTemplate timescale=\"1000000\" duration=\"2000000\" startNumber=\"1\"" \
  " initialization=\"init-stream$RepresentationID$.m4s\"" \
  " media=\"chunk-stream$RepresentationID$-$Number%%05d$.m4s\"/>\n" \
  "   </Representation>\n" \
  "  </AdaptationSet>\n" \
  "  <AdaptationSet contentType=\"audio\" lang=\"en\">\n" \
  "   <Representation id=\"2\" mimeType=\"audio/mp4\" codecs=\"mp4a.40.2\"" \
  " bandwidth=\"48000\" audioSamplingRate=\"48000\">\n" \
  "    <SegmentTemplate timescale=\"1000000\" duration=\"2000000\" startNumber=\"1\"" \
  " initialization=\"init-stream$RepresentationID$.m4s\"" \
  " media=\"chunk-stream$RepresentationID$-$Number%%05d$.m4s\"/>\n" \
  "   </Representation>\n" \
  "  </AdaptationSet>\n" \
  " </Period>\n" \
  "</MPD>\n"

static char *tmp_dir;
static guint n_stores;

typedef struct {
  OfflineTestServer *server;
  char *store_path;
  char *url;
  GSubprocess *downloader;
} Fixture;

static GBytes *
fixture_bytes (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", FIXTURE, name, NULL);
  g_autoptr(GError) error = NULL;
  GMappedFile *file = g_mapped_file_new (path, FALSE, &error);
  GBytes *bytes;

  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (file);
  g_mapped_file_unref (file);
  return bytes;
}

/* Serves the presentation in @segments segments a track. */
static void
serve (Fixture *f,
       guint    segments)
{
  g_autofree char *manifest = g_strdup_printf (MANIFEST, 2 * segments);
  g_autoptr(GBytes) manifest_bytes = g_bytes_new (manifest, strlen (manifest));
  g_autofree char *name = g_strdup_printf ("store-%u", n_stores++);

  f->store_path = g_build_filename (tmp_dir, name, NULL);
  f->server = offline_test_server_new ();
  offline_test_server_add_content (f->server, "follow/manifest.mpd", manifest_bytes,
                                   "application/dash+xml");
  for (guint track = 1; track <= 2; track++) {
    g_autofree char *init = g_strdup_printf ("init-stream%u.m4s", track);
    g_autofree char *init_path = g_strdup_printf ("follow/%s", init);
    g_autoptr(GBytes) init_bytes = fixture_bytes (init);

    offline_test_server_add_content (f->server, init_path, init_bytes, NULL);
    for (guint n = 1; n <= segments; n++) {
      g_autofree char *file = g_strdup_printf ("chunk-stream%u-%05u.m4s", track, (n - 1) % 3 + 1);
      g_autofree char *path = g_strdup_printf ("follow/chunk-stream%u-%05u.m4s", track, n);
      g_autoptr(GBytes) bytes = fixture_bytes (file);

      offline_test_server_add_content (f->server, path, bytes, NULL);
    }
  }
  offline_test_server_set_rate (f->server, RATE);
  f->url = offline_test_server_get_url (f->server, "follow/manifest.mpd");
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  serve (f, SEGMENTS);
}

#define SHORT_SEGMENTS 6                /* 12 s */

static void
setup_short (Fixture       *f,
             gconstpointer  data)
{
  serve (f, SHORT_SEGMENTS);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  if (f->downloader != NULL) {
    g_subprocess_force_exit (f->downloader);
    g_subprocess_wait (f->downloader, NULL, NULL);
    g_clear_object (&f->downloader);
  }
  offline_test_server_free (f->server);
  g_free (f->store_path);
  g_free (f->url);
}

/* Starts `offlinemgr download e` in another process. */
static void
start_download (Fixture *f)
{
  const char *cli = g_getenv ("OFFLINEMGR_CLI");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cli);
  f->downloader = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, cli,
                                    "--store", f->store_path, "download", "e", "--url", f->url,
                                    NULL);
  g_assert_no_error (error);
}

/* The parts of entry "e" stored, and in all, and whether the first media
 * segment of each of its two tracks is stored (it can start playing);
 * FALSE if it is not stored yet (its index is being made). */
static gboolean
count_stored (Fixture  *f,
              guint    *done,
              guint    *total,
              gboolean *playable)
{
  g_autoptr(OfflineStoredEntry) stored = offline_stored_entry_open (f->store_path, "e", NULL);
  GArray *parts;
  guint firsts = 0;

  if (stored == NULL)
    return FALSE;
  parts = offline_stored_entry_get_parts (stored);
  *done = 0;
  *total = parts->len;
  for (guint i = 0; i < parts->len; i++) {
    const OfflineStoredPart *part = &g_array_index (parts, OfflineStoredPart, i);

    *done += part->done;
    /* media sequence numbers start at 1 in each track */
    firsts += part->done && part->kind == OFFLINE_STORED_PART_MEDIA && part->sequence == 1;
  }
  if (playable != NULL)
    *playable = firsts == 2;
  return TRUE;
}

/* Waits until the entry can start playing and has @n parts stored;
 * returns how many it has then, of *@total. */
static guint
wait_stored (Fixture *f,
             guint    n,
             guint   *total)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  gboolean playable = FALSE;
  guint done = 0;

  while (!count_stored (f, &done, total, &playable) || !playable || done < n) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (10 * 1000);
  }
  return done;
}

/* The media segments of the video track stored one after the other from
 * its first. */
static guint
stored_video_prefix (Fixture *f)
{
  g_autoptr(OfflineStoredEntry) stored = offline_stored_entry_open (f->store_path, "e", NULL);
  GPtrArray *tracks;
  guint prefix = 0;

  g_assert_nonnull (stored);
  tracks = offline_entry_get_tracks (offline_stored_entry_get_entry (stored));
  for (guint t = 0; t < tracks->len; t++) {
    g_autoptr(GPtrArray) parts = NULL;

    if (offline_track_get_track_type (g_ptr_array_index (tracks, t)) != OFFLINE_TRACK_TYPE_VIDEO)
      continue;
    parts = offline_stored_entry_get_track_parts (stored, t);
    for (guint i = 0; i < parts->len; i++) {
      const OfflineStoredPart *part = g_ptr_array_index (parts, i);

      if (!part->done)
        break;
      prefix += part->kind == OFFLINE_STORED_PART_MEDIA;
    }
  }
  return prefix;
}

typedef struct {
  guint waiting;                /* BUFFERING under 100 % */
  guint resumed;                /* BUFFERING 100 % */
  int warning_code;             /* OFFLINE_ERROR of the last WARNING, -1 if none */
} Seen;

/* Plays @player to its EOS (or fails), counting what it posted. */
static void
play_to_eos (GstElement *player,
             Seen       *seen)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (player);

  *seen = (Seen) { 0, 0, -1 };
  gst_element_set_state (player, GST_STATE_PLAYING);
  for (;;) {
    g_autoptr(GstMessage) message =
      gst_bus_timed_pop_filtered (bus, OFFLINE_TEST_GST_TIMEOUT,
                                  GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING |
                                  GST_MESSAGE_BUFFERING);
    int percent;

    if (message == NULL || GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS ||
        GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
      offline_test_assert_eos (message);
      return;
    }
    if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_WARNING) {
      const GstStructure *details = NULL;

      gst_message_parse_warning_details (message, &details);
      if (details != NULL)
        gst_structure_get_int (details, "offline-error-code", &seen->warning_code);
      continue;
    }
    gst_message_parse_buffering (message, &percent);
    if (percent < 100)
      seen->waiting++;
    else
      seen->resumed++;
  }
}

static void
source_setup (GstElement *player,
              GstElement *source,
              Fixture    *f)
{
  g_object_set (source, "store-path", f->store_path, NULL);
}

/* A player (offline_test_player()) of entry "e" of @f's store. */
static GstElement *
new_player (Fixture    *f,
            const char *factory,
            GstElement *video_sink,
            GstElement *audio_sink)
{
  GstElement *player = offline_test_player (factory, "e", video_sink, audio_sink);

  g_signal_connect (player, "source-setup", G_CALLBACK (source_setup), f);
  return player;
}

static GstClockTime
query_duration (GstElement *player)
{
  gint64 duration = -1;

  g_assert_true (gst_element_query_duration (player, GST_FORMAT_TIME, &duration));
  return (GstClockTime) duration;
}

/* Plays the complete entry "e" in @factory: its decoded audio into @audio. */
static void
play_complete (Fixture          *f,
               const char       *factory,
               OfflineTestAudio *audio)
{
  g_autoptr(GstElement) player = NULL;
  g_autoptr(GstMessage) message = NULL;
  int frames = 0;

  player = new_player (f, factory, offline_test_counting_sink (&frames),
                       offline_test_audio_sink (audio));
  message = offline_test_play_to_end (player);
  offline_test_assert_eos (message);
  gst_element_set_state (player, GST_STATE_NULL);
  g_assert_cmpint (frames, ==, REPEATS * FRAMES_PER_REPEAT);
}

/* How a case of test_play_while_downloading() starts. */
typedef struct {
  const char *factory;
  gboolean early;               /* before a media segment is stored (not
                                 * playable yet: offlinesrc waits to open
                                 * it), else once the first are */
} PlayCase;

static const PlayCase play_cases[] = {
  { "playbin", FALSE }, { "playbin3", FALSE }, { "playbin", TRUE }, { "playbin3", TRUE },
};

/* Waits until entry "e" is in the store (its index made), and tells
 * whether it can start playing then. */
static gboolean
wait_entry (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  gboolean playable = FALSE;
  guint done, total;

  while (!count_stored (f, &done, &total, &playable)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (10 * 1000);
  }
  return playable;
}

static void
test_play_while_downloading (Fixture       *f,
                             gconstpointer  data)
{
  const PlayCase *c = data;
  const char *factory = c->factory;
  OfflineTestChecksums expected, got;
  OfflineTestAudio audio, complete_audio;
  g_autoptr(GstElement) player = NULL;
  g_autoptr(GError) error = NULL;
  guint done = 0, total = 0, done_at_start;
  Seen seen;

  offline_test_checksums_init (&expected);
  offline_test_checksums_init (&got);
  offline_test_audio_init (&audio);
  offline_test_audio_init (&complete_audio);
  offline_test_reference_checksums (video_files, "qtdemux", tmp_dir, &expected);
  g_assert_cmpuint (expected.sums->len, ==, FRAMES_PER_REPEAT);

  if (c->early) {
    /* a second before each answer: the index is made a second before the
     * first segment is stored */
    offline_test_server_set_latency (f->server, 1000);
    start_download (f);
    g_assert_false (wait_entry (f));
    g_assert_true (count_stored (f, &done_at_start, &total, NULL));
    g_test_message ("playing from %u of %u parts stored (none playable)", done_at_start, total);
  } else {
    start_download (f);
    /* the init segments and the first segment of each track */
    done_at_start = wait_stored (f, 4, &total);
    g_test_message ("playing from %u of %u parts stored", done_at_start, total);
    g_assert_cmpuint (done_at_start * 4, <, total);
  }
  g_assert_cmpuint (total, ==, 2 * (SEGMENTS + 1));

  player = new_player (f, factory, offline_test_checksum_sink (&got),
                       offline_test_audio_sink (&audio));
  play_to_eos (player, &seen);
  g_test_message ("%u waits, %u resumptions", seen.waiting, seen.resumed);
  g_assert_cmpuint (query_duration (player), ==, DURATION);
  gst_element_set_state (player, GST_STATE_NULL);

  /* it ran ahead of the download, and waited */
  g_assert_cmpuint (seen.waiting, >, 0);
  g_assert_cmpuint (seen.resumed, >, 0);
  g_assert_cmpint (seen.warning_code, ==, -1);

  /* every frame, in order */
  g_assert_cmpuint (got.sums->len, ==, REPEATS * FRAMES_PER_REPEAT);
  for (guint i = 0; i < got.sums->len; i++) {
    if (!g_str_equal (g_ptr_array_index (got.sums, i),
                      g_ptr_array_index (expected.sums, i % FRAMES_PER_REPEAT)))
      g_error ("frame %u differs", i);
  }

  /* the download completed; played again, the same audio */
  g_assert_true (g_subprocess_wait_check (f->downloader, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (count_stored (f, &done, &total, NULL));
  g_assert_cmpuint (done, ==, total);
  play_complete (f, factory, &complete_audio);
  g_assert_cmpuint (audio.samples, ==, complete_audio.samples);
  g_assert_cmpuint (audio.samples, >=, (2 * SEGMENTS - 1) * 48000);
  g_assert_cmpstr (g_checksum_get_string (audio.pcm), ==,
                   g_checksum_get_string (complete_audio.pcm));

  offline_test_checksums_clear (&expected);
  offline_test_checksums_clear (&got);
  offline_test_audio_clear (&audio);
  offline_test_audio_clear (&complete_audio);
}

static void
test_download_paused (Fixture       *f,
                      gconstpointer  data)
{
  const char *factory = data;
  g_autoptr(GstElement) player = NULL;
  g_autoptr(GError) error = NULL;
  OfflineTestAudio audio;
  guint done = 0, total = 0;
  int frames = 0;
  Seen seen;

  offline_test_audio_init (&audio);
  start_download (f);
  wait_stored (f, 4, &total);
  player = new_player (f, factory, offline_test_counting_sink (&frames),
                       offline_test_audio_sink (&audio));
  /* prerolled: then the tool pauses the download (SIGINT) */
  gst_element_set_state (player, GST_STATE_PAUSED);
  offline_test_wait_async_done (player);
  wait_stored (f, 8, &total);
  g_subprocess_send_signal (f->downloader, SIGINT);
  g_subprocess_wait (f->downloader, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->downloader);
  g_assert_true (count_stored (f, &done, &total, NULL));
  g_assert_cmpuint (done, <, total);

  play_to_eos (player, &seen);
  gst_element_set_state (player, GST_STATE_NULL);
  g_assert_cmpint (seen.warning_code, ==, OFFLINE_ERROR_ENTRY_INCOMPLETE);
  /* it ended where what is stored ends: every frame of the video
   * segments stored from the first on (50 a segment) */
  g_test_message ("%d frames played of %d, %u parts stored", frames,
                  REPEATS * FRAMES_PER_REPEAT, done);
  g_assert_cmpint (frames, ==, 50 * stored_video_prefix (f));
  g_assert_cmpint (frames, <, REPEATS * FRAMES_PER_REPEAT);
  offline_test_audio_clear (&audio);
}

/* Played before its first segments are stored, the download then
 * paused: no part of a track will come, so the waiting offlinesrc posts
 * an ERROR (ENTRY_INCOMPLETE) instead of waiting for ever. */
static void
test_paused_before_first_segments (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GstElement) player = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  int frames = 0, percent = -1;

  /* three seconds before each answer: the index is made three seconds
   * before the first segment is stored */
  offline_test_server_set_latency (f->server, 3000);
  start_download (f);
  g_assert_false (wait_entry (f));
  player = new_player (f, "playbin", offline_test_counting_sink (&frames),
                       gst_element_factory_make ("fakesink", NULL));
  bus = gst_element_get_bus (player);
  gst_element_set_state (player, GST_STATE_PLAYING);
  /* offlinesrc waits */
  message = gst_bus_timed_pop_filtered (bus, OFFLINE_TEST_GST_TIMEOUT,
                                        GST_MESSAGE_BUFFERING | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_BUFFERING);
  gst_message_parse_buffering (message, &percent);
  g_assert_cmpint (percent, ==, 0);
  g_clear_pointer (&message, gst_message_unref);

  g_subprocess_send_signal (f->downloader, SIGINT);
  g_subprocess_wait (f->downloader, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->downloader);
  g_assert_false (wait_entry (f));

  message = gst_bus_timed_pop_filtered (bus, OFFLINE_TEST_GST_TIMEOUT,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (player, GST_STATE_NULL);
  g_assert_nonnull (message);
  described = offline_test_describe_message (message);
  g_test_message ("%s", described);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_ERROR);
  g_assert_cmpint (offline_test_offline_error_code (message), ==, OFFLINE_ERROR_ENTRY_INCOMPLETE);
  g_assert_cmpint (frames, ==, 0);
}

/* A download that fails while the entry plays: what is stored plays,
 * then an ERROR comes when a track needs a part that will not come. The
 * failure is made once playback is under way (the server answers 404 to
 * every segment requested from then on), so the frames played before it
 * are certain, whatever the machine's speed. */
static void
test_download_failed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GstElement) player = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  guint done, total;
  int frames = 0, before;

  /* slower than real time: 20 kB/s, ~40 s for the whole entry */
  offline_test_server_set_rate (f->server, 20 * 1000);
  start_download (f);
  wait_stored (f, 4, &total);
  player = new_player (f, "playbin", offline_test_counting_sink (&frames),
                       gst_element_factory_make ("fakesink", NULL));
  gst_element_set_state (player, GST_STATE_PLAYING);
  while (g_atomic_int_get (&frames) < 50) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (10 * 1000);
  }
  for (guint track = 1; track <= 2; track++) {
    for (guint n = 1; n <= SEGMENTS; n++) {
      g_autofree char *path = g_strdup_printf ("follow/chunk-stream%u-%05u.m4s", track, n);

      offline_test_server_set_path_status (f->server, path, 404);
    }
  }
  before = g_atomic_int_get (&frames);
  g_assert_true (count_stored (f, &done, &total, NULL));
  g_assert_cmpuint (done, <, total);    /* some are still to fetch: it fails */

  message = offline_test_play_to_end (player);
  gst_element_set_state (player, GST_STATE_NULL);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_ERROR);
  g_assert_cmpint (offline_test_offline_error_code (message), ==, OFFLINE_ERROR_ENTRY_INCOMPLETE);
  g_assert_false (g_subprocess_wait_check (f->downloader, NULL, &error));
  g_clear_object (&f->downloader);
  /* nothing but what was stored played */
  g_test_message ("%d frames played (%d when the download was made to fail), "
                  "%u video segments stored from the first",
                  frames, before, stored_video_prefix (f));
  g_assert_cmpint (frames, >=, before);
  g_assert_cmpint (frames, <=, 50 * stored_video_prefix (f));
  g_assert_cmpint (frames, <, REPEATS * FRAMES_PER_REPEAT);
}

/* ---- `offlinemgr play` ---- */

static void
test_cli_play (Fixture       *f,
               gconstpointer  data)
{
  const char *cli = g_getenv ("OFFLINEMGR_CLI");
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  guint done = 0, total = 0;

  /* slower than real time: 20 kB/s, ~10 s for 12 s of media */
  offline_test_server_set_rate (f->server, 20 * 1000);
  start_download (f);
  done = wait_stored (f, 4, &total);
  g_assert_cmpuint (done, <, total);
  player = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, cli, "--store", f->store_path, "play", "e", "--headless",
                             NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (player, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_true (g_subprocess_get_if_exited (player));
  g_assert_cmpint (g_subprocess_get_exit_status (player), ==, 0);
  g_assert_nonnull (strstr (out, "end of stream"));
  /* the whole entry's duration, from the start */
  g_assert_nonnull (strstr (out, "/ 0:00:12.000000000"));
  g_assert_true (g_subprocess_wait_check (f->downloader, NULL, &error));
  g_assert_no_error (error);
}

/* ---- a seek ahead, the download asked to fetch from there ---- */

/* An OfflineManager downloading entry "e" on a thread of its own. */
typedef struct {
  Fixture *f;
  GMainContext *context;
  GMainLoop *loop;
  OfflineManager *manager;      /* the thread's */
  GThread *thread;
  GError *error;                /* how the download ended, read after the join */
  double seconds;               /* for prioritize() */
  gboolean prioritized;         /* guarded by the handshake below */
  GMutex lock;
  GCond cond;
} Downloader;

static void
download_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Downloader *d = user_data;

  offline_manager_download_finish (OFFLINE_MANAGER (source), result, &d->error);
  g_main_loop_quit (d->loop);
}

static gpointer
downloader_thread (gpointer data)
{
  Downloader *d = data;
  g_autoptr(OfflineUrlProvider) provider = offline_url_provider_new ();

  g_main_context_push_thread_default (d->context);
  offline_url_provider_add (provider, "e", d->f->url, "Name", "Description", NULL);
  d->manager = g_initable_new (OFFLINE_TYPE_MANAGER, NULL, &d->error,
                               "store-path", d->f->store_path,
                               "provider", provider,
                               "max-parallel-segments", 1,
                               NULL);
  if (d->manager != NULL) {
    offline_manager_download_async (d->manager, "e", NULL, NULL, download_done, d);
    g_main_loop_run (d->loop);
    g_clear_object (&d->manager);
  }
  g_main_context_pop_thread_default (d->context);
  return NULL;
}

static gboolean
prioritize_cb (gpointer data)
{
  Downloader *d = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (offline_manager_prioritize_position (d->manager, "e", d->seconds, &error));
  g_assert_no_error (error);
  g_mutex_lock (&d->lock);
  d->prioritized = TRUE;
  g_cond_signal (&d->cond);
  g_mutex_unlock (&d->lock);
  return G_SOURCE_REMOVE;
}

/* offline_manager_prioritize_position() on the downloader's thread. */
static void
prioritize (Downloader *d,
            double      seconds)
{
  d->seconds = seconds;
  g_main_context_invoke (d->context, prioritize_cb, d);
  g_mutex_lock (&d->lock);
  while (!d->prioritized)
    g_cond_wait (&d->cond, &d->lock);
  g_mutex_unlock (&d->lock);
}

#define SEEK_SEGMENT SEGMENTS           /* the last: 58–60 s */

static void
test_seek_ahead (Fixture       *f,
                 gconstpointer  data)
{
  const char *factory = data;
  Downloader d = { .f = f };
  OfflineTestChecksums expected, got;
  g_autoptr(GstElement) player = NULL;
  guint done = 0, total = 0;
  gint64 start;
  int frames = 0;
  Seen seen;

  offline_test_checksums_init (&expected);
  offline_test_checksums_init (&got);
  offline_test_reference_checksums (video_files, "qtdemux", tmp_dir, &expected);
  /* slower: 80 kB/s, one request at a time, about 12 s in all */
  offline_test_server_set_rate (f->server, 80 * 1000);
  d.context = g_main_context_new ();
  d.loop = g_main_loop_new (d.context, FALSE);
  g_mutex_init (&d.lock);
  g_cond_init (&d.cond);
  d.thread = g_thread_new ("downloader", downloader_thread, &d);

  wait_stored (f, 4, &total);
  player = new_player (f, factory, offline_test_checksum_sink (&got),
                       offline_test_counting_sink (&frames));
  gst_element_set_state (player, GST_STATE_PAUSED);
  offline_test_wait_async_done (player);
  offline_test_checksums_clear (&got);
  offline_test_checksums_init (&got);

  /* what a player does when the user seeks ahead */
  start = g_get_monotonic_time ();
  prioritize (&d, 2.0 * (SEEK_SEGMENT - 1));
  g_assert_true (gst_element_seek_simple (player, GST_FORMAT_TIME,
                                          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                          2 * (SEEK_SEGMENT - 1) * GST_SECOND));
  offline_test_wait_async_done (player);
  g_assert_true (count_stored (f, &done, &total, NULL));
  g_test_message ("prerolled at %u s after %.2f s, %u of %u parts stored", 2 * (SEEK_SEGMENT - 1),
                  (g_get_monotonic_time () - start) / 1e6, done, total);
  /* the download did not get there by itself: about half is not stored */
  g_assert_cmpuint (done * 3, <, total * 2);

  play_to_eos (player, &seen);
  gst_element_set_state (player, GST_STATE_NULL);
  /* the last segment's frames: the fixture's third segment */
  g_assert_cmpuint (got.sums->len, ==, FRAMES_PER_REPEAT / 3);
  for (guint i = 0; i < got.sums->len; i++) {
    if (!g_str_equal (g_ptr_array_index (got.sums, i),
                      g_ptr_array_index (expected.sums, 2 * FRAMES_PER_REPEAT / 3 + i)))
      g_error ("frame %u after the seek differs", i);
  }

  g_thread_join (d.thread);
  g_assert_no_error (d.error);
  g_main_loop_unref (d.loop);
  g_main_context_unref (d.context);
  g_mutex_clear (&d.lock);
  g_cond_clear (&d.cond);
  offline_test_checksums_clear (&expected);
  offline_test_checksums_clear (&got);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("offlinesrc-follow-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (play_cases); i++) {
    g_autofree char *name = g_strconcat ("/offlinesrc-follow/",
                                         play_cases[i].early ? "before-first-segments/" : "",
                                         play_cases[i].factory, NULL);

    g_test_add (name, Fixture, &play_cases[i], setup, test_play_while_downloading, teardown);
  }
  g_test_add ("/offlinesrc-follow/paused", Fixture, "playbin", setup,
              test_download_paused, teardown);
  g_test_add ("/offlinesrc-follow/before-first-segments/paused", Fixture, NULL, setup,
              test_paused_before_first_segments, teardown);
  g_test_add ("/offlinesrc-follow/failed", Fixture, NULL, setup, test_download_failed, teardown);
  g_test_add ("/offlinesrc-follow/cli", Fixture, NULL, setup_short, test_cli_play, teardown);
  g_test_add ("/offlinesrc-follow/seek-ahead/playbin", Fixture, "playbin", setup,
              test_seek_ahead, teardown);
  g_test_add ("/offlinesrc-follow/seek-ahead/playbin3", Fixture, "playbin3", setup,
              test_seek_ahead, teardown);
  return offline_test_run_and_remove (tmp_dir, NULL);
}
