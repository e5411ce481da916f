/* offline-test-gst.h: helpers shared by the GStreamer element tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "offline.h"
#include "offline-test-license.h"
#include "offline-test-server.h"

G_BEGIN_DECLS

/* How long a pipeline may take to reach EOS or ERROR before the test fails. */
#define OFFLINE_TEST_GST_TIMEOUT (60 * GST_SECOND)

/* Counts the buffers the fakesink @sink (with signal-handoffs=true) gets
 * in *@count (atomically: it runs in a streaming thread). */
void offline_test_count_buffers (GstElement *sink,
                                 int        *count);

/* A new fakesink (sync=false) counting its buffers in *@count. */
GstElement *offline_test_counting_sink (int *count);

/* Sets @pipeline PLAYING and returns its EOS or ERROR message, or NULL
 * after OFFLINE_TEST_GST_TIMEOUT. */
GstMessage *offline_test_play_to_end (GstElement *pipeline);

/* Waits for the ASYNC_DONE of a state change or flushing seek of
 * @pipeline; fails the test on an ERROR or after OFFLINE_TEST_GST_TIMEOUT. */
void offline_test_wait_async_done (GstElement *pipeline);

/* "EOS", "ERROR from …: …" or "timeout" for @message (nullable). */
char *offline_test_describe_message (GstMessage *message);

/* Fails the test, naming what came instead, unless @message is EOS. */
void offline_test_assert_eos (GstMessage *message);

/* The OFFLINE_ERROR code an ERROR message's details carry, -1 if none. */
int offline_test_offline_error_code (GstMessage *message);

/* Works around a race of GStreamer 1.22's playbin3 (parsebin in
 * urisourcebin, then decodebin3), for @player, a playbin3 (or any bin
 * holding a parsebin): see offline-test-gst.c. Harmless for playbin. */
void offline_test_order_collection (GstElement *player);

/* ---- playing stored entries ---- */

/* A playbin for offline://@id with these sinks (floating references, taken),
 * its text flag off: no subtitles drawn into the video frames. */
GstElement *offline_test_playbin (const char *id,
                                  GstElement *video_sink,
                                  GstElement *audio_sink);

/* The same in @factory (playbin or playbin3). */
GstElement *offline_test_player (const char *factory,
                                 const char *id,
                                 GstElement *video_sink,
                                 GstElement *audio_sink);

/* Plays offline://@id in playbin: asserts an ERROR (a GST_RESOURCE_ERROR)
 * with OFFLINE_ERROR @code in its details. */
void offline_test_assert_play_fails (const char *id,
                                     int         code);

/* The resources of entry @id in the store at @store_path (element-type
 * OfflineStoredPart), sorted by track, then sequence; its entry in
 * *@entry_out unless that is NULL. */
GArray *offline_test_stored_resources (const char    *store_path,
                                       const char    *id,
                                       OfflineEntry **entry_out);

/* The path of the file of resource @resource_id of entry @id. */
char *offline_test_resource_path (const char *store_path,
                                  const char *id,
                                  gint64      resource_id);

/* ---- frame-exact playback ---- */

/* Checksums of decoded video frames, in the order they came. */
typedef struct {
  GMutex lock;
  GPtrArray *sums;              /* (element-type utf8) "WxH SHA-1" of each
                                 * frame; guarded by @lock: a streaming
                                 * thread adds them */
} OfflineTestChecksums;

void offline_test_checksums_init (OfflineTestChecksums *c);
void offline_test_checksums_clear (OfflineTestChecksums *c);

/* "WxH SHA-1" of the visible pixels of raw video frame @buffer of @caps
 * (row by row, so strides and padding do not matter). */
char *offline_test_frame_checksum (GstBuffer *buffer,
                                   GstCaps   *caps);

/* A video sink bin (floating): converts to I420 and checksums every
 * frame it renders into @c. */
GstElement *offline_test_checksum_sink (OfflineTestChecksums *c);

/* The checksums of the frames of @files (NULL terminated, under
 * tests/data) concatenated and decoded with "@demuxer ! h264parse !
 * avdec_h264" (through a temporary file in @dir), into @c. */
void offline_test_reference_checksums (const char *const    *files,
                                       const char           *demuxer,
                                       const char           *dir,
                                       OfflineTestChecksums *c);

/* Plays offline://@id in playbin to EOS (with @audio_sink, floating,
 * taken) and asserts that it decodes @n_frames video frames, each the
 * same (by checksum of its I420 pixels) as the frame of the reference:
 * the concatenation of @files (NULL terminated, under tests/data)
 * decoded with "@demuxer ! h264parse ! avdec_h264", written to a
 * temporary file in @dir; and that the position at EOS is the duration
 * (give or take a frame of tests/data's 25 fps). Returns that duration. */
