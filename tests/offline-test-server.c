/* offline-test-server.c: a real HTTP server on 127.0.0.1 for the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "offline-test-server.h"
#include "offline-test-shaper.h"
#include "offline-test-server-answer.h"

typedef enum {
  FAULT_STATUS,         /* answer with a status */
  FAULT_RESET,          /* cut the body, then RST */
  FAULT_TRUNCATE,       /* cut the body, then close */
  FAULT_MISRANGE,       /* 206 one byte off the range asked for */
  FAULT_STALL,          /* cut the body, then silence, then close */
  FAULT_OVERLONG,       /* the body, then junk past Content-Length, then close */
} FaultKind;

typedef struct {
  FaultKind kind;
  char *path;           /* NULL: any */
  guint remaining;      /* OFFLINE_TEST_SERVER_ALWAYS: never runs out */
  guint status;         /* FAULT_STATUS */
  char *retry_after;    /* FAULT_STATUS, or NULL */
  gsize after_bytes;    /* FAULT_RESET, FAULT_TRUNCATE, FAULT_STALL; junk of FAULT_OVERLONG */
  guint stall_ms;       /* FAULT_STALL */
  char *content_type;   /* or NULL: instead of the usual one */
} Fault;

typedef struct {
  GBytes *bytes;
  char *content_type;   /* or NULL */
} Content;

typedef struct {
  guint status;
  char *location;
} Redirect;

/* How one request is answered: decided (under the lock) when it arrives,
 * carried out in the server thread, maybe after the latency. */
typedef struct {
  OfflineTestServer *self;
  SoupServerMessage *msg;       /* a reference, while delayed */
  char *path;
  guint latency_ms;
  guint64 rate;                 /* bytes per second of all bodies, 0: no limit */
  gboolean ignore_range;
  guint path_status;            /* 0: none */
  Fault fault;                  /* a copy; kind FAULT_STATUS with status 0: none */
  Content content;              /* bytes NULL: the file */
  Redirect redirect;            /* status 0: none */
  GSource *delay_source;        /* while delayed */
  gulong finished_id;
  gboolean finished;            /* the client went away while delayed */
} Plan;

struct _OfflineTestServer {
  /* Set by offline_test_server_new_for_root() before the thread starts
   * serving, read-only afterwards (any thread). */
  char *root;
  char *base_url;
  guint16 port;
  GThread *thread;
  GMainContext *context;        /* the server thread's */
  GMainLoop *loop;

  /* server thread only */
  SoupServer *server;
  GHashTable *delayed;          /* (element-type Plan) requests waiting out the latency */
  OfflineTestShaper *shaper;    /* (nullable) once a rate was set */

  /* guarded by lock */
  GMutex lock;
  GCond ready_cond;
  gboolean ready;
  guint latency_ms;
  guint64 rate;
  gboolean ignore_range;
  GHashTable *path_status;      /* path → GUINT_TO_POINTER (status) */
  GHashTable *contents;         /* path → Content */
  GHashTable *redirects;        /* path → Redirect */
  GQueue faults;                /* (element-type Fault) oldest first */
  OfflineTestFaultPicker picker;        /* or NULL */
  gpointer picker_data;
  GHashTable *ranges;           /* path → GPtrArray of Range values ("" for none) */
  guint request_count;
  GPtrArray *paths;             /* (element-type utf8) of every request, in arrival order */
  GHashTable *clients;          /* client ports seen (GUINT_TO_POINTER) */
  guint max_active;             /* past it, 503; 0: no limit */
  guint active;                 /* requests being answered (not refused) */
  guint peak_active;
  guint refused_count;          /* 503s for max_active */
};

/* ---- bookkeeping ---- */

static void
fault_free (Fault *fault)
{
  g_free (fault->path);
  g_free (fault->retry_after);
  g_free (fault->content_type);
  g_free (fault);
}

static void
content_free (Content *content)
{
  g_bytes_unref (content->bytes);
  g_free (content->content_type);
  g_free (content);
}

static void
redirect_free (Redirect *redirect)
{
  g_free (redirect->location);
  g_free (redirect);
}

