/* record.c — the record-checking engine (see record.h).
 *
 * Phases, in the order findings are reported:
 *   1. manifest: signature by the anchor, format, key strength and reuse;
 *   2. sheets: every regular file under sheets/ in bytewise path order,
 *      framed into notes; each note checked by a pool of worker threads
 *      (parse, signatures, manifest consistency, arithmetic); results are
 *      folded on the main thread in file order, so the report does not
 *      depend on the number of threads;
 *   3. per station: duplicates, equivocation, missing sheets;
 *   4. district trees and totals against districts.txt;
 *   5. the checkpoint; 6. published figures.
 * Memory: sheet texts are not kept; per distinct sheet text we keep its
 * leaf hash and where it is (file, offset, length), and we re-read a text
 * only in the rare cases that need its bytes again (equivocation, two
 * texts for one station in a tree). */
#include "record.h"

#include <dirent.h>
#include <openssl/crypto.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b64.h"
#include "hash.h"
#include "note.h"

/* ------------------------------------------------------------------ */
/* finding codes                                                        */

static const char *const code_names[RC_F__COUNT] = {
    "MANIFEST_SIGNATURE",   "MANIFEST_FORMAT",
    "KEY_WEAK",             "KEY_REUSED",
    "SHEET_FORMAT",         "SHEET_SIGNATURE",
    "SHEET_UNKNOWN_STATION","SHEET_WRONG_ELECTION",
    "SHEET_WRONG_DISTRICT", "SHEET_REGISTERED_MISMATCH",
    "SHEET_ARITHMETIC",     "SHEET_OVERVOTE",
    "SHEET_EQUIVOCATION",   "SHEET_DUPLICATE",
    "SHEET_MISSING",        "COSIGNATURE_INVALID",
    "CRYPTO_DISAGREEMENT",  "DISTRICT_RECORD_FORMAT",
    "DISTRICT_ROOT_MISMATCH","DISTRICT_TOTAL_MISMATCH",
    "CHECKPOINT_SIGNATURE", "CHECKPOINT_MISMATCH",
    "PUBLISHED_SIGNATURE",  "PUBLISHED_FORMAT",
    "PUBLISHED_MISMATCH",   "COUNT_OVERFLOW",
};

const char *rc_code_str(enum rc_code c) {
  return (unsigned)c < RC_F__COUNT ? code_names[c] : "UNKNOWN";
}

enum rc_severity rc_code_severity(enum rc_code c) {
  if (c == RC_F_SHEET_DUPLICATE || c == RC_F_SHEET_MISSING)
    return RC_SEV_WARNING;
  return RC_SEV_ERROR;
}

const char *rc_severity_str(enum rc_severity s) {
  switch (s) {
  case RC_SEV_ERROR: return "error";
  case RC_SEV_WARNING: return "warning";
  default: return "info";
  }
}

/* ------------------------------------------------------------------ */
/* finding vectors                                                      */

struct fvec {
  struct rc_finding *v;
  size_t n, cap;
  int oom;
};

static char *dupstr(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *p = malloc(n + 1);
  if (p) memcpy(p, s, n + 1);
  return p;
}

static void finding_free(struct rc_finding *f) {
  free(f->district);
  free(f->station);
  free(f->file);
  free(f->message);
}

__attribute__((format(printf, 7, 8))) static void
fadd(struct fvec *fv, enum rc_code code, const char *district,
     const char *station, const char *file, size_t line, const char *fmt,
     ...) {
  if (fv->oom) return;
  if (fv->n == fv->cap) {
    size_t cap = fv->cap ? fv->cap * 2 : 8;
    struct rc_finding *v = realloc(fv->v, cap * sizeof *v);
    if (!v) {
      fv->oom = 1;
      return;
    }
    fv->v = v;
    fv->cap = cap;
  }
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  struct rc_finding *f = &fv->v[fv->n];
  memset(f, 0, sizeof *f);
  f->code = code;
  f->district = dupstr(district);
  f->station = dupstr(station);
  f->file = dupstr(file);
  f->line = line;
  f->message = dupstr(msg);
  if ((district && !f->district) || (station && !f->station) ||
      (file && !f->file) || !f->message) {
    finding_free(f);
    fv->oom = 1;
    return;
  }
  fv->n++;
}

/* Moves every finding of src to the end of dst. */
static void fmove(struct fvec *dst, struct fvec *src) {
  for (size_t i = 0; i < src->n; i++) {
    if (dst->oom) {
      finding_free(&src->v[i]);
      continue;
    }
    if (dst->n == dst->cap) {
      size_t cap = dst->cap ? dst->cap * 2 : 64;
      struct rc_finding *v = realloc(dst->v, cap * sizeof *v);
      if (!v) {
        dst->oom = 1;
        finding_free(&src->v[i]);
        continue;
      }
      dst->v = v;
      dst->cap = cap;
    }
    dst->v[dst->n++] = src->v[i];
  }
  if (src->oom) dst->oom = 1;
  free(src->v);
  memset(src, 0, sizeof *src);
}

/* ------------------------------------------------------------------ */
/* files                                                                */

/* rc_read_file, with messages naming the file as `name` (the engine
 * passes the path relative to the record, so a report does not depend on
 * where the record lies). */
static int read_file_as(const char *path, const char *name, uint64_t cap,
                        uint8_t **buf, size_t *len, struct rc_error *err) {
  *buf = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return rc_fail(err, RC_ERR_IO, 0, "file", "%s: cannot open: %s", name,
                   strerror(errno));
  int rc = RC_OK;
  uint8_t *p = NULL;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: %s", name, strerror(errno));
    goto out;
  }
  if (!S_ISREG(st.st_mode)) {
    rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: not a regular file", name);
    goto out;
  }
  if ((uint64_t)st.st_size > cap) {
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "file",
                 "%s: %llu bytes, above the limit of %llu bytes", name,
                 (unsigned long long)st.st_size, (unsigned long long)cap);
    goto out;
  }
  size_t want = (size_t)st.st_size;
  p = malloc(want + 1);
  if (!p) {
    rc = rc_fail(err, RC_ERR_NOMEM, 0, "file", "%s: out of memory", name);
    goto out;
  }
  size_t got = 0;
  while (got < want) {
    ssize_t r = read(fd, p + got, want - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: read error: %s", name,
                   strerror(errno));
      goto out;
    }
    if (r == 0) break; /* file shrank: use what is there */
    got += (size_t)r;
  }
  /* a file that grew while being read is refused rather than truncated */
  {
    uint8_t extra;
    ssize_t r = read(fd, &extra, 1);
    if (r > 0) {
      rc = rc_fail(err, RC_ERR_IO, 0, "file", "%s: changed while being read",
                   name);
      goto out;
    }
  }
  p[got] = 0;
  *buf = p;
  *len = got;
  p = NULL;
out:
  free(p);
  close(fd);
  return rc;
}

int rc_read_file(const char *path, uint64_t cap, uint8_t **buf, size_t *len,
                 struct rc_error *err) {
  return read_file_as(path, path, cap, buf, len, err);
}

/* Collects regular files (and special entries, for findings) under
 * sheets/, recursively, as paths relative to the record root. */
struct pathlist {
  char **v;
  size_t n, cap;
  int oom;
};

