/* gen_util.c — recount-gen's deterministic randomness (splitmix64 from
 * SEED), derived test keys, exact allocation of a district's figures over
 * its stations, and writing files of the record. */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "b64.h"
#include "fileio.h"
#include "hash.h"
#include "keys.h"
#include "note.h"
#include "signing.h"

/* ---- deterministic randomness: splitmix64 ---- */
uint64_t gen_rand(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
/* uniform in [0, 1e6) */
static uint64_t sm_u6(uint64_t *s) { return gen_rand(s) % 1000000u; }

uint64_t gen_seed(const char *what) {
  uint8_t h[32];
  rc_sha256_2(SEED, strlen(SEED), what, strlen(what), h);
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | h[i];
  return v;
}

/* A key derived from the seed: SHA-256(SEED || 0 || role || 0 || id). */
int gen_derive_key(struct rc_skey *k, const char *role, const char *id,
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

int gen_mkdir_new(const char *p) {
  if (mkdir(p, 0755) != 0) {
    fprintf(stderr, "recount-gen: cannot create %s: %s\n", p, strerror(errno));
    return -1;
  }
  return 0;
}

int gen_write_out(const char *dir, const char *name, const struct rc_buf *b) {
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
int gen_sign_append(struct rc_buf *out, const struct rc_skey *k,
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

void gen_vkey_line(struct rc_buf *b, const struct rc_skey *k) {
  struct rc_vkey v;
  rc_skey_vkey(k, &v);
  rc_vkey_encode(&v, b);
}

/* Spreads a district's figures over n stations (see README). */
int gen_spread(const struct drow *r, size_t n, uint64_t *rng, struct sfig *s) {
  /* calloc: every entry is set before use, but gcc cannot see it once
   * alloc is inlined here */
  uint64_t *w = calloc(n ? n : 1, sizeof *w),
           *cap = calloc(n ? n : 1, sizeof *cap), *v = malloc(n * sizeof *v),
           *room = malloc(n * sizeof *room);
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
      uint64_t noise = 1000000 - spreadw[c] / 2 + gen_rand(rng) % spreadw[c];
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
