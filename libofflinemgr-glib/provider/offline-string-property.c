/* offline-string-property.c: the construct-only string properties of the
 * provider's objects
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-string-property-private.h"

GParamSpec *
offline_string_property_new (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                              G_PARAM_STATIC_STRINGS);
}

void
offline_string_property_set (char         **field,
                             const GValue  *value)
{
  const char *text = g_value_get_string (value);

  g_free (*field);
  *field = (text != NULL && *text != '\0') ? g_strdup (text) : NULL;
}
