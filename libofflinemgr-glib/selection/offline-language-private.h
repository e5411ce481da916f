/* offline-language-private.h: comparing language tags (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The lower-case primary subtag of a BCP-47 tag ("es-ES" → "es"), with
 * ISO 639-2/B, 639-2/T and 639-3 codes of languages that have a two-letter
 * code mapped to it ("spa" → "es", "ger" → "de"). NULL for NULL/empty. */
G_GNUC_INTERNAL
char *offline_language_normalize (const char *tag);

/* Whether two tags name the same language by their normalised primary
 * subtags. NULL or empty never matches. */
G_GNUC_INTERNAL
gboolean offline_language_matches (const char *a,
                                   const char *b);

G_END_DECLS
