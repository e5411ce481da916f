/* offline-fault-inject.c: an LD_PRELOAD library for the crash and disk
 * fault soaks: it counts a process's writes, syncs and renames of the files
 * under one directory, and kills the process at the Nth one of a kind (the
 * way SQLite's crash tests simulate a power cut at every write), or makes
 * it fail with ENOSPC or EIO from there on
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Configured by the environment (read once, at load):
 *
 *   OFFLINE_FAULT_DIR     only calls on files under this directory count
 *                         (the store; an absolute path without symbolic
 *                         links if it does not exist yet); unset: the
 *                         library does nothing
 *   OFFLINE_FAULT_OP      the kind counted towards N: "write" (write,
 *                         pwrite, pwrite64, writev, pwritev, posix_fallocate,
 *                         fallocate), "sync" (fsync, fdatasync) or "rename"
 *                         (rename, renameat, renameat2)
 *   OFFLINE_FAULT_AT      N ≥ 1: the Nth call of that kind is the first hit;
 *                         0 or unset: count only
 *   OFFLINE_FAULT_ACTION  "kill": SIGKILL to the process before the call
 *                         runs; "tear" (a write): the first half of the bytes
 *                         written, then SIGKILL; "enospc", "eio" or "erofs"
 *                         (a file system remounted read-only): the call
 *                         fails with that errno and does nothing
 *   OFFLINE_FAULT_TIMES   how many calls from the Nth on fail (enospc, eio,
 *                         erofs);
 *                         unset: all of them (a disk that stays full)
 *   OFFLINE_FAULT_LOG     a file the library appends lines to (O_APPEND):
 *                         "hit ACTION KIND N CALL PATH" when it acts, and at
 *                         a normal exit "count KIND N" for each kind
 *
 * Calls on other files (stdout, the test server's, GLib's) pass through
 * uncounted: a call counts when the path of its descriptor (read from
 * /proc/self/fd), or the source path of a rename, is under the directory.
 * The counters are atomic: the store writes from worker threads.
 */
#define _GNU_SOURCE
/* pwrite and pwrite64 are both defined here: no redirection of one to the
 * other (meson builds with _FILE_OFFSET_BITS=64) */
#undef _FILE_OFFSET_BITS

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

typedef enum {
  KIND_WRITE,
  KIND_SYNC,
  KIND_RENAME,
  N_KINDS
} Kind;

static const char *const kind_names[N_KINDS] = { "write", "sync", "rename" };

typedef enum {
  ACTION_NONE,
  ACTION_KILL,
  ACTION_TEAR,
  ACTION_ENOSPC,
  ACTION_EIO,
  ACTION_EROFS,
} Action;

static const char *const action_names[] = { "none", "kill", "tear", "enospc", "eio", "erofs" };
static const int action_errnos[] = { 0, 0, 0, ENOSPC, EIO, EROFS };

/* The configuration, set once by the constructor, before any thread. */
static char dir[PATH_MAX];
static size_t dir_length;       /* 0: inactive */
static Kind op = KIND_WRITE;
static unsigned long at;        /* 0: count only */
static unsigned long times = (unsigned long) -1;
static Action action = ACTION_NONE;
static char log_path[PATH_MAX];

static unsigned long counts[N_KINDS];

/* The real write(), for the log (the others are looked up by their
 * interposers, REAL()). */
static ssize_t (*log_write) (int, const void *, size_t);

