/* test-offlinesrc-playback.c: what offlinesrc plays, checked frame by
 * frame against the original segments, plus languages, text pads, the
 * fixture kinds and the damaged / incomplete entries
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Like test-offlinesrc.c, main() downloads the fixtures through the
 * library from the real test server into a temporary store (one entry is
 * paused mid-way on purpose), stops the server, and points
 * OFFLINEMGR_STORE at the store: everything then plays with no server.
 *
 * This program links the shared library, like an application: the plugin
 * uses it too, so there is one copy of its types in the process.
 */
#include "config.h"

#include <unistd.h>

#include <gst/gst.h>
#include <gst/tag/tag.h>

#include "offline.h"
#include "offline-stored-entry.h"
#include "offline-test-gst.h"
#include "offline-test-server.h"

#define FRAMES 150                      /* 6 s at 25 fps, see tests/data/README.md */
#define FRAMES_PER_SEGMENT 50           /* 2 s segments */
#define DURATION (6 * GST_SECOND)
#define FRAME (GST_SECOND / 25)

/* The entries stored by main(): id → fixture (and language). */
static const struct {
  const char *id;
  const char *path;
  const char *language;
} fixtures[] = {
  { "dash-template", "dash/template-number/manifest.mpd", NULL },
  { "dash-template-es", "dash/template-number/manifest.mpd", "es" },
  { "hls-fmp4", "hls/fmp4/master.m3u8", NULL },
  { "hls-muxed", "hls/muxed/master.m3u8", NULL },
  { "dash-template-timeline", "dash/template-timeline/manifest.mpd", NULL },
  { "dash-segment-list", "dash/segment-list/manifest.mpd", NULL },
  { "dash-segment-list-range", "dash/segment-list-range/manifest.mpd", NULL },
  { "dash-segment-base", "dash/segment-base/manifest.mpd", NULL },
  { "hls-byterange", "hls/byterange/master.m3u8", NULL },
  { "hls-byterange-fmp4", "hls/byterange-fmp4/master.m3u8", NULL },
  { "dash-multi-period", "dash/multi-period/manifest.mpd", NULL },
  { "removed", "dash/template-timeline/manifest.mpd", NULL },
  { "truncated", "dash/template-timeline/manifest.mpd", NULL },
};

/* Paused by main() with all but its last video segment stored. */
#define PAUSED_ID "paused"
#define PAUSED_PATH "dash/template-timeline/manifest.mpd"
#define PAUSED_MISSING "dash/template-timeline/chunk-0-51200.m4s"   /* video, 3rd segment */

/* Set once by main() before the tests run, then read-only. */
static char *store_path;
static char *tmp_dir;

/* ---- helpers ---- */

/* The index of the entry's (only) video track. */
static guint
video_track_index (OfflineEntry *entry)
{
  GPtrArray *tracks = offline_entry_get_tracks (entry);
  guint found = G_MAXUINT;

  for (guint i = 0; i < tracks->len; i++) {
    if (offline_track_get_track_type (g_ptr_array_index (tracks, i)) == OFFLINE_TRACK_TYPE_VIDEO) {
      g_assert_cmpuint (found, ==, G_MAXUINT);
      found = i;
    }
  }
  g_assert_cmpuint (found, !=, G_MAXUINT);
  return found;
}

/* ---- 1. frame-exact playback ---- */

typedef struct {
  const char *id;
  const char *video_id;         /* the stored video track's id, NULL: not checked */
  guint width;                  /* … and its width */
  const char *demuxer;
  const char *files[5];         /* the same track's files in tests/data, init first */
} FrameCase;

