/* skey.c — signer keys, key files and passphrases (see skey.h). */
#include "skey.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "b64.h"
#include "cosig.h"
#include "ed25519.h"
#include "fileio.h"
#include "signing.h"
#include "text.h"

#define ENC_HEADER "recount encrypted signer key v1\n"
#define SALT_LEN crypto_pwhash_SALTBYTES
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES

struct rc_skey *rc_skey_new(void) {
  struct rc_skey *k = sodium_malloc(sizeof *k);
  if (k) sodium_memzero(k, sizeof *k);
  return k;
}

void rc_skey_free(struct rc_skey *k) {
  if (k) sodium_free(k); /* sodium_free wipes before unmapping */
}

int rc_skey_from_seed(struct rc_skey *k, const char *name,
                      const uint8_t seed[32], struct rc_error *err) {
  size_t n = strlen(name);
  if (!rc_keyname_valid(name, n))
    return rc_fail(err, RC_ERR_KEY, 0, "name",
                   "invalid key name '%s' (non-empty, no spaces, no '+')",
                   name);
  memcpy(k->name, name, n + 1);
  k->namelen = n;
  if (rc_ed25519_seed_keypair(seed, k->pk, k->sk) != 0)
    return rc_fail(err, RC_ERR_CRYPTO, 0, "key", "key derivation failed");
  if (k->type == RC_COSIG_TYPE) rc_cosig_key_id(k->name, n, k->pk, k->id);
  else rc_key_id(k->name, n, k->pk, k->id);
  return RC_OK;
}

int rc_skey_generate(struct rc_skey *k, const char *name,
                     struct rc_error *err) {
  uint8_t seed[32];
  randombytes_buf(seed, sizeof seed);
  int rc = rc_skey_from_seed(k, name, seed, err);
  sodium_memzero(seed, sizeof seed);
  return rc;
}

int rc_skey_parse(const char *s, size_t n, struct rc_skey *k,
                  struct rc_error *err) {
  static const char pfx[] = "PRIVATE+KEY+";
  const size_t pl = sizeof pfx - 1;
  uint8_t raw[33];
  int rc = RC_OK;
  if (n < pl || memcmp(s, pfx, pl) != 0) {
    rc = rc_fail(err, RC_ERR_KEY, 1, "signer key",
                 "does not start with PRIVATE+KEY+");
    goto out;
  }
  const char *name = s + pl;
  const char *p1 = memchr(name, '+', n - pl);
  if (!p1) {
    rc = rc_fail(err, RC_ERR_KEY, 1, "signer key", "missing key id");
    goto out;
  }
  size_t namelen = (size_t)(p1 - name);
  const char *hex = p1 + 1;
  size_t rest = n - pl - namelen - 1;
  if (!rc_keyname_valid(name, namelen) || namelen > RC_KEYNAME_MAX) {
    rc = rc_fail(err, RC_ERR_KEY, 1, "key name", "invalid key name");
    goto out;
  }
  if (rest < 10 || hex[8] != '+') {
    rc = rc_fail(err, RC_ERR_KEY, 1, "key id", "expected 8 hex digits");
    goto out;
  }
  uint8_t id[4];
  if (rc_parse_hex(hex, sizeof id, id) != 0) {
    rc = rc_fail(err, RC_ERR_KEY, 1, "key id",
                 "expected 8 lowercase hex digits");
    goto out;
  }
  if (rc_b64_decode_exact(hex + 9, rest - 9, raw, 33) != RC_OK ||
      (raw[0] != 0x01 && raw[0] != RC_COSIG_TYPE)) {
    rc = rc_fail(err, RC_ERR_KEY, 1, "key",
                 "expected base64 of 0x01 (or 0x04, a cosignature key) and "
                 "a 32-byte seed");
    goto out;
  }
  k->type = raw[0] == RC_COSIG_TYPE ? RC_COSIG_TYPE : 0;
  char namez[RC_KEYNAME_MAX + 1];
  memcpy(namez, name, namelen);
  namez[namelen] = 0;
  rc = rc_skey_from_seed(k, namez, raw + 1, err);
  if (rc) goto out;
  if (memcmp(id, k->id, 4) != 0)
    rc = rc_fail(err, RC_ERR_KEYID, 1, "key id",
                 "key id does not match the name and key");
out:
  sodium_memzero(raw, sizeof raw);
  if (rc) sodium_memzero(k, sizeof *k);
  return rc;
}

