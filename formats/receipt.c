/* receipt.c — parsing and encoding receipts (see receipt.h), on the line
 * cursor of text.h: the header lines are record-text lines (one space
 * between fields, no control character, '\n' ends each), and each section
 * line "<name> <n>" is followed by exactly n bytes that the cursor skips
 * without reading them as lines. */
#include "receipt.h"

#include <string.h>

#include "b64.h"
#include "text.h"

static const char *const receipt_kws[] = {
    "station",  "district", "sheet-index",     "hash",       "record-index",
    "manifest", "sheet",    "district-record", "checkpoint", NULL};

/* Reads the next line, "kw <index> <size>", into *index and *size; the
 * fields are named kw and size_field in errors. */
static int index_line(struct rc_cur *c, const char *kw, const char *size_field,
                      uint64_t *index, uint64_t *size, struct rc_error *err) {
  const char *v, *a, *b;
  size_t vn, an, bn;
  int rc = rc_cur_expect(c, kw, &v, &vn, err);
  if (rc) return rc;
  if (rc_split(v, vn, &a, &an, &b, &bn) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, kw,
                   "expected '%s <leaf index> <tree size>'", kw);
  if ((rc = rc_parse_u64(a, an, 0, index)) != RC_OK)
    return rc_fail(err, (enum rc_err)rc, c->line, kw,
                   rc == RC_ERR_LIMIT
                       ? "the leaf index does not fit in 64 bits"
                       : "the leaf index must be decimal digits without a "
                         "leading zero");
  if ((rc = rc_parse_u64(b, bn, 0, size)) != RC_OK)
    return rc_fail(err, (enum rc_err)rc, c->line, size_field,
                   rc == RC_ERR_LIMIT
                       ? "the tree size does not fit in 64 bits"
                       : "the tree size must be decimal digits without a "
                         "leading zero");
  return RC_OK;
}

/* Reads the "hash <base64>" lines that follow (0..RC_PROOF_MAX of them),
 * leaving the cursor on the last one. */
static int proof_lines(struct rc_cur *c, rc_hash *proof, size_t *plen,
                       struct rc_error *err) {
  *plen = 0;
  for (;;) {
    struct rc_cur save = *c;
    int r = rc_cur_next(c, err);
    if (r < 0) return (int)err->code;
    if (r == 0 || !rc_cur_is(c, "hash")) {
      *c = save; /* not a proof line: the caller reads it */
      return RC_OK;
    }
    const char *v;
    size_t vn;
    int rc = rc_cur_value(c, "hash", &v, &vn, err);
    if (rc) return rc;
    if (*plen == RC_PROOF_MAX)
      return rc_fail(err, RC_ERR_LIMIT, c->line, "hash",
                     "more than %d proof hashes", RC_PROOF_MAX);
    if ((rc = rc_read_b64_32(c, "hash", v, vn, proof[*plen], err))) return rc;
    (*plen)++;
  }
}

/* Reads the line "name <n>", then takes the n bytes after it as the
 * section (*p, *n point into the input); the cursor moves past them and
 * counts their lines, so that a later error names the right line. */
static int section(struct rc_cur *c, const char *name, const uint8_t **p,
                   size_t *n, struct rc_error *err) {
  const char *v;
  size_t vn;
  uint64_t len;
  int rc = rc_cur_expect(c, name, &v, &vn, err);
  if (rc) return rc;
  if ((rc = rc_parse_u64(v, vn, 0, &len)) != RC_OK)
    return rc_fail(err, (enum rc_err)rc, c->line, name,
                   "expected '%s <byte count>' (decimal, no leading zero)",
                   name);
  if (len > c->len - c->pos)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, name,
                   "the %s section is cut short: %llu bytes announced, %zu "
                   "left",
                   name, (unsigned long long)len, c->len - c->pos);
  *p = c->buf + c->pos;
  *n = (size_t)len;
  for (size_t i = 0; i < *n; i++)
    if ((*p)[i] == '\n') c->line++;
  c->pos += (size_t)len;
  return RC_OK;
}

