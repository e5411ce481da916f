/* offline-test-soak.h: what the crash and disk-fault soaks share: a long
 * synthetic download, the offlinemgr tool run under the fault injector
 * (tests/fault-inject), and the store checked after each crash or fault
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-test-cli.h"

G_BEGIN_DECLS

/* The soak's fixture: a DASH presentation written into a temporary
 * directory and served from there, and a store next to it, for one entry. */
typedef struct {
  OfflineTestServer *server;  /* serves @root */
  char *tmp_dir;
  char *root;                 /* tmp_dir/www */
  char *store_path;           /* tmp_dir/store */
  char *fault_log;            /* tmp_dir/fault.log */
  char *url;                  /* the manifest's URL */
  guint n_resources;          /* what the entry stores */
  guint64 n_bytes;
} OfflineTestSoak;

/* Writes the presentation into a new temporary directory and serves it: a
 * video and an audio track of @n_segments media segments each (of about
 * @segment_size and a quarter of it, seeded pseudo-random bytes from @seed)
 * plus an init segment each. */
OfflineTestSoak *offline_test_soak_new (guint   n_segments,
                                        gsize   segment_size,
                                        guint32 seed);
void offline_test_soak_free (OfflineTestSoak *soak);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OfflineTestSoak, offline_test_soak_free)

/* A manager on @soak's store whose URL provider knows the entries "e" and
 * "f", both @soak's presentation; retries 5 ms apart, then the properties
 * after @first_property (NULL-terminated pairs of names and values). */
OfflineManager *offline_test_soak_new_manager (OfflineTestSoak *soak,
                                               const char      *first_property,
                                               ...);

/* Waits for the result of @manager's download in *@slot, asserts that it
 * completed, and clears *@slot. */
void offline_test_soak_download_ok (OfflineManager  *manager,
                                    GAsyncResult   **slot);

/* Empties the store (a new one for the next round). */
void offline_test_soak_reset_store (OfflineTestSoak *soak);

/* What offline_test_soak_check() found. */
typedef struct {
  gboolean has_entry;         /* the entry is in the index */
  char *state;                /* its state (a nick of OfflineDownloadState) */
  guint done;                 /* resources recorded done */
  guint files;                /* complete files, recorded or not */
  guint parts;                /* .part files (each a prefix of its resource) */
} OfflineTestSoakState;

void offline_test_soak_state_clear (OfflineTestSoakState *state);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OfflineTestSoakState, offline_test_soak_state_clear)

/* Checks the store as a crash or fault left it (no process holds it), and
 * leaves it as it was: PRAGMA integrity_check of a copy of its index is
 * "ok"; entry @id, if indexed, counts exactly the bytes and resources
 * recorded done; every resource file present is byte-identical to what
 * the server serves at its URL (its range), every .part file a prefix of
 * it, every done resource present; nothing else in the entry's directory. */
void offline_test_soak_check (OfflineTestSoak      *soak,
                              const char           *id,
                              OfflineTestSoakState *state);

/* offline_test_soak_check() and: entry @id is completed, every resource
 * done, no .part left. */
void offline_test_soak_assert_complete (OfflineTestSoak *soak,
                                        const char      *id);

/* The path of the injector library (from $OFFLINE_FAULT_INJECT). */
const char *offline_test_fault_library (void);

/* The environment of a tool run under the injector ("NAME", "VALUE", …
 * NULL, for spawn_tool_with_env()): LD_PRELOAD is the present one with the
 * injector appended (a sanitizer runtime preloaded stays first), the
 * injector counts the calls on @soak's store, logs into @soak's fault log,
 * and does @action ("kill", "tear", "enospc", "eio", "erofs") at the @at th call of
 * @op ("write", "sync", "rename"), @times times (0: from there on). NULL
 * @action: count only. Free with g_strfreev(). */
char **offline_test_fault_env (OfflineTestSoak *soak,
                               const char      *op,
                               guint            at,
                               const char      *action,
                               guint            times);

/* The lines of @soak's fault log that start with @prefix ("hit ", "count
 * "), and empties the log if @clear. Free with g_strfreev(). */
char **offline_test_fault_log_lines (OfflineTestSoak *soak,
                                     const char      *prefix,
                                     gboolean         clear);

/* Starts the tool on @soak's store with @env and @args (NULL terminated),
 * stdout and stderr piped. */
Bg *offline_test_soak_start (OfflineTestSoak     *soak,
                             const char * const  *env,
                             ...) G_GNUC_NULL_TERMINATED;

/* Runs the tool on @soak's store with @env and the arguments after @run
 * (NULL terminated) to its end; returns its exit status (-1 if a signal
 * ended it). */
int offline_test_soak_run (OfflineTestSoak    *soak,
                           const char * const *env,
                           Run                *run,
                           ...) G_GNUC_NULL_TERMINATED;

/* Downloads entry @id (or resumes it if the index has it, as @state says)
 * with @env, in a new process, to its end. */
int offline_test_soak_continue (OfflineTestSoak            *soak,
                                const OfflineTestSoakState *state,
                                const char                 *id,
                                const char * const         *env,
                                Run                        *run);

/* Resumes entry @id (downloads it if the index does not have it) in a
 * new process unless it is complete already, and asserts that it ends
 * complete, byte for byte. */
void offline_test_soak_finish (OfflineTestSoak *soak,
                               const char      *id);

/* g_test_init(), and aborts unless the tool and the injector are named
 * ($OFFLINEMGR_CLI, $OFFLINE_FAULT_INJECT: meson test sets them). */
void offline_test_soak_init (int    *argc,
                             char ***argv);

/* A seed for the soak: $OFFLINE_SOAK_SEED if set, else a random one;
 * printed in the test output ("replay with OFFLINE_SOAK_SEED=…"). */
guint32 offline_test_soak_seed (void);

G_END_DECLS
