/* offlinemgr-play.h: `offlinemgr play ID [--headless]`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Plays offline://@entry_id from @store (NULL: the default) with playbin,
 * in a window, or with synchronised fakesinks if @headless, printing
 * "position / duration" every second and at EOS, then "end of stream".
 * Returns an exit status: 0 at EOS, 1 on an error (printed on stderr as
 * "offlinemgr: OFFLINE_ERROR_…: message", the code offlinesrc gave). */
int offlinemgr_play (const char *store,
                     const char *entry_id,
                     gboolean    headless);

G_END_DECLS
