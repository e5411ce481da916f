/* offline-fetch-retry.c: retry classification, backoff and Retry-After
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-fetch-retry-private.h"
#include "offline-manifest-private.h"

gboolean
offline_fetch_status_is_transient (guint status)
{
  return status == SOUP_STATUS_REQUEST_TIMEOUT ||
         status == 429 /* Too Many Requests: not in SoupStatus */ ||
         (status >= 500 && status <= 599);
}

gboolean
offline_fetch_error_is_unreachable (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
}

guint
offline_fetch_error_max_retries (const GError *error,
                                 guint         max_retries)
{
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return 0;
  /* a name that does not resolve will not resolve a second later */
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return 0;
  if (offline_fetch_error_is_unreachable (error))
    return MIN (max_retries, OFFLINE_FETCH_UNREACHABLE_RETRIES);
  /* a server with a bad certificate stays bad */
  if (error->domain == G_TLS_ERROR)
    return error->code != G_TLS_ERROR_BAD_CERTIFICATE &&
           error->code != G_TLS_ERROR_CERTIFICATE_REQUIRED ? max_retries : 0;
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_NOT_SUPPORTED &&
           error->code != G_IO_ERROR_INVALID_ARGUMENT ? max_retries : 0;
  if (error->domain == SOUP_SESSION_ERROR)
    return error->code == SOUP_SESSION_ERROR_PARSING ||
           error->code == SOUP_SESSION_ERROR_ENCODING ? max_retries : 0;
  /* other resolver errors and anything else from the network */
  return max_retries;
}

guint
offline_fetch_backoff_ms (guint base_ms,
                          guint retry)
{
  double delay = base_ms;

  for (guint i = 1; i < retry && delay < OFFLINE_FETCH_BACKOFF_CAP_MS; i++)
    delay *= 2;
  delay *= g_random_double_range (0.75, 1.25);
  return (guint) MIN (delay, (double) OFFLINE_FETCH_BACKOFF_CAP_MS);
}

gint64
offline_fetch_parse_retry_after (const char *value,
                                 GDateTime  *now)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) current = NULL;
  g_autofree char *text = NULL;
  guint64 seconds;
  GTimeSpan delta;

  if (value == NULL)
    return -1;
  text = g_strstrip (g_strdup (value));
  if (offline_parse_uint64 (text, G_MAXUINT64, &seconds))
    return MIN (seconds, OFFLINE_FETCH_RETRY_AFTER_CAP_MS / 1000) * 1000;

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return -1;
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  delta = g_date_time_difference (date, current);
  if (delta <= 0)
    return 0;
  return MIN (delta / 1000, OFFLINE_FETCH_RETRY_AFTER_CAP_MS);
}

guint
offline_fetch_retry_delay_ms (guint        base_ms,
                              guint        retry,
                              SoupMessage *msg)
{
  gint64 retry_after = -1;

  if (msg != NULL)
    retry_after = offline_fetch_parse_retry_after (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"), NULL);
  if (retry_after >= 0)
    return (guint) retry_after;
  return offline_fetch_backoff_ms (base_ms, retry);
}

/* "N" or "*" → N or −1; FALSE for anything else. */
static gboolean
parse_position (const char *text,
                gsize       length,
                gint64     *out)
{
  g_autofree char *copy = g_strndup (text, length);
  guint64 value;

  if (strcmp (copy, "*") == 0) {
    *out = -1;
    return TRUE;
  }
  if (!offline_parse_uint64 (copy, G_MAXINT64, &value))
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

gboolean
offline_fetch_parse_content_range (const char *value,
                                   gint64     *first,
                                   gint64     *last,
                                   gint64     *total)
{
  const char *range, *slash, *dash;

  if (value == NULL)
    return FALSE;
  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_strncasecmp (value, "bytes", 5) != 0 || !g_ascii_isspace (value[5]))
    return FALSE;
  range = value + 6;
  while (g_ascii_isspace (*range))
    range++;
  slash = strchr (range, '/');
  if (slash == NULL || !parse_position (slash + 1, strlen (slash + 1), total))
    return FALSE;

  if (slash - range == 1 && *range == '*') {
    *first = *last = -1;
    return TRUE;
  }
  dash = memchr (range, '-', slash - range);
  if (dash == NULL ||
      !parse_position (range, dash - range, first) || *first < 0 ||
      !parse_position (dash + 1, slash - dash - 1, last) || *last < 0)
    return FALSE;
  return *last >= *first && (*total < 0 || *total > *last);
}
