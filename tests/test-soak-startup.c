/* test-soak-startup.c: many playback start-ups on a loaded machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * 200 start-ups of playbin and 200 of playbin3 for each fixture kind
 * (DASH, HLS, progressive: stored entries played through offline://ID),
 * while two CPU hogs (child processes busy-looping at nice 19) run: each
 * goes to PAUSED (preroll), then PLAYING until a few video buffers came,
 * then NULL. None may hang: a watchdog gives each start-up 30 s, then
 * writes the pipeline's graph (a .dot file) and the stacks of every
 * thread (gdb, or what /proc tells without it) into
 * soak-startup-hangs/ of the build directory, and fails the test.
 *
 * OFFLINE_SOAK_SCALE (a number, default 1) scales the number of
 * start-ups (e.g. under a sanitizer). Two things of GStreamer 1.22 are set
 * aside, see below: playbin3's parsebin race with progressive entries
 * (worked around), and qtdemux's rare pushes before STREAM_START or
 * SEGMENT (counted, reported, not fatal).
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "offline-test-gst.h"

#define STARTUPS 200
#define WATCHDOG_S 30
#define BUFFERS_PLAYED 3        /* video buffers to see in PLAYING */
#define N_HOGS 2

/* ---- the watchdog ---- */

typedef struct {
  GMutex lock;
  GCond cond;
  GThread *thread;
  gboolean quit;
  gint64 deadline;              /* monotonic µs, 0: disarmed */
  GstElement *pipeline;         /* (owned) while armed */
  char *what;                   /* while armed */
} Watchdog;

static char *
hang_dir (void)
{
  const char *build = g_getenv ("G_TEST_BUILDDIR");
  char *dir = g_build_filename (build != NULL ? build : g_get_tmp_dir (), "soak-startup-hangs", NULL);

  g_mkdir_with_parents (dir, 0755);
  return dir;
}

/* The stacks of every thread of this process: gdb's backtraces if gdb is
 * installed, else each thread's name, state and kernel stack from /proc
 * (the stack is readable by root only). */
static char *
thread_stacks (void)
{
  g_autofree char *gdb = g_find_program_in_path ("gdb");
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDir) tasks = NULL;
  const char *task;

  if (gdb != NULL) {
    const char *argv[] = { gdb, "-batch", "-nx", "-p", pid, "-ex", "thread apply all bt", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;

    /* let a child attach (Yama's ptrace_scope 1) */
    prctl (PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
    if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, NULL,
                      &error))
      g_string_append_printf (text, "%s\n%s\n", out, err);
    else
      g_string_append_printf (text, "gdb failed: %s\n", error->message);
  } else {
    g_string_append (text, "(no gdb: the threads as /proc shows them)\n");
  }

  tasks = g_dir_open ("/proc/self/task", 0, NULL);
  while (tasks != NULL && (task = g_dir_read_name (tasks)) != NULL) {
    static const char *const files[] = { "comm", "wchan", "stat", "stack" };

    g_string_append_printf (text, "--- task %s\n", task);
    for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
      g_autofree char *path = g_build_filename ("/proc/self/task", task, files[i], NULL);
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL))
        g_string_append_printf (text, "%s: %s\n", files[i], g_strchomp (contents));
      else
        g_string_append_printf (text, "%s: (not readable)\n", files[i]);
    }
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The watchdog's thread: on a start-up over its time, writes what it
 * knows and aborts the test. */