static void pl_add(struct pathlist *pl, const char *s) {
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
  char *d = dupstr(s);
  if (!d) {
    pl->oom = 1;
    return;
  }
  pl->v[pl->n++] = d;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walk {
  int rootfd;
  struct pathlist files;   /* regular files */
  struct fvec *fv;         /* findings for special entries */
  size_t total;
};

/* Walks directory rel (relative to rootfd) without following symlinks. */
static void walk_dir(struct walk *w, const char *rel, int depth) {
  if (depth > RC_SHEETS_DEPTH_MAX) {
    fadd(w->fv, RC_F_SHEET_FORMAT, NULL, NULL, rel, 0,
         "directory nested deeper than %d levels; not read",
         RC_SHEETS_DEPTH_MAX);
    return;
  }
  int dfd = openat(w->rootfd, rel,
                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) {
    fadd(w->fv, RC_F_SHEET_FORMAT, NULL, NULL, rel, 0,
         "cannot open directory: %s", strerror(errno));
    return;
  }
  DIR *d = fdopendir(dfd);
  if (!d) {
    close(dfd);
    fadd(w->fv, RC_F_SHEET_FORMAT, NULL, NULL, rel, 0,
         "cannot read directory: %s", strerror(errno));
    return;
  }
  struct pathlist names = {0};
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    pl_add(&names, de->d_name);
    if (names.n > RC_SHEETS_FILES_MAX) break;
  }
  closedir(d);
  if (names.oom) w->fv->oom = 1;
  /* an empty directory leaves names.v NULL, which qsort must not get */
  if (names.n > 1) qsort(names.v, names.n, sizeof *names.v, cmp_str);
  for (size_t i = 0; i < names.n; i++) {
    size_t len = strlen(rel) + 1 + strlen(names.v[i]) + 1;
    char *path = malloc(len);
    if (!path) {
      w->fv->oom = 1;
      break;
    }
    snprintf(path, len, "%s/%s", rel, names.v[i]);
    struct stat st;
    if (fstatat(w->rootfd, path, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      fadd(w->fv, RC_F_SHEET_FORMAT, NULL, NULL, path, 0, "cannot stat: %s",
           strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
      walk_dir(w, path, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
      if (++w->total > RC_SHEETS_FILES_MAX) {
        if (w->total == RC_SHEETS_FILES_MAX + 1)
          fadd(w->fv, RC_F_SHEET_FORMAT, NULL, NULL, path, 0,
               "more than %d files under sheets/; the rest are not read",
               RC_SHEETS_FILES_MAX);
      } else {
        pl_add(&w->files, path);
      }
    } else {
      const char *what = S_ISLNK(st.st_mode)    ? "a symbolic link"
                         : S_ISFIFO(st.st_mode) ? "a FIFO"
                         : S_ISSOCK(st.st_mode) ? "a socket"
                                                : "a device or special file";
      fadd(w->fv, RC_F_SHEET_FORMAT, NULL, NULL, path, 0,
           "%s, not a regular file: not opened", what);
    }
    free(path);
  }
  for (size_t i = 0; i < names.n; i++) free(names.v[i]);
  free(names.v);
}

/* ------------------------------------------------------------------ */
/* per-sheet work (worker threads)                                       */

struct counts {
  uint64_t registered, ballots, invalid, blank, excluded;
  uint64_t votes[RC_MAX_CHOICES];
};

struct job {
  /* input */
  const uint8_t *note;
  size_t notelen;
  uint32_t file;
  uint64_t off;   /* offset of the note in its file */
  size_t line;    /* 1-based line of the note in its file */
  /* output */
  int parsed;     /* the sheet text parsed */
  long station;   /* manifest station index or -1 */
  long district;  /* manifest district index named by the sheet, or -1 */
  int sigvalid;   /* valid signature by the station's registered key */
  int textok;     /* every check other than the signature passed */
  uint32_t textlen;
  rc_hash leaf;
  char station_id[RC_ID_MAX + 1];
  uint64_t sigs_checked;
  struct counts c;
  struct fvec fv;
};

struct engine {
  const struct rc_record_opts *o;
  struct rc_record_report *rep;
  const struct rc_manifest *m;   /* NULL if no usable manifest */
  uint8_t *station_weak;         /* per station: key is weak */
  char **files;                  /* relative paths */
  size_t nfiles;
  const char *root;
  int rootfd;
  /* batch */
  struct job *jobs;
  size_t njobs;
  atomic_size_t next;
};

static void check_sheet(struct engine *E, struct job *j, struct rc_sheet *s) {
  const struct rc_manifest *m = E->m;
  const char *file = E->files[j->file];
  struct rc_note note;
  struct rc_error err;
  size_t consumed = 0;
  /* the main thread found the note's bounds; parse it here, in parallel.
   * A note whose signature lines are malformed still has a text: if that
   * text parses it is part of the district tree (RECORD.md: every
   * distinct parseable sheet text), it just has no valid signature. */
  if (rc_note_next(j->note, j->notelen, &consumed, &note, &err) != RC_OK ||
      consumed != j->notelen) {
    fadd(&j->fv, RC_F_SHEET_FORMAT, NULL, NULL, file,
         j->line + (err.line ? err.line - 1 : 0), "not a signed note: %s",
         err.msg);
    const uint8_t *p = j->note, *end = j->note + j->notelen;
    memset(&note, 0, sizeof note);
    for (; p + 1 < end; p++)
      if (p[0] == '\n' && p[1] == '\n') break;
    if (p + 1 >= end) return;
    note.text = j->note;
    note.textlen = (size_t)(p - j->note) + 1;
    note.nsigs = 0; /* no usable signature line */
  }
  j->textlen = (uint32_t)note.textlen;
  if (rc_parse_sheet(note.text, note.textlen, s, &err) != RC_OK) {
    fadd(&j->fv, RC_F_SHEET_FORMAT, NULL, NULL, file,
         j->line + (err.line ? err.line - 1 : 0), "count sheet: %s%s%s",
         err.field[0] ? err.field : "", err.field[0] ? ": " : "", err.msg);
    return;
  }
  j->parsed = 1;
  rc_merkle_leaf_hash(note.text, note.textlen, j->leaf);
  memcpy(j->station_id, s->station, sizeof j->station_id);
  const char *sid = s->station;
  j->district = m ? rc_manifest_district(m, s->district, strlen(s->district))
                  : -1;
  j->station = m ? rc_manifest_station(m, sid, strlen(sid)) : -1;
  const struct rc_station *st = j->station >= 0 ? &m->stations[j->station]
                                                : NULL;
  const char *dname = st ? m->districts[st->district].id
                         : (j->district >= 0 ? s->district : NULL);
  int ok = 1;

  /* signatures: the station's key must verify; witnesses' lines are
   * checked; other lines are ignored */
  if (st) {
    int any_valid = 0, any_line = 0;
    for (size_t i = 0; i < note.nsigs; i++) {
      const struct rc_sigline *sl = &note.sigs[i];
      if (sl->namelen == st->key.namelen &&
          !memcmp(sl->name, st->key.name, sl->namelen) &&
          !memcmp(sl->keyid, st->key.id, 4)) {
        any_line = 1;
        if (sl->siglen != 64 || E->station_weak[j->station]) continue;
        int so = -1, oo = -1;
        j->sigs_checked++;
        enum rc_sig_result r = rc_ed25519_verify(
            st->key.pk, note.text, note.textlen, sl->sig, E->o->mode, &so, &oo);
        if (r == RC_SIG_VALID) any_valid = 1;
        if (r == RC_SIG_DISAGREE)
          fadd(&j->fv, RC_F_CRYPTO_DISAGREEMENT, dname, sid, file, j->line,
               "station signature: libsodium %s it, OpenSSL %s it",
               so ? "accepts" : "rejects", oo ? "accepts" : "rejects");
      }
      for (size_t w = 0; m && w < m->nwitnesses; w++) {
        const struct rc_vkey *wk = &m->witnesses[w];
        if (sl->namelen != wk->namelen || memcmp(sl->name, wk->name,
                                                 sl->namelen) ||
            memcmp(sl->keyid, wk->id, 4))
          continue;
        int so = -1, oo = -1;
        enum rc_sig_result r = RC_SIG_INVALID;
        if (sl->siglen == 64) {
          j->sigs_checked++;
          r = rc_ed25519_verify(wk->pk, note.text, note.textlen, sl->sig,
                                E->o->mode, &so, &oo);
        }
        if (r == RC_SIG_DISAGREE)
          fadd(&j->fv, RC_F_CRYPTO_DISAGREEMENT, dname, sid, file, j->line,
               "witness %.*s signature: libsodium %s it, OpenSSL %s it",
               (int)wk->namelen, wk->name, so ? "accepts" : "rejects",
               oo ? "accepts" : "rejects");
        if (r != RC_SIG_VALID)
          fadd(&j->fv, RC_F_COSIGNATURE_INVALID, dname, sid, file, j->line,
               "co-signature by witness %.*s does not verify",
               (int)wk->namelen, wk->name);
      }
    }
    j->sigvalid = any_valid;
    if (!any_valid) {
      const char *why =
          E->station_weak[j->station]
              ? "the station's registered key is weak (see KEY_WEAK)"
          : any_line ? "the signature by the station's registered key "
                       "does not verify"
                     : "no signature line by the station's registered key";
      fadd(&j->fv, RC_F_SHEET_SIGNATURE, dname, sid, file, j->line, "%s",
           why);
    }
  } else {
    fadd(&j->fv, RC_F_SHEET_UNKNOWN_STATION, dname, sid, file, j->line,
         "station %s is not in the manifest", sid);
    ok = 0;
  }

  if (m && strcmp(s->election, m->election) != 0) {
    fadd(&j->fv, RC_F_SHEET_WRONG_ELECTION, dname, sid, file, j->line + 1,
         "election %s, the manifest's is %s", s->election, m->election);
    ok = 0;
  }
  if (st) {
    const char *want = m->districts[st->district].id;
    if (strcmp(s->district, want) != 0) {
      fadd(&j->fv, RC_F_SHEET_WRONG_DISTRICT, dname, sid, file, j->line + 2,
           "district %s, the manifest places station %s in %s", s->district,
           sid, want);
      ok = 0;
    }
    if (s->registered != st->registered) {
      fadd(&j->fv, RC_F_SHEET_REGISTERED_MISMATCH, dname, sid, file,
           j->line + 4, "registered %llu, the manifest says %llu",
           (unsigned long long)s->registered,
           (unsigned long long)st->registered);
      ok = 0;
    }
  }
  /* the vote lines must be the manifest's choices in order */
  if (m) {
    int same = s->nvotes == m->nchoices;
    for (size_t i = 0; same && i < s->nvotes; i++)
      same = !strcmp(s->votes[i].choice, m->choices[i].id);
    if (!same) {
      fadd(&j->fv, RC_F_SHEET_ARITHMETIC, dname, sid, file, j->line + 9,
           "the vote lines are not the manifest's %zu choices in ballot order",
           m->nchoices);
      ok = 0;
    }
  }
  int ar = rc_sheet_arith(s, &err);
  if (ar == RC_ERR_OVERFLOW) {
    fadd(&j->fv, RC_F_COUNT_OVERFLOW, dname, sid, file, j->line,
         "the sheet's figures overflow 64 bits when added");
    ok = 0;
  } else if (ar != RC_OK) {
    fadd(&j->fv, RC_F_SHEET_ARITHMETIC, dname, sid, file, j->line, "%s",
         err.msg);
    ok = 0;
  }
  if (s->ballots > s->registered) {
    fadd(&j->fv, RC_F_SHEET_OVERVOTE, dname, sid, file, j->line + 5,
         "ballots %llu exceed registered %llu",
         (unsigned long long)s->ballots, (unsigned long long)s->registered);
    ok = 0;
  }
  j->textok = ok;
  j->c.registered = s->registered;
  j->c.ballots = s->ballots;
  j->c.invalid = s->invalid;
  j->c.blank = s->blank;
  j->c.excluded = s->excluded;
  for (size_t i = 0; i < s->nvotes && i < RC_MAX_CHOICES; i++)
    j->c.votes[i] = s->votes[i].count;
}

static void *worker(void *arg) {
  struct engine *E = arg;
  struct rc_sheet *s = malloc(sizeof *s);
  if (!s) return (void *)1;
  for (;;) {
    size_t i = atomic_fetch_add(&E->next, 1);
    if (i >= E->njobs) break;
    check_sheet(E, &E->jobs[i], s);
  }
  free(s);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* per-station state                                                    */

/* One distinct parseable sheet text. Kept small: a million of these must
 * fit with the manifest in the memory budget (files are at most 1 GiB,
 * so offsets fit in 32 bits). */
struct entry {
  rc_hash leaf;
  uint32_t off;
  uint32_t file;
  uint32_t len;
  int32_t district;       /* district named by the text, -1 if unknown */
  uint8_t sigvalid, textok, counted;
};

struct slot {
  struct entry first;     /* first.file is where the station's first text is */
  uint32_t n, cap;        /* n = number of entries incl. first */
  uint32_t nvalid;        /* distinct texts validly signed by the station */
  uint32_t firstline;
  struct entry *more;
  uint8_t equivocated;
};

/* a station not in the manifest */
struct uslot {
  struct slot s;
  char *id;               /* owned */
};

static struct entry *slot_entry(struct slot *s, uint32_t i) {
  return i == 0 ? &s->first : &s->more[i - 1];
}

struct state {
  struct slot *known;     /* one per manifest station */
  struct uslot *unknown;  /* stations not in the manifest */
  size_t nunknown, capunknown;
  /* open-addressing index of unknown station ids */
  size_t *uidx;
  size_t ucap;
  struct rc_totals *dt;   /* per manifest district */
};

static uint64_t fnv(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 1099511628211ULL;
  return h;
}

static struct slot *unknown_slot(struct state *S, const char *id, int *oom) {
  if (S->nunknown * 2 >= S->ucap) {
    size_t ncap = S->ucap ? S->ucap * 2 : 64;
    size_t *nidx = malloc(ncap * sizeof *nidx);
    if (!nidx) {
      *oom = 1;
      return NULL;
    }
    for (size_t i = 0; i < ncap; i++) nidx[i] = SIZE_MAX;
    for (size_t i = 0; i < S->nunknown; i++) {
      size_t h = (size_t)fnv(S->unknown[i].id) & (ncap - 1);
      while (nidx[h] != SIZE_MAX) h = (h + 1) & (ncap - 1);
      nidx[h] = i;
    }
    free(S->uidx);
    S->uidx = nidx;
    S->ucap = ncap;
  }
  size_t h = (size_t)fnv(id) & (S->ucap - 1);
  while (S->uidx[h] != SIZE_MAX) {
    if (!strcmp(S->unknown[S->uidx[h]].id, id))
      return &S->unknown[S->uidx[h]].s;
    h = (h + 1) & (S->ucap - 1);
  }
  if (S->nunknown == S->capunknown) {
    size_t cap = S->capunknown ? S->capunknown * 2 : 16;
    struct uslot *v = realloc(S->unknown, cap * sizeof *v);
    if (!v) {
      *oom = 1;
      return NULL;
    }
    S->unknown = v;
    S->capunknown = cap;
  }
  struct uslot *u = &S->unknown[S->nunknown];
  memset(u, 0, sizeof *u);
  u->id = dupstr(id);
  if (!u->id) {
    *oom = 1;
    return NULL;
  }
  S->uidx[h] = S->nunknown++;
  return &u->s;
}

/* Adds v to *acc; on overflow *acc sticks at UINT64_MAX (never a wrapped
 * value in a report) and 1 is returned. */
static int sat_add(uint64_t *acc, uint64_t v) {
  if (rc_add_u64(acc, v) == 0) return 0;
  *acc = UINT64_MAX;
  return 1;
}

static void tally_add(struct rc_totals *t, const struct counts *c,
                      size_t nchoices) {
  int bad = 0;
  bad |= sat_add(&t->registered, c->registered);
  bad |= sat_add(&t->ballots, c->ballots);
  bad |= sat_add(&t->invalid, c->invalid);
  bad |= sat_add(&t->blank, c->blank);
  bad |= sat_add(&t->excluded, c->excluded);
  for (size_t i = 0; i < nchoices; i++) {
    bad |= sat_add(&t->votes[i], c->votes[i]);
    bad |= sat_add(&t->valid, c->votes[i]);
  }
  t->sheets_counted++;
  if (bad) t->overflow = 1;
}

static void tally_sub(struct rc_totals *t, const struct counts *c,
                      size_t nchoices) {
  if (t->overflow) return; /* meaningless already; reported as overflow */
  t->registered -= c->registered;
  t->ballots -= c->ballots;
  t->invalid -= c->invalid;
  t->blank -= c->blank;
  t->excluded -= c->excluded;
  for (size_t i = 0; i < nchoices; i++) {
    t->votes[i] -= c->votes[i];
    t->valid -= c->votes[i];
  }
  t->sheets_counted--;
}

/* Re-reads the text of entry e from its file. Returns malloc'd bytes. */
static uint8_t *reread(struct engine *E, const struct entry *e) {
  int fd = openat(E->rootfd, E->files[e->file],
                  O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return NULL;
  uint8_t *p = malloc((size_t)e->len + 1);
  size_t got = 0;
  while (p && got < e->len) {
    ssize_t r = pread(fd, p + got, e->len - got, (off_t)(e->off + got));
    if (r <= 0) {
      free(p);
      p = NULL;
      break;
    }
    got += (size_t)r;
  }
  close(fd);
  return p;
}

/* Un-counts a counted entry (re-reads and re-parses its text). */
static void uncount(struct engine *E, struct state *S, struct entry *e,
                    long station) {
  if (!e->counted) return;
  e->counted = 0;
  uint8_t *t = reread(E, e);
  struct rc_sheet *s = malloc(sizeof *s);
  struct rc_error err;
  if (t && s && rc_parse_sheet(t, e->len, s, &err) == RC_OK) {
    struct counts c = {s->registered, s->ballots, s->invalid, s->blank,
                       s->excluded, {0}};
    for (size_t i = 0; i < s->nvotes && i < RC_MAX_CHOICES; i++)
      c.votes[i] = s->votes[i].count;
    tally_sub(&S->dt[E->m->stations[station].district], &c,
              E->m->nchoices);
  } else {
    /* the file changed under us: the totals can no longer be trusted */
    S->dt[E->m->stations[station].district].overflow = 1;
  }
  free(t);
  free(s);
}

static void fold(struct engine *E, struct state *S, struct job *j,
                 struct fvec *out) {
  struct rc_record_report *rep = E->rep;
  rep->signatures_checked += j->sigs_checked;
  fmove(out, &j->fv);
  if (!j->parsed) return;
  rep->sheets_parsed++;
  int oom = 0;
  struct slot *sl = j->station >= 0 ? &S->known[j->station]
                                    : unknown_slot(S, j->station_id, &oom);
  if (!sl) {
    out->oom = 1;
    return;
  }
  const char *file = E->files[j->file];
  const char *dname =
      j->station >= 0 ? E->m->districts[E->m->stations[j->station].district].id
      : j->district >= 0 ? E->m->districts[j->district].id
                         : NULL;
  /* same text again? */
  for (uint32_t i = 0; i < sl->n; i++) {
    struct entry *e = slot_entry(sl, i);
    if (CRYPTO_memcmp(e->leaf, j->leaf, 32) != 0) continue;
    fadd(out, RC_F_SHEET_DUPLICATE, dname, j->station_id, file, j->line,
         "the same sheet text appears again (first in %s line %zu); counted "
         "once",
         E->files[sl->first.file], (size_t)sl->firstline);
    if (j->sigvalid && !e->sigvalid) {
      /* this copy carries a valid signature the earlier one lacked */
      e->sigvalid = 1;
      sl->nvalid++;
      if (sl->nvalid > 1) {
        sl->equivocated = 1;
        for (uint32_t k = 0; k < sl->n; k++)
          uncount(E, S, slot_entry(sl, k), j->station);
      } else if (e->textok && j->station >= 0) {
        e->counted = 1;
        tally_add(&S->dt[E->m->stations[j->station].district], &j->c,
                  E->m->nchoices);
      }
    }
    return;
  }
  /* a new distinct text */
  struct entry ne = {0};
  memcpy(ne.leaf, j->leaf, 32);
  ne.off = (uint32_t)j->off;
  ne.file = j->file;
  ne.len = j->textlen;
  ne.district = (int32_t)j->district;
  ne.sigvalid = (uint8_t)j->sigvalid;
  ne.textok = (uint8_t)j->textok;
  if (sl->n == 0) {
    sl->firstline = (uint32_t)j->line;
    sl->first = ne;
  } else {
    if (sl->n - 1 == sl->cap) {
      uint32_t cap = sl->cap ? sl->cap * 2 : 2;
      struct entry *v = realloc(sl->more, cap * sizeof *v);
      if (!v) {
        out->oom = 1;
        return;
      }
      sl->more = v;
      sl->cap = cap;
    }
    sl->more[sl->n - 1] = ne;
  }
  sl->n++;
  struct entry *e = slot_entry(sl, sl->n - 1);
  if (!e->sigvalid) return;
  sl->nvalid++;
  if (sl->nvalid > 1) {
    if (!sl->equivocated) {
      sl->equivocated = 1;
      for (uint32_t k = 0; k < sl->n; k++)
        uncount(E, S, slot_entry(sl, k), j->station);
    }
    return;
  }
  if (e->textok && j->station >= 0) {
    e->counted = 1;
    tally_add(&S->dt[E->m->stations[j->station].district], &j->c,
              E->m->nchoices);
  }
}

static void run_batch(struct engine *E, struct state *S, struct fvec *out) {
  if (E->njobs == 0) return;
  unsigned nt = E->o->threads ? E->o->threads : 1;
  if (nt > E->njobs) nt = (unsigned)E->njobs;
  if (nt > 64) nt = 64;
  atomic_store(&E->next, 0);
  pthread_t th[64];
  unsigned started = 0;
  for (unsigned i = 1; i < nt; i++) {
    if (pthread_create(&th[started], NULL, worker, E) != 0) break;
    started++;
  }
  void *r0 = worker(E);
  int oom = r0 != NULL;
  for (unsigned i = 0; i < started; i++) {
    void *r;
    pthread_join(th[i], &r);
    if (r) oom = 1;
  }
  if (oom) out->oom = 1;
  for (size_t i = 0; i < E->njobs; i++) fold(E, S, &E->jobs[i], out);
  E->njobs = 0;
}

/* ------------------------------------------------------------------ */
/* helpers for the signed artefacts                                      */

/* Reads and verifies a note signed by the anchor. Returns the note text
 * (malloc'd buffer in *buf, text pointer and length in *text and *tlen) or NULL.
 * sigcode is reported when the signature is missing or bad; a file that
 * is absent is reported with absent_msg under sigcode. */
static int read_anchor_note(struct engine *E, const char *name,
                            enum rc_code sigcode, struct fvec *fv,
                            uint8_t **buf, const uint8_t **text, size_t *tlen,
                            uint64_t cap, int *present) {
  char path[4096];
  struct rc_error err;
  size_t len;
  *buf = NULL;
  *text = NULL;
  *tlen = 0;
  if (present) *present = 1;
  snprintf(path, sizeof path, "%s/%s", E->root, name);
  if (present) {
    struct stat st;
    if (lstat(path, &st) != 0 && errno == ENOENT) {
      *present = 0;
      return -1;
    }
  }
  if (read_file_as(path, name, cap, buf, &len, &err) != RC_OK) {
    fadd(fv, sigcode, NULL, NULL, name, 0, "cannot read: %s", err.msg);
    return -1;
  }
  struct rc_note n;
  if (rc_note_parse(*buf, len, &n, &err) != RC_OK) {
    fadd(fv, sigcode, NULL, NULL, name, err.line,
         "not a signed note: %s", err.msg);
    return -1;
  }
  *text = n.text;
  *tlen = n.textlen;
  struct rc_note_check res;
  int ks = 0;
  int r = rc_note_verify(&n, E->o->anchor, 1, E->o->mode, &res, &ks);
  if (ks == -2)
    fadd(fv, RC_F_CRYPTO_DISAGREEMENT, NULL, NULL, name, 0,
         "libsodium and OpenSSL disagree on the commission's signature");
  if (r != RC_OK) {
    fadd(fv, sigcode, NULL, NULL, name, 0, "%s",
         ks == 0 ? "no signature by the anchor key"
                 : "the signature by the anchor key does not verify");
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* phases                                                               */

static int cmp_station_pk(const void *a, const void *b, void *ctx) {
  const struct rc_manifest *m = ctx;
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  int c = memcmp(m->stations[x].key.pk, m->stations[y].key.pk, 32);
  if (c) return c;
  return x < y ? -1 : x > y;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

static void phase_manifest(struct engine *E, struct fvec *fv) {
  struct rc_record_report *rep = E->rep;
  uint8_t *buf = NULL;
  const uint8_t *text;
  size_t tlen;
  enum rc_key_class ac = rc_pubkey_check(E->o->anchor->pk);
  if (ac != RC_KEY_GOOD)
    fadd(fv, RC_F_KEY_WEAK, NULL, NULL, NULL, 0, "the anchor key is %s",
         rc_key_class_str(ac));
  int r = read_anchor_note(E, "manifest.note", RC_F_MANIFEST_SIGNATURE, fv,
                           &buf, &text, &tlen, RC_MANIFEST_MAX, NULL);
  if (text) {
    rc_sha256(text, tlen, rep->manifest_text_hash);
    struct rc_error err;
    if (rc_parse_manifest(text, tlen, &rep->manifest, &err) != RC_OK) {
      fadd(fv, RC_F_MANIFEST_FORMAT, NULL, NULL, "manifest.note", err.line,
           "%s%s%s", err.field[0] ? err.field : "", err.field[0] ? ": " : "",
           err.msg);
    } else {
      rep->have_manifest = 1;
    }
  }
  (void)r;
  free(buf);
  if (!rep->have_manifest) return;
  const struct rc_manifest *m = &rep->manifest;
  E->m = m;
  E->station_weak = calloc(m->nstations ? m->nstations : 1, 1);
  if (!E->station_weak) {
    fv->oom = 1;
    return;
  }
  for (size_t w = 0; w < m->nwitnesses; w++) {
    enum rc_key_class c = rc_pubkey_check(m->witnesses[w].pk);
    if (c != RC_KEY_GOOD)
      fadd(fv, RC_F_KEY_WEAK, NULL, NULL, "manifest.note", 0,
           "witness key %.*s is %s", (int)m->witnesses[w].namelen,
           m->witnesses[w].name, rc_key_class_str(c));
  }
  for (size_t i = 0; i < m->nstations; i++) {
    enum rc_key_class c = rc_pubkey_check(m->stations[i].key.pk);
    if (c != RC_KEY_GOOD) {
      E->station_weak[i] = 1;
      fadd(fv, RC_F_KEY_WEAK, m->districts[m->stations[i].district].id,
           m->stations[i].id, "manifest.note", 0,
           "the registered key of station %s is %s", m->stations[i].id,
           rc_key_class_str(c));
    }
  }
  /* key reuse: sort station indices by public key */
  size_t n = m->nstations;
  size_t *ix = malloc((n ? n : 1) * sizeof *ix);
  if (!ix) {
    fv->oom = 1;
    return;
  }
  for (size_t i = 0; i < n; i++) ix[i] = i;
  qsort_r(ix, n, sizeof *ix, cmp_station_pk, (void *)m);
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && !memcmp(m->stations[ix[a]].key.pk,
                            m->stations[ix[b]].key.pk, 32))
      b++;
    if (b - a > 1) {
      /* report each station of the group, in manifest order */
      qsort(ix + a, b - a, sizeof *ix, cmp_size);
      for (size_t k = a; k < b; k++) {
        const struct rc_station *st = &m->stations[ix[k]];
        const struct rc_station *other = &m->stations[ix[k == a ? a + 1 : a]];
        fadd(fv, RC_F_KEY_REUSED, m->districts[st->district].id, st->id,
             "manifest.note", 0,
             "station %s is registered with the same public key as station "
             "%s (%zu stations share it)",
             st->id, other->id, b - a);
      }
    }
    a = b;
  }
  free(ix);
}

/* Batch limits: bounded memory whatever the record's size. */
#define BATCH_BYTES (16u << 20)
#define BATCH_JOBS 16384u

struct loaded {
  uint8_t *buf;
};

static int push_job(struct engine *E, size_t *jobcap) {
  if (E->njobs == *jobcap) {
    size_t cap = *jobcap ? *jobcap * 2 : 1024;
    struct job *v = realloc(E->jobs, cap * sizeof *v);
    if (!v) return -1;
    E->jobs = v;
    *jobcap = cap;
  }
  memset(&E->jobs[E->njobs], 0, sizeof E->jobs[0]);
  E->jobs[E->njobs].station = -1;
  E->jobs[E->njobs].district = -1;
  E->njobs++;
  return 0;
}

static void phase_sheets(struct engine *E, struct state *S, struct fvec *fv) {
  struct rc_record_report *rep = E->rep;
  struct walk w = {.rootfd = E->rootfd, .fv = fv};
  struct stat st;
  if (fstatat(E->rootfd, "sheets", &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISDIR(st.st_mode))
      walk_dir(&w, "sheets", 1);
    else
      fadd(fv, RC_F_SHEET_FORMAT, NULL, NULL, "sheets", 0,
           "sheets is not a directory: not read");
  }
  if (w.files.oom) fv->oom = 1;
  /* bytewise order of the whole relative path (no files: v is NULL) */
  if (w.files.n > 1) qsort(w.files.v, w.files.n, sizeof *w.files.v, cmp_str);
  E->files = w.files.v;
  E->nfiles = w.files.n;

  size_t jobcap = 0, batch_bytes = 0;
  uint8_t **bufs = NULL;
  size_t nbufs = 0, capbufs = 0;
  for (size_t f = 0; f < E->nfiles && !fv->oom; f++) {
    const char *rel = E->files[f];
    uint8_t *buf = NULL;
    size_t len = 0;
    struct rc_error err;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", E->root, rel);
    rep->files_read++;
    if (read_file_as(path, rel, RC_SHEETS_FILE_MAX, &buf, &len, &err) !=
        RC_OK) {
      if (err.code == RC_ERR_NOMEM) fv->oom = 1;
      fadd(fv, RC_F_SHEET_FORMAT, NULL, NULL, rel, 0, "%s", err.msg);
      continue;
    }
    if (nbufs == capbufs) {
      size_t cap = capbufs ? capbufs * 2 : 16;
      uint8_t **v = realloc(bufs, cap * sizeof *v);
      if (!v) {
        free(buf);
        fv->oom = 1;
        break;
      }
      bufs = v;
      capbufs = cap;
    }
    bufs[nbufs++] = buf;
    batch_bytes += len;
    if (len == 0) /* RECORD.md 4: each file holds one or more sheets */
      fadd(fv, RC_F_SHEET_FORMAT, NULL, NULL, rel, 0,
           "empty file: it holds no signed count sheet");
    size_t pos = 0, line = 1;
    while (pos < len) {
      size_t used = 0;
      if (rc_note_span(buf + pos, len - pos, &used, &err) != RC_OK) {
        fadd(fv, RC_F_SHEET_FORMAT, NULL, NULL, rel,
             line + (err.line ? err.line - 1 : 0),
             "cannot frame a signed count sheet here: %s; the rest of the "
             "file is not read",
             err.msg);
        break;
      }
      if (push_job(E, &jobcap) != 0) {
        fv->oom = 1;
        break;
      }
      struct job *j = &E->jobs[E->njobs - 1];
      j->note = buf + pos;
      j->notelen = used;
      j->file = (uint32_t)f;
      j->off = pos;
      j->line = line;
      rep->notes_framed++;
      for (size_t k = 0; k < used; k++)
        if (buf[pos + k] == '\n') line++;
      pos += used;
      if (E->njobs >= BATCH_JOBS) {
        /* keep this file's buffer; only flush the jobs */
        run_batch(E, S, fv);
      }
    }
    if (batch_bytes >= BATCH_BYTES || f + 1 == E->nfiles) {
      run_batch(E, S, fv);
      for (size_t b = 0; b < nbufs; b++) free(bufs[b]);
      nbufs = 0;
      batch_bytes = 0;
    }
  }
  run_batch(E, S, fv);
  for (size_t b = 0; b < nbufs; b++) free(bufs[b]);
  free(bufs);
  free(E->jobs);
  E->jobs = NULL;
}

/* Per station: equivocation and missing sheets, in manifest order, then
 * unknown stations' equivocations. */
static void phase_stations(struct engine *E, struct state *S,
                           struct fvec *fv) {
  const struct rc_manifest *m = E->m;
  for (size_t i = 0; i < m->nstations; i++) {
    struct slot *sl = &S->known[i];
    const char *d = m->districts[m->stations[i].district].id;
    if (sl->n == 0) {
      E->rep->stations_missing++;
      fadd(fv, RC_F_SHEET_MISSING, d, m->stations[i].id, NULL, 0,
           "no count sheet for registered station %s (registered %llu)",
           m->stations[i].id, (unsigned long long)m->stations[i].registered);
    }
    if (sl->equivocated)
      fadd(fv, RC_F_SHEET_EQUIVOCATION, d, m->stations[i].id,
           E->files[sl->first.file], (size_t)sl->firstline,
           "%u different sheets validly signed by station %s; none is "
           "counted",
           sl->nvalid, m->stations[i].id);
  }
}

/* tree ordering: station id, then the text's bytes */
struct leafref {
  const char *station;
  struct entry *e;
};


static int cmp_leafref(const void *a, const void *b, void *ctx) {
  struct engine *E = ctx;
  const struct leafref *x = a, *y = b;
  int c = strcmp(x->station, y->station);
  if (c) return c;
  if (x->e == y->e) return 0;
  uint8_t *tx = reread(E, x->e), *ty = reread(E, y->e);
  if (!tx || !ty) {
    free(tx);
    free(ty);
    return memcmp(x->e->leaf, y->e->leaf, 32);
  }
  size_t n = x->e->len < y->e->len ? x->e->len : y->e->len;
  c = memcmp(tx, ty, n);
  if (!c) c = x->e->len < y->e->len ? -1 : x->e->len > y->e->len;
  free(tx);
  free(ty);
  return c;
}

static void phase_trees(struct engine *E, struct state *S, struct fvec *fv) {
  const struct rc_manifest *m = E->m;
  struct rc_record_report *rep = E->rep;
  size_t nd = m->ndistricts;
  size_t *cnt = calloc(nd + 1, sizeof *cnt);
  if (!cnt) {
    fv->oom = 1;
    return;
  }
  for (size_t k = 0; k < m->nstations + S->nunknown; k++) {
    struct slot *sl =
        k < m->nstations ? &S->known[k] : &S->unknown[k - m->nstations].s;
    for (uint32_t i = 0; i < sl->n; i++) {
      struct entry *e = slot_entry(sl, i);
      if (e->district >= 0) cnt[e->district]++;
    }
  }
  struct leafref **lists = calloc(nd ? nd : 1, sizeof *lists);
  size_t *fill = calloc(nd ? nd : 1, sizeof *fill);
  if (!lists || !fill) {
    fv->oom = 1;
    goto out;
  }
  for (size_t d = 0; d < nd; d++) {
    lists[d] = malloc((cnt[d] ? cnt[d] : 1) * sizeof **lists);
    if (!lists[d]) {
      fv->oom = 1;
      goto out;
    }
  }
  for (size_t k = 0; k < m->nstations + S->nunknown; k++) {
    struct slot *sl =
        k < m->nstations ? &S->known[k] : &S->unknown[k - m->nstations].s;
    const char *id =
        k < m->nstations ? m->stations[k].id : S->unknown[k - m->nstations].id;
    for (uint32_t i = 0; i < sl->n; i++) {
      struct entry *e = slot_entry(sl, i);
      if (e->district < 0) continue;
      lists[e->district][fill[e->district]++] = (struct leafref){id, e};
    }
  }
  for (size_t d = 0; d < nd; d++) {
    struct rc_district_result *dr = &rep->districts[d];
    struct leafref *L = lists[d];
    size_t n = fill[d];
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++)
      if (strcmp(L[i - 1].station, L[i].station) >= 0) sorted = 0;
    if (!sorted) qsort_r(L, n, sizeof *L, cmp_leafref, E);
    struct rc_merkle_stream ms;
    rc_merkle_stream_init(&ms);
    for (size_t i = 0; i < n; i++) rc_merkle_stream_push(&ms, L[i].e->leaf);
    rc_merkle_stream_root(&ms, dr->root);
    dr->sheets = n;
    dr->stations = m->districts[d].nstations;
    dr->totals = S->dt[d];
    if (E->o->keep_leaves) {
      dr->leaves = malloc((n ? n : 1) * sizeof *dr->leaves);
      dr->leaf_station = malloc((n ? n : 1) * sizeof *dr->leaf_station);
      if (!dr->leaves || !dr->leaf_station) {
        fv->oom = 1;
        goto out;
      }
      for (size_t i = 0; i < n; i++) {
        memcpy(dr->leaves[i], L[i].e->leaf, 32);
        dr->leaf_station[i] = dupstr(L[i].station);
        if (!dr->leaf_station[i]) fv->oom = 1;
      }
    }
  }
out:
  if (lists)
    for (size_t d = 0; d < nd; d++) free(lists[d]);
  free(lists);
  free(fill);
  free(cnt);
}

/* Sums district totals into the election totals; overflow findings. */
static void phase_totals(struct engine *E, struct fvec *fv) {
  const struct rc_manifest *m = E->m;
  struct rc_record_report *rep = E->rep;
  struct rc_totals *t = &rep->totals;
  for (size_t d = 0; d < m->ndistricts; d++) {
    const struct rc_totals *x = &rep->districts[d].totals;
    if (x->overflow)
      fadd(fv, RC_F_COUNT_OVERFLOW, m->districts[d].id, NULL, NULL, 0,
           "a figure of district %s exceeds 64 bits when summed",
           m->districts[d].id);
    int bad = x->overflow;
    bad |= sat_add(&t->registered, x->registered);
    bad |= sat_add(&t->ballots, x->ballots);
    bad |= sat_add(&t->invalid, x->invalid);
    bad |= sat_add(&t->blank, x->blank);
    bad |= sat_add(&t->excluded, x->excluded);
    bad |= sat_add(&t->valid, x->valid);
    for (size_t c = 0; c < m->nchoices; c++)
      bad |= sat_add(&t->votes[c], x->votes[c]);
    t->sheets_counted += x->sheets_counted;
    if (bad && !x->overflow) t->overflow = 1;
    if (x->overflow) t->overflow = 1;
  }
  if (t->overflow)
    fadd(fv, RC_F_COUNT_OVERFLOW, NULL, NULL, NULL, 0,
         "an election-wide figure exceeds 64 bits when summed");
}

static void cmp_fig(struct fvec *fv, enum rc_code code, const char *d,
                    const char *what, uint64_t rec, uint64_t got) {
  if (rec != got)
    fadd(fv, code, d, NULL, "districts.txt", 0,
         "district %s: %s is %llu in districts.txt, recomputed %llu", d, what,
         (unsigned long long)rec, (unsigned long long)got);
}

static void phase_districts(struct engine *E, struct fvec *fv,
                            rc_hash election_root, int *have_root) {
  const struct rc_manifest *m = E->m;
  struct rc_record_report *rep = E->rep;
  char path[4096];
  snprintf(path, sizeof path, "%s/districts.txt", E->root);
  uint8_t *buf = NULL;
  size_t len = 0, *starts = NULL, *lens = NULL, n = 0;
  struct rc_error err;
  *have_root = 0;
  if (read_file_as(path, "districts.txt", RC_DISTRICTS_FILE_MAX, &buf, &len,
                   &err) != RC_OK) {
    fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, NULL, NULL, "districts.txt", 0,
         "%s", err.msg);
    return;
  }
  if (rc_split_districts(buf, len, &starts, &lens, &n, &err) != RC_OK) {
    fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, NULL, NULL, "districts.txt",
         err.line, "%s", err.msg);
    goto out;
  }
  {
    struct rc_merkle_stream ms;
    rc_merkle_stream_init(&ms);
    for (size_t i = 0; i < n; i++) {
      rc_hash h;
      rc_merkle_leaf_hash(buf + starts[i], lens[i], h);
      rc_merkle_stream_push(&ms, h);
    }
    rc_merkle_stream_root(&ms, election_root);
    *have_root = 1;
  }
  uint8_t *seen = calloc(m->ndistricts ? m->ndistricts : 1, 1);
  struct rc_district_rec *r = malloc(sizeof *r);
  if (!seen || !r) {
    free(seen);
    free(r);
    fv->oom = 1;
    goto out;
  }
  long prev = -1;
  size_t line = 1;
  for (size_t i = 0; i < n; i++) {
    if (i > 0) {
      for (size_t k = starts[i - 1]; k < starts[i]; k++)
        if (buf[k] == '\n') line++;
    }
    if (rc_parse_district(buf + starts[i], lens[i], r, &err) != RC_OK) {
      fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, NULL, NULL, "districts.txt",
           line + (err.line ? err.line - 1 : 0), "record %zu: %s%s%s", i + 1,
           err.field[0] ? err.field : "", err.field[0] ? ": " : "", err.msg);
      continue;
    }
    long d = rc_manifest_district(m, r->district, strlen(r->district));
    if (d < 0) {
      fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, r->district, NULL,
           "districts.txt", line, "record for district %s, which is not in "
           "the manifest", r->district);
      continue;
    }
    if (seen[d]) {
      fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, r->district, NULL,
           "districts.txt", line, "second record for district %s",
           r->district);
      continue;
    }
    seen[d] = 1;
    if (d < prev)
      fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, r->district, NULL,
           "districts.txt", line,
           "record for district %s is out of district-id order", r->district);
    prev = d;
    const char *did = m->districts[d].id;
    if (strcmp(r->election, m->election) != 0)
      fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, did, NULL, "districts.txt",
           line + 1, "district %s: election %s, the manifest's is %s", did,
           r->election, m->election);
    int same = r->nvotes == m->nchoices;
    for (size_t c = 0; same && c < r->nvotes; c++)
      same = !strcmp(r->votes[c].choice, m->choices[c].id);
    if (!same)
      fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, did, NULL, "districts.txt", line,
           "district %s: the vote lines are not the manifest's choices in "
           "ballot order",
           did);
    const struct rc_district_result *dr = &rep->districts[d];
    if (CRYPTO_memcmp(r->root, dr->root, 32) != 0) {
      char a[48], b[48];
      rc_b64_encode(r->root, 32, a);
      rc_b64_encode(dr->root, 32, b);
      fadd(fv, RC_F_DISTRICT_ROOT_MISMATCH, did, NULL, "districts.txt",
           line + 5, "district %s: root %s in districts.txt, recomputed %s "
           "over %llu sheet texts",
           did, a, b, (unsigned long long)dr->sheets);
    }
    const enum rc_code T = RC_F_DISTRICT_TOTAL_MISMATCH;
    cmp_fig(fv, T, did, "stations", r->stations, dr->stations);
    cmp_fig(fv, T, did, "sheets", r->sheets, dr->sheets);
    cmp_fig(fv, T, did, "registered", r->registered, dr->totals.registered);
    cmp_fig(fv, T, did, "ballots", r->ballots, dr->totals.ballots);
    cmp_fig(fv, T, did, "invalid", r->invalid, dr->totals.invalid);
    cmp_fig(fv, T, did, "blank", r->blank, dr->totals.blank);
    cmp_fig(fv, T, did, "excluded", r->excluded, dr->totals.excluded);
    for (size_t c = 0; same && c < r->nvotes; c++) {
      char what[RC_ID_MAX + 8];
      snprintf(what, sizeof what, "vote %s", r->votes[c].choice);
      cmp_fig(fv, T, did, what, r->votes[c].count, dr->totals.votes[c]);
    }
  }
  for (size_t d = 0; d < m->ndistricts; d++)
    if (!seen[d])
      fadd(fv, RC_F_DISTRICT_RECORD_FORMAT, m->districts[d].id, NULL,
           "districts.txt", 0, "no record for district %s",
           m->districts[d].id);
  free(seen);
  free(r);
