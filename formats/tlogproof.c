/* tlogproof.c — C2SP tlog-proof@v1 files (tlogproof.h). */
#include "tlogproof.h"

#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "text.h"

/* The line at *pos (without its '\n') in *s, *n; advances *pos past it.
 * -1 when there is no complete line. */
static int next_line(const uint8_t *buf, size_t len, size_t *pos,
                     const char **s, size_t *n) {
  if (*pos >= len) return -1;
  const uint8_t *nl = memchr(buf + *pos, '\n', len - *pos);
  if (!nl) return -1;
  *s = (const char *)buf + *pos;
  *n = (size_t)(nl - (buf + *pos));
  *pos += *n + 1;
  return 0;
}

static int starts(const char *s, size_t n, const char *kw) {
  size_t k = strlen(kw);
  return n > k && !memcmp(s, kw, k) && s[k] == ' ';
}

static int parse(const uint8_t *buf, size_t len, struct rc_tlog_proof *out,
                 struct rc_error *err) {
  size_t pos = 0, line = 1;
  const char *s;
  size_t n;
  if (len > RC_TLOG_PROOF_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "file", "larger than %u bytes",
                   RC_TLOG_PROOF_MAX);
  if (next_line(buf, len, &pos, &s, &n) != 0 ||
      n != strlen(RC_TLOG_PROOF_HEADER) ||
      memcmp(s, RC_TLOG_PROOF_HEADER, n) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                   "the first line must be '" RC_TLOG_PROOF_HEADER "'");
  line++;
  if (next_line(buf, len, &pos, &s, &n) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, line, "index", "no index line");
  if (starts(s, n, "extra")) {
    size_t cap = RC_TLOG_EXTRA_MAX;
    if ((n - 6) / 4 * 3 > cap + 3)
      return rc_fail(err, RC_ERR_LIMIT, line, "extra", "more than %zu bytes",
                     cap);
    out->extra = malloc(cap ? cap : 1);
    if (!out->extra)
      return rc_fail(err, RC_ERR_NOMEM, line, "extra", "out of memory");
    if (n == 6 ||
        rc_b64_decode(s + 6, n - 6, out->extra, cap, &out->extra_len) != RC_OK)
      return rc_fail(err, RC_ERR_BASE64, line, "extra",
                     "not canonical base64 (of at most %zu bytes)", cap);
    out->have_extra = 1;
    line++;
    if (next_line(buf, len, &pos, &s, &n) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, line, "index", "no index line");
  }
  int rc;
  if (!starts(s, n, "index"))
    return rc_fail(err, RC_ERR_SYNTAX, line, "index",
                   "expected 'index <leaf index>'");
  if ((rc = rc_parse_u64(s + 6, n - 6, 0, &out->index)) != RC_OK)
    return rc_fail(err, (enum rc_err)rc, line, "index",
                   "the index must be decimal digits without a leading "
                   "zero, below 2^64");
  line++;
  for (;; line++) {
    if (next_line(buf, len, &pos, &s, &n) != 0)
      return rc_fail(err, RC_ERR_SYNTAX, line, "line",
                     "no empty line before the checkpoint");
    if (n == 0) break;
    if (out->plen == RC_PROOF_MAX)
      return rc_fail(err, RC_ERR_LIMIT, line, "hash",
                     "more than %d proof hashes", RC_PROOF_MAX);
    if (rc_b64_decode_exact(s, n, out->proof[out->plen], 32) != RC_OK)
      return rc_fail(err, RC_ERR_BASE64, line, "hash",
                     "a proof hash is the canonical base64 of 32 bytes");
    out->plen++;
  }
  line++;
  if (pos >= len || buf[len - 1] != '\n')
    return rc_fail(err, RC_ERR_SYNTAX, line, "checkpoint",
                   "no checkpoint note, or it does not end in a newline");
  out->checkpoint = buf + pos;
  out->checkpoint_len = len - pos;
  return RC_OK;
}

int rc_parse_tlog_proof(const uint8_t *buf, size_t len,
                        struct rc_tlog_proof *out, struct rc_error *err) {
  memset(out, 0, sizeof *out);
  int rc = parse(buf, len, out, err);
  if (rc != RC_OK) rc_tlog_proof_free(out);
  return rc;
}

int rc_encode_tlog_proof(const struct rc_tlog_proof *p, struct rc_buf *b) {
  if (p->plen > RC_PROOF_MAX || p->checkpoint_len == 0 ||
      p->checkpoint[p->checkpoint_len - 1] != '\n' ||
      (p->have_extra && p->extra_len == 0))
    return RC_ERR_USAGE;
  rc_buf_puts(b, RC_TLOG_PROOF_HEADER "\n");
  if (p->have_extra) {
    rc_buf_puts(b, "extra ");
    rc_b64_append(b, p->extra, p->extra_len);
    rc_buf_putc(b, '\n');
  }
  rc_buf_puts(b, "index ");
  rc_buf_put_u64(b, p->index);
  rc_buf_putc(b, '\n');
  for (size_t i = 0; i < p->plen; i++) {
    rc_b64_append(b, p->proof[i], 32);
    rc_buf_putc(b, '\n');
  }
  rc_buf_putc(b, '\n');
  rc_buf_put(b, p->checkpoint, p->checkpoint_len);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}

void rc_tlog_proof_free(struct rc_tlog_proof *p) {
  free(p->extra);
  memset(p, 0, sizeof *p);
}
