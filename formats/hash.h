/* hash.h — SHA-256 through OpenSSL's EVP interface (hardware accelerated).
 * The digest object is fetched once; contexts are per call or per thread,
 * so every function here is thread-safe. */
#ifndef RC_HASH_H
#define RC_HASH_H
#include "rc.h"

void rc_sha256(const void *data, size_t len, uint8_t out[32]);
/* SHA-256 of a || b (either may be empty). */
void rc_sha256_2(const void *a, size_t alen, const void *b, size_t blen,
                 uint8_t out[32]);
/* SHA-256 of a || b || c. */
void rc_sha256_3(const void *a, size_t alen, const void *b, size_t blen,
                 const void *c, size_t clen, uint8_t out[32]);
/* Optional: checks that OpenSSL provides SHA-256. Returns RC_OK or
 * RC_ERR_CRYPTO. The functions above abort() rather than return a wrong
 * digest if OpenSSL fails; calling this once from main turns a broken
 * OpenSSL setup into an error value (exit 2) instead. */
RC_WUR int rc_hash_init(void);
#endif