static const FrameCase frame_cases[] = {
  { "dash-template", "1", 160, "qtdemux",
    { "dash/template-number/init-stream1.m4s", "dash/template-number/chunk-stream1-00001.m4s",
      "dash/template-number/chunk-stream1-00002.m4s", "dash/template-number/chunk-stream1-00003.m4s",
      NULL } },
  { "hls-fmp4", NULL, 160, "qtdemux",
    { "hls/fmp4/video_160x90/init_1.mp4", "hls/fmp4/video_160x90/seg_000.m4s",
      "hls/fmp4/video_160x90/seg_001.m4s", "hls/fmp4/video_160x90/seg_002.m4s", NULL } },
  { "hls-muxed", NULL, 160, "tsdemux",
    { "hls/muxed/stream_160x90_000.ts", "hls/muxed/stream_160x90_001.ts",
      "hls/muxed/stream_160x90_002.ts", NULL } },
};

static void
test_frames (gconstpointer data)
{
  const FrameCase *fc = data;
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GArray) resources = offline_test_stored_resources (store_path, fc->id, &entry);
  OfflineTrack *video;

  /* the default selection stored the lowest video rendition */
  video = g_ptr_array_index (offline_entry_get_tracks (entry), video_track_index (entry));
  g_assert_cmpuint (offline_track_get_width (video), ==, fc->width);
  if (fc->video_id != NULL)
    g_assert_cmpstr (offline_track_get_id (video), ==, fc->video_id);

  offline_test_assert_frames (fc->id, fc->files, fc->demuxer, tmp_dir, FRAMES,
                              gst_element_factory_make ("fakesink", NULL));
}

/* ---- 2. the selected audio language plays ---- */

typedef struct {
  const char *id;
  const char *language;         /* ISO 639-1 */
  double frequency;             /* Hz */
} LanguageCase;

static const LanguageCase language_cases[] = {
  { "dash-template-es", "es", 660 },
  { "dash-template", "en", 440 },   /* the control */
};

typedef struct {
  guint64 samples;              /* S16 mono samples seen */
  guint64 counted;              /* … of which counted (after the priming) */
  guint64 crossings;            /* upward zero crossings among them */
  int sign;                     /* of the last sample beyond ±THRESHOLD */
} ZeroCrossings;

#define THRESHOLD 1000          /* hysteresis: noise near 0 is no crossing */

#define SKIP_SAMPLES 4800       /* 0.1 s: the AAC priming is near-silence */

static void
count_crossings (GstElement *sink,
                 GstBuffer  *buffer,
                 GstPad     *pad,
                 gpointer    user_data)
{
  ZeroCrossings *z = user_data;
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  for (gsize i = 0; i + 1 < map.size; i += 2) {
    gint16 sample = GST_READ_UINT16_LE (map.data + i);

    int sign = sample > THRESHOLD ? 1 : sample < -THRESHOLD ? -1 : 0;

    if (z->samples++ >= SKIP_SAMPLES) {
      z->counted++;
      if (z->sign < 0 && sign > 0)
        z->crossings++;
    }
    if (sign != 0)
      z->sign = sign;
  }
  gst_buffer_unmap (buffer, &map);
}

/* The ISO 639-1 language code in @tags, NULL if none. */
static const char *
language_in (GstTagList *tags)
{
  g_autofree char *code = NULL;

  if (tags == NULL || !gst_tag_list_get_string (tags, GST_TAG_LANGUAGE_CODE, &code))
    return NULL;
  return gst_tag_get_language_code_iso_639_1 (code);
}

