/* offline-test-store.h: a store in a temporary directory for the store
 * tests (test-store, test-store-files), and ways to fill it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "offline-store-private.h"
#include "offline-test-utils.h"

G_BEGIN_DECLS

#define DASH_FIXTURE "dash/template-number/manifest.mpd"

/* Short names: only the store tests include this header. */

/* The result of func (..., &error), asserting that it succeeded. */
#define OK(func, ...) \
  ({ \
    g_autoptr(GError) ok_error = NULL; \
    __auto_type ok_result = func (__VA_ARGS__, &ok_error); \
    g_assert_no_error (ok_error); \
    g_assert_true (ok_result); \
    ok_result; \
  })

/* Asserts that func (..., &error) fails with the OFFLINE_ERROR @code. */
#define FAILS(code, func, ...) \
  G_STMT_START { \
    g_autoptr(GError) fails_error = NULL; \
    g_assert_false (func (__VA_ARGS__, &fails_error) != 0); \
    g_assert_error (fails_error, OFFLINE_ERROR, code); \
  } G_STMT_END

/* The fixture (g_test_add() with offline_test_store_setup() and
 * offline_test_store_teardown()). */
typedef struct {
  char *tmp;            /* the temp dir: holds only the store */
  char *path;           /* tmp/store */
  OfflineStore *store;
} OfflineTestStore;

void offline_test_store_setup (OfflineTestStore *fixture,
                               gconstpointer     data);
/* Closes the store and deletes the temp dir with everything in it. */
void offline_test_store_teardown (OfflineTestStore *fixture,
                                  gconstpointer     data);

/* Closes the store and opens it again (see offline_store_open()). */
void offline_test_store_reopen (OfflineTestStore *fixture,
                                GPtrArray        *recovered);

/* The tracks the @options (nullable) select from @presentation. */
OfflineTrackSelection *offline_test_store_select (OfflinePresentation    *presentation,
                                                  OfflineDownloadOptions *options);

/* Media info of entry @id for the fixture at @path, with a name, a
 * description and a poster URL. */
OfflineMediaInfo *offline_test_store_media_info (const char *id,
                                                 const char *path);

/* Records entry @id for @presentation (parsed from @url_path) with the
 * default options; returns the selection it stores (transfer full). */
OfflineTrackSelection *offline_test_store_create_from (OfflineTestStore    *fixture,
                                                       const char          *id,
                                                       OfflinePresentation *presentation,
                                                       const char          *url_path);

/* offline_test_store_create_from() of the fixture at @path */
OfflineTrackSelection *offline_test_store_create_selected (OfflineTestStore *fixture,
                                                           const char       *id,
                                                           const char       *path);

/* offline_test_store_create_selected(), dropping the selection */
void offline_test_store_create (OfflineTestStore *fixture,
                                const char       *id,
                                const char       *path);

guint offline_test_store_count_entries (OfflineTestStore *fixture);

/* Writes @size bytes as resource @resource_id of entry @id; returns the
 * path (transfer full). */
char *offline_test_store_write_resource (OfflineTestStore *fixture,
                                         const char       *id,
                                         gint64            resource_id,
                                         gsize             size);

/* Commits resources @from .. @to - 1 of @resources with sizes 100 + their
 * index (whether their files are written or not). */
gboolean offline_test_store_commit (OfflineTestStore  *fixture,
                                    const char        *id,
                                    GArray            *resources,
                                    guint              from,
                                    guint              to,
                                    GError           **error);

/* Writes and commits resources @from .. @to - 1 of @resources with sizes
 * 100 + their index; returns the bytes committed. */
guint64 offline_test_store_resources (OfflineTestStore *fixture,
                                      const char       *id,
                                      GArray           *resources,
                                      guint             from,
                                      guint             to);

/* Records @n entries "entry-0" … of DASH_FIXTURE, closes the store and
 * writes garbage over every page of its index but the first (the header
 * and the start of the schema stay). */
void offline_test_store_garble_index (OfflineTestStore *fixture,
                                      guint             n);

G_END_DECLS
