/* offline-manager-entries.c: the life of an entry inside OfflineManager
 *
 *   download ──► PREPARING ──(stored, QUEUED)──► queued ──(slot)──► RUNNING
 *                                                  ▲                   │
 *   resume (PAUSED/FAILED) ────────────────────────┘                   ▼
 *                                   settle: COMPLETED / PAUSED / FAILED / removed
 *
 * Without a usable network (see offline-manager-network.c) nothing starts:
 * queued entries are stored WAITING, and running ones are stopped (their
 * fetches cancelled, which spends no retry) and go back to the head of the
 * queue, WAITING; when the network is back they are QUEUED again and start
 * as slots allow. A run the network ended before it stored anything counts
 * against the retry budget (#OfflineManager:max-retries): a connection that
 * keeps flapping fails the download as a failing server does.
 *
 * An entry is "active" from download or resume until it settles. Pause and
 * remove set its stop reason and cancel its cancellable; the preparation
 * or the job then winds down (in-flight fetches cancelled and waited for)
 * and the entry settles. Settling updates the store first, then emits the
 * signals, then frees slots for queued entries, and completes the waiting
 * operations last, so that whatever a signal handler or a callback does
 * finds a consistent manager.
 *
 * offline_manager_prioritize_position() is here too: it reaches the job of
 * an entry, and records the position its later runs start at.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include "offline-download-private.h"
#include "offline-entry-id-private.h"
#include "offline-error.h"
#include "offline-manager-private.h"
#include "offline-prepare-private.h"

typedef enum {
  PHASE_PREPARING,   /* provider, manifest, playlists: not stored yet */
  PHASE_QUEUED,      /* stored QUEUED, in manager->queued */
  PHASE_RUNNING,     /* stored DOWNLOADING, its job runs */
} Phase;

typedef enum {
  STOP_NONE,
  STOP_PAUSE,        /* pause asked: stop and become PAUSED */
  STOP_REMOVE,       /* remove asked: stop and delete the entry */
  STOP_ABANDON,      /* the download op was cancelled while preparing */
  STOP_NETWORK,      /* the network went away: stop and wait for it */
} Stop;

/* An entry this manager prepares, queues or downloads: in manager->active
 * until it settles, which frees it. Every field on the manager's context. */
typedef struct {
  OfflineManager *manager;        /* (owned) a manager stays alive while it downloads */
  char *id;                       /* (owned) */
  Phase phase;
  Stop stop;
  gboolean restart;               /* resumed while a pause winds down: queue again */
  gboolean waiting;               /* PHASE_QUEUED and stored WAITING (no usable network) */
  guint idle_network_runs;        /* runs in a row the network ended before they
                                   * stored anything */
  GCancellable *cancellable;      /* (owned) stops the preparation or the job */
  OfflineDownloadOptions *options;/* (owned) (nullable) while PREPARING */
  OfflineDownload *job;           /* (owned) (nullable) while RUNNING */
  GPtrArray *waiters;             /* (element-type GTask) download/resume ops */
  GPtrArray *restart_waiters;     /* (element-type GTask) resume ops for the restart */
  GPtrArray *stop_waiters;        /* (element-type GTask) pause/remove ops */
  GPtrArray *cancel_sources;      /* (element-type GSource) the waiters' cancellables */
} OfflineActive;

/* How an active entry ends. */
typedef struct {
  gboolean stored;                /* the entry is (still) in the store */
  OfflineDownloadState old_state; /* emitted as a transition if they differ */
  OfflineDownloadState new_state;
  GError *error;                  /* (owned) (nullable) for download/resume ops */
  gboolean emit_error;            /* also emit ::error with @error */
  GError *stop_error;             /* (owned) (nullable) for pause/remove ops */
} Outcome;

