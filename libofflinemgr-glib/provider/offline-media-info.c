/* offline-media-info.c: what a provider says about an entry id
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-enum-types.h"
#include "offline-media-info-private.h"
#include "offline-string-property-private.h"

/**
 * OfflineMediaInfo:
 *
 * What an #OfflineProvider knows of an entry id: where its manifest is,
 * what it is called and, for protected content, where its licence comes
 * from. All properties are construct-only. A provider may add every
 * source it found with offline_media_info_add_source() before it hands
 * the media info out; from then on a media info never changes, and any
 * thread may read it.
 *
 * ```python
 * info = Offline.MediaInfo(entry_id="movie-1",
 *                          manifest_url="https://example.com/movie-1.mpd",
 *                          name="Movie 1")
 * ```
 */
struct _OfflineMediaInfo {
  GObject parent_instance;

  /* Set at construction, read-only afterwards (any thread may read). */
  char *entry_id;
  char *manifest_url;
  OfflineManifestFormat format;
  char *name;
  char *description;
  char *poster_url;
  GTimeSpan duration;
  char *license_url;
  char *drm_scheme;
  gint64 license_expiration;
  GStrv tags;                /* (owned) never NULL */
  GPtrArray *sources;        /* (owned) (element-type OfflineMediaSource) */
};

