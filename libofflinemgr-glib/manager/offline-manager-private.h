/* offline-manager-private.h: the manager's state, shared by its files
 * (library-internal)
 *
 * offline-manager.c has the GObject, its properties and signals and the
 * public methods; offline-manager-entries.c drives each entry through
 * preparation, the queue and its download job.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-entry.h"
#include "offline-fetcher-private.h"
#include "offline-manager.h"
#include "offline-manager-remote-private.h"
#include "offline-store-private.h"
#include "offline-store-service-private.h"

G_BEGIN_DECLS

struct _OfflineManager {
  GObject parent_instance;

  /* Every field: the thread that made the manager, whose thread-default
   * main context is @context; the public methods are called there. */
  char *store_path;                /* (owned) resolved at construction */
  OfflineProvider *provider;       /* (owned) (nullable) */
  guint max_parallel_downloads;    /* entries downloading at once */
  guint max_parallel_segments;     /* fetches in flight per entry */
  guint max_retries;               /* given to the fetcher */
  guint retry_delay;               /* ms, given to the fetcher */
  gboolean auto_resume;            /* resume recovered entries after init */
  gboolean allow_metered;          /* download on a metered network */

  GNetworkMonitor *network_monitor;/* (owned) see offline-manager-network.c */
  gulong network_changed_id;       /* its handlers, 0 if none */
  gulong network_metered_id;
  gboolean network_usable;         /* as last followed: downloads may run */

  GMainContext *context;           /* (owned) where signals are emitted */
  OfflineFetcher *fetcher;         /* (owned) one session for everything */
  OfflineStore *store;             /* (owned) (nullable) once initialised; read-only
                                    * while @remote is set */
  OfflineManagerRemote *remote;    /* (owned) (nullable) another process holds the
                                    * store: changes go to it over D-Bus */
  OfflineManagerRemote *former_remote; /* (owned) (nullable) after a take-over: calls
                                    * under way may still use it */
  OfflineStoreService *service;    /* (owned) (nullable) holding the store, on the bus */
  GPtrArray *recovered;            /* (owned) (element-type utf8) ids to auto-resume */
  GSource *auto_resume_source;     /* (owned) (nullable) the idle that resumes them */
  GHashTable *active;              /* (owned) id → OfflineActive (owned by itself, each
                                    * holding a reference on the manager): the entries
                                    * being prepared, queued or downloaded */
  GHashTable *positions;           /* (owned) id → (GTimeSpan *) the position each run of
                                    * the entry starts at, until it completes or is
                                    * removed (offline_manager_prioritize_position()) */
  GQueue queued;                   /* (element-type OfflineActive) (unowned) waiting for a
                                    * slot, oldest first */
  guint n_running;                 /* entries whose job runs */
};

/* The signals, emitted on the manager's context. */
G_GNUC_INTERNAL
void offline_manager_emit_state_changed (OfflineManager       *self,
                                         const char           *entry_id,
                                         OfflineDownloadState  old_state,
                                         OfflineDownloadState  new_state);
G_GNUC_INTERNAL
void offline_manager_emit_progress (OfflineManager *self,
                                    const char     *entry_id,
                                    guint64         bytes_downloaded,
                                    guint64         bytes_expected,
                                    guint           segments_done,
                                    guint           segments_total);
G_GNUC_INTERNAL
void offline_manager_emit_error (OfflineManager *self,
                                 const char     *entry_id,
                                 const GError   *error);
G_GNUC_INTERNAL
void offline_manager_emit_license_changed (OfflineManager *self,
                                           const char     *entry_id,
                                           gint64          expiration);

/* offline-manager-license.c: renews the Clear Key licence of entry
 * @entry_id (see offline_manager_renew_license_async()); completes @task. */
G_GNUC_INTERNAL
void offline_manager_renew_entry_license (OfflineManager *self,
                                          const char     *entry_id,
                                          GTask          *task);

/* The per-entry operations of offline-manager-entries.c. Each completes
 * @task (a boolean GTask; nullable where said) when its operation ends. */

/* Prepares (resolving it with @provider) and stores a new entry, queues it, and completes @task when its
 * download ends. */
G_GNUC_INTERNAL
void offline_manager_download_entry (OfflineManager         *self,
                                     OfflineProvider        *provider,
                                     const char             *entry_id,
                                     OfflineDownloadOptions *options,
                                     GTask                  *task);

/* Queues a PAUSED or FAILED entry again (or joins an active one); @task
 * (nullable) completes when its download ends. FALSE with @error if it
 * cannot be resumed at all (@task is then untouched). */
G_GNUC_INTERNAL
gboolean offline_manager_resume_entry (OfflineManager  *self,
                                       const char      *entry_id,
                                       GTask           *task,
                                       GError         **error);

/* Completes @task once the entry no longer downloads. */
G_GNUC_INTERNAL
void offline_manager_pause_entry (OfflineManager *self,
                                  const char     *entry_id,
                                  GTask          *task);

/* Completes @task once the entry's download stopped and its rows and files
 * are deleted. */
G_GNUC_INTERNAL
void offline_manager_remove_entry (OfflineManager *self,
                                   const char     *entry_id,
                                   GTask          *task);

/* offline_manager_download_async() resolving @entry_id with @provider
 * (nullable: #OfflineManager:provider) instead. */
G_GNUC_INTERNAL
void offline_manager_download_with_provider_async (OfflineManager         *self,
                                                   OfflineProvider        *provider,
                                                   const char             *entry_id,
                                                   OfflineDownloadOptions *options,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);

/* offline-manager-forward.c: the holder downloads (or resumes) @entry_id
 * for this manager, which carries it on itself if the holder ends first.
 * Completes @task when the download ends. */
G_GNUC_INTERNAL
void offline_manager_forward_download (OfflineManager         *self,
                                       OfflineProvider        *provider,
                                       const char             *entry_id,
                                       OfflineDownloadOptions *options,
                                       GTask                  *task);
G_GNUC_INTERNAL
void offline_manager_forward_resume (OfflineManager *self,
                                     const char     *entry_id,
                                     GTask          *task);

/* If this manager reads a store another process holds, tries to take the
 * store over (the holder may have ended). TRUE if changes must still be
 * forwarded to the holder (self->remote). */
G_GNUC_INTERNAL
gboolean offline_manager_is_remote (OfflineManager *self);

/* Starts queued entries while download slots are free (and the network
 * is usable). */
G_GNUC_INTERNAL
void offline_manager_schedule (OfflineManager *self);

/* offline-manager-entries.c: moves the active entries to WAITING, or back
 * to QUEUED, as @self->network_usable now says. */
G_GNUC_INTERNAL
void offline_manager_follow_network (OfflineManager *self);

/* offline-manager-network.c: watches @monitor (%NULL: GIO's default) as
 * #OfflineManager:network-monitor, following its changes on the manager's
 * context; offline_manager_unwatch_network() (dispose) stops. */
G_GNUC_INTERNAL
void offline_manager_watch_network (OfflineManager  *self,
                                    GNetworkMonitor *monitor);
G_GNUC_INTERNAL
void offline_manager_unwatch_network (OfflineManager *self);

G_END_DECLS