static void
plan_free (Plan *plan)
{
  if (plan->delay_source != NULL) {
    g_source_destroy (plan->delay_source);
    g_source_unref (plan->delay_source);
  }
  if (plan->finished_id != 0)
    g_signal_handler_disconnect (plan->msg, plan->finished_id);
  g_clear_object (&plan->msg);
  g_free (plan->path);
  g_free (plan->fault.path);
  g_free (plan->fault.retry_after);
  g_free (plan->fault.content_type);
  g_clear_pointer (&plan->content.bytes, g_bytes_unref);
  g_free (plan->content.content_type);
  g_free (plan->redirect.location);
  g_free (plan);
}

/* "/a/b" and "a/b" → "a/b" */
static const char *
key (const char *path)
{
  while (path != NULL && *path == '/')
    path++;
  return path;
}

/* ---- answering ---- */

static void
set_text (SoupServerMessage *msg,
          guint              status,
          const char        *text)
{
  soup_server_message_set_status (msg, status, status == 429 ? "Too Many Requests" : NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

/* Answers @plan's request; FALSE if its connection was stolen. */
static gboolean
respond (Plan *plan)
{
  SoupServerMessage *msg = plan->msg;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GBytes) all = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  gsize size, start = 0, end = 0;
  guint status;

  if (plan->fault.kind == FAULT_STATUS && plan->fault.status != 0) {
    if (plan->fault.retry_after != NULL)
      soup_message_headers_replace (response, "Retry-After", plan->fault.retry_after);
    text = g_strdup_printf ("injected %u\n", plan->fault.status);
    set_text (msg, plan->fault.status, text);
    return TRUE;
  }
  if (plan->path_status != 0) {
    text = g_strdup_printf ("status %u for /%s\n", plan->path_status, plan->path);
    set_text (msg, plan->path_status, text);
    return TRUE;
  }
  if (plan->redirect.status != 0) {
    soup_server_message_set_redirect (msg, plan->redirect.status, plan->redirect.location);
    return TRUE;
  }
  if (strcmp (method, SOUP_METHOD_GET) != 0 && strcmp (method, SOUP_METHOD_HEAD) != 0) {
    set_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "GET or HEAD only\n");
    return TRUE;
  }

  if (plan->content.bytes != NULL) {
    all = g_bytes_ref (plan->content.bytes);
  } else if ((status = offline_test_answer_load_file (plan->self->root, plan->path, &all)) != 0) {
    text = g_strdup_printf ("%s /%s\n", soup_status_get_phrase (status), plan->path);
    set_text (msg, status, text);
    return TRUE;
  }

  size = g_bytes_get_size (all);
  status = plan->ignore_range ? 0 : offline_test_answer_parse_range (
    soup_message_headers_get_one (request, "Range"), size, &start, &end);
  /* libsoup would answer a Range itself to a 200 with a body: no */
  soup_message_headers_remove (request, "Range");
  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE) {
    text = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, size);
    soup_message_headers_replace (response, "Content-Range", text);
    set_text (msg, status, "range not satisfiable\n");
    return TRUE;
  }

  soup_message_headers_replace (response, "Content-Type",
                                plan->fault.content_type ? plan->fault.content_type
                                : plan->content.content_type ? plan->content.content_type
                                : offline_test_answer_content_type (plan->path));
  if (!plan->ignore_range)
    soup_message_headers_replace (response, "Accept-Ranges", "bytes");
  if (status == SOUP_STATUS_PARTIAL_CONTENT) {
    if (plan->fault.kind == FAULT_MISRANGE && start + 1 < end)
      start++;
    g_free (text);
    text = g_strdup_printf ("bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                            start, end - 1, size);
    soup_message_headers_replace (response, "Content-Range", text);
    body = g_bytes_new_from_bytes (all, start, end - start);
  } else {
    status = SOUP_STATUS_OK;
    body = g_bytes_ref (all);
  }

  if (plan->fault.kind == FAULT_RESET || plan->fault.kind == FAULT_TRUNCATE ||
      plan->fault.kind == FAULT_STALL || plan->fault.kind == FAULT_OVERLONG) {
    static const OfflineTestRaw raws[] = {
      [FAULT_TRUNCATE] = OFFLINE_TEST_RAW_TRUNCATE, [FAULT_RESET] = OFFLINE_TEST_RAW_RESET,
      [FAULT_STALL] = OFFLINE_TEST_RAW_STALL, [FAULT_OVERLONG] = OFFLINE_TEST_RAW_OVERLONG,
    };

    offline_test_answer_raw (plan->msg, raws[plan->fault.kind], plan->fault.after_bytes,
                             plan->fault.stall_ms, status, response, body);
    return FALSE;
  }
  soup_server_message_set_status (msg, status, NULL);
  if (plan->rate != 0 && g_bytes_get_size (body) > 0 && strcmp (method, SOUP_METHOD_GET) == 0) {
    OfflineTestServer *self = plan->self;

    if (self->shaper == NULL)
      self->shaper = offline_test_shaper_new (self->context, plan->rate);
    offline_test_shaper_set_rate (self->shaper, plan->rate);
    offline_test_shaper_send (self->shaper, msg, body);
    return TRUE;
  }
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
  return TRUE;
}

