/* offline-ovp-provider.c: entry ids resolved by the Kaltura OVP API v3
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "offline-error.h"
#include "offline-fetch-retry-private.h"
#include "offline-ovp-private.h"
#include "offline-ovp-provider.h"

/**
 * OfflineOvpProvider:
 *
 * Resolves entry ids through the Kaltura OVP API v3, as the web player's
 * provider does.
 */
struct _OfflineOvpProvider {
  GObject parent_instance;

  /* Set at construction, read-only afterwards (any thread may read). */
  gint64 partner_id;
  gint64 ui_conf_id;
  char *ks;
  char *service_url;
  char *cdn_url;
  char *client_tag;
  guint max_retries;
};

static void offline_ovp_provider_iface_init (OfflineProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OfflineOvpProvider, offline_ovp_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OFFLINE_TYPE_PROVIDER,
                                                      offline_ovp_provider_iface_init))

enum {
  PROP_0,
  PROP_PARTNER_ID,
  PROP_UI_CONF_ID,
  PROP_KS,
  PROP_SERVICE_URL,
  PROP_CDN_URL,
  PROP_CLIENT_TAG,
  PROP_MAX_RETRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
offline_ovp_provider_finalize (GObject *object)
{
  OfflineOvpProvider *self = OFFLINE_OVP_PROVIDER (object);

  g_free (self->ks);
  g_free (self->service_url);
  g_free (self->cdn_url);
  g_free (self->client_tag);

  G_OBJECT_CLASS (offline_ovp_provider_parent_class)->finalize (object);
}

static char **
string_field (OfflineOvpProvider *self,
              guint               prop_id)
{
  switch (prop_id) {
  case PROP_KS:
    return &self->ks;
  case PROP_SERVICE_URL:
    return &self->service_url;
  case PROP_CDN_URL:
    return &self->cdn_url;
  case PROP_CLIENT_TAG:
    return &self->client_tag;
  default:
    return NULL;
  }
}

static void
offline_ovp_provider_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  OfflineOvpProvider *self = OFFLINE_OVP_PROVIDER (object);
  char **field = string_field (self, prop_id);

  if (field != NULL)
    g_value_set_string (value, *field);
  else if (prop_id == PROP_PARTNER_ID)
    g_value_set_int64 (value, self->partner_id);
  else if (prop_id == PROP_UI_CONF_ID)
    g_value_set_int64 (value, self->ui_conf_id);
  else if (prop_id == PROP_MAX_RETRIES)
    g_value_set_uint (value, self->max_retries);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
offline_ovp_provider_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  OfflineOvpProvider *self = OFFLINE_OVP_PROVIDER (object);
  char **field = string_field (self, prop_id);

  if (field != NULL) {
    const char *text = g_value_get_string (value);

    g_free (*field);
    *field = (text != NULL && *text != '\0') ? g_strdup (text) : NULL;
  } else if (prop_id == PROP_PARTNER_ID) {
    self->partner_id = g_value_get_int64 (value);
  } else if (prop_id == PROP_UI_CONF_ID) {
    self->ui_conf_id = g_value_get_int64 (value);
  } else if (prop_id == PROP_MAX_RETRIES) {
    self->max_retries = g_value_get_uint (value);
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                              G_PARAM_STATIC_STRINGS);
}

