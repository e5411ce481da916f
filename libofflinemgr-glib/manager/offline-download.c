/* offline-download.c: the job that downloads one entry
 *
 * The store hands out the entry's resources in download order (by time,
 * keys and init segments first, tracks interleaved), so the playable prefix
 * grows evenly. Up to max_parallel fetches are in flight; each finished one
 * joins a batch that is committed every COMMIT_BATCH resources, every
 * TICK_MS and when the run ends, never one transaction per segment.
 *
 * A playback position can be prioritised (offline_download_prioritize()):
 * the resources are then started from the media segment that contains it
 * (or follows it) on, in download order, with the init segments and keys
 * they need from before it first, then the earlier ones, wrapping around.
 * The scan of the resources is a cursor that wraps: the run has nothing
 * left to start once it has gone all the way round, each resource skipped
 * if it is done or started already. Fetches in flight go on.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-download-private.h"
#include "offline-error.h"

#define COMMIT_BATCH 32   /* resources per transaction at the most */
#define TICK_MS 250       /* commit and progress period: ≤ 4 progress calls a second */
/* Reports (but the final one) are at least this far apart, whatever a
 * commit costs inside a tick: a slow commit delays one report, and the
 * next tick's report is then skipped rather than sent early. */
#define MIN_REPORT_INTERVAL_US (245 * 1000)

/* What the size estimate knows of one track; on the job's context. */
typedef struct {
  guint64 bandwidth;              /* bits per second, from the manifest */
  guint64 done_media_bytes;       /* sizes of its done media segments */
  GTimeSpan done_media_duration;  /* their durations */
  guint unknown_count;            /* pending resources whose size is unknown */
  guint unknown_untimed;          /* those of them without a duration (init, key) */
  GTimeSpan unknown_duration;     /* their durations */
} TrackStats;

/* One fetch in flight; on the job's context (the fetcher calls back there). */
typedef struct {
  OfflineDownload *job;           /* (owned) */
  guint index;                    /* into job->resources */
  guint64 received;               /* bytes the fetcher reported so far */
} Fetch;

struct _OfflineDownload {
  GObject parent_instance;

  /* Every field: the thread that made the job, on its main context. */
  OfflineStore *store;                   /* (owned) */
  OfflineFetcher *fetcher;               /* (owned) */
  char *entry_id;                        /* (owned) */
  guint max_parallel;                    /* fetches in flight at the most */
  OfflineDownloadProgressFunc progress;  /* (nullable) */
  gpointer progress_data;                /* (unowned) */
  GMainContext *context;                 /* (owned) where the tick runs */

  GTask *task;                           /* (owned) (nullable) the run, until it ends */
  GCancellable *cancellable;             /* (owned) (nullable) the run's */
  gulong cancelled_id;                   /* its handler, 0 if none */
  GCancellable *stop;                    /* (owned) cancels every fetch of the run */
  GSource *tick;                         /* (owned) (nullable) while running */

  GArray *resources;                     /* (element-type OfflineStoreResource) the entry's */
  GArray *tracks;                        /* (element-type TrackStats) by track index */
  guint8 *started;                       /* (owned) per resource: started in this run */
  guint scan_from;                       /* where the scan of the resources begins */
  guint scanned;                         /* resources scanned from there, wrapping */
  GArray *urgent;                        /* (element-type guint) indices to start before
                                          * the scan goes on, the next one last */
  gboolean has_position;                 /* prioritised before the run loaded */
  GTimeSpan position;                    /* that position */
  guint n_in_flight;                     /* fetches started, not finished */
  GArray *batch_ids;                     /* (element-type gint64) done, not committed */
  GArray *batch_sizes;                   /* (element-type guint64) their sizes */

