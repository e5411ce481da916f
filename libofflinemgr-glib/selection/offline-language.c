/* offline-language.c: comparing language tags
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-language-private.h"

/* Three-letter codes (ISO 639-2/B, 639-2/T, 639-3) → ISO 639-1, for the
 * languages that streaming manifests use in practice. Sorted by code. */
static const struct {
  const char three[4];
  const char two[3];
} iso639_map[] = {
  { "afr", "af" }, { "alb", "sq" }, { "amh", "am" }, { "ara", "ar" },
  { "arm", "hy" }, { "aze", "az" }, { "baq", "eu" }, { "bel", "be" },
  { "ben", "bn" }, { "bos", "bs" }, { "bul", "bg" }, { "bur", "my" },
  { "cat", "ca" }, { "ces", "cs" }, { "chi", "zh" }, { "cym", "cy" },
  { "cze", "cs" }, { "dan", "da" }, { "deu", "de" }, { "dut", "nl" },
  { "ell", "el" }, { "eng", "en" }, { "est", "et" }, { "eus", "eu" },
  { "fas", "fa" }, { "fil", "tl" }, { "fin", "fi" }, { "fra", "fr" },
  { "fre", "fr" }, { "geo", "ka" }, { "ger", "de" }, { "gle", "ga" },
  { "glg", "gl" }, { "gre", "el" }, { "guj", "gu" }, { "heb", "he" },
  { "hin", "hi" }, { "hrv", "hr" }, { "hun", "hu" }, { "hye", "hy" },
  { "ice", "is" }, { "ind", "id" }, { "isl", "is" }, { "ita", "it" },
  { "jpn", "ja" }, { "kan", "kn" }, { "kat", "ka" }, { "kaz", "kk" },
  { "khm", "km" }, { "kor", "ko" }, { "lao", "lo" }, { "lav", "lv" },
  { "lit", "lt" }, { "mac", "mk" }, { "mal", "ml" }, { "mar", "mr" },
  { "may", "ms" }, { "mkd", "mk" }, { "mon", "mn" }, { "msa", "ms" },
  { "mya", "my" }, { "nep", "ne" }, { "nld", "nl" }, { "nno", "nn" },
  { "nob", "nb" }, { "nor", "no" }, { "pan", "pa" }, { "per", "fa" },
  { "pol", "pl" }, { "por", "pt" }, { "ron", "ro" }, { "rum", "ro" },
  { "rus", "ru" }, { "sin", "si" }, { "slk", "sk" }, { "slo", "sk" },
  { "slv", "sl" }, { "spa", "es" }, { "sqi", "sq" }, { "srp", "sr" },
  { "swa", "sw" }, { "swe", "sv" }, { "tam", "ta" }, { "tel", "te" },
  { "tgl", "tl" }, { "tha", "th" }, { "tur", "tr" }, { "ukr", "uk" },
  { "urd", "ur" }, { "uzb", "uz" }, { "vie", "vi" }, { "wel", "cy" },
  { "zho", "zh" }, { "zul", "zu" },
};

static int
compare_three (const void *key,
               const void *element)
{
  return strcmp (key, element);
}

char *
offline_language_normalize (const char *tag)
{
  g_autofree char *primary = NULL;
  const char *two;

  if (tag == NULL || *tag == '\0')
    return NULL;
  primary = g_ascii_strdown (tag, strcspn (tag, "-_"));
  g_strstrip (primary);
  if (*primary == '\0')
    return NULL;
  if (strlen (primary) == 3) {
    two = bsearch (primary, iso639_map, G_N_ELEMENTS (iso639_map),
                   sizeof iso639_map[0], compare_three);
    if (two != NULL)
      return g_strdup (two + sizeof iso639_map[0].three);
  }
  return g_steal_pointer (&primary);
}

gboolean
offline_language_matches (const char *a,
                          const char *b)
{
  g_autofree char *na = offline_language_normalize (a);
  g_autofree char *nb = offline_language_normalize (b);

  return na != NULL && nb != NULL && strcmp (na, nb) == 0;
}
