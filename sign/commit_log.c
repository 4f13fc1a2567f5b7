/* commit_log.c — the release log `commit` writes (commit_log.h). */
#include "commit_log.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* One sheet of the checked record: a district-tree leaf. */
struct lref {
  const char *station;
  const uint8_t *leaf, *sha;
  size_t d, i; /* district, position in its tree: bytes order */
  int logged;  /* already in the earlier release */
};

static int cmp_lref(const void *a, const void *b) {
  const struct lref *x = a, *y = b;
  int c = strcmp(x->station, y->station);
  if (c) return c;
  if (x->d != y->d) return x->d < y->d ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

static enum rc_outcome fail(struct rc_commit_result *res, enum rc_outcome out,
                            enum rc_err code, const char *why) {
  snprintf(res->why, sizeof res->why, "%s", why);
  if (res->err.code == RC_OK) res->err.code = code;
  return out;
}

/* Every leaf of every district tree, sorted: station id, then bytes (the
 * trees already order one station's texts by bytes). */
static struct lref *collect(const struct rc_record_report *rep, size_t *n) {
  size_t total = 0, k = 0;
  for (size_t d = 0; d < rep->manifest.ndistricts; d++)
    total += rep->districts[d].sheets;
  struct lref *v = malloc((total ? total : 1) * sizeof *v);
  if (!v) return NULL;
  for (size_t d = 0; d < rep->manifest.ndistricts; d++) {
    const struct rc_district_result *dr = &rep->districts[d];
    for (size_t i = 0; i < dr->sheets; i++)
      v[k++] = (struct lref){
          dr->leaf_station[i], dr->leaves[i], dr->leaf_sha[i], d, i, 0};
  }
  qsort(v, total, sizeof *v, cmp_lref);
  *n = total;
  return v;
}

/* The sheet with this hash, by binary search within its station (the
 * record has few texts per station), or NULL. */
static struct lref *find(struct lref *v, size_t n, const char *station,
                         const uint8_t *sha) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(v[mid].station, station) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < n && !strcmp(v[lo].station, station); lo++)
    if (!CRYPTO_memcmp(v[lo].sha, sha, 32)) return &v[lo];
  return NULL;
}

/* Appends the earlier release's entries (all must be sheets of this
 * record) to log and their leaves to the tree. */
static enum rc_outcome keep_previous(struct rc_commit_result *res,
                                     const char *previous, struct lref *v,
                                     size_t n, struct rc_buf *log,
                                     struct rc_merkle_stream *ms) {
  char path[2048];
  uint8_t *buf = NULL;
  size_t len = 0;
  struct rc_log l = {0};
  struct rc_error err;
  char why[sizeof res->why], id[RC_ID_MAX + 1];
  enum rc_outcome out = RC_FAILED;
  if ((size_t)snprintf(path, sizeof path, "%s/log.txt", previous) >=
      sizeof path) {
    out = fail(res, RC_FAILED, RC_ERR_USAGE, "--previous: path too long");
    goto out;
  }
  if (rc_read_file(path, RC_LOG_FILE_MAX, &buf, &len, &err) != RC_OK) {
    snprintf(why, sizeof why, "--previous: %s", err.msg);
    out = fail(res, RC_FAILED, RC_ERR_IO, why);
    goto out;
  }
  if (rc_parse_log(buf, len, &l, &err) != RC_OK) {
    snprintf(why, sizeof why, "--previous: %s line %zu: %s: %s", path, err.line,
             err.field, err.msg);
    out = fail(res, RC_FAILED, err.code, why);
    goto out;
  }
  for (size_t i = 0; i < l.n; i++) {
    memcpy(id, buf + l.v[i].id_off, l.v[i].id_len);
    id[l.v[i].id_len] = 0;
    struct lref *r = find(v, n, id, l.v[i].sha);
    if (!r || r->logged) {
      snprintf(why, sizeof why,
               r ? "refused: station %s: %s line %zu repeats a sheet"
                 : "refused: station %s: its sheet in the earlier release "
                   "(%s line %zu) is gone or changed in this record; a "
                   "release log only grows",
               id, path, i + 1);
      out = fail(res, RC_REFUSED, RC_ERR_USAGE, why);
      goto out;
    }
    r->logged = 1;
    if (rc_encode_log_entry(id, r->sha, log) != RC_OK) goto out;
    rc_merkle_stream_push(ms, r->leaf);
  }
  out = RC_DONE;
out:
  rc_log_free(&l);
  free(buf);
  return out;
}

enum rc_outcome rc_commit_log(struct rc_commit_result *res,
                              const char *previous, struct rc_buf *log,
                              struct rc_checkpoint *c) {
  size_t n = 0;
  struct lref *v = collect(&res->rep, &n);
  struct rc_merkle_stream ms;
  enum rc_outcome out = RC_DONE;
  if (!v) return fail(res, RC_FAILED, RC_ERR_NOMEM, "out of memory");
  rc_merkle_stream_init(&ms);
  if (previous) out = keep_previous(res, previous, v, n, log, &ms);
  for (size_t i = 0; i < n && out == RC_DONE; i++) {
    if (v[i].logged) continue;
    if (rc_encode_log_entry(v[i].station, v[i].sha, log) != RC_OK)
      out = fail(res, RC_FAILED, RC_ERR_NOMEM, "cannot encode log.txt");
    rc_merkle_stream_push(&ms, v[i].leaf);
  }
  if (out == RC_DONE && log->oom)
    out = fail(res, RC_FAILED, RC_ERR_NOMEM, "out of memory");
  if (out == RC_DONE) {
    c->size = ms.count;
    rc_merkle_stream_root(&ms, c->root);
  }
  free(v);
  return out;
}
