/* recount-gen — deterministic record generator.
 *
 *   recount-gen krd --csv districts.csv --out RECORD --anchor-out VKEY
 *                   [--keys-out FILE] [--preliminary-out RECORD]
 *       the 2017 Kurdistan Region referendum record from the district
 *       table: every district's figures are spread over its stations so
 *       that each station balances and every column sums exactly.
 *       (v1.1) With --preliminary-out, also the preliminary release of
 *       polling night: 60 % of each district's stations (the first by
 *       id), published in the table's row order (the region's districts
 *       first, the diaspora last), with its own published.note of the
 *       partial figures; the final log extends its log.
 *   recount-gen synthetic --sheets N --districts D --out RECORD
 *                   --anchor-out VKEY
 *       a large synthetic record for benchmarks (not committed).
 *
 * Everything is derived from SEED below: station keys are TEST KEYS,
 * published so that anyone can regenerate the record byte for byte.
 * Station-level figures are synthetic; only the regional totals are real.
 * Commitments (districts.txt, log.txt, checkpoint) are computed here directly
 * from the generated leaves; the tests check that `recount-sign commit` and
 * `recount-verify` recompute exactly the same bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "b64.h"
#include "fileio.h"
#include "hash.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "signing.h"
#include "skey.h"
#include "texts.h"

#define SEED "recount/krd-2017/test-record/v1"

/* ---- deterministic randomness: splitmix64 ---- */
static uint64_t sm_next(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
/* uniform in [0, 1e6) */
static uint64_t sm_u6(uint64_t *s) { return sm_next(s) % 1000000u; }

static uint64_t seed_for(const char *what) {
  uint8_t h[32];
  rc_sha256_2(SEED, strlen(SEED), what, strlen(what), h);
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | h[i];
  return v;
}

/* A key derived from the seed: SHA-256(SEED || 0 || role || 0 || id). */
static int derive_key(struct rc_skey *k, const char *role, const char *id,
                      const char *name) {
  uint8_t seed[32];
  size_t a = strlen(SEED), b = strlen(role), c = strlen(id);
  uint8_t buf[512];
  if (a + b + c + 2 > sizeof buf) return -1;
  memcpy(buf, SEED, a);
  buf[a] = 0;
  memcpy(buf + a + 1, role, b);
  buf[a + 1 + b] = 0;
  memcpy(buf + a + 2 + b, id, c);
  rc_sha256(buf, a + b + c + 2, seed);
  struct rc_error err;
  int rc = rc_skey_from_seed(k, name, seed, &err);
  memset(seed, 0, sizeof seed);
  return rc == RC_OK ? 0 : -1;
}

/* ---- exact allocation ----
 * Splits total over n bins in proportion to w[i], never above cap[i]
 * (sum of caps must be >= total). Largest remainders get the leftover
 * units, ties by index; bins over their cap are clipped and the excess is
 * spread again over the bins with room. */
static int alloc(uint64_t total, size_t n, const uint64_t *w,
                 const uint64_t *cap, uint64_t *out) {
  uint64_t *ww = malloc(n * sizeof *ww);
  uint64_t *rem = malloc(n * sizeof *rem);
  size_t *ix = malloc(n * sizeof *ix);
  if (!ww || !rem || !ix) return -1;
  for (size_t i = 0; i < n; i++) {
    out[i] = 0;
    ww[i] = cap[i] ? w[i] : 0;
  }
  uint64_t left = total;
  while (left > 0) {
    unsigned __int128 W = 0;
    for (size_t i = 0; i < n; i++) W += ww[i];
    if (W == 0) {
      /* weights exhausted: fill any room in index order */
      for (size_t i = 0; i < n && left; i++) {
        uint64_t room = cap[i] - out[i];
        uint64_t t = room < left ? room : left;
        out[i] += t;
        left -= t;
      }
      if (left) goto fail;
      break;
    }
    uint64_t given = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      unsigned __int128 x = (unsigned __int128)left * ww[i];
      uint64_t q = (uint64_t)(x / W);
      rem[i] = (uint64_t)(x % W);
      uint64_t room = cap[i] - out[i];
      if (q > room) q = room;
      out[i] += q;
      given += q;
      if (ww[i] && out[i] < cap[i]) ix[m++] = i;
    }
    left -= given;
    /* leftover units: one each by largest remainder */
    for (size_t a = 0; a < m && left; a++) {
      size_t best = a;
      for (size_t b = a + 1; b < m && b < a + 64; b++)
        if (rem[ix[b]] > rem[ix[best]]) best = b;
      size_t t = ix[a];
      ix[a] = ix[best];
      ix[best] = t;
      if (out[ix[a]] < cap[ix[a]]) {
        out[ix[a]]++;
        left--;
      }
    }
    for (size_t i = 0; i < n; i++)
      if (out[i] >= cap[i]) ww[i] = 0;
  }
  free(ww);
  free(rem);
  free(ix);
  return 0;
fail:
  free(ww);
  free(rem);
  free(ix);
  return -1;
}

