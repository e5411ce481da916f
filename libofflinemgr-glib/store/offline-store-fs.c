/* offline-store-fs.c: the files of a store: lock, directories, removal,
 * space reserve
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "offline-error.h"
#include "offline-store-fs-private.h"

/* Entry directories hold flat files; anything deeper is not ours. */
#define MAX_DEPTH 8

/* Sets @error from @saved_errno: OFFLINE_ERROR_OUT_OF_SPACE for a full disk
 * or quota, else @code. Always returns FALSE. */
G_GNUC_PRINTF (4, 5)
static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 int          code,
                 const char  *format,
                 ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    code = OFFLINE_ERROR_OUT_OF_SPACE;
  g_set_error (error, OFFLINE_ERROR, code, "%s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

gboolean
offline_store_fs_write_file (const char  *path,
                             GBytes      *contents,
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (contents, &size);

  if (g_file_set_contents_full (path, data != NULL ? data : "", (gssize) size,
                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                0600, &local_error))
    return TRUE;
  g_set_error (error, OFFLINE_ERROR,
               g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC)
               ? OFFLINE_ERROR_OUT_OF_SPACE : OFFLINE_ERROR_STORE,
               "%s", local_error->message);
  return FALSE;
}

/* Writes who holds the lock into it: the pid, a newline, the command line
 * (arguments separated by spaces, control characters as '?', cut to
 * HOLDER_COMMAND_MAX bytes) and a newline. Best effort: the lock is what
 * counts. */
#define HOLDER_COMMAND_MAX 200

static void
write_holder (int fd)
{
  g_autofree char *cmdline = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gsize length = 0;

  g_string_printf (text, "%d\n", (int) getpid ());
  if (g_file_get_contents ("/proc/self/cmdline", &cmdline, &length, NULL)) {
    gsize start = text->len;

    for (gsize i = 0; i < length && text->len - start < HOLDER_COMMAND_MAX; i++) {
      guchar c = (guchar) cmdline[i];

      if (c == '\0')
        c = i + 1 < length ? ' ' : '\0';
      else if (c < 0x20 || c == 0x7f)
        c = '?';
      if (c != '\0')
        g_string_append_c (text, (char) c);
    }
    /* not in the middle of a UTF-8 sequence */
    while (text->len > start && !g_utf8_validate (text->str + start, text->len - start, NULL))
      g_string_truncate (text, text->len - 1);
  }
  g_string_append_c (text, '\n');
  if (ftruncate (fd, 0) < 0 || pwrite (fd, text->str, text->len, 0) < 0)
    g_debug ("Cannot write the holder into the lock file: %s", g_strerror (errno));
}

int
offline_store_fs_lock (const char  *dir,
                       GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "lock", NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0) {
    set_errno_error (error, errno, OFFLINE_ERROR_STORE, "Cannot open %s", path);
    return -1;
  }
  while (flock (fd, LOCK_EX | LOCK_NB) < 0) {
    int saved_errno = errno;

    if (saved_errno == EINTR)
      continue;
    close (fd);
    if (saved_errno == EWOULDBLOCK) {
      g_autofree char *holder = offline_store_fs_describe_holder (dir);

      g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE_LOCKED,
                   "The store %s is open in %s", dir, holder ? holder : "another process");
    } else
      set_errno_error (error, saved_errno, OFFLINE_ERROR_STORE, "Cannot lock %s", path);
    return -1;
  }
  write_holder (fd);
  return fd;
}

char *
offline_store_fs_describe_holder (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "lock", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 pid;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", 3);
  if (lines[0] == NULL || !g_ascii_string_to_unsigned (lines[0], 10, 1, G_MAXINT, &pid, NULL))
    return NULL;
  if (lines[1] == NULL || *lines[1] == '\0')
    return g_strdup_printf ("process %" G_GUINT64_FORMAT, pid);
  return g_strdup_printf ("process %" G_GUINT64_FORMAT " (%s)", pid, lines[1]);
}

