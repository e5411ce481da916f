/* offline-fetch-job.c: one fetch of OfflineFetcher, from the first request
 * to the last byte stored (see offline-fetch-job-private.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-error.h"
#include "offline-fetch-job-private.h"
#include "offline-fetch-retry-private.h"
#include "offline-manifest-private.h"

#define FLUSH_SIZE    (OFFLINE_FETCH_CHUNK_SIZE / 2)  /* store once this much is buffered */
#define MAX_REDIRECTS 20

/* What check_response() makes of a 2xx response. */
typedef enum {
  RESPONSE_OK,
  RESPONSE_RETRY,       /* wrong but maybe transient */
  RESPONSE_FAIL,
  RESPONSE_START_OVER,  /* the .part does not fit the resource */
} ResponseVerdict;

static void attempt_start (GTask *task);
static void read_next (GTask *task);
static void job_retry (GTask *task, GError *error, SoupMessage *msg);
static void job_retry_full (GTask *task, GError *error, SoupMessage *msg, guint max_retries,
                            guint max_delay_ms);

static void
wait_clear (OfflineFetchJob *job)
{
  if (job->wait_source != NULL) {
    g_source_destroy (job->wait_source);
    g_clear_pointer (&job->wait_source, g_source_unref);
  }
  if (job->wait_cancel_source != NULL) {
    g_source_destroy (job->wait_cancel_source);
    g_clear_pointer (&job->wait_cancel_source, g_source_unref);
  }
}

/* Gives the host's slot back, if the job holds it. */
static void
slot_release (OfflineFetchJob *job,
              gboolean         completed)
{
  if (!job->holds_slot)
    return;
  job->holds_slot = FALSE;
  offline_fetch_host_release (job->host, &job->slot_stamp, completed);
}

/* Ends the current attempt, aborting its body if unread. */
static void
attempt_clear (OfflineFetchJob *job)
{
  if (job->attempt_cancellable != NULL) {
    /* closes the connection if the body was not read to the end */
    g_cancellable_cancel (job->attempt_cancellable);
    g_cancellable_disconnect (job->cancellable, job->cancel_id);
    job->cancel_id = 0;
  }
  g_clear_object (&job->body);
  g_clear_object (&job->msg);
  g_clear_object (&job->attempt_cancellable);
}

static void
fetch_job_free (OfflineFetchJob *job)
{
  wait_clear (job);
  attempt_clear (job);
  slot_release (job, FALSE);
  g_clear_pointer (&job->host, offline_fetch_host_unref);
  g_clear_object (&job->session);
  g_clear_pointer (&job->url_filter, offline_fetch_url_filter_unref);
  g_free (job->uri);
  g_free (job->current_uri);
  g_free (job->message_uri);
  g_clear_object (&job->cancellable);
  g_clear_error (&job->pending_error);
  g_free (job->buffer);
  g_free (job->path);
  g_clear_pointer (&job->part, offline_fetch_part_free);
  g_clear_pointer (&job->data, g_byte_array_unref);
  g_free (job->content_type);
  g_clear_pointer (&job->request_body, g_bytes_unref);
  g_free (job->request_content_type);
  g_free (job);
}

GTask *
offline_fetch_job_task_new (gpointer             source_object,
                            SoupSession         *session,
                            guint                max_retries,
                            guint                retry_delay_ms,
                            OfflineFetchJobKind  kind,
                            const char          *uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data,
                            gpointer             source_tag)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);
  OfflineFetchJob *job = g_new0 (OfflineFetchJob, 1);

  g_task_set_source_tag (task, source_tag);
  /* a cancellation is reported as OFFLINE_ERROR_CANCELLED, not G_IO_ERROR */
  g_task_set_check_cancellable (task, FALSE);
  job->kind = kind;
  job->session = g_object_ref (session);
  job->max_retries = max_retries;
  job->retry_delay_ms = retry_delay_ms;
  job->uri = g_strdup (uri);
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  job->want_end = -1;
  job->body_end = -1;
  if (kind == OFFLINE_FETCH_JOB_BYTES)
    job->data = g_byte_array_new ();
  g_task_set_task_data (task, job, (GDestroyNotify) fetch_job_free);
  return task;
}