static void
test_language (gconstpointer data)
{
  const LanguageCase *lc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) playbin = NULL;
  g_autoptr(GstElement) audio_sink = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GstTagList) tags = NULL;
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GstEvent) event = NULL;
  GstTagList *pad_tags = NULL;
  ZeroCrossings z = { 0, };
  int n_audio = 0;
  double frequency;

  audio_sink = gst_parse_bin_from_description (
      "audioconvert ! audioresample ! audio/x-raw,format=S16LE,channels=1,rate=48000 ! "
      "fakesink name=asink sync=false signal-handoffs=true", TRUE, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (audio_sink);
  sink = gst_bin_get_by_name (GST_BIN (audio_sink), "asink");
  g_signal_connect (sink, "handoff", G_CALLBACK (count_crossings), &z);
  playbin = offline_test_playbin (lc->id, gst_element_factory_make ("fakesink", NULL), audio_sink);
  message = offline_test_play_to_end (playbin);
  offline_test_assert_eos (message);

  /* one audio stream, which the source's audio pad tags with the
   * language… */
  g_object_get (playbin, "n-audio", &n_audio, "source", &source, NULL);
  g_assert_cmpint (n_audio, ==, 1);
  g_assert_nonnull (source);
  pad = gst_element_get_static_pad (source, "audio_0");
  g_assert_nonnull (pad);
  event = gst_pad_get_sticky_event (pad, GST_EVENT_TAG, 0);
  g_assert_nonnull (event);
  gst_event_parse_tag (event, &pad_tags);
  g_assert_cmpstr (language_in (pad_tags), ==, lc->language);
  g_assert_null (gst_element_get_static_pad (source, "audio_1"));

  /* … and that reaches the application as the stream's tags */
  g_signal_emit_by_name (playbin, "get-audio-tags", 0, &tags);
  g_assert_nonnull (tags);
  g_assert_cmpstr (language_in (tags), ==, lc->language);
  gst_element_set_state (playbin, GST_STATE_NULL);

  /* the decoded audio is that language's tone: 282 × 1024 samples */
  g_assert_cmpuint (z.samples, >=, 282 * 1024 - 1024);
  g_assert_cmpuint (z.samples, <=, 282 * 1024 + 1024);
  frequency = z.crossings / (z.counted / 48000.0);
  g_test_message ("%s: %" G_GUINT64_FORMAT " samples, %.1f Hz", lc->id, z.samples, frequency);
  g_assert_cmpfloat (ABS (frequency - lc->frequency), <, 15);
}

/* ---- 3. text tracks appear as pads ---- */

typedef struct {
  GstElement *pipeline;
  GPtrArray *pads;              /* (element-type utf8) "NAME CAPS-NAME" */
  gboolean no_more_pads;
} PadLog;

static void
pad_added (GstElement *src,
           GstPad     *pad,
           gpointer    user_data)
{
  PadLog *log = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstPad) sinkpad = NULL;
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_assert_nonnull (caps);
  g_ptr_array_add (log->pads, g_strdup_printf ("%s %s", GST_PAD_NAME (pad),
                                               gst_structure_get_name (gst_caps_get_structure (caps, 0))));
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (log->pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
  gst_element_sync_state_with_parent (sink);
}

static void
no_more_pads (GstElement *src,
              gpointer    user_data)
{
  g_atomic_int_set (&((PadLog *) user_data)->no_more_pads, TRUE);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static void
test_text_pads (void)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("offlinesrc", NULL);
  g_autoptr(GstMessage) message = NULL;
  g_autofree char *joined = NULL;
  PadLog log = { pipeline, g_ptr_array_new_with_free_func (g_free), FALSE };

  g_assert_nonnull (src);
  g_object_set (src, "entry-id", "dash-template", "store-path", store_path, NULL);
  g_signal_connect (src, "pad-added", G_CALLBACK (pad_added), &log);
  g_signal_connect (src, "no-more-pads", G_CALLBACK (no_more_pads), &log);
  gst_bin_add (GST_BIN (pipeline), src);
  message = offline_test_play_to_end (pipeline);
  offline_test_assert_eos (message);
  /* the pads come as their streams' caps are found, in their streaming
   * threads: the pipeline may reach EOS with the streams it has before
   * the last pad (and no-more-pads) came */
  for (int i = 0; i < 500 && !g_atomic_int_get (&log.no_more_pads); i++)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_assert_true (g_atomic_int_get (&log.no_more_pads));
  g_ptr_array_sort (log.pads, compare_strings);
  g_ptr_array_add (log.pads, NULL);
  joined = g_strjoinv (", ", (char **) log.pads->pdata);
  /* the default selection stores both subtitle languages; the pads carry
   * the demuxed streams (WebVTT as stored) */
  g_assert_cmpstr (joined, ==, "audio_0 audio/mpeg, text_0 application/x-subtitle-vtt, "
                   "text_1 application/x-subtitle-vtt, video_0 video/x-h264");
  g_ptr_array_unref (log.pads);
}