  guint64 bytes_done;                    /* sizes of the done resources */
  guint64 bytes_pending_known;           /* byte-range lengths of pending resources */
  guint64 bytes_in_flight;               /* received by the fetches in flight */
  guint segments_done;                   /* done resources */
  guint segments_loaded;                 /* of them, done before the run */
  GError *error;                         /* (owned) (nullable) why the run stops */

  guint64 last_downloaded;               /* bytes downloaded last reported */
  gint64 last_report;                    /* monotonic µs of the last report, 0 if none */
  gboolean dirty;                        /* progress changed since last reported */
};

G_DEFINE_FINAL_TYPE (OfflineDownload, offline_download, G_TYPE_OBJECT)

static void
stop_tick (OfflineDownload *self)
{
  if (self->tick != NULL) {
    g_source_destroy (self->tick);
    g_clear_pointer (&self->tick, g_source_unref);
  }
}

static void
disconnect_cancellable (OfflineDownload *self)
{
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
}

static void
offline_download_dispose (GObject *object)
{
  OfflineDownload *self = OFFLINE_DOWNLOAD (object);

  stop_tick (self);
  disconnect_cancellable (self);

  G_OBJECT_CLASS (offline_download_parent_class)->dispose (object);
}

static void
offline_download_finalize (GObject *object)
{
  OfflineDownload *self = OFFLINE_DOWNLOAD (object);

  g_object_unref (self->store);
  g_object_unref (self->fetcher);
  g_free (self->entry_id);
  g_main_context_unref (self->context);
  g_clear_object (&self->task);
  g_object_unref (self->stop);
  g_clear_pointer (&self->resources, g_array_unref);
  g_free (self->started);
  g_array_unref (self->urgent);
  g_array_unref (self->tracks);
  g_array_unref (self->batch_ids);
  g_array_unref (self->batch_sizes);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (offline_download_parent_class)->finalize (object);
}

static void
offline_download_class_init (OfflineDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = offline_download_dispose;
  object_class->finalize = offline_download_finalize;
}

static void
offline_download_init (OfflineDownload *self)
{
  self->stop = g_cancellable_new ();
  self->tracks = g_array_new (FALSE, TRUE, sizeof (TrackStats));
  self->batch_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->batch_sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->urgent = g_array_new (FALSE, FALSE, sizeof (guint));
}

OfflineDownload *
offline_download_new (OfflineStore                *store,
                      OfflineFetcher              *fetcher,
                      const char                  *entry_id,
                      guint                        max_parallel,
                      OfflineDownloadProgressFunc  progress,
                      gpointer                     progress_data)
{
  OfflineDownload *self = g_object_new (OFFLINE_TYPE_DOWNLOAD, NULL);

  self->store = g_object_ref (store);
  self->fetcher = g_object_ref (fetcher);
  self->entry_id = g_strdup (entry_id);
  self->max_parallel = MAX (max_parallel, 1);
  self->progress = progress;
  self->progress_data = progress_data;
  self->context = g_main_context_ref_thread_default ();
  return self;
}

static OfflineStoreResource *
resource_at (OfflineDownload *self,
             guint            index)
{
  return &g_array_index (self->resources, OfflineStoreResource, index);
}

static TrackStats *
track_stats (OfflineDownload *self,
             guint            track_index)
{
  if (track_index >= self->tracks->len)
    g_array_set_size (self->tracks, track_index + 1);
  return &g_array_index (self->tracks, TrackStats, track_index);
}

/* Adds (@sign 1) or removes (-1) a pending resource from the estimate. */
static void
count_pending (OfflineDownload      *self,
               OfflineStoreResource *resource,
               int                   sign)
{
  TrackStats *stats = track_stats (self, resource->track_index);

  if (resource->range_length >= 0) {
    self->bytes_pending_known += sign * resource->range_length;
  } else {
    stats->unknown_count += sign;
    if (resource->duration <= 0)
      stats->unknown_untimed += sign;
    stats->unknown_duration += sign * resource->duration;
  }
}