/* Bytes stored so far. */
static guint64
job_stored (OfflineFetchJob *job)
{
  if (job->kind == OFFLINE_FETCH_JOB_FILE)
    return job->part != NULL ? offline_fetch_part_get_size (job->part) : 0;
  return job->data->len;
}

/* Absolute offset of the next byte wanted. */
static guint64
job_next (OfflineFetchJob *job)
{
  return job->want_start + job_stored (job) + job->fill;
}

const char *
offline_fetch_job_get_uri (OfflineFetchJob *job)
{
  return job->current_uri != NULL ? job->current_uri : job->uri;
}

/* What messages quote of the request: its method and
 * offline_fetch_job_get_uri() cut to OFFLINE_MESSAGE_MAX_CHARS ("GET
 * http://…"), valid until the next call. */
static const char *
message_uri (OfflineFetchJob *job)
{
  g_autofree char *uri = offline_uri_for_message (offline_fetch_job_get_uri (job));

  g_free (job->message_uri);
  job->message_uri = g_strconcat (job->request_body != NULL ? "POST " : "GET ", uri, NULL);
  return job->message_uri;
}

static void
job_report (OfflineFetchJob *job,
            gint64           delta)
{
  job->reported += delta;
  if (job->progress != NULL && delta != 0)
    job->progress (delta, job->progress_data);
}

void
offline_fetch_job_fail (GTask  *task,
                        GError *error)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  wait_clear (job);
  attempt_clear (job);
  slot_release (job, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (job->cancellable)) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED,
                             "%s: cancelled", message_uri (job));
    g_error_free (error);
  } else {
    g_task_return_error (task, error);
  }
  g_object_unref (task);
}

static void
fail_printf (GTask      *task,
             int         code,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
fail_printf (GTask      *task,
             int         code,
             const char *format,
             ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (OFFLINE_ERROR, code, format, args);
  va_end (args);
  offline_fetch_job_fail (task, error);
}

/* "GET URI: 404 Not Found" */
static GError *
status_error (OfflineFetchJob *job,
              SoupMessage     *msg)
{
  guint status = soup_message_get_status (msg);
  const char *reason = soup_message_get_reason_phrase (msg);

  /* HTTP/2 has no reason phrase, and libsoup does not know 429's */
  if (status == 429 && (reason == NULL || *reason == '\0' || strcmp (reason, "Unknown Error") == 0))
    reason = "Too Many Requests";
  else if (reason == NULL || *reason == '\0')
    reason = soup_status_get_phrase (status);
  return g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                      "%s: %u %s", message_uri (job), status, reason);
}

/* A failure of the network or of libsoup (@error is consumed). */
static void
network_failed (GTask  *task,
                GError *error)
{
  OfflineFetchJob *job = g_task_get_task_data (task);
  GError *wrapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    offline_fetch_job_fail (task, error);
    return;
  }
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)) {
    /* permanent: fail at once, and say why it was not retried */
    wrapped = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                           "%s: %s (the host name does not resolve: not retried)",
                           message_uri (job), error->message);
    offline_fetch_job_fail (task, wrapped);
    g_error_free (error);
    return;
  }
  wrapped = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                         "%s: %s", message_uri (job), error->message);
  if (offline_fetch_error_max_retries (error, G_MAXUINT) == 0)   /* permanent */
    offline_fetch_job_fail (task, wrapped);
  else if (offline_fetch_error_is_unreachable (error))
    job_retry_full (task, wrapped, NULL,
                    offline_fetch_error_max_retries (error, job->max_retries),
                    OFFLINE_FETCH_UNREACHABLE_DELAY_MS);
  else
    job_retry (task, wrapped, NULL);
  g_error_free (error);
}