static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *w = data;

  g_mutex_lock (&w->lock);
  while (!w->quit) {
    if (w->deadline == 0) {
      g_cond_wait (&w->cond, &w->lock);
    } else if (!g_cond_wait_until (&w->cond, &w->lock, w->deadline) &&
               w->deadline != 0 && g_get_monotonic_time () >= w->deadline) {
      g_autofree char *dir = hang_dir ();
      g_autofree char *name = g_strdelimit (g_strdup (w->what), " /#", '-');
      g_autofree char *dot_path = g_strdup_printf ("%s/%s.dot", dir, name);
      g_autofree char *stacks_path = g_strdup_printf ("%s/%s.stacks.txt", dir, name);
      g_autofree char *dot = gst_debug_bin_to_dot_data (GST_BIN (w->pipeline),
                                                        GST_DEBUG_GRAPH_SHOW_ALL);
      g_autofree char *stacks = thread_stacks ();

      g_file_set_contents (dot_path, dot, -1, NULL);
      g_file_set_contents (stacks_path, stacks, -1, NULL);
      g_printerr ("# %s hung (more than %d s): graph in %s, stacks in %s\n%s\n",
                  w->what, WATCHDOG_S, dot_path, stacks_path, stacks);
      g_error ("%s hung (more than %d s): see %s and %s", w->what, WATCHDOG_S, dot_path,
               stacks_path);
    }
  }
  g_mutex_unlock (&w->lock);
  return NULL;
}

static void
watchdog_start (Watchdog *w)
{
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->thread = g_thread_new ("soak-watchdog", watchdog_thread, w);
}

static void
watchdog_stop (Watchdog *w)
{
  g_mutex_lock (&w->lock);
  w->quit = TRUE;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
}

static void
watchdog_arm (Watchdog   *w,
              GstElement *pipeline,
              const char *what)
{
  g_mutex_lock (&w->lock);
  w->pipeline = gst_object_ref (pipeline);
  w->what = g_strdup (what);
  w->deadline = g_get_monotonic_time () + WATCHDOG_S * G_USEC_PER_SEC;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->lock);
}

static void
watchdog_disarm (Watchdog *w)
{
  g_mutex_lock (&w->lock);
  w->deadline = 0;
  gst_clear_object (&w->pipeline);
  g_clear_pointer (&w->what, g_free);
  g_mutex_unlock (&w->lock);
}

/* ---- CPU hogs ---- */