static void
active_free (OfflineActive *active)
{
  for (guint i = 0; i < active->cancel_sources->len; i++)
    g_source_destroy (g_ptr_array_index (active->cancel_sources, i));
  g_ptr_array_unref (active->cancel_sources);
  g_ptr_array_unref (active->waiters);
  g_ptr_array_unref (active->restart_waiters);
  g_ptr_array_unref (active->stop_waiters);
  g_clear_object (&active->job);
  g_clear_object (&active->options);
  g_object_unref (active->cancellable);
  g_free (active->id);
  g_object_unref (active->manager);
  g_free (active);
}

static OfflineActive *
active_new (OfflineManager *self,
            const char     *entry_id,
            Phase           phase)
{
  OfflineActive *active = g_new0 (OfflineActive, 1);

  active->manager = g_object_ref (self);
  active->id = g_strdup (entry_id);
  active->phase = phase;
  active->cancellable = g_cancellable_new ();
  active->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  active->restart_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  active->stop_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  active->cancel_sources = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  g_hash_table_insert (self->active, active->id, active);
  return active;
}

static GError *
stopped_error (const char *entry_id,
               const char *how)
{
  return g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED,
                      "the download of \"%s\" was %s", entry_id, how);
}

static void
complete_tasks (GPtrArray    *tasks,
                const GError *error)
{
  for (guint i = 0; i < tasks->len; i++) {
    GTask *task = g_ptr_array_index (tasks, i);

    if (error != NULL)
      g_task_return_error (task, g_error_copy (error));
    else
      g_task_return_boolean (task, TRUE);
  }
}

static gboolean resume_with (OfflineManager  *self,
                             const char      *entry_id,
                             GPtrArray       *tasks,
                             GError         **error);

/* Ends @active as @outcome says (the caller updated the store). Takes
 * @outcome's errors. */
static void
settle (OfflineActive *active,
        Outcome       *outcome)
{
  OfflineManager *self = active->manager;

  /* Out of the table first: nothing below can reach @active any more. */
  g_hash_table_steal (self->active, active->id);
  if (!outcome->stored || outcome->new_state == OFFLINE_DOWNLOAD_STATE_COMPLETED)
    g_hash_table_remove (self->positions, active->id);
  g_queue_remove (&self->queued, active);
  if (active->phase == PHASE_RUNNING)
    self->n_running--;

  if (outcome->stored && outcome->old_state != outcome->new_state)
    offline_manager_emit_state_changed (self, active->id, outcome->old_state,
                                        outcome->new_state);
  if (outcome->emit_error && outcome->error != NULL)
    offline_manager_emit_error (self, active->id, outcome->error);

  /* Resumed while its pause wound down: queue it again, with those ops. */
  if (active->restart && outcome->stored &&
      (outcome->new_state == OFFLINE_DOWNLOAD_STATE_PAUSED ||
       outcome->new_state == OFFLINE_DOWNLOAD_STATE_FAILED)) {
    GError *error = NULL;

    if (!resume_with (self, active->id, active->restart_waiters, &error)) {
      complete_tasks (active->restart_waiters, error);
      g_error_free (error);
    }
  } else {
    complete_tasks (active->restart_waiters, outcome->error);
  }

  offline_manager_schedule (self);

  complete_tasks (active->waiters, outcome->error);
  complete_tasks (active->stop_waiters, outcome->stop_error);
  g_clear_error (&outcome->error);
  g_clear_error (&outcome->stop_error);
  active_free (active);
}

/* Sets the state in the store. On a full disk the store records a state
 * that ends a run with its space reserve. A failure is only logged: the
 * operations report what happened, and an entry whose state could not be
 * recorded is recovered as PAUSED on the next start or resumed as it is,
 * which loses nothing. */
static void
store_state (OfflineManager       *self,
             const char           *entry_id,
             OfflineDownloadState  state,
             const char           *failure_message)
{
  g_autoptr(GError) error = NULL;

  if (!offline_store_set_state (self->store, entry_id, state, failure_message, &error))
    g_debug ("cannot record the state of \"%s\": %s", entry_id, error->message);
}