/* ---- retries ---- */

static gboolean
on_wait_done (gpointer user_data)
{
  GTask *task = g_object_ref (user_data);

  wait_clear (g_task_get_task_data (task));
  offline_fetch_job_wait_for_slot (task, TRUE, attempt_start);
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  offline_fetch_job_fail (g_object_ref (user_data),
                          g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
  return G_SOURCE_REMOVE;
}

/* Retries after a transient failure (@error, consumed; @msg the response
 * if there was one, for its Retry-After), or fails with it if retries are
 * exhausted. */
static void
job_retry (GTask       *task,
           GError      *error,
           SoupMessage *msg)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  job_retry_full (task, error, msg, job->max_retries, G_MAXUINT);
}

/* job_retry() with at most @max_retries retries, each after
 * @max_delay_ms at the most (an unreachable host). */
static void
job_retry_full (GTask       *task,
                GError      *error,
                SoupMessage *msg,
                guint        max_retries,
                guint        max_delay_ms)
{
  OfflineFetchJob *job = g_task_get_task_data (task);
  guint delay;

  /* an attempt that stored bytes was worth it: the count starts again */
  if (job->progressed)
    job->retries = 0;
  job->retries++;
  if (job->retries > max_retries) {
    GError *final = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                                 "%s (gave up after %u retries)", error->message, max_retries);

    g_error_free (error);
    offline_fetch_job_fail (task, final);
    return;
  }

  /* the host pushed back: fewer requests at once; and the slot is not
   * held while waiting */
  if (job->holds_slot)
    offline_fetch_host_congested (job->host, &job->slot_stamp);
  slot_release (job, FALSE);

  delay = MIN (offline_fetch_retry_delay_ms (job->retry_delay_ms, job->retries, msg), max_delay_ms);
  g_debug ("retry %u/%u in %u ms: %s", job->retries, max_retries, delay, error->message);
  g_error_free (error);

  attempt_clear (job);
  g_clear_pointer (&job->current_uri, g_free);
  job->redirects = 0;
  if (job->kind == OFFLINE_FETCH_JOB_BYTES)
    g_byte_array_set_size (job->data, 0);

  job->wait_source = g_timeout_source_new (delay);
  g_source_set_callback (job->wait_source, on_wait_done, g_object_ref (task), g_object_unref);
  g_source_attach (job->wait_source, g_task_get_context (task));
  if (job->cancellable != NULL) {
    job->wait_cancel_source = g_cancellable_source_new (job->cancellable);
    g_source_set_callback (job->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled),
                           g_object_ref (task), g_object_unref);
    g_source_attach (job->wait_cancel_source, g_task_get_context (task));
  }
  g_object_unref (task);
}

/* ---- storing ---- */

static void
after_flush (GTask *task)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  switch (job->then) {
  case OFFLINE_FETCH_THEN_READ:
    read_next (task);
    break;
  case OFFLINE_FETCH_THEN_COMPLETE:
    offline_fetch_job_complete (task);
    break;
  case OFFLINE_FETCH_THEN_RETRY:
    job_retry (task, g_steal_pointer (&job->pending_error), NULL);
    break;
  default:
    g_assert_not_reached ();
  }
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  OfflineFetchJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok = offline_fetch_part_op_finish (job->part, result, &error);

  /* what the worker wrote counts, even if ENOSPC stopped it halfway */
  job_report (job, (gint64) (offline_fetch_part_get_size (job->part) - job->flush_base));
  job->fill = 0;
  if (!ok) {
    offline_fetch_job_fail (task, error);
    return;
  }
  job->progressed = TRUE;
  after_flush (task);
}