/* ---- 4. errors ---- */

/* The entry's whole directory is gone (entries/N). */
static void
test_removed_directory (void)
{
  g_autoptr(GArray) resources = offline_test_stored_resources (store_path, "removed", NULL);
  g_autofree char *path = offline_test_resource_path (store_path, "removed", g_array_index (resources, OfflineStoredPart, 0).id);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *entries = g_path_get_dirname (dir);
  g_autofree char *base = g_path_get_basename (entries);
  const char *argv_rm[] = { "rm", "-rf", dir, NULL };
  int status = -1;

  g_assert_cmpstr (base, ==, "entries");
  g_assert_true (g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  offline_test_assert_play_fails ("removed", OFFLINE_ERROR_ENTRY_DAMAGED);
}

/* One media segment file (the video's second) lost its second half. */
static void
test_truncated_file (void)
{
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GArray) resources = offline_test_stored_resources (store_path, "truncated", &entry);
  guint video = video_track_index (entry);
  g_autofree char *path = NULL;

  for (guint i = 0; i < resources->len; i++) {
    OfflineStoredPart *resource = &g_array_index (resources, OfflineStoredPart, i);

    if (resource->track_index == video && resource->sequence == 2) {
      g_assert_true (resource->done);
      path = offline_test_resource_path (store_path, "truncated", resource->id);
      g_assert_cmpint (truncate (path, resource->size / 2), ==, 0);
    }
  }
  g_assert_nonnull (path);
  offline_test_assert_play_fails ("truncated", OFFLINE_ERROR_ENTRY_DAMAGED);
}

/* The paused entry plays the contiguous stored prefix of each track. */
static void
test_paused_entry (void)
{
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GArray) resources = offline_test_stored_resources (store_path, PAUSED_ID, &entry);
  GPtrArray *tracks = offline_entry_get_tracks (entry);
  guint video = video_track_index (entry);
  g_autofree guint *prefix = g_new0 (guint, tracks->len);   /* stored media segments */
  g_autofree gboolean *gap = g_new0 (gboolean, tracks->len);
  g_autoptr(GstElement) playbin = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GString) layout = g_string_new (NULL);
  guint shortest = G_MAXUINT;
  int frames = 0, audio = 0;
  gint64 duration = -1, position = -1;

  g_assert_cmpint (offline_entry_get_state (entry), ==, OFFLINE_DOWNLOAD_STATE_PAUSED);
  for (guint i = 0; i < resources->len; i++) {
    OfflineStoredPart *resource = &g_array_index (resources, OfflineStoredPart, i);

    g_string_append_printf (layout, " %u.%u%s", resource->track_index, resource->sequence,
                            resource->done ? "+" : "-");
    if (!resource->done)
      gap[resource->track_index] = TRUE;
    else if (!gap[resource->track_index] && resource->kind != OFFLINE_STORED_PART_INIT)
      prefix[resource->track_index]++;
  }
  for (guint i = 0; i < tracks->len; i++)
    shortest = MIN (shortest, prefix[i]);
  g_test_message ("paused entry, track.sequence(+ stored):%s", layout->str);

  /* offline_test_store_paused() left out the last video segment only */
  g_assert_cmpuint (prefix[video], ==, 2);
  g_assert_cmpuint (shortest, ==, 2);

  playbin = offline_test_playbin (PAUSED_ID, offline_test_counting_sink (&frames), offline_test_counting_sink (&audio));
  message = offline_test_play_to_end (playbin);
  offline_test_assert_eos (message);
  g_assert_true (gst_element_query_duration (playbin, GST_FORMAT_TIME, &duration));
  g_assert_true (gst_element_query_position (playbin, GST_FORMAT_TIME, &position));
  gst_element_set_state (playbin, GST_STATE_NULL);

  /* the video plays its stored segments only, whole; the duration is the
   * shortest track's stored end (the segments are 2 s, audio a bit more) */
  g_test_message ("paused entry: %d frames, duration %" GST_TIME_FORMAT ", position %"
                  GST_TIME_FORMAT, frames, GST_TIME_ARGS (duration), GST_TIME_ARGS (position));
  g_assert_cmpint (frames, ==, FRAMES_PER_SEGMENT * prefix[video]);
  g_assert_cmpint (audio, >, 0);
  g_assert_cmpint (ABS (duration - (gint64) (2 * GST_SECOND * shortest)), <=, 11 * GST_MSECOND);
  if (shortest < 3)
    g_assert_cmpint (duration, <, DURATION);
  /* every track (here the longer audio too) stops at the reported duration:
   * the pads' segments have their stop there */
  g_assert_cmpint (ABS (position - duration), <=, (gint64) FRAME);
}

