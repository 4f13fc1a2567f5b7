/* ed25519.c — the verification side of the Ed25519 policy (ed25519.h).
 * Signing lives in sign/sigs.c so that recount-verify links no code that
 * handles secret keys. */
#include "ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>
#include <string.h>

int rc_crypto_init(void) { return sodium_init() < 0 ? -1 : 0; }

/* The eight points of small order, canonically encoded (C2SP CCTV
 * ed25519 README, "Low-order edwards25519 point encodings"). Their
 * non-canonical encodings are caught by the canonicity check. */
static const uint8_t small_order[8][32] = {
    {0},
    {[31] = 0x80},
    {1},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x85},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0xfa},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

/* y >= p = 2^255 - 19 (the sign bit ignored) */
static int y_noncanonical(const uint8_t pk[32]) {
  if ((pk[31] & 0x7f) != 0x7f) return 0;
  for (int i = 30; i > 0; i--)
    if (pk[i] != 0xff) return 0;
  return pk[0] >= 0xed;
}

enum rc_key_class rc_pubkey_check(const uint8_t pk[32]) {
  if (y_noncanonical(pk)) return RC_KEY_NONCANONICAL;
  /* x = 0 happens for y = 1 and y = -1; with the sign bit set these are
   * "negative zero", a second encoding of the same point */
  static const uint8_t one_neg[32] = {1, [31] = 0x80};
  uint8_t m1neg[32];
  memcpy(m1neg, small_order[7], 32);
  m1neg[31] |= 0x80;
  if (!memcmp(pk, one_neg, 32) || !memcmp(pk, m1neg, 32))
    return RC_KEY_NONCANONICAL;
  for (int i = 0; i < 8; i++)
    if (!memcmp(pk, small_order[i], 32)) return RC_KEY_SMALL_ORDER;
  return RC_KEY_GOOD;
}

enum rc_key_class rc_pubkey_check_full(const uint8_t pk[32]) {
  enum rc_key_class c = rc_pubkey_check(pk);
  if (c != RC_KEY_GOOD) return c;
  /* libsodium decompresses the point here and fails for non-points */
  uint8_t x[32];
  if (crypto_sign_ed25519_pk_to_curve25519(x, pk) != 0)
    return RC_KEY_NOT_ON_CURVE;
  return RC_KEY_GOOD;
}

const char *rc_key_class_str(enum rc_key_class c) {
  switch (c) {
  case RC_KEY_GOOD: return "a valid key";
  case RC_KEY_NONCANONICAL: return "non-canonically encoded";
  case RC_KEY_SMALL_ORDER: return "of small order";
  case RC_KEY_NOT_ON_CURVE: return "not a point of the prime-order subgroup";
  }
  return "invalid";
}

static int ossl_verify(const uint8_t pk[32], const uint8_t *msg, size_t len,
                       const uint8_t sig[64]) {
  int ok = 0;
  EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!key || !ctx) {
    ok = -1;
    goto out;
  }
  if (EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, key, NULL) != 1)
    goto out; /* a key OpenSSL cannot use verifies nothing */
  ok = EVP_DigestVerify(ctx, sig, 64, msg, len) == 1;
out:
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

enum rc_sig_result rc_ed25519_verify(const uint8_t pk[32], const uint8_t *msg,
                                     size_t len, const uint8_t sig[64],
                                     enum rc_crypto_mode mode, int *sodium_ok,
                                     int *ossl_ok) {
  int s = -1, o = -1;
  if (mode != RC_CRYPTO_OPENSSL)
    s = crypto_sign_verify_detached(sig, msg, len, pk) == 0;
  if (mode != RC_CRYPTO_SODIUM) o = ossl_verify(pk, msg, len, sig);
  if (sodium_ok) *sodium_ok = s;
  if (ossl_ok) *ossl_ok = o;
  if (mode != RC_CRYPTO_SODIUM && o == -1) return RC_SIG_ERROR;
  switch (mode) {
  case RC_CRYPTO_SODIUM: return s ? RC_SIG_VALID : RC_SIG_INVALID;
  case RC_CRYPTO_OPENSSL: return o ? RC_SIG_VALID : RC_SIG_INVALID;
  default:
    if (s && o) return RC_SIG_VALID;
    if (!s && !o) return RC_SIG_INVALID;
    return RC_SIG_DISAGREE;
  }
}

int rc_pubkey_to_pem(const uint8_t pk[32], struct rc_buf *out,
                     struct rc_error *err) {
  int rc = RC_OK;
  EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
  BIO *bio = BIO_new(BIO_s_mem());
  char *data = NULL;
  if (!key || !bio || PEM_write_bio_PUBKEY(bio, key) != 1) {
    rc = rc_fail(err, RC_ERR_CRYPTO, 0, "key", "OpenSSL cannot encode the key");
    goto out;
  }
  long n = BIO_get_mem_data(bio, &data);
  if (n <= 0) {
    rc = rc_fail(err, RC_ERR_CRYPTO, 0, "key", "OpenSSL produced no PEM");
    goto out;
  }
  rc_buf_put(out, data, (size_t)n);
  if (out->oom) rc = rc_fail(err, RC_ERR_NOMEM, 0, "key", "out of memory");
out:
  BIO_free(bio);
  EVP_PKEY_free(key);
  return rc;
}