/* ---- the district table ---- */
struct drow {
  char id[RC_ID_MAX + 1];
  char name[RC_NAME_MAX + 1];
  char kind[32];
  size_t order; /* row of the table: the preliminary release's order */
  uint64_t stations, registered, ballots, yes, no, invalid, blank, excluded;
};

/* Splits one CSV line (with "quoted, fields") into at most max fields. */
static size_t csv_fields(char *line, char **f, size_t max) {
  size_t n = 0;
  char *p = line;
  while (n < max) {
    char *start = p, *o = p;
    if (*p == '"') {
      p++;
      for (;;) {
        if (!*p) break;
        if (*p == '"' && p[1] == '"') {
          *o++ = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else *o++ = *p++;
      }
      start = line + (start - line);
      f[n++] = start;
      char *end = o;
      while (*p && *p != ',') p++;
      int more = *p == ',';
      *end = 0;
      if (!more) break;
      p++;
      continue;
    }
    while (*p && *p != ',') p++;
    int more = *p == ',';
    *p = 0;
    f[n++] = start;
    if (!more) break;
    p++;
  }
  return n;
}

static int u64_field(const char *s, uint64_t *v) {
  if (!*s) {
    *v = 0;
    return 0;
  }
  uint64_t x = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return -1;
    x = x * 10 + (uint64_t)(*s - '0');
  }
  *v = x;
  return 0;
}

static int cmp_drow(const void *a, const void *b) {
  return strcmp(((const struct drow *)a)->id, ((const struct drow *)b)->id);
}

static struct drow *read_csv(const char *path, size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "recount-gen: %s: %s\n", path, strerror(errno));
    return NULL;
  }
  struct drow *rows = calloc(256, sizeof *rows);
  char line[2048];
  size_t k = 0, lineno = 0;
  while (rows && fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\r\n")] = 0;
    if (lineno == 1) continue; /* header */
    char *fl[16];
    if (csv_fields(line, fl, 16) != 14 || k == 256) {
      fprintf(stderr, "recount-gen: %s line %zu: expected 14 fields\n", path,
              lineno);
      goto bad;
    }
    struct drow *r = &rows[k];
    r->order = k;
    snprintf(r->id, sizeof r->id, "%s", fl[0]);
    snprintf(r->name, sizeof r->name, "%s", fl[3]);
    snprintf(r->kind, sizeof r->kind, "%s", fl[4]);
    uint64_t *dst[] = {&r->stations, &r->registered, &r->ballots, &r->yes,
                       &r->no,       &r->invalid,    &r->blank,   &r->excluded};
    for (int i = 0; i < 8; i++)
      if (u64_field(fl[6 + i], dst[i]) != 0) {
        fprintf(stderr, "recount-gen: %s line %zu field %d: not a number\n",
                path, lineno, 7 + i);
        goto bad;
      }
    if (!rc_id_valid(r->id, strlen(r->id)) ||
        r->yes + r->no + r->invalid + r->blank + r->excluded != r->ballots ||
        r->ballots > r->registered) {
      fprintf(stderr, "recount-gen: %s line %zu: row does not balance\n", path,
              lineno);
      goto bad;
    }
    k++;
  }
  fclose(f);
  qsort(rows, k, sizeof *rows, cmp_drow);
  *n = k;
  return rows;
bad:
  fclose(f);
  free(rows);
  return NULL;
}

/* ---- the record being built ---- */
/* One sheet for the release log (RECORD.md v1.1 §3). */
struct glog {
  char *station;
  rc_hash leaf, sha;
  uint64_t rank; /* in the preliminary release: 1 + its place; else 0 */
};

/* (v1.1) The preliminary release of a two-release record (krd
 * --preliminary-out): the first stations of each district, published in
 * the table's row order (the region's districts first, the diaspora
 * last). */
struct prelim {
  const char *out;
  struct rc_buf districts;
  struct rc_merkle_stream election;
  uint64_t ballots, invalid, blank, excluded, votes[2];
};

struct gen {
  const char *out;
  struct glog *log; /* every sheet, for log.txt */
  size_t nlog, caplog;
  struct prelim *pre; /* NULL: one release */
  struct rc_skey *commission, *witness, *station_key;
  struct rc_buf manifest, districts, keys;
  struct rc_merkle_stream election;
  size_t ndistricts;
  int list_keys; /* collect every station's signer key (krd only) */
};

static int mkdir_new(const char *p) {
  if (mkdir(p, 0755) != 0) {
    fprintf(stderr, "recount-gen: cannot create %s: %s\n", p, strerror(errno));
    return -1;
  }
  return 0;
}

static int write_out(const char *dir, const char *name,
                     const struct rc_buf *b) {
  char path[4096];
  struct rc_error err;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (b->oom || rc_write_atomic(path, b->p, b->len, 0644, 0, &err) != RC_OK) {
    fprintf(stderr, "recount-gen: %s\n", b->oom ? "out of memory" : err.msg);
    return -1;
  }
  return 0;
}

