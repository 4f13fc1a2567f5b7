/* fuzz_record.c — the whole-record engine (engine/record.h) and commit.
 *
 * The parser harnesses stop at one text; this one builds a small record
 * directory from the input and runs what recount-verify and
 * `recount-sign commit` run on it, so the cross-file logic (stations
 * against the manifest, equivocations, district trees, the checkpoint,
 * published figures, the reports) meets hostile records whose signatures
 * are nevertheless valid. Input, a sequence of sections:
 *
 *   %%% PATH raw        the body is written to RECORD/PATH as it is
 *   %%% PATH sign       the body is one note text, signed (see below)
 *   %%% PATH sheets     the body is note texts separated by empty lines,
 *                       each signed (see below), written concatenated
 *   %%% commit          rc_commit(RECORD, commission key, force) now
 *                       (only the first commit of an input runs)
 *
 * A body runs to the next line beginning with "%%% ". In sign and sheets
 * bodies, leading lines "@NAME" (at most 4) choose the signers: each is the
 * key NAME derived from a fixed seed; a sign body without them is signed
 * by the commission key, a sheets text without them is written unsigned,
 * as it is. Anywhere else in those bodies "@NAME" becomes the verifier key
 * encoding of key NAME, so a manifest can list station keys whose secret
 * the harness holds. PATH is [a-z0-9._-] components joined by '/', no
 * "." or "..", at most 4 deep. Per input at most 64 key names and 64
 * signature lines made by the harness (so one input stays well under a
 * second); what is past a limit is written unsigned or left as text.
 *
 * Invariants: rc_record_check runs (RC_OK) or reports fatal (an error
 * value); its JSON report is byte-identical with 1 and 2 threads (RECORD.md §4:
 * the same record always gives the same bytes); when the last section is a
 * commit that succeeded, the record has no district or checkpoint finding —
 * what commit writes always verifies; and in a record without error findings,
 * `recount-sign prove` (rc_prove) gives the first and the last counted
 * station receipts that rc_receipt_check accepts, with the manifest. Set TMPDIR
 * to a tmpfs (commit and prove fsync). FUZZ_RECORD_SHOW=1 in the environment
 * prints each JSON report on stderr (to see what a seed reaches). on stderr (to
 * see what a seed reaches). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commit.h"
#include "fuzz_common.h"
#include "hash.h"
#include "keys.h"
#include "note.h"
#include "read.h"
#include "receipt_check.h"
#include "record.h"
#include "report.h"
#include "signing.h"
#include "skey.h"

#define MAX_SECTIONS 32
#define MAX_DEPTH 4

static FILE *devnull;

#include "fuzz_notes.h"

static void init(void) {
  if (devnull) return;
  devnull = fopen("/dev/null", "w");
  FUZZ_CHECK(devnull != NULL);
  fuzz_notes_init("r"); /* root: the record */
}

static void body_sheets(struct rc_buf *out, const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t end = n, next = n;
    for (size_t j = i; j + 1 < n; j++)
      if (p[j] == '\n' && p[j + 1] == '\n') {
        end = j + 1;
        next = j + 2;
        break;
      }
    struct rc_skey *signers[MAX_SIGNERS];
    size_t ns;
    size_t skip = signer_lines(p + i, end - i, signers, &ns);
    if (ns) signed_note(out, p + i + skip, end - i - skip, signers, ns);
    else rc_buf_put(out, p + i, next - i);
    i = next;
  }
}

/* Checks PATH and creates its parent directories under root; fills full. */
static int make_path(const uint8_t *p, size_t n, char *full, size_t cap) {
  if (n == 0 || n > 64 || root[0] == 0) return -1;
  size_t depth = 1, comp = 0;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c == '/') {
      if (comp == 0) return -1;
      depth++;
      comp = 0;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return -1;
    comp++;
  }
  if (comp == 0 || depth > MAX_DEPTH) return -1;
  /* no "." or ".." component */
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && p[j] != '/') j++;
    if ((j - i == 1 && p[i] == '.') ||
        (j - i == 2 && p[i] == '.' && p[i + 1] == '.'))
      return -1;
    i = j + 1;
  }
  int w = snprintf(full, cap, "%s/%.*s", root, (int)n, (const char *)p);
  if (w < 0 || (size_t)w >= cap) return -1;
  for (char *s = full + strlen(root) + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    int rc = mkdir(full, 0755);
    *s = '/';
    if (rc != 0 && errno != EEXIST) return -1;
  }
  return 0;
}

