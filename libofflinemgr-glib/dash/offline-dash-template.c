/* offline-dash-template.c: expanding SegmentTemplate@media and
 * @initialization
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-dash-private.h"
#include "offline-error.h"
#include "offline-manifest-private.h"

/* A $Number%0Nd$ wider than this is no real template. */
#define MAX_WIDTH 32

/* Reads the format tag "%0Nd" that @format (of @length bytes) must be. */
static gboolean
parse_width (const char *format,
             gsize       length,
             guint64    *width)
{
  g_autofree char *digits = NULL;

  if (length < 4 || format[0] != '%' || format[1] != '0' || format[length - 1] != 'd')
    return FALSE;
  digits = g_strndup (format + 2, length - 3);
  return offline_parse_uint64 (digits, MAX_WIDTH, width) && *width > 0;
}

/* Appends the value of the identifier @name (@length bytes between two '$',
 * without them) to @url. */
static gboolean
expand_identifier (GString                        *url,
                   const char                     *name,
                   gsize                           length,
                   const OfflineDashTemplateVars  *vars,
                   GError                        **error)
{
  const char *percent = memchr (name, '%', length);
  gsize name_length = percent != NULL ? (gsize) (percent - name) : length;
  g_autofree char *identifier = g_strndup (name, name_length);
  guint64 width = 0;
  guint64 value;

  if (length == 0) {
    g_string_append_c (url, '$');
    return TRUE;
  }
  if (percent != NULL && !parse_width (percent, length - name_length, &width)) {
    g_autofree char *format = g_strndup (percent, length - name_length);

    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "$%s%s$: only a %%0<width>d format is allowed", identifier, format);
    return FALSE;
  }

  if (strcmp (identifier, "RepresentationID") == 0) {
    if (percent != NULL) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                   "$RepresentationID$ takes no format tag");
      return FALSE;
    }
    g_string_append (url, vars->representation_id);
    return TRUE;
  } else if (strcmp (identifier, "Bandwidth") == 0 && vars->has_bandwidth) {
    value = vars->bandwidth;
  } else if (strcmp (identifier, "Number") == 0 && vars->has_number) {
    value = vars->number;
  } else if (strcmp (identifier, "Time") == 0 && vars->has_number) {
    value = vars->time;
  } else {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "$%.*s$ is not an identifier that can be used here",
                 (int) length, name);
    return FALSE;
  }
  g_string_append_printf (url, "%0*" G_GUINT64_FORMAT, (int) width, value);
  return TRUE;
}

/*
 * offline_dash_template_expand:
 * @tmpl: a SegmentTemplate@media or @initialization
 * @vars: the values of the identifiers
 * @error: return location for a #GError, or %NULL
 *
 * Replaces $RepresentationID$, $Bandwidth$, $Number$ and $Time$ (these
 * three optionally with a "%0<width>d" format tag) and $$. Any other
 * identifier, format or a lone '$' is %OFFLINE_ERROR_MANIFEST_INVALID; the
 * message does not name the element, the caller adds that.
 *
 * Returns: (transfer full) (nullable): the expanded, still relative, URL
 */
char *
offline_dash_template_expand (const char                     *tmpl,
                              const OfflineDashTemplateVars  *vars,
                              GError                        **error)
{
  g_autoptr(GString) url = g_string_new (NULL);
  const char *p = tmpl;

  for (;;) {
    const char *open = strchr (p, '$');
    const char *close;

    if (open == NULL) {
      g_string_append (url, p);
      return g_string_free (g_steal_pointer (&url), FALSE);
    }
    g_string_append_len (url, p, open - p);
    close = strchr (open + 1, '$');
    if (close == NULL) {
      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                   "\"%s\" has a '$' without its closing '$'", tmpl);
      return NULL;
    }
    if (!expand_identifier (url, open + 1, close - open - 1, vars, error))
      return NULL;
    p = close + 1;
  }
}
