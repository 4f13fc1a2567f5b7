/* read.c — every byte the engine reads comes through here: the bounded
 * whole-file read, the walk of sheets/ in bytewise path order (special
 * files and excess are findings, never opened), and the re-read of one
 * sheet text, checked against its leaf hash. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "text.h"
#include "merkle.h"
#include "read.h"

/* Reads fd (already open on name) to its end into *buf. */
static int read_open_file(int fd, const char *name, uint64_t cap, uint8_t **buf,
                          size_t *len, struct rc_error *err) {
  struct stat st;
  if (fstat(fd, &st) != 0)
    return rc_fail(err, RC_ERR_IO, 0, "file", "%s: %s", name, strerror(errno));
  if (!S_ISREG(st.st_mode))
    return rc_fail(err, RC_ERR_IO, 0, "file", "%s: not a regular file", name);
  if ((uint64_t)st.st_size > cap)
    return rc_fail(err, RC_ERR_LIMIT, 0, "file",
                   "%s: %llu bytes, above the limit of %llu bytes", name,
                   (unsigned long long)st.st_size, (unsigned long long)cap);
  size_t want = (size_t)st.st_size, got = 0;
  uint8_t *p = malloc(want + 1);
  if (!p)
    return rc_fail(err, RC_ERR_NOMEM, 0, "file", "%s: out of memory", name);
  while (got < want) {
    ssize_t r = read(fd, p + got, want - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      free(p);
      return rc_fail(err, RC_ERR_IO, 0, "file", "%s: read error: %s", name,
                     strerror(errno));
    }
    if (r == 0) break; /* file shrank: use what is there */
    got += (size_t)r;
  }
  /* a file that grew while being read is refused rather than truncated */
  uint8_t extra;
  if (read(fd, &extra, 1) > 0) {
    free(p);
    return rc_fail(err, RC_ERR_IO, 0, "file", "%s: changed while being read",
                   name);
  }
  p[got] = 0;
  *buf = p;
  *len = got;
  return RC_OK;
}

int rc_read_file_as(const char *path, const char *name, uint64_t cap,
                    uint8_t **buf, size_t *len, struct rc_error *err) {
  *buf = NULL;
  *len = 0;
  /* O_NONBLOCK: a FIFO swapped in after the walk cannot block the open */
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return rc_fail(err, RC_ERR_IO, 0, "file", "%s: cannot open: %s", name,
                   strerror(errno));
  int rc = read_open_file(fd, name, cap, buf, len, err);
  close(fd);
  return rc;
}

int rc_read_file(const char *path, uint64_t cap, uint8_t **buf, size_t *len,
                 struct rc_error *err) {
  return rc_read_file_as(path, path, cap, buf, len, err);
}

/* ---- the walk of sheets/ ---- */

struct pathlist {
  char **v;
  size_t n, cap;
  int oom;
};

static void pathlist_add(struct pathlist *pl, const char *s) {
  if (pl->oom) return;
  if (pl->n == pl->cap) {
    size_t cap = pl->cap ? pl->cap * 2 : 64;
    char **v = realloc(pl->v, cap * sizeof *v);
    if (!v) {
      pl->oom = 1;
      return;
    }
    pl->v = v;
    pl->cap = cap;
  }
  char *d = engine_strdup(s);
  if (!d) {
    pl->oom = 1;
    return;
  }
  pl->v[pl->n++] = d;
}

static void pathlist_free(struct pathlist *pl) {
  for (size_t i = 0; i < pl->n; i++) free(pl->v[i]);
  free(pl->v);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walk {
  int rootfd;
  struct pathlist files;  /* regular files */
  struct findings *found; /* findings for special entries */
  size_t total;
  enum rc_code code;  /* the code of those findings */
  const char *prefix; /* findings name files prefix + path */
  const char *top;    /* the walked directory, as messages name it */
  size_t max_files;
};

/* The name a finding gives path. */
static const char *wname(const struct walk *w, const char *path, char *buf,
                         size_t cap) {
  if (!w->prefix[0]) return path;
  snprintf(buf, cap, "%s%s", w->prefix, path);
  return buf;
}

/* The names in directory rel, sorted bytewise. */
static int list_dir(struct walk *w, const char *rel, struct pathlist *names) {
  char nb[8192];
  int dfd = openat(w->rootfd, rel[0] ? rel : ".",
                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) {
    findings_add(w->found, w->code, NULL, NULL, wname(w, rel, nb, sizeof nb), 0,
                 "cannot open directory: %s", strerror(errno));
    return -1;
  }
  DIR *d = fdopendir(dfd);
  if (!d) {
    close(dfd);
    findings_add(w->found, w->code, NULL, NULL, wname(w, rel, nb, sizeof nb), 0,
                 "cannot read directory: %s", strerror(errno));
    return -1;
  }
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    pathlist_add(names, de->d_name);
    if (names->n > w->max_files) break;
  }
  closedir(d);
  if (names->oom) w->found->oom = 1;
  /* an empty directory leaves names.v NULL, which qsort must not get */
  if (names->n > 1) qsort(names->v, names->n, sizeof *names->v, cmp_str);
  return 0;
}

