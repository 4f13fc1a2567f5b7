/* cli_prove.c — `recount-sign prove`: one station's receipt, or every
 * station's with --all DIR (sign/prove.c makes them; this file writes
 * them, atomically and never over an existing file). */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "keys.h"
#include "text.h"
#include "texts.h"

#define PROG "recount-sign prove"

const char rc_cli_prove_usage[] =
    "prove RECORD --anchor COMMISSION_VKEY (--station S [--out FILE] "
    "[--force] | --all DIR)";
const char rc_cli_prove_help[] =
    "Writes a station's receipt, S.tlog-proof (c2sp.org/tlog-proof@v1): its\n"
    "signed sheet, its index in the release log, the inclusion proof and the\n"
    "signed checkpoint with its cosignatures. `recount-verify receipt`\n"
    "checks it offline; so can any C2SP tlog-proof verifier. --out FILE\n"
    "writes elsewhere (- for standard output); an existing file is kept\n"
    "unless --force. --all DIR writes DIR/S.tlog-proof for every station\n"
    "whose sheet is in the release log, in one pass (DIR must be new or\n"
    "empty, and not inside RECORD). The record is checked first; any error\n"
    "finding but an undetermined outcome refuses it.";

struct writer {
  struct rc_commit_result *res;
  const char *dir; /* --all, or NULL */
  const char *out; /* one station: the file, "-" for stdout */
  int force;
  int made_dir;   /* --all: this run created dir */
  char **written; /* --all: the receipts written, removed on failure */
  size_t nwritten, cap;
};

static int write_one(void *ctx, const char *station, const struct rc_buf *b) {
  struct writer *w = ctx;
  struct rc_error err;
  char path[PATH_MAX];
  const char *p = w->out;
  if (w->dir) {
    int n = snprintf(path, sizeof path, "%s/%s.tlog-proof", w->dir, station);
    if (n < 0 || (size_t)n >= sizeof path) {
      snprintf(w->res->why, sizeof w->res->why,
               "%s/%s.tlog-proof: path too long", w->dir, station);
      return -1;
    }
    if (!w->made_dir && !w->nwritten) {
      if (mkdir(w->dir, 0755) == 0) w->made_dir = 1;
      else if (errno != EEXIST) {
        snprintf(w->res->why, sizeof w->res->why,
                 "--all %s: cannot create it: %s", w->dir, strerror(errno));
        return -1;
      }
    }
    if (w->nwritten == w->cap) {
      size_t cap = w->cap ? 2 * w->cap : 1024;
      char **v = realloc(w->written, cap * sizeof *v);
      if (!v) {
        snprintf(w->res->why, sizeof w->res->why, "out of memory");
        return -1;
      }
      w->written = v;
      w->cap = cap;
    }
    p = path;
  }
  if (!strcmp(p, "-")) {
    if (fwrite(b->p, 1, b->len, stdout) == b->len && fflush(stdout) == 0)
      return 0;
    snprintf(w->res->why, sizeof w->res->why,
             "cannot write to standard output");
    return -1;
  }
  int rc = rc_write_atomic(p, b->p, b->len, 0644, w->force, &err);
  if (rc != RC_OK) {
    snprintf(w->res->why, sizeof w->res->why, "%s", err.msg);
    return rc == RC_ERR_EXISTS ? 1 : -1;
  }
  if (w->dir && !(w->written[w->nwritten++] = strdup(p))) {
    unlink(p);
    w->nwritten--;
    snprintf(w->res->why, sizeof w->res->why, "out of memory");
    return -1;
  }
  return 0;
}

/* A run that did not finish leaves nothing of its own behind: the
 * receipts written so far, and the directory when it made it. */
static void undo(struct writer *w) {
  for (size_t i = 0; i < w->nwritten; i++) unlink(w->written[i]);
  if (w->made_dir) rmdir(w->dir);
}

/* 1 when path, or the directory it would be created in, lies inside
 * record (the record is never written into), else 0. */
static int inside(const char *path, const char *record) {
  char rd[PATH_MAX], pd[PATH_MAX];
  if (!realpath(record, rd)) return 0;
  char *copy = strdup(path);
  if (!copy) return 0;
  int found = realpath(path, pd) != NULL;
  if (!found) found = realpath(dirname(copy), pd) != NULL;
  free(copy);
  size_t n = strlen(rd);
  return found && !strncmp(pd, rd, n) && (pd[n] == '/' || pd[n] == 0);
}

/* --all DIR: refuses one inside the record, one that is not a directory
 * or that holds anything. Nothing is created here (write_one creates DIR
 * once the record has passed its check). Returns 0 or the exit status. */