size_t rc_skey_encode(const struct rc_skey *k, char *out) {
  uint8_t raw[33];
  char b64[64];
  raw[0] = k->type == RC_COSIG_TYPE ? RC_COSIG_TYPE : 0x01;
  memcpy(raw + 1, k->sk, 32);
  rc_b64_encode(raw, 33, b64);
  int n =
      snprintf(out, RC_SKEY_TEXT_MAX, "PRIVATE+KEY+%s+%02x%02x%02x%02x+%s\n",
               k->name, k->id[0], k->id[1], k->id[2], k->id[3], b64);
  sodium_memzero(raw, sizeof raw);
  sodium_memzero(b64, sizeof b64);
  if (n < 0 || n >= RC_SKEY_TEXT_MAX) return 0;
  return (size_t)n;
}

void rc_skey_vkey(const struct rc_skey *k, struct rc_vkey *v) {
  v->name = k->name;
  v->namelen = k->namelen;
  memcpy(v->id, k->id, 4);
  memcpy(v->pk, k->pk, 32);
}

/* The descriptor a key path names without a lookup: "-" is standard
 * input, "/dev/fd/N" and "/proc/self/fd/N" are descriptor N (what a shell
 * passes for `--key <(...)` or `--key /dev/fd/3 3<...`). Those paths are
 * links, which O_NOFOLLOW rightly refuses, so they are read from the
 * descriptor the program already holds; every other path is opened with
 * O_NOFOLLOW. Returns the descriptor, or -1 when path is a real path. */
static int inherited_fd(const char *path) {
  if (!strcmp(path, "-")) return 0;
  const char *n = NULL;
  if (!strncmp(path, "/dev/fd/", 8)) n = path + 8;
  else if (!strncmp(path, "/proc/self/fd/", 14)) n = path + 14;
  if (!n) return -1;
  uint64_t v;
  if (rc_parse_u64(n, strlen(n), 6, &v) != RC_OK || v > 1000000) return -1;
  return (int)v;
}

static const char *shown(const char *path) {
  return strcmp(path, "-") ? path : "standard input";
}

/* Reads the key bytes from fd into guarded memory, at most
 * RC_KEYFILE_MAX bytes (more is refused, not cut). */
static int read_key_bytes(int fd, const char *path, char **buf, size_t *len,
                          struct rc_error *err) {
  char *p = sodium_malloc(RC_KEYFILE_MAX + 2);
  if (!p) return rc_fail(err, RC_ERR_NOMEM, 0, "key file", "out of memory");
  size_t got = 0;
  for (;;) {
    ssize_t r = read(fd, p + got, RC_KEYFILE_MAX + 1 - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) {
      /* a non-blocking pipe with nothing yet: wait for it */
      struct pollfd pf = {.fd = fd, .events = POLLIN};
      (void)poll(&pf, 1, -1);
      continue;
    }
    if (r < 0) {
      int e = errno;
      sodium_free(p);
      return rc_fail(err, RC_ERR_IO, 0, "key file", "%s: cannot read: %s",
                     shown(path), strerror(e));
    }
    if (r == 0) break;
    got += (size_t)r;
    if (got > RC_KEYFILE_MAX) {
      sodium_free(p);
      return rc_fail(err, RC_ERR_LIMIT, 0, "key file",
                     "%s: larger than %d bytes", shown(path), RC_KEYFILE_MAX);
    }
  }
  p[got] = 0;
  *buf = p;
  *len = got;
  return RC_OK;
}

