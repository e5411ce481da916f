/* offline-dash-representation.c: what kind of track a Representation is,
 * and its descriptive fields
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-dash-private.h"
#include "offline-manifest-private.h"

/* EssentialProperty schemes that change nothing for a download. Any other
 * one means the element it is on must be ignored. */
static const char * const understood_essential_schemes[] = {
  "urn:mpeg:mpegB:cicp:ColourPrimaries",
  "urn:mpeg:mpegB:cicp:TransferCharacteristics",
  "urn:mpeg:mpegB:cicp:MatrixCoefficients",
  NULL,
};

/* Codec prefixes (RFC 6381 "codecs" entries) and their kind of track. */
static const struct {
  const char *prefix;
  OfflineTrackType type;
} codec_types[] = {
  { "avc", OFFLINE_TRACK_TYPE_VIDEO },
  { "hev", OFFLINE_TRACK_TYPE_VIDEO },
  { "hvc", OFFLINE_TRACK_TYPE_VIDEO },
  { "dvh", OFFLINE_TRACK_TYPE_VIDEO },
  { "vp", OFFLINE_TRACK_TYPE_VIDEO },
  { "av01", OFFLINE_TRACK_TYPE_VIDEO },
  { "mp4a", OFFLINE_TRACK_TYPE_AUDIO },
  { "ac-3", OFFLINE_TRACK_TYPE_AUDIO },
  { "ec-3", OFFLINE_TRACK_TYPE_AUDIO },
  { "ac-4", OFFLINE_TRACK_TYPE_AUDIO },
  { "opus", OFFLINE_TRACK_TYPE_AUDIO },
  { "flac", OFFLINE_TRACK_TYPE_AUDIO },
  { "dtsc", OFFLINE_TRACK_TYPE_AUDIO },
  { "stpp", OFFLINE_TRACK_TYPE_TEXT },
  { "wvtt", OFFLINE_TRACK_TYPE_TEXT },
};

/*
 * offline_dash_is_skipped:
 * @node: an AdaptationSet or Representation
 *
 * Returns: whether @node has an EssentialProperty we do not understand, so
 *   that it must be ignored
 */
gboolean
offline_dash_is_skipped (xmlNode *node)
{
  offline_dash_foreach_child (property, node, "EssentialProperty") {
    g_autofree char *scheme = offline_dash_get_attribute (property, "schemeIdUri");

    if (scheme == NULL || !g_strv_contains (understood_essential_schemes, scheme))
      return TRUE;
  }
  return FALSE;
}

/* The Representation if it has the attribute @name, else the AdaptationSet
 * if it has it (RepresentationBase attributes are inherited), else NULL. */
static xmlNode *
attribute_owner (xmlNode    *adaptation_set,
                 xmlNode    *representation,
                 const char *name)
{
  if (xmlHasNsProp (representation, (const xmlChar *) name, NULL) != NULL)
    return representation;
  if (xmlHasNsProp (adaptation_set, (const xmlChar *) name, NULL) != NULL)
    return adaptation_set;
  return NULL;
}

static char *
inherited_attribute (xmlNode    *adaptation_set,
                     xmlNode    *representation,
                     const char *name)
{
  xmlNode *owner = attribute_owner (adaptation_set, representation, name);

  return owner != NULL ? offline_dash_get_attribute (owner, name) : NULL;
}

/* The most telling kind among the codecs of @codecs (video, then audio). */
static gboolean
type_from_codecs (const char       *codecs,
                  OfflineTrackType *type)
{
  g_auto(GStrv) list = g_strsplit (codecs, ",", -1);
  gboolean found = FALSE;

  for (guint i = 0; list[i] != NULL; i++) {
    const char *codec = g_strstrip (list[i]);

    for (guint j = 0; j < G_N_ELEMENTS (codec_types); j++) {
      if (g_ascii_strncasecmp (codec, codec_types[j].prefix,
                               strlen (codec_types[j].prefix)) == 0 &&
          (!found || codec_types[j].type < *type)) {
        *type = codec_types[j].type;
        found = TRUE;
      }
    }
  }
  return found;
}

static gboolean
type_from_content_type (const char       *content_type,
                        OfflineTrackType *type)
{
  if (g_strcmp0 (content_type, "video") == 0)
    *type = OFFLINE_TRACK_TYPE_VIDEO;
  else if (g_strcmp0 (content_type, "audio") == 0)
    *type = OFFLINE_TRACK_TYPE_AUDIO;
  else if (g_strcmp0 (content_type, "text") == 0)
    *type = OFFLINE_TRACK_TYPE_TEXT;
  else
    return FALSE;
  return TRUE;
}