/* ---- 5. the fixture kinds ---- */

typedef struct {
  const char *id;
  int frames;
  GstClockTime duration;
} KindCase;

static const KindCase kind_cases[] = {
  { "dash-template-timeline", FRAMES, DURATION },
  { "dash-segment-list", FRAMES, DURATION },
  { "dash-segment-list-range", FRAMES, DURATION },
  { "dash-segment-base", FRAMES, DURATION },
  { "hls-byterange", FRAMES, DURATION },
  { "hls-byterange-fmp4", FRAMES, DURATION },
  { "dash-multi-period", 2 * FRAMES, 2 * DURATION },
};

/* Plays the kind's entry in @factory (playbin or playbin3) to EOS: its
 * duration, where it ends, its frames, some audio. */
static void
play_kind (const KindCase *kc,
           const char     *factory)
{
  int frames = 0, audio = 0;
  g_autoptr(GstElement) playbin = gst_element_factory_make (factory, NULL);
  g_autofree char *uri = g_strconcat ("offline://", kc->id, NULL);
  g_autoptr(GstMessage) message = NULL;
  gint64 duration = -1, position = -1;

  g_assert_nonnull (playbin);
  g_object_set (playbin, "uri", uri,
                "video-sink", offline_test_counting_sink (&frames),
                "audio-sink", offline_test_counting_sink (&audio), NULL);
  message = offline_test_play_to_end (playbin);
  offline_test_assert_eos (message);
  g_assert_true (gst_element_query_duration (playbin, GST_FORMAT_TIME, &duration));
  g_assert_true (gst_element_query_position (playbin, GST_FORMAT_TIME, &position));
  gst_element_set_state (playbin, GST_STATE_NULL);
  g_assert_cmpint (duration, ==, kc->duration);
  g_assert_cmpint (g_atomic_int_get (&frames), ==, kc->frames);
  g_assert_cmpint (g_atomic_int_get (&audio), >, 0);
  /* (multi-Period: the second Period's fragments restart their decode
   * time at 0; the source moves them onto the stored timeline) */
  g_assert_cmpint (ABS (position - duration), <=, FRAME);
}

static void
test_kind (gconstpointer data)
{
  play_kind (data, "playbin");
  play_kind (data, "playbin3");
}

/* ---- 6. downstream not ready when the data comes ---- */

/* playbin3 1.22 may start offlinesrc before decodebin3 is PAUSED: the
 * first data can meet one of its elements still in READY, and the push
 * returns FLUSHING though nothing flushed, or (behind a queue) the queue's
 * thread gets it and the stream stops there. Made to happen here every
 * time, while the pipeline prerolls: the first buffer of every stream is
 * refused with FLUSHING, on offlinesrc's video and audio pads, and behind
 * a queue for text (whose few buffers the queue takes at once), until
 * offlinesrc's start over flushes that pad: downstream is ready by then,
 * as decodebin3 is once PAUSED (were it not, it would refuse every
 * stream's data again, and offlinesrc would start over again). Every
 * stream starts over: the pipeline prerolls and plays every frame, once,
 * and the text streams still end after the others (they wait for them,
 * see gstofflinesrc-pads.c). */