/* Stores the buffered bytes, then goes on as @then says. */
static void
flush (GTask            *task,
       OfflineFetchThen  then)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  job->then = then;
  if (job->fill == 0) {
    after_flush (task);
    return;
  }
  if (job->kind == OFFLINE_FETCH_JOB_FILE) {
    job->flush_base = offline_fetch_part_get_size (job->part);
    offline_fetch_part_write_async (job->part, job->buffer, job->fill, job->cancellable,
                                    on_written, task);
    return;
  }
  if (job->data->len + job->fill > job->max_size) {
    fail_printf (task, OFFLINE_ERROR_DOWNLOAD_FAILED, "%s: more than %" G_GSIZE_FORMAT " bytes",
                 message_uri (job), job->max_size);
    return;
  }
  g_byte_array_append (job->data, job->buffer, job->fill);
  job->fill = 0;
  job->progressed = TRUE;
  after_flush (task);
}

/* ---- reading the body ---- */

/* Keeps, of the @n bytes just read at buffer + fill, those wanted. */
static void
take (OfflineFetchJob *job,
      gsize            n)
{
  guint8 *chunk = job->buffer + job->fill;
  guint64 next = job_next (job);
  guint64 skip = 0, keep;

  /* check_response() made sure the body does not start after next, and
   * body_pos ≤ next stays true as both advance */
  g_assert (job->body_pos <= next);
  skip = MIN ((guint64) n, next - job->body_pos);
  keep = n - skip;
  if (job->want_end >= 0)
    keep = MIN (keep, (guint64) job->want_end - next);
  if (keep > 0 && skip > 0)
    memmove (chunk, chunk + skip, keep);
  job->fill += keep;
  job->body_pos += n;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  OfflineFetchJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  gint64 end;

  if (n < 0) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      offline_fetch_job_fail (task, error);
      return;
    }
    /* cut off: keep what came, then ask for the rest */
    job->pending_error = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                                      "%s: %s", message_uri (job), error->message);
    g_error_free (error);
    flush (task, OFFLINE_FETCH_THEN_RETRY);
    return;
  }

  if (n == 0) {
    end = job->want_end >= 0 ? job->want_end : job->body_end;
    if (end >= 0 && job_next (job) < (guint64) end) {
      job->pending_error = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                                        "%s: body cut off at byte %" G_GUINT64_FORMAT
                                        " of %" G_GINT64_FORMAT,
                                        message_uri (job), job->body_pos, end);
      flush (task, OFFLINE_FETCH_THEN_RETRY);
      return;
    }
    flush (task, OFFLINE_FETCH_THEN_COMPLETE);
    return;
  }

  /* what the link delivers, as it arrives (stored or not) */
  if (job->host != NULL)
    offline_fetch_host_count_bytes (job->host, &job->slot_stamp, (guint64) n);
  take (job, (gsize) n);
  if (job->want_end >= 0 && job_next (job) >= (guint64) job->want_end &&
      (job->body_end < 0 || job->body_pos < (guint64) job->body_end))
    flush (task, OFFLINE_FETCH_THEN_COMPLETE);      /* the rest of the body is not wanted */
  /* else read on: reaching the end of the body keeps the connection alive */
  else if (job->fill >= FLUSH_SIZE)
    flush (task, OFFLINE_FETCH_THEN_READ);
  else
    read_next (task);
}

static void
read_next (GTask *task)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  g_input_stream_read_async (job->body, job->buffer + job->fill,
                             OFFLINE_FETCH_CHUNK_SIZE - job->fill, G_PRIORITY_DEFAULT,
                             job->attempt_cancellable, on_read, task);
}

/* ---- the response ---- */

static gboolean
is_identity_encoded (SoupMessageHeaders *headers)
{
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");

  return encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0;
}

static char *
wanted_range (OfflineFetchJob *job)
{
  guint64 next = job_next (job);

  if (job->want_end >= 0)
    return g_strdup_printf ("bytes=%" G_GUINT64_FORMAT "-%" G_GINT64_FORMAT, next, job->want_end - 1);
  return g_strdup_printf ("bytes=%" G_GUINT64_FORMAT "-", next);
}