static void walk_dir(struct walk *w, const char *rel, int depth);

/* One entry of a directory: recurse, keep, or report it. */
static void walk_entry(struct walk *w, const char *path, int depth) {
  struct stat st;
  char nb[8192];
  const char *name = wname(w, path, nb, sizeof nb);
  if (fstatat(w->rootfd, path, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    findings_add(w->found, w->code, NULL, NULL, name, 0, "cannot stat: %s",
                 strerror(errno));
  } else if (S_ISDIR(st.st_mode)) {
    walk_dir(w, path, depth + 1);
  } else if (S_ISREG(st.st_mode)) {
    if (++w->total > w->max_files) {
      char nf[32];
      if (w->total == w->max_files + 1)
        findings_add(w->found, w->code, NULL, NULL, name, 0,
                     "more than %s files under %s; the rest are not read",
                     rc_fmt_count(nf, w->max_files), w->top);
    } else {
      pathlist_add(&w->files, path);
    }
  } else {
    const char *what = S_ISLNK(st.st_mode)    ? "a symbolic link"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "a device or special file";
    findings_add(w->found, w->code, NULL, NULL, name, 0,
                 "%s, not a regular file: not opened", what);
  }
}

/* Walks directory rel (relative to rootfd) without following symlinks. */
static void walk_dir(struct walk *w, const char *rel, int depth) {
  if (depth > RC_SHEETS_DEPTH_MAX) {
    char nb[8192];
    findings_add(w->found, w->code, NULL, NULL, wname(w, rel, nb, sizeof nb), 0,
                 "directory nested deeper than %d levels; not read",
                 RC_SHEETS_DEPTH_MAX);
    return;
  }
  struct pathlist names = {0};
  if (list_dir(w, rel, &names) != 0) return;
  for (size_t i = 0; i < names.n; i++) {
    size_t len = strlen(rel) + 1 + strlen(names.v[i]) + 1;
    char *path = malloc(len);
    if (!path) {
      w->found->oom = 1;
      break;
    }
    snprintf(path, len, "%s%s%s", rel, rel[0] ? "/" : "", names.v[i]);
    walk_entry(w, path, depth);
    free(path);
  }
  pathlist_free(&names);
}

void walk_files(struct findings *found, int rootfd, enum rc_code code,
                const char *prefix, const char *top, size_t max_files,
                char ***files, size_t *nfiles) {
  struct walk w = {.rootfd = rootfd,
                   .found = found,
                   .code = code,
                   .prefix = prefix,
                   .top = top,
                   .max_files = max_files};
  walk_dir(&w, "", 1);
  if (w.files.oom) found->oom = 1;
  if (w.files.n > 1) qsort(w.files.v, w.files.n, sizeof *w.files.v, cmp_str);
  *files = w.files.v;
  *nfiles = w.files.n;
}

void walk_sheets(struct engine *eng) {
  struct walk w = {.rootfd = eng->rootfd,
                   .found = &eng->found,
                   .code = RC_F_SHEET_FORMAT,
                   .prefix = "",
                   .top = "sheets/",
                   .max_files = RC_SHEETS_FILES_MAX};
  struct stat st;
  if (fstatat(eng->rootfd, "sheets", &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISDIR(st.st_mode)) walk_dir(&w, "sheets", 1);
    else
      findings_add(&eng->found, RC_F_SHEET_FORMAT, NULL, NULL, "sheets", 0,
                   "sheets is not a directory: not read");
  }
  if (w.files.oom) eng->found.oom = 1;
  /* bytewise order of the whole relative path (no files: v is NULL) */
  if (w.files.n > 1) qsort(w.files.v, w.files.n, sizeof *w.files.v, cmp_str);
  eng->files = w.files.v;
  eng->nfiles = w.files.n;
}

/* ---- re-reading one text ---- */

uint8_t *reread_text(struct engine *eng, struct text_entry *e,
                     const char *station) {
  const char *name = eng->files[e->file];
  int fd =
      openat(eng->rootfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  uint8_t *p = fd >= 0 ? malloc((size_t)e->len + 1) : NULL;
  size_t got = 0;
  while (p && got < e->len) {
    ssize_t r = pread(fd, p + got, e->len - got, (off_t)(e->off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  if (fd >= 0) close(fd);
  rc_hash leaf;
  if (p && got == e->len) {
    rc_merkle_leaf_hash(p, e->len, leaf);
    if (CRYPTO_memcmp(leaf, e->leaf, 32) == 0) return p;
  }
  if (fd >= 0 && !p) {
    eng->found.oom = 1;
    return NULL;
  }
  free(p);
  if (e->changed) return NULL;
  e->changed = 1;
  const char *district =
      e->district >= 0 ? eng->m->districts[e->district].id : NULL;
  findings_add(&eng->found, RC_F_SHEET_FORMAT, district, station, name, 0,
               "file changed while it was read: the sheet text at byte %lu "
               "is no longer the one first read",
               (unsigned long)e->off);
  return NULL;
}
