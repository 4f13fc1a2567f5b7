/* test_cosig.c — C2SP tlog-cosignature/v1 (formats/cosig.c): a
 * known-answer vector made with PyNaCl from the specification's text
 * (tests/e2e/cosig_check.py does the same at run time), key encodings
 * (type 0x04, the key id over name || 0x0A || 0x04 || pk, a note key
 * refused), the signed message's bytes, signature lines of every length,
 * and the per-witness check of a checkpoint note: cosigned, absent,
 * invalid (wrong length, future time, forged), a failing line never
 * voiding a valid one. */
#include "notetest.h"

#include "cosig.h"
#include "hash.h"

/* seed 0x31 x 32, made by PyNaCl (see the file comment) */
static const char KAT_VKEY[] =
    "witness.example/w1+f5802c19+BEgHWll+choVbi4Hmd5cwMUyTcbn6vHN1GJQho7FMhXd";
static const char KAT_TEXT[] =
    "example.org/krd\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
static const char KAT_SIG[] =
    "9YAsGQAAAABlU/EAfdLocCw3lxH0epERj88TA+kSi76C/GXJ23f5/2+5A7pTcZOQhH/RL5M"
    "ot4RqblMHkd+gn+BK97JyxL+8IXH0BA==";
#define KAT_T 1700000000ull

static struct rc_vkey kat_key(void) {
  struct rc_vkey k;
  struct rc_error err;
  assert_int_equal(rc_cosig_vkey_parse(KAT_VKEY, strlen(KAT_VKEY), &k, &err),
                   RC_OK);
  return k;
}

static void note_of(struct rc_buf *b, const char *lines) {
  rc_buf_puts(b, KAT_TEXT);
  rc_buf_putc(b, '\n');
  rc_buf_puts(b, lines);
  assert_false(b->oom);
}

static void test_kat(void **state) {
  (void)state;
  struct rc_vkey k = kat_key();
  struct rc_buf b = {0};
  rc_cosig_vkey_encode(&k, &b);
  assert_int_equal(b.len, strlen(KAT_VKEY));
  assert_memory_equal(b.p, KAT_VKEY, b.len);
  rc_buf_free(&b);
  /* our signer gives the same bytes (Ed25519 is deterministic) */
  uint8_t seed[32], pk[32], sk[64], sig[64];
  memset(seed, 0x31, sizeof seed);
  assert_int_equal(rc_ed25519_seed_keypair(seed, pk, sk), 0);
  assert_memory_equal(pk, k.pk, 32);
  rc_cosig_message((const uint8_t *)KAT_TEXT, strlen(KAT_TEXT), KAT_T, &b);
  assert_int_equal(b.len, strlen("cosignature/v1\ntime 1700000000\n") +
                              strlen(KAT_TEXT));
  assert_memory_equal(b.p, "cosignature/v1\ntime 1700000000\nexample.org/", 43);
  assert_int_equal(rc_ed25519_sign(sk, b.p, b.len, sig), 0);
  rc_buf_free(&b);
  rc_cosig_line_encode(&k, KAT_T, sig, &b);
  char want[256];
  snprintf(want, sizeof want, EMDASH " witness.example/w1 %s\n", KAT_SIG);
  assert_int_equal(b.len, strlen(want));
  assert_memory_equal(b.p, want, b.len);
  /* and it parses back */
  struct rc_cosig_line l;
  struct rc_error err;
  assert_int_equal(rc_cosig_line_parse(b.p, b.len - 1, &l, &err), RC_OK);
  assert_int_equal(l.rawlen, 76);
  assert_int_equal(l.time, KAT_T);
  assert_memory_equal(l.sig, sig, 64);
  assert_int_equal(rc_cosig_verify(&k, (const uint8_t *)KAT_TEXT,
                                   strlen(KAT_TEXT), &l, RC_CRYPTO_BOTH, NULL,
                                   NULL),
                   RC_SIG_VALID);
  /* one more byte of text: fails */
  assert_int_equal(rc_cosig_verify(&k, (const uint8_t *)KAT_TEXT,
                                   strlen(KAT_TEXT) - 1, &l, RC_CRYPTO_BOTH,
                                   NULL, NULL),
                   RC_SIG_INVALID);
  rc_buf_free(&b);
}