gint64 offline_test_assert_frames (const char        *id,
                                   const char *const *files,
                                   const char        *demuxer,
                                   const char        *dir,
                                   guint              n_frames,
                                   GstElement        *audio_sink);

/* ---- whole decoded audio ---- */

/* The decoded audio of one stream, as F32LE interleaved: a checksum of
 * all its samples and their count. Guarded by @lock (a streaming thread
 * adds to it). */
typedef struct {
  GMutex lock;
  GChecksum *pcm;
  guint64 samples;              /* per channel */
  GstClockTime end;             /* the latest PTS + duration of a buffer, or NONE */
  GByteArray *kept;             /* (nullable) all the samples too, if set (by
                                 * offline_test_audio_keep()) before playing */
  int channels;                 /* of the samples kept */
} OfflineTestAudio;

void offline_test_audio_init (OfflineTestAudio *a);
void offline_test_audio_clear (OfflineTestAudio *a);
/* Keeps the samples themselves too (in @a->kept), not only their checksum. */
void offline_test_audio_keep (OfflineTestAudio *a);
/* Back to no sample. */
void offline_test_audio_reset (OfflineTestAudio *a);

/* An audio sink bin (floating) adding all it renders to @a: converted to
 * float samples, so that no conversion dithers. */
GstElement *offline_test_audio_sink (OfflineTestAudio *a);

/* ---- a store of downloaded fixtures, for main() ---- */

/* What an OfflineTestStoreFunc stores with: the running test server, and
 * the provider and manager of the store at @store_path. */
typedef struct {
  OfflineTestServer *server;
  OfflineUrlProvider *provider;
  OfflineManager *manager;
  const char *store_path;
} OfflineTestStoring;

/* Stores a test program's entries, with offline_test_store_fixture(). */
typedef void (*OfflineTestStoreFunc) (OfflineTestStoring *storing);

/* Downloads tests/data/@path from the server as entry @id, with the
 * download option @language (nullable); asserts that it completes. */
void offline_test_store_fixture (OfflineTestStoring *storing,
                                 const char         *id,
                                 const char         *path,
                                 const char         *language);

/* Serves tests/data/dash/@scheme/manifest.mpd (cenc or cbcs) as
 * dash/@scheme/@id.mpd, naming @license's server (and, if @no_pssh, its
 * init segments without a pssh), and downloads it as entry @id. */
void offline_test_store_protected (OfflineTestStoring *storing,
                                   OfflineTestLicense *license,
                                   const char         *id,
                                   const char         *scheme,
                                   gboolean            no_pssh);

/* Downloads tests/data/@path as entry @id while the resource @missing
 * keeps failing (503, retry after a minute), and pauses it once
 * @n_stored resources are stored (all but @missing): a PAUSED entry. */
void offline_test_store_paused (OfflineTestStoring *storing,
                                const char         *id,
                                const char         *path,
                                const char         *missing,
                                guint               n_stored);

/* For the start of main(): g_test_init() and gst_init(), then a
 * temporary directory (from the g_dir_make_tmp() template @tmpl) and a
 * store in it that @store_func fills from a new test server. The server
 * then stops and the store is closed, and OFFLINEMGR_STORE names it:
 * everything plays with no network and no writer. Returns the directory;
 * *@store_path gets the store's path (give both to
 * offline_test_run_and_remove()). */
char *offline_test_init_with_store (int                   *argc,
                                    char                ***argv,
                                    const char            *tmpl,
                                    OfflineTestStoreFunc   store_func,
                                    char                 **store_path);

/* For the end of main(): g_test_run(), then removes @dir (made by
 * offline_test_init_with_store()) and everything below it, and frees @dir and
 * @store_path. Returns what g_test_run() returned. */
int offline_test_run_and_remove (char *dir,
                                 char *store_path);

/* A GAsyncReadyCallback that puts a reference to the result in
 * *(GAsyncResult **) @user_data. */
void offline_test_result_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

/* Iterates the default main context until *@slot is set (by
 * offline_test_result_cb()); fails the test after 60 s. */
void offline_test_wait_result (GAsyncResult **slot);

/* GStreamer 1.22's qtdemux, inside offlinesrc, now and then pushes a
 * buffer on a source pad that holds no STREAM_START or no SEGMENT ("…
 * Got data flow before stream-start event", docs/reliability.md, "Known
 * and left open"): whether (@domain, @message) is that warning. */
gboolean offline_test_is_qtdemux_data_warning (const char *domain,
                                               const char *message);
/* Lets that warning through in the running test (reported with
 * g_test_message(), not fatal); any other warning still fails it. To be
 * called at the start of each test that needs it (GLib resets it at each
 * test). */
void offline_test_tolerate_qtdemux_data_warnings (void);
/* How many were let through in this process so far. */
guint offline_test_get_qtdemux_data_warnings (void);

G_END_DECLS
