/* test_vectors_notes.c — signed notes (formats/note.h), verifier keys
 * (formats/keys.h) and signer keys (sign/skey.h) against the public
 * vectors in testvectors/notes (SOURCES.md there; the .txt files come from
 * signed_note_vectors.json by scripts/vectors2txt.py), then hand-made
 * framing and rejection cases.
 *
 * note_cases.txt states per case what recount decides (see the EXPECT
 * table in scripts/vectors2txt.py): ok, parse (rc_note_parse refuses),
 * sig-fail (a line by a KNOWN key fails: rc_note_verify returns
 * RC_ERR_SIG) or sig-none (no line by a known key; lines by unknown keys
 * are ignored, so nothing verified: RC_ERR_SIG). */
#include <sodium.h>

#include "b64.h"
#include "keys.h"
#include "note.h"
#include "skey.h"
#include "testutil.h"

#define EMDASH "\xe2\x80\x94"

static struct rc_vkey vkey(const char *s) {
  struct rc_vkey k;
  struct rc_error err;
  if (rc_vkey_parse(s, strlen(s), &k, &err) != RC_OK)
    fail_msg("vkey %s refused: %s", s, err.msg);
  return k;
}

/* comma-separated verifier keys ('-' none) into keys[]; returns the count */
static size_t vkeys(char *list, struct rc_vkey *keys, size_t max) {
  size_t n = 0;
  char *save = NULL;
  for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
    if (strcmp(t, "-")) {
      assert_true(n < max);
      keys[n++] = vkey(t);
    }
  return n;
}

/* ---- the Go sumdb/note example ------------------------------------------ */

static void test_go_example(void **state) {
  (void)state;
  char *buf = (char *)tu_read_file("testvectors/notes/signed_notes.txt", NULL);
  char *cur = buf, *f[8], *peter_vkey = NULL;
  size_t nf, done = 0;
  while ((nf = tu_fields(&cur, f, 8)) > 0) {
    if (!strcmp(f[0], "key") && !strncmp(f[1], "PeterNeumann+", 13)) peter_vkey = f[1];
    if (strcmp(f[0], "signcheck")) continue;
    assert_int_equal(nf, 4);
    assert_non_null(peter_vkey); /* key lines come first */
    struct rc_skey *sk = rc_skey_new();
    assert_non_null(sk);
    struct rc_error err;
    assert_int_equal(rc_skey_parse(f[1], strlen(f[1]), sk, &err), RC_OK);
    size_t tn, en;
    uint8_t *text = tu_hexf(f[2], &tn), *expect = tu_hexf(f[3], &en);
    struct rc_vkey v;
    rc_skey_vkey(sk, &v);
    struct rc_buf line = {0};
    assert_int_equal(rc_note_sigline(&v, sk->sk, text, tn, &line), RC_OK);
    /* expected = text || "\n" || the signature line */
    assert_int_equal(tn + 1 + line.len, en);
    assert_memory_equal(expect, text, tn);
    assert_int_equal(expect[tn], '\n');
    assert_memory_equal(expect + tn + 1, line.p, line.len);
    /* the published verifier key verifies the published note */
    struct rc_vkey pub = vkey(peter_vkey);
    assert_memory_equal(pub.id, v.id, 4);
    assert_memory_equal(pub.pk, v.pk, 32);
    struct rc_note n;
    assert_int_equal(rc_note_parse(expect, en, &n, &err), RC_OK);
    assert_int_equal(n.textlen, tn);
    struct rc_note_check res;
    int ks;
    assert_int_equal(rc_note_verify(&n, &pub, 1, RC_CRYPTO_BOTH, &res, &ks), RC_OK);
    assert_int_equal(res.verified, 1);
    assert_int_equal(ks, 1);
    rc_buf_free(&line);
    free(text), free(expect);
    rc_skey_free(sk);
    done++;
  }
  assert_int_equal(done, 1);
  printf("sumdb/note example: PeterNeumann signature line reproduced byte "
         "for byte and verified with the published vkey\n");
  free(buf);
}