static void test_keys(void **state) {
  (void)state;
  struct rc_vkey k = kat_key(), out;
  struct rc_error err;
  uint8_t id[4];
  rc_key_id(k.name, k.namelen, k.pk, id);
  assert_memory_not_equal(id, k.id, 4); /* the type byte is in the id */
  /* the same key as a note key (type 0x01) is refused, saying so */
  struct rc_buf b = {0};
  struct rc_vkey nk = k;
  memcpy(nk.id, id, 4);
  rc_vkey_encode(&nk, &b);
  assert_int_equal(rc_cosig_vkey_parse((char *)b.p, b.len, &out, &err),
                   RC_ERR_KEY);
  assert_non_null(strstr(err.msg, "note key"));
  rc_buf_free(&b);
  /* and a cosignature key is no note key */
  assert_int_equal(rc_vkey_parse(KAT_VKEY, strlen(KAT_VKEY), &out, &err),
                   RC_ERR_KEY);
  char bad[128];
  snprintf(bad, sizeof bad, "%s", KAT_VKEY);
  bad[19] = bad[19] == '0' ? '1' : '0'; /* the key id */
  assert_int_equal(rc_cosig_vkey_parse(bad, strlen(bad), &out, &err),
                   RC_ERR_KEYID);
  snprintf(bad, sizeof bad, "%s", KAT_VKEY);
  bad[18] = 'F'; /* uppercase hex */
  assert_int_equal(rc_cosig_vkey_parse(bad, strlen(bad), &out, &err),
                   RC_ERR_KEY);
  assert_int_equal(rc_cosig_vkey_parse("w+f5802c19", 10, &out, &err),
                   RC_ERR_KEY);
  assert_int_equal(rc_cosig_vkey_parse("", 0, &out, &err), RC_ERR_KEY);
}

