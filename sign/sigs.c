/* sigs.c — signing with secret keys (signing.h): only recount-sign and
 * recount-gen link this file; recount-verify must not (a test checks its
 * symbol table). */
#include <sodium.h>
#include <string.h>

#include "b64.h"
#include "signing.h"

int rc_ed25519_seed_keypair(const uint8_t seed[32], uint8_t pk[32],
                            uint8_t sk64[64]) {
  return crypto_sign_seed_keypair(pk, sk64, seed) == 0 ? 0 : -1;
}

int rc_ed25519_sign(const uint8_t sk64[64], const uint8_t *msg, size_t len,
                    uint8_t sig[64]) {
  return crypto_sign_detached(sig, NULL, msg, len, sk64) == 0 ? 0 : -1;
}

int rc_note_sigline(const struct rc_vkey *k, const uint8_t sk64[64],
                    const uint8_t *text, size_t len, struct rc_buf *b) {
  uint8_t raw[68];
  if (len == 0 || text[len - 1] != '\n') return RC_ERR_SYNTAX;
  memcpy(raw, k->id, 4);
  if (rc_ed25519_sign(sk64, text, len, raw + 4) != 0) return RC_ERR_CRYPTO;
  rc_buf_puts(b, "\xe2\x80\x94 ");
  rc_buf_put(b, k->name, k->namelen);
  rc_buf_putc(b, ' ');
  rc_b64_append(b, raw, sizeof raw);
  rc_buf_putc(b, '\n');
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}
