/* test_b64.c — canonical base64 (formats/b64.h).
 *
 * RFC 4648 §10 vectors, round trips, the named rejections of
 * testvectors/limits/b64.txt (missing or extra padding, characters outside
 * the alphabet, whitespace, '=' inside the text, non-zero unused bits, the
 * URL-safe alphabet) and their canonical neighbours, an exhaustive check
 * of every 4-character string over the alphabet plus 8 hostile bytes
 * (accepted exactly when re-encoding the decoded bytes gives the input
 * back), and random longer strings with one substituted character. */
#include <sodium.h>

#include "b64.h"
#include "testutil.h"

static const char alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 1 if s[0..n) decodes and re-encodes to itself (the canonical rule,
 * computed with the encoder only), checking the decoder agrees. */
static int decode_agrees(const char *s, size_t n) {
  uint8_t out[64];
  char re[100];
  size_t got = 99;
  int rc = rc_b64_decode(s, n, out, sizeof out, &got);
  if (rc != RC_OK) {
    assert_int_equal(rc, RC_ERR_BASE64);
    assert_int_equal(got, 0);
    return 0;
  }
  rc_b64_encode(out, got, re);
  if (strlen(re) != n || memcmp(re, s, n) != 0)
    fail_msg("decoder accepted a non-canonical string of %zu chars", n);
  return 1;
}

static void test_rfc4648(void **state) {
  (void)state;
  static const char *const v[][2] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    size_t n = strlen(v[i][0]);
    char enc[16];
    rc_b64_encode((const uint8_t *)v[i][0], n, enc);
    assert_string_equal(enc, v[i][1]);
    assert_int_equal(rc_b64_enc_len(n), strlen(v[i][1]));
    uint8_t out[8];
    size_t got;
    assert_int_equal(rc_b64_decode(enc, strlen(enc), out, sizeof out, &got),
                     RC_OK);
    assert_int_equal(got, n);
    assert_memory_equal(out, v[i][0], n);
    assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, n), RC_OK);
  }
  printf("b64: %zu RFC 4648 section 10 vectors\n", sizeof v / sizeof v[0]);
}

static void test_roundtrip(void **state) {
  (void)state;
  uint8_t in[700], out[700];
  char enc[1000];
  size_t cases = 0;
  for (int fill = 0; fill < 3; fill++)
    for (size_t n = 0; n <= 70; n++) {
      if (fill == 0) randombytes_buf(in, n);
      else memset(in, fill == 1 ? 0 : 0xff, n);
      rc_b64_encode(in, n, enc);
      assert_int_equal(strlen(enc), rc_b64_enc_len(n));
      size_t got;
      assert_int_equal(rc_b64_decode(enc, strlen(enc), out, n, &got), RC_OK);
      assert_int_equal(got, n);
      assert_memory_equal(in, out, n);
      assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, n), RC_OK);
      if (n) {
        /* a buffer one byte short: RC_ERR_LIMIT, never a partial result */
        assert_int_equal(rc_b64_decode(enc, strlen(enc), out, n - 1, &got),
                         RC_ERR_LIMIT);
        assert_int_equal(got, 0);
        assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, n - 1),
                         RC_ERR_BASE64);
      }
      /* exact: every other length, up to 100 bytes, is refused */
      for (size_t w = 0; w <= 100; w++)
        if (w != n)
          assert_int_equal(rc_b64_decode_exact(enc, strlen(enc), out, w),
                           RC_ERR_BASE64);
      cases++;
    }
  /* rc_b64_append (chunked) gives the same text as rc_b64_encode */
  for (size_t n = 0; n <= sizeof in; n += 7) {
    randombytes_buf(in, n);
    rc_b64_encode(in, n, enc);
    struct rc_buf b = {0};
    rc_buf_puts(&b, "x");
    rc_b64_append(&b, in, n);
    assert_false(b.oom);
    assert_int_equal(b.len, 1 + strlen(enc));
    assert_memory_equal(b.p + 1, enc, b.len - 1);
    rc_buf_free(&b);
    cases++;
  }
  printf("b64: %zu round trips (lengths 0..70 random/zero/0xff, each with "
         "every wrong exact length to 100 refused; append up to 700)\n",
         cases);
}

