/* offline-remux-elements-private.h: the GStreamer elements an export uses
 * (library-internal; see offline-remux.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* The muxer for @path (nullable), from its extension: "mp4mux" for .mp4
 * and .m4v, "matroskamux" for .mkv (any case); NULL for any other. */
G_GNUC_INTERNAL
const char *offline_remux_muxer_for_path (const char *path);

/* Initialises GStreamer and checks that offlinesrc, queue, filesink and
 * @muxer_name are installed: FALSE with OFFLINE_ERROR_NOT_SUPPORTED
 * naming the one missing. */
G_GNUC_INTERNAL
gboolean offline_remux_check_elements (const char  *muxer_name,
                                       GError     **error);

/* A new element of the best-ranked factory of @type (parser, decryptor)
 * taking @caps, or NULL. */
G_GNUC_INTERNAL
GstElement *offline_remux_make_for_caps (GstElementFactoryListType  type,
                                         GstCaps                   *caps);

/* Whether a sink pad template of @muxer takes @caps. */
G_GNUC_INTERNAL
gboolean offline_remux_muxer_takes (GstElement *muxer,
                                    GstCaps    *caps);

/* Whether @muxer, though its template takes the stream @structure, cannot
 * write it with GStreamer 1.22: its mp4mux crashes on VP9 caps without
 * chroma-site. */
G_GNUC_INTERNAL
gboolean offline_remux_muxer_breaks_on (GstElement   *muxer,
                                        GstStructure *structure);

/* What @muxer takes, raw audio and video left out: where a demuxer of a
 * progressive entry is to stop (nothing is decoded). */
G_GNUC_INTERNAL
GstCaps *offline_remux_muxer_caps (GstElement *muxer);

G_END_DECLS
