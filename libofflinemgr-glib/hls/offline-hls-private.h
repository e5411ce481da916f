/* offline-hls-private.h: the pieces of the HLS parser (library-internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "offline-presentation.h"
#include "offline-protection.h"

G_BEGIN_DECLS

/* offline-hls-reader.c: validated playlist text, read line by line */

typedef struct {
  const char *data;     /* the playlist, without BOM; not NUL-terminated */
  gsize length;
  gsize pos;            /* start of the next line */
  gsize first_pos;      /* start of the line after #EXTM3U */
  guint first_line;     /* the line number of #EXTM3U */
  guint line_number;    /* of the line last returned, 1-based */
  GString *line;        /* the line last returned, trimmed */
  GString *tag;         /* the tag name of that line (without '#'), or "" */
} OfflineHlsReader;

/* Checks size, NUL bytes, UTF-8 and the #EXTM3U first line (a BOM and CRLF
 * line endings are allowed) and positions @reader after that line.
 * @reader keeps a pointer into @playlist, which must outlive it. */
G_GNUC_INTERNAL
gboolean offline_hls_reader_init (OfflineHlsReader  *reader,
                                  GBytes            *playlist,
                                  GError           **error);
G_GNUC_INTERNAL
void offline_hls_reader_clear (OfflineHlsReader *reader);

/* Handles the tag @reader->tag of line @reader->line_number; @value is the
 * text after ':' (NULL if none). */
typedef gboolean (*OfflineHlsTagFunc) (gpointer     parser,
                                       const char  *value,
                                       GError     **error);
/* Handles the URI line @line. */
typedef gboolean (*OfflineHlsUriFunc) (gpointer     parser,
                                       const char  *line,
                                       GError     **error);
typedef struct {
  const char *name;
  OfflineHlsTagFunc func;
} OfflineHlsTagHandler;

/* Calls the handler of each tag line named in @handlers (a NULL-name
 * terminated array; other tags and comments are ignored) and @uri_func for
 * each URI line, in order, from the line after #EXTM3U; stops at the first
 * error. EXT-X-DEFINE (variable substitution) is refused. */
G_GNUC_INTERNAL
gboolean offline_hls_reader_dispatch (OfflineHlsReader            *reader,
                                      const OfflineHlsTagHandler  *handlers,
                                      OfflineHlsUriFunc            uri_func,
                                      gpointer                     parser,
                                      GError                     **error);
/* The number of lines holding one of the tags @names (NULL-terminated). */
G_GNUC_INTERNAL
guint64 offline_hls_reader_count_tags (OfflineHlsReader   *reader,
                                       const char * const *names);
/* The first of the tags @names (NULL-terminated) in the playlist, its line
 * number in *@line; NULL if there is none. */
G_GNUC_INTERNAL
const char *offline_hls_reader_find_tag (OfflineHlsReader   *reader,
                                         const char * const *names,
                                         guint              *line);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OfflineHlsReader, offline_hls_reader_clear)

/* Sets OFFLINE_ERROR_MANIFEST_INVALID: "line N: TAG: message" (@tag may be
 * NULL or ""). */
G_GNUC_INTERNAL
void offline_hls_set_error (GError    **error,
                            guint       line,
                            const char *tag,
                            const char *format,
                            ...) G_GNUC_PRINTF (4, 5);
/* The same, naming the line last read by @reader and its tag. */
G_GNUC_INTERNAL
void offline_hls_reader_error (OfflineHlsReader  *reader,
                               GError           **error,
                               const char        *format,
                               ...) G_GNUC_PRINTF (3, 4);
/* offline_resolve_uri() with an error naming @line and @tag. */
G_GNUC_INTERNAL
char *offline_hls_resolve_uri (const char  *base,
                               const char  *ref,
                               guint        line,
                               const char  *tag,
                               GError     **error);

/* offline-hls-attributes.c: attribute lists (KEY=VALUE,KEY="quoted",…) */

typedef struct _OfflineHlsAttributes OfflineHlsAttributes;

/* Lexes the attribute list @text of the tag @tag on @line. Names are
 * case-sensitive; the first of repeated names wins. */
G_GNUC_INTERNAL
OfflineHlsAttributes *offline_hls_attributes_parse (const char  *text,
                                                    guint        line,
                                                    const char  *tag,
                                                    GError     **error);
G_GNUC_INTERNAL
void offline_hls_attributes_free (OfflineHlsAttributes *attributes);

/* The value of @name, quotes removed, or NULL if absent. */
G_GNUC_INTERNAL
const char *offline_hls_attributes_get (OfflineHlsAttributes *attributes,
                                        const char           *name);
/* Like offline_hls_attributes_get() but a missing attribute is an error. */
G_GNUC_INTERNAL
const char *offline_hls_attributes_require (OfflineHlsAttributes  *attributes,
                                            const char            *name,
                                            GError               **error);
/* Whether @name is the enumerated string YES. */
G_GNUC_INTERNAL
gboolean offline_hls_attributes_get_yes (OfflineHlsAttributes *attributes,
                                         const char           *name);