static void
count_done (OfflineDownload      *self,
            OfflineStoreResource *resource)
{
  TrackStats *stats = track_stats (self, resource->track_index);

  self->bytes_done += resource->size;
  self->segments_done++;
  if (resource->kind == OFFLINE_STORE_RESOURCE_MEDIA) {
    stats->done_media_bytes += resource->size;
    stats->done_media_duration += resource->duration;
  }
}

/* The bytes of the pending resources of unknown size: at the rate of the
 * track's done media segments, else at its nominal bandwidth. */
static guint64
estimate_unknown (const TrackStats *stats)
{
  double seconds = (double) stats->unknown_duration / G_USEC_PER_SEC;

  if (stats->unknown_count == 0 || stats->unknown_duration <= 0)
    return 0;
  if (stats->done_media_duration > 0)
    return (guint64) ((double) stats->done_media_bytes * stats->unknown_duration /
                      stats->done_media_duration);
  return (guint64) (stats->bandwidth / 8.0 * seconds);
}

/* The estimate of the bytes expected, given @downloaded (what was reported
 * or is about to be): never below it, and while resources remain, above
 * it, so that 100 % means every resource is done. Each resource not done
 * counts a byte at least; those that nothing estimates (size unknown, and
 * their track has no done media segment and no bandwidth, or they have no
 * duration: init segments, keys) count as much as the mean resource so
 * far. */
static guint64
expected_with (OfflineDownload *self,
               guint64          downloaded)
{
  guint64 expected = self->bytes_done + self->bytes_pending_known;
  guint total = self->resources ? self->resources->len : 0;
  guint64 unestimated = 0, floor, mean;

  for (guint i = 0; i < self->tracks->len; i++) {
    const TrackStats *stats = &g_array_index (self->tracks, TrackStats, i);
    guint64 estimate = estimate_unknown (stats);

    expected += estimate;
    unestimated += estimate > 0 ? stats->unknown_untimed : stats->unknown_count;
  }
  if (self->segments_done >= total)
    return MAX (expected, downloaded);
  mean = downloaded / MAX (self->segments_done + self->n_in_flight, 1);
  floor = downloaded + (total - self->segments_done) + unestimated * mean;
  return MAX (expected, floor);
}

guint64
offline_download_get_bytes_expected (OfflineDownload *self)
{
  g_return_val_if_fail (OFFLINE_IS_DOWNLOAD (self), 0);

  return expected_with (self, self->bytes_done + self->bytes_in_flight);
}

gboolean
offline_download_stored_anything (OfflineDownload *self)
{
  g_return_val_if_fail (OFFLINE_IS_DOWNLOAD (self), FALSE);

  return self->segments_done > self->segments_loaded;
}

/* Reports progress if it changed (or always, if @final). The tick calls
 * this every TICK_MS: that is the rate limit. */
static void
report_progress (OfflineDownload *self,
                 gboolean         final)
{
  guint64 downloaded, expected;
  guint total = self->resources ? self->resources->len : 0;
  gint64 now = g_get_monotonic_time ();

  if (!final && (!self->dirty ||
                 (self->last_report != 0 && now - self->last_report < MIN_REPORT_INTERVAL_US)))
    return;
  self->last_report = now;
  if (final && self->segments_done == total) {
    /* Completed: both are exact now. */
    downloaded = expected = self->bytes_done;
  } else {
    downloaded = MAX (self->last_downloaded, self->bytes_done + self->bytes_in_flight);
    expected = expected_with (self, downloaded);
  }
  self->last_downloaded = downloaded;
  self->dirty = FALSE;
  if (self->progress != NULL)
    self->progress (self->entry_id, downloaded, expected, self->segments_done, total,
                    self->progress_data);
}

/* Records why the run stops (the first reason wins) and stops the fetches. */
static void
fail (OfflineDownload *self,
      GError          *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  g_cancellable_cancel (self->stop);
}

