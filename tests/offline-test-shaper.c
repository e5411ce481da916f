/* offline-test-shaper.c: one token bucket for every response body of a
 * test server
 *
 * Bodies are appended to their messages a piece at a time, from a timer:
 * every TICK_MS the bucket gains rate × elapsed bytes (at most BURST_MS of
 * them), and hands them out round-robin, at most CHUNK to a body at a
 * time, so that N connections share the rate as they would share a link.
 * libsoup writes what was appended and pauses the message until more is
 * (soup_server_message_unpause()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "offline-test-shaper.h"

#define TICK_MS 2
#define BURST_MS 10
#define CHUNK 16384

typedef struct {
  SoupServerMessage *msg;       /* (owned) NULL once the client went away */
  GBytes *body;
  gsize offset;                 /* sent so far */
  gulong finished_id;
} Flow;

struct _OfflineTestShaper {
  GMainContext *context;
  guint64 rate;                 /* bytes per second */
  double tokens;
  gint64 last;                  /* monotonic µs of the last refill */
  GQueue flows;                 /* (element-type Flow) the next one first */
  GSource *tick;                /* (nullable) while flows wait */
};

static void
flow_free (Flow *flow)
{
  if (flow->msg != NULL) {
    g_signal_handler_disconnect (flow->msg, flow->finished_id);
    g_object_unref (flow->msg);
  }
  g_bytes_unref (flow->body);
  g_free (flow);
}

static void
on_finished (SoupServerMessage *msg,
             Flow              *flow)
{
  g_signal_handler_disconnect (flow->msg, flow->finished_id);
  g_clear_object (&flow->msg);
}

static gboolean
tick_cb (gpointer user_data)
{
  OfflineTestShaper *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double burst = MAX ((double) self->rate * BURST_MS / 1000, 1.0);
  Flow *flow;

  self->tokens = MIN (self->tokens + (double) self->rate * (now - self->last) / G_USEC_PER_SEC,
                      burst);
  self->last = now;
  while (self->tokens >= 1.0 && (flow = g_queue_pop_head (&self->flows)) != NULL) {
    gsize size = g_bytes_get_size (flow->body);
    gsize n = MIN (MIN (size - flow->offset, CHUNK), (gsize) self->tokens);
    g_autoptr(GBytes) piece = NULL;
    SoupMessageBody *body;

    if (flow->msg == NULL) {
      flow_free (flow);
      continue;
    }
    body = soup_server_message_get_response_body (flow->msg);
    piece = g_bytes_new_from_bytes (flow->body, flow->offset, n);
    soup_message_body_append_bytes (body, piece);
    flow->offset += n;
    self->tokens -= n;
    if (flow->offset == size) {
      soup_message_body_complete (body);
      soup_server_message_unpause (flow->msg);
      flow_free (flow);
    } else {
      soup_server_message_unpause (flow->msg);
      g_queue_push_tail (&self->flows, flow);
    }
  }
  if (!g_queue_is_empty (&self->flows))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->tick, g_source_unref);
  return G_SOURCE_REMOVE;
}

OfflineTestShaper *
offline_test_shaper_new (GMainContext *context,
                         guint64       bytes_per_second)
{
  OfflineTestShaper *self = g_new0 (OfflineTestShaper, 1);

  self->context = g_main_context_ref (context);
  self->rate = bytes_per_second;
  g_queue_init (&self->flows);
  return self;
}

void
offline_test_shaper_free (OfflineTestShaper *self)
{
  if (self == NULL)
    return;
  if (self->tick != NULL) {
    g_source_destroy (self->tick);
    g_source_unref (self->tick);
  }
  g_queue_clear_full (&self->flows, (GDestroyNotify) flow_free);
  g_main_context_unref (self->context);
  g_free (self);
}

void
offline_test_shaper_set_rate (OfflineTestShaper *self,
                              guint64            bytes_per_second)
{
  self->rate = bytes_per_second;
}

void
offline_test_shaper_send (OfflineTestShaper *self,
                          SoupServerMessage *msg,
                          GBytes            *body)
{
  Flow *flow = g_new0 (Flow, 1);

  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg),
                                           g_bytes_get_size (body));
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  flow->msg = g_object_ref (msg);
  flow->body = g_bytes_ref (body);
  flow->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_finished), flow);
  g_queue_push_tail (&self->flows, flow);
  if (self->tick == NULL) {
    self->last = g_get_monotonic_time ();
    self->tick = g_timeout_source_new (TICK_MS);
    g_source_set_callback (self->tick, tick_cb, self, NULL);
    g_source_attach (self->tick, self->context);
  }
}