static gboolean
on_delay_done (gpointer user_data)
{
  Plan *plan = user_data;
  OfflineTestServer *self = plan->self;

  g_clear_pointer (&plan->delay_source, g_source_unref);
  if (!plan->finished) {
    g_signal_handler_disconnect (plan->msg, plan->finished_id);
    plan->finished_id = 0;
    if (respond (plan))
      soup_server_message_unpause (plan->msg);
  }
  g_hash_table_remove (self->delayed, plan);
  return G_SOURCE_REMOVE;
}

static void
on_delayed_finished (SoupServerMessage *msg,
                     Plan              *plan)
{
  plan->finished = TRUE;
}

/* What the picker chooses for a request (lock held). */
static void
pick_fault (OfflineTestServer *self,
            const char        *path,
            const char        *range,
            Fault             *out)
{
  static const FaultKind kinds[] = {
    [OFFLINE_TEST_FAULT_STATUS] = FAULT_STATUS,
    [OFFLINE_TEST_FAULT_RESET] = FAULT_RESET,
    [OFFLINE_TEST_FAULT_TRUNCATE] = FAULT_TRUNCATE,
    [OFFLINE_TEST_FAULT_STALL] = FAULT_STALL,
    [OFFLINE_TEST_FAULT_OVERLONG] = FAULT_OVERLONG,
  };
  OfflineTestFault picked = { OFFLINE_TEST_FAULT_NONE, };

  self->picker (path, range, &picked, self->picker_data);
  g_return_if_fail (picked.kind < G_N_ELEMENTS (kinds));
  g_return_if_fail (picked.kind != OFFLINE_TEST_FAULT_STATUS ||
                    (picked.status >= 100 && picked.status <= 599));
  out->kind = kinds[picked.kind];
  out->status = picked.status;
  out->retry_after = g_strdup (picked.retry_after);
  out->after_bytes = picked.after_bytes;
  out->stall_ms = picked.stall_ms;
  out->content_type = g_strdup (picked.content_type);
}

/* Takes the first fault for @path that has requests left, or else asks
 * the picker (lock held). */
static void
take_fault (OfflineTestServer *self,
            const char        *path,
            const char        *range,
            Fault             *out)
{
  for (GList *l = self->faults.head; l != NULL; l = l->next) {
    Fault *fault = l->data;

    if (fault->path != NULL && strcmp (fault->path, path) != 0)
      continue;
    *out = *fault;
    out->path = g_strdup (fault->path);
    out->retry_after = g_strdup (fault->retry_after);
    out->content_type = g_strdup (fault->content_type);
    if (fault->remaining != OFFLINE_TEST_SERVER_ALWAYS && --fault->remaining == 0) {
      g_queue_delete_link (&self->faults, l);
      fault_free (fault);
    }
    return;
  }
  if (self->picker != NULL)
    pick_fault (self, path, range, out);
}

/* Server thread: a request counted in active is answered (or its client
 * went away). */
static void
on_active_finished (SoupServerMessage *msg,
                    OfflineTestServer *self)
{
  g_mutex_lock (&self->lock);
  self->active--;
  g_mutex_unlock (&self->lock);
}

