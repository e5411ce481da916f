/* offline-fetch-host-private.h: one host's window of requests in flight
 * (library-internal)
 *
 * The fetcher keeps one OfflineFetchHost per scheme, host and port. A file
 * fetch holds a slot of its host's window from the moment it is admitted
 * until it ends (and gives it back while it waits to retry); fetches that
 * find the window full wait, and the downloads waiting get the free slots
 * in turns (each its fetches in the order it asked), so that downloads
 * sharing a host share its window evenly.
 *
 * The window adapts to what the link delivers (offline-fetch-host.c):
 *
 *   - it starts at OFFLINE_FETCH_HOST_INITIAL_WINDOW (or the ceiling, if
 *     lower);
 *   - at first (slow start), while fetches queue for slots, each fetch
 *     that completes having waited for its first byte at least as long as
 *     its bytes took to come adds a slot (the link idled meanwhile): the
 *     window doubles in about a fetch's time, as TCP's slow start does;
 *   - each epoch measures the bytes a second the host delivers with the
 *     window it has: from the first completion of a fetch admitted in the
 *     epoch (the fetches admitted with the window before are then mostly
 *     gone) until as many of them as the window completed, and at least
 *     OFFLINE_FETCH_HOST_EPOCH_MS. While fetches queue for slots, a window that grew
 *     keeps growing (doubling at first, by a quarter later) as long as
 *     each growth brings OFFLINE_FETCH_HOST_GAIN_PERCENT more; a growth
 *     that brings less stops there (and is taken back if it brought less
 *     than OFFLINE_FETCH_HOST_KEEP_PERCENT), and the window is probed
 *     again OFFLINE_FETCH_HOST_PROBE_MS later;
 *   - a 429, a 503, any other failure worth a retry, halves it (never
 *     below 1; once for all the fetches that were in flight together) and
 *     stops growth for OFFLINE_FETCH_HOST_HOLD_MS;
 *   - it never passes the ceiling (the manager's max-parallel-segments).
 *
 * Everything here runs on the fetcher's main context.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OFFLINE_FETCH_HOST_INITIAL_WINDOW 6
#define OFFLINE_FETCH_HOST_EPOCH_MS       150
#define OFFLINE_FETCH_HOST_GAIN_PERCENT   10
#define OFFLINE_FETCH_HOST_KEEP_PERCENT   3
#define OFFLINE_FETCH_HOST_PROBE_MS       3000
#define OFFLINE_FETCH_HOST_HOLD_MS        5000

typedef struct _OfflineFetchHost OfflineFetchHost;

/* Called when a slot is given to a waiting fetch. */
typedef void (*OfflineFetchHostAdmitFunc) (gpointer user_data);

/* @name: for the debug log (e.g. "https://cdn.example:443") */
G_GNUC_INTERNAL
OfflineFetchHost *offline_fetch_host_new (const char *name,
                                          guint       ceiling);
G_GNUC_INTERNAL
OfflineFetchHost *offline_fetch_host_ref (OfflineFetchHost *self);
G_GNUC_INTERNAL
void offline_fetch_host_unref (OfflineFetchHost *self);

/* A new ceiling (≥ 1): the window is cut to it at once, and may grow to
 * it again. */
G_GNUC_INTERNAL
void offline_fetch_host_set_ceiling (OfflineFetchHost *self,
                                     guint             ceiling);

/* Asks for a slot for @user_data, a fetch of @owner (e.g. its download;
 * any pointer, NULL included): @admit runs at once if one is free, else
 * later, from offline_fetch_host_release() or a growing window. The
 * owners with fetches waiting get the free slots in turns, one each, and
 * each owner's fetches go in the order they asked; a fetch that had a
 * slot before (@again: a retry) goes first of its owner's. @user_data
 * must stay valid until @admit runs or offline_fetch_host_withdraw()
 * took it back. */
G_GNUC_INTERNAL
void offline_fetch_host_acquire (OfflineFetchHost          *self,
                                 gconstpointer              owner,
                                 gboolean                   again,
                                 OfflineFetchHostAdmitFunc  admit,
                                 gpointer                   user_data);

/* Takes a waiting request back (a cancelled fetch); FALSE if @user_data
 * was not waiting. */
G_GNUC_INTERNAL
gboolean offline_fetch_host_withdraw (OfflineFetchHost *self,
                                      gpointer          user_data);

/* What a fetch notes of its host when it is given a slot. */
typedef struct {
  guint epoch;                      /* the epoch it was admitted in */
  guint cuts;                       /* the cuts of the window before it */
  gint64 admitted;                  /* monotonic µs */
  gint64 first_byte;                /* monotonic µs; 0 before its first byte */
} OfflineFetchHostStamp;

G_GNUC_INTERNAL
void offline_fetch_host_stamp (OfflineFetchHost      *self,
                               OfflineFetchHostStamp *stamp);

/* Gives a slot back: the fetch ended (@completed: with its resource
 * stored) or waits to retry. @stamp: the slot's. */
G_GNUC_INTERNAL
void offline_fetch_host_release (OfflineFetchHost            *self,
                                 const OfflineFetchHostStamp *stamp,
                                 gboolean                     completed);

/* @bytes more arrived from the host, for the fetch of the slot @stamp. */
G_GNUC_INTERNAL
void offline_fetch_host_count_bytes (OfflineFetchHost      *self,
                                     OfflineFetchHostStamp *stamp,
                                     guint64                bytes);

/* The host answered 429 or 503, or failed in a way worth a retry, to the
 * fetch of the slot @stamp. The fetches in flight together all see it:
 * only one admitted since the last cut counts. */
G_GNUC_INTERNAL
void offline_fetch_host_congested (OfflineFetchHost            *self,
                                   const OfflineFetchHostStamp *stamp);

/* Nothing holds or waits for a slot. */
G_GNUC_INTERNAL
gboolean offline_fetch_host_is_idle (OfflineFetchHost *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineFetchHost, offline_fetch_host_unref)

G_END_DECLS
