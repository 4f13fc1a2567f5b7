/* commit.c — `recount-sign commit` and `recount-sign prove` (commit.h).
 * Both reuse the verifier's engine, so the commission commits exactly what
 * observers will recompute. */
#include "commit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commit_log.h"
#include "fileio.h"
#include "note.h"
#include "read.h"
#include "receipt.h"
#include "sheet_rules.h"
#include "signing.h"

/* Sets why (and err.code) and returns outcome. */
__attribute__((format(printf, 4, 5))) static enum rc_outcome
end(struct rc_commit_result *res, enum rc_outcome outcome, enum rc_err code,
    const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(res->why, sizeof res->why, fmt, ap);
  va_end(ap);
  if (res->err.code == RC_OK) res->err.code = code;
  return outcome;
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", a, b);
  return p;
}

void rc_commit_result_free(struct rc_commit_result *res) {
  rc_record_report_free(&res->rep);
  rc_buf_free(&res->receipt);
  memset(res, 0, sizeof *res);
}

/* districts.txt for the checked record, and the checkpoint over it. */
static enum rc_outcome encode_districts(struct rc_commit_result *res,
                                        struct rc_buf *dtxt,
                                        struct rc_checkpoint *c) {
  const struct rc_manifest *m = &res->rep.manifest;
  struct rc_merkle_stream ms;
  rc_merkle_stream_init(&ms);
  for (size_t d = 0; d < m->ndistricts; d++) {
    if (d) rc_buf_putc(dtxt, '\n');
    size_t start = dtxt->len;
    int enc = rc_record_encode_district(&res->rep, d, dtxt);
    if (enc != RC_OK || dtxt->oom)
      return end(res, RC_FAILED, RC_ERR_NOMEM,
                 "cannot encode the record of district %s", m->districts[d].id);
    rc_hash h;
    rc_merkle_leaf_hash(dtxt->p + start, dtxt->len - start, h);
    rc_merkle_stream_push(&ms, h);
  }
  snprintf(c->origin, sizeof c->origin, "%s", m->origin);
  c->ndistricts = m->ndistricts;
  rc_merkle_stream_root(&ms, c->districts_root);
  memcpy(c->manifest_hash, res->rep.manifest_text_hash, 32);
  return RC_DONE;
}

/* The checkpoint text c signed by key into cp. */
static enum rc_outcome sign_checkpoint(struct rc_commit_result *res,
                                       const struct rc_checkpoint *c,
                                       const struct rc_skey *key,
                                       const struct rc_vkey *vk,
                                       struct rc_buf *cp) {
  if (rc_encode_checkpoint(c, cp) != RC_OK)
    return end(res, RC_FAILED, RC_ERR_NOMEM, "cannot encode the commitment");
  size_t textlen = cp->len;
  rc_buf_putc(cp, '\n');
  struct rc_buf sl = {0};
  int sr = rc_note_sigline(vk, key->sk, cp->p, textlen, &sl);
  rc_buf_put(cp, sl.p, sl.len);
  rc_buf_free(&sl);
  if (sr != RC_OK || cp->oom)
    return end(res, RC_FAILED, RC_ERR_CRYPTO, "signing failed");
  return RC_DONE;
}

/* Writes the three files; without force, no half commitment is left. */
static enum rc_outcome write_commitment(struct rc_commit_result *res,
                                        const char *dpath, const char *lpath,
                                        const char *cpath,
                                        const struct rc_buf *dtxt,
                                        const struct rc_buf *log,
                                        const struct rc_buf *cp, int force) {
  if (rc_write_atomic(dpath, dtxt->p, dtxt->len, 0644, force, &res->err) !=
      RC_OK)
    return end(res, RC_FAILED, RC_ERR_IO, "%s", res->err.msg);
  if (rc_write_atomic(lpath, log->p, log->len, 0644, force, &res->err) !=
      RC_OK) {
    if (!force) unlink(dpath); /* leave no half commitment behind */
    return end(res, RC_FAILED, RC_ERR_IO, "%s", res->err.msg);
  }
  if (rc_write_atomic(cpath, cp->p, cp->len, 0644, force, &res->err) != RC_OK) {
    if (!force) {
      unlink(dpath);
      unlink(lpath);
    }
    return end(res, RC_FAILED, RC_ERR_IO, "%s", res->err.msg);
  }
  return RC_DONE;
}

