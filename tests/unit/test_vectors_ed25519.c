/* test_vectors_ed25519.c — the Ed25519 policy (formats/ed25519.h) and the
 * signing side (sign/sigs.c) against public vectors in testvectors/ed25519
 * (sources and licences in SOURCES.md there; the .txt files come from the
 * JSON by scripts/vectors2txt.py).
 *
 * Wycheproof, speccheck and CCTV decisions (each library's answer, the
 * policy's, the key class) are written to build/<name>_decisions.txt and
 * compared byte for byte with the committed testvectors/ed25519/
 * <name>_decisions.txt, so a library upgrade or policy change shows as a diff.
 * After reviewing such a change, RECOUNT_WRITE_DECISIONS=1 rewrites the
 * committed files. */
#include <sodium.h>
#include <sys/stat.h>

#include "ed25519.h"
#include "testutil.h"

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

/* Writes the decisions to build/<name> and compares them with the
 * committed testvectors/ed25519/<name> (or rewrites that). */
static void check_decisions(const char *name, struct rc_buf *b) {
  char built[256], committed[256];
  snprintf(built, sizeof built, "build/%s", name);
  snprintf(committed, sizeof committed, "testvectors/ed25519/%s", name);
  assert_false(b->oom);
  mkdir("build", 0755);
  tu_write_file(built, b->p, b->len);
  if (getenv("RECOUNT_WRITE_DECISIONS")) {
    tu_write_file(committed, b->p, b->len);
    printf("rewrote %s\n", committed);
    return;
  }
  size_t n;
  uint8_t *want = tu_read_file(committed, &n);
  if (n != b->len || memcmp(want, b->p, n) != 0)
    fail_msg("decisions in %s differ from %s (diff them; after review, "
             "RECOUNT_WRITE_DECISIONS=1 updates the committed file)",
             built, committed);
  free(want);
}

static int policy_ok(const uint8_t *pk, const uint8_t *msg, size_t n,
                     const uint8_t *sig, enum rc_crypto_mode mode) {
  return rc_ed25519_verify(pk, msg, n, sig, mode, NULL, NULL) == RC_SIG_VALID;
}

/* ---- RFC 8032 §7.1 ------------------------------------------------------ */

static void test_rfc8032(void **state) {
  (void)state;
  char *buf = (char *)tu_read_file("testvectors/ed25519/rfc8032.txt", NULL);
  char *cur = buf, *f[8];
  size_t cases = 0, flips = 0;
  while (tu_fields(&cur, f, 8) == 5) {
    size_t sn, pn, mn, gn;
    uint8_t *seed = tu_hexf(f[1], &sn), *pk = tu_hexf(f[2], &pn),
            *msg = tu_hexf(f[3], &mn), *sig = tu_hexf(f[4], &gn);
    assert_int_equal(sn, 32);
    assert_int_equal(pn, 32);
    assert_int_equal(gn, 64);
    uint8_t mypk[32], sk[64], mysig[64];
    assert_int_equal(rc_ed25519_seed_keypair(seed, mypk, sk), 0);
    assert_memory_equal(mypk, pk, 32);
    assert_int_equal(rc_ed25519_sign(sk, msg, mn, mysig), 0);
    assert_memory_equal(mysig, sig, 64); /* Ed25519 is deterministic */
    assert_int_equal(rc_pubkey_check_full(pk), RC_KEY_GOOD);
    int so = -1, oo = -1;
    assert_int_equal(rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, &so, &oo),
                     RC_SIG_VALID);
    assert_int_equal(so, 1);
    assert_int_equal(oo, 1);
    assert_true(policy_ok(pk, msg, mn, sig, RC_CRYPTO_SODIUM));
    assert_true(policy_ok(pk, msg, mn, sig, RC_CRYPTO_OPENSSL));
    /* every single-bit flip of R and S is rejected */
    for (unsigned bit = 0; bit < 512; bit++) {
      sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
      if (policy_ok(pk, msg, mn, sig, RC_CRYPTO_BOTH))
        fail_msg("%s: signature with bit %u flipped accepted", f[0], bit);
      sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
      flips++;
    }
    /* a flipped public key bit */
    pk[7] ^= 0x10;
    assert_false(policy_ok(pk, msg, mn, sig, RC_CRYPTO_BOTH));
    pk[7] ^= 0x10;
    /* a flipped message bit (TEST 1 has an empty message: append a byte) */
    if (mn) {
      msg[mn / 2] ^= 0x01;
      assert_false(policy_ok(pk, msg, mn, sig, RC_CRYPTO_BOTH));
      msg[mn / 2] ^= 0x01;
    } else {
      static const uint8_t one = 0;
      assert_false(policy_ok(pk, &one, 1, sig, RC_CRYPTO_BOTH));
    }
    assert_true(policy_ok(pk, msg, mn, sig, RC_CRYPTO_BOTH)); /* restored */
    sodium_memzero(sk, sizeof sk);
    free(seed), free(pk), free(msg), free(sig);
    cases++;
  }
  assert_int_equal(cases, 5);
  printf("rfc8032 7.1: %zu vectors signed from the seed and accepted; %zu "
         "signature bit flips, %zu pk flips, %zu msg flips rejected\n",
         cases, flips, cases, cases);
  free(buf);
}

