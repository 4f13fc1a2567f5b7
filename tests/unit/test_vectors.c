/* test_vectors.c — the Ed25519 policy and signed notes against public
 * vectors (testvectors/ed25519, testvectors/notes; see SOURCES.md there).
 * Every decision on Wycheproof, speccheck and CCTV cases is written out and
 * compared with the committed *_decisions.txt, so any change of behaviour
 * (a library upgrade, a policy change) shows up as a diff. Set
 * RECOUNT_WRITE_DECISIONS=1 to rewrite them after reviewing a change. */
#include <sodium.h>

#include "b64.h"
#include "ed25519.h"
#include "keys.h"
#include "note.h"
#include "skey.h"
#include "testutil.h"

/* Splits the next line of buf (NUL-terminated) into at most max
 * space-separated fields; skips '#' comment lines. Returns the number of
 * fields, 0 at the end. */
static size_t next_fields(char **cur, char **f, size_t max) {
  for (;;) {
    char *line = *cur;
    if (!line || !*line) return 0;
    char *nl = strchr(line, '\n');
    if (nl) {
      *nl = 0;
      *cur = nl + 1;
    } else {
      *cur = line + strlen(line);
    }
    if (line[0] == '#' || !line[0]) continue;
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " ", &save); t && n < max;
         t = strtok_r(NULL, " ", &save))
      f[n++] = t;
    return n;
  }
}

static uint8_t *hexf(const char *s, size_t *n) {
  if (!strcmp(s, "-")) {
    *n = 0;
    return calloc(1, 1);
  }
  uint8_t *p = tu_unhex(s, strlen(s), n);
  assert_non_null(p);
  return p;
}

static const char *cls(enum rc_key_class c) {
  switch (c) {
  case RC_KEY_GOOD: return "good";
  case RC_KEY_NONCANONICAL: return "noncanonical";
  case RC_KEY_SMALL_ORDER: return "small-order";
  default: return "not-prime-subgroup";
  }
}

static const char *res_str(enum rc_sig_result r) {
  switch (r) {
  case RC_SIG_VALID: return "accept";
  case RC_SIG_INVALID: return "reject";
  case RC_SIG_DISAGREE: return "reject(disagree)";
  default: return "error";
  }
}

/* Compares the decisions with the committed file (or rewrites it). */
static void check_decisions(const char *path, struct rc_buf *b) {
  assert_false(b->oom);
  if (getenv("RECOUNT_WRITE_DECISIONS")) {
    tu_write_file(path, b->p, b->len);
    return;
  }
  size_t n;
  uint8_t *want = tu_read_file(path, &n);
  if (n != b->len || memcmp(want, b->p, n) != 0) {
    tu_write_file("build/decisions.actual", b->p, b->len);
    fail_msg("decisions differ from %s (actual in build/decisions.actual)",
             path);
  }
  free(want);
}

static void test_rfc8032(void **state) {
  (void)state;
  size_t len;
  char *buf = (char *)tu_read_file("testvectors/ed25519/rfc8032.txt", &len);
  char *cur = buf, *f[8];
  size_t cases = 0;
  while (next_fields(&cur, f, 8) == 5) {
    size_t sn, pn, mn, gn;
    uint8_t *seed = hexf(f[1], &sn), *pk = hexf(f[2], &pn), *msg = hexf(f[3], &mn),
            *sig = hexf(f[4], &gn);
    assert_int_equal(sn, 32);
    uint8_t mypk[32], sk[64], mysig[64];
    assert_int_equal(rc_ed25519_seed_keypair(seed, mypk, sk), 0);
    assert_memory_equal(mypk, pk, 32);
    assert_int_equal(rc_ed25519_sign(sk, msg, mn, mysig), 0);
    assert_memory_equal(mysig, sig, 64);
    assert_int_equal(rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, NULL, NULL),
                     RC_SIG_VALID);
    /* every single-bit flip of the signature is rejected */
    for (int bit = 0; bit < 512; bit++) {
      sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
      assert_int_not_equal(
          rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, NULL, NULL),
          RC_SIG_VALID);
      sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    pk[5] ^= 1;
    assert_int_not_equal(rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, NULL, NULL),
                         RC_SIG_VALID);
    pk[5] ^= 1;
    if (mn) {
      msg[0] ^= 0x80;
      assert_int_not_equal(
          rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, NULL, NULL),
          RC_SIG_VALID);
    }
    sodium_memzero(sk, sizeof sk);
    free(seed), free(pk), free(msg), free(sig);
    cases++;
  }
  assert_int_equal(cases, 5);
  printf("rfc8032: %zu vectors, 512 signature bit flips each rejected\n", cases);
  free(buf);
}