gboolean
offline_store_fs_make_dir (const char  *path,
                           GError     **error)
{
  struct stat st;

  if (mkdir (path, 0700) == 0)
    return TRUE;
  if (errno != EEXIST)
    return set_errno_error (error, errno, OFFLINE_ERROR_STORE, "Cannot create %s", path);
  if (lstat (path, &st) < 0)
    return set_errno_error (error, errno, OFFLINE_ERROR_STORE, "Cannot read %s", path);
  if (!S_ISDIR (st.st_mode)) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE,
                 "%s is not a directory", path);
    return FALSE;
  }
  return TRUE;
}

gboolean
offline_store_fs_restrict (const char  *path,
                           mode_t       mode,
                           gboolean     follow,
                           GError     **error)
{
  struct stat st;
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
  int saved_errno;

  if (fd < 0) {
    if (errno == ENOENT || errno == ELOOP)
      return TRUE;
    return set_errno_error (error, errno, OFFLINE_ERROR_STORE, "Cannot open %s", path);
  }
  if (fstat (fd, &st) == 0 && (st.st_mode & 07777) == mode) {
    close (fd);
    return TRUE;
  }
  if (fchmod (fd, mode) == 0) {
    close (fd);
    return TRUE;
  }
  saved_errno = errno;
  close (fd);
  return set_errno_error (error, saved_errno, OFFLINE_ERROR_STORE, "Cannot make %s private", path);
}

gboolean
offline_store_fs_sync_dir (const char  *path,
                           GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int saved_errno;

  if (fd < 0)
    return set_errno_error (error, errno, OFFLINE_ERROR_STORE, "Cannot open %s", path);
  if (fsync (fd) == 0) {
    close (fd);
    return TRUE;
  }
  saved_errno = errno;
  close (fd);
  return set_errno_error (error, saved_errno, OFFLINE_ERROR_STORE, "Cannot sync %s", path);
}

static gboolean
remove_at (int          parent_fd,
           const char  *name,
           int          depth,
           GError     **error);

/* Deletes what the directory @fd holds (takes @fd). */
static gboolean
empty_dir (int          fd,
           int          depth,
           GError     **error)
{
  DIR *dir = fdopendir (fd);
  struct dirent *dirent;
  gboolean ok = TRUE;

  if (dir == NULL) {
    close (fd);
    return set_errno_error (error, errno, OFFLINE_ERROR_REMOVE_FAILED, "Cannot read a directory");
  }
  while (ok) {
    errno = 0;
    dirent = readdir (dir);
    if (dirent == NULL) {
      if (errno != 0)
        ok = set_errno_error (error, errno, OFFLINE_ERROR_REMOVE_FAILED, "Cannot read a directory");
      break;
    }
    if (strcmp (dirent->d_name, ".") == 0 || strcmp (dirent->d_name, "..") == 0)
      continue;
    ok = remove_at (dirfd (dir), dirent->d_name, depth + 1, error);
  }
  closedir (dir);
  return ok;
}

