/* offline-manifest-private.h: limits and helpers shared by the parsers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a real manifest never exceeds; more is refused as MANIFEST_INVALID. */
#define OFFLINE_MANIFEST_MAX_SEGMENTS   1000000     /* all tracks together */
#define OFFLINE_MANIFEST_MAX_TRACKS     1000
#define OFFLINE_MANIFEST_MAX_SIZE       (64 * 1024 * 1024)  /* bytes of manifest text */
#define OFFLINE_MANIFEST_MAX_TIMESCALE  G_GUINT64_CONSTANT (1000000000000) /* ticks per second */
#define OFFLINE_MANIFEST_MAX_DURATION   (G_GINT64_CONSTANT (366) * 24 * 3600 * G_USEC_PER_SEC) /* one year, µs */
#define OFFLINE_MANIFEST_MAX_URI_LENGTH (16 * 1024) /* bytes of a resolved URL */

/* How many characters of a URL, or of a line of a manifest, a message quotes. */
#define OFFLINE_MESSAGE_MAX_CHARS       200

/* Strict decimal parse of the whole of @text (no sign, no spaces) into
 * [0, @max]. FALSE on anything else. */
G_GNUC_INTERNAL
gboolean offline_parse_uint64 (const char *text,
                               guint64     max,
                               guint64    *out);

/* Strict decimal parse of a non-negative finite number ("12", "2.5"). */
G_GNUC_INTERNAL
gboolean offline_parse_double (const char *text,
                               double     *out);

/* @text cut to @max_chars characters (with "…" when cut), valid UTF-8
 * (invalid bytes replaced): what an error message may quote of text read
 * from a manifest or a server. */
G_GNUC_INTERNAL
char *offline_text_for_message (const char *text,
                                gsize       max_chars);

/* offline_text_for_message() of a URL, at OFFLINE_MESSAGE_MAX_CHARS:
 * every URL quoted in a message goes through it. */
G_GNUC_INTERNAL
char *offline_uri_for_message (const char *uri);

/* Whether @uri is at most OFFLINE_MANIFEST_MAX_URI_LENGTH bytes long;
 * OFFLINE_ERROR_MANIFEST_INVALID quoting it cut otherwise. Every URL a
 * parser hands out passes it (offline_resolve_uri(), progressive URLs). */
G_GNUC_INTERNAL
gboolean offline_uri_check_length (const char  *uri,
                                   GError     **error);

/* Whether @uri is an absolute http(s) URL without whitespace or control
 * characters: the only URLs offlinemgr fetches. */
G_GNUC_INTERNAL
gboolean offline_uri_is_fetchable (const char *uri);

/* Resolves @ref against @base; when @base is fetchable, so must the result
 * be (no file://, data: … from a server), and neither @ref nor the result
 * may be longer than OFFLINE_MANIFEST_MAX_URI_LENGTH bytes. NULL with
 * OFFLINE_ERROR_MANIFEST_INVALID otherwise; the message quotes @ref cut
 * by offline_uri_for_message(). */
G_GNUC_INTERNAL
char *offline_resolve_uri (const char  *base,
                           const char  *ref,
                           GError     **error);

/* ticks / timescale in µs, rounded down; FALSE on overflow. */
G_GNUC_INTERNAL
gboolean offline_ticks_to_us (guint64    ticks,
                              guint64    timescale,
                              GTimeSpan *out);

G_END_DECLS

G_BEGIN_DECLS

/* Lower-case extension of the last path segment of @uri (query and fragment
 * ignored), or NULL. */
G_GNUC_INTERNAL
char *offline_uri_get_extension (const char *uri);

/* Whether @extension (lower-case, no dot) names a progressive media file;
 * its MIME type and track type if so. */
G_GNUC_INTERNAL
gboolean offline_progressive_lookup (const char  *extension,
                                     const char **mime_type,
                                     int         *track_type);

/* offline-progressive-duration.c: the duration (µs) that the media file
 * @data (the whole file, @size bytes: MP4/MOV, WebM/Matroska or MP3)
 * declares in its container, 0 if unknown. */
G_GNUC_INTERNAL
GTimeSpan offline_progressive_read_duration (const guint8 *data,
                                             gsize         size);

G_END_DECLS