static void test_supercop(void **state) {
  (void)state;
  size_t len;
  char *buf = (char *)tu_read_file("testvectors/ed25519/sign.input.txt", &len);
  char *line = buf;
  size_t cases = 0;
  while (line && *line) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    if (line[0] != '#') {
      char *p[5];
      size_t k = 0;
      for (char *c = line; k < 5; k++) {
        p[k] = c;
        char *colon = strchr(c, ':');
        if (!colon) break;
        *colon = 0;
        c = colon + 1;
      }
      size_t a = 0, b = 0, m = 0, s = 0;
      uint8_t *sk = tu_unhex(p[0], strlen(p[0]), &a);
      uint8_t *pk = tu_unhex(p[1], strlen(p[1]), &b);
      uint8_t *msg = tu_unhex(p[2], strlen(p[2]), &m);
      uint8_t *sm = tu_unhex(p[3], strlen(p[3]), &s);
      assert_true(sk && pk && msg && sm && a == 64 && b == 32 && s == m + 64);
      uint8_t mypk[32], mysk[64], sig[64];
      assert_int_equal(rc_ed25519_seed_keypair(sk, mypk, mysk), 0);
      assert_memory_equal(mypk, pk, 32);
      assert_int_equal(rc_ed25519_sign(mysk, msg, m, sig), 0);
      assert_memory_equal(sig, sm, 64);
      assert_int_equal(rc_ed25519_verify(pk, msg, m, sig, RC_CRYPTO_BOTH, NULL, NULL),
                       RC_SIG_VALID);
      free(sk), free(pk), free(msg), free(sm);
      cases++;
    }
    line = nl ? nl + 1 : NULL;
  }
  assert_int_equal(cases, 256);
  printf("supercop sign.input: %zu lines signed and verified\n", cases);
  free(buf);
}

static void test_wycheproof(void **state) {
  (void)state;
  size_t len, valid = 0, invalid = 0;
  char *buf = (char *)tu_read_file("testvectors/ed25519/wycheproof.txt", &len);
  char *cur = buf, *f[8];
  struct rc_buf out = {0};
  rc_buf_puts(&out, "# tcId libsodium openssl policy key-class expected\n");
  while (next_fields(&cur, f, 8) == 5) {
    size_t pn, mn, sn;
    uint8_t *pk = hexf(f[1], &pn), *msg = hexf(f[2], &mn), *sig = hexf(f[3], &sn);
    int so = 0, oo = 0;
    enum rc_sig_result r = RC_SIG_INVALID;
    if (pn == 32 && sn == 64)
      r = rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, &so, &oo);
    const char *kc = pn == 32 ? cls(rc_pubkey_check_full(pk)) : "bad-length";
    rc_buf_printf(&out, "%s %d %d %s %s %s\n", f[0], so, oo, res_str(r), kc, f[4]);
    if (!strcmp(f[4], "valid")) {
      assert_int_equal(r, RC_SIG_VALID);
      valid++;
    } else {
      assert_int_not_equal(r, RC_SIG_VALID);
      invalid++;
    }
    free(pk), free(msg), free(sig);
  }
  assert_int_equal(valid + invalid, 151);
  check_decisions("testvectors/ed25519/wycheproof_decisions.txt", &out);
  printf("wycheproof: %zu cases (%zu valid accepted, %zu invalid rejected)\n",
         valid + invalid, valid, invalid);
  rc_buf_free(&out);
  free(buf);
}

/* speccheck and CCTV: record decisions; the policy never accepts under a
 * key the verifier rejects as weak. */