/* The typed getters leave @out unchanged and return TRUE when @name is
 * absent; a malformed value is an error naming line, tag and attribute. */
G_GNUC_INTERNAL
gboolean offline_hls_attributes_get_uint64 (OfflineHlsAttributes  *attributes,
                                            const char            *name,
                                            guint64                max,
                                            guint64               *out,
                                            GError               **error);
G_GNUC_INTERNAL
gboolean offline_hls_attributes_get_double (OfflineHlsAttributes  *attributes,
                                            const char            *name,
                                            double                 max,
                                            double                *out,
                                            GError               **error);
/* RESOLUTION: "<width>x<height>". */
G_GNUC_INTERNAL
gboolean offline_hls_attributes_get_resolution (OfflineHlsAttributes  *attributes,
                                                const char            *name,
                                                guint                 *width,
                                                guint                 *height,
                                                GError               **error);
/* IV: "0x" and 32 hex digits; @present tells whether it was there. */
G_GNUC_INTERNAL
gboolean offline_hls_attributes_get_iv (OfflineHlsAttributes  *attributes,
                                        const char            *name,
                                        guint8                 iv[16],
                                        gboolean              *present,
                                        GError               **error);
/* The attribute @name resolved against @base; NULL without error when
 * absent. */
G_GNUC_INTERNAL
gboolean offline_hls_attributes_get_uri (OfflineHlsAttributes  *attributes,
                                         const char            *name,
                                         const char            *base,
                                         char                 **out,
                                         GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineHlsAttributes, offline_hls_attributes_free)

/* offline-hls-codecs.c: what the entries of a CODECS attribute carry */

typedef enum {
  OFFLINE_HLS_CODEC_OTHER = 1 << 0,
  OFFLINE_HLS_CODEC_VIDEO = 1 << 1,
  OFFLINE_HLS_CODEC_AUDIO = 1 << 2,
  OFFLINE_HLS_CODEC_TEXT = 1 << 3,
} OfflineHlsCodecKind;

/* The kinds present in the comma-separated list @codecs (0 if NULL). */
G_GNUC_INTERNAL
OfflineHlsCodecKind offline_hls_codecs_kinds (const char *codecs);
/* The entries of @codecs of kind @kind, comma-separated, or NULL if none. */
G_GNUC_INTERNAL
char *offline_hls_codecs_filter (const char          *codecs,
                                 OfflineHlsCodecKind  kind);

/* offline-hls-key.c: the EXT-X-KEY in force while reading a media playlist */

typedef struct {
  OfflineProtection *protection;  /* NULL: METHOD=NONE */
  gboolean iv_from_sequence;      /* AES-128 without IV */
  gboolean is_aes_128;
} OfflineHlsKey;

/* Replaces @key with the EXT-X-KEY described by @attributes. */
G_GNUC_INTERNAL
gboolean offline_hls_key_update (OfflineHlsKey         *key,
                                 OfflineHlsAttributes  *attributes,
                                 const char            *base,
                                 GError               **error);
/* The key of the media segment number @number: a new reference, or NULL for
 * clear segments. */
G_GNUC_INTERNAL
OfflineProtection *offline_hls_key_for_segment (const OfflineHlsKey *key,
                                                guint64              number);
/* Adds the key to @protections (element-type OfflineProtection) unless it
 * is NONE or AES-128 or an equal key (method, URI, KEYFORMAT) is in @seen
 * (a set of strings that it updates). */
G_GNUC_INTERNAL
void offline_hls_key_collect (const OfflineHlsKey *key,
                              GHashTable          *seen,
                              GPtrArray           *protections);
G_GNUC_INTERNAL
void offline_hls_key_clear (OfflineHlsKey *key);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OfflineHlsKey, offline_hls_key_clear)

/* offline-hls-master.c / offline-hls-media.c */

/* Whether the playlist of @reader is a master playlist (it has
 * EXT-X-STREAM-INF, EXT-X-MEDIA or other master-only tags). Rewinds. */
G_GNUC_INTERNAL
gboolean offline_hls_is_master (OfflineHlsReader *reader);
/* The first tag of @reader that only a master playlist has, its line in
 * *@line. */
G_GNUC_INTERNAL
const char *offline_hls_find_master_tag (OfflineHlsReader *reader,
                                         guint            *line);

/* Adds the tracks of the master playlist of @reader to @presentation. */
G_GNUC_INTERNAL
gboolean offline_hls_master_parse (OfflinePresentation  *presentation,
                                   OfflineHlsReader     *reader,
                                   GError              **error);

/* Fills @track, a track of @presentation, from the media playlist of
 * @reader fetched from @uri. With @guess_type, the track type is taken from
 * the segment file names (for a media playlist without master). Nothing is
 * changed on error. */
G_GNUC_INTERNAL
gboolean offline_hls_media_parse (OfflinePresentation  *presentation,
                                  OfflineTrack         *track,
                                  OfflineHlsReader     *reader,
                                  const char           *uri,
                                  gboolean              guess_type,
                                  GError              **error);

G_END_DECLS
