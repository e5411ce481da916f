/* offline-error.c: the OFFLINE_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "offline-error.h"

/**
 * offline_error_quark:
 *
 * Gets the error domain of libofflinemgr-glib, %OFFLINE_ERROR.
 *
 * Returns: the #GQuark of the %OFFLINE_ERROR domain
 */
G_DEFINE_QUARK (offline-error-quark, offline_error)