out:
  free(starts);
  free(lens);
  free(buf);
}

static void phase_checkpoint(struct engine *E, struct fvec *fv,
                             const rc_hash election_root, int have_root) {
  const struct rc_manifest *m = E->m;
  uint8_t *buf = NULL;
  const uint8_t *text;
  size_t tlen;
  (void)read_anchor_note(E, "checkpoint.note", RC_F_CHECKPOINT_SIGNATURE, fv,
                         &buf, &text, &tlen, RC_SMALL_TEXT_MAX, NULL);
  if (!text) goto out;
  struct rc_checkpoint c;
  struct rc_error err;
  if (rc_parse_checkpoint(text, tlen, &c, &err) != RC_OK) {
    fadd(fv, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note",
         err.line, "the checkpoint text cannot be read: %s", err.msg);
    goto out;
  }
  if (!m) goto out;
  if (strcmp(c.origin, m->origin) != 0)
    fadd(fv, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note", 1,
         "origin %s, the manifest's is %s", c.origin, m->origin);
  if (c.size != m->ndistricts)
    fadd(fv, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note", 2,
         "tree size %llu, the manifest has %zu districts",
         (unsigned long long)c.size, m->ndistricts);
  if (have_root && CRYPTO_memcmp(c.root, election_root, 32) != 0) {
    char a[48], b[48];
    rc_b64_encode(c.root, 32, a);
    rc_b64_encode(election_root, 32, b);
    fadd(fv, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note", 3,
         "root %s, but the records in districts.txt hash to %s", a, b);
  }
  if (CRYPTO_memcmp(c.manifest_hash, E->rep->manifest_text_hash, 32) != 0)
    fadd(fv, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note", 4,
         "the manifest hash does not match manifest.note");
out:
  free(buf);
}