/* The state a queued entry is stored with. */
static OfflineDownloadState
queued_state (OfflineActive *active)
{
  return active->waiting ? OFFLINE_DOWNLOAD_STATE_WAITING : OFFLINE_DOWNLOAD_STATE_QUEUED;
}

/* Settles a stopped entry: PAUSED, or deleted for a remove. */
static void
settle_stopped (OfflineActive        *active,
                OfflineDownloadState  old_state)
{
  OfflineManager *self = active->manager;
  Outcome outcome = { TRUE, old_state, OFFLINE_DOWNLOAD_STATE_PAUSED };

  if (active->stop == STOP_REMOVE) {
    outcome.stored = FALSE;
    outcome.error = stopped_error (active->id, "removed");
    offline_store_remove_entry (self->store, active->id, &outcome.stop_error);
  } else {
    outcome.error = stopped_error (active->id, "paused");
    store_state (self, active->id, OFFLINE_DOWNLOAD_STATE_PAUSED, NULL);
  }
  settle (active, &outcome);
}

/* A GCancellableSourceFunc: a waiter's cancellable fired. */
static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  OfflineActive *active = user_data;

  if (active->phase == PHASE_PREPARING) {
    if (active->stop != STOP_REMOVE)
      active->stop = STOP_ABANDON;
    g_cancellable_cancel (active->cancellable);
  } else {
    /* May settle and free @active (and destroy this source). */
    offline_manager_pause_entry (active->manager, active->id, NULL);
  }
  return G_SOURCE_REMOVE;
}

/* Adds @task (nullable) to @tasks of @active; cancelling the task's
 * cancellable pauses the entry (or abandons it while preparing). */
static void
add_waiter (OfflineActive *active,
            GPtrArray     *tasks,
            GTask         *task)
{
  GCancellable *cancellable;
  GSource *source;

  if (task == NULL)
    return;
  g_ptr_array_add (tasks, g_object_ref (task));
  cancellable = g_task_get_cancellable (task);
  if (cancellable == NULL || tasks == active->stop_waiters)
    return;
  source = g_cancellable_source_new (cancellable);
  g_source_set_callback (source, G_SOURCE_FUNC (waiter_cancelled_cb), active, NULL);
  g_source_attach (source, active->manager->context);
  g_ptr_array_add (active->cancel_sources, source);
}

static void
progress_cb (const char *entry_id,
             guint64     bytes_downloaded,
             guint64     bytes_expected,
             guint       segments_done,
             guint       segments_total,
             gpointer    user_data)
{
  OfflineActive *active = user_data;

  offline_manager_emit_progress (active->manager, entry_id, bytes_downloaded, bytes_expected,
                                 segments_done, segments_total);
}

/* Stores queued @active WAITING or QUEUED, as @waiting says, and emits
 * the change from @old_state. A handler may pause or remove it: @active
 * may be gone afterwards. */
static void
set_waiting (OfflineActive        *active,
             gboolean              waiting,
             OfflineDownloadState  old_state)
{
  active->waiting = waiting;
  store_state (active->manager, active->id, queued_state (active), NULL);
  offline_manager_emit_state_changed (active->manager, active->id, old_state,
                                      queued_state (active));
}

/* Queued entry @entry_id waits if the network is not usable; otherwise
 * queued entries start as slots allow. */
static void
wait_or_schedule (OfflineManager *self,
                  const char     *entry_id)
{
  OfflineActive *active;

  if (self->network_usable) {
    offline_manager_schedule (self);
    return;
  }
  active = g_hash_table_lookup (self->active, entry_id);
  if (active != NULL && active->phase == PHASE_QUEUED && !active->waiting)
    set_waiting (active, TRUE, OFFLINE_DOWNLOAD_STATE_QUEUED);
}

/* The network ended @active's run: it goes back to the head of the queue,
 * WAITING, unless the runs the network ended without storing anything
 * spent the retry budget (it fails then). */
