/* fuzz_vkey.c — verifier keys (formats/keys.h).
 *
 * The input is one verifier key without its newline. A key that parses
 * must re-encode (rc_vkey_encode) to the identical bytes, its name must be
 * valid and its id must be the one rc_key_id computes. The public key is
 * classified by both rc_pubkey_check variants, which must agree where
 * they overlap. */
#include <string.h>

#include "ed25519.h"
#include "fuzz_common.h"
#include "keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_crypto_init();
  struct rc_vkey k;
  struct rc_error err;
  const char *s = (const char *)data;
  if (rc_vkey_parse(s, size, &k, &err) != RC_OK) return 0;
  FUZZ_CHECK(k.name == s);
  FUZZ_CHECK(rc_keyname_valid(k.name, k.namelen));
  uint8_t id[4];
  rc_key_id(k.name, k.namelen, k.pk, id);
  FUZZ_CHECK(!memcmp(id, k.id, 4));
  struct rc_buf b = {0};
  rc_vkey_encode(&k, &b);
  fuzz_same_bytes("rc_vkey_parse", &b, data, size);
  rc_buf_free(&b);
  enum rc_key_class c = rc_pubkey_check(k.pk);
  enum rc_key_class f = rc_pubkey_check_full(k.pk);
  FUZZ_CHECK(c != RC_KEY_NOT_ON_CURVE);
  if (c != RC_KEY_GOOD) FUZZ_CHECK(f == c);
  else FUZZ_CHECK(f == RC_KEY_GOOD || f == RC_KEY_NOT_ON_CURVE);
  FUZZ_CHECK(rc_key_class_str(f) != NULL);
  return 0;
}