/* Sets body_pos and body_end from a 2xx response; whether the body can
 * give the bytes wanted (if not, @error says why). */
static ResponseVerdict
check_response (OfflineFetchJob  *job,
                GError          **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (job->msg);
  guint status = soup_message_get_status (job->msg);
  guint64 next = job_next (job);
  gint64 length = -1, first, last, total;
  const char *content_range;

  /* a decoded body (bytes jobs only) is longer than its Content-Length */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      is_identity_encoded (headers))
    length = soup_message_headers_get_content_length (headers);

  if (job->kind == OFFLINE_FETCH_JOB_BYTES && length > 0 && (guint64) length > job->max_size) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                 "%s: %" G_GINT64_FORMAT " bytes, more than %" G_GSIZE_FORMAT,
                 message_uri (job), length, job->max_size);
    return RESPONSE_FAIL;
  }

  if (status != SOUP_STATUS_PARTIAL_CONTENT) {
    /* the whole resource (a server that ignores Range): trimmed in take() */
    job->body_pos = 0;
    job->body_end = length;
    if (length >= 0 && job->want_end >= 0 && length < job->want_end) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                   "%s: %u with %" G_GINT64_FORMAT " bytes, shorter than the range wanted "
                   "(up to byte %" G_GINT64_FORMAT ")",
                   message_uri (job), status, length, job->want_end - 1);
      return RESPONSE_RETRY;
    }
    if (length >= 0 && (guint64) length < next) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                   "%s: %u with %" G_GINT64_FORMAT " bytes, fewer than the %"
                   G_GUINT64_FORMAT " already stored",
                   message_uri (job), status, length, next);
      return RESPONSE_START_OVER;
    }
    return RESPONSE_OK;
  }

  content_range = soup_message_headers_get_one (headers, "Content-Range");
  if (!offline_fetch_parse_content_range (content_range, &first, &last, &total) ||
      first < 0 || (guint64) first > next ||
      (job->want_end >= 0 && last + 1 < job->want_end) ||
      (job->want_end < 0 && total >= 0 && last + 1 != total) ||
      (length >= 0 && length != last - first + 1)) {
    g_autofree char *range = wanted_range (job);

    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_DOWNLOAD_FAILED,
                 "%s: 206 with Content-Range \"%s\" (Content-Length %" G_GINT64_FORMAT
                 ") for Range \"%s\"",
                 message_uri (job), content_range ? content_range : "", length, range);
    return RESPONSE_RETRY;
  }
  job->body_pos = (guint64) first;
  job->body_end = last + 1;
  return RESPONSE_OK;
}

static void
on_truncated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  OfflineFetchJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!offline_fetch_part_op_finish (job->part, result, &error)) {
    offline_fetch_job_fail (task, error);
    return;
  }
  /* the bytes reported are gone */
  job_report (job, -job->reported);
  attempt_start (task);
}

void
offline_fetch_job_start_over (GTask  *task,
                              GError *error)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  if (job->kind != OFFLINE_FETCH_JOB_FILE || job->started_over) {
    offline_fetch_job_fail (task, error);
    return;
  }
  g_debug ("%s; starting over", error->message);
  g_error_free (error);
  job->started_over = TRUE;
  attempt_clear (job);
  offline_fetch_part_truncate_async (job->part, job->cancellable, on_truncated, task);
}

/* 416 to a resume: done if the .part already holds the whole resource. */
static void
range_not_satisfiable (GTask *task)
{
  OfflineFetchJob *job = g_task_get_task_data (task);
  const char *content_range =
    soup_message_headers_get_one (soup_message_get_response_headers (job->msg), "Content-Range");
  gint64 first, last, total;

  if (offline_fetch_parse_content_range (content_range, &first, &last, &total) &&
      total >= 0 && (guint64) total == job_next (job) && job->want_end < 0) {
    offline_fetch_job_complete (task);
    return;
  }
  offline_fetch_job_start_over (task, status_error (job, job->msg));
}

