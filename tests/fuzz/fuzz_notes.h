/* fuzz_notes.h — what the harnesses that build whole directories share
 * (fuzz_record.c, fuzz_evidence.c): keys derived from "@NAME" tokens, a
 * per-input key cache, signed notes built from sections of the input, and
 * the scratch directory. Each harness includes it once; everything is
 * static, so each binary has its own copy of the state. */
#ifndef RC_FUZZ_NOTES_H
#define RC_FUZZ_NOTES_H
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "hash.h"
#include "keys.h"
#include "note.h"
#include "signing.h"
#include "skey.h"

#define COMMISSION "fuzz.example/commission"
#define MAX_SIGNERS 4
#define KEY_CACHE 64    /* distinct key names per input */
#define MAX_SIGLINES 64 /* signature lines the harness makes per input */

static char base[64]; /* mkdtemp directory, holds one directory per input */
static char root[96]; /* base/<leaf>: what the harness builds per input */
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

/* The common part of each harness's init: the crypto libraries, the
 * scratch directory (TMPDIR, else /tmp), root = base/leaf, removed at exit,
 * and the commission key as cache entry 0. */
static void fuzz_notes_init(const char *leaf) {
  fuzz_crypto_init();
  const char *t = getenv("TMPDIR");
  snprintf(base, sizeof base, "%s/recount-fuzz.XXXXXX",
           t && *t && strlen(t) < 32 ? t : "/tmp");
  FUZZ_CHECK(mkdtemp(base) != NULL);
  snprintf(root, sizeof root, "%s/%s", base, leaf);
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
#endif