static void test_lines(void **state) {
  (void)state;
  struct rc_cosig_line l;
  struct rc_error err;
  char line[256];
  uint8_t raw[100];
  memset(raw, 7, sizeof raw);
  for (size_t n = 0; n <= sizeof raw; n++) {
    char b64[200];
    rc_b64_encode(raw, n, b64);
    snprintf(line, sizeof line, EMDASH " w %s", b64);
    int rc = rc_cosig_line_parse((uint8_t *)line, strlen(line), &l, &err);
    if (n < 5) {
      assert_int_equal(rc, RC_ERR_SYNTAX);
    } else {
      assert_int_equal(rc, RC_OK);
      assert_int_equal(l.rawlen, n);
      assert_int_equal(l.time, n == 76 ? 0x0707070707070707ull : 0);
    }
  }
  static const char *const bad[] = {
      "- w AAAAAAA=",         EMDASH "w AAAAAAA=",  EMDASH " w", EMDASH " w ",
      EMDASH " w+x AAAAAAA=", EMDASH " w AAAAAAB=", /* non-zero unused bits */
      EMDASH " w AAAAAAA",                          /* no padding */
      EMDASH "  AAAAAAA=",                          /* no name */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(
        rc_cosig_line_parse((const uint8_t *)bad[i], strlen(bad[i]), &l, &err),
        RC_ERR_SYNTAX);
}

static void check(const char *lines, uint64_t now, struct rc_witness_result *r,
                  size_t nw, const struct rc_vkey *w) {
  struct rc_buf b = {0};
  struct rc_error err;
  note_of(&b, lines);
  assert_int_equal(
      rc_cosig_check_note(b.p, b.len, w, nw, now, RC_CRYPTO_BOTH, r, &err),
      RC_OK);
  rc_buf_free(&b);
}

static void test_check_note(void **state) {
  (void)state;
  struct rc_vkey w[2];
  w[0] = kat_key();
  struct signer s2;
  signer_init(&s2, "w2", 0x44);
  w[1] = s2.v;
  rc_cosig_key_id(w[1].name, w[1].namelen, w[1].pk, w[1].id);
  struct rc_witness_result r[2];
  char lines[1024], forged[256];
  snprintf(lines, sizeof lines,
           EMDASH " other AAAAAAA=\n" EMDASH " witness.example/w1 %s\n",
           KAT_SIG);
  check(lines, KAT_T, r, 2, w);
  assert_int_equal(r[0].status, RC_W_COSIGNED);
  assert_int_equal(r[0].time, KAT_T);
  assert_int_equal(r[0].nfailed, 0);
  assert_int_equal(r[1].status, RC_W_ABSENT);
  /* the clock: up to 600 s behind the cosignature is fine, 601 is not */
  check(lines, KAT_T - 600, r, 1, w);
  assert_int_equal(r[0].status, RC_W_COSIGNED);
  check(lines, KAT_T - 601, r, 1, w);
  assert_int_equal(r[0].status, RC_W_INVALID);
  assert_int_equal(r[0].fail, RC_CF_FUTURE);
  assert_int_equal(r[0].fail_time, KAT_T);
  assert_int_equal(r[0].fail_line, 6); /* 3 text lines, empty, 2 lines */
  /* a forged line before the valid one: still cosigned, the failure kept */
  snprintf(forged, sizeof forged, "%s", KAT_SIG);
  forged[20] = forged[20] == 'A' ? 'B' : 'A';
  snprintf(lines, sizeof lines,
           EMDASH " witness.example/w1 %s\n" EMDASH " witness.example/w1 %s\n",
           forged, KAT_SIG);
  check(lines, KAT_T, r, 1, w);
  assert_int_equal(r[0].status, RC_W_COSIGNED);
  assert_int_equal(r[0].nfailed, 1);
  assert_int_equal(r[0].fail, RC_CF_SIGNATURE);
  assert_int_equal(r[0].fail_line, 5);
  /* a 68-byte line with the witness's name and id: wrong length */
  uint8_t raw68[68] = {0};
  char b68[100];
  memcpy(raw68, w[0].id, 4);
  rc_b64_encode(raw68, sizeof raw68, b68);
  snprintf(lines, sizeof lines, EMDASH " witness.example/w1 %s\n", b68);
  check(lines, KAT_T, r, 1, w);
  assert_int_equal(r[0].status, RC_W_INVALID);
  assert_int_equal(r[0].fail, RC_CF_LENGTH);
  assert_int_equal(r[0].fail_len, 68);
  /* another key id under the same name is not this witness's line */
  snprintf(lines, sizeof lines, EMDASH " witness.example/w1 AAAAAA%s\n",
           KAT_SIG + 6);
  check(lines, KAT_T, r, 1, w);
  assert_int_equal(r[0].status, RC_W_ABSENT);
  /* not a note */
  struct rc_error err;
  assert_int_equal(rc_cosig_check_note((const uint8_t *)"a\nb\n", 4, w, 1,
                                       KAT_T, RC_CRYPTO_BOTH, r, &err),
                   RC_ERR_SYNTAX);
  assert_int_equal(rc_cosig_check_note((const uint8_t *)"a\n\nb", 4, w, 1,
                                       KAT_T, RC_CRYPTO_BOTH, r, &err),
                   RC_ERR_SYNTAX);
}

int main(void) {
  if (rc_crypto_init() != 0 || rc_hash_init() != RC_OK) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_kat),
      cmocka_unit_test(test_keys),
      cmocka_unit_test(test_lines),
      cmocka_unit_test(test_check_note),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