static void
follow_redirect (GTask *task)
{
  OfflineFetchJob *job = g_task_get_task_data (task);
  const char *location =
    soup_message_headers_get_one (soup_message_get_response_headers (job->msg), "Location");
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  const char *refusal;
  char *target;

  if (location == NULL) {
    fail_printf (task, OFFLINE_ERROR_DOWNLOAD_FAILED, "%s: %u without Location",
                 message_uri (job), soup_message_get_status (job->msg));
    return;
  }
  target = g_uri_resolve_relative (offline_fetch_job_get_uri (job), location,
                                   G_URI_FLAGS_ENCODED, &error);
  if (target == NULL) {
    g_autofree char *reason = offline_text_for_message (error->message, OFFLINE_MESSAGE_MAX_CHARS);

    shown = offline_uri_for_message (location);
    fail_printf (task, OFFLINE_ERROR_DOWNLOAD_FAILED, "%s: bad redirect to \"%s\": %s",
                 message_uri (job), shown, reason);
    return;
  }
  refusal = offline_fetch_url_check (job->url_filter, target);
  if (refusal != NULL) {
    shown = offline_uri_for_message (target);
    fail_printf (task, OFFLINE_ERROR_INVALID_URI, "%s: redirect to \"%s\" refused: %s",
                 message_uri (job), shown, refusal);
    g_free (target);
    return;
  }
  if (++job->redirects > MAX_REDIRECTS) {
    fail_printf (task, OFFLINE_ERROR_DOWNLOAD_FAILED, "%s: more than %d redirects",
                 message_uri (job), MAX_REDIRECTS);
    g_free (target);
    return;
  }
  attempt_clear (job);
  g_free (job->current_uri);
  job->current_uri = target;
  attempt_start (task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  OfflineFetchJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  guint status;

  job->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (job->body == NULL) {
    network_failed (task, error);
    return;
  }

  status = soup_message_get_status (job->msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status)) {
    switch (check_response (job, &error)) {
    case RESPONSE_OK:
      if (job->kind == OFFLINE_FETCH_JOB_BYTES && job->content_type == NULL)
        job->content_type = g_strdup (soup_message_headers_get_one (
          soup_message_get_response_headers (job->msg), "Content-Type"));
      read_next (task);
      break;
    case RESPONSE_RETRY:
      job_retry (task, error, NULL);
      break;
    case RESPONSE_START_OVER:
      offline_fetch_job_start_over (task, error);
      break;
    case RESPONSE_FAIL:
    default:
      offline_fetch_job_fail (task, error);
      break;
    }
  } else if (status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND ||
             status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_TEMPORARY_REDIRECT ||
             status == SOUP_STATUS_PERMANENT_REDIRECT) {
    follow_redirect (task);
  } else if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && job->kind == OFFLINE_FETCH_JOB_FILE &&
             job_stored (job) > 0) {
    range_not_satisfiable (task);
  } else if (offline_fetch_status_is_transient (status)) {
    job_retry (task, status_error (job, job->msg), job->msg);
  } else {
    offline_fetch_job_fail (task, status_error (job, job->msg));
  }
}

static void
cancel_attempt (GCancellable *cancellable,
                gpointer      attempt_cancellable)
{
  /* may run in the thread that cancelled */
  g_cancellable_cancel (attempt_cancellable);
}

