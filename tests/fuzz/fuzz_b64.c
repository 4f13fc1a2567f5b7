/* fuzz_b64.c — canonical base64 (formats/b64.h).
 *
 * 1. The input as base64 text: when rc_b64_decode accepts it, encoding the
 *    result must give the input back (one encoding per value), the output
 *    length must be exact, rc_b64_decode_exact must agree, and one byte
 *    less of room must give RC_ERR_LIMIT.
 * 2. The input as bytes: rc_b64_encode and rc_b64_append (which encodes in
 *    chunks) must give the same text, and it must decode to the input. */
#include <string.h>

#include "b64.h"
#include "fuzz_common.h"

static void as_text(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  size_t cap = size / 4 * 3 + 3;
  uint8_t *out = malloc(cap);
  if (!out) return;
  size_t got = 0;
  int rc = rc_b64_decode(s, size, out, cap, &got);
  FUZZ_CHECK(rc == RC_OK || rc == RC_ERR_BASE64);
  if (rc != RC_OK) {
    FUZZ_CHECK(got == 0);
    free(out);
    return;
  }
  FUZZ_CHECK(size % 4 == 0 && got <= size / 4 * 3);
  FUZZ_CHECK(rc_b64_enc_len(got) == size);
  char *enc = malloc(size + 1);
  if (enc) {
    rc_b64_encode(out, got, enc);
    FUZZ_CHECK(enc[size] == 0 && !memcmp(enc, s, size));
    free(enc);
  }
  uint8_t *ex = malloc(got ? got : 1);
  if (ex) {
    FUZZ_CHECK(rc_b64_decode_exact(s, size, ex, got) == RC_OK);
    FUZZ_CHECK(!memcmp(ex, out, got));
    if (got) {
      size_t g2 = 0;
      FUZZ_CHECK(rc_b64_decode(s, size, ex, got - 1, &g2) == RC_ERR_LIMIT);
      FUZZ_CHECK(rc_b64_decode_exact(s, size, ex, got - 1) == RC_ERR_BASE64);
    }
    free(ex);
  }
  free(out);
}

static void as_bytes(const uint8_t *data, size_t size) {
  size_t el = rc_b64_enc_len(size);
  FUZZ_CHECK(el % 4 == 0 && el / 4 * 3 >= size && el / 4 * 3 < size + 3);
  char *enc = malloc(el + 1);
  if (!enc) return;
  rc_b64_encode(data, size, enc);
  FUZZ_CHECK(strlen(enc) == el);
  struct rc_buf b = {0};
  rc_b64_append(&b, data, size);
  if (!b.oom) FUZZ_CHECK(b.len == el && (el == 0 || !memcmp(b.p, enc, el)));
  rc_buf_free(&b);
  uint8_t *back = malloc(size ? size : 1);
  if (back) {
    size_t got = 0;
    FUZZ_CHECK(rc_b64_decode(enc, el, back, size, &got) == RC_OK);
    FUZZ_CHECK(got == size && (size == 0 || !memcmp(back, data, size)));
    FUZZ_CHECK(rc_b64_decode_exact(enc, el, back, size) == RC_OK);
    free(back);
  }
  free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  as_text(data, size);
  as_bytes(data, size);
  return 0;
}
