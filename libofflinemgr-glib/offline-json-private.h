/* offline-json-private.h: building the JSON the library hands out
 * (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A member @name holding @value made valid UTF-8 (strings from servers
 * and apps need not be UTF-8: JSON must be), or null for NULL. */
G_GNUC_INTERNAL
void offline_json_add_string (JsonBuilder *builder,
                              const char  *name,
                              const char  *value);

G_GNUC_INTERNAL
void offline_json_add_int (JsonBuilder *builder,
                           const char  *name,
                           gint64       value);

/* A member @name holding the nick of @value of the enum @type, or null. */
G_GNUC_INTERNAL
void offline_json_add_enum_nick (JsonBuilder *builder,
                                 const char  *name,
                                 GType        type,
                                 int          value);

/* A member @name holding an array of the strings of @strv (NULL: []). */
G_GNUC_INTERNAL
void offline_json_add_strv (JsonBuilder        *builder,
                            const char         *name,
                            const char * const *strv);

/* @strv (NULL: empty) as a compact JSON array, NULL if it is empty. */
G_GNUC_INTERNAL
char *offline_json_strv_to_text (const char * const *strv);

/* The string member @name of @object, NULL if it has none or the member
 * is no string (an object, an array, a number, null): what a server sent
 * is read without a CRITICAL whatever its shape. */
G_GNUC_INTERNAL
const char *offline_json_get_string (JsonObject *object,
                                     const char *name);

/* The strings of the JSON array @text (NULL or malformed: none; members
 * that are not strings are skipped). Never NULL. */
G_GNUC_INTERNAL
GStrv offline_json_strv_from_text (const char *text);

/* The finished @builder's root as pretty-printed text. */
G_GNUC_INTERNAL
char *offline_json_to_text (JsonBuilder *builder);

G_END_DECLS