/* Checks the sheets of record (the manifest must be signed by vk). */
static enum rc_outcome check_sheets(const char *record,
                                    const struct rc_vkey *vk, unsigned threads,
                                    struct rc_commit_result *res) {
  struct rc_record_opts o = {
      .anchor = vk, .threads = threads, .sheets_only = 1, .keep_leaves = 1};
  int rc = rc_record_check(record, &o, &res->rep);
  if (rc != RC_OK)
    return end(res, RC_FAILED, (enum rc_err)rc, "%s", res->rep.fatal_msg);
  res->list_findings = 1;
  if (res->rep.nerrors || !res->rep.have_manifest)
    return end(res, RC_REFUSED, RC_ERR_SIG,
               "refused: %zu error finding%s in %s", res->rep.nerrors,
               res->rep.nerrors == 1 ? "" : "s", record);
  return RC_DONE;
}

enum rc_outcome rc_commit(const char *record, const struct rc_skey *key,
                          int force, unsigned threads,
                          struct rc_commit_result *res) {
  return rc_commit_previous(record, key, NULL, force, threads, res);
}

/* The first of the commitment's files that exists, or NULL. */
static const char *existing(const char *const *paths, size_t n) {
  struct stat st;
  for (size_t i = 0; i < n; i++)
    if (lstat(paths[i], &st) == 0) return paths[i];
  return NULL;
}

enum rc_outcome rc_commit_previous(const char *record,
                                   const struct rc_skey *key,
                                   const char *previous, int force,
                                   unsigned threads,
                                   struct rc_commit_result *res) {
  memset(res, 0, sizeof *res);
  struct rc_vkey vk;
  rc_skey_vkey(key, &vk);
  struct rc_buf dtxt = {0}, cp = {0}, log = {0};
  struct rc_checkpoint c = {0};
  char *dpath = join(record, "districts.txt");
  char *cpath = join(record, "checkpoint.note");
  char *lpath = join(record, "log.txt");
  enum rc_outcome out = RC_FAILED;
  const char *const paths[] = {dpath, lpath, cpath};
  const char *there = NULL;
  if (!dpath || !cpath || !lpath)
    out = end(res, RC_FAILED, RC_ERR_NOMEM, "out of memory");
  else if (!force && (there = existing(paths, 3)) != NULL)
    out = end(res, RC_REFUSED, RC_ERR_EXISTS,
              "%s already exists; refusing to overwrite a commitment (use "
              "--force)",
              there);
  else if ((out = check_sheets(record, &vk, threads, res)) == RC_DONE &&
           (out = encode_districts(res, &dtxt, &c)) == RC_DONE &&
           (out = rc_commit_log(res, previous, &log, &c)) == RC_DONE &&
           (out = sign_checkpoint(res, &c, key, &vk, &cp)) == RC_DONE)
    out = write_commitment(res, dpath, lpath, cpath, &dtxt, &log, &cp, force);
  if (out == RC_DONE) {
    res->districts = res->rep.manifest.ndistricts;
    res->counted = res->rep.totals.sheets_counted;
    res->warnings = res->rep.nwarnings;
    memcpy(res->root, c.districts_root, 32);
    res->log_size = c.size;
    memcpy(res->log_root, c.root, 32);
  }
  rc_buf_free(&dtxt);
  rc_buf_free(&cp);
  rc_buf_free(&log);
  free(dpath);
  free(cpath);
  free(lpath);
  return out;
}

/* Finds the signed note (text and signature lines) of station's sheet whose
 * text has leaf hash `leaf` and which the station's key signs (the rule the
 * engine counted it by), scanning the files the engine read, in its order
 * (rep->files, bytewise path order), so the receipt holds the same copy on
 * every machine. */
