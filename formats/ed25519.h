/* ed25519.h — the project's single Ed25519 policy (RECORD.md §1).
 *
 * A signature is valid only if libsodium's crypto_sign_verify_detached AND
 * OpenSSL's EVP_DigestVerify both accept it; a disagreement is reported
 * distinctly. Public keys that are non-canonical or of small order are
 * rejected everywhere (rc_pubkey_check). Signing is declared in
 * sign/signing.h, outside formats/. */
#ifndef RC_ED25519_H
#define RC_ED25519_H
#include "rc.h"

/* Which implementations must accept. BOTH is the auditable default. */
enum rc_crypto_mode { RC_CRYPTO_BOTH = 0, RC_CRYPTO_SODIUM, RC_CRYPTO_OPENSSL };

/* Result of a policy verification. */
enum rc_sig_result {
  RC_SIG_VALID = 0, /* every required implementation accepted */
  RC_SIG_INVALID,   /* every required implementation rejected */
  RC_SIG_DISAGREE,  /* BOTH mode: one accepted, the other rejected */
  RC_SIG_ERROR      /* a library call failed (out of memory, ...) */
};

/* Result of a public-key check. */
enum rc_key_class {
  RC_KEY_GOOD = 0,     /* canonical, on the curve, not of small order */
  RC_KEY_NONCANONICAL, /* y >= p, or x = 0 encoded with the sign bit */
  RC_KEY_SMALL_ORDER,  /* one of the 8 points of order dividing 8 */
  RC_KEY_NOT_ON_CURVE  /* (rc_pubkey_check_full only) not a point of the
                        * prime-order subgroup: off the curve, or with a
                        * torsion component. Informational: such a key
                        * is not KEY_WEAK under RECORD.md. */
};

/* Must be called once before any other function here (calls sodium_init).
 * Returns 0 on success, -1 if libsodium cannot be initialised. */
RC_WUR int rc_crypto_init(void);

/* Classifies a 32-byte public key encoding with byte comparisons only
 * (cheap enough for millions of station keys): non-canonical or one of
 * the eight small-order points. Never returns RC_KEY_NOT_ON_CURVE. */
enum rc_key_class rc_pubkey_check(const uint8_t pk[32]);
/* As rc_pubkey_check, then asks libsodium to decompress the point and
 * check its order: RC_KEY_NOT_ON_CURVE when it is not a point of the
 * prime-order subgroup (libsodium 1.0.18's pk_to_curve25519 rejects both
 * off-curve and mixed-order points). Used to label test decisions. */
enum rc_key_class rc_pubkey_check_full(const uint8_t pk[32]);
const char *rc_key_class_str(enum rc_key_class c);

/* Verifies sig over msg[0..len) under pk, following mode. If sodium_ok or
 * ossl_ok are non-NULL they receive each library's own answer (1 accept,
 * 0 reject, -1 not run). Thread-safe. */
RC_WUR enum rc_sig_result rc_ed25519_verify(const uint8_t pk[32],
                                            const uint8_t *msg, size_t len,
                                            const uint8_t sig[64],
                                            enum rc_crypto_mode mode,
                                            int *sodium_ok, int *ossl_ok);

#endif