static void
wait_for_network (OfflineActive *active,
                  gboolean       stored_anything)
{
  OfflineManager *self = active->manager;

  self->n_running--;
  active->phase = PHASE_QUEUED;
  g_clear_object (&active->job);
  g_object_unref (active->cancellable);
  active->cancellable = g_cancellable_new ();
  active->stop = STOP_NONE;
  active->idle_network_runs = stored_anything ? 0 : active->idle_network_runs + 1;

  if (active->idle_network_runs > self->max_retries) {
    Outcome outcome = { TRUE, OFFLINE_DOWNLOAD_STATE_DOWNLOADING, OFFLINE_DOWNLOAD_STATE_FAILED };

    outcome.error = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                                 "the network went away %u times in a row before anything "
                                 "more of \"%s\" was stored", active->idle_network_runs,
                                 active->id);
    outcome.emit_error = TRUE;
    store_state (self, active->id, outcome.new_state, outcome.error->message);
    /* not running any more: settle() does not count it again */
    settle (active, &outcome);
    return;
  }
  g_queue_push_head (&self->queued, active);
  set_waiting (active, TRUE, OFFLINE_DOWNLOAD_STATE_DOWNLOADING);
  /* back already (a short drop): queued again at once */
  if (self->network_usable)
    offline_manager_follow_network (self);
}

static void
job_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  OfflineActive *active = user_data;
  OfflineManager *self = active->manager;
  OfflineDownload *job = OFFLINE_DOWNLOAD (source);
  Outcome outcome = { TRUE, OFFLINE_DOWNLOAD_STATE_DOWNLOADING };
  GError *error = NULL;
  gboolean done;

  done = offline_download_run_finish (job, result, &error);
  /* Stopped by the network going away, or ended by it (a failure noticed
   * before the network change was): waits for it. */
  if (!done && (active->stop == STOP_NETWORK ||
                (active->stop == STOP_NONE && !self->network_usable &&
                 !g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_OUT_OF_SPACE)))) {
    g_clear_error (&error);
    wait_for_network (active, offline_download_stored_anything (job));
    return;
  }
  if (active->stop == STOP_REMOVE || (!done && g_error_matches (error, OFFLINE_ERROR,
                                                                OFFLINE_ERROR_CANCELLED))) {
    g_clear_error (&error);
    settle_stopped (active, OFFLINE_DOWNLOAD_STATE_DOWNLOADING);
    return;
  }

  /* A failure here leaves the estimate in place: nothing is lost. */
  offline_store_set_bytes_expected (self->store, active->id,
                                    offline_download_get_bytes_expected (job), NULL);
  if (done) {
    /* a progressive file declares its duration only in its container;
     * without it the entry just keeps duration 0 */
    offline_store_record_file_duration (self->store, active->id, NULL);
    outcome.new_state = OFFLINE_DOWNLOAD_STATE_COMPLETED;
    /* Completed only once the index says so (even the space reserve did
     * not get it there: a disk that stays full, a failing one). Else it
     * ends PAUSED with the store's error, as the next start recovers it,
     * and a resume finds nothing left to fetch. */
    if (!offline_store_set_state (self->store, active->id, outcome.new_state, NULL, &error)) {
      outcome.new_state = OFFLINE_DOWNLOAD_STATE_PAUSED;
      store_state (self, active->id, outcome.new_state, NULL);
    } else if (active->stop == STOP_PAUSE)
      outcome.stop_error = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_PAUSE_FAILED,
                                        "\"%s\" completed before it could be paused",
                                        active->id);
  } else if (g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_OUT_OF_SPACE)) {
    outcome.new_state = OFFLINE_DOWNLOAD_STATE_PAUSED;
    store_state (self, active->id, outcome.new_state, NULL);
  } else {
    outcome.new_state = OFFLINE_DOWNLOAD_STATE_FAILED;
    store_state (self, active->id, outcome.new_state, error->message);
  }
  outcome.error = error;
  outcome.emit_error = (error != NULL);
  settle (active, &outcome);
}