static int find_sheet_note(const char *record,
                           const struct rc_record_report *rep,
                           const struct rc_station *sta, const rc_hash leaf,
                           struct rc_buf *out) {
  int found = -1;
  struct rc_sheet *s = malloc(sizeof *s);
  for (size_t f = 0; s && f < rep->nfiles && found != 0; f++) {
    char *path = join(record, rep->files[f]);
    uint8_t *buf = NULL;
    size_t len = 0, pos = 0;
    struct rc_error err;
    int rd = path ? rc_read_file(path, RC_SHEETS_FILE_MAX, &buf, &len, &err)
                  : RC_ERR_NOMEM;
    free(path);
    if (rd != RC_OK) continue;
    while (pos < len) {
      struct rc_note n;
      size_t used = 0;
      if (rc_note_next(buf + pos, len - pos, &used, &n, &err) != RC_OK) break;
      rc_hash h;
      rc_merkle_leaf_hash(n.text, n.textlen, h);
      struct rc_sheet_sigs sigs = {0};
      if (!memcmp(h, leaf, 32) &&
          rc_parse_sheet(n.text, n.textlen, s, &err) == RC_OK &&
          !strcmp(s->station, sta->id))
        rc_sheet_signatures(&n, &sta->key, 0, NULL, 0, RC_CRYPTO_BOTH, NULL,
                            NULL, &sigs);
      if (sigs.valid) {
        rc_buf_put(out, buf + pos, used);
        found = 0;
        break;
      }
      pos += used;
    }
    free(buf);
  }
  free(s);
  return found;
}

/* Reads name under record whole into *buf. */
static enum rc_outcome read_part(struct rc_commit_result *res,
                                 const char *record, const char *name,
                                 uint64_t cap, uint8_t **buf, size_t *len) {
  char *p = join(record, name);
  if (!p) return end(res, RC_FAILED, RC_ERR_NOMEM, "out of memory");
  int rc = rc_read_file(p, cap, buf, len, &res->err);
  free(p);
  if (rc != RC_OK)
    return end(res, RC_FAILED, (enum rc_err)rc, "%s", res->err.msg);
  return RC_DONE;
}