/* Server thread. */
static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *encoded_path,
                GHashTable        *query,
                gpointer           user_data)
{
  OfflineTestServer *self = user_data;
  g_autofree char *decoded = g_uri_unescape_string (encoded_path, "/");
  const char *range = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Range");
  GSocketAddress *client = soup_server_message_get_remote_address (msg);
  Plan *plan = g_new0 (Plan, 1);
  GPtrArray *log;
  Content *content;
  Redirect *redirect;

  plan->self = self;
  plan->msg = g_object_ref (msg);
  /* %2F, %00 or bad escapes: a path no file has */
  plan->path = g_strdup (decoded != NULL ? key (decoded) : "..");

  g_mutex_lock (&self->lock);
  self->request_count++;
  g_ptr_array_add (self->paths, g_strdup (plan->path));
  if (G_IS_INET_SOCKET_ADDRESS (client))
    g_hash_table_add (self->clients,
                      GUINT_TO_POINTER (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (client))));
  log = g_hash_table_lookup (self->ranges, plan->path);
  if (log == NULL) {
    log = g_ptr_array_new_with_free_func (g_free);
    g_hash_table_insert (self->ranges, g_strdup (plan->path), log);
  }
  g_ptr_array_add (log, g_strdup (range ? range : ""));

  plan->latency_ms = self->latency_ms;
  plan->rate = self->rate;
  plan->ignore_range = self->ignore_range;
  plan->path_status = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_status, plan->path));
  if (self->max_active != 0 && self->active >= self->max_active) {
    plan->path_status = SOUP_STATUS_SERVICE_UNAVAILABLE;
    self->refused_count++;
  } else {
    self->active++;
    self->peak_active = MAX (self->peak_active, self->active);
    g_signal_connect (msg, "finished", G_CALLBACK (on_active_finished), self);
  }
  take_fault (self, plan->path, range, &plan->fault);
  content = g_hash_table_lookup (self->contents, plan->path);
  if (content != NULL) {
    plan->content.bytes = g_bytes_ref (content->bytes);
    plan->content.content_type = g_strdup (content->content_type);
  }
  redirect = g_hash_table_lookup (self->redirects, plan->path);
  if (redirect != NULL) {
    plan->redirect.status = redirect->status;
    plan->redirect.location = g_strdup (redirect->location);
  }
  g_mutex_unlock (&self->lock);

  if (plan->latency_ms == 0) {
    respond (plan);
    plan_free (plan);
    return;
  }
  soup_server_message_pause (msg);
  plan->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_delayed_finished), plan);
  plan->delay_source = g_timeout_source_new (plan->latency_ms);
  g_source_set_callback (plan->delay_source, on_delay_done, plan, NULL);
  g_source_attach (plan->delay_source, self->context);
  g_hash_table_add (self->delayed, plan);
}

/* ---- the server thread ---- */

static gpointer
server_thread (gpointer user_data)
{
  OfflineTestServer *self = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new ("server-header", "offline-test-server ", NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("offline-test-server: cannot listen on 127.0.0.1: %s", error->message);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);

  g_mutex_lock (&self->lock);
  self->port = (guint16) g_uri_get_port (uris->data);
  self->ready = TRUE;
  g_cond_signal (&self->ready_cond);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  g_hash_table_remove_all (self->delayed);
  g_clear_pointer (&self->shaper, offline_test_shaper_free);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

OfflineTestServer *
offline_test_server_new_for_root (const char *root)
{
  OfflineTestServer *self = g_new0 (OfflineTestServer, 1);

  self->root = g_canonicalize_filename (root, NULL);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->delayed = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) plan_free, NULL);
  g_mutex_init (&self->lock);
  g_cond_init (&self->ready_cond);
  self->path_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->contents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) content_free);
  self->redirects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) redirect_free);
  self->ranges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->faults);
  self->clients = g_hash_table_new (NULL, NULL);
  self->paths = g_ptr_array_new_with_free_func (g_free);

  self->thread = g_thread_new ("offline-test-server", server_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->ready_cond, &self->lock);
  g_mutex_unlock (&self->lock);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u/", self->port);
  return self;
}

OfflineTestServer *
offline_test_server_new (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "data", NULL);

  return offline_test_server_new_for_root (root);
}

typedef struct {
  OfflineTestServer *server;
  const char *path;
  SoupServerCallback callback;
  gpointer user_data;
  gboolean done;                /* with the server's lock */
} AddHandler;

static gboolean
add_handler_in_thread (gpointer user_data)
{
  AddHandler *add = user_data;

  soup_server_add_handler (add->server->server, add->path, add->callback, add->user_data, NULL);
  g_mutex_lock (&add->server->lock);
  add->done = TRUE;
  g_cond_broadcast (&add->server->ready_cond);
  g_mutex_unlock (&add->server->lock);
  return G_SOURCE_REMOVE;
}

