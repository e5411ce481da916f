/* offline-fetch-retry-private.h: what the fetcher retries, when, and how it
 * reads the headers that decide it (library-internal)
 *
 * Pure functions: no state, callable from any thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OFFLINE_FETCH_BACKOFF_CAP_MS     30000  /* exponential backoff ceiling */
#define OFFLINE_FETCH_RETRY_AFTER_CAP_MS 60000  /* longest Retry-After obeyed */

/* Whether an HTTP @status is worth retrying: 408, 429 and 5xx. */
G_GNUC_INTERNAL
gboolean offline_fetch_status_is_transient (guint status);

/* Unreachable hosts fail fast: a connection refused, a host or network
 * unreachable, or a DNS server that did not answer is retried at most this
 * many times, this many ms apart at the most; a name that does not resolve
 * is not retried at all. */
#define OFFLINE_FETCH_UNREACHABLE_RETRIES  2
#define OFFLINE_FETCH_UNREACHABLE_DELAY_MS 250

/* How often a network error from libsoup (not a cancellation) may be
 * retried, given the @max_retries for transient faults: 0 for permanent
 * ones (certificate errors, a name that does not resolve), at most
 * OFFLINE_FETCH_UNREACHABLE_RETRIES for an unreachable host, @max_retries
 * for the rest (timeouts, resets, garbled responses). */
G_GNUC_INTERNAL
guint offline_fetch_error_max_retries (const GError *error,
                                       guint         max_retries);

/* Whether @error says the host is unreachable (see above): its retries
 * wait OFFLINE_FETCH_UNREACHABLE_DELAY_MS at the most. */
G_GNUC_INTERNAL
gboolean offline_fetch_error_is_unreachable (const GError *error);

/* The backoff in ms before retry number @retry (1 for the first):
 * @base_ms × 2^(@retry − 1), ±25% jitter, at most
 * OFFLINE_FETCH_BACKOFF_CAP_MS. */
G_GNUC_INTERNAL
guint offline_fetch_backoff_ms (guint base_ms,
                                guint retry);

/* A Retry-After header value (delay-seconds or an HTTP date, compared with
 * @now, or the current time if NULL) in ms, at most
 * OFFLINE_FETCH_RETRY_AFTER_CAP_MS; −1 if @value is NULL or malformed. */
G_GNUC_INTERNAL
gint64 offline_fetch_parse_retry_after (const char *value,
                                        GDateTime  *now);

/* The delay before retry number @retry after the response @msg (NULL for a
 * network error): its Retry-After if it has a valid one, else the
 * backoff. */
G_GNUC_INTERNAL
guint offline_fetch_retry_delay_ms (guint        base_ms,
                                    guint        retry,
                                    SoupMessage *msg);

/* Parses a Content-Range value "bytes FIRST-LAST/TOTAL" or
 * "bytes * /TOTAL" (without the space, as sent with 416). @first and @last
 * are −1 for "*", @total −1 for an unknown length. FALSE if malformed
 * (including LAST < FIRST or TOTAL ≤ LAST). */
G_GNUC_INTERNAL
gboolean offline_fetch_parse_content_range (const char *value,
                                            gint64     *first,
                                            gint64     *last,
                                            gint64     *total);

G_END_DECLS
