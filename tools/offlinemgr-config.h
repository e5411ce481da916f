/* offlinemgr-config.h: `offlinemgr --config FILE`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A configuration file, read before any store is opened. */
typedef struct {
  char *json;            /* for offline_manager_new_from_config(), with --store put in */
  char *store_path;      /* --store, else offline.storePath, else NULL (the default store) */
  gboolean has_provider; /* it has a provider section */
} CliConfig;

void cli_config_clear (CliConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliConfig, cli_config_clear)

/* Reads the configuration at @path into @config. @store (nullable), the
 * --store option, replaces its offline.storePath. FALSE with @error set
 * (OFFLINE_ERROR_INVALID_CONFIG) if the file cannot be read, is not JSON
 * or not an object; the other checks are offline_manager_new_from_config()'s. */
gboolean cli_config_load (const char  *path,
                          const char  *store,
                          CliConfig   *config,
                          GError     **error);

G_END_DECLS