/* ---- keys: ids, round trips, substrings, mutations ------------------------ */

static void test_keys(void **state) {
  (void)state;
  char *buf = (char *)tu_read_file("testvectors/notes/signed_notes.txt", NULL);
  char *cur = buf, *f[8];
  size_t nkeys = 0, nskeys = 0, nbad = 0, vrej = 0, srej = 0;
  struct rc_error err;
  while (tu_fields(&cur, f, 8) > 0) {
    if (!strcmp(f[0], "badvkey")) {
      struct rc_vkey k;
      assert_int_not_equal(rc_vkey_parse(f[1], strlen(f[1]), &k, &err), RC_OK);
      nbad++;
      continue;
    }
    if (strcmp(f[0], "key")) continue;
    struct rc_vkey k = vkey(f[1]);
    size_t idn;
    uint8_t *id = tu_unhex(f[3], 8, &idn);
    assert_non_null(id);
    assert_memory_equal(k.id, id, 4);
    uint8_t again[4];
    rc_key_id(k.name, k.namelen, k.pk, again);
    assert_memory_equal(again, id, 4);
    free(id);
    struct rc_buf b = {0};
    rc_vkey_encode(&k, &b);
    assert_int_equal(b.len, strlen(f[1]));
    assert_memory_equal(b.p, f[1], b.len);
    rc_buf_free(&b);
    int peter = !strncmp(f[1], "PeterNeumann+", 13);
    if (peter) {
      /* every proper prefix and proper substring, every +1 mutation */
      size_t L = strlen(f[1]);
      for (size_t i = 0; i < L; i++)
        for (size_t j = i; j <= L; j++) {
          if (i == 0 && j == L) continue;
          struct rc_vkey x;
          if (rc_vkey_parse(f[1] + i, j - i, &x, &err) == RC_OK)
            fail_msg("vkey substring [%zu,%zu) accepted", i, j);
          vrej++;
        }
      for (size_t i = 0; i < L; i++) {
        f[1][i]++;
        struct rc_vkey x;
        if (rc_vkey_parse(f[1], L, &x, &err) == RC_OK)
          fail_msg("vkey with byte %zu incremented accepted", i);
        f[1][i]--;
        vrej++;
      }
    }
    if (strcmp(f[2], "-")) {
      struct rc_skey *sk = rc_skey_new();
      assert_non_null(sk);
      assert_int_equal(rc_skey_parse(f[2], strlen(f[2]), sk, &err), RC_OK);
      assert_memory_equal(sk->pk, k.pk, 32);
      assert_memory_equal(sk->id, k.id, 4);
      char text[RC_SKEY_TEXT_MAX];
      size_t tl = rc_skey_encode(sk, text);
      assert_int_equal(tl, strlen(f[2]) + 1);
      assert_memory_equal(text, f[2], tl - 1);
      assert_int_equal(text[tl - 1], '\n');
      sodium_memzero(text, sizeof text);
      if (peter) {
        size_t L = strlen(f[2]);
        for (size_t i = 0; i < L; i++)
          for (size_t j = i; j <= L; j++) {
            if (i == 0 && j == L) continue;
            if (rc_skey_parse(f[2] + i, j - i, sk, &err) == RC_OK)
              fail_msg("skey substring [%zu,%zu) accepted", i, j);
            srej++;
          }
        for (size_t i = 0; i < L; i++) {
          f[2][i]++;
          if (rc_skey_parse(f[2], L, sk, &err) == RC_OK)
            fail_msg("skey with byte %zu incremented accepted", i);
          f[2][i]--;
          srej++;
        }
      }
      rc_skey_free(sk);
      nskeys++;
    }
    nkeys++;
  }
  assert_int_equal(nkeys, 12);
  assert_true(nbad >= 2 && vrej > 0 && srej > 0);
  printf("keys: %zu vkeys (ids recomputed, re-encoded), %zu skeys; %zu bad "
         "vkeys rejected; PeterNeumann: %zu vkey and %zu skey substrings and "
         "+1 mutations rejected\n",
         nkeys, nskeys, nbad, vrej, srej);
  free(buf);
}