/* ---- SUPERCOP sign.input (1024 lines) ---------------------------------- */

/* The whole file is 2.4 MB decompressed, over the 300 KB limit for a
 * committed .txt, so the byte-identical .gz is committed and read through
 * gzip (Debian essential). sign.input.txt holds its first 256 lines. */
static void test_supercop(void **state) {
  (void)state;
  FILE *p = popen("gzip -dc < testvectors/ed25519/ed25519_sign.input.gz", "r");
  assert_non_null(p);
  size_t cap = 1 << 22, n = 0, r;
  char *buf = malloc(cap + 1);
  assert_non_null(buf);
  while ((r = fread(buf + n, 1, cap - n, p)) > 0) {
    n += r;
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap + 1);
      assert_non_null(buf);
    }
  }
  assert_int_equal(pclose(p), 0);
  buf[n] = 0;
  /* the committed 256-line excerpt is a prefix of the full file */
  size_t tn;
  char *txt = (char *)tu_read_file("testvectors/ed25519/sign.input.txt", &tn);
  char *body = strchr(txt, '\n');
  assert_non_null(body);
  body++;
  assert_true(strlen(body) <= n);
  assert_memory_equal(body, buf, strlen(body));
  free(txt);

  size_t cases = 0;
  char *line = buf;
  while (line && *line) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    char *fld[5] = {0};
    char *c = line;
    for (size_t k = 0; k < 5; k++) { /* "a:b:c:d:" has 4 fields + empty */
      fld[k] = c;
      char *colon = strchr(c, ':');
      if (!colon) break;
      *colon = 0;
      c = colon + 1;
    }
    assert_non_null(fld[3]);
    size_t a = 0, b = 0, m = 0, s = 0;
    uint8_t *skpk = tu_unhex(fld[0], strlen(fld[0]), &a);
    uint8_t *pk = tu_unhex(fld[1], strlen(fld[1]), &b);
    uint8_t *msg = tu_unhex(fld[2], strlen(fld[2]), &m);
    uint8_t *sm = tu_unhex(fld[3], strlen(fld[3]), &s);
    assert_true(skpk && pk && msg && sm);
    assert_true(a == 64 && b == 32 && s == m + 64);
    assert_int_equal(m, cases); /* line i has an i-byte message */
    assert_memory_equal(skpk + 32, pk, 32);
    assert_memory_equal(sm + 64, msg, m);
    uint8_t mypk[32], mysk[64], sig[64];
    assert_int_equal(rc_ed25519_seed_keypair(skpk, mypk, mysk), 0);
    assert_memory_equal(mypk, pk, 32);
    assert_memory_equal(mysk, skpk, 64);
    assert_int_equal(rc_ed25519_sign(mysk, msg, m, sig), 0);
    if (memcmp(sig, sm, 64)) fail_msg("sign.input line %zu: signature differs", cases + 1);
    int so = -1, oo = -1;
    assert_int_equal(rc_ed25519_verify(pk, msg, m, sig, RC_CRYPTO_BOTH, &so, &oo),
                     RC_SIG_VALID);
    assert_true(so == 1 && oo == 1);
    sig[cases % 64] ^= 0x04; /* and one forgery per line */
    assert_false(policy_ok(pk, msg, m, sig, RC_CRYPTO_BOTH));
    sodium_memzero(mysk, sizeof mysk);
    free(skpk), free(pk), free(msg), free(sm);
    cases++;
    line = nl ? nl + 1 : NULL;
  }
  assert_int_equal(cases, 1024);
  printf("supercop sign.input: %zu lines signed (byte-identical) and "
         "verified by both libraries; %zu one-bit forgeries rejected\n",
         cases, cases);
  free(buf);
}

/* ---- Wycheproof ------------------------------------------------------- */