static void
attempt_start (GTask *task)
{
  OfflineFetchJob *job = g_task_get_task_data (task);
  guint64 next;

  g_assert (job->msg == NULL && job->fill == 0);
  if (job->buffer == NULL)
    job->buffer = g_malloc (OFFLINE_FETCH_CHUNK_SIZE);

  job->msg = soup_message_new (job->request_body != NULL ? SOUP_METHOD_POST : SOUP_METHOD_GET,
                               offline_fetch_job_get_uri (job));
  if (job->msg == NULL) {
    fail_printf (task, OFFLINE_ERROR_INVALID_URI, "%s: cannot be fetched",
                 message_uri (job));
    return;
  }
  if (job->request_body != NULL)
    soup_message_set_request_body_from_bytes (job->msg, job->request_content_type,
                                              job->request_body);
  /* redirects are followed here, to refuse non-http(s) targets */
  soup_message_set_flags (job->msg, SOUP_MESSAGE_NO_REDIRECT);
  job->progressed = FALSE;
  job->body_pos = 0;
  job->body_end = -1;

  if (job->kind == OFFLINE_FETCH_JOB_FILE) {
    /* ranges count bytes as stored, not as transferred */
    soup_message_disable_feature (job->msg, SOUP_TYPE_CONTENT_DECODER);
    next = job_next (job);
    if (next > 0 || job->want_end >= 0)
      soup_message_headers_set_range (soup_message_get_request_headers (job->msg),
                                      (goffset) next, job->want_end >= 0 ? job->want_end - 1 : -1);
  }

  job->attempt_cancellable = g_cancellable_new ();
  if (job->cancellable != NULL)
    job->cancel_id = g_cancellable_connect (job->cancellable, G_CALLBACK (cancel_attempt),
                                            g_object_ref (job->attempt_cancellable),
                                            g_object_unref);
  soup_session_send_async (job->session, job->msg, G_PRIORITY_DEFAULT, job->attempt_cancellable,
                           on_sent, task);
}

/* ---- the host's slot ---- */

static void
on_slot (gpointer user_data)
{
  GTask *task = user_data;
  OfflineFetchJob *job = g_task_get_task_data (task);

  wait_clear (job);
  job->holds_slot = TRUE;
  offline_fetch_host_stamp (job->host, &job->slot_stamp);
  job->slot_then (task);
}

static gboolean
on_slot_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  OfflineFetchJob *job = g_task_get_task_data (task);

  /* the queue's reference is the one that travels */
  if (offline_fetch_host_withdraw (job->host, task))
    offline_fetch_job_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                       "cancelled"));
  return G_SOURCE_REMOVE;
}

void
offline_fetch_job_wait_for_slot (GTask               *task,
                                 gboolean             again,
                                 OfflineFetchJobStep  then)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  g_assert (!job->holds_slot && job->wait_cancel_source == NULL);

  if (job->host == NULL) {
    then (task);
    return;
  }
  job->slot_then = then;
  if (job->cancellable != NULL) {
    job->wait_cancel_source = g_cancellable_source_new (job->cancellable);
    g_source_set_callback (job->wait_cancel_source, G_SOURCE_FUNC (on_slot_cancelled),
                           g_object_ref (task), g_object_unref);
    g_source_attach (job->wait_cancel_source, g_task_get_context (task));
  }
  /* the caller's cancellable tells its downloads apart (each run has its
   * own), for the turns of offline_fetch_host_acquire() */
  offline_fetch_host_acquire (job->host, job->cancellable, again, on_slot, task);
}

/* ---- completion ---- */

static void
on_committed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  OfflineFetchJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!offline_fetch_part_op_finish (job->part, result, &error)) {
    offline_fetch_job_fail (task, error);
    return;
  }
  slot_release (job, TRUE);
  g_task_return_int (task, (gssize) offline_fetch_part_get_size (job->part));
  g_object_unref (task);
}

void
offline_fetch_job_complete (GTask *task)
{
  OfflineFetchJob *job = g_task_get_task_data (task);

  attempt_clear (job);
  if (job->kind == OFFLINE_FETCH_JOB_FILE) {
    offline_fetch_part_commit_async (job->part, on_committed, task);
    return;
  }
  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&job->data)),
                         (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

void
offline_fetch_job_start (GTask *task)
{
  attempt_start (task);
}
