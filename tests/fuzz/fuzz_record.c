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
 * station receipts that rc_receipt_check accepts. Set TMPDIR to a tmpfs
 * (commit and prove fsync). FUZZ_RECORD_SHOW=1 in the environment prints
 * each JSON report on stderr (to see what a seed reaches).
 * on stderr (to see what a seed reaches). */
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
#include "receipt_check.h"
#include "record.h"
#include "report.h"
#include "signing.h"
#include "skey.h"

#define COMMISSION "fuzz.example/commission"
#define MAX_SECTIONS 32
#define MAX_SIGNERS 4
#define MAX_DEPTH 4
#define KEY_CACHE 64    /* distinct key names per input */
#define MAX_SIGLINES 64 /* signature lines the harness makes per input */

static char base[64]; /* mkdtemp directory, holds "r" per input */
static char root[96]; /* base/r: the record */
static FILE *devnull;
static struct rc_skey *commission;
static struct rc_vkey anchor;

struct cached {
  char name[RC_KEYNAME_MAX + 1];
  struct rc_skey *k;
};
static struct cached cache[KEY_CACHE];
static size_t ncache;
static size_t siglines_left; /* per input */

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *f) {
  (void)st, (void)flag, (void)f;
  remove(p);
  return 0;
}

static void rm_tree(const char *p) {
  (void)nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void cleanup(void) {
  if (base[0]) rm_tree(base);
}

/* The key named name[0..n), derived from a fixed seed; NULL when name is
 * not a valid key name, or when the input has used KEY_CACHE names already
 * (the cache is emptied before each input, by reset_keys, so an input
 * always gives the same record whatever ran before it). */
static struct rc_skey *key_for(const char *name, size_t n) {
  if (n == 0 || n > RC_KEYNAME_MAX || !rc_keyname_valid(name, n)) return NULL;
  for (size_t i = 0; i < ncache; i++)
    if (strlen(cache[i].name) == n && !memcmp(cache[i].name, name, n))
      return cache[i].k;
  if (ncache == KEY_CACHE) return NULL;
  char nm[RC_KEYNAME_MAX + 1];
  memcpy(nm, name, n);
  nm[n] = 0;
  uint8_t seed[32];
  rc_sha256_2("recount-fuzz-record", 19, nm, n, seed);
  struct rc_skey *k = rc_skey_new();
  FUZZ_CHECK(k != NULL);
  struct rc_error err;
  FUZZ_CHECK(rc_skey_from_seed(k, nm, seed, &err) == RC_OK);
  memcpy(cache[ncache].name, nm, n + 1);
  cache[ncache++].k = k;
  return k;
}

/* Before each input: only entry 0, the commission key, stays. */
static void reset_keys(void) {
  for (size_t i = 1; i < ncache; i++) rc_skey_free(cache[i].k);
  ncache = 1;
  siglines_left = MAX_SIGLINES;
}

static void init(void) {
  if (devnull) return;
  fuzz_crypto_init();
  devnull = fopen("/dev/null", "w");
  FUZZ_CHECK(devnull != NULL);
  const char *t = getenv("TMPDIR");
  snprintf(base, sizeof base, "%s/recount-fuzz.XXXXXX",
           t && *t && strlen(t) < 32 ? t : "/tmp");
  FUZZ_CHECK(mkdtemp(base) != NULL);
  snprintf(root, sizeof root, "%s/r", base);
  atexit(cleanup);
  commission = key_for(COMMISSION, strlen(COMMISSION));
  FUZZ_CHECK(commission == cache[0].k);
  rc_skey_vkey(commission, &anchor);
}

static int name_char(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '/' || c == '-' || c == '_';
}

/* Appends p[0..n) to b with every "@NAME" that names a valid key replaced
 * by that key's verifier encoding. */
static void expand(struct rc_buf *b, const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (p[i] != '@') {
      rc_buf_putc(b, (char)p[i++]);
      continue;
    }
    size_t j = i + 1;
    while (j < n && name_char(p[j])) j++;
    struct rc_skey *k = key_for((const char *)p + i + 1, j - i - 1);
    if (!k) {
      rc_buf_putc(b, '@');
      i++;
      continue;
    }
    struct rc_vkey v;
    rc_skey_vkey(k, &v);
    rc_vkey_encode(&v, b);
    i = j;
  }
}

/* Reads leading "@NAME\n" lines of p[0..n) into signers; returns how many
 * bytes they take. */
static size_t signer_lines(const uint8_t *p, size_t n, struct rc_skey **signers,
                           size_t *nsigners) {
  size_t i = 0;
  *nsigners = 0;
  while (i < n && p[i] == '@' && *nsigners < MAX_SIGNERS) {
    const uint8_t *nl = memchr(p + i, '\n', n - i);
    if (!nl) break;
    struct rc_skey *k =
        key_for((const char *)p + i + 1, (size_t)(nl - p) - i - 1);
    if (!k) break;
    signers[(*nsigners)++] = k;
    i = (size_t)(nl - p) + 1;
  }
  return i;
}

/* One signed note: the (expanded) text, an empty line, one signature line
 * per signer. Falls back to the bytes as they are when a signer refuses
 * the text (no final newline, say). */
static void signed_note(struct rc_buf *out, const uint8_t *p, size_t n,
                        struct rc_skey **signers, size_t nsigners) {
  struct rc_buf text = {0};
  expand(&text, p, n);
  if (text.oom) {
    rc_buf_free(&text);
    return;
  }
  struct rc_buf sigs = {0};
  int ok = text.len > 0;
  if (nsigners > siglines_left) nsigners = siglines_left;
  siglines_left -= nsigners;
  for (size_t s = 0; ok && s < nsigners; s++) {
    struct rc_vkey v;
    rc_skey_vkey(signers[s], &v);
    ok = rc_note_sigline(&v, signers[s]->sk, text.p, text.len, &sigs) == RC_OK;
  }
  rc_buf_put(out, text.p, text.len);
  if (ok && nsigners) {
    rc_buf_putc(out, '\n');
    rc_buf_put(out, sigs.p, sigs.len);
  }
  rc_buf_free(&sigs);
  rc_buf_free(&text);
}

static void body_sign(struct rc_buf *out, const uint8_t *p, size_t n) {
  struct rc_skey *signers[MAX_SIGNERS];
  size_t ns;
  size_t skip = signer_lines(p, n, signers, &ns);
  if (ns == 0) {
    signers[0] = commission;
    ns = 1;
  }
  signed_note(out, p + skip, n - skip, signers, ns);
}

/* Texts separated by empty lines; signed ones are followed by their
 * signature lines, unsigned ones are kept with their separator. */
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
  int rc = rc_receipt_check(pr.receipt.p, pr.receipt.len, &anchor,
                            RC_CRYPTO_BOTH, res);
  FUZZ_CHECK(rc == RC_OK);
  if (!res->verified) {
    rc_report_receipt(stderr, res);
    fprintf(stderr, "the receipt of %s is refused\n", st);
  }
  FUZZ_CHECK(res->verified);
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
