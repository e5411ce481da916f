/* offline-string-property-private.h: the construct-only string properties
 * of the provider's objects, where an empty string means "not set"
 * (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A readable, construct-only string property @name (static), default
 * NULL. */
G_GNUC_INTERNAL
GParamSpec *offline_string_property_new (const char *name);

/* Replaces *@field with the string in @value: a copy, or NULL for NULL
 * and "". */
G_GNUC_INTERNAL
void offline_string_property_set (char         **field,
                                  const GValue  *value);

G_END_DECLS
