/* checkpoint.c — C2SP tlog-checkpoint text with the manifest extension
 * line (RECORD.md §3). */
#include <string.h>

#include "b64.h"
#include "text.h"
#include "texts.h"

/* origin: printable ASCII without spaces or '+', 1..RC_ORIGIN_MAX bytes */
static int origin_valid(const char *s, size_t n) {
  if (n == 0 || n > RC_ORIGIN_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] <= 0x20 || s[i] > 0x7e || s[i] == '+') return 0;
  return 1;
}

int rc_parse_checkpoint(const uint8_t *buf, size_t len,
                        struct rc_checkpoint *out, struct rc_error *err) {
  struct rc_cur c;
  memset(out, 0, sizeof *out);
  if (len > RC_SMALL_TEXT_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "checkpoint", "text too long");
  if (!rc_ascii_text(buf, len))
    return rc_fail(err, RC_ERR_SYNTAX, rc_first_nonascii_line(buf, len),
                   "line", "non-ASCII byte in a checkpoint");
  rc_cur_init(&c, buf, len);
  int r = rc_cur_next(&c, err);
  if (r < 0) return (int)err->code;
  if (r == 0 || !origin_valid(c.s, c.n))
    return rc_fail(err, RC_ERR_SYNTAX, 1, "origin",
                   "the origin must be printable ASCII without spaces or '+'");
  memcpy(out->origin, c.s, c.n);
  r = rc_cur_next(&c, err);
  if (r < 0) return (int)err->code;
  if (r == 0 || c.n == 0 || c.n > 20 || (c.s[0] == '0' && c.n > 1))
    return rc_fail(err, RC_ERR_SYNTAX, 2, "size",
                   "the tree size must be a decimal number without leading "
                   "zeros");
  uint64_t v = 0;
  for (size_t i = 0; i < c.n; i++) {
    if (c.s[i] < '0' || c.s[i] > '9' ||
        __builtin_mul_overflow(v, 10, &v) ||
        __builtin_add_overflow(v, (uint64_t)(c.s[i] - '0'), &v))
      return rc_fail(err, RC_ERR_SYNTAX, 2, "size",
                     "the tree size must be a decimal number below 2^64");
  }
  out->size = v;
  r = rc_cur_next(&c, err);
  if (r < 0) return (int)err->code;
  if (r == 0 || rc_b64_decode_exact(c.s, c.n, out->root, 32) != RC_OK)
    return rc_fail(err, RC_ERR_BASE64, 3, "root",
                   "the root must be the canonical base64 of 32 bytes");
  const char *s;
  size_t n;
  int rc = rc_cur_expect(&c, "manifest", &s, &n, err);
  if (rc) return rc;
  if (rc_b64_decode_exact(s, n, out->manifest_hash, 32) != RC_OK)
    return rc_fail(err, RC_ERR_BASE64, 4, "manifest",
                   "the manifest hash must be the canonical base64 of 32 "
                   "bytes");
  r = rc_cur_next(&c, err);
  if (r != 0)
    return r < 0 ? (int)err->code
                 : rc_fail(err, RC_ERR_SYNTAX, c.line, "line",
                           "unexpected line after the manifest line");
  return RC_OK;
}

int rc_encode_checkpoint(const struct rc_checkpoint *c, struct rc_buf *b) {
  char root[48], mh[48];
  rc_b64_encode(c->root, 32, root);
  rc_b64_encode(c->manifest_hash, 32, mh);
  rc_buf_printf(b, "%s\n%llu\n%s\nmanifest %s\n", c->origin,
                (unsigned long long)c->size, root, mh);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}