static void
start_job (OfflineActive *active)
{
  OfflineManager *self = active->manager;
  GTimeSpan *position;

  active->phase = PHASE_RUNNING;
  self->n_running++;
  store_state (self, active->id, OFFLINE_DOWNLOAD_STATE_DOWNLOADING, NULL);
  active->job = offline_download_new (self->store, self->fetcher, active->id,
                                      self->max_parallel_segments, progress_cb, active);
  position = g_hash_table_lookup (self->positions, active->id);
  if (position != NULL)
    offline_download_prioritize (active->job, *position);
  /* A handler may pause or remove it: the job then stops at once. */
  offline_manager_emit_state_changed (self, active->id, OFFLINE_DOWNLOAD_STATE_QUEUED,
                                      OFFLINE_DOWNLOAD_STATE_DOWNLOADING);
  offline_download_run_async (active->job, active->cancellable, job_cb, active);
}

void
offline_manager_schedule (OfflineManager *self)
{
  while (self->store != NULL && self->network_usable &&
         self->n_running < self->max_parallel_downloads && !g_queue_is_empty (&self->queued))
    start_job (g_queue_pop_head (&self->queued));
}

/* The ids of the active entries @filter picks, in queue order first. */
static GPtrArray *
pick_ids (OfflineManager *self,
          gboolean      (*filter) (OfflineActive *active))
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  for (GList *l = self->queued.head; l != NULL; l = l->next) {
    if (filter (l->data))
      g_ptr_array_add (ids, g_strdup (((OfflineActive *) l->data)->id));
  }
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    OfflineActive *active = value;

    if (active->phase == PHASE_RUNNING && filter (active))
      g_ptr_array_add (ids, g_strdup (active->id));
  }
  return ids;
}

static gboolean
is_waiting (OfflineActive *active)
{
  return active->phase == PHASE_QUEUED && active->waiting;
}

static gboolean
is_not_waiting (OfflineActive *active)
{
  return (active->phase == PHASE_QUEUED && !active->waiting) ||
         (active->phase == PHASE_RUNNING && active->stop == STOP_NONE);
}

void
offline_manager_follow_network (OfflineManager *self)
{
  g_autoptr(GPtrArray) ids = pick_ids (self, self->network_usable ? is_waiting : is_not_waiting);

  /* each emission may pause or remove entries: looked up again each time */
  for (guint i = 0; i < ids->len; i++) {
    OfflineActive *active = g_hash_table_lookup (self->active, g_ptr_array_index (ids, i));

    if (active == NULL)
      continue;
    if (self->network_usable && is_waiting (active)) {
      set_waiting (active, FALSE, OFFLINE_DOWNLOAD_STATE_WAITING);
    } else if (!self->network_usable && is_not_waiting (active)) {
      if (active->phase == PHASE_QUEUED) {
        set_waiting (active, TRUE, OFFLINE_DOWNLOAD_STATE_QUEUED);
      } else {
        /* the job winds down, then job_cb() makes it wait */
        active->stop = STOP_NETWORK;
        g_cancellable_cancel (active->cancellable);
      }
    }
  }
  offline_manager_schedule (self);
}

/* Stores the entry, with its licence (before any media segment is
 * fetched) and its poster: all or nothing. */
static gboolean
create_entry (OfflineManager          *self,
              OfflineMediaInfo        *info,
              OfflineTrackSelection   *selection,
              OfflineClearKeyLicense  *license,
              GBytes                  *poster,
              OfflineDownloadOptions  *options,
              GError                 **error)
{
  const char *id = offline_media_info_get_entry_id (info);

  if (!offline_store_create_entry_full (self->store, info, selection, options, error))
    return FALSE;
  if ((license == NULL ||
       offline_store_set_license (self->store, id, license->keys, license->expiration,
                                  license->url, error)) &&
      (poster == NULL || offline_store_set_poster (self->store, id, poster, error)))
    return TRUE;
  offline_store_remove_entry (self->store, id, NULL);
  return FALSE;
}