static gboolean
commit_batch (OfflineDownload *self)
{
  GError *error = NULL;
  gboolean ok;

  if (self->batch_ids->len == 0)
    return TRUE;
  ok = offline_store_commit_resources (self->store, self->entry_id,
                                       (const gint64 *) (gpointer) self->batch_ids->data,
                                       (const guint64 *) (gpointer) self->batch_sizes->data,
                                       self->batch_ids->len, &error);
  g_array_set_size (self->batch_ids, 0);
  g_array_set_size (self->batch_sizes, 0);
  if (!ok)
    fail (self, error);
  return ok;
}

static gboolean
tick_cb (gpointer user_data)
{
  OfflineDownload *self = user_data;

  /* Commit first: the segments a progress report counts as done are then
   * recorded in the index too, so a crash right after a report loses
   * nothing it announced. */
  commit_batch (self);
  report_progress (self, FALSE);
  return G_SOURCE_CONTINUE;
}

static void
finish (OfflineDownload *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  stop_tick (self);
  commit_batch (self);
  disconnect_cancellable (self);
  report_progress (self, TRUE);

  /* Complete only if every resource is done and committed. */
  if (self->error == NULL && self->segments_done == self->resources->len) {
    g_task_return_boolean (task, TRUE);
  } else if (self->error != NULL) {
    g_task_return_error (task, g_steal_pointer (&self->error));
  } else {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED,
                             "the download of \"%s\" was stopped", self->entry_id);
  }
}

/* Whether resource @index is still to be started. */
static gboolean
is_startable (OfflineDownload *self,
              guint            index)
{
  return !self->started[index] && !resource_at (self, index)->done;
}

/* The next resource to start, into @index: the urgent ones first, then
 * the scan on. FALSE once there is none left. */
static gboolean
take_next (OfflineDownload *self,
           guint           *index)
{
  guint n = self->resources->len;

  while (self->urgent->len > 0) {
    *index = g_array_index (self->urgent, guint, self->urgent->len - 1);
    g_array_set_size (self->urgent, self->urgent->len - 1);
    if (is_startable (self, *index))
      return TRUE;
  }
  while (self->scanned < n) {
    *index = self->scan_from + self->scanned++;
    if (*index >= n)
      *index -= n;
    if (is_startable (self, *index))
      return TRUE;
  }
  return FALSE;
}

/* Whether every resource is done or started. */
static gboolean
nothing_left (OfflineDownload *self)
{
  return self->urgent->len == 0 && self->scanned == self->resources->len;
}

static void start_fetches (OfflineDownload *self);

/* Starts what may start; ends the run when nothing is left in flight. */
static void
advance (OfflineDownload *self)
{
  if (!g_cancellable_is_cancelled (self->stop))
    start_fetches (self);
  if (self->task != NULL && self->n_in_flight == 0 &&
      (g_cancellable_is_cancelled (self->stop) || nothing_left (self)))
    finish (self);
}

static void
fetch_progress (gint64   delta,
                gpointer user_data)
{
  Fetch *fetch = user_data;
  OfflineDownload *self = fetch->job;

  if (delta < 0) {
    guint64 lost = MIN ((guint64) -delta, fetch->received);

    fetch->received -= lost;
    self->bytes_in_flight -= lost;
  } else {
    fetch->received += delta;
    self->bytes_in_flight += delta;
  }
  self->dirty = TRUE;
}