/* The next definition of @name after this library's: libc's. */
#define REAL(name) \
  static __typeof__ (name) *real_##name; \
  if (real_##name == NULL) \
    real_##name = next_symbol (#name)

static void *
next_symbol (const char *name)
{
  return dlsym (RTLD_NEXT, name);
}

static void
log_line (const char *format,
          ...)
{
  char line[PATH_MAX + 128];
  va_list args;
  int fd, n;

  if (log_path[0] == '\0')
    return;
  va_start (args, format);
  n = vsnprintf (line, sizeof line, format, args);
  va_end (args);
  if (n < 0)
    return;
  if ((size_t) n >= sizeof line)
    n = sizeof line - 1;
  fd = open (log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  /* one write(2): lines of several processes do not interleave */
  if (log_write (fd, line, (size_t) n) < 0) {
    /* nowhere to report it */
  }
  close (fd);
}

__attribute__((constructor)) static void
fault_init (void)
{
  const char *value;

  log_write = next_symbol ("write");

  value = getenv ("OFFLINE_FAULT_LOG");
  if (value != NULL && strlen (value) < sizeof log_path)
    strcpy (log_path, value);

  value = getenv ("OFFLINE_FAULT_DIR");
  if (value == NULL || value[0] != '/' || strlen (value) >= sizeof dir)
    return;
  /* (the store may not exist yet) */
  if (realpath (value, dir) == NULL)
    strcpy (dir, value);
  dir_length = strlen (dir);
  while (dir_length > 1 && dir[dir_length - 1] == '/')
    dir[--dir_length] = '\0';

  value = getenv ("OFFLINE_FAULT_OP");
  for (int k = 0; value != NULL && k < N_KINDS; k++) {
    if (strcmp (value, kind_names[k]) == 0)
      op = (Kind) k;
  }
  value = getenv ("OFFLINE_FAULT_ACTION");
  for (size_t a = 0; value != NULL && a < sizeof action_names / sizeof action_names[0]; a++) {
    if (strcmp (value, action_names[a]) == 0)
      action = (Action) a;
  }
  value = getenv ("OFFLINE_FAULT_AT");
  if (value != NULL)
    at = strtoul (value, NULL, 10);
  value = getenv ("OFFLINE_FAULT_TIMES");
  if (value != NULL)
    times = strtoul (value, NULL, 10);
  if (action == ACTION_NONE)
    at = 0;
}

__attribute__((destructor)) static void
fault_fini (void)
{
  if (dir_length == 0)
    return;
  for (int k = 0; k < N_KINDS; k++)
    log_line ("count %s %lu\n", kind_names[k], __atomic_load_n (&counts[k], __ATOMIC_SEQ_CST));
}

static int
is_under_dir (const char *path)
{
  return strncmp (path, dir, dir_length) == 0 && (path[dir_length] == '/' || path[dir_length] == '\0');
}

/* The path of @fd into @path; FALSE if it has none. */
static int
fd_path (int     fd,
         char   *path,
         size_t  size)
{
  char link[64];
  ssize_t n;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, path, size - 1);
  if (n < 0)
    return 0;
  path[n] = '\0';
  return 1;
}

/* What the call @call of @kind on @path must do: ACTION_NONE (run it), or
 * the action (it does not return for kill). */
static Action
count_call (Kind        kind,
            const char *call,
            const char *path)
{
  unsigned long n;

  if (dir_length == 0 || path == NULL || !is_under_dir (path))
    return ACTION_NONE;
  n = __atomic_add_fetch (&counts[kind], 1, __ATOMIC_SEQ_CST);
  if (at == 0 || kind != op || n < at || n - at >= times)
    return ACTION_NONE;
  /* one kill: other threads go on until it is delivered, as with kill -9 */
  if ((action == ACTION_KILL || action == ACTION_TEAR) && n != at)
    return ACTION_NONE;
  if (action == ACTION_TEAR && kind != KIND_WRITE)
    return ACTION_NONE;
  /* (the log tells the test which call it was: a SQLite commit, a rename) */
  if (n == at)
    log_line ("hit %s %s %lu %s %s\n", action_names[action], kind_names[kind], n, call, path);
  if (action == ACTION_KILL)
    kill (getpid (), SIGKILL);
  return action;
}

static Action
count_fd_call (Kind        kind,
               const char *call,
               int         fd)
{
  char path[PATH_MAX];

  if (dir_length == 0 || !fd_path (fd, path, sizeof path))
    return ACTION_NONE;
  return count_call (kind, call, path);
}

/* A path relative to @dirfd made absolute into @buffer (for renameat). */
static const char *
at_path (int         dirfd,
         const char *path,
         char       *buffer,
         size_t      size)
{
  char base[PATH_MAX];

  if (path[0] == '/')
    return path;
  if (dirfd == AT_FDCWD) {
    if (getcwd (base, sizeof base) == NULL)
      return NULL;
  } else if (!fd_path (dirfd, base, sizeof base)) {
    return NULL;
  }
  if ((size_t) snprintf (buffer, size, "%s/%s", base, path) >= size)
    return NULL;
  return buffer;
}

/* For an action that fails the call: sets errno, returns -1. */
static int
fail_with (Action a)
{
  errno = action_errnos[a];
  return -1;
}

/* The interposers. Each counts its call and runs the real one unless the
 * call is hit: then it fails (enospc, eio, erofs), or the process is
 * killed (in count_call(); a write hit by "tear" first writes half its
 * bytes, a call that cannot be torn is killed whole). */

#define WRITE_CALL(name, params, args_half, args) \
  ssize_t name params \
  { \
    Action a = count_fd_call (KIND_WRITE, #name, fd); \
    REAL (name); \
    if (a == ACTION_TEAR) { \
      (void) real_##name args_half; \
      kill (getpid (), SIGKILL); \
    } \
    return a != ACTION_NONE ? fail_with (a) : real_##name args; \
  }

WRITE_CALL (write, (int fd, const void *buf, size_t count),
            (fd, buf, count / 2), (fd, buf, count))
WRITE_CALL (pwrite, (int fd, const void *buf, size_t count, off_t offset),
            (fd, buf, count / 2, offset), (fd, buf, count, offset))
WRITE_CALL (pwrite64, (int fd, const void *buf, size_t count, off64_t offset),
            (fd, buf, count / 2, offset), (fd, buf, count, offset))

/* Any other call on a descriptor: @kind, an int or ssize_t result, the
 * error in errno (@returns_errno: as the result). */
#define FD_CALL(type, name, kind, returns_errno, params, args) \
  type name params \
  { \
    Action a = count_fd_call (kind, #name, fd); \
    REAL (name); \
    if (a == ACTION_TEAR) \
      kill (getpid (), SIGKILL); \
    if (a == ACTION_NONE) \
      return real_##name args; \
    return returns_errno ? action_errnos[a] : fail_with (a); \
  }

FD_CALL (ssize_t, writev, KIND_WRITE, 0,
         (int fd, const struct iovec *iov, int iovcnt), (fd, iov, iovcnt))
FD_CALL (ssize_t, pwritev, KIND_WRITE, 0,
         (int fd, const struct iovec *iov, int iovcnt, off_t offset), (fd, iov, iovcnt, offset))
FD_CALL (int, posix_fallocate, KIND_WRITE, 1,
         (int fd, off_t offset, off_t len), (fd, offset, len))
FD_CALL (int, fallocate, KIND_WRITE, 0,
         (int fd, int mode, off_t offset, off_t len), (fd, mode, offset, len))
FD_CALL (int, fsync, KIND_SYNC, 0, (int fd), (fd))
FD_CALL (int, fdatasync, KIND_SYNC, 0, (int fd), (fd))

/* A rename: counted by the path of its source (@olddirfd: AT_FDCWD for
 * rename()). */
#define RENAME_CALL(name, params, olddirfd, args) \
  int name params \
  { \
    char buffer[PATH_MAX]; \
    Action a = count_call (KIND_RENAME, #name, at_path (olddirfd, oldpath, buffer, \
                                                        sizeof buffer)); \
    REAL (name); \
    return a != ACTION_NONE ? fail_with (a) : real_##name args; \
  }

RENAME_CALL (rename, (const char *oldpath, const char *newpath), AT_FDCWD,
             (oldpath, newpath))
RENAME_CALL (renameat,
             (int olddirfd, const char *oldpath, int newdirfd, const char *newpath), olddirfd,
             (olddirfd, oldpath, newdirfd, newpath))
RENAME_CALL (renameat2,
             (int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
              unsigned int flags), olddirfd,
             (olddirfd, oldpath, newdirfd, newpath, flags))