G_DEFINE_FINAL_TYPE (OfflineMediaInfo, offline_media_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENTRY_ID,
  PROP_MANIFEST_URL,
  PROP_FORMAT,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_POSTER_URL,
  PROP_DURATION,
  PROP_LICENSE_URL,
  PROP_DRM_SCHEME,
  PROP_LICENSE_EXPIRATION,
  PROP_TAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
offline_media_info_finalize (GObject *object)
{
  OfflineMediaInfo *self = OFFLINE_MEDIA_INFO (object);

  g_free (self->entry_id);
  g_free (self->manifest_url);
  g_free (self->name);
  g_free (self->description);
  g_free (self->poster_url);
  g_free (self->license_url);
  g_free (self->drm_scheme);
  g_strfreev (self->tags);
  g_ptr_array_unref (self->sources);

  G_OBJECT_CLASS (offline_media_info_parent_class)->finalize (object);
}

/* The string field behind a string property. */
static char **
string_field (OfflineMediaInfo *self,
              guint             prop_id)
{
  switch (prop_id) {
  case PROP_ENTRY_ID:
    return &self->entry_id;
  case PROP_MANIFEST_URL:
    return &self->manifest_url;
  case PROP_NAME:
    return &self->name;
  case PROP_DESCRIPTION:
    return &self->description;
  case PROP_POSTER_URL:
    return &self->poster_url;
  case PROP_LICENSE_URL:
    return &self->license_url;
  case PROP_DRM_SCHEME:
    return &self->drm_scheme;
  default:
    return NULL;
  }
}

static void
offline_media_info_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OfflineMediaInfo *self = OFFLINE_MEDIA_INFO (object);
  char **field = string_field (self, prop_id);

  if (field != NULL)
    g_value_set_string (value, *field);
  else if (prop_id == PROP_FORMAT)
    g_value_set_enum (value, self->format);
  else if (prop_id == PROP_DURATION)
    g_value_set_int64 (value, self->duration);
  else if (prop_id == PROP_LICENSE_EXPIRATION)
    g_value_set_int64 (value, self->license_expiration);
  else if (prop_id == PROP_TAGS)
    g_value_set_boxed (value, self->tags);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
offline_media_info_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  OfflineMediaInfo *self = OFFLINE_MEDIA_INFO (object);
  char **field = string_field (self, prop_id);

  if (field != NULL) {
    offline_string_property_set (field, value);
  } else if (prop_id == PROP_FORMAT) {
    self->format = g_value_get_enum (value);
  } else if (prop_id == PROP_DURATION) {
    self->duration = g_value_get_int64 (value);
  } else if (prop_id == PROP_LICENSE_EXPIRATION) {
    self->license_expiration = g_value_get_int64 (value);
  } else if (prop_id == PROP_TAGS) {
    g_strfreev (self->tags);
    self->tags = g_value_dup_boxed (value);
    if (self->tags == NULL)
      self->tags = g_new0 (char *, 1);
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
offline_media_info_class_init (OfflineMediaInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = offline_media_info_finalize;
  object_class->get_property = offline_media_info_get_property;
  object_class->set_property = offline_media_info_set_property;

  /**
   * OfflineMediaInfo:entry-id: (getter get_entry_id)
   *
   * The entry id the provider resolved.
   */
  properties[PROP_ENTRY_ID] = offline_string_property_new ("entry-id");

  /**
   * OfflineMediaInfo:manifest-url: (getter get_manifest_url)
   *
   * The absolute http(s) URL of the DASH MPD, HLS playlist or media file.
   */
  properties[PROP_MANIFEST_URL] = offline_string_property_new ("manifest-url");

  /**
   * OfflineMediaInfo:format: (getter get_format)
   *
   * The kind of manifest at #OfflineMediaInfo:manifest-url;
   * %OFFLINE_MANIFEST_FORMAT_UNKNOWN (the default) to recognise it from
   * the URL and the contents.
   */
  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, OFFLINE_TYPE_MANIFEST_FORMAT,
                       OFFLINE_MANIFEST_FORMAT_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * OfflineMediaInfo:name: (getter get_name)
   *
   * A title to show, or %NULL.
   */
  properties[PROP_NAME] = offline_string_property_new ("name");

  /**
   * OfflineMediaInfo:description: (getter get_description)
   *
   * A description to show, or %NULL.
   */
  properties[PROP_DESCRIPTION] = offline_string_property_new ("description");

  /**
   * OfflineMediaInfo:poster-url: (getter get_poster_url)
   *
   * The URL of a poster image, or %NULL.
   */
  properties[PROP_POSTER_URL] = offline_string_property_new ("poster-url");

  /**
   * OfflineMediaInfo:duration: (getter get_duration)
   *
   * The duration in microseconds as the provider knows it, 0 if unknown
   * (the manifest's duration is used then).
   */
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * OfflineMediaInfo:license-url: (getter get_license_url)
   *
   * The DRM licence server URL, or %NULL for clear content.
   */
  properties[PROP_LICENSE_URL] = offline_string_property_new ("license-url");

  /**
   * OfflineMediaInfo:drm-scheme: (getter get_drm_scheme)
   *
   * The DRM scheme (`widevine`, `playready`, `fairplay`…), or %NULL for
   * clear content.
   */
  properties[PROP_DRM_SCHEME] = offline_string_property_new ("drm-scheme");

  /**
   * OfflineMediaInfo:license-expiration: (getter get_license_expiration)
   *
   * When the licence the provider knows of expires (Unix seconds), 0 if
   * it does not say. Used for a Clear Key licence whose server gives no
   * `expiration` (docs/protection.md).
   */
  properties[PROP_LICENSE_EXPIRATION] =
    g_param_spec_int64 ("license-expiration", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * OfflineMediaInfo:tags: (getter get_tags)
   *
   * Tags or keywords the provider knows the entry by; empty if none.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
offline_media_info_init (OfflineMediaInfo *self)
{
  self->tags = g_new0 (char *, 1);
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * offline_media_info_new:
 * @entry_id: the entry id
 * @manifest_url: the URL of the manifest or media file
 *
 * Makes a media info with just an id and a URL; use g_object_new() with
 * the other properties for more.
 *
 * Returns: (transfer full): the media info
 */
OfflineMediaInfo *
offline_media_info_new (const char *entry_id,
                        const char *manifest_url)
{
  g_return_val_if_fail (entry_id != NULL, NULL);
  g_return_val_if_fail (manifest_url != NULL, NULL);

  return g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                       "entry-id", entry_id,
                       "manifest-url", manifest_url,
                       NULL);
}

/**
 * offline_media_info_get_entry_id:
 * @self: a #OfflineMediaInfo
 *
 * Gets the entry id.
 *
 * Returns: (nullable): the entry id
 */
const char *
offline_media_info_get_entry_id (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return self->entry_id;
}

/**
 * offline_media_info_get_manifest_url:
 * @self: a #OfflineMediaInfo
 *
 * Gets the URL of the manifest or media file.
 *
 * Returns: (nullable): the URL of the manifest or media file
 */
const char *
offline_media_info_get_manifest_url (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return self->manifest_url;
}

/**
 * offline_media_info_get_format:
 * @self: a #OfflineMediaInfo
 *
 * Gets the manifest format, %OFFLINE_MANIFEST_FORMAT_UNKNOWN to guess.
 *
 * Returns: the manifest format, %OFFLINE_MANIFEST_FORMAT_UNKNOWN to guess
 */
OfflineManifestFormat
offline_media_info_get_format (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), OFFLINE_MANIFEST_FORMAT_UNKNOWN);
  return self->format;
}

/**
 * offline_media_info_get_name:
 * @self: a #OfflineMediaInfo
 *
 * Gets the title.
 *
 * Returns: (nullable): the title
 */
const char *
offline_media_info_get_name (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return self->name;
}

/**
 * offline_media_info_get_description:
 * @self: a #OfflineMediaInfo
 *
 * Gets the description.
 *
 * Returns: (nullable): the description
 */
const char *
offline_media_info_get_description (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return self->description;
}

/**
 * offline_media_info_get_poster_url:
 * @self: a #OfflineMediaInfo
 *
 * Gets the poster image URL.
 *
 * Returns: (nullable): the poster image URL
 */
const char *
offline_media_info_get_poster_url (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return self->poster_url;
}

/**
 * offline_media_info_get_duration:
 * @self: a #OfflineMediaInfo
 *
 * Gets the duration in microseconds, 0 if unknown.
 *
 * Returns: the duration in microseconds, 0 if unknown
 */
GTimeSpan
offline_media_info_get_duration (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), 0);
  return self->duration;
}

