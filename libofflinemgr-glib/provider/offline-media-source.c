/* offline-media-source.c: one way a provider offers an entry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-enum-types.h"
#include "offline-media-source.h"

/**
 * OfflineMediaSource:
 *
 * One of the sources an #OfflineProvider found for an entry: a manifest
 * (or plain file) URL, its format, and the DRM systems it is protected
 * with, each with its licence server. See offline_media_info_get_sources().
 *
 * A provider builds it with offline_media_source_new() and
 * offline_media_source_add_drm() and hands it out in an
 * #OfflineMediaInfo; from then on it does not change, and any thread may
 * read it.
 */
struct _OfflineMediaSource {
  GObject parent_instance;

  /* Set by the provider before it hands the source out; read-only afterwards. */
  OfflineManifestFormat format;
  char *url;
  GPtrArray *schemes;        /* (owned) (element-type utf8): NULL-terminated */
  GPtrArray *license_urls;   /* (owned) (element-type utf8) (nullable elements): parallel to @schemes */
};

G_DEFINE_FINAL_TYPE (OfflineMediaSource, offline_media_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FORMAT,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
offline_media_source_finalize (GObject *object)
{
  OfflineMediaSource *self = OFFLINE_MEDIA_SOURCE (object);

  g_free (self->url);
  g_ptr_array_unref (self->schemes);
  g_ptr_array_unref (self->license_urls);

  G_OBJECT_CLASS (offline_media_source_parent_class)->finalize (object);
}

static void
offline_media_source_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  OfflineMediaSource *self = OFFLINE_MEDIA_SOURCE (object);

  if (prop_id == PROP_FORMAT)
    g_value_set_enum (value, self->format);
  else if (prop_id == PROP_URL)
    g_value_set_string (value, self->url);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
offline_media_source_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  OfflineMediaSource *self = OFFLINE_MEDIA_SOURCE (object);

  if (prop_id == PROP_FORMAT) {
    self->format = g_value_get_enum (value);
  } else if (prop_id == PROP_URL) {
    g_free (self->url);
    self->url = g_value_dup_string (value);
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
offline_media_source_class_init (OfflineMediaSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = offline_media_source_finalize;
  object_class->get_property = offline_media_source_get_property;
  object_class->set_property = offline_media_source_set_property;

  /**
   * OfflineMediaSource:format: (getter get_format)
   *
   * The kind of manifest at #OfflineMediaSource:url.
   */
  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, OFFLINE_TYPE_MANIFEST_FORMAT,
                       OFFLINE_MANIFEST_FORMAT_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * OfflineMediaSource:url: (getter get_url)
   *
   * The absolute URL of the manifest or media file.
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
offline_media_source_init (OfflineMediaSource *self)
{
  self->schemes = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->license_urls = g_ptr_array_new_with_free_func (g_free);
}

/**
 * offline_media_source_new:
 * @format: the kind of manifest at @url
 * @url: the absolute URL of the manifest or media file
 *
 * Creates a source without DRM.
 *
 * Returns: (transfer full): a source without DRM
 */
OfflineMediaSource *
offline_media_source_new (OfflineManifestFormat  format,
                          const char            *url)
{
  g_return_val_if_fail (url != NULL, NULL);

  return g_object_new (OFFLINE_TYPE_MEDIA_SOURCE, "format", format, "url", url, NULL);
}

/**
 * offline_media_source_get_format:
 * @self: a #OfflineMediaSource
 *
 * Gets the kind of manifest at the source's URL.
 *
 * Returns: the kind of manifest at the source's URL
 */
OfflineManifestFormat
offline_media_source_get_format (OfflineMediaSource *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_SOURCE (self), OFFLINE_MANIFEST_FORMAT_UNKNOWN);
  return self->format;
}

/**
 * offline_media_source_get_url:
 * @self: a #OfflineMediaSource
 *
 * Gets the URL of the manifest or media file.
 *
 * Returns: the URL of the manifest or media file
 */
const char *
offline_media_source_get_url (OfflineMediaSource *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_SOURCE (self), NULL);
  return self->url;
}

/**
 * offline_media_source_add_drm:
 * @self: a #OfflineMediaSource
 * @scheme: the DRM system: `clearkey`, `widevine`, `playready`,
 *   `fairplay`, or another name the provider uses
 * @license_url: (nullable): its licence server
 *
 * Says that the source is protected with @scheme. For providers, before
 * they hand the source out; a second call with the same @scheme replaces
 * its licence URL.
 */
void
offline_media_source_add_drm (OfflineMediaSource *self,
                              const char         *scheme,
                              const char         *license_url)
{
  g_return_if_fail (OFFLINE_IS_MEDIA_SOURCE (self));
  g_return_if_fail (scheme != NULL && *scheme != '\0');

  for (guint i = 0; i < self->schemes->len; i++) {
    if (g_ascii_strcasecmp (g_ptr_array_index (self->schemes, i), scheme) == 0) {
      g_free (g_ptr_array_index (self->license_urls, i));
      g_ptr_array_index (self->license_urls, i) = g_strdup (license_url);
      return;
    }
  }
  g_ptr_array_add (self->schemes, g_strdup (scheme));
  g_ptr_array_add (self->license_urls, g_strdup (license_url));
}

/**
 * offline_media_source_get_drm_schemes:
 * @self: a #OfflineMediaSource
 *
 * Gets the DRM systems the source is protected with, in the provider's
 * order.
 *
 * Returns: (transfer none) (array zero-terminated=1): the DRM systems the
 *   source is protected with, in the provider's order; empty for clear
 *   content
 */
const char * const *
offline_media_source_get_drm_schemes (OfflineMediaSource *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_SOURCE (self), NULL);
  return (const char * const *) self->schemes->pdata;
}

/**
 * offline_media_source_get_license_url:
 * @self: a #OfflineMediaSource
 * @scheme: a DRM system from offline_media_source_get_drm_schemes()
 *
 * Gets the licence server of @scheme (compared without case), or %NULL if
 * the source does not use @scheme or names no server.
 *
 * Returns: (nullable): the licence server of @scheme (compared without
 *   case), or %NULL if the source does not use @scheme or names no server
 */
const char *
offline_media_source_get_license_url (OfflineMediaSource *self,
                                      const char         *scheme)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_SOURCE (self), NULL);
  g_return_val_if_fail (scheme != NULL, NULL);

  for (guint i = 0; i < self->schemes->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->schemes, i), scheme) == 0)
      return g_ptr_array_index (self->license_urls, i);
  return NULL;
}
