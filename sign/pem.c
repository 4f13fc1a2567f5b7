/* pem.c — public-key export for `recount-sign pem` (signing.h). */
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "signing.h"

int rc_pubkey_to_pem(const uint8_t pk[32], struct rc_buf *out,
                     struct rc_error *err) {
  int rc = RC_OK;
  char *data = NULL;
  EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
  BIO *bio = BIO_new(BIO_s_mem());
  if (!key || !bio || PEM_write_bio_PUBKEY(bio, key) != 1) {
    rc = rc_fail(err, RC_ERR_CRYPTO, 0, "key", "OpenSSL cannot encode the key");
    goto out;
  }
  long n = BIO_get_mem_data(bio, &data);
  if (n <= 0 || !data) {
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
