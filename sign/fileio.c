/* fileio.c — atomic, no-clobber file writes (see fileio.h). */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long fail_after = -2; /* -2: not read yet; -1: no injection */
static int defer_sync;       /* rc_write_defer_sync */

static ssize_t write_hooked(int fd, const void *p, size_t n) {
  if (fail_after == -2) {
    const char *e = getenv("RECOUNT_FAIL_WRITE_AFTER");
    fail_after = -1;
    if (e && *e) {
      long v = 0;
      for (const char *c = e; *c >= '0' && *c <= '9'; c++)
        v = v * 10 + (*c - '0');
      fail_after = v;
    }
  }
  if (fail_after == 0) {
    errno = ENOSPC;
    return -1;
  }
  if (fail_after > 0) fail_after--;
  return write(fd, p, n);
}

static void fsync_dir(const char *path) {
  char *copy = strdup(path);
  if (!copy) return;
  int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)fsync(dfd);
    close(dfd);
  }
  free(copy);
}

static int same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
         a->st_size == b->st_size && a->st_mode == b->st_mode &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
         a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* was: for a rewrite, what path was when it was read (force is set) */
static int write_atomic(const char *path, const void *data, size_t len,
                        unsigned mode, int force, const struct stat *was,
                        struct rc_error *err) {
  struct stat st;
  if (!force && lstat(path, &st) == 0)
    return rc_fail(err, RC_ERR_EXISTS, 0, "file",
                   "%s already exists; refusing to overwrite it", path);
  size_t plen = strlen(path);
  char *tmp = malloc(plen + 32);
  if (!tmp) return rc_fail(err, RC_ERR_NOMEM, 0, "file", "out of memory");
  int fd = -1, rc = RC_OK;
  for (int attempt = 0; attempt < 100; attempt++) {
    snprintf(tmp, plen + 32, "%s.tmp-%ld-%d", path, (long)getpid(), attempt);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              (mode_t)mode);
    if (fd >= 0 || errno != EEXIST) break;
  }
  if (fd < 0) {
    rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: cannot create: %s", path,
                 strerror(errno));
    free(tmp);
    return rc;
  }
  const uint8_t *p = data;
  size_t done = 0;
  while (done < len) {
    ssize_t w = write_hooked(fd, p + done, len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: write failed: %s", path,
                   w < 0 ? strerror(errno) : "no progress");
      goto fail;
    }
    done += (size_t)w;
  }
  if (fchmod(fd, (mode_t)mode) != 0 || (!defer_sync && fsync(fd) != 0)) {
    rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: cannot sync: %s", path,
                 strerror(errno));
    goto fail;
  }
  if (close(fd) != 0) {
    fd = -1;
    rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: close failed: %s", path,
                 strerror(errno));
    goto fail;
  }
  fd = -1;
  if (was && (lstat(path, &st) != 0 || !same_file(was, &st))) {
    rc = rc_fail(err, RC_ERR_IO, 0, "file",
                 "%s changed while it was being rewritten; nothing written: "
                 "run the command again",
                 path);
    goto fail;
  }
  if (force) {
    if (rename(tmp, path) != 0) {
      rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: cannot rename: %s", path,
                   strerror(errno));
      goto fail;
    }
  } else {
    /* link(2) refuses an existing target: no race with another writer */
    if (link(tmp, path) != 0) {
      rc = errno == EEXIST
               ? rc_fail(err, RC_ERR_EXISTS, 0, "file",
                         "%s already exists; refusing to overwrite it", path)
               : rc_fail(err, RC_ERR_IO, 0, "file", "%s: %s", path,
                         strerror(errno));
      goto fail;
    }
    unlink(tmp);
  }
  if (!defer_sync) fsync_dir(path);
  free(tmp);
  return RC_OK;
fail:
  if (fd >= 0) close(fd);
  unlink(tmp);
  free(tmp);
  return rc;
}

int rc_write_atomic(const char *path, const void *data, size_t len,
                    unsigned mode, int force, struct rc_error *err) {
  return write_atomic(path, data, len, mode, force, NULL, err);
}

int rc_rewrite_atomic(const char *path, const void *data, size_t len,
                      const struct stat *was, struct rc_error *err) {
  if (!S_ISREG(was->st_mode))
    return rc_fail(err, RC_ERR_IO, 0, "file", "%s: not a regular file", path);
  return write_atomic(path, data, len, (unsigned)(was->st_mode & 07777), 1, was,
                      err);
}

void rc_write_defer_sync(int on) { defer_sync = on; }

int rc_sync_dir(const char *dir, struct rc_error *err) {
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return rc_fail(err, RC_ERR_IO, 0, "file", "%s: %s", dir, strerror(errno));
  int rc = syncfs(dfd) == 0 && fsync(dfd) == 0
               ? RC_OK
               : rc_fail(err, RC_ERR_IO, 0, "file", "%s: cannot sync: %s", dir,
                         strerror(errno));
  close(dfd);
  return rc;
}

char *rc_path_join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", dir, name);
  return p;
}
