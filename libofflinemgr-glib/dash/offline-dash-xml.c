/* offline-dash-xml.c: reading an MPD document safely, and its elements and
 * attributes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>

#include "offline-dash-private.h"
#include "offline-error.h"
#include "offline-manifest-private.h"

/* Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: no entity is
 * expanded, nothing is fetched and libxml2 keeps its size limits. */
#define DASH_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | \
                          XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* SAX internalSubset callback: called for <!DOCTYPE …> before any of its
 * internal subset (entity declarations) is read; stops the parser there. */
static void
refuse_doctype (void          *user_data,
                const xmlChar *name,
                const xmlChar *external_id,
                const xmlChar *system_id)
{
  xmlParserCtxt *ctxt = user_data;
  gboolean *saw_doctype = ctxt->_private;

  *saw_doctype = TRUE;
  xmlStopParser (ctxt);
}

/* The last libxml2 error of @ctxt as "message (line N)". */
static char *
describe_xml_error (xmlParserCtxt *ctxt)
{
  const xmlError *xml_error = xmlCtxtGetLastError (ctxt);
  g_autofree char *message = NULL;

  if (xml_error == NULL || xml_error->message == NULL)
    return g_strdup ("not well-formed XML");
  message = g_strstrip (g_strdup (xml_error->message));
  return g_strdup_printf ("%s (line %d)", message, xml_error->line);
}

/*
 * offline_dash_read_document:
 * @mpd: the manifest text
 * @error: return location for a #GError, or %NULL
 *
 * Parses @mpd as XML without expanding entities or touching the network,
 * and refuses documents with a DOCTYPE, too large or not well-formed.
 *
 * Returns: (transfer full) (nullable): the document, free with xmlFreeDoc()
 */
xmlDoc *
offline_dash_read_document (GBytes  *mpd,
                            GError **error)
{
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  gboolean saw_doctype = FALSE;
  gsize size = 0;
  const char *data = g_bytes_get_data (mpd, &size);

  if (size == 0) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "MPD: the manifest is empty");
    return NULL;
  }
  if (size > OFFLINE_MANIFEST_MAX_SIZE) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "MPD: the manifest is larger than %d bytes",
                 OFFLINE_MANIFEST_MAX_SIZE);
    return NULL;
  }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "MPD: cannot create an XML parser");
    return NULL;
  }
  ctxt->sax->internalSubset = refuse_doctype;
  ctxt->_private = &saw_doctype;

  doc = xmlCtxtReadMemory (ctxt, data, (int) size, NULL, NULL, DASH_XML_OPTIONS);
  if (saw_doctype || doc == NULL || !ctxt->wellFormed) {
    if (saw_doctype) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                   "MPD: a DOCTYPE is not allowed in a manifest");
    } else {
      g_autofree char *message = describe_xml_error (ctxt);

      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                   "MPD: not well-formed XML: %s", message);
    }
    g_clear_pointer (&doc, xmlFreeDoc);
  }
  xmlFreeParserCtxt (ctxt);
  return doc;
}

/*
 * offline_dash_set_error:
 * @error: return location for a #GError, or %NULL
 * @node: (nullable): the element at fault
 * @attribute: (nullable): its attribute at fault
 * @format: printf() format of what is wrong
 * @...: its arguments
 *
 * Sets a %OFFLINE_ERROR_MANIFEST_INVALID error reading
 * "MPD: Element@attribute: what is wrong (line N)".
 */
void
offline_dash_set_error (GError    **error,
                        xmlNode    *node,
                        const char *attribute,
                        const char *format,
                        ...)
{
  g_autofree char *what = NULL;
  const char *prefix;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (node == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "MPD: %s", what);
    return;
  }
  /* "cenc:pssh", but "SegmentTemplate" */
  prefix = node->ns != NULL && node->ns->prefix != NULL &&
           g_ascii_strcasecmp ((const char *) node->ns->href, OFFLINE_DASH_NS) != 0
           ? (const char *) node->ns->prefix : NULL;
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
               "MPD: %s%s%s%s%s: %s (line %ld)",
               prefix != NULL ? prefix : "", prefix != NULL ? ":" : "",
               (const char *) node->name,
               attribute != NULL ? "@" : "", attribute != NULL ? attribute : "",
               what, xmlGetLineNo (node));
}

/*
 * offline_dash_is_element:
 * @node: (nullable): a node
 * @name: a local name
 *
 * Returns: whether @node is the MPD element @name (in the MPD namespace,
 *   whatever its case, or in none)
 */
gboolean
offline_dash_is_element (xmlNode    *node,
                         const char *name)
{
  /* old manifests write "urn:mpeg:DASH:schema:MPD:2011" */
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         g_strcmp0 ((const char *) node->name, name) == 0 &&
         (node->ns == NULL ||
          g_ascii_strcasecmp ((const char *) node->ns->href, OFFLINE_DASH_NS) == 0);
}

