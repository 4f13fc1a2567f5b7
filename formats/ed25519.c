/* ed25519.c — the verification side of the Ed25519 policy (ed25519.h).
 * Signing and key export live in sign/ (signing.h) so that recount-verify
 * links no code that handles secret keys.
 *
 * Acceptance rule (RECORD.md §1): a signature is valid only when libsodium's
 * crypto_sign_verify_detached AND OpenSSL's EVP_DigestVerify both accept.
 * libsodium 1.0.18 already refuses a non-canonical or small-order A, a
 * small-order R and S >= L; OpenSSL 3.0 refuses S >= L but accepts several
 * of the other edge cases. Requiring both makes the stricter answer win and
 * turns every difference into a visible RC_SIG_DISAGREE. Public keys are
 * additionally screened with rc_pubkey_check wherever they are read. */
#include "ed25519.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

int rc_crypto_init(void) { return sodium_init() < 0 ? -1 : 0; }

/* ---- public-key classification ------------------------------------------
 *
 * A 32-byte encoding is y (255 bits, little-endian) and the sign bit of x
 * (bit 255). It is NON-CANONICAL when
 *   - y >= p = 2^255 - 19 (19 values of y, either sign bit: 38 encodings),
 *     whatever the sign bit; or
 *   - x would be 0 and the sign bit is set ("negative zero"). x = 0 exactly
 *     when y^2 = 1, i.e. y = 1 (the identity) and y = -1 = p - 1 (the point
 *     of order 2), so the two encodings are 01 00..00 80 and ec ff..ff ff.
 * It is SMALL-ORDER when it is the canonical encoding of one of the eight
 * points of order dividing 8 (C2SP CCTV ed25519 README, "Low-order
 * edwards25519 point encodings"); their other encodings are all of the
 * non-canonical kinds above and are reported as such.
 * Everything is a byte comparison: no field arithmetic, no decompression. */

static const uint8_t small_order[8][32] = {
    {0},           /* y = 0, x = +sqrt(-1): order 4 */
    {[31] = 0x80}, /* y = 0, x = -sqrt(-1): order 4 */
    {1},           /* y = 1: the identity, order 1 */
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05}, /* order 8 */
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x85}, /* order 8 */
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a}, /* order 8 */
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0xfa}, /* order 8 */
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, /* y = -1:
                                                                     order 2 */
};

/* the two "negative zero" encodings: y = 1 and y = -1 with the sign bit */
static const uint8_t negative_zero[2][32] = {
    {1, [31] = 0x80},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
};

/* 1 if y >= p = 2^255 - 19, the sign bit ignored: p is ed ff .. ff 7f, so
 * y >= p exactly when bytes 1..30 are ff, byte 31 (without the sign bit)
 * is 7f and byte 0 is at least ed. */
static int y_noncanonical(const uint8_t pk[32]) {
  if ((pk[31] & 0x7f) != 0x7f) return 0;
  for (int i = 30; i > 0; i--)
    if (pk[i] != 0xff) return 0;
  return pk[0] >= 0xed;
}

enum rc_key_class rc_pubkey_check(const uint8_t pk[32]) {
  if (y_noncanonical(pk)) return RC_KEY_NONCANONICAL;
  for (int i = 0; i < 2; i++)
    if (!memcmp(pk, negative_zero[i], 32)) return RC_KEY_NONCANONICAL;
  for (int i = 0; i < 8; i++)
    if (!memcmp(pk, small_order[i], 32)) return RC_KEY_SMALL_ORDER;
  return RC_KEY_GOOD;
}

/* On-curve and subgroup test by library call, not by our own maths:
 * libsodium 1.0.18's crypto_sign_ed25519_pk_to_curve25519 returns -1 when
 * the encoding has small order, does not decompress to a curve point, or
 * the point is not in the prime-order subgroup ([L]A != identity). So
 * RC_KEY_NOT_ON_CURVE here means "off the curve or with a torsion
 * component". (crypto_core_ed25519_is_valid_point would do the same; a
 * mixed-order key is not KEY_WEAK under RECORD.md, which is why the cheap
 * rc_pubkey_check does not call either.) */
enum rc_key_class rc_pubkey_check_full(const uint8_t pk[32]) {
  enum rc_key_class c = rc_pubkey_check(pk);
  if (c != RC_KEY_GOOD) return c;
  uint8_t x25519[32];
  if (crypto_sign_ed25519_pk_to_curve25519(x25519, pk) != 0)
    return RC_KEY_NOT_ON_CURVE;
  return RC_KEY_GOOD;
}

/* Short phrases that read after "key is ..." in findings. */
const char *rc_key_class_str(enum rc_key_class c) {
  switch (c) {
  case RC_KEY_GOOD: return "a valid key";
  case RC_KEY_NONCANONICAL: return "non-canonically encoded";
  case RC_KEY_SMALL_ORDER: return "of small order";
  case RC_KEY_NOT_ON_CURVE: return "not a point of the prime-order subgroup";
  }
  return "invalid";
}

/* ---- verification ---------------------------------------------------- */

/* OpenSSL's answer: 1 accept, 0 reject, -1 a library call failed (out of
 * memory). A fresh EVP_PKEY and EVP_MD_CTX per call: measured on this
 * machine (OpenSSL 3.0.x, 300-byte messages) they cost ~7 us of the
 * ~150 us OpenSSL verification, and reusing a per-thread EVP_MD_CTX saved
 * under 1 us (within noise), so the simpler, leak-free form is kept. An
 * EVP_DigestVerifyInit_ex failure on a well-formed raw key counts as a
 * rejection: OpenSSL did not accept, so BOTH reports it (as a disagreement
 * if libsodium accepted). */
static int ossl_verify(const uint8_t pk[32], const uint8_t *msg, size_t len,
                       const uint8_t sig[64]) {
  int ok = -1;
  EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!key || !ctx) goto out;
  ok = 0;
  /* pure Ed25519: no digest, one-shot verify over the whole message */
  if (EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, key, NULL) != 1)
    goto out;
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
  enum rc_sig_result r;
  if (mode != RC_CRYPTO_OPENSSL)
    s = crypto_sign_verify_detached(sig, msg, len, pk) == 0;
  if (mode != RC_CRYPTO_SODIUM) o = ossl_verify(pk, msg, len, sig);
  if (mode != RC_CRYPTO_SODIUM && o < 0) r = RC_SIG_ERROR;
  else if (mode == RC_CRYPTO_SODIUM) r = s ? RC_SIG_VALID : RC_SIG_INVALID;
  else if (mode == RC_CRYPTO_OPENSSL) r = o ? RC_SIG_VALID : RC_SIG_INVALID;
  else /* BOTH, and any out-of-range mode value */
    r = s && o ? RC_SIG_VALID : !s && !o ? RC_SIG_INVALID : RC_SIG_DISAGREE;
  if (sodium_ok) *sodium_ok = s;
  if (ossl_ok) *ossl_ok = o;
  return r;
}