typedef struct {
  GstElement *pipeline;
  gint refused;                 /* atomic: buffers refused */
  gint spared;                  /* atomic: streams flushed before their first buffer */
  gint frames;                  /* atomic: video buffers the sink got */
  gint pads;                    /* atomic: offlinesrc's pads */
  GMutex lock;                  /* guards the EOS ranks: */
  guint eos_count;              /* EOS events offlinesrc pushed so far */
  guint last_continuous_eos;    /* the rank of the last audio or video EOS */
  guint first_text_eos;         /* the rank of the first text EOS, 0 none */
} NotReady;

/* Refuses the first buffer (on offlinesrc's video and audio pads, on the
 * text queues' src pads) unless a flush came first (the start over
 * already flushed that pad: downstream is ready). Under ASan a text
 * queue's thread could otherwise meet its first buffer only after the
 * start over: a refusal no stream sees (the text stream pushed everything
 * and waits for the others to end, which wait for the text sink's
 * preroll), where decodebin3 would have refused the others as well. */
static GstPadProbeReturn
refuse_first_buffer (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         user_data)
{
  NotReady *not_ready = user_data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    g_atomic_int_inc (&not_ready->refused);
    gst_buffer_unref (GST_PAD_PROBE_INFO_BUFFER (info));
    GST_PAD_PROBE_INFO_FLOW_RETURN (info) = GST_FLOW_FLUSHING;
    gst_pad_remove_probe (pad, GST_PAD_PROBE_INFO_ID (info));
    return GST_PAD_PROBE_HANDLED;
  }
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_FLUSH_STOP)
    return GST_PAD_PROBE_OK;
  g_atomic_int_inc (&not_ready->spared);
  return GST_PAD_PROBE_REMOVE;
}

/* Ranks the EOS events offlinesrc's pads push. */
static GstPadProbeReturn
rank_eos (GstPad          *pad,
          GstPadProbeInfo *info,
          gpointer         user_data)
{
  NotReady *not_ready = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&not_ready->lock);
  not_ready->eos_count++;
  if (!g_str_has_prefix (GST_PAD_NAME (pad), "text"))
    not_ready->last_continuous_eos = not_ready->eos_count;
  else if (not_ready->first_text_eos == 0)
    not_ready->first_text_eos = not_ready->eos_count;
  g_mutex_unlock (&not_ready->lock);
  return GST_PAD_PROBE_OK;
}

static void
not_ready_pad_added (GstElement *src,
                     GstPad     *pad,
                     gpointer    user_data)
{
  NotReady *not_ready = user_data;
  gboolean video = g_str_has_prefix (GST_PAD_NAME (pad), "video");
  gboolean text = g_str_has_prefix (GST_PAD_NAME (pad), "text");
  /* prerolling (async) sinks: the pipeline is starting until every
   * stream's first data came */
  GstElement *sink = video ? offline_test_counting_sink (&not_ready->frames) :
    gst_element_factory_make ("fakesink", NULL);
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
  g_autoptr(GstPad) queue_sink = gst_element_get_static_pad (queue, "sink");
  g_autoptr(GstPad) queue_src = gst_element_get_static_pad (queue, "src");

  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (not_ready->pipeline), queue, sink, NULL);
  /* video and audio: offlinesrc's push gets the FLUSHING; text: a queue
   * takes its few buffers, and its thread gets the FLUSHING (as in
   * playbin3), which offlinesrc never sees */
  gst_pad_add_probe (text ? queue_src : pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
                     refuse_first_buffer, not_ready, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, rank_eos, not_ready, NULL);
  g_assert_cmpint (gst_pad_link (queue_src, sinkpad), ==, GST_PAD_LINK_OK);
  g_assert_cmpint (gst_pad_link (pad, queue_sink), ==, GST_PAD_LINK_OK);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (queue);
  g_atomic_int_inc (&not_ready->pads);
}