static void
hog_setup (gpointer data)
{
  /* dies with the test, however it ends */
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

static GPid
hog_start (void)
{
  const char *argv[] = { "nice", "-n", "19", "sh", "-c", "while :; do :; done", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 hog_setup, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static void
hog_stop (GPid pid)
{
  int status;

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
}

/* ---- start-ups ---- */

typedef struct {
  const char *kind;             /* the entry id too */
  const char *factory;
} Case;

static Watchdog watchdog;
static double soak_scale = 1.0;

/* One start-up: PAUSED (preroll), PLAYING until BUFFERS_PLAYED video
 * buffers came (or EOS), NULL. Returns how long it took, in µs. */
static gint64
start_up (const Case *c,
          guint       n)
{
  g_autofree char *what = g_strdup_printf ("%s %s #%u", c->factory, c->kind, n);
  int frames = 0, audio = 0;
  GstElement *player = offline_test_player (c->factory, c->kind,
                                            offline_test_counting_sink (&frames),
                                            offline_test_counting_sink (&audio));
  g_autoptr(GstBus) bus = gst_element_get_bus (player);
  gint64 start = g_get_monotonic_time ();
  gboolean eos = FALSE;

  /* playbin3 1.22 parses a progressive entry (as a file://) with a
   * parsebin, whose races with decodebin3 stall preroll now and then
   * (once in 1200 start-ups here; offline-test-gst.c saw them with file://
   * too): worked around as the other progressive tests do, so that a hang
   * found is offlinesrc's */
  if (g_str_equal (c->kind, "progressive"))
    offline_test_order_collection (player);
  watchdog_arm (&watchdog, player, what);
  gst_element_set_state (player, GST_STATE_PAUSED);
  {
    /* (the watchdog fires long before this times out) */
    g_autoptr(GstMessage) message =
      gst_bus_timed_pop_filtered (bus, 2 * WATCHDOG_S * GST_SECOND,
                                  GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
    if (message == NULL || GST_MESSAGE_TYPE (message) != GST_MESSAGE_ASYNC_DONE) {
      g_autofree char *text = offline_test_describe_message (message);

      g_error ("%s: no preroll: %s", what, text);
    }
  }
  gint64 t_preroll = g_get_monotonic_time ();
  gst_element_set_state (player, GST_STATE_PLAYING);
  while (g_atomic_int_get (&frames) < BUFFERS_PLAYED && !eos) {
    g_autoptr(GstMessage) message =
      gst_bus_timed_pop_filtered (bus, 20 * GST_MSECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

    if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
      g_autofree char *text = offline_test_describe_message (message);

      g_error ("%s: %s", what, text);
    }
    eos = message != NULL;
  }
  gint64 t_played = g_get_monotonic_time ();
  g_assert_cmpint (gst_element_set_state (player, GST_STATE_NULL), ==, GST_STATE_CHANGE_SUCCESS);
  if (g_get_monotonic_time () - start > G_USEC_PER_SEC)
    g_test_message ("over 1 s: %s: preroll %" G_GINT64_FORMAT " ms, play %" G_GINT64_FORMAT " ms, null %" G_GINT64_FORMAT " ms", what,
                    (t_preroll - start) / 1000, (t_played - t_preroll) / 1000, (g_get_monotonic_time () - t_played) / 1000);
  watchdog_disarm (&watchdog);
  gst_object_unref (player);
  g_assert_cmpint (g_atomic_int_get (&frames), >=, eos ? 1 : BUFFERS_PLAYED);
  return g_get_monotonic_time () - start;
}

static void
test_startups (gconstpointer data)
{
  const Case *c = data;
  guint n = MAX (1, (guint) (STARTUPS * soak_scale));
  gint64 slowest = 0, total = 0;
  GPid hogs[N_HOGS];

  /* GStreamer 1.22's qtdemux, inside offlinesrc, now and then pushes a
   * buffer on a source pad that holds no STREAM_START or no SEGMENT
   * ("<qtdemuxN:video_0> Got data flow before stream-start event", or
   * "… before segment event"): with playbin and DASH or HLS entries, more
   * often the more loaded the machine (from none in 1200 start-ups to a few
   * in 200). Not a hang, and the start-up still prerolls and plays: these
   * warnings are counted and reported, not fatal (their cause is not found
   * yet; offline_test_tolerate_qtdemux_data_warnings()). Every other
   * warning or critical still fails the test. */
  offline_test_tolerate_qtdemux_data_warnings ();
  for (guint i = 0; i < N_HOGS; i++)
    hogs[i] = hog_start ();
  for (guint i = 0; i < n; i++) {
    gint64 took = start_up (c, i);

    slowest = MAX (slowest, took);
    total += took;
  }
  for (guint i = 0; i < N_HOGS; i++)
    hog_stop (hogs[i]);
  g_test_message ("%u start-ups of %s with %s, %d CPU hogs: %.1f ms on average, the slowest "
                  "%.1f ms; %u qtdemux pushes before STREAM_START or SEGMENT (so far)",
                  n, c->kind, c->factory, N_HOGS, total / 1000.0 / n, slowest / 1000.0,
                  offline_test_get_qtdemux_data_warnings ());
}

static void
store_fixtures (OfflineTestStoring *storing)
{
  offline_test_store_fixture (storing, "dash", "dash/template-number/manifest.mpd", NULL);
  offline_test_store_fixture (storing, "hls", "hls/fmp4/master.m3u8", NULL);
  offline_test_store_fixture (storing, "progressive", "progressive/clip.mp4", NULL);
}

int
main (int    argc,
      char **argv)
{
  static const Case cases[] = {
    { "dash", "playbin" },
    { "dash", "playbin3" },
    { "hls", "playbin" },
    { "hls", "playbin3" },
    { "progressive", "playbin" },
    { "progressive", "playbin3" },
  };
  g_autofree char *store_path = NULL;
  char *dir = offline_test_init_with_store (&argc, &argv, "offlinemgr-soak-startup-XXXXXX",
                                            store_fixtures, &store_path);
  const char *scale = g_getenv ("OFFLINE_SOAK_SCALE");
  int ret;

  if (scale != NULL)
    soak_scale = g_ascii_strtod (scale, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *path = g_strdup_printf ("/soak/startup/%s/%s", cases[i].factory, cases[i].kind);

    g_test_add_data_func (path, &cases[i], test_startups);
  }
  watchdog_start (&watchdog);
  ret = offline_test_run_and_remove (dir, g_steal_pointer (&store_path));
  watchdog_stop (&watchdog);
  return ret;
}