static gboolean
is_cancelled_error (const GError *error)
{
  return g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  OfflineDownload *self = fetch->job;
  OfflineStoreResource *resource = resource_at (self, fetch->index);
  GError *error = NULL;
  guint64 size = 0;

  self->n_in_flight--;
  self->bytes_in_flight -= fetch->received;
  self->dirty = TRUE;

  if (offline_fetcher_fetch_file_finish (OFFLINE_FETCHER (source), result, &size, &error)) {
    count_pending (self, resource, -1);
    resource->done = TRUE;
    resource->size = size;
    count_done (self, resource);
    g_array_append_val (self->batch_ids, resource->id);
    g_array_append_val (self->batch_sizes, size);
    if (self->batch_ids->len >= COMMIT_BATCH)
      commit_batch (self);
  } else if (is_cancelled_error (error) && g_cancellable_is_cancelled (self->stop)) {
    /* Stopped on purpose: its .part file stays for the next run. */
    g_error_free (error);
  } else {
    fail (self, error);
  }

  advance (self);
  g_object_unref (fetch->job);
  g_free (fetch);
}

static void
start_fetches (OfflineDownload *self)
{
  guint index;

  while (self->n_in_flight < self->max_parallel && !g_cancellable_is_cancelled (self->stop) &&
         take_next (self, &index)) {
    OfflineStoreResource *resource = resource_at (self, index);
    g_autofree char *path = NULL;
    GError *error = NULL;
    Fetch *fetch;

    self->started[index] = TRUE;
    path = offline_store_get_resource_path (self->store, self->entry_id, resource->id, &error);
    if (path == NULL) {
      fail (self, error);
      return;
    }
    fetch = g_new0 (Fetch, 1);
    fetch->job = g_object_ref (self);
    fetch->index = index;
    self->n_in_flight++;
    offline_fetcher_fetch_file_async (self->fetcher, resource->uri,
                                      resource->range_offset, resource->range_length,
                                      path, self->stop, fetch_progress, fetch,
                                      fetch_cb, fetch);
  }
}

/* Runs in whichever thread cancels the run's cancellable. */
static void
cancelled_cb (GCancellable *cancellable,
              GCancellable *stop)
{
  g_cancellable_cancel (stop);
}

/* Loads the resources and the per-track figures of the estimate. */
static gboolean
load (OfflineDownload  *self,
      GError          **error)
{
  g_autoptr(OfflineEntry) entry = NULL;
  GPtrArray *tracks;

  entry = offline_store_get_entry (self->store, self->entry_id, error);
  if (entry == NULL)
    return FALSE;
  self->resources = offline_store_get_resources (self->store, self->entry_id, FALSE, error);
  if (self->resources == NULL)
    return FALSE;
  g_array_set_clear_func (self->resources, (GDestroyNotify) offline_store_resource_clear);

  tracks = offline_entry_get_tracks (entry);
  for (guint i = 0; tracks != NULL && i < tracks->len; i++)
    track_stats (self, i)->bandwidth = offline_track_get_bandwidth (g_ptr_array_index (tracks, i));
  for (guint i = 0; i < self->resources->len; i++) {
    OfflineStoreResource *resource = resource_at (self, i);

    if (resource->done)
      count_done (self, resource);
    else
      count_pending (self, resource, 1);
  }
  self->last_downloaded = self->bytes_done;
  self->segments_loaded = self->segments_done;
  self->started = g_new0 (guint8, MAX (self->resources->len, 1));
  return TRUE;
}

/* The index of the first media segment, in download order, that contains
 * @position or comes after it, @position being clamped to the start of the
 * last media segment; resources->len if there is no media segment. */
static guint
first_at (OfflineDownload *self,
          GTimeSpan        position)
{
  guint n = self->resources->len, last = n;

  while (last > 0 && resource_at (self, last - 1)->kind != OFFLINE_STORE_RESOURCE_MEDIA)
    last--;
  if (last == 0)
    return n;
  position = MIN (position, resource_at (self, last - 1)->start);
  for (guint i = 0; i < n; i++) {
    OfflineStoreResource *resource = resource_at (self, i);

    if (resource->kind == OFFLINE_STORE_RESOURCE_MEDIA &&
        (resource->start >= position || resource->start + resource->duration > position))
      return i;
  }
  return n;
}

/* Reverse download order. */
static int
compare_index_reversed (gconstpointer a,
                        gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x > y ? -1 : x < y;
}

