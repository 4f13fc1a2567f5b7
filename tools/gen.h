/* gen.h — the parts of recount-gen (tools/): the deterministic
 * randomness, keys and output helpers (gen_util.c), the district table
 * (gen_table.c), the record being built (gen_record.c) and the command
 * line (gen.c). Internal to the tool. */
#ifndef RC_GEN_H
#define RC_GEN_H
#include <stdint.h>
#include <stdio.h>

#include "merkle.h"
#include "rc.h"
#include "skey.h"

#define SEED "recount/krd-2017/test-record/v1"

/* ---- the district table (gen_table.c) ---- */
struct drow {
  char id[RC_ID_MAX + 1];
  char name[RC_NAME_MAX + 1];
  char kind[32];
  size_t order; /* row of the table: the preliminary release's order */
  uint64_t stations, registered, ballots, yes, no, invalid, blank, excluded;
};
/* Reads the district table (testvectors/krd-2017/districts.csv: RFC
 * 4180, a header row, 14 columns), sorted by id. NULL after saying why on
 * stderr. */
struct drow *gen_read_table(const char *path, size_t *n);

/* ---- the record being built (gen_record.c) ---- */
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

/* One station's figures. */
struct sfig {
  uint64_t registered, ballots, invalid, blank, excluded, votes[2];
};

/* ---- deterministic randomness: splitmix64 ---- */
uint64_t gen_rand(uint64_t *s);
uint64_t gen_seed(const char *what);
/* A key derived from the seed: SHA-256(SEED || 0 || role || 0 || id). */
int gen_derive_key(struct rc_skey *k, const char *role, const char *id,
                   const char *name);
int gen_mkdir_new(const char *p);
int gen_write_out(const char *dir, const char *name, const struct rc_buf *b);
/* Appends a signed note of text t (t's bytes, then '\n', then the line). */
int gen_sign_append(struct rc_buf *out, const struct rc_skey *k,
                    const uint8_t *t, size_t n);
void gen_vkey_line(struct rc_buf *b, const struct rc_skey *k);
/* Spreads a district's figures over n stations (see README). */
int gen_spread(const struct drow *r, size_t n, uint64_t *rng, struct sfig *s);
/* Writes a district's sheets file and appends its district record. */
int gen_emit_district(struct gen *g, const char *election, const char *district,
                      const char *const *choices, size_t nchoices,
                      size_t nstations, char **ids, const struct sfig *s,
                      struct rc_buf *stations_lines, size_t npre, size_t order);
/* Writes manifest.note, districts.txt, log.txt, checkpoint.note and the
 * anchor. */
int gen_finish(struct gen *g, const struct rc_buf *manifest_text,
               const char *origin, const char *anchor_out);
/* The preliminary release (g->pre): the same manifest, its districts.txt,
 * log.txt (the final log's first entries), checkpoint and the partial
 * figures announced on polling night. */
int gen_finish_prelim(struct gen *g, const struct rc_buf *manifest_text,
                      const char *origin);
int gen_setup(struct gen *g, const char *out, const char *cname);
void gen_teardown(struct gen *g);
#endif
