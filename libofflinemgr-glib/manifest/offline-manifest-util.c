/* offline-manifest-util.c: number, time and URI helpers shared by the parsers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "offline-error.h"
#include "offline-manifest-private.h"

gboolean
offline_parse_uint64 (const char *text,
                      guint64     max,
                      guint64    *out)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++) {
    if (!g_ascii_isdigit (*p))
      return FALSE;
    if (!g_uint64_checked_mul (&value, value, 10) ||
        !g_uint64_checked_add (&value, value, (guint64) (*p - '0')))
      return FALSE;
  }
  if (value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

gboolean
offline_parse_double (const char *text,
                      double     *out)
{
  const char *p = text;
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  /* digits, at most one '.', digits: no sign, exponent, hex, inf or nan */
  if (!g_ascii_isdigit (*p) && !(*p == '.' && g_ascii_isdigit (p[1])))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.') {
    p++;
    while (g_ascii_isdigit (*p))
      p++;
  }
  if (*p != '\0')
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end != p || !isfinite (value) || value < 0)
    return FALSE;
  *out = value;
  return TRUE;
}

char *
offline_text_for_message (const char *text,
                          gsize       max_chars)
{
  g_autofree char *valid = NULL;
  gsize length, taken;
  glong chars;

  if (text == NULL)
    return g_strdup ("(null)");
  /* look at no more bytes than @max_chars characters can take */
  length = strlen (text);
  taken = MIN (length, max_chars * 4);
  valid = g_utf8_make_valid (text, taken);
  chars = g_utf8_strlen (valid, -1);
  if (taken == length && chars <= (glong) max_chars)
    return g_steal_pointer (&valid);
  *g_utf8_offset_to_pointer (valid, MIN (chars, (glong) max_chars)) = '\0';
  return g_strconcat (valid, "…", NULL);
}

char *
offline_uri_for_message (const char *uri)
{
  return offline_text_for_message (uri, OFFLINE_MESSAGE_MAX_CHARS);
}

gboolean
offline_uri_is_fetchable (const char *uri)
{
  g_autofree char *scheme = NULL;

  for (const char *p = uri; *p != '\0'; p++) {
    if ((guchar) *p <= ' ' || *p == 0x7f)
      return FALSE;
  }
  scheme = g_uri_parse_scheme (uri);
  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         g_uri_is_valid (uri, G_URI_FLAGS_ENCODED, NULL);
}

static gboolean
check_length (const char  *uri,
              const char  *what,
              GError     **error)
{
  g_autofree char *shown = NULL;

  if (strnlen (uri, OFFLINE_MANIFEST_MAX_URI_LENGTH + 1) <= OFFLINE_MANIFEST_MAX_URI_LENGTH)
    return TRUE;
  shown = offline_uri_for_message (uri);
  /* the reason first: messages that quote it may be cut after it */
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
               "a URL%s longer than %d bytes: \"%s\"", what,
               OFFLINE_MANIFEST_MAX_URI_LENGTH, shown);
  return FALSE;
}

gboolean
offline_uri_check_length (const char  *uri,
                          GError     **error)
{
  return check_length (uri, " is", error);
}

char *
offline_resolve_uri (const char  *base,
                     const char  *ref,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GUri) base_uri = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (ref != NULL, NULL);

  /* before any copy of it: a hostile manifest may hold a 60 MB URL */
  if (!check_length (ref, " is", error) ||
      (base != NULL && !check_length (base, " (the base URL) is", error)))
    return NULL;
  if (base != NULL) {
    base_uri = g_uri_parse (base, G_URI_FLAGS_ENCODED, &local_error);
    if (base_uri == NULL)
      goto invalid;
  }
  uri = g_uri_parse_relative (base_uri, ref, G_URI_FLAGS_ENCODED, &local_error);
  /* GLib cannot print a URI without host whose path starts with "//" (it
   * would read back as an authority): refuse it before g_uri_to_string(). */
  if (uri == NULL ||
      (g_uri_get_host (uri) == NULL && g_str_has_prefix (g_uri_get_path (uri), "//")))
    goto invalid;
  resolved = g_uri_to_string (uri);
  if (!check_length (resolved, " (resolved) is", error))
    return NULL;

  /* A manifest fetched over HTTP may only point at HTTP(S) resources: never
   * at file://, data: or anything else a hostile server could use. */
  if (base != NULL && offline_uri_is_fetchable (base) && !offline_uri_is_fetchable (resolved)) {
    shown = offline_uri_for_message (ref);
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
                 "not an http(s) URL: \"%s\"", shown);
    return NULL;
  }
  return g_steal_pointer (&resolved);

invalid:
  shown = offline_uri_for_message (ref);
  /* GLib's messages may quote the URI whole */
  if (local_error != NULL)
    reason = offline_text_for_message (local_error->message, OFFLINE_MESSAGE_MAX_CHARS);
  g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_MANIFEST_INVALID,
               "not a valid URI reference%s%s%s: \"%s\"",
               reason ? " (" : "", reason ? reason : "", reason ? ")" : "", shown);
  return NULL;
}

gboolean
offline_ticks_to_us (guint64    ticks,
                     guint64    timescale,
                     GTimeSpan *out)
{
  guint64 whole, rest, us;

  if (timescale == 0)
    return FALSE;
  whole = ticks / timescale;
  rest = ticks % timescale;
  if (!g_uint64_checked_mul (&us, whole, G_USEC_PER_SEC))
    return FALSE;
  /* rest < timescale <= 10^12, so rest * 10^6 < 10^18 fits in 64 bits */
  if (!g_uint64_checked_add (&us, us, rest * G_USEC_PER_SEC / timescale))
    return FALSE;
  if (us > G_MAXINT64)
    return FALSE;
  *out = (GTimeSpan) us;
  return TRUE;
}
