/* checkpoint.c — the checkpoint text (RECORD.md v1.1 §3): a C2SP
 * tlog-checkpoint body over the release log, with exactly two extension
 * lines:
 *
 *   <origin>                      printable ASCII, no space or '+'
 *   <log size>                    decimal, no leading zero, < 2^64
 *   <base64 log tree root>        32 bytes
 *   manifest <base64 SHA-256>     32 bytes
 *   districts <n> <base64 root>   n as the size; root of the election tree
 */
#include <string.h>

#include "b64.h"
#include "text.h"
#include "texts.h"

static const char *const checkpoint_kws[] = {"manifest", "districts", NULL};

/* A tree size: [1-9][0-9]* or "0", below 2^64. */
static int read_size(const struct rc_cur *c, const char *field, const char *s,
                     size_t n, uint64_t *out, struct rc_error *err) {
  int rc = rc_parse_u64(s, n, 0, out);
  if (rc == RC_ERR_LIMIT)
    return rc_fail(err, RC_ERR_LIMIT, c->line, field,
                   "the %s does not fit in 64 bits", field);
  if (rc == RC_OK) return RC_OK;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                     "the %s must be in decimal digits", field);
  return rc_fail(err, RC_ERR_SYNTAX, c->line, field,
                 "the %s has a leading zero", field);
}

/* "districts <n> <base64 root>" at the cursor. */
static int read_districts(struct rc_cur *c, struct rc_checkpoint *out,
                          struct rc_error *err) {
  const char *s, *n, *r;
  size_t sn, nn, rn;
  int rc = rc_cur_expect(c, "districts", &s, &sn, err);
  if (rc) return rc;
  if (rc_split(s, sn, &n, &nn, &r, &rn) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, "districts",
                   "the line is 'districts <number> <base64 root>'");
  if ((rc = read_size(c, "districts", n, nn, &out->ndistricts, err))) return rc;
  return rc_read_b64_32(c, "districts", r, rn, out->districts_root, err);
}

/* Reads the next line as a bare value (no keyword); names it field. */
static int bare_line(struct rc_cur *c, const char *field,
                     struct rc_error *err) {
  int r = rc_cur_next(c, err);
  if (r < 0) return (int)err->code;
  if (r == 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line + 1, field,
                   "the checkpoint ends where the %s line is expected", field);
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
                 "checkpoint of %zu bytes: at most %u", len, RC_SMALL_TEXT_MAX);
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
      (rc = read_size(&c, "size", c.s, c.n, &out->size, err)) ||
      (rc = bare_line(&c, "root", err)) ||
      (rc = rc_read_b64_32(&c, "root", c.s, c.n, out->root, err)) ||
      (rc = rc_cur_expect(&c, "manifest", &s, &n, err)) ||
      (rc = rc_read_b64_32(&c, "manifest", s, n, out->manifest_hash, err)) ||
      (rc = read_districts(&c, out, err)) || (rc = rc_cur_end(&c, err)))
    goto out;
out:
  if (rc != RC_OK) memset(out, 0, sizeof *out);
  return rc;
}

int rc_encode_checkpoint(const struct rc_checkpoint *c, struct rc_buf *b) {
  if (strnlen(c->origin, sizeof c->origin) == sizeof c->origin ||
      !rc_origin_ok(c->origin))
    return RC_ERR_USAGE;
  char root[48], mh[48], dr[48];
  rc_b64_encode(c->root, 32, root);
  rc_b64_encode(c->manifest_hash, 32, mh);
  rc_b64_encode(c->districts_root, 32, dr);
  rc_buf_printf(b, "%s\n%llu\n%s\nmanifest %s\ndistricts %llu %s\n", c->origin,
                (unsigned long long)c->size, root, mh,
                (unsigned long long)c->ndistricts, dr);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}