/* Appends a signed note of text t (t's bytes, then '\n', then the line). */
static int sign_append(struct rc_buf *out, const struct rc_skey *k,
                       const uint8_t *t, size_t n) {
  struct rc_vkey v;
  struct rc_buf sl = {0};
  rc_skey_vkey(k, &v);
  int rc = rc_note_sigline(&v, k->sk, t, n, &sl);
  rc_buf_put(out, t, n);
  rc_buf_putc(out, '\n');
  rc_buf_put(out, sl.p, sl.len);
  rc_buf_free(&sl);
  return rc;
}

static void vkey_line(struct rc_buf *b, const struct rc_skey *k) {
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  rc_vkey_encode(&v, b);
}

/* One station's figures. */
struct sfig {
  uint64_t registered, ballots, invalid, blank, excluded, votes[2];
};

/* Spreads a district's figures over n stations (see README). */
static int spread(const struct drow *r, size_t n, uint64_t *rng,
                  struct sfig *s) {
  uint64_t *w = malloc(n * sizeof *w), *cap = malloc(n * sizeof *cap),
           *v = malloc(n * sizeof *v), *room = malloc(n * sizeof *room);
  int rc = -1;
  if (!w || !cap || !v || !room) goto out;
  /* registered: about equal, +-15 % */
  for (size_t i = 0; i < n; i++) {
    w[i] = 850000 + sm_u6(rng) * 3 / 10;
    cap[i] = UINT64_MAX / 4;
  }
  if (alloc(r->registered, n, w, cap, v)) goto out;
  for (size_t i = 0; i < n; i++) s[i].registered = v[i];
  /* ballots: turnout varies +-10 % around the district's */
  for (size_t i = 0; i < n; i++) {
    w[i] = s[i].registered * (900000 + sm_u6(rng) / 5) / 1000;
    cap[i] = s[i].registered;
  }
  if (alloc(r->ballots, n, w, cap, v)) goto out;
  for (size_t i = 0; i < n; i++) {
    s[i].ballots = v[i];
    room[i] = v[i];
  }
  /* excluded, invalid, blank, no in turn; yes is what remains. Excluded
   * ballots cluster in fewer stations (wider spread of weights). */
  const uint64_t totals[4] = {r->excluded, r->invalid, r->blank, r->no};
  const uint64_t spreadw[4] = {1800000, 1000000, 1000000, 600000};
  for (int c = 0; c < 4; c++) {
    for (size_t i = 0; i < n; i++) {
      uint64_t noise = 1000000 - spreadw[c] / 2 + sm_next(rng) % spreadw[c];
      if (noise > 2000000) noise = 2000000;
      w[i] = room[i] * (noise / 1000 + 1);
      cap[i] = room[i];
    }
    if (alloc(totals[c], n, w, cap, v)) goto out;
    for (size_t i = 0; i < n; i++) {
      room[i] -= v[i];
      if (c == 0) s[i].excluded = v[i];
      if (c == 1) s[i].invalid = v[i];
      if (c == 2) s[i].blank = v[i];
      if (c == 3) s[i].votes[1] = v[i];
    }
  }
  for (size_t i = 0; i < n; i++) s[i].votes[0] = room[i];
  rc = 0;
out:
  free(w);
  free(cap);
  free(v);
  free(room);
  return rc;
}

static int log_add(struct gen *g, const char *station, const rc_hash leaf,
                   const uint8_t *text, size_t len, uint64_t rank) {
  if (g->nlog == g->caplog) {
    size_t cap = g->caplog ? 2 * g->caplog : 1024;
    struct glog *v = realloc(g->log, cap * sizeof *v);
    if (!v) return -1;
    g->log = v;
    g->caplog = cap;
  }
  struct glog *e = &g->log[g->nlog];
  e->station = malloc(strlen(station) + 1);
  if (!e->station) return -1;
  memcpy(e->station, station, strlen(station) + 1);
  memcpy(e->leaf, leaf, 32);
  rc_sha256(text, len, e->sha);
  e->rank = rank;
  g->nlog++;
  return 0;
}

/* The preliminary release's sheets first, in its order, then the others
 * in station-id order (one text per station, so no tie): what `commit
 * --previous` does. */
static int cmp_glog(const void *a, const void *b) {
  const struct glog *x = a, *y = b;
  if (x->rank || y->rank) {
    if (!x->rank || !y->rank) return x->rank ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
  }
  return strcmp(x->station, y->station);
}

/* log.txt of dir (with prelim_only, only the preliminary's sheets), and
 * the log tree into c. */
static int write_log(struct gen *g, const char *dir, int prelim_only,
                     struct rc_checkpoint *c) {
  struct rc_buf b = {0};
  struct rc_merkle_stream ms;
  int rc = -1;
  qsort(g->log, g->nlog, sizeof *g->log, cmp_glog);
  rc_merkle_stream_init(&ms);
  for (size_t i = 0; i < g->nlog; i++) {
    if (prelim_only && !g->log[i].rank) break;
    if (rc_encode_log_entry(g->log[i].station, g->log[i].sha, &b) != RC_OK)
      goto out;
    rc_merkle_stream_push(&ms, g->log[i].leaf);
  }
  c->size = ms.count;
  rc_merkle_stream_root(&ms, c->root);
  if (!b.oom && !write_out(dir, "log.txt", &b)) rc = 0;
out:
  rc_buf_free(&b);
  return rc;
}

