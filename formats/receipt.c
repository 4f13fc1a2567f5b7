/* receipt.c — parsing and encoding receipts (see receipt.h). */
#include "receipt.h"

#include <string.h>

#include "b64.h"
#include "texts.h"

struct rcur {
  const uint8_t *p;
  size_t len, pos, line;
};

/* Takes the next line (without '\n'); fails at end or without newline. */
static int take_line(struct rcur *c, const char **s, size_t *n) {
  if (c->pos >= c->len) return -1;
  const uint8_t *nl = memchr(c->p + c->pos, '\n', c->len - c->pos);
  if (!nl) return -1;
  *s = (const char *)c->p + c->pos;
  *n = (size_t)(nl - (c->p + c->pos));
  c->pos += *n + 1;
  c->line++;
  return 0;
}

/* Decimal u64 without sign or leading zeros. */
static int dec(const char *s, size_t n, uint64_t *v) {
  if (n == 0 || n > 19 || (s[0] == '0' && n > 1)) return -1;
  uint64_t x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    x = x * 10 + (uint64_t)(s[i] - '0');
  }
  *v = x;
  return 0;
}

static int kw(const char *s, size_t n, const char *k, const char **rest,
              size_t *rn) {
  size_t kl = strlen(k);
  if (n <= kl || memcmp(s, k, kl) != 0 || s[kl] != ' ') return -1;
  *rest = s + kl + 1;
  *rn = n - kl - 1;
  return 0;
}

static int two_dec(const char *s, size_t n, uint64_t *a, uint64_t *b) {
  const char *sp = memchr(s, ' ', n);
  if (!sp) return -1;
  size_t an = (size_t)(sp - s);
  if (dec(s, an, a) || dec(sp + 1, n - an - 1, b)) return -1;
  return 0;
}

static int read_proof(struct rcur *c, rc_hash *proof, size_t *plen,
                      struct rc_error *err) {
  *plen = 0;
  for (;;) {
    size_t save = c->pos, saveline = c->line;
    const char *s, *r;
    size_t n, rn;
    if (take_line(c, &s, &n) != 0 || kw(s, n, "hash", &r, &rn) != 0) {
      c->pos = save;
      c->line = saveline;
      return RC_OK;
    }
    if (*plen == RC_PROOF_MAX)
      return rc_fail(err, RC_ERR_LIMIT, c->line, "hash",
                     "more than %d proof hashes", RC_PROOF_MAX);
    if (rc_b64_decode_exact(r, rn, proof[*plen], 32) != RC_OK)
      return rc_fail(err, RC_ERR_BASE64, c->line, "hash",
                     "not the canonical base64 of 32 bytes");
    (*plen)++;
  }
}

static int section(struct rcur *c, const char *name, const uint8_t **p,
                   size_t *n, struct rc_error *err) {
  const char *s, *r;
  size_t sn, rn;
  uint64_t len;
  if (take_line(c, &s, &sn) != 0 || kw(s, sn, name, &r, &rn) != 0 ||
      dec(r, rn, &len) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, name,
                   "expected '%s <byte count>'", name);
  if (len > c->len - c->pos)
    return rc_fail(err, RC_ERR_SYNTAX, c->line, name,
                   "section is cut short: %llu bytes announced, %zu left",
                   (unsigned long long)len, c->len - c->pos);
  *p = c->p + c->pos;
  *n = (size_t)len;
  for (size_t i = 0; i < *n; i++)
    if ((*p)[i] == '\n') c->line++;
  c->pos += (size_t)len;
  return RC_OK;
}