static void
prepare_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OfflineActive *active = user_data;
  OfflineManager *self = active->manager;
  g_autoptr(OfflineTrackSelection) selection = NULL;
  g_autoptr(OfflineMediaInfo) info = NULL;
  g_autoptr(OfflineClearKeyLicense) license = NULL;
  g_autoptr(GBytes) poster = NULL;
  Outcome outcome = { FALSE };
  GError *error = NULL;

  selection = offline_prepare_finish (result, &info, &license, &poster, &error);
  if (selection != NULL && active->stop != STOP_REMOVE && active->stop != STOP_ABANDON &&
      create_entry (self, info, selection, license, poster, active->options, &error)) {
    offline_store_set_bytes_expected (self->store, active->id,
                                      offline_track_selection_get_estimated_size (selection), NULL);
    if (active->stop == STOP_PAUSE) {
      settle_stopped (active, OFFLINE_DOWNLOAD_STATE_QUEUED);
    } else {
      active->phase = PHASE_QUEUED;
      g_queue_push_tail (&self->queued, active);
      wait_or_schedule (self, active->id);
    }
    return;
  }

  /* Nothing was stored. */
  if (active->stop == STOP_REMOVE || active->stop == STOP_ABANDON) {
    g_clear_error (&error);
    error = stopped_error (active->id, active->stop == STOP_REMOVE ? "removed" : "cancelled");
  }
  outcome.error = error;
  settle (active, &outcome);
}

void
offline_manager_download_entry (OfflineManager         *self,
                                OfflineProvider        *provider,
                                const char             *entry_id,
                                OfflineDownloadOptions *options,
                                GTask                  *task)
{
  g_autoptr(OfflineEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  OfflineActive *active;

  if (g_hash_table_contains (self->active, entry_id) ||
      (entry = offline_store_get_entry (self->store, entry_id, &error)) != NULL) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_ALREADY_EXISTS,
                             "\"%s\" is already stored", entry_id);
    return;
  }
  if (!g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (provider == NULL) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                             "no provider is set to resolve \"%s\"", entry_id);
    return;
  }

  active = active_new (self, entry_id, PHASE_PREPARING);
  active->options = options ? g_object_ref (options) : NULL;
  add_waiter (active, active->waiters, task);
  offline_prepare_async (provider, self->fetcher, entry_id, options, active->cancellable,
                         prepare_cb, active);
}

static void
add_waiters (OfflineActive *active,
             GPtrArray     *to,
             GPtrArray     *tasks)
{
  for (guint i = 0; i < tasks->len; i++)
    add_waiter (active, to, g_ptr_array_index (tasks, i));
}

static gboolean
resume_with (OfflineManager  *self,
             const char      *entry_id,
             GPtrArray       *tasks,
             GError         **error)
{
  OfflineActive *active = g_hash_table_lookup (self->active, entry_id);
  g_autoptr(OfflineEntry) entry = NULL;
  OfflineDownloadState state;

  if (active != NULL) {
    if (active->stop == STOP_REMOVE || active->stop == STOP_ABANDON) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND,
                   "\"%s\" is being removed", entry_id);
      return FALSE;
    }
    if (active->stop == STOP_PAUSE && active->phase != PHASE_PREPARING) {
      active->restart = TRUE;
      add_waiters (active, active->restart_waiters, tasks);
      return TRUE;
    }
    /* a run the network stops still waits for it */
    if (active->stop != STOP_NETWORK)
      active->stop = STOP_NONE;
    add_waiters (active, active->waiters, tasks);
    return TRUE;
  }

  entry = offline_store_get_entry (self->store, entry_id, error);
  if (entry == NULL)
    return FALSE;
  state = offline_entry_get_state (entry);
  if (state == OFFLINE_DOWNLOAD_STATE_COMPLETED) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_RESUME_FAILED,
                 "\"%s\" is already completely downloaded", entry_id);
    return FALSE;
  }
  if (!offline_store_set_state (self->store, entry_id, OFFLINE_DOWNLOAD_STATE_QUEUED, NULL, error))
    return FALSE;

  active = active_new (self, entry_id, PHASE_QUEUED);
  add_waiters (active, active->waiters, tasks);
  g_queue_push_tail (&self->queued, active);
  /* A handler may pause or remove it: @active may be gone afterwards. */
  offline_manager_emit_state_changed (self, entry_id, state, OFFLINE_DOWNLOAD_STATE_QUEUED);
  wait_or_schedule (self, entry_id);
  return TRUE;
}