static void edge_cases(const char *in, const char *dec, size_t want,
                       int msg_field, int sig_field) {
  size_t len, n = 0, disagree = 0, accepted = 0;
  char *buf = (char *)tu_read_file(in, &len);
  char *cur = buf, *f[8];
  struct rc_buf out = {0};
  rc_buf_puts(&out, "# case libsodium openssl policy key-class\n");
  while (next_fields(&cur, f, 8) >= 4) {
    size_t pn, mn, sn;
    uint8_t *pk = hexf(f[1], &pn), *msg = hexf(f[msg_field], &mn),
            *sig = hexf(f[sig_field], &sn);
    assert_int_equal(pn, 32);
    assert_int_equal(sn, 64);
    int so = 0, oo = 0;
    enum rc_sig_result r =
        rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, &so, &oo);
    enum rc_key_class kc = rc_pubkey_check(pk);
    /* what the record verifier does: weak keys are rejected first */
    const char *policy = kc != RC_KEY_GOOD ? "reject(KEY_WEAK)" : res_str(r);
    if (kc == RC_KEY_GOOD && r == RC_SIG_VALID) accepted++;
    if (so != oo) disagree++;
    rc_buf_printf(&out, "%s %d %d %s %s\n", f[0], so, oo, policy,
                  cls(rc_pubkey_check_full(pk)));
    free(pk), free(msg), free(sig);
    n++;
  }
  assert_int_equal(n, want);
  check_decisions(dec, &out);
  printf("%s: %zu cases, %zu accepted by the policy, libsodium and OpenSSL "
         "disagree on %zu\n",
         in, n, accepted, disagree);
  rc_buf_free(&out);
  free(buf);
}

static void test_speccheck(void **state) {
  (void)state;
  edge_cases("testvectors/ed25519/speccheck.txt",
             "testvectors/ed25519/speccheck_decisions.txt", 12, 2, 3);
}

static void test_cctv(void **state) {
  (void)state;
  edge_cases("testvectors/ed25519/cctv.txt",
             "testvectors/ed25519/cctv_decisions.txt", 914, 2, 3);
}

static void test_small_order_keys(void **state) {
  (void)state;
  static const char *const so[] = {
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000000000000000000000000000080",
      "0100000000000000000000000000000000000000000000000000000000000000",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"};
  for (size_t i = 0; i < 8; i++) {
    size_t n;
    uint8_t *pk = tu_unhex(so[i], 64, &n);
    assert_int_equal(rc_pubkey_check(pk), RC_KEY_SMALL_ORDER);
    free(pk);
  }
  /* y >= p: non-canonical, with or without the sign bit */
  uint8_t pk[32];
  memset(pk, 0xff, 32);
  pk[31] = 0x7f;
  for (int v = 0xed; v <= 0xff; v++) {
    pk[0] = (uint8_t)v;
    assert_int_equal(rc_pubkey_check(pk), RC_KEY_NONCANONICAL);
    pk[31] = 0xff;
    assert_int_equal(rc_pubkey_check(pk), RC_KEY_NONCANONICAL);
    pk[31] = 0x7f;
  }
  pk[0] = 0xec; /* y = p - 1 = -1: canonical, order 2 */
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_SMALL_ORDER);
  pk[31] = 0xff; /* -1 with the sign bit: x = 0 negated */
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_NONCANONICAL);
  memset(pk, 0, 32);
  pk[0] = 1;
  pk[31] = 0x80; /* y = 1 with the sign bit */
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_NONCANONICAL);
  /* a real key is good */
  uint8_t seed[32] = {7}, sk[64];
  assert_int_equal(rc_ed25519_seed_keypair(seed, pk, sk), 0);
  assert_int_equal(rc_pubkey_check_full(pk), RC_KEY_GOOD);
}

static struct rc_vkey parse_vkey(const char *s) {
  struct rc_vkey k;
  struct rc_error err;
  assert_int_equal(rc_vkey_parse(s, strlen(s), &k, &err), RC_OK);
  return k;
}