/* ---- valid and invalid notes ------------------------------------------- */

static void test_note_cases(void **state) {
  (void)state;
  char *buf = (char *)tu_read_file("testvectors/notes/note_cases.txt", NULL);
  char *cur = buf, *f[8];
  size_t count[4] = {0};
  static const char *const kinds[4] = {"ok", "parse", "sig-fail", "sig-none"};
  while (tu_fields(&cur, f, 8) == 4) {
    int kind = -1;
    for (int i = 0; i < 4; i++)
      if (!strcmp(f[0], kinds[i])) kind = i;
    assert_true(kind >= 0);
    size_t nn;
    uint8_t *note = tu_hexf(f[1], &nn);
    struct rc_vkey keys[8];
    size_t nk = vkeys(f[2], keys, 8);
    struct rc_note n;
    struct rc_error err;
    int prc = rc_note_parse(note, nn, &n, &err);
    if (kind == 1) {
      if (prc == RC_OK) fail_msg("%s: parsed, expected a parse error", f[3]);
    } else {
      if (prc != RC_OK) fail_msg("%s: parse error: %s", f[3], err.msg);
      struct rc_note_check res;
      int vrc = rc_note_verify(&n, keys, nk, RC_CRYPTO_BOTH, &res, NULL);
      if (kind == 0 && (vrc != RC_OK || res.verified == 0 || res.failed))
        fail_msg("%s: did not verify", f[3]);
      if (kind == 2 && (vrc != RC_ERR_SIG || res.failed == 0))
        fail_msg("%s: expected a failing known-key line", f[3]);
      if (kind == 3 && (vrc != RC_ERR_SIG || res.verified || res.failed ||
                        res.unknown == 0))
        fail_msg("%s: expected only unknown-key lines", f[3]);
    }
    free(note);
    count[kind]++;
  }
  assert_true(count[0] == 8 && count[1] == 8 && count[2] == 2 && count[3] == 3);
  printf("signed notes: %zu cases: %zu verify, %zu parse errors, %zu fail by "
         "a known key, %zu have no known key\n",
         count[0] + count[1] + count[2] + count[3], count[0], count[1],
         count[2], count[3]);
  free(buf);
}

/* C2SP examples whose keys are unpublished: the split (at the LAST empty
 * line), the signature lengths and key ids. The checkpoint ones parse; the
 * cosigned one carries a 72-byte witness signature (type 0x04), which is
 * parsed and ignored as a line by an unknown key. */
static void test_split_examples(void **state) {
  (void)state;
  char *buf = (char *)tu_read_file("testvectors/notes/signed_notes.txt", NULL);
  char *cur = buf, *f[8];
  size_t cases = 0;
  while (tu_fields(&cur, f, 8) > 0) {
    if (strcmp(f[0], "split")) continue;
    size_t nn;
    uint8_t *note = tu_hexf(f[1], &nn);
    struct rc_note n;
    struct rc_error err;
    assert_int_equal(rc_note_parse(note, nn, &n, &err), RC_OK);
    assert_int_equal(n.textlen, strtoul(f[2], NULL, 10));
    assert_int_equal(n.nsigs, strtoul(f[3], NULL, 10));
    char *ls = f[4], *is = f[5];
    for (size_t i = 0; i < n.nsigs; i++) {
      assert_int_equal(n.sigs[i].siglen, strtoul(ls, &ls, 10));
      ls++;
      size_t idn;
      uint8_t *id = tu_unhex(is, 8, &idn);
      assert_memory_equal(n.sigs[i].keyid, id, 4);
      free(id);
      is += 9;
    }
    /* the text ends where the last empty line starts */
    assert_int_equal(note[n.textlen - 1], '\n');
    assert_int_equal(note[n.textlen], '\n');
    struct rc_note_check res;
    assert_int_equal(rc_note_verify(&n, NULL, 0, RC_CRYPTO_BOTH, &res, NULL), RC_ERR_SIG);
    assert_int_equal(res.unknown, n.nsigs);
    if (cases == 0) {
      /* the opening example: its text holds an empty line */
      assert_non_null(memmem(n.text, n.textlen, "\n\n", 2));
      assert_memory_equal(n.sigs[0].name, "quasimodo.example/salvatore", 27);
    }
    free(note);
    cases++;
  }
  assert_int_equal(cases, 3);
  printf("C2SP examples: %zu notes split (one with an empty line in its "
         "text, two checkpoints, one with a witness cosignature)\n", cases);
  free(buf);
}