/* The preliminary release's sheets file and district record of the
 * district whose final record is dr (pr: its sums over the first npre
 * stations). */
static int emit_prelim(struct gen *g, const struct rc_district_rec *dr,
                       struct rc_district_rec *pr,
                       const struct rc_merkle_stream *pms, size_t npre,
                       const struct rc_buf *psheets) {
  struct prelim *p = g->pre;
  memcpy(pr->election, dr->election, sizeof pr->election);
  memcpy(pr->district, dr->district, sizeof pr->district);
  pr->stations = dr->stations;
  pr->sheets = npre;
  pr->nvotes = dr->nvotes;
  for (size_t c = 0; c < dr->nvotes; c++)
    memcpy(pr->votes[c].choice, dr->votes[c].choice,
           sizeof pr->votes[c].choice);
  rc_merkle_stream_root(pms, pr->root);
  if (npre) {
    char name[RC_ID_MAX + 16];
    snprintf(name, sizeof name, "sheets/%s.txt", dr->district);
    if (write_out(p->out, name, psheets)) return -1;
  }
  if (p->districts.len) rc_buf_putc(&p->districts, '\n');
  size_t start = p->districts.len;
  if (rc_encode_district(pr, &p->districts) != RC_OK) return -1;
  rc_hash h;
  rc_merkle_leaf_hash(p->districts.p + start, p->districts.len - start, h);
  rc_merkle_stream_push(&p->election, h);
  return 0;
}

/* Writes a district's sheets file and appends its district record. */
static int emit_district(struct gen *g, const char *election,
                         const char *district, const char *const *choices,
                         size_t nchoices, size_t nstations, char **ids,
                         const struct sfig *s, struct rc_buf *stations_lines,
                         size_t npre, size_t order) {
  struct rc_buf sheets = {0}, psheets = {0};
  struct rc_sheet *sh = calloc(1, sizeof *sh);
  struct rc_district_rec *dr = calloc(1, sizeof *dr);
  struct rc_district_rec *pr = calloc(1, sizeof *pr);
  struct rc_merkle_stream ms, pms;
  int rc = -1;
  if (!sh || !dr || !pr) goto out;
  rc_merkle_stream_init(&ms);
  rc_merkle_stream_init(&pms);
  snprintf(dr->election, sizeof dr->election, "%s", election);
  snprintf(dr->district, sizeof dr->district, "%s", district);
  dr->stations = dr->sheets = nstations;
  dr->nvotes = nchoices;
  for (size_t i = 0; i < nstations; i++) {
    char kname[RC_KEYNAME_MAX + 1];
    snprintf(kname, sizeof kname, "TEST-KEY.%s", ids[i]);
    if (derive_key(g->station_key, "station", ids[i], kname)) goto out;
    /* manifest line */
    rc_buf_printf(stations_lines, "station %s %s %llu ", ids[i], district,
                  (unsigned long long)s[i].registered);
    vkey_line(stations_lines, g->station_key);
    rc_buf_putc(stations_lines, '\n');
    if (g->list_keys) {
      char t[RC_SKEY_TEXT_MAX];
      size_t tl = rc_skey_encode(g->station_key, t);
      rc_buf_put(&g->keys, t, tl);
      memset(t, 0, sizeof t);
    }
    /* the sheet */
    memset(sh, 0, sizeof *sh);
    snprintf(sh->election, sizeof sh->election, "%s", election);
    snprintf(sh->district, sizeof sh->district, "%s", district);
    snprintf(sh->station, sizeof sh->station, "%s", ids[i]);
    sh->registered = s[i].registered;
    sh->ballots = s[i].ballots;
    sh->invalid = s[i].invalid;
    sh->blank = s[i].blank;
    sh->excluded = s[i].excluded;
    sh->nvotes = nchoices;
    for (size_t c = 0; c < nchoices; c++) {
      snprintf(sh->votes[c].choice, sizeof sh->votes[c].choice, "%s",
               choices[c]);
      sh->votes[c].count = s[i].votes[c];
    }
    struct rc_buf t = {0};
    if (rc_encode_sheet(sh, &t) != RC_OK || t.oom) {
      rc_buf_free(&t);
      goto out;
    }
    rc_hash leaf;
    rc_merkle_leaf_hash(t.p, t.len, leaf);
    rc_merkle_stream_push(&ms, leaf);
    uint64_t rank = i < npre ? ((uint64_t)(order + 1) << 32) | i : 0;
    if (log_add(g, ids[i], leaf, t.p, t.len, rank) != 0) {
      rc_buf_free(&t);
      goto out;
    }
    size_t at = sheets.len;
    int src = sign_append(&sheets, g->station_key, t.p, t.len);
    rc_buf_free(&t);
    if (src != RC_OK) goto out;
    if (i < npre) { /* the same signed note in the preliminary release */
      rc_buf_put(&psheets, sheets.p + at, sheets.len - at);
      rc_merkle_stream_push(&pms, leaf);
      struct prelim *p = g->pre;
      p->ballots += sh->ballots;
      p->invalid += sh->invalid;
      p->blank += sh->blank;
      p->excluded += sh->excluded;
      for (size_t c = 0; c < nchoices && c < 2; c++)
        p->votes[c] += sh->votes[c].count;
      pr->registered += sh->registered;
      pr->ballots += sh->ballots;
      pr->invalid += sh->invalid;
      pr->blank += sh->blank;
      pr->excluded += sh->excluded;
      for (size_t c = 0; c < nchoices; c++)
        pr->votes[c].count += sh->votes[c].count;
    }
    dr->registered += sh->registered;
    dr->ballots += sh->ballots;
    dr->invalid += sh->invalid;
    dr->blank += sh->blank;
    dr->excluded += sh->excluded;
    for (size_t c = 0; c < nchoices; c++) {
      snprintf(dr->votes[c].choice, sizeof dr->votes[c].choice, "%s",
               choices[c]);
      dr->votes[c].count += sh->votes[c].count;
    }
  }
  rc_merkle_stream_root(&ms, dr->root);
  if (g->pre && emit_prelim(g, dr, pr, &pms, npre, &psheets) != 0) goto out;
  /* only the --max-counts overflow record gets here with sums beyond what
   * a record can state: clamp them (the verifier reports the overflow) */
  uint64_t *figs[] = {&dr->registered,    &dr->ballots,  &dr->invalid,
                      &dr->blank,         &dr->excluded, &dr->votes[0].count,
                      &dr->votes[1].count};
  for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++)
    if (*figs[i] >= RC_COUNT_LIMIT) *figs[i] = RC_COUNT_LIMIT - 1;
  char name[RC_ID_MAX + 16];
  snprintf(name, sizeof name, "sheets/%s.txt", district);
  if (write_out(g->out, name, &sheets)) goto out;
  size_t start = g->districts.len;
  if (g->ndistricts) {
    rc_buf_putc(&g->districts, '\n');
    start = g->districts.len;
  }
  if (rc_encode_district(dr, &g->districts) != RC_OK) goto out;
  rc_hash h;
  rc_merkle_leaf_hash(g->districts.p + start, g->districts.len - start, h);
  rc_merkle_stream_push(&g->election, h);
  g->ndistricts++;
  rc = 0;