static void
test_downstream_not_ready (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GstElement) pipeline = NULL;
  GstElement *src;
  g_autoptr(GstMessage) message = NULL;
  NotReady not_ready = { 0 };

  /* tests/meson.build's asan setup: under ASan the start over still hangs
   * in ~1 run of 150 (see docs/reliability.md, "Known and left open") */
  if (g_getenv ("OFFLINE_TEST_SKIP_START_OVER") != NULL) {
    g_test_skip ("the start over's known race under ASan (docs/reliability.md)");
    return;
  }

  pipeline = gst_pipeline_new (NULL);
  src = gst_element_factory_make ("offlinesrc", NULL);
  not_ready.pipeline = pipeline;
  g_mutex_init (&not_ready.lock);
  g_object_set (src, "entry-id", id, "store-path", store_path, NULL);
  g_signal_connect (src, "pad-added", G_CALLBACK (not_ready_pad_added), &not_ready);
  gst_bin_add (GST_BIN (pipeline), src);
  message = offline_test_play_to_end (pipeline);
  offline_test_assert_eos (message);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  /* the first buffer of every stream, once, unless the start over came
   * first (made by another stream's refusal) */
  g_assert_cmpint (g_atomic_int_get (&not_ready.refused), >=, 1);
  g_assert_cmpint (g_atomic_int_get (&not_ready.refused) + g_atomic_int_get (&not_ready.spared), ==,
                   g_atomic_int_get (&not_ready.pads));
  g_assert_cmpint (g_atomic_int_get (&not_ready.frames), ==, FRAMES);
  if (not_ready.first_text_eos != 0)
    g_assert_cmpuint (not_ready.first_text_eos, >, not_ready.last_continuous_eos);
  g_mutex_clear (&not_ready.lock);
}

/* ---- main: the store ---- */

/* Stores the fixtures, then the paused entry. */
static void
store_fixtures (OfflineTestStoring *storing)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    offline_test_store_fixture (storing, fixtures[i].id, fixtures[i].path, fixtures[i].language);
  offline_test_store_paused (storing, PAUSED_ID, PAUSED_PATH, PAUSED_MISSING, 7);
}

int
main (int    argc,
      char **argv)
{
  tmp_dir = offline_test_init_with_store (&argc, &argv, "offlinesrc-playback-XXXXXX", store_fixtures, &store_path);

  for (guint i = 0; i < G_N_ELEMENTS (frame_cases); i++) {
    g_autofree char *name = g_strdup_printf ("/offlinesrc-playback/frames/%s", frame_cases[i].id);

    g_test_add_data_func (name, &frame_cases[i], test_frames);
  }
  for (guint i = 0; i < G_N_ELEMENTS (language_cases); i++) {
    g_autofree char *name = g_strdup_printf ("/offlinesrc-playback/language/%s", language_cases[i].id);

    g_test_add_data_func (name, &language_cases[i], test_language);
  }
  g_test_add_func ("/offlinesrc-playback/text-pads", test_text_pads);
  g_test_add_func ("/offlinesrc-playback/error/removed-directory", test_removed_directory);
  g_test_add_func ("/offlinesrc-playback/error/truncated-file", test_truncated_file);
  g_test_add_func ("/offlinesrc-playback/paused-entry", test_paused_entry);
  for (guint i = 0; i < G_N_ELEMENTS (kind_cases); i++) {
    g_autofree char *name = g_strdup_printf ("/offlinesrc-playback/kind/%s", kind_cases[i].id);

    g_test_add_data_func (name, &kind_cases[i], test_kind);
  }
  g_test_add_data_func ("/offlinesrc-playback/downstream-not-ready/dash-template",
                        "dash-template", test_downstream_not_ready);
  g_test_add_data_func ("/offlinesrc-playback/downstream-not-ready/hls-muxed",
                        "hls-muxed", test_downstream_not_ready);

  return offline_test_run_and_remove (tmp_dir, store_path);
}
