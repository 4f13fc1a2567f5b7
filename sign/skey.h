/* skey.h — signer keys (secret). Only recount-sign links this.
 *   plain file     : PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || seed)>\n
 *                    (0x04 for a witness cosignature key, cosig.h)
 *   encrypted file : see rc_skey_save; Argon2id (libsodium crypto_pwhash)
 *                    derives a key that seals the plain encoding with
 *                    XChaCha20-Poly1305.
 * A struct rc_skey always lives in sodium_malloc memory (rc_skey_new) and
 * is wiped by rc_skey_free. Key files are created 0600 with
 * O_EXCL|O_NOFOLLOW; a key file readable by group or others is refused. */
#ifndef RC_SKEY_H
#define RC_SKEY_H
#include "keys.h"
#include "rc.h"

struct rc_skey {
  char name[RC_KEYNAME_MAX + 1];
  size_t namelen;
  uint8_t id[4];
  uint8_t pk[32];
  uint8_t sk[64]; /* libsodium secret key: seed || pk */
  uint8_t type;   /* 0 or 0x01: a note key; 0x04 (RC_COSIG_TYPE): a witness
                     cosignature key (tlog-cosignature/v1), whose id and
                     encodings use that type byte. Set it before
                     rc_skey_from_seed / rc_skey_generate; parse sets it. */
};

/* Allocates a zeroed key in guarded memory; NULL on failure. */
struct rc_skey *rc_skey_new(void);
/* Wipes and frees (NULL is fine). */
void rc_skey_free(struct rc_skey *k);

/* Builds the key for name from a 32-byte seed. */
RC_WUR int rc_skey_from_seed(struct rc_skey *k, const char *name,
                             const uint8_t seed[32], struct rc_error *err);
/* Generates a fresh random key for name. */
RC_WUR int rc_skey_generate(struct rc_skey *k, const char *name,
                            struct rc_error *err);
/* Parses the plain encoding s[0..n) (no newline). */
RC_WUR int rc_skey_parse(const char *s, size_t n, struct rc_skey *k,
                         struct rc_error *err);
/* Writes the plain encoding plus '\n' into out (secure memory of at least
 * RC_SKEY_TEXT_MAX bytes); returns its length, or 0 on error. */
#define RC_SKEY_TEXT_MAX 256
size_t rc_skey_encode(const struct rc_skey *k, char *out);
/* The matching verifier key (name points into k). */
void rc_skey_vkey(const struct rc_skey *k, struct rc_vkey *v);

/* Loads a key file; pass is the passphrase for an encrypted one (NULL:
 * refuse encrypted files with a clear message). */
RC_WUR int rc_skey_load(const char *path, const char *pass, size_t passlen,
                        struct rc_skey *k, int *encrypted,
                        struct rc_error *err);
/* Reads a key file whole into guarded memory (free with rc_skey_buf_free)
 * after checking it: a real path is opened with O_NOFOLLOW and must be a
 * regular file of mode 0600 or stricter; "-" (standard input),
 * "/dev/fd/N" and "/proc/self/fd/N" read the descriptor the program was
 * given (a pipe, or a file that must not be readable by others; a
 * terminal is refused), so a key can come from a pipe without a key file
 * on disk. At most RC_KEYFILE_MAX bytes. A pipe can be read only once:
 * read it with this, then rc_skey_buf_encrypted and rc_skey_load_buf. */
RC_WUR int rc_skey_read(const char *path, char **buf, size_t *len,
                        struct rc_error *err);
void rc_skey_buf_free(char *buf);
/* 1 if buf[0..len) is an encrypted key file, else 0. */
int rc_skey_buf_encrypted(const char *buf, size_t len);
/* rc_skey_load on bytes read by rc_skey_read; name is the file's name in
 * messages. */
RC_WUR int rc_skey_load_buf(const char *buf, size_t len, const char *name,
                            const char *pass, size_t passlen, struct rc_skey *k,
                            int *encrypted, struct rc_error *err);
/* Returns 1 if the file at path is an encrypted key file, 0 if not, -1 if
 * it cannot be read. */
int rc_skey_file_encrypted(const char *path);
/* Saves k to path (0600, never overwriting); encrypted when pass != NULL.
 * opslimit/memlimit 0 = libsodium's MODERATE defaults. */
RC_WUR int rc_skey_save(const char *path, const struct rc_skey *k,
                        const char *pass, size_t passlen,
                        unsigned long long opslimit, size_t memlimit,
                        struct rc_error *err);

/* Reads a passphrase: the first line of passfile if given, else from the
 * terminal without echo (prompt on /dev/tty). Returns a sodium_malloc'd
 * NUL-terminated string (free with rc_pass_free) or NULL (err set). */
char *rc_pass_read(const char *passfile, const char *prompt, int confirm,
                   struct rc_error *err);
void rc_pass_free(char *p);
#endif