static gboolean
type_from_mime_type (const char       *mime_type,
                     OfflineTrackType *type)
{
  if (g_str_has_prefix (mime_type, "video/"))
    *type = OFFLINE_TRACK_TYPE_VIDEO;
  else if (g_str_has_prefix (mime_type, "audio/"))
    *type = OFFLINE_TRACK_TYPE_AUDIO;
  else if (g_str_has_prefix (mime_type, "text/") ||
           g_ascii_strcasecmp (mime_type, "application/ttml+xml") == 0)
    *type = OFFLINE_TRACK_TYPE_TEXT;
  else
    return FALSE;
  return TRUE;
}

/*
 * offline_dash_track_type:
 * @adaptation_set: an AdaptationSet
 * @representation: one of its Representations
 * @type: (out): the kind of track it is
 *
 * From AdaptationSet@contentType, else the mimeType (video/…, audio/…,
 * text/…, application/ttml+xml), else the codecs (which also tell what an
 * application/mp4 is).
 *
 * Returns: %FALSE if it is none we store (images, unknown content)
 */
gboolean
offline_dash_track_type (xmlNode          *adaptation_set,
                         xmlNode          *representation,
                         OfflineTrackType *type)
{
  g_autofree char *content_type = offline_dash_get_attribute (adaptation_set, "contentType");
  g_autofree char *mime_type = NULL;
  g_autofree char *codecs = NULL;

  if (content_type != NULL)
    return type_from_content_type (content_type, type);
  mime_type = inherited_attribute (adaptation_set, representation, "mimeType");
  if (mime_type != NULL && type_from_mime_type (mime_type, type))
    return TRUE;
  codecs = inherited_attribute (adaptation_set, representation, "codecs");
  return codecs != NULL && type_from_codecs (codecs, type);
}

/* "25", "30000/1001" or "29.97". */
static gboolean
parse_frame_rate (const char *text,
                  double     *out)
{
  const char *slash = strchr (text, '/');
  g_autofree char *numerator = NULL;
  guint64 num, den;

  if (slash == NULL)
    return offline_parse_double (text, out);
  numerator = g_strndup (text, slash - text);
  if (!offline_parse_uint64 (numerator, G_MAXUINT32, &num) ||
      !offline_parse_uint64 (slash + 1, G_MAXUINT32, &den) || den == 0)
    return FALSE;
  *out = (double) num / (double) den;
  return TRUE;
}

/* An unsigned attribute of the Representation or, inherited, of the
 * AdaptationSet. */
static gboolean
get_inherited_uint (xmlNode     *adaptation_set,
                    xmlNode     *representation,
                    const char  *name,
                    guint       *out,
                    GError     **error)
{
  xmlNode *owner = attribute_owner (adaptation_set, representation, name);
  guint64 value = 0;

  if (owner != NULL && !offline_dash_get_uint64 (owner, name, G_MAXUINT, &value, error))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/*
 * offline_dash_fill_track:
 * @track: a new track
 * @adaptation_set: an AdaptationSet
 * @adaptation_set_label: (nullable): the text of its Label
 * @representation: the Representation of @track
 * @error: return location for a #GError, or %NULL
 *
 * Sets the language (AdaptationSet@lang), the label (Label element of the
 * Representation, else @adaptation_set_label, else @label), the bandwidth, width,
 * height, frame rate, codecs and MIME type of @track. The Representation
 * overrides what the AdaptationSet says.
 *
 * Returns: %FALSE if an attribute is malformed
 */
gboolean
offline_dash_fill_track (OfflineTrack  *track,
                         xmlNode       *adaptation_set,
                         const char    *adaptation_set_label,
                         xmlNode       *representation,
                         GError       **error)
{
  xmlNode *frame_rate_owner = attribute_owner (adaptation_set, representation, "frameRate");
  xmlNode *label = offline_dash_first_child (representation, "Label");

  track->language = inherited_attribute (adaptation_set, representation, "lang");
  track->label = label != NULL ? offline_dash_get_text (label) : NULL;
  if (track->label == NULL)
    track->label = g_strdup (adaptation_set_label);
  if (track->label == NULL)
    track->label = inherited_attribute (adaptation_set, representation, "label");
  track->codecs = inherited_attribute (adaptation_set, representation, "codecs");
  track->mime_type = inherited_attribute (adaptation_set, representation, "mimeType");

  if (!offline_dash_get_uint64 (representation, "bandwidth", G_MAXUINT64,
                                &track->bandwidth, error) ||
      !get_inherited_uint (adaptation_set, representation, "width", &track->width, error) ||
      !get_inherited_uint (adaptation_set, representation, "height", &track->height, error))
    return FALSE;

  if (frame_rate_owner != NULL) {
    g_autofree char *frame_rate = offline_dash_get_attribute (frame_rate_owner, "frameRate");

    if (!parse_frame_rate (frame_rate, &track->frame_rate)) {
      offline_dash_set_error (error, frame_rate_owner, "frameRate",
                              "\"%s\" is not a frame rate", frame_rate);
      return FALSE;
    }
  }
  return TRUE;
}