int rc_parse_receipt(const uint8_t *buf, size_t len, struct rc_receipt *out,
                     struct rc_error *err) {
  struct rc_error local;
  struct rc_cur c;
  int rc;
  if (!err) err = &local;
  memset(out, 0, sizeof *out);
  if (len > RC_RECEIPT_MAX) {
    rc = rc_fail(err, RC_ERR_LIMIT, 0, "receipt",
                 "receipt larger than %llu bytes",
                 (unsigned long long)RC_RECEIPT_MAX);
    goto out;
  }
  rc_cur_init(&c, buf, len, receipt_kws);
  if ((rc = rc_cur_header(&c, "recount receipt v1", "receipt", err)) ||
      (rc = rc_cur_id_line(&c, "station", out->station, err)) ||
      (rc = rc_cur_id_line(&c, "district", out->district, err)) ||
      (rc = index_line(&c, "sheet-index", "sheet-size", &out->sheet_index,
                       &out->sheet_size, err)) ||
      (rc = proof_lines(&c, out->sheet_proof, &out->sheet_plen, err)) ||
      (rc = index_line(&c, "record-index", "record-size", &out->record_index,
                       &out->record_size, err)) ||
      (rc = proof_lines(&c, out->record_proof, &out->record_plen, err)) ||
      (rc = section(&c, "manifest", &out->manifest, &out->manifest_len, err)) ||
      (rc = section(&c, "sheet", &out->sheet, &out->sheet_len, err)) ||
      (rc = section(&c, "district-record", &out->record, &out->record_len,
                    err)) ||
      (rc = section(&c, "checkpoint", &out->checkpoint, &out->checkpoint_len,
                    err)))
    goto out;
  if (c.pos != len)
    rc = rc_fail(err, RC_ERR_SYNTAX, c.line + 1, "end",
                 "unexpected bytes after the checkpoint section");
out:
  if (rc) memset(out, 0, sizeof *out);
  return rc;
}

static void put_proof(struct rc_buf *b, const rc_hash *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    rc_buf_puts(b, "hash ");
    rc_b64_append(b, p[i], 32);
    rc_buf_putc(b, '\n');
  }
}

static void put_section(struct rc_buf *b, const char *name, const uint8_t *p,
                        size_t n) {
  rc_buf_puts(b, name);
  rc_buf_putc(b, ' ');
  rc_buf_put_u64(b, n);
  rc_buf_putc(b, '\n');
  rc_buf_put(b, p, n);
}

int rc_encode_receipt(const struct rc_receipt *r, struct rc_buf *b) {
  if (!rc_id_ok(r->station) || !rc_id_ok(r->district) ||
      r->sheet_plen > RC_PROOF_MAX || r->record_plen > RC_PROOF_MAX ||
      (r->manifest_len && !r->manifest) || (r->sheet_len && !r->sheet) ||
      (r->record_len && !r->record) || (r->checkpoint_len && !r->checkpoint))
    return RC_ERR_USAGE;
  rc_buf_puts(b, "recount receipt v1\nstation ");
  rc_buf_puts(b, r->station);
  rc_buf_puts(b, "\ndistrict ");
  rc_buf_puts(b, r->district);
  rc_buf_puts(b, "\nsheet-index ");
  rc_buf_put_u64(b, r->sheet_index);
  rc_buf_putc(b, ' ');
  rc_buf_put_u64(b, r->sheet_size);
  rc_buf_putc(b, '\n');
  put_proof(b, r->sheet_proof, r->sheet_plen);
  rc_buf_puts(b, "record-index ");
  rc_buf_put_u64(b, r->record_index);
  rc_buf_putc(b, ' ');
  rc_buf_put_u64(b, r->record_size);
  rc_buf_putc(b, '\n');
  put_proof(b, r->record_proof, r->record_plen);
  put_section(b, "manifest", r->manifest, r->manifest_len);
  put_section(b, "sheet", r->sheet, r->sheet_len);
  put_section(b, "district-record", r->record, r->record_len);
  put_section(b, "checkpoint", r->checkpoint, r->checkpoint_len);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}
