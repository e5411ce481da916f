/* offline-fetcher.c: HTTP fetching with libsoup 3
 *
 * The session and the public entry points; the fetches themselves are
 * OfflineFetchJobs (offline-fetch-job.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-error.h"
#include "offline-fetch-job-private.h"
#include "offline-fetch-url-filter-private.h"
#include "offline-fetcher-private.h"
#include "offline-manifest-private.h"

#define IO_TIMEOUT_S          30            /* connect, or silence while waiting for bytes */
#define IDLE_TIMEOUT_S        60            /* keep-alive connections closed after */
/* The hosts' windows bound the file fetches in flight (at most
 * max-parallel-segments, 64, per host), and manifests, playlists and keys
 * come on top: the session must not be the bottleneck. */
#define MAX_CONNS             128
#define MAX_CONNS_PER_HOST    72
/* Hosts remembered at the most, beyond those in use: a window learnt is
 * kept for the next fetches from its host. */
#define MAX_IDLE_HOSTS        32

struct _OfflineFetcher {
  GObject parent_instance;

  /* All fields belong to the thread that created the fetcher: the session
   * dispatches on its thread-default main context, where every fetch runs. */
  SoupSession *session;
  guint max_retries;
  guint retry_delay_ms;
  OfflineFetchUrlFilter *url_filter;    /* (nullable) */
  guint max_per_host;                   /* the ceiling of each host's window */
  GHashTable *hosts;                    /* (element-type utf8 OfflineFetchHost) (owned)
                                         * by scheme://host:port */
};

G_DEFINE_FINAL_TYPE (OfflineFetcher, offline_fetcher, G_TYPE_OBJECT)

static void
offline_fetcher_finalize (GObject *object)
{
  OfflineFetcher *self = OFFLINE_FETCHER (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->url_filter, offline_fetch_url_filter_unref);
  g_hash_table_unref (self->hosts);

  G_OBJECT_CLASS (offline_fetcher_parent_class)->finalize (object);
}

static void
offline_fetcher_class_init (OfflineFetcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = offline_fetcher_finalize;
}

static void
offline_fetcher_init (OfflineFetcher *self)
{
  self->session = soup_session_new_with_options (
    "user-agent", "offlinemgr/" PACKAGE_VERSION,
    "timeout", IO_TIMEOUT_S,
    "idle-timeout", IDLE_TIMEOUT_S,
    "max-conns", MAX_CONNS,
    "max-conns-per-host", MAX_CONNS_PER_HOST,
    NULL);
  self->max_retries = 5;
  self->retry_delay_ms = 500;
  self->max_per_host = OFFLINE_FETCHER_DEFAULT_MAX_PER_HOST;
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) offline_fetch_host_unref);
}

OfflineFetcher *
offline_fetcher_new (void)
{
  return g_object_new (OFFLINE_TYPE_FETCHER, NULL);
}

SoupSession *
offline_fetcher_get_session (OfflineFetcher *self)
{
  g_return_val_if_fail (OFFLINE_IS_FETCHER (self), NULL);

  return self->session;
}

void
offline_fetcher_set_max_retries (OfflineFetcher *self,
                                 guint           max_retries)
{
  g_return_if_fail (OFFLINE_IS_FETCHER (self));

  self->max_retries = max_retries;
}

void
offline_fetcher_set_retry_delay (OfflineFetcher *self,
                                 guint           milliseconds)
{
  g_return_if_fail (OFFLINE_IS_FETCHER (self));

  self->retry_delay_ms = milliseconds;
}

void
offline_fetcher_set_max_per_host (OfflineFetcher *self,
                                  guint           ceiling)
{
  GHashTableIter iter;
  gpointer host;

  g_return_if_fail (OFFLINE_IS_FETCHER (self));
  g_return_if_fail (ceiling >= 1);

  self->max_per_host = ceiling;
  g_hash_table_iter_init (&iter, self->hosts);
  while (g_hash_table_iter_next (&iter, NULL, &host))
    offline_fetch_host_set_ceiling (host, ceiling);
}

static gboolean
host_is_idle (gpointer key,
              gpointer value,
              gpointer user_data)
{
  return offline_fetch_host_is_idle (value);
}

/* The window of @uri's host (a new reference), NULL if @uri has none. */
static OfflineFetchHost *
host_for (OfflineFetcher *self,
          const char     *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autofree char *key = NULL;
  OfflineFetchHost *host;
  int port;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return NULL;
  port = g_uri_get_port (parsed);
  if (port < 0)
    port = g_ascii_strcasecmp (g_uri_get_scheme (parsed), "https") == 0 ? 443 : 80;
  key = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (parsed), g_uri_get_host (parsed), port);
  host = g_hash_table_lookup (self->hosts, key);
  if (host == NULL) {
    if (g_hash_table_size (self->hosts) >= MAX_IDLE_HOSTS)
      g_hash_table_foreach_remove (self->hosts, host_is_idle, NULL);
    host = offline_fetch_host_new (key, self->max_per_host);
    g_hash_table_insert (self->hosts, g_steal_pointer (&key), host);
  }
  return offline_fetch_host_ref (host);
}

void
offline_fetcher_set_url_filter (OfflineFetcher            *self,
                                OfflineFetchUrlFilterFunc  filter,
                                gpointer                   user_data,
                                GDestroyNotify             destroy)
{
  g_return_if_fail (OFFLINE_IS_FETCHER (self));

  g_clear_pointer (&self->url_filter, offline_fetch_url_filter_unref);
  if (filter != NULL)
    self->url_filter = offline_fetch_url_filter_new (filter, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);
}

/* ---- fetch_file ---- */

