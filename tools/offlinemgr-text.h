/* offlinemgr-text.h: text for the terminal, shared by the commands
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* @text (NULL: "") with control characters, backslashes and bytes that
 * are not UTF-8 escaped C-style, so that it cannot drive the terminal. */
char *printable (const char *text);

/* @seconds as "m:ss" or "h:mm:ss", "--:--" if negative. */
char *format_duration (gint64 seconds);

/* The nick of @value of the enumeration @type, "unknown" if it has none. */
const char *enum_nick (GType type,
                       int   value);

G_END_DECLS
