/* fuzz_evidence.c — `recount-verify evidence` (rc_evidence_check,
 * engine/evidence_check.c) on evidence directories built from the input.
 *
 * Input, a sequence of sections (the forms of fuzz_record.c):
 *
 *   %%% NAME raw        the body is written to DIR/NAME as it is
 *   %%% NAME sign       the body is one note text, signed: leading lines
 *                       "@KEY" (at most 4) choose the signers, none means
 *                       the commission key; "@KEY" elsewhere becomes the
 *                       verifier key encoding of key KEY (so a manifest
 *                       can register station keys the harness holds)
 *   %%% NAME link       DIR/NAME is a symbolic link to the body's first line
 *   %%% NAME fifo       DIR/NAME is a FIFO
 *   %%% NAME dir        DIR/NAME is a directory
 *
 * NAME is one component of [a-z0-9._-], not "." or "..". Keys are derived
 * from a fixed seed; at most 64 key names and 64 signature lines per
 * input.
 *
 * Invariants: rc_evidence_check returns RC_OK or RC_ERR_NOMEM (the
 * directory always opens); a refusal says why; the result is the same
 * when checked twice; a proof means the directory holds exactly the three
 * regular files, a.note and b.note differ, and the station named is one
 * of the manifest's (re-read here independently). Set TMPDIR to a tmpfs;
 * FUZZ_EVIDENCE_SHOW=1 prints each result on stderr. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "hash.h"
#include "keys.h"
#include "note.h"
#include "observed.h"
#include "read.h"
#include "signing.h"
#include "skey.h"
#include "texts.h"

#define COMMISSION "fuzz.example/commission"
#define MAX_SECTIONS 16
#define MAX_SIGNERS 4
#define KEY_CACHE 64    /* distinct key names per input */
#define MAX_SIGLINES 64 /* signature lines the harness makes per input */

static char base[64]; /* mkdtemp directory, holds "e" per input */
static char root[96]; /* base/e: the evidence directory */
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
  if (commission) return;
  fuzz_crypto_init();
  const char *t = getenv("TMPDIR");
  snprintf(base, sizeof base, "%s/recount-fuzz.XXXXXX",
           t && *t && strlen(t) < 32 ? t : "/tmp");
  FUZZ_CHECK(mkdtemp(base) != NULL);
  snprintf(root, sizeof root, "%s/e", base);
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
/* One component of [a-z0-9._-], not "." or "..": fills full. */
static int make_name(const uint8_t *p, size_t n, char *full, size_t cap) {
  if (n == 0 || n > 64) return -1;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return -1;
  }
  if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
    return -1;
  int w = snprintf(full, cap, "%s/%.*s", root, (int)n, (const char *)p);
  return w < 0 || (size_t)w >= cap ? -1 : 0;
}

static void write_file(const char *path, const struct rc_buf *b) {
  /* O_NONBLOCK: a FIFO an earlier section made must not block the harness */
  int fd =
      open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK, 0644);
  if (fd < 0) return;
  size_t off = 0;
  while (off < b->len) {
    ssize_t w = write(fd, b->p + off, b->len - off);
    if (w <= 0) break;
    off += (size_t)w;
  }
  close(fd);
}