/* The district record of district d and its inclusion proof. */
static enum rc_outcome prove_record(struct rc_commit_result *res,
                                    const uint8_t *dbuf, size_t dlen, size_t d,
                                    struct rc_receipt *r) {
  size_t *starts = NULL, *lens = NULL, n = 0;
  rc_hash *dl = NULL;
  enum rc_outcome out = RC_FAILED;
  if (rc_split_districts(dbuf, dlen, &starts, &lens, &n, &res->err) != RC_OK ||
      n != res->rep.manifest.ndistricts) {
    end(res, RC_FAILED, RC_ERR_SYNTAX, "districts.txt: %s",
        n != res->rep.manifest.ndistricts ? "not one record per district"
                                          : res->err.msg);
    goto out;
  }
  dl = malloc(n * sizeof *dl);
  if (!dl) {
    end(res, RC_FAILED, RC_ERR_NOMEM, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < n; i++)
    rc_merkle_leaf_hash(dbuf + starts[i], lens[i], dl[i]);
  if (rc_merkle_inclusion_proof((const rc_hash *)dl, n, d, r->record_proof,
                                &r->record_plen) != RC_OK) {
    end(res, RC_FAILED, RC_ERR_PROOF, "cannot build the election tree path");
    goto out;
  }
  r->record_index = d;
  r->record_size = n;
  r->record = dbuf + starts[d];
  r->record_len = lens[d];
  out = RC_DONE;
out:
  free(dl);
  free(starts);
  free(lens);
  return out;
}

/* The station's leaf in its district tree and its inclusion proof. */
static enum rc_outcome prove_sheet(struct rc_commit_result *res,
                                   const char *station, size_t d,
                                   struct rc_receipt *r) {
  const struct rc_district_result *dr = &res->rep.districts[d];
  size_t idx = SIZE_MAX;
  for (size_t i = 0; i < dr->sheets; i++)
    if (!strcmp(dr->leaf_station[i], station)) idx = i;
  if (idx == SIZE_MAX)
    return end(res, RC_REFUSED, RC_ERR_USAGE,
               "station %s has no committed sheet", station);
  r->sheet_index = idx;
  r->sheet_size = dr->sheets;
  if (rc_merkle_inclusion_proof((const rc_hash *)dr->leaves, dr->sheets, idx,
                                r->sheet_proof, &r->sheet_plen) != RC_OK)
    return end(res, RC_FAILED, RC_ERR_PROOF,
               "cannot build the district tree path");
  return RC_DONE;
}

/* The checked record, the station found: assembles the receipt. */
static enum rc_outcome build_receipt(struct rc_commit_result *res,
                                     const char *record, long si,
                                     struct rc_receipt *r) {
  const struct rc_manifest *m = &res->rep.manifest;
  const struct rc_station *sta = &m->stations[si];
  size_t d = sta->district;
  struct rc_buf sheet = {0};
  uint8_t *mbuf = NULL, *dbuf = NULL, *cbuf = NULL;
  size_t mlen = 0, dlen = 0, clen = 0;
  snprintf(r->station, sizeof r->station, "%s", sta->id);
  snprintf(r->district, sizeof r->district, "%s", m->districts[d].id);
  enum rc_outcome out = prove_sheet(res, sta->id, d, r);
  if (out == RC_DONE &&
      find_sheet_note(record, &res->rep, sta,
                      res->rep.districts[d].leaves[r->sheet_index],
                      &sheet) != 0)
    out = end(res, RC_FAILED, RC_ERR_IO, "cannot find the sheet of %s again",
              sta->id);
  if (out == RC_DONE &&
      (out = read_part(res, record, "manifest.note", RC_MANIFEST_MAX, &mbuf,
                       &mlen)) == RC_DONE &&
      (out = read_part(res, record, "districts.txt", RC_DISTRICTS_FILE_MAX,
                       &dbuf, &dlen)) == RC_DONE &&
      (out = read_part(res, record, "checkpoint.note", RC_SMALL_TEXT_MAX, &cbuf,
                       &clen)) == RC_DONE &&
      (out = prove_record(res, dbuf, dlen, d, r)) == RC_DONE) {
    r->manifest = mbuf;
    r->manifest_len = mlen;
    r->sheet = sheet.p;
    r->sheet_len = sheet.len;
    r->checkpoint = cbuf;
    r->checkpoint_len = clen;
    if (rc_encode_receipt(r, &res->receipt) != RC_OK)
      out = end(res, RC_FAILED, RC_ERR_NOMEM, "cannot encode the receipt");
  }
  free(mbuf);
  free(dbuf);
  free(cbuf);
  rc_buf_free(&sheet);
  return out;
}

enum rc_outcome rc_prove(const char *record, const struct rc_vkey *anchor,
                         const char *station, unsigned threads,
                         struct rc_commit_result *res) {
  memset(res, 0, sizeof *res);
  struct rc_record_opts o = {
      .anchor = anchor, .keep_leaves = 1, .threads = threads};
  int rc = rc_record_check(record, &o, &res->rep);
  if (rc != RC_OK)
    return end(res, RC_FAILED, (enum rc_err)rc, "%s", res->rep.fatal_msg);
  if (res->rep.nerrors || !res->rep.have_manifest) {
    res->list_findings = 1;
    return end(res, RC_REFUSED, RC_ERR_SIG,
               "refused: the record has %zu error finding%s", res->rep.nerrors,
               res->rep.nerrors == 1 ? "" : "s");
  }
  long si = rc_manifest_station(&res->rep.manifest, station, strlen(station));
  if (si < 0)
    return end(res, RC_REFUSED, RC_ERR_USAGE,
               "station %s is not in the manifest", station);
  struct rc_receipt *r = calloc(1, sizeof *r);
  if (!r) return end(res, RC_FAILED, RC_ERR_NOMEM, "out of memory");
  enum rc_outcome out = build_receipt(res, record, si, r);
  free(r);
  return out;
}