static void test_signed_notes(void **state) {
  (void)state;
  size_t len, nvalid = 0, ninvalid = 0, nbad = 0, nkeys = 0;
  char *buf = (char *)tu_read_file("testvectors/notes/signed_notes.txt", &len);
  char *cur = buf, *f[8];
  size_t nf;
  while ((nf = next_fields(&cur, f, 8)) > 0) {
    if (!strcmp(f[0], "valid") || !strcmp(f[0], "invalid")) {
      size_t nn;
      uint8_t *note = hexf(f[1], &nn);
      struct rc_vkey keys[8];
      size_t nk = 0;
      char *save = NULL;
      for (char *t = strtok_r(f[2], ",", &save); t && nk < 8;
           t = strtok_r(NULL, ",", &save))
        if (strcmp(t, "-")) keys[nk++] = parse_vkey(t);
      struct rc_note n;
      struct rc_error err;
      int ok = rc_note_parse(note, nn, &n, &err) == RC_OK &&
               rc_note_verify(&n, keys, nk, RC_CRYPTO_BOTH, NULL, NULL) == RC_OK;
      if (!strcmp(f[0], "valid")) {
        assert_true(ok);
        nvalid++;
      } else {
        assert_false(ok);
        ninvalid++;
      }
      free(note);
    } else if (!strcmp(f[0], "badvkey")) {
      struct rc_vkey k;
      struct rc_error err;
      assert_int_not_equal(rc_vkey_parse(f[1], strlen(f[1]), &k, &err), RC_OK);
      nbad++;
    } else if (!strcmp(f[0], "key")) {
      /* key id, round trip, and every proper prefix/substring rejected */
      struct rc_vkey k = parse_vkey(f[1]);
      size_t idn;
      uint8_t *id = tu_unhex(f[3], 8, &idn);
      assert_memory_equal(k.id, id, 4);
      free(id);
      struct rc_buf b = {0};
      rc_vkey_encode(&k, &b);
      assert_int_equal(b.len, strlen(f[1]));
      assert_memory_equal(b.p, f[1], b.len);
      rc_buf_free(&b);
      size_t L = strlen(f[1]);
      struct rc_error err;
      for (size_t i = 0; i < L; i++)
        for (size_t j = i + 1; j <= L; j++) {
          if (i == 0 && j == L) continue;
          struct rc_vkey x;
          assert_int_not_equal(rc_vkey_parse(f[1] + i, j - i, &x, &err), RC_OK);
        }
      char *mut = strdup(f[1]);
      for (size_t i = 0; i < L; i++) {
        mut[i]++;
        struct rc_vkey x;
        assert_int_not_equal(rc_vkey_parse(mut, L, &x, &err), RC_OK);
        mut[i]--;
      }
      free(mut);
      if (strcmp(f[2], "-")) {
        struct rc_skey *sk = rc_skey_new();
        assert_int_equal(rc_skey_parse(f[2], strlen(f[2]), sk, &err), RC_OK);
        assert_memory_equal(sk->pk, k.pk, 32);
        char text[RC_SKEY_TEXT_MAX];
        size_t tl = rc_skey_encode(sk, text);
        assert_int_equal(tl, strlen(f[2]) + 1);
        assert_memory_equal(text, f[2], tl - 1);
        size_t SL = strlen(f[2]);
        for (size_t i = 0; i + 1 < SL; i++) {
          assert_int_not_equal(rc_skey_parse(f[2], i + 1, sk, &err), RC_OK);
          f[2][i]++;
          assert_int_not_equal(rc_skey_parse(f[2], SL, sk, &err), RC_OK);
          f[2][i]--;
        }
        rc_skey_free(sk);
      }
      nkeys++;
    } else if (!strcmp(f[0], "signcheck")) {
      /* Go's sumdb/note example: signing reproduces the published line */
      struct rc_skey *sk = rc_skey_new();
      struct rc_error err;
      assert_int_equal(rc_skey_parse(f[1], strlen(f[1]), sk, &err), RC_OK);
      size_t tn, en;
      uint8_t *text = hexf(f[2], &tn), *expect = hexf(f[3], &en);
      struct rc_vkey v;
      rc_skey_vkey(sk, &v);
      struct rc_buf b = {0};
      rc_buf_put(&b, text, tn);
      rc_buf_putc(&b, '\n');
      struct rc_buf line = {0};
      assert_int_equal(rc_note_sigline(&v, sk->sk, text, tn, &line), RC_OK);
      rc_buf_put(&b, line.p, line.len);
      assert_int_equal(b.len, en);
      assert_memory_equal(b.p, expect, en);
      printf("sumdb/note example: signature line reproduced byte for byte\n");
      rc_buf_free(&b);
      rc_buf_free(&line);
      free(text), free(expect);
      rc_skey_free(sk);
    }
  }
  assert_true(nvalid >= 6 && ninvalid >= 10);
  printf("signed notes: %zu valid verified, %zu invalid rejected, %zu bad "
         "verifier keys rejected, %zu keys round-tripped (every proper "
         "substring and +1 mutation rejected)\n",
         nvalid, ninvalid, nbad, nkeys);
  free(buf);
}

