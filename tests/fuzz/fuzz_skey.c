/* fuzz_skey.c — signer keys (sign/skey.h).
 *
 * The input is one plain signer key without its newline. The key struct
 * lives in sodium_malloc memory (rc_skey_new), allocated once. A key that
 * parses must re-encode (rc_skey_encode, minus its trailing newline) to
 * the identical bytes, and its verifier key must encode to a string that
 * rc_vkey_parse accepts with the same name, id and public key. */
#include <sodium.h>
#include <string.h>

#include "fuzz_common.h"
#include "keys.h"
#include "skey.h"

static struct rc_skey *key;
static char *text; /* RC_SKEY_TEXT_MAX bytes of secure memory */

static void init(void) {
  if (key) return;
  fuzz_crypto_init();
  key = rc_skey_new();
  text = sodium_malloc(RC_SKEY_TEXT_MAX);
  FUZZ_CHECK(key != NULL && text != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init();
  struct rc_error err;
  if (rc_skey_parse((const char *)data, size, key, &err) != RC_OK) {
    /* a refused key leaves nothing behind */
    static const struct rc_skey zero;
    FUZZ_CHECK(!memcmp(key, &zero, sizeof zero));
    return 0;
  }
  FUZZ_CHECK(rc_keyname_valid(key->name, key->namelen));
  FUZZ_CHECK(strlen(key->name) == key->namelen);
  size_t n = rc_skey_encode(key, text);
  FUZZ_CHECK(n == size + 1 && text[size] == '\n');
  FUZZ_CHECK(!memcmp(text, data, size));

  struct rc_vkey v, v2;
  rc_skey_vkey(key, &v);
  struct rc_buf b = {0};
  rc_vkey_encode(&v, &b);
  if (!b.oom) {
    FUZZ_CHECK(rc_vkey_parse((const char *)b.p, b.len, &v2, &err) == RC_OK);
    FUZZ_CHECK(v2.namelen == key->namelen &&
               !memcmp(v2.name, key->name, key->namelen));
    FUZZ_CHECK(!memcmp(v2.id, key->id, 4) && !memcmp(v2.pk, key->pk, 32));
  }
  rc_buf_free(&b);
  FUZZ_CHECK(!memcmp(key->sk + 32, key->pk, 32));
  return 0;
}