gboolean
offline_manager_resume_entry (OfflineManager  *self,
                              const char      *entry_id,
                              GTask           *task,
                              GError         **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new ();

  if (task != NULL)
    g_ptr_array_add (tasks, task);
  return resume_with (self, entry_id, tasks, error);
}

/* A resume waiting for a pause to end is stopped too: its ops end with the
 * download ops. */
static void
drop_restart (OfflineActive *active)
{
  active->restart = FALSE;
  g_ptr_array_extend_and_steal (active->waiters, g_steal_pointer (&active->restart_waiters));
  active->restart_waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Pause of an entry this manager does not download. */
static void
pause_idle_entry (OfflineManager *self,
                  const char     *entry_id,
                  GTask          *task)
{
  g_autoptr(OfflineEntry) entry = NULL;
  GError *error = NULL;
  OfflineDownloadState state;

  entry = offline_store_get_entry (self->store, entry_id, &error);
  if (entry == NULL) {
    if (task != NULL)
      g_task_return_error (task, error);
    else
      g_error_free (error);
    return;
  }
  state = offline_entry_get_state (entry);
  if (state == OFFLINE_DOWNLOAD_STATE_QUEUED || state == OFFLINE_DOWNLOAD_STATE_DOWNLOADING ||
      state == OFFLINE_DOWNLOAD_STATE_WAITING) {
    /* Left so by another process: nothing of ours runs it. */
    store_state (self, entry_id, OFFLINE_DOWNLOAD_STATE_PAUSED, NULL);
    offline_manager_emit_state_changed (self, entry_id, state, OFFLINE_DOWNLOAD_STATE_PAUSED);
  } else if (state != OFFLINE_DOWNLOAD_STATE_PAUSED && task != NULL) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_PAUSE_FAILED,
                             "\"%s\" is not downloading", entry_id);
    return;
  }
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

void
offline_manager_pause_entry (OfflineManager *self,
                             const char     *entry_id,
                             GTask          *task)
{
  OfflineActive *active = g_hash_table_lookup (self->active, entry_id);

  if (active == NULL) {
    pause_idle_entry (self, entry_id, task);
    return;
  }

  add_waiter (active, active->stop_waiters, task);
  drop_restart (active);

  /* a run the network stops is paused instead */
  if (active->stop != STOP_NONE && active->stop != STOP_NETWORK)
    return;
  active->stop = STOP_PAUSE;
  if (active->phase == PHASE_QUEUED)
    settle_stopped (active, queued_state (active));
  else if (active->phase == PHASE_RUNNING)
    g_cancellable_cancel (active->cancellable);
  /* PREPARING: it is stored as PAUSED once prepared. */
}

void
offline_manager_remove_entry (OfflineManager *self,
                              const char     *entry_id,
                              GTask          *task)
{
  OfflineActive *active = g_hash_table_lookup (self->active, entry_id);
  GError *error = NULL;

  if (active == NULL) {
    g_hash_table_remove (self->positions, entry_id);
    if (offline_store_remove_entry (self->store, entry_id, &error))
      g_task_return_boolean (task, TRUE);
    else
      g_task_return_error (task, error);
    return;
  }

  add_waiter (active, active->stop_waiters, task);
  drop_restart (active);

  active->stop = STOP_REMOVE;
  if (active->phase == PHASE_QUEUED)
    settle_stopped (active, queued_state (active));
  else
    g_cancellable_cancel (active->cancellable);
}