static void test_b64(void **state) {
  (void)state;
  uint8_t in[100], out[100];
  char enc[200];
  for (size_t n = 0; n <= 100; n++) {
    randombytes_buf(in, n);
    rc_b64_encode(in, n, enc);
    size_t got;
    assert_int_equal(rc_b64_decode(enc, strlen(enc), out, sizeof out, &got), RC_OK);
    assert_int_equal(got, n);
    assert_memory_equal(in, out, n);
    if (n) assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, n - 1) == RC_OK, 0);
  }
  static const char *const bad[] = {"AA", "AA=", "AA===", "A===", "AB==", "AAB=",
                                    "AA==AA==", "A=AA", "AA A", "AA\nA", "AA-_",
                                    "====", "AAA",  "Zm9v\n"};
  size_t got;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_not_equal(rc_b64_decode(bad[i], strlen(bad[i]), out, sizeof out, &got),
                         RC_OK);
  assert_int_equal(rc_b64_decode("AA==", 4, out, sizeof out, &got), RC_OK);
  assert_int_equal(rc_b64_decode("AAA=", 4, out, sizeof out, &got), RC_OK);
  assert_int_equal(rc_b64_decode("", 0, out, sizeof out, &got), RC_OK);
  assert_int_equal(got, 0);
  printf("base64: 101 round trips, %zu non-canonical encodings rejected\n",
         sizeof bad / sizeof bad[0]);
}

