/* commitments.c — what the commission commits to: districts.txt (one
 * district record per manifest district, each against the recomputed
 * tree and totals) and checkpoint.note (the election tree over those
 * records, signed by the anchor). */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "engine.h"
#include "text.h"
#include "read.h"

static void cmp_fig(struct engine *eng, const char *d, const char *what,
                    uint64_t rec, uint64_t got) {
  char a[32], b[32];
  if (rec != got)
    findings_add(&eng->found, RC_F_DISTRICT_TOTAL_MISMATCH, d, NULL,
                 "districts.txt", 0,
                 "district %s: %s is %s in districts.txt, recomputed %s", d,
                 what, rc_fmt_count(a, rec), rc_fmt_count(b, got));
}

/* One parsed district record of manifest district d, at line. */
static void check_district_record(struct engine *eng,
                                  const struct rc_district_rec *r, size_t d,
                                  size_t line) {
  const struct rc_manifest *m = eng->m;
  const char *did = m->districts[d].id;
  if (strcmp(r->election, m->election) != 0)
    findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, did, NULL,
                 "districts.txt", line + 1,
                 "district %s: election %s, the manifest's is %s", did,
                 r->election, m->election);
  int same = r->nvotes == m->nchoices;
  for (size_t c = 0; same && c < r->nvotes; c++)
    same = !strcmp(r->votes[c].choice, m->choices[c].id);
  if (!same)
    findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, did, NULL,
                 "districts.txt", line,
                 "district %s: the vote lines are not the manifest's "
                 "choices in ballot order",
                 did);
  const struct rc_district_result *dr = &eng->rep->districts[d];
  if (CRYPTO_memcmp(r->root, dr->root, 32) != 0) {
    char a[48], b[48], n[32];
    rc_b64_encode(r->root, 32, a);
    rc_b64_encode(dr->root, 32, b);
    findings_add(&eng->found, RC_F_DISTRICT_ROOT_MISMATCH, did, NULL,
                 "districts.txt", line + 5,
                 "district %s: root %s in districts.txt, recomputed %s over "
                 "%s sheet texts",
                 did, a, b, rc_fmt_count(n, dr->sheets));
  }
  cmp_fig(eng, did, "stations", r->stations, dr->stations);
  cmp_fig(eng, did, "sheets", r->sheets, dr->sheets);
  cmp_fig(eng, did, "registered", r->registered, dr->totals.registered);
  cmp_fig(eng, did, "ballots", r->ballots, dr->totals.ballots);
  cmp_fig(eng, did, "invalid", r->invalid, dr->totals.invalid);
  cmp_fig(eng, did, "blank", r->blank, dr->totals.blank);
  cmp_fig(eng, did, "excluded", r->excluded, dr->totals.excluded);
  for (size_t c = 0; same && c < r->nvotes; c++) {
    char what[RC_ID_MAX + 8];
    snprintf(what, sizeof what, "vote %s", r->votes[c].choice);
    cmp_fig(eng, did, what, r->votes[c].count, dr->totals.votes[c]);
  }
}

/* Which manifest district record i (at line) is for, or -1 (reported)
 * when none, a second one, or unparseable. */
static long place_record(struct engine *eng, const struct rc_district_rec *r,
                         uint8_t *seen, long *prev, size_t line) {
  const struct rc_manifest *m = eng->m;
  long d = rc_manifest_district(m, r->district, strlen(r->district));
  if (d < 0) {
    findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, r->district, NULL,
                 "districts.txt", line,
                 "record for district %s, which is not in the manifest",
                 r->district);
    return -1;
  }
  if (seen[d]) {
    findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, r->district, NULL,
                 "districts.txt", line, "second record for district %s",
                 r->district);
    return -1;
  }
  seen[d] = 1;
  if (d < *prev)
    findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, r->district, NULL,
                 "districts.txt", line,
                 "record for district %s is out of district-id order",
                 r->district);
  *prev = d;
  return d;
}

