/* offline-fetch-host.c: one host's window of requests in flight
 *
 * See offline-fetch-host-private.h for what the window does. Why it works
 * this way: a fetch costs a request's latency before its first byte, then
 * its bytes at the link's speed. With few requests in flight and short
 * answers, the link idles during the latencies, and more requests fill it;
 * once it is full, more requests only queue at the bottleneck. Growing the
 * window while the bytes a second grow, and stepping back when they do
 * not, finds the smallest window that fills the link, whatever the
 * latency, the bandwidth or the size of the answers; servers that push
 * back (429, 503, resets) halve it, as TCP halves its window on a loss.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-fetch-host-private.h"

#define MS (G_USEC_PER_SEC / 1000)

typedef struct {
  OfflineFetchHostAdmitFunc admit;
  gpointer user_data;
} Waiter;

/* The waiting fetches of one owner (a download), in order. */
typedef struct {
  gconstpointer owner;
  GQueue waiters;             /* (element-type Waiter) (owned), never empty */
} Group;

/* Every field: the fetcher's main context. */
struct _OfflineFetchHost {
  gatomicrefcount ref_count;
  char *name;                 /* (owned) for the debug log */
  guint ceiling;              /* the window never passes it */
  guint window;               /* slots */
  guint in_flight;            /* slots held */
  GQueue waiting;             /* (element-type Group) (owned) of the owners with
                               * fetches waiting for a slot: taken in turns */

  /* the epoch being measured */
  guint epoch;                /* its number */
  guint epoch_window;         /* the window it started with */
  gint64 epoch_start;         /* monotonic µs: the first completion of a
                               * fetch admitted in it; 0 until then */
  guint64 epoch_bytes;        /* bytes the host delivered since */
  guint epoch_completed;      /* fetches admitted in it that completed */
  gboolean epoch_limited;     /* a fetch waited for a slot in it */
  guint cuts;                 /* times congestion cut the window */

  /* what the epochs before said */
  guint last_window;          /* the previous epoch's window; 0: nothing to compare */
  double last_rate;           /* its bytes a second */
  gboolean slow_start;        /* doubling, until a growth gains too little */
  gint64 next_probe;          /* a steady window grows again from then */
  gint64 hold_until;          /* no growth before (after a cut) */
};

static void
start_epoch (OfflineFetchHost *self)
{
  self->epoch++;
  self->epoch_window = self->window;
  self->epoch_start = 0;
  self->epoch_bytes = 0;
  self->epoch_completed = 0;
  self->epoch_limited = !g_queue_is_empty (&self->waiting);
}