static void test_note_framing(void **state) {
  (void)state;
  struct rc_skey *sk = rc_skey_new();
  struct rc_error err;
  uint8_t seed[32] = {1};
  assert_int_equal(rc_skey_from_seed(sk, "st", seed, &err), RC_OK);
  struct rc_vkey v;
  rc_skey_vkey(sk, &v);
  const char *text = "recount count-sheet v1\nelection e\n";
  size_t tl = strlen(text);
  struct rc_buf one = {0}, line = {0};
  assert_int_equal(rc_note_sigline(&v, sk->sk, (const uint8_t *)text, tl, &line), RC_OK);
  rc_buf_put(&one, text, tl);
  rc_buf_putc(&one, '\n');
  rc_buf_put(&one, line.p, line.len);
  /* 16 signature lines accepted, 17 refused */
  struct rc_buf many = {0};
  rc_buf_put(&many, one.p, one.len);
  for (int i = 1; i < 16; i++) rc_buf_put(&many, line.p, line.len);
  struct rc_note n;
  assert_int_equal(rc_note_parse(many.p, many.len, &n, &err), RC_OK);
  assert_int_equal(n.nsigs, 16);
  rc_buf_put(&many, line.p, line.len);
  assert_int_not_equal(rc_note_parse(many.p, many.len, &n, &err), RC_OK);
  /* three concatenated notes frame; a truncated fourth fails with a line */
  struct rc_buf cat = {0};
  for (int i = 0; i < 3; i++) rc_buf_put(&cat, one.p, one.len);
  rc_buf_put(&cat, text, tl);
  size_t pos = 0, used, frames = 0;
  while (pos < cat.len && rc_note_next(cat.p + pos, cat.len - pos, &used, &n, &err) == RC_OK) {
    assert_int_equal(used, one.len);
    assert_int_equal(rc_note_verify(&n, &v, 1, RC_CRYPTO_BOTH, NULL, NULL), RC_OK);
    pos += used;
    frames++;
  }
  assert_int_equal(frames, 3);
  assert_int_not_equal(rc_note_span(cat.p + pos, cat.len - pos, &used, &err), RC_OK);
  assert_int_equal(err.line, 3);
  /* negative cases on a single note */
  struct {
    const char *what;
    const char *from, *to;
  } muts[] = {
      {"CRLF", "e\n\n", "e\r\n\n"},
      {"control char", "election", "elec\x01tion"},
      {"no em dash", "\xe2\x80\x94 st", "- st"},
      {"name with plus", "\xe2\x80\x94 st", "\xe2\x80\x94 s+t"},
      {"two spaces", "\xe2\x80\x94 st", "\xe2\x80\x94  st"},
  };
  for (size_t i = 0; i < sizeof muts / sizeof muts[0]; i++) {
    char *s = strndup((const char *)one.p, one.len);
    char *at = strstr(s, muts[i].from);
    assert_non_null(at);
    struct rc_buf m = {0};
    rc_buf_put(&m, s, (size_t)(at - s));
    rc_buf_puts(&m, muts[i].to);
    rc_buf_puts(&m, at + strlen(muts[i].from));
    int ok = rc_note_parse(m.p, m.len, &n, &err) == RC_OK &&
             rc_note_verify(&n, &v, 1, RC_CRYPTO_BOTH, NULL, NULL) == RC_OK;
    if (ok) fail_msg("mutation '%s' accepted", muts[i].what);
    rc_buf_free(&m);
    free(s);
  }
  /* missing final newline, garbage after the signatures */
  assert_int_not_equal(rc_note_parse(one.p, one.len - 1, &n, &err), RC_OK);
  struct rc_buf g = {0};
  rc_buf_put(&g, one.p, one.len);
  rc_buf_puts(&g, "garbage\n");
  assert_int_not_equal(rc_note_parse(g.p, g.len, &n, &err), RC_OK);
  /* a known key whose line fails makes the note fail; unknown keys are
   * ignored */
  struct rc_skey *other = rc_skey_new();
  uint8_t seed2[32] = {2};
  assert_int_equal(rc_skey_from_seed(other, "other", seed2, &err), RC_OK);
  struct rc_vkey ov;
  rc_skey_vkey(other, &ov);
  assert_int_equal(rc_note_parse(one.p, one.len, &n, &err), RC_OK);
  assert_int_equal(rc_note_verify(&n, &ov, 1, RC_CRYPTO_BOTH, NULL, NULL), RC_ERR_SIG);
  struct rc_vkey both[2] = {v, ov};
  int ks[2];
  struct rc_note_check res;
  assert_int_equal(rc_note_verify(&n, both, 2, RC_CRYPTO_BOTH, &res, ks), RC_OK);
  assert_int_equal(ks[0], 1);
  assert_int_equal(ks[1], 0);
  n.sigs[0].sig[3] ^= 1;
  assert_int_equal(rc_note_verify(&n, both, 2, RC_CRYPTO_BOTH, &res, ks), RC_ERR_SIG);
  assert_int_equal(ks[0], -1);
  rc_skey_free(other);
  rc_skey_free(sk);
  rc_buf_free(&one), rc_buf_free(&line), rc_buf_free(&many), rc_buf_free(&cat),
      rc_buf_free(&g);
}

int main(void) {
  assert_int_equal(rc_crypto_init(), 0);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc8032),       cmocka_unit_test(test_supercop),
      cmocka_unit_test(test_wycheproof),    cmocka_unit_test(test_speccheck),
      cmocka_unit_test(test_cctv),          cmocka_unit_test(test_small_order_keys),
      cmocka_unit_test(test_signed_notes),  cmocka_unit_test(test_b64),
      cmocka_unit_test(test_note_framing),
  };
  return cmocka_run_group_tests_name("vectors", tests, NULL, NULL);
}
