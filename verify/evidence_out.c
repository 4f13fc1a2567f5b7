/* evidence_out.c — `recount-verify record --evidence DIR`: writes, for
 * each equivocating station, DIR/<station-id>/ holding manifest.note,
 * a.note and b.note (exact bytes, the two notes in bytewise order; see
 * engine/observed.h). Never inside RECORD, never over an existing file or
 * directory, each station's directory appearing whole or not at all: the
 * files are written into a fresh hidden directory beside it, synced, then
 * renamed into place with RENAME_NOREPLACE. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "observed.h"
#include "record.h"

#define ERR(...)                                                               \
  do {                                                                         \
    fprintf(stderr, "recount-verify: evidence: ");                             \
    fprintf(stderr, __VA_ARGS__);                                              \
    fputc('\n', stderr);                                                       \
  } while (0)

/* 1 when dir (which may not exist yet) is record or lies inside it. */
static int inside(const char *dir, const char *record) {
  char r[PATH_MAX], d[PATH_MAX], parent[PATH_MAX];
  if (!realpath(record, r)) return 0;
  if (!realpath(dir, d)) {
    /* not there yet: its parent, resolved, and its last component */
    snprintf(parent, sizeof parent, "%s", dir);
    size_t n = strlen(parent);
    while (n > 1 && parent[n - 1] == '/') parent[--n] = 0;
    char *slash = strrchr(parent, '/');
    const char *base = slash ? slash + 1 : parent;
    char b[PATH_MAX];
    snprintf(b, sizeof b, "%s", base);
    if (slash == parent) parent[1] = 0;
    else if (slash) *slash = 0;
    else snprintf(parent, sizeof parent, ".");
    char rp[PATH_MAX];
    if (!realpath(parent, rp)) return 0;
    int w = snprintf(d, sizeof d, "%s/%s", rp, b);
    if (w < 0 || (size_t)w >= sizeof d) return 0;
  }
  size_t rl = strlen(r);
  return !strncmp(d, r, rl) && (d[rl] == 0 || d[rl] == '/' || rl == 1);
}

static int write_all(int dfd, const char *name, const uint8_t *p, size_t n) {
  int fd = openat(dfd, name,
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  size_t off = 0;
  while (off < n) {
    ssize_t w = write(fd, p + off, n - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      close(fd);
      return -1;
    }
    off += (size_t)w;
  }
  if (fsync(fd) != 0) {
    close(fd);
    return -1;
  }
  return close(fd);
}

/* One station's directory. */
static int write_station(int dfd, const char *dir, const char *station,
                         const struct rc_observed_report *o,
                         const struct rc_evidence *e) {
  struct stat st;
  if (fstatat(dfd, station, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    ERR("%s/%s exists: not overwritten", dir, station);
    return -1;
  }
  char tmp[RC_ID_MAX + 64];
  int made = 0;
  for (unsigned k = 0; k < 100 && !made; k++) {
    snprintf(tmp, sizeof tmp, ".%s.tmp.%ld.%u", station, (long)getpid(), k);
    if (mkdirat(dfd, tmp, 0755) == 0) made = 1;
    else if (errno != EEXIST) break;
  }
  if (!made) {
    ERR("%s: cannot create a directory: %s", dir, strerror(errno));
    return -1;
  }
  int tfd = openat(dfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int ok = tfd >= 0 &&
           write_all(tfd, "manifest.note", o->manifest, o->manifest_len) == 0 &&
           write_all(tfd, "a.note", e->a, e->alen) == 0 &&
           write_all(tfd, "b.note", e->b, e->blen) == 0 && fsync(tfd) == 0;
  int saved = errno;
  if (ok && renameat2(dfd, tmp, dfd, station, RENAME_NOREPLACE) != 0) {
    saved = errno;
    ok = 0;
  }
  if (!ok) {
    if (tfd >= 0) {
      unlinkat(tfd, "manifest.note", 0);
      unlinkat(tfd, "a.note", 0);
      unlinkat(tfd, "b.note", 0);
    }
    unlinkat(dfd, tmp, AT_REMOVEDIR);
    ERR("%s/%s: cannot write: %s%s", dir, station, strerror(saved),
        saved == EEXIST || saved == ENOTEMPTY ? " (it exists: not overwritten)"
                                              : "");
  }
  if (tfd >= 0) close(tfd);
  return ok ? 0 : -1;
}

int rc_evidence_write(const char *dir, const char *record,
                      const struct rc_record_report *rep) {
  const struct rc_observed_report *o = rep->observed;
  if (!o || !o->nevidence) {
    fprintf(stderr,
            "recount-verify: evidence: no station equivocates; "
            "nothing written to %s\n",
            dir);
    return 0;
  }
  if (!o->manifest) {
    ERR("%s; no evidence written", o->manifest_why);
    return -1;
  }
  if (inside(dir, record)) {
    ERR("%s lies inside the record %s: nothing is ever written there", dir,
        record);
    return -1;
  }
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    ERR("%s: cannot create: %s", dir, strerror(errno));
    return -1;
  }
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    ERR("%s: cannot open: %s", dir, strerror(errno));
    return -1;
  }
  int status = 0;
  for (size_t i = 0; i < o->nevidence; i++) {
    const char *station = rep->manifest.stations[o->evidence[i].station].id;
    if (write_station(dfd, dir, station, o, &o->evidence[i]) != 0) status = -1;
    else
      fprintf(stderr,
              "recount-verify: evidence of station %s written to "
              "%s/%s\n",
              station, dir, station);
  }
  if (fsync(dfd) != 0) status = -1;
  close(dfd);
  return status;
}

int rc_observed_dir_usable(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr,
            "recount-verify: --observed %s: cannot open the "
            "directory: %s\n",
            dir, strerror(errno));
    return -1;
  }
  close(fd);
  return 0;
}