/* ---- hand-made notes ----------------------------------------------------- */

struct fixture {
  struct rc_skey *sk, *other;
  struct rc_vkey v, ov;
  struct rc_buf line; /* one signature line by sk over TEXT */
  struct rc_buf one;  /* TEXT "\n" line */
};
static const char TEXT[] = "recount count-sheet v1\nelection e\n";

static void make(struct fixture *x) {
  struct rc_error err;
  memset(x, 0, sizeof *x);
  x->sk = rc_skey_new();
  x->other = rc_skey_new();
  assert_true(x->sk && x->other);
  uint8_t seed[32] = {1}, seed2[32] = {2};
  assert_int_equal(rc_skey_from_seed(x->sk, "st", seed, &err), RC_OK);
  assert_int_equal(rc_skey_from_seed(x->other, "other", seed2, &err), RC_OK);
  rc_skey_vkey(x->sk, &x->v);
  rc_skey_vkey(x->other, &x->ov);
  assert_int_equal(rc_note_sigline(&x->v, x->sk->sk, (const uint8_t *)TEXT,
                                   strlen(TEXT), &x->line),
                   RC_OK);
  rc_buf_puts(&x->one, TEXT);
  rc_buf_putc(&x->one, '\n');
  rc_buf_put(&x->one, x->line.p, x->line.len);
}

static void unmake(struct fixture *x) {
  rc_skey_free(x->sk);
  rc_skey_free(x->other);
  rc_buf_free(&x->line);
  rc_buf_free(&x->one);
}

/* 1 if buf parses and verifies under keys */
static int accepts(const void *buf, size_t len, const struct rc_vkey *keys,
                   size_t nk) {
  struct rc_note n;
  struct rc_error err;
  return rc_note_parse(buf, len, &n, &err) == RC_OK &&
         rc_note_verify(&n, keys, nk, RC_CRYPTO_BOTH, NULL, NULL) == RC_OK;
}

/* a signature line for name with raw (key id || sig) of rawlen bytes */
static void put_line(struct rc_buf *b, const char *name, const uint8_t *raw,
                     size_t rawlen) {
  rc_buf_puts(b, EMDASH " ");
  rc_buf_puts(b, name);
  rc_buf_putc(b, ' ');
  rc_b64_append(b, raw, rawlen);
  rc_buf_putc(b, '\n');
}

