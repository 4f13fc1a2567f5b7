/* commit.c — `recount-sign commit` (commit.h; prove is in prove.c).
 * It reuses the verifier's engine, so the commission commits exactly what
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
  char *dpath = rc_path_join(record, "districts.txt");
  char *cpath = rc_path_join(record, "checkpoint.note");
  char *lpath = rc_path_join(record, "log.txt");
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