/* value of one published figure, recomputed */
static int fig_value(const struct rc_totals *t, const struct rc_manifest *m,
                     const struct rc_figure *f, uint64_t *num,
                     uint64_t *den) {
  long ci = -1;
  if (f->kind == RC_FIG_VOTE || f->kind == RC_FIG_SHARE) {
    for (size_t c = 0; c < m->nchoices; c++)
      if (!strcmp(m->choices[c].id, f->choice)) ci = (long)c;
    if (ci < 0) return -1;
  }
  *den = 1;
  switch (f->kind) {
  case RC_FIG_REGISTERED: *num = t->registered; break;
  case RC_FIG_BALLOTS: *num = t->ballots; break;
  case RC_FIG_INVALID: *num = t->invalid; break;
  case RC_FIG_BLANK: *num = t->blank; break;
  case RC_FIG_EXCLUDED: *num = t->excluded; break;
  case RC_FIG_VALID: *num = t->valid; break;
  case RC_FIG_VOTE: *num = t->votes[ci]; break;
  case RC_FIG_SHARE: *num = t->votes[ci]; *den = t->valid; break;
  case RC_FIG_TURNOUT: *num = t->ballots; *den = t->registered; break;
  default: return -1;
  }
  return 0;
}

static void phase_published(struct engine *E, struct fvec *fv) {
  const struct rc_manifest *m = E->m;
  struct rc_record_report *rep = E->rep;
  uint8_t *buf = NULL;
  const uint8_t *text;
  size_t tlen;
  int present = 1;
  struct rc_published p = {0};
  (void)read_anchor_note(E, "published.note", RC_F_PUBLISHED_SIGNATURE, fv,
                         &buf, &text, &tlen, RC_SMALL_TEXT_MAX, &present);
  if (!present) goto out;
  rep->have_published = 1;
  if (!text) goto out;
  struct rc_error err;
  if (rc_parse_published(text, tlen, &p, &err) != RC_OK ||
      rc_published_check_manifest(&p, m, &err) != RC_OK) {
    fadd(fv, RC_F_PUBLISHED_FORMAT, NULL, NULL, "published.note", err.line,
         "%s%s%s", err.field[0] ? err.field : "", err.field[0] ? ": " : "",
         err.msg);
    goto out;
  }
  rep->figs = calloc(p.nfigs, sizeof *rep->figs);
  if (!rep->figs) {
    fv->oom = 1;
    goto out;
  }
  rep->nfigs = p.nfigs;
  for (size_t i = 0; i < p.nfigs; i++) {
    struct rc_fig_result *r = &rep->figs[i];
    const struct rc_figure *f = &p.figs[i];
    r->fig = *f;
    const struct rc_totals *t = &rep->totals;
    const char *d = NULL;
    if (f->district[0]) {
      long di = rc_manifest_district(m, f->district, strlen(f->district));
      if (di < 0) continue; /* checked by check_manifest */
      t = &rep->districts[di].totals;
      d = f->district;
    }
    if (fig_value(t, m, f, &r->num, &r->den) != 0) continue;
    int pct = f->kind == RC_FIG_SHARE || f->kind == RC_FIG_TURNOUT;
    r->ok = !t->overflow && (pct ? rc_percent_matches(&f->pct, r->num, r->den)
                                 : r->num == f->count);
    if (!r->ok) {
      struct rc_buf b = {0};
      rc_buf_puts(&b, rc_fig_str(f->kind));
      if (f->choice[0]) {
        rc_buf_putc(&b, ' ');
        rc_buf_puts(&b, f->choice);
      }
      rc_buf_putc(&b, 0);
      const char *name = b.oom ? "figure" : (const char *)b.p;
      if (pct) {
        struct rc_buf v = {0};
        rc_percent_encode(&f->pct, &v);
        rc_buf_putc(&v, 0);
        struct rc_percent got;
        struct rc_buf g = {0};
        if (rc_percent_from_ratio(r->num, r->den, f->pct.decimals, &got) == 0)
          rc_percent_encode(&got, &g);
        else
          rc_buf_puts(&g, "undefined");
        rc_buf_putc(&g, 0);
        fadd(fv, RC_F_PUBLISHED_MISMATCH, d, NULL, "published.note", f->line,
             "%s%s%s%s published %s %%, recomputed %s %% (%llu / %llu)",
             d ? "district " : "", d ? d : "", d ? ": " : "", name,
             v.oom ? "?" : (const char *)v.p, g.oom ? "?" : (const char *)g.p,
             (unsigned long long)r->num, (unsigned long long)r->den);
        rc_buf_free(&v);
        rc_buf_free(&g);
      } else {
        fadd(fv, RC_F_PUBLISHED_MISMATCH, d, NULL, "published.note", f->line,
             "%s%s%s%s published %llu, recomputed %llu",
             d ? "district " : "", d ? d : "", d ? ": " : "", name,
             (unsigned long long)f->count, (unsigned long long)r->num);
      }
      rc_buf_free(&b);
    }
  }
out:
  rc_published_free(&p);
  free(buf);
}