void
offline_test_server_add_handler (OfflineTestServer  *self,
                                 const char         *path,
                                 SoupServerCallback  callback,
                                 gpointer            user_data)
{
  AddHandler add = { self, path, callback, user_data, FALSE };

  /* the server is the server thread's */
  g_main_context_invoke (self->context, add_handler_in_thread, &add);
  g_mutex_lock (&self->lock);
  while (!add.done)
    g_cond_wait (&self->ready_cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
offline_test_server_free (OfflineTestServer *self)
{
  if (self == NULL)
    return;
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->delayed);
  g_hash_table_unref (self->path_status);
  g_hash_table_unref (self->contents);
  g_hash_table_unref (self->redirects);
  g_hash_table_unref (self->ranges);
  g_hash_table_unref (self->clients);
  g_ptr_array_unref (self->paths);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->ready_cond);
  g_free (self->root);
  g_free (self->base_url);
  g_free (self);
}

const char *
offline_test_server_get_base_url (OfflineTestServer *self)
{
  return self->base_url;
}

guint16
offline_test_server_get_port (OfflineTestServer *self)
{
  return self->port;
}

GSocket *
offline_test_refusing_socket (guint16 *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

char *
offline_test_server_get_url (OfflineTestServer *self,
                             const char        *path)
{
  return g_strconcat (self->base_url, key (path), NULL);
}

/* ---- switches ---- */

void
offline_test_server_set_latency (OfflineTestServer *self,
                                 guint              milliseconds)
{
  g_mutex_lock (&self->lock);
  self->latency_ms = milliseconds;
  g_mutex_unlock (&self->lock);
}

void
offline_test_server_set_rate (OfflineTestServer *self,
                              guint64            bytes_per_second)
{
  g_mutex_lock (&self->lock);
  self->rate = bytes_per_second;
  g_mutex_unlock (&self->lock);
}

void
offline_test_server_set_ignore_range (OfflineTestServer *self,
                                      gboolean           ignore)
{
  g_mutex_lock (&self->lock);
  self->ignore_range = ignore;
  g_mutex_unlock (&self->lock);
}

void
offline_test_server_set_path_status (OfflineTestServer *self,
                                     const char        *path,
                                     guint              status)
{
  g_mutex_lock (&self->lock);
  if (status == 0)
    g_hash_table_remove (self->path_status, key (path));
  else
    g_hash_table_insert (self->path_status, g_strdup (key (path)), GUINT_TO_POINTER (status));
  g_mutex_unlock (&self->lock);
}

static void
add_fault (OfflineTestServer *self,
           FaultKind          kind,
           const char        *path,
           guint              n,
           guint              status,
           const char        *retry_after,
           gsize              after_bytes)
{
  Fault *fault;

  if (n == 0)
    return;
  fault = g_new0 (Fault, 1);
  fault->kind = kind;
  fault->path = g_strdup (key (path));
  fault->remaining = n;
  fault->status = status;
  fault->retry_after = g_strdup (retry_after);
  fault->after_bytes = after_bytes;
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->faults, fault);
  g_mutex_unlock (&self->lock);
}

void
offline_test_server_fail_next (OfflineTestServer *self,
                               const char        *path,
                               guint              n,
                               guint              status,
                               const char        *retry_after)
{
  g_return_if_fail (status >= 100 && status <= 599);

  add_fault (self, FAULT_STATUS, path, n, status, retry_after, 0);
}

void
offline_test_server_reset_next (OfflineTestServer *self,
                                const char        *path,
                                guint              n,
                                gsize              after_bytes)
{
  add_fault (self, FAULT_RESET, path, n, 0, NULL, after_bytes);
}

void
offline_test_server_truncate_next (OfflineTestServer *self,
                                   const char        *path,
                                   guint              n,
                                   gsize              after_bytes)
{
  add_fault (self, FAULT_TRUNCATE, path, n, 0, NULL, after_bytes);
}

void
offline_test_server_misrange_next (OfflineTestServer *self,
                                   const char        *path,
                                   guint              n)
{
  add_fault (self, FAULT_MISRANGE, path, n, 0, NULL, 0);
}