/* Reads a key file into guarded memory after checking its permissions. */
static int read_keyfile(const char *path, char **buf, size_t *len,
                        struct rc_error *err) {
  *buf = NULL;
  int inh = inherited_fd(path);
  int fd = inh >= 0
               ? inh
               : open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return rc_fail(err, RC_ERR_IO, 0, "key file", "%s: cannot open: %s%s", path,
                   strerror(errno),
                   errno == ELOOP ? " (a symbolic link: a secret key is "
                                    "read from the file itself)"
                                  : "");
  int rc = RC_OK;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    rc = rc_fail(err, RC_ERR_IO, 0, "key file", "%s: %s", shown(path),
                 inh >= 0 ? "no such open descriptor" : strerror(errno));
    goto out;
  }
  if (inh >= 0 && isatty(fd)) {
    rc = rc_fail(err, RC_ERR_USAGE, 0, "key file",
                 "%s is a terminal: pipe the signer key in (for example "
                 "--key - <commission.key)",
                 shown(path));
    goto out;
  }
  /* a pipe or socket holds nothing on disk; a file, even reached through
   * a descriptor, must not be readable by others */
  int stream = inh >= 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
  if (!stream && !S_ISREG(st.st_mode)) {
    rc = rc_fail(err, RC_ERR_IO, 0, "key file", "%s: %s", shown(path),
                 inh >= 0 ? "neither a pipe nor a regular file"
                          : "not a regular file");
    goto out;
  }
  if (!stream && (st.st_mode & 077)) {
    if (inh >= 0)
      rc = rc_fail(err, RC_ERR_KEY, 0, "key file",
                   "%s: a file with permissions %03o, which let others "
                   "read this secret key; chmod 600 the file",
                   shown(path), (unsigned)(st.st_mode & 0777));
    else
      rc = rc_fail(err, RC_ERR_KEY, 0, "key file",
                   "%s: permissions %03o let others read this secret key; "
                   "run: chmod 600 %s",
                   path, (unsigned)(st.st_mode & 0777), path);
    goto out;
  }
  if (!stream && (uint64_t)st.st_size > RC_KEYFILE_MAX) {
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "key file", "%s: larger than %d bytes",
                 shown(path), RC_KEYFILE_MAX);
    goto out;
  }
  rc = read_key_bytes(fd, path, buf, len, err);
out:
  if (inh < 0) close(fd);
  return rc;
}

int rc_skey_read(const char *path, char **buf, size_t *len,
                 struct rc_error *err) {
  return read_keyfile(path, buf, len, err);
}

void rc_skey_buf_free(char *buf) {
  if (buf) sodium_free(buf);
}

int rc_skey_buf_encrypted(const char *buf, size_t len) {
  return len >= sizeof ENC_HEADER - 1 &&
         !memcmp(buf, ENC_HEADER, sizeof ENC_HEADER - 1);
}

int rc_skey_file_encrypted(const char *path) {
  char *buf;
  size_t len;
  struct rc_error err;
  if (read_keyfile(path, &buf, &len, &err) != RC_OK) return -1;
  int enc = rc_skey_buf_encrypted(buf, len);
  sodium_free(buf);
  return enc;
}

/* encrypted layout: header line, then one line per field */
static int enc_field(const char **p, const char *end, const char *kw,
                     const char **val, size_t *vlen) {
  size_t kl = strlen(kw);
  const char *nl = memchr(*p, '\n', (size_t)(end - *p));
  if (!nl || (size_t)(nl - *p) <= kl + 1 || memcmp(*p, kw, kl) != 0 ||
      (*p)[kl] != ' ')
    return -1;
  *val = *p + kl + 1;
  *vlen = (size_t)(nl - *val);
  *p = nl + 1;
  return 0;
}

int rc_skey_load(const char *path, const char *pass, size_t passlen,
                 struct rc_skey *k, int *encrypted, struct rc_error *err) {
  char *buf = NULL;
  size_t len = 0;
  int rc = read_keyfile(path, &buf, &len, err);
  if (rc) return rc;
  rc =
      rc_skey_load_buf(buf, len, shown(path), pass, passlen, k, encrypted, err);
  sodium_free(buf);
  return rc;
}