static gboolean
remove_at (int          parent_fd,
           const char  *name,
           int          depth,
           GError     **error)
{
  int fd;

  if (depth > MAX_DEPTH) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_REMOVE_FAILED,
                 "Cannot remove %s: too deeply nested", name);
    return FALSE;
  }
  /* O_NOFOLLOW: a symbolic link fails with ELOOP (or ENOTDIR with
   * O_DIRECTORY) and is unlinked below, its target untouched. */
  fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return TRUE;
    if (errno != ENOTDIR && errno != ELOOP)
      return set_errno_error (error, errno, OFFLINE_ERROR_REMOVE_FAILED, "Cannot open %s", name);
    if (unlinkat (parent_fd, name, 0) < 0 && errno != ENOENT)
      return set_errno_error (error, errno, OFFLINE_ERROR_REMOVE_FAILED, "Cannot delete %s", name);
    return TRUE;
  }
  if (!empty_dir (fd, depth, error))
    return FALSE;
  if (unlinkat (parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return set_errno_error (error, errno, OFFLINE_ERROR_REMOVE_FAILED, "Cannot delete %s", name);
  return TRUE;
}

gboolean
offline_store_fs_remove_tree (const char  *parent,
                              const char  *name,
                              GError     **error)
{
  int parent_fd;
  gboolean ok;

  g_return_val_if_fail (strchr (name, '/') == NULL, FALSE);

  parent_fd = open (parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (parent_fd < 0) {
    if (errno == ENOENT)
      return TRUE;
    return set_errno_error (error, errno, OFFLINE_ERROR_REMOVE_FAILED, "Cannot open %s", parent);
  }
  ok = remove_at (parent_fd, name, 0, error);
  close (parent_fd);
  return ok;
}

GArray *
offline_store_fs_list_numbers (const char  *path,
                               GError     **error)
{
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (path, 0, &local_error);
  if (dir == NULL) {
    g_set_error (error, OFFLINE_ERROR, OFFLINE_ERROR_STORE, "%s", local_error->message);
    return NULL;
  }
  while ((name = g_dir_read_name (dir)) != NULL) {
    guint64 number;
    gint64 value;

    /* canonical names only ("7", not "+7" or "007"): they name rows */
    if (name[0] < '1' || name[0] > '9' ||
        !g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT64, &number, NULL))
      continue;
    value = (gint64) number;
    g_array_append_val (numbers, value);
  }
  return g_steal_pointer (&numbers);
}

void
offline_store_fs_reserve_init (OfflineStoreFsReserve *reserve,
                               const char            *path)
{
  struct stat st;

  reserve->path = g_strdup (path);
  reserve->size = lstat (path, &st) == 0 && S_ISREG (st.st_mode) ? st.st_size : 0;
}

void
offline_store_fs_reserve_clear (OfflineStoreFsReserve *reserve)
{
  g_clear_pointer (&reserve->path, g_free);
  reserve->size = 0;
}

void
offline_store_fs_reserve_fill (OfflineStoreFsReserve *reserve)
{
  struct stat st;
  int fd, rc;

  if (reserve->size >= OFFLINE_STORE_RESERVE_SIZE)
    return;
  /* O_NONBLOCK: a FIFO planted there must not block the open */
  fd = open (reserve->path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  if (fd < 0) {
    g_debug ("No space reserve %s: %s", reserve->path, g_strerror (errno));
    reserve->size = 0;
    return;
  }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode)) {
    close (fd);
    reserve->size = 0;
    return;
  }
  do
    rc = posix_fallocate (fd, 0, OFFLINE_STORE_RESERVE_SIZE);
  while (rc == EINTR);
  if (rc == 0) {
    reserve->size = MAX (st.st_size, OFFLINE_STORE_RESERVE_SIZE);
  } else {
    /* Give back what it got: all or nothing. */
    g_debug ("Cannot fill the space reserve %s: %s", reserve->path, g_strerror (rc));
    if (st.st_size == 0)
      g_unlink (reserve->path);
    else if (ftruncate (fd, st.st_size) < 0)
      g_debug ("Cannot truncate %s: %s", reserve->path, g_strerror (errno));
    reserve->size = st.st_size;
  }
  close (fd);
}

gboolean
offline_store_fs_reserve_release (OfflineStoreFsReserve *reserve)
{
  goffset size;
  int fd;

  if (reserve->size <= 0)
    return FALSE;
  size = MAX (reserve->size - OFFLINE_STORE_RESERVE_STEP, 0);
  fd = open (reserve->path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    /* gone: there is nothing to give back */
    reserve->size = 0;
    return FALSE;
  }
  if (ftruncate (fd, size) < 0) {
    g_debug ("Cannot truncate %s: %s", reserve->path, g_strerror (errno));
    close (fd);
    return FALSE;
  }
  /* Commits the file system's journal too: some only reuse freed blocks
   * once it is. */
  fsync (fd);
  close (fd);
  if (size == 0)
    g_unlink (reserve->path);
  reserve->size = size;
  return TRUE;
}

gboolean
offline_store_fs_reserve_write (OfflineStoreFsReserve    *reserve,
                                OfflineStoreFsWriteFunc   write,
                                gpointer                  data,
                                GError                  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (write (data, &local_error)) {
    offline_store_fs_reserve_fill (reserve);
    return TRUE;
  }
  if (!g_error_matches (local_error, OFFLINE_ERROR, OFFLINE_ERROR_OUT_OF_SPACE) ||
      !offline_store_fs_reserve_release (reserve)) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  g_debug ("%s: writing again with %" G_GOFFSET_FORMAT " bytes of the reserve given back",
           local_error->message, (goffset) OFFLINE_STORE_RESERVE_STEP);
  return write (data, error);
}