static int ready_dir(const char *dir, const char *record) {
  if (inside(dir, record)) {
    fprintf(stderr,
            PROG ": --all %s: the directory is inside the record %s; "
                 "receipts are written outside it\n",
            dir, record);
    return 1;
  }
  struct stat st;
  if (lstat(dir, &st) != 0) {
    if (errno == ENOENT) return 0;
    fprintf(stderr, PROG ": --all %s: %s\n", dir, strerror(errno));
    return 2;
  }
  DIR *d = S_ISDIR(st.st_mode) ? opendir(dir) : NULL;
  if (!d) {
    fprintf(stderr, PROG ": --all %s: not a directory I can read\n", dir);
    return 2;
  }
  struct dirent *e;
  int empty = 1;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
  closedir(d);
  if (!empty) {
    fprintf(stderr,
            PROG ": --all %s: the directory is not empty; receipts go into a "
                 "new or empty one, so that none is mixed with another "
                 "release's\n",
            dir);
    return 1;
  }
  return 0;
}

int rc_cli_prove(int argc, char **argv) {
  const char *record = NULL, *station = NULL, *anchor = NULL, *out = NULL;
  const char *all = NULL;
  int force = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--station") && i + 1 < argc) station = argv[++i];
    else if (!strcmp(argv[i], "--anchor") && i + 1 < argc) anchor = argv[++i];
    else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--all") && i + 1 < argc) all = argv[++i];
    else if (!strcmp(argv[i], "--force")) force = 1;
    else if (argv[i][0] != '-' && !record) record = argv[i];
    else {
      fprintf(stderr, PROG ": bad argument: %s\nusage: recount-sign %s\n",
              argv[i], rc_cli_prove_usage);
      return 2;
    }
  }
  if (!record || !anchor || !station == !all || (all && (out || force))) {
    fprintf(stderr,
            PROG ": RECORD, --anchor and one of --station S or --all DIR "
                 "are required (--out and --force go with --station)\n"
                 "usage: recount-sign %s\n",
            rc_cli_prove_usage);
    return 2;
  }
  struct rc_vkey a;
  char nb[RC_KEYNAME_MAX + 1];
  struct rc_error err;
  if (rc_vkey_read_file(anchor, &a, nb, &err) != RC_OK) {
    fprintf(stderr, PROG ": %s\n", err.msg);
    return 2;
  }
  char deflt[RC_ID_MAX + 16];
  if (station && !out) {
    if (!rc_id_valid(station, strlen(station))) {
      fprintf(stderr, PROG ": --station %s: not a station id\n", station);
      return 1;
    }
    snprintf(deflt, sizeof deflt, "%s.tlog-proof", station);
    out = deflt;
  }
  int st = all ? ready_dir(all, record) : 0;
  if (st) return st;
  if (!all && strcmp(out, "-") && inside(out, record)) {
    fprintf(stderr,
            PROG ": %s: inside the record %s; a receipt is written outside "
                 "it\n",
            out, record);
    return 1;
  }
  struct rc_commit_result res;
  struct writer w = {.res = &res, .dir = all, .out = out, .force = force};
  rc_write_defer_sync(all != NULL);
  enum rc_outcome o =
      rc_prove_each(record, &a, station, 0, write_one, &w, &res);
  rc_write_defer_sync(0);
  if (all && o == RC_DONE && rc_sync_dir(all, &err) != RC_OK) {
    snprintf(res.why, sizeof res.why, "%s", err.msg);
    o = RC_FAILED;
  }
  if (all && o != RC_DONE) undo(&w);
  for (size_t i = 0; i < w.nwritten; i++) free(w.written[i]);
  free(w.written);
  if (o == RC_DONE && all) {
    size_t nst = res.rep.manifest.nstations;
    char a1[32], a2[32], a3[32];
    fprintf(stderr,
            "wrote %s receipts to %s, one per station whose sheet is in the "
            "release log of %s sheets; %s station%s of the manifest %s no "
            "counted sheet and no receipt\n",
            rc_fmt_count(a1, res.receipts), all, rc_fmt_count(a2, res.log_size),
            rc_fmt_count(a3, nst - res.receipts),
            nst - res.receipts == 1 ? "" : "s",
            nst - res.receipts == 1 ? "has" : "have");
  } else if (o == RC_DONE && strcmp(out, "-"))
    fprintf(stderr, "wrote %s\n", out);
  return rc_cli_commit_outcome("prove", o, &res);
}
