/* offline-hls-attributes.c: attribute lists (KEY=VALUE,KEY="quoted",…)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-hls-private.h"
#include "offline-manifest-private.h"

/* RFC 8216, section 4.2: an AttributeList is a comma-separated list of
 * AttributeName=AttributeValue pairs; a value is a quoted-string (no '"',
 * CR or LF inside) or runs to the next comma. White space after a comma is
 * tolerated although the RFC has none. */

typedef struct {
  char *name;
  char *value;
} Attribute;

struct _OfflineHlsAttributes {
  guint line;
  char *tag;
  GArray *items;  /* (element-type Attribute) */
};

static void
attribute_clear (gpointer data)
{
  Attribute *attribute = data;

  g_free (attribute->name);
  g_free (attribute->value);
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* Lexes one NAME=VALUE at *@p, leaving *@p after it. */
static gboolean
lex_attribute (OfflineHlsAttributes  *self,
               const char           **p,
               GError               **error)
{
  const char *start = *p;
  const char *q = start;
  Attribute attribute = { NULL, NULL };

  while (is_name_char (*q))
    q++;
  if (q == start || *q != '=') {
    offline_hls_set_error (error, self->line, self->tag,
                           "expected NAME=VALUE at \"%s\"", start);
    return FALSE;
  }
  attribute.name = g_strndup (start, q - start);
  q++;

  if (*q == '"') {
    const char *close = strchr (q + 1, '"');

    if (close == NULL) {
      offline_hls_set_error (error, self->line, self->tag,
                             "%s: unterminated quoted string", attribute.name);
      g_free (attribute.name);
      return FALSE;
    }
    attribute.value = g_strndup (q + 1, close - (q + 1));
    q = close + 1;
  } else {
    const char *end = strchr (q, ',');

    if (end == NULL)
      end = q + strlen (q);
    attribute.value = g_strndup (q, end - q);
    g_strchomp (attribute.value);
    q = end;
    if (*attribute.value == '\0') {
      offline_hls_set_error (error, self->line, self->tag,
                             "%s has no value", attribute.name);
      attribute_clear (&attribute);
      return FALSE;
    }
  }

  g_array_append_val (self->items, attribute);
  *p = q;
  return TRUE;
}

OfflineHlsAttributes *
offline_hls_attributes_parse (const char  *text,
                              guint        line,
                              const char  *tag,
                              GError     **error)
{
  g_autoptr(OfflineHlsAttributes) self = g_new0 (OfflineHlsAttributes, 1);
  const char *p = text ? text : "";

  self->line = line;
  self->tag = g_strdup (tag);
  self->items = g_array_new (FALSE, FALSE, sizeof (Attribute));
  g_array_set_clear_func (self->items, attribute_clear);

  while (*p != '\0') {
    if (!lex_attribute (self, &p, error))
      return NULL;
    if (*p == ',') {
      p++;
      while (g_ascii_isspace (*p))
        p++;
    } else if (*p != '\0') {
      offline_hls_set_error (error, line, tag, "expected ',' at \"%s\"", p);
      return NULL;
    }
  }
  return g_steal_pointer (&self);
}

void
offline_hls_attributes_free (OfflineHlsAttributes *attributes)
{
  if (attributes == NULL)
    return;
  g_free (attributes->tag);
  if (attributes->items != NULL)
    g_array_unref (attributes->items);
  g_free (attributes);
}

const char *
offline_hls_attributes_get (OfflineHlsAttributes *attributes,
                            const char           *name)
{
  for (guint i = 0; i < attributes->items->len; i++) {
    Attribute *attribute = &g_array_index (attributes->items, Attribute, i);

    if (strcmp (attribute->name, name) == 0)
      return attribute->value;
  }
  return NULL;
}

const char *
offline_hls_attributes_require (OfflineHlsAttributes  *attributes,
                                const char            *name,
                                GError               **error)
{
  const char *value = offline_hls_attributes_get (attributes, name);

  if (value == NULL)
    offline_hls_set_error (error, attributes->line, attributes->tag,
                           "the %s attribute is missing", name);
  return value;
}

gboolean
offline_hls_attributes_get_yes (OfflineHlsAttributes *attributes,
                                const char           *name)
{
  return g_strcmp0 (offline_hls_attributes_get (attributes, name), "YES") == 0;
}

static gboolean
invalid_value (OfflineHlsAttributes  *attributes,
               const char            *name,
               const char            *value,
               const char            *what,
               GError               **error)
{
  offline_hls_set_error (error, attributes->line, attributes->tag,
                         "%s \"%s\" is not %s", name, value, what);
  return FALSE;
}

gboolean
offline_hls_attributes_get_uint64 (OfflineHlsAttributes  *attributes,
                                   const char            *name,
                                   guint64                max,
                                   guint64               *out,
                                   GError               **error)
{
  const char *value = offline_hls_attributes_get (attributes, name);

  if (value != NULL && !offline_parse_uint64 (value, max, out))
    return invalid_value (attributes, name, value, "a valid integer", error);
  return TRUE;
}

gboolean
offline_hls_attributes_get_double (OfflineHlsAttributes  *attributes,
                                   const char            *name,
                                   double                 max,
                                   double                *out,
                                   GError               **error)
{
  const char *value = offline_hls_attributes_get (attributes, name);
  double number;

  if (value == NULL)
    return TRUE;
  if (!offline_parse_double (value, &number) || number > max)
    return invalid_value (attributes, name, value, "a valid number", error);
  *out = number;
  return TRUE;
}

gboolean
offline_hls_attributes_get_resolution (OfflineHlsAttributes  *attributes,
                                       const char            *name,
                                       guint                 *width,
                                       guint                 *height,
                                       GError               **error)
{
  const char *value = offline_hls_attributes_get (attributes, name);
  g_auto(GStrv) parts = NULL;
  guint64 w, h;

  if (value == NULL)
    return TRUE;
  parts = g_strsplit (value, "x", 3);
  if (g_strv_length (parts) != 2 ||
      !offline_parse_uint64 (parts[0], G_MAXUINT16, &w) ||
      !offline_parse_uint64 (parts[1], G_MAXUINT16, &h))
    return invalid_value (attributes, name, value, "a resolution", error);
  *width = (guint) w;
  *height = (guint) h;
  return TRUE;
}

gboolean
offline_hls_attributes_get_iv (OfflineHlsAttributes  *attributes,
                               const char            *name,
                               guint8                 iv[16],
                               gboolean              *present,
                               GError               **error)
{
  const char *value = offline_hls_attributes_get (attributes, name);
  const char *digits;

  *present = value != NULL;
  if (value == NULL)
    return TRUE;
  digits = value + 2;
  if (!(g_str_has_prefix (value, "0x") || g_str_has_prefix (value, "0X")) ||
      strlen (digits) != 32)
    return invalid_value (attributes, name, value, "0x and 32 hexadecimal digits", error);
  for (guint i = 0; i < 16; i++) {
    int high = g_ascii_xdigit_value (digits[2 * i]);
    int low = g_ascii_xdigit_value (digits[2 * i + 1]);

    if (high < 0 || low < 0)
      return invalid_value (attributes, name, value, "0x and 32 hexadecimal digits", error);
    iv[i] = (guint8) (high << 4 | low);
  }
  return TRUE;
}

gboolean
offline_hls_attributes_get_uri (OfflineHlsAttributes  *attributes,
                                const char            *name,
                                const char            *base,
                                char                 **out,
                                GError               **error)
{
  const char *value = offline_hls_attributes_get (attributes, name);

  *out = NULL;
  if (value == NULL)
    return TRUE;
  *out = offline_hls_resolve_uri (base, value, attributes->line, attributes->tag, error);
  return *out != NULL;
}