static void write_file(const char *path, const struct rc_buf *b) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
  if (fd < 0) return;
  size_t off = 0;
  while (off < b->len) {
    ssize_t w = write(fd, b->p + off, b->len - off);
    if (w <= 0) break;
    off += (size_t)w;
  }
  close(fd);
}

static int is_district_or_checkpoint(enum rc_code c) {
  return c == RC_F_DISTRICT_RECORD_FORMAT || c == RC_F_DISTRICT_ROOT_MISMATCH ||
         c == RC_F_DISTRICT_TOTAL_MISMATCH || c == RC_F_CHECKPOINT_SIGNATURE ||
         c == RC_F_CHECKPOINT_MISMATCH;
}

/* A record with no error finding must give counted stations receipts
 * that the offline receipt check accepts: proves the first and the last
 * counted sheet of the record. */
static void prove_one(const char *st) {
  struct rc_commit_result pr;
  enum rc_outcome out = rc_prove(root, &anchor, st, 1, &pr);
  if (out != RC_DONE) fprintf(stderr, "prove %s: %s\n", st, pr.why);
  FUZZ_CHECK(out == RC_DONE);
  struct rc_receipt_result *res = malloc(sizeof *res);
  FUZZ_CHECK(res != NULL);
  /* with the record's manifest: the station's key and the sheet rules */
  char mpath[4096];
  snprintf(mpath, sizeof mpath, "%s/manifest.note", root);
  uint8_t *mbuf = NULL;
  size_t mlen = 0;
  struct rc_error err;
  FUZZ_CHECK(rc_read_file(mpath, RC_MANIFEST_MAX, &mbuf, &mlen, &err) == RC_OK);
  struct rc_receipt_opts o = {.anchor = &anchor,
                              .mode = RC_CRYPTO_BOTH,
                              .manifest = mbuf,
                              .manifest_len = mlen};
  int rc = rc_receipt_check(pr.receipt.p, pr.receipt.len, &o, res);
  free(mbuf);
  FUZZ_CHECK(rc == RC_OK);
  if (!res->verified || !res->station_checked) {
    rc_report_receipt(stderr, res, st);
    fprintf(stderr, "the receipt of %s is refused\n", st);
  }
  FUZZ_CHECK(res->verified && res->station_checked);
  free(res);
  rc_commit_result_free(&pr);
}

static void prove_counted(const struct rc_record_report *rep) {
  const char *first = NULL, *last = NULL;
  for (size_t d = 0; d < rep->manifest.ndistricts; d++) {
    const struct rc_district_result *dr = &rep->districts[d];
    if (!dr->sheets) continue;
    if (!first) first = dr->leaf_station[0];
    last = dr->leaf_station[dr->sheets - 1];
  }
  if (first) prove_one(first);
  if (last && last != first) prove_one(last);
  if (getenv("FUZZ_RECORD_SHOW"))
    fprintf(stderr, "%d receipts\n", !!first + (last && last != first));
}

