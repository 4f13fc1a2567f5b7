/* notetest.h — helpers shared by test_keys.c and test_note.c: signers
 * made from fixed seeds, signature lines built by hand, the published Go
 * sumdb/note example key. */
#ifndef RC_NOTETEST_H
#define RC_NOTETEST_H
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b64.h"
#include "ed25519.h"
#include "keys.h"
#include "note.h"
#include "signing.h"
#include "skey.h"
#include "testutil.h"

#define EMDASH "\xe2\x80\x94"

/* The Go sumdb/note example's verifier key, as signed_notes.txt publishes
 * it (test_sumdb_sign checks that it does). */
static const char PETER_VKEY[] __attribute__((unused)) =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

/* ---- helpers ------------------------------------------------------------ */

/* A signer for the tests: name, verifier key and libsodium secret key. */
struct signer {
  char name[RC_KEYNAME_MAX + 1];
  struct rc_vkey v;
  uint8_t sk[64];
};

static inline void signer_init(struct signer *s, const char *name,
                               uint8_t seedbyte) {
  uint8_t seed[32];
  memset(seed, seedbyte, sizeof seed);
  snprintf(s->name, sizeof s->name, "%s", name);
  s->v.name = s->name;
  s->v.namelen = strlen(s->name);
  assert_int_equal(rc_ed25519_seed_keypair(seed, s->v.pk, s->sk), 0);
  rc_key_id(s->name, s->v.namelen, s->v.pk, s->v.id);
  sodium_memzero(seed, sizeof seed);
}

/* Appends a signature line of s over text to b. */
static inline void sign_into(struct rc_buf *b, const struct signer *s,
                             const char *text) {
  assert_int_equal(
      rc_note_sigline(&s->v, s->sk, (const uint8_t *)text, strlen(text), b),
      RC_OK);
}

/* Appends "— name base64(id || raw[0..n))\n". */
static inline void raw_line(struct rc_buf *b, const char *name,
                            const uint8_t id[4], const uint8_t *raw, size_t n) {
  uint8_t tmp[8192];
  assert_true(n + 4 <= sizeof tmp);
  memcpy(tmp, id, 4);
  memcpy(tmp + 4, raw, n);
  rc_buf_puts(b, EMDASH " ");
  rc_buf_puts(b, name);
  rc_buf_putc(b, ' ');
  rc_b64_append(b, tmp, n + 4);
  rc_buf_putc(b, '\n');
}

static inline int parse_str(const struct rc_buf *b, struct rc_note *n,
                            struct rc_error *err) {
  return rc_note_parse(b->p, b->len, n, err);
}

static const char *const TEXT = "recount count-sheet v1\nelection e\n";
#endif