static void test_wycheproof(void **state) {
  (void)state;
  size_t valid = 0, invalid = 0, disagree = 0, weak = 0;
  char *buf = (char *)tu_read_file("testvectors/ed25519/wycheproof.txt", NULL);
  char *cur = buf, *f[8];
  struct rc_buf out = {0};
  rc_buf_puts(&out, "# tcId libsodium openssl policy key-class expected\n");
  while (tu_fields(&cur, f, 8) == 5) {
    size_t pn, mn, sn;
    uint8_t *pk = tu_hexf(f[1], &pn), *msg = tu_hexf(f[2], &mn), *sig = tu_hexf(f[3], &sn);
    int so = 0, oo = 0;
    enum rc_sig_result r = RC_SIG_INVALID;
    /* a signature of the wrong length never reaches the libraries: the
     * note parser only passes 64-byte signatures */
    if (pn == 32 && sn == 64)
      r = rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, &so, &oo);
    const char *kc = pn == 32 ? cls(rc_pubkey_check_full(pk)) : "bad-length";
    if (pn == 32 && rc_pubkey_check(pk) != RC_KEY_GOOD) weak++;
    if (so != oo) disagree++;
    rc_buf_printf(&out, "%s %d %d %s %s %s\n", f[0], so, oo, res_str(r), kc, f[4]);
    if (!strcmp(f[4], "valid")) {
      if (r != RC_SIG_VALID) fail_msg("wycheproof tcId %s: valid case refused", f[0]);
      assert_int_equal(rc_pubkey_check(pk), RC_KEY_GOOD);
      valid++;
    } else {
      assert_string_equal(f[4], "invalid");
      if (r == RC_SIG_VALID) fail_msg("wycheproof tcId %s: invalid case accepted", f[0]);
      invalid++;
    }
    free(pk), free(msg), free(sig);
  }
  assert_int_equal(valid, 88);
  assert_int_equal(invalid, 63);
  check_decisions("wycheproof_decisions.txt", &out);
  printf("wycheproof: %zu cases (%zu valid accepted, %zu invalid rejected); "
         "weak keys %zu; libsodium and OpenSSL disagree on %zu\n",
         valid + invalid, valid, invalid, weak, disagree);
  rc_buf_free(&out);
  free(buf);
}

/* ---- speccheck and CCTV: edge cases ------------------------------------ */

/* The record verifier's policy: a key rc_pubkey_check classes as weak is
 * refused before any signature is checked; otherwise both libraries must
 * accept. Asserts that no weak key ever gets an "accept", and (defence in
 * depth) that rc_ed25519_verify alone never returns VALID for one either. */
static void edge_cases(const char *in, const char *dec, size_t want) {
  size_t n = 0, disagree = 0, accepted = 0, weak = 0, weak_one_lib = 0;
  size_t sodium_acc = 0, ossl_acc = 0;
  char *buf = (char *)tu_read_file(in, NULL);
  char *cur = buf, *f[8];
  struct rc_buf out = {0};
  rc_buf_puts(&out, "# case libsodium openssl policy key-class\n");
  while (tu_fields(&cur, f, 8) >= 4) {
    size_t pn, mn, sn;
    uint8_t *pk = tu_hexf(f[1], &pn), *msg = tu_hexf(f[2], &mn), *sig = tu_hexf(f[3], &sn);
    assert_int_equal(pn, 32);
    assert_int_equal(sn, 64);
    int so = 0, oo = 0;
    enum rc_sig_result r =
        rc_ed25519_verify(pk, msg, mn, sig, RC_CRYPTO_BOTH, &so, &oo);
    enum rc_key_class kc = rc_pubkey_check(pk);
    const char *policy = kc != RC_KEY_GOOD ? "reject(KEY_WEAK)" : res_str(r);
    if (kc != RC_KEY_GOOD) {
      weak++;
      if (so || oo) weak_one_lib++;
      if (r == RC_SIG_VALID)
        fail_msg("%s case %s: both libraries accept under a %s key", in, f[0],
                 cls(kc));
    } else if (r == RC_SIG_VALID) {
      accepted++;
    }
    assert_true(!strncmp(policy, "reject", 6) || kc == RC_KEY_GOOD);
    sodium_acc += so == 1;
    ossl_acc += oo == 1;
    if (so != oo) disagree++;
    rc_buf_printf(&out, "%s %d %d %s %s\n", f[0], so, oo, policy,
                  cls(rc_pubkey_check_full(pk)));
    free(pk), free(msg), free(sig);
    n++;
  }
  assert_int_equal(n, want);
  check_decisions(dec, &out);
  printf("%s: %zu cases; libsodium accepts %zu, OpenSSL accepts %zu, the "
         "policy accepts %zu; libsodium and OpenSSL disagree on %zu; %zu "
         "under weak keys (%zu of them accepted by one library), all "
         "rejected\n",
         in, n, sodium_acc, ossl_acc, accepted, disagree, weak, weak_one_lib);
  rc_buf_free(&out);
  free(buf);
}

static void test_speccheck(void **state) {
  (void)state;
  edge_cases("testvectors/ed25519/speccheck.txt", "speccheck_decisions.txt", 12);
}

static void test_cctv(void **state) {
  (void)state;
  edge_cases("testvectors/ed25519/cctv.txt", "cctv_decisions.txt", 914);
}

int main(void) {
  if (rc_crypto_init() != 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc8032),    cmocka_unit_test(test_supercop),
      cmocka_unit_test(test_wycheproof), cmocka_unit_test(test_speccheck),
      cmocka_unit_test(test_cctv),
  };
  return cmocka_run_group_tests_name("vectors_ed25519", tests, NULL, NULL);
}
