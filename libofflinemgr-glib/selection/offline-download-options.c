/* offline-download-options.c: what to store of an entry (language, bitrate)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-download-options.h"

/**
 * OfflineDownloadOptions:
 *
 * The choices a download makes among the tracks of an entry, as in the
 * original offline manager: the audio `language` to keep, and the video
 * `bitrate` to come closest to. Both are optional. See
 * #OfflineTrackSelection for the rules.
 *
 * ```python
 * options = Offline.DownloadOptions(language="es", bitrate=7900446)
 * ```
 */
struct _OfflineDownloadOptions {
  GObject parent_instance;

  char *language;
  guint64 bitrate;
};

G_DEFINE_FINAL_TYPE (OfflineDownloadOptions, offline_download_options, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_BITRATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
offline_download_options_finalize (GObject *object)
{
  OfflineDownloadOptions *self = OFFLINE_DOWNLOAD_OPTIONS (object);

  g_free (self->language);

  G_OBJECT_CLASS (offline_download_options_parent_class)->finalize (object);
}

static void
offline_download_options_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  OfflineDownloadOptions *self = OFFLINE_DOWNLOAD_OPTIONS (object);

  switch (prop_id) {
  case PROP_LANGUAGE:
    g_value_set_string (value, self->language);
    break;
  case PROP_BITRATE:
    g_value_set_uint64 (value, self->bitrate);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
offline_download_options_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  OfflineDownloadOptions *self = OFFLINE_DOWNLOAD_OPTIONS (object);

  switch (prop_id) {
  case PROP_LANGUAGE:
    offline_download_options_set_language (self, g_value_get_string (value));
    break;
  case PROP_BITRATE:
    offline_download_options_set_bitrate (self, g_value_get_uint64 (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
offline_download_options_class_init (OfflineDownloadOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = offline_download_options_finalize;
  object_class->get_property = offline_download_options_get_property;
  object_class->set_property = offline_download_options_set_property;

  /**
   * OfflineDownloadOptions:language: (getter get_language) (setter set_language)
   *
   * The audio (and text) language to store, as a BCP-47 tag (`es`, `es-ES`)
   * or ISO 639-2 code (`spa`); %NULL for the default audio track and all
   * text tracks.
   */
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * OfflineDownloadOptions:bitrate: (getter get_bitrate) (setter set_bitrate)
   *
   * The video bitrate to come closest to, in bits per second; 0 for the
   * lowest.
   */
  properties[PROP_BITRATE] =
    g_param_spec_uint64 ("bitrate", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
offline_download_options_init (OfflineDownloadOptions *self)
{
}

/**
 * offline_download_options_new:
 *
 * Creates options with neither language nor bitrate.
 *
 * Returns: (transfer full): options with neither language nor bitrate
 */
OfflineDownloadOptions *
offline_download_options_new (void)
{
  return g_object_new (OFFLINE_TYPE_DOWNLOAD_OPTIONS, NULL);
}

/**
 * offline_download_options_get_language:
 * @self: a #OfflineDownloadOptions
 *
 * Gets the language to store.
 *
 * Returns: (nullable): the language to store
 */
const char *
offline_download_options_get_language (OfflineDownloadOptions *self)
{
  g_return_val_if_fail (OFFLINE_IS_DOWNLOAD_OPTIONS (self), NULL);
  return self->language;
}

/**
 * offline_download_options_set_language:
 * @self: a #OfflineDownloadOptions
 * @language: (nullable): a language tag, or %NULL
 *
 * Sets #OfflineDownloadOptions:language.
 */
void
offline_download_options_set_language (OfflineDownloadOptions *self,
                                       const char             *language)
{
  g_return_if_fail (OFFLINE_IS_DOWNLOAD_OPTIONS (self));
  if (language != NULL && *language == '\0')
    language = NULL;
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

/**
 * offline_download_options_get_bitrate:
 * @self: a #OfflineDownloadOptions
 *
 * Gets the video bitrate to come closest to, or 0.
 *
 * Returns: the video bitrate to come closest to, or 0
 */
guint64
offline_download_options_get_bitrate (OfflineDownloadOptions *self)
{
  g_return_val_if_fail (OFFLINE_IS_DOWNLOAD_OPTIONS (self), 0);
  return self->bitrate;
}

/**
 * offline_download_options_set_bitrate:
 * @self: a #OfflineDownloadOptions
 * @bitrate: bits per second, or 0 for the lowest
 *
 * Sets #OfflineDownloadOptions:bitrate.
 */
void
offline_download_options_set_bitrate (OfflineDownloadOptions *self,
                                      guint64                 bitrate)
{
  g_return_if_fail (OFFLINE_IS_DOWNLOAD_OPTIONS (self));
  if (self->bitrate == bitrate)
    return;
  self->bitrate = bitrate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BITRATE]);
}
