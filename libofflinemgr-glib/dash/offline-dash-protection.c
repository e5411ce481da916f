/* offline-dash-protection.c: ContentProtection elements
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-dash-private.h"

#define UUID_URN_PREFIX "urn:uuid:"

/* Whether @node is the element @name in the namespace @ns. */
static gboolean
is_ns_element (xmlNode    *node,
               const char *ns,
               const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL &&
         g_strcmp0 ((const char *) node->ns->href, ns) == 0 &&
         g_strcmp0 ((const char *) node->name, name) == 0;
}

/* Whether @node names a licence server: ClearKey Laurl, dashif:laurl,
 * ms:laurl, mspr:la_url, in whatever namespace. */
static gboolean
is_license_url_element (xmlNode *node)
{
  return node->type == XML_ELEMENT_NODE &&
         (g_ascii_strcasecmp ((const char *) node->name, "laurl") == 0 ||
          g_ascii_strcasecmp ((const char *) node->name, "la_url") == 0);
}

/* @text as a lower-case UUID with dashes, from 32 hex digits with or
 * without the dashes; NULL if it is not one. */
static char *
normalize_uuid (const char *text)
{
  g_autoptr(GString) uuid = g_string_new (NULL);

  if (g_uuid_string_is_valid (text))
    return g_ascii_strdown (text, -1);
  if (strlen (text) != 32)
    return NULL;
  for (guint i = 0; i < 32; i++) {
    if (!g_ascii_isxdigit (text[i]))
      return NULL;
    if (i == 8 || i == 12 || i == 16 || i == 20)
      g_string_append_c (uuid, '-');
    g_string_append_c (uuid, g_ascii_tolower (text[i]));
  }
  return g_string_free (g_steal_pointer (&uuid), FALSE);
}

/* Strictly decodes base64 @text (white space allowed, padding required);
 * g_base64_decode() alone skips anything it does not know. */
static GBytes *
decode_base64 (const char *text)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *padding;
  guchar *data;
  gsize length;

  for (const char *p = text; *p != '\0'; p++) {
    if (g_ascii_isspace (*p))
      continue;
    if (!g_ascii_isalnum (*p) && strchr ("+/=", *p) == NULL)
      return NULL;
    g_string_append_c (clean, *p);
  }
  padding = strchr (clean->str, '=');
  if (clean->len == 0 || clean->len % 4 != 0 ||
      (padding != NULL && (clean->str + clean->len - padding > 2 ||
                           strspn (padding, "=") != strlen (padding))))
    return NULL;
  data = g_base64_decode (clean->str, &length);
  return g_bytes_new_take (data, length);
}

/* cenc:default_KID, bound to its namespace or (sloppily) not. */
static char *
get_default_kid (xmlNode *node)
{
  xmlChar *value = xmlGetNsProp (node, (const xmlChar *) "default_KID",
                                 (const xmlChar *) OFFLINE_DASH_CENC_NS);
  char *kid;

  if (value == NULL)
    value = xmlGetProp (node, (const xmlChar *) "default_KID");
  if (value == NULL)
    return NULL;
  kid = g_strstrip (g_strdup ((const char *) value));
  xmlFree (value);
  return kid;
}

/* The children of @node that are not MPD elements: cenc:pssh, licence URLs. */
static gboolean
parse_children (xmlNode            *node,
                const char         *base_url,
                OfflineProtection  *protection,
                GError            **error)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next) {
    g_autofree char *text = NULL;

    if (is_ns_element (child, OFFLINE_DASH_CENC_NS, "pssh") && protection->pssh == NULL) {
      text = offline_dash_get_text (child);
      protection->pssh = text != NULL ? decode_base64 (text) : NULL;
      /* optional: a malformed one costs only itself (docs/manifests.md) */
      if (protection->pssh == NULL)
        g_debug ("MPD line %ld: cenc:pssh is not base64 data: ignored", xmlGetLineNo (child));
    } else if (is_license_url_element (child) && protection->license_url == NULL) {
      const char *attribute = NULL;

      text = offline_dash_get_text (child);
      if (text == NULL) {
        attribute = "licenseUrl";
        text = offline_dash_get_attribute (child, attribute);
      }
      if (text == NULL)
        continue;
      protection->license_url = offline_dash_resolve (base_url, text, child, attribute, error);
      if (protection->license_url == NULL)
        return FALSE;
    }
  }
  return TRUE;
}

