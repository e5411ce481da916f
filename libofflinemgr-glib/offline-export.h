/* offline-export.h: which symbols libofflinemgr-glib exports
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The library is built with hidden symbol visibility: only what one of
 * these macros marks is in its dynamic symbol table.
 */
#pragma once

#if !defined(__OFFLINE_H_INSIDE__) && !defined(OFFLINE_COMPILATION)
#error "Only <offline.h> can be included directly."
#endif

#include <glib.h>

/**
 * OFFLINE_AVAILABLE_IN_ALL:
 *
 * Marks a symbol of the public API (an installed header, the GIR).
 */
#define OFFLINE_AVAILABLE_IN_ALL __attribute__ ((visibility ("default"))) extern

/* Marks a symbol of the store reader (store/offline-stored-entry.h): not
 * public API (not installed, not in the GIR, no ABI promise beyond this
 * source tree), exported for the gst-offline plugin and the tools, which
 * must use the library's types rather than a copy of their own. (Not a
 * gtk-doc comment: not part of the public API.) */
#define OFFLINE_READER_API __attribute__ ((visibility ("default"))) extern