/* Runs the engine, renders both reports; returns the JSON (caller frees). */
static char *check(unsigned threads, int committed, size_t *len) {
  struct rc_record_opts o = {0};
  o.anchor = &anchor;
  o.mode = RC_CRYPTO_BOTH;
  o.threads = threads;
  o.keep_leaves = threads == 1;
  struct rc_record_report rep;
  memset(&rep, 0, sizeof rep);
  int rc = rc_record_check(root, &o, &rep);
  FUZZ_CHECK(rc == RC_OK || rc == RC_ERR_IO || rc == RC_ERR_NOMEM);
  FUZZ_CHECK((rc != RC_OK) == (rep.fatal != 0));
  for (size_t i = 0; i < rep.nfindings; i++) {
    const struct rc_finding *f = &rep.findings[i];
    if (committed && !rep.fatal) {
      if (is_district_or_checkpoint(f->code))
        fprintf(stderr, "after a successful commit: %s %s\n",
                rc_code_str(f->code), f->message);
      FUZZ_CHECK(!is_district_or_checkpoint(f->code));
    }
  }
  char *json = NULL;
  FILE *m = open_memstream(&json, len);
  FUZZ_CHECK(m != NULL);
  rc_report_json(m, &rep, &anchor);
  FUZZ_CHECK(fclose(m) == 0);
  rc_report_human(devnull, &rep, "RECORD", &anchor);
  if (o.keep_leaves && !rep.fatal && rep.have_manifest && rep.nerrors == 0)
    prove_counted(&rep);
  rc_record_report_free(&rep);
  return json;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init();
  static const char hdr[] = "%%% ";
  if (size < 4 || memcmp(data, hdr, 4) != 0) return 0;
  reset_keys();
  rm_tree(root);
  FUZZ_CHECK(mkdir(root, 0755) == 0);
  int committed = 0, commits = 0;
  size_t pos = 0;
  for (int s = 0; s < MAX_SECTIONS && pos < size; s++) {
    /* header line */
    const uint8_t *nl = memchr(data + pos, '\n', size - pos);
    size_t hend = nl ? (size_t)(nl - data) : size;
    size_t bstart = nl ? hend + 1 : size;
    size_t bend = bstart;
    while (bend < size) {
      if (size - bend >= 4 && memcmp(data + bend, hdr, 4) == 0) break;
      const uint8_t *q = memchr(data + bend, '\n', size - bend);
      bend = q ? (size_t)(q - data) + 1 : size;
    }
    const uint8_t *h = data + pos + 4;
    size_t hn = hend - pos - 4;
    const uint8_t *body = data + bstart;
    size_t bn = bend - bstart;
    pos = bend;
    committed = 0;
    if (hn == 6 && memcmp(h, "commit", 6) == 0) {
      if (commits++) continue; /* one per input: each is a full check */
      struct rc_commit_result cr;
      enum rc_outcome out = rc_commit(root, commission, 1, 1, &cr);
      FUZZ_CHECK(out == RC_DONE || out == RC_REFUSED || out == RC_FAILED);
      if (cr.list_findings) rc_report_findings(devnull, &cr.rep);
      rc_commit_result_free(&cr);
      committed = out == RC_DONE;
      continue;
    }
    const uint8_t *sp = memchr(h, ' ', hn);
    if (!sp) continue;
    size_t pn = (size_t)(sp - h);
    const uint8_t *mode = sp + 1;
    size_t mn = hn - pn - 1;
    char full[256];
    if (make_path(h, pn, full, sizeof full) != 0) continue;
    struct rc_buf b = {0};
    if (mn == 3 && !memcmp(mode, "raw", 3)) rc_buf_put(&b, body, bn);
    else if (mn == 4 && !memcmp(mode, "sign", 4)) body_sign(&b, body, bn);
    else if (mn == 6 && !memcmp(mode, "sheets", 6)) body_sheets(&b, body, bn);
    else continue;
    if (!b.oom) write_file(full, &b);
    rc_buf_free(&b);
  }
  size_t n1 = 0, n2 = 0;
  char *j1 = check(1, committed, &n1);
  char *j2 = check(2, committed, &n2);
  if (n1 != n2 || memcmp(j1, j2, n1) != 0) {
    fprintf(stderr, "JSON report differs between 1 and 2 threads:\n%s\n%s\n",
            j1, j2);
    abort();
  }
  if (getenv("FUZZ_RECORD_SHOW")) fprintf(stderr, "%s", j1);
  free(j1);
  free(j2);
  return 0;
}