void
offline_test_server_set_fault_picker (OfflineTestServer      *self,
                                      OfflineTestFaultPicker  picker,
                                      gpointer                user_data)
{
  g_mutex_lock (&self->lock);
  self->picker = picker;
  self->picker_data = user_data;
  g_mutex_unlock (&self->lock);
}

void
offline_test_server_add_content (OfflineTestServer *self,
                                 const char        *path,
                                 GBytes            *content,
                                 const char        *content_type)
{
  Content *entry = NULL;

  if (content != NULL) {
    entry = g_new0 (Content, 1);
    entry->bytes = g_bytes_ref (content);
    entry->content_type = g_strdup (content_type);
  }
  g_mutex_lock (&self->lock);
  if (entry != NULL)
    g_hash_table_insert (self->contents, g_strdup (key (path)), entry);
  else
    g_hash_table_remove (self->contents, key (path));
  g_mutex_unlock (&self->lock);
}

void
offline_test_server_add_redirect (OfflineTestServer *self,
                                  const char        *path,
                                  guint              status,
                                  const char        *location)
{
  Redirect *entry = NULL;

  if (location != NULL) {
    g_return_if_fail (status >= 300 && status <= 399);
    entry = g_new0 (Redirect, 1);
    entry->status = status;
    entry->location = g_strdup (location);
  }
  g_mutex_lock (&self->lock);
  if (entry != NULL)
    g_hash_table_insert (self->redirects, g_strdup (key (path)), entry);
  else
    g_hash_table_remove (self->redirects, key (path));
  g_mutex_unlock (&self->lock);
}

void
offline_test_server_clear_switches (OfflineTestServer *self)
{
  g_mutex_lock (&self->lock);
  self->latency_ms = 0;
  self->ignore_range = FALSE;
  self->max_active = 0;
  g_hash_table_remove_all (self->path_status);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_free);
  g_mutex_unlock (&self->lock);
}

/* ---- what it saw ---- */

guint
offline_test_server_get_request_count (OfflineTestServer *self,
                                       const char        *path)
{
  GPtrArray *log;
  guint count;

  g_mutex_lock (&self->lock);
  if (path == NULL) {
    count = self->request_count;
  } else {
    log = g_hash_table_lookup (self->ranges, key (path));
    count = log != NULL ? log->len : 0;
  }
  g_mutex_unlock (&self->lock);
  return count;
}

void
offline_test_server_set_max_concurrent (OfflineTestServer *self,
                                        guint              max_requests)
{
  g_mutex_lock (&self->lock);
  self->max_active = max_requests;
  g_mutex_unlock (&self->lock);
}

void
offline_test_server_get_concurrency (OfflineTestServer *self,
                                     guint             *peak,
                                     guint             *refused)
{
  g_mutex_lock (&self->lock);
  *peak = self->peak_active;
  *refused = self->refused_count;
  g_mutex_unlock (&self->lock);
}

guint
offline_test_server_get_connection_count (OfflineTestServer *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = g_hash_table_size (self->clients);
  g_mutex_unlock (&self->lock);
  return count;
}

char **
offline_test_server_get_ranges (OfflineTestServer *self,
                                const char        *path)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GPtrArray *log;
  char **ranges;

  g_mutex_lock (&self->lock);
  log = g_hash_table_lookup (self->ranges, key (path));
  for (guint i = 0; log != NULL && i < log->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (log, i));
  g_mutex_unlock (&self->lock);
  ranges = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ranges;
}

char **
offline_test_server_get_paths (OfflineTestServer *self)
{
  char **paths;

  g_mutex_lock (&self->lock);
  paths = g_new0 (char *, self->paths->len + 1);
  for (guint i = 0; i < self->paths->len; i++)
    paths[i] = g_strdup (g_ptr_array_index (self->paths, i));
  g_mutex_unlock (&self->lock);
  return paths;
}

void
offline_test_server_reset_counters (OfflineTestServer *self)
{
  g_mutex_lock (&self->lock);
  self->request_count = 0;
  self->peak_active = self->refused_count = 0;
  g_hash_table_remove_all (self->ranges);
  g_hash_table_remove_all (self->clients);
  g_ptr_array_set_size (self->paths, 0);
  g_mutex_unlock (&self->lock);
}