static void
offline_ovp_provider_class_init (OfflineOvpProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = offline_ovp_provider_finalize;
  object_class->get_property = offline_ovp_provider_get_property;
  object_class->set_property = offline_ovp_provider_set_property;

  /**
   * OfflineOvpProvider:partner-id:
   *
   * The Kaltura partner id (`provider.partnerId`).
   */
  properties[PROP_PARTNER_ID] =
    g_param_spec_int64 ("partner-id", NULL, NULL, 0, G_MAXINT64, 0, flags);

  /**
   * OfflineOvpProvider:ui-conf-id:
   *
   * The player configuration id (`provider.uiConfId`), 0 if none.
   */
  properties[PROP_UI_CONF_ID] =
    g_param_spec_int64 ("ui-conf-id", NULL, NULL, 0, G_MAXINT64, 0, flags);

  /**
   * OfflineOvpProvider:ks:
   *
   * The Kaltura session (`provider.ks`), or %NULL to start a widget
   * session for each request.
   */
  properties[PROP_KS] = string_property ("ks");

  /**
   * OfflineOvpProvider:service-url:
   *
   * The API base (`provider.env.serviceUrl`), e.g.
   * `https://cdnapisec.kaltura.com/api_v3`.
   */
  properties[PROP_SERVICE_URL] = string_property ("service-url");

  /**
   * OfflineOvpProvider:cdn-url:
   *
   * The base of playManifest URLs (`provider.env.cdnUrl`), or %NULL.
   */
  properties[PROP_CDN_URL] = string_property ("cdn-url");

  /**
   * OfflineOvpProvider:client-tag:
   *
   * The `clientTag` sent with each request, or %NULL for the default.
   */
  properties[PROP_CLIENT_TAG] = string_property ("client-tag");

  /**
   * OfflineOvpProvider:max-retries:
   *
   * How often a failed API request is retried, as segment requests are.
   */
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, 100, 5, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
offline_ovp_provider_init (OfflineOvpProvider *self)
{
  self->max_retries = 5;
}

/* ---- resolving an entry id ---- */

#define IO_TIMEOUT_S 30          /* connect, or silence while waiting for the answer */
#define RETRY_BASE_MS 500        /* the first retry's backoff, as for segments */

/* One resolution, the data of its GTask. Runs on the thread-default
 * context of the caller, with a session of its own: resolutions from
 * several threads share nothing. */
typedef struct {
  OfflineOvpParams params;      /* strings of the provider (the task's source object) */
  char *entry_id;
  char *url;
  GBytes *body;
  SoupSession *session;
  SoupMessage *msg;             /* the attempt under way */
  guint retries;
  guint max_retries;
  GSource *wait_source;         /* before the next attempt */
  GSource *wait_cancel_source;
} Resolve;

static void
wait_clear (Resolve *resolve)
{
  if (resolve->wait_source != NULL) {
    g_source_destroy (resolve->wait_source);
    g_clear_pointer (&resolve->wait_source, g_source_unref);
  }
  if (resolve->wait_cancel_source != NULL) {
    g_source_destroy (resolve->wait_cancel_source);
    g_clear_pointer (&resolve->wait_cancel_source, g_source_unref);
  }
}

static void
resolve_free (Resolve *resolve)
{
  wait_clear (resolve);
  g_free (resolve->entry_id);
  g_free (resolve->url);
  g_bytes_unref (resolve->body);
  g_clear_object (&resolve->msg);
  g_clear_object (&resolve->session);
  g_free (resolve);
}

static void attempt_start (GTask *task);

static gboolean
on_wait_done (gpointer user_data)
{
  /* the source's reference goes with it */
  GTask *task = g_object_ref (user_data);

  wait_clear (g_task_get_task_data (task));
  attempt_start (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  /* (the sources' references keep @task until this returns) */
  wait_clear (g_task_get_task_data (task));
  g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED,
                           "resolving the entry id was cancelled");
  return G_SOURCE_REMOVE;
}

/* Retries after a transient failure (@error, consumed; @msg the response
 * if there was one, for its Retry-After) with the fetcher's policy, at
 * most @max_retries times, @max_delay_ms apart at the most; or fails with
 * it. Takes the reference of @task. */
static void
retry_or_fail (GTask       *task,
               GError      *error,
               SoupMessage *msg,
               guint        max_retries,
               guint        max_delay_ms)
{
  Resolve *resolve = g_task_get_task_data (task);
  guint delay;

  resolve->retries++;
  if (resolve->retries > max_retries) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                             "%s (gave up after %u retries)", error->message, max_retries);
    g_error_free (error);
    g_object_unref (task);
    return;
  }
  delay = MIN (offline_fetch_retry_delay_ms (RETRY_BASE_MS, resolve->retries, msg), max_delay_ms);
  g_debug ("OVP: retry %u/%u in %u ms: %s", resolve->retries, max_retries, delay, error->message);
  g_error_free (error);

  resolve->wait_source = g_timeout_source_new (delay);
  g_source_set_callback (resolve->wait_source, on_wait_done, task, g_object_unref);
  g_source_attach (resolve->wait_source, g_task_get_context (task));
  if (g_task_get_cancellable (task) != NULL) {
    resolve->wait_cancel_source = g_cancellable_source_new (g_task_get_cancellable (task));
    g_source_set_callback (resolve->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled),
                           g_object_ref (task), g_object_unref);
    g_source_attach (resolve->wait_cancel_source, g_task_get_context (task));
  }
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  OfflineMediaInfo *info;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED,
                             "resolving the entry id was cancelled");
    g_object_unref (task);
    return;
  }
  if (error != NULL) {
    guint max_retries = offline_fetch_error_max_retries (error, resolve->max_retries);

    retry_or_fail (task, g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                                      "the OVP API at %s failed: %s", resolve->url,
                                      error->message),
                   NULL, max_retries,
                   offline_fetch_error_is_unreachable (error) ? OFFLINE_FETCH_UNREACHABLE_DELAY_MS
                                                              : G_MAXUINT);
    return;
  }
  status = soup_message_get_status (resolve->msg);
  if (status < 200 || status >= 300) {
    GError *failure = g_error_new (OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                                   "the OVP API at %s answered HTTP %u %s", resolve->url, status,
                                   soup_message_get_reason_phrase (resolve->msg));

    if (offline_fetch_status_is_transient (status)) {
      retry_or_fail (task, failure, resolve->msg, resolve->max_retries, G_MAXUINT);
    } else {
      g_task_return_error (task, failure);
      g_object_unref (task);
    }
    return;
  }

  info = offline_ovp_context_parse (&resolve->params, resolve->entry_id, bytes, &error);
  if (info != NULL)
    g_task_return_pointer (task, info, g_object_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

/* Sends the multirequest once; takes the reference of @task. */
static void
attempt_start (GTask *task)
{
  Resolve *resolve = g_task_get_task_data (task);

  g_clear_object (&resolve->msg);
  resolve->msg = soup_message_new (SOUP_METHOD_POST, resolve->url);
  soup_message_set_request_body_from_bytes (resolve->msg, "application/json", resolve->body);
  soup_session_send_and_read_async (resolve->session, resolve->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, task);
}

static void
offline_ovp_provider_get_media_info_async (OfflineProvider     *provider,
                                           const char          *entry_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  OfflineOvpProvider *self = OFFLINE_OVP_PROVIDER (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Resolve *resolve = g_new0 (Resolve, 1);
  g_autoptr(GUri) uri = NULL;
  char *body;

  g_task_set_source_tag (task, offline_ovp_provider_get_media_info_async);
  /* a cancellation is reported as OFFLINE_ERROR_CANCELLED, not G_IO_ERROR */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, resolve, (GDestroyNotify) resolve_free);
  resolve->params = (OfflineOvpParams) {
    .partner_id = self->partner_id,
    .ui_conf_id = self->ui_conf_id,
    .ks = self->ks,
    .service_url = self->service_url,
    .cdn_url = self->cdn_url,
    .client_tag = self->client_tag,
  };
  resolve->entry_id = g_strdup (entry_id);
  resolve->max_retries = self->max_retries;

  if (self->service_url == NULL ||
      (uri = g_uri_parse (self->service_url, SOUP_HTTP_URI_FLAGS, NULL)) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                             "the OVP provider's service URL \"%s\" is not an http(s) URL",
                             self->service_url != NULL ? self->service_url : "");
    g_object_unref (task);
    return;
  }
  resolve->url = offline_ovp_request_url (&resolve->params);
  body = offline_ovp_request_body (&resolve->params, entry_id);
  resolve->body = g_bytes_new_take (body, strlen (body));
  resolve->session = soup_session_new_with_options ("user-agent", "offlinemgr/" PACKAGE_VERSION,
                                                    "timeout", IO_TIMEOUT_S, NULL);
  attempt_start (task);
}

static OfflineMediaInfo *
offline_ovp_provider_get_media_info_finish (OfflineProvider  *provider,
                                            GAsyncResult     *result,
                                            GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
offline_ovp_provider_iface_init (OfflineProviderInterface *iface)
{
  /* the blocking offline_provider_get_media_info() runs these on a
   * private main context */
  iface->get_media_info_async = offline_ovp_provider_get_media_info_async;
  iface->get_media_info_finish = offline_ovp_provider_get_media_info_finish;
}

/**
 * offline_ovp_provider_new:
 * @partner_id: the Kaltura partner id
 * @service_url: the API base URL (`…/api_v3`)
 *
 * Makes a provider for @partner_id; set #OfflineOvpProvider:ks and the
 * other properties with g_object_new() when needed.
 *
 * Returns: (transfer full): the provider
 */
OfflineOvpProvider *
offline_ovp_provider_new (gint64      partner_id,
                          const char *service_url)
{
  g_return_val_if_fail (service_url != NULL, NULL);

  return g_object_new (OFFLINE_TYPE_OVP_PROVIDER,
                       "partner-id", partner_id,
                       "service-url", service_url,
                       NULL);
}
