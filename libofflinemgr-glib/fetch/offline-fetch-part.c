/* offline-fetch-part.c: the ".part" file a download streams into
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "offline-error.h"
#include "offline-fetch-part-private.h"

typedef enum {
  PART_OP_WRITE,
  PART_OP_TRUNCATE,
  PART_OP_COMMIT,
} PartOp;

struct _OfflineFetchPart {
  /* Set by the open operation, then owned by whichever thread runs the
   * current operation: the worker during one, the caller's main context
   * between them. */
  char *path;           /* the final file */
  char *part_path;      /* path + ".part" */
  int fd;               /* −1 once closed */
  guint64 size;         /* bytes in the .part */

  /* the current operation */
  PartOp op;
  const guint8 *data;   /* PART_OP_WRITE: borrowed from the caller */
  gsize length;
};

static void
set_errno_error (GError     **error,
                 int          errsv,
                 const char  *action,
                 const char  *file)
{
  if (errsv == ENOSPC || errsv == EDQUOT)
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_OUT_OF_SPACE,
                 "Cannot %s %s: %s", action, file, g_strerror (errsv));
  else
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                 "Cannot %s %s: %s", action, file, g_strerror (errsv));
}

void
offline_fetch_part_free (OfflineFetchPart *part)
{
  if (part == NULL)
    return;
  if (part->fd >= 0)
    close (part->fd);
  g_free (part->path);
  g_free (part->part_path);
  g_free (part);
}

guint64
offline_fetch_part_get_size (OfflineFetchPart *part)
{
  return part->size;
}

#define PART_OPEN_FLAGS (O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK)

/* Opens (creating, 0600: a key is stored this way too) the .part at @path
 * for writing, or fails with errno set. Never writes outside the store: a
 * symbolic link planted there (ELOOP with O_NOFOLLOW) or a file with
 * another hard link is deleted and a new file made, leaving what it
 * pointed at untouched; a FIFO does not block the open (ENXIO). */
static int
open_part (const char *path)
{
  struct stat st;
  int fd = open (path, PART_OPEN_FLAGS, 0600);

  if (fd < 0 && errno != ELOOP)
    return -1;
  if (fd >= 0) {
    if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_nlink <= 1)
      return fd;      /* the caller checks the type */
    close (fd);
  }
  if (unlink (path) != 0)
    return -1;
  return open (path, PART_OPEN_FLAGS | O_EXCL, 0600);
}

/* Worker thread. */
static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(OfflineFetchPart) part = g_new0 (OfflineFetchPart, 1);
  GError *error = NULL;
  struct stat st;

  part->path = g_strdup (task_data);
  part->part_path = g_strconcat (part->path, ".part", NULL);
  part->fd = open_part (part->part_path);
  if (part->fd < 0) {
    set_errno_error (&error, errno, "create", part->part_path);
    g_task_return_error (task, error);
    return;
  }
  if (fstat (part->fd, &st) != 0) {
    set_errno_error (&error, errno, "read", part->part_path);
    g_task_return_error (task, error);
    return;
  }
  if (!S_ISREG (st.st_mode)) {
    g_task_return_new_error (task, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                             "%s is not a regular file", part->part_path);
    return;
  }
  part->size = (guint64) st.st_size;
  g_task_return_pointer (task, g_steal_pointer (&part), (GDestroyNotify) offline_fetch_part_free);
}

void
offline_fetch_part_open_async (const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, offline_fetch_part_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

OfflineFetchPart *
offline_fetch_part_open_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Worker thread: runs part->op. */
static void
op_thread (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  OfflineFetchPart *part = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  switch (part->op) {
  case PART_OP_WRITE:
    for (gsize done = 0; done < part->length;) {
      ssize_t n = pwrite (part->fd, part->data + done, part->length - done, (off_t) part->size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        /* a short write then 0 means the disk is full as well */
        set_errno_error (&error, n < 0 ? errno : ENOSPC, "write", part->part_path);
        g_task_return_error (task, error);
        return;
      }
      done += (gsize) n;
      part->size += (guint64) n;
    }
    break;

  case PART_OP_TRUNCATE:
    if (ftruncate (part->fd, 0) != 0) {
      set_errno_error (&error, errno, "truncate", part->part_path);
      g_task_return_error (task, error);
      return;
    }
    part->size = 0;
    break;

  case PART_OP_COMMIT:
    if (fdatasync (part->fd) != 0) {
      set_errno_error (&error, errno, "sync", part->part_path);
      g_task_return_error (task, error);
      return;
    }
    if (close (part->fd) != 0) {
      part->fd = -1;
      set_errno_error (&error, errno, "close", part->part_path);
      g_task_return_error (task, error);
      return;
    }
    part->fd = -1;
    if (g_rename (part->part_path, part->path) != 0) {
      set_errno_error (&error, errno, "rename", part->part_path);
      g_task_return_error (task, error);
      return;
    }
    break;

  default:
    g_assert_not_reached ();
  }
  g_task_return_boolean (task, TRUE);
}

static void
run_op (OfflineFetchPart    *part,
        PartOp               op,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (part->fd >= 0);

  part->op = op;
  g_task_set_source_tag (task, run_op);
  g_task_set_task_data (task, part, NULL);
  g_task_run_in_thread (task, op_thread);
}

void
offline_fetch_part_write_async (OfflineFetchPart    *part,
                                const guint8        *data,
                                gsize                length,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  part->data = data;
  part->length = length;
  run_op (part, PART_OP_WRITE, cancellable, callback, user_data);
}

void
offline_fetch_part_truncate_async (OfflineFetchPart    *part,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  run_op (part, PART_OP_TRUNCATE, cancellable, callback, user_data);
}

void
offline_fetch_part_commit_async (OfflineFetchPart    *part,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  run_op (part, PART_OP_COMMIT, NULL, callback, user_data);
}

gboolean
offline_fetch_part_op_finish (OfflineFetchPart  *part,
                              GAsyncResult      *result,
                              GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_task_data (G_TASK (result)) == part, FALSE);

  part->data = NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}