int rc_skey_load_buf(const char *buf, size_t len, const char *path,
                     const char *pass, size_t passlen, struct rc_skey *k,
                     int *encrypted, struct rc_error *err) {
  char *plain = NULL;
  uint8_t *dk = NULL;
  int rc = RC_OK;
  const size_t hl = sizeof ENC_HEADER - 1;
  int enc = len >= hl && !memcmp(buf, ENC_HEADER, hl);
  if (encrypted) *encrypted = enc;
  if (!enc) {
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
      rc = rc_fail(err, RC_ERR_KEY, 1, "signer key",
                   "%s starts with a UTF-8 byte order mark (BOM): save the "
                   "key file without it",
                   path);
      goto out;
    }
    if (len >= 2 && buf[len - 1] == '\n' && buf[len - 2] == '\r') {
      rc = rc_fail(err, RC_ERR_KEY, 1, "signer key",
                   "%s ends its line with CR LF (Windows line ending): the "
                   "key line ends with a bare newline",
                   path);
      goto out;
    }
    if (len == 0 || buf[len - 1] != '\n' ||
        memchr(buf, '\n', len) != buf + len - 1) {
      rc =
          rc_fail(err, RC_ERR_KEY, 1, "signer key",
                  "%s: expected one signer key line ending in a newline", path);
      goto out;
    }
    rc = rc_skey_parse(buf, len - 1, k, err);
    if (rc) rc_error_prefix(err, path);
    goto out;
  }
  if (!pass) {
    rc = rc_fail(err, RC_ERR_USAGE, 0, "passphrase",
                 "%s is encrypted: a passphrase is needed", path);
    goto out;
  }
  const char *p = buf + hl, *end = buf + len, *v;
  size_t vl;
  uint64_t ops, mem;
  uint8_t salt[SALT_LEN], nonce[NONCE_LEN];
  uint8_t box[RC_SKEY_TEXT_MAX + TAG_LEN];
  size_t boxlen = 0;
  const char *kdf, *rest;
  size_t kdflen;
  if (enc_field(&p, end, "kdf", &kdf, &kdflen) != 0 || kdflen < 10 ||
      memcmp(kdf, "argon2id ", 9) != 0) {
    rc = rc_fail(err, RC_ERR_KEY, 2, "kdf",
                 "%s: expected 'kdf argon2id "
                 "<opslimit> <memlimit>'",
                 path);
    goto out;
  }
  rest = kdf + 9;
  const char *sp = memchr(rest, ' ', kdflen - 9);
  if (!sp || rc_parse_u64(rest, (size_t)(sp - rest), 0, &ops) ||
      rc_parse_u64(sp + 1, (size_t)(kdf + kdflen - sp - 1), 0, &mem) ||
      ops < crypto_pwhash_OPSLIMIT_MIN ||
      ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      mem < crypto_pwhash_MEMLIMIT_MIN ||
      mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
    rc =
        rc_fail(err, RC_ERR_KEY, 2, "kdf", "%s: bad Argon2id parameters", path);
    goto out;
  }
  if (enc_field(&p, end, "salt", &v, &vl) ||
      rc_b64_decode_exact(v, vl, salt, SALT_LEN) ||
      enc_field(&p, end, "nonce", &v, &vl) ||
      rc_b64_decode_exact(v, vl, nonce, NONCE_LEN) ||
      enc_field(&p, end, "box", &v, &vl) ||
      rc_b64_decode(v, vl, box, sizeof box, &boxlen) || boxlen <= TAG_LEN ||
      p != end) {
    rc = rc_fail(err, RC_ERR_KEY, 0, "encrypted key",
                 "%s: malformed encrypted key file", path);
    goto out;
  }
  dk = sodium_malloc(32);
  plain = sodium_malloc(RC_SKEY_TEXT_MAX);
  if (!dk || !plain) {
    rc = rc_fail(err, RC_ERR_NOMEM, 0, "key", "out of memory");
    goto out;
  }
  if (crypto_pwhash(dk, 32, pass, passlen, salt, ops, (size_t)mem,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    rc = rc_fail(err, RC_ERR_NOMEM, 0, "kdf",
                 "Argon2id failed (not enough memory?)");
    goto out;
  }
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          (unsigned char *)plain, &plen, NULL, box, boxlen,
          (const unsigned char *)ENC_HEADER, hl, nonce, dk) != 0) {
    rc = rc_fail(err, RC_ERR_KEY, 0, "passphrase",
                 "%s: wrong passphrase, or the key file was altered", path);
    goto out;
  }
  if (plen == 0 || plain[plen - 1] != '\n') {
    rc = rc_fail(err, RC_ERR_KEY, 0, "encrypted key",
                 "%s: decrypted key is malformed", path);
    goto out;
  }
  rc = rc_skey_parse(plain, (size_t)plen - 1, k, err);
out:
  if (plain) sodium_free(plain);
  if (dk) sodium_free(dk);
  return rc;
}