/*
 * offline_dash_next_sibling:
 * @node: an element
 * @name: a local name
 *
 * Returns: (transfer none) (nullable): the next sibling of @node that is
 *   the MPD element @name
 */
xmlNode *
offline_dash_next_sibling (xmlNode    *node,
                           const char *name)
{
  for (node = node->next; node != NULL; node = node->next)
    if (offline_dash_is_element (node, name))
      return node;
  return NULL;
}

/*
 * offline_dash_first_child:
 * @parent: an element
 * @name: a local name
 *
 * Returns: (transfer none) (nullable): the first child of @parent that is
 *   the MPD element @name
 */
xmlNode *
offline_dash_first_child (xmlNode    *parent,
                          const char *name)
{
  xmlNode *child = parent->children;

  if (child == NULL || offline_dash_is_element (child, name))
    return child;
  return offline_dash_next_sibling (child, name);
}

/*
 * offline_dash_resolve:
 * @base: an absolute URL
 * @ref: a URL reference written in the manifest
 * @node: the element @ref is from
 * @attribute: (nullable): the attribute @ref is from, %NULL for the text
 * @error: return location for a #GError, or %NULL
 *
 * offline_resolve_uri(), with an error naming where @ref was written.
 *
 * Returns: (transfer full) (nullable): the absolute URL
 */
char *
offline_dash_resolve (const char  *base,
                      const char  *ref,
                      xmlNode     *node,
                      const char  *attribute,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *uri = offline_resolve_uri (base, ref, &local_error);

  if (uri == NULL)
    offline_dash_set_error (error, node, attribute, "cannot resolve: %s",
                            local_error->message);
  return uri;
}

/*
 * offline_dash_get_attribute:
 * @node: an element
 * @name: the name of an attribute without namespace
 *
 * Returns: (transfer full) (nullable): its value, or %NULL if absent
 */
char *
offline_dash_get_attribute (xmlNode    *node,
                            const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

/*
 * offline_dash_get_text:
 * @node: an element
 *
 * Returns: (transfer full) (nullable): its text without surrounding white
 *   space, or %NULL if that is empty
 */
char *
offline_dash_get_text (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  g_autofree char *text = g_strdup ((const char *) content);

  xmlFree (content);
  if (text == NULL || *g_strstrip (text) == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

/*
 * offline_dash_get_uint64:
 * @node: an element
 * @name: the attribute
 * @max: the largest value allowed
 * @out: (inout): the value, untouched when the attribute is absent
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %FALSE if the attribute is present but not a number in [0, @max]
 */
gboolean
offline_dash_get_uint64 (xmlNode     *node,
                         const char  *name,
                         guint64      max,
                         guint64     *out,
                         GError     **error)
{
  g_autofree char *value = offline_dash_get_attribute (node, name);
  guint64 parsed;

  if (value == NULL)
    return TRUE;
  if (offline_parse_uint64 (value, max, &parsed)) {
    *out = parsed;
    return TRUE;
  }
  if (*value != '\0' && strspn (value, "0123456789") == strlen (value))
    offline_dash_set_error (error, node, name, "\"%s\" is out of range", value);
  else
    offline_dash_set_error (error, node, name, "\"%s\" is not a number", value);
  return FALSE;
}

/*
 * offline_dash_get_duration:
 * @node: an element
 * @name: the attribute, an ISO 8601 duration such as `PT1H2M3.5S`
 * @out: (inout): the value in µs, untouched when the attribute is absent
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %FALSE if the attribute is present but not a duration of at
 *   most a year
 */
gboolean
offline_dash_get_duration (xmlNode     *node,
                           const char  *name,
                           GTimeSpan   *out,
                           GError     **error)
{
  g_autofree char *value = offline_dash_get_attribute (node, name);

  if (value == NULL || offline_dash_parse_iso_duration (value, out))
    return TRUE;
  offline_dash_set_error (error, node, name,
                          "\"%s\" is not an ISO 8601 duration of at most a year",
                          value);
  return FALSE;
}

/*
 * offline_dash_get_range:
 * @node: an element
 * @name: the attribute, an inclusive byte range "first-last"
 * @offset: (inout): the first byte, untouched when the attribute is absent
 * @length: (inout): the number of bytes, untouched when the attribute is
 *   absent
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %FALSE if the attribute is present but not a byte range
 */
gboolean
offline_dash_get_range (xmlNode     *node,
                        const char  *name,
                        gint64      *offset,
                        gint64      *length,
                        GError     **error)
{
  g_autofree char *value = offline_dash_get_attribute (node, name);

  if (value == NULL || offline_dash_parse_byte_range (value, offset, length))
    return TRUE;
  offline_dash_set_error (error, node, name,
                          "\"%s\" is not a byte range \"first-last\"", value);
  return FALSE;
}
