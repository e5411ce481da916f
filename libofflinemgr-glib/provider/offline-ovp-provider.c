/* offline-ovp-provider.c: entry ids resolved by the Kaltura OVP API v3
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-error.h"
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

/* STUB: replaced by the real resolution (issue 10). */
static OfflineMediaInfo *
offline_ovp_provider_get_media_info (OfflineProvider  *provider,
                                     const char       *entry_id,
                                     GCancellable     *cancellable,
                                     GError          **error)
{
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_NOT_SUPPORTED,
               "The OVP provider is not implemented yet");
  return NULL;
}

static void
offline_ovp_provider_iface_init (OfflineProviderInterface *iface)
{
  iface->get_media_info = offline_ovp_provider_get_media_info;
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