out:
  rc_buf_free(&sheets);
  rc_buf_free(&psheets);
  free(sh);
  free(dr);
  free(pr);
  return rc;
}

/* Writes manifest.note, districts.txt, log.txt, checkpoint.note and the
 * anchor. */
static int finish(struct gen *g, const struct rc_buf *manifest_text,
                  const char *origin, const char *anchor_out) {
  struct rc_buf mn = {0}, cp = {0}, cpt = {0}, av = {0};
  int rc = -1;
  if (manifest_text->oom) goto out;
  if (sign_append(&mn, g->commission, manifest_text->p, manifest_text->len))
    goto out;
  if (write_out(g->out, "manifest.note", &mn)) goto out;
  if (write_out(g->out, "districts.txt", &g->districts)) goto out;
  struct rc_checkpoint c = {0};
  snprintf(c.origin, sizeof c.origin, "%s", origin);
  c.ndistricts = g->ndistricts;
  rc_merkle_stream_root(&g->election, c.districts_root);
  if (write_log(g, g->out, 0, &c)) goto out;
  rc_sha256(manifest_text->p, manifest_text->len, c.manifest_hash);
  if (rc_encode_checkpoint(&c, &cpt) != RC_OK) goto out;
  if (sign_append(&cp, g->commission, cpt.p, cpt.len)) goto out;
  if (write_out(g->out, "checkpoint.note", &cp)) goto out;
  vkey_line(&av, g->commission);
  rc_buf_putc(&av, '\n');
  struct rc_error err;
  if (rc_write_atomic(anchor_out, av.p, av.len, 0644, 0, &err) != RC_OK) {
    fprintf(stderr, "recount-gen: %s\n", err.msg);
    goto out;
  }
  rc = 0;
out:
  rc_buf_free(&mn);
  rc_buf_free(&cp);
  rc_buf_free(&cpt);
  rc_buf_free(&av);
  return rc;
}

/* The preliminary release (g->pre): the same manifest, its districts.txt,
 * log.txt (the final log's first entries), checkpoint and the partial
 * figures announced on polling night. */
