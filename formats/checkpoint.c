/* checkpoint.c — the checkpoint text (RECORD.md §3): a C2SP tlog-checkpoint
 * body with exactly one extension line:
 *
 *   <origin>                      printable ASCII, no space or '+'
 *   <tree size>                   decimal, no leading zero, < 2^64
 *   <base64 root hash>            32 bytes
 *   manifest <base64 SHA-256>     32 bytes
 */
#include <string.h>

#include "b64.h"
#include "text.h"
#include "texts.h"

static const char *const checkpoint_kws[] = {"manifest", NULL};

/* A tree size: [1-9][0-9]* or "0", below 2^64. */
static int read_size(const struct rc_cur *c, uint64_t *out,
                     struct rc_error *err) {
  int rc = rc_parse_u64(c->s, c->n, 0, out);
  if (rc == RC_ERR_LIMIT)
    return rc_fail(err, RC_ERR_LIMIT, c->line, "size",
                   "tree size does not fit in 64 bits");
  if (rc == RC_OK) return RC_OK;
  for (size_t i = 0; i < c->n; i++)
    if (c->s[i] < '0' || c->s[i] > '9')
      return rc_fail(err, RC_ERR_SYNTAX, c->line, "size",
                     "the second line must be the tree size, in decimal "
                     "digits");
  return rc_fail(err, RC_ERR_SYNTAX, c->line, "size",
                 "tree size has a leading zero");
}

/* Reads the next line as a bare value (no keyword); names it field. */
static int bare_line(struct rc_cur *c, const char *field,
                     struct rc_error *err) {
  int r = rc_cur_next(c, err);
  if (r < 0) return (int)err->code;
  if (r == 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line + 1, field,
                   "the checkpoint ends where the %s line is expected",
                   field);
  return RC_OK;
}

int rc_parse_checkpoint(const uint8_t *buf, size_t len,
                        struct rc_checkpoint *out, struct rc_error *err) {
  struct rc_error local;
  struct rc_cur c;
  const char *s;
  size_t n;
  int rc;
  if (!err) err = &local;
  memset(out, 0, sizeof *out);
  if (len > RC_SMALL_TEXT_MAX) {
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "checkpoint",
                 "checkpoint of %zu bytes: at most %u", len,
                 RC_SMALL_TEXT_MAX);
    goto out;
  }
  rc_cur_init(&c, buf, len, checkpoint_kws);
  if ((rc = rc_text_ascii(buf, len, "checkpoint", err))) goto out;
  if (len == 0) {
    rc = rc_fail(err, RC_ERR_SYNTAX, 1, "origin", "the checkpoint is empty");
    goto out;
  }
  if ((rc = bare_line(&c, "origin", err)) ||
      (rc = rc_read_origin(&c, "origin", c.s, c.n, err)))
    goto out;
  memcpy(out->origin, c.s, c.n);
  out->origin[c.n] = 0;
  if ((rc = bare_line(&c, "size", err)) ||
      (rc = read_size(&c, &out->size, err)) ||
      (rc = bare_line(&c, "root", err)) ||
      (rc = rc_read_b64_32(&c, "root", c.s, c.n, out->root, err)) ||
      (rc = rc_cur_expect(&c, "manifest", &s, &n, err)) ||
      (rc = rc_read_b64_32(&c, "manifest", s, n, out->manifest_hash, err)) ||
      (rc = rc_cur_end(&c, err)))
    goto out;
out:
  if (rc != RC_OK) memset(out, 0, sizeof *out);
  return rc;
}

int rc_encode_checkpoint(const struct rc_checkpoint *c, struct rc_buf *b) {
  if (strnlen(c->origin, sizeof c->origin) == sizeof c->origin ||
      !rc_origin_ok(c->origin))
    return RC_ERR_USAGE;
  char root[48], mh[48];
  rc_b64_encode(c->root, 32, root);
  rc_b64_encode(c->manifest_hash, 32, mh);
  rc_buf_printf(b, "%s\n%llu\n%s\nmanifest %s\n", c->origin,
                (unsigned long long)c->size, root, mh);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}