/* Sets the urgent resources: those before @first that the resources from
 * @first on need (each track's init segment in force there, unless the
 * track's first resource from there is an init segment; the keys of their
 * media segments), in download order, the next one last. */
static void
collect_urgent (OfflineDownload *self,
                guint            first)
{
  guint n = self->resources->len, n_tracks = self->tracks->len;
  g_autofree guint *init = g_new (guint, n_tracks);
  g_autofree gboolean *seen = g_new0 (gboolean, n_tracks);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_int64_hash, g_int64_equal);

  g_array_set_size (self->urgent, 0);
  for (guint t = 0; t < n_tracks; t++)
    init[t] = G_MAXUINT;
  for (guint i = 0; i < first; i++) {
    OfflineStoreResource *resource = resource_at (self, i);

    if (resource->kind == OFFLINE_STORE_RESOURCE_INIT)
      init[resource->track_index] = i;
    else if (resource->kind == OFFLINE_STORE_RESOURCE_KEY && is_startable (self, i))
      g_hash_table_insert (keys, &resource->id, GUINT_TO_POINTER (i));
  }
  for (guint i = first; i < n; i++) {
    OfflineStoreResource *resource = resource_at (self, i);
    gpointer key_index = NULL;

    if (resource->kind == OFFLINE_STORE_RESOURCE_KEY)
      continue;
    if (!seen[resource->track_index]) {
      seen[resource->track_index] = TRUE;
      if (resource->kind == OFFLINE_STORE_RESOURCE_INIT)
        init[resource->track_index] = G_MAXUINT;
    }
    if (resource->key_id != 0 &&
        g_hash_table_steal_extended (keys, &resource->key_id, NULL, &key_index)) {
      guint index = GPOINTER_TO_UINT (key_index);

      g_array_append_val (self->urgent, index);
    }
  }
  for (guint t = 0; t < n_tracks; t++) {
    if (init[t] != G_MAXUINT && is_startable (self, init[t]))
      g_array_append_val (self->urgent, init[t]);
  }
  g_array_sort (self->urgent, compare_index_reversed);
}

/* Starts the scan of the loaded resources at the media segment of
 * @position. */
static void
reorder (OfflineDownload *self,
         GTimeSpan        position)
{
  guint first = first_at (self, position);

  if (first == self->resources->len)
    return;
  collect_urgent (self, first);
  self->scan_from = first;
  self->scanned = 0;
}

void
offline_download_prioritize (OfflineDownload *self,
                             GTimeSpan        position)
{
  g_return_if_fail (OFFLINE_IS_DOWNLOAD (self));

  position = MAX (position, 0);
  if (self->resources == NULL) {
    self->has_position = TRUE;
    self->position = position;
    return;
  }
  reorder (self, position);
}

void
offline_download_run_async (OfflineDownload     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GError *error = NULL;

  g_return_if_fail (OFFLINE_IS_DOWNLOAD (self));
  g_return_if_fail (self->task == NULL && self->resources == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, offline_download_run_async);
  /* A stop is reported as OFFLINE_ERROR_CANCELLED once the fetches ended. */
  g_task_set_check_cancellable (self->task, FALSE);

  if (!load (self, &error)) {
    g_autoptr(GTask) task = g_steal_pointer (&self->task);

    g_task_return_error (task, error);
    return;
  }
  if (cancellable != NULL) {
    self->cancellable = g_object_ref (cancellable);
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                g_object_ref (self->stop), g_object_unref);
  }
  if (self->has_position)
    reorder (self, self->position);
  self->tick = g_timeout_source_new (TICK_MS);
  g_source_set_callback (self->tick, tick_cb, self, NULL);
  g_source_set_static_name (self->tick, "[offlinemgr] download tick");
  g_source_attach (self->tick, self->context);

  advance (self);
}

gboolean
offline_download_run_finish (OfflineDownload  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