static int finish_prelim(struct gen *g, const struct rc_buf *manifest_text,
                         const char *origin) {
  struct prelim *p = g->pre;
  struct rc_buf mn = {0}, cp = {0}, cpt = {0}, pub = {0}, pubn = {0};
  struct rc_checkpoint c = {0};
  struct rc_percent pc;
  int rc = -1;
  if (sign_append(&mn, g->commission, manifest_text->p, manifest_text->len) ||
      write_out(p->out, "manifest.note", &mn) ||
      write_out(p->out, "districts.txt", &p->districts))
    goto out;
  snprintf(c.origin, sizeof c.origin, "%s", origin);
  c.ndistricts = g->ndistricts;
  rc_merkle_stream_root(&p->election, c.districts_root);
  rc_sha256(manifest_text->p, manifest_text->len, c.manifest_hash);
  if (write_log(g, p->out, 1, &c) || rc_encode_checkpoint(&c, &cpt) != RC_OK ||
      sign_append(&cp, g->commission, cpt.p, cpt.len) ||
      write_out(p->out, "checkpoint.note", &cp))
    goto out;
  uint64_t valid = p->votes[0] + p->votes[1];
  rc_buf_printf(&pub,
                "recount published v1\nelection krd-2017\nballots "
                "%llu\ninvalid %llu\nblank %llu\nexcluded %llu\n"
                "valid %llu\nvote yes %llu\nvote no %llu\n",
                (unsigned long long)p->ballots, (unsigned long long)p->invalid,
                (unsigned long long)p->blank, (unsigned long long)p->excluded,
                (unsigned long long)valid, (unsigned long long)p->votes[0],
                (unsigned long long)p->votes[1]);
  for (int i = 0; i < 2; i++) {
    if (rc_percent_from_ratio(p->votes[i], valid, 2, &pc) != 0) goto out;
    rc_buf_puts(&pub, i ? "share no " : "share yes ");
    rc_percent_encode(&pc, &pub);
    rc_buf_putc(&pub, '\n');
  }
  if (sign_append(&pubn, g->commission, pub.p, pub.len) ||
      write_out(p->out, "published.note", &pubn))
    goto out;
  rc = 0;
out:
  rc_buf_free(&mn);
  rc_buf_free(&cp);
  rc_buf_free(&cpt);
  rc_buf_free(&pub);
  rc_buf_free(&pubn);
  rc_buf_free(&p->districts);
  return rc;
}

static int setup(struct gen *g, const char *out, const char *cname) {
  memset(g, 0, sizeof *g);
  g->out = out;
  g->commission = rc_skey_new();
  g->witness = rc_skey_new();
  g->station_key = rc_skey_new();
  if (!g->commission || !g->witness || !g->station_key) return -1;
  if (derive_key(g->commission, "commission", "", cname)) return -1;
  if (derive_key(g->witness, "witness", "",
                 "TEST-KEY.observers.example/krd-2017"))
    return -1;
  rc_merkle_stream_init(&g->election);
  /* the key listing starts with the commission's and the witness's keys */
  char t[RC_SKEY_TEXT_MAX];
  size_t tl = rc_skey_encode(g->commission, t);
  rc_buf_put(&g->keys, t, tl);
  tl = rc_skey_encode(g->witness, t);
  rc_buf_put(&g->keys, t, tl);
  memset(t, 0, sizeof t);
  char p[4096];
  snprintf(p, sizeof p, "%s/sheets", out);
  if (mkdir_new(out) || mkdir_new(p)) return -1;
  return 0;
}

static void teardown(struct gen *g) {
  rc_skey_free(g->commission);
  rc_skey_free(g->witness);
  rc_skey_free(g->station_key);
  rc_buf_free(&g->manifest);
  rc_buf_free(&g->districts);
  for (size_t i = 0; i < g->nlog; i++) free(g->log[i].station);
  free(g->log);
  if (g->keys.p) memset(g->keys.p, 0, g->keys.cap);
  rc_buf_free(&g->keys);
}