/* Named non-canonical encodings; each must be RC_ERR_BASE64. */
static void test_rejections(void **state) {
  (void)state;
  /* testvectors/limits/b64.txt: refused and accepted encodings */
  size_t flen, nbad = 0, ngood = 0;
  char *file = (char *)tu_read_file("testvectors/limits/b64.txt", &flen);
  char *cur = file, *line;
  uint8_t out[32];
  size_t got;
  while ((line = tu_case_line(&cur, "b64.txt"))) {
    char *f[3];
    if (tu_tabs(line, f, 3) != 2) fail_msg("b64.txt: bad case '%s'", line);
    struct rc_buf in = {0};
    tu_unescape(f[0], strlen(f[0]), &in);
    const char *s = in.p ? (const char *)in.p : "";
    got = 99;
    int rc = rc_b64_decode(s, in.len, out, sizeof out, &got);
    if (!strcmp(f[1], "base64")) {
      if (rc != RC_ERR_BASE64) fail_msg("b64.txt: accepted '%s'", f[0]);
      assert_int_equal(got, 0); /* nothing half-decoded is reported */
      nbad++;
    } else {
      size_t n;
      if (strncmp(f[1], "ok:", 3)) fail_msg("b64.txt: bad result %s", f[1]);
      uint8_t *want = tu_unhex(f[1] + 3, strlen(f[1] + 3), &n);
      assert_non_null(want);
      if (rc != RC_OK) fail_msg("b64.txt: refused '%s'", f[0]);
      assert_int_equal(got, n);
      assert_memory_equal(out, want, n);
      free(want);
      ngood++;
    }
    rc_buf_free(&in);
  }
  free(file);
  assert_true(nbad > 0 && ngood > 0);
  /* a key with its algorithm byte is 33 bytes: 32 and 34 are refused,
   * and so is the text cut at a group boundary */
  uint8_t key33[34] = {1};
  uint8_t k33[34]; /* room for the 34-byte attempt */
  char ke[64];
  rc_b64_encode(key33, 33, ke);
  assert_int_equal(rc_b64_decode_exact(ke, strlen(ke), k33, 33), RC_OK);
  assert_memory_equal(k33, key33, 33);
  assert_int_equal(rc_b64_decode_exact(ke, strlen(ke), k33, 32), RC_ERR_BASE64);
  assert_int_equal(rc_b64_decode_exact(ke, strlen(ke), k33, 34), RC_ERR_BASE64);
  assert_int_equal(rc_b64_decode_exact(ke, strlen(ke) - 4, k33, 33),
                   RC_ERR_BASE64);
  /* every value of the unused bits: only the zero one is accepted */
  size_t sib = 0;
  for (int v = 0; v < 256; v++) {
    uint8_t one = (uint8_t)v, two[2] = {(uint8_t)v, (uint8_t)(255 - v)};
    char e1[8], e2[8];
    rc_b64_encode(&one, 1, e1);
    rc_b64_encode(two, 2, e2);
    const char *p1 = strchr(alpha, e1[1]), *p2 = strchr(alpha, e2[2]);
    for (int k = 1; k < 16; k++) { /* 4 unused bits after one byte */
      char m[5];
      memcpy(m, e1, 5);
      m[1] = alpha[(p1 - alpha) ^ k];
      assert_int_equal(rc_b64_decode(m, 4, out, sizeof out, &got),
                       RC_ERR_BASE64);
      sib++;
    }
    for (int k = 1; k < 4; k++) { /* 2 unused bits after two bytes */
      char m[5];
      memcpy(m, e2, 5);
      m[2] = alpha[(p2 - alpha) ^ k];
      assert_int_equal(rc_b64_decode(m, 4, out, sizeof out, &got),
                       RC_ERR_BASE64);
      sib++;
    }
  }
  printf("b64: %zu named non-canonical encodings and %zu non-zero "
         "unused-bit variants rejected, %zu canonical neighbours accepted\n",
         nbad, sib, ngood);
}

/* Every string of length 4 over the alphabet, '=' and 7 hostile bytes:
 * the decoder accepts exactly the canonical ones. */
static void test_exhaustive4(void **state) {
  (void)state;
  char set[80];
  memcpy(set, alpha, 64);
  memcpy(set + 64, "= \n-_\0\x80\xff", 8);
  const size_t ns = 72;
  size_t accepted = 0, total = 0;
  char s[4];
  for (size_t a = 0; a < ns; a++)
    for (size_t b = 0; b < ns; b++)
      for (size_t c = 0; c < ns; c++)
        for (size_t d = 0; d < ns; d++) {
          s[0] = set[a], s[1] = set[b], s[2] = set[c], s[3] = set[d];
          accepted += (size_t)decode_agrees(s, 4);
          total++;
        }
  /* 3-byte values + 2-byte values + 1-byte values, one encoding each */
  assert_int_equal(accepted, 16777216 + 65536 + 256);
  printf("b64: %zu four-character strings, %zu accepted (exactly one per "
         "value of 1..3 bytes)\n",
         total, accepted);
}

/* Random encodings of 1..40 bytes with one character replaced. */
static void test_random_mutations(void **state) {
  (void)state;
  static const char repl[] = "AQgw/+=- \n_\x01";
  size_t n_cases = 0;
  for (int iter = 0; iter < 20000; iter++) {
    uint8_t in[40];
    char enc[64];
    size_t n = 1 + randombytes_uniform(40);
    randombytes_buf(in, n);
    rc_b64_encode(in, n, enc);
    size_t L = strlen(enc);
    enc[randombytes_uniform((uint32_t)L)] =
        repl[randombytes_uniform(sizeof repl - 1)];
    (void)decode_agrees(enc, L);
    (void)decode_agrees(enc, L - 1); /* and truncated by one */
    n_cases += 2;
  }
  printf("b64: %zu random mutated strings: accepted only when canonical\n",
         n_cases);
}

int main(void) {
  assert_true(sodium_init() >= 0);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc4648),
      cmocka_unit_test(test_roundtrip),
      cmocka_unit_test(test_rejections),
      cmocka_unit_test(test_exhaustive4),
      cmocka_unit_test(test_random_mutations),
  };
  return cmocka_run_group_tests_name("b64", tests, NULL, NULL);
}