/* Checks the n records of districts.txt (buf, split at starts/lens). */
static void check_records(struct engine *eng, const uint8_t *buf,
                          const size_t *starts, const size_t *lens, size_t n) {
  const struct rc_manifest *m = eng->m;
  uint8_t *seen = calloc(m->ndistricts ? m->ndistricts : 1, 1);
  struct rc_district_rec *r = malloc(sizeof *r);
  if (!seen || !r) {
    free(seen);
    free(r);
    eng->found.oom = 1;
    return;
  }
  long prev = -1;
  size_t line = 1;
  struct rc_error err;
  for (size_t i = 0; i < n; i++) {
    if (i > 0)
      for (size_t k = starts[i - 1]; k < starts[i]; k++)
        if (buf[k] == '\n') line++;
    if (rc_parse_district(buf + starts[i], lens[i], r, &err) != RC_OK) {
      findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, NULL, NULL,
                   "districts.txt", line + (err.line ? err.line - 1 : 0),
                   "record %zu: %s%s%s", i + 1, err.field[0] ? err.field : "",
                   err.field[0] ? ": " : "", err.msg);
      continue;
    }
    long d = place_record(eng, r, seen, &prev, line);
    if (d >= 0) check_district_record(eng, r, (size_t)d, line);
  }
  for (size_t d = 0; d < m->ndistricts; d++)
    if (!seen[d])
      findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, m->districts[d].id,
                   NULL, "districts.txt", 0, "no record for district %s",
                   m->districts[d].id);
  free(seen);
  free(r);
}

void check_districts(struct engine *eng, rc_hash election_root,
                     int *have_root) {
  char path[4096];
  snprintf(path, sizeof path, "%s/districts.txt", eng->root);
  uint8_t *buf = NULL;
  size_t len = 0, *starts = NULL, *lens = NULL, n = 0;
  struct rc_error err;
  *have_root = 0;
  if (rc_read_file_as(path, "districts.txt", RC_DISTRICTS_FILE_MAX, &buf, &len,
                      &err) != RC_OK) {
    findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, NULL, NULL,
                 "districts.txt", 0, "%s", err.msg);
    return;
  }
  if (rc_split_districts(buf, len, &starts, &lens, &n, &err) != RC_OK) {
    findings_add(&eng->found, RC_F_DISTRICT_RECORD_FORMAT, NULL, NULL,
                 "districts.txt", err.line, "%s", err.msg);
    goto out;
  }
  struct rc_merkle_stream ms;
  rc_merkle_stream_init(&ms);
  for (size_t i = 0; i < n; i++) {
    rc_hash h;
    rc_merkle_leaf_hash(buf + starts[i], lens[i], h);
    rc_merkle_stream_push(&ms, h);
  }
  rc_merkle_stream_root(&ms, election_root);
  *have_root = 1;
  check_records(eng, buf, starts, lens, n);
out:
  free(starts);
  free(lens);
  free(buf);
}

/* The checkpoint text c against the manifest and districts.txt. */
static void compare_checkpoint(struct engine *eng,
                               const struct rc_checkpoint *c,
                               const rc_hash election_root, int have_root) {
  const struct rc_manifest *m = eng->m;
  struct findings *fs = &eng->found;
  if (strcmp(c->origin, m->origin) != 0)
    findings_add(fs, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note", 1,
                 "origin %s, the manifest's is %s", c->origin, m->origin);
  if (CRYPTO_memcmp(c->manifest_hash, eng->rep->manifest_text_hash, 32) != 0)
    findings_add(fs, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note", 4,
                 "the manifest hash does not match manifest.note");
  char na[32], nb[32];
  if (c->ndistricts != m->ndistricts)
    findings_add(fs, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note", 5,
                 "districts %s, the manifest has %s districts",
                 rc_fmt_count(na, c->ndistricts),
                 rc_fmt_count(nb, m->ndistricts));
  if (have_root && CRYPTO_memcmp(c->districts_root, election_root, 32) != 0) {
    char a[48], b[48];
    rc_b64_encode(c->districts_root, 32, a);
    rc_b64_encode(election_root, 32, b);
    findings_add(fs, RC_F_CHECKPOINT_MISMATCH, NULL, NULL, "checkpoint.note", 5,
                 "election root %s, but the records in districts.txt hash "
                 "to %s",
                 a, b);
  }
}

void check_checkpoint(struct engine *eng, const rc_hash election_root,
                      int have_root) {
  uint8_t *buf = NULL;
  const uint8_t *text;
  size_t tlen;
  (void)read_anchor_note(eng, "checkpoint.note", RC_F_CHECKPOINT_SIGNATURE,
                         &buf, &text, &tlen, RC_SMALL_TEXT_MAX, NULL);
  if (text) {
    struct rc_checkpoint c;
    struct rc_error err;
    if (rc_parse_checkpoint(text, tlen, &c, &err) != RC_OK)
      findings_add(&eng->found, RC_F_CHECKPOINT_MISMATCH, NULL, NULL,
                   "checkpoint.note", err.line,
                   "the checkpoint text cannot be read: %s", err.msg);
    else {
      eng->rep->have_checkpoint = 1;
      eng->rep->checkpoint = c;
      if (eng->m) compare_checkpoint(eng, &c, election_root, have_root);
    }
  }
  free(buf);
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
