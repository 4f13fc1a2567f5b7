/* signing.h — the signing side of the Ed25519 policy and of signed notes:
 * every function that handles a secret key, and the key export only
 * recount-sign offers. Implemented in sign/ (sigs.c, pem.c), linked into
 * recount-sign and recount-gen and never into recount-verify (the e2e test
 * t_60_hardening checks its symbol table). formats/ declares the
 * verification side only (ed25519.h, note.h). */
#ifndef RC_SIGNING_H
#define RC_SIGNING_H
#include "keys.h"
#include "rc.h"

/* Derives the key pair of a 32-byte seed (libsodium): pk receives the
 * public key, sk64 the 64-byte libsodium secret key (seed || pk; the
 * caller keeps it in sodium_malloc memory). Returns 0 or -1. */
RC_WUR int rc_ed25519_seed_keypair(const uint8_t seed[32], uint8_t pk[32],
                                   uint8_t sk64[64]);

/* Signs msg[0..len) with the 64-byte libsodium secret key into sig.
 * Returns 0 or -1. */
RC_WUR int rc_ed25519_sign(const uint8_t sk64[64], const uint8_t *msg,
                           size_t len, uint8_t sig[64]);

/* Signs text[0..len) (must end in '\n'; the empty line before the
 * signatures is the caller's) as key k (name and key id) with the 64-byte
 * libsodium secret key, and appends one signature line "— <name>
 * <base64(key id || signature)>\n" to b. Returns RC_OK, RC_ERR_SYNTAX (no
 * final newline), RC_ERR_CRYPTO or RC_ERR_NOMEM. */
RC_WUR int rc_note_sigline(const struct rc_vkey *k, const uint8_t sk64[64],
                           const uint8_t *text, size_t len, struct rc_buf *b);

/* Appends the public key as an SPKI PEM ("-----BEGIN PUBLIC KEY-----")
 * written by OpenSSL, for `recount-sign pem`. Returns RC_OK, RC_ERR_CRYPTO
 * or RC_ERR_NOMEM (err filled, may be NULL). */
RC_WUR int rc_pubkey_to_pem(const uint8_t pk[32], struct rc_buf *out,
                            struct rc_error *err);
#endif
