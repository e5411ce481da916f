/* offline-test-shaper.h: one token bucket for every response body of a
 * test server (a link of a given total bandwidth)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _OfflineTestShaper OfflineTestShaper;

/* A shaper that lets @bytes_per_second through, shared by all the bodies
 * it sends; its timer runs on @context (the server's thread). */
OfflineTestShaper *offline_test_shaper_new (GMainContext *context,
                                            guint64       bytes_per_second);

/* Drops the bodies still being sent (their connections are closed by the
 * server's teardown). */
void offline_test_shaper_free (OfflineTestShaper *self);

void offline_test_shaper_set_rate (OfflineTestShaper *self,
                                   guint64            bytes_per_second);

/* Sends @body as @msg's response body at the shaper's pace, round-robin
 * with the other bodies; the caller set the status and headers (the
 * Content-Length is set here). On the shaper's context. */
void offline_test_shaper_send (OfflineTestShaper *self,
                               SoupServerMessage *msg,
                               GBytes            *body);

G_END_DECLS
