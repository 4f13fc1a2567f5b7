/* test_b64_keys.c — canonical base64 (formats/b64.h) and the public-key
 * classes of rc_pubkey_check / rc_pubkey_check_full (formats/ed25519.h).
 *
 * base64: round trips for every length 0..100 of random bytes, and named
 * rejections (RECORD.md §1: one value, exactly one encoding).
 * keys: the eight small-order points and their alternative encodings are
 * read from the C2SP CCTV README list (testvectors/ed25519/
 * cctv_ed25519vectors_README.md, "Low-order edwards25519 point
 * encodings"); every y >= p encoding, the two "negative zero" encodings,
 * and normal keys. */
#include <sodium.h>

#include "b64.h"
#include "ed25519.h"
#include "testutil.h"

/* ---- base64 -------------------------------------------------------------- */

static int dec(const char *s, uint8_t *out, size_t cap, size_t *got) {
  return rc_b64_decode(s, strlen(s), out, cap, got);
}

static void test_b64_round_trip(void **state) {
  (void)state;
  uint8_t in[100], out[100];
  char enc[140];
  size_t cases = 0;
  for (size_t n = 0; n <= 100; n++) {
    randombytes_buf(in, n);
    rc_b64_encode(in, n, enc);
    assert_int_equal(strlen(enc), rc_b64_enc_len(n));
    size_t got = 999;
    assert_int_equal(rc_b64_decode(enc, strlen(enc), out, sizeof out, &got), RC_OK);
    assert_int_equal(got, n);
    assert_memory_equal(in, out, n);
    /* exact: the right length decodes, every other length is refused */
    assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, n), RC_OK);
    assert_memory_equal(in, out, n);
    for (size_t w = 0; w <= 100; w++)
      if (w != n)
        assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, w), RC_ERR_BASE64);
    /* too small a buffer is a limit error, not an overflow */
    if (n) {
      assert_int_equal(rc_b64_decode(enc, strlen(enc), out, n - 1, &got), RC_ERR_LIMIT);
      assert_int_equal(got, 0);
    }
    /* rc_b64_append gives the same text */
    struct rc_buf b = {0};
    rc_b64_append(&b, in, n);
    assert_int_equal(b.len, strlen(enc));
    if (n) assert_memory_equal(b.p, enc, b.len);
    rc_buf_free(&b);
    cases++;
  }
  /* RFC 4648 §10 */
  static const char *const rfc[][2] = {{"", ""},          {"f", "Zg=="},
                                       {"fo", "Zm8="},    {"foo", "Zm9v"},
                                       {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                       {"foobar", "Zm9vYmFy"}};
  for (size_t i = 0; i < 7; i++) {
    rc_b64_encode((const uint8_t *)rfc[i][0], strlen(rfc[i][0]), enc);
    assert_string_equal(enc, rfc[i][1]);
    size_t got;
    assert_int_equal(dec(rfc[i][1], out, sizeof out, &got), RC_OK);
    assert_int_equal(got, strlen(rfc[i][0]));
    assert_memory_equal(out, rfc[i][0], got);
  }
  printf("base64: %zu random round trips (lengths 0..100, each with 100 wrong "
         "exact lengths refused), 7 RFC 4648 vectors\n", cases);
}