static OfflineProtection *
parse_content_protection (xmlNode     *node,
                          const char  *base_url,
                          GError     **error)
{
  g_autoptr(OfflineProtection) protection = offline_protection_new ();
  g_autofree char *kid = get_default_kid (node);

  protection->scheme_id_uri = offline_dash_get_attribute (node, "schemeIdUri");
  if (protection->scheme_id_uri == NULL) {
    offline_dash_set_error (error, node, "schemeIdUri", "missing");
    return NULL;
  }
  if (g_ascii_strncasecmp (protection->scheme_id_uri, UUID_URN_PREFIX,
                           strlen (UUID_URN_PREFIX)) == 0) {
    protection->system_id =
      normalize_uuid (protection->scheme_id_uri + strlen (UUID_URN_PREFIX));
    if (protection->system_id == NULL) {
      offline_dash_set_error (error, node, "schemeIdUri", "\"%s\" is not a UUID URN",
                              protection->scheme_id_uri);
      return NULL;
    }
  }
  if (kid != NULL) {
    protection->default_kid = normalize_uuid (kid);
    /* optional (packagers write "0" and the like on clear content): a
     * malformed one costs only itself (docs/manifests.md) */
    if (protection->default_kid == NULL)
      g_debug ("MPD line %ld: cenc:default_KID \"%s\" is not a key ID: ignored",
               xmlGetLineNo (node), kid);
  }
  if (!parse_children (node, base_url, protection, error))
    return NULL;
  return g_steal_pointer (&protection);
}

/*
 * offline_dash_collect_protections:
 * @level: an AdaptationSet or Representation
 * @base_url: the BaseURL of @level, for relative licence URLs
 * @protections: (element-type OfflineProtection): where the protections are
 *   appended
 * @error: return location for a #GError, or %NULL
 *
 * Reads the ContentProtection children of @level: @schemeIdUri as written,
 * the system ID of a "urn:uuid:" scheme, cenc:default_KID, the cenc:pssh
 * box and the licence server URL. A cenc:default_KID that is not a UUID or
 * a cenc:pssh that is not base64 is left out (they are optional), not the
 * manifest.
 *
 * Returns: %FALSE if one is malformed (no or a bad schemeIdUri, a bad
 *   licence URL)
 */
gboolean
offline_dash_collect_protections (xmlNode     *level,
                                  const char  *base_url,
                                  GPtrArray   *protections,
                                  GError     **error)
{
  offline_dash_foreach_child (node, level, "ContentProtection") {
    OfflineProtection *protection = parse_content_protection (node, base_url, error);

    if (protection == NULL)
      return FALSE;
    g_ptr_array_add (protections, protection);
  }
  return TRUE;
}

/*
 * offline_dash_copy_protections:
 * @protections: (element-type OfflineProtection): protections
 *
 * Returns: (transfer full) (element-type OfflineProtection): new copies of
 *   @protections, which the caller may change
 */
GPtrArray *
offline_dash_copy_protections (GPtrArray *protections)
{
  GPtrArray *copies = g_ptr_array_new_full (protections->len, g_object_unref);

  for (guint i = 0; i < protections->len; i++) {
    OfflineProtection *protection = g_ptr_array_index (protections, i);
    OfflineProtection *copy = offline_protection_new ();

    copy->scheme_id_uri = g_strdup (protection->scheme_id_uri);
    copy->system_id = g_strdup (protection->system_id);
    copy->default_kid = g_strdup (protection->default_kid);
    copy->pssh = protection->pssh != NULL ? g_bytes_ref (protection->pssh) : NULL;
    copy->license_url = g_strdup (protection->license_url);
    g_ptr_array_add (copies, copy);
  }
  return copies;
}

static gboolean
same_protection (OfflineProtection *a,
                 OfflineProtection *b)
{
  return g_strcmp0 (a->scheme_id_uri, b->scheme_id_uri) == 0 &&
         g_strcmp0 (a->default_kid, b->default_kid) == 0 &&
         g_strcmp0 (a->license_url, b->license_url) == 0 &&
         (a->pssh == b->pssh ||
          (a->pssh != NULL && b->pssh != NULL && g_bytes_equal (a->pssh, b->pssh)));
}

/*
 * offline_dash_add_protections:
 * @track: a track
 * @protections: (element-type OfflineProtection): the protections of one
 *   Representation (AdaptationSet level ones included)
 *
 * The cenc:default_KID is usually written only on the
 * "urn:mpeg:dash:mp4protection:2011" ContentProtection; it is copied onto
 * every protection of @protections without one, so that each DRM system's
 * entry is self-contained. Then those @track does not have yet (a later
 * Period repeating them) are added to @track.
 */
void
offline_dash_add_protections (OfflineTrack *track,
                              GPtrArray    *protections)
{
  const char *kid = NULL;

  for (guint i = 0; i < protections->len && kid == NULL; i++)
    kid = ((OfflineProtection *) g_ptr_array_index (protections, i))->default_kid;

  for (guint i = 0; i < protections->len; i++) {
    OfflineProtection *protection = g_ptr_array_index (protections, i);
    gboolean known = FALSE;

    if (protection->default_kid == NULL)
      protection->default_kid = g_strdup (kid);
    for (guint j = 0; j < track->protections->len && !known; j++)
      known = same_protection (protection, g_ptr_array_index (track->protections, j));
    if (!known)
      offline_track_add_protection (track, g_object_ref (protection));
  }
}
