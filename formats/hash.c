/* hash.c — SHA-256 through OpenSSL 3's EVP interface.
 *
 * Why this shape: these functions run once per count sheet and once per
 * Merkle node, so the per-call overhead matters more than the hashing.
 * Measured on the development machine (SHA-NI, OpenSSL 3.0):
 *                                   65 B          500 B
 *   one-shot SHA256()                 580-730 ns    750-1040 ns
 *   EVP_Digest() with a fetched MD    280-300 ns    510-540 ns
 *   per-thread EVP_MD_CTX, reused     160-200 ns    400-460 ns
 *   (deprecated SHA256_Init/Update/Final: ~120 ns, ~360 ns;
 *    not used, deprecated since 3.0; EVP_DigestInit_ex in 3.0 frees and
 *    re-allocates the provider context on every call, which is the gap.)
 * SHA256() re-fetches the algorithm on every call (EVP_Q_digest), and
 * EVP_Digest() allocates a context per call; so the SHA256 EVP_MD is fetched
 * once (pthread_once) and each thread keeps one EVP_MD_CTX that is
 * re-initialised per digest. The context is freed by a pthread key
 * destructor when the thread exits.
 *
 * Failure policy: the public functions return void (a digest is needed in
 * places that cannot fail gracefully, and a wrong digest must never be
 * returned). rc_hash_init() reports an unusable OpenSSL (no SHA-256 in the
 * default provider) as a value so main() can exit 2 cleanly; if hashing
 * still fails afterwards (context allocation failure), the process aborts
 * rather than return an unhashed buffer. */
#include "hash.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static EVP_MD *g_sha256;        /* fetched once; read-only afterwards */
static pthread_key_t g_ctx_key; /* owns each thread's context for cleanup */
static int g_key_ok;
static __thread EVP_MD_CTX *t_ctx; /* this thread's reusable context */

static void ctx_destroy(void *p) { EVP_MD_CTX_free((EVP_MD_CTX *)p); }

static void hash_global_init(void) {
  g_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
  g_key_ok = pthread_key_create(&g_ctx_key, ctx_destroy) == 0;
}

/* Returns this thread's context, initialised for SHA-256, or NULL. */
static EVP_MD_CTX *thread_ctx(void) {
  if (pthread_once(&g_once, hash_global_init) != 0 || g_sha256 == NULL)
    return NULL;
  EVP_MD_CTX *ctx = t_ctx;
  if (ctx == NULL) {
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) return NULL;
    /* Register for freeing at thread exit; if the key is unavailable the
     * context simply lives until process exit (one per thread). */
    if (g_key_ok) (void)pthread_setspecific(g_ctx_key, ctx);
    t_ctx = ctx;
  }
  if (EVP_DigestInit_ex(ctx, g_sha256, NULL) != 1) return NULL;
  return ctx;
}

/* Fetches SHA-256 and sets up this thread's context. Returns RC_OK, or
 * RC_ERR_CRYPTO if OpenSSL cannot provide SHA-256 (call it once from main
 * to turn that into an exit status instead of an abort). Idempotent. */
int rc_hash_init(void) {
  uint8_t out[32];
  EVP_MD_CTX *ctx = thread_ctx();
  unsigned int n = 0;
  if (ctx == NULL || EVP_DigestFinal_ex(ctx, out, &n) != 1 || n != 32)
    return RC_ERR_CRYPTO;
  return RC_OK;
}

/* Hashes up to three parts; aborts on an internal OpenSSL failure (see the
 * file comment: a wrong digest is never returned). */
static void sha256_parts(const void *a, size_t alen, const void *b, size_t blen,
                         const void *c, size_t clen, uint8_t out[32]) {
  EVP_MD_CTX *ctx = thread_ctx();
  unsigned int n = 0;
  if (ctx == NULL) abort();
  /* EVP_DigestUpdate accepts zero lengths; skip them anyway so a NULL
   * pointer with length 0 is never passed on. */
  if ((alen && EVP_DigestUpdate(ctx, a, alen) != 1) ||
      (blen && EVP_DigestUpdate(ctx, b, blen) != 1) ||
      (clen && EVP_DigestUpdate(ctx, c, clen) != 1) ||
      EVP_DigestFinal_ex(ctx, out, &n) != 1 || n != 32)
    abort();
}

/* SHA-256 of data[0..len). Requires data readable (may be NULL if len is
 * 0); out may alias the input. Thread-safe. */
void rc_sha256(const void *data, size_t len, uint8_t out[32]) {
  sha256_parts(data, len, NULL, 0, NULL, 0, out);
}

/* SHA-256 of a || b; either may be empty (and then NULL). Thread-safe. */
void rc_sha256_2(const void *a, size_t alen, const void *b, size_t blen,
                 uint8_t out[32]) {
  sha256_parts(a, alen, b, blen, NULL, 0, out);
}

/* SHA-256 of a || b || c; any may be empty (and then NULL). Thread-safe. */
void rc_sha256_3(const void *a, size_t alen, const void *b, size_t blen,
                 const void *c, size_t clen, uint8_t out[32]) {
  sha256_parts(a, alen, b, blen, c, clen, out);
}