static const char *arg(int argc, char **argv, const char *name) {
  for (int i = 0; i + 1 < argc; i++)
    if (!strcmp(argv[i], name)) return argv[i + 1];
  return NULL;
}

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int gen_krd(int argc, char **argv) {
  const char *csv = arg(argc, argv, "--csv"), *out = arg(argc, argv, "--out");
  const char *anchor = arg(argc, argv, "--anchor-out");
  const char *keys_out = arg(argc, argv, "--keys-out");
  const char *pre_out = arg(argc, argv, "--preliminary-out");
  if (!csv || !out || !anchor) {
    fprintf(stderr, "usage: recount-gen krd --csv FILE --out RECORD "
                    "--anchor-out VKEY [--keys-out FILE] "
                    "[--preliminary-out RECORD]\n");
    return 2;
  }
  size_t nd = 0;
  struct drow *rows = read_csv(csv, &nd);
  if (!rows) return 2;
  struct gen g;
  int status = 2;
  struct rc_buf stations = {0}, m = {0}, pub = {0}, pubn = {0};
  if (setup(&g, out, "TEST-KEY.khec.example/krd-2017")) goto out;
  g.list_keys = keys_out != NULL;
  struct prelim pre = {.out = pre_out};
  char psheets[4096];
  snprintf(psheets, sizeof psheets, "%s/sheets", pre_out ? pre_out : "");
  if (pre_out && (mkdir_new(pre_out) || mkdir_new(psheets))) goto out;
  rc_merkle_stream_init(&pre.election);
  if (pre_out) g.pre = &pre;
  static const char *const choices[] = {"yes", "no"};
  const char *election = "krd-2017", *origin = "khec.example/krd-2017";
  for (size_t d = 0; d < nd; d++) {
    const struct drow *r = &rows[d];
    /* the diaspora row has no physical stations: 20 electronic ones */
    size_t n = r->stations ? (size_t)r->stations : 20;
    struct sfig *s = calloc(n, sizeof *s);
    char **ids = calloc(n, sizeof *ids);
    uint64_t rng = seed_for(r->id);
    int ok = s && ids && spread(r, n, &rng, s) == 0;
    for (size_t i = 0; ok && i < n; i++) {
      ids[i] = malloc(RC_ID_MAX + 1);
      if (!ids[i]) ok = 0;
      else
        snprintf(ids[i], RC_ID_MAX + 1, "%s.%s%04zu", r->id,
                 r->stations ? "" : "e", i + 1);
    }
    if (ok) qsort(ids, n, sizeof *ids, cmp_cstr);
    /* the preliminary release: 60 % of each district's stations */
    size_t npre = g.pre ? (n * 3 + 4) / 5 : 0;
    if (ok)
      ok = emit_district(&g, election, r->id, choices, 2, n, ids, s, &stations,
                         npre, r->order) == 0;
    for (size_t i = 0; ids && i < n; i++) free(ids[i]);
    free(ids);
    free(s);
    if (!ok) {
      fprintf(stderr, "recount-gen: district %s failed\n", r->id);
      goto out;
    }
  }
  rc_buf_printf(&m, "recount manifest v1\nelection %s\norigin %s\n", election,
                origin);
  rc_buf_puts(&m, "title 2017 Kurdistan Region independence referendum — "
                  "ڕیفراندۆمی سەربەخۆیی کوردستان (SYNTHETIC station-level "
                  "record: only the regional totals are real)\n");
  rc_buf_puts(&m, "choice yes Yes — بەڵێ — نعم\n");
  rc_buf_puts(&m, "choice no No — نەخێر — لا\n");
  for (size_t d = 0; d < nd; d++)
    rc_buf_printf(&m, "district %s %s\n", rows[d].id, rows[d].name);
  rc_buf_puts(&m, "witness ");
  vkey_line(&m, g.witness);
  rc_buf_putc(&m, '\n');
  rc_buf_put(&m, stations.p, stations.len);
  if (finish(&g, &m, origin, anchor)) goto out;
  if (pre_out && finish_prelim(&g, &m, origin)) goto out;
  /* published figures: the commission's declaration of 27 Sep 2017 */
  rc_buf_puts(&pub,
              "recount published v1\nelection krd-2017\nregistered 4581255\n"
              "ballots 3305925\ninvalid 40011\nblank 9368\nexcluded 170611\n"
              "valid 3085935\nvote yes 2861471\nvote no 224464\n"
              "share yes 92.73\nshare no 7.27\nturnout 72.16\n");
  if (sign_append(&pubn, g.commission, pub.p, pub.len) ||
      write_out(out, "published.note", &pubn))
    goto out;
  if (keys_out) {
    struct rc_error err;
    if (rc_write_atomic(keys_out, g.keys.p, g.keys.len, 0644, 0, &err)) {
      fprintf(stderr, "recount-gen: %s\n", err.msg);
      goto out;
    }
  }
  status = 0;
out:
  teardown(&g);
  rc_buf_free(&stations);
  rc_buf_free(&m);
  rc_buf_free(&pub);
  rc_buf_free(&pubn);
  free(rows);
  return status;
}