int rc_parse_receipt(const uint8_t *buf, size_t len, struct rc_receipt *out,
                     struct rc_error *err) {
  memset(out, 0, sizeof *out);
  if (len > RC_RECEIPT_MAX)
    return rc_fail(err, RC_ERR_LIMIT, 0, "receipt", "receipt larger than %llu bytes",
                   (unsigned long long)RC_RECEIPT_MAX);
  struct rcur c = {buf, len, 0, 0};
  const char *s, *r;
  size_t n, rn;
  if (take_line(&c, &s, &n) != 0 || n != 18 ||
      memcmp(s, "recount receipt v1", 18) != 0)
    return rc_fail(err, RC_ERR_SYNTAX, 1, "header",
                   "expected 'recount receipt v1'");
  if (take_line(&c, &s, &n) || kw(s, n, "station", &r, &rn) ||
      !rc_id_valid(r, rn))
    return rc_fail(err, RC_ERR_SYNTAX, c.line, "station",
                   "expected 'station <station-id>'");
  memcpy(out->station, r, rn);
  if (take_line(&c, &s, &n) || kw(s, n, "district", &r, &rn) ||
      !rc_id_valid(r, rn))
    return rc_fail(err, RC_ERR_SYNTAX, c.line, "district",
                   "expected 'district <district-id>'");
  memcpy(out->district, r, rn);
  if (take_line(&c, &s, &n) || kw(s, n, "sheet-index", &r, &rn) ||
      two_dec(r, rn, &out->sheet_index, &out->sheet_size))
    return rc_fail(err, RC_ERR_SYNTAX, c.line, "sheet-index",
                   "expected 'sheet-index <index> <size>'");
  int rc = read_proof(&c, out->sheet_proof, &out->sheet_plen, err);
  if (rc) return rc;
  if (take_line(&c, &s, &n) || kw(s, n, "record-index", &r, &rn) ||
      two_dec(r, rn, &out->record_index, &out->record_size))
    return rc_fail(err, RC_ERR_SYNTAX, c.line, "record-index",
                   "expected 'record-index <index> <size>'");
  rc = read_proof(&c, out->record_proof, &out->record_plen, err);
  if (rc) return rc;
  if ((rc = section(&c, "manifest", &out->manifest, &out->manifest_len, err)) ||
      (rc = section(&c, "sheet", &out->sheet, &out->sheet_len, err)) ||
      (rc = section(&c, "district-record", &out->record, &out->record_len,
                    err)) ||
      (rc = section(&c, "checkpoint", &out->checkpoint, &out->checkpoint_len,
                    err)))
    return rc;
  if (c.pos != len)
    return rc_fail(err, RC_ERR_SYNTAX, c.line + 1, "end",
                   "unexpected bytes after the checkpoint section");
  return RC_OK;
}

static void put_proof(struct rc_buf *b, const rc_hash *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    rc_buf_puts(b, "hash ");
    rc_b64_append(b, p[i], 32);
    rc_buf_putc(b, '\n');
  }
}

int rc_encode_receipt(const struct rc_receipt *r, struct rc_buf *b) {
  rc_buf_printf(b, "recount receipt v1\nstation %s\ndistrict %s\n",
                r->station, r->district);
  rc_buf_printf(b, "sheet-index %llu %llu\n",
                (unsigned long long)r->sheet_index,
                (unsigned long long)r->sheet_size);
  put_proof(b, r->sheet_proof, r->sheet_plen);
  rc_buf_printf(b, "record-index %llu %llu\n",
                (unsigned long long)r->record_index,
                (unsigned long long)r->record_size);
  put_proof(b, r->record_proof, r->record_plen);
  rc_buf_printf(b, "manifest %zu\n", r->manifest_len);
  rc_buf_put(b, r->manifest, r->manifest_len);
  rc_buf_printf(b, "sheet %zu\n", r->sheet_len);
  rc_buf_put(b, r->sheet, r->sheet_len);
  rc_buf_printf(b, "district-record %zu\n", r->record_len);
  rc_buf_put(b, r->record, r->record_len);
  rc_buf_printf(b, "checkpoint %zu\n", r->checkpoint_len);
  rc_buf_put(b, r->checkpoint, r->checkpoint_len);
  return b->oom ? RC_ERR_NOMEM : RC_OK;
}