static void test_b64_rejections(void **state) {
  (void)state;
  static const struct {
    const char *s, *why;
  } bad[] = {
      {"AA", "missing padding (1 byte)"},
      {"AAA", "missing padding (2 bytes)"},
      {"Zm9vYg", "missing padding after a full group"},
      {"AA=", "short padding"},
      {"AA===", "extra padding"},
      {"AAA==", "extra padding"},
      {"Zm9v====", "a whole group of padding"},
      {"A===", "three padding characters"},
      {"====", "padding only"},
      {"=AAA", "'=' first"},
      {"A=AA", "'=' in the middle of a group"},
      {"AA==AA==", "'=' in the middle of the text"},
      {"AAA=AAAA", "padded group not last"},
      {"AB==", "non-zero unused bits (4)"},
      {"AP==", "non-zero unused bits (4, high)"},
      {"AAB=", "non-zero unused bits (2)"},
      {"AAD=", "non-zero unused bits (2, both)"},
      {"Zm9=", "non-zero unused bits in a real value"},
      {"AA A", "space"},
      {" AAA", "leading space"},
      {"AAA ", "trailing space"},
      {"AA\tA", "tab"},
      {"AA\rA", "carriage return"},
      {"Zm9v\n", "trailing newline"},
      {"Zm9v\nZm9v", "newline inside"},
      {"AA-A", "URL-safe '-'"},
      {"AA_A", "URL-safe '_'"},
      {"-_-_", "URL-safe only"},
      {"AA.A", "'.'"},
      {"AA\x80" "A", "non-ASCII byte"},
      {"AA\xff" "=", "non-ASCII byte before padding"},
  };
  uint8_t out[64];
  size_t n = sizeof bad / sizeof bad[0];
  for (size_t i = 0; i < n; i++) {
    size_t got = 99;
    int rc = dec(bad[i].s, out, sizeof out, &got);
    if (rc != RC_ERR_BASE64)
      fail_msg("base64 '%s' (%s): got %d, want RC_ERR_BASE64", bad[i].s,
               bad[i].why, rc);
    assert_int_equal(got, 0);
  }
  /* embedded NUL (strlen would stop there) */
  size_t got;
  assert_int_equal(rc_b64_decode("AA\0A", 4, out, sizeof out, &got), RC_ERR_BASE64);
  /* the canonical forms of the refused unused-bit examples are accepted */
  static const struct {
    const char *s;
    size_t len;
    uint8_t first;
  } good[] = {{"AA==", 1, 0}, {"AAA=", 2, 0}, {"AQ==", 1, 1}, {"AAE=", 2, 0},
              {"/w==", 1, 0xff}, {"//8=", 2, 0xff}, {"////", 3, 0xff}, {"", 0, 0}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    assert_int_equal(dec(good[i].s, out, sizeof out, &got), RC_OK);
    assert_int_equal(got, good[i].len);
    if (got) assert_int_equal(out[0], good[i].first);
  }
  /* rc_b64_decode_exact with wrong lengths */
  assert_int_equal(rc_b64_decode_exact("AAA=", 4, out, 2), RC_OK);
  assert_int_equal(rc_b64_decode_exact("AAA=", 4, out, 1), RC_ERR_BASE64);
  assert_int_equal(rc_b64_decode_exact("AAA=", 4, out, 3), RC_ERR_BASE64);
  assert_int_equal(rc_b64_decode_exact("AAAA", 4, out, 2), RC_ERR_BASE64);
  assert_int_equal(rc_b64_decode_exact("", 0, out, 0), RC_OK);
  assert_int_equal(rc_b64_decode_exact("", 0, out, 1), RC_ERR_BASE64);
  assert_int_equal(rc_b64_decode_exact("AA==", 4, out, 0), RC_ERR_BASE64);
  /* 33 bytes (a key with its algorithm byte) vs 32 and 34 */
  uint8_t k[34] = {1};
  char enc[64];
  rc_b64_encode(k, 33, enc);
  assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, 33), RC_OK);
  assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, 32), RC_ERR_BASE64);
  assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, 34), RC_ERR_BASE64);
  assert_int_equal(rc_b64_decode_exact(enc, strlen(enc) - 4, out, 33), RC_ERR_BASE64);
  printf("base64: %zu non-canonical encodings rejected, %zu canonical "
         "accepted, 11 decode_exact length cases\n",
         n + 1, sizeof good / sizeof good[0]);
}

/* ---- public-key classes -------------------------------------------------- */

static void set_hex(uint8_t pk[32], const char *hex) {
  size_t n;
  uint8_t *p = tu_unhex(hex, 64, &n);
  assert_non_null(p);
  memcpy(pk, p, 32);
  free(p);
}

static void test_key_classes_cctv_list(void **state) {
  (void)state;
  char *buf = (char *)tu_read_file(
      "testvectors/ed25519/cctv_ed25519vectors_README.md", NULL);
  char *at = strstr(buf, "## Low-order edwards25519 point encodings");
  assert_non_null(at);
  at = strstr(at, "```\n");
  assert_non_null(at);
  at += 4;
  char *end = strstr(at, "```");
  assert_non_null(end);
  *end = 0;
  size_t canon = 0, alt = 0;
  for (char *line = at; *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    int indented = line[0] == ' ';
    char *h = line + strspn(line, " ");
    if (strlen(h) >= 64 && tu_hexval(h[0]) >= 0) {
      uint8_t pk[32];
      set_hex(pk, h);
      enum rc_key_class want = indented ? RC_KEY_NONCANONICAL : RC_KEY_SMALL_ORDER;
      if (rc_pubkey_check(pk) != want || rc_pubkey_check_full(pk) != want)
        fail_msg("%.64s: class %d, want %d", h, rc_pubkey_check(pk), want);
      /* and no signature under it is accepted by the policy */
      uint8_t sig[64] = {0};
      assert_int_not_equal(rc_ed25519_verify(pk, (const uint8_t *)"m", 1, sig,
                                             RC_CRYPTO_BOTH, NULL, NULL),
                           RC_SIG_VALID);
      if (indented) alt++;
      else canon++;
    }
    line = nl ? nl + 1 : line + strlen(line);
  }
  assert_int_equal(canon, 8);
  assert_int_equal(alt, 6);
  printf("keys: %zu small-order points and %zu alternative encodings from "
         "the CCTV list classified\n", canon, alt);
  free(buf);
}