static void test_note_limits(void **state) {
  (void)state;
  struct fixture x;
  make(&x);
  struct rc_note n;
  struct rc_error err;
  assert_true(accepts(x.one.p, x.one.len, &x.v, 1));
  /* 16 signature lines accepted, 17 refused */
  struct rc_buf many = {0};
  rc_buf_put(&many, x.one.p, x.one.len);
  for (int i = 1; i < 16; i++) rc_buf_put(&many, x.line.p, x.line.len);
  assert_int_equal(rc_note_parse(many.p, many.len, &n, &err), RC_OK);
  assert_int_equal(n.nsigs, 16);
  assert_true(accepts(many.p, many.len, &x.v, 1));
  rc_buf_put(&many, x.line.p, x.line.len);
  assert_int_equal(rc_note_parse(many.p, many.len, &n, &err), RC_ERR_LIMIT);
  assert_int_equal(err.line, 4 + 16);
  size_t used;
  assert_int_not_equal(rc_note_next(many.p, many.len, &used, &n, &err), RC_OK);
  assert_int_equal(used, 0);
  rc_buf_free(&many);

  /* textual mutations of the valid note: each must be refused */
  static const struct {
    const char *what, *from, *to;
  } muts[] = {
      {"CRLF in the text", "v1\n", "v1\r\n"},
      {"CRLF before the empty line", "e\n\n", "e\r\n\n"},
      {"CR at the end of the sig line", "=\n", "=\r\n"},
      {"control char 0x01", "election", "elec\x01tion"},
      {"control char 0x7f", "election", "elec\x7ftion"},
      {"tab", "election e", "election\te"},
      {"NUL", "election", "elec\0tion"}, /* cut: strings are NUL-ended */
      {"sig line without the em dash", EMDASH " st", "- st"},
      {"en dash instead of em dash", EMDASH " st", "\xe2\x80\x93 st"},
      {"em dash without its space", EMDASH " st", EMDASH "st"},
      {"two spaces after the dash", EMDASH " st", EMDASH "  st"},
      {"name with '+'", EMDASH " st ", EMDASH " s+t "},
      {"empty name", EMDASH " st ", EMDASH "  "},
      {"invalid UTF-8", "election", "elec\xc0\xaftion"},
  };
  size_t nm = sizeof muts / sizeof muts[0];
  for (size_t i = 0; i < nm; i++) {
    char *s = strndup((const char *)x.one.p, x.one.len);
    char *at = strstr(s, muts[i].from);
    assert_non_null(at);
    struct rc_buf m = {0};
    rc_buf_put(&m, s, (size_t)(at - s));
    rc_buf_puts(&m, muts[i].to);
    if (!strcmp(muts[i].what, "NUL")) rc_buf_put(&m, "\0", 1);
    rc_buf_puts(&m, at + strlen(muts[i].from));
    if (accepts(m.p, m.len, &x.v, 1)) fail_msg("mutation '%s' accepted", muts[i].what);
    rc_buf_free(&m);
    free(s);
  }

  /* missing final newline; garbage line after the signatures; empty text;
   * nothing at all; no empty line; an empty line but no signature */
  assert_int_not_equal(rc_note_parse(x.one.p, x.one.len - 1, &n, &err), RC_OK);
  struct rc_buf g = {0};
  rc_buf_put(&g, x.one.p, x.one.len);
  rc_buf_puts(&g, "garbage\n");
  assert_int_not_equal(rc_note_parse(g.p, g.len, &n, &err), RC_OK);
  assert_int_equal(err.line, 5);
  rc_buf_free(&g);
  struct rc_buf e = {0};
  rc_buf_puts(&e, "\n");
  rc_buf_put(&e, x.line.p, x.line.len);
  assert_int_not_equal(rc_note_parse(e.p, e.len, &n, &err), RC_OK);
  assert_int_not_equal(rc_note_next(e.p, e.len, &used, &n, &err), RC_OK);
  rc_buf_free(&e);
  assert_int_not_equal(rc_note_parse((const uint8_t *)"", 0, &n, &err), RC_OK);
  assert_int_not_equal(rc_note_parse((const uint8_t *)TEXT, strlen(TEXT), &n, &err), RC_OK);
  struct rc_buf t = {0};
  rc_buf_puts(&t, TEXT);
  rc_buf_putc(&t, '\n');
  assert_int_not_equal(rc_note_parse(t.p, t.len, &n, &err), RC_OK);
  rc_buf_free(&t);
  /* a signing request for text without its final newline is refused */
  struct rc_buf tmp = {0};
  assert_int_not_equal(rc_note_sigline(&x.v, x.sk->sk, (const uint8_t *)TEXT,
                                       strlen(TEXT) - 1, &tmp),
                       RC_OK);
  rc_buf_free(&tmp);

  /* bad base64 in the signature: missing padding, URL-safe, non-zero
   * unused bits, a stray space */
  /* the line buffer is not NUL-terminated: search within its length */
  const char *b64 = memrchr(x.line.p, ' ', x.line.len);
  assert_non_null(b64);
  b64++;
  size_t b64len = x.line.len - (size_t)(b64 - (const char *)x.line.p) - 1;
  assert_int_equal(b64len, 92); /* 68 bytes */
  for (int kind = 0; kind < 4; kind++) {
    struct rc_buf m = {0};
    rc_buf_puts(&m, TEXT);
    rc_buf_puts(&m, "\n" EMDASH " st ");
    char sig[100];
    memcpy(sig, b64, 92);
    sig[92] = 0;
    if (kind == 0) sig[91] = 0;                      /* "xx=" */
    if (kind == 1) sig[10] = '_';
    if (kind == 2) { /* set an unused low bit of the last group "xxx=" */
      static const char al[] =
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      size_t v = (size_t)(strchr(al, sig[90]) - al);
      sig[90] = al[v | 1];
    }
    if (kind == 3) sig[40] = ' ';
    rc_buf_puts(&m, sig);
    rc_buf_putc(&m, '\n');
    if (accepts(m.p, m.len, &x.v, 1)) fail_msg("bad base64 kind %d accepted", kind);
    rc_buf_free(&m);
  }

  /* 63- and 65-byte signatures after the key id: the line parses (a line
   * of another algorithm by an unknown key must be ignorable), but a known
   * key's line of the wrong length fails */
  uint8_t raw[4 + 65];
  memcpy(raw, x.v.id, 4);
  memset(raw + 4, 0x5a, 65);
  for (size_t len = 63; len <= 65; len += 2) {
    struct rc_buf m = {0};
    rc_buf_puts(&m, TEXT);
    rc_buf_putc(&m, '\n');
    put_line(&m, "st", raw, 4 + len);
    assert_int_equal(rc_note_parse(m.p, m.len, &n, &err), RC_OK);
    assert_int_equal(n.sigs[0].siglen, len);
    struct rc_note_check res;
    assert_int_equal(rc_note_verify(&n, &x.v, 1, RC_CRYPTO_BOTH, &res, NULL), RC_ERR_SIG);
    assert_int_equal(res.failed, 1);
    rc_buf_free(&m);
  }
  /* fewer than 5 decoded bytes: no key id and signature at all */
  struct rc_buf m = {0};
  rc_buf_puts(&m, TEXT);
  rc_buf_putc(&m, '\n');
  put_line(&m, "st", raw, 4);
  assert_int_not_equal(rc_note_parse(m.p, m.len, &n, &err), RC_OK);
  rc_buf_free(&m);
  printf("notes: 16 sig lines accepted, 17 refused; %zu mutations, 6 "
         "framing cases, 4 bad base64 refused; 63/65-byte signatures by a known key fail\n", nm);
  unmake(&x);
}