static GTask *
task_new (OfflineFetcher      *self,
          OfflineFetchJobKind  kind,
          const char          *uri,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = offline_fetch_job_task_new (self, self->session, self->max_retries,
                                            self->retry_delay_ms, kind, uri, cancellable,
                                            callback, user_data, source_tag);
  OfflineFetchJob *job = g_task_get_task_data (task);

  /* the job keeps the filter it started with */
  if (self->url_filter != NULL)
    job->url_filter = offline_fetch_url_filter_ref (self->url_filter);
  return task;
}

/* Fails @task (consumed) unless its URI may be fetched. */
static gboolean
check_uri (OfflineFetcher *self,
           GTask          *task,
           const char     *uri)
{
  const char *refusal = offline_fetch_url_check (self->url_filter, uri);
  g_autofree char *shown = NULL;

  if (refusal == NULL)
    return TRUE;
  shown = offline_uri_for_message (uri);
  offline_fetch_job_fail (task, g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_INVALID_URI,
                                             "Cannot fetch \"%s\": %s", shown, refusal));
  return FALSE;
}

static void open_part (GTask *task);

static void
on_part_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  OfflineFetchJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  guint64 end;

  job->part = offline_fetch_part_open_finish (result, &error);
  if (job->part == NULL) {
    offline_fetch_job_fail (task, error);
    return;
  }
  end = job->want_start + offline_fetch_part_get_size (job->part);
  if (job->want_end >= 0 && end == (guint64) job->want_end)
    offline_fetch_job_complete (task);     /* an earlier run stored it all */
  else if (job->want_end >= 0 && end > (guint64) job->want_end)
    offline_fetch_job_start_over (task, g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                                                     "%s.part is longer than the range wanted",
                                                     job->path));
  else
    offline_fetch_job_start (task);
}

/* Opens the .part once the job holds a slot of its host. */
static void
open_part (GTask *task)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  offline_fetch_part_open_async (job->path, job->cancellable, on_part_opened, task);
}

void
offline_fetcher_fetch_file_async (OfflineFetcher       *self,
                                  const char           *uri,
                                  gint64                range_offset,
                                  gint64                range_length,
                                  const char           *path,
                                  GCancellable         *cancellable,
                                  OfflineFetchProgress  progress,
                                  gpointer              progress_data,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  GTask *task;
  OfflineFetchJob *job;

  g_return_if_fail (OFFLINE_IS_FETCHER (self));
  g_return_if_fail (uri != NULL && path != NULL);

  task = task_new (self, OFFLINE_FETCH_JOB_FILE, uri, cancellable, callback, user_data,
                   offline_fetcher_fetch_file_async);
  job = g_task_get_task_data (task);
  job->path = g_strdup (path);
  job->progress = progress;
  job->progress_data = progress_data;
  job->want_start = range_offset > 0 ? (guint64) range_offset : 0;
  if (range_length >= 0)
    job->want_end = (gint64) job->want_start + range_length;

  if (check_uri (self, task, uri)) {
    job->host = host_for (self, uri);
    offline_fetch_job_wait_for_slot (task, FALSE, open_part);
  }
}

gboolean
offline_fetcher_fetch_file_finish (OfflineFetcher  *self,
                                   GAsyncResult    *result,
                                   guint64         *size,
                                   GError         **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == offline_fetcher_fetch_file_async,
                        FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (size != NULL)
    *size = (guint64) n;
  return TRUE;
}

/* ---- fetch_bytes ---- */

/* A bytes job of @uri: a GET, or a POST of @body (nullable). */
static void
start_bytes (OfflineFetcher      *self,
             const char          *uri,
             const char          *content_type,
             GBytes              *body,
             gsize                max_size,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task;
  OfflineFetchJob *job;

  /* both finished by offline_fetcher_fetch_bytes_finish() */
  task = task_new (self, OFFLINE_FETCH_JOB_BYTES, uri, cancellable, callback, user_data,
                   offline_fetcher_fetch_bytes_async);
  job = g_task_get_task_data (task);
  job->max_size = max_size;
  if (body != NULL) {
    job->request_body = g_bytes_ref (body);
    job->request_content_type = g_strdup (content_type);
  }

  if (check_uri (self, task, uri))
    offline_fetch_job_start (task);
}

void
offline_fetcher_fetch_bytes_async (OfflineFetcher      *self,
                                   const char          *uri,
                                   gsize                max_size,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (OFFLINE_IS_FETCHER (self));
  g_return_if_fail (uri != NULL);

  start_bytes (self, uri, NULL, NULL, max_size, cancellable, callback, user_data);
}

void
offline_fetcher_post_bytes_async (OfflineFetcher      *self,
                                  const char          *uri,
                                  const char          *content_type,
                                  GBytes              *body,
                                  gsize                max_size,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (OFFLINE_IS_FETCHER (self));
  g_return_if_fail (uri != NULL);
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (body != NULL);

  start_bytes (self, uri, content_type, body, max_size, cancellable, callback, user_data);
}

GBytes *
offline_fetcher_fetch_bytes_finish (OfflineFetcher  *self,
                                    GAsyncResult    *result,
                                    char           **content_type,
                                    char           **final_uri,
                                    GError         **error)
{
  OfflineFetchJob *job;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == offline_fetcher_fetch_bytes_async,
                        NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes == NULL)
    return NULL;
  job = g_task_get_task_data (G_TASK (result));
  if (content_type != NULL)
    *content_type = g_strdup (job->content_type);
  if (final_uri != NULL)
    *final_uri = g_strdup (offline_fetch_job_get_uri (job));
  return bytes;
}
