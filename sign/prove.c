/* prove.c — `recount-sign prove`: station receipts as C2SP tlog-proof@v1
 * files (RECORD.md §5, formats/tlogproof.h). The record is checked first
 * with the verifier's engine; a receipt carries the station's signed sheet
 * note (extra: its text and the signature lines that verify, see
 * keep_line), its index in the release log, the inclusion proof and the
 * checkpoint note as it is on disk, cosignatures included.
 *
 * One pass serves one station or all of them: the log tree is built once
 * (rc_merkle_tree_build, then O(log n) per proof), the log entries are
 * sorted by leaf hash so that a note read from sheets/ finds its entry by
 * binary search, and the files under sheets/ are read once, in the
 * engine's order. For each entry the first note (in bytewise path order)
 * with that text that the station's registered key signs is the one
 * carried, so the receipt is the same on every machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commit.h"
#include "fileio.h"
#include "merkle.h"
#include "note.h"
#include "read.h"
#include "sheet_rules.h"
#include "tlogproof.h"

struct prover {
  struct rc_commit_result *res;
  const char *record;
  const char *only; /* one station, or NULL for every one */
  rc_prove_emit emit;
  void *ctx;
  uint8_t *cp; /* checkpoint.note as on disk */
  size_t cplen;
  struct rc_merkle_tree tree;
  size_t *order; /* log indices sorted by leaf hash */
  uint8_t *done; /* per log entry: its receipt was made */
  size_t made;
};

static const rc_hash *g_leaves; /* for the qsort comparison */
static int by_leaf(const void *a, const void *b) {
  return memcmp(g_leaves[*(const size_t *)a], g_leaves[*(const size_t *)b], 32);
}

