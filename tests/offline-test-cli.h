/* offline-test-cli.h: the offlinemgr tool ($OFFLINEMGR_CLI) run as a real
 * process by the tests, to its end or in the background
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "offline-test-manager.h"

G_BEGIN_DECLS

/* $OFFLINEMGR_CLI (aborts if unset) */
const char *offline_test_cli_path (void);

/* offline_test_manager_setup() without the manager: the tool must be
 * able to lock the store (tear down with offline_test_manager_teardown()). */
void offline_test_cli_setup (OfflineTestManager *f,
                             gconstpointer       data);

/* g_test_add() of @test on an OfflineTestManager set up by
 * offline_test_cli_setup(). */
void offline_test_cli_add (const char    *name,
                           gconstpointer  data,
                           void         (*test) (OfflineTestManager *, gconstpointer));

/* How a run of the tool ended. */
typedef struct {
  int status;       /* exit status, -1 if a signal ended it */
  int signal;       /* that signal, 0 if it exited */
  char *out;
  char *err;
} Run;

void run_clear (Run *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Starts the tool with @args. @store: "--store STORE" goes first unless
 * NULL; @env_store: $OFFLINEMGR_STORE (unset if NULL). */
GSubprocess *spawn_tool (const char         *store,
                         const char         *env_store,
                         GSubprocessFlags    flags,
                         const char * const *args);

/* spawn_tool() with the variables @env ("NAME", "VALUE", … NULL; none
 * if NULL) set in its environment. */
GSubprocess *spawn_tool_with_env (const char         *store,
                                  const char         *env_store,
                                  const char * const *env,
                                  GSubprocessFlags    flags,
                                  const char * const *args);

/* Waits for @child to end and records how in @run. */
void wait_child (GSubprocess *child,
                 Run         *run);

/* Runs the tool to its end with --store @store (unless NULL) and
 * $OFFLINEMGR_STORE @env_store (unless NULL); returns its exit status. */
int run_tool_full (const char         *store,
                   const char         *env_store,
                   Run                *run,
                   const char * const *args);

/* Runs the tool on @f's store with the arguments after @run (NULL
 * terminated); returns its exit status. */
int run_tool (OfflineTestManager *f,
              Run                *run,
              ...) G_GNUC_NULL_TERMINATED;

/* Asserts that @run failed (1) with exactly one line on stderr naming the
 * error @code ("OFFLINE_ERROR_NOT_FOUND"). */
void assert_failed (Run        *run,
                    const char *code);

/* A run of the tool in the background, followed by its output lines. */
typedef struct {
  GSubprocess *child;
  GDataInputStream *out;
  GString *lines;         /* the stdout lines read so far */
} Bg;

/* Follows @child (taken), started with stdout and stderr piped. */
Bg *bg_new (GSubprocess *child);
void bg_free (Bg *bg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Bg, bg_free)

/* Starts the tool on @f's store with the arguments after @f. */
Bg *bg_start (OfflineTestManager *f,
              ...) G_GNUC_NULL_TERMINATED;

/* The next stdout line of @bg, NULL at the end. */
char *bg_read_line (Bg *bg);

/* Reads stdout lines of @bg up to the first one that starts with @prefix,
 * and returns it. Fails the test if the output ends first. */
char *bg_wait_line (Bg         *bg,
                    const char *prefix);

/* Reads the rest of @bg's output and waits for it to end. */
void bg_finish (Bg  *bg,
                Run *run);

/* The output of "list --json" on @f's store, parsed: an array. */
JsonArray *list_json (OfflineTestManager *f);

/* The state "list --json" gives entry @id, NULL if it is not listed. */
char *listed_state (OfflineTestManager *f,
                    const char         *id);

/* Asserts that "list --json" gives entry @id @state. */
void assert_listed (OfflineTestManager *f,
                    const char         *id,
                    const char         *state);

/* Waits until @f's server got a request for @path (the server runs in
 * its own thread); fails the test after 60 s. */
void wait_requested (OfflineTestManager *f,
                     const char         *path);

/* The same, until it got @n of them. */
void wait_requested_n (OfflineTestManager *f,
                       const char         *path,
                       guint               n);

G_END_DECLS