static int gen_synthetic(int argc, char **argv) {
  const char *out = arg(argc, argv, "--out");
  const char *anchor = arg(argc, argv, "--anchor-out");
  const char *ns = arg(argc, argv, "--sheets"),
             *ds = arg(argc, argv, "--districts");
  const char *keys_out = arg(argc, argv, "--keys-out");
  int maxc = 0;
  for (int i = 0; i < argc; i++)
    if (!strcmp(argv[i], "--max-counts")) maxc = 1;
  uint64_t nsheets = 0, ndist = 0;
  if (!out || !anchor || !ns || u64_field(ns, &nsheets) || !nsheets ||
      (ds && (u64_field(ds, &ndist) || !ndist))) {
    fprintf(stderr, "usage: recount-gen synthetic --sheets N [--districts D] "
                    "--out RECORD --anchor-out VKEY [--keys-out FILE] "
                    "[--max-counts]\n");
    return 2;
  }
  if (!ndist) ndist = 100;
  if (ndist > nsheets) ndist = nsheets;
  struct gen g;
  int status = 2;
  struct rc_buf stations = {0}, m = {0};
  if (setup(&g, out, "TEST-KEY.bench.example/commission")) goto out;
  g.list_keys = keys_out != NULL;
  static const char *const choices[] = {"yes", "no"};
  rc_buf_printf(&m,
                "recount manifest v1\nelection bench\norigin "
                "bench.example/synthetic\ntitle Synthetic test record "
                "(%llu sheets)\nchoice yes Yes\nchoice no No\n",
                (unsigned long long)nsheets);
  uint64_t per = nsheets / ndist, extra = nsheets % ndist;
  for (uint64_t d = 0; d < ndist; d++)
    rc_buf_printf(&m, "district d%05llu District %llu\n", (unsigned long long)d,
                  (unsigned long long)d);
  rc_buf_puts(&m, "witness ");
  vkey_line(&m, g.witness);
  rc_buf_putc(&m, '\n');
  struct sfig tot = {0};
  uint64_t rng = seed_for("synthetic");
  for (uint64_t d = 0; d < ndist; d++) {
    size_t n = (size_t)(per + (d < extra ? 1 : 0));
    struct sfig *s = calloc(n, sizeof *s);
    char **ids = calloc(n, sizeof *ids);
    int ok = s && ids;
    for (size_t i = 0; ok && i < n; i++) {
      s[i].registered = 300 + sm_next(&rng) % 250;
      s[i].ballots = s[i].registered * (50 + sm_next(&rng) % 40) / 100;
      s[i].invalid = s[i].ballots / 100;
      s[i].blank = s[i].ballots / 300;
      s[i].excluded = s[i].ballots / 50;
      uint64_t valid = s[i].ballots - s[i].invalid - s[i].blank - s[i].excluded;
      s[i].votes[1] = valid * (sm_next(&rng) % 30) / 100;
      s[i].votes[0] = valid - s[i].votes[1];
      if (maxc) {
        /* each figure at the largest count allowed: the sums overflow
         * 64 bits after 18,447 sheets */
        memset(&s[i], 0, sizeof s[i]);
        s[i].registered = s[i].ballots = s[i].votes[0] = RC_COUNT_LIMIT - 1;
      }
      tot.registered += s[i].registered;
      tot.ballots += s[i].ballots;
      tot.invalid += s[i].invalid;
      tot.blank += s[i].blank;
      tot.excluded += s[i].excluded;
      tot.votes[0] += s[i].votes[0];
      tot.votes[1] += s[i].votes[1];
      ids[i] = malloc(48);
      if (!ids[i]) ok = 0;
      else snprintf(ids[i], 48, "s%05llu.%07zu", (unsigned long long)d, i);
    }
    char did[32];
    snprintf(did, sizeof did, "d%05llu", (unsigned long long)d);
    if (ok)
      ok = emit_district(&g, "bench", did, choices, 2, n, ids, s, &stations, 0,
                         0) == 0;
    for (size_t i = 0; ids && i < n; i++) free(ids[i]);
    free(ids);
    free(s);
    if (!ok) goto out;
  }
  rc_buf_put(&m, stations.p, stations.len);
  if (finish(&g, &m, "bench.example/synthetic", anchor)) goto out;
  if (!maxc) {
    /* published figures equal to the totals, percents at 2 decimals */
    struct rc_buf pub = {0}, pubn = {0};
    uint64_t valid = tot.votes[0] + tot.votes[1];
    rc_buf_printf(
        &pub,
        "recount published v1\nelection bench\nregistered "
        "%llu\nballots %llu\ninvalid %llu\nblank %llu\n"
        "excluded %llu\nvalid %llu\nvote yes %llu\nvote no "
        "%llu\n",
        (unsigned long long)tot.registered, (unsigned long long)tot.ballots,
        (unsigned long long)tot.invalid, (unsigned long long)tot.blank,
        (unsigned long long)tot.excluded, (unsigned long long)valid,
        (unsigned long long)tot.votes[0], (unsigned long long)tot.votes[1]);
    struct rc_percent pc;
    const uint64_t num[3] = {tot.votes[0], tot.votes[1], tot.ballots};
    const uint64_t den[3] = {valid, valid, tot.registered};
    const char *lbl[3] = {"share yes ", "share no ", "turnout "};
    for (int i = 0; i < 3; i++) {
      if (rc_percent_from_ratio(num[i], den[i], 2, &pc) != 0) continue;
      rc_buf_puts(&pub, lbl[i]);
      rc_percent_encode(&pc, &pub);
      rc_buf_putc(&pub, '\n');
    }
    int bad = sign_append(&pubn, g.commission, pub.p, pub.len) ||
              write_out(out, "published.note", &pubn);
    rc_buf_free(&pub);
    rc_buf_free(&pubn);
    if (bad) goto out;
  }
  if (keys_out) {
    struct rc_error err;
    if (rc_write_atomic(keys_out, g.keys.p, g.keys.len, 0644, 0, &err)) {
      fprintf(stderr, "recount-gen: %s\n", err.msg);
      goto out;
    }
  }
  status = 0;
out:
  teardown(&g);
  rc_buf_free(&stations);
  rc_buf_free(&m);
  return status;
}

static const char *gen_usage =
    "usage: recount-gen krd --csv FILE --out RECORD ... (see tools/gen.c)\n"
    "       recount-gen synthetic --sheets N ... (see tools/gen.c)\n"
    "       recount-gen --version\n";

int main(int argc, char **argv) {
  if (rc_args_split(&argc, &argv) != 0) return 2;
  if (rc_args_version(argc, argv, "recount-gen")) return 0;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(gen_usage, stdout);
      return 0;
    }
  if (rc_crypto_init() != 0 || rc_hash_init() != RC_OK) return 2;
  if (argc >= 2 && !strcmp(argv[1], "krd")) return gen_krd(argc - 2, argv + 2);
  if (argc >= 2 && !strcmp(argv[1], "synthetic"))
    return gen_synthetic(argc - 2, argv + 2);
  fprintf(stderr, "usage: recount-gen krd|synthetic ... (see tools/gen.c)\n");
  return 2;
}