/**
 * offline_manager_prioritize_position:
 * @self: a #OfflineManager
 * @entry_id: the entry id
 * @seconds: the playback position, in seconds from the start of the entry
 * @error: return location for a #GError
 *
 * Makes the download of an entry fetch first the media segments around a
 * playback position: the segment of each track that contains @seconds and
 * the ones after it, in download order, with the init segments and keys
 * they need; then the earlier ones. A seek ahead while the entry downloads
 * then plays within a few segment times rather than when the download
 * reaches there. Nothing else changes: the requests in flight go on, every
 * resource is still fetched once, and the progress reports and the end of
 * the download are the same.
 *
 * This only reorders what the download starts next: it is synchronous and
 * cheap, and may be called at each seek. A position past the end of the
 * entry counts as the start of its last segment; 0 is the usual order.
 *
 * The position is also kept for the later runs of the download, in memory
 * in this manager (not in the store): an entry that is queued, waiting for
 * the network, paused or failed starts there when it is resumed, as long
 * as this manager lives; the position is forgotten when the entry
 * completes or is removed. For a completed entry this does nothing and
 * returns %TRUE.
 *
 * Not forwarded to another process: if another process holds the store
 * (see #OfflineManager and `docs/dbus.md`), it fails with
 * %OFFLINE_ERROR_NOT_SUPPORTED.
 *
 * Errors: %OFFLINE_ERROR_INVALID_ARGUMENT if @entry_id is not a valid id
 * or @seconds is negative or NaN; %OFFLINE_ERROR_NOT_FOUND if nothing is
 * stored under @entry_id (or it is being removed);
 * %OFFLINE_ERROR_NOT_SUPPORTED if another process holds the store;
 * %OFFLINE_ERROR_STORE if the store cannot be read.
 *
 * Returns: %TRUE if the position was taken (or the entry is completed)
 */
gboolean
offline_manager_prioritize_position (OfflineManager  *self,
                                     const char      *entry_id,
                                     double           seconds,
                                     GError         **error)
{
  OfflineActive *active;
  GTimeSpan position;

  g_return_val_if_fail (OFFLINE_IS_MANAGER (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!offline_entry_id_validate (entry_id, -1, error))
    return FALSE;
  if (isnan (seconds) || seconds < 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_INVALID_ARGUMENT,
                 "%g is not a playback position", seconds);
    return FALSE;
  }
  if (offline_manager_is_remote (self)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
                 "\"%s\" is downloaded by another process, which holds the store %s: "
                 "its download order cannot be changed from here", entry_id, self->store_path);
    return FALSE;
  }

  active = g_hash_table_lookup (self->active, entry_id);
  if (active == NULL) {
    g_autoptr(OfflineEntry) entry = offline_store_get_entry (self->store, entry_id, error);

    if (entry == NULL)
      return FALSE;
    if (offline_entry_get_state (entry) == OFFLINE_DOWNLOAD_STATE_COMPLETED)
      return TRUE;
  } else if (active->stop == STOP_REMOVE || active->stop == STOP_ABANDON) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_FOUND,
                 "\"%s\" is being removed", entry_id);
    return FALSE;
  }

  /* past the end is clamped by the job: any huge value will do */
  position = seconds < (double) (G_MAXINT64 / G_USEC_PER_SEC) ?
             (GTimeSpan) (seconds * G_USEC_PER_SEC) : G_MAXINT64;
  g_hash_table_insert (self->positions, g_strdup (entry_id), g_memdup2 (&position, sizeof position));
  if (active != NULL && active->job != NULL && active->stop == STOP_NONE)
    offline_download_prioritize (active->job, position);
  return TRUE;
}
