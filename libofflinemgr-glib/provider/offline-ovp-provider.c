/* offline-ovp-provider.c: entry ids resolved by the Kaltura OVP API v3
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-error.h"
#include "offline-fetcher-private.h"
#include "offline-ovp-private.h"
#include "offline-ovp-provider.h"
#include "offline-string-property-private.h"

/**
 * OfflineOvpProvider:
 *
 * Resolves entry ids through the Kaltura OVP API v3, as the web player's
 * provider does: one multirequest (a widget session when no
 * #OfflineOvpProvider:ks is set, the entry, its playback context and its
 * metadata) to `{service-url}/service/multirequest`. The media info lists
 * every DASH, HLS and progressive source (playManifest URLs with
 * `playbackType=offline`) and downloads the first that is clear or offers
 * Clear Key, DASH before HLS before progressive.
 *
 * Failures: %OFFLINE_ERROR_PROVIDER_FAILED (an API exception with its code
 * and message, a block action with its messages, an answer that is not
 * JSON, HTTP failures after #OfflineOvpProvider:max-retries retries, no
 * playable source), %OFFLINE_ERROR_NOT_FOUND (the API lists no such
 * entry), %OFFLINE_ERROR_DRM_NOT_SUPPORTED (only Widevine, PlayReady or
 * FairPlay), %OFFLINE_ERROR_LIVE_NOT_SUPPORTED, %OFFLINE_ERROR_CANCELLED.
 * See docs/providers.md.
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
  guint timeout;
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
  PROP_TIMEOUT,
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
  else if (prop_id == PROP_TIMEOUT)
    g_value_set_uint (value, self->timeout);
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
    offline_string_property_set (field, value);
  } else if (prop_id == PROP_PARTNER_ID) {
    self->partner_id = g_value_get_int64 (value);
  } else if (prop_id == PROP_UI_CONF_ID) {
    self->ui_conf_id = g_value_get_int64 (value);
  } else if (prop_id == PROP_MAX_RETRIES) {
    self->max_retries = g_value_get_uint (value);
  } else if (prop_id == PROP_TIMEOUT) {
    self->timeout = g_value_get_uint (value);
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
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
  properties[PROP_KS] = offline_string_property_new ("ks");

  /**
   * OfflineOvpProvider:service-url:
   *
   * The API base (`provider.env.serviceUrl`), e.g.
   * `https://cdnapisec.kaltura.com/api_v3`.
   */
  properties[PROP_SERVICE_URL] = offline_string_property_new ("service-url");

  /**
   * OfflineOvpProvider:cdn-url:
   *
   * The base of playManifest URLs (`provider.env.cdnUrl`), or %NULL.
   */
  properties[PROP_CDN_URL] = offline_string_property_new ("cdn-url");

  /**
   * OfflineOvpProvider:client-tag:
   *
   * The `clientTag` sent with each request, or %NULL for the default.
   */
  properties[PROP_CLIENT_TAG] = offline_string_property_new ("client-tag");

  /**
   * OfflineOvpProvider:max-retries:
   *
   * How often a failed API request is retried, as segment requests are.
   */
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, 100, 5, flags);

  /**
   * OfflineOvpProvider:timeout:
   *
   * Seconds an API request may wait to connect, or for the next bytes of
   * the answer, before it fails (and is retried as
   * #OfflineOvpProvider:max-retries allows).
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, 30, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
offline_ovp_provider_init (OfflineOvpProvider *self)
{
  self->max_retries = 5;
  self->timeout = 30;
}

/* ---- resolving an entry id ---- */

#define MAX_ANSWER (8 * 1024 * 1024)    /* bytes of an API answer, at most */

/* One resolution, the data of its GTask. */
typedef struct {
  OfflineOvpParams params;      /* strings of the provider (the task's source object) */
  char *entry_id;
  OfflineFetcher *fetcher;
} Resolve;

static void
resolve_free (Resolve *resolve)
{
  g_free (resolve->entry_id);
  g_clear_object (&resolve->fetcher);
  g_free (resolve);
}

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(GBytes) answer = NULL;
  OfflineMediaInfo *info;
  GError *error = NULL;

  answer = offline_fetcher_fetch_bytes_finish (OFFLINE_FETCHER (source), result, NULL, NULL,
                                               &error);
  if (answer == NULL) {
    /* (a cancellation stays OFFLINE_ERROR_CANCELLED) */
    if (!g_error_matches (error, OFFLINE_ERROR, OFFLINE_ERROR_CANCELLED)) {
      /* the message names the URL and the status or network error */
      error->code = OFFLINE_ERROR_PROVIDER_FAILED;
      g_prefix_error (&error, "the OVP API request failed: ");
    }
    g_task_return_error (task, error);
    return;
  }
  info = offline_ovp_context_parse (&resolve->params, resolve->entry_id, answer, &error);
  if (info != NULL)
    g_task_return_pointer (task, info, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* Resolves on the caller's thread-default main context, with a fetcher
 * (and so a session) of its own: resolutions from several threads share
 * nothing. The fetcher retries as it does for segments. */
static void
offline_ovp_provider_get_media_info_async (OfflineProvider     *provider,
                                           const char          *entry_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  OfflineOvpProvider *self = OFFLINE_OVP_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Resolve *resolve = g_new0 (Resolve, 1);
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = NULL;
  char *text;

  g_task_set_source_tag (task, offline_ovp_provider_get_media_info_async);
  /* the fetcher reports cancellation as OFFLINE_ERROR_CANCELLED */
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

  if (self->service_url == NULL) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_PROVIDER_FAILED,
                             "the OVP provider has no service URL");
    return;
  }
  url = offline_ovp_request_url (&resolve->params);
  text = offline_ovp_request_body (&resolve->params, entry_id);
  body = g_bytes_new_take (text, strlen (text));
  resolve->fetcher = offline_fetcher_new ();
  offline_fetcher_set_max_retries (resolve->fetcher, self->max_retries);
  soup_session_set_timeout (offline_fetcher_get_session (resolve->fetcher), self->timeout);
  offline_fetcher_post_bytes_async (resolve->fetcher, url, "application/json", body, MAX_ANSWER,
                                    cancellable, posted_cb, g_steal_pointer (&task));
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