/* What a proof implies, checked without the code under test's reading. */
static void check_proof(const struct rc_evidence_result *res) {
  size_t n = 0;
  DIR *d = opendir(root);
  FUZZ_CHECK(d != NULL);
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    struct stat st;
    FUZZ_CHECK(fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0);
    FUZZ_CHECK(S_ISREG(st.st_mode));
    FUZZ_CHECK(!strcmp(de->d_name, "manifest.note") ||
               !strcmp(de->d_name, "a.note") || !strcmp(de->d_name, "b.note"));
    n++;
  }
  closedir(d);
  FUZZ_CHECK(n == 3);
  uint8_t *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  char pa[128], pb[128];
  struct rc_error err;
  snprintf(pa, sizeof pa, "%s/a.note", root);
  snprintf(pb, sizeof pb, "%s/b.note", root);
  FUZZ_CHECK(rc_read_file(pa, RC_NOTE_MAX, &a, &alen, &err) == RC_OK);
  FUZZ_CHECK(rc_read_file(pb, RC_NOTE_MAX, &b, &blen, &err) == RC_OK);
  struct rc_note na, nb;
  FUZZ_CHECK(rc_note_parse(a, alen, &na, &err) == RC_OK);
  FUZZ_CHECK(rc_note_parse(b, blen, &nb, &err) == RC_OK);
  FUZZ_CHECK(na.textlen != nb.textlen ||
             memcmp(na.text, nb.text, na.textlen) != 0);
  struct rc_sheet s;
  FUZZ_CHECK(rc_parse_sheet(na.text, na.textlen, &s, &err) == RC_OK);
  FUZZ_CHECK(!strcmp(s.station, res->station));
  FUZZ_CHECK(rc_parse_sheet(nb.text, nb.textlen, &s, &err) == RC_OK);
  FUZZ_CHECK(!strcmp(s.station, res->station));
  free(a);
  free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init();
  static const char hdr[] = "%%% ";
  if (size < 4 || memcmp(data, hdr, 4) != 0) return 0;
  reset_keys();
  rm_tree(root);
  FUZZ_CHECK(mkdir(root, 0755) == 0);
  size_t pos = 0;
  for (int s = 0; s < MAX_SECTIONS && pos < size; s++) {
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
    const uint8_t *sp = memchr(h, ' ', hn);
    if (!sp) continue;
    size_t pn = (size_t)(sp - h);
    const uint8_t *mode = sp + 1;
    size_t mn = hn - pn - 1;
    char full[256];
    if (make_name(h, pn, full, sizeof full) != 0) continue;
    struct rc_buf b = {0};
    if (mn == 3 && !memcmp(mode, "raw", 3)) {
      rc_buf_put(&b, body, bn);
    } else if (mn == 4 && !memcmp(mode, "sign", 4)) {
      body_sign(&b, body, bn);
    } else if (mn == 4 && !memcmp(mode, "link", 4)) {
      char target[128];
      size_t tn = 0;
      while (tn < bn && tn + 1 < sizeof target && body[tn] != '\n' &&
             body[tn] != 0) {
        target[tn] = (char)body[tn];
        tn++;
      }
      target[tn] = 0;
      if (tn) (void)!symlink(target, full);
      continue;
    } else if (mn == 4 && !memcmp(mode, "fifo", 4)) {
      (void)!mkfifo(full, 0644);
      continue;
    } else if (mn == 3 && !memcmp(mode, "dir", 3)) {
      (void)!mkdir(full, 0755);
      continue;
    } else {
      continue;
    }
    if (!b.oom) write_file(full, &b);
    rc_buf_free(&b);
  }
  struct rc_evidence_result r1, r2;
  int rc1 = rc_evidence_check(root, &anchor, NULL, &r1);
  FUZZ_CHECK(rc1 == RC_OK || rc1 == RC_ERR_NOMEM);
  if (rc1 != RC_OK) return 0;
  if (getenv("FUZZ_EVIDENCE_SHOW"))
    fprintf(stderr, "%s %s\n", r1.proved ? "proved" : "not proved:", r1.why);
  FUZZ_CHECK(r1.proved || r1.why[0]);
  FUZZ_CHECK(memchr(r1.why, 0, sizeof r1.why) != NULL);
  for (const char *c = r1.why; *c; c++) FUZZ_CHECK((unsigned char)*c >= 0x20);
  int rc2 = rc_evidence_check(root, &anchor, NULL, &r2);
  FUZZ_CHECK(rc2 == RC_OK);
  FUZZ_CHECK(r1.proved == r2.proved && !strcmp(r1.why, r2.why));
  if (r1.proved) {
    check_proof(&r1);
    struct rc_evidence_result r3;
    FUZZ_CHECK(rc_evidence_check(root, &anchor, r1.station, &r3) == RC_OK);
    FUZZ_CHECK(r3.proved);
  }
  return 0;
}