OfflineFetchHost *
offline_fetch_host_new (const char *name,
                        guint       ceiling)
{
  OfflineFetchHost *self = g_new0 (OfflineFetchHost, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->ceiling = MAX (ceiling, 1);
  self->window = MIN (OFFLINE_FETCH_HOST_INITIAL_WINDOW, self->ceiling);
  self->slow_start = TRUE;
  g_queue_init (&self->waiting);
  start_epoch (self);
  return self;
}

OfflineFetchHost *
offline_fetch_host_ref (OfflineFetchHost *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
offline_fetch_host_unref (OfflineFetchHost *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  /* a waiter holds a reference to the host (through its fetch) */
  g_assert (g_queue_is_empty (&self->waiting));
  g_free (self->name);
  g_free (self);
}

/* Gives free slots to the fetches waiting: a slot to each owner in
 * turn, each owner's fetches in order. */
static void
admit_waiting (OfflineFetchHost *self)
{
  while (self->in_flight < self->window && !g_queue_is_empty (&self->waiting)) {
    Group *group = g_queue_pop_head (&self->waiting);
    Waiter *waiter = g_queue_pop_head (&group->waiters);
    Waiter copy = *waiter;

    g_free (waiter);
    if (g_queue_is_empty (&group->waiters))
      g_free (group);
    else
      g_queue_push_tail (&self->waiting, group);     /* its next turn */
    self->in_flight++;
    copy.admit (copy.user_data);
  }
}

static void
set_window (OfflineFetchHost *self,
            guint             window,
            const char       *why,
            double            rate)
{
  if (window == self->window)
    return;
  if (rate > 0)
    g_debug ("%s: a window of %u requests in flight (was %u): %s at %.0f kB/s",
             self->name, window, self->window, why, rate / 1000);
  else
    g_debug ("%s: a window of %u requests in flight (was %u): %s",
             self->name, window, self->window, why);
  self->window = window;
}

static void
grow (OfflineFetchHost *self,
      double            rate)
{
  guint step = self->slow_start ? self->window : MAX (self->window / 4, 1);

  set_window (self, MIN (self->window + step, self->ceiling), "growing", rate);
}

static void
end_epoch (OfflineFetchHost *self,
           gint64            now)
{
  double rate = (double) self->epoch_bytes * G_USEC_PER_SEC / MAX (now - self->epoch_start, 1);
  guint window = self->epoch_window;

  if (!self->epoch_limited || now < self->hold_until || self->window > window) {
    /* nothing waited (the window was not the limit), held after a cut,
     * or it grew fetch by fetch meanwhile (slow start: its fetches waited
     * for their first bytes, the surest sign that more fit): no verdict,
     * and nothing to compare the next epoch with */
    self->last_window = 0;
  } else {
    if (self->last_window != 0 && window > self->last_window) {
      /* the window grew: was it worth it? */
      if (rate * 100 >= self->last_rate * (100 + OFFLINE_FETCH_HOST_GAIN_PERCENT)) {
        grow (self, rate);
      } else {
        /* a little gain: keep it, and stop there; none: step back */
        if (rate * 100 < self->last_rate * (100 + OFFLINE_FETCH_HOST_KEEP_PERCENT))
          set_window (self, self->last_window, "no gain", rate);
        self->slow_start = FALSE;
        self->next_probe = now + OFFLINE_FETCH_HOST_PROBE_MS * MS;
      }
    } else if (self->slow_start || now >= self->next_probe) {
      grow (self, rate);
      self->next_probe = now + OFFLINE_FETCH_HOST_PROBE_MS * MS;
    }
    self->last_window = window;
    self->last_rate = rate;
  }
  start_epoch (self);
}

void
offline_fetch_host_set_ceiling (OfflineFetchHost *self,
                                guint             ceiling)
{
  self->ceiling = MAX (ceiling, 1);
  if (self->window > self->ceiling)
    set_window (self, self->ceiling, "the ceiling", 0);
  admit_waiting (self);
}

void
offline_fetch_host_acquire (OfflineFetchHost          *self,
                            gconstpointer              owner,
                            gboolean                   again,
                            OfflineFetchHostAdmitFunc  admit,
                            gpointer                   user_data)
{
  Group *group = NULL;
  Waiter *waiter;

  if (self->in_flight < self->window && g_queue_is_empty (&self->waiting)) {
    self->in_flight++;
    admit (user_data);
    return;
  }
  for (GList *l = self->waiting.head; l != NULL && group == NULL; l = l->next) {
    if (((Group *) l->data)->owner == owner)
      group = l->data;
  }
  if (group == NULL) {
    group = g_new0 (Group, 1);
    group->owner = owner;
    g_queue_push_tail (&self->waiting, group);
  }
  waiter = g_new (Waiter, 1);
  waiter->admit = admit;
  waiter->user_data = user_data;
  if (again)
    g_queue_push_head (&group->waiters, waiter);
  else
    g_queue_push_tail (&group->waiters, waiter);
  self->epoch_limited = TRUE;
}

gboolean
offline_fetch_host_withdraw (OfflineFetchHost *self,
                             gpointer          user_data)
{
  for (GList *g = self->waiting.head; g != NULL; g = g->next) {
    Group *group = g->data;

    for (GList *l = group->waiters.head; l != NULL; l = l->next) {
      Waiter *waiter = l->data;

      if (waiter->user_data != user_data)
        continue;
      g_queue_delete_link (&group->waiters, l);
      g_free (waiter);
      if (g_queue_is_empty (&group->waiters)) {
        g_queue_delete_link (&self->waiting, g);
        g_free (group);
      }
      return TRUE;
    }
  }
  return FALSE;
}

void
offline_fetch_host_stamp (OfflineFetchHost      *self,
                          OfflineFetchHostStamp *stamp)
{
  stamp->epoch = self->epoch;
  stamp->cuts = self->cuts;
  stamp->admitted = g_get_monotonic_time ();
  stamp->first_byte = 0;
}

/* Slow start, fetch by fetch: a fetch that completed having waited for
 * its first byte at least as long as its bytes took, while others waited
 * for a slot, adds a slot (until fetches no longer wait that long and an
 * epoch then finds that growing gains too little, or the host pushes
 * back). */
static void
slow_start_step (OfflineFetchHost            *self,
                 const OfflineFetchHostStamp *stamp,
                 gint64                       now)
{
  if (!self->slow_start || stamp->cuts != self->cuts || stamp->first_byte == 0 ||
      g_queue_is_empty (&self->waiting) || self->window >= self->ceiling ||
      now < self->hold_until)
    return;
  if (stamp->first_byte - stamp->admitted >= now - stamp->first_byte)
    set_window (self, self->window + 1, "slow start", 0);
}

void
offline_fetch_host_release (OfflineFetchHost            *self,
                            const OfflineFetchHostStamp *stamp,
                            gboolean                     completed)
{
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (self->in_flight > 0);

  self->in_flight--;
  if (completed)
    slow_start_step (self, stamp, now);
  if (completed && stamp->epoch == self->epoch) {
    if (self->epoch_start == 0) {
      /* the window of this epoch is at work: measure from here */
      self->epoch_start = now;
      self->epoch_bytes = 0;
    }
    self->epoch_completed++;
    /* a round of the window at least; out of slow start, where the
     * gains to tell apart are smaller, a longer measure */
    if (self->epoch_completed > self->epoch_window &&
        (self->slow_start || now - self->epoch_start >= OFFLINE_FETCH_HOST_EPOCH_MS * MS))
      end_epoch (self, now);
  }
  admit_waiting (self);
}

void
offline_fetch_host_count_bytes (OfflineFetchHost      *self,
                                OfflineFetchHostStamp *stamp,
                                guint64                bytes)
{
  if (stamp->first_byte == 0)
    stamp->first_byte = g_get_monotonic_time ();
  self->epoch_bytes += bytes;
}

void
offline_fetch_host_congested (OfflineFetchHost            *self,
                              const OfflineFetchHostStamp *stamp)
{
  gint64 now = g_get_monotonic_time ();

  /* The fetches in flight when the host pushed back all see it: that is
   * one event, one cut. Only a fetch admitted since the last cut (into
   * the smaller window) can tell that the window is still too big. */
  if (stamp->cuts != self->cuts)
    return;
  self->cuts++;
  set_window (self, MAX (self->window / 2, 1), "the host pushed back", 0);
  self->slow_start = FALSE;
  self->hold_until = now + OFFLINE_FETCH_HOST_HOLD_MS * MS;
  self->next_probe = self->hold_until;
  self->last_window = 0;
  start_epoch (self);
}

gboolean
offline_fetch_host_is_idle (OfflineFetchHost *self)
{
  return self->in_flight == 0 && g_queue_is_empty (&self->waiting);
}