/**
 * offline_media_info_get_license_url:
 * @self: a #OfflineMediaInfo
 *
 * Gets the licence server URL.
 *
 * Returns: (nullable): the licence server URL
 */
const char *
offline_media_info_get_license_url (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return self->license_url;
}

/**
 * offline_media_info_get_drm_scheme:
 * @self: a #OfflineMediaInfo
 *
 * Gets the DRM scheme.
 *
 * Returns: (nullable): the DRM scheme
 */
const char *
offline_media_info_get_drm_scheme (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return self->drm_scheme;
}

/**
 * offline_media_info_get_license_expiration:
 * @self: a #OfflineMediaInfo
 *
 * Gets when the licence expires as the provider knows it (Unix seconds), 0
 * if it does not say.
 *
 * Returns: when the licence expires as the provider knows it (Unix
 *   seconds), 0 if it does not say
 */
gint64
offline_media_info_get_license_expiration (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), 0);
  return self->license_expiration;
}

/**
 * offline_media_info_get_tags:
 * @self: a #OfflineMediaInfo
 *
 * Gets the entry's tags, empty if the provider knows none.
 *
 * Returns: (transfer none) (array zero-terminated=1): the entry's tags,
 *   empty if the provider knows none
 */
const char * const *
offline_media_info_get_tags (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return (const char * const *) self->tags;
}

/**
 * offline_media_info_add_source:
 * @self: a #OfflineMediaInfo
 * @source: a source the provider found
 *
 * Lists @source among the entry's sources. For providers, before they
 * hand @self out. #OfflineMediaInfo:manifest-url and the DRM properties
 * still say which source is downloaded: the provider's preferred one.
 */
void
offline_media_info_add_source (OfflineMediaInfo   *self,
                               OfflineMediaSource *source)
{
  g_return_if_fail (OFFLINE_IS_MEDIA_INFO (self));
  g_return_if_fail (OFFLINE_IS_MEDIA_SOURCE (source));

  g_ptr_array_add (self->sources, g_object_ref (source));
}

/**
 * offline_media_info_get_sources:
 * @self: a #OfflineMediaInfo
 *
 * Every source the provider found for the entry (for the OVP provider:
 * DASH, HLS and progressive, with their DRM), in the provider's order of
 * preference. Empty for a provider that lists none; the source that is
 * downloaded is always #OfflineMediaInfo:manifest-url.
 *
 * Returns: (transfer none) (element-type OfflineMediaSource): the sources
 */
GPtrArray *
offline_media_info_get_sources (OfflineMediaInfo *self)
{
  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);
  return self->sources;
}

OfflineMediaInfo *
offline_media_info_copy_with_entry_id (OfflineMediaInfo *self,
                                       const char       *entry_id)
{
  OfflineMediaInfo *copy;

  g_return_val_if_fail (OFFLINE_IS_MEDIA_INFO (self), NULL);

  copy = g_object_new (OFFLINE_TYPE_MEDIA_INFO,
                       "entry-id", entry_id,
                       "manifest-url", self->manifest_url,
                       "format", self->format,
                       "name", self->name,
                       "description", self->description,
                       "poster-url", self->poster_url,
                       "duration", self->duration,
                       "license-url", self->license_url,
                       "drm-scheme", self->drm_scheme,
                       "license-expiration", self->license_expiration,
                       "tags", self->tags,
                       NULL);
  for (guint i = 0; i < self->sources->len; i++)
    offline_media_info_add_source (copy, g_ptr_array_index (self->sources, i));
  return copy;
}