static void test_note_framing(void **state) {
  (void)state;
  struct fixture x;
  make(&x);
  struct rc_note n;
  struct rc_error err;
  /* three concatenated notes frame one by one */
  struct rc_buf cat = {0};
  for (int i = 0; i < 3; i++) rc_buf_put(&cat, x.one.p, x.one.len);
  size_t pos = 0, used, frames = 0;
  while (pos < cat.len) {
    size_t span;
    assert_int_equal(rc_note_span(cat.p + pos, cat.len - pos, &span, &err), RC_OK);
    assert_int_equal(rc_note_next(cat.p + pos, cat.len - pos, &used, &n, &err), RC_OK);
    assert_int_equal(used, x.one.len);
    assert_int_equal(span, used);
    assert_int_equal(n.textlen, strlen(TEXT));
    assert_int_equal(rc_note_verify(&n, &x.v, 1, RC_CRYPTO_BOTH, NULL, NULL), RC_OK);
    pos += used;
    frames++;
  }
  assert_int_equal(frames, 3);
  /* a truncated concatenation: two whole notes, then the third cut inside
   * its text. The first two frame; the third fails with a line number. */
  size_t cuts = 0;
  for (size_t cut = 1; cut < x.one.len; cut++) {
    struct rc_buf t = {0};
    rc_buf_put(&t, cat.p, 2 * x.one.len + cut);
    pos = 0;
    frames = 0;
    while (rc_note_next(t.p + pos, t.len - pos, &used, &n, &err) == RC_OK) {
      pos += used;
      frames++;
    }
    /* a cut inside the last signature line's base64 can leave a line
     * without its newline: an error too. Only a cut right after a
     * complete signature line would frame, and that is the full note. */
    assert_int_equal(frames, 2);
    assert_int_equal(pos, 2 * x.one.len);
    assert_int_equal(used, 0);
    assert_true(err.line >= 1);
    /* rc_note_span only frames (text to the first empty line, then the
     * lines that begin with the em dash): it fails while the empty line is
     * missing or a dash line lacks its newline; otherwise it spans what
     * is there and rc_note_next (above) is the one that refuses it. */
    size_t span;
    int src = rc_note_span(t.p + pos, t.len - pos, &span, &err);
    if (cut <= strlen(TEXT)) assert_int_not_equal(src, RC_OK);
    if (src != RC_OK) assert_true(err.line >= 1);
    else assert_true(span <= cut);
    rc_buf_free(&t);
    cuts++;
  }
  /* the cut inside the text names the last line of the remainder */
  struct rc_buf t = {0};
  rc_buf_put(&t, cat.p, 2 * x.one.len + strlen(TEXT));
  assert_int_not_equal(rc_note_next(t.p + 2 * x.one.len, strlen(TEXT), &used, &n, &err),
                       RC_OK);
  assert_int_equal(err.line, 3);
  size_t span;
  assert_int_not_equal(rc_note_span(t.p + 2 * x.one.len, strlen(TEXT), &span, &err), RC_OK);
  assert_int_equal(err.line, 3);
  rc_buf_free(&t);
  rc_buf_free(&cat);

  /* known key that fails (RC_ERR_SIG) vs an unknown key's line (ignored) */
  assert_int_equal(rc_note_parse(x.one.p, x.one.len, &n, &err), RC_OK);
  struct rc_note_check res;
  assert_int_equal(rc_note_verify(&n, &x.ov, 1, RC_CRYPTO_BOTH, &res, NULL), RC_ERR_SIG);
  assert_int_equal(res.unknown, 1);
  assert_int_equal(res.failed, 0);
  struct rc_vkey both[2] = {x.v, x.ov};
  int ks[2];
  assert_int_equal(rc_note_verify(&n, both, 2, RC_CRYPTO_BOTH, &res, ks), RC_OK);
  assert_true(ks[0] == 1 && ks[1] == 0);
  /* add a line by "other" with a bad signature: other is known, so fails */
  struct rc_buf two = {0};
  rc_buf_put(&two, x.one.p, x.one.len);
  uint8_t raw[68];
  memcpy(raw, x.ov.id, 4);
  memset(raw + 4, 0x11, 64);
  put_line(&two, "other", raw, sizeof raw);
  assert_int_equal(rc_note_parse(two.p, two.len, &n, &err), RC_OK);
  assert_int_equal(rc_note_verify(&n, both, 2, RC_CRYPTO_BOTH, &res, ks), RC_ERR_SIG);
  assert_true(res.verified == 1 && res.failed == 1);
  assert_true(ks[0] == 1 && ks[1] == -1);
  /* ...but with only st known, the bad line is by an unknown key: ignored */
  assert_int_equal(rc_note_verify(&n, &x.v, 1, RC_CRYPTO_BOTH, &res, ks), RC_OK);
  assert_true(res.verified == 1 && res.unknown == 1 && ks[0] == 1);
  rc_buf_free(&two);
  printf("framing: 3 concatenated notes framed; %zu truncations frame the "
         "first two then fail with a line number; known-key failure vs "
         "unknown-key line checked\n", cuts);
  unmake(&x);
}

int main(void) {
  if (rc_crypto_init() != 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_go_example),   cmocka_unit_test(test_keys),
      cmocka_unit_test(test_note_cases),   cmocka_unit_test(test_split_examples),
      cmocka_unit_test(test_note_limits),  cmocka_unit_test(test_note_framing),
  };
  return cmocka_run_group_tests_name("vectors_notes", tests, NULL, NULL);
}
