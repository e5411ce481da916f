/* offline-hls-codecs.c: what the entries of a CODECS attribute carry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "offline-hls-private.h"

/* RFC 6381 codec strings start with a sample entry type ("avc1.64001f",
 * "mp4a.40.2"); the ones HLS playlists use in practice. */
static const struct {
  const char *prefix;
  OfflineHlsCodecKind kind;
} codec_kinds[] = {
  { "avc1", OFFLINE_HLS_CODEC_VIDEO },
  { "avc2", OFFLINE_HLS_CODEC_VIDEO },
  { "avc3", OFFLINE_HLS_CODEC_VIDEO },
  { "avc4", OFFLINE_HLS_CODEC_VIDEO },
  { "hvc1", OFFLINE_HLS_CODEC_VIDEO },
  { "hev1", OFFLINE_HLS_CODEC_VIDEO },
  { "dvh1", OFFLINE_HLS_CODEC_VIDEO },
  { "dvhe", OFFLINE_HLS_CODEC_VIDEO },
  { "dva1", OFFLINE_HLS_CODEC_VIDEO },
  { "dvav", OFFLINE_HLS_CODEC_VIDEO },
  { "dav1", OFFLINE_HLS_CODEC_VIDEO },
  { "vp08", OFFLINE_HLS_CODEC_VIDEO },
  { "vp09", OFFLINE_HLS_CODEC_VIDEO },
  { "vp8", OFFLINE_HLS_CODEC_VIDEO },
  { "vp9", OFFLINE_HLS_CODEC_VIDEO },
  { "av01", OFFLINE_HLS_CODEC_VIDEO },
  { "vvc1", OFFLINE_HLS_CODEC_VIDEO },
  { "vvi1", OFFLINE_HLS_CODEC_VIDEO },
  { "mp4v", OFFLINE_HLS_CODEC_VIDEO },
  { "mp4a", OFFLINE_HLS_CODEC_AUDIO },
  { "ac-3", OFFLINE_HLS_CODEC_AUDIO },
  { "ec-3", OFFLINE_HLS_CODEC_AUDIO },
  { "ac-4", OFFLINE_HLS_CODEC_AUDIO },
  { "opus", OFFLINE_HLS_CODEC_AUDIO },
  { "mp3", OFFLINE_HLS_CODEC_AUDIO },
  { "flac", OFFLINE_HLS_CODEC_AUDIO },
  { "alac", OFFLINE_HLS_CODEC_AUDIO },
  { "vorbis", OFFLINE_HLS_CODEC_AUDIO },
  { "dtsc", OFFLINE_HLS_CODEC_AUDIO },
  { "dtse", OFFLINE_HLS_CODEC_AUDIO },
  { "dtsh", OFFLINE_HLS_CODEC_AUDIO },
  { "dtsl", OFFLINE_HLS_CODEC_AUDIO },
  { "dtsx", OFFLINE_HLS_CODEC_AUDIO },
  { "mha1", OFFLINE_HLS_CODEC_AUDIO },
  { "mhm1", OFFLINE_HLS_CODEC_AUDIO },
  { "wvtt", OFFLINE_HLS_CODEC_TEXT },
  { "stpp", OFFLINE_HLS_CODEC_TEXT },
};

static OfflineHlsCodecKind
codec_kind (const char *codec)
{
  gsize length = strcspn (codec, ".");

  for (gsize i = 0; i < G_N_ELEMENTS (codec_kinds); i++) {
    if (strlen (codec_kinds[i].prefix) == length &&
        g_ascii_strncasecmp (codec, codec_kinds[i].prefix, length) == 0)
      return codec_kinds[i].kind;
  }
  return OFFLINE_HLS_CODEC_OTHER;
}

/* Calls @func on each non-empty, trimmed entry of @codecs. */
static void
foreach_codec (const char *codecs,
               void      (*func) (const char *codec, OfflineHlsCodecKind kind, gpointer data),
               gpointer    data)
{
  g_auto(GStrv) entries = NULL;

  if (codecs == NULL)
    return;
  entries = g_strsplit (codecs, ",", -1);
  for (guint i = 0; entries[i] != NULL; i++) {
    const char *codec = g_strstrip (entries[i]);

    if (*codec != '\0')
      func (codec, codec_kind (codec), data);
  }
}

static void
add_kind (const char          *codec,
          OfflineHlsCodecKind  kind,
          gpointer             data)
{
  *(OfflineHlsCodecKind *) data |= kind;
}

OfflineHlsCodecKind
offline_hls_codecs_kinds (const char *codecs)
{
  OfflineHlsCodecKind kinds = 0;

  foreach_codec (codecs, add_kind, &kinds);
  return kinds;
}

typedef struct {
  OfflineHlsCodecKind kind;
  GString *result;
} FilterData;

static void
add_if_kind (const char          *codec,
             OfflineHlsCodecKind  kind,
             gpointer             data)
{
  FilterData *filter = data;

  if (kind != filter->kind)
    return;
  if (filter->result->len > 0)
    g_string_append_c (filter->result, ',');
  g_string_append (filter->result, codec);
}

char *
offline_hls_codecs_filter (const char          *codecs,
                           OfflineHlsCodecKind  kind)
{
  FilterData filter = { kind, g_string_new (NULL) };

  foreach_codec (codecs, add_if_kind, &filter);
  if (filter.result->len == 0) {
    g_string_free (filter.result, TRUE);
    return NULL;
  }
  return g_string_free (filter.result, FALSE);
}