/* ------------------------------------------------------------------ */

int rc_record_check(const char *root, const struct rc_record_opts *o,
                    struct rc_record_report *rep) {
  memset(rep, 0, sizeof *rep);
  rep->mode = o->mode;
  struct engine E = {.o = o, .rep = rep, .root = root, .rootfd = -1};
  struct state S = {0};
  struct fvec fv = {0};
  struct rc_record_opts oo = *o;
  if (!oo.threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    oo.threads = n > 0 ? (unsigned)n : 1;
  }
  E.o = &oo;
  E.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (E.rootfd < 0) {
    rep->fatal = 1;
    snprintf(rep->fatal_msg, sizeof rep->fatal_msg,
             "%s: cannot open the record directory: %s", root,
             strerror(errno));
    return 2;
  }
  phase_manifest(&E, &fv);
  if (E.m && !fv.oom) {
    size_t nd = E.m->ndistricts;
    S.known = calloc(E.m->nstations ? E.m->nstations : 1, sizeof *S.known);
    S.dt = calloc(nd ? nd : 1, sizeof *S.dt);
    rep->districts = calloc(nd ? nd : 1, sizeof *rep->districts);
    if (!S.known || !S.dt || !rep->districts) fv.oom = 1;
  }
  if (E.m && !fv.oom) {
    phase_sheets(&E, &S, &fv);
    phase_stations(&E, &S, &fv);
    phase_trees(&E, &S, &fv);
    phase_totals(&E, &fv);
  }
  if (!o->sheets_only && !fv.oom) {
    rc_hash eroot;
    int have_root = 0;
    if (E.m) phase_districts(&E, &fv, eroot, &have_root);
    phase_checkpoint(&E, &fv, eroot, have_root);
    if (E.m) phase_published(&E, &fv);
  }
  /* cleanup of the engine state */
  if (S.known) {
    for (size_t i = 0; i < E.m->nstations; i++) free(S.known[i].more);
    free(S.known);
  }
  for (size_t i = 0; i < S.nunknown; i++) {
    free(S.unknown[i].s.more);
    free(S.unknown[i].id);
  }
  free(S.unknown);
  free(S.uidx);
  free(S.dt);
  if (o->keep_leaves) {
    rep->files = E.files;
    rep->nfiles = E.nfiles;
  } else {
    for (size_t i = 0; i < E.nfiles; i++) free(E.files[i]);
    free(E.files);
  }
  free(E.station_weak);
  close(E.rootfd);
  rep->findings = fv.v;
  rep->nfindings = fv.n;
  rep->findings_cap = fv.cap;
  for (size_t i = 0; i < fv.n; i++) {
    if (rc_code_severity(fv.v[i].code) == RC_SEV_ERROR)
      rep->nerrors++;
    else
      rep->nwarnings++;
  }
  if (fv.oom) {
    rep->fatal = 1;
    snprintf(rep->fatal_msg, sizeof rep->fatal_msg, "out of memory");
    return 2;
  }
  return 0;
}