static void test_key_classes(void **state) {
  (void)state;
  uint8_t pk[32];
  size_t cases = 0;
  /* every y >= p (y = p + k, k = 0..18), with and without the sign bit */
  for (unsigned k = 0; k <= 18; k++)
    for (int sign = 0; sign < 2; sign++) {
      memset(pk, 0xff, 32);
      pk[0] = (uint8_t)(0xed + k);
      pk[31] = sign ? 0xff : 0x7f;
      assert_int_equal(rc_pubkey_check(pk), RC_KEY_NONCANONICAL);
      assert_int_equal(rc_pubkey_check_full(pk), RC_KEY_NONCANONICAL);
      cases++;
    }
  /* y = p - 1 (-1): canonical, the point of order 2; with the sign bit it
   * is "negative zero" (x = 0 cannot be negative) */
  memset(pk, 0xff, 32);
  pk[0] = 0xec;
  pk[31] = 0x7f;
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_SMALL_ORDER);
  pk[31] = 0xff;
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_NONCANONICAL);
  /* y = 1: the identity; with the sign bit, negative zero */
  memset(pk, 0, 32);
  pk[0] = 1;
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_SMALL_ORDER);
  pk[31] = 0x80;
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_NONCANONICAL);
  assert_int_equal(rc_pubkey_check_full(pk), RC_KEY_NONCANONICAL);
  cases += 4;
  /* y = p - 2: canonical, not small order: the cheap check says GOOD
   * whatever the point (the full check decides on-curve, below) */
  memset(pk, 0xff, 32);
  pk[0] = 0xeb;
  pk[31] = 0x7f;
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_GOOD);
  cases++;
  /* normal keys: RFC 8032 TEST 1 and a derived one */
  set_hex(pk, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_GOOD);
  assert_int_equal(rc_pubkey_check_full(pk), RC_KEY_GOOD);
  uint8_t seed[32], sk[64];
  for (int i = 0; i < 32; i++) seed[i] = (uint8_t)(i * 7 + 3);
  assert_int_equal(rc_ed25519_seed_keypair(seed, pk, sk), 0);
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_GOOD);
  assert_int_equal(rc_pubkey_check_full(pk), RC_KEY_GOOD);
  /* its mixed-order neighbour (A + the order-2 point (0,-1) negates x and
   * y: encode -y) is not KEY_WEAK for the cheap check but the full check
   * sees the torsion component. Computed with libsodium's point addition. */
  uint8_t t2[32], mixed[32];
  memset(t2, 0xff, 32);
  t2[0] = 0xec;
  t2[31] = 0x7f;
  assert_int_equal(crypto_core_ed25519_add(mixed, pk, t2), 0);
  assert_int_equal(rc_pubkey_check(mixed), RC_KEY_GOOD);
  assert_int_equal(rc_pubkey_check_full(mixed), RC_KEY_NOT_ON_CURVE);
  /* an encoding that is off the curve: y = 2 (x^2 = 3/(1+2d) is not a
   * square mod p, so it does not decompress; checked with libsodium) */
  memset(pk, 0, 32);
  pk[0] = 2;
  assert_int_equal(crypto_core_ed25519_is_valid_point(pk), 0);
  assert_int_equal(rc_pubkey_check(pk), RC_KEY_GOOD);
  assert_int_equal(rc_pubkey_check_full(pk), RC_KEY_NOT_ON_CURVE);
  cases += 5;
  sodium_memzero(sk, sizeof sk);
  printf("keys: %zu further encodings classified (38 with y >= p, 2 negative "
         "zero, order 1 and 2, normal, mixed-order, off-curve)\n", cases);
}

int main(void) {
  if (rc_crypto_init() != 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_b64_round_trip),
      cmocka_unit_test(test_b64_rejections),
      cmocka_unit_test(test_key_classes_cctv_list),
      cmocka_unit_test(test_key_classes),
  };
  return cmocka_run_group_tests_name("b64_keys", tests, NULL, NULL);
}
