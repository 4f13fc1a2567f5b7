/* keys.c — verifier keys in the Go sumdb/note encoding (keys.h). */
#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b64.h"
#include "hash.h"
#include "text.h"

/* 1 if s[0..n) is valid UTF-8 (shortest form, no surrogates, at most
 * U+10FFFF) holding no control character (C0, DEL, C1) and no white space
 * (Go's unicode.IsSpace: ASCII space and tab..CR are controls or space,
 * plus U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000), else 0. */
static int utf8_name_chars(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    size_t len = rc_utf8_char(s + i, n - i, &cp);
    if (len == 0 || cp <= 0x20 || (cp >= 0x7f && cp < 0xA0)) return 0;
    if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
        cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
        cp == 0x3000)
      return 0;
    i += len;
  }
  return 1;
}

int rc_keyname_valid(const char *name, size_t n) {
  if (n == 0 || n > RC_KEYNAME_MAX) return 0;
  if (memchr(name, '+', n)) return 0;
  return utf8_name_chars((const unsigned char *)name, n);
}

void rc_key_id(const char *name, size_t n, const uint8_t pk[32],
               uint8_t id[4]) {
  static const uint8_t mid[2] = {0x0A, 0x01}; /* '\n', algorithm Ed25519 */
  uint8_t h[32];
  rc_sha256_3(name, n, mid, 2, pk, 32, h);
  memcpy(id, h, 4);
}

int rc_vkey_parse(const char *s, size_t n, struct rc_vkey *out,
                  struct rc_error *err) {
  memset(out, 0, sizeof *out);
  /* <name> '+' <8 hex> '+' <base64 of 33 bytes>; the name has no '+' */
  const char *p1 = n ? memchr(s, '+', n) : NULL;
  if (!p1)
    return rc_fail(err, RC_ERR_KEY, 0, "key",
                   "a verifier key is <name>+<key id>+<key>");
  size_t namelen = (size_t)(p1 - s);
  if (!rc_keyname_valid(s, namelen))
    return rc_fail(err, RC_ERR_KEY, 0, "key name",
                   "invalid key name (non-empty, at most %d bytes, no white "
                   "space, no '+', no control character, UTF-8)",
                   RC_KEYNAME_MAX);
  const char *hex = p1 + 1;
  size_t rest = n - namelen - 1;
  if (rest < 9 || hex[8] != '+')
    return rc_fail(err, RC_ERR_KEY, 0, "key id",
                   "the key id must be 8 lowercase hex digits");
  uint8_t id[4];
  if (rc_parse_hex(hex, sizeof id, id) != 0)
    return rc_fail(err, RC_ERR_KEY, 0, "key id",
                   "the key id must be 8 lowercase hex digits");
  uint8_t raw[33];
  if (rc_b64_decode_exact(hex + 9, rest - 9, raw, sizeof raw) != RC_OK)
    return rc_fail(err, RC_ERR_KEY, 0, "key",
                   "the key must be the canonical base64 of 33 bytes");
  if (raw[0] != 0x01)
    return rc_fail(err, RC_ERR_KEY, 0, "key",
                   "unknown key algorithm 0x%02x (only 0x01, Ed25519)", raw[0]);
  uint8_t want[4];
  rc_key_id(s, namelen, raw + 1, want);
  if (memcmp(want, id, 4) != 0)
    return rc_fail(err, RC_ERR_KEYID, 0, "key id",
                   "the key id does not match the key name and key");
  out->name = s;
  out->namelen = namelen;
  memcpy(out->id, id, 4);
  memcpy(out->pk, raw + 1, 32);
  return RC_OK;
}

void rc_vkey_encode(const struct rc_vkey *k, struct rc_buf *b) {
  uint8_t raw[33];
  raw[0] = 0x01;
  memcpy(raw + 1, k->pk, 32);
  rc_buf_put(b, k->name, k->namelen);
  rc_buf_printf(b, "+%02x%02x%02x%02x+", k->id[0], k->id[1], k->id[2],
                k->id[3]);
  rc_b64_append(b, raw, sizeof raw);
}

int rc_vkey_read_file(const char *path, struct rc_vkey *out, char *namebuf,
                      struct rc_error *err) {
  return rc_key_read_file(path, rc_vkey_parse, out, namebuf, err);
}

int rc_key_read_file(const char *path, rc_key_parser parse, struct rc_vkey *out,
                     char *namebuf, struct rc_error *err) {
  char buf[RC_KEYFILE_MAX + 1]; /* one byte more, to see an oversized file */
  size_t n = 0;
  int rc = RC_OK;
  memset(out, 0, sizeof *out);
  /* O_NOFOLLOW: a symlink is refused; O_NONBLOCK: a FIFO cannot block the
   * open, and is then refused as not a regular file */
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    rc = rc_fail(err, RC_ERR_IO, 0, "key file", "%s: cannot open: %s", path,
                 strerror(errno));
    goto out;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    rc = rc_fail(err, RC_ERR_IO, 0, "key file", "%s: not a regular file", path);
    goto out;
  }
  while (n < sizeof buf) {
    ssize_t r = read(fd, buf + n, sizeof buf - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      rc = rc_fail(err, RC_ERR_IO, 0, "key file", "%s: cannot read: %s", path,
                   strerror(errno));
      goto out;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  if (n > RC_KEYFILE_MAX) {
    rc = rc_fail(err, RC_ERR_LIMIT, 1, "key file", "%s: larger than %d bytes",
                 path, RC_KEYFILE_MAX);
    goto out;
  }
  if (n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
    rc = rc_fail(err, RC_ERR_KEY, 1, "key file",
                 "%s starts with a UTF-8 byte order mark (BOM): save the key "
                 "file without it",
                 path);
    goto out;
  }
  if (memchr(buf, '\r', n)) {
    rc = rc_fail(err, RC_ERR_KEY, 1, "key file",
                 "%s has a Windows line ending (CR LF): the key line ends "
                 "with a bare newline",
                 path);
    goto out;
  }
  if (n == 0 || buf[n - 1] != '\n' || memchr(buf, '\n', n) != buf + n - 1) {
    rc = rc_fail(err, RC_ERR_KEY, 1, "key file",
                 "%s: expected one verifier key followed by a newline", path);
    goto out;
  }
  rc = parse(buf, n - 1, out, err);
  if (rc != RC_OK) {
    char pre[512];
    snprintf(pre, sizeof pre, "%s: line 1", path);
    rc_error_prefix(err, pre);
    if (err) err->line = 1;
    goto out;
  }
  memcpy(namebuf, out->name, out->namelen);
  namebuf[out->namelen] = 0;
  out->name = namebuf;
out:
  if (fd >= 0) close(fd);
  if (rc != RC_OK) memset(out, 0, sizeof *out);
  return rc;
}
