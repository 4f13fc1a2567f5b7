/* fuzz_cosig.c — witness keys, cosignature lines and a checkpoint note's
 * cosignatures (formats/cosig.h).
 *
 * The first input byte chooses what the rest is:
 *   0  a cosignature verifier key: one that parses re-encodes to the same
 *      bytes and has the key id rc_cosig_key_id computes;
 *   1  a signature line: one of 76 decoded bytes re-encodes to the same
 *      bytes; verifying it under a fixed key never succeeds by chance;
 *   2  a checkpoint note checked for two fixed witnesses: the results are
 *      consistent (cosigned has a time not in the future, invalid has a
 *      failing line, absent has none);
 *   3  a note text: the harness cosigns it with the first fixed witness
 *      (time from the next 8 bytes) and appends a stray line; the check
 *      must say cosigned with that time unless the time is in the future
 *      (then invalid, with two failing lines). */
#include <sodium.h>
#include <string.h>

#include "cosig.h"
#include "fuzz_common.h"

#define NOW 1700000000ull

static struct rc_vkey wit[2];
static uint8_t wsk[2][64];

static void setup(void) {
  static int done;
  if (done) return;
  static const char *names[2] = {"witness.example/w1", "w2"};
  for (int i = 0; i < 2; i++) {
    uint8_t seed[32];
    memset(seed, 0x31 + i, sizeof seed);
    crypto_sign_seed_keypair(wit[i].pk, wsk[i], seed);
    wit[i].name = names[i];
    wit[i].namelen = strlen(names[i]);
    rc_cosig_key_id(wit[i].name, wit[i].namelen, wit[i].pk, wit[i].id);
  }
  done = 1;
}

static void check_results(const struct rc_witness_result *r, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (r[i].status == RC_W_COSIGNED)
      FUZZ_CHECK(r[i].time <= NOW + RC_COSIG_FUTURE_MAX);
    if (r[i].status == RC_W_INVALID)
      FUZZ_CHECK(r[i].nfailed > 0 && r[i].fail != RC_CF_NONE);
    if (r[i].status == RC_W_ABSENT) FUZZ_CHECK(r[i].nfailed == 0);
    if (r[i].fail == RC_CF_LENGTH) FUZZ_CHECK(r[i].fail_len != RC_COSIG_RAW);
  }
}

static void cosign_own(const uint8_t *data, size_t size) {
  if (size < 9) return;
  uint64_t t = 0;
  for (int i = 0; i < 8; i++) t = t << 8 | data[i];
  data += 8, size -= 8;
  if (!size || data[size - 1] != '\n' || memchr(data, '\n', size) == NULL)
    return;
  for (size_t i = 1; i < size; i++)
    if (data[i] == '\n' && data[i - 1] == '\n') return; /* one text only */
  struct rc_buf m = {0}, note = {0};
  rc_cosig_message(data, size, t, &m);
  uint8_t sig[64];
  if (!m.oom) {
    crypto_sign_detached(sig, NULL, m.p, m.len, wsk[0]);
    rc_buf_put(&note, data, size);
    rc_buf_putc(&note, '\n');
    rc_cosig_line_encode(&wit[0], t ^ 1, sig, &note); /* fails */
    rc_cosig_line_encode(&wit[0], t, sig, &note);
  }
  if (!m.oom && !note.oom) {
    struct rc_witness_result r[2];
    struct rc_error err;
    int rc = rc_cosig_check_note(note.p, note.len, wit, 2, NOW, RC_CRYPTO_BOTH,
                                 r, &err);
    FUZZ_CHECK(rc == RC_OK);
    check_results(r, 2);
    FUZZ_CHECK(r[1].status == RC_W_ABSENT);
    if (t > NOW + RC_COSIG_FUTURE_MAX) {
      /* both lines fail; the first (t ^ 1) names the first failure */
      FUZZ_CHECK(r[0].status == RC_W_INVALID && r[0].nfailed == 2);
    } else {
      FUZZ_CHECK(r[0].status == RC_W_COSIGNED && r[0].time == t);
      FUZZ_CHECK(r[0].nfailed == 1);
    }
  }
  rc_buf_free(&m);
  rc_buf_free(&note);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_crypto_init();
  setup();
  if (size == 0) return 0;
  uint8_t mode = data[0] % 4;
  data++, size--;
  uint8_t *p = fuzz_copy(data, size);
  if (!p) return 0;
  struct rc_error err;
  if (mode == 0) {
    struct rc_vkey k;
    if (rc_cosig_vkey_parse((const char *)p, size, &k, &err) == RC_OK) {
      uint8_t id[4];
      rc_cosig_key_id(k.name, k.namelen, k.pk, id);
      FUZZ_CHECK(!memcmp(id, k.id, 4));
      struct rc_buf b = {0};
      rc_cosig_vkey_encode(&k, &b);
      fuzz_same_bytes("rc_cosig_vkey_parse", &b, p, size);
      rc_buf_free(&b);
    }
  } else if (mode == 1) {
    struct rc_cosig_line l;
    if (rc_cosig_line_parse(p, size, &l, &err) == RC_OK) {
      FUZZ_CHECK(l.rawlen >= 5 && l.namelen > 0);
      if (l.rawlen == RC_COSIG_RAW) {
        struct rc_vkey k = {.name = l.name, .namelen = l.namelen};
        memcpy(k.id, l.id, 4);
        struct rc_buf b = {0};
        rc_cosig_line_encode(&k, l.time, l.sig, &b);
        if (!b.oom) {
          FUZZ_CHECK(b.len == size + 1 && b.p[size] == '\n');
          b.len--;
        }
        fuzz_same_bytes("rc_cosig_line_parse", &b, p, size);
        rc_buf_free(&b);
        static const uint8_t text[] = "example/origin\n1\nAAAA\n";
        FUZZ_CHECK(rc_cosig_verify(&wit[0], text, sizeof text - 1, &l,
                                   RC_CRYPTO_BOTH, NULL, NULL) != RC_SIG_VALID);
      }
    }
  } else if (mode == 2) {
    struct rc_witness_result r[2];
    if (rc_cosig_check_note(p, size, wit, 2, NOW, RC_CRYPTO_BOTH, r, &err) ==
        RC_OK)
      check_results(r, 2);
  } else {
    cosign_own(p, size);
  }
  free(p);
  return 0;
}