/* The log index of leaf hash h, or SIZE_MAX. */
static size_t log_index(const struct prover *p, const rc_hash h) {
  const rc_hash *lv = p->res->rep.log_leaves;
  size_t lo = 0, hi = p->res->rep.log_size;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = memcmp(lv[p->order[mid]], h, 32);
    if (c == 0) return p->order[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return SIZE_MAX;
}

static enum rc_outcome fail(struct prover *p, enum rc_outcome o,
                            enum rc_err code, const char *what,
                            const char *why) {
  snprintf(p->res->why, sizeof p->res->why, "%s%s%s", what, why ? ": " : "",
           why ? why : "");
  if (p->res->err.code == RC_OK) p->res->err.code = code;
  return o;
}

/* Makes and hands over the receipt of the note at note[0..len), whose
 * text is log entry idx of station st. */
static enum rc_outcome make_one(struct prover *p, const char *st, size_t idx,
                                const uint8_t *note, size_t len) {
  struct rc_tlog_proof tp = {0};
  if (len > RC_TLOG_EXTRA_MAX)
    return fail(p, RC_REFUSED, RC_ERR_LIMIT, st,
                "its signed sheet is larger than a receipt can carry");
  tp.have_extra = 1;
  tp.extra = (uint8_t *)note;
  tp.extra_len = len;
  tp.index = idx;
  if (rc_merkle_tree_proof(&p->tree, idx, tp.proof, &tp.plen) != RC_OK)
    return fail(p, RC_FAILED, RC_ERR_PROOF, st,
                "cannot build the release log's inclusion proof");
  tp.checkpoint = p->cp;
  tp.checkpoint_len = p->cplen;
  struct rc_buf b = {0};
  int rc = rc_encode_tlog_proof(&tp, &b);
  enum rc_outcome o = RC_DONE;
  if (rc != RC_OK)
    o = fail(p, RC_FAILED, (enum rc_err)rc, st, "cannot encode the receipt");
  else if ((rc = p->emit(p->ctx, st, &b)) != 0)
    o = rc > 0 ? RC_REFUSED : RC_FAILED; /* the callback said why */
  rc_buf_free(&b);
  if (o == RC_DONE) p->done[idx] = 1, p->made++;
  return o;
}

/* The receipt's copy of a note: its text, the empty line and the first
 * line that verifies of each key (the station's, a manifest witness's), in
 * the note's order. Lines nobody can vouch for (malformed, failing, by
 * keys the manifest does not name, an unterminated last one) are left out:
 * anyone can append those to a published file, and they must neither
 * swell a receipt nor make other verifiers refuse it (RECORD.md §1). */
struct kept {
  struct rc_buf *b;
  const struct rc_vkey *keys[RC_MAX_WITNESSES + 1];
  size_t nkeys;
};

static void keep_line(void *ctx, const struct rc_sig_event *ev) {
  struct kept *k = ctx;
  if (ev->fate != RC_LINE_VALID || !ev->key) return;
  for (size_t i = 0; i < k->nkeys; i++)
    if (k->keys[i] == ev->key) return;
  if (k->nkeys < sizeof k->keys / sizeof k->keys[0])
    k->keys[k->nkeys++] = ev->key;
  rc_buf_puts(k->b, "\xe2\x80\x94 ");
  rc_buf_put(k->b, ev->line->name, ev->line->namelen);
  rc_buf_putc(k->b, ' ');
  rc_buf_put(k->b, ev->line->b64, ev->line->b64len);
  rc_buf_putc(k->b, '\n');
}

/* One note of a sheets file: a receipt when it is the first validly
 * signed copy of a log entry (of the station asked for). */
static enum rc_outcome one_note(struct prover *p, const struct rc_note *n,
                                struct rc_sheet *s) {
  const struct rc_manifest *m = &p->res->rep.manifest;
  struct rc_error err;
  rc_hash h;
  rc_merkle_leaf_hash(n->text, n->textlen, h);
  size_t idx = log_index(p, h);
  if (idx == SIZE_MAX || p->done[idx]) return RC_DONE;
  if (rc_parse_sheet(n->text, n->textlen, s, &err) != RC_OK) return RC_DONE;
  if (p->only && strcmp(s->station, p->only) != 0) return RC_DONE;
  long si = rc_manifest_station(m, s->station, strlen(s->station));
  if (si < 0) return RC_DONE;
  const struct rc_station *sta = &m->stations[si];
  struct rc_buf b = {0};
  struct kept k = {.b = &b};
  rc_buf_put(&b, n->text, n->textlen);
  rc_buf_putc(&b, '\n');
  struct rc_sheet_sigs sigs;
  rc_sheet_signatures(n, &sta->key, rc_pubkey_check(sta->key.pk) != RC_KEY_GOOD,
                      m->witnesses, m->nwitnesses, RC_CRYPTO_BOTH, keep_line,
                      &k, &sigs);
  enum rc_outcome o = RC_DONE;
  if (b.oom) o = fail(p, RC_FAILED, RC_ERR_NOMEM, "out of memory", NULL);
  else if (sigs.valid) o = make_one(p, sta->id, idx, b.p, b.len);
  rc_buf_free(&b);
  return o;
}

/* Reads every file the engine read, in its order, once. */
static enum rc_outcome scan(struct prover *p) {
  const struct rc_record_report *rep = &p->res->rep;
  struct rc_sheet *s = malloc(sizeof *s);
  enum rc_outcome o = s ? RC_DONE : RC_FAILED;
  if (!s) return fail(p, RC_FAILED, RC_ERR_NOMEM, "out of memory", NULL);
  for (size_t f = 0; o == RC_DONE && f < rep->nfiles; f++) {
    if (p->made == rep->log_size || (p->only && p->made)) break;
    char *path = rc_path_join(p->record, rep->files[f]);
    uint8_t *buf = NULL;
    size_t len = 0, pos = 0;
    struct rc_error err;
    int rd = path ? rc_read_file(path, RC_SHEETS_FILE_MAX, &buf, &len, &err)
                  : RC_ERR_NOMEM;
    free(path);
    if (rd != RC_OK) {
      o = fail(p, RC_FAILED, (enum rc_err)rd, rep->files[f],
               rd == RC_ERR_NOMEM ? "out of memory" : err.msg);
      break;
    }
    while (o == RC_DONE && pos < len) {
      struct rc_note n;
      size_t used = 0;
      if (rc_note_next(buf + pos, len - pos, &used, &n, &err) != RC_OK) break;
      o = one_note(p, &n, s);
      pos += used;
    }
    free(buf);
  }
  free(s);
  return o;
}

/* The log tree, the sorted index and the checkpoint bytes. */
static enum rc_outcome prepare(struct prover *p) {
  const struct rc_record_report *rep = &p->res->rep;
  size_t n = (size_t)rep->log_size;
  if (!rep->have_log_root || !rep->log_leaves || n == 0)
    return fail(p, RC_REFUSED, RC_ERR_USAGE, "refused",
                "the record has no release log (log.txt) of its sheets; "
                "run `recount-sign commit` first");
  char *cpath = rc_path_join(p->record, "checkpoint.note");
  int rc = cpath ? rc_read_file(cpath, RC_SMALL_TEXT_MAX, &p->cp, &p->cplen,
                                &p->res->err)
                 : RC_ERR_NOMEM;
  free(cpath);
  if (rc != RC_OK)
    return fail(p, RC_FAILED, (enum rc_err)rc, "checkpoint.note",
                p->res->err.msg);
  p->order = malloc(n * sizeof *p->order);
  p->done = calloc(n, 1);
  if (!p->order || !p->done ||
      rc_merkle_tree_build(rep->log_leaves, n, &p->tree) != RC_OK)
    return fail(p, RC_FAILED, RC_ERR_NOMEM, "out of memory", NULL);
  for (size_t i = 0; i < n; i++) p->order[i] = i;
  g_leaves = rep->log_leaves;
  qsort(p->order, n, sizeof *p->order, by_leaf);
  return RC_DONE;
}

enum rc_outcome rc_prove_each(const char *record, const struct rc_vkey *anchor,
                              const char *station, unsigned threads,
                              rc_prove_emit emit, void *ctx,
                              struct rc_commit_result *res) {
  memset(res, 0, sizeof *res);
  struct prover p = {
      .res = res, .record = record, .only = station, .emit = emit, .ctx = ctx};
  struct rc_record_opts o = {
      .anchor = anchor, .keep_leaves = 1, .threads = threads};
  int rc = rc_record_check(record, &o, &res->rep);
  if (rc != RC_OK || res->rep.fatal)
    return fail(&p, RC_FAILED, rc != RC_OK ? (enum rc_err)rc : RC_ERR_IO,
                res->rep.fatal_msg, NULL);
  size_t defects = rc_record_defects(&res->rep);
  if (defects || !res->rep.have_manifest) {
    res->list_findings = 1;
    snprintf(res->why, sizeof res->why,
             "refused: the record has %zu error finding%s", defects,
             defects == 1 ? "" : "s");
    res->err.code = RC_ERR_SIG;
    return RC_REFUSED;
  }
  if (station &&
      rc_manifest_station(&res->rep.manifest, station, strlen(station)) < 0)
    return fail(&p, RC_REFUSED, RC_ERR_USAGE, station,
                "not a station of the manifest");
  enum rc_outcome out = prepare(&p);
  if (out == RC_DONE) out = scan(&p);
  if (out == RC_DONE && station && !p.made)
    out = fail(&p, RC_REFUSED, RC_ERR_USAGE, station,
               "the station has no counted sheet in this release");
  if (out == RC_DONE && !station && p.made != res->rep.log_size)
    out = fail(&p, RC_FAILED, RC_ERR_IO, "refused",
               "a sheet of the release log was not found again under "
               "sheets/ (did the record change during the run?)");
  res->receipts = p.made;
  res->log_size = res->rep.log_size;
  res->counted = res->rep.log_size;
  rc_merkle_tree_free(&p.tree);
  free(p.order);
  free(p.done);
  free(p.cp);
  return out;
}

/* rc_prove keeps the one receipt in res->receipt. */
static int keep(void *ctx, const char *station, const struct rc_buf *b) {
  (void)station;
  struct rc_buf *out = ctx;
  rc_buf_put(out, b->p, b->len);
  return out->oom ? -1 : 0;
}

enum rc_outcome rc_prove(const char *record, const struct rc_vkey *anchor,
                         const char *station, unsigned threads,
                         struct rc_commit_result *res) {
  struct rc_buf b = {0};
  enum rc_outcome o =
      rc_prove_each(record, anchor, station, threads, keep, &b, res);
  if (o == RC_DONE && b.oom) {
    snprintf(res->why, sizeof res->why, "out of memory");
    o = RC_FAILED;
  }
  res->receipt = b;
  return o;
}