int rc_skey_save(const char *path, const struct rc_skey *k, const char *pass,
                 size_t passlen, unsigned long long opslimit, size_t memlimit,
                 struct rc_error *err) {
  char *text = sodium_malloc(RC_SKEY_TEXT_MAX);
  char *out = NULL;
  uint8_t *dk = NULL;
  int rc = RC_OK;
  if (!text) return rc_fail(err, RC_ERR_NOMEM, 0, "key", "out of memory");
  size_t tl = rc_skey_encode(k, text);
  if (!tl) {
    rc = rc_fail(err, RC_ERR_KEY, 0, "key", "cannot encode key");
    goto out;
  }
  if (!pass) {
    rc = rc_write_atomic(path, text, tl, 0600, 0, err);
    goto out;
  }
  if (!opslimit) opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
  if (!memlimit) memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
  uint8_t salt[SALT_LEN], nonce[NONCE_LEN];
  uint8_t box[RC_SKEY_TEXT_MAX + TAG_LEN];
  unsigned long long boxlen = 0;
  randombytes_buf(salt, sizeof salt);
  randombytes_buf(nonce, sizeof nonce);
  dk = sodium_malloc(32);
  out = sodium_malloc(2048);
  if (!dk || !out) {
    rc = rc_fail(err, RC_ERR_NOMEM, 0, "key", "out of memory");
    goto out;
  }
  if (crypto_pwhash(dk, 32, pass, passlen, salt, opslimit, memlimit,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    rc = rc_fail(err, RC_ERR_NOMEM, 0, "kdf", "Argon2id failed");
    goto out;
  }
  const size_t hl = sizeof ENC_HEADER - 1;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      box, &boxlen, (const unsigned char *)text, tl,
      (const unsigned char *)ENC_HEADER, hl, NULL, nonce, dk);
  char s64[64], n64[64], b64[512];
  rc_b64_encode(salt, sizeof salt, s64);
  rc_b64_encode(nonce, sizeof nonce, n64);
  rc_b64_encode(box, (size_t)boxlen, b64);
  int n = snprintf(out, 2048,
                   "%skdf argon2id %llu %zu\nsalt %s\nnonce %s\nbox %s\n",
                   ENC_HEADER, opslimit, memlimit, s64, n64, b64);
  if (n < 0 || n >= 2048) {
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "key", "encoding too long");
    goto out;
  }
  rc = rc_write_atomic(path, out, (size_t)n, 0600, 0, err);
out:
  sodium_free(text);
  if (out) sodium_free(out);
  if (dk) sodium_free(dk);
  return rc;
}

char *rc_pass_read(const char *passfile, const char *prompt, int confirm,
                   struct rc_error *err) {
  char *p = sodium_malloc(1024);
  if (!p) {
    rc_fail(err, RC_ERR_NOMEM, 0, "passphrase", "out of memory");
    return NULL;
  }
  size_t n = 0;
  if (passfile) {
    int fd = open(passfile, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      rc_fail(err, RC_ERR_IO, 0, "passphrase", "%s: cannot open: %s", passfile,
              strerror(errno));
      sodium_free(p);
      return NULL;
    }
    ssize_t r;
    while (n < 1023 && (r = read(fd, p + n, 1023 - n)) > 0) n += (size_t)r;
    close(fd);
    char *nl = memchr(p, '\n', n);
    if (nl) n = (size_t)(nl - p);
    p[n] = 0;
    if (n > 0 && p[n - 1] == '\r') {
      rc_fail(err, RC_ERR_USAGE, 0, "passphrase",
              "%s ends its first line with CR LF (Windows line ending): the "
              "passphrase would include the CR; save the file with a bare "
              "newline",
              passfile);
      sodium_free(p);
      return NULL;
    }
  } else {
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      rc_fail(err, RC_ERR_USAGE, 0, "passphrase",
              "no terminal to ask for the passphrase; use --passphrase-file");
      sodium_free(p);
      return NULL;
    }
    for (int round = 0; round < (confirm ? 2 : 1); round++) {
      struct termios old, noecho;
      int have = tcgetattr(fd, &old) == 0;
      if (have) {
        noecho = old;
        noecho.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &noecho);
      }
      const char *pr = round ? "Repeat passphrase: " : prompt;
      if (write(fd, pr, strlen(pr)) < 0) { /* best effort */
      }
      char *dst = round ? p + 512 : p;
      size_t m = 0;
      char c;
      while (m < 511 && read(fd, &c, 1) == 1 && c != '\n') dst[m++] = c;
      dst[m] = 0;
      if (have) tcsetattr(fd, TCSAFLUSH, &old);
      if (write(fd, "\n", 1) < 0) { /* best effort */
      }
      if (!round) n = m;
    }
    close(fd);
    if (confirm && strcmp(p, p + 512) != 0) {
      rc_fail(err, RC_ERR_USAGE, 0, "passphrase", "passphrases differ");
      sodium_free(p);
      return NULL;
    }
  }
  if (n == 0) {
    rc_fail(err, RC_ERR_USAGE, 0, "passphrase", "empty passphrase");
    sodium_free(p);
    return NULL;
  }
  return p;
}

void rc_pass_free(char *p) {
  if (p) sodium_free(p);
}