void rc_record_report_free(struct rc_record_report *rep) {
  for (size_t i = 0; i < rep->nfindings; i++) finding_free(&rep->findings[i]);
  free(rep->findings);
  if (rep->districts && rep->have_manifest) {
    for (size_t d = 0; d < rep->manifest.ndistricts; d++) {
      struct rc_district_result *dr = &rep->districts[d];
      if (dr->leaf_station)
        for (size_t i = 0; i < dr->sheets; i++) free(dr->leaf_station[i]);
      free(dr->leaf_station);
      free(dr->leaves);
    }
  }
  free(rep->districts);
  for (size_t i = 0; i < rep->nfiles; i++) free(rep->files[i]);
  free(rep->files);
  free(rep->figs);
  if (rep->have_manifest) rc_manifest_free(&rep->manifest);
  memset(rep, 0, sizeof *rep);
}

int rc_record_encode_district(const struct rc_record_report *rep, size_t d,
                              struct rc_buf *b) {
  const struct rc_manifest *m = &rep->manifest;
  const struct rc_district_result *dr = &rep->districts[d];
  struct rc_district_rec *r = calloc(1, sizeof *r);
  if (!r) return RC_ERR_NOMEM;
  memcpy(r->election, m->election, sizeof r->election);
  memcpy(r->district, m->districts[d].id, sizeof r->district);
  r->stations = dr->stations;
  r->sheets = dr->sheets;
  memcpy(r->root, dr->root, 32);
  r->registered = dr->totals.registered;
  r->ballots = dr->totals.ballots;
  r->invalid = dr->totals.invalid;
  r->blank = dr->totals.blank;
  r->excluded = dr->totals.excluded;
  r->nvotes = m->nchoices;
  for (size_t c = 0; c < m->nchoices; c++) {
    memcpy(r->votes[c].choice, m->choices[c].id, sizeof r->votes[c].choice);
    r->votes[c].count = dr->totals.votes[c];
  }
  int rc = rc_encode_district(r, b);
  free(r);
  return rc;
}
