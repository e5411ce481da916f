/* offline-fetch-job-private.h: one fetch of OfflineFetcher, from the first
 * request to the last byte stored (library-internal)
 *
 * A job is the task data of a GTask and runs on the main context that task
 * was made on (the fetcher's):
 *
 *   (wait for a slot of the host) → attempt_start → on_sent → (redirect → attempt_start)
 *                           → check_response → read_next ⇄ on_read → flush
 *                           → complete
 *   any transient failure → job_retry → backoff → (slot) → attempt_start
 *
 * A job with a host (file jobs) holds one of its slots from admission to
 * the end, and gives it back while it waits to retry (see
 * offline-fetch-host-private.h); it tells the host of the bytes it
 * receives and of the failures it retries.
 *
 * A file job keeps what it stored in the .part across attempts: each new
 * attempt asks only for the bytes still missing (Range), and whatever the
 * server answers (206 from anywhere up to the first missing byte, or 200
 * with the whole body) is trimmed to the bytes wanted. A bytes job (into
 * memory: small resources, possibly Content-Encoded) starts over instead.
 *
 * The functions taking a GTask consume the caller's reference to it: the
 * one reference travels from callback to callback until the task returns.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "offline-fetch-host-private.h"
#include "offline-fetch-part-private.h"
#include "offline-fetcher-private.h"

G_BEGIN_DECLS

#define OFFLINE_FETCH_CHUNK_SIZE (64 * 1024)   /* read buffer of a job */

typedef void (*OfflineFetchJobStep) (GTask *task);

typedef enum {
  OFFLINE_FETCH_JOB_FILE,
  OFFLINE_FETCH_JOB_BYTES,
} OfflineFetchJobKind;

/* What to do once the buffer is stored. */
typedef enum {
  OFFLINE_FETCH_THEN_READ,
  OFFLINE_FETCH_THEN_COMPLETE,
  OFFLINE_FETCH_THEN_RETRY,         /* with pending_error */
} OfflineFetchThen;

/* Owned by its GTask; used only on the task's main context (the part
 * belongs to a worker thread while one of its operations runs). */
typedef struct {
  /* set by offline_fetch_job_task_new() */
  OfflineFetchJobKind kind;
  SoupSession *session;
  OfflineFetchUrlFilter *url_filter;  /* (owned) (nullable) vets each redirect
                                       * target; set by the fetcher */
  guint max_retries;
  guint retry_delay_ms;
  char *uri;                        /* as asked */
  GCancellable *cancellable;        /* the caller's, or NULL */

  /* the current attempt */
  char *current_uri;                /* NULL, or where redirects led */
  char *message_uri;                /* what messages quote of it, cut */
  guint redirects;
  SoupMessage *msg;
  GInputStream *body;
  GCancellable *attempt_cancellable;  /* aborts this attempt; fired by cancellable too */
  gulong cancel_id;
  guint64 body_pos;                 /* absolute offset of the body's next byte */
  gint64 body_end;                  /* absolute end of the body, −1 if unknown */
  gboolean progressed;              /* this attempt stored new bytes */

  /* retries */
  guint retries;                    /* transient failures since the last progress */
  GError *pending_error;            /* why the body ended early (THEN_RETRY) */
  GSource *wait_source;             /* backoff timer */
  GSource *wait_cancel_source;      /* … and the cancellable, during it or
                                     * while waiting for a slot */

  /* the host's slot */
  OfflineFetchHost *host;           /* (owned) (nullable) set by the caller */
  gboolean holds_slot;
  OfflineFetchHostStamp slot_stamp; /* noted when it was given */
  OfflineFetchJobStep slot_then;    /* what runs once it is given */

  /* the bytes wanted, absolute: want_start ≤ x < want_end (set by the
   * caller before offline_fetch_job_start()) */
  guint64 want_start;
  gint64 want_end;                  /* −1: to the end */

  guint8 *buffer;                   /* OFFLINE_FETCH_CHUNK_SIZE, from the first attempt */
  gsize fill;                       /* wanted bytes in it, not stored yet */
  OfflineFetchThen then;
  guint64 flush_base;               /* bytes stored when the flush began */

  /* OFFLINE_FETCH_JOB_FILE (set by the caller) */
  char *path;
  OfflineFetchPart *part;
  OfflineFetchProgress progress;
  gpointer progress_data;
  gint64 reported;                  /* sum of the deltas reported */
  gboolean started_over;            /* the .part was emptied once already */

  /* OFFLINE_FETCH_JOB_BYTES */
  gsize max_size;                   /* set by the caller */
  GBytes *request_body;             /* set by the caller: POSTed; NULL: a GET */
  char *request_content_type;       /* … with this Content-Type */
  GByteArray *data;
  char *content_type;
} OfflineFetchJob;

/* A new GTask of @source_object (the fetcher) whose task data is a job
 * fetching @uri through @session. */
G_GNUC_INTERNAL
GTask *offline_fetch_job_task_new (gpointer             source_object,
                                   SoupSession         *session,
                                   guint                max_retries,
                                   guint                retry_delay_ms,
                                   OfflineFetchJobKind  kind,
                                   const char          *uri,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data,
                                   gpointer             source_tag);

/* Runs @then once the job holds a slot of its host (at once if it has no
 * host). The task reference travels to @then, or to the failure if the
 * job is cancelled while it waits. @again: the job held a slot before (it
 * goes to the head of the queue). */
G_GNUC_INTERNAL
void offline_fetch_job_wait_for_slot (GTask               *task,
                                      gboolean             again,
                                      OfflineFetchJobStep  then);

/* Sends the first request (a file job's part must be open). */
G_GNUC_INTERNAL
void offline_fetch_job_start (GTask *task);

/* Stores the result: commits a file job's .part (its size is the task's
 * int), returns a bytes job's GBytes (the task's pointer). */
G_GNUC_INTERNAL
void offline_fetch_job_complete (GTask *task);

/* The .part does not fit the resource: empties it and starts again, once;
 * fails with @error (consumed) the second time. */
G_GNUC_INTERNAL
void offline_fetch_job_start_over (GTask  *task,
                                   GError *error);

/* Returns @error (consumed), OFFLINE_ERROR_CANCELLED if it is a
 * cancellation or the caller's cancellable fired. */
G_GNUC_INTERNAL
void offline_fetch_job_fail (GTask  *task,
                             GError *error);

/* The URL of the current request. */
G_GNUC_INTERNAL
const char *offline_fetch_job_get_uri (OfflineFetchJob *job);

G_END_DECLS
